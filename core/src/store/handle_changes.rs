//! Contacts' accounts that moved servers or changed name, as syncs saw it: written when a
//! sync gives a contact their new handle, read for the contact page.

use super::{decode_time, Place};
use crate::domain::{HandleChange, Platform};
use crate::error::Result;
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection};

/// Records that the contact `contact_id` is now `new` where they were `old`.
pub(crate) fn record_tx(
    conn: &Connection,
    contact_id: i64,
    platform: Platform,
    old: &str,
    new: &str,
    seen_at: DateTime<Utc>,
    seen_by: &str,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO handle_changes (contact_id, platform, old_value, new_value, seen_at, seen_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        contact_id,
        platform.as_str(),
        old,
        new,
        seen_at.to_rfc3339(),
        seen_by
    ])?;
    Ok(())
}

/// The changes seen for the contact `contact_id`, oldest first.
pub(crate) fn of_contact(conn: &Connection, contact_id: i64) -> Result<Vec<HandleChange>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, platform, old_value, new_value, seen_at, seen_by FROM handle_changes
         WHERE contact_id = ?1 ORDER BY seen_at, id",
    )?;
    let rows = stmt.query_map([contact_id], |r| {
        let id: i64 = r.get(0)?;
        let row = id.to_string();
        let place = |column| Place {
            table: "handle_changes",
            row: &row,
            column,
        };
        let platform: String = r.get(1)?;
        let platform: Platform = platform
            .parse()
            .map_err(|_| place("platform").damaged(platform.clone(), "a platform"))?;
        let seen_at: String = r.get(4)?;
        Ok(HandleChange {
            platform,
            old_value: r.get(2)?,
            new_value: r.get(3)?,
            seen_at: decode_time(place("seen_at"), &seen_at)?,
            seen_by: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
