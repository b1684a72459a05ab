// Virtual rows of different heights, in a list that scrolls with the pane around it (a
// contact's timeline, below their profile): only the rows near the viewport exist in the DOM,
// so a timeline of fifty thousand interactions scrolls like one of fifty. A row's height is
// estimated until it has been rendered and measured; a row's position is the sum of the
// heights above it. When measuring (or newer rows arriving) changes the height above what the
// reader is looking at, the pane scrolls by the difference, so the rows in view stay still.
// The maths is pure and tested; the class wires it to the DOM through the CSSOM (which the
// content security policy allows), never through inline style attributes, as `VirtualList`.

import { render, type TemplateResult } from "lit-html";
import { repeat } from "lit-html/directives/repeat.js";
import { NextFrame } from "./virtual-list";

/**
 * The heights of a list's rows and the prefix sums that place them. Rows are known by key, and
 * a measured height is kept by key, so it survives rows being added above or below.
 */
export class RowHeights {
  private keys: readonly string[] = [];
  private indexes = new Map<string, number>();
  private heights = new Float64Array(0);
  /** `offsets[i]` is the top of row i and `offsets[count]` the height of all rows; the sums
   * are valid up to `summed` and worked out further only when asked for. */
  private offsets = new Float64Array(1);
  private summed = 0;
  private readonly measured = new Map<string, number>();

  /** Replaces the rows; rows measured before keep their height, others get `estimate(i)`. */
  setRows(keys: readonly string[], estimate: (index: number) => number): void {
    this.keys = keys;
    this.indexes = new Map(keys.map((k, i) => [k, i]));
    this.heights = new Float64Array(keys.length);
    keys.forEach((k, i) => {
      this.heights[i] = this.measured.get(k) ?? Math.max(1, estimate(i));
    });
    this.offsets = new Float64Array(keys.length + 1);
    this.summed = 0;
  }

  /** Forgets every measurement (the list changed width); `setRows` estimates again. */
  forgetMeasured(): void {
    this.measured.clear();
  }

  /** Records measured heights by key; returns whether any row's height changed. */
  measure(sizes: Iterable<readonly [key: string, height: number]>): boolean {
    let changed = false;
    for (const [key, height] of sizes) {
      if (!(height > 0)) continue;
      this.measured.set(key, height);
      const i = this.indexes.get(key);
      if (i === undefined || this.heights[i] === height) continue;
      this.heights[i] = height;
      this.summed = Math.min(this.summed, i);
      changed = true;
    }
    return changed;
  }

  get count(): number {
    return this.keys.length;
  }

  /** The height of all rows together. */
  get total(): number {
    return this.offsetOf(this.count);
  }

  keyOf(index: number): string | undefined {
    return this.keys[index];
  }

  /** The row with this key, or -1. */
  indexOf(key: string): number {
    return this.indexes.get(key) ?? -1;
  }

  heightOf(index: number): number {
    return this.heights[index] ?? 0;
  }

  /** Whether row `index` has been measured (its height is more than a guess). */
  isMeasured(index: number): boolean {
    const key = this.keys[index];
    return key !== undefined && this.measured.has(key);
  }

  /** The top of row `index`, from the top of the list (`count` gives the bottom of the last). */
  offsetOf(index: number): number {
    const i = Math.min(Math.max(0, Math.floor(index)), this.count);
    for (; this.summed < i; this.summed++) {
      this.offsets[this.summed + 1] = this.offsets[this.summed]! + this.heights[this.summed]!;
    }
    return this.offsets[i]!;
  }

  /** The row at `y` pixels from the top of the list, clamped to the first and last rows. */
  indexAt(y: number): number {
    const n = this.count;
    if (n === 0) return 0;
    this.offsetOf(n);
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.offsets[mid]! <= y) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}

export interface RowWindow {
  /** First rendered row (inclusive). */
  start: number;
  /** One past the last rendered row. */
  end: number;
}

/**
 * The rows to render for a viewport from `top` to `top + height` pixels, both measured from the
 * top of the list (`top` is negative while the list starts below the top of the viewport),
 * with `overscan` more on each side so fast scrolling shows no gaps. A list scrolled out of
 * view keeps the rows nearest the viewport.
 */
export function rowsInView(rows: RowHeights, top: number, height: number, overscan: number): RowWindow {
  const n = rows.count;
  if (n === 0) return { start: 0, end: 0 };
  const total = rows.total;
  const clamp = (y: number) => Math.min(Math.max(0, y), total);
  const first = rows.indexAt(clamp(top));
  const bottom = clamp(top + Math.max(0, height));
  const last = rows.indexAt(bottom);
  // A row that starts exactly at the bottom edge is not in view.
  const end = Math.max(first + 1, rows.offsetOf(last) < bottom ? last + 1 : last);
  const extra = Math.max(0, Math.floor(overscan));
  return { start: Math.max(0, first - extra), end: Math.min(n, end + extra) };
}

/**
 * The row that must not move on screen while heights change: the first one in the viewport
 * that was measured already (so the reader has seen it where it is), or else the first one in
 * the viewport. None (-1) while the list's top is in view: the list then flows down from it, as
 * a page does, and rows above the viewport cannot change.
 */
export function anchorRow(rows: RowHeights, top: number, height: number): number {
  if (top <= 0 || rows.count === 0) return -1;
  const first = rows.indexAt(top);
  const last = rows.indexAt(top + Math.max(0, height));
  for (let i = first; i <= last; i++) if (rows.isMeasured(i)) return i;
  return first;
}

/**
 * Runs `change` (measuring rows, or replacing them) and returns where the viewport's top must
 * move to, from `top`, for the anchor row (see `anchorRow`) to stay where it is on screen.
 */
export function keepingAnchor(rows: RowHeights, top: number, height: number, change: () => void): number {
  const index = anchorRow(rows, top, height);
  const key = index < 0 ? undefined : rows.keyOf(index);
  const before = rows.offsetOf(index);
  change();
  const after = key === undefined ? -1 : rows.indexOf(key);
  return after < 0 ? top : top + rows.offsetOf(after) - before;
}

/** The viewport top (from the top of the list) that centres row `index` in the viewport, or
 * shows its top when it is taller than the viewport. */
export function topToCentre(rows: RowHeights, index: number, viewportHeight: number): number {
  return rows.offsetOf(index) - Math.max(0, (viewportHeight - rows.heightOf(index)) / 2);
}

/** The nearest ancestor that scrolls its content, or null for the page itself. */
export function scrollParent(el: Element): HTMLElement | null {
  for (let p = el.parentElement; p; p = p.parentElement) {
    const overflow = getComputedStyle(p).overflowY;
    if (overflow === "auto" || overflow === "scroll") return p;
  }
  return null;
}

export interface VirtualRowsOptions<T> {
  key: (item: T) => string;
  /** A first guess at the row's height in pixels, in a list this wide, until it is measured. */
  estimate: (item: T, width: number) => number;
  /** The row's template: exactly one element. */
  row: (item: T, index: number) => TemplateResult;
  /** Rows rendered beyond each edge of the viewport. */
  overscan?: number;
}

/** Rendering, measuring and placing repeat until the rows in view are all measured; each
 * round renders the rows newly in view, so a few rounds settle any screen. */
const MAX_ROUNDS = 4;

/**
 * Renders the rows of a list (an `ol` or `ul`, which it fills and sizes) that are near the
 * viewport of the pane that scrolls it, each placed absolutely at its offset. The row that
 * holds focus stays rendered wherever the pane scrolls, so the keyboard never loses its place.
 */
export class VirtualRows<T> {
  private list: HTMLElement | null = null;
  private pane: HTMLElement | null = null;
  private items: readonly T[] = [];
  private readonly heights = new RowHeights();
  /** The list's width the estimates and measurements are for. */
  private width = 0;
  private readonly keys = new WeakMap<Element, string>();
  private observed = new Set<Element>();
  private paneObserver: ResizeObserver | null = null;
  private rowObserver: ResizeObserver | null = null;
  private readonly frame = new NextFrame(() => this.paint());
  private paintQueued = false;
  private readonly onScroll = () => this.frame.schedule();

  constructor(private readonly opts: VirtualRowsOptions<T>) {}

  /** Binds to the list element (or unbinds with undefined); safe to call repeatedly. */
  attach(list: Element | undefined): void {
    if (list === this.list) return;
    this.detach();
    if (!(list instanceof HTMLElement)) return;
    this.list = list;
    this.paintSoon();
  }

  private detach(): void {
    this.scrollEvents()?.removeEventListener("scroll", this.onScroll);
    this.pane?.style.removeProperty("overflow-anchor");
    this.paneObserver?.disconnect();
    this.rowObserver?.disconnect();
    this.paneObserver = this.rowObserver = null;
    this.observed.clear();
    this.frame.cancel();
    this.list = this.pane = null;
  }

  /** Finds the pane once the list is in the document (lit-html hands it over before that). */
  private connect(): boolean {
    if (this.pane) return true;
    const list = this.list;
    if (!list?.isConnected) return false;
    const pane = scrollParent(list) ?? (document.scrollingElement as HTMLElement | null);
    if (!pane) return false;
    this.pane = pane;
    // The browser's own scroll anchoring would correct the same shifts a second time.
    pane.style.setProperty("overflow-anchor", "none");
    this.scrollEvents()?.addEventListener("scroll", this.onScroll, { passive: true });
    this.paneObserver = new ResizeObserver(() => this.frame.schedule());
    this.paneObserver.observe(pane);
    this.rowObserver = new ResizeObserver((seen) => this.rowsResized(seen));
    return true;
  }

  /** Where the pane's scroll events arrive (the document's, for the page itself). */
  private scrollEvents(): EventTarget | null {
    return this.pane && this.pane === document.scrollingElement ? document : this.pane;
  }

  /** Shows these items; the row at the top of the viewport stays where it is. */
  setItems(items: readonly T[]): void {
    if (items !== this.items) {
      const keys = items.map((item) => this.opts.key(item));
      this.items = items;
      this.rebuild(keys);
    }
    this.paintSoon();
  }

  /** Renders the rows again (e.g. when what they show changed but the items did not). */
  refresh(): void {
    this.paintSoon();
  }

  /** Scrolls the row with this key to the middle of the viewport and returns its element. */
  scrollToKey(key: string): HTMLElement | null {
    if (this.heights.indexOf(key) < 0) return null;
    this.paint(key);
    return this.elementOf(key);
  }

  private rebuild(keys: readonly string[]): void {
    const width = this.width;
    const items = this.items;
    const change = () => this.heights.setRows(keys, (i) => this.opts.estimate(items[i]!, width));
    const top = this.viewTop();
    if (top === null) change();
    else this.scrollBy(keepingAnchor(this.heights, top, this.viewHeight(), change) - top);
  }

  private paintSoon(): void {
    if (this.paintQueued) return;
    this.paintQueued = true;
    // After the render in progress, which may still be building the list's surroundings.
    queueMicrotask(() => {
      this.paintQueued = false;
      this.paint();
    });
  }

  private paint(centreKey: string | null = null): void {
    const list = this.list;
    if (!list || !this.connect()) return;
    if (list.clientWidth !== this.width && list.clientWidth > 0) {
      this.width = list.clientWidth;
      this.heights.forgetMeasured();
      this.rebuild(this.items.map((item) => this.opts.key(item)));
    }
    const overscan = this.opts.overscan ?? 4;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      let top = this.viewTop() ?? 0;
      const height = this.viewHeight();
      const centre = centreKey === null ? -1 : this.heights.indexOf(centreKey);
      if (centre >= 0) {
        this.scrollBy(topToCentre(this.heights, centre, height) - top);
        top = this.viewTop() ?? 0;
      }
      this.renderRows(rowsInView(this.heights, top, height, overscan));
      let changed = false;
      const next = keepingAnchor(this.heights, top, height, () => {
        changed = this.heights.measure(this.renderedSizes());
      });
      this.place();
      if (!changed) break;
      if (centre < 0) this.scrollBy(next - top);
      // Still settling after the last round: the next frame goes on.
      if (round === MAX_ROUNDS - 1) this.frame.schedule();
    }
    this.observeRows();
  }

  /** Renders the rows of the window and the focused row, in list order. */
  private renderRows({ start, end }: RowWindow): void {
    const list = this.list!;
    const shown: number[] = [];
    const focusedKey = this.rowKey(document.activeElement);
    const focused = focusedKey === null ? -1 : this.heights.indexOf(focusedKey);
    if (focused >= 0 && focused < start) shown.push(focused);
    for (let i = start; i < end; i++) shown.push(i);
    if (focused >= end) shown.push(focused);
    const key = (i: number) => this.opts.key(this.items[i]!);
    const active = document.activeElement;
    render(
      repeat(shown, key, (i) => this.opts.row(this.items[i]!, i)),
      list,
    );
    // Moving the focused row among the others takes focus from it; give it back.
    if (active instanceof HTMLElement && active !== document.activeElement && active.isConnected) {
      active.focus({ preventScroll: true });
    }
    const rows = list.children;
    shown.forEach((i, n) => {
      const el = rows[n];
      if (el) this.keys.set(el, key(i));
    });
  }

  private renderedSizes(): Array<[string, number]> {
    const sizes: Array<[string, number]> = [];
    for (const el of this.list!.children) {
      const key = this.keys.get(el);
      if (key !== undefined) sizes.push([key, el.getBoundingClientRect().height]);
    }
    return sizes;
  }

  /** Sizes the list to all its rows and moves each rendered row to its offset. */
  private place(): void {
    const list = this.list!;
    list.style.setProperty("height", `${this.heights.total}px`);
    for (const el of list.children) {
      const key = this.keys.get(el);
      const i = key === undefined ? -1 : this.heights.indexOf(key);
      if (i >= 0 && el instanceof HTMLElement) el.style.setProperty("transform", `translateY(${this.heights.offsetOf(i)}px)`);
    }
  }

  /** Watches the rendered rows, for heights that change without a render (e.g. the width). */
  private observeRows(): void {
    const ro = this.rowObserver;
    if (!ro) return;
    const now = new Set(this.list?.children ?? []);
    for (const el of this.observed) if (!now.has(el)) ro.unobserve(el);
    for (const el of now) if (!this.observed.has(el)) ro.observe(el);
    this.observed = now;
  }

  private rowsResized(seen: ResizeObserverEntry[]): void {
    for (const entry of seen) {
      const key = this.keys.get(entry.target);
      const height = entry.borderBoxSize[0]?.blockSize ?? 0;
      const i = key === undefined ? -1 : this.heights.indexOf(key);
      if (i >= 0 && height > 0 && Math.abs(height - this.heights.heightOf(i)) > 0.5) {
        this.frame.schedule();
        return;
      }
    }
  }

  /** The top of the viewport in pixels from the top of the list, or null before connecting. */
  private viewTop(): number | null {
    const { list, pane } = this;
    if (!list || !pane) return null;
    const paneTop = pane === document.scrollingElement ? 0 : pane.getBoundingClientRect().top + pane.clientTop;
    return paneTop - list.getBoundingClientRect().top;
  }

  private viewHeight(): number {
    const pane = this.pane;
    if (!pane) return 0;
    return pane === document.scrollingElement ? window.innerHeight : pane.clientHeight;
  }

  private scrollBy(dy: number): void {
    if (this.pane && Math.abs(dy) >= 0.5) this.pane.scrollTop += dy;
  }

  private rowKey(target: EventTarget | null): string | null {
    let el = target instanceof Element ? target : null;
    while (el && el.parentElement !== this.list) el = el.parentElement;
    return el ? (this.keys.get(el) ?? null) : null;
  }

  private elementOf(key: string): HTMLElement | null {
    for (const el of this.list?.children ?? []) {
      if (this.keys.get(el) === key && el instanceof HTMLElement) return el;
    }
    return null;
  }
}
