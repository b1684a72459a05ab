//! Helpers shared by the import tests (included with `#[path]`): building zips in the layout
//! the platforms use, importing with default options, and snapshotting the store.
#![allow(dead_code)]

use chrono::{DateTime, TimeZone, Utc};
use kith_core::archive::Archive;
use kith_core::import::{self, ImportOptions, ImportOutcome};
use kith_core::{Error, Store};
use std::io::Write;
use std::path::{Path, PathBuf};

pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 15, 9, 0, 0).unwrap()
}

/// Writes a zip of `(name, content)` entries.
pub fn write_zip(path: &Path, entries: &[(&str, &[u8])]) {
    let file = std::fs::File::create(path).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, content) in entries {
        zip.start_file(*name, options).unwrap();
        zip.write_all(content).unwrap();
    }
    zip.finish().unwrap();
}

/// A Twitter `data/*.js` file: `window.YTD.<name>.part0 = <json>`.
pub fn ytd(name: &str, json: &str) -> Vec<u8> {
    format!("window.YTD.{name}.part0 = {json}").into_bytes()
}

pub fn import_file(store: &mut Store, path: &Path) -> Result<ImportOutcome, Error> {
    import_with(store, path, &ImportOptions::default())
}

pub fn import_with(
    store: &mut Store,
    path: &Path,
    options: &ImportOptions,
) -> Result<ImportOutcome, Error> {
    import::import(store, path, options, now(), &mut |_| true)
}

/// The whole store as JSON, to show that a failed import changed nothing.
pub fn snapshot(store: &Store) -> String {
    Archive::from_store(store, now()).unwrap().to_json()
}

/// A real sample file from the fixtures folder.
pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/import")
        .join(rel)
}

/// Asserts that importing `path` fails with a bad-import error naming the file and `place`,
/// and leaves the store as it was.
pub fn assert_refused(
    store: &mut Store,
    path: &Path,
    options: &ImportOptions,
    place: &str,
) -> String {
    let before = snapshot(store);
    let err = import_with(store, path, options).expect_err("the import should fail");
    let message = err.to_string();
    assert_eq!(err.code(), "bad_import", "{message}");
    let name = path.file_name().unwrap().to_string_lossy();
    assert!(
        message.contains(name.as_ref()),
        "no file name in: {message}"
    );
    assert!(message.contains(place), "no {place:?} in: {message}");
    assert_eq!(snapshot(store), before, "a failed import changed the store");
    message
}
