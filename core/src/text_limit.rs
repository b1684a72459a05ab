//! The most text Kith keeps in one field: a note, a name, the text of an interaction, a tag.
//!
//! A field of a megabyte is a book's chapter; anything longer is a file pasted by mistake or a
//! hostile one, and SQLite itself fails on values near a gigabyte with a message that names
//! nothing. Every import checks each field before the store is touched and names the file,
//! the record and the field; every write of what the user typed checks it too.

use crate::domain::*;
use crate::error::{Error, Result};

/// The most bytes of text one field may hold: 1 MB.
pub const MAX_TEXT_BYTES: usize = 1 << 20;

/// A field over the limit: which one (`notes`, `tags[2]`) and how long it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooLong {
    pub field: String,
    pub bytes: usize,
}

impl TooLong {
    /// Why the field is refused, for people.
    pub fn message(&self) -> String {
        format!(
            "{} is {} bytes long; Kith keeps at most {} bytes (1 MB) of text in one field",
            self.field,
            thousands(self.bytes),
            thousands(MAX_TEXT_BYTES)
        )
    }

    /// The error for text the user typed or a caller passed.
    pub fn invalid(&self) -> Error {
        Error::invalid(format!("{}. Nothing was saved.", self.message()))
    }
}

/// `Err` naming `field` when `text` is over the limit.
pub fn check(field: &str, text: &str) -> std::result::Result<(), TooLong> {
    if text.len() > MAX_TEXT_BYTES {
        Err(TooLong {
            field: field.to_string(),
            bytes: text.len(),
        })
    } else {
        Ok(())
    }
}

/// Walks the fields of a record, stopping at the first that is too long.
struct Fields(std::result::Result<(), TooLong>);

impl Fields {
    fn new() -> Fields {
        Fields(Ok(()))
    }

    fn one(mut self, field: &str, text: &str) -> Fields {
        if self.0.is_ok() {
            self.0 = check(field, text);
        }
        self
    }

    fn maybe(self, field: &str, text: Option<&str>) -> Fields {
        self.one(field, text.unwrap_or(""))
    }

    fn list(mut self, field: &str, items: &[String]) -> Fields {
        for (n, item) in items.iter().enumerate() {
            if self.0.is_err() {
                break;
            }
            if item.len() > MAX_TEXT_BYTES {
                self.0 = check(&format!("{field}[{n}]"), item);
            }
        }
        self
    }

    fn handles(mut self, handles: &[Handle]) -> Fields {
        for (n, h) in handles.iter().enumerate() {
            self = self.one(&format!("handles[{n}] ({})", h.platform.as_str()), &h.value);
        }
        self
    }

    fn roles(mut self, roles: &[Role]) -> Fields {
        for (n, r) in roles.iter().enumerate() {
            self = self.list(&format!("roles[{n}].topics"), &r.topics);
        }
        self
    }

    fn dates(mut self, dates: &[ImportantDate]) -> Fields {
        for (n, d) in dates.iter().enumerate() {
            self = self.one(&format!("dates[{n}].label"), &d.label);
        }
        self
    }

    fn done(self) -> std::result::Result<(), TooLong> {
        self.0
    }
}

/// The first field of `c` over the limit.
pub fn contact(c: &Contact) -> std::result::Result<(), TooLong> {
    Fields::new()
        .one("id", &c.id)
        .one("name", &c.name)
        .handles(&c.handles)
        .one("organisation", &c.organisation)
        .one("location", &c.location)
        .one("met_where", &c.met_where)
        .one("met_through", &c.met_through)
        .one("notes", &c.notes)
        .one("private_notes", &c.private_notes)
        .list("tags", &c.tags)
        .list("expertise", &c.expertise)
        .roles(&c.roles)
        .dates(&c.dates)
        .done()
}

/// The first field of `d` over the limit.
pub fn contact_draft(d: &ContactDraft) -> std::result::Result<(), TooLong> {
    Fields::new()
        .maybe("id", d.id.as_deref())
        .one("name", &d.name)
        .handles(&d.handles)
        .one("organisation", &d.organisation)
        .one("location", &d.location)
        .one("met_where", &d.met_where)
        .one("met_through", &d.met_through)
        .one("notes", &d.notes)
        .one("private_notes", &d.private_notes)
        .list("tags", &d.tags)
        .list("expertise", &d.expertise)
        .roles(&d.roles)
        .dates(&d.dates)
        .done()
}

/// The first field of `i` over the limit.
pub fn interaction(i: &Interaction) -> std::result::Result<(), TooLong> {
    Fields::new()
        .one("id", &i.id)
        .list("contact_ids", &i.contact_ids)
        .one("text", &i.text)
        .maybe("thread", i.thread.as_deref())
        .list("tags", &i.tags)
        .done()
}

/// The first field of `d` over the limit.
pub fn interaction_draft(d: &InteractionDraft) -> std::result::Result<(), TooLong> {
    Fields::new()
        .maybe("id", d.id.as_deref())
        .list("contact_ids", &d.contact_ids)
        .one("text", &d.text)
        .maybe("thread", d.thread.as_deref())
        .list("tags", &d.tags)
        .done()
}

/// The first field of `e` over the limit.
pub fn event(e: &Event) -> std::result::Result<(), TooLong> {
    Fields::new()
        .one("id", &e.id)
        .one("name", &e.name)
        .one("location", &e.location)
        .list("hashtags", &e.hashtags)
        .one("notes", &e.notes)
        .list("attendee_ids", &e.attendee_ids)
        .done()
}

/// The first field of `d` over the limit.
pub fn event_draft(d: &EventDraft) -> std::result::Result<(), TooLong> {
    Fields::new()
        .maybe("id", d.id.as_deref())
        .one("name", &d.name)
        .one("location", &d.location)
        .list("hashtags", &d.hashtags)
        .one("notes", &d.notes)
        .list("attendee_ids", &d.attendee_ids)
        .done()
}

/// Refuses a batch read from `source` in which a field is over the limit, naming the record
/// (its place in the batch, its name or time, and its id) and the field.
pub fn check_records(records: &Records, source: &str) -> Result<()> {
    let refuse = |record: String, e: TooLong| {
        Error::bad_import(source, format!("{record}, field {}", e.field), e.message())
    };
    for (n, c) in records.contacts.iter().enumerate() {
        contact(c).map_err(|e| {
            refuse(
                format!(
                    "contact {} ({}, id {})",
                    n + 1,
                    short(&c.name),
                    short(&format!("{:?}", c.id))
                ),
                e,
            )
        })?;
    }
    for (n, i) in records.interactions.iter().enumerate() {
        interaction(i).map_err(|e| {
            refuse(
                format!(
                    "interaction {} (of {}, id {})",
                    n + 1,
                    i.occurred_at.format("%Y-%m-%d %H:%M UTC"),
                    short(&format!("{:?}", i.id))
                ),
                e,
            )
        })?;
    }
    for (n, ev) in records.events.iter().enumerate() {
        event(ev).map_err(|e| {
            refuse(
                format!(
                    "event {} ({}, id {})",
                    n + 1,
                    short(&ev.name),
                    short(&format!("{:?}", ev.id))
                ),
                e,
            )
        })?;
    }
    Ok(())
}

/// A name or id short enough to show in a message, on one line.
fn short(text: &str) -> String {
    one_line(text, 60)
}

/// `1048576` as `1,048,576`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (k, ch) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// The first `max` characters of `s` on one line, for previews.
pub fn one_line(s: &str, max: usize) -> String {
    let flat: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        flat
    } else {
        let cut: String = flat.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_at_the_limit_passes_and_one_byte_more_is_named() {
        let at = "a".repeat(MAX_TEXT_BYTES);
        assert!(check("notes", &at).is_ok());
        let over = format!("{at}b");
        let e = check("notes", &over).unwrap_err();
        assert_eq!(
            e.message(),
            "notes is 1,048,577 bytes long; Kith keeps at most 1,048,576 bytes (1 MB) of text \
             in one field"
        );
    }

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(2_097_152), "2,097,152");
    }
}
