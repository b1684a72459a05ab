//! Writing the files a person names: exports, briefings, calendar files for other programs.
//! The CLI and the app both write through here, so every one of them:
//!
//! - never replaces a file that is already there unless replacing it was agreed, even when
//!   another process creates it at the same moment (the final rename refuses to replace);
//! - never leaves half a file: the content goes to a temporary file with a unique name in the
//!   same folder, is flushed to the disk, and is then renamed into place (the folder is
//!   flushed after the rename, on Unix);
//! - is readable only by its owner (0600 on Unix; folders Kith creates are 0700), because
//!   exports and briefings hold private notes.

use crate::error::{Error, Result};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// Refuses with `exists` when any of `paths` is already there (a dangling link included) and
/// replacing was not agreed. The error names the first such file and counts the others.
pub fn refuse_replacing(paths: &[PathBuf], overwrite: bool) -> Result<()> {
    if overwrite {
        return Ok(());
    }
    let there: Vec<&PathBuf> = paths.iter().filter(|p| is_there(p)).collect();
    match there.as_slice() {
        [] => Ok(()),
        [first, ..] => Err(Error::Exists {
            path: first.display().to_string(),
            count: u32::try_from(there.len()).unwrap_or(u32::MAX),
        }),
    }
}

/// Writes `bytes` to `path`; see [`write_file_with`].
pub fn write_file(path: &Path, overwrite: bool, bytes: &[u8]) -> Result<()> {
    write_file_with(path, overwrite, |out| out.write_all(bytes))
}

/// Writes the content `write` produces to `path`, whole or not at all. Without `overwrite`,
/// a file already at `path` is left as it is and the write fails with `exists`, also when the
/// file appears while the content is being written. Missing folders are created (0700).
pub fn write_file_with(
    path: &Path,
    overwrite: bool,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    let Some(name) = path.file_name() else {
        return Err(Error::invalid(format!(
            "{}: name a file to write, not a folder",
            path.display()
        )));
    };
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    // Refused before any work is done; the rename below refuses again if the file appeared
    // in the meantime.
    refuse_replacing(&[path.to_path_buf()], overwrite)?;
    create_private_dir_all(folder)?;
    let mut prefix = std::ffi::OsString::from(".");
    prefix.push(name);
    prefix.push(".");
    let mut tmp = tempfile::Builder::new()
        .prefix(&prefix)
        .suffix(".tmp")
        .tempfile_in(folder)
        .map_err(|e| Error::io(folder, e))?;
    let written = {
        let mut out = BufWriter::new(tmp.as_file_mut());
        write(&mut out).and_then(|()| out.flush())
    };
    // On error the temporary file is removed when `tmp` is dropped.
    written
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(|e| Error::io(path, e))?;
    let persisted = if overwrite {
        tmp.persist(path)
    } else {
        tmp.persist_noclobber(path)
    };
    match persisted {
        Ok(_) => {}
        Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(Error::Exists {
                path: path.display().to_string(),
                count: 1,
            })
        }
        Err(e) => return Err(Error::io(path, e.error)),
    }
    sync_folder(folder);
    Ok(())
}

/// Writes several files, as [`write_file`] each. Without `overwrite` nothing is written when
/// any of them is already there, and when one cannot be written the ones this call wrote are
/// removed again.
pub fn write_files(files: &[(PathBuf, &[u8])], overwrite: bool) -> Result<()> {
    let paths: Vec<PathBuf> = files.iter().map(|(p, _)| p.clone()).collect();
    refuse_replacing(&paths, overwrite)?;
    for (n, (path, bytes)) in files.iter().enumerate() {
        if let Err(e) = write_file(path, overwrite, bytes) {
            if !overwrite {
                for (done, _) in &files[..n] {
                    let _ = std::fs::remove_file(done);
                }
            }
            return Err(e);
        }
    }
    Ok(())
}

/// Creates `folder` and its missing parents, readable only by their owner on Unix.
pub fn create_private_dir_all(folder: &Path) -> Result<()> {
    if folder.as_os_str().is_empty() || folder.is_dir() {
        return Ok(());
    }
    crate::sqlite::files::create_private_dir_all(folder).map_err(|e| Error::io(folder, e))
}

/// Writes `bytes` to a new file in the system's temporary folder, for another program to open
/// (a calendar file): its name is unique and cannot be claimed first by anyone else, it is
/// readable only by its owner, and it is kept after this call.
pub fn write_private_temp(prefix: &str, suffix: &str, bytes: &[u8]) -> Result<PathBuf> {
    let folder = std::env::temp_dir();
    let mut tmp = tempfile::Builder::new()
        .prefix(prefix)
        .suffix(suffix)
        .tempfile_in(&folder)
        .map_err(|e| Error::io(&folder, e))?;
    tmp.write_all(bytes)
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(|e| Error::io(tmp.path(), e))?;
    let (_, path) = tmp.keep().map_err(|e| Error::io(&folder, e.error))?;
    Ok(path)
}

fn is_there(path: &Path) -> bool {
    path.symlink_metadata().is_ok()
}

/// Flushes a folder's entries (a rename into it) to the disk. Only Unix can open a folder for
/// this; a failure is logged, not returned: the file itself is complete and in place.
fn sync_folder(folder: &Path) {
    #[cfg(unix)]
    if let Err(e) = std::fs::File::open(folder).and_then(|f| f.sync_all()) {
        tracing::warn!("could not flush the folder {}: {e}", folder.display());
    }
    #[cfg(not(unix))]
    let _ = folder;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(folder: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(folder)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn an_existing_file_is_kept_unless_replacing_was_agreed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kith.json");
        std::fs::write(&path, "mine").unwrap();
        let err = write_file(&path, false, b"export").unwrap_err();
        assert_eq!(err.code(), "exists", "{err}");
        assert!(err.to_string().contains("kith.json"), "{err}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "mine");
        write_file(&path, true, b"export").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "export");
        assert_eq!(names(dir.path()), ["kith.json"]);
    }

    #[test]
    fn a_file_appearing_during_the_write_is_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kith.json");
        let err = write_file_with(&path, false, |out| {
            // Another program saves its file while the export is being written.
            std::fs::write(&path, "theirs")?;
            out.write_all(b"ours")
        })
        .unwrap_err();
        assert_eq!(err.code(), "exists", "{err}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "theirs");
        assert_eq!(names(dir.path()), ["kith.json"]);
    }

    #[test]
    fn a_file_whose_writing_fails_is_not_left_behind() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kith.json");
        std::fs::write(&path, "the earlier export").unwrap();
        let err = write_file_with(&path, true, |out| {
            out.write_all(b"{\"contacts\": [")?;
            Err(std::io::Error::other("the disk is full"))
        })
        .unwrap_err();
        assert_eq!(err.code(), "io", "{err}");
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "the earlier export"
        );
        assert_eq!(names(dir.path()), ["kith.json"]);
    }

    #[test]
    fn several_files_are_all_written_or_none() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("notes/a.md");
        let b = dir.path().join("notes/b.md");
        std::fs::create_dir_all(dir.path().join("notes")).unwrap();
        std::fs::write(&b, "my own note").unwrap();
        let files = [(a.clone(), &b"A"[..]), (b.clone(), &b"B"[..])];
        let err = write_files(&files, false).unwrap_err();
        assert_eq!(err.code(), "exists");
        assert_eq!(names(&dir.path().join("notes")), ["b.md"]);
        assert_eq!(std::fs::read_to_string(&b).unwrap(), "my own note");
        write_files(&files, true).unwrap();
        assert_eq!(std::fs::read_to_string(&a).unwrap(), "A");
        assert_eq!(std::fs::read_to_string(&b).unwrap(), "B");
    }

    #[cfg(unix)]
    #[test]
    fn files_and_the_folders_made_for_them_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new/folder/kith.json");
        write_file(&path, false, b"{}").unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(&dir.path().join("new")), 0o700);
        assert_eq!(mode(&dir.path().join("new/folder")), 0o700);
        let temp = write_private_temp("kith-test-", ".ics", b"BEGIN:VCALENDAR").unwrap();
        assert_eq!(mode(&temp), 0o600);
        let again = write_private_temp("kith-test-", ".ics", b"BEGIN:VCALENDAR").unwrap();
        assert_ne!(temp, again);
        std::fs::remove_file(temp).unwrap();
        std::fs::remove_file(again).unwrap();
    }
}
