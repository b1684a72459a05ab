// What a new store shows: a short welcome and two ways to begin.

import { html, type TemplateResult } from "lit-html";
import { icon } from "../icons";
import { navigate } from "../router";
import type { App } from "../app";

export function welcome(app: App): TemplateResult {
  return html`<div class="welcome">
    <div class="welcome-card">
      <span class="welcome-mark" aria-hidden="true">${icon("sparkle")}</span>
      <h1>Welcome to Kith</h1>
      <p class="lead">
        Keep track of the people you learn with online: mentors, peers and experts, every conversation
        across Mastodon, Bluesky, email, blogs, listservs, calls and conferences.
      </p>
      <p class="muted">Everything stays on this computer, in one file.</p>
      <div class="welcome-actions">
        <button
          type="button"
          class="button primary large"
          data-testid="load-demo-button"
          ?disabled=${app.demoLoading}
          @click=${() => void app.data.loadDemo()}
        >
          ${app.demoLoading ? "Loading the sample…" : "Load a sample network"}
        </button>
        <button type="button" class="button large" @click=${() => navigate({ name: "contact-new" })}>
          ${icon("plus")}<span>Add your first contact</span>
        </button>
      </div>
      <p class="muted small">The sample is a made-up network of library people, to explore before you add your own.</p>
    </div>
  </div>`;
}
