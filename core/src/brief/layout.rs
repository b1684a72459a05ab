//! What a printed briefing says, in order, as plain text blocks. Markdown, HTML and PDF render
//! the same blocks, each escaping the text in its own way, so the three never disagree about
//! content.

use super::*;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Block {
    Title(String),
    Meta(String),
    Section(String),
    Person(String),
    Field(&'static str, String),
    Sub(String),
    Item(String),
    Note(String),
}

pub(crate) fn blocks(b: &Briefing) -> Vec<Block> {
    use Block::*;
    let mut out = vec![
        Title(format!("Briefing: {}", excerpt(&b.event.name, 200))),
        Meta(event_line(&b.event)),
        Meta(format!(
            "Prepared {}. {}",
            b.generated_at.format("%Y-%m-%d %H:%M UTC"),
            summary_line(b)
        )),
    ];
    out.push(Section("Meet in person: you know them only online".into()));
    if b.meet_in_person.is_empty() {
        out.push(Note(
            "Nobody: you have met every attendee in person.".into(),
        ));
    }
    for a in &b.meet_in_person {
        person(&mut out, a);
    }
    out.push(Section("Met before".into()));
    if b.met_before.is_empty() {
        out.push(Note("Nobody you have met in person is on the list.".into()));
    }
    for a in &b.met_before {
        person(&mut out, a);
    }
    out.push(Section("Likely there but not confirmed".into()));
    if b.likely_there.is_empty() {
        out.push(Note(
            "Nobody else used the event's hashtags or lives where it takes place.".into(),
        ));
    }
    for l in &b.likely_there {
        out.push(Person(name_line(&l.name, &l.organisation)));
        for r in &l.reasons {
            out.push(Item(r.clone()));
        }
        if !l.roles.is_empty() {
            out.push(Field("Roles", roles_text(&l.roles)));
        }
        if !l.handles.is_empty() {
            out.push(Field("Handles", handles_text(&l.handles)));
        }
        out.push(Field(
            "In person",
            if l.met_in_person {
                "met before".into()
            } else {
                "never met".into()
            },
        ));
    }
    let more = (b.likely_there_total as usize).saturating_sub(b.likely_there.len());
    if more > 0 {
        out.push(Note(format!(
            "…and {} more who used the hashtags or live there.",
            more
        )));
    }
    out
}

fn name_line(name: &str, organisation: &str) -> String {
    let name = excerpt(name, 120);
    let name = if name.is_empty() {
        "(no name)".to_string()
    } else {
        name
    };
    if organisation.trim().is_empty() {
        name
    } else {
        format!("{name} — {}", excerpt(organisation, 120))
    }
}

fn roles_text(roles: &[RoleBrief]) -> String {
    roles.iter().map(role_line).collect::<Vec<_>>().join("; ")
}

fn handles_text(handles: &[Handle]) -> String {
    handles
        .iter()
        .map(handle_words)
        .collect::<Vec<_>>()
        .join(" · ")
}

fn person(out: &mut Vec<Block>, a: &AttendeeBrief) {
    use Block::*;
    out.push(Person(name_line(&a.name, &a.organisation)));
    if !a.roles.is_empty() {
        out.push(Field("Roles", roles_text(&a.roles)));
    }
    if let Some(how) = &a.how_met {
        out.push(Field("How you met", excerpt(how, 300)));
    }
    out.push(Field(
        "In person",
        match a.last_in_person {
            Some(t) => format!("last met {}", t.format("%Y-%m-%d")),
            None => "never met: only online".into(),
        },
    ));
    out.push(Field(
        "In touch",
        match a.last_interaction_at {
            Some(t) => format!(
                "{}, last on {}",
                plural(a.interaction_count as usize, "interaction"),
                t.format("%Y-%m-%d")
            ),
            None => "no interactions logged".into(),
        },
    ));
    if !a.location.trim().is_empty() {
        out.push(Field("Based in", excerpt(&a.location, 120)));
    }
    if !a.handles.is_empty() {
        out.push(Field("Handles", handles_text(&a.handles)));
    }
    if !a.notes.is_empty() {
        out.push(Field("Notes", excerpt(&a.notes, 600)));
    }
    if !a.open_conversations.is_empty() {
        out.push(Sub("Open conversations".into()));
        for c in &a.open_conversations {
            let state = if c.waiting_on_you {
                "waiting for your reply"
            } else {
                "active lately"
            };
            let what = match &c.thread {
                Some(t) => format!("thread “{}”", excerpt(t, 80)),
                None => format!("{} messages outside threads", c.channel.label()),
            };
            out.push(Item(format!(
                "{what}, {state}: {}, last on {} {}: “{}”",
                plural(c.messages as usize, "message"),
                c.channel.label(),
                c.last_at.format("%Y-%m-%d"),
                c.last_excerpt
            )));
        }
    }
    if !a.suggestions.is_empty() {
        out.push(Sub("Suggestions".into()));
        for s in &a.suggestions {
            out.push(Item(format!(
                "{}: {}",
                suggestion_words(s),
                s.reasons
                    .iter()
                    .map(|r| excerpt(r, 300))
                    .collect::<Vec<_>>()
                    .join("; ")
            )));
        }
    }
    if !a.talking_points.is_empty() {
        out.push(Sub("Talking points".into()));
        for t in &a.talking_points {
            out.push(Item(format!("{} ({})", excerpt(&t.topic, 120), t.why)));
        }
    }
    if let Some(post) = &a.recently_wrote {
        out.push(Sub("Recently wrote about".into()));
        out.push(Item(format!(
            "{}: “{}”",
            post.occurred_at.format("%Y-%m-%d"),
            post.excerpt
        )));
    }
    if !a.last_interactions.is_empty() {
        out.push(Sub("Last interactions".into()));
        for i in &a.last_interactions {
            let text = if i.excerpt.is_empty() {
                String::new()
            } else {
                format!(": “{}”", i.excerpt)
            };
            out.push(Item(format!(
                "{} {}, {}{text}",
                i.occurred_at.format("%Y-%m-%d"),
                i.channel.label(),
                direction_words(i.direction)
            )));
        }
    }
}
