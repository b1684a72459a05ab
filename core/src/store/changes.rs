//! What changed in the file since a kept copy (the contacts list, the loaded network) was read,
//! so that it can be brought up to date by reading only those rows instead of everything.
//!
//! The database keeps the record itself: triggers on the tables the copies are read from
//! write each changed row to `change_log` (see the schema's version 6) inside the writing
//! transaction, whoever writes (this connection, another program on the same file, an import,
//! a merge), and a rollback takes the entries back with the rows. A kept copy remembers the
//! last entry it applied; when [`Store::file_version`] moves, it reads the entries after that
//! one. It is read whole only the first time, when the log was trimmed past it, or when more
//! rows changed than are worth reading one by one.

use super::Store;
use crate::error::Result;
use rusqlite::Transaction;
use std::cell::Cell;
use std::collections::{BTreeSet, HashMap};

/// The kinds of entry in `change_log`, as the schema's triggers write them.
const CONTACT: i64 = 1;
const INTERACTION: i64 = 2;
const PARTICIPANT: i64 = 3;
const EVENT: i64 = 4;

/// Rows changed since a kept copy was brought up to date, by row id.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Changed {
    /// Contacts added, edited or deleted (their fields, handles, roles or dates).
    pub contacts: BTreeSet<i64>,
    /// Contacts whose interactions changed: their count and latest interaction.
    pub participants: BTreeSet<i64>,
    /// Interactions added, edited (participants included) or deleted.
    pub interactions: BTreeSet<i64>,
    /// Whether any event or who attends one changed, or a contact (events list their
    /// attendees in name order, so a new name may reorder them).
    pub events: bool,
}

impl Changed {
    pub fn is_empty(&self) -> bool {
        *self == Changed::default()
    }

    /// How many rows would have to be read again.
    pub fn len(&self) -> usize {
        self.contacts.len() + self.participants.len() + self.interactions.len()
    }

    /// Adds one entry of the log; `false` for a kind this build does not know.
    fn add(&mut self, kind: i64, row: i64, other: Option<i64>) -> bool {
        match kind {
            CONTACT => {
                self.contacts.insert(row);
                self.events = true;
            }
            INTERACTION => {
                self.interactions.insert(row);
            }
            PARTICIPANT => {
                self.participants.insert(row);
                self.interactions.extend(other);
            }
            EVENT => self.events = true,
            _ => return false,
        }
        true
    }
}

/// Where the file stood when a kept copy was last brought up to date: its
/// [`Store::file_version`] and the last entry of the change log it had applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Since {
    version: (i64, u64),
    seq: i64,
}

impl Since {
    /// A place no file is at: a copy read here is read whole next time.
    const NOWHERE: Since = Since {
        version: (i64::MIN, 0),
        seq: i64::MAX,
    };
}

/// The records of the rows in `order`: each from `fresh` (read again; `None` if it is gone)
/// or else from `had` (kept). `None` when a row in `order` is in neither or gone from
/// `fresh`, which a change by other means would explain.
pub(crate) fn in_order<T>(
    order: &[i64],
    mut fresh: HashMap<i64, Option<T>>,
    mut had: HashMap<i64, T>,
) -> Option<Vec<T>> {
    order
        .iter()
        .map(|id| match fresh.remove(id) {
            Some(row) => row,
            None => had.remove(id),
        })
        .collect()
}

/// How many times the contacts list and the network were read whole.
#[derive(Debug, Default)]
pub(crate) struct WholeReads {
    pub list: Cell<u32>,
    pub network: Cell<u32>,
}

/// One consistent view of the file for bringing a kept copy up to date: the log and the rows
/// it names are read in the same read transaction, so a commit in between cannot be half seen.
pub(crate) struct Snapshot<'a> {
    tx: Option<Transaction<'a>>,
}

impl Store {
    /// Starts a read transaction for [`Store::catch_up`]; ends when dropped.
    pub(crate) fn snapshot(&self) -> Result<Snapshot<'_>> {
        // Inside a transaction someone else opened, what is read may yet be rolled back.
        let tx = match self.conn.is_autocommit() {
            true => Some(self.conn.unchecked_transaction()?),
            false => None,
        };
        Ok(Snapshot { tx })
    }

    /// Where the file stands now, and what changed since `kept`: `None` when the kept copy
    /// must be read whole (there is none, the log no longer reaches back to it, or the file
    /// is not the one it was read from). To be called inside `snapshot`.
    pub(crate) fn catch_up(
        &self,
        snapshot: &Snapshot<'_>,
        kept: Option<Since>,
    ) -> Result<(Since, Option<Changed>)> {
        if snapshot.tx.is_none() {
            return Ok((Since::NOWHERE, None));
        }
        let version = self.file_version()?;
        if let Some(kept) = kept.filter(|k| k.version == version) {
            return Ok((kept, Some(Changed::default())));
        }
        let (first, last): (Option<i64>, Option<i64>) = self.conn.query_row(
            "SELECT (SELECT min(seq) FROM change_log), (SELECT max(seq) FROM change_log)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let now = Since {
            version,
            seq: last.unwrap_or(0),
        };
        let Some(kept) = kept else {
            return Ok((now, None));
        };
        if now.seq == kept.seq {
            return Ok((now, Some(Changed::default())));
        }
        // Entries after `kept.seq` were trimmed, or the log is another file's.
        if now.seq < kept.seq || first.is_some_and(|first| first > kept.seq + 1) {
            return Ok((now, None));
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT kind, row_id, other_id FROM change_log WHERE seq > ?1 AND seq <= ?2",
        )?;
        let mut rows = stmt.query([kept.seq, now.seq])?;
        let mut changed = Changed::default();
        while let Some(r) = rows.next()? {
            if !changed.add(r.get(0)?, r.get(1)?, r.get(2)?) {
                return Ok((now, None));
            }
        }
        Ok((now, Some(changed)))
    }

    /// How many times the contacts list and the network were read whole, for tests that
    /// check a change was applied row by row.
    #[cfg(test)]
    pub(crate) fn whole_reads(&self) -> (u32, u32) {
        (self.whole_reads.list.get(), self.whole_reads.network.get())
    }
}

#[cfg(test)]
mod tests {
    use crate::store::tests::{at, contact};
    use crate::store::Network;
    use crate::{
        Channel, ContactDraft, ContactFilter, ContactSummary, Direction, EventDraft, EventKind,
        Interaction, InteractionDraft, Store,
    };
    use std::path::Path;

    fn draft(who: &[&str], day: u32, text: &str) -> InteractionDraft {
        InteractionDraft {
            id: None,
            contact_ids: who.iter().map(|s| s.to_string()).collect(),
            channel: Channel::Email,
            direction: Direction::Inbound,
            occurred_at: at(2025, 3, day, 9),
            public: None,
            text: text.into(),
            thread: None,
            tags: vec!["koha".into()],
            moment: None,
        }
    }

    fn log(store: &mut Store, who: &[&str], day: u32, text: &str) -> Interaction {
        store.save_interaction(draft(who, day, text)).unwrap()
    }

    fn rename(store: &mut Store, key: &str, name: &str) {
        let mut c = store.contact(key).unwrap();
        c.name = name.into();
        let draft = ContactDraft {
            id: Some(c.id),
            name: c.name,
            handles: c.handles,
            tags: vec!["solo".into()],
            ..ContactDraft::default()
        };
        store.save_contact(draft, at(2025, 4, 1, 9)).unwrap();
    }

    /// What another connection reads from the file now.
    fn fresh(path: &Path) -> (Network, Vec<ContactSummary>) {
        let s = Store::open_leaving_daily_backup(path, None).unwrap();
        let network = Network {
            contacts: s.all_contacts().unwrap(),
            interactions: s.all_interactions().unwrap(),
            events: s.list_events().unwrap(),
        };
        (network, s.list_contacts(&ContactFilter::default()).unwrap())
    }

    fn same_as_file(app: &Store, path: &Path, step: &str) {
        let (network, list) = fresh(path);
        assert_eq!(*app.network().unwrap(), network, "network after {step}");
        let kept = app.list_contacts(&ContactFilter::default()).unwrap();
        assert_eq!(kept, list, "contacts list after {step}");
    }

    fn reads(app: &Store) -> (u32, u32) {
        app.whole_reads()
    }

    #[test]
    fn own_edits_are_applied_to_what_is_kept_as_a_fresh_read_would_give_them() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.sqlite3");
        let mut app = Store::open_leaving_daily_backup(&path, None).unwrap();
        let ana = contact(&mut app, "Ana Lima").id;
        let ben = contact(&mut app, "ben Ortiz").id;
        let cy = contact(&mut app, "Cy Tane").id;
        for day in 1..=12 {
            log(
                &mut app,
                &[&ana, &cy],
                day,
                &format!("serials question {day}"),
            );
        }
        let solo = log(&mut app, &[&ben], 20, "cataloguing");
        same_as_file(&app, &path, "the first read");
        assert_eq!(reads(&app), (1, 1));

        // Contacts come, move in the name order and are renamed.
        let zoe = contact(&mut app, "Zoe Park").id;
        contact(&mut app, "aaron Hale");
        same_as_file(&app, &path, "new contacts");
        rename(&mut app, &ben, "Abe Ortiz");
        same_as_file(&app, &path, "a rename");

        // Interactions are logged in the middle of the history, edited (time and people) and
        // deleted, some of them before anything is read again.
        let mid = log(&mut app, &[&ana, &zoe], 5, "a new one among the old");
        same_as_file(&app, &path, "an interaction in the middle");
        let mut edit = draft(&[&cy], 28, "moved to Cy, later");
        edit.id = Some(mid.id.clone());
        app.save_interaction(edit).unwrap();
        same_as_file(&app, &path, "an edit of time and people");
        app.delete_interaction(&solo.id).unwrap();
        let twice = log(&mut app, &[&zoe, &ben], 2, "first words");
        let mut edit = draft(&[&zoe], 3, "second words");
        edit.id = Some(twice.id);
        app.save_interaction(edit).unwrap();
        same_as_file(&app, &path, "several edits at once");

        // A write that fails changes nothing.
        assert!(app.save_interaction(draft(&["nobody"], 1, "x")).is_err());
        same_as_file(&app, &path, "a refused write");

        // Events, and a rename that reorders an event's attendees.
        let mut event = EventDraft {
            id: None,
            name: "LIANZA".into(),
            kind: EventKind::Conference,
            starts_on: at(2025, 9, 1, 0).date_naive(),
            ends_on: None,
            location: String::new(),
            hashtags: vec!["lianza25".into()],
            notes: String::new(),
            attendee_ids: vec![cy.clone(), zoe.clone()],
        };
        let saved = app.save_event(event.clone()).unwrap();
        same_as_file(&app, &path, "a new event");
        rename(&mut app, &zoe, "Bea Park");
        same_as_file(&app, &path, "a rename of an attendee");
        event.id = Some(saved.id.clone());
        event.attendee_ids = vec![cy.clone()];
        app.save_event(event).unwrap();
        app.delete_event(&saved.id).unwrap();
        same_as_file(&app, &path, "an event changed and deleted");

        // Deleting a contact takes their own interactions and leaves them out of shared ones:
        // more than a few interactions at once.
        app.delete_contact(&ana).unwrap();
        same_as_file(&app, &path, "a contact deleted");
        assert_eq!(reads(&app), (1, 1), "applied, never read whole again");

        // Another connection's commit and a merge are read from the log too.
        let mut cli = Store::open_leaving_daily_backup(&path, None).unwrap();
        log(&mut cli, &[&cy], 9, "from the command line");
        rename(&mut cli, &cy, "Cyrus Tane");
        same_as_file(&app, &path, "another connection's write");
        let kept = contact(&mut app, "Kept").id;
        app.merge_contacts(&kept, &ben, at(2025, 5, 1, 9)).unwrap();
        same_as_file(&app, &path, "a merge");
        assert_eq!(reads(&app), (1, 1), "caught up, never read whole again");
    }

    #[test]
    fn another_connections_commit_is_caught_up_by_reading_the_rows_it_changed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.sqlite3");
        let mut app = Store::open_leaving_daily_backup(&path, None).unwrap();
        let people: Vec<String> = (0..40)
            .map(|n| contact(&mut app, &format!("Person {n:02}")).id)
            .collect();
        for day in 1..=25 {
            for who in people.chunks(2) {
                log(&mut app, &[&who[0], &who[1]], day, "serials");
            }
        }
        same_as_file(&app, &path, "the first read");
        assert_eq!(reads(&app), (1, 1));

        // The command line logs, edits and deletes, renames and merges.
        let mut cli = Store::open_leaving_daily_backup(&path, None).unwrap();
        let new = log(&mut cli, &[&people[3]], 7, "from the command line");
        let mut edit = draft(&[&people[4], &people[5]], 2, "moved");
        edit.id = Some(new.id.clone());
        cli.save_interaction(edit).unwrap();
        rename(&mut cli, &people[6], "Aaron First");
        cli.merge_contacts(&people[7], &people[8], at(2025, 6, 1, 9))
            .unwrap();
        cli.delete_contact(&people[9]).unwrap();
        same_as_file(&app, &path, "another connection's commits");
        assert_eq!(
            reads(&app),
            (1, 1),
            "caught up from the log, not read whole"
        );

        // An import on this connection: read from the log as well.
        let vcard = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/fixtures/import/vcard/outlook-2007.vcf");
        crate::import::import(
            &mut app,
            &vcard,
            &crate::import::ImportOptions::default(),
            at(2025, 6, 2, 9),
            &mut |_| true,
        )
        .unwrap();
        same_as_file(&app, &path, "an import");
        assert_eq!(reads(&app), (1, 1));
    }

    #[test]
    fn a_copy_the_trimmed_log_no_longer_reaches_is_read_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.sqlite3");
        let mut app = Store::open_leaving_daily_backup(&path, None).unwrap();
        let ana = contact(&mut app, "Ana Lima").id;
        log(&mut app, &[&ana], 1, "first");
        same_as_file(&app, &path, "the first read");
        // Far more entries than the log keeps, in one transaction from another connection.
        let cli = Store::open_leaving_daily_backup(&path, None).unwrap();
        cli.connection()
            .execute_batch(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 12000)
                 INSERT INTO change_log (kind, row_id) SELECT 2, i FROM n;
                 UPDATE contacts SET name = 'Ana Lima-Rua';",
            )
            .unwrap();
        let (first, entries): (i64, i64) = cli
            .connection()
            .query_row("SELECT min(seq), count(*) FROM change_log", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert!(
            first > 3 && entries <= 11_024,
            "trimmed: {first}, {entries}"
        );
        same_as_file(&app, &path, "a write the log no longer reaches back to");
        assert_eq!(reads(&app), (2, 2));
    }
}
