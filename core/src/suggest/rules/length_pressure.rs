//! Length pressure: messages with the contact on a short-form channel that run near the
//! platform's limit (Twitter/X 280, Bluesky 300, Mastodon 500 characters; "near" is 90 % by
//! default), or that come as numbered parts ("1/4", "(2/3)", "🧵"). Two or more such messages
//! (default) say the conversation needs more room: suggest email — or a blog post when it is the
//! user writing threads in public.
//!
//! No suggestion when an email, call, meeting or blog post with the contact came after them,
//! when they are older than the recency window, or below the threshold.

use super::{
    after_last_move, evidence, is_private_long_form, recent_chain, span, strength, MAX_EVIDENCE,
};
use crate::suggest::settings::at_least_one;
use crate::suggest::text::{date_words, is_multi_part, plural};
use crate::suggest::{Ctx, Found, Rule};
use crate::{Channel, Direction};

pub(crate) fn evaluate(ctx: &Ctx<'_, '_>) -> Option<Found> {
    let s = ctx.settings;
    let min = at_least_one(s.length_min_messages);
    let tail = after_last_move(ctx.entries, |e| {
        is_private_long_form(e.channel) || e.channel == Channel::Blog
    });
    let mut parts = Vec::new();
    let run = recent_chain(ctx, tail, |e| {
        let Some(limit) = s.near_limit_chars(e.channel) else {
            return false;
        };
        let text = &ctx.interaction(e).text;
        let multi = is_multi_part(text);
        let hit = multi || text.chars().count() >= limit;
        if hit {
            parts.push(multi);
        }
        hit
    });
    parts.reverse();
    let (first, last) = (run.first()?, run.last()?);
    if run.len() < min {
        return None;
    }

    // The channel with most of the evidence names the limit in the reasons.
    let from = [Channel::Twitter, Channel::Mastodon, Channel::Bluesky]
        .into_iter()
        .max_by_key(|c| {
            (
                run.iter().filter(|e| e.channel == *c).count(),
                std::cmp::Reverse(*c),
            )
        })
        .unwrap_or(Channel::Twitter);
    let limit = s.length_limit(from).unwrap_or_default();
    let n_parts = parts.iter().filter(|p| **p).count();
    let n_near = run.len() - n_parts;
    let user_threads = n_parts > 0
        && run
            .iter()
            .all(|e| e.direction == Direction::Outbound && e.public);

    let mut what = Vec::new();
    if n_near > 0 {
        what.push(format!(
            "{} near the {limit}-character limit",
            plural(n_near as i64, "message")
        ));
    }
    if n_parts > 0 {
        what.push(format!(
            "{} split into numbered parts",
            plural(n_parts as i64, "post")
        ));
    }
    let mut reasons = vec![format!(
        "{} with {} on {} since {}",
        what.join(" and "),
        ctx.name(),
        from.label(),
        date_words(ctx.at(first)),
    )];
    let to = if user_threads {
        reasons.push(
            "You are writing threads: a blog post would hold the whole argument in one place, and you can share the link"
                .to_owned(),
        );
        Channel::Blog
    } else {
        reasons.push(format!(
            "{} keeps cutting this conversation short: email has room for the whole of it",
            from.label()
        ));
        Channel::Email
    };
    let mix = 0.6 * strength(run.len(), min) + 0.4 * (ctx.freshness(last) - 0.5) * 2.0;
    Some(Found {
        rule: Rule::LengthPressure,
        from: Some(from),
        to,
        score: span(0.4, 0.7, mix),
        reasons,
        evidence: evidence(&run, MAX_EVIDENCE),
        anchor: ctx.interaction(first).id.clone(),
        event: None,
    })
}

#[cfg(test)]
mod tests {
    use crate::suggest::testkit::*;
    use crate::suggest::Rule;
    use crate::{Channel, Interaction};

    const NOW: &str = "2025-03-20T12:00:00Z";

    fn post(
        id: &str,
        channel: Channel,
        dir: crate::Direction,
        ago_h: i64,
        text: &str,
    ) -> Interaction {
        msg(id, "c1", channel, dir, at(NOW) - hours(ago_h), text)
    }

    fn check(ints: &[Interaction]) -> Option<crate::suggest::Found> {
        run_default(
            Rule::LengthPressure,
            &contact("c1", "Ana Lima"),
            ints,
            &[],
            at(NOW),
        )
    }

    #[test]
    fn two_messages_at_ninety_percent_fire_email() {
        let ints = [
            post("a", Channel::Twitter, IN, 30, &"k".repeat(252)),
            post("b", Channel::Twitter, OUT, 20, &"k".repeat(260)),
            post("c", Channel::Twitter, IN, 10, "short"),
        ];
        let f = check(&ints).unwrap();
        assert_eq!(f.to, Channel::Email);
        assert_eq!(f.evidence.len(), 2);
        assert!(
            f.reasons[0]
                .starts_with("2 messages near the 280-character limit with Ana Lima on Twitter/X"),
            "{:?}",
            f.reasons
        );
    }

    #[test]
    fn just_under_ninety_percent_does_not() {
        let ints = [
            post("a", Channel::Twitter, IN, 30, &"k".repeat(251)),
            post("b", Channel::Twitter, OUT, 20, &"k".repeat(251)),
        ];
        assert!(check(&ints).is_none());
        // Mastodon's limit is higher: 449 characters are not near 500.
        let masto = [
            post("a", Channel::Mastodon, IN, 30, &"k".repeat(449)),
            post("b", Channel::Mastodon, OUT, 20, &"k".repeat(300)),
        ];
        assert!(check(&masto).is_none());
        let bsky = [
            post("a", Channel::Bluesky, IN, 30, &"k".repeat(270)),
            post("b", Channel::Bluesky, OUT, 20, &"k".repeat(299)),
        ];
        assert!(check(&bsky).is_some());
    }

    #[test]
    fn one_long_message_is_not_a_pattern() {
        assert!(check(&[post("a", Channel::Twitter, IN, 30, &"k".repeat(279))]).is_none());
    }

    #[test]
    fn user_threads_suggest_a_blog_post() {
        let ints = [
            post(
                "a",
                Channel::Mastodon,
                OUT,
                3,
                "1/3 Notes from our Koha upgrade",
            ),
            post(
                "b",
                Channel::Mastodon,
                OUT,
                3,
                "2/3 Serials were the hard part",
            ),
            post(
                "c",
                Channel::Mastodon,
                OUT,
                3,
                "3/3 Would we do it again? Yes.",
            ),
        ];
        let f = check(&ints).unwrap();
        assert_eq!(f.to, Channel::Blog);
        assert!(
            f.reasons[0].starts_with("3 posts split into numbered parts"),
            "{:?}",
            f.reasons
        );
        // The same numbered parts in a two-sided conversation go to email.
        let mut two_sided = ints.to_vec();
        two_sided.push(post(
            "d",
            Channel::Mastodon,
            IN,
            2,
            "(1/2) Great thread, but what about holds",
        ));
        assert_eq!(check(&two_sided).unwrap().to, Channel::Email);
    }

    #[test]
    fn email_after_means_moved_and_old_evidence_is_ignored() {
        let long = "k".repeat(275);
        let mut ints = vec![
            post("a", Channel::Twitter, IN, 30, &long),
            post("b", Channel::Twitter, OUT, 20, &long),
        ];
        ints.push(post("e", Channel::Email, OUT, 10, "Moving this to email"));
        assert!(check(&ints).is_none());
        let old = [
            post("a", Channel::Twitter, IN, 24 * 20, &long),
            post("b", Channel::Twitter, OUT, 24 * 15, &long),
        ];
        assert!(check(&old).is_none());
    }

    #[test]
    fn a_chain_keeps_its_first_message_as_anchor() {
        let long = "k".repeat(275);
        // Ten days apart each: one chain, though the first is older than the window.
        let ints = [
            post("a", Channel::Twitter, IN, 24 * 20, &long),
            post("b", Channel::Twitter, OUT, 24 * 10, &long),
            post("c", Channel::Twitter, OUT, 24, &long),
        ];
        let f = check(&ints).unwrap();
        assert_eq!(f.anchor, "a");
        assert_eq!(f.evidence.len(), 3);
    }

    #[test]
    fn long_emails_are_not_pressure() {
        let long = "k".repeat(2000);
        let ints = [
            post("a", Channel::Email, IN, 30, &long),
            post("b", Channel::Listserv, OUT, 20, &long),
        ];
        assert!(check(&ints).is_none());
    }
}
