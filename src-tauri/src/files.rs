//! Files in and out: native file dialogs (run from Rust, so the webview has no file system
//! permission at all), imports with a preview, progress and cancel, exports that never replace
//! a file without asking, the duplicates review, and saving a briefing.

use crate::db::{off_main, Db};
use chrono::Utc;
use kith_core::export::{export_to_disk, ExportDone, ExportRequest};
use kith_core::import::{self, Format, ImportOptions, ImportOutcome, Progress};
use kith_core::store::DuplicatePair;
use kith_core::{brief, files, Contact, Error, PublicError};
use serde::{Deserialize, Serialize};
use specta::Type;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use tauri::ipc::Channel;
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;

type Reply<T> = Result<T, PublicError>;

/// What a file is being chosen for; decides the dialog's title and filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum FilePurpose {
    /// A platform export or a Kith archive to import.
    Import,
    /// An attendee list: a CSV from the organisers, or one person per line.
    AttendeeList,
    /// A copy of the store to restore.
    Backup,
}

/// Where something is being saved; decides the dialog's title, filter and default name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum SaveTarget {
    ArchiveJson,
    MarkdownFolder,
    MarkdownFile,
    Csv,
    Vcard,
    Ics,
    BriefMarkdown,
    BriefHtml,
    BriefPdf,
}

/// Asks for a file to open with the system's dialog. `None` when the person cancelled.
#[tauri::command]
#[specta::specta]
pub async fn choose_file(app: AppHandle, purpose: FilePurpose) -> Reply<Option<String>> {
    let picked = off_main(move || {
        let dialog = app.dialog().file();
        let dialog = match purpose {
            FilePurpose::Import => dialog.set_title("Import into Kith").add_filter(
                "Exports and archives",
                &[
                    "zip", "js", "json", "vcf", "vcard", "csv", "mbox", "eml", "car", "txt",
                ],
            ),
            FilePurpose::AttendeeList => dialog
                .set_title("Choose an attendee list")
                .add_filter("Lists", &["csv", "txt", "tsv"]),
            FilePurpose::Backup => dialog
                .set_title("Choose a Kith backup to restore")
                .add_filter("Kith stores", &["sqlite3", "sqlite", "db"]),
        };
        Ok(dialog.blocking_pick_file())
    })
    .await?;
    Ok(picked
        .and_then(|p| p.into_path().ok())
        .map(|p| p.display().to_string()))
}

/// Asks where to save with the system's dialog. `None` when the person cancelled.
#[tauri::command]
#[specta::specta]
pub async fn choose_save_path(
    app: AppHandle,
    target: SaveTarget,
    suggested_name: String,
) -> Reply<Option<String>> {
    let picked = off_main(move || {
        let dialog = app.dialog().file().set_file_name(&suggested_name);
        let (title, filter, exts): (&str, &str, &[&str]) = match target {
            SaveTarget::MarkdownFolder => {
                return Ok(app
                    .dialog()
                    .file()
                    .set_title("Choose a folder for the notes")
                    .blocking_pick_folder());
            }
            SaveTarget::ArchiveJson => ("Save the full archive", "Kith archive", &["json"]),
            SaveTarget::MarkdownFile | SaveTarget::BriefMarkdown => {
                ("Save as Markdown", "Markdown", &["md"])
            }
            SaveTarget::Csv => ("Save as CSV", "CSV", &["csv"]),
            SaveTarget::Vcard => ("Save as vCard", "vCard", &["vcf"]),
            SaveTarget::Ics => ("Save as iCalendar", "iCalendar", &["ics"]),
            SaveTarget::BriefHtml => ("Save the briefing", "Web page", &["html"]),
            SaveTarget::BriefPdf => ("Save the briefing", "PDF", &["pdf"]),
        };
        Ok(dialog
            .set_title(title)
            .add_filter(filter, exts)
            .blocking_save_file())
    })
    .await?;
    Ok(picked
        .and_then(|p| p.into_path().ok())
        .map(|p| p.display().to_string()))
}

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

/// The app has no meaningful working folder, so a path it writes to must be absolute.
fn full_path(path: &str, when_empty: &str) -> Reply<()> {
    let path = path.trim();
    if path.is_empty() {
        return Err(Error::invalid(when_empty).to_public());
    }
    if !std::path::Path::new(path).is_absolute() {
        return Err(Error::invalid(format!(
            "{path}: type a full path (starting with /), or use Choose…"
        ))
        .to_public());
    }
    Ok(())
}
