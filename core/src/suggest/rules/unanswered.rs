//! Unanswered: the user's latest message has had no reply from the contact on any channel for
//! a week (default), while on another channel the contact usually answers within a day. Messages
//! on listservs and email sometimes go unanswered; the same person may answer within hours
//! elsewhere. Suggest trying that channel.
//!
//! The usual reply time on a channel is the median, over every outbound message there, of the
//! time to the contact's next inbound message there; it needs at least 2 such replies
//! (default). Channels the user already tried since the unanswered message are not suggested.
//! A message older than `unanswered_max_age_days` is history rather than a nudge (gone quiet
//! covers it).

use super::{median, span, strength};
use crate::suggest::settings::{at_least_one, MS_PER_DAY, MS_PER_HOUR};
use crate::suggest::text::{date_words, duration_words, plural};
use crate::suggest::{Ctx, Found, Rule};
use crate::{Channel, Direction};

pub(crate) fn evaluate(ctx: &Ctx<'_, '_>) -> Option<Found> {
    let s = ctx.settings;
    let entries = ctx.entries;
    let after_reply = match entries.iter().rposition(|e| e.by_contact()) {
        Some(p) => &entries[p + 1..],
        None => entries,
    };
    let waiting: Vec<_> = after_reply
        .iter()
        .filter(|e| e.direction == Direction::Outbound && e.channel != Channel::InPerson)
        .collect();
    // The latest message is the one waiting: after a nudge, give the nudge its week.
    let anchor = *waiting.last()?;
    let waited = ctx.now_ms - anchor.at;
    if waited < i64::from(s.unanswered_days) * MS_PER_DAY
        || waited > i64::from(s.unanswered_max_age_days) * MS_PER_DAY
    {
        return None;
    }

    // Reply times per channel: each outbound message to the next inbound one there.
    let mut pending: [Vec<i64>; Channel::ALL.len()] = Default::default();
    let mut samples: [Vec<i64>; Channel::ALL.len()] = Default::default();
    for e in entries {
        let c = e.channel as usize;
        match e.direction {
            Direction::Outbound => pending[c].push(e.at),
            Direction::Inbound => {
                for t in pending[c].drain(..) {
                    samples[c].push(e.at - t);
                }
            }
            Direction::Mutual => pending[c].clear(),
        }
    }
    let min_samples = at_least_one(s.unanswered_min_samples);
    let limit = i64::from(s.unanswered_reply_hours) * MS_PER_HOUR;
    let best = Channel::ALL
        .into_iter()
        .filter(|c| *c != Channel::InPerson && !waiting.iter().any(|w| w.channel == *c))
        .filter_map(|c| {
            let list = &mut samples[c as usize];
            let n = list.len();
            if n < min_samples {
                return None;
            }
            let m = median(list)?;
            (m <= limit).then_some((c, m, n))
        })
        .min_by(|a, b| a.1.cmp(&b.1).then(b.2.cmp(&a.2)).then(a.0.cmp(&b.0)))?;
    let (to, typical, n) = best;

    let mut first = format!(
        "Your {} of {} has had no reply from {} in {}",
        message_noun(anchor.channel),
        date_words(ctx.at(anchor)),
        ctx.name(),
        plural(crate::suggest::text::days(waited), "day"),
    );
    if waiting.len() > 1 {
        first.push_str(&format!(
            ", nor {} before it",
            if waiting.len() == 2 {
                "the message".to_owned()
            } else {
                format!("the {} messages", waiting.len() - 1)
            }
        ));
    }
    let reasons = vec![
        first,
        format!(
            "On {} {} usually answers within {} (median of {} replies)",
            to.label(),
            ctx.name(),
            duration_words(typical),
            n
        ),
    ];
    let quick = 1.0 - typical as f64 / limit.max(1) as f64;
    let mix =
        0.5 * quick + 0.3 * strength(n, min_samples) + if ctx.is_mentor() { 0.2 } else { 0.0 };
    Some(Found {
        rule: Rule::Unanswered,
        from: Some(anchor.channel),
        to,
        score: span(0.6, 0.85, mix),
        reasons,
        evidence: waiting.iter().map(|e| e.idx).collect(),
        anchor: ctx.interaction(anchor).id.clone(),
        event: None,
    })
}

/// "email", "listserv post", "Mastodon message".
fn message_noun(channel: Channel) -> String {
    match channel {
        Channel::Email => "email".to_owned(),
        Channel::Listserv => "listserv post".to_owned(),
        Channel::Blog => "blog comment".to_owned(),
        Channel::Phone => "call".to_owned(),
        Channel::VideoCall => "video call invitation".to_owned(),
        c => format!("{} message", c.label()),
    }
}

#[cfg(test)]
mod tests {
    use crate::suggest::testkit::*;
    use crate::suggest::{Rule, SuggestSettings};
    use crate::{Channel, Interaction};

    const NOW: &str = "2025-03-20T12:00:00Z";

    /// Two quick Mastodon replies a month ago, then an email 8 days ago with no answer.
    fn history(reply_minutes: i64) -> Vec<Interaction> {
        let base = at(NOW) - days(40);
        let m = chrono::Duration::minutes(reply_minutes);
        vec![
            msg("m1", "c1", Channel::Mastodon, OUT, base, "Koha question"),
            msg("m2", "c1", Channel::Mastodon, IN, base + m, "Answer"),
            msg(
                "m3",
                "c1",
                Channel::Mastodon,
                OUT,
                base + days(5),
                "Another",
            ),
            msg(
                "m4",
                "c1",
                Channel::Mastodon,
                IN,
                base + days(5) + m,
                "Answer again",
            ),
            msg(
                "e1",
                "c1",
                Channel::Listserv,
                OUT,
                at(NOW) - days(8),
                "Reply-to-list about ILL fees",
            ),
        ]
    }

    fn check(ints: &[Interaction]) -> Option<crate::suggest::Found> {
        run_default(
            Rule::Unanswered,
            &contact("c1", "Ana Lima"),
            ints,
            &[],
            at(NOW),
        )
    }

    #[test]
    fn suggests_the_channel_where_they_answer_fast() {
        let f = check(&history(90)).unwrap();
        assert_eq!(f.from, Some(Channel::Listserv));
        assert_eq!(f.to, Channel::Mastodon);
        assert_eq!(f.anchor, "e1");
        assert_eq!(
            f.reasons[0],
            "Your listserv post of 12 March 2025 has had no reply from Ana Lima in 8 days"
        );
        assert_eq!(
            f.reasons[1],
            "On Mastodon Ana Lima usually answers within 90 minutes (median of 2 replies)"
        );
    }

    #[test]
    fn the_week_is_the_edge() {
        let mut ints = history(90);
        ints[4].occurred_at = at(NOW) - days(7);
        assert!(check(&ints).is_some());
        ints[4].occurred_at = at(NOW) - days(7) + chrono::Duration::seconds(1);
        assert!(check(&ints).is_none());
    }

    #[test]
    fn slow_or_rare_replies_elsewhere_do_not_help() {
        assert!(check(&history(24 * 60)).is_some());
        assert!(check(&history(24 * 60 + 1)).is_none());
        let mut one_sample = history(30);
        one_sample.drain(2..4);
        assert!(check(&one_sample).is_none());
    }

    #[test]
    fn a_nudge_gets_its_own_week() {
        let mut ints = history(30);
        ints.push(msg(
            "n",
            "c1",
            Channel::Listserv,
            OUT,
            at(NOW) - days(3),
            "Bumping this",
        ));
        assert!(check(&ints).is_none());
        ints.last_mut().unwrap().occurred_at = at(NOW) - days(7);
        let f = check(&ints).unwrap();
        assert_eq!(f.anchor, "n");
        assert!(
            f.reasons[0].ends_with("in 7 days, nor the message before it"),
            "{:?}",
            f.reasons
        );
    }

    #[test]
    fn any_reply_anywhere_answers_it() {
        let mut ints = history(30);
        ints.push(msg(
            "r",
            "c1",
            Channel::Bluesky,
            IN,
            at(NOW) - days(2),
            "Saw your list post!",
        ));
        assert!(check(&ints).is_none());
    }

    #[test]
    fn channels_already_tried_are_not_suggested() {
        let mut ints = history(30);
        ints.push(msg(
            "t",
            "c1",
            Channel::Mastodon,
            OUT,
            at(NOW) - days(3),
            "Did you see my list post?",
        ));
        assert!(check(&ints).is_none());
    }

    #[test]
    fn very_old_silences_are_left_to_gone_quiet() {
        let mut ints = history(30);
        ints[4].occurred_at = at(NOW) - days(91);
        for i in ints.iter_mut().take(4) {
            i.occurred_at -= days(60);
        }
        assert!(check(&ints).is_none());
        let s = SuggestSettings {
            unanswered_max_age_days: 120,
            ..SuggestSettings::default()
        };
        assert!(run(
            Rule::Unanswered,
            &contact("c1", "A"),
            &ints,
            &[],
            at(NOW),
            &s
        )
        .is_some());
    }
}
