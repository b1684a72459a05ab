import { describe, expect, test } from "vitest";
import { href, parseRoute, type Route } from "../../src/router";

describe("routes", () => {
  const routes: Route[] = [
    { name: "contacts" },
    { name: "contact", id: "0190f3a2-7c1e-7000-8000-000000000001" },
    { name: "contact", id: "imported/id with spaces?#" },
    { name: "contact-new" },
    { name: "contact-edit", id: "c1" },
    { name: "events" },
    { name: "event", id: "e1" },
    { name: "event-new" },
    { name: "event-edit", id: "e 1" },
    { name: "event-brief", id: "e/1 #?" },
    { name: "event-attendees", id: "e1" },
    { name: "event-met", id: "e1" },
    { name: "contact", id: "c1", entry: "i-42" },
    { name: "contact", id: "imported/id", entry: "thread/42?#" },
    { name: "suggestions" },
    { name: "keep-in-touch" },
    { name: "import" },
    { name: "duplicates" },
    { name: "accounts" },
    { name: "new-people" },
  ];

  test.each(routes)("%j survives a round trip through the address", (route) => {
    expect(parseRoute(href(route))).toEqual(route);
  });

  test("the import and duplicates pages have plain addresses", () => {
    expect(href({ name: "import" })).toBe("#/import");
    expect(href({ name: "duplicates" })).toBe("#/duplicates");
    expect(parseRoute("#/import/")).toEqual({ name: "import" });
    expect(parseRoute("#duplicates")).toEqual({ name: "duplicates" });
  });

  test("the accounts and new people pages have plain addresses", () => {
    expect(href({ name: "accounts" })).toBe("#/accounts");
    expect(href({ name: "new-people" })).toBe("#/new-people");
    expect(parseRoute("#/accounts/")).toEqual({ name: "accounts" });
  });

  test("unknown or broken addresses fall back to the contacts list", () => {
    expect(parseRoute("")).toEqual({ name: "contacts" });
    expect(parseRoute("#/nowhere")).toEqual({ name: "contacts" });
    expect(parseRoute("#/contacts/%E0%A4%A")).toEqual({ name: "contacts" });
    expect(parseRoute("#/events/%zz")).toEqual({ name: "events" });
    expect(parseRoute("#/contacts/c1/timeline/%zz")).toEqual({ name: "contact", id: "c1" });
    expect(parseRoute("#/contacts/c1/timeline")).toEqual({ name: "contact", id: "c1" });
    expect(parseRoute("#/events/%zz/brief")).toEqual({ name: "events" });
    expect(parseRoute("#/events/e1/nowhere")).toEqual({ name: "event", id: "e1" });
  });
});
