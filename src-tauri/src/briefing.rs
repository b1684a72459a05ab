//! Saving an event's briefing, in any of the core's [`BriefFormat`]s (the list the CLI shares).

use crate::db::Db;
use crate::files::full_path;
use chrono::Utc;
use kith_core::brief::{self, BriefFormat};
use kith_core::{files, PublicError};
use std::path::PathBuf;
use tauri::State;

type Reply<T> = Result<T, PublicError>;

/// Saves an event's briefing; refused with `exists` when the file is there and `overwrite`
/// is not set, also when it appears while the briefing is being written. Returns the path
/// written.
#[tauri::command]
#[specta::specta]
pub async fn save_briefing(
    db: State<'_, Db>,
    event_id: String,
    format: BriefFormat,
    path: String,
    overwrite: bool,
) -> Reply<String> {
    full_path(
        &path,
        "choose where to save the briefing (Choose…), or type a full path",
    )?;
    db.run(move |s| {
        let path = PathBuf::from(path.trim());
        files::refuse_replacing(std::slice::from_ref(&path), overwrite)?;
        let briefing = brief::briefing(s, &event_id, Utc::now())?;
        let bytes = format.render(&briefing)?;
        files::write_file(&path, overwrite, &bytes)?;
        Ok(path.display().to_string())
    })
    .await
}
