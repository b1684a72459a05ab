//! The whole network in memory, for the work that reads all of it (suggestions, keeping in
//! touch, briefings). Loading 250,000 interactions costs several times more than computing
//! suggestions from them, so what was loaded is kept until the network changes: until this
//! connection writes a contact, interaction or event, or another connection commits.

use super::Store;
use crate::domain::{Contact, Event, Interaction};
use crate::error::Result;
use std::sync::Arc;

/// Every contact (in name order), interaction (oldest first) and event.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Network {
    pub contacts: Vec<Contact>,
    pub interactions: Vec<Interaction>,
    pub events: Vec<Event>,
}

/// A loaded network and the state of the file it was read from.
#[derive(Debug)]
pub(crate) struct KeptNetwork {
    version: (i64, u64),
    network: Arc<Network>,
}

impl Store {
    /// The whole network: read from the file the first time, and again only after it
    /// changed (see [`Store::file_version`]; writes of suggestion decisions and settings do
    /// not count, as they change none of it).
    pub fn network(&self) -> Result<Arc<Network>> {
        let version = self.network_version()?;
        if let Some(kept) = &*self.network.borrow() {
            if kept.version == version {
                return Ok(Arc::clone(&kept.network));
            }
        }
        // Drop the old copy before reading the new one, so two are never held at once.
        *self.network.borrow_mut() = None;
        let network = Arc::new(Network {
            contacts: self.all_contacts()?,
            interactions: self.all_interactions()?,
            events: self.list_events()?,
        });
        *self.network.borrow_mut() = Some(KeptNetwork {
            version,
            network: Arc::clone(&network),
        });
        Ok(network)
    }

    /// [`Store::file_version`] less this connection's writes that leave contacts,
    /// interactions and events as they were.
    fn network_version(&self) -> Result<(i64, u64)> {
        let (data, changes) = self.file_version()?;
        Ok((data, changes - self.quiet_changes.get()))
    }

    /// Records that every change this connection made since `before` (its `total_changes`
    /// then) was to suggestion decisions or settings, so the kept network stays valid.
    pub(crate) fn changed_quietly(&self, before: u64) {
        let made = self.conn.total_changes().saturating_sub(before);
        self.quiet_changes.set(self.quiet_changes.get() + made);
    }
}

#[cfg(test)]
mod tests {
    use crate::store::tests::{at, contact};
    use crate::suggest::{StateKind, SuggestionState};
    use crate::{Channel, Direction, InteractionDraft, Store};
    use std::sync::Arc;

    fn log(store: &mut Store, who: &str, text: &str) {
        store
            .save_interaction(InteractionDraft {
                id: None,
                contact_ids: vec![who.to_string()],
                channel: Channel::Email,
                direction: Direction::Inbound,
                occurred_at: at(2025, 5, 1, 9),
                public: None,
                text: text.into(),
                thread: None,
                tags: vec![],
                moment: None,
            })
            .unwrap();
    }

    #[test]
    fn the_kept_network_follows_every_change_but_decisions_and_settings() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.sqlite3");
        let mut app = Store::open(&path).unwrap();
        let ana = contact(&mut app, "Ana Lima");
        log(&mut app, &ana.id, "first");
        let first = app.network().unwrap();
        assert_eq!(first.interactions.len(), 1);
        assert!(Arc::ptr_eq(&first, &app.network().unwrap()), "kept");

        // Decisions and settings leave it as it was.
        app.set_suggestion_state(
            &SuggestionState {
                suggestion_id: "s1".into(),
                state: StateKind::Dismissed,
                until: None,
            },
            "",
            at(2025, 5, 2, 9),
        )
        .unwrap();
        app.set_setting("theme", &"dark").unwrap();
        assert!(Arc::ptr_eq(&first, &app.network().unwrap()));

        // This connection's writes and another connection's commits are seen.
        log(&mut app, &ana.id, "second");
        assert_eq!(app.network().unwrap().interactions.len(), 2);
        let mut cli = Store::open(&path).unwrap();
        log(&mut cli, &ana.id, "third");
        let seen = app.network().unwrap();
        assert_eq!(seen.interactions.len(), 3);
        cli.delete_contact(&ana.id).unwrap();
        assert!(app.network().unwrap().contacts.is_empty());
        assert_eq!(*app.network().unwrap(), {
            let fresh = Store::open(&path).unwrap();
            crate::store::Network {
                contacts: fresh.all_contacts().unwrap(),
                interactions: fresh.all_interactions().unwrap(),
                events: fresh.list_events().unwrap(),
            }
        });
        let _ = seen;
    }
}
