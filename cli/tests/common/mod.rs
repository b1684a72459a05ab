//! Running the real `kith` binary against a store file, shared by the CLI tests.
#![allow(dead_code)] // each test file uses its own subset

use std::path::Path;
use std::process::{Command, Output};

/// Runs `kith --db DB ARGS…`, ignoring any KITH_DB in the environment.
pub fn kith(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kith"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("KITH_DB")
        .output()
        .expect("run kith")
}

/// Runs kith, which must succeed; returns its standard output.
pub fn ok(db: &Path, args: &[&str]) -> String {
    let out = kith(db, args);
    assert!(
        out.status.success(),
        "kith {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// Runs kith, which must fail; returns its standard error.
pub fn fails(db: &Path, args: &[&str]) -> String {
    let out = kith(db, args);
    assert!(!out.status.success(), "kith {args:?} should have failed");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Runs kith, which must succeed and print JSON.
pub fn json(db: &Path, args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&ok(db, args)).expect("valid JSON")
}
