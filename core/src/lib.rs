//! Kith's core: the domain, the SQLite store, the JSON archive, search, the sample network and
//! suggestions. No Tauri and no UI here: the CLI and the desktop app are thin layers over it.

pub mod accounts;
pub mod archive;
pub mod attendee_match;
pub mod backup;
pub mod brief;
pub mod demo;
pub mod domain;
pub mod error;
pub mod export;
pub mod files;
pub mod handles;
pub mod import;
pub mod passphrase;
pub mod record_limit;
pub mod session;
pub mod sqlite;
pub mod store;
pub mod suggest;
pub mod synth;
pub mod text_limit;

pub use domain::*;
pub use error::{Code, Error, PublicError, Result, SyncProblem};
pub use store::Store;
