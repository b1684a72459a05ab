//! Contacts, their handles and their roles.

use super::{
    clean_list, contact_words, decode, decode_date, decode_list, decode_time, json_list, new_key,
    Place, Store,
};
use crate::domain::*;
use crate::error::{Error, Result};
use crate::handles::normalize_handle;
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};
use std::collections::{HashMap, HashSet};

impl Store {
    /// Creates a contact (draft without id) or replaces one (draft with id).
    pub fn save_contact(&mut self, draft: ContactDraft, now: DateTime<Utc>) -> Result<Contact> {
        let draft = validate_draft(draft)?;
        let tx = self.write_tx()?;
        let key = match &draft.id {
            Some(key) => {
                let id = rowid(&tx, key)?.ok_or_else(|| Error::not_found("contact", key))?;
                update_contact_tx(&tx, id, &draft, now)?;
                key.clone()
            }
            None => {
                let key = new_key();
                insert_contact_tx(&tx, &key, &draft, now, now)?;
                key
            }
        };
        let contact = load_contact(&tx, &key)?;
        tx.commit()?;
        Ok(contact)
    }

    /// One contact by id.
    pub fn contact(&self, key: &str) -> Result<Contact> {
        load_contact(&self.conn, key)
    }

    /// Deletes a contact. Interactions that involved only them go too; shared ones stay with
    /// the other participants.
    pub fn delete_contact(&mut self, key: &str) -> Result<()> {
        let tx = self.write_tx()?;
        delete_contact_tx(&tx, key)?;
        tx.commit()?;
        Ok(())
    }

    /// Merges `absorbed` into `kept`: handles, roles, tags, notes, interactions and events move
    /// to `kept`, and `absorbed`'s id becomes an alias of `kept`, so a later import that still
    /// uses it updates `kept`. Returns the merged contact.
    pub fn merge_contacts(
        &mut self,
        kept: &str,
        absorbed: &str,
        now: DateTime<Utc>,
    ) -> Result<Contact> {
        let tx = self.write_tx()?;
        let keep_id = rowid(&tx, kept)?.ok_or_else(|| Error::not_found("contact", kept))?;
        let gone_id = rowid(&tx, absorbed)?.ok_or_else(|| Error::not_found("contact", absorbed))?;
        if keep_id == gone_id {
            return Err(Error::invalid("a contact cannot be merged into itself"));
        }
        let keep = load_contact(&tx, kept)?;
        let gone = load_contact(&tx, absorbed)?;
        let join = |a: &str, b: &str| match (a.trim().is_empty(), b.trim().is_empty()) {
            (_, true) => a.to_string(),
            (true, false) => b.to_string(),
            (false, false) if a == b => a.to_string(),
            _ => format!("{a}\n\n{b}"),
        };
        let mut roles = keep.roles.clone();
        for r in gone.roles {
            match roles.iter_mut().find(|k| k.kind == r.kind) {
                Some(k) => {
                    k.topics.extend(r.topics);
                    k.acknowledged |= r.acknowledged;
                }
                None => roles.push(r),
            }
        }
        let draft = validate_draft(ContactDraft {
            id: Some(keep.id.clone()),
            name: keep.name.clone(),
            handles: keep.handles.iter().cloned().chain(gone.handles).collect(),
            organisation: join(&keep.organisation, &gone.organisation)
                .lines()
                .next()
                .unwrap_or("")
                .to_string(),
            location: if keep.location.is_empty() {
                gone.location
            } else {
                keep.location.clone()
            },
            met_where: join(&keep.met_where, &gone.met_where),
            met_on: match (keep.met_on, gone.met_on) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            },
            met_through: join(&keep.met_through, &gone.met_through),
            notes: join(&keep.notes, &gone.notes),
            private_notes: join(&keep.private_notes, &gone.private_notes),
            tags: keep.tags.iter().cloned().chain(gone.tags).collect(),
            expertise: keep
                .expertise
                .iter()
                .cloned()
                .chain(gone.expertise)
                .collect(),
            roles,
            cadence_days: keep.cadence_days.or(gone.cadence_days),
            dates: super::dates::union_dates(&keep.dates, gone.dates),
        })?;
        update_contact_tx(&tx, keep_id, &draft, now)?;
        // Interactions with both keep one participant row; the rest move over.
        tx.execute(
            "UPDATE OR IGNORE interaction_contacts SET contact_id = ?1 WHERE contact_id = ?2",
            [keep_id, gone_id],
        )?;
        tx.execute(
            "UPDATE OR IGNORE event_attendees SET contact_id = ?1 WHERE contact_id = ?2",
            [keep_id, gone_id],
        )?;
        tx.execute(
            "UPDATE contact_aliases SET contact_id = ?1 WHERE contact_id = ?2",
            [keep_id, gone_id],
        )?;
        tx.execute(
            "UPDATE handle_changes SET contact_id = ?1 WHERE contact_id = ?2",
            [keep_id, gone_id],
        )?;
        tx.execute(
            "INSERT OR REPLACE INTO contact_aliases (key, contact_id) VALUES (?1, ?2)",
            params![gone.id, keep_id],
        )?;
        tx.execute("DELETE FROM contacts_fts WHERE rowid = ?1", [gone_id])?;
        contact_words::forget(&tx, gone_id)?;
        contact_words::refresh(&tx, &[keep_id].into())?;
        tx.execute("DELETE FROM contacts WHERE id = ?1", [gone_id])?;
        let merged = load_contact(&tx, kept)?;
        tx.commit()?;
        Ok(merged)
    }

    /// Every contact, in name order, with handles and roles.
    pub fn all_contacts(&self) -> Result<Vec<Contact>> {
        Ok(contacts_with_rows(&self.conn)?
            .into_iter()
            .map(|(_, c)| c)
            .collect())
    }

    /// Every tag used on a contact, sorted, for the filter list.
    pub fn list_tags(&self) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare(
            "SELECT DISTINCT j.value FROM contacts c, json_each(c.tags) j
             ORDER BY j.value COLLATE NOCASE",
        )?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Contacts whose name is `name` (ignoring case), or failing that, whose name starts with
    /// or contains it. Used where people name a contact in a command.
    pub fn find_contacts_by_name(&self, name: &str) -> Result<Vec<(String, String)>> {
        let name = name.trim();
        if name.is_empty() {
            return Ok(Vec::new());
        }
        let mut stmt = self
            .conn
            .prepare("SELECT key, name FROM contacts WHERE name = ?1 COLLATE NOCASE ORDER BY id")?;
        let exact: Vec<(String, String)> = stmt
            .query_map([name], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        if !exact.is_empty() {
            return Ok(exact);
        }
        // Also accept a contact's id or one of their handles.
        let by_key: Option<(String, String)> = self
            .conn
            .query_row(
                "SELECT key, name FROM contacts WHERE key = ?1",
                [name],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        if let Some(found) = by_key {
            return Ok(vec![found]);
        }
        let mut stmt = self.conn.prepare(
            "SELECT DISTINCT c.key, c.name FROM handles h JOIN contacts c ON c.id = h.contact_id
             WHERE h.normalized = ?1 ORDER BY c.id",
        )?;
        let by_handle: Vec<(String, String)> = stmt
            .query_map([normalize_handle(name)], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        if !by_handle.is_empty() {
            return Ok(by_handle);
        }
        let pattern = format!("%{}%", like_escape(name));
        let mut stmt = self.conn.prepare(
            "SELECT key, name FROM contacts WHERE name LIKE ?1 ESCAPE '\\'
             ORDER BY (name LIKE ?2 ESCAPE '\\') DESC, name COLLATE NOCASE LIMIT 20",
        )?;
        let prefix = format!("{}%", like_escape(name));
        let partial = stmt
            .query_map([pattern, prefix], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(partial)
    }
}

pub(crate) const CONTACT_COLUMNS: &str = "c.id, c.key, c.name, c.organisation, c.location, \
     c.met_where, c.met_on, c.met_through, c.notes, c.private_notes, c.tags, c.expertise, \
     c.cadence_days, c.created_at, c.updated_at";

fn contact_from_row(
    row: &Row<'_>,
    handles: Vec<Handle>,
    roles: Vec<Role>,
) -> rusqlite::Result<Contact> {
    let id: String = row.get(1)?;
    let at = |column| Place {
        table: "contacts",
        row: &id,
        column,
    };
    let met_on = match row.get::<_, Option<String>>(6)? {
        Some(d) => Some(decode_date(at("met_on"), &d)?),
        None => None,
    };
    Ok(Contact {
        name: row.get(2)?,
        handles,
        organisation: row.get(3)?,
        location: row.get(4)?,
        met_where: row.get(5)?,
        met_on,
        met_through: row.get(7)?,
        notes: row.get(8)?,
        private_notes: row.get(9)?,
        tags: decode_list(at("tags"), &row.get::<_, String>(10)?)?,
        expertise: decode_list(at("expertise"), &row.get::<_, String>(11)?)?,
        roles,
        cadence_days: row.get(12)?,
        dates: Vec::new(),
        created_at: decode_time(at("created_at"), &row.get::<_, String>(13)?)?,
        updated_at: decode_time(at("updated_at"), &row.get::<_, String>(14)?)?,
        id,
    })
}

/// The place of a value in a contact's handles or roles: those rows are named by the contact.
fn of_contact<'a>(
    table: &'static str,
    contact: &'a dyn std::fmt::Display,
    column: &'static str,
) -> Place<'a> {
    Place {
        table,
        row: contact,
        column,
    }
}

struct ContactRow(i64);

impl std::fmt::Display for ContactRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "of contact {}", self.0)
    }
}

/// The row of the contact with this key, or of the contact it was merged into.
pub(crate) fn rowid(conn: &Connection, key: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached(
            "SELECT id FROM contacts WHERE key = ?1
             UNION ALL
             SELECT contact_id FROM contact_aliases WHERE key = ?1
             LIMIT 1",
        )?
        .query_row([key], |r| r.get(0))
        .optional()?)
}

pub(crate) fn load_contact(conn: &Connection, key: &str) -> Result<Contact> {
    let found = match rowid(conn, key)? {
        Some(id) => contact_at_row(conn, id)?,
        None => None,
    };
    found.ok_or_else(|| Error::not_found("contact", key))
}

/// The contact stored at row `id`, with handles and roles, or `None` if there is none.
pub(crate) fn contact_at_row(conn: &Connection, id: i64) -> Result<Option<Contact>> {
    let found = conn
        .prepare_cached(&format!(
            "SELECT {CONTACT_COLUMNS} FROM contacts c WHERE c.id = ?1"
        ))?
        .query_row([id], |row| contact_from_row(row, Vec::new(), Vec::new()))
        .optional()?;
    let Some(mut contact) = found else {
        return Ok(None);
    };
    contact.handles = handles_of(conn, id)?;
    contact.roles = roles_of(conn, id)?;
    contact.dates = super::dates::dates_of(conn, id)?;
    Ok(Some(contact))
}

/// Every contact with its row id, in name order, with handles and roles.
pub(crate) fn contacts_with_rows(conn: &Connection) -> Result<Vec<(i64, Contact)>> {
    let mut handles = all_handles(conn)?;
    let mut roles = all_roles(conn)?;
    let mut dates = super::dates::all_dates(conn)?;
    let mut stmt = conn.prepare(&format!(
        "SELECT {CONTACT_COLUMNS} FROM contacts c ORDER BY {CONTACT_ORDER}"
    ))?;
    let rows = stmt.query_map([], |row| {
        let id: i64 = row.get(0)?;
        let mut contact = contact_from_row(
            row,
            handles.remove(&id).unwrap_or_default(),
            roles.remove(&id).unwrap_or_default(),
        )?;
        contact.dates = dates.remove(&id).unwrap_or_default();
        Ok((id, contact))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The order contacts are listed in (a contact is `c`).
pub(crate) const CONTACT_ORDER: &str = "c.name COLLATE NOCASE, c.id";

/// The row id of every contact, in name order.
pub(crate) fn contact_order(conn: &Connection) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT c.id FROM contacts c ORDER BY {CONTACT_ORDER}"
    ))?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn handles_of(conn: &Connection, id: i64) -> Result<Vec<Handle>> {
    let mut stmt = conn.prepare_cached(
        "SELECT platform, value FROM handles WHERE contact_id = ?1 ORDER BY position",
    )?;
    let rows = stmt.query_map([id], |r| handle_from_row(r, id))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn handle_from_row(r: &Row<'_>, contact: i64) -> rusqlite::Result<Handle> {
    let platform: String = r.get(0)?;
    let row = ContactRow(contact);
    let at = of_contact("handles", &row, "platform");
    Ok(Handle {
        platform: decode(at, &platform, "a platform")?,
        value: r.get(1)?,
    })
}

fn roles_of(conn: &Connection, id: i64) -> Result<Vec<Role>> {
    let mut stmt = conn.prepare_cached(
        "SELECT kind, direction, topics, acknowledged FROM roles WHERE contact_id = ?1
         ORDER BY CASE kind WHEN 'mentor' THEN 0 WHEN 'peer' THEN 1 ELSE 2 END",
    )?;
    let rows = stmt.query_map([id], |r| role_from_row(r, 0, id))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A role from the row's columns `kind, direction, topics, acknowledged`, starting at `first`.
fn role_from_row(r: &Row<'_>, first: usize, contact: i64) -> rusqlite::Result<Role> {
    let row = ContactRow(contact);
    let at = |column| of_contact("roles", &row, column);
    Ok(Role {
        kind: decode(at("kind"), &r.get::<_, String>(first)?, "a kind of role")?,
        direction: decode(
            at("direction"),
            &r.get::<_, String>(first + 1)?,
            "a direction of advice",
        )?,
        topics: decode_list(at("topics"), &r.get::<_, String>(first + 2)?)?,
        acknowledged: r.get(first + 3)?,
    })
}

fn all_handles(conn: &Connection) -> Result<HashMap<i64, Vec<Handle>>> {
    let mut stmt = conn
        .prepare("SELECT contact_id, platform, value FROM handles ORDER BY contact_id, position")?;
    let mut out: HashMap<i64, Vec<Handle>> = HashMap::new();
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let id: i64 = row.get(0)?;
        let platform: String = row.get(1)?;
        let contact = ContactRow(id);
        let at = of_contact("handles", &contact, "platform");
        out.entry(id).or_default().push(Handle {
            platform: decode(at, &platform, "a platform")?,
            value: row.get(2)?,
        });
    }
    Ok(out)
}

fn all_roles(conn: &Connection) -> Result<HashMap<i64, Vec<Role>>> {
    let mut stmt = conn.prepare(
        "SELECT contact_id, kind, direction, topics, acknowledged FROM roles
         ORDER BY contact_id, CASE kind WHEN 'mentor' THEN 0 WHEN 'peer' THEN 1 ELSE 2 END",
    )?;
    let mut out: HashMap<i64, Vec<Role>> = HashMap::new();
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let id: i64 = row.get(0)?;
        out.entry(id).or_default().push(role_from_row(row, 1, id)?);
    }
    Ok(out)
}

/// Deletes a contact inside the caller's transaction (see [`Store::delete_contact`]).
pub(crate) fn delete_contact_tx(conn: &Connection, key: &str) -> Result<()> {
    let id = rowid(conn, key)?.ok_or_else(|| Error::not_found("contact", key))?;
    // Their interactions go, or lose them as a participant.
    conn.execute(
        "DELETE FROM interactions WHERE id IN (
            SELECT interaction_id FROM interaction_contacts WHERE contact_id = ?1
            EXCEPT
            SELECT interaction_id FROM interaction_contacts WHERE contact_id <> ?1)",
        [id],
    )?;
    conn.execute("DELETE FROM contacts_fts WHERE rowid = ?1", [id])?;
    contact_words::forget(conn, id)?;
    conn.execute("DELETE FROM contacts WHERE id = ?1", [id])?;
    Ok(())
}

/// Checks and tidies what the user typed.
pub(crate) fn validate_draft(mut draft: ContactDraft) -> Result<ContactDraft> {
    crate::text_limit::contact_draft(&draft).map_err(|e| e.invalid())?;
    draft.name = draft.name.trim().to_string();
    if draft.name.is_empty() {
        return Err(Error::invalid("a contact needs a name"));
    }
    draft.tags = clean_list(&draft.tags);
    draft.expertise = clean_list(&draft.expertise);
    // Repeats are found in a set: a contact with many handles costs their number, not its
    // square.
    let mut handles: Vec<Handle> = Vec::new();
    let mut seen: HashSet<(Platform, String)> = HashSet::new();
    for h in draft.handles.drain(..) {
        let value = h.value.trim().to_string();
        if value.is_empty() || !seen.insert((h.platform, normalize_handle(&value))) {
            continue;
        }
        if handles.len() == MAX_HANDLES {
            return Err(Error::invalid(too_many_handles()));
        }
        handles.push(Handle {
            platform: h.platform,
            value,
        });
    }
    draft.handles = handles;
    let mut roles: Vec<Role> = Vec::new();
    for role in draft.roles.drain(..) {
        match roles.iter_mut().find(|r| r.kind == role.kind) {
            // The same kind twice: one role with both sets of topics.
            Some(existing) => {
                existing.topics.extend(role.topics);
                existing.acknowledged |= role.acknowledged;
            }
            None => roles.push(role),
        }
    }
    for role in &mut roles {
        role.topics = clean_list(&role.topics);
    }
    draft.roles = roles;
    draft.dates = super::dates::clean_dates(std::mem::take(&mut draft.dates))?;
    if draft.cadence_days == Some(0) {
        draft.cadence_days = None;
    }
    Ok(draft)
}

/// The most handles (email addresses, phone numbers, accounts, links) one contact may have.
/// Real address books give a person a handful; the cap keeps one record of a hostile file
/// from growing a contact that every page showing it, every search and every merge must carry.
pub const MAX_HANDLES: usize = 1_000;

/// Why a contact with more than [`MAX_HANDLES`] handles is refused.
pub(crate) fn too_many_handles() -> String {
    format!(
        "a contact can have at most {MAX_HANDLES} handles (email addresses, phone numbers, \
         accounts and links), and this one has more"
    )
}

fn like_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

pub(crate) fn insert_contact_tx(
    conn: &Connection,
    key: &str,
    d: &ContactDraft,
    created: DateTime<Utc>,
    updated: DateTime<Utc>,
) -> Result<i64> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO contacts (key, name, organisation, location, met_where, met_on, met_through,
             notes, private_notes, tags, expertise, cadence_days, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    )?;
    stmt.execute(params![
        key,
        d.name,
        d.organisation,
        d.location,
        d.met_where,
        d.met_on.map(|x| x.format("%Y-%m-%d").to_string()),
        d.met_through,
        d.notes,
        d.private_notes,
        json_list(&d.tags),
        json_list(&d.expertise),
        d.cadence_days,
        created.to_rfc3339(),
        updated.to_rfc3339(),
    ])?;
    let id = conn.last_insert_rowid();
    write_children_tx(conn, id, d)?;
    Ok(id)
}

pub(crate) fn update_contact_tx(
    conn: &Connection,
    id: i64,
    d: &ContactDraft,
    updated: DateTime<Utc>,
) -> Result<()> {
    conn.execute(
        "UPDATE contacts SET name = ?2, organisation = ?3, location = ?4, met_where = ?5,
             met_on = ?6, met_through = ?7, notes = ?8, private_notes = ?9, tags = ?10,
             expertise = ?11, cadence_days = ?12, updated_at = ?13
         WHERE id = ?1",
        params![
            id,
            d.name,
            d.organisation,
            d.location,
            d.met_where,
            d.met_on.map(|x| x.format("%Y-%m-%d").to_string()),
            d.met_through,
            d.notes,
            d.private_notes,
            json_list(&d.tags),
            json_list(&d.expertise),
            d.cadence_days,
            updated.to_rfc3339(),
        ],
    )?;
    conn.execute("DELETE FROM handles WHERE contact_id = ?1", [id])?;
    conn.execute("DELETE FROM roles WHERE contact_id = ?1", [id])?;
    conn.execute("DELETE FROM contacts_fts WHERE rowid = ?1", [id])?;
    write_children_tx(conn, id, d)
}

fn write_children_tx(conn: &Connection, id: i64, d: &ContactDraft) -> Result<()> {
    super::dates::write_dates_tx(conn, id, &d.dates)?;
    let mut add_handle = conn.prepare_cached(
        "INSERT INTO handles (contact_id, position, platform, value, normalized)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for (pos, h) in d.handles.iter().enumerate() {
        add_handle.execute(params![
            id,
            pos as i64,
            h.platform.as_str(),
            h.value,
            normalize_handle(&h.value)
        ])?;
    }
    let mut add_role = conn.prepare_cached(
        "INSERT INTO roles (contact_id, kind, direction, topics, acknowledged)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for r in &d.roles {
        add_role.execute(params![
            id,
            r.kind.as_str(),
            r.direction.as_str(),
            json_list(&r.topics),
            r.acknowledged
        ])?;
    }
    let handles: Vec<&str> = d.handles.iter().map(|h| h.value.as_str()).collect();
    let body = [
        d.organisation.as_str(),
        &d.location,
        &d.met_where,
        &d.met_through,
        &d.notes,
        &d.private_notes,
        &d.tags.join(" "),
        &d.expertise.join(" "),
        &d.roles
            .iter()
            .flat_map(|r| std::iter::once(r.kind.as_str().to_string()).chain(r.topics.clone()))
            .collect::<Vec<_>>()
            .join(" "),
    ]
    .join("\n");
    conn.prepare_cached(
        "INSERT INTO contacts_fts (rowid, name, handles, body) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![id, d.name, handles.join(" "), body])?;
    Ok(())
}

impl From<Contact> for ContactDraft {
    fn from(c: Contact) -> Self {
        ContactDraft {
            id: Some(c.id),
            name: c.name,
            handles: c.handles,
            organisation: c.organisation,
            location: c.location,
            met_where: c.met_where,
            met_on: c.met_on,
            met_through: c.met_through,
            notes: c.notes,
            private_notes: c.private_notes,
            tags: c.tags,
            expertise: c.expertise,
            roles: c.roles,
            cadence_days: c.cadence_days,
            dates: c.dates,
        }
    }
}
