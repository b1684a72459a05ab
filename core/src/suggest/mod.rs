//! Suggestions: when a conversation has outgrown its platform and what to move it to, and when
//! to get back in touch.
//!
//! A pure, deterministic engine over the domain types: the same contacts, interactions, events,
//! `now` and settings always give the same suggestions in the same order. Each signal is a
//! small rule in `rules/`; this module runs them per contact, turns what they found into
//! [`Suggestion`]s with stable ids, balances the scores and orders the list.
//!
//! Interactions after `now` are ignored everywhere, so `kith suggest --at` can replay the past.

mod index;
mod keep_in_touch;
mod list_question;
mod rules;
mod settings;
mod state;
#[cfg(test)]
mod testkit;
mod text;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::{Channel, Contact, Event, Interaction, RoleKind};

pub use index::SuggestIndex;
pub use keep_in_touch::{
    keep_in_touch, upcoming_dates, KeepInTouchStatus, UpcomingDate, UPCOMING_DAYS,
};
pub use list_question::{list_question_suggestions, ListQuestion};
pub use settings::{
    SuggestSettings, DEFAULT_MENTORING_ASK_PHRASES, DEFAULT_SENSITIVE_IGNORE_PHRASES,
    DEFAULT_SENSITIVE_KEYWORDS,
};
pub use state::{apply_states, StateKind, SuggestionState};

use index::Entry;
pub(crate) use index::{in_chunks, FxHasher};
use text::Phrase;

/// What a suggestion asks the user to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum SuggestionKind {
    /// Carry the conversation to another channel.
    Move,
    /// Get back in touch after a silence.
    Reconnect,
    /// Follow up online after meeting in person.
    FollowUp,
    /// Try another channel for a message that went unanswered.
    Reply,
}

/// One suggestion, with the reasons and the evidence behind it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct Suggestion {
    /// Stable fingerprint of the rule, the contact and the anchoring evidence: recomputing
    /// gives the same id, so a dismissed suggestion stays dismissed.
    pub id: String,
    /// The contact's id (the archive id when the contact was imported from one).
    pub contact_id: String,
    /// The contact's name.
    pub contact: String,
    pub kind: SuggestionKind,
    /// Which rule fired: "long_thread", "length_pressure", "sensitive_public",
    /// "mentoring_ask", "meet_at_event", "volley_in_crowd", "unanswered", "email_burst",
    /// "gone_quiet", "met_no_follow_up", "list_question".
    pub rule: String,
    pub from_channel: Option<Channel>,
    pub to_channel: Channel,
    /// 0..1, higher is more worth acting on.
    pub score: f64,
    /// Plain words citing the evidence.
    pub reasons: Vec<String>,
    /// Ids of the interactions the reasons cite, oldest first.
    pub evidence: Vec<String>,
    pub event_id: Option<String>,
}

/// The rules, in the order they run for a contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Rule {
    LongThread,
    LengthPressure,
    SensitivePublic,
    MentoringAsk,
    MeetAtEvent,
    VolleyInCrowd,
    Unanswered,
    EmailBurst,
    GoneQuiet,
    MetNoFollowUp,
}

impl Rule {
    pub(crate) const ALL: [Rule; 10] = [
        Rule::LongThread,
        Rule::LengthPressure,
        Rule::SensitivePublic,
        Rule::MentoringAsk,
        Rule::MeetAtEvent,
        Rule::VolleyInCrowd,
        Rule::Unanswered,
        Rule::EmailBurst,
        Rule::GoneQuiet,
        Rule::MetNoFollowUp,
    ];

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Rule::LongThread => "long_thread",
            Rule::LengthPressure => "length_pressure",
            Rule::SensitivePublic => "sensitive_public",
            Rule::MentoringAsk => "mentoring_ask",
            Rule::MeetAtEvent => "meet_at_event",
            Rule::VolleyInCrowd => "volley_in_crowd",
            Rule::Unanswered => "unanswered",
            Rule::EmailBurst => "email_burst",
            Rule::GoneQuiet => "gone_quiet",
            Rule::MetNoFollowUp => "met_no_follow_up",
        }
    }

    fn kind(self) -> SuggestionKind {
        match self {
            Rule::GoneQuiet => SuggestionKind::Reconnect,
            Rule::MetNoFollowUp => SuggestionKind::FollowUp,
            Rule::Unanswered => SuggestionKind::Reply,
            _ => SuggestionKind::Move,
        }
    }
}

/// What a rule found for one contact, before it becomes a [`Suggestion`].
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Found {
    pub rule: Rule,
    pub from: Option<Channel>,
    pub to: Channel,
    pub score: f64,
    pub reasons: Vec<String>,
    /// Positions in the index's interactions.
    pub evidence: Vec<u32>,
    /// What the suggestion is about, for its id: an interaction id, a thread, an event.
    pub anchor: String,
    /// Position in the index's events.
    pub event: Option<u32>,
}

/// Settings turned into what the rules match against, once per run.
pub(crate) struct Prepared<'s> {
    pub settings: &'s SuggestSettings,
    pub sensitive: Vec<Phrase>,
    pub sensitive_ignore: Vec<Phrase>,
    pub mentoring: Vec<Phrase>,
}

impl<'s> Prepared<'s> {
    pub(crate) fn new(settings: &'s SuggestSettings) -> Prepared<'s> {
        Prepared {
            settings,
            sensitive: text::phrases(&settings.sensitive_keywords),
            sensitive_ignore: text::phrases(&settings.sensitive_ignore_phrases),
            mentoring: text::phrases(&settings.mentoring_ask_phrases),
        }
    }
}

/// One contact's view, as the rules see it.
pub(crate) struct Ctx<'i, 'a> {
    pub index: &'i SuggestIndex<'a>,
    pub pos: usize,
    pub contact: &'a Contact,
    /// The contact's interactions up to `now`, oldest first.
    pub entries: &'i [Entry],
    pub now: DateTime<Utc>,
    pub now_ms: i64,
    pub settings: &'i SuggestSettings,
    pub prepared: &'i Prepared<'i>,
}

impl<'i, 'a> Ctx<'i, 'a> {
    pub fn interaction(&self, e: &Entry) -> &'a Interaction {
        self.index.interaction(e.idx)
    }

    /// The contact's name for reasons.
    pub fn name(&self) -> &'a str {
        let name = self.contact.name.trim();
        if name.is_empty() {
            &self.contact.id
        } else {
            name
        }
    }

    pub fn is_mentor(&self) -> bool {
        self.contact
            .roles
            .iter()
            .any(|r| r.kind == RoleKind::Mentor)
    }

    pub fn at(&self, e: &Entry) -> DateTime<Utc> {
        self.interaction(e).occurred_at
    }

    /// Whether an entry is recent enough to count as evidence for a move suggestion.
    pub fn is_recent(&self, e: &Entry) -> bool {
        self.now_ms - e.at <= self.settings.recency_ms()
    }

    /// 1 for evidence from today, falling to 0.5 at the edge of the recency window.
    pub fn freshness(&self, e: &Entry) -> f64 {
        let window = self.settings.recency_ms().max(1) as f64;
        1.0 - 0.5 * ((self.now_ms - e.at) as f64 / window).clamp(0.0, 1.0)
    }
}

/// Suggestions for the whole network, best first.
pub fn suggest(
    contacts: &[Contact],
    interactions: &[Interaction],
    events: &[Event],
    now: DateTime<Utc>,
    settings: &SuggestSettings,
) -> Vec<Suggestion> {
    SuggestIndex::new(contacts, interactions, events).suggest(now, settings)
}

/// Suggestions for one contact, best first. For repeated use (the app after each new
/// interaction) keep a [`SuggestIndex`] and call [`SuggestIndex::for_contact`].
pub fn suggest_for_contact(
    contact_id: &str,
    contacts: &[Contact],
    interactions: &[Interaction],
    events: &[Event],
    now: DateTime<Utc>,
    settings: &SuggestSettings,
) -> Vec<Suggestion> {
    SuggestIndex::only_contact(contact_id, contacts, interactions, events)
        .for_contact(contact_id, now, settings)
}

impl<'a> SuggestIndex<'a> {
    /// Suggestions for every indexed contact, best first.
    pub fn suggest(&self, now: DateTime<Utc>, settings: &SuggestSettings) -> Vec<Suggestion> {
        let prepared = Prepared::new(settings);
        let mut out = Vec::new();
        for pos in 0..self.contacts.len() {
            out.extend(self.run_contact(pos, now, &prepared));
        }
        sort(&mut out);
        out
    }

    /// Suggestions for one contact, best first; empty when the contact is unknown.
    pub fn for_contact(
        &self,
        contact_id: &str,
        now: DateTime<Utc>,
        settings: &SuggestSettings,
    ) -> Vec<Suggestion> {
        let Some(pos) = self.position(contact_id) else {
            return Vec::new();
        };
        let prepared = Prepared::new(settings);
        let mut out = self.run_contact(pos, now, &prepared);
        sort(&mut out);
        out
    }

    fn run_contact(
        &self,
        pos: usize,
        now: DateTime<Utc>,
        prepared: &Prepared<'_>,
    ) -> Vec<Suggestion> {
        let ctx = Ctx {
            index: self,
            pos,
            contact: self.contacts[pos],
            entries: self.entries_until(pos, now),
            now,
            now_ms: now.timestamp_millis(),
            settings: prepared.settings,
            prepared,
        };
        let mut found: Vec<Found> = Rule::ALL
            .iter()
            .filter_map(|&rule| rules::evaluate(rule, &ctx))
            .collect();
        balance(&mut found);
        found
            .into_iter()
            .map(|f| self.suggestion(&ctx, f))
            .collect()
    }

    fn suggestion(&self, ctx: &Ctx<'_, 'a>, f: Found) -> Suggestion {
        let contact = ctx.contact;
        Suggestion {
            id: fingerprint(f.rule.as_str(), &contact.id, &f.anchor),
            contact_id: contact.id.clone(),
            contact: ctx.name().to_owned(),
            kind: f.rule.kind(),
            rule: f.rule.as_str().to_owned(),
            from_channel: f.from,
            to_channel: f.to,
            score: (f.score.clamp(0.0, 1.0) * 1000.0).round() / 1000.0,
            reasons: f.reasons,
            evidence: f
                .evidence
                .iter()
                .map(|&i| self.interaction(i).id.clone())
                .collect(),
            event_id: f.event.map(|e| self.events[e as usize].id.clone()),
        }
    }
}

/// When several rules fire for one contact, each is kept, but one person should not fill the
/// top of the list: the strongest keeps its score plus a little for the corroboration, the
/// others are damped so the list interleaves people.
fn balance(found: &mut [Found]) {
    if found.len() < 2 {
        return;
    }
    found.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.rule.cmp(&b.rule)));
    let others = (found.len() - 1) as f64;
    found[0].score = (found[0].score + 0.03 * others.min(3.0)).min(1.0);
    for f in &mut found[1..] {
        f.score *= 0.85;
    }
}

/// Orders suggestions best first (then by name and id, so the order is stable).
pub fn sort_suggestions(list: &mut [Suggestion]) {
    sort(list)
}

fn sort(list: &mut [Suggestion]) {
    list.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.contact.cmp(&b.contact))
            .then_with(|| a.id.cmp(&b.id))
    });
}

/// `rule-` and 16 hex digits of a 64-bit FNV-1a hash of rule, contact id and anchor. Written
/// out here (not `std`'s hasher) so ids never change between Rust versions.
fn fingerprint(rule: &str, contact_id: &str, anchor: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in [rule, contact_id, anchor] {
        for b in part.bytes().chain(std::iter::once(0x1f)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("{rule}-{h:016x}")
}

#[cfg(test)]
mod tests {
    use super::testkit::*;
    use super::*;

    #[test]
    fn fingerprints_are_stable_and_distinct() {
        assert_eq!(
            fingerprint("long_thread", "c1", "i1"),
            fingerprint("long_thread", "c1", "i1")
        );
        assert_ne!(
            fingerprint("long_thread", "c1", "i1"),
            fingerprint("long_thread", "c1i", "1")
        );
        assert!(fingerprint("gone_quiet", "c", "a").starts_with("gone_quiet-"));
        // A fixed value: changing the hash would un-dismiss every suggestion users dismissed.
        assert_eq!(fingerprint("a", "b", "c"), "a-0d169e543dad0cdc");
    }

    #[test]
    fn output_is_ordered_and_ids_survive_recompute() {
        let now = at("2025-03-20T12:00:00Z");
        let contacts = vec![contact("c1", "Ana Lima"), contact("c2", "Ben Okafor")];
        let mut ints = Vec::new();
        // c1: a long Twitter thread; c2: a mentoring ask in public.
        for k in 0..8 {
            let dir = if k % 2 == 0 { OUT } else { IN };
            ints.push(msg(
                &format!("a{k}"),
                "c1",
                Channel::Twitter,
                dir,
                now - hours(30 - k * 3),
                "Koha serials prediction patterns again",
            ));
        }
        ints.push(msg(
            "b1",
            "c2",
            Channel::Mastodon,
            OUT,
            now - hours(5),
            "Would you be my mentor for the cataloguing side of things?",
        ));
        let s = SuggestSettings::default();
        let first = suggest(&contacts, &ints, &[], now, &s);
        let rules: Vec<&str> = first.iter().map(|s| s.rule.as_str()).collect();
        assert!(rules.contains(&"long_thread") && rules.contains(&"mentoring_ask"));
        for w in first.windows(2) {
            assert!(w[0].score >= w[1].score);
        }
        let later = suggest(&contacts, &ints, &[], now + hours(2), &s);
        let ids = |v: &[Suggestion]| v.iter().map(|s| s.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&first).len(), ids(&later).len());
        for id in ids(&first) {
            assert!(ids(&later).contains(&id));
        }
        // One contact alone gives that contact's part of the whole.
        let one = suggest_for_contact("c2", &contacts, &ints, &[], now, &s);
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].contact_id, "c2");
        assert_eq!(
            one[0],
            first.iter().find(|x| x.contact_id == "c2").unwrap().clone()
        );
    }

    #[test]
    fn interactions_after_now_are_ignored() {
        let now = at("2025-03-20T12:00:00Z");
        let contacts = vec![contact("c1", "Ana Lima")];
        let ints = vec![msg(
            "x",
            "c1",
            Channel::Twitter,
            OUT,
            now + hours(1),
            "Could you mentor me?",
        )];
        assert!(suggest(&contacts, &ints, &[], now, &SuggestSettings::default()).is_empty());
    }

    #[test]
    fn inserting_an_interaction_updates_one_contact() {
        let now = at("2025-03-20T12:00:00Z");
        let contacts = vec![contact("c1", "Ana Lima")];
        let ints: Vec<Interaction> = (0..5)
            .map(|k| {
                msg(
                    &format!("a{k}"),
                    "c1",
                    Channel::Twitter,
                    if k % 2 == 0 { OUT } else { IN },
                    now - hours(10 - k),
                    "MARC 856 fields again",
                )
            })
            .collect();
        let extra = msg(
            "a9",
            "c1",
            Channel::Twitter,
            IN,
            now - hours(1),
            "and again",
        );
        let s = SuggestSettings::default();
        let mut index = SuggestIndex::new(&contacts, &ints, &[]);
        assert!(index.for_contact("c1", now, &s).is_empty());
        index.insert(&extra);
        let after = index.for_contact("c1", now, &s);
        assert_eq!(after.len(), 1);
        assert_eq!(after[0].rule, "long_thread");
        assert_eq!(after[0].evidence.last().unwrap(), "a9");
        assert!(index.for_contact("nobody", now, &s).is_empty());
        // Interactions may name people who are not contacts (yet): they are skipped.
        let ghost = vec![msg(
            "g",
            "ghost",
            Channel::Twitter,
            OUT,
            now,
            "Be my mentor?",
        )];
        assert!(suggest_for_contact("ghost", &contacts, &ghost, &[], now, &s).is_empty());
        assert!(suggest(&contacts, &ghost, &[], now, &s).is_empty());
    }

    #[test]
    fn balance_keeps_every_rule_and_lets_the_strongest_lead() {
        let mk = |rule, score| Found {
            rule,
            from: None,
            to: Channel::Email,
            score,
            reasons: vec![],
            evidence: vec![],
            anchor: String::new(),
            event: None,
        };
        let mut found = vec![mk(Rule::LongThread, 0.6), mk(Rule::SensitivePublic, 0.8)];
        balance(&mut found);
        assert_eq!(found[0].rule, Rule::SensitivePublic);
        assert!((found[0].score - 0.83).abs() < 1e-9);
        assert!((found[1].score - 0.51).abs() < 1e-9);
    }
}
