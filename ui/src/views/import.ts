// The Import view: choose a file (the system dialog, or a typed or pasted path), optionally its
// format and the user's own addresses for mail, preview what it would add, update, merge and
// skip, then import it for real. Both steps report progress and can be cancelled; a cancelled or
// failed run leaves the store as it was, and the view says so.

import { html, nothing, type TemplateResult } from "lit-html";
import * as api from "../api";
import type { Format, ImportOutcome, ImportRequest, Progress } from "../api";
import { toApiError } from "../api";
import { FORMATS, describeOutcome, duplicatesWords, formatInfo, parseEmails, parseFormatChoice, progressWords, wantsMyEmails } from "../import-words";
import { icon } from "../icons";
import { href } from "../router";
import type { App } from "../app";
import { Latest, type Turn } from "../latest";

type Phase = "idle" | "previewing" | "previewed" | "importing" | "imported";

interface Problem {
  code: string;
  message: string;
}

/** Errors that are about the file or what was typed: the view explains them on its own. */
const FILE_PROBLEMS = new Set(["bad_import", "io", "invalid_input", "not_found", "too_large"]);

export class ImportView {
  private path = "";
  private format: Format | null = null;
  private emailsText = "";
  private emailsLoaded = false;
  private emailsTouched = false;

  private phase: Phase = "idle";
  private progress: Progress | null = null;
  private cancelling = false;
  /** The preview on screen, and the request it answered (Import runs exactly that). */
  private preview: ImportOutcome | null = null;
  private previewed: ImportRequest | null = null;
  private result: ImportOutcome | null = null;
  private problem: Problem | null = null;
  /** Set when the person stopped a run: which one. */
  private stopped: "preview" | "import" | null = null;
  private pathError: string | null = null;
  private emailError: string | null = null;
  /** Only the latest run's answers and progress count. */
  private readonly runs = new Latest();

  constructor(private readonly app: App) {}

  private get busy(): boolean {
    return this.phase === "previewing" || this.phase === "importing";
  }

  /** Called on each visit: prefills the user's own addresses once. */
  async enter(): Promise<void> {
    if (this.emailsLoaded) return;
    try {
      const mine = await api.myEmails();
      this.emailsLoaded = true;
      if (!this.emailsTouched) this.emailsText = mine.join(", ");
    } catch (e) {
      this.app.showError(e);
    }
    this.app.invalidate();
  }

  /** Anything typed or chosen makes the preview on screen stale: it no longer says what Import would do. */
  private edited(): void {
    if (this.phase === "previewed" || this.phase === "imported") this.phase = "idle";
    this.preview = null;
    this.previewed = null;
    this.result = null;
    this.problem = null;
    this.stopped = null;
    this.app.invalidate();
  }

  private async choose(): Promise<void> {
    try {
      const picked = await api.chooseFile("import");
      if (picked === null) return;
      this.path = picked;
      this.pathError = null;
      this.edited();
      this.app.afterRender(() => document.querySelector<HTMLElement>("[data-testid=import-preview]")?.focus());
    } catch (e) {
      this.app.showError(e);
    }
  }

  private request(): ImportRequest | null {
    const path = this.path.trim();
    this.pathError = path === "" ? "Choose a file, or type or paste where it is." : null;
    let emails: string[] = [];
    this.emailError = null;
    if (this.showEmails()) {
      const parsed = parseEmails(this.emailsText);
      if (parsed.invalid.length) {
        this.emailError = `${parsed.invalid.join(", ")} ${parsed.invalid.length === 1 ? "is not an email address" : "are not email addresses"}.`;
      }
      emails = parsed.emails;
    }
    if (this.pathError || this.emailError) {
      this.app.invalidate();
      const first = this.pathError ? "im-path" : "im-emails";
      this.app.afterRender(() => document.getElementById(first)?.focus());
      return null;
    }
    return { path, format: this.format, my_emails: emails };
  }

  private showEmails(): boolean {
    return wantsMyEmails(this.format, this.path, this.preview?.format ?? null);
  }

  private onProgress(run: Turn): (p: Progress) => void {
    return (p) => {
      if (!run.current()) return;
      this.progress = p;
      this.app.invalidate();
    };
  }

  private start(phase: "previewing" | "importing"): Turn {
    this.phase = phase;
    this.progress = null;
    this.cancelling = false;
    this.problem = null;
    this.stopped = null;
    this.app.invalidate();
    this.app.afterRender(() => document.querySelector<HTMLElement>("[data-testid=import-cancel]")?.focus());
    return this.runs.begin();
  }

  private async runPreview(): Promise<void> {
    if (this.busy) return;
    const request = this.request();
    if (!request) return;
    const run = this.start("previewing");
    try {
      const outcome = await api.previewImport(request, this.onProgress(run));
      if (!run.current()) return;
      this.preview = outcome;
      this.previewed = request;
      this.phase = "previewed";
      this.app.afterRender(() => document.getElementById("im-outcome-title")?.focus());
    } catch (e) {
      if (!run.current()) return;
      this.failed(e, "preview");
      this.phase = "idle";
    } finally {
      if (run.current()) {
        this.cancelling = false;
        this.app.invalidate();
      }
    }
  }

  private async runImport(): Promise<void> {
    const request = this.previewed;
    if (this.busy || !request) return;
    const run = this.start("importing");
    try {
      const outcome = await api.importFile(request, this.onProgress(run));
      if (!run.current()) return;
      this.result = outcome;
      this.phase = "imported";
      this.emailsLoaded = false;
      this.app.afterRender(() => document.getElementById("im-outcome-title")?.focus());
      this.app.invalidate();
      // New people may be someone already known under another name: count the pairs again.
      await Promise.all([this.app.dataChanged(), this.app.duplicatesView.refresh(true)]);
    } catch (e) {
      if (!run.current()) return;
      const cancelled = this.failed(e, "import");
      // After a cancel the preview still holds; after a failure it may not (the file changed).
      if (cancelled) {
        this.phase = "previewed";
      } else {
        this.phase = "idle";
        this.preview = null;
        this.previewed = null;
      }
    } finally {
      if (run.current()) {
        this.cancelling = false;
        this.app.invalidate();
      }
    }
  }

  /** Shows what went wrong in the view; returns whether the person had cancelled. */
  private failed(e: unknown, what: "preview" | "import"): boolean {
    const err = toApiError(e);
    if (err.code === "cancelled") {
      this.stopped = what;
      this.app.afterRender(() => document.querySelector<HTMLElement>("[data-testid=import-cancelled]")?.focus());
      return true;
    }
    this.problem = { code: err.code, message: err.message };
    // A store that cannot be written, or a bug, is the whole app's problem: the banner says it too.
    if (!FILE_PROBLEMS.has(err.code)) this.app.showError(err);
    this.app.afterRender(() => document.querySelector<HTMLElement>("[data-testid=import-error]")?.focus());
    return false;
  }

  private async cancel(): Promise<void> {
    if (!this.busy || this.cancelling) return;
    this.cancelling = true;
    this.app.invalidate();
    try {
      await api.cancelImport();
    } catch (e) {
      this.cancelling = false;
      this.app.showError(e);
    }
  }

  private reset(): void {
    if (this.busy) return;
    this.path = "";
    this.format = null;
    this.pathError = null;
    this.emailError = null;
    this.phase = "idle";
    this.edited();
    this.app.afterRender(() => document.getElementById("im-path")?.focus());
  }

  // -------------------------------------------------------------------------------------------

  template(): TemplateResult {
    return html`<article class="sg-page im-page" data-testid="import-view">
      <header class="sg-page-header">
        <h1>Import</h1>
        <p class="muted">
          Bring in people and conversations from a platform's export, or restore a Kith archive. You see what would
          change before anything is written, and importing the same file again adds nothing twice.
        </p>
      </header>
      <div class="im-layout">
        <div class="im-main">${this.form()} ${this.status()}</div>
        ${formatsCard()}
      </div>
    </article>`;
  }

  private form(): TemplateResult {
    const busy = this.busy;
    const chosen = this.format ? formatInfo(this.format) : null;
    const mail = this.showEmails();
    return html`<form
      class="card form im-form"
      novalidate
      aria-label="File to import"
      @submit=${(e: SubmitEvent) => {
        e.preventDefault();
        void this.runPreview();
      }}
    >
      <div class="field">
        <label for="im-path">${icon("file")}<span>File</span></label>
        <div class="im-file-row">
          <input
            id="im-path"
            type="text"
            data-testid="import-path"
            placeholder="e.g. /home/you/Downloads/twitter-archive.zip"
            autocomplete="off"
            spellcheck="false"
            aria-invalid=${this.pathError ? "true" : "false"}
            aria-describedby="im-path-help"
            class=${this.pathError ? "has-error" : ""}
            ?disabled=${busy}
            .value=${this.path}
            @input=${(e: InputEvent) => {
              this.path = (e.target as HTMLInputElement).value;
              this.pathError = null;
              this.edited();
            }}
          />
          <button type="button" class="button" data-testid="import-choose" ?disabled=${busy} @click=${() => void this.choose()}>
            ${icon("search")}<span>Choose file…</span>
          </button>
        </div>
        ${this.pathError
          ? html`<p class="field-error" id="im-path-help" role="alert">${this.pathError}</p>`
          : html`<p class="field-hint" id="im-path-help">Choose the file, or type or paste where it is.</p>`}
      </div>
      <div class="field">
        <label for="im-format">Format</label>
        <select
          id="im-format"
          data-testid="import-format"
          aria-describedby="im-format-help"
          ?disabled=${busy}
          @change=${(e: Event) => {
            this.format = parseFormatChoice((e.target as HTMLSelectElement).value);
            this.edited();
          }}
        >
          <option value="" ?selected=${this.format === null}>Detect automatically</option>
          ${FORMATS.map((f) => html`<option value=${f.value} ?selected=${this.format === f.value}>${f.label}</option>`)}
        </select>
        <p class="field-hint" id="im-format-help">${chosen ? chosen.hint : "Kith recognises the format from the file itself; choose one only if it guesses wrong."}</p>
      </div>
      ${mail
        ? html`<div class="field">
            <label for="im-emails">${icon("mail")}<span>Your email addresses</span></label>
            <input
              id="im-emails"
              type="text"
              data-testid="import-my-emails"
              placeholder="you@example.org, you@work.example"
              autocomplete="off"
              spellcheck="false"
              aria-invalid=${this.emailError ? "true" : "false"}
              aria-describedby="im-emails-help"
              class=${this.emailError ? "has-error" : ""}
              ?disabled=${busy}
              .value=${this.emailsText}
              @input=${(e: InputEvent) => {
                this.emailsText = (e.target as HTMLInputElement).value;
                this.emailsTouched = true;
                this.emailError = null;
                this.edited();
              }}
            />
            ${this.emailError
              ? html`<p class="field-error" id="im-emails-help" role="alert">${this.emailError}</p>`
              : html`<p class="field-hint" id="im-emails-help">
                  So Kith can tell the mail you sent from the mail you received. Separate addresses with commas; Kith
                  remembers them.
                </p>`}
          </div>`
        : nothing}
      <div class="im-actions">
        <button type="submit" class="button primary" data-testid="import-preview" ?disabled=${busy}>
          ${icon("search")}<span>Preview</span>
        </button>
        <span class="muted small">Nothing is written until you choose Import.</span>
      </div>
    </form>`;
  }

  private status(): TemplateResult | typeof nothing {
    if (this.busy) return this.progressCard();
    const parts: TemplateResult[] = [];
    if (this.stopped) {
      parts.push(html`<p class="im-note" role="status" tabindex="-1" data-testid="import-cancelled">
        ${icon("close")}<span
          >${this.stopped === "preview" ? "Preview stopped." : "Import cancelled."} Nothing was changed: your contacts and
          interactions are as they were.</span
        >
      </p>`);
    }
    if (this.problem) parts.push(this.problemCard(this.problem));
    if (this.phase === "previewed" && this.preview) parts.push(this.previewCard(this.preview));
    if (this.phase === "imported" && this.result) parts.push(this.doneCard(this.result));
    return parts.length ? html`${parts}` : nothing;
  }

  private progressCard(): TemplateResult {
    const w = progressWords(this.progress);
    const importing = this.phase === "importing";
    return html`<section class="card im-progress" data-testid="import-progress" aria-labelledby="im-progress-title">
      <h2 id="im-progress-title">${importing ? "Importing…" : "Reading the file…"}</h2>
      ${w.fraction === null
        ? html`<progress class="im-bar" aria-labelledby="im-progress-title"></progress>`
        : html`<progress class="im-bar" max="1" .value=${w.fraction} aria-labelledby="im-progress-title"></progress>`}
      <p class="im-progress-row" aria-live="polite">
        <span data-testid="import-stage">${w.stage}</span>
        ${w.count ? html`<span class="muted" data-testid="import-count">${w.count}</span>` : nothing}
      </p>
      <div class="im-actions">
        <button type="button" class="button" data-testid="import-cancel" ?disabled=${this.cancelling} @click=${() => void this.cancel()}>
          ${this.cancelling ? "Stopping…" : "Cancel"}
        </button>
        <span class="muted small">${importing ? "Cancelling leaves everything as it was." : "Previewing changes nothing."}</span>
      </div>
    </section>`;
  }

  private problemCard(p: Problem): TemplateResult {
    const title =
      p.code === "bad_import"
        ? "Kith could not import this file"
        : p.code === "io" || p.code === "not_found"
          ? "Kith could not open this file"
          : p.code === "invalid_input"
            ? "Something is missing"
            : "The import stopped";
    return html`<section class="im-problem" role="alert" tabindex="-1" data-testid="import-error" data-code=${p.code}>
      <h2>${title}</h2>
      <p class="prose" data-testid="import-error-message">${p.message}</p>
      ${p.code === "bad_import"
        ? html`<p class="muted small">Check that it is the file you meant, unchanged since you downloaded it. If Kith guessed its format wrong, choose the format above and preview again.</p>`
        : p.code === "io"
          ? html`<p class="muted small">Check the path: the file may have moved, or Kith may not be allowed to read it.</p>`
          : nothing}
      <div class="im-actions">
        <button type="button" class="button" data-testid="import-reset" @click=${() => this.reset()}>Choose another file</button>
      </div>
    </section>`;
  }

  private previewCard(o: ImportOutcome): TemplateResult {
    const w = describeOutcome(o);
    const mailWithoutMe = formatInfo(o.format).mail && (this.previewed?.my_emails?.length ?? 0) === 0;
    return html`<section class="card im-outcome" data-testid="import-preview-result" aria-labelledby="im-outcome-title">
      <h2 id="im-outcome-title" tabindex="-1">Preview of this ${formatInfo(o.format).noun}</h2>
      <p class="im-headline" data-testid="import-headline">${w.headline}</p>
      ${w.lines.length ? html`<ul class="im-counts" data-testid="import-counts">${w.lines.map((l) => html`<li>${l}</li>`)}</ul>` : nothing}
      ${mailWithoutMe
        ? html`<p class="im-note small">${icon("mail")}<span>Add your own email addresses above and preview again, so Kith can tell who wrote to whom.</span></p>`
        : nothing}
      ${outcomeDetails(o)}
      <div class="im-actions">
        <button type="button" class="button primary" data-testid="import-run" @click=${() => void this.runImport()}>
          ${icon("import")}<span>Import</span>
        </button>
        <button type="button" class="button" data-testid="import-reset" @click=${() => this.reset()}>Choose another file</button>
      </div>
    </section>`;
  }

  private doneCard(o: ImportOutcome): TemplateResult {
    const w = describeOutcome(o);
    const dups = this.app.duplicatesView.count;
    return html`<section class="card im-outcome im-done" data-testid="import-done" aria-labelledby="im-outcome-title">
      <h2 id="im-outcome-title" tabindex="-1">${icon("check")}<span>${w.changes ? "Import finished" : "Nothing new to import"}</span></h2>
      <p class="im-headline" data-testid="import-headline">${w.headline}</p>
      ${w.lines.length ? html`<ul class="im-counts" data-testid="import-counts">${w.lines.map((l) => html`<li>${l}</li>`)}</ul>` : nothing}
      ${o.notes.length ? notesList(o.notes) : nothing}
      ${dups > 0
        ? html`<p class="im-dups">
            ${icon("merge")}<span
              >Some people may now be in Kith twice, under two names or accounts.
              <a href=${href({ name: "duplicates" })} data-testid="import-review-duplicates">Review ${duplicatesWords(dups)}</a></span
            >
          </p>`
        : nothing}
      <div class="im-actions">
        <a class="button primary" href=${href({ name: "contacts" })} data-testid="import-see-contacts">${icon("users")}<span>See your contacts</span></a>
        <button type="button" class="button" data-testid="import-reset" @click=${() => this.reset()}>Import another file</button>
      </div>
    </section>`;
  }
}

function notesList(notes: readonly string[]): TemplateResult {
  return html`<h3>Worth knowing</h3>
    <ul class="im-notes" data-testid="import-notes">${notes.map((n) => html`<li>${n}</li>`)}</ul>`;
}

function outcomeDetails(o: ImportOutcome): TemplateResult {
  return html`${o.examples.length
      ? html`<h3>For example</h3>
          <ul class="im-examples" data-testid="import-examples">${o.examples.map((e) => html`<li>${e}</li>`)}</ul>`
      : nothing}
    ${o.notes.length ? notesList(o.notes) : nothing}`;
}

function formatsCard(): TemplateResult {
  return html`<aside class="card im-formats" aria-labelledby="im-formats-title" data-testid="import-formats">
    <h3 id="im-formats-title">What Kith can import</h3>
    <dl>
      ${FORMATS.map(
        (f) => html`<div class="im-format">
          <dt>${f.label}</dt>
          <dd class="muted small">${f.hint}</dd>
        </div>`,
      )}
    </dl>
  </aside>`;
}
