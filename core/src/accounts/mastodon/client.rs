//! Requests to a Mastodon server over the same HTTP client the feeds use (ureq on rustls,
//! with timeouts and a cap on what is read), and the server's answers in plain words: a 401
//! is a sign-in to make again, a 429 or an exhausted rate limit a time to wait until, a 5xx a
//! failure the schedule backs off from, an answer that is not the JSON Mastodon writes a bad
//! response naming the address and the place.

use super::paging::next_link;
use super::Limits;
use crate::accounts::http::{retry_at, transport_error};
use crate::accounts::schedule::rate_limited;
use crate::accounts::Secret;
use crate::error::{Error, Result, SyncProblem};
use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use std::cell::Cell;

/// One server, one sign-in: every request of one sync or one sign-in goes through it.
pub(crate) struct Client<'a> {
    account: &'a str,
    /// `https://host` without a trailing slash.
    server: String,
    token: Option<&'a Secret>,
    agent: ureq::Agent,
    limits: &'a Limits,
    now: DateTime<Utc>,
    /// Set when the server said no requests are left before this time.
    exhausted_until: Cell<Option<DateTime<Utc>>>,
}

/// What a list endpoint answered: its items and the address of the next (older) page.
pub(crate) struct Page<T> {
    pub items: T,
    pub next: Option<String>,
}

impl<'a> Client<'a> {
    pub fn new(
        account: &'a str,
        server: &str,
        token: Option<&'a Secret>,
        limits: &'a Limits,
        now: DateTime<Utc>,
    ) -> Client<'a> {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .max_redirects(0)
            .http_status_as_error(false)
            .timeout_connect(Some(limits.timeout))
            .timeout_recv_response(Some(limits.timeout))
            .timeout_per_read(Some(limits.timeout))
            .timeout_recv_body(Some(limits.timeout * 4))
            .user_agent(concat!("Kith/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Client {
            account,
            server: server.trim().trim_end_matches('/').to_string(),
            token,
            agent,
            limits,
            now,
            exhausted_until: Cell::new(None),
        }
    }

    /// The full address of an API path (`/api/v1/…`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server)
    }

    /// GETs one page of `url` and reads it as `T`.
    pub fn get<T: DeserializeOwned>(&self, url: &str) -> Result<Page<T>> {
        self.check_budget(url)?;
        let mut request = self.agent.get(url).header("Accept", "application/json");
        if let Some(token) = self.token {
            request = request.header("Authorization", &format!("Bearer {}", token.expose()));
        }
        let response = request.call().map_err(|e| self.transport(url, e))?;
        let (bytes, link) = self.answer(url, response)?;
        let items = self.json(url, &bytes)?;
        let next = link
            .as_deref()
            .and_then(next_link)
            .filter(|n| self.same_server(n));
        Ok(Page { items, next })
    }

    /// POSTs a form to `path` and reads the answer as `T`.
    pub fn post_form<T: DeserializeOwned>(&self, path: &str, form: &[(&str, &str)]) -> Result<T> {
        let url = self.url(path);
        self.check_budget(&url)?;
        let body = form
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let response = self
            .agent
            .post(&url)
            .header("Accept", "application/json")
            .header("Content-Type", "application/x-www-form-urlencoded")
            .send(body.as_bytes())
            .map_err(|e| self.transport(&url, e))?;
        let (bytes, _) = self.answer(&url, response)?;
        self.json(&url, &bytes)
    }

    fn transport(&self, url: &str, e: ureq::Error) -> Error {
        transport_error(
            self.account,
            url,
            e,
            self.limits.timeout,
            self.limits.max_body_bytes,
        )
    }

    /// A next page on another server is never followed: the token goes only to the user's.
    fn same_server(&self, url: &str) -> bool {
        let n = self.server.len();
        url.get(..n)
            .is_some_and(|origin| origin.eq_ignore_ascii_case(&self.server))
            && url[n..].starts_with('/')
    }

    /// Refuses to ask again when the server said the allowance is spent until a time.
    fn check_budget(&self, url: &str) -> Result<()> {
        match self.exhausted_until.get() {
            Some(until) if until > self.now => Err(rate_limited(
                self.account,
                until,
                &format!("{url}: the server's limit of requests is used up"),
            )),
            _ => Ok(()),
        }
    }

    /// The body of a successful answer and its `Link` header; any other status in plain words.
    fn answer(
        &self,
        url: &str,
        mut response: ureq::http::Response<ureq::Body>,
    ) -> Result<(Vec<u8>, Option<String>)> {
        let status = response.status().as_u16();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let reset = header("x-ratelimit-reset").and_then(|v| reset_time(&v));
        if header("x-ratelimit-remaining").as_deref() == Some("0") {
            if let Some(reset) = reset {
                self.exhausted_until.set(Some(reset));
            }
        }
        let server = &self.server;
        match status {
            200..=299 => {
                let link = header("link");
                let bytes = response
                    .body_mut()
                    .with_config()
                    .limit(self.limits.max_body_bytes)
                    .read_to_vec()
                    .map_err(|e| self.transport(url, e))?;
                Ok((bytes, link))
            }
            401 => Err(Error::sync(
                self.account,
                SyncProblem::WrongPassword,
                format!(
                    "{server} no longer accepts Kith's sign-in (401): the access was revoked or \
                     has expired. Sign in again: remove the account and add it again"
                ),
            )),
            403 => Err(self.bad(format!(
                "{url} refused Kith's request (403): the sign-in does not allow it"
            ))),
            404 | 410 => Err(self.bad(format!(
                "{url} is gone ({status}): the account was deleted or moved to another \
                 server. If it moved, add the new account"
            ))),
            429 | 503 => {
                let until =
                    reset.or_else(|| header("retry-after").and_then(|v| retry_at(&v, self.now)));
                Err(match until {
                    Some(until) => rate_limited(
                        self.account,
                        until,
                        &format!("{server} asked Kith to wait ({status})"),
                    ),
                    None if status == 429 => Error::sync(
                        self.account,
                        SyncProblem::RateLimited,
                        format!("{server} asked Kith to wait (429); try again later"),
                    ),
                    None => Error::sync(
                        self.account,
                        SyncProblem::Unreachable,
                        format!("{server} is unavailable for now (503)"),
                    ),
                })
            }
            500..=599 => Err(Error::sync(
                self.account,
                SyncProblem::Unreachable,
                format!("{url} had a server error ({status}); Kith will try again later"),
            )),
            _ => Err(self.bad(format!(
                "{url} answered with an unexpected status ({status})"
            ))),
        }
    }

    fn json<T: DeserializeOwned>(&self, url: &str, bytes: &[u8]) -> Result<T> {
        let mut de = serde_json::Deserializer::from_slice(bytes);
        serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let inner = e.inner();
            let path = e.path().to_string();
            let place = if path.is_empty() || path == "." {
                String::new()
            } else {
                format!(" at {path}")
            };
            self.bad(format!(
                "{url}: the answer is not the JSON Mastodon sends (line {}, column {}{place}: {})",
                inner.line(),
                inner.column(),
                short(&inner.to_string()),
            ))
        })
    }

    fn bad(&self, detail: String) -> Error {
        Error::sync(self.account, SyncProblem::BadResponse, detail)
    }
}

/// serde's message without its own " at line … column …" tail.
fn short(message: &str) -> String {
    message
        .rsplit_once(" at line ")
        .map(|(m, _)| m.to_string())
        .unwrap_or_else(|| message.to_string())
}

/// `X-RateLimit-Reset`: an ISO 8601 time, as Mastodon writes it.
fn reset_time(value: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(value)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// Percent-encodes a query or form value (RFC 3986 unreserved characters stay).
pub(crate) fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_percent_encoded() {
        assert_eq!(
            encode("read:accounts read:lists"),
            "read%3Aaccounts%20read%3Alists"
        );
        assert_eq!(
            encode("urn:ietf:wg:oauth:2.0:oob"),
            "urn%3Aietf%3Awg%3Aoauth%3A2.0%3Aoob"
        );
        assert_eq!(encode("a-b_c.d~é"), "a-b_c.d~%C3%A9");
    }

    #[test]
    fn only_pages_on_the_users_server_are_followed() {
        let limits = Limits::default();
        let c = Client::new("a", "https://glammr.us", None, &limits, Utc::now());
        assert!(c.same_server("https://glammr.us/api/v1/notifications?max_id=21"));
        assert!(c.same_server("https://Glammr.US/api/v1/notifications?max_id=21"));
        assert!(!c.same_server("https://glammr.us.example.net/api/v1/notifications"));
        assert!(!c.same_server("https://glammr.usx/api"));
        assert!(!c.same_server("http://glammr.us/api"));
        assert!(!c.same_server("https://g"));
    }

    #[test]
    fn the_reset_time_is_read_as_mastodon_writes_it() {
        assert_eq!(
            reset_time("2026-08-01T13:55:00.940463Z").map(|t| t.to_rfc3339()),
            Some("2026-08-01T13:55:00.940463+00:00".to_string())
        );
        assert_eq!(reset_time("soon"), None);
    }
}
