//! Before and after an event: the briefing, matching an attendee list to the network, and
//! logging the people met there.

use crate::db::{off_main, Db};
use chrono::{DateTime, Utc};
use kith_core::attendee_match::{read_attendee_file, AttendeeMatch, AttendeesAdded};
use kith_core::brief::{self, Briefing};
use kith_core::{Interaction, PublicError};
use serde::{Deserialize, Serialize};
use specta::Type;
use std::path::PathBuf;
use tauri::State;

type Reply<T> = Result<T, PublicError>;

/// Everything to know before an event, as of now.
#[tauri::command]
#[specta::specta]
pub async fn get_briefing(db: State<'_, Db>, event_id: String) -> Reply<Briefing> {
    db.read(move |s| brief::briefing(s, &event_id, Utc::now()))
        .await
}

/// Matches a pasted attendee list against the network.
#[tauri::command]
#[specta::specta]
pub async fn match_attendees(db: State<'_, Db>, text: String) -> Reply<Vec<AttendeeMatch>> {
    db.read(move |s| s.match_attendee_list(&text)).await
}

/// Reads an attendee list file (chosen with the system dialog) as text, to show and match.
#[tauri::command]
#[specta::specta]
pub async fn read_attendee_list(path: String) -> Reply<String> {
    off_main(move || read_attendee_file(&PathBuf::from(path.trim())).map_err(|e| e.to_public()))
        .await
}

/// Adds contacts to an event's attendees.
#[tauri::command]
#[specta::specta]
pub async fn add_attendees(
    db: State<'_, Db>,
    event_id: String,
    contact_ids: Vec<String>,
) -> Reply<AttendeesAdded> {
    db.run(move |s| s.add_attendees(&event_id, &contact_ids))
        .await
}

/// One person met at an event, with what was talked about.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct MetEntry {
    pub contact_id: String,
    #[serde(default)]
    pub note: String,
}

/// Logs an in-person interaction at the event with each person, all at once.
#[tauri::command]
#[specta::specta]
pub async fn log_met(
    db: State<'_, Db>,
    event_id: String,
    entries: Vec<MetEntry>,
    at: Option<DateTime<Utc>>,
) -> Reply<Vec<Interaction>> {
    db.run(move |s| {
        let entries: Vec<(String, String)> = entries
            .into_iter()
            .map(|e| (e.contact_id, e.note))
            .collect();
        s.log_met_at_event(&event_id, &entries, at.unwrap_or_else(Utc::now))
    })
    .await
}
