//! Reading a blog's RSS or Atom feed, and its comments, into a [`Harvest`].
//!
//! - A contact's blog: each new post is something they wrote (kind `Wrote`, tag `wrote`); the
//!   user's own comments under those posts are conversations they started.
//! - The user's own blog: each new comment is a conversation with its author; a comment the
//!   user wrote there (by one of their names, sites or addresses) is outbound.
//!
//! Comments are found through each post's own comment feed (`wfw:commentRss`, Atom
//! `rel="replies"` as Blogger writes it) and, for WordPress, the site-wide comment feed
//! `<site>/comments/feed/`. Only feeds on the blog's own host are read.
//!
//! Every GET is conditional (ETag, Last-Modified) and every entry already handed to the store is
//! remembered in the cursor, so a second sync brings nothing new. Nothing here touches the
//! store.

mod cursor;
mod discover;
mod entries;
mod extensions;
pub(crate) mod http;

pub use http::rate_limited_until;

use super::{FeedOwner, FeedSettings, Harvest, Item, Me};
use crate::error::{Error, Result, SyncProblem};
use crate::import::{Progress, ProgressFn};
use chrono::{DateTime, Utc};
use cursor::Cursor;
use feed_rs::model::Feed;
use http::Fetched;
use std::collections::HashSet;
use std::time::Duration;

/// How far one sync of a feed goes.
#[derive(Debug, Clone)]
pub struct Limits {
    /// How long to wait for a server to connect or to send the next bytes.
    pub timeout: Duration,
    /// The most bytes read of one feed (after decompression).
    pub max_body_bytes: u64,
    /// The most redirects followed for one URL.
    pub max_redirects: u32,
    /// The most entries of one feed looked at, newest first.
    pub max_entries: usize,
    /// The most posts whose comment feeds are read in one sync, newest first.
    pub max_comment_feeds: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            timeout: http::DEFAULT_TIMEOUT,
            max_body_bytes: 10_000_000,
            max_redirects: 10,
            max_entries: 200,
            max_comment_feeds: 50,
        }
    }
}

/// Fetches the posts and comments that appeared in the feed since `cursor`.
pub fn fetch(
    name: &str,
    settings: &FeedSettings,
    cursor: Option<&serde_json::Value>,
    me: &Me,
    progress: ProgressFn<'_>,
) -> Result<Harvest> {
    fetch_with(name, settings, cursor, me, progress, &Limits::default())
}

/// [`fetch`] with explicit limits.
pub fn fetch_with(
    name: &str,
    settings: &FeedSettings,
    cursor: Option<&serde_json::Value>,
    me: &Me,
    progress: ProgressFn<'_>,
    limits: &Limits,
) -> Result<Harvest> {
    let mut sync = Sync {
        name,
        owner: &settings.owner,
        me: me.clone(),
        limits,
        progress,
        cursor: Cursor::read(name, cursor)?,
        now: Utc::now(),
        items: Vec::new(),
        keys: HashSet::new(),
        skipped: 0,
        notes: Vec::new(),
        hosts: vec![entries::host_of(&settings.url)],
        seen_in: String::new(),
    };
    let page = settings.url.trim();
    let start = sync
        .cursor
        .discovered
        .as_ref()
        .filter(|d| d.page == page)
        .map(|d| d.feed.clone())
        .unwrap_or_else(|| page.to_string());
    sync.run(&start, start == page)?;
    Ok(Harvest {
        items: sync.items,
        cursor: Some(sync.cursor.to_json()),
        skipped: sync.skipped,
        notes: sync.notes,
    })
}

/// One comment feed to read: its URL, the post it belongs to (when known), and how many
/// comments the post announced.
struct CommentFeed {
    url: String,
    post: Option<String>,
    count: Option<u64>,
}

struct Sync<'a, 'p> {
    name: &'a str,
    owner: &'a FeedOwner,
    /// The user, as the caller knows them and, on their own blog, as its posts sign.
    me: Me,
    limits: &'a Limits,
    progress: ProgressFn<'p>,
    cursor: Cursor,
    now: DateTime<Utc>,
    items: Vec<Item>,
    keys: HashSet<String>,
    skipped: u32,
    notes: Vec<String>,
    /// The hosts comment feeds may be read from: the feed's, where it redirected, its site's.
    hosts: Vec<String>,
    seen_in: String,
}

impl Sync<'_, '_> {
    fn step(&mut self, stage: String, done: u64, total: Option<u64>) -> Result<()> {
        if (self.progress)(Progress { stage, done, total }) {
            Ok(())
        } else {
            Err(Error::Cancelled(format!(
                "The sync of {} was cancelled; nothing from it was saved.",
                self.name
            )))
        }
    }

    /// Reads the feed at `url`; `may_discover` lets a web page stand for the feed it names.
    fn run(&mut self, url: &str, may_discover: bool) -> Result<()> {
        http::check_scheme(self.name, url)?;
        if let FeedOwner::Mine = self.owner {
            for name in self.cursor.own_names.clone() {
                self.add_my_name(&name);
            }
            for site in self.cursor.own_urls.clone() {
                self.add_my_site(&site);
            }
        }
        self.seen_in = format!("comments on {}", entries::host_of(url));
        self.step(format!("reading {url}"), 0, None)?;
        let validators = self.cursor.validators(url);
        let comment_feeds = match http::get(self.name, url, &validators, self.limits, self.now)? {
            Fetched::NotModified => {
                // No new posts, but comments may have come under the recent ones.
                let recent = self.cursor.recent_comment_feeds.clone();
                recent
                    .into_iter()
                    .map(|url| {
                        let post = self.cursor.urls.get(&url).and_then(|s| s.post.clone());
                        CommentFeed {
                            url,
                            post,
                            count: None,
                        }
                    })
                    .collect()
            }
            Fetched::Body {
                bytes,
                validators,
                final_url,
            } => {
                if may_discover && discover::is_html(&bytes) {
                    let Some(link) = discover::feed_links(&bytes).into_iter().next() else {
                        return Err(Error::sync(
                            self.name,
                            SyncProblem::BadResponse,
                            format!(
                                "{url} is a web page that names no feed; \
                                 give the address of the blog's RSS or Atom feed"
                            ),
                        ));
                    };
                    let feed = http::resolve(&final_url, &link);
                    self.notes.push(format!(
                        "{url} is a web page; Kith reads the feed it names, {feed}."
                    ));
                    self.cursor.discovered = Some(cursor::Discovered {
                        page: url.to_string(),
                        feed: feed.clone(),
                    });
                    return self.run(&feed, false);
                }
                let feed = parse(self.name, url, &bytes, &final_url)?;
                self.hosts.push(entries::host_of(&final_url));
                if let Some(site) = site_link(&feed) {
                    self.hosts.push(entries::host_of(&site));
                    self.seen_in = format!("comments on {}", entries::host_of(&site));
                }
                let hints = extensions::comment_hints(&bytes);
                let mut all = self.posts(url, &feed, &hints, validators);
                if let Some(site_wide) = wordpress_comment_feed(&feed) {
                    all.insert(0, site_wide);
                }
                self.cursor.recent_comment_feeds = all.iter().map(|c| c.url.clone()).collect();
                self.cursor.forget_all_but(url);
                all
            }
        };
        // On a contact's blog only the user's own comments are kept: with nothing to tell
        // them by, the comment feeds are not asked for at all.
        let anyone_to_find = matches!(self.owner, FeedOwner::Mine)
            || !(self.me.names.is_empty() && self.me.urls.is_empty() && self.me.emails.is_empty());
        if !anyone_to_find {
            return Ok(());
        }
        self.comments(comment_feeds)
    }

    /// Takes the feed's new posts (a contact's blog) and lists the posts' comment feeds.
    fn posts(
        &mut self,
        url: &str,
        feed: &Feed,
        hints: &[extensions::CommentHints],
        validators: http::Validators,
    ) -> Vec<CommentFeed> {
        let seen: HashSet<String> = self
            .cursor
            .seen(url)
            .into_iter()
            .map(str::to_string)
            .collect();
        // Entries paired with their hints (only when the raw read found the same entries).
        let mut listed: Vec<(usize, &feed_rs::model::Entry)> =
            feed.entries.iter().enumerate().collect();
        listed.sort_by_key(|(_, e)| std::cmp::Reverse(entries::entry_time(e)));
        listed.truncate(self.limits.max_entries);
        let mut keys = Vec::new();
        let mut comment_feeds = Vec::new();
        for (index, entry) in listed {
            let hint = if hints.len() == feed.entries.len() {
                hints[index].clone()
            } else {
                extensions::CommentHints::default()
            };
            if let FeedOwner::Mine = self.owner {
                self.learn_my_names(entry);
            }
            let Some(link) = entries::page_link(entry) else {
                self.skipped += 1;
                continue;
            };
            if let FeedOwner::Contact(_) = self.owner {
                match entries::post_item(entry, &format!("posts on {}", self.site_host())) {
                    Some(item) => {
                        keys.push(item.key.clone());
                        if !seen.contains(&item.key) {
                            self.push(item);
                        }
                    }
                    None => self.skipped += 1,
                }
            }
            let replies = hint.comment_feed.clone().or_else(|| {
                entry
                    .links
                    .iter()
                    .find(|l| {
                        l.rel.as_deref() == Some("replies")
                            && l.media_type.as_deref().is_some_and(|t| t.contains("atom"))
                    })
                    .map(|l| l.href.trim().to_string())
            });
            if let Some(feed_url) = replies.filter(|r| r != url) {
                if comment_feeds.len() < self.limits.max_comment_feeds {
                    comment_feeds.push(CommentFeed {
                        url: feed_url,
                        post: Some(link),
                        count: hint.count,
                    });
                }
            }
        }
        self.cursor.record(url, validators, &keys);
        comment_feeds
    }

    /// On the user's own blog the posts are theirs: the names and sites they sign them with
    /// are the user's too, so their answers to comments are told apart without being set up.
    fn learn_my_names(&mut self, entry: &feed_rs::model::Entry) {
        for author in &entry.authors {
            let name = author.name.trim();
            if !name.is_empty() && self.add_my_name(name) && self.cursor.own_names.len() < 20 {
                self.cursor.own_names.push(name.to_string());
            }
            if let Some(uri) = author
                .uri
                .as_deref()
                .map(str::trim)
                .filter(|u| !u.is_empty())
            {
                if self.add_my_site(uri) && self.cursor.own_urls.len() < 20 {
                    self.cursor.own_urls.push(uri.to_string());
                }
            }
        }
    }

    /// Adds a name the user writes under; false when it was known.
    fn add_my_name(&mut self, name: &str) -> bool {
        if self.me.names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
            return false;
        }
        self.me.names.push(name.to_string());
        true
    }

    /// Adds a site of the user's; false when it was known.
    fn add_my_site(&mut self, url: &str) -> bool {
        if self.me.urls.iter().any(|u| u == url) {
            return false;
        }
        self.me.urls.push(url.to_string());
        true
    }

    fn site_host(&self) -> String {
        self.seen_in
            .strip_prefix("comments on ")
            .unwrap_or(&self.seen_in)
            .to_string()
    }

    fn push(&mut self, item: Item) {
        if self.keys.insert(item.key.clone()) {
            self.items.push(item);
        }
    }

    /// Reads the comment feeds. A comment feed that fails is noted and the sync goes on with
    /// what it has; a server that stops answering or asks to wait is not asked again this sync.
    fn comments(&mut self, feeds: Vec<CommentFeed>) -> Result<()> {
        let total = feeds.len() as u64;
        for (done, CommentFeed { url, post, count }) in feeds.into_iter().enumerate() {
            let host = entries::host_of(&url);
            if !self.hosts.contains(&host) {
                self.notes.push(format!(
                    "Comments at {url} were not read: they are on another site ({host})."
                ));
                continue;
            }
            let state = self.cursor.urls.get(&url);
            if count.is_some() && state.is_some_and(|s| s.comments == count) {
                continue;
            }
            self.step(
                format!("reading comments on {host}"),
                done as u64,
                Some(total),
            )?;
            let validators = self.cursor.validators(&url);
            let fetched = match http::get(self.name, &url, &validators, self.limits, self.now) {
                Ok(f) => f,
                Err(Error::Sync {
                    problem, detail, ..
                }) => {
                    self.notes
                        .push(format!("Some comments were not read: {detail}."));
                    if matches!(
                        problem,
                        SyncProblem::TimedOut | SyncProblem::Unreachable | SyncProblem::RateLimited
                    ) {
                        break;
                    }
                    continue;
                }
                Err(e) => return Err(e),
            };
            let Fetched::Body {
                bytes,
                validators,
                final_url,
            } = fetched
            else {
                continue;
            };
            let feed = match parse(self.name, &url, &bytes, &final_url) {
                Ok(f) => f,
                Err(e) => {
                    self.notes
                        .push(format!("Some comments were not read: {e}."));
                    continue;
                }
            };
            let seen: HashSet<String> = self
                .cursor
                .seen(&url)
                .into_iter()
                .map(str::to_string)
                .collect();
            let mut keys = Vec::new();
            let mut listed: Vec<&feed_rs::model::Entry> = feed.entries.iter().collect();
            listed.sort_by_key(|e| std::cmp::Reverse(entries::entry_time(e)));
            listed.truncate(self.limits.max_entries);
            for entry in listed {
                let post = post.clone().or_else(|| {
                    entries::page_link(entry).map(|l| entries::post_of_comment_link(&l))
                });
                let Some(post) = post else {
                    self.skipped += 1;
                    continue;
                };
                let Some((item, mine)) =
                    entries::comment_item(entry, &post, &self.me, &self.seen_in)
                else {
                    self.skipped += 1;
                    continue;
                };
                keys.push(item.key.clone());
                // On a contact's blog only the user's own comments are theirs to keep.
                let wanted = matches!(self.owner, FeedOwner::Mine) || mine;
                if wanted && !seen.contains(&item.key) {
                    self.push(item);
                }
            }
            self.cursor.record(&url, validators, &keys);
            if let Some(state) = self.cursor.urls.get_mut(&url) {
                state.comments = count;
                state.post = post;
            }
        }
        Ok(())
    }
}

/// The feed parsed, or a `sync_bad_response` naming the URL and where the parser stopped.
fn parse(account: &str, url: &str, bytes: &[u8], final_url: &str) -> Result<Feed> {
    feed_rs::parser::Builder::new()
        // An entry without an id keeps an empty one, so its key falls back to its link
        // rather than to a hash that changes with its title.
        .id_generator(|_, _, _| String::new())
        .base_uri(Some(final_url))
        .build()
        .parse(bytes)
        .map_err(|e| {
            Error::sync(
                account,
                SyncProblem::BadResponse,
                format!("{url} is not a feed Kith can read: {e}"),
            )
        })
}

/// The blog's own web site, from the feed's `alternate` (or first) link.
fn site_link(feed: &Feed) -> Option<String> {
    feed.links
        .iter()
        .find(|l| l.rel.as_deref() == Some("alternate"))
        .or_else(|| feed.links.iter().find(|l| l.rel.is_none()))
        .map(|l| l.href.trim().to_string())
        .filter(|h| h.starts_with("http://") || h.starts_with("https://"))
}

/// A WordPress blog's site-wide comment feed, which lists the latest comments on any post.
fn wordpress_comment_feed(feed: &Feed) -> Option<CommentFeed> {
    let generator = feed.generator.as_ref()?;
    let is_wordpress = generator.content.to_ascii_lowercase().contains("wordpress")
        || generator
            .uri
            .as_deref()
            .is_some_and(|u| u.contains("wordpress"));
    if !is_wordpress {
        return None;
    }
    let site = site_link(feed)?;
    Some(CommentFeed {
        url: format!("{}/comments/feed/", site.trim_end_matches('/')),
        post: None,
        count: None,
    })
}
