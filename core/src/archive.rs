//! The JSON archive: Kith's full backup format, and how tests and scripts feed data in.
//! The format is documented in `docs/archive-format.md`.
//!
//! Reading is strict about what matters (ids, channels, dates, references) and names the place
//! of every problem; it is lenient about what does not (unknown fields are ignored, roles may
//! be plain strings or objects, a handle may be one string or a list).
//!
//! An archive is read as a stream: each contact, interaction and event is checked and turned
//! into its domain record as soon as it has been read, so reading holds the records and never
//! the file's text. That is why an archive has no size limit: Kith reads back any archive it
//! wrote, in memory that grows with the records, not with the text. Writing is a stream too.

use crate::domain::*;
use crate::error::{Error, Result};
use crate::store::{Decisions, Records, Store, SuggestionDecision};
use crate::text_limit;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::ser::SerializeStruct;
use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;
use std::cell::Cell;
use std::collections::HashSet;
use std::fs::File;
use std::io::{self, BufReader, Read, Write};
use std::path::Path;

pub const FORMAT: &str = "kith-archive";
pub const VERSION: u32 = 1;

/// How many records are read between two progress reports.
const PROGRESS_EVERY: u64 = 1000;

/// The read buffer between the file and the JSON parser.
const READ_BUFFER: usize = 256 << 10;

/// An archive: its header and the records it holds, checked and converted.
///
/// Read from a file, the records are those of the file in the file's order (`contacts[n]` of
/// the file is `records.contacts[n]`); made from a store, they are everything in it.
#[derive(Debug, Clone, Default)]
pub struct Archive {
    pub format: Option<String>,
    pub version: Option<u32>,
    pub exported_at: Option<String>,
    pub records: Records,
    /// The user's settings and decisions: what they did with suggestions, the pairs they keep
    /// apart, the ids of contacts they merged. Archives from before these were carried have
    /// none, and leave the store's as they are.
    pub decisions: Decisions,
    /// The file it came from, for error messages.
    pub source: String,
    /// The contacts the file gave no creation or update time; `into_records*` fills them in.
    untimed: Vec<Untimed>,
}

/// A contact whose file gave no `created_at` or no `updated_at`.
#[derive(Debug, Clone, Copy)]
struct Untimed {
    index: usize,
    created: bool,
    updated: bool,
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
    /// Birthdays, anniversaries and other days: `{"kind": "birthday", "date": "1985-04-12"}`,
    /// `{"kind": "anniversary", "label": "wedding", "date": "--06-01"}` (no year).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dates: Vec<ArchiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<String>,
}

/// An important date of a contact in an archive.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ArchiveDate {
    /// `birthday`, `anniversary` or `other`.
    pub kind: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub label: String,
    /// `YYYY-MM-DD`, or `--MM-DD` when the year is not known.
    pub date: String,
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

/// A decision about a suggestion in an archive.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ArchiveSuggestionDecision {
    pub suggestion_id: String,
    /// `dismissed`, `snoozed` or `accepted`.
    pub state: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_id: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub summary: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_on: Option<String>,
    pub updated_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub done_at: Option<String>,
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
    /// Reads an archive file. It is read as a stream, so it may be of any size.
    pub fn read(path: &Path) -> Result<Archive> {
        let file = File::open(path).map_err(|e| Error::io(path, e))?;
        Archive::read_from(file, &path.display().to_string())
    }

    /// Reads an archive from `reader`, a stream of UTF-8 JSON (a byte-order mark is allowed).
    /// `source` names the file in error messages.
    pub fn read_from(reader: impl Read, source: &str) -> Result<Archive> {
        Archive::read_from_with(
            reader,
            source,
            crate::record_limit::MAX_RECORDS,
            &mut |_| Ok(()),
        )
    }

    /// As `read_from`, telling `progress` how many bytes have been read every thousand records;
    /// an error from `progress` (the user cancelled) stops the reading and is returned. An
    /// archive of more than `max_records` contacts, interactions and events together is
    /// refused as soon as the record past the limit is read, before it is kept: memory grows
    /// with the records held, so a file of millions of tiny records must not be held whole.
    pub fn read_from_with(
        mut reader: impl Read,
        source: &str,
        max_records: usize,
        progress: &mut dyn FnMut(u64) -> Result<()>,
    ) -> Result<Archive> {
        // A byte-order mark is dropped; offsets in messages still count it.
        let mut head = Vec::with_capacity(3);
        (&mut reader)
            .take(3)
            .read_to_end(&mut head)
            .map_err(|e| Error::io(source, e))?;
        let state = ReadState::default();
        if head == b"\xef\xbb\xbf" {
            head.clear();
            state.read.set(3);
        }
        let buffered = BufReader::with_capacity(
            READ_BUFFER,
            Utf8Check {
                inner: io::Cursor::new(head).chain(reader),
                state: &state,
                pending: [0; 4],
                pending_len: 0,
            },
        );
        let mut archive = Archive {
            source: source.to_string(),
            ..Archive::default()
        };
        let mut failure = None;
        let parsed = {
            let mut de = serde_json::Deserializer::from_reader(buffered);
            let mut track = serde_path_to_error::Track::new();
            let mut reading = Reading {
                source,
                archive: &mut archive,
                failure: &mut failure,
                progress,
                state: &state,
                count: 0,
                max_records,
            };
            let wrapped = serde_path_to_error::Deserializer::new(&mut de, &mut track);
            match Whole(&mut reading).deserialize(wrapped) {
                // Nothing but white space may follow the document.
                Ok(()) => de.end().map_err(|e| (String::new(), e)),
                Err(e) => Err((track.path().to_string(), e)),
            }
        };
        // A failed check of a record, a cancellation or a byte that is not UTF-8 explains
        // the failure better than the parser's own error, which only says that it stopped.
        if let Some(e) = failure {
            return Err(e);
        }
        if let Some(fault) = state.fault.get() {
            return Err(fault.error(source));
        }
        if let Err((path, e)) = parsed {
            return Err(json_error(source, &path, e));
        }
        Ok(archive)
    }

    /// Parses archive JSON. `source` names the file in error messages.
    pub fn parse(text: &str, source: &str) -> Result<Archive> {
        Archive::read_from(text.as_bytes(), source)
    }

    /// The records, once their ids are checked to be unique, with the export time standing
    /// in where the file gives a contact no creation or update time (the current time if it
    /// gives no export time either).
    pub fn into_records(self) -> Result<Records> {
        let fallback = self
            .exported_at
            .as_deref()
            .and_then(|t| parse_datetime(t).ok())
            .unwrap_or_else(Utc::now);
        self.into_records_at(fallback)
    }

    /// As `into_records`, with `now` standing in for the missing times.
    pub fn into_records_at(self, now: DateTime<Utc>) -> Result<Records> {
        check_unique(&self.records, &self.source)?;
        let mut records = self.records;
        for u in self.untimed {
            if let Some(c) = records.contacts.get_mut(u.index) {
                if u.created {
                    c.created_at = now;
                }
                if u.updated {
                    c.updated_at = now;
                }
            }
        }
        Ok(records)
    }

    /// Everything in the store, as an archive.
    pub fn from_store(store: &Store, now: DateTime<Utc>) -> Result<Archive> {
        let mut events = store.list_events()?;
        events.reverse(); // oldest first, like the interactions
        Ok(Archive {
            format: Some(FORMAT.into()),
            version: Some(VERSION),
            exported_at: Some(now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
            records: Records {
                contacts: store.all_contacts()?,
                interactions: store.all_interactions()?,
                events,
            },
            decisions: store.decisions()?,
            source: String::new(),
            untimed: Vec::new(),
        })
    }

    /// The archive as pretty-printed JSON, written record by record to `out`.
    pub fn write_json(&self, out: impl Write) -> io::Result<()> {
        serde_json::to_writer_pretty(out, self).map_err(io::Error::from)
    }

    /// The archive as pretty-printed JSON text.
    pub fn to_json(&self) -> String {
        let mut out = Vec::new();
        match self.write_json(&mut out) {
            Ok(()) => String::from_utf8(out).unwrap_or_default(),
            Err(_) => String::new(),
        }
    }
}

impl Serialize for Archive {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Archive", 10)?;
        s.serialize_field("format", &self.format)?;
        s.serialize_field("version", &self.version)?;
        s.serialize_field("exported_at", &self.exported_at)?;
        s.serialize_field("contacts", &Contacts(&self.records.contacts, &self.untimed))?;
        s.serialize_field(
            "interactions",
            &Each(&self.records.interactions, ArchiveInteraction::from),
        )?;
        s.serialize_field("events", &Each(&self.records.events, ArchiveEvent::from))?;
        // The decisions are left out when there are none, as in archives from before they
        // were carried.
        let d = &self.decisions;
        if d.settings.is_empty() {
            s.skip_field("settings")?;
        } else {
            s.serialize_field("settings", &Pairs(&d.settings))?;
        }
        if d.suggestions.is_empty() {
            s.skip_field("suggestion_decisions")?;
        } else {
            s.serialize_field(
                "suggestion_decisions",
                &Each(&d.suggestions, ArchiveSuggestionDecision::from),
            )?;
        }
        if d.kept_apart.is_empty() {
            s.skip_field("kept_apart")?;
        } else {
            s.serialize_field("kept_apart", &d.kept_apart)?;
        }
        if d.merged_ids.is_empty() {
            s.skip_field("merged_ids")?;
        } else {
            s.serialize_field("merged_ids", &Pairs(&d.merged_ids))?;
        }
        s.end()
    }
}

/// Records written as a JSON list, each turned into its archive form only as it is written.
struct Each<'a, T, A>(&'a [T], fn(&'a T) -> A);

impl<'a, T, A: Serialize> Serialize for Each<'a, T, A> {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(self.1))
    }
}

/// Names and values written as a JSON object, in their order.
struct Pairs<'a, V>(&'a [(String, V)]);

impl<V: Serialize> Serialize for Pairs<'_, V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

/// The contacts as a JSON list, leaving out the times their file left out.
struct Contacts<'a>(&'a [Contact], &'a [Untimed]);

impl Serialize for Contacts<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let Contacts(contacts, untimed) = *self;
        serializer.collect_seq(contacts.iter().enumerate().map(|(n, c)| {
            let mut out = ArchiveContact::from(c);
            // `untimed` is in the contacts' order.
            if let Ok(k) = untimed.binary_search_by_key(&n, |u| u.index) {
                if untimed[k].created {
                    out.created_at = None;
                }
                if untimed[k].updated {
                    out.updated_at = None;
                }
            }
            out
        }))
    }
}

impl Store {
    /// Imports an archive file all-or-nothing, its decisions with its records.
    pub fn import_archive(
        &mut self,
        mut archive: Archive,
        now: DateTime<Utc>,
    ) -> Result<crate::store::ImportReport> {
        let source = archive.source.clone();
        let decisions = std::mem::take(&mut archive.decisions);
        let records = archive.into_records_at(now)?;
        self.import_by_id(records, &decisions, &source, now, true, &mut |_, _| true)
    }
}

/// What reading fills in as the document goes by.
struct Reading<'r> {
    source: &'r str,
    archive: &'r mut Archive,
    /// Why reading stopped, when it was not the parser's doing.
    failure: &'r mut Option<Error>,
    progress: &'r mut dyn FnMut(u64) -> Result<()>,
    state: &'r ReadState,
    /// Records read so far, for progress.
    count: u64,
    /// The most records one archive may hold.
    max_records: usize,
}

impl Reading<'_> {
    /// Keeps `result`'s error to be returned, and stops the parser.
    fn keep<E: de::Error>(&mut self, result: Result<()>) -> std::result::Result<(), E> {
        self.keep_value(result)
    }

    /// As `keep`, for a result with a value.
    fn keep_value<T, E: de::Error>(&mut self, result: Result<T>) -> std::result::Result<T, E> {
        result.map_err(|e| {
            *self.failure = Some(e);
            E::custom("reading stopped")
        })
    }

    /// Counts one more record (refusing it past the limit), reporting progress now and then.
    fn counted(&mut self, place: impl FnOnce() -> String) -> Result<()> {
        self.count += 1;
        if self.count > self.max_records as u64 {
            return Err(crate::record_limit::too_many(
                self.source,
                place(),
                "records",
                self.count,
                true,
                self.max_records,
            ));
        }
        if self.count.is_multiple_of(PROGRESS_EVERY) {
            (self.progress)(self.state.read.get())?;
        }
        Ok(())
    }

    fn contact(&mut self, raw: ArchiveContact) -> Result<()> {
        let index = self.archive.records.contacts.len();
        self.counted(|| format!("contacts[{index}]"))?;
        let records = &mut self.archive.records;
        let (contact, created, updated) = raw.check(index, self.source)?;
        if created || updated {
            self.archive.untimed.push(Untimed {
                index,
                created,
                updated,
            });
        }
        records.contacts.push(contact);
        Ok(())
    }

    fn interaction(&mut self, raw: ArchiveInteraction) -> Result<()> {
        let index = self.archive.records.interactions.len();
        self.counted(|| format!("interactions[{index}]"))?;
        let interaction = raw.check(index, self.source)?;
        self.archive.records.interactions.push(interaction);
        Ok(())
    }

    fn event(&mut self, raw: ArchiveEvent) -> Result<()> {
        let index = self.archive.records.events.len();
        self.counted(|| format!("events[{index}]"))?;
        let event = raw.check(index, self.source)?;
        self.archive.records.events.push(event);
        Ok(())
    }
}

/// The whole document: an object whose lists are read record by record.
struct Whole<'a, 'r>(&'a mut Reading<'r>);

impl<'de> DeserializeSeed<'de> for Whole<'_, '_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> std::result::Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Whole<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a Kith archive (a JSON object)")
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> std::result::Result<(), M::Error> {
        let reading = self.0;
        let source = reading.source;
        const FIELDS: [&str; 10] = [
            "format",
            "version",
            "exported_at",
            "contacts",
            "interactions",
            "events",
            "settings",
            "suggestion_decisions",
            "kept_apart",
            "merged_ids",
        ];
        let mut seen: Vec<&'static str> = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            if let Some(field) = FIELDS.into_iter().find(|f| *f == key) {
                // A second list would shift the places named in messages; refuse it.
                if seen.contains(&field) {
                    return Err(de::Error::duplicate_field(field));
                }
                seen.push(field);
            }
            match key.as_str() {
                "format" => {
                    let format: Option<String> = map.next_value()?;
                    if let Some(format) = &format {
                        if format != FORMAT {
                            return reading.keep(Err(Error::bad_import(
                                source,
                                "format",
                                format!("expected \"{FORMAT}\", found {format:?}"),
                            )));
                        }
                    }
                    reading.archive.format = format;
                }
                "version" => {
                    let version: Option<u32> = map.next_value()?;
                    if let Some(v) = version.filter(|v| *v > VERSION) {
                        return reading.keep(Err(Error::bad_import(
                            source,
                            "version",
                            format!(
                                "archive version {v} is newer than this Kith reads ({VERSION}); \
                                 update Kith"
                            ),
                        )));
                    }
                    reading.archive.version = version;
                }
                "exported_at" => reading.archive.exported_at = map.next_value()?,
                "contacts" => map.next_value_seed(List(&mut *reading, Kind::Contacts))?,
                "interactions" => map.next_value_seed(List(&mut *reading, Kind::Interactions))?,
                "events" => map.next_value_seed(List(&mut *reading, Kind::Events))?,
                "settings" => {
                    let settings: serde_json::Map<String, Value> = map.next_value()?;
                    let done = check_settings(settings, source);
                    reading.archive.decisions.settings = reading.keep_value::<_, M::Error>(done)?;
                }
                "suggestion_decisions" => {
                    let list: Vec<ArchiveSuggestionDecision> = map.next_value()?;
                    let done = list
                        .into_iter()
                        .enumerate()
                        .map(|(n, d)| d.check(n, source))
                        .collect();
                    reading.archive.decisions.suggestions =
                        reading.keep_value::<_, M::Error>(done)?;
                }
                "kept_apart" => {
                    let pairs: Vec<(String, String)> = map.next_value()?;
                    let done = check_kept_apart(&pairs, source).map(|()| pairs);
                    reading.archive.decisions.kept_apart =
                        reading.keep_value::<_, M::Error>(done)?;
                }
                "merged_ids" => {
                    let merged: serde_json::Map<String, Value> = map.next_value()?;
                    let done = check_merged_ids(merged, source);
                    reading.archive.decisions.merged_ids =
                        reading.keep_value::<_, M::Error>(done)?;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

#[derive(Clone, Copy)]
enum Kind {
    Contacts,
    Interactions,
    Events,
}

/// One of the archive's lists, each record checked and kept as it is read.
struct List<'a, 'r>(&'a mut Reading<'r>, Kind);

impl<'de> DeserializeSeed<'de> for List<'_, '_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> std::result::Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for List<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(match self.1 {
            Kind::Contacts => "a list of contacts",
            Kind::Interactions => "a list of interactions",
            Kind::Events => "a list of events",
        })
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<(), A::Error> {
        let List(reading, kind) = self;
        match kind {
            Kind::Contacts => {
                while let Some(raw) = seq.next_element::<ArchiveContact>()? {
                    let done = reading.contact(raw);
                    reading.keep(done)?;
                }
            }
            Kind::Interactions => {
                while let Some(raw) = seq.next_element::<ArchiveInteraction>()? {
                    let done = reading.interaction(raw);
                    reading.keep(done)?;
                }
            }
            Kind::Events => {
                while let Some(raw) = seq.next_element::<ArchiveEvent>()? {
                    let done = reading.event(raw);
                    reading.keep(done)?;
                }
            }
        }
        Ok(())
    }
}

/// The parser's error, naming the file and the place: the path of the value it was reading
/// and the line and column.
fn json_error(source: &str, path: &str, e: serde_json::Error) -> Error {
    if e.io_error_kind().is_some() {
        // The file could not be read (a disk error, not a problem with its content).
        return Error::io(source, io::Error::from(e));
    }
    let place = if path.is_empty() || path == "." {
        format!("line {}, column {}", e.line(), e.column())
    } else {
        format!("{path} (line {}, column {})", e.line(), e.column())
    };
    let message = e.to_string();
    // serde_json appends " at line L column C"; the place already says it.
    let message = message
        .rsplit_once(" at line ")
        .map(|(m, _)| m.to_string())
        .unwrap_or(message);
    Error::bad_import(source, place, message)
}

impl ArchiveContact {
    /// The contact, checked; `n` is its place in the file's list. The two flags say whether
    /// the file left out its creation and its update time (the contact then holds a
    /// placeholder until `Archive::into_records*`).
    fn check(self, n: usize, source: &str) -> Result<(Contact, bool, bool)> {
        let bad = |field: &str, msg: String| {
            Error::bad_import(source, format!("contacts[{n}].{field}"), msg)
        };
        check_id(&self.id).map_err(|m| bad("id", m))?;
        if self.name.trim().is_empty() {
            return Err(bad("name", "a contact needs a name".into()));
        }
        let mut roles = Vec::with_capacity(self.roles.len());
        for (r, value) in self.roles.iter().enumerate() {
            roles.push(
                parse_role(value, self.mutual.unwrap_or(false))
                    .map_err(|m| bad(&format!("roles[{r}]"), m))?,
            );
        }
        let mut handles = Vec::new();
        for (platform, value) in self.handles {
            let p: Platform = platform
                .parse()
                .map_err(|m: String| bad(&format!("handles.{platform}"), m))?;
            let values = match value {
                Value::Array(items) => items,
                other => vec![other],
            };
            for v in values {
                match v {
                    Value::String(s) => handles.push(Handle {
                        platform: p,
                        value: s,
                    }),
                    Value::Null => {}
                    other => {
                        return Err(bad(
                            &format!("handles.{platform}"),
                            format!("expected a string or a list of strings, found {other}"),
                        ))
                    }
                }
            }
        }
        let met_on = match self.met_on.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(s) => Some(parse_date(s).map_err(|m| bad("met_on", m))?),
        };
        let time = |field: &str, v: Option<&str>| -> Result<Option<DateTime<Utc>>> {
            v.map(|s| parse_datetime(s).map_err(|m| bad(field, m)))
                .transpose()
        };
        let created_at = time("created_at", self.created_at.as_deref())?;
        let updated_at = time("updated_at", self.updated_at.as_deref())?;
        let mut dates = Vec::with_capacity(self.dates.len());
        for (d, date) in self.dates.into_iter().enumerate() {
            let kind: DateKind = date
                .kind
                .parse()
                .map_err(|m| bad(&format!("dates[{d}].kind"), m))?;
            let mut parsed = ImportantDate::parse(kind, &date.date)
                .map_err(|m| bad(&format!("dates[{d}].date"), m))?;
            parsed.label = date.label;
            dates.push(parsed);
        }
        let contact = Contact {
            id: self.id,
            name: trimmed(self.name),
            handles,
            organisation: self.organisation,
            location: self.location,
            met_where: self.met_where,
            met_on,
            met_through: self.met_through,
            notes: self.notes,
            private_notes: self.private_notes,
            tags: self.tags,
            expertise: self.expertise,
            roles,
            cadence_days: self.cadence_days.filter(|d| *d > 0),
            dates,
            created_at: created_at.unwrap_or_default(),
            updated_at: updated_at.unwrap_or_default(),
        };
        text_limit::contact(&contact).map_err(|e| bad(&e.field, e.message()))?;
        Ok((contact, created_at.is_none(), updated_at.is_none()))
    }
}

impl ArchiveInteraction {
    /// The interaction, checked; `n` is its place in the file's list.
    fn check(self, n: usize, source: &str) -> Result<Interaction> {
        let bad = |field: &str, msg: String| {
            Error::bad_import(source, format!("interactions[{n}].{field}"), msg)
        };
        check_id(&self.id).map_err(|m| bad("id", m))?;
        if self.contact_ids.is_empty() {
            return Err(bad(
                "contact_ids",
                "an interaction needs at least one contact".into(),
            ));
        }
        let channel: Channel = self.channel.parse().map_err(|m| bad("channel", m))?;
        let interaction = Interaction {
            id: self.id,
            contact_ids: self.contact_ids,
            channel,
            direction: self.direction.parse().map_err(|m| bad("direction", m))?,
            occurred_at: parse_datetime(&self.occurred_at).map_err(|m| bad("occurred_at", m))?,
            public: self
                .public
                .unwrap_or_else(|| crate::store::default_public(channel)),
            text: self.text,
            thread: self.thread.filter(|t| !t.trim().is_empty()),
            tags: self.tags,
            moment: match &self.moment {
                None => None,
                Some(m) => Some(m.parse().map_err(|e| bad("moment", e))?),
            },
        };
        text_limit::interaction(&interaction).map_err(|e| bad(&e.field, e.message()))?;
        Ok(interaction)
    }
}

impl ArchiveEvent {
    /// The event, checked; `n` is its place in the file's list.
    fn check(self, n: usize, source: &str) -> Result<Event> {
        let bad = |field: &str, msg: String| {
            Error::bad_import(source, format!("events[{n}].{field}"), msg)
        };
        check_id(&self.id).map_err(|m| bad("id", m))?;
        if self.name.trim().is_empty() {
            return Err(bad("name", "an event needs a name".into()));
        }
        let starts_on = parse_date(&self.starts_on).map_err(|m| bad("starts_on", m))?;
        let ends_on = match &self.ends_on {
            Some(d) => parse_date(d).map_err(|m| bad("ends_on", m))?,
            None => starts_on,
        };
        if ends_on < starts_on {
            return Err(bad(
                "ends_on",
                format!("the event ends ({ends_on}) before it starts ({starts_on})"),
            ));
        }
        let event = Event {
            id: self.id,
            name: trimmed(self.name),
            kind: match &self.kind {
                None => EventKind::Conference,
                Some(k) => k.parse().map_err(|m| bad("kind", m))?,
            },
            starts_on,
            ends_on,
            location: trimmed(self.location),
            hashtags: self.hashtags,
            notes: self.notes,
            attendee_ids: self.attendee_ids,
        };
        text_limit::event(&event).map_err(|e| bad(&e.field, e.message()))?;
        Ok(event)
    }
}

impl ArchiveSuggestionDecision {
    /// The decision, checked; `n` is its place in the file's list.
    fn check(self, n: usize, source: &str) -> Result<SuggestionDecision> {
        let bad = |field: &str, msg: String| {
            Error::bad_import(source, format!("suggestion_decisions[{n}].{field}"), msg)
        };
        check_id(&self.suggestion_id).map_err(|m| bad("suggestion_id", m))?;
        let time = |field: &str, v: Option<&str>| -> Result<Option<DateTime<Utc>>> {
            v.map(|s| parse_datetime(s).map_err(|m| bad(field, m)))
                .transpose()
        };
        let decision = SuggestionDecision {
            state: crate::store::parse_state(&self.state).map_err(|m| bad("state", m))?,
            until: time("until", self.until.as_deref())?,
            contact_id: self.contact_id,
            due_on: match self.due_on.as_deref().map(str::trim) {
                None | Some("") => None,
                Some(d) => Some(parse_date(d).map_err(|m| bad("due_on", m))?),
            },
            updated_at: parse_datetime(&self.updated_at).map_err(|m| bad("updated_at", m))?,
            done_at: time("done_at", self.done_at.as_deref())?,
            suggestion_id: self.suggestion_id,
            note: self.note,
            summary: self.summary,
        };
        for (field, text) in [
            ("note", decision.note.as_str()),
            ("summary", decision.summary.as_str()),
            ("contact_id", decision.contact_id.as_deref().unwrap_or("")),
        ] {
            text_limit::check(field, text).map_err(|e| bad(field, e.message()))?;
        }
        Ok(decision)
    }
}

/// The settings of an archive, each checked to be one Kith can read, in the file's order.
fn check_settings(
    settings: serde_json::Map<String, Value>,
    source: &str,
) -> Result<Vec<(String, Value)>> {
    let mut out = Vec::with_capacity(settings.len());
    for (name, value) in settings {
        let bad = |msg: String| Error::bad_import(source, format!("settings.{name}"), msg);
        if name.trim().is_empty() {
            return Err(bad("a setting needs a name".into()));
        }
        crate::store::check_setting(&name, &value).map_err(&bad)?;
        let text = value.to_string();
        text_limit::check("the value", &text).map_err(|e| bad(e.message()))?;
        out.push((name, value));
    }
    Ok(out)
}

/// Checks the ids of the pairs kept apart; the contacts they name are looked up when stored.
fn check_kept_apart(pairs: &[(String, String)], source: &str) -> Result<()> {
    for (n, (a, b)) in pairs.iter().enumerate() {
        for (k, id) in [a, b].into_iter().enumerate() {
            check_id(id)
                .map_err(|m| Error::bad_import(source, format!("kept_apart[{n}][{k}]"), m))?;
        }
        if a == b {
            return Err(Error::bad_import(
                source,
                format!("kept_apart[{n}]"),
                format!("a contact cannot be kept apart from itself ({a:?})"),
            ));
        }
    }
    Ok(())
}

/// The merged ids of an archive, each with the id it was merged into, in the file's order.
fn check_merged_ids(
    merged: serde_json::Map<String, Value>,
    source: &str,
) -> Result<Vec<(String, String)>> {
    let mut out = Vec::with_capacity(merged.len());
    for (old, value) in merged {
        let bad = |msg: String| Error::bad_import(source, format!("merged_ids.{old}"), msg);
        check_id(&old).map_err(&bad)?;
        let survivor = match value {
            Value::String(survivor) => survivor,
            other => {
                return Err(bad(format!(
                    "expected the id of the contact it was merged into, found {other}"
                )))
            }
        };
        check_id(&survivor).map_err(&bad)?;
        if survivor == old {
            return Err(bad("a contact cannot be merged into itself".into()));
        }
        out.push((old, survivor));
    }
    Ok(out)
}

/// `s` without surrounding whitespace, reusing its allocation when there is none.
fn trimmed(s: String) -> String {
    if s.trim().len() == s.len() {
        s
    } else {
        s.trim().to_string()
    }
}

/// Refuses an id used twice in the same list, naming the second use. (References are checked
/// when the records are stored: they may name contacts already in the store.)
fn check_unique(records: &Records, source: &str) -> Result<()> {
    fn first_repeat<'a>(ids: impl Iterator<Item = &'a str>) -> Option<(usize, &'a str)> {
        let mut seen = HashSet::new();
        ids.enumerate().find(|(_, id)| !seen.insert(*id))
    }
    let lists = [
        (
            "contacts",
            first_repeat(records.contacts.iter().map(|c| c.id.as_str())),
        ),
        (
            "interactions",
            first_repeat(records.interactions.iter().map(|i| i.id.as_str())),
        ),
        (
            "events",
            first_repeat(records.events.iter().map(|e| e.id.as_str())),
        ),
    ];
    for (list, repeat) in lists {
        if let Some((n, id)) = repeat {
            return Err(Error::bad_import(
                source,
                format!("{list}[{n}].id"),
                format!("the id {id:?} is used twice"),
            ));
        }
    }
    Ok(())
}

/// Where reading has come to in the file, and the first byte found not to be UTF-8.
#[derive(Default)]
struct ReadState {
    /// Bytes passed on to the parser, counted from the start of the file.
    read: Cell<u64>,
    /// Line breaks among them.
    lines: Cell<u64>,
    fault: Cell<Option<Utf8Fault>>,
}

/// A byte that is not UTF-8: its offset in the file and its line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Utf8Fault {
    byte: u64,
    line: u64,
}

impl Utf8Fault {
    fn error(self, source: &str) -> Error {
        Error::bad_import(
            source,
            format!("line {} (byte {})", self.line, self.byte),
            "the file is not UTF-8 text (an archive is UTF-8 JSON; was it converted to \
             another encoding?)",
        )
    }
}

/// Passes bytes on only once they are known to be UTF-8, counting bytes and lines; the first
/// byte that is not UTF-8 is noted in the state and ends the stream with an error.
struct Utf8Check<'s, R> {
    inner: R,
    state: &'s ReadState,
    /// The start of a character cut by the end of the last read.
    pending: [u8; 4],
    pending_len: usize,
}

impl<R: Read> Utf8Check<'_, R> {
    /// How many of `chunk`'s bytes can be passed on, and the offset of a faulty byte (at or
    /// after those) if there is one.
    fn check(&mut self, chunk: &[u8]) -> (usize, Option<u64>) {
        let offset = self.state.read.get();
        let mut start = 0;
        if self.pending_len > 0 {
            // Complete the cut character with the bytes it still needs.
            let lead = self.pending[0];
            let width = if lead < 0xe0 {
                2
            } else if lead < 0xf0 {
                3
            } else {
                4
            };
            let take = (width - self.pending_len).min(chunk.len());
            let mut char_bytes = [0; 4];
            char_bytes[..self.pending_len].copy_from_slice(&self.pending[..self.pending_len]);
            char_bytes[self.pending_len..self.pending_len + take].copy_from_slice(&chunk[..take]);
            let len = self.pending_len + take;
            match std::str::from_utf8(&char_bytes[..len]) {
                Ok(_) => self.pending_len = 0,
                Err(e) if e.error_len().is_none() => {
                    // Still cut: the chunk was shorter than what the character needs.
                    self.pending = char_bytes;
                    self.pending_len = len;
                    return (chunk.len(), None);
                }
                // The character started in bytes already passed on.
                Err(_) => return (0, Some(offset - self.pending_len as u64)),
            }
            start = take;
        }
        match std::str::from_utf8(&chunk[start..]) {
            Ok(_) => (chunk.len(), None),
            Err(e) => {
                let good = start + e.valid_up_to();
                if e.error_len().is_none() {
                    // A character cut by the end of the chunk: check it with the next one.
                    self.pending_len = chunk.len() - good;
                    self.pending[..self.pending_len].copy_from_slice(&chunk[good..]);
                    (chunk.len(), None)
                } else {
                    (good, Some(offset + good as u64))
                }
            }
        }
    }

    /// Notes the faulty byte at `byte`. It is at or after everything passed on, and any
    /// bytes between are parts of one character (never a line break): its line is the
    /// current one.
    fn note(&self, byte: u64) {
        if self.state.fault.get().is_none() {
            self.state.fault.set(Some(Utf8Fault {
                byte,
                line: self.state.lines.get() + 1,
            }));
        }
    }
}

fn not_utf8() -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, "the file is not UTF-8")
}

impl<R: Read> Read for Utf8Check<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.state.fault.get().is_some() {
            return Err(not_utf8());
        }
        let n = self.inner.read(buf)?;
        if n == 0 {
            if self.pending_len > 0 {
                // The file ends inside a character.
                self.note(self.state.read.get() - self.pending_len as u64);
                return Err(not_utf8());
            }
            return Ok(0);
        }
        let (good, fault) = self.check(&buf[..n]);
        let lines = buf[..good].iter().filter(|b| **b == b'\n').count() as u64;
        self.state.lines.set(self.state.lines.get() + lines);
        self.state.read.set(self.state.read.get() + good as u64);
        if let Some(byte) = fault {
            self.note(byte);
            if good == 0 {
                return Err(not_utf8());
            }
            // The good bytes first; the error comes with the next read.
        }
        Ok(good)
    }
}

impl From<&Contact> for ArchiveContact {
    fn from(c: &Contact) -> Self {
        let mut handles: serde_json::Map<String, Value> = serde_json::Map::new();
        for h in &c.handles {
            let entry = handles
                .entry(h.platform.as_str().to_string())
                .or_insert(Value::Null);
            *entry = match std::mem::take(entry) {
                Value::Null => Value::String(h.value.clone()),
                Value::Array(mut items) => {
                    items.push(Value::String(h.value.clone()));
                    Value::Array(items)
                }
                one => Value::Array(vec![one, Value::String(h.value.clone())]),
            };
        }
        let mutual = (!c.roles.is_empty()).then(|| c.roles.iter().all(|r| r.acknowledged));
        ArchiveContact {
            id: c.id.clone(),
            name: c.name.clone(),
            roles: c
                .roles
                .iter()
                .map(|r| serde_json::to_value(r).unwrap_or(Value::Null))
                .collect(),
            handles,
            organisation: c.organisation.clone(),
            location: c.location.clone(),
            notes: c.notes.clone(),
            private_notes: c.private_notes.clone(),
            tags: c.tags.clone(),
            expertise: c.expertise.clone(),
            mutual,
            met_where: c.met_where.clone(),
            met_on: c.met_on.map(|d| d.format("%Y-%m-%d").to_string()),
            met_through: c.met_through.clone(),
            cadence_days: c.cadence_days,
            dates: c
                .dates
                .iter()
                .map(|d| ArchiveDate {
                    kind: d.kind.as_str().into(),
                    label: d.label.clone(),
                    date: d.iso(),
                })
                .collect(),
            created_at: Some(rfc3339(c.created_at)),
            updated_at: Some(rfc3339(c.updated_at)),
        }
    }
}

impl From<&Interaction> for ArchiveInteraction {
    fn from(i: &Interaction) -> Self {
        ArchiveInteraction {
            id: i.id.clone(),
            contact_ids: i.contact_ids.clone(),
            channel: i.channel.as_str().into(),
            direction: i.direction.as_str().into(),
            occurred_at: rfc3339(i.occurred_at),
            public: Some(i.public),
            text: i.text.clone(),
            thread: i.thread.clone(),
            tags: i.tags.clone(),
            moment: i.moment.map(|m| m.as_str().into()),
        }
    }
}

impl From<&SuggestionDecision> for ArchiveSuggestionDecision {
    fn from(d: &SuggestionDecision) -> Self {
        ArchiveSuggestionDecision {
            suggestion_id: d.suggestion_id.clone(),
            state: crate::store::state_name(d.state).into(),
            until: d.until.map(rfc3339),
            note: d.note.clone(),
            contact_id: d.contact_id.clone(),
            summary: d.summary.clone(),
            due_on: d.due_on.map(|d| d.format("%Y-%m-%d").to_string()),
            updated_at: rfc3339(d.updated_at),
            done_at: d.done_at.map(rfc3339),
        }
    }
}

impl From<&Event> for ArchiveEvent {
    fn from(e: &Event) -> Self {
        ArchiveEvent {
            id: e.id.clone(),
            name: e.name.clone(),
            kind: Some(e.kind.as_str().into()),
            starts_on: e.starts_on.format("%Y-%m-%d").to_string(),
            ends_on: Some(e.ends_on.format("%Y-%m-%d").to_string()),
            location: e.location.clone(),
            hashtags: e.hashtags.clone(),
            notes: e.notes.clone(),
            attendee_ids: e.attendee_ids.clone(),
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Hands out at most `step` bytes a read, as a pipe or a slow disk may.
    struct Trickle<'a> {
        bytes: &'a [u8],
        step: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.step.min(buf.len()).min(self.bytes.len());
            buf[..n].copy_from_slice(&self.bytes[..n]);
            self.bytes = &self.bytes[n..];
            Ok(n)
        }
    }

    const TEXT: &str =
        "\u{feff}{\"contacts\": [\n  {\"id\": \"c1\", \"name\": \"Tūī 🐦 Ngā\"},\n  \
                        {\"id\": \"c2\", \"name\": \"Zoë\", \"notes\": \"日本語のメモ\"}\n],\n\
                        \"interactions\": [{\"id\": \"i1\", \"contact_ids\": [\"c1\", \"c2\"], \
                        \"channel\": \"email\", \"direction\": \"mutual\", \
                        \"occurred_at\": \"2026-01-01\", \"text\": \"ā€😀\"}]}";

    fn read(bytes: &[u8], step: usize) -> Result<Archive> {
        Archive::read_from(Trickle { bytes, step }, "t.json")
    }

    #[test]
    fn characters_cut_between_reads_are_read_whole() {
        let whole = Archive::parse(TEXT, "t.json").unwrap().records;
        assert_eq!(whole.contacts[0].name, "Tūī 🐦 Ngā");
        assert_eq!(whole.interactions[0].text, "ā€😀");
        for step in [1, 2, 3, 5, 7, 4096] {
            let records = read(TEXT.as_bytes(), step).unwrap().records;
            assert_eq!(records, whole, "{step} bytes a read");
        }
    }

    #[test]
    fn the_first_byte_that_is_not_utf8_is_named_however_the_file_is_read() {
        let text = TEXT.as_bytes();
        let notes = TEXT.find("日").unwrap();
        let line = 3;
        let cases: Vec<(&str, Vec<u8>, usize)> = vec![
            (
                "a stray byte",
                [&text[..notes], b"\xff", &text[notes..]].concat(),
                notes,
            ),
            (
                "a character cut short",
                [
                    &text[..notes],
                    &text[notes..notes + 2],
                    b"x",
                    &text[notes..],
                ]
                .concat(),
                notes,
            ),
            (
                "a character written too long",
                [&text[..notes], b"\xc0\x80", &text[notes..]].concat(),
                notes,
            ),
            (
                "a character cut by the end of the file",
                [&text[..notes], &text[notes..notes + 2]].concat(),
                notes,
            ),
        ];
        for (what, bytes, byte) in cases {
            for step in [1, 2, 3, 4096] {
                let err = read(&bytes, step).unwrap_err();
                assert_eq!(err.code(), "bad_import", "{what}, {step}: {err}");
                let msg = err.to_string();
                assert!(
                    msg.starts_with(&format!(
                        "t.json: line {line} (byte {byte}): the file is not UTF-8 text"
                    )),
                    "{what}, {step} bytes a read: {msg}"
                );
            }
        }
    }

    #[test]
    fn a_record_that_fails_its_check_stops_the_reading_there() {
        let text = TEXT.replace("\"mutual\"", "\"sideways\"");
        let err = Archive::parse(&text, "t.json").unwrap_err();
        assert_eq!(
            err.to_string(),
            "t.json: interactions[0].direction: unknown direction \"sideways\" \
             (expected outbound, inbound or mutual). Nothing was imported."
        );
    }

    #[test]
    fn a_list_given_twice_is_refused() {
        let text = "{\"events\": [], \"contacts\": [], \"events\": []}";
        let err = Archive::parse(text, "t.json").unwrap_err().to_string();
        assert!(err.contains("duplicate field `events`"), "{err}");
    }

    #[test]
    fn writing_gives_what_reading_takes() {
        let text = TEXT.replace(
            "\"name\": \"Zoë\"",
            "\"name\": \"Zoë\", \"created_at\": \"2025-05-01T08:00:00Z\"",
        );
        let archive = Archive::parse(&text, "t.json").unwrap();
        let now = Utc::now();
        let records = archive.clone().into_records_at(now).unwrap();
        assert_eq!(records.contacts[0].created_at, now);
        assert_eq!(
            records.contacts[1].created_at.to_rfc3339(),
            "2025-05-01T08:00:00+00:00"
        );
        let mut out = Vec::new();
        archive.write_json(&mut out).unwrap();
        let json = String::from_utf8(out).unwrap();
        assert_eq!(json, archive.to_json());
        // The times the file left out stay out, to be filled in when the copy is read.
        assert_eq!(json.matches("\"created_at\"").count(), 1, "{json}");
        let back = Archive::read_from(json.as_bytes(), "back.json").unwrap();
        assert_eq!(back.into_records_at(now).unwrap(), records);
    }
}
