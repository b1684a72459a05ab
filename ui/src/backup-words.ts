// Backups in words: what kind of copy, how big, what it holds. Pure, so it is tested alone.

import type { BackupContents, BackupKind, Stats } from "./bindings";

const KIND: Record<BackupKind, string> = {
  daily: "Daily copy",
  before_import: "Before an import",
  before_migration: "Before an upgrade",
  before_restore: "Before a restore",
  manual: "Made by you",
};

export function backupKindLabel(kind: BackupKind): string {
  return KIND[kind];
}

/** A size for people: "840 KB", "126 MB". */
export function formatSize(bytes: number | null): string {
  if (bytes === null || !Number.isFinite(bytes) || bytes < 0) return "";
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value >= 10 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

const n = (count: number, one: string, many: string): string => `${count.toLocaleString("en")} ${count === 1 ? one : many}`;

export function describeStats(stats: Stats): string {
  return `${n(stats.contacts, "contact", "contacts")}, ${n(stats.interactions, "interaction", "interactions")} and ${n(stats.events, "event", "events")}`;
}

/** The question before a restore: what comes back, and what happens to what is there now. */
export function restoreQuestion(contents: BackupContents, current: Stats | null): string {
  const present = current ? `Your store now holds ${describeStats(current)}; it` : "What the store holds now";
  return `This copy holds ${describeStats(contents.stats)}. ${present} will be kept as a "before restore" copy, so you can go back.`;
}
