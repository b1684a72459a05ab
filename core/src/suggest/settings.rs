//! The thresholds behind every suggestion. The app shows and edits them; every field has a
//! default that matches what the research behind Kith describes, so a partial settings object
//! (or none at all) works.

use serde::{Deserialize, Serialize};
use specta::Type;

/// Thresholds for the suggestion rules and the keep-in-touch cadences.
///
/// Durations are whole days or hours; counts are numbers of interactions. A count of zero is
/// read as one, so a rule can be made as eager as possible but never fires on nothing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
#[serde(default)]
pub struct SuggestSettings {
    /// Move suggestions (long thread, length pressure, sensitive topic, mentoring ask, volley,
    /// email burst) only fire when their latest evidence is at most this many days old.
    pub recency_days: u32,

    /// Long exchange on a short-form channel: at least this many messages…
    pub long_thread_min_messages: u32,
    /// …within this many hours, both sides contributing.
    pub long_thread_window_hours: u32,

    /// Platform length limits, in characters.
    pub length_limit_twitter: u32,
    pub length_limit_bluesky: u32,
    pub length_limit_mastodon: u32,
    /// A message is "near the limit" at this percentage of it or more.
    pub length_near_percent: u32,
    /// How many near-limit or numbered multi-part messages make a pattern.
    pub length_min_messages: u32,

    /// Words and phrases that make a public message sensitive (careers, applications,
    /// references, conflicts at work, health). Whole words, any case; simple plurals and
    /// inflections ("interviews", "interviewing", "salaries") match too.
    pub sensitive_keywords: Vec<String>,
    /// Everyday phrases that contain a sensitive word but are not sensitive ("reference desk",
    /// "great job", "health sciences"): a keyword inside one of them does not count.
    pub sensitive_ignore_phrases: Vec<String>,

    /// Phrases that ask for (or offer) mentoring.
    pub mentoring_ask_phrases: Vec<String>,

    /// Meet at an event: events starting within this many days from now (or under way).
    pub event_lookahead_days: u32,
    /// …with someone never met in person, or not in person for at least this many days.
    pub event_in_person_stale_days: u32,

    /// One-to-one volley in a crowded thread: the thread has at least this many participants
    /// besides the contact…
    pub volley_min_other_participants: u32,
    /// …and the user and the contact exchanged at least this many messages in it, each side
    /// writing at least two.
    pub volley_min_messages: u32,

    /// Unanswered: an outbound message with no reply on any channel for this many days…
    pub unanswered_days: u32,
    /// …while the contact's median reply time on another channel is at most this many hours…
    pub unanswered_reply_hours: u32,
    /// …measured over at least this many replies on that channel.
    pub unanswered_min_samples: u32,
    /// Messages left unanswered for longer than this are history, not a nudge.
    pub unanswered_max_age_days: u32,

    /// Email burst: at least this many emails, both directions…
    pub email_burst_min_messages: u32,
    /// …within this many days.
    pub email_burst_window_days: u32,

    /// Gone quiet applies to mentors and to regular contacts: this many interactions or more.
    pub gone_quiet_min_interactions: u32,
    /// The silence must be at least this multiple of the usual gap between interactions…
    pub gone_quiet_rhythm_factor: f64,
    /// …and at least this many days.
    pub gone_quiet_min_days: u32,

    /// Met in person and nothing since for at least this many days: follow up.
    pub follow_up_days: u32,
    /// After this many days a meeting is too old for a follow-up (gone quiet takes over).
    pub follow_up_max_days: u32,

    /// Keep-in-touch cadence by role, in days, when the contact has no cadence of their own.
    pub cadence_mentor_days: u32,
    pub cadence_expert_days: u32,
    pub cadence_peer_days: u32,
    /// Cadence for regular contacts (see `gone_quiet_min_interactions`) with no role.
    pub cadence_regular_days: u32,
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

/// Default sensitive keywords. Bare "reference" is left out on purpose: librarians share
/// references (citations) all day; the phrases below catch the job-reference sense.
pub const DEFAULT_SENSITIVE_KEYWORDS: &[&str] = &[
    "job",
    "interview",
    "salary",
    "pay rise",
    "pay cut",
    "pay gap",
    "payslip",
    "job reference",
    "reference letter",
    "letter of reference",
    "references for",
    "a reference for",
    "be a reference",
    "be my reference",
    "as a reference",
    "as my reference",
    "write a reference",
    "give a reference",
    "provide a reference",
    "need a reference",
    "me a reference",
    "reference check",
    "of my references",
    "references from",
    "referee",
    "manager",
    "boss",
    "conflict",
    "grievance",
    "harassment",
    "bullying",
    "disciplinary",
    "performance review",
    "health",
    "sick",
    "sick leave",
    "illness",
    "diagnosis",
    "burnout",
    "visa",
    "redundancy",
    "redundant",
    "laid off",
    "layoff",
    "restructure",
    "promotion",
    "application",
    "applying for",
    "applied for",
    "resign",
    "resignation",
    "fired",
    "tenure",
    "probation",
    "cv",
    "maternity",
    "pregnant",
];

/// Default phrases that mask a sensitive keyword.
pub const DEFAULT_SENSITIVE_IGNORE_PHRASES: &[&str] = &[
    "reference interview",
    "job well done",
    "good job",
    "great job",
    "nice job",
    "fine job",
    "top job",
    "brilliant job",
    "fantastic job",
    "amazing job",
    "awesome job",
    "wonderful job",
    "excellent job",
    "superb job",
    "terrific job",
    "job done",
    "new job",
    "job ad",
    "job advert",
    "job posting",
    "job board",
    "jobs board",
    "job title",
    "job description",
    "batch job",
    "cron job",
    "print job",
    "oral history interview",
    "author interview",
    "podcast interview",
    "radio interview",
    "user interview",
    "ux interview",
    "semi structured interview",
    "structured interview",
    "interview study",
    "interview data",
    "interview transcript",
    "health sciences",
    "health science",
    "health literacy",
    "health information",
    "health librarian",
    "health library",
    "health libraries",
    "public health",
    "consumer health",
    "health check",
    "health sciences library",
    "health and safety",
    "sick of",
    "fired up",
    "visa card",
    "by visa",
    "visa or mastercard",
    "visa and mastercard",
    "application profile",
    "web application",
    "mobile application",
    "application programming interface",
    "reference manager",
    "citation manager",
    "password manager",
    "package manager",
    "content manager",
    "merge conflict",
    "scheduling conflict",
    "schedule conflict",
    "timetable conflict",
    "calendar conflict",
    "product manager",
    "account manager",
    "project manager",
    "community manager",
    "social media manager",
    "book promotion",
    "library promotion",
    "event promotion",
    "promotion of",
];

/// Default mentoring asks and offers.
pub const DEFAULT_MENTORING_ASK_PHRASES: &[&str] = &[
    "be my mentor",
    "become my mentor",
    "act as my mentor",
    "be a mentor to me",
    "mentor me",
    "mentoring me",
    "would you mentor",
    "could you mentor",
    "can you mentor",
    "will you mentor",
    "would you consider mentoring",
    "looking for a mentor",
    "need a mentor",
    "being my mentor",
    "a mentor for me",
    "you as a mentor",
    "you as my mentor",
    "be your mentee",
    "as your mentee",
    "as a mentee",
    "to mentor you",
];

impl Default for SuggestSettings {
    fn default() -> Self {
        SuggestSettings {
            recency_days: 14,
            long_thread_min_messages: 6,
            long_thread_window_hours: 48,
            length_limit_twitter: 280,
            length_limit_bluesky: 300,
            length_limit_mastodon: 500,
            length_near_percent: 90,
            length_min_messages: 2,
            sensitive_keywords: strings(DEFAULT_SENSITIVE_KEYWORDS),
            sensitive_ignore_phrases: strings(DEFAULT_SENSITIVE_IGNORE_PHRASES),
            mentoring_ask_phrases: strings(DEFAULT_MENTORING_ASK_PHRASES),
            event_lookahead_days: 30,
            event_in_person_stale_days: 365,
            volley_min_other_participants: 3,
            volley_min_messages: 4,
            unanswered_days: 7,
            unanswered_reply_hours: 24,
            unanswered_min_samples: 2,
            unanswered_max_age_days: 90,
            email_burst_min_messages: 6,
            email_burst_window_days: 4,
            gone_quiet_min_interactions: 6,
            gone_quiet_rhythm_factor: 3.0,
            gone_quiet_min_days: 60,
            follow_up_days: 14,
            follow_up_max_days: 365,
            cadence_mentor_days: 30,
            cadence_expert_days: 90,
            cadence_peer_days: 60,
            cadence_regular_days: 90,
        }
    }
}

pub(crate) const MS_PER_HOUR: i64 = 3_600_000;
pub(crate) const MS_PER_DAY: i64 = 86_400_000;

impl SuggestSettings {
    pub(crate) fn recency_ms(&self) -> i64 {
        i64::from(self.recency_days) * MS_PER_DAY
    }

    /// The length limit of a short-form channel, if it has one.
    pub(crate) fn length_limit(&self, channel: crate::Channel) -> Option<u32> {
        match channel {
            crate::Channel::Twitter => Some(self.length_limit_twitter),
            crate::Channel::Bluesky => Some(self.length_limit_bluesky),
            crate::Channel::Mastodon => Some(self.length_limit_mastodon),
            _ => None,
        }
    }

    /// The character count from which a message on `channel` is near its limit.
    pub(crate) fn near_limit_chars(&self, channel: crate::Channel) -> Option<usize> {
        let limit = u64::from(self.length_limit(channel)?);
        let pct = u64::from(self.length_near_percent.min(100));
        // Round up: 90 % of 280 is 252 exactly; 90 % of 301 is 270.9, so 271 characters.
        let chars = (limit * pct).div_ceil(100);
        usize::try_from(chars.max(1)).ok()
    }
}

/// A count threshold, never below one.
pub(crate) fn at_least_one(n: u32) -> usize {
    n.max(1) as usize
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Channel;

    #[test]
    fn partial_settings_fill_in_defaults() {
        let s: SuggestSettings =
            serde_json::from_str(r#"{"long_thread_min_messages": 8}"#).unwrap();
        assert_eq!(s.long_thread_min_messages, 8);
        assert_eq!(s.long_thread_window_hours, 48);
        assert!(s.sensitive_keywords.iter().any(|k| k == "salary"));
    }

    #[test]
    fn near_limit_is_ninety_percent_rounded_up() {
        let s = SuggestSettings::default();
        assert_eq!(s.near_limit_chars(Channel::Twitter), Some(252));
        assert_eq!(s.near_limit_chars(Channel::Bluesky), Some(270));
        assert_eq!(s.near_limit_chars(Channel::Mastodon), Some(450));
        assert_eq!(s.near_limit_chars(Channel::Email), None);
        let odd = SuggestSettings {
            length_limit_twitter: 301,
            ..SuggestSettings::default()
        };
        assert_eq!(odd.near_limit_chars(Channel::Twitter), Some(271));
    }
}
