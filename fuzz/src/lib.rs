//! What every fuzz target does: write the input where the importer expects a file, preview the
//! import against a small store, and check what must hold whatever the input:
//! - no panic, no hang, memory within the limits below (libFuzzer watches these);
//! - an error is one a user can act on (it names the file), never a database error;
//! - a preview leaves the store exactly as it was.
//!
//! Zip formats are fuzzed two ways: input that starts like a zip is used as the zip itself (to
//! reach the zip reader), anything else is split into the archive's files (to reach the parsers
//! behind it, which random zip bytes would rarely get to).

pub mod amplify;

use chrono::{DateTime, TimeZone, Utc};
use kith_core::import::{self, Format, ImportOptions, Limits};
use kith_core::{Code, Stats, Store};
use std::cell::RefCell;
use std::io::Write;
use std::path::PathBuf;

/// Splits the files of a zip target's input, in the order the target names them.
pub const SEPARATOR: &[u8] = b"\n--8<--\n";

/// The user's own address, so mail is read the way a real mailbox is.
const ME: &str = "me@example.net";

/// People already in the store, so mail and matching have someone to find.
const KNOWN: &str = "BEGIN:VCARD\nVERSION:3.0\nFN:Ann Lee\nEMAIL:ann@example.org\n\
X-SOCIALPROFILE;TYPE=twitter:https://twitter.com/alice_lib\nEND:VCARD\n\
BEGIN:VCARD\nVERSION:4.0\nFN:Jonas Sterr\nEMAIL:jsterr@proxforge.de\nEND:VCARD\n\
BEGIN:VCARD\nVERSION:4.0\nFN:Chen Wu\nEMAIL:chen@code4lib.social\nEND:VCARD\n";

struct State {
    dir: PathBuf,
    store: Store,
    stats: Stats,
}

thread_local! {
    static STATE: RefCell<Option<State>> = const { RefCell::new(None) };
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 15, 9, 0, 0).unwrap()
}

/// Limits far below the defaults, so that a file claiming to expand to gigabytes is refused by
/// the limit checks (which this exercises) instead of by the fuzzer's memory limit.
fn limits() -> Limits {
    Limits {
        max_file_bytes: 4 << 20,
        max_zip_bytes: 4 << 20,
        max_entry_bytes: 8 << 20,
        max_total_bytes: 16 << 20,
        max_entries: 1_000,
        max_records: 20_000,
    }
}

fn setup() -> State {
    let dir = std::env::temp_dir().join(format!("kith-fuzz-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp folder");
    let mut store = Store::open_in_memory().expect("in-memory store");
    let known = dir.join("known.vcf");
    std::fs::write(&known, KNOWN).expect("write known contacts");
    import::import(
        &mut store,
        &known,
        &ImportOptions::default(),
        now(),
        &mut |_| true,
    )
    .expect("import the known contacts");
    let stats = store.stats().expect("stats");
    State { dir, store, stats }
}

/// Previews importing `bytes` as a file called `name`, as `format` (detected when `None`).
pub fn check(format: Option<Format>, name: &str, bytes: &[u8]) {
    STATE.with(|cell| {
        let mut slot = cell.borrow_mut();
        let state = slot.get_or_insert_with(setup);
        let path = state.dir.join(name);
        std::fs::write(&path, bytes).expect("write the input");
        let options = ImportOptions {
            format,
            my_emails: vec![ME.to_string()],
            limits: limits(),
        };
        let result = import::preview(&mut state.store, &path, &options, now(), &mut |_| true);
        if let Err(e) = result {
            let message = e.to_string();
            assert!(
                !matches!(
                    e.code(),
                    Code::Database | Code::StoreBusy | Code::StoreCorrupt
                ),
                "an import file caused a store error: {message}"
            );
            assert!(
                message.contains(name),
                "the error does not name the file: {message}"
            );
        }
        assert_eq!(
            state.store.stats().expect("stats"),
            state.stats,
            "a preview changed the store"
        );
    });
}

/// The zip whose entries are `names`, filled in order from `bytes` split at [`SEPARATOR`]
/// (missing ones are left out), or `bytes` itself when it already looks like a zip.
pub fn zip_of(names: &[&str], bytes: &[u8]) -> Vec<u8> {
    if bytes.starts_with(b"PK") {
        return bytes.to_vec();
    }
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, part) in names.iter().zip(split(bytes)) {
        writer.start_file(*name, options).expect("zip entry");
        writer.write_all(part).expect("zip write");
    }
    writer.finish().expect("zip finish").into_inner()
}

fn split(bytes: &[u8]) -> Vec<&[u8]> {
    let mut parts = Vec::new();
    let mut rest = bytes;
    while let Some(at) = rest.windows(SEPARATOR.len()).position(|w| w == SEPARATOR) {
        parts.push(&rest[..at]);
        rest = &rest[at + SEPARATOR.len()..];
    }
    parts.push(rest);
    parts
}

/// The entries of a Twitter/X archive, in the order a twitter input fills them.
pub const TWITTER_FILES: &[&str] = &[
    "data/manifest.js",
    "data/account.js",
    "data/tweets.js",
    "data/direct-messages.js",
    "data/direct-messages-group.js",
    "data/following.js",
    "data/follower.js",
    "data/lists-created.js",
    "data/tweets-part1.js",
];

/// The entries of a Mastodon archive, in the order a mastodon input fills them.
pub const MASTODON_FILES: &[&str] = &[
    "actor.json",
    "outbox.json",
    "likes.json",
    "bookmarks.json",
    "follows.csv",
    "lists.csv",
];

/// File names for the detection target: the first input byte picks one, since detection falls
/// back on the extension when the content does not decide.
pub const DETECT_NAMES: &[&str] = &[
    "input",
    "input.json",
    "input.vcf",
    "input.car",
    "input.eml",
    "input.mbox",
    "input.csv",
    "input.zip",
];
