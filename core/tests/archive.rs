//! The JSON archive: round trips, idempotent re-imports, and bad files refused with the place
//! named and the store unchanged.

use chrono::{TimeZone, Utc};
use kith_core::archive::Archive;
use kith_core::import::{self, Format, ImportOptions, Limits, Progress};
use kith_core::{Channel, ContactFilter, RoleDirection, RoleKind, Store};

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 1, 12, 0, 0)
        .single()
        .unwrap()
}

const GOOD: &str = r##"{
  "format": "kith-archive", "version": 1, "exported_at": "2026-10-01T00:00:00Z",
  "contacts": [
    {"id": "c1", "name": "Aroha Ngata", "roles": ["mentor", "peer"],
     "handles": {"twitter": "@arohareads", "email": ["aroha@example.org", "a.ngata@example.org"]},
     "organisation": "Tairāwhiti Libraries", "location": "Gisborne", "notes": "Prefers email",
     "private_notes": "Restructure at work", "tags": ["leadership"], "expertise": ["management"],
     "mutual": true},
    {"id": "c2", "name": "Chen Wei",
     "roles": [{"kind": "expert", "direction": "they_advise_me", "topics": ["Koha serials"], "acknowledged": false}]},
    {"id": "c3", "name": "Minimal"}
  ],
  "interactions": [
    {"id": "i1", "contact_ids": ["c1"], "channel": "twitter", "direction": "outbound",
     "occurred_at": "2026-09-01T10:00:00+12:00", "public": true, "text": "Question about leadership",
     "thread": "t1", "tags": ["#auslibchat"]},
    {"id": "i2", "contact_ids": ["c1", "c2"], "channel": "email", "direction": "inbound",
     "occurred_at": "2026-09-02T10:00:00Z"}
  ],
  "events": [
    {"id": "e1", "name": "LIANZA", "starts_on": "2026-11-20", "ends_on": "2026-11-22",
     "location": "Wellington", "attendee_ids": ["c1", "c2"]}
  ]
}"##;

fn import(store: &mut Store, json: &str) -> kith_core::Result<kith_core::store::ImportReport> {
    store.import_archive(Archive::parse(json, "network.json")?, now())
}

#[test]
fn an_archive_imports_with_every_field() {
    let mut store = Store::open_in_memory().unwrap();
    let report = import(&mut store, GOOD).unwrap();
    assert_eq!(
        (
            report.contacts_added,
            report.interactions_added,
            report.events_added
        ),
        (3, 2, 1)
    );
    let aroha = store.contact("c1").unwrap();
    assert_eq!(aroha.handles.len(), 3);
    assert_eq!(aroha.roles.len(), 2);
    assert!(
        aroha.roles.iter().all(|r| r.acknowledged),
        "mutual: true acknowledges plain roles"
    );
    assert_eq!(aroha.roles[0].direction, RoleDirection::TheyAdviseMe);
    assert_eq!(aroha.private_notes, "Restructure at work");
    let chen = store.contact("c2").unwrap();
    assert_eq!(chen.roles[0].kind, RoleKind::Expert);
    assert_eq!(chen.roles[0].topics, ["Koha serials"]);
    let i1 = store.interaction("i1").unwrap();
    assert_eq!(
        i1.occurred_at,
        Utc.with_ymd_and_hms(2026, 8, 31, 22, 0, 0).unwrap(),
        "stored in UTC"
    );
    assert_eq!(i1.thread.as_deref(), Some("t1"));
    let i2 = store.interaction("i2").unwrap();
    assert!(!i2.public, "email defaults to private");
    assert_eq!(i2.contact_ids, ["c1", "c2"]);
    assert_eq!(store.event("e1").unwrap().attendee_ids.len(), 2);
}

#[test]
fn importing_the_same_file_twice_adds_nothing() {
    let mut store = Store::open_in_memory().unwrap();
    import(&mut store, GOOD).unwrap();
    let before = store.stats().unwrap();
    let again = import(&mut store, GOOD).unwrap();
    assert_eq!(store.stats().unwrap(), before);
    assert_eq!(
        (
            again.contacts_added,
            again.interactions_added,
            again.events_added
        ),
        (0, 0, 0)
    );
    assert_eq!(
        (
            again.contacts_updated,
            again.interactions_updated,
            again.events_updated
        ),
        (0, 0, 0)
    );
    assert_eq!(again.contacts_unchanged, 3);
}

#[test]
fn a_newer_export_updates_in_place() {
    let mut store = Store::open_in_memory().unwrap();
    import(&mut store, GOOD).unwrap();
    let newer = GOOD
        .replace("\"Prefers email\"", "\"Prefers a call\"")
        .replace(
            "\"events\": [",
            "\"events\": [{\"id\": \"e2\", \"name\": \"VALA\", \"starts_on\": \"2027-02-01\"},",
        );
    let report = import(&mut store, &newer).unwrap();
    assert_eq!((report.contacts_updated, report.events_added), (1, 1));
    assert_eq!(store.contact("c1").unwrap().notes, "Prefers a call");
    assert_eq!(store.stats().unwrap().contacts, 3);
}

#[test]
fn export_then_import_into_a_fresh_store_round_trips() {
    let mut first = Store::open_in_memory().unwrap();
    first.load_demo(now()).unwrap();
    import(&mut first, GOOD).unwrap();
    let json = Archive::from_store(&first, now()).unwrap().to_json();

    let mut second = Store::open_in_memory().unwrap();
    import(&mut second, &json).unwrap();
    assert_eq!(
        first.all_contacts().unwrap(),
        second.all_contacts().unwrap()
    );
    assert_eq!(
        first.all_interactions().unwrap(),
        second.all_interactions().unwrap()
    );
    assert_eq!(first.list_events().unwrap(), second.list_events().unwrap());
    // And the export of the copy is the same document.
    assert_eq!(Archive::from_store(&second, now()).unwrap().to_json(), json);
}

/// Each bad file is refused, the message names the place, and the store is unchanged.
#[test]
fn bad_files_are_refused_naming_the_place() {
    let cases: &[(&str, String, &str)] = &[
        (
            "invalid JSON",
            GOOD.replacen("\"contacts\": [", "\"contacts\": [,", 1),
            "line 3",
        ),
        (
            "unknown channel",
            GOOD.replace("\"channel\": \"twitter\"", "\"channel\": \"fax\""),
            "interactions[0].channel",
        ),
        (
            "missing contact",
            GOOD.replace(
                "[\"c1\", \"c2\"], \"channel\"",
                "[\"c1\", \"c9\"], \"channel\"",
            ),
            "interactions[1].contact_ids[1]",
        ),
        (
            "wrong date",
            GOOD.replace("2026-09-02T10:00:00Z", "2026-02-30T10:00:00Z"),
            "interactions[1].occurred_at",
        ),
        (
            "not a date",
            GOOD.replace("2026-11-20", "next Tuesday"),
            "events[0].starts_on",
        ),
        (
            "unknown role",
            GOOD.replace("[\"mentor\", \"peer\"]", "[\"guru\"]"),
            "contacts[0].roles[0]",
        ),
        (
            "no name",
            GOOD.replace("\"Minimal\"", "\"  \""),
            "contacts[2].name",
        ),
        (
            "duplicate id",
            GOOD.replace("\"id\": \"c3\"", "\"id\": \"c2\""),
            "contacts[2].id",
        ),
        (
            "wrong type",
            GOOD.replace("\"public\": true", "\"public\": \"yes\""),
            "interactions[0].public",
        ),
        (
            "missing field",
            GOOD.replace("\"direction\": \"inbound\",", ""),
            "interactions[1]",
        ),
        (
            "wrong format",
            GOOD.replace("kith-archive", "something-else"),
            "format",
        ),
        (
            "bad attendee",
            GOOD.replace(
                "\"attendee_ids\": [\"c1\", \"c2\"]",
                "\"attendee_ids\": [\"zz\"]",
            ),
            "events[0].attendee_ids[0]",
        ),
    ];
    let mut store = Store::open_in_memory().unwrap();
    store.load_demo(now()).unwrap();
    let before = Archive::from_store(&store, now()).unwrap().to_json();
    for (what, json, place) in cases {
        let err = import(&mut store, json).expect_err(what);
        let msg = err.to_string();
        assert_eq!(err.code(), "bad_import", "{what}: {msg}");
        assert!(
            msg.contains("network.json"),
            "{what}: names the file: {msg}"
        );
        assert!(msg.contains(place), "{what}: names {place:?}: {msg}");
        assert_eq!(
            Archive::from_store(&store, now()).unwrap().to_json(),
            before,
            "{what}: store unchanged"
        );
    }
}

#[test]
fn a_reference_to_a_contact_already_in_the_store_is_accepted() {
    let mut store = Store::open_in_memory().unwrap();
    import(&mut store, GOOD).unwrap();
    let later = r#"{"interactions": [{"id": "i9", "contact_ids": ["c2"], "channel": "video-call",
        "direction": "mutual", "occurred_at": "2026-10-01T09:00:00Z", "text": "call"}]}"#;
    import(&mut store, later).unwrap();
    assert_eq!(store.interaction("i9").unwrap().channel, Channel::VideoCall);
}

#[test]
fn a_file_that_is_not_utf8_or_too_big_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("latin1.json");
    std::fs::write(
        &path,
        b"{\"contacts\": [{\"id\": \"c1\", \"name\": \"Jos\xe9\"}]}",
    )
    .unwrap();
    let err = Archive::read(&path).unwrap_err();
    assert_eq!(err.code(), "bad_import");
    assert!(
        err.to_string().contains("latin1.json") && err.to_string().contains("UTF-8"),
        "{err}"
    );
    let store = Store::open_in_memory().unwrap();
    assert_eq!(
        store
            .list_contacts(&ContactFilter::default())
            .unwrap()
            .len(),
        0
    );
}

#[test]
fn a_merged_contact_stays_merged_when_the_file_is_imported_again() {
    let mut store = Store::open_in_memory().unwrap();
    import(&mut store, GOOD).unwrap();
    let merged = store.merge_contacts("c1", "c3", now()).unwrap();
    assert_eq!(merged.id, "c1");
    assert_eq!(store.stats().unwrap().contacts, 2);
    assert_eq!(
        store.contact("c3").unwrap().id,
        "c1",
        "the old id leads to the merged contact"
    );
    let again = import(&mut store, GOOD).unwrap();
    assert_eq!(again.contacts_added, 0);
    assert_eq!(
        store.stats().unwrap().contacts,
        2,
        "the duplicate does not come back"
    );

    store.merge_contacts("c1", "c2", now()).unwrap();
    let one = store.contact("c1").unwrap();
    assert!(
        one.roles.iter().any(|r| r.kind == RoleKind::Expert),
        "roles move over"
    );
    let i2 = store.interaction("i2").unwrap();
    assert_eq!(
        i2.contact_ids,
        ["c1"],
        "an interaction with both keeps one participant"
    );
    assert_eq!(store.event("e1").unwrap().attendee_ids, ["c1"]);
    assert_eq!(
        store.merge_contacts("c1", "c2", now()).unwrap_err().code(),
        "invalid_input"
    );
}

/// An archive of `contacts` people and `interactions` emails with them, one record a line so
/// a record's line is known: `lines[k]` is line `k + 1`.
fn generated(contacts: usize, interactions: usize) -> Vec<String> {
    let mut lines = vec![
        r#"{"format": "kith-archive", "version": 1, "exported_at": "2026-10-01T00:00:00Z","#
            .to_string(),
        r#" "contacts": ["#.to_string(),
    ];
    for n in 0..contacts {
        let comma = if n + 1 < contacts { "," } else { "" };
        lines.push(format!(
            r#"  {{"id": "g{n}", "name": "Person {n}", "handles": {{"email": "p{n}@example.org"}}}}{comma}"#
        ));
    }
    lines.push(r#" ], "interactions": ["#.to_string());
    for n in 0..interactions {
        let comma = if n + 1 < interactions { "," } else { "" };
        lines.push(format!(
            r#"  {{"id": "gi{n}", "contact_ids": ["g{}"], "channel": "email", "direction": "inbound", "occurred_at": "2026-01-01T10:00:00Z", "public": false, "text": "Nōti {n} about the Tairāwhiti catalogue"}}{comma}"#,
            n % contacts
        ));
    }
    lines.push(" ]}".to_string());
    lines
}

/// The line of `interactions[n]` in a `generated` archive.
fn interaction_line(contacts: usize, n: usize) -> usize {
    // The header, "contacts": [, the contacts, "interactions": [, then the interactions.
    2 + contacts + 1 + n + 1
}

fn import_path(
    store: &mut Store,
    path: &std::path::Path,
    limits: Limits,
    progress: &mut dyn FnMut(Progress) -> bool,
) -> kith_core::Result<import::ImportOutcome> {
    let options = ImportOptions {
        limits,
        ..ImportOptions::default()
    };
    import::import(store, path, &options, now(), progress)
}

#[test]
fn an_archive_larger_than_the_file_limit_imports_as_a_stream() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.json");
    let (contacts, interactions) = (300, 12_000);
    std::fs::write(&path, generated(contacts, interactions).join("\n")).unwrap();
    let size = std::fs::metadata(&path).unwrap().len();
    let kb = size.div_ceil(1024);
    let limits = Limits {
        max_file_bytes: 64 << 10,
        ..Limits::default()
    };
    assert!(size > 20 * limits.max_file_bytes, "{size} bytes");

    // The limit holds for the other formats.
    let vcard = dir.path().join("big.vcf");
    let card = "BEGIN:VCARD\nVERSION:3.0\nFN:Someone\nEMAIL:someone@example.org\nEND:VCARD\n";
    std::fs::write(&vcard, card.repeat(2000)).unwrap();
    let mut store = Store::open_in_memory().unwrap();
    let err = import_path(&mut store, &vcard, limits.clone(), &mut |_| true).unwrap_err();
    assert!(err.to_string().contains("larger than"), "{err}");

    // The archive is read as it is parsed: progress comes while the file is being read, in
    // kilobytes (as far as the read buffer has come).
    let mut reading: Vec<(u64, Option<u64>)> = Vec::new();
    let outcome = import_path(&mut store, &path, limits, &mut |p| {
        if p.stage == "reading the archive (KB)" {
            reading.push((p.done, p.total));
        }
        true
    })
    .unwrap();
    assert_eq!(outcome.format, Format::Json);
    assert_eq!(
        (
            outcome.report.contacts_added,
            outcome.report.interactions_added
        ),
        (contacts as u32, interactions as u32)
    );
    assert_eq!(store.stats().unwrap().interactions, interactions as u32);
    let last = store.interaction("gi11999").unwrap();
    assert_eq!(last.text, "Nōti 11999 about the Tairāwhiti catalogue");
    assert_eq!(last.contact_ids, ["g299"]);

    assert!(reading.len() >= 10, "{reading:?}");
    assert!(reading.iter().skip(1).all(|(_, total)| *total == Some(kb)));
    assert!(reading.windows(2).all(|w| w[0].0 <= w[1].0), "{reading:?}");
    let (first, _) = reading[1];
    assert!(reading[reading.len() - 1].0 > first, "{reading:?}");
    assert!(
        first > 0 && first < kb / 4,
        "the first thousand records were read with {first} of {kb} KB read"
    );
}

#[test]
fn a_progress_refusal_cancels_reading_an_archive() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.json");
    std::fs::write(&path, generated(10, 5_000).join("\n")).unwrap();
    let mut store = Store::open_in_memory().unwrap();
    let err = import_path(&mut store, &path, Limits::default(), &mut |p| {
        p.stage != "reading the archive (KB)" || p.done < 100
    })
    .unwrap_err();
    assert_eq!(err.code(), "cancelled", "{err}");
    assert_eq!(store.stats().unwrap().contacts, 0);
}

/// Bad records late in a long file, a cut file, a byte that is not UTF-8: each is refused
/// naming the file and the place, and the store is left as it was.
#[test]
fn problems_deep_in_a_long_archive_name_the_place_and_change_nothing() {
    let (contacts, interactions) = (200, 20_000);
    let lines = generated(contacts, interactions);
    let deep = 17_345;
    let at = interaction_line(contacts, deep) - 1;
    let with_line = |edit: &dyn Fn(&str) -> String| {
        let mut l = lines.clone();
        l[at] = edit(&l[at]);
        l.join("\n").into_bytes()
    };
    let whole = lines.join("\n").into_bytes();
    let line = at + 1;

    // The byte offset of the first "ō" in the deep interaction's text.
    let mut bad_utf8 = whole.clone();
    let line_start: usize = lines[..at].iter().map(|l| l.len() + 1).sum();
    let o = line_start + lines[at].find('ō').unwrap();
    bad_utf8[o] = 0xff;

    let last_line = interaction_line(contacts, interactions - 1);
    let cases: Vec<(&str, Vec<u8>, String)> = vec![
        (
            "a date that is not a date",
            with_line(&|l| l.replace("2026-01-01T10:00:00Z", "2026-02-30T10:00:00Z")),
            format!("interactions[{deep}].occurred_at"),
        ),
        (
            "a value of the wrong type",
            with_line(&|l| l.replace("\"public\": false", "\"public\": \"no\"")),
            format!("interactions[{deep}].public (line {line}, column "),
        ),
        (
            "a field missing",
            with_line(&|l| l.replace("\"direction\": \"inbound\", ", "")),
            format!("interactions[{deep}] (line {line}, column "),
        ),
        (
            "broken JSON",
            with_line(&|l| l.replace("\"text\":", "\"text\"")),
            format!("interactions[{deep}] (line {line}, column 153): expected `:`"),
        ),
        (
            "a contact that is not there",
            with_line(&|l| l.replace("[\"g", "[\"nobody")),
            format!("interactions[{deep}].contact_ids[0]"),
        ),
        (
            "an id used twice",
            with_line(&|l| l.replace(&format!("\"gi{deep}\""), "\"gi3\"")),
            format!("interactions[{deep}].id"),
        ),
        (
            "a file cut short",
            whole[..whole.len() * 9 / 10].to_vec(),
            "EOF while parsing".to_string(),
        ),
        (
            "a byte that is not UTF-8",
            bad_utf8,
            format!("line {line} (byte {o}): the file is not UTF-8 text"),
        ),
        (
            "something after the archive",
            [whole.as_slice(), b"\n{}"].concat(),
            format!("line {}, column 1: trailing characters", last_line + 2),
        ),
        (
            "another format",
            String::from_utf8(whole.clone())
                .unwrap()
                .replacen("kith-archive", "kith-notes", 1)
                .into_bytes(),
            "format: expected \"kith-archive\"".to_string(),
        ),
        (
            "a newer version",
            String::from_utf8(whole.clone())
                .unwrap()
                .replacen("\"version\": 1", "\"version\": 7", 1)
                .into_bytes(),
            "version: archive version 7 is newer".to_string(),
        ),
    ];

    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in_memory().unwrap();
    store.load_demo(now()).unwrap();
    let before = Archive::from_store(&store, now()).unwrap().to_json();
    let stats = store.stats().unwrap();
    for (what, bytes, place) in cases {
        let path = dir.path().join("long.json");
        std::fs::write(&path, &bytes).unwrap();
        let err = import_path(&mut store, &path, Limits::default(), &mut |_| true).expect_err(what);
        let msg = err.to_string();
        assert_eq!(err.code(), "bad_import", "{what}: {msg}");
        assert!(
            msg.starts_with(&format!("{}: ", path.display())),
            "{what}: names the file: {msg}"
        );
        assert!(msg.contains(&place), "{what}: names {place:?}: {msg}");
        assert_eq!(store.stats().unwrap(), stats, "{what}: store unchanged");
        assert_eq!(
            Archive::from_store(&store, now()).unwrap().to_json(),
            before,
            "{what}: store unchanged"
        );
    }
    // The same file without the problems imports.
    std::fs::write(dir.path().join("long.json"), &whole).unwrap();
    import_path(
        &mut store,
        &dir.path().join("long.json"),
        Limits::default(),
        &mut |_| true,
    )
    .unwrap();
    assert_eq!(
        store.stats().unwrap().interactions,
        stats.interactions + interactions as u32
    );
}

#[test]
fn a_byte_order_mark_is_skipped_and_times_default_to_the_export_time() {
    // The export time comes after the contacts; a contact without times still gets it.
    let text = "\u{feff}{\"contacts\": [{\"id\": \"c1\", \"name\": \"Aroha\"}],
        \"exported_at\": \"2026-10-01T00:00:00Z\", \"unknown\": {\"ignored\": [1, 2]}}";
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bom.json");
    std::fs::write(&path, text).unwrap();
    let records = Archive::read(&path).unwrap().into_records().unwrap();
    let exported = Utc.with_ymd_and_hms(2026, 10, 1, 0, 0, 0).unwrap();
    assert_eq!(records.contacts[0].created_at, exported);
    assert_eq!(records.contacts[0].updated_at, exported);
    let at_now = Archive::parse(text, "bom.json")
        .unwrap()
        .into_records_at(now())
        .unwrap();
    assert_eq!(at_now.contacts[0].created_at, now());
}
