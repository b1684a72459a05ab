//! Imports with a preview, progress and cancel: all or nothing, whatever the file.

use crate::db::Db;
use crate::files::full_path;
use chrono::Utc;
use kith_core::import::{self, Format, ImportOptions, ImportOutcome, Progress};
use kith_core::PublicError;
use serde::{Deserialize, Serialize};
use specta::Type;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use tauri::ipc::Channel;
use tauri::State;

type Reply<T> = Result<T, PublicError>;

/// The import running now, if any, can be stopped through this flag.
#[derive(Default, Clone)]
pub struct ImportControl {
    cancel: Arc<AtomicBool>,
}

/// What the app asks to import.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct ImportRequest {
    pub path: String,
    /// Force the format; `None` detects it from the content.
    pub format: Option<Format>,
    /// The user's own email addresses, remembered for later mail imports.
    #[serde(default)]
    pub my_emails: Vec<String>,
}

async fn run_import(
    db: &Db,
    control: &ImportControl,
    request: ImportRequest,
    on_progress: Channel<Progress>,
    commit: bool,
) -> Reply<ImportOutcome> {
    full_path(
        &request.path,
        "choose a file to import (Choose…), or type its full path",
    )?;
    let path = PathBuf::from(request.path.trim());
    let cancel = control.cancel.clone();
    cancel.store(false, Ordering::SeqCst);
    db.run(move |store| {
        if commit && !request.my_emails.is_empty() {
            import::remember_my_emails(store, &request.my_emails)?;
        }
        let options = ImportOptions {
            format: request.format,
            my_emails: request.my_emails,
            ..ImportOptions::default()
        };
        let mut report = |p: Progress| {
            // A closed window drops the channel; the import goes on to its end regardless.
            let _ = on_progress.send(p);
            !cancel.load(Ordering::SeqCst)
        };
        if commit {
            import::import(store, &path, &options, Utc::now(), &mut report)
        } else {
            import::preview(store, &path, &options, Utc::now(), &mut report)
        }
    })
    .await
}

/// What importing a file would add, update, merge and skip; the store is not changed.
#[tauri::command]
#[specta::specta]
pub async fn preview_import(
    db: State<'_, Db>,
    control: State<'_, ImportControl>,
    request: ImportRequest,
    on_progress: Channel<Progress>,
) -> Reply<ImportOutcome> {
    run_import(&db, &control, request, on_progress, false).await
}

/// Imports a file, all or nothing.
#[tauri::command]
#[specta::specta]
pub async fn import_file(
    db: State<'_, Db>,
    control: State<'_, ImportControl>,
    request: ImportRequest,
    on_progress: Channel<Progress>,
) -> Reply<ImportOutcome> {
    run_import(&db, &control, request, on_progress, true).await
}

/// Stops the import or preview running now; it ends with `cancelled` and changes nothing.
#[tauri::command]
#[specta::specta]
pub async fn cancel_import(control: State<'_, ImportControl>) -> Reply<()> {
    control.cancel.store(true, Ordering::SeqCst);
    Ok(())
}

/// The user's own email addresses, as remembered.
#[tauri::command]
#[specta::specta]
pub async fn my_emails(db: State<'_, Db>) -> Reply<Vec<String>> {
    db.run(|s| import::my_emails(s)).await
}
