//! `kith brief` writes every format of the core's one list ([`BriefFormat::ALL`]), the list the
//! app saves from, whether the format is named by `--format` (its name or any extension) or by
//! the `--out` file's extension alone, as the app's save dialog names it.

mod common;

use common::{fails, kith, ok};
use kith_core::brief::BriefFormat;

const NETWORK: &str = r##"{"format": "kith-archive", "version": 1,
 "contacts": [{"id": "c1", "name": "Ana Lima", "roles": ["mentor"]},
              {"id": "c2", "name": "Ben Okafor", "roles": ["peer"]}],
 "interactions": [
   {"id": "i1", "contact_ids": ["c1"], "channel": "mastodon", "direction": "inbound",
    "occurred_at": "2026-05-20T10:00:00Z", "text": "Any tips on Koha serials?"}],
 "events": [{"id": "e1", "name": "Code4Lib 2026", "starts_on": "2026-06-10",
             "attendee_ids": ["c1", "c2"]}]}"##;

const AT: &str = "2026-06-01T12:00:00Z";

/// Checks that `bytes` are a whole briefing in `format`, read as that format is read.
fn assert_is(format: BriefFormat, bytes: &[u8], what: &str) {
    match format {
        BriefFormat::Pdf => {
            assert!(bytes.starts_with(b"%PDF-"), "{what}: not a PDF");
            let tail = String::from_utf8_lossy(&bytes[bytes.len().saturating_sub(64)..]);
            assert!(
                tail.trim_end().ends_with("%%EOF"),
                "{what}: a PDF cut short"
            );
        }
        BriefFormat::Html => {
            let page = std::str::from_utf8(bytes).expect("HTML is UTF-8");
            assert!(page.starts_with("<!DOCTYPE html>"), "{what}: not a page");
            assert!(
                page.trim_end().ends_with("</html>"),
                "{what}: a page cut short"
            );
            assert!(
                page.contains("Ana Lima") && page.contains("Ben Okafor"),
                "{what}"
            );
        }
        BriefFormat::Markdown => {
            let text = std::str::from_utf8(bytes).expect("Markdown is UTF-8");
            assert!(text.starts_with("# "), "{what}: no title heading:\n{text}");
            assert!(
                !text.contains("<!DOCTYPE") && !text.starts_with("%PDF"),
                "{what}"
            );
            assert!(
                text.contains("### Ana Lima") && text.contains("### Ben Okafor"),
                "{what}"
            );
        }
    }
}

fn network() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kith.sqlite3");
    let file = dir.path().join("network.json");
    std::fs::write(&file, NETWORK).unwrap();
    ok(&db, &["import", file.to_str().unwrap()]);
    (dir, db)
}

#[test]
fn every_format_is_written_whether_named_or_taken_from_the_file_name() {
    let (dir, db) = network();
    for format in BriefFormat::ALL {
        // By name and by every extension, to standard output.
        let names = std::iter::once(format.name()).chain(format.extensions().iter().copied());
        for name in names {
            let out = kith(&db, &["brief", "e1", "--format", name, "--at", AT]);
            assert!(out.status.success(), "--format {name}: {out:?}");
            assert_is(format, &out.stdout, &format!("--format {name}"));
        }
        // By the file's extension alone, in any case, as a saved file is named.
        for ext in format.extensions() {
            for ext in [ext.to_string(), ext.to_uppercase()] {
                let path = dir.path().join(format!("Code4Lib briefing.{ext}"));
                ok(
                    &db,
                    &["brief", "e1", "--out", path.to_str().unwrap(), "--at", AT],
                );
                let bytes = std::fs::read(&path).unwrap();
                assert_is(format, &bytes, &path.display().to_string());
                std::fs::remove_file(&path).unwrap();
            }
        }
    }
}

#[test]
fn a_named_format_wins_and_a_plain_name_means_markdown() {
    let (dir, db) = network();
    let notes = dir.path().join("briefing");
    ok(
        &db,
        &["brief", "e1", "--out", notes.to_str().unwrap(), "--at", AT],
    );
    assert_is(
        BriefFormat::Markdown,
        &std::fs::read(&notes).unwrap(),
        "no extension",
    );

    let asked = dir.path().join("briefing.txt");
    ok(
        &db,
        &[
            "brief",
            "e1",
            "--format",
            "html",
            "--out",
            asked.to_str().unwrap(),
            "--at",
            AT,
        ],
    );
    assert_is(
        BriefFormat::Html,
        &std::fs::read(&asked).unwrap(),
        "--format html",
    );

    let said = fails(&db, &["brief", "e1", "--format", "docx"]);
    for f in BriefFormat::ALL {
        assert!(
            said.contains(f.name()),
            "the error lists {}: {said}",
            f.name()
        );
    }
}
