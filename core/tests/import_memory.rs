//! The record limit: a file of more records than one import takes (millions of tiny posts,
//! cards or messages within the size limits) is refused by count, naming the file, the place
//! and how many records it holds, before it is decoded into memory; a file at the limit is
//! imported. How much memory an accepted file may take is measured by the bench
//! (`bench/src/hostile.rs`), not here.

#[path = "import_support.rs"]
mod support;

use kith_core::import::{Format, ImportOptions, Limits};
use kith_core::Store;
use support::*;

/// The default limit, written out: a heavy user's export is well within it.
const DEFAULT_MAX_RECORDS: usize = 500_000;

fn limited(format: Format, max_records: usize) -> ImportOptions {
    ImportOptions {
        format: Some(format),
        limits: Limits {
            max_records,
            ..Limits::default()
        },
        ..ImportOptions::default()
    }
}

const ACCOUNT: &str = r#"[{"account": {"accountId": "1", "username": "me"}}]"#;

/// `n` tiny tweets naming nobody, each a record to decode.
fn tiny_tweets(n: usize) -> String {
    let items: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"tweet":{{"id_str":"{i}","created_at":"Sat Aug 12 16:10:37 +0000 2023","full_text":"x"}}}}"#
            )
        })
        .collect();
    format!("[{}]", items.join(","))
}

#[test]
fn a_twitter_archive_of_more_tweets_than_the_default_limit_is_refused_by_count() {
    // 38 MB of text, 500,001 tweets: within the byte limits, each tweet a struct, strings
    // and a row once decoded.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tiny-tweets.zip");
    write_zip(
        &path,
        &[
            ("data/account.js", &ytd("account", ACCOUNT)),
            (
                "data/tweets.js",
                &ytd("tweets", &tiny_tweets(DEFAULT_MAX_RECORDS + 1)),
            ),
        ],
    );
    let mut store = Store::open_in_memory().unwrap();
    let message = assert_refused(
        &mut store,
        &path,
        &ImportOptions::default(),
        "zip entry \"data/tweets.js\"",
    );
    // The account's record and every tweet.
    assert!(message.contains("at least 500002 records"), "{message}");
    assert!(
        message.contains("more than the 500000 records"),
        "{message}"
    );
}

#[test]
fn tweets_are_counted_across_files_and_the_careful_reading_counts_too() {
    let dir = tempfile::tempdir().unwrap();
    // At the limit (the account and 9 tweets): imported.
    let at = dir.path().join("at.zip");
    write_zip(
        &at,
        &[
            ("data/account.js", &ytd("account", ACCOUNT)),
            ("data/tweets.js", &ytd("tweets", &tiny_tweets(9))),
        ],
    );
    let mut store = Store::open_in_memory().unwrap();
    let outcome = import_with(&mut store, &at, &limited(Format::Twitter, 10)).unwrap();
    assert_eq!(outcome.skipped, 9);
    // One more, in a second file: refused, naming the file that broke the limit.
    let parts = dir.path().join("parts.zip");
    write_zip(
        &parts,
        &[
            ("data/account.js", &ytd("account", ACCOUNT)),
            ("data/tweets.js", &ytd("tweets", &tiny_tweets(5))),
            ("data/tweets-part1.js", &ytd("tweets", &tiny_tweets(5))),
        ],
    );
    let message = assert_refused(
        &mut store,
        &parts,
        &limited(Format::Twitter, 10),
        "zip entry \"data/tweets-part1.js\"",
    );
    assert!(message.contains("at least 11 records"), "{message}");
    // Bare and wrapped tweets mixed send the reading the careful way, item by item: still
    // counted.
    let careful = dir.path().join("careful.zip");
    let bare = r#"[{"id_str":"99","created_at":"Sat Aug 12 16:10:37 +0000 2023","full_text":"x"},"#;
    let tweets = tiny_tweets(20).replacen('[', bare, 1);
    write_zip(
        &careful,
        &[
            ("data/account.js", &ytd("account", ACCOUNT)),
            ("data/tweets.js", &ytd("tweets", &tweets)),
        ],
    );
    let message = assert_refused(
        &mut store,
        &careful,
        &limited(Format::Twitter, 10),
        "zip entry \"data/tweets.js\"",
    );
    assert!(message.contains("at least 22 records"), "{message}");
    // A mistake is still named by its place.
    let tweets = tiny_tweets(20).replace(']', r#",{"tweet": {"id_str": 5}}]"#);
    write_zip(
        &careful,
        &[
            ("data/account.js", &ytd("account", ACCOUNT)),
            ("data/tweets.js", &ytd("tweets", &tweets)),
        ],
    );
    assert_refused(
        &mut store,
        &careful,
        &ImportOptions::default(),
        "data/tweets.js\": [20].tweet.id_str",
    );
}

#[test]
fn direct_messages_count_one_by_one() {
    let messages: Vec<String> = (0..30)
        .map(|i| {
            format!(
                r#"{{"messageCreate": {{"id": "{i}", "senderId": "2", "recipientId": "1", "text": "hi", "createdAt": "2023-01-01T00:00:00.000Z"}}}}"#
            )
        })
        .collect();
    let dms = format!(
        r#"[{{"dmConversation": {{"conversationId": "1-2", "messages": [{}]}}}}]"#,
        messages.join(",")
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dms.zip");
    write_zip(
        &path,
        &[
            ("data/account.js", &ytd("account", ACCOUNT)),
            ("data/direct-messages.js", &ytd("dms", &dms)),
        ],
    );
    let mut store = Store::open_in_memory().unwrap();
    let message = assert_refused(
        &mut store,
        &path,
        &limited(Format::Twitter, 20),
        "zip entry \"data/direct-messages.js\"",
    );
    assert!(message.contains("records"), "{message}");
    // Within the limit every message is imported, and a mistake in one is still named.
    let outcome = import_with(&mut store, &path, &limited(Format::Twitter, 100)).unwrap();
    assert_eq!(outcome.report.interactions_added, 30);
    let bad = dms.replace(r#""id": "7""#, r#""id": 7"#);
    write_zip(
        &path,
        &[
            ("data/account.js", &ytd("account", ACCOUNT)),
            ("data/direct-messages.js", &ytd("dms", &bad)),
        ],
    );
    assert_refused(
        &mut store,
        &path,
        &ImportOptions::default(),
        "conversation 1-2: messages[7].messageCreate.id",
    );
}

/// A Mastodon outbox of `n` boosts, each an activity to decode.
fn outbox_of_boosts(n: usize) -> String {
    let items: Vec<String> = (0..n)
        .map(|i| format!(r#"{{"type":"Announce","id":"{i}"}}"#))
        .collect();
    format!(
        r#"{{"type": "OrderedCollection", "orderedItems": [{}]}}"#,
        items.join(",")
    )
}

#[test]
fn a_mastodon_outbox_of_more_activities_than_the_default_limit_is_refused_by_count() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("boosts.zip");
    write_zip(
        &path,
        &[(
            "outbox.json",
            outbox_of_boosts(DEFAULT_MAX_RECORDS + 1).as_bytes(),
        )],
    );
    let mut store = Store::open_in_memory().unwrap();
    let message = assert_refused(
        &mut store,
        &path,
        &ImportOptions::default(),
        "zip entry \"outbox.json\": orderedItems",
    );
    assert!(message.contains("holds 500001 activities"), "{message}");
    assert!(
        message.contains("more than the 500000 records"),
        "{message}"
    );
}

#[test]
fn a_mastodon_outbox_at_the_limit_is_read_and_its_mistakes_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("outbox.zip");
    write_zip(&path, &[("outbox.json", outbox_of_boosts(10).as_bytes())]);
    let mut store = Store::open_in_memory().unwrap();
    let outcome = import_with(&mut store, &path, &limited(Format::Mastodon, 10)).unwrap();
    assert_eq!(outcome.skipped, 10);
    // The second list of Mastodon 4.3's two is counted once, not on top of the first.
    let twice = outbox_of_boosts(10).replacen('{', r#"{"orderedItems": [], "#, 1);
    write_zip(&path, &[("outbox.json", twice.as_bytes())]);
    let outcome = import_with(&mut store, &path, &limited(Format::Mastodon, 10)).unwrap();
    assert_eq!(outcome.skipped, 10);
    // A Create without an object is named by its place.
    let bad = outbox_of_boosts(3).replace(r#""type":"Announce","id":"1""#, r#""type":"Create""#);
    write_zip(&path, &[("outbox.json", bad.as_bytes())]);
    assert_refused(
        &mut store,
        &path,
        &ImportOptions::default(),
        "zip entry \"outbox.json\": orderedItems[1]",
    );
}

#[test]
fn a_vcard_file_of_more_cards_than_the_limit_is_refused_by_count() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cards.vcf");
    let card = |n: usize| format!("BEGIN:VCARD\nVERSION:3.0\nFN:Person {n}\nEND:VCARD\n");
    std::fs::write(&path, (0..11).map(card).collect::<String>()).unwrap();
    let mut store = Store::open_in_memory().unwrap();
    let message = assert_refused(
        &mut store,
        &path,
        &limited(Format::Vcard, 10),
        "the whole file",
    );
    assert!(message.contains("holds 11 cards"), "{message}");
    assert!(message.contains("more than the 10 records"), "{message}");
    std::fs::write(&path, (0..10).map(card).collect::<String>()).unwrap();
    let outcome = import_with(&mut store, &path, &limited(Format::Vcard, 10)).unwrap();
    assert_eq!(outcome.report.contacts_added, 10);
}

#[test]
fn an_mbox_of_more_messages_than_the_limit_is_refused_by_count() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mail.mbox");
    let message = |n: usize| {
        format!(
            "From ann@example.org Mon Jan  5 09:00:00 2026\nFrom: Ann <ann@example.org>\nTo: me@example.net\nDate: Mon, 5 Jan 2026 09:00:00 +0000\nMessage-ID: <{n}@example.org>\nSubject: hi\n\nbody {n}\n\n"
        )
    };
    std::fs::write(&path, (0..11).map(message).collect::<String>()).unwrap();
    let mut store = Store::open_in_memory().unwrap();
    let refusal = assert_refused(
        &mut store,
        &path,
        &limited(Format::Mbox, 10),
        "the whole file",
    );
    assert!(refusal.contains("holds 11 messages"), "{refusal}");
    std::fs::write(&path, (0..10).map(message).collect::<String>()).unwrap();
    let options = ImportOptions {
        my_emails: vec!["me@example.net".into()],
        ..limited(Format::Mbox, 10)
    };
    // Mail is matched to contacts already in the store; there are none, so every message is
    // read and left out.
    let outcome = import_with(&mut store, &path, &options).unwrap();
    assert_eq!(outcome.skipped, 10, "{outcome:?}");
}

/// A CAR file (version 1) whose root is the first of `blocks` tiny DAG-CBOR blocks, each an
/// empty map under its own 4-byte CID.
fn car_of_tiny_blocks(blocks: u32) -> Vec<u8> {
    let cid = |n: u32| {
        let mut c = vec![0x01, 0x71, 0x12, 0x04];
        c.extend_from_slice(&n.to_be_bytes());
        c
    };
    let mut header = vec![0xa2, 0x67];
    header.extend_from_slice(b"version");
    header.push(0x01);
    header.push(0x65);
    header.extend_from_slice(b"roots");
    header.extend_from_slice(&[0x81, 0xd8, 0x2a, 0x49, 0x00]);
    header.extend_from_slice(&cid(0));
    let mut out = vec![header.len() as u8];
    out.extend_from_slice(&header);
    for n in 0..blocks {
        let c = cid(n);
        out.push((c.len() + 1) as u8);
        out.extend_from_slice(&c);
        out.push(0xa0);
    }
    out
}

#[test]
fn a_bluesky_repository_of_more_blocks_than_the_limit_is_refused_by_count() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("repo.car");
    std::fs::write(&path, car_of_tiny_blocks(11)).unwrap();
    let mut store = Store::open_in_memory().unwrap();
    let message = assert_refused(
        &mut store,
        &path,
        &limited(Format::Bluesky, 10),
        "the whole file",
    );
    assert!(message.contains("holds 11 blocks"), "{message}");
    // At the limit the file is read, and refused for what it is (a commit with no account).
    std::fs::write(&path, car_of_tiny_blocks(10)).unwrap();
    let message = assert_refused(
        &mut store,
        &path,
        &limited(Format::Bluesky, 10),
        "the commit block",
    );
    assert!(!message.contains("blocks"), "{message}");
}

#[test]
fn what_records_name_counts_too() {
    // Eight people, tags or addressees for each record the import may take: a tweet naming
    // a hundred people under a limit of ten records is refused.
    let mentions: Vec<String> = (0..100)
        .map(|n| format!(r#"{{"id_str":"{}","screen_name":"p{n}"}}"#, 100 + n))
        .collect();
    let tweet = format!(
        r#"[{{"tweet":{{"id_str":"1","created_at":"Sat Aug 12 16:10:37 +0000 2023","full_text":"hi","entities":{{"user_mentions":[{}]}}}}}}]"#,
        mentions.join(",")
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mentions.zip");
    write_zip(
        &path,
        &[
            ("data/account.js", &ytd("account", ACCOUNT)),
            ("data/tweets.js", &ytd("tweets", &tweet)),
        ],
    );
    let mut store = Store::open_in_memory().unwrap();
    let message = assert_refused(
        &mut store,
        &path,
        &limited(Format::Twitter, 10),
        "zip entry \"data/tweets.js\"",
    );
    assert!(message.contains("more than 80 people"), "{message}");
    let outcome = import_with(&mut store, &path, &limited(Format::Twitter, 20)).unwrap();
    assert_eq!(outcome.report.contacts_added, 100);

    // A Mastodon post addressed to a hundred people.
    let to: Vec<String> = (0..100)
        .map(|n| format!(r#""https://h.example/users/p{n}""#))
        .collect();
    let outbox = format!(
        r#"{{"orderedItems":[{{"type":"Create","object":{{"type":"Note","id":"1","to":[{}]}}}}]}}"#,
        to.join(",")
    );
    let path = dir.path().join("addressed.zip");
    write_zip(&path, &[("outbox.json", outbox.as_bytes())]);
    let message = assert_refused(
        &mut store,
        &path,
        &limited(Format::Mastodon, 10),
        "zip entry \"outbox.json\": orderedItems",
    );
    assert!(message.contains("more than 80 people"), "{message}");
}

#[test]
fn a_card_or_a_message_of_millions_of_lines_is_refused_before_it_is_parsed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.vcf");
    let mut card = String::from("BEGIN:VCARD\nVERSION:3.0\nFN:Long\n");
    card.push_str(&"X-A:a\n".repeat(20_000));
    card.push_str("END:VCARD\n");
    std::fs::write(&path, card).unwrap();
    let mut store = Store::open_in_memory().unwrap();
    let message = assert_refused(
        &mut store,
        &path,
        &ImportOptions::default(),
        "card 1 (line 1)",
    );
    assert!(
        message.contains("the card has 20004 lines, more than the 10000"),
        "{message}"
    );

    let path = dir.path().join("long.mbox");
    let mut mbox = String::from(
        "From a@example.org Mon Jan  5 09:00:00 2026\nFrom: a@example.org\nTo: me@example.net\n\n",
    );
    mbox.push_str(&"\n".repeat(2_000_000));
    std::fs::write(&path, mbox).unwrap();
    let message = assert_refused(
        &mut store,
        &path,
        &ImportOptions::default(),
        "message 1 (line 1)",
    );
    assert!(
        message.contains("more than the 2000000 Kith reads"),
        "{message}"
    );
}

#[test]
fn a_bluesky_block_larger_than_any_record_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big-block.car");
    let mut car = car_of_tiny_blocks(1);
    // One block of 3 MB: a CBOR byte string after its CID.
    let data_len: u32 = 3 << 20;
    let mut block = vec![0x01, 0x71, 0x12, 0x04, 0, 0, 0, 9, 0x5a];
    block.extend_from_slice(&data_len.to_be_bytes());
    block.resize(block.len() + data_len as usize, 0);
    let mut len = block.len() as u64;
    while len >= 0x80 {
        car.push((len as u8 & 0x7f) | 0x80);
        len >>= 7;
    }
    car.push(len as u8);
    car.extend_from_slice(&block);
    std::fs::write(&path, car).unwrap();
    let mut store = Store::open_in_memory().unwrap();
    let message = assert_refused(&mut store, &path, &ImportOptions::default(), "byte ");
    assert!(message.contains("block 2 is 3145741 bytes"), "{message}");
}

/// A Kith archive of `contacts` tiny contacts and `interactions` tiny interactions.
fn tiny_archive(contacts: usize, interactions: usize) -> String {
    let people: Vec<String> = (0..contacts)
        .map(|i| format!(r#"{{"id":"c{i}","name":"P{i}"}}"#))
        .collect();
    let notes: Vec<String> = (0..interactions)
        .map(|i| {
            format!(
                r#"{{"id":"i{i}","contact_ids":["c0"],"channel":"email","direction":"outbound","occurred_at":"2024-01-01T00:00:00Z","text":"x"}}"#
            )
        })
        .collect();
    format!(
        r#"{{"format":"kith-archive","version":1,"contacts":[{}],"interactions":[{}],"events":[]}}"#,
        people.join(","),
        notes.join(",")
    )
}

#[test]
fn a_kith_archive_of_more_records_than_the_limit_is_refused_where_it_passes_it() {
    let dir = tempfile::tempdir().unwrap();
    // Contacts and interactions count together: 6 + 5 is one past 10.
    let over = dir.path().join("over.json");
    std::fs::write(&over, tiny_archive(6, 5)).unwrap();
    let mut store = Store::open_in_memory().unwrap();
    let message = assert_refused(
        &mut store,
        &over,
        &limited(Format::Json, 10),
        "interactions[4]",
    );
    assert!(message.contains("at least 11 records"), "{message}");
    assert!(message.contains("more than the 10 records"), "{message}");

    // At the limit: imported.
    let at = dir.path().join("at.json");
    std::fs::write(&at, tiny_archive(6, 4)).unwrap();
    let outcome = import_with(&mut store, &at, &limited(Format::Json, 10)).unwrap();
    assert_eq!(outcome.report.contacts_added, 6);
    assert_eq!(outcome.report.interactions_added, 4);
}

#[test]
fn a_csv_of_more_rows_than_the_limit_is_refused_naming_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let rows = |n: usize| {
        let mut text = String::from("First Name,Last Name,E-mail Address\n");
        for i in 0..n {
            text.push_str(&format!("P{i},Q,p{i}@example.org\n"));
        }
        text
    };
    let over = dir.path().join("contacts.csv");
    std::fs::write(&over, rows(11)).unwrap();
    let mut store = Store::open_in_memory().unwrap();
    let message = assert_refused(&mut store, &over, &limited(Format::Google, 10), "line 12");
    assert!(message.contains("at least 11 rows"), "{message}");

    let at = dir.path().join("at.csv");
    std::fs::write(&at, rows(10)).unwrap();
    let outcome = import_with(&mut store, &at, &limited(Format::Google, 10)).unwrap();
    assert_eq!(outcome.report.contacts_added, 10);
}
