//! Files the fuzz targets (fuzz/) found that once crashed an importer, imported here so they
//! never do again. Each must import cleanly or be refused with a bad-import error naming the
//! file, and a refusal must leave the store as it was.

#[path = "import_support.rs"]
mod support;

use kith_core::import::{Format, ImportOptions};
use kith_core::Store;
use std::path::{Path, PathBuf};
use support::*;

fn fuzzed(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/fuzz")
        .join(name)
}

/// A message/rfc822 part inside another, cut short by its parent's closing boundary: tripped a
/// debug assertion in the mail parser, so debug builds of the app and the CLI panicked.
#[test]
fn a_message_part_ended_by_its_parents_boundary() {
    let path = fuzzed("eml-rfc822-part-ended-by-parent-boundary.eml");
    let mut store = Store::open_in_memory().unwrap();
    let before = snapshot(&store);
    let options = ImportOptions {
        format: Some(Format::Eml),
        my_emails: vec!["me@example.net".into()],
        ..ImportOptions::default()
    };
    let outcome = import_with(&mut store, &path, &options).unwrap();
    // No sender, date or message id: nothing to log, and nothing invented.
    assert_eq!(outcome.skipped, 1, "{outcome:?}");
    assert_eq!(outcome.report.contacts_added, 0);
    assert_eq!(outcome.report.interactions_added, 0);
    assert_eq!(snapshot(&store), before);
}
