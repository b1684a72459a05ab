// Matching an attendee list (pasted, or read from the organisers' file) against the network:
// certain matches are ticked, possible ones wait for a yes, and entries nobody matched can
// become new contacts. The ticked people are then added to the event in one go.

import { html, nothing, type TemplateResult } from "lit-html";
import * as api from "../api";
import type { AttendeeMatch, AttendeesAdded, Event as KithEvent } from "../api";
import { draftFromMatch, groupMatches, matchHowWords } from "../briefing-words";
import { formatDateRange, plural } from "../format";
import { icon } from "../icons";
import { contactHref, eventHref, href } from "../router";
import type { App } from "../app";
import { SaveFlow } from "./save-flow";

interface Person {
  id: string;
  name: string;
}

type Busy = "reading" | "matching" | null;

export class AttendeesView {
  private eventId: string | null = null;
  private text = "";
  private typedPath = "";
  private pathError = "";
  private matches: AttendeeMatch[] | null = null;
  /** Rows (indexes into `matches`) whose person is to be added. */
  private checked = new Set<number>();
  /** Contacts made here from unmatched rows. */
  private created = new Map<number, Person>();
  private creating = new Set<number>();
  private busy: Busy = null;
  private readonly flow = new SaveFlow(() => this.app);
  private result: AttendeesAdded | null = null;

  constructor(private readonly app: App) {}

  /** A file is being read, a list matched, or the attendees saved: the buttons wait. */
  private get working(): boolean {
    return this.busy !== null || this.flow.saving;
  }

  /** Opens the matcher for an event; a list already pasted for it is kept. */
  async show(eventId: string): Promise<void> {
    // An event made elsewhere (the CLI, an import) since the list was read.
    if (!this.app.events.some((ev) => ev.id === eventId)) await this.app.data.refreshEvents();
    if (eventId !== this.eventId) {
      this.eventId = eventId;
      this.text = "";
      this.typedPath = "";
      this.pathError = "";
      this.reset();
    }
    this.app.invalidate();
  }

  private reset(): void {
    this.matches = null;
    this.checked = new Set();
    this.created = new Map();
    this.creating = new Set();
    this.result = null;
  }

  private personOf(i: number): Person | null {
    const made = this.created.get(i);
    if (made) return made;
    const m = this.matches?.[i];
    return m && m.contact_id !== null && m.how !== "none" ? { id: m.contact_id, name: m.contact_name ?? this.app.nameOf(m.contact_id) } : null;
  }

  /** The contacts ticked, each once, in list order. */
  private selectedIds(): string[] {
    const ids: string[] = [];
    for (const i of [...this.checked].sort((a, b) => a - b)) {
      const p = this.personOf(i);
      if (p && !ids.includes(p.id)) ids.push(p.id);
    }
    return ids;
  }

  // -------------------------------------------------------------------------------------------
  // Actions

  private async chooseFile(): Promise<void> {
    let path: string | null;
    try {
      path = await api.chooseFile("attendee_list");
    } catch (e) {
      this.app.showError(e);
      return;
    }
    if (path === null) return;
    this.typedPath = path;
    await this.readFile();
  }

  private async readFile(): Promise<void> {
    const path = this.typedPath.trim();
    if (!path) {
      this.pathError = "Type or paste the path of the list, or choose the file.";
      this.app.invalidate();
      return;
    }
    this.pathError = "";
    this.busy = "reading";
    this.app.invalidate();
    try {
      this.text = await api.readAttendeeList(path);
      this.reset();
      this.app.afterRender(() => document.getElementById("attendee-text")?.focus());
    } catch (e) {
      const err = api.toApiError(e);
      if (err.code === "io" || err.code === "invalid_input" || err.code === "not_found") this.pathError = err.message;
      else this.app.showError(err);
    } finally {
      this.busy = null;
      this.app.invalidate();
    }
  }

  private async match(): Promise<void> {
    if (this.text.trim() === "" || this.busy) return;
    this.busy = "matching";
    this.app.invalidate();
    try {
      const matches = await api.matchAttendees(this.text);
      this.reset();
      this.matches = matches;
      const groups = groupMatches(matches);
      this.checked = new Set(groups.certain);
      this.app.rememberNames(matches.flatMap((m) => (m.contact_id && m.contact_name ? [{ id: m.contact_id, name: m.contact_name }] : [])));
      this.app.afterRender(() => document.getElementById("match-results-title")?.focus());
    } catch (e) {
      this.app.showError(e);
    } finally {
      this.busy = null;
      this.app.invalidate();
    }
  }

  private toggle(i: number, on: boolean): void {
    if (on) this.checked.add(i);
    else this.checked.delete(i);
    this.result = null;
    this.app.invalidate();
  }

  private async createContact(i: number): Promise<void> {
    const m = this.matches?.[i];
    if (!m || this.creating.has(i) || this.created.has(i)) return;
    this.creating.add(i);
    this.app.invalidate();
    try {
      const contact = await api.saveContact(draftFromMatch(m));
      this.created.set(i, { id: contact.id, name: contact.name });
      this.app.rememberNames([contact]);
      this.checked.add(i);
      this.result = null;
      void this.app.dataChanged();
    } catch (e) {
      this.app.showError(e);
    } finally {
      this.creating.delete(i);
      this.app.invalidate();
    }
  }

  private async add(): Promise<void> {
    const id = this.eventId;
    const ids = this.selectedIds();
    if (!id || ids.length === 0 || this.working) return;
    await this.flow.save(ids, (chosen) => api.addAttendees(id, chosen), {
      then: (r) => {
        this.result = r;
        this.app.showToast(
          r.added.length
            ? `Added ${plural(r.added.length, "person", "people")} to ${r.event.name}.`
            : `Everyone ticked was already on the list for ${r.event.name}.`,
        );
      },
    });
  }


  // -------------------------------------------------------------------------------------------
  // Rendering

  template(): TemplateResult {
    const e = this.app.events.find((ev) => ev.id === this.eventId);
    if (!e) {
      return html`<div class="pane-hint"><p class="muted">${this.app.eventsLoaded ? "This event no longer exists." : "Loading…"}</p></div>`;
    }
    return html`<article class="brief-page attendees-page" data-testid="attendees-page">
      <header class="page-header">
        <a class="brief-back" href=${eventHref(e.id)}>${icon("back")}<span>${e.name}</span></a>
        <div class="page-title">
          <h1>Match an attendee list</h1>
          <p class="muted">${e.name} · ${formatDateRange(e.starts_on, e.ends_on)}</p>
        </div>
      </header>
      ${this.input()} ${this.matches ? this.results(e) : nothing}
    </article>`;
  }

  private input(): TemplateResult {
    return html`<section class="card attendee-input">
      <div class="field">
        <label for="attendee-text">The list: one person per line (a name, an email address or a handle), or the organisers' CSV</label>
        <textarea
          id="attendee-text"
          rows="8"
          spellcheck="false"
          data-testid="attendee-text"
          placeholder=${"Ana Lima <ana@example.org>\n@someone@glammr.us\nsomeone.bsky.social"}
          .value=${this.text}
          @input=${(ev: InputEvent) => {
            this.text = (ev.target as HTMLTextAreaElement).value;
          }}
        ></textarea>
      </div>
      <div class="field">
        <label for="attendee-path">Or read it from a file</label>
        <div class="brief-path-row">
          <input
            id="attendee-path"
            type="text"
            spellcheck="false"
            autocomplete="off"
            placeholder="/home/you/attendees.csv"
            data-testid="attendee-path-input"
            aria-invalid=${this.pathError ? "true" : "false"}
            .value=${this.typedPath}
            @input=${(ev: InputEvent) => {
              this.typedPath = (ev.target as HTMLInputElement).value;
              if (this.pathError) {
                this.pathError = "";
                this.app.invalidate();
              }
            }}
            @keydown=${(ev: KeyboardEvent) => {
              if (ev.key === "Enter") {
                ev.preventDefault();
                void this.readFile();
              }
            }}
          />
          <button type="button" class="button" data-testid="attendee-path-load" ?disabled=${this.working} @click=${() => void this.readFile()}>
            Read
          </button>
          <button type="button" class="button" data-testid="attendee-choose-file" ?disabled=${this.working} @click=${() => void this.chooseFile()}>
            Choose file…
          </button>
        </div>
        ${this.pathError ? html`<p class="field-error" role="alert" data-testid="attendee-path-error">${this.pathError}</p>` : nothing}
      </div>
      <div class="form-actions">
        <button type="button" class="button primary" data-testid="attendee-match-button" ?disabled=${this.working} @click=${() => void this.match()}>
          ${this.busy === "matching" ? "Matching…" : "Match"}
        </button>
      </div>
    </section>`;
  }

  private results(e: KithEvent): TemplateResult {
    const matches = this.matches ?? [];
    const groups = groupMatches(matches);
    const n = this.selectedIds().length;
    const r = this.result;
    return html`<section class="match-results" aria-labelledby="match-results-title">
      <div class="section-title-row">
        <h2 id="match-results-title" tabindex="-1">${matches.length ? plural(matches.length, "entry", "entries") : "Nothing to match"}</h2>
        <span class="muted small">${matches.length ? `${groups.certain.length} matched · ${groups.possible.length} possible · ${groups.none.length} not in your network` : "The list has no entries."}</span>
      </div>
      ${groups.certain.length ? this.group("match-certain", "Matched", "People in your network, found by address, handle or name.", groups.certain, e) : nothing}
      ${groups.possible.length ? this.group("match-possible", "Possible matches", "Tick the ones that are the same person.", groups.possible, e) : nothing}
      ${groups.none.length ? this.group("match-none", "Not in your network", "Add the people you want to know as new contacts.", groups.none, e) : nothing}
      ${matches.length
        ? html`<div class="match-footer">
            <button type="button" class="button primary" data-testid="add-attendees-button" ?disabled=${n === 0 || this.working} @click=${() => void this.add()}>
              ${icon("plus")}<span>${n === 1 ? "Add 1 to the event" : `Add ${n.toLocaleString("en")} to the event`}</span>
            </button>
            ${r
              ? html`<p class="small" role="status" data-testid="attendees-result">
                  ${plural(r.added.length, "person", "people")} added${r.already.length ? html`; ${r.already.length.toLocaleString("en")} ${r.already.length === 1 ? "was" : "were"} already on the list` : nothing}.
                  <a href=${href({ name: "event-brief", id: e.id })}>See the briefing</a>
                </p>`
              : nothing}
          </div>`
        : nothing}
    </section>`;
  }

  private group(testid: string, title: string, intro: string, rows: number[], e: KithEvent): TemplateResult {
    return html`<div class="card match-group" data-testid=${testid}>
      <h3>${title} (${rows.length})</h3>
      <p class="muted small">${intro}</p>
      <ul class="match-list">${rows.map((i) => this.row(i, e))}</ul>
    </div>`;
  }

  private row(i: number, e: KithEvent): TemplateResult {
    const m = this.matches![i]!;
    const person = this.personOf(i);
    const checkId = `match-check-${i}`;
    const already = person !== null && e.attendee_ids.includes(person.id);
    const checkbox = person
      ? html`<input
          id=${checkId}
          type="checkbox"
          data-testid="match-check"
          .checked=${this.checked.has(i)}
          @change=${(ev: UIEvent) => this.toggle(i, (ev.target as HTMLInputElement).checked)}
        />`
      : nothing;
    let label: TemplateResult;
    if (person && this.created.has(i)) {
      label = html`<span>New contact <a href=${contactHref(person.id)}>${person.name}</a></span>`;
    } else if (person && m.how === "possible") {
      label = html`<span>Is this <a href=${contactHref(person.id)}>${person.name}</a>?</span>`;
    } else if (person) {
      label = html`<span><a href=${contactHref(person.id)}>${person.name}</a> <span class="muted small">${matchHowWords(m.how)}</span></span>`;
    } else {
      label = html`<span class="muted">${m.name ?? "No name"}${m.emails.length || m.handles.length ? html` · ${[...m.emails, ...m.handles].join(", ")}` : nothing}</span>`;
    }
    return html`<li class="match-row" data-testid="match-row" data-how=${m.how}>
      ${person ? html`<label class="match-check" for=${checkId}>${checkbox}</label>` : html`<span class="match-check" aria-hidden="true"></span>`}
      <div class="match-main">
        <span class="match-entry">${m.entry}</span>
        ${person ? html`<label for=${checkId} class="match-who">${label}</label>` : html`<span class="match-who">${label}</span>`}
        ${already ? html`<span class="badge">on the list</span>` : nothing}
      </div>
      ${!person
        ? html`<button
            type="button"
            class="button small"
            data-testid="match-add-contact"
            ?disabled=${this.creating.has(i)}
            @click=${() => void this.createContact(i)}
          >
            ${icon("plus")}<span>Add as new contact</span>
          </button>`
        : nothing}
    </li>`;
  }
}
