import { describe, expect, test } from "vitest";
import type { AccountView, NewPerson, SyncReport } from "../../src/bindings";
import {
  broughtWords,
  clockTime,
  lastSyncWords,
  likelyWords,
  needsPassword,
  nextSyncWords,
  seenWords,
  splitAddresses,
  splitFolders,
  syncProblemWords,
  syncReportWords,
} from "../../src/account-words";

const NOW = new Date("2026-12-07T14:00:00Z");

function account(rest: Partial<AccountView> = {}): AccountView {
  return {
    id: "a1",
    name: "Work mail",
    kind: "imap",
    settings: { kind: "imap", host: "imap.example.org", port: 993, user: "me@example.org", security: "tls", ca_file: null, folders: [], addresses: [] },
    created_at: "2026-12-01T10:00:00Z",
    last_sync_at: null,
    last_added: 0,
    last_updated: 0,
    last_new_people: 0,
    last_error: null,
    failures: 0,
    next_sync_at: null,
    secret_kept: true,
    last_notes: [],
    ...rest,
  } as AccountView;
}

const report = (rest: Partial<SyncReport>): SyncReport => ({ name: "Work mail", added: 0, updated: 0, new_people: 0, notes: [], error: null, ...rest });

describe("account words", () => {
  test("what a sync brought", () => {
    expect(broughtWords(0, 0, 0)).toBe("nothing new");
    expect(broughtWords(1, 0, 0)).toBe("1 interaction");
    expect(broughtWords(12, 2, 1)).toBe("12 interactions, 2 updated, 1 new person");
    expect(broughtWords(0, 0, 3)).toBe("3 new people");
  });

  test("each sync problem is said by its code, never by the server's English", () => {
    expect(syncProblemWords("sync_wrong_password", null)).toMatch(/^Wrong password/);
    expect(syncProblemWords("sync_untrusted_certificate", null)).toMatch(/^Certificate not trusted — give the server's certificate file/);
    expect(syncProblemWords("sync_unreachable", null)).toMatch(/^Server unreachable/);
    expect(syncProblemWords("sync_password_needed", null)).toMatch(/^Password needed/);
    const until = new Date(2026, 11, 7, 14, 5).toISOString();
    expect(syncProblemWords("sync_rate_limited", until)).toMatch(/^Rate-limited until 14:05/);
    expect(syncProblemWords("sync_rate_limited", null)).toMatch(/^Rate-limited:/);
    expect(syncProblemWords("internal", null)).toBe("The last sync failed.");
  });

  test("a Mastodon account is told to sign in again, not to fix a password it does not have", () => {
    expect(syncProblemWords("sync_wrong_password", null, "mastodon")).toMatch(/^Signed out: .*Remove the account and add it again to sign in\.$/);
    expect(syncProblemWords("sync_password_needed", null, "mastodon")).toMatch(/^No sign-in is kept/);
    expect(syncProblemWords("sync_bad_response", null, "mastodon")).toMatch(/deleted or moved to another server/);
    const until = new Date(2026, 11, 7, 14, 5).toISOString();
    expect(syncProblemWords("sync_rate_limited", until, "mastodon")).toMatch(/^Rate-limited until 14:05/);
    expect(syncProblemWords("sync_wrong_password", null, "imap")).toMatch(/^Wrong password/);
  });

  test("a clock time is the user's own", () => {
    expect(clockTime(new Date(2026, 11, 7, 9, 3).toISOString())).toBe("09:03");
    expect(clockTime("not a time")).toBe("not a time");
  });

  test("the last sync, and what it brought", () => {
    expect(lastSyncWords(account(), NOW)).toBe("Not synced yet");
    const synced = account({ last_sync_at: "2026-12-07T13:57:00Z", last_added: 4, last_new_people: 1 });
    expect(lastSyncWords(synced, NOW)).toBe("Synced 3 minutes ago: 4 interactions, 1 new person");
    // A failure since is shown on its own; the last sync that worked stays as it was.
    const failedSince = { ...synced, last_error: { code: "sync_unreachable" as const, message: "x" } };
    expect(lastSyncWords(failedSince, NOW)).toBe("Synced 3 minutes ago: 4 interactions, 1 new person");
  });

  test("the next sync, or why there is none in the background", () => {
    expect(nextSyncWords(account({ next_sync_at: "2026-12-07T14:12:00Z" }), NOW, 15)).toBe("Next sync in 12 minutes");
    expect(nextSyncWords(account({ next_sync_at: "2026-12-07T13:00:00Z" }), NOW, 15)).toBe("Next sync due now");
    // No time set by the store: the last sync that worked, plus the interval.
    expect(nextSyncWords(account({ last_sync_at: "2026-12-07T13:50:00Z" }), NOW, 15)).toBe("Next sync in 5 minutes");
    expect(nextSyncWords(account({ last_sync_at: "2026-12-07T13:50:00Z" }), NOW, 60)).toBe("Next sync in 50 minutes");
    expect(nextSyncWords(account(), NOW, 15)).toBe("Next sync due now");
    const asked = account({ secret_kept: false });
    expect(needsPassword(asked)).toBe(true);
    expect(nextSyncWords(asked, NOW, 15)).toMatch(/password is asked each time/);
    const feed = account({ kind: "feed", secret_kept: false, settings: { kind: "feed", url: "https://example.org/feed", owner: { whose: "mine" } } });
    expect(needsPassword(feed)).toBe(false);
    // A Bluesky app password that could not be kept is asked for, like a mailbox's.
    const bluesky = account({
      kind: "bluesky",
      secret_kept: false,
      settings: { kind: "bluesky", handle: "ann.test", did: "did:plc:x", service: "", plc: "https://plc.directory" },
    });
    expect(needsPassword(bluesky)).toBe(true);
    expect(needsPassword({ ...bluesky, secret_kept: true })).toBe(false);
    // So is an address book's or a calendar's password.
    const book = account({
      kind: "carddav",
      secret_kept: false,
      settings: { kind: "carddav", url: "https://dav.example.org/", user: "ann", scope: { kind: "all" }, include_private: false },
    });
    expect(needsPassword(book)).toBe(true);
    const calendar = account({ kind: "caldav", secret_kept: false, settings: { kind: "caldav", url: "https://dav.example.org/", user: "ann" } });
    expect(needsPassword(calendar)).toBe(true);
    expect(needsPassword({ ...calendar, secret_kept: true })).toBe(false);
  });

  test("a sync of several accounts in one sentence", () => {
    expect(syncReportWords([])).toBe("No accounts to sync.");
    expect(syncReportWords([report({ added: 2, new_people: 1 })])).toBe("Synced Work mail: brought 2 interactions, 1 new person.");
    const failed = report({ name: "Blog", error: { code: "sync_unreachable", message: "x" } });
    expect(syncReportWords([failed])).toBe("Blog could not be synced.");
    expect(syncReportWords([report({ added: 1 }), failed])).toBe("Synced 2 accounts: brought 1 interaction; 1 account failed.");
  });

  test("who a new person probably is, and where they were seen", () => {
    const person: NewPerson = {
      id: "np1",
      name: "Pita T.",
      handles: [{ platform: "email", value: "pita@example.net" }],
      seen_in: ["INBOX on mail.example.org", "Sent on mail.example.org"],
      times: 3,
      first_seen: "2026-12-01T10:00:00Z",
      last_seen: "2026-12-07T10:00:00Z",
      likely: { contact_id: "c1", contact_name: "Pita Taufa", reason: "same name" },
    } as NewPerson;
    expect(likelyWords(person)).toBe("probably Pita Taufa: same name");
    expect(seenWords(person)).toBe("Seen 3 times, in INBOX on mail.example.org; Sent on mail.example.org");
    expect(likelyWords({ ...person, likely: null })).toBeNull();
    expect(seenWords({ ...person, times: 1, seen_in: [] })).toBe("Seen once");
  });

  test("lists typed in one field", () => {
    expect(splitAddresses(" me@example.org,  me@work.example\nme@home.example ; ")).toEqual(["me@example.org", "me@work.example", "me@home.example"]);
    expect(splitAddresses("  ")).toEqual([]);
    expect(splitFolders("INBOX, Sent Items\n[Gmail]/Sent Mail,,")).toEqual(["INBOX", "Sent Items", "[Gmail]/Sent Mail"]);
  });
});
