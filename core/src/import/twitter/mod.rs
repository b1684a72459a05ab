//! The Twitter/X archive: a zip (or its unpacked folder) of `data/*.js` files, each
//! `window.YTD.<name>.part0 = [ ... ]`.
//!
//! - `account.js`: the owner (the user). Everything the owner wrote is outbound.
//! - `tweets.js` (older archives `tweet.js`; big ones split into `tweets-part1.js`…): tweets
//!   that reply to or mention someone become public interactions with those people; reply
//!   chains become one conversation (`thread`). Retweets and tweets naming nobody are skipped.
//! - `direct-messages.js` and `direct-messages-group.js`: every message becomes a private
//!   interaction, inbound or outbound from who sent it, threaded by conversation.
//! - `following.js` and `follower.js`: account ids only. Their names come from mentions and
//!   replies in the same archive where possible; otherwise the contact is
//!   `"unnamed account <id>"`, tagged `unresolved`, and a later import names it.
//!
//! Keys: contacts `twitter:<account id>` (mentions of deleted accounts, which the archive gives
//! the id `-1`, use `twitter:@<screen name>`), tweets `twitter:tweet:<id>`, messages
//! `twitter:dm:<id>`.
//!
//! The import runs in named steps, each in the file of what it reads: the archive's entries
//! and their `window.YTD` layout (`entries.rs`), the owner and the people it names
//! (`accounts.rs`), tweets (`tweets.rs`) and direct messages (`dms.rs`).

mod accounts;
mod dms;
mod entries;
mod tweets;

use super::input::Bundle;
use super::records::{Budget, PartsBudget};
use super::{Batch, Ctx, Parsed};
use crate::error::Result;
use accounts::Directory;
use entries::{data_root, is_part};
use std::borrow::Cow;
use std::path::Path;

pub(crate) fn recognise(bundle: &Bundle) -> bool {
    bundle.names().iter().any(|n| {
        let file = n.rsplit('/').next().unwrap_or(n);
        let in_data = n == &format!("data/{file}") || n.ends_with(&format!("/data/{file}"));
        in_data
            && (matches!(file, "account.js" | "manifest.js")
                || is_part(file, "tweets")
                || is_part(file, "tweet"))
    })
}

pub(crate) fn parse(path: &Path, ctx: &mut Ctx<'_>) -> Result<Parsed> {
    let mut bundle = Bundle::open(path, &ctx.limits)?;
    let root = data_root(&bundle).ok_or_else(|| {
        ctx.bad(
            "the archive's entries",
            "no data/account.js or data/tweets.js: this is not a Twitter/X archive",
        )
    })?;

    // Every list counts against one budget of records, and what they name against one of
    // parts.
    let budget = Budget::new(ctx.limits.max_records);
    let _parts = PartsBudget::new(ctx.limits.max_records);
    let owner = accounts::read_owner(&mut bundle, &root, ctx, &budget)?;
    // Every tweet file is read first: the tweets borrow from their text.
    let tweet_files = tweets::read_files(&mut bundle, &root, ctx)?;
    let tweets = tweets::read(&tweet_files, bundle.label(), ctx, &budget)?;
    let conversations = dms::read(&mut bundle, &root, ctx, &budget)?;
    let following = accounts::read_follows(&mut bundle, &root, "following", &budget)?;
    let followers = accounts::read_follows(&mut bundle, &root, "follower", &budget)?;

    let mut batch = Batch::new(ctx.now);
    note_lists(&bundle, &root, &mut batch);
    let directory = Directory::of(&tweets);
    tweets::import(&tweets, &owner, &directory, bundle.label(), ctx, &mut batch)?;
    dms::import(
        &conversations,
        &owner,
        &directory,
        bundle.label(),
        ctx,
        &mut batch,
    )?;
    accounts::import_follows(
        &following,
        "twitter-following",
        &owner,
        &directory,
        &mut batch,
    );
    accounts::import_follows(
        &followers,
        "twitter-follower",
        &owner,
        &directory,
        &mut batch,
    );
    Ok(batch.finish())
}

/// Lists are not imported: says so when the archive has any.
fn note_lists(bundle: &Bundle, root: &str, batch: &mut Batch) {
    let lists = format!("{root}lists-");
    if bundle.names().iter().any(|n| n.starts_with(&lists)) {
        batch.notes.push(
            "Twitter lists were not imported: the archive lists only their addresses, not their members"
                .into(),
        );
    }
}

/// `s` in lower case, borrowed when it already is (screen names mostly are).
fn lower(s: &str) -> Cow<'_, str> {
    if s.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase()) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.to_lowercase())
    }
}

/// Numeric ids only: the archive writes `-1` for accounts it no longer knows.
fn is_account_id(id: &str) -> bool {
    !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit())
}
