//! The JSON archive.
