// The app's configuration sits at the repository root; src-tauri/tauri.conf.json links to it so
// that cargo and the Tauri CLI both read it with paths relative to src-tauri/. The commands
// listed here are the only ones the webview may call (see capabilities/default.json).
fn main() {
    let attributes =
        tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(&[
            "app_info",
            "stats",
            "load_demo",
            "list_contacts",
            "get_contact",
            "contact_timeline",
            "save_contact",
            "delete_contact",
            "save_interaction",
            "delete_interaction",
            "search",
            "list_tags",
            "list_events",
            "save_event",
            "delete_event",
            "list_suggestions",
            "contact_suggestions",
            "accept_suggestion",
            "dismiss_suggestion",
            "keep_in_touch",
            "upcoming_dates",
            "list_follow_ups",
            "complete_follow_up",
            "open_url",
            "open_follow_up_in_calendar",
            "choose_file",
            "choose_save_path",
            "preview_import",
            "import_file",
            "cancel_import",
            "my_emails",
            "list_duplicates",
            "merge_contacts",
            "not_duplicates",
            "export_data",
            "save_briefing",
            "get_briefing",
            "match_attendees",
            "read_attendee_list",
            "add_attendees",
            "log_met",
            "list_backups",
            "backup_now",
            "inspect_backup",
            "restore_backup",
            "backup_keep",
            "set_backup_keep",
            "passphrase_status",
            "unlock_store",
            "change_passphrase",
            "take_changes",
            "watch_changes",
        ]));
    if let Err(e) = tauri_build::try_build(attributes) {
        eprintln!("tauri build step failed: {e:#}");
        std::process::exit(1);
    }
}
