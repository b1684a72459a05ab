//! The suggestion scenarios through the real command line, exactly as a user would run them:
//! `kith import scenario.json` into a fresh store, then `kith suggest --at … --json`.

mod common;

use common::ok as kith;
use serde_json::Value;
use std::path::PathBuf;

fn matches(found: &Value, want: &Value) -> bool {
    want.as_object()
        .expect("an expectation is an object")
        .iter()
        .all(|(k, v)| found.get(k) == Some(v))
}

#[test]
fn every_scenario_gives_its_expected_suggestions_through_the_cli() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/scenarios");
    let mut scenarios: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/scenarios")
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "json")
                && !p.to_string_lossy().ends_with(".expect.json")
        })
        .collect();
    scenarios.sort();
    assert!(scenarios.len() >= 10, "the scenario suite is there");
    for scenario in scenarios {
        let name = scenario.file_stem().unwrap().to_string_lossy().to_string();
        let expect: Value = serde_json::from_str(
            &std::fs::read_to_string(dir.join(format!("{name}.expect.json"))).expect("expect file"),
        )
        .expect("expect JSON");
        let tmp = tempfile::tempdir().unwrap();
        let db = tmp.path().join("kith.sqlite3");
        kith(&db, &["import", scenario.to_str().unwrap()]);
        let at = expect["at"].as_str().expect("at");
        let found: Value =
            serde_json::from_str(&kith(&db, &["suggest", "--at", at, "--json"])).expect("JSON");
        let found = found.as_array().expect("an array");
        for s in found {
            for field in [
                "contact",
                "contact_id",
                "kind",
                "from_channel",
                "to_channel",
                "score",
                "reasons",
            ] {
                assert!(
                    s.get(field).is_some(),
                    "{name}: a suggestion lacks {field}: {s}"
                );
            }
        }
        let wanted = expect["expect"].as_array().expect("expect");
        for want in wanted {
            assert!(
                found.iter().any(|s| matches(s, want)),
                "{name}: expected {want} in {found:#?}"
            );
        }
        for absent in expect["expect_absent"].as_array().into_iter().flatten() {
            assert!(
                !found.iter().any(|s| matches(s, absent)),
                "{name}: did not expect {absent}"
            );
        }
        if expect["exact"].as_bool() == Some(true) {
            assert_eq!(
                found.len(),
                wanted.len(),
                "{name}: exactly the expected suggestions: {found:#?}"
            );
        }
    }
}
