//! Reading a mailbox over IMAP into a [`Harvest`].
//!
//! A sync logs in, finds the folders to read (the account's, or the inbox and the folder the
//! server marks `\Sent`), and for each asks only for the messages whose UID is above the one
//! the cursor remembers (all of them when the folder's UIDVALIDITY changed). Of each message
//! it reads the whole header and the first 64 KB of the rest: enough for the text Kith keeps,
//! never the attachments. Messages are parsed exactly as the mbox importer parses them, so a
//! message gets the same key (`mail:<Message-ID>`) whether it came from a file or a sync.
//!
//! Nothing is written here: a failure or a cancel anywhere returns an error and no harvest.

mod connect;
mod message;
mod utf7;

use super::{Harvest, ImapSettings, Item, Me, Secret};
use crate::error::{Error, Result, SyncProblem};
use crate::import::{Progress, ProgressFn};
use connect::{short, Explain, Stream};
use mail_parser::MessageParser;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::Duration;

/// How much a sync reads, at most.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Messages in one sync; past it, the oldest are read and the next sync goes on.
    pub max_messages: usize,
    /// Bytes of mail in one sync, likewise.
    pub max_bytes: u64,
    /// How long to wait for the server to connect or answer.
    pub timeout: Duration,
    /// Messages asked for in one FETCH.
    pub batch: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_messages: 20_000,
            max_bytes: 1 << 30,
            timeout: Duration::from_secs(30),
            batch: 200,
        }
    }
}

/// How much of a message's body is fetched: the text Kith keeps is much shorter.
const BODY_BYTES: usize = 65_536;

/// Names mail programs give the sent folder, for a server that does not mark it `\Sent`.
const SENT_NAMES: [&str; 5] = [
    "Sent",
    "Sent Items",
    "Sent Messages",
    "Sent Mail",
    "[Gmail]/Sent Mail",
];

/// Where a folder's next sync starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct FolderCursor {
    uidvalidity: u32,
    last_uid: u32,
}

/// The cursor kept for an IMAP account, by folder name as the server spells it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Cursor {
    folders: BTreeMap<String, FolderCursor>,
    /// Each mailing list's posting address (its `List-Post`) and its id, learned from the
    /// list's mail: the user's copy of a post to the list, in the sent folder, has no
    /// `List-Id`, and a list that does not send the user's own posts back gives no other.
    #[serde(default)]
    lists: BTreeMap<String, String>,
}

/// Fetches the mail that arrived in `settings`' folders since `cursor`.
pub fn fetch(
    name: &str,
    settings: &ImapSettings,
    password: &Secret,
    cursor: Option<&serde_json::Value>,
    me: &Me,
    progress: ProgressFn<'_>,
) -> Result<Harvest> {
    fetch_with(
        name,
        settings,
        password,
        cursor,
        me,
        progress,
        Limits::default(),
    )
}

/// [`fetch`] with other limits than the default ones.
pub fn fetch_with(
    name: &str,
    settings: &ImapSettings,
    password: &Secret,
    cursor: Option<&serde_json::Value>,
    me: &Me,
    progress: ProgressFn<'_>,
    limits: Limits,
) -> Result<Harvest> {
    let x = Explain {
        account: name,
        host: &settings.host,
        timeout: limits.timeout,
    };
    let mut harvest = Harvest::default();
    let mut state: Cursor = match cursor {
        None => Cursor::default(),
        Some(v) => serde_json::from_value(v.clone()).unwrap_or_else(|_| {
            harvest.notes.push(
                "the place the last sync stopped could not be read, so every message was read again (none is stored twice)"
                    .into(),
            );
            Cursor::default()
        }),
    };
    let client = connect::open(&x, settings)?;
    let mut session =
        client
            .login(&settings.user, password.expose())
            .map_err(|(e, _)| match e {
                imap::Error::No(n) => refused_login(&x, settings, &n.information),
                imap::Error::Validate(_) => x.err(
                    SyncProblem::WrongPassword,
                    "the user name or password has a line break in it, which IMAP cannot send",
                ),
                e => x.imap(e),
            })?;
    session.debug = false;

    let mut mine: HashSet<String> = me
        .emails
        .iter()
        .chain(settings.addresses.iter())
        .map(|a| a.trim().trim_start_matches("mailto:").to_lowercase())
        .filter(|a| !a.is_empty())
        .collect();
    if settings.user.contains('@') {
        mine.insert(settings.user.trim().to_lowercase());
    }

    let folders = folders(&x, &mut session, settings, &mut harvest.notes)?;
    let parser = MessageParser::default();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    let mut read = 0usize;
    let mut bytes = 0u64;
    let mut stopped = false;
    for Folder {
        wire,
        shown: folder,
        sent: sent_folder,
    } in folders
    {
        let mailbox = session.examine(&wire).map_err(|e| match e {
            imap::Error::No(n) => x.err(
                SyncProblem::BadResponse,
                format!(
                    "the folder {folder:?} cannot be opened on {}: {}",
                    settings.host,
                    short(&n.information)
                ),
            ),
            e => x.imap(e),
        })?;
        let uidvalidity = mailbox.uid_validity.unwrap_or(0);
        let mut last = match state.folders.get(&wire) {
            Some(c) if c.uidvalidity == uidvalidity => c.last_uid,
            Some(_) => {
                harvest.notes.push(format!(
                    "{folder} on {} was renumbered by the server, so it was read again from the start (no message is stored twice)",
                    settings.host
                ));
                0
            }
            None => 0,
        };
        let mut uids: Vec<u32> = if mailbox.exists == 0 || stopped {
            Vec::new()
        } else {
            // `n:*` always names the last message, even when it is below n: keep only newer.
            let found = session
                .uid_search(format!("UID {}:*", u64::from(last) + 1))
                .map_err(|e| x.imap(e))?;
            found.into_iter().filter(|u| *u > last).collect()
        };
        uids.sort_unstable();
        let room = limits.max_messages.saturating_sub(read);
        if uids.len() > room {
            harvest.notes.push(format!(
                "{folder} has {} new messages; the oldest {room} were read, the next sync reads on",
                uids.len()
            ));
            uids.truncate(room);
            stopped = true;
        }
        let total = uids.len() as u64;
        let stage = format!("reading {folder}");
        let seen_in = format!("{folder} on {}", settings.host);
        let mut done = 0u64;
        for chunk in uids.chunks(limits.batch.max(1)) {
            tick(name, progress, &stage, done, total)?;
            if bytes >= limits.max_bytes {
                harvest.notes.push(format!(
                    "this sync reached its limit of {} MB of mail; the next sync reads on from {folder}",
                    limits.max_bytes >> 20
                ));
                stopped = true;
                break;
            }
            let fetches = session
                .uid_fetch(
                    uid_set(chunk),
                    format!("(UID INTERNALDATE BODY.PEEK[HEADER] BODY.PEEK[TEXT]<0.{BODY_BYTES}>)"),
                )
                .map_err(|e| x.imap(e))?;
            for f in fetches.iter() {
                let Some(uid) = f.uid else { continue };
                if !chunk.contains(&uid) {
                    continue;
                }
                let header = f.header().unwrap_or_default();
                let text = f.text().unwrap_or_default();
                let mut raw = Vec::with_capacity(header.len() + text.len());
                raw.extend_from_slice(header);
                raw.extend_from_slice(text);
                bytes += raw.len() as u64;
                let item = parser.parse(raw.as_slice()).and_then(|msg| {
                    if let (Some(post), Some(list)) =
                        (message::list_post(&msg), message::list_id(&msg))
                    {
                        state.lists.insert(post, list);
                    }
                    let mail = crate::import::mail::read_message(&msg)?;
                    let seen = message::Seen {
                        sent_folder,
                        mine: &mine,
                        seen_in: seen_in.clone(),
                        arrived: f.internal_date().map(|d| d.with_timezone(&chrono::Utc)),
                    };
                    message::item(&msg, mail, &seen)
                });
                match item {
                    Some(item) => add(&mut harvest.items, &mut by_key, item),
                    None => harvest.skipped += 1,
                }
            }
            read += chunk.len();
            done += chunk.len() as u64;
            last = last.max(chunk.last().copied().unwrap_or(last));
        }
        tick(name, progress, &stage, done, total)?;
        state.folders.insert(
            wire,
            FolderCursor {
                uidvalidity,
                last_uid: last,
            },
        );
    }
    let _ = session.logout();
    for item in &mut harvest.items {
        message::through_list(item, &state.lists);
    }
    harvest.cursor = Some(serde_json::to_value(&state).map_err(|e| {
        x.err(
            SyncProblem::BadResponse,
            format!("the sync's place could not be written down: {e}"),
        )
    })?);
    Ok(harvest)
}

/// Why a server said NO to LOGIN: most often the password, but a server that is busy, or
/// limits how often one may log in, says so in its words (RFC 5530 codes, or plain text).
fn refused_login(x: &Explain<'_>, settings: &ImapSettings, said: &str) -> Error {
    let lower = said.to_ascii_lowercase();
    let host = &settings.host;
    // Whole phrases: "rate" alone is in "generate an app password".
    if [
        "too many",
        "rate limit",
        "rate-limit",
        "[limit]",
        "slow down",
        "throttl",
    ]
    .iter()
    .any(|w| lower.contains(w))
    {
        return x.err(
            SyncProblem::RateLimited,
            format!(
                "{host} refuses more logins for now ({}); the next sync will try again later",
                short(said)
            ),
        );
    }
    if ["unavailable", "try again later", "temporary", "temporarily"]
        .iter()
        .any(|w| lower.contains(w))
    {
        return x.err(
            SyncProblem::Unreachable,
            format!(
                "{host} cannot log anyone in just now ({}); the next sync will try again",
                short(said)
            ),
        );
    }
    x.err(
        SyncProblem::WrongPassword,
        format!(
            "{host} refused the user name or password for {}; check them and try again",
            settings.user
        ),
    )
}

/// Reports progress; `Err(Cancelled)` when the person stopped the sync.
fn tick(name: &str, progress: ProgressFn<'_>, stage: &str, done: u64, total: u64) -> Result<()> {
    let go_on = progress(Progress {
        stage: stage.to_string(),
        done,
        total: Some(total),
    });
    if go_on {
        Ok(())
    } else {
        Err(Error::Cancelled(format!(
            "{name}: sync cancelled; nothing was changed"
        )))
    }
}

/// Adds an item, or folds it into the copy of the same message already read in another folder.
fn add(items: &mut Vec<Item>, by_key: &mut HashMap<String, usize>, item: Item) {
    match by_key.get(&item.key) {
        Some(&i) => message::merge(&mut items[i], item),
        None => {
            by_key.insert(item.key.clone(), items.len());
            items.push(item);
        }
    }
}

/// A UID set for a command: `3:7,9,12:13`, from UIDs in ascending order.
fn uid_set(uids: &[u32]) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < uids.len() {
        let start = uids[i];
        let mut end = start;
        while i + 1 < uids.len() && uids[i + 1] == end + 1 {
            i += 1;
            end = uids[i];
        }
        if !out.is_empty() {
            out.push(',');
        }
        if start == end {
            out.push_str(&start.to_string());
        } else {
            out.push_str(&format!("{start}:{end}"));
        }
        i += 1;
    }
    out
}

/// A folder to read.
struct Folder {
    /// Its name as the server spells it (modified UTF-7), for commands and the cursor.
    wire: String,
    /// Its name as people read it.
    shown: String,
    /// It is the sent folder: everything in it was sent by the user.
    sent: bool,
}

/// The folders to read: the account's own list, or the inbox and the folder the server marks
/// `\Sent` (else one with a usual sent name).
fn folders(
    x: &Explain<'_>,
    session: &mut imap::Session<Stream>,
    settings: &ImapSettings,
    notes: &mut Vec<String>,
) -> Result<Vec<Folder>> {
    let names = session.list(Some(""), Some("*")).map_err(|e| x.imap(e))?;
    let listed: Vec<Folder> = names
        .iter()
        .map(|n| Folder {
            wire: n.name().to_string(),
            shown: utf7::decode(n.name()),
            sent: n
                .attributes()
                .iter()
                .any(|a| matches!(a, imap_proto::types::NameAttribute::Sent)),
        })
        .collect();
    let by_name = |name: &str| -> Option<&Folder> {
        listed
            .iter()
            .find(|f| f.shown == name || f.wire == name)
            .or_else(|| listed.iter().find(|f| f.shown.eq_ignore_ascii_case(name)))
    };
    let common_sent = |name: &str| {
        SENT_NAMES.iter().any(|s| {
            name.eq_ignore_ascii_case(s)
                || name.strip_prefix("INBOX").is_some_and(|rest| {
                    // After the hierarchy delimiter: "INBOX.Sent", "INBOX/Sent Items".
                    let mut chars = rest.chars();
                    chars.next().is_some() && chars.as_str().eq_ignore_ascii_case(s)
                })
        })
    };
    if !settings.folders.is_empty() {
        return Ok(settings
            .folders
            .iter()
            .map(|f| match by_name(f) {
                Some(l) => Folder {
                    wire: l.wire.clone(),
                    shown: l.shown.clone(),
                    sent: l.sent || common_sent(&l.shown),
                },
                None => Folder {
                    wire: utf7::encode(f),
                    shown: f.clone(),
                    sent: common_sent(f),
                },
            })
            .collect());
    }
    let mut out = vec![Folder {
        wire: "INBOX".into(),
        shown: "INBOX".into(),
        sent: false,
    }];
    let sent = listed.iter().find(|f| f.sent).or_else(|| {
        SENT_NAMES
            .iter()
            .find_map(|s| by_name(s))
            .or_else(|| listed.iter().find(|f| common_sent(&f.shown)))
    });
    match sent {
        Some(f) if !f.wire.eq_ignore_ascii_case("INBOX") => out.push(Folder {
            wire: f.wire.clone(),
            shown: f.shown.clone(),
            sent: true,
        }),
        _ => notes.push(format!(
            "no sent folder was found on {}, so only the inbox was read; name it with --folder",
            settings.host
        )),
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uid_sets_join_runs() {
        assert_eq!(uid_set(&[1, 2, 3, 5, 7, 8]), "1:3,5,7:8");
        assert_eq!(uid_set(&[42]), "42");
        assert_eq!(uid_set(&[]), "");
    }
}
