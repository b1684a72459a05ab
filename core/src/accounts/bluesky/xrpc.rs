//! XRPC over the accounts' one HTTP client: a query (GET) or procedure (POST) to a PDS or a
//! PLC directory, with its answer read into bytes or into the service's own error
//! (`{"error": "ExpiredToken", "message": …}`), and the failures every call shares (the
//! server unreachable or silent, rate-limited, a server error) turned into the account's
//! plain-words problems.

use super::Limits;
use crate::accounts::http::{agent, retry_at, transport_error};
use crate::accounts::schedule;
use crate::error::{Error, Result, SyncProblem};
use chrono::{DateTime, TimeZone, Utc};

/// A service's answer that is not a success and not a failure every call shares: its status
/// and the error name and message it gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub status: u16,
    /// The XRPC error name (`AuthenticationRequired`, `ExpiredToken`, `RepoNotFound`), when
    /// the body gave one.
    pub error: String,
    pub message: String,
}

impl Refusal {
    /// `error: message`, or the status alone.
    pub fn describe(&self) -> String {
        match (self.error.is_empty(), self.message.is_empty()) {
            (false, false) => format!("{} ({}: {})", self.status, self.error, self.message),
            (false, true) => format!("{} ({})", self.status, self.error),
            (true, false) => format!("{} ({})", self.status, self.message),
            (true, true) => self.status.to_string(),
        }
    }
}

/// One account's calls: its name (for errors), the client and the limits.
pub struct Client<'a> {
    account: &'a str,
    agent: ureq::Agent,
    limits: &'a Limits,
    now: DateTime<Utc>,
}

/// A request: GET with a query, or POST with a JSON body.
pub enum Call<'a> {
    Get(&'a [(&'a str, &'a str)]),
    Post(&'a serde_json::Value),
}

impl<'a> Client<'a> {
    pub fn new(account: &'a str, limits: &'a Limits, now: DateTime<Utc>) -> Client<'a> {
        Client {
            account,
            agent: agent(limits.timeout, "Bluesky reader"),
            limits,
            now,
        }
    }

    pub fn account(&self) -> &str {
        self.account
    }

    /// `base/xrpc/nsid`, with `auth` as the bearer token when given.
    pub fn xrpc(
        &self,
        base: &str,
        nsid: &str,
        call: Call<'_>,
        auth: Option<&str>,
    ) -> Result<std::result::Result<Vec<u8>, Refusal>> {
        let url = format!("{}/xrpc/{nsid}", base.trim_end_matches('/'));
        self.send(&url, call, auth)
    }

    /// A plain GET of `url` (a DID document from a PLC directory or a did:web host).
    pub fn get(&self, url: &str) -> Result<std::result::Result<Vec<u8>, Refusal>> {
        self.send(url, Call::Get(&[]), None)
    }

    fn send(
        &self,
        url: &str,
        call: Call<'_>,
        auth: Option<&str>,
    ) -> Result<std::result::Result<Vec<u8>, Refusal>> {
        let lower = url.to_ascii_lowercase();
        if !(lower.starts_with("http://") || lower.starts_with("https://")) {
            return Err(Error::sync(
                self.account,
                SyncProblem::BadResponse,
                format!("{url} is not an http or https address"),
            ));
        }
        let sent = match call {
            Call::Get(query) => {
                let mut request = self.agent.get(url);
                for (k, v) in query {
                    request = request.query(*k, *v);
                }
                if let Some(token) = auth {
                    request = request.header("Authorization", &format!("Bearer {token}"));
                }
                request.call()
            }
            Call::Post(body) => {
                let mut request = self.agent.post(url);
                if let Some(token) = auth {
                    request = request.header("Authorization", &format!("Bearer {token}"));
                }
                request
                    .header("Content-Type", "application/json")
                    .send(body.to_string().as_bytes())
            }
        };
        let mut response = sent.map_err(|e| self.transport(url, e))?;
        let status = response.status().as_u16();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let reset = header("ratelimit-reset");
        let retry_after = header("retry-after");
        let bytes = response
            .body_mut()
            .with_config()
            .limit(self.limits.max_body_bytes)
            .read_to_vec()
            .map_err(|e| self.transport(url, e))?;
        let refusal = || {
            let body: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
            let field = |k: &str| {
                body.get(k)
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .chars()
                    .take(300)
                    .collect::<String>()
            };
            Refusal {
                status,
                error: field("error"),
                message: field("message"),
            }
        };
        match status {
            200..=299 => Ok(Ok(bytes)),
            429 => {
                // atproto services say when the window resets (`ratelimit-reset`, Unix
                // seconds); others say `Retry-After`.
                let until = reset
                    .and_then(|r| r.parse::<i64>().ok())
                    .and_then(|s| Utc.timestamp_opt(s, 0).single())
                    .or_else(|| retry_after.and_then(|v| retry_at(&v, self.now)));
                Err(match until {
                    Some(until) => schedule::rate_limited(
                        self.account,
                        until,
                        &format!("{url} asked Kith to wait (429)"),
                    ),
                    None => Error::sync(
                        self.account,
                        SyncProblem::RateLimited,
                        format!("{url} asked Kith to wait (429); try again later"),
                    ),
                })
            }
            500..=599 => Err(Error::sync(
                self.account,
                SyncProblem::Unreachable,
                format!("{url} had a server error ({})", refusal().describe()),
            )),
            _ => Ok(Err(refusal())),
        }
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

    /// The answer read as JSON, or a `sync_bad_response` naming what was asked.
    pub fn json(&self, what: &str, bytes: &[u8]) -> Result<serde_json::Value> {
        serde_json::from_slice(bytes).map_err(|e| {
            Error::sync(
                self.account,
                SyncProblem::BadResponse,
                format!("{what} is not the JSON expected ({e})"),
            )
        })
    }

    /// A refusal Kith has nothing more specific to say about.
    pub fn refused(&self, what: &str, refusal: &Refusal) -> Error {
        Error::sync(
            self.account,
            SyncProblem::BadResponse,
            format!("{what} was refused: {}", refusal.describe()),
        )
    }
}
