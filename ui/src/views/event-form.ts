// Adding or editing an event, including who is going.

import { html, nothing, type TemplateResult } from "lit-html";
import * as api from "../api";
import type { EventKind } from "../api";
import { emptyEventForm, eventToForm, validateEventForm, type Errors, type EventForm } from "../drafts";
import { EVENT_KINDS, eventKindLabel, localDateString } from "../format";
import { navigate } from "../router";
import { ContactPicker } from "./contact-picker";
import type { App } from "../app";
import { SaveFlow } from "./save-flow";

type TextKey = "name" | "starts_on" | "ends_on" | "location" | "hashtags" | "notes";

export class EventFormView {
  private form: EventForm;
  private errors: Errors = {};
  private readonly flow = new SaveFlow(() => this.app);
  private readonly picker: ContactPicker;

  constructor(private readonly app: App) {
    this.form = emptyEventForm(localDateString(app.now()));
    this.picker = new ContactPicker(
      app,
      () => this.form.attendees,
      (refs) => {
        this.form = { ...this.form, attendees: refs };
      },
      "Type a name to add an attendee…",
    );
  }

  startNew(): void {
    this.form = emptyEventForm(localDateString(this.app.now()));
    this.errors = {};
    this.app.afterRender(() => document.getElementById("ef-name")?.focus());
  }

  async startEdit(id: string): Promise<void> {
    const e = this.app.events.find((ev) => ev.id === id);
    if (!e) {
      this.app.showError(new api.ApiError("not_found", "That event no longer exists."));
      navigate({ name: "events" });
      return;
    }
    await this.app.data.ensureNames(e.attendee_ids);
    this.form = eventToForm(e, (cid) => this.app.nameOf(cid));
    this.errors = {};
    this.app.afterRender(() => document.getElementById("ef-name")?.focus());
  }

  private set(key: TextKey, value: string): void {
    this.form = { ...this.form, [key]: value };
    delete this.errors[key];
    this.app.invalidate();
  }

  private async save(): Promise<void> {
    if (this.flow.saving) return;
    const { draft, errors } = validateEventForm(this.form);
    this.errors = errors;
    await this.flow.save(draft, api.saveEvent, {
      invalid: ".page-form [aria-invalid=true]",
      then: (saved) => navigate({ name: "event", id: saved.id }),
    });
  }

  private input(key: TextKey, label: string, type = "text", placeholder = ""): TemplateResult {
    const err = this.errors[key];
    return html`<div class="field">
      <label for="ef-${key}">${label}</label>
      <input
        id="ef-${key}"
        type=${type}
        placeholder=${placeholder}
        aria-invalid=${err ? "true" : "false"}
        class=${err ? "has-error" : ""}
        .value=${this.form[key]}
        @input=${(e: InputEvent) => this.set(key, (e.target as HTMLInputElement).value)}
      />
      ${err ? html`<p class="field-error" role="alert">${err}</p>` : nothing}
    </div>`;
  }

  template(): TemplateResult {
    const f = this.form;
    const editing = f.id !== null;
    return html`<form
      class="form page-form"
      novalidate
      @submit=${(e: SubmitEvent) => {
        e.preventDefault();
        void this.save();
      }}
    >
      <header class="form-header"><h1>${editing ? "Edit event" : "New event"}</h1></header>
      <section class="form-section">
        <div class="field-row">
          ${this.input("name", "Name", "text", "e.g. Code4Lib 2025")}
          <div class="field">
            <label for="ef-kind">Kind</label>
            <select
              id="ef-kind"
              .value=${f.kind}
              @change=${(e: Event) => {
                this.form = { ...this.form, kind: (e.target as HTMLSelectElement).value as EventKind };
                this.app.invalidate();
              }}
            >
              ${EVENT_KINDS.map((k) => html`<option value=${k} ?selected=${k === f.kind}>${eventKindLabel(k)}</option>`)}
            </select>
          </div>
        </div>
        <div class="field-row three">
          ${this.input("starts_on", "Starts", "date")} ${this.input("ends_on", "Ends (optional)", "date")}
          ${this.input("location", "Location", "text", "City, or online")}
        </div>
        ${this.input("hashtags", "Hashtags", "text", "#code4lib #c4l25")}
        <div class="field">
          <label for="ef-notes">Notes</label>
          <textarea
            id="ef-notes"
            rows="3"
            .value=${f.notes}
            @input=${(e: InputEvent) => this.set("notes", (e.target as HTMLTextAreaElement).value)}
          ></textarea>
        </div>
        ${this.picker.template("Attendees you know")}
      </section>
      <div class="form-actions">
        <button type="button" class="button" @click=${() => navigate(editing && f.id ? { name: "event", id: f.id } : { name: "events" })}>
          Cancel
        </button>
        <button type="submit" class="button primary" ?disabled=${this.flow.saving}>
          ${this.flow.saving ? "Saving…" : editing ? "Save changes" : "Add event"}
        </button>
      </div>
    </form>`;
  }
}
