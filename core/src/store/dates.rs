//! A contact's important dates (`contact_dates`): birthdays, anniversaries, other days.

use std::collections::HashMap;

use rusqlite::{params, Connection, Row};

use crate::domain::{DateKind, ImportantDate};
use crate::error::{Error, Result};

/// The dates of the contact at row `id`, in the order they were given.
pub(crate) fn dates_of(conn: &Connection, id: i64) -> Result<Vec<ImportantDate>> {
    let mut stmt = conn.prepare_cached(
        "SELECT kind, label, month, day, year FROM contact_dates WHERE contact_id = ?1
         ORDER BY position",
    )?;
    let rows = stmt.query_map([id], date_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every contact's dates, by row id.
pub(crate) fn all_dates(conn: &Connection) -> Result<HashMap<i64, Vec<ImportantDate>>> {
    let mut stmt = conn.prepare(
        "SELECT kind, label, month, day, year, contact_id FROM contact_dates
         ORDER BY contact_id, position",
    )?;
    let mut out: HashMap<i64, Vec<ImportantDate>> = HashMap::new();
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let id: i64 = row.get(5)?;
        out.entry(id).or_default().push(date_from_row(row)?);
    }
    Ok(out)
}

fn date_from_row(r: &Row<'_>) -> rusqlite::Result<ImportantDate> {
    let kind: String = r.get(0)?;
    Ok(ImportantDate {
        kind: kind.parse().unwrap_or(DateKind::Other),
        label: r.get(1)?,
        month: r.get(2)?,
        day: r.get(3)?,
        year: r.get(4)?,
    })
}

/// Replaces the dates of the contact at row `id`.
pub(crate) fn write_dates_tx(conn: &Connection, id: i64, dates: &[ImportantDate]) -> Result<()> {
    conn.prepare_cached("DELETE FROM contact_dates WHERE contact_id = ?1")?
        .execute([id])?;
    let mut add = conn.prepare_cached(
        "INSERT INTO contact_dates (contact_id, position, kind, label, month, day, year)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    for (pos, d) in dates.iter().enumerate() {
        add.execute(params![
            id,
            pos as i64,
            d.kind.as_str(),
            d.label,
            d.month,
            d.day,
            d.year
        ])?;
    }
    Ok(())
}

/// Checks the dates a user typed or a file gave: each must exist; the same date twice is kept
/// once.
pub(crate) fn clean_dates(dates: Vec<ImportantDate>) -> Result<Vec<ImportantDate>> {
    let mut out: Vec<ImportantDate> = Vec::new();
    for mut d in dates {
        d.label = d.label.trim().to_string();
        if !d.is_valid() {
            return Err(Error::invalid(format!(
                "{} {} is not a date",
                d.kind.label(),
                d.iso()
            )));
        }
        if !out.contains(&d) {
            out.push(d);
        }
    }
    Ok(out)
}

/// `old` with the dates of `new` it does not have yet (the same kind on the same day counts as
/// had).
pub(crate) fn union_dates(old: &[ImportantDate], new: Vec<ImportantDate>) -> Vec<ImportantDate> {
    let mut out = old.to_vec();
    for d in new {
        if !out
            .iter()
            .any(|o| o.kind == d.kind && o.month == d.month && o.day == d.day)
        {
            out.push(d);
        }
    }
    out
}
