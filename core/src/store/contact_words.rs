//! The words of each contact's interactions: one full-text document per contact (see schema
//! version 4), so the contacts list can find who talked about something without joining
//! every matching interaction to its participants.
//!
//! Every write that adds, changes, moves or removes an interaction rewrites the documents of
//! the contacts it touched, inside the same transaction: a document is rebuilt whole from the
//! stored interactions, so it can never drift from them.

use crate::error::Result;
use rusqlite::Connection;
use std::collections::BTreeSet;

/// Rebuilds the documents of `contacts` from their stored interactions. A contact without
/// interactions (or no longer stored) is left without a document.
pub(crate) fn refresh(conn: &Connection, contacts: &BTreeSet<i64>) -> Result<()> {
    let mut forget = conn.prepare_cached("DELETE FROM contact_words WHERE rowid = ?1")?;
    let mut write = conn.prepare_cached(
        "INSERT INTO contact_words (rowid, words)
         SELECT ?1, group_concat(i.text || ' ' || i.tags, ' ')
         FROM interaction_contacts ic JOIN interactions i ON i.id = ic.interaction_id
         WHERE ic.contact_id = ?1
         HAVING count(*) > 0",
    )?;
    for &id in contacts {
        forget.execute([id])?;
        write.execute([id])?;
    }
    Ok(())
}

/// The contacts taking part in an interaction.
pub(crate) fn participants(conn: &Connection, interaction: i64) -> Result<Vec<i64>> {
    let mut stmt = conn
        .prepare_cached("SELECT contact_id FROM interaction_contacts WHERE interaction_id = ?1")?;
    let rows = stmt.query_map([interaction], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Drops a contact's document (the contact is being deleted or merged away).
pub(crate) fn forget(conn: &Connection, contact: i64) -> Result<()> {
    conn.prepare_cached("DELETE FROM contact_words WHERE rowid = ?1")?
        .execute([contact])?;
    Ok(())
}
