//! An event's attendees: matching a pasted or imported list against the network, and adding
//! the people found.

use super::Store;
use crate::attendee_match::{match_attendees, parse_attendee_list, AttendeeMatch, AttendeesAdded};
use crate::domain::EventDraft;
use crate::error::Result;

impl Store {
    /// Parses an attendee list and matches it against the whole network.
    pub fn match_attendee_list(&self, text: &str) -> Result<Vec<AttendeeMatch>> {
        let contacts = self.all_contacts()?;
        Ok(match_attendees(&contacts, &parse_attendee_list(text)))
    }

    /// Adds contacts to an event's attendees, keeping those already there. Every contact must
    /// exist; otherwise nothing changes.
    pub fn add_attendees(
        &mut self,
        event_id: &str,
        contact_ids: &[String],
    ) -> Result<AttendeesAdded> {
        let event = self.event(event_id)?;
        let mut draft = EventDraft::from(event);
        let mut added = Vec::new();
        let mut already = Vec::new();
        for id in contact_ids {
            // Resolves merged contacts' old ids to the contact they became.
            let contact = self.contact(id)?;
            if draft.attendee_ids.contains(&contact.id) {
                if !already.contains(&contact.id) {
                    already.push(contact.id);
                }
            } else {
                draft.attendee_ids.push(contact.id.clone());
                added.push(contact.id);
            }
        }
        let event = if added.is_empty() {
            self.event(event_id)?
        } else {
            self.save_event(draft)?
        };
        Ok(AttendeesAdded {
            event,
            added,
            already,
        })
    }

    /// Adds the certain matches (email, handle, exact name) of a matched list to an event.
    pub fn add_matched_attendees(
        &mut self,
        event_id: &str,
        matches: &[AttendeeMatch],
    ) -> Result<AttendeesAdded> {
        let ids: Vec<String> = matches
            .iter()
            .filter(|m| m.how.is_certain())
            .filter_map(|m| m.contact_id.clone())
            .collect();
        self.add_attendees(event_id, &ids)
    }
}
