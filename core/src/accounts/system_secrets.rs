//! The system's secret store, through the `keyring` crate.

use super::secrets::{Secrets, SERVICE};
use super::Secret;
use crate::error::{Error, Result};
use zeroize::Zeroizing;

/// The system's secret store: Secret Service (GNOME Keyring, KWallet) on Linux, the
/// Keychain on macOS, the Credential Manager on Windows.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemSecrets;

impl SystemSecrets {
    /// Whether this process can reach the system's secret store (a headless machine without
    /// a D-Bus session cannot).
    pub fn available() -> bool {
        match keyring::Entry::new(SERVICE, "kith-availability-check") {
            Ok(entry) => matches!(entry.get_password(), Ok(_) | Err(keyring::Error::NoEntry)),
            Err(_) => false,
        }
    }

    fn entry(account_id: &str) -> Result<keyring::Entry> {
        keyring::Entry::new(SERVICE, account_id).map_err(unavailable)
    }
}

/// The error when the system's secret store cannot be used. (Its errors never hold the
/// secret.)
fn unavailable(e: keyring::Error) -> Error {
    Error::invalid(format!("the system's secret store cannot be used: {e}"))
}

impl Secrets for SystemSecrets {
    fn get(&self, account_id: &str) -> Result<Option<Secret>> {
        match SystemSecrets::entry(account_id)?.get_password() {
            Ok(p) => Ok(Some(Secret::new(Zeroizing::new(p).as_str()))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(unavailable(e)),
        }
    }
    fn set(&self, account_id: &str, secret: &Secret) -> Result<()> {
        SystemSecrets::entry(account_id)?
            .set_password(secret.expose())
            .map_err(unavailable)
    }
    fn delete(&self, account_id: &str) -> Result<()> {
        match SystemSecrets::entry(account_id)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(unavailable(e)),
        }
    }
}
