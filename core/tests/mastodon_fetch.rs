//! The Mastodon fetcher and sign-in against answers recorded from a real Mastodon server (the
//! cassettes of Mastodon.py's test suite, see `fixtures/mastodon/SOURCES.md`), replayed by a
//! loopback server; and against the ways a server fails: a rate limit, a revoked token, a
//! server error, an answer that is not JSON, a server that never answers. Then through the
//! store: an archive import and a live sync of the same post store it once, people not in the
//! network go to New people, and a six-message exchange synced live is suggested for email.

#[path = "support/mastodon_replay.rs"]
mod replay;

use chrono::{Duration, Utc};
use kith_core::accounts::mastodon::loopback::Callback;
use kith_core::accounts::mastodon::{fetch_with, oauth, Limits, FOLLOWING_TAG};
use kith_core::accounts::{
    self, AccountSettings, Harvest, MastodonSettings, NewAccount, NoSecrets, Secret,
};
use kith_core::domain::{Channel, Direction, Handle, Platform};
use kith_core::session::Session;
use kith_core::{ContactDraft, Error, SyncProblem};
use replay::{cassette, Answer, Exchange, Replay, Request};
use std::time::Instant;

const TOKEN: &str = "tok-Mastodon-secret-for-tests";

/// mastodonpy_test, the user of most recordings.
const TEST_ID: &str = "117020565966271181";
/// mastodonpy_test_2, the user of the direct conversations recording.
const TEST2_ID: &str = "117020566092212359";

fn limits() -> Limits {
    Limits {
        timeout: std::time::Duration::from_secs(1),
        ..Limits::default()
    }
}

fn settings(replay: &Replay, id: &str, acct: &str) -> MastodonSettings {
    MastodonSettings {
        server: replay.origin(),
        account_id: id.into(),
        acct: acct.into(),
    }
}

fn fetch(s: &MastodonSettings, cursor: Option<&serde_json::Value>) -> kith_core::Result<Harvest> {
    fetch_with(
        "Social",
        s,
        &Secret::new(TOKEN),
        cursor,
        &mut |_| true,
        &limits(),
    )
}

fn recordings(names: &[&str]) -> Vec<Exchange> {
    names.iter().flat_map(|n| cassette(n)).collect()
}

/// Answers an empty list for `paths` (a list the recording does not cover for this user),
/// and for the follows and lists, which these recordings do not hold.
fn empty(paths: &'static [&'static str]) -> impl Fn(&Request) -> Option<Answer> + Send + Sync {
    move |r: &Request| {
        let path = r.path.split('?').next().unwrap_or("").trim_end_matches('/');
        (paths.contains(&path) || path.ends_with("/following") || path == "/api/v1/lists")
            .then(|| Answer::json(200, "[]"))
    }
}

fn mastodon(value: &str) -> Handle {
    Handle {
        platform: Platform::Mastodon,
        value: value.into(),
    }
}

#[test]
fn a_first_sync_pages_through_posts_and_reads_mentions_then_a_second_brings_nothing() {
    let server = Replay::start(
        recordings(&[
            "test_fetch_next_previous.yaml",
            "test_notifications_mentions_only.yaml",
        ]),
        empty(&["/api/v1/conversations"]),
    );
    let s = settings(&server, TEST_ID, "mastodonpy_test@localhost:3000");
    let h = fetch(&s, None).unwrap();

    // The mention by admin, as recorded.
    assert_eq!(h.items.len(), 1, "{h:#?}");
    let item = &h.items[0];
    assert_eq!(
        item.key,
        "mastodon:status:http://localhost:3000/ap/users/117020565693913441/statuses/117020577157693549"
    );
    assert_eq!(item.direction, Direction::Inbound);
    assert_eq!(item.channel, Channel::Mastodon);
    assert!(item.public);
    assert_eq!(item.text, "@mastodonpy_test hello!");
    assert_eq!(item.people.len(), 1, "the user is not among the people");
    assert_eq!(
        item.people[0].handles,
        vec![mastodon("@admin@localhost:3000")]
    );
    assert_eq!(
        item.seen_in,
        format!("mentions on {}", &server.origin()[7..])
    );
    // To the second, as the archive's notes are dated.
    assert_eq!(item.at.to_rfc3339(), "2026-08-01T13:51:42+00:00");

    // The user's own posts name nobody ("Toot number 9!"…): read, over two pages of the Link
    // header, and left out as the archive importer leaves them out.
    let requests = server.requests();
    let pages: Vec<&str> = requests
        .iter()
        .filter(|r| r.path.contains("/statuses"))
        .map(|r| r.path.as_str())
        .collect();
    assert!(
        pages
            .iter()
            .any(|p| p.contains("max_id=117020580489281910")),
        "the next page of the Link header was read: {pages:?}"
    );
    assert!(h.skipped >= 10, "{}", h.skipped);
    assert!(requests
        .iter()
        .all(|r| r.header("authorization") == Some(&format!("Bearer {TOKEN}"))));

    // Again from the cursor: only what is newer is asked for, and nothing is.
    let again = fetch(&s, h.cursor.as_ref()).unwrap();
    assert!(again.items.is_empty(), "{again:#?}");
    let later = &server.requests()[requests.len()..];
    assert!(
        later
            .iter()
            .any(|r| r.path.contains("/statuses") && r.path.contains("since_id=117020580518794573")),
        "{later:?}"
    );
    assert!(later
        .iter()
        .any(|r| r.path.contains("notifications") && r.path.contains("since_id=21")));
    assert_eq!(again.cursor, h.cursor);
}

#[test]
fn direct_conversations_are_private_and_replies_share_a_thread() {
    let server = Replay::start(
        recordings(&["test_conversations.yaml"]),
        empty(&[
            "/api/v1/accounts/117020566092212359/statuses",
            "/api/v1/notifications",
        ]),
    );
    let s = settings(&server, TEST2_ID, "mastodonpy_test_2@localhost:3000");
    let h = fetch(&s, None).unwrap();
    assert_eq!(h.items.len(), 2, "{h:#?}");
    let to_admin = &h.items[0];
    assert_eq!(
        to_admin.key,
        "mastodon:status:http://localhost:3000/ap/users/117020566092212359/statuses/117020593780198542"
    );
    assert_eq!(to_admin.direction, Direction::Outbound);
    assert!(!to_admin.public, "a direct message is not public");
    assert_eq!(to_admin.text, "@admin ilu bby ;3");
    assert_eq!(
        to_admin.people[0].handles,
        vec![mastodon("@admin@localhost:3000")]
    );
    assert_eq!(to_admin.thread, None);
    let reply = &h.items[1];
    assert_eq!(
        reply.people[0].handles,
        vec![mastodon("@mastodonpy_test@localhost:3000")]
    );
    assert!(
        reply
            .thread
            .as_deref()
            .is_some_and(|t| t.starts_with("mastodon:thread:")),
        "a reply is in a thread: {reply:?}"
    );
}

#[test]
fn a_rate_limit_names_the_time_to_wait_until() {
    let reset = (Utc::now() + Duration::minutes(7))
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string();
    let r = reset.clone();
    let server = Replay::start(
        recordings(&["test_notifications_mentions_only.yaml"]),
        move |_req| {
            Some(
                Answer::json(429, r#"{"error":"Too many requests"}"#)
                    .header("X-RateLimit-Limit", "300")
                    .header("X-RateLimit-Remaining", "0")
                    .header("X-RateLimit-Reset", &r),
            )
        },
    );
    let s = settings(&server, TEST_ID, "mastodonpy_test@localhost:3000");
    let e = fetch(&s, None).unwrap_err();
    let until = chrono::DateTime::parse_from_rfc3339(&reset)
        .unwrap()
        .with_timezone(&Utc);
    assert_eq!(e.retry_at(), Some(until), "{e}");
    assert!(matches!(
        e,
        Error::Sync {
            problem: SyncProblem::RateLimited,
            ..
        }
    ));
    assert!(
        e.to_string()
            .contains(&format!("rate-limited until {} UTC", until.format("%H:%M"))),
        "{e}"
    );

    // A 200 that says no requests are left: the next request is not made.
    let r = reset.clone();
    let server = Replay::start(
        recordings(&["test_fetch_next_previous.yaml"]),
        move |req: &Request| {
            req.path.contains("/statuses").then(|| {
                Answer::json(200, "[]")
                    .header("X-RateLimit-Remaining", "0")
                    .header("X-RateLimit-Reset", &r)
            })
        },
    );
    let s = settings(&server, TEST_ID, "mastodonpy_test@localhost:3000");
    let e = fetch(&s, None).unwrap_err();
    assert_eq!(e.retry_at(), Some(until), "{e}");
    assert_eq!(server.requests().len(), 1, "nothing asked past the limit");
}

#[test]
fn a_revoked_token_asks_to_sign_in_again_without_showing_it() {
    let recorded_401 = cassette("test_unauthed_home_tl_throws.yaml")
        .into_iter()
        .find(|e| e.answer.status == 401)
        .unwrap()
        .answer;
    let server = Replay::start(Vec::new(), move |_| Some(recorded_401.clone()));
    let s = settings(&server, TEST_ID, "mastodonpy_test@localhost:3000");
    let e = fetch(&s, None).unwrap_err();
    assert!(
        matches!(
            e,
            Error::Sync {
                problem: SyncProblem::WrongPassword,
                ..
            }
        ),
        "{e:?}"
    );
    let text = e.to_string();
    assert!(text.contains("Sign in again"), "{text}");
    assert!(!text.contains(TOKEN), "{text}");
}

#[test]
fn a_server_error_is_a_failure_to_try_later() {
    let server = Replay::start(Vec::new(), |_| {
        Some(Answer::json(502, "<html>Bad gateway</html>"))
    });
    let s = settings(&server, TEST_ID, "mastodonpy_test@localhost:3000");
    let e = fetch(&s, None).unwrap_err();
    assert!(
        matches!(
            e,
            Error::Sync {
                problem: SyncProblem::Unreachable,
                retry_at: None,
                ..
            }
        ),
        "{e:?}"
    );
    assert!(e.to_string().contains("server error (502)"), "{e}");
}

#[test]
fn a_gone_account_is_named_as_gone_or_moved() {
    let server = Replay::start(Vec::new(), |_| {
        Some(Answer::json(410, r#"{"error":"Gone"}"#))
    });
    let s = settings(&server, TEST_ID, "mastodonpy_test@localhost:3000");
    let e = fetch(&s, None).unwrap_err();
    assert!(
        matches!(
            e,
            Error::Sync {
                problem: SyncProblem::BadResponse,
                ..
            }
        ),
        "{e:?}"
    );
    assert!(e.to_string().contains("is gone (410)"), "{e}");
    assert!(e.to_string().contains("moved"), "{e}");
}

#[test]
fn an_answer_that_is_not_json_names_the_address_and_the_place() {
    let recorded = cassette("test_notifications_mentions_only.yaml");
    let body = recorded
        .iter()
        .find(|e| e.path == "/api/v1/notifications")
        .unwrap()
        .answer
        .body
        .clone()
        .unwrap();
    let cut = body[..body.len() / 2].to_string();
    let server = Replay::start(Vec::new(), move |req: &Request| {
        Some(if req.path.contains("/notifications") {
            Answer::json(200, &cut)
        } else {
            Answer::json(200, "[]")
        })
    });
    let s = settings(&server, TEST_ID, "mastodonpy_test@localhost:3000");
    let e = fetch(&s, None).unwrap_err();
    assert!(
        matches!(
            e,
            Error::Sync {
                problem: SyncProblem::BadResponse,
                ..
            }
        ),
        "{e:?}"
    );
    let text = e.to_string();
    assert!(text.contains("/api/v1/notifications"), "{text}");
    assert!(
        text.contains("not the JSON Mastodon sends (line 1, column"),
        "{text}"
    );
}

#[test]
fn a_server_that_never_answers_is_given_up_on() {
    let server = Replay::start(Vec::new(), |_| Some(Answer::hang()));
    let s = settings(&server, TEST_ID, "mastodonpy_test@localhost:3000");
    let started = Instant::now();
    let e = fetch(&s, None).unwrap_err();
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    assert!(
        matches!(
            e,
            Error::Sync {
                problem: SyncProblem::TimedOut,
                ..
            }
        ),
        "{e:?}"
    );
    assert!(e.to_string().contains("stopped answering"), "{e}");
}

#[test]
fn a_contact_who_moved_servers_is_named_by_both_accounts() {
    let recorded = cassette("test_notifications_mentions_only.yaml");
    let body = recorded
        .iter()
        .find(|e| e.path == "/api/v1/notifications")
        .unwrap()
        .answer
        .body
        .clone()
        .unwrap();
    // The recorded mention, its author having moved (the `moved` field Mastodon sets on an
    // account that moved, holding the new account).
    let mut list: serde_json::Value = serde_json::from_str(&body).unwrap();
    let mut new = list[0]["status"]["account"].clone();
    new["id"] = "9".into();
    new["acct"] = "admin@glammr.us".into();
    new["url"] = "https://glammr.us/@admin".into();
    list[0]["status"]["account"]["moved"] = new;
    let moved = list.to_string();
    let server = Replay::start(Vec::new(), move |req: &Request| {
        Some(if req.path.contains("/notifications") {
            Answer::json(200, &moved)
        } else {
            Answer::json(200, "[]")
        })
    });
    let s = settings(&server, TEST_ID, "mastodonpy_test@localhost:3000");
    let h = fetch(&s, None).unwrap();
    assert_eq!(
        h.items[0].people[0].handles,
        vec![
            mastodon("@admin@localhost:3000"),
            mastodon("@admin@glammr.us")
        ]
    );
    assert!(
        h.notes
            .iter()
            .any(|n| n.contains("@admin@localhost:3000 moved to @admin@glammr.us")),
        "{:?}",
        h.notes
    );
}

#[test]
fn signing_in_registers_kith_with_pkce_and_read_scopes_only() {
    let server = Replay::start(
        recordings(&[
            "test_app_account_create.yaml",
            "test_verify_credentials.yaml",
        ]),
        |_| None,
    );
    let sign_in = oauth::start("Social", &server.origin(), oauth::OUT_OF_BAND, &limits()).unwrap();
    let url = &sign_in.authorize_url;
    assert!(
        url.starts_with(&format!("{}/oauth/authorize?", server.origin())),
        "{url}"
    );
    assert!(
        url.contains("client_id=dSqEHsXYueL3gn3LbghhdtDXqqa9es7Ydchk8qWmIA0"),
        "{url}"
    );
    assert!(url.contains(
        "scope=read%3Aaccounts%20read%3Astatuses%20read%3Anotifications%20read%3Afollows%20read%3Alists"
    ));
    assert!(url.contains("code_challenge_method=S256"));
    assert!(url.contains("redirect_uri=urn%3Aietf%3Awg%3Aoauth%3A2.0%3Aoob"));
    let register = &server.requests()[0];
    assert_eq!(register.method, "POST");
    assert!(
        register.body.contains("scopes=read%3Aaccounts"),
        "{}",
        register.body
    );
    assert!(!register.body.contains("write"), "{}", register.body);

    let token = oauth::finish("Social", &sign_in, "the-code", &limits()).unwrap();
    assert_eq!(
        token.expose(),
        "qLFk5fQZHZfAWvjsVWMJZRH2K9coa_1JOCpbMwOlPbM"
    );
    let exchange = server.requests().last().unwrap().clone();
    assert_eq!(exchange.path, "/oauth/token");
    assert!(exchange.body.contains("grant_type=authorization_code"));
    assert!(exchange.body.contains("code=the-code"));
    // The verifier whose S256 challenge the authorisation page was given.
    let verifier = exchange
        .body
        .split('&')
        .find_map(|p| p.strip_prefix("code_verifier="))
        .unwrap();
    assert_eq!(verifier.len(), 43);
    assert!(url.contains("code_challenge="), "{url}");

    let settings = oauth::verify("Social", &server.origin(), &token, &limits()).unwrap();
    // The recording's user, on the day it was recorded.
    assert_eq!(settings.account_id, "117020457910412882");
    assert_eq!(
        settings.acct,
        format!("mastodonpy_test@{}", &server.origin()[7..])
    );
    assert_eq!(settings.server, server.origin());
    assert!(oauth::finish("Social", &sign_in, "  ", &limits()).is_err());
}

// ---- Through the store ----

struct Fixture {
    _dir: tempfile::TempDir,
    session: Session,
}

fn store() -> Fixture {
    let dir = tempfile::Builder::new()
        .prefix("kith-mastodon-test-")
        .tempdir()
        .unwrap();
    let session = Session::new(dir.path().join("kith.sqlite3"));
    Fixture { _dir: dir, session }
}

fn add_account(f: &Fixture, s: MastodonSettings) {
    let account = NewAccount {
        name: "Social".into(),
        settings: AccountSettings::Mastodon(s),
    };
    f.session
        .write(move |st| st.add_account(account, Utc::now()))
        .unwrap();
}

fn sync(f: &Fixture, l: &Limits) -> accounts::SyncReport {
    let l = l.clone();
    accounts::sync_with(
        &f.session,
        "Social",
        &NoSecrets,
        Some(Secret::new(TOKEN)),
        Utc::now(),
        &mut |_| true,
        &move |view, secret, cursor, _me, progress| {
            let AccountSettings::Mastodon(s) = &view.settings else {
                unreachable!()
            };
            fetch_with(&view.name, s, secret.unwrap(), cursor, progress, &l)
        },
    )
    .unwrap()
}

#[test]
fn an_archive_import_and_a_live_sync_store_a_post_once() {
    let server = Replay::start(
        recordings(&["test_conversations.yaml"]),
        empty(&[
            "/api/v1/accounts/117020566092212359/statuses",
            "/api/v1/notifications",
        ]),
    );
    let f = store();
    // The user's archive holds the direct message to admin, as Mastodon writes the note.
    let outbox = r#"{"type": "OrderedCollection", "orderedItems": [
      {"type": "Create", "actor": "http://localhost:3000/ap/users/117020566092212359", "published": "2026-08-01T13:55:56Z",
       "object": {"id": "http://localhost:3000/ap/users/117020566092212359/statuses/117020593780198542", "type": "Note",
         "published": "2026-08-01T13:55:56Z", "to": ["http://localhost:3000/ap/users/117020565693913441"], "cc": [],
         "content": "<p><span class=\"h-card\" translate=\"no\"><a href=\"http://localhost:3000/@admin\" class=\"u-url mention\">@<span>admin</span></a></span> ilu bby ;3</p>",
         "tag": [{"type": "Mention", "href": "http://localhost:3000/ap/users/117020565693913441", "name": "@admin"}]}}]}"#;
    let path = f._dir.path().join("outbox.json");
    std::fs::write(&path, outbox).unwrap();
    let imported = f
        .session
        .write(move |st| {
            kith_core::import::import(st, &path, &Default::default(), Utc::now(), &mut |_| true)
        })
        .unwrap();
    assert_eq!(imported.report.interactions_added, 1, "{imported:?}");

    add_account(
        &f,
        settings(&server, TEST2_ID, "mastodonpy_test_2@localhost:3000"),
    );
    let report = sync(&f, &limits());
    assert_eq!(report.error, None);
    assert_eq!(
        report.added, 0,
        "the archive's post is not added again: {report:?}"
    );
    assert_eq!(report.updated, 0, "{report:?}");
    assert_eq!(report.new_people, 1, "mastodonpy_test, not in the network");
    let all = f.session.read(|st| st.all_interactions()).unwrap();
    assert_eq!(all.len(), 1, "{all:#?}");
    assert_eq!(
        all[0].id,
        "mastodon:status:http://localhost:3000/ap/users/117020566092212359/statuses/117020593780198542"
    );
    let people = f.session.read(|st| st.new_people()).unwrap();
    assert_eq!(people.len(), 1);
    assert!(
        people[0]
            .seen_in
            .iter()
            .any(|s| s.contains("direct messages on")),
        "{:?}",
        people[0]
    );

    // And again: nothing.
    let again = sync(&f, &limits());
    assert_eq!((again.added, again.updated, again.new_people), (0, 0, 0));
}

#[test]
fn six_messages_synced_live_with_one_contact_suggest_moving_to_email() {
    // Six statuses shaped as the recorded ones: three by the user mentioning admin, three by
    // admin mentioning the user, an hour apart, the latest an hour ago.
    let recorded = cassette("test_notifications_mentions_only.yaml");
    let body = recorded
        .iter()
        .find(|e| e.path == "/api/v1/notifications")
        .unwrap()
        .answer
        .body
        .clone()
        .unwrap();
    let template: serde_json::Value = serde_json::from_str(&body).unwrap();
    let from_admin = template[0]["status"].clone();
    let me_account = serde_json::json!({"id": TEST_ID, "username": "mastodonpy_test",
        "acct": "mastodonpy_test", "display_name": "John Lennon", "url": "http://localhost:3000/@mastodonpy_test"});
    let admin_mention = serde_json::json!([{"id": "117020565693913441", "username": "admin",
        "url": "http://localhost:3000/@admin", "acct": "admin"}]);
    let now = Utc::now();
    let mut mine = Vec::new();
    let mut notifications = Vec::new();
    for k in 0..6i64 {
        let id = format!("1170205800000000{k:02}");
        let mut s = from_admin.clone();
        s["id"] = id.clone().into();
        s["created_at"] = (now - Duration::hours(6 - k)).to_rfc3339().into();
        s["visibility"] = "public".into();
        if k % 2 == 0 {
            s["uri"] = format!("http://localhost:3000/ap/users/{TEST_ID}/statuses/{id}").into();
            s["account"] = me_account.clone();
            s["mentions"] = admin_mention.clone();
            s["content"] = format!("<p>@admin about the MARC 856 fields, part {k}</p>").into();
            mine.insert(0, s);
        } else {
            s["uri"] =
                format!("http://localhost:3000/ap/users/117020565693913441/statuses/{id}").into();
            s["content"] = format!("<p>@mastodonpy_test and yet another thing, {k}</p>").into();
            notifications.insert(
                0,
                serde_json::json!({"id": format!("{}", 30 + k), "type": "mention", "status": s}),
            );
        }
    }
    let (mine, notifications) = (
        serde_json::Value::from(mine).to_string(),
        serde_json::Value::from(notifications).to_string(),
    );
    let server = Replay::start(Vec::new(), move |req: &Request| {
        let path = req.path.split('?').next().unwrap_or("");
        Some(Answer::json(
            200,
            if path.ends_with("/statuses") && !req.path.contains("since_id") {
                &mine
            } else if path.ends_with("/notifications") && !req.path.contains("since_id") {
                &notifications
            } else {
                "[]"
            },
        ))
    });
    let f = store();
    let admin = f
        .session
        .write(|st| {
            st.save_contact(
                ContactDraft {
                    name: "Ada Admin".into(),
                    handles: vec![mastodon("@admin@localhost:3000")],
                    ..Default::default()
                },
                Utc::now(),
            )
        })
        .unwrap();
    add_account(
        &f,
        settings(&server, TEST_ID, "mastodonpy_test@localhost:3000"),
    );
    let report = sync(&f, &limits());
    assert_eq!((report.added, report.new_people), (6, 0), "{report:?}");
    let suggestions = f.session.read(move |st| st.suggestions(now)).unwrap();
    let long = suggestions
        .iter()
        .find(|s| s.rule == "long_thread" && s.contact_id == admin.id)
        .unwrap_or_else(|| panic!("{suggestions:#?}"));
    assert_eq!(long.from_channel, Some(Channel::Mastodon));
    assert_eq!(long.to_channel, Channel::Email);
}

#[test]
fn a_contact_who_moved_servers_keeps_one_page_with_both_addresses() {
    // The recorded mention, its author (a contact) having moved to glammr.us.
    let recorded = cassette("test_notifications_mentions_only.yaml");
    let body = recorded
        .iter()
        .find(|e| e.path == "/api/v1/notifications")
        .unwrap()
        .answer
        .body
        .clone()
        .unwrap();
    let mut list: serde_json::Value = serde_json::from_str(&body).unwrap();
    let mut new = list[0]["status"]["account"].clone();
    new["id"] = "9".into();
    new["acct"] = "admin@glammr.us".into();
    new["url"] = "https://glammr.us/@admin".into();
    list[0]["status"]["account"]["moved"] = new;
    let moved = list.to_string();
    let server = Replay::start(Vec::new(), move |req: &Request| {
        Some(
            if req.path.contains("/notifications") && !req.path.contains("since_id") {
                Answer::json(200, &moved)
            } else {
                Answer::json(200, "[]")
            },
        )
    });
    let f = store();
    let admin = f
        .session
        .write(|st| {
            st.save_contact(
                ContactDraft {
                    name: "Ada Admin".into(),
                    handles: vec![mastodon("@admin@localhost:3000")],
                    ..Default::default()
                },
                Utc::now(),
            )
        })
        .unwrap();
    add_account(
        &f,
        settings(&server, TEST_ID, "mastodonpy_test@localhost:3000"),
    );
    let report = sync(&f, &limits());
    assert_eq!((report.added, report.new_people), (1, 0), "{report:?}");
    let id = admin.id.clone();
    let contact = f.session.read(move |st| st.contact(&id)).unwrap();
    assert_eq!(
        contact.handles,
        vec![
            mastodon("@admin@localhost:3000"),
            mastodon("@admin@glammr.us")
        ],
        "the new address is on the same contact"
    );
    let all = f.session.read(|st| st.all_contacts()).unwrap();
    assert_eq!(all.len(), 1, "no second contact: {all:#?}");
    // The sync says so, and so does their page, once.
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.contains("@admin@localhost:3000 moved to @admin@glammr.us")),
        "{:?}",
        report.notes
    );
    let id = admin.id.clone();
    let page = f.session.read(move |st| st.contact_detail(&id)).unwrap();
    assert_eq!(page.handle_changes.len(), 1, "{:?}", page.handle_changes);
    let change = &page.handle_changes[0];
    assert_eq!(
        (change.old_value.as_str(), change.new_value.as_str()),
        ("@admin@localhost:3000", "@admin@glammr.us")
    );
    assert_eq!(change.platform, kith_core::Platform::Mastodon);
    sync(&f, &limits());
    let id = admin.id.clone();
    let page = f.session.read(move |st| st.contact_detail(&id)).unwrap();
    assert_eq!(
        page.handle_changes.len(),
        1,
        "seen again, not recorded again"
    );
}

#[test]
fn whom_the_user_follows_and_their_lists_become_tagged_contacts_once_a_day() {
    // The recorded list "ham burglars" and its member admin, whom the user follows; and the
    // recorded mention by admin in the same sync.
    let list = cassette("test_list_add_remove_account.yaml");
    let created = list
        .iter()
        .find(|e| e.method == "POST" && e.path == "/api/v1/lists")
        .unwrap()
        .answer
        .body
        .clone()
        .unwrap();
    let members = list
        .iter()
        .find(|e| e.method == "GET" && e.path == "/api/v1/lists/3/accounts")
        .unwrap()
        .answer
        .body
        .clone()
        .unwrap();
    let lists = format!("[{created}]");
    let server = Replay::start(
        recordings(&[
            "test_list_add_remove_account.yaml",
            "test_notifications_mentions_only.yaml",
        ]),
        move |r: &Request| {
            let path = r.path.split('?').next().unwrap_or("");
            if path.ends_with("/following") {
                Some(Answer::json(200, &members))
            } else if path == "/api/v1/lists" {
                Some(Answer::json(200, &lists))
            } else if path.ends_with("/statuses") || path == "/api/v1/conversations" {
                Some(Answer::json(200, "[]"))
            } else {
                None
            }
        },
    );
    let f = store();
    add_account(
        &f,
        settings(&server, TEST_ID, "mastodonpy_test@localhost:3000"),
    );
    let report = sync(&f, &limits());
    assert_eq!(report.error, None);
    assert_eq!(report.added, 1, "admin's mention is theirs: {report:?}");
    assert_eq!(
        report.new_people, 0,
        "admin is followed, hence a contact: {report:?}"
    );
    let admin = f
        .session
        .read(|st| st.contact("mastodon:admin@localhost:3000"))
        .expect("the archive importer's key");
    assert_eq!(admin.handles, vec![mastodon("@admin@localhost:3000")]);
    assert_eq!(
        admin.tags,
        vec![FOLLOWING_TAG.to_string(), "ham burglars".to_string()]
    );
    let id = admin.id.clone();
    let timeline = f.session.read(move |st| st.timeline(&id, None)).unwrap();
    assert_eq!(timeline.len(), 1);

    // An archive's follows name the same contact.
    let csv = f._dir.path().join("following_accounts.csv");
    std::fs::write(
        &csv,
        "Account address,Show boosts,Notify on new posts,Languages\nadmin@localhost:3000,true,false,\n",
    )
    .unwrap();
    f.session
        .write(move |st| {
            kith_core::import::import(st, &csv, &Default::default(), Utc::now(), &mut |_| true)
        })
        .unwrap();
    assert_eq!(f.session.read(|st| st.all_contacts()).unwrap().len(), 1);

    // Within the day, the follows are not asked for again.
    let before = server.requests().len();
    sync(&f, &limits());
    assert!(
        server.requests()[before..]
            .iter()
            .all(|r| !r.path.contains("/following") && !r.path.starts_with("/api/v1/lists")),
        "{:?}",
        &server.requests()[before..]
    );
    // A day later they are.
    let daily = Limits {
        follows_every: Duration::zero(),
        ..limits()
    };
    let before = server.requests().len();
    let again = sync(&f, &daily);
    assert_eq!((again.added, again.updated, again.new_people), (0, 0, 0));
    assert!(server.requests()[before..]
        .iter()
        .any(|r| r.path.contains("/following")));
    assert_eq!(f.session.read(|st| st.all_contacts()).unwrap().len(), 1);
}

/// A browser's GET of `url` (`http://127.0.0.1:PORT/path?query`): the status line and body.
fn browser_get(url: &str) -> String {
    use std::io::{Read, Write};
    let rest = url.strip_prefix("http://").unwrap();
    let (host, path) = rest.split_once('/').unwrap();
    let mut s = std::net::TcpStream::connect(host).unwrap();
    write!(
        s,
        "GET /{path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}

#[test]
fn the_apps_sign_in_takes_the_code_the_browser_brings_back_to_this_computer() {
    let server = Replay::start(recordings(&["test_app_account_create.yaml"]), |_| None);
    let callback = Callback::listen().unwrap();
    let redirect = callback.redirect_uri();
    assert!(redirect.starts_with("http://127.0.0.1:") && redirect.ends_with("/callback"));
    let sign_in = oauth::start("Social", &server.origin(), &redirect, &limits()).unwrap();
    assert!(sign_in.authorize_url.contains(&format!(
        "redirect_uri={}",
        redirect.replace(':', "%3A").replace('/', "%2F")
    )));
    let state = sign_in.state.clone();
    let r = redirect.clone();
    let browser = std::thread::spawn(move || {
        // A stray request, and an answer for another sign-in, are not taken.
        let icon = browser_get(&r.replace("/callback", "/favicon.ico"));
        let other = browser_get(&format!("{r}?code=stolen&state=not-ours"));
        let ours = browser_get(&format!("{r}?code=the%2Bcode&state={state}"));
        (icon, other, ours)
    });
    let code = callback
        .wait("Social", &sign_in, std::time::Duration::from_secs(10))
        .unwrap();
    let (icon, other, ours) = browser.join().unwrap();
    assert!(icon.starts_with("HTTP/1.1 404"), "{icon}");
    assert!(other.starts_with("HTTP/1.1 404"), "{other}");
    assert!(ours.starts_with("HTTP/1.1 200") && ours.contains("You can close this window"));
    assert_eq!(code, "the+code");
    let token = oauth::finish("Social", &sign_in, &code, &limits()).unwrap();
    assert_eq!(
        token.expose(),
        "qLFk5fQZHZfAWvjsVWMJZRH2K9coa_1JOCpbMwOlPbM"
    );

    // Refused on the server's page: said so. Never finished: given up after the time.
    let callback = Callback::listen().unwrap();
    let sign_in = oauth::start(
        "Social",
        &server.origin(),
        &callback.redirect_uri(),
        &limits(),
    )
    .unwrap();
    let url = format!(
        "{}?error=access_denied&state={}",
        callback.redirect_uri(),
        sign_in.state
    );
    let browser = std::thread::spawn(move || browser_get(&url));
    let e = callback
        .wait("Social", &sign_in, std::time::Duration::from_secs(10))
        .unwrap_err();
    assert!(
        e.to_string().contains("did not allow Kith (access_denied)"),
        "{e}"
    );
    browser.join().unwrap();
    let e = callback
        .wait("Social", &sign_in, std::time::Duration::from_millis(200))
        .unwrap_err();
    assert!(
        e.to_string().contains("was not finished in the browser"),
        "{e}"
    );
}

#[test]
fn the_apps_whole_sign_in_opens_the_page_and_learns_who_signed_in() {
    let server = Replay::start(
        recordings(&[
            "test_app_account_create.yaml",
            "test_verify_credentials.yaml",
        ]),
        |_| None,
    );
    let opened = std::sync::Mutex::new(Vec::new());
    // The "browser": the server's page sends it straight back with a code and the state.
    let open = |url: &str| -> kith_core::Result<()> {
        opened.lock().unwrap().push(url.to_string());
        let query = url.split_once('?').unwrap().1.to_string();
        let param = |name: &str| {
            query
                .split('&')
                .find_map(|p| p.strip_prefix(&format!("{name}=")))
                .unwrap()
                .to_string()
        };
        let redirect = param("redirect_uri")
            .replace("%3A", ":")
            .replace("%2F", "/");
        let state = param("state");
        std::thread::spawn(move || browser_get(&format!("{redirect}?code=c0de&state={state}")));
        Ok(())
    };
    let (token, settings) = kith_core::accounts::mastodon::loopback::sign_in(
        "Social",
        &server.origin(),
        &open,
        std::time::Duration::from_secs(10),
        &limits(),
    )
    .unwrap();
    assert_eq!(opened.lock().unwrap().len(), 1);
    assert_eq!(
        token.expose(),
        "qLFk5fQZHZfAWvjsVWMJZRH2K9coa_1JOCpbMwOlPbM"
    );
    assert_eq!(settings.account_id, "117020457910412882");
    let exchange = server
        .requests()
        .into_iter()
        .find(|r| r.path == "/oauth/token")
        .unwrap();
    assert!(exchange.body.contains("code=c0de"), "{}", exchange.body);
    assert!(exchange
        .body
        .contains("redirect_uri=http%3A%2F%2F127.0.0.1%3A"));
}
