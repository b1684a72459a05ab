// Backups in the fake backend: copies are snapshots of the fake store, so a restore really
// brings back what the copy held, and a file that is not a copy is refused like the real one.

import type { BackupContents, BackupInfo, BackupKind, Contact, Event, Interaction, RestoreOutcome } from "../../src/bindings";
import { NOT_MINE, type FakeExtension, type FakeStore } from "./fake-backend";

interface Snapshot {
  contacts: Contact[];
  interactions: Interaction[];
  events: Event[];
}

const copies = new Map<string, { info: BackupInfo; snapshot: Snapshot }>();
let keepCount = 7;
const FOLDER = "/home/me/.local/share/kith/backups";
let seq = 0;

function snapshot(store: FakeStore): Snapshot {
  return JSON.parse(
    JSON.stringify({ contacts: [...store.contacts.values()], interactions: [...store.interactions.values()], events: [...store.events.values()] }),
  ) as Snapshot;
}

function keep(store: FakeStore, kind: BackupKind): BackupInfo {
  seq += 1;
  const now = new Date(Date.now() + seq * 1000);
  const stamp = now.toISOString().replace(/[-:]/g, "").slice(0, 15) + "Z";
  const name = `kith-${kind.replace("_", "-")}-${stamp}.sqlite3`;
  const snap = snapshot(store);
  const info: BackupInfo = { name, path: `${FOLDER}/${name}`, kind, created_at: now.toISOString(), size_bytes: 4096 + 512 * snap.interactions.length };
  copies.set(info.path, { info, snapshot: snap });
  return info;
}

const statsOf = (s: Snapshot) => ({ contacts: s.contacts.length, interactions: s.interactions.length, events: s.events.length });

export const backupsExtension: FakeExtension = (cmd, args, _raw, { store, fail }) => {
  switch (cmd) {
    case "list_backups":
      return [...copies.values()].map((c) => c.info).sort((a, b) => b.created_at.localeCompare(a.created_at));
    case "backup_now":
      return keep(store, "manual");
    case "backup_keep":
      return keepCount;
    case "set_backup_keep": {
      const n = Number(args.keep);
      if (!Number.isInteger(n) || n < 1 || n > 365) return fail("invalid_input", `keep between 1 and 365 copies of each kind, not ${n}`);
      keepCount = n;
      let removed = 0;
      for (const kind of ["daily", "before_import"] as BackupKind[]) {
        const old = [...copies.values()].filter((c) => c.info.kind === kind).sort((a, b) => b.info.created_at.localeCompare(a.info.created_at)).slice(n);
        for (const c of old) {
          copies.delete(c.info.path);
          removed += 1;
        }
      }
      return removed;
    }
    case "inspect_backup":
    case "restore_backup": {
      const path = String(args.path ?? "").trim();
      const copy = copies.get(path);
      if (!copy) return fail("store_corrupt", `${path}: this file is not a readable Kith store (file is not a database). It was left untouched.`);
      if (cmd === "inspect_backup") {
        const contents: BackupContents = { path, schema_version: 2, stats: statsOf(copy.snapshot) };
        return contents;
      }
      const before = store.contacts.size ? keep(store, "before_restore") : null;
      store.contacts.clear();
      store.interactions.clear();
      store.events.clear();
      for (const c of copy.snapshot.contacts) store.contacts.set(c.id, c);
      for (const i of copy.snapshot.interactions) store.interactions.set(i.id, i);
      for (const e of copy.snapshot.events) store.events.set(e.id, e);
      const outcome: RestoreOutcome = { restored_from: path, before_restore: before, replaced_damaged_store: false, stats: store.stats() };
      return outcome;
    }
    default:
      return NOT_MINE;
  }
};
