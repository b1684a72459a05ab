//! `kith suggest --dates`: birthdays, anniversaries and other important dates in the next two
//! weeks, as of a fixed time (`--at`), from dates that came in through a vCard import.

mod common;
use common::{fails, json, ok};
use std::path::Path;

/// People with dates in every form address books write them, around 10 March 2026.
const CARDS: &str = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana Lima\r\nBDAY:1980-03-12\r\nEND:VCARD\r\n\
BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ben Okafor\r\nANNIVERSARY:20100310\r\nEND:VCARD\r\n\
BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Cleo Marsh\r\nBDAY:--0324\r\nEND:VCARD\r\n\
BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Dan Weiss\r\nBDAY:1990-03-25\r\nEND:VCARD\r\n\
BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Eve Novak\r\nBDAY:1975-03-09\r\nEND:VCARD\r\n\
BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Fay Young\r\nBDAY:2000-02-29\r\nEND:VCARD\r\n\
BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Gus Hale\r\nBDAY:1970-01-03\r\nEND:VCARD\r\n";

fn store_with_dates(dir: &Path) -> std::path::PathBuf {
    let db = dir.join("k.sqlite3");
    let cards = dir.join("people.vcf");
    std::fs::write(&cards, CARDS).unwrap();
    ok(&db, &["import", cards.to_str().unwrap()]);
    db
}

#[test]
fn dates_in_the_next_two_weeks_are_listed_soonest_first() {
    let dir = tempfile::tempdir().unwrap();
    let db = store_with_dates(dir.path());
    let out = ok(&db, &["suggest", "--dates", "--at", "2026-03-10T09:00:00Z"]);
    let lines: Vec<&str> = out.lines().collect();
    // Today's anniversary, a birthday in two days, and a year-less birthday on the
    // fourteenth day; not the birthday on the fifteenth day, nor yesterday's.
    assert_eq!(lines.len(), 3, "{out}");
    assert!(lines[0].starts_with("Ben Okafor"), "{out}");
    assert!(
        lines[0].ends_with("Anniversary (16) on 2026-03-10, today"),
        "{out}"
    );
    assert!(lines[1].starts_with("Ana Lima"), "{out}");
    assert!(
        lines[1].ends_with("Birthday (46) on 2026-03-12, in 2 days"),
        "{out}"
    );
    assert!(lines[2].starts_with("Cleo Marsh"), "{out}");
    assert!(
        lines[2].ends_with("Birthday on 2026-03-24, in 14 days"),
        "{out}"
    );
    assert!(
        !out.contains("Dan Weiss") && !out.contains("Eve Novak"),
        "{out}"
    );

    // The same as JSON, for scripts.
    let soon = json(
        &db,
        &[
            "suggest",
            "--dates",
            "--json",
            "--at",
            "2026-03-10T09:00:00Z",
        ],
    );
    let soon = soon.as_array().unwrap();
    let names: Vec<&str> = soon.iter().map(|u| u["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Ben Okafor", "Ana Lima", "Cleo Marsh"]);
    let days: Vec<u64> = soon
        .iter()
        .map(|u| u["days_until"].as_u64().unwrap())
        .collect();
    assert_eq!(days, [0, 2, 14]);
    assert_eq!(soon[1]["years"], 46);
    assert!(soon[2]["years"].is_null(), "no year, no age: {:?}", soon[2]);
}

#[test]
fn dates_across_the_new_year_and_on_29_february() {
    let dir = tempfile::tempdir().unwrap();
    let db = store_with_dates(dir.path());
    // Early January is counted from late December, in the next year.
    let out = ok(&db, &["suggest", "--dates", "--at", "2026-12-25T09:00:00Z"]);
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(
        out.contains("Gus Hale") && out.contains("Birthday (57) on 2027-01-03, in 9 days"),
        "{out}"
    );
    // A 29 February birthday falls on 28 February in a year without one.
    let out = ok(&db, &["suggest", "--dates", "--at", "2027-02-20T09:00:00Z"]);
    assert!(
        out.contains("Fay Young") && out.contains("Birthday (27) on 2027-02-28, in 8 days"),
        "{out}"
    );
}

#[test]
fn no_dates_says_so_and_a_bad_time_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = store_with_dates(dir.path());
    let out = ok(&db, &["suggest", "--dates", "--at", "2026-06-01T09:00:00Z"]);
    assert_eq!(out.trim(), "No important dates in the next two weeks.");
    let json_out = json(
        &db,
        &[
            "suggest",
            "--dates",
            "--json",
            "--at",
            "2026-06-01T09:00:00Z",
        ],
    );
    assert_eq!(json_out, serde_json::json!([]));
    let err = fails(&db, &["suggest", "--dates", "--at", "next tuesday"]);
    assert!(err.contains("--at"), "{err}");
}
