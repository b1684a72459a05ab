//! Met in person, nothing since: the last interaction with the contact was a meeting in person
//! at least 14 days ago (default) and no follow-up of any kind came after. Suggest following
//! up online, on the channel used most with them online (else email). When the meeting fell
//! during an event both attended, the event is named.
//!
//! A meeting older than `follow_up_max_days` (default 365) is past following up; gone quiet
//! takes over for regular contacts.
//!
//! Keep in touch: the follow-up is due 14 days after the meeting whatever the cadence (a
//! meeting is a fresh start), but when the contact's cadence is also overdue the reasons say
//! so and the suggestion scores higher.

use super::{channel_use, span};
use crate::suggest::keep_in_touch;
use crate::suggest::settings::MS_PER_DAY;
use crate::suggest::text::{date_words, days, plural};
use crate::suggest::{Ctx, Found, Rule};
use crate::Channel;

pub(crate) fn evaluate(ctx: &Ctx<'_, '_>) -> Option<Found> {
    let s = ctx.settings;
    let last = ctx.entries.last()?;
    if last.channel != Channel::InPerson {
        return None;
    }
    let since = ctx.now_ms - last.at;
    if since < i64::from(s.follow_up_days) * MS_PER_DAY
        || since > i64::from(s.follow_up_max_days) * MS_PER_DAY
    {
        return None;
    }
    let met = ctx.at(last);
    let met_day = met.date_naive();
    let index = ctx.index;
    let event = index.events_of[ctx.pos].iter().copied().find(|&e| {
        let ev = &index.events[e as usize];
        ev.starts_on <= met_day && met_day <= ev.ends_on.max(ev.starts_on)
    });
    let online: Vec<_> = channel_use(ctx.entries)
        .into_iter()
        .filter(|(c, _, _)| {
            matches!(
                c,
                Channel::Twitter | Channel::Mastodon | Channel::Bluesky | Channel::Email
            )
        })
        .collect();
    let to = online.first().map_or(Channel::Email, |u| u.0);

    let at_event = event
        .map(|e| format!(" at {}", index.events[e as usize].name.trim()))
        .unwrap_or_default();
    let mut reasons = vec![format!(
        "You met {} in person{at_event} on {}, {} ago, and nothing since",
        ctx.name(),
        date_words(met),
        plural(days(since), "day")
    )];
    let status = keep_in_touch::status(index, ctx.contact, ctx.entries, ctx.now, s);
    let overdue = status.as_ref().is_some_and(|k| k.overdue_days > 0);
    if let Some(k) = status.as_ref().filter(|_| overdue) {
        reasons.push(format!(
            "You meant to be in touch every {} days",
            k.cadence_days
        ));
    }
    reasons.push(match online.first() {
        Some((c, n, _)) => format!(
            "A short note on {} — where you have talked {} times — keeps the connection going",
            c.label(),
            n
        ),
        None => "A short email keeps the connection going while the meeting is fresh".to_owned(),
    });

    let window = (s.follow_up_max_days.saturating_sub(s.follow_up_days)).max(1) as f64;
    let age = ((since as f64 / MS_PER_DAY as f64) - f64::from(s.follow_up_days)) / window;
    let mix = 0.5 * (1.0 - age.clamp(0.0, 1.0))
        + if overdue { 0.2 } else { 0.0 }
        + if ctx.is_mentor() { 0.3 } else { 0.0 };
    Some(Found {
        rule: Rule::MetNoFollowUp,
        from: Some(Channel::InPerson),
        to,
        score: span(0.45, 0.75, mix),
        reasons,
        evidence: vec![last.idx],
        anchor: ctx.interaction(last).id.clone(),
        event,
    })
}

#[cfg(test)]
mod tests {
    use crate::suggest::testkit::*;
    use crate::suggest::Rule;
    use crate::{Channel, Event, Interaction};

    const NOW: &str = "2025-03-20T12:00:00Z";

    fn met(ago_days: i64) -> Vec<Interaction> {
        vec![
            msg(
                "t1",
                "c1",
                Channel::Bluesky,
                OUT,
                at(NOW) - days(90),
                "Loved your talk slides",
            ),
            msg(
                "t2",
                "c1",
                Channel::Bluesky,
                IN,
                at(NOW) - days(89),
                "Thanks!",
            ),
            msg(
                "e1",
                "c1",
                Channel::Email,
                IN,
                at(NOW) - days(60),
                "See you at NLS",
            ),
            msg(
                "p1",
                "c1",
                Channel::InPerson,
                BOTH,
                at(NOW) - days(ago_days),
                "Coffee between sessions",
            ),
        ]
    }

    fn check(ints: &[Interaction], events: &[Event]) -> Option<crate::suggest::Found> {
        run_default(
            Rule::MetNoFollowUp,
            &contact("c1", "Ana Lima"),
            ints,
            events,
            at(NOW),
        )
    }

    #[test]
    fn fourteen_days_after_meeting_fires_on_the_usual_channel() {
        let f = check(&met(14), &[]).unwrap();
        assert_eq!(f.to, Channel::Bluesky);
        assert_eq!(f.anchor, "p1");
        assert!(check(&met(13), &[]).is_none());
        let only_met = |ago| {
            vec![msg(
                "p",
                "c1",
                Channel::InPerson,
                BOTH,
                at(NOW) - days(ago),
                "Met at a meetup",
            )]
        };
        assert!(check(&only_met(365), &[]).is_some());
        assert!(check(&only_met(366), &[]).is_none());
    }

    #[test]
    fn any_follow_up_counts() {
        let mut ints = met(20);
        ints.push(msg(
            "f",
            "c1",
            Channel::Listserv,
            IN,
            at(NOW) - days(2),
            "Great to meet you",
        ));
        assert!(check(&ints, &[]).is_none());
    }

    #[test]
    fn names_the_event_and_defaults_to_email() {
        let ints = vec![msg(
            "p1",
            "c1",
            Channel::InPerson,
            BOTH,
            at(NOW) - days(20),
            "Met at the poster session",
        )];
        let ev = event("e1", "NLS9", "2025-02-27", "2025-03-01", &["c1"]);
        let f = check(&ints, &[ev]).unwrap();
        assert_eq!(f.to, Channel::Email);
        assert_eq!(f.event, Some(0));
        assert!(
            f.reasons[0]
                .starts_with("You met Ana Lima in person at NLS9 on 28 February 2025, 20 days ago"),
            "{:?}",
            f.reasons
        );
    }
}
