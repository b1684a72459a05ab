//! Finding the address book or calendar from the address the user gave (RFC 6764, RFC 6352
//! §7.1, RFC 4791 §6.2.1): the address itself when it is one; otherwise the server's
//! `/.well-known/carddav` (or `caldav`), its `current-user-principal`, the principal's
//! `addressbook-home-set` (or `calendar-home-set`), and the collections in that home.

use super::webdav::{Client, DavResponse, CALDAV, CARDDAV, DAV};
use crate::error::{Error, Result, SyncProblem};

/// Which kind of collection to find.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Collection {
    AddressBook,
    Calendar,
}

impl Collection {
    fn ns(self) -> &'static str {
        match self {
            Collection::AddressBook => CARDDAV,
            Collection::Calendar => CALDAV,
        }
    }
    fn resource_type(self) -> &'static str {
        match self {
            Collection::AddressBook => "addressbook",
            Collection::Calendar => "calendar",
        }
    }
    fn home_set(self) -> &'static str {
        match self {
            Collection::AddressBook => "addressbook-home-set",
            Collection::Calendar => "calendar-home-set",
        }
    }
    fn well_known(self) -> &'static str {
        match self {
            Collection::AddressBook => "/.well-known/carddav",
            Collection::Calendar => "/.well-known/caldav",
        }
    }
    fn noun(self) -> &'static str {
        match self {
            Collection::AddressBook => "address book",
            Collection::Calendar => "calendar",
        }
    }
}

/// The path (ending in `/`) of the collection of `kind` at or under `url`; `wanted` picks one
/// by its last path segment or display name, empty for the first.
pub fn find(client: &Client, url: &str, kind: Collection, wanted: &str) -> Result<String> {
    let start = client.path_of(url).unwrap_or_else(|| "/".to_string());
    let here = client.propfind(
        &start,
        0,
        &[(DAV, "resourcetype"), (DAV, "current-user-principal")],
    );
    let mut principal = None;
    match here {
        Ok(m) => {
            if let Some(r) = m.responses.first() {
                if is_kind(r, kind) {
                    return Ok(with_slash(&r.href_or(&start)));
                }
                principal = first_href(r, DAV, "current-user-principal");
            }
        }
        // Not a WebDAV address (a 404 for the site's front page): the well-known address
        // still leads to the server.
        Err(Error::Sync {
            problem: SyncProblem::BadResponse,
            ..
        }) => {}
        Err(e) => return Err(e),
    }
    if principal.is_none() {
        let context = follow(client, kind.well_known())?;
        let m = client.propfind(&context, 0, &[(DAV, "current-user-principal")])?;
        principal = m
            .responses
            .first()
            .and_then(|r| first_href(r, DAV, "current-user-principal"));
    }
    let principal = principal.ok_or_else(|| {
        Error::sync(
            &client.account,
            SyncProblem::BadResponse,
            format!(
                "{}: the server does not say where the user's {} is (no current-user-principal)",
                client.url(&start),
                kind.noun()
            ),
        )
    })?;
    let m = client.propfind(&principal, 0, &[(kind.ns(), kind.home_set())])?;
    let home = m
        .responses
        .first()
        .and_then(|r| first_href(r, kind.ns(), kind.home_set()))
        .ok_or_else(|| {
            Error::sync(
                &client.account,
                SyncProblem::BadResponse,
                format!(
                    "{}: the server names no {} home for this user",
                    client.url(&principal),
                    kind.noun()
                ),
            )
        })?;
    let m = client.propfind(&home, 1, &[(DAV, "resourcetype"), (DAV, "displayname")])?;
    let wanted = wanted.trim().trim_matches('/');
    let mut found: Vec<&DavResponse> = m.responses.iter().filter(|r| is_kind(r, kind)).collect();
    found.sort_by(|a, b| a.href.cmp(&b.href));
    let chosen = found.into_iter().find(|r| {
        wanted.is_empty()
            || r.href.trim_end_matches('/').rsplit('/').next() == Some(wanted)
            || r.prop(DAV, "displayname")
                .is_some_and(|d| d.text.trim() == wanted)
    });
    match chosen {
        Some(r) => Ok(with_slash(&r.href)),
        None if wanted.is_empty() => Err(Error::sync(
            &client.account,
            SyncProblem::BadResponse,
            format!(
                "{}: the user has no {} on this server; make one there first",
                client.url(&home),
                kind.noun()
            ),
        )),
        None => Err(Error::sync(
            &client.account,
            SyncProblem::BadResponse,
            format!(
                "{}: the user has no {} named {wanted:?}",
                client.url(&home),
                kind.noun()
            ),
        )),
    }
}

/// Follows the well-known address's redirects (at most 5) to the path they lead to.
fn follow(client: &Client, start: &str) -> Result<String> {
    let mut path = start.to_string();
    for _ in 0..5 {
        let answer = client.request("PROPFIND", &path, &[("Depth", "0")], None)?;
        if !(300..400).contains(&answer.status) {
            return Ok(path);
        }
        let Some(location) = answer.location else {
            return Ok(path);
        };
        path = client.path_of(&location).ok_or_else(|| {
            Error::sync(
                &client.account,
                SyncProblem::BadResponse,
                format!(
                    "{}: the server sends Kith to another server ({location}); give that address",
                    client.url(start)
                ),
            )
        })?;
    }
    Err(Error::sync(
        &client.account,
        SyncProblem::BadResponse,
        format!("{}: too many redirects", client.url(start)),
    ))
}

fn is_kind(r: &DavResponse, kind: Collection) -> bool {
    r.prop(DAV, "resourcetype").is_some_and(|t| {
        t.children
            .iter()
            .any(|(ns, name)| ns == kind.ns() && name == kind.resource_type())
    })
}

fn first_href(r: &DavResponse, ns: &str, name: &str) -> Option<String> {
    r.prop(ns, name).and_then(|p| p.hrefs.first().cloned())
}

fn with_slash(path: &str) -> String {
    if path.ends_with('/') {
        path.to_string()
    } else {
        format!("{path}/")
    }
}

impl DavResponse {
    fn href_or(&self, fallback: &str) -> String {
        if self.href.is_empty() {
            fallback.to_string()
        } else {
            self.href.clone()
        }
    }
}
