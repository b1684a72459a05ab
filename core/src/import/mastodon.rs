//! The Mastodon archive: a zip with `outbox.json` (an ActivityStreams OrderedCollection of the
//! user's activities) and `actor.json` (the user). The follows and lists CSV files, which
//! Mastodon offers as separate downloads, are read when they are in the zip, and can be
//! imported on their own.
//!
//! - A `Create` of a `Note` that mentions someone becomes an outbound interaction with them,
//!   public unless it was addressed only to the people mentioned (a direct message). Replies
//!   chain into one conversation (`thread`). Posts mentioning nobody are skipped.
//! - Boosts (`Announce`) are skipped: they carry only the boosted post's address.
//! - `follows.csv` / `following_accounts.csv`: followed accounts become contacts tagged
//!   `mastodon-following`; `lists.csv` (`list title,user@host`) adds the list title as a tag.
//!
//! Keys: contacts `mastodon:<user@host>` (lower case), posts `mastodon:status:<activity id>`.

use super::input::Bundle;
use super::text::html_to_text;
use super::threads::resolve_roots;
use super::{Batch, Ctx, Parsed, Participants};
use crate::domain::*;
use crate::error::{Error, Result};
use serde::Deserialize;
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::path::Path;

const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

pub(crate) fn recognise(bundle: &Bundle) -> bool {
    bundle
        .names()
        .iter()
        .any(|n| n == "outbox.json" || n == "actor.json")
}

#[derive(Deserialize)]
struct Outbox {
    #[serde(rename = "orderedItems", default)]
    ordered_items: Vec<Value>,
}

#[derive(Deserialize)]
struct Note {
    id: String,
    #[serde(default)]
    published: Option<String>,
    #[serde(default)]
    content: Option<String>,
    #[serde(rename = "inReplyTo", default)]
    in_reply_to: Option<String>,
    #[serde(default)]
    to: OneOrMany,
    #[serde(default)]
    cc: OneOrMany,
    #[serde(default)]
    tag: Vec<Value>,
}

#[derive(Deserialize, Default)]
#[serde(untagged)]
enum OneOrMany {
    #[default]
    None,
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn contains(&self, s: &str) -> bool {
        match self {
            OneOrMany::None => false,
            OneOrMany::One(x) => x == s,
            OneOrMany::Many(v) => v.iter().any(|x| x == s),
        }
    }
}

pub(crate) fn parse(path: &Path, ctx: &mut Ctx<'_>) -> Result<Parsed> {
    if !path.is_dir() && !super::input::read_head(path, 4)?.starts_with(b"PK") {
        let text = super::input::read_text_file(path, ctx)?;
        return parse_csv(&text, ctx);
    }
    let mut bundle = Bundle::open(path, &ctx.limits)?;
    // A forced format must still find something of its own: another platform's archive is
    // refused, not read as an empty Mastodon one.
    let ours = bundle.names().iter().any(|n| {
        let file = n.rsplit('/').next().unwrap_or(n);
        file == "outbox.json" || file == "actor.json" || file.ends_with(".csv")
    });
    if !ours {
        return Err(ctx.bad(
            "the archive's entries",
            "no outbox.json, actor.json or follows/lists CSV: this is not a Mastodon archive",
        ));
    }
    let mut batch = Batch::new(ctx.now);
    let owner = match bundle.find("actor.json").first() {
        Some(entry) => {
            let entry = entry.clone();
            let text = bundle.read_text(&entry)?;
            let actor: Value = json(&text, &entry, bundle.label())?;
            let id = actor.get("id").and_then(Value::as_str).unwrap_or("");
            let user = actor
                .get("preferredUsername")
                .and_then(Value::as_str)
                .unwrap_or("");
            Some((id.to_string(), user.to_lowercase(), host_of(id)))
        }
        None => None,
    };
    let (owner_id, owner_acct, owner_host) = match &owner {
        Some((id, user, host)) => (id.clone(), format!("{user}@{host}"), host.clone()),
        None => (String::new(), String::new(), String::new()),
    };

    if let Some(entry) = bundle.find("outbox.json").first().cloned() {
        ctx.tick("reading posts", 0, None)?;
        let text = bundle.read_text(&entry)?;
        let outbox: Outbox = typed(&text, &entry, bundle.label())?;
        let mut notes: Vec<(usize, Note)> = Vec::new();
        for (n, item) in outbox.ordered_items.iter().enumerate() {
            let kind = item.get("type").and_then(Value::as_str).unwrap_or("");
            match kind {
                "Create" => {
                    let Some(object) = item.get("object") else {
                        return Err(Error::bad_import(
                            bundle.label(),
                            format!("zip entry {entry:?}: orderedItems[{n}]"),
                            "a Create activity without an object",
                        ));
                    };
                    if object.get("type").and_then(Value::as_str) != Some("Note") {
                        batch.skipped += 1;
                        continue;
                    }
                    let note: Note = serde_path_to_error::deserialize(object).map_err(|e| {
                        Error::bad_import(
                            bundle.label(),
                            format!("zip entry {entry:?}: orderedItems[{n}].object.{}", e.path()),
                            e.into_inner().to_string(),
                        )
                    })?;
                    let published = item.get("published").and_then(Value::as_str);
                    let mut note = note;
                    if note.published.is_none() {
                        note.published = published.map(str::to_string);
                    }
                    notes.push((n, note));
                }
                _ => batch.skipped += 1,
            }
        }
        // Each reply's root, the first post of its chain; the roots are the posts that
        // start a chain.
        let mut root_of: HashMap<&str, &str> = notes
            .iter()
            .filter_map(|(_, n)| n.in_reply_to.as_deref().map(|p| (n.id.as_str(), p)))
            .collect();
        resolve_roots(&mut root_of);
        let has_replies: HashSet<&str> = root_of.values().copied().collect();
        let total = notes.len() as u64;
        for (i, (n, note)) in notes.iter().enumerate() {
            ctx.tick_every("importing posts", i as u64, Some(total))?;
            let place = format!("zip entry {entry:?}: orderedItems[{n}].object");
            let mut people = Participants::default();
            for (t, tag) in note.tag.iter().enumerate() {
                if tag.get("type").and_then(Value::as_str) != Some("Mention") {
                    continue;
                }
                let name = tag.get("name").and_then(Value::as_str).unwrap_or("");
                let href = tag.get("href").and_then(Value::as_str).unwrap_or("");
                if href == owner_id && !owner_id.is_empty() {
                    continue;
                }
                let Some(acct) = acct_of(name, href, &owner_host) else {
                    return Err(Error::bad_import(
                        bundle.label(),
                        format!("{place}.tag[{t}]"),
                        format!("a mention without a usable account name ({name:?})"),
                    ));
                };
                if acct == owner_acct {
                    continue;
                }
                people.add(&account(&mut batch, &acct));
            }
            if people.is_empty() {
                batch.skipped += 1;
                continue;
            }
            let at = note
                .published
                .as_deref()
                .ok_or_else(|| {
                    Error::bad_import(
                        bundle.label(),
                        format!("{place}.published"),
                        "the post has no date",
                    )
                })
                .and_then(|p| {
                    crate::archive::parse_datetime(p).map_err(|m| {
                        Error::bad_import(bundle.label(), format!("{place}.published"), m)
                    })
                })?;
            let public = note.to.contains(PUBLIC) || note.cc.contains(PUBLIC);
            let thread = if note.in_reply_to.is_some() || has_replies.contains(note.id.as_str()) {
                let root = root_of
                    .get(note.id.as_str())
                    .copied()
                    .unwrap_or(note.id.as_str());
                Some(format!("mastodon:thread:{root}"))
            } else {
                None
            };
            let tags = note
                .tag
                .iter()
                .filter(|t| t.get("type").and_then(Value::as_str) == Some("Hashtag"))
                .filter_map(|t| t.get("name").and_then(Value::as_str))
                .map(|n| format!("#{}", n.trim_start_matches('#')))
                .collect();
            batch.interaction(Interaction {
                id: format!("mastodon:status:{}", note.id),
                contact_ids: people.into_keys(),
                channel: Channel::Mastodon,
                direction: Direction::Outbound,
                occurred_at: at,
                public,
                text: html_to_text(note.content.as_deref().unwrap_or("")),
                thread,
                tags,
                moment: None,
            });
        }
    }

    let csvs: Vec<String> = bundle
        .names()
        .iter()
        .filter(|n| n.ends_with(".csv"))
        .cloned()
        .collect();
    for entry in csvs {
        let text = bundle.read_text(&entry)?;
        let file = entry.rsplit('/').next().unwrap_or(&entry);
        if file.starts_with("follow") || text.starts_with("Account address") {
            read_follows(&text, &entry, bundle.label(), &mut batch)?;
        } else if file.starts_with("lists") {
            read_lists(&text, &entry, bundle.label(), &mut batch)?;
        }
    }
    Ok(batch.finish())
}

/// A standalone `follows.csv` or `lists.csv`.
pub(crate) fn parse_csv(text: &str, ctx: &mut Ctx<'_>) -> Result<Parsed> {
    let mut batch = Batch::new(ctx.now);
    let label = ctx.label.clone();
    if text.trim_start().starts_with("Account address") {
        read_follows(text, "", &label, &mut batch)?;
    } else {
        read_lists(text, "", &label, &mut batch)?;
    }
    Ok(batch.finish())
}

fn read_follows(text: &str, entry: &str, label: &str, batch: &mut Batch) -> Result<()> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    for (n, row) in reader.records().enumerate() {
        let row = row.map_err(|e| csv_error(label, entry, n + 2, e))?;
        let address = row.get(0).unwrap_or("").trim();
        if address.is_empty() {
            continue;
        }
        let acct = normal_acct(address).ok_or_else(|| {
            Error::bad_import(
                label,
                place(entry, n + 2),
                format!("{address:?} is not a Mastodon address (user@host)"),
            )
        })?;
        let key = account(batch, &acct);
        if let Some(mut c) = batch.get_mut(&key) {
            c.add_tag("mastodon-following");
        }
    }
    Ok(())
}

fn read_lists(text: &str, entry: &str, label: &str, batch: &mut Batch) -> Result<()> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    for (n, row) in reader.records().enumerate() {
        let row = row.map_err(|e| csv_error(label, entry, n + 1, e))?;
        let (Some(list), Some(address)) = (row.get(0), row.get(1)) else {
            continue;
        };
        let acct = normal_acct(address.trim()).ok_or_else(|| {
            Error::bad_import(
                label,
                place(entry, n + 1),
                format!("{address:?} is not a Mastodon address (user@host)"),
            )
        })?;
        let key = account(batch, &acct);
        if let Some(mut c) = batch.get_mut(&key) {
            c.add_tag(list);
        }
    }
    Ok(())
}

fn place(entry: &str, line: usize) -> String {
    if entry.is_empty() {
        format!("line {line}")
    } else {
        format!("zip entry {entry:?}: line {line}")
    }
}

fn csv_error(label: &str, entry: &str, line: usize, e: csv::Error) -> Error {
    let line = e.position().map(|p| p.line() as usize).unwrap_or(line);
    Error::bad_import(label, place(entry, line), format!("unreadable CSV: {e}"))
}

/// The contact for `user@host`.
fn account(batch: &mut Batch, acct: &str) -> String {
    let key = format!("mastodon:{acct}");
    if !batch.has_contact(&key) {
        batch
            .contact(&key, &format!("@{acct}"))
            .add_handle(Platform::Mastodon, &format!("@{acct}"));
    }
    key
}

/// `user@host` in lower case from `@user@host`, `user@host` or a profile URL.
fn normal_acct(s: &str) -> Option<String> {
    let s = s.trim().trim_start_matches('@');
    let (user, host) = s.split_once('@')?;
    if user.is_empty()
        || host.is_empty()
        || host.contains(['/', '@', ' '])
        || user.contains(['/', ' '])
    {
        return None;
    }
    Some(format!("{}@{}", user.to_lowercase(), host.to_lowercase()))
}

/// The account a mention names: `@user@host`, or `@user` on the owner's server, or the
/// mention's profile address.
fn acct_of(name: &str, href: &str, owner_host: &str) -> Option<String> {
    if let Some(a) = normal_acct(name) {
        return Some(a);
    }
    let user = name.trim().trim_start_matches('@');
    if !user.is_empty() && !user.contains(['@', '/', ' ']) {
        let host = if href.is_empty() {
            owner_host.to_string()
        } else {
            host_of(href)
        };
        if !host.is_empty() {
            return Some(format!("{}@{host}", user.to_lowercase()));
        }
    }
    // https://host/users/name or https://host/@name
    let host = host_of(href);
    let last = href
        .trim_end_matches('/')
        .rsplit('/')
        .next()?
        .trim_start_matches('@');
    if host.is_empty() || last.is_empty() {
        return None;
    }
    Some(format!("{}@{host}", last.to_lowercase()))
}

fn host_of(url: &str) -> String {
    url.split_once("://")
        .map(|(_, rest)| rest.split('/').next().unwrap_or("").to_lowercase())
        .unwrap_or_default()
}

fn json(text: &str, entry: &str, label: &str) -> Result<Value> {
    typed(text, entry, label)
}

fn typed<T: serde::de::DeserializeOwned>(text: &str, entry: &str, label: &str) -> Result<T> {
    let de = &mut serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let at = format!("line {}, column {}", inner.line(), inner.column());
        let place = if path.is_empty() || path == "." {
            format!("zip entry {entry:?}: {at}")
        } else {
            format!("zip entry {entry:?}: {path} ({at})")
        };
        let message = inner.to_string();
        let message = message
            .rsplit_once(" at line ")
            .map(|(m, _)| m.to_string())
            .unwrap_or(message);
        Error::bad_import(label, place, message)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mention_accounts() {
        assert_eq!(
            acct_of("@Bob@Example.social", "", "h").as_deref(),
            Some("bob@example.social")
        );
        assert_eq!(
            acct_of("@ann", "https://glammr.us/users/ann", "x").as_deref(),
            Some("ann@glammr.us")
        );
        assert_eq!(
            acct_of("", "https://a.b/@cat", "x").as_deref(),
            Some("cat@a.b")
        );
        assert_eq!(acct_of("", "", ""), None);
        assert_eq!(normal_acct("not an address"), None);
    }
}
