// vite.config.ts runs unit tests in America/New_York (UTC-5 in winter, UTC-4 in summer), so
// local-time conversions are checked against known offsets.

import { describe, expect, test } from "vitest";
import {
  threadLabel,
  CHANNELS,
  channelLabel,
  defaultPublicFor,
  formatDate,
  formatDateRange,
  formatDateTime,
  initials,
  isValidDate,
  isoToLocalInputValue,
  localInputToUtcIso,
  mailtoHref,
  momentDirection,
  normaliseQuery,
  plural,
  relativeTime,
  roleDirectionWords,
  safeHttpUrl,
  splitHashtags,
  splitList,
  toLocalInputValue,
} from "../../src/format";

describe("channel labels", () => {
  test("every channel has a readable label", () => {
    expect(CHANNELS.map(channelLabel)).toEqual([
      "Twitter/X",
      "Mastodon",
      "Bluesky",
      "Email",
      "Blog",
      "Listserv",
      "In person",
      "Video call",
      "Phone",
      "Other",
    ]);
  });

  test("public by default only where the world can read it", () => {
    const pub = CHANNELS.filter(defaultPublicFor);
    expect(pub).toEqual(["twitter", "mastodon", "bluesky", "blog", "listserv"]);
  });
});

describe("times", () => {
  const now = new Date("2024-06-15T12:00:00Z");

  test.each([
    ["2024-06-15T11:59:40Z", "just now"],
    ["2024-06-15T11:55:00Z", "5 minutes ago"],
    ["2024-06-15T09:00:00Z", "3 hours ago"],
    ["2024-06-14T11:00:00Z", "yesterday"],
    ["2024-06-12T12:00:00Z", "3 days ago"],
    ["2024-06-01T12:00:00Z", "2 weeks ago"],
    ["2024-02-15T12:00:00Z", "4 months ago"],
    ["2022-06-01T12:00:00Z", "2 years ago"],
    ["2024-06-18T12:00:00Z", "in 3 days"],
  ])("%s is %s", (iso, words) => {
    expect(relativeTime(iso, now)).toBe(words);
  });

  test("an unreadable timestamp is shown as it is", () => {
    expect(relativeTime("not a date", now)).toBe("not a date");
    expect(formatDateTime("not a date")).toBe("not a date");
  });

  test("UTC timestamps are shown in the given zone", () => {
    const opts = { locale: "en-GB", timeZone: "Europe/Paris" };
    expect(formatDateTime("2024-03-14T13:05:00Z", opts)).toBe("14 Mar 2024, 14:05");
    expect(formatDateTime("2024-03-14T13:05:00Z", { locale: "en-GB", timeZone: "Asia/Tokyo" })).toBe("14 Mar 2024, 22:05");
  });

  test("UTC timestamps default to the machine's zone", () => {
    expect(formatDateTime("2024-01-10T03:30:00Z", { locale: "en-GB" })).toBe("9 Jan 2024, 22:30");
  });

  test("calendar dates never shift through a zone", () => {
    expect(formatDate("2024-03-01", { locale: "en-GB" })).toBe("1 Mar 2024");
    expect(formatDateRange("2024-03-01", "2024-03-01", { locale: "en-GB" })).toBe("1 Mar 2024");
    expect(formatDateRange("2024-03-01", "2024-03-03", { locale: "en-GB" })).toBe("1 Mar 2024 – 3 Mar 2024");
    expect(formatDateRange("2024-03-01", null, { locale: "en-GB" })).toBe("1 Mar 2024");
  });

  test("datetime-local values become UTC, honouring daylight saving", () => {
    expect(localInputToUtcIso("2024-01-10T09:30")).toBe("2024-01-10T14:30:00.000Z");
    expect(localInputToUtcIso("2024-07-10T09:30")).toBe("2024-07-10T13:30:00.000Z");
    expect(localInputToUtcIso("2024-07-10T09:30:15")).toBe("2024-07-10T13:30:15.000Z");
  });

  test.each(["", "2024-02-30T10:00", "2024-13-01T10:00", "2024-01-01T24:00", "2024-01-01", "yesterday"])(
    "%j is not a date and time",
    (value) => {
      expect(localInputToUtcIso(value)).toBeNull();
    },
  );

  test("stored timestamps round-trip through the datetime-local field", () => {
    expect(isoToLocalInputValue("2024-07-10T13:30:00Z")).toBe("2024-07-10T09:30");
    expect(toLocalInputValue(new Date("2024-01-01T04:59:00Z"))).toBe("2023-12-31T23:59");
    expect(localInputToUtcIso(isoToLocalInputValue("2024-11-02T20:07:00Z"))).toBe("2024-11-02T20:07:00.000Z");
    expect(isoToLocalInputValue("garbage")).toBe("");
  });

  test("real calendar dates only", () => {
    expect(isValidDate("2024-02-29")).toBe(true);
    expect(isValidDate("2023-02-29")).toBe(false);
    expect(isValidDate("2024-2-1")).toBe(false);
  });
});

describe("links from contact data", () => {
  test.each([
    ["https://rosa.example.org/notes", "https://rosa.example.org/notes"],
    ["http://example.org", "http://example.org/"],
    ["example.org/blog", "https://example.org/blog"],
    ["  https://example.org/a?b=c#d  ", "https://example.org/a?b=c#d"],
  ])("%j links to %j", (value, href) => {
    expect(safeHttpUrl(value)).toBe(href);
  });

  test.each([
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "ftp://example.org",
    "//evil.example",
    "https://",
    "not a url",
    "",
  ])("%j is never a link", (value) => {
    expect(safeHttpUrl(value)).toBeNull();
  });

  test("email addresses become mailto links, other text does not", () => {
    expect(mailtoHref("rosa@example.org")).toBe("mailto:rosa@example.org");
    expect(mailtoHref("mailto:rosa@example.org")).toBe("mailto:rosa@example.org");
    // A query in the address would add headers (bcc, body) to the mail: not an address.
    expect(mailtoHref("rosa@example.org?subject=x")).toBeNull();
    expect(mailtoHref("rosa@example.org&bcc=eve@example.net")).toBeNull();
    // Unusual local parts are kept, percent-encoded.
    expect(mailtoHref("rosa+lists@example.org")).toBe("mailto:rosa%2Blists@example.org");
    expect(mailtoHref("a?b=c@example.org")).toBe("mailto:a%3Fb%3Dc@example.org");
    expect(mailtoHref("javascript:alert(1)")).toBeNull();
    expect(mailtoHref("rosa at example dot org")).toBeNull();
    expect(mailtoHref("<rosa@example.org>")).toBeNull();
  });
});

describe("typed lists and text", () => {
  test("comma lists are trimmed and deduplicated without regard to case", () => {
    expect(splitList(" koha, serials ,, Koha,\nMARC ")).toEqual(["koha", "serials", "MARC"]);
    expect(splitList("")).toEqual([]);
  });

  test("hashtags get one leading #", () => {
    expect(splitHashtags("#code4lib, ala2024 ##libtech #Code4Lib")).toEqual(["#code4lib", "#ala2024", "#libtech"]);
    expect(splitHashtags(" # , ")).toEqual([]);
  });

  test("search text is passed through as typed, only trimmed", () => {
    expect(normaliseQuery("  koha   serials ")).toBe("koha serials");
    expect(normaliseQuery('"quoted" AND -minus *')).toBe('"quoted" AND -minus *');
    expect(normaliseQuery("   ")).toBeNull();
  });

  test("initials", () => {
    expect(initials("Rosa Delgado")).toBe("RD");
    expect(initials("  cher ")).toBe("C");
    expect(initials("Ólafur Arnalds")).toBe("ÓA");
    expect(initials("")).toBe("?");
  });

  test("counts", () => {
    expect(plural(1, "contact", "contacts")).toBe("1 contact");
    expect(plural(50000, "contact", "contacts")).toBe("50,000 contacts");
  });

  test("role directions and moments in words", () => {
    expect(roleDirectionWords("they_advise_me")).toBe("advises you");
    expect(roleDirectionWords("i_advise_them")).toBe("you advise them");
    expect(roleDirectionWords("mutual")).toBe("mutual");
    expect(momentDirection("asked")).toBe("outbound");
    expect(momentDirection("advised")).toBe("outbound");
    expect(momentDirection("received")).toBe("inbound");
  });
});

describe("conversation names", () => {
  test("a thread key made by an import or a sync says where the conversation was", () => {
    expect(threadLabel("mail:thread:ca2236fb-9819@xyz-webserver.example")).toBe("Email thread");
    expect(threadLabel("mastodon:thread:https://glammr.us/users/a/statuses/1")).toBe("Mastodon thread");
    expect(threadLabel("bluesky:thread:at://did:plc:abc/app.bsky.feed.post/3k")).toBe("Bluesky thread");
    expect(threadLabel("blog:thread:https://example.org/2026/koha")).toBe("Comments on a blog post");
  });
  test("a name the person typed is shown as typed", () => {
    expect(threadLabel("Koha serials")).toBe("Koha serials");
    expect(threadLabel("mail:thread:")).toBe("mail:thread:");
    expect(threadLabel("notes:thread:x")).toBe("notes:thread:x");
  });
});
