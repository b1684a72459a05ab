//! Running the real `kith` binary against a store file, shared by the CLI tests.
#![allow(dead_code)] // each test file uses its own subset

use std::path::Path;
use std::process::{Command, Output};

/// Runs `kith --db DB ARGS…`, ignoring any KITH_DB or passphrase in the environment.
pub fn kith(db: &Path, args: &[&str]) -> Output {
    kith_with(db, &[], args)
}

/// Runs `kith --db DB ARGS…` with these environment variables (e.g. `KITH_PASSPHRASE`).
pub fn kith_with(db: &Path, env: &[(&str, &str)], args: &[&str]) -> Output {
    kith_command(db, env, args).output().expect("run kith")
}

/// The command `kith --db DB ARGS…` with these environment variables, not yet run (for a
/// test that feeds its input or signals it while it runs).
pub fn kith_command(db: &Path, env: &[(&str, &str)], args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kith"));
    cmd.arg("--db")
        .arg(db)
        .args(args)
        .env_remove("KITH_DB")
        .env_remove("KITH_PASSPHRASE")
        .env_remove("KITH_NEW_PASSPHRASE");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd
}

/// The system's secret store pointed nowhere, as on a headless machine without a D-Bus session.
pub const NO_DBUS: (&str, &str) = (
    "DBUS_SESSION_BUS_ADDRESS",
    "unix:path=/nonexistent/kith-test-bus",
);

/// Runs kith like [`kith_with`], with the system's secret store out of reach.
pub fn kith_headless(db: &Path, env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut all = vec![NO_DBUS];
    all.extend_from_slice(env);
    kith_with(db, &all, args)
}

/// Runs kith, which must succeed; returns its standard output.
pub fn ok(db: &Path, args: &[&str]) -> String {
    ok_with(db, &[], args)
}

/// Runs kith with these environment variables, which must succeed; returns its standard output.
pub fn ok_with(db: &Path, env: &[(&str, &str)], args: &[&str]) -> String {
    let out = kith_with(db, env, args);
    assert!(
        out.status.success(),
        "kith {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// Runs kith, which must fail; returns its standard error.
pub fn fails(db: &Path, args: &[&str]) -> String {
    fails_with(db, &[], args)
}

/// Runs kith with these environment variables, which must fail; returns its standard error.
pub fn fails_with(db: &Path, env: &[(&str, &str)], args: &[&str]) -> String {
    let out = kith_with(db, env, args);
    assert!(!out.status.success(), "kith {args:?} should have failed");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Runs kith, which must succeed and print JSON.
pub fn json(db: &Path, args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&ok(db, args)).expect("valid JSON")
}
