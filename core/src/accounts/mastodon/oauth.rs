//! Signing in to a Mastodon server with OAuth 2: Kith registers itself as an application on
//! the user's server (`POST /api/v1/apps`), sends the user to the server's page to allow it
//! (authorisation code with PKCE, S256), exchanges the code for a token (`POST /oauth/token`)
//! and checks whose it is (`GET /api/v1/accounts/verify_credentials`).
//!
//! Only read scopes are asked for: Kith never posts, follows or changes anything. The code
//! comes back either pasted by the user (the out-of-band redirect, for the terminal) or to a
//! loopback address the app listens on once. The token is a [`Secret`]: the caller keeps it
//! where the account's secrets go; the application's own client secret is used only here.

use super::api::{Account, App, Token};
use super::client::{encode, Client};
use super::Limits;
use crate::accounts::registry::mastodon_server as server_address;
use crate::accounts::{MastodonSettings, Secret};
use crate::error::{Error, Result};
use chrono::Utc;

/// What Kith asks for: reading only.
pub const SCOPES: &str = "read:accounts read:statuses read:notifications read:follows read:lists";

/// The redirect that shows the code on the server's page, for the user to paste back.
pub const OUT_OF_BAND: &str = "urn:ietf:wg:oauth:2.0:oob";

/// The loopback redirect the app listens on once, at `port`.
pub fn loopback_redirect(port: u16) -> String {
    format!("http://127.0.0.1:{port}/callback")
}

/// A sign-in under way: the application registered on the server, the PKCE verifier, and
/// the address the user opens to allow Kith.
#[derive(Clone)]
pub struct SignIn {
    pub server: String,
    pub redirect_uri: String,
    /// The page to open in a browser.
    pub authorize_url: String,
    /// Sent back with the code: a sign-in answered for another request is refused.
    pub state: String,
    client_id: String,
    client_secret: Secret,
    verifier: Secret,
}

impl std::fmt::Debug for SignIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignIn")
            .field("server", &self.server)
            .field("redirect_uri", &self.redirect_uri)
            .finish_non_exhaustive()
    }
}

/// Registers Kith on `server` and prepares the page the user opens to allow it.
pub fn start(account: &str, server: &str, redirect_uri: &str, limits: &Limits) -> Result<SignIn> {
    let server = server_address(account, server)?;
    let client = Client::new(account, &server, None, limits, Utc::now());
    let app: App = client.post_form(
        "/api/v1/apps",
        &[
            ("client_name", "Kith"),
            ("redirect_uris", redirect_uri),
            ("scopes", SCOPES),
        ],
    )?;
    let verifier = random_token(32)?;
    let challenge =
        base64url(ring::digest::digest(&ring::digest::SHA256, verifier.as_bytes()).as_ref());
    let state = random_token(16)?;
    let authorize_url = format!(
        "{server}/oauth/authorize?response_type=code&client_id={}&redirect_uri={}&scope={}\
         &code_challenge={challenge}&code_challenge_method=S256&state={state}",
        encode(&app.client_id),
        encode(redirect_uri),
        encode(SCOPES),
    );
    Ok(SignIn {
        server,
        redirect_uri: redirect_uri.to_string(),
        authorize_url,
        state,
        client_id: app.client_id,
        client_secret: Secret::new(app.client_secret),
        verifier: Secret::new(verifier),
    })
}

/// Exchanges the code the server gave for an access token.
pub fn finish(account: &str, sign_in: &SignIn, code: &str, limits: &Limits) -> Result<Secret> {
    let code = code.trim();
    if code.is_empty() {
        return Err(Error::invalid(format!(
            "account {account:?}: no code was given; open the sign-in page and paste the code it shows"
        )));
    }
    let client = Client::new(account, &sign_in.server, None, limits, Utc::now());
    let token: Token = client.post_form(
        "/oauth/token",
        &[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("client_id", &sign_in.client_id),
            ("client_secret", sign_in.client_secret.expose()),
            ("redirect_uri", &sign_in.redirect_uri),
            ("code_verifier", sign_in.verifier.expose()),
            ("scope", SCOPES),
        ],
    )?;
    Ok(Secret::new(token.access_token))
}

/// Who the token signs in as, as the account's settings keep it.
pub fn verify(
    account: &str,
    server: &str,
    token: &Secret,
    limits: &Limits,
) -> Result<MastodonSettings> {
    let server = server_address(account, server)?;
    let client = Client::new(account, &server, Some(token), limits, Utc::now());
    let me: Account = client
        .get(&client.url("/api/v1/accounts/verify_credentials"))?
        .items;
    let acct = if me.acct.contains('@') {
        me.acct.clone()
    } else {
        format!("{}@{}", me.acct, super::host_of(&server))
    };
    Ok(MastodonSettings {
        server,
        account_id: me.id,
        acct,
    })
}

/// `bytes` random bytes from the system, as base64url text.
fn random_token(bytes: usize) -> Result<String> {
    use ring::rand::SecureRandom;
    let mut buf = vec![0u8; bytes];
    ring::rand::SystemRandom::new()
        .fill(&mut buf)
        .map_err(|_| Error::invalid("the system gave no random numbers for the sign-in"))?;
    Ok(base64url(&buf))
}

/// Base64 with the URL alphabet and no padding (RFC 4648 §5), as PKCE wants it.
fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pkce_challenge_is_rfc_7636s() {
        // RFC 7636, appendix B.
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        let challenge =
            base64url(ring::digest::digest(&ring::digest::SHA256, verifier.as_bytes()).as_ref());
        assert_eq!(challenge, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
        assert_eq!(base64url(b"f"), "Zg");
        assert_eq!(base64url(b"fo"), "Zm8");
        assert_eq!(base64url(b"foo"), "Zm9v");
        assert_eq!(random_token(32).unwrap().len(), 43);
    }

    #[test]
    fn server_addresses_are_checked() {
        assert_eq!(
            server_address("a", "glammr.us/").unwrap(),
            "https://glammr.us"
        );
        assert_eq!(
            server_address("a", "https://Glammr.US/").unwrap(),
            "https://glammr.us"
        );
        assert_eq!(
            server_address("a", "http://127.0.0.1:3000").unwrap(),
            "http://127.0.0.1:3000"
        );
        for bad in ["http://glammr.us", "ftp://x", "https://x/@me", "https://"] {
            let e = server_address("Social", bad).unwrap_err().to_string();
            assert!(e.contains("account \"Social\""), "{bad}: {e}");
        }
    }
}
