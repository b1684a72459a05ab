// A fixed-row-height virtual list: only the rows in (or near) the viewport exist in the DOM, so
// tens of thousands of contacts scroll as smoothly as ten. The range maths is pure and tested;
// the class wires it to a scroll container. Geometry goes through the CSSOM (allowed by the
// app's content security policy), never through inline style attributes.

import { render, type TemplateResult } from "lit-html";
import { repeat } from "lit-html/directives/repeat.js";

export interface RangeInput {
  scrollTop: number;
  viewportHeight: number;
  rowHeight: number;
  count: number;
  /** Extra rows rendered above and below the viewport so fast scrolling shows no gaps. */
  overscan: number;
}

export interface VisibleRange {
  /** First rendered index (inclusive). */
  start: number;
  /** One past the last rendered index. */
  end: number;
  /** Where the first rendered row sits, in pixels from the top of the content. */
  offsetY: number;
  /** Height of all rows together. */
  totalHeight: number;
}

export function computeRange(input: RangeInput): VisibleRange {
  const rowHeight = Math.max(1, input.rowHeight);
  const count = Math.max(0, Math.floor(input.count));
  const totalHeight = count * rowHeight;
  if (count === 0) return { start: 0, end: 0, offsetY: 0, totalHeight: 0 };
  const viewport = Math.max(0, input.viewportHeight);
  const maxScroll = Math.max(0, totalHeight - viewport);
  const scrollTop = Math.min(Math.max(0, input.scrollTop), maxScroll);
  const overscan = Math.max(0, Math.floor(input.overscan));
  const firstVisible = Math.floor(scrollTop / rowHeight);
  const lastVisible = Math.ceil((scrollTop + viewport) / rowHeight); // exclusive
  const start = Math.max(0, firstVisible - overscan);
  const end = Math.min(count, Math.max(lastVisible, firstVisible + 1) + overscan);
  return { start, end, offsetY: start * rowHeight, totalHeight };
}

/**
 * The scrollTop that brings row `index` fully into view with the least movement, or null when
 * it is already fully visible.
 */
export function scrollTopToReveal(
  index: number,
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
): number | null {
  const top = index * rowHeight;
  const bottom = top + rowHeight;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + viewportHeight) return Math.max(0, bottom - viewportHeight);
  return null;
}

/** The index keyboard navigation lands on, clamped to the list. */
export function moveIndex(
  current: number,
  key: string,
  count: number,
  pageSize: number,
): number | null {
  if (count === 0) return null;
  const last = count - 1;
  const from = current < 0 ? -1 : Math.min(current, last);
  switch (key) {
    case "ArrowDown":
      return Math.min(last, from + 1);
    case "ArrowUp":
      return from < 0 ? 0 : Math.max(0, from - 1);
    case "PageDown":
      return Math.min(last, Math.max(0, from) + Math.max(1, pageSize));
    case "PageUp":
      return Math.max(0, Math.max(0, from) - Math.max(1, pageSize));
    case "Home":
      return 0;
    case "End":
      return last;
    default:
      return null;
  }
}

/** Runs a callback once in the next animation frame, however often it is asked for before then. */
export class NextFrame {
  private id = 0;

  constructor(private readonly fn: () => void) {}

  schedule(): void {
    if (this.id) return;
    this.id = requestAnimationFrame(() => {
      this.id = 0;
      this.fn();
    });
  }

  cancel(): void {
    if (this.id) cancelAnimationFrame(this.id);
    this.id = 0;
  }
}

export interface VirtualListOptions<T> {
  rowHeight: number;
  overscan?: number;
  key: (item: T) => string;
  row: (item: T, index: number) => TemplateResult;
}

export class VirtualList<T> {
  private host: HTMLElement | null = null;
  private spacer: HTMLElement | null = null;
  private rows: HTMLElement | null = null;
  private items: readonly T[] = [];
  private readonly frame = new NextFrame(() => this.paint());
  private resizeObserver: ResizeObserver | null = null;
  private readonly onScroll = () => this.frame.schedule();

  constructor(private readonly opts: VirtualListOptions<T>) {}

  /** Binds to a scroll container (or unbinds with undefined); safe to call repeatedly. */
  attach(host: Element | undefined): void {
    if (host === this.host) return;
    this.detach();
    if (!(host instanceof HTMLElement)) return;
    this.host = host;
    this.spacer = document.createElement("div");
    this.spacer.className = "vlist-spacer";
    this.rows = document.createElement("div");
    this.rows.className = "vlist-rows";
    this.spacer.append(this.rows);
    host.replaceChildren(this.spacer);
    host.addEventListener("scroll", this.onScroll, { passive: true });
    this.resizeObserver = new ResizeObserver(() => this.frame.schedule());
    this.resizeObserver.observe(host);
    this.paint();
  }

  private detach(): void {
    if (this.host) this.host.removeEventListener("scroll", this.onScroll);
    this.resizeObserver?.disconnect();
    this.resizeObserver = null;
    this.frame.cancel();
    this.host = this.spacer = this.rows = null;
  }

  setItems(items: readonly T[]): void {
    this.items = items;
    this.paint();
  }

  /** Re-renders the visible rows (e.g. when the selection changed). */
  refresh(): void {
    this.paint();
  }

  get viewportRows(): number {
    const h = this.host?.clientHeight ?? 0;
    return Math.max(1, Math.floor(h / this.opts.rowHeight));
  }

  scrollToIndex(index: number): void {
    if (!this.host) return;
    const next = scrollTopToReveal(
      index,
      this.host.scrollTop,
      this.host.clientHeight,
      this.opts.rowHeight,
    );
    if (next !== null) {
      this.host.scrollTop = next;
    }
    this.paint();
  }

  scrollToTop(): void {
    if (this.host) this.host.scrollTop = 0;
    this.paint();
  }

  private paint(): void {
    const { host, spacer, rows } = this;
    if (!host || !spacer || !rows) return;
    const range = computeRange({
      scrollTop: host.scrollTop,
      viewportHeight: host.clientHeight,
      rowHeight: this.opts.rowHeight,
      count: this.items.length,
      overscan: this.opts.overscan ?? 6,
    });
    spacer.style.setProperty("height", `${range.totalHeight}px`);
    rows.style.setProperty("transform", `translateY(${range.offsetY}px)`);
    const slice = this.items.slice(range.start, range.end);
    render(
      repeat(
        slice,
        (item) => this.opts.key(item),
        (item, i) => this.opts.row(item, range.start + i),
      ),
      rows,
    );
  }
}
