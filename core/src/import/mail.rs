//! Mail: an mbox (Gmail Takeout, mboxo and mboxrd) or one `.eml` message, parsed with
//! `mail-parser`.
//!
//! A mailbox is mostly newsletters and notifications, so mail never creates contacts: each
//! message that involves someone already in Kith (matched on their email address) becomes a
//! private email interaction with them; the others are skipped. The user's own addresses (the
//! `import.my_emails` setting, or `kith import --me`) decide the direction: a message from
//! the user is outbound, any other inbound. Messages Gmail labelled Spam or Trash are skipped.
//!
//! Keys: `mail:<Message-ID>` (or a hash of date, sender and subject when there is none).
//! Conversations: the first Message-ID in References, else In-Reply-To, else the message's own.
//! The text kept is the subject and the start of the plain-text body.

use super::text::stable_hash;
use super::{Batch, Ctx, Format, Parsed, Participants};
use crate::domain::*;
use crate::error::Result;
use chrono::DateTime;
use mail_parser::{HeaderValue, MessageParser};
use std::collections::{HashMap, HashSet};

/// How much of a body is kept: enough to recognise the message, not a copy of the mailbox.
const MAX_BODY_CHARS: usize = 2000;

/// Whether text looks like the headers of one message.
pub(crate) fn looks_like_message(text: &str) -> bool {
    let mut headers = 0;
    for line in text.lines().take(40) {
        if line.is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            continue;
        }
        let Some((name, _)) = line.split_once(':') else {
            return false;
        };
        if name.is_empty() || name.contains(' ') {
            return false;
        }
        let lower = name.to_ascii_lowercase();
        if matches!(
            lower.as_str(),
            "from"
                | "to"
                | "date"
                | "subject"
                | "message-id"
                | "received"
                | "return-path"
                | "mime-version"
                | "delivered-to"
        ) {
            headers += 1;
        }
    }
    headers >= 2
}

/// The messages of an mbox with the line each starts on. Lines escaped as `>From ` (mboxrd)
/// lose one `>`.
fn split_mbox(bytes: &[u8]) -> Vec<(usize, Vec<u8>)> {
    let mut out: Vec<(usize, Vec<u8>)> = Vec::new();
    let mut current: Option<(usize, Vec<u8>)> = None;
    let mut previous_blank = true;
    for (i, line) in bytes.split_inclusive(|b| *b == b'\n').enumerate() {
        if line.starts_with(b"From ") && previous_blank {
            if let Some(m) = current.take() {
                out.push(m);
            }
            current = Some((i + 1, Vec::new()));
            previous_blank = false;
            continue;
        }
        let trimmed_len = line
            .iter()
            .rposition(|b| *b != b'\n' && *b != b'\r')
            .map(|p| p + 1)
            .unwrap_or(0);
        previous_blank = trimmed_len == 0;
        if let Some((_, buf)) = current.as_mut() {
            let gt = line.iter().take_while(|b| **b == b'>').count();
            if gt > 0 && line[gt..].starts_with(b"From ") {
                buf.extend_from_slice(&line[1..]);
            } else {
                buf.extend_from_slice(line);
            }
        }
    }
    if let Some(m) = current.take() {
        out.push(m);
    }
    out
}

struct Mail {
    /// Gmail labelled it Sent: its sender is the mailbox's owner.
    sent: bool,
    key: String,
    thread: String,
    from: Option<String>,
    others: Vec<String>,
    at: Option<i64>,
    text: String,
}

pub(crate) fn parse(
    bytes: &[u8],
    format: Format,
    me: &[String],
    known: &HashMap<String, String>,
    ctx: &mut Ctx<'_>,
) -> Result<Parsed> {
    let raw: Vec<(usize, Vec<u8>)> = match format {
        Format::Mbox => {
            if !bytes.starts_with(b"From ") {
                return Err(ctx.bad(
                    "line 1",
                    "an mbox starts with a \"From \" line; this file does not",
                ));
            }
            split_mbox(bytes)
        }
        _ => vec![(1, bytes.to_vec())],
    };
    let parser = MessageParser::default();
    let mut batch = Batch::new(ctx.now);
    let mut mails = Vec::with_capacity(raw.len());
    let total = raw.len() as u64;
    for (n, (line, data)) in raw.iter().enumerate() {
        ctx.tick_every("reading messages", n as u64, Some(total))?;
        let place = || {
            if format == Format::Mbox {
                format!("message {} (line {line})", n + 1)
            } else {
                "the message".to_string()
            }
        };
        let msg = parser
            .parse(data.as_slice())
            .ok_or_else(|| ctx.bad(place(), "not an email message"))?;
        if msg.from().is_none() && msg.date().is_none() && msg.message_id().is_none() {
            // A bare MIME part or a draft: nothing to say who or when.
            batch.skipped += 1;
            continue;
        }
        let sent = msg
            .header_raw("X-Gmail-Labels")
            .is_some_and(|l| l.split(',').any(|l| l.trim() == "Sent"));
        if let Some(labels) = msg.header_raw("X-Gmail-Labels") {
            if labels
                .split(',')
                .any(|l| matches!(l.trim(), "Spam" | "Trash"))
            {
                batch.skipped += 1;
                continue;
            }
        }
        let addr = |a: Option<&mail_parser::Address<'_>>| -> Vec<String> {
            a.map(|a| {
                a.iter()
                    .filter_map(|x| x.address())
                    .map(|x| x.trim().to_lowercase())
                    .filter(|x| !x.is_empty())
                    .collect()
            })
            .unwrap_or_default()
        };
        let from = addr(msg.from()).into_iter().next();
        let mut others = addr(msg.to());
        others.extend(addr(msg.cc()));
        let ids = |v: &HeaderValue<'_>| -> Vec<String> {
            match v {
                HeaderValue::Text(t) => vec![t.to_string()],
                HeaderValue::TextList(l) => l.iter().map(|t| t.to_string()).collect(),
                _ => Vec::new(),
            }
        };
        let subject = msg.subject().unwrap_or("").trim().to_string();
        let at = msg.date().map(|d| d.to_timestamp());
        let key = match msg.message_id() {
            Some(id) if !id.trim().is_empty() => format!("mail:{}", id.trim()),
            _ => format!(
                "mail:{}",
                stable_hash(&[
                    &at.unwrap_or(0).to_string(),
                    from.as_deref().unwrap_or(""),
                    &subject
                ])
            ),
        };
        let thread_root = ids(msg.references())
            .into_iter()
            .next()
            .or_else(|| ids(msg.in_reply_to()).into_iter().next())
            .map(|id| format!("mail:{id}"))
            .unwrap_or_else(|| key.clone());
        let body = msg.body_text(0).map(|b| b.to_string()).unwrap_or_default();
        let body: String = body.trim().chars().take(MAX_BODY_CHARS).collect();
        let text = match (subject.is_empty(), body.is_empty()) {
            (false, false) => format!("{subject}\n\n{body}"),
            (false, true) => subject,
            (true, _) => body,
        };
        mails.push(Mail {
            sent,
            key,
            thread: format!("mail:thread:{}", thread_root.trim_start_matches("mail:")),
            from,
            others,
            at,
            text,
        });
    }

    let mut mine: HashSet<String> = me
        .iter()
        .map(|a| a.trim().trim_start_matches("mailto:").to_lowercase())
        .filter(|a| !a.is_empty())
        .collect();
    if mine.is_empty() {
        match guess_owner(&mails) {
            Some(a) => {
                batch.notes.push(format!(
                    "{a} was taken as your own address (it sent the messages labelled Sent, or is in most messages); \
                     set it with --me to be sure"
                ));
                mine.insert(a);
            }
            None => {
                return Err(ctx.bad(
                    "the whole file",
                    "Kith needs your own email address to tell sent from received mail: \
                     import again with --me you@example.org",
                ));
            }
        }
    }

    for m in mails {
        let Some(at) = m.at.and_then(|t| DateTime::from_timestamp(t, 0)) else {
            batch.skipped += 1;
            continue;
        };
        let outbound = m.from.as_ref().is_some_and(|f| mine.contains(f));
        let mut people = Participants::default();
        let add = |a: &str, people: &mut Participants| {
            if mine.contains(a) {
                return;
            }
            if let Some(k) = known.get(&crate::store::normalize_handle(a)) {
                people.add(k);
            }
        };
        if let Some(f) = &m.from {
            add(f, &mut people);
        }
        for o in &m.others {
            add(o, &mut people);
        }
        if people.is_empty() {
            batch.skipped += 1;
            continue;
        }
        batch.interaction(Interaction {
            id: m.key,
            contact_ids: people.into_keys(),
            channel: Channel::Email,
            direction: if outbound {
                Direction::Outbound
            } else {
                Direction::Inbound
            },
            occurred_at: at,
            public: false,
            text: m.text,
            thread: Some(m.thread),
            tags: Vec::new(),
            moment: None,
        });
    }
    if batch.skipped > 0 && known.is_empty() {
        batch.notes.push(
            "no contact in Kith has an email address yet, so no message could be matched; \
             import contacts (vCard, CSV) first"
                .into(),
        );
    }
    Ok(batch.finish())
}

/// The mailbox owner's address: the sender of the messages Gmail labelled Sent, or else the
/// one address in more than half of the messages (at least two). No guess on a tie.
fn guess_owner(mails: &[Mail]) -> Option<String> {
    let most = |counts: HashMap<&str, usize>, min: usize| -> Option<String> {
        let mut ranked: Vec<(&str, usize)> = counts.into_iter().collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        match ranked.as_slice() {
            [(a, n), rest @ ..] if *n >= min && rest.first().is_none_or(|r| r.1 < *n) => {
                Some(a.to_string())
            }
            _ => None,
        }
    };
    let mut senders: HashMap<&str, usize> = HashMap::new();
    for m in mails.iter().filter(|m| m.sent) {
        if let Some(f) = &m.from {
            *senders.entry(f).or_default() += 1;
        }
    }
    if let Some(a) = most(senders, 1) {
        return Some(a);
    }
    if mails.len() < 2 {
        return None;
    }
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for m in mails {
        let mut seen: HashSet<&str> = HashSet::new();
        for a in m.from.iter().chain(m.others.iter()) {
            if seen.insert(a) {
                *counts.entry(a).or_default() += 1;
            }
        }
    }
    most(counts, mails.len() / 2 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mbox_splits_on_from_lines_and_unescapes_mboxrd() {
        let mbox = b"From a@x Mon Jan 1 00:00:00 2024\nSubject: one\n\n>From here\n>>From there\n\nFrom b@x Mon Jan 1 00:00:00 2024\nSubject: two\n\nbody\n";
        let msgs = split_mbox(mbox);
        assert_eq!(msgs.len(), 2);
        assert_eq!(msgs[0].0, 1);
        assert_eq!(msgs[1].0, 7);
        assert_eq!(
            String::from_utf8_lossy(&msgs[0].1),
            "Subject: one\n\nFrom here\n>From there\n\n"
        );
    }

    #[test]
    fn message_headers_are_recognised() {
        assert!(looks_like_message(
            "Return-Path: <a@x>\nFrom: a@x\nTo: b@y\n\nhi"
        ));
        assert!(!looks_like_message("First Name,Last Name\n"));
    }
}
