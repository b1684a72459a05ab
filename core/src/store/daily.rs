//! The daily copy: the first time in a (UTC) day that a store holding anything is opened, it
//! is copied into its backups folder, and the oldest daily copies beyond the kept number are
//! removed.

use super::Store;
use crate::error::Result;
use crate::sqlite::copies::{
    backups_dir, make_copy, prune, BackupInfo, BackupKind, DEFAULT_KEEP, KEEP_SETTING,
};
use crate::sqlite::files::{StoreFiles, SUFFIX};
use chrono::{DateTime, Utc};

/// How many daily and before-import copies to keep: the `backup.keep` setting, at least one.
pub fn keep_count(store: &Store) -> u32 {
    match store.setting::<u32>(KEEP_SETTING) {
        Ok(Some(n)) => n.max(1),
        Ok(None) => DEFAULT_KEEP,
        Err(e) => {
            tracing::warn!("{e}; keeping {DEFAULT_KEEP} backups");
            DEFAULT_KEEP
        }
    }
}

/// The daily copy: made when the store holds anything and there is none for `now`'s (UTC)
/// day yet; older daily copies beyond the kept number are removed. Returns the new copy.
pub fn daily_backup(store: &Store, now: DateTime<Utc>) -> Result<Option<BackupInfo>> {
    let Some(path) = store.path() else {
        return Ok(None);
    };
    let day = now.date_naive().format("%Y-%m-%d").to_string();
    let name = format!(
        "{}{}-{day}{SUFFIX}",
        StoreFiles::new(path).backup_prefix(),
        BackupKind::Daily.as_str()
    );
    if backups_dir(path).join(&name).exists() || store.is_empty()? {
        return Ok(None);
    }
    let info = make_copy(
        store.connection(),
        store.passphrase(),
        path,
        BackupKind::Daily,
        &day,
        now,
    )?;
    prune(path, BackupKind::Daily, keep_count(store))?;
    Ok(Some(info))
}
