// Backups in the fake backend: copies are snapshots of the fake store, so a restore really
// brings back what the copy held, and a file that is not a copy is refused like the real one.

import type { BackupContents, BackupInfo, BackupKind, Contact, Event, Interaction, RestoreOutcome } from "../../src/bindings";
import type { FakeStore } from "./fake-backend";
import type { Extension, FakeContext } from "./fake-commands";

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

export const backupsExtension = ({ store, fail }: FakeContext) =>
  ({
    listBackups: () => [...copies.values()].map((c) => c.info).sort((a, b) => b.created_at.localeCompare(a.created_at)),
    backupNow: () => keep(store, "manual"),
    backupKeep: () => keepCount,
    setBackupKeep: (n) => {
      if (!Number.isInteger(n) || n < 1 || n > 365) return fail("invalid_input", `keep between 1 and 365 copies of each kind, not ${n}`);
      keepCount = n;
      store.changes.setting();
      let removed = 0;
      for (const kind of ["daily", "before_import"] as BackupKind[]) {
        const old = [...copies.values()].filter((c) => c.info.kind === kind).sort((a, b) => b.info.created_at.localeCompare(a.info.created_at)).slice(n);
        for (const c of old) {
          copies.delete(c.info.path);
          removed += 1;
        }
      }
      return removed;
    },
    inspectBackup: (path): BackupContents => {
      const copy = copyAt(path, fail);
      return { path: path.trim(), schema_version: 2, stats: statsOf(copy.snapshot) };
    },
    restoreBackup: (path): RestoreOutcome => {
      const copy = copyAt(path, fail);
      const before = store.contacts.size ? keep(store, "before_restore") : null;
      store.contacts.clear();
      store.interactions.clear();
      store.events.clear();
      for (const c of copy.snapshot.contacts) store.contacts.set(c.id, c);
      for (const i of copy.snapshot.interactions) store.interactions.set(i.id, i);
      for (const e of copy.snapshot.events) store.events.set(e.id, e);
      // The store was replaced as a file: the real one says anything may have changed.
      store.changes.all();
      return { restored_from: path.trim(), before_restore: before, replaced_damaged_store: false, stats: store.stats() };
    },
  }) satisfies Extension;

function copyAt(rawPath: string, fail: FakeContext["fail"]): { info: BackupInfo; snapshot: Snapshot } {
  const path = rawPath.trim();
  return copies.get(path) ?? fail("store_corrupt", `${path}: this file is not a readable Kith store (file is not a database). It was left untouched.`);
}
