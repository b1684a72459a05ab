// Conferences, meetups, chats and webinars: upcoming first, then past; each with its attendees.

import { html, nothing, type TemplateResult } from "lit-html";
import * as api from "../api";
import type { Event } from "../api";
import { sortEvents } from "../drafts";
import { eventKindLabel, formatDateRange, localDateString, plural } from "../format";
import { icon } from "../icons";
import { contactHref, eventHref, href, navigate, type Route } from "../router";
import type { App } from "../app";
import { twoPane } from "../shell/panes";

export class EventsView {
  constructor(private readonly app: App) {}

  layout(route: Route, form: TemplateResult | null): TemplateResult {
    const selected = route.name === "event" || route.name === "event-edit" ? route.id : null;
    let detail: TemplateResult;
    if (form) detail = form;
    else if (route.name === "event") detail = this.page(route.id);
    else detail = this.hint();
    return twoPane(this.list(selected), detail, form !== null || route.name === "event");
  }

  private list(selectedId: string | null): TemplateResult {
    const today = localDateString(this.app.now());
    const { upcoming, past } = sortEvents(this.app.events, today);
    const item = (e: Event) => html`<li>
      <a href=${eventHref(e.id)} class="event-row ${e.id === selectedId ? "is-selected" : ""}" aria-current=${e.id === selectedId ? "true" : "false"}>
        <span class="row-name">${e.name}</span>
        <span class="row-sub">${formatDateRange(e.starts_on, e.ends_on)}${e.location ? ` · ${e.location}` : ""}</span>
        <span class="row-meta muted small">${eventKindLabel(e.kind)} · ${plural(e.attendee_ids.length, "attendee", "attendees")}</span>
      </a>
    </li>`;
    return html`<div class="events">
      <div class="list-header">
        <div class="list-title-row">
          <h1 class="list-title">Events</h1>
          <a class="button small" href=${href({ name: "event-new" })}>${icon("plus")}<span>New event</span></a>
        </div>
      </div>
      <div class="event-list">
        ${!this.app.eventsLoaded ? html`<p class="muted pad">Loading…</p>` : nothing}
        ${this.app.eventsLoaded && this.app.events.length === 0
          ? html`<p class="muted pad">No events yet. Add the conferences, meetups and chats you go to, and who you will see there.</p>`
          : nothing}
        ${upcoming.length
          ? html`<h2 class="list-section">Upcoming</h2>
              <ul class="plain-list">${upcoming.map(item)}</ul>`
          : nothing}
        ${past.length
          ? html`<h2 class="list-section">Past</h2>
              <ul class="plain-list">${past.map(item)}</ul>`
          : nothing}
      </div>
    </div>`;
  }

  private hint(): TemplateResult {
    return html`<div class="pane-hint"><p>Choose an event to see who will be there.</p></div>`;
  }

  private async remove(e: Event): Promise<void> {
    const ok = await this.app.confirm({
      title: `Delete ${e.name}?`,
      message: "The event and its attendee list will be removed. Contacts and interactions stay.",
      confirmLabel: "Delete event",
    });
    if (!ok) return;
    try {
      await api.deleteEvent(e.id);
      navigate({ name: "events" });
      await this.app.dataChanged();
    } catch (err) {
      this.app.showError(err);
    }
  }

  private page(id: string): TemplateResult {
    const e = this.app.events.find((ev) => ev.id === id);
    if (!e) {
      return html`<div class="pane-hint"><p class="muted">${this.app.eventsLoaded ? "This event no longer exists." : "Loading…"}</p></div>`;
    }
    const attendees = e.attendee_ids
      .map((aid) => ({ id: aid, name: this.app.nameOf(aid) }))
      .sort((a, b) => a.name.localeCompare(b.name));
    return html`<article class="event-page">
      <header class="page-header">
        <a class="back-link" href=${href({ name: "events" })}>${icon("back")}<span>Events</span></a>
        <div class="page-title-row">
          <span class="avatar event-avatar" aria-hidden="true">${icon("calendar")}</span>
          <div class="page-title">
            <h1>${e.name}</h1>
            <p class="muted">
              <span class="badge">${eventKindLabel(e.kind)}</span>
              ${formatDateRange(e.starts_on, e.ends_on)}${e.location ? html` · ${e.location}` : nothing}
            </p>
          </div>
          <div class="page-actions">
            <a class="button primary" data-testid="event-brief-link" href=${href({ name: "event-brief", id: e.id })}>${icon("lightbulb")}<span>Briefing</span></a>
            <a class="button" data-testid="event-attendees-link" href=${href({ name: "event-attendees", id: e.id })}>${icon("users")}<span>Match attendee list</span></a>
            <a class="button" data-testid="event-met-link" href=${href({ name: "event-met", id: e.id })}>${icon("check")}<span>Who did you meet?</span></a>
            <a class="button" href=${href({ name: "event-edit", id: e.id })}>${icon("edit")}<span>Edit</span></a>
            <button type="button" class="button ghost danger-text" @click=${() => void this.remove(e)}>${icon("trash")}<span>Delete</span></button>
          </div>
        </div>
        ${e.hashtags.length ? html`<p class="tag-list">${e.hashtags.map((h) => html`<span class="tag">${h}</span>`)}</p>` : nothing}
      </header>
      ${e.notes ? html`<section class="card"><h3>Notes</h3><p class="prose">${e.notes}</p></section>` : nothing}
      <section class="card">
        <h3>${attendees.length ? plural(attendees.length, "person you know", "people you know") : "Attendees"}</h3>
        ${attendees.length
          ? html`<ul class="attendees">
              ${attendees.map((a) => html`<li><a href=${contactHref(a.id)}>${a.name}</a></li>`)}
            </ul>`
          : html`<p class="muted small">
              Nobody yet. <a href=${href({ name: "event-attendees", id: e.id })}>Match the organisers' attendee list</a>, or
              <a href=${href({ name: "event-edit", id: e.id })}>add the people you expect to see.</a>
            </p>`}
      </section>
    </article>`;
  }
}
