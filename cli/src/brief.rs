//! `kith brief`: everything to know before an event, as Markdown, printable HTML or PDF.

use crate::output::write_out;
use chrono::{DateTime, Utc};
use kith_core::archive::parse_datetime;
use kith_core::brief;
use kith_core::{Error, Store};
use std::io::IsTerminal;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct BriefArgs {
    /// The event: its name (or the start of it) or its id.
    pub event: String,
    /// md (Markdown), html (printable, self-contained) or pdf.
    #[arg(long, default_value = "md", value_parser = parse_format)]
    pub format: Format,
    /// A file to write; without it the briefing goes to standard output (a PDF only when
    /// standard output is not a terminal).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Prepare the briefing as of this time (RFC 3339) instead of now.
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
    /// Print the briefing's data as JSON instead.
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
    /// Replace the --out file if it is already there; without it the briefing is not written.
    #[arg(long, requires = "out")]
    pub force: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Format {
    Markdown,
    Html,
    Pdf,
}

fn parse_format(s: &str) -> Result<Format, String> {
    match s.trim().to_ascii_lowercase().as_str() {
        "md" | "markdown" => Ok(Format::Markdown),
        "html" | "htm" => Ok(Format::Html),
        "pdf" => Ok(Format::Pdf),
        _ => Err(format!("unknown format {s:?} (expected md, html or pdf)")),
    }
}

pub fn run(store: &Store, args: BriefArgs, now: DateTime<Utc>) -> Result<(), Error> {
    let at = match &args.at {
        Some(t) => parse_datetime(t).map_err(|m| Error::invalid(format!("--at: {m}")))?,
        None => now,
    };
    let event = store.find_event(&args.event)?;
    let briefing = brief::briefing(store, &event.id, at)?;
    if args.json {
        let text = serde_json::to_string_pretty(&briefing)
            .map_err(|e| Error::invalid(format!("the briefing cannot be written as JSON: {e}")))?;
        return write_out(
            args.out.as_deref(),
            args.force,
            format!("{text}\n").as_bytes(),
        );
    }
    let bytes = match args.format {
        Format::Markdown => brief::markdown::render(&briefing).into_bytes(),
        Format::Html => brief::html::render(&briefing).into_bytes(),
        Format::Pdf => {
            if args.out.is_none() && std::io::stdout().is_terminal() {
                return Err(Error::invalid(
                    "a PDF is not for the terminal: pass --out FILE, or redirect the output \
                     to a file",
                ));
            }
            brief::pdf::render(&briefing)?
        }
    };
    write_out(args.out.as_deref(), args.force, &bytes)?;
    if let Some(path) = &args.out {
        let people = briefing.meet_in_person.len() + briefing.met_before.len();
        crate::tell!(
            "Wrote the briefing for {} ({people} attendees from your network, {} likely there) to {}",
            crate::output::one_line(&event.name, 80),
            briefing.likely_there.len(),
            path.display()
        );
    }
    Ok(())
}
