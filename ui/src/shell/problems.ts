// Errors in the window: the dismissible banner for a failed request, and the page shown
// instead of the views when the store itself cannot be opened.

import { html, nothing, type TemplateResult } from "lit-html";
import type { App } from "../app";
import { icon } from "../icons";
import { STORE_PROBLEMS, type Banner } from "../state/window-state";

export function bannerTemplate(app: App): TemplateResult | typeof nothing {
  const { banner: b, storeProblem } = app.state;
  // A store that cannot be opened is explained in the main pane; the banner would repeat it.
  if (!b || (storeProblem && STORE_PROBLEMS.has(b.code))) return nothing;
  return html`<div class="banner" role="alert" data-testid="error-banner" data-code=${b.code}>
    <p>${b.message}</p>
    <button type="button" class="icon-button" aria-label="Dismiss" title="Dismiss" @click=${() => app.dismissError()}>
      ${icon("close")}
    </button>
  </div>`;
}

export function storeProblemTemplate(app: App, problem: Banner): TemplateResult {
  const title =
    problem.code === "store_too_new"
      ? "This store was written by a newer Kith"
      : problem.code === "store_corrupt"
        ? "Kith cannot read its store"
        : "Kith cannot open its store";
  return html`<div class="welcome">
    <div class="welcome-card store-problem" role="alert" data-testid="store-problem" data-code=${problem.code}>
      <h1>${title}</h1>
      <p class="prose">${problem.message}</p>
      ${app.info ? html`<p class="muted small">Store file: <code>${app.info.db_path}</code></p>` : nothing}
      <div class="welcome-actions">
        <button type="button" class="button primary" @click=${() => void app.data.retryStore()}>Try again</button>
        <button type="button" class="button" data-testid="store-problem-restore" @click=${() => app.dialogs.openBackups()}>Restore a backup…</button>
      </div>
    </div>
  </div>`;
}
