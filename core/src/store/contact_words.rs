//! The words of each contact's interactions, in full-text documents of their own (see schema
//! version 4), so the contacts list can find who talked about something without joining
//! every matching interaction to its participants.
//!
//! A contact's words are kept in up to [`MAX_DOCS`] documents, document `n` of contact `c`
//! at row id `c * SLOTS + n`, and `contact_word_docs` counts them. A new interaction adds a
//! document with its own words to each participant, so logging one costs the same however
//! long the history is. Anything else that changes which words a contact has (an edited or
//! deleted interaction, a merge) rebuilds the contact's words into one document from the
//! stored interactions, as does a contact's document count reaching [`MAX_DOCS`]. All of it
//! runs inside the writer's transaction, so the words never drift from the interactions.
//!
//! A query asks for each typed word on its own and keeps the contacts found for every word,
//! so how the words are split across documents changes nothing.

use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::{BTreeSet, HashMap};

/// Row ids per contact: document `n` of contact `c` is row `c * SLOTS + n`.
pub(crate) const SLOTS: i64 = 1024;

/// A contact with this many documents has them rebuilt into one.
const MAX_DOCS: i64 = 64;

/// How many documents `contact` has.
fn docs(conn: &Connection, contact: i64) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT docs FROM contact_word_docs WHERE contact_id = ?1")?
        .query_row([contact], |r| r.get(0))
        .optional()?
        .unwrap_or(0))
}

/// Drops every document of `contact` (the contact is deleted, merged away or rebuilt).
pub(crate) fn forget(conn: &Connection, contact: i64) -> Result<()> {
    let mut delete = conn.prepare_cached("DELETE FROM contact_words WHERE rowid = ?1")?;
    for n in 0..docs(conn, contact)? {
        delete.execute([contact * SLOTS + n])?;
    }
    conn.prepare_cached("DELETE FROM contact_word_docs WHERE contact_id = ?1")?
        .execute([contact])?;
    Ok(())
}

/// Rebuilds the words of `contacts` into one document each, from their stored interactions.
/// A contact without interactions (or no longer stored) is left without one.
pub(crate) fn refresh(conn: &Connection, contacts: &BTreeSet<i64>) -> Result<()> {
    let mut write = conn.prepare_cached(
        "INSERT INTO contact_words (rowid, words)
         SELECT ?1 * ?2, group_concat(i.text || ' ' || i.tags, ' ')
         FROM interaction_contacts ic JOIN interactions i ON i.id = ic.interaction_id
         WHERE ic.contact_id = ?1
         HAVING count(*) > 0",
    )?;
    let mut count = conn.prepare_cached(
        "INSERT INTO contact_word_docs (contact_id, docs) SELECT ?1, 1
         WHERE EXISTS (SELECT 1 FROM contacts WHERE id = ?1)",
    )?;
    for &id in contacts {
        forget(conn, id)?;
        if write.execute(params![id, SLOTS])? > 0 {
            count.execute([id])?;
        }
    }
    Ok(())
}

/// Adds `words` (new interactions' text and tags) to each contact's words, as a document of
/// their own; a contact with [`MAX_DOCS`] documents has them rebuilt instead, which takes in
/// the new interactions too, since they are stored by then.
pub(crate) fn append(conn: &Connection, words: &HashMap<i64, String>) -> Result<()> {
    let mut rebuild = BTreeSet::new();
    let mut write =
        conn.prepare_cached("INSERT INTO contact_words (rowid, words) VALUES (?1, ?2)")?;
    let mut count = conn.prepare_cached(
        "INSERT INTO contact_word_docs (contact_id, docs) VALUES (?1, 1)
         ON CONFLICT (contact_id) DO UPDATE SET docs = docs + 1",
    )?;
    for (&contact, text) in words {
        let n = docs(conn, contact)?;
        if n + 1 >= MAX_DOCS {
            rebuild.insert(contact);
            continue;
        }
        write.execute(params![contact * SLOTS + n, text])?;
        count.execute([contact])?;
    }
    refresh(conn, &rebuild)
}

/// The words of one interaction as its document holds them.
pub(crate) fn words_of(text: &str, tags_json: &str) -> String {
    format!("{text} {tags_json}")
}

/// The contacts taking part in an interaction.
pub(crate) fn participants(conn: &Connection, interaction: i64) -> Result<Vec<i64>> {
    let mut stmt = conn
        .prepare_cached("SELECT contact_id FROM interaction_contacts WHERE interaction_id = ?1")?;
    let rows = stmt.query_map([interaction], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    use super::MAX_DOCS;
    use crate::domain::*;
    use crate::store::tests::{at, contact};
    use crate::Store;

    #[test]
    fn a_long_history_is_gathered_into_one_document_and_still_found() {
        let mut store = Store::open_in_memory().unwrap();
        let ana = contact(&mut store, "Ana Lima");
        let n = MAX_DOCS as u32 + 6;
        for k in 0..n {
            store
                .save_interaction(InteractionDraft {
                    id: None,
                    contact_ids: vec![ana.id.clone()],
                    channel: Channel::Email,
                    direction: Direction::Inbound,
                    occurred_at: at(2025, 1, 1, 0) + chrono::Duration::hours(k.into()),
                    public: None,
                    text: format!("word{k}"),
                    thread: None,
                    tags: vec![],
                    moment: None,
                })
                .unwrap();
        }
        let docs: i64 = store
            .connection()
            .query_row("SELECT docs FROM contact_word_docs", [], |r| r.get(0))
            .unwrap();
        assert!((1..MAX_DOCS).contains(&docs), "{docs} documents");
        for k in [0, MAX_DOCS as u32 - 1, n - 1] {
            let found = store
                .list_contacts(&ContactFilter {
                    query: Some(format!("word{k}")),
                    ..ContactFilter::default()
                })
                .unwrap();
            assert_eq!(found.len(), 1, "word{k}");
        }
    }
}
