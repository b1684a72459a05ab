//! One sync of one account: read the account and its cursor, fetch what is new (no store
//! lock held meanwhile), then apply it in one write with the new cursor and status.
//!
//! A fetch or an apply that fails is recorded on the account (the error in plain words and
//! its code, one more failure, the next sync after a backoff or the server's wait) and
//! nothing else changes. A cancelled sync writes nothing at all.

use super::registry::AccountView;
use super::schedule::next_after_failure;
use super::secrets::Secrets;
#[cfg(feature = "connect")]
use super::{bluesky, dav, feed, imap, mastodon};
use super::{AccountSettings, FeedOwner, Harvest, ItemKind, Me, Secret, WROTE_TAG};
use crate::domain::{Handle, Interaction, Platform};
use crate::error::{Error, PublicError, Result, SyncProblem};
use crate::handles::normalize_handle;
use crate::import::{Progress, ProgressFn, WRITING_STAGE};
use crate::session::Session;
use crate::store::{AfterSync, Incoming, IncomingPerson, Store, MY_EMAILS_SETTING};
use chrono::{DateTime, Utc};
use serde::Serialize;
use specta::Type;

/// What one sync of one account did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct SyncReport {
    pub name: String,
    /// Interactions added.
    pub added: u32,
    /// Interactions seen before whose text (or people) changed.
    pub updated: u32,
    /// People added to the New people inbox.
    pub new_people: u32,
    /// What the sync said besides its counts, in plain words (a contact's account that
    /// moved, posts left out); also kept on the account until the next sync.
    pub notes: Vec<String>,
    /// Why the sync failed (then nothing was added); also kept on the account.
    pub error: Option<PublicError>,
}

/// Fetches what is new for an account: the account, its secret (for a mailbox), its cursor,
/// who the user is, and a progress callback that answers `false` to stop.
pub type Fetcher<'a> = &'a dyn Fn(
    &AccountView,
    Option<&Secret>,
    Option<&serde_json::Value>,
    &Me,
    ProgressFn<'_>,
) -> Result<Harvest>;

/// Syncs `account` (a name or an id) now, with the real fetchers (IMAP, feeds).
///
/// The password is `password` when given, else the one `secrets` keeps. A failure of the
/// fetch or of the write is recorded on the account and returned in the report's `error`;
/// `Err` is kept for an account that does not exist, a cancelled sync (nothing written) and
/// a store that cannot be read or written.
pub fn sync(
    session: &Session,
    account: &str,
    secrets: &dyn Secrets,
    password: Option<Secret>,
    now: DateTime<Utc>,
    progress: ProgressFn<'_>,
) -> Result<SyncReport> {
    sync_with(session, account, secrets, password, now, progress, &fetch)
}

/// The real fetch: the account's kind decides which fetcher reads it.
pub fn fetch(
    account: &AccountView,
    secret: Option<&Secret>,
    cursor: Option<&serde_json::Value>,
    me: &Me,
    progress: ProgressFn<'_>,
) -> Result<Harvest> {
    #[cfg(feature = "connect")]
    match &account.settings {
        AccountSettings::Imap(settings) => {
            let password = secret.ok_or_else(|| password_needed(&account.name))?;
            imap::fetch(&account.name, settings, password, cursor, me, progress)
        }
        AccountSettings::Feed(settings) => {
            feed::fetch(&account.name, settings, cursor, me, progress)
        }
        AccountSettings::Mastodon(settings) => {
            let token = secret.ok_or_else(|| token_needed(&account.name))?;
            mastodon::fetch(&account.name, settings, token, cursor, progress)
        }
        AccountSettings::Bluesky(settings) => {
            let password = secret.ok_or_else(|| password_needed(&account.name))?;
            bluesky::fetch(&account.name, settings, password, cursor, me, progress)
        }
        // Address books and calendars go both ways: `sync_with` gives them their own path.
        AccountSettings::Carddav(_) | AccountSettings::Caldav(_) => Err(Error::invalid(format!(
            "account {:?} is synced both ways, not fetched",
            account.name
        ))),
    }
    // Built without network code (the fuzz targets are): nothing can be fetched.
    #[cfg(not(feature = "connect"))]
    {
        let _ = (secret, cursor, me, progress);
        Err(Error::sync(
            &account.name,
            SyncProblem::Unreachable,
            "this build of Kith connects to no account",
        ))
    }
}

#[cfg(feature = "connect")]
fn password_needed(name: &str) -> Error {
    Error::sync(
        name,
        SyncProblem::PasswordNeeded,
        "no password is kept for this account; enter it to sync (for the kith command, set \
         KITH_ACCOUNT_PASSWORD or run it in a terminal to be asked)",
    )
}

#[cfg(feature = "connect")]
fn token_needed(name: &str) -> Error {
    Error::sync(
        name,
        SyncProblem::PasswordNeeded,
        "no sign-in is kept for this account; sign in again (remove the account and add it \
         again), or for the kith command set KITH_ACCOUNT_TOKEN",
    )
}

/// [`sync`] with the fetch given: what tests script, and what the real one calls.
pub fn sync_with(
    session: &Session,
    account: &str,
    secrets: &dyn Secrets,
    password: Option<Secret>,
    now: DateTime<Utc>,
    progress: ProgressFn<'_>,
    fetcher: Fetcher<'_>,
) -> Result<SyncReport> {
    let name = account.to_string();
    let (view, my_emails) = session.read(move |s| {
        let view = s.account(&name)?;
        let mine: Vec<String> = s.setting(MY_EMAILS_SETTING)?.unwrap_or_default();
        Ok((view, mine))
    })?;
    let secret = match (&view.settings, password) {
        (_, Some(p)) => Some(p),
        (
            AccountSettings::Imap(_)
            | AccountSettings::Mastodon(_)
            | AccountSettings::Bluesky(_)
            | AccountSettings::Carddav(_)
            | AccountSettings::Caldav(_),
            None,
        ) => match secrets.get(&view.id) {
            Ok(kept) => kept,
            Err(e) => {
                tracing::warn!("the password of {} could not be read: {e}", view.name);
                None
            }
        },
        (AccountSettings::Feed(_), None) => None,
    };
    #[cfg(feature = "connect")]
    if matches!(
        view.settings,
        AccountSettings::Carddav(_) | AccountSettings::Caldav(_)
    ) {
        let done = dav::sync(session, &view, secret.as_ref(), now, &mut *progress)
            .map_err(|e| scrub(e, secret.as_ref()));
        return match done {
            Ok(counts) => Ok(SyncReport {
                name: view.name,
                added: counts.added,
                updated: counts.updated,
                new_people: 0,
                notes: counts.notes,
                error: None,
            }),
            Err(e @ Error::Cancelled(_)) => Err(e),
            Err(
                e @ Error::NotFound {
                    what: "account", ..
                },
            ) => Err(e),
            Err(e) => record_failure(session, &view, e, now),
        };
    }
    let mut me = me_for(&view, &my_emails);
    if matches!(view.settings, AccountSettings::Bluesky(_)) {
        me.contact_handles = session.read(|s| contact_handles(s, Platform::Bluesky))?;
    }

    let fetched = fetcher(
        &view,
        secret.as_ref(),
        view.cursor.as_ref(),
        &me,
        &mut *progress,
    )
    .map_err(|e| scrub(e, secret.as_ref()));
    let harvest = match fetched {
        Ok(h) => h,
        Err(e @ Error::Cancelled(_)) => return Err(e),
        Err(e) => return record_failure(session, &view, e, now),
    };
    let total = harvest.items.len() as u64;
    let go_on = progress(Progress {
        stage: WRITING_STAGE.into(),
        done: 0,
        total: Some(total),
    });
    if !go_on {
        return Err(Error::Cancelled(format!(
            "{}: sync cancelled; nothing was written",
            view.name
        )));
    }

    let owner = match &view.settings {
        AccountSettings::Feed(f) => match &f.owner {
            FeedOwner::Contact(id) => Some(id.clone()),
            FeedOwner::Mine => None,
        },
        AccountSettings::Imap(_)
        | AccountSettings::Mastodon(_)
        | AccountSettings::Bluesky(_)
        | AccountSettings::Carddav(_)
        | AccountSettings::Caldav(_) => None,
    };
    let items: Vec<Incoming> = harvest
        .items
        .into_iter()
        .map(|item| incoming(item, owner.clone()))
        .collect();
    let notes = harvest.notes;
    let after = AfterSync {
        cursor: harvest.cursor.map(|c| c.to_string()),
        notes: notes.clone(),
    };
    let mine: Vec<String> = me
        .emails
        .iter()
        .chain(&me.urls)
        .map(|a| normalize_handle(a))
        .filter(|a| !a.is_empty())
        .collect();
    let id = view.id.clone();
    let applied =
        session.write(move |s| s.apply_sync(&id, items, after, &mine, now, &mut |_, _| true));
    match applied {
        Ok(counts) => {
            progress(Progress {
                stage: WRITING_STAGE.into(),
                done: total,
                total: Some(total),
            });
            Ok(SyncReport {
                name: view.name,
                added: counts.added,
                updated: counts.updated,
                new_people: counts.new_people,
                notes,
                error: None,
            })
        }
        Err(
            e @ Error::NotFound {
                what: "account", ..
            },
        ) => Err(e),
        Err(e) => record_failure(session, &view, scrub(e, secret.as_ref()), now),
    }
}

/// Every handle the contacts have on `platform`.
fn contact_handles(store: &Store, platform: Platform) -> Result<Vec<Handle>> {
    let mut out: Vec<Handle> = Vec::new();
    for c in store.all_contacts()? {
        for h in c.handles {
            if h.platform == platform && !out.contains(&h) {
                out.push(h);
            }
        }
    }
    Ok(out)
}

/// Who the user is for this account: the addresses Kith knows as theirs, the mailbox's own
/// addresses (and its user name when it is an address), and their own blog's address.
pub fn me_for(view: &AccountView, my_emails: &[String]) -> Me {
    let mut me = Me::default();
    let add = |list: &mut Vec<String>, a: &str| {
        let a = a.trim().to_lowercase();
        if !a.is_empty() && !list.contains(&a) {
            list.push(a);
        }
    };
    for a in my_emails {
        add(&mut me.emails, a);
    }
    match &view.settings {
        AccountSettings::Imap(s) => {
            for a in &s.addresses {
                add(&mut me.emails, a);
            }
            if s.user.contains('@') {
                add(&mut me.emails, &s.user);
            }
        }
        AccountSettings::Feed(f) => {
            if f.owner == FeedOwner::Mine {
                add(&mut me.urls, &f.url);
            }
        }
        AccountSettings::Mastodon(_) => {}
        // The user's own DID never appears among a post's people.
        AccountSettings::Bluesky(_) => {}
        AccountSettings::Carddav(_) | AccountSettings::Caldav(_) => {}
    }
    me
}

fn incoming(item: super::Item, owner: Option<String>) -> Incoming {
    let mut tags = item.tags;
    if item.kind == ItemKind::Wrote && !tags.iter().any(|t| t == WROTE_TAG) {
        tags.push(WROTE_TAG.to_string());
    }
    Incoming {
        interaction: Interaction {
            id: item.key,
            contact_ids: Vec::new(),
            channel: item.channel,
            direction: item.direction,
            occurred_at: item.at,
            public: item.public,
            text: cut(item.text),
            thread: item.thread,
            tags,
            moment: None,
        },
        people: item
            .people
            .into_iter()
            .map(|p| IncomingPerson {
                name: p.name,
                handles: p.handles,
                current: p.current,
            })
            .collect(),
        owner,
        bulk: item.bulk,
        seen_in: item.seen_in,
        follow: item.kind == ItemKind::Follow,
    }
}

/// The text cut to the longest Kith stores, at a character boundary: the fetchers cut it
/// already, and one message too long must never hold back every later sync of its account.
fn cut(mut text: String) -> String {
    let max = crate::text_limit::MAX_TEXT_BYTES;
    if text.len() > max {
        let mut end = max;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
    }
    text
}

/// The error with the secret taken out of its message, wherever a server or a library put
/// it.
fn scrub(e: Error, secret: Option<&Secret>) -> Error {
    let Some(secret) = secret.map(Secret::expose).filter(|s| !s.is_empty()) else {
        return e;
    };
    if !e.to_string().contains(secret) {
        return e;
    }
    match e {
        Error::Sync {
            account,
            problem,
            detail,
            retry_at,
        } => Error::Sync {
            account,
            problem,
            detail: detail.replace(secret, "***"),
            retry_at,
        },
        other => Error::invalid(other.to_string().replace(secret, "***")),
    }
}

/// Records a failed sync on the account and answers it as the report's error.
fn record_failure(
    session: &Session,
    view: &AccountView,
    error: Error,
    now: DateTime<Utc>,
) -> Result<SyncReport> {
    let public = error.to_public();
    let next = next_after_failure(now, view.failures + 1, &error);
    let id = view.id.clone();
    let recorded = public.clone();
    session.write(move |s| s.record_sync_failure(&id, &recorded, Some(next)))?;
    Ok(SyncReport {
        name: view.name.clone(),
        added: 0,
        updated: 0,
        new_people: 0,
        notes: Vec::new(),
        error: Some(public),
    })
}
