// Words for the Accounts and New people views: what a sync brought, what went wrong in plain
// words (by the error's code, never its English), when the next sync is, and why a new person
// is probably someone already known. Pure functions, so they are tested on their own.

import type { AccountView, Code, NewPerson, SyncReport } from "./bindings";
import { plural, relativeTime } from "./format";

/** "14:05": a time of day in the user's own clock. */
export function clockTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
}

/** What a sync brought: "4 interactions, 1 new person", or "nothing new". */
export function broughtWords(added: number, updated: number, newPeople: number): string {
  const parts: string[] = [];
  if (added > 0) parts.push(plural(added, "interaction", "interactions"));
  if (updated > 0) parts.push(`${updated.toLocaleString("en")} updated`);
  if (newPeople > 0) parts.push(plural(newPeople, "new person", "new people"));
  return parts.length ? parts.join(", ") : "nothing new";
}

/**
 * A sync's problem in plain words, by its code. `until` is when the account may be asked
 * again (its next sync), for a server that asked Kith to wait.
 */
export function syncProblemWords(code: Code, until: string | null, kind: AccountView["kind"] = "imap"): string {
  // A Mastodon account has no password: it was signed in, and signing in again is the cure.
  if (kind === "mastodon") {
    switch (code) {
      case "sync_wrong_password":
        return "Signed out: the server no longer accepts Kith's sign-in (it was revoked or expired). Remove the account and add it again to sign in.";
      case "sync_password_needed":
        return "No sign-in is kept for this account. Remove it and add it again to sign in.";
      case "sync_bad_response":
        return "The server sent something Kith cannot read, or the account was deleted or moved to another server.";
      default:
        break;
    }
  }
  switch (code) {
    case "sync_wrong_password":
      return "Wrong password: the server refused the user name or password.";
    case "sync_password_needed":
      return "Password needed: Kith has none kept for this account. Sync now and type it.";
    case "sync_untrusted_certificate":
      return "Certificate not trusted — give the server's certificate file (CA file) in the account's settings.";
    case "sync_unreachable":
      return "Server unreachable: check the address and your connection.";
    case "sync_timed_out":
      return "The server stopped answering; Kith will try again later.";
    case "sync_rate_limited":
      return until ? `Rate-limited until ${clockTime(until)}: the server asked Kith to wait.` : "Rate-limited: the server asked Kith to wait.";
    case "sync_bad_response":
      return "The server sent something Kith cannot read (not a mailbox or feed it knows).";
    case "sync_too_large":
      return "The server sent more than Kith reads at once.";
    case "cancelled":
      return "The last sync was cancelled; nothing from it was kept.";
    default:
      return "The last sync failed.";
  }
}

/**
 * Whether the account's password (a Bluesky account's app password) must be typed for each
 * sync: none is kept for it. A Mastodon account is never added without its sign-in kept.
 */
export function needsPassword(account: AccountView): boolean {
  const typed = account.kind === "imap" || account.kind === "bluesky" || account.kind === "carddav" || account.kind === "caldav";
  return typed && !account.secret_kept;
}

/** When the account last synced without an error and what that brought, or that it never has. */
export function lastSyncWords(account: AccountView, now: Date): string {
  if (!account.last_sync_at) return "Not synced yet";
  const when = relativeTime(account.last_sync_at, now);
  return `Synced ${when}: ${broughtWords(account.last_added, account.last_updated, account.last_new_people)}`;
}

/**
 * When the next sync is: the time the store set (a backoff, a server's wait), else the last
 * sync that worked plus the interval (`everyMinutes`). Accounts whose password is typed are not
 * synced by themselves.
 */
export function nextSyncWords(account: AccountView, now: Date, everyMinutes: number): string {
  if (needsPassword(account)) return "Synced only when you choose Sync now (the password is asked each time)";
  const next = account.next_sync_at
    ? new Date(account.next_sync_at)
    : account.last_sync_at
      ? new Date(new Date(account.last_sync_at).getTime() + everyMinutes * 60_000)
      : null;
  if (!next || Number.isNaN(next.getTime()) || next.getTime() <= now.getTime()) return "Next sync due now";
  return `Next sync ${relativeTime(next.toISOString(), now)}`;
}

/** A whole sync of several accounts in one sentence, for a toast. */
export function syncReportWords(reports: readonly SyncReport[]): string {
  if (reports.length === 0) return "No accounts to sync.";
  const failed = reports.filter((r) => r.error);
  const added = reports.reduce((n, r) => n + r.added, 0);
  const updated = reports.reduce((n, r) => n + r.updated, 0);
  const people = reports.reduce((n, r) => n + r.new_people, 0);
  const brought = `brought ${broughtWords(added, updated, people)}`;
  const who = reports.length === 1 ? reports[0]!.name : plural(reports.length, "account", "accounts");
  if (failed.length === 0) return `Synced ${who}: ${brought}.`;
  if (failed.length === reports.length) return reports.length === 1 ? `${who} could not be synced.` : "No account could be synced.";
  return `Synced ${who}: ${brought}; ${plural(failed.length, "account", "accounts")} failed.`;
}

/** A new person's name, or how the source knows them when it gave no name. */
export function personName(person: NewPerson): string {
  return person.name.trim() || person.handles[0]?.value || "Someone without a name";
}

/** Why a new person is probably a contact already: "probably Pita Taufa: same name". */
export function likelyWords(person: NewPerson): string | null {
  const l = person.likely;
  if (!l) return null;
  return l.reason ? `probably ${l.contact_name}: ${l.reason}` : `probably ${l.contact_name}`;
}

/** Where and how often a new person was seen: "Seen 3 times, in INBOX on mail.example.org". */
export function seenWords(person: NewPerson): string {
  const times = person.times === 1 ? "Seen once" : `Seen ${person.times.toLocaleString("en")} times`;
  if (person.seen_in.length === 0) return times;
  return `${times}, in ${person.seen_in.join("; ")}`;
}

/** Reads the "your addresses" field: addresses separated by commas, semicolons, spaces or new lines. */
export function splitAddresses(value: string): string[] {
  return value
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

/** Reads the "folders" field: names separated by commas or new lines ("Sent Items" is one folder). */
export function splitFolders(value: string): string[] {
  return value
    .split(/[,\n]+/)
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

/** The sidebar's count of new people waiting. */
export function newPeopleTitle(count: number): string {
  return count ? `New people: ${plural(count, "person", "people")} to look at` : "New people";
}

/** A sync's stage as the core names it ("writing to the store"), as a label: "Writing to the store". */
export function stageWords(stage: string): string {
  const s = stage.trim();
  return s === "" ? "Working" : s[0]!.toUpperCase() + s.slice(1);
}
