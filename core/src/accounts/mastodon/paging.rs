//! Where a Mastodon sync starts and how it walks the lists: the `Link` header's next page,
//! ids compared as Mastodon orders them, and the cursor (the newest id seen per list, and the
//! threads of recent statuses, so a reply in a later sync joins its conversation).

use crate::error::{Error, Result, SyncProblem};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::collections::BTreeMap;

/// The most statuses whose thread the cursor remembers.
const MAX_THREADS: usize = 2_000;

/// The account's cursor, as kept between syncs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Cursor {
    /// The newest of the user's own statuses read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statuses: Option<String>,
    /// The newest mention notification read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mentions: Option<String>,
    /// The newest last status of a direct conversation read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conversations: Option<String>,
    /// When the follows and lists were last read: they are read again a day later.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follows_read_at: Option<chrono::DateTime<chrono::Utc>>,
    /// A status id → the thread it is in (`mastodon:thread:<root>`), for the newest statuses.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub threads: BTreeMap<String, String>,
}

impl Cursor {
    pub fn read(account: &str, value: Option<&serde_json::Value>) -> Result<Cursor> {
        match value {
            None => Ok(Cursor::default()),
            Some(v) => serde_json::from_value(v.clone()).map_err(|e| {
                Error::sync(
                    account,
                    SyncProblem::BadResponse,
                    format!("the account's sync position cannot be read ({e}); remove the account and add it again"),
                )
            }),
        }
    }

    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }

    /// Keeps `id`'s thread, forgetting the oldest past the limit.
    pub fn remember_thread(&mut self, id: &str, thread: &str) {
        self.threads.insert(id.to_string(), thread.to_string());
        while self.threads.len() > MAX_THREADS {
            let oldest = self
                .threads
                .keys()
                .min_by(|a, b| compare_ids(a, b))
                .cloned();
            match oldest {
                Some(k) => self.threads.remove(&k),
                None => break,
            };
        }
    }
}

/// Mastodon's ids are numbers written as text (snowflakes, or small numbers on old servers):
/// a longer one is newer; equally long ones compare as text.
pub(crate) fn compare_ids(a: &str, b: &str) -> Ordering {
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// Whether `id` is newer than the cursor's `since`.
pub(crate) fn newer(id: &str, since: Option<&str>) -> bool {
    since.is_none_or(|s| compare_ids(id, s) == Ordering::Greater)
}

/// The newer of two ids.
pub(crate) fn newest(a: Option<String>, b: &str) -> Option<String> {
    match a {
        Some(a) if compare_ids(&a, b) != Ordering::Less => Some(a),
        _ => Some(b.to_string()),
    }
}

/// The `rel="next"` address of a `Link` header (RFC 8288), as Mastodon writes it:
/// `<https://host/api/v1/…?max_id=1>; rel="next", <…>; rel="prev"`.
pub(crate) fn next_link(header: &str) -> Option<String> {
    let mut rest = header;
    while let Some(start) = rest.find('<') {
        let after = &rest[start + 1..];
        let end = after.find('>')?;
        let url = &after[..end];
        let params = &after[end + 1..];
        let params = params.split('<').next().unwrap_or("");
        let is_next = params.split(';').any(|p| {
            let p = p.trim().trim_end_matches(',').trim();
            p.strip_prefix("rel=")
                .map(|r| r.trim_matches('"').split_whitespace().any(|r| r == "next"))
                .unwrap_or(false)
        });
        if is_next {
            return Some(url.to_string());
        }
        rest = &after[end + 1..];
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_page_is_read_from_the_link_header() {
        let h = "<http://localhost:3000/api/v1/notifications?max_id=21&types%5B%5D=mention>; \
                 rel=\"next\", <http://localhost:3000/api/v1/notifications?min_id=21&types%5B%5D=mention>; rel=\"prev\"";
        assert_eq!(
            next_link(h).as_deref(),
            Some("http://localhost:3000/api/v1/notifications?max_id=21&types%5B%5D=mention")
        );
        let only_prev = "<http://h/api/v1/x?min_id=3>; rel=\"prev\"";
        assert_eq!(next_link(only_prev), None);
        assert_eq!(next_link("garbage"), None);
    }

    #[test]
    fn ids_order_as_numbers() {
        assert_eq!(compare_ids("117020580452511285", "99"), Ordering::Greater);
        assert_eq!(compare_ids("21", "3"), Ordering::Greater);
        assert!(newer("22", Some("21")));
        assert!(!newer("21", Some("21")));
        assert!(newer("1", None));
        assert_eq!(newest(Some("9".into()), "10").as_deref(), Some("10"));
    }
}
