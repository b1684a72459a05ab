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
use mail_parser::{Address, HeaderValue, Message, MessageParser, MimeHeaders, PartType};
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
///
/// A message starts at a `From ` line that begins the file or follows a blank line, whose
/// envelope is plausible (a sender and a date, `From - <date>` as Thunderbird writes it, or a
/// bare `From ` as Thunderbird wrote until about 2005), and that is followed by a header line.
/// Mail programs split mboxes the same way, so a `From ` line that mboxo and Thunderbird
/// leave unescaped in a body ("From time to time…") stays in its message.
///
/// The lines are walked one by one, never listed: a list of a gigabyte of empty lines would
/// take sixteen times the file. Past `limit` messages nothing more is copied, and the
/// messages are only counted: `Err(count)`.
fn split_mbox(bytes: &[u8], limit: usize) -> std::result::Result<Vec<(usize, Vec<u8>)>, usize> {
    let mut lines = bytes.split_inclusive(|b| *b == b'\n').peekable();
    let mut out: Vec<(usize, Vec<u8>)> = Vec::new();
    let mut current: Option<(usize, Vec<u8>)> = None;
    let mut count = 0usize;
    let mut previous_blank = true;
    let mut i = 0usize;
    while let Some(line) = lines.next() {
        i += 1;
        if previous_blank
            && is_envelope(line)
            && lines.peek().is_none_or(|next| is_header_line(next))
        {
            if let Some(m) = current.take() {
                out.push(m);
            }
            count += 1;
            if count <= limit {
                current = Some((i, Vec::new()));
            }
            previous_blank = false;
            continue;
        }
        previous_blank = trim_line_end(line).is_empty();
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
    if count > limit {
        return Err(count);
    }
    Ok(out)
}

fn trim_line_end(line: &[u8]) -> &[u8] {
    let end = line
        .iter()
        .rposition(|b| *b != b'\n' && *b != b'\r')
        .map_or(0, |p| p + 1);
    &line[..end]
}

/// Whether `line` is an mbox envelope: `From ` and then nothing (old Thunderbird), or a
/// sender and something with a time and a year in it (`From a@b Mon Jan  1 00:00:00 2024`,
/// `From - Tue Oct 02 00:26:47 2007`, Gmail's `From 1234@xxx Mon Jan 01 00:00:00 +0000 2024`).
fn is_envelope(line: &[u8]) -> bool {
    let Some(rest) = line.strip_prefix(b"From ") else {
        return false;
    };
    let rest = String::from_utf8_lossy(trim_line_end(rest));
    let mut words = rest.split_ascii_whitespace();
    let Some(_sender) = words.next() else {
        return true;
    };
    let date: Vec<&str> = words.collect();
    let time = date.iter().any(|w| {
        let parts: Vec<&str> = w.split(':').collect();
        (2..=3).contains(&parts.len())
            && parts
                .iter()
                .all(|p| (1..=2).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
    });
    let year = date
        .iter()
        .any(|w| w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit()));
    time && year
}

/// Whether `line` looks like the first line of a header: `Name: value`.
fn is_header_line(line: &[u8]) -> bool {
    let Some(colon) = line.iter().position(|b| *b == b':') else {
        return false;
    };
    colon > 0 && line[..colon].iter().all(|b| b.is_ascii_graphic())
}

/// Why a message that ends the file was cut short, if it was: its header section never
/// ends, or its outermost multipart never reaches its closing boundary. Mail programs always
/// end the headers with a blank line and close every multipart, so a file that stops before
/// either was cut (a copy or download that did not finish). Only the outermost multipart
/// tells: a cut anywhere inside leaves it open, while a part nested deeper (a bounce quoting
/// the headers of another message) can lack its end in complete mail.
fn cut_short(data: &[u8], msg: Option<&Message<'_>>) -> Option<String> {
    let text_start = data
        .iter()
        .position(|b| !matches!(b, b'\r' | b'\n'))
        .unwrap_or(data.len());
    let data = &data[text_start..];
    if data.is_empty() {
        return Some("the file ends after the envelope line, before the message".into());
    }
    let header_end = data
        .windows(2)
        .position(|w| w == b"\n\n")
        .or_else(|| data.windows(3).position(|w| w == b"\n\r\n"));
    if header_end.is_none() {
        return Some(
            "the file ends inside the message's headers (no blank line after them)".into(),
        );
    }
    let root = msg?.parts.first()?;
    let ct = root.content_type()?;
    if !ct.ctype().eq_ignore_ascii_case("multipart") {
        return None;
    }
    let boundary = ct.attribute("boundary")?;
    let close = format!("--{boundary}--");
    let closed = data
        .windows(close.len())
        .enumerate()
        .any(|(i, w)| w == close.as_bytes() && (i == 0 || data[i - 1] == b'\n'));
    (!closed).then(|| {
        format!(
            "the file ends inside a multipart message: its closing boundary {close:?} never comes"
        )
    })
}

/// An address as Kith stores it: the part in `<…>` if there is one, without `mailto:` or
/// white space; `None` when what is left is not an address. Folded headers can leave a
/// display name or a line break around the address.
fn clean_address(raw: &str) -> Option<String> {
    let raw = raw.trim();
    let inner = match (raw.rfind('<'), raw.rfind('>')) {
        (Some(open), Some(close)) if open < close => &raw[open + 1..close],
        _ => raw,
    };
    let inner = inner.trim().trim_start_matches("mailto:");
    let addr = if inner.contains(char::is_whitespace) {
        inner
            .split_whitespace()
            .find(|w| w.contains('@'))?
            .trim_matches(|c| matches!(c, '<' | '>' | ',' | ';' | '"'))
    } else {
        inner
    };
    let addr = addr.to_lowercase();
    (addr.contains('@') && !addr.starts_with('@') && !addr.ends_with('@')).then_some(addr)
}

/// Text as stored: line ends as `\n` only (mail is CRLF on the wire, and old Mac files end
/// lines with CR alone).
fn normalise_line_ends(s: &str) -> String {
    s.replace("\r\n", "\n").replace('\r', "\n")
}

/// The text a reader sees first: the first plain-text body, or the first HTML one rendered
/// as text.
fn body_text(msg: &Message<'_>) -> String {
    let part = msg
        .text_bodies()
        .find(|p| matches!(&p.body, PartType::Text(t) if !t.trim().is_empty()))
        .or_else(|| {
            msg.html_bodies()
                .find(|p| matches!(p.body, PartType::Html(_)))
        });
    match part.map(|p| &p.body) {
        Some(PartType::Text(t)) => t.to_string(),
        Some(PartType::Html(h)) => super::html::to_text(h),
        _ => String::new(),
    }
}

/// What Kith reads from one message, wherever it came from (an mbox, an `.eml`, a mailbox
/// over IMAP): the same message always gets the same key, thread and text.
pub(crate) struct Mail {
    /// Gmail labelled it Sent: its sender is the mailbox's owner.
    pub(crate) sent: bool,
    /// `mail:<Message-ID>`, or a hash of date, sender and subject when there is none.
    pub(crate) key: String,
    pub(crate) thread: String,
    /// The sender's address, lower case.
    pub(crate) from: Option<String>,
    /// Every To, Cc and Bcc address, lower case, once each.
    pub(crate) others: Vec<String>,
    /// The display names the headers give, by address (a mailbox sync names new people by
    /// them; the importer matches by address only).
    #[cfg_attr(not(feature = "connect"), allow(dead_code))]
    pub(crate) names: HashMap<String, String>,
    /// The Date header, in seconds.
    pub(crate) at: Option<i64>,
    /// The subject and the start of the body, cut to [`MAX_BODY_CHARS`].
    pub(crate) text: String,
}

/// Reads one parsed message. `None` for a bare MIME part or a draft: nothing says who or when.
pub(crate) fn read_message(msg: &Message<'_>) -> Option<Mail> {
    if msg.from().is_none() && msg.date().is_none() && msg.message_id().is_none() {
        return None;
    }
    let sent = msg
        .header_raw("X-Gmail-Labels")
        .is_some_and(|l| l.split(',').any(|l| l.trim() == "Sent"));
    let mut names = HashMap::new();
    let mut addr = |a: &Address<'_>, out: &mut Vec<String>| {
        for x in a.iter() {
            // A display name folded onto its own line can leave the address in the name.
            let clean = x
                .address()
                .and_then(clean_address)
                .or_else(|| x.name().and_then(clean_address));
            if let Some(clean) = clean {
                if let Some(name) = x
                    .name()
                    .map(str::trim)
                    .filter(|n| !n.is_empty() && clean_address(n).is_none_or(|a| a != clean))
                {
                    names
                        .entry(clean.clone())
                        .or_insert_with(|| name.trim_matches('"').to_string());
                }
                if !out.contains(&clean) {
                    out.push(clean);
                }
            }
        }
    };
    let mut senders = Vec::new();
    if let Some(f) = msg.from() {
        addr(f, &mut senders);
    }
    let from = senders.into_iter().next();
    // Every To, Cc and Bcc header counts: mail programs and lists sometimes write two.
    let mut others = Vec::new();
    for a in msg.all_to().chain(msg.all_cc()).chain(msg.all_bcc()) {
        addr(a, &mut others);
    }
    let ids = |v: &HeaderValue<'_>| -> Vec<String> {
        match v {
            HeaderValue::Text(t) => vec![t.to_string()],
            HeaderValue::TextList(l) => l.iter().map(|t| t.to_string()).collect(),
            _ => Vec::new(),
        }
    };
    let subject = normalise_line_ends(msg.subject().unwrap_or("").trim());
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
    let body = normalise_line_ends(&body_text(msg));
    let body: String = body.trim().chars().take(MAX_BODY_CHARS).collect();
    let text = match (subject.is_empty(), body.is_empty()) {
        (false, false) => format!("{subject}\n\n{body}"),
        (false, true) => subject,
        (true, _) => body,
    };
    Some(Mail {
        sent,
        key,
        thread: format!("mail:thread:{}", thread_root.trim_start_matches("mail:")),
        from,
        others,
        names,
        at,
        text,
    })
}

/// The most lines one message may have: 150 MB of attachments, encoded, is two million lines.
const MAX_MESSAGE_LINES: usize = 2_000_000;

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
            let limit = ctx.limits.max_records;
            let messages = split_mbox(bytes, limit).map_err(|held| {
                super::records::too_many(
                    &ctx.label,
                    "the whole file",
                    "messages",
                    held as u64,
                    false,
                    limit,
                )
            })?;
            if messages.first().is_none_or(|(line, _)| *line != 1) {
                return Err(ctx.bad(
                    "line 1",
                    "the first line is not an mbox envelope (\"From sender date\") followed by mail headers",
                ));
            }
            messages
        }
        _ => vec![(1, bytes.to_vec())],
    };
    let parser = MessageParser::default();
    let mut batch = Batch::new(ctx.now);
    let mut mails = Vec::with_capacity(raw.len());
    let total = raw.len() as u64;
    let last_line = bytes.split(|b| *b == b'\n').count() - usize::from(bytes.ends_with(b"\n"));
    for (n, (line, data)) in raw.iter().enumerate() {
        ctx.tick_every("reading messages", n as u64, Some(total))?;
        let place = || {
            if format == Format::Mbox {
                format!("message {} (line {line})", n + 1)
            } else {
                "the message".to_string()
            }
        };
        // Parsed, a message takes a few hundred bytes for each header and part however short,
        // so one made of millions of tiny lines would fill memory: refused by its lines.
        let lines = data.iter().filter(|b| **b == b'\n').count();
        if lines > MAX_MESSAGE_LINES {
            return Err(ctx.bad(
                place(),
                format!(
                    "the message has {lines} lines, more than the {MAX_MESSAGE_LINES} Kith reads in one message"
                ),
            ));
        }
        let msg = parser.parse(data.as_slice());
        if n + 1 == raw.len() {
            if let Some(why) = cut_short(data, msg.as_ref()) {
                let place = if format == Format::Mbox {
                    format!("line {last_line}, in message {} (from line {line})", n + 1)
                } else {
                    format!("line {last_line}")
                };
                return Err(ctx.bad(
                    place,
                    format!("{why}; the file looks cut short, so nothing was imported"),
                ));
            }
        }
        let msg = msg.ok_or_else(|| ctx.bad(place(), "not an email message"))?;
        if let Some(labels) = msg.header_raw("X-Gmail-Labels") {
            if labels
                .split(',')
                .any(|l| matches!(l.trim(), "Spam" | "Trash"))
            {
                batch.skipped += 1;
                continue;
            }
        }
        match read_message(&msg) {
            Some(mail) => mails.push(mail),
            // A bare MIME part or a draft: nothing to say who or when.
            None => batch.skipped += 1,
        }
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
        let msgs = split_mbox(mbox, usize::MAX).unwrap();
        assert_eq!(msgs.len(), 2);
        assert_eq!(msgs[0].0, 1);
        assert_eq!(msgs[1].0, 7);
        assert_eq!(
            String::from_utf8_lossy(&msgs[0].1),
            "Subject: one\n\nFrom here\n>From there\n\n"
        );
    }

    #[test]
    fn a_from_line_in_a_body_is_not_an_envelope() {
        let mbox = b"From a@x Mon Jan 1 00:00:00 2024\nSubject: one\n\nHi\n\nFrom time to time\nI write.\n\nFrom the docs: it is 10:30 in 2024\nno header here\n\nFrom - Tue Oct 02 00:26:47 2007\nSubject: two\n\nx\n";
        let msgs = split_mbox(mbox, usize::MAX).unwrap();
        assert_eq!(msgs.len(), 2);
        assert!(String::from_utf8_lossy(&msgs[0].1).contains("From time to time\nI write."));
        assert_eq!(msgs[1].0, 12);
        assert!(is_envelope(b"From \r\n"));
        assert!(is_envelope(
            b"From 1790469887634513005@xxx Mon Jan 01 00:00:00 +0000 2024\n"
        ));
        assert!(!is_envelope(b"From time to time\n"));
    }

    #[test]
    fn addresses_lose_display_names_folds_and_case() {
        assert_eq!(
            clean_address("\"Lee, Ann\"\r\n <Ann@Example.org>").as_deref(),
            Some("ann@example.org")
        );
        assert_eq!(
            clean_address("Ann Lee\n\tann@example.org").as_deref(),
            Some("ann@example.org")
        );
        assert_eq!(clean_address("undisclosed-recipients"), None);
        assert_eq!(normalise_line_ends("a\r\nb\rc\n"), "a\nb\nc\n");
    }

    #[test]
    fn message_headers_are_recognised() {
        assert!(looks_like_message(
            "Return-Path: <a@x>\nFrom: a@x\nTo: b@y\n\nhi"
        ));
        assert!(!looks_like_message("First Name,Last Name\n"));
    }
}
