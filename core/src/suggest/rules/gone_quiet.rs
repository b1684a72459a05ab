//! Gone quiet: a mentor, or a regular contact (6 or more interactions), with whom nothing has
//! happened for well past the usual rhythm — by default a silence of at least 3 times the
//! median gap between the days they were in touch, and at least 60 days. A relationship that
//! used to be regular and has gone quiet deserves a check-in: suggest one on the lightest
//! channel they use (the short-form channel used most recently, else email).
//!
//! The rhythm counts days, not messages: ten replies on one afternoon are one day in touch, so
//! a chatty thread does not make every later week look like a silence. A regular contact needs
//! at least three such days to have a rhythm; a mentor two.
//!
//! Keep in touch: when the user set a cadence for the contact (`cadence_days`), it is their
//! word on how often is enough, so no suggestion fires before that cadence is due, and 0 (no
//! reminders) silences the rule; role cadences only add to the reasons and the score.

use super::{median, span};
use crate::suggest::keep_in_touch;
use crate::suggest::settings::{at_least_one, MS_PER_DAY};
use crate::suggest::text::{date_words, days, plural};
use crate::suggest::{Ctx, Found, Rule};
use crate::Channel;

pub(crate) fn evaluate(ctx: &Ctx<'_, '_>) -> Option<Found> {
    let s = ctx.settings;
    let entries = ctx.entries;
    let last = entries.last()?;
    let mentor = ctx.is_mentor();
    if !mentor && entries.len() < at_least_one(s.gone_quiet_min_interactions) {
        return None;
    }
    if ctx.contact.cadence_days == Some(0) {
        return None;
    }
    let mut day_list: Vec<i64> = entries
        .iter()
        .map(|e| e.at.div_euclid(MS_PER_DAY))
        .collect();
    day_list.dedup();
    let mut gaps: Vec<i64> = day_list.windows(2).map(|w| w[1] - w[0]).collect();
    if gaps.len() < if mentor { 1 } else { 2 } {
        return None;
    }
    let rhythm = median(&mut gaps)?;
    let silence = ctx.now_ms - last.at;
    let needed = (s.gone_quiet_rhythm_factor.max(0.0) * (rhythm * MS_PER_DAY) as f64)
        .max((i64::from(s.gone_quiet_min_days) * MS_PER_DAY) as f64);
    if (silence as f64) < needed {
        return None;
    }
    let status = keep_in_touch::status(ctx.index, ctx.contact, entries, ctx.now, s);
    if ctx.contact.cadence_days.is_some() && status.as_ref().is_some_and(|k| k.overdue_days < 0) {
        return None;
    }

    let to = entries
        .iter()
        .rev()
        .find(|e| e.channel.is_short_form())
        .map_or(Channel::Email, |e| e.channel);
    let mut reasons = vec![
        format!(
            "Nothing with {} for {}, since {} on {}",
            ctx.name(),
            plural(days(silence), "day"),
            date_words(ctx.at(last)),
            last.channel.label()
        ),
        format!(
            "You used to be in touch every {} or so ({} since {})",
            if rhythm == 1 {
                "day".to_owned()
            } else {
                plural(rhythm, "day")
            },
            plural(entries.len() as i64, "interaction"),
            ctx.at(&entries[0]).format("%Y"),
        ),
    ];
    if let Some(k) = status.as_ref().filter(|k| k.overdue_days > 0) {
        let who = if mentor {
            format!("{} is a mentor; ", ctx.name())
        } else {
            String::new()
        };
        reasons.push(format!(
            "{who}you meant to be in touch every {} days, and that was due {} ago",
            k.cadence_days,
            plural(i64::from(k.overdue_days), "day")
        ));
    }
    reasons.push(format!(
        "A light check-in on {} is enough to pick the thread up again",
        to.label()
    ));

    let overshoot = (silence as f64 / needed - 1.0).clamp(0.0, 1.0);
    let history = (entries.len() as f64 / 50.0).min(1.0);
    // Silences of years are still worth a note, but less urgent than fresh ones.
    let fading = if days(silence) > 730 { 0.5 } else { 1.0 };
    let mix = (0.35 * overshoot + 0.3 * history + if mentor { 0.35 } else { 0.0 }) * fading;
    Some(Found {
        rule: Rule::GoneQuiet,
        from: Some(last.channel),
        to,
        score: span(0.35, 0.7, mix),
        reasons,
        evidence: vec![last.idx],
        anchor: ctx.interaction(last).id.clone(),
        event: None,
    })
}

#[cfg(test)]
mod tests {
    use crate::suggest::testkit::*;
    use crate::suggest::{Rule, SuggestSettings};
    use crate::{Channel, Contact, Interaction, RoleKind};

    const NOW: &str = "2025-03-20T12:00:00Z";

    /// `n` interactions every `every` days, the last `silent` days ago.
    fn rhythm(n: usize, every: i64, silent: i64) -> Vec<Interaction> {
        let last = at(NOW) - days(silent);
        (0..n)
            .map(|k| {
                let ago = (n - 1 - k) as i64 * every;
                msg(
                    &format!("r{k}"),
                    "c1",
                    if k % 3 == 0 {
                        Channel::Mastodon
                    } else {
                        Channel::Email
                    },
                    if k % 2 == 0 { OUT } else { IN },
                    last - days(ago),
                    "Catching up about the union catalogue",
                )
            })
            .collect()
    }

    fn check(c: &Contact, ints: &[Interaction]) -> Option<crate::suggest::Found> {
        run_default(Rule::GoneQuiet, c, ints, &[], at(NOW))
    }

    #[test]
    fn a_regular_contact_past_three_times_the_rhythm_fires() {
        // Every 20 days; 60 days of silence is exactly three times that.
        let f = check(&contact("c1", "Ana Lima"), &rhythm(8, 20, 60)).unwrap();
        assert_eq!(f.to, Channel::Mastodon);
        assert_eq!(f.anchor, "r7");
        assert!(
            f.reasons[0].starts_with("Nothing with Ana Lima for 60 days, since"),
            "{:?}",
            f.reasons
        );
        assert!(
            f.reasons[1]
                .starts_with("You used to be in touch every 20 days or so (8 interactions since"),
            "{:?}",
            f.reasons
        );
        assert!(check(&contact("c1", "Ana Lima"), &rhythm(8, 20, 59)).is_none());
    }

    #[test]
    fn sixty_days_is_the_floor() {
        assert!(check(&contact("c1", "A"), &rhythm(8, 5, 59)).is_none());
        assert!(check(&contact("c1", "A"), &rhythm(8, 5, 60)).is_some());
    }

    #[test]
    fn the_rhythm_must_be_broken_not_just_slow() {
        // Every 40 days: 100 days is not three times that.
        assert!(check(&contact("c1", "A"), &rhythm(8, 40, 100)).is_none());
        assert!(check(&contact("c1", "A"), &rhythm(8, 40, 120)).is_some());
    }

    #[test]
    fn occasional_contacts_are_left_alone_but_mentors_are_not() {
        assert!(check(&contact("c1", "A"), &rhythm(5, 10, 200)).is_none());
        let mentor = with_role(contact("c1", "Mia"), RoleKind::Mentor);
        let f = check(&mentor, &rhythm(3, 10, 200)).unwrap();
        assert!(
            f.reasons
                .iter()
                .any(|r| r.starts_with("Mia is a mentor; you meant to be in touch every 30 days")),
            "{:?}",
            f.reasons
        );
    }

    #[test]
    fn a_chatty_afternoon_is_one_day_in_touch() {
        // Twelve messages on one day, nothing since: no rhythm to break.
        let ints = exchange(
            "x",
            "c1",
            Channel::Twitter,
            at(NOW) - days(100),
            chrono::Duration::minutes(5),
            12,
        );
        assert!(check(&contact("c1", "A"), &ints).is_none());
    }

    #[test]
    fn an_explicit_cadence_not_yet_due_wins() {
        let mut c = contact("c1", "A");
        c.cadence_days = Some(180);
        assert!(check(&c, &rhythm(8, 20, 90)).is_none());
        c.cadence_days = Some(60);
        assert!(check(&c, &rhythm(8, 20, 90)).is_some());
        c.cadence_days = Some(0);
        assert!(check(&c, &rhythm(8, 20, 90)).is_none());
    }

    #[test]
    fn email_when_no_short_form_channel_was_used() {
        let ints: Vec<Interaction> = rhythm(8, 20, 90)
            .into_iter()
            .map(|mut i| {
                i.channel = Channel::Listserv;
                i
            })
            .collect();
        assert_eq!(
            check(&contact("c1", "A"), &ints).unwrap().to,
            Channel::Email
        );
        let s = SuggestSettings {
            gone_quiet_min_days: 100,
            ..SuggestSettings::default()
        };
        assert!(run(
            Rule::GoneQuiet,
            &contact("c1", "A"),
            &ints,
            &[],
            at(NOW),
            &s
        )
        .is_none());
    }
}
