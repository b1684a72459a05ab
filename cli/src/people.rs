//! `kith people new|add|merge|ignore`: the New people inbox, people a sync met who are not
//! in the network yet.

use crate::output::{one_line, print_json};
use crate::say;
use chrono::{DateTime, Local, Utc};
use clap::{Args, Subcommand};
use kith_core::session::Session;
use kith_core::Error;

#[derive(Args)]
pub struct PeopleArgs {
    #[command(subcommand)]
    action: Action,
}

#[derive(Subcommand)]
enum Action {
    /// Who syncs met that is not in your network yet: where, how many times, and whom they
    /// may be.
    New {
        #[arg(long)]
        json: bool,
    },
    /// Add a new person as a contact, with the messages and comments held for them.
    Add { id: String },
    /// Give a new person's addresses to a contact you have (and what was held for them).
    Merge {
        id: String,
        /// The contact's name or id.
        #[arg(long, value_name = "CONTACT")]
        into: String,
    },
    /// Leave a new person out for good: later syncs never offer them again.
    Ignore { id: String },
}

pub fn run(session: &Session, args: PeopleArgs, now: DateTime<Utc>) -> Result<(), Error> {
    match args.action {
        Action::New { json } => {
            let people = session.read(|s| s.new_people())?;
            if json {
                print_json(&people);
            } else if people.is_empty() {
                say!("Nobody new.");
            } else {
                for p in &people {
                    let handles: Vec<&str> = p.handles.iter().map(|h| h.value.as_str()).collect();
                    let name = if p.name.is_empty() {
                        "(no name)"
                    } else {
                        &p.name
                    };
                    let mut line = format!(
                        "{}  {:<24} {:<32} seen {} time{} in {}, last {}",
                        p.id,
                        one_line(name, 24),
                        one_line(&handles.join(", "), 32),
                        p.times,
                        if p.times == 1 { "" } else { "s" },
                        p.seen_in.join("; "),
                        p.last_seen.with_timezone(&Local).format("%Y-%m-%d"),
                    );
                    if let Some(l) = &p.likely {
                        line.push_str(&format!(
                            "  maybe {} ({}): kith people merge {} --into {}",
                            l.contact_name, l.reason, p.id, l.contact_id
                        ));
                    }
                    say!("{line}");
                }
            }
        }
        Action::Add { id } => {
            let contact = session.write(move |s| s.add_new_person(&id, now))?;
            say!("Added {} ({}).", contact.name, contact.id);
        }
        Action::Merge { id, into } => {
            let (contact_id, _) = session.read(move |s| crate::resolve_contact(s, &into))?;
            let contact = session.write(move |s| s.merge_new_person(&id, &contact_id, now))?;
            say!("Merged into {} ({}).", contact.name, contact.id);
        }
        Action::Ignore { id } => {
            let shown = id.clone();
            session.write(move |s| s.ignore_new_person(&id))?;
            say!("Ignored {shown}: later syncs will not offer them again.");
        }
    }
    Ok(())
}
