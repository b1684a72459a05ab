//! One conditional GET of a feed over HTTP(S): redirects followed by hand (so a loop is named
//! as one), timeouts in seconds, a cap on the body read (never the whole of an endless body),
//! and the server's answer turned into the account's plain-words problems.

use super::Limits;
use crate::accounts::http::retry_at;
use crate::error::{Error, Result, SyncProblem};
use chrono::{DateTime, Local, Utc};
use std::time::Duration;

/// What the cursor knows about a URL from the last fetch, sent back so the server can answer
/// "nothing new" (304).
#[derive(Debug, Clone, Default)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// The server's answer.
#[derive(Debug)]
pub enum Fetched {
    /// 304: nothing changed since the validators.
    NotModified,
    /// 200: the body (decompressed, at most `Limits::max_body_bytes`) and the new validators.
    Body {
        bytes: Vec<u8>,
        validators: Validators,
        /// Where the feed was in the end, after redirects.
        final_url: String,
    },
}

/// When the server said to try again, for a `sync_rate_limited` error from a feed: the
/// scheduler waits at least until then.
pub fn rate_limited_until(error: &Error) -> Option<DateTime<Utc>> {
    error.retry_at()
}

/// Only `http` and `https` URLs are fetched; anything else is refused before connecting.
pub fn check_scheme(account: &str, url: &str) -> Result<()> {
    let lower = url.trim().to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        Ok(())
    } else {
        Err(Error::sync(
            account,
            SyncProblem::BadResponse,
            format!("{url} is not an http or https address; Kith only reads feeds over HTTP"),
        ))
    }
}

/// GETs `url`, following up to `limits.max_redirects` redirects.
pub fn get(
    account: &str,
    url: &str,
    validators: &Validators,
    limits: &Limits,
    now: DateTime<Utc>,
) -> Result<Fetched> {
    // Redirects are followed below, one hop at a time, to name a loop and to refuse a
    // redirect to anything but http(s).
    let agent = crate::accounts::http::agent(limits.timeout, "feed reader");
    let mut current = url.trim().to_string();
    let mut visited: Vec<String> = Vec::new();
    loop {
        check_scheme(account, &current)?;
        visited.push(current.clone());
        let mut request = agent.get(&current).header(
            "Accept",
            "application/rss+xml, application/atom+xml, application/feed+json, \
                 application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5",
        );
        if let Some(etag) = &validators.etag {
            request = request.header("If-None-Match", etag);
        }
        if let Some(lm) = &validators.last_modified {
            request = request.header("If-Modified-Since", lm);
        }
        let mut response = request
            .call()
            .map_err(|e| transport_error(account, &current, e, limits))?;
        let status = response.status().as_u16();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        match status {
            200..=299 => {
                let validators = Validators {
                    etag: header("etag"),
                    last_modified: header("last-modified"),
                };
                let bytes = response
                    .body_mut()
                    .with_config()
                    .limit(limits.max_body_bytes)
                    .read_to_vec()
                    .map_err(|e| transport_error(account, &current, e, limits))?;
                return Ok(Fetched::Body {
                    bytes,
                    validators,
                    final_url: current,
                });
            }
            304 => return Ok(Fetched::NotModified),
            301 | 302 | 303 | 307 | 308 => {
                let Some(location) = header("location") else {
                    return Err(bad(
                        account,
                        format!("{current} redirected ({status}) without saying where to"),
                    ));
                };
                let next = resolve(&current, &location);
                if visited.contains(&next) {
                    return Err(bad(
                        account,
                        format!("{url} redirects in a loop (back to {next})"),
                    ));
                }
                if visited.len() > limits.max_redirects as usize {
                    return Err(bad(
                        account,
                        format!(
                            "{url} redirects more than {} times; Kith stopped following",
                            limits.max_redirects
                        ),
                    ));
                }
                current = next;
            }
            429 | 503 => {
                let until = header("retry-after").and_then(|v| retry_at(&v, now));
                return Err(match (status, until) {
                    (_, Some(until)) => Error::rate_limited(
                        account,
                        until,
                        format!(
                            "{current} asked Kith to wait: rate-limited until {}",
                            until.with_timezone(&Local).format("%H:%M"),
                        ),
                    ),
                    (429, None) => Error::sync(
                        account,
                        SyncProblem::RateLimited,
                        format!("{current} asked Kith to wait (429); try again later"),
                    ),
                    _ => Error::sync(
                        account,
                        SyncProblem::Unreachable,
                        format!("{current} is unavailable for now (503)"),
                    ),
                });
            }
            404 | 410 => {
                return Err(bad(
                    account,
                    format!("the feed is gone ({status}): {current}"),
                ))
            }
            401 | 403 => {
                return Err(bad(
                    account,
                    format!(
                        "{current} refused to show the feed ({status}); a public feed needs no password"
                    ),
                ))
            }
            500..=599 => {
                return Err(Error::sync(
                    account,
                    SyncProblem::Unreachable,
                    format!("{current} had a server error ({status})"),
                ))
            }
            _ => {
                return Err(bad(
                    account,
                    format!("{current} answered with an unexpected status ({status})"),
                ))
            }
        }
    }
}

fn bad(account: &str, detail: String) -> Error {
    Error::sync(account, SyncProblem::BadResponse, detail)
}

/// `location` (absolute, or relative to `base`) as an absolute URL.
pub fn resolve(base: &str, location: &str) -> String {
    let location = location.trim();
    if location.contains("://") {
        return location.to_string();
    }
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    if let Some(rest) = location.strip_prefix("//") {
        return format!("{}{rest}", &base[..scheme_end]);
    }
    let origin_end = base[scheme_end..]
        .find('/')
        .map(|i| i + scheme_end)
        .unwrap_or(base.len());
    if location.starts_with('/') {
        return format!("{}{location}", &base[..origin_end]);
    }
    // Relative to the base's folder.
    let path = &base[..base.find(['?', '#']).unwrap_or(base.len())];
    let dir_end = path.rfind('/').filter(|&i| i >= origin_end).map(|i| i + 1);
    match dir_end {
        Some(end) => format!("{}{location}", &path[..end]),
        None => format!("{}/{location}", &base[..origin_end]),
    }
}

/// A failure below HTTP (DNS, TCP, TLS, timeouts, a body over the limit) in plain words.
fn transport_error(account: &str, url: &str, error: ureq::Error, limits: &Limits) -> Error {
    crate::accounts::http::transport_error(
        account,
        url,
        error,
        limits.timeout,
        limits.max_body_bytes,
    )
}

/// The default time Kith waits for a server before giving up on it.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(20);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_redirects_resolve_against_the_current_url() {
        assert_eq!(
            resolve("http://a.example/blog/feed?x=1", "/b"),
            "http://a.example/b"
        );
        assert_eq!(
            resolve("http://a.example/blog/feed", "atom.xml"),
            "http://a.example/blog/atom.xml"
        );
        assert_eq!(resolve("https://a.example", "x"), "https://a.example/x");
        assert_eq!(
            resolve("https://a.example/f", "//b.example/g"),
            "https://b.example/g"
        );
        assert_eq!(
            resolve("https://a.example/f", "http://c.example/"),
            "http://c.example/"
        );
    }
}
