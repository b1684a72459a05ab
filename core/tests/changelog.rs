//! The contacts list and network a store keeps in memory follow every write to the file, by
//! whoever made it: this connection's edits, imports and merges, and another connection's
//! commits. After each step of a long random run, both connections' kept copies must equal a
//! fresh read of the file.

use chrono::{DateTime, Duration, TimeZone, Utc};
use kith_core::import::{self, ImportOptions};
use kith_core::store::Network;
use kith_core::{
    Channel, ContactDraft, ContactFilter, ContactSummary, Direction, EventDraft, EventKind, Handle,
    InteractionDraft, Platform, Store,
};
use std::path::{Path, PathBuf};

fn at(day: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 1, 1, 9, 0, 0).unwrap() + Duration::days(day)
}

/// A small generator with a fixed seed, so a failing run can be replayed.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        (!items.is_empty()).then(|| &items[self.below(items.len())])
    }
}

/// Real address books and mail, imported again and again: new contacts the first time, the
/// same ones matched and updated after.
fn import_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/import");
    [
        "vcard/rfc6350-example.vcf",
        "vcard/gmail-list.vcf",
        "vcard/outlook-2007.vcf",
        "mail/dovecot-011.eml",
        "mail/dovecot-015.eml",
    ]
    .iter()
    .map(|f| root.join(f))
    .collect()
}

/// Whose mail the mail files are, so sent and received can be told apart.
fn my_mail() -> ImportOptions {
    ImportOptions {
        my_emails: vec![
            "admin@xyz-webserver.abcd-gestion.local".into(),
            "jonas.sterr@gmx.net".into(),
            "user@mailserver.de".into(),
        ],
        ..ImportOptions::default()
    }
}

/// What a connection opened now reads from the file.
fn fresh(path: &Path) -> (Network, Vec<ContactSummary>) {
    let s = Store::open_leaving_daily_backup(path, None).unwrap();
    let network = Network {
        contacts: s.all_contacts().unwrap(),
        interactions: s.all_interactions().unwrap(),
        events: s.list_events().unwrap(),
    };
    (network, s.list_contacts(&ContactFilter::default()).unwrap())
}

fn same_as_file(store: &Store, who: &str, path: &Path, step: &str) {
    let (network, list) = fresh(path);
    assert_eq!(
        *store.network().unwrap(),
        network,
        "{who}'s network after {step}"
    );
    let kept = store.list_contacts(&ContactFilter::default()).unwrap();
    assert_eq!(kept, list, "{who}'s contacts list after {step}");
}

fn keys(store: &Store) -> Vec<String> {
    store
        .all_contacts()
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect()
}

fn interaction_keys(store: &Store) -> Vec<String> {
    store
        .all_interactions()
        .unwrap()
        .into_iter()
        .map(|i| i.id)
        .collect()
}

fn new_contact(store: &mut Store, rng: &mut Rng, n: usize) {
    let first = ["ana", "Ben", "cy", "Dee", "Eli", "zoe", "Åsa", "Mori"];
    let draft = ContactDraft {
        name: format!("{} {n}", rng.pick(&first).unwrap()),
        handles: vec![Handle {
            platform: Platform::Email,
            value: format!("person{n}@example.org"),
        }],
        tags: vec![format!("tag{}", rng.below(3))],
        ..ContactDraft::default()
    };
    store.save_contact(draft, at(n as i64)).unwrap();
}

fn edit_contact(store: &mut Store, rng: &mut Rng, n: usize) {
    let Some(key) = rng.pick(&keys(store)).cloned() else {
        return;
    };
    let mut draft = ContactDraft::from(store.contact(&key).unwrap());
    draft.name = format!("{} {n}", ["aaron", "Bea", "Xu"][rng.below(3)]);
    draft.handles.push(Handle {
        platform: Platform::Mastodon,
        value: format!("@p{n}@example.social"),
    });
    draft.handles.truncate(3);
    draft.tags = vec![format!("tag{}", rng.below(3))];
    store.save_contact(draft, at(n as i64)).unwrap();
}

fn log(store: &mut Store, rng: &mut Rng, n: usize, id: Option<String>) {
    let people = keys(store);
    let mut who: Vec<String> = (0..1 + rng.below(2))
        .filter_map(|_| rng.pick(&people).cloned())
        .collect();
    who.dedup();
    if who.is_empty() {
        return;
    }
    let draft = InteractionDraft {
        id,
        contact_ids: who,
        channel: [Channel::Email, Channel::Mastodon, Channel::Phone][rng.below(3)],
        direction: Direction::Inbound,
        occurred_at: at(rng.below(200) as i64),
        public: None,
        text: format!("question {n} about serials"),
        thread: None,
        tags: vec!["koha".into()],
        moment: None,
    };
    store.save_interaction(draft).unwrap();
}

fn merge(store: &mut Store, rng: &mut Rng, n: usize) {
    let people = keys(store);
    let (Some(a), Some(b)) = (rng.pick(&people).cloned(), rng.pick(&people).cloned()) else {
        return;
    };
    if a != b {
        store.merge_contacts(&a, &b, at(n as i64)).unwrap();
    }
}

fn event(store: &mut Store, rng: &mut Rng, n: usize) {
    let events = store.list_events().unwrap();
    if let (Some(e), 0) = (events.first(), rng.below(3)) {
        store.delete_event(&e.id).unwrap();
        return;
    }
    let people = keys(store);
    let draft = EventDraft {
        id: events.first().map(|e| e.id.clone()),
        name: format!("LIANZA {n}"),
        kind: EventKind::Conference,
        starts_on: at(n as i64).date_naive(),
        ends_on: None,
        location: String::new(),
        hashtags: vec![],
        notes: String::new(),
        attendee_ids: (0..3).filter_map(|_| rng.pick(&people).cloned()).fold(
            Vec::new(),
            |mut v, k| {
                if !v.contains(&k) {
                    v.push(k);
                }
                v
            },
        ),
    };
    store.save_event(draft).unwrap();
}

/// One random write by `store`; returns what it was.
fn step(store: &mut Store, rng: &mut Rng, n: usize, files: &[PathBuf]) -> String {
    match rng.below(11) {
        0 | 1 => {
            new_contact(store, rng, n);
            "a new contact".into()
        }
        2 => {
            edit_contact(store, rng, n);
            "a contact edited".into()
        }
        3 | 4 => {
            log(store, rng, n, None);
            "an interaction logged".into()
        }
        5 => {
            let id = rng.pick(&interaction_keys(store)).cloned();
            if id.is_some() {
                log(store, rng, n, id);
            }
            "an interaction edited".into()
        }
        6 => {
            if let Some(id) = rng.pick(&interaction_keys(store)).cloned() {
                store.delete_interaction(&id).unwrap();
            }
            "an interaction deleted".into()
        }
        7 => {
            if let Some(key) = rng.pick(&keys(store)).cloned() {
                store.delete_contact(&key).unwrap();
            }
            "a contact deleted".into()
        }
        8 => {
            merge(store, rng, n);
            "a merge".into()
        }
        9 => {
            let file = rng.pick(files).unwrap();
            import::import(store, file, &my_mail(), at(n as i64), &mut |_| true).unwrap();
            format!("an import of {}", file.display())
        }
        _ => {
            event(store, rng, n);
            "an event saved or deleted".into()
        }
    }
}

#[test]
fn kept_copies_follow_edits_imports_merges_and_another_connections_commits() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("k.sqlite3");
    let files = import_files();
    let mut app = Store::open_leaving_daily_backup(&path, None).unwrap();
    let mut cli = Store::open_leaving_daily_backup(&path, None).unwrap();
    let mut rng = Rng(0x5eed_1234_abcd_0042);
    for n in 0..8 {
        new_contact(&mut app, &mut rng, n);
    }
    same_as_file(&app, "the app", &path, "the first read");
    same_as_file(&cli, "the other connection", &path, "the first read");
    for n in 8..160 {
        // Mostly the app writes; now and then the other connection commits.
        let (writer, name) = match rng.below(4) {
            0 => (&mut cli, "the other connection"),
            _ => (&mut app, "the app"),
        };
        let what = step(writer, &mut rng, n, &files);
        let what = format!("step {n}: {what} by {name}");
        // Sometimes several writes pile up before the copies are read again.
        if rng.below(3) > 0 {
            same_as_file(&app, "the app", &path, &what);
            same_as_file(&cli, "the other connection", &path, &what);
        }
    }
    same_as_file(&app, "the app", &path, "the run");
    same_as_file(&cli, "the other connection", &path, "the run");
}

#[test]
fn a_write_that_fails_leaves_no_entry_in_the_change_log() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("k.sqlite3");
    let mut store = Store::open_leaving_daily_backup(&path, None).unwrap();
    let mut rng = Rng(7);
    new_contact(&mut store, &mut rng, 1);
    let entries = |s: &Store| -> i64 {
        s.connection()
            .query_row("SELECT count(*) FROM change_log", [], |r| r.get(0))
            .unwrap()
    };
    let before = entries(&store);
    assert!(before > 0, "a saved contact is logged");
    // A merge refused after it began writing, and an interaction naming nobody known.
    let key = keys(&store)[0].clone();
    assert!(store.merge_contacts(&key, "missing", at(2)).is_err());
    let mut draft = InteractionDraft {
        id: None,
        contact_ids: vec![key, "nobody".into()],
        channel: Channel::Email,
        direction: Direction::Inbound,
        occurred_at: at(3),
        public: None,
        text: "x".into(),
        thread: None,
        tags: vec![],
        moment: None,
    };
    assert!(store.save_interaction(draft.clone()).is_err());
    // A preview runs the import and rolls it back.
    let file = &import_files()[0];
    import::preview(
        &mut store,
        file,
        &ImportOptions::default(),
        at(4),
        &mut |_| true,
    )
    .unwrap();
    assert_eq!(entries(&store), before, "rolled back with the rows");
    draft.contact_ids.pop();
    store.save_interaction(draft).unwrap();
    assert!(entries(&store) > before);
}
