//! The loopback redirect of the app's sign-in: Kith listens once on a free port of this
//! computer (`http://127.0.0.1:<port>/callback`), the server's sign-in page sends the browser
//! there with the code, and the browser is shown a page saying the window can be closed.
//!
//! Only a request that carries the sign-in's own `state` is taken; anything else (a browser
//! asking for its icon, another program) is answered 404 and waited past. The wait ends after
//! a time limit, or when the user refused on the server's page (`error=access_denied`).

use super::oauth::{self, loopback_redirect, SignIn};
use super::Limits;
use crate::accounts::{MastodonSettings, Secret};
use crate::error::{Error, Result};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant};

/// Signs in to `server` through the browser: registers Kith with the loopback redirect, has
/// `open` show the server's sign-in page, waits at most `timeout` for the browser to come back,
/// and exchanges the code. Answers the token and who signed in.
pub fn sign_in(
    account: &str,
    server: &str,
    open: &dyn Fn(&str) -> Result<()>,
    timeout: Duration,
    limits: &Limits,
) -> Result<(Secret, MastodonSettings)> {
    let callback = Callback::listen()?;
    let started = oauth::start(account, server, &callback.redirect_uri(), limits)?;
    open(&started.authorize_url)?;
    let code = callback.wait(account, &started, timeout)?;
    let token = oauth::finish(account, &started, &code, limits)?;
    let settings = oauth::verify(account, &started.server, &token, limits)?;
    Ok((token, settings))
}

/// A port of this computer listening for the one answer of a sign-in.
pub struct Callback {
    listener: TcpListener,
}

impl Callback {
    /// Listens on a free loopback port.
    pub fn listen() -> Result<Callback> {
        let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| {
            Error::invalid(format!(
                "cannot listen on this computer for the sign-in: {e}"
            ))
        })?;
        listener
            .set_nonblocking(true)
            .map_err(|e| Error::invalid(format!("cannot listen for the sign-in: {e}")))?;
        Ok(Callback { listener })
    }

    /// The address the server sends the browser back to.
    pub fn redirect_uri(&self) -> String {
        let port = self.listener.local_addr().map(|a| a.port()).unwrap_or(0);
        loopback_redirect(port)
    }

    /// Waits for the browser to come back with the code of `sign_in`, at most `timeout`.
    /// `account` names the account in the errors.
    pub fn wait(&self, account: &str, sign_in: &SignIn, timeout: Duration) -> Result<String> {
        let until = Instant::now() + timeout;
        loop {
            match self.listener.accept() {
                Ok((stream, _)) => {
                    if let Some(answer) = answer(account, stream, &sign_in.state) {
                        return answer;
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    if Instant::now() >= until {
                        return Err(Error::invalid(format!(
                            "account {account:?}: the sign-in was not finished in the browser \
                             within {} minutes; add the account again to start over",
                            timeout.as_secs().div_ceil(60)
                        )));
                    }
                    std::thread::sleep(Duration::from_millis(50));
                }
                Err(e) => {
                    return Err(Error::invalid(format!(
                        "account {account:?}: listening for the sign-in failed: {e}"
                    )))
                }
            }
        }
    }
}

/// Reads one request. `None`: not the sign-in's answer, keep waiting.
fn answer(account: &str, stream: std::net::TcpStream, state: &str) -> Option<Result<String>> {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    // The rest of the head, so the browser is not cut off mid-request.
    let mut h = String::new();
    while reader.read_line(&mut h).map(|n| n > 2).unwrap_or(false) {
        h.clear();
    }
    let target = line.split_whitespace().nth(1).unwrap_or("");
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let param = |name: &str| {
        query.split('&').find_map(|p| {
            let (k, v) = p.split_once('=')?;
            (k == name).then(|| percent_decode(v))
        })
    };
    let mut out = stream;
    if path != "/callback" || param("state").as_deref() != Some(state) {
        let _ = out
            .write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        return None;
    }
    let result = match (param("code"), param("error")) {
        (Some(code), _) if !code.is_empty() => Ok(code),
        (_, Some(error)) => Err(Error::invalid(format!(
            "account {account:?}: the server did not allow Kith ({error}); nothing was added"
        ))),
        _ => Err(Error::invalid(format!(
            "account {account:?}: the server came back without a code; add the account again"
        ))),
    };
    let words = if result.is_ok() {
        "Kith is signed in. You can close this window."
    } else {
        "Kith was not signed in. You can close this window."
    };
    let body = format!(
        "<!doctype html><meta charset=utf-8><title>Kith</title><p style=\"font:16px sans-serif;margin:3em\">{words}</p>"
    );
    let _ = write!(
        out,
        "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = out.flush();
    Some(result)
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(if b[i] == b'+' { b' ' } else { b[i] });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
