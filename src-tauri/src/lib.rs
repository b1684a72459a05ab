//! Kith's desktop shell: window, state and one thin command per operation over `kith-core`.

mod accounts;
mod backups;
mod briefing;
mod changes;
mod commands;
mod db;
mod event_commands;
mod exports;
mod files;
mod imports;
mod links;
mod merges;
mod passphrase;
mod sync_schedule;

use db::Db;
use std::path::PathBuf;

/// Every command the webview may call. The TypeScript bindings in `ui/src/bindings.ts` are
/// generated from this list; a test fails when the committed copy is out of date.
pub fn specta_builder() -> tauri_specta::Builder<tauri::Wry> {
    tauri_specta::Builder::<tauri::Wry>::new()
        // One TypeScript type per Rust type, rather than separate input and output shapes.
        .disable_serde_phases()
        // The core's one list of briefing and import formats, which the CLI reads too, so the
        // window offers exactly what the core renders and imports.
        .typ::<kith_core::brief::BriefFormatInfo>()
        .typ::<kith_core::import::FormatInfo>()
        .constant("BRIEF_FORMATS", kith_core::brief::BriefFormat::infos())
        .constant("IMPORT_FORMATS", kith_core::import::Format::infos())
        .constant("WROTE_TAG", kith_core::domain::WROTE_TAG)
        .commands(tauri_specta::collect_commands![
            commands::app_info,
            commands::stats,
            commands::load_demo,
            commands::list_contacts,
            commands::contacts_patch,
            commands::get_contact,
            commands::contact_timeline,
            commands::save_contact,
            commands::delete_contact,
            commands::save_interaction,
            commands::delete_interaction,
            commands::search,
            commands::list_tags,
            commands::list_events,
            commands::save_event,
            commands::delete_event,
            commands::list_suggestions,
            commands::contact_suggestions,
            commands::accept_suggestion,
            commands::dismiss_suggestion,
            commands::keep_in_touch,
            commands::upcoming_dates,
            commands::list_follow_ups,
            commands::complete_follow_up,
            commands::open_url,
            commands::open_follow_up_in_calendar,
            files::choose_file,
            files::choose_save_path,
            imports::preview_import,
            imports::import_file,
            imports::cancel_import,
            imports::my_emails,
            merges::list_duplicates,
            merges::merge_contacts,
            merges::not_duplicates,
            exports::export_data,
            briefing::save_briefing,
            event_commands::get_briefing,
            event_commands::match_attendees,
            event_commands::read_attendee_list,
            event_commands::add_attendees,
            event_commands::log_met,
            backups::list_backups,
            backups::backup_now,
            backups::inspect_backup,
            backups::restore_backup,
            backups::backup_keep,
            backups::set_backup_keep,
            passphrase::passphrase_status,
            passphrase::unlock_store,
            passphrase::change_passphrase,
            changes::take_changes,
            changes::watch_changes,
            accounts::list_accounts,
            accounts::password_keeping,
            accounts::add_imap_account,
            accounts::add_dav_account,
            accounts::add_feed_account,
            accounts::add_mastodon_account,
            accounts::add_bluesky_account,
            accounts::remove_account,
            accounts::sync_accounts,
            accounts::cancel_sync,
            accounts::sync_every_minutes,
            accounts::set_sync_every_minutes,
            accounts::watch_syncs,
            accounts::list_new_people,
            accounts::add_new_person,
            accounts::merge_new_person,
            accounts::ignore_new_person,
        ])
}

/// Writes the TypeScript bindings for the commands and their types to `path`.
pub fn export_bindings(path: &std::path::Path) -> Result<(), String> {
    specta_builder()
        .export(
            specta_typescript::Typescript::default().header(
                "// Generated from the Rust types by `cargo test -p kith-app`; do not edit.\n",
            ),
            path,
        )
        .map_err(|e| e.to_string())
}

/// The store file: `KITH_DB` if set, else the OS data folder.
fn store_path() -> PathBuf {
    if let Some(p) = std::env::var_os("KITH_DB").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    kith_core::Store::default_path().unwrap_or_else(|_| PathBuf::from("kith.sqlite3"))
}

/// WebKitGTK draws pages in "compositing mode" through OpenGL. On a machine without a GPU
/// (no DRM render node: a virtual machine, a remote or virtual X display) that OpenGL is the
/// CPU emulating one, and every frame of scrolling a pane cost about 45 ms against the 16 ms
/// of the display's pace in the busy network's timeline; with the mode off, WebKit draws
/// straight into the window and keeps the pace. Where a GPU exists the mode stays on, and a
/// value the user set is left as it is.
pub fn draw_without_compositing_on_software_gl() {
    #[cfg(target_os = "linux")]
    if std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_none()
        && !has_render_node(std::path::Path::new("/dev/dri"))
    {
        // Before any thread starts, and before WebKit reads it.
        std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
    }
}

/// Whether `dir` (`/dev/dri`) holds a GPU's render node (`renderD128`…).
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
fn has_render_node(dir: &std::path::Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with("renderD"))
    })
}

pub fn run() {
    draw_without_compositing_on_software_gl();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("KITH_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .init();
    let builder = specta_builder();
    let db = Db::new(store_path());
    db.open_in_background();
    let syncing = accounts::Syncing::new();
    // While the window is open, accounts sync by themselves in the background.
    syncing.start_schedule(&db);
    let stop_syncing = syncing.clone();
    let result = tauri::Builder::default()
        // Links and calendar files are opened from Rust after checking them; the webview
        // itself has no permission to open anything.
        .plugin(tauri_plugin_opener::init())
        // Files are chosen through the system's dialogs, opened from Rust; the webview has no
        // permission to call the dialog plugin itself.
        .plugin(tauri_plugin_dialog::init())
        .manage(imports::ImportControl::default())
        .manage(db)
        .manage(syncing)
        .invoke_handler(builder.invoke_handler())
        .setup(move |app| {
            builder.mount_events(app);
            Ok(())
        })
        .build(tauri::generate_context!())
        .map(|app| {
            app.run(move |_, event| {
                // A sync running in the background stops (keeping nothing of its batch) and
                // the schedule's thread ends before the app does.
                if let tauri::RunEvent::Exit = event {
                    stop_syncing.stop_schedule();
                }
            })
        });
    if let Err(e) = result {
        eprintln!("Kith could not start: {e}");
        std::process::exit(1);
    }
}

#[cfg(test)]
mod tests {
    use super::has_render_node;

    #[test]
    fn a_gpu_is_known_by_its_render_node() {
        let dir = tempfile::tempdir().unwrap();
        assert!(!has_render_node(&dir.path().join("missing")));
        assert!(!has_render_node(dir.path()));
        std::fs::write(dir.path().join("card0"), "").unwrap();
        assert!(
            !has_render_node(dir.path()),
            "a display card alone renders nothing"
        );
        std::fs::write(dir.path().join("renderD128"), "").unwrap();
        assert!(has_render_node(dir.path()));
    }
}
