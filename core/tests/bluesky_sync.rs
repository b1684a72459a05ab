//! Bluesky accounts synced from a real, private AT Protocol network started by each test
//! (the reference PLC directory and PDS from `@atproto/dev-env`, and a second PDS): a first
//! sync, an incremental one, a deleted post, a handle change, a contact on another PDS, a
//! refused app password, a PDS that goes away mid-sync, and an archive import followed by a
//! sync of the same posts.

#[path = "support/atproto.rs"]
mod atproto;

use atproto::Network;
use chrono::{DateTime, TimeZone, Utc};
use kith_core::accounts::{
    self, AccountSettings, BlueskySettings, NewAccount, NoSecrets, Secret, SyncReport,
};
use kith_core::session::Session;
use kith_core::{Direction, Interaction, Platform};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 7, 9, 0, 0).unwrap()
}

struct Fixture {
    dir: tempfile::TempDir,
    session: Session,
}

fn fixture() -> Fixture {
    let dir = tempfile::Builder::new()
        .prefix("kith-bluesky-test-")
        .tempdir()
        .unwrap();
    let session = Session::new(dir.path().join("kith.sqlite3"));
    Fixture { dir, session }
}

/// Connects ann's account the way `kith accounts add bluesky` does: signed in once to find
/// her DID and PDS, then added.
fn add_ann(f: &Fixture, net: &Network) {
    let settings = BlueskySettings {
        handle: net.account("ann").handle.clone(),
        did: String::new(),
        service: net.pds.clone(),
        plc: net.plc.clone(),
    };
    let settings = accounts::bluesky::connect("social", &settings, &app_password(net)).unwrap();
    assert_eq!(settings.did, net.account("ann").did);
    let account = NewAccount {
        name: "social".into(),
        settings: AccountSettings::Bluesky(settings),
    };
    f.session
        .write(move |s| s.add_account(account, now()))
        .unwrap();
}

fn app_password(net: &Network) -> Secret {
    Secret::new(net.account("ann").app_password.clone().unwrap())
}

fn sync(f: &Fixture, password: Secret) -> SyncReport {
    accounts::sync(
        &f.session,
        "social",
        &NoSecrets,
        Some(password),
        now(),
        &mut |_| true,
    )
    .unwrap()
}

fn ok(report: SyncReport) -> SyncReport {
    assert!(report.error.is_none(), "{report:?}");
    report
}

fn interactions(f: &Fixture) -> Vec<Interaction> {
    f.session.read(|s| s.all_interactions()).unwrap()
}

fn find<'a>(all: &'a [Interaction], uri: &str) -> &'a Interaction {
    let key = format!("bluesky:{uri}");
    let found: Vec<&Interaction> = all.iter().filter(|i| i.id == key).collect();
    assert_eq!(found.len(), 1, "{key} in {all:#?}");
    found[0]
}

#[test]
fn a_first_sync_then_only_whats_new_across_two_pdss_deletes_and_handle_changes() {
    if !atproto::available() {
        return;
    }
    let mut net = Network::start();
    let f = fixture();
    let ann_did = net.account("ann").did.clone();
    net.follow("ann", "bob");
    net.follow("ann", "dan"); // on the second PDS
    net.follow("ann", "cat");
    let root = net.post("ann", "Who is going to the ALIA conference?");
    let bob_reply = net.reply("bob", &root, "I am, see you there");
    let ann_answer = net.reply("ann", &bob_reply, "Lovely, coffee on Tuesday?");
    let dan_quote = net.quote("dan", &root, "Worth reading");
    let cat_mention = net.mention("cat", &["ann"], "Ask");
    net.like("bob", &root); // a like is not a conversation
    let stranger = net.post("bob", "A post about nothing to do with ann");

    add_ann(&f, &net);
    let first = ok(sync(&f, app_password(&net)));
    // Whom ann follows are contacts, as her archive would make them, so what they said is
    // on their timelines at once.
    assert_eq!((first.added, first.new_people), (4, 0), "{first:?}");
    let bob_did = net.account("bob").did.clone();
    let key = |who: &str| format!("bluesky:{}", net.account(who).did);
    let contacts = (key("bob"), key("dan"), key("cat"));
    let bob_key = contacts.0.clone();
    let bob = f.session.read(move |s| s.contact(&bob_key)).unwrap();
    assert_eq!(bob.name, "@bob.test");
    assert!(
        bob.tags.contains(&"bluesky-following".to_string()),
        "{bob:#?}"
    );
    assert!(!bob.tags.contains(&"unresolved".to_string()), "{bob:#?}");
    assert!(bob
        .handles
        .iter()
        .any(|h| h.platform == Platform::Bluesky && h.value == bob_did));
    let all = interactions(&f);
    assert_eq!(all.len(), 4, "{all:#?}");
    let reply = find(&all, &bob_reply);
    assert_eq!(reply.direction, Direction::Inbound);
    assert_eq!(reply.contact_ids, vec![contacts.0.clone()]);
    assert_eq!(reply.text, "I am, see you there");
    let thread = format!("bluesky:thread:{root}");
    assert_eq!(reply.thread.as_deref(), Some(thread.as_str()));
    let answer = find(&all, &ann_answer);
    assert_eq!(answer.direction, Direction::Outbound);
    assert_eq!(
        answer.thread.as_deref(),
        Some(thread.as_str()),
        "one conversation"
    );
    assert_eq!(find(&all, &dan_quote).contact_ids, vec![contacts.1.clone()]);
    assert!(find(&all, &cat_mention).text.contains("@ann.test"));
    assert!(!all.iter().any(|i| i.id == format!("bluesky:{stranger}")));

    // Again: nothing new, nothing doubled.
    let again = ok(sync(&f, app_password(&net)));
    assert_eq!((again.added, again.updated, again.new_people), (0, 0, 0));

    // Incremental: a new reply, and only it.
    let second = net.reply("bob", &ann_answer, "Tuesday it is");
    let report = ok(sync(&f, app_password(&net)));
    assert_eq!((report.added, report.new_people), (1, 0), "{report:?}");
    assert_eq!(
        find(&interactions(&f), &second).thread.as_deref(),
        Some(thread.as_str())
    );
    let cursor = f
        .session
        .read(|s| s.account("social"))
        .unwrap()
        .cursor
        .unwrap();
    assert!(cursor["revs"][&ann_did].is_string(), "{cursor}");

    // A deleted post stays in Kith; the sync goes on.
    net.delete("bob", &second);
    let report = ok(sync(&f, app_password(&net)));
    assert_eq!((report.added, report.updated), (0, 0));
    find(&interactions(&f), &second);

    // Bob changes his handle: his posts still go to him, known by his DID.
    net.change_handle("bob", "robert.test");
    let renamed = net.reply("bob", &root, "New handle, same librarian");
    let report = ok(sync(&f, app_password(&net)));
    assert_eq!((report.added, report.new_people), (1, 0), "{report:?}");
    assert_eq!(
        find(&interactions(&f), &renamed).contact_ids,
        vec![contacts.0.clone()]
    );
    // His contact now has the new handle, not the old one (which another account may take
    // up), and his page says it changed.
    let bob_key = contacts.0.clone();
    let page = f.session.read(move |s| s.contact_detail(&bob_key)).unwrap();
    let bluesky: Vec<&str> = page
        .contact
        .handles
        .iter()
        .filter(|h| h.platform == Platform::Bluesky)
        .map(|h| h.value.as_str())
        .collect();
    assert!(bluesky.contains(&"robert.test"), "{bluesky:?}");
    assert!(bluesky.contains(&bob_did.as_str()), "{bluesky:?}");
    assert!(!bluesky.contains(&"bob.test"), "{bluesky:?}");
    assert_eq!(page.handle_changes.len(), 1, "{:?}", page.handle_changes);
    let change = &page.handle_changes[0];
    assert_eq!(
        (change.old_value.as_str(), change.new_value.as_str()),
        ("bob.test", "robert.test")
    );
    assert_eq!(change.seen_by, "social");
    // The next sync neither records it again nor looks for the old name.
    let report = ok(sync(&f, app_password(&net)));
    assert!(
        !report.notes.iter().any(|n| n.contains("bob.test")),
        "{:?}",
        report.notes
    );
    let bob_key = contacts.0.clone();
    let page = f.session.read(move |s| s.contact_detail(&bob_key)).unwrap();
    assert_eq!(page.handle_changes.len(), 1);

    // Ann changes hers: she is signed in by her DID.
    net.change_handle("ann", "ann-librarian.test");
    let late = net.reply("dan", &root, "From the other server");
    let report = ok(sync(&f, app_password(&net)));
    assert_eq!(report.added, 1, "{report:?}");
    assert_eq!(
        find(&interactions(&f), &late).contact_ids,
        vec![contacts.1.clone()]
    );
}

#[test]
fn a_refused_or_revoked_app_password_says_sign_in_again_and_changes_nothing() {
    if !atproto::available() {
        return;
    }
    let mut net = Network::start();
    let f = fixture();
    net.follow("ann", "bob");
    let root = net.post("ann", "Hello");
    net.reply("bob", &root, "Hi");
    add_ann(&f, &net);

    let wrong = sync(&f, Secret::new("aaaa-bbbb-cccc-dddd"));
    let error = wrong.error.expect("a wrong app password fails");
    assert_eq!(error.code.to_string(), "sync_wrong_password", "{error:?}");
    assert!(error.message.starts_with("social: "), "{}", error.message);
    assert!(error.message.contains("app password"), "{}", error.message);
    assert!(!error.message.contains("aaaa-bbbb"), "{}", error.message);
    assert!(interactions(&f).is_empty());
    assert!(f.session.read(|s| s.new_people()).unwrap().is_empty());

    net.revoke_app_passwords("ann");
    let revoked = sync(&f, app_password(&net));
    assert_eq!(
        revoked.error.expect("revoked").code.to_string(),
        "sync_wrong_password"
    );
    let view = f.session.read(|s| s.account("social")).unwrap();
    assert_eq!(view.failures, 2);
    assert!(view.cursor.is_none());
}

#[test]
fn a_pds_that_goes_away_mid_sync_names_the_account_and_changes_nothing() {
    if !atproto::available() {
        return;
    }
    let mut net = Network::start();
    let f = fixture();
    net.follow("ann", "bob");
    net.follow("ann", "dan");
    let root = net.post("ann", "Anyone cataloguing zines?");
    net.reply("bob", &root, "Yes!");
    add_ann(&f, &net);
    ok(sync(&f, app_password(&net)));
    let before = (
        interactions(&f),
        f.session.read(|s| s.new_people()).unwrap(),
        f.session.read(|s| s.account("social")).unwrap().cursor,
    );

    // Ann's PDS answers; dan's, read after it, is gone.
    net.reply("bob", &root, "Also, we have a zine library");
    net.reply("dan", &root, "Me too");
    net.stop_pds2();
    let report = sync(&f, app_password(&net));
    let error = report.error.expect("the sync fails");
    assert_eq!(error.code.to_string(), "sync_unreachable", "{error:?}");
    assert!(error.message.starts_with("social: "), "{}", error.message);
    assert!(error.message.contains(&net.pds2), "{}", error.message);
    let after = (
        interactions(&f),
        f.session.read(|s| s.new_people()).unwrap(),
        f.session.read(|s| s.account("social")).unwrap().cursor,
    );
    assert_eq!(before, after, "bob's new reply waits for a sync that works");
}

#[test]
fn an_archive_import_and_a_live_sync_of_the_same_posts_double_nothing() {
    if !atproto::available() {
        return;
    }
    let mut net = Network::start();
    let f = fixture();
    net.follow("ann", "bob");
    net.follow("ann", "cat");
    let bobs = net.post("bob", "Our library reopens Monday");
    let answer = net.reply("ann", &bobs, "Congratulations!");
    let mention = net.mention("ann", &["bob"], "Thank you");
    // The archive knows cat only by her DID: ann replied to her and never mentioned her.
    let cats = net.post("cat", "Weeding the reference shelves today");
    let to_cat = net.reply("ann", &cats, "Be brave with the 1990s almanacs");
    let car = f.dir.path().join("ann.car");
    net.export_repo("ann", &car);
    let imported = f
        .session
        .write(move |s| {
            kith_core::import::import(s, &car, &Default::default(), now(), &mut |_| true)
        })
        .unwrap();
    assert_eq!(imported.report.interactions_added, 3, "{imported:?}");
    let before = interactions(&f);

    let people_before = f.session.read(|s| s.all_contacts()).unwrap().len();

    add_ann(&f, &net);
    let report = ok(sync(&f, app_password(&net)));
    assert_eq!(
        (report.added, report.updated, report.new_people),
        (0, 0, 0),
        "{report:?}"
    );
    let after = interactions(&f);
    assert_eq!(before, after);
    // Whom ann follows were made contacts by the archive, under the keys the sync gives them.
    let people_after = f.session.read(|s| s.all_contacts()).unwrap().len();
    assert_eq!(people_before, people_after);
    find(&after, &answer);
    find(&after, &mention);
    find(&after, &to_cat);
}

#[test]
fn the_posts_of_contacts_with_a_bluesky_handle_are_read_though_not_followed() {
    if !atproto::available() {
        return;
    }
    let mut net = Network::start();
    let f = fixture();
    net.follow("ann", "dan"); // so the second PDS is one this sync meets
    let mention = net.mention("cat", &["ann"], "Have you seen the new cataloguing rules?");
    let from_bob = net.mention("bob", &["ann"], "A mention by someone who is not a contact");
    let contact = |name: &str, handle: &str| kith_core::ContactDraft {
        name: name.into(),
        handles: vec![kith_core::Handle {
            platform: Platform::Bluesky,
            value: handle.into(),
        }],
        ..Default::default()
    };
    let cat = contact("Cat Reader", "https://bsky.app/profile/cat.test");
    let cat_id = f
        .session
        .write(move |s| s.save_contact(cat, now()))
        .unwrap()
        .id;
    let nobody = contact("Nobody", "nobody.test");
    f.session
        .write(move |s| s.save_contact(nobody, now()))
        .unwrap();
    add_ann(&f, &net);
    let report = ok(sync(&f, app_password(&net)));
    // Cat is a contact: her mention is on her timeline. Bob is not, and ann neither follows
    // nor talked with him; he is on her PDS, which hosts a few accounts, so his mention is
    // found there and he waits in New people.
    assert_eq!((report.added, report.new_people), (1, 1), "{report:?}");
    let all = interactions(&f);
    assert_eq!(find(&all, &mention).contact_ids, vec![cat_id.clone()]);
    assert!(!all.iter().any(|i| i.id == format!("bluesky:{from_bob}")));
    let inbox = f.session.read(|s| s.new_people()).unwrap();
    assert_eq!(inbox.len(), 1, "{inbox:#?}");
    assert_eq!(inbox[0].name, "@bob.test");
    assert_eq!(inbox[0].seen_in, vec!["mentions of you on Bluesky"]);
    // A handle nobody has is told, in the report and on the account until the next sync.
    assert!(
        report.notes.iter().any(|n| n.contains("nobody.test")),
        "{:?}",
        report.notes
    );
    let view = f.session.read(|s| s.account("social")).unwrap();
    assert_eq!(view.last_notes, report.notes);

    // Cat renames herself: the contact known by her profile's address follows her by the DID
    // the first sync learned, and her page says so.
    net.change_handle("cat", "catherine.test");
    let later = net.mention("cat", &["ann"], "Same cat, new name");
    let report = ok(sync(&f, app_password(&net)));
    assert_eq!((report.added, report.new_people), (1, 0), "{report:?}");
    assert_eq!(
        find(&interactions(&f), &later).contact_ids,
        vec![cat_id.clone()]
    );
    let page = f.session.read(move |s| s.contact_detail(&cat_id)).unwrap();
    assert_eq!(page.handle_changes.len(), 1, "{:?}", page.handle_changes);
    assert_eq!(page.handle_changes[0].new_value, "catherine.test");
    assert_eq!(
        page.handle_changes[0].old_value,
        "https://bsky.app/profile/cat.test"
    );
}

#[test]
fn an_expired_session_is_refreshed_and_the_sync_goes_on() {
    if !atproto::available() {
        return;
    }
    let mut net = Network::start();
    let f = fixture();
    net.follow("ann", "bob");
    let root = net.post("ann", "Storytime ideas for winter?");
    net.reply("bob", &root, "Snow poems, always");
    add_ann(&f, &net);
    // The session this sync opens is expired by the time its first signed request is made.
    net.expire_next_session();
    let report = ok(sync(&f, app_password(&net)));
    assert_eq!((report.added, report.new_people), (1, 0), "{report:?}");
    let bob = format!("bluesky:{}", net.account("bob").did);
    assert_eq!(interactions(&f)[0].contact_ids, vec![bob]);
}

#[test]
fn a_stranger_on_a_small_pds_is_found_once_and_a_big_pds_is_not_scanned() {
    if !atproto::available() {
        return;
    }
    let mut net = Network::start();
    let ann_did = net.account("ann").did.clone();
    // Bob: neither followed by ann nor a contact; he asks her something.
    let asked = net.mention("bob", &["ann"], "Do you lend e-readers?");
    let settings = kith_core::accounts::BlueskySettings {
        handle: net.account("ann").handle.clone(),
        did: ann_did.clone(),
        service: net.pds.clone(),
        plc: net.plc.clone(),
    };
    let password = app_password(&net);
    let harvest_with = |max_strangers: usize, cursor: Option<&serde_json::Value>| {
        accounts::bluesky::fetch_with(
            "social",
            &settings,
            &password,
            cursor,
            &kith_core::accounts::Me::default(),
            &mut |_| true,
            &accounts::bluesky::Limits {
                max_strangers,
                ..Default::default()
            },
            now(),
        )
        .unwrap()
    };
    // Ann's PDS hosts three accounts: more than one, so with room for one it is not scanned.
    let big = harvest_with(1, None);
    assert!(big.items.is_empty(), "{:#?}", big.items);
    let small = harvest_with(200, None);
    let keys: Vec<&str> = small.items.iter().map(|i| i.key.as_str()).collect();
    assert_eq!(keys, [format!("bluesky:{asked}")]);
    // Bob talked to ann: he is watched from now on, so a later sync reads him even where his
    // PDS could no longer be scanned; nothing is read twice.
    let cursor = small.cursor.clone().unwrap();
    let bob = net.account("bob").did.clone();
    assert!(
        cursor["watch"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d.as_str() == Some(bob.as_str())),
        "{cursor}"
    );
    let again = harvest_with(1, Some(&cursor));
    assert!(again.items.is_empty(), "{:#?}", again.items);
    let later = net.mention("bob", &["ann"], "And audiobooks?");
    let third = harvest_with(1, Some(&again.cursor.clone().unwrap()));
    let keys: Vec<&str> = third.items.iter().map(|i| i.key.as_str()).collect();
    assert_eq!(keys, [format!("bluesky:{later}")]);
}
