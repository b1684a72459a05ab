//! `kith import` end to end: the real binary against a real store file, on exports built
//! here in the platforms' layouts.

mod common;

use common::{fails, json, kith, ok};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Contacts with email addresses, so that mail has someone to match.
const PEOPLE: &str = r#"{"format": "kith-archive", "version": 1,
 "contacts": [{"id": "ann", "name": "Ann Lee", "handles": {"email": "ann@example.org"}},
              {"id": "bo", "name": "Bo Park", "handles": {"email": "bo@example.org"}}],
 "interactions": [], "events": []}"#;

const ACCOUNT: &str = r#"[{"account": {"username": "me_librarian", "accountId": "1000", "accountDisplayName": "Me"}}]"#;

const TWEETS: &str = r#"[
  {"tweet": {"id_str": "5001", "created_at": "Sat Aug 12 16:10:37 +0000 2023",
    "full_text": "Great session @alice_lib &amp; thanks! #code4lib",
    "entities": {"user_mentions": [{"screen_name": "alice_lib", "name": "Alice Lee", "id_str": "2001"}],
                 "hashtags": [{"text": "code4lib"}]}}},
  {"tweet": {"id_str": "5002", "created_at": "Sun Aug 13 09:00:00 +0000 2023",
    "full_text": "@alice_lib @bobcat the slides?",
    "in_reply_to_status_id_str": "5001", "in_reply_to_user_id_str": "2001", "in_reply_to_screen_name": "alice_lib",
    "entities": {"user_mentions": [{"screen_name": "alice_lib", "name": "Alice Lee", "id_str": "2001"},
                                   {"screen_name": "bobcat", "name": "Bob Katz", "id_str": "2002"}]}}},
  {"tweet": {"id_str": "5003", "created_at": "Mon Aug 14 11:00:00 +0000 2023",
    "full_text": "Talking to nobody in particular", "entities": {"user_mentions": []}}}
]"#;

const DMS: &str = r#"[{"dmConversation": {"conversationId": "1000-2003", "messages": [
  {"messageCreate": {"recipientId": "1000", "text": "Hi, loved your talk", "senderId": "2003", "id": "7001", "createdAt": "2023-08-16T08:00:00.000Z"}},
  {"messageCreate": {"recipientId": "2003", "text": "Thank you!", "senderId": "1000", "id": "7002", "createdAt": "2023-08-16T09:00:00.000Z"}}
]}}]"#;

/// A Twitter `data/*.js` file: `window.YTD.<name>.part0 = <json>`.
fn ytd(name: &str, json: &str) -> Vec<u8> {
    format!("window.YTD.{name}.part0 = {json}").into_bytes()
}

fn twitter_entries(tweets: &str) -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("data/account.js", ytd("account", ACCOUNT)),
        ("data/tweets.js", ytd("tweets", tweets)),
        ("data/direct-messages.js", ytd("direct_messages", DMS)),
    ]
}

/// A Twitter/X archive as the platform sends it: a zip of `data/*.js`.
fn twitter_zip(dir: &Path, name: &str, tweets: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, zip::stored(&twitter_entries(tweets))).unwrap();
    path
}

fn arg(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// What the store holds, as the full JSON backup without its timestamp.
fn contents(db: &Path) -> String {
    ok(db, &["export", "--format", "json"])
        .lines()
        .filter(|l| !l.contains("exported_at"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A store with the two mail contacts in it, and the file's bytes after that import.
fn store_with_people(dir: &Path, name: &str) -> PathBuf {
    let db = dir.join(name);
    let people = dir.join(format!("{name}-people.json"));
    std::fs::write(&people, PEOPLE).unwrap();
    ok(&db, &["import", arg(&people)]);
    db
}

#[test]
fn a_dry_run_shows_the_preview_and_leaves_the_store_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let db = store_with_people(dir.path(), "kith.sqlite3");
    let archive = twitter_zip(dir.path(), "twitter-2023.zip", TWEETS);
    let bytes = std::fs::read(&db).unwrap();
    let before = contents(&db);

    let said = ok(&db, &["import", "--dry-run", arg(&archive)]);
    assert!(
        said.starts_with(&format!(
            "Would import {} (Twitter/X archive): ",
            arg(&archive)
        )),
        "{said}"
    );
    // Alice, Bob and 2003 from the messages; two tweets and two messages.
    assert!(
        said.contains("3 contacts added; 4 interactions added; 0 events added"),
        "{said}"
    );
    assert!(
        said.contains("1 items skipped (not a conversation with anyone)"),
        "{said}"
    );
    assert!(
        said.contains("  contact Alice Lee (twitter @alice_lib)"),
        "{said}"
    );
    assert!(
        said.contains("  2023-08-12 outbound Twitter/X with Alice Lee: Great session @alice_lib & thanks! #code4lib"),
        "{said}"
    );

    assert_eq!(std::fs::read(&db).unwrap(), bytes, "the store file changed");
    assert_eq!(contents(&db), before);
    assert_eq!(
        json(&db, &["stats", "--json"]),
        serde_json::json!({"contacts": 2, "interactions": 0, "events": 0})
    );

    // The preview's counts are exactly what the import then does.
    let done = ok(&db, &["import", arg(&archive)]);
    assert!(
        done.contains("Imported") && done.contains("3 contacts added; 4 interactions added"),
        "{done}"
    );
}

#[test]
fn json_output_has_the_outcome_fields() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kith.sqlite3");
    let archive = twitter_zip(dir.path(), "twitter.zip", TWEETS);

    let preview = json(&db, &["import", "--dry-run", "--json", arg(&archive)]);
    assert_eq!(preview["committed"], false);
    let done = json(&db, &["import", "--json", arg(&archive)]);
    let fields: Vec<&str> = done
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        fields,
        [
            "format",
            "committed",
            "report",
            "merged",
            "skipped",
            "examples",
            "notes"
        ]
    );
    assert_eq!(done["format"], "twitter");
    assert_eq!(done["committed"], true);
    assert_eq!(
        done["report"],
        serde_json::json!({
            "contacts_added": 3, "contacts_updated": 0, "contacts_unchanged": 0,
            "interactions_added": 4, "interactions_updated": 0, "interactions_unchanged": 0,
            "events_added": 0, "events_updated": 0, "events_unchanged": 0
        })
    );
    assert_eq!(done["merged"], 0);
    assert_eq!(done["skipped"], 1);
    let examples = done["examples"].as_array().unwrap();
    assert_eq!(examples.len(), 6, "three contacts and three interactions");
    assert!(examples.iter().all(Value::is_string));
    assert_eq!(done["notes"], serde_json::json!([]));
    assert_eq!(preview["report"], done["report"]);
    assert_eq!(preview["examples"], done["examples"]);
}

/// One message from `from` to `to`, as a mail client saves it.
fn eml(dir: &Path, name: &str, from: &str, to: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(
        &path,
        format!(
            "From: {from}\r\nTo: {to}\r\nSubject: Serials workflow\r\n\
             Date: Tue, 05 Mar 2024 10:00:00 +0000\r\nMessage-ID: <serials-1@example.org>\r\n\
             Content-Type: text/plain; charset=utf-8\r\n\r\nShall we compare notes?\r\n"
        ),
    )
    .unwrap();
    path
}

/// The one interaction in the store, from the JSON backup.
fn only_interaction(db: &Path) -> Value {
    let backup: Value = serde_json::from_str(&ok(db, &["export", "--format", "json"])).unwrap();
    let list = backup["interactions"].as_array().unwrap();
    assert_eq!(list.len(), 1, "{backup}");
    list[0].clone()
}

#[test]
fn me_decides_whether_mail_was_sent_or_received() {
    let dir = tempfile::tempdir().unwrap();
    let message = eml(
        dir.path(),
        "serials.eml",
        "Ann Lee <ann@example.org>",
        "Bo Park <bo@example.org>",
    );

    // Without the user's address a single message cannot say which way it went.
    let db = store_with_people(dir.path(), "nobody.sqlite3");
    let err = fails(&db, &["import", arg(&message)]);
    assert!(err.contains("serials.eml") && err.contains("--me"), "{err}");
    assert_eq!(json(&db, &["stats", "--json"])["interactions"], 0);

    // As Ann, the message is one she sent to Bo.
    let db = store_with_people(dir.path(), "ann.sqlite3");
    let said = ok(&db, &["import", "--me", "ann@example.org", arg(&message)]);
    assert!(said.contains("1 interactions added"), "{said}");
    let i = only_interaction(&db);
    assert_eq!(i["direction"], "outbound", "{i}");
    assert_eq!(i["channel"], "email");
    assert_eq!(i["contact_ids"], serde_json::json!(["bo"]));

    // A dry run with --me previews with the address and keeps nothing, not even the address.
    let db = store_with_people(dir.path(), "dry.sqlite3");
    let said = ok(
        &db,
        &[
            "import",
            "--dry-run",
            "--me",
            "ann@example.org",
            arg(&message),
        ],
    );
    assert!(said.contains("1 interactions"), "{said}");
    assert_eq!(json(&db, &["stats", "--json"])["interactions"], 0);
    let known = ok(&db, &["import", "--me", "someone@example.org"]);
    assert!(!known.contains("ann@example.org"), "{known}");

    // As Bo, the same message is one he received from Ann.
    let db = store_with_people(dir.path(), "bo.sqlite3");
    ok(&db, &["import", "--me", "bo@example.org", arg(&message)]);
    let i = only_interaction(&db);
    assert_eq!(i["direction"], "inbound", "{i}");
    assert_eq!(i["contact_ids"], serde_json::json!(["ann"]));

    // The address is remembered: a mailbox imported later needs no --me.
    let mbox = dir.path().join("more.mbox");
    std::fs::write(
        &mbox,
        "From bo@example.org Wed Mar 06 10:00:00 2024\n\
         From: bo@example.org\nTo: ann@example.org\nSubject: Re: Serials workflow\n\
         Date: Wed, 06 Mar 2024 10:00:00 +0000\nMessage-ID: <serials-2@example.org>\n\
         In-Reply-To: <serials-1@example.org>\n\nYes, Thursday?\n",
    )
    .unwrap();
    let done = json(&db, &["import", "--json", arg(&mbox)]);
    assert_eq!(done["format"], "mbox");
    assert_eq!(done["report"]["interactions_added"], 1, "{done}");
    let backup: Value = serde_json::from_str(&ok(&db, &["export", "--format", "json"])).unwrap();
    let reply = backup["interactions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["text"].as_str().unwrap().starts_with("Re: Serials"))
        .unwrap()
        .clone();
    assert_eq!(reply["direction"], "outbound", "{reply}");
}

#[test]
fn format_forces_the_reader_and_a_wrong_one_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = store_with_people(dir.path(), "kith.sqlite3");
    // Saved with its envelope line, a message looks like a mailbox of one.
    let message = dir.path().join("saved.eml");
    std::fs::write(
        &message,
        "From ann@example.org Tue Mar 05 10:00:00 2024\nFrom: ann@example.org\n\
         To: bo@example.org\nSubject: Hello\nDate: Tue, 05 Mar 2024 10:00:00 +0000\n\
         Message-ID: <hello@example.org>\n\nHi Bo\n",
    )
    .unwrap();
    let detected = json(
        &db,
        &[
            "import",
            "--dry-run",
            "--json",
            "--me",
            "bo@example.org",
            arg(&message),
        ],
    );
    assert_eq!(detected["format"], "mbox");
    let forced = json(
        &db,
        &[
            "import",
            "--dry-run",
            "--json",
            "--me",
            "bo@example.org",
            "--format",
            "eml",
            arg(&message),
        ],
    );
    assert_eq!(forced["format"], "eml");
    assert_eq!(forced["report"]["interactions_added"], 1, "{forced}");

    let before = contents(&db);
    let archive = twitter_zip(dir.path(), "twitter.zip", TWEETS);
    for (format, file, place) in [
        ("vcard", &archive, "line 1 (byte"),
        ("twitter", &message, "the zip's table of contents"),
        ("json", &message, "line 1, column 1"),
        ("linkedin", &message, "the header"),
    ] {
        let err = fails(&db, &["import", "--format", format, arg(file)]);
        let name = file.file_name().unwrap().to_str().unwrap();
        assert!(
            err.starts_with(&format!("kith: {}: ", arg(file))) && err.contains(name),
            "--format {format}: {err}"
        );
        assert!(
            err.contains(place),
            "--format {format}: no {place:?} in {err}"
        );
        assert!(
            err.contains("Nothing was imported"),
            "--format {format}: {err}"
        );
    }
    assert_eq!(contents(&db), before);

    let err = fails(&db, &["import", "--format", "myspace", arg(&archive)]);
    assert!(err.contains("myspace"), "{err}");
}

#[test]
fn importing_the_same_file_again_adds_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kith.sqlite3");
    let archive = twitter_zip(dir.path(), "twitter.zip", TWEETS);
    ok(&db, &["import", arg(&archive)]);
    let after_first = contents(&db);

    let again = json(&db, &["import", "--json", arg(&archive)]);
    assert_eq!(
        again["report"],
        serde_json::json!({
            "contacts_added": 0, "contacts_updated": 0, "contacts_unchanged": 3,
            "interactions_added": 0, "interactions_updated": 0, "interactions_unchanged": 4,
            "events_added": 0, "events_updated": 0, "events_unchanged": 0
        })
    );
    assert_eq!(contents(&db), after_first);
    let said = ok(&db, &["import", arg(&archive)]);
    assert!(
        said.contains("0 contacts added, 3 unchanged; 0 interactions added, 4 unchanged"),
        "{said}"
    );
    assert_eq!(
        json(&db, &["stats", "--json"]),
        serde_json::json!({"contacts": 3, "interactions": 4, "events": 0})
    );
}

/// Runs an import that must fail, and checks that it named the file and `place` and that the
/// store file is byte for byte what it was.
fn refused(db: &Path, file: &Path, extra: &[&str], place: &str) -> String {
    let bytes = std::fs::read(db).unwrap();
    let before = contents(db);
    let mut args = vec!["import"];
    args.extend_from_slice(extra);
    args.push(arg(file));
    let out = kith(db, &args);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!out.status.success(), "{args:?} should have failed");
    assert!(
        out.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(
        err.starts_with(&format!("kith: {}: ", arg(file))),
        "no file name in: {err}"
    );
    assert!(err.contains(place), "no {place:?} in: {err}");
    assert!(err.contains("Nothing was imported"), "{err}");
    assert_eq!(std::fs::read(db).unwrap(), bytes, "the store file changed");
    assert_eq!(contents(db), before);
    err
}

#[test]
fn a_malformed_file_fails_naming_the_place_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = store_with_people(dir.path(), "kith.sqlite3");
    let whole = std::fs::read(twitter_zip(dir.path(), "whole.zip", TWEETS)).unwrap();

    let cut = dir.path().join("cut.zip");
    std::fs::write(&cut, &whole[..whole.len() * 2 / 3]).unwrap();
    refused(&db, &cut, &[], "the zip's table of contents");
    refused(
        &db,
        &cut,
        &["--format", "twitter"],
        "the zip's table of contents",
    );

    // Broken JSON: the entry, then the line and column within it.
    let broken = TWEETS.replace(r#""id_str": "5002","#, r#""id_str": "5002" "created_at": "#);
    let bad = twitter_zip(dir.path(), "bad-json.zip", &broken);
    let err = refused(
        &db,
        &bad,
        &[],
        "zip entry \"data/tweets.js\": line 6, column",
    );
    assert!(err.contains("invalid JSON"), "{err}");

    // Well-formed JSON with a wrong value: the JSON path to it.
    let wrong = TWEETS.replace(
        r#""created_at": "Sun Aug 13 09:00:00 +0000 2023""#,
        r#""created_at": 1692000000"#,
    );
    let bad = twitter_zip(dir.path(), "bad-field.zip", &wrong);
    refused(
        &db,
        &bad,
        &[],
        "zip entry \"data/tweets.js\": [1].tweet.created_at",
    );

    // A good archive after a bad one goes in whole.
    let good = twitter_zip(dir.path(), "good.zip", TWEETS);
    let done = json(&db, &["import", "--json", arg(&good)]);
    assert_eq!(done["report"]["interactions_added"], 4);
}

/// A zip writer for the tests: entries stored uncompressed, as the format allows.
mod zip {
    fn crc32(data: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &b in data {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    /// The bytes of a zip holding `entries`.
    pub fn stored(entries: &[(&str, Vec<u8>)]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut central = Vec::new();
        for (name, data) in entries {
            let offset = out.len() as u32;
            let crc = crc32(data);
            let size = data.len() as u32;
            let name_len = name.len() as u16;
            // Local file header.
            out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
            out.extend_from_slice(&20u16.to_le_bytes()); // version needed
            out.extend_from_slice(&0u16.to_le_bytes()); // flags
            out.extend_from_slice(&0u16.to_le_bytes()); // stored
            out.extend_from_slice(&0u16.to_le_bytes()); // time
            out.extend_from_slice(&0x5821u16.to_le_bytes()); // date: 2024-01-01
            out.extend_from_slice(&crc.to_le_bytes());
            out.extend_from_slice(&size.to_le_bytes());
            out.extend_from_slice(&size.to_le_bytes());
            out.extend_from_slice(&name_len.to_le_bytes());
            out.extend_from_slice(&0u16.to_le_bytes()); // extra
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(data);
            // Its central directory record.
            central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
            central.extend_from_slice(&20u16.to_le_bytes()); // made by
            central.extend_from_slice(&20u16.to_le_bytes()); // version needed
            central.extend_from_slice(&0u16.to_le_bytes()); // flags
            central.extend_from_slice(&0u16.to_le_bytes()); // stored
            central.extend_from_slice(&0u16.to_le_bytes()); // time
            central.extend_from_slice(&0x5821u16.to_le_bytes()); // date
            central.extend_from_slice(&crc.to_le_bytes());
            central.extend_from_slice(&size.to_le_bytes());
            central.extend_from_slice(&size.to_le_bytes());
            central.extend_from_slice(&name_len.to_le_bytes());
            central.extend_from_slice(&[0; 12]); // extra, comment, disk, attributes
            central.extend_from_slice(&offset.to_le_bytes());
            central.extend_from_slice(name.as_bytes());
        }
        let at = out.len() as u32;
        let count = entries.len() as u16;
        out.extend_from_slice(&central);
        // End of central directory.
        out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
        out.extend_from_slice(&[0; 4]); // disk numbers
        out.extend_from_slice(&count.to_le_bytes());
        out.extend_from_slice(&count.to_le_bytes());
        out.extend_from_slice(&(central.len() as u32).to_le_bytes());
        out.extend_from_slice(&at.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes()); // comment
        out
    }

    #[test]
    fn crc32_matches_the_standard_check_value() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    }
}

#[test]
fn a_twitter_archive_forced_as_mastodon_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = store_with_people(dir.path(), "kith.sqlite3");
    let archive = twitter_zip(dir.path(), "twitter.zip", TWEETS);
    let before = contents(&db);
    let err = fails(&db, &["import", "--format", "mastodon", arg(&archive)]);
    assert!(err.contains("twitter.zip"), "{err}");
    assert!(err.contains("not a Mastodon archive"), "{err}");
    assert_eq!(contents(&db), before);
}
