//! How many records one read of a file decodes at most, and the refusal past that: shared
//! by the importers and the archive reader, so that a file of millions of tiny records is
//! refused by count, naming the file and the place, before it is held in memory.

use crate::error::Error;

/// The most records one import decodes (posts, messages, activities, cards, follows,
/// repository blocks, an archive's contacts, interactions and events together). A heavy
/// user's export holds about 200,000 posts and 100,000 contacts or messages.
pub const MAX_RECORDS: usize = 500_000;

/// The refusal for a file holding `held` records (`at_least` when counting stopped early)
/// where `limit` are imported at once. `what` names the records ("tweets", "cards").
pub fn too_many(
    label: &str,
    place: impl Into<String>,
    what: &str,
    held: u64,
    at_least: bool,
    limit: usize,
) -> Error {
    Error::bad_import(
        label,
        place,
        format!(
            "the file holds {}{held} {what}, more than the {limit} records Kith imports at once; split the export into smaller files first",
            if at_least { "at least " } else { "" }
        ),
    )
}
