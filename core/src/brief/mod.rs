//! Briefings: who from the network will be at an event, what each is to the user, what they
//! last talked about, what is left open, and what to talk about, so the user walks in
//! prepared. Afterwards, [`Store::log_met_at_event`](crate::Store::log_met_at_event) records
//! who they met.
//!
//! A briefing is built from plain records by [`build_briefing`] (pure and deterministic: the
//! same records and `now` give the same briefing), or from the store by [`briefing`]. It can be
//! rendered as Markdown ([`markdown`]), printable HTML ([`html`]) or PDF ([`pdf`]);
//! [`BriefFormat`] is the one list of those formats the CLI and the app share.
//!
//! Private notes are left out: a briefing is made to be printed and carried around.

mod format;
pub mod html;
mod layout;
pub mod markdown;

pub mod pdf;
mod talk;

use crate::domain::*;
use crate::error::{Error, Result};
use crate::events_match::fold_name;
use crate::store::Store;
use crate::suggest::{
    apply_states, in_chunks, FxHasher, SuggestIndex, SuggestSettings, Suggestion, SuggestionState,
};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use specta::Type;
use std::collections::{HashMap, HashSet};
use std::hash::BuildHasherDefault;

pub use format::{BriefFormat, BriefFormatInfo};
pub use talk::{TalkingPoint, TalkingPointSource};

/// Maps and sets keyed by contact ids, which a briefing looks up for every interaction of the
/// network: a fast hasher (the ids come from the user's own store).
type IdMap<'a, V> = HashMap<&'a str, V, BuildHasherDefault<FxHasher>>;
type IdSet<'a> = HashSet<&'a str, BuildHasherDefault<FxHasher>>;

/// How many recent interactions a briefing shows per person.
pub const LAST_INTERACTIONS: usize = 5;
/// How many open conversations a briefing shows per person.
pub const OPEN_CONVERSATIONS: usize = 4;
/// A conversation whose last message is at most this old counts as open.
pub const OPEN_RECENT_DAYS: i64 = 30;
/// The most "likely there" people a briefing lists.
pub const LIKELY_MAX: usize = 50;
/// The longest excerpt of an interaction's text a briefing shows.
pub const EXCERPT_CHARS: usize = 160;

/// Everything to know before an event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct Briefing {
    pub event: Event,
    pub generated_at: DateTime<Utc>,
    /// Attendees the user knows only online: the people to make a point of meeting.
    pub meet_in_person: Vec<AttendeeBrief>,
    /// Attendees the user has met in person before.
    pub met_before: Vec<AttendeeBrief>,
    /// Contacts not on the attendee list who may be there: they used the event's hashtags or
    /// live where it takes place.
    /// At most [`LIKELY_MAX`] of them, those who used the hashtags most first.
    pub likely_there: Vec<LikelyAttendee>,
    /// How many contacts may be there in all (more than `likely_there` holds when a popular
    /// hashtag makes the list long).
    pub likely_there_total: u32,
}

impl Briefing {
    /// Every attendee in the order the briefing shows them.
    pub fn attendees(&self) -> impl Iterator<Item = &AttendeeBrief> {
        self.meet_in_person.iter().chain(&self.met_before)
    }
}

/// One attendee, as the briefing describes them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct AttendeeBrief {
    pub contact_id: String,
    pub name: String,
    pub organisation: String,
    pub location: String,
    pub roles: Vec<RoleBrief>,
    /// "at LIANZA 2019 (2019-10-02), through #auslibchat", when the user wrote it down.
    pub how_met: Option<String>,
    /// Whether any interaction with them was in person.
    pub met_in_person: bool,
    pub last_in_person: Option<DateTime<Utc>>,
    pub interaction_count: u32,
    pub last_interaction_at: Option<DateTime<Utc>>,
    /// The latest interactions across every channel, newest first.
    pub last_interactions: Vec<InteractionBrief>,
    /// Conversations waiting for the user's reply, or active lately; waiting ones first.
    pub open_conversations: Vec<OpenConversation>,
    /// What the suggestion engine proposes for them now, with its reasons; dismissed,
    /// snoozed and accepted suggestions are left out.
    pub suggestions: Vec<Suggestion>,
    pub talking_points: Vec<TalkingPoint>,
    pub handles: Vec<Handle>,
    /// The contact's (shareable) notes.
    pub notes: String,
}

/// A role in words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct RoleBrief {
    pub kind: RoleKind,
    pub direction: RoleDirection,
    /// "mentors you", "you mentor them", "a peer: you learn from each other".
    pub in_words: String,
    pub topics: Vec<String>,
    pub acknowledged: bool,
}

/// An interaction, shortened for a briefing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct InteractionBrief {
    pub id: String,
    pub occurred_at: DateTime<Utc>,
    pub channel: Channel,
    pub direction: Direction,
    pub public: bool,
    /// The text on one line, cut at [`EXCERPT_CHARS`] characters.
    pub excerpt: String,
    pub thread: Option<String>,
}

/// A conversation that is still open.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct OpenConversation {
    /// The thread, or `None` for the messages on one channel that belong to no thread.
    pub thread: Option<String>,
    /// The channel of the last message.
    pub channel: Channel,
    pub messages: u32,
    pub last_at: DateTime<Utc>,
    /// The last message is theirs and the user has not been in touch since, anywhere.
    pub waiting_on_you: bool,
    /// The last message, shortened.
    pub last_excerpt: String,
}

/// Someone who may be at the event without being on the attendee list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct LikelyAttendee {
    pub contact_id: String,
    pub name: String,
    pub organisation: String,
    pub location: String,
    pub roles: Vec<RoleBrief>,
    /// Why they may be there, in plain words.
    pub reasons: Vec<String>,
    pub handles: Vec<Handle>,
    pub met_in_person: bool,
}

/// What a briefing is built from.
pub struct BriefInput<'a> {
    pub contacts: &'a [Contact],
    pub interactions: &'a [Interaction],
    pub events: &'a [Event],
    pub settings: &'a SuggestSettings,
    /// What the user decided about suggestions, so dismissed ones stay out.
    pub states: &'a [SuggestionState],
}

/// The briefing for an event (by id or name), from the store, as of `now`.
pub fn briefing(store: &Store, event_id: &str, now: DateTime<Utc>) -> Result<Briefing> {
    briefing_with(store, event_id, now, &store.suggest_settings()?)
}

/// [`briefing`] with the user's suggestion settings.
pub fn briefing_with(
    store: &Store,
    event_id: &str,
    now: DateTime<Utc>,
    settings: &SuggestSettings,
) -> Result<Briefing> {
    let event = store.find_event(event_id)?;
    // The network as the store keeps it between calls (see `Store::network`).
    let network = store.network()?;
    let states = store.suggestion_states()?;
    build_briefing(
        &BriefInput {
            contacts: &network.contacts,
            interactions: &network.interactions,
            events: &network.events,
            settings,
            states: &states,
        },
        &event.id,
        now,
    )
}

/// Builds the briefing for the event `event_id` from records. Interactions after `now` are
/// ignored, so a briefing can be replayed as it would have looked on an earlier day.
pub fn build_briefing(
    input: &BriefInput<'_>,
    event_id: &str,
    now: DateTime<Utc>,
) -> Result<Briefing> {
    let event = input
        .events
        .iter()
        .find(|e| e.id == event_id)
        .ok_or_else(|| Error::not_found("event", event_id))?;
    let by_id: HashMap<&str, &Contact> =
        input.contacts.iter().map(|c| (c.id.as_str(), c)).collect();

    // Attendees' interactions up to now, oldest first (the store gives them in order;
    // sorting again keeps the result independent of the caller's order). For everyone else
    // one pass notes only what the "likely there" section needs. On a large network the pass
    // runs on several threads, each over a run of interactions, joined in order.
    let attendee_ids: IdSet<'_> = event.attendee_ids.iter().map(String::as_str).collect();
    let tags = EventTags::new(event);
    let mut scans = in_chunks(input.interactions, |part, _| {
        Scan::of(part, &attendee_ids, &tags, now)
    })
    .into_iter();
    let mut scan = scans.next().unwrap_or_default();
    for later in scans {
        scan.absorb(later);
    }
    let Scan {
        mut of_contact,
        tag_use,
        met_in_person,
    } = scan;
    for list in of_contact.values_mut() {
        list.sort_by(|a, b| {
            a.occurred_at
                .cmp(&b.occurred_at)
                .then_with(|| a.id.cmp(&b.id))
        });
        list.dedup_by(|a, b| a.id == b.id);
    }

    // Suggestions are computed for the attendees only, on an index of their interactions and
    // threads: indexing the whole network would cost far more than the briefing itself on a
    // large one, and gives the same per-contact result.
    let index = SuggestIndex::only_contacts(
        &event.attendee_ids,
        input.contacts,
        input.interactions,
        input.events,
    );
    let empty = Vec::new();
    let mut seen = HashSet::new();
    let mut meet = Vec::new();
    let mut met = Vec::new();
    for id in &event.attendee_ids {
        let Some(contact) = by_id.get(id.as_str()) else {
            continue;
        };
        if !seen.insert(contact.id.as_str()) {
            continue;
        }
        let history = of_contact.get(contact.id.as_str()).unwrap_or(&empty);
        let suggestions = apply_states(
            index.for_contact(&contact.id, now, input.settings),
            input.states,
            now,
        );
        let brief = attendee_brief(contact, history, suggestions, now);
        if brief.met_in_person {
            met.push(brief);
        } else {
            meet.push(brief);
        }
    }
    sort_attendees(&mut meet);
    sort_attendees(&mut met);

    let (likely_there, likely_there_total) = likely_attendees(
        event,
        &tags,
        input.contacts,
        &tag_use,
        &met_in_person,
        &seen,
    );
    Ok(Briefing {
        event: event.clone(),
        generated_at: now,
        meet_in_person: meet,
        met_before: met,
        likely_there,
        likely_there_total,
    })
}

/// Closest first: the most interactions, then by name, then by id.
fn sort_attendees(list: &mut Vec<AttendeeBrief>) {
    let mut keyed: Vec<(String, AttendeeBrief)> =
        list.drain(..).map(|a| (fold_name(&a.name), a)).collect();
    keyed.sort_by(|(ka, a), (kb, b)| {
        b.interaction_count
            .cmp(&a.interaction_count)
            .then_with(|| ka.cmp(kb))
            .then_with(|| a.contact_id.cmp(&b.contact_id))
    });
    list.extend(keyed.into_iter().map(|(_, a)| a));
}

fn attendee_brief(
    contact: &Contact,
    history: &[&Interaction],
    suggestions: Vec<Suggestion>,
    now: DateTime<Utc>,
) -> AttendeeBrief {
    let last_in_person = history
        .iter()
        .rev()
        .find(|i| i.channel == Channel::InPerson)
        .map(|i| i.occurred_at);
    AttendeeBrief {
        contact_id: contact.id.clone(),
        name: contact.name.clone(),
        organisation: contact.organisation.clone(),
        location: contact.location.clone(),
        roles: contact.roles.iter().map(role_brief).collect(),
        how_met: how_met(contact),
        met_in_person: last_in_person.is_some(),
        last_in_person,
        interaction_count: u32::try_from(history.len()).unwrap_or(u32::MAX),
        last_interaction_at: history.last().map(|i| i.occurred_at),
        last_interactions: history
            .iter()
            .rev()
            .take(LAST_INTERACTIONS)
            .map(|i| interaction_brief(i))
            .collect(),
        open_conversations: open_conversations(history, now),
        suggestions,
        talking_points: talk::talking_points(contact, history, now),
        handles: contact
            .handles
            .iter()
            .filter(|h| !h.value.trim().is_empty())
            .cloned()
            .collect(),
        notes: contact.notes.trim().to_string(),
    }
}

/// A role in words, from the user's side.
pub fn role_in_words(role: &Role) -> String {
    let base = match (role.kind, role.direction) {
        (RoleKind::Mentor, RoleDirection::TheyAdviseMe) => "mentors you",
        (RoleKind::Mentor, RoleDirection::IAdviseThem) => "you mentor them",
        (RoleKind::Mentor, RoleDirection::Mutual) => "you mentor each other",
        (RoleKind::Peer, RoleDirection::TheyAdviseMe) => "a peer who advises you",
        (RoleKind::Peer, RoleDirection::IAdviseThem) => "a peer you advise",
        (RoleKind::Peer, RoleDirection::Mutual) => "a peer: you learn from each other",
        (RoleKind::Expert, RoleDirection::TheyAdviseMe) => "an expert you learn from",
        (RoleKind::Expert, RoleDirection::IAdviseThem) => "an expert you advise",
        (RoleKind::Expert, RoleDirection::Mutual) => "an expert you trade expertise with",
    };
    let known = if role.acknowledged {
        "both of you know it"
    } else {
        "not acknowledged: they may not know it"
    };
    format!("{base} ({known})")
}

fn role_brief(role: &Role) -> RoleBrief {
    RoleBrief {
        kind: role.kind,
        direction: role.direction,
        in_words: role_in_words(role),
        topics: role
            .topics
            .iter()
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect(),
        acknowledged: role.acknowledged,
    }
}

fn how_met(c: &Contact) -> Option<String> {
    let mut parts = Vec::new();
    let place = c.met_where.trim();
    match (place.is_empty(), c.met_on) {
        (false, Some(on)) => parts.push(format!("at {place} ({on})")),
        (false, None) => parts.push(format!("at {place}")),
        (true, Some(on)) => parts.push(format!("on {on}")),
        (true, None) => {}
    }
    let through = c.met_through.trim();
    if !through.is_empty() {
        parts.push(format!("through {through}"));
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// Text on one line, without control or direction-changing characters, cut at `max`
/// characters with an ellipsis.
pub(crate) fn excerpt(text: &str, max: usize) -> String {
    let mut out = String::new();
    let mut count = 0;
    let mut space = false;
    for c in text.chars() {
        let c = if c.is_whitespace() || c.is_control() {
            ' '
        } else {
            c
        };
        if is_invisible_format(c) {
            continue;
        }
        if c == ' ' {
            space = !out.is_empty();
            continue;
        }
        if space {
            if count + 1 >= max {
                out.push('…');
                return out;
            }
            out.push(' ');
            count += 1;
            space = false;
        }
        if count + 1 >= max {
            out.push('…');
            return out;
        }
        out.push(c);
        count += 1;
    }
    out
}

fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'
            | '\u{2066}'..='\u{2069}'
            | '\u{061C}'
            | '\u{FEFF}'
    )
}

fn interaction_brief(i: &Interaction) -> InteractionBrief {
    InteractionBrief {
        id: i.id.clone(),
        occurred_at: i.occurred_at,
        channel: i.channel,
        direction: i.direction,
        public: i.public,
        excerpt: excerpt(&i.text, EXCERPT_CHARS),
        thread: i.thread.clone(),
    }
}

/// Conversations (a thread, or one channel's messages outside threads) whose last message
/// is theirs and unanswered anywhere since, or whose last message is recent.
fn open_conversations(history: &[&Interaction], now: DateTime<Utc>) -> Vec<OpenConversation> {
    let last_by_user = history
        .iter()
        .rev()
        .find(|i| matches!(i.direction, Direction::Outbound | Direction::Mutual))
        .map(|i| i.occurred_at);
    let mut convs: Vec<(Option<&str>, Channel, Vec<&Interaction>)> = Vec::new();
    let mut slots: HashMap<(Option<&str>, Option<Channel>), usize> = HashMap::new();
    for &i in history {
        let thread = i.thread.as_deref().map(str::trim).filter(|t| !t.is_empty());
        let key = (thread, thread.is_none().then_some(i.channel));
        match slots.get(&key) {
            Some(&k) => convs[k].2.push(i),
            None => {
                slots.insert(key, convs.len());
                convs.push((thread, i.channel, vec![i]));
            }
        }
    }
    let recent = now - Duration::days(OPEN_RECENT_DAYS);
    let mut open: Vec<OpenConversation> = convs
        .into_iter()
        .filter_map(|(thread, _, list)| {
            let last = *list.last()?;
            let waiting = last.direction == Direction::Inbound
                && last_by_user.is_none_or(|t| t < last.occurred_at);
            (waiting || last.occurred_at >= recent).then(|| OpenConversation {
                thread: thread.map(str::to_string),
                channel: last.channel,
                messages: u32::try_from(list.len()).unwrap_or(u32::MAX),
                last_at: last.occurred_at,
                waiting_on_you: waiting,
                last_excerpt: excerpt(&last.text, EXCERPT_CHARS),
            })
        })
        .collect();
    open.sort_by(|a, b| {
        b.waiting_on_you
            .cmp(&a.waiting_on_you)
            .then_with(|| b.last_at.cmp(&a.last_at))
            .then_with(|| a.thread.cmp(&b.thread))
    });
    open.truncate(OPEN_CONVERSATIONS);
    open
}

/// A hashtag in the form used for comparison: no `#`, folded like a name, no spaces.
fn fold_tag(tag: &str) -> String {
    fold_name(tag.trim().trim_start_matches('#')).replace(' ', "")
}

/// The first part of a place ("Wellington" of "Wellington, New Zealand"), folded; empty for
/// places that are not places ("online").
fn fold_city(location: &str) -> String {
    let first = location.split([',', '/', '(']).next().unwrap_or_default();
    let city = fold_name(first);
    match city.as_str() {
        "online" | "virtual" | "remote" | "zoom" | "web" | "internet" | "hybrid" => String::new(),
        _ => city,
    }
}

/// What one pass over interactions notes for a briefing.
#[derive(Default)]
struct Scan<'a> {
    /// Each attendee's interactions, in the order read.
    of_contact: IdMap<'a, Vec<&'a Interaction>>,
    /// For everyone else: the event's hashtags they used.
    tag_use: IdMap<'a, Vec<TagUse<'a>>>,
    /// Everyone else met in person.
    met_in_person: IdSet<'a>,
}

impl<'a> Scan<'a> {
    /// Reads `part`, leaving out interactions after `now`.
    fn of(
        part: &'a [Interaction],
        attendees: &IdSet<'_>,
        tags: &EventTags<'_>,
        now: DateTime<Utc>,
    ) -> Scan<'a> {
        let mut scan = Scan::default();
        for i in part.iter().filter(|i| i.occurred_at <= now) {
            let hits = if matches!(i.direction, Direction::Inbound | Direction::Mutual) {
                tags.used_by(i)
            } else {
                0
            };
            for c in &i.contact_ids {
                let c = c.as_str();
                if attendees.contains(c) {
                    scan.of_contact.entry(c).or_default().push(i);
                    continue;
                }
                if i.channel == Channel::InPerson {
                    scan.met_in_person.insert(c);
                }
                if hits != 0 {
                    let uses = scan.tag_use.entry(c).or_default();
                    for (t, _) in tags.list.iter().enumerate() {
                        if hits & (1 << t) != 0 {
                            let one = TagUse {
                                tag: t,
                                count: 1,
                                last: i,
                            };
                            add_use(uses, one);
                        }
                    }
                }
            }
        }
        scan
    }

    /// Adds what a pass over the interactions that follow found.
    fn absorb(&mut self, later: Scan<'a>) {
        for (c, list) in later.of_contact {
            self.of_contact.entry(c).or_default().extend(list);
        }
        for (c, list) in later.tag_use {
            let uses = self.tag_use.entry(c).or_default();
            for u in list {
                add_use(uses, u);
            }
        }
        self.met_in_person.extend(later.met_in_person);
    }
}

/// Counts `found` in `uses`: the latest use is kept, the later-read one when two are at the
/// same time.
fn add_use<'a>(uses: &mut Vec<TagUse<'a>>, found: TagUse<'a>) {
    match uses.iter_mut().find(|u| u.tag == found.tag) {
        Some(u) => {
            u.count += found.count;
            if found.last.occurred_at >= u.last.occurred_at {
                u.last = found.last;
            }
        }
        None => uses.push(found),
    }
}

/// How often a contact used one of the event's hashtags, and the latest time.
struct TagUse<'a> {
    tag: usize,
    count: usize,
    last: &'a Interaction,
}

/// The event's hashtags, folded for comparison (at most 64).
struct EventTags<'e> {
    /// (folded, as the event spells it without `#`)
    list: Vec<(String, &'e str)>,
}

impl<'e> EventTags<'e> {
    fn new(event: &'e Event) -> EventTags<'e> {
        let mut list: Vec<(String, &'e str)> = Vec::new();
        for t in &event.hashtags {
            let folded = fold_tag(t);
            if !folded.is_empty() && !list.iter().any(|(f, _)| *f == folded) && list.len() < 64 {
                list.push((folded, t.trim().trim_start_matches('#')));
            }
        }
        EventTags { list }
    }

    /// Which hashtags an interaction carries, as a tag or as `#tag` in its text: bit `k` for
    /// the `k`th.
    fn used_by(&self, i: &Interaction) -> u64 {
        if self.list.is_empty() {
            return 0;
        }
        let mut hits = 0u64;
        for (k, (folded, _)) in self.list.iter().enumerate() {
            if i.tags.iter().any(|t| same_tag(t, folded)) {
                hits |= 1 << k;
            }
        }
        if i.text.contains('#') {
            for h in talk::hashtags_in(&i.text) {
                for (k, (folded, _)) in self.list.iter().enumerate() {
                    if same_tag(h, folded) {
                        hits |= 1 << k;
                    }
                }
            }
        }
        hits
    }
}

fn likely_attendees(
    event: &Event,
    tags: &EventTags<'_>,
    contacts: &[Contact],
    tag_use: &IdMap<'_, Vec<TagUse<'_>>>,
    met_in_person: &IdSet<'_>,
    attending: &HashSet<&str>,
) -> (Vec<LikelyAttendee>, u32) {
    let city = fold_city(&event.location);
    let mut out: Vec<(usize, String, &Contact, Vec<String>)> = Vec::new();
    for c in contacts {
        if attending.contains(c.id.as_str()) {
            continue;
        }
        let mut reasons = Vec::new();
        let mut uses = 0;
        if let Some(list) = tag_use.get(c.id.as_str()) {
            let mut list: Vec<&TagUse<'_>> = list.iter().collect();
            list.sort_by_key(|u| u.tag);
            for u in list {
                uses += u.count;
                // Only what they wrote counts: a hashtag the user wrote to them says nothing.
                reasons.push(format!(
                    "used #{} in {}, last on {} on {}",
                    tags.list[u.tag].1,
                    plural(u.count, "interaction"),
                    u.last.channel.label(),
                    u.last.occurred_at.format("%Y-%m-%d")
                ));
            }
        }
        if !city.is_empty() && !c.location.is_empty() && fold_city(&c.location) == city {
            reasons.push(format!(
                "based in {}, where the event takes place",
                excerpt(&c.location, 80)
            ));
        }
        if !reasons.is_empty() {
            out.push((uses, fold_name(&c.name), c, reasons));
        }
    }
    let total = u32::try_from(out.len()).unwrap_or(u32::MAX);
    out.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then_with(|| a.1.cmp(&b.1))
            .then_with(|| a.2.id.cmp(&b.2.id))
    });
    out.truncate(LIKELY_MAX);
    let list = out
        .into_iter()
        .map(|(_, _, c, reasons)| LikelyAttendee {
            contact_id: c.id.clone(),
            name: c.name.clone(),
            organisation: c.organisation.clone(),
            location: c.location.clone(),
            roles: c.roles.iter().map(role_brief).collect(),
            reasons,
            handles: c
                .handles
                .iter()
                .filter(|h| !h.value.trim().is_empty())
                .cloned()
                .collect(),
            met_in_person: met_in_person.contains(c.id.as_str()),
        })
        .collect();
    (list, total)
}

/// Whether `raw` is the hashtag `folded`; plain ASCII tags are compared without allocating.
fn same_tag(raw: &str, folded: &str) -> bool {
    let raw = raw.trim().trim_start_matches('#');
    if raw.is_ascii() {
        let mut theirs = raw
            .bytes()
            .filter(u8::is_ascii_alphanumeric)
            .map(|b| b.to_ascii_lowercase());
        let mut ours = folded.bytes();
        loop {
            match (theirs.next(), ours.next()) {
                (None, None) => return true,
                (Some(a), Some(b)) if a == b => {}
                _ => return false,
            }
        }
    }
    fold_tag(raw) == folded
}

pub(crate) fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Which way an interaction went, in a few words.
pub(crate) fn direction_words(d: Direction) -> &'static str {
    match d {
        Direction::Inbound => "from them",
        Direction::Outbound => "from you",
        Direction::Mutual => "together",
    }
}

/// What a suggestion asks, in words: "Move from Twitter/X to email".
pub(crate) fn suggestion_words(s: &Suggestion) -> String {
    use crate::suggest::SuggestionKind;
    let to = s.to_channel.label();
    match (s.kind, s.from_channel) {
        (SuggestionKind::Move, Some(from)) => format!("Move from {} to {to}", from.label()),
        (SuggestionKind::Move, None) => format!("Move to {to}"),
        (SuggestionKind::Reconnect, _) => format!("Get back in touch ({to})"),
        (SuggestionKind::FollowUp, _) => format!("Follow up ({to})"),
        (SuggestionKind::Reply, _) => format!("Try another channel: {to}"),
    }
}

/// The event's dates, place and hashtags on one line.
pub(crate) fn event_line(e: &Event) -> String {
    let mut parts = Vec::new();
    if e.ends_on > e.starts_on {
        parts.push(format!("{} to {}", e.starts_on, e.ends_on));
    } else {
        parts.push(e.starts_on.to_string());
    }
    if !e.location.trim().is_empty() {
        parts.push(excerpt(&e.location, 120));
    }
    let tags: Vec<String> = e
        .hashtags
        .iter()
        .map(|h| h.trim().trim_start_matches('#'))
        .filter(|h| !h.is_empty())
        .map(|h| format!("#{}", excerpt(h, 60)))
        .collect();
    if !tags.is_empty() {
        parts.push(tags.join(" "));
    }
    parts.join(" · ")
}

/// A handle with its platform: "Mastodon @ana@glammr.example".
pub(crate) fn handle_words(h: &Handle) -> String {
    let platform = match h.platform {
        Platform::Twitter => "Twitter/X",
        Platform::Mastodon => "Mastodon",
        Platform::Bluesky => "Bluesky",
        Platform::Email => "Email",
        Platform::Blog => "Blog",
        Platform::Linkedin => "LinkedIn",
        Platform::Phone => "Phone",
        Platform::Other => "Other",
    };
    format!("{platform} {}", excerpt(&h.value, 120))
}

/// A role with its topics: "mentors you (both of you know it): Koha serials, career".
pub(crate) fn role_line(r: &RoleBrief) -> String {
    if r.topics.is_empty() {
        format!("{}: {}", r.kind.as_str(), r.in_words)
    } else {
        format!(
            "{}: {}: {}",
            r.kind.as_str(),
            r.in_words,
            r.topics.join(", ")
        )
    }
}

/// The summary line under the title.
pub(crate) fn summary_line(b: &Briefing) -> String {
    let total = b.meet_in_person.len() + b.met_before.len();
    format!(
        "{} from your network on the attendee list; {} you know only online; {} more may be there.",
        plural(total, "person").replace("persons", "people"),
        b.meet_in_person.len(),
        b.likely_there.len()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::suggest::suggest;
    use chrono::TimeZone;

    /// Each attendee's suggestions in the briefing are what the whole network's suggestions
    /// hold for them.
    fn suggestions_match_the_whole_network(
        contacts: &[Contact],
        interactions: &[Interaction],
        events: &[Event],
        now: DateTime<Utc>,
    ) -> usize {
        let settings = SuggestSettings::default();
        let whole = suggest(contacts, interactions, events, now, &settings);
        let input = BriefInput {
            contacts,
            interactions,
            events,
            settings: &settings,
            states: &[],
        };
        let mut compared = 0;
        for event in events.iter().filter(|e| !e.attendee_ids.is_empty()) {
            let briefing = build_briefing(&input, &event.id, now).unwrap();
            for a in briefing.attendees() {
                let theirs: Vec<Suggestion> = whole
                    .iter()
                    .filter(|s| s.contact_id == a.contact_id)
                    .cloned()
                    .collect();
                assert_eq!(a.suggestions, theirs, "{} at {}", a.name, event.name);
                compared += theirs.len();
            }
        }
        compared
    }

    #[test]
    fn a_pass_in_parts_finds_what_one_pass_finds() {
        let now = Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap();
        let net = crate::synth::network(300, 20_000, 10, 11, now);
        let mut event = net.events[0].clone();
        event.attendee_ids = net
            .contacts
            .iter()
            .step_by(5)
            .map(|c| c.id.clone())
            .collect();
        event.hashtags = vec!["#auslibchat".into(), "#code4lib".into()];
        let attendees: IdSet<'_> = event.attendee_ids.iter().map(String::as_str).collect();
        let tags = EventTags::new(&event);
        let whole = Scan::of(&net.interactions, &attendees, &tags, now);
        let mut parts = net
            .interactions
            .chunks(3_001)
            .map(|part| Scan::of(part, &attendees, &tags, now));
        let mut joined = parts.next().unwrap();
        parts.for_each(|p| joined.absorb(p));
        let ids = |list: &[&Interaction]| list.iter().map(|i| i.id.clone()).collect::<Vec<_>>();
        assert_eq!(whole.of_contact.len(), joined.of_contact.len());
        for (c, list) in &whole.of_contact {
            assert_eq!(ids(list), ids(&joined.of_contact[c]));
        }
        let uses = |list: &[TagUse<'_>]| {
            let mut v: Vec<_> = list
                .iter()
                .map(|u| (u.tag, u.count, u.last.id.clone()))
                .collect();
            v.sort();
            v
        };
        assert!(!whole.tag_use.is_empty(), "no hashtag use to compare");
        assert_eq!(whole.tag_use.len(), joined.tag_use.len());
        for (c, list) in &whole.tag_use {
            assert_eq!(uses(list), uses(&joined.tag_use[c]));
        }
        assert!(!whole.met_in_person.is_empty());
        assert_eq!(whole.met_in_person, joined.met_in_person);
    }

    #[test]
    fn attendees_get_the_suggestions_of_the_whole_network() {
        let now = Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap();
        let sample = crate::demo::sample_network(now);
        let n = suggestions_match_the_whole_network(
            &sample.contacts,
            &sample.interactions,
            &sample.events,
            now,
        );
        assert!(n > 0, "the sample network's attendees have no suggestions");
        let net = crate::synth::network(300, 20_000, 10, 11, now);
        let n =
            suggestions_match_the_whole_network(&net.contacts, &net.interactions, &net.events, now);
        assert!(
            n > 0,
            "the synthetic network's attendees have no suggestions"
        );
    }
}
