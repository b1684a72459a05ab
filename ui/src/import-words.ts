// Words for the Import and Duplicates views: what each format is, how far an import has come,
// what an import would do or did, and what a merge moves. Pure functions, so they are tested on
// their own.

import type { ContactSummary, Format, ImportOutcome, Progress } from "./bindings";
import { IMPORT_FORMATS } from "./bindings";
import { plural } from "./format";

export interface FormatInfo {
  value: Format;
  /** The name in the format menu. */
  label: string;
  /** The file in a sentence: "this Twitter/X archive", "this mailbox". */
  noun: string;
  /** One line saying what the file is and where it comes from. */
  hint: string;
  /** Whether the file is mail, where the user's own addresses tell who wrote to whom. */
  mail: boolean;
}

/** Every format Kith imports, in the order the menu shows them: the core's one list. */
export const FORMATS: readonly FormatInfo[] = IMPORT_FORMATS.map((f) => ({
  value: f.format,
  label: `${f.label} (.${f.extensions[0]})`,
  noun: f.noun,
  hint: f.description,
  mail: f.mail,
}));

export function formatInfo(format: Format): FormatInfo {
  return FORMATS.find((f) => f.value === format) ?? { value: format, label: format, noun: "file", hint: "", mail: false };
}

/** Reads the format menu's value: "" means detect from the file's content. */
export function parseFormatChoice(value: string): Format | null {
  return FORMATS.find((f) => f.value === value)?.value ?? null;
}

/** The extensions of mail files, from the core's list. */
const MAIL_EXTENSIONS: readonly string[] = IMPORT_FORMATS.filter((f) => f.mail).flatMap((f) => [...f.extensions]);

/**
 * Whether to ask for the user's own addresses: the chosen format is mail, or (detecting) the
 * file's name or the format a preview found says it is.
 */
export function wantsMyEmails(chosen: Format | null, path: string, detected: Format | null = null): boolean {
  if (chosen !== null) return formatInfo(chosen).mail;
  if (detected !== null && formatInfo(detected).mail) return true;
  const ext = /\.([a-z0-9]+)$/i.exec(path.trim())?.[1]?.toLowerCase();
  return ext !== undefined && MAIL_EXTENSIONS.includes(ext);
}

export interface EmailList {
  emails: string[];
  /** Entries that are not email addresses, as typed. */
  invalid: string[];
}

/** Splits a typed list of addresses (commas, semicolons, spaces or lines), without repeats. */
export function parseEmails(text: string): EmailList {
  const emails: string[] = [];
  const invalid: string[] = [];
  const seen = new Set<string>();
  for (const raw of text.split(/[\s,;]+/)) {
    const entry = raw.replace(/^<|>$/g, "").replace(/^mailto:/i, "").trim();
    if (entry === "") continue;
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(entry)) {
      invalid.push(raw);
      continue;
    }
    const key = entry.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    emails.push(entry);
  }
  return { emails, invalid };
}

/** "a", "a and b", "a, b and c". */
export function listWords(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? "";
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

export interface ProgressWords {
  /** "Reading tweets". */
  stage: string;
  /** "1,200 of 5,000", "1,200 so far", or "" before any count. */
  count: string;
  /** 0–1 when the total is known, null for an indeterminate bar. */
  fraction: number | null;
}

export function progressWords(p: Progress | null): ProgressWords {
  if (!p) return { stage: "Starting", count: "", fraction: null };
  const stage = p.stage.trim() === "" ? "Working" : p.stage.trim()[0]!.toUpperCase() + p.stage.trim().slice(1);
  const done = p.done ?? 0;
  if (p.total !== null && p.total > 0) {
    const fraction = Math.min(1, Math.max(0, done / p.total));
    return { stage, count: `${done.toLocaleString("en")} of ${p.total.toLocaleString("en")}`, fraction };
  }
  return { stage, count: done > 0 ? `${done.toLocaleString("en")} so far` : "", fraction: null };
}

export interface OutcomeWords {
  /** One sentence: what the import would do, or did. */
  headline: string;
  /** What else the counts say, one line each (the headline already gives what is added). */
  lines: string[];
  /** Whether the file brings anything new at all. */
  changes: boolean;
}

/** "12 contacts", "1 interaction" and so on, for the counts that are not zero. */
function counted(contacts: number, interactions: number, events: number): string[] {
  const out: string[] = [];
  if (contacts > 0) out.push(plural(contacts, "contact", "contacts"));
  if (interactions > 0) out.push(plural(interactions, "interaction", "interactions"));
  if (events > 0) out.push(plural(events, "event", "events"));
  return out;
}

/** An ImportOutcome in words, for a preview (`committed` false) or a finished import. */
export function describeOutcome(o: ImportOutcome): OutcomeWords {
  const r = o.report;
  const added = counted(r.contacts_added, r.interactions_added, r.events_added);
  const updated = counted(r.contacts_updated, r.interactions_updated, r.events_updated);
  const unchanged = counted(r.contacts_unchanged, r.interactions_unchanged, r.events_unchanged);
  const unchangedTotal = r.contacts_unchanged + r.interactions_unchanged + r.events_unchanged;
  const changes = added.length > 0 || updated.length > 0;
  const preview = !o.committed;

  const lines: string[] = [];
  if (updated.length) lines.push(`${preview ? "Updates" : "Updated"} ${listWords(updated)} already in Kith.`);
  if (o.merged > 0) {
    const people = o.merged === 1 ? "1 person you already have" : `${o.merged.toLocaleString("en")} people you already have`;
    const into = o.merged === 1 ? "a second contact" : "second contacts";
    lines.push(
      preview
        ? `Recognises ${people}, and adds to them rather than making ${into}.`
        : `Recognised ${people}, and added to them rather than making ${into}.`,
    );
  }
  if (unchangedTotal > 0) lines.push(`${listWords(unchanged)} ${unchangedTotal === 1 ? "is" : "are"} already in Kith and stay${unchangedTotal === 1 ? "s" : ""} as ${unchangedTotal === 1 ? "it is" : "they are"}.`);
  if (o.skipped > 0) {
    lines.push(`${plural(o.skipped, "item", "items")} in the file ${o.skipped === 1 ? "is" : "are"} not a conversation with anyone and ${preview ? "will be" : "were"} left out.`);
  }

  const what = formatInfo(o.format).noun;
  let headline: string;
  if (preview) {
    const would = [...(added.length ? [`add ${listWords(added)}`] : []), ...(updated.length ? [`update ${listWords(updated)}`] : [])];
    headline = changes
      ? `This ${what} would ${would.join(" and ")}. Nothing has been written yet.`
      : `Nothing new: everything in this ${what} is already in Kith.`;
  } else {
    const did = [...(added.length ? [`${listWords(added)} added`] : []), ...(updated.length ? [`${listWords(updated)} updated`] : [])];
    headline = changes ? `Imported: ${did.join(", ")}.` : "Nothing was added: everything in this file was already in Kith.";
  }
  return { headline, lines, changes };
}

/** What the confirmation says before `absorbed` is merged into `kept`. */
export function mergeMessage(kept: ContactSummary, absorbed: ContactSummary): string {
  const moving = absorbed.interaction_count > 0 ? `, and ${plural(absorbed.interaction_count, "interaction", "interactions")},` : "";
  return (
    `${absorbed.name}'s handles, roles, tags and notes${moving} move to ${kept.name}, ` +
    `and ${absorbed.name} no longer appears as a separate contact. This can't be undone.`
  );
}

/** "3 possible duplicates" for a count, or "" when there are none. */
export function duplicatesWords(count: number): string {
  return count > 0 ? plural(count, "possible duplicate", "possible duplicates") : "";
}
