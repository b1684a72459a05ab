//! Importing a large Twitter/X archive (100,000 tweets and 10,000 direct messages) against
//! the floor: raw rusqlite inserting the same rows into the same schema (full-text triggers
//! and indexes included) in one transaction with prepared statements, into a fresh store,
//! checking nothing. The import also reads the zip and parses the JSON, matches identities
//! and checks for existing records, so the aim is to stay within 1.5× the floor.
//!
//! The floor writes interactions 500 rows to a statement and participants 1,000, as the
//! importer does: each statement that fires the full-text trigger makes FTS5 flush its
//! pending terms, so one row a statement pays a flush and a tiny index segment per row.
//! That slower way is measured too, for comparison with earlier figures.
//!
//! `cargo bench -p kith-core --bench import`
//!
//! `KITH_BENCH_TWEETS=N` runs a smaller (or larger) archive of N tweets and about N/10 direct
//! messages, for quick iteration; the figures to report are those at the full size.
//! `KITH_BENCH_FLOOR_CHUNKS=100,500,2000` measures the floor at other statement sizes.

use chrono::{TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion};
use kith_core::import::{self, Format, ImportOptions};
use kith_core::store::Records;
use kith_core::{synth, Store};
use rusqlite::params;
use std::path::Path;

const TWEETS: usize = 100_000;
const PEOPLE: usize = 2_000;

/// How many tweets to import: `KITH_BENCH_TWEETS`, or the full size.
fn tweets() -> usize {
    match std::env::var("KITH_BENCH_TWEETS") {
        Ok(n) => n
            .trim()
            .parse()
            .expect("KITH_BENCH_TWEETS must be a whole number of tweets"),
        Err(_) => TWEETS,
    }
}

fn write_archive(path: &Path, tweets: usize, dms: usize) {
    let shape = synth::TwitterShape {
        tweets,
        dms,
        people: PEOPLE,
    };
    synth::write_twitter_archive(path, shape).unwrap();
}

/// How the floor writes interactions and their participants.
#[derive(Clone, Copy)]
enum Floor {
    /// One INSERT per row, the obvious way.
    RowAtATime,
    /// Multi-row INSERTs of this many rows, as the importer writes: every statement that
    /// fires the full-text trigger makes FTS5 flush its pending terms, so one row a statement
    /// costs a flush per row.
    MultiRow(usize),
}

/// `INSERT INTO <into> VALUES (<row>), (<row>), …` for `n` rows.
fn multi_row(into: &str, row: &str, n: usize) -> String {
    format!("INSERT INTO {into} VALUES {}", vec![row; n].join(", "))
}

fn insert_links(conn: &rusqlite::Connection, links: &[(i64, i64, i64, i64, &str)]) {
    if links.is_empty() {
        return;
    }
    let mut link = conn
        .prepare_cached(&multi_row(
            "interaction_contacts (interaction_id, contact_id, position, occurred_at, channel)",
            "(?, ?, ?, ?, ?)",
            links.len(),
        ))
        .unwrap();
    for (n, (iid, cid, pos, at, channel)) in links.iter().enumerate() {
        let p = n * 5;
        link.raw_bind_parameter(p + 1, iid).unwrap();
        link.raw_bind_parameter(p + 2, cid).unwrap();
        link.raw_bind_parameter(p + 3, pos).unwrap();
        link.raw_bind_parameter(p + 4, at).unwrap();
        link.raw_bind_parameter(p + 5, channel).unwrap();
    }
    link.raw_execute().unwrap();
}

/// The floor: the same rows, inserted with prepared statements in one transaction, into a
/// fresh store, with nothing checked.
fn raw_insert(store: &Store, records: &Records, floor: Floor) {
    let conn = store.connection();
    conn.execute_batch("BEGIN IMMEDIATE").unwrap();
    let mut ids = std::collections::HashMap::new();
    {
        let mut contact = conn
            .prepare(
                "INSERT INTO contacts (key, name, organisation, location, met_where, met_on, met_through,
                     notes, private_notes, tags, expertise, cadence_days, created_at, updated_at)
                 VALUES (?1, ?2, '', '', '', NULL, '', '', '', ?3, '[]', NULL, ?4, ?4)",
            )
            .unwrap();
        let mut handle = conn
            .prepare("INSERT INTO handles (contact_id, position, platform, value, normalized) VALUES (?1, ?2, ?3, ?4, ?5)")
            .unwrap();
        let mut fts = conn
            .prepare(
                "INSERT INTO contacts_fts (rowid, name, handles, body) VALUES (?1, ?2, ?3, '')",
            )
            .unwrap();
        for c in &records.contacts {
            contact
                .execute(params![
                    c.id,
                    c.name,
                    serde_json::to_string(&c.tags).unwrap(),
                    c.created_at.to_rfc3339()
                ])
                .unwrap();
            let id = conn.last_insert_rowid();
            for (p, h) in c.handles.iter().enumerate() {
                handle
                    .execute(params![
                        id,
                        p as i64,
                        h.platform.as_str(),
                        h.value,
                        h.value.to_lowercase()
                    ])
                    .unwrap();
            }
            let hs: Vec<&str> = c.handles.iter().map(|h| h.value.as_str()).collect();
            fts.execute(params![id, c.name, hs.join(" ")]).unwrap();
            ids.insert(c.id.as_str(), id);
        }
        const INTERACTION: &str = "interactions (key, channel, direction, occurred_at, public, text, thread, tags, moment)";
        let chunk = match floor {
            Floor::RowAtATime => 1,
            Floor::MultiRow(n) => n,
        };
        // Participants go in this many to a statement, as the importer writes them.
        let link_chunk = match floor {
            Floor::RowAtATime => 1,
            Floor::MultiRow(_) => 1000,
        };
        let mut links: Vec<(i64, i64, i64, i64, &str)> = Vec::new();
        for rows in records.interactions.chunks(chunk) {
            let mut insert = conn
                .prepare_cached(&multi_row(
                    INTERACTION,
                    "(?, ?, ?, ?, ?, ?, ?, ?, NULL)",
                    rows.len(),
                ))
                .unwrap();
            for (n, i) in rows.iter().enumerate() {
                let p = n * 8;
                insert.raw_bind_parameter(p + 1, &i.id).unwrap();
                insert
                    .raw_bind_parameter(p + 2, i.channel.as_str())
                    .unwrap();
                insert
                    .raw_bind_parameter(p + 3, i.direction.as_str())
                    .unwrap();
                insert
                    .raw_bind_parameter(p + 4, i.occurred_at.timestamp_millis())
                    .unwrap();
                insert.raw_bind_parameter(p + 5, i.public).unwrap();
                insert.raw_bind_parameter(p + 6, &i.text).unwrap();
                insert.raw_bind_parameter(p + 7, &i.thread).unwrap();
                insert
                    .raw_bind_parameter(p + 8, serde_json::to_string(&i.tags).unwrap())
                    .unwrap();
            }
            insert.raw_execute().unwrap();
            // A fresh table numbers the rows of one statement one after the other.
            let first = conn.last_insert_rowid() - rows.len() as i64 + 1;
            links.extend(rows.iter().enumerate().flat_map(|(n, i)| {
                let at = i.occurred_at.timestamp_millis();
                let ids = &ids;
                i.contact_ids.iter().enumerate().map(move |(p, c)| {
                    (
                        first + n as i64,
                        ids[c.as_str()],
                        p as i64,
                        at,
                        i.channel.as_str(),
                    )
                })
            }));
            let full = links.len() / link_chunk * link_chunk;
            for part in links[..full].chunks(link_chunk) {
                insert_links(conn, part);
            }
            links.drain(..full);
        }
        insert_links(conn, &links);
    }
    conn.execute_batch("COMMIT").unwrap();
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("twitter-large.zip");
    let tweets = tweets();
    let dms = tweets / 100 * 10;
    write_archive(&path, tweets, dms);
    let now = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    let options = ImportOptions {
        format: Some(Format::Twitter),
        ..ImportOptions::default()
    };
    let parsed = {
        let store = Store::open_in_memory().unwrap();
        import::parse(&store, &path, Format::Twitter, &options, now, &mut |_| true).unwrap()
    };
    assert_eq!(parsed.records.interactions.len(), tweets + dms);

    let mut group = c.benchmark_group(format!("twitter archive, {tweets} tweets + {dms} DMs"));
    group.sample_size(10);
    group.bench_function("kith import (zip, parse, match, store)", |b| {
        b.iter(|| {
            let mut store = Store::open_in_memory().unwrap();
            let outcome = import::import(&mut store, &path, &options, now, &mut |_| true).unwrap();
            assert_eq!(outcome.report.interactions_added as usize, tweets + dms);
        })
    });
    let floors = match std::env::var("KITH_BENCH_FLOOR_CHUNKS") {
        Ok(list) => list
            .split(',')
            .map(|n| Floor::MultiRow(n.trim().parse().expect("a chunk size")))
            .collect(),
        Err(_) => vec![Floor::MultiRow(500), Floor::RowAtATime],
    };
    for floor in floors {
        let name = match floor {
            Floor::RowAtATime => {
                "raw rusqlite inserts of the same rows, one row a statement".into()
            }
            Floor::MultiRow(n) => {
                format!("raw rusqlite inserts of the same rows, {n} rows a statement")
            }
        };
        group.bench_function(name, |b| {
            b.iter(|| {
                let store = Store::open_in_memory().unwrap();
                raw_insert(&store, &parsed.records, floor);
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
