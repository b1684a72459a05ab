//! One message read from a mailbox, as a harvest item: who is in it, which way it went, and
//! whether it is bulk or list mail (kept only for people already in the network).

use super::super::{Item, ItemKind, Person};
use crate::domain::{Channel, Direction, Handle, Platform};
use crate::import::mail::Mail;
use chrono::{DateTime, Utc};
use mail_parser::Message;
use std::collections::HashSet;

/// More recipients than this and a message is a mailing, not a conversation.
pub(super) const MAX_PERSONAL_RECIPIENTS: usize = 20;

/// Where a message was read, and what Kith knows about that folder and the user.
pub(super) struct Seen<'a> {
    /// The folder is the mailbox's sent folder: everything in it was sent by the user.
    pub(super) sent_folder: bool,
    /// The user's own addresses, lower case.
    pub(super) mine: &'a HashSet<String>,
    /// "INBOX on mail.example.org".
    pub(super) seen_in: String,
    /// When the server received the message, for a message with no Date header.
    pub(super) arrived: Option<DateTime<Utc>>,
}

/// The mailing list a message came through: the id inside `<…>` of `List-Id`, lower case.
pub(super) fn list_id(msg: &Message<'_>) -> Option<String> {
    let raw = msg.header_raw("List-Id")?.trim();
    let id = match (raw.rfind('<'), raw.rfind('>')) {
        (Some(open), Some(close)) if open < close => &raw[open + 1..close],
        _ => raw,
    };
    let id = id.trim().to_lowercase();
    (!id.is_empty()).then_some(id)
}

/// The address a list takes posts at: the `mailto:` of `List-Post`, lower case.
pub(super) fn list_post(msg: &Message<'_>) -> Option<String> {
    let raw = msg.header_raw("List-Post")?;
    let start = raw.to_ascii_lowercase().find("mailto:")? + "mailto:".len();
    let address: String = raw[start..]
        .chars()
        .take_while(|c| !matches!(c, '>' | '?' | ',' | ' ' | '\r' | '\n'))
        .collect();
    let address = address.trim().to_lowercase();
    address.contains('@').then_some(address)
}

/// The user's own message to a list's posting address, seen without `List-Id` (the sent
/// folder's copy): a post to that list, as the list's copy would say.
pub(super) fn through_list(item: &mut Item, lists: &std::collections::BTreeMap<String, String>) {
    if item.channel != Channel::Email || item.direction != Direction::Outbound {
        return;
    }
    let list = item.people.iter().find_map(|p| {
        p.handles
            .iter()
            .filter(|h| h.platform == Platform::Email)
            .find_map(|h| lists.get(&h.value.trim().to_lowercase()))
    });
    if let Some(id) = list {
        item.channel = Channel::Listserv;
        item.public = true;
        item.bulk = true;
        item.tags = vec![format!("list:{id}")];
    }
}

/// Whether an address is a machine's: no-reply, do-not-reply, a mailer daemon, notifications.
pub(super) fn is_machine_address(address: &str) -> bool {
    let local = address.split('@').next().unwrap_or("");
    let squeezed: String = local
        .chars()
        .filter(|c| !matches!(c, '-' | '_' | '.' | '+'))
        .collect::<String>()
        .to_lowercase();
    squeezed.contains("noreply")
        || squeezed.contains("donotreply")
        || squeezed.contains("dontreply")
        || squeezed == "mailerdaemon"
        || squeezed.starts_with("notification")
        || squeezed.starts_with("bounce")
}

/// Whether a message was sent to many or by a machine: an unsubscribe link, a bulk
/// precedence, an automatic reply, a no-reply sender, or more than 20 recipients.
pub(super) fn is_bulk(msg: &Message<'_>, mail: &Mail) -> bool {
    let header = |name: &str| msg.header_raw(name).map(|v| v.trim().to_ascii_lowercase());
    header("List-Unsubscribe").is_some()
        || header("Precedence").is_some_and(|p| matches!(p.as_str(), "bulk" | "list" | "junk"))
        || header("Auto-Submitted").is_some_and(|a| !a.is_empty() && a != "no")
        || mail.from.as_deref().is_some_and(is_machine_address)
        || mail.others.len() > MAX_PERSONAL_RECIPIENTS
}

/// The harvest item for a message; `None` when it has no date at all or nobody but the user
/// is in it.
pub(super) fn item(msg: &Message<'_>, mail: Mail, seen: &Seen<'_>) -> Option<Item> {
    let at = mail
        .at
        .and_then(|t| DateTime::from_timestamp(t, 0))
        .or(seen.arrived)?;
    let outbound = seen.sent_folder || mail.from.as_ref().is_some_and(|f| seen.mine.contains(f));
    let mut people: Vec<Person> = Vec::new();
    let mut added: HashSet<&str> = HashSet::new();
    for a in mail.from.iter().chain(mail.others.iter()) {
        if seen.mine.contains(a) || !added.insert(a) {
            continue;
        }
        people.push(Person {
            name: mail.names.get(a).cloned(),
            handles: vec![Handle {
                platform: Platform::Email,
                value: a.clone(),
            }],
            current: None,
        });
    }
    if people.is_empty() {
        return None;
    }
    let list = list_id(msg);
    let bulk = list.is_some() || is_bulk(msg, &mail);
    let (channel, public, tags) = match list {
        Some(id) => (Channel::Listserv, true, vec![format!("list:{id}")]),
        None => (Channel::Email, false, Vec::new()),
    };
    Some(Item {
        key: mail.key,
        kind: ItemKind::Conversation,
        channel,
        direction: if outbound {
            Direction::Outbound
        } else {
            Direction::Inbound
        },
        at,
        public,
        text: mail.text,
        thread: Some(mail.thread),
        tags,
        people,
        bulk,
        seen_in: seen.seen_in.clone(),
    })
}

/// Folds a second copy of the same message (the same key in another folder) into the first:
/// the copy in the sent folder says the user sent it, the copy a list delivered says it went
/// through the list.
pub(super) fn merge(into: &mut Item, other: Item) {
    if other.direction == Direction::Outbound {
        into.direction = Direction::Outbound;
    }
    if other.channel == Channel::Listserv && into.channel != Channel::Listserv {
        into.channel = Channel::Listserv;
        into.public = true;
        into.tags = other.tags;
    }
    into.bulk |= other.bulk;
    for p in other.people {
        if !into.people.contains(&p) {
            into.people.push(p);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn machine_senders_are_recognised() {
        for a in [
            "noreply@github.com",
            "no-reply@accounts.google.com",
            "do_not_reply@apple.com",
            "DoNotReply@bank.example",
            "MAILER-DAEMON@mx.example.org",
            "notifications@github.com",
            "bounces+123@mail.example.com",
        ] {
            assert!(is_machine_address(a), "{a}");
        }
        for a in ["ann@example.org", "noel@example.org", "reply-to-me@x.org"] {
            assert!(!is_machine_address(a), "{a}");
        }
    }
}
