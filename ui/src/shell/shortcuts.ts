// The window's keyboard shortcuts: Escape closes the top dialog (or the banner), Ctrl+M opens
// a mentoring moment from anywhere, and / goes to the contacts search.

import type { App } from "../app";
import { isContactsSection, navigate } from "../router";

export function onGlobalKey(app: App, e: KeyboardEvent): void {
  if (e.key === "Escape") {
    if (app.dialogs.escape()) e.preventDefault();
    else if (app.state.banner) app.dismissError();
    return;
  }
  if (e.ctrlKey && !e.altKey && !e.metaKey && !e.shiftKey && e.key.toLowerCase() === "m") {
    e.preventDefault();
    app.dialogs.openQuickMoment();
    return;
  }
  if (e.key === "/" && !e.ctrlKey && !e.metaKey && !e.altKey && !app.dialogs.open && !isEditable(e.target)) {
    e.preventDefault();
    const route = app.route;
    if (!isContactsSection(route) || route.name === "contact-new" || route.name === "contact-edit") {
      navigate({ name: "contacts" });
    }
    app.afterRender(() => app.contacts.focusSearch());
  }
}

function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT";
}
