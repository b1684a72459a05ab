//! Upgrading stores written by older versions of Kith: every released schema is kept as a
//! fixture, upgraded, and compared with a fresh store.

use kith_core::store::schema::CURRENT_VERSION;
use kith_core::{ContactFilter, Store};
use rusqlite::Connection;

const V1: &str = include_str!("fixtures/schema-v1.sql");
/// Every released schema, as a store at that version held it: (version, script).
const RELEASED: [(i64, &str); 10] = [
    (1, V1),
    (2, include_str!("fixtures/schema-v2.sql")),
    (3, include_str!("fixtures/schema-v3.sql")),
    (4, include_str!("fixtures/schema-v4.sql")),
    (5, include_str!("fixtures/schema-v5.sql")),
    (6, include_str!("fixtures/schema-v6.sql")),
    (7, include_str!("fixtures/schema-v7.sql")),
    (8, include_str!("fixtures/schema-v8.sql")),
    (9, include_str!("fixtures/schema-v9.sql")),
    (10, include_str!("fixtures/schema-v10.sql")),
];

/// The schema as SQLite reports it, normalised for comparison.
fn schema_of(conn: &Connection) -> Vec<(String, String, String)> {
    let mut stmt = conn
        .prepare("SELECT type, name, coalesce(sql, '') FROM sqlite_schema ORDER BY type, name")
        .unwrap();
    stmt.query_map([], |r| {
        let sql: String = r.get(2)?;
        Ok((
            r.get(0)?,
            r.get(1)?,
            sql.split_whitespace().collect::<Vec<_>>().join(" "),
        ))
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

fn old_store(dir: &std::path::Path, script: &str) -> std::path::PathBuf {
    let path = dir.join("old.sqlite3");
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch(script).unwrap();
    path
}

#[test]
fn a_version_1_store_upgrades_to_the_current_schema_and_keeps_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = old_store(dir.path(), V1);
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), CURRENT_VERSION);

    let fresh_path = dir.path().join("fresh.sqlite3");
    let fresh = Store::open(&fresh_path).unwrap();
    assert_eq!(schema_of(store.connection()), schema_of(fresh.connection()));

    assert_eq!(
        store.stats().unwrap(),
        kith_core::Stats {
            contacts: 2,
            interactions: 2,
            events: 1
        }
    );
    let aroha = store.contact("c1").unwrap();
    assert_eq!(aroha.roles[0].topics, ["career"]);
    assert_eq!(
        store.timeline("c1", None).unwrap()[0].interaction.moment,
        Some(kith_core::Moment::Asked)
    );
    let found = store
        .list_contacts(&ContactFilter {
            query: Some("prediction".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        found[0].name, "Chen Wei",
        "the search index survives the upgrade"
    );
    // Version 4 indexes each contact's interaction words: filled from the stored ones.
    let by_words = store
        .list_contacts(&ContactFilter {
            query: Some("manager".into()),
            ..Default::default()
        })
        .unwrap();
    let names: Vec<&str> = by_words.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["Aroha Ngata"], "a word only in her interaction");
    assert!(store.suggestion_states().unwrap().is_empty());
}

#[test]
fn a_failed_upgrade_leaves_the_store_exactly_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    // A version-1 store in which the upgrade cannot create one of its tables.
    let path = old_store(dir.path(), &format!("{V1}\nCREATE TABLE settings (x);"));
    let before = schema_of(&Connection::open(&path).unwrap());
    let err = Store::open(&path).unwrap_err();
    assert_eq!(err.code(), "database", "{err}");
    let conn = Connection::open(&path).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 1);
    assert_eq!(
        schema_of(&conn),
        before,
        "no table of the upgrade was left behind"
    );
}

#[test]
fn every_released_schema_upgrades_to_the_current_one_and_keeps_its_data() {
    assert_eq!(
        RELEASED.last().unwrap().0,
        CURRENT_VERSION,
        "keep a fixture of the current schema in core/tests/fixtures when it is released"
    );
    for (version, script) in RELEASED {
        let dir = tempfile::tempdir().unwrap();
        let path = old_store(dir.path(), script);
        let at: i64 = Connection::open(&path)
            .unwrap()
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(at, version, "the fixture is at its version");
        let store = Store::open(&path).unwrap();
        let context = format!("from schema {version}");
        assert_eq!(
            store.schema_version().unwrap(),
            CURRENT_VERSION,
            "{context}"
        );
        let fresh = Store::open(dir.path().join("fresh.sqlite3")).unwrap();
        assert_eq!(
            schema_of(store.connection()),
            schema_of(fresh.connection()),
            "{context}"
        );
        assert_eq!(
            store.stats().unwrap(),
            kith_core::Stats {
                contacts: 2,
                interactions: 2,
                events: 1
            },
            "{context}"
        );
        let by_words = store
            .list_contacts(&ContactFilter {
                query: Some("manager".into()),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(
            by_words.len(),
            1,
            "{context}: found by her interaction's words"
        );
        assert_eq!(by_words[0].name, "Aroha Ngata", "{context}");
        if version >= 2 {
            let states = store.suggestion_states().unwrap();
            assert_eq!(states.len(), 3, "{context}: the decisions are kept");
            assert_eq!(
                store.setting::<u32>("backup.keep").unwrap(),
                Some(5),
                "{context}"
            );
            let aliases: i64 = store
                .connection()
                .query_row("SELECT count(*) FROM contact_aliases", [], |r| r.get(0))
                .unwrap();
            assert_eq!(aliases, 1, "{context}");
            let plans = store.follow_ups().unwrap();
            // The accepted plan is carried out from schema 3 on, so no longer a plan.
            assert_eq!(plans.len(), usize::from(version == 2), "{context}");
        }
        if version >= 5 {
            let aroha = store.contact("c1").unwrap();
            assert_eq!(aroha.dates.len(), 1, "{context}: her birthday is kept");
            assert_eq!(
                store.contact("c2").unwrap().dates[0].year,
                None,
                "{context}"
            );
        }
    }
}

#[test]
fn the_accounts_table_made_again_keeps_secrets_and_takes_every_kind_of_account() {
    let dir = tempfile::tempdir().unwrap();
    let path = old_store(dir.path(), include_str!("fixtures/schema-v7.sql"));
    Connection::open(&path)
        .unwrap()
        .execute(
            "INSERT INTO account_secrets (account_id, secret) VALUES ('a1', 'kept')",
            [],
        )
        .unwrap();
    let store = Store::open(&path).unwrap();
    let conn = store.connection();
    let secret: String = conn
        .query_row(
            "SELECT secret FROM account_secrets WHERE account_id = 'a1'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        secret, "kept",
        "the accounts table was made again without losing secrets"
    );
    for (id, kind) in [
        ("a2", "mastodon"),
        ("a3", "bluesky"),
        ("a5", "carddav"),
        ("a6", "caldav"),
    ] {
        conn.execute(
            "INSERT INTO accounts (id, name, kind, settings, created_at) \
             VALUES (?1, ?1, ?2, '{}', '2026-12-07T09:00:00+00:00')",
            [id, kind],
        )
        .unwrap();
    }
    assert!(conn
        .execute(
            "INSERT INTO accounts (id, name, kind, settings, created_at) \
             VALUES ('a4', 'a4', 'myspace', '{}', '2026-12-07T09:00:00+00:00')",
            [],
        )
        .is_err());
    conn.execute("DELETE FROM accounts WHERE id = 'a1'", [])
        .unwrap();
    let left: i64 = conn
        .query_row("SELECT count(*) FROM account_secrets", [], |r| r.get(0))
        .unwrap();
    assert_eq!(left, 0, "removing an account still removes its secret");
}

#[test]
fn schema_9_keeps_the_notes_of_the_last_sync_and_the_handles_that_changed() {
    let dir = tempfile::tempdir().unwrap();
    let path = old_store(dir.path(), include_str!("fixtures/schema-v9.sql"));
    let store = Store::open(&path).unwrap();
    let detail = store.contact_detail("c1").unwrap();
    assert_eq!(detail.handle_changes.len(), 1);
    let change = &detail.handle_changes[0];
    assert_eq!(
        (change.old_value.as_str(), change.new_value.as_str()),
        ("@aroha@old.example", "@aroha@glammr.us")
    );
    assert_eq!(change.seen_by, "Mastodon");
    let asked = store.list_questions().unwrap();
    assert_eq!(asked.len(), 1);
    assert_eq!(asked[0].answered_at, None);
    // Deleting the contact takes the record of their move with it.
    store
        .connection()
        .execute("DELETE FROM contacts WHERE key = 'c1'", [])
        .unwrap();
    let left: i64 = store
        .connection()
        .query_row("SELECT count(*) FROM handle_changes", [], |r| r.get(0))
        .unwrap();
    assert_eq!(left, 0);
}
