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
use super::lenient::{self, AnyStr};
use super::records::{self, Budget, CappedList, Parts, PartsBudget};
use super::text::html_to_text;
use super::threads::resolve_roots;
use super::{Batch, Ctx, Parsed, Participants};
use crate::domain::*;
use crate::error::{Error, Result};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use std::path::Path;

const GZIP: &[u8] = b"\x1f\x8b";

const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

pub(crate) fn recognise(bundle: &Bundle) -> bool {
    !bundle.find("outbox.json").is_empty() || !bundle.find("actor.json").is_empty()
}

/// The posts of `outbox.json`.
///
/// Mastodon 4.3 writes the key `orderedItems` twice (first an empty list, then the posts;
/// mastodon/mastodon#31091), which a strict reader refuses. Kith keeps the longer of the two
/// lists, and the later one when they are equally long: that is the list a browser's
/// `JSON.parse` keeps too, as the posts come last. Two different lists of posts are no
/// known writer's output and are refused: which one is the archive cannot be told.
///
/// Each activity is decoded on its own as it is read ([`Activity`]), and counts against the
/// import's record budget: the outbox is never held as `serde_json::Value`s, which take ten
/// times the memory of its text.
struct Outbox {
    ordered_items: Vec<Activity>,
}

/// What the import needs of one activity of the outbox.
#[derive(PartialEq)]
struct Activity {
    actor: Option<String>,
    kind: ActivityKind,
}

#[derive(PartialEq)]
enum ActivityKind {
    /// A `Create` of a `Note`, its date taken from the activity when the note has none.
    Note(Box<Note>),
    /// Anything else: a boost, a `Create` of something other than a note.
    Other,
    /// A mistake: `(path after orderedItems[n], message)`, reported in file order.
    Bad(String, String),
}

impl<'de> Deserialize<'de> for Activity {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Activity;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an activity")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<Activity, A::Error> {
                let (mut kind, mut actor, mut published) = (None, None, None);
                let mut object: Option<&'de serde_json::value::RawValue> = None;
                while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                    match key.as_ref() {
                        "type" => kind = map.next_value::<AnyStr>()?.0,
                        "actor" => actor = map.next_value::<AnyStr>()?.0,
                        "published" => published = map.next_value::<AnyStr>()?.0,
                        "object" => object = Some(map.next_value()?),
                        _ => {
                            map.next_value::<serde::de::IgnoredAny>()?;
                        }
                    }
                }
                let kind = match (kind.as_deref(), object) {
                    (Some("Create"), None) => ActivityKind::Bad(
                        String::new(),
                        "a Create activity without an object".into(),
                    ),
                    (Some("Create"), Some(object)) => note_of(object.get(), published)
                        .ok_or_else(|| serde::de::Error::custom(records::OVER))?,
                    _ => ActivityKind::Other,
                };
                Ok(Activity { actor, kind })
            }
        }
        let other = || Activity {
            actor: None,
            kind: ActivityKind::Other,
        };
        d.deserialize_any(lenient::OrElse(V, other))
    }
}

/// The note a `Create` activity's object (its JSON text) is, if it is one; `None` when the
/// import's parts ran out.
fn note_of(object: &str, published: Option<String>) -> Option<ActivityKind> {
    let [kind] = lenient::fields(object, ["type"]).unwrap_or_default();
    if kind.as_deref() != Some("Note") {
        return Some(ActivityKind::Other);
    }
    let mut de = serde_json::Deserializer::from_str(object);
    match serde_path_to_error::deserialize::<_, Note>(&mut de) {
        Ok(mut note) => {
            if note.published.is_none() {
                note.published = published;
            }
            Some(ActivityKind::Note(Box::new(note)))
        }
        Err(_) if records::parts_over() => None,
        Err(e) => Some(ActivityKind::Bad(
            format!(".object.{}", e.path()),
            lenient::message(e.inner()),
        )),
    }
}

/// A note's tag: a mention or a hashtag. Anything that is not an object is a tag of no kind.
#[derive(Default, PartialEq)]
struct Tag {
    kind: Option<String>,
    name: Option<String>,
    href: Option<String>,
}

impl<'de> Deserialize<'de> for Tag {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Tag;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a tag")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<Tag, A::Error> {
                let mut tag = Tag::default();
                while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                    match key.as_ref() {
                        "type" => tag.kind = map.next_value::<AnyStr>()?.0,
                        "name" => tag.name = map.next_value::<AnyStr>()?.0,
                        "href" => tag.href = map.next_value::<AnyStr>()?.0,
                        _ => {
                            map.next_value::<serde::de::IgnoredAny>()?;
                        }
                    }
                }
                Ok(tag)
            }
        }
        d.deserialize_any(lenient::OrElse(V, Tag::default))
    }
}

/// Reads an [`Outbox`], counting its activities against `budget`.
#[derive(Clone, Copy)]
struct OutboxSeed<'b> {
    budget: &'b Budget,
}

impl<'de> serde::de::DeserializeSeed<'de> for OutboxSeed<'_> {
    type Value = Outbox;
    fn deserialize<D: serde::Deserializer<'de>>(
        self,
        d: D,
    ) -> std::result::Result<Outbox, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> serde::de::Visitor<'de> for OutboxSeed<'_> {
    type Value = Outbox;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an OrderedCollection object")
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<Outbox, A::Error> {
        let mut items: Option<Vec<Activity>> = None;
        while let Some(key) = map.next_key::<String>()? {
            if key == "orderedItems" {
                // A second list is counted afresh: only one of the two is kept.
                let before = self.budget.mark();
                let list: Vec<Activity> = map.next_value_seed(CappedList {
                    seed: std::marker::PhantomData::<Activity>,
                    budget: self.budget,
                })?;
                if let Some(old) = &items {
                    if !old.is_empty() && !list.is_empty() && *old != list {
                        return Err(serde::de::Error::custom(
                            "the key orderedItems appears twice, with different posts in each; Kith cannot tell which list is the archive's",
                        ));
                    }
                }
                if items.as_ref().is_none_or(|old| list.len() >= old.len()) {
                    self.budget.reset(
                        before.saturating_sub(items.as_ref().map_or(0, Vec::len)) + list.len(),
                    );
                    items = Some(list);
                } else {
                    self.budget.reset(before);
                }
            } else {
                map.next_value::<serde::de::IgnoredAny>()?;
            }
        }
        Ok(Outbox {
            ordered_items: items.unwrap_or_default(),
        })
    }
}

#[derive(Deserialize, PartialEq)]
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
    tag: Parts<Tag>,
}

/// `to` and `cc`: one address or a list of them. Read without buffering (an untagged enum
/// would copy the value first), each address of a list counted as a part of the import.
#[derive(Default, PartialEq)]
enum OneOrMany {
    #[default]
    None,
    One(String),
    Many(Vec<String>),
}

impl<'de> Deserialize<'de> for OneOrMany {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = OneOrMany;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an address or a list of addresses")
            }
            fn visit_str<E>(self, v: &str) -> std::result::Result<OneOrMany, E> {
                Ok(OneOrMany::One(v.to_string()))
            }
            fn visit_unit<E>(self) -> std::result::Result<OneOrMany, E> {
                Ok(OneOrMany::None)
            }
            fn visit_none<E>(self) -> std::result::Result<OneOrMany, E> {
                Ok(OneOrMany::None)
            }
            fn visit_some<D: serde::Deserializer<'de>>(
                self,
                d: D,
            ) -> std::result::Result<OneOrMany, D::Error> {
                d.deserialize_any(self)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                seq: A,
            ) -> std::result::Result<OneOrMany, A::Error> {
                let list: Parts<String> =
                    Deserialize::deserialize(serde::de::value::SeqAccessDeserializer::new(seq))?;
                Ok(OneOrMany::Many(list.0))
            }
        }
        d.deserialize_any(V)
    }
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
    let is_dir = path.is_dir();
    let head = if is_dir {
        Vec::new()
    } else {
        super::input::read_head(path, 4)?
    };
    let mut bundle = if is_dir || head.starts_with(b"PK") || head.starts_with(GZIP) {
        Bundle::open(path, &ctx.limits)?
    } else {
        // One file of an unpacked archive: outbox.json or actor.json, or a CSV download.
        let head = super::input::read_head(path, 64)?;
        let text = String::from_utf8_lossy(&head);
        if !text
            .trim_start_matches('\u{feff}')
            .trim_start()
            .starts_with('{')
        {
            let text = super::input::read_text_file(path, ctx)?;
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            return parse_csv(&text, name, ctx);
        }
        Bundle::file(path, &ctx.limits)?
    };
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
    let outbox: Option<(String, Outbox)> = match bundle.find("outbox.json").first().cloned() {
        Some(entry) => {
            ctx.tick("reading posts", 0, None)?;
            let text = bundle.read_text(&entry)?;
            let budget = Budget::new(ctx.limits.max_records);
            let _parts = PartsBudget::new(ctx.limits.max_records);
            let seed = OutboxSeed { budget: &budget };
            let outbox = typed_seed(&text, &entry, bundle.label(), seed).map_err(|e| {
                let place = format!("zip entry {entry:?}: orderedItems");
                match budget.over() {
                    Some(held) => budget.refusal(bundle.label(), place, "activities", held, false),
                    None if records::parts_over() => records::parts_refusal(bundle.label(), place),
                    None => e,
                }
            })?;
            Some((entry, outbox))
        }
        None => None,
    };
    let owner = match bundle.find("actor.json").first() {
        Some(entry) => {
            let entry = entry.clone();
            let text = bundle.read_text(&entry)?;
            let seed = lenient::FieldsVisitor {
                names: ["id", "preferredUsername", "name"],
            };
            let [id, user, name] = typed_seed(&text, &entry, bundle.label(), seed)?;
            let id = id.as_deref().unwrap_or("");
            let user = user.as_deref().unwrap_or("");
            let name = name.as_deref().unwrap_or("");
            if !user.is_empty() {
                let acct = format!("@{user}@{}", host_of(id));
                batch.notes.push(match name.trim() {
                    "" => format!("the archive of {acct}"),
                    name => format!(
                        "the archive of {} ({acct})",
                        super::text::one_line(name, 60)
                    ),
                });
            }
            Some((id.to_string(), user.to_lowercase(), host_of(id)))
        }
        // An outbox on its own names its owner in each activity's `actor`.
        None => outbox
            .as_ref()
            .and_then(|(_, o)| o.ordered_items.iter().find_map(|i| i.actor.as_deref()))
            .map(|id| {
                let user = id.trim_end_matches('/').rsplit('/').next().unwrap_or("");
                (id.to_string(), user.to_lowercase(), host_of(id))
            }),
    };
    let (owner_id, owner_acct, owner_host) = match &owner {
        Some((id, user, host)) => (id.clone(), format!("{user}@{host}"), host.clone()),
        None => (String::new(), String::new(), String::new()),
    };

    if let Some((entry, outbox)) = outbox {
        let mut notes: Vec<(usize, Note)> = Vec::new();
        for (n, item) in outbox.ordered_items.into_iter().enumerate() {
            match item.kind {
                ActivityKind::Note(note) => notes.push((n, *note)),
                ActivityKind::Other => batch.skipped += 1,
                ActivityKind::Bad(path, message) => {
                    return Err(Error::bad_import(
                        bundle.label(),
                        format!("zip entry {entry:?}: orderedItems[{n}]{path}"),
                        message,
                    ));
                }
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
                if tag.kind.as_deref() != Some("Mention") {
                    continue;
                }
                let name = tag.name.as_deref().unwrap_or("");
                let href = tag.href.as_deref().unwrap_or("");
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
                people.add(&account(&mut batch, &acct, name));
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
                .filter(|t| t.kind.as_deref() == Some("Hashtag"))
                .filter_map(|t| t.name.as_deref())
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
        let file = entry.rsplit('/').next().unwrap_or(&entry).to_string();
        if classify_csv(&text, &file).is_none() {
            batch.notes.push(format!(
                "{entry}: not one of Mastodon's CSV downloads; left out"
            ));
            continue;
        }
        read_csv(
            &text,
            &file,
            &entry,
            bundle.label(),
            &owner_host,
            &mut batch,
        )?;
    }
    Ok(batch.finish())
}

/// What a Mastodon CSV download holds, told by its header and the shape of its rows (the
/// file name only settles a list of accounts without a header, which is how both the
/// follows of older versions and every version's blocks are written).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CsvKind {
    /// `Account address,Show boosts,…`, or an account per line from an older version.
    Follows,
    /// `Account address,Hide notifications`.
    Muted,
    /// `blocked_accounts.csv` (an account per line) or `Account address,Stealth`.
    Blocked,
    /// A domain per line (`domain_blocks.csv`) or a server's `#domain,#severity,…` list.
    DomainBlocks,
    /// A post address per line (`bookmarks.csv`).
    Bookmarks,
    /// `list title,user@host`, no header.
    Lists,
}

impl CsvKind {
    fn skipped_as(self) -> Option<&'static str> {
        match self {
            CsvKind::Muted => Some("muted accounts"),
            CsvKind::Blocked => Some("blocked accounts"),
            CsvKind::DomainBlocks => Some("blocked domains"),
            CsvKind::Bookmarks => Some("bookmarked posts"),
            CsvKind::Follows | CsvKind::Lists => None,
        }
    }
}

/// Recognises a Mastodon CSV download from its text (a head of the file will do) and name.
pub(crate) fn classify_csv(text: &str, file_name: &str) -> Option<CsvKind> {
    let text = text.trim_start_matches('\u{feff}');
    let first = text.lines().map(str::trim).find(|l| !l.is_empty())?;
    let header = first.to_ascii_lowercase();
    if header.starts_with("account address") {
        return Some(if header.contains("hide notifications") {
            CsvKind::Muted
        } else if header.contains("stealth") {
            CsvKind::Blocked
        } else {
            CsvKind::Follows
        });
    }
    if header.starts_with("#domain") {
        return Some(CsvKind::DomainBlocks);
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows: Vec<Vec<String>> = Vec::new();
    for row in reader.records().take(50) {
        let Ok(row) = row else { break };
        let cells: Vec<String> = row.iter().map(|c| c.trim().to_string()).collect();
        if cells.iter().any(|c| !c.is_empty()) {
            rows.push(cells);
        }
    }
    // A head cut mid-line: judge by the whole rows only.
    if rows.len() > 1 && !text.ends_with('\n') {
        rows.pop();
    }
    if rows.is_empty() {
        return None;
    }
    let is_acct = |c: &str| normal_acct(c).is_some();
    let one = rows.iter().all(|r| r.len() == 1);
    if one
        && rows
            .iter()
            .all(|r| r[0].starts_with("https://") || r[0].starts_with("http://"))
    {
        return Some(CsvKind::Bookmarks);
    }
    if one && rows.iter().all(|r| is_acct(&r[0])) {
        let name = file_name.to_ascii_lowercase();
        return Some(if name.contains("block") {
            CsvKind::Blocked
        } else if name.contains("mute") {
            CsvKind::Muted
        } else {
            CsvKind::Follows
        });
    }
    let is_domain = |c: &str| {
        c.contains('.')
            && !c.contains(['@', '/', ' ', ','])
            && !c.starts_with('.')
            && !c.ends_with('.')
    };
    if one && rows.iter().all(|r| is_domain(&r[0])) {
        return Some(CsvKind::DomainBlocks);
    }
    if rows
        .iter()
        .all(|r| r.len() == 2 && !r[0].is_empty() && is_acct(&r[1]))
    {
        return Some(CsvKind::Lists);
    }
    None
}

/// A standalone Mastodon CSV download.
pub(crate) fn parse_csv(text: &str, file_name: &str, ctx: &mut Ctx<'_>) -> Result<Parsed> {
    let mut batch = Batch::new(ctx.now);
    let label = ctx.label.clone();
    read_csv(text, file_name, "", &label, "", &mut batch)?;
    Ok(batch.finish())
}

fn read_csv(
    text: &str,
    file: &str,
    entry: &str,
    label: &str,
    owner_host: &str,
    batch: &mut Batch,
) -> Result<()> {
    let Some(kind) = classify_csv(text, file) else {
        let what = if entry.is_empty() { label } else { entry };
        return Err(Error::bad_import(
            label,
            place(entry, 1),
            format!(
                "{what} is not one of Mastodon's CSV downloads (follows, lists, mutes, blocks, domain blocks, bookmarks)"
            ),
        ));
    };
    let rows = text.lines().filter(|l| !l.trim().is_empty()).count();
    let name = if file.is_empty() { "the file" } else { file };
    if let Some(what) = kind.skipped_as() {
        let has_header = text
            .trim_start_matches('\u{feff}')
            .trim_start()
            .starts_with(['A', 'a', '#']);
        let n = rows.saturating_sub(usize::from(has_header));
        batch.skipped += n as u32;
        batch.notes.push(format!(
            "{name}: {n} {what} left out (Kith never adds muted or blocked accounts, blocked domains or bookmarks)"
        ));
        return Ok(());
    }
    match kind {
        CsvKind::Lists => read_lists(text, entry, label, batch),
        _ => read_follows(text, entry, label, owner_host, batch),
    }
}

fn read_follows(
    text: &str,
    entry: &str,
    label: &str,
    owner_host: &str,
    batch: &mut Batch,
) -> Result<()> {
    let has_header = text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .to_ascii_lowercase()
        .starts_with("account address");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(has_header)
        .flexible(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let first_line = if has_header { 2 } else { 1 };
    let mut local = 0u32;
    for (n, row) in reader.records().enumerate() {
        let row = row.map_err(|e| csv_error(label, entry, n + first_line, e))?;
        let address = row.get(0).unwrap_or("").trim();
        if address.is_empty() {
            continue;
        }
        let user = address.trim_start_matches('@');
        // A bare user name is an account on the user's own server, as Mastodon reads it.
        let written = if !user.contains('@') && !user.is_empty() && !user.contains(['/', ' ']) {
            if owner_host.is_empty() {
                local += 1;
                continue;
            }
            format!("{user}@{owner_host}")
        } else {
            address.to_string()
        };
        let acct = normal_acct(&written).ok_or_else(|| {
            Error::bad_import(
                label,
                place(entry, n + first_line),
                format!("{address:?} is not a Mastodon address (user@host)"),
            )
        })?;
        let key = account(batch, &acct, &written);
        if let Some(mut c) = batch.get_mut(&key) {
            c.add_tag("mastodon-following");
        }
    }
    if local > 0 {
        batch.skipped += local;
        batch.notes.push(format!(
            "{local} followed accounts are written without their server (an account on your own server); import the whole archive, with actor.json, to add them"
        ));
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
        let key = account(batch, &acct, address.trim());
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

/// The contact for `user@host` (lower case), named as the file writes the account
/// (`@Ann@Glammr.us` keeps its capitals) when that is the same address.
fn account(batch: &mut Batch, acct: &str, written: &str) -> String {
    let key = format!("mastodon:{acct}");
    let written = written.trim().trim_start_matches('@');
    let shown = if normal_acct(written).as_deref() == Some(acct) {
        format!("@{written}")
    } else {
        format!("@{acct}")
    };
    batch
        .contact(&key, &shown)
        .add_handle(Platform::Mastodon, &shown);
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

/// Reads `text` whole with `seed`, naming the place of a mistake.
fn typed_seed<'a, S: serde::de::DeserializeSeed<'a>>(
    text: &'a str,
    entry: &str,
    label: &str,
    seed: S,
) -> Result<S::Value> {
    let mut de = serde_json::Deserializer::from_str(text);
    let mut track = serde_path_to_error::Track::new();
    let read = seed.deserialize(serde_path_to_error::Deserializer::new(&mut de, &mut track));
    read.map_err(|inner| {
        let path = track.path().to_string();
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
