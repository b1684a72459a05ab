//! Where a feed account's next sync starts: per URL (the feed and each comment feed) the
//! validators for a conditional GET and the keys of the entries already handed to the store,
//! so a server that ignores ETags still brings nothing twice.
//!
//! Stored as JSON in the account's cursor:
//! `{"urls":{"<url>":{"etag":…,"last_modified":…,"seen":[…],"comments":n,"post":…}},
//! "recent_comment_feeds":[…],"own_names":[…],"own_urls":[…],"discovered":{"page","feed"}}`.

use super::http::Validators;
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};

/// How many entry keys one URL remembers: well over what any feed lists at once.
pub const MAX_SEEN: usize = 2_000;

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Cursor {
    #[serde(default)]
    pub urls: BTreeMap<String, UrlState>,
    /// The comment feeds of the newest posts at the last full read: read again when the feed
    /// itself has not changed, since comments come without new posts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recent_comment_feeds: Vec<String>,
    /// On the user's own blog: the names and sites its posts are signed with, which are the
    /// user's, kept for the syncs when the feed has not changed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub own_names: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub own_urls: Vec<String>,
    /// When the account's address is a web page: the feed it names, read directly from then on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discovered: Option<Discovered>,
}

/// A feed found through a web page's `<link rel="alternate">`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Discovered {
    /// The page's address, as the account has it.
    pub page: String,
    /// The feed's.
    pub feed: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct UrlState {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
    /// Keys of entries already taken, oldest first.
    #[serde(default)]
    pub seen: Vec<String>,
    /// For a post's comment feed: how many comments the post's entry announced when the
    /// comment feed was last read (`slash:comments`, `thr:total`); unchanged means the comment
    /// feed is not fetched again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comments: Option<u64>,
    /// For a post's comment feed: the post's page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post: Option<String>,
}

impl Cursor {
    /// The cursor the store kept, or an empty one. A cursor Kith cannot read is a bug or a
    /// damaged store, not something to silently start over from.
    pub fn read(account: &str, value: Option<&serde_json::Value>) -> Result<Cursor> {
        match value {
            None | Some(serde_json::Value::Null) => Ok(Cursor::default()),
            Some(v) => serde_json::from_value(v.clone()).map_err(|e| {
                Error::invalid(format!(
                    "the saved position of account {account} cannot be read ({e}); \
                     remove the account and add it again"
                ))
            }),
        }
    }

    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }

    pub fn validators(&self, url: &str) -> Validators {
        self.urls
            .get(url)
            .map(|s| Validators {
                etag: s.etag.clone(),
                last_modified: s.last_modified.clone(),
            })
            .unwrap_or_default()
    }

    pub fn seen(&self, url: &str) -> HashSet<&str> {
        self.urls
            .get(url)
            .map(|s| s.seen.iter().map(String::as_str).collect())
            .unwrap_or_default()
    }

    /// Forgets the comment feeds of posts that left the feed's newest: the cursor keeps the
    /// feed at `url` and the comment feeds still read, so it does not grow with every post a
    /// blog ever published.
    pub fn forget_all_but(&mut self, url: &str) {
        let recent = &self.recent_comment_feeds;
        self.urls.retain(|u, _| u == url || recent.contains(u));
    }

    /// Records a 200 for `url`: its validators and the keys it listed.
    pub fn record(&mut self, url: &str, validators: Validators, keys: &[String]) {
        let state = self.urls.entry(url.to_string()).or_default();
        state.etag = validators.etag;
        state.last_modified = validators.last_modified;
        for key in keys {
            if !state.seen.iter().any(|s| s == key) {
                state.seen.push(key.clone());
            }
        }
        if state.seen.len() > MAX_SEEN {
            let extra = state.seen.len() - MAX_SEEN;
            state.seen.drain(..extra);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seen_keys_are_bounded_and_keep_the_newest() {
        let mut c = Cursor::default();
        let keys: Vec<String> = (0..MAX_SEEN + 5).map(|i| format!("k{i}")).collect();
        c.record("u", Validators::default(), &keys);
        let seen = &c.urls["u"].seen;
        assert_eq!(seen.len(), MAX_SEEN);
        assert_eq!(seen[0], "k5");
        assert_eq!(seen.last().unwrap(), &format!("k{}", MAX_SEEN + 4));
        let back = Cursor::read("a", Some(&c.to_json())).unwrap();
        assert_eq!(back, c);
    }

    #[test]
    fn an_unreadable_cursor_is_an_error_naming_the_account() {
        let err = Cursor::read("blog", Some(&serde_json::json!({"urls": 3}))).unwrap_err();
        assert!(err.to_string().contains("blog"), "{err}");
    }
}
