//! When an account syncs next: on the schedule (every 15 minutes by default, a setting),
//! later after failures (15 minutes × 2^failures, at most a day), and never before a time a
//! server asked Kith to wait until.

use crate::error::Error;
use chrono::{DateTime, Duration, Utc};

/// How often an account syncs while the app is open, unless the user chose otherwise.
pub const DEFAULT_EVERY: Duration = Duration::minutes(15);

/// The setting that holds the user's choice of how often to sync, in minutes.
pub const SYNC_EVERY_SETTING: &str = "accounts.sync_every_minutes";

/// The shortest wait after a failure, doubled with each failure in a row.
const BACKOFF_BASE: Duration = Duration::minutes(15);

/// The longest wait after failures.
const BACKOFF_CAP: Duration = Duration::hours(24);

/// The wait after `failures` syncs in a row failed: 15 minutes × 2^failures, at most a day.
pub fn backoff(failures: u32) -> Duration {
    // 2^7 × 15 minutes is past a day already.
    let factor = 1i32 << failures.min(7);
    (BACKOFF_BASE * factor).min(BACKOFF_CAP)
}

/// When the next scheduled sync may run after a failure at `now`, the `failures`-th in a
/// row: the time the server asked to wait until, when it said, else after the backoff.
pub fn next_after_failure(now: DateTime<Utc>, failures: u32, error: &Error) -> DateTime<Utc> {
    match retry_at(error) {
        Some(at) if at > now => at.min(now + BACKOFF_CAP),
        _ => now + backoff(failures),
    }
}

/// The error a fetcher returns when the server asked it to wait until `until`, with the time
/// in plain words (UTC) after `detail`.
pub fn rate_limited(account: &str, until: DateTime<Utc>, detail: &str) -> Error {
    Error::rate_limited(
        account,
        until,
        format!("{detail}; rate-limited until {} UTC", until.format("%H:%M")),
    )
}

/// The time a rate-limited error says to wait until, if it says.
pub fn retry_at(error: &Error) -> Option<DateTime<Utc>> {
    error.retry_at()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::SyncProblem;
    use chrono::TimeZone;

    #[test]
    fn the_wait_doubles_with_each_failure_up_to_a_day() {
        assert_eq!(backoff(1), Duration::minutes(30));
        assert_eq!(backoff(2), Duration::hours(1));
        assert_eq!(backoff(6), Duration::hours(16));
        assert_eq!(backoff(7), Duration::hours(24));
        assert_eq!(backoff(40), Duration::hours(24));
    }

    #[test]
    fn a_rate_limit_is_honoured_to_the_minute() {
        let now = Utc.with_ymd_and_hms(2026, 12, 7, 13, 0, 0).unwrap();
        let until = Utc.with_ymd_and_hms(2026, 12, 7, 14, 5, 0).unwrap();
        let e = rate_limited("blog", until, "the server answered 429");
        assert!(
            e.to_string().contains("rate-limited until 14:05 UTC"),
            "{e}"
        );
        assert_eq!(retry_at(&e), Some(until));
        assert_eq!(next_after_failure(now, 1, &e), until);
        let other = Error::sync("blog", SyncProblem::Unreachable, "no route (x)");
        assert_eq!(
            next_after_failure(now, 1, &other),
            now + Duration::minutes(30)
        );
    }
}
