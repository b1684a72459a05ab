// The fake backend's event commands: the briefing (computed from the fake store's contacts,
// interactions and events, the way kith-core's brief module does it), attendee-list matching,
// adding attendees, logging who was met, and saving a briefing with the real `exists` rule.
//
// Steer it from a test through `window.__kithFakeEvents`: the paths the save and open dialogs
// return, the files that "exist" on disk, and the text of attendee-list files.

import type {
  AttendeeBrief,
  AttendeeMatch,
  AttendeesAdded,
  BriefFormat,
  Briefing,
  ChannelKind,
  Contact,
  Direction,
  Event,
  Interaction,
  InteractionBrief,
  LikelyAttendee,
  MatchKind,
  MetEntry,
  OpenConversation,
  Role,
  RoleBrief,
  TalkingPoint,
  TalkingPointSource,
} from "../../src/bindings";
import type { FakeStore } from "./fake-backend";
import { WROTE_TAG } from "../../src/bindings";
import { NOT_MINE, type Extension, type FakeContext } from "./fake-commands";

export interface FakeEventsControl {
  /** What the save dialog returns next (null: the person cancelled). */
  savePath: string | null;
  /** What the open dialog returns next (null: the person cancelled). */
  chosenFile: string | null;
  /** Paths that are already on disk; a save there without overwrite fails with `exists`. */
  existingPaths: string[];
  /** Attendee-list files by path, for read_attendee_list. */
  files: Record<string, string>;
  /** Every briefing written, in order. */
  saved: Array<{ eventId: string; format: BriefFormat; path: string }>;
}

declare global {
  interface Window {
    __kithFakeEvents?: FakeEventsControl;
  }
}

const control: FakeEventsControl = { savePath: null, chosenFile: null, existingPaths: [], files: {}, saved: [] };
window.__kithFakeEvents = control;

const DAY_MS = 24 * 3600 * 1000;
const LAST_INTERACTIONS = 5;
const OPEN_CONVERSATIONS = 4;
const OPEN_RECENT_DAYS = 30;
const LIKELY_MAX = 50;
const EXCERPT_CHARS = 160;
const RECENT_DAYS = 180;
const MAX_POINTS = 8;

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

const plural = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? "" : "s"}`;

/** A name for comparison: accents removed, lower case, letters and digits, single spaces. */
export function foldName(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .replace(/['’]/g, "")
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .join(" ");
}

const foldTag = (tag: string): string => foldName(tag.trim().replace(/^#+/, "")).replace(/ /g, "");

function normalizeHandle(value: string): string {
  let v = value.trim().toLowerCase();
  v = v.replace(/^mailto:/, "").replace(/^https?:\/\//, "").replace(/^www\./, "");
  return v.replace(/^@+/, "").replace(/\/+$/, "");
}

/** Text on one line, cut at `max` characters with an ellipsis. */
function excerpt(text: string, max: number): string {
  const flat = text.replace(/[\u200B\u200E\u200F\u202A-\u202E\u2060\u2066-\u2069\u061C\uFEFF]/g, "").replace(/[\s\p{Cc}]+/gu, " ").trim();
  const chars = [...flat];
  return chars.length < max ? flat : `${chars.slice(0, max - 1).join("")}…`;
}

const hashtagsIn = (text: string): string[] => [...text.matchAll(/(?:^|[^\p{L}\p{N}_&/])#([\p{L}\p{N}_]*\p{L}[\p{L}\p{N}_]*)/gu)].map((m) => m[1]!);

// ---------------------------------------------------------------------------------------------
// Briefing

const ROLE_WORDS: Record<Role["kind"], Record<Role["direction"], string>> = {
  mentor: { they_advise_me: "mentors you", i_advise_them: "you mentor them", mutual: "you mentor each other" },
  peer: { they_advise_me: "a peer who advises you", i_advise_them: "a peer you advise", mutual: "a peer: you learn from each other" },
  expert: { they_advise_me: "an expert you learn from", i_advise_them: "an expert you advise", mutual: "an expert you trade expertise with" },
};

function roleBrief(r: Role): RoleBrief {
  const acknowledged = r.acknowledged ?? false;
  return {
    kind: r.kind,
    direction: r.direction,
    in_words: `${ROLE_WORDS[r.kind][r.direction]} (${acknowledged ? "both of you know it" : "not acknowledged: they may not know it"})`,
    topics: (r.topics ?? []).map((t) => t.trim()).filter(Boolean),
    acknowledged,
  };
}

function howMet(c: Contact): string | null {
  const parts: string[] = [];
  const place = c.met_where.trim();
  if (place && c.met_on) parts.push(`at ${place} (${c.met_on})`);
  else if (place) parts.push(`at ${place}`);
  else if (c.met_on) parts.push(`on ${c.met_on}`);
  if (c.met_through.trim()) parts.push(`through ${c.met_through.trim()}`);
  return parts.length ? parts.join(", ") : null;
}

const interactionBrief = (i: Interaction): InteractionBrief => ({
  id: i.id,
  occurred_at: i.occurred_at,
  channel: i.channel,
  direction: i.direction,
  public: i.public,
  excerpt: excerpt(i.text, EXCERPT_CHARS),
  thread: i.thread,
});

/** `history` oldest first. */
function openConversations(history: Interaction[], now: Date): OpenConversation[] {
  const byUser = [...history].reverse().find((i) => i.direction === "outbound" || i.direction === "mutual");
  const convs = new Map<string, { thread: string | null; list: Interaction[] }>();
  for (const i of history) {
    const thread = i.thread?.trim() || null;
    const key = thread !== null ? `t:${thread}` : `c:${i.channel}`;
    const conv = convs.get(key) ?? { thread, list: [] };
    conv.list.push(i);
    convs.set(key, conv);
  }
  const recent = now.getTime() - OPEN_RECENT_DAYS * DAY_MS;
  const open: OpenConversation[] = [];
  for (const { thread, list } of convs.values()) {
    const last = list[list.length - 1]!;
    const waiting = last.direction === "inbound" && (!byUser || byUser.occurred_at < last.occurred_at);
    if (!waiting && Date.parse(last.occurred_at) < recent) continue;
    open.push({
      thread,
      channel: last.channel,
      messages: list.length,
      last_at: last.occurred_at,
      waiting_on_you: waiting,
      last_excerpt: excerpt(last.text, EXCERPT_CHARS),
    });
  }
  open.sort((a, b) => Number(b.waiting_on_you) - Number(a.waiting_on_you) || b.last_at.localeCompare(a.last_at) || (a.thread ?? "").localeCompare(b.thread ?? ""));
  return open.slice(0, OPEN_CONVERSATIONS);
}

const STOPWORDS = new Set(
  "about above after again against almost already also always among another anyone anything around because before being below between cheers could didnt doesnt doing during either enough every everyone everything excited first great hello really should since still thank thanks their there these thing things think those though through today tomorrow under until using where which while would yesterday your yours"
    .split(" "),
);

function topicWords(text: string): string[] {
  return text
    .split(/\s+/)
    .filter((w) => !/^(https?:|www\.|@|#)/i.test(w) && !w.includes("@"))
    .map((w) => foldName(w).replace(/ /g, ""))
    .filter((w) => [...w].length >= 5 && /^\p{L}+$/u.test(w) && !STOPWORDS.has(w));
}

/** `history` oldest first. */
function talkingPoints(c: Contact, history: Interaction[], now: Date): TalkingPoint[] {
  const points: TalkingPoint[] = [];
  const push = (topic: string, source: TalkingPointSource, why: string) => {
    const t = topic.trim();
    if (!t || points.length >= MAX_POINTS) return;
    const key = foldName(t.replace(/^#/, ""));
    if (points.some((p) => foldName(p.topic.replace(/^#/, "")) === key)) return;
    points.push({ topic: t, source, why });
  };
  for (const r of c.roles) for (const t of r.topics ?? []) push(t, "role_topic", `a topic of your ${r.kind} role`);
  for (const e of c.expertise) push(e, "expertise", "their expertise");
  const since = now.getTime() - RECENT_DAYS * DAY_MS;
  const recent: Interaction[] = [];
  for (const i of [...history].reverse()) {
    if (Date.parse(i.occurred_at) < since || recent.length >= 40) break;
    recent.push(i);
  }
  const tags = new Map<string, [number, string]>();
  const words = new Map<string, number>();
  for (const i of recent) {
    const here = new Map<string, string>();
    for (const t of [...i.tags, ...hashtagsIn(i.text)]) {
      const shown = t.trim().replace(/^#/, "");
      const key = foldTag(shown);
      if (key && !here.has(key)) here.set(key, shown);
    }
    for (const [key, shown] of here) {
      const entry = tags.get(key) ?? [0, shown];
      entry[0] += 1;
      tags.set(key, entry);
    }
    for (const w of new Set(topicWords(i.text))) words.set(w, (words.get(w) ?? 0) + 1);
  }
  const recentCount = (n: number) => (n === 1 ? "1 recent interaction" : `${n} recent interactions`);
  [...tags.values()]
    .sort((a, b) => b[0] - a[0] || a[1].localeCompare(b[1]))
    .slice(0, 3)
    .forEach(([n, tag]) => push(`#${tag}`, "recent_hashtag", `in ${recentCount(n)}`));
  [...words.entries()]
    .filter(([, n]) => n >= 2)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, 3)
    .forEach(([w, n]) => push(w, "recent_word", `came up in ${recentCount(n)}`));
  for (const t of c.tags) push(t, "tag", "a tag you gave them");
  return points;
}

function foldCity(location: string): string {
  const city = foldName(location.split(/[,/(]/)[0] ?? "");
  return ["online", "virtual", "remote", "zoom", "web", "internet", "hybrid"].includes(city) ? "" : city;
}

function briefing(store: FakeStore, eventId: string, now: Date): Briefing {
  const event = store.events.get(eventId) ?? fail("not_found", `event "${eventId}" was not found`);
  const nowMs = now.getTime();
  const suggestions = store.allSuggestions(now);
  const seen = new Set<string>();
  const meet: AttendeeBrief[] = [];
  const met: AttendeeBrief[] = [];
  for (const id of event.attendee_ids) {
    const c = store.contacts.get(id);
    if (!c || seen.has(c.id)) continue;
    seen.add(c.id);
    const all = store
      .interactionsOf(c.id)
      .filter((i) => Date.parse(i.occurred_at) <= nowMs)
      .sort((a, b) => a.occurred_at.localeCompare(b.occurred_at) || a.id.localeCompare(b.id));
    // A contact's blog posts are not conversations: only the latest is shown, on its own.
    const wrote = (i: Interaction) => i.tags.includes(WROTE_TAG);
    const history = all.filter((i) => !wrote(i));
    const latestPost = [...all].reverse().find(wrote);
    const lastInPerson = [...history].reverse().find((i) => i.channel === "in_person")?.occurred_at ?? null;
    const brief: AttendeeBrief = {
      contact_id: c.id,
      name: c.name,
      organisation: c.organisation,
      location: c.location,
      roles: c.roles.map(roleBrief),
      how_met: howMet(c),
      met_in_person: lastInPerson !== null,
      last_in_person: lastInPerson,
      interaction_count: history.length,
      last_interaction_at: history[history.length - 1]?.occurred_at ?? null,
      last_interactions: [...history].reverse().slice(0, LAST_INTERACTIONS).map(interactionBrief),
      open_conversations: openConversations(history, now),
      recently_wrote: latestPost ? interactionBrief(latestPost) : null,
      suggestions: suggestions.filter((s) => s.contact_id === c.id),
      talking_points: talkingPoints(c, history, now),
      handles: c.handles.filter((h) => h.value.trim() !== ""),
      notes: c.notes.trim(),
    };
    (brief.met_in_person ? met : meet).push(brief);
  }
  const closest = (a: AttendeeBrief, b: AttendeeBrief) =>
    b.interaction_count - a.interaction_count || foldName(a.name).localeCompare(foldName(b.name)) || a.contact_id.localeCompare(b.contact_id);
  meet.sort(closest);
  met.sort(closest);
  const [likely_there, likely_there_total] = likelyAttendees(store, event, seen, nowMs);
  return { event, generated_at: now.toISOString(), meet_in_person: meet, met_before: met, likely_there, likely_there_total };
}

function likelyAttendees(store: FakeStore, event: Event, attending: Set<string>, nowMs: number): [LikelyAttendee[], number] {
  const tags: Array<[string, string]> = [];
  for (const t of event.hashtags) {
    const folded = foldTag(t);
    if (folded && !tags.some(([f]) => f === folded)) tags.push([folded, t.trim().replace(/^#+/, "")]);
  }
  const city = foldCity(event.location);
  const out: Array<{ uses: number; key: string; c: Contact; reasons: string[] }> = [];
  for (const c of store.contacts.values()) {
    if (attending.has(c.id)) continue;
    const mine = store.interactionsOf(c.id).filter((i) => Date.parse(i.occurred_at) <= nowMs);
    const reasons: string[] = [];
    let uses = 0;
    tags.forEach(([folded, shown]) => {
      // Only what they wrote counts: a hashtag the user wrote to them says nothing.
      const used = mine.filter(
        (i) => i.direction !== "outbound" && [...i.tags, ...hashtagsIn(i.text)].some((t) => foldTag(t) === folded),
      );
      if (used.length === 0) return;
      uses += used.length;
      const last = used[0]!;
      reasons.push(`used #${shown} in ${plural(used.length, "interaction")}, last on ${CHANNEL_LABELS[last.channel]} on ${last.occurred_at.slice(0, 10)}`);
    });
    if (city && c.location && foldCity(c.location) === city) {
      reasons.push(`based in ${excerpt(c.location, 80)}, where the event takes place`);
    }
    if (reasons.length) out.push({ uses, key: foldName(c.name), c, reasons });
  }
  out.sort((a, b) => b.uses - a.uses || a.key.localeCompare(b.key) || a.c.id.localeCompare(b.c.id));
  const list = out.slice(0, LIKELY_MAX).map(({ c, reasons }) => ({
    contact_id: c.id,
    name: c.name,
    organisation: c.organisation,
    location: c.location,
    roles: c.roles.map(roleBrief),
    reasons,
    handles: c.handles.filter((h) => h.value.trim() !== ""),
    met_in_person: store.interactionsOf(c.id).some((i) => i.channel === "in_person" && Date.parse(i.occurred_at) <= nowMs),
  }));
  return [list, out.length];
}

// ---------------------------------------------------------------------------------------------
// Attendee lists

interface Entry {
  raw: string;
  name: string | null;
  emails: string[];
  handles: string[];
}

const looksLikeEmail = (t: string): boolean => /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(t.replace(/^mailto:/, "")) && !/\.$/.test(t);
const looksLikeHandle = (t: string): boolean => (t.length > 1 && t.startsWith("@")) || t.includes("://") || t.startsWith("www.") || t.endsWith(".bsky.social");
const trimQuotes = (t: string): string => t.replace(/^[<>()[\]"']+|[<>()[\]"']+$/g, "");

function parseLine(line: string): Entry {
  const entry: Entry = { raw: line, name: null, emails: [], handles: [] };
  const words: string[] = [];
  for (const token of line.split(/[\s,;|]+/)) {
    const t = trimQuotes(token);
    if (!t) continue;
    if (looksLikeHandle(t)) entry.handles.push(t);
    else if (looksLikeEmail(t)) entry.emails.push(t.replace(/^mailto:/, ""));
    else if (!["-", "–", "—"].includes(t)) words.push(t);
  }
  if (words.length) entry.name = words.join(" ");
  return entry;
}

type Column = "name" | "first" | "last" | "email" | "handle" | "other";
function columnKind(header: string): Column {
  const h = header.trim().toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");
  if (["name", "fullname", "attendee", "attendeename", "speaker", "speakername", "displayname", "participant", "person"].includes(h)) return "name";
  if (["firstname", "givenname", "first", "forename"].includes(h)) return "first";
  if (["lastname", "surname", "familyname", "last"].includes(h)) return "last";
  if (["email", "emailaddress", "mail", "email1"].includes(h)) return "email";
  if (["handle", "twitter", "x", "mastodon", "bluesky", "bsky", "fediverse", "social", "username", "handles", "website", "blog", "url", "linkedin"].includes(h)) return "handle";
  return "other";
}

/** One CSV record's fields (quotes understood, no line breaks inside fields). */
function csvFields(line: string, d: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (let k = 0; k < line.length; k++) {
    const ch = line[k]!;
    if (quoted) {
      if (ch === '"' && line[k + 1] === '"') {
        cur += '"';
        k++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === d) {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

function parseAttendeeList(text: string): Entry[] {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const first = lines.find((l) => l.trim() !== "");
  if (first !== undefined) {
    const d = [",", ";", "\t"].reduce((best, x) => (first.split(x).length > first.split(best).length ? x : best), ",");
    const headers = csvFields(first, d).map(columnKind);
    if ((first.includes(d) || columnKind(first) !== "other") && headers.some((h) => h !== "other")) {
      const out: Entry[] = [];
      for (const line of lines.slice(lines.indexOf(first) + 1)) {
        const fields = csvFields(line, d).map((f) => f.trim());
        if (fields.every((f) => !f)) continue;
        const entry: Entry = { raw: fields.filter(Boolean).join(", "), name: null, emails: [], handles: [] };
        let given: string | null = null;
        let family: string | null = null;
        fields.forEach((value, k) => {
          if (!value) return;
          const split = () => value.split(/[\s,;]+/).map(trimQuotes).filter(Boolean);
          switch (headers[k]) {
            case "name":
              entry.name = value;
              break;
            case "first":
              given = value;
              break;
            case "last":
              family = value;
              break;
            case "email":
              entry.emails.push(...split());
              break;
            case "handle":
              entry.handles.push(...split());
              break;
            default:
              break;
          }
        });
        if (entry.name === null && (given || family)) entry.name = [given, family].filter(Boolean).join(" ");
        out.push(entry);
      }
      return out;
    }
  }
  return lines
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("# ") && l !== "#")
    .map(parseLine);
}

function editDistance(a: string, b: string, limit: number): number | null {
  const x = [...a];
  const y = [...b];
  if (Math.abs(x.length - y.length) > limit) return null;
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 0; i < x.length; i++) {
    const cur = [i + 1];
    for (let j = 0; j < y.length; j++) cur.push(Math.min(prev[j]! + (x[i] === y[j] ? 0 : 1), prev[j + 1]! + 1, cur[j]! + 1));
    prev = cur;
  }
  const d = prev[y.length]!;
  return d <= limit ? d : null;
}

function closeness(folded: string, name: string): number | null {
  const words = folded.split(" ");
  const theirs = name.split(" ");
  if (words.length > 1 && [...words].sort().join(" ") === [...theirs].sort().join(" ")) return 0;
  if (words.length >= 2 && theirs.length >= 2 && words[words.length - 1] === theirs[theirs.length - 1]) {
    const given = words.slice(0, -1);
    const theirGiven = theirs.slice(0, -1);
    if (given.some((w) => [...w].length === 1) && given.length <= theirGiven.length) {
      if (given.every((w, k) => w === theirGiven[k] || ([...w].length === 1 && theirGiven[k]!.startsWith(w)))) return 1;
    }
  }
  if (words.length >= 2 && words.every((w) => theirs.includes(w))) return 2;
  const limit = [...folded].length >= 12 ? 2 : 1;
  const d = editDistance(folded, name, limit);
  return d === null ? null : 2 + d;
}

function matchAttendees(store: FakeStore, text: string): AttendeeMatch[] {
  const contacts = [...store.contacts.values()];
  const emails = new Map<string, Contact[]>();
  const handles = new Map<string, Contact[]>();
  const names = new Map<string, Contact[]>();
  const add = (map: Map<string, Contact[]>, key: string, c: Contact) => {
    const list = map.get(key) ?? [];
    if (!list.includes(c)) list.push(c);
    map.set(key, list);
  };
  for (const c of contacts) {
    for (const h of c.handles) {
      const norm = normalizeHandle(h.value);
      if (norm) add(h.platform === "email" ? emails : handles, norm, c);
    }
    const f = foldName(c.name);
    if (f) add(names, f, c);
  }
  const found = (map: Map<string, Contact[]>, values: string[]) => {
    const hits: Contact[] = [];
    for (const v of values) for (const c of map.get(normalizeHandle(v)) ?? []) if (!hits.includes(c)) hits.push(c);
    return hits;
  };
  const result = (e: Entry, c: Contact | null, how: MatchKind): AttendeeMatch => ({
    entry: e.raw,
    contact_id: c?.id ?? null,
    contact_name: c?.name ?? null,
    how,
    name: e.name,
    emails: e.emails,
    handles: e.handles,
  });
  return parseAttendeeList(text).map((e) => {
    const byHandle = found(handles, [...e.handles, ...e.emails]);
    for (const c of found(emails, e.handles)) if (!byHandle.includes(c)) byHandle.push(c);
    const folded = e.name ? foldName(e.name) : "";
    const tried: Array<[MatchKind, Contact[]]> = [
      ["email", found(emails, e.emails)],
      ["handle", byHandle],
    ];
    if (folded) tried.push(["name", names.get(folded) ?? []]);
    for (const [how, hits] of tried) {
      if (hits.length === 1) return result(e, hits[0]!, how);
      if (hits.length > 1) {
        const first = [...hits].sort((a, b) => foldName(a.name).localeCompare(foldName(b.name)) || a.id.localeCompare(b.id))[0]!;
        return result(e, first, "possible");
      }
    }
    const n = [...folded].length;
    if (n >= 4 && n <= 120) {
      let best: number | null = null;
      let at: Contact[] = [];
      for (const c of contacts) {
        const name = foldName(c.name);
        if (!name) continue;
        const score = closeness(folded, name);
        if (score === null) continue;
        if (best === null || score < best) {
          best = score;
          at = [c];
        } else if (score === best) at.push(c);
      }
      if (at.length === 1) return result(e, at[0]!, "possible");
    }
    return result(e, null, "none");
  });
}

// ---------------------------------------------------------------------------------------------
// Writing

function addAttendees(store: FakeStore, eventId: string, ids: string[]): AttendeesAdded {
  const event = store.events.get(eventId) ?? fail("not_found", `event "${eventId}" was not found`);
  for (const id of ids) if (!store.contacts.has(id)) fail("not_found", `contact "${id}" was not found`);
  const attendees = [...event.attendee_ids];
  const added: string[] = [];
  const already: string[] = [];
  for (const id of ids) {
    if (attendees.includes(id)) {
      if (!already.includes(id)) already.push(id);
    } else {
      attendees.push(id);
      added.push(id);
    }
  }
  const saved = { ...event, attendee_ids: attendees };
  if (added.length) store.events.set(event.id, saved);
  return { event: saved, added, already };
}

function logMet(store: FakeStore, eventId: string, entries: MetEntry[], at: string | null): Interaction[] {
  if (entries.length === 0) fail("invalid_input", "name at least one person you met");
  const event = store.events.get(eventId) ?? fail("not_found", `event "${eventId}" was not found`);
  // All or nothing: check everyone before writing anything.
  for (const e of entries) if (!store.contacts.has(e.contact_id)) fail("not_found", `contact "${e.contact_id}" was not found`);
  const when = at ?? new Date().toISOString();
  if (Number.isNaN(Date.parse(when))) fail("invalid_input", `"${when}" is not a timestamp`);
  const first = event.hashtags.map((h) => h.trim().replace(/^#+/, "")).find(Boolean);
  const tag = first ? `#${first}` : event.name.trim();
  const attendees = [...event.attendee_ids];
  const out: Interaction[] = [];
  for (const e of entries) {
    if (!attendees.includes(e.contact_id)) attendees.push(e.contact_id);
    const direction: Direction = "mutual";
    const i: Interaction = {
      id: store.newId("i"),
      contact_ids: [e.contact_id],
      channel: "in_person",
      direction,
      occurred_at: new Date(when).toISOString(),
      public: false,
      text: (e.note ?? "").trim(),
      thread: null,
      tags: [tag],
      moment: null,
    };
    store.interactions.set(i.id, i);
    out.push(i);
  }
  store.events.set(event.id, { ...event, attendee_ids: attendees });
  return out;
}

function saveBriefing(store: FakeStore, eventId: string, format: BriefFormat, rawPath: string, overwrite: boolean): string {
  const path = rawPath.trim();
  if (!path) fail("invalid_input", "choose where to save the briefing");
  if (!["markdown", "html", "pdf"].includes(format)) fail("invalid_input", `"${format}" is not a briefing format`);
  if (!overwrite && control.existingPaths.includes(path)) {
    fail("exists", `${path} already exists; nothing was written. Choose another name, or agree to replace it.`);
  }
  briefing(store, eventId, new Date());
  if (!control.existingPaths.includes(path)) control.existingPaths.push(path);
  control.saved.push({ eventId, format, path });
  return path;
}

// The shared `fail` arrives with each call; the helpers above reach it through this.
let fail: FakeContext["fail"] = (code, message) => {
  throw new Error(`${code}: ${message}`);
};

export const eventsExtension = (ctx: FakeContext) => {
  fail = ctx.fail;
  const { store } = ctx;
  return {
    getBriefing: (eventId) => briefing(store, eventId, new Date()),
    saveBriefing: (eventId, format, path, overwrite) => saveBriefing(store, eventId, format, path, overwrite),
    // The dialogs for other purposes (imports, exports) belong to their own areas.
    chooseSavePath: (target) => (target.startsWith("brief_") ? control.savePath : NOT_MINE),
    chooseFile: (purpose) => (purpose === "attendee_list" ? control.chosenFile : NOT_MINE),
    readAttendeeList: (rawPath) => {
      const path = rawPath.trim();
      return control.files[path] ?? fail("io", `${path}: No such file or directory (os error 2)`);
    },
    matchAttendees: (text) => matchAttendees(store, text),
    addAttendees: (eventId, contactIds) => addAttendees(store, eventId, contactIds),
    logMet: (eventId, entries, at) => logMet(store, eventId, entries, at),
  } satisfies Extension;
};
