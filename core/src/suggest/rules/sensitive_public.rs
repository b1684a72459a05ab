//! Sensitive topic in public: a public message with the contact (either direction) mentions
//! something that should be "somewhat private… not open to the world": a job, an interview, a
//! salary, a reference, a manager, a conflict, health, a visa, redundancy, a promotion, an
//! application. Keywords are whole words, any case, simple plurals and inflections included;
//! everyday phrases that only look sensitive ("reference desk", "great job", "health
//! sciences") are ignored. Suggest a private channel: email, or a call.
//!
//! No suggestion when any private interaction with the contact (a direct message, an email, a
//! call, a meeting) came after, or when the messages are older than the recency window. Email,
//! calls and meetings are never public, so they never trigger it.

use super::{after_last_move, evidence, recent_chain, span, strength, MAX_EVIDENCE};
use crate::suggest::text::{date_words, find_phrases, quoted_list, words};
use crate::suggest::{Ctx, Found, Rule};
use crate::Channel;

pub(crate) fn evaluate(ctx: &Ctx<'_, '_>) -> Option<Found> {
    let p = ctx.prepared;
    if p.sensitive.is_empty() {
        return None;
    }
    let tail = after_last_move(ctx.entries, |e| !e.public);
    let mut hits: Vec<usize> = Vec::new();
    let run = recent_chain(ctx, tail, |e| {
        if !e.public {
            return false;
        }
        let found = find_phrases(
            &words(&ctx.interaction(e).text),
            &p.sensitive,
            &p.sensitive_ignore,
        );
        for k in &found {
            if !hits.contains(k) {
                hits.push(*k);
            }
        }
        !found.is_empty()
    });
    let (first, last) = (run.first()?, run.last()?);
    hits.sort_unstable();
    let keywords: Vec<&str> = hits.iter().map(|&k| p.sensitive[k].text.as_str()).collect();

    let mut channels: Vec<Channel> = run.iter().map(|e| e.channel).collect();
    channels.sort();
    channels.dedup();
    let channel_names: Vec<&str> = channels.iter().map(|c| c.label()).collect();
    let who = match (
        run.iter().any(|e| e.by_user()),
        run.iter().any(|e| e.by_contact()),
    ) {
        (true, false) => "from you ".to_owned(),
        (false, true) => format!("from {} ", ctx.name()),
        _ => String::new(),
    };
    let count = if run.len() == 1 {
        format!("A public {} message {who}", channel_names[0])
    } else {
        format!(
            "{} public messages {who}on {} ",
            run.len(),
            channel_names.join(" and ")
        )
    };
    let when = if run.len() == 1 {
        format!("on {}", date_words(ctx.at(last)))
    } else {
        format!("since {}", date_words(ctx.at(first)))
    };
    let reasons = vec![
        format!(
            "{count}{} {}, {when}",
            if run.len() == 1 { "mentions" } else { "mention" },
            quoted_list(&keywords)
        ),
        "Careers, applications, references, conflicts at work and health are better talked about privately, not open to the world: email, or a call"
            .to_owned(),
    ];
    let from = channels
        .iter()
        .copied()
        .max_by_key(|c| run.iter().filter(|e| e.channel == *c).count());
    let mix =
        0.6 * (ctx.freshness(last) - 0.5) * 2.0 + 0.4 * strength(run.len() + keywords.len(), 2);
    Some(Found {
        rule: Rule::SensitivePublic,
        from,
        to: Channel::Email,
        score: span(0.7, 0.95, mix),
        reasons,
        evidence: evidence(&run, MAX_EVIDENCE),
        anchor: ctx.interaction(first).id.clone(),
        event: None,
    })
}

#[cfg(test)]
mod tests {
    use crate::suggest::testkit::*;
    use crate::suggest::{Rule, SuggestSettings};
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
            Rule::SensitivePublic,
            &contact("c1", "Ana Lima"),
            ints,
            &[],
            at(NOW),
        )
    }

    #[test]
    fn public_job_talk_fires() {
        let f = check(&[post(
            "a",
            Channel::Twitter,
            IN,
            5,
            "@you How did the INTERVIEW go? Fingers crossed for the Salaries bit!",
        )])
        .unwrap();
        assert_eq!(f.to, Channel::Email);
        assert_eq!(f.from, Some(Channel::Twitter));
        assert_eq!(
            f.reasons[0],
            "A public Twitter/X message from Ana Lima mentions \u{201c}interview\u{201d} and \u{201c}salary\u{201d}, on 20 March 2025"
        );
    }

    #[test]
    fn several_messages_are_summed_up() {
        let f = check(&[
            post("a", Channel::Mastodon, OUT, 30, "Off to a job interview"),
            post(
                "b",
                Channel::Twitter,
                OUT,
                5,
                "Waiting to hear about the job",
            ),
        ])
        .unwrap();
        assert_eq!(
            f.reasons[0],
            "2 public messages from you on Twitter/X and Mastodon mention \u{201c}job\u{201d} and \u{201c}interview\u{201d}, since 19 March 2025"
        );
        assert_eq!(f.anchor, "a");
    }

    #[test]
    fn listservs_and_blogs_are_public_too() {
        assert!(check(&[post(
            "a",
            Channel::Listserv,
            OUT,
            5,
            "Anyone willing to be a reference for me?"
        )])
        .is_some());
        assert!(check(&[post(
            "a",
            Channel::Blog,
            IN,
            5,
            "Sorry to hear about the redundancies at your library"
        )])
        .is_some());
    }

    #[test]
    fn library_talk_that_only_looks_sensitive_does_not() {
        for text in [
            "Great job on the reference interview workshop!",
            "The health sciences library has a new reference desk",
            "Our application profile for Dublin Core is on GitHub",
            "Zotero is my favourite reference manager",
            "Thanks for the reference to that paper on LCSH",
            "Jobless rates and the library: a reading list",
            "So sick of waiting for the Alma release notes",
            "Registration is open, pay by Visa or bank transfer",
            "Health and safety induction for the new makerspace",
            "Congrats on the new job! They are lucky to have you",
            "Job ad: systems librarian, closes Friday #libjobs",
            "Sorry, scheduling conflict, I'll miss tonight's chat",
            "Our Alma account manager says the fix is in the May release",
        ] {
            assert!(
                check(&[post("a", Channel::Twitter, IN, 5, text)]).is_none(),
                "{text}"
            );
        }
    }

    #[test]
    fn private_channels_never_fire() {
        let text = "My manager turned down the promotion again";
        assert!(check(&[post("a", Channel::Email, IN, 5, text)]).is_none());
        assert!(check(&[private(post("a", Channel::Twitter, IN, 5, text))]).is_none());
    }

    #[test]
    fn a_direct_message_after_means_it_moved() {
        let ints = [
            post(
                "a",
                Channel::Mastodon,
                OUT,
                10,
                "Off to my job interview, wish me luck",
            ),
            private(post(
                "b",
                Channel::Mastodon,
                IN,
                8,
                "Good luck! DM me how it went",
            )),
        ];
        assert!(check(&ints).is_none());
    }

    #[test]
    fn old_messages_do_not_fire() {
        let text = "Applying for the systems librarian job";
        assert!(check(&[post("a", Channel::Twitter, OUT, 24 * 14 + 1, text)]).is_none());
        assert!(check(&[post("a", Channel::Twitter, OUT, 24 * 14, text)]).is_some());
    }

    #[test]
    fn keywords_come_from_settings() {
        let s = SuggestSettings {
            sensitive_keywords: vec!["tenure track".into()],
            ..SuggestSettings::default()
        };
        let c = contact("c1", "Ana Lima");
        let ints = [post(
            "a",
            Channel::Twitter,
            OUT,
            5,
            "My tenure-track review is next week",
        )];
        assert!(run(Rule::SensitivePublic, &c, &ints, &[], at(NOW), &s).is_some());
        let none = SuggestSettings {
            sensitive_keywords: vec![],
            ..SuggestSettings::default()
        };
        assert!(run(Rule::SensitivePublic, &c, &ints, &[], at(NOW), &none).is_none());
    }
}
