//! The Twitter/X archive importer, on archives built here in the platform's layout.

#[path = "import_support.rs"]
mod support;

use kith_core::import::{self, Format, ImportOptions, Limits};
use kith_core::{Channel, Direction, Platform, Store};
use std::path::Path;
use support::*;

const ACCOUNT: &str = r#"[{"account": {"email": "me@example.org", "createdVia": "web", "username": "me_librarian", "accountId": "1000", "createdAt": "2012-01-01T00:00:00.000Z", "accountDisplayName": "Me"}}]"#;

fn tweets_json() -> String {
    r#"[
  {"tweet": {"id_str": "5001", "created_at": "Sat Aug 12 16:10:37 +0000 2023",
    "full_text": "Great session @alice_lib &amp; thanks! #code4lib",
    "entities": {"user_mentions": [{"screen_name": "alice_lib", "name": "Alice Lee", "id_str": "2001", "id": "2001", "indices": ["14", "24"]}],
                 "hashtags": [{"text": "code4lib", "indices": ["40", "49"]}]}}},
  {"tweet": {"id_str": "5002", "created_at": "Sun Aug 13 09:00:00 +0000 2023",
    "full_text": "@alice_lib agreed, and the slides?",
    "in_reply_to_status_id_str": "9000", "in_reply_to_user_id_str": "2001", "in_reply_to_screen_name": "alice_lib",
    "entities": {"user_mentions": [{"screen_name": "alice_lib", "name": "Alice Lee", "id_str": "2001"}]}}},
  {"tweet": {"id_str": "5003", "created_at": "Sun Aug 13 09:05:00 +0000 2023",
    "full_text": "@alice_lib @bobcat also cc'ing Bob",
    "in_reply_to_status_id_str": "5002", "in_reply_to_user_id_str": "1000", "in_reply_to_screen_name": "me_librarian",
    "entities": {"user_mentions": [{"screen_name": "alice_lib", "name": "Alice Lee", "id_str": "2001"},
                                   {"screen_name": "bobcat", "name": "Bob Katz", "id_str": "2002"}]}}},
  {"tweet": {"id_str": "5004", "created_at": "Mon Aug 14 10:00:00 +0000 2023",
    "full_text": "RT @alice_lib: a retweet is not a conversation",
    "entities": {"user_mentions": [{"screen_name": "alice_lib", "name": "Alice Lee", "id_str": "2001"}]}}},
  {"tweet": {"id_str": "5005", "created_at": "Mon Aug 14 11:00:00 +0000 2023",
    "full_text": "Talking to nobody in particular", "entities": {"user_mentions": []}}},
  {"tweet": {"id_str": "5006", "created_at": "Tue Aug 15 11:00:00 +0000 2023",
    "full_text": "@gone_user where did you go?",
    "entities": {"user_mentions": [{"screen_name": "gone_user", "name": "", "id_str": "-1"}]}}}
]"#
    .to_string()
}

const DMS: &str = r#"[{"dmConversation": {"conversationId": "1000-2003", "messages": [
  {"messageCreate": {"recipientId": "1000", "reactions": [], "urls": [], "text": "Hi, loved your talk", "mediaUrls": [], "senderId": "2003", "id": "7001", "createdAt": "2023-08-16T08:00:00.000Z"}},
  {"messageCreate": {"recipientId": "2003", "reactions": [], "urls": [], "text": "Thank you! Email me?", "mediaUrls": [], "senderId": "1000", "id": "7002", "createdAt": "2023-08-16T09:00:00.000Z"}}
]}}]"#;

const GROUP_DMS: &str = r#"[{"dmConversation": {"conversationId": "g123", "messages": [
  {"participantsJoin": {"initiatingUserId": "1000", "userIds": ["2001", "2002"], "createdAt": "2023-08-17T08:00:00.000Z"}},
  {"messageCreate": {"reactions": [], "urls": [], "text": "Planning the meetup", "mediaUrls": [], "senderId": "2002", "id": "7101", "createdAt": "2023-08-17T09:00:00.000Z"}},
  {"messageCreate": {"reactions": [], "urls": [], "text": "Count me in", "mediaUrls": [], "senderId": "1000", "id": "7102", "createdAt": "2023-08-17T09:30:00.000Z"}}
]}}]"#;

const FOLLOWING: &str = r#"[{"following": {"accountId": "2001", "userLink": "https://twitter.com/intent/user?user_id=2001"}},
 {"following": {"accountId": "2004", "userLink": "https://twitter.com/intent/user?user_id=2004"}}]"#;
const FOLLOWER: &str = r#"[{"follower": {"accountId": "2002", "userLink": "https://twitter.com/intent/user?user_id=2002"}},
 {"follower": {"accountId": "2005", "userLink": "https://twitter.com/intent/user?user_id=2005"}}]"#;

fn entries() -> Vec<(String, Vec<u8>)> {
    vec![
        (
            "data/manifest.js".into(),
            b"window.__THAR_CONFIG = {\"userInfo\": {\"accountId\": \"1000\"}}".to_vec(),
        ),
        ("data/account.js".into(), ytd("account", ACCOUNT)),
        ("data/tweets.js".into(), ytd("tweets", &tweets_json())),
        (
            "data/direct-messages.js".into(),
            ytd("direct_messages", DMS),
        ),
        (
            "data/direct-messages-group.js".into(),
            ytd("direct_messages_group", GROUP_DMS),
        ),
        ("data/following.js".into(), ytd("following", FOLLOWING)),
        ("data/follower.js".into(), ytd("follower", FOLLOWER)),
        ("data/lists-created.js".into(), ytd("lists_created", "[]")),
        (
            "data/tweets_media/5001-abc.jpg".into(),
            vec![0xff, 0xd8, 0xff],
        ),
    ]
}

fn zip_of(path: &Path, entries: &[(String, Vec<u8>)]) {
    let borrowed: Vec<(&str, &[u8])> = entries
        .iter()
        .map(|(n, c)| (n.as_str(), c.as_slice()))
        .collect();
    write_zip(path, &borrowed);
}

#[test]
fn a_twitter_archive_becomes_contacts_and_interactions() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("twitter-2023-09-01.zip");
    zip_of(&path, &entries());
    assert_eq!(
        import::detect(&path, &Limits::default()).unwrap(),
        Format::Twitter
    );

    let mut store = Store::open_in_memory().unwrap();
    let outcome = import_file(&mut store, &path).unwrap();
    assert_eq!(outcome.format, Format::Twitter);
    // alice, bob, 2003 (DM), 2004 (following), 2005 (follower), @gone_user.
    assert_eq!(outcome.report.contacts_added, 6, "{outcome:?}");
    // 4 tweets with people + 2 direct + 2 group messages.
    assert_eq!(outcome.report.interactions_added, 8, "{outcome:?}");
    assert_eq!(outcome.skipped, 2, "a retweet and a tweet naming nobody");
    assert!(outcome.notes.iter().any(|n| n.contains("lists")));

    let alice = store.contact("twitter:2001").unwrap();
    assert_eq!(alice.name, "Alice Lee");
    assert_eq!(alice.handles[0].platform, Platform::Twitter);
    assert_eq!(alice.handles[0].value, "@alice_lib");
    assert!(alice.tags.contains(&"twitter-following".to_string()));

    let unnamed = store.contact("twitter:2004").unwrap();
    assert_eq!(unnamed.name, "unnamed account 2004");
    assert!(unnamed.tags.contains(&"unresolved".to_string()));
    assert!(store
        .contact("twitter:2003")
        .unwrap()
        .tags
        .contains(&"unresolved".to_string()));
    assert_eq!(
        store.contact("twitter:@gone_user").unwrap().name,
        "@gone_user"
    );

    let first = store.interaction("twitter:tweet:5001").unwrap();
    assert_eq!(first.text, "Great session @alice_lib & thanks! #code4lib");
    assert_eq!(first.direction, Direction::Outbound);
    assert!(first.public);
    assert_eq!(first.channel, Channel::Twitter);
    assert_eq!(first.tags, vec!["#code4lib".to_string()]);
    assert_eq!(first.thread, None);
    assert_eq!(first.occurred_at.to_rfc3339(), "2023-08-12T16:10:37+00:00");

    // A reply chain is one conversation, rooted at the first tweet the archive knows of.
    let reply = store.interaction("twitter:tweet:5002").unwrap();
    let follow_up = store.interaction("twitter:tweet:5003").unwrap();
    assert_eq!(reply.thread.as_deref(), Some("twitter:thread:9000"));
    assert_eq!(follow_up.thread, reply.thread);
    assert_eq!(follow_up.contact_ids, vec!["twitter:2001", "twitter:2002"]);

    let inbound = store.interaction("twitter:dm:7001").unwrap();
    assert_eq!(inbound.direction, Direction::Inbound);
    assert!(!inbound.public);
    assert_eq!(inbound.contact_ids, vec!["twitter:2003"]);
    assert_eq!(inbound.thread.as_deref(), Some("twitter:dm:1000-2003"));
    assert_eq!(
        store.interaction("twitter:dm:7002").unwrap().direction,
        Direction::Outbound
    );

    let group_in = store.interaction("twitter:dm:7101").unwrap();
    assert_eq!(group_in.contact_ids, vec!["twitter:2002", "twitter:2001"]);
    assert_eq!(group_in.direction, Direction::Inbound);
    let group_out = store.interaction("twitter:dm:7102").unwrap();
    assert_eq!(group_out.direction, Direction::Outbound);
    assert_eq!(group_out.contact_ids.len(), 2);
}

#[test]
fn importing_the_same_archive_twice_adds_nothing_and_a_newer_one_only_the_new() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("twitter.zip");
    zip_of(&path, &entries());
    let mut store = Store::open_in_memory().unwrap();
    import_file(&mut store, &path).unwrap();
    let before = snapshot(&store);
    let again = import_file(&mut store, &path).unwrap();
    assert_eq!(
        again.report.contacts_added + again.report.interactions_added,
        0
    );
    assert_eq!(
        again.report.contacts_updated + again.report.interactions_updated,
        0,
        "{again:?}"
    );
    assert_eq!(snapshot(&store), before);

    // A newer archive: one more tweet, and 2004 is now mentioned by name.
    let mut newer = entries();
    let extra = tweets_json().replacen(
        "[\n",
        "[\n  {\"tweet\": {\"id_str\": \"5010\", \"created_at\": \"Wed Aug 16 10:00:00 +0000 2023\", \"full_text\": \"@carol_reads welcome!\", \"entities\": {\"user_mentions\": [{\"screen_name\": \"carol_reads\", \"name\": \"Carol Reyes\", \"id_str\": \"2004\"}]}}},\n",
        1,
    );
    newer[2].1 = ytd("tweets", &extra);
    let newer_path = dir.path().join("twitter-newer.zip");
    zip_of(&newer_path, &newer);
    let outcome = import_file(&mut store, &newer_path).unwrap();
    assert_eq!(outcome.report.interactions_added, 1);
    assert_eq!(outcome.report.contacts_added, 0);
    let carol = store.contact("twitter:2004").unwrap();
    assert_eq!(carol.name, "Carol Reyes");
    assert!(
        !carol.tags.contains(&"unresolved".to_string()),
        "{:?}",
        carol.tags
    );

    // An older archive that knows 2004 only by id does not take the name away again.
    import_file(&mut store, &path).unwrap();
    assert_eq!(store.contact("twitter:2004").unwrap().name, "Carol Reyes");
}

#[test]
fn split_tweet_files_old_tweet_js_and_unpacked_folders_are_read() {
    let dir = tempfile::tempdir().unwrap();
    // Split parts, and an older archive's bare items in tweet.js.
    let part = |id: &str, who: &str, uid: &str| {
        format!(
            r#"[{{"tweet": {{"id_str": "{id}", "created_at": "Sat Aug 12 16:10:37 +0000 2023", "full_text": "hi @{who}", "entities": {{"user_mentions": [{{"screen_name": "{who}", "name": "{who}", "id_str": "{uid}"}}]}}}}}}]"#
        )
    };
    let folder = dir.path().join("twitter-archive");
    std::fs::create_dir_all(folder.join("data")).unwrap();
    std::fs::write(folder.join("data/account.js"), ytd("account", ACCOUNT)).unwrap();
    std::fs::write(
        folder.join("data/tweets-part1.js"),
        ytd("tweets", &part("1", "ann", "11")),
    )
    .unwrap();
    std::fs::write(
        folder.join("data/tweets-part2.js"),
        ytd("tweets", &part("2", "ben", "12")),
    )
    .unwrap();
    let bare = r#"[{"id_str": "3", "created_at": "Sat Aug 12 16:10:37 +0000 2023", "full_text": "@cat hello", "entities": {"user_mentions": [{"screen_name": "cat", "name": "Cat", "id_str": "13"}]}}]"#;
    std::fs::write(folder.join("data/tweet.js"), ytd("tweet", bare)).unwrap();
    assert_eq!(
        import::detect(&folder, &Limits::default()).unwrap(),
        Format::Twitter
    );
    let mut store = Store::open_in_memory().unwrap();
    let outcome = import_file(&mut store, &folder).unwrap();
    assert_eq!(outcome.report.interactions_added, 3, "{outcome:?}");
    assert_eq!(store.contact("twitter:13").unwrap().name, "Cat");
}

#[test]
fn a_preview_counts_without_writing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("twitter.zip");
    zip_of(&path, &entries());
    let mut store = Store::open_in_memory().unwrap();
    let before = snapshot(&store);
    let preview = import::preview(
        &mut store,
        &path,
        &ImportOptions::default(),
        now(),
        &mut |_| true,
    )
    .unwrap();
    assert!(!preview.committed);
    assert_eq!(preview.report.contacts_added, 6);
    assert_eq!(preview.report.interactions_added, 8);
    assert!(!preview.examples.is_empty());
    assert_eq!(snapshot(&store), before);
    let real = import_file(&mut store, &path).unwrap();
    assert_eq!(real.report, preview.report);
}

#[test]
fn progress_is_reported_and_cancelling_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("twitter.zip");
    zip_of(&path, &entries());
    let mut store = Store::open_in_memory().unwrap();
    let mut stages = Vec::new();
    import::preview(
        &mut store,
        &path,
        &ImportOptions::default(),
        now(),
        &mut |p| {
            stages.push(p.stage);
            true
        },
    )
    .unwrap();
    assert!(stages.iter().any(|s| s.contains("tweets")), "{stages:?}");

    let before = snapshot(&store);
    let err = import::import(
        &mut store,
        &path,
        &ImportOptions::default(),
        now(),
        &mut |_| false,
    )
    .unwrap_err();
    assert!(err.to_string().contains("cancelled"), "{err}");
    assert_eq!(err.code(), "cancelled");
    assert_eq!(snapshot(&store), before);

    // Stopped while writing, after the whole file was read: still nothing is kept.
    let mut saw_writing = false;
    let err = import::import(
        &mut store,
        &path,
        &ImportOptions::default(),
        now(),
        &mut |p| {
            if p.stage == import::WRITING_STAGE {
                saw_writing = true;
                return false;
            }
            true
        },
    )
    .unwrap_err();
    assert!(saw_writing, "the write reports its progress");
    assert_eq!(err.code(), "cancelled", "{err}");
    assert_eq!(snapshot(&store), before);

    // And when nobody stops it, the write reports reaching the end.
    let mut last = None;
    import::import(
        &mut store,
        &path,
        &ImportOptions::default(),
        now(),
        &mut |p| {
            if p.stage == import::WRITING_STAGE {
                last = Some((p.done, p.total));
            }
            true
        },
    )
    .unwrap();
    let (done, total) = last.expect("writing was reported");
    assert_eq!(Some(done), total);
    assert_ne!(snapshot(&store), before);
}

#[test]
fn invalid_json_inside_the_archive_names_the_entry_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut bad = entries();
    bad[2].1 = ytd("tweets", "[\n  {\"tweet\": {\"id_str\": \"1\",\n  oops\n]");
    let path = dir.path().join("bad-json.zip");
    zip_of(&path, &bad);
    let mut store = Store::open_in_memory().unwrap();
    let msg = assert_refused(
        &mut store,
        &path,
        &ImportOptions::default(),
        "data/tweets.js",
    );
    assert!(msg.contains("line 3"), "{msg}");
}

#[test]
fn a_tweet_with_a_wrong_field_names_the_json_path() {
    let dir = tempfile::tempdir().unwrap();
    let mut bad = entries();
    bad[2].1 = ytd(
        "tweets",
        r#"[{"tweet": {"id_str": "1", "created_at": 42}}]"#,
    );
    let path = dir.path().join("bad-field.zip");
    zip_of(&path, &bad);
    let mut store = Store::open_in_memory().unwrap();
    assert_refused(
        &mut store,
        &path,
        &ImportOptions::default(),
        "[0].tweet.created_at",
    );
}

#[test]
fn a_bad_date_names_the_tweet() {
    let dir = tempfile::tempdir().unwrap();
    let mut bad = entries();
    bad[2].1 = ytd(
        "tweets",
        r#"[{"tweet": {"id_str": "77", "created_at": "last Tuesday", "full_text": "@a hi", "entities": {"user_mentions": [{"screen_name": "a", "id_str": "5"}]}}}]"#,
    );
    let path = dir.path().join("bad-date.zip");
    zip_of(&path, &bad);
    let mut store = Store::open_in_memory().unwrap();
    assert_refused(&mut store, &path, &ImportOptions::default(), "tweet 77");
}

#[test]
fn not_utf8_inside_the_archive_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut bad = entries();
    bad[2].1 = b"window.YTD.tweets.part0 = [\xff\xfe]".to_vec();
    let path = dir.path().join("latin1.zip");
    zip_of(&path, &bad);
    let mut store = Store::open_in_memory().unwrap();
    assert_refused(&mut store, &path, &ImportOptions::default(), "byte 27");
}

#[test]
fn a_truncated_zip_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("whole.zip");
    zip_of(&path, &entries());
    let bytes = std::fs::read(&path).unwrap();
    let cut = dir.path().join("cut.zip");
    std::fs::write(&cut, &bytes[..bytes.len() * 2 / 3]).unwrap();
    let mut store = Store::open_in_memory().unwrap();
    let options = ImportOptions {
        format: Some(Format::Twitter),
        ..ImportOptions::default()
    };
    assert_refused(&mut store, &cut, &options, "table of contents");
}

#[test]
fn a_path_traversal_entry_is_refused_before_anything_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let mut bad = entries();
    bad.push(("data/../../evil.js".into(), b"x".to_vec()));
    let path = dir.path().join("traversal.zip");
    zip_of(&path, &bad);
    let mut store = Store::open_in_memory().unwrap();
    let options = ImportOptions {
        format: Some(Format::Twitter),
        ..ImportOptions::default()
    };
    assert_refused(&mut store, &path, &options, "evil.js");
}

#[test]
fn a_zip_bomb_stops_at_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let mut bomb = entries();
    // 8 MB of spaces compresses to a few kilobytes.
    let mut padded = ytd("tweets", &tweets_json());
    padded.extend(std::iter::repeat_n(b' ', 8 << 20));
    bomb[2].1 = padded;
    let path = dir.path().join("bomb.zip");
    zip_of(&path, &bomb);
    assert!(std::fs::metadata(&path).unwrap().len() < 200_000);
    let mut store = Store::open_in_memory().unwrap();
    let options = ImportOptions {
        limits: Limits {
            max_entry_bytes: 1 << 20,
            ..Limits::default()
        },
        ..ImportOptions::default()
    };
    assert_refused(&mut store, &path, &options, "data/tweets.js");
    let options = ImportOptions {
        limits: Limits {
            max_total_bytes: 1 << 20,
            ..Limits::default()
        },
        ..ImportOptions::default()
    };
    assert_refused(&mut store, &path, &options, "data/tweets.js");
}

#[test]
fn an_archive_without_an_account_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let no_account: Vec<_> = entries()
        .into_iter()
        .filter(|(n, _)| n != "data/account.js")
        .collect();
    let path = dir.path().join("no-account.zip");
    zip_of(&path, &no_account);
    let mut store = Store::open_in_memory().unwrap();
    assert_refused(&mut store, &path, &ImportOptions::default(), "account.js");
}

#[test]
fn the_benchmark_archive_imports_every_tweet_with_a_mention_and_every_message() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bench.zip");
    let shape = kith_core::synth::TwitterShape {
        tweets: 30,
        dms: 20,
        people: 5,
    };
    kith_core::synth::write_twitter_archive(&path, shape).unwrap();
    let mut store = Store::open_in_memory().unwrap();
    let outcome = import_file(&mut store, &path).unwrap();
    assert_eq!(outcome.format, Format::Twitter);
    assert_eq!(outcome.report.interactions_added, 50, "{outcome:?}");
    assert_eq!(outcome.report.contacts_added, 5, "{outcome:?}");
}
