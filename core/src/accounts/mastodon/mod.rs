//! A Mastodon account, read through the server's REST API into a [`Harvest`]:
//!
//! - the user's own statuses that mention someone (replies and mentions: outbound, public
//!   when public or unlisted, not when followers-only or direct), boosts left out;
//! - the statuses that mention the user (mention notifications: inbound, from their author
//!   and with everyone else they mention);
//! - direct conversations (their latest status, either way);
//! - the accounts the user follows (contacts tagged `mastodon-following`, as the archive's
//!   follows make them) and the lists they are on (the list's title as a tag), read again
//!   once a day.
//!
//! Each status is stored under `mastodon:status:<uri>`, the key the archive importer gives
//! the same note (its ActivityPub id), so an archive import and a live sync never double a
//! post; replies share a thread `mastodon:thread:<root uri>`, as in the archive. Lists are
//! walked by their `Link` headers; the cursor keeps the newest id read of each, so a second
//! sync asks only for what is newer. HTML becomes text as the archive importer makes it.
//!
//! An author whose account moved servers (`moved`) is named by both accounts, so they stay
//! one person, and the harvest says so. Nothing here touches the store.

pub(crate) mod api;
mod client;
pub mod loopback;
pub mod oauth;
mod paging;

use super::{Harvest, Item, ItemKind, MastodonSettings, Person, Secret};
use crate::domain::{Channel, Direction, Handle, Platform};
use crate::error::{Error, Result};
use crate::import::text::html_to_text;
use crate::import::{Progress, ProgressFn};
use api::{Account, Conversation, Notification, Status};
use chrono::{DateTime, SubsecRound, Utc};
use client::{Client, Page};
use paging::{newer, newest, Cursor};
use std::collections::{HashMap, HashSet};
use std::time::Duration;

/// How far one sync of a Mastodon account goes.
#[derive(Debug, Clone)]
pub struct Limits {
    /// How long to wait for the server to connect or to send the next bytes.
    pub timeout: Duration,
    /// The most bytes read of one answer.
    pub max_body_bytes: u64,
    /// The most pages read of one list in one sync (40 items a page).
    pub max_pages: usize,
    /// The most pages of follows, or of one list's members, read (80 a page).
    pub max_follow_pages: usize,
    /// How long the follows and lists read are trusted before they are read again.
    pub follows_every: chrono::Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            timeout: Duration::from_secs(20),
            max_body_bytes: 10_000_000,
            max_pages: 5,
            max_follow_pages: 25,
            follows_every: chrono::Duration::hours(24),
        }
    }
}

/// Items asked for per page: Mastodon's largest.
const PAGE: u32 = 40;

/// Accounts asked for per page of follows and list members: Mastodon's largest.
const ACCOUNTS_PAGE: u32 = 80;

/// The tag of a contact the user follows on Mastodon, as the archive importer gives it.
pub const FOLLOWING_TAG: &str = "mastodon-following";

/// Fetches what is new on the account since `cursor`.
pub fn fetch(
    name: &str,
    settings: &MastodonSettings,
    token: &Secret,
    cursor: Option<&serde_json::Value>,
    progress: ProgressFn<'_>,
) -> Result<Harvest> {
    fetch_with(name, settings, token, cursor, progress, &Limits::default())
}

/// [`fetch`] with explicit limits.
pub fn fetch_with(
    name: &str,
    settings: &MastodonSettings,
    token: &Secret,
    cursor: Option<&serde_json::Value>,
    progress: ProgressFn<'_>,
    limits: &Limits,
) -> Result<Harvest> {
    let now = Utc::now();
    let client = Client::new(name, &settings.server, Some(token), limits, now);
    let old = Cursor::read(name, cursor)?;
    let mut sync = Sync {
        name,
        client,
        settings,
        host: host_of(&settings.server),
        limits,
        progress,
        cursor: old.clone(),
        statuses: Vec::new(),
        notes: Vec::new(),
        skipped: 0,
        follows: Vec::new(),
    };
    sync.own_statuses(old.statuses.as_deref())?;
    sync.mentions(old.mentions.as_deref())?;
    sync.conversations(old.conversations.as_deref())?;
    if old
        .follows_read_at
        .is_none_or(|at| now - at >= limits.follows_every || at > now)
    {
        sync.follows()?;
        sync.cursor.follows_read_at = Some(now);
    }
    Ok(sync.harvest())
}

/// Where a status was read, for the New people inbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    Own,
    Mention,
    Direct,
}

struct Sync<'a, 'p> {
    name: &'a str,
    client: Client<'a>,
    settings: &'a MastodonSettings,
    host: String,
    limits: &'a Limits,
    progress: ProgressFn<'p>,
    cursor: Cursor,
    /// Every status read, with where, and (for a direct conversation) who is in it.
    statuses: Vec<(Status, Source, Vec<Account>)>,
    notes: Vec<String>,
    skipped: u32,
    /// The accounts the user follows, with the titles of the lists each is on.
    follows: Vec<(Account, Vec<String>)>,
}

impl Sync<'_, '_> {
    fn step(&mut self, stage: &str) -> Result<()> {
        let done = self.statuses.len() as u64;
        if (self.progress)(Progress {
            stage: stage.to_string(),
            done,
            total: None,
        }) {
            Ok(())
        } else {
            Err(Error::Cancelled(format!(
                "The sync of {} was cancelled; nothing from it was saved.",
                self.name
            )))
        }
    }

    /// Walks a list from its newest page, while `keep` says a page may hold something new.
    fn walk<T: serde::de::DeserializeOwned>(
        &mut self,
        stage: &str,
        first: String,
        keep: impl FnMut(&mut Self, Vec<T>) -> bool,
    ) -> Result<()> {
        let max = self.limits.max_pages;
        self.walk_pages(stage, first, max, keep)
    }

    fn walk_pages<T: serde::de::DeserializeOwned>(
        &mut self,
        stage: &str,
        first: String,
        max_pages: usize,
        mut keep: impl FnMut(&mut Self, Vec<T>) -> bool,
    ) -> Result<()> {
        let mut url = Some(first);
        let mut pages = 0;
        while let Some(u) = url.take() {
            if pages == max_pages {
                self.notes.push(format!(
                    "{stage}: more than {max_pages} pages; the older ones are left for now"
                ));
                break;
            }
            self.step(stage)?;
            let page: Page<Vec<T>> = self.client.get(&u)?;
            pages += 1;
            if page.items.is_empty() || !keep(self, page.items) {
                break;
            }
            url = page.next;
        }
        Ok(())
    }

    fn own_statuses(&mut self, since: Option<&str>) -> Result<()> {
        let mut url = self.client.url(&format!(
            "/api/v1/accounts/{}/statuses?limit={PAGE}",
            client::encode(&self.settings.account_id)
        ));
        if let Some(s) = since {
            url.push_str(&format!("&since_id={}", client::encode(s)));
        }
        self.walk("reading your posts", url, |sync, page: Vec<Status>| {
            let mut all_new = true;
            for status in page {
                if !newer(&status.id, since) {
                    all_new = false;
                    continue;
                }
                sync.cursor.statuses = newest(sync.cursor.statuses.take(), &status.id);
                sync.statuses.push((status, Source::Own, Vec::new()));
            }
            all_new
        })
    }

    fn mentions(&mut self, since: Option<&str>) -> Result<()> {
        let mut url = self.client.url(&format!(
            "/api/v1/notifications?types%5B%5D=mention&limit={PAGE}"
        ));
        if let Some(s) = since {
            url.push_str(&format!("&since_id={}", client::encode(s)));
        }
        self.walk(
            "reading your mentions",
            url,
            |sync, page: Vec<Notification>| {
                let mut all_new = true;
                for n in page {
                    if !newer(&n.id, since) {
                        all_new = false;
                        continue;
                    }
                    sync.cursor.mentions = newest(sync.cursor.mentions.take(), &n.id);
                    match n.status {
                        Some(status) if n.kind == "mention" => {
                            sync.statuses.push((status, Source::Mention, Vec::new()))
                        }
                        _ => sync.skipped += 1,
                    }
                }
                all_new
            },
        )
    }

    fn conversations(&mut self, since: Option<&str>) -> Result<()> {
        let url = self
            .client
            .url(&format!("/api/v1/conversations?limit={PAGE}"));
        self.walk(
            "reading your direct messages",
            url,
            |sync, page: Vec<Conversation>| {
                let mut any_new = false;
                for c in page {
                    let Some(status) = c.last_status else {
                        continue;
                    };
                    if !newer(&status.id, since) {
                        continue;
                    }
                    any_new = true;
                    sync.cursor.conversations =
                        newest(sync.cursor.conversations.take(), &status.id);
                    sync.statuses.push((status, Source::Direct, c.accounts));
                }
                any_new
            },
        )
    }

    /// The accounts the user follows, and the lists they are on.
    fn follows(&mut self) -> Result<()> {
        let max = self.limits.max_follow_pages;
        let url = self.client.url(&format!(
            "/api/v1/accounts/{}/following?limit={ACCOUNTS_PAGE}",
            client::encode(&self.settings.account_id)
        ));
        self.walk_pages(
            "reading whom you follow",
            url,
            max,
            |sync, page: Vec<Account>| {
                for a in page {
                    if !sync.follows.iter().any(|(f, _)| f.id == a.id) {
                        sync.follows.push((a, vec![FOLLOWING_TAG.to_string()]));
                    }
                }
                true
            },
        )?;
        self.step("reading your lists")?;
        let lists: Page<Vec<api::List>> = self.client.get(&self.client.url("/api/v1/lists"))?;
        for list in lists.items {
            let title = list.title.trim().to_string();
            if title.is_empty() {
                continue;
            }
            let url = self.client.url(&format!(
                "/api/v1/lists/{}/accounts?limit={ACCOUNTS_PAGE}",
                client::encode(&list.id)
            ));
            self.walk_pages(
                "reading your lists",
                url,
                max,
                |sync, page: Vec<Account>| {
                    for a in page {
                        match sync.follows.iter_mut().find(|(f, _)| f.id == a.id) {
                            Some((_, tags)) => {
                                if !tags.contains(&title) {
                                    tags.push(title.clone());
                                }
                            }
                            None => sync.follows.push((a, vec![title.clone()])),
                        }
                    }
                    true
                },
            )?;
        }
        Ok(())
    }

    fn harvest(mut self) -> Harvest {
        let threads = self.threads();
        let mut items = Vec::new();
        let mut keys = HashSet::new();
        let mut moved: Vec<String> = Vec::new();
        let statuses = std::mem::take(&mut self.statuses);
        for (status, source, accounts) in &statuses {
            if status.reblog.is_some() {
                self.skipped += 1;
                continue;
            }
            let key = format!("mastodon:status:{}", status.uri);
            if !keys.insert(key.clone()) {
                continue;
            }
            let Some(at) = parse_time(&status.created_at) else {
                self.skipped += 1;
                self.notes.push(format!(
                    "the post {} has a date Kith cannot read ({:?}); left out",
                    status.uri, status.created_at
                ));
                continue;
            };
            let mine = status.account.id == self.settings.account_id;
            let mut people: Vec<Person> = Vec::new();
            let add = |p: Person, people: &mut Vec<Person>| {
                if !people.iter().any(|q| q.handles[0] == p.handles[0]) {
                    people.push(p);
                }
            };
            if !mine {
                add(self.person(&status.account, &mut moved), &mut people);
            }
            for m in &status.mentions {
                if m.id != self.settings.account_id {
                    add(self.mentioned(m), &mut people);
                }
            }
            for a in accounts {
                if a.id != self.settings.account_id {
                    add(self.person(a, &mut moved), &mut people);
                }
            }
            if people.is_empty() {
                // A post to nobody in particular is not a conversation (as in the archive).
                self.skipped += 1;
                continue;
            }
            let seen_in = match source {
                Source::Own => format!("your posts on {}", self.host),
                Source::Mention => format!("mentions on {}", self.host),
                Source::Direct => format!("direct messages on {}", self.host),
            };
            items.push(Item {
                key,
                kind: ItemKind::Conversation,
                channel: Channel::Mastodon,
                direction: if mine {
                    Direction::Outbound
                } else {
                    Direction::Inbound
                },
                at,
                public: matches!(status.visibility.as_str(), "public" | "unlisted"),
                text: html_to_text(&status.content),
                thread: threads.get(status.id.as_str()).cloned(),
                tags: status
                    .tags
                    .iter()
                    .map(|t| format!("#{}", t.name.trim_start_matches('#')))
                    .collect(),
                people,
                bulk: false,
                seen_in,
            });
        }
        let follows = std::mem::take(&mut self.follows);
        let now = Utc::now();
        for (account, tags) in &follows {
            if account.id == self.settings.account_id {
                continue;
            }
            let person = self.person(account, &mut moved);
            let key = format!(
                "mastodon:{}",
                person.handles[0]
                    .value
                    .trim_start_matches('@')
                    .to_lowercase()
            );
            items.push(Item {
                key,
                kind: ItemKind::Follow,
                channel: Channel::Mastodon,
                direction: Direction::Outbound,
                at: now,
                public: true,
                text: String::new(),
                thread: None,
                tags: tags.clone(),
                people: vec![person],
                bulk: false,
                seen_in: format!("whom you follow on {}", self.host),
            });
        }
        for note in moved {
            if !self.notes.contains(&note) {
                self.notes.push(note);
            }
        }
        Harvest {
            items,
            cursor: Some(self.cursor.to_json()),
            skipped: self.skipped,
            notes: self.notes,
        }
    }

    /// Each status's thread (`mastodon:thread:<root uri>`), when it is a reply or has one:
    /// the root is the first status up the chain of replies, as the archive importer finds
    /// it; a chain that starts at a status not read here continues the thread the cursor
    /// remembers for it, or is named by that status's id.
    fn threads(&mut self) -> HashMap<String, String> {
        let by_id: HashMap<&str, &Status> = self
            .statuses
            .iter()
            .map(|(s, _, _)| (s.id.as_str(), s))
            .collect();
        let replied: HashSet<&str> = self
            .statuses
            .iter()
            .filter_map(|(s, _, _)| s.in_reply_to_id.as_deref())
            .collect();
        let mut out = HashMap::new();
        for (status, _, _) in &self.statuses {
            if status.in_reply_to_id.is_none() && !replied.contains(status.id.as_str()) {
                continue;
            }
            let mut top = status;
            let mut steps = 0;
            while let Some(parent) = top.in_reply_to_id.as_deref().and_then(|p| by_id.get(p)) {
                top = parent;
                steps += 1;
                if steps > by_id.len() {
                    break;
                }
            }
            let thread = match top.in_reply_to_id.as_deref() {
                None => format!("mastodon:thread:{}", top.uri),
                Some(parent) => self
                    .cursor
                    .threads
                    .get(parent)
                    .cloned()
                    .unwrap_or_else(|| format!("mastodon:thread:{}#{parent}", self.host)),
            };
            out.insert(status.id.clone(), thread);
        }
        for (id, thread) in &out {
            self.cursor.remember_thread(id, thread);
        }
        out
    }

    /// An account as a person: their name and handle, and their new handle when they moved.
    fn person(&self, a: &Account, moved: &mut Vec<String>) -> Person {
        let handle = self.handle(&a.acct, &a.url);
        let mut handles = vec![handle.clone()];
        let mut current = None;
        if let Some(to) = &a.moved {
            let new = self.handle(&to.acct, &to.url);
            moved.push(format!(
                "{} moved to {}; both are kept as the same person",
                handle.value, new.value
            ));
            handles.push(new.clone());
            current = Some(new);
        }
        Person {
            name: Some(a.display_name.trim().to_string()).filter(|n| !n.is_empty()),
            handles,
            current,
        }
    }

    fn mentioned(&self, m: &api::Mention) -> Person {
        Person {
            name: None,
            handles: vec![self.handle(&m.acct, &m.url)],
            current: None,
        }
    }

    /// `@user@host`: an account on the same server is written `user` by the API, and is
    /// given the host of its profile page (the server's, failing that), as the archive
    /// importer names a local mention.
    fn handle(&self, acct: &str, url: &str) -> Handle {
        let acct = acct.trim().trim_start_matches('@');
        let value = if acct.contains('@') {
            format!("@{acct}")
        } else {
            let host = Some(host_of(url))
                .filter(|h| !h.is_empty())
                .unwrap_or_else(|| self.host.clone());
            format!("@{acct}@{host}")
        };
        Handle {
            platform: Platform::Mastodon,
            value,
        }
    }
}

/// A status's time to the second: the API writes milliseconds, the archive's `published` (the
/// same instant, as ActivityPub writes it) whole seconds, and the two must be one post.
fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc).trunc_subsecs(0))
}

/// The host (and port) of an address, lower case.
pub(crate) fn host_of(url: &str) -> String {
    url.split_once("://")
        .map(|(_, rest)| rest.split(['/', '?', '#']).next().unwrap_or(""))
        .unwrap_or("")
        .to_lowercase()
}
