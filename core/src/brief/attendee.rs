//! One attendee's part of a briefing: who they are to the user, how they met, what they last
//! talked about and what is left open, and the order attendees are listed in.

use super::*;

/// Closest first: the most interactions, then by name, then by id.
pub(super) fn sort_attendees(list: &mut Vec<AttendeeBrief>) {
    let mut keyed: Vec<(String, AttendeeBrief)> =
        list.drain(..).map(|a| (fold_name(&a.name), a)).collect();
    keyed.sort_by(|(ka, a), (kb, b)| {
        b.interaction_count
            .cmp(&a.interaction_count)
            .then_with(|| ka.cmp(kb))
            .then_with(|| a.contact_id.cmp(&b.contact_id))
    });
    list.extend(keyed.into_iter().map(|(_, a)| a));
}

pub(super) fn attendee_brief(
    contact: &Contact,
    history: &[&Interaction],
    suggestions: Vec<Suggestion>,
    now: DateTime<Utc>,
) -> AttendeeBrief {
    let recently_wrote = history
        .iter()
        .rev()
        .find(|i| i.is_wrote())
        .map(|i| interaction_brief(i));
    let talk: Vec<&Interaction>;
    let history = if recently_wrote.is_some() {
        talk = history.iter().copied().filter(|i| !i.is_wrote()).collect();
        &talk[..]
    } else {
        history
    };
    let last_in_person = history
        .iter()
        .rev()
        .find(|i| i.channel == Channel::InPerson)
        .map(|i| i.occurred_at);
    AttendeeBrief {
        contact_id: contact.id.clone(),
        name: contact.name.clone(),
        organisation: contact.organisation.clone(),
        location: contact.location.clone(),
        roles: contact.roles.iter().map(role_brief).collect(),
        how_met: how_met(contact),
        met_in_person: last_in_person.is_some(),
        last_in_person,
        interaction_count: u32::try_from(history.len()).unwrap_or(u32::MAX),
        last_interaction_at: history.last().map(|i| i.occurred_at),
        last_interactions: history
            .iter()
            .rev()
            .take(LAST_INTERACTIONS)
            .map(|i| interaction_brief(i))
            .collect(),
        open_conversations: open_conversations(history, now),
        recently_wrote,
        suggestions,
        talking_points: talk::talking_points(contact, history, now),
        handles: contact
            .handles
            .iter()
            .filter(|h| !h.value.trim().is_empty())
            .cloned()
            .collect(),
        notes: contact.notes.trim().to_string(),
    }
}

/// A role in words, from the user's side.
pub fn role_in_words(role: &Role) -> String {
    let base = match (role.kind, role.direction) {
        (RoleKind::Mentor, RoleDirection::TheyAdviseMe) => "mentors you",
        (RoleKind::Mentor, RoleDirection::IAdviseThem) => "you mentor them",
        (RoleKind::Mentor, RoleDirection::Mutual) => "you mentor each other",
        (RoleKind::Peer, RoleDirection::TheyAdviseMe) => "a peer who advises you",
        (RoleKind::Peer, RoleDirection::IAdviseThem) => "a peer you advise",
        (RoleKind::Peer, RoleDirection::Mutual) => "a peer: you learn from each other",
        (RoleKind::Expert, RoleDirection::TheyAdviseMe) => "an expert you learn from",
        (RoleKind::Expert, RoleDirection::IAdviseThem) => "an expert you advise",
        (RoleKind::Expert, RoleDirection::Mutual) => "an expert you trade expertise with",
    };
    let known = if role.acknowledged {
        "both of you know it"
    } else {
        "not acknowledged: they may not know it"
    };
    format!("{base} ({known})")
}

pub(super) fn role_brief(role: &Role) -> RoleBrief {
    RoleBrief {
        kind: role.kind,
        direction: role.direction,
        in_words: role_in_words(role),
        topics: role
            .topics
            .iter()
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect(),
        acknowledged: role.acknowledged,
    }
}

fn how_met(c: &Contact) -> Option<String> {
    let mut parts = Vec::new();
    let place = c.met_where.trim();
    match (place.is_empty(), c.met_on) {
        (false, Some(on)) => parts.push(format!("at {place} ({on})")),
        (false, None) => parts.push(format!("at {place}")),
        (true, Some(on)) => parts.push(format!("on {on}")),
        (true, None) => {}
    }
    let through = c.met_through.trim();
    if !through.is_empty() {
        parts.push(format!("through {through}"));
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// Text on one line, without control or direction-changing characters, cut at `max`
/// characters with an ellipsis.
pub(crate) fn excerpt(text: &str, max: usize) -> String {
    let mut out = String::new();
    let mut count = 0;
    let mut space = false;
    for c in text.chars() {
        let c = if c.is_whitespace() || c.is_control() {
            ' '
        } else {
            c
        };
        if is_invisible_format(c) {
            continue;
        }
        if c == ' ' {
            space = !out.is_empty();
            continue;
        }
        if space {
            if count + 1 >= max {
                out.push('…');
                return out;
            }
            out.push(' ');
            count += 1;
            space = false;
        }
        if count + 1 >= max {
            out.push('…');
            return out;
        }
        out.push(c);
        count += 1;
    }
    out
}

fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'
            | '\u{2066}'..='\u{2069}'
            | '\u{061C}'
            | '\u{FEFF}'
    )
}

fn interaction_brief(i: &Interaction) -> InteractionBrief {
    InteractionBrief {
        id: i.id.clone(),
        occurred_at: i.occurred_at,
        channel: i.channel,
        direction: i.direction,
        public: i.public,
        excerpt: excerpt(&i.text, EXCERPT_CHARS),
        thread: i.thread.clone(),
    }
}

/// Conversations (a thread, or one channel's messages outside threads) whose last message
/// is theirs and unanswered anywhere since, or whose last message is recent.
fn open_conversations(history: &[&Interaction], now: DateTime<Utc>) -> Vec<OpenConversation> {
    let last_by_user = history
        .iter()
        .rev()
        .find(|i| matches!(i.direction, Direction::Outbound | Direction::Mutual))
        .map(|i| i.occurred_at);
    let mut convs: Vec<(Option<&str>, Channel, Vec<&Interaction>)> = Vec::new();
    let mut slots: HashMap<(Option<&str>, Option<Channel>), usize> = HashMap::new();
    for &i in history {
        let thread = i.thread.as_deref().map(str::trim).filter(|t| !t.is_empty());
        let key = (thread, thread.is_none().then_some(i.channel));
        match slots.get(&key) {
            Some(&k) => convs[k].2.push(i),
            None => {
                slots.insert(key, convs.len());
                convs.push((thread, i.channel, vec![i]));
            }
        }
    }
    let recent = now - Duration::days(OPEN_RECENT_DAYS);
    let mut open: Vec<OpenConversation> = convs
        .into_iter()
        .filter_map(|(thread, _, list)| {
            let last = *list.last()?;
            let waiting = last.direction == Direction::Inbound
                && last_by_user.is_none_or(|t| t < last.occurred_at);
            (waiting || last.occurred_at >= recent).then(|| OpenConversation {
                thread: thread.map(str::to_string),
                channel: last.channel,
                messages: u32::try_from(list.len()).unwrap_or(u32::MAX),
                last_at: last.occurred_at,
                waiting_on_you: waiting,
                last_excerpt: excerpt(&last.text, EXCERPT_CHARS),
            })
        })
        .collect();
    open.sort_by(|a, b| {
        b.waiting_on_you
            .cmp(&a.waiting_on_you)
            .then_with(|| b.last_at.cmp(&a.last_at))
            .then_with(|| a.thread.cmp(&b.thread))
    });
    open.truncate(OPEN_CONVERSATIONS);
    open
}
