//! Events: conferences, meetups, Twitter chats, webinars, and who attends them.

use super::contacts::rowid as contact_rowid;
use super::{clean_list, decode, decode_date, decode_list, json_list, new_key, Place, Store};
use crate::domain::*;
use crate::error::{Error, Result};
use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension, Row};
use std::collections::HashMap;

impl Store {
    /// Creates an event (draft without id) or replaces one (draft with id).
    pub fn save_event(&mut self, draft: EventDraft) -> Result<Event> {
        let tx = self.write_tx()?;
        let key = match &draft.id {
            Some(key) => {
                if event_rowid(&tx, key)?.is_none() {
                    return Err(Error::not_found("event", key));
                }
                key.clone()
            }
            None => new_key(),
        };
        write_event_tx(&tx, &key, &draft)?;
        let event = load_event(&tx, &key)?;
        tx.commit()?;
        Ok(event)
    }

    pub fn event(&self, key: &str) -> Result<Event> {
        load_event(&self.conn, key)
    }

    /// Finds an event by id or by name (ignoring case; a unique prefix also works).
    pub fn find_event(&self, name_or_id: &str) -> Result<Event> {
        if event_rowid(&self.conn, name_or_id)?.is_some() {
            return self.event(name_or_id);
        }
        let mut stmt = self.conn.prepare(
            "SELECT key, name FROM events WHERE name = ?1 COLLATE NOCASE
             UNION ALL
             SELECT key, name FROM events WHERE name LIKE ?1 || '%' AND name <> ?1 COLLATE NOCASE",
        )?;
        let found: Vec<(String, String)> = stmt
            .query_map([name_or_id.trim()], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        match found.as_slice() {
            [] => Err(Error::not_found("event", name_or_id)),
            [(key, _)] => self.event(key),
            [(key, name), ..] if name.eq_ignore_ascii_case(name_or_id.trim()) => self.event(key),
            many => Err(Error::Ambiguous(format!(
                "{name_or_id:?} matches several events: {}",
                many.iter()
                    .map(|(_, n)| n.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
        }
    }

    pub fn delete_event(&mut self, key: &str) -> Result<()> {
        let tx = self.write_tx()?;
        if tx.execute("DELETE FROM events WHERE key = ?1", [key])? == 0 {
            return Err(Error::not_found("event", key));
        }
        tx.commit()?;
        Ok(())
    }

    /// Every event, latest start first.
    pub fn list_events(&self) -> Result<Vec<Event>> {
        let mut attendees = attendees(&self.conn, None)?;
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {EVENT_COLUMNS} FROM events e ORDER BY e.starts_on DESC, e.name"
        ))?;
        let rows = stmt.query_map([], |row| {
            let id: i64 = row.get(0)?;
            event_from_row(row, attendees.remove(&id).unwrap_or_default())
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The events a contact attends, latest first.
    pub fn events_of_contact(&self, contact_key: &str) -> Result<Vec<Event>> {
        let id = contact_rowid(&self.conn, contact_key)?
            .ok_or_else(|| Error::not_found("contact", contact_key))?;
        let mut attendees = attendees(&self.conn, Some(id))?;
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {EVENT_COLUMNS} FROM events e
             JOIN event_attendees a ON a.event_id = e.id
             WHERE a.contact_id = ?1 ORDER BY e.starts_on DESC, e.name"
        ))?;
        let rows = stmt.query_map([id], |row| {
            let eid: i64 = row.get(0)?;
            event_from_row(row, attendees.remove(&eid).unwrap_or_default())
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

const EVENT_COLUMNS: &str =
    "e.id, e.key, e.name, e.kind, e.starts_on, e.ends_on, e.location, e.hashtags, e.notes";

fn event_from_row(row: &Row<'_>, attendee_ids: Vec<String>) -> rusqlite::Result<Event> {
    let id: String = row.get(1)?;
    let at = |column| Place {
        table: "events",
        row: &id,
        column,
    };
    let date = |i: usize, column| -> rusqlite::Result<NaiveDate> {
        decode_date(at(column), &row.get::<_, String>(i)?)
    };
    Ok(Event {
        name: row.get(2)?,
        kind: decode(at("kind"), &row.get::<_, String>(3)?, "a kind of event")?,
        starts_on: date(4, "starts_on")?,
        ends_on: date(5, "ends_on")?,
        location: row.get(6)?,
        hashtags: decode_list(at("hashtags"), &row.get::<_, String>(7)?)?,
        notes: row.get(8)?,
        attendee_ids,
        id,
    })
}

fn event_rowid(conn: &Connection, key: &str) -> Result<Option<i64>> {
    Ok(conn
        .query_row("SELECT id FROM events WHERE key = ?1", [key], |r| r.get(0))
        .optional()?)
}

fn load_event(conn: &Connection, key: &str) -> Result<Event> {
    let id = event_rowid(conn, key)?.ok_or_else(|| Error::not_found("event", key))?;
    let mut attendees = attendees(conn, None)?;
    Ok(conn.query_row(
        &format!("SELECT {EVENT_COLUMNS} FROM events e WHERE e.id = ?1"),
        [id],
        |row| event_from_row(row, attendees.remove(&id).unwrap_or_default()),
    )?)
}

/// Attendee keys per event; with `of_contact`, only the events that contact attends.
fn attendees(conn: &Connection, of_contact: Option<i64>) -> Result<HashMap<i64, Vec<String>>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.event_id, c.key FROM event_attendees a JOIN contacts c ON c.id = a.contact_id
         WHERE ?1 IS NULL OR a.event_id IN (SELECT event_id FROM event_attendees WHERE contact_id = ?1)
         ORDER BY a.event_id, c.name COLLATE NOCASE",
    )?;
    let mut rows = stmt.query([of_contact])?;
    let mut out: HashMap<i64, Vec<String>> = HashMap::new();
    while let Some(row) = rows.next()? {
        out.entry(row.get(0)?).or_default().push(row.get(1)?);
    }
    Ok(out)
}

/// Validates and writes an event inside the caller's transaction.
pub(crate) fn write_event_tx(conn: &Connection, key: &str, d: &EventDraft) -> Result<i64> {
    crate::text_limit::event_draft(d).map_err(|e| e.invalid())?;
    let name = d.name.trim();
    if name.is_empty() {
        return Err(Error::invalid("an event needs a name"));
    }
    let ends_on = d.ends_on.unwrap_or(d.starts_on);
    if ends_on < d.starts_on {
        return Err(Error::invalid(format!(
            "the event {name:?} ends ({ends_on}) before it starts ({})",
            d.starts_on
        )));
    }
    let mut people = Vec::with_capacity(d.attendee_ids.len());
    let mut seen = std::collections::HashSet::with_capacity(d.attendee_ids.len());
    for a in &d.attendee_ids {
        let id = contact_rowid(conn, a)?.ok_or_else(|| Error::not_found("contact", a))?;
        if seen.insert(id) {
            people.push(id);
        }
    }
    let values = params![
        key,
        name,
        d.kind.as_str(),
        d.starts_on.format("%Y-%m-%d").to_string(),
        ends_on.format("%Y-%m-%d").to_string(),
        d.location.trim(),
        json_list(&clean_list(&d.hashtags)),
        d.notes,
    ];
    let id = match event_rowid(conn, key)? {
        Some(id) => {
            conn.execute(
                "UPDATE events SET name = ?2, kind = ?3, starts_on = ?4, ends_on = ?5,
                     location = ?6, hashtags = ?7, notes = ?8 WHERE key = ?1",
                values,
            )?;
            conn.execute("DELETE FROM event_attendees WHERE event_id = ?1", [id])?;
            id
        }
        None => {
            conn.execute(
                "INSERT INTO events (key, name, kind, starts_on, ends_on, location, hashtags, notes)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                values,
            )?;
            conn.last_insert_rowid()
        }
    };
    let mut add =
        conn.prepare_cached("INSERT INTO event_attendees (event_id, contact_id) VALUES (?1, ?2)")?;
    for p in people {
        add.execute([id, p])?;
    }
    Ok(id)
}

impl From<Event> for EventDraft {
    fn from(e: Event) -> Self {
        EventDraft {
            id: Some(e.id),
            name: e.name,
            kind: e.kind,
            starts_on: e.starts_on,
            ends_on: Some(e.ends_on),
            location: e.location,
            hashtags: e.hashtags,
            notes: e.notes,
            attendee_ids: e.attendee_ids,
        }
    }
}

/// Loads an event inside a transaction (used when importing).
pub(crate) fn load_event_in(conn: &Connection, key: &str) -> Result<Event> {
    load_event(conn, key)
}
