//! Direct messages (`direct-messages.js`, `direct-messages-group.js`): every message becomes
//! a private interaction, inbound or outbound from who sent it, threaded by conversation.

use super::accounts::{Directory, Owner};
use super::entries::{files_like, items_of};
use super::is_account_id;
use crate::domain::*;
use crate::error::{Error, Result};
use crate::import::input::Bundle;
use crate::import::lenient;
use crate::import::records::{self, Budget, CappedList};
use crate::import::text::decode_entities;
use crate::import::{Batch, Ctx, Participants};
use serde::de::{DeserializeSeed, Deserializer, Error as _, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;
use std::borrow::Cow;
use std::marker::PhantomData;

pub(super) struct Conversation {
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
pub(super) struct ConversationSeed<'b> {
    pub(super) budget: &'b Budget,
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

/// Every conversation of the direct message files, `(entry, is a group, conversation)`.
pub(super) fn read(
    bundle: &mut Bundle,
    root: &str,
    ctx: &mut Ctx<'_>,
    budget: &Budget,
) -> Result<Vec<(String, bool, Conversation)>> {
    let mut conversations: Vec<(String, bool, Conversation)> = Vec::new();
    for (base, group) in [("direct-messages", false), ("direct-messages-group", true)] {
        for entry in files_like(bundle, root, base) {
            ctx.tick("reading direct messages", conversations.len() as u64, None)?;
            let text = bundle.read_text(&entry)?;
            let seed = ConversationSeed { budget };
            for c in items_of(
                &text,
                &entry,
                bundle.label(),
                "dmConversation",
                seed,
                budget,
            )? {
                conversations.push((entry.clone(), group, c));
            }
        }
    }
    Ok(conversations)
}

/// Each message of a conversation with someone other than the owner, as an interaction.
pub(super) fn import(
    conversations: &[(String, bool, Conversation)],
    owner: &Owner,
    directory: &Directory<'_>,
    label: &str,
    ctx: &mut Ctx<'_>,
    batch: &mut Batch,
) -> Result<()> {
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
                        label,
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
            .map(|id| directory.person(batch, id, None))
            .collect();
        for (m, msg) in messages {
            let at = crate::archive::parse_datetime(&msg.created_at).map_err(|e| {
                Error::bad_import(
                    label,
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
    Ok(())
}
