//! Imported text never drives the terminal: names, notes and messages carrying escape
//! sequences (clear the screen, write the clipboard with OSC 52, hide a link with OSC 8, the
//! one-byte C1 CSI) are shown, not obeyed, by every command that prints them.

mod common;

use common::kith;
use std::path::Path;

/// Clear the screen; put "echo pwned" on the clipboard; a link whose text hides its target;
/// a C1 CSI (U+009B) recolouring; a right-to-left override.
const CLEAR: &str = "\u{1b}[2J";
const CLIPBOARD: &str = "\u{1b}]52;c;ZWNobyBwd25lZA==\u{7}";
const LINK: &str = "\u{1b}]8;;https://evil.example\u{1b}\\Library\u{1b}]8;;\u{1b}\\";
const C1: &str = "\u{9b}31m";
const BIDI: &str = "\u{202e}";

fn hostile(label: &str) -> String {
    format!("{label}{CLEAR}{CLIPBOARD}{LINK}{C1}{BIDI}")
}

fn vcard() -> String {
    let name = hostile("Mallory Tern");
    let note = hostile("Met at the ");
    let org = hostile("Town ");
    format!(
        "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:urn:uuid:7d3c1f0e-0000-4000-8000-000000000001\r\n\
         FN:{name}\r\nN:Tern;Mallory;;;\r\nORG:{org}\r\nEMAIL:mallory@example.org\r\n\
         NOTE:{note}\r\nEND:VCARD\r\n"
    )
}

fn csv() -> String {
    // Kith's own CSV export, as another program might have rewritten it.
    format!(
        "id,name,roles,organisation,location,email,twitter,mastodon,bluesky,blog,linkedin,\
         phone,tags,expertise,met_where,met_on,met_through,notes,interaction_count,\
         last_interaction_at\r\n\
         c-zed,\"{}\",peer,\"{}\",,zed@example.org,,,,,,,koha,,,,,\"{}\",0,\r\n",
        hostile("Zed Quill"),
        hostile("Archive "),
        hostile("Notes ")
    )
}

/// Runs kith and checks that nothing it printed could drive a terminal; returns stdout.
fn shown(db: &Path, args: &[&str]) -> String {
    let out = kith(db, args);
    for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        for bad in [&b"\x1b"[..], b"\x07", b"\xc2\x9b", "\u{202e}".as_bytes()] {
            assert!(
                !bytes.windows(bad.len()).any(|w| w == bad),
                "kith {args:?} printed {bad:?} on {stream}:\n{}",
                String::from_utf8_lossy(bytes)
            );
        }
    }
    assert!(
        out.status.success(),
        "kith {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn imported_escape_sequences_are_shown_not_obeyed() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kith.sqlite3");
    let card = dir.path().join("mallory.vcf");
    std::fs::write(&card, vcard()).unwrap();
    let table = dir.path().join("zed.csv");
    std::fs::write(&table, csv()).unwrap();
    let (card, table) = (card.to_str().unwrap(), table.to_str().unwrap());

    // The preview and the import itself, as text and as JSON.
    shown(&db, &["import", "--dry-run", card]);
    shown(&db, &["import", "--dry-run", "--json", card]);
    shown(&db, &["import", card]);
    shown(&db, &["import", "--dry-run", table]);
    shown(&db, &["import", table]);

    // The names really are stored as imported: the commands below have something to show.
    let listed = shown(&db, &["contacts"]);
    assert!(listed.contains("Mallory Tern"), "{listed}");
    assert!(listed.contains("Zed Quill"), "{listed}");
    shown(&db, &["contacts", "--json"]);

    let text = hostile("Talked about ");
    let logged = shown(
        &db,
        &[
            "log",
            "--contact",
            "Mallory",
            "--contact",
            "Zed",
            "--channel",
            "email",
            "--at",
            "2026-11-02T10:00:00Z",
            &text,
        ],
    );
    assert!(logged.contains("Mallory Tern"), "{logged}");

    // Search: contact lines and the interaction lines with everyone's names.
    let found = shown(&db, &["search", "Talked"]);
    assert!(found.contains("Mallory Tern"), "{found}");
    assert!(found.contains("Zed Quill"), "{found}");
    shown(&db, &["search", "Mallory"]);
    shown(&db, &["search", "--json", "Talked"]);
    shown(&db, &["suggest", "--contact", "Mallory"]);
    shown(&db, &["suggest", "--overdue"]);
    shown(&db, &["stats"]);
}

#[test]
fn an_error_quoting_imported_text_is_shown_not_obeyed() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kith.sqlite3");
    let card = dir.path().join("mallory.vcf");
    std::fs::write(&card, vcard()).unwrap();
    common::ok(&db, &["import", card.to_str().unwrap()]);
    let copy = dir.path().join("again.vcf");
    std::fs::write(
        &copy,
        vcard()
            .replace("0001", "0002")
            .replace("mallory@", "m.tern@"),
    )
    .unwrap();
    common::ok(&db, &["import", copy.to_str().unwrap()]);
    // Two contacts match: the error lists their names.
    let out = kith(
        &db,
        &["log", "--contact", "Mallory", "--channel", "email", "hello"],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("Mallory Tern"), "{err}");
    for bad in ["\u{1b}", "\u{7}", "\u{9b}", "\u{202e}"] {
        assert!(!err.contains(bad), "{bad:?} in {err}");
    }
}
