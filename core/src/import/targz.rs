//! Mastodon archives made before version 4.1 are `.tar.gz` files. A tar has no table of
//! contents, so the whole archive is read once, front to back: the files Kith reads (JSON,
//! JavaScript and CSV) are kept in memory, within the same limits as a zip's entries; media
//! are passed over. Entry names are checked as for zips, and a cut-short archive is refused.

use super::input::{check_entry_name, mb, Limits};
use crate::error::{Error, Result};
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

/// The files of a `.tar.gz`: every file's name, and the contents of the ones Kith reads.
pub(crate) struct TarFiles {
    pub names: Vec<String>,
    pub kept: HashMap<String, Vec<u8>>,
}

/// Whether Kith reads this entry's content (the rest are media).
fn wanted(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".json", ".js", ".csv"].iter().any(|e| lower.ends_with(e))
}

pub(crate) fn read(path: &Path, limits: &Limits) -> Result<TarFiles> {
    let label = path.display().to_string();
    let bad = |place: &str, msg: String| Error::bad_import(&label, place, msg);
    let damaged = |e: std::io::Error| {
        bad(
            "the tar.gz archive",
            format!(
                "the archive is cut short or damaged ({e}); is the download complete? Download it again"
            ),
        )
    };
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    // Everything that comes out of the gzip stream counts, media included, so a small file
    // that expands without end stops at the archive limit.
    let gz = flate2::read::GzDecoder::new(file).take(limits.max_zip_bytes);
    let mut archive = tar::Archive::new(gz);
    let mut names = Vec::new();
    let mut kept = HashMap::new();
    let mut total = 0u64;
    for entry in archive.entries().map_err(damaged)? {
        let mut entry = entry.map_err(damaged)?;
        let kind = entry.header().entry_type();
        let raw = String::from_utf8_lossy(&entry.path_bytes()).into_owned();
        let name = raw.trim_start_matches("./").to_string();
        check_entry_name(&name).map_err(|m| bad(&format!("tar entry {raw:?}"), m))?;
        // Folders, links and devices are not files to read.
        if !kind.is_file() || name.is_empty() {
            continue;
        }
        names.push(name.clone());
        if names.len() > limits.max_entries {
            return Err(bad(
                "the tar.gz archive",
                format!("the archive holds more than {} files", limits.max_entries),
            ));
        }
        if !wanted(&name) {
            // Passed over, but read through: a cut-short media file is a damaged archive too.
            std::io::copy(&mut entry, &mut std::io::sink()).map_err(damaged)?;
            continue;
        }
        let place = format!("tar entry {name:?}");
        let cap = limits
            .max_entry_bytes
            .min(limits.max_total_bytes.saturating_sub(total));
        let mut out = Vec::new();
        (&mut entry)
            .take(cap + 1)
            .read_to_end(&mut out)
            .map_err(damaged)?;
        if out.len() as u64 > cap {
            return Err(bad(
                &place,
                format!("the entry expands past the {} Kith reads", mb(cap)),
            ));
        }
        if (out.len() as u64) < entry.header().size().unwrap_or(0) {
            return Err(damaged(std::io::ErrorKind::UnexpectedEof.into()));
        }
        total += out.len() as u64;
        kept.insert(name, out);
    }
    // The gzip stream must end where the tar does; a cut inside the final blocks is damage.
    let mut rest = archive.into_inner();
    std::io::copy(&mut rest, &mut std::io::sink()).map_err(damaged)?;
    if names.is_empty() {
        return Err(bad(
            "the tar.gz archive",
            "the archive holds no files (is the download complete?)".into(),
        ));
    }
    names.sort();
    Ok(TarFiles { names, kept })
}
