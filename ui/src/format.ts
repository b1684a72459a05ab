// Pure functions for turning stored values into what people read, and what they type back into
// stored values. Nothing here reads the clock: callers pass `now`.

import type {
  ChannelKind,
  DateKind,
  Direction,
  EventKind,
  Moment,
  Platform,
  RoleDirection,
  RoleKind,
} from "./bindings";

export const CHANNELS: readonly ChannelKind[] = [
  "twitter",
  "mastodon",
  "bluesky",
  "email",
  "blog",
  "listserv",
  "in_person",
  "video_call",
  "phone",
  "other",
];

export const PLATFORMS: readonly Platform[] = [
  "twitter",
  "mastodon",
  "bluesky",
  "email",
  "blog",
  "linkedin",
  "phone",
  "other",
];

export const ROLE_KINDS: readonly RoleKind[] = ["mentor", "peer", "expert"];
export const ROLE_DIRECTIONS: readonly RoleDirection[] = [
  "they_advise_me",
  "i_advise_them",
  "mutual",
];
export const DIRECTIONS: readonly Direction[] = ["outbound", "inbound", "mutual"];
export const MOMENTS: readonly Moment[] = ["asked", "advised", "received"];
export const EVENT_KINDS: readonly EventKind[] = [
  "conference",
  "meetup",
  "twitter_chat",
  "webinar",
  "other",
];

const CHANNEL_LABELS: Record<ChannelKind, string> = {
  twitter: "Twitter/X",
  mastodon: "Mastodon",
  bluesky: "Bluesky",
  email: "Email",
  blog: "Blog",
  listserv: "Listserv",
  in_person: "In person",
  video_call: "Video call",
  phone: "Phone",
  other: "Other",
};

export function channelLabel(channel: ChannelKind): string {
  return CHANNEL_LABELS[channel] ?? channel;
}

const PLATFORM_LABELS: Record<Platform, string> = {
  twitter: "Twitter/X",
  mastodon: "Mastodon",
  bluesky: "Bluesky",
  email: "Email",
  blog: "Blog / website",
  linkedin: "LinkedIn",
  phone: "Phone",
  other: "Other",
};

export function platformLabel(platform: Platform): string {
  return PLATFORM_LABELS[platform] ?? platform;
}

const ROLE_LABELS: Record<RoleKind, string> = {
  mentor: "Mentor",
  peer: "Peer",
  expert: "Expert",
};

export function roleLabel(kind: RoleKind): string {
  return ROLE_LABELS[kind] ?? kind;
}

/** The direction of a role, in words, from the user's side. */
export function roleDirectionWords(direction: RoleDirection): string {
  switch (direction) {
    case "they_advise_me":
      return "advises you";
    case "i_advise_them":
      return "you advise them";
    case "mutual":
      return "mutual";
  }
}

/** The direction a new role gets when nobody said otherwise (mirrors the core's default). */
export function defaultRoleDirection(kind: RoleKind): RoleDirection {
  return kind === "peer" ? "mutual" : "they_advise_me";
}

export function directionLabel(direction: Direction): string {
  switch (direction) {
    case "outbound":
      return "You reached out";
    case "inbound":
      return "They reached out";
    case "mutual":
      return "Both ways";
  }
}

export function momentLabel(moment: Moment): string {
  switch (moment) {
    case "asked":
      return "Asked for advice";
    case "advised":
      return "Gave advice";
    case "received":
      return "Received advice";
  }
}

/** The interaction direction a mentoring moment implies (mirrors the core). */
export function momentDirection(moment: Moment): Direction {
  return moment === "received" ? "inbound" : "outbound";
}

export function eventKindLabel(kind: EventKind): string {
  switch (kind) {
    case "conference":
      return "Conference";
    case "meetup":
      return "Meetup";
    case "twitter_chat":
      return "Twitter chat";
    case "webinar":
      return "Webinar";
    case "other":
      return "Other";
  }
}

/** Posts on these channels are seen by the world; everything else is private by default. */
export function defaultPublicFor(channel: ChannelKind): boolean {
  switch (channel) {
    case "twitter":
    case "mastodon":
    case "bluesky":
    case "blog":
    case "listserv":
      return true;
    default:
      return false;
  }
}

export interface DateFormatOptions {
  /** IANA zone; defaults to the machine's. Tests pin it. */
  timeZone?: string;
  locale?: string;
}

function parseInstant(iso: string): Date | null {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** A UTC timestamp shown in local time, e.g. "12 Mar 2024, 14:05". */
export function formatDateTime(iso: string, opts: DateFormatOptions = {}): string {
  const d = parseInstant(iso);
  if (!d) return iso;
  return new Intl.DateTimeFormat(opts.locale, {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: opts.timeZone,
  }).format(d);
}

/** The local calendar day of a UTC timestamp, e.g. "12 Mar 2024". */
export function formatLocalDate(iso: string, opts: DateFormatOptions = {}): string {
  const d = parseInstant(iso);
  if (!d) return iso;
  return new Intl.DateTimeFormat(opts.locale, { dateStyle: "medium", timeZone: opts.timeZone }).format(d);
}

/** A calendar date (YYYY-MM-DD) shown without shifting it through any time zone. */
export function formatDate(date: string, opts: DateFormatOptions = {}): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return date;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return new Intl.DateTimeFormat(opts.locale, { dateStyle: "medium", timeZone: "UTC" }).format(d);
}

/** "12 – 15 Mar 2024"-style range; a single day when both ends match or the end is missing. */
export function formatDateRange(
  starts: string,
  ends: string | null | undefined,
  opts: DateFormatOptions = {},
): string {
  if (!ends || ends === starts) return formatDate(starts, opts);
  return `${formatDate(starts, opts)} – ${formatDate(ends, opts)}`;
}

const UNITS: ReadonlyArray<[Intl.RelativeTimeFormatUnit, number]> = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

/** "3 days ago", "yesterday", "in 2 weeks", "just now". */
export function relativeTime(iso: string, now: Date): string {
  const d = parseInstant(iso);
  if (!d) return iso;
  const seconds = Math.round((d.getTime() - now.getTime()) / 1000);
  const abs = Math.abs(seconds);
  if (abs < 45) return "just now";
  const rtf = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
  for (const [unit, size] of UNITS) {
    if (abs >= size) {
      return rtf.format(Math.trunc(seconds / size), unit);
    }
  }
  return rtf.format(Math.trunc(seconds / 60) || (seconds < 0 ? -1 : 1), "minute");
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

/** The value a `<input type="datetime-local">` needs for an instant, in local time. */
export function toLocalInputValue(instant: Date): string {
  return (
    `${instant.getFullYear()}-${pad(instant.getMonth() + 1)}-${pad(instant.getDate())}` +
    `T${pad(instant.getHours())}:${pad(instant.getMinutes())}`
  );
}

/** Same, for a stored UTC timestamp. Returns "" for an unreadable one. */
export function isoToLocalInputValue(iso: string): string {
  const d = parseInstant(iso);
  return d ? toLocalInputValue(d) : "";
}

/**
 * A `datetime-local` value (local wall-clock time, no zone) as a UTC RFC 3339 timestamp.
 * Returns null when the value is not a complete, real date and time.
 */
export function localInputToUtcIso(value: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (!m) return null;
  const [y, mo, da, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? "0"].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const d = new Date(y, mo - 1, da, h, mi, s);
  // Reject dates the Date constructor silently rolled over (31 February, 25:00).
  if (d.getFullYear() !== y || d.getMonth() !== mo - 1 || d.getDate() !== da) return null;
  if (h > 23 || mi > 59 || s > 59) return null;
  return d.toISOString();
}

export const DATE_KINDS: readonly DateKind[] = ["birthday", "anniversary", "other"];

export function dateKindLabel(kind: DateKind): string {
  switch (kind) {
    case "birthday":
      return "Birthday";
    case "anniversary":
      return "Anniversary";
    case "other":
      return "Date";
  }
}

/** What an important date is called: its label, else its kind ("Birthday"). */
export function importantDateTitle(d: { kind: DateKind; label: string }): string {
  const label = d.label.trim();
  return label ? label.charAt(0).toUpperCase() + label.slice(1) : dateKindLabel(d.kind);
}

/** "12 April 1985", or "12 April" when the year is not known. */
export function importantDateWords(
  d: { month: number; day: number; year: number | null },
  opts: DateFormatOptions = {},
): string {
  const date = new Date(Date.UTC(d.year ?? 2000, d.month - 1, d.day));
  const options: Intl.DateTimeFormatOptions =
    d.year === null
      ? { day: "numeric", month: "long", timeZone: "UTC" }
      : { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" };
  return new Intl.DateTimeFormat(opts.locale, options).format(date);
}

/** "today", "tomorrow", "in 5 days". */
export function daysUntilWords(days: number): string {
  if (days <= 0) return "today";
  if (days === 1) return "tomorrow";
  return `in ${days} days`;
}

/** Whether day `day` of month `month` exists (in `year`, or in some year when it is null). */
export function isValidMonthDay(month: number, day: number, year: number | null): boolean {
  if (!Number.isInteger(month) || !Number.isInteger(day) || month < 1 || month > 12 || day < 1) return false;
  const y = year ?? 2000; // a leap year: 29 February exists without a year
  const d = new Date(Date.UTC(y, month - 1, day));
  d.setUTCFullYear(y);
  return d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/** A calendar date in local time as YYYY-MM-DD (for "today" comparisons). */
export function localDateString(instant: Date): string {
  return `${instant.getFullYear()}-${pad(instant.getMonth() + 1)}-${pad(instant.getDate())}`;
}

export function isValidDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return (
    d.getUTCFullYear() === Number(m[1]) &&
    d.getUTCMonth() === Number(m[2]) - 1 &&
    d.getUTCDate() === Number(m[3])
  );
}

/** "koha, serials ,, Koha" → ["koha", "serials"]: trimmed, empties dropped, case-insensitive dedupe. */
export function splitList(value: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of value.split(/[,\n]/)) {
    const item = raw.trim();
    if (!item) continue;
    const key = item.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(item);
  }
  return out;
}

export function joinList(items: readonly string[] | undefined | null): string {
  return (items ?? []).join(", ");
}

/** Hashtags typed as "#code4lib, ala2024 #libtech" → ["#code4lib", "#ala2024", "#libtech"]. */
export function splitHashtags(value: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of value.split(/[\s,]+/)) {
    const bare = raw.replace(/^#+/, "").trim();
    if (!bare) continue;
    const tag = `#${bare}`;
    const key = tag.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(tag);
  }
  return out;
}

/**
 * The address to link a blog or website handle to, or null when it is not an http(s) URL.
 * A bare host ("example.org/blog") is read as https. Anything else (javascript:, data:, file:)
 * is never linked.
 */
export function safeHttpUrl(value: string): string | null {
  const text = value.trim();
  if (!text || /\s/.test(text)) return null;
  let candidate = text;
  if (!/^[a-z][a-z0-9+.-]*:/i.test(text)) {
    if (!/^[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}(:\d+)?([/?#].*)?$/i.test(text)) return null;
    candidate = `https://${text}`;
  }
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  if (!url.hostname) return null;
  return url.href;
}

const EMAIL_ADDRESS = /^([^\s@<>()"',;:\\[\]]+)@([^\s@<>()"',;:\\[\]/?#&%=]+\.[^\s@<>()"',;:\\[\]/?#&%=]+)$/;

/**
 * A mailto: link for a plausible address, or null. The address is percent-encoded, so text
 * such as "a@b.org?bcc=…" cannot add recipients or headers to the mail.
 */
export function mailtoHref(value: string): string | null {
  const m = EMAIL_ADDRESS.exec(value.trim().replace(/^mailto:/i, ""));
  if (!m) return null;
  return `mailto:${encodeURIComponent(m[1]!)}@${encodeURIComponent(m[2]!)}`;
}

/** The search text the backend gets: trimmed, inner whitespace collapsed, null when empty. */
export function normaliseQuery(value: string): string | null {
  const q = value.replace(/\s+/g, " ").trim();
  return q === "" ? null : q;
}

/** "1 contact", "2 contacts", "12,480 contacts". */
export function plural(n: number, one: string, many: string): string {
  return `${n.toLocaleString("en")} ${n === 1 ? one : many}`;
}

/** Initials for an avatar: "Ada Lovelace" → "AL"; falls back to "?". */
export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return "?";
  const first = [...parts[0]!][0] ?? "";
  const last = parts.length > 1 ? ([...parts[parts.length - 1]!][0] ?? "") : "";
  return (first + last).toUpperCase() || "?";
}

const THREAD_SOURCES: Record<string, string> = {
  mail: "Email thread",
  twitter: "Twitter/X thread",
  mastodon: "Mastodon thread",
  bluesky: "Bluesky thread",
  blog: "Comments on a blog post",
};

/**
 * How a conversation is named on a timeline: as the person typed it, or, for the keys that
 * imports and syncs give threads (`mail:thread:<Message-ID>`), where the conversation was.
 */
export function threadLabel(thread: string): string {
  const m = /^([a-z]+):thread:./.exec(thread);
  return (m && THREAD_SOURCES[m[1]]) || thread;
}
