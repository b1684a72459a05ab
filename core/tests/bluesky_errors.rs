//! A Bluesky sync against a PDS that misbehaves, played by a loopback HTTP server: a rate
//! limit with its reset time, a server error, an answer that is not JSON, a repository that
//! is not a CAR, and a server that stops answering. Each is the account's problem in plain
//! words with its code; none is taken for a wrong password.

#[path = "support/http_server.rs"]
mod http_server;

use chrono::{TimeZone, Utc};
use http_server::{Response, Server};
use kith_core::accounts::bluesky::{fetch_with, Limits};
use kith_core::accounts::{BlueskySettings, Me, Secret};
use kith_core::error::{Error, SyncProblem};
use std::time::Duration;

fn settings(server: &Server) -> BlueskySettings {
    BlueskySettings {
        handle: "ann.test".into(),
        did: "did:plc:ann".into(),
        service: server.origin(),
        plc: server.origin(),
    }
}

fn sync(server: &Server, limits: &Limits) -> Error {
    let now = Utc.with_ymd_and_hms(2026, 12, 7, 14, 0, 0).unwrap();
    fetch_with(
        "social",
        &settings(server),
        &Secret::new("abcd-efgh-ijkl-mnop"),
        None,
        &Me::default(),
        &mut |_| true,
        limits,
        now,
    )
    .expect_err("the sync fails")
}

fn problem(e: &Error) -> SyncProblem {
    match e {
        Error::Sync { problem, .. } => *problem,
        other => panic!("not a sync error: {other:?}"),
    }
}

const SESSION: &str =
    r#"{"did":"did:plc:ann","handle":"ann.test","accessJwt":"a","refreshJwt":"r"}"#;

#[test]
fn a_rate_limit_waits_until_the_reset_the_pds_names() {
    // 2026-12-07 14:05:00 UTC
    let server = Server::start(|_| {
        Response::new(429)
            .header("ratelimit-reset", "1796652300")
            .body(r#"{"error":"RateLimitExceeded","message":"Rate Limit Exceeded"}"#)
    });
    let e = sync(&server, &Limits::default());
    assert_eq!(problem(&e), SyncProblem::RateLimited, "{e}");
    assert_eq!(
        e.retry_at(),
        Some(Utc.with_ymd_and_hms(2026, 12, 7, 14, 5, 0).unwrap())
    );
    assert!(
        e.to_string().contains("rate-limited until 14:05 UTC"),
        "{e}"
    );
    assert!(e.to_string().starts_with("social: "), "{e}");
}

#[test]
fn a_server_error_is_unreachable_for_now() {
    let server = Server::start(|_| Response::new(502).body("Bad Gateway"));
    let e = sync(&server, &Limits::default());
    assert_eq!(problem(&e), SyncProblem::Unreachable, "{e}");
    assert!(e.to_string().contains("502"), "{e}");
}

#[test]
fn an_answer_that_is_not_json_is_a_bad_response() {
    let server = Server::start(|_| Response::ok("application/json", "{\"did\": \"did:plc:an"));
    let e = sync(&server, &Limits::default());
    assert_eq!(problem(&e), SyncProblem::BadResponse, "{e}");
    assert!(e.to_string().contains("not the JSON expected"), "{e}");
}

#[test]
fn a_repository_that_is_not_a_car_is_a_bad_response_naming_it() {
    let server = Server::start(|r| {
        if r.path.contains("createSession") {
            Response::ok("application/json", SESSION)
        } else {
            Response::ok("application/vnd.ipld.car", "this is not a CAR file")
        }
    });
    let e = sync(&server, &Limits::default());
    assert_eq!(problem(&e), SyncProblem::BadResponse, "{e}");
    assert!(e.to_string().contains("the repository of ann.test"), "{e}");
}

#[test]
fn a_pds_that_stops_answering_is_given_up_on() {
    let server = Server::start(|r| {
        if r.path.contains("createSession") {
            Response::ok("application/json", SESSION)
        } else {
            Response::hang()
        }
    });
    let limits = Limits {
        timeout: Duration::from_secs(1),
        ..Limits::default()
    };
    let started = std::time::Instant::now();
    let e = sync(&server, &limits);
    assert_eq!(problem(&e), SyncProblem::TimedOut, "{e}");
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "{:?}",
        started.elapsed()
    );
}

/// The owner of the real repository `greenground.repo.car` (see its SOURCES.md).
const GREENGROUND: &str = "did:plc:kzcqyc3unb33eh5sxzsfs25z";

#[test]
fn signed_in_through_an_entryway_the_repository_is_read_from_the_pds_its_did_names() {
    let car = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/fixtures/real/bluesky/greenground.repo.car"),
    )
    .unwrap();
    let pds = Server::start(move |r| {
        if r.path.contains("com.atproto.sync.getRepo") {
            Response::ok("application/vnd.ipld.car", car.clone())
        } else {
            // Neither the PLC directory nor anything else knows the followed accounts.
            Response::new(404).body(r#"{"error":"NotFound"}"#)
        }
    });
    let home = pds.origin();
    let entryway = Server::start(move |r| {
        if r.path.contains("createSession") {
            let session = serde_json::json!({
                "did": GREENGROUND, "handle": "greenground.bsky.social",
                "accessJwt": "a", "refreshJwt": "r",
                "didDoc": {"id": GREENGROUND, "service": [{"id": "#atproto_pds",
                    "type": "AtprotoPersonalDataServer", "serviceEndpoint": home.clone()}]}
            });
            Response::ok("application/json", session.to_string())
        } else {
            Response::new(404).body(r#"{"error":"NotFound"}"#)
        }
    });
    let settings = BlueskySettings {
        handle: "greenground.bsky.social".into(),
        did: String::new(),
        service: entryway.origin(),
        plc: pds.origin(),
    };
    let harvest = fetch_with(
        "social",
        &settings,
        &Secret::new("abcd-efgh-ijkl-mnop"),
        None,
        &Me::default(),
        &mut |_| true,
        &Limits::default(),
        Utc::now(),
    )
    .unwrap();
    assert!(
        pds.requests()
            .iter()
            .any(|r| r.path.contains("getRepo") && r.header("authorization") == Some("Bearer a")),
        "{:?}",
        pds.requests()
    );
    assert!(!entryway
        .requests()
        .iter()
        .any(|r| r.path.contains("getRepo")));
    let cursor = harvest.cursor.unwrap();
    assert!(cursor["revs"][GREENGROUND].is_string(), "{cursor}");
    assert_eq!(
        cursor["watch"].as_array().unwrap().len(),
        2,
        "its two follows: {cursor}"
    );
}
