//! A field of more than 1 MB of text is refused by every importer that carries free text,
//! naming the file, the record and the field, with the store left as it was; a field of
//! exactly 1 MB imports. Before the limit, a 2 MB note was simply stored, and a 1 GB one
//! failed with "database error: string or blob too big", naming nothing.

#[path = "import_support.rs"]
mod support;

use kith_core::export::{self, ExportFormat, ExportInput, ExportOptions};
use kith_core::import::{self, Format, ImportOptions};
use kith_core::store::Records;
use kith_core::{
    Channel, Contact, ContactDraft, Direction, Handle, InteractionDraft, Platform, Store,
};
use std::path::{Path, PathBuf};
use support::*;

/// 1 MB: the most text one field may hold.
const LIMIT: usize = 1 << 20;

/// Text of exactly `n` bytes.
fn text(n: usize) -> String {
    "a".repeat(n)
}

fn ana(notes: &str) -> Contact {
    Contact {
        id: "ana".into(),
        name: "Ana Lima".into(),
        handles: vec![Handle {
            platform: Platform::Email,
            value: "ana@library.example".into(),
        }],
        organisation: String::new(),
        location: String::new(),
        met_where: String::new(),
        met_on: None,
        met_through: String::new(),
        notes: notes.into(),
        private_notes: String::new(),
        tags: Vec::new(),
        expertise: Vec::new(),
        roles: Vec::new(),
        cadence_days: None,
        dates: Vec::new(),
        created_at: now(),
        updated_at: now(),
    }
}

/// A store that already holds someone, so that "unchanged" means something.
fn store_with_someone() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    store
        .import_records(
            Records {
                contacts: vec![ana("Runs the serials desk")],
                ..Records::default()
            },
            "setup",
            now(),
        )
        .unwrap();
    store
}

/// Imports the file `make(n)` makes for a field of `LIMIT + 1` bytes, expecting a refusal
/// naming the file, `place` and the limit, and the store unchanged; then the file for a field
/// of exactly `LIMIT` bytes, expecting it to import.
fn refused_over_and_imported_at(
    mut store: Store,
    options: &ImportOptions,
    place: &str,
    make: impl Fn(usize) -> PathBuf,
) -> Store {
    let over = make(LIMIT + 1);
    let message = assert_refused(&mut store, &over, options, place);
    assert!(
        message.contains("1,048,577 bytes") && message.contains("at most 1,048,576 bytes"),
        "{message}"
    );
    let at = make(LIMIT);
    import_with(&mut store, &at, options).expect("a field of exactly 1 MB imports");
    store
}

fn longest_text(store: &Store) -> usize {
    let contacts = store.all_contacts().unwrap();
    let interactions = store.all_interactions().unwrap();
    contacts
        .iter()
        .map(|c| c.notes.len())
        .chain(interactions.iter().map(|i| i.text.len()))
        .max()
        .unwrap_or(0)
}

#[test]
fn an_archive_note_over_the_limit_is_refused_naming_the_record_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let store = refused_over_and_imported_at(
        store_with_someone(),
        &ImportOptions::default(),
        "contacts[1].notes",
        |n| {
            let path = dir.path().join(format!("backup-{n}.json"));
            std::fs::write(
                &path,
                format!(
                    r#"{{"format": "kith-archive", "version": 1, "contacts": [
                        {{"id": "ben", "name": "Ben Okafor"}},
                        {{"id": "cy", "name": "Cy Tam", "notes": "{}"}}]}}"#,
                    text(n)
                ),
            )
            .unwrap();
            path
        },
    );
    assert_eq!(store.contact("cy").unwrap().notes.len(), LIMIT);
}

#[test]
fn an_archive_interaction_text_over_the_limit_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    refused_over_and_imported_at(
        store_with_someone(),
        &ImportOptions::default(),
        "interactions[0].text",
        |n| {
            let path = dir.path().join(format!("log-{n}.json"));
            std::fs::write(
                &path,
                format!(
                    r#"{{"interactions": [{{"id": "i1", "contact_ids": ["ana"], "channel": "email",
                        "direction": "inbound", "occurred_at": "2026-01-02", "text": "{}"}}]}}"#,
                    text(n)
                ),
            )
            .unwrap();
            path
        },
    );
}

#[test]
fn a_vcard_note_over_the_limit_is_refused_naming_the_contact() {
    let dir = tempfile::tempdir().unwrap();
    let store = refused_over_and_imported_at(
        store_with_someone(),
        &ImportOptions::default(),
        "(Cy Tam, id",
        |n| {
            let path = dir.path().join(format!("cards-{n}.vcf"));
            std::fs::write(
                &path,
                format!(
                    "BEGIN:VCARD\nVERSION:3.0\nFN:Ben Okafor\nEND:VCARD\n\
                     BEGIN:VCARD\nVERSION:3.0\nFN:Cy Tam\nNOTE:{}\nEND:VCARD\n",
                    text(n)
                ),
            )
            .unwrap();
            path
        },
    );
    assert_eq!(longest_text(&store), LIMIT);
}

/// One of Kith's own exports of a contact whose notes are `MARK`, with the mark replaced by
/// `n` bytes of text.
fn kith_export(format: ExportFormat, dir: &Path, n: usize) -> PathBuf {
    const MARK: &str = "NOTESGOHERE";
    let contacts = vec![Contact {
        id: "cy".into(),
        name: "Cy Tam".into(),
        ..ana(MARK)
    }];
    let out = export::render(
        format,
        &ExportInput {
            contacts: &contacts,
            interactions: &[],
            events: &[],
            todos: &[],
            now: now(),
        },
        &ExportOptions::default(),
    )
    .unwrap();
    let file = &out.files[0];
    let content = String::from_utf8(file.bytes.clone()).unwrap();
    assert!(content.contains(MARK), "{content}");
    let path = dir.join(format!("{n}-{}", file.path));
    std::fs::write(&path, content.replace(MARK, &text(n))).unwrap();
    path
}

#[test]
fn a_kith_csv_note_over_the_limit_is_refused_naming_the_contact_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let store = refused_over_and_imported_at(
        store_with_someone(),
        &ImportOptions::default(),
        "(Cy Tam, id \"cy\"), field notes",
        |n| kith_export(ExportFormat::Csv, dir.path(), n),
    );
    assert_eq!(store.contact("cy").unwrap().notes.len(), LIMIT);
}

#[test]
fn a_markdown_note_over_the_limit_is_refused_naming_the_contact_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let store = refused_over_and_imported_at(
        store_with_someone(),
        &ImportOptions {
            format: Some(Format::Markdown),
            ..ImportOptions::default()
        },
        "(Cy Tam, id \"cy\"), field notes",
        |n| kith_export(ExportFormat::Markdown, dir.path(), n),
    );
    assert_eq!(store.contact("cy").unwrap().notes.len(), LIMIT);
}

#[test]
fn a_mail_subject_over_the_limit_is_refused_naming_the_message_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let options = ImportOptions {
        format: Some(Format::Eml),
        my_emails: vec!["me@library.example".into()],
        ..ImportOptions::default()
    };
    let store = refused_over_and_imported_at(store_with_someone(), &options, "field text", |n| {
        let path = dir.path().join(format!("message-{n}.eml"));
        std::fs::write(
                &path,
                format!(
                    "From: Ana Lima <ana@library.example>\r\nTo: me@library.example\r\n\
                     Date: Fri, 02 Jan 2026 10:00:00 +0000\r\nMessage-ID: <m{n}@library.example>\r\n\
                     Subject: {}\r\n\r\n",
                    text(n)
                ),
            )
            .unwrap();
        path
    });
    assert_eq!(longest_text(&store), LIMIT);
}

#[test]
fn a_mastodon_post_over_the_limit_is_refused_naming_the_post_and_field() {
    const ACTOR: &str = r#"{"@context": ["https://www.w3.org/ns/activitystreams"], "id": "https://glammr.us/users/me", "type": "Person", "preferredUsername": "me", "name": "Me"}"#;
    let dir = tempfile::tempdir().unwrap();
    let store = refused_over_and_imported_at(
        Store::open_in_memory().unwrap(),
        &ImportOptions::default(),
        "field text",
        |n| {
            let outbox = format!(
                r#"{{"type": "OrderedCollection", "orderedItems": [
                  {{"id": "https://glammr.us/users/me/statuses/1/activity", "type": "Create", "actor": "https://glammr.us/users/me", "published": "2024-03-01T10:00:00Z",
                   "to": ["https://code4lib.social/users/chen"], "cc": [],
                   "object": {{"id": "https://glammr.us/users/me/statuses/1", "type": "Note", "published": "2024-03-01T10:00:00Z",
                     "to": ["https://code4lib.social/users/chen"], "cc": [], "content": "<p>{}</p>",
                     "tag": [{{"type": "Mention", "href": "https://code4lib.social/users/chen", "name": "@chen@code4lib.social"}}]}}}}]}}"#,
                text(n)
            );
            let path = dir.path().join(format!("archive-{n}.zip"));
            write_zip(
                &path,
                &[
                    ("actor.json", ACTOR.as_bytes()),
                    ("outbox.json", outbox.as_bytes()),
                ],
            );
            path
        },
    );
    assert_eq!(longest_text(&store), LIMIT);
}

#[test]
fn a_tweet_over_the_limit_is_refused_naming_the_tweet_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let store = refused_over_and_imported_at(
        Store::open_in_memory().unwrap(),
        &ImportOptions::default(),
        "field text",
        |n| {
            let tweet = format!(
                r#"[{{"tweet": {{"id_str": "10", "created_at": "Sat Aug 12 16:10:37 +0000 2023", "full_text": "@ann {}", "entities": {{"user_mentions": [{{"screen_name": "ann", "name": "Ann", "id_str": "2"}}]}}}}}}]"#,
                text(n - 5)
            );
            let path = dir.path().join(format!("twitter-{n}.zip"));
            write_zip(
                &path,
                &[
                    (
                        "data/account.js",
                        &ytd(
                            "account",
                            r#"[{"account": {"username": "me", "accountId": "1"}}]"#,
                        ),
                    ),
                    ("data/tweets.js", &ytd("tweets", &tweet)),
                ],
            );
            path
        },
    );
    assert_eq!(longest_text(&store), LIMIT);
}

#[test]
fn text_typed_into_kith_over_the_limit_is_refused_and_nothing_is_saved() {
    let mut store = store_with_someone();
    let before = snapshot(&store);
    let err = store
        .save_contact(
            ContactDraft {
                name: "Cy Tam".into(),
                notes: text(LIMIT + 1),
                ..ContactDraft::default()
            },
            now(),
        )
        .unwrap_err();
    assert_eq!(err.code(), "invalid_input", "{err}");
    assert!(
        err.to_string().starts_with("notes is 1,048,577 bytes"),
        "{err}"
    );
    let log = |text: String| InteractionDraft {
        id: None,
        contact_ids: vec!["ana".into()],
        channel: Channel::Email,
        direction: Direction::Outbound,
        occurred_at: now(),
        public: None,
        text,
        thread: None,
        tags: Vec::new(),
        moment: None,
    };
    let err = store.save_interaction(log(text(LIMIT + 1))).unwrap_err();
    assert_eq!(err.code(), "invalid_input", "{err}");
    assert!(
        err.to_string().starts_with("text is 1,048,577 bytes"),
        "{err}"
    );
    assert_eq!(snapshot(&store), before);

    let saved = store.save_interaction(log(text(LIMIT))).unwrap();
    assert_eq!(saved.text.len(), LIMIT);
}

#[test]
fn preview_refuses_as_import_does() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.json");
    std::fs::write(
        &path,
        format!(
            r#"{{"contacts": [{{"id": "cy", "name": "Cy Tam", "private_notes": "{}"}}]}}"#,
            text(LIMIT + 1)
        ),
    )
    .unwrap();
    let mut store = Store::open_in_memory().unwrap();
    let err = import::preview(
        &mut store,
        &path,
        &ImportOptions::default(),
        now(),
        &mut |_| true,
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("big.json: contacts[0].private_notes"),
        "{err}"
    );
}
