//! The few phrases every rendering of a briefing shares: counts, directions, suggestions,
//! events, handles and roles in words.

use super::*;

pub(crate) fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Which way an interaction went, in a few words.
pub(crate) fn direction_words(d: Direction) -> &'static str {
    match d {
        Direction::Inbound => "from them",
        Direction::Outbound => "from you",
        Direction::Mutual => "together",
    }
}

/// What a suggestion asks, in words: "Move from Twitter/X to email".
pub(crate) fn suggestion_words(s: &Suggestion) -> String {
    use crate::suggest::SuggestionKind;
    let to = s.to_channel.label();
    match (s.kind, s.from_channel) {
        (SuggestionKind::Move, Some(from)) => format!("Move from {} to {to}", from.label()),
        (SuggestionKind::Move, None) => format!("Move to {to}"),
        (SuggestionKind::Reconnect, _) => format!("Get back in touch ({to})"),
        (SuggestionKind::FollowUp, _) => format!("Follow up ({to})"),
        (SuggestionKind::Reply, _) => format!("Try another channel: {to}"),
    }
}

/// The event's dates, place and hashtags on one line.
pub(crate) fn event_line(e: &Event) -> String {
    let mut parts = Vec::new();
    if e.ends_on > e.starts_on {
        parts.push(format!("{} to {}", e.starts_on, e.ends_on));
    } else {
        parts.push(e.starts_on.to_string());
    }
    if !e.location.trim().is_empty() {
        parts.push(excerpt(&e.location, 120));
    }
    let tags: Vec<String> = e
        .hashtags
        .iter()
        .map(|h| h.trim().trim_start_matches('#'))
        .filter(|h| !h.is_empty())
        .map(|h| format!("#{}", excerpt(h, 60)))
        .collect();
    if !tags.is_empty() {
        parts.push(tags.join(" "));
    }
    parts.join(" · ")
}

/// A handle with its platform: "Mastodon @ana@glammr.example".
pub(crate) fn handle_words(h: &Handle) -> String {
    let platform = match h.platform {
        Platform::Twitter => "Twitter/X",
        Platform::Mastodon => "Mastodon",
        Platform::Bluesky => "Bluesky",
        Platform::Email => "Email",
        Platform::Blog => "Blog",
        Platform::Linkedin => "LinkedIn",
        Platform::Phone => "Phone",
        Platform::Other => "Other",
    };
    format!("{platform} {}", excerpt(&h.value, 120))
}

/// A role with its topics: "mentors you (both of you know it): Koha serials, career".
pub(crate) fn role_line(r: &RoleBrief) -> String {
    if r.topics.is_empty() {
        format!("{}: {}", r.kind.as_str(), r.in_words)
    } else {
        format!(
            "{}: {}: {}",
            r.kind.as_str(),
            r.in_words,
            r.topics.join(", ")
        )
    }
}

/// The summary line under the title.
pub(crate) fn summary_line(b: &Briefing) -> String {
    let total = b.meet_in_person.len() + b.met_before.len();
    format!(
        "{} from your network on the attendee list; {} you know only online; {} more may be there.",
        plural(total, "person").replace("persons", "people"),
        b.meet_in_person.len(),
        b.likely_there.len()
    )
}
