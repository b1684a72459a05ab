//! `kith accounts add bluesky` and `kith sync` end to end against a real, private AT Protocol
//! network the test starts (the reference PLC directory and PDS, and a second PDS): what a
//! person does — connect the account with an app password, sync, triage the New people
//! inbox, sync again — and a wrong app password refused before anything is kept.

mod common;

#[path = "../../core/tests/support/atproto.rs"]
mod atproto;

use common::kith_headless;
use serde_json::Value;
use std::path::Path;
use std::process::Output;

fn run(db: &Path, env: &[(&str, &str)], args: &[&str]) -> Output {
    kith_headless(db, env, args)
}

fn json(db: &Path, env: &[(&str, &str)], args: &[&str]) -> Value {
    let out = run(db, env, args);
    assert!(
        out.status.success(),
        "kith {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

fn only_account(report: &Value) -> &Value {
    let accounts = report["accounts"].as_array().expect("accounts");
    assert_eq!(accounts.len(), 1, "{report}");
    &accounts[0]
}

#[test]
fn a_bluesky_account_syncs_follows_as_contacts_and_strangers_into_the_inbox() {
    if !atproto::available() {
        return;
    }
    let mut net = atproto::Network::start();
    // Ann follows dan; bob she only asked.
    net.follow("ann", "dan");
    let root = net.mention(
        "ann",
        &["bob"],
        "Has anyone moved their catalogue to FOLIO?",
    );
    net.reply("bob", &root, "We did last year, happy to talk");
    net.mention("dan", &["ann"], "Ask this one about FOLIO:");
    let d = tempfile::Builder::new()
        .prefix("kith-bluesky-cli-")
        .tempdir()
        .unwrap();
    let db = d.path().join("kith.sqlite3");
    let app_password = net.account("ann").app_password.clone().unwrap();
    let password = [("KITH_ACCOUNT_PASSWORD", app_password.as_str())];
    let (pds, plc) = (net.pds.clone(), net.plc.clone());
    let add = |name: &str, env: &[(&str, &str)]| {
        run(
            &db,
            env,
            &[
                "accounts",
                "add",
                "bluesky",
                name,
                "--handle",
                "@ann.test",
                "--service",
                &pds,
                "--plc",
                &plc,
            ],
        )
    };

    // A wrong app password is refused before anything is kept.
    let wrong = add(
        "Bluesky",
        &[("KITH_ACCOUNT_PASSWORD", "zzzz-zzzz-zzzz-zzzz")],
    );
    assert!(!wrong.status.success());
    let said = String::from_utf8_lossy(&wrong.stderr);
    assert!(said.contains("app password"), "{said}");
    assert!(!said.contains("zzzz-zzzz"), "{said}");
    assert_eq!(
        json(&db, &[], &["accounts", "list", "--json"]),
        Value::Array(vec![])
    );

    let added = add("Bluesky", &password);
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let list = json(&db, &[], &["accounts", "list", "--json"]);
    assert_eq!(list[0]["kind"], "bluesky");
    assert_eq!(list[0]["settings"]["did"], net.account("ann").did.as_str());
    assert_eq!(list[0]["settings"]["handle"], "ann.test");
    assert!(!list.to_string().contains(&app_password), "{list}");

    let first = json(&db, &password, &["sync", "--json"]);
    let report = only_account(&first);
    assert_eq!(report["error"], Value::Null, "{first}");
    // Dan's mention is on his timeline (he is a contact, as ann follows him); bob waits
    // in New people with ann's question and his answer.
    assert_eq!(
        (report["added"].as_u64(), report["new_people"].as_u64()),
        (Some(1), Some(1))
    );
    let contacts = json(&db, &[], &["contacts", "--json"]);
    let dan = contacts
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "@dan.test")
        .unwrap_or_else(|| panic!("{contacts}"));
    assert_eq!(dan["interaction_count"], 1, "{dan}");
    let inbox = json(&db, &[], &["people", "new", "--json"]);
    let bob = inbox
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "@bob.test")
        .unwrap_or_else(|| panic!("bob is offered: {inbox}"));
    let id = bob["id"].as_str().unwrap();
    let out = run(&db, &[], &["people", "add", id]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let again = json(&db, &password, &["sync", "--json"]);
    assert_eq!(only_account(&again)["added"], 0, "{again}");
    assert_eq!(only_account(&again)["new_people"], 0, "{again}");

    net.reply("bob", &root, "Also: the migration took six months");
    let third = json(&db, &password, &["sync", "--json"]);
    assert_eq!(only_account(&third)["added"], 1, "{third}");
    let contacts = json(&db, &[], &["contacts", "--json"]);
    let bob = contacts
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "@bob.test")
        .unwrap_or_else(|| panic!("{contacts}"));
    assert_eq!(bob["interaction_count"], 3, "{bob}");

    // A revoked app password: the sync fails in plain words and exits with failure.
    net.revoke_app_passwords("ann");
    let out = run(&db, &password, &["sync", "--json"]);
    assert!(!out.status.success());
    let report: Value = serde_json::from_slice(&out.stdout).expect("JSON on failure too");
    assert_eq!(
        only_account(&report)["error"]["code"],
        "sync_wrong_password",
        "{report}"
    );
}
