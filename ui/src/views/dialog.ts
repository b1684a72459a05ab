// The frame every dialog shares, and the in-page confirmation dialog. Dialogs are rendered over
// an inert page, so Tab stays inside them; Escape closes the top one (handled by the app).

import { html, nothing, type TemplateResult } from "lit-html";
import { icon } from "../icons";

export interface DialogView {
  template(): TemplateResult;
  /** Moves focus into the dialog once it is on screen. */
  focusFirst(): void;
}

export interface FrameOptions {
  title: string;
  testid: string;
  onClose: () => void;
  body: TemplateResult;
  size?: "small" | "medium" | "large";
  subtitle?: string;
}

let nextId = 0;

export function dialogFrame(opts: FrameOptions): TemplateResult {
  const titleId = `dialog-title-${++nextId}`;
  return html`<div
    class="backdrop"
    @mousedown=${(e: MouseEvent) => {
      if (e.target === e.currentTarget) opts.onClose();
    }}
  >
    <div
      class="dialog dialog-${opts.size ?? "medium"}"
      role="dialog"
      aria-modal="true"
      aria-labelledby=${titleId}
      data-testid=${opts.testid}
    >
      <header class="dialog-header">
        <div>
          <h2 id=${titleId}>${opts.title}</h2>
          ${opts.subtitle ? html`<p class="dialog-subtitle">${opts.subtitle}</p>` : nothing}
        </div>
        <button type="button" class="icon-button" aria-label="Close" title="Close (Esc)" @click=${opts.onClose}>
          ${icon("close")}
        </button>
      </header>
      ${opts.body}
    </div>
  </div>`;
}

export interface ConfirmRequest {
  title: string;
  message: string;
  confirmLabel: string;
}

export class ConfirmDialog {
  private resolve: ((ok: boolean) => void) | null = null;
  request: ConfirmRequest | null = null;

  constructor(private readonly invalidate: () => void) {}

  get open(): boolean {
    return this.request !== null;
  }

  ask(request: ConfirmRequest): Promise<boolean> {
    this.answer(false);
    this.request = request;
    this.invalidate();
    return new Promise((resolve) => {
      this.resolve = resolve;
    });
  }

  answer(ok: boolean): void {
    const resolve = this.resolve;
    this.resolve = null;
    this.request = null;
    if (resolve) {
      this.invalidate();
      resolve(ok);
    }
  }

  focusFirst(): void {
    // The safe choice has focus, so a stray Enter never deletes anything.
    document.querySelector<HTMLElement>("[data-testid=confirm-dialog] .confirm-cancel")?.focus();
  }

  template(): TemplateResult | typeof nothing {
    const r = this.request;
    if (!r) return nothing;
    return html`<div class="backdrop backdrop-top" @mousedown=${(e: MouseEvent) => {
      if (e.target === e.currentTarget) this.answer(false);
    }}>
      <div
        class="dialog dialog-small"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="confirm-title"
        aria-describedby="confirm-message"
        data-testid="confirm-dialog"
      >
        <header class="dialog-header"><h2 id="confirm-title">${r.title}</h2></header>
        <p id="confirm-message" class="confirm-message">${r.message}</p>
        <div class="dialog-actions">
          <button type="button" class="button confirm-cancel" @click=${() => this.answer(false)}>Cancel</button>
          <button type="button" class="button danger" data-testid="confirm-yes" @click=${() => this.answer(true)}>
            ${r.confirmLabel}
          </button>
        </div>
      </div>
    </div>`;
  }
}
