//! A Mastodon account through the real window, against answers recorded from a real Mastodon
//! server (the cassettes of Mastodon.py's test suite, see
//! `core/tests/fixtures/mastodon/SOURCES.md`) replayed on a loopback port. The store is locked
//! with a passphrase, so the token can be kept without a system secret store. "Add account"
//! opens the sign-in page in the user's browser (`BROWSER`: here a script that follows the
//! server's redirect back to the app, as a browser does once the user allows Kith); the
//! window then lists the account, and "Sync now" brings the recorded mention in.

#[path = "../../../core/tests/support/mastodon_replay.rs"]
mod replay;

use kith_e2e::prelude::*;
use replay::{cassette, Answer, Exchange, Replay, Request};
use std::os::unix::fs::PermissionsExt;

const WAIT: Duration = Duration::from_secs(60);
const PASSPHRASE: &str = "kea on the roof";
/// The user of the verify_credentials recording.
const USER_ID: &str = "117020457910412882";

fn account_part(part: &str) -> By {
    By::Css(format!(
        "[data-testid=account-row][data-name=\"Mastodon\"] [data-testid={part}]"
    ))
}

/// `%3A%2F` and `+` undone, for the parameters of the sign-in address.
fn unescape(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 3;
                        continue;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn param(path: &str, name: &str) -> Option<String> {
    let query = path.split_once('?')?.1;
    query
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| unescape(v))
}

/// The recorded server: registering the app, the token, who signed in and a mention; the
/// sign-in page answers as a server does once the user allowed Kith, by sending the browser
/// back to the app's loopback address with a code.
fn server() -> Replay {
    let recordings: Vec<Exchange> = [
        "test_app_account_create.yaml",
        "test_verify_credentials.yaml",
        "test_notifications_mentions_only.yaml",
    ]
    .iter()
    .flat_map(|n| cassette(n))
    .collect();
    Replay::start(recordings, |r: &Request| {
        let path = r.path.split('?').next().unwrap_or("");
        if path == "/oauth/authorize" {
            let back = param(&r.path, "redirect_uri")?;
            let state = param(&r.path, "state").unwrap_or_default();
            let mut answer = Answer::json(302, "");
            answer.headers.push((
                "Location".into(),
                format!("{back}?code=code-from-the-window-test&state={state}"),
            ));
            return Some(answer);
        }
        (path == format!("/api/v1/accounts/{USER_ID}/statuses")
            || path == format!("/api/v1/accounts/{USER_ID}/following")
            || path == "/api/v1/lists"
            || path == "/api/v1/conversations")
            .then(|| Answer::json(200, "[]"))
    })
}

/// A "browser" that loads the page and follows its redirects, as the user's would.
fn browser(profile: &Profile) -> Result<std::path::PathBuf> {
    let path = profile.dir().join("browser");
    std::fs::write(
        &path,
        "#!/bin/sh\nexec python3 -c 'import sys, urllib.request; \
         urllib.request.urlopen(sys.argv[1], timeout=30).read()' \"$1\"\n",
    )?;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))?;
    Ok(path)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mastodon_account_is_signed_in_through_the_browser_and_synced() -> Result<()> {
    let server = server();
    let profile = Profile::new()?;
    let browser = browser(&profile)?;
    let profile = profile.with_env("BROWSER", browser);
    profile.kith_ok(&["stats"])?;
    let mut set = profile.kith_command()?;
    set.env("KITH_NEW_PASSPHRASE", PASSPHRASE)
        .args(["passphrase", "set"]);
    let out = set.output()?;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let app = App::launch_in(profile).await?;
    app.fill("unlock-passphrase", PASSPHRASE).await?;
    app.testid("unlock-button").await?.click().await?;
    eventually("the store to open", WAIT, || async {
        Ok(app.find_all(testid("unlock")).await?.is_empty())
    })
    .await?;
    app.testid("nav-accounts").await?.click().await?;
    app.testid("accounts-empty").await?;
    app.testid("account-kind-mastodon").await?.click().await?;
    app.fill("account-name-input", "Mastodon").await?;
    app.fill("account-server", &server.origin()).await?;
    let said = app.testid("account-signin-where").await?.text().await?;
    assert!(
        said.contains("is kept"),
        "the sign-in can be kept: {said:?}"
    );
    app.testid("account-add").await?.click().await?;

    // The browser signed in; the row names the account as the server knows it.
    let where_ = app
        .query(account_part("account-where"))
        .wait(WAIT, Duration::from_millis(100))
        .first()
        .await?
        .text()
        .await?;
    assert!(
        where_.starts_with("@mastodonpy_test@127.0.0.1"),
        "the recorded user on this server: {where_:?}"
    );
    let requests = server.requests();
    let token = requests
        .iter()
        .find(|r| r.path == "/oauth/token")
        .expect("the code was exchanged for a token");
    assert!(
        token.body.contains("code=code-from-the-window-test"),
        "{}",
        token.body
    );
    assert!(
        token.body.contains("code_verifier="),
        "PKCE: {}",
        token.body
    );
    app.screenshot("mastodon-added").await?;

    app.query(account_part("account-sync"))
        .first()
        .await?
        .click()
        .await?;
    eventually("the sync to say what it brought", WAIT, || async {
        let said = app
            .query(account_part("account-last-sync"))
            .first()
            .await?
            .text()
            .await?;
        Ok(said.starts_with("Synced"))
    })
    .await?;
    let errors = app.driver().find_all(account_part("account-error")).await?;
    assert!(errors.is_empty(), "no problem after a good sync");
    let asked = server
        .requests()
        .iter()
        .filter(|r| r.path.starts_with("/api/v1/notifications"))
        .count();
    assert!(asked > 0, "the sync read the notifications");

    // The recorded mention's author is not a contact: they wait in New people.
    app.testid("nav-new-people").await?.click().await?;
    app.query(testid("new-person"))
        .wait(WAIT, Duration::from_millis(100))
        .first()
        .await?;
    app.screenshot("mastodon-new-people").await?;
    app.close().await?;
    Ok(())
}
