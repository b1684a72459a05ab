//! What every HTTP fetcher of an account shares: one configured client (ureq on rustls, with
//! timeouts), failures below HTTP in plain words, and a server's `Retry-After`.
//!
//! The feed reader and the Bluesky reader both go through here, so a timeout, an untrusted
//! certificate or a server that cannot be reached reads the same whichever kind of account
//! met it.

use crate::error::{Error, SyncProblem};
use chrono::{DateTime, Utc};
use std::time::Duration;

/// A client that follows no redirect by itself (callers that follow them do it one hop at a
/// time), answers every status as a response, and gives up on a server silent for `timeout`.
pub fn agent(timeout: Duration, what: &str) -> ureq::Agent {
    ureq::Agent::config_builder()
        .max_redirects(0)
        .http_status_as_error(false)
        .timeout_connect(Some(timeout))
        .timeout_recv_response(Some(timeout))
        .timeout_per_read(Some(timeout))
        .timeout_recv_body(Some(timeout * 4))
        .user_agent(format!("Kith/{} ({what})", env!("CARGO_PKG_VERSION")))
        .build()
        .into()
}

/// A failure below HTTP (DNS, TCP, TLS, timeouts, a body over `max_body_bytes`) in plain
/// words, as the account's problem.
pub fn transport_error(
    account: &str,
    url: &str,
    error: ureq::Error,
    timeout: Duration,
    max_body_bytes: u64,
) -> Error {
    // rustls refuses a certificate during the handshake, which reaches here as an I/O error
    // of the connection ("invalid peer certificate: …") as often as a TLS one.
    let text = error.to_string();
    if text.to_ascii_lowercase().contains("certificate") {
        return Error::sync(
            account,
            SyncProblem::UntrustedCertificate,
            format!("{url}: the server's certificate is not trusted ({text})"),
        );
    }
    let silent = || {
        (
            SyncProblem::TimedOut,
            format!(
                "{url} stopped answering (nothing for {} s)",
                timeout.as_secs_f32()
            ),
        )
    };
    let (problem, detail) = match &error {
        ureq::Error::Timeout(_) => silent(),
        ureq::Error::BodyExceedsLimit(_) => (
            SyncProblem::TooLarge,
            format!(
                "{url} sent more than {} MB; Kith read no further",
                max_body_bytes / 1_000_000
            ),
        ),
        ureq::Error::HostNotFound => (
            SyncProblem::Unreachable,
            format!("{url}: the server's name was not found"),
        ),
        ureq::Error::ConnectionFailed => (
            SyncProblem::Unreachable,
            format!("{url}: the server could not be reached"),
        ),
        ureq::Error::BadUri(e) => (
            SyncProblem::BadResponse,
            format!("{url} is not a valid address ({e})"),
        ),
        ureq::Error::Io(e) if is_timeout(e) => silent(),
        ureq::Error::Io(e) => (
            SyncProblem::Unreachable,
            format!("{url}: the connection failed ({e})"),
        ),
        _ => (
            SyncProblem::BadResponse,
            format!("{url}: the server's answer could not be read ({text})"),
        ),
    };
    Error::sync(account, problem, detail)
}

fn is_timeout(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock
    )
}

/// A `Retry-After` value (seconds, or an HTTP date) as a time.
pub fn retry_at(value: &str, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    if let Ok(seconds) = value.parse::<u32>() {
        return Some(now + chrono::Duration::seconds(i64::from(seconds)));
    }
    DateTime::parse_from_rfc2822(value)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let now = DateTime::parse_from_rfc3339("2026-12-07T14:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(
            retry_at("300", now).unwrap().to_rfc3339(),
            "2026-12-07T14:05:00+00:00"
        );
        assert_eq!(
            retry_at("Mon, 07 Dec 2026 14:05:00 GMT", now)
                .unwrap()
                .to_rfc3339(),
            "2026-12-07T14:05:00+00:00"
        );
        assert_eq!(retry_at("soon", now), None);
    }
}
