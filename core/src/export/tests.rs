use super::fixtures::{
    self, network, Network, INJECTION_NAME, PRIVATE_NOTE, PRIVATE_TEXT, QUOTED_NAME,
};
use super::*;

fn run(format: ExportFormat, net: &Network, opts: ExportOptions) -> ExportOutput {
    let input = ExportInput {
        contacts: &net.contacts,
        interactions: &net.interactions,
        events: &net.events,
        todos: &net.todos,
        now: fixtures::now(),
    };
    render(format, &input, &opts).expect("export renders")
}

fn sharing() -> ExportOptions {
    ExportOptions::default()
}

fn private() -> ExportOptions {
    ExportOptions {
        include_private: true,
        ..ExportOptions::default()
    }
}

fn all_text(out: &ExportOutput) -> String {
    out.files
        .iter()
        .map(|f| String::from_utf8(f.bytes.clone()).expect("exports are UTF-8"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn file<'a>(out: &'a ExportOutput, path: &str) -> &'a str {
    let f = out
        .files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("no {path} in {:?}", paths(out)));
    std::str::from_utf8(&f.bytes).expect("UTF-8")
}

fn paths(out: &ExportOutput) -> Vec<&str> {
    out.files.iter().map(|f| f.path.as_str()).collect()
}

// ---- privacy -------------------------------------------------------------------------------

#[test]
fn sharing_exports_leave_private_data_out_and_count_it() {
    let net = network();
    for format in [
        ExportFormat::Markdown,
        ExportFormat::Csv,
        ExportFormat::Vcard,
    ] {
        let out = run(format, &net, sharing());
        let text = all_text(&out);
        assert!(!text.contains("new job"), "{format:?} leaks a private note");
        assert!(
            !text.contains("State Library"),
            "{format:?} leaks a private interaction"
        );
        assert!(
            !text.contains("Private to Mallory"),
            "{format:?} leaks a private interaction"
        );
        assert_eq!(out.left_out.private_notes, 1, "{format:?}");
    }
    let md = run(ExportFormat::Markdown, &net, sharing());
    assert_eq!(md.left_out.private_interactions, 2);
    let csv = run(ExportFormat::Csv, &net, sharing());
    assert_eq!(csv.left_out.private_interactions, 2);
    // A vCard never holds interactions, so none were held back.
    let vcf = run(ExportFormat::Vcard, &net, sharing());
    assert_eq!(vcf.left_out.private_interactions, 0);
    assert_eq!(
        run(ExportFormat::Ics, &net, sharing()).left_out,
        LeftOut::default()
    );
}

#[test]
fn include_private_includes_everything() {
    let net = network();
    let md = run(ExportFormat::Markdown, &net, private());
    let text = all_text(&md);
    assert!(text.contains("new job; do not mention"));
    assert!(text.contains("State Library"));
    assert!(text.contains("Private to Mallory"));
    assert!(md.left_out.is_empty());
    let vcf = all_text(&run(ExportFormat::Vcard, &net, private())).replace("\r\n ", "");
    assert!(vcf.contains("new job\\; do not"));
    assert!(all_text(&run(ExportFormat::Csv, &net, private())).contains(PRIVATE_NOTE));
}

#[test]
fn left_out_is_described_for_people() {
    let both = LeftOut {
        private_notes: 3,
        private_interactions: 12,
    };
    assert_eq!(
        both.describe().as_deref(),
        Some("Left out 3 private notes and 12 private interactions: private data is only exported when asked.")
    );
    let one = LeftOut {
        private_notes: 1,
        private_interactions: 0,
    };
    assert_eq!(
        one.describe().as_deref(),
        Some("Left out 1 private note: private data is only exported when asked.")
    );
    let interactions = LeftOut {
        private_notes: 0,
        private_interactions: 1,
    };
    assert_eq!(
        interactions.describe().as_deref(),
        Some("Left out 1 private interaction: private data is only exported when asked.")
    );
    assert_eq!(LeftOut::default().describe(), None);
}

#[test]
fn a_contact_passed_twice_is_refused() {
    let mut net = network();
    net.contacts.push(net.contacts[0].clone());
    let input = ExportInput {
        contacts: &net.contacts,
        interactions: &net.interactions,
        events: &net.events,
        todos: &net.todos,
        now: fixtures::now(),
    };
    let err = render(ExportFormat::Csv, &input, &sharing()).expect_err("duplicate refused");
    assert_eq!(err.code(), "invalid_input");
}

#[test]
fn formats_parse_from_their_names() {
    for format in ExportFormat::ALL {
        assert_eq!(format.as_str().parse::<ExportFormat>(), Ok(format));
    }
    assert_eq!("VCF".parse::<ExportFormat>(), Ok(ExportFormat::Vcard));
    assert!("json".parse::<ExportFormat>().is_err());
}

// ---- Markdown ------------------------------------------------------------------------------

#[test]
fn markdown_writes_one_safe_uniquely_named_file_per_contact() {
    let out = run(ExportFormat::Markdown, &network(), sharing());
    let names = paths(&out);
    assert_eq!(names.len(), 4);
    assert_eq!(names[0], "Ana Koha 1.md");
    assert_eq!(
        names[1],
        "Mallory END VCARD BEGIN VCARD FN Injected --- Heading.md"
    );
    assert!(names[2].starts_with("Tāne 🦉 Mahuta 👩\u{200D}💻 āāā"));
    assert!(names[2].len() < 200, "long names are cut");
    assert_eq!(names[3], "ana koha 1 (2).md");
    for name in names {
        assert!(!name.starts_with('.'));
        assert!(!name.contains(['/', '\\', ':', '"', '<', '>', '|', '?', '*']));
        assert!(!name.chars().any(char::is_control));
    }
}

fn front_matter(note: &str) -> &str {
    let rest = note
        .strip_prefix("---\n")
        .expect("front matter opens the note");
    let end = rest.find("\n---\n").expect("front matter is closed");
    &rest[..=end]
}

#[test]
fn markdown_front_matter_holds_every_field_and_hostile_text_stays_inside_its_quotes() {
    let out = run(ExportFormat::Markdown, &network(), sharing());
    let ana = front_matter(file(&out, "Ana Koha 1.md"));
    let expected = r##"id: "c1"
name: "Ana: \"Koha\" #1"
roles:
  - kind: "mentor"
    direction: "they_advise_me"
    topics:
      - "Koha serials"
      - "career"
    acknowledged: true
handles:
  twitter:
    - "@ana_koha"
  mastodon:
    - "@ana@glammr.us"
  email:
    - "ana@example.org"
    - "ana.ruiz@example.edu"
  blog:
    - "ana.example.net"
  phone:
    - "+64 21 555 0101"
organisation: "Libraries; Archives, \\ Museums"
location: "Wellington, Aotearoa New Zealand"
tags:
  - "koha"
  - "- yes"
  - "null"
expertise:
  - "Koha serials"
  - "MARC, RDA"
met:
  where: "VALA2024"
  "on": 2024-02-13
  through: "#auslibchat"
first_interaction: 2024-11-05
last_interaction: 2025-01-10
interaction_count: 2
"##;
    assert_eq!(ana, expected);

    let mallory = front_matter(file(
        &out,
        "Mallory END VCARD BEGIN VCARD FN Injected --- Heading.md",
    ));
    assert!(mallory
        .contains("name: \"Mallory\\nEND:VCARD\\nBEGIN:VCARD\\nFN:Injected\\n---\\n# Heading\"\n"));
    for line in mallory.lines() {
        assert!(
            line.starts_with(|c: char| c.is_ascii_lowercase() || c == ' ' || c == '"'),
            "stray front matter line {line:?}"
        );
    }
}

#[test]
fn markdown_body_shows_text_as_text_and_interactions_newest_first() {
    let net = network();
    let out = run(ExportFormat::Markdown, &net, private());
    let ana = file(&out, "Ana Koha 1.md");
    let body = &ana[ana.find("\n---\n").expect("closed") + 5..];
    assert!(body.starts_with("\n# Ana: \"Koha\" #1\n"));
    assert!(body.contains("## Notes\n\nKoha expert.\n\\# Not a heading\n\\=HYPERLINK"));
    assert!(body.contains("\\<script\\>alert(1)\\</script\\>"));
    assert!(!body.contains("<script>"));
    assert!(body.contains(&format!("## Private notes\n\n{PRIVATE_NOTE}\n")));
    let newest = body
        .find("### 2025-02-01 08:00 UTC · email · outbound · private")
        .expect("i2");
    let middle = body
        .find("### 2025-01-10 20:15 UTC · Twitter/X · outbound")
        .expect("i1");
    let oldest = body.find("### 2024-11-05 12:00 UTC").expect("i3");
    assert!(newest < middle && middle < oldest);
    assert!(body.contains("- With: c9 (not in this export)\n- Tags: #auslibchat\n- Thread: t1\n"));
    assert!(body.contains("> Thanks for the Koha tip!\n> \\## Fake section\n> \\> quoted\n"));
    assert!(body.contains(&format!("> {PRIVATE_TEXT}\n")));
    // The other participant is named, on one line, escaped.
    assert!(body.contains("- With: Mallory END:VCARD BEGIN:VCARD FN:Injected --- # Heading\n"));
    assert!(!body
        .lines()
        .any(|l| l == "## Fake section" || l == "END:VCARD"));
}

#[test]
fn markdown_without_notes_or_interactions_has_no_empty_sections() {
    let net = network();
    let out = run(ExportFormat::Markdown, &net, sharing());
    let dup = file(&out, "ana koha 1 (2).md");
    assert!(!dup.contains("## Notes"));
    assert!(!dup.contains("## Interactions"));
    assert!(dup.contains("interaction_count: 0\n"));
    assert!(dup.contains("first_interaction: null\n"));
}

#[test]
fn markdown_combined_is_one_document_with_a_section_per_contact() {
    let net = network();
    let opts = ExportOptions {
        markdown_combined: true,
        ..sharing()
    };
    let out = run(ExportFormat::Markdown, &net, opts);
    assert_eq!(paths(&out), ["contacts.md"]);
    let doc = file(&out, "contacts.md");
    assert!(doc.starts_with("---\ntitle: \"Kith contacts\"\ncontacts: 4\n---\n\n# Kith contacts\n"));
    assert!(doc.contains("\n## Ana: \"Koha\" #1\n\n- ID: c1\n- Roles: mentor (acknowledged): Koha serials, career\n- Twitter/X: @ana\\_koha\n"));
    assert!(doc.contains("- Email: ana@example.org, ana.ruiz@example.edu\n"));
    assert!(doc.contains("- Met: at VALA2024, on 2024-02-13, through #auslibchat\n"));
    assert!(doc.contains("### Notes\n"));
    assert!(doc.contains("#### 2025-01-10 20:15 UTC"));
    assert_eq!(doc.matches("\n## ").count(), 4);
    assert!(!doc.contains("new job"));
    assert_eq!(out.left_out.private_notes, 1);
}

// ---- CSV -----------------------------------------------------------------------------------

fn csv_rows(out: &ExportOutput) -> (Vec<String>, Vec<Vec<String>>) {
    let bytes = &out.files[0].bytes;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = ::csv::Reader::from_reader(bytes);
    let header = reader
        .headers()
        .expect("header")
        .iter()
        .map(String::from)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.expect("row").iter().map(String::from).collect())
        .collect();
    (header, rows)
}

fn cell<'a>(header: &[String], row: &'a [String], column: &str) -> &'a str {
    let n = header
        .iter()
        .position(|h| h == column)
        .unwrap_or_else(|| panic!("{column}"));
    &row[n]
}

#[test]
fn csv_has_one_row_per_contact_and_values_survive() {
    let net = network();
    let out = run(ExportFormat::Csv, &net, sharing());
    assert_eq!(paths(&out), ["contacts.csv"]);
    assert!(!out.files[0].bytes.starts_with(b"\xEF\xBB\xBF"));
    let (header, rows) = csv_rows(&out);
    assert_eq!(
        header.join(","),
        "id,name,roles,organisation,location,email,twitter,mastodon,bluesky,blog,linkedin,phone,\
         tags,expertise,met_where,met_on,met_through,notes,interaction_count,last_interaction_at"
    );
    assert_eq!(rows.len(), 4);
    let ana = &rows[0];
    assert_eq!(cell(&header, ana, "name"), QUOTED_NAME);
    assert_eq!(
        cell(&header, ana, "roles"),
        "mentor (acknowledged): Koha serials, career"
    );
    assert_eq!(
        cell(&header, ana, "organisation"),
        "Libraries; Archives, \\ Museums"
    );
    assert_eq!(
        cell(&header, ana, "email"),
        "ana@example.org; ana.ruiz@example.edu"
    );
    assert_eq!(cell(&header, ana, "twitter"), "'@ana_koha");
    assert_eq!(cell(&header, ana, "mastodon"), "'@ana@glammr.us");
    assert_eq!(cell(&header, ana, "phone"), "'+64 21 555 0101");
    // A tag starting with "-" is defused after the separator too: a spreadsheet splitting
    // the cell at ";" would otherwise read "- yes" as a formula.
    assert_eq!(cell(&header, ana, "tags"), "koha; '- yes; null");
    assert_eq!(cell(&header, ana, "expertise"), "Koha serials; MARC, RDA");
    assert_eq!(cell(&header, ana, "met_on"), "2024-02-13");
    assert_eq!(cell(&header, ana, "met_through"), "#auslibchat");
    assert!(cell(&header, ana, "notes").contains("\n'=HYPERLINK"));
    assert_eq!(cell(&header, ana, "interaction_count"), "2");
    assert_eq!(
        cell(&header, ana, "last_interaction_at"),
        "2025-01-10T20:15:00Z"
    );
    let mallory = &rows[1];
    // The "---" starting a line of the name is defused like the start of the cell.
    assert_eq!(
        cell(&header, mallory, "name"),
        INJECTION_NAME.replace("\n---", "\n'---")
    );
    assert_eq!(
        cell(&header, mallory, "organisation"),
        "'=cmd|' /C calc'!A0"
    );
    assert_eq!(
        cell(&header, mallory, "notes"),
        "line one\nline two[31m red"
    );
    assert_eq!(cell(&header, mallory, "roles"), "peer");
    assert_eq!(cell(&header, mallory, "interaction_count"), "1");
    let long = &rows[2];
    assert_eq!(cell(&header, long, "name"), net.contacts[2].name);
    assert_eq!(
        cell(&header, long, "notes"),
        "evil\u{202E}txt.exe and Ze\u{200B}ro width"
    );
    assert_eq!(cell(&header, long, "interaction_count"), "0");
    assert_eq!(cell(&header, long, "last_interaction_at"), "");
}

#[test]
fn csv_with_private_data_and_a_byte_order_mark() {
    let net = network();
    let opts = ExportOptions {
        include_private: true,
        csv_bom: true,
        ..ExportOptions::default()
    };
    let out = run(ExportFormat::Csv, &net, opts);
    assert!(out.files[0].bytes.starts_with(b"\xEF\xBB\xBFid,name,"));
    let (header, rows) = csv_rows(&out);
    assert_eq!(header[18], "private_notes");
    assert_eq!(cell(&header, &rows[0], "private_notes"), PRIVATE_NOTE);
    assert_eq!(cell(&header, &rows[0], "interaction_count"), "3");
    assert_eq!(
        cell(&header, &rows[0], "last_interaction_at"),
        "2025-02-01T08:00:00Z"
    );
    assert_eq!(cell(&header, &rows[1], "interaction_count"), "2");
}

// ---- vCard and iCalendar -------------------------------------------------------------------

/// Checks RFC line rules and returns the unfolded lines.
fn physical_lines_ok(text: &str) -> Vec<String> {
    assert!(text.ends_with("\r\n"));
    let body = &text[..text.len() - 2];
    for line in body.split("\r\n") {
        assert!(line.len() <= 75, "line of {} octets: {line:?}", line.len());
        assert!(!line.contains(['\r', '\n']), "bare line break in {line:?}");
        assert!(
            line.starts_with(|c: char| c.is_ascii_uppercase() || c == ' '),
            "line is neither a property nor a fold: {line:?}"
        );
    }
    body.replace("\r\n ", "")
        .split("\r\n")
        .map(String::from)
        .collect()
}

#[test]
fn vcard_lines_are_escaped_and_folded() {
    let net = network();
    let out = run(ExportFormat::Vcard, &net, sharing());
    assert_eq!(paths(&out), ["contacts.vcf"]);
    let text = file(&out, "contacts.vcf");
    let lines = physical_lines_ok(text);
    assert_eq!(lines.iter().filter(|l| *l == "BEGIN:VCARD").count(), 4);
    assert_eq!(lines.iter().filter(|l| *l == "END:VCARD").count(), 4);
    assert_eq!(lines.iter().filter(|l| *l == "VERSION:4.0").count(), 4);
    for expected in [
        "FN:Ana: \"Koha\" #1",
        "N:#1;Ana: \"Koha\";;;",
        "UID:urn:kith:c1",
        "ORG:Libraries\\; Archives\\, \\\\ Museums",
        "ADR:;;;Wellington\\, Aotearoa New Zealand;;;",
        "EMAIL:ana@example.org",
        "EMAIL:ana.ruiz@example.edu",
        "TEL;VALUE=TEXT:+64 21 555 0101",
        "URL:https://ana.example.net",
        "X-SOCIALPROFILE;TYPE=twitter:https://twitter.com/ana_koha",
        "X-SOCIALPROFILE;TYPE=mastodon:https://glammr.us/@ana",
        "X-SOCIALPROFILE;TYPE=bluesky:https://bsky.app/profile/mallory.bsky.social",
        "URL:https://www.linkedin.com/in/mallory",
        "CATEGORIES:mentor,koha,- yes,null",
        "EXPERTISE:MARC\\, RDA",
        "NOTE:Koha expert.\\n# Not a heading\\n=HYPERLINK(\"http://evil.example\"\\,\"x\")\\n<script>alert(1)</script>",
        "REV:20240506T070800Z",
        "FN:Mallory END:VCARD BEGIN:VCARD FN:Injected --- # Heading",
        "NOTE:line one\\nline two[31m red",
        "NOTE:evil\u{202E}txt.exe and Ze\u{200B}ro width",
    ] {
        assert!(lines.iter().any(|l| l == expected), "missing {expected:?}");
    }
}

#[test]
fn vcard_reads_back_with_a_parser() {
    let net = network();
    let out = run(ExportFormat::Vcard, &net, private());
    let text = file(&out, "contacts.vcf");
    let mut parser = calcard::Parser::new(text);
    let mut names = Vec::new();
    loop {
        match parser.entry() {
            calcard::Entry::VCard(card) => {
                let fn_ = card
                    .property(&calcard::vcard::VCardProperty::Fn)
                    .and_then(|e| e.values.first())
                    .and_then(|v| v.as_text())
                    .expect("FN")
                    .to_string();
                let note = card
                    .property(&calcard::vcard::VCardProperty::Note)
                    .and_then(|e| e.values.first())
                    .and_then(|v| v.as_text())
                    .map(String::from);
                names.push((fn_, note));
            }
            calcard::Entry::Eof => break,
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(names.len(), 4);
    assert_eq!(names[0].0, QUOTED_NAME);
    assert_eq!(
        names[0]
            .1
            .as_deref()
            .map(|n| n.ends_with(&format!("Private notes:\n{PRIVATE_NOTE}"))),
        Some(true)
    );
    assert_eq!(
        names[2].0, net.contacts[2].name,
        "a 10 kB name survives folding"
    );
    assert_eq!(names[3].1, None);
}

#[test]
fn icalendar_has_all_day_events_and_todos() {
    let net = network();
    let out = run(ExportFormat::Ics, &net, sharing());
    assert_eq!(paths(&out), ["kith.ics"]);
    let text = file(&out, "kith.ics");
    let lines = physical_lines_ok(text);
    assert_eq!(lines.first().map(String::as_str), Some("BEGIN:VCALENDAR"));
    assert_eq!(lines.last().map(String::as_str), Some("END:VCALENDAR"));
    for expected in [
        "VERSION:2.0",
        "PRODID:-//Kith//Kith exports//EN",
        "BEGIN:VEVENT",
        "UID:e1@kith",
        "DTSTAMP:20250314T092600Z",
        "DTSTART;VALUE=DATE:20260210",
        "DTEND;VALUE=DATE:20260213",
        "SUMMARY:VALA2026\\; Libraries\\, \\\\ Tech",
        "LOCATION:Melbourne Convention Centre\\, Melbourne",
        "DESCRIPTION:Hashtags: #VALA2026 #auslibchat\\n\\nAttendees: Ana: \"Koha\" #1\\, Mallory END:VCARD BEGIN:VCARD FN:Injected --- # Heading and 1 more not in this export\\n\\nSay hi to Ana.\\nBring cards.",
        "CATEGORIES:conference",
        "END:VEVENT",
        "BEGIN:VTODO",
        "UID:t1@kith",
        "DUE;VALUE=DATE:20250320",
        "SUMMARY:Follow up with Ana: \"Koha\" #1",
        "CONTACT:Ana: \"Koha\" #1",
        "STATUS:NEEDS-ACTION",
        "END:VTODO",
    ] {
        assert!(lines.iter().any(|l| l == expected), "missing {expected:?} in {lines:#?}");
    }
    match calcard::Parser::new(text).entry() {
        calcard::Entry::ICalendar(cal) => assert_eq!(cal.components.len(), 3),
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn an_event_ending_before_it_starts_still_lasts_a_day() {
    let mut net = network();
    net.events[0].ends_on = fixtures::day(2026, 2, 1);
    let out = run(ExportFormat::Ics, &net, sharing());
    let lines = physical_lines_ok(file(&out, "kith.ics"));
    assert!(lines.iter().any(|l| l == "DTEND;VALUE=DATE:20260211"));
}

#[test]
fn exports_of_nothing_are_valid_and_empty() {
    let empty = Network {
        contacts: vec![],
        interactions: vec![],
        events: vec![],
        todos: vec![],
    };
    assert!(run(ExportFormat::Markdown, &empty, sharing())
        .files
        .is_empty());
    let (header, rows) = csv_rows(&run(ExportFormat::Csv, &empty, sharing()));
    assert_eq!(header.len(), 20);
    assert!(rows.is_empty());
    assert!(run(ExportFormat::Vcard, &empty, sharing()).files[0]
        .bytes
        .is_empty());
    let ics = run(ExportFormat::Ics, &empty, sharing());
    let lines = physical_lines_ok(file(&ics, "kith.ics"));
    assert_eq!(lines.len(), 5);
}
