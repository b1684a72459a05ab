//! Keying a connection: the passphrase a store, its write-ahead log and its copies are locked
//! with (see [`crate::passphrase`] for what locking means to the person), and giving it to
//! SQLCipher before anything reads the file.

use crate::error::{Error, Result};
use rusqlite::Connection;
use zeroize::Zeroizing;

/// The shortest passphrase Kith lets a person set. (Any passphrase that opens a store is
/// accepted when unlocking it.)
pub const MIN_LEN: usize = 8;

/// A passphrase held in memory only for as long as the store is open. Its text is wiped when it
/// is dropped (`zeroize`) and never shown by `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct Passphrase(Zeroizing<String>);

impl Passphrase {
    /// A passphrase to unlock a store with: any non-empty text without NUL characters.
    pub fn new(text: impl Into<String>) -> Result<Passphrase> {
        let text = text.into();
        if text.is_empty() {
            return Err(Error::invalid(
                "the passphrase is empty; type the passphrase",
            ));
        }
        if text.contains('\0') {
            return Err(Error::invalid(
                "the passphrase contains a NUL character, which cannot be part of a passphrase",
            ));
        }
        Ok(Passphrase(Zeroizing::new(text)))
    }

    /// A new passphrase to lock a store with: also at least [`MIN_LEN`] characters.
    pub fn new_to_set(text: impl Into<String>) -> Result<Passphrase> {
        let p = Passphrase::new(text)?;
        if p.0.chars().count() < MIN_LEN {
            return Err(Error::invalid(format!(
                "the new passphrase is shorter than {MIN_LEN} characters; choose a longer one \
                 (a few words you will remember work well)"
            )));
        }
        Ok(p)
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Passphrase(…)")
    }
}

/// Gives a freshly opened connection its key. Must run before anything reads the file.
pub(crate) fn key_connection(conn: &Connection, key: Option<&Passphrase>) -> rusqlite::Result<()> {
    let Some(key) = key else {
        return Ok(());
    };
    // SQLCipher logs a failed decryption to stderr; a wrong passphrase is reported as an error
    // to the person instead. (Older builds without this pragma simply ignore it.)
    let _ = conn.execute_batch("PRAGMA cipher_log_level = NONE");
    match conn.pragma_update(None, "key", key.as_str()) {
        // `PRAGMA key` itself never checks the passphrase (the first read does), so a failure
        // here is SQLCipher failing to set up its cipher for this connection: its libtomcrypt
        // provider seeds a shared random generator from the system for every keyed connection,
        // and this failed once under many parallel opens and closes. A failed key pragma
        // leaves the connection unkeyed and unchanged, so it is tried once more, with
        // SQLCipher's own log on so that a second failure says why on standard error.
        Err(first) => {
            tracing::warn!("SQLCipher could not key a connection ({first}); trying once more");
            let _ = conn.execute_batch("PRAGMA cipher_log_level = ERROR");
            let again = conn.pragma_update(None, "key", key.as_str());
            let _ = conn.execute_batch("PRAGMA cipher_log_level = NONE");
            again
        }
        Ok(()) => Ok(()),
    }
}
