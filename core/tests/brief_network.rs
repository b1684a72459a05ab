//! Briefings on a hand-built network: who comes first, what each entry holds, the "likely
//! there" section, the renderers, and logging who was met at the event.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use kith_core::brief::{self, Briefing, TalkingPointSource};
use kith_core::suggest::{StateKind, SuggestionState};
use kith_core::*;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 6, 1, 12, 0, 0).unwrap()
}

struct Net {
    store: Store,
    event: Event,
    ana: String,
    ben: String,
    chen: String,
    dana: String,
    eli: String,
    fay: String,
}

fn contact(store: &mut Store, draft: ContactDraft) -> String {
    store
        .save_contact(draft, now() - Duration::days(400))
        .unwrap()
        .id
}

#[allow(clippy::too_many_arguments)] // one interaction, spelled out at each call
fn log(
    store: &mut Store,
    who: &str,
    channel: Channel,
    direction: Direction,
    at: DateTime<Utc>,
    text: &str,
    thread: Option<&str>,
    tags: &[&str],
) -> Interaction {
    store
        .save_interaction(InteractionDraft {
            id: None,
            contact_ids: vec![who.to_string()],
            channel,
            direction,
            occurred_at: at,
            public: None,
            text: text.into(),
            thread: thread.map(str::to_string),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            moment: None,
        })
        .unwrap()
}

fn handle(platform: Platform, value: &str) -> Handle {
    Handle {
        platform,
        value: value.into(),
    }
}

/// Ana: a mentor known only online, with a busy Mastodon thread waiting for a reply.
/// Ben: a peer met in person last year. Chen: an attendee with a hostile name and notes.
/// Dana: not on the list, but posts with the event's hashtag. Eli: not on the list, lives in
/// the event's city. Fay: neither.
fn network() -> Net {
    let mut store = Store::open_in_memory().unwrap();
    let ana = contact(
        &mut store,
        ContactDraft {
            name: "Ana Lima".into(),
            organisation: "Biblioteca Nacional".into(),
            handles: vec![
                handle(Platform::Mastodon, "@ana@glammr.example"),
                handle(Platform::Email, "ana@example.org"),
            ],
            met_where: "#auslibchat".into(),
            met_on: NaiveDate::from_ymd_opt(2021, 3, 4),
            roles: vec![Role {
                kind: RoleKind::Mentor,
                direction: RoleDirection::TheyAdviseMe,
                topics: vec!["Koha serials".into()],
                acknowledged: true,
            }],
            expertise: vec!["MARC 21".into()],
            private_notes: "SECRET-PRIVATE-NOTE".into(),
            notes: "Wrote the serials prediction guide.".into(),
            ..ContactDraft::default()
        },
    );
    let ben = contact(
        &mut store,
        ContactDraft {
            name: "Ben Okafor".into(),
            handles: vec![handle(Platform::Email, "ben@example.net")],
            roles: vec![Role {
                kind: RoleKind::Peer,
                direction: RoleDirection::Mutual,
                topics: vec![],
                acknowledged: false,
            }],
            ..ContactDraft::default()
        },
    );
    let chen = contact(
        &mut store,
        ContactDraft {
            name: "<script>alert('x')</script> Chen".into(),
            notes: "<img src=x onerror=alert(1)> & [link](javascript:alert(1))".into(),
            ..ContactDraft::default()
        },
    );
    let dana = contact(
        &mut store,
        ContactDraft {
            name: "Dana Whitfield".into(),
            ..ContactDraft::default()
        },
    );
    let eli = contact(
        &mut store,
        ContactDraft {
            name: "Eli Tane".into(),
            location: "Wellington".into(),
            ..ContactDraft::default()
        },
    );
    let fay = contact(
        &mut store,
        ContactDraft {
            name: "Fay Ngata".into(),
            location: "Auckland".into(),
            ..ContactDraft::default()
        },
    );
    let event = store
        .save_event(EventDraft {
            id: None,
            name: "Code4Lib 2025".into(),
            kind: EventKind::Conference,
            starts_on: NaiveDate::from_ymd_opt(2025, 6, 10).unwrap(),
            ends_on: NaiveDate::from_ymd_opt(2025, 6, 12),
            location: "Wellington, New Zealand".into(),
            hashtags: vec!["#C4L25".into()],
            notes: String::new(),
            attendee_ids: vec![ana.clone(), ben.clone(), chen.clone()],
        })
        .unwrap();

    // Ana: an old email, then eight Mastodon posts in a day, the last one hers.
    log(
        &mut store,
        &ana,
        Channel::Email,
        Direction::Outbound,
        now() - Duration::days(90),
        "Thanks for the serials prediction guide",
        None,
        &[],
    );
    for k in 0..8 {
        let dir = if k % 2 == 0 {
            Direction::Outbound
        } else {
            Direction::Inbound
        };
        log(
            &mut store,
            &ana,
            Channel::Mastodon,
            dir,
            now() - Duration::hours(30 - k * 3),
            &format!("Koha serials prediction patterns, part {k} #kohails"),
            Some("serials"),
            &[],
        );
    }
    // Ben: met in person last October, an email since.
    log(
        &mut store,
        &ben,
        Channel::InPerson,
        Direction::Mutual,
        Utc.with_ymd_and_hms(2024, 10, 2, 15, 0, 0).unwrap(),
        "Coffee at LIANZA",
        None,
        &[],
    );
    log(
        &mut store,
        &ben,
        Channel::Email,
        Direction::Outbound,
        now() - Duration::days(60),
        "Slides from the discovery layer talk",
        None,
        &[],
    );
    log(
        &mut store,
        &chen,
        Channel::Twitter,
        Direction::Inbound,
        now() - Duration::days(3),
        "<script>document.location='https://evil.example'</script>",
        None,
        &[],
    );
    // Dana used the hashtag; Fay's post mentions it only because the user wrote it.
    log(
        &mut store,
        &dana,
        Channel::Mastodon,
        Direction::Inbound,
        now() - Duration::days(5),
        "Booked my flights for #c4l25!",
        None,
        &[],
    );
    log(
        &mut store,
        &fay,
        Channel::Mastodon,
        Direction::Outbound,
        now() - Duration::days(5),
        "Are you going to #c4l25?",
        None,
        &[],
    );
    Net {
        store,
        event,
        ana,
        ben,
        chen,
        dana,
        eli,
        fay,
    }
}

fn names(b: &Briefing) -> Vec<String> {
    b.attendees().map(|a| a.name.clone()).collect()
}

#[test]
fn online_only_people_come_first_with_history_open_threads_and_suggestions() {
    let net = network();
    let b = brief::briefing(&net.store, "Code4Lib 2025", now()).unwrap();
    assert_eq!(b.event.id, net.event.id);

    let meet: Vec<&str> = b
        .meet_in_person
        .iter()
        .map(|a| a.contact_id.as_str())
        .collect();
    let met: Vec<&str> = b.met_before.iter().map(|a| a.contact_id.as_str()).collect();
    // Ana has the most interactions of those never met; Ben is the only one met before.
    assert_eq!(meet, [net.ana.as_str(), net.chen.as_str()]);
    assert_eq!(met, [net.ben.as_str()]);
    assert_eq!(names(&b)[0], "Ana Lima");

    let ana = &b.meet_in_person[0];
    assert!(!ana.met_in_person && ana.last_in_person.is_none());
    assert_eq!(ana.interaction_count, 9);
    assert_eq!(ana.how_met.as_deref(), Some("at #auslibchat (2021-03-04)"));
    assert_eq!(ana.roles.len(), 1);
    assert_eq!(ana.roles[0].in_words, "mentors you (both of you know it)");
    assert_eq!(ana.roles[0].topics, ["Koha serials"]);
    assert_eq!(ana.handles.len(), 2);
    // The last five interactions, newest first, across channels.
    assert_eq!(ana.last_interactions.len(), brief::LAST_INTERACTIONS);
    assert!(ana.last_interactions[0].excerpt.contains("part 7"));
    assert!(ana
        .last_interactions
        .windows(2)
        .all(|w| w[0].occurred_at >= w[1].occurred_at));
    // The thread ends with her message: waiting on the user.
    let open = &ana.open_conversations[0];
    assert_eq!(open.thread.as_deref(), Some("serials"));
    assert!(open.waiting_on_you);
    assert_eq!(open.messages, 8);
    // The email from 90 days ago is neither waiting nor recent.
    assert_eq!(ana.open_conversations.len(), 1);
    // The long thread on Mastodon gives a suggestion with its reasons.
    let s = ana
        .suggestions
        .iter()
        .find(|s| s.rule == "long_thread")
        .expect("a long-thread suggestion for Ana");
    assert!(!s.reasons.is_empty());
    // Exactly what the engine says for her when it runs over the whole network.
    let contacts = net.store.all_contacts().unwrap();
    let interactions = net.store.all_interactions().unwrap();
    let events = net.store.list_events().unwrap();
    let whole = kith_core::suggest::suggest(
        &contacts,
        &interactions,
        &events,
        now(),
        &kith_core::suggest::SuggestSettings::default(),
    );
    let hers: Vec<_> = whole
        .into_iter()
        .filter(|s| s.contact_id == net.ana)
        .collect();
    assert_eq!(ana.suggestions, hers);
    // Talking points: her role topic first, then her expertise, then the thread's hashtag.
    let points: Vec<(&str, TalkingPointSource)> = ana
        .talking_points
        .iter()
        .map(|p| (p.topic.as_str(), p.source))
        .collect();
    assert_eq!(points[0], ("Koha serials", TalkingPointSource::RoleTopic));
    assert_eq!(points[1], ("MARC 21", TalkingPointSource::Expertise));
    assert!(points.contains(&("#kohails", TalkingPointSource::RecentHashtag)));
    assert!(points.contains(&("prediction", TalkingPointSource::RecentWord)));

    let ben = &b.met_before[0];
    assert!(ben.met_in_person);
    assert_eq!(
        ben.last_in_person,
        Some(Utc.with_ymd_and_hms(2024, 10, 2, 15, 0, 0).unwrap())
    );
    assert_eq!(
        ben.roles[0].in_words,
        "a peer: you learn from each other (not acknowledged: they may not know it)"
    );

    // Private notes never reach a briefing.
    let json = serde_json::to_string(&b).unwrap();
    assert!(!json.contains("SECRET-PRIVATE-NOTE"));
}

#[test]
fn likely_there_finds_hashtag_users_and_locals_only() {
    let net = network();
    let b = brief::briefing(&net.store, &net.event.id, now()).unwrap();
    let likely: Vec<&str> = b
        .likely_there
        .iter()
        .map(|l| l.contact_id.as_str())
        .collect();
    assert_eq!(likely, [net.dana.as_str(), net.eli.as_str()]);
    assert!(
        b.likely_there[0].reasons[0]
            .starts_with("used #C4L25 in 1 interaction, last on Mastodon on 2025-05-27"),
        "{:?}",
        b.likely_there[0].reasons
    );
    assert!(b.likely_there[1].reasons[0].contains("Wellington"));
    assert!(
        !likely.contains(&net.fay.as_str()),
        "the user's own hashtag use does not count"
    );
}

#[test]
fn dismissed_suggestions_and_the_future_stay_out() {
    let mut net = network();
    let first = brief::briefing(&net.store, &net.event.id, now()).unwrap();
    let id = first.meet_in_person[0]
        .suggestions
        .iter()
        .find(|s| s.rule == "long_thread")
        .unwrap()
        .id
        .clone();
    net.store
        .set_suggestion_state(
            &SuggestionState {
                suggestion_id: id.clone(),
                state: StateKind::Dismissed,
                until: None,
            },
            "",
            now(),
        )
        .unwrap();
    let again = brief::briefing(&net.store, &net.event.id, now()).unwrap();
    assert!(again.meet_in_person[0]
        .suggestions
        .iter()
        .all(|s| s.id != id));

    // A week earlier, the Mastodon thread had not happened.
    let earlier = brief::briefing(&net.store, &net.event.id, now() - Duration::days(7)).unwrap();
    let ana = earlier
        .attendees()
        .find(|a| a.contact_id == net.ana)
        .unwrap();
    assert_eq!(ana.interaction_count, 1);
    // The same inputs give the same briefing.
    assert_eq!(
        brief::briefing(&net.store, &net.event.id, now()).unwrap(),
        again
    );
}

#[test]
fn unknown_event_is_not_found() {
    let net = network();
    let err = brief::briefing(&net.store, "No Such Conference", now()).unwrap_err();
    assert_eq!(err.code(), "not_found");
}

#[test]
fn markdown_escapes_and_keeps_the_order() {
    let net = network();
    let b = brief::briefing(&net.store, &net.event.id, now()).unwrap();
    let md = brief::markdown::render(&b);
    assert!(md.starts_with("# Briefing: Code4Lib 2025\n"));
    let meet = md.find("## Meet in person").unwrap();
    let ana = md.find("### Ana Lima — Biblioteca Nacional").unwrap();
    let met = md.find("## Met before").unwrap();
    let ben = md.find("### Ben Okafor").unwrap();
    let likely = md.find("## Likely there but not confirmed").unwrap();
    let dana = md.find("### Dana Whitfield").unwrap();
    assert!(meet < ana && ana < met && met < ben && ben < likely && likely < dana);
    assert!(md.contains("\\<script\\>"));
    // Every `<` is escaped, so no tag from the data reaches a Markdown renderer.
    for (at, _) in md.match_indices('<') {
        assert_eq!(&md[at - 1..at], "\\", "unescaped < at {at}: {md}");
    }
    assert!(!md.contains("[link](javascript"), "no live links");
    assert!(md.contains("waiting for your reply"));
}

#[test]
fn html_is_self_contained_printable_and_escaped() {
    let net = network();
    let b = brief::briefing(&net.store, &net.event.id, now()).unwrap();
    let html = brief::html::render(&b);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("name=\"viewport\""));
    assert!(html.contains("@media print"));
    // Only our own markup: no script, no image, no event handler from the data.
    assert!(!html.contains("<script"));
    assert!(!html.contains("<img"));
    assert!(!html.contains("onerror="));
    assert!(!html.contains("href"));
    assert!(!html.contains("src="));
    assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Chen"));
    assert!(html.contains("&lt;img src&#61;x onerror&#61;alert(1)&gt;"));
    // Sections open and close in order.
    assert_eq!(
        html.matches("<section").count(),
        html.matches("</section>").count()
    );
    assert!(html.find("Ana Lima").unwrap() < html.find("Ben Okafor").unwrap());
}

#[test]
fn pdf_is_a_pdf_with_the_names_in_it() {
    let net = network();
    let b = brief::briefing(&net.store, &net.event.id, now()).unwrap();
    let pdf = brief::pdf::render(&b).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("brief.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg("-enc")
        .arg("UTF-8")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext must be installed (Debian: apt-get install poppler-utils)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    for needle in [
        "Briefing: Code4Lib 2025",
        "Ana Lima",
        "Ben Okafor",
        "Dana Whitfield",
        "<script>alert('x')</script> Chen",
        "Likely there but not confirmed",
    ] {
        assert!(text.contains(needle), "{needle:?} missing from:\n{text}");
    }
}

#[test]
fn pdf_paginates_a_long_briefing() {
    let mut net = network();
    let mut ids = net.event.attendee_ids.clone();
    for k in 0..60 {
        let id = contact(
            &mut net.store,
            ContactDraft {
                name: format!("Attendee Number {k:02} with a rather long name to wrap"),
                notes: "word ".repeat(120),
                ..ContactDraft::default()
            },
        );
        ids.push(id);
    }
    let mut draft = EventDraft::from(net.event.clone());
    draft.attendee_ids = ids;
    net.store.save_event(draft).unwrap();
    let b = brief::briefing(&net.store, &net.event.id, now()).unwrap();
    let pdf = brief::pdf::render(&b).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let out = std::process::Command::new("pdfinfo")
        .arg(&path)
        .output()
        .expect("pdfinfo must be installed (Debian: apt-get install poppler-utils)");
    let info = String::from_utf8_lossy(&out.stdout);
    let pages: u32 = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|p| p.trim().parse().ok())
        .unwrap();
    assert!(pages >= 5, "{info}");
    let text = String::from_utf8(
        std::process::Command::new("pdftotext")
            .arg(&path)
            .arg("-")
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(text.contains("Attendee Number 59"));
}

#[test]
fn met_at_event_logs_everyone_in_one_go() {
    let mut net = network();
    let before = net.store.stats().unwrap();
    let when = Utc.with_ymd_and_hms(2025, 6, 11, 18, 0, 0).unwrap();
    let logged = net
        .store
        .log_met_at_event(
            &net.event.id,
            &[
                (
                    net.ana.clone(),
                    "Finally met! Talked serials over dinner".into(),
                ),
                (net.eli.clone(), String::new()),
            ],
            when,
        )
        .unwrap();
    assert_eq!(logged.len(), 2);
    for (i, who) in logged.iter().zip([&net.ana, &net.eli]) {
        assert_eq!(&i.contact_ids, std::slice::from_ref(who));
        assert_eq!(i.channel, Channel::InPerson);
        assert_eq!(i.direction, Direction::Mutual);
        assert_eq!(i.occurred_at, when);
        assert_eq!(i.tags, ["#C4L25"]);
        assert!(!i.public);
    }
    assert_eq!(logged[0].text, "Finally met! Talked serials over dinner");
    assert_eq!(
        net.store.stats().unwrap().interactions,
        before.interactions + 2
    );
    // Eli was met there, so Eli attended.
    let event = net.store.event(&net.event.id).unwrap();
    assert!(event.attendee_ids.contains(&net.eli));
    // And Ana is now someone the user has met.
    let b = brief::briefing(&net.store, &net.event.id, when + Duration::hours(1)).unwrap();
    assert!(b.met_before.iter().any(|a| a.contact_id == net.ana));
}

#[test]
fn met_at_event_with_an_unknown_contact_writes_nothing() {
    let mut net = network();
    let before = net.store.stats().unwrap();
    let event_before = net.store.event(&net.event.id).unwrap();
    let err = net
        .store
        .log_met_at_event(
            &net.event.id,
            &[
                (net.eli.clone(), "hello".into()),
                ("no-such-contact".into(), "ghost".into()),
            ],
            now(),
        )
        .unwrap_err();
    assert_eq!(err.code(), "not_found");
    assert_eq!(net.store.stats().unwrap(), before);
    assert_eq!(net.store.event(&net.event.id).unwrap(), event_before);
    let err = net
        .store
        .log_met_at_event("no-such-event", &[(net.ben.clone(), String::new())], now())
        .unwrap_err();
    assert_eq!(err.code(), "not_found");
    let err = net
        .store
        .log_met_at_event(&net.event.id, &[], now())
        .unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    assert_eq!(net.store.stats().unwrap(), before);
}
