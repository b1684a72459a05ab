//! Kith's own exports read back into Kith: the sample network exported with private notes and
//! interactions (vCard, CSV, Markdown notes), imported into a fresh store, gives back what
//! each format holds; imported into the store it came from, it adds and changes nothing.

use chrono::{DateTime, TimeZone, Utc};
use kith_core::export::{self, ExportFormat, ExportInput, ExportOptions};
use kith_core::import::{self, Format, ImportOptions, ImportOutcome, Limits};
use kith_core::store::normalize_handle;
use kith_core::{Contact, Interaction, Platform, Store};
use std::path::{Path, PathBuf};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap()
}

/// The sample network in a store.
fn sample_store() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    store.load_demo(now()).unwrap();
    store
}

/// Writes the store's export in `format` under `dir`; returns the file, or the folder of
/// notes.
fn export_to(store: &Store, format: ExportFormat, dir: &Path) -> PathBuf {
    let contacts = store.all_contacts().unwrap();
    let interactions = store.all_interactions().unwrap();
    let events = store.list_events().unwrap();
    let out = export::render(
        format,
        &ExportInput {
            contacts: &contacts,
            interactions: &interactions,
            events: &events,
            todos: &[],
            now: now(),
        },
        &ExportOptions {
            include_private: true,
            ..ExportOptions::default()
        },
    )
    .unwrap();
    let folder = dir.join(format.as_str());
    std::fs::create_dir_all(&folder).unwrap();
    for f in &out.files {
        std::fs::write(folder.join(&f.path), &f.bytes).unwrap();
    }
    match format {
        ExportFormat::Markdown => folder,
        _ => folder.join(&out.files[0].path),
    }
}

fn import_into(store: &mut Store, path: &Path) -> ImportOutcome {
    import::import(store, path, &ImportOptions::default(), now(), &mut |_| true)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn handles(c: &Contact, platforms: &[Platform]) -> Vec<(Platform, String)> {
    let mut out: Vec<(Platform, String)> = c
        .handles
        .iter()
        .filter(|h| platforms.contains(&h.platform))
        .map(|h| (h.platform, normalize_handle(&h.value)))
        .collect();
    out.sort();
    out
}

/// A contact with its handles in one order: exports group them by platform.
fn by_platform(mut c: Contact) -> Contact {
    c.handles
        .sort_by(|a, b| (a.platform, &a.value).cmp(&(b.platform, &b.value)));
    c
}

fn sorted(list: &[String]) -> Vec<String> {
    let mut list = list.to_vec();
    list.sort();
    list
}

/// Importing the export into the store it came from adds and changes nothing.
fn same_store_adds_nothing(format: ExportFormat, expected: Format) {
    let mut store = sample_store();
    let before = (
        store.all_contacts().unwrap(),
        store.all_interactions().unwrap(),
    );
    let dir = tempfile::tempdir().unwrap();
    let path = export_to(&store, format, dir.path());
    assert_eq!(import::detect(&path, &Limits::default()).unwrap(), expected);
    let outcome = import_into(&mut store, &path);
    let r = outcome.report;
    assert_eq!(
        (
            r.contacts_added,
            r.contacts_updated,
            r.interactions_added,
            r.interactions_updated
        ),
        (0, 0, 0, 0),
        "{format:?}: {outcome:?}"
    );
    assert!(r.contacts_unchanged > 30, "{outcome:?}");
    let after = (
        store.all_contacts().unwrap(),
        store.all_interactions().unwrap(),
    );
    assert_eq!(before, after, "{format:?}");
}

#[test]
fn vcard_comes_back_with_ids_names_handles_notes_and_roles() {
    let source = sample_store();
    let dir = tempfile::tempdir().unwrap();
    let path = export_to(&source, ExportFormat::Vcard, dir.path());
    let mut fresh = Store::open_in_memory().unwrap();
    let outcome = import_into(&mut fresh, &path);
    assert_eq!(outcome.format, Format::Vcard);
    let theirs = source.all_contacts().unwrap();
    let ours = fresh.all_contacts().unwrap();
    assert_eq!(ours.len(), theirs.len());
    let exported = [
        Platform::Email,
        Platform::Phone,
        Platform::Twitter,
        Platform::Mastodon,
        Platform::Bluesky,
        Platform::Blog,
        Platform::Linkedin,
    ];
    let mut private = 0;
    for c in &theirs {
        let back = fresh.contact(&c.id).unwrap();
        assert_eq!(back.name, c.name);
        assert_eq!(
            handles(&back, &exported),
            handles(c, &exported),
            "{}",
            c.name
        );
        assert_eq!(back.notes, c.notes.trim(), "{}", c.name);
        assert_eq!(back.private_notes, c.private_notes.trim(), "{}", c.name);
        private += usize::from(!back.private_notes.is_empty());
        assert_eq!(back.roles, c.roles, "{}", c.name);
        assert_eq!(sorted(&back.tags), sorted(&c.tags), "{}", c.name);
        assert_eq!(sorted(&back.expertise), sorted(&c.expertise), "{}", c.name);
        assert_eq!(back.organisation, c.organisation);
        assert_eq!(back.location, c.location);
    }
    assert!(private > 0, "the sample network has private notes");
}

#[test]
fn vcard_into_the_same_store_adds_nothing() {
    same_store_adds_nothing(ExportFormat::Vcard, Format::Vcard);
}

#[test]
fn csv_comes_back_with_handles_tags_roles_and_notes() {
    let source = sample_store();
    let dir = tempfile::tempdir().unwrap();
    let path = export_to(&source, ExportFormat::Csv, dir.path());
    let mut fresh = Store::open_in_memory().unwrap();
    let outcome = import_into(&mut fresh, &path);
    assert_eq!(outcome.format, Format::Csv);
    let theirs = source.all_contacts().unwrap();
    assert_eq!(fresh.all_contacts().unwrap().len(), theirs.len());
    for c in &theirs {
        let back = fresh.contact(&c.id).unwrap();
        let mut expected = c.clone();
        // What the CSV does not hold.
        expected.handles.retain(|h| h.platform != Platform::Other);
        expected.cadence_days = None;
        expected.created_at = back.created_at;
        expected.updated_at = back.updated_at;
        assert_eq!(by_platform(back), by_platform(expected));
    }
}

#[test]
fn csv_into_the_same_store_adds_nothing() {
    same_store_adds_nothing(ExportFormat::Csv, Format::Csv);
}

/// An interaction as the Markdown notes hold it.
fn comparable(i: &Interaction) -> Interaction {
    let mut i = i.clone();
    i.text = i.text.trim_matches('\n').to_string();
    i
}

#[test]
fn markdown_notes_come_back_with_contacts_and_interactions() {
    let source = sample_store();
    let dir = tempfile::tempdir().unwrap();
    let folder = export_to(&source, ExportFormat::Markdown, dir.path());
    let mut fresh = Store::open_in_memory().unwrap();
    let outcome = import_into(&mut fresh, &folder);
    assert_eq!(outcome.format, Format::Markdown);
    let theirs = source.all_contacts().unwrap();
    assert_eq!(fresh.all_contacts().unwrap().len(), theirs.len());
    for c in &theirs {
        let back = fresh.contact(&c.id).unwrap();
        let mut expected = c.clone();
        expected.cadence_days = None;
        expected.created_at = back.created_at;
        expected.updated_at = back.updated_at;
        assert_eq!(by_platform(back), by_platform(expected));
    }
    let mut want: Vec<Interaction> = source
        .all_interactions()
        .unwrap()
        .iter()
        .map(comparable)
        .collect();
    let mut got = fresh.all_interactions().unwrap();
    want.sort_by(|a, b| a.id.cmp(&b.id));
    got.sort_by(|a, b| a.id.cmp(&b.id));
    assert!(want.iter().any(|i| !i.public) && want.iter().any(|i| i.thread.is_some()));
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(&want) {
        assert_eq!(g, w);
    }

    // One note alone: that contact, with their interactions.
    let note = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap() == "Aroha Ngata.md")
        .unwrap();
    let mut one = Store::open_in_memory().unwrap();
    let outcome = import_into(&mut one, &note);
    assert_eq!(outcome.report.contacts_added, 1);
    assert!(outcome.report.interactions_added > 10, "{outcome:?}");
}

#[test]
fn markdown_notes_into_the_same_store_add_nothing() {
    same_store_adds_nothing(ExportFormat::Markdown, Format::Markdown);
}

#[test]
fn a_broken_note_names_the_file_and_line_and_changes_nothing() {
    let mut store = sample_store();
    let before = store.all_contacts().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let folder = export_to(&store, ExportFormat::Markdown, dir.path());
    let note = folder.join("Aroha Ngata.md");
    let text = std::fs::read_to_string(&note).unwrap();
    std::fs::write(&note, text.replacen("roles:\n", "roles: [\n", 1)).unwrap();
    let err = import::import(
        &mut store,
        &folder,
        &ImportOptions::default(),
        now(),
        &mut |_| true,
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("Aroha Ngata.md"), "{err}");
    assert!(err.contains("line "), "{err}");
    assert_eq!(store.all_contacts().unwrap(), before);

    let bad = folder.join("Ben Kowalski.md");
    let text = std::fs::read_to_string(&bad).unwrap();
    std::fs::write(&note, text.replacen("· Twitter/X ·", "· Fax ·", 1)).unwrap();
    let err = import::import(
        &mut store,
        &note,
        &ImportOptions::default(),
        now(),
        &mut |_| true,
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("\"Fax\" is not a channel"), "{err}");
    assert_eq!(store.all_contacts().unwrap(), before);
}

#[test]
fn a_broken_csv_row_names_the_line_and_column_and_changes_nothing() {
    let mut store = sample_store();
    let before = store.all_contacts().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = export_to(&store, ExportFormat::Csv, dir.path());
    let text = std::fs::read_to_string(&path).unwrap();
    let (n, line) = text
        .split("\r\n")
        .enumerate()
        .find(|(_, l)| l.contains(",Aroha Ngata,"))
        .unwrap();
    let broken = line.replacen("Aroha Ngata,", "Aroha Ngata,boss of everyone; ", 1);
    std::fs::write(&path, text.replacen(line, &broken, 1)).unwrap();
    let err = import::import(
        &mut store,
        &path,
        &ImportOptions::default(),
        now(),
        &mut |_| true,
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("contacts.csv"), "{err}");
    let place = format!("line {}, column \"roles\"", n + 1);
    assert!(err.contains(&place), "{err}");
    assert!(err.contains("\"boss of everyone\" is not a role"), "{err}");
    assert_eq!(store.all_contacts().unwrap(), before);
}

#[test]
fn important_dates_come_back_from_the_vcard_and_the_archive() {
    use kith_core::{ContactDraft, DateKind, ImportantDate};
    let mut source = Store::open_in_memory().unwrap();
    let mut birthday = ImportantDate::new(DateKind::Birthday, 4, 12, Some(1985)).unwrap();
    birthday.label = String::new();
    let anniversary = ImportantDate::new(DateKind::Anniversary, 2, 29, None).unwrap();
    let mut other = ImportantDate::new(DateKind::Other, 9, 1, Some(2010)).unwrap();
    other.label = "joined the library".into();
    let saved = source
        .save_contact(
            ContactDraft {
                name: "Zoë Ōtake".into(),
                dates: vec![birthday.clone(), anniversary.clone(), other.clone()],
                ..ContactDraft::default()
            },
            now(),
        )
        .unwrap();
    assert_eq!(
        saved.dates,
        [birthday.clone(), anniversary.clone(), other.clone()]
    );
    let dir = tempfile::tempdir().unwrap();

    // vCard has one birthday and one anniversary.
    let vcf = export_to(&source, ExportFormat::Vcard, dir.path());
    let text = std::fs::read_to_string(&vcf).unwrap();
    assert!(text.contains("BDAY:19850412\r\n"), "{text}");
    assert!(text.contains("ANNIVERSARY:--0229\r\n"), "{text}");
    let mut fresh = Store::open_in_memory().unwrap();
    import_into(&mut fresh, &vcf);
    assert_eq!(
        fresh.contact(&saved.id).unwrap().dates,
        [birthday.clone(), anniversary.clone()]
    );

    // The archive keeps every date, with its label.
    let json = dir.path().join("archive.json");
    let archive = kith_core::archive::Archive::from_store(&source, now()).unwrap();
    std::fs::write(&json, archive.to_json()).unwrap();
    assert!(archive.to_json().contains("\"--02-29\""));
    let mut fresh = Store::open_in_memory().unwrap();
    import_into(&mut fresh, &json);
    assert_eq!(fresh.contact(&saved.id).unwrap().dates, saved.dates);

    // The calendar has a yearly all-day event for each.
    let ics = std::fs::read_to_string(export_to(&source, ExportFormat::Ics, dir.path())).unwrap();
    assert_eq!(ics.matches("RRULE:FREQ=YEARLY").count(), 3, "{ics}");
    assert!(ics.contains("SUMMARY:Birthday: Zoë Ōtake"), "{ics}");
    assert!(ics.contains("DTSTART;VALUE=DATE:19850412"), "{ics}");
}
