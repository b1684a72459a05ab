//! The `kith` command end to end: a real binary against a real store file.

mod common;

use common::{json, kith, ok};

const NETWORK: &str = r##"{"format": "kith-archive", "version": 1,
 "contacts": [{"id": "c1", "name": "Aroha Ngata", "roles": ["mentor"], "tags": ["leadership"],
               "handles": {"twitter": "@arohareads"}},
              {"id": "c2", "name": "Ben Kowalski", "roles": ["peer"]}],
 "interactions": [{"id": "i1", "contact_ids": ["c1"], "channel": "twitter", "direction": "outbound",
                   "occurred_at": "2026-09-01T10:00:00Z", "text": "Koha serials question #auslibchat"}],
 "events": [{"id": "e1", "name": "LIANZA", "starts_on": "2026-12-01", "attendee_ids": ["c1"]}]}"##;

#[test]
fn import_list_log_search_export_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kith.sqlite3");
    let file = dir.path().join("network.json");
    std::fs::write(&file, NETWORK).unwrap();

    let said = ok(&db, &["import", file.to_str().unwrap()]);
    assert!(said.contains("2 contacts added"), "{said}");
    let again = ok(&db, &["import", file.to_str().unwrap()]);
    assert!(again.contains("0 contacts added"), "{again}");
    assert_eq!(
        json(&db, &["stats", "--json"]),
        serde_json::json!({"contacts": 2, "interactions": 1, "events": 1})
    );

    let mentors = json(&db, &["contacts", "--role", "mentor", "--json"]);
    assert_eq!(mentors.as_array().unwrap().len(), 1);
    assert_eq!(mentors[0]["name"], "Aroha Ngata");
    assert_eq!(
        json(&db, &["contacts", "--tag", "leadership", "--json"])[0]["id"],
        "c1"
    );

    let logged = ok(
        &db,
        &[
            "log",
            "--contact",
            "Ben Kowalski",
            "--channel",
            "email",
            "--direction",
            "inbound",
            "--at",
            "2026-10-01T09:00:00+13:00",
            "Sent",
            "the",
            "weeding",
            "policy",
        ],
    );
    assert!(logged.contains("Ben Kowalski"), "{logged}");
    ok(
        &db,
        &[
            "log",
            "--contact",
            "@arohareads",
            "--channel",
            "in-person",
            "Coffee at the conference",
        ],
    );

    let found = json(&db, &["search", "weeding", "--json"]);
    assert_eq!(found["contacts"][0]["name"], "Ben Kowalski");
    let hit = &found["interactions"][0]["interaction"];
    assert_eq!(hit["channel"], "email");
    assert_eq!(hit["direction"], "inbound");
    assert_eq!(hit["occurred_at"], "2026-09-30T20:00:00Z");
    assert_eq!(hit["public"], false);

    let out = dir.path().join("backup.json");
    ok(
        &db,
        &["export", "--format", "json", "--out", out.to_str().unwrap()],
    );
    let fresh = dir.path().join("fresh.sqlite3");
    ok(&fresh, &["import", out.to_str().unwrap()]);
    assert_eq!(
        json(&fresh, &["stats", "--json"]),
        serde_json::json!({"contacts": 2, "interactions": 3, "events": 1})
    );
    assert_eq!(
        ok(&fresh, &["export", "--format", "json"])
            .lines()
            .filter(|l| !l.contains("exported_at"))
            .collect::<Vec<_>>(),
        ok(&db, &["export", "--format", "json"])
            .lines()
            .filter(|l| !l.contains("exported_at"))
            .collect::<Vec<_>>()
    );
}

#[test]
fn errors_exit_non_zero_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kith.sqlite3");
    let file = dir.path().join("network.json");
    std::fs::write(&file, NETWORK).unwrap();
    ok(&db, &["import", file.to_str().unwrap()]);

    let bad = dir.path().join("bad.json");
    std::fs::write(
        &bad,
        NETWORK.replace(
            "\"twitter\", \"direction\"",
            "\"carrier-pigeon\", \"direction\"",
        ),
    )
    .unwrap();
    let out = kith(&db, &["import", bad.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.json") && err.contains("interactions[0].channel"),
        "{err}"
    );
    assert_eq!(
        json(&db, &["stats", "--json"])["interactions"],
        1,
        "store unchanged"
    );

    let out = kith(
        &db,
        &[
            "log",
            "--contact",
            "Nobody Known",
            "--channel",
            "email",
            "hello",
        ],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("Nobody Known"));

    let out = kith(
        &db,
        &["log", "--contact", "a", "--channel", "email", "hello"],
    );
    assert!(!out.status.success(), "\"a\" matches both contacts");
    assert!(String::from_utf8_lossy(&out.stderr).contains("matches 2 contacts"));

    let out = kith(
        &db,
        &["log", "--contact", "Ben", "--channel", "fax", "hello"],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown channel"));

    let junk = dir.path().join("junk.sqlite3");
    std::fs::write(
        &junk,
        "not a database at all, just some text that is long enough",
    )
    .unwrap();
    let out = kith(&junk, &["stats"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a readable Kith store"));
}

#[test]
fn demo_loads_a_sample_network_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kith.sqlite3");
    ok(&db, &["demo", "--if-empty"]);
    let stats = json(&db, &["stats", "--json"]);
    assert!(stats["contacts"].as_u64().unwrap() >= 30);
    assert!(stats["interactions"].as_u64().unwrap() >= 300);
    let said = ok(&db, &["demo", "--if-empty"]);
    assert!(said.contains("already"), "{said}");
    assert_eq!(json(&db, &["stats", "--json"]), stats);
}
