// The quick mentoring moment: Ctrl+M from anywhere, type part of a name, one line, Enter.
// The first match is chosen as you type; ↑/↓ picks another. The channel follows the chosen
// person's last channel until you change it.

import { html, nothing, type TemplateResult } from "lit-html";
import * as api from "../api";
import type { ChannelKind, ContactSummary, Moment, Platform } from "../api";
import { buildMomentDraft, type Errors } from "../drafts";
import { CHANNELS, MOMENTS, channelLabel, normaliseQuery } from "../format";
import { dialogFrame, type DialogView } from "./dialog";
import type { App } from "../app";
import { Latest } from "../latest";
import { SaveFlow } from "./save-flow";

export interface MomentTarget {
  id: string;
  name: string;
  lastChannel: ChannelKind | null;
  platform: Platform | null;
}

const MOMENT_WORDS: Record<Moment, string> = {
  asked: "I asked",
  advised: "I advised",
  received: "I received advice",
};

/** The channel a moment with this person most likely happened on. */
export function likelyChannel(lastChannel: ChannelKind | null, platform: Platform | null): ChannelKind {
  if (lastChannel) return lastChannel;
  switch (platform) {
    case "twitter":
    case "mastodon":
    case "bluesky":
    case "email":
    case "blog":
    case "phone":
      return platform;
    default:
      return "other";
  }
}

function fromSummary(c: ContactSummary): MomentTarget {
  return { id: c.id, name: c.name, lastChannel: c.last_channel, platform: c.primary_handle?.platform ?? null };
}

export class QuickMoment implements DialogView {
  private query: string;
  private suggestions: ContactSummary[] = [];
  private active = 0;
  private chosen: MomentTarget | null;
  private channel: ChannelKind;
  private channelTouched = false;
  private text = "";
  private moment: Moment = "asked";
  private errors: Errors = {};
  private readonly flow = new SaveFlow(() => this.app);
  private searching = false;
  private readonly latest = new Latest();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly app: App,
    target: MomentTarget | null,
  ) {
    this.chosen = target;
    this.query = target?.name ?? "";
    this.channel = target ? likelyChannel(target.lastChannel, target.platform) : "other";
  }

  focusFirst(): void {
    const who = document.querySelector<HTMLInputElement>("[data-testid=quick-moment-contact]");
    if (this.chosen) {
      document.querySelector<HTMLInputElement>("[data-testid=quick-moment-text]")?.focus();
    } else {
      who?.focus();
    }
  }

  private choose(target: MomentTarget | null): void {
    this.chosen = target;
    if (target) delete this.errors.contact;
    if (!this.channelTouched && target) this.channel = likelyChannel(target.lastChannel, target.platform);
  }

  private onWhoInput(value: string): void {
    this.query = value;
    clearTimeout(this.timer);
    const q = normaliseQuery(value);
    const turn = this.latest.begin();
    if (!q) {
      this.suggestions = [];
      this.choose(null);
      this.searching = false;
      this.app.invalidate();
      return;
    }
    this.searching = true;
    this.timer = setTimeout(async () => {
      try {
        const found = await api.listContacts({ query: q });
        if (!turn.current()) return;
        this.app.rememberNames(found);
        this.suggestions = found.slice(0, 6);
        this.active = 0;
        this.choose(this.suggestions[0] ? fromSummary(this.suggestions[0]) : null);
      } catch (e) {
        if (turn.current()) this.app.showError(e);
      } finally {
        if (turn.current()) {
          this.searching = false;
          this.app.invalidate();
        }
      }
    }, 60);
  }

  /** Waits for a search still in flight, so a fast typist's Enter saves the right person. */
  private async settle(): Promise<void> {
    for (let i = 0; i < 50 && this.searching; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  private moveActive(delta: number): void {
    const n = this.suggestions.length;
    if (n === 0) return;
    this.active = (this.active + delta + n) % n;
    const c = this.suggestions[this.active];
    if (c) this.choose(fromSummary(c));
    this.app.invalidate();
  }

  private async save(): Promise<void> {
    if (this.flow.saving) return;
    await this.settle();
    const { draft, errors } = buildMomentDraft(
      { contactId: this.chosen?.id ?? null, channel: this.channel, text: this.text, moment: this.moment },
      this.app.now(),
    );
    this.errors = errors;
    const field = errors.contact ? "quick-moment-contact" : "quick-moment-text";
    await this.flow.save(draft, api.saveInteraction, {
      invalid: `[data-testid=${field}]`,
      then: () => this.app.closeDialog(),
    });
  }

  private onWhoKey(e: KeyboardEvent): void {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      this.moveActive(e.key === "ArrowDown" ? 1 : -1);
    } else if (e.key === "Enter") {
      e.preventDefault();
      void this.settle().then(() => {
        if (this.text.trim()) {
          void this.save();
        } else if (this.chosen) {
          // Show the full name of who was picked and move on to the line of text.
          this.query = this.chosen.name;
          this.suggestions = [];
          this.latest.cancel();
          this.app.invalidate();
          document.querySelector<HTMLElement>("[data-testid=quick-moment-text]")?.focus();
        }
      });
    }
  }

  template(): TemplateResult {
    const body = html`<form
      class="form quick-moment"
      novalidate
      @submit=${(e: SubmitEvent) => {
        e.preventDefault();
        void this.save();
      }}
    >
      <div class="field">
        <label for="qm-who">Who</label>
        <input
          id="qm-who"
          type="text"
          data-testid="quick-moment-contact"
          autocomplete="off"
          spellcheck="false"
          role="combobox"
          aria-expanded=${this.suggestions.length > 0 ? "true" : "false"}
          aria-controls="qm-suggestions"
          aria-activedescendant=${this.suggestions.length ? `qm-s-${this.active}` : ""}
          aria-invalid=${this.errors.contact ? "true" : "false"}
          class=${this.errors.contact ? "has-error" : ""}
          placeholder="Start typing a name"
          .value=${this.query}
          @input=${(e: InputEvent) => this.onWhoInput((e.target as HTMLInputElement).value)}
          @keydown=${(e: KeyboardEvent) => this.onWhoKey(e)}
        />
        ${this.suggestions.length
          ? html`<ul class="qm-suggestions" id="qm-suggestions" role="listbox" aria-label="Matching contacts">
              ${this.suggestions.map(
                (c, i) => html`<li
                  id="qm-s-${i}"
                  role="option"
                  class="suggestion ${i === this.active ? "is-active" : ""}"
                  aria-selected=${i === this.active ? "true" : "false"}
                  @mousedown=${(e: MouseEvent) => {
                    e.preventDefault();
                    this.active = i;
                    this.choose(fromSummary(c));
                    this.app.invalidate();
                  }}
                >
                  <span class="suggestion-name">${c.name}</span>
                  ${c.organisation ? html`<span class="muted">${c.organisation}</span>` : nothing}
                </li>`,
              )}
            </ul>`
          : normaliseQuery(this.query) && !this.searching && !this.chosen
            ? html`<p class="muted small">Nobody matches “${this.query}”.</p>`
            : nothing}
        ${this.errors.contact ? html`<p class="field-error" role="alert">${this.errors.contact}</p>` : nothing}
      </div>
      <div class="field">
        <label for="qm-text">What happened, in one line</label>
        <input
          id="qm-text"
          type="text"
          data-testid="quick-moment-text"
          autocomplete="off"
          aria-invalid=${this.errors.text ? "true" : "false"}
          class=${this.errors.text ? "has-error" : ""}
          placeholder="e.g. Asked how they run their Koha upgrade tests"
          .value=${this.text}
          @input=${(e: InputEvent) => {
            this.text = (e.target as HTMLInputElement).value;
            if (this.text.trim()) delete this.errors.text;
            this.app.invalidate();
          }}
        />
        ${this.errors.text ? html`<p class="field-error" role="alert">${this.errors.text}</p>` : nothing}
      </div>
      <div class="field-row">
        <fieldset class="segmented">
          <legend>Moment</legend>
          ${MOMENTS.map(
            (m) => html`<label class="segment ${m === this.moment ? "is-checked" : ""}">
              <input
                type="radio"
                name="qm-moment"
                value=${m}
                .checked=${m === this.moment}
                @change=${() => {
                  this.moment = m;
                  this.app.invalidate();
                }}
              />
              <span>${MOMENT_WORDS[m]}</span>
            </label>`,
          )}
        </fieldset>
        <div class="field">
          <label for="qm-channel">Channel</label>
          <select
            id="qm-channel"
            .value=${this.channel}
            @change=${(e: Event) => {
              this.channel = (e.target as HTMLSelectElement).value as ChannelKind;
              this.channelTouched = true;
              this.app.invalidate();
            }}
          >
            ${CHANNELS.map((c) => html`<option value=${c} ?selected=${c === this.channel}>${channelLabel(c)}</option>`)}
          </select>
        </div>
      </div>
      <div class="dialog-actions">
        <span class="muted small hint">${this.chosen ? html`With <strong>${this.chosen.name}</strong> · ` : nothing}<kbd>Enter</kbd> saves · <kbd>Esc</kbd> closes</span>
        <button type="submit" class="button primary" data-testid="quick-moment-save" ?disabled=${this.flow.saving}>
          ${this.flow.saving ? "Saving…" : "Save moment"}
        </button>
      </div>
    </form>`;
    return dialogFrame({
      title: "Mentoring moment",
      testid: "quick-moment-dialog",
      onClose: () => this.app.closeDialog(),
      body,
      size: "medium",
    });
  }
}
