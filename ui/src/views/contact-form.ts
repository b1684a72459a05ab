// Adding or editing a contact: every field of the draft, with editors for handles and roles.

import { html, nothing, type TemplateResult } from "lit-html";
import * as api from "../api";
import type { DateKind, Platform, RoleDirection, RoleKind } from "../api";
import {
  contactToForm,
  emptyContactForm,
  validateContactForm,
  type ContactForm,
  type DateRow,
  type Errors,
  type HandleRow,
  type RoleRow,
} from "../drafts";
import {
  DATE_KINDS,
  PLATFORMS,
  dateKindLabel,
  ROLE_DIRECTIONS,
  ROLE_KINDS,
  defaultRoleDirection,
  platformLabel,
  roleDirectionWords,
  roleLabel,
} from "../format";
import { icon } from "../icons";
import { navigate } from "../router";
import type { App } from "../app";
import { Latest } from "../latest";
import { SaveFlow } from "./save-flow";

type TextKey =
  | "name"
  | "organisation"
  | "location"
  | "met_where"
  | "met_on"
  | "met_through"
  | "notes"
  | "private_notes"
  | "tags"
  | "expertise"
  | "cadence_days";

export class ContactFormView {
  private form: ContactForm = emptyContactForm();
  private errors: Errors = {};
  private readonly flow = new SaveFlow(() => this.app);
  private loading = false;
  private readonly latest = new Latest();

  constructor(private readonly app: App) {}

  startNew(): void {
    this.latest.cancel();
    this.form = emptyContactForm();
    this.errors = {};
    this.loading = false;
    this.app.afterRender(() => this.focusName());
  }

  async startEdit(id: string): Promise<void> {
    const turn = this.latest.begin();
    this.errors = {};
    this.loading = true;
    this.app.invalidate();
    try {
      const detail = await api.getContact(id);
      if (!turn.current()) return;
      this.form = contactToForm(detail.contact);
      this.loading = false;
      this.app.afterRender(() => this.focusName());
    } catch (e) {
      if (!turn.current()) return;
      this.app.showError(e);
      navigate({ name: "contacts" });
    }
  }

  private focusName(): void {
    document.querySelector<HTMLInputElement>("[data-testid=contact-name-input]")?.focus();
  }

  private update(patch: Partial<ContactForm>): void {
    this.form = { ...this.form, ...patch };
    this.app.invalidate();
  }

  private setText(key: TextKey, value: string): void {
    this.update({ [key]: value } as Partial<ContactForm>);
    if (this.errors[key]) {
      delete this.errors[key];
    }
  }

  private setHandle(i: number, patch: Partial<HandleRow>): void {
    const handles = this.form.handles.map((h, n) => (n === i ? { ...h, ...patch } : h));
    delete this.errors[`handle-${i}`];
    this.update({ handles });
  }

  private setRole(i: number, patch: Partial<RoleRow>): void {
    const roles = this.form.roles.map((r, n) => (n === i ? { ...r, ...patch } : r));
    this.update({ roles });
  }

  private setDate(i: number, patch: Partial<DateRow>): void {
    const dates = this.form.dates.map((d, n) => (n === i ? { ...d, ...patch } : d));
    delete this.errors[`date-${i}`];
    this.update({ dates });
  }

  private addDate(): void {
    const kind: DateKind = this.form.dates.some((d) => d.kind === "birthday") ? "anniversary" : "birthday";
    this.update({ dates: [...this.form.dates, { kind, label: "", month: "1", day: "", year: "" }] });
    const i = this.form.dates.length - 1;
    this.app.afterRender(() => document.getElementById(`date-day-${i}`)?.focus());
  }

  private datesEditor(): TemplateResult {
    const months = Array.from({ length: 12 }, (_, m) =>
      new Intl.DateTimeFormat(undefined, { month: "long", timeZone: "UTC" }).format(new Date(Date.UTC(2000, m, 1))),
    );
    return html`<fieldset class="editor" data-testid="dates-editor">
      <legend>Important dates</legend>
      ${this.form.dates.length === 0
        ? html`<p class="muted small">Birthdays, anniversaries and other days to remember; the year can stay empty.</p>`
        : nothing}
      ${this.form.dates.map((d, i) => {
        const err = this.errors[`date-${i}`];
        return html`<div class="date-editor">
          <div class="editor-row">
            <div class="field">
              <label for="date-kind-${i}">What</label>
              <select
                id="date-kind-${i}"
                .value=${d.kind}
                @change=${(e: Event) => this.setDate(i, { kind: (e.target as HTMLSelectElement).value as DateKind })}
              >
                ${DATE_KINDS.map((k) => html`<option value=${k} ?selected=${k === d.kind}>${dateKindLabel(k)}</option>`)}
              </select>
            </div>
            <div class="field">
              <label for="date-day-${i}">Day</label>
              <input
                id="date-day-${i}"
                type="text"
                inputmode="numeric"
                size="3"
                data-testid="date-day"
                aria-invalid=${err ? "true" : "false"}
                class=${err ? "has-error" : ""}
                .value=${d.day}
                @input=${(e: InputEvent) => this.setDate(i, { day: (e.target as HTMLInputElement).value })}
              />
            </div>
            <div class="field">
              <label for="date-month-${i}">Month</label>
              <select
                id="date-month-${i}"
                data-testid="date-month"
                .value=${d.month}
                @change=${(e: Event) => this.setDate(i, { month: (e.target as HTMLSelectElement).value })}
              >
                ${months.map((name, m) => html`<option value=${String(m + 1)} ?selected=${String(m + 1) === d.month}>${name}</option>`)}
              </select>
            </div>
            <div class="field">
              <label for="date-year-${i}">Year <span class="muted">(if known)</span></label>
              <input
                id="date-year-${i}"
                type="text"
                inputmode="numeric"
                size="5"
                data-testid="date-year"
                .value=${d.year}
                @input=${(e: InputEvent) => this.setDate(i, { year: (e.target as HTMLInputElement).value })}
              />
            </div>
            <button
              type="button"
              class="icon-button align-end"
              aria-label="Remove this date"
              title="Remove"
              @click=${() => {
                this.errors = {};
                this.update({ dates: this.form.dates.filter((_, n) => n !== i) });
              }}
            >
              ${icon("trash")}
            </button>
          </div>
          <div class="field">
            <label for="date-label-${i}">Label</label>
            <input
              id="date-label-${i}"
              type="text"
              placeholder=${d.kind === "other" ? "e.g. joined the library" : "optional"}
              .value=${d.label}
              @input=${(e: InputEvent) => this.setDate(i, { label: (e.target as HTMLInputElement).value })}
            />
          </div>
          ${err ? html`<p class="field-error editor-error" role="alert">${err}</p>` : nothing}
        </div>`;
      })}
      <button type="button" class="button ghost small" data-testid="add-date" @click=${() => this.addDate()}>${icon("plus")}<span>Add a date</span></button>
    </fieldset>`;
  }

  private addHandle(): void {
    const used = new Set(this.form.handles.map((h) => h.platform));
    const platform = PLATFORMS.find((p) => !used.has(p)) ?? "other";
    this.update({ handles: [...this.form.handles, { platform, value: "" }] });
    const i = this.form.handles.length - 1;
    this.app.afterRender(() => document.getElementById(`handle-value-${i}`)?.focus());
  }

  private addRole(): void {
    const used = new Set(this.form.roles.map((r) => r.kind));
    const kind: RoleKind = ROLE_KINDS.find((k) => !used.has(k)) ?? "peer";
    this.update({
      roles: [...this.form.roles, { kind, direction: defaultRoleDirection(kind), topics: "", acknowledged: false }],
    });
    const i = this.form.roles.length - 1;
    this.app.afterRender(() => document.getElementById(`role-kind-${i}`)?.focus());
  }

  private cancel(): void {
    if (this.form.id) navigate({ name: "contact", id: this.form.id });
    else navigate({ name: "contacts" });
  }

  private async save(): Promise<void> {
    if (this.flow.saving) return;
    const { draft, errors } = validateContactForm(this.form);
    this.errors = errors;
    await this.flow.save(draft, api.saveContact, {
      invalid: ".contact-form [aria-invalid=true]",
      then: (saved) => {
        this.app.rememberNames([saved]);
        navigate({ name: "contact", id: saved.id });
      },
      refreshed: (saved) => this.app.contacts.reveal(saved.id),
    });
  }

  private text(
    key: TextKey,
    label: string,
    opts: { placeholder?: string; type?: string; testid?: string; hint?: string; autofocus?: boolean } = {},
  ): TemplateResult {
    const err = this.errors[key];
    const id = `cf-${key}`;
    return html`<div class="field">
      <label for=${id}>${label}</label>
      <input
        id=${id}
        type=${opts.type ?? "text"}
        data-testid=${opts.testid ?? nothing}
        placeholder=${opts.placeholder ?? ""}
        aria-invalid=${err ? "true" : "false"}
        aria-describedby=${err ? `${id}-error` : nothing}
        class=${err ? "has-error" : ""}
        .value=${this.form[key]}
        @input=${(e: InputEvent) => this.setText(key, (e.target as HTMLInputElement).value)}
      />
      ${opts.hint && !err ? html`<p class="field-hint">${opts.hint}</p>` : nothing}
      ${err ? html`<p class="field-error" id="${id}-error" role="alert">${err}</p>` : nothing}
    </div>`;
  }

  private area(key: TextKey, label: string, rows: number, placeholder = ""): TemplateResult {
    const id = `cf-${key}`;
    return html`<div class="field">
      <label for=${id}>${label}</label>
      <textarea
        id=${id}
        rows=${rows}
        placeholder=${placeholder}
        .value=${this.form[key]}
        @input=${(e: InputEvent) => this.setText(key, (e.target as HTMLTextAreaElement).value)}
      ></textarea>
    </div>`;
  }

  private handlesEditor(): TemplateResult {
    return html`<fieldset class="editor">
      <legend>Handles</legend>
      ${this.form.handles.length === 0 ? html`<p class="muted small">Where you can reach them: a Mastodon handle, an email address, a blog.</p>` : nothing}
      ${this.form.handles.map((h, i) => {
        const err = this.errors[`handle-${i}`];
        return html`<div class="editor-row">
          <label class="visually-hidden" for="handle-platform-${i}">Platform</label>
          <select
            id="handle-platform-${i}"
            .value=${h.platform}
            @change=${(e: Event) => this.setHandle(i, { platform: (e.target as HTMLSelectElement).value as Platform })}
          >
            ${PLATFORMS.map((p) => html`<option value=${p} ?selected=${p === h.platform}>${platformLabel(p)}</option>`)}
          </select>
          <label class="visually-hidden" for="handle-value-${i}">Handle</label>
          <input
            id="handle-value-${i}"
            type="text"
            spellcheck="false"
            placeholder=${handlePlaceholder(h.platform)}
            aria-invalid=${err ? "true" : "false"}
            class=${err ? "has-error" : ""}
            .value=${h.value}
            @input=${(e: InputEvent) => this.setHandle(i, { value: (e.target as HTMLInputElement).value })}
          />
          <button
            type="button"
            class="icon-button"
            aria-label="Remove this handle"
            title="Remove"
            @click=${() => {
              this.errors = {};
              this.update({ handles: this.form.handles.filter((_, n) => n !== i) });
            }}
          >
            ${icon("trash")}
          </button>
          ${err ? html`<p class="field-error editor-error" role="alert">${err}</p>` : nothing}
        </div>`;
      })}
      <button type="button" class="button ghost small" @click=${() => this.addHandle()}>${icon("plus")}<span>Add a handle</span></button>
    </fieldset>`;
  }

  private rolesEditor(): TemplateResult {
    return html`<fieldset class="editor">
      <legend>Roles</legend>
      ${this.form.roles.length === 0
        ? html`<p class="muted small">Is this person a mentor, a peer or an expert to you? Mentoring can go either way.</p>`
        : nothing}
      ${this.form.roles.map(
        (r, i) => html`<div class="role-editor">
          <div class="editor-row">
            <div class="field">
              <label for="role-kind-${i}">Role</label>
              <select
                id="role-kind-${i}"
                .value=${r.kind}
                @change=${(e: Event) => {
                  const kind = (e.target as HTMLSelectElement).value as RoleKind;
                  this.setRole(i, { kind, direction: defaultRoleDirection(kind) });
                }}
              >
                ${ROLE_KINDS.map((k) => html`<option value=${k} ?selected=${k === r.kind}>${roleLabel(k)}</option>`)}
              </select>
            </div>
            <div class="field">
              <label for="role-direction-${i}">Direction</label>
              <select
                id="role-direction-${i}"
                .value=${r.direction}
                @change=${(e: Event) => this.setRole(i, { direction: (e.target as HTMLSelectElement).value as RoleDirection })}
              >
                ${ROLE_DIRECTIONS.map(
                  (d) => html`<option value=${d} ?selected=${d === r.direction}>${capitalise(roleDirectionWords(d))}</option>`,
                )}
              </select>
            </div>
            <button
              type="button"
              class="icon-button align-end"
              aria-label="Remove this role"
              title="Remove"
              @click=${() => this.update({ roles: this.form.roles.filter((_, n) => n !== i) })}
            >
              ${icon("trash")}
            </button>
          </div>
          <div class="field">
            <label for="role-topics-${i}">Topics</label>
            <input
              id="role-topics-${i}"
              type="text"
              placeholder="e.g. Koha serials, career (empty means in general)"
              .value=${r.topics}
              @input=${(e: InputEvent) => this.setRole(i, { topics: (e.target as HTMLInputElement).value })}
            />
          </div>
          <label class="check">
            <input
              type="checkbox"
              .checked=${r.acknowledged}
              @change=${(e: Event) => this.setRole(i, { acknowledged: (e.target as HTMLInputElement).checked })}
            />
            <span>Both of you know about this role</span>
          </label>
        </div>`,
      )}
      <button type="button" class="button ghost small" @click=${() => this.addRole()}>${icon("plus")}<span>Add a role</span></button>
    </fieldset>`;
  }

  template(): TemplateResult {
    if (this.loading) return html`<div class="pane-hint"><p class="muted">Loading…</p></div>`;
    const editing = this.form.id !== null;
    return html`<form
      class="form contact-form page-form"
      novalidate
      aria-labelledby="contact-form-title"
      @submit=${(e: SubmitEvent) => {
        e.preventDefault();
        void this.save();
      }}
    >
      <header class="form-header">
        <h1 id="contact-form-title">${editing ? `Edit ${this.form.name.trim() || "contact"}` : "New contact"}</h1>
      </header>
      <section class="form-section">
        ${this.text("name", "Name", { testid: "contact-name-input", placeholder: "Full name" })}
        <div class="field-row">
          ${this.text("organisation", "Organisation", { placeholder: "Library, school, company" })}
          ${this.text("location", "Location", { placeholder: "City, region" })}
        </div>
      </section>
      <section class="form-section">${this.rolesEditor()}</section>
      <section class="form-section">${this.handlesEditor()}</section>
      <section class="form-section">${this.datesEditor()}</section>
      <section class="form-section">
        <h2 class="form-section-title">How you met</h2>
        <div class="field-row three">
          ${this.text("met_where", "Where", { placeholder: "A conference, a hashtag, a listserv" })}
          ${this.text("met_on", "When", { type: "date" })}
          ${this.text("met_through", "Through", { placeholder: "A person, a chat, a thread" })}
        </div>
      </section>
      <section class="form-section">
        ${this.area("notes", "Notes", 4, "What they work on, what you talk about")}
        <div class="field confidential-field">
          <label for="cf-private_notes">${icon("lock")}<span>Private notes</span><span class="confidential-label">Confidential</span></label>
          <textarea
            id="cf-private_notes"
            rows="3"
            placeholder="Only for you. Never included in exports meant for sharing."
            .value=${this.form.private_notes}
            @input=${(e: InputEvent) => this.setText("private_notes", (e.target as HTMLTextAreaElement).value)}
          ></textarea>
        </div>
        <div class="field-row">
          ${this.text("expertise", "Knows about", { placeholder: "Separate with commas" })}
          ${this.text("tags", "Tags", { placeholder: "Separate with commas" })}
        </div>
        ${this.text("cadence_days", "Keep in touch every … days", {
          type: "text",
          placeholder: "e.g. 30",
          hint: "Leave empty to use the usual rhythm for their roles.",
        })}
      </section>
      <div class="form-actions">
        <button type="button" class="button" @click=${() => this.cancel()}>Cancel</button>
        <button type="submit" class="button primary" data-testid="contact-save" ?disabled=${this.flow.saving}>
          ${this.flow.saving ? "Saving…" : editing ? "Save changes" : "Add contact"}
        </button>
      </div>
    </form>`;
  }
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function handlePlaceholder(p: Platform): string {
  switch (p) {
    case "twitter":
      return "@name";
    case "mastodon":
      return "@name@instance.social";
    case "bluesky":
      return "name.bsky.social";
    case "email":
      return "name@example.org";
    case "blog":
      return "https://example.org";
    case "linkedin":
      return "https://www.linkedin.com/in/name";
    case "phone":
      return "+1 555 0100";
    case "other":
      return "Anything that reaches them";
  }
}
