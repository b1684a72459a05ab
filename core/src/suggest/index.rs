//! The per-contact index the rules read: every contact's interactions, sorted once by time,
//! in a compact form; the interactions of each thread; the events each contact attends.
//!
//! Build it once from the slices (`SuggestIndex::new`), keep it, and after logging a new
//! interaction `insert` it: recomputing one contact then only reads that contact's entries.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hash, Hasher};

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

/// A fast, non-cryptographic string hasher (the multiply-rotate scheme of rustc's FxHash).
/// The index only hashes ids and thread keys from the user's own store, so resistance to
/// crafted collisions is not needed, and speed is: building the index hashes every
/// interaction's contacts and thread.
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher(u64);

const FX_SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let word = u64::from_le_bytes(c.try_into().unwrap_or_default());
            self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(FX_SEED);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(FX_SEED);
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.0 = (self.0.rotate_left(5) ^ u64::from(i)).wrapping_mul(FX_SEED);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

fn thread_hash(thread: &str) -> u64 {
    let mut h = FxHasher::default();
    thread.hash(&mut h);
    h.finish()
}

/// Runs `work` over consecutive chunks of `interactions` (with the position of each chunk's
/// first interaction), on several threads when there are many, and returns the results in
/// order.
pub(crate) fn in_chunks<'i, T: Send>(
    interactions: &'i [Interaction],
    work: impl Fn(&'i [Interaction], usize) -> T + Sync,
) -> Vec<T> {
    let workers = if interactions.len() < 20_000 {
        1
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get().min(8))
    };
    if workers == 1 {
        return vec![work(interactions, 0)];
    }
    let chunk = interactions.len().div_ceil(workers).max(1);
    let work = &work;
    std::thread::scope(|scope| {
        let handles: Vec<_> = interactions
            .chunks(chunk)
            .enumerate()
            .map(|(k, part)| scope.spawn(move || work(part, k * chunk)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

/// Everything the suggestion rules need, indexed by contact. Borrows the records it was built
/// from.
#[derive(Debug)]
pub struct SuggestIndex<'a> {
    pub(crate) contacts: Vec<&'a Contact>,
    contact_pos: FxMap<&'a str, u32>,
    pub(crate) interactions: Vec<&'a Interaction>,
    /// Per contact (same order as `contacts`), sorted by time then interaction id.
    pub(crate) entries: Vec<Vec<Entry>>,
    /// (hash of the thread key, position in `interactions`), sorted: every interaction that
    /// belongs to a thread. A flat sorted list costs one allocation where a map of lists
    /// would cost one per thread.
    thread_refs: Vec<(u64, u32)>,
    /// The same for interactions inserted after the build, unsorted.
    thread_extra: Vec<(u64, u32)>,
    pub(crate) events: &'a [Event],
    /// Per contact, positions in `events` of the events they attend.
    pub(crate) events_of: Vec<Vec<u32>>,
}

/// Per-contact entries and thread references for a run of interactions.
type Part = (Vec<Vec<Entry>>, Vec<(u64, u32)>);

impl<'a> SuggestIndex<'a> {
    /// Indexes the whole network. Large networks are indexed on several threads.
    pub fn new(
        contacts: &'a [Contact],
        interactions: &'a [Interaction],
        events: &'a [Event],
    ) -> SuggestIndex<'a> {
        let mut index = SuggestIndex::empty(contacts.iter(), events, interactions.len());
        index.interactions.extend(interactions.iter());
        let this = &index;
        let parts = in_chunks(interactions, |part, base| this.part(part, base));
        index.merge(parts);
        index
    }

    /// Entries and thread references of `part`, whose first interaction is at `base`.
    fn part(&self, part: &'a [Interaction], base: usize) -> Part {
        let mut entries: Vec<Vec<Entry>> = vec![Vec::new(); self.contacts.len()];
        let mut threads = Vec::new();
        for (k, interaction) in part.iter().enumerate() {
            let idx = (base + k) as u32;
            Self::entries_of(&self.contact_pos, interaction, idx, |pos, e| {
                entries[pos].push(e)
            });
            if let Some(t) = interaction.thread.as_deref() {
                threads.push((thread_hash(t), idx));
            }
        }
        (entries, threads)
    }

    fn merge(&mut self, parts: Vec<Part>) {
        let mut parts = parts.into_iter();
        if let Some((entries, threads)) = parts.next() {
            self.entries = entries;
            self.thread_refs = threads;
        }
        for (entries, threads) in parts {
            for (mine, more) in self.entries.iter_mut().zip(entries) {
                mine.extend(more);
            }
            self.thread_refs.extend(threads);
        }
        self.thread_refs.sort_unstable();
        self.sort_all();
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
        SuggestIndex::only_contacts(&[contact_id], contacts, interactions, events)
    }

    /// Indexes the contacts with the given ids only (a briefing's attendees): their
    /// interactions, and every interaction of the threads they took part in, which is all the
    /// rules read about other people. For each of these contacts,
    /// [`for_contact`](Self::for_contact) gives exactly what it gives on an index of the whole
    /// network. Every interaction is read, but only those that concern the contacts are kept,
    /// hashed and sorted, so this costs a fraction of [`new`](Self::new) when the contacts are
    /// a small part of the network. Ids no contact has are ignored.
    pub fn only_contacts<S: AsRef<str>>(
        contact_ids: &[S],
        contacts: &'a [Contact],
        interactions: &'a [Interaction],
        events: &'a [Event],
    ) -> SuggestIndex<'a> {
        let mut wanted: HashSet<&str, BuildHasherDefault<FxHasher>> =
            contact_ids.iter().map(AsRef::as_ref).collect();
        // The first contact with an id, as in `new`.
        let chosen = contacts.iter().filter(|c| wanted.remove(c.id.as_str()));
        let mut index = SuggestIndex::empty(chosen, events, 0);
        if index.contacts.is_empty() {
            return index;
        }
        // First pass: which interactions name one of the contacts, and their threads.
        type Threads<'t> = HashSet<&'t str, BuildHasherDefault<FxHasher>>;
        let pos = &index.contact_pos;
        let marked = in_chunks(interactions, |part, _| {
            let mut threads = Threads::default();
            let mine: Vec<bool> = part
                .iter()
                .map(|i| {
                    let mine = i.contact_ids.iter().any(|c| pos.contains_key(c.as_str()));
                    if let (true, Some(t)) = (mine, i.thread.as_deref()) {
                        threads.insert(t);
                    }
                    mine
                })
                .collect();
            (mine, threads)
        });
        let mut threads = Threads::default();
        let mut mine = Vec::with_capacity(interactions.len());
        for (m, t) in marked {
            mine.extend(m);
            threads.extend(t);
        }
        // Second pass: those interactions and every other one in their threads, with the
        // hash of their thread, kept in the slice's order (as `new` indexes them).
        let (threads, mine) = (&threads, &mine);
        let kept = in_chunks(interactions, |part, base| {
            let mut kept: Vec<(u32, Option<u64>)> = Vec::new();
            for (k, i) in part.iter().enumerate() {
                let mine = mine[base + k];
                let thread = match i.thread.as_deref() {
                    Some(t) if mine || (!threads.is_empty() && threads.contains(t)) => {
                        Some(thread_hash(t))
                    }
                    _ => None,
                };
                if mine || thread.is_some() {
                    kept.push(((base + k) as u32, thread));
                }
            }
            kept
        });
        for (k, thread) in kept.into_iter().flatten() {
            let interaction = &interactions[k as usize];
            index.interactions.push(interaction);
            let idx = (index.interactions.len() - 1) as u32;
            if mine[k as usize] {
                let entries = &mut index.entries;
                Self::entries_of(&index.contact_pos, interaction, idx, |p, e| {
                    entries[p].push(e)
                });
            }
            if let Some(h) = thread {
                index.thread_refs.push((h, idx));
            }
        }
        index.thread_refs.sort_unstable();
        index.sort_all();
        index
    }

    fn empty(
        contacts: impl Iterator<Item = &'a Contact>,
        events: &'a [Event],
        capacity: usize,
    ) -> SuggestIndex<'a> {
        let contacts: Vec<&'a Contact> = contacts.collect();
        let mut contact_pos = FxMap::default();
        contact_pos.reserve(contacts.len());
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
            thread_refs: Vec::new(),
            thread_extra: Vec::new(),
            events,
            events_of,
        }
    }

    /// Calls `add` with (contact position, entry) for each known contact `interaction` names,
    /// each once.
    fn entries_of(
        contact_pos: &FxMap<&str, u32>,
        interaction: &Interaction,
        idx: u32,
        mut add: impl FnMut(usize, Entry),
    ) {
        // A contact's blog post is not an exchange with the user: no rule weighs it.
        if interaction.is_wrote() {
            return;
        }
        let ids = &interaction.contact_ids;
        let solo = ids.len() <= 1 || ids.iter().all(|c| *c == ids[0]);
        let at = interaction.occurred_at.timestamp_millis();
        for (k, cid) in ids.iter().enumerate() {
            if ids[..k].contains(cid) {
                continue; // the same contact listed twice
            }
            let Some(&pos) = contact_pos.get(cid.as_str()) else {
                continue;
            };
            add(
                pos as usize,
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
        let mut new: Vec<(usize, Entry)> = Vec::new();
        Self::entries_of(&self.contact_pos, interaction, idx, |pos, e| {
            new.push((pos, e))
        });
        for (pos, entry) in new {
            let interactions = &self.interactions;
            let list = &mut self.entries[pos];
            let at = list.partition_point(|e| {
                e.at < entry.at
                    || (e.at == entry.at && interactions[e.idx as usize].id <= interaction.id)
            });
            list.insert(at, entry);
        }
        if let Some(t) = interaction.thread.as_deref() {
            self.thread_extra.push((thread_hash(t), idx));
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
        let h = thread_hash(thread);
        let from = self.thread_refs.partition_point(|r| r.0 < h);
        let to = self.thread_refs.partition_point(|r| r.0 <= h);
        let extra = self.thread_extra.iter().filter(|r| r.0 == h);
        let mut people: Vec<&'a str> = Vec::new();
        for &(_, idx) in self.thread_refs[from..to].iter().chain(extra) {
            let i = self.interactions[idx as usize];
            if i.thread.as_deref() != Some(thread) || i.occurred_at.timestamp_millis() > now_ms {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::suggest::SuggestSettings;
    use chrono::TimeZone;

    /// Every chosen contact gets, from an index of the chosen contacts only, exactly the
    /// suggestions an index of the whole network gives them.
    fn same_as_whole(
        chosen: &[&str],
        contacts: &[Contact],
        interactions: &[Interaction],
        events: &[Event],
        now: DateTime<Utc>,
    ) -> usize {
        let settings = SuggestSettings::default();
        let whole = SuggestIndex::new(contacts, interactions, events);
        let part = SuggestIndex::only_contacts(chosen, contacts, interactions, events);
        assert_eq!(part.contacts().len(), chosen.len());
        assert!(part.interactions.len() < interactions.len());
        let mut found = 0;
        for id in chosen {
            let expected = whole.for_contact(id, now, &settings);
            assert_eq!(
                part.for_contact(id, now, &settings),
                expected,
                "contact {id}"
            );
            found += expected.len();
        }
        found
    }

    #[test]
    fn a_few_contacts_get_what_the_whole_network_gives_them() {
        let now = Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap();
        let mut net = crate::synth::network(400, 30_000, 12, 7, now);
        // Every 8th contact: the busiest and the long tail, group chats and meetings.
        let chosen: Vec<&str> = net
            .contacts
            .iter()
            .step_by(8)
            .map(|c| c.id.as_str())
            .collect();
        // A crowded public thread: three people who are not chosen post, then the first
        // chosen contact and the user go back and forth. What the rules need to know about
        // the others is only in the thread.
        let (volley, crowd) = (net.contacts[0].id.clone(), &net.contacts[1..4]);
        let mut thread: Vec<Interaction> = crowd
            .iter()
            .map(|c| (c.id.clone(), Direction::Inbound))
            .chain((0..4).map(|k| {
                let d = if k % 2 == 0 {
                    Direction::Outbound
                } else {
                    Direction::Inbound
                };
                (volley.clone(), d)
            }))
            .enumerate()
            .map(|(k, (who, direction))| Interaction {
                id: format!("crowd-{k}"),
                contact_ids: vec![who],
                channel: Channel::Mastodon,
                direction,
                occurred_at: now - chrono::Duration::hours(20 - k as i64),
                public: true,
                text: "Q1: which discovery layer did you pick? #auslibchat".into(),
                thread: Some("crowded-thread".into()),
                tags: vec![],
                moment: None,
            })
            .collect();
        // In the middle of the slice, as the store would give them.
        let middle = net.interactions.len() / 2;
        net.interactions.splice(middle..middle, thread.drain(..));
        let whole = SuggestIndex::new(&net.contacts, &net.interactions, &net.events);
        let crowded = whole.for_contact(&volley, now, &SuggestSettings::default());
        assert!(
            crowded.iter().any(|s| s.rule == "volley_in_crowd"),
            "no volley_in_crowd suggestion to compare: {crowded:?}"
        );
        let found = same_as_whole(&chosen, &net.contacts, &net.interactions, &net.events, now);
        assert!(
            found > 10,
            "only {found} suggestions: the test shows little"
        );
    }

    #[test]
    fn the_sample_network_attendees_get_what_the_whole_network_gives_them() {
        let now = Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap();
        let net = crate::demo::sample_network(now);
        for event in &net.events {
            let chosen: Vec<&str> = event.attendee_ids.iter().map(String::as_str).collect();
            if !chosen.is_empty() {
                same_as_whole(&chosen, &net.contacts, &net.interactions, &net.events, now);
            }
        }
        // Unknown ids are ignored, and a repeated id indexes its contact once.
        let first = net.contacts[0].id.as_str();
        let part = SuggestIndex::only_contacts(
            &[first, "nobody", first],
            &net.contacts,
            &net.interactions,
            &net.events,
        );
        assert_eq!(part.contacts().len(), 1);
    }
}
