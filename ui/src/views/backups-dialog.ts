// Backups: the copies Kith keeps next to the store (daily, before imports and upgrades, before
// restores, and those made by hand), a copy now, and restoring one after saying what it holds.

import { html, nothing, type TemplateResult } from "lit-html";
import * as api from "../api";
import { toApiError } from "../api";
import type { BackupInfo } from "../api";
import { backupKindLabel, describeStats, formatSize, restoreQuestion } from "../backup-words";
import { formatDateTime } from "../format";
import { icon } from "../icons";
import { navigate } from "../router";
import type { App } from "../app";
import { dialogFrame, type DialogView } from "./dialog";
import { SaveFlow } from "./save-flow";

export class BackupsDialog implements DialogView {
  private list: BackupInfo[] | null = null;
  /** A restore is under way. */
  private busy = false;
  private readonly flow = new SaveFlow(() => this.app);
  private error: string | null = null;
  private done: string | null = null;
  private path = "";
  /** How many daily and before-import copies are kept, as saved and as being typed. */
  private keep: number | null = null;
  private keepDraft = "";

  constructor(private readonly app: App) {
    void this.load();
  }

  focusFirst(): void {
    document.querySelector<HTMLElement>("[data-testid=backup-now]")?.focus();
  }

  private async load(): Promise<void> {
    if (this.keep === null) {
      // A store that cannot be opened (locked, damaged) has no setting to show; its copies
      // are still listed and can be restored.
      try {
        this.keep = await api.backupKeep();
        this.keepDraft = String(this.keep);
      } catch {
        this.keep = null;
      }
    }
    try {
      this.list = await api.listBackups();
    } catch (e) {
      this.error = toApiError(e).message;
      this.list = [];
    }
    this.app.invalidate();
  }

  /** Runs one change (a copy now, a new keep count) with the dialog busy, then says what it did. */
  private async work(change: () => Promise<string>): Promise<void> {
    if (this.working) return;
    this.error = null;
    this.done = null;
    await this.flow.save(true, change, {
      then: (done) => (this.done = done),
      refreshed: () => void this.load(),
      failed: (e) => (this.error = e.message),
    });
  }

  /** A save or a restore is under way: the buttons wait. */
  private get working(): boolean {
    return this.busy || this.flow.saving;
  }

  private backupNow(): Promise<void> {
    return this.work(async () => {
      const made = await api.backupNow();
      return `Made a copy: ${made.name} (${formatSize(made.size_bytes)}).`;
    });
  }

  private async saveKeep(): Promise<void> {
    const n = Number(this.keepDraft.trim());
    if (!Number.isInteger(n) || n < 1 || n > 365) {
      this.error = "Keep between 1 and 365 copies of each kind.";
      this.app.invalidate();
      return;
    }
    await this.work(async () => {
      const removed = await api.setBackupKeep(n);
      this.keep = n;
      const gone = removed === 1 ? "1 older copy was" : `${removed} older copies were`;
      return `Keeping the last ${n} daily and ${n} before-import copies.${removed ? ` ${gone} removed.` : ""}`;
    });
  }

  private async chooseFile(): Promise<void> {
    try {
      const picked = await api.chooseFile("backup");
      if (picked) {
        this.path = picked;
        await this.restore(picked);
      }
    } catch (e) {
      this.error = toApiError(e).message;
      this.app.invalidate();
    }
  }

  /** Checks the copy, says what it holds and what happens to the present store, then restores. */
  private async restore(path: string): Promise<void> {
    if (this.working) return;
    const file = path.trim();
    if (!file) {
      this.error = "Choose a backup file, or type its full path.";
      this.app.invalidate();
      return;
    }
    this.error = null;
    this.done = null;
    let question: string;
    try {
      const contents = await api.inspectBackup(file);
      question = restoreQuestion(contents, this.app.stats);
    } catch (e) {
      this.error = toApiError(e).message;
      this.app.invalidate();
      return;
    }
    const ok = await this.app.confirm({ title: "Restore this backup?", message: question, confirmLabel: "Restore" });
    if (!ok) return;
    this.busy = true;
    this.app.invalidate();
    try {
      const outcome = await api.restoreBackup(file);
      this.done = `Restored: the store now holds ${describeStats(outcome.stats)}.${
        outcome.before_restore ? ` What was there before is kept as ${outcome.before_restore.name}.` : ""
      }`;
      // The page open behind the dialog may show someone the copy does not hold.
      navigate({ name: "contacts" });
      await this.app.data.retryStore();
      await this.load();
    } catch (e) {
      this.error = toApiError(e).message;
    } finally {
      this.busy = false;
      this.app.invalidate();
    }
  }

  private row(b: BackupInfo): TemplateResult {
    return html`<li class="backup-row" data-testid="backup-row">
      <div class="backup-text">
        <strong>${backupKindLabel(b.kind)}</strong>
        <span class="muted small">${formatDateTime(b.created_at)} · ${formatSize(b.size_bytes)}</span>
        <span class="muted small backup-name" title=${b.path}>${b.name}</span>
      </div>
      <button type="button" class="button small" data-testid="backup-restore" ?disabled=${this.working} @click=${() => void this.restore(b.path)}>Restore…</button>
    </li>`;
  }

  private keepRow(): TemplateResult {
    return html`<form
      class="path-row keep-row"
      novalidate
      @submit=${(e: SubmitEvent) => {
        e.preventDefault();
        void this.saveKeep();
      }}
    >
      <label for="backup-keep">Keep the last</label>
      <input
        id="backup-keep"
        type="number"
        min="1"
        max="365"
        inputmode="numeric"
        data-testid="backup-keep"
        .value=${this.keepDraft}
        @input=${(e: InputEvent) => {
          this.keepDraft = (e.target as HTMLInputElement).value;
          this.app.invalidate();
        }}
      />
      <span>daily and before-import copies</span>
      <button type="submit" class="button small" data-testid="backup-keep-save" ?disabled=${this.working || this.keepDraft === String(this.keep)}>
        Save
      </button>
    </form>`;
  }

  private body(): TemplateResult {
    const list = this.list;
    return html`<div class="backups">
      <p class="muted small">
        Kith copies your store every day you use it, before every import and upgrade, and before a restore. Copies sit in a
        <code>backups</code> folder next to the store${this.app.info ? html` (<code class="backup-name">${this.app.info.db_path}</code>)` : nothing}.
      </p>
      <div class="dialog-actions backups-actions">
        <button type="button" class="button primary" data-testid="backup-now" ?disabled=${this.working} @click=${() => void this.backupNow()}>
          ${this.working ? "Working…" : "Back up now"}
        </button>
      </div>
      ${this.done ? html`<p class="backup-done" role="status" data-testid="backup-done">${icon("check")}<span>${this.done}</span></p>` : nothing}
      ${this.error ? html`<p class="field-error" role="alert" data-testid="backup-error">${this.error}</p>` : nothing}
      <h3 class="backups-title">Copies</h3>
      ${list === null
        ? html`<p class="muted">Loading…</p>`
        : list.length === 0
          ? html`<p class="muted" data-testid="backups-empty">No copies yet. The first daily copy is made the next time Kith opens a store with something in it.</p>`
          : html`<ul class="plain-list backup-list">${list.map((b) => this.row(b))}</ul>`}
      ${this.keep === null ? nothing : this.keepRow()}
      <h3 class="backups-title">Restore a copy kept elsewhere</h3>
      <form
        class="path-row"
        @submit=${(e: SubmitEvent) => {
          e.preventDefault();
          void this.restore(this.path);
        }}
      >
        <input
          type="text"
          aria-label="Backup file"
          placeholder="/full/path/to/kith-backup.sqlite3"
          spellcheck="false"
          autocomplete="off"
          data-testid="backup-path"
          .value=${this.path}
          @input=${(e: InputEvent) => (this.path = (e.target as HTMLInputElement).value)}
        />
        <button type="button" class="button" @click=${() => void this.chooseFile()}>Choose…</button>
        <button type="submit" class="button" data-testid="backup-path-restore" ?disabled=${this.working}>Restore…</button>
      </form>
    </div>`;
  }

  template(): TemplateResult {
    return dialogFrame({
      title: "Backups",
      subtitle: "Copies of your whole store, kept on this machine.",
      testid: "backups-dialog",
      onClose: () => this.app.closeDialog(),
      body: this.body(),
      size: "medium",
    });
  }
}
