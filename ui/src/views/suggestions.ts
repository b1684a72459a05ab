// The Suggestions view: what Kith suggests across the network, best first; who is overdue for
// a note; and the plans the user accepted.

import { html, nothing, type TemplateResult } from "lit-html";
import { repeat } from "lit-html/directives/repeat.js";
import type { FollowUp, KeepInTouchStatus } from "../api";
import { formatDate, localDateString, plural, relativeTime } from "../format";
import { icon } from "../icons";
import { contactHref, href } from "../router";
import { cadenceWords, dueWords, overdueWords, sortFollowUps } from "../suggestions";
import { suggestionCard } from "./suggestion-card";
import type { App } from "../app";

const PAGE = 25;
const OVERDUE_PREVIEW = 5;

export class SuggestionsView {
  private shown = PAGE;

  constructor(private readonly app: App) {}

  template(): TemplateResult {
    const st = this.app.suggestions;
    const visible = st.list.slice(0, this.shown);
    // Timelines label the evidence links and say who has an email address for drafts.
    void st.ensureEvidence([
      ...visible.map((s) => s.contact_id),
      ...st.followUps.flatMap((f) => (f.contact_id ? [f.contact_id] : [])),
    ]);
    const more = st.list.length - visible.length;
    return html`<article class="sg-page" data-testid="suggestions-view">
      <header class="sg-page-header">
        <h1>Suggestions</h1>
        <p class="muted">When a conversation has outgrown where it started, and who to get back in touch with.</p>
      </header>
      <div class="sg-layout">
        <section class="sg-main" id="sg-network" aria-labelledby="sg-list-title">
          <div class="section-title-row">
            <h2 id="sg-list-title" tabindex="-1" data-focus-fallback>Worth doing</h2>
            <span class="muted small" aria-live="polite">${st.loaded && st.list.length ? plural(st.list.length, "suggestion", "suggestions") : ""}</span>
          </div>
          ${!st.loaded
            ? html`<p class="muted">${st.failed ? "Suggestions could not be loaded." : "Reading your interactions…"}</p>`
            : st.list.length === 0
              ? emptyState()
              : html`<ol class="sg-list">
                  ${repeat(visible, (s) => s.id, (s, i) => suggestionCard(this.app, s, i, { showContact: true, listSelector: "#sg-network" }))}
                </ol>`}
          ${more > 0
            ? html`<button type="button" class="button sg-more" @click=${() => {
                this.shown += PAGE;
                this.app.invalidate();
              }}>Show ${plural(Math.min(more, PAGE), "more suggestion", "more suggestions")} (${more.toLocaleString("en")} left)</button>`
            : nothing}
        </section>
        <aside class="sg-side">
          ${this.overdueCard()}
          ${this.followUpsCard()}
        </aside>
      </div>
    </article>`;
  }

  private overdueCard(): TemplateResult {
    const st = this.app.suggestions;
    const overdue = st.overdue;
    const now = this.app.now();
    return html`<section class="card sg-side-card" aria-labelledby="sg-overdue-title" data-testid="overdue-card">
      <h3 id="sg-overdue-title">${icon("clock")}<span>Keep in touch</span></h3>
      ${!st.keepLoaded
        ? html`<p class="muted small">Loading…</p>`
        : overdue.length === 0
          ? html`<p class="muted small">Nobody is overdue. ${st.keep.length ? html`<a href=${href({ name: "keep-in-touch" })}>See everyone with a rhythm</a>` : "Give a contact a keep-in-touch rhythm on their page to be reminded here."}</p>`
          : html`<ul class="kit-mini">
                ${overdue.slice(0, OVERDUE_PREVIEW).map((k) => overdueMini(k, now))}
              </ul>
              <a class="small" href=${href({ name: "keep-in-touch" })}>${overdue.length > OVERDUE_PREVIEW ? `All ${overdue.length} overdue` : "Everyone with a rhythm"}</a>`}
    </section>`;
  }

  private followUpsCard(): TemplateResult {
    const st = this.app.suggestions;
    const today = localDateString(this.app.now());
    const plans = sortFollowUps(st.followUps);
    return html`<section class="card sg-side-card" aria-labelledby="sg-plans-title" data-testid="follow-ups">
      <h3 id="sg-plans-title">${icon("check")}<span>Your plans</span>${plans.length ? html`<span class="sg-count">${plans.length}</span>` : nothing}</h3>
      ${!st.followUpsLoaded
        ? html`<p class="muted small">Loading…</p>`
        : plans.length === 0
          ? html`<p class="muted small">Accept a suggestion to turn it into a plan, with a due date if you like.</p>`
          : html`<ul class="fu-list">${repeat(plans, (f) => f.suggestion_id, (f) => this.followUp(f, today))}</ul>`}
    </section>`;
  }

  private followUp(f: FollowUp, today: string): TemplateResult {
    const st = this.app.suggestions;
    const late = f.due_on !== null && f.due_on < today;
    return html`<li class="fu" data-testid="follow-up">
      <p class="fu-summary">${f.contact_id ? html`<a href=${contactHref(f.contact_id)}>${f.summary}</a>` : f.summary}</p>
      ${f.note ? html`<p class="fu-note prose">${f.note}</p>` : nothing}
      <p class="fu-due small ${late ? "is-late" : ""}">
        ${f.due_on
          ? html`${icon("calendar")}<span>Due ${formatDate(f.due_on)} · ${dueWords(f.due_on, today)}</span>`
          : html`<span class="muted">No due date · accepted ${relativeTime(f.accepted_at, this.app.now())}</span>`}
      </p>
      <div class="fu-actions">
        <button type="button" class="button ghost small" data-testid="follow-up-done" @click=${() => void st.complete(f)}>${icon("check")}<span>Done</span></button>
        ${f.contact_id && st.emails.get(f.contact_id)
          ? html`<button type="button" class="button ghost small" @click=${() => void st.draftFor(f)}>${icon("mail")}<span>Draft an email</span></button>`
          : nothing}
        ${f.due_on
          ? html`<button type="button" class="button ghost small" @click=${() => void st.addToCalendar(f.suggestion_id)}>${icon("calendar")}<span>Add to calendar</span></button>`
          : nothing}
      </div>
    </li>`;
  }
}

function overdueMini(k: KeepInTouchStatus, now: Date): TemplateResult {
  return html`<li>
    <a href=${contactHref(k.contact_id)} class="kit-mini-row" data-testid="overdue-row">
      <span class="kit-name">${k.name}</span>
      <span class="kit-late">${overdueWords(k.overdue_days)}</span>
      <span class="muted small kit-sub">${cadenceWords(k.cadence_days)} · ${k.last_interaction_at ? `last ${relativeTime(k.last_interaction_at, now)}` : "never in touch yet"}</span>
    </a>
  </li>`;
}

function emptyState(): TemplateResult {
  return html`<div class="sg-empty" data-testid="suggestions-empty">
    <p><strong>Nothing to suggest right now.</strong> Kith reads your interactions and speaks up when:</p>
    <ul>
      <li>a public thread has run long, or the posts keep hitting the length limit: email gives it room;</li>
      <li>something sensitive, or a request for mentoring, is being discussed in public;</li>
      <li>you will be at the same event as someone you only know online;</li>
      <li>a message went unanswered, or a burst of emails would settle faster on a call;</li>
      <li>nobody on a mailing list answered your question, and someone you know knows the topic;</li>
      <li>a mentor or peer has gone quiet, or you met someone in person and have not followed up.</li>
    </ul>
    <p class="muted small">Log or import interactions and the suggestions appear here, each with its reasons.</p>
  </div>`;
}
