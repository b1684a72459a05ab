//! The whole network in memory, for the work that reads all of it (suggestions, keeping in
//! touch, briefings). Loading 250,000 interactions costs several times more than computing
//! suggestions from them, so what was loaded is kept: every change to the file since, whoever
//! made it, is applied to it by reading just the changed rows the change log names (see
//! [`super::changes`]); it is read whole again only when more changed than that is worth.

use super::changes::{in_order, Changed, Since};
use super::contacts::{contact_at_row, contact_order, contacts_with_rows};
use super::interactions::{interaction_at_row, interactions_with_rows};
use super::Store;
use crate::domain::{Contact, Event, Interaction};
use crate::error::Result;
use std::collections::HashMap;
use std::sync::Arc;

/// Every contact (in name order), interaction (oldest first) and event.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Network {
    pub contacts: Vec<Contact>,
    pub interactions: Vec<Interaction>,
    pub events: Vec<Event>,
}

/// A loaded network, the state of the file it was read from, and where each record is stored.
#[derive(Debug)]
pub(crate) struct KeptNetwork {
    since: Since,
    network: Arc<Network>,
    /// The row id of each of `network.contacts`.
    contact_rows: Vec<i64>,
    /// The (time, row id) of each of `network.interactions`, the order they are kept in.
    interaction_rows: Vec<(i64, i64)>,
}

/// Past this many changed rows, reading the network again is about as cheap as applying them.
const MOST_PATCHED_ROWS: usize = 5_000;

/// Up to this many changed interactions are moved one by one; more are merged in one pass.
const FEW_INTERACTIONS: usize = 8;

impl Store {
    /// The whole network: read from the file the first time, and brought up to date after
    /// each change since (see the module's comment). The records are the same as a fresh read
    /// would give, in the same order.
    pub fn network(&self) -> Result<Arc<Network>> {
        let snapshot = self.snapshot()?;
        let mut kept = self.network.borrow_mut();
        let (now, changed) = self.catch_up(&snapshot, kept.as_ref().map(|k| k.since))?;
        if let (Some(k), Some(changed)) = (kept.as_mut(), changed) {
            if changed.is_empty() {
                k.since = now;
                return Ok(Arc::clone(&k.network));
            }
            if changed.len() <= MOST_PATCHED_ROWS {
                match self.apply(k, &changed) {
                    Ok(true) => {
                        k.since = now;
                        return Ok(Arc::clone(&k.network));
                    }
                    Ok(false) => {}
                    Err(e) => {
                        // The changes are not applied: never hand out this copy again.
                        *kept = None;
                        return Err(e);
                    }
                }
            }
        }
        // Drop the old copy before reading the new one, so two are never held at once.
        *kept = None;
        let reads = &self.whole_reads.network;
        reads.set(reads.get() + 1);
        let (contact_rows, contacts) = contacts_with_rows(&self.conn)?.into_iter().unzip();
        let (interaction_rows, interactions) = interactions_with_rows(&self.conn)?;
        let network = Arc::new(Network {
            contacts,
            interactions,
            events: self.list_events()?,
        });
        *kept = Some(KeptNetwork {
            since: now,
            network: Arc::clone(&network),
            contact_rows,
            interaction_rows,
        });
        Ok(network)
    }

    /// Applies the logged changes to the kept network by reading the changed rows.
    /// Returns `false` (with `kept` possibly half changed, for the caller to drop) when what
    /// was read does not fit what is kept, which a change by other means would explain.
    fn apply(&self, kept: &mut KeptNetwork, changed: &Changed) -> Result<bool> {
        // Read everything first: an error leaves the kept network as it was.
        let contacts = changed
            .contacts
            .iter()
            .map(|&id| Ok((id, contact_at_row(&self.conn, id)?)))
            .collect::<Result<HashMap<i64, Option<Contact>>>>()?;
        let order = match changed.contacts.is_empty() {
            true => None,
            false => Some(contact_order(&self.conn)?),
        };
        let mut interactions = Vec::new();
        for &id in &changed.interactions {
            interactions.extend(interaction_at_row(&self.conn, id)?);
        }
        interactions.sort_unstable_by_key(|(row, _)| *row);
        let events = match changed.events {
            true => Some(self.list_events()?),
            false => None,
        };

        // Cloned only if a caller still holds the previous copy.
        let network = Arc::make_mut(&mut kept.network);
        if let Some(order) = order {
            let had = kept
                .contact_rows
                .drain(..)
                .zip(network.contacts.drain(..))
                .collect();
            match in_order(&order, contacts, had) {
                Some(ordered) => network.contacts = ordered,
                None => return Ok(false),
            }
            kept.contact_rows = order;
        }
        place_interactions(
            &mut network.interactions,
            &mut kept.interaction_rows,
            &changed.interactions,
            interactions,
        );
        if let Some(events) = events {
            network.events = events;
        }
        Ok(true)
    }
}

/// Takes the interactions at the row ids in `changed` out of `list` (kept in the order of
/// `rows`, their (time, row id)) and puts `fresh` (those still stored, sorted) in their places.
fn place_interactions(
    list: &mut Vec<Interaction>,
    rows: &mut Vec<(i64, i64)>,
    changed: &std::collections::BTreeSet<i64>,
    fresh: Vec<((i64, i64), Interaction)>,
) {
    if changed.is_empty() {
        return;
    }
    if changed.len() <= FEW_INTERACTIONS {
        // Most edits are one interaction: move it alone. A new one goes near the end.
        for &id in changed {
            if let Some(at) = rows.iter().rposition(|&(_, r)| r == id) {
                rows.remove(at);
                list.remove(at);
            }
        }
        for (row, interaction) in fresh {
            let at = rows.partition_point(|r| *r < row);
            rows.insert(at, row);
            list.insert(at, interaction);
        }
        return;
    }
    let old_rows = std::mem::take(rows);
    let old = std::mem::take(list);
    rows.reserve(old_rows.len() + fresh.len());
    list.reserve(old_rows.len() + fresh.len());
    let mut fresh = fresh.into_iter().peekable();
    for (row, interaction) in old_rows.into_iter().zip(old) {
        if changed.contains(&row.1) {
            continue;
        }
        while let Some((new_row, new)) = fresh.next_if(|(r, _)| *r < row) {
            rows.push(new_row);
            list.push(new);
        }
        rows.push(row);
        list.push(interaction);
    }
    for (row, interaction) in fresh {
        rows.push(row);
        list.push(interaction);
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
