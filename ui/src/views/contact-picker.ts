// Choosing people by typing part of a name: chips for the chosen ones, suggestions from the
// backend's contact search underneath. Keyboard: ↑/↓ to move, Enter to add, Backspace on an
// empty field to remove the last person.

import { html, nothing, type TemplateResult } from "lit-html";
import { repeat } from "lit-html/directives/repeat.js";
import * as api from "../api";
import type { ContactSummary } from "../api";
import type { ContactRef } from "../drafts";
import { normaliseQuery } from "../format";
import { icon } from "../icons";
import type { App } from "../app";
import { Latest } from "../latest";

let nextId = 0;

export class ContactPicker {
  private query = "";
  private suggestions: ContactSummary[] = [];
  private active = 0;
  private open = false;
  private readonly latest = new Latest();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly listId = `picker-list-${++nextId}`;
  readonly inputId = `picker-input-${nextId}`;

  constructor(
    private readonly app: App,
    private readonly selected: () => ContactRef[],
    private readonly onChange: (refs: ContactRef[]) => void,
    private readonly placeholder = "Type a name…",
  ) {}

  private search(): void {
    clearTimeout(this.timer);
    const q = normaliseQuery(this.query);
    if (!q) {
      this.suggestions = [];
      this.open = false;
      this.app.invalidate();
      return;
    }
    const turn = this.latest.begin();
    this.timer = setTimeout(async () => {
      try {
        const found = await api.listContacts({ query: q });
        if (!turn.current()) return;
        this.app.rememberNames(found);
        const chosen = new Set(this.selected().map((c) => c.id));
        this.suggestions = found.filter((c) => !chosen.has(c.id)).slice(0, 8);
        this.active = 0;
        this.open = true;
        this.app.invalidate();
      } catch (e) {
        if (turn.current()) this.app.showError(e);
      }
    }, 80);
  }

  private pick(c: ContactSummary): void {
    this.onChange([...this.selected(), { id: c.id, name: c.name }]);
    this.query = "";
    this.suggestions = [];
    this.open = false;
    this.latest.cancel();
    this.app.invalidate();
    this.app.afterRender(() => document.getElementById(this.inputId)?.focus());
  }

  private remove(id: string): void {
    this.onChange(this.selected().filter((c) => c.id !== id));
    this.app.invalidate();
  }

  private onKey(e: KeyboardEvent): void {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (!this.open || this.suggestions.length === 0) return;
      e.preventDefault();
      const n = this.suggestions.length;
      this.active = (this.active + (e.key === "ArrowDown" ? 1 : n - 1)) % n;
      this.app.invalidate();
    } else if (e.key === "Enter") {
      const c = this.open ? this.suggestions[this.active] : undefined;
      if (c) {
        e.preventDefault();
        this.pick(c);
      } else if (this.query.trim() !== "") {
        // Don't submit the surrounding form with a half-typed name.
        e.preventDefault();
      }
    } else if (e.key === "Escape" && this.open) {
      e.stopPropagation();
      this.open = false;
      this.app.invalidate();
    } else if (e.key === "Backspace" && this.query === "") {
      const chosen = this.selected();
      const last = chosen[chosen.length - 1];
      if (last) this.remove(last.id);
    }
  }

  template(label: string, error?: string): TemplateResult {
    const chosen = this.selected();
    const activeId = this.open && this.suggestions[this.active] ? `${this.listId}-${this.active}` : "";
    return html`<div class="field">
      <label for=${this.inputId}>${label}</label>
      <div class="picker ${error ? "has-error" : ""}">
        <ul class="chips" aria-label="Chosen">
          ${repeat(
            chosen,
            (c) => c.id,
            (c) => html`<li class="chip">
              <span>${c.name}</span>
              <button type="button" class="chip-remove" aria-label="Remove ${c.name}" @click=${() => this.remove(c.id)}>
                ${icon("close")}
              </button>
            </li>`,
          )}
        </ul>
        <input
          id=${this.inputId}
          class="picker-input"
          type="text"
          autocomplete="off"
          spellcheck="false"
          role="combobox"
          aria-expanded=${this.open ? "true" : "false"}
          aria-controls=${this.listId}
          aria-activedescendant=${activeId}
          placeholder=${chosen.length ? "Add someone else…" : this.placeholder}
          .value=${this.query}
          @input=${(e: InputEvent) => {
            this.query = (e.target as HTMLInputElement).value;
            this.search();
          }}
          @keydown=${(e: KeyboardEvent) => this.onKey(e)}
          @blur=${() => {
            this.open = false;
            this.app.invalidate();
          }}
        />
      </div>
      ${this.open
        ? html`<ul class="suggestions" role="listbox" id=${this.listId}>
            ${this.suggestions.length === 0
              ? html`<li class="suggestion-empty">Nobody matches.</li>`
              : this.suggestions.map(
                  (c, i) => html`<li
                    id="${this.listId}-${i}"
                    role="option"
                    class="suggestion ${i === this.active ? "is-active" : ""}"
                    aria-selected=${i === this.active ? "true" : "false"}
                    @mousedown=${(e: MouseEvent) => {
                      e.preventDefault();
                      this.pick(c);
                    }}
                  >
                    <span class="suggestion-name">${c.name}</span>
                    ${c.organisation ? html`<span class="muted">${c.organisation}</span>` : nothing}
                  </li>`,
                )}
          </ul>`
        : nothing}
      ${error ? html`<p class="field-error" role="alert">${error}</p>` : nothing}
    </div>`;
  }
}
