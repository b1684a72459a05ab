// Which view the main pane shows for each route: the contacts list beside a contact's page or
// form, the events, or one view on its own; the unlock screen or the store's problem first.

import { html, type TemplateResult } from "lit-html";
import type { App } from "../app";
import { welcome } from "../views/welcome";
import { single, twoPane } from "./panes";
import { storeProblemTemplate } from "./problems";

export function mainView(app: App): TemplateResult {
  const { storeProblem, route: r, stats } = app.state;
  if (storeProblem?.code === "passphrase_needed") return app.unlockView.template();
  if (storeProblem) return storeProblemTemplate(app, storeProblem);
  const empty = stats !== null && stats.contacts === 0;
  switch (r.name) {
    case "contacts":
    case "contact":
      if (empty) return welcome(app);
      return twoPane(
        app.contacts.template(r.name === "contact" ? r.id : null),
        r.name === "contact" ? app.contactPage.template() : contactsHint(),
        r.name === "contact",
      );
    case "contact-new":
    case "contact-edit":
      if (empty) return single(app.contactForm.template());
      return twoPane(app.contacts.template(r.name === "contact-edit" ? r.id : null), app.contactForm.template(), true);
    case "events":
    case "event":
    case "event-new":
    case "event-edit":
      return app.eventsView.layout(r, r.name === "event-new" || r.name === "event-edit" ? app.eventForm.template() : null);
    case "event-brief":
      return single(app.briefingView.template());
    case "event-attendees":
      return single(app.attendeesView.template());
    case "event-met":
      return single(app.metView.template());
    case "suggestions":
      return single(app.suggestionsView.template());
    case "keep-in-touch":
      return single(app.keepInTouchView.template());
    case "import":
      return single(app.importView.template());
    case "duplicates":
      return single(app.duplicatesView.template());
    case "accounts":
      return single(app.accountsView.template());
    case "new-people":
      return single(app.newPeopleView.template());
  }
}

function contactsHint(): TemplateResult {
  return html`<div class="pane-hint">
    <p>Choose someone on the left to see everything you share with them.</p>
    <p class="muted small">
      <kbd>/</kbd> search · <kbd>↑</kbd><kbd>↓</kbd> move · <kbd>Enter</kbd> open · <kbd>Ctrl M</kbd> mentoring moment
    </p>
  </div>`;
}
