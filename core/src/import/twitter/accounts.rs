//! The archive's owner (`account.js`) and the people it names: who each account is, from
//! mentions and replies, and the accounts followed and following (`following.js`,
//! `follower.js`), which give ids only.

use super::entries::{files_like, read_items};
use super::tweets::Tweet;
use super::{is_account_id, lower};
use crate::domain::Platform;
use crate::error::Result;
use crate::import::input::Bundle;
use crate::import::records::Budget;
use crate::import::{unnamed, Batch, Ctx, UNRESOLVED_TAG};
use serde::Deserialize;
use std::borrow::Cow;
use std::collections::HashMap;

#[derive(Deserialize)]
struct Account {
    #[serde(rename = "accountId")]
    account_id: String,
    #[serde(default)]
    username: String,
}

#[derive(Deserialize)]
pub(super) struct FollowEntry {
    #[serde(rename = "accountId")]
    account_id: String,
}

/// Who an account is, as far as the archive says.
#[derive(Default, Clone)]
pub(super) struct Known {
    screen_name: Option<String>,
    name: Option<String>,
}

/// The archive's owner: the user.
pub(super) struct Owner {
    pub(super) id: String,
    pub(super) screen_name: String,
}

/// Reads the owner from `account.js`, which every archive has: without it Kith cannot tell
/// which messages are the user's.
pub(super) fn read_owner(
    bundle: &mut Bundle,
    root: &str,
    ctx: &mut Ctx<'_>,
    budget: &Budget,
) -> Result<Owner> {
    ctx.tick("reading the account", 0, None)?;
    let account_entry = format!("{root}account.js");
    if !bundle.names().contains(&account_entry) {
        return Err(ctx.bad(
            format!("zip entry {account_entry:?}"),
            "the archive has no account.js, so Kith cannot tell which messages are yours; is this the whole archive?",
        ));
    }
    let accounts: Vec<Account> = read_items(bundle, &account_entry, "account", budget)?;
    accounts
        .into_iter()
        .next()
        .map(|a| Owner {
            id: a.account_id,
            screen_name: a.username.to_lowercase(),
        })
        .ok_or_else(|| {
            ctx.bad(
                format!("zip entry {account_entry:?}"),
                "account.js lists no account",
            )
        })
}

/// The accounts of every `<base>.js` part (`following`, `follower`).
pub(super) fn read_follows(
    bundle: &mut Bundle,
    root: &str,
    base: &str,
    budget: &Budget,
) -> Result<Vec<FollowEntry>> {
    let mut all = Vec::new();
    for entry in files_like(bundle, root, base) {
        all.extend(read_items::<FollowEntry>(bundle, &entry, base, budget)?);
    }
    Ok(all)
}

/// Who is who, as far as the archive's tweets say: names and screen names from mentions and
/// replies, and the account id behind each screen name.
#[derive(Default)]
pub(super) struct Directory<'t> {
    known: HashMap<&'t str, Known>,
    id_of_screen_name: HashMap<Cow<'t, str>, &'t str>,
}

impl<'t> Directory<'t> {
    pub(super) fn of(tweets: &'t [(&'t str, Tweet<'t>)]) -> Directory<'t> {
        let mut known: HashMap<&str, Known> = HashMap::new();
        let mut id_of_screen_name: HashMap<Cow<'_, str>, &str> = HashMap::new();
        for (_, t) in tweets {
            for m in t.entities.user_mentions.iter() {
                if let Some(id) = m.id_str.as_deref().filter(|id| is_account_id(id)) {
                    let k = known.entry(id).or_default();
                    if k.screen_name.is_none() && !m.screen_name.is_empty() {
                        k.screen_name = Some(m.screen_name.to_string());
                    }
                    if k.name.is_none() {
                        k.name = m
                            .name
                            .as_deref()
                            .filter(|n| !n.trim().is_empty())
                            .map(str::to_string);
                    }
                    if !m.screen_name.is_empty() {
                        id_of_screen_name.entry(lower(&m.screen_name)).or_insert(id);
                    }
                }
            }
            if let (Some(id), Some(sn)) = (
                t.in_reply_to_user_id_str
                    .as_deref()
                    .filter(|id| is_account_id(id)),
                t.in_reply_to_screen_name
                    .as_deref()
                    .filter(|s| !s.is_empty()),
            ) {
                let k = known.entry(id).or_default();
                if k.screen_name.is_none() {
                    k.screen_name = Some(sn.to_string());
                }
                id_of_screen_name.entry(lower(sn)).or_insert(id);
            }
        }
        Directory {
            known,
            id_of_screen_name,
        }
    }

    /// The account id a (lower-case) screen name was seen with.
    pub(super) fn id_of(&self, screen_name: &str) -> Option<&'t str> {
        self.id_of_screen_name.get(screen_name).copied()
    }

    /// The contact for account `id`; see [`person`].
    pub(super) fn person(&self, batch: &mut Batch, id: &str, tag: Option<&str>) -> String {
        person(batch, &self.known, id, tag)
    }
}

/// Everyone the owner follows or is followed by, as a contact tagged `tag`.
pub(super) fn import_follows(
    follows: &[FollowEntry],
    tag: &str,
    owner: &Owner,
    directory: &Directory<'_>,
    batch: &mut Batch,
) {
    for f in follows {
        if is_account_id(&f.account_id) && f.account_id != owner.id {
            directory.person(batch, &f.account_id, Some(tag));
        }
    }
}

/// The contact for account `id`, created from what the archive knows about it.
fn person(batch: &mut Batch, known: &HashMap<&str, Known>, id: &str, tag: Option<&str>) -> String {
    let key = format!("twitter:{id}");
    if !batch.has_contact(&key) {
        let k = known.get(id).cloned().unwrap_or_default();
        let name = match (&k.name, &k.screen_name) {
            (Some(n), _) => n.clone(),
            (None, Some(sn)) => format!("@{sn}"),
            (None, None) => unnamed(id),
        };
        let mut c = batch.contact(&key, &name);
        match &k.screen_name {
            Some(sn) => c.add_handle(Platform::Twitter, &format!("@{sn}")),
            None => c.add_tag(UNRESOLVED_TAG),
        }
    }
    if let (Some(tag), Some(mut c)) = (tag, batch.get_mut(&key)) {
        c.add_tag(tag);
    }
    key
}
