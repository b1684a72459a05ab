//! `kith import`: read a file into the store, all or nothing.

use chrono::{DateTime, Utc};
use kith_core::archive::Archive;
use kith_core::{Error, Store};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct ImportArgs {
    /// The file to import.
    pub file: PathBuf,
    /// Force the format instead of detecting it from the content.
    #[arg(long, value_enum)]
    pub format: Option<ImportFormat>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum ImportFormat {
    /// A Kith JSON archive.
    Json,
}

pub fn run(store: &mut Store, args: ImportArgs, now: DateTime<Utc>) -> Result<(), Error> {
    let ImportArgs { file, format } = args;
    let report = match format {
        None | Some(ImportFormat::Json) => store.import_archive(Archive::read(&file)?, now)?,
    };
    crate::say!("Imported {}: {}", file.display(), report.summary());
    Ok(())
}
