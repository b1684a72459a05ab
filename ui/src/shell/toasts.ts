// The confirmation at the bottom of the window: it goes by itself after a while (longer when
// it offers actions), but not while the person's pointer or focus is on it.

import { html, nothing, type TemplateResult } from "lit-html";
import { icon } from "../icons";
import type { Store } from "../state/store";
import type { Toast, ToastAction, WindowState } from "../state/window-state";

const TOAST_MS = 6000;
const TOAST_WITH_ACTIONS_MS = 15000;

export class Toasts {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly store: Store<WindowState>) {}

  show(message: string, actions: ToastAction[] = []): void {
    const toast: Toast = { message, actions };
    this.store.update({ toast });
    this.scheduleEnd(toast);
  }

  hide(): void {
    clearTimeout(this.timer);
    this.store.update({ toast: null });
  }

  private scheduleEnd(t: Toast): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      // A newer one took its place: that one has its own timer.
      if (this.store.state.toast !== t) return;
      // Not while the person is using it.
      if (document.querySelector(".toast:hover, .toast:focus-within")) return;
      this.hide();
    }, t.actions.length ? TOAST_WITH_ACTIONS_MS : TOAST_MS);
  }

  template(modal: boolean): TemplateResult {
    const t = this.store.state.toast;
    // The live region is always there, so a new message is announced when it appears.
    return html`<div class="toast-region" role="status" aria-live="polite" ?inert=${modal}>
      ${t
        ? html`<div
            class="toast"
            data-testid="toast"
            @mouseenter=${() => clearTimeout(this.timer)}
            @mouseleave=${() => this.scheduleEnd(t)}
            @focusout=${() => this.scheduleEnd(t)}
          >
            <p>${t.message}</p>
            ${t.actions.map(
              (a) => html`<button type="button" class="button small" @click=${() => void a.run()}>${a.label}</button>`,
            )}
            <button type="button" class="icon-button" aria-label="Close" title="Close" @click=${() => this.hide()}>
              ${icon("close")}
            </button>
          </div>`
        : nothing}
    </div>`;
  }
}
