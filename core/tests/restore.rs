//! Restoring a Kith archive: the import of an export gives back exactly what was exported,
//! whatever the people in it share, through the same import the CLI and the app use.

use chrono::{DateTime, TimeZone, Utc};
use kith_core::archive::Archive;
use kith_core::import::{self, Format, ImportOptions};
use kith_core::store::Records;
use kith_core::synth::{self, Size};
use kith_core::{Channel, Contact, Direction, Handle, Interaction, Platform, Store};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

fn at(day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, 12, 0, 0).unwrap()
}

/// The store as a Kith archive, written to `dir/name` at `now`.
fn export(store: &Store, dir: &Path, name: &str, now: DateTime<Utc>) -> PathBuf {
    let path = dir.join(name);
    let file = std::fs::File::create(&path).unwrap();
    Archive::from_store(store, now)
        .unwrap()
        .write_json(std::io::BufWriter::new(file))
        .unwrap();
    path
}

/// An archive's text with its export time taken out, the one thing two exports of the same
/// store may differ in.
fn without_export_time(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let start = text.find("\"exported_at\": \"").expect("an export time") + 16;
    let end = start + text[start..].find('"').unwrap();
    format!("{}{}", &text[..start], &text[end..])
}

/// Imports `path` into an empty store the way `kith import` and the app do.
fn restore(path: &Path, now: DateTime<Utc>) -> (Store, import::ImportOutcome) {
    let mut store = Store::open_in_memory().unwrap();
    let outcome = import::import(
        &mut store,
        path,
        &ImportOptions::default(),
        now,
        &mut |_| true,
    )
    .unwrap();
    assert_eq!(outcome.format, Format::Json);
    (store, outcome)
}

fn person(id: &str, name: &str, email: &str, notes: &str) -> Contact {
    Contact {
        id: id.into(),
        name: name.into(),
        handles: vec![Handle {
            platform: Platform::Email,
            value: email.into(),
        }],
        organisation: "Central Library".into(),
        location: String::new(),
        met_where: String::new(),
        met_on: None,
        met_through: String::new(),
        notes: notes.into(),
        private_notes: String::new(),
        tags: vec!["reference".into()],
        expertise: Vec::new(),
        roles: Vec::new(),
        cadence_days: None,
        dates: Vec::new(),
        created_at: at(1),
        updated_at: at(2),
    }
}

fn email(id: &str, who: &str, text: &str) -> Interaction {
    Interaction {
        id: id.into(),
        contact_ids: vec![who.into()],
        channel: Channel::Email,
        direction: Direction::Inbound,
        occurred_at: at(3),
        public: false,
        text: text.into(),
        thread: None,
        tags: Vec::new(),
        moment: None,
    }
}

/// Two people who answer the same reference-desk inbox, kept apart in Duplicates.
fn shared_inbox() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    let records = Records {
        contacts: vec![
            person(
                "ana",
                "Ana Lima",
                "desk@library.example",
                "Runs the serials desk",
            ),
            person(
                "ben",
                "Ben Okafor",
                "desk@library.example",
                "Digitisation lead",
            ),
        ],
        interactions: vec![
            email("i-ana", "ana", "About the serials backlog"),
            email("i-ben", "ben", "About the scanner"),
        ],
        events: Vec::new(),
    };
    store.import_records(records, "setup", at(2)).unwrap();
    store.mark_not_duplicates("ana", "ben").unwrap();
    store
}

#[test]
fn two_people_sharing_an_email_address_are_restored_as_two() {
    let dir = tempfile::tempdir().unwrap();
    let store = shared_inbox();
    let exported = export(&store, dir.path(), "kith.json", at(10));

    let (restored, outcome) = restore(&exported, at(11));
    assert_eq!(outcome.merged, 0, "{outcome:?}");
    assert_eq!(outcome.report.contacts_added, 2);
    assert_eq!(
        restored.contact("ana").unwrap().notes,
        "Runs the serials desk"
    );
    assert_eq!(restored.contact("ben").unwrap().name, "Ben Okafor");
    assert_eq!(restored.interaction("i-ben").unwrap().contact_ids, ["ben"]);

    let again = export(&restored, dir.path(), "again.json", at(12));
    assert_eq!(without_export_time(&again), without_export_time(&exported));
}

#[test]
fn a_busy_network_whose_handles_collide_is_restored_exactly() {
    let now = at(1);
    // A fifth of the busy network: the same shape, where people with the same name share
    // handles and addresses.
    let net = synth::scaled(Size::Busy, 5, now);
    let mut holders: HashMap<(Platform, String), Vec<&str>> = HashMap::new();
    for c in &net.contacts {
        for h in &c.handles {
            holders
                .entry((h.platform, kith_core::store::normalize_handle(&h.value)))
                .or_default()
                .push(&c.id);
        }
    }
    let sharing = holders.values().filter(|ids| ids.len() > 1).count();
    assert!(sharing >= 30, "only {sharing} handles are shared");
    let contacts = net.contacts.len();

    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in_memory().unwrap();
    store.load_synth(net, now).unwrap();
    let exported = export(&store, dir.path(), "busy.json", at(10));

    let (restored, outcome) = restore(&exported, at(11));
    assert_eq!(outcome.merged, 0);
    assert_eq!(restored.stats().unwrap(), store.stats().unwrap());
    assert_eq!(restored.stats().unwrap().contacts as usize, contacts);
    let again = export(&restored, dir.path(), "again.json", at(12));
    assert!(
        without_export_time(&again) == without_export_time(&exported),
        "the restored network's archive differs from the one it was restored from"
    );
}

#[test]
fn into_a_store_that_has_someone_with_the_same_address_both_are_kept_for_review() {
    let dir = tempfile::tempdir().unwrap();
    let mut theirs = Store::open_in_memory().unwrap();
    let ben = person(
        "ben",
        "Ben Okafor",
        "desk@library.example",
        "Digitisation lead",
    );
    theirs
        .import_records(
            Records {
                contacts: vec![ben],
                interactions: vec![email("i-ben", "ben", "About the scanner")],
                events: Vec::new(),
            },
            "setup",
            at(2),
        )
        .unwrap();
    let archive = export(&theirs, dir.path(), "ben.json", at(10));

    let mut mine = Store::open_in_memory().unwrap();
    let ana = person(
        "ana",
        "Ana Lima",
        "DESK@library.example",
        "Runs the serials desk",
    );
    mine.import_records(
        Records {
            contacts: vec![ana],
            interactions: Vec::new(),
            events: Vec::new(),
        },
        "setup",
        at(2),
    )
    .unwrap();
    let outcome = import::import(
        &mut mine,
        &archive,
        &ImportOptions::default(),
        at(11),
        &mut |_| true,
    )
    .unwrap();
    assert_eq!((outcome.merged, outcome.report.contacts_added), (0, 1));
    assert_eq!(mine.contact("ana").unwrap().name, "Ana Lima");
    assert_eq!(mine.interaction("i-ben").unwrap().contact_ids, ["ben"]);
    let pairs = mine.duplicates_to_review().unwrap();
    assert_eq!(pairs.len(), 1, "{pairs:?}");
    assert!(pairs[0].certain, "{pairs:?}");
    assert_eq!(
        (pairs[0].a.id.as_str(), pairs[0].b.id.as_str()),
        ("ana", "ben")
    );
}
