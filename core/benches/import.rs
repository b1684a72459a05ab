//! Importing a large Twitter/X archive (100,000 tweets and 10,000 direct messages) against
//! the floor: raw rusqlite inserting the same rows into the same schema in one transaction
//! with prepared statements. The import also reads the zip and parses the JSON, matches
//! identities and checks for existing records, so the aim is to stay within 1.5× the floor.
//!
//! `cargo bench -p kith-core --bench import`

use chrono::{TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion};
use kith_core::import::{self, Format, ImportOptions};
use kith_core::store::Records;
use kith_core::Store;
use rusqlite::params;
use std::io::Write;
use std::path::Path;

const TWEETS: usize = 100_000;
const DMS: usize = 10_000;
const PEOPLE: usize = 2_000;

fn write_archive(path: &Path) {
    let file = std::fs::File::create(path).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default();
    zip.start_file("data/account.js", options).unwrap();
    zip.write_all(br#"window.YTD.account.part0 = [{"account": {"username": "me", "accountId": "1", "accountDisplayName": "Me"}}]"#)
        .unwrap();
    zip.start_file("data/tweets.js", options).unwrap();
    let mut out = String::from("window.YTD.tweets.part0 = [\n");
    for n in 0..TWEETS {
        let who = 1000 + n % PEOPLE;
        let reply = if n % 3 == 0 && n > 0 {
            format!(
                r#""in_reply_to_status_id_str": "{}", "in_reply_to_user_id_str": "{who}", "in_reply_to_screen_name": "user{who}","#,
                10_000_000 + n - 1
            )
        } else {
            String::new()
        };
        if n > 0 {
            out.push_str(",\n");
        }
        out.push_str(&format!(
            r#"{{"tweet": {{"id_str": "{}", "created_at": "Sat Aug 12 16:{:02}:37 +0000 2023", {reply} "full_text": "@user{who} thanks for tweet number {n} about #code4lib &amp; cataloguing", "entities": {{"user_mentions": [{{"screen_name": "user{who}", "name": "Person {who}", "id_str": "{who}"}}], "hashtags": [{{"text": "code4lib"}}]}}}}}}"#,
            10_000_000 + n,
            n % 60
        ));
    }
    out.push_str("\n]");
    zip.write_all(out.as_bytes()).unwrap();
    zip.start_file("data/direct-messages.js", options).unwrap();
    let mut out = String::from("window.YTD.direct_messages.part0 = [\n");
    let per = 10;
    for c in 0..DMS / per {
        let who = 1000 + c % PEOPLE;
        if c > 0 {
            out.push_str(",\n");
        }
        out.push_str(&format!(
            r#"{{"dmConversation": {{"conversationId": "1-{who}", "messages": ["#
        ));
        for m in 0..per {
            let id = 50_000_000 + c * per + m;
            let (s, r) = if m % 2 == 0 { (who, 1) } else { (1, who) };
            if m > 0 {
                out.push(',');
            }
            out.push_str(&format!(
                r#"{{"messageCreate": {{"recipientId": "{r}", "senderId": "{s}", "id": "{id}", "text": "message {id} about serials", "createdAt": "2023-08-16T08:{:02}:00.000Z"}}}}"#,
                m % 60
            ));
        }
        out.push_str("]}}");
    }
    out.push_str("\n]");
    zip.write_all(out.as_bytes()).unwrap();
    zip.finish().unwrap();
}

/// The floor: the same rows, inserted with prepared statements in one transaction.
fn raw_insert(store: &Store, records: &Records) {
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
        let mut interaction = conn
            .prepare(
                "INSERT INTO interactions (key, channel, direction, occurred_at, public, text, thread, tags, moment)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, NULL)",
            )
            .unwrap();
        let mut link = conn
            .prepare("INSERT INTO interaction_contacts (interaction_id, contact_id, position, occurred_at, channel) VALUES (?1, ?2, ?3, ?4, ?5)")
            .unwrap();
        for i in &records.interactions {
            let at = i.occurred_at.timestamp_millis();
            interaction
                .execute(params![
                    i.id,
                    i.channel.as_str(),
                    i.direction.as_str(),
                    at,
                    i.public,
                    i.text,
                    i.thread,
                    serde_json::to_string(&i.tags).unwrap()
                ])
                .unwrap();
            let iid = conn.last_insert_rowid();
            for (p, c) in i.contact_ids.iter().enumerate() {
                link.execute(params![
                    iid,
                    ids[c.as_str()],
                    p as i64,
                    at,
                    i.channel.as_str()
                ])
                .unwrap();
            }
        }
    }
    conn.execute_batch("COMMIT").unwrap();
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("twitter-large.zip");
    write_archive(&path);
    let now = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    let options = ImportOptions {
        format: Some(Format::Twitter),
        ..ImportOptions::default()
    };
    let parsed = {
        let store = Store::open_in_memory().unwrap();
        import::parse(&store, &path, Format::Twitter, &options, now, &mut |_| true).unwrap()
    };
    assert_eq!(parsed.records.interactions.len(), TWEETS + DMS);

    let mut group = c.benchmark_group("twitter archive, 100k tweets + 10k DMs");
    group.sample_size(10);
    group.bench_function("kith import (zip, parse, match, store)", |b| {
        b.iter(|| {
            let mut store = Store::open_in_memory().unwrap();
            let outcome = import::import(&mut store, &path, &options, now, &mut |_| true).unwrap();
            assert_eq!(outcome.report.interactions_added as usize, TWEETS + DMS);
        })
    });
    group.bench_function("raw rusqlite inserts of the same rows", |b| {
        b.iter(|| {
            let store = Store::open_in_memory().unwrap();
            raw_insert(&store, &parsed.records);
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
