//! After the event: "met at this event" for several people at once.

use super::{new_key, Records, Store};
use crate::domain::*;
use crate::error::{Error, Result};
use chrono::{DateTime, Utc};

impl Store {
    /// Logs an in-person, mutual, private interaction with each contact in `entries`, with its
    /// note as the text, tagged with the event's first hashtag (or its name when it has none),
    /// and adds each of them to the event's attendees. All of it is one transaction: when a
    /// contact is unknown, nothing is written. Returns the interactions, in `entries`' order.
    pub fn log_met_at_event(
        &mut self,
        event_id: &str,
        entries: &[(String, String)],
        when: DateTime<Utc>,
    ) -> Result<Vec<Interaction>> {
        if entries.is_empty() {
            return Err(Error::invalid("name at least one person you met"));
        }
        let mut event = self.event(event_id)?;
        let tag = event
            .hashtags
            .iter()
            .map(|h| h.trim().trim_start_matches('#'))
            .find(|h| !h.is_empty())
            .map(|h| format!("#{h}"))
            .unwrap_or_else(|| event.name.trim().to_string());
        let mut interactions = Vec::with_capacity(entries.len());
        for (contact_id, note) in entries {
            // The stored key, also when `contact_id` is an id the contact had before a merge.
            let contact = self.contact(contact_id)?;
            if !event.attendee_ids.contains(&contact.id) {
                event.attendee_ids.push(contact.id.clone());
            }
            interactions.push(Interaction {
                id: new_key(),
                contact_ids: vec![contact.id],
                channel: Channel::InPerson,
                direction: Direction::Mutual,
                occurred_at: when,
                public: false,
                text: note.trim().to_string(),
                thread: None,
                tags: vec![tag.clone()],
                moment: None,
            });
        }
        let keys: Vec<String> = interactions.iter().map(|i| i.id.clone()).collect();
        self.import_records(
            Records {
                contacts: Vec::new(),
                interactions,
                events: vec![event],
            },
            "met at event",
            when,
        )?;
        keys.iter().map(|k| self.interaction(k)).collect()
    }
}
