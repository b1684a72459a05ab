//! The rules, one file each, and what they share: finding bursts of messages, cutting history
//! at the point where a conversation already moved, channel habits, scores.

mod email_burst;
mod gone_quiet;
mod length_pressure;
mod long_thread;
mod meet_at_event;
mod mentoring_ask;
mod met_no_follow_up;
mod sensitive_public;
mod unanswered;
mod volley_in_crowd;

use super::index::Entry;
use super::{Ctx, Found, Rule};
use crate::Channel;

pub(crate) fn evaluate(rule: Rule, ctx: &Ctx<'_, '_>) -> Option<Found> {
    match rule {
        Rule::LongThread => long_thread::evaluate(ctx),
        Rule::LengthPressure => length_pressure::evaluate(ctx),
        Rule::SensitivePublic => sensitive_public::evaluate(ctx),
        Rule::MentoringAsk => mentoring_ask::evaluate(ctx),
        Rule::MeetAtEvent => meet_at_event::evaluate(ctx),
        Rule::VolleyInCrowd => volley_in_crowd::evaluate(ctx),
        Rule::Unanswered => unanswered::evaluate(ctx),
        Rule::EmailBurst => email_burst::evaluate(ctx),
        Rule::GoneQuiet => gone_quiet::evaluate(ctx),
        Rule::MetNoFollowUp => met_no_follow_up::evaluate(ctx),
    }
}

/// Private channels with room for depth: where a move suggestion wants conversations to go.
pub(crate) fn is_private_long_form(channel: Channel) -> bool {
    matches!(
        channel,
        Channel::Email | Channel::VideoCall | Channel::Phone | Channel::InPerson
    )
}

/// Channels where one talks live.
pub(crate) fn is_live(channel: Channel) -> bool {
    matches!(
        channel,
        Channel::VideoCall | Channel::Phone | Channel::InPerson
    )
}

/// The entries after the last one that shows the conversation already moved. Evidence before
/// a move has been acted on; only what came after it can call for a new suggestion.
pub(crate) fn after_last_move(entries: &[Entry], moved: impl Fn(&Entry) -> bool) -> &[Entry] {
    match entries.iter().rposition(moved) {
        Some(p) => &entries[p + 1..],
        None => entries,
    }
}

/// A run of messages dense enough to count: positions into the sequence it was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Burst {
    pub start: usize,
    /// Inclusive.
    pub end: usize,
}

/// The latest burst in `seq` (sorted by time): the union of overlapping windows of at least
/// `min` messages spanning at most `window_ms`, each window with both sides writing when
/// `both_sides`. A burst's start never moves as later messages arrive, which keeps the
/// suggestion id stable.
pub(crate) fn latest_burst(
    seq: &[Entry],
    min: usize,
    window_ms: i64,
    both_sides: bool,
) -> Option<Burst> {
    let mut latest: Option<Burst> = None;
    let (mut user, mut them) = (0usize, 0usize);
    let mut i = 0;
    for j in 0..seq.len() {
        user += usize::from(seq[j].by_user());
        them += usize::from(seq[j].by_contact());
        while seq[j].at - seq[i].at > window_ms {
            user -= usize::from(seq[i].by_user());
            them -= usize::from(seq[i].by_contact());
            i += 1;
        }
        let qualifies = j + 1 - i >= min && (!both_sides || (user > 0 && them > 0));
        if !qualifies {
            continue;
        }
        latest = match latest {
            Some(b) if i <= b.end => Some(Burst {
                start: b.start,
                end: j,
            }),
            _ => Some(Burst { start: i, end: j }),
        };
    }
    latest
}

/// The candidates (by `is_candidate`) of the latest run in which each is at most the recency
/// window after the one before, the last within the window before `now`; oldest first.
/// Chaining back in time keeps the run's start (the suggestion's anchor) fixed as `now`
/// advances. Scans backwards and stops at the first gap, so text is only read for recent
/// messages.
pub(crate) fn recent_chain(
    ctx: &Ctx<'_, '_>,
    entries: &[Entry],
    mut is_candidate: impl FnMut(&Entry) -> bool,
) -> Vec<Entry> {
    let gap = ctx.settings.recency_ms();
    let mut bound = ctx.now_ms - gap;
    let mut out = Vec::new();
    for e in entries.iter().rev() {
        if e.at < bound {
            break;
        }
        if is_candidate(e) {
            out.push(*e);
            bound = e.at - gap;
        }
    }
    out.reverse();
    out
}

/// How many interactions on each channel, most used first (ties: the more recent first).
pub(crate) fn channel_use(entries: &[Entry]) -> Vec<(Channel, usize, i64)> {
    let mut use_: Vec<(Channel, usize, i64)> = Vec::new();
    for e in entries {
        match use_.iter_mut().find(|(c, _, _)| *c == e.channel) {
            Some(u) => {
                u.1 += 1;
                u.2 = u.2.max(e.at);
            }
            None => use_.push((e.channel, 1, e.at)),
        }
    }
    use_.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.cmp(&a.2)).then(a.0.cmp(&b.0)));
    use_
}

/// The median of a list (the lower middle for even lengths, so it is always an observed
/// value). Reorders the list.
pub(crate) fn median(values: &mut [i64]) -> Option<i64> {
    if values.is_empty() {
        return None;
    }
    let mid = (values.len() - 1) / 2;
    let (_, m, _) = values.select_nth_unstable(mid);
    Some(*m)
}

/// `lo` to `hi` by `mix` in 0..1.
pub(crate) fn span(lo: f64, hi: f64, mix: f64) -> f64 {
    lo + (hi - lo) * mix.clamp(0.0, 1.0)
}

/// How far past a threshold a count is, 0..1: 0 at the threshold, 1 at twice it.
pub(crate) fn strength(n: usize, min: usize) -> f64 {
    let min = min.max(1) as f64;
    ((n as f64 - min) / min).clamp(0.0, 1.0)
}

/// "5 from you, 4 from Ana" — mutual entries count for both.
pub(crate) fn sides(ctx: &Ctx<'_, '_>, seq: &[Entry]) -> String {
    let user = seq.iter().filter(|e| e.by_user()).count();
    let them = seq.iter().filter(|e| e.by_contact()).count();
    format!("{user} from you, {them} from {}", ctx.name())
}

/// Interaction positions of a run, the latest `max` of them.
pub(crate) fn evidence(seq: &[Entry], max: usize) -> Vec<u32> {
    seq[seq.len().saturating_sub(max)..]
        .iter()
        .map(|e| e.idx)
        .collect()
}

/// Evidence lists are capped: reasons cite counts, the list shows the latest messages.
pub(crate) const MAX_EVIDENCE: usize = 50;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Direction;

    fn e(at_h: i64, direction: Direction) -> Entry {
        Entry {
            at: at_h * 3_600_000,
            idx: 0,
            channel: Channel::Twitter,
            direction,
            public: true,
            solo: true,
        }
    }

    #[test]
    fn bursts_merge_overlapping_windows_and_keep_their_start() {
        use Direction::{Inbound as I, Outbound as O};
        let seq: Vec<Entry> = [0, 1, 2, 3, 4, 5, 6, 7, 100, 101]
            .iter()
            .enumerate()
            .map(|(k, &h)| e(h, if k % 2 == 0 { O } else { I }))
            .collect();
        let b = latest_burst(&seq, 6, 48 * 3_600_000, true).unwrap();
        assert_eq!(b, Burst { start: 0, end: 7 });
        // Later messages that form no new burst leave the latest burst where it was.
        assert_eq!(latest_burst(&seq[..8], 6, 48 * 3_600_000, true), Some(b));
        assert_eq!(latest_burst(&seq[..5], 6, 48 * 3_600_000, true), None);
    }

    #[test]
    fn bursts_need_both_sides_when_asked() {
        let seq: Vec<Entry> = (0..8).map(|h| e(h, Direction::Outbound)).collect();
        assert_eq!(latest_burst(&seq, 6, 48 * 3_600_000, true), None);
        assert!(latest_burst(&seq, 6, 48 * 3_600_000, false).is_some());
        let mut mutual = seq.clone();
        mutual[3].direction = Direction::Mutual;
        assert!(latest_burst(&mutual, 6, 48 * 3_600_000, true).is_some());
    }

    #[test]
    fn median_is_an_observed_value() {
        assert_eq!(median(&mut [5, 1, 3]), Some(3));
        assert_eq!(median(&mut [4, 1, 3, 2]), Some(2));
        assert_eq!(median(&mut []), None);
    }

    #[test]
    fn moves_cut_history() {
        let mut seq: Vec<Entry> = (0..5).map(|h| e(h, Direction::Inbound)).collect();
        seq[2].channel = Channel::Email;
        let tail = after_last_move(&seq, |e| is_private_long_form(e.channel));
        assert_eq!(tail.len(), 2);
        assert_eq!(after_last_move(&seq, |_| false).len(), 5);
    }
}
