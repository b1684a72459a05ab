// The contacts list: search as you type, filters, and a virtualised list of rows that the
// keyboard can drive (/ to search, ↑/↓/PageUp/PageDown/Home/End to move, Enter to open).

import { html, nothing, type TemplateResult } from "lit-html";
import { ref } from "lit-html/directives/ref.js";
import * as api from "../api";
import type { ChannelKind, ContactSummary, RoleKind } from "../api";
import { CHANNELS, ROLE_KINDS, channelLabel, normaliseQuery, plural, relativeTime, roleLabel } from "../format";
import { channelIcon, icon } from "../icons";
import { contactHref, navigate } from "../router";
import { cadenceWords, overdueWords } from "../suggestions";
import { moveIndex, VirtualList } from "../virtual-list";
import type { App } from "../app";
import { Latest } from "../latest";

const ROW_HEIGHT = 68;
const SEARCH_DEBOUNCE_MS = 80;
/**
 * User Timing names (read by `scripts/bench.sh --app` over WebDriver; cheap enough to ship):
 * a measure per list request, from the request leaving the UI to its answer arriving, and a
 * mark when the first answer with contacts is in the list's DOM.
 */
export const LIST_MEASURE = "kith:list-contacts";
export const FIRST_ROWS_MARK = "kith:first-contact-rows";
/**
 * A search asks for at most this many contacts, the best matches first: a few dozen screens,
 * more than anyone reads, while one letter can match thousands and sending them all made each
 * keystroke slower. Filters without a search still list everyone they match.
 */
export const SEARCH_LIMIT = 500;
/** How many measures are kept before all are cleared, so a long session does not pile them up. */
const MAX_MEASURES = 1000;

function measureListRequest(query: string | null, start: number, count: number): void {
  if (performance.getEntriesByName(LIST_MEASURE, "measure").length >= MAX_MEASURES) {
    performance.clearMeasures(LIST_MEASURE);
  }
  performance.measure(LIST_MEASURE, { start, end: performance.now(), detail: { query, count } });
}

export class ContactsList {
  query = "";
  role: RoleKind | null = null;
  channel: ChannelKind | null = null;
  tag: string | null = null;

  items: ContactSummary[] = [];
  loaded = false;
  /** The search matched more than SEARCH_LIMIT contacts; only the best are listed. */
  private capped = false;
  /** The last load failed (the banner says why); the list shows what it had before. */
  private failed = false;
  private active = -1;
  private selectedId: string | null = null;
  private readonly latest = new Latest();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private pendingReveal: string | null = null;
  private now = new Date();

  private readonly list = new VirtualList<ContactSummary>({
    rowHeight: ROW_HEIGHT,
    overscan: 8,
    key: (c) => c.id,
    row: (c, i) => this.row(c, i),
  });
  private readonly attachList = (el?: Element) => this.list.attach(el);

  constructor(private readonly app: App) {}

  get filtered(): boolean {
    return normaliseQuery(this.query) !== null || this.role !== null || this.channel !== null || this.tag !== null;
  }

  private filter() {
    const query = normaliseQuery(this.query);
    return {
      query,
      role: this.role,
      channel: this.channel,
      tag: this.tag,
      limit: query === null ? null : SEARCH_LIMIT,
    };
  }

  /** Fetches the list for the current search and filters; older answers are dropped. */
  async reload(): Promise<void> {
    clearTimeout(this.timer);
    const turn = this.latest.begin();
    const filter = this.filter();
    try {
      const sent = performance.now();
      const items = await api.listContacts(filter);
      measureListRequest(filter.query, sent, items.length);
      if (!turn.current()) return;
      this.show(items, filter.query !== null);
    } catch (e) {
      if (!turn.current()) return;
      this.failed = true;
      this.app.showError(e);
      this.app.invalidate();
    }
  }

  /**
   * Brings the list on screen up to date after these contacts changed: the backend sends the
   * list's new order and only the changed rows, and the others are the rows already here. A
   * list not loaded yet, or one whose order names a row neither side has, is read whole.
   */
  async patch(changed: string[]): Promise<void> {
    if (!this.loaded || this.failed) return this.reload();
    clearTimeout(this.timer);
    const turn = this.latest.begin();
    const filter = this.filter();
    try {
      const { order, rows } = await api.contactsPatch(filter, changed);
      if (!turn.current()) return;
      const known = new Map(this.items.map((c) => [c.id, c]));
      for (const row of rows) known.set(row.id, row);
      const items: ContactSummary[] = [];
      for (const id of order) {
        const row = known.get(id);
        if (!row) return this.reload();
        items.push(row);
      }
      this.show(items, filter.query !== null);
    } catch (e) {
      if (!turn.current()) return;
      this.failed = true;
      this.app.showError(e);
      this.app.invalidate();
    }
  }

  private show(items: ContactSummary[], searching: boolean): void {
    const previous = this.items[this.active]?.id;
    this.items = items;
    this.capped = searching && items.length >= SEARCH_LIMIT;
    this.loaded = true;
    this.failed = false;
    this.now = this.app.now();
    this.app.rememberNames(items);
    const keep = this.pendingReveal ?? previous ?? this.selectedId;
    this.active = keep ? items.findIndex((c) => c.id === keep) : -1;
    this.list.setItems(items);
    if (
      performance.getEntriesByName(FIRST_ROWS_MARK, "mark").length === 0 &&
      document.querySelector("[data-testid=contact-row]") !== null
    ) {
      performance.mark(FIRST_ROWS_MARK);
    }
    if (this.pendingReveal && this.active >= 0) {
      this.list.scrollToIndex(this.active);
      this.pendingReveal = null;
    }
    this.app.invalidate();
  }

  private scheduleReload(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.reload(), SEARCH_DEBOUNCE_MS);
  }

  /** Highlights a contact (opened from elsewhere) and scrolls it into view. */
  reveal(id: string): void {
    this.selectedId = id;
    const i = this.items.findIndex((c) => c.id === id);
    if (i >= 0) {
      this.active = i;
      this.list.scrollToIndex(i);
    } else {
      this.pendingReveal = id;
      this.list.refresh();
    }
  }

  /** Paints the visible rows again (e.g. when who is overdue changed). */
  refreshRows(): void {
    this.list.refresh();
  }

  focusSearch(): void {
    const input = document.querySelector<HTMLInputElement>("[data-testid=search-input]");
    input?.focus();
    input?.select();
  }

  private setActive(i: number): void {
    this.active = i;
    this.list.scrollToIndex(i);
    this.app.invalidate();
  }

  private open(c: ContactSummary | undefined): void {
    if (!c) return;
    this.selectedId = c.id;
    navigate({ name: "contact", id: c.id });
    this.list.refresh();
  }

  private onKey(e: KeyboardEvent): void {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const inSearch = e.target instanceof HTMLInputElement;
    if (e.key === "Enter") {
      e.preventDefault();
      this.open(this.items[this.active >= 0 ? this.active : 0]);
      return;
    }
    // In the search field, Home/End move the caret as usual.
    if (inSearch && (e.key === "Home" || e.key === "End")) return;
    const next = moveIndex(this.active, e.key, this.items.length, this.list.viewportRows - 1);
    if (next === null) return;
    e.preventDefault();
    this.setActive(next);
  }

  private row(c: ContactSummary, i: number): TemplateResult {
    const selected = c.id === this.selectedId;
    const sub = [c.organisation, c.location].filter(Boolean).join(" · ");
    const overdue = this.app.suggestions.overdueOf(c.id);
    return html`<a
      href=${contactHref(c.id)}
      id="contact-row-${i}"
      class="contact-row ${i === this.active ? "is-active" : ""} ${selected ? "is-selected" : ""}"
      role="option"
      aria-selected=${selected ? "true" : "false"}
      data-testid="contact-row"
      tabindex="-1"
      @click=${(e: MouseEvent) => {
        if (e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey) return;
        e.preventDefault();
        this.active = i;
        this.open(c);
      }}
    >
      <span class="row-main">
        <span class="row-name">${c.name}</span>
        <span class="row-sub">${sub || (c.primary_handle ? c.primary_handle.value : "")}</span>
      </span>
      <span class="row-side">
        <span class="badges">
          ${overdue
            ? html`<span class="badge overdue" data-testid="overdue-marker" title=${`Keep in touch ${cadenceWords(overdue.cadence_days)}: ${overdueWords(overdue.overdue_days)}`}>Overdue</span>`
            : nothing}
          ${c.roles.map((r) => html`<span class="badge role-${r}">${roleLabel(r)}</span>`)}
        </span>
        ${c.last_interaction_at && c.last_channel
          ? html`<span class="row-last">${channelIcon(c.last_channel)}<span>${relativeTime(c.last_interaction_at, this.now)}</span></span>`
          : html`<span class="row-last muted">No interactions yet</span>`}
      </span>
    </a>`;
  }

  private select<T extends string>(
    label: string,
    value: T | null,
    options: ReadonlyArray<readonly [T, string]>,
    anyLabel: string,
    set: (v: T | null) => void,
  ): TemplateResult {
    return html`<label class="filter ${value ? "is-set" : ""}">
      <span class="visually-hidden">${label}</span>
      <select
        .value=${value ?? ""}
        @change=${(e: Event) => {
          const v = (e.target as HTMLSelectElement).value;
          set(v === "" ? null : (v as T));
          void this.reload();
          this.list.scrollToTop();
        }}
      >
        <option value="" ?selected=${value === null}>${anyLabel}</option>
        ${options.map(([v, text]) => html`<option value=${v} ?selected=${v === value}>${text}</option>`)}
      </select>
    </label>`;
  }

  template(selectedId: string | null): TemplateResult {
    this.selectedId = selectedId;
    const activeId = this.active >= 0 && this.active < this.items.length ? `contact-row-${this.active}` : "";
    const tags = this.tag && !this.app.tags.includes(this.tag) ? [this.tag, ...this.app.tags] : this.app.tags;
    return html`<div class="contacts" @keydown=${(e: KeyboardEvent) => this.onKey(e)}>
      <div class="list-header">
        <div class="search">
          ${icon("search")}
          <input
            type="search"
            data-testid="search-input"
            placeholder="Search names, handles, notes, conversations"
            aria-label="Search contacts"
            aria-controls="contact-list"
            aria-activedescendant=${activeId}
            autocomplete="off"
            spellcheck="false"
            .value=${this.query}
            @input=${(e: InputEvent) => {
              this.query = (e.target as HTMLInputElement).value;
              this.scheduleReload();
              this.list.scrollToTop();
            }}
          />
          <kbd class="search-key" aria-hidden="true">/</kbd>
        </div>
        <div class="filters">
          ${this.select("Role", this.role, ROLE_KINDS.map((r) => [r, roleLabel(r)] as const), "Any role", (v) => (this.role = v))}
          ${this.select("Channel", this.channel, CHANNELS.map((c) => [c, channelLabel(c)] as const), "Any channel", (v) => (this.channel = v))}
          ${this.select("Tag", this.tag, tags.map((t) => [t, t] as const), "Any tag", (v) => (this.tag = v))}
          ${this.filtered
            ? html`<button type="button" class="button ghost small" @click=${() => this.clearFilters()}>Clear</button>`
            : nothing}
        </div>
        <p class="list-count muted small" aria-live="polite">
          ${this.failed
            ? "The list could not be loaded."
            : this.loaded
              ? this.capped
                ? `The best ${SEARCH_LIMIT.toLocaleString("en")} matches; type more to narrow the search`
                : this.filtered
                ? plural(this.items.length, "match", "matches")
                : plural(this.items.length, "contact", "contacts")
              : "Loading…"}
        </p>
      </div>
      <div
        class="vlist"
        id="contact-list"
        role="listbox"
        aria-label="Contacts"
        tabindex="0"
        aria-activedescendant=${activeId}
        ${ref(this.attachList)}
      ></div>
      ${this.loaded && !this.failed && this.items.length === 0
        ? html`<div class="list-empty">
            <p>${this.filtered ? "Nobody matches that search." : "No contacts yet."}</p>
            ${this.filtered ? html`<button type="button" class="button small" @click=${() => this.clearFilters()}>Clear search and filters</button>` : nothing}
          </div>`
        : nothing}
    </div>`;
  }

  private clearFilters(): void {
    this.query = "";
    this.role = this.channel = this.tag = null;
    void this.reload();
    this.list.scrollToTop();
    this.focusSearch();
  }
}
