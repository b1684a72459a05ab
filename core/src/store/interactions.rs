//! Interactions and the timeline of a contact.

use super::contacts::rowid as contact_rowid;
use super::{
    clean_list, contact_words, decode, decode_list, decode_millis, json_list, new_key, to_millis,
    Place, Store,
};
use crate::domain::*;
use crate::error::{Error, Result};
use rusqlite::{params, Connection, OptionalExtension, Row};
use std::collections::{BTreeSet, HashMap};
use std::hash::BuildHasherDefault;

pub use crate::domain::default_public;

impl Store {
    /// Logs a new interaction (draft without id) or changes one (draft with id).
    pub fn save_interaction(&mut self, draft: InteractionDraft) -> Result<Interaction> {
        let tx = self.write_tx()?;
        let key = save_interaction_tx(&tx, draft)?;
        let saved = load_interaction(&tx, &key)?;
        tx.commit()?;
        Ok(saved)
    }

    pub fn interaction(&self, key: &str) -> Result<Interaction> {
        load_interaction(&self.conn, key)
    }

    pub fn delete_interaction(&mut self, key: &str) -> Result<()> {
        let tx = self.write_tx()?;
        let id: i64 = tx
            .query_row("SELECT id FROM interactions WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?
            .ok_or_else(|| Error::not_found("interaction", key))?;
        let people: BTreeSet<i64> = contact_words::participants(&tx, id)?.into_iter().collect();
        tx.execute("DELETE FROM interactions WHERE id = ?1", [id])?;
        contact_words::refresh(&tx, &people)?;
        tx.commit()?;
        Ok(())
    }

    /// A contact's interactions across every channel, newest first.
    pub fn timeline(&self, contact_key: &str, limit: Option<u32>) -> Result<Vec<TimelineEntry>> {
        let id = contact_rowid(&self.conn, contact_key)?
            .ok_or_else(|| Error::not_found("contact", contact_key))?;
        let mut participants = participants_of_contact(&self.conn, id)?;
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {INTERACTION_COLUMNS} FROM interaction_contacts ic
             JOIN interactions i ON i.id = ic.interaction_id
             WHERE ic.contact_id = ?1
             ORDER BY ic.occurred_at DESC, i.id DESC
             LIMIT ?2"
        ))?;
        let limit = limit.map(i64::from).unwrap_or(-1);
        let rows = stmt.query_map(params![id, limit], |row| {
            let iid: i64 = row.get(0)?;
            let people = participants.remove(&iid).unwrap_or_default();
            interaction_from_row(row, people)
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every interaction, oldest first (exports, suggestions, backups).
    pub fn all_interactions(&self) -> Result<Vec<Interaction>> {
        Ok(interactions_with_rows(&self.conn)?.1)
    }

    /// A contact with everything the contact page shows: the profile, the newest page of the
    /// timeline with the number of interactions in all, and their events. The page's cost
    /// does not grow with the contact's history; older pages come from
    /// [`Store::timeline_page`].
    pub fn contact_detail(&self, key: &str) -> Result<ContactDetail> {
        let contact = self.contact(key)?;
        let id = contact_rowid(&self.conn, key)?.ok_or_else(|| Error::not_found("contact", key))?;
        let total: u32 = self
            .conn
            .prepare_cached("SELECT count(*) FROM interaction_contacts WHERE contact_id = ?1")?
            .query_row([id], |r| r.get(0))?;
        let page = self.timeline_page_of(id, None, TIMELINE_PAGE)?;
        let events = self.events_of_contact(key)?;
        let handle_changes = super::handle_changes::of_contact(&self.conn, id)?;
        Ok(ContactDetail {
            contact,
            timeline: page.entries,
            timeline_total: total,
            timeline_next: page.next,
            events,
            handle_changes,
        })
    }

    /// The page of a contact's timeline that starts after `after` (a `next` from the page
    /// before, or `None` for the newest), at most `limit` interactions, newest first.
    pub fn timeline_page(
        &self,
        contact_key: &str,
        after: Option<&str>,
        limit: u32,
    ) -> Result<TimelinePage> {
        let id = contact_rowid(&self.conn, contact_key)?
            .ok_or_else(|| Error::not_found("contact", contact_key))?;
        let after = after.map(TimelineCursor::parse).transpose()?;
        self.timeline_page_of(id, after, limit.clamp(1, MAX_TIMELINE_PAGE))
    }

    /// The page itself: the ids from the timeline index (a range scan that starts at the
    /// cursor and stops at the limit), then those interactions and their participants.
    fn timeline_page_of(
        &self,
        contact: i64,
        after: Option<TimelineCursor>,
        limit: u32,
    ) -> Result<TimelinePage> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT interaction_id, occurred_at FROM interaction_contacts
             WHERE contact_id = ?1 AND (?2 IS NULL OR (occurred_at, interaction_id) < (?2, ?3))
             ORDER BY occurred_at DESC, interaction_id DESC
             LIMIT ?4",
        )?;
        // One more than asked for says whether an older page follows.
        let rows: Vec<(i64, i64)> = stmt
            .query_map(
                params![
                    contact,
                    after.map(|c| c.at),
                    after.map(|c| c.id),
                    i64::from(limit) + 1
                ],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?
            .collect::<rusqlite::Result<_>>()?;
        let more = rows.len() > limit as usize;
        let rows = &rows[..rows.len().min(limit as usize)];
        let next = match rows.last() {
            Some(&(id, at)) if more => Some(TimelineCursor { at, id }.to_string()),
            _ => None,
        };
        let ids: Vec<i64> = rows.iter().map(|(id, _)| *id).collect();
        Ok(TimelinePage {
            entries: self.timeline_entries(&ids)?,
            next,
        })
    }
}

/// How many interactions the contact page shows before the user scrolls for more.
pub const TIMELINE_PAGE: u32 = 200;

/// The most interactions one call to [`Store::timeline_page`] returns.
pub const MAX_TIMELINE_PAGE: u32 = 1000;

/// A place in a timeline: the time and row id of the last interaction of a page. Pages are
/// ordered by both, so the next page starts right after it even when interactions were
/// added or deleted in between (where OFFSET would skip or repeat some).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct TimelineCursor {
    at: i64,
    id: i64,
}

impl TimelineCursor {
    fn parse(text: &str) -> Result<TimelineCursor> {
        let bad = || Error::invalid(format!("{text:?} is not a place in a timeline"));
        let (at, id) = text.split_once('.').ok_or_else(bad)?;
        Ok(TimelineCursor {
            at: at.parse().map_err(|_| bad())?,
            id: id.parse().map_err(|_| bad())?,
        })
    }
}

impl std::fmt::Display for TimelineCursor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.at, self.id)
    }
}

pub(crate) const INTERACTION_COLUMNS: &str =
    "i.id, i.key, i.channel, i.direction, i.occurred_at, i.public, i.text, i.thread, i.tags, i.moment";

/// (key, name) of each participant, in order.
type People = Vec<(String, String)>;

pub(crate) fn interaction_from_row(
    row: &Row<'_>,
    people: People,
) -> rusqlite::Result<TimelineEntry> {
    // The short text columns are read in place rather than copied: loading a network reads
    // them for every interaction.
    let text = |n: usize| -> rusqlite::Result<Option<&str>> {
        row.get_ref(n)?
            .as_str_or_null()
            .map_err(rusqlite::Error::from)
    };
    let id: String = row.get(1)?;
    let at = |column| Place {
        table: "interactions",
        row: &id,
        column,
    };
    let (contact_ids, contact_names) = people.into_iter().unzip();
    let channel = decode(at("channel"), text(2)?.unwrap_or("NULL"), "a channel")?;
    let direction = decode(at("direction"), text(3)?.unwrap_or("NULL"), "a direction")?;
    let occurred_at = decode_millis(at("occurred_at"), row.get(4)?)?;
    let tags = decode_list(at("tags"), text(8)?.unwrap_or("[]"))?;
    let moment = match text(9)? {
        Some(m) => Some(decode(at("moment"), m, "a moment")?),
        None => None,
    };
    Ok(TimelineEntry {
        interaction: Interaction {
            id,
            contact_ids,
            channel,
            direction,
            occurred_at,
            public: row.get(5)?,
            text: row.get(6)?,
            thread: row.get(7)?,
            tags,
            moment,
        },
        contact_names,
    })
}

pub(crate) fn load_interaction(conn: &Connection, key: &str) -> Result<Interaction> {
    let id: Option<i64> = conn
        .prepare_cached("SELECT id FROM interactions WHERE key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?;
    let found = match id {
        Some(id) => interaction_at_row(conn, id)?,
        None => None,
    };
    found
        .map(|(_, interaction)| interaction)
        .ok_or_else(|| Error::not_found("interaction", key))
}

fn participants_of_contact(conn: &Connection, contact: i64) -> Result<HashMap<i64, People>> {
    let mut stmt = conn.prepare_cached(
        "SELECT other.interaction_id, c.key, c.name FROM interaction_contacts mine
         JOIN interaction_contacts other ON other.interaction_id = mine.interaction_id
         JOIN contacts c ON c.id = other.contact_id
         WHERE mine.contact_id = ?1
         ORDER BY other.interaction_id, other.position",
    )?;
    let people = collect_people(stmt.query([contact])?)?;
    Ok(people)
}

/// An interaction's time (Unix milliseconds) and row id: the order interactions are kept in.
pub(crate) type TimeAndRow = (i64, i64);

/// Every interaction, oldest first, with the (time, row id) of each.
///
/// Both tables are read in their own key order, which needs no sorting in SQLite, and
/// joined as they stream; the result is sorted by time here, which is much cheaper than a
/// temporary B-tree of every interaction's text.
pub(crate) fn interactions_with_rows(
    conn: &Connection,
) -> Result<(Vec<TimeAndRow>, Vec<Interaction>)> {
    let keys = contact_keys(conn)?;
    let mut links = conn.prepare(
        "SELECT interaction_id, contact_id, position FROM interaction_contacts
         ORDER BY interaction_id",
    )?;
    let mut links = links.query([])?;
    let mut next_link: Option<(i64, i64, i64)> = read_link(links.next()?)?;
    let mut stmt = conn.prepare(&format!(
        "SELECT {INTERACTION_COLUMNS} FROM interactions i ORDER BY i.id"
    ))?;
    let mut rows = stmt.query([])?;
    let mut out: Vec<Option<Interaction>> = Vec::new();
    // (time, row id, place in `out`) of each interaction.
    let mut order: Vec<(i64, i64, usize)> = Vec::new();
    let mut people: Vec<(i64, i64)> = Vec::new();
    while let Some(row) = rows.next()? {
        let id: i64 = row.get(0)?;
        people.clear();
        while let Some((iid, contact, position)) = next_link {
            if iid > id {
                break;
            }
            if iid == id {
                people.push((position, contact));
            }
            next_link = read_link(links.next()?)?;
        }
        people.sort_unstable();
        let mut interaction = interaction_from_row(row, Vec::new())?.interaction;
        interaction.contact_ids = people
            .iter()
            .filter_map(|(_, c)| keys.get(c).cloned())
            .collect();
        order.push((row.get(4)?, id, out.len()));
        out.push(Some(interaction));
    }
    // Sorting the small keys and then moving each interaction once is much cheaper than
    // sorting the interactions themselves; rows stored in time order need no sorting.
    if !order.is_sorted() {
        order.sort_unstable();
        let sorted = order
            .iter()
            .filter_map(|&(_, _, n)| out[n].take())
            .collect();
        return Ok((
            order.into_iter().map(|(at, id, _)| (at, id)).collect(),
            sorted,
        ));
    }
    Ok((
        order.into_iter().map(|(at, id, _)| (at, id)).collect(),
        out.into_iter().flatten().collect(),
    ))
}

/// The interaction stored at row `id` with its (time, row id), or `None` if there is none.
pub(crate) fn interaction_at_row(
    conn: &Connection,
    id: i64,
) -> Result<Option<((i64, i64), Interaction)>> {
    let found = conn
        .prepare_cached(&format!(
            "SELECT {INTERACTION_COLUMNS} FROM interactions i WHERE i.id = ?1"
        ))?
        .query_row([id], |row| {
            Ok((
                row.get::<_, i64>(4)?,
                interaction_from_row(row, Vec::new())?,
            ))
        })
        .optional()?;
    let Some((at, entry)) = found else {
        return Ok(None);
    };
    let mut interaction = entry.interaction;
    interaction.contact_ids = conn
        .prepare_cached(
            "SELECT c.key FROM interaction_contacts ic JOIN contacts c ON c.id = ic.contact_id
             WHERE ic.interaction_id = ?1 ORDER BY ic.position",
        )?
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Some(((at, id), interaction)))
}

/// Every contact's key by row id (with a fast hasher: it is looked up for every participant
/// of every interaction when a network loads).
fn contact_keys(
    conn: &Connection,
) -> Result<HashMap<i64, String, BuildHasherDefault<crate::suggest::FxHasher>>> {
    let mut stmt = conn.prepare("SELECT id, key FROM contacts")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// (interaction, contact, position) of a participant row.
fn read_link(row: Option<&Row<'_>>) -> rusqlite::Result<Option<(i64, i64, i64)>> {
    row.map(|r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .transpose()
}

pub(crate) fn collect_people(mut rows: rusqlite::Rows<'_>) -> Result<HashMap<i64, People>> {
    let mut out: HashMap<i64, People> = HashMap::new();
    while let Some(row) = rows.next()? {
        out.entry(row.get(0)?)
            .or_default()
            .push((row.get(1)?, row.get(2)?));
    }
    Ok(out)
}

/// Checks a draft and resolves its participants to row ids.
fn resolve_draft(conn: &Connection, draft: &InteractionDraft) -> Result<Vec<i64>> {
    if draft.contact_ids.is_empty() {
        return Err(Error::invalid("an interaction needs at least one contact"));
    }
    let mut ids = Vec::with_capacity(draft.contact_ids.len());
    let mut seen = std::collections::HashSet::with_capacity(draft.contact_ids.len());
    for key in &draft.contact_ids {
        let id = contact_rowid(conn, key)?.ok_or_else(|| Error::not_found("contact", key))?;
        if seen.insert(id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

/// Writes a draft inside the caller's transaction; returns the interaction's key.
fn save_interaction_tx(conn: &Connection, draft: InteractionDraft) -> Result<String> {
    crate::text_limit::interaction_draft(&draft).map_err(|e| e.invalid())?;
    let people = resolve_draft(conn, &draft)?;
    let key = draft.id.clone().unwrap_or_else(new_key);
    let mut touched = BTreeSet::new();
    write_interaction_tx(
        conn,
        &key,
        &draft,
        &people,
        draft.id.is_some(),
        &mut touched,
    )?;
    contact_words::refresh(conn, &touched)?;
    Ok(key)
}

/// Inserts or replaces the interaction `key` with `draft`'s content and participants.
/// With `must_exist`, a missing key is an error rather than an insert. A new interaction's
/// words are added to its participants' words; when an interaction changes, the contacts
/// whose words change (the participants before and after) are added to `touched`, for the
/// caller to pass to [`contact_words::refresh`] once it has written everything.
pub(crate) fn write_interaction_tx(
    conn: &Connection,
    key: &str,
    draft: &InteractionDraft,
    people: &[i64],
    must_exist: bool,
    touched: &mut BTreeSet<i64>,
) -> Result<i64> {
    let public = draft
        .public
        .unwrap_or_else(|| default_public(draft.channel));
    let tags = json_list(&clean_list(&draft.tags));
    let thread = draft
        .thread
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty());
    let at = to_millis(draft.occurred_at);
    let existing: Option<i64> = conn
        .prepare_cached("SELECT id FROM interactions WHERE key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?;
    let id = match existing {
        Some(id) => {
            conn.prepare_cached(
                "UPDATE interactions SET channel = ?2, direction = ?3, occurred_at = ?4,
                     public = ?5, text = ?6, thread = ?7, tags = ?8, moment = ?9
                 WHERE id = ?1",
            )?
            .execute(params![
                id,
                draft.channel.as_str(),
                draft.direction.as_str(),
                at,
                public,
                draft.text,
                thread,
                tags,
                draft.moment.map(Moment::as_str),
            ])?;
            touched.extend(contact_words::participants(conn, id)?);
            conn.prepare_cached("DELETE FROM interaction_contacts WHERE interaction_id = ?1")?
                .execute([id])?;
            id
        }
        None if must_exist => return Err(Error::not_found("interaction", key)),
        None => {
            conn.prepare_cached(
                "INSERT INTO interactions (key, channel, direction, occurred_at, public, text,
                     thread, tags, moment)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?
            .execute(params![
                key,
                draft.channel.as_str(),
                draft.direction.as_str(),
                at,
                public,
                draft.text,
                thread,
                tags,
                draft.moment.map(Moment::as_str),
            ])?;
            conn.last_insert_rowid()
        }
    };
    let mut link = conn.prepare_cached(
        "INSERT INTO interaction_contacts (interaction_id, contact_id, position, occurred_at, channel)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for (pos, person) in people.iter().enumerate() {
        link.execute(params![id, person, pos as i64, at, draft.channel.as_str()])?;
    }
    if existing.is_some() {
        touched.extend(people);
    } else {
        let words = contact_words::words_of(&draft.text, &tags);
        let added = people.iter().map(|p| (*p, words.clone())).collect();
        contact_words::append(conn, &added)?;
    }
    Ok(id)
}

impl From<Interaction> for InteractionDraft {
    fn from(i: Interaction) -> Self {
        InteractionDraft {
            id: Some(i.id),
            contact_ids: i.contact_ids,
            channel: i.channel,
            direction: i.direction,
            occurred_at: i.occurred_at,
            public: Some(i.public),
            text: i.text,
            thread: i.thread,
            tags: i.tags,
            moment: i.moment,
        }
    }
}
