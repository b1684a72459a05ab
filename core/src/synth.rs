//! Synthetic learning networks of any size, for benchmarks, stress tests and the larger sample
//! networks.
//!
//! The same arguments always give the same network. Its shape follows what a librarian's
//! network looks like: a few close contacts with thousands of interactions and a long tail met
//! once or twice (Zipf-like); ten years of history, Twitter/X giving way to Mastodon and
//! Bluesky from late 2022; conversations that run as threads, with emails slower than posts;
//! group chats (#auslibchat and friends); conferences where people meet in person; a few
//! mentors, peers and experts. Text is made up from library topics (Koha, cataloguing, the
//! reference desk…) with varied length, and now and then runs near a platform's limit, comes
//! as a numbered thread, touches on a job or asks for mentoring, so every suggestion rule has
//! something to find.
//!
//! Everything here is invented: names, handles (on example domains) and text.

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};

use crate::domain::Records;
use crate::error::Result;
use crate::{
    Channel, Contact, Direction, Event, EventKind, Handle, Interaction, Moment, Platform, Role,
    RoleDirection, RoleKind,
};

/// A generated network.
#[derive(Debug, Clone, PartialEq)]
pub struct SynthNetwork {
    pub contacts: Vec<Contact>,
    pub interactions: Vec<Interaction>,
    pub events: Vec<Event>,
}

/// How many years of history a network spans.
const YEARS: i64 = 10;

/// Generates a network of exactly `contacts` contacts, `interactions` interactions and
/// `events` events, all at or before `now` except events, a few of which are upcoming.
pub fn network(
    contacts: usize,
    interactions: usize,
    events: usize,
    seed: u64,
    now: DateTime<Utc>,
) -> SynthNetwork {
    let mut g = Gen {
        rng: fastrand::Rng::with_seed(seed),
        now,
        start: now - Duration::days(365 * YEARS),
        out: Vec::with_capacity(interactions),
        threads: 0,
    };
    let people = g.people(contacts);
    let event_list = g.events(events, &people);

    let contact_list: Vec<Contact> = people.iter().map(|p| p.contact.clone()).collect();
    if contacts > 0 {
        // Everyone once or twice first, so the tail exists; then the rest by closeness.
        for p in &people {
            if g.out.len() >= interactions {
                break;
            }
            let n = if g.rng.f64() < 0.3 { 2 } else { 1 };
            let n = n.min(interactions - g.out.len());
            g.conversation(p, n);
        }
        g.meetings(&people, &event_list, interactions / 40);
        let picker = Picker::new(&people);
        while g.out.len() < interactions {
            let left = interactions - g.out.len();
            if g.rng.f64() < 0.04 && left >= 6 {
                g.group_chat(&people, &picker, left);
            } else {
                let p = &people[picker.pick(&mut g.rng)];
                let n = g.conversation_length(p).min(left);
                g.conversation(p, n);
            }
        }
    }

    let mut out = g.out;
    out.sort_by_key(|i| i.occurred_at);
    for (k, i) in out.iter_mut().enumerate() {
        i.id = format!("syn-i{k:07}");
    }
    SynthNetwork {
        contacts: contact_list,
        interactions: out,
        events: event_list,
    }
}

/// The network sizes the product is built and measured for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Size {
    /// A busy librarian: 5,000 contacts, 250,000 interactions over ten years, 50 events.
    Busy,
    /// Ten times busier: 50,000 contacts, 2,500,000 interactions, 500 events.
    Stress,
}

impl Size {
    pub const ALL: [Size; 2] = [Size::Busy, Size::Stress];

    pub fn as_str(self) -> &'static str {
        match self {
            Size::Busy => "busy",
            Size::Stress => "stress",
        }
    }

    pub fn contacts(self) -> usize {
        match self {
            Size::Busy => 5_000,
            Size::Stress => 50_000,
        }
    }

    pub fn interactions(self) -> usize {
        match self {
            Size::Busy => 250_000,
            Size::Stress => 2_500_000,
        }
    }

    pub fn events(self) -> usize {
        match self {
            Size::Busy => 50,
            Size::Stress => 500,
        }
    }
}

impl std::fmt::Display for Size {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Size {
    type Err = String;

    fn from_str(s: &str) -> Result<Size, String> {
        Size::ALL
            .into_iter()
            .find(|z| z.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| format!("unknown network size {s:?}: use busy or stress"))
    }
}

/// The seed of the sized networks, so the CLI, the benchmarks and the documented figures all
/// speak of the same network.
pub const SEED: u64 = 2026;

/// The network of `size`, as of `now`.
pub fn sized(size: Size, now: DateTime<Utc>) -> SynthNetwork {
    scaled(size, 1, now)
}

/// The network of `size` with every count divided by `divisor` (at least one contact): the
/// same shape at a scale a test can afford.
pub fn scaled(size: Size, divisor: usize, now: DateTime<Utc>) -> SynthNetwork {
    let d = divisor.max(1);
    network(
        (size.contacts() / d).max(1),
        size.interactions() / d,
        size.events() / d,
        SEED,
        now,
    )
}

/// The id prefix of every generated contact.
pub const CONTACT_PREFIX: &str = "syn-c";

impl From<SynthNetwork> for Records {
    fn from(n: SynthNetwork) -> Records {
        Records {
            contacts: n.contacts,
            interactions: n.interactions,
            events: n.events,
        }
    }
}

/// A contact and how they talk.
struct Person {
    contact: Contact,
    /// 0 is the closest.
    rank: usize,
    /// Active from, until.
    span: (DateTime<Utc>, DateTime<Utc>),
    /// Relative use of email, listserv, blog, calls and meetings against short-form posts.
    email: f64,
    listserv: f64,
    blog: f64,
    live: f64,
}

/// Picks people by closeness: a shifted Zipf law over the most active 40 %.
struct Picker {
    cumulative: Vec<f64>,
    order: Vec<usize>,
}

impl Picker {
    fn new(people: &[Person]) -> Picker {
        let mut order: Vec<usize> = (0..people.len()).collect();
        order.sort_by_key(|&i| people[i].rank);
        order.truncate((people.len() * 2 / 5).max(1));
        let mut total = 0.0;
        let cumulative = order
            .iter()
            .enumerate()
            .map(|(k, _)| {
                total += 1.0 / (k as f64 + 8.0);
                total
            })
            .collect();
        Picker { cumulative, order }
    }

    fn pick(&self, rng: &mut fastrand::Rng) -> usize {
        let total = *self.cumulative.last().unwrap_or(&1.0);
        let u = rng.f64() * total;
        let k = self.cumulative.partition_point(|&c| c < u);
        self.order[k.min(self.order.len() - 1)]
    }
}

struct Gen {
    rng: fastrand::Rng,
    now: DateTime<Utc>,
    start: DateTime<Utc>,
    out: Vec<Interaction>,
    threads: usize,
}

impl Gen {
    fn pick<'s>(&mut self, list: &[&'s str]) -> &'s str {
        list[self.rng.usize(..list.len())]
    }

    /// None, one or two different items of `list`, as a person would write them.
    fn some_of(&mut self, list: &[&str]) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for _ in 0..self.rng.usize(0..3) {
            let item = self.pick(list);
            if !out.iter().any(|o| o == item) {
                out.push(item.to_owned());
            }
        }
        out
    }

    fn time_between(&mut self, a: DateTime<Utc>, b: DateTime<Utc>) -> DateTime<Utc> {
        let span = (b - a).num_seconds().max(1);
        a + Duration::seconds(self.rng.i64(0..span))
    }

    fn people(&mut self, n: usize) -> Vec<Person> {
        // Closeness is shuffled against the ids, so close contacts are spread through the list.
        let mut ranks: Vec<usize> = (0..n).collect();
        self.rng.shuffle(&mut ranks);
        (0..n)
            .map(|i| {
                let rank = ranks[i];
                let close = rank < (n / 100).max(3);
                let first = self.pick(FIRST_NAMES);
                let last = self.pick(LAST_NAMES);
                let name = if self.rng.f64() < 0.05 {
                    let initial = (b'A' + self.rng.u8(0..26)) as char;
                    format!("{first} {initial}. {last}")
                } else {
                    format!("{first} {last}")
                };
                let slug = format!("{}{}", first.to_lowercase(), last.to_lowercase())
                    .replace(|c: char| !c.is_ascii_alphanumeric(), "");
                let mut handles = Vec::new();
                if self.rng.f64() < 0.7 {
                    handles.push(Handle {
                        platform: Platform::Twitter,
                        value: format!("@{slug}{}", i % 1000),
                    });
                }
                if self.rng.f64() < 0.5 {
                    let host = self.pick(MASTODON_HOSTS);
                    handles.push(Handle {
                        platform: Platform::Mastodon,
                        value: format!("@{slug}@{host}"),
                    });
                }
                if self.rng.f64() < 0.4 {
                    handles.push(Handle {
                        platform: Platform::Bluesky,
                        value: format!("@{slug}.bsky.social"),
                    });
                }
                if close || self.rng.f64() < 0.5 {
                    let domain = self.pick(EMAIL_DOMAINS);
                    handles.push(Handle {
                        platform: Platform::Email,
                        value: format!("{slug}@{domain}"),
                    });
                }
                if self.rng.f64() < 0.15 {
                    handles.push(Handle {
                        platform: Platform::Blog,
                        value: format!("https://{slug}.example.net/"),
                    });
                }

                let mut roles = Vec::new();
                let r = self.rng.f64();
                let mentor_odds = if close { 0.25 } else { 0.03 };
                if r < mentor_odds {
                    let direction = if self.rng.f64() < 0.8 {
                        RoleDirection::TheyAdviseMe
                    } else {
                        RoleDirection::IAdviseThem
                    };
                    roles.push(self.role(RoleKind::Mentor, direction));
                } else if r < mentor_odds + 0.12 {
                    roles.push(self.role(RoleKind::Peer, RoleDirection::Mutual));
                } else if r < mentor_odds + 0.18 {
                    roles.push(self.role(RoleKind::Expert, RoleDirection::TheyAdviseMe));
                }

                // When they were active: close contacts throughout, others for a stretch.
                let met = self.time_between(self.start, self.now - Duration::days(20));
                let until = if close || self.rng.f64() < 0.5 {
                    self.now
                } else {
                    self.time_between(met, self.now)
                };
                let met_event = self.pick(EVENT_NAMES);
                let (met_where, met_through) = match self.rng.u8(0..4) {
                    0 => (format!("{met_event} {}", met.year()), String::new()),
                    1 => (String::new(), self.pick(HASHTAGS).to_owned()),
                    2 => (format!("{} listserv", self.pick(LISTSERVS)), String::new()),
                    _ => (String::new(), String::new()),
                };
                let topics = self.some_of(TOPICS);
                let contact = Contact {
                    id: format!("{CONTACT_PREFIX}{i:06}"),
                    name,
                    handles,
                    organisation: self.pick(ORGANISATIONS).to_owned(),
                    location: self.pick(PLACES).to_owned(),
                    met_where,
                    met_on: Some(met.date_naive()),
                    met_through,
                    notes: if self.rng.f64() < 0.3 {
                        format!("Knows a lot about {}.", self.pick(TOPICS))
                    } else {
                        String::new()
                    },
                    private_notes: String::new(),
                    tags: self.some_of(TAGS),
                    expertise: topics,
                    roles,
                    dates: Vec::new(),
                    cadence_days: if self.rng.f64() < 0.05 {
                        Some([14, 30, 60, 90, 180][self.rng.usize(0..5)])
                    } else {
                        None
                    },
                    created_at: met,
                    updated_at: self.time_between(met, self.now),
                };
                Person {
                    contact,
                    rank,
                    span: (met, until),
                    email: if close { 0.35 } else { self.rng.f64() * 0.3 },
                    listserv: self.rng.f64() * 0.12,
                    blog: self.rng.f64() * 0.06,
                    live: if close { 0.05 } else { self.rng.f64() * 0.03 },
                }
            })
            .collect()
    }

    fn role(&mut self, kind: RoleKind, direction: RoleDirection) -> Role {
        Role {
            kind,
            direction,
            topics: self.some_of(TOPICS),
            acknowledged: self.rng.f64() < 0.4,
        }
    }

    fn events(&mut self, n: usize, people: &[Person]) -> Vec<Event> {
        let mut list = Vec::with_capacity(n);
        for k in 0..n {
            // Most in the past; about one in eight in the coming two months.
            let upcoming = k % 8 == 0;
            let day = if upcoming {
                self.now + Duration::days(self.rng.i64(1..60))
            } else {
                self.time_between(self.start, self.now - Duration::days(2))
            };
            let starts_on = day.date_naive();
            let (kind, length) = match self.rng.u8(0..10) {
                0..=5 => (EventKind::Conference, self.rng.i64(1..4)),
                6 | 7 => (EventKind::Meetup, 0),
                8 => (EventKind::TwitterChat, 0),
                _ => (EventKind::Webinar, 0),
            };
            let base = self.pick(EVENT_NAMES);
            let tag = self.pick(HASHTAGS);
            let attendees = if people.is_empty() {
                Vec::new()
            } else {
                let want = self.rng.usize(5..40).min(people.len());
                let mut ids: Vec<String> = Vec::with_capacity(want);
                for _ in 0..want * 3 {
                    if ids.len() >= want {
                        break;
                    }
                    // Closer people go to more events.
                    let p = &people[self.rng.usize(..people.len())];
                    let keep = p.rank < people.len() / 10 || self.rng.f64() < 0.3;
                    if keep && !ids.contains(&p.contact.id) {
                        ids.push(p.contact.id.clone());
                    }
                }
                ids
            };
            list.push(Event {
                id: format!("syn-e{k:04}"),
                name: format!("{base} {}", starts_on.year()),
                kind,
                starts_on,
                ends_on: starts_on + chrono::Days::new(length as u64),
                location: if kind == EventKind::TwitterChat || kind == EventKind::Webinar {
                    "Online".to_owned()
                } else {
                    self.pick(PLACES).to_owned()
                },
                hashtags: vec![tag.to_owned()],
                notes: String::new(),
                attendee_ids: attendees,
            });
        }
        list
    }

    /// In-person meetings at past conferences and meetups, about `budget` of them.
    fn meetings(&mut self, people: &[Person], events: &[Event], budget: usize) {
        let past: Vec<&Event> = events
            .iter()
            .filter(|e| {
                matches!(e.kind, EventKind::Conference | EventKind::Meetup)
                    && e.ends_on < self.now.date_naive()
            })
            .collect();
        if past.is_empty() || people.is_empty() {
            return;
        }
        let by_id: std::collections::HashMap<&str, usize> = people
            .iter()
            .enumerate()
            .map(|(k, p)| (p.contact.id.as_str(), k))
            .collect();
        let mut made = 0;
        for _ in 0..budget * 4 {
            if made >= budget {
                break;
            }
            let e = past[self.rng.usize(..past.len())];
            if e.attendee_ids.is_empty() {
                continue;
            }
            let id = &e.attendee_ids[self.rng.usize(..e.attendee_ids.len())];
            let Some(p) = by_id.get(id.as_str()).map(|&k| &people[k]) else {
                continue;
            };
            let days = (e.ends_on - e.starts_on).num_days().max(0) + 1;
            let day = e.starts_on + chrono::Days::new(self.rng.u64(0..days as u64));
            let when = at_hour(day, self.rng.u32(8..20), self.rng.u32(0..60));
            if when > self.now {
                continue;
            }
            let topic = self.pick(TOPICS);
            let what = self.pick(&[
                "Coffee between sessions",
                "Lunch",
                "Chatted after the keynote",
                "Dinner with the group",
                "Met at the poster session",
            ]);
            let text = format!("{what} at {}: talked about {topic}.", e.name);
            self.push(
                p,
                Channel::InPerson,
                Direction::Mutual,
                when,
                text,
                None,
                vec![],
            );
            made += 1;
        }
    }

    fn conversation_length(&mut self, p: &Person) -> usize {
        let close = p.rank < 50;
        // Geometric: most exchanges are short, some run long.
        let stop = if close { 0.25 } else { 0.45 };
        let mut n = 1;
        while n < 30 && self.rng.f64() > stop {
            n += 1;
        }
        n
    }

    fn channel_at(&mut self, p: &Person, t: DateTime<Utc>) -> Channel {
        let r = self.rng.f64();
        let mut acc = p.live;
        if r < acc {
            return match self.rng.u8(0..3) {
                0 => Channel::InPerson,
                1 => Channel::VideoCall,
                _ => Channel::Phone,
            };
        }
        acc += p.email;
        if r < acc {
            return Channel::Email;
        }
        acc += p.listserv;
        if r < acc {
            return Channel::Listserv;
        }
        acc += p.blog;
        if r < acc {
            return Channel::Blog;
        }
        short_form_at(t, self.rng.f64())
    }

    /// A conversation of `n` interactions with one person.
    fn conversation(&mut self, p: &Person, n: usize) {
        if n == 0 {
            return;
        }
        let t0 = self.time_between(p.span.0, p.span.1);
        let channel = self.channel_at(p, t0);
        if matches!(
            channel,
            Channel::InPerson | Channel::VideoCall | Channel::Phone
        ) {
            // A call or a meeting is one interaction; the rest follows by email.
            let text = live_text(&mut self.rng, channel);
            let when = t0.min(self.now);
            self.push(p, channel, Direction::Mutual, when, text, None, vec![]);
            if n > 1 {
                self.messages(p, Channel::Email, n - 1, when + Duration::hours(3));
            }
            return;
        }
        self.messages(p, channel, n, t0);
    }

    /// `n` messages back and forth on one channel, starting around `t0`.
    fn messages(&mut self, p: &Person, channel: Channel, n: usize, t0: DateTime<Utc>) {
        let mean_gap_min: f64 = match channel {
            Channel::Email => 16.0 * 60.0,
            Channel::Listserv => 30.0 * 60.0,
            Channel::Blog => 48.0 * 60.0,
            _ => 70.0,
        };
        let mut gaps: Vec<i64> = (0..n)
            .map(|k| {
                if k == 0 {
                    0
                } else {
                    (-(1.0 - self.rng.f64()).ln() * mean_gap_min * 60.0) as i64 + 30
                }
            })
            .collect();
        let total: i64 = gaps.iter().sum();
        let latest_start = self.now - Duration::seconds(total + 60);
        // A conversation that would run past now started earlier instead.
        let mut t = if t0 > latest_start {
            self.time_between(latest_start - Duration::seconds(total), latest_start)
        } else {
            t0
        };
        self.threads += 1;
        let thread = format!("syn-t{:07}", self.threads);
        let dm = channel.is_short_form() && self.rng.f64() < 0.1;
        let mut direction = if self.rng.f64() < 0.5 {
            Direction::Outbound
        } else {
            Direction::Inbound
        };
        let numbered = channel.is_short_form() && n >= 3 && self.rng.f64() < 0.04;
        for (k, gap) in gaps.drain(..).enumerate() {
            t += Duration::seconds(gap);
            let mut text = message_text(&mut self.rng, channel);
            if numbered {
                text = format!("{}/{} {text}", k + 1, n);
            }
            let tags = if channel.is_short_form() && self.rng.f64() < 0.3 {
                vec![HASHTAGS[self.rng.usize(..HASHTAGS.len())].to_owned()]
            } else {
                vec![]
            };
            let i = self.push(p, channel, direction, t, text, Some(thread.clone()), tags);
            if dm {
                self.out[i].public = false;
            }
            // Mostly alternating, sometimes two in a row.
            if self.rng.f64() < 0.8 {
                direction = match direction {
                    Direction::Outbound => Direction::Inbound,
                    _ => Direction::Outbound,
                };
            }
        }
    }

    /// A hashtag chat: several people in one public thread, the user replying to some.
    fn group_chat(&mut self, people: &[Person], picker: &Picker, left: usize) {
        let size = self.rng.usize(3..7);
        let mut who: Vec<usize> = Vec::new();
        for _ in 0..size * 3 {
            let k = picker.pick(&mut self.rng);
            if !who.contains(&k) {
                who.push(k);
            }
            if who.len() >= size {
                break;
            }
        }
        let n = self.rng.usize(6..20).min(left);
        let t0 = self.time_between(self.start, self.now - Duration::hours(2));
        let tag = self.pick(HASHTAGS);
        self.threads += 1;
        let thread = format!("syn-chat{:07}", self.threads);
        let mut t = t0;
        for k in 0..n {
            t += Duration::seconds(self.rng.i64(20..600));
            if t > self.now {
                break;
            }
            let p = &people[who[k % who.len()]];
            let channel = short_form_at(t0, 0.0);
            let direction = if self.rng.f64() < 0.35 {
                Direction::Outbound
            } else {
                Direction::Inbound
            };
            let text = format!(
                "Q{}: {} {tag}",
                1 + k / who.len(),
                message_text(&mut self.rng, channel)
            );
            let text: String = text.chars().take(280).collect();
            self.push(
                p,
                channel,
                direction,
                t,
                text,
                Some(thread.clone()),
                vec![tag.to_owned()],
            );
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        p: &Person,
        channel: Channel,
        direction: Direction,
        when: DateTime<Utc>,
        text: String,
        thread: Option<String>,
        tags: Vec<String>,
    ) -> usize {
        let public = matches!(
            channel,
            Channel::Twitter
                | Channel::Mastodon
                | Channel::Bluesky
                | Channel::Blog
                | Channel::Listserv
        );
        let moment = if channel.is_short_form() && self.rng.f64() < 0.03 {
            Some(match direction {
                Direction::Inbound => Moment::Received,
                _ if self.rng.f64() < 0.5 => Moment::Asked,
                _ => Moment::Advised,
            })
        } else {
            None
        };
        self.out.push(Interaction {
            id: String::new(),
            contact_ids: vec![p.contact.id.clone()],
            channel,
            direction,
            occurred_at: when.min(self.now),
            public,
            text,
            thread,
            tags,
            moment,
        });
        self.out.len() - 1
    }
}

fn at_hour(day: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
    let naive = day.and_hms_opt(hour, minute, 0).unwrap_or_default();
    Utc.from_utc_datetime(&naive)
}

/// The short-form network people used at `t`: Twitter/X alone until late 2022, then a move to
/// Mastodon, and to Bluesky from late 2023. `u` in 0..1 picks among them.
fn short_form_at(t: DateTime<Utc>, u: f64) -> Channel {
    let mastodon_era = Utc.with_ymd_and_hms(2022, 11, 1, 0, 0, 0).unwrap();
    let bluesky_era = Utc.with_ymd_and_hms(2023, 9, 1, 0, 0, 0).unwrap();
    if t < mastodon_era {
        Channel::Twitter
    } else if t < bluesky_era {
        if u < 0.55 {
            Channel::Twitter
        } else {
            Channel::Mastodon
        }
    } else if u < 0.25 {
        Channel::Twitter
    } else if u < 0.6 {
        Channel::Mastodon
    } else {
        Channel::Bluesky
    }
}

fn pick<'s>(rng: &mut fastrand::Rng, list: &[&'s str]) -> &'s str {
    list[rng.usize(..list.len())]
}

/// A made-up sentence about library work.
fn sentence(rng: &mut fastrand::Rng) -> String {
    let topic = pick(rng, TOPICS);
    let other = pick(rng, TOPICS);
    let template = pick(rng, SENTENCES);
    template
        .replace("{t}", topic)
        .replace("{u}", other)
        .replace("{n}", &rng.u32(2..60).to_string())
}

fn live_text(rng: &mut fastrand::Rng, channel: Channel) -> String {
    let topic = pick(rng, TOPICS);
    match channel {
        Channel::VideoCall => format!("Video call: walked through {topic} and next steps."),
        Channel::Phone => format!("Phone call about {topic}."),
        _ => format!("Coffee in town: talked about {topic}."),
    }
}

fn message_text(rng: &mut fastrand::Rng, channel: Channel) -> String {
    // Rarely, the things the suggestion rules look for.
    let r = rng.f64();
    if r < 0.004 {
        return pick(rng, SENSITIVE_LINES).to_owned();
    }
    if r < 0.0045 {
        return "Would you be my mentor? I'd love to learn how you approach cataloguing."
            .to_owned();
    }
    match channel {
        Channel::Twitter | Channel::Mastodon | Channel::Bluesky => {
            let limit = match channel {
                Channel::Twitter => 280,
                Channel::Bluesky => 300,
                _ => 500,
            };
            let long = rng.f64() < 0.08;
            let mut text = sentence(rng);
            while long && text.chars().count() < limit * 9 / 10 {
                text.push(' ');
                text.push_str(&sentence(rng));
            }
            if !long && rng.f64() < 0.5 {
                text.push(' ');
                text.push_str(pick(rng, HASHTAGS));
            }
            if text.chars().count() > limit {
                text = text.chars().take(limit).collect();
            }
            text
        }
        Channel::Email => {
            let greeting = pick(rng, &["Hi", "Hello", "Dear", "Morning"]);
            let n = rng.usize(2..7);
            let body: Vec<String> = (0..n).map(|_| sentence(rng)).collect();
            let close = pick(
                rng,
                &["Cheers", "Best", "Thanks again", "Warmly", "Talk soon"],
            );
            format!("{greeting},\n\n{}\n\n{close}", body.join(" "))
        }
        Channel::Listserv => {
            let list = pick(rng, LISTSERVS);
            let n = rng.usize(1..5);
            let body: Vec<String> = (0..n).map(|_| sentence(rng)).collect();
            format!("[{list}] {}\n\n{}", pick(rng, TOPICS), body.join(" "))
        }
        Channel::Blog => format!("Comment: {} {}", sentence(rng), sentence(rng)),
        _ => sentence(rng),
    }
}

const FIRST_NAMES: &[&str] = &[
    "Ana", "Ben", "Chloe", "Dev", "Eilidh", "Farah", "Gus", "Hana", "Ines", "Jack", "Kiri", "Liam",
    "Maia", "Nadia", "Oscar", "Priya", "Quinn", "Rosa", "Sam", "Tama", "Uma", "Vic", "Wen",
    "Xavier", "Yasmin", "Zoe", "Aroha", "Bronwyn", "Ciarán", "Deb", "Emeka", "Fiona", "Grace",
    "Hemi", "Isla", "Jun", "Kate", "Lachlan", "Mei", "Niamh", "Olu", "Pip", "Rangi", "Siobhan",
    "Tomás", "Ursula", "Vikram", "Wiremu", "Yusuf", "Zainab", "Alex", "Bea", "Colm", "Dani",
    "Elif", "Femi", "Gemma", "Huw", "Ira", "Jo",
];

const LAST_NAMES: &[&str] = &[
    "Lima",
    "Okafor",
    "Nguyen",
    "Patel",
    "MacLeod",
    "Haddad",
    "Williams",
    "Sato",
    "Ferreira",
    "O'Brien",
    "Ngata",
    "Kowalski",
    "Tui",
    "Rahman",
    "Lindqvist",
    "Iyer",
    "Murphy",
    "García",
    "Smith",
    "Parata",
    "Chen",
    "Brown",
    "Kaur",
    "Dubois",
    "Jones",
    "Takahashi",
    "Walsh",
    "Singh",
    "Rossi",
    "Campbell",
    "Adeyemi",
    "Kelly",
    "Novak",
    "Henare",
    "Park",
    "Doyle",
    "Ahmed",
    "Evans",
    "Silva",
    "Morrison",
    "Kim",
    "Byrne",
    "Mensah",
    "Fraser",
    "Ito",
    "Clarke",
    "Petrov",
    "Hughes",
    "Costa",
    "Reid",
    "Zhang",
    "Thompson",
    "Begum",
    "Stewart",
    "Ali",
    "Taylor",
    "Moreau",
    "Young",
    "Santos",
    "Wright",
];

const ORGANISATIONS: &[&str] = &[
    "State Library of Victoria",
    "State Library of NSW",
    "National Library of Australia",
    "National Library of New Zealand",
    "Auckland Libraries",
    "Wellington City Libraries",
    "University of Melbourne Library",
    "Monash University Library",
    "University of Sydney Library",
    "Queensland University of Technology Library",
    "Charles Sturt University",
    "City of Sydney Libraries",
    "Brisbane City Council Libraries",
    "Toronto Public Library",
    "British Library",
    "University of Edinburgh Library",
    "New York Public Library",
    "Library of Congress",
    "Koha community",
    "ALIA",
    "LIANZA",
    "CILIP",
    "Freelance",
];

const PLACES: &[&str] = &[
    "Melbourne",
    "Sydney",
    "Brisbane",
    "Canberra",
    "Perth",
    "Adelaide",
    "Hobart",
    "Auckland",
    "Wellington",
    "Christchurch",
    "Dunedin",
    "Toronto",
    "London",
    "Edinburgh",
    "Dublin",
    "New York",
    "Chicago",
    "Vancouver",
];

const MASTODON_HOSTS: &[&str] = &["glammr.us", "mastodon.social", "aus.social", "mastodon.nz"];

const EMAIL_DOMAINS: &[&str] = &["example.org", "example.edu", "example.com", "example.net"];

const HASHTAGS: &[&str] = &[
    "#auslibchat",
    "#critlib",
    "#code4lib",
    "#librarytwitter",
    "#GLAMblogclub",
    "#uklibchat",
    "#nzlibs",
    "#metadata",
    "#cataloguing",
    "#openaccess",
    "#libux",
    "#kohails",
];

const LISTSERVS: &[&str] = &[
    "Koha",
    "AUTOCAT",
    "NEWCARDS",
    "aliaNEWGRADS",
    "CODE4LIB",
    "LIS-LINK",
    "NZLIS",
];

const EVENT_NAMES: &[&str] = &[
    "VALA",
    "ALIA National Conference",
    "NLS",
    "LIANZA Conference",
    "IFLA WLIC",
    "Code4Lib",
    "CILIP Conference",
    "KohaCon",
    "THETA",
    "Library Carpentry Meetup",
    "#auslibchat Live",
    "Cataloguing Community Day",
];

const TAGS: &[&str] = &[
    "cataloguing",
    "systems",
    "koha",
    "public libraries",
    "academic",
    "research support",
    "children's services",
    "special collections",
    "conference buddy",
    "new grad",
];

const TOPICS: &[&str] = &[
    "Koha",
    "Evergreen",
    "Alma",
    "Primo VE",
    "FOLIO",
    "MARC 21",
    "RDA",
    "BIBFRAME",
    "Dublin Core",
    "LCSH",
    "Dewey",
    "authority control",
    "serials prediction patterns",
    "interlibrary loan",
    "reference desk",
    "storytime",
    "makerspaces",
    "digital preservation",
    "open access",
    "OER",
    "copyright",
    "information literacy",
    "research data management",
    "ORCID",
    "metadata cleanup",
    "OpenRefine",
    "MarcEdit",
    "Z39.50",
    "WorldCat",
    "Trove",
    "weeding",
    "collection development",
    "readers' advisory",
    "library UX",
    "accessibility audits",
    "web archiving",
    "oral history",
    "special collections",
    "EZproxy",
    "discovery layers",
    "link resolvers",
    "cataloguing backlogs",
    "patron privacy",
    "Library Carpentry",
    "Python for librarians",
    "systematic reviews",
    "community outreach",
    "library advocacy",
];

const SENTENCES: &[&str] = &[
    "Has anyone moved from {t} to {u}?",
    "We're trialling {t} at work this month; early days but promising.",
    "Great post on {t}, thanks for sharing.",
    "How does your library handle {t}?",
    "Agree, {t} is underrated. We saw {n}% fewer complaints after the change.",
    "Do you have the slides from your talk on {t}?",
    "The eternal {t} question. We went with {u} in the end.",
    "Reading your write-up on {t} now.",
    "Our team spent {n} hours on {t} last quarter and it paid off.",
    "Would love to compare notes on {t} some time.",
    "Quick one: is {t} worth the effort for a small library?",
    "Spent the morning on {t}; the afternoon on {u}.",
    "Thanks for the pointer to that {t} guide, it saved me a day.",
    "We finally documented our {t} workflow, happy to share it.",
    "Anyone presenting on {t} at the next conference?",
    "Still thinking about your point on {t} and {u}.",
    "Our {t} pilot reached {n} branches this week.",
    "Is there a good community of practice for {t}?",
    "I keep coming back to {t} as the thing we under-resource.",
    "The new {t} release notes are out, worth a read.",
];

const SENSITIVE_LINES: &[&str] = &[
    "Good luck with the interview tomorrow! You'll be great.",
    "Did you hear back about the job at the State Library?",
    "Happy to be a reference for you, just let me know.",
    "Sorry to hear about the redundancies at your place.",
    "Hope your health is on the mend, thinking of you.",
];

/// The archive's size: tweets, direct messages and the people they are with.
#[derive(Debug, Clone, Copy)]
pub struct TwitterShape {
    pub tweets: usize,
    pub dms: usize,
    pub people: usize,
}

impl TwitterShape {
    /// 100,000 tweets and 10,000 direct messages with 2,000 people, times `scale`.
    pub fn scaled(scale: usize) -> TwitterShape {
        TwitterShape {
            tweets: 100_000 * scale,
            dms: 10_000 * scale,
            people: 2_000 * scale,
        }
    }
}

/// Writes a large Twitter/X archive, laid out the way the platform lays one out:
/// `data/account.js`, `data/tweets.js` (a third of them replies) and
/// `data/direct-messages.js` (conversations of ten messages), every tweet mentioning one of
/// `shape.people` accounts. For benchmarks of the importer.
pub fn write_twitter_archive(path: &std::path::Path, shape: TwitterShape) -> std::io::Result<()> {
    use std::io::Write;
    let file = std::fs::File::create(path)?;
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default();
    zip.start_file("data/account.js", options)?;
    zip.write_all(br#"window.YTD.account.part0 = [{"account": {"username": "me", "accountId": "1", "accountDisplayName": "Me"}}]"#)?;

    zip.start_file("data/tweets.js", options)?;
    let mut out = String::from("window.YTD.tweets.part0 = [\n");
    for n in 0..shape.tweets {
        let who = 1000 + n % shape.people;
        let reply = if n % 3 == 0 && n > 0 {
            format!(
                r#""in_reply_to_status_id_str": "{}", "in_reply_to_user_id_str": "{who}", "in_reply_to_screen_name": "user{who}","#,
                10_000_000 + n - 1
            )
        } else {
            String::new()
        };
        if n > 0 {
            out.push_str(",\n");
        }
        out.push_str(&format!(
            r#"{{"tweet": {{"id_str": "{}", "created_at": "Sat Aug 12 16:{:02}:37 +0000 2023", {reply} "full_text": "@user{who} thanks for tweet number {n} about #code4lib &amp; cataloguing", "entities": {{"user_mentions": [{{"screen_name": "user{who}", "name": "Person {who}", "id_str": "{who}"}}], "hashtags": [{{"text": "code4lib"}}]}}}}}}"#,
            10_000_000 + n,
            n % 60
        ));
    }
    out.push_str("\n]");
    zip.write_all(out.as_bytes())?;

    zip.start_file("data/direct-messages.js", options)?;
    let mut out = String::from("window.YTD.direct_messages.part0 = [\n");
    let per = 10;
    for c in 0..shape.dms / per {
        let who = 1000 + c % shape.people;
        if c > 0 {
            out.push_str(",\n");
        }
        out.push_str(&format!(
            r#"{{"dmConversation": {{"conversationId": "1-{who}", "messages": ["#
        ));
        for m in 0..per {
            let id = 50_000_000 + c * per + m;
            let (s, r) = if m % 2 == 0 { (who, 1) } else { (1, who) };
            if m > 0 {
                out.push(',');
            }
            out.push_str(&format!(
                r#"{{"messageCreate": {{"recipientId": "{r}", "senderId": "{s}", "id": "{id}", "text": "message {id} about serials", "createdAt": "2023-08-16T08:{:02}:00.000Z"}}}}"#,
                m % 60
            ));
        }
        out.push_str("]}}");
    }
    out.push_str("\n]");
    zip.write_all(out.as_bytes())?;
    zip.finish()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap()
    }

    #[test]
    fn sizes_are_exact_and_the_result_is_deterministic() {
        let a = network(200, 5_000, 10, 7, now());
        assert_eq!(a.contacts.len(), 200);
        assert_eq!(a.interactions.len(), 5_000);
        assert_eq!(a.events.len(), 10);
        assert_eq!(a, network(200, 5_000, 10, 7, now()));
        assert_ne!(
            a.interactions,
            network(200, 5_000, 10, 8, now()).interactions
        );
    }

    #[test]
    fn tiny_and_empty_networks_work() {
        let empty = network(0, 100, 3, 1, now());
        assert!(empty.contacts.is_empty() && empty.interactions.is_empty());
        let small = network(10, 3, 0, 1, now());
        assert_eq!(small.interactions.len(), 3);
    }

    #[test]
    fn sizes_parse_and_scale() {
        assert_eq!("busy".parse::<Size>(), Ok(Size::Busy));
        assert_eq!(" Stress ".parse::<Size>(), Ok(Size::Stress));
        let err = "huge".parse::<Size>().unwrap_err();
        assert!(
            err.contains("\"huge\"") && err.contains("busy or stress"),
            "{err}"
        );
        for size in Size::ALL {
            assert_eq!(size.as_str().parse::<Size>(), Ok(size));
        }
        assert_eq!(
            (Size::Stress.contacts(), Size::Stress.interactions()),
            (10 * Size::Busy.contacts(), 10 * Size::Busy.interactions())
        );
        let small = scaled(Size::Busy, 100, now());
        assert_eq!(small.contacts.len(), 50);
        assert_eq!(small.interactions.len(), 2_500);
        assert!(small.events.is_empty());
    }

    #[test]
    fn lists_hold_no_repeats() {
        let net = network(2_000, 2_000, 5, 11, now());
        let distinct = |items: &[String]| {
            let set: std::collections::HashSet<&String> = items.iter().collect();
            set.len() == items.len()
        };
        for c in &net.contacts {
            assert!(distinct(&c.tags), "{:?}", c.tags);
            assert!(distinct(&c.expertise), "{:?}", c.expertise);
            assert!(c.roles.iter().all(|r| distinct(&r.topics)), "{:?}", c.roles);
        }
        assert!(net.contacts.iter().any(|c| c.tags.len() == 2));
    }

    #[test]
    fn the_network_looks_like_one() {
        let net = network(1_000, 50_000, 20, 42, now());
        let ids: std::collections::HashSet<&str> =
            net.contacts.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids.len(), net.contacts.len());
        let mut per: std::collections::HashMap<&str, usize> = Default::default();
        for i in &net.interactions {
            assert!(i.occurred_at <= now());
            assert!(i.occurred_at >= now() - Duration::days(365 * YEARS + 2));
            assert!(i.contact_ids.iter().all(|c| ids.contains(c.as_str())));
            if let Some(limit) = match i.channel {
                Channel::Twitter => Some(280),
                Channel::Bluesky => Some(300),
                Channel::Mastodon => Some(500),
                _ => None,
            } {
                assert!(i.text.chars().count() <= limit + 10, "{}", i.text);
            }
            *per.entry(i.contact_ids[0].as_str()).or_default() += 1;
        }
        // Everyone has at least one interaction; a few have very many; most have few.
        assert_eq!(per.len(), 1_000);
        let mut counts: Vec<usize> = per.values().copied().collect();
        counts.sort_unstable();
        assert!(
            counts[counts.len() - 1] > 500,
            "busiest {}",
            counts[counts.len() - 1]
        );
        assert!(
            counts[counts.len() / 2] < 30,
            "median {}",
            counts[counts.len() / 2]
        );
        assert!(counts.iter().filter(|&&n| n <= 2).count() > 300);
        // Every channel appears, and the short-form era shows.
        for c in Channel::ALL.iter().filter(|c| **c != Channel::Other) {
            assert!(net.interactions.iter().any(|i| i.channel == *c), "{c:?}");
        }
        let early = Utc.with_ymd_and_hms(2020, 1, 1, 0, 0, 0).unwrap();
        assert!(!net
            .interactions
            .iter()
            .any(|i| i.occurred_at < early && i.channel == Channel::Bluesky));
        // Sorted and numbered.
        assert!(net
            .interactions
            .windows(2)
            .all(|w| w[0].occurred_at <= w[1].occurred_at));
        assert!(net.events.iter().any(|e| e.starts_on > now().date_naive()));
    }
}
