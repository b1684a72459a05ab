//! One thin command per operation: take the request, call the core off the main thread,
//! return its result or its error as `{code, message}`.

use crate::db::Db;
use chrono::Utc;
use kith_core::{
    Contact, ContactDetail, ContactDraft, ContactFilter, ContactSummary, Event, EventDraft,
    Interaction, InteractionDraft, PublicError, SearchResults, Stats,
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
}

#[tauri::command]
#[specta::specta]
pub async fn app_info(db: State<'_, Db>) -> Reply<AppInfo> {
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION").into(),
        db_path: db.path().display().to_string(),
    })
}

#[tauri::command]
#[specta::specta]
pub async fn stats(db: State<'_, Db>) -> Reply<Stats> {
    db.run(|s| s.stats()).await
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
    db.run(move |s| s.list_contacts(&filter)).await
}

#[tauri::command]
#[specta::specta]
pub async fn get_contact(db: State<'_, Db>, id: String) -> Reply<ContactDetail> {
    db.run(move |s| s.contact_detail(&id)).await
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
    db.run(move |s| s.search(&query)).await
}

#[tauri::command]
#[specta::specta]
pub async fn list_tags(db: State<'_, Db>) -> Reply<Vec<String>> {
    db.run(|s| s.list_tags()).await
}

#[tauri::command]
#[specta::specta]
pub async fn list_events(db: State<'_, Db>) -> Reply<Vec<Event>> {
    db.run(|s| s.list_events()).await
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
