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

mod attendee;
mod format;
pub mod html;
mod layout;
mod likely;
pub mod markdown;
pub mod pdf;
mod talk;
mod words;

use crate::attendee_match::fold_name;
use crate::domain::*;
use crate::error::{Error, Result};
use crate::store::Store;
use crate::suggest::{
    apply_states, in_chunks, FxHasher, SuggestIndex, SuggestSettings, Suggestion, SuggestionState,
};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use specta::Type;
use std::collections::{HashMap, HashSet};
use std::hash::BuildHasherDefault;

pub(crate) use attendee::excerpt;
pub use attendee::role_in_words;
use attendee::{attendee_brief, role_brief, sort_attendees};
pub use format::{BriefFormat, BriefFormatInfo};
#[cfg(test)]
use likely::TagUse;
use likely::{likely_attendees, EventTags, Scan};
pub use talk::{TalkingPoint, TalkingPointSource};
pub(crate) use words::*;

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
    /// Their latest blog post (from a feed the user follows): what they recently wrote about.
    /// Posts are not conversations, so nothing above counts them.
    pub recently_wrote: Option<InteractionBrief>,
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

    #[test]
    fn a_contacts_latest_post_is_what_they_recently_wrote_about_not_a_conversation() {
        let now = Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap();
        let sample = crate::demo::sample_network(now);
        let event = sample
            .events
            .iter()
            .find(|e| !e.attendee_ids.is_empty())
            .expect("an event with attendees");
        let who = event.attendee_ids[0].clone();
        let settings = SuggestSettings::default();
        let brief_of = |interactions: &[Interaction]| {
            let input = BriefInput {
                contacts: &sample.contacts,
                interactions,
                events: &sample.events,
                settings: &settings,
                states: &[],
            };
            let b = build_briefing(&input, &event.id, now).unwrap();
            let a = b.attendees().find(|a| a.contact_id == who).unwrap().clone();
            (a, crate::brief::markdown::render(&b))
        };
        let (before, _) = brief_of(&sample.interactions);
        let mut with_posts = sample.interactions.clone();
        for (n, (days, title)) in [(9, "Cataloguing zines"), (2, "Koha serials, the sequel")]
            .into_iter()
            .enumerate()
        {
            with_posts.push(Interaction {
                id: format!("blog:post:{n}"),
                contact_ids: vec![who.clone()],
                channel: Channel::Blog,
                direction: Direction::Inbound,
                occurred_at: now - chrono::Duration::days(days),
                public: true,
                text: title.into(),
                thread: None,
                tags: vec![crate::domain::WROTE_TAG.into()],
                moment: None,
            });
        }
        let (after, markdown) = brief_of(&with_posts);
        let post = after.recently_wrote.as_ref().expect("their latest post");
        assert_eq!(post.excerpt, "Koha serials, the sequel");
        assert!(markdown.contains("Recently wrote about"), "{markdown}");
        assert!(markdown.contains("Koha serials, the sequel"));
        // Posts are not conversations: nothing else in their part of the briefing changed.
        assert_eq!(after.interaction_count, before.interaction_count);
        assert_eq!(after.last_interactions, before.last_interactions);
        assert_eq!(after.open_conversations, before.open_conversations);
        assert_eq!(after.suggestions, before.suggestions);
        assert!(before.recently_wrote.is_none());
    }
}
