//! Mail and CSV importers on real files written by other programs and people
//! (tests/fixtures/real, with their sources in SOURCES.md), against counts worked out
//! without Kith by tests/python/real_counts.py (expected.json beside the files), and on
//! damaged copies of those files made here: cut inside a record, or in another encoding.

#[path = "import_support.rs"]
mod support;

use chrono::NaiveDate;
use kith_core::import::{self, Format, ImportOptions, Limits};
use kith_core::{Platform, Store};
use serde_json::Value;
use std::path::{Path, PathBuf};
use support::*;

/// The mailbox owner in every mail import here: an address no real file holds, so every
/// message is someone else's and inbound.
const OWNER: &str = "owner@kith.invalid";

fn real(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/real")
        .join(rel)
}

fn expected(folder: &str) -> Vec<(String, Value)> {
    let text = std::fs::read_to_string(real(&format!("{folder}/expected.json"))).unwrap();
    let map: serde_json::Map<String, Value> = serde_json::from_str(&text).unwrap();
    map.into_iter().collect()
}

fn mail_options(format: Format) -> ImportOptions {
    ImportOptions {
        format: Some(format),
        my_emails: vec![OWNER.into()],
        ..ImportOptions::default()
    }
}

fn mail_format(name: &str) -> Format {
    if name.ends_with(".mbox") {
        Format::Mbox
    } else {
        Format::Eml
    }
}

/// A store that knows one contact for each of `addresses`.
fn store_knowing(addresses: &[&str], dir: &Path) -> Store {
    let mut store = Store::open_in_memory().unwrap();
    if !addresses.is_empty() {
        let cards: String = addresses
            .iter()
            .map(|a| format!("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{a}\r\nEMAIL:{a}\r\nEND:VCARD\r\n"))
            .collect();
        let path = dir.join("people.vcf");
        std::fs::write(&path, cards).unwrap();
        import_file(&mut store, &path).unwrap();
    }
    store
}

fn str_list(v: &Value) -> Vec<&str> {
    v.as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

#[test]
fn real_mail_imports_as_pythons_mailbox_and_email_read_it() {
    let dir = tempfile::tempdir().unwrap();
    let files = expected("mail");
    assert!(files.len() >= 12, "{} mail files", files.len());
    let mut imported = 0;
    for (name, want) in &files {
        let path = real(&format!("mail/{name}"));
        let format = mail_format(name);
        assert_eq!(
            import::detect(&path, &Limits::default()).unwrap(),
            format,
            "{name}"
        );
        let addresses = str_list(&want["addresses"]);
        let mut store = store_knowing(&addresses, dir.path());
        if want.get("refused").is_some() {
            assert_refused(&mut store, &path, &mail_options(format), "line");
            continue;
        }
        let outcome = import_with(&mut store, &path, &mail_options(format))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            u64::from(outcome.report.interactions_added),
            want["interactions"].as_u64().unwrap(),
            "{name}: {outcome:?}"
        );
        assert_eq!(
            u64::from(outcome.skipped),
            want["skipped"].as_u64().unwrap(),
            "{name}: {outcome:?}"
        );
        // Every address in a dated message, in any To, Cc or Bcc header, folded or not,
        // reached its contact.
        for a in &addresses {
            let timeline = store.timeline(&format!("vcard:email:{a}"), None).unwrap();
            assert_eq!(timeline.len(), 1, "{name}: {a} has no message");
            let text = &timeline[0].interaction.text;
            assert!(!text.contains('\r'), "{name}: carriage return in {text:?}");
        }
        imported += 1;
    }
    assert!(imported >= 11, "{imported} mail files imported");
}

#[test]
fn real_html_mail_is_stored_as_the_text_a_reader_sees() {
    let dir = tempfile::tempdir().unwrap();
    for name in [
        "thunderbird-23-HTML.eml",
        "thunderbird-24-HTML+attachment.eml",
    ] {
        let mut store = store_knowing(&["test@example.com"], dir.path());
        import_with(
            &mut store,
            &real(&format!("mail/{name}")),
            &mail_options(Format::Eml),
        )
        .unwrap();
        let timeline = store
            .timeline("vcard:email:test@example.com", None)
            .unwrap();
        let text = &timeline[0].interaction.text;
        assert!(text.ends_with("\n\nSearch for höhö"), "{name}: {text:?}");
        assert!(!text.contains('<') && !text.contains("body"), "{text:?}");
    }
}

#[test]
fn real_mail_with_several_to_headers_and_a_folded_one_reaches_everyone_once() {
    let dir = tempfile::tempdir().unwrap();
    let people = [
        "second.to.field@invalid",
        "third.to.field@invalid",
        "lyukshinra@krw.rzd",
        "biakus@krw.rzd",
    ];
    let mut store = store_knowing(&people, dir.path());
    let path = real("mail/thunderbird-mailformed_recipients.eml");
    let outcome = import_with(&mut store, &path, &mail_options(Format::Eml)).unwrap();
    assert_eq!(outcome.report.interactions_added, 1);
    let mail = store.interaction("mail:1322917661.14@mars").unwrap();
    assert_eq!(
        mail.contact_ids.len(),
        people.len(),
        "{:?}",
        mail.contact_ids
    );
    assert!(!mail.text.contains('\r'));
    assert!(mail.text.starts_with("CS-MARS Incident Notification"));
}

#[test]
fn an_mbox_cut_inside_a_message_is_refused_naming_the_line_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mbox = std::fs::read(real("mail/thunderbird-bugmail1.mbox")).unwrap();
    let html = std::fs::read(real("mail/thunderbird-24-HTML+attachment.eml")).unwrap();
    let people = ["invalid@example.com", "test@example.com"];
    let mut store = store_knowing(&people, dir.path());
    let options = mail_options(Format::Mbox);

    // Cut in the middle of a header line.
    let at = find(&mbox, b"Subject: [Bug").unwrap() + 12;
    let cut = write(dir.path(), "cut-in-header.mbox", &mbox[..at]);
    let lines = mbox[..at].split(|b| *b == b'\n').count();
    let msg = assert_refused(&mut store, &cut, &options, &format!("line {lines}"));
    assert!(msg.contains("headers"), "{msg}");

    // A second message, cut inside its attachment: the multipart never closes.
    let mut two = mbox.clone();
    two.extend_from_slice(b"From - Sat Dec 30 19:15:38 2017\n");
    let at = find(&html, b"AAAAASUVORK5CYII=").unwrap();
    two.extend_from_slice(&html[..at]);
    let cut = write(dir.path(), "cut-in-attachment.mbox", &two);
    let lines = two.split(|b| *b == b'\n').count();
    let msg = assert_refused(&mut store, &cut, &options, &format!("line {lines}"));
    assert!(msg.contains("message 2"), "{msg}");
    assert!(msg.contains("boundary"), "{msg}");

    // The same two messages whole, and with no newline at the very end: both import.
    two.extend_from_slice(&html[at..]);
    while two.ends_with(b"\n") {
        two.pop();
    }
    let whole = write(dir.path(), "whole-no-final-newline.mbox", &two);
    let outcome = import_with(&mut store, &whole, &options).unwrap();
    assert_eq!(outcome.report.interactions_added, 2, "{outcome:?}");
}

#[test]
fn an_unescaped_from_line_in_a_body_stays_in_its_message() {
    let dir = tempfile::tempdir().unwrap();
    // Python's own test mbox ends in an unescaped "From time to time"; a real Thunderbird
    // message follows it here.
    let mut mbox = std::fs::read(real("mail/cpython-mailbox_01.mbox")).unwrap();
    mbox.extend_from_slice(b"\n");
    mbox.extend(std::fs::read(real("mail/thunderbird-bugmail1.mbox")).unwrap());
    let path = write(dir.path(), "two.mbox", &mbox);
    let mut store = store_knowing(&["invalid@example.com"], dir.path());
    let outcome = import_with(&mut store, &path, &mail_options(Format::Mbox)).unwrap();
    // The first message has no date (skipped); the body line did not start a third.
    assert_eq!(outcome.skipped, 1, "{outcome:?}");
    assert_eq!(outcome.report.interactions_added, 1, "{outcome:?}");
}

#[test]
fn mail_in_another_encoding_is_refused_at_line_one() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(real("mail/thunderbird-bugmail1.mbox")).unwrap();
    let utf16: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let path = write(dir.path(), "utf16.mbox", &utf16);
    let mut store = Store::open_in_memory().unwrap();
    assert_refused(&mut store, &path, &mail_options(Format::Mbox), "line 1");
}

#[test]
fn real_csv_imports_as_pythons_csv_reads_it() {
    let files = expected("csv");
    assert!(files.len() >= 7, "{} CSV files", files.len());
    let mut imported = 0;
    for (name, want) in &files {
        let path = real(&format!("csv/{name}"));
        let mut store = Store::open_in_memory().unwrap();
        if want.get("refused").is_some() {
            let before = snapshot(&store);
            let err = import_file(&mut store, &path).expect_err(name);
            assert_eq!(err.code(), "bad_import", "{name}: {err}");
            assert_eq!(snapshot(&store), before);
            continue;
        }
        let format = match want["kind"].as_str().unwrap() {
            "linkedin" => Format::Linkedin,
            _ => Format::Google,
        };
        assert_eq!(
            import::detect(&path, &Limits::default()).unwrap(),
            format,
            "{name}"
        );
        let outcome = import_file(&mut store, &path).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            u64::from(outcome.report.contacts_added),
            want["contacts"].as_u64().unwrap(),
            "{name}: {outcome:?}"
        );
        assert_eq!(
            u64::from(outcome.skipped),
            want["skipped"].as_u64().unwrap(),
            "{name}: {outcome:?}"
        );
        if let (Some(first), Some(last)) = (want["first_met"].as_str(), want["last_met"].as_str()) {
            let met: Vec<NaiveDate> = store
                .all_contacts()
                .unwrap()
                .iter()
                .filter_map(|c| c.met_on)
                .collect();
            assert_eq!(met.iter().min().unwrap().to_string(), first, "{name}");
            assert_eq!(met.iter().max().unwrap().to_string(), last, "{name}");
        }
        let again = import_file(&mut store, &path).unwrap();
        assert_eq!(again.report.contacts_added, 0, "{name}");
        imported += 1;
    }
    assert!(imported >= 5, "{imported} CSV files imported");
}

#[test]
fn a_2018_linkedin_export_reads_its_dates_and_member_ids() {
    let mut store = Store::open_in_memory().unwrap();
    import_file(&mut store, &real("csv/linkedin-2018-connections.csv")).unwrap();
    // "1/8/18, 6:14 PM": 8 January 2018, month first as LinkedIn wrote it.
    let first = store
        .contact("linkedin:email:person001@example.com")
        .unwrap();
    assert_eq!(first.met_on.unwrap().to_string(), "2018-01-08");
    assert_eq!(first.met_where, "LinkedIn");
    // A member id in the e-mail column is not an e-mail address.
    let member = store.contact("linkedin:member:100000040").unwrap();
    assert!(
        member.handles.iter().all(|h| h.platform != Platform::Email),
        "{:?}",
        member.handles
    );
}

#[test]
fn outlook_csv_and_a_linkedin_export_without_names_are_refused_saying_why() {
    let mut store = Store::open_in_memory().unwrap();
    import_file(&mut store, &real("csv/linkedin-2025-connections.csv")).unwrap();
    let options = ImportOptions::default();
    // Outlook's columns, whether Google or Outlook 365 wrote them, are not a format Kith reads:
    // the message quotes the header and says how to name a format.
    for name in ["csv/google-outlook-csv.csv", "csv/outlook365-contacts.csv"] {
        let msg = assert_refused(&mut store, &real(name), &options, "the first line");
        assert!(
            msg.contains("\"First Name,Middle Name,Last Name,Title")
                || msg.contains("\"Title,First Name,Middle Name"),
            "{msg}"
        );
        assert!(msg.contains("--format"), "{msg}");
    }
    // LinkedIn's preamble, but the name columns were cut: nobody could be named.
    let msg = assert_refused(
        &mut store,
        &real("csv/linkedin-2021-names-removed.csv"),
        &options,
        "the header",
    );
    assert!(msg.contains("First Name"), "{msg}");
}

#[test]
fn a_csv_cut_inside_a_record_is_refused_naming_the_line_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in_memory().unwrap();
    import_file(&mut store, &real("csv/linkedin-2025-connections.csv")).unwrap();
    let options = ImportOptions::default();

    // Inside the quoted date of line 20.
    let old = std::fs::read_to_string(real("csv/linkedin-2018-connections.csv")).unwrap();
    let line20 = old
        .split_inclusive('\n')
        .take(19)
        .map(str::len)
        .sum::<usize>();
    let at = line20 + old[line20..].find("\"").unwrap() + 4;
    let cut = write(dir.path(), "cut-in-quotes.csv", &old.as_bytes()[..at]);
    assert_refused(&mut store, &cut, &options, "line 20");

    // Inside a row, outside quotes: the last row is short of cells and has no line end.
    let new = std::fs::read_to_string(real("csv/linkedin-2024-connections.csv")).unwrap();
    let line30 = new
        .split_inclusive('\n')
        .take(29)
        .map(str::len)
        .sum::<usize>();
    let cut = write(dir.path(), "cut-in-row.csv", &new.as_bytes()[..line30 + 40]);
    assert_refused(&mut store, &cut, &options, "line 30");

    // Google's multi-line address cell, cut before it closes: named where it opens.
    let google = std::fs::read_to_string(real("csv/google-contacts-legacy.csv")).unwrap();
    let at = google.find("Musterstraße\nPostfach").unwrap() + 5;
    let cut = write(dir.path(), "cut-google.csv", &google.as_bytes()[..at]);
    assert_refused(&mut store, &cut, &options, "line 2");

    // The same export saved as Latin-1.
    let latin1: Vec<u8> = google
        .chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
        .collect();
    let path = write(dir.path(), "latin1.csv", &latin1);
    assert_refused(&mut store, &path, &options, "line 2");
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}
