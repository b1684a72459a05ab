//! A Bluesky (AT Protocol) account: what the user said to others and what others said to
//! them, read from repositories, never from an AppView.
//!
//! One sync:
//! 1. Signs in with the handle (or the DID, once known) and the app password
//!    (`com.atproto.server.createSession`); the session lives in memory for this sync only.
//!    An access token the PDS calls expired is refreshed once (`refreshSession`), and failing
//!    that the sync signs in again; a refused app password is `sync_wrong_password`.
//! 2. Reads the user's repository (`com.atproto.sync.getRepo`, `since` the revision read last
//!    time) exactly as the archive importer reads a `.car`: the same records become the same
//!    interactions under the same keys (`bluesky:<at:// address>`), so an archive import and
//!    a sync never double a post. Follows name the accounts to watch.
//! 3. Reads, the same way, the repository of each account the user follows or talked with
//!    (their DID resolved through the PLC directory to their own PDS, which may be another):
//!    their replies to the user's posts, their mentions of the user and their quotes of the
//!    user's posts become interactions with them. Likes, reposts and everything else are not
//!    conversations and are left alone.
//!
//! The cursor keeps the user's DID, the revision read of each repository, and the accounts
//! watched. A post deleted after it was synced stays in Kith, as notes about it would: a
//! repository read since a revision shows what was added, not what went.

pub mod identity;
pub mod xrpc;

use super::{BlueskySettings, Harvest, Item, ItemKind, Me, Person, Secret, DEFAULT_PLC};
use crate::domain::{Channel, Direction, Handle, Platform};
use crate::error::{Error, Result, SyncProblem};
use crate::import::bluesky::{did_of_uri, from_repo, get, read_repo, text};
use crate::import::{Ctx, Progress, ProgressFn};
use chrono::{DateTime, Utc};
use ciborium::Value;
use identity::{clean_handle, resolve_did, resolve_handle, resolve_handle_at, DidDoc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::Duration;
use xrpc::{Call, Client, Refusal};

/// The tag of the accounts the user follows, as the archive importer gives it.
const FOLLOWING_TAG: &str = "bluesky-following";

/// How far a sync goes before it gives up on a server.
#[derive(Debug, Clone)]
pub struct Limits {
    /// How long a server may stay silent.
    pub timeout: Duration,
    /// The largest answer read: a whole repository, on a first sync.
    pub max_body_bytes: u64,
    /// The most repositories of other accounts one sync reads; the rest wait for the next.
    pub max_repos: usize,
    /// A PDS hosting at most this many accounts has all of them read for mentions of the
    /// user (a stranger is found no other way without an AppView); a bigger one is not.
    pub max_strangers: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            timeout: Duration::from_secs(30),
            max_body_bytes: 256_000_000,
            max_repos: 2_000,
            max_strangers: 200,
        }
    }
}

/// Where the next sync starts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    /// The user's DID, as the last sync found it.
    #[serde(default)]
    pub did: String,
    /// The revision of each repository read (the user's and the others'), by DID.
    #[serde(default)]
    pub revs: BTreeMap<String, String>,
    /// The accounts whose repositories are read: those the user follows or talked with.
    #[serde(default)]
    pub watch: BTreeSet<String>,
}

/// The user's session with their PDS, for this sync only.
struct Session {
    did: String,
    handle: String,
    pds: String,
    access: Secret,
    refresh: Secret,
}

/// Syncs a Bluesky account.
pub fn fetch(
    account: &str,
    settings: &BlueskySettings,
    password: &Secret,
    cursor: Option<&serde_json::Value>,
    me: &Me,
    progress: ProgressFn<'_>,
) -> Result<Harvest> {
    fetch_with(
        account,
        settings,
        password,
        cursor,
        me,
        progress,
        &Limits::default(),
        Utc::now(),
    )
}

/// Signs in once and answers the settings completed: the account's DID and PDS found, the
/// handle as the PDS knows it. What adding an account checks before it keeps anything.
pub fn connect(
    account: &str,
    settings: &BlueskySettings,
    password: &Secret,
) -> Result<BlueskySettings> {
    let limits = Limits::default();
    let client = Client::new(account, &limits, Utc::now());
    let session = sign_in(&client, settings, password)?;
    Ok(BlueskySettings {
        handle: session.handle,
        did: session.did,
        service: session.pds,
        plc: plc_of(settings).to_string(),
    })
}

fn plc_of(settings: &BlueskySettings) -> &str {
    let plc = settings.plc.trim().trim_end_matches('/');
    if plc.is_empty() {
        DEFAULT_PLC
    } else {
        plc
    }
}

/// [`fetch`] with the limits and the time given.
#[allow(clippy::too_many_arguments)]
pub fn fetch_with(
    account: &str,
    settings: &BlueskySettings,
    password: &Secret,
    cursor: Option<&serde_json::Value>,
    me: &Me,
    progress: ProgressFn<'_>,
    limits: &Limits,
    now: DateTime<Utc>,
) -> Result<Harvest> {
    let mut cursor: Cursor = match cursor {
        Some(c) => serde_json::from_value(c.clone()).unwrap_or_default(),
        None => Cursor::default(),
    };
    let client = Client::new(account, limits, now);
    step(progress, account, "signing in", 0, None)?;
    let mut session = sign_in(&client, settings, password)?;
    if !cursor.did.is_empty() && cursor.did != session.did {
        // Another account behind the same settings: what was read of the old one says
        // nothing about this one.
        cursor = Cursor::default();
    }
    cursor.did = session.did.clone();
    let plc = plc_of(settings).to_string();
    let mut harvest = Harvest::default();
    let mut docs: HashMap<String, Option<DidDoc>> = HashMap::new();

    // The user's own repository.
    step(progress, account, "reading your repository", 0, None)?;
    let since = cursor.revs.get(&session.did).cloned();
    if !unchanged(&client, &session.pds, &session.did, since.as_deref())? {
        let own = match get_repo_signed_in(&client, &mut session, settings, password, since)? {
            Ok(bytes) => bytes,
            Err(r) => {
                return Err(client.refused(
                    &format!(
                        "reading your repository ({}) at {}",
                        session.did, session.pds
                    ),
                    &r,
                ))
            }
        };
        let label = format!("the repository of {}", session.handle);
        let mut ctx = Ctx::new(label, crate::import::Limits::default(), now, &mut *progress);
        let repo = read_repo(&own, &mut ctx).map_err(|e| unreadable(account, e))?;
        if repo.did != session.did {
            return Err(Error::sync(
                account,
                SyncProblem::BadResponse,
                format!(
                    "{} sent the repository of {} when asked for {}",
                    session.pds, repo.did, session.did
                ),
            ));
        }
        let parsed = from_repo(&repo, &mut ctx).map_err(|e| unreadable(account, e))?;
        drop(ctx);
        if let Some(rev) = &repo.rev {
            cursor.revs.insert(session.did.clone(), rev.clone());
        }
        let contacts: HashMap<&str, &crate::domain::Contact> = parsed
            .records
            .contacts
            .iter()
            .map(|c| (c.id.as_str(), c))
            .collect();
        for c in &parsed.records.contacts {
            let Some(did) = c.id.strip_prefix("bluesky:") else {
                continue;
            };
            cursor.watch.insert(did.to_string());
            // Whom the user follows becomes a contact tagged `bluesky-following`, as the
            // archive importer makes them, under the same key.
            if !c.tags.iter().any(|t| t == FOLLOWING_TAG) {
                continue;
            }
            let doc = doc_of(&client, &plc, did, &mut docs)?;
            let tags: Vec<String> = c
                .tags
                .iter()
                .filter(|t| doc.is_none() || t.as_str() != "unresolved")
                .cloned()
                .collect();
            harvest.items.push(Item {
                key: c.id.clone(),
                kind: ItemKind::Follow,
                channel: Channel::Bluesky,
                direction: Direction::Outbound,
                at: now,
                public: true,
                text: String::new(),
                thread: None,
                tags,
                people: vec![person(did, doc.as_ref(), &[])],
                bulk: false,
                seen_in: format!("your follows on Bluesky ({})", session.handle),
            });
        }
        for i in &parsed.records.interactions {
            let mut people = Vec::new();
            for key in &i.contact_ids {
                let Some(did) = key.strip_prefix("bluesky:") else {
                    continue;
                };
                let doc = doc_of(&client, &plc, did, &mut docs)?;
                let written: Vec<String> = contacts
                    .get(key.as_str())
                    .map(|c| {
                        c.handles
                            .iter()
                            .filter(|h| h.platform == Platform::Bluesky)
                            .map(|h| h.value.clone())
                            .collect()
                    })
                    .unwrap_or_default();
                people.push(person(did, doc.as_ref(), &written));
            }
            harvest.items.push(Item {
                key: i.id.clone(),
                kind: ItemKind::Conversation,
                channel: Channel::Bluesky,
                direction: i.direction,
                at: i.occurred_at,
                public: i.public,
                text: i.text.clone(),
                thread: i.thread.clone(),
                tags: i.tags.clone(),
                people,
                bulk: false,
                seen_in: format!("your posts on Bluesky ({})", session.handle),
            });
        }
        harvest.skipped += parsed.skipped;
        drop(parsed);
        drop(repo);
        drop(own);
    }

    // The contacts' accounts, known by DID or by handle (which the user's PDS resolves).
    let mut contacts: BTreeSet<String> = BTreeSet::new();
    // DID → the handles as the contacts have them (a profile's address, say), so their
    // posts find them whatever spelling the store keeps.
    let mut spelled: HashMap<String, Vec<String>> = HashMap::new();
    let mut unresolved: Vec<String> = Vec::new();
    for h in me
        .contact_handles
        .iter()
        .filter(|h| h.platform == Platform::Bluesky)
    {
        let value = clean_handle(&h.value);
        if value.starts_with("did:") {
            contacts.insert(value);
        } else if value.contains('.') && !value.contains([' ', '/', '@', ':']) {
            // The user's PDS first, then the other PDSs this sync met, for a handle a
            // private network's PDS answers only for its own accounts.
            let pdss = pdss_met(&session.pds, &docs);
            let mut found = None;
            for pds in &pdss {
                found = resolve_handle_at(&client, pds, &value)?;
                if found.is_some() {
                    break;
                }
            }
            match found {
                Some(did) => {
                    spelled
                        .entry(did.clone())
                        .or_default()
                        .push(h.value.clone());
                    contacts.insert(did);
                }
                None => unresolved.push(value),
            }
        }
    }
    if !unresolved.is_empty() {
        harvest.notes.push(format!(
            "{} contacts' Bluesky handles were not found, so their posts were not read: {}",
            unresolved.len(),
            unresolved.join(", ")
        ));
    }

    // The repositories of the accounts the user follows, talked with, or has as contacts.
    cursor.watch.remove(&session.did);
    contacts.remove(&session.did);
    let watched: Vec<String> = cursor.watch.union(&contacts).cloned().collect();
    let total = watched.len().min(limits.max_repos);
    if watched.len() > limits.max_repos {
        harvest.notes.push(format!(
            "{} accounts are watched; this sync read {} of them",
            watched.len(),
            limits.max_repos
        ));
    }
    // The least recently read first, so a long list is read through over several syncs.
    let mut order: Vec<&String> = watched.iter().collect();
    order.sort_by_key(|did| (cursor.revs.get(*did).cloned(), (*did).clone()));
    let mut reading = Reading {
        client: &client,
        plc: &plc,
        me: &session.did,
        docs: &mut docs,
        cursor: &mut cursor,
        harvest: &mut harvest,
        now,
        progress: &mut *progress,
    };
    for (n, did) in order.into_iter().take(total).enumerate() {
        reading.step(
            "reading the repositories of the people you follow",
            n,
            total,
        )?;
        reading.other(did, true)?;
    }

    // Strangers on a small PDS: someone the user neither follows nor talked with is found
    // only by reading their repository, and without an AppView nothing else names them. A
    // PDS that hosts a few accounts (a library's own, a community's) lists them all; a big
    // one is left alone.
    let read: BTreeSet<String> = watched.iter().cloned().collect();
    let mut strangers: Vec<String> = Vec::new();
    for pds in &pdss_met(&session.pds, reading.docs) {
        for did in small_pds_accounts(&client, pds, limits.max_strangers) {
            if did != session.did && !read.contains(&did) && !strangers.contains(&did) {
                strangers.push(did);
            }
        }
    }
    let total = strangers.len();
    for (n, did) in strangers.iter().enumerate() {
        reading.step("reading the other accounts on your server", n, total)?;
        reading.other(did, false)?;
    }
    for item in &mut harvest.items {
        for p in &mut item.people {
            let did = p
                .handles
                .iter()
                .find(|h| h.value.starts_with("did:"))
                .map(|h| h.value.clone());
            for value in did.and_then(|d| spelled.get(&d)).into_iter().flatten() {
                if !p.handles.iter().any(|h| &h.value == value) {
                    p.handles.push(Handle {
                        platform: Platform::Bluesky,
                        value: value.clone(),
                    });
                }
            }
        }
    }
    if clean_handle(&settings.handle) != session.handle {
        harvest.notes.push(format!(
            "your handle is now {} (it was {} when the account was added)",
            session.handle,
            clean_handle(&settings.handle)
        ));
    }
    harvest.cursor = Some(serde_json::to_value(&cursor).map_err(|e| {
        Error::sync(
            account,
            SyncProblem::BadResponse,
            format!("the sync's cursor cannot be kept: {e}"),
        )
    })?);
    Ok(harvest)
}

/// What a sync reads other accounts' repositories with.
struct Reading<'r, 'c, 'p> {
    client: &'r Client<'c>,
    plc: &'r str,
    /// The user's DID.
    me: &'r str,
    docs: &'r mut HashMap<String, Option<DidDoc>>,
    cursor: &'r mut Cursor,
    harvest: &'r mut Harvest,
    now: DateTime<Utc>,
    progress: ProgressFn<'p>,
}

impl Reading<'_, '_, '_> {
    /// Says how far the sync is, `done` of `total`; `Err` when the user cancelled it.
    fn step(&mut self, stage: &str, done: usize, total: usize) -> Result<()> {
        step(
            &mut *self.progress,
            self.client.account(),
            stage,
            done as u64,
            Some(total as u64),
        )
    }

    /// Reads what is new in the repository of `did`: their replies to, mentions of and
    /// quotes of the user. A repository that cannot be read is a note, not a failure, when
    /// `watched` (someone the user knows); a stranger's is passed over quietly. A stranger
    /// found talking to the user is watched from then on.
    fn other(&mut self, did: &str, watched: bool) -> Result<()> {
        if watched {
            return self.read(did);
        }
        let (items, notes, skipped) = (
            self.harvest.items.len(),
            self.harvest.notes.len(),
            self.harvest.skipped,
        );
        match self.read(did) {
            Ok(()) => {
                self.harvest.notes.truncate(notes);
                if self.harvest.items.len() > items {
                    self.cursor.watch.insert(did.to_string());
                }
            }
            Err(e @ Error::Cancelled(_)) => return Err(e),
            // A stranger's repository that cannot be read costs the sync nothing.
            Err(_) => {
                self.harvest.items.truncate(items);
                self.harvest.notes.truncate(notes);
                self.harvest.skipped = skipped;
                self.cursor.revs.remove(did);
            }
        }
        Ok(())
    }

    fn read(&mut self, did: &str) -> Result<()> {
        let Some(doc) = doc_of(self.client, self.plc, did, self.docs)? else {
            self.harvest.notes.push(format!(
                "{did} is not in the DID directory (any more); its posts were not read"
            ));
            return Ok(());
        };
        let Some(pds) = doc.pds.clone() else {
            self.harvest.notes.push(format!(
                "{} names no PDS in its DID document; its posts were not read",
                name_of(&doc)
            ));
            return Ok(());
        };
        let since = self.cursor.revs.get(did).cloned();
        if unchanged(self.client, &pds, did, since.as_deref())? {
            return Ok(());
        }
        let bytes = match get_repo(self.client, &pds, did, since.as_deref(), None)? {
            Ok(bytes) => bytes,
            Err(r) => {
                self.harvest.notes.push(format!(
                    "the posts of {} were not read: {pds} answered {}",
                    name_of(&doc),
                    r.describe()
                ));
                return Ok(());
            }
        };
        let label = format!("the repository of {}", name_of(&doc));
        let mut ctx = Ctx::new(
            label,
            crate::import::Limits::default(),
            self.now,
            &mut *self.progress,
        );
        let repo = read_repo(&bytes, &mut ctx).map_err(|e| unreadable(self.client.account(), e))?;
        drop(ctx);
        if repo.did != did {
            self.harvest.notes.push(format!(
                "{pds} sent the repository of {} when asked for {did}; it was not read",
                repo.did
            ));
            return Ok(());
        }
        for (path, cid) in &repo.records {
            if !path.starts_with("app.bsky.feed.post/") {
                continue;
            }
            let Some((_, record)) = repo.record(cid) else {
                continue;
            };
            match about_me(&record, self.me) {
                Some(how) => {
                    let uri = format!("at://{did}/{path}");
                    match item_from(&record, &uri, how, &doc) {
                        Ok(item) => self.harvest.items.push(item),
                        Err(why) => {
                            self.harvest.skipped += 1;
                            self.harvest
                                .notes
                                .push(format!("{uri} was left out: {why}"));
                        }
                    }
                }
                None => continue,
            }
        }
        if let Some(rev) = repo.rev {
            self.cursor.revs.insert(did.to_string(), rev);
        }
        Ok(())
    }
}

/// The user's PDS, then every other PDS the DID documents read so far name.
fn pdss_met(mine: &str, docs: &HashMap<String, Option<DidDoc>>) -> Vec<String> {
    let mut pdss: Vec<String> = vec![mine.to_string()];
    for doc in docs.values().flatten() {
        if let Some(p) = &doc.pds {
            if !pdss.contains(p) {
                pdss.push(p.clone());
            }
        }
    }
    pdss
}

/// The accounts a small PDS hosts (at most `max`), or none when it hosts more or will not
/// list them.
fn small_pds_accounts(client: &Client<'_>, pds: &str, max: usize) -> Vec<String> {
    if max == 0 {
        return Vec::new();
    }
    let limit = (max + 1).min(1000).to_string();
    let answer = client.xrpc(
        pds,
        "com.atproto.sync.listRepos",
        Call::Get(&[("limit", limit.as_str())]),
        None,
    );
    // A PDS that will not list its accounts, or cannot now, is not scanned this time.
    let Ok(Ok(bytes)) = answer else {
        return Vec::new();
    };
    let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
    let repos: Vec<String> = v
        .get("repos")
        .and_then(|r| r.as_array())
        .into_iter()
        .flatten()
        .filter(|r| r.get("active").and_then(|a| a.as_bool()) != Some(false))
        .filter_map(|r| r.get("did").and_then(|d| d.as_str()))
        .filter(|d| d.starts_with("did:"))
        .map(str::to_string)
        .collect();
    if repos.len() > max {
        return Vec::new();
    }
    repos
}

fn step(
    progress: ProgressFn<'_>,
    account: &str,
    stage: &str,
    done: u64,
    total: Option<u64>,
) -> Result<()> {
    if progress(Progress {
        stage: stage.to_string(),
        done,
        total,
    }) {
        Ok(())
    } else {
        Err(Error::Cancelled(format!(
            "{account}: sync cancelled; nothing was written"
        )))
    }
}

/// A repository that could not be read, as the account's problem (a cancel stays one).
fn unreadable(account: &str, e: Error) -> Error {
    match e {
        Error::Cancelled(_) => {
            Error::Cancelled(format!("{account}: sync cancelled; nothing was written"))
        }
        other => Error::sync(account, SyncProblem::BadResponse, other.to_string()),
    }
}

fn doc_of(
    client: &Client<'_>,
    plc: &str,
    did: &str,
    docs: &mut HashMap<String, Option<DidDoc>>,
) -> Result<Option<DidDoc>> {
    if let Some(doc) = docs.get(did) {
        return Ok(doc.clone());
    }
    let doc = resolve_did(client, plc, did)?;
    docs.insert(did.to_string(), doc.clone());
    Ok(doc)
}

fn name_of(doc: &DidDoc) -> String {
    match &doc.handle {
        Some(h) => format!("@{h}"),
        None => doc.did.clone(),
    }
}

/// Someone in a post: named by their handle now, known by it, by the handles written in the
/// post, and by their DID (which stays when the handle changes).
fn person(did: &str, doc: Option<&DidDoc>, written: &[String]) -> Person {
    let mut handles: Vec<Handle> = Vec::new();
    let mut add = |v: &str| {
        let v = clean_handle(v);
        if !v.is_empty() && !handles.iter().any(|h| h.value == v) {
            handles.push(Handle {
                platform: Platform::Bluesky,
                value: v,
            });
        }
    };
    if let Some(h) = doc.and_then(|d| d.handle.as_deref()) {
        add(h);
    }
    for w in written {
        add(w);
    }
    add(did);
    let name = doc
        .and_then(|d| d.handle.as_deref())
        .or_else(|| {
            written
                .iter()
                .map(String::as_str)
                .find(|w| !w.starts_with("did:"))
        })
        .map(|h| format!("@{}", clean_handle(h)));
    let current = doc
        .and_then(|d| d.handle.as_deref())
        .map(clean_handle)
        .filter(|h| !h.is_empty())
        .map(|value| Handle {
            platform: Platform::Bluesky,
            value,
        });
    Person {
        name,
        handles,
        current,
    }
}

/// How another account's post concerns the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum About {
    Reply,
    Mention,
    Quote,
}

fn about_me(record: &Value, me: &str) -> Option<About> {
    if text(record, "$type") != Some("app.bsky.feed.post") {
        return None;
    }
    let reply_to = |which: &str| {
        get(record, "reply")
            .and_then(|r| get(r, which))
            .and_then(|p| text(p, "uri"))
            .and_then(did_of_uri)
    };
    if reply_to("parent") == Some(me) || reply_to("root") == Some(me) {
        return Some(About::Reply);
    }
    let mentions = get(record, "facets")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|f| get(f, "features").and_then(Value::as_array))
        .flatten()
        .any(|f| {
            text(f, "$type") == Some("app.bsky.richtext.facet#mention")
                && text(f, "did") == Some(me)
        });
    if mentions {
        return Some(About::Mention);
    }
    let embed = get(record, "embed");
    let quoted = embed
        .and_then(|e| get(e, "record"))
        .and_then(|r| {
            // app.bsky.embed.record: {record: {uri}}; recordWithMedia: {record: {record: {uri}}}
            text(r, "uri").or_else(|| get(r, "record").and_then(|rr| text(rr, "uri")))
        })
        .and_then(did_of_uri);
    if quoted == Some(me) {
        return Some(About::Quote);
    }
    None
}

fn item_from(
    record: &Value,
    uri: &str,
    how: About,
    doc: &DidDoc,
) -> std::result::Result<Item, String> {
    let created = text(record, "createdAt").ok_or("the post has no createdAt")?;
    let at = crate::archive::parse_datetime(created).map_err(|m| format!("createdAt: {m}"))?;
    let root = get(record, "reply")
        .and_then(|r| get(r, "root"))
        .and_then(|r| text(r, "uri"));
    let thread = root.map(|r| format!("bluesky:thread:{r}"));
    let tags = match how {
        About::Quote => vec!["bluesky-quote".to_string()],
        About::Reply | About::Mention => Vec::new(),
    };
    Ok(Item {
        key: format!("bluesky:{uri}"),
        kind: ItemKind::Conversation,
        channel: Channel::Bluesky,
        direction: Direction::Inbound,
        at,
        public: true,
        text: text(record, "text").unwrap_or("").to_string(),
        thread,
        tags,
        people: vec![person(&doc.did, Some(doc), &[])],
        bulk: false,
        seen_in: match how {
            About::Reply => "replies to you on Bluesky".to_string(),
            About::Mention => "mentions of you on Bluesky".to_string(),
            About::Quote => "quotes of your posts on Bluesky".to_string(),
        },
    })
}

/// Signs in: the DID and PDS from the settings, or found from the handle; then
/// `createSession` with the app password.
fn sign_in(client: &Client<'_>, settings: &BlueskySettings, password: &Secret) -> Result<Session> {
    let account = client.account();
    let handle = clean_handle(&settings.handle);
    let service = settings.service.trim().trim_end_matches('/');
    let service = (!service.is_empty()).then_some(service);
    let did = settings.did.trim();
    let (identifier, pds) = match service {
        Some(pds) => (
            if did.is_empty() {
                handle.clone()
            } else {
                did.to_string()
            },
            pds.to_string(),
        ),
        None => {
            let did = if did.is_empty() {
                resolve_handle(client, &handle, None)?
            } else {
                did.to_string()
            };
            let doc = resolve_did(client, plc_of(settings), &did)?.ok_or_else(|| {
                Error::sync(
                    account,
                    SyncProblem::BadResponse,
                    format!("{did} is not in the DID directory {}", plc_of(settings)),
                )
            })?;
            let pds = doc.pds.ok_or_else(|| {
                Error::sync(
                    account,
                    SyncProblem::BadResponse,
                    format!("the DID document of {did} names no PDS"),
                )
            })?;
            (did, pds)
        }
    };
    create_session(client, &pds, &identifier, password)
}

fn create_session(
    client: &Client<'_>,
    pds: &str,
    identifier: &str,
    password: &Secret,
) -> Result<Session> {
    let account = client.account();
    let body = serde_json::json!({ "identifier": identifier, "password": password.expose() });
    match client.xrpc(
        pds,
        "com.atproto.server.createSession",
        Call::Post(&body),
        None,
    )? {
        Ok(bytes) => {
            let v = client.json(&format!("{pds}'s answer to signing in"), &bytes)?;
            let field = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
            let (Some(did), Some(access), Some(refresh)) =
                (field("did"), field("accessJwt"), field("refreshJwt"))
            else {
                return Err(Error::sync(
                    account,
                    SyncProblem::BadResponse,
                    format!("{pds} signed in without giving a session"),
                ));
            };
            let handle = field("handle")
                .map(|h| clean_handle(&h))
                .unwrap_or_default();
            // Signed in through an entryway (bsky.social), the repository is on the PDS the
            // session's DID document names.
            let home = v
                .get("didDoc")
                .and_then(|doc| identity::read_doc(&did, doc).pds)
                .unwrap_or_else(|| pds.to_string());
            Ok(Session {
                did,
                handle,
                pds: home,
                access: Secret::new(access),
                refresh: Secret::new(refresh),
            })
        }
        Err(r) if r.status == 401 || r.error == "AuthenticationRequired" => Err(Error::sync(
            account,
            SyncProblem::WrongPassword,
            format!(
                "{pds} refused the app password for {identifier} ({}); make a new app password \
                 in Bluesky's settings (Privacy and security → App passwords) and sign in again",
                r.describe()
            ),
        )),
        Err(r) => Err(client.refused(&format!("signing in to {pds} as {identifier}"), &r)),
    }
}

fn expired(r: &Refusal) -> bool {
    matches!(r.error.as_str(), "ExpiredToken" | "InvalidToken")
        || (r.status == 401 && r.error != "AuthenticationRequired")
}

/// The user's repository, signed in: an expired session is refreshed, or signed into again.
fn get_repo_signed_in(
    client: &Client<'_>,
    session: &mut Session,
    settings: &BlueskySettings,
    password: &Secret,
    since: Option<String>,
) -> Result<std::result::Result<Vec<u8>, Refusal>> {
    let did = session.did.clone();
    let pds = session.pds.clone();
    let first = get_repo(
        client,
        &pds,
        &did,
        since.as_deref(),
        Some(session.access.expose()),
    )?;
    match first {
        Err(r) if expired(&r) => {}
        other => return Ok(other),
    }
    refresh(client, session, settings, password)?;
    let pds = session.pds.clone();
    let second = get_repo(
        client,
        &pds,
        &did,
        since.as_deref(),
        Some(session.access.expose()),
    )?;
    match second {
        // A PDS that will not take the session's token (one an entryway issued) still
        // serves the repository to anyone.
        Err(r) if expired(&r) => get_repo(client, &pds, &did, since.as_deref(), None),
        other => Ok(other),
    }
}

/// A new access token from the refresh token; failing that, a new session.
fn refresh(
    client: &Client<'_>,
    session: &mut Session,
    settings: &BlueskySettings,
    password: &Secret,
) -> Result<()> {
    let answer = client.xrpc(
        &session.pds,
        "com.atproto.server.refreshSession",
        Call::Post(&serde_json::json!({})),
        Some(session.refresh.expose()),
    )?;
    if let Ok(bytes) = answer {
        let v = client.json("the refreshed session", &bytes)?;
        let field = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
        if let (Some(access), Some(refresh)) = (field("accessJwt"), field("refreshJwt")) {
            session.access = Secret::new(access);
            session.refresh = Secret::new(refresh);
            return Ok(());
        }
    }
    let again = sign_in(client, settings, password)?;
    *session = again;
    Ok(())
}

/// Whether the repository of `did` is still at revision `since` (`getLatestCommit`), so
/// there is nothing to read. A PDS that cannot say is read anyway.
fn unchanged(client: &Client<'_>, pds: &str, did: &str, since: Option<&str>) -> Result<bool> {
    let Some(since) = since else {
        return Ok(false);
    };
    let answer = client.xrpc(
        pds,
        "com.atproto.sync.getLatestCommit",
        Call::Get(&[("did", did)]),
        None,
    )?;
    Ok(match answer {
        Ok(bytes) => {
            let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
            v.get("rev").and_then(|r| r.as_str()) == Some(since)
        }
        Err(_) => false,
    })
}

fn get_repo(
    client: &Client<'_>,
    pds: &str,
    did: &str,
    since: Option<&str>,
    auth: Option<&str>,
) -> Result<std::result::Result<Vec<u8>, Refusal>> {
    let mut query = vec![("did", did)];
    if let Some(since) = since {
        query.push(("since", since));
    }
    client.xrpc(pds, "com.atproto.sync.getRepo", Call::Get(&query), auth)
}
