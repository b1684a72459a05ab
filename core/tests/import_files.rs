//! vCard, CSV, mail and Bluesky importers, on the real sample files in
//! tests/fixtures/import and on small files written here.

#[path = "import_support.rs"]
mod support;

use kith_core::import::{self, Format, ImportOptions, Limits, MY_EMAILS_SETTING};
use kith_core::{Channel, Direction, Platform, Store};
use support::*;

fn detect(path: &std::path::Path) -> Format {
    import::detect(path, &Limits::default()).unwrap()
}

#[test]
fn real_vcards_from_many_clients_import_and_reimport_adds_nothing() {
    let mut store = Store::open_in_memory().unwrap();
    let files = [
        ("John_Doe_ANDROID.vcf", 6),
        ("John_Doe_GMAIL.vcf", 1),
        ("John_Doe_IPHONE.vcf", 1),
        ("gmail-list.vcf", 3),
        ("outlook-2007.vcf", 1),
        ("rfc2426-example.vcf", 2),
        ("rfc6350-example.vcf", 1),
        ("thunderbird-MoreFunctionsForAddressBook-extension.vcf", 1),
    ];
    for (file, cards) in files {
        let path = fixture(&format!("vcard/{file}"));
        assert_eq!(detect(&path), Format::Vcard, "{file}");
        let outcome = import_file(&mut store, &path).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(
            outcome.report.contacts_added
                + outcome.report.contacts_updated
                + outcome.merged
                + outcome.skipped,
            cards,
            "{file}: {outcome:?}"
        );
    }
    let before = snapshot(&store);
    for (file, _) in files {
        let again = import_file(&mut store, &fixture(&format!("vcard/{file}"))).unwrap();
        assert_eq!(again.report.contacts_added, 0, "{file}");
    }
    assert_eq!(snapshot(&store), before);

    let simon = store
        .contact("vcard:email:simon.perreault@viagenie.ca")
        .unwrap();
    assert_eq!(simon.name, "Simon Perreault");
    assert_eq!(simon.organisation, "Viagenie");
    assert_eq!(simon.location, "Quebec, QC, Canada");
    assert!(simon
        .handles
        .iter()
        .any(|h| h.platform == Platform::Blog && h.value == "http://nomis80.org"));
    let frank = store.find_contacts_by_name("Frank Dawson").unwrap();
    assert_eq!(frank.len(), 1);
    let frank = store.contact(&frank[0].0).unwrap();
    assert_eq!(frank.organisation, "Lotus Development Corporation");
    assert_eq!(
        frank
            .handles
            .iter()
            .filter(|h| h.platform == Platform::Email)
            .count(),
        2
    );
    // Quoted-printable UTF-8 names from the Android export.
    assert!(store.find_contacts_by_name("Ñ Ñ Ñ Ñ Ñ").unwrap().len() == 1);
    // The iPhone card's itemN.EMAIL and its photo.
    let john = store.find_contacts_by_name("john.doe@ibm.com").unwrap();
    assert!(!john.is_empty());
}

#[test]
fn a_cut_vcard_names_the_card_line_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cut.vcf");
    std::fs::write(
        &path,
        "BEGIN:VCARD\nVERSION:3.0\nFN:Ann\nEND:VCARD\nBEGIN:VCARD\nVERSION:3.0\nFN:Bob\n",
    )
    .unwrap();
    let mut store = Store::open_in_memory().unwrap();
    assert_refused(&mut store, &path, &ImportOptions::default(), "line 5");
    // A name in bytes that are not the character set it declares is refused, by line.
    let mislabelled = dir.path().join("mislabelled.vcf");
    std::fs::write(
        &mislabelled,
        b"BEGIN:VCARD\nVERSION:3.0\nFN;CHARSET=UTF-8:Ren\xe9e\nEND:VCARD\n",
    )
    .unwrap();
    assert_refused(
        &mut store,
        &mislabelled,
        &ImportOptions::default(),
        "line 3",
    );
    // Undeclared 8-bit text is read as Windows-1252, and the preview says so.
    let latin1 = dir.path().join("latin1.vcf");
    std::fs::write(
        &latin1,
        b"BEGIN:VCARD\nVERSION:3.0\nFN:Ren\xe9e\nEND:VCARD\n",
    )
    .unwrap();
    let outcome = import_file(&mut store, &latin1).unwrap();
    assert!(
        outcome
            .notes
            .iter()
            .any(|n| n.contains("latin1.vcf") && n.contains("Windows-1252")),
        "{outcome:?}"
    );
    assert_eq!(store.find_contacts_by_name("Renée").unwrap().len(), 1);
}

#[test]
fn linkedin_connections_with_and_without_preamble_and_bom() {
    let dir = tempfile::tempdir().unwrap();
    let new = dir.path().join("Connections.csv");
    std::fs::write(
        &new,
        "\u{feff}Notes:\n\"When exporting your connection data, you may notice that some of the email addresses are missing.\"\n\nFirst Name,Last Name,URL,Email Address,Company,Position,Connected On\nAnn,Lee,https://www.linkedin.com/in/annlee,ann@example.org,City Library,Systems Librarian,22 Dec 2025\nBo,\"Chen, Jr.\",https://www.linkedin.com/in/bochen,,\"Uni, Library\",Cataloguer,03 Jan 2024\n",
    )
    .unwrap();
    assert_eq!(detect(&new), Format::Linkedin);
    let mut store = Store::open_in_memory().unwrap();
    let outcome = import_file(&mut store, &new).unwrap();
    assert_eq!(outcome.report.contacts_added, 2);
    let ann = store.contact("linkedin:linkedin.com/in/annlee").unwrap();
    assert_eq!(ann.organisation, "City Library");
    assert_eq!(ann.met_on.unwrap().to_string(), "2025-12-22");
    assert!(ann.tags.contains(&"linkedin".to_string()));
    assert_eq!(
        store
            .contact("linkedin:linkedin.com/in/bochen")
            .unwrap()
            .name,
        "Bo Chen, Jr."
    );
    assert_eq!(
        import_file(&mut store, &new).unwrap().report.contacts_added,
        0
    );

    let old = dir.path().join("old.csv");
    std::fs::write(&old, "First Name,Last Name,Email Address,Company,Position,Connected On\nCara,Diaz,cara@example.org,State Library,Director,5 Mar 2019\n").unwrap();
    assert_eq!(detect(&old), Format::Linkedin);
    import_file(&mut store, &old).unwrap();
    assert_eq!(
        store
            .contact("linkedin:email:cara@example.org")
            .unwrap()
            .name,
        "Cara Diaz"
    );

    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "First Name,Last Name,URL,Email Address,Company,Position,Connected On\nDan,Eve,,,,,someday\n").unwrap();
    assert_refused(&mut store, &bad, &ImportOptions::default(), "line 2");
}

#[test]
fn google_contacts_csv_current_and_older_headers() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("contacts.csv");
    std::fs::write(&path, "First Name,Middle Name,Last Name,Nickname,Organization Name,Organization Title,Notes,Labels,E-mail 1 - Label,E-mail 1 - Value,E-mail 2 - Label,E-mail 2 - Value,Phone 1 - Label,Phone 1 - Value,Website 1 - Label,Website 1 - Value\nAnn,,Lee,,City Library,Systems Librarian,Met at VALA,Librarians ::: * myContacts,Work,ann@example.org ::: ann.lee@work.example,,,Mobile,+64 21 000,Profile,https://twitter.com/ann_lee\n").unwrap();
    assert_eq!(detect(&path), Format::Google);
    let mut store = Store::open_in_memory().unwrap();
    import_file(&mut store, &path).unwrap();
    let ann = store.contact("google:email:ann@example.org").unwrap();
    assert_eq!(ann.name, "Ann Lee");
    assert_eq!(ann.tags, vec!["Librarians".to_string()]);
    assert_eq!(
        ann.handles
            .iter()
            .filter(|h| h.platform == Platform::Email)
            .count(),
        2
    );
    assert!(ann
        .handles
        .iter()
        .any(|h| h.platform == Platform::Twitter && h.value == "@ann_lee"));
    assert!(ann.notes.contains("Met at VALA"));

    let old = dir.path().join("google-old.csv");
    std::fs::write(&old, "Name,Given Name,Additional Name,Family Name,Group Membership,E-mail 1 - Type,E-mail 1 - Value\nBen Ode,Ben,,Ode,* myContacts ::: Koha,* Home,ben@example.org\n").unwrap();
    assert_eq!(detect(&old), Format::Google);
    import_file(&mut store, &old).unwrap();
    assert_eq!(
        store.contact("google:email:ben@example.org").unwrap().tags,
        vec!["Koha".to_string()]
    );
}

/// Google writes one row per saved contact, and a person saved twice (from an email and from a
/// phone) has two rows with the same address. The later row, often nearly empty, must not
/// blank what the earlier one holds; what differs is kept in the notes.
#[test]
fn a_second_google_row_for_the_same_person_erases_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("contacts.csv");
    let header = "First Name,Last Name,Organization Name,Notes,Labels,E-mail 1 - Label,E-mail 1 - Value,Address 1 - City,Address 1 - Country";
    std::fs::write(
        &path,
        format!(
            "{header}\n\
             Ann,Lee,City Library,Met at VALA,Koha,Work,ann@example.org,Wellington,New Zealand\n\
             Ann,Lee,,,,Home,ann@example.org,,\n\
             Ann,Lee,Regional Library,Asked about serials,,Work,ann@example.org,,\n"
        ),
    )
    .unwrap();
    assert_eq!(detect(&path), Format::Google);
    let mut store = Store::open_in_memory().unwrap();
    import_file(&mut store, &path).unwrap();
    let ann = store.contact("google:email:ann@example.org").unwrap();
    assert_eq!(ann.organisation, "City Library");
    assert_eq!(ann.location, "Wellington, New Zealand");
    assert!(ann.notes.contains("Met at VALA"), "{}", ann.notes);
    assert!(ann.notes.contains("Asked about serials"), "{}", ann.notes);
    assert!(
        ann.notes.contains("Organisation: Regional Library"),
        "{}",
        ann.notes
    );
    assert_eq!(ann.tags, vec!["Koha".to_string()]);
}

#[test]
fn mail_becomes_interactions_with_known_contacts_only() {
    let mut store = Store::open_in_memory().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let card = dir.path().join("jonas.vcf");
    std::fs::write(
        &card,
        "BEGIN:VCARD\nVERSION:3.0\nFN:Jonas Sterr\nEMAIL:jsterr@proxforge.de\nEND:VCARD\n",
    )
    .unwrap();
    import_file(&mut store, &card).unwrap();

    let eml = fixture("mail/dovecot-015.eml");
    assert_eq!(detect(&eml), Format::Eml);
    // One message: Kith cannot guess whose mailbox it is.
    let err = import_file(&mut store, &eml).unwrap_err();
    assert!(err.to_string().contains("--me"), "{err}");

    store
        .set_setting(MY_EMAILS_SETTING, &vec!["jonas.sterr@gmx.net".to_string()])
        .unwrap();
    let outcome = import_file(&mut store, &eml).unwrap();
    assert_eq!(outcome.report.interactions_added, 1, "{outcome:?}");
    let timeline = store
        .timeline("vcard:email:jsterr@proxforge.de", None)
        .unwrap();
    assert_eq!(timeline.len(), 1);
    let mail = &timeline[0].interaction;
    assert_eq!(mail.channel, Channel::Email);
    assert_eq!(mail.direction, Direction::Inbound);
    assert!(!mail.public);
    assert_eq!(
        mail.id,
        "mail:7da78721a8a234894af702fe25fc64a5@proxforge.de"
    );
    assert_eq!(
        import_file(&mut store, &eml)
            .unwrap()
            .report
            .interactions_added,
        0
    );

    // The other real messages name nobody Kith knows: skipped, nothing invented.
    let options = ImportOptions {
        format: Some(Format::Eml),
        ..ImportOptions::default()
    };
    // Dovecot's message whose closing boundary is glued to its last line ("invalid--1--")
    // never closes its multipart: read as a cut file (Python's email reports the same).
    assert_refused(
        &mut store,
        &fixture("mail/dovecot-005.eml"),
        &options,
        "line 32",
    );
    for f in ["dovecot-000.eml", "dovecot-011.eml"] {
        let o = import_with(&mut store, &fixture(&format!("mail/{f}")), &options).unwrap();
        assert_eq!(
            o.report.interactions_added + o.report.contacts_added,
            0,
            "{f}"
        );
    }
}

#[test]
fn an_mbox_threads_replies_and_takes_direction_from_my_address() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in_memory().unwrap();
    let card = dir.path().join("ann.vcf");
    std::fs::write(
        &card,
        "BEGIN:VCARD\nVERSION:4.0\nFN:Ann Lee\nEMAIL:Ann@Example.org\nEND:VCARD\n",
    )
    .unwrap();
    import_file(&mut store, &card).unwrap();
    let mbox = dir.path().join("All mail Including Spam and Trash.mbox");
    std::fs::write(&mbox, "From 1@xxx Mon Jan 01 00:00:00 2024\nX-Gmail-Labels: Inbox\nFrom: Ann Lee <ann@example.org>\nTo: me@example.net\nSubject: Koha serials\nDate: Mon, 1 Jan 2024 10:00:00 +0000\nMessage-ID: <a1@example.org>\n\nHow do you predict issues?\n>From the docs it is unclear.\n\nFrom 2@xxx Mon Jan 01 00:00:00 2024\nX-Gmail-Labels: Sent\nFrom: Me <me@example.net>\nTo: ann@example.org\nSubject: Re: Koha serials\nDate: Mon, 1 Jan 2024 12:00:00 +0000\nMessage-ID: <b2@example.net>\nIn-Reply-To: <a1@example.org>\nReferences: <a1@example.org>\n\nUse the pattern wizard.\n\nFrom 3@xxx Mon Jan 01 00:00:00 2024\nX-Gmail-Labels: Spam\nFrom: spam@example.com\nTo: me@example.net\nSubject: win\nDate: Mon, 1 Jan 2024 13:00:00 +0000\nMessage-ID: <c3@example.com>\n\nx\n").unwrap();
    assert_eq!(detect(&mbox), Format::Mbox);
    let outcome = import_file(&mut store, &mbox).unwrap();
    assert!(
        outcome.notes.iter().any(|n| n.contains("me@example.net")),
        "{outcome:?}"
    );
    assert_eq!(outcome.report.interactions_added, 2);
    let asked = store.interaction("mail:a1@example.org").unwrap();
    let answered = store.interaction("mail:b2@example.net").unwrap();
    assert_eq!(asked.direction, Direction::Inbound);
    assert_eq!(answered.direction, Direction::Outbound);
    assert_eq!(asked.thread, answered.thread);
    assert!(asked.text.starts_with("Koha serials"));
    assert!(asked.text.contains("\nFrom the docs"), "{}", asked.text);
}

#[test]
fn a_two_gigabyte_file_is_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.mbox");
    let f = std::fs::File::create(&path).unwrap();
    f.set_len((2u64 << 30) + 1).unwrap(); // sparse: costs no disk
    let mut store = Store::open_in_memory().unwrap();
    let options = ImportOptions {
        format: Some(Format::Mbox),
        ..ImportOptions::default()
    };
    let msg = assert_refused(&mut store, &path, &options, "the whole file");
    assert!(msg.contains("2048 MB"), "{msg}");
}

#[test]
fn real_bluesky_repositories_give_follows_and_posts() {
    let mut store = Store::open_in_memory().unwrap();
    let green = fixture("bluesky/greenground.repo.car");
    assert_eq!(detect(&green), Format::Bluesky);
    let outcome = import_file(&mut store, &green).unwrap();
    assert_eq!(outcome.report.contacts_added, 2, "{outcome:?}");

    let faker = fixture("bluesky/fakermaker.repo.car");
    let outcome = import_file(&mut store, &faker).unwrap();
    assert!(outcome.report.contacts_added >= 78, "{outcome:?}");
    let follows = store
        .all_contacts()
        .unwrap()
        .into_iter()
        .filter(|c| c.tags.iter().any(|t| t == "bluesky-following"))
        .count();
    assert_eq!(follows, 2 + 78);
    let unresolved = store
        .all_contacts()
        .unwrap()
        .into_iter()
        .find(|c| c.tags.iter().any(|t| t == "unresolved"))
        .unwrap();
    assert!(
        unresolved.name.starts_with("unnamed account did:"),
        "{}",
        unresolved.name
    );
    let again = import_file(&mut store, &faker).unwrap();
    assert_eq!(
        again.report.contacts_added + again.report.interactions_added,
        0
    );

    // A partial repository is read as far as it goes.
    import_file(&mut store, &fixture("bluesky/repo_slice.car")).unwrap();
}

#[test]
fn a_car_with_garbage_blocks_names_the_byte() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = std::fs::read(fixture("bluesky/greenground.repo.car")).unwrap();
    let mut store = Store::open_in_memory().unwrap();
    // A block claiming to be longer than the file.
    let mut cut = bytes.clone();
    cut.extend([0xff, 0xff, 0x03, 0x01, 0x71]);
    let path = dir.path().join("long-block.car");
    std::fs::write(&path, &cut).unwrap();
    assert_refused(&mut store, &path, &ImportOptions::default(), "byte");
    // A block whose data is not CBOR.
    let mut block = vec![0x01, 0x71, 0x12, 0x20];
    block.extend([9u8; 32]);
    block.extend([0xff, 0xff, 0xff]);
    bytes.push(block.len() as u8);
    bytes.extend(block);
    let path = dir.path().join("garbage.car");
    std::fs::write(&path, &bytes).unwrap();
    let msg = assert_refused(&mut store, &path, &ImportOptions::default(), "byte");
    assert!(msg.contains("DAG-CBOR"), "{msg}");
}

#[test]
fn examples_show_a_long_name_shortened() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.vcf");
    let name = "N".repeat(100_000);
    std::fs::write(
        &path,
        format!(
            "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{name}\r\nEMAIL:long@example.org\r\nEND:VCARD\r\n"
        ),
    )
    .unwrap();
    let mut store = kith_core::Store::open_in_memory().unwrap();
    let outcome = kith_core::import::preview(
        &mut store,
        &path,
        &kith_core::import::ImportOptions::default(),
        chrono::Utc::now(),
        &mut |_| true,
    )
    .unwrap();
    assert_eq!(outcome.report.contacts_added, 1);
    assert!(
        outcome.examples.iter().all(|e| e.chars().count() < 200),
        "{:?}",
        outcome.examples.iter().map(|e| e.len()).collect::<Vec<_>>()
    );
}

#[test]
fn google_csv_birthdays_and_events_become_important_dates() {
    use kith_core::DateKind;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("contacts.csv");
    std::fs::write(
        &path,
        "Name,Given Name,Family Name,Birthday,Event 1 - Type,Event 1 - Value,Event 2 - Type,Event 2 - Value,E-mail 1 - Type,E-mail 1 - Value\n\
         Zoë Ōtake,Zoë,Ōtake,1985-04-12,Anniversary,--06-01,Joined the library,2010-09-01,* Work,zoe@example.org\n\
         Ana Lima,Ana,Lima, --02-29,,,,,,ana@example.org\n\
         Bo Chen,Bo,Chen,sometime in May,,,,,,bo@example.org\n",
    )
    .unwrap();
    let mut store = Store::open_in_memory().unwrap();
    let outcome = import_file(&mut store, &path).unwrap();
    assert_eq!(outcome.format, Format::Google);
    let zoe = store.contact("google:email:zoe@example.org").unwrap();
    let got: Vec<(DateKind, String, String)> = zoe
        .dates
        .iter()
        .map(|d| (d.kind, d.label.clone(), d.iso()))
        .collect();
    assert_eq!(
        got,
        [
            (DateKind::Birthday, String::new(), "1985-04-12".into()),
            (DateKind::Anniversary, String::new(), "--06-01".into()),
            (
                DateKind::Other,
                "Joined the library".into(),
                "2010-09-01".into()
            ),
        ]
    );
    let ana = store.contact("google:email:ana@example.org").unwrap();
    assert_eq!(ana.dates[0].iso(), "--02-29");
    let bo = store.contact("google:email:bo@example.org").unwrap();
    assert!(bo.dates.is_empty());
    assert!(
        outcome
            .notes
            .iter()
            .any(|n| n.contains("birthday left out")),
        "{:?}",
        outcome.notes
    );
}
