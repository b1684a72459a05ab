//! CSV, one row per contact, for spreadsheets.
//!
//! Several values in one cell are joined with "; ". Line breaks inside a cell are written as
//! `\n`; other control characters, which spreadsheets choke on, are dropped. Every cell that
//! holds a `,`, a `;`, a quote or a line break is quoted: spreadsheets set to a language whose
//! list separator is `;` (German, French, Dutch) split unquoted cells at it.
//!
//! Text a spreadsheet would run as a formula, starting with `=`, `+`, `-`, `@`, a tab or a
//! carriage return, gets an apostrophe before it, so it is shown as text (handles like `@ana`
//! and numbers like `+64 …` included). That is done at the start of the cell and at the start
//! of every part a spreadsheet could split it into: after each `,`, `;`, tab and line break
//! (and the spaces and quotes after them), so a file read with the wrong separator runs
//! nothing either.

use super::markdown::handles_on;
use super::text::clean;
use super::{rfc3339, role_label, ExportFile, Prepared};
use crate::domain::Platform;
use crate::error::Result;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

const HANDLE_COLUMNS: [(&str, Platform); 7] = [
    ("email", Platform::Email),
    ("twitter", Platform::Twitter),
    ("mastodon", Platform::Mastodon),
    ("bluesky", Platform::Bluesky),
    ("blog", Platform::Blog),
    ("linkedin", Platform::Linkedin),
    ("phone", Platform::Phone),
];

pub(crate) fn render(p: &Prepared, bom: bool) -> Result<ExportFile> {
    let mut header = vec!["id", "name", "roles", "organisation", "location"];
    header.extend(HANDLE_COLUMNS.iter().map(|(name, _)| *name));
    header.extend([
        "tags",
        "expertise",
        "met_where",
        "met_on",
        "met_through",
        "notes",
    ]);
    if p.include_private {
        header.push("private_notes");
    }
    header.extend(["interaction_count", "last_interaction_at"]);

    let mut body = String::new();
    write_record(&mut body, header.iter().map(|h| h.to_string()));
    for (n, contact) in p.contacts.iter().enumerate() {
        let shown = &p.shown[n];
        let roles: Vec<String> = contact.roles.iter().map(role_label).collect();
        let mut row = vec![
            contact.id.clone(),
            contact.name.clone(),
            join(&roles),
            contact.organisation.clone(),
            contact.location.clone(),
        ];
        row.extend(
            HANDLE_COLUMNS
                .iter()
                .map(|(_, platform)| join(&handles_on(contact, *platform))),
        );
        row.extend([
            join(&contact.tags),
            join(&contact.expertise),
            contact.met_where.clone(),
            contact.met_on.map(|d| d.to_string()).unwrap_or_default(),
            contact.met_through.clone(),
            contact.notes.clone(),
        ]);
        if p.include_private {
            row.push(contact.private_notes.clone());
        }
        row.push(shown.len().to_string());
        row.push(
            shown
                .first()
                .map(|i| rfc3339(i.occurred_at))
                .unwrap_or_default(),
        );
        write_record(&mut body, row.iter().map(|cell| defuse(&clean(cell))));
    }
    let mut bytes = Vec::with_capacity(body.len() + UTF8_BOM.len());
    if bom {
        bytes.extend_from_slice(UTF8_BOM);
    }
    bytes.extend(body.into_bytes());
    Ok(ExportFile {
        path: "contacts.csv".into(),
        bytes,
    })
}

/// One line of the file: the cells, quoted where needed, separated by commas, ended by CRLF.
fn write_record(out: &mut String, cells: impl Iterator<Item = String>) {
    for (n, cell) in cells.enumerate() {
        if n > 0 {
            out.push(',');
        }
        if cell.contains([',', ';', '"', '\r', '\n']) {
            out.push('"');
            out.push_str(&cell.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(&cell);
        }
    }
    out.push_str("\r\n");
}

fn join<S: AsRef<str>>(items: &[S]) -> String {
    items
        .iter()
        .map(|s| s.as_ref().trim())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("; ")
}

/// Guards a cell against spreadsheet formula injection: an apostrophe before a formula
/// prefix at the start of the cell and after every `,`, `;`, tab or line break in it (spaces
/// and quotes between them skipped).
fn defuse(cell: &str) -> String {
    let mut out = String::with_capacity(cell.len() + 1);
    let mut part_starts = true;
    for c in cell.chars() {
        if part_starts && matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r') {
            out.push('\'');
        }
        out.push(c);
        part_starts = match c {
            ',' | ';' | '\n' | '\r' | '\t' => true,
            // A quote can open a quoted field where a separator split the cell.
            ' ' | '"' => part_starts,
            _ => false,
        };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::ExportInput;

    #[test]
    fn formula_cells_are_defused() {
        assert_eq!(
            defuse("=HYPERLINK(\"http://x\")"),
            "'=HYPERLINK(\"http://x\")"
        );
        assert_eq!(defuse("+64 21 555"), "'+64 21 555");
        assert_eq!(defuse("-2+3"), "'-2+3");
        assert_eq!(defuse("@ana"), "'@ana");
        assert_eq!(defuse("\tx"), "'\tx");
        assert_eq!(defuse("\rx"), "'\rx");
        assert_eq!(defuse("Ana = peer"), "Ana = peer");
        assert_eq!(defuse(""), "");
    }

    #[test]
    fn formulas_after_a_separator_are_defused() {
        assert_eq!(defuse("Ana;=cmd|' /C calc'!A0"), "Ana;'=cmd|' /C calc'!A0");
        assert_eq!(defuse("koha; @ana, -2+3"), "koha; '@ana, '-2+3");
        assert_eq!(defuse("x,+1;\t@y"), "x,'+1;'\t'@y");
        assert_eq!(defuse("one\n=two"), "one\n'=two");
        assert_eq!(defuse("a-b, c=d; e"), "a-b, c=d; e");
        assert_eq!(defuse("x;\"=y\""), "x;\"'=y\"");
    }

    #[test]
    fn cells_with_either_separator_are_quoted() {
        let mut line = String::new();
        let cells = ["plain", "a;b", "a,b", "say \"hi\"", "two\nlines", ""];
        write_record(&mut line, cells.iter().map(|c| c.to_string()));
        assert_eq!(
            line,
            "plain,\"a;b\",\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\r\n"
        );
    }

    /// Read with `;` as the separator, as a spreadsheet in a German, French or Dutch locale
    /// reads it, a rendered file has no field a spreadsheet would run.
    #[test]
    fn no_field_starts_a_formula_whichever_separator_is_used() {
        use crate::export::fixtures;
        let mut c = fixtures::contact("c1", "Ana;=HYPERLINK(\"http://x\")");
        c.notes = "fine; =1+1, +2\n@SUM(A1)".into();
        c.tags = vec!["koha".into(), "=cmd".into(), "-x".into()];
        c.organisation = "Library, =evil; -too;\"=quoted\"".into();
        let contacts = [c];
        let input = ExportInput {
            contacts: &contacts,
            interactions: &[],
            events: &[],
            todos: &[],
            now: fixtures::now(),
        };
        let p = Prepared::new(&input, false);
        let file = render(&p, false).unwrap();
        for separator in [b';', b',', b'\t'] {
            let mut reader = ::csv::ReaderBuilder::new()
                .delimiter(separator)
                .has_headers(false)
                .flexible(true)
                .from_reader(file.bytes.as_slice());
            for record in reader.records() {
                for field in record.unwrap().iter() {
                    assert!(
                        !field.starts_with(['=', '+', '-', '@', '\t', '\r']),
                        "{field:?} read with {:?}",
                        separator as char
                    );
                }
            }
        }
    }

    #[test]
    fn join_skips_blanks() {
        assert_eq!(join(&["koha", " ", "cataloguing "]), "koha; cataloguing");
    }
}
