//! Address books synced both ways with a real CardDAV server (Radicale, started by each test on
//! loopback): a first push of 1,000 contacts, an edit and a new card made on the server, a
//! contact changed on both sides, a card deleted on each side, a card that changes on the
//! server while Kith writes it, a wrong password, a server that goes away part way, and two
//! stores sharing one address book. What the server holds is read back with Python's
//! `vobject`, a vCard parser nobody here wrote.

#[path = "support/radicale.rs"]
mod radicale;

use chrono::{DateTime, TimeZone, Utc};
use kith_core::accounts::dav::{settle_conflict, Keep};
use kith_core::accounts::{
    self, AccountSettings, CardDavSettings, DavScope, NewAccount, NoSecrets, Secret, SyncReport,
};
use kith_core::session::Session;
use kith_core::store::DavItemState;
use kith_core::{Code, Contact, ContactDraft, Handle, Platform};
use radicale::{Proxy, Radicale, Verdict};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

const BOOK: &str = "contacts";

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 7, 9, 0, 0).unwrap()
}

struct Kith {
    _dir: tempfile::TempDir,
    session: Session,
}

fn store() -> Kith {
    let dir = tempfile::Builder::new()
        .prefix("kith-carddav-test-")
        .tempdir()
        .unwrap();
    let session = Session::new(dir.path().join("kith.sqlite3"));
    Kith { _dir: dir, session }
}

fn add_account(k: &Kith, url: &str, scope: DavScope, include_private: bool) {
    let account = NewAccount {
        name: "phone".into(),
        settings: AccountSettings::Carddav(CardDavSettings {
            url: url.to_string(),
            user: radicale::USER.into(),
            scope,
            include_private,
            address_book: String::new(),
        }),
    };
    k.session
        .write(move |s| s.add_account(account, now()))
        .unwrap();
}

fn sync_with(k: &Kith, password: &str) -> SyncReport {
    accounts::sync(
        &k.session,
        "phone",
        &NoSecrets,
        Some(Secret::new(password)),
        now(),
        &mut |_| true,
    )
    .unwrap()
}

fn sync(k: &Kith) -> SyncReport {
    let report = sync_with(k, radicale::PASSWORD);
    assert!(report.error.is_none(), "{report:?}");
    report
}

fn contact(name: &str, emails: &[&str]) -> ContactDraft {
    ContactDraft {
        name: name.into(),
        handles: emails
            .iter()
            .map(|e| Handle {
                platform: Platform::Email,
                value: e.to_string(),
            })
            .collect(),
        ..ContactDraft::default()
    }
}

fn save(k: &Kith, draft: ContactDraft) -> Contact {
    k.session
        .write(move |s| s.save_contact(draft, now()))
        .unwrap()
}

fn all(k: &Kith) -> Vec<Contact> {
    k.session.read(|s| s.all_contacts()).unwrap()
}

fn by_name(k: &Kith, name: &str) -> Contact {
    let found: Vec<Contact> = all(k).into_iter().filter(|c| c.name == name).collect();
    assert_eq!(found.len(), 1, "one contact named {name}");
    found.into_iter().next().unwrap()
}

fn handles(c: &Contact, platform: Platform) -> Vec<String> {
    let mut out: Vec<String> = c
        .handles
        .iter()
        .filter(|h| h.platform == platform)
        .map(|h| h.value.clone())
        .collect();
    out.sort();
    out
}

/// Each card Radicale holds, as `vobject` reads it: file name → {uid, fn, email, tel, org,
/// note, version}.
fn server_cards(server: &Radicale) -> BTreeMap<String, serde_json::Value> {
    let files: Vec<String> = server
        .item_files(BOOK)
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    if files.is_empty() {
        return BTreeMap::new();
    }
    let mut args: Vec<&str> = Vec::new();
    args.extend(files.iter().map(String::as_str));
    let out = Radicale::python(
        r#"
import json, os, sys, vobject
out = {}
for path in sys.argv[1:]:
    with open(path, encoding='utf-8') as f:
        card = vobject.readOne(f.read())
    def all_of(name):
        return sorted(str(x.value) for x in card.contents.get(name, []))
    def one(name):
        v = card.contents.get(name)
        if not v:
            return None
        v = v[0].value
        return ';'.join(v) if isinstance(v, list) else str(v)
    out[os.path.basename(path)] = {
        'uid': one('uid'), 'fn': one('fn'), 'email': all_of('email'), 'tel': all_of('tel'),
        'org': one('org'), 'note': one('note'), 'version': one('version'),
    }
print(json.dumps(out))
"#,
        &args,
    );
    serde_json::from_str(&out).unwrap()
}

fn card_named<'a>(
    cards: &'a BTreeMap<String, serde_json::Value>,
    name: &str,
) -> (&'a str, &'a serde_json::Value) {
    let found: Vec<_> = cards.iter().filter(|(_, c)| c["fn"] == name).collect();
    assert_eq!(found.len(), 1, "one card named {name} in {cards:#?}");
    (found[0].0.as_str(), found[0].1)
}

fn href(file: &str) -> String {
    format!("/{}/{BOOK}/{file}", radicale::USER)
}

fn server() -> Radicale {
    let server = Radicale::start();
    server.create_address_book(BOOK);
    server
}

#[test]
fn a_thousand_contacts_go_to_the_server_without_their_private_notes() {
    if !radicale::available() {
        return;
    }
    let server = server();
    let k = store();
    k.session
        .write(|s| {
            for i in 0..1000 {
                let mut d = contact(&format!("Person {i:04}"), &[&format!("p{i}@example.org")]);
                d.organisation = format!("Library {}", i % 7);
                d.notes = format!("met at conference {}", i % 13);
                d.private_notes = format!("secret {i}");
                s.save_contact(d, now())?;
            }
            Ok(())
        })
        .unwrap();
    add_account(&k, &server.base(), DavScope::All, false);
    let started = std::time::Instant::now();
    let first = sync(&k);
    let took = started.elapsed();
    eprintln!("first push of 1,000 contacts: {took:?}");
    assert_eq!((first.added, first.updated), (0, 0), "{first:?}");

    let cards = server_cards(&server);
    assert_eq!(cards.len(), 1000);
    for i in [0, 1, 499, 999] {
        let (_, card) = card_named(&cards, &format!("Person {i:04}"));
        assert_eq!(
            card["email"],
            serde_json::json!([format!("p{i}@example.org")])
        );
        assert_eq!(card["org"], format!("Library {}", i % 7));
        assert_eq!(card["version"], "4.0");
        assert!(card["uid"].as_str().unwrap().starts_with("urn:kith:"));
    }
    let leaked: Vec<_> = cards
        .values()
        .filter(|c| c["note"].as_str().unwrap_or("").contains("secret"))
        .collect();
    assert!(leaked.is_empty(), "private notes went out: {leaked:?}");

    // Nothing changed on either side: the next sync writes nothing and brings nothing.
    let before: Vec<_> = server
        .item_files(BOOK)
        .iter()
        .map(|p| std::fs::metadata(p).unwrap().modified().unwrap())
        .collect();
    let started = std::time::Instant::now();
    let again = sync(&k);
    eprintln!(
        "second sync of 1,000 unchanged contacts: {:?}",
        started.elapsed()
    );
    assert_eq!((again.added, again.updated), (0, 0));
    let after: Vec<_> = server
        .item_files(BOOK)
        .iter()
        .map(|p| std::fs::metadata(p).unwrap().modified().unwrap())
        .collect();
    assert_eq!(before, after, "an unchanged contact is not written again");
    assert_eq!(all(&k).len(), 1000);
}

#[test]
fn private_notes_go_out_only_when_the_account_says_so() {
    if !radicale::available() {
        return;
    }
    let server = server();
    let k = store();
    let mut d = contact("Ana Ruiz", &["ana@example.org"]);
    d.private_notes = "looking for a new job".into();
    save(&k, d);
    add_account(&k, &server.base(), DavScope::All, true);
    sync(&k);
    let cards = server_cards(&server);
    let (_, card) = card_named(&cards, "Ana Ruiz");
    assert!(card["note"]
        .as_str()
        .unwrap()
        .contains("looking for a new job"));
}

#[test]
fn an_edit_and_a_new_card_made_on_the_server_come_into_kith() {
    if !radicale::available() {
        return;
    }
    let server = server();
    let k = store();
    save(&k, contact("Ana Ruiz", &["ana@example.org"]));
    save(&k, contact("Ben Ode", &["ben@example.org"]));
    add_account(&k, &server.base(), DavScope::All, false);
    sync(&k);

    // On the phone: a number typed into Ana's card, and a new contact (a vCard 3.0 card).
    let cards = server_cards(&server);
    let (file, _) = card_named(&cards, "Ana Ruiz");
    let path = href(file);
    let ana_card = server.get(&path);
    let edited = ana_card.replace("END:VCARD", "TEL;TYPE=cell:+64 21 555 0101\r\nEND:VCARD");
    server.put(&path, "text/vcard", &edited);
    server.put(
        &href("phone-made-1.vcf"),
        "text/vcard",
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:phone-made-1\r\nFN:Cara Lind\r\nN:Lind;Cara;;;\r\n\
         EMAIL;TYPE=INTERNET:cara@example.org\r\nORG:Wellington City Libraries\r\nEND:VCARD\r\n",
    );

    let report = sync(&k);
    assert_eq!((report.added, report.updated), (1, 1), "{report:?}");
    let ana = by_name(&k, "Ana Ruiz");
    assert_eq!(handles(&ana, Platform::Phone), ["+64 21 555 0101"]);
    assert_eq!(handles(&ana, Platform::Email), ["ana@example.org"]);
    let cara = by_name(&k, "Cara Lind");
    assert_eq!(cara.organisation, "Wellington City Libraries");
    assert_eq!(handles(&cara, Platform::Email), ["cara@example.org"]);

    // Settled: the next sync changes nothing, and the phone's card keeps its UID.
    let again = sync(&k);
    assert_eq!((again.added, again.updated), (0, 0), "{again:?}");
    let cards = server_cards(&server);
    assert_eq!(cards.len(), 3);
    assert_eq!(cards["phone-made-1.vcf"]["uid"], "phone-made-1");

    // Kith edits the phone's contact: the card is updated in place, under its own UID.
    let mut d = ContactDraft::from(by_name(&k, "Cara Lind"));
    d.location = "Wellington".into();
    save(&k, d);
    sync(&k);
    let cards = server_cards(&server);
    assert_eq!(cards.len(), 3);
    assert_eq!(cards["phone-made-1.vcf"]["uid"], "phone-made-1");
    assert!(server
        .get(&href("phone-made-1.vcf"))
        .contains("Wellington;"));
}

#[test]
fn a_contact_changed_on_both_sides_is_merged_and_the_clash_is_kept_to_settle() {
    if !radicale::available() {
        return;
    }
    let server = server();
    let k = store();
    let mut d = contact("Ana Ruiz", &["ana@example.org"]);
    d.organisation = "National Library".into();
    let ana = save(&k, d);
    add_account(&k, &server.base(), DavScope::All, false);
    sync(&k);

    // In Kith: a new organisation and a second address.
    let mut d = ContactDraft::from(ana.clone());
    d.organisation = "City Library".into();
    d.handles.push(Handle {
        platform: Platform::Email,
        value: "ana@city.example.org".into(),
    });
    save(&k, d);
    // On the phone: another organisation and a phone number.
    let cards = server_cards(&server);
    let (file, _) = card_named(&cards, "Ana Ruiz");
    let path = href(file);
    let card = server
        .get(&path)
        .replace("ORG:National Library", "ORG:State Library")
        .replace("END:VCARD", "TEL:+64 4 555 0199\r\nEND:VCARD");
    server.put(&path, "text/vcard", &card);

    let report = sync(&k);
    assert_eq!(report.updated, 1, "{report:?}");
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.contains("changed both") && n.contains("Ana Ruiz")),
        "{report:?}"
    );
    let ana = by_name(&k, "Ana Ruiz");
    assert_eq!(ana.organisation, "City Library", "Kith's value stays");
    assert_eq!(handles(&ana, Platform::Phone), ["+64 4 555 0199"]);
    assert_eq!(
        handles(&ana, Platform::Email),
        ["ana@city.example.org", "ana@example.org"]
    );
    let conflicts = k.session.read({
        let id = ana.id.clone();
        move |s| s.dav_conflicts(&id)
    });
    let conflicts = conflicts.unwrap();
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    assert_eq!(conflicts[0].field, "organisation");
    assert_eq!(conflicts[0].kith_value, ["City Library"]);
    assert_eq!(conflicts[0].server_value, ["State Library"]);
    assert_eq!(conflicts[0].account, "phone");
    // The server has the merged card.
    let cards = server_cards(&server);
    let (_, card) = card_named(&cards, "Ana Ruiz");
    assert_eq!(card["org"], "City Library");
    assert_eq!(card["tel"], serde_json::json!(["+64 4 555 0199"]));
    assert_eq!(
        card["email"],
        serde_json::json!(["ana@city.example.org", "ana@example.org"])
    );

    // The user takes the server's value: the contact changes, the conflict is gone, and the
    // next sync writes it.
    settle_conflict(&k.session, conflicts[0].id, Keep::Server, now()).unwrap();
    assert_eq!(by_name(&k, "Ana Ruiz").organisation, "State Library");
    let id = ana.id.clone();
    assert!(k
        .session
        .read(move |s| s.dav_conflicts(&id))
        .unwrap()
        .is_empty());
    sync(&k);
    let cards = server_cards(&server);
    assert_eq!(card_named(&cards, "Ana Ruiz").1["org"], "State Library");
}

#[test]
fn a_card_deleted_on_either_side() {
    if !radicale::available() {
        return;
    }
    let server = server();
    let k = store();
    let ana = save(&k, contact("Ana Ruiz", &["ana@example.org"]));
    let ben = save(&k, contact("Ben Ode", &["ben@example.org"]));
    let cat = save(&k, contact("Cat Moa", &["cat@example.org"]));
    add_account(&k, &server.base(), DavScope::All, false);
    sync(&k);
    assert_eq!(server.item_files(BOOK).len(), 3);

    // Deleted on the phone: Ana stays in Kith and is not written back.
    let cards = server_cards(&server);
    server.delete(&href(card_named(&cards, "Ana Ruiz").0));
    let report = sync(&k);
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.contains("deleted on the server") && n.contains("Ana Ruiz")),
        "{report:?}"
    );
    assert!(k
        .session
        .read({
            let id = ana.id.clone();
            move |s| s.contact(&id)
        })
        .is_ok());
    let account = k.session.read(|s| s.account("phone")).unwrap();
    let items = k.session.read(move |s| s.dav_items(&account.id)).unwrap();
    let item = items.iter().find(|i| i.item_key == ana.id).unwrap();
    assert_eq!(item.state, DavItemState::ServerDeleted);
    sync(&k);
    assert_eq!(server.item_files(BOOK).len(), 2, "not written back");

    // Deleted in Kith alone: the card stays on the server and does not come back.
    let id = ben.id.clone();
    k.session.write(move |s| s.delete_contact(&id)).unwrap();
    sync(&k);
    assert_eq!(server.item_files(BOOK).len(), 2);
    assert!(all(&k).iter().all(|c| c.name != "Ben Ode"));

    // Deleted in Kith and on the server, as the user asked.
    let id = cat.id.clone();
    k.session
        .write(move |s| s.delete_contact_and_its_cards(&id))
        .unwrap();
    sync(&k);
    let cards = server_cards(&server);
    assert_eq!(cards.len(), 1);
    card_named(&cards, "Ben Ode");
}

#[test]
fn a_card_changed_on_the_server_while_kith_writes_it_is_read_again_and_merged() {
    if !radicale::available() {
        return;
    }
    let server = Arc::new(server());
    let k = store();
    let ana = save(&k, contact("Ana Ruiz", &["ana@example.org"]));
    // Kith talks to the server through a proxy that, once armed, has the phone add a number
    // to the card just before Kith's PUT of it reaches the server.
    let armed = Arc::new(AtomicBool::new(false));
    let edited = Arc::new(AtomicBool::new(false));
    let proxy = {
        let (server, armed, edited) = (server.clone(), armed.clone(), edited.clone());
        Proxy::start(server.port, move |line, _| {
            if armed.load(Ordering::SeqCst)
                && line.starts_with("PUT ")
                && !edited.swap(true, Ordering::SeqCst)
            {
                let path = line.split_whitespace().nth(1).unwrap().to_string();
                let card = server
                    .get(&path)
                    .replace("END:VCARD", "TEL:+64 9 555 0123\r\nEND:VCARD");
                server.put(&path, "text/vcard", &card);
            }
            Verdict::Forward
        })
    };
    add_account(&k, &proxy.base(), DavScope::All, false);
    sync(&k);

    let mut d = ContactDraft::from(ana);
    d.notes = "Runs the Koha user group".into();
    save(&k, d);
    armed.store(true, Ordering::SeqCst);
    sync(&k);
    assert!(
        edited.load(Ordering::SeqCst),
        "the card was changed under Kith"
    );

    let cards = server_cards(&server);
    assert_eq!(cards.len(), 1);
    let (_, card) = card_named(&cards, "Ana Ruiz");
    assert_eq!(card["note"], "Runs the Koha user group");
    assert_eq!(card["tel"], serde_json::json!(["+64 9 555 0123"]));
    let ana = by_name(&k, "Ana Ruiz");
    assert_eq!(handles(&ana, Platform::Phone), ["+64 9 555 0123"]);
    assert_eq!(ana.notes, "Runs the Koha user group");
}

#[test]
fn a_wrong_password_is_named_and_changes_nothing() {
    if !radicale::available() {
        return;
    }
    let server = server();
    let k = store();
    save(&k, contact("Ana Ruiz", &["ana@example.org"]));
    add_account(&k, &server.base(), DavScope::All, false);
    let report = sync_with(&k, "not the password");
    let error = report.error.expect("the sync failed");
    assert_eq!(error.code, Code::SyncWrongPassword, "{error:?}");
    assert!(error.message.contains("phone"), "{}", error.message);
    assert!(!error.message.contains("not the password"));
    assert!(server.item_files(BOOK).is_empty());
    let account = k.session.read(|s| s.account("phone")).unwrap();
    assert!(account.cursor.is_none() && account.last_sync_at.is_none());
}

/// Everything a sync may write, to compare before and after one that failed.
fn snapshot(k: &Kith) -> String {
    k.session
        .read(|s| {
            let account = s.account("phone")?;
            let mut contacts = s.all_contacts()?;
            contacts.sort_by(|a, b| a.id.cmp(&b.id));
            let items = s.dav_items(&account.id)?;
            Ok(format!(
                "{contacts:?}\n{items:?}\n{:?}\n{:?}",
                account.cursor, account.last_sync_at
            ))
        })
        .unwrap()
}

#[test]
fn a_server_that_goes_away_part_way_leaves_kith_as_it_was() {
    if !radicale::available() {
        return;
    }
    let server = server();
    let k = store();
    for i in 0..20 {
        save(
            &k,
            contact(&format!("Person {i:02}"), &[&format!("p{i}@example.org")]),
        );
    }
    // Through a proxy that, from the request numbered `cut` on, closes the connection
    // without an answer.
    let cut = Arc::new(AtomicUsize::new(usize::MAX));
    let proxy = {
        let cut = cut.clone();
        Proxy::start(server.port, move |_, n| {
            if n >= cut.load(Ordering::SeqCst) {
                Verdict::Cut
            } else {
                Verdict::Forward
            }
        })
    };
    add_account(&k, &proxy.base(), DavScope::All, false);
    sync(&k);

    // Changes on both sides; then the server goes away after the sync-collection report and
    // the multiget, among Kith's writes.
    let cards = server_cards(&server);
    let path = href(card_named(&cards, "Person 03").0);
    let card = server
        .get(&path)
        .replace("END:VCARD", "TEL:+64 3 555 0100\r\nEND:VCARD");
    server.put(&path, "text/vcard", &card);
    server.put(
        &href("new-on-phone.vcf"),
        "text/vcard",
        "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:new-on-phone\r\nFN:Dee Kaur\r\nEND:VCARD\r\n",
    );
    for i in [1, 5, 9, 12] {
        let mut d = ContactDraft::from(by_name(&k, &format!("Person {i:02}")));
        d.notes = format!("edited {i}");
        save(&k, d);
    }
    let before = snapshot(&k);
    cut.store(proxy.seen.load(Ordering::SeqCst) + 4, Ordering::SeqCst);
    let report = sync_with(&k, radicale::PASSWORD);
    let error = report.error.expect("the sync failed");
    assert!(
        matches!(error.code, Code::SyncUnreachable | Code::SyncBadResponse),
        "{error:?}"
    );
    assert!(error.message.contains("phone"), "{}", error.message);
    assert_eq!(snapshot(&k), before, "nothing half-written in Kith");
    let account = k.session.read(|s| s.account("phone")).unwrap();
    assert_eq!(account.failures, 1);

    // The server is back: the next sync brings both sides together, each card once.
    cut.store(usize::MAX, Ordering::SeqCst);
    let report = sync(&k);
    assert_eq!((report.added, report.updated), (1, 1), "{report:?}");
    assert_eq!(
        handles(&by_name(&k, "Person 03"), Platform::Phone),
        ["+64 3 555 0100"]
    );
    let cards = server_cards(&server);
    assert_eq!(cards.len(), 21);
    for i in [1, 5, 9, 12] {
        assert_eq!(
            card_named(&cards, &format!("Person {i:02}")).1["note"],
            format!("edited {i}")
        );
    }
    assert_eq!(all(&k).len(), 21);
}

#[test]
fn two_stores_sharing_one_address_book_end_with_the_same_contacts() {
    if !radicale::available() {
        return;
    }
    let server = server();
    let laptop = store();
    let desktop = store();
    for (name, email) in [
        ("Ana Ruiz", "ana@example.org"),
        ("Ben Ode", "ben@example.org"),
        ("Cat Moa", "cat@example.org"),
    ] {
        let mut d = contact(name, &[email]);
        d.organisation = "Library".into();
        save(&laptop, d);
    }
    save(&desktop, contact("Dee Kaur", &["dee@example.org"]));
    add_account(&laptop, &server.base(), DavScope::All, false);
    add_account(&desktop, &server.base(), DavScope::All, false);

    sync(&laptop);
    let report = sync(&desktop);
    assert_eq!(report.added, 3, "{report:?}");
    let report = sync(&laptop);
    assert_eq!(report.added, 1, "{report:?}");

    // An edit on one computer reaches the other.
    let mut d = ContactDraft::from(by_name(&desktop, "Ben Ode"));
    d.location = "Dunedin".into();
    save(&desktop, d);
    sync(&desktop);
    let report = sync(&laptop);
    assert_eq!(report.updated, 1, "{report:?}");

    let summary = |k: &Kith| {
        let mut out: Vec<(String, String, Vec<String>, String, String)> = all(k)
            .into_iter()
            .map(|c| {
                (
                    c.id.clone(),
                    c.name.clone(),
                    handles(&c, Platform::Email),
                    c.organisation.clone(),
                    c.location.clone(),
                )
            })
            .collect();
        out.sort();
        out
    };
    assert_eq!(summary(&laptop), summary(&desktop));
    assert_eq!(summary(&laptop).len(), 4);
    assert_eq!(by_name(&laptop, "Ben Ode").location, "Dunedin");
    assert_eq!(server.item_files(BOOK).len(), 4);
}
