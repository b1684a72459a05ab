//! Reading a mailbox over IMAP into a [`Harvest`].

use super::{Harvest, ImapSettings, Me, Secret};
use crate::error::{Error, Result, SyncProblem};
use crate::import::ProgressFn;

/// Fetches the mail that arrived in `settings`' folders since `cursor`.
pub fn fetch(
    name: &str,
    settings: &ImapSettings,
    password: &Secret,
    cursor: Option<&serde_json::Value>,
    me: &Me,
    progress: ProgressFn<'_>,
) -> Result<Harvest> {
    let _ = (settings, password, cursor, me, progress);
    Err(Error::sync(
        name,
        SyncProblem::Unreachable,
        "IMAP is not built yet",
    ))
}
