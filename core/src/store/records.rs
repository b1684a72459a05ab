//! Applying a batch of records (from the JSON archive or an importer) to the store.
//!
//! A batch goes in one transaction: all of it or none of it. Records are matched on their
//! key, so importing the same batch again changes nothing and a newer one only adds or
//! updates what differs.

use super::contacts::{
    insert_contact_tx, load_contact, rowid as contact_rowid, update_contact_tx, validate_draft,
};
use super::decisions::{write_decisions_tx, Decisions};
use super::events::write_event_tx;
use super::interactions::{load_interaction, write_interaction_tx};
use super::{clean_list, json_list, to_millis, Store};
use crate::domain::*;
use crate::error::{Error, Result};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Statement};
use serde::{Deserialize, Serialize};
use specta::Type;
use std::collections::{BTreeSet, HashMap, HashSet};

/// The tag on contacts known only by an account id, whose name is still to be found. (Writing
/// records merges it away once a name arrives; matching them leaves such contacts alone.)
pub const UNRESOLVED_TAG: &str = "unresolved";

pub use crate::domain::Records;

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
        let report = import_records_tx(&tx, records, source, now, &mut |_, _| true)?;
        tx.commit()?;
        Ok(report)
    }

    /// Stores a Kith archive's batch all-or-nothing, matching records by their Kith ids only
    /// (an id merged into another contact counts as that contact's): a record whose id is
    /// stored updates it, any other is added as it is, never merged into someone by a shared
    /// handle or name. An archive is a backup, and two people the user keeps apart may share
    /// an address. The user's `decisions` the archive carries (settings, suggestion
    /// decisions, pairs kept apart, merged ids) are restored in the same transaction. With
    /// `commit == false` the transaction is rolled back (a preview).
    pub fn import_by_id(
        &mut self,
        records: Records,
        decisions: &Decisions,
        source: &str,
        now: DateTime<Utc>,
        commit: bool,
        progress: WriteProgress<'_>,
    ) -> Result<ImportReport> {
        let tx = self.write_tx()?;
        let report = import_records_tx(&tx, records, source, now, progress)?;
        write_decisions_tx(&tx, decisions, source)?;
        if commit {
            tx.commit()?;
        } else {
            tx.rollback()?;
        }
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
        let report = import_records_tx(&tx, records, source, now, &mut |_, _| true)?;
        tx.rollback()?;
        Ok(report)
    }
}

/// Reports how many interactions of how many are written; returning `false` stops the
/// import, and the caller's transaction is rolled back.
pub type WriteProgress<'a> = &'a mut dyn FnMut(u64, u64) -> bool;

pub(crate) fn import_records_tx(
    conn: &Connection,
    records: Records,
    source: &str,
    now: DateTime<Utc>,
    progress: WriteProgress<'_>,
) -> Result<ImportReport> {
    // Before anything is written: one field over the limit refuses the whole batch.
    crate::text_limit::check_records(&records, source)?;
    let mut report = ImportReport::default();
    let mut contact_ids: HashMap<String, i64> = HashMap::new();
    // Contacts whose interactions changed, whose words are rewritten once at the end, and
    // the words of each contact's new interactions, added at the end.
    let mut touched: BTreeSet<i64> = BTreeSet::new();
    let mut new_words: HashMap<i64, String> = HashMap::new();

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

    // Interactions go in by the chunk: one multi-row INSERT for the new ones of each chunk,
    // then each row in file order is counted, linked to its people, or compared with the
    // stored one it repeats.
    let interactions = records.interactions;
    let mut links: Vec<Link> = Vec::new();
    // The participants' row ids of a chunk, one after the other, and where each row's end.
    let mut people: Vec<i64> = Vec::new();
    let mut here: HashSet<i64> = HashSet::new();
    let mut ends: Vec<usize> = Vec::with_capacity(INSERT_CHUNK);
    let total = interactions.len() as u64;
    for (c, chunk) in interactions.chunks(INSERT_CHUNK).enumerate() {
        if !progress((c * INSERT_CHUNK) as u64, total) {
            return Err(Error::Cancelled(format!(
                "{source}: import cancelled; nothing was imported"
            )));
        }
        people.clear();
        ends.clear();
        for (k, i) in chunk.iter().enumerate() {
            let n = c * INSERT_CHUNK + k;
            if i.contact_ids.is_empty() {
                return Err(Error::bad_import(
                    source,
                    format!("interactions[{n}] (id {:?})", i.id),
                    "an interaction needs at least one contact in contact_ids",
                ));
            }
            here.clear();
            for (j, key) in i.contact_ids.iter().enumerate() {
                let id = resolve(conn, key)?.ok_or_else(|| {
                    Error::bad_import(
                        source,
                        format!("interactions[{n}].contact_ids[{j}]"),
                        format!("no contact has the id {key:?}"),
                    )
                })?;
                if here.insert(id) {
                    people.push(id);
                }
            }
            ends.push(people.len());
        }
        let inserted = insert_new_interactions_tx(conn, chunk)?;
        for (k, (i, id)) in chunk.iter().zip(inserted).enumerate() {
            let who = &people[if k == 0 { 0 } else { ends[k - 1] }..ends[k]];
            if let Some(id) = id {
                let at = to_millis(i.occurred_at);
                for (pos, person) in who.iter().enumerate() {
                    links.push((id, *person, pos as i64, at, i.channel.as_str()));
                    let words = new_words.entry(*person).or_default();
                    if !words.is_empty() {
                        words.push(' ');
                    }
                    words.push_str(&super::contact_words::words_of(
                        &i.text,
                        &tags_json(&i.tags),
                    ));
                }
                report.interactions_added += 1;
                continue;
            }
            // The key was stored already, or came earlier in this batch (whose participants
            // must be stored before the two are compared).
            insert_links_tx(conn, &mut links, true)?;
            let old = load_interaction(conn, &i.id)?;
            if same_interaction(&old, i) {
                report.interactions_unchanged += 1;
                continue;
            }
            report.interactions_updated += 1;
            write_interaction_tx(
                conn,
                &i.id,
                &InteractionDraft::from(i.clone()),
                who,
                true,
                &mut touched,
            )?;
        }
        insert_links_tx(conn, &mut links, false)?;
    }
    insert_links_tx(conn, &mut links, true)?;
    // A rebuilt contact's words take in the new interactions too.
    super::contact_words::refresh(conn, &touched)?;
    new_words.retain(|c, _| !touched.contains(c));
    super::contact_words::append(conn, &new_words)?;
    progress(total, total);

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

/// New interactions are inserted this many to a statement. Every statement that fires the
/// full-text trigger opens a savepoint, and FTS5 writes its pending terms to disk at each
/// savepoint: one row a statement writes one tiny index segment per interaction, and a large
/// import then spends most of its time merging them. (Nine parameters a row stays far below
/// SQLite's limit of 32,766.)
const INSERT_CHUNK: usize = 500;

/// Participants are inserted up to this many to a statement (five parameters each).
const LINK_CHUNK: usize = 1000;

/// A participant row: interaction row id, contact row id, position, time, channel.
type Link = (i64, i64, i64, i64, &'static str);

/// Inserts the participant rows `links`, a chunk to a statement, and takes them out of it:
/// every one with `all`, else the full chunks only (the rest waits for more).
fn insert_links_tx(conn: &Connection, links: &mut Vec<Link>, all: bool) -> Result<()> {
    let upto = if all {
        links.len()
    } else {
        links.len() / LINK_CHUNK * LINK_CHUNK
    };
    for rows in links[..upto].chunks(LINK_CHUNK) {
        let sql = format!(
            "INSERT INTO interaction_contacts (interaction_id, contact_id, position, occurred_at,
                 channel)
             VALUES {}",
            vec!["(?, ?, ?, ?, ?)"; rows.len()].join(", ")
        );
        let (mut cached, mut once);
        let stmt: &mut Statement<'_> = if rows.len() == LINK_CHUNK {
            cached = conn.prepare_cached(&sql)?;
            &mut cached
        } else {
            once = conn.prepare(&sql)?;
            &mut once
        };
        for (n, (interaction, contact, position, at, channel)) in rows.iter().enumerate() {
            let p = n * 5;
            stmt.raw_bind_parameter(p + 1, interaction)?;
            stmt.raw_bind_parameter(p + 2, contact)?;
            stmt.raw_bind_parameter(p + 3, position)?;
            stmt.raw_bind_parameter(p + 4, at)?;
            stmt.raw_bind_parameter(p + 5, channel)?;
        }
        stmt.raw_execute()?;
    }
    links.drain(..upto);
    Ok(())
}

/// Inserts, in one statement, every interaction of `rows` whose key is not stored yet, the
/// first time the key occurs in `rows`. Returns the new row id of each row it inserted, in
/// the order of `rows`; `None` for a key stored before (or repeated), which the caller
/// compares with what is stored. Participants are the caller's to link.
fn insert_new_interactions_tx(conn: &Connection, rows: &[Interaction]) -> Result<Vec<Option<i64>>> {
    let mut ids = vec![None; rows.len()];
    if rows.is_empty() {
        return Ok(ids);
    }
    let values = vec!["(?, ?, ?, ?, ?, ?, ?, ?, ?)"; rows.len()].join(", ");
    let sql = format!(
        "INSERT INTO interactions (key, channel, direction, occurred_at, public, text, thread,
             tags, moment)
         VALUES {values}
         ON CONFLICT (key) DO NOTHING
         RETURNING key, id"
    );
    // The full-size statement is used over and over; the last, shorter one once.
    let (mut cached, mut once);
    let stmt: &mut Statement<'_> = if rows.len() == INSERT_CHUNK {
        cached = conn.prepare_cached(&sql)?;
        &mut cached
    } else {
        once = conn.prepare(&sql)?;
        &mut once
    };
    for (n, i) in rows.iter().enumerate() {
        let p = n * 9;
        // The same normalisation as `write_interaction_tx`.
        let thread = i.thread.as_deref().map(str::trim).filter(|t| !t.is_empty());
        stmt.raw_bind_parameter(p + 1, &i.id)?;
        stmt.raw_bind_parameter(p + 2, i.channel.as_str())?;
        stmt.raw_bind_parameter(p + 3, i.direction.as_str())?;
        stmt.raw_bind_parameter(p + 4, to_millis(i.occurred_at))?;
        stmt.raw_bind_parameter(p + 5, i.public)?;
        stmt.raw_bind_parameter(p + 6, &i.text)?;
        stmt.raw_bind_parameter(p + 7, thread)?;
        stmt.raw_bind_parameter(p + 8, tags_json(&i.tags))?;
        stmt.raw_bind_parameter(p + 9, i.moment.map(Moment::as_str))?;
    }
    // SQLite does not promise the order of RETURNING rows. They come in the order of the
    // rows as long as each matches the next row not yet matched; from the first that does
    // not, each key is looked up (its first occurrence: only that one can be inserted).
    let mut next = 0;
    let mut first: Option<HashMap<&str, usize>> = None;
    let mut returned = stmt.raw_query();
    while let Some(row) = returned.next()? {
        let key = row.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?;
        let n = match &mut first {
            None if rows.get(next).is_some_and(|i| i.id == key) => Some(next),
            _ => first
                .get_or_insert_with(|| {
                    let mut map = HashMap::with_capacity(rows.len());
                    for (n, i) in rows.iter().enumerate() {
                        map.entry(i.id.as_str()).or_insert(n);
                    }
                    map
                })
                .get(key)
                .copied(),
        };
        if let Some(n) = n {
            ids[n] = Some(row.get(1)?);
            next = n + 1;
        }
    }
    Ok(ids)
}

/// `json_list(&clean_list(tags))`, without copying the list when it is clean already (as
/// importers make it). A long list is cleaned in any case: checking it pair by pair would
/// cost its square.
fn tags_json(tags: &[String]) -> String {
    let clean = tags.len() <= 16
        && tags.iter().enumerate().all(|(n, t)| {
            !t.is_empty()
                && t.trim().len() == t.len()
                && !tags[..n].iter().any(|o| o.eq_ignore_ascii_case(t))
        });
    if clean {
        json_list(tags)
    } else {
        json_list(&clean_list(tags))
    }
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
        dates: super::dates::union_dates(&old.dates, new.dates),
    }
}

fn same_interaction(old: &Interaction, new: &Interaction) -> bool {
    let mut seen = HashSet::new();
    let mut new_people = Vec::new();
    for c in &new.contact_ids {
        if seen.insert(c) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 15, 9, 0, 0).unwrap()
    }

    fn interaction(key: &str, people: &[&str], text: &str) -> Interaction {
        Interaction {
            id: key.to_string(),
            contact_ids: people.iter().map(|p| p.to_string()).collect(),
            channel: Channel::Mastodon,
            direction: Direction::Outbound,
            occurred_at: Utc.with_ymd_and_hms(2025, 6, 1, 12, 0, 0).unwrap(),
            public: true,
            text: text.to_string(),
            thread: Some("  ".into()),
            tags: vec!["#a".into(), " #A ".into(), "#b".into()],
            moment: None,
        }
    }

    fn batch(interactions: Vec<Interaction>) -> Records {
        Records {
            contacts: ["ann", "bo"]
                .into_iter()
                .map(|k| crate::import::new_contact(k, &format!("{k} person"), now()))
                .collect(),
            interactions,
            events: Vec::new(),
        }
    }

    fn count(store: &Store, table: &str) -> i64 {
        store
            .connection()
            .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .unwrap()
    }

    #[test]
    fn a_batch_of_several_chunks_goes_in_whole_in_file_order_and_again_adds_nothing() {
        let n = INSERT_CHUNK * 2 + 7;
        let records = batch(
            (0..n)
                .map(|k| {
                    let people: &[&str] = if k % 2 == 0 {
                        &["bo", "ann", "bo"]
                    } else {
                        &["ann"]
                    };
                    interaction(&format!("i{k}"), people, &format!("note number{k}"))
                })
                .collect(),
        );
        let mut store = Store::open_in_memory().unwrap();
        let report = store
            .import_records(records.clone(), "batch.json", now())
            .unwrap();
        assert_eq!(report.contacts_added, 2);
        assert_eq!(report.interactions_added as usize, n);
        assert_eq!(count(&store, "interactions") as usize, n);
        assert_eq!(
            count(&store, "interaction_contacts") as usize,
            n + n.div_ceil(2)
        );

        // Stored as one at a time would store it: tags cleaned, blank thread dropped,
        // participants once each and in order.
        for k in [0, 1, INSERT_CHUNK - 1, INSERT_CHUNK, n - 1] {
            let got = store.interaction(&format!("i{k}")).unwrap();
            let mut want = records.interactions[k].clone();
            want.contact_ids = if k % 2 == 0 {
                vec!["bo".into(), "ann".into()]
            } else {
                vec!["ann".into()]
            };
            want.thread = None;
            want.tags = vec!["#a".into(), "#b".into()];
            assert_eq!(got, want);
        }
        // Row ids follow the file, so same-time interactions keep the file's order.
        let order: Vec<String> = store
            .all_interactions()
            .unwrap()
            .into_iter()
            .map(|i| i.id)
            .collect();
        assert_eq!(order, (0..n).map(|k| format!("i{k}")).collect::<Vec<_>>());
        // The full-text index has every row, the last chunk's too.
        for k in [0, n - 1] {
            let found = store.search(&format!("number{k}")).unwrap();
            assert_eq!(found.interactions.len(), 1, "number{k}");
            assert_eq!(found.interactions[0].interaction.id, format!("i{k}"));
        }

        let again = store.import_records(records, "batch.json", now()).unwrap();
        assert_eq!(again.interactions_added, 0);
        assert_eq!(again.interactions_unchanged as usize, n);
        assert_eq!(count(&store, "interactions") as usize, n);
        assert_eq!(
            count(&store, "interaction_contacts") as usize,
            n + n.div_ceil(2)
        );
    }

    #[test]
    fn a_key_repeated_in_a_batch_is_added_once_then_compared_with_what_was_added() {
        let mut store = Store::open_in_memory().unwrap();
        store
            .import_records(
                batch(vec![interaction("old", &["ann"], "stored")]),
                "a.json",
                now(),
            )
            .unwrap();

        let mut list = vec![
            interaction("old", &["ann"], "stored"),
            interaction("x", &["ann"], "first"),
            interaction("x", &["ann"], "first"),
            interaction("x", &["bo"], "second"),
            interaction("old", &["ann", "bo"], "changed"),
        ];
        // Past the first chunk: the same key again, changed, then unchanged.
        list.extend((0..INSERT_CHUNK).map(|k| interaction(&format!("f{k}"), &["bo"], "filler")));
        list.push(interaction("x", &["ann"], "third"));
        list.push(interaction("x", &["ann"], "third"));
        let report = store.import_records(batch(list), "b.json", now()).unwrap();
        assert_eq!(report.interactions_added as usize, 1 + INSERT_CHUNK);
        // "old" twice (stored, then changed), "x" three times after its first.
        assert_eq!(report.interactions_unchanged, 3);
        assert_eq!(report.interactions_updated, 3);
        let x = store.interaction("x").unwrap();
        assert_eq!(
            (x.text.as_str(), x.contact_ids.as_slice()),
            ("third", &["ann".to_string()][..])
        );
        let old = store.interaction("old").unwrap();
        assert_eq!(old.text, "changed");
        assert_eq!(old.contact_ids, ["ann", "bo"]);
        assert_eq!(count(&store, "interactions") as usize, 2 + INSERT_CHUNK);
        assert_eq!(
            count(&store, "interaction_contacts") as usize,
            3 + INSERT_CHUNK
        );
        assert_eq!(store.search("third").unwrap().interactions.len(), 1);
        assert!(store.search("second").unwrap().interactions.is_empty());
    }

    #[test]
    fn tags_are_cleaned_as_one_at_a_time_would_clean_them() {
        for tags in [
            vec![],
            vec!["#a", "#b"],
            vec!["#a", " #A ", "#b"],
            vec!["", "x"],
            vec![" x", "y"],
            vec!["Ä", "ä"],
            vec!["code4lib", "Code4Lib"],
        ] {
            let tags: Vec<String> = tags.into_iter().map(String::from).collect();
            assert_eq!(tags_json(&tags), json_list(&clean_list(&tags)), "{tags:?}");
        }
    }

    #[test]
    fn a_bad_interaction_in_a_later_chunk_is_named_and_nothing_is_stored() {
        let mut list: Vec<Interaction> = (0..INSERT_CHUNK + 3)
            .map(|k| interaction(&format!("i{k}"), &["ann"], "fine"))
            .collect();
        list[INSERT_CHUNK + 1].contact_ids.push("nobody".into());
        let mut store = Store::open_in_memory().unwrap();
        let err = store
            .import_records(batch(list), "late.json", now())
            .unwrap_err()
            .to_string();
        let place = format!("interactions[{}].contact_ids[1]", INSERT_CHUNK + 1);
        assert!(err.contains("late.json") && err.contains(&place), "{err}");
        assert_eq!(count(&store, "contacts"), 0);
        assert_eq!(count(&store, "interactions"), 0);
    }
}
