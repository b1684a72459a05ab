//! What the user did with suggestions: dismissed, snoozed until a date, or accepted. The app
//! stores these; this filters a fresh list through them. Ids are stable fingerprints, so a
//! state keeps applying to the same suggestion across recomputes.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use specta::Type;

use super::Suggestion;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum StateKind {
    /// Not wanted: hidden for good.
    Dismissed,
    /// Hidden until `until`, then back. Without `until`, hidden until the state is removed.
    Snoozed,
    /// Done: hidden.
    Accepted,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct SuggestionState {
    pub suggestion_id: String,
    pub state: StateKind,
    #[serde(default)]
    pub until: Option<DateTime<Utc>>,
}

/// The suggestions still to show at `now`, in their order. When a suggestion has several
/// states, any that hides it wins.
pub fn apply_states(
    suggestions: Vec<Suggestion>,
    states: &[SuggestionState],
    now: DateTime<Utc>,
) -> Vec<Suggestion> {
    let hidden = |id: &str| {
        states.iter().any(|s| {
            s.suggestion_id == id
                && match s.state {
                    StateKind::Dismissed | StateKind::Accepted => true,
                    StateKind::Snoozed => s.until.is_none_or(|until| now < until),
                }
        })
    };
    suggestions.into_iter().filter(|s| !hidden(&s.id)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::suggest::testkit::at;
    use crate::suggest::SuggestionKind;
    use crate::Channel;

    fn s(id: &str) -> Suggestion {
        Suggestion {
            id: id.into(),
            contact_id: "c1".into(),
            contact: "Ana".into(),
            kind: SuggestionKind::Move,
            rule: "long_thread".into(),
            from_channel: Some(Channel::Twitter),
            to_channel: Channel::Email,
            score: 0.5,
            reasons: vec![],
            evidence: vec![],
            event_id: None,
        }
    }

    fn st(id: &str, state: StateKind, until: Option<&str>) -> SuggestionState {
        SuggestionState {
            suggestion_id: id.into(),
            state,
            until: until.map(at),
        }
    }

    #[test]
    fn states_hide_what_they_should() {
        let now = at("2025-03-20T12:00:00Z");
        let list = vec![s("a"), s("b"), s("c"), s("d"), s("e"), s("f")];
        let states = [
            st("a", StateKind::Dismissed, None),
            st("b", StateKind::Accepted, None),
            st("c", StateKind::Snoozed, Some("2025-03-21T00:00:00Z")),
            st("d", StateKind::Snoozed, Some("2025-03-20T12:00:00Z")),
            st("e", StateKind::Snoozed, None),
        ];
        let left: Vec<String> = apply_states(list, &states, now)
            .into_iter()
            .map(|s| s.id)
            .collect();
        assert_eq!(left, ["d", "f"]);
    }

    #[test]
    fn dismissed_stays_dismissed_even_if_also_snoozed() {
        let now = at("2025-03-20T12:00:00Z");
        let states = [
            st("a", StateKind::Snoozed, Some("2025-01-01T00:00:00Z")),
            st("a", StateKind::Dismissed, None),
        ];
        assert!(apply_states(vec![s("a")], &states, now).is_empty());
    }
}
