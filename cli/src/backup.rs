//! `kith backup`, `kith backups` and `kith restore`: copies of the store in the `backups` folder
//! next to it, and putting one back.

use crate::say;
use chrono::{DateTime, Local, Utc};
use kith_core::backup::{self, BackupInfo, BackupKind};
use kith_core::{Error, Store};
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct BackupArgs {
    /// Write the copy to this file instead of the backups folder; it must not exist yet.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Print the copy's details as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args)]
pub struct BackupsArgs {
    /// Print the list as JSON.
    #[arg(long)]
    pub json: bool,
    /// Keep this many daily and this many before-import copies from now on (default 7), and
    /// remove the oldest beyond it now.
    #[arg(long, value_name = "N")]
    pub keep: Option<u32>,
}

#[derive(clap::Args)]
pub struct RestoreArgs {
    /// The backup: a file, or a name from `kith backups`.
    pub file: PathBuf,
    /// Replace the store without asking (needed when there is no terminal to ask on).
    #[arg(long)]
    pub yes: bool,
}

/// The store file `--db`/`KITH_DB` names, or the default one.
pub fn store_path(db: Option<PathBuf>) -> Result<PathBuf, Error> {
    match db {
        Some(p) => Ok(p),
        None => Store::default_path(),
    }
}

/// `kith backup`: a manual copy now.
pub fn backup(store: &Store, args: BackupArgs, now: DateTime<Utc>) -> Result<(), Error> {
    let made = backup::backup_now(store, args.out.as_deref(), now)?;
    if args.json {
        crate::output::print_json(&made);
    } else {
        say!("Backed up to {} ({})", made.path, size(made.size_bytes));
    }
    Ok(())
}

/// `kith backups --keep N`: change how many copies are kept, then list them.
pub fn keep(store: &mut Store, args: BackupsArgs) -> Result<(), Error> {
    let n = args.keep.unwrap_or(backup::DEFAULT_KEEP);
    let removed = backup::set_keep_count(store, n)?;
    crate::tell!(
        "Keeping the last {n} daily and {n} before-import copies; {removed} older copies removed."
    );
    let path = store
        .path()
        .map(Path::to_path_buf)
        .ok_or_else(|| Error::invalid("this store is in memory and has no backups folder"))?;
    list(&path, args)
}

/// `kith backups`: every copy, newest first.
pub fn list(store_path: &Path, args: BackupsArgs) -> Result<(), Error> {
    let all = backup::list_backups(store_path)?;
    if args.json {
        crate::output::print_json(&all);
        return Ok(());
    }
    if all.is_empty() {
        say!(
            "No backups yet in {}.",
            backup::backups_dir(store_path).display()
        );
        return Ok(());
    }
    for b in &all {
        say!(
            "{:<52} {:<15} {:<16} {:>9}",
            b.name,
            b.kind.label(),
            when(b),
            size(b.size_bytes)
        );
    }
    crate::tell!(
        "{} backups in {}",
        all.len(),
        backup::backups_dir(store_path).display()
    );
    Ok(())
}

/// `kith restore FILE`: replace the store with a backup, after checking it and keeping the
/// store as it is now.
pub fn restore(store_path: &Path, args: RestoreArgs, now: DateTime<Utc>) -> Result<(), Error> {
    let file = locate(store_path, &args.file);
    // A locked store's backups are locked with its passphrase.
    let key = match crate::passphrase::for_store(store_path)? {
        Some(key) => Some(key),
        None => crate::passphrase::for_store(&file)?,
    };
    let contents = backup::inspect_backup(&file, key.as_ref())?;
    if !args.yes {
        let question = format!(
            "Replace the store {} with the backup {} ({} contacts, {} interactions, {} events)?\n\
             The store as it is now is kept in {} first. [y/N] ",
            store_path.display(),
            file.display(),
            contents.stats.contacts,
            contents.stats.interactions,
            contents.stats.events,
            backup::backups_dir(store_path).display()
        );
        if !confirm(&question)? {
            say!("Nothing was restored.");
            return Ok(());
        }
    }
    let outcome = backup::restore(store_path, &file, key.as_ref(), now)?;
    if let Some(kept) = &outcome.before_restore {
        say!("The store as it was is kept in {}", kept.path);
    }
    if outcome.replaced_damaged_store {
        say!("(it could not be read as a database, so its files were kept as they were)");
    }
    say!(
        "Restored {}: {} contacts, {} interactions, {} events",
        file.display(),
        outcome.stats.contacts,
        outcome.stats.interactions,
        outcome.stats.events
    );
    Ok(())
}

/// A name listed by `kith backups` means that file in the backups folder.
fn locate(store_path: &Path, given: &Path) -> PathBuf {
    let bare = given.parent().is_none_or(|p| p.as_os_str().is_empty());
    let in_folder = backup::backups_dir(store_path).join(given);
    if !given.exists() && bare && in_folder.exists() {
        in_folder
    } else {
        given.to_path_buf()
    }
}

/// Asks on the terminal; refuses when there is none, so a script never restores by accident.
fn confirm(question: &str) -> Result<bool, Error> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        return Err(Error::invalid(
            "kith restore replaces the whole store; there is no terminal to ask on, so run it \
             with --yes to confirm. Nothing was restored.",
        ));
    }
    let mut err = std::io::stderr();
    // The paths in the question come from the command line: shown, line by line, like any
    // other printed text.
    let shown: Vec<_> = question
        .split('\n')
        .map(crate::output::terminal_safe)
        .collect();
    let _ = write!(err, "{}", shown.join("\n"));
    let _ = err.flush();
    let mut answer = String::new();
    stdin
        .lock()
        .read_line(&mut answer)
        .map_err(|e| Error::invalid(format!("cannot read the answer: {e}")))?;
    Ok(matches!(
        answer.trim().to_ascii_lowercase().as_str(),
        "y" | "yes"
    ))
}

fn when(b: &BackupInfo) -> String {
    if b.kind == BackupKind::Daily {
        b.created_at.format("%Y-%m-%d").to_string()
    } else {
        b.created_at
            .with_timezone(&Local)
            .format("%Y-%m-%d %H:%M")
            .to_string()
    }
}

fn size(bytes: u64) -> String {
    const KB: f64 = 1024.0;
    let b = bytes as f64;
    if b < KB {
        format!("{bytes} B")
    } else if b < KB * KB {
        format!("{:.0} KB", b / KB)
    } else if b < KB * KB * KB {
        format!("{:.1} MB", b / KB / KB)
    } else {
        format!("{:.2} GB", b / KB / KB / KB)
    }
}
