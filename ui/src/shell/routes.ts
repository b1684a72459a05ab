// Following the address: the route goes into the window's state and each route's view reads
// what it shows.

import type { App } from "../app";
import { parseRoute } from "../router";

export async function enterRoute(app: App): Promise<void> {
  const route = parseRoute(window.location.hash);
  if (route.name !== app.route.name) app.suggestions.closeCards();
  app.store.update({ route });
  const { data } = app;
  const attendeeNames = (id: string) => data.ensureNames(app.state.events.find((ev) => ev.id === id)?.attendee_ids ?? []);
  switch (route.name) {
    case "contact":
      app.contacts.reveal(route.id);
      await Promise.all([app.contactPage.show(route.id, false, route.entry ?? null), app.suggestions.showContact(route.id)]);
      break;
    case "contact-new":
      app.contactForm.startNew();
      break;
    case "contact-edit":
      app.contacts.reveal(route.id);
      await app.contactForm.startEdit(route.id);
      break;
    case "events":
    case "event":
      await data.ensureEvents();
      if (route.name === "event") await attendeeNames(route.id);
      break;
    case "event-new":
      await data.ensureEvents();
      app.eventForm.startNew();
      break;
    case "event-edit":
      await data.ensureEvents();
      await app.eventForm.startEdit(route.id);
      break;
    case "event-brief":
      await app.briefingView.show(route.id);
      break;
    case "event-attendees":
      await data.ensureEvents();
      await app.attendeesView.show(route.id);
      break;
    case "event-met":
      await data.ensureEvents();
      await app.metView.show(route.id);
      await attendeeNames(route.id);
      break;
    case "contacts":
      break;
    case "suggestions":
    case "keep-in-touch":
      // Time moves on (snoozes end, people become overdue): read them afresh on each visit.
      await app.suggestions.refresh();
      break;
    case "import":
      await app.importView.enter();
      break;
    case "duplicates":
      await app.duplicatesView.refresh();
      break;
    case "accounts":
      await app.accountsView.refresh();
      break;
    case "new-people":
      await app.newPeopleView.refresh();
      break;
  }
}
