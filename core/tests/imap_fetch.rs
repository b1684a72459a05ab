//! The IMAP fetcher against a real Dovecot started by each test on loopback ports: what a
//! first sync brings, that the next brings only what is new, renumbered and moved mail, the
//! ways a connection fails, bulk and list mail, and a mailbox of 10,000 messages.

#[path = "support/dovecot.rs"]
mod dovecot;

use dovecot::Dovecot;
use kith_core::accounts::imap::{fetch, fetch_with, Limits};
use kith_core::accounts::{Harvest, ImapSecurity, ImapSettings, Item, Me, Secret};
use kith_core::error::{Error, SyncProblem};
use kith_core::import::Progress;
use kith_core::{Channel, Direction};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const ME: &str = "librarian@example.org";

/// A real message: the list message kept for these tests, or one the importer tests share.
fn fixture(name: &str) -> PathBuf {
    let own = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mail-imap");
    if own.join(name).exists() {
        return own.join(name);
    }
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/real/mail")
        .join(name)
}

fn settings(server: &Dovecot) -> ImapSettings {
    ImapSettings {
        host: "127.0.0.1".into(),
        port: server.tls_port,
        user: dovecot::USER.into(),
        security: ImapSecurity::Tls,
        ca_file: Some(server.cert().display().to_string()),
        folders: Vec::new(),
        addresses: vec![ME.into()],
    }
}

fn me() -> Me {
    Me {
        emails: vec![ME.into()],
        ..Me::default()
    }
}

fn password() -> Secret {
    Secret::new(dovecot::PASSWORD)
}

fn sync(s: &ImapSettings, cursor: Option<&serde_json::Value>) -> Result<Harvest, Error> {
    fetch("mail", s, &password(), cursor, &me(), &mut |_| true)
}

/// A plain message; `extra` is more header lines, each ending in "\r\n".
fn message(id: &str, from: &str, to: &str, subject: &str, extra: &str) -> Vec<u8> {
    format!(
        "From: {from}\r\nTo: {to}\r\nSubject: {subject}\r\nDate: Mon, 1 Dec 2025 10:00:00 +0000\r\nMessage-ID: <{id}>\r\n{extra}MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHello, this is {subject}.\r\n"
    )
    .into_bytes()
}

fn keys(h: &Harvest) -> Vec<&str> {
    let mut k: Vec<&str> = h.items.iter().map(|i| i.key.as_str()).collect();
    k.sort();
    k
}

fn by_key<'a>(h: &'a Harvest, key: &str) -> &'a Item {
    h.items
        .iter()
        .find(|i| i.key == key)
        .unwrap_or_else(|| panic!("{key} not in {:?}", keys(h)))
}

fn emails(i: &Item) -> Vec<&str> {
    i.people
        .iter()
        .flat_map(|p| p.handles.iter().map(|h| h.value.as_str()))
        .collect()
}

#[test]
fn a_first_sync_reads_inbox_and_sent_and_the_next_only_what_is_new() {
    if !dovecot::available() {
        return;
    }
    let server = Dovecot::start();
    server.append(
        "INBOX",
        &[&fixture("dovecot-015.eml"), &fixture("dovecot-011.eml")],
    );
    server.append_bytes(
        "Sent",
        &[message(
            "sent-1@example.org",
            &format!("Librarian <{ME}>"),
            "Ann Lee <ann@example.org>",
            "Our workshop",
            "",
        )],
    );
    let s = settings(&server);
    let mut stages = Vec::new();
    let first = fetch("mail", &s, &password(), None, &me(), &mut |p: Progress| {
        stages.push(p.stage);
        true
    })
    .unwrap();
    assert_eq!(
        keys(&first),
        [
            "mail:7da78721a8a234894af702fe25fc64a5@proxforge.de",
            "mail:ca2236fb-9819-82dd-c501-d3bcf737a768@xyz-webserver.abcd-gestion.local",
            "mail:sent-1@example.org",
        ]
    );
    assert!(stages.contains(&"reading INBOX".to_string()), "{stages:?}");
    assert!(stages.contains(&"reading Sent".to_string()), "{stages:?}");

    let shop = by_key(&first, "mail:7da78721a8a234894af702fe25fc64a5@proxforge.de");
    assert_eq!(shop.direction, Direction::Inbound);
    assert_eq!(shop.channel, Channel::Email);
    assert!(!shop.public && !shop.bulk);
    assert_eq!(shop.seen_in, "INBOX on 127.0.0.1");
    assert!(shop.text.starts_with("Re: (#5290765) Proxmox Shop E-Mails"));
    assert_eq!(emails(shop), ["jsterr@proxforge.de", "jonas.sterr@gmx.net"]);
    assert_eq!(
        shop.people[0].name.as_deref(),
        Some("Jonas Sterr - ProxForge")
    );
    assert_eq!(shop.at.to_rfc3339(), "2026-02-13T21:38:16+00:00");

    let sent = by_key(&first, "mail:sent-1@example.org");
    assert_eq!(sent.direction, Direction::Outbound);
    assert_eq!(
        emails(sent),
        ["ann@example.org"],
        "the user is never a person"
    );
    assert_eq!(sent.seen_in, "Sent on 127.0.0.1");

    let cursor = first.cursor.clone().expect("a cursor");
    let again = sync(&s, Some(&cursor)).unwrap();
    assert!(again.items.is_empty(), "{:?}", keys(&again));
    assert_eq!(again.cursor.as_ref(), Some(&cursor));

    server.append_bytes(
        "INBOX",
        &[message(
            "new-1@example.net",
            "Bo <bo@example.net>",
            ME,
            "Something new",
            "",
        )],
    );
    let next = sync(&s, Some(&cursor)).unwrap();
    assert_eq!(keys(&next), ["mail:new-1@example.net"]);
    let after = sync(&s, next.cursor.as_ref()).unwrap();
    assert!(after.items.is_empty(), "{:?}", keys(&after));
}

#[test]
fn a_renumbered_folder_is_read_again_and_a_moved_message_keeps_its_key() {
    if !dovecot::available() {
        return;
    }
    let server = Dovecot::start();
    let mut s = settings(&server);
    s.folders = vec!["INBOX".into(), "Projects".into()];
    server.append_bytes(
        "Projects",
        &[
            message("p1@example.net", "Bo <bo@example.net>", ME, "One", ""),
            message("p2@example.net", "Bo <bo@example.net>", ME, "Two", ""),
        ],
    );
    server.append_bytes(
        "INBOX",
        &[message(
            "m1@example.net",
            "Cy <cy@example.net>",
            ME,
            "Move me",
            "",
        )],
    );
    let first = sync(&s, None).unwrap();
    assert_eq!(
        keys(&first),
        [
            "mail:m1@example.net",
            "mail:p1@example.net",
            "mail:p2@example.net"
        ]
    );
    let cursor = first.cursor.unwrap();

    // Moved: the same message arrives under a new UID in another folder, with the same key.
    server.move_message("INBOX", "Projects", "<m1@example.net>");
    let moved = sync(&s, Some(&cursor)).unwrap();
    assert_eq!(keys(&moved), ["mail:m1@example.net"]);
    assert_eq!(moved.items[0].seen_in, "Projects on 127.0.0.1");
    let cursor = moved.cursor.unwrap();

    // Renumbered: the folder is recreated with a new UIDVALIDITY and read from its start.
    server.recreate_folder("Projects");
    server.append_bytes(
        "Projects",
        &[message(
            "p3@example.net",
            "Bo <bo@example.net>",
            ME,
            "Three",
            "",
        )],
    );
    let renumbered = sync(&s, Some(&cursor)).unwrap();
    assert_eq!(keys(&renumbered), ["mail:p3@example.net"]);
    assert!(
        renumbered.notes.iter().any(|n| n.contains("renumbered")),
        "{:?}",
        renumbered.notes
    );
    let quiet = sync(&s, renumbered.cursor.as_ref()).unwrap();
    assert!(quiet.items.is_empty());
}

#[test]
fn bulk_and_list_mail_are_marked_and_a_list_post_by_the_user_is_outbound() {
    if !dovecot::available() {
        return;
    }
    let server = Dovecot::start();
    let crowd: Vec<String> = (0..25).map(|i| format!("r{i}@example.com")).collect();
    server.append(
        "INBOX",
        &[
            &fixture("netdev-list-patch.eml"),
            &fixture("dovecot-015.eml"),
        ],
    );
    server.append_bytes(
        "INBOX",
        &[
            message(
                "news@example.com",
                "Library Weekly <editor@libraryweekly.example>",
                ME,
                "This week",
                "List-Unsubscribe: <https://libraryweekly.example/u?x=1>\r\n",
            ),
            message(
                "gh@example.com",
                "GitHub <noreply@github.com>",
                ME,
                "A pull request",
                "",
            ),
            message(
                "auto@example.com",
                "Ann <ann@example.org>",
                ME,
                "Out of office",
                "Auto-Submitted: auto-replied\r\n",
            ),
            message(
                "many@example.com",
                "Dee <dee@example.org>",
                &crowd.join(", "),
                "To everyone",
                "",
            ),
            message(
                "list-echo@example.org",
                &format!("Librarian <{ME}>"),
                "Koha list <koha@lists.katipo.co.nz>",
                "How do you set up SIP2?",
                "List-Id: Koha <koha.lists.katipo.co.nz>\r\nPrecedence: list\r\n",
            ),
        ],
    );
    server.append_bytes(
        "Sent",
        &[message(
            "list-echo@example.org",
            &format!("Librarian <{ME}>"),
            "Koha list <koha@lists.katipo.co.nz>",
            "How do you set up SIP2?",
            "",
        )],
    );
    let h = sync(&settings(&server), None).unwrap();

    let patch = by_key(&h, "mail:ZWJoRsJGnCPdJ3+2@work");
    assert_eq!(patch.channel, Channel::Listserv);
    assert!(patch.public && patch.bulk);
    assert_eq!(patch.tags, ["list:netdev.vger.kernel.org"]);
    assert_eq!(patch.direction, Direction::Inbound);
    assert!(emails(patch).contains(&"gustavoars@kernel.org"));

    for key in [
        "mail:news@example.com",
        "mail:gh@example.com",
        "mail:auto@example.com",
        "mail:many@example.com",
    ] {
        let i = by_key(&h, key);
        assert!(i.bulk, "{key} should be bulk");
        assert_eq!(i.channel, Channel::Email, "{key}");
        assert!(!i.public, "{key}");
    }
    assert!(!by_key(&h, "mail:7da78721a8a234894af702fe25fc64a5@proxforge.de").bulk);

    // The user's question to a list: one item, sent by the user, through the list.
    let asked: Vec<&Item> = h
        .items
        .iter()
        .filter(|i| i.key == "mail:list-echo@example.org")
        .collect();
    assert_eq!(asked.len(), 1);
    assert_eq!(asked[0].direction, Direction::Outbound);
    assert_eq!(asked[0].channel, Channel::Listserv);
    assert_eq!(asked[0].tags, ["list:koha.lists.katipo.co.nz"]);
    assert_eq!(
        asked[0].thread.as_deref(),
        Some("mail:thread:list-echo@example.org")
    );
    assert_eq!(emails(asked[0]), ["koha@lists.katipo.co.nz"]);
    assert!(asked[0].bulk, "nobody on a list is offered as a new person");
}

#[test]
fn a_post_to_a_list_is_known_by_its_address_where_the_list_sends_no_copy_back() {
    if !dovecot::available() {
        return;
    }
    let server = Dovecot::start();
    // The list's mail names its posting address; the user's own post exists only as the
    // sent folder's copy, without List-Id (the list does not send members their own posts).
    let list_headers = "List-Id: Solo librarians <solo.lists.example.org>\r\n\
                        List-Post: <mailto:Solo@lists.example.org>\r\nPrecedence: list\r\n";
    server.append_bytes(
        "INBOX",
        &[message(
            "digest@example.org",
            "Kiri <kiri@example.org>",
            "Solo list <solo@lists.example.org>",
            "Shelving for a one-room library",
            list_headers,
        )],
    );
    server.append_bytes(
        "Sent",
        &[message(
            "asked@example.org",
            &format!("Librarian <{ME}>"),
            "Solo list <solo@lists.example.org>",
            "Who runs a library alone on Koha?",
            "",
        )],
    );
    let first = sync(&settings(&server), None).unwrap();
    let asked = by_key(&first, "mail:asked@example.org");
    assert_eq!(asked.channel, Channel::Listserv);
    assert_eq!(asked.direction, Direction::Outbound);
    assert_eq!(asked.tags, ["list:solo.lists.example.org"]);
    assert!(
        asked.public && asked.bulk,
        "nobody on a list is offered as a new person"
    );

    // Later, a post with no list mail in the same sync: the cursor remembers the address.
    server.append_bytes(
        "Sent",
        &[message(
            "again@example.org",
            &format!("Librarian <{ME}>"),
            "solo@lists.example.org",
            "Anyone at the conference?",
            "",
        )],
    );
    let second = sync(&settings(&server), first.cursor.as_ref()).unwrap();
    let again = by_key(&second, "mail:again@example.org");
    assert_eq!(again.channel, Channel::Listserv);
    assert_eq!(again.tags, ["list:solo.lists.example.org"]);
    // Mail to someone else stays mail.
    assert!(second
        .items
        .iter()
        .all(|i| i.key == "mail:again@example.org"));
}

#[test]
fn a_wrong_password_is_said_in_plain_words_without_the_password() {
    if !dovecot::available() {
        return;
    }
    let server = Dovecot::start();
    let wrong = Secret::new("hunter2-not-it");
    let err = fetch("mail", &settings(&server), &wrong, None, &me(), &mut |_| {
        true
    })
    .unwrap_err();
    match &err {
        Error::Sync { problem, .. } => assert_eq!(*problem, SyncProblem::WrongPassword, "{err}"),
        other => panic!("{other:?}"),
    }
    let text = err.to_string();
    assert!(text.contains("user name or password"), "{text}");
    assert!(!text.contains("hunter2"), "{text}");
    assert!(!format!("{err:?}").contains("hunter2"));
}

#[test]
fn an_untrusted_certificate_is_refused_and_says_how_to_trust_it() {
    if !dovecot::available() {
        return;
    }
    let server = Dovecot::start();
    let mut s = settings(&server);
    s.ca_file = None;
    let err = sync(&s, None).unwrap_err();
    match &err {
        Error::Sync { problem, .. } => {
            assert_eq!(*problem, SyncProblem::UntrustedCertificate, "{err}")
        }
        other => panic!("{other:?}"),
    }
    let text = err.to_string();
    assert!(
        text.contains("certificate of 127.0.0.1 is not trusted"),
        "{text}"
    );
    assert!(text.contains("self-signed"), "{text}");
    assert!(text.contains("--ca-file"), "{text}");
}

#[test]
fn starttls_and_plain_to_this_computer_work_and_plain_elsewhere_is_refused() {
    if !dovecot::available() {
        return;
    }
    let server = Dovecot::start();
    server.append_bytes(
        "INBOX",
        &[message(
            "st@example.net",
            "Bo <bo@example.net>",
            ME,
            "Hi",
            "",
        )],
    );
    let mut s = settings(&server);
    s.security = ImapSecurity::Starttls;
    s.port = server.plain_port;
    assert_eq!(keys(&sync(&s, None).unwrap()), ["mail:st@example.net"]);

    // STARTTLS still checks the certificate.
    s.ca_file = None;
    let err = sync(&s, None).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Sync {
                problem: SyncProblem::UntrustedCertificate,
                ..
            }
        ),
        "{err:?}"
    );

    s.security = ImapSecurity::PlainLocalhostOnly;
    assert_eq!(keys(&sync(&s, None).unwrap()), ["mail:st@example.net"]);

    s.host = "mail.example.org".into();
    let err = sync(&s, None).unwrap_err();
    assert!(matches!(err, Error::Invalid(_)), "{err:?}");
    assert!(
        err.to_string().contains("only allowed to this computer"),
        "{err}"
    );
}

#[test]
fn a_server_that_never_answers_times_out_and_one_that_is_not_there_is_unreachable() {
    // No Dovecot needed: a listener that accepts and says nothing, and a closed port.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let mut s = ImapSettings {
        host: "127.0.0.1".into(),
        port: silent.local_addr().unwrap().port(),
        user: "u".into(),
        security: ImapSecurity::Tls,
        ca_file: None,
        folders: Vec::new(),
        addresses: Vec::new(),
    };
    let limits = Limits {
        timeout: Duration::from_secs(1),
        ..Limits::default()
    };
    let started = Instant::now();
    let err = fetch_with("mail", &s, &password(), None, &me(), &mut |_| true, limits).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Sync {
                problem: SyncProblem::TimedOut,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(10));
    drop(silent);

    s.port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let err = fetch_with("mail", &s, &password(), None, &me(), &mut |_| true, limits).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Sync {
                problem: SyncProblem::Unreachable,
                ..
            }
        ),
        "{err:?}"
    );
}

fn bulk_mail(n: usize) -> impl Iterator<Item = Vec<u8>> {
    (0..n).map(|i| {
        message(
            &format!("bulk-{i:05}@example.net"),
            &format!("Person {i} <p{}@example.net>", i % 300),
            ME,
            &format!("Message {i}"),
            "",
        )
    })
}

#[test]
fn a_server_gone_mid_sync_or_a_cancel_gives_an_error_and_no_harvest() {
    if !dovecot::available() {
        return;
    }
    let mut server = Dovecot::start();
    server.write_maildir(bulk_mail(2000));
    let s = settings(&server);
    let limits = Limits {
        batch: 50,
        timeout: Duration::from_secs(5),
        ..Limits::default()
    };

    // A cap on bytes stops between batches, says so, and the next sync reads on.
    let capped = Limits {
        max_bytes: 30_000,
        ..limits
    };
    let part = fetch_with("mail", &s, &password(), None, &me(), &mut |_| true, capped).unwrap();
    let n = part.items.len();
    assert!(
        n > 0 && n < 2000 && n.is_multiple_of(50),
        "whole batches, then a stop: {n}"
    );
    assert!(
        part.notes
            .iter()
            .any(|n| n.contains("the next sync reads on")),
        "{:?}",
        part.notes
    );
    let next = fetch_with(
        "mail",
        &s,
        &password(),
        part.cursor.as_ref(),
        &me(),
        &mut |_| true,
        capped,
    )
    .unwrap();
    assert_eq!(next.items[0].key, format!("mail:bulk-{n:05}@example.net"));
    assert_eq!(next.items.len(), n, "the same cap reads as much again");

    // Progress counts each folder on its own: a folder the cap stops part way is not shown
    // as further on than it got.
    server.append_bytes(
        "Sent",
        &[message(
            "sent-9@example.org",
            ME,
            "Bo <bo@example.net>",
            "Hi",
            "",
        )],
    );
    let mut both = s.clone();
    both.folders = vec!["Sent".into(), "INBOX".into()];
    let mut inbox_progress = None;
    let h = fetch_with(
        "mail",
        &both,
        &password(),
        None,
        &me(),
        &mut |p: Progress| {
            if p.stage == "reading INBOX" {
                inbox_progress = Some((p.done, p.total));
            }
            true
        },
        capped,
    )
    .unwrap();
    let from_inbox = h
        .items
        .iter()
        .filter(|i| i.seen_in.starts_with("INBOX"))
        .count() as u64;
    assert!(from_inbox < 2000);
    assert_eq!(inbox_progress, Some((from_inbox, Some(2000))));

    let mut ticks = 0;
    let err = fetch_with(
        "mail",
        &s,
        &password(),
        None,
        &me(),
        &mut |_| {
            ticks += 1;
            ticks < 3
        },
        limits,
    )
    .unwrap_err();
    assert!(matches!(err, Error::Cancelled(_)), "{err:?}");

    let mut stopped = false;
    let result = fetch_with(
        "mail",
        &s,
        &password(),
        None,
        &me(),
        &mut |p: Progress| {
            if p.done >= 100 && !stopped {
                stopped = true;
                server.stop();
            }
            true
        },
        limits,
    );
    assert!(stopped, "the sync reached its third batch");
    let err = match result {
        Ok(h) => panic!(
            "a harvest of {} items from a server that stopped",
            h.items.len()
        ),
        Err(e) => e,
    };
    assert!(
        matches!(
            err,
            Error::Sync {
                problem: SyncProblem::Unreachable | SyncProblem::TimedOut,
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn ten_thousand_messages_are_read_in_one_sync_and_a_limit_splits_them() {
    if !dovecot::available() {
        return;
    }
    let server = Dovecot::start();
    server.write_maildir(bulk_mail(10_000));
    let s = settings(&server);

    let limits = Limits {
        max_messages: 4_000,
        ..Limits::default()
    };
    let part = fetch_with("mail", &s, &password(), None, &me(), &mut |_| true, limits).unwrap();
    assert_eq!(part.items.len(), 4_000);
    assert!(
        part.notes
            .iter()
            .any(|n| n.contains("the next sync reads on")),
        "{:?}",
        part.notes
    );
    assert_eq!(
        part.items[0].key, "mail:bulk-00000@example.net",
        "the oldest come first"
    );
    let rest = fetch_with(
        "mail",
        &s,
        &password(),
        part.cursor.as_ref(),
        &me(),
        &mut |_| true,
        limits,
    )
    .unwrap();
    assert_eq!(rest.items.len(), 4_000);
    assert_eq!(rest.items[0].key, "mail:bulk-04000@example.net");

    let started = Instant::now();
    let all = sync(&s, None).unwrap();
    let took = started.elapsed();
    eprintln!("fetched 10,000 messages in {:.1} s", took.as_secs_f64());
    assert_eq!(all.items.len(), 10_000);
    let mut k: Vec<&str> = all.items.iter().map(|i| i.key.as_str()).collect();
    k.dedup();
    assert_eq!(k.len(), 10_000);
    assert!(took < Duration::from_secs(120), "took {took:?}");
}

#[test]
fn a_synced_message_has_the_key_thread_and_text_the_mbox_importer_gives_it() {
    if !dovecot::available() {
        return;
    }
    // A real message without its Message-ID: the key is then a hash of date, sender and
    // subject, which must come out the same from a file (LF) and from a server (CRLF, cut).
    let real = std::fs::read(fixture("dovecot-015.eml")).unwrap();
    let text = String::from_utf8_lossy(&real);
    let without_id: String = text
        .split_inclusive('\n')
        .filter(|l| !l.starts_with("Message-ID:"))
        .collect();
    let dir = tempfile::Builder::new()
        .prefix("kith-imap-key-")
        .tempdir()
        .unwrap();
    let eml = dir.path().join("no-id.eml");
    std::fs::write(&eml, &without_id).unwrap();
    let card = dir.path().join("jonas.vcf");
    std::fs::write(
        &card,
        "BEGIN:VCARD\nVERSION:3.0\nFN:Jonas Sterr\nEMAIL:jsterr@proxforge.de\nEND:VCARD\n",
    )
    .unwrap();
    let mut store = kith_core::Store::open_in_memory().unwrap();
    let now = chrono::Utc::now();
    kith_core::import::import(
        &mut store,
        &card,
        &kith_core::import::ImportOptions::default(),
        now,
        &mut |_| true,
    )
    .unwrap();
    let options = kith_core::import::ImportOptions {
        my_emails: vec!["jonas.sterr@gmx.net".into()],
        ..Default::default()
    };
    let outcome =
        kith_core::import::import(&mut store, &eml, &options, now, &mut |_| true).unwrap();
    assert_eq!(outcome.report.interactions_added, 1, "{outcome:?}");
    let imported = store
        .timeline("vcard:email:jsterr@proxforge.de", None)
        .unwrap()
        .remove(0)
        .interaction;
    assert!(
        !imported.id.contains("proxforge.de"),
        "a hashed key: {}",
        imported.id
    );

    let server = Dovecot::start();
    server.append("INBOX", &[&eml]);
    let mut s = settings(&server);
    s.addresses = vec!["jonas.sterr@gmx.net".into()];
    let h = sync(&s, None).unwrap();
    assert_eq!(h.items.len(), 1);
    let synced = &h.items[0];
    assert_eq!(synced.key, imported.id);
    assert_eq!(synced.thread, imported.thread);
    assert_eq!(synced.text, imported.text);
    assert_eq!(synced.at, imported.occurred_at);
    assert_eq!(synced.direction, imported.direction);
}

#[test]
fn a_folder_named_in_any_script_is_found_by_the_name_people_read() {
    if !dovecot::available() {
        return;
    }
    let server = Dovecot::start();
    // "Envoyés" as IMAP spells it (modified UTF-7).
    server.append_bytes(
        "Envoy&AOk-s",
        &[message(
            "fr-1@example.org",
            &format!("Librarian <{ME}>"),
            "Élodie <elodie@example.fr>",
            "Bonjour",
            "",
        )],
    );
    let mut s = settings(&server);
    s.folders = vec!["INBOX".into(), "Envoyés".into()];
    let h = sync(&s, None).unwrap();
    assert_eq!(keys(&h), ["mail:fr-1@example.org"]);
    assert_eq!(h.items[0].seen_in, "Envoyés on 127.0.0.1");
    assert_eq!(h.items[0].direction, Direction::Outbound);
    let cursor = h.cursor.unwrap();
    assert!(
        cursor["folders"]["Envoy&AOk-s"]["last_uid"] == 1,
        "{cursor}"
    );
    assert!(sync(&s, Some(&cursor)).unwrap().items.is_empty());
}

/// A one-connection IMAP server on loopback that greets, then answers LOGIN with `answer`.
fn refusing_server(answer: &'static str) -> u16 {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let mut out = stream.try_clone().unwrap();
        out.write_all(b"* OK IMAP4rev1 ready\r\n").unwrap();
        let mut lines = BufReader::new(stream);
        let mut line = String::new();
        while lines.read_line(&mut line).unwrap_or(0) > 0 {
            let tag = line.split(' ').next().unwrap_or("*").to_string();
            let reply = if line.contains("LOGIN") {
                format!("{tag} {answer}\r\n")
            } else {
                format!("{tag} OK done\r\n")
            };
            if out.write_all(reply.as_bytes()).is_err() {
                break;
            }
            line.clear();
        }
    });
    port
}

#[test]
fn a_busy_or_rate_limiting_server_is_not_taken_for_a_wrong_password() {
    // The words real servers use: Dovecot's temporary failure, Gmail's and Outlook's limits.
    for (answer, problem) in [
        (
            "NO [UNAVAILABLE] Temporary authentication failure. [host:2026-12-07 14:05:00]",
            SyncProblem::Unreachable,
        ),
        (
            "NO [ALERT] Too many login attempts, please try again later",
            SyncProblem::RateLimited,
        ),
        (
            "NO [AUTHENTICATIONFAILED] Authentication failed.",
            SyncProblem::WrongPassword,
        ),
    ] {
        let s = ImapSettings {
            host: "127.0.0.1".into(),
            port: refusing_server(answer),
            user: "u".into(),
            security: ImapSecurity::PlainLocalhostOnly,
            ca_file: None,
            folders: Vec::new(),
            addresses: Vec::new(),
        };
        match sync(&s, None) {
            Err(Error::Sync {
                problem: p, detail, ..
            }) => {
                assert_eq!(p, problem, "{answer}: {detail}");
                assert!(!detail.contains(dovecot::PASSWORD), "{detail}");
            }
            other => panic!("{answer}: {other:?}"),
        }
    }
}

#[test]
fn the_wrong_kind_of_security_for_a_port_says_which_to_choose() {
    if !dovecot::available() {
        return;
    }
    let server = Dovecot::start();
    let limits = Limits {
        timeout: Duration::from_secs(2),
        ..Limits::default()
    };
    // TLS from the first byte to the port that greets in plain text.
    let mut s = settings(&server);
    s.port = server.plain_port;
    let err = fetch_with("mail", &s, &password(), None, &me(), &mut |_| true, limits).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Sync {
                problem: SyncProblem::BadResponse,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("--security starttls"), "{err}");

    // STARTTLS to the port that waits for TLS.
    s.port = server.tls_port;
    s.security = ImapSecurity::Starttls;
    let err = fetch_with("mail", &s, &password(), None, &me(), &mut |_| true, limits).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Sync {
                problem: SyncProblem::TimedOut,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("--security tls"), "{err}");
}
