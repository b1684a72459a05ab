//! Address books (CardDAV) and calendars (CalDAV) the user already has. Unlike the other
//! accounts these go both ways, so a sync here is three steps of its own: read what the store
//! holds (the contacts, and what Kith knows of each item on the server) through the session's
//! readers; talk to the server with no store lock held; then write everything that came back
//! (edits, new contacts, the item mapping, conflicts, the cursor and the account's status) in
//! one transaction. A server that fails part way leaves Kith exactly as it was; what Kith had
//! already written to the server is recognised at the next sync (its cards are Kith's own, at
//! the paths Kith gives them).
//!
//! - [`webdav`]: the requests and multistatus answers.
//! - [`discovery`]: from the address the user gave to the collection.
//! - [`carddav`]: one exchange with an address book.
//! - [`caldav`]: one exchange with a calendar.
//! - [`merge`]: a contact as fields, and the three-way merge.

pub mod caldav;
pub mod carddav;
pub mod discovery;
pub mod merge;
pub mod webdav;

use super::registry::AccountView;
use super::{AccountSettings, Secret};
use crate::error::{Error, Result, SyncProblem};
use crate::import::{Progress, ProgressFn, WRITING_STAGE};
use crate::session::Session;
use chrono::{DateTime, Utc};

/// What one sync of an address book or calendar did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DavCounts {
    /// Contacts made from cards made on the server.
    pub added: u32,
    /// Contacts changed by edits made on the server.
    pub updated: u32,
    /// What the user should know, in plain words (cards deleted on the server, conflicts).
    pub notes: Vec<String>,
}

/// Syncs the CardDAV or CalDAV account `view`; nothing is written unless it all worked.
pub fn sync(
    session: &Session,
    view: &AccountView,
    secret: Option<&Secret>,
    now: DateTime<Utc>,
    progress: ProgressFn<'_>,
) -> Result<DavCounts> {
    let password = secret.ok_or_else(|| {
        Error::sync(
            &view.name,
            SyncProblem::PasswordNeeded,
            "no password is kept for this account; enter it to sync (for the kith command, set \
             KITH_ACCOUNT_PASSWORD or run it in a terminal to be asked)",
        )
    })?;
    match &view.settings {
        AccountSettings::Carddav(settings) => {
            sync_address_book(session, view, settings, password, now, progress)
        }
        AccountSettings::Caldav(settings) => {
            sync_calendar(session, view, settings, password, now, progress)
        }
        _ => Err(Error::invalid(format!(
            "account {:?} is not an address book or a calendar",
            view.name
        ))),
    }
}

fn sync_calendar(
    session: &Session,
    view: &AccountView,
    settings: &super::CalDavSettings,
    password: &Secret,
    now: DateTime<Utc>,
    progress: ProgressFn<'_>,
) -> Result<DavCounts> {
    let id = view.id.clone();
    // What goes out is what the calendar export of everyone shares: events, the contacts'
    // dates, plans with a due date, and keep-in-touch dates counted from public interactions.
    let (items, objects) = session.read(move |s| {
        let gathered = crate::export::gather(
            s,
            &crate::export::ExportScope::Everyone,
            &crate::export::ExportOptions::default(),
            now,
        )?;
        let objects = caldav::objects(&gathered.input(now))?;
        Ok((s.dav_items(&id)?, objects))
    })?;
    let client = webdav::Client::new(&view.name, &settings.url, &settings.user, password)?;
    let mut cursor: caldav::CalCursor = view
        .cursor
        .clone()
        .and_then(|c| serde_json::from_value(c).ok())
        .unwrap_or_default();
    if cursor.calendar.is_empty() {
        cursor.calendar = discovery::find(
            &client,
            &settings.url,
            discovery::Collection::Calendar,
            &settings.calendar,
        )?;
    }
    let mut apply = caldav::CalExchange {
        client: &client,
        cursor,
    }
    .run(items, objects)?;
    if !apply.plans_done.is_empty() {
        apply.notes.push(format!(
            "{} marked done in the calendar, and so in Kith",
            plural(apply.plans_done.len(), "plan", "plans")
        ));
    }
    let counts = DavCounts {
        added: 0,
        updated: apply.updated,
        notes: apply.notes.clone(),
    };
    if !progress(Progress {
        stage: WRITING_STAGE.into(),
        done: 0,
        total: Some(apply.items.len() as u64),
    }) {
        return Err(Error::Cancelled(format!(
            "{}: sync cancelled; nothing was written",
            view.name
        )));
    }
    let id = view.id.clone();
    session.write(move |s| s.apply_dav_sync(&id, apply, now))?;
    Ok(counts)
}

fn sync_address_book(
    session: &Session,
    view: &AccountView,
    settings: &super::CardDavSettings,
    password: &Secret,
    now: DateTime<Utc>,
    progress: ProgressFn<'_>,
) -> Result<DavCounts> {
    let id = view.id.clone();
    let known: carddav::Known = session.read(move |s| {
        Ok(carddav::Known {
            items: s.dav_items(&id)?,
            contacts: s
                .all_contacts()?
                .into_iter()
                .map(|c| (c.id.clone(), c))
                .collect(),
        })
    })?;
    let known_names: std::collections::HashMap<String, String> = known
        .contacts
        .values()
        .map(|c| (c.id.clone(), c.name.clone()))
        .collect();
    let client = webdav::Client::new(&view.name, &settings.url, &settings.user, password)?;
    let mut cursor: carddav::Cursor = view
        .cursor
        .clone()
        .and_then(|c| serde_json::from_value(c).ok())
        .unwrap_or_default();
    if !settings.address_book.trim().is_empty() {
        cursor.address_book = settings.address_book.trim().to_string();
    }
    if cursor.address_book.is_empty() {
        cursor.address_book = discovery::find(
            &client,
            &settings.url,
            discovery::Collection::AddressBook,
            "",
        )?;
    }
    let outcome = carddav::Exchange {
        client: &client,
        settings,
        cursor,
        now,
    }
    .run(known)?;
    let mut outcome = outcome;
    let mut notes = Vec::new();
    if !outcome.deleted_on_server.is_empty() {
        let names: Vec<String> = outcome
            .deleted_on_server
            .iter()
            .map(|id| name_of(&known_names, id))
            .collect();
        notes.push(format!(
            "{} deleted on the server, kept in Kith and no longer sent there: {}",
            plural(names.len(), "card was", "cards were"),
            names.join(", ")
        ));
    }
    if !outcome.apply.conflicts.is_empty() {
        let mut names: Vec<String> = outcome
            .apply
            .conflicts
            .iter()
            .map(|c| name_of(&known_names, &c.contact_key))
            .collect();
        names.dedup();
        notes.push(format!(
            "changed both here and on the server, Kith's value kept and the server's shown on \
             the contact's page to choose from: {}",
            names.join(", ")
        ));
    }
    if outcome.deleted_from_server > 0 {
        notes.push(format!(
            "{} of contacts deleted in Kith deleted on the server, as asked",
            plural(outcome.deleted_from_server as usize, "card", "cards")
        ));
    }
    notes.append(&mut outcome.notes);
    outcome.apply.notes = notes.clone();
    let counts = DavCounts {
        added: outcome.apply.added,
        updated: outcome.apply.updated,
        notes,
    };
    let total = outcome.apply.contacts.len() as u64;
    let go_on = progress(Progress {
        stage: WRITING_STAGE.into(),
        done: 0,
        total: Some(total),
    });
    if !go_on {
        return Err(Error::Cancelled(format!(
            "{}: sync cancelled; nothing was written",
            view.name
        )));
    }
    let id = view.id.clone();
    let apply = outcome.apply;
    session.write(move |s| s.apply_dav_sync(&id, apply, now))?;
    Ok(counts)
}

fn name_of(names: &std::collections::HashMap<String, String>, id: &str) -> String {
    names.get(id).cloned().unwrap_or_else(|| id.to_string())
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// Which value a conflict keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Keep {
    /// The value Kith has: the next sync writes it to the server.
    Kith,
    /// The value the server has: the contact takes it.
    Server,
}

/// Settles the conflict `id`: the contact keeps Kith's value or takes the server's, and the
/// conflict is gone. The next sync makes the server agree.
pub fn settle_conflict(session: &Session, id: i64, keep: Keep, now: DateTime<Utc>) -> Result<()> {
    let (conflict, contact) = session.read(move |s| {
        let conflict = s.dav_conflict(id)?;
        let contact = s.contact(&conflict.contact_id)?;
        Ok((conflict, contact))
    })?;
    let draft = match keep {
        Keep::Kith => None,
        Keep::Server => {
            let was = merge::Fields::of(&contact, true);
            let mut chosen = was.clone();
            let value = conflict.server_value.clone();
            if chosen.single.contains_key(&conflict.field) {
                chosen
                    .single
                    .insert(conflict.field.clone(), value.join("\n"));
            } else {
                chosen.lists.insert(conflict.field.clone(), value);
            }
            let mut draft = crate::domain::ContactDraft::from(contact);
            chosen.apply_to(&was, &mut draft);
            Some(draft)
        }
    };
    session.write(move |s| s.settle_dav_conflict(id, draft, now))
}
