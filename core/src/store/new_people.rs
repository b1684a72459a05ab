//! The New people inbox: people a sync met who are not in the network yet, with the items
//! held for them. Adding someone makes them a contact and brings in those items; merging
//! gives their handles to a contact and does the same; ignoring drops them for good.

use super::contacts::{
    insert_contact_tx, load_contact, rowid as contact_rowid, update_contact_tx, validate_draft,
};
use super::harvest::{resolve_people, Incoming};
use super::records::import_records_tx;
use super::{decode_list, decode_time, new_key, Place, Records, Store};
use crate::domain::{Contact, ContactDraft, Handle};
use crate::error::{Error, Result};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use specta::Type;

/// Someone a sync met who is not in the network yet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct NewPerson {
    pub id: String,
    /// Their name as the source gave it; may be empty.
    pub name: String,
    pub handles: Vec<Handle>,
    /// Where they were seen ("INBOX on mail.example.org", "comments on example.org").
    pub seen_in: Vec<String>,
    /// In how many items.
    pub times: u32,
    pub first_seen: DateTime<Utc>,
    pub last_seen: DateTime<Utc>,
    /// A contact they may be, to merge into rather than add.
    pub likely: Option<Likely>,
}

/// A contact a new person may be.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct Likely {
    pub contact_id: String,
    pub contact_name: String,
    /// Why, for people: "same name", "same address ann@example.org".
    pub reason: String,
}

fn person_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<NewPerson> {
    let id: String = r.get(0)?;
    let at = |column| Place {
        table: "new_people",
        row: &id,
        column,
    };
    let handles: String = r.get(2)?;
    let handles: Vec<Handle> = serde_json::from_str(&handles)
        .map_err(|_| at("handles").damaged(handles, "a list of handles"))?;
    let seen_in = decode_list(at("seen_in"), &r.get::<_, String>(3)?)?;
    let first_seen = decode_time(at("first_seen"), &r.get::<_, String>(5)?)?;
    let last_seen = decode_time(at("last_seen"), &r.get::<_, String>(6)?)?;
    Ok(NewPerson {
        name: r.get(1)?,
        handles,
        seen_in,
        times: r.get(4)?,
        first_seen,
        last_seen,
        likely: None,
        id,
    })
}

const PERSON_COLUMNS: &str = "id, name, handles, seen_in, times, first_seen, last_seen";

fn pending_person(conn: &Connection, id: &str) -> Result<NewPerson> {
    conn.query_row(
        &format!("SELECT {PERSON_COLUMNS} FROM new_people WHERE id = ?1 AND state = 'pending'"),
        [id.trim()],
        person_from_row,
    )
    .optional()?
    .ok_or_else(|| Error::not_found("new person", id.trim()))
}

/// A contact the person may be: one with one of their handles (on another platform), or
/// with their name.
fn likely_contact(conn: &Connection, p: &NewPerson) -> Result<Option<Likely>> {
    let mut by_handle = conn.prepare_cached(
        "SELECT c.key, c.name FROM handles h JOIN contacts c ON c.id = h.contact_id
         WHERE h.normalized = ?1 ORDER BY c.id LIMIT 1",
    )?;
    for h in &p.handles {
        let norm = crate::handles::normalize_handle(&h.value);
        if norm.is_empty() {
            continue;
        }
        let found: Option<(String, String)> = by_handle
            .query_row([&norm], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        if let Some((contact_id, contact_name)) = found {
            return Ok(Some(Likely {
                contact_id,
                contact_name,
                reason: format!("same handle {}", h.value),
            }));
        }
    }
    let name = p.name.trim();
    if name.is_empty() {
        return Ok(None);
    }
    let found: Option<(String, String)> = conn
        .prepare_cached(
            "SELECT key, name FROM contacts WHERE name = ?1 COLLATE NOCASE ORDER BY id LIMIT 1",
        )?
        .query_row([name], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(found.map(|(contact_id, contact_name)| Likely {
        contact_id,
        contact_name,
        reason: "same name".into(),
    }))
}

/// Brings in the items held for the person `id`, now that they are a contact, and takes
/// them out of the inbox.
fn bring_in_held_tx(conn: &Connection, id: &str, me: &[String], now: DateTime<Utc>) -> Result<()> {
    let items: Vec<String> = conn
        .prepare("SELECT item FROM held_items WHERE person_id = ?1 ORDER BY item_key")?
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut interactions = Vec::new();
    for (n, text) in items.iter().enumerate() {
        let item: Incoming = serde_json::from_str(text).map_err(|_| {
            Error::DamagedValue(crate::error::Damaged {
                table: "held_items",
                row: format!("{id} #{n}"),
                column: "item",
                value: text.chars().take(80).collect(),
                expected: "an item a sync found",
            })
        })?;
        let (known, _) = resolve_people(conn, &item, me)?;
        if known.is_empty() {
            continue;
        }
        let mut interaction = item.interaction;
        interaction.contact_ids = known;
        interactions.push(interaction);
    }
    import_records_tx(
        conn,
        Records {
            contacts: Vec::new(),
            interactions,
            events: Vec::new(),
        },
        "the New people inbox",
        now,
        &mut |_, _| true,
    )?;
    conn.execute("DELETE FROM new_people WHERE id = ?1", [id])?;
    Ok(())
}

fn my_handles(conn: &Connection) -> Result<Vec<String>> {
    let text: Option<String> = conn
        .query_row(
            "SELECT value FROM settings WHERE name = ?1",
            [super::MY_EMAILS_SETTING],
            |r| r.get(0),
        )
        .optional()?;
    let list: Vec<String> = text
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    Ok(list
        .iter()
        .map(|a| crate::handles::normalize_handle(a))
        .collect())
}

impl Store {
    /// The people waiting in the inbox, the most often seen first.
    pub fn new_people(&self) -> Result<Vec<NewPerson>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {PERSON_COLUMNS} FROM new_people WHERE state = 'pending'
             ORDER BY times DESC, last_seen DESC, id"
        ))?;
        let mut people: Vec<NewPerson> = stmt
            .query_map([], person_from_row)?
            .collect::<rusqlite::Result<_>>()?;
        for p in &mut people {
            p.likely = likely_contact(&self.conn, p)?;
        }
        Ok(people)
    }

    /// Makes a new person a contact and brings in the items held for them.
    pub fn add_new_person(&mut self, id: &str, now: DateTime<Utc>) -> Result<Contact> {
        let tx = self.write_tx()?;
        let person = pending_person(&tx, id)?;
        let name = if person.name.trim().is_empty() {
            person
                .handles
                .first()
                .map(|h| h.value.clone())
                .unwrap_or_else(|| "(no name)".into())
        } else {
            person.name.clone()
        };
        let draft = validate_draft(ContactDraft {
            name,
            handles: person.handles.clone(),
            met_where: person.seen_in.first().cloned().unwrap_or_default(),
            ..Default::default()
        })?;
        let key = new_key();
        insert_contact_tx(&tx, &key, &draft, now, now)?;
        let me = my_handles(&tx)?;
        bring_in_held_tx(&tx, &person.id, &me, now)?;
        let contact = load_contact(&tx, &key)?;
        tx.commit()?;
        Ok(contact)
    }

    /// Gives a new person's handles to the contact `contact_id` and brings in the items held
    /// for them.
    pub fn merge_new_person(
        &mut self,
        id: &str,
        contact_id: &str,
        now: DateTime<Utc>,
    ) -> Result<Contact> {
        let tx = self.write_tx()?;
        let person = pending_person(&tx, id)?;
        let row = contact_rowid(&tx, contact_id)?
            .ok_or_else(|| Error::not_found("contact", contact_id))?;
        let contact = load_contact(&tx, contact_id)?;
        let key = contact.id.clone();
        let mut draft = ContactDraft::from(contact);
        draft.handles.extend(person.handles.iter().cloned());
        let draft = validate_draft(draft)?;
        update_contact_tx(&tx, row, &draft, now)?;
        let me = my_handles(&tx)?;
        bring_in_held_tx(&tx, &person.id, &me, now)?;
        let contact = load_contact(&tx, &key)?;
        tx.commit()?;
        Ok(contact)
    }

    /// Drops a new person for good: the items held for them go, and later syncs never offer
    /// them again.
    pub fn ignore_new_person(&mut self, id: &str) -> Result<()> {
        let tx = self.write_tx()?;
        let person = pending_person(&tx, id)?;
        tx.execute("DELETE FROM held_items WHERE person_id = ?1", [&person.id])?;
        tx.execute(
            "UPDATE new_people SET state = 'ignored' WHERE id = ?1",
            [&person.id],
        )?;
        tx.commit()?;
        Ok(())
    }
}
