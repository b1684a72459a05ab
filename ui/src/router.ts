// Hash routes, so the app works from files and from the dev server alike.

export type Route =
  | { name: "contacts" }
  /** `entry`: an interaction on the timeline to scroll to and highlight. */
  | { name: "contact"; id: string; entry?: string }
  | { name: "contact-new" }
  | { name: "contact-edit"; id: string }
  | { name: "events" }
  | { name: "event"; id: string }
  | { name: "event-new" }
  | { name: "event-edit"; id: string }
  | { name: "event-brief"; id: string }
  | { name: "event-attendees"; id: string }
  | { name: "event-met"; id: string }
  | { name: "suggestions" }
  | { name: "keep-in-touch" }
  | { name: "import" }
  | { name: "duplicates" }
  | { name: "accounts" }
  | { name: "new-people" };

function decode(segment: string): string | null {
  try {
    const value = decodeURIComponent(segment);
    return value === "" ? null : value;
  } catch {
    return null;
  }
}

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, "").replace(/^\/+/, "").replace(/\/+$/, "");
  const parts = path === "" ? [] : path.split("/");
  const [section, second, third, fourth] = parts;
  if (section === "suggestions") return { name: "suggestions" };
  if (section === "keep-in-touch") return { name: "keep-in-touch" };
  if (section === "import") return { name: "import" };
  if (section === "duplicates") return { name: "duplicates" };
  if (section === "accounts") return { name: "accounts" };
  if (section === "new-people") return { name: "new-people" };
  if (section === "events") {
    if (second === undefined) return { name: "events" };
    if (second === "new" && third === undefined) return { name: "event-new" };
    const id = decode(second);
    if (id === null) return { name: "events" };
    if (third === "edit") return { name: "event-edit", id };
    if (third === "brief") return { name: "event-brief", id };
    if (third === "attendees") return { name: "event-attendees", id };
    if (third === "met") return { name: "event-met", id };
    return { name: "event", id };
  }
  if (section === "contacts" && second !== undefined) {
    if (second === "new" && third === undefined) return { name: "contact-new" };
    const id = decode(second);
    if (id === null) return { name: "contacts" };
    if (third === "edit") return { name: "contact-edit", id };
    if (third === "timeline" && fourth !== undefined) {
      const entry = decode(fourth);
      if (entry !== null) return { name: "contact", id, entry };
    }
    return { name: "contact", id };
  }
  return { name: "contacts" };
}

export function href(route: Route): string {
  switch (route.name) {
    case "contacts":
      return "#/contacts";
    case "contact":
      return route.entry
        ? `#/contacts/${encodeURIComponent(route.id)}/timeline/${encodeURIComponent(route.entry)}`
        : `#/contacts/${encodeURIComponent(route.id)}`;
    case "contact-new":
      return "#/contacts/new";
    case "contact-edit":
      return `#/contacts/${encodeURIComponent(route.id)}/edit`;
    case "events":
      return "#/events";
    case "event":
      return `#/events/${encodeURIComponent(route.id)}`;
    case "event-new":
      return "#/events/new";
    case "event-edit":
      return `#/events/${encodeURIComponent(route.id)}/edit`;
    case "event-brief":
      return `#/events/${encodeURIComponent(route.id)}/brief`;
    case "event-attendees":
      return `#/events/${encodeURIComponent(route.id)}/attendees`;
    case "event-met":
      return `#/events/${encodeURIComponent(route.id)}/met`;
    case "suggestions":
      return "#/suggestions";
    case "keep-in-touch":
      return "#/keep-in-touch";
    case "import":
      return "#/import";
    case "duplicates":
      return "#/duplicates";
    case "accounts":
      return "#/accounts";
    case "new-people":
      return "#/new-people";
  }
}

export const contactHref = (id: string): string => href({ name: "contact", id });
/** A contact's page, scrolled to one interaction on their timeline. */
export const entryHref = (id: string, entry: string): string => href({ name: "contact", id, entry });
export const eventHref = (id: string): string => href({ name: "event", id });

export function navigate(route: Route): void {
  const target = href(route);
  if (window.location.hash !== target) window.location.hash = target;
}

export function isContactsSection(route: Route): boolean {
  return route.name.startsWith("contact");
}

export function isEventsSection(route: Route): boolean {
  return route.name.startsWith("event");
}
