// What the forms edit (plain strings, as typed) and how that becomes a draft for the backend.
// Validation here gives people a message next to the field before anything is sent; the
// backend validates again and its `invalid_input` message is shown if it disagrees.

import type {
  ChannelKind,
  Contact,
  ContactDraft,
  DateKind,
  Direction,
  Event,
  EventDraft,
  EventKind,
  Interaction,
  InteractionDraft,
  Moment,
  Platform,
  RoleDirection,
  RoleKind,
} from "./bindings";
import {
  defaultPublicFor,
  isoToLocalInputValue,
  isValidDate,
  isValidMonthDay,
  joinList,
  localInputToUtcIso,
  momentDirection,
  splitHashtags,
  splitList,
  toLocalInputValue,
} from "./format";

export type Errors = Record<string, string>;

export interface Validated<D> {
  draft: D | null;
  errors: Errors;
}

// ---------------------------------------------------------------------------------------------
// Contacts

export interface HandleRow {
  platform: Platform;
  value: string;
}

export interface RoleRow {
  kind: RoleKind;
  direction: RoleDirection;
  topics: string;
  acknowledged: boolean;
}

/** An important date as typed: the month from a list, the day and the (optional) year as text. */
export interface DateRow {
  kind: DateKind;
  label: string;
  month: string;
  day: string;
  year: string;
}

export interface ContactForm {
  id: string | null;
  name: string;
  organisation: string;
  location: string;
  met_where: string;
  met_on: string;
  met_through: string;
  notes: string;
  private_notes: string;
  tags: string;
  expertise: string;
  cadence_days: string;
  handles: HandleRow[];
  roles: RoleRow[];
  dates: DateRow[];
}

export function emptyContactForm(): ContactForm {
  return {
    id: null,
    name: "",
    organisation: "",
    location: "",
    met_where: "",
    met_on: "",
    met_through: "",
    notes: "",
    private_notes: "",
    tags: "",
    expertise: "",
    cadence_days: "",
    handles: [],
    roles: [],
    dates: [],
  };
}

export function contactToForm(c: Contact): ContactForm {
  return {
    id: c.id,
    name: c.name,
    organisation: c.organisation,
    location: c.location,
    met_where: c.met_where,
    met_on: c.met_on ?? "",
    met_through: c.met_through,
    notes: c.notes,
    private_notes: c.private_notes,
    tags: joinList(c.tags),
    expertise: joinList(c.expertise),
    cadence_days: c.cadence_days === null ? "" : String(c.cadence_days),
    handles: c.handles.map((h) => ({ platform: h.platform, value: h.value })),
    roles: c.roles.map((r) => ({
      kind: r.kind,
      direction: r.direction,
      topics: joinList(r.topics),
      acknowledged: r.acknowledged ?? false,
    })),
    dates: c.dates.map((d) => ({
      kind: d.kind,
      label: d.label,
      month: String(d.month),
      day: String(d.day),
      year: d.year === null ? "" : String(d.year),
    })),
  };
}

export function validateContactForm(form: ContactForm): Validated<ContactDraft> {
  const errors: Errors = {};
  const name = form.name.trim();
  if (!name) errors.name = "Give this contact a name.";
  const metOn = form.met_on.trim();
  if (metOn && !isValidDate(metOn)) errors.met_on = "Use a real date, like 2024-03-14.";
  let cadence: number | null = null;
  const cadenceText = form.cadence_days.trim();
  if (cadenceText) {
    if (!/^\d+$/.test(cadenceText) || Number(cadenceText) < 1 || Number(cadenceText) > 3650) {
      errors.cadence_days = "A whole number of days between 1 and 3650, or leave it empty.";
    } else {
      cadence = Number(cadenceText);
    }
  }
  form.handles.forEach((h, i) => {
    if (!h.value.trim()) errors[`handle-${i}`] = "Type the handle, or remove this row.";
  });
  const dates = form.dates.map((d, i) => {
    const yearText = d.year.trim();
    const year = yearText === "" ? null : /^\d{4}$/.test(yearText) ? Number(yearText) : NaN;
    const month = Number(d.month);
    const day = /^\d{1,2}$/.test(d.day.trim()) ? Number(d.day.trim()) : NaN;
    if (year !== null && Number.isNaN(year)) {
      errors[`date-${i}`] = "A year has four digits, like 1985; leave it empty if you do not know it.";
    } else if (!isValidMonthDay(month, day, year)) {
      errors[`date-${i}`] = "That day is not in that month; check the day.";
    }
    return { kind: d.kind, label: d.label.trim(), month, day, year };
  });
  if (Object.keys(errors).length > 0) return { draft: null, errors };
  return {
    errors,
    draft: {
      id: form.id,
      name,
      organisation: form.organisation.trim(),
      location: form.location.trim(),
      met_where: form.met_where.trim(),
      met_on: metOn || null,
      met_through: form.met_through.trim(),
      notes: form.notes.trim(),
      private_notes: form.private_notes.trim(),
      tags: splitList(form.tags),
      expertise: splitList(form.expertise),
      cadence_days: cadence,
      handles: form.handles.map((h) => ({ platform: h.platform, value: h.value.trim() })),
      dates,
      roles: form.roles.map((r) => ({
        kind: r.kind,
        direction: r.direction,
        topics: splitList(r.topics),
        acknowledged: r.acknowledged,
      })),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Interactions

export interface ContactRef {
  id: string;
  name: string;
}

export interface InteractionForm {
  id: string | null;
  contacts: ContactRef[];
  channel: ChannelKind;
  direction: Direction;
  /** `datetime-local` value, local wall-clock time. */
  occurred_local: string;
  public: boolean;
  /** Once the person ticks or unticks "public", changing the channel no longer overrides it. */
  public_touched: boolean;
  text: string;
  tags: string;
  thread: string;
  moment: Moment | "";
}

export function newInteractionForm(
  contacts: ContactRef[],
  channel: ChannelKind,
  now: Date,
): InteractionForm {
  return {
    id: null,
    contacts,
    channel,
    direction: "outbound",
    occurred_local: toLocalInputValue(now),
    public: defaultPublicFor(channel),
    public_touched: false,
    text: "",
    tags: "",
    thread: "",
    moment: "",
  };
}

export function interactionToForm(i: Interaction, names: readonly string[]): InteractionForm {
  return {
    id: i.id,
    contacts: i.contact_ids.map((id, n) => ({ id, name: names[n] ?? id })),
    channel: i.channel,
    direction: i.direction,
    occurred_local: isoToLocalInputValue(i.occurred_at),
    public: i.public,
    public_touched: true,
    text: i.text,
    tags: joinList(i.tags),
    thread: i.thread ?? "",
    moment: i.moment ?? "",
  };
}

/** A new channel choice; "public" follows the channel until the person sets it themselves. */
export function withChannel(form: InteractionForm, channel: ChannelKind): InteractionForm {
  return {
    ...form,
    channel,
    public: form.public_touched ? form.public : defaultPublicFor(channel),
  };
}

export function validateInteractionForm(form: InteractionForm): Validated<InteractionDraft> {
  const errors: Errors = {};
  if (form.contacts.length === 0) errors.contacts = "Choose at least one person.";
  const occurred = localInputToUtcIso(form.occurred_local);
  if (!occurred) errors.occurred = "Pick the date and time it happened.";
  if (Object.keys(errors).length > 0 || !occurred) return { draft: null, errors };
  const thread = form.thread.trim();
  return {
    errors,
    draft: {
      id: form.id,
      contact_ids: form.contacts.map((c) => c.id),
      channel: form.channel,
      direction: form.direction,
      occurred_at: occurred,
      public: form.public,
      text: form.text.trim(),
      thread: thread || null,
      tags: splitList(form.tags),
      moment: form.moment === "" ? null : form.moment,
    },
  };
}

export interface MomentInput {
  contactId: string | null;
  channel: ChannelKind;
  text: string;
  moment: Moment;
}

/** A quick mentoring moment, logged as happening `now`. */
export function buildMomentDraft(input: MomentInput, now: Date): Validated<InteractionDraft> {
  const errors: Errors = {};
  if (!input.contactId) errors.contact = "Type a name and pick who it was with.";
  const text = input.text.trim();
  if (!text) errors.text = "Write one line about it.";
  if (!input.contactId || !text) return { draft: null, errors };
  return {
    errors,
    draft: {
      id: null,
      contact_ids: [input.contactId],
      channel: input.channel,
      direction: momentDirection(input.moment),
      occurred_at: now.toISOString(),
      public: defaultPublicFor(input.channel),
      text,
      thread: null,
      tags: [],
      moment: input.moment,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Events

export interface EventForm {
  id: string | null;
  name: string;
  kind: EventKind;
  starts_on: string;
  ends_on: string;
  location: string;
  hashtags: string;
  notes: string;
  attendees: ContactRef[];
}

export function emptyEventForm(today: string): EventForm {
  return {
    id: null,
    name: "",
    kind: "conference",
    starts_on: today,
    ends_on: "",
    location: "",
    hashtags: "",
    notes: "",
    attendees: [],
  };
}

export function eventToForm(e: Event, nameOf: (id: string) => string): EventForm {
  return {
    id: e.id,
    name: e.name,
    kind: e.kind,
    starts_on: e.starts_on,
    ends_on: e.ends_on === e.starts_on ? "" : e.ends_on,
    location: e.location,
    hashtags: e.hashtags.join(" "),
    notes: e.notes,
    attendees: e.attendee_ids.map((id) => ({ id, name: nameOf(id) })),
  };
}

export function validateEventForm(form: EventForm): Validated<EventDraft> {
  const errors: Errors = {};
  const name = form.name.trim();
  if (!name) errors.name = "Give the event a name.";
  if (!isValidDate(form.starts_on)) errors.starts_on = "Pick the day it starts.";
  const ends = form.ends_on.trim();
  if (ends && !isValidDate(ends)) errors.ends_on = "Use a real date, or leave it empty.";
  else if (ends && isValidDate(form.starts_on) && ends < form.starts_on)
    errors.ends_on = "It cannot end before it starts.";
  if (Object.keys(errors).length > 0) return { draft: null, errors };
  return {
    errors,
    draft: {
      id: form.id,
      name,
      kind: form.kind,
      starts_on: form.starts_on,
      ends_on: ends || null,
      location: form.location.trim(),
      hashtags: splitHashtags(form.hashtags),
      notes: form.notes.trim(),
      attendee_ids: form.attendees.map((a) => a.id),
    },
  };
}

/**
 * Events still to come or under way (soonest first), then past ones (most recent first).
 * `today` is the local calendar date, YYYY-MM-DD.
 */
export function sortEvents(events: readonly Event[], today: string): { upcoming: Event[]; past: Event[] } {
  const upcoming = events
    .filter((e) => (e.ends_on || e.starts_on) >= today)
    .sort((a, b) => a.starts_on.localeCompare(b.starts_on) || a.name.localeCompare(b.name));
  const past = events
    .filter((e) => (e.ends_on || e.starts_on) < today)
    .sort((a, b) => b.starts_on.localeCompare(a.starts_on) || a.name.localeCompare(b.name));
  return { upcoming, past };
}
