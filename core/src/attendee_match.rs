//! Who from the network is on an event's attendee list.
//!
//! The list comes as pasted or imported text: a CSV from the organisers with any of name,
//! handle and email columns, a list of speakers one per line, the handles seen on the
//! hashtag. Each entry is matched to contacts by email, then by handle (any platform, in its
//! normalised form), then by name (exact, ignoring case and accents), and only then by a
//! cautious fuzzy comparison whose result is reported as "possible" and never added without
//! the user's say. Entries that match nobody are kept, so the user can add them as contacts.
//!
//! The text is data from elsewhere: it is compared, never interpreted, and returned as given.

use crate::domain::{Contact, Event, Platform};
use crate::error::Result;
use crate::handles::normalize_handle;
use serde::{Deserialize, Serialize};
use specta::Type;
use std::collections::{BTreeMap, HashMap};
use unicode_normalization::UnicodeNormalization;

/// How an entry was matched to a contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    /// The entry's email address is one of the contact's.
    Email,
    /// The entry's handle is one of the contact's, on any platform.
    Handle,
    /// The entry's name is the contact's, ignoring case, accents and spacing.
    Name,
    /// Probably the contact (a near spelling, initials, names in another order, or one of
    /// several contacts sharing the email, handle or name): the user decides.
    Possible,
    /// Nobody in the network.
    None,
}

impl MatchKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MatchKind::Email => "email",
            MatchKind::Handle => "handle",
            MatchKind::Name => "name",
            MatchKind::Possible => "possible",
            MatchKind::None => "none",
        }
    }

    /// Whether the match is certain enough to act on without asking.
    pub fn is_certain(self) -> bool {
        matches!(self, MatchKind::Email | MatchKind::Handle | MatchKind::Name)
    }
}

/// One entry of an attendee list and the contact it matched, if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct AttendeeMatch {
    /// The entry as it appeared in the list (a line, or a CSV row's fields joined).
    pub entry: String,
    pub contact_id: Option<String>,
    pub contact_name: Option<String>,
    pub how: MatchKind,
    /// What the entry says, to start a new contact from when nobody matched.
    pub name: Option<String>,
    pub emails: Vec<String>,
    pub handles: Vec<String>,
}

/// An entry of an attendee list, split into what it says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AttendeeEntry {
    /// The entry as it appeared.
    pub raw: String,
    pub name: Option<String>,
    pub emails: Vec<String>,
    pub handles: Vec<String>,
}

/// Entries longer than this are not compared by spelling: nobody's name is this long, and
/// the comparison's cost grows with the square of the length.
const MAX_FUZZY_CHARS: usize = 120;

/// Splits an attendee list into entries. A first line that names columns (name, email,
/// handle, twitter, mastodon…) makes the text a CSV (comma, semicolon or tab separated);
/// anything else is one entry per line, where `@handles`, URLs and email addresses are told
/// apart from the name around them ("Ana Lima (@ana@glammr.example)"). Blank lines and lines
/// starting with `#` followed by a space (comments) are skipped.
pub fn parse_attendee_list(text: &str) -> Vec<AttendeeEntry> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Some(entries) = parse_csv(text) {
        return entries;
    }
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("# ") && *l != "#")
        .map(parse_line)
        .collect()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Column {
    Name,
    First,
    Last,
    Email,
    Handle,
    Other,
}

fn column_kind(header: &str) -> Column {
    let h: String = header
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect();
    match h.as_str() {
        "name" | "fullname" | "attendee" | "attendeename" | "speaker" | "speakername"
        | "displayname" | "participant" | "person" => Column::Name,
        "firstname" | "givenname" | "first" | "forename" => Column::First,
        "lastname" | "surname" | "familyname" | "last" => Column::Last,
        "email" | "emailaddress" | "mail" | "email1" => Column::Email,
        "handle" | "twitter" | "x" | "mastodon" | "bluesky" | "bsky" | "fediverse" | "social"
        | "username" | "handles" | "website" | "blog" | "url" | "linkedin" => Column::Handle,
        _ => Column::Other,
    }
}

fn parse_csv(text: &str) -> Option<Vec<AttendeeEntry>> {
    let first = text.lines().find(|l| !l.trim().is_empty())?;
    let delimiter = [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|&d| first.bytes().filter(|&b| b == d).count())?;
    if !first.bytes().any(|b| b == delimiter) && column_kind(first) == Column::Other {
        return None;
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let headers: Vec<Column> = reader.headers().ok()?.iter().map(column_kind).collect();
    if !headers.iter().any(|c| *c != Column::Other) {
        return None;
    }
    let mut out = Vec::new();
    for record in reader.records() {
        let Ok(record) = record else { continue };
        let mut entry = AttendeeEntry::default();
        let (mut first, mut last, mut name) = (None, None, None);
        for (field, kind) in record.iter().zip(&headers) {
            let value = field.trim();
            if value.is_empty() {
                continue;
            }
            match kind {
                Column::Name => name = Some(value.to_string()),
                Column::First => first = Some(value.to_string()),
                Column::Last => last = Some(value.to_string()),
                Column::Email => entry.emails.extend(split_many(value)),
                Column::Handle => entry.handles.extend(split_many(value)),
                Column::Other => {}
            }
        }
        entry.name = name.or_else(|| {
            let joined = [first, last].into_iter().flatten().collect::<Vec<_>>();
            (!joined.is_empty()).then(|| joined.join(" "))
        });
        let fields: Vec<&str> = record
            .iter()
            .map(str::trim)
            .filter(|f| !f.is_empty())
            .collect();
        if fields.is_empty() {
            continue;
        }
        entry.raw = fields.join(", ");
        out.push(entry);
    }
    Some(out)
}

/// Several addresses or handles in one cell, separated by spaces, commas or semicolons.
fn split_many(value: &str) -> impl Iterator<Item = String> + '_ {
    value
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .map(|s| s.trim_matches(|c: char| "<>()[]\"'".contains(c)))
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn looks_like_email(token: &str) -> bool {
    let t = token.strip_prefix("mailto:").unwrap_or(token);
    match t.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !local.contains('@')
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        }
        None => false,
    }
}

fn looks_like_handle(token: &str) -> bool {
    token.len() > 1 && token.starts_with('@')
        || token.contains("://")
        || token.starts_with("www.")
        || token.ends_with(".bsky.social")
}

fn parse_line(line: &str) -> AttendeeEntry {
    let mut entry = AttendeeEntry {
        raw: line.to_string(),
        ..AttendeeEntry::default()
    };
    let mut name_words = Vec::new();
    for token in line.split(|c: char| c.is_whitespace() || c == ',' || c == ';' || c == '|') {
        let t = token.trim_matches(|c: char| "<>()[]\"'".contains(c));
        if t.is_empty() {
            continue;
        }
        if looks_like_handle(t) {
            entry.handles.push(t.to_string());
        } else if looks_like_email(t) {
            entry
                .emails
                .push(t.strip_prefix("mailto:").unwrap_or(t).to_string());
        } else if t != "-" && t != "–" && t != "—" {
            name_words.push(t);
        }
    }
    if !name_words.is_empty() {
        entry.name = Some(name_words.join(" "));
    }
    entry
}

/// A name in the form used for comparison: accents removed, lower case, letters and digits
/// only, words separated by single spaces.
pub fn fold_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut space = false;
    for c in name.nfkd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        if c.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.extend(c.to_lowercase());
        } else if c != '\'' && c != '’' {
            space = true;
        }
    }
    out
}

/// The contacts, indexed for matching.
pub struct MatchIndex<'a> {
    contacts: &'a [Contact],
    emails: HashMap<String, Vec<usize>>,
    handles: HashMap<String, Vec<usize>>,
    names: HashMap<String, Vec<usize>>,
    folded: Vec<String>,
}

impl<'a> MatchIndex<'a> {
    pub fn new(contacts: &'a [Contact]) -> MatchIndex<'a> {
        let mut emails: HashMap<String, Vec<usize>> = HashMap::new();
        let mut handles: HashMap<String, Vec<usize>> = HashMap::new();
        let mut names: HashMap<String, Vec<usize>> = HashMap::new();
        let mut folded = Vec::with_capacity(contacts.len());
        for (i, c) in contacts.iter().enumerate() {
            for h in &c.handles {
                let norm = normalize_handle(&h.value);
                if norm.is_empty() {
                    continue;
                }
                let map = if h.platform == Platform::Email {
                    &mut emails
                } else {
                    &mut handles
                };
                push_unique(map.entry(norm).or_default(), i);
            }
            let f = fold_name(&c.name);
            if !f.is_empty() {
                push_unique(names.entry(f.clone()).or_default(), i);
            }
            folded.push(f);
        }
        MatchIndex {
            contacts,
            emails,
            handles,
            names,
            folded,
        }
    }

    /// Matches one entry: email, then handle, then exact name, then a possible match.
    pub fn match_entry(&self, entry: &AttendeeEntry) -> AttendeeMatch {
        let found = |map: &HashMap<String, Vec<usize>>, values: &[String]| -> Vec<usize> {
            let mut hits = Vec::new();
            for v in values {
                if let Some(list) = map.get(&normalize_handle(v)) {
                    for &i in list {
                        push_unique(&mut hits, i);
                    }
                }
            }
            hits
        };
        let mut tried: Vec<(MatchKind, Vec<usize>)> = vec![
            (MatchKind::Email, found(&self.emails, &entry.emails)),
            // An address in a handle column, or a handle written like an address, still counts.
            (MatchKind::Handle, {
                let mut all = entry.handles.clone();
                all.extend(entry.emails.iter().cloned());
                let mut hits = found(&self.handles, &all);
                for i in found(&self.emails, &entry.handles) {
                    push_unique(&mut hits, i);
                }
                hits
            }),
        ];
        let folded = entry.name.as_deref().map(fold_name).unwrap_or_default();
        if !folded.is_empty() {
            tried.push((
                MatchKind::Name,
                self.names.get(&folded).cloned().unwrap_or_default(),
            ));
        }
        for (kind, hits) in &tried {
            match hits.as_slice() {
                [] => continue,
                [one] => return self.result(entry, Some(*one), *kind),
                many => {
                    let first = self.first_by_name(many);
                    return self.result(entry, Some(first), MatchKind::Possible);
                }
            }
        }
        match self.fuzzy(&folded) {
            Some(i) => self.result(entry, Some(i), MatchKind::Possible),
            None => self.result(entry, None, MatchKind::None),
        }
    }

    fn first_by_name(&self, many: &[usize]) -> usize {
        let mut sorted = many.to_vec();
        sorted.sort_by(|&a, &b| {
            self.folded[a]
                .cmp(&self.folded[b])
                .then_with(|| self.contacts[a].id.cmp(&self.contacts[b].id))
        });
        sorted[0]
    }

    fn result(
        &self,
        entry: &AttendeeEntry,
        contact: Option<usize>,
        how: MatchKind,
    ) -> AttendeeMatch {
        AttendeeMatch {
            entry: entry.raw.clone(),
            contact_id: contact.map(|i| self.contacts[i].id.clone()),
            contact_name: contact.map(|i| self.contacts[i].name.clone()),
            how,
            name: entry.name.clone(),
            emails: entry.emails.clone(),
            handles: entry.handles.clone(),
        }
    }

    /// The contact whose name is close to `folded`, if exactly one is closest. Close means:
    /// the same words in another order; initials for the given names ("A. Lima"); the entry's
    /// words all in the contact's name and at least two of them ("Ana Lima" for "Ana María
    /// Lima"); or a spelling at most one edit away (two for long names).
    fn fuzzy(&self, folded: &str) -> Option<usize> {
        let chars = folded.chars().count();
        if !(4..=MAX_FUZZY_CHARS).contains(&chars) {
            return None;
        }
        let words: Vec<&str> = folded.split(' ').collect();
        let mut best: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
        for (i, name) in self.folded.iter().enumerate() {
            if name.is_empty() || name.chars().count() > MAX_FUZZY_CHARS {
                continue;
            }
            if let Some(score) = closeness(&words, folded, name) {
                best.entry(score).or_default().push(i);
            }
        }
        let (_, list) = best.into_iter().next()?;
        match list.as_slice() {
            [one] => Some(*one),
            _ => None,
        }
    }
}

fn push_unique(list: &mut Vec<usize>, i: usize) {
    if !list.contains(&i) {
        list.push(i);
    }
}

/// Lower is closer; `None` is not close.
fn closeness(words: &[&str], folded: &str, name: &str) -> Option<u32> {
    let theirs: Vec<&str> = name.split(' ').collect();
    let mut a = words.to_vec();
    let mut b = theirs.clone();
    a.sort_unstable();
    b.sort_unstable();
    if a.len() > 1 && a == b {
        return Some(0);
    }
    // Initials: "a lima" or "a m lima" for "ana maria lima": same last word, and every other
    // word of the entry is an initial (or the whole word) of the contact's, in order.
    if words.len() >= 2 && theirs.len() >= 2 && words.last() == theirs.last() {
        let given = &words[..words.len() - 1];
        let their_given = &theirs[..theirs.len() - 1];
        if given.iter().any(|w| w.chars().count() == 1) && given.len() <= their_given.len() {
            let fits = given
                .iter()
                .zip(their_given)
                .all(|(w, t)| *w == *t || (w.chars().count() == 1 && t.starts_with(*w)));
            if fits {
                return Some(1);
            }
        }
    }
    if words.len() >= 2 && words.iter().all(|w| theirs.contains(w)) {
        return Some(2);
    }
    let limit = if folded.chars().count() >= 12 { 2 } else { 1 };
    let d = edit_distance(folded, name, limit)?;
    (d <= limit).then_some(2 + d as u32)
}

/// Levenshtein distance over characters, or `None` once it must exceed `limit`.
fn edit_distance(a: &str, b: &str, limit: usize) -> Option<usize> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        let mut row_min = cur[0];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
            row_min = row_min.min(cur[j + 1]);
        }
        if row_min > limit {
            return None;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    let d = prev[b.len()];
    (d <= limit).then_some(d)
}

/// Matches every entry of an attendee list against the contacts, in the list's order.
pub fn match_attendees(contacts: &[Contact], entries: &[AttendeeEntry]) -> Vec<AttendeeMatch> {
    let index = MatchIndex::new(contacts);
    entries.iter().map(|e| index.match_entry(e)).collect()
}

/// Attendee lists bigger than this are refused rather than read into memory.
pub const MAX_LIST_BYTES: u64 = 20 * 1024 * 1024;

/// Reads an attendee list (a CSV from the organisers, a list of names or handles) from
/// `reader`; `label` names it in errors. Bytes that are not UTF-8 become U+FFFD, so a list
/// saved in another encoding still matches on its handles and email addresses.
pub fn read_attendee_list(reader: impl std::io::Read, label: &str) -> Result<String> {
    use std::io::Read;
    let mut bytes = Vec::new();
    reader
        .take(MAX_LIST_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| crate::Error::io(label, e))?;
    if bytes.len() as u64 > MAX_LIST_BYTES {
        return Err(crate::Error::invalid(format!(
            "{label}: the list is larger than {} MB; split it",
            MAX_LIST_BYTES / 1024 / 1024
        )));
    }
    let text = String::from_utf8_lossy(&bytes).into_owned();
    Ok(text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text))
}

/// [`read_attendee_list`] from a file.
pub fn read_attendee_file(path: &std::path::Path) -> Result<String> {
    // Only a regular file is opened: reading a named pipe waits for a writer, forever if
    // none comes.
    let meta = std::fs::metadata(path).map_err(|e| crate::Error::io(path, e))?;
    if !meta.is_file() {
        return Err(crate::Error::invalid(format!(
            "{}: this is not a file (a folder, a named pipe or a device); choose the list's file",
            path.display()
        )));
    }
    let file = std::fs::File::open(path).map_err(|e| crate::Error::io(path, e))?;
    read_attendee_list(file, &path.display().to_string())
}

/// What adding matched people to an event did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct AttendeesAdded {
    pub event: Event,
    /// Contacts newly on the attendee list.
    pub added: Vec<String>,
    /// Contacts that were on it already.
    pub already: Vec<String>,
}
