//! `kith export`: the JSON archive (a full backup) and the sharing formats.

use crate::output::write_out;
use chrono::{DateTime, Utc};
use kith_core::archive::Archive;
use kith_core::export::{render, ExportFormat, ExportInput, ExportOptions, Todo};
use kith_core::suggest::{keep_in_touch, SuggestSettings};
use kith_core::{Error, Store};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct ExportArgs {
    /// json (full backup), markdown, csv, vcard or ics.
    #[arg(long, default_value = "json", value_parser = parse_format)]
    pub format: Format,
    /// A file to write; for markdown, a folder with one note per contact (created if missing).
    /// Without it the export goes to standard output.
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
    /// Include private notes and private interactions in a sharing format.
    #[arg(long)]
    pub include_private: bool,
    /// Only this contact (a name, id or handle); repeat for several.
    #[arg(long, value_name = "NAME")]
    pub contact: Vec<String>,
    /// Only contacts with this tag.
    #[arg(long)]
    pub tag: Option<String>,
    /// Markdown: one combined document instead of a note per contact.
    #[arg(long)]
    pub combined: bool,
    /// CSV: start with a UTF-8 byte-order mark, so spreadsheets read accents correctly.
    #[arg(long)]
    pub bom: bool,
}

#[derive(Clone, Copy)]
pub enum Format {
    Json,
    Share(ExportFormat),
}

fn parse_format(s: &str) -> Result<Format, String> {
    if s.eq_ignore_ascii_case("json") {
        return Ok(Format::Json);
    }
    s.parse::<ExportFormat>()
        .map(Format::Share)
        .map_err(|_| format!("unknown format {s:?} (expected json, markdown, csv, vcard or ics)"))
}

pub fn run(store: &Store, args: ExportArgs, now: DateTime<Utc>) -> Result<(), Error> {
    let format = match args.format {
        Format::Json => {
            if !args.contact.is_empty() || args.tag.is_some() {
                return Err(Error::invalid(
                    "the JSON archive is a full backup of everything; to share some contacts, \
                     choose markdown, csv, vcard or ics",
                ));
            }
            let json = Archive::from_store(store, now)?.to_json();
            write_out(args.out.as_deref(), json.as_bytes())?;
            if let Some(out) = &args.out {
                eprintln!("Wrote the full archive to {}", out.display());
            }
            return Ok(());
        }
        Format::Share(f) => f,
    };

    let mut contacts = store.all_contacts()?;
    if !args.contact.is_empty() {
        let mut wanted = HashSet::new();
        for name in &args.contact {
            wanted.insert(crate::resolve_contact(store, name)?.0);
        }
        contacts.retain(|c| wanted.contains(&c.id));
    }
    if let Some(tag) = args.tag.as_deref() {
        contacts.retain(|c| c.tags.iter().any(|t| t.eq_ignore_ascii_case(tag.trim())));
        if contacts.is_empty() {
            return Err(Error::invalid(format!("no contact has the tag {tag:?}")));
        }
    }
    let chosen: HashSet<&str> = contacts.iter().map(|c| c.id.as_str()).collect();
    let interactions: Vec<_> = store
        .all_interactions()?
        .into_iter()
        .filter(|i| i.contact_ids.iter().any(|c| chosen.contains(c.as_str())))
        .collect();
    let everyone = args.contact.is_empty() && args.tag.is_none();
    let events: Vec<_> = store
        .list_events()?
        .into_iter()
        .filter(|e| everyone || e.attendee_ids.iter().any(|a| chosen.contains(a.as_str())))
        .collect();
    let mut todos = follow_ups(&contacts, &interactions, now);
    // Accepted suggestions with a due date are to-dos too.
    for plan in store.follow_ups()? {
        let (Some(due), Some(who)) = (plan.due_on, plan.contact_id.as_deref()) else {
            continue;
        };
        if chosen.contains(who) {
            todos.push(Todo {
                id: format!("follow-up-{}", plan.suggestion_id),
                contact_id: Some(who.to_string()),
                summary: plan.summary,
                description: plan.note,
                due,
            });
        }
    }

    let output = render(
        format,
        &ExportInput {
            contacts: &contacts,
            interactions: &interactions,
            events: &events,
            todos: &todos,
            now,
        },
        &ExportOptions {
            include_private: args.include_private,
            csv_bom: args.bom,
            markdown_combined: args.combined,
        },
    )?;

    match (&args.out, format) {
        (Some(dir), ExportFormat::Markdown) if !args.combined => {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
            for file in &output.files {
                write_out(Some(&dir.join(&file.path)), &file.bytes)?;
            }
            eprintln!("Wrote {} notes to {}", output.files.len(), dir.display());
        }
        (out, _) => {
            let bytes: Vec<u8> = output
                .files
                .iter()
                .flat_map(|f| f.bytes.iter().copied())
                .collect();
            write_out(out.as_deref().map(Path::new), &bytes)?;
            if let Some(out) = out {
                eprintln!("Wrote {}", out.display());
            }
        }
    }
    if let Some(note) = output.left_out.describe() {
        eprintln!("{note}");
    }
    Ok(())
}

/// Follow-ups due for the exported contacts, from their keep-in-touch cadence.
fn follow_ups(
    contacts: &[kith_core::Contact],
    interactions: &[kith_core::Interaction],
    now: DateTime<Utc>,
) -> Vec<Todo> {
    keep_in_touch(contacts, interactions, now, &SuggestSettings::default())
        .into_iter()
        .filter(|s| s.overdue_days > -14)
        .map(|s| Todo {
            id: format!("keep-in-touch-{}-{}", s.contact_id, s.due_on),
            contact_id: Some(s.contact_id.clone()),
            summary: format!("Get back in touch with {}", s.name),
            description: match s.last_interaction_at {
                Some(last) => format!(
                    "Last in touch on {}; you aim for every {} days.",
                    last.format("%Y-%m-%d"),
                    s.cadence_days
                ),
                None => format!("You aim to be in touch every {} days.", s.cadence_days),
            },
            due: s.due_on,
        })
        .collect()
}
