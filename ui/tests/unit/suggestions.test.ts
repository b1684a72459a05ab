// vite.config.ts runs unit tests in America/New_York, so snoozes and due dates that cross a
// daylight-saving change are checked against a zone that has one.

import { describe, expect, test } from "vitest";
import type { FollowUp } from "../../src/bindings";
import {
  cadenceWords,
  daysBetween,
  defaultDueDate,
  draftEmailHref,
  draftGreeting,
  draftSubject,
  dueWords,
  firstEmail,
  kindLabel,
  overdueWords,
  sentence,
  snoozeUntil,
  sortFollowUps,
  suggestionHeadline,
} from "../../src/suggestions";

describe("email drafts", () => {
  test("a draft carries the subject and greeting, encoded", () => {
    expect(draftEmailHref("rosa.delgado@example.org", { subject: "Continuing our conversation", body: draftGreeting("Rosa Delgado") })).toBe(
      "mailto:rosa.delgado@example.org?subject=Continuing%20our%20conversation&body=Hi%20Rosa%2C%0D%0A%0D%0A",
    );
  });

  test("a hostile name or subject cannot add recipients or headers", () => {
    const url = draftEmailHref("rosa@example.org", {
      subject: "Hi&bcc=eve@example.net&cc=x@y.z?",
      body: draftGreeting("Eve&bcc=mallory@example.net <img src=x onerror=alert(1)>"),
    });
    expect(url).not.toBeNull();
    const parsed = new URL(url!);
    expect(parsed.protocol).toBe("mailto:");
    expect(parsed.pathname).toBe("rosa@example.org");
    expect([...parsed.searchParams.keys()]).toEqual(["subject", "body"]);
    expect(parsed.searchParams.get("subject")).toBe("Hi&bcc=eve@example.net&cc=x@y.z?");
    expect(parsed.searchParams.get("body")).toBe("Hi Eve&bcc=mallory@example.net,\r\n\r\n");
  });

  test("only plausible addresses make a draft", () => {
    expect(draftEmailHref("javascript:alert(1)", { subject: "x" })).toBeNull();
    expect(draftEmailHref("rosa@example.org?bcc=eve@example.net")).toBeNull();
    expect(draftEmailHref("rosa at example dot org")).toBeNull();
    expect(draftEmailHref(" mailto:rosa@example.org ")).toBe("mailto:rosa@example.org");
  });

  test("the first email handle is the one used", () => {
    expect(
      firstEmail([
        { platform: "mastodon", value: "@rosa@glammr.us" },
        { platform: "email", value: "  " },
        { platform: "email", value: " rosa@example.org " },
        { platform: "email", value: "other@example.org" },
      ]),
    ).toBe("rosa@example.org");
    expect(firstEmail([{ platform: "twitter", value: "@rosa" }])).toBeNull();
  });

  test("subjects follow what the suggestion asks for", () => {
    expect(draftSubject("move")).toBe("Continuing our conversation");
    expect(draftSubject("reconnect")).toBe("Catching up");
    expect(draftSubject(null)).toBe("Continuing our conversation");
    expect(draftSubject("move", "  Code4Lib 2026 ")).toBe("See you at Code4Lib 2026?");
    expect(draftGreeting("   ")).toBe("Hi,\n\n");
  });
});

describe("snoozing", () => {
  test("a day and a week keep the local time of day, across a clock change", () => {
    // 8 March 2025 is the Saturday before the US switch to summer time.
    const now = new Date(2025, 2, 8, 9, 30);
    const day = snoozeUntil(now, "day");
    expect([day.getDate(), day.getHours(), day.getMinutes()]).toEqual([9, 9, 30]);
    expect(day.getTime() - now.getTime()).toBe(23 * 3600 * 1000);
    const week = snoozeUntil(now, "week");
    expect([week.getMonth(), week.getDate(), week.getHours()]).toEqual([2, 15, 9]);
  });

  test("a month is the same day next month, or its last day when it has fewer", () => {
    const d = (y: number, m: number, day: number) => new Date(y, m, day, 14, 0);
    const parts = (x: Date) => [x.getFullYear(), x.getMonth() + 1, x.getDate(), x.getHours()];
    expect(parts(snoozeUntil(d(2025, 0, 15), "month"))).toEqual([2025, 2, 15, 14]);
    expect(parts(snoozeUntil(d(2025, 0, 31), "month"))).toEqual([2025, 2, 28, 14]);
    expect(parts(snoozeUntil(d(2024, 0, 31), "month"))).toEqual([2024, 2, 29, 14]);
    expect(parts(snoozeUntil(d(2024, 11, 31), "month"))).toEqual([2025, 1, 31, 14]);
    expect(parts(snoozeUntil(d(2025, 2, 31), "month"))).toEqual([2025, 4, 30, 14]);
  });
});

describe("due dates", () => {
  test("a plan is due a week from today by default, in local days", () => {
    expect(defaultDueDate(new Date(2025, 11, 28, 23, 50))).toBe("2026-01-04");
    expect(defaultDueDate(new Date(2025, 2, 5, 0, 10))).toBe("2025-03-12");
  });

  test("days between calendar dates ignore time zones", () => {
    expect(daysBetween("2025-03-08", "2025-03-10")).toBe(2);
    expect(daysBetween("2025-03-10", "2025-03-08")).toBe(-2);
    expect(daysBetween("2024-02-28", "2024-03-01")).toBe(2);
    expect(daysBetween("2025-02-30", "2025-03-01")).toBeNull();
  });

  test("due and overdue read as words", () => {
    expect(overdueWords(12)).toBe("12 days overdue");
    expect(overdueWords(1)).toBe("1 day overdue");
    expect(overdueWords(0)).toBe("due today");
    expect(overdueWords(-1)).toBe("due tomorrow");
    expect(overdueWords(-5)).toBe("due in 5 days");
    expect(dueWords("2025-03-10", "2025-03-07")).toBe("due in 3 days");
    expect(dueWords("2025-03-01", "2025-03-07")).toBe("6 days overdue");
    expect(cadenceWords(30)).toBe("every 30 days");
    expect(cadenceWords(1)).toBe("every day");
  });

  test("plans with a due date come first, soonest first; the rest newest first", () => {
    const plan = (id: string, due: string | null, accepted: string): FollowUp => ({
      suggestion_id: id,
      contact_id: null,
      summary: id,
      note: "",
      due_on: due,
      accepted_at: accepted,
    });
    const sorted = sortFollowUps([
      plan("undated-old", null, "2025-01-01T10:00:00Z"),
      plan("late", "2025-03-20", "2025-03-01T10:00:00Z"),
      plan("undated-new", null, "2025-02-01T10:00:00.123Z"),
      plan("soon", "2025-03-10", "2025-03-02T10:00:00Z"),
    ]);
    expect(sorted.map((p) => p.suggestion_id)).toEqual(["soon", "late", "undated-new", "undated-old"]);
  });
});

describe("wording", () => {
  test("headlines say what to do and where", () => {
    expect(suggestionHeadline("move", "email")).toBe("Continue by email");
    expect(suggestionHeadline("move", "in_person")).toBe("Meet in person");
    expect(suggestionHeadline("reconnect", "mastodon")).toBe("Get back in touch on Mastodon");
    expect(suggestionHeadline("follow_up", "email")).toBe("Follow up by email");
    expect(suggestionHeadline("reply", "video_call")).toBe("Try again on a video call");
    expect(kindLabel("reply")).toBe("Try another channel");
  });

  test("reasons become sentences without doubling their punctuation", () => {
    expect(sentence("Nothing with Rosa for 90 days")).toBe("Nothing with Rosa for 90 days.");
    expect(sentence("Tomás asked you (“How do I score demos?”)")).toBe("Tomás asked you (“How do I score demos?”).");
    expect(sentence("Is this still on?")).toBe("Is this still on?");
    expect(sentence("She wrote “see you there.”")).toBe("She wrote “see you there.”");
    expect(sentence("  ")).toBe("");
  });
});
