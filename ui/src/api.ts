// The only module that talks to the backend. Every function unwraps the command's Result and
// throws an ApiError on failure, so views can `await` and catch in one place. Views branch on
// `ApiError.code` (stable) and show `ApiError.message` (for people), never parse the message.

import { Channel } from "@tauri-apps/api/core";
import { commands } from "./bindings";

/** What every generated command resolves to. */
type Result<T, E> = { status: "ok"; data: T } | { status: "error"; error: E };
import type {
  AccountView,
  AppInfo,
  AttendeeMatch,
  AttendeesAdded,
  BackupContents,
  BackupInfo,
  Code,
  BriefFormat,
  Briefing,
  Contact,
  ContactDetail,
  ContactDraft,
  ContactFilter,
  ContactSummary,
  ContactsPatch,
  DuplicatePair,
  Event,
  EventDraft,
  ExportDone,
  ExportRequest,
  FeedSettings,
  BlueskySettings,
  FilePurpose,
  FollowUp,
  ImapSettings,
  AccountSettings,
  ImportOutcome,
  ImportRequest,
  Interaction,
  InteractionDraft,
  KeepInTouchStatus,
  MetEntry,
  NewPerson,
  PassphraseChange,
  PassphraseStatus,
  PasswordKeeping,
  Progress,
  PublicError,
  RestoreOutcome,
  StoreChange,
  SaveTarget,
  SearchResults,
  Stats,
  Suggestion,
  SyncProgress,
  SyncReport,
  TimelinePage,
  UpcomingDate,
} from "./bindings";

export type * from "./bindings";

export class ApiError extends Error {
  readonly code: Code;
  constructor(code: Code, message: string) {
    super(message);
    this.name = "ApiError";
    this.code = code;
  }
}

function isPublicError(e: unknown): e is PublicError {
  return (
    typeof e === "object" &&
    e !== null &&
    typeof (e as { code?: unknown }).code === "string" &&
    typeof (e as { message?: unknown }).message === "string"
  );
}

/** Turns anything a command can fail with into an ApiError. */
export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  if (isPublicError(e)) return new ApiError(e.code, e.message);
  if (e instanceof Error) return new ApiError("internal", e.message || String(e));
  if (typeof e === "string" && e !== "") return new ApiError("internal", e);
  return new ApiError("internal", "The app's backend failed without saying why.");
}

/** Awaits a generated command and returns its data, or throws an ApiError. */
export async function unwrap<T>(call: Promise<Result<T, PublicError>>): Promise<T> {
  let result: Result<T, PublicError>;
  try {
    result = await call;
  } catch (e) {
    // The bindings rethrow real JS errors (e.g. no backend at all); normalise those too.
    throw toApiError(e);
  }
  if (result.status === "ok") return result.data;
  throw toApiError(result.error);
}

const fullFilter = (filter: Partial<ContactFilter>): ContactFilter => ({
  query: filter.query ?? null,
  role: filter.role ?? null,
  channel: filter.channel ?? null,
  tag: filter.tag ?? null,
  limit: filter.limit ?? null,
});

/** Lists contacts; filters left out filter nothing. */
export const listContacts = (filter: Partial<ContactFilter>): Promise<ContactSummary[]> =>
  unwrap(commands.listContacts(fullFilter(filter)));
/** For a list already shown: its new order, and the rows of the contacts that changed. */
export const contactsPatch = (filter: Partial<ContactFilter>, changed: string[]): Promise<ContactsPatch> =>
  unwrap(commands.contactsPatch(fullFilter(filter), changed));
export const getContact = (id: string): Promise<ContactDetail> => unwrap(commands.getContact(id));
/** How many interactions each further page of a contact's timeline brings. */
export const TIMELINE_PAGE = 200;
/** The older page of a contact's timeline that starts after `after` (a page's `next`). */
export const contactTimeline = (id: string, after: string, limit = TIMELINE_PAGE): Promise<TimelinePage> =>
  unwrap(commands.contactTimeline(id, after, limit));
export const saveContact = (draft: ContactDraft): Promise<Contact> =>
  unwrap(commands.saveContact(draft));
export const deleteContact = (id: string): Promise<null> => unwrap(commands.deleteContact(id));
export const saveInteraction = (draft: InteractionDraft): Promise<Interaction> =>
  unwrap(commands.saveInteraction(draft));
export const deleteInteraction = (id: string): Promise<null> =>
  unwrap(commands.deleteInteraction(id));
export const search = (query: string): Promise<SearchResults> => unwrap(commands.search(query));
export const listTags = (): Promise<string[]> => unwrap(commands.listTags());
export const listEvents = (): Promise<Event[]> => unwrap(commands.listEvents());
export const saveEvent = (draft: EventDraft): Promise<Event> => unwrap(commands.saveEvent(draft));
export const deleteEvent = (id: string): Promise<null> => unwrap(commands.deleteEvent(id));
export const stats = (): Promise<Stats> => unwrap(commands.stats());
export const loadDemo = (): Promise<Stats> => unwrap(commands.loadDemo());
export const appInfo = (): Promise<AppInfo> => unwrap(commands.appInfo());

/** Suggestions across the network, best first, without dismissed, snoozed or accepted ones. */
export const listSuggestions = (): Promise<Suggestion[]> => unwrap(commands.listSuggestions());
export const contactSuggestions = (id: string): Promise<Suggestion[]> =>
  unwrap(commands.contactSuggestions(id));
/** Accepts a suggestion as a plan; `due` is a calendar date (YYYY-MM-DD) or null. */
export const acceptSuggestion = (id: string, note: string, due: string | null): Promise<FollowUp> =>
  unwrap(commands.acceptSuggestion(id, note, due));
/** Dismisses a suggestion for good (`until` null) or snoozes it until an instant. */
export const dismissSuggestion = (id: string, until: Date | null): Promise<null> =>
  unwrap(commands.dismissSuggestion(id, until ? until.toISOString() : null));
export const keepInTouch = (): Promise<KeepInTouchStatus[]> => unwrap(commands.keepInTouch());
export const upcomingDates = (): Promise<UpcomingDate[]> => unwrap(commands.upcomingDates());
export const listFollowUps = (): Promise<FollowUp[]> => unwrap(commands.listFollowUps());
/** Marks a plan as done; it leaves the list of plans. */
export const completeFollowUp = (suggestionId: string): Promise<null> => unwrap(commands.completeFollowUp(suggestionId));
/** Opens an http(s) or mailto: URL outside the app (browser, mail client). */
export const openUrl = (url: string): Promise<null> => unwrap(commands.openUrl(url));
/** Writes an accepted plan with a due date as an .ics file and opens it in the calendar app. */
export const openFollowUpInCalendar = (suggestionId: string): Promise<null> =>
  unwrap(commands.openFollowUpInCalendar(suggestionId));

// ---------------------------------------------------------------------------------------------
// Files: imports, exports, duplicates, briefings. Paths come from the system's dialogs, which
// Rust opens; the webview itself cannot touch the file system.

/** Asks for a file with the system dialog; null when the person cancelled. */
export const chooseFile = (purpose: FilePurpose): Promise<string | null> =>
  unwrap(commands.chooseFile(purpose));
/** Asks where to save with the system dialog; null when the person cancelled. */
export const chooseSavePath = (target: SaveTarget, suggestedName: string): Promise<string | null> =>
  unwrap(commands.chooseSavePath(target, suggestedName));

/** What the store's writes changed since the window last asked. */
export const takeChanges = (): Promise<StoreChange> => unwrap(commands.takeChanges());

/** Calls `onChange` after each write that changed the store (the window's own or not). */
export function watchChanges(onChange: () => void): Promise<null> {
  const channel = new Channel<null>();
  channel.onmessage = () => onChange();
  return unwrap(commands.watchChanges(channel));
}

/** A channel that hands each progress report to `onProgress`. */
function progressChannel(onProgress: (p: Progress) => void): Channel<Progress> {
  const channel = new Channel<Progress>();
  channel.onmessage = onProgress;
  return channel;
}

/** What importing a file would do; nothing is written. */
export const previewImport = (request: ImportRequest, onProgress: (p: Progress) => void): Promise<ImportOutcome> =>
  unwrap(commands.previewImport(request, progressChannel(onProgress)));
/** Imports a file, all or nothing. */
export const importFile = (request: ImportRequest, onProgress: (p: Progress) => void): Promise<ImportOutcome> =>
  unwrap(commands.importFile(request, progressChannel(onProgress)));
/** Stops the running import or preview; it fails with code `cancelled` and changes nothing. */
export const cancelImport = (): Promise<null> => unwrap(commands.cancelImport());
export const myEmails = (): Promise<string[]> => unwrap(commands.myEmails());

export const listDuplicates = (): Promise<DuplicatePair[]> => unwrap(commands.listDuplicates());
export const mergeContacts = (kept: string, absorbed: string): Promise<Contact> =>
  unwrap(commands.mergeContacts(kept, absorbed));
export const notDuplicates = (a: string, b: string): Promise<null> => unwrap(commands.notDuplicates(a, b));

/** Writes an export; fails with code `exists` when it would replace a file and overwrite is off. */
export const exportData = (request: ExportRequest): Promise<ExportDone> => unwrap(commands.exportData(request));

export const getBriefing = (eventId: string): Promise<Briefing> => unwrap(commands.getBriefing(eventId));
/** Saves a briefing; fails with code `exists` when the file is there and overwrite is off. */
export const saveBriefing = (eventId: string, format: BriefFormat, path: string, overwrite: boolean): Promise<string> =>
  unwrap(commands.saveBriefing(eventId, format, path, overwrite));
export const matchAttendees = (text: string): Promise<AttendeeMatch[]> => unwrap(commands.matchAttendees(text));
export const readAttendeeList = (path: string): Promise<string> => unwrap(commands.readAttendeeList(path));
export const addAttendees = (eventId: string, contactIds: string[]): Promise<AttendeesAdded> =>
  unwrap(commands.addAttendees(eventId, contactIds));
/** Logs an in-person interaction at the event with each person; `at` null means now. */
export const logMet = (eventId: string, entries: MetEntry[], at: Date | null): Promise<Interaction[]> =>
  unwrap(commands.logMet(eventId, entries, at ? at.toISOString() : null));

// Backups: the copies Kith keeps next to the store, a copy now, and restoring one.
export const listBackups = (): Promise<BackupInfo[]> => unwrap(commands.listBackups());
export const backupNow = (): Promise<BackupInfo> => unwrap(commands.backupNow());
/** What a backup holds; fails with a clear message when the file is not a readable Kith store. */
export const inspectBackup = (path: string): Promise<BackupContents> => unwrap(commands.inspectBackup(path));
/** Replaces the store with the backup; the current store is kept as a before-restore copy. */
export const restoreBackup = (path: string): Promise<RestoreOutcome> => unwrap(commands.restoreBackup(path));
/** How many daily and before-import copies are kept. */
export const backupKeep = (): Promise<number> => unwrap(commands.backupKeep());
/** Keeps this many from now on and removes the oldest beyond it; resolves to how many were removed. */
export const setBackupKeep = (keep: number): Promise<number> => unwrap(commands.setBackupKeep(keep));

// The passphrase: whether the store is locked, unlocking it, and setting, changing or removing it.
export const passphraseStatus = (): Promise<PassphraseStatus> => unwrap(commands.passphraseStatus());
/** Opens a locked store; fails with wrong_passphrase and leaves it locked. */
export const unlockStore = (passphrase: string): Promise<null> => unwrap(commands.unlockStore(passphrase));
/** Sets (no current), changes, or removes (no new) the passphrase of the store and its backups. */
export const changePassphrase = (current: string | null, next: string | null): Promise<PassphraseChange> =>
  unwrap(commands.changePassphrase(current, next));

// Connected accounts: the mailboxes and feeds Kith syncs by itself, and the people they bring.
export const listAccounts = (): Promise<AccountView[]> => unwrap(commands.listAccounts());
/** Where a password given for an account is kept: the system's secret store, the encrypted store, or nowhere (asked at each sync). */
export const passwordKeeping = (): Promise<PasswordKeeping> => unwrap(commands.passwordKeeping());
/** Adds a mailbox; the password (null: asked at each sync) is kept where `passwordKeeping` says. */
export const addImapAccount = (name: string, settings: ImapSettings, password: string | null): Promise<AccountView> =>
  unwrap(commands.addImapAccount(name, settings, password));
/** An address book (CardDAV) or a calendar (CalDAV). */
export const addDavAccount = (name: string, settings: AccountSettings, password: string | null): Promise<AccountView> =>
  unwrap(commands.addDavAccount(name, settings, password));
export const addFeedAccount = (name: string, settings: FeedSettings): Promise<AccountView> =>
  unwrap(commands.addFeedAccount(name, settings));
/** Signs in to a Mastodon server in the system's browser and adds the account; resolves once
 * the user allowed Kith there (or refused, or gave up). */
export const addMastodonAccount = (name: string, server: string): Promise<AccountView> =>
  unwrap(commands.addMastodonAccount(name, server));
/** Adds a Bluesky account: signs in once with the app password (refusing a wrong one), then keeps it where `passwordKeeping` says. */
export const addBlueskyAccount = (name: string, settings: BlueskySettings, password: string): Promise<AccountView> =>
  unwrap(commands.addBlueskyAccount(name, settings, password));
/** Removes an account and its kept password; what it brought in stays. */
export const removeAccount = (id: string): Promise<null> => unwrap(commands.removeAccount(id));
/**
 * Syncs these accounts (none: all) one after another, reporting progress; each account's
 * problem is in its report. A password typed for this sync is not kept.
 */
export const syncAccounts = (names: string[], password: string | null, onProgress: (p: SyncProgress) => void): Promise<SyncReport[]> => {
  const channel = new Channel<SyncProgress>();
  channel.onmessage = onProgress;
  return unwrap(commands.syncAccounts(names, password, channel));
};
/** Stops the sync running now; the account being synced keeps nothing of its batch. */
export const cancelSync = (): Promise<null> => unwrap(commands.cancelSync());
/** How often, in minutes, Kith syncs each account while it is open. */
export const syncEvery = (): Promise<number> => unwrap(commands.syncEveryMinutes());
export const setSyncEvery = (minutes: number): Promise<null> => unwrap(commands.setSyncEveryMinutes(minutes));
/** Calls `onSynced` after each sync the app ran by itself, in the background. */
export function watchSyncs(onSynced: (report: SyncReport) => void): Promise<null> {
  const channel = new Channel<SyncReport>();
  channel.onmessage = onSynced;
  return unwrap(commands.watchSyncs(channel));
}
export const listNewPeople = (): Promise<NewPerson[]> => unwrap(commands.listNewPeople());
export const addNewPerson = (id: string): Promise<Contact> => unwrap(commands.addNewPerson(id));
export const mergeNewPerson = (id: string, contactId: string): Promise<Contact> => unwrap(commands.mergeNewPerson(id, contactId));
/** Ignores a new person for good: Kith never offers them again. */
export const ignoreNewPerson = (id: string): Promise<null> => unwrap(commands.ignoreNewPerson(id));
