//! Reading a blog's RSS or Atom feed, and its comments, into a [`Harvest`].

use super::{FeedSettings, Harvest, Me};
use crate::error::{Error, Result, SyncProblem};
use crate::import::ProgressFn;

/// Fetches the posts and comments that appeared in the feed since `cursor`.
pub fn fetch(
    name: &str,
    settings: &FeedSettings,
    cursor: Option<&serde_json::Value>,
    me: &Me,
    progress: ProgressFn<'_>,
) -> Result<Harvest> {
    let _ = (settings, cursor, me, progress);
    Err(Error::sync(
        name,
        SyncProblem::Unreachable,
        "feeds are not built yet",
    ))
}
