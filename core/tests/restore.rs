//! Restoring a Kith archive: the import of an export gives back exactly what was exported,
//! whatever the people in it share, through the same import the CLI and the app use.

use chrono::{DateTime, TimeZone, Utc};
use kith_core::archive::Archive;
use kith_core::import::MY_EMAILS_SETTING;
use kith_core::import::{self, Format, ImportOptions};
use kith_core::store::Records;
use kith_core::suggest::{StateKind, SuggestSettings, SuggestionState};
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

/// The user's decisions as the store answers for them: the suggestion settings, the backup
/// and mailbox settings, what was done with each suggestion, the plans, and who is kept apart
/// or was merged.
#[derive(Debug, PartialEq)]
struct Decided {
    suggest: SuggestSettings,
    keep: Option<u32>,
    my_emails: Option<Vec<String>>,
    states: Vec<(String, StateKind, Option<DateTime<Utc>>)>,
    plans: Vec<kith_core::store::FollowUp>,
    duplicates: Vec<(String, String)>,
}

fn decided(store: &Store) -> Decided {
    let mut states: Vec<_> = store
        .suggestion_states()
        .unwrap()
        .into_iter()
        .map(|s| (s.suggestion_id, s.state, s.until))
        .collect();
    states.sort_by(|a, b| a.0.cmp(&b.0));
    Decided {
        suggest: store.suggest_settings().unwrap(),
        keep: store.setting("backup.keep").unwrap(),
        my_emails: store.setting(MY_EMAILS_SETTING).unwrap(),
        states,
        plans: store.follow_ups().unwrap(),
        duplicates: store
            .duplicates_to_review()
            .unwrap()
            .into_iter()
            .map(|p| (p.a.id, p.b.id))
            .collect(),
    }
}

/// Settings changed, a suggestion dismissed, one snoozed and one accepted as a plan.
fn decide(store: &mut Store, about: &[&str], now: DateTime<Utc>) {
    let mut settings = store.suggest_settings().unwrap();
    settings.recency_days += 9;
    settings.sensitive_keywords.push("tenure review".into());
    store.set_suggest_settings(&settings).unwrap();
    store.set_setting("backup.keep", &3u32).unwrap();
    store
        .set_setting(MY_EMAILS_SETTING, &["me@library.example"])
        .unwrap();
    store
        .dismiss_suggestion(&format!("reconnect:{}", about[0]), None, now)
        .unwrap();
    store
        .dismiss_suggestion(
            &format!("move:{}", about[1]),
            Some(now + chrono::Duration::days(20)),
            now,
        )
        .unwrap();
    store
        .set_suggestion_state(
            &SuggestionState {
                suggestion_id: format!("follow_up:{}", about[2]),
                state: StateKind::Accepted,
                until: None,
            },
            "Ask about the scanner budget",
            now,
        )
        .unwrap();
}

#[test]
fn settings_decisions_kept_apart_pairs_and_merges_are_restored() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = shared_inbox();
    // Cy was in the store twice; the second record was merged into the first.
    store
        .import_records(
            Records {
                contacts: vec![
                    person("cy", "Cy Tam", "cy@library.example", "Cataloguing"),
                    person("cy-old", "Cy Tam", "c.tam@library.example", "Old address"),
                ],
                ..Records::default()
            },
            "setup",
            at(2),
        )
        .unwrap();
    store.merge_contacts("cy", "cy-old", at(4)).unwrap();
    decide(&mut store, &["ana", "ben", "cy"], at(5));
    let before = decided(&store);
    assert!(before.duplicates.is_empty(), "{before:?}");
    let exported = export(&store, dir.path(), "kith.json", at(10));

    let (restored, outcome) = restore(&exported, at(11));
    assert_eq!(outcome.report.contacts_added, 3);
    assert_eq!(decided(&restored), before);
    // The merged id still finds the person it was merged into.
    assert_eq!(restored.contact("cy-old").unwrap().id, "cy");
    let again = export(&restored, dir.path(), "again.json", at(12));
    assert_eq!(without_export_time(&again), without_export_time(&exported));

    // An old file that still has the merged record updates the survivor, as it did before.
    let mut restored = restored;
    let report = restored
        .import_records(
            Records {
                contacts: vec![person(
                    "cy-old",
                    "Cy Tam",
                    "cy@library.example",
                    "Cataloguing, and now metadata",
                )],
                ..Records::default()
            },
            "old.json",
            at(13),
        )
        .unwrap();
    assert_eq!((report.contacts_added, report.contacts_updated), (0, 1));
    assert_eq!(restored.stats().unwrap().contacts, 3);
}

#[test]
fn an_archive_without_decisions_leaves_the_stores_decisions_as_they_are() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.json");
    std::fs::write(
        &old,
        r#"{"format": "kith-archive", "version": 1, "contacts": [{"id": "dee", "name": "Dee Park"}]}"#,
    )
    .unwrap();
    let mut store = shared_inbox();
    decide(&mut store, &["ana", "ben", "ben"], at(5));
    let before = decided(&store);
    import::import(
        &mut store,
        &old,
        &ImportOptions::default(),
        at(11),
        &mut |_| true,
    )
    .unwrap();
    assert_eq!(decided(&store), before);
    assert_eq!(store.contact("dee").unwrap().name, "Dee Park");
}

#[test]
fn a_decision_naming_no_one_is_refused_naming_its_place_and_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = shared_inbox();
    let snapshot = |store: &Store| Archive::from_store(store, at(10)).unwrap().to_json();
    let before = snapshot(&store);
    for (name, json, place) in [
        (
            "merged.json",
            r#"{"contacts": [{"id": "dee", "name": "Dee Park"}], "merged_ids": {"dee-old": "nobody"}}"#,
            "merged.json: merged_ids.dee-old",
        ),
        (
            "apart.json",
            r#"{"contacts": [{"id": "dee", "name": "Dee Park"}], "kept_apart": [["dee", "nobody"]]}"#,
            "apart.json: kept_apart[0][1]",
        ),
        (
            "state.json",
            r#"{"format": "kith-archive", "suggestion_decisions": [{"suggestion_id": "x", "state": "maybe", "updated_at": "2026-11-01T00:00:00Z"}]}"#,
            "state.json: suggestion_decisions[0].state",
        ),
        (
            "keep.json",
            r#"{"format": "kith-archive", "settings": {"backup.keep": "lots"}}"#,
            "keep.json: settings.backup.keep",
        ),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, json).unwrap();
        let err = import::import(
            &mut store,
            &path,
            &ImportOptions::default(),
            at(11),
            &mut |_| true,
        )
        .unwrap_err();
        assert_eq!(err.code(), "bad_import", "{err}");
        assert!(err.to_string().contains(place), "{place}: {err}");
        assert_eq!(snapshot(&store), before, "{name} changed the store");
    }
}

/// The whole busy network (5,000 contacts, 250,000 interactions, 50 events) with the user's
/// decisions, exported, restored into an empty store and exported again: the two archives
/// are the same bytes. Some four minutes in a debug build; run it with
/// `cargo test --release -p kith-core --test restore -- --ignored`.
#[test]
#[ignore = "the whole busy network; run with --release -- --ignored"]
fn the_busy_network_with_its_decisions_is_restored_byte_for_byte() {
    let now = at(1);
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in_memory().unwrap();
    let started = std::time::Instant::now();
    store
        .load_synth(synth::sized(Size::Busy, now), now)
        .unwrap();
    let stats = store.stats().unwrap();
    assert_eq!(
        (stats.contacts, stats.interactions, stats.events),
        (5_000, 250_000, 50)
    );
    // Real decisions on real suggestions and duplicates.
    let suggestions = store.suggestions(now).unwrap();
    assert!(suggestions.len() >= 3, "{}", suggestions.len());
    store
        .dismiss_suggestion(&suggestions[0].id, None, now)
        .unwrap();
    store
        .dismiss_suggestion(
            &suggestions[1].id,
            Some(now + chrono::Duration::days(7)),
            now,
        )
        .unwrap();
    store
        .accept_suggestion(&suggestions[2], "Coffee at the conference", None, now)
        .unwrap();
    let pairs = store.duplicates_to_review().unwrap();
    assert!(pairs.len() >= 2, "{}", pairs.len());
    store
        .mark_not_duplicates(&pairs[0].a.id, &pairs[0].b.id)
        .unwrap();
    store
        .merge_contacts(&pairs[1].a.id, &pairs[1].b.id, now)
        .unwrap();
    let mut settings = store.suggest_settings().unwrap();
    settings.recency_days += 1;
    store.set_suggest_settings(&settings).unwrap();
    let before = decided(&store);
    eprintln!("loaded and decided in {:?}", started.elapsed());

    let started = std::time::Instant::now();
    let exported = export(&store, dir.path(), "busy.json", at(10));
    eprintln!(
        "exported {} bytes in {:?}",
        std::fs::metadata(&exported).unwrap().len(),
        started.elapsed()
    );
    let started = std::time::Instant::now();
    let (restored, _) = restore(&exported, at(11));
    eprintln!("restored in {:?}", started.elapsed());
    assert_eq!(restored.stats().unwrap(), store.stats().unwrap());
    assert_eq!(decided(&restored), before);
    let again = export(&restored, dir.path(), "again.json", at(12));
    assert!(
        without_export_time(&again) == without_export_time(&exported),
        "the second export differs from the first"
    );
}
