//! Matching attendee lists (organisers' CSVs, speaker lists, hashtag handles) to contacts.

use chrono::{TimeZone, Utc};
use kith_core::attendee_match::{
    fold_name, match_attendees, parse_attendee_list, AttendeeMatch, MatchKind,
};
use kith_core::{ContactDraft, EventDraft, EventKind, Handle, Platform, Store};

fn draft(name: &str, handles: &[(Platform, &str)]) -> ContactDraft {
    ContactDraft {
        name: name.into(),
        handles: handles
            .iter()
            .map(|(p, v)| Handle {
                platform: *p,
                value: v.to_string(),
            })
            .collect(),
        ..ContactDraft::default()
    }
}

fn network() -> Store {
    let now = Utc.with_ymd_and_hms(2025, 6, 1, 12, 0, 0).unwrap();
    let mut store = Store::open_in_memory().unwrap();
    for d in [
        draft(
            "Ana Lima",
            &[
                (Platform::Email, "ana@example.org"),
                (Platform::Mastodon, "@ana@glammr.example"),
            ],
        ),
        draft("José Núñez", &[(Platform::Bluesky, "jose.bsky.social")]),
        draft("Mary-Kate O'Brien", &[]),
        draft("Sam Lee", &[(Platform::Twitter, "@samlee")]),
        draft("Sam Lee", &[(Platform::Twitter, "@samlee2")]),
        draft("Priya Raman", &[(Platform::Email, "priya@example.net")]),
    ] {
        store.save_contact(d, now).unwrap();
    }
    store
}

fn id_of(store: &Store, name: &str) -> String {
    store.find_contacts_by_name(name).unwrap()[0].0.clone()
}

fn find<'a>(matches: &'a [AttendeeMatch], entry_part: &str) -> &'a AttendeeMatch {
    matches
        .iter()
        .find(|m| m.entry.contains(entry_part))
        .unwrap_or_else(|| panic!("no entry containing {entry_part:?} in {matches:#?}"))
}

#[test]
fn csv_rows_match_by_email_handle_name_possible_or_none() {
    let store = network();
    let csv = "Full Name,E-mail,Mastodon\n\
               Someone Else,ANA@Example.org,\n\
               Jose Nunez,,\n\
               ,,@Ana@Glammr.example\n\
               Mary Kate OBrien,,\n\
               Priya Ramen,,\n\
               A. Lima,,\n\
               Sam Lee,,\n\
               Marie Curie,,\n";
    let matches = store.match_attendee_list(csv).unwrap();
    assert_eq!(matches.len(), 8, "{matches:#?}");
    let ana = id_of(&store, "Ana Lima");

    // The email wins over a name that matches nobody.
    let m = find(&matches, "Someone Else");
    assert_eq!(
        (m.how, m.contact_id.as_deref()),
        (MatchKind::Email, Some(ana.as_str()))
    );
    // Case and accents do not matter for names.
    let m = find(&matches, "Jose Nunez");
    assert_eq!(m.how, MatchKind::Name);
    assert_eq!(m.contact_name.as_deref(), Some("José Núñez"));
    // A handle alone, written differently.
    let m = find(&matches, "@Ana@Glammr.example");
    assert_eq!(
        (m.how, m.contact_id.as_deref()),
        (MatchKind::Handle, Some(ana.as_str()))
    );
    // Hyphens and apostrophes are spacing, not letters.
    assert_eq!(find(&matches, "Mary Kate").how, MatchKind::Name);
    // One letter off: possible, never certain.
    let m = find(&matches, "Priya Ramen");
    assert_eq!(m.how, MatchKind::Possible);
    assert_eq!(m.contact_name.as_deref(), Some("Priya Raman"));
    // Initials: possible.
    let m = find(&matches, "A. Lima");
    assert_eq!(
        (m.how, m.contact_id.as_deref()),
        (MatchKind::Possible, Some(ana.as_str()))
    );
    // Two contacts share the name: possible, so the user chooses.
    assert_eq!(find(&matches, "Sam Lee").how, MatchKind::Possible);
    // Nobody.
    let m = find(&matches, "Marie Curie");
    assert_eq!((m.how, m.contact_id.clone()), (MatchKind::None, None));
}

#[test]
fn plain_lists_tell_handles_and_addresses_from_names() {
    let store = network();
    let list = "# Speakers, day one\n\
                Ana Lima (@ana@glammr.example)\n\
                \n\
                https://jose.bsky.social/\n\
                Priya <priya@example.net>\n\
                @samlee2\n\
                Zed Nobody\n";
    let entries = parse_attendee_list(list);
    assert_eq!(entries.len(), 5, "{entries:#?}");
    assert_eq!(entries[0].name.as_deref(), Some("Ana Lima"));
    assert_eq!(entries[0].handles, ["@ana@glammr.example"]);
    assert_eq!(entries[2].emails, ["priya@example.net"]);
    let contacts = store.all_contacts().unwrap();
    let matches = match_attendees(&contacts, &entries);
    let kinds: Vec<MatchKind> = matches.iter().map(|m| m.how).collect();
    assert_eq!(
        kinds,
        [
            MatchKind::Handle,
            MatchKind::Handle,
            MatchKind::Email,
            MatchKind::Handle,
            MatchKind::None
        ]
    );
    // A handle picks the right one of two people with the same name.
    assert_eq!(matches[3].contact_id, Some(id_of(&store, "@samlee2")));
    assert_eq!(matches[4].entry, "Zed Nobody");
}

#[test]
fn hostile_entries_are_kept_as_data_and_match_nobody() {
    let store = network();
    let nasty = [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "Robert'); DROP TABLE contacts;--",
        "\u{202e}amiL anA",
        "%_%",
        "\u{1b}[31mred",
    ];
    let long = "x".repeat(100_000);
    let mut text = nasty.join("\n");
    text.push('\n');
    text.push_str(&long);
    let matches = store.match_attendee_list(&text).unwrap();
    assert_eq!(matches.len(), nasty.len() + 1);
    for (m, raw) in matches.iter().zip(nasty) {
        assert_eq!(m.entry, raw, "entries come back as written");
        assert_eq!(
            m.how,
            MatchKind::None,
            "{raw:?} matched {:?}",
            m.contact_name
        );
    }
    assert_eq!(matches[nasty.len()].how, MatchKind::None);
    assert_eq!(store.stats().unwrap().contacts, 6, "the store is intact");
}

#[test]
fn folding_ignores_case_accents_and_punctuation() {
    assert_eq!(fold_name("  José   NÚÑEZ "), "jose nunez");
    assert_eq!(fold_name("Mary-Kate O’Brien"), "mary kate obrien");
    assert_eq!(fold_name("Zoë Ångström"), "zoe angstrom");
    assert_eq!(fold_name("<b>"), "b");
}

#[test]
fn adding_matches_adds_only_the_certain_ones_and_keeps_existing_attendees() {
    let mut store = network();
    let priya = id_of(&store, "Priya Raman");
    let event = store
        .save_event(EventDraft {
            id: None,
            name: "Code4Lib 2025".into(),
            kind: EventKind::Conference,
            starts_on: chrono::NaiveDate::from_ymd_opt(2025, 6, 10).unwrap(),
            ends_on: None,
            location: String::new(),
            hashtags: vec![],
            notes: String::new(),
            attendee_ids: vec![priya.clone()],
        })
        .unwrap();
    let matches = store
        .match_attendee_list("ana@example.org\nJose Nunes\npriya@example.net\nSam Lee\n")
        .unwrap();
    let added = store.add_matched_attendees(&event.id, &matches).unwrap();
    assert_eq!(added.added, [id_of(&store, "Ana Lima")]);
    assert_eq!(added.already, std::slice::from_ref(&priya));
    let mut expected = vec![id_of(&store, "Ana Lima"), priya];
    expected.sort();
    let mut got = store.event(&event.id).unwrap().attendee_ids;
    got.sort();
    assert_eq!(got, expected, "possible matches are not added");

    // An unknown contact changes nothing.
    let err = store
        .add_attendees(&event.id, &[id_of(&store, "José Núñez"), "nobody".into()])
        .unwrap_err();
    assert_eq!(err.code(), "not_found");
    assert_eq!(store.event(&event.id).unwrap().attendee_ids.len(), 2);
}
