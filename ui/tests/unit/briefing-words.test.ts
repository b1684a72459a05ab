import { describe, expect, test } from "vitest";
import type { AttendeeMatch } from "../../src/bindings";
import {
  briefFormatFromPath,
  draftFromMatch,
  groupMatches,
  guessPlatform,
  logMeetingsLabel,
  reasonText,
  metDefaultDate,
  metInstant,
  suggestedBriefName,
} from "../../src/briefing-words";

const match = (over: Partial<AttendeeMatch>): AttendeeMatch => ({
  entry: "x",
  contact_id: null,
  contact_name: null,
  how: "none",
  name: null,
  emails: [],
  handles: [],
  ...over,
});

describe("saving a briefing", () => {
  test("a typed path's extension chooses the format", () => {
    expect(briefFormatFromPath("/home/me/brief.PDF")).toBe("pdf");
    expect(briefFormatFromPath("  brief.htm ")).toBe("html");
    expect(briefFormatFromPath("brief.html")).toBe("html");
    expect(briefFormatFromPath("C:\\Users\\me\\brief.md")).toBe("markdown");
    expect(briefFormatFromPath("brief.markdown")).toBe("markdown");
    expect(briefFormatFromPath("brief.txt")).toBeNull();
    expect(briefFormatFromPath("brief")).toBeNull();
    expect(briefFormatFromPath("")).toBeNull();
  });

  test("the proposed file name cannot leave the folder", () => {
    expect(suggestedBriefName("Code4Lib 2026", "pdf")).toBe("Code4Lib 2026 briefing.pdf");
    expect(suggestedBriefName("../../etc/passwd", "html")).toBe("etc passwd briefing.html");
    expect(suggestedBriefName('A:B*C?"<img>"|', "markdown")).toBe("A B C img briefing.md");
    expect(suggestedBriefName("   ", "pdf")).toBe("briefing.pdf");
    expect(suggestedBriefName("x".repeat(300), "pdf").length).toBeLessThanOrEqual(80 + " briefing.pdf".length);
  });
});

test("reasons read as sentences starting with a capital", () => {
  expect(reasonText("used #code4lib in 1 interaction")).toBe("Used #code4lib in 1 interaction");
  expect(reasonText("  ébauche")).toBe("Ébauche");
  expect(reasonText("")).toBe("");
});

describe("attendee matches", () => {
  test("are grouped into certain, possible and unmatched, in list order", () => {
    const groups = groupMatches([
      match({ how: "possible", contact_id: "c1" }),
      match({ how: "email", contact_id: "c2" }),
      match({ how: "none" }),
      match({ how: "name", contact_id: "c3" }),
      match({ how: "handle", contact_id: "c4" }),
    ]);
    expect(groups).toEqual({ certain: [1, 3, 4], possible: [0], none: [2] });
  });

  test("handles are put on the platform they look like", () => {
    expect(guessPlatform("@ana@glammr.us")).toBe("mastodon");
    expect(guessPlatform("@tomas_reads")).toBe("twitter");
    expect(guessPlatform("priya.bsky.social")).toBe("bluesky");
    expect(guessPlatform("@priya.bsky.social")).toBe("bluesky");
    expect(guessPlatform("https://www.linkedin.com/in/ana")).toBe("linkedin");
    expect(guessPlatform("https://ana.example.org/blog")).toBe("blog");
    expect(guessPlatform("https://notlinkedin.com.example/x")).toBe("blog");
    expect(guessPlatform("ana@example.org")).toBe("email");
    expect(guessPlatform("@a_name_far_too_long_for_twitter")).toBe("other");
  });

  test("an unmatched entry starts a contact with its name, addresses and handles", () => {
    const draft = draftFromMatch(
      match({
        entry: "Ana Lima <ana@example.org> @ana@glammr.us",
        name: "Ana Lima",
        emails: ["ana@example.org", "ANA@example.org"],
        handles: ["@ana@glammr.us"],
      }),
    );
    expect(draft).toEqual({
      name: "Ana Lima",
      handles: [
        { platform: "email", value: "ana@example.org" },
        { platform: "mastodon", value: "@ana@glammr.us" },
      ],
    });
  });

  test("an entry without a name is named after its address, then its handle", () => {
    expect(draftFromMatch(match({ entry: "ana@example.org", emails: ["ana@example.org"] })).name).toBe("ana@example.org");
    expect(draftFromMatch(match({ entry: "@wen", handles: ["@wen"] })).name).toBe("@wen");
    expect(draftFromMatch(match({ entry: " odd entry ", name: "  " })).name).toBe("odd entry");
  });
});

describe("who did you meet", () => {
  test("defaults to the event's last day once it is over, otherwise today", () => {
    expect(metDefaultDate({ starts_on: "2026-03-01", ends_on: "2026-03-03" }, "2026-03-10")).toBe("2026-03-03");
    expect(metDefaultDate({ starts_on: "2026-03-01", ends_on: "2026-03-03" }, "2026-03-02")).toBe("2026-03-02");
    expect(metDefaultDate({ starts_on: "2026-03-01", ends_on: "2026-03-03" }, "2026-02-01")).toBe("2026-02-01");
    expect(metDefaultDate({ starts_on: "2026-03-01", ends_on: "" }, "2026-03-10")).toBe("2026-03-01");
  });

  test("logs today's meetings now and earlier ones at midday", () => {
    const now = new Date(2026, 2, 10, 17, 45);
    expect(metInstant("2026-03-10", now)).toBe(now);
    const earlier = metInstant("2026-03-03", now);
    expect(earlier?.getFullYear()).toBe(2026);
    expect(earlier?.getMonth()).toBe(2);
    expect(earlier?.getDate()).toBe(3);
    expect(earlier?.getHours()).toBe(12);
    expect(metInstant("2026-02-30", now)).toBeNull();
    expect(metInstant("", now)).toBeNull();
  });

  test("the button counts meetings", () => {
    expect(logMeetingsLabel(0)).toBe("Log 0 meetings");
    expect(logMeetingsLabel(1)).toBe("Log 1 meeting");
    expect(logMeetingsLabel(1200)).toBe("Log 1,200 meetings");
  });
});
