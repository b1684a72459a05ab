//! `kith`: the learning network from the terminal. Argument parsing and printing only; every
//! operation is a call into `kith-core`.

use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand, ValueEnum};
use kith_core::archive::{parse_datetime, Archive};
use kith_core::{
    Channel, ContactFilter, Direction, Error, InteractionDraft, Moment, RoleKind, Store,
};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "kith",
    version,
    about = "Kith: your personal learning network, kept on your machine."
)]
struct Cli {
    /// The store file (default: the OS data folder, e.g. ~/.local/share/kith/kith.sqlite3).
    #[arg(long, global = true, env = "KITH_DB", value_name = "PATH")]
    db: Option<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Import a Kith JSON archive (all or nothing; importing the same file twice adds nothing).
    Import {
        file: PathBuf,
        /// Force the format instead of detecting it from the content.
        #[arg(long, value_enum)]
        format: Option<ImportFormat>,
    },
    /// Export the network.
    Export {
        #[arg(long, value_enum, default_value = "json")]
        format: ExportFormat,
        /// Write to this file instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// List contacts, optionally filtered.
    Contacts {
        #[arg(long, value_parser = parse_role)]
        role: Option<RoleKind>,
        #[arg(long)]
        tag: Option<String>,
        /// Only people you have been in touch with on this channel.
        #[arg(long, value_parser = parse_channel)]
        channel: Option<Channel>,
        #[arg(long)]
        json: bool,
    },
    /// Search names, handles, notes and the text of every interaction.
    Search {
        query: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// Log an interaction with a contact.
    Log {
        /// The contact's name (or id, or a handle such as @name).
        #[arg(long, value_name = "NAME")]
        contact: Vec<String>,
        #[arg(long, value_parser = parse_channel)]
        channel: Channel,
        #[arg(long, value_parser = parse_direction)]
        direction: Option<Direction>,
        /// When it happened (RFC 3339, e.g. 2025-03-01T09:30:00+13:00); default now.
        #[arg(long, value_name = "TIME")]
        at: Option<String>,
        /// Log it as a mentoring moment: asked, advised or received.
        #[arg(long, value_parser = parse_moment)]
        moment: Option<Moment>,
        /// Mark it public (default: public on Twitter/X, Mastodon, Bluesky, blogs, listservs).
        #[arg(long, conflicts_with = "private")]
        public: bool,
        #[arg(long)]
        private: bool,
        /// A tag or hashtag; repeat for several.
        #[arg(long = "tag")]
        tags: Vec<String>,
        /// The conversation it belongs to.
        #[arg(long)]
        thread: Option<String>,
        /// What was said, or a summary.
        text: Vec<String>,
    },
    /// Counts of contacts, interactions and events.
    Stats {
        #[arg(long)]
        json: bool,
    },
    /// Load the sample network (a few dozen librarians, two years of interactions, a conference).
    Demo {
        /// Only when the store is empty (used by the app's first run).
        #[arg(long)]
        if_empty: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum ImportFormat {
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum ExportFormat {
    Json,
}

/// Prints a line to standard output; a closed pipe (`kith contacts | head`) ends quietly.
macro_rules! say {
    () => { say!("") };
    ($($arg:tt)*) => {{
        let mut out = std::io::stdout().lock();
        if writeln!(out, $($arg)*).is_err() {
            std::process::exit(0);
        }
    }};
}

fn parse_channel(s: &str) -> Result<Channel, String> {
    s.parse()
}
fn parse_direction(s: &str) -> Result<Direction, String> {
    s.parse()
}
fn parse_role(s: &str) -> Result<RoleKind, String> {
    s.parse()
}
fn parse_moment(s: &str) -> Result<Moment, String> {
    s.parse()
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("KITH_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("kith: {e}");
            ExitCode::FAILURE
        }
    }
}

fn open(db: Option<PathBuf>) -> Result<Store, Error> {
    let path = match db {
        Some(p) => p,
        None => Store::default_path()?,
    };
    Store::open(path)
}

fn run(cli: Cli) -> Result<(), Error> {
    let now = Utc::now();
    let mut store = open(cli.db)?;
    match cli.command {
        Command::Import { file, format } => {
            let _ = format; // JSON is the only format so far; detection follows the content.
            let archive = Archive::read(&file)?;
            let report = store.import_archive(archive, now)?;
            say!("Imported {}: {}", file.display(), report.summary());
        }
        Command::Export { format, out } => match format {
            ExportFormat::Json => {
                let json = Archive::from_store(&store, now)?.to_json();
                write_out(out.as_deref(), json.as_bytes())?;
                if let Some(out) = out {
                    eprintln!("Wrote {}", out.display());
                }
            }
        },
        Command::Contacts {
            role,
            tag,
            channel,
            json,
        } => {
            let list = store.list_contacts(&ContactFilter {
                query: None,
                role,
                channel,
                tag,
            })?;
            if json {
                print_json(&list);
            } else {
                for c in &list {
                    say!("{}", contact_line(c));
                }
                eprintln!("{} contacts", list.len());
            }
        }
        Command::Search { query, json } => {
            let query = query.join(" ");
            let results = store.search(&query)?;
            if json {
                print_json(&results);
            } else {
                if results.contacts.is_empty() && results.interactions.is_empty() {
                    say!("Nothing matches {query:?}.");
                }
                for c in &results.contacts {
                    say!("{}", contact_line(c));
                }
                if !results.interactions.is_empty() {
                    say!();
                    for entry in &results.interactions {
                        let i = &entry.interaction;
                        say!(
                            "{}  {:<10} {}  {}",
                            i.occurred_at.format("%Y-%m-%d"),
                            i.channel.label(),
                            entry.contact_names.join(", "),
                            one_line(&i.text, 80)
                        );
                    }
                }
            }
        }
        Command::Log {
            contact,
            channel,
            direction,
            at,
            moment,
            public,
            private,
            tags,
            thread,
            text,
        } => {
            if contact.is_empty() {
                return Err(Error::invalid("name the contact with --contact NAME"));
            }
            let mut ids = Vec::new();
            for name in &contact {
                ids.push(resolve_contact(&store, name)?);
            }
            let occurred_at: DateTime<Utc> = match at {
                Some(t) => parse_datetime(&t).map_err(|m| Error::invalid(format!("--at: {m}")))?,
                None => now,
            };
            let direction = direction
                .or(moment.map(Moment::direction))
                .unwrap_or(Direction::Outbound);
            let saved = store.save_interaction(InteractionDraft {
                id: None,
                contact_ids: ids.iter().map(|(id, _)| id.clone()).collect(),
                channel,
                direction,
                occurred_at,
                public: if public {
                    Some(true)
                } else if private {
                    Some(false)
                } else {
                    None
                },
                text: text.join(" "),
                thread,
                tags,
                moment,
            })?;
            let names: Vec<&str> = ids.iter().map(|(_, n)| n.as_str()).collect();
            say!(
                "Logged {} {} with {} ({})",
                saved.direction.as_str(),
                saved.channel.label(),
                names.join(", "),
                saved.id
            );
        }
        Command::Stats { json } => {
            let stats = store.stats()?;
            if json {
                print_json(&stats);
            } else {
                say!(
                    "{} contacts, {} interactions, {} events",
                    stats.contacts,
                    stats.interactions,
                    stats.events
                );
            }
        }
        Command::Demo { if_empty } => {
            if if_empty && !store.is_empty()? {
                say!("The store already holds a network; the sample was not loaded.");
                return Ok(());
            }
            if store.has_demo()? {
                say!("The sample network is already loaded.");
                return Ok(());
            }
            let report = store.load_demo(now)?;
            say!("Loaded the sample network: {}", report.summary());
        }
    }
    Ok(())
}

/// Finds exactly one contact for a name the user typed.
fn resolve_contact(store: &Store, name: &str) -> Result<(String, String), Error> {
    let found = store.find_contacts_by_name(name)?;
    match found.as_slice() {
        [] => Err(Error::not_found("contact", name)),
        [one] => Ok(one.clone()),
        many => Err(Error::Ambiguous(format!(
            "{name:?} matches {} contacts: {}. Use the full name or the id.",
            many.len(),
            many.iter()
                .take(8)
                .map(|(id, n)| format!("{n} ({id})"))
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

fn contact_line(c: &kith_core::ContactSummary) -> String {
    let roles: Vec<&str> = c.roles.iter().map(|r| r.as_str()).collect();
    let last = c
        .last_interaction_at
        .map(|t| t.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| "never".into());
    format!(
        "{:<28} {:<22} {:<34} last {}  ({} interactions)",
        c.name,
        roles.join(","),
        one_line(&c.organisation, 34),
        last,
        c.interaction_count
    )
}

fn one_line(text: &str, max: usize) -> String {
    let flat: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if flat.chars().count() <= max {
        flat
    } else {
        let cut: String = flat.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

fn print_json<T: serde::Serialize>(value: &T) {
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    say!("{text}");
}

/// Writes to the file, or to standard output. A file is written beside its final name and
/// renamed into place, so a failed export never leaves half a file.
fn write_out(out: Option<&Path>, bytes: &[u8]) -> Result<(), Error> {
    match out {
        None => std::io::stdout()
            .write_all(bytes)
            .map_err(|e| Error::io("standard output", e)),
        Some(path) => {
            let tmp = path.with_extension("kith-partial");
            std::fs::write(&tmp, bytes).map_err(|e| Error::io(&tmp, e))?;
            std::fs::rename(&tmp, path).map_err(|e| Error::io(path, e))
        }
    }
}
