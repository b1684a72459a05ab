//! Meet at an event: the contact attends an event that starts within the next 30 days (or is
//! under way) — the user is assumed to attend every event in the store — and the two have never
//! met in person, or not for a long time (default 365 days). People love meeting in person
//! those they have only followed online, and conferences are where. Suggest meeting there,
//! naming the event. When several events qualify, the soonest is named.

use chrono::NaiveDate;

use super::{channel_use, span};
use crate::suggest::settings::MS_PER_DAY;
use crate::suggest::text::{date_words, days, plural};
use crate::suggest::{Ctx, Found, Rule};
use crate::{Channel, Event, EventKind};

pub(crate) fn evaluate(ctx: &Ctx<'_, '_>) -> Option<Found> {
    let s = ctx.settings;
    let today = ctx.now.date_naive();
    let horizon = today + chrono::Days::new(u64::from(s.event_lookahead_days));
    let index = ctx.index;
    let (e_pos, event) = index.events_of[ctx.pos]
        .iter()
        .map(|&e| (e, &index.events[e as usize]))
        .filter(|(_, ev)| {
            let ends = ev.ends_on.max(ev.starts_on);
            ev.starts_on <= horizon && ends >= today && in_person(ev)
        })
        .min_by(|a, b| a.1.starts_on.cmp(&b.1.starts_on).then(a.1.id.cmp(&b.1.id)))?;

    let last_met = ctx
        .entries
        .iter()
        .rev()
        .find(|e| e.channel == Channel::InPerson);
    let stale = i64::from(s.event_in_person_stale_days) * MS_PER_DAY;
    if let Some(m) = last_met {
        if ctx.now_ms - m.at < stale {
            return None;
        }
    }

    let until = (event.starts_on - today).num_days();
    let when = if until < 0 {
        "under way now".to_owned()
    } else if until == 0 {
        "starting today".to_owned()
    } else if until == 1 {
        "starting tomorrow".to_owned()
    } else {
        format!("starting {} (in {until} days)", day_words(event.starts_on))
    };
    let place = if event.location.trim().is_empty() {
        String::new()
    } else {
        format!(" in {}", event.location.trim())
    };
    let mut reasons = vec![format!(
        "You are both going to {}{place}, {when}",
        event.name.trim()
    )];
    let online = channel_use(ctx.entries);
    match last_met {
        Some(m) => reasons.push(format!(
            "You last met {} in person on {}, {} ago",
            ctx.name(),
            date_words(ctx.at(m)),
            plural(days(ctx.now_ms - m.at), "day")
        )),
        None if ctx.entries.is_empty() => reasons.push(format!(
            "You have never met {} in person, nor talked yet: a conference is an easy place to start",
            ctx.name()
        )),
        None => reasons.push(format!(
            "You have only met online: {} since {}, mostly on {}",
            plural(ctx.entries.len() as i64, "interaction"),
            date_words(ctx.at(&ctx.entries[0])),
            online[0].0.label()
        )),
    }
    reasons.push(
        "Arrange to meet there: a coffee between sessions does more than a year of replies"
            .to_owned(),
    );

    // Sooner events, richer histories and mentors come first.
    let soon = 1.0 - (until.max(0) as f64 / f64::from(s.event_lookahead_days.max(1))).min(1.0);
    let history = (ctx.entries.len() as f64 / 20.0).min(1.0);
    let mix = 0.4 * soon + 0.4 * history + if ctx.is_mentor() { 0.2 } else { 0.0 };
    Some(Found {
        rule: Rule::MeetAtEvent,
        from: online
            .first()
            .map(|u| u.0)
            .filter(|c| *c != Channel::InPerson),
        to: Channel::InPerson,
        score: span(0.55, 0.9, mix),
        reasons,
        evidence: ctx
            .entries
            .iter()
            .rev()
            .take(3)
            .rev()
            .map(|e| e.idx)
            .collect(),
        anchor: event.id.clone(),
        event: Some(e_pos),
    })
}

/// Whether people can meet at an event: not a Twitter chat or a webinar, not held online.
fn in_person(ev: &Event) -> bool {
    let place = ev.location.trim().to_lowercase();
    !matches!(ev.kind, EventKind::TwitterChat | EventKind::Webinar)
        && !matches!(
            place.as_str(),
            "online" | "virtual" | "zoom" | "web" | "internet"
        )
}

/// "Thursday 3 April".
fn day_words(d: NaiveDate) -> String {
    d.format("%A %-d %B").to_string()
}

#[cfg(test)]
mod tests {
    use crate::suggest::testkit::*;
    use crate::suggest::{Rule, SuggestSettings};
    use crate::{Channel, Event, Interaction};

    const NOW: &str = "2025-03-20T12:00:00Z";

    fn check(ints: &[Interaction], events: &[Event]) -> Option<crate::suggest::Found> {
        run_default(
            Rule::MeetAtEvent,
            &contact("c1", "Ana Lima"),
            ints,
            events,
            at(NOW),
        )
    }

    fn online() -> Vec<Interaction> {
        exchange(
            "m",
            "c1",
            Channel::Twitter,
            at(NOW) - days(200),
            days(10),
            12,
        )
    }

    #[test]
    fn co_attending_someone_only_met_online_fires() {
        let ev = event("e1", "VALA2025", "2025-04-09", "2025-04-11", &["c1", "c2"]);
        let f = check(&online(), &[ev]).unwrap();
        assert_eq!(f.to, Channel::InPerson);
        assert_eq!(f.event, Some(0));
        assert_eq!(f.anchor, "e1");
        assert_eq!(
            f.reasons[0],
            "You are both going to VALA2025 in Melbourne, starting Wednesday 9 April (in 20 days)"
        );
        assert!(
            f.reasons[1].starts_with("You have only met online: 12 interactions since"),
            "{:?}",
            f.reasons
        );
    }

    #[test]
    fn the_lookahead_edge_is_thirty_days() {
        assert!(check(
            &online(),
            &[event("e1", "NLS", "2025-04-19", "2025-04-19", &["c1"])]
        )
        .is_some());
        assert!(check(
            &online(),
            &[event("e1", "NLS", "2025-04-20", "2025-04-20", &["c1"])]
        )
        .is_none());
        // Under way counts; over does not.
        assert!(check(
            &online(),
            &[event("e1", "NLS", "2025-03-19", "2025-03-21", &["c1"])]
        )
        .is_some());
        assert!(check(
            &online(),
            &[event("e1", "NLS", "2025-03-10", "2025-03-19", &["c1"])]
        )
        .is_none());
    }

    #[test]
    fn online_events_are_no_place_to_meet() {
        let mut chat = event("e1", "#auslibchat", "2025-04-01", "2025-04-01", &["c1"]);
        chat.kind = crate::EventKind::TwitterChat;
        assert!(check(&online(), &[chat]).is_none());
        let mut webinar = event("e1", "ALIA webinar", "2025-04-01", "2025-04-01", &["c1"]);
        webinar.location = "Online".into();
        assert!(check(&online(), &[webinar]).is_none());
    }

    #[test]
    fn only_when_they_attend() {
        assert!(check(
            &online(),
            &[event("e1", "NLS", "2025-04-01", "2025-04-01", &["c2"])]
        )
        .is_none());
    }

    #[test]
    fn a_recent_meeting_is_enough() {
        let ev = [event("e1", "NLS", "2025-04-01", "2025-04-01", &["c1"])];
        let mut ints = online();
        ints.push(msg(
            "p",
            "c1",
            Channel::InPerson,
            BOTH,
            at(NOW) - days(364),
            "Lunch at ALIA",
        ));
        assert!(check(&ints, &ev).is_none());
        ints.last_mut().unwrap().occurred_at = at(NOW) - days(365);
        let f = check(&ints, &ev).unwrap();
        assert!(
            f.reasons[1].starts_with("You last met Ana Lima in person on"),
            "{:?}",
            f.reasons
        );
    }

    #[test]
    fn the_soonest_event_is_named() {
        let evs = [
            event("e2", "Later", "2025-04-10", "2025-04-10", &["c1"]),
            event("e1", "Sooner", "2025-03-25", "2025-03-26", &["c1"]),
        ];
        assert_eq!(check(&online(), &evs).unwrap().anchor, "e1");
        let s = SuggestSettings {
            event_lookahead_days: 3,
            ..SuggestSettings::default()
        };
        assert!(run(
            Rule::MeetAtEvent,
            &contact("c1", "A"),
            &online(),
            &evs,
            at(NOW),
            &s
        )
        .is_none());
    }
}
