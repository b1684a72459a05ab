//! Everything Kith keeps beside a store, named from the store's own file name, and made
//! readable by its owner only.
//!
//! For a store `work.sqlite3` in a folder:
//!
//! | file | what |
//! |---|---|
//! | `work.sqlite3-wal`, `work.sqlite3-shm` | SQLite's write-ahead log and its index |
//! | `work.sqlite3.lock` | the lock every connection holds (see [`super::lock`]) |
//! | `work.sqlite3.rekey-journal` | the list of files a passphrase change is putting in place |
//! | `.work-rekey-<id>.sqlite3` | a re-keyed copy being written |
//! | `backups/work-<kind>-<when>.sqlite3` | the store's backups |
//! | `backups/.work-partial-<id>.sqlite3` | a backup being written |
//!
//! The default store `kith.sqlite3` keeps the names Kith has always used
//! (`backups/kith-daily-….sqlite3`).

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};

/// The names of the files that belong to the store at one path.
#[derive(Debug, Clone)]
pub struct StoreFiles {
    store: PathBuf,
    stem: String,
}

/// The folder, next to the store file, that holds the copies.
pub const BACKUPS_FOLDER: &str = "backups";
/// The ending of every copy of a store.
pub const SUFFIX: &str = ".sqlite3";

impl StoreFiles {
    pub fn new(store: &Path) -> StoreFiles {
        let name = store
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "kith".into());
        let stem = name.strip_suffix(SUFFIX).unwrap_or(&name).to_string();
        StoreFiles {
            store: store.to_path_buf(),
            stem,
        }
    }

    pub fn store(&self) -> &Path {
        &self.store
    }

    /// The folder the store is in.
    pub fn dir(&self) -> PathBuf {
        match self.store.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        }
    }

    pub fn lock(&self) -> PathBuf {
        with_suffix(&self.store, ".lock")
    }

    pub fn rekey_journal(&self) -> PathBuf {
        with_suffix(&self.store, ".rekey-journal")
    }

    pub fn backups_dir(&self) -> PathBuf {
        self.dir().join(BACKUPS_FOLDER)
    }

    /// What every backup of this store is named with first: `<stem>-`.
    pub fn backup_prefix(&self) -> String {
        format!("{}-", self.stem)
    }

    /// Hidden copies of a backup still being written: `.<stem>-partial-`.
    pub fn partial_prefix(&self) -> String {
        format!(".{}-partial-", self.stem)
    }

    /// Hidden re-keyed copies still being written: `.<stem>-rekey-`.
    pub fn rekey_prefix(&self) -> String {
        format!(".{}-rekey-", self.stem)
    }

    /// A new, unused name in `dir` starting with `prefix`.
    pub fn temp_in(dir: &Path, prefix: &str) -> PathBuf {
        dir.join(format!("{prefix}{}{SUFFIX}", uuid::Uuid::now_v7().simple()))
    }
}

pub fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// Opens `path` for reading and writing, creating it readable and writable by its owner only
/// (0600 on Unix) if it is not there; with `create_new`, fails if it is.
pub fn open_private(path: &Path, create_new: bool) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true).write(true);
    if create_new {
        options.create_new(true);
    } else {
        options.create(true);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// Makes `path` and its missing parents, each new folder for its owner only (0700 on Unix).
pub fn create_private_dir_all(path: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(path)
}

/// Makes an existing file or folder that others may read (as Kith made them before it made
/// them private) its owner's only. Best effort: a file owned by someone else is left.
pub fn restrict(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::metadata(path) {
            let mode = meta.permissions().mode();
            if mode & 0o077 != 0 {
                let private = if meta.is_dir() { 0o700 } else { 0o600 };
                let _ = std::fs::set_permissions(
                    path,
                    std::fs::Permissions::from_mode((mode & !0o777) | private),
                );
            }
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// Makes a new, empty file at `path` that only its owner can read, for SQLite to write a
/// database into: SQLite creates files readable by everyone, and gives a database's `-wal`
/// and `-shm` the permissions of the database itself.
pub fn create_private_empty(path: &Path) -> std::io::Result<()> {
    open_private(path, true).map(drop)
}

/// Forces `path`'s contents to the disk.
pub fn sync_file(path: &Path) -> std::io::Result<()> {
    File::open(path)?.sync_all()
}

/// Makes a new name in `dir` durable. Best effort: not every platform can sync a folder.
pub fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_from_the_store_file() {
        let f = StoreFiles::new(Path::new("/data/work.sqlite3"));
        assert_eq!(f.backup_prefix(), "work-");
        assert_eq!(f.partial_prefix(), ".work-partial-");
        assert_eq!(f.lock(), Path::new("/data/work.sqlite3.lock"));
        assert_eq!(f.backups_dir(), Path::new("/data/backups"));
        let default = StoreFiles::new(Path::new("kith.sqlite3"));
        assert_eq!(default.backup_prefix(), "kith-");
        assert_eq!(default.rekey_prefix(), ".kith-rekey-");
        assert_eq!(default.dir(), Path::new("."));
        let odd = StoreFiles::new(Path::new("/data/notes.db"));
        assert_eq!(odd.backup_prefix(), "notes.db-");
    }

    #[cfg(unix)]
    #[test]
    fn private_files_and_folders_are_the_owners_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("a/b");
        create_private_dir_all(&sub).unwrap();
        let file = sub.join("x");
        create_private_empty(&file).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&sub), 0o700);
        assert_eq!(mode(&dir.path().join("a")), 0o700);
        assert_eq!(mode(&file), 0o600);
        let open = dir.path().join("open");
        std::fs::write(&open, b"x").unwrap();
        std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o644)).unwrap();
        restrict(&open);
        assert_eq!(mode(&open), 0o600);
    }
}
