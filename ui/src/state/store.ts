// A small store for the window's state: one object, changed only through `update`, whose
// subscribers hear of each change that changed something. The shell subscribes to draw the
// window again; nothing else writes the state behind its back.

/** Called after a change with the state as it now is and as it was. */
export type Listener<S> = (state: Readonly<S>, previous: Readonly<S>) => void;

/** A change: the fields to set, or a function of the current state answering them. */
export type Change<S> = Partial<S> | ((state: Readonly<S>) => Partial<S>);

export class Store<S extends object> {
  private current: Readonly<S>;
  private readonly listeners = new Set<Listener<S>>();

  constructor(initial: S) {
    this.current = Object.freeze({ ...initial });
  }

  /** The state now. It is frozen: change it with `update`. */
  get state(): Readonly<S> {
    return this.current;
  }

  /**
   * Sets the given fields and tells every subscriber, unless no field took a new value (then
   * nothing happens). Answers whether anything changed.
   */
  update(change: Change<S>): boolean {
    const fields = typeof change === "function" ? change(this.current) : change;
    const keys = Object.keys(fields) as Array<keyof S>;
    if (keys.every((k) => Object.is(fields[k], this.current[k]))) return false;
    const previous = this.current;
    this.current = Object.freeze({ ...previous, ...fields });
    for (const listener of [...this.listeners]) listener(this.current, previous);
    return true;
  }

  /** Calls `listener` after each change; answers a function that stops it. */
  subscribe(listener: Listener<S>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
