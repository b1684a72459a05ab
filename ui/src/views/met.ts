// "Who did you meet?": after an event, tick the people met there (the attendees, or anyone
// else in the network), add a line about each, and log all the meetings at once.

import { html, nothing, type TemplateResult } from "lit-html";
import { repeat } from "lit-html/directives/repeat.js";
import * as api from "../api";
import type { Event as KithEvent } from "../api";
import { logMeetingsLabel, metDefaultDate, metInstant } from "../briefing-words";
import type { ContactRef } from "../drafts";
import { formatDateRange, localDateString, plural } from "../format";
import { icon } from "../icons";
import { contactHref, eventHref } from "../router";
import { ContactPicker } from "./contact-picker";
import type { App } from "../app";
import { SaveFlow } from "./save-flow";

interface Row {
  checked: boolean;
  note: string;
}

export class MetView {
  private eventId: string | null = null;
  private date = "";
  private dateError = "";
  private rows = new Map<string, Row>();
  /** People met who are not on the attendee list, in the order they were picked. */
  private extras: ContactRef[] = [];
  private readonly flow = new SaveFlow(() => this.app);
  private readonly picker: ContactPicker;

  constructor(private readonly app: App) {
    // The picker keeps no chips of its own: a person picked becomes a ticked row below.
    this.picker = new ContactPicker(app, () => [], (refs) => this.picked(refs), "Type the name of someone else you met…");
  }

  /** Opens the form for an event; what was ticked for it is kept until logged. */
  async show(eventId: string): Promise<void> {
    // An event made elsewhere (the CLI, an import) since the list was read.
    if (!this.app.events.some((ev) => ev.id === eventId)) await this.app.data.refreshEvents();
    if (eventId !== this.eventId) {
      this.eventId = eventId;
      this.rows = new Map();
      this.extras = [];
      this.date = "";
      this.dateError = "";
    }
    this.app.invalidate();
  }

  private event(): KithEvent | undefined {
    return this.app.events.find((ev) => ev.id === this.eventId);
  }

  private row(id: string): Row {
    let r = this.rows.get(id);
    if (!r) {
      r = { checked: false, note: "" };
      this.rows.set(id, r);
    }
    return r;
  }

  private picked(refs: ContactRef[]): void {
    const e = this.event();
    for (const ref of refs) {
      if (!e?.attendee_ids.includes(ref.id) && !this.extras.some((x) => x.id === ref.id)) this.extras.push(ref);
      this.row(ref.id).checked = true;
    }
    this.app.invalidate();
  }

  /** Everyone listed: the attendees by name, then the people picked. */
  private people(e: KithEvent): ContactRef[] {
    const attendees = e.attendee_ids.map((id) => ({ id, name: this.app.nameOf(id) })).sort((a, b) => a.name.localeCompare(b.name));
    return [...attendees, ...this.extras.filter((x) => !e.attendee_ids.includes(x.id))];
  }

  private dateValue(e: KithEvent): string {
    return this.date || metDefaultDate(e, localDateString(this.app.now()));
  }

  private async log(e: KithEvent): Promise<void> {
    if (this.flow.saving) return;
    const entries = this.people(e)
      .filter((p) => this.rows.get(p.id)?.checked)
      .map((p) => ({ contact_id: p.id, note: this.rows.get(p.id)?.note.trim() ?? "" }));
    if (entries.length === 0) return;
    const at = metInstant(this.dateValue(e), this.app.now());
    this.dateError = at === null ? "Choose the day you met them." : "";
    await this.flow.save(at === null ? null : { entries, at }, (d) => api.logMet(e.id, d.entries, d.at), {
      invalid: "#met-date",
      then: (logged) => {
        this.rows = new Map();
        this.extras = [];
        this.app.showToast(`Logged ${plural(logged.length, "meeting", "meetings")} at ${e.name}.`);
      },
    });
  }

  template(): TemplateResult {
    const e = this.event();
    if (!e) {
      return html`<div class="pane-hint"><p class="muted">${this.app.eventsLoaded ? "This event no longer exists." : "Loading…"}</p></div>`;
    }
    const people = this.people(e);
    const n = people.filter((p) => this.rows.get(p.id)?.checked).length;
    return html`<article class="brief-page met-page" data-testid="met-page">
      <header class="page-header">
        <a class="brief-back" href=${eventHref(e.id)}>${icon("back")}<span>${e.name}</span></a>
        <div class="page-title">
          <h1>Who did you meet?</h1>
          <p class="muted">${e.name} · ${formatDateRange(e.starts_on, e.ends_on)}</p>
        </div>
      </header>
      <form
        class="met-form"
        novalidate
        @submit=${(ev: SubmitEvent) => {
          ev.preventDefault();
          void this.log(e);
        }}
      >
        <section class="card">
          <h3>People</h3>
          ${people.length
            ? html`<ul class="met-list">
                ${repeat(people, (p) => p.id, (p) => this.personRow(p))}
              </ul>`
            : html`<p class="muted small">Nobody is on the attendee list. Add the people you met below.</p>`}
          <div class="met-picker">${this.picker.template("Someone else you met")}</div>
        </section>
        <div class="field met-date">
          <label for="met-date">The day you met them</label>
          <input
            id="met-date"
            type="date"
            data-testid="met-date"
            aria-invalid=${this.dateError ? "true" : "false"}
            .value=${this.dateValue(e)}
            @input=${(ev: InputEvent) => {
              this.date = (ev.target as HTMLInputElement).value;
              this.dateError = "";
              this.app.invalidate();
            }}
          />
          ${this.dateError ? html`<p class="field-error" role="alert">${this.dateError}</p>` : nothing}
        </div>
        <div class="form-actions">
          <button type="submit" class="button primary" data-testid="met-log-button" ?disabled=${n === 0 || this.flow.saving}>
            ${icon("check")}<span>${logMeetingsLabel(n)}</span>
          </button>
        </div>
      </form>
    </article>`;
  }

  private personRow(p: ContactRef): TemplateResult {
    const r = this.row(p.id);
    const checkId = `met-check-${p.id}`;
    const noteId = `met-note-${p.id}`;
    return html`<li class="met-row ${r.checked ? "is-checked" : ""}" data-testid="met-row" data-contact-id=${p.id}>
      <input
        id=${checkId}
        type="checkbox"
        data-testid="met-check"
        .checked=${r.checked}
        @change=${(ev: UIEvent) => {
          r.checked = (ev.target as HTMLInputElement).checked;
          this.app.invalidate();
        }}
      />
      <label for=${checkId} class="met-name">${p.name}</label>
      <a class="met-link small" href=${contactHref(p.id)} aria-label="Open ${p.name}" title="Open their page">${icon("arrow-right")}</a>
      <input
        id=${noteId}
        class="met-note"
        type="text"
        data-testid="met-note"
        aria-label="What you talked about with ${p.name}"
        placeholder="What you talked about"
        .value=${r.note}
        @input=${(ev: InputEvent) => {
          r.note = (ev.target as HTMLInputElement).value;
          if (r.note.trim() && !r.checked) {
            // Writing a note about someone means you met them.
            r.checked = true;
            this.app.invalidate();
          }
        }}
      />
    </li>`;
  }
}
