//! One exchange with an address book (RFC 6352): pull what changed on the server since the
//! last sync (RFC 6578 `sync-collection`, or the ETags of every card where the server has no
//! sync token), bring edits and new cards into Kith, merge a contact changed on both sides,
//! and write Kith's chosen contacts with conditional PUTs (`If-None-Match: *` for a new card,
//! `If-Match` for a known one, so an edit made meanwhile on the server is never overwritten
//! blindly: a 412 re-reads the card, merges, and tries once more).
//!
//! Nothing here touches the store: [`exchange`] is given what the store holds and answers
//! what to write, which the caller applies in one transaction.

use super::merge::{merge, Fields};
use super::webdav::{percent_encode_path, xml_escape, Client, CARDDAV, DAV};
use crate::accounts::{CardDavSettings, DavScope};
use crate::domain::{Contact, ContactDraft};
use crate::error::{Error, Result, SyncProblem};
use crate::export::{render, ExportFormat, ExportInput, ExportOptions};
use crate::import::{Ctx, Limits};
use crate::store::{DavApply, DavItem, DavItemState, NewConflict};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// What the account remembers between syncs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    /// The address book's path, found once.
    #[serde(default)]
    pub address_book: String,
    /// The server's sync token after the last pull (RFC 6578); empty when it has none.
    #[serde(default)]
    pub sync_token: String,
}

/// How many cards one multiget asks for.
const MULTIGET_BATCH: usize = 100;

/// What the store holds for one sync.
pub struct Known {
    pub items: Vec<DavItem>,
    /// Every contact in Kith, by id.
    pub contacts: HashMap<String, Contact>,
}

/// What an exchange found besides what it writes: for the report.
#[derive(Debug, Default, Clone)]
pub struct Outcome {
    pub apply: DavApply,
    /// Cards written to the server (new or changed).
    pub pushed: u32,
    /// Contacts whose card was deleted on the server (kept in Kith).
    pub deleted_on_server: Vec<String>,
    /// Cards deleted on the server because the contact was deleted in Kith.
    pub deleted_from_server: u32,
    /// What the user should know, in plain words.
    pub notes: Vec<String>,
}

/// The card Kith writes for a contact: its vCard 4.0 export, with the UID a card made
/// elsewhere came with (so the phone's card stays the phone's).
pub fn card_of(contact: &Contact, include_private: bool, now: DateTime<Utc>) -> Result<String> {
    let out = render(
        ExportFormat::Vcard,
        &ExportInput {
            contacts: std::slice::from_ref(contact),
            interactions: &[],
            events: &[],
            todos: &[],
            now,
        },
        &ExportOptions {
            include_private,
            ..ExportOptions::default()
        },
    )?;
    let bytes = out
        .files
        .into_iter()
        .next()
        .map(|f| f.bytes)
        .unwrap_or_default();
    let text = String::from_utf8(bytes).map_err(|_| Error::invalid("the card is not UTF-8"))?;
    Ok(match foreign_uid(&contact.id) {
        Some(uid) => replace_uid(&text, uid),
        None => text,
    })
}

/// The UID of a card made outside Kith, from the id the vCard reader gave its contact.
fn foreign_uid(id: &str) -> Option<&str> {
    id.strip_prefix("vcard:")
        .filter(|uid| !uid.starts_with("email:") && !uid.is_empty())
}

fn replace_uid(card: &str, uid: &str) -> String {
    let mut out = String::with_capacity(card.len());
    let mut skipping = false;
    for line in card.split_inclusive('\n') {
        if skipping && line.starts_with([' ', '\t']) {
            continue;
        }
        skipping = false;
        if line.to_ascii_uppercase().starts_with("UID:") {
            skipping = true;
            let escaped = uid
                .replace('\\', "\\\\")
                .replace(',', "\\,")
                .replace(';', "\\;");
            out.push_str(&format!("UID:{escaped}\r\n"));
            continue;
        }
        out.push_str(line);
    }
    out
}

/// A card read as the vCard importer reads a file: `None` when it holds no contact.
pub fn read_card(text: &str, label: &str, now: DateTime<Utc>) -> Result<Option<Contact>> {
    let mut progress = |_| true;
    let mut ctx = Ctx::new(label.to_string(), Limits::default(), now, &mut progress);
    let parsed = crate::import::vcard::parse(text.as_bytes(), &mut ctx)?;
    Ok(parsed.records.contacts.into_iter().next())
}

/// A contact's fields as the server will hold them: its card, read back. Comparing these
/// (and not the contact itself) means what a card cannot carry never looks like a change.
fn fields_as_sent(
    contact: &Contact,
    include_private: bool,
    now: DateTime<Utc>,
) -> Result<(String, Fields)> {
    let card = card_of(contact, include_private, now)?;
    let read = read_card(&card, &contact.id, now)?
        .ok_or_else(|| Error::invalid(format!("the card of {:?} holds nothing", contact.name)))?;
    Ok((card, Fields::of(&read, include_private)))
}

/// The contact with the draft's fields.
fn with_draft(mut c: Contact, d: &ContactDraft) -> Contact {
    c.name = d.name.clone();
    c.handles = d.handles.clone();
    c.organisation = d.organisation.clone();
    c.location = d.location.clone();
    c.notes = d.notes.clone();
    c.private_notes = d.private_notes.clone();
    c.tags = d.tags.clone();
    c.expertise = d.expertise.clone();
    c.dates = d.dates.clone();
    c
}

/// Whether `contact` goes to the address book.
pub fn chosen(scope: &DavScope, contact: &Contact) -> bool {
    match scope {
        DavScope::All => true,
        DavScope::Tag { tag } => contact.tags.iter().any(|t| t.eq_ignore_ascii_case(tag)),
    }
}

/// The path of a new card for a contact: its id, made safe for a path.
fn new_href(address_book: &str, id: &str) -> String {
    let safe: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    // Ids that differ only in the characters replaced get the hash of the whole id too.
    let suffix = if safe == id {
        String::new()
    } else {
        format!(
            "-{}",
            crate::import::text::stable_hash(&[id])
                .chars()
                .take(8)
                .collect::<String>()
        )
    };
    format!("{address_book}{safe}{suffix}.vcf")
}

/// One sync's exchange with the address book at `cursor.address_book`.
pub struct Exchange<'a> {
    pub client: &'a Client,
    pub settings: &'a CardDavSettings,
    pub cursor: Cursor,
    pub now: DateTime<Utc>,
}

struct State {
    items: BTreeMap<String, DavItem>,
    dirty: BTreeSet<String>,
    /// The contacts as they stand after this sync's changes so far.
    contacts: HashMap<String, Contact>,
    /// Contacts to write to the store (their final version), by id.
    changed: BTreeMap<String, ContactDraft>,
    new_ids: BTreeSet<String>,
    updated_ids: BTreeSet<String>,
    conflicts: Vec<NewConflict>,
    out: Outcome,
}

impl State {
    fn set_item(&mut self, item: DavItem) {
        self.dirty.insert(item.href.clone());
        self.items.insert(item.href.clone(), item);
    }

    fn href_of(&self, key: &str) -> Option<&DavItem> {
        self.items
            .values()
            .find(|i| i.item_key == key && i.state != DavItemState::DeleteOnServer)
    }

    /// Makes `fields` the contact's, where they differ from `was`.
    fn change_contact(&mut self, key: &str, fields: &Fields, was: &Fields) {
        let Some(contact) = self.contacts.get(key).cloned() else {
            return;
        };
        let mut draft = ContactDraft::from(contact.clone());
        fields.apply_to(was, &mut draft);
        self.contacts
            .insert(key.to_string(), with_draft(contact, &draft));
        self.changed.insert(key.to_string(), draft);
        if !self.new_ids.contains(key) {
            self.updated_ids.insert(key.to_string());
        }
    }
}

impl Exchange<'_> {
    fn bad(&self, detail: String) -> Error {
        Error::sync(&self.client.account, SyncProblem::BadResponse, detail)
    }

    /// Pulls, merges and pushes; answers what to write. Any failure of the server answers an
    /// error and nothing is to be written.
    pub fn run(mut self, known: Known) -> Result<Outcome> {
        let include_private = self.settings.include_private;
        let mut st = State {
            items: known
                .items
                .into_iter()
                .map(|i| (i.href.clone(), i))
                .collect(),
            dirty: BTreeSet::new(),
            contacts: known.contacts,
            changed: BTreeMap::new(),
            new_ids: BTreeSet::new(),
            updated_ids: BTreeSet::new(),
            conflicts: Vec::new(),
            out: Outcome::default(),
        };
        let ab = self.cursor.address_book.clone();

        // 1. What changed on the server.
        let (changes, token) = self.pull(&ab, &st.items)?;
        let mut deleted = Vec::new();
        let mut wanted = Vec::new();
        for (href, etag) in changes {
            match etag {
                None => deleted.push(href),
                Some(etag) => {
                    let known_etag = st.items.get(&href).map(|i| i.etag.as_str());
                    if known_etag != Some(etag.as_str()) || etag.is_empty() {
                        wanted.push(href);
                    }
                }
            }
        }
        for href in deleted {
            let Some(mut item) = st.items.get(&href).cloned() else {
                continue;
            };
            match item.state {
                DavItemState::DeleteOnServer => {
                    st.items.remove(&href);
                    st.dirty.remove(&href);
                    st.out.apply.removed.push(href);
                }
                DavItemState::Synced => {
                    if st.contacts.contains_key(&item.item_key) {
                        st.out.deleted_on_server.push(item.item_key.clone());
                    }
                    item.state = DavItemState::ServerDeleted;
                    st.set_item(item);
                }
                DavItemState::ServerDeleted => {}
            }
        }
        let cards = self.multiget(&ab, &wanted)?;
        for (href, etag, text) in cards {
            self.take_card(&mut st, href, etag, &text, include_private)?;
        }

        // 2. Kith's chosen contacts to the server.
        let mut keys: Vec<String> = st
            .contacts
            .values()
            .filter(|c| chosen(&self.settings.scope, c))
            .map(|c| c.id.clone())
            .collect();
        keys.sort();
        for key in keys {
            self.push(&mut st, &ab, &key, include_private)?;
        }

        // 3. Cards of contacts deleted in Kith, where the user asked.
        let doomed: Vec<DavItem> = st
            .items
            .values()
            .filter(|i| i.state == DavItemState::DeleteOnServer)
            .cloned()
            .collect();
        for item in doomed {
            if self.delete(&item)? {
                st.items.remove(&item.href);
                st.dirty.remove(&item.href);
                st.out.apply.removed.push(item.href.clone());
                st.out.deleted_from_server += 1;
            }
        }

        self.cursor.sync_token = token.unwrap_or_default();
        let mut out = st.out;
        out.apply.items = st
            .dirty
            .iter()
            .filter_map(|h| st.items.get(h).cloned())
            .collect();
        out.apply.contacts = st.changed.into_values().collect();
        out.apply.conflicts = st.conflicts;
        out.apply.added = st.new_ids.len() as u32;
        out.apply.updated = st.updated_ids.len() as u32;
        out.apply.cursor = Some(
            serde_json::to_string(&self.cursor)
                .map_err(|e| Error::invalid(format!("the cursor cannot be kept: {e}")))?,
        );
        Ok(out)
    }

    /// A card read from the server: an edit of a known contact, or a new one.
    fn take_card(
        &self,
        st: &mut State,
        href: String,
        etag: String,
        text: &str,
        include_private: bool,
    ) -> Result<()> {
        let label = format!("{} ({})", self.client.url(&href), self.client.account);
        let card = match read_card(text, &label, self.now) {
            Ok(Some(c)) => c,
            Ok(None) => return Ok(()),
            Err(e) => {
                st.out
                    .notes
                    .push(format!("a card Kith cannot read was left as it is: {e}"));
                return Ok(());
            }
        };
        let theirs = Fields::of(&card, include_private);
        let base_json = serde_json::to_string(&theirs)
            .map_err(|e| Error::invalid(format!("a card's fields cannot be kept: {e}")))?;
        let existing = st.items.get(&href).cloned();
        match existing {
            Some(mut item) => {
                let key = item.item_key.clone();
                if item.state == DavItemState::DeleteOnServer || !st.contacts.contains_key(&key) {
                    // Deleted in Kith: its card is only followed, to delete or leave it.
                    item.etag = etag;
                    st.set_item(item);
                    return Ok(());
                }
                let base: Fields = serde_json::from_str(&item.base).unwrap_or_default();
                let contact = st.contacts[&key].clone();
                let (_, ours) = fields_as_sent(&contact, include_private, self.now)?;
                if theirs != base {
                    if ours == base {
                        st.change_contact(&key, &theirs, &ours);
                    } else {
                        let (merged, conflicts) = merge(&base, &ours, &theirs);
                        if merged != ours {
                            st.change_contact(&key, &merged, &ours);
                        }
                        for c in conflicts {
                            st.conflicts.push(NewConflict {
                                contact_key: key.clone(),
                                field: c.field.clone(),
                                kith_value: ours.get(&c.field),
                                server_value: theirs.get(&c.field),
                            });
                        }
                    }
                }
                item.etag = etag;
                item.base = base_json;
                item.state = DavItemState::Synced;
                st.set_item(item);
            }
            None => {
                let key = card.id.clone();
                if st.href_of(&key).is_some() {
                    st.out.notes.push(format!(
                        "{label}: a second card of {:?} was left as it is",
                        card.name
                    ));
                    return Ok(());
                }
                if !st.contacts.contains_key(&key) {
                    let mut draft = ContactDraft::from(card.clone());
                    if let DavScope::Tag { tag } = &self.settings.scope {
                        if !draft.tags.iter().any(|t| t.eq_ignore_ascii_case(tag)) {
                            draft.tags.push(tag.clone());
                        }
                    }
                    let contact = with_draft(card, &draft);
                    st.contacts.insert(key.clone(), contact);
                    st.changed.insert(key.clone(), draft);
                    st.new_ids.insert(key.clone());
                }
                // A contact Kith has already (another computer pushed it first, or this one
                // before its last write failed): the card is the agreed version, and what
                // Kith has beyond it goes out when pushing.
                st.set_item(DavItem {
                    href,
                    item_key: key,
                    etag,
                    base: base_json,
                    state: DavItemState::Synced,
                });
            }
        }
        Ok(())
    }

    /// Writes one contact's card when it is new or changed in Kith since the agreed version.
    fn push(&self, st: &mut State, ab: &str, key: &str, include_private: bool) -> Result<()> {
        let contact = st.contacts[key].clone();
        let (card, ours) = fields_as_sent(&contact, include_private, self.now)?;
        let ours_json = serde_json::to_string(&ours)
            .map_err(|e| Error::invalid(format!("a card's fields cannot be kept: {e}")))?;
        let item = st.href_of(key).cloned();
        let Some(item) = item else {
            let href = new_href(ab, key);
            let answer = self.client.request(
                "PUT",
                &percent_encode_path(&href),
                &[("If-None-Match", "*")],
                Some(("text/vcard; charset=utf-8", &card)),
            )?;
            match answer.status {
                200..=299 => {
                    st.out.pushed += 1;
                    st.set_item(DavItem {
                        href,
                        item_key: key.to_string(),
                        etag: answer.etag.unwrap_or_default(),
                        base: ours_json,
                        state: DavItemState::Synced,
                    });
                }
                412 => {
                    // A card is there already: read it, then write over it knowingly.
                    let Some((etag, text)) = self.get(&href)? else {
                        return Ok(());
                    };
                    self.take_card(st, href, etag, &text, include_private)?;
                    if let Some(item) = st.href_of(key).cloned() {
                        self.update(st, item, include_private, 1)?;
                    }
                }
                s => return Err(self.refused("PUT", &href, s, &answer.body)),
            }
            return Ok(());
        };
        if item.state != DavItemState::Synced {
            return Ok(());
        }
        let base: Fields = serde_json::from_str(&item.base).unwrap_or_default();
        if ours == base {
            return Ok(());
        }
        self.update(st, item, include_private, 1)
    }

    /// Writes a known card over the version with the item's ETag. A 412 (changed on the
    /// server meanwhile) re-reads it, merges, and tries `retries` more times.
    fn update(
        &self,
        st: &mut State,
        item: DavItem,
        include_private: bool,
        retries: u32,
    ) -> Result<()> {
        let contact = st.contacts[&item.item_key].clone();
        let (card, ours) = fields_as_sent(&contact, include_private, self.now)?;
        let base: Fields = serde_json::from_str(&item.base).unwrap_or_default();
        if ours == base {
            return Ok(());
        }
        let mut headers = Vec::new();
        if !item.etag.is_empty() {
            headers.push(("If-Match", item.etag.as_str()));
        }
        let answer = self.client.request(
            "PUT",
            &percent_encode_path(&item.href),
            &headers,
            Some(("text/vcard; charset=utf-8", &card)),
        )?;
        match answer.status {
            200..=299 => {
                st.out.pushed += 1;
                let mut item = item;
                item.etag = answer.etag.unwrap_or_default();
                item.base = serde_json::to_string(&ours)
                    .map_err(|e| Error::invalid(format!("a card's fields cannot be kept: {e}")))?;
                st.set_item(item);
                Ok(())
            }
            412 if retries > 0 => {
                // Changed on the server since Kith read it: read it again and merge.
                match self.get(&item.href)? {
                    Some((etag, text)) => {
                        self.take_card(st, item.href.clone(), etag, &text, include_private)?;
                        let fresh = st.items[&item.href].clone();
                        self.update(st, fresh, include_private, retries - 1)
                    }
                    None => self.gone(st, item),
                }
            }
            412 => {
                st.out.notes.push(format!(
                    "{}: the card changed on the server again while Kith wrote it; the next sync \
                     tries again",
                    self.client.url(&item.href)
                ));
                Ok(())
            }
            404 | 410 => self.gone(st, item),
            s => Err(self.refused("PUT", &item.href, s, &answer.body)),
        }
    }

    /// The card was deleted on the server: the contact stays in Kith.
    fn gone(&self, st: &mut State, mut item: DavItem) -> Result<()> {
        st.out.deleted_on_server.push(item.item_key.clone());
        item.state = DavItemState::ServerDeleted;
        st.set_item(item);
        Ok(())
    }

    /// Deletes a card; `false` when it changed on the server twice meanwhile (left there).
    fn delete(&self, item: &DavItem) -> Result<bool> {
        let mut etag = item.etag.clone();
        for _ in 0..2 {
            let mut headers = Vec::new();
            if !etag.is_empty() {
                headers.push(("If-Match", etag.as_str()));
            }
            let answer =
                self.client
                    .request("DELETE", &percent_encode_path(&item.href), &headers, None)?;
            match answer.status {
                200..=299 | 404 | 410 => return Ok(true),
                412 => match self.get(&item.href)? {
                    Some((fresh, _)) => etag = fresh,
                    None => return Ok(true),
                },
                s => return Err(self.refused("DELETE", &item.href, s, &answer.body)),
            }
        }
        Ok(false)
    }

    fn refused(&self, method: &str, href: &str, status: u16, body: &str) -> Error {
        let said: String = body.chars().take(200).collect();
        self.bad(format!(
            "{}: the server refused {method} ({status}) {}",
            self.client.url(href),
            said.trim()
        ))
    }

    /// One card and its ETag; `None` when it is not there.
    fn get(&self, href: &str) -> Result<Option<(String, String)>> {
        let answer = self
            .client
            .request("GET", &percent_encode_path(href), &[], None)?;
        match answer.status {
            200 => Ok(Some((answer.etag.unwrap_or_default(), answer.body))),
            404 | 410 => Ok(None),
            s => Err(self.refused("GET", href, s, &answer.body)),
        }
    }

    /// The cards changed since the cursor's sync token (href → ETag, `None` for deleted) and
    /// the new token. Without a token (or when the server forgot it, or has no
    /// sync-collection), every card's ETag, and the known cards missing from them as deleted.
    #[allow(clippy::type_complexity)]
    fn pull(
        &self,
        ab: &str,
        known: &BTreeMap<String, DavItem>,
    ) -> Result<(Vec<(String, Option<String>)>, Option<String>)> {
        let mut token = self.cursor.sync_token.clone();
        for _ in 0..2 {
            let body = format!(
                "<?xml version=\"1.0\" encoding=\"utf-8\"?>\
                 <D:sync-collection xmlns:D=\"DAV:\"><D:sync-token>{}</D:sync-token>\
                 <D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>",
                xml_escape(&token)
            );
            match self.client.report(&percent_encode_path(ab), 0, &body)? {
                Ok(m) => {
                    let mut changes = Vec::new();
                    for r in m.responses {
                        let href = self.client.path_of(&r.href).unwrap_or(r.href.clone());
                        if href.trim_end_matches('/') == ab.trim_end_matches('/') {
                            continue;
                        }
                        if r.status == Some(404) {
                            changes.push((href, None));
                        } else {
                            let etag = r
                                .prop(DAV, "getetag")
                                .map(|p| p.text.trim().to_string())
                                .unwrap_or_default();
                            changes.push((href, Some(etag)));
                        }
                    }
                    if token.is_empty() {
                        add_missing(&mut changes, known);
                    }
                    return Ok((changes, m.sync_token));
                }
                // The server forgot the token (RFC 6578 §3.2: 403 or 409 with
                // valid-sync-token): read the whole address book once.
                Err(400 | 403 | 409 | 412) if !token.is_empty() => token.clear(),
                Err(_) => break,
            }
        }
        // No sync-collection: the ETag of every card.
        let m = self
            .client
            .propfind(&percent_encode_path(ab), 1, &[(DAV, "getetag")])?;
        let mut changes = Vec::new();
        for r in m.responses {
            let href = self.client.path_of(&r.href).unwrap_or(r.href.clone());
            if href.trim_end_matches('/') == ab.trim_end_matches('/') {
                continue;
            }
            let etag = r
                .prop(DAV, "getetag")
                .map(|p| p.text.trim().to_string())
                .unwrap_or_default();
            changes.push((href, Some(etag)));
        }
        add_missing(&mut changes, known);
        Ok((changes, None))
    }

    /// The cards at `hrefs` with their ETags, by addressbook-multiget.
    fn multiget(&self, ab: &str, hrefs: &[String]) -> Result<Vec<(String, String, String)>> {
        let mut out = Vec::new();
        for batch in hrefs.chunks(MULTIGET_BATCH) {
            let body = format!(
                "<?xml version=\"1.0\" encoding=\"utf-8\"?>\
                 <C:addressbook-multiget xmlns:D=\"DAV:\" xmlns:C=\"{CARDDAV}\">\
                 <D:prop><D:getetag/><C:address-data/></D:prop>{}</C:addressbook-multiget>",
                batch
                    .iter()
                    .map(|h| format!("<D:href>{}</D:href>", xml_escape(&percent_encode_path(h))))
                    .collect::<String>()
            );
            let m = match self.client.report(&percent_encode_path(ab), 1, &body)? {
                Ok(m) => m,
                Err(status) => {
                    return Err(self.bad(format!(
                        "{}: the server refused addressbook-multiget ({status})",
                        self.client.url(ab)
                    )))
                }
            };
            for r in m.responses {
                let href = self.client.path_of(&r.href).unwrap_or(r.href.clone());
                let Some(data) = r.prop(CARDDAV, "address-data") else {
                    continue;
                };
                let etag = r
                    .prop(DAV, "getetag")
                    .map(|p| p.text.trim().to_string())
                    .unwrap_or_default();
                out.push((href, etag, data.text.clone()));
            }
        }
        Ok(out)
    }
}

/// Known cards not in a full listing were deleted on the server.
fn add_missing(changes: &mut Vec<(String, Option<String>)>, known: &BTreeMap<String, DavItem>) {
    let listed: BTreeSet<String> = changes.iter().map(|(h, _)| h.clone()).collect();
    for (href, item) in known {
        if item.state != DavItemState::ServerDeleted && !listed.contains(href) {
            changes.push((href.clone(), None));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_card_made_elsewhere_keeps_its_uid() {
        let card =
            "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:urn:kith:vcard%3Aabc\r\nFN:A\r\nEND:VCARD\r\n";
        assert_eq!(
            replace_uid(card, "abc-1"),
            "BEGIN:VCARD\r\nVERSION:4.0\r\nUID:abc-1\r\nFN:A\r\nEND:VCARD\r\n"
        );
        assert_eq!(foreign_uid("vcard:abc"), Some("abc"));
        assert_eq!(foreign_uid("vcard:email:a@b.org"), None);
        assert_eq!(foreign_uid("0190-abc"), None);
    }

    #[test]
    fn new_paths_are_safe_and_distinct() {
        assert_eq!(new_href("/u/b/", "0190abc"), "/u/b/0190abc.vcf");
        let a = new_href("/u/b/", "vcard:a/b");
        let b = new_href("/u/b/", "vcard:a_b");
        assert!(a.starts_with("/u/b/vcard_a_b-") && a.ends_with(".vcf"));
        assert_ne!(a, b);
    }
}
