//! Opening a store and the files beside it, and who may touch them: a leaf module that the store,
//! its backups and re-keying all build on, and that depends on none of them.
//!
//! - [`lock`]: the store's lock file. Every connection to a store holds it shared for as long
//!   as it is open; re-keying holds it exclusively across the whole swap of files, so no
//!   connection can have the old file open while a new one is renamed into place.
//! - [`files`]: the names of everything Kith keeps beside a store (its backups, its lock, the
//!   journal of an interrupted passphrase change, temporary copies), each derived from the
//!   store's own file name so that stores sharing a folder never take each other's files, and
//!   creating those files readable by their owner only.
//! - [`key`]: the passphrase and keying a connection with it.
//! - [`open`]: opening a connection for its role (writer, reader, copy), every pragma Kith
//!   sets and why, and what an error on opening means.
//! - [`publish`]: giving a finished file its name atomically, never overwriting one.
//! - [`copies`]: the copies of a store in its backups folder: naming, making, listing and
//!   pruning them.
//! - [`recovery`]: finishing or undoing a passphrase change that was interrupted.

pub mod copies;
pub mod files;
pub mod key;
pub mod lock;
pub mod open;
pub mod publish;
pub mod recovery;

pub use files::StoreFiles;
pub use key::Passphrase;
pub use lock::StoreLock;
pub use open::Role;
