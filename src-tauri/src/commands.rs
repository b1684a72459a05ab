//! One thin command per operation: take the request, call the core off the main thread,
//! return its result or its error as `{code, message}`.

use crate::db::Db;
use chrono::{DateTime, NaiveDate, Utc};
use kith_core::store::FollowUp;
use kith_core::suggest::{KeepInTouchStatus, Suggestion, UpcomingDate};
use kith_core::{
    Contact, ContactDetail, ContactDraft, ContactFilter, ContactSummary, ContactsPatch, Event,
    EventDraft, Interaction, InteractionDraft, PublicError, SearchResults, Stats, TimelinePage,
};
use serde::Serialize;
use specta::Type;
use tauri::State;

type Reply<T> = Result<T, PublicError>;

/// What the app shows about itself.
#[derive(Debug, Clone, Serialize, Type)]
pub struct AppInfo {
    pub version: String,
    pub db_path: String,
    /// What opening the store found left by an interrupted job (a passphrase change, a backup
    /// being written when Kith was stopped) and did about it, one sentence each; said once.
    pub tidied: Vec<String>,
}

#[tauri::command]
#[specta::specta]
pub async fn app_info(db: State<'_, Db>) -> Reply<AppInfo> {
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION").into(),
        db_path: db.path().display().to_string(),
        tidied: db.take_tidied(),
    })
}

#[tauri::command]
#[specta::specta]
pub async fn stats(db: State<'_, Db>) -> Reply<Stats> {
    db.read(|s| s.stats()).await
}

/// Loads the sample network (the first-run offer). Returns the new counts.
#[tauri::command]
#[specta::specta]
pub async fn load_demo(db: State<'_, Db>) -> Reply<Stats> {
    db.run(|s| {
        if !s.has_demo()? {
            s.load_demo(Utc::now())?;
        }
        s.stats()
    })
    .await
}

#[tauri::command]
#[specta::specta]
pub async fn list_contacts(db: State<'_, Db>, filter: ContactFilter) -> Reply<Vec<ContactSummary>> {
    db.read(move |s| s.list_contacts(&filter)).await
}

/// The contacts list's new order and the rows of the contacts that changed, for a window that
/// shows the list already.
#[tauri::command]
#[specta::specta]
pub async fn contacts_patch(
    db: State<'_, Db>,
    filter: ContactFilter,
    changed: Vec<String>,
) -> Reply<ContactsPatch> {
    db.read(move |s| s.contacts_patch(&filter, &changed)).await
}

#[tauri::command]
#[specta::specta]
pub async fn get_contact(db: State<'_, Db>, id: String) -> Reply<ContactDetail> {
    db.read(move |s| s.contact_detail(&id)).await
}

/// The page of a contact's timeline after `after` (a `next` of the page before).
#[tauri::command]
#[specta::specta]
pub async fn contact_timeline(
    db: State<'_, Db>,
    id: String,
    after: String,
    limit: u32,
) -> Reply<TimelinePage> {
    db.read(move |s| s.timeline_page(&id, Some(&after), limit))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn save_contact(db: State<'_, Db>, draft: ContactDraft) -> Reply<Contact> {
    db.run(move |s| s.save_contact(draft, Utc::now())).await
}

#[tauri::command]
#[specta::specta]
pub async fn delete_contact(db: State<'_, Db>, id: String) -> Reply<()> {
    db.run(move |s| s.delete_contact(&id)).await
}

#[tauri::command]
#[specta::specta]
pub async fn save_interaction(db: State<'_, Db>, draft: InteractionDraft) -> Reply<Interaction> {
    db.run(move |s| s.save_interaction(draft)).await
}

#[tauri::command]
#[specta::specta]
pub async fn delete_interaction(db: State<'_, Db>, id: String) -> Reply<()> {
    db.run(move |s| s.delete_interaction(&id)).await
}

#[tauri::command]
#[specta::specta]
pub async fn search(db: State<'_, Db>, query: String) -> Reply<SearchResults> {
    db.read(move |s| s.search(&query)).await
}

#[tauri::command]
#[specta::specta]
pub async fn list_tags(db: State<'_, Db>) -> Reply<Vec<String>> {
    db.read(|s| s.list_tags()).await
}

#[tauri::command]
#[specta::specta]
pub async fn list_events(db: State<'_, Db>) -> Reply<Vec<Event>> {
    db.read(|s| s.list_events()).await
}

#[tauri::command]
#[specta::specta]
pub async fn save_event(db: State<'_, Db>, draft: EventDraft) -> Reply<Event> {
    db.run(move |s| s.save_event(draft)).await
}

#[tauri::command]
#[specta::specta]
pub async fn delete_event(db: State<'_, Db>, id: String) -> Reply<()> {
    db.run(move |s| s.delete_event(&id)).await
}

/// Suggestions across the network, best first.
#[tauri::command]
#[specta::specta]
pub async fn list_suggestions(db: State<'_, Db>) -> Reply<Vec<Suggestion>> {
    db.read(|s| s.suggestions(Utc::now())).await
}

/// Suggestions for one contact, for the panel on their page.
#[tauri::command]
#[specta::specta]
pub async fn contact_suggestions(db: State<'_, Db>, id: String) -> Reply<Vec<Suggestion>> {
    db.read(move |s| s.suggestions_for_contact(&id, Utc::now()))
        .await
}

/// Accepts a suggestion: it becomes a follow-up, a dated to-do when `due` is given.
#[tauri::command]
#[specta::specta]
pub async fn accept_suggestion(
    db: State<'_, Db>,
    id: String,
    note: String,
    due: Option<NaiveDate>,
) -> Reply<FollowUp> {
    db.run(move |s| {
        let now = Utc::now();
        let suggestion = s.suggestion(&id, now)?;
        s.accept_suggestion(&suggestion, &note, due, now)
    })
    .await
}

/// Dismisses a suggestion for good, or snoozes it until `until`.
#[tauri::command]
#[specta::specta]
pub async fn dismiss_suggestion(
    db: State<'_, Db>,
    id: String,
    until: Option<DateTime<Utc>>,
) -> Reply<()> {
    db.run(move |s| s.dismiss_suggestion(&id, until, Utc::now()))
        .await
}

/// Everyone with a keep-in-touch cadence, most overdue first.
#[tauri::command]
#[specta::specta]
pub async fn keep_in_touch(db: State<'_, Db>) -> Reply<Vec<KeepInTouchStatus>> {
    db.read(|s| s.keep_in_touch(Utc::now())).await
}

/// Birthdays, anniversaries and other important dates in the next two weeks, soonest first.
#[tauri::command]
#[specta::specta]
pub async fn upcoming_dates(db: State<'_, Db>) -> Reply<Vec<UpcomingDate>> {
    db.read(|s| s.upcoming_dates(Utc::now())).await
}

/// Accepted suggestions, newest first.
#[tauri::command]
#[specta::specta]
pub async fn list_follow_ups(db: State<'_, Db>) -> Reply<Vec<FollowUp>> {
    db.read(|s| s.follow_ups()).await
}

/// Marks a plan as done: it leaves the list of plans and the calendar export.
#[tauri::command]
#[specta::specta]
pub async fn complete_follow_up(db: State<'_, Db>, suggestion_id: String) -> Reply<()> {
    db.run(move |s| s.complete_follow_up(&suggestion_id, Utc::now()))
        .await
}

/// Opens a web or mail link in the user's browser or mail client. Only http(s) and mailto:
/// links are opened; anything else (javascript:, file:, custom schemes) is refused.
#[tauri::command]
#[specta::specta]
pub async fn open_url(url: String) -> Reply<()> {
    let url = crate::links::checked_url(&url).map_err(|e| e.to_public())?;
    tauri_plugin_opener::open_url(url, None::<&str>).map_err(|e| PublicError {
        code: kith_core::Code::OpenFailed,
        message: format!("Could not open the link: {e}"),
    })
}

/// Writes an accepted suggestion's follow-up as an iCalendar file and opens it in the
/// user's calendar app.
#[tauri::command]
#[specta::specta]
pub async fn open_follow_up_in_calendar(db: State<'_, Db>, suggestion_id: String) -> Reply<()> {
    let path = db
        .run(move |s| crate::links::follow_up_calendar_file(s, &suggestion_id, Utc::now()))
        .await?;
    tauri_plugin_opener::open_path(&path, None::<&str>).map_err(|e| PublicError {
        code: kith_core::Code::OpenFailed,
        message: format!("Could not open {}: {e}", path.display()),
    })
}
