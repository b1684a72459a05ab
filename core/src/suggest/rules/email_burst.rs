//! Email burst: emails flying back and forth in a few days (default 6 or more, both sides
//! writing, within 4 days). A call or a meeting settles in half an hour what takes a dozen
//! emails: suggest a video call.
//!
//! Only emails with the contact alone count: a busy group thread calls for a group decision,
//! not a call with each person on it.
//!
//! No suggestion when a call, video call or meeting with the contact came after the burst,
//! when the burst is older than the recency window, or when only one side wrote.

use super::{
    after_last_move, evidence, is_live, latest_burst, sides, span, strength, MAX_EVIDENCE,
};
use crate::suggest::index::Entry;
use crate::suggest::settings::{at_least_one, MS_PER_DAY};
use crate::suggest::text::{date_words, duration_words};
use crate::suggest::{Ctx, Found, Rule};
use crate::Channel;

pub(crate) fn evaluate(ctx: &Ctx<'_, '_>) -> Option<Found> {
    let s = ctx.settings;
    let min = at_least_one(s.email_burst_min_messages);
    let window = i64::from(s.email_burst_window_days) * MS_PER_DAY;
    let tail = after_last_move(ctx.entries, |e| is_live(e.channel));
    let seq: Vec<Entry> = tail
        .iter()
        .filter(|e| e.channel == Channel::Email && e.solo)
        .copied()
        .collect();
    let b = latest_burst(&seq, min, window, true)?;
    let burst = &seq[b.start..=b.end];
    let (first, last) = (&burst[0], &burst[burst.len() - 1]);
    if !ctx.is_recent(last) {
        return None;
    }
    let reasons = vec![
        format!(
            "{} emails between you and {} in {} ({}), the latest on {}",
            burst.len(),
            ctx.name(),
            duration_words(last.at - first.at),
            sides(ctx, burst),
            date_words(ctx.at(last)),
        ),
        "A call would settle in half an hour what is taking a stream of emails".to_owned(),
    ];
    let mix = 0.6 * strength(burst.len(), min) + 0.4 * (ctx.freshness(last) - 0.5) * 2.0;
    Some(Found {
        rule: Rule::EmailBurst,
        from: Some(Channel::Email),
        to: Channel::VideoCall,
        score: span(0.45, 0.75, mix),
        reasons,
        evidence: evidence(burst, MAX_EVIDENCE),
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

    fn emails(n: usize, span_secs: i64) -> Vec<Interaction> {
        let start = at(NOW) - hours(2) - chrono::Duration::seconds(span_secs);
        let step = chrono::Duration::seconds(span_secs / (n as i64 - 1));
        let mut ints = exchange("e", "c1", Channel::Email, start, step, n);
        ints.last_mut().unwrap().occurred_at = start + chrono::Duration::seconds(span_secs);
        ints
    }

    fn check(ints: &[Interaction]) -> Option<crate::suggest::Found> {
        run_default(
            Rule::EmailBurst,
            &contact("c1", "Ana Lima"),
            ints,
            &[],
            at(NOW),
        )
    }

    #[test]
    fn six_emails_in_exactly_four_days_fire() {
        let f = check(&emails(6, 4 * 86_400)).unwrap();
        assert_eq!(f.to, Channel::VideoCall);
        assert_eq!(f.from, Some(Channel::Email));
        assert!(
            f.reasons[0].starts_with(
                "6 emails between you and Ana Lima in 4 days (3 from you, 3 from Ana Lima)"
            ),
            "{:?}",
            f.reasons
        );
    }

    #[test]
    fn five_emails_or_a_second_too_long_do_not() {
        assert!(check(&emails(5, 86_400)).is_none());
        assert!(check(&emails(6, 4 * 86_400 + 1)).is_none());
    }

    #[test]
    fn one_sided_mail_does_not() {
        let mut ints = emails(8, 86_400);
        for i in &mut ints {
            i.direction = IN;
        }
        assert!(check(&ints).is_none());
    }

    #[test]
    fn group_emails_do_not_count() {
        let mut ints = emails(8, 86_400);
        for i in &mut ints {
            i.contact_ids.push("c2".into());
        }
        assert!(check(&ints).is_none());
    }

    #[test]
    fn a_call_after_means_it_moved() {
        let mut ints = emails(8, 86_400);
        ints.push(msg(
            "call",
            "c1",
            Channel::VideoCall,
            BOTH,
            at(NOW) - hours(1),
            "Zoom about the ILL project",
        ));
        assert!(check(&ints).is_none());
    }

    #[test]
    fn old_bursts_do_not_fire() {
        let ints: Vec<Interaction> = emails(8, 86_400)
            .into_iter()
            .map(|mut i| {
                i.occurred_at -= days(15);
                i
            })
            .collect();
        assert!(check(&ints).is_none());
    }
}
