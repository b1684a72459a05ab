//! Real vCards written by address books (Android, iPhone, Gmail, Outlook, Windows Address Book,
//! Thunderbird, Japanese phones) in every encoding they use: UTF-8 with and without a
//! byte-order mark, UTF-16 with one, Windows-1251/1252/1253 declared per property or not at
//! all, Shift_JIS, and vCard 2.1's quoted-printable with soft line breaks. The files and their
//! sources are in tests/fixtures/real/vcard (SOURCES.md); the counts each must give are in
//! expected.json, worked out with Python's vobject by tests/python/real_vcard_counts.py.
//!
//! Also damaged copies made here: a file cut in the middle of a card, and a name whose bytes
//! are not in the character set it declares. Both are refused and change nothing.

#[path = "import_support.rs"]
mod support;

use kith_core::import::{self, Format, Limits};
use kith_core::{Contact, DateKind, Platform, Store};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use support::*;

fn folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/real/vcard")
}

#[derive(Debug, serde::Deserialize)]
struct Expected {
    contacts: usize,
    emails: usize,
    notes: usize,
    birthdays: usize,
}

fn expected() -> BTreeMap<String, Expected> {
    let text = std::fs::read_to_string(folder().join("expected.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The paragraphs of a contact's notes that came from NOTE properties (a card's title is kept
/// in the notes too, as `Title: …`).
fn note_count(c: &Contact) -> usize {
    c.notes
        .split("\n\n")
        .filter(|p| !p.trim().is_empty() && !p.starts_with("Title: "))
        .count()
}

fn import_alone(name: &str) -> (Store, kith_core::import::ImportOutcome) {
    let mut store = Store::open_in_memory().unwrap();
    let path = folder().join(name);
    assert_eq!(
        import::detect(&path, &Limits::default()).unwrap(),
        Format::Vcard,
        "{name}"
    );
    let outcome = import_file(&mut store, &path).unwrap_or_else(|e| panic!("{name}: {e}"));
    (store, outcome)
}

#[test]
fn every_real_vcard_imports_with_the_counts_an_independent_parser_finds() {
    let expected = expected();
    assert!(expected.len() >= 12, "{} files", expected.len());
    for (name, want) in &expected {
        let (store, _) = import_alone(name);
        let contacts = store.all_contacts().unwrap();
        let emails: usize = contacts
            .iter()
            .map(|c| {
                c.handles
                    .iter()
                    .filter(|h| h.platform == Platform::Email)
                    .count()
            })
            .sum();
        let notes: usize = contacts.iter().map(note_count).sum();
        let birthdays: usize = contacts
            .iter()
            .map(|c| {
                c.dates
                    .iter()
                    .filter(|d| d.kind == DateKind::Birthday)
                    .count()
            })
            .sum();
        assert_eq!(
            (contacts.len(), emails, notes, birthdays),
            (want.contacts, want.emails, want.notes, want.birthdays),
            "{name}: (contacts, emails, notes, birthdays)"
        );
    }
}

#[test]
fn names_in_legacy_encodings_come_out_exact() {
    let cases = [
        (
            "folkerkinzel-ansi-ukrainian-windows-1251.vcf",
            "Віталій Володимирович Кличко",
        ),
        ("folkerkinzel-ansi-greek-windows-1253.vcf", "Βαγγέλης"),
        ("folkerkinzel-utf8-bom-greek.vcf", "Βαγγέλης"),
        (
            "folkerkinzel-ansi-german-windows-1252.vcf",
            "Sören Täve Nüßlebaum",
        ),
        ("aosp-v21-japanese-1-shift_jis.vcf", "安藤ロイド"),
        ("aosp-v21-japanese-3-shift_jis.vcf", "伊能 圭一 伊予"),
        ("aosp-v30-japanese-shift_jis.vcf", "伊能 圭一 伊予"),
        (
            "aosp-v21-japanese-2-shift_jis-quoted-printable.vcf",
            "安藤 ロイド 1",
        ),
        ("folkerkinzel-v3-utf16le-bom.vcf", "KMS Außenstelle"),
        ("folkerkinzel-v3-undeclared-ansi.vcf", "KMS Außenstelle"),
        ("folkerkinzel-outlook-undeclared-ansi.vcf", "Ralf Rastral"),
    ];
    for (file, name) in cases {
        let (store, _) = import_alone(file);
        let names: Vec<String> = store
            .all_contacts()
            .unwrap()
            .into_iter()
            .map(|c| c.name)
            .collect();
        assert!(names.iter().any(|n| n == name), "{file}: {names:?}");
    }
}

#[test]
fn text_in_declared_code_pages_and_quoted_printable_is_decoded() {
    // The town is undeclared Windows-1251 in a card whose label declares it.
    let (store, _) = import_alone("folkerkinzel-ansi-ukrainian-windows-1251.vcf");
    assert_eq!(store.all_contacts().unwrap()[0].location, "Київ");
    // A Shift_JIS note in quoted-printable.
    let (store, _) = import_alone("aosp-v21-japanese-2-shift_jis-quoted-printable.vcf");
    assert_eq!(store.all_contacts().unwrap()[0].notes, "メモ");
    // A note split by soft line breaks, and a second note kept.
    let (store, _) = import_alone("aosp-v21-complicated.vcf");
    let c = &store.all_contacts().unwrap()[0];
    assert!(
        c.notes.contains(
            "The following note is the example from RFC 2045.\n\nNow's the time for all folk to come to the aid of their country."
        ),
        "{:?}",
        c.notes
    );
    // An anniversary from Windows Mobile, a birthday from a Windows Address Book.
    let (store, _) = import_alone("aosp-v21-windows-mobile-6.5.vcf");
    let d = &store.all_contacts().unwrap()[0].dates;
    assert_eq!(
        (d[0].kind, d[0].year, d[0].month, d[0].day),
        (DateKind::Anniversary, Some(2009), 10, 10)
    );
    let (store, _) = import_alone("folkerkinzel-windows-address-book-2.1.vcf");
    let d = &store.all_contacts().unwrap()[0].dates;
    assert!(d
        .iter()
        .any(|d| d.kind == DateKind::Birthday && d.iso() == "1972-01-31"));
    assert!(d
        .iter()
        .any(|d| d.kind == DateKind::Anniversary && d.iso() == "2000-12-24"));
}

#[test]
fn guesses_and_left_out_values_are_said_in_the_preview() {
    // No character set anywhere in the card: read as Windows-1252, and the preview says so,
    // naming the file.
    let (_, outcome) = import_alone("folkerkinzel-ansi-hebrew-undeclared.vcf");
    assert!(
        outcome
            .notes
            .iter()
            .any(|n| n.contains("folkerkinzel-ansi-hebrew-undeclared.vcf")
                && n.contains("Windows-1252")),
        "{:?}",
        outcome.notes
    );
    // A birthday that is no date (month 31) is left out, and said.
    let (_, outcome) = import_alone("folkerkinzel-thunderbird-cardbook-4.0.vcf");
    assert!(
        outcome
            .notes
            .iter()
            .any(|n| n.contains("birthday left out")),
        "{:?}",
        outcome.notes
    );
}

#[test]
fn importing_the_whole_corpus_twice_adds_nothing_the_second_time() {
    let mut store = Store::open_in_memory().unwrap();
    for name in expected().keys() {
        import_file(&mut store, &folder().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    let before = snapshot(&store);
    for name in expected().keys() {
        let again = import_file(&mut store, &folder().join(name)).unwrap();
        assert_eq!(again.report.contacts_added, 0, "{name}");
    }
    assert_eq!(snapshot(&store), before);
}

#[test]
fn damaged_copies_are_refused_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in_memory().unwrap();
    import_file(&mut store, &folder().join("aosp-v21-complicated.vcf")).unwrap();
    let before = snapshot(&store);

    // Cut in the middle of a card.
    let whole = std::fs::read(folder().join("folkerkinzel-v3-undeclared-ansi.vcf")).unwrap();
    let cut = dir.path().join("cut.vcf");
    std::fs::write(&cut, &whole[..whole.len() * 2 / 3]).unwrap();
    let err = import_file(&mut store, &cut).unwrap_err().to_string();
    assert!(
        err.contains("cut.vcf") && err.contains("END:VCARD"),
        "{err}"
    );
    assert_eq!(snapshot(&store), before);

    // A UTF-16 file cut in the middle of a character.
    let whole = std::fs::read(folder().join("folkerkinzel-v3-utf16le-bom.vcf")).unwrap();
    let odd = dir.path().join("odd.vcf");
    std::fs::write(&odd, &whole[..whole.len() - 1]).unwrap();
    assert!(import_file(&mut store, &odd).is_err());
    assert_eq!(snapshot(&store), before);

    // Names that declare a character set their bytes are not in: Windows-1252 bytes
    // declared UTF-8, and a Shift_JIS lead byte with nothing after it.
    let german = std::fs::read(folder().join("folkerkinzel-ansi-german-windows-1252.vcf")).unwrap();
    let at = german.windows(3).position(|w| w == b"FN:").unwrap();
    let mut lied_bytes = german.clone();
    lied_bytes.splice(at..at + 3, b"FN;CHARSET=UTF-8:".iter().copied());
    let mislabelled = dir.path().join("mislabelled.vcf");
    std::fs::write(&mislabelled, &lied_bytes).unwrap();
    let err = import_file(&mut store, &mislabelled)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("mislabelled.vcf") && err.contains("line 3") && err.contains("UTF-8"),
        "{err}"
    );
    assert_eq!(snapshot(&store), before);

    let mut broken = b"BEGIN:VCARD\r\nVERSION:2.1\r\nFN;CHARSET=SHIFT_JIS:".to_vec();
    broken.extend_from_slice(&[0x88, 0xC9, 0x94]); // 伊 and half of the next character
    broken.extend_from_slice(b"\r\nEND:VCARD\r\n");
    let half = dir.path().join("half.vcf");
    std::fs::write(&half, &broken).unwrap();
    let err = import_file(&mut store, &half).unwrap_err().to_string();
    assert!(err.contains("Shift_JIS"), "{err}");
    assert_eq!(snapshot(&store), before);
}
