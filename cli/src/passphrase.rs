//! `kith passphrase set|change|remove|status`, and where every command gets the passphrase of a
//! locked store: `KITH_PASSPHRASE`, or else a prompt on the terminal that does not echo.

use crate::say;
use kith_core::passphrase::{self, Passphrase, PassphraseChange};
use kith_core::Error;
use std::io::IsTerminal;
use std::path::Path;

/// The environment variable that holds the passphrase of a locked store.
pub const ENV: &str = "KITH_PASSPHRASE";
/// The environment variable that holds the new passphrase for `set` and `change`.
pub const NEW_ENV: &str = "KITH_NEW_PASSPHRASE";

pub const WARNING: &str = "Kith does not keep your passphrase anywhere. If you lose it, your \
notes cannot be recovered: not by you, not by Kith, and not from the backups, which are locked \
with the same passphrase. Write it down somewhere safe.";

#[derive(clap::Args)]
pub struct PassphraseArgs {
    #[command(subcommand)]
    action: Action,
}

#[derive(clap::Subcommand)]
enum Action {
    /// Lock the store and its backups with a passphrase (read from KITH_NEW_PASSPHRASE, or asked
    /// for twice on the terminal).
    Set,
    /// Change the passphrase (the current one from KITH_PASSPHRASE or asked for; the new one from
    /// KITH_NEW_PASSPHRASE or asked for twice).
    Change,
    /// Remove the passphrase: the store and its backups are written back as plain files.
    Remove,
    /// Say whether the store is locked with a passphrase.
    Status,
}

/// The passphrase for the store at `path`: `KITH_PASSPHRASE` whenever it is set (a plain store
/// ignores it, and a store that becomes locked while this command waits for a passphrase change
/// in another Kith to finish still opens), else asked on the terminal if the store is locked;
/// `None` for a store that is not.
pub fn for_store(path: &Path) -> Result<Option<Passphrase>, Error> {
    if let Some(key) = from_env()? {
        return Ok(Some(key));
    }
    if !passphrase::is_locked_file(path)? {
        return Ok(None);
    }
    current(path).map(Some)
}

fn from_env() -> Result<Option<Passphrase>, Error> {
    match std::env::var_os(ENV) {
        Some(text) if text.is_empty() => Ok(None),
        Some(text) => {
            let text = text
                .into_string()
                .map_err(|_| Error::invalid(format!("{ENV} is not valid UTF-8 text")))?;
            Passphrase::new(text).map(Some)
        }
        None => Ok(None),
    }
}

fn current(path: &Path) -> Result<Passphrase, Error> {
    if let Some(key) = from_env()? {
        return Ok(key);
    }
    if !std::io::stdin().is_terminal() {
        return Err(Error::PassphraseNeeded {
            path: path.to_path_buf(),
        });
    }
    Passphrase::new(ask(&format!("Passphrase for {}: ", path.display()))?)
}

fn new_passphrase() -> Result<Passphrase, Error> {
    if let Some(text) = std::env::var_os(NEW_ENV) {
        let text = text
            .into_string()
            .map_err(|_| Error::invalid(format!("{NEW_ENV} is not valid UTF-8 text")))?;
        return Passphrase::new_to_set(text);
    }
    if !std::io::stdin().is_terminal() {
        return Err(Error::invalid(format!(
            "there is no terminal to ask for the new passphrase on; set {NEW_ENV}. Nothing was \
             changed."
        )));
    }
    crate::tell!("{WARNING}");
    let first = Passphrase::new_to_set(ask("New passphrase: ")?)?;
    let again = Passphrase::new(ask("The same again: ")?)?;
    if first != again {
        return Err(Error::invalid(
            "the two passphrases differ; nothing was changed. Run it again",
        ));
    }
    Ok(first)
}

fn ask(prompt: &str) -> Result<String, Error> {
    rpassword::prompt_password(prompt)
        .map_err(|e| Error::invalid(format!("cannot read the passphrase from the terminal: {e}")))
}

/// `kith passphrase …`, on the store file at `path` (which nothing else may have open).
pub fn run(path: &Path, args: PassphraseArgs) -> Result<(), Error> {
    let locked = passphrase::is_locked_file(path)?;
    let change = match args.action {
        Action::Status => {
            if locked {
                say!("{} is locked with a passphrase.", path.display());
            } else {
                say!("{} is not locked with a passphrase.", path.display());
            }
            return Ok(());
        }
        Action::Set if locked => {
            return Err(Error::invalid(
                "this store is already locked with a passphrase; use `kith passphrase change`",
            ))
        }
        Action::Set => {
            let new = new_passphrase()?;
            passphrase::change_passphrase(path, None, Some(&new))?
        }
        Action::Change | Action::Remove if !locked => {
            return Err(Error::invalid(
                "this store is not locked with a passphrase; use `kith passphrase set`",
            ))
        }
        Action::Change => {
            let old = current(path)?;
            let new = new_passphrase()?;
            passphrase::change_passphrase(path, Some(&old), Some(&new))?
        }
        Action::Remove => {
            let old = current(path)?;
            passphrase::change_passphrase(path, Some(&old), None)?
        }
    };
    report(path, &change);
    Ok(())
}

fn report(path: &Path, change: &PassphraseChange) {
    crate::output::tell_tidied(&change.tidied);
    if change.encrypted {
        say!(
            "{} and {} backups are locked with the new passphrase.",
            path.display(),
            change.backups_changed
        );
        say!("{WARNING}");
    } else {
        say!(
            "{} and {} backups are no longer locked: anyone who can read the files can read \
             your notes.",
            path.display(),
            change.backups_changed
        );
    }
    if !change.backups_left.is_empty() {
        say!(
            "{} backups did not open with the old passphrase and were left as they were: {}",
            change.backups_left.len(),
            change.backups_left.join(", ")
        );
    }
}
