//! What Kith knows of the items it shares with CardDAV and CalDAV servers: where each one is,
//! its ETag, the fields both sides last agreed on, and the conflicts a sync found. A sync's
//! outcome (contacts changed or made, items, conflicts, cursor, status) is written here in one
//! transaction; the accounts layer (`crate::accounts::dav`) works out what it is.

use super::accounts::account_row_in;
use super::contacts::{insert_contact_tx, rowid, update_contact_tx, validate_draft};
use super::{decode_list, decode_time, json_list, Place, Store};
use crate::domain::ContactDraft;
use crate::error::{Error, Result};
use chrono::{DateTime, Utc};
use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use specta::Type;

/// Where an item stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DavItemState {
    /// On both sides, as last agreed.
    Synced,
    /// Deleted on the server; the contact stays in Kith and is not written there again.
    ServerDeleted,
    /// Deleted in Kith, and the user asked to delete it on the server too.
    DeleteOnServer,
}

impl DavItemState {
    // Written only by a sync, which a build without network code never runs.
    #[cfg_attr(not(feature = "connect"), allow(dead_code))]
    fn as_str(self) -> &'static str {
        match self {
            DavItemState::Synced => "synced",
            DavItemState::ServerDeleted => "server_deleted",
            DavItemState::DeleteOnServer => "delete_on_server",
        }
    }
}

/// One item an account shares with its server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DavItem {
    /// Its path on the server.
    pub href: String,
    /// The contact's id (or the plan's).
    pub item_key: String,
    /// The server's ETag when Kith last read or wrote it ("" when the server gave none).
    pub etag: String,
    /// Its fields as both sides last agreed on them, as JSON.
    pub base: String,
    pub state: DavItemState,
}

/// A field a contact changed in Kith and on the server to different values.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct DavConflict {
    pub id: i64,
    /// The account (its name) whose server holds the other value.
    pub account: String,
    pub contact_id: String,
    /// The field, as the contact page names it (`organisation`, `email`, …).
    pub field: String,
    /// The value Kith kept on the contact (one item for a single field; empty when Kith
    /// cleared it).
    pub kith_value: Vec<String>,
    /// The value the server has.
    pub server_value: Vec<String>,
    pub seen_at: DateTime<Utc>,
}

/// A conflict a sync found, before it is stored.
#[derive(Debug, Clone, PartialEq)]
pub struct NewConflict {
    pub contact_key: String,
    pub field: String,
    pub kith_value: Vec<String>,
    pub server_value: Vec<String>,
}

/// Everything one sync of an address book or calendar writes, all or nothing.
#[derive(Debug, Clone, Default)]
pub struct DavApply {
    /// Contacts changed by the server's edits (an id that exists) or made on the server (a
    /// new id), whole.
    pub contacts: Vec<ContactDraft>,
    /// Items to store, replacing those at the same href.
    pub items: Vec<DavItem>,
    /// Items to forget, by href.
    pub removed: Vec<String>,
    pub conflicts: Vec<NewConflict>,
    /// The account's cursor after this sync; `None` keeps it.
    pub cursor: Option<String>,
    /// Contacts made from the server's cards.
    pub added: u32,
    /// Contacts changed by the server's edits.
    pub updated: u32,
    /// What the sync says besides its counts, kept on the account until the next one.
    pub notes: Vec<String>,
    /// Accepted plans (their suggestion ids) marked done in the calendar.
    pub plans_done: Vec<String>,
}

impl Store {
    /// Every item the account shares with its server, by href.
    pub fn dav_items(&self, account_id: &str) -> Result<Vec<DavItem>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT href, item_key, etag, base, state FROM dav_items WHERE account_id = ?1
             ORDER BY href",
        )?;
        let rows = stmt.query_map([account_id], |r| {
            let href: String = r.get(0)?;
            let state: String = r.get(4)?;
            let state = match state.as_str() {
                "synced" => DavItemState::Synced,
                "server_deleted" => DavItemState::ServerDeleted,
                "delete_on_server" => DavItemState::DeleteOnServer,
                _ => {
                    return Err(Place {
                        table: "dav_items",
                        row: &href,
                        column: "state",
                    }
                    .damaged(state, "synced, server_deleted or delete_on_server"))
                }
            };
            Ok(DavItem {
                item_key: r.get(1)?,
                etag: r.get(2)?,
                base: r.get(3)?,
                state,
                href,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Writes one sync of the account `account_id`: the contacts, the items, the conflicts,
    /// the cursor and the account's status (synced at `now`, no error), in one transaction.
    #[cfg_attr(not(feature = "connect"), allow(dead_code))]
    pub(crate) fn apply_dav_sync(
        &mut self,
        account_id: &str,
        apply: DavApply,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let tx = self.write_tx()?;
        let account = account_row_in(&tx, account_id)?;
        for draft in apply.contacts {
            let draft = validate_draft(draft)?;
            let key = draft
                .id
                .clone()
                .ok_or_else(|| Error::invalid("a synced contact has no id"))?;
            match rowid(&tx, &key)? {
                Some(id) => update_contact_tx(&tx, id, &draft, now)?,
                None => {
                    insert_contact_tx(&tx, &key, &draft, now, now)?;
                }
            }
        }
        for href in &apply.removed {
            tx.execute(
                "DELETE FROM dav_items WHERE account_id = ?1 AND href = ?2",
                params![account.id, href],
            )?;
        }
        for item in &apply.items {
            tx.execute(
                "INSERT INTO dav_items (account_id, href, item_key, etag, base, state)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (account_id, href) DO UPDATE SET item_key = ?3, etag = ?4,
                     base = ?5, state = ?6",
                params![
                    account.id,
                    item.href,
                    item.item_key,
                    item.etag,
                    item.base,
                    item.state.as_str()
                ],
            )?;
        }
        for plan in &apply.plans_done {
            tx.execute(
                "UPDATE suggestion_states SET done_at = ?2, updated_at = ?2
                 WHERE suggestion_id = ?1 AND state = 'accepted' AND done_at IS NULL",
                params![plan, now.to_rfc3339()],
            )?;
        }
        for c in &apply.conflicts {
            // One open conflict per field of a contact: the newest values replace older ones.
            tx.execute(
                "DELETE FROM dav_conflicts WHERE account_id = ?1 AND contact_key = ?2 AND field = ?3",
                params![account.id, c.contact_key, c.field],
            )?;
            tx.execute(
                "INSERT INTO dav_conflicts (account_id, contact_key, field, kith_value,
                     server_value, seen_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    account.id,
                    c.contact_key,
                    c.field,
                    json_list(&c.kith_value),
                    json_list(&c.server_value),
                    now.to_rfc3339()
                ],
            )?;
        }
        tx.execute(
            "UPDATE accounts SET cursor = coalesce(?2, cursor), last_sync_at = ?3,
                 last_added = ?4, last_updated = ?5, last_new_people = 0,
                 last_error_code = NULL, last_error_message = NULL, failures = 0,
                 next_sync_at = NULL, last_notes = ?6
             WHERE id = ?1",
            params![
                account.id,
                apply.cursor,
                now.to_rfc3339(),
                apply.added,
                apply.updated,
                json_list(&apply.notes)
            ],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The open conflicts of a contact, oldest first.
    pub fn dav_conflicts(&self, contact_id: &str) -> Result<Vec<DavConflict>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT c.id, a.name, c.contact_key, c.field, c.kith_value, c.server_value, c.seen_at
             FROM dav_conflicts c JOIN accounts a ON a.id = c.account_id
             WHERE c.contact_key = ?1 ORDER BY c.id",
        )?;
        let rows = stmt.query_map([contact_id], conflict_of)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One open conflict, by id.
    pub fn dav_conflict(&self, id: i64) -> Result<DavConflict> {
        self.conn
            .prepare_cached(
                "SELECT c.id, a.name, c.contact_key, c.field, c.kith_value, c.server_value,
                     c.seen_at
                 FROM dav_conflicts c JOIN accounts a ON a.id = c.account_id WHERE c.id = ?1",
            )?
            .query_row([id], conflict_of)
            .optional()?
            .ok_or_else(|| Error::not_found("conflict", id.to_string()))
    }

    /// Settles a conflict: the contact becomes `draft` (when the user chose the server's
    /// value) and the conflict is gone; the next sync writes the contact to the server.
    #[cfg_attr(not(feature = "connect"), allow(dead_code))]
    pub(crate) fn settle_dav_conflict(
        &mut self,
        id: i64,
        draft: Option<ContactDraft>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let tx = self.write_tx()?;
        let n = tx.execute("DELETE FROM dav_conflicts WHERE id = ?1", [id])?;
        if n == 0 {
            return Err(Error::not_found("conflict", id.to_string()));
        }
        if let Some(draft) = draft {
            let draft = validate_draft(draft)?;
            let key = draft.id.clone().unwrap_or_default();
            let row = rowid(&tx, &key)?.ok_or_else(|| Error::not_found("contact", &key))?;
            update_contact_tx(&tx, row, &draft, now)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Deletes a contact, and its cards on every address book it was synced to at their next
    /// sync. [`Store::delete_contact`] alone leaves the cards on the servers.
    pub fn delete_contact_and_its_cards(&mut self, key: &str) -> Result<()> {
        let tx = self.write_tx()?;
        tx.execute(
            "UPDATE dav_items SET state = 'delete_on_server'
             WHERE item_key = ?1 AND state = 'synced'",
            [key],
        )?;
        super::contacts::delete_contact_tx(&tx, key)?;
        tx.commit()?;
        Ok(())
    }
}

fn conflict_of(r: &rusqlite::Row<'_>) -> rusqlite::Result<DavConflict> {
    let id: i64 = r.get(0)?;
    let row = id.to_string();
    let json = |n: usize, column: &'static str| -> rusqlite::Result<Vec<String>> {
        let text: String = r.get(n)?;
        decode_list(
            Place {
                table: "dav_conflicts",
                row: &row,
                column,
            },
            &text,
        )
    };
    let seen: String = r.get(6)?;
    Ok(DavConflict {
        id,
        account: r.get(1)?,
        contact_id: r.get(2)?,
        field: r.get(3)?,
        kith_value: json(4, "kith_value")?,
        server_value: json(5, "server_value")?,
        seen_at: decode_time(
            Place {
                table: "dav_conflicts",
                row: &row,
                column: "seen_at",
            },
            &seen,
        )?,
    })
}
