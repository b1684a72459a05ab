//! Applying what a sync fetched, in one transaction with the account's new cursor and status.
//!
//! Each item's people are looked up among the contacts by handle (compared normalised, see
//! [`normalize_handle`]). Known people get the item as an interaction under the item's key,
//! so the same message from an mbox import and a sync is stored once and re-syncing adds
//! nothing. People not in the network go to the New people inbox with the item held for them
//! (bulk mail never offers anyone); people the user ignored are dropped. A known person named
//! by several handles on one platform (an account that moved servers) gives the contact the
//! ones it lacks.

use super::accounts::account_row_in;
use super::contacts::rowid as contact_rowid;
use super::records::{import_records_tx, WriteProgress};
use super::{json_list, new_key, Records, Store};
use crate::domain::{Contact, Handle, Interaction, Platform};
use crate::error::{Error, Result};
use crate::handles::{bluesky_handle, normalize_handle};
use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

/// One item of a sync, as the store takes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Incoming {
    /// The interaction it becomes; `contact_ids` is filled in here from `people`.
    pub interaction: Interaction,
    /// The people in it besides the user.
    pub people: Vec<IncomingPerson>,
    /// The contact an item with nobody in it belongs to (a post on their blog's feed).
    pub owner: Option<String>,
    /// Mail to many or by a machine: kept only for people already known.
    pub bulk: bool,
    /// Where it was seen, for the New people inbox.
    pub seen_in: String,
    /// Not a message but someone the user follows: their contact is made, or gains the
    /// item's tags; no interaction is stored.
    #[serde(default)]
    pub follow: bool,
}

/// Someone in an incoming item, as the source names them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncomingPerson {
    pub name: Option<String>,
    pub handles: Vec<Handle>,
    /// The handle the service says is theirs now (see `accounts::Person::current`).
    #[serde(default)]
    pub current: Option<Handle>,
}

/// What an account keeps from a sync besides its items.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct AfterSync {
    /// Where the next sync starts, as JSON; `None` keeps the cursor as it was.
    pub cursor: Option<String>,
    /// What the sync said besides its counts, shown until the next sync.
    pub notes: Vec<String>,
}

/// What applying a sync did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SyncCounts {
    pub added: u32,
    pub updated: u32,
    pub new_people: u32,
}

/// How a handle is recognised: its platform and its normalised value.
pub(crate) fn handle_key(h: &Handle) -> String {
    format!("{}:{}", h.platform.as_str(), normalize_handle(&h.value))
}

/// How a person is recognised in the New people inbox: by their handles, or by their name
/// when the source gave nothing else.
pub(crate) fn person_keys(p: &IncomingPerson) -> Vec<String> {
    let mut keys: Vec<String> = p
        .handles
        .iter()
        .filter(|h| !normalize_handle(&h.value).is_empty())
        .map(handle_key)
        .collect();
    if keys.is_empty() {
        if let Some(name) = p.name.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
            keys.push(format!("name:{}", name.to_lowercase()));
        }
    }
    keys.dedup();
    keys
}

/// The contact (key) with one of these handles, if any.
fn known_contact(conn: &Connection, p: &IncomingPerson) -> Result<Option<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.key FROM handles h JOIN contacts c ON c.id = h.contact_id
         WHERE h.platform = ?1 AND h.normalized = ?2 ORDER BY c.id LIMIT 1",
    )?;
    for h in &p.handles {
        let norm = normalize_handle(&h.value);
        if norm.is_empty() {
            continue;
        }
        // A blog's address may have been kept as a link of another kind.
        let platforms: &[Platform] = match h.platform {
            Platform::Blog | Platform::Other => &[Platform::Blog, Platform::Other],
            _ => std::slice::from_ref(&h.platform),
        };
        for platform in platforms {
            let found: Option<String> = stmt
                .query_row(params![platform.as_str(), norm], |r| r.get(0))
                .optional()?;
            if found.is_some() {
                return Ok(found);
            }
        }
    }
    Ok(None)
}

/// What a sync learns about the handles of someone who is one of the contacts.
///
/// A person named by several handles on one platform (a Mastodon account and the one it moved
/// to, a Bluesky handle and its DID) gives the contact those it lacks, so what comes under
/// the new handle later is theirs too. When the service names the handle that is theirs now
/// (`current`) and the contact had another there, the change is recorded for their page. A
/// Bluesky handle is only a name for a DID and can pass to another account, so a contact
/// with that DID keeps only the name it has now.
fn learn_handles_tx(
    conn: &Connection,
    p: &IncomingPerson,
    source: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let several = p.handles.iter().any(|h| {
        p.handles
            .iter()
            .filter(|o| o.platform == h.platform)
            .count()
            > 1
    });
    if !several && p.current.is_none() {
        return Ok(());
    }
    let Some(key) = known_contact(conn, p)? else {
        return Ok(());
    };
    let Some(id) = contact_rowid(conn, &key)? else {
        return Ok(());
    };
    let contact = super::contacts::load_contact(conn, &key)?;
    let same = |a: &Handle, b: &Handle| {
        a.platform == b.platform
            && if a.platform == Platform::Bluesky {
                bluesky_handle(&a.value) == bluesky_handle(&b.value)
            } else {
                normalize_handle(&a.value) == normalize_handle(&b.value)
            }
    };
    let is_did = |h: &Handle| h.platform == Platform::Bluesky && h.value.trim().starts_with("did:");
    // Someone else's DID: a contact found by a Bluesky name that has since passed to another
    // account learns nothing from it.
    let dids_of = |hs: &[Handle]| -> Vec<String> {
        hs.iter()
            .filter(|h| is_did(h))
            .map(|h| normalize_handle(&h.value))
            .collect()
    };
    let (theirs, kept) = (dids_of(&p.handles), dids_of(&contact.handles));
    if !theirs.is_empty() && !kept.is_empty() && !theirs.iter().any(|d| kept.contains(d)) {
        return Ok(());
    }
    let bluesky_now = p
        .current
        .as_ref()
        .filter(|c| c.platform == Platform::Bluesky);
    let mut handles = contact.handles.clone();
    for h in &p.handles {
        if normalize_handle(&h.value).is_empty() || handles.iter().any(|o| same(o, h)) {
            continue;
        }
        if p.handles
            .iter()
            .filter(|o| o.platform == h.platform)
            .count()
            < 2
        {
            continue;
        }
        // Of a Bluesky account, only its DID and the name it has now: a name written in an
        // older post may be someone else's today.
        if let Some(now_name) = bluesky_now {
            if h.platform == Platform::Bluesky && !is_did(h) && !same(h, now_name) {
                continue;
            }
        }
        handles.push(h.clone());
    }
    let mut change: Option<(Platform, String, String)> = None;
    if let Some(current) = p
        .current
        .as_ref()
        .filter(|c| !normalize_handle(&c.value).is_empty())
    {
        if !contact.handles.iter().any(|o| same(o, current)) {
            if !handles.iter().any(|o| same(o, current)) {
                handles.push(current.clone());
            }
            let old: Vec<&Handle> = contact
                .handles
                .iter()
                .filter(|o| o.platform == current.platform && !is_did(o))
                .filter(|o| {
                    // The Mastodon account that moved is among the person's handles; any
                    // other the contact has there is another account of theirs.
                    current.platform == Platform::Bluesky || p.handles.iter().any(|h| same(h, o))
                })
                .collect();
            if !old.is_empty() {
                let old_names: Vec<&str> = old.iter().map(|h| h.value.as_str()).collect();
                change = Some((
                    current.platform,
                    old_names.join(", "),
                    current.value.clone(),
                ));
            }
            if current.platform == Platform::Bluesky && kept.len() <= 1 {
                handles
                    .retain(|h| h.platform != Platform::Bluesky || is_did(h) || same(h, current));
            }
        }
    }
    if handles == contact.handles {
        return Ok(());
    }
    let mut draft = crate::domain::ContactDraft::from(contact);
    draft.handles = handles;
    // A contact already at the most handles a contact may have keeps the ones it has.
    let Ok(draft) = super::contacts::validate_draft(draft) else {
        return Ok(());
    };
    super::contacts::update_contact_tx(conn, id, &draft, now)?;
    if let Some((platform, old, new)) = change {
        super::handle_changes::record_tx(conn, id, platform, &old, &new, now, source)?;
    }
    Ok(())
}

/// The contact record a follow makes: the contact the person already is (keeping its name),
/// or a new one under the item's key, named as the source names them; with the item's tags.
fn followed(conn: &Connection, item: Incoming, now: DateTime<Utc>) -> Result<Option<Contact>> {
    let Some(person) = item.people.into_iter().next() else {
        return Ok(None);
    };
    let (id, name) = match known_contact(conn, &person)? {
        Some(key) => (key, String::new()),
        None => {
            let name = person
                .name
                .clone()
                .filter(|n| !n.trim().is_empty())
                .or_else(|| person.handles.first().map(|h| h.value.clone()))
                .unwrap_or_default();
            (item.interaction.id, name)
        }
    };
    Ok(Some(Contact {
        id,
        name,
        handles: person.handles,
        organisation: String::new(),
        location: String::new(),
        met_where: String::new(),
        met_on: None,
        met_through: String::new(),
        notes: String::new(),
        private_notes: String::new(),
        tags: item.interaction.tags,
        expertise: Vec::new(),
        roles: Vec::new(),
        cadence_days: None,
        dates: Vec::new(),
        created_at: now,
        updated_at: now,
    }))
}

fn is_me(p: &IncomingPerson, me: &[String]) -> bool {
    p.handles
        .iter()
        .any(|h| me.contains(&normalize_handle(&h.value)))
}

/// Splits an item's people into the contacts they are and those not in the network.
pub(crate) fn resolve_people(
    conn: &Connection,
    item: &Incoming,
    me: &[String],
) -> Result<(Vec<String>, Vec<IncomingPerson>)> {
    let mut known: Vec<String> = Vec::new();
    let mut unknown = Vec::new();
    for p in &item.people {
        if is_me(p, me) {
            continue;
        }
        match known_contact(conn, p)? {
            Some(key) => {
                if !known.contains(&key) {
                    known.push(key)
                }
            }
            None => unknown.push(p.clone()),
        }
    }
    if item.people.is_empty() {
        if let Some(owner) = &item.owner {
            if contact_rowid(conn, owner)?.is_none() {
                return Err(Error::not_found("contact", owner));
            }
            known.push(owner.clone());
        }
    }
    Ok((known, unknown))
}

/// Applies `items` in the caller's transaction: interactions for known people, the inbox
/// for the others. Returns the counts and whether the batch was stopped.
pub(crate) fn apply_items_tx(
    conn: &Connection,
    items: Vec<Incoming>,
    me: &[String],
    source: &str,
    now: DateTime<Utc>,
    progress: WriteProgress<'_>,
) -> Result<SyncCounts> {
    let mut counts = SyncCounts::default();
    // Questions on lists and their answers, whoever is in them.
    super::list_questions::note_tx(conn, &items)?;
    // Whom the user follows first: someone followed is a contact, never a new person, in the
    // same batch's conversations too.
    let (follows, items): (Vec<Incoming>, Vec<Incoming>) =
        items.into_iter().partition(|i| i.follow);
    if !follows.is_empty() {
        let mut contacts: Vec<Contact> = Vec::new();
        for item in follows {
            for person in &item.people {
                learn_handles_tx(conn, person, source, now)?;
            }
            if let Some(contact) = followed(conn, item, now)? {
                if !contacts.iter().any(|c| c.id == contact.id) {
                    contacts.push(contact);
                }
            }
        }
        import_records_tx(
            conn,
            Records {
                contacts,
                interactions: Vec::new(),
                events: Vec::new(),
            },
            source,
            now,
            &mut *progress,
        )?;
    }
    let mut interactions = Vec::new();
    for item in items {
        for person in &item.people {
            learn_handles_tx(conn, person, source, now)?;
        }
        let (known, mut unknown) = resolve_people(conn, &item, me)?;
        if item.bulk {
            unknown.clear();
        }
        for person in &unknown {
            let keys = person_keys(person);
            if keys.is_empty() {
                continue;
            }
            let (state, created) = match person_by_keys(conn, &keys)? {
                Some((id, state)) => ((id, state), false),
                None => (create_person_tx(conn, person, &item, &keys)?, true),
            };
            let (id, state) = state;
            if state == PersonState::Ignored {
                continue;
            }
            if created {
                counts.new_people += 1;
            }
            hold_item_tx(conn, &id, person, &keys, &item)?;
        }
        if !known.is_empty() {
            let mut interaction = item.interaction;
            interaction.contact_ids = known;
            interactions.push(interaction);
        }
    }
    let report = import_records_tx(
        conn,
        Records {
            contacts: Vec::new(),
            interactions,
            events: Vec::new(),
        },
        source,
        now,
        progress,
    )?;
    counts.added = report.interactions_added;
    counts.updated = report.interactions_updated;
    Ok(counts)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PersonState {
    Pending,
    Ignored,
}

/// The person one of `keys` recognises, and whether they are ignored.
pub(crate) fn person_by_keys(
    conn: &Connection,
    keys: &[String],
) -> Result<Option<(String, PersonState)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT p.id, p.state FROM new_people_handles h JOIN new_people p ON p.id = h.person_id
         WHERE h.handle = ?1",
    )?;
    for key in keys {
        let found: Option<(String, String)> = stmt
            .query_row([key], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        if let Some((id, state)) = found {
            let state = if state == "ignored" {
                PersonState::Ignored
            } else {
                PersonState::Pending
            };
            return Ok(Some((id, state)));
        }
    }
    Ok(None)
}

/// Adds a person to the inbox, seen in `item`; returns their id.
pub(crate) fn create_person_tx(
    conn: &Connection,
    person: &IncomingPerson,
    item: &Incoming,
    keys: &[String],
) -> Result<(String, PersonState)> {
    let id = new_key();
    let at = item.interaction.occurred_at.to_rfc3339();
    conn.execute(
        "INSERT INTO new_people (id, name, handles, seen_in, times, first_seen, last_seen)
         VALUES (?1, ?2, '[]', '[]', 0, ?3, ?3)",
        params![id, person.name.as_deref().unwrap_or("").trim(), at],
    )?;
    add_keys_tx(conn, &id, keys)?;
    Ok((id, PersonState::Pending))
}

fn add_keys_tx(conn: &Connection, id: &str, keys: &[String]) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO new_people_handles (handle, person_id) VALUES (?1, ?2)
         ON CONFLICT (handle) DO NOTHING",
    )?;
    for key in keys {
        stmt.execute(params![key, id])?;
    }
    Ok(())
}

/// Holds `item` for the person `id` (once per item), counting it and noting where they were
/// seen, and learns any handle of theirs the inbox did not know.
pub(crate) fn hold_item_tx(
    conn: &Connection,
    id: &str,
    person: &IncomingPerson,
    keys: &[String],
    item: &Incoming,
) -> Result<()> {
    let json = serde_json::to_string(item)
        .map_err(|e| Error::invalid(format!("an item cannot be kept: {e}")))?;
    let held = conn.execute(
        "INSERT INTO held_items (item_key, person_id, item) VALUES (?1, ?2, ?3)
         ON CONFLICT (item_key, person_id) DO NOTHING",
        params![item.interaction.id, id, json],
    )?;
    add_keys_tx(conn, id, keys)?;
    let (name, handles, seen_in, first, last): (String, String, String, String, String) = conn
        .query_row(
            "SELECT name, handles, seen_in, first_seen, last_seen FROM new_people WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )?;
    let mut handles: Vec<Handle> = serde_json::from_str(&handles).unwrap_or_default();
    let mut known: Vec<String> = handles.iter().map(handle_key).collect();
    for h in &person.handles {
        let key = handle_key(h);
        if !known.contains(&key) && !h.value.trim().is_empty() {
            known.push(key);
            handles.push(Handle {
                platform: h.platform,
                value: h.value.trim().to_string(),
            });
        }
    }
    let name = if name.is_empty() {
        person.name.clone().unwrap_or_default().trim().to_string()
    } else {
        name
    };
    let mut seen: Vec<String> = serde_json::from_str(&seen_in).unwrap_or_default();
    let (mut first, mut last) = (first, last);
    let mut times_add = 0;
    if held > 0 {
        times_add = 1;
        let place = item.seen_in.trim();
        if !place.is_empty() && !seen.iter().any(|s| s == place) {
            seen.push(place.to_string());
        }
        let at = item.interaction.occurred_at;
        let parse = |t: &str| DateTime::parse_from_rfc3339(t).map(|t| t.with_timezone(&Utc));
        if parse(&first).is_ok_and(|f| at < f) {
            first = at.to_rfc3339();
        }
        if parse(&last).is_ok_and(|l| at > l) {
            last = at.to_rfc3339();
        }
    }
    conn.execute(
        "UPDATE new_people SET name = ?2, handles = ?3, seen_in = ?4, times = times + ?5,
             first_seen = ?6, last_seen = ?7
         WHERE id = ?1",
        params![
            id,
            name,
            serde_json::to_string(&handles).unwrap_or_else(|_| "[]".into()),
            json_list(&seen),
            times_add,
            first,
            last
        ],
    )?;
    Ok(())
}

impl Store {
    /// Applies a sync of the account `account_id` all or nothing: the items, the new cursor
    /// and notes of `after`, and the account's status (synced at `now`, what it brought, no
    /// error). `me` holds the user's own addresses and sites, normalised. A `progress`
    /// that answers `false` stops it, and nothing is written.
    pub(crate) fn apply_sync(
        &mut self,
        account_id: &str,
        items: Vec<Incoming>,
        after: AfterSync,
        me: &[String],
        now: DateTime<Utc>,
        progress: WriteProgress<'_>,
    ) -> Result<SyncCounts> {
        let tx = self.write_tx()?;
        let account = account_row_in(&tx, account_id)?;
        let counts = apply_items_tx(&tx, items, me, &account.name, now, progress)?;
        tx.execute(
            "UPDATE accounts SET cursor = coalesce(?2, cursor), last_sync_at = ?3,
                 last_added = ?4, last_updated = ?5, last_new_people = ?6,
                 last_error_code = NULL, last_error_message = NULL, failures = 0,
                 next_sync_at = NULL, last_notes = ?7
             WHERE id = ?1",
            params![
                account.id,
                after.cursor,
                now.to_rfc3339(),
                counts.added,
                counts.updated,
                counts.new_people,
                json_list(&after.notes)
            ],
        )?;
        tx.commit()?;
        Ok(counts)
    }
}
