//! The one error type that leaves the core. Every variant has a stable `code` that the CLI and
//! the app branch on; the message is for people and names the problem and what to do.

use serde::{Deserialize, Serialize};
use specta::Type;
use std::path::PathBuf;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The store file exists but is not a Kith store, or is damaged.
    #[error("{path}: this file is not a readable Kith store ({reason}). It was left untouched; restore a backup or choose another file with --db.")]
    StoreCorrupt { path: PathBuf, reason: String },

    /// The store was written by a newer Kith.
    #[error("{path}: this store was written by a newer Kith (schema {found}, this version knows up to {known}). Update Kith to open it; the file was left untouched.")]
    StoreTooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },

    /// The store is locked with a passphrase and none was given.
    #[error("{path}: this store is locked with a passphrase. Enter the passphrase to open it (for the kith command, set KITH_PASSPHRASE or run it in a terminal to be asked). If no passphrase was ever set, the file is damaged: restore a backup.")]
    PassphraseNeeded { path: PathBuf },

    /// The passphrase given does not open the store (or a copy of it).
    #[error("{path}: that passphrase does not open this {what}. Check it and try again; nothing was changed. (If you are sure of the passphrase, the file may be damaged: restore a backup.)")]
    WrongPassphrase { path: PathBuf, what: String },

    /// The store cannot be opened or created (permissions, missing folder, read-only disk).
    #[error("{path}: cannot open the store: {reason}")]
    StoreUnavailable { path: PathBuf, reason: String },

    /// A record the caller named does not exist.
    #[error("{what} {id:?} was not found")]
    NotFound { what: &'static str, id: String },

    /// Something the user typed or a caller passed is not valid.
    #[error("{0}")]
    Invalid(String),

    /// A file being imported is not valid; `place` says where (a JSON path, a line, a zip entry).
    #[error("{file}: {place}: {message}. Nothing was imported.")]
    BadImport {
        file: String,
        place: String,
        message: String,
    },

    /// A name matched several contacts.
    #[error("{0}")]
    Ambiguous(String),

    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// The person stopped a long operation (an import) before it finished; nothing changed.
    #[error("{0}")]
    Cancelled(String),

    /// A file the operation would replace is already there, and replacing it was not agreed.
    #[error("{path} already exists{}; nothing was written. Choose another name, or agree to replace it.", if *count > 1 { format!(" (and {} more files)", count - 1) } else { String::new() })]
    Exists { path: String, count: u32 },

    /// A value read from the store is not one Kith writes (an unknown channel, kind or
    /// platform, a time that cannot be read): the store was changed outside Kith or damaged.
    #[error(
        "{0}. Nothing was changed; restore a backup, or correct that value with an SQLite tool."
    )]
    DamagedValue(Damaged),
    /// The database said no; this is a bug or a disk problem, not the user's doing.
    #[error("database error: {0}")]
    Database(rusqlite::Error),

    /// A connected account could not be synced; `problem` says why in a word the UI branches
    /// on, `detail` in plain words. Never carries the account's secret.
    #[error("{account}: {detail}")]
    Sync {
        account: String,
        problem: SyncProblem,
        detail: String,
        /// When the server said to ask again (a rate limit): the schedule waits until then.
        retry_at: Option<chrono::DateTime<chrono::Utc>>,
    },
}

/// Why a connected account could not be synced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum SyncProblem {
    /// The server refused the user name or password.
    WrongPassword,
    /// No password is kept for the account and none was given.
    PasswordNeeded,
    /// The server's certificate is not trusted (self-signed, expired, another name).
    UntrustedCertificate,
    /// The server could not be reached (no such host, refused, the network is down).
    Unreachable,
    /// The server stopped answering.
    TimedOut,
    /// The server asked Kith to wait before asking again.
    RateLimited,
    /// The server answered with something Kith cannot read (not a feed, a broken reply).
    BadResponse,
    /// What the server sent is larger than Kith reads.
    TooLarge,
}

impl SyncProblem {
    pub fn code(self) -> Code {
        match self {
            SyncProblem::WrongPassword => Code::SyncWrongPassword,
            SyncProblem::PasswordNeeded => Code::SyncPasswordNeeded,
            SyncProblem::UntrustedCertificate => Code::SyncUntrustedCertificate,
            SyncProblem::Unreachable => Code::SyncUnreachable,
            SyncProblem::TimedOut => Code::SyncTimedOut,
            SyncProblem::RateLimited => Code::SyncRateLimited,
            SyncProblem::BadResponse => Code::SyncBadResponse,
            SyncProblem::TooLarge => Code::SyncTooLarge,
        }
    }
}

/// Where a value Kith cannot read sits in the store, and what it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the store holds a value Kith cannot read: in {table}, row {row}, {column} is {value:?} ({expected})")]
pub struct Damaged {
    /// The table, e.g. `interactions`.
    pub table: &'static str,
    /// The row's id (its key, or the row number where there is no key).
    pub row: String,
    pub column: &'static str,
    /// The value as stored.
    pub value: String,
    /// What Kith expected there, e.g. "a channel".
    pub expected: &'static str,
}

impl Damaged {
    /// The error a row reader returns, so that it reaches the caller as
    /// [`Error::DamagedValue`] through `?`.
    pub fn into_sql(self) -> rusqlite::Error {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(self))
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        match e {
            rusqlite::Error::FromSqlConversionFailure(_, _, inner) if inner.is::<Damaged>() => {
                match inner.downcast::<Damaged>() {
                    Ok(damaged) => Error::DamagedValue(*damaged),
                    Err(inner) => Error::Database(rusqlite::Error::FromSqlConversionFailure(
                        0,
                        rusqlite::types::Type::Text,
                        inner,
                    )),
                }
            }
            e => Error::Database(e),
        }
    }
}

/// The closed set of error codes that cross to the window and the command line: the UI and
/// scripts branch on these, never on a message. Serialised in snake case (`"bad_import"`); the
/// TypeScript bindings carry the same list, so a code the UI tests for that no longer exists
/// fails the type check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum Code {
    /// The store file is not a readable Kith store.
    StoreCorrupt,
    /// The store was written by a newer Kith.
    StoreTooNew,
    /// The store cannot be opened or created.
    StoreUnavailable,
    /// The store is locked with a passphrase and none was given.
    PassphraseNeeded,
    /// The passphrase given does not open the store or a copy of it.
    WrongPassphrase,
    /// A record the caller named does not exist.
    NotFound,
    /// Something typed or passed is not valid.
    InvalidInput,
    /// A file being imported is not valid.
    BadImport,
    /// A name matched several contacts.
    Ambiguous,
    /// A file could not be read or written.
    Io,
    /// The person stopped a long operation.
    Cancelled,
    /// A file the operation would replace is there, and replacing it was not agreed.
    Exists,
    /// Another writer held the store for longer than the busy timeout.
    StoreBusy,
    /// The database said no: a bug or a disk problem.
    Database,
    /// The app itself failed (a background task stopped): a bug.
    Internal,
    /// A link or a file could not be handed to the program that opens it.
    OpenFailed,
    /// A connected account's server refused the user name or password.
    SyncWrongPassword,
    /// A connected account has no password kept and none was given.
    SyncPasswordNeeded,
    /// A connected account's server certificate is not trusted.
    SyncUntrustedCertificate,
    /// A connected account's server could not be reached.
    SyncUnreachable,
    /// A connected account's server stopped answering.
    SyncTimedOut,
    /// A connected account's server asked Kith to wait.
    SyncRateLimited,
    /// A connected account's server sent something Kith cannot read.
    SyncBadResponse,
    /// A connected account's server sent more than Kith reads.
    SyncTooLarge,
}

impl Code {
    /// The code as it is written in JSON and printed by the CLI.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::StoreCorrupt => "store_corrupt",
            Code::StoreTooNew => "store_too_new",
            Code::StoreUnavailable => "store_unavailable",
            Code::PassphraseNeeded => "passphrase_needed",
            Code::WrongPassphrase => "wrong_passphrase",
            Code::NotFound => "not_found",
            Code::InvalidInput => "invalid_input",
            Code::BadImport => "bad_import",
            Code::Ambiguous => "ambiguous",
            Code::Io => "io",
            Code::Cancelled => "cancelled",
            Code::Exists => "exists",
            Code::StoreBusy => "store_busy",
            Code::Database => "database",
            Code::Internal => "internal",
            Code::OpenFailed => "open_failed",
            Code::SyncWrongPassword => "sync_wrong_password",
            Code::SyncPasswordNeeded => "sync_password_needed",
            Code::SyncUntrustedCertificate => "sync_untrusted_certificate",
            Code::SyncUnreachable => "sync_unreachable",
            Code::SyncTimedOut => "sync_timed_out",
            Code::SyncRateLimited => "sync_rate_limited",
            Code::SyncBadResponse => "sync_bad_response",
            Code::SyncTooLarge => "sync_too_large",
        }
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Lets callers and tests compare a code with its written form.
impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl Error {
    /// A stable, machine-readable code. The UI and scripts branch on this, never on the message.
    pub fn code(&self) -> Code {
        match self {
            Error::StoreCorrupt { .. } => Code::StoreCorrupt,
            Error::StoreTooNew { .. } => Code::StoreTooNew,
            Error::StoreUnavailable { .. } => Code::StoreUnavailable,
            Error::PassphraseNeeded { .. } => Code::PassphraseNeeded,
            Error::WrongPassphrase { .. } => Code::WrongPassphrase,
            Error::NotFound { .. } => Code::NotFound,
            Error::Invalid(_) => Code::InvalidInput,
            Error::BadImport { .. } => Code::BadImport,
            Error::Ambiguous(_) => Code::Ambiguous,
            Error::Io { .. } => Code::Io,
            Error::Cancelled(_) => Code::Cancelled,
            Error::Exists { .. } => Code::Exists,
            Error::DamagedValue(_) => Code::StoreCorrupt,
            Error::Database(rusqlite::Error::SqliteFailure(e, _))
                if matches!(
                    e.code,
                    rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
                ) =>
            {
                Code::StoreBusy
            }
            Error::Database(_) => Code::Database,
            Error::Sync { problem, .. } => problem.code(),
        }
    }

    pub fn invalid(msg: impl Into<String>) -> Self {
        Error::Invalid(msg.into())
    }

    pub fn not_found(what: &'static str, id: impl Into<String>) -> Self {
        Error::NotFound {
            what,
            id: id.into(),
        }
    }

    pub fn bad_import(
        file: impl Into<String>,
        place: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Error::BadImport {
            file: file.into(),
            place: place.into(),
            message: message.into(),
        }
    }

    pub fn sync(
        account: impl Into<String>,
        problem: SyncProblem,
        detail: impl Into<String>,
    ) -> Self {
        Error::Sync {
            account: account.into(),
            problem,
            detail: detail.into(),
            retry_at: None,
        }
    }

    /// A server asked Kith to wait until `until` before asking again; `detail` says so in
    /// plain words.
    pub fn rate_limited(
        account: impl Into<String>,
        until: chrono::DateTime<chrono::Utc>,
        detail: impl Into<String>,
    ) -> Self {
        Error::Sync {
            account: account.into(),
            problem: SyncProblem::RateLimited,
            detail: detail.into(),
            retry_at: Some(until),
        }
    }

    /// When the server said to ask again, if it said.
    pub fn retry_at(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        match self {
            Error::Sync { retry_at, .. } => *retry_at,
            _ => None,
        }
    }

    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// The form that crosses to the UI.
    pub fn to_public(&self) -> PublicError {
        PublicError {
            code: self.code(),
            message: self.to_string(),
        }
    }
}

/// The error as the app and `--json` output see it: a stable code and a readable message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct PublicError {
    pub code: Code,
    pub message: String,
}

impl From<&Error> for PublicError {
    fn from(e: &Error) -> Self {
        e.to_public()
    }
}
