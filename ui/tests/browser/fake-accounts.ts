// Connected accounts in the fake backend: accounts added and removed with their kept password,
// syncs that report progress, can be cancelled (keeping nothing) and bring interactions with
// people already known and new people for the inbox, and syncs the app runs by itself, told to
// the window like the real scheduler does. The test says what the next sync of an account
// brings through `window.__kithFakeAccounts`.

import type { Channel } from "@tauri-apps/api/core";
import type { AccountView, Contact, Handle, NewPerson, PasswordKeeping, PublicError, SyncProgress, SyncReport } from "../../src/bindings";
import type { Extension, FakeContext } from "./fake-commands";

/** What the next sync of an account brings. */
export interface SyncPlan {
  /** The sync fails with this (nothing is kept). */
  error?: PublicError;
  /** When the account may be asked again (a server that asked Kith to wait). */
  retryAt?: string;
  /** Interactions with this contact (by name), one per text. */
  with?: string;
  texts?: string[];
  /** People not in the network yet. */
  newPeople?: Array<{ name: string; handles: Handle[]; seenIn: string; likely?: { name: string; reason: string } }>;
  /** A contact (by name) whose account moved: they gain the new handle, and the sync says so. */
  moved?: { name: string; from: Handle; to: Handle };
  /** What the sync says besides its counts. */
  notes?: string[];
}

export interface FakeAccounts {
  plans: Record<string, SyncPlan>;
  /** While set, a sync waits after its first progress report until released or cancelled. */
  hold: boolean;
  release(): void;
  /** Runs a sync of `name` as the app's scheduler would, and tells the window. */
  background(name: string): Promise<SyncReport>;
  /** The passwords kept, by account id (the fake's system secret store). */
  secrets: Record<string, string>;
  /** The app password the fake Bluesky PDS accepts. */
  blueskyAppPassword: string;
}

declare global {
  interface Window {
    __kithFakeAccounts?: FakeAccounts;
  }
}

const MINUTE = 60_000;

export function accountsExtension({ store, fail }: FakeContext) {
  const accounts = new Map<string, AccountView>();
  let people: NewPerson[] = [];
  const ignored = new Set<string>();
  let every = 15;
  const keeping: PasswordKeeping = window.__KITH_FAKE_CONFIG__?.passwordKeeping ?? "system";
  let cancelled = false;
  let released: (() => void) | null = null;
  let watcher: Channel<SyncReport> | null = null;

  const control: FakeAccounts = {
    plans: {},
    hold: false,
    secrets: {},
    blueskyAppPassword: "abcd-efgh-ijkl-mnop",
    release: () => {
      released?.();
      released = null;
    },
    background: async (name) => {
      const report = await syncOne(name, null, null);
      const channel = watcher;
      setTimeout(() => channel?.onmessage(report), 0);
      return report;
    },
  };
  window.__kithFakeAccounts = control;

  const find = (nameOrId: string): AccountView =>
    accounts.get(nameOrId) ?? [...accounts.values()].find((a) => a.name === nameOrId) ?? fail("not_found", `account "${nameOrId}" was not found`);

  const checkName = (name: string): string => {
    const n = name.trim();
    if (!n) fail("invalid_input", "give the account a name");
    if ([...accounts.values()].some((a) => a.name.toLowerCase() === n.toLowerCase())) fail("invalid_input", `there is already an account named "${n}"`);
    return n;
  };

  const add = (name: string, settings: AccountView["settings"], secretKept: boolean): AccountView => {
    const now = new Date();
    const a: AccountView = {
      id: store.newId("a"),
      name,
      kind: settings.kind,
      settings,
      created_at: now.toISOString(),
      last_sync_at: null,
      last_added: 0,
      last_updated: 0,
      last_new_people: 0,
      last_error: null,
      failures: 0,
      next_sync_at: now.toISOString(),
      secret_kept: secretKept,
      last_notes: [],
    };
    accounts.set(a.id, a);
    return a;
  };

  const contactNamed = (name: string): Contact =>
    [...store.contacts.values()].find((c) => c.name === name) ?? fail("not_found", `contact "${name}" was not found`);

  async function syncOne(name: string, password: string | null, progress: Channel<SyncProgress> | null): Promise<SyncReport> {
    const a = find(name);
    const now = new Date();
    const plan = control.plans[a.name] ?? {};
    const tell = (stage: string, done: number, total: number | null) => progress?.onmessage({ account: a.name, stage, done, total });
    tell("Connecting", 0, null);
    if (control.hold) await new Promise<void>((r) => (released = r));
    if (cancelled) fail("cancelled", `${a.name}: the sync was cancelled; nothing from it was kept`);
    const report: SyncReport = { name: a.name, added: 0, updated: 0, new_people: 0, notes: [], error: null };
    let error: PublicError | null = plan.error ?? null;
    if (!error && a.kind === "imap" && !a.secret_kept && password === null) {
      error = { code: "sync_password_needed", message: `${a.name}: no password is kept for this account; type it to sync` };
    }
    if (error) {
      report.error = error;
      // Like the real store: the last sync that worked stays as it was.
      a.last_error = error;
      a.next_sync_at = plan.retryAt ?? new Date(now.getTime() + every * MINUTE).toISOString();
      return report;
    }
    const texts = plan.texts ?? [];
    tell("Reading", 0, texts.length);
    if (plan.with) {
      const c = contactNamed(plan.with);
      texts.forEach((text, i) => {
        store.saveInteraction({
          id: null,
          contact_ids: [c.id],
          channel: a.kind === "imap" ? "email" : a.kind === "mastodon" ? "mastodon" : "blog",
          direction: "inbound",
          occurred_at: new Date(now.getTime() - (i + 1) * MINUTE).toISOString(),
          public: a.kind !== "imap",
          text,
          thread: null,
          tags: [],
          moment: null,
        });
        tell("Reading", i + 1, texts.length);
      });
      report.added = texts.length;
    }
    for (const p of plan.newPeople ?? []) {
      const key = p.handles[0]?.value ?? p.name;
      if (ignored.has(key)) continue;
      const likely = p.likely ? contactNamed(p.likely.name) : null;
      people.push({
        id: store.newId("np"),
        name: p.name,
        handles: p.handles,
        seen_in: [p.seenIn],
        times: 1,
        first_seen: now.toISOString(),
        last_seen: now.toISOString(),
        likely: likely && p.likely ? { contact_id: likely.id, contact_name: likely.name, reason: p.likely.reason } : null,
      });
      report.new_people += 1;
    }
    if (plan.moved) {
      const c = contactNamed(plan.moved.name);
      store.contacts.set(c.id, { ...c, handles: [...c.handles, plan.moved.to] });
      store.recordHandleChange(c.id, {
        platform: plan.moved.to.platform,
        old_value: plan.moved.from.value,
        new_value: plan.moved.to.value,
        seen_at: now.toISOString(),
        seen_by: a.name,
      });
    }
    report.notes = plan.notes ?? [];
    delete control.plans[a.name];
    Object.assign(a, {
      last_sync_at: now.toISOString(),
      last_added: report.added,
      last_updated: 0,
      last_new_people: report.new_people,
      last_notes: report.notes,
      last_error: null,
      // Like the real store: no time of its own after a sync that worked.
      next_sync_at: null,
    });
    return report;
  }

  const person = (id: string): NewPerson => people.find((p) => p.id === id) ?? fail("not_found", `new person "${id}" was not found`);
  const settle = (p: NewPerson) => {
    people = people.filter((x) => x.id !== p.id);
  };

  return {
    listAccounts: () => [...accounts.values()].sort((a, b) => a.name.localeCompare(b.name)),
    passwordKeeping: () => keeping,
    addImapAccount: (name, settings, password) => {
      const n = checkName(name);
      if (!settings.host.trim()) fail("invalid_input", `${n}: give the mail server's name`);
      const kept = password !== null && password !== "" && keeping !== "asked";
      const a = add(n, { kind: "imap", ...settings }, kept);
      if (kept && password !== null) control.secrets[a.id] = password;
      return a;
    },
    addDavAccount: (name, settings, password) => {
      const n = checkName(name);
      if (settings.kind !== "carddav" && settings.kind !== "caldav") return fail("invalid_input", "only an address book or a calendar is added this way");
      if (!/^https?:\/\/./i.test(settings.url.trim())) fail("invalid_input", `account "${n}": the server (--url) must be an https:// address, not "${settings.url}"`);
      const kept = password !== null && password !== "" && keeping !== "asked";
      const a = add(n, settings, kept);
      if (kept && password !== null) control.secrets[a.id] = password;
      return a;
    },
    addBlueskyAccount: (name, settings, password) => {
      const n = checkName(name);
      const handle = settings.handle.trim().replace(/^@/, "").toLowerCase();
      if (!handle.includes(".")) fail("invalid_input", `${n}: the handle (--handle) must be a Bluesky handle, like ann.bsky.social`);
      if (password !== control.blueskyAppPassword) fail("sync_wrong_password", `${n}: the PDS refused the app password for ${handle}; make a new app password in Bluesky's settings and sign in again`);
      const kept = keeping !== "asked";
      const a = add(n, { kind: "bluesky", handle, did: "did:plc:fakeann", service: settings.service || "https://pds.example.org", plc: settings.plc || "https://plc.directory" }, kept);
      if (kept) control.secrets[a.id] = password;
      return a;
    },
    addFeedAccount: (name, settings) => {
      const n = checkName(name);
      if (!/^https?:\/\/./i.test(settings.url.trim())) fail("invalid_input", `${n}: the feed's address must start with http:// or https://, not "${settings.url}"`);
      if (settings.owner.whose === "contact" && !store.contacts.has(settings.owner.contact_id)) fail("not_found", `contact "${settings.owner.contact_id}" was not found`);
      return add(n, { kind: "feed", ...settings }, false);
    },
    addMastodonAccount: (name, server) => {
      const n = checkName(name);
      const host = /^https:\/\/([^/\s]+)\/?$/i.exec(server.trim())?.[1];
      if (!host) fail("invalid_input", `account "${n}": the server (--server) must be an https:// address, like https://glammr.us`);
      // The user allowed Kith in the browser; the sign-in is kept like a password.
      if (keeping === "asked") fail("invalid_input", "there is no secret store to keep the password in");
      const a = add(n, { kind: "mastodon", server: `https://${host!.toLowerCase()}`, account_id: "1", acct: `me@${host!.toLowerCase()}` }, true);
      control.secrets[a.id] = "fake-token";
      return a;
    },
    removeAccount: (id) => {
      const a = find(id);
      accounts.delete(a.id);
      delete control.secrets[a.id];
      return null;
    },
    syncAccounts: async (names, password, onProgress) => {
      cancelled = false;
      const chosen = names.length ? names : [...accounts.values()].map((a) => a.name);
      const reports: SyncReport[] = [];
      for (const n of chosen) reports.push(await syncOne(n, password, onProgress));
      return reports;
    },
    cancelSync: () => {
      cancelled = true;
      control.release();
      return null;
    },
    syncEveryMinutes: () => every,
    setSyncEveryMinutes: (minutes) => {
      if (!Number.isInteger(minutes) || minutes < 5 || minutes > 1440) fail("invalid_input", `sync every 5 to 1440 minutes, not ${minutes}`);
      every = minutes;
      store.changes.setting();
      return null;
    },
    watchSyncs: (onSynced) => {
      watcher = onSynced;
      return null;
    },
    listNewPeople: () => people,
    addNewPerson: (id) => {
      const p = person(id);
      settle(p);
      return store.saveContact({ name: p.name, handles: p.handles, met_where: p.seen_in[0] ?? "" });
    },
    mergeNewPerson: (id, contactId) => {
      const p = person(id);
      const c = store.contacts.get(contactId) ?? fail("not_found", `contact "${contactId}" was not found`);
      settle(p);
      const handles = [...c.handles, ...p.handles.filter((h) => !c.handles.some((x) => x.value === h.value))];
      const merged = { ...c, handles, updated_at: new Date().toISOString() };
      store.contacts.set(c.id, merged);
      return merged;
    },
    ignoreNewPerson: (id) => {
      const p = person(id);
      settle(p);
      ignored.add(p.handles[0]?.value ?? p.name);
      return null;
    },
  } satisfies Extension;
}
