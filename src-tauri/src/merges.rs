//! The duplicates review: pairs that may be one person, merged or kept apart.

use crate::db::Db;
use chrono::Utc;
use kith_core::store::DuplicatePair;
use kith_core::{Contact, PublicError};
use tauri::State;

type Reply<T> = Result<T, PublicError>;

/// Pairs of contacts that may be one person, for the user to merge or keep apart.
#[tauri::command]
#[specta::specta]
pub async fn list_duplicates(db: State<'_, Db>) -> Reply<Vec<DuplicatePair>> {
    db.run(|s| s.duplicates_to_review()).await
}

/// Merges `absorbed` into `kept`: handles, roles, tags, notes and every interaction move
/// over; the absorbed id keeps working.
#[tauri::command]
#[specta::specta]
pub async fn merge_contacts(db: State<'_, Db>, kept: String, absorbed: String) -> Reply<Contact> {
    db.run(move |s| s.merge_contacts(&kept, &absorbed, Utc::now()))
        .await
}

/// Records that two contacts are different people.
#[tauri::command]
#[specta::specta]
pub async fn not_duplicates(db: State<'_, Db>, a: String, b: String) -> Reply<()> {
    db.run(move |s| s.mark_not_duplicates(&a, &b)).await
}
