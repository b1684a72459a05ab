// The briefing before an event: who from the network will be there (those known only online
// first, then those met before, then those who may be there), what each is to the user, what
// they last talked about, what is left open, and what to talk about. One column, so it reads on
// a phone as well as on the desktop; it saves as PDF, HTML or Markdown, and prints.

import { html, nothing, type TemplateResult } from "lit-html";
import { repeat } from "lit-html/directives/repeat.js";
import * as api from "../api";
import type { AttendeeBrief, BriefFormat, Briefing, Handle, InteractionBrief, LikelyAttendee, OpenConversation, RoleBrief, Suggestion } from "../api";
import { BRIEF_FORMATS, briefFormatFromPath, reasonText, suggestedBriefName } from "../briefing-words";
import {
  channelLabel,
  formatDateRange,
  formatDateTime,
  formatLocalDate,
  mailtoHref,
  platformLabel,
  plural,
  relativeTime,
  roleLabel,
  safeHttpUrl,
} from "../format";
import { channelIcon, directionIcon, icon } from "../icons";
import { contactHref, eventHref, href, navigate } from "../router";
import { kindLabel, sentence, suggestionHeadline } from "../suggestions";
import type { App } from "../app";
import { Latest } from "../latest";

export class BriefingView {
  private eventId: string | null = null;
  private briefing: Briefing | null = null;
  private loading = false;
  private readonly latest = new Latest();
  /** A path typed or pasted instead of using the save dialog. */
  private typedPath = "";
  private pathError = "";
  private saving = false;

  constructor(private readonly app: App) {}

  /** Builds the briefing afresh: it is "as of now", so each visit reads it again. */
  async show(eventId: string): Promise<void> {
    if (eventId !== this.eventId) {
      this.briefing = null;
      this.typedPath = "";
      this.pathError = "";
    }
    this.eventId = eventId;
    this.loading = true;
    const turn = this.latest.begin();
    this.app.invalidate();
    try {
      const briefing = await api.getBriefing(eventId);
      if (!turn.current()) return;
      this.briefing = briefing;
      this.app.rememberNames([...briefing.meet_in_person, ...briefing.met_before, ...briefing.likely_there].map((a) => ({ id: a.contact_id, name: a.name })));
    } catch (e) {
      if (!turn.current()) return;
      this.app.showError(e);
      if (api.toApiError(e).code === "not_found") navigate({ name: "events" });
    } finally {
      if (turn.current()) {
        this.loading = false;
        this.app.invalidate();
      }
    }
  }

  // -------------------------------------------------------------------------------------------
  // Saving and printing

  private async chooseAndSave(format: BriefFormat): Promise<void> {
    const b = this.briefing;
    const info = BRIEF_FORMATS.find((f) => f.format === format);
    if (!b || !info || this.saving) return;
    let path: string | null;
    try {
      path = await api.chooseSavePath(info.target, suggestedBriefName(b.event.name, format));
    } catch (e) {
      this.app.showError(e);
      return;
    }
    if (path === null) return;
    await this.save(format, path);
  }

  private async saveTyped(): Promise<void> {
    const path = this.typedPath.trim();
    if (!path) {
      this.pathError = "Type or paste where to save the briefing.";
    } else if (briefFormatFromPath(path) === null) {
      this.pathError = "End the file name with .pdf, .html or .md to say which format to save.";
    } else {
      this.pathError = "";
    }
    this.app.invalidate();
    const format = briefFormatFromPath(path);
    if (this.pathError || format === null) return;
    await this.save(format, path);
  }

  /** Saves, asking before replacing a file that is already there. */
  private async save(format: BriefFormat, path: string): Promise<void> {
    const id = this.briefing?.event.id;
    if (!id) return;
    this.saving = true;
    this.app.invalidate();
    try {
      let written: string;
      try {
        written = await api.saveBriefing(id, format, path, false);
      } catch (e) {
        const err = api.toApiError(e);
        if (err.code !== "exists") throw err;
        const ok = await this.app.confirm({
          title: "Replace the file?",
          message: err.message,
          confirmLabel: "Replace it",
        });
        if (!ok) return;
        written = await api.saveBriefing(id, format, path, true);
      }
      this.app.showToast(`Briefing saved to ${written}`);
    } catch (e) {
      this.app.showError(e);
    } finally {
      this.saving = false;
      this.app.invalidate();
    }
  }

  // -------------------------------------------------------------------------------------------
  // Rendering

  template(): TemplateResult {
    const b = this.briefing;
    if (!b || b.event.id !== this.eventId) {
      return html`<div class="pane-hint"><p class="muted">${this.loading ? "Preparing the briefing…" : ""}</p></div>`;
    }
    const e = b.event;
    const empty = b.meet_in_person.length === 0 && b.met_before.length === 0 && b.likely_there.length === 0;
    return html`<article class="brief-page" data-testid="briefing">
      <header class="page-header">
        <a class="brief-back" href=${eventHref(e.id)}>${icon("back")}<span>${e.name}</span></a>
        <div class="page-title-row">
          <div class="page-title">
            <h1 data-testid="briefing-title">Briefing: ${e.name}</h1>
            <p class="muted">
              ${formatDateRange(e.starts_on, e.ends_on)}${e.location ? html` · ${e.location}` : nothing}
              ${e.hashtags.map((h) => html`<span class="tag">${h}</span>`)}
            </p>
            <p class="muted small">Prepared ${formatDateTime(b.generated_at)}</p>
          </div>
        </div>
        ${this.actions(b)}
      </header>
      ${e.notes ? html`<section class="card"><h3>Your notes on the event</h3><p class="prose">${e.notes}</p></section>` : nothing}
      ${empty ? this.emptyState(e.id) : nothing}
      ${b.meet_in_person.length || !empty
        ? this.section(
            "brief-meet",
            "Meet in person",
            "People you know only online. Make a point of finding them.",
            b.meet_in_person,
            "Nobody on the attendee list that you know only online.",
          )
        : nothing}
      ${b.met_before.length || !empty
        ? this.section("brief-met-before", "Met before", "People you have met in person.", b.met_before, "Nobody on the list you have met in person yet.")
        : nothing}
      ${b.likely_there.length ? this.likelySection(b) : nothing}
    </article>`;
  }

  private actions(b: Briefing): TemplateResult {
    const inputId = "brief-path";
    return html`<div class="brief-actions">
      <div class="brief-buttons" role="group" aria-label="Save or print">
        ${BRIEF_FORMATS.map(
          (f) => html`<button
            type="button"
            class="button"
            data-testid="brief-save-${f.format}"
            ?disabled=${this.saving}
            @click=${() => void this.chooseAndSave(f.format)}
          >
            <span>Save as ${f.label}</span>
          </button>`,
        )}
        <button type="button" class="button" data-testid="brief-print" @click=${() => window.print()}><span>Print</span></button>
      </div>
      <form
        class="brief-path-form"
        novalidate
        @submit=${(ev: SubmitEvent) => {
          ev.preventDefault();
          void this.saveTyped();
        }}
      >
        <label for=${inputId} class="small muted">Or type where to save it (.pdf, .html or .md)</label>
        <div class="brief-path-row">
          <input
            id=${inputId}
            type="text"
            spellcheck="false"
            autocomplete="off"
            data-testid="brief-path-input"
            placeholder=${`/home/you/${suggestedBriefName(b.event.name, "pdf")}`}
            aria-invalid=${this.pathError ? "true" : "false"}
            .value=${this.typedPath}
            @input=${(ev: InputEvent) => {
              this.typedPath = (ev.target as HTMLInputElement).value;
              if (this.pathError) {
                this.pathError = "";
                this.app.invalidate();
              }
            }}
          />
          <button type="submit" class="button" data-testid="brief-path-save" ?disabled=${this.saving}>Save</button>
        </div>
        ${this.pathError ? html`<p class="field-error" role="alert">${this.pathError}</p>` : nothing}
      </form>
    </div>`;
  }

  private emptyState(eventId: string): TemplateResult {
    return html`<section class="card brief-empty" data-testid="brief-empty">
      <h2>Nobody to brief you on yet</h2>
      <p>
        The briefing lists the people from your network who will be at the event. Add the attendees you know about: paste or
        choose the organisers' list, or add people by name.
      </p>
      <p class="brief-empty-actions">
        <a class="button primary" href=${href({ name: "event-attendees", id: eventId })}>Match attendee list</a>
        <a class="button" href=${href({ name: "event-edit", id: eventId })}>Add people by name</a>
      </p>
    </section>`;
  }

  private section(testid: string, title: string, intro: string, people: AttendeeBrief[], none: string): TemplateResult {
    const titleId = `${testid}-title`;
    return html`<section class="brief-section" aria-labelledby=${titleId} data-testid=${testid}>
      <div class="section-title-row">
        <h2 id=${titleId}>${title}</h2>
        <span class="muted small">${people.length ? plural(people.length, "person", "people") : ""}</span>
      </div>
      <p class="muted small brief-intro">${people.length ? intro : none}</p>
      ${repeat(people, (p) => p.contact_id, (p) => this.person(p))}
    </section>`;
  }

  private person(p: AttendeeBrief): TemplateResult {
    const now = this.app.now();
    const place = [p.organisation, p.location].filter(Boolean);
    return html`<article class="card brief-person" data-testid="brief-person" data-contact-id=${p.contact_id}>
      <header class="brief-person-head">
        <h3 class="brief-name"><a href=${contactHref(p.contact_id)} data-testid="brief-person-link">${p.name}</a></h3>
        ${place.length ? html`<p class="muted">${place.join(" · ")}</p>` : nothing}
      </header>
      ${p.roles.length ? html`<ul class="brief-roles">${p.roles.map(roleItem)}</ul>` : nothing}
      <dl class="facts brief-facts">
        ${p.how_met ? html`<dt>How you met</dt><dd>${p.how_met}</dd>` : nothing}
        <dt>In person</dt>
        <dd>${p.last_in_person ? html`last met ${formatLocalDate(p.last_in_person)}` : "never met in person"}</dd>
        <dt>Talked</dt>
        <dd>
          ${p.interaction_count
            ? html`${plural(p.interaction_count, "interaction", "interactions")}${p.last_interaction_at
                ? html`, last ${relativeTime(p.last_interaction_at, now)}`
                : nothing}`
            : "nothing logged yet"}
        </dd>
      </dl>
      ${p.open_conversations.length
        ? html`<h4 class="brief-sub">Open conversations</h4>
            <ul class="brief-list">${p.open_conversations.map((c) => openItem(c, now))}</ul>`
        : nothing}
      ${p.suggestions.length
        ? html`<h4 class="brief-sub">Kith suggests</h4>
            <ul class="brief-list">${p.suggestions.map(suggestionItem)}</ul>`
        : nothing}
      ${p.talking_points.length
        ? html`<h4 class="brief-sub">Talking points</h4>
            <ul class="brief-points">
              ${p.talking_points.map((t) => html`<li><span class="brief-topic">${t.topic}</span> <span class="muted small">${t.why}</span></li>`)}
            </ul>`
        : nothing}
      ${p.recently_wrote
        ? html`<h4 class="brief-sub">Recently wrote about</h4>
            <ul class="brief-list">${interactionItem(p.recently_wrote, now)}</ul>`
        : nothing}
      ${p.last_interactions.length
        ? html`<h4 class="brief-sub">Last talked about</h4>
            <ul class="brief-list">${p.last_interactions.map((i) => interactionItem(i, now))}</ul>`
        : nothing}
      ${p.notes ? html`<h4 class="brief-sub">Notes</h4><p class="prose">${p.notes}</p>` : nothing}
      ${p.handles.length ? html`<ul class="handles brief-handles">${p.handles.map((h) => handleItem(this.app, h))}</ul>` : nothing}
    </article>`;
  }

  private likelySection(b: Briefing): TemplateResult {
    const more = b.likely_there_total - b.likely_there.length;
    return html`<section class="brief-section" aria-labelledby="brief-likely-title" data-testid="brief-likely">
      <div class="section-title-row">
        <h2 id="brief-likely-title">Likely there</h2>
        <span class="muted small">${plural(b.likely_there_total, "person", "people")}</span>
      </div>
      <p class="muted small brief-intro">Not on the attendee list, but they may come: here is why.</p>
      ${repeat(b.likely_there, (p) => p.contact_id, (p) => this.likely(p))}
      ${more > 0 ? html`<p class="muted small">And ${plural(more, "other", "others")}, who used the hashtags less.</p>` : nothing}
    </section>`;
  }

  private likely(p: LikelyAttendee): TemplateResult {
    const place = [p.organisation, p.location].filter(Boolean);
    return html`<article class="card brief-person brief-likely" data-testid="brief-likely-person" data-contact-id=${p.contact_id}>
      <header class="brief-person-head">
        <h3 class="brief-name"><a href=${contactHref(p.contact_id)}>${p.name}</a></h3>
        ${place.length ? html`<p class="muted">${place.join(" · ")}</p>` : nothing}
      </header>
      ${p.roles.length ? html`<ul class="brief-roles">${p.roles.map(roleItem)}</ul>` : nothing}
      <ul class="brief-reasons">${p.reasons.map((r) => html`<li>${sentence(reasonText(r))}</li>`)}</ul>
      <p class="muted small">${p.met_in_person ? "You have met in person." : "You have not met in person."}</p>
      ${p.handles.length ? html`<ul class="handles brief-handles">${p.handles.map((h) => handleItem(this.app, h))}</ul>` : nothing}
    </article>`;
  }
}

function roleItem(r: RoleBrief): TemplateResult {
  return html`<li class="brief-role">
    <span class="badge role-${r.kind}">${roleLabel(r.kind)}</span>
    <span>${r.in_words}</span>
    ${r.topics.length ? html`<span class="muted">on ${r.topics.join(", ")}</span>` : nothing}
    <span class="role-ack ${r.acknowledged ? "ack" : "unack"}" data-testid="brief-role-ack" data-acknowledged=${r.acknowledged ? "true" : "false"}>
      ${r.acknowledged ? html`${icon("check")}<span>Acknowledged</span>` : html`${icon("question")}<span>Not acknowledged</span>`}
    </span>
  </li>`;
}

function interactionItem(i: InteractionBrief, now: Date): TemplateResult {
  return html`<li class="brief-entry">
    <span class="brief-entry-meta">
      ${channelIcon(i.channel)} ${directionIcon(i.direction)}
      <time datetime=${i.occurred_at} title=${relativeTime(i.occurred_at, now)}>${formatLocalDate(i.occurred_at)}</time>
      ${i.public ? nothing : html`<span class="visibility private" title="Between you">${icon("lock")}<span class="visually-hidden">Private</span></span>`}
    </span>
    <span class="brief-excerpt">${i.excerpt || html`<span class="muted">No text.</span>`}</span>
  </li>`;
}

function openItem(c: OpenConversation, now: Date): TemplateResult {
  return html`<li class="brief-entry ${c.waiting_on_you ? "is-waiting" : ""}" data-testid="brief-open" data-waiting=${c.waiting_on_you ? "true" : "false"}>
    <span class="brief-entry-meta">
      ${channelIcon(c.channel)}
      ${c.waiting_on_you ? html`<span class="badge waiting">Waiting on you</span>` : nothing}
      ${c.thread ? html`<span class="thread">${icon("link")}<span>${c.thread}</span></span>` : html`<span>${channelLabel(c.channel)}</span>`}
      <span class="muted small">${plural(c.messages, "message", "messages")}, last ${relativeTime(c.last_at, now)}</span>
    </span>
    <span class="brief-excerpt">${c.last_excerpt}</span>
  </li>`;
}

function suggestionItem(s: Suggestion): TemplateResult {
  return html`<li class="brief-suggestion" data-testid="brief-suggestion">
    <p><strong>${suggestionHeadline(s.kind, s.to_channel)}</strong> <span class="muted small">${kindLabel(s.kind)}</span></p>
    <ul class="brief-reasons">${s.reasons.map((r) => html`<li>${sentence(r)}</li>`)}</ul>
  </li>`;
}

function handleItem(app: App, h: Handle): TemplateResult {
  let link: string | null = null;
  if (h.platform === "email") link = mailtoHref(h.value);
  else if (h.platform === "blog" || h.platform === "linkedin" || h.platform === "other") link = safeHttpUrl(h.value);
  const url = link;
  return html`<li class="handle">
    <span class="handle-platform">${platformLabel(h.platform)}</span>
    ${url
      ? html`<a
          href=${url}
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
