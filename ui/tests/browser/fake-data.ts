// A small made-up network for the browser test's fake backend. Times are relative to `now`
// so "3 days ago" stays true whenever the test runs.

import type { ChannelKind, Contact, Direction, Event, Interaction, Moment } from "../../src/bindings";

export interface Sample {
  contacts: Contact[];
  interactions: Interaction[];
  events: Event[];
}

const DAY = 24 * 3600 * 1000;

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** A contact with a name and nothing else filled in, made at `created`; `more` fills in the rest. */
export function blankContact(id: string, name: string, created: string, more: Partial<Contact> = {}): Contact {
  return {
    id,
    name,
    handles: [],
    organisation: "",
    location: "",
    met_where: "",
    met_on: null,
    met_through: "",
    notes: "",
    private_notes: "",
    tags: [],
    expertise: [],
    roles: [],
    cadence_days: null,
    dates: [],
    created_at: created,
    updated_at: created,
    ...more,
  };
}

export function sampleNetwork(now: Date): Sample {
  const at = (daysAgo: number, hour = 15) => {
    const d = new Date(now.getTime() - daysAgo * DAY);
    d.setUTCHours(hour, 20, 0, 0);
    return d.toISOString();
  };
  const created = at(400);
  const base = blankContact("", "", created);
  const contacts: Contact[] = [
    {
      ...base,
      id: "c-rosa",
      name: "Rosa Delgado",
      organisation: "Valley Regional Library",
      location: "Tucson, AZ",
      handles: [
        { platform: "mastodon", value: "@rosa@glammr.us" },
        { platform: "email", value: "rosa.delgado@example.org" },
        { platform: "blog", value: "https://rosa.example.org/notes" },
      ],
      met_where: "#code4lib chat",
      met_on: "2021-09-14",
      met_through: "Priya Raman",
      notes: "Runs the Koha migration working group. Generous with test plans.",
      private_notes: "Applying for the director role in spring; don't mention it publicly.",
      tags: ["koha", "systems"],
      expertise: ["Koha", "SQL reports", "MARC"],
      roles: [
        { kind: "mentor", direction: "they_advise_me", topics: ["Koha serials", "career"], acknowledged: false },
        { kind: "peer", direction: "mutual", topics: ["conference talks"], acknowledged: true },
      ],
      cadence_days: 30,
    },
    {
      ...base,
      id: "c-priya",
      name: "Priya Raman",
      organisation: "State University Libraries",
      location: "Columbus, OH",
      handles: [
        { platform: "bluesky", value: "priya.bsky.social" },
        { platform: "email", value: "praman@example.edu" },
      ],
      met_where: "ALA Annual 2019",
      notes: "Linked data, metadata ethics. Co-organises #critlib.",
      tags: ["metadata", "critlib"],
      expertise: ["BIBFRAME", "linked data"],
      roles: [{ kind: "expert", direction: "they_advise_me", topics: ["linked data"], acknowledged: true }],
    },
    {
      ...base,
      id: "c-tomas",
      name: "Tomás Lindgren",
      organisation: "Northfield Public Library",
      location: "Minneapolis, MN",
      handles: [{ platform: "twitter", value: "@tomas_reads" }],
      notes: "New to systems work; asked about our ILS RFP.",
      tags: ["mentee"],
      roles: [{ kind: "mentor", direction: "i_advise_them", topics: ["RFPs", "vendor talks"], acknowledged: true }],
      cadence_days: 14,
    },
    {
      ...base,
      id: "c-amara",
      name: "Amara Nwosu",
      organisation: "City College Library",
      location: "Atlanta, GA",
      handles: [{ platform: "email", value: "amara@example.edu" }],
      tags: ["instruction"],
      expertise: ["information literacy"],
      roles: [{ kind: "peer", direction: "mutual", topics: [], acknowledged: false }],
      cadence_days: 60,
    },
    {
      ...base,
      id: "c-wen",
      name: "Wen Zhao",
      organisation: "Open Library Foundation",
      handles: [{ platform: "mastodon", value: "@wen@code4lib.social" }],
      tags: ["open source", "systems"],
      expertise: ["FOLIO"],
      roles: [],
    },
  ];
  let n = 0;
  const ix = (
    who: string[],
    channel: ChannelKind,
    direction: Direction,
    daysAgo: number,
    text: string,
    extra: Partial<Pick<Interaction, "thread" | "tags" | "public">> & { moment?: Moment } = {},
  ): Interaction => ({
    id: `i-${++n}`,
    contact_ids: who,
    channel,
    direction,
    occurred_at: at(daysAgo, 9 + (n % 8)),
    public: extra.public ?? ["twitter", "mastodon", "bluesky", "blog", "listserv"].includes(channel),
    text,
    thread: extra.thread ?? null,
    tags: extra.tags ?? [],
    moment: extra.moment ?? null,
  });
  const interactions: Interaction[] = [
    ix(["c-rosa"], "mastodon", "inbound", 3, "Shared her serials prediction pattern cheat sheet after my question about irregular quarterlies.", {
      thread: "serials patterns",
      tags: ["koha"],
      moment: "received",
    }),
    ix(["c-rosa"], "email", "outbound", 12, "Sent the draft of our upgrade test plan and asked what they check after each Koha release.", {
      thread: "serials patterns",
      moment: "asked",
    }),
    ix(["c-rosa", "c-priya"], "video_call", "mutual", 40, "Planning call for the joint conference proposal on migrating holdings data."),
    ix(["c-priya"], "bluesky", "inbound", 6, "Recommended the new BIBFRAME editor guide; worth a read before the workshop."),
    ix(["c-tomas"], "twitter", "inbound", 1, "Asked how to score vendor demos fairly. Promised to send our rubric.", { moment: "advised" }),
    ix(["c-amara"], "in_person", "mutual", 90, "Coffee at the regional instruction meetup; swapped lesson plans on source evaluation."),
    // A public back-and-forth that has outgrown Bluesky.
    ix(["c-priya"], "bluesky", "outbound", 5, "Trying the BIBFRAME editor on our theses. How do you handle works with two translators?", {
      thread: "bibframe editor",
    }),
    ix(["c-priya"], "bluesky", "inbound", 5, "Two contribution statements, each with its own role term. The guide's section 4 shows it.", {
      thread: "bibframe editor",
    }),
    ix(["c-priya"], "bluesky", "outbound", 4, "That worked. Now the series statements come out as plain notes.", { thread: "bibframe editor" }),
    ix(["c-priya"], "bluesky", "inbound", 3, "Known gap in the profile. I have a workaround but it needs more than 300 characters.", {
      thread: "bibframe editor",
    }),
  ];
  const today = new Date(now.getTime());
  const events: Event[] = [
    {
      id: "e-c4l",
      name: "Code4Lib 2026",
      kind: "conference",
      starts_on: isoDate(new Date(today.getTime() + 20 * DAY)),
      ends_on: isoDate(new Date(today.getTime() + 23 * DAY)),
      location: "Portland, OR",
      hashtags: ["#c4l26", "#code4lib"],
      notes: "Rosa is giving the Koha talk; ask Wen about FOLIO.",
      attendee_ids: ["c-rosa", "c-wen", "c-priya"],
    },
    {
      id: "e-critlib",
      name: "#critlib chat: metadata and harm",
      kind: "twitter_chat",
      starts_on: isoDate(new Date(today.getTime() - 30 * DAY)),
      ends_on: isoDate(new Date(today.getTime() - 30 * DAY)),
      location: "online",
      hashtags: ["#critlib"],
      notes: "",
      attendee_ids: ["c-priya", "c-amara"],
    },
  ];
  return { contacts, interactions, events };
}
