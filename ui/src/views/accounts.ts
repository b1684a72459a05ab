// The Accounts view: the mailboxes and feeds Kith syncs by itself. Each account says when it
// last synced and what that brought, when the next sync is, and its last problem in plain
// words; "Sync now" shows progress and can be cancelled (a cancelled sync keeps nothing of its
// batch); Remove asks first and removes the account's kept password too. Below, how often Kith
// syncs while it is open, and the form that adds an account.

import { html, nothing, type TemplateResult } from "lit-html";
import { repeat } from "lit-html/directives/repeat.js";
import * as api from "../api";
import type { AccountView, PasswordKeeping, SyncProgress } from "../api";
import { toApiError } from "../api";
import { lastSyncWords, needsPassword, nextSyncWords, stageWords, syncProblemWords, syncReportWords } from "../account-words";
import { channelIcon, icon } from "../icons";
import type { App } from "../app";
import { Latest } from "../latest";
import { AccountForm } from "./accounts-form";

/** The sync running from this view: which accounts (empty: all), and how far it has come. */
interface Running {
  names: string[];
  progress: SyncProgress | null;
  cancelling: boolean;
}

export class AccountsView {
  accounts: AccountView[] = [];
  loaded = false;
  private failed = false;
  private keeping: PasswordKeeping | null = null;
  private every: number | null = null;
  private everyText = "";
  private everyError: string | null = null;
  private running: Running | null = null;
  /** The account whose password is being asked for "Sync now", and what was typed. */
  private asking: { name: string; password: string } | null = null;
  private readonly latest = new Latest();
  private readonly form: AccountForm;

  constructor(private readonly app: App) {
    this.form = new AccountForm(app, () => this.keeping, () => void this.refresh(true));
  }

  /** Reads the accounts afresh: on each visit, after a sync and after the backend says one ran. */
  async refresh(quiet = false): Promise<void> {
    const turn = this.latest.begin();
    try {
      const [accounts, keeping, every] = await Promise.all([
        api.listAccounts(),
        this.keeping ? Promise.resolve(this.keeping) : api.passwordKeeping(),
        this.every === null ? api.syncEvery() : Promise.resolve(this.every),
      ]);
      if (!turn.current()) return;
      this.accounts = accounts;
      this.keeping = keeping;
      if (this.every === null) this.everyText = String(every);
      this.every = every;
      this.loaded = true;
      this.failed = false;
    } catch (e) {
      if (!turn.current()) return;
      this.failed = true;
      if (!quiet) this.app.showError(e);
    }
    this.app.invalidate();
  }

  private get busy(): boolean {
    return this.running !== null;
  }

  /** Syncs these accounts (none: every account) now, one after another. */
  private async sync(names: string[], password: string | null = null): Promise<void> {
    if (this.busy) return;
    this.running = { names, progress: null, cancelling: false };
    this.asking = null;
    this.app.invalidate();
    try {
      const reports = await api.syncAccounts(names, password, (p) => {
        if (this.running) this.running.progress = p;
        this.app.invalidate();
      });
      this.app.showToast(syncReportWords(reports));
    } catch (e) {
      const err = toApiError(e);
      if (err.code !== "cancelled") this.app.showError(err);
      else this.app.showToast("Sync cancelled. Nothing from it was kept.");
    } finally {
      this.running = null;
      this.app.invalidate();
      await Promise.all([this.refresh(true), this.app.newPeopleView.refresh(true), this.app.dataChanged()]);
    }
  }

  private syncOne(account: AccountView): void {
    if (needsPassword(account)) {
      this.asking = { name: account.name, password: "" };
      this.app.invalidate();
      this.app.afterRender(() => document.getElementById("acc-ask-password")?.focus());
      return;
    }
    void this.sync([account.name]);
  }

  private async cancel(): Promise<void> {
    if (!this.running || this.running.cancelling) return;
    this.running.cancelling = true;
    this.app.invalidate();
    try {
      await api.cancelSync();
    } catch (e) {
      if (this.running) this.running.cancelling = false;
      this.app.showError(e);
    }
  }

  private async remove(account: AccountView): Promise<void> {
    const ok = await this.app.confirm({
      title: `Remove ${account.name}?`,
      message:
        account.kind === "imap"
          ? "Kith stops syncing this mailbox and forgets its kept password. What it already brought in stays in your network."
          : account.kind === "mastodon"
            ? "Kith stops syncing this Mastodon account and forgets its sign-in. What it already brought in stays in your network."
            : account.kind === "carddav" || account.kind === "caldav"
              ? "Kith stops syncing with this server and forgets its kept password. Your contacts stay in Kith, and what Kith wrote there stays on the server."
              : "Kith stops reading this feed. What it already brought in stays in your network.",
      confirmLabel: "Remove",
    });
    if (!ok) return;
    try {
      await api.removeAccount(account.id);
      this.app.showToast(`Removed ${account.name}.`);
    } catch (e) {
      this.app.showError(e);
    }
    await this.refresh(true);
  }

  private async saveEvery(): Promise<void> {
    const n = Number(this.everyText.trim());
    if (!Number.isInteger(n) || n < 5 || n > 1440) {
      this.everyError = "Give a whole number of minutes, from 5 to 1440 (a day).";
      this.app.invalidate();
      return;
    }
    try {
      await api.setSyncEvery(n);
      this.every = n;
      this.everyError = null;
      this.app.showToast(`Kith syncs your accounts every ${n} minutes while it is open.`);
      await this.refresh(true);
    } catch (e) {
      const err = toApiError(e);
      if (err.code === "invalid_input") {
        this.everyError = err.message;
        this.app.invalidate();
      } else this.app.showError(err);
    }
  }

  template(): TemplateResult {
    return html`<article class="sg-page acc-page" data-testid="accounts-view">
      <header class="sg-page-header">
        <h1 id="acc-title" tabindex="-1">Accounts</h1>
        <p class="muted">
          Mailboxes, blogs, Mastodon and Bluesky accounts Kith reads by itself, so your network keeps up to date without exports. Kith connects only
          to the accounts you add here, and only while it syncs them.
        </p>
      </header>
      ${!this.loaded
        ? html`<p class="muted">${this.failed ? "The accounts could not be read." : "Reading your accounts…"}</p>`
        : html`${this.running && this.syncingRow(this.running) === null ? this.progressCard(this.running) : nothing} ${this.list()} ${this.schedule()}
          ${this.form.template(this.busy)}`}
    </article>`;
  }

  private list(): TemplateResult {
    if (this.accounts.length === 0) {
      return html`<div class="sg-empty" data-testid="accounts-empty">
        <p><strong>No accounts yet.</strong></p>
        <p>Add a mailbox (IMAP) or a blog's feed below, and Kith brings in what is new every few minutes.</p>
      </div>`;
    }
    return html`<div class="acc-toolbar">
        <button type="button" class="button" data-testid="accounts-sync-all" ?disabled=${this.busy} @click=${() => void this.sync([])}>
          ${icon("clock")}<span>Sync all now</span>
        </button>
      </div>
      <ul class="acc-list" aria-labelledby="acc-title">
        ${repeat(
          this.accounts,
          (a) => a.id,
          (a) => this.row(a),
        )}
      </ul>`;
  }

  /** The account the running sync is at, whose row shows its progress; null before it starts on one. */
  private syncingRow(r: Running): string | null {
    return r.progress?.account ?? (r.names.length === 1 ? r.names[0]! : null);
  }

  private row(a: AccountView): TemplateResult {
    const now = this.app.now();
    const where =
      a.settings.kind === "imap"
        ? `${a.settings.user} on ${a.settings.host}`
        : a.settings.kind === "mastodon"
          ? `@${a.settings.acct}`
          : a.settings.kind === "bluesky"
            ? `@${a.settings.handle}`
          : a.settings.url;
    const asking = this.asking?.name === a.name ? this.asking : null;
    return html`<li class="card acc-row" data-testid="account-row" data-name=${a.name} data-kind=${a.kind}>
      <div class="acc-head">
        <span class="acc-kind badge" data-testid="account-kind">${channelIcon(kindChannel(a.kind), true)}<span>${kindLabel(a.kind)}</span></span>
        <h2 class="acc-name" data-testid="account-name">${a.name}</h2>
        <span class="muted small acc-where" data-testid="account-where">${where}</span>
      </div>
      <p class="small" data-testid="account-last-sync">${lastSyncWords(a, now)}</p>
      ${a.last_error
        ? html`<p class="acc-error small" role="status" data-testid="account-error" data-code=${a.last_error.code}>
            ${icon("close")}<span>${syncProblemWords(a.last_error.code, a.next_sync_at, a.kind)}</span>
          </p>`
        : nothing}
      ${a.last_notes.length && !a.last_error
        ? html`<ul class="acc-notes small" data-testid="account-notes" aria-label="What the last sync said">
            ${a.last_notes.slice(0, 5).map((n) => html`<li>${n}</li>`)}
            ${a.last_notes.length > 5 ? html`<li class="muted">and ${a.last_notes.length - 5} more</li>` : nothing}
          </ul>`
        : nothing}
      <p class="muted small" data-testid="account-next-sync">${nextSyncWords(a, now, this.every ?? 15)}</p>
      ${a.kind === "imap" || a.kind === "bluesky" || a.kind === "carddav" || a.kind === "caldav"
        ? html`<p class="muted small" data-testid="account-secret">
            ${a.secret_kept ? `Password kept ${keptWhere(this.keeping)}.` : "No password kept: it is asked for at each sync."}
          </p>`
        : nothing}
      ${asking
        ? html`<form
            class="acc-ask"
            data-testid="account-password-form"
            @submit=${(e: SubmitEvent) => {
              e.preventDefault();
              void this.sync([a.name], asking.password);
            }}
          >
            <label for="acc-ask-password">${a.kind === "bluesky" ? "App password" : "Password"} for ${a.name}</label>
            <input
              id="acc-ask-password"
              type="password"
              autocomplete="off"
              data-testid="account-password-input"
              .value=${asking.password}
              @input=${(e: InputEvent) => {
                asking.password = (e.target as HTMLInputElement).value;
              }}
            />
            <button type="submit" class="button primary small" data-testid="account-password-sync">Sync</button>
            <button
              type="button"
              class="button ghost small"
              @click=${() => {
                this.asking = null;
                this.app.invalidate();
              }}
            >
              Cancel
            </button>
          </form>`
        : nothing}
      ${this.running && this.syncingRow(this.running) === a.name ? this.progressCard(this.running) : nothing}
      <div class="acc-actions">
        <button
          type="button"
          class="button small"
          data-testid="account-sync"
          aria-label="Sync ${a.name} now"
          ?disabled=${this.busy}
          @click=${() => this.syncOne(a)}
        >
          ${icon("clock")}<span>Sync now</span>
        </button>
        <button
          type="button"
          class="button ghost small"
          data-testid="account-remove"
          aria-label="Remove ${a.name}"
          ?disabled=${this.busy}
          @click=${() => void this.remove(a)}
        >
          ${icon("trash")}<span>Remove</span>
        </button>
      </div>
    </li>`;
  }

  private progressCard(r: Running): TemplateResult {
    const p = r.progress;
    const who = p ? p.account : r.names.length === 1 ? r.names[0] : "your accounts";
    const done = p?.done ?? 0;
    const total = p?.total ?? null;
    return html`<section class="card im-progress" data-testid="sync-progress" aria-labelledby="acc-progress-title">
      <h2 id="acc-progress-title">Syncing ${who}…</h2>
      ${total !== null && total > 0
        ? html`<progress class="im-bar" max=${total} .value=${Math.min(done, total)} aria-labelledby="acc-progress-title"></progress>`
        : html`<progress class="im-bar" aria-labelledby="acc-progress-title"></progress>`}
      <p class="im-progress-row" aria-live="polite">
        <span data-testid="sync-stage">${p ? stageWords(p.stage) : "Connecting…"}</span>
        ${done > 0 ? html`<span class="muted">${done.toLocaleString("en")}${total ? ` of ${total.toLocaleString("en")}` : ""}</span>` : nothing}
      </p>
      <div class="im-actions">
        <button type="button" class="button" data-testid="sync-cancel" ?disabled=${r.cancelling} @click=${() => void this.cancel()}>
          ${r.cancelling ? "Stopping…" : "Cancel"}
        </button>
        <span class="muted small">Cancelling keeps nothing of this sync's batch.</span>
      </div>
    </section>`;
  }

  private schedule(): TemplateResult {
    return html`<form
      class="card acc-schedule"
      data-testid="sync-every-form"
      @submit=${(e: SubmitEvent) => {
        e.preventDefault();
        void this.saveEvery();
      }}
    >
      <div class="field">
        <label for="acc-every">Sync every (minutes)</label>
        <div class="acc-inline">
          <input
            id="acc-every"
            type="number"
            min="5"
            max="1440"
            step="1"
            inputmode="numeric"
            data-testid="sync-every"
            aria-invalid=${this.everyError ? "true" : "false"}
            aria-describedby="acc-every-help"
            .value=${this.everyText}
            @input=${(e: InputEvent) => {
              this.everyText = (e.target as HTMLInputElement).value;
              this.everyError = null;
            }}
          />
          <button type="submit" class="button small" data-testid="sync-every-save">Save</button>
        </div>
        ${this.everyError
          ? html`<p class="field-error" id="acc-every-help" role="alert">${this.everyError}</p>`
          : html`<p class="field-hint" id="acc-every-help">
              While Kith is open it syncs each account this often, waiting longer after a failure or when a server asks it
              to.
            </p>`}
      </div>
    </form>`;
  }
}

/** Where a kept password is, in a sentence's end. */
export function keptWhere(keeping: PasswordKeeping | null): string {
  switch (keeping) {
    case "system":
      return "in your system's secret store";
    case "encrypted_store":
      return "in your passphrase-encrypted store";
    default:
      return "safely";
  }
}

/** The channel whose icon stands for an account's kind. */
function kindChannel(kind: AccountView["kind"]): "email" | "blog" | "mastodon" | "bluesky" {
  return kind === "imap" ? "email" : kind === "mastodon" || kind === "bluesky" ? kind : "blog";
}

/** An account's kind in words. */
function kindLabel(kind: AccountView["kind"]): string {
  switch (kind) {
    case "imap":
      return "Mailbox";
    case "mastodon":
      return "Mastodon";
    case "bluesky":
      return "Bluesky";
    case "carddav":
      return "Address book";
    case "caldav":
      return "Calendar";
    default:
      return "Feed";
  }
}
