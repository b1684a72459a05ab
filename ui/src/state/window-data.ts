// The data the window shares between views: the counts, the tags, the events, the names of
// contacts seen so far, whether the store can be opened at all, and reading again what the
// store's writes changed.

import * as api from "../api";
import type { ContactSummary } from "../api";
import { toApiError } from "../api";
import type { App } from "../app";
import type { StoreChange } from "../bindings";
import { EVERYTHING, refreshPlan } from "../refresh-plan";
import { navigate, parseRoute } from "../router";
import { STORE_PROBLEMS } from "./window-state";

export class WindowData {
  /** Names of contacts seen so far, for event attendees and pickers. */
  readonly names = new Map<string, string>();
  private directoryLoaded = false;
  /** The refresh running after a change, if any (see dataChanged). */
  private refreshing: Promise<void> = Promise.resolve();

  constructor(private readonly app: App) {}

  async refreshCounts(): Promise<void> {
    const { store } = this.app;
    try {
      const stats = await api.stats();
      store.update({ stats, storeProblem: null });
    } catch (e) {
      const err = toApiError(e);
      if (STORE_PROBLEMS.has(err.code)) {
        const locking = err.code === "passphrase_needed" && store.state.storeProblem?.code !== "passphrase_needed";
        store.update({ storeProblem: { code: err.code, message: err.message } });
        if (locking) this.app.afterRender(() => this.app.unlockView.focus());
      } else {
        this.app.showError(err);
      }
    }
  }

  /** Tries the store again (after the person fixed or replaced the file). */
  async retryStore(): Promise<void> {
    this.app.dismissError();
    await this.refreshCounts();
    if (!this.app.state.storeProblem) await this.dataChanged(true);
  }

  async refreshTags(): Promise<void> {
    try {
      this.app.store.update({ tags: await api.listTags() });
    } catch (e) {
      this.app.showError(e);
    }
  }

  async refreshEvents(): Promise<void> {
    try {
      this.app.store.update({ events: await api.listEvents(), eventsLoaded: true });
    } catch (e) {
      this.app.showError(e);
    }
  }

  async ensureEvents(): Promise<void> {
    if (!this.app.state.eventsLoaded) await this.refreshEvents();
  }

  rememberNames(list: ReadonlyArray<Pick<ContactSummary, "id" | "name">>): void {
    for (const c of list) this.names.set(c.id, c.name);
  }

  nameOf(id: string): string {
    return this.names.get(id) ?? "Unknown contact";
  }

  /** Makes sure the names of these contacts are known, loading the directory once if not. */
  async ensureNames(ids: readonly string[]): Promise<void> {
    if (this.directoryLoaded || ids.every((id) => this.names.has(id))) return;
    try {
      this.rememberNames(await api.listContacts({}));
      this.directoryLoaded = true;
    } catch (e) {
      this.app.showError(e);
    }
    this.app.invalidate();
  }

  /**
   * Reads again what the store's writes changed since the last time (the backend keeps what
   * each write changed until asked), refreshing only the views that show any of it. A view
   * calls this after its own save; the backend's ping calls it after writes the window did not
   * make. One runs at a time: the second finds what the first left, usually nothing.
   * `everything` reads every view again whatever changed (the store just came back).
   */
  dataChanged(everything = false): Promise<void> {
    const run = this.refreshing.then(() => this.refreshChanged(everything));
    this.refreshing = run.catch(() => undefined);
    return run;
  }

  private async refreshChanged(everything: boolean): Promise<void> {
    let change: StoreChange = EVERYTHING;
    if (!everything) {
      try {
        change = await api.takeChanges();
      } catch {
        // Not knowing what changed, read everything.
      }
    }
    const app = this.app;
    // Read the address, not the state's route: a caller may just have navigated away (e.g.
    // after a delete) and the hashchange that updates the state has not run yet.
    const current = parseRoute(window.location.hash);
    const plan = refreshPlan(change, current);
    const tasks: Array<Promise<unknown>> = [];
    if (plan.contacts) {
      this.directoryLoaded = false;
      // Named changes patch the list on screen; "anything may have changed" reads it whole.
      tasks.push(change.everything ? app.contacts.reload() : app.contacts.patch(change.contacts));
    }
    if (plan.counts) tasks.push(this.refreshCounts());
    if (plan.tags) tasks.push(this.refreshTags());
    if (plan.suggestions) {
      app.suggestions.forgetEvidence();
      tasks.push(app.suggestions.refresh());
    }
    if (plan.events && app.state.eventsLoaded) tasks.push(this.refreshEvents());
    if (plan.contactPage && current.name === "contact") {
      tasks.push(app.contactPage.show(current.id, true), app.suggestions.showContact(current.id, true));
    } else if (current.name !== "contact" && (change.everything || change.contacts.length || change.interactions.length || change.events.length)) {
      // The page last shown is kept for going back to it; what changed meanwhile makes it
      // stale, so it is read again when shown.
      app.contactPage.forget();
    }
    // Another program's sync (`kith sync` on the same file) or a restore: who is new and the
    // accounts' status may have changed too. The app's own syncs say so themselves.
    if (change.everything) {
      tasks.push(app.newPeopleView.refresh(true));
      if (current.name === "accounts") tasks.push(app.accountsView.refresh(true));
    }
    // A briefing is "as of now": a moment logged from it (Ctrl+M) belongs in it.
    if (plan.briefing && current.name === "event-brief") tasks.push(app.briefingView.show(current.id));
    await Promise.all(tasks);
  }

  async loadDemo(): Promise<void> {
    const { store } = this.app;
    if (store.state.demoLoading) return;
    store.update({ demoLoading: true });
    try {
      store.update({ stats: await api.loadDemo() });
      await this.dataChanged();
      navigate({ name: "contacts" });
      this.app.afterRender(() => this.app.contacts.focusSearch());
    } catch (e) {
      this.app.showError(e);
    } finally {
      store.update({ demoLoading: false });
    }
  }
}
