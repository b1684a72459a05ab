import { describe, expect, test } from "vitest";
import { CHOICES, choiceInfo, describeExport, optionsFor, safeFileStem, suggestedName } from "../../src/export-choices";

describe("export choices", () => {
  test("every choice has a distinct save target and file name", () => {
    expect(new Set(CHOICES.map((c) => c.target)).size).toBe(CHOICES.length);
    expect(new Set(CHOICES.map((c) => c.fileName)).size).toBe(CHOICES.length);
  });

  test("private data goes only with the switch, and never through the archive's switch", () => {
    expect(optionsFor("vcard", false, false).include_private).toBe(false);
    expect(optionsFor("vcard", true, false).include_private).toBe(true);
    // The archive holds everything anyway; the option is for sharing formats.
    expect(optionsFor("json", true, false).include_private).toBe(false);
    expect(optionsFor("csv", false, true).csv_bom).toBe(true);
    expect(optionsFor("vcard", false, true).csv_bom).toBe(false);
    expect(optionsFor("markdown-file", false, false).markdown_combined).toBe(true);
    expect(optionsFor("markdown-folder", false, false).markdown_combined).toBe(false);
  });

  test("long-overdue to-dos go only into a calendar, and only with the switch", () => {
    expect(optionsFor("ics", false, false).include_overdue).toBe(false);
    expect(optionsFor("ics", false, false, false).include_overdue).toBe(false);
    expect(optionsFor("ics", false, false, true).include_overdue).toBe(true);
    // The other formats have no to-dos: the switch left on from a calendar does not follow.
    for (const c of CHOICES.filter((c) => c.choice !== "ics")) {
      expect(optionsFor(c.choice, false, false, true).include_overdue).toBe(false);
    }
  });

  test("file names name the person or the tag, safely", () => {
    expect(safeFileStem("Zoë O'Brien / Library")).toBe("Zoe-O-Brien-Library");
    expect(safeFileStem("../../etc/passwd")).toBe("etc-passwd");
    expect(safeFileStem("<script>")).toBe("script");
    expect(safeFileStem("¿¡")).toBe("contact");
    expect(suggestedName("vcard", { kind: "contacts", ids: ["c1"] }, "Ana Lima")).toBe("Ana-Lima.vcf");
    expect(suggestedName("markdown-folder", { kind: "tag", tag: "solo librarians" }, null)).toBe("kith-solo-librarians-notes");
    expect(suggestedName("csv", { kind: "everyone" }, null)).toBe(choiceInfo("csv").fileName);
    expect(suggestedName("json", { kind: "tag", tag: "x" }, null)).toBe("kith-archive.json");
  });

  test("the result says what was written and what was left out", () => {
    const done = { path: "/tmp/notes", files: 36, contacts: 36, left_out: { private_notes: 4, private_interactions: 120 }, left_out_note: "Left out: private notes of 4 contacts." };
    expect(describeExport(done, "markdown-folder")).toBe("Wrote 36 notes (36 contacts) to /tmp/notes. Left out: private notes of 4 contacts.");
    expect(describeExport({ ...done, files: 1, contacts: 1, left_out_note: null }, "vcard")).toBe("Exported 1 contact to /tmp/notes.");
  });
});
