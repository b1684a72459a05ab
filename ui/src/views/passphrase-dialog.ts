// The passphrase: lock the store and its backups with one, change it, or remove it. Setting one
// asks the person to acknowledge that a lost passphrase means lost notes before it is allowed.

import { html, nothing, type TemplateResult } from "lit-html";
import * as api from "../api";
import { toApiError } from "../api";
import type { PassphraseStatus } from "../api";
import { icon } from "../icons";
import type { App } from "../app";
import { dialogFrame, type DialogView } from "./dialog";
import { SaveFlow } from "./save-flow";

type Field = "current" | "next" | "again";

export class PassphraseDialog implements DialogView {
  private status: PassphraseStatus | null = null;
  private values: Record<Field, string> = { current: "", next: "", again: "" };
  private understood = false;
  private readonly flow = new SaveFlow(() => this.app);
  private error: string | null = null;
  private done: string | null = null;

  constructor(private readonly app: App) {
    void this.load();
  }

  focusFirst(): void {
    document.querySelector<HTMLElement>("[data-testid=passphrase-dialog] input")?.focus();
  }

  private async load(): Promise<void> {
    try {
      this.status = await api.passphraseStatus();
    } catch (e) {
      this.error = toApiError(e).message;
    }
    this.app.invalidate();
    this.app.afterRender(() => this.focusFirst());
  }

  /** Why the form cannot be sent yet, or null. */
  private problem(action: "set" | "change" | "remove"): string | null {
    const min = this.status?.min_length ?? 8;
    if (action !== "set" && this.values.current === "") return "Type the current passphrase.";
    if (action === "remove") return null;
    if ([...this.values.next].length < min) return `The new passphrase needs at least ${min} characters; a few words you will remember work well.`;
    if (this.values.next !== this.values.again) return "The two new passphrases differ.";
    if (action === "set" && !this.understood) return "Tick the box to say you understand that a lost passphrase cannot be recovered.";
    return null;
  }

  private async submit(action: "set" | "change" | "remove"): Promise<void> {
    if (this.flow.saving) return;
    const problem = this.problem(action);
    this.error = problem;
    if (problem) {
      this.app.invalidate();
      return;
    }
    if (action === "remove") {
      const ok = await this.app.confirm({
        title: "Remove the passphrase?",
        message: "Your store and its backups will be written back as plain files that anyone who can read this computer's disk can read.",
        confirmLabel: "Remove passphrase",
      });
      if (!ok) return;
    }
    this.done = null;
    const draft = { current: action === "set" ? null : this.values.current, next: action === "remove" ? null : this.values.next };
    await this.flow.save(
      draft,
      async (d) => {
        const change = await api.changePassphrase(d.current, d.next);
        return { change, status: await api.passphraseStatus() };
      },
      {
        then: ({ change, status }) => {
          const backups = change.backups_changed === 1 ? "1 backup" : `${change.backups_changed} backups`;
          let done = change.encrypted
            ? `Locked: the store and ${backups} are encrypted with the ${action === "set" ? "" : "new "}passphrase.`
            : `The passphrase is removed: the store and ${backups} are plain files again.`;
          if (change.tidied.length) done = `${change.tidied.join(" ")} ${done}`;
          if (change.backups_left.length) {
            done += ` ${change.backups_left.length} older backups did not open with the old passphrase and were left as they were: ${change.backups_left.join(", ")}.`;
          }
          this.done = done;
          this.values = { current: "", next: "", again: "" };
          this.understood = false;
          this.status = status;
        },
        failed: (err) => {
          this.error = err.code === "wrong_passphrase" ? "The current passphrase is not right; nothing was changed." : err.message;
        },
      },
    );
  }

  private input(field: Field, label: string, autocomplete: string): TemplateResult {
    const id = `pp-${field}`;
    return html`<div class="field">
      <label for=${id}>${label}</label>
      <input
        id=${id}
        type="password"
        autocomplete=${autocomplete}
        spellcheck="false"
        data-testid=${`passphrase-${field}`}
        .value=${this.values[field]}
        @input=${(e: InputEvent) => {
          this.values[field] = (e.target as HTMLInputElement).value;
          this.error = null;
        }}
      />
    </div>`;
  }

  private warning(): TemplateResult {
    return html`<div class="passphrase-warning" role="note" data-testid="passphrase-warning">
      ${icon("lock")}
      <p>
        <strong>A lost passphrase means lost notes.</strong> Kith does not keep the passphrase anywhere, and there is no reset: without it
        neither your store nor its backups can be opened, by you or anyone else. Write it down somewhere safe.
      </p>
    </div>`;
  }

  private body(): TemplateResult {
    const s = this.status;
    if (!s) return html`<p class="muted">${this.error ?? "Loading…"}</p>`;
    const feedback = html`${this.done ? html`<p class="backup-done" role="status" data-testid="passphrase-done">${icon("check")}<span>${this.done}</span></p>` : nothing}
    ${this.error ? html`<p class="field-error" role="alert" data-testid="passphrase-error">${this.error}</p>` : nothing}`;
    if (!s.encrypted) {
      return html`<form
        class="passphrase-form"
        @submit=${(e: SubmitEvent) => {
          e.preventDefault();
          void this.submit("set");
        }}
      >
        <p class="muted small" data-testid="passphrase-state">
          Your store is not encrypted: anyone who can read this computer's disk can read your notes. A passphrase encrypts the store and every
          backup of it; Kith asks for it each time it opens.
        </p>
        ${this.warning()} ${this.input("next", "New passphrase", "new-password")} ${this.input("again", "The same again", "new-password")}
        <label class="check"
          ><input
            type="checkbox"
            data-testid="passphrase-understood"
            .checked=${this.understood}
            @change=${(e: Event) => {
              this.understood = (e.target as HTMLInputElement).checked;
              this.error = null;
              this.app.invalidate();
            }}
          />I understand that if I lose this passphrase, my notes cannot be recovered.</label
        >
        ${feedback}
        <div class="dialog-actions">
          <button type="submit" class="button primary" data-testid="passphrase-set" ?disabled=${this.flow.saving}>
            ${this.flow.saving ? "Encrypting…" : "Encrypt with this passphrase"}
          </button>
        </div>
      </form>`;
    }
    return html`<form
      class="passphrase-form"
      @submit=${(e: SubmitEvent) => {
        e.preventDefault();
        void this.submit("change");
      }}
    >
      <p class="muted small" data-testid="passphrase-state">Your store and its backups are encrypted with a passphrase.</p>
      ${this.input("current", "Current passphrase", "current-password")}
      <h3 class="backups-title">Change it</h3>
      ${this.input("next", "New passphrase", "new-password")} ${this.input("again", "The same again", "new-password")} ${this.warning()} ${feedback}
      <div class="dialog-actions">
        <button type="button" class="button danger" data-testid="passphrase-remove" ?disabled=${this.flow.saving} @click=${() => void this.submit("remove")}>
          Remove passphrase…
        </button>
        <button type="submit" class="button primary" data-testid="passphrase-change" ?disabled=${this.flow.saving}>
          ${this.flow.saving ? "Working…" : "Change passphrase"}
        </button>
      </div>
    </form>`;
  }

  template(): TemplateResult {
    return dialogFrame({
      title: "Passphrase",
      subtitle: "Encrypt your store and its backups on this machine.",
      testid: "passphrase-dialog",
      onClose: () => this.app.closeDialog(),
      body: this.body(),
      size: "medium",
    });
  }
}
