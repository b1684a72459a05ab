// What the fake store's writes changed, noted the way the real store's triggers note it: every
// entity set or deleted in the store's maps is noted by id, an interaction or an event with all
// its people (the real store writes their rows again), and a suggestion decided or a setting
// changed as a whole. `take_changes` answers what was noted since it was last asked, so the window's
// targeted refresh is exercised, not bypassed with `everything`.

import type { StoreChange } from "../../src/bindings";

/** The most ids of one kind a change lists, as in the real store; past it, `everything`. */
export const MAX_LISTED = 1000;

/** A Map that reports each entry set or deleted, with its value before and after. */
export class NotedMap<V> extends Map<string, V> {
  constructor(private readonly noted: (key: string, before: V | undefined, after: V | undefined) => void) {
    super();
  }

  override set(key: string, value: V): this {
    this.noted(key, this.get(key), value);
    return super.set(key, value);
  }

  override delete(key: string): boolean {
    const before = this.get(key);
    if (before === undefined && !this.has(key)) return false;
    this.noted(key, before, undefined);
    return super.delete(key);
  }

  override clear(): void {
    for (const [key, before] of this) this.noted(key, before, undefined);
    super.clear();
  }
}

/** The changes noted since the window last asked. */
export class ChangeNotes {
  private contacts = new Set<string>();
  private interactions = new Set<string>();
  private events = new Set<string>();
  private suggestions = false;
  private settings = false;
  private everything = false;

  contact(...ids: string[]): void {
    for (const id of ids) this.contacts.add(id);
  }

  interaction(id: string): void {
    this.interactions.add(id);
  }

  event(id: string): void {
    this.events.add(id);
  }

  suggestion(): void {
    this.suggestions = true;
  }

  setting(): void {
    this.settings = true;
  }

  /** The whole store may have changed (a backup was restored). */
  all(): void {
    this.everything = true;
  }

  get empty(): boolean {
    return !this.contacts.size && !this.interactions.size && !this.events.size && !this.suggestions && !this.settings && !this.everything;
  }

  /** What was noted, as one change; the notes start afresh. */
  take(): StoreChange {
    let everything = this.everything;
    const listed = (ids: Set<string>): string[] => {
      if (ids.size > MAX_LISTED) {
        everything = true;
        return [];
      }
      return [...ids].sort();
    };
    const change: StoreChange = {
      contacts: listed(this.contacts),
      interactions: listed(this.interactions),
      events: listed(this.events),
      suggestions: this.suggestions,
      settings: this.settings,
      everything: false,
    };
    change.everything = everything;
    this.forget();
    return change;
  }

  forget(): void {
    this.contacts.clear();
    this.interactions.clear();
    this.events.clear();
    this.suggestions = this.settings = this.everything = false;
  }
}
