// An in-memory stand-in for the Rust backend, installed with Tauri's mockIPC before the app
// loads. It answers every command the UI uses with the same shapes and error codes as the real
// one, so the browser test drives the built UI exactly as the desktop window would. Its
// handlers are typed from the generated bindings (fake-commands.ts), and it says what each
// write changed as the real store does (fake-changes.ts).
//
// Configure before it runs with `window.__KITH_FAKE_CONFIG__ = { bulkContacts: 50000 }`.
// Inspect or steer it from the test through `window.__kithFake`.

import type { Channel } from "@tauri-apps/api/core";
import { mockIPC } from "@tauri-apps/api/mocks";
import type {
  HandleChange,
  ChannelKind,
  Contact,
  ContactDetail,
  ContactDraft,
  ContactFilter,
  ContactSummary,
  Event,
  EventDraft,
  FollowUp,
  Interaction,
  InteractionDraft,
  KeepInTouchStatus,
  PasswordKeeping,
  PublicError,
  UpcomingDate,
  Role,
  Stats,
  StoreChange,
  Suggestion,
  SuggestionKind,
  TimelineEntry,
} from "../../src/bindings";
import { blankContact, sampleNetwork } from "./fake-data";
import { importExtension } from "./fake-import";
import { backupsExtension } from "./fake-backups";
import { exportExtension } from "./fake-export";
import { eventsExtension } from "./fake-events";
import { passphraseExtension, passphraseLock } from "./fake-passphrase";
import { accountsExtension } from "./fake-accounts";
import { longTimeline } from "./fake-timeline";
import { argumentsOf, fail, Failure, learnWire, NOT_MINE, type CommandName, type Extension, type FakeContext, type Handlers } from "./fake-commands";
import { ChangeNotes, NotedMap } from "./fake-changes";

interface FakeConfig {
  /** Start with this many generated contacts instead of an empty store. */
  bulkContacts?: number;
  /** Interactions on the first page of a contact's timeline (the backend's is 200). */
  timelinePage?: number;
  /** Start with a contact whose timeline has this many interactions (see fake-timeline.ts). */
  longTimeline?: number;
  /** Every command but app_info fails with this, as when the store file cannot be opened. */
  storeProblem?: PublicError;
  /** The store is locked with this passphrase, and starts locked. */
  passphrase?: string;
  /** What opening the store tidied up after an interrupted job (said once, by app_info). */
  tidied?: string[];
  /** Where passwords given for accounts are kept (the system's secret store unless said). */
  passwordKeeping?: PasswordKeeping;
}

export interface FakeControl {
  calls: Array<{ cmd: string; args: unknown }>;
  /** The next call of this command fails with this error. */
  failNext: { cmd: string; error: PublicError } | null;
  /** While set, every command but app_info fails with it. */
  storeProblem: PublicError | null;
  /** Every URL or calendar file the app asked to open outside itself, in order. */
  opened: string[];
  stats(): Stats;
}

declare global {
  interface Window {
    __KITH_FAKE_CONFIG__?: FakeConfig;
    __kithFake?: FakeControl;
  }
}

const PUBLIC_CHANNELS: ChannelKind[] = ["twitter", "mastodon", "bluesky", "blog", "listserv"];
const SHORT_FORM: ChannelKind[] = ["twitter", "mastodon", "bluesky"];
const DAY_MS = 24 * 3600 * 1000;

const CHANNEL_NAMES: Record<ChannelKind, string> = {
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

const dayWords = (iso: string): string =>
  new Date(iso).toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;
const quote = (text: string): string => `“${text.length > 80 ? `${text.slice(0, 79)}…` : text}”`;
const utcDay = (d: Date): number => Math.floor(d.getTime() / DAY_MS);
const isoDay = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

interface Decision {
  state: "dismissed" | "snoozed" | "accepted";
  until: string | null;
}

export class FakeStore {
  /** What the writes changed since the window last asked (see fake-changes.ts). */
  readonly changes = new ChangeNotes();
  readonly contacts = new NotedMap<Contact>((id) => this.changes.contact(id));
  readonly interactions = new NotedMap<Interaction>((id, before, after) => {
    this.changes.interaction(id);
    // Its people's rows show their last interaction and their count.
    this.changes.contact(...(before?.contact_ids ?? []), ...(after?.contact_ids ?? []));
  });
  readonly events = new NotedMap<Event>((id, before, after) => {
    this.changes.event(id);
    this.changes.contact(...(before?.attendee_ids ?? []), ...(after?.attendee_ids ?? []));
  });
  readonly decisions = new NotedMap<Decision>(() => this.changes.suggestion());
  private plans: FollowUp[] = [];
  private readonly handleChanges = new Map<string, HandleChange[]>();
  private counter = 0;

  get followUps(): FollowUp[] {
    return this.plans;
  }

  set followUps(plans: FollowUp[]) {
    this.plans = plans;
    this.changes.suggestion();
  }

  newId(prefix: string): string {
    this.counter += 1;
    return `${prefix}-${Date.now().toString(36)}-${this.counter}`;
  }

  stats(): Stats {
    return { contacts: this.contacts.size, interactions: this.interactions.size, events: this.events.size };
  }

  interactionsOf(id: string): Interaction[] {
    return [...this.interactions.values()]
      .filter((i) => i.contact_ids.includes(id))
      .sort((a, b) => b.occurred_at.localeCompare(a.occurred_at));
  }

  summary(c: Contact): ContactSummary {
    const mine = this.interactionsOf(c.id);
    const last = mine[0];
    const roles: ContactSummary["roles"] = [];
    for (const r of c.roles) if (!roles.includes(r.kind)) roles.push(r.kind);
    return {
      id: c.id,
      name: c.name,
      organisation: c.organisation,
      location: c.location,
      roles,
      tags: c.tags,
      primary_handle: c.handles[0] ?? null,
      interaction_count: mine.length,
      last_interaction_at: last?.occurred_at ?? null,
      last_channel: last?.channel ?? null,
    };
  }

  private matches(c: Contact, q: string): boolean {
    const hay = [c.name, c.organisation, c.location, c.notes, ...c.handles.map((h) => h.value), ...c.tags, ...c.expertise];
    if (hay.some((s) => s.toLowerCase().includes(q))) return true;
    return this.interactionsOf(c.id).some((i) => i.text.toLowerCase().includes(q));
  }

  list(filter: Partial<ContactFilter>): ContactSummary[] {
    const q = filter.query?.trim().toLowerCase() ?? "";
    const out: Contact[] = [];
    for (const c of this.contacts.values()) {
      if (filter.role && !c.roles.some((r) => r.kind === filter.role)) continue;
      if (filter.tag && !c.tags.some((t) => t.toLowerCase() === filter.tag?.toLowerCase())) continue;
      if (filter.channel && !this.interactionsOf(c.id).some((i) => i.channel === filter.channel)) continue;
      if (q && !this.matches(c, q)) continue;
      out.push(c);
    }
    out.sort((a, b) => a.name.localeCompare(b.name));
    // Like the real one: a limit applies to a search only.
    const kept = q && typeof filter.limit === "number" ? out.slice(0, filter.limit) : out;
    return kept.map((c) => this.summary(c));
  }

  timeline(list: Interaction[]): TimelineEntry[] {
    return list.map((interaction) => ({
      interaction,
      contact_names: interaction.contact_ids.map((id) => this.contacts.get(id)?.name ?? ""),
    }));
  }

  /** A contact's timeline in the backend's order: newest first, then the later-made first. */
  ordered(id: string): Interaction[] {
    return this.interactionsOf(id).sort((a, b) => b.occurred_at.localeCompare(a.occurred_at) || b.id.localeCompare(a.id));
  }

  /** The page after `after` ("time|id" of the last entry before it, as `next` says). */
  timelinePage(id: string, after: string | null, limit: number): { entries: TimelineEntry[]; next: string | null } {
    if (!this.contacts.has(id)) fail("not_found", `contact "${id}" was not found`);
    let list = this.ordered(id);
    if (after !== null) {
      const cut = after.lastIndexOf("|");
      if (cut < 0) fail("invalid_input", `${JSON.stringify(after)} is not a place in a timeline`);
      const [at, key] = [after.slice(0, cut), after.slice(cut + 1)];
      list = list.filter((i) => i.occurred_at < at || (i.occurred_at === at && i.id < key));
    }
    const page = list.slice(0, Math.max(1, limit));
    const last = page[page.length - 1];
    return {
      entries: this.timeline(page),
      next: list.length > page.length && last ? `${last.occurred_at}|${last.id}` : null,
    };
  }

  detail(id: string, pageSize: number): ContactDetail {
    const contact = this.contacts.get(id) ?? fail("not_found", `contact "${id}" was not found`);
    const first = this.timelinePage(id, null, pageSize);
    return {
      contact,
      timeline: first.entries,
      timeline_total: this.interactionsOf(id).length,
      timeline_next: first.next,
      events: [...this.events.values()]
        .filter((e) => e.attendee_ids.includes(id))
        .sort((a, b) => b.starts_on.localeCompare(a.starts_on)),
      handle_changes: this.handleChanges.get(id) ?? [],
    };
  }

  /** A sync saw the contact's account move (as the real store records it). */
  recordHandleChange(id: string, change: HandleChange): void {
    this.handleChanges.set(id, [...(this.handleChanges.get(id) ?? []), change]);
    this.changes.contact(id);
  }

  saveContact(d: ContactDraft): Contact {
    const name = d.name.trim();
    if (!name) fail("invalid_input", "A contact needs a name.");
    const now = new Date().toISOString();
    const existing = d.id ? (this.contacts.get(d.id) ?? fail("not_found", `contact "${d.id}" was not found`)) : null;
    const roles: Role[] = (d.roles ?? []).map((r) => ({
      kind: r.kind,
      direction: r.direction,
      topics: r.topics ?? [],
      acknowledged: r.acknowledged ?? false,
    }));
    const c: Contact = {
      id: existing?.id ?? this.newId("c"),
      name,
      handles: d.handles ?? [],
      organisation: d.organisation ?? "",
      location: d.location ?? "",
      met_where: d.met_where ?? "",
      met_on: d.met_on ?? null,
      met_through: d.met_through ?? "",
      notes: d.notes ?? "",
      private_notes: d.private_notes ?? "",
      tags: d.tags ?? [],
      expertise: d.expertise ?? [],
      roles,
      cadence_days: d.cadence_days ?? null,
      dates: (d.dates ?? []).map((x) => {
        const leap = new Date(Date.UTC(x.year ?? 2000, x.month - 1, x.day));
        if (leap.getUTCMonth() !== x.month - 1 || leap.getUTCDate() !== x.day) {
          fail("invalid_input", `${x.kind} ${x.month}-${x.day} is not a date`);
        }
        return { kind: x.kind, label: x.label.trim(), month: x.month, day: x.day, year: x.year };
      }),
      created_at: existing?.created_at ?? now,
      updated_at: now,
    };
    this.contacts.set(c.id, c);
    return c;
  }

  deleteContact(id: string): null {
    if (!this.contacts.delete(id)) fail("not_found", `contact "${id}" was not found`);
    for (const [iid, i] of this.interactions) {
      if (!i.contact_ids.includes(id)) continue;
      const rest = i.contact_ids.filter((c) => c !== id);
      if (rest.length === 0) this.interactions.delete(iid);
      else this.interactions.set(iid, { ...i, contact_ids: rest });
    }
    for (const [eid, e] of this.events) {
      this.events.set(eid, { ...e, attendee_ids: e.attendee_ids.filter((a) => a !== id) });
    }
    return null;
  }

  saveInteraction(d: InteractionDraft): Interaction {
    if (d.contact_ids.length === 0) fail("invalid_input", "An interaction needs at least one contact.");
    for (const id of d.contact_ids) if (!this.contacts.has(id)) fail("not_found", `contact "${id}" was not found`);
    if (Number.isNaN(Date.parse(d.occurred_at))) fail("invalid_input", "occurred_at is not a timestamp");
    if (d.id && !this.interactions.has(d.id)) fail("not_found", `interaction "${d.id}" was not found`);
    const i: Interaction = {
      id: d.id ?? this.newId("i"),
      contact_ids: [...new Set(d.contact_ids)],
      channel: d.channel,
      direction: d.direction,
      occurred_at: new Date(d.occurred_at).toISOString(),
      public: d.public ?? PUBLIC_CHANNELS.includes(d.channel),
      text: d.text ?? "",
      thread: d.thread ?? null,
      tags: d.tags ?? [],
      moment: d.moment ?? null,
    };
    this.interactions.set(i.id, i);
    return i;
  }

  saveEvent(d: EventDraft): Event {
    if (!d.name.trim()) fail("invalid_input", "An event needs a name.");
    const ends = d.ends_on ?? d.starts_on;
    if (ends < d.starts_on) fail("invalid_input", "An event cannot end before it starts.");
    if (d.id && !this.events.has(d.id)) fail("not_found", `event "${d.id}" was not found`);
    const e: Event = {
      id: d.id ?? this.newId("e"),
      name: d.name.trim(),
      kind: d.kind,
      starts_on: d.starts_on,
      ends_on: ends,
      location: d.location ?? "",
      hashtags: d.hashtags ?? [],
      notes: d.notes ?? "",
      attendee_ids: d.attendee_ids ?? [],
    };
    this.events.set(e.id, e);
    return e;
  }

  /**
   * A small version of the suggestion engine over the fake's data, with the same rules' shape
   * and wording: long public threads, public asks for advice, shared upcoming events with people
   * never met in person, and mentors or peers gone quiet. Deterministic for a given `now`.
   */
  allSuggestions(now: Date): Suggestion[] {
    const out: Suggestion[] = [];
    const nowMs = now.getTime();
    const make = (
      c: Contact,
      kind: SuggestionKind,
      rule: string,
      from: ChannelKind | null,
      to: ChannelKind,
      score: number,
      reasons: string[],
      evidence: Interaction[],
      anchor: string,
      eventId: string | null = null,
    ): Suggestion => ({
      id: `s-${rule}-${c.id}-${anchor}`,
      contact_id: c.id,
      contact: c.name,
      kind,
      rule,
      from_channel: from,
      to_channel: to,
      score,
      reasons,
      evidence: evidence.map((i) => i.id),
      event_id: eventId,
    });
    for (const c of this.contacts.values()) {
      const mine = this.interactionsOf(c.id)
        .filter((i) => Date.parse(i.occurred_at) <= nowMs)
        .reverse(); // oldest first
      // Long public threads.
      const threads = new Map<string, Interaction[]>();
      for (const i of mine) {
        if (!i.thread || !SHORT_FORM.includes(i.channel) || !i.public) continue;
        const key = `${i.channel}\u001f${i.thread}`;
        threads.set(key, [...(threads.get(key) ?? []), i]);
      }
      for (const run of threads.values()) {
        const first = run[0]!;
        const last = run[run.length - 1]!;
        if (run.length < 4 || nowMs - Date.parse(last.occurred_at) > 21 * DAY_MS) continue;
        const days = Math.max(1, Math.round((Date.parse(last.occurred_at) - Date.parse(first.occurred_at)) / DAY_MS));
        const mineN = run.filter((i) => i.direction === "outbound").length;
        out.push(
          make(c, "move", "long_thread", first.channel, "email", 0.74, [
            `${run.length} messages between you and ${c.name} in ${plural(days, "day")} on ${CHANNEL_NAMES[first.channel]} (${mineN} from you, ${run.length - mineN} from ${c.name}), the latest on ${dayWords(last.occurred_at)}`,
            `A conversation this long has outgrown ${CHANNEL_NAMES[first.channel]}: email gives it room, or a call settles it in one go`,
          ], run.slice(-3), first.id),
        );
      }
      // Asking for advice in public.
      const ask = [...mine]
        .reverse()
        .find((i) => i.public && SHORT_FORM.includes(i.channel) && nowMs - Date.parse(i.occurred_at) < 14 * DAY_MS && /\b(asked|advice|could you)\b/i.test(i.text));
      if (ask) {
        const who = ask.direction === "inbound" ? `${c.name} asked you` : `You asked ${c.name}`;
        out.push(
          make(c, "move", "mentoring_ask", ask.channel, "email", 0.86, [
            `${who} in public on ${CHANNEL_NAMES[ask.channel]} on ${dayWords(ask.occurred_at)} (${quote(ask.text)})`,
            "A mentoring request is best made, and answered, by email: there is room to say what you hope to learn and how often to talk, and room to say no",
          ], [ask], ask.id),
        );
      }
      // Upcoming events with someone never met in person.
      const today = utcDay(now);
      for (const e of this.events.values()) {
        const starts = Math.floor(Date.parse(`${e.starts_on}T00:00:00Z`) / DAY_MS);
        const until = starts - today;
        if (!e.attendee_ids.includes(c.id) || until < 0 || until > 60) continue;
        if (mine.some((i) => i.channel === "in_person")) continue;
        const reasons = [`You are both going to ${e.name}${e.location ? ` in ${e.location}` : ""}, starting ${dayWords(`${e.starts_on}T00:00:00Z`)} (in ${until} days)`];
        const online = mine.filter((i) => i.channel !== "in_person");
        if (online.length === 0) {
          reasons.push(`You have never met ${c.name} in person, nor talked yet: a conference is an easy place to start`);
        } else {
          const counts = new Map<ChannelKind, number>();
          for (const i of online) counts.set(i.channel, (counts.get(i.channel) ?? 0) + 1);
          const top = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]![0];
          reasons.push(`You have only met online: ${plural(online.length, "interaction")} since ${dayWords(online[0]!.occurred_at)}, mostly on ${CHANNEL_NAMES[top]}`);
        }
        reasons.push("Arrange to meet there: a coffee between sessions does more than a year of replies");
        const from = online.length ? online[online.length - 1]!.channel : null;
        out.push(make(c, "move", "meet_at_event", from, "in_person", 0.6 + Math.min(online.length, 10) / 40, reasons, online.slice(-3), e.id, e.id));
      }
      // Gone quiet.
      const last = mine[mine.length - 1];
      if (last && c.roles.length > 0) {
        const silent = Math.floor((nowMs - Date.parse(last.occurred_at)) / DAY_MS);
        if (silent >= 60) {
          const to: ChannelKind = c.handles.some((h) => h.platform === "email") ? "email" : last.channel;
          const reasons = [`Nothing with ${c.name} for ${plural(silent, "day")}, since ${dayWords(last.occurred_at)} on ${CHANNEL_NAMES[last.channel]}`];
          const k = this.keepInTouch(now).find((x) => x.contact_id === c.id);
          if (k && k.overdue_days > 0) {
            reasons.push(`You meant to be in touch every ${k.cadence_days} days, and that was due ${plural(k.overdue_days, "day")} ago`);
          }
          reasons.push(`A light check-in by ${CHANNEL_NAMES[to].toLowerCase()} is enough to pick the thread up again`);
          out.push(make(c, "reconnect", "gone_quiet", null, to, 0.55, reasons, [last], last.id));
        }
      }
    }
    return out
      .filter((s) => {
        const d = this.decisions.get(s.id);
        if (!d) return true;
        return d.state === "snoozed" && d.until !== null && Date.parse(d.until) <= nowMs;
      })
      .sort((a, b) => (b.score ?? 0) - (a.score ?? 0) || a.contact.localeCompare(b.contact) || a.id.localeCompare(b.id));
  }

  keepInTouch(now: Date): KeepInTouchStatus[] {
    const today = utcDay(now);
    const out: KeepInTouchStatus[] = [];
    for (const c of this.contacts.values()) {
      if (!c.cadence_days) continue;
      const last = this.interactionsOf(c.id).find((i) => Date.parse(i.occurred_at) <= now.getTime());
      const from = utcDay(new Date(last?.occurred_at ?? c.created_at));
      const due = from + c.cadence_days;
      out.push({
        contact_id: c.id,
        name: c.name,
        cadence_days: c.cadence_days,
        last_interaction_at: last?.occurred_at ?? null,
        due_on: isoDay(due),
        overdue_days: today - due,
      });
    }
    return out.sort((a, b) => b.overdue_days - a.overdue_days || a.name.localeCompare(b.name));
  }

  /** Important dates in the next 14 days, soonest first (as `Store::upcoming_dates`). */
  upcomingDates(now: Date): UpcomingDate[] {
    const today = utcDay(now);
    const year = now.getUTCFullYear();
    const out: UpcomingDate[] = [];
    for (const c of this.contacts.values()) {
      for (const d of c.dates) {
        for (const y of [year, year + 1]) {
          let on = Date.UTC(y, d.month - 1, d.day);
          if (new Date(on).getUTCMonth() !== d.month - 1) on = Date.UTC(y, d.month - 1, d.day - 1);
          const day = Math.floor(on / 86_400_000);
          if (day < today) continue;
          if (day - today <= 14) {
            out.push({
              contact_id: c.id,
              name: c.name,
              date: d,
              on: isoDay(day),
              days_until: day - today,
              years: d.year !== null && y - d.year > 0 ? y - d.year : null,
            });
          }
          break;
        }
      }
    }
    return out.sort((a, b) => a.days_until - b.days_until || a.name.localeCompare(b.name));
  }

  acceptSuggestion(id: string, note: string, due: string | null, now: Date): FollowUp {
    const s = this.allSuggestions(now).find((x) => x.id === id) ?? fail("not_found", `suggestion "${id}" was not found`);
    if (due !== null && !/^\d{4}-\d{2}-\d{2}$/.test(due)) fail("invalid_input", `"${due}" is not a date`);
    const verb: Record<SuggestionKind, string> = {
      move: "Continue the conversation",
      reconnect: "Check in",
      follow_up: "Follow up",
      reply: "Try again",
    };
    const plan: FollowUp = {
      suggestion_id: s.id,
      contact_id: s.contact_id,
      summary: `${verb[s.kind]} with ${s.contact} on ${CHANNEL_NAMES[s.to_channel]}`,
      note,
      due_on: due,
      accepted_at: now.toISOString(),
    };
    this.decisions.set(id, { state: "accepted", until: null });
    this.followUps = [plan, ...this.followUps.filter((f) => f.suggestion_id !== id)];
    return plan;
  }

  dismissSuggestion(id: string, until: string | null): null {
    if (until !== null && Number.isNaN(Date.parse(until))) fail("invalid_input", `"${until}" is not a timestamp`);
    this.decisions.set(id, { state: until ? "snoozed" : "dismissed", until });
    return null;
  }

  tags(): string[] {
    const all = new Set<string>();
    for (const c of this.contacts.values()) c.tags.forEach((t) => all.add(t));
    for (const i of this.interactions.values()) i.tags.forEach((t) => all.add(t));
    return [...all].sort((a, b) => a.localeCompare(b));
  }

  loadSample(now: Date): Stats {
    if (this.contacts.size > 0) fail("invalid_input", "The sample network can only be loaded into an empty store.");
    const sample = sampleNetwork(now);
    for (const c of sample.contacts) this.contacts.set(c.id, c);
    for (const i of sample.interactions) this.interactions.set(i.id, i);
    for (const e of sample.events) this.events.set(e.id, e);
    return this.stats();
  }

  bulk(n: number, now: Date): void {
    const first = ["Ada", "Bao", "Carmen", "Dev", "Eun-ji", "Farah", "Gus", "Hana", "Ife", "Jonas"];
    const last = ["Okafor", "Lindqvist", "Moreau", "Sato", "Quispe", "Novak", "Haddad", "Byrne", "Ivanova", "Mensah"];
    const created = now.toISOString();
    for (let k = 0; k < n; k++) {
      const id = `bulk-${String(k).padStart(6, "0")}`;
      const name = `${first[k % 10]} ${last[Math.floor(k / 10) % 10]} ${String(k).padStart(5, "0")}`;
      this.contacts.set(
        id,
        blankContact(id, name, created, {
          organisation: `Library ${k % 97}`,
          roles: k % 3 === 0 ? [{ kind: "peer", direction: "mutual", topics: [], acknowledged: true }] : [],
        }),
      );
    }
  }
}

const store = new FakeStore();
const config = window.__KITH_FAKE_CONFIG__ ?? {};
if (config.bulkContacts) store.bulk(config.bulkContacts, new Date());
if (config.longTimeline) {
  const { contacts, interactions } = longTimeline(config.longTimeline);
  for (const c of contacts) store.contacts.set(c.id, c);
  for (const i of interactions) store.interactions.set(i.id, i);
}

const control: FakeControl = {
  calls: [],
  failNext: null,
  storeProblem: config.storeProblem ?? null,
  opened: [],
  stats: () => store.stats(),
};
window.__kithFake = control;

// The starting data is there before the window opens: not a change it should hear of.
store.changes.forget();

const ctx: FakeContext = { store, control, fail };
const extensions: Extension[] = [importExtension(ctx), exportExtension(ctx), backupsExtension(ctx), eventsExtension(ctx), passphraseExtension(ctx), accountsExtension(ctx)];
/** Commands some area answers; the core must answer all the others. */
type Covered =
  | keyof ReturnType<typeof importExtension>
  | keyof ReturnType<typeof exportExtension>
  | keyof ReturnType<typeof backupsExtension>
  | keyof ReturnType<typeof eventsExtension>
  | keyof ReturnType<typeof passphraseExtension>
  | keyof ReturnType<typeof accountsExtension>;

/** Whoever is told after each write that changed the store (the window's `watch_changes`). */
let watcher: Channel<null> | null = null;

const core = {
  listContacts: (filter) => store.list(filter),
  contactsPatch: (filter, changed) => {
    const listed = store.list(filter);
    const wanted = new Set(changed);
    return { order: listed.map((c) => c.id), rows: listed.filter((c) => wanted.has(c.id)) };
  },
  getContact: (id) => store.detail(id, config.timelinePage ?? 200),
  contactTimeline: (id, after, limit) => store.timelinePage(id, after, limit),
  saveContact: (draft) => store.saveContact(draft),
  deleteContact: (id) => store.deleteContact(id),
  saveInteraction: (draft) => store.saveInteraction(draft),
  deleteInteraction: (id) => {
    if (!store.interactions.delete(id)) fail("not_found", `interaction "${id}" was not found`);
    return null;
  },
  search: (query) => {
    const q = query.toLowerCase();
    return {
      contacts: store.list({ query: q }),
      interactions: store.timeline([...store.interactions.values()].filter((i) => i.text.toLowerCase().includes(q))),
    };
  },
  listTags: () => store.tags(),
  listEvents: () => [...store.events.values()].sort((a, b) => a.starts_on.localeCompare(b.starts_on)),
  saveEvent: (draft) => store.saveEvent(draft),
  deleteEvent: (id) => {
    if (!store.events.delete(id)) fail("not_found", `event "${id}" was not found`);
    return null;
  },
  stats: () => store.stats(),
  loadDemo: () => store.loadSample(new Date()),
  listSuggestions: () => store.allSuggestions(new Date()),
  contactSuggestions: (id) => {
    if (!store.contacts.has(id)) fail("not_found", `contact "${id}" was not found`);
    return store.allSuggestions(new Date()).filter((s) => s.contact_id === id);
  },
  acceptSuggestion: (id, note, due) => store.acceptSuggestion(id, note, due, new Date()),
  dismissSuggestion: (id, until) => store.dismissSuggestion(id, until),
  keepInTouch: () => store.keepInTouch(new Date()),
  upcomingDates: () => store.upcomingDates(new Date()),
  listFollowUps: () => store.followUps,
  completeFollowUp: (suggestionId) => {
    const before = store.followUps.length;
    const left = store.followUps.filter((f) => f.suggestion_id !== suggestionId);
    if (left.length === before) fail("not_found", `plan "${suggestionId}" was not found`);
    store.followUps = left;
    return null;
  },
  openUrl: (link) => {
    const url = link.trim();
    if (!/^(https?:\/\/|mailto:)./i.test(url)) fail("invalid_input", `only web (http, https) and mailto: links can be opened, not "${url}"`);
    control.opened.push(url);
    return null;
  },
  openFollowUpInCalendar: (suggestionId) => {
    const plan = store.followUps.find((f) => f.suggestion_id === suggestionId) ?? fail("not_found", `follow-up "${suggestionId}" was not found`);
    if (!plan.due_on) fail("invalid_input", "this follow-up has no due date; set one to add it to a calendar");
    control.opened.push(`calendar:${plan.suggestion_id}`);
    return null;
  },
  takeChanges: (): StoreChange => store.changes.take(),
  watchChanges: (onChange) => {
    watcher = onChange;
    return null;
  },
  appInfo: () => {
    const tidied = config.tidied ?? [];
    config.tidied = [];
    return { version: "0.1.0-test", db_path: "/tmp/kith-browser-test.sqlite3", tidied };
  },
} satisfies { [K in Exclude<CommandName, Covered>]: Handlers[K] } & Extension;

/** Answers one command: the first area that takes it, else the core. */
function answer(name: CommandName, args: unknown[]): unknown {
  // While the store is locked, the lock answers for every command.
  passphraseLock(name, ctx);
  for (const area of [...extensions, core as Extension]) {
    const handler = area[name] as ((...a: unknown[]) => unknown) | undefined;
    if (!handler) continue;
    const result = handler(...args);
    if (result !== NOT_MINE) return result;
  }
  return fail("internal", `the test backend does not answer ${name}`);
}

/** Like the real backend: after a write that changed something, the watcher hears of it. */
function tellWatcher(): void {
  if (watcher === null || store.changes.empty) return;
  const channel = watcher;
  setTimeout(() => channel.onmessage(null), 0);
}

const wire = learnWire();

mockIPC((cmd, payload) => {
  const raw = (payload ?? {}) as Record<string, unknown>;
  control.calls.push({ cmd, args: raw });
  // Real IPC serialises everything; so does the fake, so the UI can't keep references into it.
  const roundTrip = <T>(v: T): T => (v === undefined ? v : JSON.parse(JSON.stringify(v)));
  if (control.storeProblem && cmd !== "app_info") return Promise.reject(control.storeProblem);
  const planned = control.failNext;
  if (planned && planned.cmd === cmd) {
    control.failNext = null;
    return Promise.reject(planned.error);
  }
  const reject = (e: unknown) => Promise.reject(e instanceof Failure ? e.error : { code: "internal", message: String(e) });
  try {
    const known = wire.get(cmd) ?? fail("internal", `the app sent "${cmd}", which no generated command sends`);
    const result = answer(known.name, argumentsOf(known, raw));
    // An area may answer later (an import reports progress and can be cancelled meanwhile).
    if (result instanceof Promise) {
      return result.then(
        (v: unknown) => {
          tellWatcher();
          return roundTrip(v);
        },
        (e: unknown) => {
          tellWatcher();
          return reject(e);
        },
      );
    }
    tellWatcher();
    return Promise.resolve(roundTrip(result));
  } catch (e) {
    tellWatcher();
    return reject(e);
  }
});
