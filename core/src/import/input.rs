//! Reading import files safely: size limits before reading, zips read in memory (never
//! extracted), entry names checked, and every byte counted against a budget so a zip bomb
//! stops at the limit instead of filling memory.

use super::Ctx;
use crate::error::{Error, Result};
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

/// How much Kith reads from one import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// The largest plain file (mbox, CSV, vCard, CAR) read into memory. A Kith archive (JSON)
    /// is read as a stream and has no limit.
    pub max_file_bytes: u64,
    /// The largest zip file. Archives carry media Kith never reads, so this is generous.
    pub max_zip_bytes: u64,
    /// The most one zip entry may expand to.
    pub max_entry_bytes: u64,
    /// The most all the entries read from one zip may expand to.
    pub max_total_bytes: u64,
    /// The most entries a zip may list.
    pub max_entries: usize,
    /// The most records (posts, messages, cards, follows, repository blocks) one import
    /// decodes. Bytes alone do not bound memory: a small record costs far more once decoded
    /// than its text does, so a file of millions of tiny records is refused by count.
    pub max_records: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 1 << 30,
            max_zip_bytes: 64 << 30,
            max_entry_bytes: 1 << 30,
            max_total_bytes: 2 << 30,
            max_entries: 1_000_000,
            // A heavy user's export holds about 200,000 posts, 100,000 messages and 100,000
            // contacts or follows; half a million takes that with room to spare, and keeps
            // an import within the memory ceiling in docs/importing.md.
            max_records: crate::record_limit::MAX_RECORDS,
        }
    }
}

pub(crate) fn mb(n: u64) -> String {
    if n >= 1 << 20 {
        format!("{} MB", n >> 20)
    } else {
        format!("{n} bytes")
    }
}

/// What `path` is, refusing before anything opens it whatever is neither a regular file nor
/// a folder: opening a named pipe to read waits for something to write to it, forever if
/// nothing does, and a device or a socket is no export either. `label` names it in messages.
pub(crate) fn metadata(path: &Path, label: &str) -> Result<std::fs::Metadata> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
    if meta.is_file() || meta.is_dir() {
        return Ok(meta);
    }
    Err(Error::bad_import(
        label,
        "the path",
        format!(
            "this is {}, not a file; Kith reads only files (and folders)",
            kind_of(&meta.file_type())
        ),
    ))
}

#[cfg(unix)]
fn kind_of(t: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if t.is_fifo() {
        "a named pipe"
    } else if t.is_socket() {
        "a socket"
    } else if t.is_block_device() || t.is_char_device() {
        "a device"
    } else {
        "something other than a file"
    }
}

#[cfg(not(unix))]
fn kind_of(_: &std::fs::FileType) -> &'static str {
    "something other than a file"
}

/// The first `n` bytes of a file (fewer if it is shorter).
pub(crate) fn read_head(path: &Path, n: usize) -> Result<Vec<u8>> {
    if metadata(path, &path.display().to_string())?.is_dir() {
        return Ok(Vec::new());
    }
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let mut out = Vec::with_capacity(n);
    file.take(n as u64)
        .read_to_end(&mut out)
        .map_err(|e| Error::io(path, e))?;
    Ok(out)
}

/// A plain file opened to be read as a stream, with its size; no size limit applies.
pub(crate) fn open_file(path: &Path, ctx: &Ctx<'_>) -> Result<(File, u64)> {
    let meta = metadata(path, &ctx.label)?;
    if meta.is_dir() {
        return Err(ctx.bad("the path", "this is a folder; this format is a single file"));
    }
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    Ok((file, meta.len()))
}

/// A whole plain file, refused before reading if it is over the limit.
pub(crate) fn read_file(path: &Path, ctx: &Ctx<'_>) -> Result<Vec<u8>> {
    let meta = metadata(path, &path.display().to_string())?;
    if meta.is_dir() {
        return Err(ctx.bad("the path", "this is a folder; this format is a single file"));
    }
    let limit = ctx.limits.max_file_bytes;
    if meta.len() > limit {
        return Err(ctx.bad(
            "the whole file",
            format!(
                "the file is {}, larger than the {} Kith reads in one import; split it first",
                mb(meta.len()),
                mb(limit)
            ),
        ));
    }
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let mut out = Vec::with_capacity(meta.len() as usize);
    // The file may grow while we read: never read more than the limit.
    file.take(limit + 1)
        .read_to_end(&mut out)
        .map_err(|e| Error::io(path, e))?;
    if out.len() as u64 > limit {
        return Err(ctx.bad(
            "the whole file",
            "the file grew past the size limit while being read",
        ));
    }
    Ok(out)
}

/// A whole plain file as UTF-8 text without a byte-order mark.
pub(crate) fn read_text_file(path: &Path, ctx: &Ctx<'_>) -> Result<String> {
    let bytes = read_file(path, ctx)?;
    utf8(bytes, &ctx.label, None)
}

/// Checks that `bytes` are UTF-8 and drops a byte-order mark. `entry` names the zip entry.
pub(crate) fn utf8(bytes: Vec<u8>, label: &str, entry: Option<&str>) -> Result<String> {
    match String::from_utf8(bytes) {
        Ok(mut s) => {
            if s.starts_with('\u{feff}') {
                s.drain(..3);
            }
            Ok(s)
        }
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let line = e.as_bytes()[..at].iter().filter(|b| **b == b'\n').count() + 1;
            let place = match entry {
                Some(name) => format!("{name}: line {line} (byte {at})"),
                None => format!("line {line} (byte {at})"),
            };
            Err(Error::bad_import(
                label,
                place,
                "the text is not UTF-8 (was the file converted to another encoding?)",
            ))
        }
    }
}

enum Container {
    Zip(zip::ZipArchive<File>),
    Dir(PathBuf),
    /// A `.tar.gz`, read once when opened (see `targz`).
    Tar(std::collections::HashMap<String, Vec<u8>>),
}

/// A zip or an unpacked folder, read entry by entry.
pub(crate) struct Bundle {
    label: String,
    container: Container,
    names: Vec<String>,
    limits: super::Limits,
    read_total: u64,
}

impl Bundle {
    pub fn open(path: &Path, limits: &Limits) -> Result<Bundle> {
        let label = path.display().to_string();
        let bad = |place: &str, msg: String| Error::bad_import(&label, place, msg);
        let meta = metadata(path, &label)?;
        if meta.is_dir() {
            let mut names = Vec::new();
            list_dir(path, path, &mut names, limits.max_entries, &label)?;
            names.sort();
            return Ok(Bundle {
                label,
                container: Container::Dir(path.to_path_buf()),
                names,
                limits: limits.clone(),
                read_total: 0,
            });
        }
        if meta.len() > limits.max_zip_bytes {
            return Err(bad(
                "the whole file",
                format!(
                    "the zip is {}, larger than the {} Kith opens",
                    mb(meta.len()),
                    mb(limits.max_zip_bytes)
                ),
            ));
        }
        if read_head(path, 2)?.starts_with(b"\x1f\x8b") {
            let tar = super::targz::read(path, limits)?;
            return Ok(Bundle {
                label,
                container: Container::Tar(tar.kept),
                names: tar.names,
                limits: limits.clone(),
                read_total: 0,
            });
        }
        let file = File::open(path).map_err(|e| Error::io(path, e))?;
        let archive = zip::ZipArchive::new(file).map_err(|e| {
            bad(
                "the zip's table of contents",
                format!("the zip cannot be read ({e}); is the download complete?"),
            )
        })?;
        if archive.len() > limits.max_entries {
            return Err(bad(
                "the zip's table of contents",
                format!(
                    "the zip lists {} entries, more than the {} Kith accepts",
                    archive.len(),
                    limits.max_entries
                ),
            ));
        }
        let mut names = Vec::with_capacity(archive.len());
        for raw in archive.file_names() {
            check_entry_name(raw).map_err(|m| bad(&format!("zip entry {raw:?}"), m))?;
            names.push(raw.to_string());
        }
        names.sort();
        Ok(Bundle {
            label,
            container: Container::Zip(archive),
            names,
            limits: limits.clone(),
            read_total: 0,
        })
    }

    /// One file of an unpacked archive (an `outbox.json` on its own), read as a bundle of one.
    pub fn file(path: &Path, limits: &Limits) -> Result<Bundle> {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        Ok(Bundle {
            label: path.display().to_string(),
            container: Container::Dir(dir),
            names: vec![name],
            limits: limits.clone(),
            read_total: 0,
        })
    }

    pub fn label(&self) -> &str {
        &self.label
    }

    /// Every entry's name, sorted, with `/` separators.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The entries whose file name (after the last `/`) is `file`, shortest path first.
    pub fn find(&self, file: &str) -> Vec<String> {
        let mut found: Vec<String> = self
            .names
            .iter()
            .filter(|n| n.rsplit('/').next() == Some(file))
            .cloned()
            .collect();
        found.sort_by_key(|n| (n.matches('/').count(), n.clone()));
        found
    }

    /// Reads one entry, within the per-entry and total limits.
    pub fn read(&mut self, name: &str) -> Result<Vec<u8>> {
        let per_entry = self.limits.max_entry_bytes;
        let left = self.limits.max_total_bytes.saturating_sub(self.read_total);
        let cap = per_entry.min(left);
        let place = format!("zip entry {name:?}");
        let bad = |msg: String| Error::bad_import(&self.label, &place, msg);
        let out = match &mut self.container {
            Container::Zip(archive) => {
                let entry = archive.by_name(name).map_err(|e| bad(format!("{e}")))?;
                if entry.encrypted() {
                    return Err(bad(
                        "the entry is encrypted; export it again without a password".into(),
                    ));
                }
                if entry.size() > cap {
                    return Err(bad(format!(
                        "the entry expands to {}, more than the {} Kith reads{}",
                        mb(entry.size()),
                        mb(cap),
                        if cap < per_entry {
                            " (the whole zip's limit)"
                        } else {
                            ""
                        }
                    )));
                }
                let mut out = Vec::with_capacity(entry.size() as usize);
                // The declared size may lie: read at most `cap + 1` bytes whatever it says.
                entry
                    .take(cap + 1)
                    .read_to_end(&mut out)
                    .map_err(|e| bad(format!("the entry is damaged ({e})")))?;
                out
            }
            Container::Tar(files) => {
                let bytes = files
                    .remove(name)
                    .ok_or_else(|| bad("Kith does not read this kind of entry".into()))?;
                if bytes.len() as u64 > cap {
                    return Err(bad(format!(
                        "the entry expands to {}, more than the {} Kith reads",
                        mb(bytes.len() as u64),
                        mb(cap)
                    )));
                }
                bytes
            }
            Container::Dir(root) => {
                let full = root.join(name);
                let file = File::open(&full).map_err(|e| Error::io(&full, e))?;
                let mut out = Vec::new();
                file.take(cap + 1)
                    .read_to_end(&mut out)
                    .map_err(|e| Error::io(&full, e))?;
                out
            }
        };
        if out.len() as u64 > cap {
            return Err(bad(format!(
                "the entry expands past the {} Kith reads (a zip bomb or a damaged zip)",
                mb(cap)
            )));
        }
        self.read_total += out.len() as u64;
        Ok(out)
    }

    /// Reads one entry as UTF-8 text.
    pub fn read_text(&mut self, name: &str) -> Result<String> {
        let bytes = self.read(name)?;
        utf8(bytes, &self.label, Some(name))
    }
}

/// Refuses names that would point outside the archive if it were unpacked.
pub(crate) fn check_entry_name(name: &str) -> std::result::Result<(), String> {
    let unified = name.replace('\\', "/");
    if unified.starts_with('/')
        || unified.as_bytes().get(1) == Some(&b':')
        || unified.split('/').any(|part| part == "..")
        || name.contains('\0')
    {
        return Err(
            "the entry's name points outside the archive (an absolute path or \"..\"); \
             this zip was not made by the platform and was not read"
                .into(),
        );
    }
    Ok(())
}

fn list_dir(root: &Path, dir: &Path, out: &mut Vec<String>, max: usize, label: &str) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        // symlink_metadata: links are not followed out of the folder.
        let meta = entry
            .path()
            .symlink_metadata()
            .map_err(|e| Error::io(entry.path(), e))?;
        if meta.is_dir() {
            list_dir(root, &entry.path(), out, max, label)?;
        } else if meta.is_file() {
            if let Ok(rel) = entry.path().strip_prefix(root) {
                let parts: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                out.push(parts.join("/"));
            }
        }
        if out.len() > max {
            return Err(Error::bad_import(
                label,
                "the folder",
                format!("the folder holds more than {max} files"),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check_entry_name;

    #[test]
    fn entry_names_outside_the_archive_are_refused() {
        for bad in ["../x", "data/../../x", "/etc/passwd", "C:/x", "a\\..\\b"] {
            assert!(check_entry_name(bad).is_err(), "{bad}");
        }
        for good in ["data/tweets.js", "outbox.json", "a..b/c", "data/x..js"] {
            assert!(check_entry_name(good).is_ok(), "{good}");
        }
    }
}
