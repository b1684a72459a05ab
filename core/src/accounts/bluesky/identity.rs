//! Who an AT Protocol account is and where it lives: a handle to its DID, and a DID to its
//! document, which names its PDS (`#atproto_pds`) and its current handle (`alsoKnownAs`).
//!
//! A `did:plc` is looked up in the PLC directory the account names (`https://plc.directory`
//! unless the user gave another); a `did:web` at its host's `/.well-known/did.json`. A handle
//! is resolved by the user's PDS when one is given (`com.atproto.identity.resolveHandle`),
//! else by the handle's own site (`https://<handle>/.well-known/atproto-did`), else by
//! Bluesky's public resolver, which also answers for handles set in DNS.

use super::xrpc::{Call, Client};
use crate::error::{Error, Result, SyncProblem};

/// The service that resolves a handle when neither the user's PDS nor the handle's own site
/// says: Bluesky's public API, which reads DNS handles too.
const PUBLIC_RESOLVER: &str = "https://public.api.bsky.app";

/// What a DID document says about its account.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DidDoc {
    pub did: String,
    /// The handle it claims (`alsoKnownAs: at://<handle>`), lower case.
    pub handle: Option<String>,
    /// The PDS that holds its repository.
    pub pds: Option<String>,
}

/// A handle as Kith keeps it: no `@`, no `at://`, lower case, trimmed.
pub fn clean_handle(handle: &str) -> String {
    crate::handles::bluesky_handle(handle)
}

/// Reads a DID document's handle and PDS.
pub fn read_doc(did: &str, doc: &serde_json::Value) -> DidDoc {
    let handle = doc
        .get("alsoKnownAs")
        .and_then(|a| a.as_array())
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str())
        .find_map(|v| v.strip_prefix("at://"))
        .map(clean_handle)
        .filter(|h| !h.is_empty());
    let pds = doc
        .get("service")
        .and_then(|s| s.as_array())
        .into_iter()
        .flatten()
        .find(|s| {
            let id = s.get("id").and_then(|v| v.as_str()).unwrap_or("");
            id == "#atproto_pds" || id.ends_with("#atproto_pds")
        })
        .and_then(|s| s.get("serviceEndpoint"))
        .and_then(|e| e.as_str())
        .map(|e| e.trim_end_matches('/').to_string())
        .filter(|e| e.starts_with("http://") || e.starts_with("https://"));
    DidDoc {
        did: did.to_string(),
        handle,
        pds,
    }
}

/// The document of `did`; `Ok(None)` when the directory does not know it (or it was
/// deleted), so one vanished contact never stops a sync.
pub fn resolve_did(client: &Client<'_>, plc: &str, did: &str) -> Result<Option<DidDoc>> {
    let url = if let Some(rest) = did.strip_prefix("did:web:") {
        let host = rest.replace("%3A", ":");
        if host.is_empty() || host.contains(['/', '@', ' ']) {
            return Ok(None);
        }
        format!("https://{host}/.well-known/did.json")
    } else if did.starts_with("did:plc:") && did.len() > 8 {
        format!("{}/{did}", plc.trim_end_matches('/'))
    } else {
        return Ok(None);
    };
    match client.get(&url)? {
        Ok(bytes) => {
            let doc = client.json(&format!("the DID document of {did} ({url})"), &bytes)?;
            Ok(Some(read_doc(did, &doc)))
        }
        Err(r) if matches!(r.status, 404 | 410) => Ok(None),
        Err(r) => Err(client.refused(&format!("the DID document of {did} ({url})"), &r)),
    }
}

/// The DID `service` (a PDS) knows `handle` by; `None` when it does not know it.
pub fn resolve_handle_at(
    client: &Client<'_>,
    service: &str,
    handle: &str,
) -> Result<Option<String>> {
    match client.xrpc(
        service,
        "com.atproto.identity.resolveHandle",
        Call::Get(&[("handle", handle)]),
        None,
    )? {
        Ok(bytes) => {
            let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap_or_default();
            Ok(v.get("did")
                .and_then(|d| d.as_str())
                .filter(|d| d.starts_with("did:"))
                .map(str::to_string))
        }
        Err(_) => Ok(None),
    }
}

/// The DID of `handle`: from `service` when given, else the handle's own site, else the
/// public resolver.
pub fn resolve_handle(client: &Client<'_>, handle: &str, service: Option<&str>) -> Result<String> {
    let not_found = |detail: String| {
        Error::sync(
            client.account(),
            SyncProblem::BadResponse,
            format!("the handle {handle} was not found ({detail}); check the handle (--handle)"),
        )
    };
    let ask = |base: &str| -> Result<std::result::Result<String, String>> {
        match client.xrpc(
            base,
            "com.atproto.identity.resolveHandle",
            Call::Get(&[("handle", handle)]),
            None,
        )? {
            Ok(bytes) => {
                let v = client.json(&format!("{base}'s answer for the handle {handle}"), &bytes)?;
                match v.get("did").and_then(|d| d.as_str()) {
                    Some(did) if did.starts_with("did:") => Ok(Ok(did.to_string())),
                    _ => Err(Error::sync(
                        client.account(),
                        SyncProblem::BadResponse,
                        format!("{base} named no DID for the handle {handle}"),
                    )),
                }
            }
            Err(r) => Ok(Err(format!("{base} answered {}", r.describe()))),
        }
    };
    if let Some(service) = service {
        return ask(service)?.map_err(not_found);
    }
    // The handle's own site, over HTTPS.
    let site = format!("https://{handle}/.well-known/atproto-did");
    if let Ok(Ok(bytes)) = client.get(&site) {
        let did = String::from_utf8_lossy(&bytes).trim().to_string();
        if did.starts_with("did:") && !did.contains(char::is_whitespace) {
            return Ok(did);
        }
    }
    ask(PUBLIC_RESOLVER)?.map_err(not_found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_did_document_names_the_handle_and_the_pds() {
        let doc = serde_json::json!({
            "id": "did:plc:abc",
            "alsoKnownAs": ["at://Ann.Test"],
            "service": [{"id": "#atproto_pds", "type": "AtprotoPersonalDataServer",
                         "serviceEndpoint": "http://localhost:1234/"}]
        });
        let d = read_doc("did:plc:abc", &doc);
        assert_eq!(d.handle.as_deref(), Some("ann.test"));
        assert_eq!(d.pds.as_deref(), Some("http://localhost:1234"));
        assert_eq!(clean_handle(" @Ann.Bsky.Social "), "ann.bsky.social");
        assert_eq!(
            clean_handle("https://bsky.app/profile/ann.bsky.social/"),
            "ann.bsky.social"
        );
        let none = read_doc("did:plc:abc", &serde_json::json!({"service": "x"}));
        assert_eq!(none.pds, None);
    }
}
