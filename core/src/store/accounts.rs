//! Connected accounts as rows: their settings and cursor (as JSON the accounts layer reads),
//! the outcome of their last sync, their schedule, and — in a store locked with a passphrase
//! only — their secret. The accounts layer (`crate::accounts`) gives these rows their types.

use super::{decode_time, Place, Store};
use crate::error::{Code, Error, PublicError, Result};
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};

/// An account as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountRow {
    pub id: String,
    pub name: String,
    /// `imap` or `feed`.
    pub kind: String,
    /// The settings as JSON.
    pub settings: String,
    /// Where the next sync starts, as JSON.
    pub cursor: Option<String>,
    pub created_at: DateTime<Utc>,
    pub last_sync_at: Option<DateTime<Utc>>,
    pub last_added: u32,
    pub last_updated: u32,
    pub last_new_people: u32,
    pub last_error: Option<PublicError>,
    /// Syncs that failed in a row.
    pub failures: u32,
    /// No scheduled sync before this time (a backoff, or a server's "wait until").
    pub next_sync_at: Option<DateTime<Utc>>,
    pub secret_kept: bool,
    /// What the last sync that worked said besides its counts, in plain words.
    pub last_notes: Vec<String>,
}

const COLUMNS: &str = "id, name, kind, settings, cursor, created_at, last_sync_at, last_added,
    last_updated, last_new_people, last_error_code, last_error_message, failures, next_sync_at,
    secret_kept, last_notes";

fn row_of(r: &Row<'_>) -> rusqlite::Result<AccountRow> {
    let id: String = r.get(0)?;
    let time = |n: usize, column: &'static str| -> rusqlite::Result<Option<DateTime<Utc>>> {
        let text: Option<String> = r.get(n)?;
        text.map(|t| {
            decode_time(
                Place {
                    table: "accounts",
                    row: &id,
                    column,
                },
                &t,
            )
        })
        .transpose()
    };
    let code: Option<String> = r.get(10)?;
    let last_error = match code {
        None => None,
        Some(code) => Some(PublicError {
            code: serde_json::from_value::<Code>(serde_json::Value::String(code.clone())).map_err(
                |_| {
                    Place {
                        table: "accounts",
                        row: &id,
                        column: "last_error_code",
                    }
                    .damaged(code, "an error code")
                },
            )?,
            message: r.get::<_, Option<String>>(11)?.unwrap_or_default(),
        }),
    };
    Ok(AccountRow {
        name: r.get(1)?,
        kind: r.get(2)?,
        settings: r.get(3)?,
        cursor: r.get(4)?,
        created_at: time(5, "created_at")?.unwrap_or_default(),
        last_sync_at: time(6, "last_sync_at")?,
        last_added: r.get(7)?,
        last_updated: r.get(8)?,
        last_new_people: r.get(9)?,
        last_error,
        failures: r.get(12)?,
        next_sync_at: time(13, "next_sync_at")?,
        secret_kept: r.get(14)?,
        last_notes: {
            let text: String = r.get(15)?;
            serde_json::from_str(&text).map_err(|_| {
                Place {
                    table: "accounts",
                    row: &id,
                    column: "last_notes",
                }
                .damaged(text.clone(), "a JSON list of notes")
            })?
        },
        id,
    })
}

/// The account named `name_or_id` (its id, or its name ignoring case).
pub(crate) fn account_row_in(conn: &Connection, name_or_id: &str) -> Result<AccountRow> {
    let found = conn
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM accounts WHERE id = ?1
             UNION ALL
             SELECT {COLUMNS} FROM accounts WHERE name = ?1 COLLATE NOCASE AND id <> ?1
             LIMIT 1"
        ))?
        .query_row([name_or_id.trim()], row_of)
        .optional()?;
    found.ok_or_else(|| Error::not_found("account", name_or_id.trim()))
}

impl Store {
    /// Every account, by name.
    pub fn account_rows(&self) -> Result<Vec<AccountRow>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {COLUMNS} FROM accounts ORDER BY name COLLATE NOCASE, id"
        ))?;
        let rows = stmt.query_map([], row_of)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One account, by id or name.
    pub fn account_row(&self, name_or_id: &str) -> Result<AccountRow> {
        account_row_in(&self.conn, name_or_id)
    }

    /// Stores a new account. A name already taken (ignoring case) is refused.
    pub fn insert_account_row(
        &mut self,
        id: &str,
        name: &str,
        kind: &str,
        settings: &str,
        now: DateTime<Utc>,
    ) -> Result<AccountRow> {
        let tx = self.write_tx()?;
        let taken: Option<String> = tx
            .query_row(
                "SELECT name FROM accounts WHERE name = ?1 COLLATE NOCASE",
                [name],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(taken) = taken {
            return Err(Error::invalid(format!(
                "an account named {taken:?} exists already; choose another name"
            )));
        }
        tx.execute(
            "INSERT INTO accounts (id, name, kind, settings, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id, name, kind, settings, now.to_rfc3339()],
        )?;
        let row = account_row_in(&tx, id)?;
        tx.commit()?;
        Ok(row)
    }

    /// Forgets an account, its cursor, its status and any secret the store kept for it. What
    /// its syncs brought stays.
    pub fn delete_account_row(&mut self, name_or_id: &str) -> Result<AccountRow> {
        let tx = self.write_tx()?;
        let row = account_row_in(&tx, name_or_id)?;
        tx.execute(
            "DELETE FROM account_secrets WHERE account_id = ?1",
            [&row.id],
        )?;
        tx.execute("DELETE FROM dav_items WHERE account_id = ?1", [&row.id])?;
        tx.execute("DELETE FROM dav_conflicts WHERE account_id = ?1", [&row.id])?;
        tx.execute("DELETE FROM accounts WHERE id = ?1", [&row.id])?;
        tx.commit()?;
        Ok(row)
    }

    /// Notes that a sync of the account failed: the error (never a secret), one more failure,
    /// and when the next scheduled sync may run. Nothing else is touched.
    pub fn record_sync_failure(
        &mut self,
        account_id: &str,
        error: &PublicError,
        next_sync_at: Option<DateTime<Utc>>,
    ) -> Result<()> {
        let tx = self.write_tx()?;
        tx.execute(
            "UPDATE accounts SET last_error_code = ?2, last_error_message = ?3,
                 failures = failures + 1, next_sync_at = ?4
             WHERE id = ?1",
            params![
                account_id,
                error.code.as_str(),
                error.message,
                next_sync_at.map(|t| t.to_rfc3339())
            ],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Notes whether a secret is kept for the account (in the system's store or this one).
    pub fn set_secret_kept(&mut self, account_id: &str, kept: bool) -> Result<()> {
        let tx = self.write_tx()?;
        let n = tx.execute(
            "UPDATE accounts SET secret_kept = ?2 WHERE id = ?1",
            params![account_id, kept],
        )?;
        if n == 0 {
            return Err(Error::not_found("account", account_id));
        }
        tx.commit()?;
        Ok(())
    }

    /// The secret this store keeps for an account: only a store locked with a passphrase
    /// keeps any.
    pub fn account_secret(&self, account_id: &str) -> Result<Option<String>> {
        if !self.is_encrypted() {
            return Ok(None);
        }
        Ok(self
            .conn
            .query_row(
                "SELECT secret FROM account_secrets WHERE account_id = ?1",
                [account_id],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Keeps an account's secret in this store. Refused unless the store is locked with a
    /// passphrase: a plain file must never hold a password.
    pub fn set_account_secret(&mut self, account_id: &str, secret: &str) -> Result<()> {
        if !self.is_encrypted() {
            return Err(Error::invalid(
                "a password is kept in the store only when the store is locked with a passphrase",
            ));
        }
        let tx = self.write_tx()?;
        tx.execute(
            "INSERT INTO account_secrets (account_id, secret) VALUES (?1, ?2)
             ON CONFLICT (account_id) DO UPDATE SET secret = ?2",
            params![account_id, secret],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Forgets the secret this store keeps for an account, if any.
    pub fn delete_account_secret(&mut self, account_id: &str) -> Result<()> {
        let tx = self.write_tx()?;
        tx.execute(
            "DELETE FROM account_secrets WHERE account_id = ?1",
            [account_id],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The accounts whose scheduled sync has come at `now` when each syncs every `every`:
    /// never synced, or last synced `every` ago, and past any backoff or wait the server
    /// asked for. Names, by name.
    pub fn due_accounts(&self, now: DateTime<Utc>, every: chrono::Duration) -> Result<Vec<String>> {
        let mut due = Vec::new();
        for row in self.account_rows()? {
            if let Some(next) = row.next_sync_at {
                if next > now {
                    continue;
                }
                due.push(row.name);
                continue;
            }
            match row.last_sync_at {
                Some(last) if last + every > now => {}
                _ => due.push(row.name),
            }
        }
        Ok(due)
    }
}
