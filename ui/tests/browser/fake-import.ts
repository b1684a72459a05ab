// The fake backend's imports and duplicates review, over the shared fake store. Files are a
// virtual table the test fills; importing works like the real importer: contacts and
// interactions carry stable source keys (so a second run of the same file adds nothing), an
// incoming contact with a known email address or handle is imported into that person, a preview
// computes the same counts without writing, progress goes through the Channel, and a cancel
// stops the run with `cancelled` and nothing written.
//
// Steer it from the test through `window.__kithFakeImport`:
//   files["/home/me/twitter.zip"] = { format: "twitter", contacts: [...], interactions: [...] }
//   chosen = "/home/me/twitter.zip"   (what the system's file dialog answers; null = cancelled)

import type {
  ChannelKind,
  Contact,
  Direction,
  DuplicatePair,
  Format,
  Handle,
  ImportOutcome,
  ImportReport,
  ImportRequest,
  Interaction,
  Platform,
  Progress,
  Role,
} from "../../src/bindings";
import type { Channel } from "@tauri-apps/api/core";
import type { FakeStore } from "./fake-backend";
import { NOT_MINE, type Extension, type FakeContext } from "./fake-commands";

export interface FileContact {
  /** The source's own key for this person (e.g. `twitter:12345`). */
  key: string;
  name: string;
  handles?: Handle[];
  organisation?: string;
  location?: string;
  notes?: string;
  tags?: string[];
}

export interface FileInteraction {
  key: string;
  /** Keys of the file's contacts taking part. */
  with: string[];
  channel: ChannelKind;
  /** For mail, leave it out and give `from`: the user's own addresses decide the direction. */
  direction?: Direction;
  from?: string;
  at: string;
  text: string;
  public?: boolean;
  thread?: string;
}

export interface FakeFile {
  format: Format;
  contacts?: FileContact[];
  interactions?: FileInteraction[];
  /** Items that are not conversations with anyone (boosts, posts mentioning nobody). */
  skipped?: number;
  notes?: string[];
  /** The file is broken here: fails with `bad_import` naming the file and the place. */
  bad?: { place: string; message: string };
  /** Milliseconds between progress reports, so a test can cancel mid-way. */
  slowMs?: number;
}

export interface FakeImportControl {
  files: Record<string, FakeFile>;
  /** What the system's file dialog answers next; null as when the person cancels it. */
  chosen: string | null;
  /** The user's remembered addresses. */
  myEmails: string[];
}

declare global {
  interface Window {
    __kithFakeImport?: FakeImportControl;
  }
}

const control: FakeImportControl = { files: {}, chosen: null, myEmails: [] };
window.__kithFakeImport = control;

const LABELS: Record<Format, string> = {
  twitter: "Twitter/X archive",
  mastodon: "Mastodon archive",
  vcard: "vCard file",
  linkedin: "LinkedIn connections",
  google: "Google Contacts CSV",
  mbox: "mailbox (mbox)",
  eml: "email message",
  bluesky: "Bluesky repository",
  json: "Kith archive",
  csv: "Kith spreadsheet",
  markdown: "Kith notes",
};
const FORMATS = Object.keys(LABELS) as Format[];
const MAIL: Format[] = ["mbox", "eml"];
const CERTAIN: Platform[] = ["email", "twitter", "mastodon", "bluesky", "linkedin"];
const PUBLIC: ChannelKind[] = ["twitter", "mastodon", "bluesky", "blog", "listserv"];
const CHANNEL_WORDS: Record<ChannelKind, string> = {
  twitter: "Twitter/X",
  mastodon: "Mastodon",
  bluesky: "Bluesky",
  email: "email",
  blog: "blog",
  listserv: "listserv",
  in_person: "in person",
  video_call: "video call",
  phone: "phone",
  other: "other",
};
const PLATFORM_WORDS: Partial<Record<Platform, string>> = {
  twitter: "Twitter/X",
  mastodon: "Mastodon",
  bluesky: "Bluesky",
  linkedin: "LinkedIn",
  email: "email",
};

/** Source keys → store ids: the store's key and alias columns. */
const contactKeys = new Map<string, string>();
const interactionKeys = new Map<string, string>();
/** Pairs the user said are different people. */
const apart = new Set<string>();
let cancelRequested = false;

const normalize = (value: string): string =>
  value
    .trim()
    .toLowerCase()
    .replace(/^mailto:/, "")
    .replace(/^https?:\/\//, "")
    .replace(/^www\./, "")
    .replace(/^@+/, "")
    .replace(/\/+$/, "");
const identifierLabel = (p: Platform): string =>
  p === "email" ? "email address" : p === "linkedin" ? "LinkedIn profile" : `${PLATFORM_WORDS[p] ?? p} handle`;
const certainHandles = (handles: readonly Handle[]): Array<[string, Handle]> =>
  handles.filter((h) => CERTAIN.includes(h.platform) && normalize(h.value) !== "").map((h) => [`${h.platform}\u001f${normalize(h.value)}`, h]);
const oneLine = (text: string, max: number): string => {
  const t = text.replace(/\s+/g, " ").trim();
  return [...t].length > max ? `${[...t].slice(0, max - 1).join("")}…` : t;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function emptyReport(): ImportReport {
  return {
    contacts_added: 0,
    contacts_updated: 0,
    contacts_unchanged: 0,
    interactions_added: 0,
    interactions_updated: 0,
    interactions_unchanged: 0,
    events_added: 0,
    events_updated: 0,
    events_unchanged: 0,
  };
}

/** What one incoming contact becomes. */
type Target = { kind: "new"; contact: Contact } | { kind: "existing"; id: string };

interface Plan {
  report: ImportReport;
  merged: number;
  skipped: number;
  examples: string[];
  notes: string[];
  write: (store: FakeStore) => void;
}

/** Works out what importing `file` does to `store`, without changing it. */
function plan(store: FakeStore, file: FakeFile, me: readonly string[], now: string): Plan {
  const report = emptyReport();
  const merges: Array<{ into: string; reason: string }> = [];
  const byIdentifier = new Map<string, string>();
  for (const c of store.contacts.values()) for (const [k] of certainHandles(c.handles)) if (!byIdentifier.has(k)) byIdentifier.set(k, c.id);
  const inBatch = new Map<string, Target>();
  const targets = new Map<string, Target>();
  const updates = new Map<string, Contact>();
  const added: Contact[] = [];

  for (const c of file.contacts ?? []) {
    let target: Target | null = null;
    const known = contactKeys.get(c.key);
    if (known && store.contacts.has(known)) target = { kind: "existing", id: known };
    if (!target) {
      for (const [k, h] of certainHandles(c.handles ?? [])) {
        const earlier = inBatch.get(k);
        const stored = byIdentifier.get(k);
        const into = earlier ?? (stored ? ({ kind: "existing", id: stored } as Target) : null);
        if (!into) continue;
        const name = into.kind === "new" ? into.contact.name : (updates.get(into.id) ?? store.contacts.get(into.id)!).name;
        merges.push({ into: name, reason: `same ${identifierLabel(h.platform)} ${h.value}` });
        target = into;
        break;
      }
    }
    if (!target) {
      const contact: Contact = {
        id: `new:${c.key}`,
        name: c.name.trim() || c.key,
        handles: [...(c.handles ?? [])],
        organisation: c.organisation ?? "",
        location: c.location ?? "",
        met_where: "",
        met_on: null,
        met_through: "",
        notes: c.notes ?? "",
        private_notes: "",
        tags: [...(c.tags ?? [])],
        expertise: [],
        roles: [],
        cadence_days: null,
        dates: [],
        created_at: now,
        updated_at: now,
      };
      added.push(contact);
      target = { kind: "new", contact };
      report.contacts_added += 1;
    } else {
      // Known already: fill in what the store lacks.
      const base = target.kind === "new" ? target.contact : (updates.get(target.id) ?? store.contacts.get(target.id)!);
      const have = new Set(base.handles.map((h) => `${h.platform}\u001f${normalize(h.value)}`));
      const extra = (c.handles ?? []).filter((h) => !have.has(`${h.platform}\u001f${normalize(h.value)}`));
      const organisation = base.organisation || (c.organisation ?? "");
      const location = base.location || (c.location ?? "");
      const tags = [...base.tags, ...(c.tags ?? []).filter((t) => !base.tags.includes(t))];
      const changed = extra.length > 0 || organisation !== base.organisation || location !== base.location || tags.length !== base.tags.length;
      if (target.kind === "new") {
        Object.assign(target.contact, { handles: [...base.handles, ...extra], organisation, location, tags });
      } else if (changed) {
        const first = !updates.has(target.id);
        updates.set(target.id, { ...base, handles: [...base.handles, ...extra], organisation, location, tags, updated_at: now });
        if (first) report.contacts_updated += 1;
      } else if (!updates.has(target.id)) {
        report.contacts_unchanged += 1;
      }
    }
    targets.set(c.key, target);
    for (const [k] of certainHandles(c.handles ?? [])) if (!inBatch.has(k)) inBatch.set(k, target);
  }

  const idOf = (t: Target): string => (t.kind === "new" ? t.contact.id : t.id);
  const newInteractions: Interaction[] = [];
  const changedInteractions: Interaction[] = [];
  const names = new Map<string, string>();
  for (const [key, t] of targets) names.set(key, t.kind === "new" ? t.contact.name : (updates.get(t.id) ?? store.contacts.get(t.id)!).name);
  let skipped = file.skipped ?? 0;
  const mine = new Set(me.map((m) => normalize(m)));
  const firstInteractions: string[] = [];
  for (const i of file.interactions ?? []) {
    const who = i.with.map((k) => targets.get(k) ?? null);
    if (who.length === 0 || who.some((t) => t === null)) {
      skipped += 1;
      continue;
    }
    const direction: Direction = i.direction ?? (i.from !== undefined && mine.has(normalize(i.from)) ? "outbound" : "inbound");
    const incoming: Interaction = {
      id: `new:${i.key}`,
      contact_ids: [...new Set(who.map((t) => idOf(t!)))],
      channel: i.channel,
      direction,
      occurred_at: new Date(i.at).toISOString(),
      public: i.public ?? PUBLIC.includes(i.channel),
      text: i.text,
      thread: i.thread ?? null,
      tags: [],
      moment: null,
    };
    if (firstInteractions.length < 3) {
      firstInteractions.push(
        `${incoming.occurred_at.slice(0, 10)} ${direction} ${CHANNEL_WORDS[i.channel]} with ${i.with.map((k) => names.get(k) ?? k).join(", ")}: ${oneLine(i.text, 60)}`,
      );
    }
    const knownId = interactionKeys.get(i.key);
    const existing = knownId ? store.interactions.get(knownId) : undefined;
    if (!existing) {
      newInteractions.push(incoming);
      report.interactions_added += 1;
    } else if (existing.text !== incoming.text || existing.direction !== incoming.direction) {
      changedInteractions.push({ ...existing, text: incoming.text, direction: incoming.direction });
      report.interactions_updated += 1;
    } else {
      report.interactions_unchanged += 1;
    }
  }

  const examples = (file.contacts ?? []).slice(0, 3).map((c) => {
    const h = c.handles?.[0];
    return h ? `contact ${c.name} (${h.platform} ${h.value})` : `contact ${c.name}`;
  });
  examples.push(...firstInteractions);
  for (const m of merges.slice(0, 5)) examples.push(`same person as ${m.into}: ${m.reason}`);
  const notes = [...(file.notes ?? [])];
  if (merges.length > 5) notes.push(`${merges.length - 5} more contacts were recognised as people already known`);

  const write = (s: FakeStore): void => {
    const realIds = new Map<string, string>();
    for (const c of added) {
      const id = s.newId("c");
      realIds.set(c.id, id);
      s.contacts.set(id, { ...c, id });
    }
    for (const c of updates.values()) s.contacts.set(c.id, c);
    for (const [key, t] of targets) contactKeys.set(key, t.kind === "new" ? realIds.get(t.contact.id)! : t.id);
    for (const i of newInteractions) {
      const id = s.newId("i");
      s.interactions.set(id, { ...i, id, contact_ids: i.contact_ids.map((c) => realIds.get(c) ?? c) });
      interactionKeys.set(i.id.slice("new:".length), id);
    }
    for (const i of changedInteractions) s.interactions.set(i.id, i);
  };
  return { report, merged: merges.length, skipped, examples, notes, write };
}

async function runImport(request: ImportRequest, channel: Channel<Progress>, commit: boolean, ctx: FakeContext): Promise<ImportOutcome> {
  const path = String(request.path ?? "").trim();
  if (path === "") ctx.fail("invalid_input", "choose a file to import");
  cancelRequested = false;
  const tick = async (stage: string, done: number, total: number | null, ms: number): Promise<void> => {
    if (ms > 0) await sleep(ms);
    const progress: Progress = { stage, done, total };
    channel.onmessage(JSON.parse(JSON.stringify(progress)) as Progress);
    if (cancelRequested) ctx.fail("cancelled", `${path}: import cancelled; nothing was imported`);
  };
  const file = control.files[path] ?? ctx.fail("io", `${path}: No such file or directory (os error 2)`);
  const ms = file.slowMs ?? 0;
  const format = request.format ?? file.format;
  if (!FORMATS.includes(format)) ctx.fail("invalid_input", `unknown format "${String(format)}"`);
  await tick(format === "json" ? "reading the archive (KB)" : "reading the file", 0, null, ms);
  if (format !== file.format) {
    ctx.fail("bad_import", `${path}: the first line: this is not a ${LABELS[format]}. Nothing was imported.`);
  }
  const contacts = file.contacts?.length ?? 0;
  const steps = 4;
  for (let k = 1; k <= steps && contacts > 0; k++) await tick("reading contacts", Math.round((contacts * k) / steps), contacts, ms);
  if (file.bad) ctx.fail("bad_import", `${path}: ${file.bad.place}: ${file.bad.message}. Nothing was imported.`);
  const interactions = file.interactions?.length ?? 0;
  for (let k = 1; k <= steps && interactions > 0; k++) await tick("reading messages", Math.round((interactions * k) / steps), null, ms);
  const me = [...control.myEmails, ...(request.my_emails ?? [])];
  const p = plan(ctx.store, file, MAIL.includes(format) ? me : [], new Date().toISOString());
  if (commit) {
    p.write(ctx.store);
    for (const e of request.my_emails ?? []) {
      if (!control.myEmails.some((m) => normalize(m) === normalize(e))) control.myEmails.push(e.trim());
    }
  }
  return { format, committed: commit, report: p.report, merged: p.merged, skipped: p.skipped, examples: p.examples, notes: p.notes };
}

// ---------------------------------------------------------------------------------------------
// Duplicates

const pairKey = (a: string, b: string): string => (a <= b ? `${a}\u001f${b}` : `${b}\u001f${a}`);
const nameWords = (name: string): string[] =>
  name
    .split(/[\s,.]+/)
    .map((w) =>
      [...w.normalize("NFC")]
        .filter((ch) => /[\p{L}\p{N}'-]/u.test(ch))
        .join("")
        .toLowerCase(),
    )
    .filter((w) => w !== "");

function namesAlike(a: string[], b: string[]): string | null {
  if (a.length === b.length && a.every((w, i) => w === b[i])) return "same name";
  if (a.length < 2 || b.length < 2) return null;
  const [fa, fb] = [a[0]!, b[0]!];
  const initial = (x: string, y: string) => [...x].length === 1 && y.startsWith(x);
  const prefix = (x: string, y: string) => [...x].length >= 3 && y.startsWith(x);
  return initial(fa, fb) || initial(fb, fa) || prefix(fa, fb) || prefix(fb, fa) ? "similar name" : null;
}

function duplicates(store: FakeStore): DuplicatePair[] {
  const contacts = [...store.contacts.values()].sort((x, y) => x.id.localeCompare(y.id));
  const seen = new Set<string>();
  const out: DuplicatePair[] = [];
  const push = (a: Contact, b: Contact, reason: string, certain: boolean) => {
    const key = pairKey(a.id, b.id);
    if (a.id === b.id || seen.has(key)) return;
    seen.add(key);
    const [x, y] = a.id <= b.id ? [a, b] : [b, a];
    out.push({ a: store.summary(x), b: store.summary(y), reason, certain });
  };
  const byHandle = new Map<string, Array<[Contact, Handle]>>();
  for (const c of contacts) {
    for (const [k, h] of certainHandles(c.handles)) {
      const list = byHandle.get(k) ?? [];
      if (!list.some(([x]) => x.id === c.id)) list.push([c, h]);
      byHandle.set(k, list);
    }
  }
  for (const list of byHandle.values()) {
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const [a, h] = list[i]!;
        push(a, list[j]![0], `same ${identifierLabel(h.platform)} ${h.value}`, true);
      }
    }
  }
  const byLast = new Map<string, Array<[Contact, string[]]>>();
  for (const c of contacts) {
    if (c.tags.includes("unresolved")) continue;
    const words = nameWords(c.name);
    const last = words[words.length - 1];
    if (last === undefined) continue;
    byLast.set(last, [...(byLast.get(last) ?? []), [c, words]]);
  }
  for (const group of byLast.values()) {
    for (let i = 0; i < group.length; i++) {
      for (let j = i + 1; j < group.length; j++) {
        const reason = namesAlike(group[i]![1], group[j]![1]);
        if (reason) push(group[i]![0], group[j]![0], reason, false);
      }
    }
  }
  return out.filter((p) => !apart.has(pairKey(p.a.id, p.b.id))).sort((x, y) => Number(y.certain) - Number(x.certain));
}

function merge(store: FakeStore, keptId: string, goneId: string, ctx: FakeContext): Contact {
  const keep = store.contacts.get(keptId) ?? ctx.fail("not_found", `contact "${keptId}" was not found`);
  const gone = store.contacts.get(goneId) ?? ctx.fail("not_found", `contact "${goneId}" was not found`);
  if (keep.id === gone.id) ctx.fail("invalid_input", "a contact cannot be merged into itself");
  const join = (a: string, b: string) => (b.trim() === "" ? a : a.trim() === "" ? b : a === b ? a : `${a}\n\n${b}`);
  const union = <T>(a: readonly T[], b: readonly T[], key: (x: T) => string): T[] => {
    const out = [...a];
    for (const x of b) if (!out.some((y) => key(y) === key(x))) out.push(x);
    return out;
  };
  const roles: Role[] = keep.roles.map((r) => ({ ...r, topics: [...(r.topics ?? [])] }));
  for (const r of gone.roles) {
    const same = roles.find((k) => k.kind === r.kind);
    if (same) {
      same.topics = union(same.topics ?? [], r.topics ?? [], (t) => t.toLowerCase());
      same.acknowledged = Boolean(same.acknowledged || r.acknowledged);
    } else roles.push(r);
  }
  const merged: Contact = {
    ...keep,
    handles: union(keep.handles, gone.handles, (h) => `${h.platform}\u001f${normalize(h.value)}`),
    organisation: keep.organisation || gone.organisation,
    location: keep.location || gone.location,
    met_where: join(keep.met_where, gone.met_where),
    met_on: keep.met_on && gone.met_on ? (keep.met_on < gone.met_on ? keep.met_on : gone.met_on) : (keep.met_on ?? gone.met_on),
    met_through: join(keep.met_through, gone.met_through),
    notes: join(keep.notes, gone.notes),
    private_notes: join(keep.private_notes, gone.private_notes),
    tags: union(keep.tags, gone.tags, (t) => t.toLowerCase()),
    expertise: union(keep.expertise, gone.expertise, (t) => t.toLowerCase()),
    roles,
    cadence_days: keep.cadence_days ?? gone.cadence_days,
    dates: [...keep.dates, ...gone.dates.filter((d) => !keep.dates.some((k) => k.kind === d.kind && k.month === d.month && k.day === d.day))],
    updated_at: new Date().toISOString(),
  };
  store.contacts.set(keep.id, merged);
  store.contacts.delete(gone.id);
  for (const [id, i] of store.interactions) {
    if (i.contact_ids.includes(gone.id)) {
      store.interactions.set(id, { ...i, contact_ids: [...new Set(i.contact_ids.map((c) => (c === gone.id ? keep.id : c)))] });
    }
  }
  for (const [id, e] of store.events) {
    if (e.attendee_ids.includes(gone.id)) {
      store.events.set(id, { ...e, attendee_ids: [...new Set(e.attendee_ids.map((c) => (c === gone.id ? keep.id : c)))] });
    }
  }
  for (const [key, id] of contactKeys) if (id === gone.id) contactKeys.set(key, keep.id);
  return merged;
}

export const importExtension = (ctx: FakeContext) =>
  ({
    chooseFile: (purpose) => (purpose === "import" ? control.chosen : NOT_MINE),
    previewImport: (request, onProgress) => runImport(request, onProgress, false, ctx),
    importFile: (request, onProgress) => runImport(request, onProgress, true, ctx),
    cancelImport: () => {
      cancelRequested = true;
      return null;
    },
    myEmails: () => [...control.myEmails],
    listDuplicates: () => duplicates(ctx.store),
    mergeContacts: (kept, absorbed) => merge(ctx.store, kept, absorbed, ctx),
    notDuplicates: (a, b) => {
      for (const id of [a, b]) if (!ctx.store.contacts.has(id)) ctx.fail("not_found", `contact "${id}" was not found`);
      apart.add(pairKey(a, b));
      return null;
    },
  }) satisfies Extension;
