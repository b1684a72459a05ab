//! A question the user asked on a mailing list that nobody answered: questions on listservs
//! sometimes go unanswered for long, and isolated librarians rely on their network most. After
//! a week (the unanswered rule's setting), suggest asking, directly, the contacts who know the
//! topic: their expertise or a role's topics all appear in the question ("Koha serials" in
//! "How do serials prediction patterns work in Koha?"). Experts first, then mentors, then
//! whoever else knows it; someone seen on the same list before counts for more.
//!
//! A question older than `unanswered_max_age_days` is history rather than a nudge. Asked
//! directly means by email when the contact has an address, else on the channel they were
//! last in touch on.

use super::text::{date_words, days, inflects, plural, words};
use super::{fingerprint, SuggestSettings, Suggestion, SuggestionKind};
use crate::domain::{Channel, Contact, Interaction, Platform, RoleKind};
use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// The rule's name in suggestions.
pub(crate) const RULE: &str = "list_question";

/// The most contacts one question suggests asking.
const MOST_ASKED: usize = 2;

/// A question the user asked on a mailing list, as the store keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListQuestion {
    /// The message's key (`mail:<Message-ID>`).
    pub key: String,
    /// The list's id (`koha.lists.katipo.co.nz`).
    pub list: String,
    pub thread: String,
    pub asked_at: DateTime<Utc>,
    /// Subject and body, as stored for a message.
    pub text: String,
    /// When the first answer came, on the list or by mail.
    pub answered_at: Option<DateTime<Utc>>,
}

/// Suggestions to ask someone directly, for each question still unanswered after a week.
pub fn list_question_suggestions(
    questions: &[ListQuestion],
    contacts: &[Contact],
    interactions: &[Interaction],
    now: DateTime<Utc>,
    settings: &SuggestSettings,
) -> Vec<Suggestion> {
    let open: Vec<&ListQuestion> = questions
        .iter()
        .filter(|q| q.answered_at.is_none())
        .filter(|q| {
            let waited = (now - q.asked_at).num_days();
            waited >= i64::from(settings.unanswered_days)
                && waited <= i64::from(settings.unanswered_max_age_days)
        })
        .collect();
    if open.is_empty() {
        return Vec::new();
    }
    // Who was seen on which list, and the channel each contact was last in touch on.
    let mut on_list: HashMap<&str, Vec<&str>> = HashMap::new();
    let mut last: HashMap<&str, (DateTime<Utc>, Channel)> = HashMap::new();
    for i in interactions {
        for c in &i.contact_ids {
            if i.channel == Channel::Listserv {
                for t in &i.tags {
                    if let Some(list) = t.strip_prefix("list:") {
                        on_list.entry(c.as_str()).or_default().push(list);
                    }
                }
            }
            let e = last.entry(c.as_str()).or_insert((i.occurred_at, i.channel));
            if i.occurred_at > e.0 {
                *e = (i.occurred_at, i.channel);
            }
        }
    }
    let mut out = Vec::new();
    for q in open {
        let asked = words(&q.text);
        let mut candidates: Vec<(f64, &Contact, String)> = contacts
            .iter()
            .filter_map(|c| {
                let (topic, rank) = knows(c, &asked)?;
                let seen_there = on_list
                    .get(c.id.as_str())
                    .is_some_and(|l| l.contains(&q.list.as_str()));
                let score = 0.55 + rank + if seen_there { 0.1 } else { 0.0 };
                Some((score, c, topic))
            })
            .collect();
        candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.name.cmp(&b.1.name)));
        for (score, contact, topic) in candidates.into_iter().take(MOST_ASKED) {
            let has_email = contact
                .handles
                .iter()
                .any(|h| h.platform == Platform::Email);
            let to = if has_email {
                Channel::Email
            } else {
                match last.get(contact.id.as_str()) {
                    Some((_, ch)) if *ch != Channel::Listserv => *ch,
                    _ => continue,
                }
            };
            let waited = days((now - q.asked_at).num_milliseconds());
            let first_line = q
                .text
                .lines()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("")
                .trim();
            let mut reasons = vec![format!(
                "Your question on {} of {} has had no answer in {}: “{}”.",
                q.list,
                date_words(q.asked_at),
                plural(waited, "day"),
                clip(first_line, 90)
            )];
            reasons.push(format!("{} knows about {topic}.", contact.name));
            if on_list
                .get(contact.id.as_str())
                .is_some_and(|l| l.contains(&q.list.as_str()))
            {
                reasons.push(format!("They are on {} too.", q.list));
            }
            reasons.push(format!(
                "Ask them directly{}: a question put to one person is answered more often \
                 than one put to a list.",
                if to == Channel::Email {
                    " by email".to_string()
                } else {
                    String::new()
                }
            ));
            out.push(Suggestion {
                id: fingerprint(RULE, &contact.id, &q.key),
                contact_id: contact.id.clone(),
                contact: contact.name.clone(),
                kind: SuggestionKind::Move,
                rule: RULE.to_string(),
                from_channel: Some(Channel::Listserv),
                to_channel: to,
                score: (score.clamp(0.0, 1.0) * 1000.0).round() / 1000.0,
                reasons,
                evidence: Vec::new(),
                event_id: None,
            });
        }
    }
    out
}

/// The topic of `contact`'s that the question is about, and how much their knowing it counts:
/// a topic counts when each of its words (or a simple inflection) is in the question.
fn knows(contact: &Contact, asked: &[String]) -> Option<(String, f64)> {
    let mut best: Option<(String, f64)> = None;
    let mut consider = |topic: &str, rank: f64| {
        let topic_words = words(topic);
        if topic_words.is_empty() || topic_words.iter().all(|w| w.len() < 3) {
            return;
        }
        let found = topic_words
            .iter()
            .all(|t| asked.iter().any(|w| inflects(w, t) || inflects(t, w)));
        // A longer topic found whole says more than a single word.
        let rank = rank + 0.02 * (topic_words.len().min(4) as f64);
        if found && best.as_ref().is_none_or(|(_, r)| rank > *r) {
            best = Some((topic.trim().to_string(), rank));
        }
    };
    for role in &contact.roles {
        let rank = match role.kind {
            RoleKind::Expert => 0.25,
            RoleKind::Mentor => 0.2,
            RoleKind::Peer => 0.1,
        };
        for t in &role.topics {
            consider(t, rank);
        }
    }
    for t in &contact.expertise {
        consider(t, 0.2);
    }
    best
}

/// At most `max` characters of `text`, with an ellipsis when cut.
fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max - 1).collect();
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Handle, Role, RoleDirection};

    fn at(day: u32) -> DateTime<Utc> {
        chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 11, day, 9, 0, 0).unwrap()
    }

    fn contact(id: &str, name: &str, expertise: &[&str], roles: Vec<Role>) -> Contact {
        Contact {
            id: id.into(),
            name: name.into(),
            handles: vec![Handle {
                platform: Platform::Email,
                value: format!("{id}@example.org"),
            }],
            organisation: String::new(),
            location: String::new(),
            met_where: String::new(),
            met_on: None,
            met_through: String::new(),
            notes: String::new(),
            private_notes: String::new(),
            tags: Vec::new(),
            expertise: expertise.iter().map(|s| s.to_string()).collect(),
            roles,
            cadence_days: None,
            dates: Vec::new(),
            created_at: at(1),
            updated_at: at(1),
        }
    }

    fn question(text: &str, answered: Option<DateTime<Utc>>) -> ListQuestion {
        ListQuestion {
            key: "mail:q1@example.org".into(),
            list: "koha.lists.katipo.co.nz".into(),
            thread: "mail:thread:q1@example.org".into(),
            asked_at: at(1),
            text: text.into(),
            answered_at: answered,
        }
    }

    #[test]
    fn an_unanswered_question_names_who_knows_the_topic_experts_first() {
        let chen = contact(
            "c1",
            "Chen Wei",
            &[],
            vec![Role {
                kind: RoleKind::Expert,
                direction: RoleDirection::TheyAdviseMe,
                topics: vec!["Koha serials".into()],
                acknowledged: false,
            }],
        );
        let bea = contact("c2", "Bea Koha", &["Koha"], Vec::new());
        let other = contact("c3", "Ira Maps", &["map cataloguing"], Vec::new());
        let q = question(
            "Prediction patterns\n\nHow do serials prediction patterns work in Koha?",
            None,
        );
        let found = list_question_suggestions(
            &[q],
            &[other, bea, chen],
            &[],
            at(10),
            &SuggestSettings::default(),
        );
        let names: Vec<&str> = found.iter().map(|s| s.contact.as_str()).collect();
        assert_eq!(names, ["Chen Wei", "Bea Koha"]);
        assert_eq!(found[0].rule, RULE);
        assert_eq!(found[0].to_channel, Channel::Email);
        assert!(
            found[0].reasons[0].contains("no answer in 9 days"),
            "{:?}",
            found[0].reasons
        );
        assert!(
            found[0].reasons[1].contains("Koha serials"),
            "{:?}",
            found[0].reasons
        );
    }

    #[test]
    fn an_answered_a_recent_or_an_old_question_suggests_nothing() {
        let chen = contact("c1", "Chen Wei", &["Koha serials"], Vec::new());
        let text = "Serials in Koha?";
        for (q, now) in [
            (question(text, Some(at(3))), at(10)),
            (question(text, None), at(4)),
            (question(text, None), at(1) + chrono::Duration::days(400)),
        ] {
            let found = list_question_suggestions(
                &[q],
                std::slice::from_ref(&chen),
                &[],
                now,
                &SuggestSettings::default(),
            );
            assert!(found.is_empty(), "{found:?}");
        }
    }
}
