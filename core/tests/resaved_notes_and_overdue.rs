//! Kith's own Markdown notes after another editor re-saved them (keys reordered, Windows line
//! endings, a byte-order mark) still import; the iCalendar export leaves out to-dos that were
//! due long ago unless asked.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use kith_core::export::{self, ExportFormat, ExportInput, ExportOptions, Todo};
use kith_core::import::{self, Format, ImportOptions, Limits};
use kith_core::Store;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 7, 9, 0, 0).unwrap()
}

/// The demo network's notes, as Kith writes them.
fn notes() -> Vec<(String, String)> {
    let mut store = Store::open_in_memory().unwrap();
    store.load_demo(now()).unwrap();
    let contacts = store.all_contacts().unwrap();
    let interactions = store.all_interactions().unwrap();
    let out = export::render(
        ExportFormat::Markdown,
        &ExportInput {
            contacts: &contacts,
            interactions: &interactions,
            events: &[],
            todos: &[],
            now: now(),
        },
        &ExportOptions::default(),
    )
    .unwrap();
    out.files
        .into_iter()
        .map(|f| (f.path, String::from_utf8(f.bytes).unwrap()))
        .collect()
}

/// What an editor that sorts the front matter's keys and writes Windows line endings with a
/// byte-order mark makes of a note: the `id:` line moves after `name:`.
fn resave(note: &str) -> String {
    let mut lines: Vec<&str> = note.lines().collect();
    let id = lines.iter().position(|l| l.starts_with("id:")).unwrap();
    let name = lines.iter().position(|l| l.starts_with("name:")).unwrap();
    let moved = lines.remove(id);
    lines.insert(name, moved);
    format!("\u{feff}{}\r\n", lines.join("\r\n"))
}

#[test]
fn notes_resaved_by_another_editor_still_import() {
    let dir = tempfile::tempdir().unwrap();
    let notes = notes();
    assert!(notes.len() > 2);
    for (path, text) in &notes {
        let again = resave(text);
        assert!(!again.lines().nth(1).unwrap().starts_with("id:"));
        std::fs::write(dir.path().join(path), again).unwrap();
    }
    let one = dir.path().join(&notes[0].0);
    assert_eq!(
        import::detect(&one, &Limits::default()).unwrap(),
        Format::Markdown
    );
    assert_eq!(
        import::detect(dir.path(), &Limits::default()).unwrap(),
        Format::Markdown
    );
    let mut store = Store::open_in_memory().unwrap();
    let outcome = import::import(
        &mut store,
        dir.path(),
        &ImportOptions::default(),
        now(),
        &mut |_| true,
    )
    .unwrap();
    assert_eq!(outcome.report.contacts_added as usize, notes.len());
}

fn todo(id: &str, due: NaiveDate) -> Todo {
    Todo {
        id: id.into(),
        contact_id: None,
        summary: format!("Get back in touch ({id})"),
        description: String::new(),
        due,
    }
}

fn ics(include_overdue: bool) -> String {
    let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    let todos = [
        todo("years-ago", day(2021, 3, 1)),
        todo("last-month", day(2026, 11, 20)),
        todo("next-week", day(2026, 12, 14)),
    ];
    let out = export::render(
        ExportFormat::Ics,
        &ExportInput {
            contacts: &[],
            interactions: &[],
            events: &[],
            todos: &todos,
            now: now(),
        },
        &ExportOptions {
            include_overdue,
            ..ExportOptions::default()
        },
    )
    .unwrap();
    String::from_utf8(out.files[0].bytes.clone()).unwrap()
}

#[test]
fn to_dos_due_long_ago_are_left_out_unless_asked() {
    let shared = ics(false);
    assert!(!shared.contains("years-ago"), "{shared}");
    assert!(shared.contains("last-month"));
    assert!(shared.contains("next-week"));
    let all = ics(true);
    assert!(all.contains("years-ago"));
}
