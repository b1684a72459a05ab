// A contact with a very long timeline, for the browser test of the virtual timeline: `count`
// interactions an hour apart, newest first, with texts of many lengths (some over several
// lines, some hostile), tags, short threads, moments and now and then a second participant.
// The same every run: nothing depends on the clock or on chance.

import type { ChannelKind, Contact, Direction, Interaction, Moment } from "../../src/bindings";
import { blankContact } from "./fake-data";

export const LONG_TIMELINE_CONTACT = "c-long";
const PEER = "c-long-peer";
const NEWEST = Date.UTC(2026, 0, 15, 12, 0, 0);
const HOUR = 3600 * 1000;
/** Shown as text, never as an element, wherever it is on the timeline. */
export const HOSTILE_TEXT = "<img src=x onerror=alert(1)>";

const CHANNELS: ChannelKind[] = ["email", "mastodon", "in_person", "video_call", "listserv", "bluesky", "phone", "blog"];
const DIRECTIONS: Direction[] = ["outbound", "inbound", "mutual"];
const MOMENTS: Moment[] = ["asked", "advised", "received"];
const WORDS = [
  "serials", "cataloguing", "Koha", "metadata", "authority", "records", "vendor", "demo", "rubric",
  "linked", "data", "workflow", "migration", "training", "budget", "conference", "proposal", "notes",
];

/** The id of the interaction `k` places from the newest. */
export const longTimelineEntry = (k: number): string => `i-long-${String(k).padStart(6, "0")}`;

function contact(id: string, name: string): Contact {
  const created = new Date(NEWEST - 400 * 24 * HOUR).toISOString();
  return blankContact(id, name, created, { organisation: "County Library Cooperative" });
}

/** Words for entry `k`: from a few to a few hundred, sometimes in paragraphs. */
function text(k: number): string {
  const length = [4, 12, 30, 8, 70, 16, 2, 45][k % 8]!;
  const words = Array.from({ length }, (_, n) => WORDS[(k * 7 + n * 13) % WORDS.length]!);
  if (k % 9 === 4) words.splice(length >> 1, 0, "\n\n");
  const hostile = k % 97 === 0 ? ` ${HOSTILE_TEXT}` : "";
  return `No. ${k}: ${words.join(" ")}.${hostile}`;
}

export function longTimeline(count: number): { contacts: Contact[]; interactions: Interaction[] } {
  const interactions: Interaction[] = [];
  for (let k = 0; k < count; k++) {
    const channel = CHANNELS[k % CHANNELS.length]!;
    interactions.push({
      id: longTimelineEntry(k),
      contact_ids: k % 5 === 2 ? [LONG_TIMELINE_CONTACT, PEER] : [LONG_TIMELINE_CONTACT],
      channel,
      direction: DIRECTIONS[k % DIRECTIONS.length]!,
      occurred_at: new Date(NEWEST - k * HOUR).toISOString(),
      public: channel === "mastodon" || channel === "bluesky" || channel === "listserv" || channel === "blog",
      // The oldest of all is hostile too, to be read at the very end.
      text: k === count - 1 ? `The first of all. ${HOSTILE_TEXT}` : k % 23 === 11 ? "" : text(k),
      thread: k % 11 === 3 ? `Thread ${Math.floor(k / 33)}` : null,
      tags: k % 4 === 1 ? ["koha"] : k % 6 === 5 ? ["metadata", "training", "budget"] : [],
      moment: k % 7 === 6 ? MOMENTS[k % MOMENTS.length]! : null,
    });
  }
  return {
    contacts: [contact(LONG_TIMELINE_CONTACT, "Lena Longwood"), contact(PEER, "Pim Okoro")],
    interactions,
  };
}
