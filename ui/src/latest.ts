// "Only the latest answer counts": a view that asks the backend again before the last answer
// came (the person typed another letter, opened another contact) must not draw the older
// answer over the newer one. Each view keeps one `Latest` per kind of request.

/** One request's turn: still the latest, or overtaken. */
export interface Turn {
  /** Whether no later request began (and nothing cancelled this one) since it began. */
  current(): boolean;
}

export class Latest {
  private count = 0;

  /** Begins a request, overtaking every one before it. */
  begin(): Turn {
    const mine = ++this.count;
    return { current: () => mine === this.count };
  }

  /** The turn of the request running now, for work that continues it (a next page). */
  now(): Turn {
    const mine = this.count;
    return { current: () => mine === this.count };
  }

  /** Overtakes every request in flight without beginning one (the view was closed). */
  cancel(): void {
    this.count++;
  }
}
