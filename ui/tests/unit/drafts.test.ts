// vite.config.ts runs unit tests in America/New_York (UTC-5 in winter, UTC-4 in summer), so
// local-time conversions are checked against known offsets.

import { describe, expect, test } from "vitest";
import type { Contact, Event, Interaction } from "../../src/bindings";
import {
  buildMomentDraft,
  contactToForm,
  emptyContactForm,
  emptyEventForm,
  eventToForm,
  interactionToForm,
  newInteractionForm,
  sortEvents,
  validateContactForm,
  validateEventForm,
  validateInteractionForm,
  withChannel,
} from "../../src/drafts";

const contact: Contact = {
  id: "c1",
  name: "Rosa Delgado",
  handles: [{ platform: "mastodon", value: "@rosa@glammr.us" }],
  organisation: "Valley Regional Library",
  location: "Tucson",
  met_where: "#code4lib",
  met_on: "2021-09-14",
  met_through: "",
  notes: "n",
  private_notes: "p",
  tags: ["koha", "systems"],
  expertise: ["MARC"],
  roles: [{ kind: "mentor", direction: "they_advise_me", topics: ["serials", "career"], acknowledged: false }],
  cadence_days: 30,
  dates: [
    { kind: "birthday", label: "", month: 4, day: 12, year: 1985 },
    { kind: "other", label: "joined the library", month: 2, day: 29, year: null },
  ],
  created_at: "2024-01-01T00:00:00Z",
  updated_at: "2024-01-01T00:00:00Z",
};

describe("contact form", () => {
  test("a contact round-trips through the form unchanged", () => {
    const { draft, errors } = validateContactForm(contactToForm(contact));
    expect(errors).toEqual({});
    expect(draft).toEqual({
      id: "c1",
      name: contact.name,
      organisation: contact.organisation,
      location: contact.location,
      met_where: contact.met_where,
      met_on: contact.met_on,
      met_through: "",
      notes: "n",
      private_notes: "p",
      tags: contact.tags,
      expertise: contact.expertise,
      cadence_days: 30,
      handles: contact.handles,
      dates: contact.dates,
      roles: contact.roles,
    });
  });

  test("important dates need a day the month has; the year may stay empty", () => {
    const form = contactToForm(contact);
    form.dates = [
      { kind: "birthday", label: "", month: "2", day: "30", year: "" },
      { kind: "anniversary", label: "", month: "2", day: "29", year: "2001" },
      { kind: "other", label: "", month: "4", day: "12", year: "85" },
      { kind: "other", label: " x ", month: "2", day: "29", year: "" },
    ];
    const { draft, errors } = validateContactForm(form);
    expect(draft).toBeNull();
    expect(Object.keys(errors).sort()).toEqual(["date-0", "date-1", "date-2"]);
  });

  test("a name is required; other fields are cleaned", () => {
    const form = { ...emptyContactForm(), name: "   " };
    expect(validateContactForm(form)).toEqual({ draft: null, errors: { name: "Give this contact a name." } });
    const ok = validateContactForm({ ...emptyContactForm(), name: " Jo ", tags: "a, b, a", met_on: "" });
    expect(ok.draft).toMatchObject({ id: null, name: "Jo", tags: ["a", "b"], met_on: null, cadence_days: null });
  });

  test("bad dates, cadences and empty handles are caught field by field", () => {
    const { draft, errors } = validateContactForm({
      ...emptyContactForm(),
      name: "Jo",
      met_on: "2023-02-30",
      cadence_days: "often",
      handles: [
        { platform: "email", value: "jo@example.org" },
        { platform: "twitter", value: "  " },
      ],
    });
    expect(draft).toBeNull();
    expect(Object.keys(errors).sort()).toEqual(["cadence_days", "handle-1", "met_on"]);
  });

  test("hostile text is kept exactly as typed (it is data, shown as text)", () => {
    const name = "<img src=x onerror=alert(1)>";
    expect(validateContactForm({ ...emptyContactForm(), name }).draft?.name).toBe(name);
  });
});

describe("interaction form", () => {
  const now = new Date("2024-07-10T13:30:00Z");

  test("a new interaction starts now, local time, public by channel", () => {
    const form = newInteractionForm([{ id: "c1", name: "Rosa" }], "mastodon", now);
    expect(form.occurred_local).toBe("2024-07-10T09:30");
    expect(form.public).toBe(true);
    expect(newInteractionForm([], "email", now).public).toBe(false);
  });

  test("public follows the channel until the person sets it", () => {
    let form = newInteractionForm([], "email", now);
    form = withChannel(form, "bluesky");
    expect(form.public).toBe(true);
    form = { ...form, public: false, public_touched: true };
    form = withChannel(form, "twitter");
    expect(form.public).toBe(false);
  });

  test("the draft carries UTC time and parsed lists", () => {
    const form = {
      ...newInteractionForm([{ id: "c1", name: "Rosa" }], "email", now),
      occurred_local: "2024-01-05T08:00",
      text: "  Sent the plan  ",
      tags: "koha, plan",
      thread: " ",
      moment: "asked" as const,
    };
    expect(validateInteractionForm(form).draft).toEqual({
      id: null,
      contact_ids: ["c1"],
      channel: "email",
      direction: "outbound",
      occurred_at: "2024-01-05T13:00:00.000Z",
      public: false,
      text: "Sent the plan",
      thread: null,
      tags: ["koha", "plan"],
      moment: "asked",
    });
  });

  test("needs someone and a real time", () => {
    const form = { ...newInteractionForm([], "email", now), occurred_local: "" };
    expect(validateInteractionForm(form)).toMatchObject({ draft: null, errors: { contacts: expect.any(String), occurred: expect.any(String) } });
  });

  test("editing keeps id, participants and the minute it happened", () => {
    const i: Interaction = {
      id: "i1",
      contact_ids: ["c1", "c2"],
      channel: "video_call",
      direction: "mutual",
      occurred_at: "2024-03-01T15:45:00Z",
      public: false,
      text: "Call",
      thread: "migration",
      tags: ["x"],
      moment: null,
    };
    const form = interactionToForm(i, ["Rosa", "Priya"]);
    expect(form.contacts).toEqual([
      { id: "c1", name: "Rosa" },
      { id: "c2", name: "Priya" },
    ]);
    expect(validateInteractionForm(form).draft).toMatchObject({
      id: "i1",
      contact_ids: ["c1", "c2"],
      occurred_at: "2024-03-01T15:45:00.000Z",
      thread: "migration",
      moment: null,
    });
  });
});

describe("mentoring moments", () => {
  const now = new Date("2024-05-02T10:11:12.000Z");

  test.each([
    ["asked", "outbound"],
    ["advised", "outbound"],
    ["received", "inbound"],
  ] as const)("%s is logged %s, now, with its moment", (moment, direction) => {
    const { draft } = buildMomentDraft({ contactId: "c1", channel: "mastodon", text: " Thanks! ", moment }, now);
    expect(draft).toEqual({
      id: null,
      contact_ids: ["c1"],
      channel: "mastodon",
      direction,
      occurred_at: "2024-05-02T10:11:12.000Z",
      public: true,
      text: "Thanks!",
      thread: null,
      tags: [],
      moment,
    });
  });

  test("needs a person and a line", () => {
    const { draft, errors } = buildMomentDraft({ contactId: null, channel: "email", text: " ", moment: "asked" }, now);
    expect(draft).toBeNull();
    expect(Object.keys(errors).sort()).toEqual(["contact", "text"]);
  });
});

describe("events", () => {
  const ev = (id: string, starts: string, ends: string): Event => ({
    id,
    name: id,
    kind: "conference",
    starts_on: starts,
    ends_on: ends,
    location: "",
    hashtags: [],
    notes: "",
    attendee_ids: [],
  });

  test("upcoming (including under way) soonest first, then past most recent first", () => {
    const events = [
      ev("old", "2023-01-01", "2023-01-02"),
      ev("later", "2024-09-01", "2024-09-03"),
      ev("now", "2024-06-14", "2024-06-16"),
      ev("recent", "2024-05-01", "2024-05-01"),
      ev("soon", "2024-06-20", "2024-06-20"),
    ];
    const { upcoming, past } = sortEvents(events, "2024-06-15");
    expect(upcoming.map((e) => e.id)).toEqual(["now", "soon", "later"]);
    expect(past.map((e) => e.id)).toEqual(["recent", "old"]);
  });

  test("an event draft checks its dates and tidies hashtags", () => {
    const form = { ...emptyEventForm("2024-06-15"), name: "Code4Lib", hashtags: "c4l24 #code4lib", ends_on: "2024-06-14" };
    expect(validateEventForm(form)).toMatchObject({ draft: null, errors: { ends_on: "It cannot end before it starts." } });
    const ok = validateEventForm({ ...form, ends_on: "", attendees: [{ id: "c1", name: "Rosa" }] });
    expect(ok.draft).toEqual({
      id: null,
      name: "Code4Lib",
      kind: "conference",
      starts_on: "2024-06-15",
      ends_on: null,
      location: "",
      hashtags: ["#c4l24", "#code4lib"],
      notes: "",
      attendee_ids: ["c1"],
    });
  });

  test("editing a one-day event leaves the end empty", () => {
    const form = eventToForm(ev("e1", "2024-06-15", "2024-06-15"), () => "Rosa");
    expect(form.ends_on).toBe("");
    expect(validateEventForm(form).draft?.ends_on).toBeNull();
  });
});
