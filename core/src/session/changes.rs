//! What each write changed, as SQLite saw it.
//!
//! TEMP triggers on the writer's connection note every row a write inserts, updates or deletes
//! (foreign-key cascades included) in a TEMP table, inside the write's own transaction, so a
//! rollback takes the notes back with the rows. After each job the session reads the notes,
//! turns them into one [`StoreChange`] naming what changed by id, and clears them. A write
//! method cannot forget to say what it changed: the database says it.
//!
//! Another program's commit (the command line on the same file) is noticed by
//! `PRAGMA data_version` and read from the store's own change log (`change_log`, written by
//! the schema's triggers whoever writes): the contacts, interactions and events it names are
//! announced by key. Suggestions and settings are not in that log and are announced as changed.
//! [`StoreChange::everything`] is left for what the log cannot name: a row deleted since (its
//! key is gone with it), a log trimmed past the last entry seen, or more than [`MAX_LISTED`]
//! rows of a kind.

use crate::store::Store;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use specta::Type;
use std::collections::BTreeSet;

/// What one write (or several, run back to back) changed, by the ids the UI knows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct StoreChange {
    /// Contacts added, edited or deleted, or whose handles, roles, dates, interactions or
    /// events changed: anything a contact's row in the list or its page shows.
    pub contacts: Vec<String>,
    /// Interactions added, edited or deleted.
    pub interactions: Vec<String>,
    /// Events added, edited or deleted, or whose attendees changed.
    pub events: Vec<String>,
    /// Whether a suggestion was dismissed, snoozed, accepted or done.
    pub suggestions: bool,
    /// Whether a setting changed.
    pub settings: bool,
    /// Whether anything may have changed: another program committed, a backup was restored,
    /// or a write changed more rows than are worth listing (an import). The lists above are
    /// then not all there is.
    pub everything: bool,
}

impl StoreChange {
    pub fn is_empty(&self) -> bool {
        *self == StoreChange::default()
    }

    /// Adds what `other` changed: the two together, as one change.
    pub fn merge(&mut self, other: &StoreChange) {
        fn union(into: &mut Vec<String>, more: &[String]) {
            let all: BTreeSet<String> = into.drain(..).chain(more.iter().cloned()).collect();
            into.extend(all);
        }
        union(&mut self.contacts, &other.contacts);
        union(&mut self.interactions, &other.interactions);
        union(&mut self.events, &other.events);
        self.suggestions |= other.suggestions;
        self.settings |= other.settings;
        self.everything |= other.everything;
    }
}

/// The most ids of one kind a change lists; past that it says [`StoreChange::everything`]: a
/// window told of 250,000 new interactions one by one would read them all again anyway.
pub const MAX_LISTED: usize = 1_000;

/// The notes and the triggers that write them. Each trigger names the entity a row belongs
/// to, the entity's row id and, where the row is the entity itself, its key (a deleted
/// row's key cannot be looked up afterwards).
const INSTALL: &str = r#"
CREATE TEMP TABLE IF NOT EXISTS kith_changed (
    entity TEXT NOT NULL,
    row    INTEGER NOT NULL,
    key    TEXT
);
"#;

/// Tables whose rows are an entity itself: (table, entity). Their notes carry the row's key,
/// since a deleted row's key cannot be looked up afterwards.
const ENTITIES: [(&str, &str); 3] = [
    ("contacts", "contact"),
    ("interactions", "interaction"),
    ("events", "event"),
];

/// Tables whose rows belong to a contact through `contact_id`.
const CONTACT_PARTS: [&str; 4] = ["handles", "roles", "contact_dates", "contact_aliases"];

/// Tables that join two entities: (table, entity, its column, other entity, its column).
const JOINS: [(&str, &str, &str, &str, &str); 2] = [
    (
        "interaction_contacts",
        "interaction",
        "interaction_id",
        "contact",
        "contact_id",
    ),
    (
        "event_attendees",
        "event",
        "event_id",
        "contact",
        "contact_id",
    ),
];

/// Tables whose change is announced as a whole: (table, entity).
const WHOLE: [(&str, &str); 2] = [
    ("suggestion_states", "suggestions"),
    ("settings", "settings"),
];

/// Installs the notes and triggers on `conn` (the writer's). They live in the connection's
/// TEMP schema: nothing is written to the store's file.
pub(super) fn install(conn: &Connection) -> rusqlite::Result<()> {
    let mut sql = String::from(INSTALL);
    let mut trigger = |table: &str, event: &str, values: String| {
        sql.push_str(&format!(
            "CREATE TEMP TRIGGER IF NOT EXISTS kith_changed_{table}_{ev} AFTER {event} ON main.{table}\nBEGIN INSERT INTO kith_changed VALUES {values}; END;\n",
            ev = event.to_lowercase(),
        ));
    };
    for (table, entity) in ENTITIES {
        for (event, row) in [("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")] {
            trigger(table, event, format!("('{entity}', {row}.id, {row}.key)"));
        }
    }
    for table in CONTACT_PARTS {
        for (event, row) in [("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")] {
            trigger(table, event, format!("('contact', {row}.contact_id, NULL)"));
        }
    }
    for (table, a, a_col, b, b_col) in JOINS {
        for (event, row) in [("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")] {
            trigger(
                table,
                event,
                format!("('{a}', {row}.{a_col}, NULL), ('{b}', {row}.{b_col}, NULL)"),
            );
        }
    }
    for (table, entity) in WHOLE {
        for event in ["INSERT", "UPDATE", "DELETE"] {
            trigger(table, event, format!("('{entity}', 0, NULL)"));
        }
    }
    conn.execute_batch(&sql)
}

/// Reads and clears the notes: what the writes since the last call changed. Run between
/// jobs, outside any transaction.
pub(super) fn take(store: &Store) -> rusqlite::Result<StoreChange> {
    let conn = store.connection();
    let mut change = StoreChange::default();
    {
        let mut whole =
            conn.prepare("SELECT DISTINCT entity FROM temp.kith_changed WHERE row = 0")?;
        for entity in whole.query_map([], |r| r.get::<_, String>(0))? {
            match entity?.as_str() {
                "suggestions" => change.suggestions = true,
                "settings" => change.settings = true,
                _ => {}
            }
        }
    }
    for (entity, table, into) in [
        ("contact", "contacts", &mut change.contacts),
        ("interaction", "interactions", &mut change.interactions),
        ("event", "events", &mut change.events),
    ] {
        // A row's key as the trigger saw it, or else as the table holds it now; a row gone
        // without its own note (never happens: a delete notes its key) is left out.
        let mut stmt = conn.prepare(&format!(
            "SELECT coalesce(max(c.key), (SELECT t.key FROM main.{table} t WHERE t.id = c.row))
             FROM temp.kith_changed c WHERE c.entity = ?1 AND c.row <> 0 GROUP BY c.row"
        ))?;
        let keys: BTreeSet<String> = stmt
            .query_map([entity], |r| r.get::<_, Option<String>>(0))?
            .filter_map(|k| k.transpose())
            .collect::<rusqlite::Result<_>>()?;
        if keys.len() > MAX_LISTED {
            change.everything = true;
        } else {
            into.extend(keys);
        }
    }
    conn.execute("DELETE FROM temp.kith_changed", [])?;
    Ok(change)
}

/// The newest entry of the store's change log (0 when it is empty).
pub(super) fn last_logged(store: &Store) -> rusqlite::Result<i64> {
    store
        .connection()
        .query_row("SELECT coalesce(max(seq), 0) FROM change_log", [], |r| {
            r.get(0)
        })
}

/// What the change log says changed after entry `seen`: another program's commits, read by
/// key. Returns the newest entry with it.
pub(super) fn logged_since(store: &Store, seen: i64) -> rusqlite::Result<(i64, StoreChange)> {
    let conn = store.connection();
    let mut change = StoreChange {
        // Not in the log: small, and read again whole.
        suggestions: true,
        settings: true,
        ..StoreChange::default()
    };
    let first: Option<i64> = conn.query_row("SELECT min(seq) FROM change_log", [], |r| r.get(0))?;
    let last = last_logged(store)?;
    // Entries after `seen` were trimmed, or the log is another file's.
    if last < seen || first.is_some_and(|first| first > seen + 1) {
        change.everything = true;
        return Ok((last, change));
    }
    let mut stmt = conn.prepare(
        "SELECT l.kind,
                CASE l.kind
                    WHEN 1 THEN (SELECT key FROM main.contacts WHERE id = l.row_id)
                    WHEN 2 THEN (SELECT key FROM main.interactions WHERE id = l.row_id)
                    WHEN 3 THEN (SELECT key FROM main.contacts WHERE id = l.row_id)
                    WHEN 4 THEN (SELECT key FROM main.events WHERE id = l.row_id)
                END,
                CASE l.kind WHEN 3 THEN (SELECT key FROM main.interactions WHERE id = l.other_id) END
         FROM change_log l WHERE l.seq > ?1 AND l.seq <= ?2",
    )?;
    let mut rows = stmt.query([seen, last])?;
    let (mut contacts, mut interactions, mut events) =
        (BTreeSet::new(), BTreeSet::new(), BTreeSet::new());
    while let Some(r) = rows.next()? {
        let kind: i64 = r.get(0)?;
        let key: Option<String> = r.get(1)?;
        let other: Option<String> = r.get(2)?;
        match (kind, key, other) {
            (1, Some(k), _) => {
                contacts.insert(k);
            }
            (2, Some(k), _) => {
                interactions.insert(k);
            }
            (3, Some(k), Some(i)) => {
                contacts.insert(k);
                interactions.insert(i);
            }
            (4, Some(k), _) => {
                events.insert(k);
            }
            // A row deleted since, whose key went with it, or a kind this build does not know.
            _ => {
                change.everything = true;
                return Ok((last, change));
            }
        }
    }
    for (keys, into) in [
        (contacts, &mut change.contacts),
        (interactions, &mut change.interactions),
        (events, &mut change.events),
    ] {
        if keys.len() > MAX_LISTED {
            change.everything = true;
        } else {
            into.extend(keys);
        }
    }
    Ok((last, change))
}
