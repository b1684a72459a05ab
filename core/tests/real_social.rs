//! Real files written by other programs (Mastodon's own test files, Bluesky's test
//! repositories; see tests/fixtures/real/*/SOURCES.md), imported with the counts worked out
//! without Kith (tests/python/real_social_counts.py, expected.json), and damaged variants of
//! them, which are refused with the store unchanged.

#[path = "import_support.rs"]
mod support;

use kith_core::import::{self, Format, ImportOptions, Limits};
use kith_core::Store;
use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use support::*;

fn real(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/real")
        .join(rel)
}

fn expected(format: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(real(&format!("{format}/expected.json"))).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    v[format].as_array().unwrap().clone()
}

fn tagged(store: &Store, tag: &str) -> usize {
    store
        .all_contacts()
        .unwrap()
        .iter()
        .filter(|c| c.tags.iter().any(|t| t == tag))
        .count()
}

fn n(v: &Value, key: &str) -> u32 {
    v[key].as_u64().unwrap() as u32
}

#[test]
fn every_real_mastodon_csv_imports_as_expected() {
    let cases = expected("mastodon");
    assert_eq!(cases.len(), 10);
    for case in cases {
        let file = case["file"].as_str().unwrap();
        let path = real(&format!("mastodon/{file}"));
        assert_eq!(
            import::detect(&path, &Limits::default()).unwrap(),
            Format::Mastodon,
            "{file}"
        );
        let mut store = Store::open_in_memory().unwrap();
        let outcome = import_file(&mut store, &path).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(
            outcome.report.contacts_added,
            n(&case, "contacts"),
            "{file}: {outcome:?}"
        );
        assert_eq!(
            outcome.report.interactions_added,
            n(&case, "interactions"),
            "{file}"
        );
        assert_eq!(outcome.skipped, n(&case, "skipped"), "{file}: {outcome:?}");
        assert_eq!(
            tagged(&store, "mastodon-following") as u32,
            n(&case, "following"),
            "{file}"
        );
        // Nothing imported must never look like a plain success: the outcome says why.
        if outcome.report.contacts_added == 0 {
            assert!(
                outcome.notes.iter().any(|n| n.contains("left out")),
                "{file}: {outcome:?}"
            );
        }
    }
}

#[test]
fn mastodon_csv_accounts_keep_their_written_form() {
    let mut store = Store::open_in_memory().unwrap();
    import_file(&mut store, &real("mastodon/utf8-followers.txt")).unwrap();
    let names: Vec<String> = store
        .all_contacts()
        .unwrap()
        .into_iter()
        .map(|c| c.name)
        .collect();
    assert_eq!(names, ["@nare@թութ.հայ"]);
}

const ACTOR: &str = r#"{"@context": ["https://www.w3.org/ns/activitystreams"], "id": "https://example.com/users/me", "type": "Person", "preferredUsername": "me", "name": "Mere Librarian", "outbox": "outbox.json"}"#;

/// Mastodon 4.3's `outbox.json`: the key `orderedItems` twice, an empty list first
/// (mastodon/mastodon#31091). The mention is written as the server wrote it.
fn outbox_43() -> String {
    r##"{"@context": "https://www.w3.org/ns/activitystreams", "id": "outbox.json", "type": "OrderedCollection", "totalItems": 1, "orderedItems": [], "orderedItems": [
  {"id": "https://example.com/users/me/statuses/1/activity", "type": "Create", "actor": "https://example.com/users/me", "published": "2024-10-01T10:00:00Z",
   "to": ["https://www.w3.org/ns/activitystreams#Public"], "cc": ["https://example.com/users/me/followers"],
   "object": {"id": "https://example.com/users/me/statuses/1", "type": "Note", "published": "2024-10-01T10:00:00Z", "inReplyTo": null,
     "to": ["https://www.w3.org/ns/activitystreams#Public"], "cc": ["https://test.com/users/user"],
     "content": "<p><span class=\"h-card\"><a href=\"https://test.com/@User\" class=\"u-url mention\">@<span>User</span></a></span> thanks!</p>",
     "tag": [{"type": "Mention", "href": "https://test.com/users/user", "name": "@User@test.com"}]}}
]}"##
        .to_string()
}

fn tar_gz(path: &Path, entries: &[(&str, Vec<u8>)]) {
    let file = std::fs::File::create(path).unwrap();
    let gz = flate2::write::GzEncoder::new(file, flate2::Compression::default());
    let mut tar = tar::Builder::new(gz);
    for (name, bytes) in entries {
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        tar.append_data(&mut header, name, bytes.as_slice())
            .unwrap();
    }
    tar.into_inner().unwrap().finish().unwrap().flush().unwrap();
}

/// An archive in the layout of older Mastodon versions, around the real CSV downloads.
fn archive_entries() -> Vec<(&'static str, Vec<u8>)> {
    let read = |f: &str| std::fs::read(real(&format!("mastodon/{f}"))).unwrap();
    vec![
        ("actor.json", ACTOR.as_bytes().to_vec()),
        ("outbox.json", outbox_43().into_bytes()),
        ("following_accounts.csv", read("following_accounts.csv")),
        ("lists.csv", read("lists.csv")),
        ("muted_accounts.csv", read("muted_accounts.csv")),
        ("blocked_accounts.csv", read("imports.txt")),
        ("bookmarks.csv", read("bookmark-imports.txt")),
        ("media_attachments/files/1/original/a.png", vec![0x89; 4000]),
    ]
}

fn check_archive_import(store: &mut Store, path: &Path) {
    assert_eq!(
        import::detect(path, &Limits::default()).unwrap(),
        Format::Mastodon
    );
    let outcome = import_file(store, path).unwrap();
    // user@example.com and user@test.com (followed), gargron@ and mastodon@example.com and
    // foo@example.com (lists); the mention is user@test.com again.
    assert_eq!(outcome.report.contacts_added, 5, "{outcome:?}");
    assert_eq!(outcome.report.interactions_added, 1, "{outcome:?}");
    assert_eq!(tagged(store, "mastodon-following"), 2);
    // The blocked accounts (the same two addresses, header-less) were not taken for follows,
    // and muted accounts and bookmarks were left out, saying so.
    let notes = outcome.notes.join("\n");
    assert!(notes.contains("2 blocked accounts left out"), "{notes}");
    assert!(notes.contains("2 muted accounts left out"), "{notes}");
    assert!(notes.contains("4 bookmarked posts left out"), "{notes}");
    assert!(notes.contains("Mere Librarian"), "{notes}");
    let user = store.contact("mastodon:user@test.com").unwrap();
    assert_eq!(user.name, "@User@test.com");
}

#[test]
fn a_mastodon_4_3_outbox_with_ordered_items_twice_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("archive-20241001.zip");
    let entries = archive_entries();
    let refs: Vec<(&str, &[u8])> = entries.iter().map(|(n, b)| (*n, b.as_slice())).collect();
    write_zip(&path, &refs);
    let mut store = Store::open_in_memory().unwrap();
    check_archive_import(&mut store, &path);
}

#[test]
fn an_older_tar_gz_archive_and_an_unpacked_folder_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("archive-20220101.tar.gz");
    tar_gz(&path, &archive_entries());
    let mut store = Store::open_in_memory().unwrap();
    check_archive_import(&mut store, &path);

    let unpacked = dir.path().join("archive");
    for (name, bytes) in archive_entries() {
        let file = unpacked.join(name);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, bytes).unwrap();
    }
    let mut store = Store::open_in_memory().unwrap();
    check_archive_import(&mut store, &unpacked);

    // The outbox.json of the folder on its own names its owner in each activity.
    let mut store = Store::open_in_memory().unwrap();
    let outbox = unpacked.join("outbox.json");
    assert_eq!(
        import::detect(&outbox, &Limits::default()).unwrap(),
        Format::Mastodon
    );
    let outcome = import_file(&mut store, &outbox).unwrap();
    assert_eq!(outcome.report.interactions_added, 1, "{outcome:?}");
    assert_eq!(outcome.report.contacts_added, 1, "{outcome:?}");
}

#[test]
fn a_cut_short_or_hostile_tar_gz_is_refused_with_the_store_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("archive-20220101.tar.gz");
    tar_gz(&good, &archive_entries());
    let mut store = Store::open_in_memory().unwrap();
    import_file(&mut store, &real("mastodon/following_accounts.csv")).unwrap();
    let options = ImportOptions {
        format: Some(Format::Mastodon),
        ..ImportOptions::default()
    };
    let bytes = std::fs::read(&good).unwrap();
    for cut in [bytes.len() - 9, bytes.len() / 2, 40] {
        let path = dir.path().join("cut.tar.gz");
        std::fs::write(&path, &bytes[..cut]).unwrap();
        let msg = assert_refused(&mut store, &path, &options, "tar.gz");
        assert!(msg.contains("cut short"), "{msg}");
    }
    // An entry that would be unpacked outside the folder.
    let path = dir.path().join("escape.tar.gz");
    let mut evil = archive_entries();
    evil.push(("x/../../escape.json", b"{}".to_vec()));
    {
        // tar::Builder refuses `..` itself: write the name into the header by hand.
        let file = std::fs::File::create(&path).unwrap();
        let gz = flate2::write::GzEncoder::new(file, flate2::Compression::default());
        let mut tar = tar::Builder::new(gz);
        for (name, data) in &evil {
            let mut header = tar::Header::new_old();
            header.as_old_mut().name[..name.len()].copy_from_slice(name.as_bytes());
            header.set_size(data.len() as u64);
            header.set_mode(0o644);
            header.set_entry_type(tar::EntryType::Regular);
            header.set_cksum();
            tar.append(&header, data.as_slice()).unwrap();
        }
        tar.into_inner().unwrap().finish().unwrap();
    }
    assert_refused(&mut store, &path, &options, "escape.json");
    // An entry past the per-entry limit.
    let small = ImportOptions {
        format: Some(Format::Mastodon),
        limits: Limits {
            max_entry_bytes: 100,
            ..Limits::default()
        },
        ..ImportOptions::default()
    };
    assert_refused(&mut store, &good, &small, "actor.json");
}

#[test]
fn damaged_outboxes_are_refused_with_the_store_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in_memory().unwrap();
    import_file(&mut store, &real("mastodon/lists.csv")).unwrap();
    let options = ImportOptions::default();
    // Cut in the middle of a post.
    let full = outbox_43();
    let path = dir.path().join("archive-cut.zip");
    write_zip(
        &path,
        &[
            ("actor.json", ACTOR.as_bytes()),
            ("outbox.json", &full.as_bytes()[..full.len() / 2]),
        ],
    );
    assert_refused(&mut store, &path, &options, "outbox.json");
    // The key twice where no writer puts it twice: two different lists of posts.
    let path = dir.path().join("archive-two-lists.zip");
    let twice = full.replacen(
        r#""orderedItems": [],"#,
        r#""orderedItems": [{"id": "https://example.com/users/me/statuses/9/activity", "type": "Announce", "object": "https://x.example/1"}],"#,
        1,
    );
    assert_ne!(twice, full);
    write_zip(
        &path,
        &[
            ("actor.json", ACTOR.as_bytes()),
            ("outbox.json", twice.as_bytes()),
        ],
    );
    let msg = assert_refused(&mut store, &path, &options, "outbox.json");
    assert!(msg.contains("appears twice"), "{msg}");
}

#[test]
fn a_json_file_that_is_not_a_kith_archive_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in_memory().unwrap();
    for (name, text) in [
        (
            "package.json",
            r#"{"name": "mastodon", "version": "4.3.0", "private": true, "scripts": {}}"#,
        ),
        ("empty.json", "{}"),
        ("list.json", "[1, 2, 3]"),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        let msg = assert_refused(&mut store, &path, &ImportOptions::default(), "top level");
        assert!(msg.contains("not a Kith archive"), "{msg}");
        // Forcing the format does not make it one either.
        let forced = ImportOptions {
            format: Some(Format::Json),
            ..ImportOptions::default()
        };
        assert_refused(&mut store, &path, &forced, "top level");
    }
    // Kith's own archive still imports.
    let path = dir.path().join("kith.json");
    std::fs::write(
        &path,
        r#"{"format": "kith-archive", "version": 1, "contacts": [{"id": "c1", "name": "Ana"}]}"#,
    )
    .unwrap();
    assert_eq!(
        import_file(&mut store, &path)
            .unwrap()
            .report
            .contacts_added,
        1
    );
}

#[test]
fn a_damaged_bluesky_block_is_named_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(real("bluesky/greenground.repo.car")).unwrap();
    let mut store = Store::open_in_memory().unwrap();
    let cases = expected("bluesky");
    let green = &cases[0];
    let outcome = import_file(&mut store, &real("bluesky/greenground.repo.car")).unwrap();
    assert_eq!(outcome.report.contacts_added, n(green, "contacts"));
    assert_eq!(
        tagged(&store, "bluesky-following") as u32,
        n(green, "following")
    );
    let partial = import_file(&mut store, &real("bluesky/repo_slice.car")).unwrap();
    assert!(!partial.notes.is_empty(), "{partial:?}");

    // A block whose CBOR has a reserved byte in place of a value.
    let mut block = vec![0x01, 0x71, 0x12, 0x20];
    block.extend([0u8; 32]);
    block.extend([0xa1, 0x61, b'a', 0xfc]);
    let mut damaged = bytes.clone();
    damaged.push(block.len() as u8);
    damaged.extend(&block);
    let path = dir.path().join("damaged.car");
    std::fs::write(&path, &damaged).unwrap();
    let msg = assert_refused(&mut store, &path, &ImportOptions::default(), "byte");
    assert!(msg.contains("block"), "{msg}");
    assert!(!msg.contains("Syntax("), "{msg}");
}

/// The real archives of tests/fixtures/real/mastodon (a Mastodon 4.1 zip as its server wrote
/// it, and the JSON files of a 4.0 `.tar.gz` unpacked into a folder), with their counts
/// from tests/python/real_social_counts.py.
fn archive_cases() -> Vec<Value> {
    let text = std::fs::read_to_string(real("mastodon/expected.json")).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    v["archives"].as_array().unwrap().clone()
}

fn check_real_archive(case: &Value, path: &Path) {
    let file = case["file"].as_str().unwrap();
    assert_eq!(
        import::detect(path, &Limits::default()).unwrap(),
        Format::Mastodon,
        "{file}"
    );
    let mut store = Store::open_in_memory().unwrap();
    let outcome = import_file(&mut store, path).unwrap_or_else(|e| panic!("{file}: {e}"));
    assert_eq!(
        outcome.report.contacts_added,
        n(case, "contacts"),
        "{file}: {outcome:?}"
    );
    assert_eq!(
        outcome.report.interactions_added,
        n(case, "interactions"),
        "{file}: {outcome:?}"
    );
    assert_eq!(outcome.skipped, n(case, "skipped"), "{file}: {outcome:?}");
    let public = store
        .all_interactions()
        .unwrap()
        .iter()
        .filter(|i| i.public)
        .count();
    assert_eq!(public as u32, n(case, "public"), "{file}");
    let notes = outcome.notes.join("\n");
    let owner = case["owner"].as_str().unwrap();
    if path.file_name().unwrap() != "outbox.json" {
        assert!(notes.contains(owner), "{file}: {notes}");
        assert!(
            notes.contains(case["owner_name"].as_str().unwrap()),
            "{file}: {notes}"
        );
    }
    // The owner's own account, mentioned in replies to them, is never a contact.
    let me = owner.trim_start_matches('@').to_lowercase();
    assert!(store.contact(&format!("mastodon:{me}")).is_err(), "{file}");
    let again = import_file(&mut store, path).unwrap();
    assert_eq!(again.report.contacts_added, 0, "{file}");
    assert_eq!(again.report.interactions_added, 0, "{file}");
}

#[test]
fn real_mastodon_archives_import_as_python_reads_them() {
    let cases = archive_cases();
    assert_eq!(cases.len(), 2);
    for case in &cases {
        let file = case["file"].as_str().unwrap();
        check_real_archive(case, &real(&format!("mastodon/{file}")));
    }
    // The unpacked archive's outbox.json on its own names its owner in each activity.
    let folder = &cases[0];
    assert_eq!(folder["file"], "fossilizer-2022-archive");
    check_real_archive(
        folder,
        &real("mastodon/fossilizer-2022-archive/outbox.json"),
    );
}

#[test]
fn a_real_archive_packed_as_older_versions_did_imports_the_same() {
    // Mastodon up to 4.0 sent a .tar.gz: the same real files, packed that way.
    let dir = tempfile::tempdir().unwrap();
    let folder = real("mastodon/fossilizer-2022-archive");
    let entries: Vec<(&str, Vec<u8>)> =
        ["outbox.json", "likes.json", "bookmarks.json", "actor.json"]
            .into_iter()
            .map(|f| (f, std::fs::read(folder.join(f)).unwrap()))
            .collect();
    let path = dir
        .path()
        .join("archive-20221218195645-0123456789abcdef.tar.gz");
    tar_gz(&path, &entries);
    check_real_archive(&archive_cases()[0], &path);
}

/// The entries of the real 4.1 zip, in their order, with `outbox.json` passed through `edit`.
fn real_zip_with(edit: impl Fn(&str) -> String) -> Vec<(String, Vec<u8>)> {
    use std::io::Read;
    let file = std::fs::File::open(real("mastodon/fossilizer-2023-archive.zip")).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut entry = zip.by_index(i).unwrap();
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).unwrap();
            let name = entry.name().to_string();
            if name == "outbox.json" {
                bytes = edit(std::str::from_utf8(&bytes).unwrap()).into_bytes();
            }
            (name, bytes)
        })
        .collect()
}

fn zip_entries(path: &Path, entries: &[(String, Vec<u8>)]) {
    let refs: Vec<(&str, &[u8])> = entries
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    write_zip(path, &refs);
}

#[test]
fn a_real_outbox_in_the_4_3_layout_imports_the_same() {
    // Mastodon 4.3 writes `"orderedItems":[]` before the real list (mastodon/mastodon#31091).
    let dir = tempfile::tempdir().unwrap();
    let entries = real_zip_with(|text| {
        let out = text.replacen(
            r#""orderedItems":["#,
            r#""orderedItems":[],"orderedItems":["#,
            1,
        );
        assert_ne!(out, text);
        out
    });
    let path = dir.path().join("archive-20241001.zip");
    zip_entries(&path, &entries);
    check_real_archive(&archive_cases()[1], &path);
}

#[test]
fn damaged_real_archives_are_refused_with_the_store_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in_memory().unwrap();
    import_file(&mut store, &real("mastodon/following_accounts.csv")).unwrap();
    let options = ImportOptions::default();

    // Cut in the middle of a post, as a download that stopped would leave it.
    let entries = real_zip_with(|text| {
        let at = text.find("statuses/110675384625396296").unwrap();
        text[..at].to_string()
    });
    let path = dir.path().join("archive-cut-in-a-post.zip");
    zip_entries(&path, &entries);
    let msg = assert_refused(&mut store, &path, &options, "outbox.json");
    assert!(msg.contains("line 1"), "{msg}");

    // The zip itself cut short: its central directory is gone.
    let bytes = std::fs::read(real("mastodon/fossilizer-2023-archive.zip")).unwrap();
    let path = dir.path().join("archive-cut.zip");
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    let forced = ImportOptions {
        format: Some(Format::Mastodon),
        ..ImportOptions::default()
    };
    assert_refused(&mut store, &path, &forced, "archive-cut.zip");

    // The key orderedItems twice, each with posts, but different ones: no writer does this.
    let entries = real_zip_with(|text| {
        let first = text.find(r#""orderedItems":["#).unwrap();
        let one_post = r#""orderedItems":[{"id":"https://toot.lmorchard.com/users/lmorchard/statuses/1/activity","type":"Announce","object":"https://example.com/1"}],"#;
        format!("{}{one_post}{}", &text[..first], &text[first..])
    });
    let path = dir.path().join("archive-two-lists.zip");
    zip_entries(&path, &entries);
    let msg = assert_refused(&mut store, &path, &options, "outbox.json");
    assert!(msg.contains("appears twice"), "{msg}");

    // The unpacked outbox.json, cut inside a post: named with the line and column.
    let text =
        std::fs::read_to_string(real("mastodon/fossilizer-2022-archive/outbox.json")).unwrap();
    let unpacked = dir.path().join("outbox.json");
    std::fs::write(&unpacked, &text[..text.len() / 2]).unwrap();
    assert_refused(&mut store, &unpacked, &options, "outbox.json");
}
