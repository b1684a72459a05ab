//! Text helpers for the rules: word splitting, phrase matching that tolerates simple
//! inflections, thread numbering ("2/4", "🧵"), and the plain-words formatting of reasons.
//!
//! Interaction text is imported, possibly hostile data: it is only ever read here, never
//! interpreted, and reasons quote phrases from the settings rather than the text itself.

use chrono::{DateTime, Utc};

/// Lower-cased words: runs of letters and digits. Apostrophes join ("don't" → "dont"); every
/// other character separates, so "#auslibchat" is "auslibchat" and "@ana" is "ana".
pub(crate) fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in text.chars() {
        if matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '\u{02bc}') {
            continue;
        }
        if c.is_alphanumeric() {
            cur.extend(c.to_lowercase());
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Whether `word` is `base` or a simple inflection of it: plurals, past tense, -ing, -er.
pub(crate) fn inflects(word: &str, base: &str) -> bool {
    if word == base {
        return true;
    }
    if let Some(rest) = word.strip_prefix(base) {
        if matches!(rest, "s" | "es" | "d" | "ed" | "ing" | "er" | "ers") {
            return true;
        }
    }
    // salary → salaries, apply → applied; promote → promoting.
    if let Some(stem) = base.strip_suffix('y') {
        if let Some(rest) = word.strip_prefix(stem) {
            if matches!(rest, "ies" | "ied") {
                return true;
            }
        }
    }
    if let Some(stem) = base.strip_suffix('e') {
        if let Some(rest) = word.strip_prefix(stem) {
            if rest == "ing" {
                return true;
            }
        }
    }
    false
}

/// A phrase from the settings, split into words. The last word may be inflected.
#[derive(Debug, Clone)]
pub(crate) struct Phrase {
    /// The phrase as the user wrote it, for reasons.
    pub text: String,
    words: Vec<String>,
}

impl Phrase {
    pub(crate) fn new(text: &str) -> Option<Phrase> {
        let words = words(text);
        if words.is_empty() {
            return None;
        }
        Some(Phrase {
            text: words.join(" "),
            words,
        })
    }

    pub(crate) fn len(&self) -> usize {
        self.words.len()
    }

    /// Whether the phrase starts at `pos` in `text`.
    pub(crate) fn matches_at(&self, text: &[String], pos: usize) -> bool {
        let n = self.words.len();
        if pos + n > text.len() {
            return false;
        }
        let (last, head) = self.words.split_last().expect("phrases are never empty");
        head.iter().zip(&text[pos..]).all(|(a, b)| a == b) && inflects(&text[pos + n - 1], last)
    }
}

pub(crate) fn phrases(list: &[String]) -> Vec<Phrase> {
    list.iter().filter_map(|s| Phrase::new(s)).collect()
}

/// The phrases of `keys` found in `text`, except where an `ignore` phrase covers the match.
/// Returns indexes into `keys`, each once, in order of first appearance.
pub(crate) fn find_phrases(text: &[String], keys: &[Phrase], ignore: &[Phrase]) -> Vec<usize> {
    let mut masked = vec![false; text.len()];
    for p in ignore {
        for pos in 0..text.len() {
            if p.matches_at(text, pos) {
                masked[pos..pos + p.len()].fill(true);
            }
        }
    }
    // A match also masks what it covers, so overlapping keys ("be a reference", "a reference
    // for") report once.
    let mut found = Vec::new();
    for pos in 0..text.len() {
        for (k, key) in keys.iter().enumerate() {
            if !masked[pos] && !found.contains(&k) && key.matches_at(text, pos) {
                found.push(k);
                masked[pos..pos + key.len()].fill(true);
            }
        }
    }
    found
}

/// Whether a post is a numbered part of a thread: "1/4" or "2/n" at its start or end,
/// "(1/3)" or "[2/3]" anywhere, or the thread emoji 🧵.
pub(crate) fn is_multi_part(text: &str) -> bool {
    if text.contains('\u{1f9f5}') {
        return true;
    }
    let tokens: Vec<&str> = text.split_whitespace().collect();
    let (Some(first), Some(last)) = (tokens.first(), tokens.last()) else {
        return false;
    };
    if part_number(first, false) || part_number(last, false) {
        return true;
    }
    tokens.iter().any(|t| part_number(t, true))
}

/// "1/4", "(1/4)", "[2/n]", "3/3." — `bracketed` demands the brackets.
fn part_number(token: &str, bracketed: bool) -> bool {
    let t = token.trim_end_matches(['.', ',', ':', ';', '!', '?']);
    let inner = if let Some(s) = t.strip_prefix('(').and_then(|s| s.strip_suffix(')')) {
        s
    } else if let Some(s) = t.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
        s
    } else if bracketed {
        return false;
    } else {
        t
    };
    let Some((a, b)) = inner.split_once('/') else {
        return false;
    };
    let small = |s: &str| !s.is_empty() && s.len() <= 2 && s.bytes().all(|c| c.is_ascii_digit());
    if !small(a) {
        return false;
    }
    let part: u32 = a.parse().unwrap_or(0);
    if part == 0 {
        return false;
    }
    if b.eq_ignore_ascii_case("n") {
        return true;
    }
    if !small(b) {
        return false;
    }
    let total: u32 = b.parse().unwrap_or(0);
    total >= 2 && part <= total
}

/// "35 minutes", "31 hours", "3 days".
pub(crate) fn duration_words(ms: i64) -> String {
    let minutes = (ms.max(0) + 59_999) / 60_000;
    if minutes < 120 {
        plural(minutes.max(1), "minute")
    } else if minutes < 48 * 60 {
        plural((minutes + 30) / 60, "hour")
    } else {
        plural((minutes + 12 * 60) / (24 * 60), "day")
    }
}

/// "1 message", "3 messages".
pub(crate) fn plural(n: i64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// "3 March 2025".
pub(crate) fn date_words(at: DateTime<Utc>) -> String {
    at.format("%-d %B %Y").to_string()
}

/// Whole days, rounded down.
pub(crate) fn days(ms: i64) -> i64 {
    ms.div_euclid(crate::suggest::settings::MS_PER_DAY)
}

/// "“salary”, “interview” and “visa”".
pub(crate) fn quoted_list(items: &[&str]) -> String {
    let quoted: Vec<String> = items
        .iter()
        .map(|s| format!("\u{201c}{s}\u{201d}"))
        .collect();
    match quoted.len() {
        0 => String::new(),
        1 => quoted[0].clone(),
        n => format!("{} and {}", quoted[..n - 1].join(", "), quoted[n - 1]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str, keys: &[&str], ignore: &[&str]) -> Vec<String> {
        let keys: Vec<Phrase> = keys.iter().filter_map(|k| Phrase::new(k)).collect();
        let ignore: Vec<Phrase> = ignore.iter().filter_map(|k| Phrase::new(k)).collect();
        find_phrases(&words(text), &keys, &ignore)
            .into_iter()
            .map(|k| keys[k].text.clone())
            .collect()
    }

    #[test]
    fn words_are_lower_case_and_split_on_punctuation() {
        assert_eq!(
            words("Don't miss #AusLibChat, @Ana! Koha-3.2"),
            ["dont", "miss", "auslibchat", "ana", "koha", "3", "2"]
        );
        assert_eq!(words("ÉTUDE"), ["étude"]);
    }

    #[test]
    fn inflections_match_but_other_words_do_not() {
        for (w, base) in [
            ("jobs", "job"),
            ("interviews", "interview"),
            ("interviewing", "interview"),
            ("interviewed", "interview"),
            ("salaries", "salary"),
            ("managers", "manager"),
            ("applied", "apply"),
            ("promoting", "promote"),
        ] {
            assert!(inflects(w, base), "{w} should inflect {base}");
        }
        for (w, base) in [
            ("jobless", "job"),
            ("healthy", "health"),
            ("visas2", "visa"),
        ] {
            assert!(!inflects(w, base), "{w} should not inflect {base}");
        }
    }

    #[test]
    fn keywords_match_whole_words_in_any_case() {
        assert_eq!(
            found("My JOB interview is Friday", &["job", "interview"], &[]),
            ["job", "interview"]
        );
        assert!(found("Snowjob and jobless", &["job"], &[]).is_empty());
        assert_eq!(
            found("Two interviews today", &["interview"], &[]),
            ["interview"]
        );
    }

    #[test]
    fn phrases_need_every_word_in_order() {
        assert_eq!(
            found("Would you be my mentor?", &["be my mentor"], &[]),
            ["be my mentor"]
        );
        assert!(found("my mentor would be", &["be my mentor"], &[]).is_empty());
    }

    #[test]
    fn overlapping_keys_report_once() {
        assert_eq!(
            found(
                "Happy to be a reference for you",
                &["a reference for", "be a reference"],
                &[]
            ),
            ["be a reference"]
        );
    }

    #[test]
    fn ignore_phrases_mask_their_words_only() {
        let ignore = ["reference interview", "great job"];
        assert!(found(
            "Great job on the reference interview workshop!",
            &["job", "interview"],
            &ignore
        )
        .is_empty());
        assert_eq!(
            found(
                "Great job! How did your job interview go?",
                &["job", "interview"],
                &ignore
            ),
            ["job", "interview"]
        );
    }

    #[test]
    fn thread_numbering_is_recognised() {
        for t in [
            "1/4 Why we moved our serials to Koha",
            "…and that is the end of it 4/4",
            "Lessons from the migration (2/3) and more",
            "More on RDA [3/5] today",
            "Thread 🧵 on cataloguing",
            "Starting a thread 1/n",
            "the end 3/3.",
        ] {
            assert!(is_multi_part(t), "{t:?} should be a part");
        }
        for t in [
            "The desk is open 24/7",
            "We met on 12/03/2024 at VALA",
            "Half the room (about 1/2) left early",
            "about 1/2 of the staff",
            "0/4 is not a part",
            "",
        ] {
            assert!(!is_multi_part(t), "{t:?} should not be a part");
        }
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration_words(35 * 60_000), "35 minutes");
        assert_eq!(duration_words(31 * 3_600_000), "31 hours");
        assert_eq!(duration_words(48 * 3_600_000), "2 days");
        assert_eq!(duration_words(0), "1 minute");
        assert_eq!(
            quoted_list(&["a", "b", "c"]),
            "\u{201c}a\u{201d}, \u{201c}b\u{201d} and \u{201c}c\u{201d}"
        );
    }
}
