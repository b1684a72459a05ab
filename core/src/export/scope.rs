//! What to export (everyone, some contacts, a tag) and writing an export to disk without ever
//! replacing a file the user did not agree to replace. Shared by the CLI and the app; the
//! writing itself is [`crate::files`].

use super::{render, ExportFormat, ExportInput, ExportOptions, LeftOut, Todo};
use crate::archive::Archive;
use crate::error::{Error, Result};
use crate::files;
use crate::suggest::{keep_in_touch, SuggestSettings};
use crate::{Contact, Event, Interaction, Store};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use specta::Type;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Whose notes to export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ExportScope {
    Everyone,
    /// These contacts (ids; merged contacts' old ids work too).
    Contacts {
        ids: Vec<String>,
    },
    /// Every contact with this tag.
    Tag {
        tag: String,
    },
}

/// The records an export of a scope holds.
#[derive(Debug, Clone, Default)]
pub struct Gathered {
    pub contacts: Vec<Contact>,
    pub interactions: Vec<Interaction>,
    pub events: Vec<Event>,
    pub todos: Vec<Todo>,
}

impl Gathered {
    pub fn input(&self, now: DateTime<Utc>) -> ExportInput<'_> {
        ExportInput {
            contacts: &self.contacts,
            interactions: &self.interactions,
            events: &self.events,
            todos: &self.todos,
            now,
        }
    }
}

/// Collects the contacts of `scope`, their interactions, the events they attend (every event
/// for everyone) and their to-dos: keep-in-touch dates coming up and accepted suggestions
/// with a due date.
///
/// The keep-in-touch to-dos are worked out from the interactions the export shows only
/// (public ones, unless `options` include private data): a to-do saying when someone was
/// last in touch, or a due date counted from it, would otherwise tell of a private message
/// the export leaves out.
pub fn gather(
    store: &Store,
    scope: &ExportScope,
    options: &ExportOptions,
    now: DateTime<Utc>,
) -> Result<Gathered> {
    let mut contacts = store.all_contacts()?;
    match scope {
        ExportScope::Everyone => {}
        ExportScope::Contacts { ids } => {
            if ids.is_empty() {
                return Err(Error::invalid("choose at least one contact to export"));
            }
            let mut wanted = HashSet::new();
            for id in ids {
                wanted.insert(store.contact(id)?.id);
            }
            contacts.retain(|c| wanted.contains(&c.id));
        }
        ExportScope::Tag { tag } => {
            let tag = tag.trim();
            contacts.retain(|c| c.tags.iter().any(|t| t.eq_ignore_ascii_case(tag)));
            if contacts.is_empty() {
                return Err(Error::invalid(format!("no contact has the tag {tag:?}")));
            }
        }
    }
    let everyone = matches!(scope, ExportScope::Everyone);
    let chosen: HashSet<&str> = contacts.iter().map(|c| c.id.as_str()).collect();
    let interactions: Vec<Interaction> = store
        .all_interactions()?
        .into_iter()
        .filter(|i| i.contact_ids.iter().any(|c| chosen.contains(c.as_str())))
        .collect();
    let events: Vec<Event> = store
        .list_events()?
        .into_iter()
        .filter(|e| everyone || e.attendee_ids.iter().any(|a| chosen.contains(a.as_str())))
        .collect();
    let shown: Vec<Interaction> = interactions
        .iter()
        .filter(|i| options.include_private || i.public)
        .cloned()
        .collect();
    let mut todos = keep_in_touch_todos(&contacts, &shown, now);
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
    Ok(Gathered {
        contacts,
        interactions,
        events,
        todos,
    })
}

/// Follow-ups due for these contacts from their keep-in-touch cadence: those overdue or due
/// within two weeks. `interactions` are the ones the export shows: every date here is
/// counted from them.
fn keep_in_touch_todos(
    contacts: &[Contact],
    interactions: &[Interaction],
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

/// Every export Kith writes: the full archive, or one of the sharing formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum ExportKind {
    /// The JSON archive: a full backup of everything, private notes included.
    Json,
    Markdown,
    Csv,
    Vcard,
    Ics,
}

impl ExportKind {
    fn share(self) -> Option<ExportFormat> {
        match self {
            ExportKind::Json => None,
            ExportKind::Markdown => Some(ExportFormat::Markdown),
            ExportKind::Csv => Some(ExportFormat::Csv),
            ExportKind::Vcard => Some(ExportFormat::Vcard),
            ExportKind::Ics => Some(ExportFormat::Ics),
        }
    }

    /// Whether this export goes into a folder (Markdown notes, one per contact).
    pub fn writes_folder(self, options: &ExportOptions) -> bool {
        self == ExportKind::Markdown && !options.markdown_combined
    }
}

/// An export request from the app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct ExportRequest {
    pub kind: ExportKind,
    pub scope: ExportScope,
    pub options: ExportOptions,
    /// The file, or for Markdown notes the folder, to write.
    pub path: String,
    /// Replace files that are already there. Without it an export that would replace a file
    /// is refused with `exists`, so the app can ask first.
    #[serde(default)]
    pub overwrite: bool,
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct ExportDone {
    /// The file or folder written.
    pub path: String,
    pub files: u32,
    pub contacts: u32,
    pub left_out: LeftOut,
    /// What was left out, in words, when something was.
    pub left_out_note: Option<String>,
}

/// Renders an export and writes it; see [`export_to_path`].
pub fn export_to_disk(
    store: &Store,
    request: &ExportRequest,
    now: DateTime<Utc>,
) -> Result<ExportDone> {
    let path = PathBuf::from(request.path.trim());
    export_to_path(
        store,
        request.kind,
        &request.scope,
        &request.options,
        &path,
        request.overwrite,
        now,
    )
}

/// Renders an export and writes it to `path` (a folder for Markdown notes). Nothing is
/// written when a file would be replaced without `overwrite`, even when another program
/// creates it while the export is being written; each file is written whole or not at all,
/// readable only by its owner (see [`crate::files`]).
pub fn export_to_path(
    store: &Store,
    kind: ExportKind,
    scope: &ExportScope,
    options: &ExportOptions,
    path: &Path,
    overwrite: bool,
    now: DateTime<Utc>,
) -> Result<ExportDone> {
    if path.as_os_str().is_empty() {
        return Err(Error::invalid("choose where to save the export"));
    }
    let Some(format) = kind.share() else {
        if *scope != ExportScope::Everyone {
            return Err(Error::invalid(
                "the JSON archive is a full backup of everything; to share some contacts, \
                 choose Markdown, CSV, vCard or iCalendar",
            ));
        }
        files::refuse_replacing(&[path.to_path_buf()], overwrite)?;
        let archive = Archive::from_store(store, now)?;
        // Written record by record: the archive's text is never held whole.
        files::write_file_with(path, overwrite, |out| archive.write_json(out))?;
        let contacts = store.stats()?.contacts;
        return Ok(ExportDone {
            path: path.display().to_string(),
            files: 1,
            contacts,
            left_out: LeftOut::default(),
            left_out_note: None,
        });
    };
    let gathered = gather(store, scope, options, now)?;
    let output = render(format, &gathered.input(now), options)?;
    let folder = kind.writes_folder(options);
    if folder && path.is_file() {
        return Err(Error::invalid(format!(
            "{} is a file; Markdown notes go into a folder (or choose one combined document)",
            path.display()
        )));
    }
    if folder {
        files::create_private_dir_all(path)?;
        let notes: Vec<(PathBuf, &[u8])> = output
            .files
            .iter()
            .map(|f| (path.join(&f.path), f.bytes.as_slice()))
            .collect();
        files::write_files(&notes, overwrite)?;
    } else {
        let bytes: Vec<u8> = output
            .files
            .iter()
            .flat_map(|f| f.bytes.iter().copied())
            .collect();
        files::write_file(path, overwrite, &bytes)?;
    }
    Ok(ExportDone {
        path: path.display().to_string(),
        files: if folder { output.files.len() as u32 } else { 1 },
        contacts: gathered.contacts.len() as u32,
        left_out: output.left_out,
        left_out_note: output.left_out.describe(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn demo() -> (Store, DateTime<Utc>) {
        let now = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
        let mut store = Store::open_in_memory().unwrap();
        store.load_demo(now).unwrap();
        (store, now)
    }

    fn request(kind: ExportKind, path: &Path) -> ExportRequest {
        ExportRequest {
            kind,
            scope: ExportScope::Everyone,
            options: ExportOptions::default(),
            path: path.display().to_string(),
            overwrite: false,
        }
    }

    #[test]
    fn an_existing_file_is_replaced_only_when_agreed() {
        let (store, now) = demo();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("people.vcf");
        std::fs::write(&path, "mine, keep me").unwrap();
        let mut req = request(ExportKind::Vcard, &path);
        let err = export_to_disk(&store, &req, now).unwrap_err();
        assert_eq!(err.code(), "exists", "{err}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "mine, keep me");
        req.overwrite = true;
        let done = export_to_disk(&store, &req, now).unwrap();
        assert_eq!(done.files, 1);
        assert!(std::fs::read_to_string(&path)
            .unwrap()
            .starts_with("BEGIN:VCARD"));
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["people.vcf"]);
    }

    #[test]
    fn markdown_notes_fill_a_folder_and_refuse_to_replace_notes() {
        let (store, now) = demo();
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("notes");
        let req = request(ExportKind::Markdown, &folder);
        let done = export_to_disk(&store, &req, now).unwrap();
        assert_eq!(done.contacts, store.stats().unwrap().contacts);
        assert_eq!(
            done.files as usize,
            std::fs::read_dir(&folder).unwrap().count()
        );
        // Private notes and interactions were left out, and the result says so.
        assert!(done.left_out_note.is_some());
        let err = export_to_disk(&store, &req, now).unwrap_err();
        assert_eq!(err.code(), "exists");
        assert!(err.to_string().contains("more files"), "{err}");
    }

    #[test]
    fn a_tag_or_a_selection_exports_only_those_people() {
        let (store, now) = demo();
        let all = store.all_contacts().unwrap();
        let tag = all.iter().flat_map(|c| c.tags.clone()).next().unwrap();
        let opts = ExportOptions::default();
        let tagged = gather(&store, &ExportScope::Tag { tag: tag.clone() }, &opts, now).unwrap();
        assert!(!tagged.contacts.is_empty());
        assert!(tagged.contacts.len() < all.len());
        assert!(tagged.contacts.iter().all(|c| c.tags.contains(&tag)));
        let one = gather(
            &store,
            &ExportScope::Contacts {
                ids: vec![all[0].id.clone()],
            },
            &opts,
            now,
        )
        .unwrap();
        assert_eq!(one.contacts.len(), 1);
        assert!(one
            .interactions
            .iter()
            .all(|i| i.contact_ids.contains(&all[0].id)));
        let err = gather(
            &store,
            &ExportScope::Tag {
                tag: "no-such-tag".into(),
            },
            &opts,
            now,
        )
        .unwrap_err();
        assert_eq!(err.code(), "invalid_input");
    }

    /// Priya's only interaction is a private email; Tomás's last public one is a post on
    /// 1 June. Both are mentors, due a check-in every 30 days.
    const CADENCES: &str = r#"{"format": "kith-archive", "version": 1,
     "contacts": [
       {"id": "c-priya", "name": "Priya Raman", "roles": ["mentor"], "cadence_days": 30,
        "created_at": "2026-01-05T09:00:00Z"},
       {"id": "c-tomas", "name": "Tomás Ruiz", "roles": ["mentor"], "cadence_days": 30,
        "created_at": "2026-01-05T09:00:00Z"}],
     "interactions": [
       {"id": "i-dm", "contact_ids": ["c-priya"], "channel": "email", "direction": "inbound",
        "occurred_at": "2026-06-08T10:00:00Z", "public": false, "text": "Thinking of leaving"},
       {"id": "i-post", "contact_ids": ["c-tomas"], "channel": "mastodon",
        "direction": "outbound", "occurred_at": "2026-06-01T10:00:00Z", "public": true,
        "text": "Loved your talk"},
       {"id": "i-call", "contact_ids": ["c-tomas"], "channel": "phone", "direction": "outbound",
        "occurred_at": "2026-06-20T10:00:00Z", "public": false, "text": "Call about the job"}]}"#;

    fn ics(store: &Store, options: ExportOptions, now: DateTime<Utc>) -> String {
        let gathered = gather(store, &ExportScope::Everyone, &options, now).unwrap();
        let output = render(ExportFormat::Ics, &gathered.input(now), &options).unwrap();
        String::from_utf8(output.files[0].bytes.clone()).unwrap()
    }

    #[test]
    fn keep_in_touch_dates_come_only_from_what_the_calendar_shares() {
        let now = Utc.with_ymd_and_hms(2026, 7, 22, 9, 0, 0).unwrap();
        let mut store = Store::open_in_memory().unwrap();
        store
            .import_archive(Archive::parse(CADENCES, "cadences.json").unwrap(), now)
            .unwrap();

        let sharing = ics(&store, ExportOptions::default(), now);
        // Nothing dated from the private email or the private call: not the day, nor a due
        // date counted from it (8 June + 30 days, 20 June + 30 days).
        for private in [
            "2026-06-08",
            "20260608",
            "2026-07-08",
            "20260708",
            "2026-06-20",
            "20260620",
            "2026-07-20",
            "20260720",
        ] {
            assert!(!sharing.contains(private), "{private} in:\n{sharing}");
        }
        // The public post still counts: Tomás is due 30 days after it.
        assert!(sharing.contains("Last in touch on 2026-06-01"), "{sharing}");
        assert!(sharing.contains("DUE;VALUE=DATE:20260701"), "{sharing}");

        let private = ics(
            &store,
            ExportOptions {
                include_private: true,
                ..ExportOptions::default()
            },
            now,
        );
        assert!(private.contains("Last in touch on 2026-06-08"), "{private}");
        assert!(private.contains("Last in touch on 2026-06-20"), "{private}");
    }

    #[test]
    fn the_archive_is_only_for_everyone() {
        let (store, now) = demo();
        let dir = tempfile::tempdir().unwrap();
        let mut req = request(ExportKind::Json, &dir.path().join("kith.json"));
        req.scope = ExportScope::Tag { tag: "x".into() };
        assert_eq!(
            export_to_disk(&store, &req, now).unwrap_err().code(),
            "invalid_input"
        );
        req.scope = ExportScope::Everyone;
        let done = export_to_disk(&store, &req, now).unwrap();
        let text = std::fs::read_to_string(dir.path().join("kith.json")).unwrap();
        let back = Archive::parse(&text, "kith.json").unwrap();
        assert_eq!(back.records.contacts.len() as u32, done.contacts);
        assert_eq!(text, Archive::from_store(&store, now).unwrap().to_json());
    }
}
