// One person: who they are, the roles they play, how you met, notes, and every interaction
// across channels, newest first. The timeline comes a page at a time: the newest with the
// page, older ones as the reader scrolls near its end. Its rows are virtual: only those near
// the viewport are in the DOM, however many pages have been read.

import { html, nothing, type TemplateResult } from "lit-html";
import { ref } from "lit-html/directives/ref.js";
import { repeat } from "lit-html/directives/repeat.js";
import * as api from "../api";
import type { ChannelKind, ContactDetail, Handle, Role, TimelineEntry } from "../api";
import { interactionToForm, newInteractionForm } from "../drafts";
import {
  channelLabel,
  formatDate,
  formatDateRange,
  importantDateTitle,
  importantDateWords,
  formatDateTime,
  formatLocalDate,
  initials,
  mailtoHref,
  momentLabel,
  platformLabel,
  relativeTime,
  roleDirectionWords,
  roleLabel,
  safeHttpUrl,
  threadLabel,
} from "../format";
import { WROTE_TAG } from "../bindings";
import { channelIcon, directionIcon, icon } from "../icons";
import { contactHref, eventHref, href, navigate } from "../router";
import { cadenceWords, overdueWords } from "../suggestions";
import { scrollParent, VirtualRows } from "../virtual-rows";
import { InteractionDialog } from "./interaction-dialog";
import { suggestionCard } from "./suggestion-card";
import type { App } from "../app";
import { Latest } from "../latest";

export class ContactPage {
  detail: ContactDetail | null = null;
  private id: string | null = null;
  /** The timeline entry the address points at, highlighted and scrolled into view. */
  private entryId: string | null = null;
  private loading = false;
  private readonly latest = new Latest();
  /** An older page of the timeline is on its way. */
  private loadingOlder: Promise<void> | null = null;
  /** Watches the end of the timeline, to load the next page before the reader gets there. */
  private endWatcher: IntersectionObserver | null = null;
  private watchedEnd: Element | null = null;
  /** One callback for every render, so lit-html calls it only when the element changes. */
  private readonly endRef = (el: Element | undefined): void => this.watchEnd(el);
  /** The time the rows say "3 days ago" from, read once per render. */
  private now = new Date();
  private readonly rows = new VirtualRows<TimelineEntry>({
    key: (t) => t.interaction.id,
    estimate: estimateEntryHeight,
    row: (t, i) => this.entry(t, i),
    overscan: 4,
  });
  private readonly rowsRef = (el: Element | undefined): void => this.rows.attach(el);

  constructor(private readonly app: App) {}

  /** Drops the page kept from the last visit, so the next visit reads the contact again. */
  forget(): void {
    this.latest.begin();
    this.detail = null;
    this.id = null;
    this.loading = false;
  }

  /** Shows a contact; `entry` highlights one interaction (null: none; left out: unchanged). */
  async show(id: string, force = false, entry?: string | null): Promise<void> {
    if (entry !== undefined) {
      this.entryId = entry;
      if (entry !== null) void this.revealEntry();
    }
    if (!force && id === this.id && this.detail) {
      this.app.invalidate();
      return;
    }
    if (id !== this.id) this.detail = null;
    this.id = id;
    this.loading = true;
    const turn = this.latest.begin();
    this.app.invalidate();
    try {
      const detail = await api.getContact(id);
      if (!turn.current()) return;
      this.detail = detail;
      this.loadingOlder = null;
      this.app.rememberNames([detail.contact]);
      this.app.suggestions.rememberTimeline(detail);
      if (this.entryId !== null) void this.revealEntry();
    } catch (e) {
      if (!turn.current()) return;
      this.app.showError(e);
      if (api.toApiError(e).code === "not_found") {
        this.detail = null;
        navigate({ name: "contacts" });
      }
    } finally {
      if (turn.current()) {
        this.loading = false;
        this.app.invalidate();
      }
    }
  }

  /** Loads the next, older page of the timeline (once at a time). */
  private loadOlder(): Promise<void> {
    const d = this.detail;
    const after = d?.timeline_next;
    if (!d || !after) return Promise.resolve();
    if (this.loadingOlder) return this.loadingOlder;
    const load = this.fetchOlder(d, after).finally(() => {
      if (this.loadingOlder === load) this.loadingOlder = null;
      // The watcher speaks only when the end comes near or goes away: if the reader is at the
      // end again already (the page was short, or they kept scrolling), look once more.
      this.app.afterRender(() => this.watchEndAgain());
    });
    this.loadingOlder = load;
    this.app.invalidate();
    return load;
  }

  private async fetchOlder(d: ContactDetail, after: string): Promise<void> {
    const turn = this.latest.now();
    try {
      const page = await api.contactTimeline(d.contact.id, after);
      if (!turn.current() || this.detail !== d) return;
      const shown = new Set(d.timeline.map((t) => t.interaction.id));
      d.timeline = [...d.timeline, ...page.entries.filter((t) => !shown.has(t.interaction.id))];
      d.timeline_next = page.next;
      this.app.suggestions.rememberTimeline(d);
    } catch (e) {
      if (turn.current()) this.app.showError(e);
    }
  }

  /** Loads older pages when the end of the timeline comes within a screen of the view. */
  private watchEnd(el: Element | undefined): void {
    if (el === this.watchedEnd) return;
    if (this.watchedEnd) this.endWatcher?.unobserve(this.watchedEnd);
    this.watchedEnd = el ?? null;
    if (!el) return;
    // Once the element is in the document: lit-html hands it over before inserting it.
    this.app.afterRender(() => {
      if (el === this.watchedEnd && el.isConnected) this.observeEnd(el);
    });
  }

  private watchEndAgain(): void {
    const el = this.watchedEnd;
    if (!el?.isConnected || !this.endWatcher) return;
    // Observing anew reports where the end is now.
    this.endWatcher.unobserve(el);
    this.endWatcher.observe(el);
  }

  private observeEnd(el: Element): void {
    // The pane that scrolls is the root: a margin on the viewport would not reach past the
    // pane's edge, which clips what is below it.
    const root = scrollParent(el);
    if (this.endWatcher?.root !== root) {
      this.endWatcher?.disconnect();
      this.endWatcher = new IntersectionObserver(
        (seen) => {
          if (seen.some((s) => s.isIntersecting)) void this.loadOlder();
        },
        { root, rootMargin: "0px 0px 100% 0px" },
      );
    }
    this.endWatcher.observe(el);
  }

  /** Scrolls the highlighted entry into view and moves focus to it, once it is on screen;
   * an entry older than the pages shown so far is loaded first. */
  private async revealEntry(): Promise<void> {
    const turn = this.latest.now();
    for (;;) {
      const d = this.detail;
      if (!d || !turn.current() || this.entryId === null) return;
      if (d.timeline.some((t) => t.interaction.id === this.entryId) || !d.timeline_next) break;
      const before = d.timeline.length;
      await this.loadOlder();
      if (this.detail?.timeline.length === before) return;
    }
    this.app.afterRender(() => {
      const wanted = this.entryId;
      if (wanted === null) return;
      this.rows.scrollToKey(wanted)?.focus({ preventScroll: true });
    });
  }

  private lastChannel(): ChannelKind {
    const d = this.detail;
    return d?.timeline[0]?.interaction.channel ?? platformChannel(d?.contact.handles[0]) ?? "email";
  }

  private logInteraction(): void {
    const d = this.detail;
    if (!d) return;
    const form = newInteractionForm(
      [{ id: d.contact.id, name: d.contact.name }],
      this.lastChannel(),
      this.app.now(),
    );
    this.app.showDialog(new InteractionDialog(this.app, form));
  }

  private editInteraction(entry: TimelineEntry): void {
    this.app.showDialog(new InteractionDialog(this.app, interactionToForm(entry.interaction, entry.contact_names)));
  }

  private async deleteInteraction(entry: TimelineEntry): Promise<void> {
    const others = entry.contact_names.length > 1 ? ` It is shared with ${entry.contact_names.length - 1} other ${entry.contact_names.length === 2 ? "person" : "people"} and will be removed for them too.` : "";
    const ok = await this.app.confirm({
      title: "Delete this interaction?",
      message: `The ${channelLabel(entry.interaction.channel)} entry from ${formatDateTime(entry.interaction.occurred_at)} will be removed.${others}`,
      confirmLabel: "Delete interaction",
    });
    if (!ok) return;
    try {
      await api.deleteInteraction(entry.interaction.id);
      await this.app.dataChanged();
    } catch (e) {
      this.app.showError(e);
    }
  }

  private async deleteContact(): Promise<void> {
    const d = this.detail;
    if (!d) return;
    const n = d.timeline_total;
    const ok = await this.app.confirm({
      title: `Delete ${d.contact.name}?`,
      message:
        n > 0
          ? `Their details and roles will be removed, and ${n === 1 ? "the interaction" : `the ${n} interactions`} logged only with them. This cannot be undone.`
          : "Their details and roles will be removed. This cannot be undone.",
      confirmLabel: "Delete contact",
    });
    if (!ok) return;
    try {
      await api.deleteContact(d.contact.id);
      this.detail = null;
      this.id = null;
      navigate({ name: "contacts" });
      await this.app.dataChanged();
    } catch (e) {
      this.app.showError(e);
    }
  }

  template(): TemplateResult {
    const d = this.detail;
    if (!d) {
      return html`<div class="pane-hint">${this.loading ? html`<p class="muted">Loading…</p>` : nothing}</div>`;
    }
    const c = d.contact;
    this.now = this.app.now();
    this.rows.setItems(d.timeline);
    const place = [c.organisation, c.location].filter(Boolean);
    return html`<article class="contact-page">
      <header class="page-header">
        <a class="back-link" href=${href({ name: "contacts" })}>${icon("back")}<span>Contacts</span></a>
        <div class="page-title-row">
          <span class="avatar" aria-hidden="true">${initials(c.name)}</span>
          <div class="page-title">
            <h1 data-testid="contact-title">${c.name}</h1>
            ${place.length ? html`<p class="muted">${place.join(" · ")}</p>` : nothing}
          </div>
          <div class="page-actions">
            <button type="button" class="button primary" data-testid="log-interaction-button" @click=${() => this.logInteraction()}>
              ${icon("plus")}<span>Log interaction</span>
            </button>
            <a class="button" href=${href({ name: "contact-edit", id: c.id })}>${icon("edit")}<span>Edit</span></a>
            <button type="button" class="button ghost" data-testid="export-contact-button" title="Export this person's notes" @click=${() => this.app.dialogs.openExport({ people: [{ id: c.id, name: c.name }] })}>
              ${icon("external")}<span>Export</span>
            </button>
            <button type="button" class="button ghost danger-text" @click=${() => void this.deleteContact()}>
              ${icon("trash")}<span>Delete</span>
            </button>
          </div>
        </div>
        ${c.handles.length ? html`<ul class="handles">${c.handles.map((h) => handleItem(this.app, h))}</ul>` : nothing}
        ${handleChanges(d)}
      </header>

      ${this.suggestionsPanel(c.id)}

      ${c.roles.length
        ? html`<section class="roles" aria-label="Roles">${c.roles.map(roleCard)}</section>`
        : html`<p class="muted small no-roles">No role yet. <a href=${href({ name: "contact-edit", id: c.id })}>Add one</a> to say whether they are a mentor, a peer or an expert.</p>`}

      <div class="contact-grid">
        <section class="timeline-section" aria-labelledby="timeline-title">
          <div class="section-title-row">
            <h2 id="timeline-title">Timeline</h2>
            <span class="muted small" data-testid="timeline-count"
              >${d.timeline_total ? `${d.timeline_total} ${d.timeline_total === 1 ? "interaction" : "interactions"}` : ""}</span
            >
          </div>
          ${d.timeline.length === 0
            ? html`<p class="muted empty-timeline">Nothing logged yet. Use “Log interaction” or <kbd>Ctrl M</kbd> for a quick mentoring moment.</p>`
            : html`<ol class="timeline" ${ref(this.rowsRef)}></ol>
                ${this.timelineEnd(d)}`}
        </section>
        <aside class="about">${this.about(d)}</aside>
      </div>
    </article>`;
  }

  /** Below a timeline with older pages: how many are left, and a button for when scrolling
   * does not reach (or the reader prefers the keyboard). */
  private timelineEnd(d: ContactDetail): TemplateResult | typeof nothing {
    if (!d.timeline_next) return nothing;
    const left = Math.max(d.timeline_total - d.timeline.length, 0);
    return html`<div class="timeline-more" data-testid="timeline-more" ${ref(this.endRef)}>
      <button type="button" class="button ghost" ?disabled=${this.loadingOlder !== null} @click=${() => void this.loadOlder()}>
        ${this.loadingOlder ? "Loading older interactions…" : `Show older interactions (${left} more)`}
      </button>
    </div>`;
  }

  /** Row `index` of the timeline; the list holds only the rows near the viewport, so each
   * says where it stands among all of the contact's interactions. */
  private entry(t: TimelineEntry, index: number): TemplateResult {
    const d = this.detail;
    const selfId = d?.contact.id;
    const loaded = d?.timeline.length ?? 0;
    const now = this.now;
    const i = t.interaction;
    const others = i.contact_ids
      .map((id, n) => ({ id, name: t.contact_names[n] ?? "" }))
      .filter((p) => p.id !== selfId);
    const highlighted = i.id === this.entryId;
    // A contact's blog post, from a feed the user follows.
    const wrote = i.tags.includes(WROTE_TAG);
    return html`<li
      class="timeline-entry ${highlighted ? "is-highlighted" : ""} ${wrote ? "is-wrote" : ""} ${index === loaded - 1 ? "is-last" : ""}"
      data-testid="timeline-entry"
      data-interaction-id=${i.id}
      aria-posinset=${index + 1}
      aria-setsize=${Math.max(d?.timeline_total ?? 0, loaded)}
      tabindex=${highlighted ? "-1" : nothing}
      aria-current=${highlighted ? "true" : nothing}
    >
      <div class="entry-icon">${channelIcon(i.channel)}</div>
      <div class="entry-body">
        <div class="entry-meta">
          ${wrote
            ? html`<span class="badge wrote" title="Something they published, not a conversation with you">Wrote</span>`
            : directionIcon(i.direction)}
          <span class="entry-channel">${channelLabel(i.channel)}</span>
          <time datetime=${i.occurred_at} title=${relativeTime(i.occurred_at, now)}>${formatDateTime(i.occurred_at)}</time>
          ${i.public
            ? html`<span class="visibility public" title="Seen by the world">${icon("globe")}<span>Public</span></span>`
            : html`<span class="visibility private" title="Between you">${icon("lock")}<span>Private</span></span>`}
          ${i.moment ? html`<span class="badge moment moment-${i.moment}">${momentLabel(i.moment)}</span>` : nothing}
        </div>
        ${i.text ? html`<p class="entry-text">${i.text}</p>` : html`<p class="entry-text muted">No text.</p>`}
        ${others.length || i.thread || i.tags.length
          ? html`<div class="entry-extra">
              ${others.length
                ? html`<span class="with">with ${others.map((p, n) => html`${n ? ", " : ""}<a href=${contactHref(p.id)}>${p.name}</a>`)}</span>`
                : nothing}
              ${i.thread ? html`<span class="thread" title=${`Conversation: ${i.thread}`}>${icon("link")}<span>${threadLabel(i.thread)}</span></span>` : nothing}
              ${i.tags.filter((tag) => !wrote || tag !== WROTE_TAG).map((tag) => html`<span class="tag">${tag}</span>`)}
            </div>`
          : nothing}
      </div>
      <div class="entry-actions">
        <button type="button" class="icon-button" aria-label="Edit this interaction" title="Edit" @click=${() => this.editInteraction(t)}>
          ${icon("edit")}
        </button>
        <button type="button" class="icon-button" aria-label="Delete this interaction" title="Delete" @click=${() => void this.deleteInteraction(t)}>
          ${icon("trash")}
        </button>
      </div>
    </li>`;
  }

  /** What Kith suggests for this person, compact, at the top of the page. */
  private suggestionsPanel(contactId: string): TemplateResult | typeof nothing {
    const st = this.app.suggestions;
    if (st.contactId !== contactId || st.forContact.length === 0) return nothing;
    return html`<section class="sg-panel" id="contact-suggestions" aria-labelledby="sg-panel-title" data-testid="contact-suggestions">
      <h2 id="sg-panel-title" tabindex="-1" data-focus-fallback>${icon("lightbulb")}<span>Kith suggests</span></h2>
      <ol class="sg-list compact">
        ${repeat(st.forContact, (s) => s.id, (s, n) => suggestionCard(this.app, s, n, { showContact: false, listSelector: "#contact-suggestions" }))}
      </ol>
    </section>`;
  }

  private keepInTouchCard(contactId: string, cadence: number | null): TemplateResult | typeof nothing {
    const status = this.app.suggestions.keep.find((k) => k.contact_id === contactId);
    const days = status?.cadence_days ?? cadence;
    if (days === null) return nothing;
    return html`<section class="card" data-testid="contact-keep-in-touch">
      <h3>Keep in touch</h3>
      <p>${cadenceWords(days).replace(/^e/, "E")}</p>
      ${status
        ? html`<p class="small ${status.overdue_days > 0 ? "kit-late" : "muted"}">${overdueWords(status.overdue_days)} (${formatDate(status.due_on)})</p>`
        : nothing}
    </section>`;
  }

  private about(d: ContactDetail): TemplateResult {
    const c = d.contact;
    const met = c.met_where || c.met_on || c.met_through;
    return html`
      ${met
        ? html`<section class="card">
            <h3>How you met</h3>
            <dl class="facts">
              ${c.met_where ? html`<dt>Where</dt><dd>${c.met_where}</dd>` : nothing}
              ${c.met_on ? html`<dt>When</dt><dd>${formatDate(c.met_on)}</dd>` : nothing}
              ${c.met_through ? html`<dt>Through</dt><dd>${c.met_through}</dd>` : nothing}
            </dl>
          </section>`
        : nothing}
      ${c.dates.length
        ? html`<section class="card" data-testid="contact-dates">
            <h3>Important dates</h3>
            <dl class="facts">
              ${c.dates.map((x) => html`<dt>${importantDateTitle(x)}</dt><dd>${importantDateWords(x)}</dd>`)}
            </dl>
          </section>`
        : nothing}
      ${c.notes ? html`<section class="card"><h3>Notes</h3><p class="prose">${c.notes}</p></section>` : nothing}
      ${c.private_notes
        ? html`<section class="card confidential" aria-label="Private notes, confidential">
            <h3>${icon("lock")}<span>Private notes</span><span class="confidential-label">Confidential</span></h3>
            <p class="prose">${c.private_notes}</p>
            <p class="muted small">Never included in exports meant for sharing.</p>
          </section>`
        : nothing}
      ${c.tags.length || c.expertise.length
        ? html`<section class="card">
            ${c.expertise.length
              ? html`<h3>Knows about</h3><p class="tag-list">${c.expertise.map((x) => html`<span class="tag expertise">${x}</span>`)}</p>`
              : nothing}
            ${c.tags.length ? html`<h3>Tags</h3><p class="tag-list">${c.tags.map((x) => html`<span class="tag">${x}</span>`)}</p>` : nothing}
          </section>`
        : nothing}
      ${this.keepInTouchCard(c.id, c.cadence_days)}
      <section class="card">
        <h3>Events</h3>
        ${d.events.length
          ? html`<ul class="plain-list">
              ${d.events.map(
                (e) => html`<li>
                  <a href=${eventHref(e.id)}>${e.name}</a>
                  <span class="muted small">${formatDateRange(e.starts_on, e.ends_on)}</span>
                </li>`,
              )}
            </ul>`
          : html`<p class="muted small">Not at any event you track.</p>`}
      </section>
      <p class="muted small record-dates">Added ${formatLocalDate(c.created_at)} · updated ${relativeTime(c.updated_at, this.app.now())}</p>
    `;
  }
}

/** The accounts of theirs that moved servers or changed name, newest first, as syncs saw it. */
function handleChanges(d: ContactDetail): TemplateResult | typeof nothing {
  if (!d.handle_changes.length) return nothing;
  const changes = [...d.handle_changes].reverse();
  return html`<ul class="handle-changes small" data-testid="handle-changes" aria-label="Accounts that moved">
    ${changes.map(
      (x) => html`<li>
        ${platformLabel(x.platform)}: now <strong>${x.new_value}</strong> (was ${x.old_value}); seen by
        ${x.seen_by || "a sync"} on ${formatLocalDate(x.seen_at)}
      </li>`,
    )}
  </ul>`;
}

/**
 * A guess at a timeline row's height before it is measured, from its text and what else it
 * shows, at this list width: rows are placed by these until rendered, so a close guess keeps
 * the scrollbar steady. The numbers follow the timeline's styles in app.css.
 */
function estimateEntryHeight(t: TimelineEntry, width: number): number {
  const i = t.interaction;
  // Icon column, gaps, actions column, the card's padding and border.
  const textWidth = Math.max(120, (width > 0 ? width : 640) - 34 - 12 - 12 - 34 - 30);
  const perLine = Math.max(12, Math.floor(textWidth / 7.4));
  let lines = 0;
  for (const line of (i.text || "No text.").split("\n")) lines += Math.max(1, Math.ceil(line.length / perLine));
  const extra = i.thread || i.tags.length || i.contact_ids.length > 1 ? 30 : 0;
  const card = 22 + 20 + 6 + lines * 21 + extra;
  return Math.max(card, 70) + 16;
}

export function platformChannel(h: Handle | undefined): ChannelKind | null {
  switch (h?.platform) {
    case "twitter":
    case "mastodon":
    case "bluesky":
    case "email":
    case "blog":
    case "phone":
      return h.platform;
    default:
      return null;
  }
}

function handleItem(app: App, h: Handle): TemplateResult {
  let link: string | null = null;
  if (h.platform === "email") link = mailtoHref(h.value);
  else if (h.platform === "blog" || h.platform === "linkedin" || h.platform === "other") link = safeHttpUrl(h.value);
  const label = platformLabel(h.platform);
  const url = link;
  return html`<li class="handle">
    <span class="handle-platform">${label}</span>
    ${url
      ? html`<a
          href=${url}
          title=${h.platform === "email" ? `Write to ${h.value}` : `Open ${url} in your browser`}
          @click=${(e: MouseEvent) => {
            // The window never navigates away: the link opens in the browser or mail client.
            e.preventDefault();
            void app.openExternal(url);
          }}
          >${h.value}</a
        >`
      : html`<span class="handle-value">${h.value}</span>`}
  </li>`;
}

function roleCard(r: Role): TemplateResult {
  const topics = r.topics ?? [];
  return html`<div class="role-card role-${r.kind}">
    <div class="role-head">
      <span class="badge role-${r.kind}">${roleLabel(r.kind)}</span>
      <span class="role-direction">${roleDirectionWords(r.direction)}</span>
    </div>
    <p class="role-topics">${topics.length ? topics.join(", ") : html`<span class="muted">in general</span>`}</p>
    <p class="role-ack ${r.acknowledged ? "ack" : "unack"}">
      ${r.acknowledged ? html`${icon("check")}<span>Acknowledged by both</span>` : html`${icon("question")}<span>They may not know</span>`}
    </p>
  </div>`;
}
