//! Small builders for the rules' tests.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::{rules, Ctx, Found, Prepared, Rule, SuggestIndex, SuggestSettings};
use crate::{Channel, Contact, Direction, Event, EventKind, Interaction, Role, RoleKind};

pub const OUT: Direction = Direction::Outbound;
pub const IN: Direction = Direction::Inbound;
pub const BOTH: Direction = Direction::Mutual;

pub fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

pub fn hours(h: i64) -> Duration {
    Duration::hours(h)
}

pub fn days(d: i64) -> Duration {
    Duration::days(d)
}

pub fn contact(id: &str, name: &str) -> Contact {
    let t = at("2020-01-01T00:00:00Z");
    Contact {
        id: id.into(),
        name: name.into(),
        handles: vec![],
        organisation: String::new(),
        location: String::new(),
        met_where: String::new(),
        met_on: None,
        met_through: String::new(),
        notes: String::new(),
        private_notes: String::new(),
        tags: vec![],
        expertise: vec![],
        roles: vec![],
        cadence_days: None,
        dates: Vec::new(),
        created_at: t,
        updated_at: t,
    }
}

pub fn with_role(mut c: Contact, kind: RoleKind) -> Contact {
    c.roles.push(Role {
        kind,
        direction: kind.default_direction(),
        topics: vec![],
        acknowledged: false,
    });
    c
}

/// A message; `public` follows the channel, as in the archive.
pub fn msg(
    id: &str,
    contact: &str,
    channel: Channel,
    direction: Direction,
    when: DateTime<Utc>,
    text: &str,
) -> Interaction {
    Interaction {
        id: id.into(),
        contact_ids: vec![contact.into()],
        channel,
        direction,
        occurred_at: when,
        public: matches!(
            channel,
            Channel::Twitter
                | Channel::Mastodon
                | Channel::Bluesky
                | Channel::Blog
                | Channel::Listserv
        ),
        text: text.into(),
        thread: None,
        tags: vec![],
        moment: None,
    }
}

pub fn in_thread(mut i: Interaction, thread: &str) -> Interaction {
    i.thread = Some(thread.into());
    i
}

pub fn private(mut i: Interaction) -> Interaction {
    i.public = false;
    i
}

pub fn event(id: &str, name: &str, starts: &str, ends: &str, attendees: &[&str]) -> Event {
    Event {
        id: id.into(),
        name: name.into(),
        kind: EventKind::Conference,
        starts_on: NaiveDate::parse_from_str(starts, "%Y-%m-%d").unwrap(),
        ends_on: NaiveDate::parse_from_str(ends, "%Y-%m-%d").unwrap(),
        location: "Melbourne".into(),
        hashtags: vec![],
        notes: String::new(),
        attendee_ids: attendees.iter().map(|s| (*s).to_owned()).collect(),
    }
}

/// `n` messages with `contact`, alternating out/in from `start`, `step` apart.
pub fn exchange(
    prefix: &str,
    contact: &str,
    channel: Channel,
    start: DateTime<Utc>,
    step: Duration,
    n: usize,
) -> Vec<Interaction> {
    (0..n)
        .map(|k| {
            msg(
                &format!("{prefix}{k}"),
                contact,
                channel,
                if k % 2 == 0 { OUT } else { IN },
                start + step * k as i32,
                "Have you tried the new Koha acquisitions module? We are weighing it up.",
            )
        })
        .collect()
}

/// Runs one rule for one contact.
pub fn run(
    rule: Rule,
    contact: &Contact,
    interactions: &[Interaction],
    events: &[Event],
    now: DateTime<Utc>,
    settings: &SuggestSettings,
) -> Option<Found> {
    let contacts = std::slice::from_ref(contact);
    let index = SuggestIndex::new(contacts, interactions, events);
    let prepared = Prepared::new(settings);
    let ctx = Ctx {
        index: &index,
        pos: 0,
        contact,
        entries: index.entries_until(0, now),
        now,
        now_ms: now.timestamp_millis(),
        settings,
        prepared: &prepared,
    };
    rules::evaluate(rule, &ctx)
}

/// Runs one rule with default settings.
pub fn run_default(
    rule: Rule,
    contact: &Contact,
    interactions: &[Interaction],
    events: &[Event],
    now: DateTime<Utc>,
) -> Option<Found> {
    run(
        rule,
        contact,
        interactions,
        events,
        now,
        &SuggestSettings::default(),
    )
}
