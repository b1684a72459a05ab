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

use super::input::Bundle;
use super::lenient;
use super::records::{self, Budget, CappedList, Parts, PartsBudget};
use super::text::decode_entities;
use super::threads::resolve_roots;
use super::{unnamed, Batch, Ctx, Parsed, Participants, UNRESOLVED_TAG};
use crate::domain::*;
use crate::error::{Error, Result};
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, TimeZone, Utc};
use serde::de::{
    DeserializeOwned, DeserializeSeed, Deserializer, Error as _, IgnoredAny, MapAccess, Visitor,
};
use serde::Deserialize;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::marker::PhantomData;
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

/// `tweets.js`, `tweets-part1.js`, … but not `tweets-media.js`.
fn is_part(file: &str, base: &str) -> bool {
    let Some(rest) = file.strip_prefix(base) else {
        return false;
    };
    if rest == ".js" {
        return true;
    }
    rest.strip_prefix("-part")
        .and_then(|r| r.strip_suffix(".js"))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

#[derive(Deserialize)]
struct Account {
    #[serde(rename = "accountId")]
    account_id: String,
    #[serde(default)]
    username: String,
}

/// A tweet's fields borrow from the file's text where they can (most strings have no
/// escapes), so a large archive is not copied string by string.
#[derive(Deserialize)]
struct Tweet<'a> {
    #[serde(borrow)]
    id_str: Cow<'a, str>,
    #[serde(borrow)]
    created_at: Cow<'a, str>,
    #[serde(default, borrow, deserialize_with = "text")]
    full_text: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "text")]
    text: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "text")]
    in_reply_to_status_id_str: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "text")]
    in_reply_to_user_id_str: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "text")]
    in_reply_to_screen_name: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    entities: Entities<'a>,
}

/// The people and hashtags of a tweet, each counted as a part of the import (see
/// [`Parts`]).
#[derive(Deserialize, Default)]
struct Entities<'a> {
    #[serde(default, borrow)]
    user_mentions: Parts<Mention<'a>>,
    #[serde(default, borrow)]
    hashtags: Parts<Hashtag<'a>>,
}

#[derive(Deserialize)]
struct Mention<'a> {
    #[serde(default, borrow, deserialize_with = "text")]
    id_str: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    screen_name: Cow<'a, str>,
    #[serde(default, borrow, deserialize_with = "text")]
    name: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct Hashtag<'a> {
    #[serde(default, borrow)]
    text: Cow<'a, str>,
}

/// An optional string that borrows from the text when it can (serde borrows a bare
/// `Cow<str>` but not one inside an `Option`).
fn text<'de: 'a, 'a, D: Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<Cow<'a, str>>, D::Error> {
    #[derive(Deserialize)]
    struct Borrowed<'a>(#[serde(borrow)] Cow<'a, str>);
    Ok(Option::<Borrowed<'a>>::deserialize(d)?.map(|b| b.0))
}

struct Conversation {
    conversation_id: String,
    messages: Vec<DmEvent>,
}

/// One item of a conversation, decoded as it is read: a conversation is never held as
/// `serde_json::Value`s (ten times the size of its text). A mistake is kept, with its place,
/// for the importer to report in file order.
enum DmEvent {
    Message(MessageCreate),
    /// participantsJoin, joinConversation, participantsLeave: the accounts they name.
    Others(Vec<String>),
    /// `(path after messages[n], message)`.
    Bad(String, String),
}

impl<'de> Deserialize<'de> for DmEvent {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = DmEvent;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a conversation's event")
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<DmEvent, A::Error> {
                let mut message: Option<&'de serde_json::value::RawValue> = None;
                let mut ids = Vec::new();
                while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                    if key == "messageCreate" {
                        message = Some(map.next_value()?);
                    } else {
                        let event: EventIds = map.next_value()?;
                        ids.extend(event.0);
                    }
                }
                let Some(raw) = message else {
                    return Ok(DmEvent::Others(ids));
                };
                let mut de = serde_json::Deserializer::from_str(raw.get());
                Ok(
                    match serde_path_to_error::deserialize::<_, MessageCreate>(&mut de) {
                        Ok(msg) => DmEvent::Message(msg),
                        Err(e) => DmEvent::Bad(
                            format!(".messageCreate.{}", e.path()),
                            lenient::message(e.inner()),
                        ),
                    },
                )
            }
        }
        fn not_an_object() -> DmEvent {
            DmEvent::Bad(String::new(), "expected an object".into())
        }
        d.deserialize_any(lenient::OrElse(V, not_an_object))
    }
}

/// The accounts an event other than a message names: `userIds`, `participantsSnapshot`,
/// `initiatingUserId`.
struct EventIds(Vec<String>);

impl<'de> Deserialize<'de> for EventIds {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Vec<String>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an event")
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<Vec<String>, A::Error> {
                let mut ids = Vec::new();
                while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                    match key.as_ref() {
                        "userIds" | "participantsSnapshot" => {
                            ids.extend(map.next_value::<lenient::StrList>()?.0)
                        }
                        "initiatingUserId" => ids.extend(map.next_value::<lenient::AnyStr>()?.0),
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(ids)
            }
        }
        // Anything but an object names no one.
        let ids = d.deserialize_any(lenient::OrElse(V, Vec::new))?;
        for _ in &ids {
            if !records::count_part() {
                return Err(D::Error::custom(records::OVER));
            }
        }
        Ok(EventIds(ids))
    }
}

/// A conversation whose messages count against the import's record budget.
#[derive(Clone, Copy)]
struct ConversationSeed<'b> {
    budget: &'b Budget,
}

impl<'de> DeserializeSeed<'de> for ConversationSeed<'_> {
    type Value = Conversation;
    fn deserialize<D: Deserializer<'de>>(
        self,
        d: D,
    ) -> std::result::Result<Conversation, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ConversationSeed<'_> {
    type Value = Conversation;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a conversation")
    }
    fn visit_map<A: MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<Conversation, A::Error> {
        let mut id = None;
        let mut messages = Vec::new();
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            match key.as_ref() {
                "conversationId" => id = Some(map.next_value::<String>()?),
                "messages" => {
                    messages = map.next_value_seed(CappedList {
                        seed: PhantomData::<DmEvent>,
                        budget: self.budget,
                    })?
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(Conversation {
            conversation_id: id.ok_or_else(|| A::Error::missing_field("conversationId"))?,
            messages,
        })
    }
}

#[derive(Deserialize)]
struct MessageCreate {
    id: String,
    #[serde(rename = "senderId")]
    sender_id: String,
    #[serde(rename = "recipientId", default)]
    recipient_id: Option<String>,
    #[serde(default)]
    text: String,
    #[serde(rename = "createdAt")]
    created_at: String,
}

#[derive(Deserialize)]
struct FollowEntry {
    #[serde(rename = "accountId")]
    account_id: String,
}

/// Who an account is, as far as the archive says.
#[derive(Default, Clone)]
struct Known {
    screen_name: Option<String>,
    name: Option<String>,
}

struct Owner {
    id: String,
    screen_name: String,
}

pub(crate) fn parse(path: &Path, ctx: &mut Ctx<'_>) -> Result<Parsed> {
    let mut bundle = Bundle::open(path, &ctx.limits)?;
    let root = data_root(&bundle).ok_or_else(|| {
        ctx.bad(
            "the archive's entries",
            "no data/account.js or data/tweets.js: this is not a Twitter/X archive",
        )
    })?;
    let files_like = |bundle: &Bundle, base: &str| -> Vec<String> {
        let mut found: Vec<String> = bundle
            .names()
            .iter()
            .filter(|n| {
                n.strip_prefix(&root)
                    .is_some_and(|file| !file.contains('/') && is_part(file, base))
            })
            .cloned()
            .collect();
        found.sort_by_key(|n| part_number(n));
        found
    };

    ctx.tick("reading the account", 0, None)?;
    let account_entry = format!("{root}account.js");
    if !bundle.names().contains(&account_entry) {
        return Err(ctx.bad(
            format!("zip entry {account_entry:?}"),
            "the archive has no account.js, so Kith cannot tell which messages are yours; is this the whole archive?",
        ));
    }
    // Every list counts against one budget of records, and what they name against one of
    // parts.
    let budget = Budget::new(ctx.limits.max_records);
    let _parts = PartsBudget::new(ctx.limits.max_records);
    let accounts: Vec<Account> = read_items(&mut bundle, &account_entry, "account", &budget)?;
    let owner = accounts
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
        })?;

    // Every tweet file is read first: the tweets borrow from their text.
    let mut tweet_files: Vec<(String, String)> = Vec::new();
    for entry in files_like(&bundle, "tweets")
        .into_iter()
        .chain(files_like(&bundle, "tweet"))
    {
        ctx.tick("reading tweets", 0, None)?;
        let text = bundle.read_text(&entry)?;
        tweet_files.push((entry, text));
    }
    let mut tweets: Vec<(&str, Tweet<'_>)> = Vec::new();
    for (entry, text) in &tweet_files {
        ctx.tick("reading tweets", tweets.len() as u64, None)?;
        let items = items_of(
            text,
            entry,
            bundle.label(),
            "tweet",
            PhantomData::<Tweet<'_>>,
            &budget,
        )?;
        tweets.reserve(items.len());
        tweets.extend(items.into_iter().map(|t| (entry.as_str(), t)));
    }
    let mut conversations: Vec<(String, bool, Conversation)> = Vec::new();
    for (base, group) in [("direct-messages", false), ("direct-messages-group", true)] {
        for entry in files_like(&bundle, base) {
            ctx.tick("reading direct messages", conversations.len() as u64, None)?;
            let text = bundle.read_text(&entry)?;
            let seed = ConversationSeed { budget: &budget };
            for c in items_of(
                &text,
                &entry,
                bundle.label(),
                "dmConversation",
                seed,
                &budget,
            )? {
                conversations.push((entry.clone(), group, c));
            }
        }
    }
    let mut following = Vec::new();
    for entry in files_like(&bundle, "following") {
        following.extend(read_items::<FollowEntry>(
            &mut bundle,
            &entry,
            "following",
            &budget,
        )?);
    }
    let mut followers = Vec::new();
    for entry in files_like(&bundle, "follower") {
        followers.extend(read_items::<FollowEntry>(
            &mut bundle,
            &entry,
            "follower",
            &budget,
        )?);
    }

    let mut batch = Batch::new(ctx.now);
    let lists: Vec<&String> = bundle
        .names()
        .iter()
        .filter(|n| n.starts_with(&format!("{root}lists-")))
        .collect();
    if !lists.is_empty() {
        batch.notes.push(
            "Twitter lists were not imported: the archive lists only their addresses, not their members"
                .into(),
        );
    }

    // Who is who: names and screen names from mentions and replies.
    let mut known: HashMap<&str, Known> = HashMap::new();
    let mut id_of_screen_name: HashMap<Cow<'_, str>, &str> = HashMap::new();
    for (_, t) in &tweets {
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

    // Reply chains: each reply's root, the first tweet of its chain; the roots are the
    // tweets that start a chain.
    let mut root_of: HashMap<&str, &str> = tweets
        .iter()
        .filter_map(|(_, t)| {
            t.in_reply_to_status_id_str
                .as_deref()
                .filter(|p| !p.is_empty())
                .map(|p| (t.id_str.as_ref(), p))
        })
        .collect();
    resolve_roots(&mut root_of);
    let has_replies: HashSet<&str> = root_of.values().copied().collect();

    let total = tweets.len() as u64;
    for (n, (entry, t)) in tweets.iter().enumerate() {
        ctx.tick_every("importing tweets", n as u64, Some(total))?;
        let text = t.full_text.as_deref().or(t.text.as_deref()).unwrap_or("");
        if text.starts_with("RT @") {
            batch.skipped += 1;
            continue;
        }
        let at = parse_tweet_time(&t.created_at).map_err(|m| {
            Error::bad_import(
                bundle.label(),
                format!("zip entry {entry:?}: tweet {}: created_at", t.id_str),
                m,
            )
        })?;
        let mut people = Participants::default();
        if let Some(id) = t
            .in_reply_to_user_id_str
            .as_deref()
            .filter(|id| is_account_id(id))
        {
            if id != owner.id {
                people.add(&person(&mut batch, &known, id, None));
            }
        }
        for m in t.entities.user_mentions.iter() {
            let sn = lower(&m.screen_name);
            if sn == owner.screen_name || m.id_str.as_deref() == Some(owner.id.as_str()) {
                continue;
            }
            let key = match m.id_str.as_deref().filter(|id| is_account_id(id)) {
                Some(id) => person(&mut batch, &known, id, None),
                None => match id_of_screen_name.get(sn.as_ref()) {
                    Some(id) => person(&mut batch, &known, id, None),
                    None if !sn.is_empty() => {
                        // A deleted or suspended account: the archive keeps only the name.
                        let key = format!("twitter:@{sn}");
                        batch
                            .contact(&key, &format!("@{}", m.screen_name))
                            .add_handle(Platform::Twitter, &format!("@{}", m.screen_name));
                        key
                    }
                    None => continue,
                },
            };
            people.add(&key);
        }
        if people.is_empty() {
            batch.skipped += 1;
            continue;
        }
        let thread = if t
            .in_reply_to_status_id_str
            .as_deref()
            .is_some_and(|p| !p.is_empty())
            || has_replies.contains(t.id_str.as_ref())
        {
            let root = root_of
                .get(t.id_str.as_ref())
                .copied()
                .unwrap_or(t.id_str.as_ref());
            Some(format!("twitter:thread:{root}"))
        } else {
            None
        };
        let tags = t
            .entities
            .hashtags
            .iter()
            .filter(|h| !h.text.is_empty())
            .map(|h| format!("#{}", h.text))
            .collect();
        batch.interaction(Interaction {
            id: format!("twitter:tweet:{}", t.id_str),
            contact_ids: people.into_keys(),
            channel: Channel::Twitter,
            direction: Direction::Outbound,
            occurred_at: at,
            public: true,
            text: decode_entities(text),
            thread,
            tags,
            moment: None,
        });
    }

    let total = conversations.len() as u64;
    for (n, (entry, group, conv)) in conversations.iter().enumerate() {
        ctx.tick_every("importing direct messages", n as u64, Some(total))?;
        // Everyone in the conversation other than the owner.
        let mut others = Participants::default();
        let add_other = |id: &str, others: &mut Participants| {
            if is_account_id(id) && id != owner.id {
                others.add(id);
            }
        };
        if !group {
            for id in conv.conversation_id.split('-') {
                add_other(id, &mut others);
            }
        }
        let mut messages = Vec::new();
        for (m, item) in conv.messages.iter().enumerate() {
            match item {
                DmEvent::Message(msg) => {
                    add_other(&msg.sender_id, &mut others);
                    if let Some(r) = &msg.recipient_id {
                        add_other(r, &mut others);
                    }
                    messages.push((m, msg));
                }
                DmEvent::Others(ids) => {
                    for id in ids {
                        add_other(id, &mut others);
                    }
                }
                DmEvent::Bad(path, message) => {
                    return Err(Error::bad_import(
                        bundle.label(),
                        format!(
                            "zip entry {entry:?}: conversation {}: messages[{m}]{path}",
                            conv.conversation_id
                        ),
                        message.as_str(),
                    ));
                }
            }
        }
        if others.is_empty() {
            batch.skipped += messages.len() as u32;
            continue;
        }
        let keys: Vec<String> = others
            .keys()
            .iter()
            .map(|id| person(&mut batch, &known, id, None))
            .collect();
        for (m, msg) in messages {
            let at = crate::archive::parse_datetime(&msg.created_at).map_err(|e| {
                Error::bad_import(
                    bundle.label(),
                    format!(
                        "zip entry {entry:?}: conversation {}: messages[{m}].messageCreate.createdAt",
                        conv.conversation_id
                    ),
                    e,
                )
            })?;
            let outbound = msg.sender_id == owner.id;
            let contact_ids = if outbound {
                keys.clone()
            } else {
                let sender = format!("twitter:{}", msg.sender_id);
                let mut ids = vec![sender.clone()];
                ids.extend(keys.iter().filter(|k| **k != sender).cloned());
                ids
            };
            batch.interaction(Interaction {
                id: format!("twitter:dm:{}", msg.id),
                contact_ids,
                channel: Channel::Twitter,
                direction: if outbound {
                    Direction::Outbound
                } else {
                    Direction::Inbound
                },
                occurred_at: at,
                public: false,
                text: decode_entities(&msg.text),
                thread: Some(format!("twitter:dm:{}", conv.conversation_id)),
                tags: Vec::new(),
                moment: None,
            });
        }
    }

    for f in &following {
        if is_account_id(&f.account_id) && f.account_id != owner.id {
            person(&mut batch, &known, &f.account_id, Some("twitter-following"));
        }
    }
    for f in &followers {
        if is_account_id(&f.account_id) && f.account_id != owner.id {
            person(&mut batch, &known, &f.account_id, Some("twitter-follower"));
        }
    }
    Ok(batch.finish())
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

/// The folder prefix that holds `data/` (empty for the platform's own zips).
fn data_root(bundle: &Bundle) -> Option<String> {
    for marker in ["account.js", "tweets.js", "tweet.js", "manifest.js"] {
        let suffix = format!("data/{marker}");
        if let Some(n) = bundle
            .names()
            .iter()
            .filter(|n| *n == &suffix || n.ends_with(&format!("/{suffix}")))
            .min_by_key(|n| n.len())
        {
            return Some(n[..n.len() - marker.len()].to_string());
        }
    }
    None
}

fn part_number(name: &str) -> (u32, String) {
    let n = name
        .rsplit_once("-part")
        .and_then(|(_, r)| r.strip_suffix(".js"))
        .and_then(|r| r.parse().ok())
        .unwrap_or(0);
    (n, name.to_string())
}

/// Reads `window.YTD.<name>.partN = [ ... ]` and deserialises each item, unwrapping
/// `{ "<wrapper>": { ... } }` where present (older archives have bare items).
///
/// Archives are big (a hundred thousand tweets is common), so the items are read straight
/// from the text in one pass. Only when that fails (a mistake in the file, or wrapped and
/// bare items mixed) is the text read again, each item on its own, which tells each item's layout apart and names the exact place of a mistake. Either
/// way every item counts against the import's record budget, and a file over it is refused
/// as soon as the list ends, before it is decoded further.
fn read_items<T: DeserializeOwned>(
    bundle: &mut Bundle,
    entry: &str,
    wrapper: &str,
    budget: &Budget,
) -> Result<Vec<T>> {
    let text = bundle.read_text(entry)?;
    items_of(
        &text,
        entry,
        bundle.label(),
        wrapper,
        PhantomData::<T>,
        budget,
    )
}

/// The items of one `data/*.js` file's text, each read with `seed`; see [`read_items`].
fn items_of<'a, S: DeserializeSeed<'a> + Clone>(
    text: &'a str,
    entry: &str,
    label: &str,
    wrapper: &str,
    seed: S,
    budget: &Budget,
) -> Result<Vec<S::Value>> {
    let over =
        |held: u64| budget.refusal(label, format!("zip entry {entry:?}"), "records", held, true);
    let parts_over = || records::parts_refusal(label, format!("zip entry {entry:?}"));
    let (before, parts_before) = (budget.mark(), records::parts_mark());
    if let Some(json) = ytd_json(text) {
        match read_items_fast(json, wrapper, seed.clone(), budget) {
            Some(items) => return Ok(items),
            None => {
                if let Some(held) = budget.over() {
                    return Err(over(held));
                }
                if records::parts_over() {
                    return Err(parts_over());
                }
            }
        }
    }
    // Read again: the items read so far are counted again.
    budget.reset(before);
    records::parts_reset(parts_before);
    let eq = text.find('=').ok_or_else(|| {
        Error::bad_import(
            label,
            format!("zip entry {entry:?}: line 1"),
            "expected `window.YTD.<name>.part0 = [ ... ]`",
        )
    })?;
    let json = ytd_json(text).unwrap_or_default();
    let mistake = std::cell::RefCell::new(None);
    let index = std::cell::Cell::new(0usize);
    let careful = Careful {
        seed,
        wrapper,
        entry,
        label,
        index: &index,
        mistake: &mistake,
    };
    let mut de = serde_json::Deserializer::from_str(json);
    let read = CappedList {
        seed: careful,
        budget,
    }
    .deserialize(&mut de)
    .and_then(|items| de.end().map(|()| items));
    match read {
        Ok(items) => Ok(items),
        Err(e) => {
            if let Some(held) = budget.over() {
                return Err(over(held));
            }
            if records::parts_over() {
                return Err(parts_over());
            }
            if let Some(m) = mistake.take() {
                return Err(m);
            }
            let prefix_lines = text[..eq].matches('\n').count();
            let line = e.line() + prefix_lines;
            let column = if e.line() == 1 {
                e.column() + eq + 1
            } else {
                e.column()
            };
            let message = e.to_string();
            let message = message
                .rsplit_once(" at line ")
                .map(|(m, _)| m.to_string())
                .unwrap_or(message);
            Err(Error::bad_import(
                label,
                format!("zip entry {entry:?}: line {line}, column {column}"),
                format!("invalid JSON: {message}"),
            ))
        }
    }
}

/// One item read the careful way: its text alone is looked at for the wrapper, then read
/// with the seed (unwrapped if it has the wrapper), a mistake kept with its place. Nothing is
/// read into a `serde_json::Value`.
struct Careful<'r, 'w, S> {
    seed: S,
    wrapper: &'w str,
    entry: &'w str,
    label: &'w str,
    index: &'r std::cell::Cell<usize>,
    mistake: &'r std::cell::RefCell<Option<Error>>,
}

impl<S: Clone> Clone for Careful<'_, '_, S> {
    fn clone(&self) -> Self {
        Careful {
            seed: self.seed.clone(),
            wrapper: self.wrapper,
            entry: self.entry,
            label: self.label,
            index: self.index,
            mistake: self.mistake,
        }
    }
}

impl<'de, S: DeserializeSeed<'de> + Clone> DeserializeSeed<'de> for Careful<'_, '_, S> {
    type Value = S::Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<S::Value, D::Error> {
        let n = self.index.get();
        self.index.set(n + 1);
        let raw: &'de serde_json::value::RawValue = Deserialize::deserialize(d)?;
        let text: &'de str = raw.get();
        let mut de = serde_json::Deserializer::from_str(text);
        let mut track = serde_path_to_error::Track::new();
        let tracked = serde_path_to_error::Deserializer::new(&mut de, &mut track);
        let read = if lenient::has_key(text, self.wrapper) {
            Wrapped {
                wrapper: self.wrapper,
                seed: self.seed,
            }
            .deserialize(tracked)
        } else {
            self.seed.deserialize(tracked)
        };
        read.map_err(|e| {
            let at = track.path().to_string();
            let entry = self.entry;
            let place = if at.is_empty() || at == "." {
                format!("zip entry {entry:?}: [{n}]")
            } else {
                format!("zip entry {entry:?}: [{n}].{at}")
            };
            *self.mistake.borrow_mut() =
                Some(Error::bad_import(self.label, place, lenient::message(&e)));
            D::Error::custom("kith: a mistake in an item")
        })
    }
}

/// The JSON after `window.YTD.<name>.partN =`, if there is an `=`.
fn ytd_json(text: &str) -> Option<&str> {
    let eq = text.find('=')?;
    Some(text[eq + 1..].trim_end().trim_end_matches(';'))
}

/// The items of a well-formed file in one pass, all wrapped or all bare as the first item
/// is; `None` when anything does not fit (or the list is over the budget, which then says
/// so), for [`read_items`] to find out what and where.
fn read_items_fast<'a, S: DeserializeSeed<'a> + Clone>(
    json: &'a str,
    wrapper: &str,
    seed: S,
    budget: &Budget,
) -> Option<Vec<S::Value>> {
    let first = json.trim_start().strip_prefix('[')?.trim_start();
    let wrapped = first
        .strip_prefix('{')
        .map(str::trim_start)
        .and_then(|f| f.strip_prefix('"'))
        .and_then(|f| f.strip_prefix(wrapper))
        .is_some_and(|f| f.starts_with('"'));
    let mut de = serde_json::Deserializer::from_str(json);
    let items = if wrapped {
        CappedList {
            seed: Wrapped { wrapper, seed },
            budget,
        }
        .deserialize(&mut de)
    } else {
        CappedList { seed, budget }.deserialize(&mut de)
    };
    let items = items.ok()?;
    de.end().ok()?;
    Some(items)
}

/// One `{ "<wrapper>": item }`, the item read with `seed`; other keys beside the wrapper are
/// ignored, and a repeated wrapper keeps the last, as reading through `Value` would.
#[derive(Clone)]
struct Wrapped<'w, S> {
    wrapper: &'w str,
    seed: S,
}

impl<'de, S: DeserializeSeed<'de> + Clone> DeserializeSeed<'de> for Wrapped<'_, S> {
    type Value = S::Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<S::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, S: DeserializeSeed<'de> + Clone> Visitor<'de> for Wrapped<'_, S> {
    type Value = S::Value;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "an object with {:?}", self.wrapper)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<S::Value, A::Error> {
        let mut found = None;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if key == self.wrapper {
                found = Some(map.next_value_seed(self.seed.clone())?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        found.ok_or_else(|| A::Error::missing_field("wrapper"))
    }
}

/// `Sat Aug 12 16:10:37 +0000 2023`.
fn parse_tweet_time(s: &str) -> std::result::Result<DateTime<Utc>, String> {
    if let Some(t) = tweet_time_exactly(s.trim()) {
        return Ok(t);
    }
    DateTime::parse_from_str(s.trim(), "%a %b %d %H:%M:%S %z %Y")
        .map(|t| t.with_timezone(&Utc))
        .or_else(|_| crate::archive::parse_datetime(s))
        .map_err(|_| format!("{s:?} is not a tweet date (like \"Sat Aug 12 16:10:37 +0000 2023\")"))
}

/// The one layout archives write, `Sat Aug 12 16:10:37 +0000 2023`, read without a format
/// string (an archive holds a tweet date per tweet); `None` for anything else, which the
/// general parser then reads or refuses.
fn tweet_time_exactly(s: &str) -> Option<DateTime<Utc>> {
    const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let b = s.as_bytes();
    if b.len() != 30 || [3, 7, 10, 19, 25].iter().any(|&i| b[i] != b' ') {
        return None;
    }
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let num = |from: usize, to: usize| -> Option<u32> {
        s.get(from..to)?.bytes().try_fold(0u32, |n, d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    let month = MONTHS.iter().position(|m| Some(*m) == s.get(4..7))? as u32 + 1;
    let date = NaiveDate::from_ymd_opt(num(26, 30)? as i32, month, num(8, 10)?)?;
    if Some(DAYS[date.weekday().num_days_from_monday() as usize]) != s.get(0..3) {
        return None;
    }
    let time = date.and_hms_opt(num(11, 13)?, num(14, 16)?, num(17, 19)?)?;
    let sign = match b[20] {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let offset = FixedOffset::east_opt(sign * (num(21, 23)? * 3600 + num(23, 25)? * 60) as i32)?;
    let local = offset.from_local_datetime(&time).single()?;
    Some(local.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[derive(Deserialize, Debug, PartialEq)]
    struct Item {
        #[serde(rename = "accountId")]
        account_id: String,
        #[serde(default)]
        name: Option<String>,
    }

    fn items(json: &str) -> Result<Vec<Item>> {
        items_of(
            &format!("window.YTD.follower.part0 = {json}"),
            "data/follower.js",
            "x.zip",
            "follower",
            PhantomData::<Item>,
            &Budget::new(1_000),
        )
    }

    #[test]
    fn items_read_in_one_pass_are_those_read_through_values() {
        let read_through_values = |json: &str| -> Vec<Item> {
            let values: Vec<Value> = serde_json::from_str(json).unwrap();
            values
                .into_iter()
                .map(|v| match v {
                    Value::Object(mut m) if m.contains_key("follower") => {
                        serde_json::from_value(m.remove("follower").unwrap()).unwrap()
                    }
                    other => serde_json::from_value(other).unwrap(),
                })
                .collect()
        };
        // (file, read in one pass)
        for (json, one_pass) in [
            (
                r#"[{"follower": {"accountId": "1", "name": "A \"q\" \u00e9"}}, {"follower": {"accountId": "2", "extra": [1, {"x": null}]}}]"#,
                true,
            ),
            // The first key decides the layout: this one goes the careful way.
            (
                r#"[ { "other": 1, "follower": {"accountId": "3"}, "after": true } ];"#,
                false,
            ),
            (
                r#"[{"follower": {"accountId": "4"}, "follower": {"accountId": "5"}}]"#,
                true,
            ),
            (
                r#"[{"accountId": "6", "name": "bare"}, {"accountId": "7"}]"#,
                true,
            ),
            ("[]", true),
        ] {
            let payload = json.trim_end_matches(';');
            assert_eq!(
                read_items_fast(
                    payload,
                    "follower",
                    PhantomData::<Item>,
                    &Budget::new(1_000)
                )
                .is_some(),
                one_pass,
                "{json}"
            );
            assert_eq!(items(json).unwrap(), read_through_values(payload), "{json}");
        }
    }

    #[test]
    fn mixed_or_broken_items_are_read_the_careful_way() {
        // Wrapped and bare items in one file: each is read as it is.
        let mixed = r#"[{"follower": {"accountId": "1"}}, {"accountId": "2"}]"#;
        assert!(
            read_items_fast(mixed, "follower", PhantomData::<Item>, &Budget::new(1_000)).is_none()
        );
        let read = items(mixed).unwrap();
        assert_eq!(
            read.iter()
                .map(|i| i.account_id.as_str())
                .collect::<Vec<_>>(),
            ["1", "2"]
        );
        // Mistakes are named by their place.
        let err = items(r#"[{"follower": {"accountId": "1"}}, {"follower": {"accountId": 2}}]"#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("[1].follower.accountId"), "{err}");
        let err = items("[{\"follower\": {\"accountId\": \"1\"}},\n oops]")
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 2"), "{err}");
        let err = items(r#"[{"follower": {"accountId": "1"}}] trailing"#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("invalid JSON"), "{err}");
    }

    #[test]
    fn the_archive_date_layout_reads_as_the_general_parser_does() {
        let general = |s: &str| {
            DateTime::parse_from_str(s, "%a %b %d %H:%M:%S %z %Y")
                .ok()
                .map(|t| t.with_timezone(&Utc))
        };
        let mut day = NaiveDate::from_ymd_opt(2006, 3, 21).unwrap();
        let mut checked = 0;
        while day.year() < 2031 {
            for (h, offset) in [(0, "+0000"), (13, "-0530"), (23, "+1245")] {
                let s = format!(
                    "{} {h:02}:{:02}:59 {offset} {}",
                    day.format("%a %b %d"),
                    h * 2,
                    day.year()
                );
                assert_eq!(tweet_time_exactly(&s), general(&s), "{s}");
                assert!(tweet_time_exactly(&s).is_some(), "{s}");
                checked += 1;
            }
            day += chrono::Duration::days(13);
        }
        assert!(checked > 2000);
        // Anything else goes to the general parser, which reads or refuses it as before.
        for odd in [
            "Fri Aug 12 16:10:37 +0000 2023",
            "Sat Aug 32 16:10:37 +0000 2023",
            "Sat Aug 12 24:10:37 +0000 2023",
            "Sat Aug 12 16:10:60 +0000 2023",
            "Sat aug 12 16:10:37 +0000 2023",
            "Sat Aug 12 16:10:37 +00:00 2023",
            "Sat Aug  2 16:10:37 +0000 2023",
            "Sat Aug 12 16:10:37 Z0000 2023",
            "Sat Aug 12 16:10:3é +0000 2023",
            "2023-08-12T16:10:37Z",
        ] {
            assert_eq!(tweet_time_exactly(odd), None, "{odd}");
            assert_eq!(
                parse_tweet_time(odd).ok(),
                general(odd).or_else(|| crate::archive::parse_datetime(odd).ok()),
                "{odd}"
            );
        }
    }

    #[test]
    fn tweet_files_and_parts_are_told_apart() {
        assert!(is_part("tweets.js", "tweets"));
        assert!(is_part("tweets-part12.js", "tweets"));
        assert!(!is_part("tweets-media.js", "tweets"));
        assert!(!is_part("tweetdeck.js", "tweet"));
        assert!(is_part("tweet.js", "tweet"));
        assert!(!is_part("tweets.js", "tweet"));
    }

    #[test]
    fn tweet_dates_parse() {
        let t = parse_tweet_time("Sat Aug 12 16:10:37 +0000 2023").unwrap();
        assert_eq!(t.to_rfc3339(), "2023-08-12T16:10:37+00:00");
        assert!(parse_tweet_time("yesterday").is_err());
    }
}
