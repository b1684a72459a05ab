//! `kith export`: the JSON archive (a full backup) and the sharing formats.

use crate::output::{write_out, write_out_with};
use crate::tell;
use chrono::{DateTime, Utc};
use kith_core::archive::Archive;
use kith_core::export::{gather, render, ExportFormat, ExportOptions, ExportScope};
use kith_core::{Error, Store};
use std::path::{Path, PathBuf};

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
    let format = match args.format {
        Format::Json => {
            if !args.contact.is_empty() || args.tag.is_some() {
                return Err(Error::invalid(
                    "the JSON archive is a full backup of everything; to share some contacts, \
                     choose markdown, csv, vcard or ics",
                ));
            }
            let archive = Archive::from_store(store, now)?;
            write_out_with(args.out.as_deref(), |w| archive.write_json(w))?;
            if let Some(out) = &args.out {
                tell!("Wrote the full archive to {}", out.display());
            }
            return Ok(());
        }
        Format::Share(f) => f,
    };

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
    // The options decide what is gathered too: keep-in-touch dates are counted only from
    // the interactions the export includes.
    let gathered = gather(store, &scope, &options, now)?;
    let output = render(format, &gathered.input(now), &options)?;

    match (&args.out, format) {
        (Some(dir), ExportFormat::Markdown) if !args.combined => {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
            for file in &output.files {
                write_out(Some(&dir.join(&file.path)), &file.bytes)?;
            }
            tell!("Wrote {} notes to {}", output.files.len(), dir.display());
        }
        (out, _) => {
            let bytes: Vec<u8> = output
                .files
                .iter()
                .flat_map(|f| f.bytes.iter().copied())
                .collect();
            write_out(out.as_deref().map(Path::new), &bytes)?;
            if let Some(out) = out {
                tell!("Wrote {}", out.display());
            }
        }
    }
    if let Some(note) = output.left_out.describe() {
        tell!("{note} Add --include-private to include it.");
    }
    Ok(())
}
