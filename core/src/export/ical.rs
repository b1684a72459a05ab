//! iCalendar (RFC 5545): events as all-day VEVENTs, the contacts' birthdays, anniversaries and
//! other important dates as all-day VEVENTs that repeat every year, follow-ups as VTODOs,
//! written with
//! `calcard`, which escapes `\`, `,`, `;` and line breaks in text and folds lines at 75 octets
//! without splitting characters.

use super::text::{clean, one_line, percent_encode};
use super::vcard::{utc_timestamp, PRODID};
use super::{ExportFile, ExportInput, Todo};
use crate::domain::{Contact, DateKind, Event, ImportantDate};
use crate::error::{Error, Result};
use calcard::common::PartialDateTime;
use calcard::icalendar::{
    ICalendar, ICalendarComponent, ICalendarComponentType, ICalendarEntry, ICalendarFrequency,
    ICalendarParameter, ICalendarParameterName, ICalendarParameterValue, ICalendarProperty,
    ICalendarRecurrenceRule, ICalendarStatus, ICalendarValue, ICalendarValueType,
};
use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};
use std::collections::HashMap;

pub(crate) fn render(input: &ExportInput) -> Result<ExportFile> {
    let names: HashMap<&str, &Contact> =
        input.contacts.iter().map(|c| (c.id.as_str(), c)).collect();
    let mut calendar = ICalendarComponent::new(ICalendarComponentType::VCalendar);
    calendar.add_property(ICalendarProperty::Version, text("2.0"));
    calendar.add_property(ICalendarProperty::Prodid, text(PRODID));
    calendar.add_property(ICalendarProperty::Calscale, text("GREGORIAN"));
    let mut components = vec![calendar];
    for event in input.events {
        components.push(vevent(event, &names, input.now));
    }
    for contact in input.contacts {
        for (n, date) in contact.dates.iter().enumerate() {
            components.push(yearly(contact, n, date, input.now));
        }
    }
    for todo in input.todos {
        components.push(vtodo(todo, &names, input.now));
    }
    components[0].component_ids = (1..components.len())
        .map(|n| u32::try_from(n).unwrap_or(u32::MAX))
        .collect();
    let mut out = String::new();
    ICalendar { components }
        .write_to(&mut out)
        .map_err(|_| Error::invalid("cannot write the iCalendar export"))?;
    Ok(ExportFile {
        path: "kith.ics".into(),
        bytes: out.into_bytes(),
    })
}

fn vevent(
    event: &Event,
    names: &HashMap<&str, &Contact>,
    now: DateTime<Utc>,
) -> ICalendarComponent {
    let mut c = ICalendarComponent::new(ICalendarComponentType::VEvent);
    c.add_uid(&uid(&event.id));
    c.add_dtstamp(utc_timestamp(now));
    // All-day: DTEND is the day after the last day (RFC 5545 3.6.1).
    let last = event.ends_on.max(event.starts_on);
    let end = last.checked_add_days(Days::new(1)).unwrap_or(last);
    c.entries
        .push(date_entry(ICalendarProperty::Dtstart, event.starts_on));
    c.entries.push(date_entry(ICalendarProperty::Dtend, end));
    c.add_property(ICalendarProperty::Summary, text(&one_line(&event.name)));
    let location = one_line(&event.location);
    if !location.trim().is_empty() {
        c.add_property(ICalendarProperty::Location, text(location.trim()));
    }
    let description = event_description(event, names);
    if !description.is_empty() {
        c.add_property(ICalendarProperty::Description, text(&description));
    }
    c.entries.push(
        ICalendarEntry::new(ICalendarProperty::Categories).with_value(text(event.kind.as_str())),
    );
    c
}

/// A contact's important date as an all-day event every year from the year it happened (or,
/// without a year, from the first year on or after `now` that has the day, so 29 February
/// lands on a leap year).
fn yearly(
    contact: &Contact,
    n: usize,
    date: &ImportantDate,
    now: DateTime<Utc>,
) -> ICalendarComponent {
    let start = match date.year {
        Some(y) => NaiveDate::from_ymd_opt(y, date.month, date.day),
        None => (now.year()..now.year() + 8)
            .find_map(|y| NaiveDate::from_ymd_opt(y, date.month, date.day)),
    }
    .unwrap_or_else(|| now.date_naive());
    let mut c = ICalendarComponent::new(ICalendarComponentType::VEvent);
    c.add_uid(&uid(&format!("{}/date/{n}", contact.id)));
    c.add_dtstamp(utc_timestamp(now));
    c.entries
        .push(date_entry(ICalendarProperty::Dtstart, start));
    let end = start.checked_add_days(Days::new(1)).unwrap_or(start);
    c.entries.push(date_entry(ICalendarProperty::Dtend, end));
    c.add_property(
        ICalendarProperty::Rrule,
        ICalendarValue::RecurrenceRule(Box::new(ICalendarRecurrenceRule {
            freq: ICalendarFrequency::Yearly,
            ..ICalendarRecurrenceRule::default()
        })),
    );
    let what = match (date.kind, date.label.trim()) {
        (DateKind::Other, "") => DateKind::Other.label().to_string(),
        (DateKind::Other, label) => one_line(label),
        (kind, _) => kind.label().to_string(),
    };
    c.add_property(
        ICalendarProperty::Summary,
        text(&format!("{what}: {}", one_line(&contact.name).trim())),
    );
    c.entries.push(
        ICalendarEntry::new(ICalendarProperty::Categories).with_value(text(date.kind.as_str())),
    );
    c
}

/// Hashtags, who is going (contacts outside this export are counted, not named) and notes.
fn event_description(event: &Event, names: &HashMap<&str, &Contact>) -> String {
    let mut parts = Vec::new();
    let hashtags: Vec<String> = event
        .hashtags
        .iter()
        .map(|h| one_line(h).trim().to_string())
        .filter(|h| !h.is_empty())
        .collect();
    if !hashtags.is_empty() {
        parts.push(format!("Hashtags: {}", hashtags.join(" ")));
    }
    let mut attendees: Vec<String> = Vec::new();
    let mut others = 0;
    for id in &event.attendee_ids {
        match names.get(id.as_str()) {
            Some(contact) => attendees.push(one_line(&contact.name).trim().to_string()),
            None => others += 1,
        }
    }
    match (attendees.is_empty(), others) {
        (true, 0) => {}
        (true, n) => parts.push(format!("Attendees: {n} contacts not in this export")),
        (false, 0) => parts.push(format!("Attendees: {}", attendees.join(", "))),
        (false, n) => parts.push(format!(
            "Attendees: {} and {n} more not in this export",
            attendees.join(", ")
        )),
    }
    let notes = clean(&event.notes);
    if !notes.trim().is_empty() {
        parts.push(notes.trim().to_string());
    }
    parts.join("\n\n")
}

fn vtodo(todo: &Todo, names: &HashMap<&str, &Contact>, now: DateTime<Utc>) -> ICalendarComponent {
    let mut c = ICalendarComponent::new(ICalendarComponentType::VTodo);
    c.add_uid(&uid(&todo.id));
    c.add_dtstamp(utc_timestamp(now));
    c.entries.push(date_entry(ICalendarProperty::Due, todo.due));
    c.add_property(ICalendarProperty::Summary, text(&one_line(&todo.summary)));
    let description = clean(&todo.description);
    if !description.trim().is_empty() {
        c.add_property(ICalendarProperty::Description, text(description.trim()));
    }
    if let Some(contact) = todo.contact_id.as_deref().and_then(|id| names.get(id)) {
        c.add_property(ICalendarProperty::Contact, text(&one_line(&contact.name)));
    }
    c.add_property(
        ICalendarProperty::Status,
        ICalendarValue::Status(ICalendarStatus::NeedsAction),
    );
    c
}

/// `<id>@kith`; characters outside unreserved ones are percent-encoded so any id is safe.
fn uid(id: &str) -> String {
    format!("{}@kith", percent_encode(id, &[]))
}

fn text(s: &str) -> ICalendarValue {
    ICalendarValue::Text(s.to_string())
}

fn date_entry(property: ICalendarProperty, day: NaiveDate) -> ICalendarEntry {
    ICalendarEntry::new(property)
        .with_param(ICalendarParameter::new(
            ICalendarParameterName::Value,
            ICalendarParameterValue::Value(ICalendarValueType::Date),
        ))
        .with_value(ICalendarValue::PartialDateTime(Box::new(PartialDateTime {
            year: u16::try_from(day.year()).ok(),
            month: u8::try_from(day.month()).ok(),
            day: u8::try_from(day.day()).ok(),
            ..PartialDateTime::default()
        })))
}
