//! `kith export` and `kith brief --out` never replace a file the person did not agree to
//! replace, write each file whole under a unique temporary name, tell the truth about what
//! they wrote, and leave the files readable only by their owner.

mod common;

use common::{kith, ok};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Barrier};

fn network(name: &str) -> String {
    format!(
        r##"{{"format": "kith-archive", "version": 1,
 "contacts": [{{"id": "c1", "name": "{name}", "roles": ["mentor"], "notes": "Koha serials",
               "private_notes": "Applying for the director job"}},
              {{"id": "c2", "name": "Ben Kowalski", "roles": ["peer"]}}],
 "interactions": [{{"id": "i1", "contact_ids": ["c1"], "channel": "twitter",
                   "direction": "outbound", "occurred_at": "2026-09-01T10:00:00Z",
                   "text": "Koha serials question #auslibchat"}}],
 "events": [{{"id": "e1", "name": "LIANZA", "starts_on": "2026-12-01", "attendee_ids": ["c1"]}}]}}"##
    )
}

/// A store in `folder` holding the network with `name` as its first contact.
fn store(folder: &Path, name: &str) -> PathBuf {
    std::fs::create_dir_all(folder).unwrap();
    let db = folder.join("kith.sqlite3");
    let file = folder.join("network.json");
    std::fs::write(&file, network(name)).unwrap();
    ok(&db, &["import", file.to_str().unwrap()]);
    db
}

fn names(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn refused(db: &Path, args: &[&str], named: &Path) {
    let out = kith(db, args);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "kith {args:?} should have failed");
    assert!(
        err.contains(&named.display().to_string()),
        "the message names the file: {err}"
    );
    assert!(err.contains("--force"), "{err}");
    assert!(!err.contains("Wrote"), "{err}");
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn an_existing_file_survives_an_export_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let db = store(&dir.path().join("store"), "Aroha Ngata");
    let out_dir = dir.path().join("out");
    std::fs::create_dir(&out_dir).unwrap();
    for (format, name) in [
        ("json", "kith.json"),
        ("csv", "contacts.csv"),
        ("vcard", "contacts.vcf"),
        ("ics", "kith.ics"),
    ] {
        let path = out_dir.join(name);
        let mine = format!("my own {name}, not an export\n");
        std::fs::write(&path, &mine).unwrap();
        let out = path.to_str().unwrap();
        refused(&db, &["export", "--format", format, "--out", out], &path);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), mine);

        let said = kith(
            &db,
            &["export", "--format", format, "--out", out, "--force"],
        );
        assert!(
            said.status.success(),
            "{}",
            String::from_utf8_lossy(&said.stderr)
        );
        let written = std::fs::read_to_string(&path).unwrap();
        assert_ne!(written, mine);
        assert!(written.contains("Aroha Ngata"), "{format}: {written}");
        #[cfg(unix)]
        assert_eq!(mode(&path), 0o600, "{format}");
    }
    // Nothing but the files asked for: no temporary files left behind.
    assert_eq!(
        names(&out_dir),
        ["contacts.csv", "contacts.vcf", "kith.ics", "kith.json"]
    );
}

#[test]
fn a_note_of_the_users_own_in_a_markdown_folder_survives() {
    let dir = tempfile::tempdir().unwrap();
    let db = store(&dir.path().join("store"), "Aroha Ngata");
    let vault = dir.path().join("vault");
    std::fs::create_dir(&vault).unwrap();
    // The person's own notes: one happens to have the name a contact's note would get.
    let clash = vault.join("Aroha Ngata.md");
    let own = vault.join("Reading list.md");
    std::fs::write(&clash, "# Aroha\nMy own thoughts, written by hand.\n").unwrap();
    std::fs::write(&own, "- The Library Book\n").unwrap();
    let before_clash = std::fs::read(&clash).unwrap();
    let before_own = std::fs::read(&own).unwrap();
    let folder = vault.to_str().unwrap();

    refused(
        &db,
        &["export", "--format", "markdown", "--out", folder],
        &clash,
    );
    assert_eq!(std::fs::read(&clash).unwrap(), before_clash);
    assert_eq!(std::fs::read(&own).unwrap(), before_own);
    // Nothing was written: not even the note that had no clash.
    assert_eq!(names(&vault), ["Aroha Ngata.md", "Reading list.md"]);

    let said = ok(
        &db,
        &["export", "--format", "markdown", "--out", folder, "--force"],
    );
    assert!(said.is_empty(), "{said}");
    assert_ne!(std::fs::read(&clash).unwrap(), before_clash);
    assert_eq!(std::fs::read(&own).unwrap(), before_own);
    assert_eq!(
        names(&vault),
        ["Aroha Ngata.md", "Ben Kowalski.md", "Reading list.md"]
    );
}

#[cfg(unix)]
#[test]
fn exports_are_private_to_their_owner() {
    let dir = tempfile::tempdir().unwrap();
    let db = store(&dir.path().join("store"), "Aroha Ngata");
    let notes = dir.path().join("new/notes");
    ok(
        &db,
        &[
            "export",
            "--format",
            "markdown",
            "--include-private",
            "--out",
            notes.to_str().unwrap(),
        ],
    );
    assert_eq!(mode(&dir.path().join("new")), 0o700);
    assert_eq!(mode(&notes), 0o700);
    for name in names(&notes) {
        assert_eq!(mode(&notes.join(&name)), 0o600, "{name}");
    }
    let archive = dir.path().join("kith.json");
    ok(
        &db,
        &[
            "export",
            "--format",
            "json",
            "--out",
            archive.to_str().unwrap(),
        ],
    );
    assert_eq!(mode(&archive), 0o600);
}

#[test]
fn a_briefing_is_not_written_over_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = store(&dir.path().join("store"), "Aroha Ngata");
    let path = dir.path().join("brief.md");
    std::fs::write(&path, "my agenda").unwrap();
    let out = path.to_str().unwrap();
    refused(&db, &["brief", "LIANZA", "--out", out], &path);
    refused(&db, &["brief", "LIANZA", "--json", "--out", out], &path);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "my agenda");
    let out_ok = kith(&db, &["brief", "LIANZA", "--out", out, "--force"]);
    assert!(
        out_ok.status.success(),
        "{}",
        String::from_utf8_lossy(&out_ok.stderr)
    );
    assert!(std::fs::read_to_string(&path).unwrap().contains("LIANZA"));
}

/// Runs `kith export --format json --out target` from every store at once, each from its
/// own thread; returns each run's success.
fn race(stores: &[PathBuf], target: &Path, force: bool) -> Vec<bool> {
    let start = Arc::new(Barrier::new(stores.len()));
    let runs: Vec<_> = stores
        .iter()
        .cloned()
        .map(|db| {
            let start = Arc::clone(&start);
            let target = target.to_path_buf();
            std::thread::spawn(move || {
                let mut args = vec!["export", "--format", "json", "--out"];
                args.push(target.to_str().unwrap());
                if force {
                    args.push("--force");
                }
                start.wait();
                let out = kith(&db, &args);
                let err = String::from_utf8_lossy(&out.stderr).into_owned();
                if out.status.success() {
                    assert!(err.contains("Wrote the full archive"), "{err}");
                } else {
                    assert!(err.contains("already exists"), "{err}");
                }
                out.status.success()
            })
        })
        .collect();
    runs.into_iter().map(|r| r.join().unwrap()).collect()
}

/// The name of the first contact in the archive at `path`, which must be whole and valid.
fn racer_in(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let archive: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("not valid JSON ({e}): {text}"));
    assert_eq!(archive["contacts"].as_array().unwrap().len(), 2);
    assert_eq!(archive["interactions"].as_array().unwrap().len(), 1);
    archive["contacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_string())
        .find(|n| n.starts_with("Racer"))
        .unwrap()
}

#[test]
fn racing_exports_to_one_file_leave_one_whole_file_from_the_one_that_says_it_wrote_it() {
    const RACERS: usize = 8;
    let dir = tempfile::tempdir().unwrap();
    let stores: Vec<PathBuf> = (0..RACERS)
        .map(|k| {
            store(
                &dir.path().join(format!("store-{k}")),
                &format!("Racer {k}"),
            )
        })
        .collect();
    let shared = dir.path().join("shared");
    std::fs::create_dir(&shared).unwrap();
    let target = shared.join("same.json");

    let won = race(&stores, &target, false);
    let winners: Vec<usize> = (0..RACERS).filter(|k| won[*k]).collect();
    assert_eq!(
        winners.len(),
        1,
        "exactly one export may write the file: {won:?}"
    );
    assert_eq!(racer_in(&target), format!("Racer {}", winners[0]));
    assert_eq!(names(&shared), ["same.json"]);

    // Agreed replacing: every export writes a whole file, and the one left is one of theirs.
    let won = race(&stores, &target, true);
    assert!(won.iter().all(|w| *w), "{won:?}");
    let racer = racer_in(&target);
    assert!(
        (0..RACERS).any(|k| racer == format!("Racer {k}")),
        "{racer}"
    );
    assert_eq!(names(&shared), ["same.json"]);
    #[cfg(unix)]
    assert_eq!(mode(&target), 0o600);
}
