// Pure helpers behind the event pages: the briefing (file names and formats for saving), the
// attendee-list matcher (grouping matches, starting a contact from an unmatched entry) and
// "who did you meet" (the default day and the instant to log). Nothing here reads the clock:
// callers pass `now` or `today`.

import type { AttendeeMatch, BriefFormat, ContactDraft, Event, Handle, MatchKind, Platform, SaveTarget } from "./bindings";
import { BRIEF_FORMATS as CORE_BRIEF_FORMATS } from "./bindings";
import { isValidDate, localDateString } from "./format";

export interface BriefFormatInfo {
  format: BriefFormat;
  /** The button's word: "PDF". */
  label: string;
  target: SaveTarget;
  extension: string;
}

/** The formats a briefing saves as, in the order the buttons show them: the core's one list. */
export const BRIEF_FORMATS: readonly BriefFormatInfo[] = CORE_BRIEF_FORMATS.map((f) => ({
  format: f.format,
  label: f.label,
  target: `brief_${f.format}` as const,
  extension: f.extension,
}));

/** The format a typed path asks for, by its extension; null when it names none of them. */
export function briefFormatFromPath(path: string): BriefFormat | null {
  const ext = /\.([a-z0-9]+)$/i.exec(path.trim())?.[1]?.toLowerCase();
  if (ext === undefined) return null;
  return CORE_BRIEF_FORMATS.find((f) => (f.extensions as readonly string[]).includes(ext))?.format ?? null;
}

/**
 * The file name the save dialog proposes: "Code4Lib 2026 briefing.pdf". Characters that no
 * file system accepts (and path separators) become spaces, so an event's name cannot point the
 * dialog into another folder.
 */
export function suggestedBriefName(eventName: string, format: BriefFormat): string {
  const ext = BRIEF_FORMATS.find((f) => f.format === format)?.extension ?? "txt";
  const clean = eventName
    .replace(/[\u0000-\u001f\u007f/\\:*?"<>|]+/g, " ")
    .replace(/\s+/g, " ")
    .replace(/^[.\s]+|[.\s]+$/g, "")
    .slice(0, 80)
    .trim();
  return clean ? `${clean} briefing.${ext}` : `briefing.${ext}`;
}

/** A reason as the briefing shows it: "Used #code4lib in 2 interactions…", capitalised. */
export function reasonText(reason: string): string {
  const t = reason.trim();
  return t ? t[0]!.toLocaleUpperCase("en") + t.slice(1) : t;
}

// ---------------------------------------------------------------------------------------------
// Attendee lists

/** Matches the user should not have to confirm: one contact, by email, handle or exact name. */
export function isCertain(how: MatchKind): boolean {
  return how === "email" || how === "handle" || how === "name";
}

export interface MatchGroups {
  /** Indexes into the matches, in list order. */
  certain: number[];
  possible: number[];
  none: number[];
}

export function groupMatches(matches: readonly AttendeeMatch[]): MatchGroups {
  const groups: MatchGroups = { certain: [], possible: [], none: [] };
  matches.forEach((m, i) => {
    if (m.contact_id === null || m.how === "none") groups.none.push(i);
    else if (isCertain(m.how)) groups.certain.push(i);
    else groups.possible.push(i);
  });
  return groups;
}

/** How a certain match was made, in words: "same email address". */
export function matchHowWords(how: MatchKind): string {
  switch (how) {
    case "email":
      return "same email address";
    case "handle":
      return "same handle";
    case "name":
      return "same name";
    case "possible":
      return "a similar name, or shared with someone else";
    case "none":
      return "nobody in your network";
  }
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The platform a handle from an attendee list most likely belongs to. */
export function guessPlatform(value: string): Platform {
  const v = value.trim();
  const lower = v.toLowerCase();
  if (/^https?:\/\//.test(lower) || lower.startsWith("www.")) {
    if (/(^|[/.])linkedin\.com(\/|$)/.test(lower)) return "linkedin";
    if (/(^|[/.])bsky\.app(\/|$)/.test(lower)) return "bluesky";
    if (/(^|[/.])(twitter|x)\.com(\/|$)/.test(lower)) return "twitter";
    return "blog";
  }
  if (lower.endsWith(".bsky.social")) return "bluesky";
  if (/^@[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v)) return "mastodon";
  if (!v.startsWith("@") && EMAIL.test(v)) return "email";
  if (/^@[A-Za-z0-9_]{1,15}$/.test(v)) return "twitter";
  return "other";
}

/**
 * A new contact from an entry nobody matched: its name, its addresses and its handles. An entry
 * without a name is named after its first address or handle, so the contact can be found again.
 */
export function draftFromMatch(m: AttendeeMatch): ContactDraft {
  const handles: Handle[] = [];
  const seen = new Set<string>();
  const add = (platform: Platform, value: string) => {
    const v = value.trim();
    const key = `${platform}:${v.toLowerCase()}`;
    if (!v || seen.has(key)) return;
    seen.add(key);
    handles.push({ platform, value: v });
  };
  for (const e of m.emails) add("email", e);
  for (const h of m.handles) add(guessPlatform(h), h);
  const name = (m.name ?? "").trim() || m.emails[0]?.trim() || m.handles[0]?.trim() || m.entry.trim();
  return { name, handles };
}

// ---------------------------------------------------------------------------------------------
// Who did you meet

/** The day to log meetings on: the event's last day once it is over, otherwise today. */
export function metDefaultDate(event: Pick<Event, "ends_on" | "starts_on">, today: string): string {
  const last = event.ends_on || event.starts_on;
  return last < today ? last : today;
}

/**
 * When to log the meetings of `date` (YYYY-MM-DD): now when it is today, otherwise midday of
 * that day in local time. Null for a date that is not a real one.
 */
export function metInstant(date: string, now: Date): Date | null {
  const d = date.trim();
  if (!isValidDate(d)) return null;
  if (d === localDateString(now)) return now;
  const [y, m, day] = d.split("-").map(Number) as [number, number, number];
  return new Date(y, m - 1, day, 12, 0, 0);
}

/** "Log 1 meeting", "Log 3 meetings". */
export function logMeetingsLabel(n: number): string {
  return n === 1 ? "Log 1 meeting" : `Log ${n.toLocaleString("en")} meetings`;
}
