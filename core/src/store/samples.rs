//! Loading the sample network (`kith demo`) and generated networks (`kith demo --size`).

use super::{ImportReport, Store};
use crate::demo::sample_network;
use crate::error::Result;
use crate::synth::{SynthNetwork, CONTACT_PREFIX};
use chrono::{DateTime, Utc};

impl Store {
    /// Whether the sample network has been loaded into this store.
    pub fn has_demo(&self) -> Result<bool> {
        Ok(self
            .find_contacts_by_name("sample-c1")?
            .iter()
            .any(|(id, _)| id == "sample-c1"))
    }

    /// Loads the sample network. Returns what was added; loading it twice adds nothing.
    pub fn load_demo(&mut self, now: DateTime<Utc>) -> Result<ImportReport> {
        self.import_records(sample_network(now), "sample network", now)
    }
}

impl Store {
    /// Whether a generated network has been loaded into this store.
    pub fn has_synth(&self) -> Result<bool> {
        Ok(self.connection().query_row(
            "SELECT EXISTS (SELECT 1 FROM contacts WHERE key = ?1)",
            [format!("{CONTACT_PREFIX}{:06}", 0)],
            |r| r.get(0),
        )?)
    }

    /// Stores a generated network in one transaction, all or nothing, like any import;
    /// loading the same network twice adds nothing.
    pub fn load_synth(&mut self, net: SynthNetwork, now: DateTime<Utc>) -> Result<ImportReport> {
        self.import_records(net.into(), "generated network", now)
    }
}
