//! `kith met`: after an event, log everyone you met there in one go.
//!
//! `kith met "Code4Lib 2025" --contact "Ana Lima" --note "Talked serials" --contact Eli`
//! Each `--note` belongs to the `--contact` before it; a contact without one gets an empty
//! note.

use crate::output::one_line;
use crate::{resolve_contact, say};
use chrono::{DateTime, Utc};
use clap::{Arg, ArgAction, ArgMatches, Args, Command, FromArgMatches};
use kith_core::archive::parse_datetime;
use kith_core::{Error, Store};

pub struct MetArgs {
    pub event: String,
    /// (name, note) in the order given.
    pub people: Vec<(String, String)>,
    pub at: Option<String>,
}

impl FromArgMatches for MetArgs {
    fn from_arg_matches(m: &ArgMatches) -> Result<Self, clap::Error> {
        let event = m.get_one::<String>("event").cloned().unwrap_or_default();
        let contacts: Vec<(usize, String)> = indexed(m, "contact");
        let notes: Vec<(usize, String)> = indexed(m, "note");
        if let (Some((first_note, _)), Some((first_contact, _))) = (notes.first(), contacts.first())
        {
            if first_note < first_contact {
                return Err(clap::Error::raw(
                    clap::error::ErrorKind::ArgumentConflict,
                    "each --note follows the --contact it is about\n",
                ));
            }
        }
        let mut people: Vec<(String, String)> = Vec::with_capacity(contacts.len());
        for (k, (pos, name)) in contacts.iter().enumerate() {
            let next = contacts.get(k + 1).map_or(usize::MAX, |(p, _)| *p);
            let mine: Vec<&String> = notes
                .iter()
                .filter(|(n, _)| n > pos && *n < next)
                .map(|(_, note)| note)
                .collect();
            if mine.len() > 1 {
                return Err(clap::Error::raw(
                    clap::error::ErrorKind::ArgumentConflict,
                    format!(
                        "{name:?} has {} notes; give one --note per --contact\n",
                        mine.len()
                    ),
                ));
            }
            let note = mine.first().map(|n| n.to_string()).unwrap_or_default();
            people.push((name.clone(), note));
        }
        Ok(MetArgs {
            event,
            people,
            at: m.get_one::<String>("at").cloned(),
        })
    }

    fn update_from_arg_matches(&mut self, m: &ArgMatches) -> Result<(), clap::Error> {
        *self = MetArgs::from_arg_matches(m)?;
        Ok(())
    }
}

fn indexed(m: &ArgMatches, id: &str) -> Vec<(usize, String)> {
    match (m.indices_of(id), m.get_many::<String>(id)) {
        (Some(idx), Some(values)) => idx.zip(values.cloned()).collect(),
        _ => Vec::new(),
    }
}

impl Args for MetArgs {
    fn augment_args(cmd: Command) -> Command {
        cmd.arg(
            Arg::new("event")
                .required(true)
                .value_name("EVENT")
                .help("The event: its name (or the start of it) or its id"),
        )
        .arg(
            Arg::new("contact")
                .long("contact")
                .value_name("NAME")
                .action(ArgAction::Append)
                .required(true)
                .help("Someone you met (a name, id or handle); repeat for each person"),
        )
        .arg(
            Arg::new("note")
                .long("note")
                .value_name("TEXT")
                .action(ArgAction::Append)
                .help("What you talked about; belongs to the --contact before it"),
        )
        .arg(
            Arg::new("at")
                .long("at")
                .value_name("TIME")
                .help("When you met (RFC 3339); default now"),
        )
    }

    fn augment_args_for_update(cmd: Command) -> Command {
        Self::augment_args(cmd)
    }
}

pub fn run(store: &mut Store, args: MetArgs, now: DateTime<Utc>) -> Result<(), Error> {
    let event = store.find_event(&args.event)?;
    let when = match &args.at {
        Some(t) => parse_datetime(t).map_err(|m| Error::invalid(format!("--at: {m}")))?,
        None => now,
    };
    let mut entries = Vec::with_capacity(args.people.len());
    let mut names = Vec::with_capacity(args.people.len());
    for (name, note) in &args.people {
        let (id, found) = resolve_contact(store, name)?;
        entries.push((id, note.clone()));
        names.push(found);
    }
    let logged = store.log_met_at_event(&event.id, &entries, when)?;
    for (i, name) in logged.iter().zip(&names) {
        say!(
            "Met {} at {} on {} ({})",
            one_line(name, 40),
            one_line(&event.name, 40),
            i.occurred_at.format("%Y-%m-%d"),
            i.id
        );
    }
    Ok(())
}
