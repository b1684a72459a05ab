// New people: everyone a sync met who is not in the network yet (who, where seen, how many
// times), with the contact they probably are when Kith has a guess. Add them as a contact,
// merge them into one you have, or ignore them for good (Kith never offers them again).

import { html, nothing, type TemplateResult } from "lit-html";
import { repeat } from "lit-html/directives/repeat.js";
import * as api from "../api";
import type { NewPerson } from "../api";
import { likelyWords, personName, seenWords } from "../account-words";
import type { ContactRef } from "../drafts";
import { platformLabel, relativeTime } from "../format";
import { icon } from "../icons";
import { contactHref, href } from "../router";
import type { App } from "../app";
import { Latest } from "../latest";
import { ContactPicker } from "./contact-picker";

export class NewPeopleView {
  people: NewPerson[] = [];
  loaded = false;
  private failed = false;
  private readonly working = new Set<string>();
  private readonly latest = new Latest();
  /** The person being merged into a contact chosen with the picker. */
  private merging: string | null = null;
  private readonly picker: ContactPicker;

  constructor(private readonly app: App) {
    this.picker = new ContactPicker(app, () => [], (refs) => void this.mergeInto(refs), "Type the name of the contact…");
  }

  /** How many people are waiting, for the sidebar; 0 until known. */
  get count(): number {
    return this.loaded ? this.people.length : 0;
  }

  /** Reads the list afresh: at start, on each visit and after a sync. `quiet` leaves failures to the page. */
  async refresh(quiet = false): Promise<void> {
    const turn = this.latest.begin();
    try {
      const people = await api.listNewPeople();
      if (!turn.current()) return;
      this.people = people;
      this.loaded = true;
      this.failed = false;
    } catch (e) {
      if (!turn.current()) return;
      this.failed = true;
      if (!quiet) this.app.showError(e);
    }
    this.app.invalidate();
  }

  private async settle(person: NewPerson, run: () => Promise<string>): Promise<void> {
    if (this.working.has(person.id)) return;
    this.working.add(person.id);
    this.app.invalidate();
    const at = this.people.findIndex((p) => p.id === person.id);
    try {
      const said = await run();
      this.people = this.people.filter((p) => p.id !== person.id);
      this.app.showToast(said);
      this.app.afterRender(() => {
        const rows = document.querySelectorAll<HTMLElement>("[data-testid=new-person]");
        const next = rows[Math.min(Math.max(at, 0), rows.length - 1)];
        (next?.querySelector<HTMLElement>("button") ?? document.getElementById("np-title"))?.focus();
      });
      await Promise.all([this.app.dataChanged(), this.refresh(true)]);
    } catch (e) {
      this.app.showError(e);
      await this.refresh(true);
    } finally {
      this.working.delete(person.id);
      this.app.invalidate();
    }
  }

  private add(person: NewPerson): Promise<void> {
    return this.settle(person, async () => {
      const contact = await api.addNewPerson(person.id);
      return `Added ${contact.name} to your contacts.`;
    });
  }

  private merge(person: NewPerson, into: ContactRef): Promise<void> {
    this.merging = null;
    return this.settle(person, async () => {
      const contact = await api.mergeNewPerson(person.id, into.id);
      return `${personName(person)} is now part of ${contact.name}.`;
    });
  }

  private async mergeInto(refs: ContactRef[]): Promise<void> {
    const person = this.people.find((p) => p.id === this.merging);
    const into = refs[refs.length - 1];
    if (person && into) await this.merge(person, into);
  }

  private ignore(person: NewPerson): Promise<void> {
    return this.settle(person, async () => {
      await api.ignoreNewPerson(person.id);
      return `Kith will not offer ${personName(person)} again.`;
    });
  }

  template(): TemplateResult {
    return html`<article class="sg-page np-page" data-testid="new-people-view">
      <header class="sg-page-header">
        <h1 id="np-title" tabindex="-1">New people</h1>
        <p class="muted">
          People your accounts brought in who are not in Kith yet. Bulk mail, newsletters and notifications never come
          here.
        </p>
      </header>
      ${!this.loaded
        ? html`<p class="muted">${this.failed ? "The new people could not be read." : "Reading who is new…"}</p>`
        : this.people.length === 0
          ? html`<div class="sg-empty" data-testid="new-people-empty">
              <p><strong>Nobody new.</strong></p>
              <p>When a sync meets someone who is not in your network, they wait here for you to decide.</p>
              <p><a href=${href({ name: "accounts" })}>Go to your accounts</a></p>
            </div>`
          : html`<ul class="np-list" aria-labelledby="np-title">
              ${repeat(
                this.people,
                (p) => p.id,
                (p) => this.row(p),
              )}
            </ul>`}
    </article>`;
  }

  private row(p: NewPerson): TemplateResult {
    const busy = this.working.has(p.id);
    const likely = likelyWords(p);
    const name = personName(p);
    const now = this.app.now();
    return html`<li class="card np-row" data-testid="new-person" data-id=${p.id} aria-busy=${busy ? "true" : "false"}>
      <h2 class="np-name" data-testid="new-person-name">${name}</h2>
      <ul class="np-handles">
        ${p.handles.map(
          (h) => html`<li class="small"><span class="muted">${platformLabel(h.platform)}</span> <span data-testid="new-person-handle">${h.value}</span></li>`,
        )}
      </ul>
      <p class="small muted" data-testid="new-person-seen">
        ${seenWords(p)}; last <time datetime=${p.last_seen}>${relativeTime(p.last_seen, now)}</time>
      </p>
      ${likely && p.likely
        ? html`<p class="small np-likely" data-testid="new-person-likely">
            <a href=${contactHref(p.likely.contact_id)}>${likely}</a>
          </p>`
        : nothing}
      <div class="np-actions">
        <button type="button" class="button small primary" data-testid="new-person-add" aria-label="Add ${name} as a contact" ?disabled=${busy} @click=${() => void this.add(p)}>
          ${icon("plus")}<span>Add as contact</span>
        </button>
        ${p.likely
          ? html`<button
              type="button"
              class="button small"
              data-testid="new-person-merge-likely"
              aria-label="Merge ${name} into ${p.likely.contact_name}"
              ?disabled=${busy}
              @click=${() => p.likely && void this.merge(p, { id: p.likely.contact_id, name: p.likely.contact_name })}
            >
              ${icon("merge")}<span>Merge into ${p.likely.contact_name}</span>
            </button>`
          : nothing}
        <button
          type="button"
          class="button small"
          data-testid="new-person-merge"
          aria-label="Merge ${name} into a contact"
          aria-expanded=${this.merging === p.id ? "true" : "false"}
          ?disabled=${busy}
          @click=${() => {
            this.merging = this.merging === p.id ? null : p.id;
            this.app.invalidate();
            if (this.merging) this.app.afterRender(() => document.getElementById(this.picker.inputId)?.focus());
          }}
        >
          ${icon("merge")}<span>Merge into…</span>
        </button>
        <button type="button" class="button ghost small" data-testid="new-person-ignore" aria-label="Ignore ${name} for good" ?disabled=${busy} @click=${() => void this.ignore(p)}>
          Ignore
        </button>
      </div>
      ${this.merging === p.id ? html`<div class="np-merge" data-testid="new-person-merge-picker">${this.picker.template(`Merge ${name} into`)}</div>` : nothing}
    </li>`;
  }
}
