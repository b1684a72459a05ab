//! What the user decided about suggestions, and their settings.

use super::Store;
use crate::error::{Error, Result};
use crate::suggest::{StateKind, SuggestionState};
use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension};
use serde::{de::DeserializeOwned, Serialize};

/// The setting that holds the user's own email addresses (a JSON list of strings): the
/// importers read and extend it, the archive carries it, and the store checks its shape.
pub const MY_EMAILS_SETTING: &str = "import.my_emails";

impl Store {
    /// Records a decision about a suggestion (dismiss, snooze until a time, accept).
    pub fn set_suggestion_state(
        &mut self,
        state: &SuggestionState,
        note: &str,
        now: DateTime<Utc>,
    ) -> Result<()> {
        if state.suggestion_id.trim().is_empty() {
            return Err(Error::invalid("which suggestion? the id is empty"));
        }
        crate::text_limit::check("the note", note).map_err(|e| e.invalid())?;
        if state.state == StateKind::Snoozed && state.until.is_some_and(|u| u <= now) {
            return Err(Error::invalid("snooze until a time in the future"));
        }
        let kind = match state.state {
            StateKind::Dismissed => "dismissed",
            StateKind::Snoozed => "snoozed",
            StateKind::Accepted => "accepted",
        };
        let tx = self.write_tx()?;
        tx.execute(
            "INSERT INTO suggestion_states (suggestion_id, state, until, note, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (suggestion_id) DO UPDATE SET state = ?2, until = ?3, note = ?4, updated_at = ?5",
            params![
                state.suggestion_id,
                kind,
                state.until.map(|u| u.to_rfc3339()),
                note,
                now.to_rfc3339()
            ],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Forgets a decision, so the suggestion shows again if it still applies.
    pub fn clear_suggestion_state(&mut self, suggestion_id: &str) -> Result<()> {
        let tx = self.write_tx()?;
        tx.execute(
            "DELETE FROM suggestion_states WHERE suggestion_id = ?1",
            [suggestion_id],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Every decision the user made about suggestions.
    pub fn suggestion_states(&self) -> Result<Vec<SuggestionState>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT suggestion_id, state, until FROM suggestion_states")?;
        let rows = stmt.query_map([], |r| {
            let state: String = r.get(1)?;
            let until: Option<String> = r.get(2)?;
            Ok(SuggestionState {
                suggestion_id: r.get(0)?,
                state: match state.as_str() {
                    "snoozed" => StateKind::Snoozed,
                    "accepted" => StateKind::Accepted,
                    _ => StateKind::Dismissed,
                },
                until: until
                    .and_then(|u| DateTime::parse_from_rfc3339(&u).ok())
                    .map(|u| u.with_timezone(&Utc)),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A setting, or `None` when it was never set.
    pub fn setting<T: DeserializeOwned>(&self, name: &str) -> Result<Option<T>> {
        let text: Option<String> = self
            .conn
            .query_row("SELECT value FROM settings WHERE name = ?1", [name], |r| {
                r.get(0)
            })
            .optional()?;
        match text {
            None => Ok(None),
            Some(t) => serde_json::from_str(&t)
                .map(Some)
                .map_err(|e| Error::invalid(format!("the setting {name:?} is unreadable: {e}"))),
        }
    }

    pub fn set_setting<T: Serialize>(&mut self, name: &str, value: &T) -> Result<()> {
        let text = serde_json::to_string(value)
            .map_err(|e| Error::invalid(format!("the setting {name:?} cannot be saved: {e}")))?;
        let tx = self.write_tx()?;
        tx.execute(
            "INSERT INTO settings (name, value) VALUES (?1, ?2)
             ON CONFLICT (name) DO UPDATE SET value = ?2",
            params![name, text],
        )?;
        tx.commit()?;
        Ok(())
    }
}
