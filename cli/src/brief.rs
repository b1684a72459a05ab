//! `kith brief`: everything to know before an event, in any of the core's [`BriefFormat`]s.

use crate::output::write_out;
use chrono::{DateTime, Utc};
use kith_core::archive::parse_datetime;
use kith_core::brief::{self, BriefFormat};
use kith_core::{Error, Store};
use std::io::IsTerminal;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct BriefArgs {
    /// The event: its name (or the start of it) or its id.
    pub event: String,
    /// The format (an extension names it too: md, htm). Without it the --out file's extension
    /// decides, and Markdown otherwise.
    #[arg(long, value_parser = FormatParser)]
    pub format: Option<BriefFormat>,
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

/// Reads `--format` with the core's one list of briefing formats ([`BriefFormat::ALL`]), which
/// the app shares, so the command takes every format the app saves, and the help lists them.
#[derive(Clone)]
pub struct FormatParser;

impl clap::builder::TypedValueParser for FormatParser {
    type Value = BriefFormat;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        _arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<BriefFormat, clap::Error> {
        let text = value
            .to_str()
            .ok_or_else(|| clap::Error::new(clap::error::ErrorKind::InvalidUtf8).with_cmd(cmd))?;
        text.parse::<BriefFormat>().map_err(|m| {
            clap::Error::raw(clap::error::ErrorKind::InvalidValue, format!("{m}\n")).with_cmd(cmd)
        })
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(BriefFormat::ALL.iter().map(|f| {
            clap::builder::PossibleValue::new(f.name()).help(f.label())
        })))
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
    // The format is named, or the file's extension names it, as the app's save dialog does.
    let format = args
        .format
        .or_else(|| args.out.as_deref().and_then(BriefFormat::from_path))
        .unwrap_or(BriefFormat::Markdown);
    if !format.is_text() && args.out.is_none() && std::io::stdout().is_terminal() {
        return Err(Error::invalid(format!(
            "a {} is not for the terminal: pass --out FILE, or redirect the output to a file",
            format.label()
        )));
    }
    let bytes = format.render(&briefing)?;
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
