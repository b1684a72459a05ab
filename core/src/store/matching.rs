//! Recognising the same person across sources.
//!
//! Certain: the same email address, or the same handle on Twitter/X, Mastodon, Bluesky or
//! LinkedIn (compared normalised: case, `@`, `mailto:`, URL scheme and trailing slash do not
//! matter). An incoming contact that is certainly someone already known is imported into that
//! contact: its key becomes an alias of theirs, so the next import of the same file goes
//! straight to them.
//!
//! Not certain: the same or a very similar name with different identifiers. Those are only
//! proposed, by [`Store::find_duplicates`], for the user to merge or keep apart.

use super::contacts::rowid;
use super::records::{import_records_tx, WriteProgress, UNRESOLVED_TAG};
use super::{ImportReport, Records, Store};
use crate::domain::*;
use crate::error::Result;
use crate::handles::normalize_handle;
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};
use specta::Type;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Platforms where one handle is one person.
const CERTAIN_PLATFORMS: [Platform; 5] = [
    Platform::Email,
    Platform::Twitter,
    Platform::Mastodon,
    Platform::Bluesky,
    Platform::Linkedin,
];

/// Key prefixes that hold a platform's own account id: two different ids there are two
/// accounts even when they once used the same handle.
const ACCOUNT_ID_SOURCES: [&str; 2] = ["twitter:", "bluesky:"];

/// Two contacts that may be one person, for the merge view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct DuplicatePair {
    pub a: ContactSummary,
    pub b: ContactSummary,
    /// Why they look alike, for people ("same email address ann@example.org").
    pub reason: String,
    /// True when an identifier is shared (same email or handle), false for similar names.
    pub certain: bool,
}

/// An incoming contact imported into someone already known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AutoMerge {
    pub incoming: String,
    pub into: String,
    pub into_name: String,
    pub reason: String,
}

/// What [`Store::import_matched`] did.
#[derive(Debug, Clone, PartialEq)]
pub struct MatchedImport {
    pub report: ImportReport,
    pub merges: Vec<AutoMerge>,
}

impl Store {
    /// Imports a batch after matching its contacts to the people already known, in one
    /// transaction; with `commit == false` the transaction is rolled back (a preview).
    pub fn import_matched(
        &mut self,
        mut records: Records,
        source: &str,
        now: DateTime<Utc>,
        commit: bool,
        progress: WriteProgress<'_>,
    ) -> Result<MatchedImport> {
        let tx = self.write_tx()?;
        let merges = resolve_identities(&tx, &mut records)?;
        let report = import_records_tx(&tx, records, source, now, progress)?;
        if commit {
            tx.commit()?;
        } else {
            tx.rollback()?;
        }
        Ok(MatchedImport { report, merges })
    }

    /// Every email address in the store (normalised) and the key of its contact.
    pub fn email_index(&self) -> Result<HashMap<String, String>> {
        let mut stmt = self.conn.prepare(
            "SELECT h.normalized, c.key FROM handles h JOIN contacts c ON c.id = h.contact_id
             WHERE h.platform = 'email' ORDER BY c.id",
        )?;
        let mut out = HashMap::new();
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            out.entry(r.get(0)?).or_insert(r.get(1)?);
        }
        Ok(out)
    }

    /// Pairs of contacts that may be the same person: certain ones (a shared email address or
    /// handle) first, then similar names.
    pub fn find_duplicates(&self) -> Result<Vec<DuplicatePair>> {
        let contacts = self.all_contacts()?;
        let summaries: HashMap<String, ContactSummary> = self
            .list_contacts(&ContactFilter::default())?
            .into_iter()
            .map(|s| (s.id.clone(), s))
            .collect();
        let mut seen: HashSet<(String, String)> = HashSet::new();
        let mut out = Vec::new();
        let mut push = |a: &str, b: &str, reason: String, certain: bool, out: &mut Vec<_>| {
            let pair = if a < b {
                (a.to_string(), b.to_string())
            } else {
                (b.to_string(), a.to_string())
            };
            if a == b || !seen.insert(pair.clone()) {
                return;
            }
            if let (Some(x), Some(y)) = (summaries.get(&pair.0), summaries.get(&pair.1)) {
                out.push(DuplicatePair {
                    a: x.clone(),
                    b: y.clone(),
                    reason,
                    certain,
                });
            }
        };

        // Shared identifiers.
        let mut by_handle: BTreeMap<(Platform, String), Vec<(&str, &str)>> = BTreeMap::new();
        for c in &contacts {
            for h in c
                .handles
                .iter()
                .filter(|h| CERTAIN_PLATFORMS.contains(&h.platform))
            {
                let list = by_handle
                    .entry((h.platform, normalize_handle(&h.value)))
                    .or_default();
                // Contacts come one at a time: only this one's own entry can be a repeat.
                if list.last().is_none_or(|(k, _)| *k != c.id) {
                    list.push((c.id.as_str(), h.value.as_str()));
                }
            }
        }
        for ((platform, _), list) in &by_handle {
            for (i, (a, value)) in list.iter().enumerate().take(50) {
                for (b, _) in list.iter().skip(i + 1).take(50) {
                    let two_accounts = distinct_accounts(a, b);
                    let reason = if two_accounts {
                        format!(
                            "two {} accounts have used the handle {value}",
                            platform_label(*platform)
                        )
                    } else {
                        format!("same {} {value}", identifier_label(*platform))
                    };
                    push(a, b, reason, !two_accounts, &mut out);
                }
            }
        }

        // Similar names: grouped by last name, then compared by first name.
        let mut by_last: BTreeMap<String, Vec<(&Contact, Vec<String>)>> = BTreeMap::new();
        for c in &contacts {
            if c.tags.iter().any(|t| t == UNRESOLVED_TAG) {
                continue;
            }
            let words = name_words(&c.name);
            if let Some(last) = words.last().cloned() {
                by_last.entry(last).or_default().push((c, words));
            }
        }
        for group in by_last.values() {
            for (i, (a, wa)) in group.iter().enumerate().take(200) {
                for (b, wb) in group.iter().skip(i + 1).take(200) {
                    if let Some(reason) = names_alike(wa, wb) {
                        push(&a.id, &b.id, reason, false, &mut out);
                    }
                }
            }
        }
        out.sort_by_key(|p| !p.certain);
        Ok(out)
    }
}

fn distinct_accounts(a: &str, b: &str) -> bool {
    ACCOUNT_ID_SOURCES
        .iter()
        .any(|p| a.starts_with(p) && b.starts_with(p) && a != b)
}

fn platform_label(p: Platform) -> &'static str {
    match p {
        Platform::Twitter => "Twitter/X",
        Platform::Mastodon => "Mastodon",
        Platform::Bluesky => "Bluesky",
        Platform::Linkedin => "LinkedIn",
        Platform::Email => "email",
        _ => p.as_str(),
    }
}

fn identifier_label(p: Platform) -> String {
    match p {
        Platform::Email => "email address".into(),
        Platform::Linkedin => "LinkedIn profile".into(),
        other => format!("{} handle", platform_label(other)),
    }
}

/// Lower-case words of a name without punctuation or diacritics that matter for matching.
fn name_words(name: &str) -> Vec<String> {
    name.split(|c: char| c.is_whitespace() || c == ',' || c == '.')
        .map(|w| {
            w.chars()
                .filter(|c| c.is_alphanumeric() || *c == '-' || *c == '\'')
                .flat_map(char::to_lowercase)
                .collect::<String>()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// Why two names (as words, same last word) look like one person, if they do.
fn names_alike(a: &[String], b: &[String]) -> Option<String> {
    if a == b {
        return Some("same name".into());
    }
    let (fa, fb) = (a.first()?, b.first()?);
    if a.len() < 2 || b.len() < 2 {
        return None;
    }
    let initial = |x: &str, y: &str| x.chars().count() == 1 && y.starts_with(x);
    let prefix = |x: &str, y: &str| x.chars().count() >= 3 && y.starts_with(x);
    if initial(fa, fb) || initial(fb, fa) || prefix(fa, fb) || prefix(fb, fa) {
        return Some("similar name".into());
    }
    None
}

/// Maps incoming contacts that are certainly people already known (in the store, or earlier
/// in the batch) onto them. Store matches get an alias row; batch matches take the earlier
/// contact's key. Returns what was merged.
pub(crate) fn resolve_identities(
    conn: &Connection,
    records: &mut Records,
) -> Result<Vec<AutoMerge>> {
    let mut in_batch: HashMap<(Platform, String), String> = HashMap::new();
    let mut names: HashMap<String, String> = HashMap::new();
    let mut renamed: HashMap<String, String> = HashMap::new();
    let mut merges = Vec::new();
    let mut lookup = conn.prepare_cached(
        "SELECT DISTINCT c.id, c.key, c.name FROM handles h JOIN contacts c ON c.id = h.contact_id
         WHERE h.platform = ?1 AND h.normalized = ?2 ORDER BY c.id",
    )?;
    for c in records.contacts.iter_mut() {
        if let Some(new) = renamed.get(&c.id) {
            c.id = new.clone();
        }
        let certain: Vec<(Platform, String, String)> = c
            .handles
            .iter()
            .filter(|h| CERTAIN_PLATFORMS.contains(&h.platform))
            .map(|h| (h.platform, normalize_handle(&h.value), h.value.clone()))
            .filter(|(_, n, _)| !n.is_empty())
            .collect();
        if rowid(conn, &c.id)?.is_none() && !names.contains_key(&c.id) {
            // target key → (row id if stored, name, reason)
            let mut targets: Vec<(String, Option<i64>, String, String)> = Vec::new();
            for (platform, norm, value) in &certain {
                let reason = format!("same {} {value}", identifier_label(*platform));
                if let Some(k) = in_batch.get(&(*platform, norm.clone())) {
                    let name = names.get(k).cloned().unwrap_or_default();
                    targets.push((k.clone(), rowid(conn, k)?, name, reason));
                    continue;
                }
                let rows = lookup.query_map(params![platform.as_str(), norm], |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                    ))
                })?;
                for row in rows {
                    let (id, key, name) = row?;
                    targets.push((key, Some(id), name, reason.clone()));
                }
            }
            targets.retain(|(k, ..)| !distinct_accounts(&c.id, k));
            // Found in sets, so a contact with many handles costs their number.
            let mut distinct: Vec<&(String, Option<i64>, String, String)> = Vec::new();
            let (mut rows, mut keys) = (HashSet::new(), HashSet::new());
            for t in &targets {
                let new = match t.1 {
                    Some(row) => rows.insert(row),
                    None => keys.insert(t.0.as_str()),
                };
                if new {
                    distinct.push(t);
                }
            }
            if let [(key, id, name, reason)] = distinct.as_slice() {
                merges.push(AutoMerge {
                    incoming: c.id.clone(),
                    into: key.clone(),
                    into_name: name.clone(),
                    reason: reason.clone(),
                });
                match id {
                    Some(id) => {
                        conn.prepare_cached(
                            "INSERT OR IGNORE INTO contact_aliases (key, contact_id) VALUES (?1, ?2)",
                        )?
                        .execute(params![c.id, id])?;
                    }
                    None => {
                        renamed.insert(c.id.clone(), key.clone());
                        c.id = key.clone();
                    }
                }
            }
        }
        names.entry(c.id.clone()).or_insert_with(|| c.name.clone());
        for (platform, norm, _) in certain {
            in_batch
                .entry((platform, norm))
                .or_insert_with(|| c.id.clone());
        }
    }
    if !renamed.is_empty() {
        for i in records.interactions.iter_mut() {
            for k in i.contact_ids.iter_mut() {
                if let Some(new) = renamed.get(k) {
                    *k = new.clone();
                }
            }
        }
        for e in records.events.iter_mut() {
            for k in e.attendee_ids.iter_mut() {
                if let Some(new) = renamed.get(k) {
                    *k = new.clone();
                }
            }
        }
    }
    Ok(merges)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_alike_catches_initials_and_short_forms_only() {
        let w = |s: &str| name_words(s);
        assert_eq!(
            names_alike(&w("Ann Lee"), &w("ann  lee")).as_deref(),
            Some("same name")
        );
        assert_eq!(
            names_alike(&w("J. Smith"), &w("Jane Smith")).as_deref(),
            Some("similar name")
        );
        assert_eq!(
            names_alike(&w("Jon Smith"), &w("Jonathan Smith")).as_deref(),
            Some("similar name")
        );
        assert_eq!(names_alike(&w("Jo Smith"), &w("Jane Smith")), None);
        assert_eq!(names_alike(&w("Smith"), &w("Jane Smith")), None);
    }
}
