//! `kith attendees`: match an attendee list (an organisers' CSV, a speaker list, handles seen
//! on the hashtag) against the network, and add the certain matches to the event.

use crate::output::{one_line, print_json};
use crate::{say, tell};
use kith_core::attendee_match::{read_attendee_file, read_attendee_list, MatchKind};
use kith_core::{Error, Store};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct AttendeesArgs {
    /// The event: its name (or the start of it) or its id.
    pub event: String,
    /// The list: a CSV with name, email or handle columns, or one person per line. `-` reads
    /// standard input.
    pub file: PathBuf,
    /// Add the certain matches (by email, handle or exact name) to the event's attendees.
    /// Possible matches are only listed: check them and add them yourself.
    #[arg(long)]
    pub add: bool,
    #[arg(long)]
    pub json: bool,
}

fn read_list(path: &std::path::Path) -> Result<String, Error> {
    if path.as_os_str() == "-" {
        read_attendee_list(std::io::stdin(), "standard input")
    } else {
        read_attendee_file(path)
    }
}

pub fn run(store: &mut Store, args: AttendeesArgs) -> Result<(), Error> {
    let event = store.find_event(&args.event)?;
    let text = read_list(&args.file)?;
    let matches = store.match_attendee_list(&text)?;
    let added = if args.add {
        Some(store.add_matched_attendees(&event.id, &matches)?)
    } else {
        None
    };
    if args.json {
        print_json(&serde_json::json!({ "matches": matches, "added": added }));
        return Ok(());
    }
    for m in &matches {
        let who = match (&m.contact_name, &m.contact_id) {
            (Some(name), Some(id)) => format!("{} ({id})", one_line(name, 40)),
            _ => "—".to_string(),
        };
        say!(
            "{:<9} {:<50} {}",
            m.how.as_str(),
            who,
            one_line(&m.entry, 70)
        );
    }
    let count = |k: MatchKind| matches.iter().filter(|m| m.how == k).count();
    let certain = matches.iter().filter(|m| m.how.is_certain()).count();
    tell!(
        "{} entries: {certain} matched, {} possible, {} not in your network",
        matches.len(),
        count(MatchKind::Possible),
        count(MatchKind::None)
    );
    match added {
        Some(a) => tell!(
            "Added {} to {} ({} were already attending).",
            a.added.len(),
            one_line(&a.event.name, 60),
            a.already.len()
        ),
        None if certain > 0 => {
            tell!("Run again with --add to add the matched people to the event.")
        }
        None => {}
    }
    Ok(())
}
