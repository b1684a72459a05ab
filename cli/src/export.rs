//! `kith export`: the JSON archive (a full backup) and the sharing formats.

use crate::output::write_stdout;
use crate::tell;
use chrono::{DateTime, Utc};
use kith_core::archive::Archive;
use kith_core::export::{
    export_to_path, gather, render, ExportFormat, ExportKind, ExportOptions, ExportScope,
};
use kith_core::{Error, Store};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct ExportArgs {
    /// json (full backup), markdown, csv, vcard or ics.
    #[arg(long, default_value = "json", value_parser = parse_format)]
    pub format: Format,
    /// A file to write; for markdown, a folder with one note per contact (created if missing).
    /// Without it the export goes to standard output.
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
    /// Include private notes and private interactions in a sharing format.
    #[arg(long)]
    pub include_private: bool,
    /// Only this contact (a name, id or handle); repeat for several.
    #[arg(long, value_name = "NAME")]
    pub contact: Vec<String>,
    /// Only contacts with this tag.
    #[arg(long)]
    pub tag: Option<String>,
    /// Markdown: one combined document instead of a note per contact.
    #[arg(long)]
    pub combined: bool,
    /// CSV: start with a UTF-8 byte-order mark, so spreadsheets read accents correctly.
    #[arg(long)]
    pub bom: bool,
    /// iCalendar: also export to-dos that were due more than 30 days ago.
    #[arg(long)]
    pub include_overdue: bool,
    /// Replace files that are already there. Without it an export that would replace a file
    /// (or, for markdown, any note in the folder) writes nothing and fails.
    #[arg(long)]
    pub force: bool,
}

#[derive(Clone, Copy)]
pub enum Format {
    Json,
    Share(ExportFormat),
}

fn parse_format(s: &str) -> Result<Format, String> {
    if s.eq_ignore_ascii_case("json") {
        return Ok(Format::Json);
    }
    s.parse::<ExportFormat>()
        .map(Format::Share)
        .map_err(|_| format!("unknown format {s:?} (expected json, markdown, csv, vcard or ics)"))
}

pub fn run(store: &Store, args: ExportArgs, now: DateTime<Utc>) -> Result<(), Error> {
    if matches!(args.format, Format::Json) && (!args.contact.is_empty() || args.tag.is_some()) {
        return Err(Error::invalid(
            "the JSON archive is a full backup of everything; to share some contacts, \
             choose markdown, csv, vcard or ics",
        ));
    }
    let scope = if !args.contact.is_empty() {
        let mut ids = Vec::with_capacity(args.contact.len());
        for name in &args.contact {
            ids.push(crate::resolve_contact(store, name)?.0);
        }
        ExportScope::Contacts { ids }
    } else if let Some(tag) = &args.tag {
        ExportScope::Tag { tag: tag.clone() }
    } else {
        ExportScope::Everyone
    };
    let options = ExportOptions {
        include_private: args.include_private,
        csv_bom: args.bom,
        markdown_combined: args.combined,
        include_overdue: args.include_overdue,
    };
    let Some(out) = &args.out else {
        return to_stdout(store, args.format, &scope, &options, now);
    };
    let kind = match args.format {
        Format::Json => ExportKind::Json,
        Format::Share(ExportFormat::Markdown) => ExportKind::Markdown,
        Format::Share(ExportFormat::Csv) => ExportKind::Csv,
        Format::Share(ExportFormat::Vcard) => ExportKind::Vcard,
        Format::Share(ExportFormat::Ics) => ExportKind::Ics,
    };
    // The same writing as the app's: a file already there is refused unless --force, and
    // each file is written whole under a unique temporary name, then renamed into place.
    let done = export_to_path(store, kind, &scope, &options, out, args.force, now)?;
    match kind {
        ExportKind::Json => tell!("Wrote the full archive to {}", out.display()),
        _ if kind.writes_folder(&options) => {
            tell!("Wrote {} notes to {}", done.files, out.display())
        }
        _ => tell!("Wrote {}", out.display()),
    }
    if let Some(note) = done.left_out_note {
        tell!("{note} Add --include-private to include it.");
    }
    Ok(())
}

/// The export on standard output: the archive, or every file of a sharing format in turn.
fn to_stdout(
    store: &Store,
    format: Format,
    scope: &ExportScope,
    options: &ExportOptions,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    let format = match format {
        Format::Json => {
            let archive = Archive::from_store(store, now)?;
            return write_stdout(|w| archive.write_json(w));
        }
        Format::Share(f) => f,
    };
    let gathered = gather(store, scope, options, now)?;
    let output = render(format, &gathered.input(now), options)?;
    write_stdout(|w| {
        for file in &output.files {
            w.write_all(&file.bytes)?;
        }
        Ok(())
    })?;
    if let Some(note) = output.left_out.describe() {
        tell!("{note} Add --include-private to include it.");
    }
    Ok(())
}
