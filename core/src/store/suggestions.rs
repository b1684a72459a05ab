//! Suggestions for the network as stored: the engine's output minus what the user dismissed,
//! snoozed or accepted, and accepted plans kept as follow-ups.

use super::Store;
use crate::error::{Error, Result};
use crate::suggest::{
    apply_states, keep_in_touch, list_question_suggestions, sort_suggestions, suggest,
    suggest_for_contact, KeepInTouchStatus, StateKind, SuggestSettings, Suggestion,
    SuggestionState,
};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::params;
use serde::{Deserialize, Serialize};
use specta::Type;

/// The settings name under which the suggestion thresholds are kept.
pub(crate) const SETTINGS: &str = "suggest";

/// An accepted suggestion: the plan and when to have done it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct FollowUp {
    pub suggestion_id: String,
    pub contact_id: Option<String>,
    pub summary: String,
    pub note: String,
    pub due_on: Option<NaiveDate>,
    pub accepted_at: DateTime<Utc>,
}

impl Store {
    /// The suggestion thresholds in force (the user's, or the defaults).
    pub fn suggest_settings(&self) -> Result<SuggestSettings> {
        Ok(self.setting(SETTINGS)?.unwrap_or_default())
    }

    pub fn set_suggest_settings(&mut self, settings: &SuggestSettings) -> Result<()> {
        self.set_setting(SETTINGS, settings)
    }

    /// Suggestions across the network at `now`, best first, without the ones the user
    /// dismissed, accepted, or snoozed until later.
    pub fn suggestions(&self, now: DateTime<Utc>) -> Result<Vec<Suggestion>> {
        let network = self.network()?;
        let settings = self.suggest_settings()?;
        let mut found = suggest(
            &network.contacts,
            &network.interactions,
            &network.events,
            now,
            &settings,
        );
        found.extend(list_question_suggestions(
            &self.list_questions()?,
            &network.contacts,
            &network.interactions,
            now,
            &settings,
        ));
        sort_suggestions(&mut found);
        Ok(apply_states(found, &self.suggestion_states()?, now))
    }

    /// Suggestions for one contact, from their own interactions only.
    pub fn suggestions_for_contact(
        &self,
        contact_id: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<Suggestion>> {
        let contact = self.contact(contact_id)?;
        let interactions: Vec<_> = self
            .timeline(contact_id, None)?
            .into_iter()
            .rev()
            .map(|t| t.interaction)
            .collect();
        let events = self.events_of_contact(contact_id)?;
        let settings = self.suggest_settings()?;
        let mut found = suggest_for_contact(
            &contact.id,
            std::slice::from_ref(&contact),
            &interactions,
            &events,
            now,
            &settings,
        );
        found.extend(list_question_suggestions(
            &self.list_questions()?,
            std::slice::from_ref(&contact),
            &interactions,
            now,
            &settings,
        ));
        sort_suggestions(&mut found);
        Ok(apply_states(found, &self.suggestion_states()?, now))
    }

    /// Who is due or overdue for a check-in, most overdue first.
    pub fn keep_in_touch(&self, now: DateTime<Utc>) -> Result<Vec<KeepInTouchStatus>> {
        let network = self.network()?;
        Ok(keep_in_touch(
            &network.contacts,
            &network.interactions,
            now,
            &self.suggest_settings()?,
        ))
    }

    /// Birthdays, anniversaries and other important dates in the next
    /// [`UPCOMING_DAYS`](crate::suggest::UPCOMING_DAYS) days, soonest first. Days are counted
    /// in UTC, as the rest of Keep in touch is.
    pub fn upcoming_dates(&self, now: DateTime<Utc>) -> Result<Vec<crate::suggest::UpcomingDate>> {
        let network = self.network()?;
        Ok(crate::suggest::upcoming_dates(
            &network.contacts,
            now.date_naive(),
            crate::suggest::UPCOMING_DAYS,
        ))
    }

    /// Accepts a suggestion: it stops showing, and the plan becomes a follow-up (a to-do in the
    /// calendar export when it has a due date).
    pub fn accept_suggestion(
        &mut self,
        suggestion: &Suggestion,
        note: &str,
        due_on: Option<NaiveDate>,
        now: DateTime<Utc>,
    ) -> Result<FollowUp> {
        crate::text_limit::check("the note", note).map_err(|e| e.invalid())?;
        let summary = format!(
            "{} with {} on {}",
            match suggestion.kind {
                crate::suggest::SuggestionKind::Move => "Continue the conversation",
                crate::suggest::SuggestionKind::Reconnect => "Check in",
                crate::suggest::SuggestionKind::FollowUp => "Follow up",
                crate::suggest::SuggestionKind::Reply => "Try again",
            },
            suggestion.contact,
            suggestion.to_channel.label()
        );
        let tx = self.write_tx()?;
        tx.execute(
            "INSERT INTO suggestion_states
                 (suggestion_id, state, until, note, contact_key, summary, due_on, updated_at)
             VALUES (?1, 'accepted', NULL, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (suggestion_id) DO UPDATE SET state = 'accepted', until = NULL,
                 note = ?2, contact_key = ?3, summary = ?4, due_on = ?5, updated_at = ?6,
                 done_at = NULL",
            params![
                suggestion.id,
                note,
                suggestion.contact_id,
                summary,
                due_on.map(|d| d.format("%Y-%m-%d").to_string()),
                now.to_rfc3339()
            ],
        )?;
        tx.commit()?;
        Ok(FollowUp {
            suggestion_id: suggestion.id.clone(),
            contact_id: Some(suggestion.contact_id.clone()),
            summary,
            note: note.to_string(),
            due_on,
            accepted_at: now,
        })
    }

    /// Dismisses a suggestion for good, or snoozes it until `until`.
    pub fn dismiss_suggestion(
        &mut self,
        suggestion_id: &str,
        until: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.set_suggestion_state(
            &SuggestionState {
                suggestion_id: suggestion_id.to_string(),
                state: if until.is_some() {
                    StateKind::Snoozed
                } else {
                    StateKind::Dismissed
                },
                until,
            },
            "",
            now,
        )
    }

    /// Accepted suggestions, newest first.
    pub fn follow_ups(&self) -> Result<Vec<FollowUp>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT s.suggestion_id, c.key, s.summary, s.note, s.due_on, s.updated_at
             FROM suggestion_states s
             LEFT JOIN contact_aliases a ON a.key = s.contact_key
             LEFT JOIN contacts c ON c.key = s.contact_key OR c.id = a.contact_id
             WHERE s.state = 'accepted' AND s.done_at IS NULL
             ORDER BY s.updated_at DESC",
        )?;
        let rows = stmt.query_map([], |r| {
            let due: Option<String> = r.get(4)?;
            let at: String = r.get(5)?;
            Ok(FollowUp {
                suggestion_id: r.get(0)?,
                contact_id: r.get(1)?,
                summary: r.get(2)?,
                note: r.get(3)?,
                due_on: due.and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
                accepted_at: DateTime::parse_from_rfc3339(&at)
                    .map(|t| t.with_timezone(&Utc))
                    .unwrap_or_default(),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Marks an accepted plan as done: it leaves the list of plans (and the calendar export's
    /// to-dos), and its suggestion stays hidden.
    pub fn complete_follow_up(&mut self, suggestion_id: &str, now: DateTime<Utc>) -> Result<()> {
        let tx = self.write_tx()?;
        let changed = tx.execute(
            "UPDATE suggestion_states SET done_at = ?2, updated_at = ?2
             WHERE suggestion_id = ?1 AND state = 'accepted' AND done_at IS NULL",
            params![suggestion_id, now.to_rfc3339()],
        )?;
        if changed == 0 {
            return Err(Error::not_found("plan", suggestion_id));
        }
        tx.commit()?;
        Ok(())
    }

    /// Finds a current suggestion by id, for accepting it.
    pub fn suggestion(&self, id: &str, now: DateTime<Utc>) -> Result<Suggestion> {
        self.suggestions(now)?
            .into_iter()
            .find(|s| s.id == id)
            .ok_or_else(|| Error::not_found("suggestion", id))
    }
}
