//! A mentoring ask in public: "would you be my mentor", "could you mentor me", "be my
//! mentor"… in a public message, either way. People find a mentor on Twitter, then ask them by
//! email: the request deserves room, and room to say no. Suggest email.
//!
//! No suggestion when a private interaction with the contact (an email, a direct message, a
//! call, a meeting) came after the ask, or when the ask is older than the recency window.

use super::{after_last_move, evidence, recent_chain, span, MAX_EVIDENCE};
use crate::suggest::text::{date_words, find_phrases, quoted_list, words};
use crate::suggest::{Ctx, Found, Rule};
use crate::Channel;

pub(crate) fn evaluate(ctx: &Ctx<'_, '_>) -> Option<Found> {
    let p = ctx.prepared;
    if p.mentoring.is_empty() {
        return None;
    }
    let tail = after_last_move(ctx.entries, |e| !e.public);
    let mut phrase: Option<usize> = None;
    let run = recent_chain(ctx, tail, |e| {
        if !e.public {
            return false;
        }
        let found = find_phrases(&words(&ctx.interaction(e).text), &p.mentoring, &[]);
        // Scanning goes backwards: the first found is the latest ask.
        if phrase.is_none() {
            phrase = found.first().copied();
        }
        !found.is_empty()
    });
    let (first, last) = (run.first()?, run.last()?);
    let asked = p.mentoring[phrase?].text.as_str();
    let who = if last.direction == crate::Direction::Inbound {
        format!("{} asked you", ctx.name())
    } else {
        format!("You asked {}", ctx.name())
    };
    let reasons = vec![
        format!(
            "{who} in public on {} on {} ({})",
            last.channel.label(),
            date_words(ctx.at(last)),
            quoted_list(&[asked])
        ),
        "A mentoring request is best made, and answered, by email: there is room to say what you hope to learn and how often to talk, and room to say no"
            .to_owned(),
    ];
    let mix = (ctx.freshness(last) - 0.5) * 2.0;
    Some(Found {
        rule: Rule::MentoringAsk,
        from: Some(last.channel),
        to: Channel::Email,
        score: span(0.7, 0.9, mix),
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
            Rule::MentoringAsk,
            &contact("c1", "Ana Lima"),
            ints,
            &[],
            at(NOW),
        )
    }

    #[test]
    fn asks_in_public_fire_either_way() {
        for (text, dir) in [
            ("@ana Would you be my mentor? I'm new to cataloguing", OUT),
            ("Could you mentor me through my first Koha migration?", OUT),
            ("I'd love it if you'd mentor me", OUT),
            ("Happy to mentor you if you like!", IN),
            ("WOULD YOU CONSIDER MENTORING a newbie?", OUT),
            ("Would you consider being my mentor this year?", OUT),
            ("Could I ask you to take me on as a mentee?", OUT),
        ] {
            let f = check(&[post("a", Channel::Bluesky, dir, 3, text)]);
            assert!(f.is_some(), "{text}");
            assert_eq!(f.unwrap().to, Channel::Email);
        }
        let f = check(&[post(
            "a",
            Channel::Twitter,
            OUT,
            3,
            "Would you be my mentor?",
        )])
        .unwrap();
        assert_eq!(
            f.reasons[0],
            "You asked Ana Lima in public on Twitter/X on 20 March 2025 (\u{201c}be my mentor\u{201d})"
        );
    }

    #[test]
    fn talk_about_mentors_is_not_an_ask() {
        for text in [
            "My mentor said the same about RDA",
            "Mentoring programs at ALIA are open",
            "She has been a great mentor to many",
        ] {
            assert!(
                check(&[post("a", Channel::Twitter, OUT, 3, text)]).is_none(),
                "{text}"
            );
        }
    }

    #[test]
    fn asking_by_email_is_already_right() {
        assert!(check(&[post("a", Channel::Email, OUT, 3, "Would you be my mentor?")]).is_none());
        let moved = [
            post("a", Channel::Twitter, OUT, 30, "Would you be my mentor?"),
            post("b", Channel::Email, IN, 2, "Re: mentoring"),
        ];
        assert!(check(&moved).is_none());
    }

    #[test]
    fn old_asks_do_not_fire() {
        assert!(check(&[post("a", Channel::Twitter, OUT, 24 * 15, "be my mentor?")]).is_none());
    }
}
