//! The things Kith knows about: contacts, the roles they play in the user's learning network,
//! the interactions between them, and the events where they meet.
//!
//! Every public id is a string key. Records created in Kith get a fresh key; records imported
//! from an archive keep the file's id as their key, so importing the same file again updates
//! them instead of adding copies.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use specta::Type;

/// A place a conversation can happen.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Type,
)]
#[serde(rename_all = "snake_case")]
#[serde(rename = "ChannelKind")] // "Channel" is taken by Tauri's own type in the bindings.
pub enum Channel {
    Twitter,
    Mastodon,
    Bluesky,
    Email,
    Blog,
    Listserv,
    InPerson,
    VideoCall,
    Phone,
    Other,
}

impl Channel {
    pub const ALL: [Channel; 10] = [
        Channel::Twitter,
        Channel::Mastodon,
        Channel::Bluesky,
        Channel::Email,
        Channel::Blog,
        Channel::Listserv,
        Channel::InPerson,
        Channel::VideoCall,
        Channel::Phone,
        Channel::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Twitter => "twitter",
            Channel::Mastodon => "mastodon",
            Channel::Bluesky => "bluesky",
            Channel::Email => "email",
            Channel::Blog => "blog",
            Channel::Listserv => "listserv",
            Channel::InPerson => "in_person",
            Channel::VideoCall => "video_call",
            Channel::Phone => "phone",
            Channel::Other => "other",
        }
    }

    /// A human label, for messages and exports.
    pub fn label(self) -> &'static str {
        match self {
            Channel::Twitter => "Twitter/X",
            Channel::Mastodon => "Mastodon",
            Channel::Bluesky => "Bluesky",
            Channel::Email => "email",
            Channel::Blog => "blog",
            Channel::Listserv => "listserv",
            Channel::InPerson => "in person",
            Channel::VideoCall => "video call",
            Channel::Phone => "phone",
            Channel::Other => "other",
        }
    }

    /// Short-form public channels: good for mentoring moments, poor for depth or privacy.
    pub fn is_short_form(self) -> bool {
        matches!(
            self,
            Channel::Twitter | Channel::Mastodon | Channel::Bluesky
        )
    }
}

impl std::str::FromStr for Channel {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let norm = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        let found = match norm.as_str() {
            "x" | "twitter_x" => Some(Channel::Twitter),
            "mail" | "e_mail" => Some(Channel::Email),
            "inperson" | "in_person" | "face_to_face" => Some(Channel::InPerson),
            "video" | "videocall" | "call" | "zoom" => Some(Channel::VideoCall),
            other => Channel::ALL.into_iter().find(|c| c.as_str() == other),
        };
        found.ok_or_else(|| {
            let names: Vec<_> = Channel::ALL.iter().map(|c| c.as_str()).collect();
            format!(
                "unknown channel {s:?} (expected one of: {})",
                names.join(", ")
            )
        })
    }
}

/// Who started or carried an interaction, from the user's point of view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// The user wrote or reached out.
    Outbound,
    /// The contact wrote or reached out.
    Inbound,
    /// Both sides took part (a call, a meeting, a thread summarised as one entry).
    Mutual,
}

impl Direction {
    pub const ALL: [Direction; 3] = [Direction::Outbound, Direction::Inbound, Direction::Mutual];
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Outbound => "outbound",
            Direction::Inbound => "inbound",
            Direction::Mutual => "mutual",
        }
    }
}

impl std::str::FromStr for Direction {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "outbound" | "out" | "sent" => Ok(Direction::Outbound),
            "inbound" | "in" | "received" => Ok(Direction::Inbound),
            "mutual" | "both" => Ok(Direction::Mutual),
            _ => Err(format!(
                "unknown direction {s:?} (expected outbound, inbound or mutual)"
            )),
        }
    }
}

/// Where a contact can be reached.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Type,
)]
#[serde(rename_all = "snake_case")]
pub enum Platform {
    Twitter,
    Mastodon,
    Bluesky,
    Email,
    Blog,
    Linkedin,
    Phone,
    Other,
}

impl Platform {
    pub const ALL: [Platform; 8] = [
        Platform::Twitter,
        Platform::Mastodon,
        Platform::Bluesky,
        Platform::Email,
        Platform::Blog,
        Platform::Linkedin,
        Platform::Phone,
        Platform::Other,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Twitter => "twitter",
            Platform::Mastodon => "mastodon",
            Platform::Bluesky => "bluesky",
            Platform::Email => "email",
            Platform::Blog => "blog",
            Platform::Linkedin => "linkedin",
            Platform::Phone => "phone",
            Platform::Other => "other",
        }
    }
}

impl std::str::FromStr for Platform {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let norm = s.trim().to_ascii_lowercase();
        let found = match norm.as_str() {
            "x" => Some(Platform::Twitter),
            "mail" | "e-mail" => Some(Platform::Email),
            "blog_url" | "url" | "website" | "web" => Some(Platform::Blog),
            "linked_in" => Some(Platform::Linkedin),
            "tel" | "telephone" => Some(Platform::Phone),
            other => Platform::ALL.into_iter().find(|p| p.as_str() == other),
        };
        found.ok_or_else(|| format!("unknown platform {s:?}"))
    }
}

/// The part a contact plays in the user's learning network.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Type,
)]
#[serde(rename_all = "snake_case")]
pub enum RoleKind {
    Mentor,
    Peer,
    Expert,
}

impl RoleKind {
    pub const ALL: [RoleKind; 3] = [RoleKind::Mentor, RoleKind::Peer, RoleKind::Expert];
    pub fn as_str(self) -> &'static str {
        match self {
            RoleKind::Mentor => "mentor",
            RoleKind::Peer => "peer",
            RoleKind::Expert => "expert",
        }
    }
    /// The direction a role has when nobody said otherwise.
    pub fn default_direction(self) -> RoleDirection {
        match self {
            RoleKind::Mentor | RoleKind::Expert => RoleDirection::TheyAdviseMe,
            RoleKind::Peer => RoleDirection::Mutual,
        }
    }
}

impl std::str::FromStr for RoleKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "mentor" => Ok(RoleKind::Mentor),
            "peer" => Ok(RoleKind::Peer),
            "expert" => Ok(RoleKind::Expert),
            _ => Err(format!(
                "unknown role {s:?} (expected mentor, peer or expert)"
            )),
        }
    }
}

/// Which way advice flows in a role. Mentoring works both ways.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum RoleDirection {
    TheyAdviseMe,
    IAdviseThem,
    Mutual,
}

impl RoleDirection {
    pub fn as_str(self) -> &'static str {
        match self {
            RoleDirection::TheyAdviseMe => "they_advise_me",
            RoleDirection::IAdviseThem => "i_advise_them",
            RoleDirection::Mutual => "mutual",
        }
    }
}

impl std::str::FromStr for RoleDirection {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "they_advise_me" | "received" | "mentee" => Ok(RoleDirection::TheyAdviseMe),
            "i_advise_them" | "given" => Ok(RoleDirection::IAdviseThem),
            "mutual" | "both" => Ok(RoleDirection::Mutual),
            _ => Err(format!(
                "unknown role direction {s:?} (expected they_advise_me, i_advise_them or mutual)"
            )),
        }
    }
}

/// One role a contact plays, for some topics.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct Role {
    pub kind: RoleKind,
    pub direction: RoleDirection,
    /// What the role is about ("Koha serials", "career"). Empty means "in general".
    #[serde(default)]
    pub topics: Vec<String>,
    /// Whether both sides know about it. Many mentors never learn they are one.
    #[serde(default)]
    pub acknowledged: bool,
}

/// A handle on one platform: `@name` on Twitter, `@name@host` on Mastodon, an address, a URL.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
pub struct Handle {
    pub platform: Platform,
    pub value: String,
}

/// What a mentoring moment was, from the user's side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum Moment {
    /// The user asked for advice.
    Asked,
    /// The user gave advice.
    Advised,
    /// The user received advice they had not asked for.
    Received,
}

impl Moment {
    pub fn as_str(self) -> &'static str {
        match self {
            Moment::Asked => "asked",
            Moment::Advised => "advised",
            Moment::Received => "received",
        }
    }
    /// The interaction direction a moment implies.
    pub fn direction(self) -> Direction {
        match self {
            Moment::Asked | Moment::Advised => Direction::Outbound,
            Moment::Received => Direction::Inbound,
        }
    }
}

impl std::str::FromStr for Moment {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "asked" => Ok(Moment::Asked),
            "advised" => Ok(Moment::Advised),
            "received" => Ok(Moment::Received),
            _ => Err(format!(
                "unknown moment {s:?} (expected asked, advised or received)"
            )),
        }
    }
}

/// A person in the user's learning network.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct Contact {
    pub id: String,
    pub name: String,
    pub handles: Vec<Handle>,
    pub organisation: String,
    pub location: String,
    /// How we met: where (a conference, a hashtag, a listserv).
    pub met_where: String,
    /// How we met: when.
    pub met_on: Option<NaiveDate>,
    /// How we met: through whom or which hashtag or chat.
    pub met_through: String,
    pub notes: String,
    /// Confidential notes: left out of every export meant for sharing.
    pub private_notes: String,
    pub tags: Vec<String>,
    /// Topics this person knows well.
    pub expertise: Vec<String>,
    pub roles: Vec<Role>,
    /// How often the user wants to be in touch, in days; `None` uses the default for the roles.
    pub cadence_days: Option<u32>,
    /// Birthdays, anniversaries and other days to remember.
    pub dates: Vec<ImportantDate>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What the user types to create or change a contact. Without `id` a new contact is created.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Type)]
pub struct ContactDraft {
    #[serde(default)]
    pub id: Option<String>,
    pub name: String,
    #[serde(default)]
    pub handles: Vec<Handle>,
    #[serde(default)]
    pub organisation: String,
    #[serde(default)]
    pub location: String,
    #[serde(default)]
    pub met_where: String,
    #[serde(default)]
    pub met_on: Option<NaiveDate>,
    #[serde(default)]
    pub met_through: String,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub private_notes: String,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub expertise: Vec<String>,
    #[serde(default)]
    pub roles: Vec<Role>,
    #[serde(default)]
    pub cadence_days: Option<u32>,
    #[serde(default)]
    pub dates: Vec<ImportantDate>,
}

/// What an important date marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum DateKind {
    Birthday,
    Anniversary,
    Other,
}

impl DateKind {
    pub const ALL: [DateKind; 3] = [DateKind::Birthday, DateKind::Anniversary, DateKind::Other];

    pub fn as_str(self) -> &'static str {
        match self {
            DateKind::Birthday => "birthday",
            DateKind::Anniversary => "anniversary",
            DateKind::Other => "other",
        }
    }

    /// A human label, for messages and exports.
    pub fn label(self) -> &'static str {
        match self {
            DateKind::Birthday => "Birthday",
            DateKind::Anniversary => "Anniversary",
            DateKind::Other => "Date",
        }
    }
}

impl std::str::FromStr for DateKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        DateKind::ALL
            .into_iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| format!("unknown kind of date {s:?} (birthday, anniversary, other)"))
    }
}

/// A day to remember about a contact, every year: a birthday, an anniversary. Address books
/// often know the day without the year (`--04-12`), so the year is optional.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
pub struct ImportantDate {
    pub kind: DateKind,
    /// What the date is, in the user's words ("wedding", "joined the library"); may be empty.
    pub label: String,
    /// 1 to 12.
    pub month: u32,
    /// 1 to 31, a day that month has (29 February only in a year that has it, or with no year).
    pub day: u32,
    pub year: Option<i32>,
}

impl ImportantDate {
    /// A date with `month` and `day` (and `year`) that exist, else `None`.
    pub fn new(kind: DateKind, month: u32, day: u32, year: Option<i32>) -> Option<ImportantDate> {
        let check_year = year.unwrap_or(2000); // a leap year: 29 February is a day without a year
        NaiveDate::from_ymd_opt(check_year, month, day)?;
        Some(ImportantDate {
            kind,
            label: String::new(),
            month,
            day,
            year,
        })
    }

    /// Whether the month and day exist (in the year, when there is one).
    pub fn is_valid(&self) -> bool {
        NaiveDate::from_ymd_opt(self.year.unwrap_or(2000), self.month, self.day).is_some()
    }

    /// The next time this date comes round on or after `today` (29 February falls on 28
    /// February in other years).
    pub fn next_on_or_after(&self, today: NaiveDate) -> Option<NaiveDate> {
        use chrono::Datelike;
        let on = |y: i32| {
            NaiveDate::from_ymd_opt(y, self.month, self.day)
                .or_else(|| NaiveDate::from_ymd_opt(y, self.month, self.day.saturating_sub(1)))
        };
        let this_year = on(today.year())?;
        if this_year >= today {
            Some(this_year)
        } else {
            on(today.year() + 1)
        }
    }

    /// Reads a date as address books write it: `1985-04-12`, `19850412`, `--04-12`, `--0412`,
    /// with a time after it or not (`1985-04-12T00:00:00Z`). Apple's `1604` stands for "no
    /// year" (`X-APPLE-OMIT-YEAR`), and is read so.
    pub fn parse(kind: DateKind, text: &str) -> Result<ImportantDate, String> {
        let t = text.trim();
        let date = t.split(['T', 't', ' ']).next().unwrap_or("");
        let bad =
            || format!("{t:?} is not a date (expected 1985-04-12, 19850412, --04-12 or --0412)");
        let (year, md) = match date.strip_prefix("--") {
            Some(rest) => (None, rest.replace('-', "")),
            None => {
                let dashes = date.matches('-').count();
                let ymd = date.replace('-', "");
                if ymd.len() != 8 || !ymd.is_ascii() || !(dashes == 0 || dashes == 2) {
                    return Err(bad());
                }
                (Some(ymd[..4].to_string()), ymd[4..].to_string())
            }
        };
        if md.len() != 4 || !md.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let year = match year {
            Some(y) if y.bytes().all(|b| b.is_ascii_digit()) => {
                Some(y.parse::<i32>().map_err(|_| bad())?).filter(|y| *y != 1604)
            }
            Some(_) => return Err(bad()),
            None => None,
        };
        let month: u32 = md[..2].parse().map_err(|_| bad())?;
        let day: u32 = md[2..].parse().map_err(|_| bad())?;
        ImportantDate::new(kind, month, day, year).ok_or_else(bad)
    }

    /// `1985-04-12`, or `--04-12` without a year (the vCard form).
    pub fn iso(&self) -> String {
        match self.year {
            Some(y) => format!("{y:04}-{:02}-{:02}", self.month, self.day),
            None => format!("--{:02}-{:02}", self.month, self.day),
        }
    }
}

/// A row of the contacts list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct ContactSummary {
    pub id: String,
    pub name: String,
    pub organisation: String,
    pub location: String,
    pub roles: Vec<RoleKind>,
    pub tags: Vec<String>,
    /// The first handle, to tell people with the same name apart.
    pub primary_handle: Option<Handle>,
    pub interaction_count: u32,
    pub last_interaction_at: Option<DateTime<Utc>>,
    pub last_channel: Option<Channel>,
}

/// A contacts list brought up to date after some contacts changed (see
/// `Store::contacts_patch`): every listed id in order, and the changed contacts' rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct ContactsPatch {
    pub order: Vec<String>,
    pub rows: Vec<ContactSummary>,
}

/// The tag on a contact's blog post shown on their timeline: something they wrote, not a
/// conversation with the user. Suggestions and keeping in touch never count it as one.
pub const WROTE_TAG: &str = "wrote";

/// One exchange with one or more contacts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct Interaction {
    pub id: String,
    pub contact_ids: Vec<String>,
    pub channel: Channel,
    pub direction: Direction,
    /// Stored in UTC; the app shows it in local time.
    pub occurred_at: DateTime<Utc>,
    /// Whether the world could see it (a public post) or not (a DM, an email, a call).
    pub public: bool,
    /// The text itself, or a summary of a call or meeting.
    pub text: String,
    /// The conversation it belongs to; a conversation can span several channels.
    pub thread: Option<String>,
    pub tags: Vec<String>,
    /// Set when this was logged as a quick mentoring moment.
    pub moment: Option<Moment>,
}

impl Interaction {
    /// Whether this is something the contact published (a blog post, [`WROTE_TAG`]) rather
    /// than an exchange with the user.
    pub fn is_wrote(&self) -> bool {
        self.tags.iter().any(|t| t == WROTE_TAG)
    }
}

/// What the user types to log or change an interaction. Without `id` a new one is logged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct InteractionDraft {
    #[serde(default)]
    pub id: Option<String>,
    pub contact_ids: Vec<String>,
    pub channel: Channel,
    pub direction: Direction,
    pub occurred_at: DateTime<Utc>,
    #[serde(default)]
    pub public: Option<bool>,
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub thread: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub moment: Option<Moment>,
}

/// An interaction with the names of the people in it, for timelines and search results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct TimelineEntry {
    pub interaction: Interaction,
    /// Names of the participants, in the order of `interaction.contact_ids`.
    pub contact_names: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    Conference,
    Meetup,
    TwitterChat,
    Webinar,
    Other,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Conference => "conference",
            EventKind::Meetup => "meetup",
            EventKind::TwitterChat => "twitter_chat",
            EventKind::Webinar => "webinar",
            EventKind::Other => "other",
        }
    }
}

impl std::str::FromStr for EventKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s
            .trim()
            .to_ascii_lowercase()
            .replace(['-', ' '], "_")
            .as_str()
        {
            "conference" => Ok(EventKind::Conference),
            "meetup" => Ok(EventKind::Meetup),
            "twitter_chat" | "chat" => Ok(EventKind::TwitterChat),
            "webinar" => Ok(EventKind::Webinar),
            "other" => Ok(EventKind::Other),
            _ => Err(format!("unknown event kind {s:?}")),
        }
    }
}

/// A conference, meetup, Twitter chat or webinar.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct Event {
    pub id: String,
    pub name: String,
    pub kind: EventKind,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub location: String,
    pub hashtags: Vec<String>,
    pub notes: String,
    pub attendee_ids: Vec<String>,
}

/// What the user types to create or change an event. Without `id` a new event is created.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct EventDraft {
    #[serde(default)]
    pub id: Option<String>,
    pub name: String,
    pub kind: EventKind,
    pub starts_on: NaiveDate,
    #[serde(default)]
    pub ends_on: Option<NaiveDate>,
    #[serde(default)]
    pub location: String,
    #[serde(default)]
    pub hashtags: Vec<String>,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub attendee_ids: Vec<String>,
}

/// A contact with everything the contact page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct ContactDetail {
    pub contact: Contact,
    /// The newest interactions with this contact across channels, newest first: the first
    /// page of their timeline (at most `store::TIMELINE_PAGE`, 200).
    pub timeline: Vec<TimelineEntry>,
    /// How many interactions the whole timeline holds.
    pub timeline_total: u32,
    /// Where the next, older page starts (for `Store::timeline_page`), or `None` when
    /// `timeline` is the whole of it.
    pub timeline_next: Option<String>,
    pub events: Vec<Event>,
    /// Their accounts that moved servers or changed name, as syncs saw it, oldest first.
    pub handle_changes: Vec<HandleChange>,
}

/// A contact's account that moved servers (Mastodon's `moved`) or changed its name (a
/// Bluesky handle), as a sync saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct HandleChange {
    pub platform: Platform,
    /// The handle the contact had.
    pub old_value: String,
    /// The handle they have now.
    pub new_value: String,
    /// When the sync saw it.
    pub seen_at: DateTime<Utc>,
    /// The account whose sync saw it.
    pub seen_by: String,
}

/// One page of a contact's timeline, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct TimelinePage {
    pub entries: Vec<TimelineEntry>,
    /// Where the next, older page starts, or `None` after the oldest interaction.
    pub next: Option<String>,
}

/// Filters for the contacts list. Empty fields filter nothing.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Type)]
pub struct ContactFilter {
    #[serde(default)]
    pub query: Option<String>,
    #[serde(default)]
    pub role: Option<RoleKind>,
    #[serde(default)]
    pub channel: Option<Channel>,
    #[serde(default)]
    pub tag: Option<String>,
    /// With a query: at most this many contacts, the best matches first. Search as you type
    /// asks for a few screenfuls; nobody reads thousands of matches for one letter, and sending
    /// them all made each keystroke slower.
    #[serde(default)]
    pub limit: Option<u32>,
}

/// Search results: contacts whose own fields or interactions match, and the matching interactions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct SearchResults {
    pub contacts: Vec<ContactSummary>,
    pub interactions: Vec<TimelineEntry>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct Stats {
    pub contacts: u32,
    pub interactions: u32,
    pub events: u32,
}

/// Records ready to be stored, with their keys: what an importer, the sample network or a
/// generated network hands the store in one go.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Records {
    pub contacts: Vec<Contact>,
    pub interactions: Vec<Interaction>,
    pub events: Vec<Event>,
}

/// Whether an interaction on `channel` is public when nobody said.
pub fn default_public(channel: Channel) -> bool {
    matches!(
        channel,
        Channel::Twitter | Channel::Mastodon | Channel::Bluesky | Channel::Blog | Channel::Listserv
    )
}
