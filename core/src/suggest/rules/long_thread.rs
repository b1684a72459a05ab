//! Long exchange on a short-form channel: many messages, both sides writing, in a short time
//! (default 6 within 48 hours) on Twitter/X, Mastodon or Bluesky. Such a conversation has
//! outgrown bite-sized posts: suggest email, or a call.
//!
//! Only messages naming the contact alone count: a group thread is not one conversation, and
//! suggesting email to each of its members would be noise.
//!
//! No suggestion when an email, call or meeting with the contact came after the burst (it has
//! moved), when the burst is older than the recency window, or when only one side wrote.

use super::{
    after_last_move, evidence, is_private_long_form, latest_burst, sides, span, strength,
    MAX_EVIDENCE,
};
use crate::suggest::index::Entry;
use crate::suggest::settings::{at_least_one, MS_PER_HOUR};
use crate::suggest::text::{date_words, duration_words};
use crate::suggest::{Ctx, Found, Rule};
use crate::Channel;

pub(crate) fn evaluate(ctx: &Ctx<'_, '_>) -> Option<Found> {
    let s = ctx.settings;
    let min = at_least_one(s.long_thread_min_messages);
    let window = i64::from(s.long_thread_window_hours) * MS_PER_HOUR;
    let tail = after_last_move(ctx.entries, |e| is_private_long_form(e.channel));
    let mut best: Option<(i64, Found)> = None;
    for channel in [Channel::Twitter, Channel::Mastodon, Channel::Bluesky] {
        let seq: Vec<Entry> = tail
            .iter()
            .filter(|e| e.channel == channel && e.solo)
            .copied()
            .collect();
        let Some(b) = latest_burst(&seq, min, window, true) else {
            continue;
        };
        let burst = &seq[b.start..=b.end];
        let (first, last) = (&burst[0], &burst[burst.len() - 1]);
        if !ctx.is_recent(last) {
            continue;
        }
        let near = s.near_limit_chars(channel).map_or(0, |limit| {
            burst
                .iter()
                .filter(|e| ctx.interaction(e).text.chars().count() >= limit)
                .count()
        });
        let mut reasons = vec![format!(
            "{} messages between you and {} in {} on {} ({}), the latest on {}",
            burst.len(),
            ctx.name(),
            duration_words(last.at - first.at),
            channel.label(),
            sides(ctx, burst),
            date_words(ctx.at(last)),
        )];
        if near > 0 {
            reasons.push(format!(
                "{near} of them ran near the {}-character limit",
                s.length_limit(channel).unwrap_or_default()
            ));
        }
        reasons.push(format!(
            "A conversation this long has outgrown {}: email gives it room, or a call settles it in one go",
            channel.label()
        ));
        let mix = 0.5 * strength(burst.len(), min)
            + 0.3 * (ctx.freshness(last) - 0.5) * 2.0
            + 0.2 * (near as f64 / burst.len() as f64);
        let found = Found {
            rule: Rule::LongThread,
            from: Some(channel),
            to: Channel::Email,
            score: span(0.5, 0.8, mix) + if ctx.is_mentor() { 0.05 } else { 0.0 },
            reasons,
            evidence: evidence(burst, MAX_EVIDENCE),
            anchor: ctx.interaction(first).id.clone(),
            event: None,
        };
        if best.as_ref().is_none_or(|(t, _)| last.at > *t) {
            best = Some((last.at, found));
        }
    }
    best.map(|(_, f)| f)
}

#[cfg(test)]
mod tests {
    use crate::suggest::testkit::*;
    use crate::suggest::{Rule, SuggestSettings};
    use crate::Channel;

    const NOW: &str = "2025-03-20T12:00:00Z";

    /// `n` alternating messages spread evenly over `span_secs`, ending an hour before now.
    fn thread(n: usize, span_secs: i64, channel: Channel) -> Vec<crate::Interaction> {
        let now = at(NOW);
        let start = now - hours(1) - chrono::Duration::seconds(span_secs);
        (0..n)
            .map(|k| {
                let offset = if n > 1 {
                    span_secs * k as i64 / (n as i64 - 1)
                } else {
                    0
                };
                msg(
                    &format!("t{k}"),
                    "c1",
                    channel,
                    if k % 2 == 0 { OUT } else { IN },
                    start + chrono::Duration::seconds(offset),
                    "Has anyone mapped 490 series statements to BIBFRAME yet?",
                )
            })
            .collect()
    }

    fn fires(ints: &[crate::Interaction]) -> bool {
        run_default(
            Rule::LongThread,
            &contact("c1", "Ana Lima"),
            ints,
            &[],
            at(NOW),
        )
        .is_some()
    }

    #[test]
    fn six_messages_in_exactly_48_hours_fire() {
        let f = run_default(
            Rule::LongThread,
            &contact("c1", "Ana Lima"),
            &thread(6, 48 * 3600, Channel::Twitter),
            &[],
            at(NOW),
        )
        .unwrap();
        assert_eq!(f.to, Channel::Email);
        assert_eq!(f.from, Some(Channel::Twitter));
        assert_eq!(f.evidence.len(), 6);
        assert!(f.reasons[0].starts_with("6 messages between you and Ana Lima in 2 days on Twitter/X (3 from you, 3 from Ana Lima)"), "{:?}", f.reasons);
    }

    #[test]
    fn five_messages_do_not() {
        assert!(!fires(&thread(5, 10 * 3600, Channel::Mastodon)));
    }

    #[test]
    fn one_second_over_48_hours_does_not() {
        assert!(!fires(&thread(6, 48 * 3600 + 1, Channel::Bluesky)));
    }

    #[test]
    fn one_sided_broadcast_does_not() {
        let mut ints = thread(8, 3600, Channel::Twitter);
        for i in &mut ints {
            i.direction = OUT;
        }
        assert!(!fires(&ints));
    }

    #[test]
    fn email_after_the_burst_means_it_moved() {
        let mut ints = thread(8, 3600, Channel::Twitter);
        ints.push(msg(
            "e1",
            "c1",
            Channel::Email,
            OUT,
            at(NOW) - hours(1) + chrono::Duration::minutes(5),
            "As promised, the longer version",
        ));
        // Evidence is an hour old; the email came five minutes after the last tweet.
        assert!(!fires(&ints));
        // An email before the burst does not count as moving it.
        let mut before = thread(8, 3600, Channel::Twitter);
        before.push(msg(
            "e0",
            "c1",
            Channel::Email,
            OUT,
            at(NOW) - days(30),
            "Hello",
        ));
        assert!(fires(&before));
    }

    #[test]
    fn old_bursts_do_not_fire() {
        let old: Vec<_> = thread(8, 3600, Channel::Twitter)
            .into_iter()
            .map(|mut i| {
                i.occurred_at -= days(15);
                i
            })
            .collect();
        assert!(!fires(&old));
        let edge: Vec<_> = thread(8, 3600, Channel::Twitter)
            .into_iter()
            .map(|mut i| {
                i.occurred_at = i.occurred_at - days(14) + hours(1);
                i
            })
            .collect();
        assert!(
            fires(&edge),
            "the last message exactly 14 days old is still recent"
        );
    }

    #[test]
    fn group_threads_are_not_one_conversation() {
        let mut ints = thread(8, 3600, Channel::Twitter);
        for i in &mut ints {
            i.contact_ids.push("c2".into());
        }
        assert!(!fires(&ints));
    }

    #[test]
    fn email_and_calls_are_never_moved() {
        assert!(!fires(&thread(10, 3600, Channel::Email)));
        assert!(!fires(&thread(10, 3600, Channel::Listserv)));
    }

    #[test]
    fn thresholds_come_from_settings() {
        let s = SuggestSettings {
            long_thread_min_messages: 4,
            long_thread_window_hours: 2,
            ..SuggestSettings::default()
        };
        let c = contact("c1", "Ana Lima");
        assert!(run(
            Rule::LongThread,
            &c,
            &thread(4, 7200, Channel::Twitter),
            &[],
            at(NOW),
            &s
        )
        .is_some());
        assert!(run(
            Rule::LongThread,
            &c,
            &thread(4, 7201, Channel::Twitter),
            &[],
            at(NOW),
            &s
        )
        .is_none());
    }

    #[test]
    fn near_limit_messages_are_mentioned() {
        let mut ints = thread(6, 3600, Channel::Twitter);
        for i in ints.iter_mut().skip(3) {
            i.text = "x".repeat(270);
        }
        let f = run_default(
            Rule::LongThread,
            &contact("c1", "Ana Lima"),
            &ints,
            &[],
            at(NOW),
        )
        .unwrap();
        assert!(
            f.reasons
                .iter()
                .any(|r| r == "3 of them ran near the 280-character limit"),
            "{:?}",
            f.reasons
        );
    }
}
