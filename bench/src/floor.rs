//! The floor an import is measured against: raw rusqlite inserting the same rows into the
//! same schema (its indexes, full-text tables and triggers included) in one transaction with
//! prepared statements, with no parsing, checking, matching or lookups of existing records,
//! in the fastest way we know.

use kith_core::store::{normalize_handle, Records};
use kith_core::Store;
use rusqlite::types::Value;
use rusqlite::{params, params_from_iter};
use std::collections::HashMap;

/// Interactions inserted by one statement (ten parameters each, far below SQLite's limit).
const INTERACTIONS_PER_STATEMENT: usize = 500;

/// `head` followed by `rows` groups of `columns` placeholders.
fn multi_row(head: &str, columns: usize, rows: usize) -> String {
    let group = format!("({})", vec!["?"; columns].join(", "));
    format!("{head}{}", vec![group; rows].join(", "))
}

fn json(items: &[String]) -> String {
    serde_json::to_string(items).unwrap_or_else(|_| "[]".into())
}

/// Inserts `records` into `store`, which must be empty.
pub fn insert(store: &Store, records: &Records) -> rusqlite::Result<()> {
    let conn = store.connection();
    conn.execute_batch("BEGIN IMMEDIATE")?;
    match insert_rows(conn, records) {
        Ok(()) => conn.execute_batch("COMMIT"),
        Err(e) => {
            conn.execute_batch("ROLLBACK")?;
            Err(e)
        }
    }
}

fn insert_rows(conn: &rusqlite::Connection, records: &Records) -> rusqlite::Result<()> {
    let mut ids: HashMap<&str, i64> = HashMap::with_capacity(records.contacts.len());
    let mut contact = conn.prepare(
        "INSERT INTO contacts (key, name, organisation, location, met_where, met_on, met_through,
             notes, private_notes, tags, expertise, cadence_days, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    )?;
    let mut handle = conn.prepare(
        "INSERT INTO handles (contact_id, position, platform, value, normalized)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let mut role = conn.prepare(
        "INSERT INTO roles (contact_id, kind, direction, topics, acknowledged)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let mut fts = conn
        .prepare("INSERT INTO contacts_fts (rowid, name, handles, body) VALUES (?1, ?2, ?3, ?4)")?;
    for c in &records.contacts {
        contact.execute(params![
            c.id,
            c.name,
            c.organisation,
            c.location,
            c.met_where,
            c.met_on.map(|d| d.format("%Y-%m-%d").to_string()),
            c.met_through,
            c.notes,
            c.private_notes,
            json(&c.tags),
            json(&c.expertise),
            c.cadence_days,
            c.created_at.to_rfc3339(),
            c.updated_at.to_rfc3339(),
        ])?;
        let id = conn.last_insert_rowid();
        for (p, h) in c.handles.iter().enumerate() {
            handle.execute(params![
                id,
                p as i64,
                h.platform.as_str(),
                h.value,
                normalize_handle(&h.value)
            ])?;
        }
        for r in &c.roles {
            role.execute(params![
                id,
                r.kind.as_str(),
                r.direction.as_str(),
                json(&r.topics),
                r.acknowledged
            ])?;
        }
        let handles: Vec<&str> = c.handles.iter().map(|h| h.value.as_str()).collect();
        let roles: Vec<String> = c
            .roles
            .iter()
            .flat_map(|r| std::iter::once(r.kind.as_str().to_string()).chain(r.topics.clone()))
            .collect();
        let body = [
            c.organisation.as_str(),
            &c.location,
            &c.met_where,
            &c.met_through,
            &c.notes,
            &c.private_notes,
            &c.tags.join(" "),
            &c.expertise.join(" "),
            &roles.join(" "),
        ]
        .join("\n");
        fts.execute(params![id, c.name, handles.join(" "), body])?;
        ids.insert(c.id.as_str(), id);
    }

    // Interactions and participants go in many rows to a statement: every statement that
    // fires the full-text trigger opens a savepoint at which FTS5 flushes its pending terms,
    // so one row a statement would measure segment merging rather than inserting. Row ids
    // are given, as the tables start empty.
    let mut next_id: i64 = 1;
    for chunk in records.interactions.chunks(INTERACTIONS_PER_STATEMENT) {
        let mut values: Vec<Value> = Vec::with_capacity(chunk.len() * 10);
        let mut link_values: Vec<Value> = Vec::new();
        for i in chunk {
            let at = i.occurred_at.timestamp_millis();
            values.extend([
                Value::Integer(next_id),
                Value::Text(i.id.clone()),
                Value::Text(i.channel.as_str().into()),
                Value::Text(i.direction.as_str().into()),
                Value::Integer(at),
                Value::Integer(i.public.into()),
                Value::Text(i.text.clone()),
                i.thread.clone().map_or(Value::Null, Value::Text),
                Value::Text(json(&i.tags)),
                i.moment
                    .map_or(Value::Null, |m| Value::Text(m.as_str().into())),
            ]);
            for (p, c) in i.contact_ids.iter().enumerate() {
                link_values.extend([
                    Value::Integer(next_id),
                    Value::Integer(ids[c.as_str()]),
                    Value::Integer(p as i64),
                    Value::Integer(at),
                    Value::Text(i.channel.as_str().into()),
                ]);
            }
            next_id += 1;
        }
        conn.prepare_cached(&multi_row(
            "INSERT INTO interactions (id, key, channel, direction, occurred_at, public, text,
                 thread, tags, moment) VALUES ",
            10,
            chunk.len(),
        ))?
        .execute(params_from_iter(values))?;
        if link_values.is_empty() {
            continue;
        }
        conn.prepare_cached(&multi_row(
            "INSERT INTO interaction_contacts (interaction_id, contact_id, position,
                 occurred_at, channel) VALUES ",
            5,
            link_values.len() / 5,
        ))?
        .execute(params_from_iter(link_values))?;
    }

    let mut event = conn.prepare(
        "INSERT INTO events (key, name, kind, starts_on, ends_on, location, hashtags, notes)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    let mut attendee =
        conn.prepare("INSERT INTO event_attendees (event_id, contact_id) VALUES (?1, ?2)")?;
    for e in &records.events {
        event.execute(params![
            e.id,
            e.name,
            e.kind.as_str(),
            e.starts_on.format("%Y-%m-%d").to_string(),
            e.ends_on.format("%Y-%m-%d").to_string(),
            e.location,
            json(&e.hashtags),
            e.notes,
        ])?;
        let eid = conn.last_insert_rowid();
        for a in &e.attendee_ids {
            attendee.execute(params![eid, ids[a.as_str()]])?;
        }
    }
    // Each contact's interaction words, all in one statement once every row is in.
    conn.execute_batch(
        "INSERT INTO contact_words (rowid, words)
         SELECT ic.contact_id * 1024, group_concat(i.text || ' ' || i.tags, ' ')
         FROM interaction_contacts ic JOIN interactions i ON i.id = ic.interaction_id
         GROUP BY ic.contact_id;
         INSERT INTO contact_word_docs (contact_id, docs)
         SELECT DISTINCT contact_id, 1 FROM interaction_contacts;",
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    /// The floor must store what an import stores, or the comparison means nothing.
    #[test]
    fn the_floor_stores_what_an_import_stores() {
        let now = Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap();
        let records: Records = kith_core::synth::network(60, 1_500, 6, 3, now).into();
        let floor = Store::open_in_memory().unwrap();
        insert(&floor, &records).unwrap();
        let mut imported = Store::open_in_memory().unwrap();
        imported
            .import_records(records.clone(), "test", now)
            .unwrap();
        assert_eq!(floor.stats().unwrap(), imported.stats().unwrap());
        assert_eq!(
            floor.all_contacts().unwrap(),
            imported.all_contacts().unwrap()
        );
        assert_eq!(
            floor.all_interactions().unwrap(),
            imported.all_interactions().unwrap()
        );
        assert_eq!(
            floor.list_events().unwrap(),
            imported.list_events().unwrap()
        );
        for q in ["koha", "cataloguing", "Mel"] {
            assert_eq!(floor.search(q).unwrap(), imported.search(q).unwrap(), "{q}");
        }
    }
}
