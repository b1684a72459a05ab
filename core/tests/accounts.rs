//! Connected accounts: adding, listing and removing them, applying what a sync fetched (a
//! scripted fetch stands in for the servers), the New people inbox, failures, cancelling,
//! the schedule, and where passwords are (never) kept.

use chrono::{DateTime, Duration, TimeZone, Utc};
use kith_core::accounts::{
    self, AccountSettings, FeedOwner, FeedSettings, Harvest, ImapSecurity, ImapSettings, Item,
    ItemKind, Me, NewAccount, NoSecrets, Person, Secret, Secrets, StoreSecrets, SyncReport,
};
use kith_core::import::{Progress, ProgressFn};
use kith_core::session::Session;
use kith_core::{Channel, ContactDraft, Direction, Error, Handle, Platform, Result, SyncProblem};
use std::sync::Mutex;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 7, 9, 0, 0).unwrap()
}

fn at(day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, 10, 0, 0).unwrap()
}

struct Fixture {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
    session: Session,
}

fn fixture() -> Fixture {
    let dir = tempfile::Builder::new()
        .prefix("kith-accounts-test-")
        .tempdir()
        .unwrap();
    let path = dir.path().join("kith.sqlite3");
    let session = Session::new(&path);
    Fixture {
        _dir: dir,
        path,
        session,
    }
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
        current: None,
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

fn feed_item(key: &str, day: u32, text: &str, people: Vec<Person>, kind: ItemKind) -> Item {
    Item {
        key: key.into(),
        kind,
        channel: Channel::Blog,
        direction: match kind {
            ItemKind::Wrote => Direction::Inbound,
            ItemKind::Conversation => Direction::Inbound,
            ItemKind::Follow => Direction::Outbound,
        },
        at: at(day),
        public: true,
        text: text.into(),
        thread: None,
        tags: vec![],
        people,
        bulk: false,
        seen_in: "comments on blog.example.org".into(),
    }
}

#[test]
fn a_contacts_blog_posts_go_on_their_timeline_as_things_they_wrote_and_changed_text_counts_as_updated(
) {
    let f = fixture();
    let aroha = add_contact(
        &f,
        "Aroha",
        &[(Platform::Blog, "https://aroha.example.org/")],
    );
    let owner = aroha.clone();
    let account = NewAccount {
        name: "Aroha's blog".into(),
        settings: AccountSettings::Feed(FeedSettings {
            url: "https://aroha.example.org/feed.xml".into(),
            owner: FeedOwner::Contact(owner),
        }),
    };
    f.session
        .write(move |s| s.add_account(account, now()))
        .unwrap();
    let post = |text: &str| {
        feed_item(
            "blog:https://aroha.example.org/p/1",
            4,
            text,
            vec![],
            ItemKind::Wrote,
        )
    };
    let script = Script::new(vec![
        harvest(
            vec![post("On linked data")],
            serde_json::json!({"etag": "1"}),
        ),
        harvest(
            vec![post("On linked data, revised")],
            serde_json::json!({"etag": "2"}),
        ),
    ]);
    let first = run(&f, "Aroha's blog", &script).unwrap();
    assert_eq!((first.added, first.updated), (1, 0));
    let second = run(&f, "Aroha's blog", &script).unwrap();
    assert_eq!((second.added, second.updated), (0, 1));
    let timeline = f.session.read(move |s| s.timeline(&aroha, None)).unwrap();
    assert_eq!(timeline.len(), 1);
    assert_eq!(timeline[0].interaction.text, "On linked data, revised");
    assert_eq!(timeline[0].interaction.tags, [accounts::WROTE_TAG]);
}

#[test]
fn bulk_mail_keeps_known_people_and_never_offers_anyone() {
    let f = fixture();
    add_mailbox(&f, "Work");
    let ann = add_contact(&f, "Ann", &[(Platform::Email, "ann@example.org")]);
    let mut list = mail(
        "l1",
        1,
        "[code4lib] a digest",
        vec![person("Ann", "ann@example.org")],
    );
    list.bulk = true;
    let mut news = mail(
        "n1",
        2,
        "Our newsletter",
        vec![person("Vendor", "news@vendor.example")],
    );
    news.bulk = true;
    let script = Script::new(vec![harvest(vec![list, news], serde_json::json!(1))]);
    let report = run(&f, "Work", &script).unwrap();
    assert_eq!((report.added, report.new_people), (1, 0));
    assert!(f.session.read(|s| s.new_people()).unwrap().is_empty());
    assert_eq!(
        f.session
            .read(move |s| s.timeline(&ann, None))
            .unwrap()
            .len(),
        1
    );
    assert_eq!(f.session.read(|s| s.stats()).unwrap().interactions, 1);
}

#[test]
fn adding_a_new_person_brings_in_what_was_held_for_them_and_later_mail_goes_to_them() {
    let f = fixture();
    add_mailbox(&f, "Work");
    let ann = add_contact(&f, "Ann", &[(Platform::Email, "ann@example.org")]);
    let script = Script::new(vec![
        harvest(
            vec![
                mail(
                    "1",
                    1,
                    "Hello",
                    vec![person("Tui Ngata", "tui@example.org")],
                ),
                mail("2", 2, "All three", {
                    vec![
                        person("Ann", "ann@example.org"),
                        person("Tui", "tui@example.org"),
                    ]
                }),
            ],
            serde_json::json!(2),
        ),
        harvest(
            vec![mail(
                "3",
                3,
                "Again",
                vec![person("Tui", "tui@example.org")],
            )],
            serde_json::json!(3),
        ),
    ]);
    run(&f, "Work", &script).unwrap();
    assert_eq!(f.session.read(|s| s.stats()).unwrap().interactions, 1);
    let id = f.session.read(|s| s.new_people()).unwrap()[0].id.clone();
    let tui = f
        .session
        .write(move |s| s.add_new_person(&id, now()))
        .unwrap();
    assert_eq!(tui.name, "Tui Ngata");
    assert_eq!(tui.handles, [email("tui@example.org")]);
    assert_eq!(tui.met_where, "INBOX on mail.example.org");
    let key = tui.id.clone();
    let timeline = f.session.read(move |s| s.timeline(&key, None)).unwrap();
    assert_eq!(timeline.len(), 2, "both held messages came in");
    // The message with Ann now has both of them.
    let shared = f
        .session
        .read(|s| s.interaction("mail:<2@example.org>"))
        .unwrap();
    assert_eq!(shared.contact_ids, [ann.clone(), tui.id.clone()]);
    assert!(f.session.read(|s| s.new_people()).unwrap().is_empty());

    let report = run(&f, "Work", &script).unwrap();
    assert_eq!((report.added, report.new_people), (1, 0));
    let key = tui.id.clone();
    assert_eq!(
        f.session
            .read(move |s| s.timeline(&key, None))
            .unwrap()
            .len(),
        3
    );
}

#[test]
fn merging_a_new_person_gives_their_address_to_the_contact_they_likely_are() {
    let f = fixture();
    add_mailbox(&f, "Work");
    let tui = add_contact(&f, "Tui Ngata", &[(Platform::Email, "tui@work.example")]);
    let script = Script::new(vec![harvest(
        vec![mail(
            "1",
            1,
            "From home",
            vec![person("tui ngata", "tui@home.example")],
        )],
        serde_json::json!(1),
    )]);
    run(&f, "Work", &script).unwrap();
    let people = f.session.read(|s| s.new_people()).unwrap();
    let likely = people[0].likely.clone().expect("a likely contact");
    assert_eq!(
        (likely.contact_id.as_str(), likely.reason.as_str()),
        (tui.as_str(), "same name")
    );
    let id = people[0].id.clone();
    let into = tui.clone();
    let merged = f
        .session
        .write(move |s| s.merge_new_person(&id, &into, now()))
        .unwrap();
    assert_eq!(
        merged.handles,
        [email("tui@work.example"), email("tui@home.example")]
    );
    assert_eq!(
        f.session
            .read(move |s| s.timeline(&tui, None))
            .unwrap()
            .len(),
        1
    );
    assert!(f.session.read(|s| s.new_people()).unwrap().is_empty());
}

#[test]
fn an_ignored_person_is_never_offered_again() {
    let f = fixture();
    add_mailbox(&f, "Work");
    let from_spammer =
        |key: &str, day| mail(key, day, "Buy", vec![person("Spam", "spam@x.example")]);
    let script = Script::new(vec![
        harvest(vec![from_spammer("1", 1)], serde_json::json!(1)),
        harvest(vec![from_spammer("2", 2)], serde_json::json!(2)),
    ]);
    run(&f, "Work", &script).unwrap();
    let id = f.session.read(|s| s.new_people()).unwrap()[0].id.clone();
    let again = id.clone();
    f.session.write(move |s| s.ignore_new_person(&id)).unwrap();
    assert!(f.session.read(|s| s.new_people()).unwrap().is_empty());
    let report = run(&f, "Work", &script).unwrap();
    assert_eq!((report.added, report.new_people), (0, 0));
    assert!(f.session.read(|s| s.new_people()).unwrap().is_empty());
    let err = f
        .session
        .write(move |s| s.add_new_person(&again, now()))
        .unwrap_err();
    assert_eq!(err.code(), "not_found");
}

/// Every row of every table but `accounts`, as text, and the accounts' data apart from their
/// sync status: what a failed sync must leave exactly as it was.
fn contents(path: &std::path::Path) -> (Vec<String>, Vec<String>) {
    let conn = rusqlite::Connection::open(path).unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name <> 'accounts' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let mut rows = Vec::new();
    for table in tables {
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{table}\"")).unwrap();
        let n = stmt.column_count();
        let mut q = stmt.query([]).unwrap();
        while let Some(r) = q.next().unwrap() {
            let cells: Vec<String> = (0..n)
                .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                .collect();
            rows.push(format!("{table}: {}", cells.join(" | ")));
        }
    }
    let accounts = conn
        .prepare(
            "SELECT id, name, settings, cursor, last_sync_at, last_added FROM accounts ORDER BY id",
        )
        .unwrap()
        .query_map([], |r| {
            Ok(format!(
                "{:?}",
                (
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, i64>(5)?
                )
            ))
        })
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    (rows, accounts)
}

#[test]
fn a_failed_sync_changes_nothing_but_the_accounts_status_and_backs_off() {
    let f = fixture();
    add_mailbox(&f, "Work");
    add_contact(&f, "Ann", &[(Platform::Email, "ann@example.org")]);
    let good = mail("1", 1, "Hi", vec![person("Ann", "ann@example.org")]);
    let script = Script::new(vec![
        harvest(vec![good.clone()], serde_json::json!({"uid": 1})),
        Err(Error::sync(
            "Work",
            SyncProblem::WrongPassword,
            "the server refused the password",
        )),
        Err(Error::sync(
            "Work",
            SyncProblem::Unreachable,
            "mail.example.org could not be reached",
        )),
    ]);
    run(&f, "Work", &script).unwrap();
    let before = contents(&f.path);

    let report = run_at(&f, "Work", &script, now() + Duration::minutes(15)).unwrap();
    let error = report.error.expect("the failure is reported");
    assert_eq!(error.code, "sync_wrong_password");
    assert_eq!(contents(&f.path), before);
    let account = f.session.read(|s| s.account("Work")).unwrap();
    assert_eq!(account.last_error, Some(error));
    assert_eq!(account.failures, 1);
    let retry = now() + Duration::minutes(15) + Duration::minutes(30);
    assert_eq!(account.next_sync_at, Some(retry));
    let due = |t| {
        f.session
            .read(move |s| s.due_accounts(t, Duration::minutes(15)))
            .unwrap()
    };
    assert!(due(retry - Duration::minutes(1)).is_empty(), "backing off");
    assert_eq!(due(retry), ["Work"]);

    let report = run_at(&f, "Work", &script, retry).unwrap();
    assert_eq!(report.error.unwrap().code, "sync_unreachable");
    assert_eq!(contents(&f.path), before);
    let account = f.session.read(|s| s.account("Work")).unwrap();
    assert_eq!(account.failures, 2);
    assert_eq!(account.next_sync_at, Some(retry + Duration::hours(1)));
    assert_eq!(account.cursor, Some(serde_json::json!({"uid": 1})));
}

#[test]
fn a_sync_is_due_on_its_schedule_and_a_rate_limit_is_honoured() {
    let f = fixture();
    add_mailbox(&f, "Work");
    let due = |t| {
        f.session
            .read(move |s| s.due_accounts(t, Duration::minutes(15)))
            .unwrap()
    };
    assert_eq!(due(now()), ["Work"], "never synced: due at once");
    let until = now() + Duration::hours(2);
    let script = Script::new(vec![
        harvest(vec![], serde_json::json!(1)),
        Err(accounts::schedule::rate_limited(
            "Work",
            until,
            "the server asked to wait",
        )),
    ]);
    run(&f, "Work", &script).unwrap();
    assert!(due(now() + Duration::minutes(14)).is_empty());
    assert_eq!(due(now() + Duration::minutes(15)), ["Work"]);
    let report = run_at(&f, "Work", &script, now() + Duration::minutes(15)).unwrap();
    let error = report.error.unwrap();
    assert_eq!(error.code, "sync_rate_limited");
    assert!(
        error.message.contains("until 11:00 UTC"),
        "{}",
        error.message
    );
    assert!(due(until - Duration::minutes(1)).is_empty());
    assert_eq!(due(until), ["Work"]);
}

#[test]
fn a_cancelled_sync_writes_nothing_at_all() {
    let f = fixture();
    add_mailbox(&f, "Work");
    add_contact(&f, "Ann", &[(Platform::Email, "ann@example.org")]);
    let script = Script::new(vec![
        harvest(
            vec![mail("1", 1, "Hi", vec![person("Ann", "ann@example.org")])],
            serde_json::json!(1),
        ),
        Err(Error::Cancelled("Work: stopped".into())),
    ]);
    let before = contents(&f.path);
    let account_before = f.session.read(|s| s.account("Work")).unwrap();
    // Stopped once the fetch is done, before anything is written.
    let err = accounts::sync_with(
        &f.session,
        "Work",
        &NoSecrets,
        Some(Secret::new("pw")),
        now(),
        &mut |p: Progress| p.stage != kith_core::import::WRITING_STAGE,
        &|a, s, c, m, p| script.fetch(a, s, c, m, p),
    )
    .unwrap_err();
    assert_eq!(err.code(), "cancelled");
    // Stopped during the fetch.
    let err = run(&f, "Work", &script).unwrap_err();
    assert_eq!(err.code(), "cancelled");
    assert_eq!(contents(&f.path), before);
    assert_eq!(
        f.session.read(|s| s.account("Work")).unwrap(),
        account_before
    );
}

#[test]
fn a_mailbox_without_a_password_says_so() {
    let f = fixture();
    add_mailbox(&f, "Work");
    let report =
        accounts::sync(&f.session, "Work", &NoSecrets, None, now(), &mut |_| true).unwrap();
    assert_eq!(report.error.unwrap().code, "sync_password_needed");
}

/// Whether `needle` is anywhere in the files of the folder `dir` (the store, its journal,
/// backups, exports).
fn anywhere_on_disk(dir: &std::path::Path, needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    for entry in walk(dir) {
        let bytes = std::fs::read(&entry).unwrap();
        if bytes.windows(needle.len()).any(|w| w == needle.as_bytes()) {
            found.push(entry.display().to_string());
        }
    }
    found
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

const PASSWORD: &str = "Tr0ub4dor&3-kith-test";

/// A fetch that fails the way a careless server or library might: with the password in its
/// message.
fn leaky(
    a: &accounts::AccountView,
    secret: Option<&Secret>,
    _: Option<&serde_json::Value>,
    _: &Me,
    _: ProgressFn<'_>,
) -> Result<Harvest> {
    Err(Error::sync(
        &a.name,
        SyncProblem::WrongPassword,
        format!("LOGIN me {} failed", secret.unwrap().expose()),
    ))
}

#[test]
fn a_password_is_never_in_a_plain_store_its_backups_exports_or_errors() {
    let f = fixture();
    let account = add_mailbox(&f, "Work");
    // A plain store refuses to keep it.
    let kept = StoreSecrets::new(f.session.clone());
    let err =
        accounts::keep_secret(&f.session, &account.id, &kept, &Secret::new(PASSWORD)).unwrap_err();
    assert_eq!(err.code(), "invalid_input");
    assert!(!f.session.read(|s| s.account("Work")).unwrap().secret_kept);

    let report = accounts::sync_with(
        &f.session,
        "Work",
        &kept,
        Some(Secret::new(PASSWORD)),
        now(),
        &mut |_| true,
        &leaky,
    )
    .unwrap();
    let error = report.error.unwrap();
    assert!(!error.message.contains(PASSWORD), "{}", error.message);
    assert!(
        error.message.contains("LOGIN me *** failed"),
        "{}",
        error.message
    );

    let dir = f.path.parent().unwrap().to_path_buf();
    let export = dir.join("export.json");
    f.session
        .read(move |s| {
            let archive = kith_core::archive::Archive::from_store(s, now())?;
            std::fs::write(&export, archive.to_json()).unwrap();
            kith_core::backup::backup_now(s, None, now())?;
            Ok(())
        })
        .unwrap();
    assert_eq!(anywhere_on_disk(&dir, PASSWORD), Vec::<String>::new());
}

#[test]
fn a_store_locked_with_a_passphrase_keeps_the_password_encrypted_and_forgets_it_with_the_account() {
    let f = fixture();
    f.session
        .unlock(kith_core::passphrase::Passphrase::new("a long passphrase").unwrap())
        .unwrap();
    let account = add_mailbox(&f, "Work");
    let kept = StoreSecrets::new(f.session.clone());
    accounts::keep_secret(&f.session, &account.id, &kept, &Secret::new(PASSWORD)).unwrap();
    assert!(f.session.read(|s| s.account("Work")).unwrap().secret_kept);
    assert_eq!(kept.get(&account.id).unwrap().unwrap().expose(), PASSWORD);

    // The kept password is the one a sync uses.
    let script = Script::new(vec![harvest(vec![], serde_json::json!(1))]);
    accounts::sync_with(
        &f.session,
        "Work",
        &kept,
        None,
        now(),
        &mut |_| true,
        &|a, s, c, m, p| script.fetch(a, s, c, m, p),
    )
    .unwrap();
    assert_eq!(script.seen.lock().unwrap()[0].0.as_deref(), Some(PASSWORD));
    let dir = f.path.parent().unwrap().to_path_buf();
    assert_eq!(anywhere_on_disk(&dir, PASSWORD), Vec::<String>::new());

    let id = account.id.clone();
    f.session.write(|s| s.remove_account("Work")).unwrap();
    accounts::forget_secret(&kept, &id).unwrap();
    assert!(kept.get(&id).unwrap().is_none());
}

#[test]
fn a_batch_that_cannot_be_written_changes_nothing_but_the_status_and_a_long_text_is_cut() {
    let f = fixture();
    let aroha = add_contact(&f, "Aroha", &[]);
    let owner = aroha.clone();
    let account = NewAccount {
        name: "Aroha's blog".into(),
        settings: AccountSettings::Feed(FeedSettings {
            url: "https://aroha.example.org/feed.xml".into(),
            owner: FeedOwner::Contact(owner),
        }),
    };
    f.session
        .write(move |s| s.add_account(account, now()))
        .unwrap();
    let long = "é".repeat(kith_core::text_limit::MAX_TEXT_BYTES);
    let script = Script::new(vec![
        harvest(
            vec![feed_item("p1", 1, &long, vec![], ItemKind::Wrote)],
            serde_json::json!(1),
        ),
        harvest(
            vec![
                feed_item("p2", 2, "fine", vec![], ItemKind::Wrote),
                feed_item(
                    "c1",
                    3,
                    "a comment",
                    vec![person("Bo", "bo@example.org")],
                    ItemKind::Conversation,
                ),
            ],
            serde_json::json!(2),
        ),
    ]);
    let report = run(&f, "Aroha's blog", &script).unwrap();
    assert_eq!((report.added, report.error), (1, None));
    let stored = f.session.read(|s| s.interaction("p1")).unwrap();
    assert_eq!(stored.text.len(), kith_core::text_limit::MAX_TEXT_BYTES);

    // Whose blog it is went away: the batch cannot be written, and nothing of it is.
    let gone = aroha.clone();
    f.session.write(move |s| s.delete_contact(&gone)).unwrap();
    let before = contents(&f.path);
    let report = run(&f, "Aroha's blog", &script).unwrap();
    assert_eq!(report.error.unwrap().code, "not_found");
    assert_eq!(contents(&f.path), before);
    let account = f.session.read(|s| s.account("Aroha's blog")).unwrap();
    assert_eq!(
        (account.failures, account.cursor),
        (1, Some(serde_json::json!(1)))
    );
}

/// A message on the list `koha.lists.example.org`, in the thread `root` started.
fn list_mail(key: &str, root: &str, day: u32, text: &str, direction: Direction) -> Item {
    let mut item = mail(key, day, text, vec![person("", "koha@lists.example.org")]);
    item.channel = Channel::Listserv;
    item.public = true;
    item.bulk = true;
    item.direction = direction;
    item.tags = vec!["list:koha.lists.example.org".into()];
    item.thread = Some(format!("mail:thread:<{root}@example.org>"));
    item
}

#[test]
fn a_question_on_a_list_nobody_answers_suggests_asking_who_knows_the_topic() {
    let f = fixture();
    add_mailbox(&f, "Work");
    let chen = add_contact(&f, "Chen Wei", &[(Platform::Email, "chen@example.ac.nz")]);
    let id = chen.clone();
    f.session
        .write(move |s| {
            let mut draft = kith_core::ContactDraft::from(s.contact(&id)?);
            draft.expertise = vec!["Koha serials".into()];
            s.save_contact(draft, now())
        })
        .unwrap();
    add_contact(&f, "Ira Maps", &[(Platform::Email, "ira@example.org")]);
    let question = list_mail(
        "q1",
        "q1",
        1,
        "Prediction patterns\n\nHow do prediction patterns for serials work in Koha?",
        Direction::Outbound,
    );
    // Someone else's question, and the user's announcement, are not the user's questions.
    let theirs = list_mail(
        "q2",
        "q2",
        1,
        "Anyone using Koha for serials?",
        Direction::Inbound,
    );
    let news = list_mail(
        "q3",
        "q3",
        1,
        "Our library reopens on Monday.",
        Direction::Outbound,
    );
    let answer = list_mail(
        "a1",
        "q1",
        12,
        "Re: Prediction patterns",
        Direction::Inbound,
    );
    let script = Script::new(vec![
        harvest(vec![question, theirs, news], serde_json::json!({ "n": 1 })),
        harvest(vec![answer], serde_json::json!({ "n": 2 })),
    ]);
    let report = run_at(&f, "Work", &script, at(1)).unwrap();
    assert_eq!(report.error, None);
    let asked = f.session.read(|s| s.list_questions()).unwrap();
    assert_eq!(asked.len(), 1, "{asked:#?}");
    assert_eq!(asked[0].list, "koha.lists.example.org");

    // After nine days without an answer: ask Chen, who knows Koha serials, by email.
    let suggestions = f.session.read(|s| s.suggestions(at(10))).unwrap();
    let found: Vec<_> = suggestions
        .iter()
        .filter(|s| s.rule == "list_question")
        .collect();
    assert_eq!(found.len(), 1, "{suggestions:#?}");
    assert_eq!(found[0].contact_id, chen);
    assert_eq!(found[0].to_channel, Channel::Email);
    assert!(
        found[0].reasons[0].contains("no answer in 9 days"),
        "{:?}",
        found[0].reasons
    );
    let id = chen.clone();
    let theirs = f
        .session
        .read(move |s| s.suggestions_for_contact(&id, at(10)))
        .unwrap();
    assert!(theirs.iter().any(|s| s.rule == "list_question"));

    // An answer on the list, from someone who is not a contact, settles it.
    run_at(&f, "Work", &script, at(12)).unwrap();
    let suggestions = f.session.read(|s| s.suggestions(at(13))).unwrap();
    assert!(
        !suggestions.iter().any(|s| s.rule == "list_question"),
        "{suggestions:#?}"
    );
    let asked = f.session.read(|s| s.list_questions()).unwrap();
    assert_eq!(asked[0].answered_at, Some(at(12)));
}
