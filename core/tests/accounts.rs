//! Connected accounts: adding, listing and removing them, applying what a sync fetched (a
//! scripted fetch stands in for the servers), the New people inbox, failures, cancelling,
//! the schedule, and where passwords are (never) kept.

use chrono::{DateTime, TimeZone, Utc};
use kith_core::accounts::{
    self, AccountSettings, FeedOwner, FeedSettings, Harvest, ImapSecurity, ImapSettings, Item,
    ItemKind, Me, NewAccount, NoSecrets, Person, Secret, SyncReport,
};
use kith_core::import::{Progress, ProgressFn};
use kith_core::session::Session;
use kith_core::{Channel, ContactDraft, Direction, Handle, Platform, Result};
use std::sync::Mutex;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 7, 9, 0, 0).unwrap()
}

fn at(day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, 10, 0, 0).unwrap()
}

struct Fixture {
    _dir: tempfile::TempDir,
    session: Session,
}

fn fixture() -> Fixture {
    let dir = tempfile::Builder::new()
        .prefix("kith-accounts-test-")
        .tempdir()
        .unwrap();
    let path = dir.path().join("kith.sqlite3");
    let session = Session::new(&path);
    Fixture { _dir: dir, session }
}

fn imap_settings() -> AccountSettings {
    AccountSettings::Imap(ImapSettings {
        host: "mail.example.org".into(),
        port: 993,
        user: "me@example.org".into(),
        security: ImapSecurity::Tls,
        ca_file: None,
        folders: vec![],
        addresses: vec!["Me.Too@Example.org".into()],
    })
}

fn add_mailbox(f: &Fixture, name: &str) -> accounts::AccountView {
    let account = NewAccount {
        name: name.into(),
        settings: imap_settings(),
    };
    f.session
        .write(move |s| s.add_account(account, now()))
        .unwrap()
}

fn add_contact(f: &Fixture, name: &str, handles: &[(Platform, &str)]) -> String {
    let draft = ContactDraft {
        name: name.into(),
        handles: handles
            .iter()
            .map(|(platform, value)| Handle {
                platform: *platform,
                value: value.to_string(),
            })
            .collect(),
        ..Default::default()
    };
    f.session
        .write(move |s| s.save_contact(draft, now()))
        .unwrap()
        .id
}

fn email(address: &str) -> Handle {
    Handle {
        platform: Platform::Email,
        value: address.into(),
    }
}

fn person(name: &str, address: &str) -> Person {
    Person {
        name: Some(name.into()),
        handles: vec![email(address)],
    }
}

fn mail(key: &str, day: u32, text: &str, people: Vec<Person>) -> Item {
    Item {
        key: format!("mail:<{key}@example.org>"),
        kind: ItemKind::Conversation,
        channel: Channel::Email,
        direction: Direction::Inbound,
        at: at(day),
        public: false,
        text: text.into(),
        thread: None,
        tags: vec![],
        people,
        bulk: false,
        seen_in: "INBOX on mail.example.org".into(),
    }
}

/// What a fetch was called with: the password, the cursor, who the user is.
type Call = (Option<String>, Option<serde_json::Value>, Me);

/// A fetch that hands over the harvests it is given, one per sync, and notes what it was
/// called with.
struct Script {
    harvests: Mutex<Vec<Result<Harvest>>>,
    seen: Mutex<Vec<Call>>,
}

impl Script {
    fn new(harvests: Vec<Result<Harvest>>) -> Script {
        Script {
            harvests: Mutex::new(harvests.into_iter().rev().collect()),
            seen: Mutex::new(Vec::new()),
        }
    }

    fn fetch(
        &self,
        _: &accounts::AccountView,
        secret: Option<&Secret>,
        cursor: Option<&serde_json::Value>,
        me: &Me,
        _: ProgressFn<'_>,
    ) -> Result<Harvest> {
        self.seen.lock().unwrap().push((
            secret.map(|s| s.expose().to_string()),
            cursor.cloned(),
            me.clone(),
        ));
        self.harvests
            .lock()
            .unwrap()
            .pop()
            .expect("a harvest for each sync")
    }
}

fn harvest(items: Vec<Item>, cursor: serde_json::Value) -> Result<Harvest> {
    Ok(Harvest {
        items,
        cursor: Some(cursor),
        ..Default::default()
    })
}

fn run(f: &Fixture, name: &str, script: &Script) -> Result<SyncReport> {
    run_at(f, name, script, now())
}

fn run_at(f: &Fixture, name: &str, script: &Script, when: DateTime<Utc>) -> Result<SyncReport> {
    accounts::sync_with(
        &f.session,
        name,
        &NoSecrets,
        Some(Secret::new("hunter2-pass")),
        when,
        &mut |_: Progress| true,
        &|a, s, c, m, p| script.fetch(a, s, c, m, p),
    )
}

#[test]
fn accounts_are_added_listed_found_and_removed() {
    let f = fixture();
    let added = add_mailbox(&f, "Work mail");
    assert_eq!(added.name, "Work mail");
    assert_eq!(added.kind, accounts::AccountKind::Imap);
    assert!(added.last_sync_at.is_none() && added.last_error.is_none());
    let AccountSettings::Imap(s) = &added.settings else {
        panic!("an IMAP account")
    };
    assert_eq!(
        s.addresses,
        ["me.too@example.org"],
        "addresses in lower case"
    );

    let listed = f.session.read(|s| s.accounts()).unwrap();
    assert_eq!(listed, vec![added.clone()]);
    let by_name = f.session.read(|s| s.account("work MAIL")).unwrap();
    assert_eq!(by_name.id, added.id);

    // The same name twice is refused, and a bad setting names the account and the setting.
    let again = NewAccount {
        name: "work mail".into(),
        settings: imap_settings(),
    };
    let err = f
        .session
        .write(move |s| s.add_account(again, now()))
        .unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    let with_password = NewAccount {
        name: "Blog".into(),
        settings: AccountSettings::Feed(FeedSettings {
            url: "https://ann:secret@blog.example.org/feed".into(),
            owner: FeedOwner::Mine,
        }),
    };
    let err = f
        .session
        .write(move |s| s.add_account(with_password, now()))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("\"Blog\"") && err.contains("password"),
        "{err}"
    );

    f.session.write(|s| s.remove_account("Work mail")).unwrap();
    assert!(f.session.read(|s| s.accounts()).unwrap().is_empty());
    let err = f
        .session
        .write(|s| s.remove_account("Work mail"))
        .unwrap_err();
    assert_eq!(err.code(), "not_found");
}

#[test]
fn a_sync_stores_mail_with_known_people_and_offers_the_others_and_again_adds_nothing() {
    let f = fixture();
    add_mailbox(&f, "Work");
    let ann = add_contact(&f, "Ann Lee", &[(Platform::Email, "Ann@Example.org")]);
    let items = vec![
        mail(
            "1",
            1,
            "Koha upgrade?",
            vec![person("Ann", "ann@example.org")],
        ),
        mail(
            "2",
            2,
            "Hello from Tui",
            vec![person("Tui Ngata", "tui@example.org")],
        ),
        mail("3", 3, "Both of you", {
            vec![
                person("Ann", "ann@example.org"),
                person("Tui", "TUI@example.org"),
                // The user on their own mail is never a new person.
                person("Me", "me.too@example.org"),
            ]
        }),
    ];
    let script = Script::new(vec![
        harvest(items.clone(), serde_json::json!({"uid": 3})),
        harvest(items.clone(), serde_json::json!({"uid": 3})),
    ]);
    let report = run(&f, "Work", &script).unwrap();
    assert_eq!(
        (
            report.added,
            report.updated,
            report.new_people,
            report.error
        ),
        (2, 0, 1, None)
    );
    let timeline = f.session.read(move |s| s.timeline(&ann, None)).unwrap();
    assert_eq!(timeline.len(), 2);

    let people = f.session.read(|s| s.new_people()).unwrap();
    assert_eq!(people.len(), 1, "{people:?}");
    let tui = &people[0];
    assert_eq!(tui.name, "Tui Ngata");
    assert_eq!(tui.times, 2);
    assert_eq!(tui.seen_in, ["INBOX on mail.example.org"]);
    assert_eq!((tui.first_seen, tui.last_seen), (at(2), at(3)));

    let account = f.session.read(|s| s.account("Work")).unwrap();
    assert_eq!(account.last_sync_at, Some(now()));
    assert_eq!((account.last_added, account.last_new_people), (2, 1));

    // The same mail again: nothing added, nobody counted twice; the cursor was handed back.
    let report = run(&f, "Work", &script).unwrap();
    assert_eq!((report.added, report.updated, report.new_people), (0, 0, 0));
    assert_eq!(f.session.read(|s| s.new_people()).unwrap()[0].times, 2);
    let seen = script.seen.lock().unwrap();
    assert_eq!(seen[0].1, None);
    assert_eq!(seen[1].1, Some(serde_json::json!({"uid": 3})));
    assert!(seen[0].2.emails.contains(&"me@example.org".to_string()));
    assert!(seen[0].2.emails.contains(&"me.too@example.org".to_string()));
    assert_eq!(seen[0].0.as_deref(), Some("hunter2-pass"));
}
