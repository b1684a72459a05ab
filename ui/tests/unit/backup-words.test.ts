import { describe, expect, test } from "vitest";
import { backupKindLabel, formatSize, restoreQuestion } from "../../src/backup-words";

describe("backups in words", () => {
  test("sizes", () => {
    expect(formatSize(512)).toBe("512 B");
    expect(formatSize(1536)).toBe("1.5 KB");
    expect(formatSize(126 * 1024 * 1024)).toBe("126 MB");
    expect(formatSize(null)).toBe("");
    expect(formatSize(-1)).toBe("");
  });

  test("kinds", () => {
    expect(backupKindLabel("before_import")).toBe("Before an import");
    expect(backupKindLabel("manual")).toBe("Made by you");
  });

  test("the restore question says what comes back and that the present is kept", () => {
    const q = restoreQuestion(
      { path: "/b/kith-daily.sqlite3", schema_version: 2, stats: { contacts: 36, interactions: 587, events: 1 } },
      { contacts: 40, interactions: 600, events: 2 },
    );
    expect(q).toBe(
      'This copy holds 36 contacts, 587 interactions and 1 event. Your store now holds 40 contacts, 600 interactions and 2 events; it will be kept as a "before restore" copy, so you can go back.',
    );
    expect(restoreQuestion({ path: "x", schema_version: 2, stats: { contacts: 1, interactions: 0, events: 0 } }, null)).toBe(
      'This copy holds 1 contact, 0 interactions and 0 events. What the store holds now will be kept as a "before restore" copy, so you can go back.',
    );
  });
});
