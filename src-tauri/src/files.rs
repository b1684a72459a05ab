//! Files chosen through the system's dialogs: run from Rust, so the webview has no file system
//! permission at all. What is then read or written lives with its area (`imports.rs`,
//! `exports.rs`, `briefing.rs`); this file holds the dialogs and the check every typed path
//! gets.

use crate::db::off_main;
use kith_core::brief::BriefFormat;
use kith_core::{import, Error, PublicError};
use serde::{Deserialize, Serialize};
use specta::Type;
use tauri::AppHandle;
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
            FilePurpose::Import => dialog
                .set_title("Import into Kith")
                .add_filter("Exports and archives", &import_filter()),
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
            SaveTarget::MarkdownFile => ("Save as Markdown", "Markdown", &["md"]),
            SaveTarget::Csv => ("Save as CSV", "CSV", &["csv"]),
            SaveTarget::Vcard => ("Save as vCard", "vCard", &["vcf"]),
            SaveTarget::Ics => ("Save as iCalendar", "iCalendar", &["ics"]),
            SaveTarget::BriefMarkdown => brief_filter(BriefFormat::Markdown),
            SaveTarget::BriefHtml => brief_filter(BriefFormat::Html),
            SaveTarget::BriefPdf => brief_filter(BriefFormat::Pdf),
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

/// The app has no meaningful working folder, so a path it writes to must be absolute.
pub(crate) fn full_path(path: &str, when_empty: &str) -> Reply<()> {
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

/// The open dialog's filter for an import: every extension of every format the core imports.
fn import_filter() -> Vec<&'static str> {
    import::file_extensions()
}

/// The save dialog's title and filter for a briefing, from the core's list of its formats.
fn brief_filter(format: BriefFormat) -> (&'static str, &'static str, &'static [&'static str]) {
    ("Save the briefing", format.label(), format.extensions())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_import_dialog_shows_every_file_the_core_imports() {
        let filter = import_filter();
        for format in import::Format::ALL {
            for ext in format.extensions() {
                let last = ext.rsplit('.').next().unwrap();
                assert!(
                    filter.contains(&last),
                    "the import dialog hides .{ext} files ({}): {filter:?}",
                    format.label()
                );
            }
        }
    }
}
