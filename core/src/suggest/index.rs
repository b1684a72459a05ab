//! The per-contact index the rules read: every contact's interactions, sorted once by time,
//! in a compact form; the interactions of each thread; the events each contact attends.
//!
//! Build it once from the slices (`SuggestIndex::new`), keep it, and after logging a new
//! interaction `insert` it: recomputing one contact then only reads that contact's entries.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};

use crate::{Channel, Contact, Direction, Event, Interaction};

/// One interaction as one contact sees it: what the rules need without touching the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Entry {
    /// Milliseconds since the Unix epoch.
    pub at: i64,
    /// Position in `SuggestIndex::interactions`.
    pub idx: u32,
    pub channel: Channel,
    pub direction: Direction,
    pub public: bool,
    /// The interaction names this contact alone (not a group message).
    pub solo: bool,
}

impl Entry {
    /// The user wrote (or took part in) it.
    pub fn by_user(&self) -> bool {
        matches!(self.direction, Direction::Outbound | Direction::Mutual)
    }
    /// The contact wrote (or took part in) it.
    pub fn by_contact(&self) -> bool {
        matches!(self.direction, Direction::Inbound | Direction::Mutual)
    }
}

/// Everything the suggestion rules need, indexed by contact. Borrows the records it was built
/// from.
#[derive(Debug)]
pub struct SuggestIndex<'a> {
    pub(crate) contacts: Vec<&'a Contact>,
    pub(crate) contact_pos: HashMap<&'a str, u32>,
    pub(crate) interactions: Vec<&'a Interaction>,
    /// Per contact (same order as `contacts`), sorted by time then interaction id.
    pub(crate) entries: Vec<Vec<Entry>>,
    /// Thread key → positions in `interactions`, in insertion order.
    pub(crate) threads: HashMap<&'a str, Vec<u32>>,
    pub(crate) events: &'a [Event],
    /// Per contact, positions in `events` of the events they attend.
    pub(crate) events_of: Vec<Vec<u32>>,
}

impl<'a> SuggestIndex<'a> {
    /// Indexes the whole network.
    pub fn new(
        contacts: &'a [Contact],
        interactions: &'a [Interaction],
        events: &'a [Event],
    ) -> SuggestIndex<'a> {
        let mut index = SuggestIndex::empty(contacts.iter(), events, interactions.len());
        for interaction in interactions {
            index.push(interaction);
        }
        index.sort_all();
        index
    }

    /// Indexes one contact only: their interactions and the threads they took part in. This
    /// reads every interaction but hashes and sorts only what concerns the contact; for
    /// repeated use keep a full index instead.
    pub fn only_contact(
        contact_id: &str,
        contacts: &'a [Contact],
        interactions: &'a [Interaction],
        events: &'a [Event],
    ) -> SuggestIndex<'a> {
        let mut index = SuggestIndex::empty(
            contacts.iter().filter(|c| c.id == contact_id).take(1),
            events,
            0,
        );
        let names = |i: &Interaction| i.contact_ids.iter().any(|c| c == contact_id);
        let threads: HashSet<&'a str> = interactions
            .iter()
            .filter(|i| names(i))
            .filter_map(|i| i.thread.as_deref())
            .collect();
        for interaction in interactions {
            let mine = names(interaction);
            let thread = interaction
                .thread
                .as_deref()
                .filter(|t| threads.contains(t));
            if !mine && thread.is_none() {
                continue;
            }
            index.interactions.push(interaction);
            let idx = (index.interactions.len() - 1) as u32;
            if mine {
                index.push_contact_entries(interaction, idx);
            }
            if let Some(t) = thread {
                index.threads.entry(t).or_default().push(idx);
            }
        }
        index.sort_all();
        index
    }

    fn empty(
        contacts: impl Iterator<Item = &'a Contact>,
        events: &'a [Event],
        capacity: usize,
    ) -> SuggestIndex<'a> {
        let contacts: Vec<&'a Contact> = contacts.collect();
        let mut contact_pos = HashMap::with_capacity(contacts.len());
        for (pos, c) in contacts.iter().enumerate() {
            // The first contact with an id wins; duplicates are a data error, not a reason to
            // suggest twice.
            contact_pos.entry(c.id.as_str()).or_insert(pos as u32);
        }
        let mut events_of = vec![Vec::new(); contacts.len()];
        for (e, event) in events.iter().enumerate() {
            for attendee in &event.attendee_ids {
                if let Some(&pos) = contact_pos.get(attendee.as_str()) {
                    let list: &mut Vec<u32> = &mut events_of[pos as usize];
                    if !list.contains(&(e as u32)) {
                        list.push(e as u32);
                    }
                }
            }
        }
        SuggestIndex {
            entries: vec![Vec::new(); contacts.len()],
            contacts,
            contact_pos,
            interactions: Vec::with_capacity(capacity),
            threads: HashMap::new(),
            events,
            events_of,
        }
    }

    /// Adds an interaction to the per-contact lists and the thread list, unsorted.
    fn push(&mut self, interaction: &'a Interaction) {
        self.interactions.push(interaction);
        let idx = (self.interactions.len() - 1) as u32;
        self.push_contact_entries(interaction, idx);
        if let Some(t) = interaction.thread.as_deref() {
            self.threads.entry(t).or_default().push(idx);
        }
    }

    fn push_contact_entries(&mut self, interaction: &'a Interaction, idx: u32) {
        let solo = interaction
            .contact_ids
            .iter()
            .all(|c| *c == interaction.contact_ids[0]);
        let at = interaction.occurred_at.timestamp_millis();
        for cid in &interaction.contact_ids {
            let Some(&pos) = self.contact_pos.get(cid.as_str()) else {
                continue;
            };
            let list = &mut self.entries[pos as usize];
            if list.last().is_some_and(|e| e.idx == idx) {
                continue; // the same contact listed twice
            }
            list.push(Entry {
                at,
                idx,
                channel: interaction.channel,
                direction: interaction.direction,
                public: interaction.public,
                solo,
            });
        }
    }

    fn sort_all(&mut self) {
        let interactions = &self.interactions;
        for list in &mut self.entries {
            list.sort_unstable_by(|a, b| {
                a.at.cmp(&b.at)
                    .then_with(|| {
                        interactions[a.idx as usize]
                            .id
                            .cmp(&interactions[b.idx as usize].id)
                    })
                    .then(a.idx.cmp(&b.idx))
            });
        }
    }

    /// Adds a newly logged interaction, keeping every list sorted. Cost: proportional to the
    /// interactions of the contacts it names.
    pub fn insert(&mut self, interaction: &'a Interaction) {
        self.interactions.push(interaction);
        let idx = (self.interactions.len() - 1) as u32;
        let at = interaction.occurred_at.timestamp_millis();
        let solo = interaction
            .contact_ids
            .iter()
            .all(|c| *c == interaction.contact_ids[0]);
        let mut seen: Vec<u32> = Vec::new();
        for cid in &interaction.contact_ids {
            let Some(&pos) = self.contact_pos.get(cid.as_str()) else {
                continue;
            };
            if seen.contains(&pos) {
                continue;
            }
            seen.push(pos);
            let interactions = &self.interactions;
            let list = &mut self.entries[pos as usize];
            let at_pos = list.partition_point(|e| {
                e.at < at || (e.at == at && interactions[e.idx as usize].id <= interaction.id)
            });
            list.insert(
                at_pos,
                Entry {
                    at,
                    idx,
                    channel: interaction.channel,
                    direction: interaction.direction,
                    public: interaction.public,
                    solo,
                },
            );
        }
        if let Some(t) = interaction.thread.as_deref() {
            self.threads.entry(t).or_default().push(idx);
        }
    }

    /// The contacts this index knows, in the order given.
    pub fn contacts(&self) -> &[&'a Contact] {
        &self.contacts
    }

    pub(crate) fn position(&self, contact_id: &str) -> Option<usize> {
        self.contact_pos.get(contact_id).map(|&p| p as usize)
    }

    /// The contact's entries up to and including `now`.
    pub(crate) fn entries_until(&self, pos: usize, now: DateTime<Utc>) -> &[Entry] {
        let list = &self.entries[pos];
        let now_ms = now.timestamp_millis();
        &list[..list.partition_point(|e| e.at <= now_ms)]
    }

    pub(crate) fn interaction(&self, idx: u32) -> &'a Interaction {
        self.interactions[idx as usize]
    }

    /// Distinct people in a thread up to `now`, the user aside.
    pub(crate) fn thread_participants(&self, thread: &str, now_ms: i64) -> Vec<&'a str> {
        let mut people: Vec<&'a str> = Vec::new();
        for &idx in self.threads.get(thread).map(Vec::as_slice).unwrap_or(&[]) {
            let i = self.interactions[idx as usize];
            if i.occurred_at.timestamp_millis() > now_ms {
                continue;
            }
            for c in &i.contact_ids {
                if !people.contains(&c.as_str()) {
                    people.push(c.as_str());
                }
            }
        }
        people
    }
}
