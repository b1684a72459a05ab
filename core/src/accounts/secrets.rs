//! Where an account's password is kept: never in the store file in plaintext. In the
//! system's secret store where there is one; otherwise only inside a store locked with a
//! passphrase; otherwise nowhere, and each sync asks for it.

use super::Secret;
use crate::error::{Error, Result};
use crate::session::Session;
use zeroize::Zeroizing;

/// A place that keeps accounts' secrets, by account id.
pub trait Secrets: Send + Sync {
    /// The secret kept for the account, if any.
    fn get(&self, account_id: &str) -> Result<Option<Secret>>;
    /// Keeps the secret for the account, replacing any kept before.
    fn set(&self, account_id: &str, secret: &Secret) -> Result<()>;
    /// Forgets the account's secret; nothing kept is not an error.
    fn delete(&self, account_id: &str) -> Result<()>;
}

/// The name Kith's secrets are kept under in the system's secret store; each is under the
/// account's id as the user name.
pub const SERVICE: &str = "kith";

/// Keeps nothing: every sync needs the password given.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoSecrets;

impl Secrets for NoSecrets {
    fn get(&self, _: &str) -> Result<Option<Secret>> {
        Ok(None)
    }
    fn set(&self, _: &str, _: &Secret) -> Result<()> {
        Err(Error::invalid(
            "there is no secret store to keep the password in (the system has none, and the \
             store is not locked with a passphrase); it will be asked for at each sync",
        ))
    }
    fn delete(&self, _: &str) -> Result<()> {
        Ok(())
    }
}

/// Keeps secrets inside the store itself, which must be locked with a passphrase: a plain
/// store refuses them.
#[derive(Debug, Clone)]
pub struct StoreSecrets {
    session: Session,
}

impl StoreSecrets {
    pub fn new(session: Session) -> StoreSecrets {
        StoreSecrets { session }
    }
}

impl Secrets for StoreSecrets {
    fn get(&self, account_id: &str) -> Result<Option<Secret>> {
        let id = account_id.to_string();
        let text = self.session.read(move |s| s.account_secret(&id))?;
        Ok(text.map(|t| Secret::new(Zeroizing::new(t).as_str())))
    }
    fn set(&self, account_id: &str, secret: &Secret) -> Result<()> {
        let id = account_id.to_string();
        let text = Zeroizing::new(secret.expose().to_string());
        self.session
            .write(move |s| s.set_account_secret(&id, &text))
    }
    fn delete(&self, account_id: &str) -> Result<()> {
        let id = account_id.to_string();
        self.session.write(move |s| s.delete_account_secret(&id))
    }
}

/// Keeps `secret` for the account in `secrets` and notes on the account that it is kept.
/// When it cannot be kept, the account notes it is not, and the error says why.
pub fn keep_secret(
    session: &Session,
    account_id: &str,
    secrets: &dyn Secrets,
    secret: &Secret,
) -> Result<()> {
    let kept = secrets.set(account_id, secret);
    let id = account_id.to_string();
    let ok = kept.is_ok();
    session.write(move |s| s.set_secret_kept(&id, ok))?;
    kept
}

/// Forgets the account's secret in `secrets` (the store's own copy goes with the account).
pub fn forget_secret(secrets: &dyn Secrets, account_id: &str) -> Result<()> {
    secrets.delete(account_id)
}
