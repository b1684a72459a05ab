//! Tweets (`tweets.js`, older archives `tweet.js`, big ones split into `tweets-part1.js`…):
//! those that reply to or mention someone become public interactions with them, and reply
//! chains become one conversation. Retweets and tweets naming nobody are skipped.

use super::accounts::{Directory, Owner};
use super::entries::{files_like, items_of};
use super::{is_account_id, lower};
use crate::domain::*;
use crate::error::{Error, Result};
use crate::import::input::Bundle;
use crate::import::records::{Budget, Parts};
use crate::import::text::decode_entities;
use crate::import::threads::resolve_roots;
use crate::import::{Batch, Ctx, Participants};
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Deserializer};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::marker::PhantomData;

/// A tweet's fields borrow from the file's text where they can (most strings have no
/// escapes), so a large archive is not copied string by string.
#[derive(Deserialize)]
pub(super) struct Tweet<'a> {
    #[serde(borrow)]
    pub(super) id_str: Cow<'a, str>,
    #[serde(borrow)]
    pub(super) created_at: Cow<'a, str>,
    #[serde(default, borrow, deserialize_with = "text")]
    pub(super) full_text: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "text")]
    pub(super) text: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "text")]
    pub(super) in_reply_to_status_id_str: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "text")]
    pub(super) in_reply_to_user_id_str: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "text")]
    pub(super) in_reply_to_screen_name: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    pub(super) entities: Entities<'a>,
}

/// The people and hashtags of a tweet, each counted as a part of the import (see
/// [`Parts`]).
#[derive(Deserialize, Default)]
pub(super) struct Entities<'a> {
    #[serde(default, borrow)]
    pub(super) user_mentions: Parts<Mention<'a>>,
    #[serde(default, borrow)]
    pub(super) hashtags: Parts<Hashtag<'a>>,
}

#[derive(Deserialize)]
pub(super) struct Mention<'a> {
    #[serde(default, borrow, deserialize_with = "text")]
    pub(super) id_str: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    pub(super) screen_name: Cow<'a, str>,
    #[serde(default, borrow, deserialize_with = "text")]
    pub(super) name: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
pub(super) struct Hashtag<'a> {
    #[serde(default, borrow)]
    pub(super) text: Cow<'a, str>,
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

/// The text of every tweet file, `(entry, text)`, tweets' parts in order.
pub(super) fn read_files(
    bundle: &mut Bundle,
    root: &str,
    ctx: &mut Ctx<'_>,
) -> Result<Vec<(String, String)>> {
    let mut tweet_files: Vec<(String, String)> = Vec::new();
    for entry in files_like(bundle, root, "tweets")
        .into_iter()
        .chain(files_like(bundle, root, "tweet"))
    {
        ctx.tick("reading tweets", 0, None)?;
        let text = bundle.read_text(&entry)?;
        tweet_files.push((entry, text));
    }
    Ok(tweet_files)
}

/// Every tweet of the files, with the entry it is in, borrowing from the files' text.
pub(super) fn read<'f>(
    tweet_files: &'f [(String, String)],
    label: &str,
    ctx: &mut Ctx<'_>,
    budget: &Budget,
) -> Result<Vec<(&'f str, Tweet<'f>)>> {
    let mut tweets: Vec<(&str, Tweet<'_>)> = Vec::new();
    for (entry, text) in tweet_files {
        ctx.tick("reading tweets", tweets.len() as u64, None)?;
        let items = items_of(
            text,
            entry,
            label,
            "tweet",
            PhantomData::<Tweet<'_>>,
            budget,
        )?;
        tweets.reserve(items.len());
        tweets.extend(items.into_iter().map(|t| (entry.as_str(), t)));
    }
    Ok(tweets)
}

/// Each tweet that replies to or mentions someone, as an interaction with them.
pub(super) fn import(
    tweets: &[(&str, Tweet<'_>)],
    owner: &Owner,
    directory: &Directory<'_>,
    label: &str,
    ctx: &mut Ctx<'_>,
    batch: &mut Batch,
) -> Result<()> {
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
                label,
                format!("zip entry {entry:?}: tweet {}: created_at", t.id_str),
                m,
            )
        })?;
        let people = people_of(t, owner, directory, batch);
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
    Ok(())
}

/// The people a tweet is with: whom it replies to and whom it mentions, the owner left out.
fn people_of(
    t: &Tweet<'_>,
    owner: &Owner,
    directory: &Directory<'_>,
    batch: &mut Batch,
) -> Participants {
    let mut people = Participants::default();
    if let Some(id) = t
        .in_reply_to_user_id_str
        .as_deref()
        .filter(|id| is_account_id(id))
    {
        if id != owner.id {
            people.add(&directory.person(batch, id, None));
        }
    }
    for m in t.entities.user_mentions.iter() {
        let sn = lower(&m.screen_name);
        if sn == owner.screen_name || m.id_str.as_deref() == Some(owner.id.as_str()) {
            continue;
        }
        let key = match m.id_str.as_deref().filter(|id| is_account_id(id)) {
            Some(id) => directory.person(batch, id, None),
            None => match directory.id_of(sn.as_ref()) {
                Some(id) => directory.person(batch, id, None),
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
    people
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
    fn tweet_dates_parse() {
        let t = parse_tweet_time("Sat Aug 12 16:10:37 +0000 2023").unwrap();
        assert_eq!(t.to_rfc3339(), "2023-08-12T16:10:37+00:00");
        assert!(parse_tweet_time("yesterday").is_err());
    }
}
