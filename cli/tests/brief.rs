//! `kith attendees`, `kith brief` and `kith met` end to end: a real binary on a real store.

mod common;

use common::{fails, json, kith, ok};

const NETWORK: &str = r##"{"format": "kith-archive", "version": 1,
 "contacts": [
   {"id": "c1", "name": "Ana Lima", "roles": ["mentor"],
    "handles": {"mastodon": "@ana@glammr.example", "email": "ana@example.org"}},
   {"id": "c2", "name": "Ben Okafor", "roles": ["peer"]},
   {"id": "c3", "name": "Dana Whitfield"},
   {"id": "c4", "name": "<b>Eve</b>"}],
 "interactions": [
   {"id": "i1", "contact_ids": ["c1"], "channel": "mastodon", "direction": "inbound",
    "occurred_at": "2026-05-20T10:00:00Z", "text": "Any tips on Koha serials?", "thread": "serials"},
   {"id": "i2", "contact_ids": ["c3"], "channel": "mastodon", "direction": "inbound",
    "occurred_at": "2026-05-25T10:00:00Z", "text": "See you at #c4l26"},
   {"id": "i3", "contact_ids": ["c2"], "channel": "in_person", "direction": "mutual",
    "occurred_at": "2025-10-02T10:00:00Z", "text": "Coffee"}],
 "events": [{"id": "e1", "name": "Code4Lib 2026", "starts_on": "2026-06-10", "ends_on": "2026-06-12",
             "location": "Wellington, New Zealand", "hashtags": ["c4l26"], "attendee_ids": ["c2"]}]}"##;

const AT: &str = "2026-06-01T12:00:00Z";

#[test]
fn attendees_brief_and_met_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kith.sqlite3");
    let file = dir.path().join("network.json");
    std::fs::write(&file, NETWORK).unwrap();
    ok(&db, &["import", file.to_str().unwrap()]);

    // Matching lists, without and then with --add.
    let list = dir.path().join("speakers.csv");
    std::fs::write(
        &list,
        "Name,Email\nSomeone,ana@example.org\nBen Okafor,\nAna Limma,\nNew Person,new@example.com\n",
    )
    .unwrap();
    let listed = ok(&db, &["attendees", "Code4Lib", list.to_str().unwrap()]);
    assert!(
        listed.contains("email") && listed.contains("Ana Lima (c1)"),
        "{listed}"
    );
    assert!(listed.contains("possible"), "{listed}");
    assert!(
        listed.contains("none") && listed.contains("New Person"),
        "{listed}"
    );
    let before = json(&db, &["brief", "Code4Lib", "--json", "--at", AT]);
    assert_eq!(before["meet_in_person"].as_array().unwrap().len(), 0);

    let added = json(
        &db,
        &[
            "attendees",
            "Code4Lib",
            list.to_str().unwrap(),
            "--add",
            "--json",
        ],
    );
    assert_eq!(added["added"]["added"], serde_json::json!(["c1"]));
    assert_eq!(added["added"]["already"], serde_json::json!(["c2"]));
    assert_eq!(added["matches"][2]["how"], "possible");

    // The Markdown briefing: Ana (never met) first, Ben after, Dana likely there.
    let md = ok(&db, &["brief", "Code4Lib", "--at", AT]);
    let ana = md.find("### Ana Lima").expect("Ana in the briefing");
    let ben = md.find("### Ben Okafor").expect("Ben in the briefing");
    let likely = md.find("## Likely there but not confirmed").unwrap();
    let dana = md.find("### Dana Whitfield").unwrap();
    assert!(ana < ben && ben < likely && likely < dana, "{md}");
    assert!(md.contains("waiting for your reply"), "{md}");

    // HTML and PDF to files; a PDF to a pipe is fine too.
    let html = dir.path().join("brief.html");
    ok(
        &db,
        &[
            "brief",
            "e1",
            "--format",
            "html",
            "--out",
            html.to_str().unwrap(),
            "--at",
            AT,
        ],
    );
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>") && page.contains("Ana Lima"));
    let pdf = dir.path().join("brief.pdf");
    ok(
        &db,
        &[
            "brief",
            "Code4Lib",
            "--format",
            "pdf",
            "--out",
            pdf.to_str().unwrap(),
        ],
    );
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));
    let piped = kith(&db, &["brief", "Code4Lib", "--format", "pdf"]);
    assert!(piped.status.success());
    assert!(piped.stdout.starts_with(b"%PDF-"));
    assert!(fails(&db, &["brief", "Code4Lib", "--format", "docx"]).contains("docx"));
    assert!(fails(&db, &["brief", "Nowhere Con"]).contains("not found"));

    // After the event: two people at once, each note with the contact before it.
    let said = ok(
        &db,
        &[
            "met",
            "Code4Lib",
            "--contact",
            "Ana Lima",
            "--note",
            "Dinner, talked serials",
            "--contact",
            "Dana",
            "--at",
            "2026-06-11T19:00:00+12:00",
        ],
    );
    assert_eq!(said.lines().count(), 2, "{said}");
    assert!(
        said.contains("Met Ana Lima at Code4Lib 2026 on 2026-06-11"),
        "{said}"
    );
    let found = json(&db, &["search", "talked serials", "--json"]);
    let hit = &found["interactions"][0]["interaction"];
    assert_eq!(hit["channel"], "in_person");
    assert_eq!(hit["direction"], "mutual");
    assert_eq!(hit["tags"], serde_json::json!(["#c4l26"]));
    let after = json(
        &db,
        &[
            "brief",
            "Code4Lib",
            "--json",
            "--at",
            "2026-06-12T00:00:00Z",
        ],
    );
    let met: Vec<&str> = after["met_before"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert!(
        met.contains(&"Ana Lima") && met.contains(&"Dana Whitfield"),
        "{met:?}"
    );

    // Nothing is written when one name is unknown, or a note has no contact.
    let stats = json(&db, &["stats", "--json"]);
    assert!(fails(
        &db,
        &[
            "met",
            "Code4Lib",
            "--contact",
            "Ben",
            "--contact",
            "Nobody Atall"
        ]
    )
    .contains("not found"));
    assert!(fails(&db, &["met", "Code4Lib", "--note", "x", "--contact", "Ben"]).contains("--note"));
    assert!(fails(
        &db,
        &[
            "met",
            "Code4Lib",
            "--contact",
            "Ben",
            "--note",
            "a",
            "--note",
            "b"
        ]
    )
    .contains("notes"));
    assert_eq!(json(&db, &["stats", "--json"]), stats);
}

#[test]
fn hostile_names_stay_text_in_the_terminal_and_the_page() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kith.sqlite3");
    let file = dir.path().join("network.json");
    std::fs::write(&file, NETWORK).unwrap();
    ok(&db, &["import", file.to_str().unwrap()]);
    let list = dir.path().join("list.txt");
    std::fs::write(&list, "<b>Eve</b>\n\u{1b}[2J\u{1b}[31mred\n").unwrap();
    let out = ok(&db, &["attendees", "e1", list.to_str().unwrap(), "--add"]);
    assert!(
        !out.contains('\u{1b}'),
        "no terminal escapes reach the screen: {out:?}"
    );
    let html = ok(&db, &["brief", "e1", "--format", "html", "--at", AT]);
    assert!(html.contains("&lt;b&gt;Eve&lt;/b&gt;") && !html.contains("<b>Eve"));
}
