//! Store tests: opening policy, contacts, interactions, events and search.

use super::*;
use crate::domain::*;
use crate::error::Code;
use chrono::{Duration, NaiveDate, TimeZone};

pub(crate) fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, 0, 0)
        .single()
        .expect("valid time")
}

pub(crate) fn contact(store: &mut Store, name: &str) -> Contact {
    store
        .save_contact(
            ContactDraft {
                name: name.into(),
                ..ContactDraft::default()
            },
            at(2025, 1, 1, 9),
        )
        .expect("save contact")
}

fn log(
    store: &mut Store,
    who: &[&str],
    channel: Channel,
    when: DateTime<Utc>,
    text: &str,
) -> Interaction {
    store
        .save_interaction(InteractionDraft {
            id: None,
            contact_ids: who.iter().map(|s| s.to_string()).collect(),
            channel,
            direction: Direction::Outbound,
            occurred_at: when,
            public: None,
            text: text.into(),
            thread: None,
            tags: vec![],
            moment: None,
        })
        .expect("log interaction")
}

#[test]
fn a_new_store_has_the_current_schema_and_connection_policy() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/folder/kith.sqlite3");
    let store = Store::open(&path).unwrap();
    assert!(path.exists(), "the store file and its folders are created");
    assert_eq!(store.schema_version().unwrap(), schema::CURRENT_VERSION);
    let mode: String = store
        .conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let fk: i64 = store
        .conn
        .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
        .unwrap();
    assert_eq!(fk, 1);
    let sync: i64 = store
        .conn
        .query_row("PRAGMA synchronous", [], |r| r.get(0))
        .unwrap();
    assert_eq!(sync, 1, "synchronous = NORMAL");
}

#[test]
fn a_file_that_is_not_a_database_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kith.sqlite3");
    let garbage = b"this is a shopping list, not a database\n".repeat(100);
    std::fs::write(&path, &garbage).unwrap();
    let err = Store::open(&path).unwrap_err();
    assert_eq!(err.code(), "store_corrupt", "{err}");
    assert!(
        err.to_string().contains("kith.sqlite3"),
        "names the file: {err}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), garbage);
}

#[test]
fn a_damaged_database_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kith.sqlite3");
    {
        let mut store = Store::open(&path).unwrap();
        contact(&mut store, "Aroha Ngata");
    }
    // Keep the header, destroy the rest.
    let mut bytes = std::fs::read(&path).unwrap();
    for b in bytes.iter_mut().skip(100) {
        *b = 0xA5;
    }
    std::fs::write(&path, &bytes).unwrap();
    let _ = std::fs::remove_file(path.with_extension("sqlite3-wal"));
    let err = Store::open(&path).unwrap_err();
    assert!(
        matches!(err.code(), Code::StoreCorrupt | Code::Database),
        "{err}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), bytes, "left as it was");
}

#[test]
fn another_programs_database_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE recipes (name TEXT)")
            .unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let err = Store::open(&path).unwrap_err();
    assert_eq!(err.code(), "store_corrupt");
    assert!(err.to_string().contains("not one Kith made"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn a_store_from_a_newer_kith_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kith.sqlite3");
    {
        let store = Store::open(&path).unwrap();
        store.conn.pragma_update(None, "user_version", 99).unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let err = Store::open(&path).unwrap_err();
    assert_eq!(err.code(), "store_too_new");
    assert!(err.to_string().contains("newer Kith"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn a_store_that_cannot_be_created_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("not-a-folder");
    std::fs::write(&blocker, "x").unwrap();
    let err = Store::open(blocker.join("kith.sqlite3")).unwrap_err();
    assert_eq!(err.code(), "store_unavailable", "{err}");
    let err = Store::open(dir.path()).unwrap_err();
    assert_eq!(
        err.code(),
        "store_unavailable",
        "a folder is not a store: {err}"
    );
}

#[test]
fn contacts_keep_handles_roles_and_how_we_met() {
    let mut store = Store::open_in_memory().unwrap();
    let saved = store
        .save_contact(
            ContactDraft {
                name: "  Chen Wei ".into(),
                handles: vec![
                    Handle {
                        platform: Platform::Mastodon,
                        value: "@chenwei@code4lib.social".into(),
                    },
                    Handle {
                        platform: Platform::Email,
                        value: "chen@example.org".into(),
                    },
                    Handle {
                        platform: Platform::Email,
                        value: "CHEN@example.org".into(),
                    },
                ],
                organisation: "Lincoln University".into(),
                met_where: "Koha listserv".into(),
                met_on: NaiveDate::from_ymd_opt(2024, 3, 5),
                met_through: "a reply to my serials question".into(),
                private_notes: "between us".into(),
                tags: vec!["koha".into(), " Koha ".into(), "".into()],
                roles: vec![
                    Role {
                        kind: RoleKind::Expert,
                        direction: RoleDirection::TheyAdviseMe,
                        topics: vec!["Koha serials".into()],
                        acknowledged: false,
                    },
                    Role {
                        kind: RoleKind::Peer,
                        direction: RoleDirection::Mutual,
                        topics: vec![],
                        acknowledged: true,
                    },
                ],
                ..ContactDraft::default()
            },
            at(2025, 1, 1, 9),
        )
        .unwrap();
    assert_eq!(saved.name, "Chen Wei");
    assert_eq!(
        saved.handles.len(),
        2,
        "the same address twice is one handle"
    );
    assert_eq!(saved.tags, vec!["koha"]);
    assert_eq!(saved.roles.len(), 2);
    assert_eq!(
        saved.roles[0].kind,
        RoleKind::Peer,
        "roles in mentor, peer, expert order"
    );
    assert_eq!(saved.roles[1].topics, vec!["Koha serials"]);
    let again = store.contact(&saved.id).unwrap();
    assert_eq!(again, saved);

    let mut draft = ContactDraft::from(saved.clone());
    draft.roles.retain(|r| r.kind == RoleKind::Expert);
    draft.notes = "Answers within the hour".into();
    let updated = store.save_contact(draft, at(2025, 2, 1, 9)).unwrap();
    assert_eq!(updated.id, saved.id);
    assert_eq!(updated.roles.len(), 1);
    assert_eq!(updated.created_at, saved.created_at);
    assert!(updated.updated_at > saved.updated_at);
}

#[test]
fn a_contact_needs_a_name() {
    let mut store = Store::open_in_memory().unwrap();
    let err = store
        .save_contact(
            ContactDraft {
                name: "   ".into(),
                ..ContactDraft::default()
            },
            at(2025, 1, 1, 9),
        )
        .unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    assert_eq!(store.stats().unwrap().contacts, 0);
}

#[test]
fn the_timeline_spans_channels_newest_first() {
    let mut store = Store::open_in_memory().unwrap();
    let a = contact(&mut store, "Aroha Ngata");
    let b = contact(&mut store, "Ben Kowalski");
    log(
        &mut store,
        &[&a.id],
        Channel::Twitter,
        at(2025, 3, 1, 9),
        "first tweet",
    );
    log(
        &mut store,
        &[&a.id, &b.id],
        Channel::Email,
        at(2025, 3, 5, 9),
        "group email",
    );
    log(
        &mut store,
        &[&a.id],
        Channel::InPerson,
        at(2025, 3, 3, 9),
        "coffee at the conference",
    );
    let timeline = store.timeline(&a.id, None).unwrap();
    let texts: Vec<&str> = timeline
        .iter()
        .map(|t| t.interaction.text.as_str())
        .collect();
    assert_eq!(
        texts,
        ["group email", "coffee at the conference", "first tweet"]
    );
    assert_eq!(timeline[0].contact_names, ["Aroha Ngata", "Ben Kowalski"]);
    assert!(
        !timeline[0].interaction.public,
        "email is private by default"
    );
    assert!(
        timeline[2].interaction.public,
        "a tweet is public by default"
    );
    assert_eq!(store.timeline(&b.id, None).unwrap().len(), 1);
    assert_eq!(store.timeline(&a.id, Some(1)).unwrap().len(), 1);
}

#[test]
fn deleting_a_contact_keeps_shared_interactions_only() {
    let mut store = Store::open_in_memory().unwrap();
    let a = contact(&mut store, "Aroha Ngata");
    let b = contact(&mut store, "Ben Kowalski");
    log(
        &mut store,
        &[&a.id],
        Channel::Twitter,
        at(2025, 3, 1, 9),
        "just Aroha",
    );
    let shared = log(
        &mut store,
        &[&a.id, &b.id],
        Channel::Email,
        at(2025, 3, 5, 9),
        "both",
    );
    store.delete_contact(&a.id).unwrap();
    assert_eq!(
        store.stats().unwrap(),
        Stats {
            contacts: 1,
            interactions: 1,
            events: 0
        }
    );
    assert_eq!(
        store.interaction(&shared.id).unwrap().contact_ids,
        vec![b.id.clone()]
    );
    assert_eq!(store.delete_contact(&a.id).unwrap_err().code(), "not_found");
    assert!(
        store.search("Aroha").unwrap().contacts.is_empty(),
        "gone from search too"
    );
}

#[test]
fn interactions_can_be_edited_and_deleted() {
    let mut store = Store::open_in_memory().unwrap();
    let a = contact(&mut store, "Aroha Ngata");
    let i = log(
        &mut store,
        &[&a.id],
        Channel::Twitter,
        at(2025, 3, 1, 9),
        "draft text",
    );
    let mut draft = InteractionDraft::from(i.clone());
    draft.text = "final text about cataloguing".into();
    draft.channel = Channel::Mastodon;
    let edited = store.save_interaction(draft).unwrap();
    assert_eq!(edited.id, i.id);
    assert_eq!(store.search("cataloguing").unwrap().interactions.len(), 1);
    assert!(
        store.search("draft").unwrap().interactions.is_empty(),
        "the index follows edits"
    );
    store.delete_interaction(&i.id).unwrap();
    assert_eq!(store.stats().unwrap().interactions, 0);
    assert!(store.search("cataloguing").unwrap().interactions.is_empty());
    let err = store
        .save_interaction(InteractionDraft {
            contact_ids: vec!["nobody".into()],
            ..InteractionDraft::from(i)
        })
        .unwrap_err();
    assert_eq!(err.code(), "not_found");
}

#[test]
fn search_covers_names_handles_notes_and_interaction_text() {
    let mut store = Store::open_in_memory().unwrap();
    let pita = store
        .save_contact(
            ContactDraft {
                name: "Pita Tuhiwai".into(),
                handles: vec![Handle {
                    platform: Platform::Email,
                    value: "pita.t@example.ac.nz".into(),
                }],
                notes: "Knows mātauranga Māori inside out".into(),
                ..ContactDraft::default()
            },
            at(2025, 1, 1, 9),
        )
        .unwrap();
    let chen = contact(&mut store, "Chen Wei");
    log(
        &mut store,
        &[&chen.id],
        Channel::Listserv,
        at(2025, 3, 1, 9),
        "Koha serials prediction pattern question",
    );

    let names = |q: &str| -> Vec<String> {
        store
            .list_contacts(&ContactFilter {
                query: Some(q.into()),
                ..Default::default()
            })
            .unwrap()
            .into_iter()
            .map(|c| c.name)
            .collect()
    };
    assert_eq!(names("pit"), ["Pita Tuhiwai"], "prefix of a name");
    assert_eq!(names("pita.t@example"), ["Pita Tuhiwai"], "a handle");
    assert_eq!(names("maori"), ["Pita Tuhiwai"], "diacritics folded");
    assert_eq!(names("koha serials"), ["Chen Wei"], "interaction text");
    assert!(names("koha pita").is_empty(), "every word must match");
    assert_eq!(names("").len(), 2, "an empty query filters nothing");
    for hostile in [
        "\"",
        "AND",
        "OR NOT",
        "*",
        "NEAR(a b)",
        "-",
        "pita\" OR \"chen",
        "'; DROP TABLE contacts; --",
        "^",
        "((",
    ] {
        store
            .search(hostile)
            .unwrap_or_else(|e| panic!("{hostile:?} failed: {e}"));
    }
    assert_eq!(store.stats().unwrap().contacts, 2);
    let _ = pita;
}

#[test]
fn the_list_filters_by_role_channel_and_tag() {
    let mut store = Store::open_in_memory().unwrap();
    let mentor = store
        .save_contact(
            ContactDraft {
                name: "Aroha".into(),
                tags: vec!["leadership".into()],
                roles: vec![Role {
                    kind: RoleKind::Mentor,
                    direction: RoleDirection::TheyAdviseMe,
                    topics: vec![],
                    acknowledged: false,
                }],
                ..ContactDraft::default()
            },
            at(2025, 1, 1, 9),
        )
        .unwrap();
    let peer = contact(&mut store, "Ben");
    log(
        &mut store,
        &[&peer.id],
        Channel::Bluesky,
        at(2025, 3, 1, 9),
        "hi",
    );
    log(
        &mut store,
        &[&mentor.id],
        Channel::Email,
        at(2025, 3, 2, 9),
        "hello",
    );
    log(
        &mut store,
        &[&mentor.id],
        Channel::Email,
        at(2025, 3, 3, 9),
        "again",
    );
    let only = |f: ContactFilter| -> Vec<String> {
        store
            .list_contacts(&f)
            .unwrap()
            .into_iter()
            .map(|c| c.name)
            .collect()
    };
    assert_eq!(
        only(ContactFilter {
            role: Some(RoleKind::Mentor),
            ..Default::default()
        }),
        ["Aroha"]
    );
    assert_eq!(
        only(ContactFilter {
            channel: Some(Channel::Bluesky),
            ..Default::default()
        }),
        ["Ben"]
    );
    assert_eq!(
        only(ContactFilter {
            tag: Some("LEADERSHIP".into()),
            ..Default::default()
        }),
        ["Aroha"]
    );
    let all = store.list_contacts(&ContactFilter::default()).unwrap();
    assert_eq!(all[0].interaction_count, 2);
    assert_eq!(all[0].last_channel, Some(Channel::Email));
    assert_eq!(all[0].last_interaction_at, Some(at(2025, 3, 3, 9)));
    assert_eq!(store.list_tags().unwrap(), ["leadership"]);
}

#[test]
fn events_keep_their_attendees_and_are_found_by_name() {
    let mut store = Store::open_in_memory().unwrap();
    let a = contact(&mut store, "Aroha");
    let event = store
        .save_event(EventDraft {
            id: None,
            name: "LIANZA Conference".into(),
            kind: EventKind::Conference,
            starts_on: NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(),
            ends_on: None,
            location: "Wellington".into(),
            hashtags: vec!["#lianza".into()],
            notes: String::new(),
            attendee_ids: vec![a.id.clone()],
        })
        .unwrap();
    assert_eq!(
        event.ends_on, event.starts_on,
        "one day unless said otherwise"
    );
    assert_eq!(store.find_event("lianza conference").unwrap().id, event.id);
    assert_eq!(store.find_event("LIANZA").unwrap().id, event.id);
    assert_eq!(store.events_of_contact(&a.id).unwrap().len(), 1);
    let mut bad = EventDraft::from(event.clone());
    bad.ends_on = NaiveDate::from_ymd_opt(2026, 9, 1);
    assert_eq!(store.save_event(bad).unwrap_err().code(), "invalid_input");
    store.delete_event(&event.id).unwrap();
    assert_eq!(store.stats().unwrap().events, 0);
}

#[test]
fn two_connections_write_to_one_file_without_locking_errors() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kith.sqlite3");
    let mut first = Store::open(&path).unwrap();
    let a = contact(&mut first, "Aroha");
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let path = path.clone();
            let id = a.id.clone();
            std::thread::spawn(move || {
                let mut store = Store::open(&path).unwrap();
                for n in 0..50 {
                    log(
                        &mut store,
                        &[&id],
                        Channel::Email,
                        at(2025, 1, 1, 0) + Duration::minutes(t * 100 + n),
                        "note",
                    );
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(first.stats().unwrap().interactions, 200);
}

#[test]
fn the_sample_network_is_realistic_and_loads_once() {
    let mut store = Store::open_in_memory().unwrap();
    let now = at(2026, 11, 1, 12);
    let report = store.load_demo(now).unwrap();
    let stats = store.stats().unwrap();
    assert!(stats.contacts >= 30, "{stats:?}");
    assert!(stats.interactions >= 300, "{stats:?}");
    assert_eq!(report.contacts_added, stats.contacts);
    assert!(store.has_demo().unwrap());
    let upcoming: Vec<Event> = store
        .list_events()
        .unwrap()
        .into_iter()
        .filter(|e| e.kind == EventKind::Conference && e.starts_on > now.date_naive())
        .collect();
    assert_eq!(upcoming.len(), 1, "one conference coming up");
    let all = store.all_interactions().unwrap();
    assert!(all.iter().all(|i| i.occurred_at <= now));
    assert!(
        all.iter()
            .any(|i| i.occurred_at < now - Duration::days(600)),
        "spans about two years"
    );
    let channels: std::collections::HashSet<Channel> = all.iter().map(|i| i.channel).collect();
    assert!(channels.len() >= 7, "many channels: {channels:?}");
    assert_eq!(
        crate::demo::sample_network(now),
        crate::demo::sample_network(now),
        "deterministic"
    );
}

#[test]
fn the_timeline_pages_newest_first_without_skipping_or_repeating() {
    let mut store = Store::open_in_memory().unwrap();
    let ana = contact(&mut store, "Ana Lima");
    let ben = contact(&mut store, "Ben Okafor");
    // 7 interactions, three of them at the same moment, one shared with Ben.
    let mut logged = Vec::new();
    for (n, hour) in [9, 10, 11, 11, 11, 12, 13].into_iter().enumerate() {
        let who: &[&str] = if n == 3 {
            &[&ana.id, &ben.id]
        } else {
            &[&ana.id]
        };
        logged.push(log(
            &mut store,
            who,
            Channel::Email,
            at(2025, 6, 1, hour),
            &format!("n{n}"),
        ));
    }
    let whole: Vec<String> = store
        .timeline(&ana.id, None)
        .unwrap()
        .into_iter()
        .map(|t| t.interaction.id)
        .collect();
    assert_eq!(whole.len(), 7);

    let mut paged: Vec<String> = Vec::new();
    let mut after: Option<String> = None;
    let mut pages = 0;
    loop {
        let page = store.timeline_page(&ana.id, after.as_deref(), 2).unwrap();
        assert!(page.entries.len() <= 2);
        pages += 1;
        paged.extend(page.entries.iter().map(|t| t.interaction.id.clone()));
        if pages == 2 {
            // Adding a newer interaction and deleting an already shown one between pages
            // changes nothing in the older pages.
            log(
                &mut store,
                &[&ana.id],
                Channel::Phone,
                at(2025, 6, 2, 9),
                "later",
            );
            store.delete_interaction(&paged[0]).unwrap();
        }
        match page.next {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    assert_eq!(paged, whole, "the same order, each once");
    assert_eq!(pages, 4);
    let shared = store.timeline_page(&ana.id, None, 10).unwrap();
    let entry = shared
        .entries
        .iter()
        .find(|t| t.interaction.id == logged[3].id)
        .unwrap();
    assert_eq!(entry.contact_names, ["Ana Lima", "Ben Okafor"]);
    assert!(shared.next.is_none());

    let detail = store.contact_detail(&ana.id).unwrap();
    assert_eq!(detail.timeline_total, 7, "one added, one deleted");
    assert_eq!(detail.timeline.len(), 7);
    assert!(detail.timeline_next.is_none());
    assert_eq!(detail.timeline[0].interaction.text, "later");

    for bad in ["", "12", "x.y", "1.2.3"] {
        let err = store.timeline_page(&ana.id, Some(bad), 2).unwrap_err();
        assert_eq!(err.code(), "invalid_input", "{bad:?}");
    }
}

#[test]
fn the_contact_page_holds_the_newest_page_and_the_count_of_all() {
    let mut store = Store::open_in_memory().unwrap();
    let ana = contact(&mut store, "Ana Lima");
    let n = TIMELINE_PAGE as usize + 5;
    for k in 0..n {
        let when = at(2025, 1, 1, 0) + Duration::hours(k as i64);
        log(
            &mut store,
            &[&ana.id],
            Channel::Email,
            when,
            &format!("k{k}"),
        );
    }
    let detail = store.contact_detail(&ana.id).unwrap();
    assert_eq!(detail.timeline_total as usize, n);
    assert_eq!(detail.timeline.len(), TIMELINE_PAGE as usize);
    assert_eq!(detail.timeline[0].interaction.text, format!("k{}", n - 1));
    let rest = store
        .timeline_page(&ana.id, detail.timeline_next.as_deref(), TIMELINE_PAGE)
        .unwrap();
    let texts: Vec<String> = rest
        .entries
        .iter()
        .map(|t| t.interaction.text.clone())
        .collect();
    assert_eq!(texts, ["k4", "k3", "k2", "k1", "k0"]);
    assert!(rest.next.is_none());
}
