//! `kith suggest`: when a conversation should move, and who to get back in touch with.

use crate::output::{one_line, print_json};
use crate::say;
use chrono::{DateTime, NaiveDate, Utc};
use kith_core::archive::{parse_date, parse_datetime};
use kith_core::{Error, Store};

#[derive(clap::Args)]
pub struct SuggestArgs {
    /// Compute as of this time (RFC 3339) instead of now.
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
    #[arg(long)]
    pub json: bool,
    /// Show only suggestions for this contact (a name, id or handle).
    #[arg(long, value_name = "NAME")]
    pub contact: Option<String>,
    /// Dismiss the suggestion with this id for good.
    #[arg(long, value_name = "ID", conflicts_with_all = ["snooze", "accept"])]
    pub dismiss: Option<String>,
    /// Snooze the suggestion with this id (until --until, default a week).
    #[arg(long, value_name = "ID", conflicts_with = "accept")]
    pub snooze: Option<String>,
    #[arg(long, value_name = "TIME", requires = "snooze")]
    pub until: Option<String>,
    /// Accept the suggestion with this id: it becomes a follow-up (with --due, a dated to-do).
    #[arg(long, value_name = "ID")]
    pub accept: Option<String>,
    #[arg(long, value_name = "YYYY-MM-DD", requires = "accept")]
    pub due: Option<String>,
    /// The plan, when accepting.
    #[arg(long, requires = "accept")]
    pub note: Option<String>,
    /// Show who is due for a check-in instead (keep-in-touch cadences).
    #[arg(long)]
    pub overdue: bool,
    /// Show your plans: the suggestions you accepted and have not yet marked done.
    #[arg(long, conflicts_with = "overdue")]
    pub plans: bool,
    /// Show birthdays, anniversaries and other important dates in the next two weeks.
    #[arg(long, conflicts_with_all = ["overdue", "plans"])]
    pub dates: bool,
    /// Mark the plan of the accepted suggestion with this id as done.
    #[arg(long, value_name = "ID", conflicts_with_all = ["dismiss", "snooze", "accept"])]
    pub done: Option<String>,
}

pub fn run(store: &mut Store, args: SuggestArgs, wall_clock: DateTime<Utc>) -> Result<(), Error> {
    let now = match &args.at {
        Some(t) => parse_datetime(t).map_err(|m| Error::invalid(format!("--at: {m}")))?,
        None => wall_clock,
    };
    if let Some(id) = &args.dismiss {
        store.dismiss_suggestion(id, None, now)?;
        say!("Dismissed {id}.");
        return Ok(());
    }
    if let Some(id) = &args.snooze {
        let until = match &args.until {
            Some(t) => parse_datetime(t).map_err(|m| Error::invalid(format!("--until: {m}")))?,
            None => now + chrono::Duration::days(7),
        };
        store.dismiss_suggestion(id, Some(until), now)?;
        say!("Snoozed {id} until {}.", until.format("%Y-%m-%d %H:%M UTC"));
        return Ok(());
    }
    if let Some(id) = &args.accept {
        let suggestion = store.suggestion(id, now)?;
        let due: Option<NaiveDate> = match &args.due {
            Some(d) => Some(parse_date(d).map_err(|m| Error::invalid(format!("--due: {m}")))?),
            None => None,
        };
        let plan =
            store.accept_suggestion(&suggestion, args.note.as_deref().unwrap_or(""), due, now)?;
        say!(
            "Accepted: {}{}",
            plan.summary,
            plan.due_on
                .map(|d| format!(" (due {d})"))
                .unwrap_or_default()
        );
        return Ok(());
    }
    if let Some(id) = &args.done {
        store.complete_follow_up(id, now)?;
        say!("Done: {id}.");
        return Ok(());
    }
    if args.plans {
        let plans = store.follow_ups()?;
        if args.json {
            print_json(&plans);
        } else if plans.is_empty() {
            say!("No plans: accept a suggestion with --accept ID to make one.");
        } else {
            for p in &plans {
                say!(
                    "{:<56} {}  {}",
                    one_line(&p.summary, 56),
                    p.due_on
                        .map(|d| format!("due {d}"))
                        .unwrap_or_else(|| "no due date".into()),
                    p.suggestion_id
                );
            }
        }
        return Ok(());
    }
    if args.dates {
        let soon = store.upcoming_dates(now)?;
        if args.json {
            print_json(&soon);
        } else if soon.is_empty() {
            say!("No important dates in the next two weeks.");
        } else {
            for u in &soon {
                let what = if u.date.label.trim().is_empty() {
                    u.date.kind.label().to_string()
                } else {
                    one_line(&u.date.label, 30)
                };
                let years = u.years.map(|n| format!(" ({n})")).unwrap_or_default();
                let when = match u.days_until {
                    0 => "today".to_string(),
                    1 => "tomorrow".to_string(),
                    n => format!("in {n} days"),
                };
                say!(
                    "{:<28} {what}{years} on {}, {when}",
                    one_line(&u.name, 28),
                    u.on.format("%Y-%m-%d")
                );
            }
        }
        return Ok(());
    }
    if args.overdue {
        let due: Vec<_> = store
            .keep_in_touch(now)?
            .into_iter()
            .filter(|s| s.overdue_days >= 0)
            .collect();
        if args.json {
            print_json(&due);
        } else if due.is_empty() {
            say!("Nobody is overdue for a check-in.");
        } else {
            for s in &due {
                say!(
                    "{:<28} {:>4} days overdue (every {} days; last {})",
                    one_line(&s.name, 28),
                    s.overdue_days,
                    s.cadence_days,
                    s.last_interaction_at
                        .map(|t| t.format("%Y-%m-%d").to_string())
                        .unwrap_or_else(|| "never".into())
                );
            }
        }
        return Ok(());
    }
    let suggestions = match &args.contact {
        Some(name) => {
            let (id, _) = crate::resolve_contact(store, name)?;
            store.suggestions_for_contact(&id, now)?
        }
        None => store.suggestions(now)?,
    };
    if args.json {
        print_json(&suggestions);
        return Ok(());
    }
    if suggestions.is_empty() {
        say!("No suggestions: every conversation is where it belongs.");
    }
    for s in &suggestions {
        let from = s
            .from_channel
            .map(|c| format!("{} → ", c.label()))
            .unwrap_or_default();
        say!(
            "{}  {}{}  ({:.2}, {})",
            one_line(&s.contact, 40),
            from,
            s.to_channel.label(),
            s.score,
            s.id
        );
        for reason in &s.reasons {
            say!("    {}", one_line(reason, 120));
        }
    }
    Ok(())
}
