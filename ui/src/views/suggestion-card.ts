// One suggestion as a card: who, what to do and where, the reasons in plain sentences, links to
// the interactions they cite, and Accept (with a plan and a due date), Snooze and Dismiss.
// Used by the Suggestions view and, compact, by the panel on a contact's page. Reasons quote
// imported text: they are always rendered as text.

import { html, nothing, type TemplateResult } from "lit-html";
import type { Suggestion } from "../api";
import { channelLabel, formatLocalDate, isValidDate } from "../format";
import { channelIcon, icon } from "../icons";
import { contactHref, entryHref, eventHref } from "../router";
import { kindLabel, sentence, SNOOZES, suggestionHeadline } from "../suggestions";
import type { App } from "../app";

export interface CardOptions {
  /** Show the contact's name (the network list); the contact page leaves it out. */
  showContact: boolean;
  /** Where focus goes when the card leaves: the list the card is in. */
  listSelector: string;
}

const snippet = (text: string): string => (text.length > 120 ? `${text.slice(0, 117).trimEnd()}…` : text);

function focusAfterRemoval(app: App, listSelector: string, index: number): void {
  app.afterRender(() => {
    const cards = document.querySelectorAll<HTMLElement>(`${listSelector} [data-testid=suggestion-card]`);
    const next = cards[Math.min(index, cards.length - 1)];
    const target =
      next?.querySelector<HTMLElement>("[data-testid=suggestion-accept]") ??
      document.querySelector<HTMLElement>(`${listSelector} [data-focus-fallback]`);
    target?.focus();
  });
}

function routeLine(s: Suggestion): TemplateResult {
  const to = html`<span class="sg-channel">${channelIcon(s.to_channel, true)}<span>${channelLabel(s.to_channel)}</span></span>`;
  if (!s.from_channel || s.from_channel === s.to_channel) return to;
  return html`<span class="sg-channel">${channelIcon(s.from_channel, true)}<span>${channelLabel(s.from_channel)}</span></span>
    <span class="sg-arrow">${icon("arrow-right")}<span class="visually-hidden">to</span></span>
    ${to}`;
}

function evidenceLinks(app: App, s: Suggestion): TemplateResult | typeof nothing {
  if (s.evidence.length === 0) return nothing;
  const items = s.evidence.map((id, n) => {
    const i = app.suggestions.evidence.get(id);
    const label = i ? `${channelLabel(i.channel)}, ${formatLocalDate(i.occurred_at)}` : `Interaction ${n + 1}`;
    return html`<li>
      <a class="sg-evidence-link" href=${entryHref(s.contact_id, id)} title=${i?.text ? snippet(i.text) : label} data-testid="suggestion-evidence">
        ${i ? channelIcon(i.channel, true) : nothing}<span>${i ? formatLocalDate(i.occurred_at) : `#${n + 1}`}</span>
        <span class="visually-hidden">${i ? `, ${channelLabel(i.channel)}` : ""}</span>
      </a>
    </li>`;
  });
  return html`<div class="sg-evidence"><span class="muted small">Based on</span><ul>${items}</ul></div>`;
}

function acceptForm(app: App, s: Suggestion, index: number, opts: CardOptions): TemplateResult {
  const ui = app.suggestions.card(s);
  const dueError = ui.due !== "" && !isValidDate(ui.due) ? "Use a full date, or leave it empty for no due date." : "";
  const noteId = `sg-note-${s.id}`;
  const dueId = `sg-due-${s.id}`;
  const cancel = () => {
    ui.mode = null;
    app.afterRender(() => document.querySelector<HTMLElement>(`[data-suggestion-id="${CSS.escape(s.id)}"] [data-testid=suggestion-accept]`)?.focus());
  };
  const save = () => {
    if (dueError) return;
    focusAfterRemoval(app, opts.listSelector, index);
    void app.suggestions.accept(s, ui.note, ui.due === "" ? null : ui.due);
  };
  return html`<form
    class="sg-accept"
    data-testid="suggestion-accept-form"
    @submit=${(e: SubmitEvent) => {
      e.preventDefault();
      save();
    }}
    @keydown=${(e: KeyboardEvent) => {
      if (e.key === "Escape") {
        e.preventDefault();
        e.stopPropagation();
        cancel();
      } else if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        save();
      }
    }}
  >
    <div class="field">
      <label for=${noteId}>Your plan</label>
      <textarea
        id=${noteId}
        rows="2"
        data-testid="suggestion-note"
        placeholder=${`What will you do? For example: write to ${s.contact.trim().split(/\s+/)[0] || "them"} and suggest a call.`}
        .value=${ui.note}
        @input=${(e: InputEvent) => {
          ui.note = (e.target as HTMLTextAreaElement).value;
        }}
      ></textarea>
    </div>
    <div class="sg-accept-row">
      <div class="field">
        <label for=${dueId}>Due</label>
        <input
          id=${dueId}
          type="date"
          data-testid="suggestion-due"
          aria-invalid=${dueError ? "true" : "false"}
          aria-describedby=${`${dueId}-hint`}
          .value=${ui.due}
          @input=${(e: InputEvent) => {
            ui.due = (e.target as HTMLInputElement).value;
            app.invalidate();
          }}
        />
      </div>
      <p class="field-hint sg-due-hint" id=${`${dueId}-hint`}>${dueError || "Leave empty for no due date."}</p>
      <div class="sg-accept-actions">
        <button type="button" class="button ghost small" @click=${cancel}>Cancel</button>
        <button type="submit" class="button primary small" data-testid="suggestion-save" ?disabled=${dueError !== ""}>
          ${icon("check")}<span>Save plan</span>
        </button>
      </div>
    </div>
  </form>`;
}

function snoozeChoices(app: App, s: Suggestion, index: number, opts: CardOptions): TemplateResult {
  return html`<div class="sg-snooze" role="group" aria-label="Snooze for" data-testid="suggestion-snooze-choices"
    @keydown=${(e: KeyboardEvent) => {
      if (e.key !== "Escape") return;
      e.preventDefault();
      e.stopPropagation();
      app.suggestions.card(s).mode = null;
      app.afterRender(() => document.querySelector<HTMLElement>(`[data-suggestion-id="${CSS.escape(s.id)}"] [data-testid=suggestion-snooze]`)?.focus());
    }}>
    <span class="muted small">Snooze for</span>
    ${SNOOZES.map(
      (o) => html`<button type="button" class="button small" @click=${() => {
        focusAfterRemoval(app, opts.listSelector, index);
        void app.suggestions.dismiss(s, o.span);
      }}>${o.label}</button>`,
    )}
  </div>`;
}

export function suggestionCard(app: App, s: Suggestion, index: number, opts: CardOptions): TemplateResult {
  const ui = app.suggestions.card(s);
  const event = s.event_id ? app.events.find((e) => e.id === s.event_id) : undefined;
  const headline = suggestionHeadline(s.kind, s.to_channel);
  const openAccept = () => {
    ui.mode = ui.mode === "accept" ? null : "accept";
    if (ui.mode === "accept") {
      app.afterRender(() => document.getElementById(`sg-note-${s.id}`)?.focus());
    } else {
      app.invalidate();
    }
  };
  return html`<li class="sg-card sg-${s.kind}" data-testid="suggestion-card" data-suggestion-id=${s.id} data-rule=${s.rule}>
    <div class="sg-head">
      <span class="sg-mark" aria-hidden="true">${channelIcon(s.to_channel, true)}</span>
      <div class="sg-title">
        <h3>
          ${opts.showContact ? html`<a href=${contactHref(s.contact_id)} class="sg-contact">${s.contact}</a><span class="sg-dot" aria-hidden="true">·</span>` : nothing}
          <span>${headline}</span>
        </h3>
        <p class="sg-meta">
          <span class="badge sg-kind">${kindLabel(s.kind)}</span>
          ${routeLine(s)}
          ${event ? html`<a class="sg-event" href=${eventHref(event.id)}>${icon("calendar")}<span>${event.name}</span></a>` : nothing}
        </p>
      </div>
    </div>
    <ul class="sg-reasons">
      ${s.reasons.map((r) => html`<li>${sentence(r)}</li>`)}
    </ul>
    ${evidenceLinks(app, s)}
    ${ui.mode === "accept"
      ? acceptForm(app, s, index, opts)
      : html`<div class="sg-actions">
          <button type="button" class="button small primary" data-testid="suggestion-accept" @click=${openAccept}>
            ${icon("check")}<span>Accept</span>
          </button>
          <button
            type="button"
            class="button small ghost"
            data-testid="suggestion-snooze"
            aria-expanded=${ui.mode === "snooze" ? "true" : "false"}
            @click=${() => {
              ui.mode = ui.mode === "snooze" ? null : "snooze";
              app.invalidate();
            }}
          >
            ${icon("clock")}<span>Snooze</span>
          </button>
          <button
            type="button"
            class="button small ghost"
            data-testid="suggestion-dismiss"
            @click=${() => {
              focusAfterRemoval(app, opts.listSelector, index);
              void app.suggestions.dismiss(s, null);
            }}
          >
            ${icon("close")}<span>Dismiss</span>
          </button>
        </div>
        ${ui.mode === "snooze" ? snoozeChoices(app, s, index, opts) : nothing}`}
  </li>`;
}
