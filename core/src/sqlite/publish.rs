//! Publishing a finished file under its name atomically: a new file is written under a hidden
//! name, synced, and only then linked (or renamed) to its name, so a name never holds half a
//! file, and no file is ever overwritten.

use super::files::{self as store_files, with_suffix, SUFFIX};
use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// Gives the finished copy `temp` its name `<base>.sqlite3` without overwriting any file
/// (`<base>-2.sqlite3`… when `numbered`). Returns `None`, discarding `temp`, when the name is
/// taken and not `numbered`.
pub(crate) fn publish(
    temp: &Path,
    dir: &Path,
    base: &str,
    numbered: bool,
) -> Result<Option<PathBuf>> {
    // Number after the highest copy of this second still there, so a newer copy never takes
    // the free name of an older one that was pruned (and then sorts as older than it is).
    let first = if numbered {
        highest_number(dir, base) + 1
    } else {
        1
    };
    for n in first..first + 1000 {
        let name = if n == 1 {
            format!("{base}{SUFFIX}")
        } else {
            format!("{base}-{n}{SUFFIX}")
        };
        let target = dir.join(name);
        // A hard link never replaces an existing file, so two processes cannot overwrite each
        // other's copies; where links are not supported, rename a name that is free.
        let placed = match std::fs::hard_link(temp, &target) {
            Ok(()) => true,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => false,
            Err(_) if target.exists() => false,
            Err(_) => match std::fs::rename(temp, &target) {
                Ok(()) => return Ok(Some(target)),
                Err(e) => {
                    remove_partial(temp);
                    return Err(Error::io(&target, e));
                }
            },
        };
        if placed {
            remove_partial(temp);
            return Ok(Some(target));
        }
        if !numbered {
            remove_partial(temp);
            return Ok(None);
        }
    }
    remove_partial(temp);
    Err(Error::io(
        dir,
        std::io::Error::other(format!("too many backups named {base}")),
    ))
}

/// The highest `n` of the files `<base>.sqlite3` (1) and `<base>-<n>.sqlite3` in `dir`; 0 if none.
fn highest_number(dir: &Path, base: &str) -> u32 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let rest = name.strip_prefix(base)?.strip_suffix(SUFFIX)?;
            if rest.is_empty() {
                Some(1)
            } else {
                rest.strip_prefix('-')?.parse::<u32>().ok()
            }
        })
        .max()
        .unwrap_or(0)
}

pub(crate) fn remove_partial(temp: &Path) {
    let _ = std::fs::remove_file(temp);
    let _ = std::fs::remove_file(with_suffix(temp, "-journal"));
}

/// Copies a file byte for byte into a new file only its owner can read, synced to disk.
pub(crate) fn copy_private(from: &Path, to: &Path) -> Result<()> {
    let copied = (|| -> std::io::Result<()> {
        let mut source = std::fs::File::open(from)?;
        let mut dest = store_files::open_private(to, true)?;
        std::io::copy(&mut source, &mut dest)?;
        dest.sync_all()
    })();
    copied.map_err(|e| {
        let _ = std::fs::remove_file(to);
        Error::io(from, e)
    })
}

pub(crate) fn sync_file(path: &Path) -> Result<()> {
    store_files::sync_file(path).map_err(|e| Error::io(path, e))
}
