import { describe, expect, test } from "vitest";
import type { ContactSummary, Format, ImportOutcome, ImportReport } from "../../src/bindings";
import {
  FORMATS,
  describeOutcome,
  duplicatesWords,
  formatInfo,
  listWords,
  mergeMessage,
  parseEmails,
  parseFormatChoice,
  progressWords,
  wantsMyEmails,
} from "../../src/import-words";

const zero: ImportReport = {
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

function outcome(report: Partial<ImportReport>, rest: Partial<ImportOutcome> = {}): ImportOutcome {
  return { format: "twitter", committed: false, report: { ...zero, ...report }, merged: 0, skipped: 0, examples: [], notes: [], ...rest };
}

describe("formats", () => {
  test("every format the backend knows has a label and a one-line hint", () => {
    // A Record over the generated Format type: a format added in Rust fails type checking here
    // until it is listed, and then this test until the menu has it.
    const known: Record<Format, true> = { twitter: true, mastodon: true, vcard: true, linkedin: true, google: true, mbox: true, eml: true, bluesky: true, json: true, csv: true, markdown: true };
    const all = Object.keys(known);
    expect(FORMATS.map((f) => f.value).sort()).toEqual([...all].sort());
    for (const f of FORMATS) {
      expect(f.label).toMatch(/\(\.[a-z]+\)$/);
      expect(f.hint.length).toBeGreaterThan(10);
      expect(f.hint).not.toContain("\n");
    }
    expect(formatInfo("twitter").label).toBe("Twitter/X archive (.zip)");
  });

  test("the menu's value reads back as a format, or null for detection", () => {
    expect(parseFormatChoice("")).toBeNull();
    expect(parseFormatChoice("mbox")).toBe("mbox");
    expect(parseFormatChoice("nonsense")).toBeNull();
  });

  test("the user's addresses are asked for mail only", () => {
    expect(wantsMyEmails("mbox", "")).toBe(true);
    expect(wantsMyEmails("eml", "/x/a.zip")).toBe(true);
    expect(wantsMyEmails("twitter", "/x/inbox.mbox")).toBe(false);
    expect(wantsMyEmails(null, "/home/me/Mail/Inbox.mbox ")).toBe(true);
    expect(wantsMyEmails(null, "C:\\Users\\me\\note.EML")).toBe(true);
    expect(wantsMyEmails(null, "/home/me/archive.zip")).toBe(false);
    expect(wantsMyEmails(null, "/home/me/Inbox", "mbox")).toBe(true);
    expect(wantsMyEmails(null, "/home/me/Inbox", "vcard")).toBe(false);
  });
});

describe("email lists", () => {
  test("splits on commas, semicolons and spaces, drops repeats and brackets", () => {
    expect(parseEmails(" me@example.org, Me@Example.org;\nwork@uni.example.edu  <other@x.org> mailto:m@y.net")).toEqual({
      emails: ["me@example.org", "work@uni.example.edu", "other@x.org", "m@y.net"],
      invalid: [],
    });
  });

  test("names what is not an address", () => {
    expect(parseEmails("me@example.org, not-an-address, @x")).toEqual({ emails: ["me@example.org"], invalid: ["not-an-address", "@x"] });
    expect(parseEmails("   ")).toEqual({ emails: [], invalid: [] });
  });
});

describe("words", () => {
  test("lists read as English", () => {
    expect(listWords([])).toBe("");
    expect(listWords(["a"])).toBe("a");
    expect(listWords(["a", "b"])).toBe("a and b");
    expect(listWords(["a", "b", "c"])).toBe("a, b and c");
  });

  test("progress with a total has a fraction; without one it is indeterminate", () => {
    expect(progressWords({ stage: "reading tweets", done: 1200, total: 5000 })).toEqual({
      stage: "Reading tweets",
      count: "1,200 of 5,000",
      fraction: 0.24,
    });
    expect(progressWords({ stage: "reading the archive", done: 0, total: null })).toEqual({
      stage: "Reading the archive",
      count: "",
      fraction: null,
    });
    expect(progressWords({ stage: "importing posts", done: 1500, total: null }).count).toBe("1,500 so far");
    expect(progressWords({ stage: "x", done: 9, total: 4 }).fraction).toBe(1);
    expect(progressWords(null)).toEqual({ stage: "Starting", count: "", fraction: null });
  });

  test("a preview says what it would add, update, merge and skip", () => {
    const w = describeOutcome(
      outcome({ contacts_added: 12, interactions_added: 1, contacts_updated: 2, interactions_unchanged: 3 }, { merged: 2, skipped: 1 }),
    );
    expect(w.changes).toBe(true);
    expect(w.headline).toBe("This Twitter/X archive would add 12 contacts and 1 interaction and update 2 contacts. Nothing has been written yet.");
    expect(w.lines).toEqual([
      "Updates 2 contacts already in Kith.",
      "Recognises 2 people you already have, and adds to them rather than making second contacts.",
      "3 interactions are already in Kith and stay as they are.",
      "1 item in the file is not a conversation with anyone and will be left out.",
    ]);
  });

  test("a second run of the same file says nothing is new", () => {
    const preview = describeOutcome(outcome({ contacts_unchanged: 1, interactions_unchanged: 4 }, { format: "mbox" }));
    expect(preview.changes).toBe(false);
    expect(preview.headline).toBe("Nothing new: everything in this mailbox is already in Kith.");
    expect(preview.lines).toEqual(["1 contact and 4 interactions are already in Kith and stay as they are."]);
    const done = describeOutcome(outcome({ contacts_unchanged: 1 }, { committed: true }));
    expect(done.headline).toBe("Nothing was added: everything in this file was already in Kith.");
    expect(done.lines).toEqual(["1 contact is already in Kith and stays as it is."]);
  });

  test("a finished import speaks in the past", () => {
    const w = describeOutcome(outcome({ contacts_added: 1, events_added: 2, interactions_updated: 1_234 }, { committed: true, merged: 1, skipped: 3 }));
    expect(w.headline).toBe("Imported: 1 contact and 2 events added, 1,234 interactions updated.");
    expect(w.lines).toEqual([
      "Updated 1,234 interactions already in Kith.",
      "Recognised 1 person you already have, and added to them rather than making a second contact.",
      "3 items in the file are not a conversation with anyone and were left out.",
    ]);
  });

  test("a merge says what moves and that it is final", () => {
    const person = (name: string, n: number): ContactSummary => ({
      id: name,
      name,
      organisation: "",
      location: "",
      roles: [],
      tags: [],
      primary_handle: null,
      interaction_count: n,
      last_interaction_at: null,
      last_channel: null,
    });
    expect(mergeMessage(person("Ana Lima", 4), person("A. Lima", 3))).toBe(
      "A. Lima's handles, roles, tags and notes, and 3 interactions, move to Ana Lima, and A. Lima no longer appears as a separate contact. This can't be undone.",
    );
    expect(mergeMessage(person("Ana Lima", 4), person("A. Lima", 0))).toBe(
      "A. Lima's handles, roles, tags and notes move to Ana Lima, and A. Lima no longer appears as a separate contact. This can't be undone.",
    );
    expect(duplicatesWords(0)).toBe("");
    expect(duplicatesWords(1)).toBe("1 possible duplicate");
    expect(duplicatesWords(3)).toBe("3 possible duplicates");
  });
});
