//! Search-as-you-type and the filtered contacts list.
//!
//! What people type is never passed to FTS5 as query syntax: each word becomes a quoted
//! phrase with a prefix star, so `O'Brien`, `AND`, `"` or `koha-serials` are all just text.

use super::{from_millis, parse_list, Store};
use crate::domain::*;
use crate::error::Result;
use rusqlite::params;
use std::collections::HashMap;

/// How many matching interactions a search returns at most.
const INTERACTION_HITS: u32 = 50;

/// Turns typed text into a safe FTS5 query (every word must match, each as a prefix).
/// Returns `None` when nothing searchable was typed.
pub fn fts_query(input: &str) -> Option<String> {
    let words: Vec<String> = input
        // Control characters separate words, as they do in the index; a NUL kept inside a
        // word would end FTS5's query string early ("unterminated string").
        .split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .map(|w| format!("\"{}\"*", w.replace('"', "\"\"")))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

impl Store {
    /// The contacts list: everyone, or those matching the filter, best matches first when
    /// searching and by name otherwise.
    pub fn list_contacts(&self, filter: &ContactFilter) -> Result<Vec<ContactSummary>> {
        let ranked = match filter.query.as_deref().map(str::trim) {
            Some(q) if !q.is_empty() => match fts_query(q) {
                Some(fts) => Some(self.matching_contacts(&fts)?),
                None => Some(HashMap::new()),
            },
            _ => None,
        };
        let ids_json = ranked
            .as_ref()
            .map(|m| serde_json::to_string(&m.keys().collect::<Vec<_>>()).unwrap_or_default());
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.id, c.key, c.name, c.organisation, c.location, c.tags,
                (SELECT group_concat(kind) FROM roles r WHERE r.contact_id = c.id),
                (SELECT platform || char(31) || value FROM handles h
                    WHERE h.contact_id = c.id ORDER BY position LIMIT 1),
                (SELECT count(*) FROM interaction_contacts ic WHERE ic.contact_id = c.id),
                (SELECT occurred_at || char(31) || channel FROM interaction_contacts ic
                    WHERE ic.contact_id = c.id ORDER BY occurred_at DESC LIMIT 1)
             FROM contacts c
             WHERE (?1 IS NULL OR c.id IN (SELECT value FROM json_each(?1)))
               AND (?2 IS NULL OR EXISTS (SELECT 1 FROM roles r WHERE r.contact_id = c.id AND r.kind = ?2))
               AND (?3 IS NULL OR EXISTS (SELECT 1 FROM interaction_contacts ic
                        WHERE ic.contact_id = c.id AND ic.channel = ?3))
               AND (?4 IS NULL OR EXISTS (SELECT 1 FROM json_each(c.tags) t
                        WHERE t.value = ?4 COLLATE NOCASE))
             ORDER BY c.name COLLATE NOCASE, c.id",
        )?;
        let rows = stmt.query_map(
            params![
                ids_json,
                filter.role.map(RoleKind::as_str),
                filter.channel.map(Channel::as_str),
                filter
                    .tag
                    .as_deref()
                    .map(str::trim)
                    .filter(|t| !t.is_empty()),
            ],
            |row| {
                let roles: Option<String> = row.get(6)?;
                let handle: Option<String> = row.get(7)?;
                let last: Option<String> = row.get(9)?;
                let (last_at, last_channel) =
                    match last.as_deref().and_then(|l| l.split_once('\u{1f}')) {
                        Some((at, ch)) => (
                            at.parse::<i64>().ok().map(from_millis),
                            ch.parse::<Channel>().ok(),
                        ),
                        None => (None, None),
                    };
                let mut roles: Vec<RoleKind> = roles
                    .unwrap_or_default()
                    .split(',')
                    .filter_map(|r| r.parse().ok())
                    .collect();
                roles.sort();
                Ok((
                    row.get::<_, i64>(0)?,
                    ContactSummary {
                        id: row.get(1)?,
                        name: row.get(2)?,
                        organisation: row.get(3)?,
                        location: row.get(4)?,
                        tags: parse_list(&row.get::<_, String>(5)?),
                        roles,
                        primary_handle: handle.and_then(|h| {
                            let (p, v) = h.split_once('\u{1f}')?;
                            Some(Handle {
                                platform: p.parse().unwrap_or(Platform::Other),
                                value: v.to_string(),
                            })
                        }),
                        interaction_count: row.get(8)?,
                        last_interaction_at: last_at,
                        last_channel,
                    },
                ))
            },
        )?;
        let mut out: Vec<(i64, ContactSummary)> = rows.collect::<rusqlite::Result<_>>()?;
        if let Some(ranked) = ranked {
            // Best match first; ties keep name order (the sort is stable).
            out.sort_by(|a, b| {
                let ra = ranked.get(&a.0).copied().unwrap_or(f64::MAX);
                let rb = ranked.get(&b.0).copied().unwrap_or(f64::MAX);
                ra.total_cmp(&rb)
            });
        }
        Ok(out.into_iter().map(|(_, s)| s).collect())
    }

    /// Contacts whose own fields or interactions match, with a rank (lower is better):
    /// a hit in the name or handles beats one in notes, which beats one in interactions.
    fn matching_contacts(&self, fts: &str) -> Result<HashMap<i64, f64>> {
        let mut ranked: HashMap<i64, f64> = HashMap::new();
        let mut stmt = self.conn.prepare_cached(
            "SELECT rowid, bm25(contacts_fts, 10.0, 5.0, 1.0) FROM contacts_fts
             WHERE contacts_fts MATCH ?1",
        )?;
        let mut rows = stmt.query([fts])?;
        while let Some(row) = rows.next()? {
            // bm25 is negative, better matches more so.
            ranked.insert(row.get(0)?, row.get::<_, f64>(1)?);
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT ic.contact_id, count(*) FROM interactions_fts f
             JOIN interaction_contacts ic ON ic.interaction_id = f.rowid
             WHERE interactions_fts MATCH ?1
             GROUP BY ic.contact_id",
        )?;
        let mut rows = stmt.query([fts])?;
        while let Some(row) = rows.next()? {
            let id: i64 = row.get(0)?;
            let hits: i64 = row.get(1)?;
            // Interaction-only matches rank after every profile match, more hits first.
            ranked.entry(id).or_insert(1.0 / (hits as f64 + 1.0));
        }
        Ok(ranked)
    }

    /// Everything that matches: contacts, and the interactions whose text or tags match.
    pub fn search(&self, query: &str) -> Result<SearchResults> {
        let contacts = self.list_contacts(&ContactFilter {
            query: Some(query.to_string()),
            ..ContactFilter::default()
        })?;
        let Some(fts) = fts_query(query) else {
            return Ok(SearchResults {
                contacts,
                interactions: Vec::new(),
            });
        };
        let mut stmt = self.conn.prepare_cached(
            "SELECT f.rowid FROM interactions_fts f WHERE interactions_fts MATCH ?1
             ORDER BY bm25(interactions_fts) LIMIT ?2",
        )?;
        let ids: Vec<i64> = stmt
            .query_map(params![fts, INTERACTION_HITS], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut interactions = Vec::with_capacity(ids.len());
        for id in ids {
            let key: String =
                self.conn
                    .query_row("SELECT key FROM interactions WHERE id = ?1", [id], |r| {
                        r.get(0)
                    })?;
            let interaction = self.interaction(&key)?;
            let mut names = Vec::with_capacity(interaction.contact_ids.len());
            for c in &interaction.contact_ids {
                names.push(self.conn.query_row(
                    "SELECT name FROM contacts WHERE key = ?1",
                    [c],
                    |r| r.get::<_, String>(0),
                )?);
            }
            interactions.push(TimelineEntry {
                interaction,
                contact_names: names,
            });
        }
        // Newest first among the best matches: that is how people remember conversations.
        interactions.sort_by_key(|e| std::cmp::Reverse(e.interaction.occurred_at));
        Ok(SearchResults {
            contacts,
            interactions,
        })
    }
}
