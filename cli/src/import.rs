//! `kith import`: read a file into the store, all or nothing.

use chrono::{DateTime, Utc};
use kith_core::import::{self, Format, ImportOptions, ImportOutcome, Progress};
use kith_core::{Error, Store};
use std::io::IsTerminal;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct ImportArgs {
    /// The file (or unpacked Twitter/X archive folder) to import.
    pub file: Option<PathBuf>,
    /// Force the format instead of detecting it from the content.
    #[arg(long, value_parser = FormatParser)]
    pub format: Option<Format>,
    /// Your own email address, so mail from you counts as sent; remembered for next time.
    /// Repeat for several.
    #[arg(long, value_name = "ADDRESS")]
    pub me: Vec<String>,
    /// Show what the import would add, update and merge, without changing anything.
    #[arg(long)]
    pub dry_run: bool,
    /// Print the outcome as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Reads `--format` with the core's own list of formats ([`Format::ALL`]), so the command
/// takes every format the core imports, and the help lists them.
#[derive(Clone)]
pub struct FormatParser;

impl clap::builder::TypedValueParser for FormatParser {
    type Value = Format;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        _arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<Format, clap::Error> {
        let text = value
            .to_str()
            .ok_or_else(|| clap::Error::new(clap::error::ErrorKind::InvalidUtf8).with_cmd(cmd))?;
        text.parse::<Format>().map_err(|m| {
            clap::Error::raw(clap::error::ErrorKind::InvalidValue, format!("{m}\n")).with_cmd(cmd)
        })
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(Format::ALL.iter().map(|f| {
            clap::builder::PossibleValue::new(f.as_str()).help(f.label())
        })))
    }
}

pub fn run(store: &mut Store, args: ImportArgs, now: DateTime<Utc>) -> Result<(), Error> {
    let ImportArgs {
        file,
        format,
        me,
        dry_run,
        json,
    } = args;
    // A dry run changes nothing, the remembered addresses included: they are used for that
    // preview only.
    let remember = !dry_run || file.is_none();
    if !me.is_empty() && remember {
        let known = import::remember_my_emails(store, &me)?;
        if file.is_none() {
            crate::say!("Your addresses: {}", known.join(", "));
            return Ok(());
        }
    }
    let Some(file) = file else {
        return Err(Error::invalid("name the file to import (kith import FILE)"));
    };
    let options = ImportOptions {
        format,
        my_emails: me.iter().map(|a| a.trim().to_lowercase()).collect(),
        ..ImportOptions::default()
    };
    let mut bar = ProgressBar::new();
    let mut on_progress = |p: Progress| {
        bar.show(&p);
        true
    };
    let outcome = if dry_run {
        import::preview(store, &file, &options, now, &mut on_progress)
    } else {
        import::import(store, &file, &options, now, &mut on_progress)
    };
    bar.finish();
    let outcome = outcome?;
    if json {
        crate::output::print_json(&outcome);
        return Ok(());
    }
    print_outcome(&file, &outcome);
    Ok(())
}

fn print_outcome(file: &std::path::Path, o: &ImportOutcome) {
    let verb = if o.committed {
        "Imported"
    } else {
        "Would import"
    };
    crate::say!(
        "{verb} {} ({}): {}",
        file.display(),
        o.format.label(),
        o.report.summary()
    );
    if o.merged > 0 {
        crate::say!("{} contacts recognised as people already known", o.merged);
    }
    if o.skipped > 0 {
        crate::say!(
            "{} items skipped (not a conversation with anyone)",
            o.skipped
        );
    }
    for e in &o.examples {
        crate::say!("  {e}");
    }
    for n in &o.notes {
        crate::say!("Note: {n}");
    }
}

/// A progress bar on stderr, only when stderr is a terminal.
struct ProgressBar {
    bar: Option<indicatif::ProgressBar>,
    stage: String,
}

impl ProgressBar {
    fn new() -> ProgressBar {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = indicatif::ProgressBar::new(0);
            bar.set_style(
                indicatif::ProgressStyle::with_template("{msg:<28} [{bar:30}] {pos}/{len}")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                    .progress_chars("=> "),
            );
            bar
        });
        ProgressBar {
            bar,
            stage: String::new(),
        }
    }

    fn show(&mut self, p: &Progress) {
        let Some(bar) = &self.bar else {
            return;
        };
        if p.stage != self.stage {
            self.stage = p.stage.clone();
            bar.set_message(p.stage.clone());
        }
        bar.set_length(p.total.unwrap_or(p.done.max(1)));
        bar.set_position(p.done);
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
