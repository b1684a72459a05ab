// The application shell: routing, the sidebar, the error banner, dialogs, global shortcuts, and
// the shared caches (counts, tags, contact names). Views are plain classes that return lit-html
// templates; any change calls `invalidate()` and the whole tree re-renders in one microtask
// (lit-html only touches the DOM where values changed).

import { html, nothing, render, type TemplateResult } from "lit-html";
import * as api from "./api";
import type { AppInfo, ContactSummary, Event, Stats } from "./api";
import { toApiError } from "./api";
import type { StoreChange } from "./bindings";
import { plural } from "./format";
import { icon } from "./icons";
import { EVERYTHING, refreshPlan } from "./refresh-plan";
import { href, isContactsSection, isEventsSection, navigate, parseRoute, type Route } from "./router";
import { SuggestionState } from "./suggestion-state";
import { applyTheme, effectiveTheme, toggleTheme } from "./theme";
import { ConfirmDialog, type ConfirmRequest, type DialogView } from "./views/dialog";
import { ContactsList } from "./views/contacts-list";
import { ContactPage } from "./views/contact-page";
import { ContactFormView } from "./views/contact-form";
import { EventsView } from "./views/events";
import { EventFormView } from "./views/event-form";
import { AttendeesView } from "./views/attendees";
import { BriefingView } from "./views/briefing";
import { MetView } from "./views/met";
import { BackupsDialog } from "./views/backups-dialog";
import { PassphraseDialog } from "./views/passphrase-dialog";
import { UnlockView } from "./views/unlock";
import { ExportDialog } from "./views/export-dialog";
import { KeepInTouchView } from "./views/keep-in-touch";
import { ImportView } from "./views/import";
import { DuplicatesView } from "./views/duplicates";
import { QuickMoment, type MomentTarget } from "./views/quick-moment";
import { SuggestionsView } from "./views/suggestions";
import { welcome } from "./views/welcome";

interface Banner {
  code: string;
  message: string;
}

export interface ToastAction {
  label: string;
  run: () => unknown;
}

interface Toast {
  id: number;
  message: string;
  actions: ToastAction[];
}

/** How long a confirmation stays; one with actions stays longer, and none goes while in use. */
const TOAST_MS = 6000;
const TOAST_WITH_ACTIONS_MS = 15000;

export class App {
  route: Route = parseRoute(window.location.hash);
  stats: Stats | null = null;
  info: AppInfo | null = null;
  tags: string[] = [];
  events: Event[] = [];
  eventsLoaded = false;
  banner: Banner | null = null;
  /** Set when the store itself cannot be opened; the window then explains that instead. */
  storeProblem: Banner | null = null;
  private readonly unlockView = new UnlockView(this);
  demoLoading = false;
  /** Names of contacts seen so far, for event attendees and pickers. */
  readonly names = new Map<string, string>();

  private dialog: DialogView | null = null;
  private readonly confirmDialog = new ConfirmDialog(() => this.invalidate());
  private scheduled = false;
  private readonly after: Array<() => void> = [];
  private directoryLoaded = false;
  /** The refresh running after a change, if any (see dataChanged). */
  private refreshing: Promise<void> = Promise.resolve();

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

  toast: Toast | null = null;
  private toastSeq = 0;
  private toastTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly root: HTMLElement) {}

  async start(): Promise<void> {
    applyTheme();
    window.addEventListener("hashchange", () => this.onRoute());
    document.addEventListener("keydown", (e) => this.onGlobalKey(e));
    window
      .matchMedia?.("(prefers-color-scheme: dark)")
      .addEventListener?.("change", () => this.invalidate());
    this.renderNow();
    // Writes the window did not make (an import finishing, another program's commit) show
    // without a reload.
    void api.watchChanges(() => void this.dataChanged()).catch(() => {
      // Without pings the window still refreshes after its own saves.
    });
    // The list first, on its own: the backend answers one call at a time, and the whole-network
    // suggestions and duplicates take hundreds of milliseconds on a busy network; asked at the
    // same time they could go first and keep the window empty that long.
    const list = this.contacts.reload();
    await Promise.all([
      list,
      this.refreshCounts(),
      this.refreshTags(),
      list.then(() => Promise.all([this.suggestions.refresh(), this.duplicatesView.refresh(true)])),
      api
        .appInfo()
        .then((info) => {
          this.info = info;
          // Kith finished or undid a job that was interrupted (a passphrase change, a backup):
          // say what it did, once.
          if (info.tidied.length > 0) this.showToast(info.tidied.join(" "));
          this.invalidate();
        })
        .catch(() => {
          // The version line is a nicety; a failure here is reported by the calls that matter.
        }),
    ]);
    await this.onRoute();
  }

  /** The current time. Views take it from here so "now" is read in one place. */
  now(): Date {
    return new Date();
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
    const modal = this.dialog !== null || this.confirmDialog.open;
    // The banner stays outside the inert parts so an error can be read and dismissed while a
    // dialog is open.
    return html`<div class="shell">
        ${this.sidebar(modal)}
        <main class="main" id="main">
          ${this.bannerTemplate()}
          <div class="view" ?inert=${modal}>${this.mainView()}</div>
        </main>
      </div>
      ${this.toastTemplate(modal)}
      ${this.dialog ? this.dialog.template() : nothing} ${this.confirmDialog.template()}`;
  }

  private sidebar(modal: boolean): TemplateResult {
    const s = this.stats;
    const r = this.route;
    const sections = [
      { route: { name: "contacts" } as Route, current: isContactsSection(r), icon: icon("users"), label: "Contacts", count: s ? s.contacts.toLocaleString("en") : "", alert: false, testid: "nav-contacts", title: "Contacts" },
      { route: { name: "events" } as Route, current: isEventsSection(r), icon: icon("calendar"), label: "Events", count: s ? s.events.toLocaleString("en") : "", alert: false, testid: "nav-events", title: "Events" },
      {
        route: { name: "suggestions" } as Route,
        current: r.name === "suggestions",
        icon: icon("lightbulb"),
        label: "Suggestions",
        count: this.suggestions.loaded && this.suggestions.list.length ? this.suggestions.list.length.toLocaleString("en") : "",
        alert: false,
        testid: "nav-suggestions",
        title: this.suggestions.loaded ? `Suggestions: ${plural(this.suggestions.list.length, "suggestion", "suggestions")}` : "Suggestions",
      },
      {
        route: { name: "keep-in-touch" } as Route,
        current: r.name === "keep-in-touch",
        icon: icon("clock"),
        label: "Keep in touch",
        count: this.suggestions.overdue.length ? this.suggestions.overdue.length.toLocaleString("en") : "",
        alert: this.suggestions.overdue.length > 0,
        testid: "nav-keep-in-touch",
        title: this.suggestions.overdue.length ? `Keep in touch: ${this.suggestions.overdue.length} overdue` : "Keep in touch",
      },
      { route: { name: "import" } as Route, current: r.name === "import", icon: icon("import"), label: "Import", count: "", alert: false, testid: "nav-import", title: "Import a file" },
      {
        route: { name: "duplicates" } as Route,
        current: r.name === "duplicates",
        icon: icon("merge"),
        label: "Duplicates",
        count: this.duplicatesView.count ? this.duplicatesView.count.toLocaleString("en") : "",
        alert: false,
        testid: "nav-duplicates",
        title: this.duplicatesView.count ? `Duplicates: ${plural(this.duplicatesView.count, "possible duplicate", "possible duplicates")}` : "Possible duplicates",
      },
    ];
    const dark = effectiveTheme() === "dark";
    return html`<aside class="sidebar" aria-label="Kith" ?inert=${modal}>
      <div class="brand">
        <span class="brand-mark" aria-hidden="true">${icon("sparkle")}</span>
        <span class="brand-name">Kith</span>
      </div>
      <div class="sidebar-actions">
        <button type="button" class="button primary block" data-testid="new-contact-button" aria-label="New contact" title="New contact" @click=${() => navigate({ name: "contact-new" })}>
          ${icon("plus")}<span>New contact</span>
        </button>
        <button
          type="button"
          class="button block"
          data-testid="quick-moment-button"
          aria-label="Mentoring moment"
          title="Log a mentoring moment (Ctrl+M)"
          @click=${() => this.openQuickMoment()}
        >
          ${icon("bolt")}<span>Mentoring moment</span>
        </button>
        <p class="sidebar-hint"><kbd>Ctrl M</kbd> from anywhere</p>
        <button type="button" class="button ghost block" data-testid="export-button" title="Export notes, contacts or a calendar" @click=${() => this.openExport()}>
          ${icon("external")}<span>Export…</span>
        </button>
      </div>
      <nav class="nav" aria-label="Sections">
        ${sections.map(
          (n) => html`<a
            href=${href(n.route)}
            class="nav-link ${n.current ? "is-current" : ""}"
            aria-current=${n.current ? "page" : "false"}
            title=${n.title}
            data-testid=${n.testid}
          >
            ${n.icon}<span>${n.label}</span>${n.alert ? html`<span class="visually-hidden">, overdue:</span>` : nothing}<span
              class="count ${n.alert ? "alert" : ""}"
              >${n.count}</span
            >
          </a>`,
        )}
      </nav>
      <div class="sidebar-footer">
        ${s ? html`<p class="muted small">${plural(s.interactions, "interaction", "interactions")} logged</p>` : nothing}
        <button type="button" class="button ghost small" data-testid="backups-button" aria-label="Backups" title="Backups: copies of your store, and restoring one" @click=${() => this.openBackups()}>
          ${icon("clock")}<span>Backups</span>
        </button>
        <button type="button" class="button ghost small" data-testid="passphrase-button" aria-label="Passphrase" title="Passphrase: encrypt your store and its backups" @click=${() => this.openPassphrase()}>
          ${icon("lock")}<span>Passphrase</span>
        </button>
        <button type="button" class="button ghost small" aria-label=${dark ? "Light theme" : "Dark theme"} title=${dark ? "Use the light theme" : "Use the dark theme"} @click=${() => {
          toggleTheme();
          this.invalidate();
        }}>
          ${dark ? icon("sun") : icon("moon")}<span>${dark ? "Light theme" : "Dark theme"}</span>
        </button>
        ${this.info
          ? html`<p class="muted small version" title=${this.info.db_path}>Kith ${this.info.version}</p>`
          : nothing}
      </div>
    </aside>`;
  }

  private mainView(): TemplateResult {
    if (this.storeProblem?.code === "passphrase_needed") return this.unlockView.template();
    if (this.storeProblem) return storeProblem(this, this.storeProblem);
    const r = this.route;
    const empty = this.stats !== null && this.stats.contacts === 0;
    switch (r.name) {
      case "contacts":
      case "contact":
        if (empty) return welcome(this);
        return this.twoPane(
          this.contacts.template(r.name === "contact" ? r.id : null),
          r.name === "contact" ? this.contactPage.template() : this.contactsHint(),
          r.name === "contact",
        );
      case "contact-new":
      case "contact-edit":
        if (empty) return html`<div class="single-pane">${this.contactForm.template()}</div>`;
        return this.twoPane(this.contacts.template(r.name === "contact-edit" ? r.id : null), this.contactForm.template(), true);
      case "events":
      case "event":
      case "event-new":
      case "event-edit":
        return this.eventsView.layout(r, r.name === "event-new" || r.name === "event-edit" ? this.eventForm.template() : null);
      case "event-brief":
        return html`<div class="single-pane">${this.briefingView.template()}</div>`;
      case "event-attendees":
        return html`<div class="single-pane">${this.attendeesView.template()}</div>`;
      case "event-met":
        return html`<div class="single-pane">${this.metView.template()}</div>`;
      case "suggestions":
        return html`<div class="single-pane">${this.suggestionsView.template()}</div>`;
      case "keep-in-touch":
        return html`<div class="single-pane">${this.keepInTouchView.template()}</div>`;
      case "import":
        return html`<div class="single-pane">${this.importView.template()}</div>`;
      case "duplicates":
        return html`<div class="single-pane">${this.duplicatesView.template()}</div>`;
    }
  }

  twoPane(list: TemplateResult, detail: TemplateResult, detailOpen: boolean): TemplateResult {
    return html`<div class="two-pane ${detailOpen ? "detail-open" : ""}">
      <section class="list-pane">${list}</section>
      <section class="detail-pane">${detail}</section>
    </div>`;
  }

  private contactsHint(): TemplateResult {
    return html`<div class="pane-hint">
      <p>Choose someone on the left to see everything you share with them.</p>
      <p class="muted small">
        <kbd>/</kbd> search · <kbd>↑</kbd><kbd>↓</kbd> move · <kbd>Enter</kbd> open · <kbd>Ctrl M</kbd> mentoring moment
      </p>
    </div>`;
  }

  private bannerTemplate(): TemplateResult | typeof nothing {
    const b = this.banner;
    // A store that cannot be opened is explained in the main pane; the banner would repeat it.
    if (!b || (this.storeProblem && STORE_PROBLEMS.has(b.code))) return nothing;
    return html`<div class="banner" role="alert" data-testid="error-banner" data-code=${b.code}>
      <p>${b.message}</p>
      <button type="button" class="icon-button" aria-label="Dismiss" title="Dismiss" @click=${() => this.dismissError()}>
        ${icon("close")}
      </button>
    </div>`;
  }

  // -------------------------------------------------------------------------------------------
  // Toasts and links out

  private toastTemplate(modal: boolean): TemplateResult {
    const t = this.toast;
    // The live region is always there, so a new message is announced when it appears.
    return html`<div class="toast-region" role="status" aria-live="polite" ?inert=${modal}>
      ${t
        ? html`<div
            class="toast"
            data-testid="toast"
            @mouseenter=${() => clearTimeout(this.toastTimer)}
            @mouseleave=${() => this.scheduleToastEnd(t)}
            @focusout=${() => this.scheduleToastEnd(t)}
          >
            <p>${t.message}</p>
            ${t.actions.map(
              (a) => html`<button type="button" class="button small" @click=${() => void a.run()}>${a.label}</button>`,
            )}
            <button type="button" class="icon-button" aria-label="Close" title="Close" @click=${() => this.hideToast()}>
              ${icon("close")}
            </button>
          </div>`
        : nothing}
    </div>`;
  }

  /** A short confirmation at the bottom of the window, with optional follow-on actions. */
  showToast(message: string, actions: ToastAction[] = []): void {
    this.toast = { id: ++this.toastSeq, message, actions };
    this.scheduleToastEnd(this.toast);
    this.invalidate();
  }

  hideToast(): void {
    clearTimeout(this.toastTimer);
    this.toast = null;
    this.invalidate();
  }

  private scheduleToastEnd(t: Toast): void {
    clearTimeout(this.toastTimer);
    this.toastTimer = setTimeout(() => {
      if (this.toast?.id !== t.id) return;
      // Not while the person is using it.
      if (document.querySelector(".toast:hover, .toast:focus-within")) return;
      this.hideToast();
    }, t.actions.length ? TOAST_WITH_ACTIONS_MS : TOAST_MS);
  }

  /** Opens a web or mailto: link in the browser or mail client; the window itself never navigates. */
  async openExternal(url: string): Promise<void> {
    try {
      await api.openUrl(url);
    } catch (e) {
      this.showError(e);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Errors, dialogs

  showError(e: unknown): void {
    const err = toApiError(e);
    this.banner = { code: err.code, message: err.message };
    this.invalidate();
  }

  dismissError(): void {
    this.banner = null;
    this.invalidate();
  }

  openDialog(dialog: DialogView): void {
    this.dialog = dialog;
    this.afterRender(() => dialog.focusFirst());
  }

  closeDialog(): void {
    if (!this.dialog) return;
    this.dialog = null;
    this.invalidate();
    const back = this.returnFocus;
    this.returnFocus = null;
    if (back && back.isConnected) this.afterRender(() => back.focus());
  }

  private returnFocus: HTMLElement | null = null;

  isDialogOpen(): boolean {
    return this.dialog !== null || this.confirmDialog.open;
  }

  confirm(request: ConfirmRequest): Promise<boolean> {
    const back = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const answer = this.confirmDialog.ask(request);
    this.afterRender(() => this.confirmDialog.focusFirst());
    return answer.then((ok) => {
      if (back && back.isConnected) this.afterRender(() => back.focus());
      return ok;
    });
  }

  /** Opens a dialog and remembers where focus was, to give it back on close. */
  showDialog(dialog: DialogView): void {
    this.returnFocus = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    this.openDialog(dialog);
  }

  /** Opens the export dialog, for these people or this tag if given, else for everyone. */
  openExport(initial: { people?: Array<{ id: string; name: string }>; tag?: string } = {}): void {
    if (this.isDialogOpen()) return;
    this.showDialog(new ExportDialog(this, initial));
  }

  /** Opens the passphrase settings: encrypt the store, change or remove the passphrase. */
  openPassphrase(): void {
    this.showDialog(new PassphraseDialog(this));
  }

  /** Opens the backups: the copies kept, a copy now, restoring one. */
  openBackups(): void {
    if (this.isDialogOpen()) return;
    this.showDialog(new BackupsDialog(this));
  }

  openQuickMoment(): void {
    if (this.isDialogOpen()) return;
    let target: MomentTarget | null = null;
    const detail = this.route.name === "contact" ? this.contactPage.detail : null;
    if (detail) {
      target = {
        id: detail.contact.id,
        name: detail.contact.name,
        lastChannel: detail.timeline[0]?.interaction.channel ?? null,
        platform: detail.contact.handles[0]?.platform ?? null,
      };
    }
    this.showDialog(new QuickMoment(this, target));
  }

  private onGlobalKey(e: KeyboardEvent): void {
    if (e.key === "Escape") {
      if (this.confirmDialog.open) {
        e.preventDefault();
        this.confirmDialog.answer(false);
      } else if (this.dialog) {
        e.preventDefault();
        this.closeDialog();
      } else if (this.banner) {
        this.dismissError();
      }
      return;
    }
    if (e.ctrlKey && !e.altKey && !e.metaKey && !e.shiftKey && e.key.toLowerCase() === "m") {
      e.preventDefault();
      this.openQuickMoment();
      return;
    }
    if (e.key === "/" && !e.ctrlKey && !e.metaKey && !e.altKey && !this.isDialogOpen() && !isEditable(e.target)) {
      e.preventDefault();
      if (!isContactsSection(this.route) || this.route.name === "contact-new" || this.route.name === "contact-edit") {
        navigate({ name: "contacts" });
      }
      this.afterRender(() => this.contacts.focusSearch());
    }
  }

  // -------------------------------------------------------------------------------------------
  // Routing and data

  private async onRoute(): Promise<void> {
    const route = parseRoute(window.location.hash);
    if (route.name !== this.route.name) this.suggestions.closeCards();
    this.route = route;
    this.invalidate();
    switch (route.name) {
      case "contact":
        this.contacts.reveal(route.id);
        await Promise.all([this.contactPage.show(route.id, false, route.entry ?? null), this.suggestions.showContact(route.id)]);
        break;
      case "contact-new":
        this.contactForm.startNew();
        break;
      case "contact-edit":
        this.contacts.reveal(route.id);
        await this.contactForm.startEdit(route.id);
        break;
      case "events":
      case "event":
        await this.ensureEvents();
        if (route.name === "event") await this.ensureNames(this.events.find((ev) => ev.id === route.id)?.attendee_ids ?? []);
        break;
      case "event-new":
        await this.ensureEvents();
        this.eventForm.startNew();
        break;
      case "event-edit":
        await this.ensureEvents();
        await this.eventForm.startEdit(route.id);
        break;
      case "event-brief":
        await this.briefingView.show(route.id);
        break;
      case "event-attendees":
        await this.ensureEvents();
        await this.attendeesView.show(route.id);
        break;
      case "event-met":
        await this.ensureEvents();
        await this.metView.show(route.id);
        await this.ensureNames(this.events.find((ev) => ev.id === route.id)?.attendee_ids ?? []);
        break;
      case "contacts":
        break;
      case "suggestions":
      case "keep-in-touch":
        // Time moves on (snoozes end, people become overdue): read them afresh on each visit.
        await this.suggestions.refresh();
        break;
      case "import":
        await this.importView.enter();
        break;
      case "duplicates":
        await this.duplicatesView.refresh();
        break;
    }
  }

  async refreshCounts(): Promise<void> {
    try {
      this.stats = await api.stats();
      this.storeProblem = null;
    } catch (e) {
      const err = toApiError(e);
      if (STORE_PROBLEMS.has(err.code)) {
        const locking = err.code === "passphrase_needed" && this.storeProblem?.code !== "passphrase_needed";
        this.storeProblem = { code: err.code, message: err.message };
        if (locking) this.afterRender(() => this.unlockView.focus());
      } else {
        this.showError(err);
      }
    }
    this.invalidate();
  }

  /** Tries the store again (after the person fixed or replaced the file). */
  async retryStore(): Promise<void> {
    this.dismissError();
    await this.refreshCounts();
    if (!this.storeProblem) await this.dataChanged(true);
  }

  async refreshTags(): Promise<void> {
    try {
      this.tags = await api.listTags();
    } catch (e) {
      this.showError(e);
    }
    this.invalidate();
  }

  async refreshEvents(): Promise<void> {
    try {
      this.events = await api.listEvents();
      this.eventsLoaded = true;
    } catch (e) {
      this.showError(e);
    }
    this.invalidate();
  }

  async ensureEvents(): Promise<void> {
    if (!this.eventsLoaded) await this.refreshEvents();
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
      this.showError(e);
    }
    this.invalidate();
  }

  /** Something was saved or deleted: refresh everything that may show it. */
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
    // Read the address, not this.route: a caller may just have navigated away (e.g. after a
    // delete) and the hashchange that updates this.route has not run yet.
    const current = parseRoute(window.location.hash);
    const plan = refreshPlan(change, current);
    const tasks: Array<Promise<unknown>> = [];
    if (plan.contacts) {
      this.directoryLoaded = false;
      tasks.push(this.contacts.reload());
    }
    if (plan.counts) tasks.push(this.refreshCounts());
    if (plan.tags) tasks.push(this.refreshTags());
    if (plan.suggestions) {
      this.suggestions.forgetEvidence();
      tasks.push(this.suggestions.refresh());
    }
    if (plan.events && this.eventsLoaded) tasks.push(this.refreshEvents());
    if (plan.contactPage && current.name === "contact") {
      tasks.push(this.contactPage.show(current.id, true), this.suggestions.showContact(current.id, true));
    }
    // A briefing is "as of now": a moment logged from it (Ctrl+M) belongs in it.
    if (plan.briefing && current.name === "event-brief") tasks.push(this.briefingView.show(current.id));
    await Promise.all(tasks);
  }

  async loadDemo(): Promise<void> {
    if (this.demoLoading) return;
    this.demoLoading = true;
    this.invalidate();
    try {
      this.stats = await api.loadDemo();
      await this.dataChanged();
      navigate({ name: "contacts" });
      this.afterRender(() => this.contacts.focusSearch());
    } catch (e) {
      this.showError(e);
    } finally {
      this.demoLoading = false;
      this.invalidate();
    }
  }
}

/** Error codes meaning the store file itself cannot be used, whatever is asked of it. */
const STORE_PROBLEMS = new Set(["store_corrupt", "store_too_new", "store_unavailable", "passphrase_needed"]);

function storeProblem(app: App, problem: Banner): TemplateResult {
  const title =
    problem.code === "store_too_new"
      ? "This store was written by a newer Kith"
      : problem.code === "store_corrupt"
        ? "Kith cannot read its store"
        : "Kith cannot open its store";
  return html`<div class="welcome">
    <div class="welcome-card store-problem" role="alert" data-testid="store-problem" data-code=${problem.code}>
      <h1>${title}</h1>
      <p class="prose">${problem.message}</p>
      ${app.info ? html`<p class="muted small">Store file: <code>${app.info.db_path}</code></p>` : nothing}
      <div class="welcome-actions">
        <button type="button" class="button primary" @click=${() => void app.retryStore()}>Try again</button>
        <button type="button" class="button" data-testid="store-problem-restore" @click=${() => app.openBackups()}>Restore a backup…</button>
      </div>
    </div>
  </div>`;
}

function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT";
}
