//! Applying a batch of records (from the JSON archive or an importer) to the store.
//!
//! A batch goes in one transaction: all of it or none of it. Records are matched on their
//! key, so importing the same batch again changes nothing and a newer one only adds or
//! updates what differs.

use super::contacts::{
    insert_contact_tx, load_contact, rowid as contact_rowid, update_contact_tx, validate_draft,
};
use super::events::write_event_tx;
use super::interactions::{load_interaction, write_interaction_tx};
use super::matching::UNRESOLVED_TAG;
use super::Store;
use crate::domain::*;
use crate::error::{Error, Result};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use specta::Type;
use std::collections::HashMap;

/// Records ready to be stored, with their keys.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Records {
    pub contacts: Vec<Contact>,
    pub interactions: Vec<Interaction>,
    pub events: Vec<Event>,
}

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct ImportReport {
    pub contacts_added: u32,
    pub contacts_updated: u32,
    pub contacts_unchanged: u32,
    pub interactions_added: u32,
    pub interactions_updated: u32,
    pub interactions_unchanged: u32,
    pub events_added: u32,
    pub events_updated: u32,
    pub events_unchanged: u32,
}

impl ImportReport {
    /// One line for people: "12 contacts added, 3 updated; 240 interactions added; …".
    pub fn summary(&self) -> String {
        let part = |what: &str, added: u32, updated: u32, unchanged: u32| {
            let mut bits = vec![format!("{added} {what} added")];
            if updated > 0 {
                bits.push(format!("{updated} updated"));
            }
            if unchanged > 0 {
                bits.push(format!("{unchanged} unchanged"));
            }
            bits.join(", ")
        };
        [
            part(
                "contacts",
                self.contacts_added,
                self.contacts_updated,
                self.contacts_unchanged,
            ),
            part(
                "interactions",
                self.interactions_added,
                self.interactions_updated,
                self.interactions_unchanged,
            ),
            part(
                "events",
                self.events_added,
                self.events_updated,
                self.events_unchanged,
            ),
        ]
        .join("; ")
    }
}

impl Store {
    /// Stores a batch all-or-nothing. `source` names the file in error messages.
    pub fn import_records(
        &mut self,
        records: Records,
        source: &str,
        now: DateTime<Utc>,
    ) -> Result<ImportReport> {
        let tx = self.write_tx()?;
        let report = import_records_tx(&tx, records, source, now)?;
        tx.commit()?;
        Ok(report)
    }

    /// What `import_records` would do, without doing it: the same work in a transaction
    /// that is rolled back, so the counts are exactly those of a real import.
    pub fn preview_records(
        &mut self,
        records: Records,
        source: &str,
        now: DateTime<Utc>,
    ) -> Result<ImportReport> {
        let tx = self.write_tx()?;
        let report = import_records_tx(&tx, records, source, now)?;
        tx.rollback()?;
        Ok(report)
    }
}

pub(crate) fn import_records_tx(
    conn: &Connection,
    records: Records,
    source: &str,
    now: DateTime<Utc>,
) -> Result<ImportReport> {
    let mut report = ImportReport::default();
    let mut contact_ids: HashMap<String, i64> = HashMap::new();

    for (n, incoming) in records.contacts.into_iter().enumerate() {
        let key = incoming.id.clone();
        let place = || format!("contacts[{n}] (id {key:?})");
        let existing = match contact_rowid(conn, &key)? {
            Some(id) => Some((id, load_contact(conn, &key)?)),
            None => None,
        };
        let created = incoming.created_at;
        let updated_at = incoming.updated_at;
        let draft = match &existing {
            Some((_, old)) => merge_contact(old, incoming),
            None => ContactDraft::from(incoming),
        };
        let draft =
            validate_draft(draft).map_err(|e| Error::bad_import(source, place(), e.to_string()))?;
        match existing {
            Some((id, old)) => {
                if ContactDraft::from(old) == draft {
                    report.contacts_unchanged += 1;
                } else {
                    update_contact_tx(conn, id, &draft, now)?;
                    report.contacts_updated += 1;
                }
                contact_ids.insert(key, id);
            }
            None => {
                let id = insert_contact_tx(conn, &key, &draft, created, updated_at)?;
                report.contacts_added += 1;
                contact_ids.insert(key, id);
            }
        }
    }

    let mut resolve = |conn: &Connection, key: &str| -> Result<Option<i64>> {
        if let Some(id) = contact_ids.get(key) {
            return Ok(Some(*id));
        }
        let found = contact_rowid(conn, key)?;
        if let Some(id) = found {
            contact_ids.insert(key.to_string(), id);
        }
        Ok(found)
    };

    for (n, i) in records.interactions.into_iter().enumerate() {
        let mut people = Vec::with_capacity(i.contact_ids.len());
        if i.contact_ids.is_empty() {
            return Err(Error::bad_import(
                source,
                format!("interactions[{n}] (id {:?})", i.id),
                "an interaction needs at least one contact in contact_ids",
            ));
        }
        for (j, c) in i.contact_ids.iter().enumerate() {
            let id = resolve(conn, c)?.ok_or_else(|| {
                Error::bad_import(
                    source,
                    format!("interactions[{n}].contact_ids[{j}]"),
                    format!("no contact has the id {c:?}"),
                )
            })?;
            if !people.contains(&id) {
                people.push(id);
            }
        }
        let exists: Option<i64> = conn
            .prepare_cached("SELECT id FROM interactions WHERE key = ?1")?
            .query_row([&i.id], |r| r.get(0))
            .optional()?;
        if exists.is_some() {
            let old = load_interaction(conn, &i.id)?;
            if same_interaction(&old, &i) {
                report.interactions_unchanged += 1;
                continue;
            }
            report.interactions_updated += 1;
        } else {
            report.interactions_added += 1;
        }
        let key = i.id.clone();
        write_interaction_tx(conn, &key, &InteractionDraft::from(i), &people, false)?;
    }

    for (n, e) in records.events.into_iter().enumerate() {
        let old = conn
            .query_row("SELECT 1 FROM events WHERE key = ?1", [&e.id], |_| Ok(()))
            .optional()?;
        for (j, a) in e.attendee_ids.iter().enumerate() {
            if resolve(conn, a)?.is_none() {
                return Err(Error::bad_import(
                    source,
                    format!("events[{n}].attendee_ids[{j}]"),
                    format!("no contact has the id {a:?}"),
                ));
            }
        }
        if old.is_some() {
            let stored = super::events::load_event_in(conn, &e.id)?;
            if same_event(&stored, &e) {
                report.events_unchanged += 1;
                continue;
            }
            report.events_updated += 1;
        } else {
            report.events_added += 1;
        }
        let key = e.id.clone();
        write_event_tx(conn, &key, &EventDraft::from(e))
            .map_err(|err| Error::bad_import(source, format!("events[{n}]"), err.to_string()))?;
    }
    Ok(report)
}

/// What a contact becomes when a batch brings news of them: what the batch says wins, what
/// it leaves empty keeps the stored value, and lists grow rather than shrink.
fn merge_contact(old: &Contact, new: Contact) -> ContactDraft {
    let pick = |new: String, old: &str| {
        if new.trim().is_empty() {
            old.to_string()
        } else {
            new
        }
    };
    let union = |old: &[String], new: Vec<String>| {
        let mut all = old.to_vec();
        all.extend(new);
        all
    };
    let mut handles = old.handles.clone();
    handles.extend(new.handles);
    // A record that knows only an account id never renames someone already known, and a
    // record that knows the name resolves a contact that was waiting for one.
    let incoming_unresolved = new.tags.iter().any(|t| t == UNRESOLVED_TAG);
    let name = if incoming_unresolved {
        old.name.clone()
    } else {
        pick(new.name, &old.name)
    };
    let mut tags = union(&old.tags, new.tags);
    if !incoming_unresolved {
        tags.retain(|t| t != UNRESOLVED_TAG);
    }
    let mut roles = old.roles.clone();
    for r in new.roles {
        match roles.iter_mut().find(|o| o.kind == r.kind) {
            Some(o) => *o = r,
            None => roles.push(r),
        }
    }
    ContactDraft {
        id: Some(old.id.clone()),
        name,
        handles,
        organisation: pick(new.organisation, &old.organisation),
        location: pick(new.location, &old.location),
        met_where: pick(new.met_where, &old.met_where),
        met_on: new.met_on.or(old.met_on),
        met_through: pick(new.met_through, &old.met_through),
        notes: pick(new.notes, &old.notes),
        private_notes: pick(new.private_notes, &old.private_notes),
        tags,
        expertise: union(&old.expertise, new.expertise),
        roles,
        cadence_days: new.cadence_days.or(old.cadence_days),
    }
}

fn same_interaction(old: &Interaction, new: &Interaction) -> bool {
    let mut new_people = Vec::new();
    for c in &new.contact_ids {
        if !new_people.contains(c) {
            new_people.push(c.clone());
        }
    }
    let clean_tags = super::clean_list(&new.tags);
    old.contact_ids == new_people
        && old.channel == new.channel
        && old.direction == new.direction
        && old.occurred_at.timestamp_millis() == new.occurred_at.timestamp_millis()
        && old.public == new.public
        && old.text == new.text
        && old.thread.as_deref()
            == new
                .thread
                .as_deref()
                .map(str::trim)
                .filter(|t| !t.is_empty())
        && old.tags == clean_tags
        && old.moment == new.moment
}

fn same_event(old: &Event, new: &Event) -> bool {
    let norm = |e: &Event| {
        let mut e = e.clone();
        e.name = e.name.trim().to_string();
        e.location = e.location.trim().to_string();
        e.hashtags = super::clean_list(&e.hashtags);
        e.attendee_ids.sort();
        e.attendee_ids.dedup();
        e
    };
    norm(old) == norm(new)
}
