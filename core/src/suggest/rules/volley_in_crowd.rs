//! A one-to-one volley inside a crowded public thread: in a thread with at least 3 other
//! people besides the contact, the user and the contact exchange at least 4 messages addressed
//! to each other alone, each side writing at least two. Everyone else in the thread gets the
//! notifications: take it one-to-one (a direct message, or email).
//!
//! Only messages naming the contact alone count as the volley (a reply to the whole group is
//! not one-to-one). No suggestion when a private interaction with the contact came after the
//! volley, or when its last message is older than the recency window.

use super::{after_last_move, span, strength};
use crate::suggest::index::Entry;
use crate::suggest::settings::at_least_one;
use crate::suggest::text::{date_words, plural};
use crate::suggest::{Ctx, Found, Rule};
use crate::Channel;

pub(crate) fn evaluate(ctx: &Ctx<'_, '_>) -> Option<Found> {
    let s = ctx.settings;
    let min = at_least_one(s.volley_min_messages);
    let crowd = s.volley_min_other_participants as usize;
    let tail = after_last_move(ctx.entries, |e| !e.public);
    // Threads with recent one-to-one public messages, latest activity first.
    let mut threads: Vec<(&str, i64)> = Vec::new();
    for e in tail.iter().rev() {
        if !ctx.is_recent(e) {
            break;
        }
        if !(e.public && e.solo) {
            continue;
        }
        if let Some(t) = ctx.interaction(e).thread.as_deref() {
            if !threads.iter().any(|(x, _)| *x == t) {
                threads.push((t, e.at));
            }
        }
    }
    for (thread, _) in threads {
        let volley: Vec<Entry> = tail
            .iter()
            .filter(|e| e.public && e.solo && ctx.interaction(e).thread.as_deref() == Some(thread))
            .copied()
            .collect();
        let user = volley.iter().filter(|e| e.by_user()).count();
        let them = volley.iter().filter(|e| e.by_contact()).count();
        if volley.len() < min || user < 2 || them < 2 {
            continue;
        }
        let others: Vec<&str> = ctx
            .index
            .thread_participants(thread, ctx.now_ms)
            .into_iter()
            .filter(|c| *c != ctx.contact.id)
            .collect();
        if others.len() < crowd {
            continue;
        }
        let (first, last) = (&volley[0], &volley[volley.len() - 1]);
        let channel = last.channel;
        let reasons = vec![
            format!(
                "{} back and forth between you and {} since {}, in a public {} thread with {} others",
                plural(volley.len() as i64, "message"),
                ctx.name(),
                date_words(ctx.at(first)),
                channel.label(),
                others.len(),
            ),
            "Everyone in the thread sees every reply: a direct message or an email keeps the two of you talking without the crowd"
                .to_owned(),
        ];
        let mix = 0.5 * strength(volley.len(), min) + 0.5 * (ctx.freshness(last) - 0.5) * 2.0;
        return Some(Found {
            rule: Rule::VolleyInCrowd,
            from: Some(channel),
            to: Channel::Email,
            score: span(0.45, 0.7, mix),
            reasons,
            evidence: volley.iter().map(|e| e.idx).collect(),
            anchor: format!("{thread}\u{1f}{}", ctx.interaction(first).id),
            event: None,
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::suggest::testkit::*;
    use crate::suggest::{Rule, SuggestIndex, SuggestSettings};
    use crate::{Channel, Contact, Interaction};

    const NOW: &str = "2025-03-20T12:00:00Z";

    fn people() -> Vec<Contact> {
        ["c1", "c2", "c3", "c4", "c5"]
            .iter()
            .map(|id| contact(id, &format!("Person {id}")))
            .collect()
    }

    /// A #auslibchat thread: `crowd` other people post, then a volley of `n` with c1.
    fn chat(crowd: usize, n: usize) -> Vec<Interaction> {
        let start = at(NOW) - hours(20);
        let mut ints = Vec::new();
        for (k, who) in ["c2", "c3", "c4", "c5"].iter().take(crowd).enumerate() {
            ints.push(in_thread(
                msg(
                    &format!("x{k}"),
                    who,
                    Channel::Twitter,
                    IN,
                    start + hours(k as i64),
                    "Q1 answer #auslibchat",
                ),
                "t1",
            ));
        }
        for k in 0..n {
            ints.push(in_thread(
                msg(
                    &format!("v{k}"),
                    "c1",
                    Channel::Twitter,
                    if k % 2 == 0 { OUT } else { IN },
                    start + hours(5 + k as i64),
                    "Which discovery layer did you pick in the end?",
                ),
                "t1",
            ));
        }
        ints
    }

    fn check(ints: &[Interaction], s: &SuggestSettings) -> Option<crate::suggest::Found> {
        let contacts = people();
        let index = SuggestIndex::new(&contacts, ints, &[]);
        let prepared = crate::suggest::Prepared::new(s);
        let now = at(NOW);
        let ctx = crate::suggest::Ctx {
            index: &index,
            pos: 0,
            contact: &contacts[0],
            entries: index.entries_until(0, now),
            now,
            now_ms: now.timestamp_millis(),
            settings: s,
            prepared: &prepared,
        };
        crate::suggest::rules::evaluate(Rule::VolleyInCrowd, &ctx)
    }

    #[test]
    fn four_messages_in_a_crowd_of_three_fire() {
        let f = check(&chat(3, 4), &SuggestSettings::default()).unwrap();
        assert_eq!(f.to, Channel::Email);
        assert_eq!(f.evidence.len(), 4);
        assert!(
            f.reasons[0].starts_with("4 messages back and forth between you and Person c1 since"),
            "{:?}",
            f.reasons
        );
        assert!(f.reasons[0].ends_with("in a public Twitter/X thread with 3 others"));
    }

    #[test]
    fn smaller_crowds_and_shorter_volleys_do_not() {
        assert!(check(&chat(2, 6), &SuggestSettings::default()).is_none());
        assert!(check(&chat(4, 3), &SuggestSettings::default()).is_none());
    }

    #[test]
    fn one_sided_volleys_do_not() {
        let mut ints = chat(3, 4);
        for i in ints.iter_mut().filter(|i| i.id.starts_with('v')) {
            i.direction = OUT;
        }
        assert!(check(&ints, &SuggestSettings::default()).is_none());
    }

    #[test]
    fn replies_to_the_group_are_not_one_to_one() {
        let mut ints = chat(3, 4);
        for i in ints.iter_mut().filter(|i| i.id.starts_with('v')) {
            i.contact_ids.push("c2".into());
        }
        assert!(check(&ints, &SuggestSettings::default()).is_none());
    }

    #[test]
    fn a_dm_after_means_it_moved_and_old_volleys_are_ignored() {
        let mut ints = chat(3, 4);
        ints.push(private(msg(
            "dm",
            "c1",
            Channel::Twitter,
            OUT,
            at(NOW) - hours(1),
            "DMing you",
        )));
        assert!(check(&ints, &SuggestSettings::default()).is_none());
        let old: Vec<Interaction> = chat(3, 4)
            .into_iter()
            .map(|mut i| {
                i.occurred_at -= days(15);
                i
            })
            .collect();
        assert!(check(&old, &SuggestSettings::default()).is_none());
    }

    #[test]
    fn thresholds_come_from_settings() {
        let s = SuggestSettings {
            volley_min_other_participants: 2,
            ..SuggestSettings::default()
        };
        assert!(check(&chat(2, 4), &s).is_some());
    }
}
