// Keep in touch: everyone with a rhythm, most overdue first, at a glance. A row opens the
// contact.

import { html, nothing, type TemplateResult } from "lit-html";
import type { KeepInTouchStatus, UpcomingDate } from "../api";
import { daysUntilWords, formatDate, importantDateTitle, importantDateWords, plural, relativeTime } from "../format";
import { contactHref, href } from "../router";
import { cadenceWords, overdueWords } from "../suggestions";
import type { App } from "../app";

export class KeepInTouchView {
  constructor(private readonly app: App) {}

  template(): TemplateResult {
    const st = this.app.suggestions;
    const now = this.app.now();
    const overdue = st.keep.filter((k) => k.overdue_days > 0);
    const upcoming = st.keep.filter((k) => k.overdue_days <= 0);
    return html`<article class="sg-page" data-testid="keep-in-touch-view">
      <header class="sg-page-header">
        <h1>Keep in touch</h1>
        <p class="muted">The people you meant to hear from regularly, and how long it has been.</p>
      </header>
      ${st.dates.length ? this.dates(st.dates) : nothing}
      ${!st.keepLoaded
        ? html`<p class="muted">Loading…</p>`
        : st.keep.length === 0
          ? html`<div class="sg-empty">
              <p><strong>Nobody has a rhythm yet.</strong></p>
              <p>Open a contact, choose Edit and set “Keep in touch every … days”. Kith then shows here who is due and who is overdue, and nudges you on the Suggestions page.</p>
              <p><a href=${href({ name: "contacts" })}>Go to your contacts</a></p>
            </div>`
          : html`
              ${this.section("Overdue", "kit-overdue", overdue, now, "Nobody is overdue. Well kept.")}
              ${upcoming.length ? this.section("Coming up", "kit-upcoming", upcoming, now, "") : nothing}
            `}
    </article>`;
  }

  /** Birthdays, anniversaries and other dates in the next two weeks. */
  private dates(rows: UpcomingDate[]): TemplateResult {
    return html`<section class="kit-section" aria-labelledby="kit-dates" data-testid="upcoming-dates">
      <div class="section-title-row">
        <h2 id="kit-dates">Dates coming up</h2>
        <span class="muted small">the next two weeks</span>
      </div>
      <ul class="kit-list" role="list">
        ${rows.map(
          (u) => html`<li>
            <a href=${contactHref(u.contact_id)} class="kit-row" data-testid="upcoming-date-row">
              <span class="kit-name">${u.name}</span>
              <span class="kit-cadence">${importantDateTitle(u.date)}${u.years !== null ? html` (${u.years})` : nothing}</span>
              <span class="kit-last"><time datetime=${u.on}>${importantDateWords({ ...u.date, year: null })}</time></span>
              <span class="kit-status" title=${formatDate(u.on)}>${daysUntilWords(u.days_until)}</span>
            </a>
          </li>`,
        )}
      </ul>
    </section>`;
  }

  private section(title: string, id: string, rows: KeepInTouchStatus[], now: Date, empty: string): TemplateResult {
    return html`<section class="kit-section" aria-labelledby=${id}>
      <div class="section-title-row">
        <h2 id=${id}>${title}</h2>
        <span class="muted small">${rows.length ? plural(rows.length, "person", "people") : ""}</span>
      </div>
      ${rows.length === 0
        ? html`<p class="muted">${empty}</p>`
        : html`<ul class="kit-list" role="list">
            ${rows.map(
              (k) => html`<li>
                <a href=${contactHref(k.contact_id)} class="kit-row ${k.overdue_days > 0 ? "is-overdue" : ""}" data-testid="keep-in-touch-row">
                  <span class="kit-name">${k.name}</span>
                  <span class="kit-cadence">${cadenceWords(k.cadence_days)}</span>
                  <span class="kit-last">
                    ${k.last_interaction_at
                      ? html`<span class="visually-hidden">Last in touch </span><time datetime=${k.last_interaction_at}>${relativeTime(k.last_interaction_at, now)}</time>`
                      : html`<span class="muted">never in touch yet</span>`}
                  </span>
                  <span class="kit-status" title=${`Due ${formatDate(k.due_on)}`}>${overdueWords(k.overdue_days)}</span>
                </a>
              </li>`,
            )}
          </ul>`}
    </section>`;
  }
}
