//! Exports that never replace a file without asking.

use crate::db::Db;
use crate::files::full_path;
use chrono::Utc;
use kith_core::export::{export_to_disk, ExportDone, ExportRequest};
use kith_core::PublicError;
use tauri::State;

type Reply<T> = Result<T, PublicError>;

/// Writes an export; refused with `exists` when it would replace a file and `overwrite` is
/// not set.
#[tauri::command]
#[specta::specta]
pub async fn export_data(db: State<'_, Db>, request: ExportRequest) -> Reply<ExportDone> {
    full_path(
        &request.path,
        "choose where to save the export (Choose…), or type a full path",
    )?;
    db.run(move |s| export_to_disk(s, &request, Utc::now()))
        .await
}
