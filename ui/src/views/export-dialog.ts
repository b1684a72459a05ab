// Exporting: everyone, people with a tag, or chosen people, in a format other tools read.
// Private notes and private interactions stay out unless the person turns the switch on; a file
// that is already there is only replaced after asking.

import { html, nothing, type TemplateResult } from "lit-html";
import * as api from "../api";
import { toApiError, type ApiError } from "../api";
import type { ExportRequest, ExportScope } from "../api";
import type { ContactRef } from "../drafts";
import { CHOICES, OVERDUE_DAYS_KEPT, choiceInfo, describeExport, optionsFor, suggestedName, type ExportChoice } from "../export-choices";
import { icon } from "../icons";
import type { App } from "../app";
import { ContactPicker } from "./contact-picker";
import { dialogFrame, type DialogView } from "./dialog";
import { SaveFlow } from "./save-flow";

type ScopeKind = ExportScope["kind"];

export class ExportDialog implements DialogView {
  private choice: ExportChoice = "markdown-folder";
  private scopeKind: ScopeKind;
  private tag: string;
  private people: ContactRef[];
  private includePrivate = false;
  private csvBom = false;
  private includeOverdue = false;
  /** Where to write: empty until the person chooses or types a full path. */
  private path = "";
  /** The name offered in the save dialog. */
  private suggested = "";
  private readonly flow = new SaveFlow(() => this.app);
  private error: string | null = null;
  private result: string | null = null;
  private readonly picker: ContactPicker;

  constructor(
    private readonly app: App,
    initial: { people?: ContactRef[]; tag?: string } = {},
  ) {
    this.people = initial.people ?? [];
    this.tag = initial.tag ?? app.tags[0] ?? "";
    this.scopeKind = this.people.length ? "contacts" : initial.tag ? "tag" : "everyone";
    this.picker = new ContactPicker(
      app,
      () => this.people,
      (refs) => {
        this.people = refs;
        this.suggestPath();
      },
      "Type a name to add someone…",
    );
    this.suggestPath();
  }

  focusFirst(): void {
    document.querySelector<HTMLInputElement>("[data-testid=export-format] input:checked")?.focus();
  }

  private scope(): ExportScope {
    if (this.choice === "json") return { kind: "everyone" };
    switch (this.scopeKind) {
      case "everyone":
        return { kind: "everyone" };
      case "tag":
        return { kind: "tag", tag: this.tag };
      case "contacts":
        return { kind: "contacts", ids: this.people.map((p) => p.id) };
    }
  }

  /** The name the save dialog offers, from the format and who is exported. */
  private suggestPath(): void {
    const one = this.people.length === 1 ? (this.people[0]?.name ?? null) : null;
    this.suggested = suggestedName(this.choice, this.scope(), one);
    this.app.invalidate();
  }

  private async browse(): Promise<void> {
    const info = choiceInfo(this.choice);
    try {
      const picked = await api.chooseSavePath(info.target, this.suggested || info.fileName);
      if (picked) {
        this.path = picked;
        this.error = null;
      }
    } catch (e) {
      this.error = toApiError(e).message;
    }
    this.app.invalidate();
  }

  private async run(overwrite = false): Promise<void> {
    if (this.flow.saving) return;
    const scope = this.scope();
    this.error =
      scope.kind === "contacts" && scope.ids.length === 0
        ? "Choose at least one person to export."
        : scope.kind === "tag" && !scope.tag
          ? "Choose a tag."
          : !this.path.trim()
            ? "Choose where to save the export (Choose…), or type a full path."
            : null;
    const request: ExportRequest | null =
      this.error === null
        ? {
            kind: choiceInfo(this.choice).kind,
            scope,
            options: optionsFor(this.choice, this.includePrivate, this.csvBom, this.includeOverdue),
            path: this.path.trim(),
            overwrite,
          }
        : null;
    let exists = null as ApiError | null;
    await this.flow.save(request, (r) => api.exportData(r), {
      then: (done) => (this.result = describeExport(done, this.choice)),
      failed: (err) => {
        if (err.code === "exists" && !overwrite) exists = err;
        else this.error = err.message;
      },
    });
    if (exists === null) return;
    // The file is there: ask before replacing it, with the flow free again.
    const replace = await this.app.confirm({
      title: "Replace what is there?",
      message: exists.message.replace(/; nothing was written\..*$/, "."),
      confirmLabel: "Replace",
    });
    if (replace) return this.run(true);
    this.error = "Nothing was written. Choose another name or folder.";
    this.app.invalidate();
  }


  private setChoice(choice: ExportChoice): void {
    this.choice = choice;
    this.result = null;
    this.error = null;
    this.suggestPath();
  }

  private setScope(kind: ScopeKind): void {
    this.scopeKind = kind;
    this.suggestPath();
  }

  private body(): TemplateResult {
    if (this.result) {
      return html`<div class="export-done" data-testid="export-result">
        <p class="export-done-line">${icon("check")}<span>${this.result}</span></p>
        <div class="dialog-actions">
          <button type="button" class="button" @click=${() => (this.result = null, this.app.invalidate())}>Export something else</button>
          <button type="button" class="button primary" data-testid="export-close" @click=${() => this.app.closeDialog()}>Done</button>
        </div>
      </div>`;
    }
    const json = this.choice === "json";
    const sharing = !json;
    return html`<form
      class="form export-form"
      @submit=${(e: SubmitEvent) => {
        e.preventDefault();
        void this.run();
      }}
    >
      <fieldset class="export-formats" data-testid="export-format">
        <legend>Format</legend>
        ${CHOICES.map(
          (c) => html`<label class="export-format ${c.choice === this.choice ? "is-checked" : ""}">
            <input type="radio" name="export-format" value=${c.choice} .checked=${c.choice === this.choice} @change=${() => this.setChoice(c.choice)} />
            <span class="export-format-text"><strong>${c.label}</strong><span class="muted small">${c.detail}</span></span>
          </label>`,
        )}
      </fieldset>

      <fieldset class="export-scope" ?disabled=${json} data-testid="export-scope">
        <legend>Who</legend>
        ${json ? html`<p class="muted small">The archive always holds everyone and everything.</p>` : nothing}
        <label class="check"><input type="radio" name="export-scope" .checked=${this.scopeKind === "everyone"} @change=${() => this.setScope("everyone")} />Everyone</label>
        <label class="check">
          <input type="radio" name="export-scope" .checked=${this.scopeKind === "tag"} ?disabled=${this.app.tags.length === 0} @change=${() => this.setScope("tag")} />People tagged
        </label>
        ${this.scopeKind === "tag" && !json
          ? html`<select aria-label="Tag" data-testid="export-tag" @change=${(e: Event) => ((this.tag = (e.target as HTMLSelectElement).value), this.suggestPath())}>
              ${this.app.tags.map((t) => html`<option value=${t} ?selected=${t === this.tag}>${t}</option>`)}
            </select>`
          : nothing}
        <label class="check"><input type="radio" name="export-scope" .checked=${this.scopeKind === "contacts"} @change=${() => this.setScope("contacts")} />Chosen people</label>
        ${this.scopeKind === "contacts" && !json ? this.picker.template("People to export") : nothing}
      </fieldset>

      ${sharing
        ? html`<div class="export-private ${this.includePrivate ? "is-on" : ""}">
            <label class="check">
              <input
                type="checkbox"
                data-testid="export-include-private"
                .checked=${this.includePrivate}
                @change=${(e: Event) => {
                  this.includePrivate = (e.target as HTMLInputElement).checked;
                  this.app.invalidate();
                }}
              />
              Include private notes and private conversations (direct messages, email, calls)
            </label>
            <p class="muted small">
              ${this.includePrivate
                ? html`${icon("lock")} This file will hold what people told you in confidence. Keep it somewhere safe.`
                : "Left out by default: the export says how much it left out."}
            </p>
          </div>`
        : nothing}
      ${this.choice === "csv"
        ? html`<label class="check"><input type="checkbox" .checked=${this.csvBom} @change=${(e: Event) => (this.csvBom = (e.target as HTMLInputElement).checked)} />Add a byte-order mark so Excel reads accented names correctly</label>`
        : nothing}
      ${this.choice === "ics"
        ? html`<label class="check"
            ><input
              type="checkbox"
              data-testid="export-include-overdue"
              .checked=${this.includeOverdue}
              @change=${(e: Event) => (this.includeOverdue = (e.target as HTMLInputElement).checked)}
            />Include overdue to-dos (due more than ${OVERDUE_DAYS_KEPT} days ago)</label
          >`
        : nothing}

      <div class="field">
        <label for="export-path">${this.choice === "markdown-folder" ? "Folder" : "File"}</label>
        <div class="path-row">
          <input
            id="export-path"
            type="text"
            spellcheck="false"
            autocomplete="off"
            data-testid="export-path"
            placeholder=${`e.g. /home/you/Documents/${this.suggested}`}
            .value=${this.path}
            @input=${(e: InputEvent) => {
              this.path = (e.target as HTMLInputElement).value;
            }}
          />
          <button type="button" class="button" data-testid="export-browse" @click=${() => void this.browse()}>Choose…</button>
        </div>
        <p class="field-hint">A file that is already there is only replaced after asking.</p>
      </div>
      ${this.error ? html`<p class="field-error" role="alert" data-testid="export-error">${this.error}</p>` : nothing}
      <div class="dialog-actions">
        <button type="button" class="button ghost" @click=${() => this.app.closeDialog()}>Cancel</button>
        <button type="submit" class="button primary" data-testid="export-run" ?disabled=${this.flow.saving}>${this.flow.saving ? "Exporting…" : "Export"}</button>
      </div>
    </form>`;
  }

  template(): TemplateResult {
    return dialogFrame({
      title: "Export",
      subtitle: "Your notes, in formats other tools read.",
      testid: "export-dialog",
      onClose: () => this.app.closeDialog(),
      body: this.body(),
      size: "large",
    });
  }
}
