//! What a JSON file is, decided before any importer reads it: Kith's own archive, a file of an
//! unpacked Mastodon archive, or something else (a `package.json`, an app's settings), which
//! is refused rather than imported as an empty archive.
//!
//! Only the top-level keys are looked at, and the reading stops at the first key that
//! decides, so a large archive is not read twice.

use crate::error::{Error, Result};
use serde::de::{Deserializer as _, IgnoredAny, MapAccess, Visitor};
use std::io::BufReader;
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum JsonKind {
    /// `format`, `contacts`, `interactions` or `events`.
    KithArchive,
    /// `outbox.json` or `actor.json` of a Mastodon archive.
    Mastodon,
    /// Anything else; the keys it starts with, for the message.
    Other(Vec<String>),
    /// JSON, but not an object (a list, a number).
    NotAnObject(String),
    /// Not readable as JSON before anything was decided: the archive reader reports where.
    Unreadable,
}

struct Keys<'a> {
    kind: &'a mut Option<JsonKind>,
    seen: &'a mut Vec<String>,
}

const STOP: &str = "kith: decided";

impl<'de> Visitor<'de> for Keys<'_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
        use serde::de::Error as _;
        while let Some(key) = map.next_key::<String>()? {
            let decided = match key.as_str() {
                // A `format` key other than "kith-archive" (another Kith format, a newer version) is
                // the archive reader's to refuse, with its own message.
                "format" | "contacts" | "interactions" | "events" => Some(JsonKind::KithArchive),
                "orderedItems" | "preferredUsername" | "outbox" => Some(JsonKind::Mastodon),
                "type" => {
                    let v: serde_json::Value = map.next_value()?;
                    let t = v.as_str().unwrap_or("");
                    if [
                        "OrderedCollection",
                        "Person",
                        "Service",
                        "Application",
                        "Group",
                    ]
                    .contains(&t)
                    {
                        Some(JsonKind::Mastodon)
                    } else {
                        None
                    }
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                    None
                }
            };
            if let Some(kind) = decided {
                *self.kind = Some(kind);
                return Err(A::Error::custom(STOP));
            }
            if self.seen.len() < 5 {
                self.seen.push(key);
            }
        }
        Ok(())
    }
}

pub(crate) fn classify(path: &Path) -> Result<JsonKind> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut reader = BufReader::new(file);
    // A byte-order mark is not JSON; step over it.
    let mut bom = [0u8; 3];
    {
        use std::io::{BufRead, Read};
        let buf = reader.fill_buf().map_err(|e| Error::io(path, e))?;
        if buf.starts_with(b"\xef\xbb\xbf") {
            reader
                .read_exact(&mut bom)
                .map_err(|e| Error::io(path, e))?;
        }
    }
    let mut kind = None;
    let mut seen = Vec::new();
    let mut de = serde_json::Deserializer::from_reader(reader);
    let outcome = de.deserialize_map(Keys {
        kind: &mut kind,
        seen: &mut seen,
    });
    if let Some(kind) = kind {
        return Ok(kind);
    }
    Ok(match outcome {
        Ok(()) => JsonKind::Other(seen),
        Err(e) if e.is_data() => JsonKind::NotAnObject(e.to_string()),
        Err(_) => JsonKind::Unreadable,
    })
}

/// The refusal for a JSON file that is not a Kith archive.
pub(crate) fn not_an_archive(label: &str, kind: &JsonKind) -> Error {
    let detail = match kind {
        JsonKind::Other(keys) if keys.is_empty() => "it holds an empty object".to_string(),
        JsonKind::Other(keys) => format!(
            "it starts with {}",
            keys.iter()
                .map(|k| format!("{:?}", super::text::one_line(k, 40)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        JsonKind::NotAnObject(e) => format!("it is not a JSON object ({e})"),
        JsonKind::KithArchive | JsonKind::Mastodon | JsonKind::Unreadable => String::new(),
    };
    Error::bad_import(
        label,
        "the top level",
        format!(
            "this JSON file is not a Kith archive ({detail}); a Kith archive has \"format\": \"kith-archive\" or lists of contacts, interactions or events"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind_of(text: &str) -> JsonKind {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.json");
        std::fs::write(&path, text).unwrap();
        classify(&path).unwrap()
    }

    #[test]
    fn files_are_told_apart_by_their_keys() {
        assert_eq!(
            kind_of(r#"{"format": "kith-archive", "contacts": []}"#),
            JsonKind::KithArchive
        );
        assert_eq!(kind_of(r#"{"contacts": [{"id": "c"#), JsonKind::KithArchive);
        assert_eq!(
            kind_of(r#"{"@context": "x", "type": "OrderedCollection", "orderedItems": []}"#),
            JsonKind::Mastodon
        );
        assert_eq!(
            kind_of(r#"{"name": "app", "version": "1.0.0"}"#),
            JsonKind::Other(vec!["name".into(), "version".into()])
        );
        assert_eq!(kind_of("{}"), JsonKind::Other(vec![]));
        assert!(matches!(kind_of("[1, 2]"), JsonKind::NotAnObject(_)));
    }
}
