//! Kith's own Markdown notes, read back: a folder of notes (one per contact, as `kith export
//! --format markdown` writes them) or a single note.
//!
//! The YAML front matter gives the contact: id, name, roles, handles, organisation, location,
//! tags, expertise and how you met. The body gives the notes, the private notes and the
//! interactions, each with its time, channel, direction, whether it was private, the mentoring
//! moment, the other people, tags, thread and text. Text comes back as Kith wrote it: the
//! backslashes the export put before Markdown characters are taken away.
//!
//! Notes keep their Kith ids, so importing an export into the store it came from adds
//! nothing. Other people in an interaction are named in a note by name (when they were in the
//! export) or by id: names are looked up among the notes read, then among the store's
//! contacts; people who cannot be found are left out of the interaction, with a note saying so.
//! Other Markdown files in the folder (without Kith front matter) are skipped.

use super::text::stable_hash;
use super::{Batch, Ctx, Parsed};
use crate::attendee_match::fold_name;
use crate::domain::*;
use crate::error::{Error, Result};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

/// The most notes read from one folder.
const MAX_NOTES: usize = 100_000;

/// What the store already holds, to find the other people of an interaction.
pub(crate) struct Known {
    ids: HashSet<String>,
    /// Folded name → ids.
    by_name: HashMap<String, Vec<String>>,
}

impl Known {
    pub fn new(contacts: &[Contact]) -> Known {
        let mut by_name: HashMap<String, Vec<String>> = HashMap::new();
        for c in contacts {
            by_name
                .entry(fold_name(&c.name))
                .or_default()
                .push(c.id.clone());
        }
        Known {
            ids: contacts.iter().map(|c| c.id.clone()).collect(),
            by_name,
        }
    }
}

/// Whether a file starts like one of Kith's contact notes.
pub(crate) fn recognise(head: &str) -> bool {
    let head = head.trim_start_matches('\u{feff}');
    let mut lines = head.lines().map(str::trim_end);
    if lines.next() != Some("---") {
        return false;
    }
    // Any key order: editors that re-save a note (Obsidian's properties, Logseq) sort or
    // rewrite its front matter, and may add a byte-order mark or Windows line endings.
    lines
        .take_while(|l| *l != "---")
        .any(|l| l.starts_with("id:"))
}

/// Whether a folder holds Kith notes.
pub(crate) fn recognise_dir(dir: &Path) -> bool {
    notes_in(dir).is_ok_and(|files| {
        files.iter().any(|f| {
            super::input::read_head(f, 8192)
                .is_ok_and(|head| recognise(&String::from_utf8_lossy(&head)))
        })
    })
}

/// The `.md` files of a folder (not its subfolders), by name.
fn notes_in(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if path.is_file() && !name.starts_with('.') && name.to_ascii_lowercase().ends_with(".md") {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// The front matter, as the export writes it. Unknown keys (the counts and dates the export
/// adds for other tools) are ignored.
#[derive(Deserialize)]
struct Front {
    id: String,
    name: String,
    #[serde(default)]
    roles: Vec<FrontRole>,
    #[serde(default)]
    handles: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    organisation: Option<String>,
    #[serde(default)]
    location: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    expertise: Vec<String>,
    #[serde(default)]
    met: Option<FrontMet>,
}

#[derive(Deserialize)]
struct FrontRole {
    kind: RoleKind,
    #[serde(default)]
    direction: Option<RoleDirection>,
    #[serde(default)]
    topics: Vec<String>,
    #[serde(default)]
    acknowledged: bool,
}

#[derive(Deserialize, Default)]
struct FrontMet {
    #[serde(default, rename = "where")]
    place: Option<String>,
    #[serde(default)]
    on: Option<NaiveDate>,
    #[serde(default)]
    through: Option<String>,
}

/// Another person in an interaction, as a note names them.
enum Other {
    Id(String),
    Name(String),
}

/// One note, read.
struct Note {
    contact: Contact,
    interactions: Vec<(Interaction, Vec<Other>)>,
}

pub(crate) fn parse(path: &Path, known: &Known, ctx: &mut Ctx<'_>) -> Result<Parsed> {
    let files = if path.is_dir() {
        let files = notes_in(path).map_err(|e| Error::io(path, e))?;
        if files.len() > MAX_NOTES {
            return Err(ctx.bad(
                "the folder",
                format!("more than {MAX_NOTES} notes; import a smaller folder"),
            ));
        }
        files
    } else {
        vec![path.to_path_buf()]
    };
    let mut notes = Vec::new();
    let mut skipped = 0;
    let total = files.len() as u64;
    for (n, file) in files.iter().enumerate() {
        ctx.tick_every("reading notes", n as u64, Some(total))?;
        let label = file.display().to_string();
        let bytes = super::input::read_file(file, ctx)?;
        let text = super::input::utf8(bytes, &label, None)?;
        if text.starts_with("---") && text.lines().nth(1) == Some("title: \"Kith contacts\"") {
            return Err(Error::bad_import(
                &label,
                "the front matter",
                "this is Kith's combined contacts.md, which is for reading: export one note per contact to import them",
            ));
        }
        if !recognise(&text) {
            if path.is_dir() {
                skipped += 1;
                continue;
            }
            return Err(Error::bad_import(
                &label,
                "line 1",
                "no front matter starting with an id: this is not one of Kith's contact notes",
            ));
        }
        notes.push(read_note(&text, &label, ctx.now)?);
    }
    if notes.is_empty() {
        return Err(ctx.bad(
            "the folder",
            "no Kith contact notes here (Markdown files whose front matter starts with an id)",
        ));
    }
    Ok(gather(notes, known, skipped, ctx.now))
}

/// The notes as one batch, with the other people of each interaction found.
fn gather(notes: Vec<Note>, known: &Known, skipped: u32, now: DateTime<Utc>) -> Parsed {
    let mut by_name: HashMap<String, Vec<&str>> = HashMap::new();
    for note in &notes {
        let ids = by_name.entry(fold_name(&note.contact.name)).or_default();
        if !ids.contains(&note.contact.id.as_str()) {
            ids.push(&note.contact.id);
        }
    }
    let in_notes: HashSet<&str> = notes.iter().map(|n| n.contact.id.as_str()).collect();
    let mut batch = Batch::new(now);
    batch.skipped = skipped;
    let mut unknown: Vec<String> = Vec::new();
    let mut unknown_seen: HashSet<String> = HashSet::new();
    for note in &notes {
        batch
            .contact(&note.contact.id, &note.contact.name)
            .replace(note.contact.clone());
    }
    for note in notes.iter() {
        for (interaction, others) in &note.interactions {
            let mut interaction = interaction.clone();
            let mut people: HashSet<String> = interaction.contact_ids.iter().cloned().collect();
            for other in others {
                let found = match other {
                    Other::Id(id) if in_notes.contains(id.as_str()) || known.ids.contains(id) => {
                        Some(id.clone())
                    }
                    Other::Id(_) => None,
                    Other::Name(name) => {
                        let folded = fold_name(name);
                        match (by_name.get(&folded), known.by_name.get(&folded)) {
                            (Some(ids), _) if ids.len() == 1 => Some(ids[0].to_string()),
                            (None, Some(ids)) if ids.len() == 1 => Some(ids[0].clone()),
                            _ => None,
                        }
                    }
                };
                match found {
                    Some(id) if people.insert(id.clone()) => interaction.contact_ids.push(id),
                    Some(_) => {}
                    None => {
                        let who = match other {
                            Other::Id(id) => id.clone(),
                            Other::Name(name) => name.clone(),
                        };
                        if unknown_seen.insert(who.clone()) {
                            unknown.push(who);
                        }
                    }
                }
            }
            batch.interaction(interaction);
        }
    }
    if !unknown.is_empty() {
        let shown: Vec<&str> = unknown.iter().take(5).map(String::as_str).collect();
        batch.notes.push(format!(
            "{} people named in interactions are neither in these notes nor in Kith, and were left out of them: {}{}",
            unknown.len(),
            shown.join(", "),
            if unknown.len() > 5 { ", …" } else { "" }
        ));
    }
    batch.finish()
}

/// One note: front matter, then the body.
fn read_note(text: &str, label: &str, now: DateTime<Utc>) -> Result<Note> {
    let bad = |place: String, message: String| Error::bad_import(label, place, message);
    let lines: Vec<&str> = text.lines().collect();
    let end = lines
        .iter()
        .skip(1)
        .position(|l| l.trim_end() == "---")
        .map(|k| k + 1)
        .ok_or_else(|| {
            bad(
                "line 1".into(),
                "the front matter has no closing \"---\" line".into(),
            )
        })?;
    let yaml = lines[1..end].join("\n");
    let front: Front = serde_yaml_ng::from_str(&yaml).map_err(|e| {
        let place = match e.location() {
            Some(at) => format!("line {}", at.line() + 1),
            None => "the front matter".to_string(),
        };
        bad(place, format!("unreadable front matter: {e}"))
    })?;
    if front.id.trim().is_empty() || front.name.trim().is_empty() {
        return Err(bad(
            "the front matter".into(),
            "a contact note needs an id and a name".into(),
        ));
    }
    let mut contact = super::new_contact(front.id.trim(), front.name.trim(), now);
    contact.roles = front
        .roles
        .into_iter()
        .map(|r| Role {
            kind: r.kind,
            direction: r.direction.unwrap_or(r.kind.default_direction()),
            topics: r.topics,
            acknowledged: r.acknowledged,
        })
        .collect();
    for (platform, values) in &front.handles {
        let platform = Platform::ALL
            .into_iter()
            .find(|p| p.as_str() == platform)
            .ok_or_else(|| {
                bad(
                    "the front matter, handles".into(),
                    format!("{platform:?} is not a platform Kith knows"),
                )
            })?;
        for v in values {
            // Repeats are dropped as the note joins the batch.
            if !v.trim().is_empty() {
                contact.handles.push(Handle {
                    platform,
                    value: v.trim().to_string(),
                });
            }
        }
    }
    let distinct: std::collections::HashSet<(Platform, String)> = contact
        .handles
        .iter()
        .map(|h| (h.platform, crate::store::normalize_handle(&h.value)))
        .collect();
    if distinct.len() > crate::store::MAX_HANDLES {
        return Err(bad(
            "the front matter, handles".into(),
            crate::store::too_many_handles(),
        ));
    }
    contact.organisation = front.organisation.unwrap_or_default();
    contact.location = front.location.unwrap_or_default();
    // Repeats are dropped as the note joins the batch.
    contact.tags = front.tags;
    contact.expertise = front.expertise;
    let met = front.met.unwrap_or_default();
    contact.met_where = met.place.unwrap_or_default();
    contact.met_on = met.on;
    contact.met_through = met.through.unwrap_or_default();

    // The body: sections under `## `, interactions under `### `.
    let mut section = "";
    let mut notes: Vec<&str> = Vec::new();
    let mut private: Vec<&str> = Vec::new();
    let mut interactions = Vec::new();
    let mut current: Option<Draft> = None;
    for (k, line) in lines.iter().enumerate().skip(end + 1) {
        let place = || format!("line {}", k + 1);
        if let Some(heading) = line.strip_prefix("## ") {
            if let Some(d) = current.take() {
                interactions.push(d.finish(&contact.id));
            }
            section = match heading.trim() {
                "Notes" => "notes",
                "Private notes" => "private",
                "Interactions" => "interactions",
                _ => "",
            };
            continue;
        }
        if line.starts_with("# ") {
            continue;
        }
        match section {
            "notes" => notes.push(line),
            "private" => private.push(line),
            "interactions" => {
                if let Some(title) = line.strip_prefix("### ") {
                    if let Some(d) = current.take() {
                        interactions.push(d.finish(&contact.id));
                    }
                    current = Some(Draft::from_title(title).map_err(|m| bad(place(), m))?);
                } else if let Some(d) = current.as_mut() {
                    d.line(line).map_err(|m| bad(place(), m))?;
                }
            }
            _ => {}
        }
    }
    if let Some(d) = current.take() {
        interactions.push(d.finish(&contact.id));
    }
    contact.notes = unescape(notes.join("\n").trim_matches('\n'));
    contact.private_notes = unescape(private.join("\n").trim_matches('\n'));
    Ok(Note {
        contact,
        interactions,
    })
}

/// An interaction while its lines are read.
struct Draft {
    at: DateTime<Utc>,
    channel: Channel,
    direction: Direction,
    public: bool,
    moment: Option<Moment>,
    others: Vec<Other>,
    tags: Vec<String>,
    thread: Option<String>,
    id: Option<String>,
    text: Vec<String>,
}

impl Draft {
    /// `2025-01-20 02:15 UTC · Mastodon · outbound · private · mentoring moment: asked`
    fn from_title(title: &str) -> std::result::Result<Draft, String> {
        let parts: Vec<&str> = title.split(" · ").map(str::trim).collect();
        let [when, channel, direction, rest @ ..] = parts.as_slice() else {
            return Err(format!(
                "{:?} is not an interaction heading (like \"2025-01-20 02:15 UTC · Mastodon · outbound\")",
                super::text::one_line(title, 60)
            ));
        };
        let at = NaiveDateTime::parse_from_str(when, "%Y-%m-%d %H:%M UTC")
            .map_err(|_| format!("{when:?} is not a time (like \"2025-01-20 02:15 UTC\")"))?
            .and_utc();
        let channel = Channel::ALL
            .into_iter()
            .find(|c| c.label() == *channel || c.as_str() == *channel)
            .ok_or_else(|| format!("{channel:?} is not a channel Kith knows"))?;
        let direction = Direction::ALL
            .into_iter()
            .find(|d| d.as_str() == *direction)
            .ok_or_else(|| {
                format!("{direction:?} is not a direction (outbound, inbound or mutual)")
            })?;
        let mut draft = Draft {
            at,
            channel,
            direction,
            public: true,
            moment: None,
            others: Vec::new(),
            tags: Vec::new(),
            thread: None,
            id: None,
            text: Vec::new(),
        };
        for part in rest {
            if *part == "private" {
                draft.public = false;
            } else if let Some(m) = part.strip_prefix("mentoring moment: ") {
                draft.moment = Some(
                    [Moment::Asked, Moment::Advised, Moment::Received]
                        .into_iter()
                        .find(|x| x.as_str() == m)
                        .ok_or_else(|| format!("{m:?} is not a mentoring moment"))?,
                );
            }
        }
        Ok(draft)
    }

    fn line(&mut self, line: &str) -> std::result::Result<(), String> {
        if let Some(quoted) = line.strip_prefix("> ") {
            self.text.push(unescape(quoted));
        } else if line == ">" {
            self.text.push(String::new());
        } else if let Some(fact) = line.strip_prefix("- ") {
            let (name, value) = fact.split_once(": ").unwrap_or((fact, ""));
            match name {
                "With" => {
                    for who in value.split(", ").filter(|w| !w.trim().is_empty()) {
                        let who = unescape(who.trim());
                        self.others
                            .push(match who.strip_suffix(" (not in this export)") {
                                Some(id) => Other::Id(id.to_string()),
                                None => Other::Name(who),
                            });
                    }
                }
                "Tags" => {
                    self.tags = value
                        .split(' ')
                        .filter(|t| !t.is_empty())
                        .map(unescape)
                        .collect();
                }
                "Thread" => self.thread = Some(unescape(value)),
                "ID" => self.id = Some(unescape(value)),
                "At" => {
                    self.at = DateTime::parse_from_rfc3339(value.trim())
                        .map_err(|_| format!("{value:?} is not an RFC 3339 time"))?
                        .with_timezone(&Utc);
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn finish(self, contact_id: &str) -> (Interaction, Vec<Other>) {
        let text = self.text.join("\n");
        let id = self.id.filter(|i| !i.trim().is_empty()).unwrap_or_else(|| {
            format!(
                "markdown:{}",
                stable_hash(&[
                    contact_id,
                    &self.at.timestamp_millis().to_string(),
                    self.channel.as_str(),
                    &text
                ])
            )
        });
        let interaction = Interaction {
            id,
            contact_ids: vec![contact_id.to_string()],
            channel: self.channel,
            direction: self.direction,
            occurred_at: self.at,
            public: self.public,
            text,
            thread: self.thread,
            tags: self.tags,
            moment: self.moment,
        };
        (interaction, self.others)
    }
}

/// Text as it was before the export escaped it: every backslash the export wrote stands
/// before the character it protects.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(next) = chars.next() {
                out.push(next);
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaped_text_comes_back() {
        for s in [
            "<script>alert(1)</script>",
            "a | b \\ c &amp; *x* [y](z) $m$ %%c%% ==h==",
            "# not a heading\n- not a list\n12. not a list\n\nlast",
        ] {
            assert_eq!(unescape(&crate::export::markdown_block(s)), s);
        }
    }

    #[test]
    fn headings_give_time_channel_direction_and_moment() {
        let d = Draft::from_title(
            "2025-01-20 02:15 UTC · Twitter/X · outbound · private · mentoring moment: asked",
        )
        .unwrap();
        assert_eq!(d.at.to_rfc3339(), "2025-01-20T02:15:00+00:00");
        assert_eq!(d.channel, Channel::Twitter);
        assert_eq!(d.direction, Direction::Outbound);
        assert!(!d.public);
        assert_eq!(d.moment, Some(Moment::Asked));
        assert!(Draft::from_title("yesterday · Twitter/X · outbound").is_err());
        assert!(Draft::from_title("2025-01-20 02:15 UTC · Fax · outbound").is_err());
    }
}
