//! `kith demo --size`: the generated networks Kith is built for. The full sizes take too long
//! for a test, so the network is checked at a fiftieth of busy through the core, and the
//! command's own paths (refusing, not loading twice) on a store holding that network.

mod common;

use chrono::{TimeZone, Utc};
use common::{fails, json, ok};
use kith_core::synth::{self, Size};
use kith_core::Store;

#[test]
fn an_unknown_size_is_refused_and_the_store_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kith.sqlite3");
    let said = fails(&db, &["demo", "--size", "huge"]);
    assert!(said.contains("'huge'"), "{said}");
    assert!(said.contains("sample, busy, stress"), "{said}");
    assert!(!db.exists(), "the store was created");
    ok(&db, &["demo"]);
    let stats = json(&db, &["stats", "--json"]);
    fails(&db, &["demo", "--size", ""]);
    assert_eq!(json(&db, &["stats", "--json"]), stats);
}

#[test]
fn a_generated_network_loads_all_at_once_and_only_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kith.sqlite3");
    let now = Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap();
    let net = synth::scaled(Size::Busy, 50, now);
    assert_eq!(
        (net.contacts.len(), net.interactions.len(), net.events.len()),
        (100, 5_000, 1)
    );
    {
        let mut store = Store::open(&db).unwrap();
        assert!(!store.has_synth().unwrap());
        let report = store.load_synth(net.clone(), now).unwrap();
        assert_eq!(
            (report.contacts_added, report.interactions_added),
            (100, 5_000)
        );
        assert!(store.has_synth().unwrap());
        // The same network again adds nothing and changes nothing.
        let again = store.load_synth(net, now).unwrap();
        assert_eq!(
            (
                again.contacts_added,
                again.interactions_added,
                again.events_added
            ),
            (0, 0, 0)
        );
        assert_eq!(again.interactions_unchanged, 5_000);
    }
    let stats = json(&db, &["stats", "--json"]);
    assert_eq!(stats["contacts"], 100);
    assert_eq!(stats["interactions"], 5_000);

    let said = ok(&db, &["demo", "--size", "busy"]);
    assert!(said.contains("already loaded"), "{said}");
    let said = ok(&db, &["demo", "--size", "stress", "--if-empty"]);
    assert!(said.contains("already holds"), "{said}");
    assert_eq!(json(&db, &["stats", "--json"]), stats);

    // The generated network is searchable like any other.
    let found = json(&db, &["search", "koha", "--json"]);
    assert!(!found["interactions"].as_array().unwrap().is_empty());
}
