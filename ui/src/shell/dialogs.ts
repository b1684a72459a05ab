// The window's dialogs: one open at a time over an inert page, the confirmation asked over it,
// focus moved in on opening and given back on closing, and the dialogs the sidebar opens.

import { html, nothing, type TemplateResult } from "lit-html";
import type { App } from "../app";
import { BackupsDialog } from "../views/backups-dialog";
import { ConfirmDialog, type ConfirmRequest, type DialogView } from "../views/dialog";
import { ExportDialog } from "../views/export-dialog";
import { PassphraseDialog } from "../views/passphrase-dialog";
import { QuickMoment, type MomentTarget } from "../views/quick-moment";

export class Dialogs {
  private readonly confirmDialog: ConfirmDialog;
  private returnFocus: HTMLElement | null = null;

  constructor(private readonly app: App) {
    this.confirmDialog = new ConfirmDialog(() => app.invalidate());
  }

  /** A dialog or a confirmation is open: the rest of the window is inert. */
  get open(): boolean {
    return this.app.state.dialog !== null || this.confirmDialog.open;
  }

  template(): TemplateResult {
    const dialog = this.app.state.dialog;
    return html`${dialog ? dialog.template() : nothing} ${this.confirmDialog.template()}`;
  }

  /** Opens a dialog and remembers where focus was, to give it back on close. */
  show(dialog: DialogView): void {
    this.returnFocus = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    this.app.store.update({ dialog });
    this.app.afterRender(() => dialog.focusFirst());
  }

  close(): void {
    if (!this.app.state.dialog) return;
    this.app.store.update({ dialog: null });
    const back = this.returnFocus;
    this.returnFocus = null;
    if (back && back.isConnected) this.app.afterRender(() => back.focus());
  }

  confirm(request: ConfirmRequest): Promise<boolean> {
    const back = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const answer = this.confirmDialog.ask(request);
    this.app.afterRender(() => this.confirmDialog.focusFirst());
    return answer.then((ok) => {
      if (back && back.isConnected) this.app.afterRender(() => back.focus());
      return ok;
    });
  }

  /** Escape: answers the confirmation "no", else closes the dialog. Answers whether it did. */
  escape(): boolean {
    if (this.confirmDialog.open) {
      this.confirmDialog.answer(false);
      return true;
    }
    if (this.app.state.dialog) {
      this.close();
      return true;
    }
    return false;
  }

  /** Opens the export dialog, for these people or this tag if given, else for everyone. */
  openExport(initial: { people?: Array<{ id: string; name: string }>; tag?: string } = {}): void {
    if (this.open) return;
    this.show(new ExportDialog(this.app, initial));
  }

  /** Opens the passphrase settings: encrypt the store, change or remove the passphrase. */
  openPassphrase(): void {
    this.show(new PassphraseDialog(this.app));
  }

  /** Opens the backups: the copies kept, a copy now, restoring one. */
  openBackups(): void {
    if (this.open) return;
    this.show(new BackupsDialog(this.app));
  }

  /** Opens the mentoring moment, for the contact on screen if there is one. */
  openQuickMoment(): void {
    if (this.open) return;
    let target: MomentTarget | null = null;
    const detail = this.app.route.name === "contact" ? this.app.contactPage.detail : null;
    if (detail) {
      target = {
        id: detail.contact.id,
        name: detail.contact.name,
        lastChannel: detail.timeline[0]?.interaction.channel ?? null,
        platform: detail.contact.handles[0]?.platform ?? null,
      };
    }
    this.show(new QuickMoment(this.app, target));
  }
}
