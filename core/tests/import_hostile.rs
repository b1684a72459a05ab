//! Small hostile files: each would once have kept Kith busy for minutes or filled memory.
//! The inputs are large enough that the old, quadratic way would take minutes; done in
//! proportion to their size, each test takes a moment.

#[path = "import_support.rs"]
mod support;

use kith_core::import::{self, Format, ImportOptions};
use kith_core::store::MAX_HANDLES;
use kith_core::{Platform, Store};
use support::*;

/// A vCard of one card with `lines` EMAIL lines, cycling through `distinct` addresses.
fn card_with_addresses(lines: usize, distinct: usize) -> String {
    let mut card = String::from("BEGIN:VCARD\nVERSION:3.0\nFN:Many Addresses\n");
    for n in 0..lines {
        card.push_str(&format!("EMAIL:person{}@example.org\n", n % distinct));
    }
    card.push_str("END:VCARD\n");
    card
}

#[test]
fn a_card_with_thousands_of_addresses_is_refused_naming_the_card() {
    // A card of 100,000 addresses (2.6 MB), each compared with every earlier one, took about
    // 40 minutes; a card that long is now refused by its number of lines before it is parsed
    // (import_memory.rs). Just under that limit, the handles are still counted in a set.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("many.vcf");
    std::fs::write(
        &path,
        format!(
            "BEGIN:VCARD\nVERSION:3.0\nFN:First\nEND:VCARD\n{}",
            card_with_addresses(9_990, 9_990)
        ),
    )
    .unwrap();
    let mut store = Store::open_in_memory().unwrap();
    let message = assert_refused(
        &mut store,
        &path,
        &ImportOptions::default(),
        "card 2 (line 5)",
    );
    assert!(
        message.contains(&format!("at most {MAX_HANDLES} handles")),
        "{message}"
    );
}

#[test]
fn a_card_repeating_its_addresses_keeps_each_once() {
    // 20 cards of the same person, each of 9,990 lines cycling through 1,000 addresses:
    // each line was compared with every address kept so far.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("repeats.vcf");
    std::fs::write(&path, card_with_addresses(9_990, MAX_HANDLES).repeat(20)).unwrap();
    let mut store = Store::open_in_memory().unwrap();
    import_file(&mut store, &path).unwrap();
    let contacts = store.all_contacts().unwrap();
    assert_eq!(contacts.len(), 1);
    let emails = &contacts[0].handles;
    assert_eq!(emails.len(), MAX_HANDLES);
    assert!(emails.iter().all(|h| h.platform == Platform::Email));
    assert_eq!(emails[7].value, "person7@example.org");
    // Again: the same contact, nothing added.
    let again = import_file(&mut store, &path).unwrap();
    assert_eq!(again.report.contacts_unchanged, 1);
}

#[test]
fn an_archive_contact_with_ten_thousand_handles_is_refused_naming_the_record() {
    // This took 12 s, comparing each handle with every earlier one.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("handles.json");
    let emails: Vec<String> = (0..10_000)
        .map(|n| format!("\"p{n}@example.org\""))
        .collect();
    std::fs::write(
        &path,
        format!(
            r#"{{"contacts": [{{"id": "ok", "name": "Fine"}}, {{"id": "many", "name": "Many", "handles": {{"email": [{}]}}}}]}}"#,
            emails.join(", ")
        ),
    )
    .unwrap();
    let mut store = Store::open_in_memory().unwrap();
    let message = assert_refused(&mut store, &path, &ImportOptions::default(), "contacts[1]");
    assert!(
        message.contains(&format!("at most {MAX_HANDLES} handles")),
        "{message}"
    );
}

#[test]
fn categories_repeated_a_hundred_thousand_times_are_one_tag() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tags.vcf");
    let tags: Vec<String> = (0..100_000).map(|n| format!("Tag{}", n % 50)).collect();
    std::fs::write(
        &path,
        format!(
            "BEGIN:VCARD\nVERSION:3.0\nFN:Tagged\nCATEGORIES:{}\nEND:VCARD\n",
            tags.join(",")
        ),
    )
    .unwrap();
    let mut store = Store::open_in_memory().unwrap();
    import_file(&mut store, &path).unwrap();
    let contacts = store.all_contacts().unwrap();
    assert_eq!(contacts[0].tags.len(), 50);
}

const TWITTER_ACCOUNT: &str = r#"[{"account": {"username": "me", "accountId": "1"}}]"#;

/// A Twitter/X archive of `tweets` (id, the id it replies to), each mentioning one person.
fn twitter_replies(path: &std::path::Path, tweets: &[(String, Option<String>)]) {
    let items: Vec<String> = tweets
        .iter()
        .map(|(id, parent)| {
            let reply = parent
                .as_ref()
                .map(|p| format!(r#""in_reply_to_status_id_str": "{p}", "#))
                .unwrap_or_default();
            format!(
                r#"{{"tweet": {{"id_str": "{id}", {reply}"created_at": "Sat Aug 12 16:10:37 +0000 2023", "full_text": "@ann hi", "entities": {{"user_mentions": [{{"screen_name": "ann", "name": "Ann", "id_str": "2"}}]}}}}}}"#
            )
        })
        .collect();
    write_zip(
        path,
        &[
            ("data/account.js", &ytd("account", TWITTER_ACCOUNT)),
            (
                "data/tweets.js",
                &ytd("tweets", &format!("[{}]", items.join(",\n"))),
            ),
        ],
    );
}

fn threads_of(path: &std::path::Path, format: Format) -> Vec<(String, Option<String>)> {
    let store = Store::open_in_memory().unwrap();
    let parsed = import::parse(
        &store,
        path,
        format,
        &ImportOptions::default(),
        now(),
        &mut |_| true,
    )
    .unwrap();
    parsed
        .records
        .interactions
        .into_iter()
        .map(|i| (i.id, i.thread))
        .collect()
}

#[test]
fn a_reply_chain_of_a_hundred_thousand_tweets_is_one_conversation() {
    // Walking up to 10,000 parents for every tweet took minutes, and cut the chain.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("chain.zip");
    let tweets: Vec<(String, Option<String>)> = (0..100_000u64)
        .map(|n| {
            (
                format!("{}", 10_000_000 + n),
                (n > 0).then(|| format!("{}", 10_000_000 + n - 1)),
            )
        })
        .collect();
    twitter_replies(&path, &tweets);
    let threads = threads_of(&path, Format::Twitter);
    assert_eq!(threads.len(), 100_000);
    assert!(threads
        .iter()
        .all(|(_, t)| t.as_deref() == Some("twitter:thread:10000000")));
}

#[test]
fn a_reply_loop_is_one_conversation_named_after_its_smallest_id() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("loop.zip");
    let pairs = [
        ("503", "501"),
        ("501", "502"),
        ("502", "503"),
        ("504", "502"),
    ];
    let tweets: Vec<(String, Option<String>)> = pairs
        .iter()
        .map(|(id, p)| (id.to_string(), Some(p.to_string())))
        .collect();
    twitter_replies(&path, &tweets);
    let threads = threads_of(&path, Format::Twitter);
    assert_eq!(threads.len(), 4);
    for (id, thread) in &threads {
        assert_eq!(thread.as_deref(), Some("twitter:thread:501"), "{id}");
    }

    // The same in a Mastodon outbox, whatever order the posts come in.
    let note = |id: &str, parent: &str| {
        format!(
            r#"{{"type": "Create", "object": {{"id": "https://h/s/{id}", "type": "Note", "published": "2024-03-01T10:00:00Z", "inReplyTo": "https://h/s/{parent}", "content": "hi", "tag": [{{"type": "Mention", "name": "@ann@h"}}]}}}}"#
        )
    };
    for order in [[0, 1, 2, 3], [3, 2, 1, 0], [2, 0, 3, 1]] {
        let items: Vec<String> = order
            .iter()
            .map(|&k| note(pairs[k].0, pairs[k].1))
            .collect();
        let path = dir.path().join("outbox.zip");
        write_zip(
            &path,
            &[
                (
                    "actor.json",
                    br#"{"id": "https://h/users/me", "preferredUsername": "me"}"#,
                ),
                (
                    "outbox.json",
                    format!(r#"{{"orderedItems": [{}]}}"#, items.join(",")).as_bytes(),
                ),
            ],
        );
        let threads = threads_of(&path, Format::Mastodon);
        assert_eq!(threads.len(), 4);
        for (id, thread) in &threads {
            assert_eq!(
                thread.as_deref(),
                Some("mastodon:thread:https://h/s/501"),
                "{id} in order {order:?}"
            );
        }
    }
}

#[test]
fn a_csv_of_two_hundred_thousand_rows_is_counted_in_one_pass() {
    // Each row's line was counted from the start of the file: the square of its length.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rows.csv");
    let mut text = String::from("id,name,roles,met_on\n");
    for n in 0..200_000 {
        text.push_str(&format!("i{n},P{n},,\n"));
    }
    text.push_str("last,Last,,soon\n");
    std::fs::write(&path, text).unwrap();
    let store = Store::open_in_memory().unwrap();
    let err = import::parse(
        &store,
        &path,
        Format::Csv,
        &ImportOptions::default(),
        now(),
        &mut |_| true,
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("line 200002, column \"met_on\""), "{err}");
}
