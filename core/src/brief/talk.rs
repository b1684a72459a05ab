//! Talking points: what to bring up with someone, drawn from what the user recorded about
//! them (role topics, expertise, tags) and from what recent interactions were about (their
//! hashtags and the words that keep coming back). Simple counts, each point saying where it
//! came from, so the user can judge it.

use crate::attendee_match::fold_name;
use crate::domain::{Contact, Interaction};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use specta::Type;
use std::collections::BTreeMap;

/// Interactions at most this old feed the "recent" talking points.
pub const RECENT_DAYS: i64 = 180;
/// At most this many of the latest interactions are read for recent topics.
const RECENT_MAX: usize = 40;
/// The most talking points per person.
pub const MAX_POINTS: usize = 8;

/// Where a talking point comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum TalkingPointSource {
    /// A topic of a role they play for the user.
    RoleTopic,
    /// Something they know well.
    Expertise,
    /// A tag the user gave them.
    Tag,
    /// A hashtag or tag of recent interactions.
    RecentHashtag,
    /// A word that came up in several recent interactions.
    RecentWord,
}

/// Something to talk about, and why it is suggested.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Type)]
pub struct TalkingPoint {
    pub topic: String,
    pub source: TalkingPointSource,
    /// "their mentoring topic", "in 3 recent interactions".
    pub why: String,
}

/// Common words that say nothing about a topic (five letters or more; shorter words are
/// never topics here).
const STOPWORDS: &[&str] = &[
    "about",
    "above",
    "after",
    "again",
    "against",
    "almost",
    "already",
    "also",
    "always",
    "among",
    "another",
    "anyone",
    "anything",
    "around",
    "because",
    "before",
    "being",
    "below",
    "between",
    "both",
    "cheers",
    "could",
    "couldnt",
    "didnt",
    "doesnt",
    "doing",
    "during",
    "either",
    "enough",
    "every",
    "everyone",
    "everything",
    "excited",
    "first",
    "going",
    "gonna",
    "great",
    "happy",
    "having",
    "hello",
    "https",
    "itself",
    "later",
    "least",
    "little",
    "looking",
    "maybe",
    "might",
    "morning",
    "never",
    "night",
    "nothing",
    "other",
    "others",
    "people",
    "perhaps",
    "please",
    "pretty",
    "quite",
    "rather",
    "really",
    "right",
    "second",
    "seems",
    "should",
    "shouldnt",
    "since",
    "something",
    "sorry",
    "still",
    "sounds",
    "thank",
    "thanks",
    "their",
    "theirs",
    "there",
    "these",
    "theyre",
    "thing",
    "things",
    "think",
    "those",
    "though",
    "three",
    "through",
    "today",
    "together",
    "tomorrow",
    "tonight",
    "totally",
    "under",
    "until",
    "using",
    "wanted",
    "wants",
    "week",
    "weeks",
    "where",
    "whether",
    "which",
    "while",
    "whole",
    "without",
    "wonder",
    "wondering",
    "would",
    "wouldnt",
    "yesterday",
    "youre",
    "yours",
    "yourself",
];

/// The `#hashtags` written in a text, without their `#`.
///
/// A hashtag is a word (text between whitespace) that starts with `#`. Only the `#`s are
/// visited, not every word: a briefing looks for hashtags in every interaction of the network.
pub(crate) fn hashtags_in(text: &str) -> impl Iterator<Item = &str> {
    text.match_indices('#')
        .filter(|(at, _)| {
            text[..*at]
                .chars()
                .next_back()
                .is_none_or(char::is_whitespace)
        })
        .map(|(at, _)| {
            let word = &text[at + 1..];
            &word[..word.find(char::is_whitespace).unwrap_or(word.len())]
        })
        .map(|w| w.trim_end_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty() && w.chars().any(char::is_alphabetic))
}

/// The words of a text that can be topics: lower case, at least five letters, not a
/// stopword, not part of a link, mention or hashtag.
fn topic_words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for token in text.split(char::is_whitespace) {
        if token.starts_with(['@', '#']) || token.contains("://") || token.starts_with("www.") {
            continue;
        }
        let mut word = String::new();
        let mut flush = |word: &mut String| {
            let w = std::mem::take(word);
            if w.chars().count() >= 5
                && w.chars().any(char::is_alphabetic)
                && !w.chars().all(|c| c.is_ascii_digit())
                && !STOPWORDS.contains(&w.as_str())
            {
                out.push(w);
            }
        };
        for c in token.chars() {
            if matches!(c, '\'' | '\u{2019}') {
                continue;
            }
            if c.is_alphanumeric() {
                word.extend(c.to_lowercase());
            } else {
                flush(&mut word);
            }
        }
        flush(&mut word);
    }
    out
}

pub(crate) fn talking_points(
    contact: &Contact,
    history: &[&Interaction],
    now: DateTime<Utc>,
) -> Vec<TalkingPoint> {
    let mut points: Vec<TalkingPoint> = Vec::new();
    let push = |points: &mut Vec<TalkingPoint>, topic: &str, source, why: String| {
        let topic = topic.trim();
        if topic.is_empty() || points.len() >= MAX_POINTS {
            return;
        }
        let key = fold_name(topic.trim_start_matches('#'));
        if points
            .iter()
            .any(|p| fold_name(p.topic.trim_start_matches('#')) == key)
        {
            return;
        }
        points.push(TalkingPoint {
            topic: topic.to_string(),
            source,
            why,
        });
    };
    for role in &contact.roles {
        for t in &role.topics {
            push(
                &mut points,
                t,
                TalkingPointSource::RoleTopic,
                format!("a topic of your {} role", role.kind.as_str()),
            );
        }
    }
    for e in &contact.expertise {
        push(
            &mut points,
            e,
            TalkingPointSource::Expertise,
            "their expertise".into(),
        );
    }

    let since = now - Duration::days(RECENT_DAYS);
    let recent: Vec<&Interaction> = history
        .iter()
        .rev()
        .take_while(|i| i.occurred_at >= since)
        .take(RECENT_MAX)
        .copied()
        .collect();
    // Per folded topic: (interactions it is in, first spelling seen, newest first).
    let mut tags: BTreeMap<String, (usize, String)> = BTreeMap::new();
    let mut words: BTreeMap<String, usize> = BTreeMap::new();
    for i in &recent {
        let mut here: Vec<(String, String)> = Vec::new();
        for t in i
            .tags
            .iter()
            .map(String::as_str)
            .chain(hashtags_in(&i.text))
        {
            let t = t.trim().trim_start_matches('#');
            let key = fold_name(t).replace(' ', "");
            if !key.is_empty() && !here.iter().any(|(k, _)| *k == key) {
                here.push((key, t.to_string()));
            }
        }
        for (key, shown) in here {
            tags.entry(key).or_insert((0, shown)).0 += 1;
        }
        let mut seen: Vec<String> = topic_words(&i.text);
        seen.sort_unstable();
        seen.dedup();
        for w in seen {
            *words.entry(w).or_default() += 1;
        }
    }
    let mut tag_list: Vec<(usize, String)> = tags.into_values().collect();
    tag_list.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    for (n, tag) in tag_list.into_iter().take(3) {
        push(
            &mut points,
            &format!("#{tag}"),
            TalkingPointSource::RecentHashtag,
            format!("in {}", recent_count(n)),
        );
    }
    let mut word_list: Vec<(String, usize)> = words.into_iter().filter(|(_, n)| *n >= 2).collect();
    word_list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    for (word, n) in word_list.into_iter().take(3) {
        push(
            &mut points,
            &word,
            TalkingPointSource::RecentWord,
            format!("came up in {}", recent_count(n)),
        );
    }
    for t in &contact.tags {
        push(
            &mut points,
            t,
            TalkingPointSource::Tag,
            "a tag you gave them".into(),
        );
    }
    points
}

fn recent_count(n: usize) -> String {
    if n == 1 {
        "1 recent interaction".into()
    } else {
        format!("{n} recent interactions")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashtags_and_topic_words_skip_links_and_mentions() {
        let text = "Loved #Code4Lib2025! see https://example.org/koha-serials @ana@x.example \
                    serials serials prediction";
        assert_eq!(hashtags_in(text).collect::<Vec<_>>(), ["Code4Lib2025"]);
        let words = topic_words(text);
        assert_eq!(words, ["loved", "serials", "serials", "prediction"]);
        assert!(topic_words("thanks, really great, about things").is_empty());
        assert_eq!(hashtags_in("# alone #123 #ok.").collect::<Vec<_>>(), ["ok"]);
    }

    #[test]
    fn hashtags_are_the_words_that_start_with_a_hash() {
        let by_words = |text: &str| -> Vec<String> {
            text.split(char::is_whitespace)
                .filter_map(|w| w.strip_prefix('#'))
                .map(|w| w.trim_end_matches(|c: char| !c.is_alphanumeric()))
                .filter(|w| !w.is_empty() && w.chars().any(char::is_alphabetic))
                .map(str::to_string)
                .collect()
        };
        for text in [
            "#start mid#dle ##double #end",
            "tabs\t#one\n#two\u{3000}#three\u{a0}#four",
            "#ok, #ok! (#not) #Ōtautahi2025… #🦉 #x#y # #",
            "",
            "#",
            "no tags at all",
        ] {
            assert_eq!(
                hashtags_in(text).collect::<Vec<_>>(),
                by_words(text),
                "{text:?}"
            );
        }
    }
}
