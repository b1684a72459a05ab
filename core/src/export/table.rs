//! CSV, one row per contact, for spreadsheets.
//!
//! Several values in one cell are joined with "; ". Line breaks inside a cell are written as
//! `\n`; other control characters, which spreadsheets choke on, are dropped. A cell that starts
//! with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading apostrophe, so a
//! spreadsheet shows it as text instead of running it as a formula (handles like `@ana` and
//! numbers like `+64 …` included).

use super::markdown::handles_on;
use super::text::clean;
use super::{rfc3339, role_label, ExportFile, Prepared};
use crate::domain::Platform;
use crate::error::{Error, Result};

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

    let mut writer = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(Vec::new());
    writer.write_record(&header).map_err(csv_error)?;
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
        writer
            .write_record(row.iter().map(|cell| defuse(&clean(cell))))
            .map_err(csv_error)?;
    }
    let body = writer
        .into_inner()
        .map_err(|e| Error::invalid(format!("cannot write the CSV export: {e}")))?;
    let mut bytes = Vec::with_capacity(body.len() + UTF8_BOM.len());
    if bom {
        bytes.extend_from_slice(UTF8_BOM);
    }
    bytes.extend(body);
    Ok(ExportFile {
        path: "contacts.csv".into(),
        bytes,
    })
}

fn csv_error(e: ::csv::Error) -> Error {
    Error::invalid(format!("cannot write the CSV export: {e}"))
}

fn join<S: AsRef<str>>(items: &[S]) -> String {
    items
        .iter()
        .map(|s| s.as_ref().trim())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("; ")
}

/// Guards a cell against spreadsheet formula injection.
fn defuse(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn join_skips_blanks() {
        assert_eq!(join(&["koha", " ", "cataloguing "]), "koha; cataloguing");
    }
}
