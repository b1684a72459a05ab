//! The SQLite store.
pub struct Store;
