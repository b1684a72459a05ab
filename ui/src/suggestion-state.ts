// What the Suggestions, Keep-in-touch and follow-up views share: the suggestions across the
// network and for the open contact, keep-in-touch statuses, accepted plans, and the actions on
// them. Accepting, dismissing and snoozing take a card away at once and put it back if the
// backend refuses.

import * as api from "./api";
import type { ContactDetail, FollowUp, Interaction, KeepInTouchStatus, Suggestion, SuggestionKind, UpcomingDate } from "./api";
import { defaultDueDate, draftEmailHref, draftGreeting, draftSubject, firstEmail, sentence, snoozeUntil, type SnoozeSpan } from "./suggestions";
import type { App } from "./app";
import { Latest } from "./latest";

/** The state of one card's inline controls. */
export interface CardUi {
  mode: "accept" | "snooze" | null;
  note: string;
  /** YYYY-MM-DD, or "" for no due date. */
  due: string;
}

const EVIDENCE_FETCHES = 4;

export class SuggestionState {
  list: Suggestion[] = [];
  loaded = false;
  failed = false;
  keep: KeepInTouchStatus[] = [];
  keepLoaded = false;
  /** Birthdays, anniversaries and other dates in the next two weeks, soonest first. */
  dates: UpcomingDate[] = [];
  followUps: FollowUp[] = [];
  followUpsLoaded = false;

  /** The open contact's suggestions, for the panel on their page. */
  contactId: string | null = null;
  forContact: Suggestion[] = [];
  contactLoaded = false;

  /** Interactions the cards cite, by id, so evidence links can say what they point at. */
  readonly evidence = new Map<string, Interaction>();
  /** Each contact's first email address (null: none), learnt with their timeline. */
  readonly emails = new Map<string, string | null>();
  private readonly evidenceAsked = new Set<string>();
  private overdueById = new Map<string, KeepInTouchStatus>();
  private readonly cards = new Map<string, CardUi>();
  /** Suggestions acted on here: a reload that started before the action must not bring them back. */
  private readonly gone = new Set<string>();
  private readonly latest = new Latest();
  private readonly latestForContact = new Latest();

  constructor(private readonly app: App) {}

  /** Reloads everything the views show; called at start and whenever data changed. */
  async refresh(): Promise<void> {
    const turn = this.latest.begin();
    const [list, keep, plans, dates] = await Promise.allSettled([
      api.listSuggestions(),
      api.keepInTouch(),
      api.listFollowUps(),
      api.upcomingDates(),
    ]);
    if (!turn.current()) return;
    let error: unknown = null;
    if (list.status === "fulfilled") {
      this.list = list.value.filter((s) => !this.gone.has(s.id));
      this.loaded = true;
      this.failed = false;
    } else {
      this.failed = true;
      error = list.reason;
    }
    if (keep.status === "fulfilled") {
      this.keep = keep.value;
      this.keepLoaded = true;
      this.overdueById = new Map(keep.value.filter((k) => k.overdue_days > 0).map((k) => [k.contact_id, k]));
    } else {
      error ??= keep.reason;
    }
    if (dates.status === "fulfilled") {
      this.dates = dates.value;
    } else {
      error ??= dates.reason;
    }
    if (plans.status === "fulfilled") {
      this.followUps = plans.value;
      this.followUpsLoaded = true;
    } else {
      error ??= plans.reason;
    }
    if (error !== null) this.app.showError(error);
    if (this.list.some((s) => s.event_id !== null)) void this.app.data.ensureEvents();
    this.app.contacts.refreshRows();
    this.app.invalidate();
  }

  /** Loads the suggestions for the contact whose page is open. */
  async showContact(id: string, force = false): Promise<void> {
    if (!force && id === this.contactId && this.contactLoaded) return;
    if (id !== this.contactId) {
      this.forContact = [];
      this.contactLoaded = false;
    }
    this.contactId = id;
    const turn = this.latestForContact.begin();
    try {
      const items = await api.contactSuggestions(id);
      if (!turn.current()) return;
      this.forContact = items.filter((s) => !this.gone.has(s.id));
      this.contactLoaded = true;
      if (items.some((s) => s.event_id !== null)) void this.app.data.ensureEvents();
    } catch (e) {
      if (!turn.current()) return;
      // A contact that no longer exists is reported by the page itself.
      if (api.toApiError(e).code !== "not_found") this.app.showError(e);
    }
    this.app.invalidate();
  }

  /** Something was saved or deleted: cited interactions may have changed. */
  forgetEvidence(): void {
    this.evidence.clear();
    this.evidenceAsked.clear();
    this.emails.clear();
  }

  /** Remembers the interactions on a contact's timeline, for the evidence links. */
  rememberTimeline(detail: ContactDetail): void {
    this.evidenceAsked.add(detail.contact.id);
    this.emails.set(detail.contact.id, firstEmail(detail.contact.handles));
    for (const t of detail.timeline) this.evidence.set(t.interaction.id, t.interaction);
  }

  /** Loads the timelines of these contacts (a few at a time) to label their evidence links. */
  async ensureEvidence(contactIds: readonly string[]): Promise<void> {
    const wanted = [...new Set(contactIds)].filter((id) => !this.evidenceAsked.has(id));
    if (wanted.length === 0) return;
    for (const id of wanted) this.evidenceAsked.add(id);
    const next = async (): Promise<void> => {
      for (let id = wanted.shift(); id !== undefined; id = wanted.shift()) {
        try {
          this.rememberTimeline(await api.getContact(id));
        } catch {
          // Only the links' labels depend on this: without it they still open the right
          // entry, and a real problem with the store shows on the next thing the user does.
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(EVIDENCE_FETCHES, wanted.length) }, next));
    this.app.invalidate();
  }

  get overdue(): KeepInTouchStatus[] {
    return this.keep.filter((k) => k.overdue_days > 0);
  }

  overdueOf(contactId: string): KeepInTouchStatus | undefined {
    return this.overdueById.get(contactId);
  }

  /** Closes any open form or menu (typed plans are kept), e.g. when the view changes. */
  closeCards(): void {
    for (const ui of this.cards.values()) ui.mode = null;
  }

  card(s: Suggestion): CardUi {
    let ui = this.cards.get(s.id);
    if (!ui) {
      ui = { mode: null, note: "", due: defaultDueDate(this.app.now()) };
      this.cards.set(s.id, ui);
    }
    return ui;
  }

  /** Takes a suggestion off every list; returns how to put it back. */
  private take(s: Suggestion): () => void {
    const inList = this.list.findIndex((x) => x.id === s.id);
    const inContact = this.forContact.findIndex((x) => x.id === s.id);
    const contactId = this.contactId;
    if (inList >= 0) this.list.splice(inList, 1);
    if (inContact >= 0) this.forContact.splice(inContact, 1);
    this.cards.delete(s.id);
    this.gone.add(s.id);
    this.app.invalidate();
    return () => {
      this.gone.delete(s.id);
      if (inList >= 0 && !this.list.some((x) => x.id === s.id)) this.list.splice(Math.min(inList, this.list.length), 0, s);
      if (inContact >= 0 && this.contactId === contactId && !this.forContact.some((x) => x.id === s.id)) {
        this.forContact.splice(Math.min(inContact, this.forContact.length), 0, s);
      }
      this.app.invalidate();
    };
  }

  async accept(s: Suggestion, note: string, due: string | null): Promise<void> {
    const restore = this.take(s);
    try {
      const [plan, email] = await Promise.all([api.acceptSuggestion(s.id, note.trim(), due), this.emailOf(s.contact_id)]);
      this.followUps = [plan, ...this.followUps.filter((f) => f.suggestion_id !== plan.suggestion_id)];
      const actions = [];
      if (email) {
        actions.push({ label: "Draft an email", run: () => this.openDraft(email, s.contact, s.kind, s.event_id) });
      }
      if (plan.due_on) actions.push({ label: "Add to calendar", run: () => this.addToCalendar(plan.suggestion_id) });
      this.app.showToast(`Plan saved: ${sentence(plan.summary)}`, actions);
    } catch (e) {
      restore();
      this.app.showError(e);
    }
  }

  /** Dismisses for good (`span` null) or snoozes for a day, a week or a month. */
  async dismiss(s: Suggestion, span: SnoozeSpan | null): Promise<void> {
    const restore = this.take(s);
    const until = span ? snoozeUntil(this.app.now(), span) : null;
    try {
      await api.dismissSuggestion(s.id, until);
      this.app.showToast(
        until
          ? `Snoozed until ${until.toLocaleDateString("en", { weekday: "short", day: "numeric", month: "short" })}.`
          : "Dismissed. Kith will not suggest this again.",
      );
    } catch (e) {
      restore();
      this.app.showError(e);
    }
  }

  /** The contact's first email address, or null (also when they cannot be read). */
  private async emailOf(contactId: string | null): Promise<string | null> {
    if (!contactId) return null;
    const open = this.app.contactPage.detail;
    if (open && open.contact.id === contactId) return firstEmail(open.contact.handles);
    try {
      return firstEmail((await api.getContact(contactId)).contact.handles);
    } catch {
      // Without an address the toast simply offers no draft.
      return null;
    }
  }

  private async openDraft(email: string, name: string, kind: SuggestionKind | null, eventId: string | null): Promise<void> {
    const eventName = eventId ? (this.app.events.find((e) => e.id === eventId)?.name ?? null) : null;
    const url = draftEmailHref(email, { subject: draftSubject(kind, eventName), body: draftGreeting(name) });
    if (!url) {
      this.app.showToast(`“${email}” does not look like an email address; fix it on ${name}'s page.`);
      return;
    }
    await this.app.openExternal(url);
  }

  /** Drafts an email for an accepted plan, looking the address up first. */
  async draftFor(plan: FollowUp): Promise<void> {
    const email = await this.emailOf(plan.contact_id);
    const name = plan.contact_id ? (this.app.data.names.get(plan.contact_id) ?? "") : "";
    if (!email) {
      this.app.showToast(name ? `There is no email address for ${name} yet.` : "This plan has no contact with an email address.");
      return;
    }
    await this.openDraft(email, name, null, null);
  }

  /** Marks a plan done: it leaves the list at once, and comes back if the store says no. */
  async complete(plan: FollowUp): Promise<void> {
    const before = this.followUps;
    this.followUps = before.filter((f) => f.suggestion_id !== plan.suggestion_id);
    this.app.invalidate();
    try {
      await api.completeFollowUp(plan.suggestion_id);
      this.app.showToast(`Done: ${sentence(plan.summary)}`);
    } catch (e) {
      this.followUps = before;
      this.app.invalidate();
      this.app.showError(e);
    }
  }

  async addToCalendar(suggestionId: string): Promise<void> {
    try {
      await api.openFollowUpInCalendar(suggestionId);
    } catch (e) {
      this.app.showError(e);
    }
  }
}
