// The page shown instead of the app while the store is locked with a passphrase: one field, and
// what to do when the passphrase is lost (nothing can open it; a backup is locked the same way).

import { html, nothing, type TemplateResult } from "lit-html";
import * as api from "../api";
import { toApiError } from "../api";
import { icon } from "../icons";
import type { App } from "../app";

export class UnlockView {
  private value = "";
  private busy = false;
  private error: string | null = null;

  constructor(private readonly app: App) {}

  focus(): void {
    document.querySelector<HTMLInputElement>("[data-testid=unlock-passphrase]")?.focus();
  }

  private async unlock(): Promise<void> {
    if (this.busy) return;
    if (this.value === "") {
      this.error = "Type the passphrase.";
      this.app.invalidate();
      return;
    }
    this.busy = true;
    this.error = null;
    this.app.invalidate();
    try {
      await api.unlockStore(this.value);
      this.value = "";
      await this.app.data.retryStore();
    } catch (e) {
      const err = toApiError(e);
      this.error =
        err.code === "wrong_passphrase" ? "That passphrase does not open this store. Check it (and Caps Lock) and try again." : err.message;
      this.app.afterRender(() => {
        const input = document.querySelector<HTMLInputElement>("[data-testid=unlock-passphrase]");
        input?.select();
        input?.focus();
      });
    } finally {
      this.busy = false;
      this.app.invalidate();
    }
  }

  template(): TemplateResult {
    return html`<div class="welcome">
      <div class="welcome-card unlock-card" data-testid="unlock">
        <h1>${icon("lock")}<span>Your network is locked</span></h1>
        <p class="prose">This store is encrypted with a passphrase. Enter it to open your notes.</p>
        ${this.app.info ? html`<p class="muted small">Store file: <code>${this.app.info.db_path}</code></p>` : nothing}
        <form
          class="unlock-form"
          @submit=${(e: SubmitEvent) => {
            e.preventDefault();
            void this.unlock();
          }}
        >
          <div class="field">
            <label for="unlock-passphrase">Passphrase</label>
            <input
              id="unlock-passphrase"
              type="password"
              autocomplete="current-password"
              spellcheck="false"
              data-testid="unlock-passphrase"
              aria-invalid=${this.error ? "true" : "false"}
              .value=${this.value}
              @input=${(e: InputEvent) => (this.value = (e.target as HTMLInputElement).value)}
            />
          </div>
          ${this.error ? html`<p class="field-error" role="alert" data-testid="unlock-error">${this.error}</p>` : nothing}
          <div class="welcome-actions">
            <button type="submit" class="button primary" data-testid="unlock-button" ?disabled=${this.busy}>
              ${this.busy ? "Opening…" : "Unlock"}
            </button>
          </div>
        </form>
        <p class="muted small">
          Kith does not keep the passphrase anywhere. If it is lost, neither the store nor its backups can be opened.
        </p>
        <p class="muted small">
          Never set a passphrase? Then this file is damaged, not locked:
          <button type="button" class="link-button" data-testid="unlock-restore" @click=${() => this.app.dialogs.openBackups()}>restore a backup…</button>
        </p>
      </div>
    </div>`;
  }
}
