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
    #[arg(long, value_enum)]
    pub format: Option<ImportFormat>,
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

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum ImportFormat {
    /// A Twitter/X archive (.zip or its unpacked folder).
    Twitter,
    /// A Mastodon archive (.zip), or its follows/lists CSV.
    Mastodon,
    /// vCard 2.1, 3.0 or 4.0.
    Vcard,
    /// LinkedIn's Connections.csv.
    Linkedin,
    /// Google Contacts CSV.
    Google,
    /// A mailbox (mbox, e.g. Gmail Takeout).
    Mbox,
    /// One email message (.eml).
    Eml,
    /// A Bluesky repository export (.car).
    Bluesky,
    /// A Kith JSON archive.
    Json,
}

impl From<ImportFormat> for Format {
    fn from(f: ImportFormat) -> Format {
        match f {
            ImportFormat::Twitter => Format::Twitter,
            ImportFormat::Mastodon => Format::Mastodon,
            ImportFormat::Vcard => Format::Vcard,
            ImportFormat::Linkedin => Format::Linkedin,
            ImportFormat::Google => Format::Google,
            ImportFormat::Mbox => Format::Mbox,
            ImportFormat::Eml => Format::Eml,
            ImportFormat::Bluesky => Format::Bluesky,
            ImportFormat::Json => Format::Json,
        }
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
        format: format.map(Format::from),
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
