//! Accepting a suggestion makes a plan; marking it done takes it off the list of plans and out
//! of the calendar export, and the suggestion stays hidden.

mod common;
use common::{fails, json, ok};

#[test]
fn an_accepted_plan_can_be_marked_done() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("k.sqlite3");
    ok(&db, &["demo"]);
    let suggestions = json(&db, &["suggest", "--json"]);
    let first = suggestions
        .as_array()
        .unwrap()
        .first()
        .expect("the sample has suggestions");
    let id = first["id"].as_str().unwrap().to_string();

    ok(
        &db,
        &[
            "suggest",
            "--accept",
            &id,
            "--due",
            "2099-01-31",
            "--note",
            "Email her",
        ],
    );
    let plans = json(&db, &["suggest", "--plans", "--json"]);
    assert_eq!(plans.as_array().unwrap().len(), 1);
    assert_eq!(plans[0]["suggestion_id"], id.as_str());
    let ics = ok(&db, &["export", "--format", "ics"]);
    assert!(
        ics.contains(&format!("follow-up-{id}")),
        "the plan is a to-do"
    );

    let said = ok(&db, &["suggest", "--done", &id]);
    assert!(said.contains("Done"), "{said}");
    assert!(json(&db, &["suggest", "--plans", "--json"])
        .as_array()
        .unwrap()
        .is_empty());
    let ics = ok(&db, &["export", "--format", "ics"]);
    assert!(
        !ics.contains(&format!("follow-up-{id}")),
        "a done plan is no longer a to-do"
    );
    let again = json(&db, &["suggest", "--json"]);
    assert!(
        again
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["id"] != id.as_str()),
        "the suggestion stays hidden"
    );

    // Done twice, or a plan that never was: a clear error.
    let err = fails(&db, &["suggest", "--done", &id]);
    assert!(err.contains("not found"), "{err}");
    let err = fails(&db, &["suggest", "--done", "no-such-plan"]);
    assert!(err.contains("\"no-such-plan\""), "{err}");
}
