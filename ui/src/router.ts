// Hash routes, so the app works from files and from the dev server alike.

export type Route =
  | { name: "contacts" }
  | { name: "contact"; id: string }
  | { name: "contact-new" }
  | { name: "contact-edit"; id: string }
  | { name: "events" }
  | { name: "event"; id: string }
  | { name: "event-new" }
  | { name: "event-edit"; id: string };

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
  const [section, second, third] = parts;
  if (section === "events") {
    if (second === undefined) return { name: "events" };
    if (second === "new" && third === undefined) return { name: "event-new" };
    const id = decode(second);
    if (id === null) return { name: "events" };
    if (third === "edit") return { name: "event-edit", id };
    return { name: "event", id };
  }
  if (section === "contacts" && second !== undefined) {
    if (second === "new" && third === undefined) return { name: "contact-new" };
    const id = decode(second);
    if (id === null) return { name: "contacts" };
    if (third === "edit") return { name: "contact-edit", id };
    return { name: "contact", id };
  }
  return { name: "contacts" };
}

export function href(route: Route): string {
  switch (route.name) {
    case "contacts":
      return "#/contacts";
    case "contact":
      return `#/contacts/${encodeURIComponent(route.id)}`;
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
  }
}

export const contactHref = (id: string): string => href({ name: "contact", id });
export const eventHref = (id: string): string => href({ name: "event", id });

export function navigate(route: Route): void {
  const target = href(route);
  if (window.location.hash !== target) window.location.hash = target;
}

export function isContactsSection(route: Route): boolean {
  return route.name.startsWith("contact");
}
