// The sidebar: the new-contact and mentoring-moment buttons, the sections with their counts,
// and the backups, passphrase and theme settings.

import { html, nothing, type TemplateResult } from "lit-html";
import type { App } from "../app";
import { newPeopleTitle } from "../account-words";
import { plural } from "../format";
import { icon } from "../icons";
import { href, isContactsSection, isEventsSection, navigate, type Route } from "../router";
import { effectiveTheme, toggleTheme } from "../theme";

export function sidebar(app: App, modal: boolean): TemplateResult {
  const s = app.stats;
  const r = app.route;
  const sections = [
    { route: { name: "contacts" } as Route, current: isContactsSection(r), icon: icon("users"), label: "Contacts", count: s ? s.contacts.toLocaleString("en") : "", alert: false, testid: "nav-contacts", title: "Contacts" },
    { route: { name: "events" } as Route, current: isEventsSection(r), icon: icon("calendar"), label: "Events", count: s ? s.events.toLocaleString("en") : "", alert: false, testid: "nav-events", title: "Events" },
    {
      route: { name: "suggestions" } as Route,
      current: r.name === "suggestions",
      icon: icon("lightbulb"),
      label: "Suggestions",
      count: app.suggestions.loaded && app.suggestions.list.length ? app.suggestions.list.length.toLocaleString("en") : "",
      alert: false,
      testid: "nav-suggestions",
      title: app.suggestions.loaded ? `Suggestions: ${plural(app.suggestions.list.length, "suggestion", "suggestions")}` : "Suggestions",
    },
    {
      route: { name: "keep-in-touch" } as Route,
      current: r.name === "keep-in-touch",
      icon: icon("clock"),
      label: "Keep in touch",
      count: app.suggestions.overdue.length ? app.suggestions.overdue.length.toLocaleString("en") : "",
      alert: app.suggestions.overdue.length > 0,
      testid: "nav-keep-in-touch",
      title: app.suggestions.overdue.length ? `Keep in touch: ${app.suggestions.overdue.length} overdue` : "Keep in touch",
    },
    { route: { name: "import" } as Route, current: r.name === "import", icon: icon("import"), label: "Import", count: "", alert: false, testid: "nav-import", title: "Import a file" },
    {
      route: { name: "duplicates" } as Route,
      current: r.name === "duplicates",
      icon: icon("merge"),
      label: "Duplicates",
      count: app.duplicatesView.count ? app.duplicatesView.count.toLocaleString("en") : "",
      alert: false,
      testid: "nav-duplicates",
      title: app.duplicatesView.count ? `Duplicates: ${plural(app.duplicatesView.count, "possible duplicate", "possible duplicates")}` : "Possible duplicates",
    },
    { route: { name: "accounts" } as Route, current: r.name === "accounts", icon: icon("mail"), label: "Accounts", count: "", alert: false, testid: "nav-accounts", title: "Accounts: mailboxes and blogs Kith syncs" },
    {
      route: { name: "new-people" } as Route,
      current: r.name === "new-people",
      icon: icon("users"),
      label: "New people",
      count: app.newPeopleView.count ? app.newPeopleView.count.toLocaleString("en") : "",
      alert: false,
      testid: "nav-new-people",
      title: newPeopleTitle(app.newPeopleView.count),
    },
  ];
  const dark = effectiveTheme() === "dark";
  return html`<aside class="sidebar" aria-label="Kith" ?inert=${modal}>
    <div class="brand">
      <span class="brand-mark" aria-hidden="true">${icon("sparkle")}</span>
      <span class="brand-name">Kith</span>
    </div>
    <div class="sidebar-actions">
      <button type="button" class="button primary block" data-testid="new-contact-button" aria-label="New contact" title="New contact" @click=${() => navigate({ name: "contact-new" })}>
        ${icon("plus")}<span>New contact</span>
      </button>
      <button
        type="button"
        class="button block"
        data-testid="quick-moment-button"
        aria-label="Mentoring moment"
        title="Log a mentoring moment (Ctrl+M)"
        @click=${() => app.dialogs.openQuickMoment()}
      >
        ${icon("bolt")}<span>Mentoring moment</span>
      </button>
      <p class="sidebar-hint"><kbd>Ctrl M</kbd> from anywhere</p>
      <button type="button" class="button ghost block" data-testid="export-button" title="Export notes, contacts or a calendar" @click=${() => app.dialogs.openExport()}>
        ${icon("external")}<span>Export…</span>
      </button>
    </div>
    <nav class="nav" aria-label="Sections">
      ${sections.map(
        (n) => html`<a
          href=${href(n.route)}
          class="nav-link ${n.current ? "is-current" : ""}"
          aria-current=${n.current ? "page" : "false"}
          title=${n.title}
          data-testid=${n.testid}
        >
          ${n.icon}<span>${n.label}</span>${n.alert ? html`<span class="visually-hidden">, overdue:</span>` : nothing}<span
            class="count ${n.alert ? "alert" : ""}"
            >${n.count}</span
          >
        </a>`,
      )}
    </nav>
    <div class="sidebar-footer">
      ${s ? html`<p class="muted small">${plural(s.interactions, "interaction", "interactions")} logged</p>` : nothing}
      <button type="button" class="button ghost small" data-testid="backups-button" aria-label="Backups" title="Backups: copies of your store, and restoring one" @click=${() => app.dialogs.openBackups()}>
        ${icon("clock")}<span>Backups</span>
      </button>
      <button type="button" class="button ghost small" data-testid="passphrase-button" aria-label="Passphrase" title="Passphrase: encrypt your store and its backups" @click=${() => app.dialogs.openPassphrase()}>
        ${icon("lock")}<span>Passphrase</span>
      </button>
      <button type="button" class="button ghost small" aria-label=${dark ? "Light theme" : "Dark theme"} title=${dark ? "Use the light theme" : "Use the dark theme"} @click=${() => {
        toggleTheme();
        app.invalidate();
      }}>
        ${dark ? icon("sun") : icon("moon")}<span>${dark ? "Light theme" : "Dark theme"}</span>
      </button>
      ${app.info
        ? html`<p class="muted small version" title=${app.info.db_path}>Kith ${app.info.version}</p>`
        : nothing}
    </div>
  </aside>`;
}
