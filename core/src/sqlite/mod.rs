//! The files beside a store and who may touch them: a leaf module that the store, its backups
//! and re-keying all build on, and that depends on none of them.
//!
//! - [`lock`]: the store's lock file. Every connection to a store holds it shared for as long
//!   as it is open; re-keying holds it exclusively across the whole swap of files, so no
//!   connection can have the old file open while a new one is renamed into place.
//! - [`files`]: the names of everything Kith keeps beside a store (its backups, its lock, the
//!   journal of an interrupted passphrase change, temporary copies), each derived from the
//!   store's own file name so that stores sharing a folder never take each other's files, and
//!   creating those files readable by their owner only.

pub mod files;
pub mod lock;
pub mod recovery;

pub use files::StoreFiles;
pub use lock::StoreLock;
