//! Search-as-you-type and the filtered contacts list.
//!
//! What people type is never passed to FTS5 as query syntax: each word becomes a quoted
//! phrase with a prefix star, so `O'Brien`, `AND`, `"` or `koha-serials` are all just text.
//!
//! Every query is answered while the user types, so none may cost in proportion to the
//! whole network. Names, handles and notes match from the first letter (there is one row
//! per contact). In interaction text, a word counts from its third letter: a shorter prefix
//! matches a large part of every conversation, says nothing yet about what the user looks
//! for, and would make each keystroke scan most of the interactions; so "koha s" finds the
//! conversations about Koha until the second word is long enough to narrow them. The
//! interactions listed
//! are the most recently recorded matches, which the full-text index yields newest first
//! without ranking every match.
//!
//! Contacts are found through their interactions in an index with a few documents per contact
//! (`contact_words`), so a common word costs a row or so per contact, not one per interaction.
//! Each typed word is looked up on its own: a contact matches when every word occurs among
//! their interactions, not necessarily in the same one.

use super::changes::{in_order, Changed, Since};
use super::contacts::CONTACT_ORDER;
use super::interactions::{collect_people, interaction_from_row, INTERACTION_COLUMNS};
use super::{contact_words, decode, decode_list, decode_millis, Place, Store};
use crate::attendee_match::fold_name;
use crate::domain::*;
use crate::error::Result;
use rusqlite::{params, OptionalExtension};
use std::collections::{HashMap, HashSet};

/// How many matching interactions a search returns at most.
const INTERACTION_HITS: u32 = 50;

/// The shortest word searched for in interaction text.
const MIN_TEXT_WORD: usize = 3;

/// Turns typed text into a safe FTS5 query (every word must match, each as a prefix).
/// Returns `None` when nothing searchable was typed.
pub fn fts_query(input: &str) -> Option<String> {
    fts_query_min(input, 1)
}

/// As [`fts_query`], keeping only words of at least `min_chars` characters.
fn fts_query_min(input: &str, min_chars: usize) -> Option<String> {
    let words = fts_words(input, min_chars);
    (!words.is_empty()).then(|| words.join(" "))
}

/// Each typed word of at least `min_chars` characters as a safe FTS5 prefix phrase.
fn fts_words(input: &str, min_chars: usize) -> Vec<String> {
    input
        // Control characters separate words, as they do in the index; a NUL kept inside a
        // word would end FTS5's query string early ("unterminated string").
        .split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .filter(|w| w.chars().filter(|c| c.is_alphanumeric()).count() >= min_chars)
        .map(|w| format!("\"{}\"*", w.replace('"', "\"\"")))
        .collect()
}

impl Store {
    /// The contacts list: everyone, or those matching the filter, best matches first when
    /// searching and by name otherwise.
    ///
    /// The whole list (every contact's summary, counts included) is read once and kept until
    /// the file changes, so a keystroke costs the full-text queries and a pass over the kept
    /// list, not a query per listed contact.
    pub fn list_contacts(&self, filter: &ContactFilter) -> Result<Vec<ContactSummary>> {
        let ranked = match filter.query.as_deref().map(str::trim) {
            Some(q) if !q.is_empty() => Some(self.matching_contacts(q)?),
            _ => None,
        };
        let on_channel: Option<HashSet<i64>> = match filter.channel {
            Some(channel) => {
                let mut stmt = self.conn.prepare_cached(
                    "SELECT c.id FROM contacts c WHERE EXISTS (SELECT 1 FROM interaction_contacts ic
                         WHERE ic.contact_id = c.id AND ic.channel = ?1)",
                )?;
                let rows = stmt.query_map([channel.as_str()], |r| r.get(0))?;
                Some(rows.collect::<rusqlite::Result<_>>()?)
            }
            None => None,
        };
        let tag = filter
            .tag
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty());
        self.refresh_contact_list()?;
        let cache = self.contact_list.borrow();
        let rows = &cache.as_ref().expect("refreshed just above").rows;
        let typed: Vec<String> = filter
            .query
            .as_deref()
            .map(|q| fold_name(q).split(' ').map(str::to_string).collect())
            .unwrap_or_default();
        let mut out: Vec<(f64, ContactSummary)> = rows
            .iter()
            .filter_map(|row| {
                let (rowid, s) = (&row.rowid, &row.summary);
                let rank = match ranked.as_ref().map(|r| r.get(rowid)) {
                    None => 0.0,
                    Some(None) => return None,
                    // Lower is better: more typed words starting a word of the name or the
                    // first handle, then other profile matches, then contacts found through
                    // their interactions, those with more interactions first.
                    Some(Some(Hit::Profile)) => {
                        let in_name = typed
                            .iter()
                            .filter(|t| row.name_words.split(' ').any(|w| w.starts_with(*t)))
                            .count();
                        -1.0 - in_name as f64
                    }
                    Some(Some(Hit::Words)) => 1.0 / (f64::from(s.interaction_count) + 1.0),
                };
                let keep = filter.role.is_none_or(|r| s.roles.contains(&r))
                    && on_channel.as_ref().is_none_or(|ids| ids.contains(rowid))
                    // As SQLite's NOCASE compares: ASCII letters only.
                    && tag.is_none_or(|t| s.tags.iter().any(|x| x.eq_ignore_ascii_case(t)));
                keep.then(|| (rank, s.clone()))
            })
            .collect();
        if ranked.is_some() {
            // Best match first; ties keep name order (the sort is stable).
            out.sort_by(|a, b| a.0.total_cmp(&b.0));
            if let Some(limit) = filter.limit {
                out.truncate(limit as usize);
            }
        }
        Ok(out.into_iter().map(|(_, s)| s).collect())
    }

    /// What the window needs to bring a contacts list it already shows up to date after the
    /// contacts `changed` did: the id of every contact the filter now lists, in the list's
    /// order, and the rows of the changed ones among them. Unchanged rows are the window's
    /// own, so after logging one note a list of thousands sends one row, not all of them.
    pub fn contacts_patch(
        &self,
        filter: &ContactFilter,
        changed: &[String],
    ) -> Result<ContactsPatch> {
        let changed: HashSet<&str> = changed.iter().map(String::as_str).collect();
        let listed = self.list_contacts(filter)?;
        let order = listed.iter().map(|c| c.id.clone()).collect();
        let rows = listed
            .into_iter()
            .filter(|c| changed.contains(c.id.as_str()))
            .collect();
        Ok(ContactsPatch { order, rows })
    }

    /// Makes sure the kept contacts list is current. It is read whole, in three queries, the
    /// first time and when more changed than is worth reading row by row (see
    /// [`super::changes`]); after any other change, whoever made it, only the changed contacts
    /// are read again. Typing in the search box changes nothing, so each keystroke costs only
    /// the search itself.
    fn refresh_contact_list(&self) -> Result<()> {
        let snapshot = self.snapshot()?;
        let mut kept = self.contact_list.borrow_mut();
        let (now, changed) = self.catch_up(&snapshot, kept.as_ref().map(|l| l.since))?;
        if let (Some(list), Some(changed)) = (kept.as_mut(), changed) {
            if changed.is_empty() {
                list.since = now;
                return Ok(());
            }
            if changed.contacts.union(&changed.participants).count() <= MOST_PATCHED_CONTACTS {
                match self.patch_contact_list(list, &changed) {
                    Ok(true) => {
                        list.since = now;
                        return Ok(());
                    }
                    Ok(false) => {}
                    Err(e) => {
                        // The changes are not applied: never use this copy again.
                        *kept = None;
                        return Err(e);
                    }
                }
            }
        }
        *kept = None;
        let reads = &self.whole_reads.list;
        reads.set(reads.get() + 1);
        // With max() the other bare columns come from the row that holds the maximum:
        // the channel of each contact's latest interaction.
        let mut stmt = self.conn.prepare_cached(
            "SELECT contact_id, count(*), max(occurred_at), channel
             FROM interaction_contacts GROUP BY contact_id",
        )?;
        let mut stats: HashMap<i64, Stats> = HashMap::new();
        let mut found = stmt.query([])?;
        while let Some(r) = found.next()? {
            let contact: i64 = r.get(0)?;
            stats.insert(contact, stats_from_row(r, 1, contact)?);
        }
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {LISTED_COLUMNS} FROM contacts c ORDER BY {CONTACT_ORDER}"
        ))?;
        let rows = stmt.query_map([], |row| {
            let rowid: i64 = row.get(0)?;
            listed_from_row(row, stats.get(&rowid).copied().unwrap_or_default())
        })?;
        let rows = rows.collect::<rusqlite::Result<_>>()?;
        *kept = Some(ContactList { since: now, rows });
        Ok(())
    }

    /// Reads again the contacts that changed, or whose interactions changed,
    /// into the kept list. Returns `false` when what was read does not fit the kept list.
    fn patch_contact_list(&self, list: &mut ContactList, changed: &Changed) -> Result<bool> {
        let mut summary = self.conn.prepare_cached(&format!(
            "SELECT {LISTED_COLUMNS} FROM contacts c WHERE c.id = ?1"
        ))?;
        let mut counts = self.conn.prepare_cached(
            "SELECT count(*), max(occurred_at), channel FROM interaction_contacts
             WHERE contact_id = ?1",
        )?;
        let mut fresh: HashMap<i64, Option<ListedContact>> = HashMap::new();
        for &id in changed.contacts.union(&changed.participants) {
            let stats = counts.query_row([id], |r| stats_from_row(r, 0, id))?;
            let row = summary
                .query_row([id], |row| listed_from_row(row, stats))
                .optional()?;
            fresh.insert(id, row);
        }
        // Only a changed contact can move or come and go.
        if !changed.contacts.is_empty() {
            let order = super::contacts::contact_order(&self.conn)?;
            let had = list.rows.drain(..).map(|r| (r.rowid, r)).collect();
            return Ok(match in_order(&order, fresh, had) {
                Some(rows) => {
                    list.rows = rows;
                    true
                }
                None => false,
            });
        }
        for (id, row) in fresh {
            match (list.rows.iter_mut().find(|r| r.rowid == id), row) {
                (Some(place), Some(row)) => *place = row,
                _ => return Ok(false),
            }
        }
        Ok(true)
    }

    /// Contacts whose own fields or interactions match, and where.
    fn matching_contacts(&self, query: &str) -> Result<HashMap<i64, Hit>> {
        let mut found: HashMap<i64, Hit> = HashMap::new();
        let Some(fts) = fts_query(query) else {
            return Ok(found);
        };
        // No bm25: scoring reads every match's column sizes and the index once more, most of
        // the cost of a one-letter query; the list ranks by name hits instead.
        let mut stmt = self
            .conn
            .prepare_cached("SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ?1")?;
        let mut rows = stmt.query([fts])?;
        while let Some(row) = rows.next()? {
            found.insert(row.get(0)?, Hit::Profile);
        }
        // Words too short to look for in interaction text are left out of that part. A few
        // documents per contact hold the words of all their interactions, so each word reads
        // a few rows per contact however many interactions match; a contact must have every
        // word, in whichever of their documents.
        let mut stmt = self
            .conn
            .prepare_cached("SELECT rowid FROM contact_words WHERE contact_words MATCH ?1")?;
        let mut with_all: Option<HashSet<i64>> = None;
        for word in fts_words(query, MIN_TEXT_WORD) {
            let mut with_word = HashSet::new();
            let mut rows = stmt.query([word])?;
            while let Some(row) = rows.next()? {
                let doc: i64 = row.get(0)?;
                let contact = doc.div_euclid(contact_words::SLOTS);
                if with_all.as_ref().is_none_or(|s| s.contains(&contact)) {
                    with_word.insert(contact);
                }
            }
            with_all = Some(with_word);
        }
        for contact in with_all.unwrap_or_default() {
            found.entry(contact).or_insert(Hit::Words);
        }
        Ok(found)
    }

    /// Everything that matches: contacts, and the interactions whose text or tags match.
    pub fn search(&self, query: &str) -> Result<SearchResults> {
        let contacts = self.list_contacts(&ContactFilter {
            query: Some(query.to_string()),
            ..ContactFilter::default()
        })?;
        let Some(fts) = fts_query_min(query, MIN_TEXT_WORD) else {
            return Ok(SearchResults {
                contacts,
                interactions: Vec::new(),
            });
        };
        // The newest rows first: the index walks its rowids backwards and stops at the limit.
        let mut stmt = self.conn.prepare_cached(
            "SELECT rowid FROM interactions_fts WHERE interactions_fts MATCH ?1
             ORDER BY rowid DESC LIMIT ?2",
        )?;
        let ids: Vec<i64> = stmt
            .query_map(params![fts, INTERACTION_HITS], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let interactions = self.timeline_entries(&ids)?;
        Ok(SearchResults {
            contacts,
            interactions,
        })
    }

    /// The interactions with these row ids and their participants, in two queries, newest
    /// first: that is how people remember conversations.
    pub(crate) fn timeline_entries(&self, ids: &[i64]) -> Result<Vec<TimelineEntry>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let ids_json = serde_json::to_string(ids).unwrap_or_else(|_| "[]".into());
        let mut stmt = self.conn.prepare_cached(
            "SELECT ic.interaction_id, c.key, c.name FROM interaction_contacts ic
             JOIN contacts c ON c.id = ic.contact_id
             WHERE ic.interaction_id IN (SELECT value FROM json_each(?1))
             ORDER BY ic.interaction_id, ic.position",
        )?;
        let mut people = collect_people(stmt.query([&ids_json])?)?;
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {INTERACTION_COLUMNS} FROM interactions i
             WHERE i.id IN (SELECT value FROM json_each(?1))
             ORDER BY i.occurred_at DESC, i.id DESC"
        ))?;
        let rows = stmt.query_map([&ids_json], |row| {
            let id: i64 = row.get(0)?;
            interaction_from_row(row, people.remove(&id).unwrap_or_default())
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// Every contact's summary in name order, and where the file stood when it was last brought
/// up to date.
#[derive(Debug)]
pub(crate) struct ContactList {
    since: Since,
    rows: Vec<ListedContact>,
}

#[derive(Debug)]
struct ListedContact {
    rowid: i64,
    /// The name and first handle folded as [`fold_name`] folds them, for ranking.
    name_words: String,
    summary: ContactSummary,
}

/// Past this many changed contacts, reading the whole list again is about as cheap.
const MOST_PATCHED_CONTACTS: usize = 2_000;

/// A contact's interaction count, latest interaction time and its channel.
type Stats = (u32, Option<i64>, Option<Channel>);

/// The columns [`listed_from_row`] reads, of a contact `c`.
const LISTED_COLUMNS: &str = "c.id, c.key, c.name, c.organisation, c.location, c.tags,
    (SELECT group_concat(kind) FROM roles r WHERE r.contact_id = c.id),
    (SELECT platform || char(31) || value FROM handles h
        WHERE h.contact_id = c.id ORDER BY position LIMIT 1)";

/// Count, latest time and channel from the row's columns `first..first + 3`.
fn stats_from_row(r: &rusqlite::Row<'_>, first: usize, contact: i64) -> rusqlite::Result<Stats> {
    let channel = match r.get::<_, Option<String>>(first + 2)? {
        Some(c) => {
            let row = format!("of contact {contact}");
            let at = Place {
                table: "interaction_contacts",
                row: &row,
                column: "channel",
            };
            Some(decode(at, &c, "a channel")?)
        }
        None => None,
    };
    Ok((r.get(first)?, r.get(first + 1)?, channel))
}

fn listed_from_row(row: &rusqlite::Row<'_>, stats: Stats) -> rusqlite::Result<ListedContact> {
    let rowid: i64 = row.get(0)?;
    let roles: Option<String> = row.get(6)?;
    let handle: Option<String> = row.get(7)?;
    let (count, last_at, last_channel) = stats;
    let key: String = row.get(1)?;
    let of_contact = format!("of contact {rowid}");
    let at = |table, column| Place {
        table,
        // The contact's handles, roles and interactions are rows of other tables, named by it.
        row: if table == "contacts" {
            &key
        } else {
            &of_contact
        },
        column,
    };
    let mut roles: Vec<RoleKind> = match roles {
        Some(kinds) => kinds
            .split(',')
            .map(|r| decode(at("roles", "kind"), r, "a kind of role"))
            .collect::<rusqlite::Result<_>>()?,
        None => Vec::new(),
    };
    roles.sort();
    let name: String = row.get(2)?;
    let name_words = match &handle {
        Some(h) => fold_name(&format!("{name} {h}")),
        None => fold_name(&name),
    };
    let tags = decode_list(at("contacts", "tags"), &row.get::<_, String>(5)?)?;
    let primary_handle = match handle.as_deref().and_then(|h| h.split_once('\u{1f}')) {
        Some((p, v)) => Some(Handle {
            platform: decode(at("handles", "platform"), p, "a platform")?,
            value: v.to_string(),
        }),
        None => None,
    };
    let last_interaction_at = match last_at {
        Some(ms) => Some(decode_millis(
            at("interaction_contacts", "occurred_at"),
            ms,
        )?),
        None => None,
    };
    Ok(ListedContact {
        rowid,
        name_words,
        summary: ContactSummary {
            id: key,
            name,
            organisation: row.get(3)?,
            location: row.get(4)?,
            tags,
            roles,
            primary_handle,
            interaction_count: count,
            last_interaction_at,
            last_channel,
        },
    })
}

/// Where a contact matched a query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hit {
    /// Their name, handles, notes or other fields.
    Profile,
    /// Only the words of their interactions.
    Words,
}

#[cfg(test)]
mod tests {
    use crate::domain::*;
    use crate::store::tests::{at, contact};
    use crate::Store;

    fn say(store: &mut Store, who: &[&str], day: u32, text: &str) {
        store
            .save_interaction(InteractionDraft {
                id: None,
                contact_ids: who.iter().map(|s| s.to_string()).collect(),
                channel: Channel::Email,
                direction: Direction::Outbound,
                occurred_at: at(2025, 1, day, 9),
                public: None,
                text: text.into(),
                thread: None,
                tags: vec![],
                moment: None,
            })
            .unwrap();
    }

    fn names(store: &Store, q: &str) -> Vec<String> {
        store
            .search(q)
            .unwrap()
            .contacts
            .into_iter()
            .map(|c| c.name)
            .collect()
    }

    #[test]
    fn interaction_text_counts_from_a_words_third_letter() {
        let mut store = Store::open_in_memory().unwrap();
        let chen = contact(&mut store, "Chen Wei");
        contact(&mut store, "Kofi Mensah");
        say(
            &mut store,
            &[&chen.id],
            1,
            "Koha serials prediction patterns",
        );

        assert_eq!(
            names(&store, "k"),
            ["Kofi Mensah"],
            "names from the first letter"
        );
        assert_eq!(names(&store, "ko"), ["Kofi Mensah"]);
        assert!(store.search("ko").unwrap().interactions.is_empty());
        assert_eq!(names(&store, "koh"), ["Chen Wei"]);
        assert_eq!(store.search("koh").unwrap().interactions.len(), 1);
        // A second word too short to narrow anything yet leaves the first one's matches.
        assert_eq!(names(&store, "koha s"), ["Chen Wei"]);
        assert_eq!(store.search("koha s").unwrap().interactions.len(), 1);
        assert_eq!(names(&store, "koha ser"), ["Chen Wei"]);
        assert!(
            names(&store, "koha sea").is_empty(),
            "every long word must match"
        );
        assert!(store.search("koha sea").unwrap().interactions.is_empty());
    }

    #[test]
    fn search_lists_the_newest_matches_with_everyone_in_them() {
        let mut store = Store::open_in_memory().unwrap();
        let ana = contact(&mut store, "Ana Lima");
        let ben = contact(&mut store, "Ben Okafor");
        for day in 1..=28 {
            say(
                &mut store,
                &[&ben.id, &ana.id],
                day,
                &format!("Cataloguing note {day}"),
            );
            say(
                &mut store,
                &[&ana.id],
                day,
                &format!("Cataloguing aside {day}"),
            );
        }
        say(&mut store, &[&ana.id], 28, "Nothing to see");
        let found = store.search("catalog").unwrap();
        assert_eq!(found.interactions.len(), super::INTERACTION_HITS as usize);
        let days: Vec<u32> = found
            .interactions
            .iter()
            .map(|e| chrono::Datelike::day(&e.interaction.occurred_at))
            .collect();
        assert!(days.windows(2).all(|w| w[0] >= w[1]), "{days:?}");
        assert_eq!(days[0], 28);
        // The 56 matches less the 6 oldest.
        assert_eq!(*days.last().unwrap(), 4);
        let shared = found
            .interactions
            .iter()
            .find(|e| e.interaction.text == "Cataloguing note 20")
            .unwrap();
        assert_eq!(shared.contact_names, ["Ben Okafor", "Ana Lima"]);
        assert_eq!(
            shared.interaction.contact_ids,
            [ben.id.clone(), ana.id.clone()]
        );
        assert_eq!(
            store.search("catalog").unwrap().contacts.len(),
            2,
            "both through their interactions"
        );
    }
}

#[cfg(test)]
mod contact_words_tests {
    use crate::domain::*;
    use crate::store::tests::{at, contact};
    use crate::store::Records;
    use crate::Store;

    fn said(store: &mut Store, who: &[&str], text: &str) -> Interaction {
        store
            .save_interaction(InteractionDraft {
                id: None,
                contact_ids: who.iter().map(|s| s.to_string()).collect(),
                channel: Channel::Email,
                direction: Direction::Inbound,
                occurred_at: at(2025, 2, 1, 9),
                public: None,
                text: text.into(),
                thread: None,
                tags: vec!["#rdaprofile".into()],
                moment: None,
            })
            .unwrap()
    }

    fn found(store: &Store, q: &str) -> Vec<String> {
        let mut names: Vec<String> = store
            .list_contacts(&ContactFilter {
                query: Some(q.into()),
                ..ContactFilter::default()
            })
            .unwrap()
            .into_iter()
            .map(|c| c.name)
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_word_only_in_an_interaction_finds_its_contacts_after_every_kind_of_write() {
        let mut store = Store::open_in_memory().unwrap();
        let ana = contact(&mut store, "Ana Lima");
        let ben = contact(&mut store, "Ben Okafor");
        let cy = contact(&mut store, "Cy Tane");
        let shared = said(
            &mut store,
            &[&ana.id, &ben.id],
            "Ontology alignment workshop",
        );
        said(&mut store, &[&cy.id], "Weeding the serials");
        assert_eq!(found(&store, "ontol"), ["Ana Lima", "Ben Okafor"]);
        assert_eq!(
            found(&store, "rdaprof"),
            ["Ana Lima", "Ben Okafor", "Cy Tane"]
        );
        // Every word must occur among the contact's interactions, not in one of them.
        said(&mut store, &[&ana.id], "Shelving plans");
        assert_eq!(found(&store, "ontology shelving"), ["Ana Lima"]);

        // An edit: new text and one participant fewer.
        let mut draft = InteractionDraft::from(shared.clone());
        draft.text = "Taxonomy alignment workshop".into();
        draft.contact_ids = vec![ana.id.clone()];
        store.save_interaction(draft).unwrap();
        assert!(found(&store, "ontol").is_empty());
        assert_eq!(found(&store, "taxon"), ["Ana Lima"]);

        // A deletion.
        store.delete_interaction(&shared.id).unwrap();
        assert!(found(&store, "taxon").is_empty());

        // A merge: the absorbed contact's words are found under the kept one.
        store
            .merge_contacts(&ana.id, &cy.id, at(2025, 3, 1, 9))
            .unwrap();
        assert_eq!(found(&store, "weeding"), ["Ana Lima"]);
        assert_eq!(found(&store, "shelving"), ["Ana Lima"]);

        // An import adds words, and a second import that changes a text replaces them.
        let imported = Interaction {
            id: "imp-1".into(),
            contact_ids: vec![ben.id.clone()],
            channel: Channel::Mastodon,
            direction: Direction::Inbound,
            occurred_at: at(2025, 4, 1, 9),
            public: true,
            text: "Linked data for archives".into(),
            thread: None,
            tags: vec![],
            moment: None,
        };
        let batch = |i: Interaction| Records {
            contacts: Vec::new(),
            interactions: vec![i],
            events: Vec::new(),
        };
        store
            .import_records(batch(imported.clone()), "a.json", at(2025, 4, 2, 9))
            .unwrap();
        assert_eq!(found(&store, "archiv"), ["Ben Okafor"]);
        let changed = Interaction {
            text: "Linked data for museums".into(),
            contact_ids: vec![ana.id.clone()],
            ..imported
        };
        store
            .import_records(batch(changed), "b.json", at(2025, 4, 3, 9))
            .unwrap();
        assert!(found(&store, "archiv").is_empty());
        assert_eq!(found(&store, "museum"), ["Ana Lima"]);

        // Deleting a contact drops their words; a shared interaction stays with the other.
        said(&mut store, &[&ana.id, &ben.id], "Zettelkasten notes");
        store.delete_contact(&ana.id).unwrap();
        assert!(found(&store, "museum").is_empty());
        assert_eq!(found(&store, "zettel"), ["Ben Okafor"]);
        let docs: Vec<(i64, i64)> = store
            .connection()
            .prepare("SELECT contact_id, docs FROM contact_word_docs")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(docs.len(), 1, "only Ben has words: {docs:?}");
    }

    #[test]
    fn odd_text_in_the_query_is_only_text() {
        let mut store = Store::open_in_memory().unwrap();
        let ana = contact(&mut store, "Ana Lima");
        said(
            &mut store,
            &[&ana.id],
            "NEAR the words: AND OR NOT col:umn ^caret \"quoted\"",
        );
        for q in [
            "NEAR(",
            "AND",
            "OR NOT",
            "col:umn",
            "words:",
            "^caret",
            "\"quoted",
            "quo\"ted\"",
            "*",
            "wor*",
            "(near",
            "{words}",
            "-words",
            "+near",
            "near\0and",
            "ünd",
            "'''",
        ] {
            let result = store.search(q);
            assert!(result.is_ok(), "{q:?}: {result:?}");
        }
        assert_eq!(found(&store, "col:umn"), ["Ana Lima"]);
        assert_eq!(found(&store, "\"quoted"), ["Ana Lima"]);
        assert_eq!(found(&store, "OR NOT"), ["Ana Lima"]);
    }

    #[test]
    fn a_name_match_ranks_before_other_fields_and_those_before_interactions() {
        let mut store = Store::open_in_memory().unwrap();
        let ben = contact(&mut store, "Ben Okafor");
        let cy = contact(&mut store, "Cy Tane");
        said(&mut store, &[&ben.id], "Koha upgrade notes");
        said(&mut store, &[&cy.id], "Koha again");
        said(&mut store, &[&cy.id], "More Koha");
        store
            .save_contact(
                ContactDraft {
                    name: "Ana Lima".into(),
                    notes: "Runs Koha for the district".into(),
                    ..ContactDraft::default()
                },
                at(2025, 1, 2, 9),
            )
            .unwrap();
        contact(&mut store, "Kohana Reid");
        let ranked: Vec<String> = store
            .list_contacts(&ContactFilter {
                query: Some("koh".into()),
                ..ContactFilter::default()
            })
            .unwrap()
            .into_iter()
            .map(|c| c.name)
            .collect();
        // Cy has more interactions than Ben.
        assert_eq!(ranked, ["Kohana Reid", "Ana Lima", "Cy Tane", "Ben Okafor"]);

        // A limit keeps the best matches; without a query it lists everyone regardless.
        let best: Vec<String> = store
            .list_contacts(&ContactFilter {
                query: Some("koh".into()),
                limit: Some(2),
                ..ContactFilter::default()
            })
            .unwrap()
            .into_iter()
            .map(|c| c.name)
            .collect();
        assert_eq!(best, ["Kohana Reid", "Ana Lima"]);
        let everyone = store
            .list_contacts(&ContactFilter {
                limit: Some(2),
                ..ContactFilter::default()
            })
            .unwrap();
        assert_eq!(everyone.len(), 4);
    }
}

#[cfg(test)]
mod stats_tests {
    use crate::{Channel, ContactDraft, ContactFilter, Direction, InteractionDraft, Store};
    use chrono::{TimeZone, Utc};

    fn log(store: &mut Store, who: &str, channel: Channel, day: u32) {
        store
            .save_interaction(InteractionDraft {
                id: None,
                contact_ids: vec![who.to_string()],
                channel,
                direction: Direction::Inbound,
                occurred_at: Utc.with_ymd_and_hms(2026, 3, day, 9, 0, 0).unwrap(),
                public: None,
                text: "Koha serials".into(),
                thread: None,
                tags: vec![],
                moment: None,
            })
            .unwrap();
    }

    fn summary(store: &Store, id: &str) -> (u32, Option<Channel>) {
        let all = store.list_contacts(&ContactFilter::default()).unwrap();
        let s = all.into_iter().find(|s| s.id == id).unwrap();
        (s.interaction_count, s.last_channel)
    }

    #[test]
    fn counts_follow_writes_from_this_store_and_from_another_process() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.sqlite3");
        let mut app = Store::open(&path).unwrap();
        let ana = app
            .save_contact(
                ContactDraft {
                    name: "Ana Lima".into(),
                    ..ContactDraft::default()
                },
                Utc::now(),
            )
            .unwrap()
            .id;
        assert_eq!(summary(&app, &ana), (0, None));
        log(&mut app, &ana, Channel::Mastodon, 1);
        assert_eq!(summary(&app, &ana), (1, Some(Channel::Mastodon)));
        // The same answer again comes from what was read before.
        assert_eq!(summary(&app, &ana), (1, Some(Channel::Mastodon)));

        // Another connection (the CLI at the same time) logs a later email.
        let mut cli = Store::open(&path).unwrap();
        log(&mut cli, &ana, Channel::Email, 2);
        assert_eq!(summary(&app, &ana), (2, Some(Channel::Email)));

        // An earlier interaction does not change which one is the latest.
        log(&mut app, &ana, Channel::Phone, 1);
        assert_eq!(summary(&app, &ana), (3, Some(Channel::Email)));

        let id = app.timeline(&ana, None).unwrap()[0].interaction.id.clone();
        app.delete_interaction(&id).unwrap();
        assert_eq!(summary(&app, &ana).0, 2);
    }
}
