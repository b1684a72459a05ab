//! The sample network: a librarian's learning network over two years, so a first run has
//! something real-looking to explore. Everything here is invented; every sample contact
//! carries the tag `sample`; it is loaded only when the user asks (`kith demo`, or the
//! first-run screen).
//!
//! The network is generated from a fixed seed relative to `now`, so the same `now` always
//! gives the same network, and recent activity is always recent.

use crate::domain::*;
use chrono::{DateTime, Duration, NaiveDate, Utc};

/// The tag every sample contact carries, so the sample can be told apart and removed.
pub const SAMPLE_TAG: &str = "sample";

struct Person {
    name: &'static str,
    org: &'static str,
    location: &'static str,
    roles: &'static [(RoleKind, RoleDirection, &'static [&'static str], bool)],
    handles: &'static [(Platform, &'static str)],
    met_where: &'static str,
    met_through: &'static str,
    tags: &'static [&'static str],
    expertise: &'static [&'static str],
    notes: &'static str,
    /// How often they are in touch: interactions over two years.
    activity: u32,
    /// Channels they favour, most used first.
    channels: &'static [Channel],
}

use Channel as Ch;
use Platform as P;
use RoleDirection::{IAdviseThem as Mine, Mutual as Both, TheyAdviseMe as Theirs};
use RoleKind::{Expert, Mentor, Peer};

const PEOPLE: &[Person] = &[
    Person { name: "Aroha Ngata", org: "Tairāwhiti District Libraries", location: "Gisborne", roles: &[(Mentor, Theirs, &["career", "leadership"], false)], handles: &[(P::Twitter, "@arohareads"), (P::Email, "aroha.ngata@example.org"), (P::Mastodon, "@aroha@glammr.us")], met_where: "#auslibchat", met_through: "a Twitter chat on library leadership", tags: &["leadership", "nz"], expertise: &["library leadership", "community engagement"], notes: "Generous with advice on stepping into management. Prefers email for anything long.", activity: 46, channels: &[Ch::Twitter, Ch::Email, Ch::VideoCall] },
    Person { name: "Ben Kowalski", org: "Riverbend Public Library", location: "Wagga Wagga", roles: &[(Peer, Both, &["solo librarianship"], true)], handles: &[(P::Twitter, "@benkbooks"), (P::Email, "ben.k@example.net")], met_where: "Solo librarians list", met_through: "the \"solo librarians\" Twitter list", tags: &["solo librarians", "public"], expertise: &["programming for teens"], notes: "Also runs a one-person branch. We swap programme ideas.", activity: 38, channels: &[Ch::Twitter, Ch::Email] },
    Person { name: "Chen Wei", org: "Lincoln University Library", location: "Christchurch", roles: &[(Expert, Theirs, &["Koha serials", "Koha"], false)], handles: &[(P::Mastodon, "@chenwei@code4lib.social"), (P::Email, "chen.wei@example.ac.nz")], met_where: "Koha community listserv", met_through: "a reply to my serials question", tags: &["koha", "systems"], expertise: &["Koha serials", "MARC"], notes: "Answered my Koha serials prediction pattern question within an hour.", activity: 22, channels: &[Ch::Mastodon, Ch::Listserv, Ch::Email] },
    Person { name: "Deepa Raman", org: "State Library of Victoria", location: "Melbourne", roles: &[(Mentor, Theirs, &["digital preservation"], true), (Peer, Both, &["conference speaking"], true)], handles: &[(P::Bluesky, "deeparaman.bsky.social"), (P::Email, "d.raman@example.org"), (P::Blog, "https://deepa.example.org")], met_where: "VALA 2024", met_through: "her talk on web archiving", tags: &["preservation", "au"], expertise: &["web archiving", "digital preservation"], notes: "Formal mentoring since mid-2025; monthly calls.", activity: 40, channels: &[Ch::Bluesky, Ch::Email, Ch::VideoCall] },
    Person { name: "Eilidh MacLeod", org: "Glasgow School Library Service", location: "Glasgow", roles: &[(Peer, Both, &["school libraries"], false)], handles: &[(P::Twitter, "@eilidhlib"), (P::Mastodon, "@eilidh@glammr.us")], met_where: "#uklibchat", met_through: "#uklibchat", tags: &["school", "uk"], expertise: &["information literacy"], notes: "", activity: 14, channels: &[Ch::Twitter, Ch::Mastodon] },
    Person { name: "Farida Haidari", org: "Auckland Libraries", location: "Auckland", roles: &[(Peer, Both, &["reference"], true)], handles: &[(P::Email, "farida.h@example.govt.nz"), (P::Twitter, "@faridaref")], met_where: "LIANZA 2024", met_through: "the reference services session", tags: &["reference", "nz"], expertise: &["reference interviews", "refugee services"], notes: "Great on multilingual collections.", activity: 28, channels: &[Ch::Email, Ch::Twitter, Ch::InPerson] },
    Person { name: "Gareth Ellis", org: "Open University Library", location: "Milton Keynes", roles: &[(Expert, Theirs, &["open access", "repositories"], false)], handles: &[(P::Twitter, "@garethoa"), (P::Blog, "https://oa-notes.example.com")], met_where: "his blog", met_through: "a post on repository workflows", tags: &["open access"], expertise: &["DSpace", "open access policy"], notes: "", activity: 9, channels: &[Ch::Blog, Ch::Twitter] },
    Person { name: "Hana Sato", org: "University of Otago Library", location: "Dunedin", roles: &[(Peer, Both, &["cataloguing"], true)], handles: &[(P::Mastodon, "@hanasato@glammr.us"), (P::Email, "hana.sato@example.ac.nz")], met_where: "NZ cataloguers' listserv", met_through: "a thread on RDA", tags: &["cataloguing", "nz"], expertise: &["RDA", "authority control"], notes: "", activity: 30, channels: &[Ch::Mastodon, Ch::Email, Ch::Listserv] },
    Person { name: "Isaac Thompson", org: "Hamilton City Libraries", location: "Hamilton", roles: &[(Mentor, Mine, &["first job"], true)], handles: &[(P::Email, "isaac.t@example.org"), (P::Twitter, "@isaacshelves")], met_where: "LIANZA 2025", met_through: "the new graduates' meetup", tags: &["new professionals", "nz"], expertise: &[], notes: "I mentor Isaac in his first library job. He asked by email after we met.", activity: 34, channels: &[Ch::Email, Ch::Twitter, Ch::VideoCall] },
    Person { name: "Jo Pētersone", org: "National Library of New Zealand", location: "Wellington", roles: &[(Expert, Theirs, &["metadata", "linked data"], false)], handles: &[(P::Bluesky, "jopetersone.bsky.social"), (P::Email, "jo.p@example.govt.nz")], met_where: "Bluesky", met_through: "#GLAMdata", tags: &["metadata", "nz"], expertise: &["BIBFRAME", "linked data"], notes: "", activity: 16, channels: &[Ch::Bluesky, Ch::Email] },
    Person { name: "Kiri Walker", org: "Whanganui District Library", location: "Whanganui", roles: &[(Peer, Both, &["solo librarianship", "te reo Māori"], true)], handles: &[(P::Twitter, "@kirireads"), (P::Email, "kiri.w@example.org")], met_where: "#auslibchat", met_through: "#auslibchat", tags: &["solo librarians", "nz"], expertise: &["te reo Māori collections"], notes: "", activity: 26, channels: &[Ch::Twitter, Ch::Email] },
    Person { name: "Liam O'Connor", org: "Dublin City Libraries", location: "Dublin", roles: &[(Peer, Both, &["makerspaces"], false)], handles: &[(P::Mastodon, "@liamoc@mastodon.ie")], met_where: "Mastodon", met_through: "#makerspace", tags: &["makerspace"], expertise: &["3D printing programmes"], notes: "", activity: 8, channels: &[Ch::Mastodon] },
    Person { name: "Maria Santos", org: "Sydney Law Library", location: "Sydney", roles: &[(Expert, Theirs, &["legal research"], false)], handles: &[(P::Twitter, "@mariasantoslaw"), (P::Linkedin, "https://www.linkedin.com/in/maria-santos-law")], met_where: "ALLA conference", met_through: "", tags: &["law", "au"], expertise: &["legal databases"], notes: "", activity: 7, channels: &[Ch::Twitter, Ch::Email] },
    Person { name: "Nikhil Joshi", org: "Massey University Library", location: "Palmerston North", roles: &[(Peer, Both, &["data services"], true), (Expert, Theirs, &["R", "research data"], true)], handles: &[(P::Email, "n.joshi@example.ac.nz"), (P::Mastodon, "@nikhil@fediscience.org")], met_where: "Carpentries workshop", met_through: "", tags: &["research data", "nz"], expertise: &["R", "research data management"], notes: "", activity: 24, channels: &[Ch::Email, Ch::Mastodon, Ch::VideoCall] },
    Person { name: "Olivia Brennan", org: "Brisbane City Council Libraries", location: "Brisbane", roles: &[(Peer, Both, &["events"], false)], handles: &[(P::Twitter, "@livbrennan")], met_where: "#auslibchat", met_through: "#auslibchat", tags: &["public", "au"], expertise: &["author events"], notes: "", activity: 12, channels: &[Ch::Twitter] },
    Person { name: "Pita Tuhiwai", org: "Te Wānanga o Aotearoa", location: "Rotorua", roles: &[(Mentor, Theirs, &["mātauranga Māori", "career"], true)], handles: &[(P::Email, "pita.t@example.ac.nz")], met_where: "LIANZA 2024", met_through: "Te Rōpū Whakahau hui", tags: &["mātauranga", "nz"], expertise: &["mātauranga Māori", "indigenous knowledge organisation"], notes: "Kind and direct. Likes phone calls.", activity: 20, channels: &[Ch::Email, Ch::Phone, Ch::InPerson] },
    Person { name: "Quinn Harper", org: "Portland Community College", location: "Portland, OR", roles: &[(Peer, Both, &["OER"], false)], handles: &[(P::Bluesky, "quinnharper.bsky.social")], met_where: "Bluesky", met_through: "#OER", tags: &["OER", "us"], expertise: &["open textbooks"], notes: "", activity: 10, channels: &[Ch::Bluesky] },
    Person { name: "Rachel Goldberg", org: "Library Carpentry", location: "Toronto", roles: &[(Expert, Theirs, &["Git", "teaching"], false)], handles: &[(P::Mastodon, "@rgoldberg@glammr.us"), (P::Blog, "https://rachelgoldberg.example.net")], met_where: "Library Carpentry", met_through: "", tags: &["teaching"], expertise: &["Library Carpentry", "Git"], notes: "", activity: 6, channels: &[Ch::Mastodon, Ch::Blog] },
    Person { name: "Sione Fifita", org: "Tonga National Library", location: "Nukuʻalofa", roles: &[(Mentor, Mine, &["digitisation"], false)], handles: &[(P::Email, "sione.f@example.to"), (P::Twitter, "@sionefifita")], met_where: "Pacific libraries webinar", met_through: "", tags: &["pacific"], expertise: &["oral history"], notes: "I share digitisation workflows; he may not think of it as mentoring.", activity: 15, channels: &[Ch::Email, Ch::Twitter, Ch::VideoCall] },
    Person { name: "Tamsin Clarke", org: "Hobart Libraries Tasmania", location: "Hobart", roles: &[(Peer, Both, &["solo librarianship"], true)], handles: &[(P::Twitter, "@tamsinlib"), (P::Email, "tamsin.c@example.org")], met_where: "Solo librarians list", met_through: "Ben Kowalski", tags: &["solo librarians", "au"], expertise: &["grant writing"], notes: "", activity: 21, channels: &[Ch::Twitter, Ch::Email] },
    Person { name: "Uma Patel", org: "Wellington City Libraries", location: "Wellington", roles: &[(Peer, Both, &["children's services"], true)], handles: &[(P::Email, "uma.patel@example.govt.nz"), (P::Mastodon, "@umap@mastodon.nz")], met_where: "LIANZA 2024", met_through: "", tags: &["children", "nz"], expertise: &["early literacy"], notes: "", activity: 18, channels: &[Ch::Email, Ch::Mastodon, Ch::InPerson] },
    Person { name: "Victor Mbeki", org: "University of Cape Town Libraries", location: "Cape Town", roles: &[(Expert, Theirs, &["research impact"], false)], handles: &[(P::Twitter, "@victormbeki")], met_where: "Twitter", met_through: "#altmetrics", tags: &["research"], expertise: &["bibliometrics"], notes: "", activity: 5, channels: &[Ch::Twitter] },
    Person { name: "Wiremu Parata", org: "Kāpiti Coast District Libraries", location: "Paraparaumu", roles: &[(Peer, Both, &["community outreach"], false)], handles: &[(P::Twitter, "@wiremup"), (P::Email, "wiremu.p@example.org")], met_where: "#auslibchat", met_through: "Kiri Walker", tags: &["public", "nz"], expertise: &["outreach to rural communities"], notes: "", activity: 11, channels: &[Ch::Twitter, Ch::Email] },
    Person { name: "Xanthe Lee", org: "RMIT University Library", location: "Melbourne", roles: &[(Peer, Both, &["UX"], false)], handles: &[(P::Bluesky, "xanthelee.bsky.social"), (P::Email, "xanthe.lee@example.edu.au")], met_where: "VALA 2024", met_through: "Deepa Raman", tags: &["UX", "au"], expertise: &["user experience research"], notes: "", activity: 13, channels: &[Ch::Bluesky, Ch::Email] },
    Person { name: "Yasmin Farouk", org: "Canterbury Libraries", location: "Christchurch", roles: &[(Mentor, Theirs, &["negotiation", "career"], false)], handles: &[(P::Twitter, "@yasminfarouk"), (P::Email, "yasmin.f@example.govt.nz")], met_where: "#auslibchat", met_through: "", tags: &["leadership", "nz"], expertise: &["vendor negotiation"], notes: "Her thread on negotiating a salary band helped a lot. She doesn't know I count her as a mentor.", activity: 17, channels: &[Ch::Twitter, Ch::Email] },
    Person { name: "Zoe Hamilton", org: "ALIA", location: "Canberra", roles: &[(Peer, Both, &["advocacy"], false)], handles: &[(P::Twitter, "@zoeh_alia"), (P::Linkedin, "https://www.linkedin.com/in/zoe-hamilton")], met_where: "ALIA National 2025", met_through: "", tags: &["advocacy", "au"], expertise: &["library advocacy"], notes: "", activity: 6, channels: &[Ch::Twitter, Ch::InPerson] },
    Person { name: "Anahera Rāwiri", org: "Rotorua Lakes Library", location: "Rotorua", roles: &[(Peer, Both, &["heritage"], false)], handles: &[(P::Email, "anahera.r@example.org")], met_where: "Heritage listserv", met_through: "", tags: &["heritage", "nz"], expertise: &["local history"], notes: "", activity: 9, channels: &[Ch::Listserv, Ch::Email] },
    Person { name: "Bridget Nolan", org: "Dunedin Public Libraries", location: "Dunedin", roles: &[(Expert, Theirs, &["Koha", "acquisitions"], false)], handles: &[(P::Mastodon, "@bnolan@glammr.us"), (P::Email, "bridget.n@example.org")], met_where: "Koha community listserv", met_through: "Chen Wei", tags: &["koha", "nz"], expertise: &["Koha acquisitions"], notes: "", activity: 10, channels: &[Ch::Listserv, Ch::Mastodon, Ch::Email] },
    Person { name: "Callum Reid", org: "Edinburgh University Library", location: "Edinburgh", roles: &[(Peer, Both, &["digital scholarship"], false)], handles: &[(P::Bluesky, "callumreid.bsky.social")], met_where: "Bluesky", met_through: "#DigitalScholarship", tags: &["digital scholarship", "uk"], expertise: &["TEI"], notes: "", activity: 4, channels: &[Ch::Bluesky] },
    Person { name: "Dana Whitfield", org: "Perth Children's Hospital Library", location: "Perth", roles: &[(Peer, Both, &["health libraries", "solo librarianship"], false)], handles: &[(P::Twitter, "@danawhitfield"), (P::Email, "dana.w@example.org")], met_where: "Solo librarians list", met_through: "", tags: &["solo librarians", "health", "au"], expertise: &["evidence-based practice"], notes: "", activity: 12, channels: &[Ch::Twitter, Ch::Email] },
    Person { name: "Emeka Obi", org: "Library Freedom Project", location: "Lagos", roles: &[(Expert, Theirs, &["privacy"], false)], handles: &[(P::Mastodon, "@emeka@infosec.exchange")], met_where: "Mastodon", met_through: "#libraryprivacy", tags: &["privacy"], expertise: &["patron privacy"], notes: "", activity: 5, channels: &[Ch::Mastodon] },
    Person { name: "Fiona Tait", org: "Nelson Public Libraries", location: "Nelson", roles: &[(Peer, Both, &["collection development"], true)], handles: &[(P::Email, "fiona.tait@example.org"), (P::Twitter, "@fionatait")], met_where: "LIANZA 2024", met_through: "", tags: &["collections", "nz"], expertise: &["weeding"], notes: "", activity: 14, channels: &[Ch::Email, Ch::Twitter, Ch::InPerson] },
    Person { name: "George Papadopoulos", org: "Monash University Library", location: "Melbourne", roles: &[(Expert, Theirs, &["copyright"], false)], handles: &[(P::Twitter, "@georgepcopyright")], met_where: "Twitter", met_through: "#copyright", tags: &["copyright", "au"], expertise: &["copyright law", "licensing"], notes: "", activity: 6, channels: &[Ch::Twitter] },
    Person { name: "Huia Kereama", org: "Library and Information Association of NZ", location: "Wellington", roles: &[(Mentor, Theirs, &["professional registration"], true)], handles: &[(P::Email, "huia.k@example.org.nz")], met_where: "LIANZA 2024", met_through: "the registration board session", tags: &["registration", "nz"], expertise: &["LIANZA registration"], notes: "Guided my revalidation journal.", activity: 12, channels: &[Ch::Email, Ch::VideoCall, Ch::InPerson] },
    Person { name: "Imogen Price", org: "Christchurch Polytechnic Library", location: "Christchurch", roles: &[(Peer, Both, &["information literacy"], false)], handles: &[(P::Bluesky, "imogenprice.bsky.social"), (P::Email, "imogen.p@example.ac.nz")], met_where: "Bluesky", met_through: "#critlib", tags: &["teaching", "nz"], expertise: &["critical information literacy"], notes: "", activity: 9, channels: &[Ch::Bluesky, Ch::Email] },
    Person { name: "Jamal Wright", org: "Toronto Public Library", location: "Toronto", roles: &[(Peer, Both, &["tech help"], false)], handles: &[(P::Mastodon, "@jamalw@mastodon.social")], met_where: "Mastodon", met_through: "", tags: &["public", "ca"], expertise: &["digital literacy"], notes: "", activity: 3, channels: &[Ch::Mastodon] },
];

/// Short texts by channel kind, with `{topic}` filled in from the person's roles or expertise.
const SHORT_OUT: &[&str] = &[
    "Thanks for the pointer on {topic}, trying it at my branch this week",
    "Quick question: how do you handle {topic} when you're the only staff member on?",
    "Loved your thread on {topic}. Saving it for our team meeting",
    "Anyone have a good template for {topic}? #auslibchat",
    "Would you share the slides from your {topic} talk?",
    "Your tip on {topic} saved me an hour today, thank you!",
];
const SHORT_IN: &[&str] = &[
    "Happy to help! For {topic} I'd start small and keep notes",
    "We tried that too. For {topic} the trick was getting buy-in early",
    "Here's the checklist I use for {topic}, adapt as you like",
    "Good question. Short answer on {topic}: it depends on your ILS",
    "Ha, same problem here. Let me know what works for {topic}",
];
const LONG_OUT: &[&str] = &[
    "Following up on our chat about {topic}. I've drafted a plan for the next quarter and would value your eyes on it before I take it to my manager. The main open question is how to measure whether it worked.",
    "Thank you for the call last week. I've written up what we discussed about {topic} and the three options. Could we talk again once I have numbers from the trial?",
    "I've been thinking about your advice on {topic}. Attached are my notes from the workshop; the section on evaluation is where I'm least sure.",
];
const LONG_IN: &[&str] = &[
    "Good to hear from you. On {topic}: I'd frame it around outcomes rather than activities, and pick one measure you can collect without extra work. Happy to read the draft.",
    "Thanks for the write-up. For {topic} my experience is that the second option is easier to sustain, but it depends on who else can cover the desk.",
    "Great questions about {topic}. I've copied in a colleague who ran something similar last year; she's the real expert.",
];
const MEETING: &[&str] = &[
    "Coffee between sessions; talked about {topic} and her next project",
    "Caught up at the poster session: {topic}, and who else to talk to",
    "Long chat over lunch about {topic}",
];
const CALL: &[&str] = &[
    "Monthly mentoring call: {topic}, next steps agreed",
    "Call about {topic}; promised to send my draft by Friday",
];

/// A tiny deterministic choice helper.
struct Dice(fastrand::Rng);
impl Dice {
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.0.usize(..items.len())]
    }
    fn below(&mut self, n: u32) -> u32 {
        self.0.u32(..n.max(1))
    }
}

/// Builds the sample network as of `now`.
pub fn sample_network(now: DateTime<Utc>) -> Records {
    let mut dice = Dice(fastrand::Rng::with_seed(0x6b69_7468));
    let start = now - Duration::days(730);
    let mut contacts = Vec::new();
    let mut interactions = Vec::new();
    let mut next_id = 0u32;
    let mut new_id = || {
        next_id += 1;
        format!("sample-i{next_id}")
    };

    for (n, p) in PEOPLE.iter().enumerate() {
        let key = format!("sample-c{}", n + 1);
        let mut tags: Vec<String> = p.tags.iter().map(|t| t.to_string()).collect();
        tags.push(SAMPLE_TAG.into());
        contacts.push(Contact {
            id: key.clone(),
            name: p.name.into(),
            handles: p
                .handles
                .iter()
                .map(|(platform, value)| Handle {
                    platform: *platform,
                    value: value.to_string(),
                })
                .collect(),
            organisation: p.org.into(),
            location: p.location.into(),
            met_where: p.met_where.into(),
            met_on: Some((start + Duration::days(i64::from(dice.below(120)))).date_naive()),
            met_through: p.met_through.into(),
            notes: p.notes.into(),
            private_notes: if n % 7 == 0 {
                "Mentioned a restructure at work; keep this between us.".into()
            } else {
                String::new()
            },
            tags,
            expertise: p.expertise.iter().map(|t| t.to_string()).collect(),
            roles: p
                .roles
                .iter()
                .map(|(kind, direction, topics, ack)| Role {
                    kind: *kind,
                    direction: *direction,
                    topics: topics.iter().map(|t| t.to_string()).collect(),
                    acknowledged: *ack,
                })
                .collect(),
            cadence_days: None,
            dates: Vec::new(),
            created_at: start,
            updated_at: start,
        });

        let topics: Vec<&str> = p
            .roles
            .iter()
            .flat_map(|r| r.2.iter().copied())
            .chain(p.expertise.iter().copied())
            .collect();
        let topics = if topics.is_empty() {
            vec!["library work"]
        } else {
            topics
        };
        // Quieter people fade out: their activity ends some months before now.
        let active_days = if p.activity < 10 {
            730 - 120 - i64::from(dice.below(200))
        } else {
            725
        };
        for k in 0..p.activity {
            let day = i64::from(k) * active_days / i64::from(p.activity) + i64::from(dice.below(9));
            let at = start
                + Duration::days(day)
                + Duration::minutes(i64::from(8 * 60 + dice.below(10 * 60)));
            if at > now - Duration::hours(2) {
                continue;
            }
            let channel = if dice.below(10) < 6 {
                p.channels[0]
            } else {
                *dice.pick(p.channels)
            };
            let topic = dice.pick(&topics);
            let outbound = dice.below(2) == 0;
            let (text, direction) = match channel {
                Ch::InPerson => (
                    dice.pick(MEETING).replace("{topic}", topic),
                    Direction::Mutual,
                ),
                Ch::VideoCall | Ch::Phone => {
                    (dice.pick(CALL).replace("{topic}", topic), Direction::Mutual)
                }
                Ch::Email | Ch::Blog | Ch::Listserv if outbound => (
                    dice.pick(LONG_OUT).replace("{topic}", topic),
                    Direction::Outbound,
                ),
                Ch::Email | Ch::Blog | Ch::Listserv => (
                    dice.pick(LONG_IN).replace("{topic}", topic),
                    Direction::Inbound,
                ),
                _ if outbound => (
                    dice.pick(SHORT_OUT).replace("{topic}", topic),
                    Direction::Outbound,
                ),
                _ => (
                    dice.pick(SHORT_IN).replace("{topic}", topic),
                    Direction::Inbound,
                ),
            };
            let mut tags = Vec::new();
            if text.contains("#auslibchat") {
                tags.push("#auslibchat".to_string());
            }
            interactions.push(Interaction {
                id: new_id(),
                contact_ids: vec![key.clone()],
                channel,
                direction,
                occurred_at: at,
                public: crate::domain::default_public(channel),
                text,
                thread: None,
                tags,
                moment: None,
            });
        }
    }

    // Stories that show what Kith notices. Each uses recent times relative to `now`.
    let key = |name: &str| -> String {
        let n = PEOPLE.iter().position(|p| p.name == name).unwrap_or(0);
        format!("sample-c{}", n + 1)
    };
    // A quiet mentor: Pita used to be in touch every few weeks, and not for five months now.
    let pita = key("Pita Tuhiwai");
    interactions
        .retain(|i| !(i.contact_ids[0] == pita && i.occurred_at > now - Duration::days(150)));
    let mut story = |who: &str,
                     channel: Channel,
                     direction: Direction,
                     at: DateTime<Utc>,
                     text: &str,
                     thread: Option<&str>,
                     tags: &[&str]| {
        interactions.push(Interaction {
            id: new_id(),
            contact_ids: vec![key(who)],
            channel,
            direction,
            occurred_at: at,
            public: crate::domain::default_public(channel),
            text: text.into(),
            thread: thread.map(str::to_string),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            moment: None,
        });
    };
    // A Twitter exchange with a mentor that has outgrown Twitter.
    let t0 = now - Duration::hours(30);
    let volley = [
        (Direction::Outbound, "@arohareads I've been offered a team leader role. Exciting and terrifying. 1/3"),
        (Direction::Outbound, "The job would mean leaving the desk I love and managing two people who applied for the same role. 2/3"),
        (Direction::Outbound, "How did you handle the first months when you stepped up? 3/3"),
        (Direction::Inbound, "Congratulations! First months: listen more than you change. And talk to both of them one to one early, before the team meeting."),
        (Direction::Outbound, "That's really helpful. Did you negotiate the salary band, or take what was offered? I have no idea what's normal for a team leader here."),
        (Direction::Inbound, "Always negotiate. Ask HR for the band in writing. Happy to share what I know about ours, but maybe not in public :)"),
        (Direction::Outbound, "Ha, fair! And the interview panel wants a presentation on my vision for the team. Any tips on keeping it to ten minutes without sounding vague?"),
        (Direction::Inbound, "Three priorities, one story each, one measure each. Keep the story about a patron, not about you. Send me your outline if you like."),
        (Direction::Outbound, "Will do. Thank you so much — this thread is turning into a whole mentoring session!"),
    ];
    for (k, (direction, text)) in volley.iter().enumerate() {
        story(
            "Aroha Ngata",
            Ch::Twitter,
            *direction,
            t0 + Duration::minutes(k as i64 * 170),
            text,
            Some("sample-thread-team-leader"),
            &[],
        );
    }
    // A question on a listserv that went unanswered, from someone who answers fast on Mastodon.
    story("Chen Wei", Ch::Listserv, Direction::Outbound, now - Duration::days(11), "Koha 24.05: serials prediction pattern skips the December issue for a monthly with a combined Dec/Jan issue. Has anyone found a pattern that works?", None, &["koha"]);
    // Met in person recently, no follow-up yet.
    story("Uma Patel", Ch::InPerson, Direction::Mutual, now - Duration::days(20), "Met at the regional children's librarians day; she offered to share her early-literacy storytime plans", None, &[]);

    let conference_start = (now + Duration::days(18)).date_naive();
    let events = vec![
        Event {
            id: "sample-e1".into(),
            name: "LIANZA Conference".into(),
            kind: EventKind::Conference,
            starts_on: conference_start,
            ends_on: conference_start + Duration::days(2),
            location: "Te Papa, Wellington".into(),
            hashtags: vec!["#lianza".into()],
            notes: "Sample event".into(),
            attendee_ids: [
                "Aroha Ngata",
                "Hana Sato",
                "Jo Pētersone",
                "Kiri Walker",
                "Farida Haidari",
                "Yasmin Farouk",
                "Huia Kereama",
                "Fiona Tait",
                "Chen Wei",
            ]
            .iter()
            .map(|n| key(n))
            .collect(),
        },
        Event {
            id: "sample-e2".into(),
            name: "#auslibchat: solo librarians".into(),
            kind: EventKind::TwitterChat,
            starts_on: (now - Duration::days(200)).date_naive(),
            ends_on: (now - Duration::days(200)).date_naive(),
            location: "Twitter".into(),
            hashtags: vec!["#auslibchat".into()],
            notes: "Sample event".into(),
            attendee_ids: [
                "Ben Kowalski",
                "Kiri Walker",
                "Tamsin Clarke",
                "Dana Whitfield",
            ]
            .iter()
            .map(|n| key(n))
            .collect(),
        },
        Event {
            id: "sample-e3".into(),
            name: "VALA 2024".into(),
            kind: EventKind::Conference,
            starts_on: start.date_naive() + Duration::days(40),
            ends_on: start.date_naive() + Duration::days(42),
            location: "Melbourne Convention Centre".into(),
            hashtags: vec!["#vala24".into()],
            notes: "Sample event".into(),
            attendee_ids: ["Deepa Raman", "Xanthe Lee"]
                .iter()
                .map(|n| key(n))
                .collect(),
        },
    ];
    Records {
        contacts,
        interactions,
        events,
    }
}

/// The date the sample's first records are dated from, for tests.
pub fn sample_start(now: DateTime<Utc>) -> NaiveDate {
    (now - Duration::days(730)).date_naive()
}
