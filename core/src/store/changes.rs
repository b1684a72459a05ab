//! What this connection's own writes changed, so that what the store keeps in memory (the
//! contacts list and the loaded network) can be brought up to date by reading only those rows
//! instead of everything.
//!
//! The kept copies are valid while [`Store::file_version`] holds. A write through a method that
//! says what it changed (a contact saved or deleted, an interaction logged, edited or deleted,
//! an event saved or deleted) is counted apart, like the quiet writes of decisions and
//! settings, and what it changed is added to each kept copy's list of rows to read again.
//! Anything else (an import, a merge, another program's commit, a write that failed half-way)
//! leaves the count where it was, so the version moves and the copy is read whole, as before.

use super::Store;
use std::collections::{BTreeSet, HashMap};

/// Rows changed by this connection since a kept copy was brought up to date, by row id.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Changed {
    /// Contacts added, edited or deleted (their fields, handles or roles).
    pub contacts: BTreeSet<i64>,
    /// Contacts whose interactions changed: their count and latest interaction.
    pub participants: BTreeSet<i64>,
    /// Interactions added, edited (participants included) or deleted.
    pub interactions: BTreeSet<i64>,
    /// Whether any event or who attends one changed.
    pub events: bool,
}

impl Changed {
    /// Events or attendance changed, nothing else.
    pub fn events() -> Changed {
        Changed {
            events: true,
            ..Changed::default()
        }
    }

    pub fn is_empty(&self) -> bool {
        *self == Changed::default()
    }

    fn add(&mut self, other: &Changed) {
        self.contacts.extend(&other.contacts);
        self.participants.extend(&other.participants);
        self.interactions.extend(&other.interactions);
        self.events |= other.events;
    }

    /// How many rows would have to be read again.
    pub fn len(&self) -> usize {
        self.contacts.len() + self.participants.len() + self.interactions.len()
    }
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

/// The rows changed since each kept copy was last brought up to date.
#[derive(Debug, Default)]
pub(crate) struct Pending {
    pub list: Changed,
    pub network: Changed,
    /// How many times the contacts list and the network were read whole.
    pub list_reads: u32,
    pub network_reads: u32,
}

impl Store {
    /// Where the file stands for what is kept in memory: [`Store::file_version`] less this
    /// connection's changes that need no reading again (decisions and settings) or whose rows
    /// are listed in [`Pending`].
    pub(crate) fn kept_version(&self) -> crate::error::Result<(i64, u64)> {
        let (data, changes) = self.file_version()?;
        Ok((
            data,
            changes - self.quiet_changes.get() - self.listed_changes.get(),
        ))
    }

    /// How many times the contacts list and the network were read whole, for tests that
    /// check an edit was applied row by row.
    #[cfg(test)]
    pub(crate) fn whole_reads(&self) -> (u32, u32) {
        let p = self.pending.borrow();
        (p.list_reads, p.network_reads)
    }

    /// Records that every change this connection made since `before` (its `total_changes`
    /// then) was to suggestion decisions or settings, so what is kept stays valid.
    pub(crate) fn changed_quietly(&self, before: u64) {
        let made = self.conn.total_changes().saturating_sub(before);
        self.quiet_changes.set(self.quiet_changes.get() + made);
    }

    /// Records that every change this connection made since `before` (its `total_changes`
    /// then) is described by `what`, which was committed.
    pub(crate) fn changed_rows(&self, before: u64, what: Changed) {
        let made = self.conn.total_changes().saturating_sub(before);
        self.listed_changes.set(self.listed_changes.get() + made);
        let mut pending = self.pending.borrow_mut();
        pending.list.add(&what);
        pending.network.add(&what);
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
        let p = app.pending.borrow();
        (p.list_reads, p.network_reads)
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

        // Another connection's commit, an import or a merge is read whole.
        let mut cli = Store::open_leaving_daily_backup(&path, None).unwrap();
        log(&mut cli, &[&cy], 9, "from the command line");
        same_as_file(&app, &path, "another connection's write");
        assert_eq!(reads(&app), (2, 2));
        let kept = contact(&mut app, "Kept").id;
        app.merge_contacts(&kept, &ben, at(2025, 5, 1, 9)).unwrap();
        same_as_file(&app, &path, "a merge");
        assert_eq!(reads(&app), (3, 3));
    }
}
