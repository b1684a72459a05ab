// Logging or editing one interaction: who, where, which way, when, and what was said.

import { html, nothing, type TemplateResult } from "lit-html";
import * as api from "../api";
import type { ChannelKind, Direction, Moment } from "../api";
import {
  validateInteractionForm,
  withChannel,
  type Errors,
  type InteractionForm,
} from "../drafts";
import { CHANNELS, DIRECTIONS, MOMENTS, channelLabel, directionLabel, momentLabel } from "../format";
import { ContactPicker } from "./contact-picker";
import { dialogFrame, type DialogView } from "./dialog";
import type { App } from "../app";
import { SaveFlow } from "./save-flow";

export class InteractionDialog implements DialogView {
  private errors: Errors = {};
  private readonly flow = new SaveFlow(() => this.app);
  private readonly picker: ContactPicker;

  constructor(
    private readonly app: App,
    private form: InteractionForm,
  ) {
    this.picker = new ContactPicker(
      app,
      () => this.form.contacts,
      (refs) => {
        this.form = { ...this.form, contacts: refs };
        delete this.errors.contacts;
      },
    );
  }

  focusFirst(): void {
    const target =
      this.form.contacts.length === 0
        ? document.getElementById(this.picker.inputId)
        : document.querySelector<HTMLElement>("[data-testid=interaction-text]");
    target?.focus();
  }

  private set<K extends keyof InteractionForm>(key: K, value: InteractionForm[K]): void {
    this.form = { ...this.form, [key]: value };
    this.app.invalidate();
  }

  private async save(): Promise<void> {
    if (this.flow.saving) return;
    const { draft, errors } = validateInteractionForm(this.form);
    this.errors = errors;
    await this.flow.save(draft, api.saveInteraction, {
      invalid: "[role=dialog] form [aria-invalid=true]",
      then: () => this.app.closeDialog(),
    });
  }

  template(): TemplateResult {
    const f = this.form;
    const editing = f.id !== null;
    const body = html`<form
      class="form"
      novalidate
      @submit=${(e: SubmitEvent) => {
        e.preventDefault();
        void this.save();
      }}
      @keydown=${(e: KeyboardEvent) => {
        if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
          e.preventDefault();
          void this.save();
        }
      }}
    >
      ${this.picker.template("With", this.errors.contacts)}
      <div class="field-row">
        <div class="field">
          <label for="ix-channel">Channel</label>
          <select
            id="ix-channel"
            data-testid="interaction-channel"
            .value=${f.channel}
            @change=${(e: Event) => {
              this.form = withChannel(this.form, (e.target as HTMLSelectElement).value as ChannelKind);
              this.app.invalidate();
            }}
          >
            ${CHANNELS.map((c) => html`<option value=${c} ?selected=${c === f.channel}>${channelLabel(c)}</option>`)}
          </select>
        </div>
        <div class="field">
          <label for="ix-direction">Direction</label>
          <select
            id="ix-direction"
            data-testid="interaction-direction"
            .value=${f.direction}
            @change=${(e: Event) => this.set("direction", (e.target as HTMLSelectElement).value as Direction)}
          >
            ${DIRECTIONS.map((d) => html`<option value=${d} ?selected=${d === f.direction}>${directionLabel(d)}</option>`)}
          </select>
        </div>
      </div>
      <div class="field-row">
        <div class="field">
          <label for="ix-when">When</label>
          <input
            id="ix-when"
            type="datetime-local"
            class=${this.errors.occurred ? "has-error" : ""}
            aria-invalid=${this.errors.occurred ? "true" : "false"}
            .value=${f.occurred_local}
            @input=${(e: InputEvent) => this.set("occurred_local", (e.target as HTMLInputElement).value)}
          />
          ${this.errors.occurred ? html`<p class="field-error" role="alert">${this.errors.occurred}</p>` : nothing}
        </div>
        <div class="field field-check">
          <label class="check">
            <input
              type="checkbox"
              .checked=${f.public}
              @change=${(e: Event) => {
                this.form = { ...this.form, public: (e.target as HTMLInputElement).checked, public_touched: true };
                this.app.invalidate();
              }}
            />
            <span>Public (the world could see it)</span>
          </label>
        </div>
      </div>
      <div class="field">
        <label for="ix-text">What was said</label>
        <textarea
          id="ix-text"
          data-testid="interaction-text"
          rows="5"
          placeholder="The message, or a summary of the call or conversation"
          .value=${f.text}
          @input=${(e: InputEvent) => this.set("text", (e.target as HTMLTextAreaElement).value)}
        ></textarea>
      </div>
      <div class="field-row">
        <div class="field">
          <label for="ix-moment">Mentoring moment</label>
          <select
            id="ix-moment"
            .value=${f.moment}
            @change=${(e: Event) => this.set("moment", (e.target as HTMLSelectElement).value as Moment | "")}
          >
            <option value="" ?selected=${f.moment === ""}>None</option>
            ${MOMENTS.map((m) => html`<option value=${m} ?selected=${m === f.moment}>${momentLabel(m)}</option>`)}
          </select>
        </div>
        <div class="field">
          <label for="ix-thread">Conversation</label>
          <input
            id="ix-thread"
            type="text"
            placeholder="e.g. linked data migration"
            .value=${f.thread}
            @input=${(e: InputEvent) => this.set("thread", (e.target as HTMLInputElement).value)}
          />
        </div>
      </div>
      <div class="field">
        <label for="ix-tags">Tags</label>
        <input
          id="ix-tags"
          type="text"
          placeholder="Separate with commas"
          .value=${f.tags}
          @input=${(e: InputEvent) => this.set("tags", (e.target as HTMLInputElement).value)}
        />
      </div>
      <div class="dialog-actions">
        <span class="muted small hint"><kbd>Ctrl</kbd>+<kbd>Enter</kbd> saves · <kbd>Esc</kbd> closes</span>
        <button type="button" class="button" @click=${() => this.app.closeDialog()}>Cancel</button>
        <button type="submit" class="button primary" data-testid="interaction-save" ?disabled=${this.flow.saving}>
          ${this.flow.saving ? "Saving…" : editing ? "Save changes" : "Log interaction"}
        </button>
      </div>
    </form>`;
    return dialogFrame({
      title: editing ? "Edit interaction" : "Log an interaction",
      testid: "interaction-dialog",
      onClose: () => this.app.closeDialog(),
      body,
      size: "large",
    });
  }
}
