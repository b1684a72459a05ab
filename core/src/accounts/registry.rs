//! The accounts the user connected, as the app and the command line see them: adding one
//! (its settings checked, never a secret among them), listing them with their last sync, and
//! removing one.
//!
//! The rows live in the store (`store::AccountRow`); this layer gives them their types, since
//! the store sits below the accounts and cannot name them.

use super::{AccountKind, AccountSettings, DavScope, FeedOwner, ImapSecurity, DEFAULT_PLC};
use crate::error::{Error, PublicError, Result};
use crate::store::{AccountRow, Store};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use specta::Type;

/// An account as the app and `kith accounts list` show it.
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct AccountView {
    pub id: String,
    pub name: String,
    pub kind: AccountKind,
    pub settings: AccountSettings,
    pub created_at: DateTime<Utc>,
    /// When it last synced without an error.
    pub last_sync_at: Option<DateTime<Utc>>,
    /// What the last sync that worked brought.
    pub last_added: u32,
    pub last_updated: u32,
    pub last_new_people: u32,
    /// Why the last sync failed, if it did.
    pub last_error: Option<PublicError>,
    /// Syncs that failed in a row.
    pub failures: u32,
    /// No scheduled sync runs before this (a backoff after failures, or a server's wait).
    pub next_sync_at: Option<DateTime<Utc>>,
    /// Whether a password is kept for it (in the system's secret store, or inside a store
    /// locked with a passphrase).
    pub secret_kept: bool,
    /// What the last sync that worked said besides its counts: an account that moved, posts
    /// left out, repositories not read.
    pub last_notes: Vec<String>,
    /// Where the next sync starts (the fetcher's own form); not shown.
    #[serde(skip)]
    pub cursor: Option<serde_json::Value>,
}

/// What the user fills in to connect an account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct NewAccount {
    pub name: String,
    pub settings: AccountSettings,
}

/// The longest account name.
const MAX_NAME: usize = 100;

impl AccountView {
    fn from_row(row: AccountRow) -> Result<AccountView> {
        let damaged = |column: &'static str, value: &str, expected: &'static str| {
            Error::DamagedValue(crate::error::Damaged {
                table: "accounts",
                row: row.id.clone(),
                column,
                value: value.chars().take(200).collect(),
                expected,
            })
        };
        let settings: AccountSettings = serde_json::from_str(&row.settings)
            .map_err(|_| damaged("settings", &row.settings, "an account's settings"))?;
        let cursor = match &row.cursor {
            Some(text) => Some(
                serde_json::from_str(text)
                    .map_err(|_| damaged("cursor", text, "a sync cursor in JSON"))?,
            ),
            None => None,
        };
        Ok(AccountView {
            kind: settings.kind(),
            settings,
            cursor,
            id: row.id,
            name: row.name,
            created_at: row.created_at,
            last_sync_at: row.last_sync_at,
            last_added: row.last_added,
            last_updated: row.last_updated,
            last_new_people: row.last_new_people,
            last_error: row.last_error,
            failures: row.failures,
            next_sync_at: row.next_sync_at,
            secret_kept: row.secret_kept,
            last_notes: row.last_notes,
        })
    }
}

/// Checks and tidies what the user typed for an account; the error names the account and
/// the setting.
pub fn validate(account: NewAccount, store: &Store) -> Result<NewAccount> {
    let name = account.name.trim().to_string();
    if name.is_empty() {
        return Err(Error::invalid("an account needs a name"));
    }
    if name.chars().count() > MAX_NAME {
        return Err(Error::invalid(format!(
            "the account name is longer than {MAX_NAME} characters"
        )));
    }
    let bad = |what: &str| Error::invalid(format!("account {name:?}: {what}"));
    let settings = match account.settings {
        AccountSettings::Imap(mut s) => {
            s.host = s.host.trim().to_string();
            s.user = s.user.trim().to_string();
            if s.host.is_empty() || s.host.contains(['/', ' ', '@']) {
                return Err(bad(
                    "the server (--host) must be a host name, like mail.example.org",
                ));
            }
            if s.user.is_empty() {
                return Err(bad("the user name (--user) is empty"));
            }
            if s.port == 0 {
                return Err(bad("the port must be between 1 and 65535"));
            }
            let local = matches!(s.host.as_str(), "localhost" | "127.0.0.1" | "::1" | "[::1]");
            if s.security == ImapSecurity::PlainLocalhostOnly && !local {
                return Err(bad(
                    "an unencrypted connection is only allowed to a server on this machine",
                ));
            }
            s.ca_file = s
                .ca_file
                .map(|f| f.trim().to_string())
                .filter(|f| !f.is_empty());
            s.folders = crate::store::clean_list(&s.folders);
            let mut addresses = Vec::new();
            for a in &s.addresses {
                let a = a.trim().to_lowercase();
                if a.is_empty() {
                    continue;
                }
                if !looks_like_address(&a) {
                    return Err(bad(&format!("{a:?} (--address) is not an email address")));
                }
                if !addresses.contains(&a) {
                    addresses.push(a);
                }
            }
            s.addresses = addresses;
            AccountSettings::Imap(s)
        }
        AccountSettings::Feed(mut f) => {
            f.url = f.url.trim().to_string();
            let lower = f.url.to_ascii_lowercase();
            let rest = lower
                .strip_prefix("https://")
                .or_else(|| lower.strip_prefix("http://"));
            let Some(rest) = rest.filter(|r| !r.is_empty()) else {
                return Err(bad(
                    "the feed's address (--url) must start with http:// or https://",
                ));
            };
            // A password in the address would be kept in the settings: refused.
            let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
            if authority.contains('@') {
                return Err(bad(
                    "the feed's address must not hold a user name or password",
                ));
            }
            if authority.is_empty() {
                return Err(bad("the feed's address has no host"));
            }
            if let FeedOwner::Contact(id) = &f.owner {
                let contact = store
                    .contact(id)
                    .map_err(|_| bad(&format!("no contact has the id {id:?} (--contact)")))?;
                f.owner = FeedOwner::Contact(contact.id);
            }
            AccountSettings::Feed(f)
        }
        AccountSettings::Mastodon(mut m) => {
            m.server = mastodon_server(&name, &m.server)?;
            m.account_id = m.account_id.trim().to_string();
            m.acct = m.acct.trim().trim_start_matches('@').to_lowercase();
            if m.account_id.is_empty() || !m.account_id.chars().all(|c| c.is_ascii_alphanumeric()) {
                return Err(bad(
                    "the Mastodon account id is missing; sign in to the server first",
                ));
            }
            let parts = m.acct.split_once('@');
            if parts.is_none_or(|(u, h)| u.is_empty() || h.is_empty() || h.contains('@')) {
                return Err(bad(
                    "the Mastodon address must be user@host; sign in to the server first",
                ));
            }
            AccountSettings::Mastodon(m)
        }
        AccountSettings::Bluesky(mut b) => {
            let handle = b.handle.trim();
            let handle = handle.strip_prefix("at://").unwrap_or(handle);
            b.handle = handle.trim_start_matches('@').to_lowercase();
            if b.handle.is_empty()
                || !b.handle.contains('.')
                || b.handle.contains(['/', ' ', ':', '@'])
            {
                return Err(bad(
                    "the handle (--handle) must be a Bluesky handle, like ann.bsky.social",
                ));
            }
            b.did = b.did.trim().to_string();
            let did_ok =
                b.did.is_empty() || b.did.starts_with("did:plc:") || b.did.starts_with("did:web:");
            if !did_ok {
                return Err(bad(&format!("{:?} is not a did:plc or did:web", b.did)));
            }
            b.service = web_address(&b.service, "the PDS (--service)").map_err(|m| bad(&m))?;
            b.plc = web_address(&b.plc, "the PLC directory (--plc)").map_err(|m| bad(&m))?;
            if b.plc.is_empty() {
                b.plc = DEFAULT_PLC.to_string();
            }
            AccountSettings::Bluesky(b)
        }
        AccountSettings::Carddav(mut c) => {
            c.url = dav_address(&c.url).map_err(|m| bad(&m))?;
            c.user = c.user.trim().to_string();
            if c.user.is_empty() {
                return Err(bad("the user name (--user) is empty"));
            }
            if let DavScope::Tag { tag } = &mut c.scope {
                *tag = tag.trim().to_string();
                if tag.is_empty() {
                    return Err(bad("the tag of --scope tag:T is empty"));
                }
            }
            c.address_book = c.address_book.trim().to_string();
            AccountSettings::Carddav(c)
        }
        AccountSettings::Caldav(mut c) => {
            c.url = dav_address(&c.url).map_err(|m| bad(&m))?;
            c.user = c.user.trim().to_string();
            if c.user.is_empty() {
                return Err(bad("the user name (--user) is empty"));
            }
            c.calendar = c.calendar.trim().to_string();
            AccountSettings::Caldav(c)
        }
    };
    Ok(NewAccount { name, settings })
}

/// A Mastodon server's address as Kith keeps it: `https://host` (or `http://` for a server on this
/// machine), no path, no trailing slash. `account` names the account in the error.
pub fn mastodon_server(account: &str, server: &str) -> Result<String> {
    let s = server.trim();
    let bad = |what: &str| Error::invalid(format!("account {account:?}: {what}"));
    let with_scheme = if s.contains("://") {
        s.to_string()
    } else {
        format!("https://{s}")
    };
    // A trailing slash after the host is dropped; the scheme's own slashes are not.
    let with_scheme = match with_scheme.split_once("://") {
        Some((scheme, rest)) => format!("{scheme}://{}", rest.trim_end_matches('/')),
        None => with_scheme,
    };
    let lower = with_scheme.to_ascii_lowercase();
    let rest = if let Some(r) = lower.strip_prefix("https://") {
        r
    } else if let Some(r) = lower.strip_prefix("http://") {
        let local = ["localhost", "127.0.0.1", "[::1]"]
            .iter()
            .any(|h| r == *h || r.starts_with(&format!("{h}:")));
        if !local {
            return Err(bad(
                "the server (--server) must be an https:// address (plain http only to this machine)",
            ));
        }
        r
    } else {
        return Err(bad(
            "the server (--server) must be an https:// address, like https://glammr.us",
        ));
    };
    if rest.is_empty() || rest.starts_with(':') || rest.contains(['/', '?', '#', '@', ' ']) {
        return Err(bad(
            "the server (--server) must be the server's address alone, like https://glammr.us",
        ));
    }
    // Lower case, as the server writes its own address in the `Link` headers that lead to
    // the next pages: only pages on this very address are followed.
    Ok(with_scheme.to_ascii_lowercase())
}

/// An http(s) address without a trailing slash, or empty; never one holding a user name or
/// password, which the settings would keep.
fn web_address(value: &str, what: &str) -> std::result::Result<String, String> {
    let v = value.trim().trim_end_matches('/').to_string();
    if v.is_empty() {
        return Ok(v);
    }
    let lower = v.to_ascii_lowercase();
    let Some(rest) = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
    else {
        return Err(format!("{what} must start with http:// or https://"));
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.is_empty() {
        return Err(format!("{what} has no host"));
    }
    if authority.contains('@') {
        return Err(format!("{what} must not hold a user name or password"));
    }
    Ok(v)
}

/// A CardDAV or CalDAV server's address: `https://`, or `http://` only to this machine (the
/// password goes with every request); never holding a user name or password.
fn dav_address(value: &str) -> std::result::Result<String, String> {
    let what = "the server's address (--url)";
    let v = web_address(value, what)?;
    if v.is_empty() {
        return Err(format!("{what} is empty"));
    }
    let lower = v.to_ascii_lowercase();
    if let Some(rest) = lower.strip_prefix("http://") {
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        let local = ["localhost", "127.0.0.1", "[::1]"]
            .iter()
            .any(|h| host == *h || host.starts_with(&format!("{h}:")));
        if !local {
            return Err(format!(
                "{what} must be https:// (plain http only to this machine), since the password \
                 goes with every request"
            ));
        }
    }
    Ok(format!("{v}/"))
}

fn looks_like_address(s: &str) -> bool {
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty() && domain.contains('.') && !s.contains(char::is_whitespace)
        }
        None => false,
    }
}

impl Store {
    /// Every account the user connected, by name.
    pub fn accounts(&self) -> Result<Vec<AccountView>> {
        self.account_rows()?
            .into_iter()
            .map(AccountView::from_row)
            .collect()
    }

    /// One account, by id or name (ignoring case).
    pub fn account(&self, name_or_id: &str) -> Result<AccountView> {
        AccountView::from_row(self.account_row(name_or_id)?)
    }

    /// Connects an account. Its settings are checked first; a name already taken is refused.
    pub fn add_account(&mut self, account: NewAccount, now: DateTime<Utc>) -> Result<AccountView> {
        let account = validate(account, self)?;
        let settings = serde_json::to_string(&account.settings)
            .map_err(|e| Error::invalid(format!("the settings cannot be saved: {e}")))?;
        let row = self.insert_account_row(
            &crate::store::new_key(),
            &account.name,
            account.settings.kind().as_str(),
            &settings,
            now,
        )?;
        AccountView::from_row(row)
    }

    /// Forgets an account (its settings, cursor and status; a secret this store kept for it).
    /// What its syncs brought stays. The caller also deletes its secret from the system's
    /// secret store (see [`super::secrets::forget_secret`]).
    pub fn remove_account(&mut self, name_or_id: &str) -> Result<()> {
        self.delete_account_row(name_or_id).map(|_| ())
    }
}
