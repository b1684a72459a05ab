// Pure functions behind the Suggestions, Keep-in-touch and follow-up views: headlines, the
// wording of cadences and due dates, snooze and due-date maths, and email drafts. Nothing here
// reads the clock: callers pass `now`.

import type { ChannelKind, FollowUp, Handle, SuggestionKind } from "./bindings";
import { channelLabel, isValidDate, localDateString, mailtoHref, plural } from "./format";

/** How a suggestion's kind reads as a label on its card. */
export function kindLabel(kind: SuggestionKind): string {
  switch (kind) {
    case "move":
      return "Move the conversation";
    case "reconnect":
      return "Get back in touch";
    case "follow_up":
      return "Follow up";
    case "reply":
      return "Try another channel";
  }
}

/** "by email", "on Mastodon", "in person": how to say where something happens. */
export function viaPhrase(channel: ChannelKind): string {
  switch (channel) {
    case "email":
      return "by email";
    case "phone":
      return "by phone";
    case "video_call":
      return "on a video call";
    case "in_person":
      return "in person";
    case "listserv":
      return "on the list";
    case "blog":
      return "on your blog";
    case "other":
      return "another way";
    default:
      return `on ${channelLabel(channel)}`;
  }
}

/** The one-line headline of a suggestion: what to do, and where. */
export function suggestionHeadline(kind: SuggestionKind, to: ChannelKind): string {
  const via = viaPhrase(to);
  switch (kind) {
    case "move":
      return to === "in_person" ? "Meet in person" : `Continue ${via}`;
    case "reconnect":
      return `Get back in touch ${via}`;
    case "follow_up":
      return `Follow up ${via}`;
    case "reply":
      return `Try again ${via}`;
  }
}

/** A reason as a sentence: the engine's reasons have no closing full stop. */
export function sentence(text: string): string {
  const t = text.trim();
  if (t === "") return t;
  return /[.!?…]["'”’)]?$/.test(t) ? t : `${t}.`;
}

// ---------------------------------------------------------------------------------------------
// Keep in touch and due dates

/** "every day", "every 30 days". */
export function cadenceWords(days: number): string {
  return days === 1 ? "every day" : `every ${plural(days, "day", "days")}`;
}

/** How a keep-in-touch status reads: "12 days overdue", "due today", "due in 5 days". */
export function overdueWords(overdueDays: number): string {
  if (overdueDays > 0) return `${plural(overdueDays, "day", "days")} overdue`;
  if (overdueDays === 0) return "due today";
  if (overdueDays === -1) return "due tomorrow";
  return `due in ${plural(-overdueDays, "day", "days")}`;
}

function dayNumber(date: string): number | null {
  if (!isValidDate(date)) return null;
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  return Math.round(Date.UTC(y, m - 1, d) / 86_400_000);
}

/** Whole calendar days from `from` to `to` (both YYYY-MM-DD); null if either is not a date. */
export function daysBetween(from: string, to: string): number | null {
  const a = dayNumber(from);
  const b = dayNumber(to);
  return a === null || b === null ? null : b - a;
}

/** A follow-up's due date relative to today: "due today", "due in 3 days", "2 days overdue". */
export function dueWords(dueOn: string, today: string): string {
  const diff = daysBetween(today, dueOn);
  return diff === null ? "" : overdueWords(-diff);
}

/** The local calendar day `days` after `now`, as YYYY-MM-DD. */
export function localDatePlusDays(now: Date, days: number): string {
  const d = new Date(now.getFullYear(), now.getMonth(), now.getDate() + days, 12);
  return localDateString(d);
}

/** The due date an accepted plan starts with: a week from today. */
export function defaultDueDate(now: Date): string {
  return localDatePlusDays(now, 7);
}

/** Plans with a due date first, soonest first; then the rest, most recently accepted first. */
export function sortFollowUps(plans: readonly FollowUp[]): FollowUp[] {
  const newest = (a: FollowUp, b: FollowUp) => (Date.parse(b.accepted_at) || 0) - (Date.parse(a.accepted_at) || 0);
  return [...plans].sort((a, b) => {
    if (a.due_on && b.due_on) return a.due_on.localeCompare(b.due_on) || newest(a, b);
    if (a.due_on) return -1;
    if (b.due_on) return 1;
    return newest(a, b);
  });
}

// ---------------------------------------------------------------------------------------------
// Snoozing

export type SnoozeSpan = "day" | "week" | "month";

export const SNOOZES: ReadonlyArray<{ span: SnoozeSpan; label: string }> = [
  { span: "day", label: "1 day" },
  { span: "week", label: "1 week" },
  { span: "month", label: "1 month" },
];

/**
 * When a snooze of `span` from `now` ends: the same local time one day, one week or one
 * calendar month later. A month from 31 January is the last day of February, not 3 March.
 */
export function snoozeUntil(now: Date, span: SnoozeSpan): Date {
  const y = now.getFullYear();
  const mo = now.getMonth();
  const d = now.getDate();
  const time = [now.getHours(), now.getMinutes(), now.getSeconds(), now.getMilliseconds()] as const;
  switch (span) {
    case "day":
      return new Date(y, mo, d + 1, ...time);
    case "week":
      return new Date(y, mo, d + 7, ...time);
    case "month": {
      const lastDay = new Date(y, mo + 2, 0).getDate();
      return new Date(y, mo + 1, Math.min(d, lastDay), ...time);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Email drafts

/** The first email handle of a contact, if any. */
export function firstEmail(handles: readonly Handle[]): string | null {
  const h = handles.find((x) => x.platform === "email" && x.value.trim() !== "");
  return h ? h.value.trim() : null;
}

/** The subject a draft starts with, by what the suggestion asks for. */
export function draftSubject(kind: SuggestionKind | null, eventName?: string | null): string {
  if (eventName && eventName.trim()) return `See you at ${eventName.trim()}?`;
  switch (kind) {
    case "reconnect":
      return "Catching up";
    case "follow_up":
      return "Good to meet you";
    case "reply":
      return "Following up";
    default:
      return "Continuing our conversation";
  }
}

/** "Hi Rosa," for "Rosa Delgado"; just "Hi," when there is no usable name. */
export function draftGreeting(name: string): string {
  const first = name.trim().split(/\s+/)[0] ?? "";
  return first ? `Hi ${first},\n\n` : "Hi,\n\n";
}

/**
 * A `mailto:` URL for an email draft, or null when the address is not a plausible one.
 * Every part is percent-encoded, so a name or subject can never add recipients or headers.
 */
export function draftEmailHref(
  address: string,
  draft: { subject?: string; body?: string } = {},
): string | null {
  const to = mailtoHref(address);
  if (!to) return null;
  const query: string[] = [];
  if (draft.subject) query.push(`subject=${encodeURIComponent(draft.subject)}`);
  if (draft.body) query.push(`body=${encodeURIComponent(draft.body.replace(/\r?\n/g, "\r\n"))}`);
  return `${to}${query.length ? `?${query.join("&")}` : ""}`;
}
