//! `kith`: the learning network from the terminal. Argument parsing and printing only; every
//! operation is a call into `kith-core`.

mod accounts;
mod attendees;
mod backup;
mod brief;
mod export;
mod import;
mod interrupt;
mod met;
mod output;
mod passphrase;
mod people;
mod suggest;

use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand};
use kith_core::archive::parse_datetime;
use kith_core::session::Session;
use kith_core::{
    Channel, ContactFilter, Direction, Error, InteractionDraft, Moment, RoleKind, Store,
};
use output::{contact_line, one_line, print_json};
use std::io::IsTerminal;
use std::path::PathBuf;
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
    /// Import a file: a Kith JSON archive (all or nothing; the same file twice adds nothing).
    Import(import::ImportArgs),
    /// Export the network: the full JSON archive, or Markdown notes, CSV, vCard or iCalendar.
    Export(export::ExportArgs),
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
    /// Suggestions: conversations that should move to another channel, people to get back in
    /// touch with; dismiss, snooze or accept them.
    Suggest(suggest::SuggestArgs),
    /// Match an attendee list (CSV, one person per line, handles) to your network; --add adds
    /// the certain matches to the event.
    Attendees(attendees::AttendeesArgs),
    /// Before an event: who from your network will be there, what each is to you, what is
    /// open, what to talk about. Markdown, printable HTML or PDF.
    Brief(brief::BriefArgs),
    /// After an event: log the people you met there, each with a note.
    Met(met::MetArgs),
    /// Copy the store now, into the backups folder next to it (or --out FILE).
    Backup(backup::BackupArgs),
    /// List the copies in the backups folder: daily, before imports, before upgrades, manual;
    /// --keep N sets how many daily and before-import copies are kept.
    Backups(backup::BackupsArgs),
    /// Replace the store with a backup, after checking it and keeping the current store.
    Restore(backup::RestoreArgs),
    /// Lock the store and its backups with a passphrase, change it, or remove it. A locked
    /// store is opened with KITH_PASSPHRASE, or asks for it on the terminal.
    Passphrase(passphrase::PassphraseArgs),
    /// Connected accounts (a mailbox, a blog's feed) that keep the network up to date:
    /// add, list, remove.
    Accounts(accounts::AccountsArgs),
    /// Sync connected accounts now (all of them, or those named): only what is new.
    Sync(accounts::SyncArgs),
    /// People syncs met who are not in your network yet: list, add, merge or ignore them.
    People(people::PeopleArgs),
    /// Counts of contacts, interactions and events.
    Stats {
        #[arg(long)]
        json: bool,
    },
    /// Load the sample network (a few dozen librarians, two years of interactions, a conference),
    /// or with --size a generated network of the size Kith is built for.
    Demo {
        /// Only when the store is empty (used by the app's first run).
        #[arg(long)]
        if_empty: bool,
        /// sample: the sample network; busy: 5,000 contacts and 250,000 interactions over ten
        /// years; stress: ten times that.
        #[arg(long, default_value = "sample",
              value_parser = clap::builder::PossibleValuesParser::new(["sample", "busy", "stress"]))]
        size: String,
    },
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
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    let cli = Cli::parse();
    match run(cli) {
        // A sync of some account failed: each failure was told already.
        Ok(()) if accounts::some_failed() => ExitCode::FAILURE,
        Ok(()) => ExitCode::SUCCESS,
        Err(e @ Error::Cancelled(_)) => {
            tell!("kith: {e}");
            ExitCode::from(interrupt::EXIT_STATUS)
        }
        Err(e) => {
            // Messages can quote imported text: they are printed like every other line.
            // The code is for scripts: stable, unlike the words.
            tell!("kith: {e} [{}]", e.code());
            if let Error::Exists { .. } = e {
                tell!("kith: add --force to replace it.");
            }
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<(), Error> {
    let now = Utc::now();
    // These work on the file and the backups folder, even when the store cannot be opened.
    let file_command = matches!(
        &cli.command,
        Command::Backups(backup::BackupsArgs { keep: None, .. })
            | Command::Restore(_)
            | Command::Passphrase(_)
    );
    if file_command {
        let path = backup::store_path(cli.db.clone())?;
        output::tell_tidied(&kith_core::sqlite::recovery::tidy_now(&path)?);
    }
    let command = match cli.command {
        Command::Backups(args) if args.keep.is_none() => {
            return backup::list(&backup::store_path(cli.db)?, args)
        }
        Command::Restore(args) => return backup::restore(&backup::store_path(cli.db)?, args, now),
        Command::Passphrase(args) => return passphrase::run(&backup::store_path(cli.db)?, args),
        // A store locked with a passphrase is not empty: the app's first-run step leaves it
        // alone rather than asking for the passphrase on the terminal.
        Command::Demo { if_empty: true, .. }
            if kith_core::passphrase::is_locked_file(&backup::store_path(cli.db.clone())?)? =>
        {
            say!("The store is locked with a passphrase, so it holds a network; the sample was not loaded.");
            return Ok(());
        }
        command => command,
    };
    let path = match cli.db {
        Some(p) => p,
        None => Store::default_path()?,
    };
    // Every command goes through a session on the store, as the app's calls do: it opens the
    // store (upgrading its schema), unlocks it, and runs the command on the one writer.
    let session = Session::new(path.clone());
    session.open(passphrase::for_store(&path)?)?;
    output::tell_tidied(&session.take_tidied());
    session.make_daily_copy(now);
    let answer = match command {
        // These hold the session themselves: a sync fetches without holding the writer.
        Command::Accounts(args) => accounts::run(&session, args, now),
        Command::People(args) => people::run(&session, args, now),
        Command::Sync(args) => accounts::sync(&session, args, now),
        command => session.write(move |store| execute(store, command, now)),
    };
    // The store is closed before the program goes on to exit.
    drop(session);
    answer
}

/// Runs one command that needs the open store, on the session's writer.
fn execute(store: &mut Store, command: Command, now: DateTime<Utc>) -> Result<(), Error> {
    match command {
        Command::Import(args) => import::run(store, args, now)?,
        Command::Export(args) => export::run(store, args, now)?,
        Command::Attendees(args) => attendees::run(store, args)?,
        Command::Brief(args) => brief::run(store, args, now)?,
        Command::Met(args) => met::run(store, args, now)?,
        Command::Suggest(args) => suggest::run(store, args, now)?,
        Command::Backup(args) => backup::backup(store, args, now)?,
        Command::Backups(args) => backup::keep(store, args)?,
        Command::Restore(_)
        | Command::Passphrase(_)
        | Command::Accounts(_)
        | Command::People(_)
        | Command::Sync(_) => {
            unreachable!("run before the store is opened, or on the session")
        }
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
                limit: None,
            })?;
            if json {
                print_json(&list);
            } else {
                for c in &list {
                    say!("{}", contact_line(c));
                }
                tell!("{} contacts", list.len());
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
                ids.push(resolve_contact(store, name)?);
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
        Command::Demo { if_empty, size } => {
            if if_empty && !store.is_empty()? {
                say!("The store already holds a network; the sample was not loaded.");
                return Ok(());
            }
            if size == "sample" {
                if store.has_demo()? {
                    say!("The sample network is already loaded.");
                    return Ok(());
                }
                let report = store.load_demo(now)?;
                say!("Loaded the sample network: {}", report.summary());
            } else {
                let size: kith_core::synth::Size = size.parse().map_err(Error::invalid)?;
                if store.has_synth()? {
                    say!("A generated network is already loaded.");
                    return Ok(());
                }
                let started = std::time::Instant::now();
                let net = kith_core::synth::sized(size, now);
                let generated = started.elapsed();
                let report = store.load_synth(net, now)?;
                say!(
                    "Loaded the {size} network: {} (generated in {:.1} s, stored in {:.1} s)",
                    report.summary(),
                    generated.as_secs_f64(),
                    (started.elapsed() - generated).as_secs_f64()
                );
            }
        }
    }
    Ok(())
}

/// Finds exactly one contact for a name the user typed.
pub(crate) fn resolve_contact(store: &Store, name: &str) -> Result<(String, String), Error> {
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
