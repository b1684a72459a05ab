//! A small network for the export tests, with the text imports bring in: markup, separators,
//! formulas, control and invisible characters, emoji and very long names.

use super::Todo;
use crate::domain::*;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};

pub(crate) fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0)
        .single()
        .expect("valid time")
}

pub(crate) fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

pub(crate) fn now() -> DateTime<Utc> {
    at(2025, 3, 14, 9, 26)
}

pub(crate) fn contact(id: &str, name: &str) -> Contact {
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
        created_at: at(2024, 1, 2, 3, 4),
        updated_at: at(2024, 5, 6, 7, 8),
    }
}

pub(crate) fn handle(platform: Platform, value: &str) -> Handle {
    Handle {
        platform,
        value: value.into(),
    }
}

pub(crate) fn interaction(
    id: &str,
    contacts: &[&str],
    occurred_at: DateTime<Utc>,
    public: bool,
    text: &str,
) -> Interaction {
    Interaction {
        id: id.into(),
        contact_ids: contacts.iter().map(|c| c.to_string()).collect(),
        channel: if public {
            Channel::Twitter
        } else {
            Channel::Email
        },
        direction: Direction::Outbound,
        occurred_at,
        public,
        text: text.into(),
        thread: None,
        tags: vec![],
        moment: None,
    }
}

pub(crate) const INJECTION_NAME: &str =
    "Mallory\nEND:VCARD\nBEGIN:VCARD\nFN:Injected\n---\n# Heading";
pub(crate) const QUOTED_NAME: &str = "Ana: \"Koha\" #1";
pub(crate) const PRIVATE_NOTE: &str = "Looking for a new job; do not mention to her manager";
pub(crate) const PRIVATE_TEXT: &str = "DM: thinking of applying to the State Library";

pub(crate) struct Network {
    pub contacts: Vec<Contact>,
    pub interactions: Vec<Interaction>,
    pub events: Vec<Event>,
    pub todos: Vec<Todo>,
}

pub(crate) fn network() -> Network {
    let mut ana = contact("c1", QUOTED_NAME);
    ana.handles = vec![
        handle(Platform::Twitter, "@ana_koha"),
        handle(Platform::Mastodon, "@ana@glammr.us"),
        handle(Platform::Email, "ana@example.org"),
        handle(Platform::Email, "ana.ruiz@example.edu"),
        handle(Platform::Phone, "+64 21 555 0101"),
        handle(Platform::Blog, "ana.example.net"),
    ];
    ana.organisation = "Libraries; Archives, \\ Museums".into();
    ana.location = "Wellington, Aotearoa New Zealand".into();
    ana.notes = "Koha expert.\n# Not a heading\n=HYPERLINK(\"http://evil.example\",\"x\")\n<script>alert(1)</script>".into();
    ana.private_notes = PRIVATE_NOTE.into();
    ana.tags = vec!["koha".into(), "- yes".into(), "null".into()];
    ana.expertise = vec!["Koha serials".into(), "MARC, RDA".into()];
    ana.roles = vec![Role {
        kind: RoleKind::Mentor,
        direction: RoleDirection::TheyAdviseMe,
        topics: vec!["Koha serials".into(), "career".into()],
        acknowledged: true,
    }];
    ana.met_where = "VALA2024".into();
    ana.met_on = Some(day(2024, 2, 13));
    ana.met_through = "#auslibchat".into();

    let mut mallory = contact("c2", INJECTION_NAME);
    mallory.handles = vec![
        handle(Platform::Bluesky, "mallory.bsky.social"),
        handle(Platform::Linkedin, "https://www.linkedin.com/in/mallory"),
    ];
    mallory.organisation = "=cmd|' /C calc'!A0".into();
    mallory.notes = "line one\r\nline two\u{0}\u{7}\u{1b}[31m red".into();
    mallory.roles = vec![Role {
        kind: RoleKind::Peer,
        direction: RoleDirection::Mutual,
        topics: vec![],
        acknowledged: false,
    }];

    let mut long = contact(
        "c3",
        &format!("Tāne 🦉 Mahuta 👩\u{200D}💻 {}", "ā".repeat(5_000)),
    );
    long.notes = "evil\u{202E}txt.exe and Ze\u{200B}ro width".into();
    long.tags = vec!["on".into()];

    let dup = contact("c4", "ana: \"koha\" #1");

    let interactions = vec![
        {
            let mut i = interaction(
                "i1",
                &["c1", "c9"],
                at(2025, 1, 10, 20, 15),
                true,
                "Thanks for the Koha tip!\n## Fake section\n> quoted",
            );
            i.tags = vec!["#auslibchat".into()];
            i.thread = Some("t1".into());
            i
        },
        interaction("i2", &["c1"], at(2025, 2, 1, 8, 0), false, PRIVATE_TEXT),
        interaction(
            "i3",
            &["c1", "c2"],
            at(2024, 11, 5, 12, 0),
            true,
            "Group thread",
        ),
        interaction(
            "i4",
            &["c2"],
            at(2024, 12, 24, 23, 59),
            false,
            "Private to Mallory",
        ),
    ];
    let events = vec![Event {
        id: "e1".into(),
        name: "VALA2026; Libraries, \\ Tech".into(),
        kind: EventKind::Conference,
        starts_on: day(2026, 2, 10),
        ends_on: day(2026, 2, 12),
        location: "Melbourne Convention Centre, Melbourne".into(),
        hashtags: vec!["#VALA2026".into(), "#auslibchat".into()],
        notes: "Say hi to Ana.\nBring cards.".into(),
        attendee_ids: vec!["c1".into(), "c2".into(), "c77".into()],
    }];
    let todos = vec![Todo {
        id: "t1".into(),
        contact_id: Some("c1".into()),
        summary: format!("Follow up with {QUOTED_NAME}"),
        description: "Move the Koha thread to email: it is too long for Twitter.".into(),
        due: day(2025, 3, 20),
    }];
    Network {
        contacts: vec![ana, mallory, long, dup],
        interactions,
        events,
        todos,
    }
}
