//! `kith import --format` takes every format the core imports (the CLI has no list of its
//! own), and a JSON file that is not a Kith archive fails instead of importing nothing.

mod common;

use common::{fails, kith, ok};

#[test]
fn every_core_format_is_accepted_by_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kith.db");
    ok(&db, &["demo"]);
    let csv = dir.path().join("contacts.csv");
    let notes = dir.path().join("notes");
    ok(
        &db,
        &["export", "--format", "csv", "--out", csv.to_str().unwrap()],
    );
    ok(
        &db,
        &[
            "export",
            "--format",
            "markdown",
            "--out",
            notes.to_str().unwrap(),
        ],
    );
    let fresh = dir.path().join("fresh.db");
    ok(
        &fresh,
        &["import", "--format", "csv", csv.to_str().unwrap()],
    );
    ok(
        &fresh,
        &["import", "--format", "markdown", notes.to_str().unwrap()],
    );
    let help = ok(&fresh, &["import", "--help"]);
    for name in kith_core::import::Format::ALL.map(|f| f.as_str()) {
        assert!(help.contains(name), "{name} missing from: {help}");
    }
    let err = fails(
        &fresh,
        &["import", "--format", "myspace", csv.to_str().unwrap()],
    );
    assert!(err.contains("expected one of"), "{err}");
}

#[test]
fn a_json_file_that_is_not_an_archive_fails() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kith.db");
    let file = dir.path().join("package.json");
    std::fs::write(&file, r#"{"name": "x", "version": "1.0.0"}"#).unwrap();
    let out = kith(&db, &["import", file.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not a Kith archive"), "{err}");
}
