//! Saving an event's briefing.

use crate::db::Db;
use crate::files::full_path;
use chrono::Utc;
use kith_core::brief;
use kith_core::{files, PublicError};
use serde::{Deserialize, Serialize};
use specta::Type;
use std::path::PathBuf;
use tauri::State;

type Reply<T> = Result<T, PublicError>;

/// The formats a briefing can be saved in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum BriefFormat {
    Markdown,
    Html,
    Pdf,
}

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
        let bytes = match format {
            BriefFormat::Markdown => brief::markdown::render(&briefing).into_bytes(),
            BriefFormat::Html => brief::html::render(&briefing).into_bytes(),
            BriefFormat::Pdf => brief::pdf::render(&briefing)?,
        };
        files::write_file(&path, overwrite, &bytes)?;
        Ok(path.display().to_string())
    })
    .await
}
