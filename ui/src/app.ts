// The application shell: it holds the window's state in one store (state/store.ts) and lays
// the window out: the sidebar, the error banner, the view for the route, the confirmation at
// the bottom and the dialogs. Each concern lives in its own file (shell/, state/); views are
// plain classes that return lit-html templates. Any change to the state, or a view's
// `invalidate()`, draws the whole tree again in one microtask (lit-html only touches the DOM
// where values changed).

import { html, render, type TemplateResult } from "lit-html";
import * as api from "./api";
import type { AppInfo, Event, Stats } from "./api";
import { toApiError } from "./api";
import type { Route } from "./router";
import { Dialogs } from "./shell/dialogs";
import { mainView } from "./shell/main-view";
import { bannerTemplate } from "./shell/problems";
import { enterRoute } from "./shell/routes";
import { onGlobalKey } from "./shell/shortcuts";
import { sidebar } from "./shell/sidebar";
import { Toasts } from "./shell/toasts";
import { SuggestionState } from "./suggestion-state";
import { applyTheme } from "./theme";
import { Store } from "./state/store";
import { WindowData } from "./state/window-data";
import { initialState, type ToastAction, type WindowState } from "./state/window-state";
import { parseRoute } from "./router";
import type { ConfirmRequest, DialogView } from "./views/dialog";
import { ContactsList } from "./views/contacts-list";
import { ContactPage } from "./views/contact-page";
import { ContactFormView } from "./views/contact-form";
import { EventsView } from "./views/events";
import { EventFormView } from "./views/event-form";
import { AttendeesView } from "./views/attendees";
import { BriefingView } from "./views/briefing";
import { MetView } from "./views/met";
import { UnlockView } from "./views/unlock";
import { KeepInTouchView } from "./views/keep-in-touch";
import { ImportView } from "./views/import";
import { DuplicatesView } from "./views/duplicates";
import { SuggestionsView } from "./views/suggestions";
import { AccountsView } from "./views/accounts";
import { NewPeopleView } from "./views/new-people";

export type { ToastAction } from "./state/window-state";

export class App {
  /** The window's state; every change draws the window again. */
  readonly store = new Store<WindowState>(initialState(parseRoute(window.location.hash)));
  readonly data = new WindowData(this);
  readonly dialogs = new Dialogs(this);
  private readonly toasts = new Toasts(this.store);
  private scheduled = false;
  private readonly after: Array<() => void> = [];

  readonly unlockView = new UnlockView(this);
  readonly contacts = new ContactsList(this);
  readonly contactPage = new ContactPage(this);
  readonly contactForm = new ContactFormView(this);
  readonly eventsView = new EventsView(this);
  readonly eventForm = new EventFormView(this);
  readonly briefingView = new BriefingView(this);
  readonly attendeesView = new AttendeesView(this);
  readonly metView = new MetView(this);
  readonly suggestions = new SuggestionState(this);
  readonly suggestionsView = new SuggestionsView(this);
  readonly keepInTouchView = new KeepInTouchView(this);
  readonly importView = new ImportView(this);
  readonly duplicatesView = new DuplicatesView(this);
  readonly accountsView = new AccountsView(this);
  readonly newPeopleView = new NewPeopleView(this);

  constructor(private readonly root: HTMLElement) {
    this.store.subscribe(() => this.invalidate());
  }

  async start(): Promise<void> {
    applyTheme();
    window.addEventListener("hashchange", () => void enterRoute(this));
    document.addEventListener("keydown", (e) => onGlobalKey(this, e));
    window
      .matchMedia?.("(prefers-color-scheme: dark)")
      .addEventListener?.("change", () => this.invalidate());
    this.renderNow();
    // Writes the window did not make (an import finishing, another program's commit) show
    // without a reload.
    void api.watchChanges(() => void this.dataChanged()).catch(() => {
      // Without pings the window still refreshes after its own saves.
    });
    // A sync the app ran by itself: its account's status, and who is new, change on screen.
    void api.watchSyncs(() => void this.accountsSynced()).catch(() => {
      // Without it the Accounts and New people views still read afresh on each visit.
    });
    // The list first, on its own: the backend answers one call at a time, and the whole-network
    // suggestions and duplicates take hundreds of milliseconds on a busy network; asked at the
    // same time they could go first and keep the window empty that long.
    const list = this.contacts.reload();
    await Promise.all([
      list,
      this.data.refreshCounts(),
      this.data.refreshTags(),
      list.then(() => Promise.all([this.suggestions.refresh(), this.duplicatesView.refresh(true), this.newPeopleView.refresh(true)])),
      api
        .appInfo()
        .then((info) => {
          this.store.update({ info });
          // Kith finished or undid a job that was interrupted (a passphrase change, a backup):
          // say what it did, once.
          if (info.tidied.length > 0) this.showToast(info.tidied.join(" "));
        })
        .catch(() => {
          // The version line is a nicety; a failure here is reported by the calls that matter.
        }),
    ]);
    await enterRoute(this);
  }

  /** The current time. Views take it from here so "now" is read in one place. */
  now(): Date {
    return new Date();
  }

  // -------------------------------------------------------------------------------------------
  // The state, as views read it

  get state(): Readonly<WindowState> {
    return this.store.state;
  }
  get route(): Route {
    return this.state.route;
  }
  get stats(): Stats | null {
    return this.state.stats;
  }
  get info(): AppInfo | null {
    return this.state.info;
  }
  get tags(): string[] {
    return this.state.tags;
  }
  get events(): Event[] {
    return this.state.events;
  }
  get eventsLoaded(): boolean {
    return this.state.eventsLoaded;
  }
  get demoLoading(): boolean {
    return this.state.demoLoading;
  }

  // -------------------------------------------------------------------------------------------
  // Rendering

  invalidate(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => this.renderNow());
  }

  /** Runs once after the next render (e.g. to move focus to something just shown). */
  afterRender(fn: () => void): void {
    this.after.push(fn);
    this.invalidate();
  }

  private renderNow(): void {
    this.scheduled = false;
    render(this.template(), this.root);
    const pending = this.after.splice(0);
    for (const fn of pending) fn();
  }

  private template(): TemplateResult {
    const modal = this.dialogs.open;
    // The banner stays outside the inert parts so an error can be read and dismissed while a
    // dialog is open.
    return html`<div class="shell">
        ${sidebar(this, modal)}
        <main class="main" id="main">
          ${bannerTemplate(this)}
          <div class="view" ?inert=${modal}>${mainView(this)}</div>
        </main>
      </div>
      ${this.toasts.template(modal)} ${this.dialogs.template()}`;
  }

  // -------------------------------------------------------------------------------------------
  // What views ask of the shell

  /** A short confirmation at the bottom of the window, with optional follow-on actions. */
  showToast(message: string, actions: ToastAction[] = []): void {
    this.toasts.show(message, actions);
  }

  hideToast(): void {
    this.toasts.hide();
  }

  showError(e: unknown): void {
    const err = toApiError(e);
    this.store.update({ banner: { code: err.code, message: err.message } });
  }

  dismissError(): void {
    this.store.update({ banner: null });
  }

  /** Opens a web or mailto: link in the browser or mail client; the window itself never navigates. */
  async openExternal(url: string): Promise<void> {
    try {
      await api.openUrl(url);
    } catch (e) {
      this.showError(e);
    }
  }

  showDialog(dialog: DialogView): void {
    this.dialogs.show(dialog);
  }

  closeDialog(): void {
    this.dialogs.close();
  }

  isDialogOpen(): boolean {
    return this.dialogs.open;
  }

  confirm(request: ConfirmRequest): Promise<boolean> {
    return this.dialogs.confirm(request);
  }

  dataChanged(everything = false): Promise<void> {
    return this.data.dataChanged(everything);
  }

  /** After a sync the window did not start: the accounts' status, the new people and the data it brought. */
  async accountsSynced(): Promise<void> {
    await Promise.all([
      this.accountsView.loaded ? this.accountsView.refresh(true) : Promise.resolve(),
      this.newPeopleView.refresh(true),
      this.dataChanged(),
    ]);
  }

  rememberNames(list: ReadonlyArray<{ id: string; name: string }>): void {
    this.data.rememberNames(list);
  }

  nameOf(id: string): string {
    return this.data.nameOf(id);
  }
}
