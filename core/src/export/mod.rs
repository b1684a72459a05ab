//! Exports that other tools read: Markdown notes (an Obsidian-friendly folder or one document),
//! CSV for spreadsheets, vCard 4.0 for address books and iCalendar for calendars and task lists.
//! (The JSON archive, which Kith itself reads back, lives in [`crate::archive`].)
//!
//! Every exporter is a pure function of the records it is given: the caller chooses the
//! contacts (one, a selection, a tag, everyone) and passes them with the interactions that
//! involve them. Exports are meant for sharing, so private notes and private (non-public)
//! interactions are left out unless [`ExportOptions::include_private`] is set, and
//! [`ExportOutput::left_out`] says how much was held back.
//!
//! All dates and times are written in UTC.

mod filename;
mod ical;
mod markdown;
pub mod scope;
mod table;
mod text;
mod vcard;
mod yaml;

#[cfg(test)]
pub(crate) use markdown::block as markdown_block;
pub(crate) use text::percent_decode;
pub(crate) use vcard::{KITH_ROLE, PRIVATE_NOTES_HEADING};

pub use scope::{
    export_to_disk, export_to_path, gather, ExportDone, ExportKind, ExportRequest, ExportScope,
    Gathered,
};

use crate::domain::{Contact, Event, Interaction, Role, RoleDirection};
use crate::error::{Error, Result};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use specta::Type;
use std::collections::{HashMap, HashSet};

/// A format other tools read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    /// One Markdown note per contact with YAML front matter, or one combined document.
    Markdown,
    /// One row per contact, for spreadsheets.
    Csv,
    /// vCard 4.0, all contacts in one file, for address books.
    Vcard,
    /// iCalendar: events and follow-ups, for calendars and task lists.
    Ics,
}

impl ExportFormat {
    pub const ALL: [ExportFormat; 4] = [
        ExportFormat::Markdown,
        ExportFormat::Csv,
        ExportFormat::Vcard,
        ExportFormat::Ics,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ExportFormat::Markdown => "markdown",
            ExportFormat::Csv => "csv",
            ExportFormat::Vcard => "vcard",
            ExportFormat::Ics => "ics",
        }
    }
}

impl std::str::FromStr for ExportFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "markdown" | "md" => Ok(ExportFormat::Markdown),
            "csv" => Ok(ExportFormat::Csv),
            "vcard" | "vcf" => Ok(ExportFormat::Vcard),
            "ics" | "ical" | "icalendar" => Ok(ExportFormat::Ics),
            _ => Err(format!(
                "unknown export format {s:?} (expected markdown, csv, vcard or ics)"
            )),
        }
    }
}

/// How to export.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct ExportOptions {
    /// Include private notes and private interactions (DMs, emails, calls).
    #[serde(default)]
    pub include_private: bool,
    /// Start the CSV file with a UTF-8 byte order mark, so spreadsheets read accents correctly.
    #[serde(default)]
    pub csv_bom: bool,
    /// Write one `contacts.md` instead of one note per contact.
    #[serde(default)]
    pub markdown_combined: bool,
    /// iCalendar: also export to-dos that were due more than [`OVERDUE_DAYS_KEPT`] days ago.
    #[serde(default)]
    pub include_overdue: bool,
}

/// How long after its due date an iCalendar to-do is still exported without
/// `include_overdue`: a calendar full of reminders due years ago is noise.
pub const OVERDUE_DAYS_KEPT: i64 = 30;

/// Something to do on a day: a follow-up or an accepted suggestion. Exported as a VTODO.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct Todo {
    pub id: String,
    pub contact_id: Option<String>,
    pub summary: String,
    pub description: String,
    pub due: NaiveDate,
}

/// The records to export. `interactions` are those involving `contacts`; their other
/// participants need not be among `contacts`.
#[derive(Debug, Clone, Copy)]
pub struct ExportInput<'a> {
    pub contacts: &'a [Contact],
    pub interactions: &'a [Interaction],
    pub events: &'a [Event],
    pub todos: &'a [Todo],
    /// The time of the export (the iCalendar DTSTAMP).
    pub now: DateTime<Utc>,
}

/// One file of an export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportFile {
    /// A file name relative to the export folder, safe on every desktop file system.
    pub path: String,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportOutput {
    pub files: Vec<ExportFile>,
    pub left_out: LeftOut,
}

/// What a sharing export held back.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct LeftOut {
    /// Contacts whose private notes were left out.
    pub private_notes: u32,
    /// Private interactions (not public) left out.
    pub private_interactions: u32,
}

impl LeftOut {
    pub fn is_empty(&self) -> bool {
        self.private_notes == 0 && self.private_interactions == 0
    }

    /// A sentence for the person exporting, or `None` when nothing was left out.
    pub fn describe(&self) -> Option<String> {
        let mut parts = Vec::new();
        if self.private_notes > 0 {
            parts.push(count_noun(
                self.private_notes,
                "private note",
                "private notes",
            ));
        }
        if self.private_interactions > 0 {
            parts.push(count_noun(
                self.private_interactions,
                "private interaction",
                "private interactions",
            ));
        }
        if parts.is_empty() {
            return None;
        }
        Some(format!(
            "Left out {}: private data is only exported when asked.",
            parts.join(" and ")
        ))
    }
}

fn count_noun(n: u32, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Renders the chosen records in one format.
pub fn render(
    format: ExportFormat,
    input: &ExportInput,
    opts: &ExportOptions,
) -> Result<ExportOutput> {
    let mut ids = HashSet::new();
    if let Some(dup) = input.contacts.iter().find(|c| !ids.insert(c.id.as_str())) {
        return Err(Error::invalid(format!(
            "contact {:?} was passed to the export twice",
            dup.id
        )));
    }
    let prepared = Prepared::new(input, opts.include_private);
    let (files, left_out) = match format {
        ExportFormat::Markdown => (
            markdown::render(&prepared, opts.markdown_combined),
            prepared.left_out(true, true),
        ),
        ExportFormat::Csv => (
            vec![table::render(&prepared, opts.csv_bom)?],
            prepared.left_out(true, true),
        ),
        ExportFormat::Vcard => (
            vec![vcard::render(&prepared)?],
            prepared.left_out(true, false),
        ),
        ExportFormat::Ics => {
            let oldest = (input.now - chrono::Duration::days(OVERDUE_DAYS_KEPT)).date_naive();
            let kept: Vec<Todo> = input
                .todos
                .iter()
                .filter(|t| opts.include_overdue || t.due >= oldest)
                .cloned()
                .collect();
            let input = ExportInput {
                todos: &kept,
                ..*input
            };
            (vec![ical::render(&input)?], LeftOut::default())
        }
    };
    Ok(ExportOutput { files, left_out })
}

/// The contacts with the interactions an export may show, newest first.
pub(crate) struct Prepared<'a> {
    pub contacts: &'a [Contact],
    /// Index-aligned with `contacts`: the shown interactions of each contact, newest first.
    pub shown: Vec<Vec<&'a Interaction>>,
    /// Names of the exported contacts by id, to name the other participants of an interaction.
    pub names: HashMap<&'a str, &'a str>,
    pub include_private: bool,
    /// Private interactions involving an exported contact that are not shown.
    hidden_interactions: usize,
}

impl<'a> Prepared<'a> {
    fn new(input: &ExportInput<'a>, include_private: bool) -> Self {
        let names: HashMap<&str, &str> = input
            .contacts
            .iter()
            .map(|c| (c.id.as_str(), c.name.as_str()))
            .collect();
        let mut sorted: Vec<&Interaction> = input
            .interactions
            .iter()
            .filter(|i| {
                i.contact_ids
                    .iter()
                    .any(|id| names.contains_key(id.as_str()))
            })
            .collect();
        sorted.sort_by(|a, b| {
            b.occurred_at
                .cmp(&a.occurred_at)
                .then_with(|| a.id.cmp(&b.id))
        });
        let mut seen = HashSet::new();
        sorted.retain(|i| seen.insert(i.id.as_str()));
        let hidden_interactions = sorted
            .iter()
            .filter(|i| !include_private && !i.public)
            .count();
        let shown = input
            .contacts
            .iter()
            .map(|c| {
                sorted
                    .iter()
                    .copied()
                    .filter(|i| include_private || i.public)
                    .filter(|i| i.contact_ids.contains(&c.id))
                    .collect()
            })
            .collect();
        Prepared {
            contacts: input.contacts,
            shown,
            names,
            include_private,
            hidden_interactions,
        }
    }

    /// Whether a contact's private notes go into the export.
    pub fn private_notes_of(&self, contact: &'a Contact) -> Option<&'a str> {
        let notes = contact.private_notes.trim();
        (self.include_private && !notes.is_empty()).then_some(contact.private_notes.as_str())
    }

    fn left_out(&self, notes: bool, interactions: bool) -> LeftOut {
        let private_notes = if notes && !self.include_private {
            self.contacts
                .iter()
                .filter(|c| !c.private_notes.trim().is_empty())
                .count()
        } else {
            0
        };
        let private_interactions = if interactions {
            self.hidden_interactions
        } else {
            0
        };
        LeftOut {
            private_notes: saturate(private_notes),
            private_interactions: saturate(private_interactions),
        }
    }

    /// The other participants of an interaction, seen from `contact`: names when they are in
    /// the export, otherwise their ids marked as such.
    pub fn others(&self, interaction: &Interaction, contact: &Contact) -> Vec<String> {
        interaction
            .contact_ids
            .iter()
            .filter(|id| **id != contact.id)
            .map(|id| match self.names.get(id.as_str()) {
                Some(name) => (*name).to_string(),
                None => format!("{id} (not in this export)"),
            })
            .collect()
    }
}

fn saturate(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A role in words: `mentor`, `mentor (I advise them, acknowledged): cataloguing, career`.
/// The direction is only spelled out when it differs from the usual one for the role.
pub(crate) fn role_label(role: &Role) -> String {
    let mut notes = Vec::new();
    if role.direction != role.kind.default_direction() {
        notes.push(match role.direction {
            RoleDirection::TheyAdviseMe => "they advise me",
            RoleDirection::IAdviseThem => "I advise them",
            RoleDirection::Mutual => "mutual",
        });
    }
    if role.acknowledged {
        notes.push("acknowledged");
    }
    let mut label = role.kind.as_str().to_string();
    if !notes.is_empty() {
        label.push_str(&format!(" ({})", notes.join(", ")));
    }
    let topics: Vec<&str> = role
        .topics
        .iter()
        .map(|t| t.trim())
        .filter(|t| !t.is_empty())
        .collect();
    if !topics.is_empty() {
        label.push_str(": ");
        label.push_str(&topics.join(", "));
    }
    label
}

/// A role back from [`role_label`], for importing Kith's own exports: `None` when the text
/// does not start with a role kind. Topics are split at ", ", so a topic that holds ", " comes
/// back as two.
pub(crate) fn parse_role_label(label: &str) -> Option<Role> {
    use crate::domain::RoleKind;
    let label = label.trim();
    let (head, topics) = match label.split_once(':') {
        Some((head, topics)) => (head.trim(), topics.trim()),
        None => (label, ""),
    };
    let (kind, notes) = match head.split_once('(') {
        Some((kind, notes)) => (kind.trim(), notes.trim().strip_suffix(')')?),
        None => (head, ""),
    };
    let kind = RoleKind::ALL
        .into_iter()
        .find(|k| k.as_str().eq_ignore_ascii_case(kind))?;
    let mut role = Role {
        kind,
        direction: kind.default_direction(),
        topics: topics
            .split(", ")
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect(),
        acknowledged: false,
    };
    for note in notes.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        match note {
            "they advise me" => role.direction = RoleDirection::TheyAdviseMe,
            "I advise them" => role.direction = RoleDirection::IAdviseThem,
            "mutual" => role.direction = RoleDirection::Mutual,
            "acknowledged" => role.acknowledged = true,
            _ => return None,
        }
    }
    Some(role)
}

/// `2024-03-01T09:30:00Z`.
pub(crate) fn rfc3339(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[cfg(test)]
pub(crate) mod fixtures;

#[cfg(test)]
mod tests;
