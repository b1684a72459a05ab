// What to read again after the store changed: each view refreshes only what it shows. The
// backend says what changed (`StoreChange`, noted by the database itself for every write).

import type { StoreChange } from "./bindings";
import type { Route } from "./router";

/** Which of the window's views to read again. */
export interface RefreshPlan {
  /** The counts in the header. */
  counts: boolean;
  /** The tag filter's list. */
  tags: boolean;
  /** The contacts list, and the names the window keeps for ids. */
  contacts: boolean;
  /** Suggestions, keep in touch, upcoming dates and plans. */
  suggestions: boolean;
  /** The events list. */
  events: boolean;
  /** The contact page on screen, with its suggestions. */
  contactPage: boolean;
  /** The briefing on screen. */
  briefing: boolean;
}

/** A change that says anything may have changed: read everything again. */
export const EVERYTHING: StoreChange = {
  contacts: [],
  interactions: [],
  events: [],
  suggestions: true,
  settings: true,
  everything: true,
};

export function refreshPlan(change: StoreChange, route: Route): RefreshPlan {
  const all = change.everything;
  // An interaction's participants are listed with the contacts, so a new note moves its
  // people in the list through `contacts`.
  const people = all || change.contacts.length > 0;
  const talk = all || change.interactions.length > 0;
  const events = all || change.events.length > 0;
  // Suggestions weigh everything: people, what was said, events, decisions and settings.
  const suggestions = people || talk || events || change.suggestions || change.settings;
  return {
    counts: people || talk || events,
    tags: people || talk,
    contacts: people,
    suggestions,
    events,
    // The page shows the contact, the interactions they share with others (edited from
    // either side), their events and their suggestions.
    contactPage:
      route.name === "contact" &&
      (people && (all || change.contacts.includes(route.id)) || talk || events || change.suggestions || change.settings),
    briefing: route.name === "event-brief" && (people || talk || events),
  };
}
