// An in-memory stand-in for the Rust backend, installed with Tauri's mockIPC before the app
// loads. It answers every command the UI uses with the same shapes and error codes as the real
// one, so the browser test drives the built UI exactly as the desktop window would.
//
// Configure before it runs with `window.__KITH_FAKE_CONFIG__ = { bulkContacts: 50000 }`.
// Inspect or steer it from the test through `window.__kithFake`.

import { mockIPC } from "@tauri-apps/api/mocks";
import type {
  ChannelKind,
  Contact,
  ContactDetail,
  ContactDraft,
  ContactFilter,
  ContactSummary,
  Event,
  EventDraft,
  Interaction,
  InteractionDraft,
  PublicError,
  Role,
  Stats,
  TimelineEntry,
} from "../../src/bindings";
import { sampleNetwork } from "./fake-data";

interface FakeConfig {
  /** Start with this many generated contacts instead of an empty store. */
  bulkContacts?: number;
  /** Every command but app_info fails with this, as when the store file cannot be opened. */
  storeProblem?: PublicError;
}

interface FakeControl {
  calls: Array<{ cmd: string; args: unknown }>;
  /** The next call of this command fails with this error. */
  failNext: { cmd: string; error: PublicError } | null;
  /** While set, every command but app_info fails with it. */
  storeProblem: PublicError | null;
  stats(): Stats;
}

declare global {
  interface Window {
    __KITH_FAKE_CONFIG__?: FakeConfig;
    __kithFake?: FakeControl;
  }
}

class Failure {
  constructor(readonly error: PublicError) {}
}

const fail = (code: string, message: string): never => {
  throw new Failure({ code, message });
};

const PUBLIC_CHANNELS: ChannelKind[] = ["twitter", "mastodon", "bluesky", "blog", "listserv"];

class FakeStore {
  contacts = new Map<string, Contact>();
  interactions = new Map<string, Interaction>();
  events = new Map<string, Event>();
  private counter = 0;

  newId(prefix: string): string {
    this.counter += 1;
    return `${prefix}-${Date.now().toString(36)}-${this.counter}`;
  }

  stats(): Stats {
    return { contacts: this.contacts.size, interactions: this.interactions.size, events: this.events.size };
  }

  private interactionsOf(id: string): Interaction[] {
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
    return out.map((c) => this.summary(c));
  }

  timeline(list: Interaction[]): TimelineEntry[] {
    return list.map((interaction) => ({
      interaction,
      contact_names: interaction.contact_ids.map((id) => this.contacts.get(id)?.name ?? ""),
    }));
  }

  detail(id: string): ContactDetail {
    const contact = this.contacts.get(id) ?? fail("not_found", `contact "${id}" was not found`);
    return {
      contact,
      timeline: this.timeline(this.interactionsOf(id)),
      events: [...this.events.values()]
        .filter((e) => e.attendee_ids.includes(id))
        .sort((a, b) => b.starts_on.localeCompare(a.starts_on)),
    };
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
      this.contacts.set(id, {
        id,
        name,
        handles: [],
        organisation: `Library ${k % 97}`,
        location: "",
        met_where: "",
        met_on: null,
        met_through: "",
        notes: "",
        private_notes: "",
        tags: [],
        expertise: [],
        roles: k % 3 === 0 ? [{ kind: "peer", direction: "mutual", topics: [], acknowledged: true }] : [],
        cadence_days: null,
        created_at: created,
        updated_at: created,
      });
    }
  }
}

const store = new FakeStore();
const config = window.__KITH_FAKE_CONFIG__ ?? {};
if (config.bulkContacts) store.bulk(config.bulkContacts, new Date());

const control: FakeControl = {
  calls: [],
  failNext: null,
  storeProblem: config.storeProblem ?? null,
  stats: () => store.stats(),
};
window.__kithFake = control;

type Args = Record<string, unknown>;

function handle(cmd: string, args: Args): unknown {
  switch (cmd) {
    case "list_contacts":
      return store.list((args.filter as Partial<ContactFilter>) ?? {});
    case "get_contact":
      return store.detail(args.id as string);
    case "save_contact":
      return store.saveContact(args.draft as ContactDraft);
    case "delete_contact":
      return store.deleteContact(args.id as string);
    case "save_interaction":
      return store.saveInteraction(args.draft as InteractionDraft);
    case "delete_interaction":
      if (!store.interactions.delete(args.id as string)) fail("not_found", `interaction "${String(args.id)}" was not found`);
      return null;
    case "search": {
      const q = String(args.query ?? "").toLowerCase();
      return {
        contacts: store.list({ query: q }),
        interactions: store.timeline([...store.interactions.values()].filter((i) => i.text.toLowerCase().includes(q))),
      };
    }
    case "list_tags":
      return store.tags();
    case "list_events":
      return [...store.events.values()].sort((a, b) => a.starts_on.localeCompare(b.starts_on));
    case "save_event":
      return store.saveEvent(args.draft as EventDraft);
    case "delete_event":
      if (!store.events.delete(args.id as string)) fail("not_found", `event "${String(args.id)}" was not found`);
      return null;
    case "stats":
      return store.stats();
    case "load_demo":
      return store.loadSample(new Date());
    case "app_info":
      return { version: "0.1.0-test", db_path: "/tmp/kith-browser-test.sqlite3" };
    default:
      return fail("unknown_command", `the test backend does not know "${cmd}"`);
  }
}

mockIPC((cmd, payload) => {
  const args = (payload ?? {}) as Args;
  control.calls.push({ cmd, args });
  // Real IPC serialises everything; so does the fake, so the UI can't keep references into it.
  const roundTrip = <T>(v: T): T => (v === undefined ? v : JSON.parse(JSON.stringify(v)));
  if (control.storeProblem && cmd !== "app_info") return Promise.reject(control.storeProblem);
  const planned = control.failNext;
  if (planned && planned.cmd === cmd) {
    control.failNext = null;
    return Promise.reject(planned.error);
  }
  try {
    return Promise.resolve(roundTrip(handle(cmd, roundTrip(args))));
  } catch (e) {
    if (e instanceof Failure) return Promise.reject(e.error);
    return Promise.reject({ code: "internal", message: String(e) });
  }
});
