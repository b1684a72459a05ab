//! Session tests: reads answered while a write holds the file, the writer's order, closing for
//! a passphrase change, and locked stores.

use super::*;
use crate::domain::{ContactDraft, ContactFilter};
use std::sync::mpsc;

/// How long a step may take before the test calls it stuck (not a speed target: a read that
/// waits for the blocked writer would wait for ever).
const STUCK: Duration = Duration::from_secs(60);

fn draft(name: &str) -> ContactDraft {
    ContactDraft {
        name: name.into(),
        ..ContactDraft::default()
    }
}

fn names(store: &Store) -> Result<Vec<String>> {
    Ok(store
        .list_contacts(&ContactFilter::default())?
        .into_iter()
        .map(|c| c.name)
        .collect())
}

fn session_with(names: &[&str]) -> (tempfile::TempDir, Session) {
    let dir = tempfile::tempdir().unwrap();
    let session = Session::new(dir.path().join("kith.sqlite3"));
    for name in names {
        let name = name.to_string();
        session
            .write(move |s| s.save_contact(draft(&name), chrono::Utc::now()))
            .unwrap();
    }
    (dir, session)
}

/// Starts a write that holds the write lock, with one contact renamed and not committed, until
/// `release` is sent. Returns once the write holds the lock.
fn blocked_write(session: &Session) -> (mpsc::Sender<()>, std::thread::JoinHandle<Result<()>>) {
    let (release, released) = mpsc::channel::<()>();
    let (holding, held) = mpsc::channel::<()>();
    let writer = session.clone();
    let handle = std::thread::spawn(move || {
        writer.write(move |s| {
            let conn = s.connection();
            conn.execute_batch("BEGIN IMMEDIATE; UPDATE contacts SET name = 'Renamed';")?;
            holding.send(()).unwrap();
            released.recv_timeout(STUCK).expect("released");
            conn.execute_batch("COMMIT")?;
            Ok(())
        })
    });
    held.recv_timeout(STUCK).expect("the write holds the lock");
    (release, handle)
}

/// Runs `f` on another thread and waits for it, failing if it does not answer.
fn answered<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || tx.send(f()).unwrap());
    rx.recv_timeout(STUCK)
        .expect("answered without waiting for the write")
}

#[test]
fn a_read_is_answered_while_a_write_holds_the_store() {
    let (_dir, session) = session_with(&["Ana Reyes", "Bo Lind"]);
    let (release, writing) = blocked_write(&session);

    let reader = session.clone();
    let seen = answered(move || reader.read(names)).unwrap();
    // The last committed state: the rename is not committed yet.
    assert_eq!(seen, vec!["Ana Reyes".to_string(), "Bo Lind".to_string()]);
    // And a second read at the same time, on the other reader.
    let reader = session.clone();
    let searched = answered(move || reader.read(|s| s.search("Lind"))).unwrap();
    assert_eq!(searched.contacts.len(), 1);

    release.send(()).unwrap();
    writing.join().unwrap().unwrap();
    assert_eq!(session.read(names).unwrap(), vec!["Renamed", "Renamed"]);
}

#[test]
fn a_reader_cannot_write() {
    let (_dir, session) = session_with(&["Ana Reyes"]);
    let (release, writing) = blocked_write(&session);
    let reader = session.clone();
    let tried = answered(move || {
        reader.read(|s| Ok(s.connection().execute("DELETE FROM contacts", [])?))
    });
    assert!(tried.is_err(), "a read-only connection refused the delete");
    release.send(()).unwrap();
    writing.join().unwrap().unwrap();
    assert_eq!(session.read(names).unwrap(), vec!["Renamed"]);
}

#[test]
fn writes_from_many_threads_all_land_and_reads_see_each_committed_one() {
    let (_dir, session) = session_with(&[]);
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let session = session.clone();
            std::thread::spawn(move || {
                for i in 0..25 {
                    let name = format!("Person {t}-{i}");
                    let saved = session
                        .write(move |s| s.save_contact(draft(&name), chrono::Utc::now()))
                        .unwrap();
                    // A read after a write answered sees it, on whichever connection.
                    let id = saved.id.clone();
                    session.read(move |s| s.contact(&id)).unwrap();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(session.read(|s| s.stats()).unwrap().contacts, 100);
}

#[test]
fn writes_run_in_the_order_they_were_asked_for() {
    let (_dir, session) = session_with(&[]);
    // Hold the writer, queue writes one after another, then let them all run.
    let (release, writing) = blocked_write(&session);
    let sent = || session.inner.writer.sent.load(Ordering::SeqCst);
    let before = sent();
    let mut queued = Vec::new();
    for i in 0..10 {
        let s = session.clone();
        queued.push(std::thread::spawn(move || {
            s.write(move |s| {
                s.connection()
                    .execute("CREATE TABLE IF NOT EXISTS temp.seen (i INTEGER); ", [])?;
                s.connection()
                    .execute("INSERT INTO temp.seen VALUES (?1)", [i as i64])?;
                Ok(())
            })
        }));
        // Each write is in the queue before the next is asked for.
        while sent() < before + i + 1 {
            std::thread::yield_now();
        }
    }
    release.send(()).unwrap();
    writing.join().unwrap().unwrap();
    for q in queued {
        q.join().unwrap().unwrap();
    }
    let order: Vec<i64> = session
        .write(|s| {
            let mut stmt = s
                .connection()
                .prepare("SELECT i FROM temp.seen ORDER BY rowid")?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
        .unwrap();
    assert_eq!(order, (0..10).collect::<Vec<i64>>());
}

#[test]
fn a_passphrase_change_closes_every_connection_and_opens_again_under_the_new_one() {
    let (dir, session) = session_with(&["Ana Reyes"]);
    // Open readers: they hold the file, and must be closed for the change.
    let (release, writing) = blocked_write(&session);
    let reader = session.clone();
    answered(move || reader.read(names)).unwrap();
    assert!(session.inner.readers.open_count() > 0);
    release.send(()).unwrap();
    writing.join().unwrap().unwrap();
    // Once the write is done, the readers it made needed are closed.
    assert_eq!(session.inner.readers.open_count(), 0);

    let new = Passphrase::new_to_set("correct horse battery staple").unwrap();
    let key = new.clone();
    session
        .with_store_closed(move |path, old| {
            assert!(old.is_none());
            let changed = crate::passphrase::change_passphrase(path, None, Some(&key));
            (changed.map(|_| ()), Some(key))
        })
        .unwrap();
    assert_eq!(session.inner.readers.open_count(), 0);
    assert!(session.passphrase().is_some());
    assert_eq!(session.read(names).unwrap(), vec!["Renamed"]);

    // The file is locked now: a plain open is refused.
    let path = dir.path().join("kith.sqlite3");
    let refused = Store::open_leaving_daily_backup(&path, None).unwrap_err();
    assert_eq!(refused.code(), "passphrase_needed");

    // Readers opened after the change use the new passphrase.
    let (release, writing) = blocked_write(&session);
    let reader = session.clone();
    assert_eq!(
        answered(move || reader.read(names)).unwrap(),
        vec!["Renamed"]
    );
    release.send(()).unwrap();
    writing.join().unwrap().unwrap();
}

#[test]
fn a_locked_store_answers_passphrase_needed_until_unlocked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kith.sqlite3");
    let key = Passphrase::new_to_set("correct horse battery staple").unwrap();
    {
        let mut store = Store::open_leaving_daily_backup(&path, Some(&key)).unwrap();
        store
            .save_contact(draft("Ana Reyes"), chrono::Utc::now())
            .unwrap();
    }
    let session = Session::new(&path);
    assert_eq!(session.read(names).unwrap_err().code(), "passphrase_needed");
    assert!(!session.is_open());
    let wrong = Passphrase::new("not the passphrase").unwrap();
    assert_eq!(
        session.unlock(wrong).unwrap_err().code(),
        "wrong_passphrase"
    );
    assert!(!session.is_open());
    session.unlock(key).unwrap();
    assert!(session.is_open());
    assert_eq!(session.read(names).unwrap(), vec!["Ana Reyes"]);
}

#[test]
fn a_panicking_write_is_raised_in_its_caller_and_the_writer_carries_on() {
    let (_dir, session) = session_with(&["Ana Reyes"]);
    let s = session.clone();
    let panicked = std::thread::spawn(move || {
        s.write(|s| -> Result<()> {
            s.connection()
                .execute_batch("BEGIN IMMEDIATE; DELETE FROM contacts;")?;
            panic!("a bug in a write");
        })
    })
    .join();
    assert!(panicked.is_err());
    // The half-done delete was rolled back, and the writer still answers.
    assert!(session
        .write(|s| Ok(s.connection().is_autocommit()))
        .unwrap());
    assert_eq!(session.read(names).unwrap(), vec!["Ana Reyes"]);
}

/// The next change announced on `rx`.
fn next(rx: &mpsc::Receiver<StoreChange>) -> StoreChange {
    rx.recv_timeout(STUCK).expect("a change was announced")
}

#[test]
fn each_write_announces_what_it_changed_by_id() {
    let (_dir, session) = session_with(&["Ana Reyes"]);
    let rx = session.changes();
    let bo = session
        .write(|s| s.save_contact(draft("Bo Lind"), chrono::Utc::now()))
        .unwrap();
    let change = next(&rx);
    assert_eq!(change.contacts, vec![bo.id.clone()]);
    assert!(change.interactions.is_empty() && !change.everything);

    // An interaction: it and its participant.
    let (bo_id, when) = (bo.id.clone(), chrono::Utc::now());
    let logged = session
        .write(move |s| {
            s.save_interaction(crate::domain::InteractionDraft {
                id: None,
                contact_ids: vec![bo_id],
                channel: crate::domain::Channel::Email,
                direction: crate::domain::Direction::Outbound,
                occurred_at: when,
                public: None,
                text: "About Koha serials".into(),
                thread: None,
                tags: vec![],
                moment: None,
            })
        })
        .unwrap();
    let change = next(&rx);
    assert_eq!(change.interactions, vec![logged.id.clone()]);
    assert_eq!(change.contacts, vec![bo.id.clone()]);

    // A delete cascades to the participants: the contact's id is still named.
    let gone = bo.id.clone();
    session.write(move |s| s.delete_contact(&gone)).unwrap();
    let change = next(&rx);
    assert_eq!(change.contacts, vec![bo.id.clone()]);

    // A read announces nothing; nor does a write that failed and rolled back.
    session.read(names).unwrap();
    let missing = session.write(|s| s.delete_contact("no-such-contact"));
    assert!(missing.is_err());
    // A dismissed suggestion is a decision, not a row of the network.
    session
        .write(|s| s.dismiss_suggestion("s-1", None, chrono::Utc::now()))
        .unwrap();
    let change = next(&rx);
    assert!(change.suggestions);
    assert!(change.contacts.is_empty() && change.interactions.is_empty());
}

#[test]
fn an_import_announces_every_contact_and_interaction_it_wrote() {
    let (_small, session) = session_with(&[]);
    let rx = session.changes();
    let net = crate::synth::scaled(crate::synth::Size::Busy, 500, chrono::Utc::now());
    let (contacts, interactions) = (net.contacts.len(), net.interactions.len());
    assert!(interactions <= changes::MAX_LISTED);
    session
        .write(move |s| s.load_synth(net, chrono::Utc::now()))
        .unwrap();
    let change = next(&rx);
    assert_eq!(change.contacts.len(), contacts);
    assert_eq!(change.interactions.len(), interactions);
    assert!(!change.everything);

    // Past the most worth listing, the change says anything may have changed.
    let (dir, session) = session_with(&[]);
    let rx = session.changes();
    let net = crate::synth::scaled(crate::synth::Size::Busy, 100, chrono::Utc::now());
    assert!(net.interactions.len() > changes::MAX_LISTED);
    session
        .write(move |s| s.load_synth(net, chrono::Utc::now()))
        .unwrap();
    let change = next(&rx);
    assert!(
        change.everything,
        "{} contacts, {} interactions",
        change.contacts.len(),
        change.interactions.len()
    );
    assert!(change.interactions.is_empty());
    drop(dir);
}

#[test]
fn another_programs_commit_is_announced_by_key() {
    let (dir, session) = session_with(&["Ana Reyes"]);
    let rx = session.changes();
    let bo = {
        let mut other =
            Store::open_leaving_daily_backup(dir.path().join("kith.sqlite3"), None).unwrap();
        let bo = other
            .save_contact(draft("Bo Lind"), chrono::Utc::now())
            .unwrap();
        let logged = other
            .save_interaction(crate::domain::InteractionDraft {
                id: None,
                contact_ids: vec![bo.id.clone()],
                channel: crate::domain::Channel::Email,
                direction: crate::domain::Direction::Inbound,
                occurred_at: chrono::Utc::now(),
                public: None,
                text: "Koha serials question".into(),
                thread: None,
                tags: vec![],
                moment: None,
            })
            .unwrap();
        (bo.id, logged.id)
    };
    // Seen at the writer's next job, a read included.
    session.read(names).unwrap();
    let change = next(&rx);
    assert!(!change.everything, "{change:?}");
    assert_eq!(change.contacts, vec![bo.0]);
    assert_eq!(change.interactions, vec![bo.1]);
    // The log holds neither: they are announced as changed.
    assert!(change.suggestions && change.settings);
}

#[test]
fn another_programs_delete_is_announced_as_everything() {
    let (dir, session) = session_with(&["Ana Reyes", "Bo Lind"]);
    let rx = session.changes();
    let bo = session
        .read(|s| Ok(s.find_contacts_by_name("Bo Lind")?[0].0.clone()))
        .unwrap();
    {
        let mut other =
            Store::open_leaving_daily_backup(dir.path().join("kith.sqlite3"), None).unwrap();
        other.delete_contact(&bo).unwrap();
    }
    session.read(names).unwrap();
    // The deleted row's key went with it: the log cannot name it.
    assert!(next(&rx).everything);
}

#[test]
fn announcing_changes_does_not_make_the_kept_list_read_whole() {
    let (_dir, session) = session_with(&["Ana Reyes", "Bo Lind"]);
    let _rx = session.changes();
    session.read(names).unwrap();
    let before = session.write(|s| Ok(s.whole_reads())).unwrap();
    session
        .write(|s| s.save_contact(draft("Cy Moss"), chrono::Utc::now()))
        .unwrap();
    assert_eq!(session.read(names).unwrap().len(), 3);
    let after = session.write(|s| Ok(s.whole_reads())).unwrap();
    assert_eq!(after.0, before.0, "the list followed the save row by row");
}

#[test]
fn a_listener_has_the_change_before_the_writer_answers() {
    let (_dir, session) = session_with(&[]);
    let seen = Arc::new(Mutex::new(StoreChange::default()));
    let into = seen.clone();
    session.on_change(move |change| {
        into.lock().unwrap().merge(change);
        true
    });
    let a = session
        .write(|s| s.save_contact(draft("Ana Reyes"), chrono::Utc::now()))
        .unwrap();
    // No waiting: the listener ran before the answer came back.
    assert_eq!(seen.lock().unwrap().contacts, vec![a.id.clone()]);
    let b = session
        .write(|s| s.save_contact(draft("Bo Lind"), chrono::Utc::now()))
        .unwrap();
    let mut both = vec![a.id, b.id];
    both.sort();
    assert_eq!(
        seen.lock().unwrap().contacts,
        both,
        "merged, in order, once each"
    );
}

#[test]
fn dropping_the_session_closes_the_store_before_it_returns() {
    for _ in 0..20 {
        let (dir, session) = session_with(&["Pita Taufa"]);
        let wal = dir.path().join("kith.sqlite3-wal");
        assert!(wal.exists(), "an open store in WAL mode has its log");
        drop(session);
        // The last connection to close checkpoints the log and removes it: gone means closed.
        assert!(
            !wal.exists(),
            "the writer's connection was still open after the session was dropped"
        );
    }
}
