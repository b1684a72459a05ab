//! The Mastodon archive importer, on archives built here in the platform's layout, and
//! matching the same person across sources.

#[path = "import_support.rs"]
mod support;

use kith_core::import::{self, Format, ImportOptions, Limits};
use kith_core::{Channel, Direction, Platform, Store};
use support::*;

const ACTOR: &str = r#"{"@context": ["https://www.w3.org/ns/activitystreams"], "id": "https://glammr.us/users/me", "type": "Person", "preferredUsername": "me", "name": "Me"}"#;

fn outbox() -> String {
    r##"{"@context": "https://www.w3.org/ns/activitystreams", "id": "outbox.json", "type": "OrderedCollection", "totalItems": 5, "orderedItems": [
  {"id": "https://glammr.us/users/me/statuses/1/activity", "type": "Create", "actor": "https://glammr.us/users/me", "published": "2024-03-01T10:00:00Z",
   "to": ["https://www.w3.org/ns/activitystreams#Public"], "cc": ["https://glammr.us/users/me/followers", "https://code4lib.social/users/chen"],
   "object": {"id": "https://glammr.us/users/me/statuses/1", "type": "Note", "published": "2024-03-01T10:00:00Z", "inReplyTo": null,
     "to": ["https://www.w3.org/ns/activitystreams#Public"], "cc": ["https://code4lib.social/users/chen"],
     "content": "<p><span class=\"h-card\"><a href=\"https://code4lib.social/@chen\" class=\"u-url mention\">@<span>chen</span></a></span> how do you handle serials &amp; predictions? <a href=\"https://glammr.us/tags/koha\">#<span>koha</span></a></p>",
     "tag": [{"type": "Mention", "href": "https://code4lib.social/users/chen", "name": "@chen@code4lib.social"}, {"type": "Hashtag", "href": "https://glammr.us/tags/koha", "name": "#koha"}]}},
  {"id": "https://glammr.us/users/me/statuses/2/activity", "type": "Create", "actor": "https://glammr.us/users/me", "published": "2024-03-01T11:00:00Z",
   "to": ["https://code4lib.social/users/chen"], "cc": [],
   "object": {"id": "https://glammr.us/users/me/statuses/2", "type": "Note", "published": "2024-03-01T11:00:00Z", "inReplyTo": "https://glammr.us/users/me/statuses/1",
     "to": ["https://code4lib.social/users/chen"], "cc": [], "content": "<p>privately: thanks!<br>really</p>",
     "tag": [{"type": "Mention", "href": "https://code4lib.social/users/chen", "name": "@chen@code4lib.social"}, {"type": "Mention", "href": "https://glammr.us/users/hana", "name": "@hana"}]}},
  {"id": "https://glammr.us/users/me/statuses/3/activity", "type": "Announce", "actor": "https://glammr.us/users/me", "published": "2024-03-02T10:00:00Z",
   "to": ["https://www.w3.org/ns/activitystreams#Public"], "object": "https://code4lib.social/users/chen/statuses/99"},
  {"id": "https://glammr.us/users/me/statuses/4/activity", "type": "Create", "actor": "https://glammr.us/users/me", "published": "2024-03-03T10:00:00Z",
   "to": ["https://www.w3.org/ns/activitystreams#Public"], "cc": [],
   "object": {"id": "https://glammr.us/users/me/statuses/4", "type": "Note", "published": "2024-03-03T10:00:00Z", "content": "<p>Just me</p>", "tag": []}}
]}"##
    .to_string()
}

fn archive(dir: &std::path::Path, outbox: &str) -> std::path::PathBuf {
    let path = dir.join("archive-20240401-abc.zip");
    write_zip(
        &path,
        &[
            ("actor.json", ACTOR.as_bytes()),
            ("outbox.json", outbox.as_bytes()),
            ("likes.json", br#"{"type": "OrderedCollection", "orderedItems": []}"#),
            ("bookmarks.json", br#"{"type": "OrderedCollection", "orderedItems": []}"#),
            ("follows.csv", b"Account address,Show boosts,Notify on new posts,Languages\nchen@code4lib.social,true,false,\nann@glammr.us,true,false,en\n"),
            ("lists.csv", b"Koha people,chen@code4lib.social\nKoha people,ann@glammr.us\n"),
        ],
    );
    path
}

#[test]
fn a_mastodon_archive_becomes_contacts_and_interactions() {
    let dir = tempfile::tempdir().unwrap();
    let path = archive(dir.path(), &outbox());
    assert_eq!(
        import::detect(&path, &Limits::default()).unwrap(),
        Format::Mastodon
    );
    let mut store = Store::open_in_memory().unwrap();
    let outcome = import_file(&mut store, &path).unwrap();
    assert_eq!(outcome.report.contacts_added, 3, "{outcome:?}"); // chen, hana, ann
    assert_eq!(outcome.report.interactions_added, 2);
    assert_eq!(outcome.skipped, 2, "a boost and a post naming nobody");

    let chen = store.contact("mastodon:chen@code4lib.social").unwrap();
    assert_eq!(chen.handles[0].platform, Platform::Mastodon);
    assert_eq!(chen.handles[0].value, "@chen@code4lib.social");
    assert!(chen.tags.contains(&"Koha people".to_string()));
    assert!(chen.tags.contains(&"mastodon-following".to_string()));
    store.contact("mastodon:hana@glammr.us").unwrap();

    let first = store
        .interaction("mastodon:status:https://glammr.us/users/me/statuses/1")
        .unwrap();
    assert_eq!(
        first.text,
        "@chen how do you handle serials & predictions? #koha"
    );
    assert!(first.public);
    assert_eq!(first.channel, Channel::Mastodon);
    assert_eq!(first.direction, Direction::Outbound);
    assert_eq!(first.tags, vec!["#koha".to_string()]);
    let reply = store
        .interaction("mastodon:status:https://glammr.us/users/me/statuses/2")
        .unwrap();
    assert!(!reply.public, "addressed only to the people mentioned");
    assert_eq!(reply.text, "privately: thanks!\nreally");
    assert_eq!(reply.thread, first.thread);
    assert!(reply.thread.is_some());

    let again = import_file(&mut store, &path).unwrap();
    assert_eq!(
        again.report.contacts_added + again.report.interactions_added,
        0
    );
}

#[test]
fn a_broken_outbox_names_the_entry_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = archive(
        dir.path(),
        &outbox().replace(
            "\"published\": \"2024-03-01T11:00:00Z\", \"inReplyTo\"",
            "\"published\": \"soon\", \"inReplyTo\"",
        ),
    );
    let mut store = Store::open_in_memory().unwrap();
    assert_refused(
        &mut store,
        &path,
        &ImportOptions::default(),
        "orderedItems[1].object.published",
    );
    let path = archive(dir.path(), "{\"orderedItems\": [");
    assert_refused(&mut store, &path, &ImportOptions::default(), "outbox.json");
}

#[test]
fn the_same_person_from_a_vcard_and_twitter_is_one_contact() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in_memory().unwrap();
    let card = dir.path().join("alice.vcf");
    std::fs::write(&card, "BEGIN:VCARD\nVERSION:3.0\nFN:Alice Lee\nEMAIL:alice@example.org\nURL:https://twitter.com/Alice_Lib\nEND:VCARD\n").unwrap();
    import_file(&mut store, &card).unwrap();

    let account = r#"[{"account": {"username": "me", "accountId": "1"}}]"#;
    let tweets = r#"[{"tweet": {"id_str": "10", "created_at": "Sat Aug 12 16:10:37 +0000 2023", "full_text": "@alice_lib hello", "entities": {"user_mentions": [{"screen_name": "alice_lib", "name": "Alice L.", "id_str": "2001"}]}}}]"#;
    let zip = dir.path().join("twitter.zip");
    write_zip(
        &zip,
        &[
            ("data/account.js", &ytd("account", account)),
            ("data/tweets.js", &ytd("tweets", tweets)),
        ],
    );
    let outcome = import_file(&mut store, &zip).unwrap();
    assert_eq!(outcome.merged, 1, "{outcome:?}");
    assert_eq!(outcome.report.contacts_added, 0);
    assert_eq!(store.stats().unwrap().contacts, 1);
    let alice = store.contact("twitter:2001").unwrap(); // the Twitter key is an alias now
    assert_eq!(alice.id, "vcard:email:alice@example.org");
    assert_eq!(store.timeline(&alice.id, None).unwrap().len(), 1);
    // Importing again goes straight through the alias.
    let again = import_file(&mut store, &zip).unwrap();
    assert_eq!(
        again.report.contacts_added + again.report.interactions_added,
        0
    );
    assert_eq!(store.stats().unwrap().contacts, 1);

    // Same email in a LinkedIn export: merged too.
    let csv = dir.path().join("Connections.csv");
    std::fs::write(&csv, "First Name,Last Name,URL,Email Address,Company,Position,Connected On\nAlice,Lee,https://www.linkedin.com/in/alicelee,ALICE@example.org,City Library,Librarian,1 Feb 2022\n").unwrap();
    assert_eq!(import_file(&mut store, &csv).unwrap().merged, 1);
    assert_eq!(store.stats().unwrap().contacts, 1);
    assert_eq!(
        store
            .contact("vcard:email:alice@example.org")
            .unwrap()
            .organisation,
        "City Library"
    );
}

#[test]
fn similar_names_with_different_identifiers_are_only_proposed() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in_memory().unwrap();
    let card = dir.path().join("people.vcf");
    std::fs::write(&card, "BEGIN:VCARD\nVERSION:3.0\nFN:Jane Smith\nEMAIL:jane@one.example\nEND:VCARD\nBEGIN:VCARD\nVERSION:3.0\nFN:J. Smith\nEMAIL:js@two.example\nEND:VCARD\nBEGIN:VCARD\nVERSION:3.0\nFN:Tom Smith\nEMAIL:tom@two.example\nEND:VCARD\n").unwrap();
    import_file(&mut store, &card).unwrap();
    assert_eq!(store.stats().unwrap().contacts, 3);
    let pairs = store.find_duplicates().unwrap();
    assert_eq!(pairs.len(), 1, "{pairs:?}");
    assert!(!pairs[0].certain);
    assert_eq!(pairs[0].reason, "similar name");
    let mut names = [pairs[0].a.name.clone(), pairs[0].b.name.clone()];
    names.sort();
    assert_eq!(names, ["J. Smith".to_string(), "Jane Smith".to_string()]);
}
