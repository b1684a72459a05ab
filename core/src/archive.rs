//! The JSON archive: Kith's full backup format, and how tests and scripts feed data in.
//! The format is documented in `docs/archive-format.md`.
//!
//! Reading is strict about what matters (ids, channels, dates, references) and names the place
//! of every problem; it is lenient about what does not (unknown fields are ignored, roles may
//! be plain strings or objects, a handle may be one string or a list).

use crate::domain::*;
use crate::error::{Error, Result};
use crate::store::{Records, Store};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::HashSet;
use std::path::Path;

pub const FORMAT: &str = "kith-archive";
pub const VERSION: u32 = 1;

/// The largest archive Kith reads; far above any real network, below what would exhaust memory.
pub const MAX_ARCHIVE_BYTES: u64 = 1 << 30;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Archive {
    #[serde(default)]
    pub format: Option<String>,
    #[serde(default)]
    pub version: Option<u32>,
    #[serde(default)]
    pub exported_at: Option<String>,
    #[serde(default)]
    pub contacts: Vec<ArchiveContact>,
    #[serde(default)]
    pub interactions: Vec<ArchiveInteraction>,
    #[serde(default)]
    pub events: Vec<ArchiveEvent>,
    /// The file it came from, for error messages.
    #[serde(skip)]
    pub source: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ArchiveContact {
    pub id: String,
    pub name: String,
    /// `"mentor"` or `{"kind": "mentor", "direction": "...", "topics": [...], "acknowledged": true}`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<Value>,
    /// Platform → one handle or a list of handles, in the contact's order (the first is the
    /// one shown in lists).
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub handles: serde_json::Map<String, Value>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub organisation: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub location: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub private_notes: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub expertise: Vec<String>,
    /// Whether both sides acknowledge the roles (applies to roles given as plain strings).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mutual: Option<bool>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub met_where: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub met_on: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub met_through: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cadence_days: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ArchiveInteraction {
    pub id: String,
    pub contact_ids: Vec<String>,
    pub channel: String,
    pub direction: String,
    pub occurred_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public: Option<bool>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thread: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moment: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ArchiveEvent {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    pub starts_on: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ends_on: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub location: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hashtags: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attendee_ids: Vec<String>,
}

impl Archive {
    /// Reads an archive file, refusing anything too large to be one.
    pub fn read(path: &Path) -> Result<Archive> {
        let label = path.display().to_string();
        let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
        if meta.len() > MAX_ARCHIVE_BYTES {
            return Err(Error::bad_import(
                label,
                "the whole file",
                format!(
                    "the file is {} MB, larger than the {} MB an archive can be",
                    meta.len() >> 20,
                    MAX_ARCHIVE_BYTES >> 20
                ),
            ));
        }
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        let text = std::str::from_utf8(&bytes).map_err(|e| {
            Error::bad_import(
                &label,
                format!("byte {}", e.valid_up_to()),
                "the file is not UTF-8 text (an archive is UTF-8 JSON)",
            )
        })?;
        Archive::parse(text, &label)
    }

    /// Parses archive JSON. `source` names the file in error messages.
    pub fn parse(text: &str, source: &str) -> Result<Archive> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let de = &mut serde_json::Deserializer::from_str(text);
        let mut archive: Archive = serde_path_to_error::deserialize(de).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            let place = if path.is_empty() || path == "." {
                format!("line {}, column {}", inner.line(), inner.column())
            } else {
                format!("{path} (line {}, column {})", inner.line(), inner.column())
            };
            let message = inner.to_string();
            // serde_json appends " at line L column C"; the place already says it.
            let message = message
                .rsplit_once(" at line ")
                .map(|(m, _)| m.to_string())
                .unwrap_or(message);
            Error::bad_import(source, place, message)
        })?;
        archive.source = source.to_string();
        if let Some(format) = &archive.format {
            if format != FORMAT {
                return Err(Error::bad_import(
                    source,
                    "format",
                    format!("expected \"{FORMAT}\", found {format:?}"),
                ));
            }
        }
        if let Some(v) = archive.version {
            if v > VERSION {
                return Err(Error::bad_import(
                    source,
                    "version",
                    format!("archive version {v} is newer than this Kith reads ({VERSION}); update Kith"),
                ));
            }
        }
        Ok(archive)
    }

    /// Checks every record and turns them into domain records.
    pub fn into_records(self) -> Result<Records> {
        let fallback = self
            .exported_at
            .as_deref()
            .and_then(|t| parse_datetime(t).ok())
            .unwrap_or_else(Utc::now);
        self.into_records_at(fallback)
    }

    /// As `into_records`, with `now` used where the archive has no creation time.
    pub fn into_records_at(self, now: DateTime<Utc>) -> Result<Records> {
        let src = self.source.as_str();
        let bad = |place: String, msg: String| Error::bad_import(src, place, msg);
        let mut contacts = Vec::with_capacity(self.contacts.len());
        let mut contact_keys: HashSet<&str> = HashSet::new();
        for (n, c) in self.contacts.iter().enumerate() {
            let at = |field: &str| format!("contacts[{n}].{field}");
            check_id(&c.id).map_err(|m| bad(at("id"), m))?;
            if !contact_keys.insert(c.id.as_str()) {
                return Err(bad(at("id"), format!("the id {:?} is used twice", c.id)));
            }
            if c.name.trim().is_empty() {
                return Err(bad(at("name"), "a contact needs a name".into()));
            }
            let mut roles = Vec::new();
            for (r, value) in c.roles.iter().enumerate() {
                roles.push(
                    parse_role(value, c.mutual.unwrap_or(false))
                        .map_err(|m| bad(at(&format!("roles[{r}]")), m))?,
                );
            }
            let mut handles = Vec::new();
            for (platform, value) in &c.handles {
                let p: Platform = platform
                    .parse()
                    .map_err(|m: String| bad(at(&format!("handles.{platform}")), m))?;
                let values: Vec<&Value> = match value {
                    Value::Array(items) => items.iter().collect(),
                    other => vec![other],
                };
                for v in values {
                    match v {
                        Value::String(s) => handles.push(Handle {
                            platform: p,
                            value: s.clone(),
                        }),
                        Value::Null => {}
                        other => {
                            return Err(bad(
                                at(&format!("handles.{platform}")),
                                format!("expected a string or a list of strings, found {other}"),
                            ))
                        }
                    }
                }
            }
            let date = |field: &str, v: &Option<String>| -> Result<Option<NaiveDate>> {
                match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                    None => Ok(None),
                    Some(s) => parse_date(s).map(Some).map_err(|m| bad(at(field), m)),
                }
            };
            let time = |field: &str, v: &Option<String>| -> Result<DateTime<Utc>> {
                match v.as_deref() {
                    None => Ok(now),
                    Some(s) => parse_datetime(s).map_err(|m| bad(at(field), m)),
                }
            };
            contacts.push(Contact {
                id: c.id.clone(),
                name: c.name.trim().to_string(),
                handles,
                organisation: c.organisation.clone(),
                location: c.location.clone(),
                met_where: c.met_where.clone(),
                met_on: date("met_on", &c.met_on)?,
                met_through: c.met_through.clone(),
                notes: c.notes.clone(),
                private_notes: c.private_notes.clone(),
                tags: c.tags.clone(),
                expertise: c.expertise.clone(),
                roles,
                cadence_days: c.cadence_days.filter(|d| *d > 0),
                created_at: time("created_at", &c.created_at)?,
                updated_at: time("updated_at", &c.updated_at)?,
            });
        }

        let mut interactions = Vec::with_capacity(self.interactions.len());
        let mut interaction_keys: HashSet<&str> = HashSet::new();
        for (n, i) in self.interactions.iter().enumerate() {
            let at = |field: &str| format!("interactions[{n}].{field}");
            check_id(&i.id).map_err(|m| bad(at("id"), m))?;
            if !interaction_keys.insert(i.id.as_str()) {
                return Err(bad(at("id"), format!("the id {:?} is used twice", i.id)));
            }
            if i.contact_ids.is_empty() {
                return Err(bad(
                    at("contact_ids"),
                    "an interaction needs at least one contact".into(),
                ));
            }
            let channel: Channel = i.channel.parse().map_err(|m| bad(at("channel"), m))?;
            interactions.push(Interaction {
                id: i.id.clone(),
                contact_ids: i.contact_ids.clone(),
                channel,
                direction: i.direction.parse().map_err(|m| bad(at("direction"), m))?,
                occurred_at: parse_datetime(&i.occurred_at)
                    .map_err(|m| bad(at("occurred_at"), m))?,
                public: i
                    .public
                    .unwrap_or_else(|| crate::store::default_public(channel)),
                text: i.text.clone(),
                thread: i.thread.clone().filter(|t| !t.trim().is_empty()),
                tags: i.tags.clone(),
                moment: match &i.moment {
                    None => None,
                    Some(m) => Some(m.parse().map_err(|e| bad(at("moment"), e))?),
                },
            });
        }

        let mut events = Vec::with_capacity(self.events.len());
        let mut event_keys: HashSet<&str> = HashSet::new();
        for (n, e) in self.events.iter().enumerate() {
            let at = |field: &str| format!("events[{n}].{field}");
            check_id(&e.id).map_err(|m| bad(at("id"), m))?;
            if !event_keys.insert(e.id.as_str()) {
                return Err(bad(at("id"), format!("the id {:?} is used twice", e.id)));
            }
            if e.name.trim().is_empty() {
                return Err(bad(at("name"), "an event needs a name".into()));
            }
            let starts_on = parse_date(&e.starts_on).map_err(|m| bad(at("starts_on"), m))?;
            let ends_on = match &e.ends_on {
                Some(d) => parse_date(d).map_err(|m| bad(at("ends_on"), m))?,
                None => starts_on,
            };
            if ends_on < starts_on {
                return Err(bad(
                    at("ends_on"),
                    format!("the event ends ({ends_on}) before it starts ({starts_on})"),
                ));
            }
            events.push(Event {
                id: e.id.clone(),
                name: e.name.trim().to_string(),
                kind: match &e.kind {
                    None => EventKind::Conference,
                    Some(k) => k.parse().map_err(|m| bad(at("kind"), m))?,
                },
                starts_on,
                ends_on,
                location: e.location.trim().to_string(),
                hashtags: e.hashtags.clone(),
                notes: e.notes.clone(),
                attendee_ids: e.attendee_ids.clone(),
            });
        }

        // References must point at contacts in the file; ones that only exist in the store
        // are checked when the records are stored.
        Ok(Records {
            contacts,
            interactions,
            events,
        })
    }

    /// Everything in the store, as an archive.
    pub fn from_store(store: &Store, now: DateTime<Utc>) -> Result<Archive> {
        let contacts = store
            .all_contacts()?
            .into_iter()
            .map(ArchiveContact::from)
            .collect();
        let interactions = store
            .all_interactions()?
            .into_iter()
            .map(ArchiveInteraction::from)
            .collect();
        let mut events: Vec<ArchiveEvent> = store
            .list_events()?
            .into_iter()
            .map(ArchiveEvent::from)
            .collect();
        events.reverse(); // oldest first, like the interactions
        Ok(Archive {
            format: Some(FORMAT.into()),
            version: Some(VERSION),
            exported_at: Some(now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
            contacts,
            interactions,
            events,
            source: String::new(),
        })
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

impl Store {
    /// Imports an archive file all-or-nothing.
    pub fn import_archive(
        &mut self,
        archive: Archive,
        now: DateTime<Utc>,
    ) -> Result<crate::store::ImportReport> {
        let source = archive.source.clone();
        let records = archive.into_records_at(now)?;
        self.import_records(records, &source, now)
    }
}

impl From<Contact> for ArchiveContact {
    fn from(c: Contact) -> Self {
        let mut handles: serde_json::Map<String, Value> = serde_json::Map::new();
        for h in c.handles {
            let entry = handles
                .entry(h.platform.as_str().to_string())
                .or_insert(Value::Null);
            *entry = match std::mem::take(entry) {
                Value::Null => Value::String(h.value),
                Value::Array(mut items) => {
                    items.push(Value::String(h.value));
                    Value::Array(items)
                }
                one => Value::Array(vec![one, Value::String(h.value)]),
            };
        }
        let mutual = (!c.roles.is_empty()).then(|| c.roles.iter().all(|r| r.acknowledged));
        ArchiveContact {
            id: c.id,
            name: c.name,
            roles: c
                .roles
                .into_iter()
                .map(|r| serde_json::to_value(r).unwrap_or(Value::Null))
                .collect(),
            handles,
            organisation: c.organisation,
            location: c.location,
            notes: c.notes,
            private_notes: c.private_notes,
            tags: c.tags,
            expertise: c.expertise,
            mutual,
            met_where: c.met_where,
            met_on: c.met_on.map(|d| d.format("%Y-%m-%d").to_string()),
            met_through: c.met_through,
            cadence_days: c.cadence_days,
            created_at: Some(rfc3339(c.created_at)),
            updated_at: Some(rfc3339(c.updated_at)),
        }
    }
}

impl From<Interaction> for ArchiveInteraction {
    fn from(i: Interaction) -> Self {
        ArchiveInteraction {
            id: i.id,
            contact_ids: i.contact_ids,
            channel: i.channel.as_str().into(),
            direction: i.direction.as_str().into(),
            occurred_at: rfc3339(i.occurred_at),
            public: Some(i.public),
            text: i.text,
            thread: i.thread,
            tags: i.tags,
            moment: i.moment.map(|m| m.as_str().into()),
        }
    }
}

impl From<Event> for ArchiveEvent {
    fn from(e: Event) -> Self {
        ArchiveEvent {
            id: e.id,
            name: e.name,
            kind: Some(e.kind.as_str().into()),
            starts_on: e.starts_on.format("%Y-%m-%d").to_string(),
            ends_on: Some(e.ends_on.format("%Y-%m-%d").to_string()),
            location: e.location,
            hashtags: e.hashtags,
            notes: e.notes,
            attendee_ids: e.attendee_ids,
        }
    }
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}

fn check_id(id: &str) -> std::result::Result<(), String> {
    if id.trim().is_empty() {
        Err("an id cannot be empty".into())
    } else if id.len() > 512 {
        Err("an id longer than 512 bytes is not an id".into())
    } else {
        Ok(())
    }
}

fn parse_role(value: &Value, acknowledged: bool) -> std::result::Result<Role, String> {
    match value {
        Value::String(s) => {
            let kind: RoleKind = s.parse()?;
            Ok(Role {
                kind,
                direction: kind.default_direction(),
                topics: Vec::new(),
                acknowledged,
            })
        }
        Value::Object(map) => {
            let kind: RoleKind = map
                .get("kind")
                .and_then(Value::as_str)
                .ok_or("a role object needs a \"kind\" (mentor, peer or expert)")?
                .parse()?;
            let direction = match map.get("direction") {
                None | Some(Value::Null) => kind.default_direction(),
                Some(Value::String(d)) => d.parse()?,
                Some(other) => return Err(format!("direction must be a string, found {other}")),
            };
            let topics = match map.get("topics") {
                None | Some(Value::Null) => Vec::new(),
                Some(Value::Array(items)) => items
                    .iter()
                    .map(|t| {
                        t.as_str()
                            .map(str::to_string)
                            .ok_or(format!("topics must be strings, found {t}"))
                    })
                    .collect::<std::result::Result<_, _>>()?,
                Some(other) => {
                    return Err(format!("topics must be a list of strings, found {other}"))
                }
            };
            let acknowledged = match map.get("acknowledged") {
                None | Some(Value::Null) => acknowledged,
                Some(Value::Bool(b)) => *b,
                Some(other) => {
                    return Err(format!("acknowledged must be true or false, found {other}"))
                }
            };
            Ok(Role {
                kind,
                direction,
                topics,
                acknowledged,
            })
        }
        other => Err(format!("a role is a name or an object, found {other}")),
    }
}

/// Reads a time: RFC 3339 (`2025-03-01T09:30:00+13:00`), or without an offset (taken as UTC),
/// or a bare date (midnight UTC).
pub fn parse_datetime(s: &str) -> std::result::Result<DateTime<Utc>, String> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Ok(t.with_timezone(&Utc));
    }
    for f in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, f) {
            return Ok(t.and_utc());
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Ok(d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc());
    }
    Err(format!(
        "{s:?} is not a date and time (expected RFC 3339, like 2025-03-01T09:30:00Z)"
    ))
}

/// Reads a calendar date, `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> std::result::Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| format!("{s:?} is not a date (expected YYYY-MM-DD, like 2025-03-01)"))
}
