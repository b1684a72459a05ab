//! What the user decided that is not a record: their settings, what they did with suggestions
//! (dismissed, snoozed, accepted), the pairs they keep apart in Duplicates and the ids of the
//! contacts they merged into others. The archive carries all of it, so a restore gives back
//! the user's decisions as well as their network.

use super::contacts::rowid as contact_rowid;
use super::review::{pair_key, NOT_DUPLICATES};
use super::Store;
use crate::error::{Error, Result};
use crate::suggest::StateKind;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::Value;

/// The user's decisions, as a store holds them and an archive carries them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Decisions {
    /// Settings by name, as JSON values, in name order. The kept-apart pairs are not among
    /// them: they are `kept_apart`.
    pub settings: Vec<(String, Value)>,
    /// What the user did with suggestions, in suggestion id order.
    pub suggestions: Vec<SuggestionDecision>,
    /// Pairs of contact ids the user said are different people, each in id order, in the
    /// order they were decided.
    pub kept_apart: Vec<(String, String)>,
    /// The id of each contact merged into another, and the id of the one it was merged
    /// into, in merged id order.
    pub merged_ids: Vec<(String, String)>,
}

impl Decisions {
    pub fn is_empty(&self) -> bool {
        self.settings.is_empty()
            && self.suggestions.is_empty()
            && self.kept_apart.is_empty()
            && self.merged_ids.is_empty()
    }
}

/// A decision about one suggestion.
#[derive(Debug, Clone, PartialEq)]
pub struct SuggestionDecision {
    pub suggestion_id: String,
    pub state: StateKind,
    /// Until when it is snoozed.
    pub until: Option<DateTime<Utc>>,
    /// The plan, for an accepted suggestion.
    pub note: String,
    /// Who an accepted suggestion was about.
    pub contact_id: Option<String>,
    /// What to do, for an accepted suggestion.
    pub summary: String,
    /// When to have done an accepted plan.
    pub due_on: Option<NaiveDate>,
    pub updated_at: DateTime<Utc>,
    /// When an accepted plan was carried out.
    pub done_at: Option<DateTime<Utc>>,
}

/// How a decision is named in the store and in the archive.
pub(crate) fn state_name(state: StateKind) -> &'static str {
    match state {
        StateKind::Dismissed => "dismissed",
        StateKind::Snoozed => "snoozed",
        StateKind::Accepted => "accepted",
    }
}

/// The decision named `name`.
pub(crate) fn parse_state(name: &str) -> std::result::Result<StateKind, String> {
    match name.trim() {
        "dismissed" => Ok(StateKind::Dismissed),
        "snoozed" => Ok(StateKind::Snoozed),
        "accepted" => Ok(StateKind::Accepted),
        other => Err(format!(
            "unknown decision {other:?} (expected dismissed, snoozed or accepted)"
        )),
    }
}

/// Whether `value` may be stored as the setting `name`; the reason when it may not. The
/// settings Kith reads are checked against what it reads them as, so a restored store never
/// holds one it cannot read; a setting this Kith does not know is kept as it is, for the
/// newer Kith that wrote it.
pub(crate) fn check_setting(name: &str, value: &Value) -> std::result::Result<(), String> {
    fn read_as<T: serde::de::DeserializeOwned>(value: &Value) -> std::result::Result<(), String> {
        T::deserialize(value).map(|_| ()).map_err(|e| e.to_string())
    }
    match name {
        NOT_DUPLICATES => Err("the pairs kept apart go in \"kept_apart\"".into()),
        super::suggestions::SETTINGS => read_as::<crate::suggest::SuggestSettings>(value),
        crate::sqlite::copies::KEEP_SETTING => {
            let keep: u32 = serde_json::from_value(value.clone()).map_err(|e| e.to_string())?;
            if (1..=crate::sqlite::copies::MAX_KEEP).contains(&keep) {
                Ok(())
            } else {
                Err(format!(
                    "keep between 1 and {} copies, not {keep}",
                    crate::sqlite::copies::MAX_KEEP
                ))
            }
        }
        super::settings::MY_EMAILS_SETTING => read_as::<Vec<String>>(value),
        _ => Ok(()),
    }
}

impl Store {
    /// Everything the user decided, for the archive.
    pub fn decisions(&self) -> Result<Decisions> {
        let mut settings = Vec::new();
        let mut stmt = self
            .conn
            .prepare("SELECT name, value FROM settings WHERE name != ?1 ORDER BY name")?;
        let mut rows = stmt.query([NOT_DUPLICATES])?;
        while let Some(r) = rows.next()? {
            let name: String = r.get(0)?;
            let text: String = r.get(1)?;
            match serde_json::from_str(&text) {
                Ok(value) => settings.push((name, value)),
                // Kith writes every setting as JSON; a value that is not cannot be restored.
                Err(e) => tracing::warn!("the setting {name:?} is unreadable and is left out: {e}"),
            }
        }

        let mut stmt = self.conn.prepare(
            "SELECT suggestion_id, state, until, note, contact_key, summary, due_on, updated_at,
                 done_at
             FROM suggestion_states ORDER BY suggestion_id",
        )?;
        let time = |t: Option<String>| {
            t.and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
                .map(|t| t.with_timezone(&Utc))
        };
        let suggestions = stmt
            .query_map([], |r| {
                let state: String = r.get(1)?;
                let due: Option<String> = r.get(6)?;
                Ok(SuggestionDecision {
                    suggestion_id: r.get(0)?,
                    state: parse_state(&state).unwrap_or(StateKind::Dismissed),
                    until: time(r.get(2)?),
                    note: r.get(3)?,
                    contact_id: r.get(4)?,
                    summary: r.get(5)?,
                    due_on: due.and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
                    updated_at: time(r.get(7)?).unwrap_or_default(),
                    done_at: time(r.get(8)?),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;

        // A pair one of whose people is gone is no decision any more.
        let mut kept_apart = Vec::new();
        for (a, b) in self.not_duplicates()? {
            if contact_rowid(&self.conn, &a)?.is_some() && contact_rowid(&self.conn, &b)?.is_some()
            {
                kept_apart.push((a, b));
            }
        }

        let mut stmt = self.conn.prepare(
            "SELECT a.key, c.key FROM contact_aliases a JOIN contacts c ON c.id = a.contact_id
             ORDER BY a.key",
        )?;
        let merged_ids = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;

        Ok(Decisions {
            settings,
            suggestions,
            kept_apart,
            merged_ids,
        })
    }
}

/// Stores `decisions` read from `source` inside the caller's transaction, after the records
/// of the same file: merged ids first (kept-apart pairs may name them), then settings, the
/// kept-apart pairs (added to the ones stored) and the suggestion decisions (each replacing
/// the stored decision about the same suggestion). A reference to a contact that is neither
/// in the store nor in the file is refused, naming its place.
pub(crate) fn write_decisions_tx(
    conn: &Connection,
    decisions: &Decisions,
    source: &str,
) -> Result<()> {
    for (old, survivor) in &decisions.merged_ids {
        let place = || format!("merged_ids.{old}");
        let is_contact = conn
            .query_row("SELECT 1 FROM contacts WHERE key = ?1", [old], |_| Ok(()))
            .optional()?
            .is_some();
        if is_contact {
            return Err(Error::bad_import(
                source,
                place(),
                format!(
                    "{old:?} is a contact of its own here, and the file says it was merged \
                     into {survivor:?}; merge the two in Duplicates first, or import the file \
                     into a new store"
                ),
            ));
        }
        let into = contact_rowid(conn, survivor)?.ok_or_else(|| {
            Error::bad_import(
                source,
                place(),
                format!("no contact has the id {survivor:?}"),
            )
        })?;
        conn.execute(
            "INSERT OR REPLACE INTO contact_aliases (key, contact_id) VALUES (?1, ?2)",
            params![old, into],
        )?;
    }

    for (name, value) in &decisions.settings {
        let text = serde_json::to_string(value)
            .map_err(|e| Error::bad_import(source, format!("settings.{name:?}"), e.to_string()))?;
        conn.execute(
            "INSERT INTO settings (name, value) VALUES (?1, ?2)
             ON CONFLICT (name) DO UPDATE SET value = ?2",
            params![name, text],
        )?;
    }

    if !decisions.kept_apart.is_empty() {
        let stored: Option<String> = conn
            .query_row(
                "SELECT value FROM settings WHERE name = ?1",
                [NOT_DUPLICATES],
                |r| r.get(0),
            )
            .optional()?;
        let mut pairs: Vec<(String, String)> = stored
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default();
        let before = pairs.len();
        for (n, (a, b)) in decisions.kept_apart.iter().enumerate() {
            for (k, id) in [a, b].into_iter().enumerate() {
                if contact_rowid(conn, id)?.is_none() {
                    return Err(Error::bad_import(
                        source,
                        format!("kept_apart[{n}][{k}]"),
                        format!("no contact has the id {id:?}"),
                    ));
                }
            }
            let pair = pair_key(a, b);
            if !pairs.contains(&pair) {
                pairs.push(pair);
            }
        }
        if pairs.len() > before {
            conn.execute(
                "INSERT INTO settings (name, value) VALUES (?1, ?2)
                 ON CONFLICT (name) DO UPDATE SET value = ?2",
                params![
                    NOT_DUPLICATES,
                    serde_json::to_string(&pairs).unwrap_or_default()
                ],
            )?;
        }
    }

    let mut stmt = conn.prepare_cached(
        "INSERT OR REPLACE INTO suggestion_states
             (suggestion_id, state, until, note, contact_key, summary, due_on, updated_at, done_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    for d in &decisions.suggestions {
        stmt.execute(params![
            d.suggestion_id,
            state_name(d.state),
            d.until.map(|t| t.to_rfc3339()),
            d.note,
            d.contact_id,
            d.summary,
            d.due_on.map(|d| d.format("%Y-%m-%d").to_string()),
            d.updated_at.to_rfc3339(),
            d.done_at.map(|t| t.to_rfc3339()),
        ])?;
    }
    Ok(())
}
