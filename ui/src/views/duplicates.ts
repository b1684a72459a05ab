// Possible duplicates: pairs of contacts that may be one person (a shared address or handle, or
// very similar names), side by side. Merge one into the other, or say they are different people
// and Kith stops proposing the pair.

import { html, nothing, type TemplateResult } from "lit-html";
import { repeat } from "lit-html/directives/repeat.js";
import * as api from "../api";
import type { ContactSummary, DuplicatePair } from "../api";
import { channelLabel, platformLabel, plural, relativeTime } from "../format";
import { duplicatesWords, mergeMessage } from "../import-words";
import { icon } from "../icons";
import { contactHref, href, navigate } from "../router";
import type { App } from "../app";
import { Latest } from "../latest";

const pairKey = (p: DuplicatePair): string => `${p.a.id}\u001f${p.b.id}`;
/** Pairs shown at first and per "show more": a big import can propose thousands. */
const PAGE = 25;

export class DuplicatesView {
  pairs: DuplicatePair[] = [];
  loaded = false;
  private failed = false;
  /** Pairs with a merge or a "not the same" on its way. */
  private readonly working = new Set<string>();
  private readonly latest = new Latest();
  private shown = PAGE;

  constructor(private readonly app: App) {}

  /** How many pairs are waiting, for the sidebar; 0 until known. */
  get count(): number {
    return this.loaded ? this.pairs.length : 0;
  }

  /**
   * Reads the pairs afresh: at start, on each visit, after an import and after a merge. Finding
   * them reads the whole network, so it is not repeated after every edit; the count may lag an
   * edit until then. `quiet` is for the sidebar's count, refreshed in the background: a failure
   * there is left to the calls that matter (and to this page, when visited).
   */
  async refresh(quiet = false): Promise<void> {
    const turn = this.latest.begin();
    try {
      const pairs = await api.listDuplicates();
      if (!turn.current()) return;
      this.pairs = pairs;
      this.loaded = true;
      this.failed = false;
      this.app.rememberNames(pairs.flatMap((p) => [p.a, p.b]));
    } catch (e) {
      if (!turn.current()) return;
      this.failed = true;
      if (!quiet) this.app.showError(e);
    }
    this.app.invalidate();
  }

  private async merge(pair: DuplicatePair, kept: ContactSummary, absorbed: ContactSummary): Promise<void> {
    const key = pairKey(pair);
    if (this.working.has(key)) return;
    const ok = await this.app.confirm({
      title: `Merge ${absorbed.name} into ${kept.name}?`,
      message: mergeMessage(kept, absorbed),
      confirmLabel: "Merge",
    });
    if (!ok) return;
    this.working.add(key);
    this.app.invalidate();
    try {
      const merged = await api.mergeContacts(kept.id, absorbed.id);
      this.dropPair(pair);
      this.app.showToast(`Merged ${absorbed.name} into ${merged.name}.`, [
        { label: "Open", run: () => navigate({ name: "contact", id: merged.id }) },
      ]);
      await Promise.all([this.app.dataChanged(), this.refresh(true)]);
    } catch (e) {
      this.app.showError(e);
      await this.refresh(true);
    } finally {
      this.working.delete(key);
      this.app.invalidate();
    }
  }

  private async keepApart(pair: DuplicatePair): Promise<void> {
    const key = pairKey(pair);
    if (this.working.has(key)) return;
    this.working.add(key);
    this.app.invalidate();
    try {
      await api.notDuplicates(pair.a.id, pair.b.id);
      this.dropPair(pair);
      this.app.showToast(`Kith will not propose ${pair.a.name} and ${pair.b.name} as one person again.`);
      await this.refresh(true);
    } catch (e) {
      this.app.showError(e);
    } finally {
      this.working.delete(key);
      this.app.invalidate();
    }
  }

  /** Takes a settled pair off the list at once, and keeps the keyboard where it was. */
  private dropPair(pair: DuplicatePair): void {
    const at = this.pairs.findIndex((p) => pairKey(p) === pairKey(pair));
    // Any other pair with either contact may be stale now; the refresh that follows settles it.
    this.pairs = this.pairs.filter((p) => pairKey(p) !== pairKey(pair));
    this.app.afterRender(() => {
      const rows = document.querySelectorAll<HTMLElement>("[data-testid=duplicate-pair]");
      const next = rows[Math.min(Math.max(at, 0), rows.length - 1)];
      (next?.querySelector<HTMLElement>("button") ?? document.getElementById("dup-title"))?.focus();
    });
  }

  template(): TemplateResult {
    return html`<article class="sg-page dup-page" data-testid="duplicates-view">
      <header class="sg-page-header">
        <h1 id="dup-title" tabindex="-1">Possible duplicates</h1>
        <p class="muted">
          People who may be in Kith twice, under two names or accounts, often after an import. Merge them to keep one
          timeline, or say they are different people and Kith stops asking.
        </p>
      </header>
      ${!this.loaded
        ? html`<p class="muted">${this.failed ? "The possible duplicates could not be read." : "Looking for people who may be in Kith twice…"}</p>`
        : this.pairs.length === 0
          ? html`<div class="sg-empty" data-testid="duplicates-empty">
              <p><strong>No possible duplicates.</strong></p>
              <p>
                Kith looks for contacts who share an email address or a handle, and for very similar names. When an
                import brings someone in twice, they appear here.
              </p>
              <p><a href=${href({ name: "import" })}>Import a file</a> · <a href=${href({ name: "contacts" })}>Go to your contacts</a></p>
            </div>`
          : this.list()}
    </article>`;
  }

  private list(): TemplateResult {
    const visible = this.pairs.slice(0, this.shown);
    const more = this.pairs.length - visible.length;
    return html`<p class="muted small dup-count" aria-live="polite" data-testid="duplicates-count">${duplicatesWords(this.pairs.length)}</p>
      <ol class="dup-list">
        ${repeat(visible, pairKey, (p) => this.pair(p))}
      </ol>
      ${more > 0
        ? html`<button
            type="button"
            class="button dup-more"
            data-testid="duplicates-more"
            @click=${() => {
              this.shown += PAGE;
              this.app.invalidate();
            }}
          >
            Show ${plural(Math.min(more, PAGE), "more pair", "more pairs")} (${more.toLocaleString("en")} left)
          </button>`
        : nothing}`;
  }

  private pair(p: DuplicatePair): TemplateResult {
    const busy = this.working.has(pairKey(p));
    const now = this.app.now();
    return html`<li class="card dup-pair" data-testid="duplicate-pair" data-certain=${p.certain ? "true" : "false"} aria-busy=${busy ? "true" : "false"}>
      <p class="dup-reason">
        <span
          class="badge ${p.certain ? "dup-certain" : "dup-possible"}"
          title=${p.certain ? "They share an email address or a handle" : "Their names are alike, but nothing else ties them together"}
          >${p.certain ? "Almost certain" : "Possible"}</span
        >
        <span data-testid="duplicate-reason">${sentence(p.reason)}</span>
      </p>
      <div class="dup-sides">
        ${side(p.a, "Left", now)}
        ${side(p.b, "Right", now)}
      </div>
      <div class="dup-actions">
        <button
          type="button"
          class="button small"
          data-testid="merge-into-left"
          title=${`Keep ${p.a.name}; move ${p.b.name} into them`}
          ?disabled=${busy}
          @click=${() => void this.merge(p, p.a, p.b)}
        >
          ${icon("back")}<span>Merge into left</span>
        </button>
        <button
          type="button"
          class="button small"
          data-testid="merge-into-right"
          title=${`Keep ${p.b.name}; move ${p.a.name} into them`}
          ?disabled=${busy}
          @click=${() => void this.merge(p, p.b, p.a)}
        >
          <span>Merge into right</span>${icon("arrow-right")}
        </button>
        <button type="button" class="button ghost small" data-testid="not-duplicates" ?disabled=${busy} @click=${() => void this.keepApart(p)}>
          Not the same person
        </button>
      </div>
    </li>`;
  }
}

function side(c: ContactSummary, which: string, now: Date): TemplateResult {
  const h = c.primary_handle;
  return html`<div class="dup-side" data-testid="duplicate-side">
    <span class="visually-hidden">${which}:</span>
    <a class="dup-name" href=${contactHref(c.id)} data-testid="duplicate-name">${c.name}</a>
    ${c.organisation ? html`<p class="small dup-line">${c.organisation}</p>` : nothing}
    ${h
      ? html`<p class="small dup-line"><span class="muted">${platformLabel(h.platform)}</span> <span class="dup-handle">${h.value}</span></p>`
      : html`<p class="small muted dup-line">No handle</p>`}
    <p class="small muted dup-line">
      ${plural(c.interaction_count, "interaction", "interactions")}${c.last_interaction_at
        ? html`, last <time datetime=${c.last_interaction_at}>${relativeTime(c.last_interaction_at, now)}</time>${c.last_channel
              ? ` on ${channelLabel(c.last_channel)}`
              : ""}`
        : nothing}
    </p>
  </div>`;
}

/** The reason as a sentence: "same email address ann@example.org" → "Same email address …". */
function sentence(reason: string): string {
  const r = reason.trim();
  return r === "" ? "" : r[0]!.toUpperCase() + r.slice(1);
}
