//! `kith attendees`: match an attendee list (an organisers' CSV, a speaker list, handles seen
//! on the hashtag) against the network, and add the certain matches to the event.

use crate::output::{one_line, print_json};
use crate::say;
use kith_core::events_match::MatchKind;
use kith_core::{Error, Store};
use std::io::Read;
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

/// Lists bigger than this are refused rather than read into memory.
const MAX_BYTES: u64 = 20 * 1024 * 1024;

fn read_list(path: &PathBuf) -> Result<String, Error> {
    let mut bytes = Vec::new();
    if path.as_os_str() == "-" {
        std::io::stdin()
            .take(MAX_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| Error::io("standard input", e))?;
    } else {
        std::fs::File::open(path)
            .and_then(|f| f.take(MAX_BYTES + 1).read_to_end(&mut bytes))
            .map_err(|e| Error::io(path, e))?;
    }
    if bytes.len() as u64 > MAX_BYTES {
        return Err(Error::invalid(format!(
            "{}: the list is larger than {} MB; split it",
            path.display(),
            MAX_BYTES / 1024 / 1024
        )));
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
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
    eprintln!(
        "{} entries: {certain} matched, {} possible, {} not in your network",
        matches.len(),
        count(MatchKind::Possible),
        count(MatchKind::None)
    );
    match added {
        Some(a) => eprintln!(
            "Added {} to {} ({} were already attending).",
            a.added.len(),
            one_line(&a.event.name, 60),
            a.already.len()
        ),
        None if certain > 0 => {
            eprintln!("Run again with --add to add the matched people to the event.")
        }
        None => {}
    }
    Ok(())
}
