//! Shapes for the `amplify` target: a few bytes of fuzz input describe a large file (a shape, a
//! repetition count, a nesting depth and a record template) that this expands, so that attacks
//! needing megabytes (a card with 100,000 addresses, a 10,000-tweet reply chain, a zip entry of
//! a million tiny tweets) are reached from an input far below libFuzzer's 64 KB.
//!
//! The input is text: a first line `<shape> <count> <depth>`, then the template (letters and
//! digits are kept, up to 32 of them; anything else is dropped so the template cannot break the
//! file's syntax: the parsers' own handling of odd bytes is the other targets' business).

use crate::{zip_of, SEPARATOR};
use kith_core::import::Format;
use std::fmt::Write as _;

/// The largest file a shape expands to (give or take one record): big enough for every known
/// amplification (the attacks took 1.5 to 4 MB), small enough that a linear import stays well
/// inside the deadline, and a record short of the fuzz build's 4 MB file and zip limits, so
/// that the import reads the file rather than refusing it by size.
pub const MAX_BYTES: usize = (4 << 20) - (64 << 10);

/// The most repetitions an input may ask for.
pub const MAX_COUNT: usize = 400_000;

/// The most records a shape writes for a format without a record limit (CSV, Kith's archive):
/// each is a contact written to the store, real work that took about 0.2 ms in this build on a
/// busy machine (20,000 rows: 4.3 s), not an amplification, so more would break the deadline.
pub const MAX_STORED: usize = 5_000;

/// The deepest nesting a shape wraps its records in.
pub const MAX_DEPTH: usize = 200;

/// A file to import: its format, name and bytes.
pub struct Expanded {
    pub format: Format,
    pub name: &'static str,
    pub bytes: Vec<u8>,
}

/// The shapes, by the name an input's first line gives.
pub const SHAPES: &[&str] = &[
    "vcard-emails",
    "vcard-cards",
    "twitter-chain",
    "twitter-cycle",
    "twitter-tiny",
    "twitter-dms",
    "mastodon-tiny",
    "mastodon-chain",
    "archive-handles",
    "archive-contacts",
    "mbox-tiny",
    "mbox-blank-lines",
    "linkedin-rows",
    "bluesky-tiny",
];

/// Expands `data`, or `None` when its first line is not a shape.
pub fn expand(data: &[u8]) -> Option<Expanded> {
    let text = std::str::from_utf8(data).ok()?;
    let (head, template) = text.split_once('\n').unwrap_or((text, ""));
    let mut words = head.split_whitespace();
    let shape = words.next()?;
    let count: usize = words.next()?.parse().ok()?;
    let depth: usize = words.next().and_then(|d| d.parse().ok()).unwrap_or(0);
    let count = count.min(MAX_COUNT);
    let depth = depth.min(MAX_DEPTH);
    let t: String = template
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(32)
        .collect();
    let t = if t.is_empty() { "x".to_string() } else { t };
    let mut out = String::new();
    let (format, name) = match shape {
        "vcard-emails" => {
            // One card; `depth` addresses cycle (0: every one new).
            out.push_str("BEGIN:VCARD\nVERSION:3.0\nFN:Many\n");
            for n in 0..count {
                let n = if depth > 0 { n % depth } else { n };
                let _ = writeln!(out, "EMAIL:{t}{n}@example.org");
                if out.len() > MAX_BYTES {
                    break;
                }
            }
            out.push_str("END:VCARD\n");
            (Format::Vcard, "amplify.vcf")
        }
        "vcard-cards" => {
            for n in 0..count {
                let _ = writeln!(out, "BEGIN:VCARD\nFN:{t}{n}\nEND:VCARD");
                if out.len() > MAX_BYTES {
                    break;
                }
            }
            (Format::Vcard, "amplify.vcf")
        }
        "twitter-chain" | "twitter-cycle" | "twitter-tiny" | "twitter-dms" => {
            let account =
                r#"window.YTD.account.part0 = [{"account": {"accountId": "1", "username": "me"}}]"#;
            let date = "Sat Aug 12 16:10:37 +0000 2023";
            let mut items = Vec::new();
            let mut size = 0;
            for n in 0..count.max(1) {
                let item = match shape {
                    "twitter-tiny" => {
                        format!(r#"{{"tweet":{{"id_str":"{n}","created_at":"{date}"}}}}"#)
                    }
                    "twitter-dms" => format!(
                        r#"{{"messageCreate":{{"id":"{n}","senderId":"2","recipientId":"1","text":"{t}","createdAt":"2023-01-01T00:00:00.000Z"}}}}"#
                    ),
                    _ => {
                        // Each tweet replies to the one before; the first replies to the last
                        // in a cycle.
                        let parent = match (n, shape) {
                            (0, "twitter-cycle") => format!(r#""{}""#, count.max(1) - 1),
                            (0, _) => "null".to_string(),
                            _ => format!(r#""{}""#, n - 1),
                        };
                        format!(
                            r#"{{"tweet":{{"id_str":"{n}","created_at":"{date}","full_text":"@friend {t}","in_reply_to_status_id_str":{parent},"in_reply_to_user_id_str":"2","in_reply_to_screen_name":"friend","entities":{{"user_mentions":[{{"id_str":"2","screen_name":"friend","name":"A Friend"}}]}}}}}}"#
                        )
                    }
                };
                size += item.len() + 1;
                items.push(item);
                if size > MAX_BYTES {
                    break;
                }
            }
            let list = format!("[{}]", items.join(","));
            let list = nest(&list, depth);
            let (tweets, dms) = if shape == "twitter-dms" {
                (
                    "window.YTD.tweets.part0 = []".to_string(),
                    format!(
                        r#"window.YTD.direct_messages.part0 = [{{"dmConversation":{{"conversationId":"1-2","messages":{list}}}}}]"#
                    ),
                )
            } else {
                (
                    format!("window.YTD.tweets.part0 = {list}"),
                    "window.YTD.direct_messages.part0 = []".to_string(),
                )
            };
            let sep = std::str::from_utf8(SEPARATOR).unwrap_or("\n");
            let files = [String::new(), account.to_string(), tweets, dms].join(sep);
            let bytes = zip_of(crate::TWITTER_FILES, files.as_bytes());
            return Some(Expanded {
                format: Format::Twitter,
                name: "amplify-twitter.zip",
                bytes,
            });
        }
        "mastodon-tiny" | "mastodon-chain" => {
            let mut items = Vec::new();
            let mut size = 0;
            for n in 0..count {
                let item = if shape == "mastodon-tiny" {
                    format!(r#"{{"type":"Announce","id":"{n}"}}"#)
                } else {
                    let parent = if n == 0 {
                        "null".to_string()
                    } else {
                        format!(r#""https://h.example/s/{}""#, n - 1)
                    };
                    format!(
                        r#"{{"type":"Create","actor":"https://h.example/users/me","published":"2024-01-01T00:00:00Z","object":{{"type":"Note","id":"https://h.example/s/{n}","content":"<p>{t}</p>","inReplyTo":{parent},"to":["https://www.w3.org/ns/activitystreams#Public"],"tag":[{{"type":"Mention","name":"@friend@h.example","href":"https://h.example/users/friend"}}]}}}}"#
                    )
                };
                size += item.len() + 1;
                items.push(item);
                if size > MAX_BYTES {
                    break;
                }
            }
            let list = nest(&format!("[{}]", items.join(",")), depth);
            out = format!(r#"{{"type":"OrderedCollection","orderedItems":{list}}}"#);
            let bytes = zip_of(
                crate::MASTODON_FILES,
                format!(
                    r#"{{"id":"https://h.example/users/me","preferredUsername":"me"}}{}{out}"#,
                    std::str::from_utf8(SEPARATOR).unwrap_or("\n")
                )
                .as_bytes(),
            );
            return Some(Expanded {
                format: Format::Mastodon,
                name: "amplify-mastodon.zip",
                bytes,
            });
        }
        "archive-handles" | "archive-contacts" => {
            if shape == "archive-handles" {
                let mut emails = Vec::new();
                let mut size = 0;
                for n in 0..count {
                    let n = if depth > 0 { n % depth } else { n };
                    let e = format!(r#""{t}{n}@example.org""#);
                    size += e.len() + 1;
                    emails.push(e);
                    if size > MAX_BYTES {
                        break;
                    }
                }
                out = format!(
                    r#"{{"contacts":[{{"id":"many","name":"Many","handles":{{"email":[{}]}}}}]}}"#,
                    emails.join(",")
                );
            } else {
                let mut contacts = Vec::new();
                let mut size = 0;
                for n in 0..count.min(MAX_STORED) {
                    let c = format!(r#"{{"id":"c{n}","name":"{t}"}}"#);
                    size += c.len() + 1;
                    contacts.push(c);
                    if size > MAX_BYTES {
                        break;
                    }
                }
                out = format!(r#"{{"contacts":[{}]}}"#, contacts.join(","));
            }
            (Format::Json, "amplify.json")
        }
        "mbox-tiny" => {
            for n in 0..count.max(1) {
                let _ = write!(
                    out,
                    "From a@example.org Mon Jan  5 09:00:00 2026\nFrom: a@example.org\nTo: me@example.net\nMessage-ID: <{n}@x>\n\n{t}\n\n"
                );
                if out.len() > MAX_BYTES {
                    break;
                }
            }
            (Format::Mbox, "amplify.mbox")
        }
        "mbox-blank-lines" => {
            out.push_str(
                "From a@example.org Mon Jan  5 09:00:00 2026\nFrom: a@example.org\nTo: me@example.net\n\n",
            );
            out.push_str(&"\n".repeat(count.min(MAX_BYTES)));
            (Format::Mbox, "amplify.mbox")
        }
        "linkedin-rows" => {
            out.push_str("First Name,Last Name,URL,Email Address,Company,Position,Connected On\n");
            for n in 0..count.min(MAX_STORED) {
                let _ = writeln!(out, "{t},{n},,{t}{n}@example.org,,,22 Dec 2025");
                if out.len() > MAX_BYTES {
                    break;
                }
            }
            (Format::Linkedin, "amplify.csv")
        }
        "bluesky-tiny" => return Some(bluesky_tiny(count)),
        _ => return None,
    };
    Some(Expanded {
        format,
        name,
        bytes: out.into_bytes(),
    })
}

/// `json` inside `depth` lists: `[[...[json]...]]`.
fn nest(json: &str, depth: usize) -> String {
    if depth == 0 {
        return json.to_string();
    }
    format!("{}{json}{}", "[".repeat(depth), "]".repeat(depth))
}

/// A CAR file of `count` tiny DAG-CBOR blocks, each an empty map under its own CID.
fn bluesky_tiny(count: usize) -> Expanded {
    let cid = |n: u32| {
        let mut c = vec![0x01, 0x71, 0x12, 0x04];
        c.extend_from_slice(&n.to_be_bytes());
        c
    };
    let mut header = vec![0xa2, 0x67];
    header.extend_from_slice(b"version");
    header.push(0x01);
    header.push(0x65);
    header.extend_from_slice(b"roots");
    header.extend_from_slice(&[0x81, 0xd8, 0x2a, 0x49, 0x00]);
    header.extend_from_slice(&cid(0));
    let mut out = vec![header.len() as u8];
    out.extend_from_slice(&header);
    for n in 0..count.min(MAX_BYTES / 10) as u32 {
        let c = cid(n);
        out.push((c.len() + 1) as u8);
        out.extend_from_slice(&c);
        out.push(0xa0);
    }
    Expanded {
        format: Format::Bluesky,
        name: "amplify.car",
        bytes: out,
    }
}
