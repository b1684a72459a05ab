//! WebDAV as CardDAV and CalDAV use it: PROPFIND, REPORT, GET, PUT and DELETE through the
//! accounts' one HTTP client (`super::super::http`), and the multistatus answers read with
//! quick-xml by the namespaces' meaning, not their prefixes.

use crate::accounts::http::{agent, transport_error};
use crate::accounts::Secret;
use crate::error::{Error, Result, SyncProblem};
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;
use std::collections::BTreeMap;
use std::io::Read;
use std::time::Duration;

/// A server that says nothing for this long is given up on.
pub const TIMEOUT: Duration = Duration::from_secs(30);

/// The most one answer may hold: an address book's multistatus of a few thousand cards.
pub const MAX_BODY: u64 = 64_000_000;

/// The DAV namespace.
pub const DAV: &str = "DAV:";
pub const CARDDAV: &str = "urn:ietf:params:xml:ns:carddav";
pub const CALDAV: &str = "urn:ietf:params:xml:ns:caldav";

/// A connection to one server as one user.
pub struct Client {
    agent: ureq::Agent,
    /// `scheme://host[:port]`, no trailing slash.
    origin: String,
    authorization: String,
    /// The account's name, for errors.
    pub account: String,
}

/// A server's answer.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub etag: Option<String>,
    pub location: Option<String>,
    pub body: String,
}

/// One `<response>` of a multistatus: the item's path, its status when the response has one
/// for the whole item (a deleted item's 404), and its properties that were found (local
/// name in its namespace → the text inside, or for `href`-valued properties their hrefs).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DavResponse {
    pub href: String,
    pub status: Option<u16>,
    pub props: BTreeMap<(String, String), Prop>,
}

/// A property's value: its text, the hrefs inside it, and the names of its child elements
/// (a `resourcetype`'s `addressbook`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Prop {
    pub text: String,
    pub hrefs: Vec<String>,
    pub children: Vec<(String, String)>,
}

impl DavResponse {
    pub fn prop(&self, ns: &str, name: &str) -> Option<&Prop> {
        self.props.get(&(ns.to_string(), name.to_string()))
    }
}

/// A multistatus: its responses and the `sync-token` of a sync-collection report.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Multistatus {
    pub responses: Vec<DavResponse>,
    pub sync_token: Option<String>,
}

impl Client {
    /// A client for the server of `url` (http only for this machine; checked when the account
    /// was added).
    pub fn new(account: &str, url: &str, user: &str, password: &Secret) -> Result<Client> {
        let origin = origin_of(url).ok_or_else(|| {
            Error::sync(
                account,
                SyncProblem::BadResponse,
                format!("{url} is not an http(s) address"),
            )
        })?;
        Ok(Client {
            agent: agent(TIMEOUT, "CardDAV/CalDAV"),
            origin,
            authorization: format!(
                "Basic {}",
                base64(format!("{user}:{}", password.expose()).as_bytes())
            ),
            account: account.to_string(),
        })
    }

    /// The full address of a path on this server (an address is kept as it is).
    pub fn url(&self, path: &str) -> String {
        if path.starts_with("http://") || path.starts_with("https://") {
            path.to_string()
        } else if path.starts_with('/') {
            format!("{}{path}", self.origin)
        } else {
            format!("{}/{path}", self.origin)
        }
    }

    /// The path of an address on this server, or `None` for another server's.
    pub fn path_of(&self, url: &str) -> Option<String> {
        if url.starts_with('/') {
            return Some(url.to_string());
        }
        let rest = url.strip_prefix(&self.origin)?;
        Some(if rest.is_empty() {
            "/".to_string()
        } else {
            rest.to_string()
        })
    }

    /// One request; a 401 is the wrong password, a 5xx the server's failure, anything else
    /// is the caller's to read.
    pub fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<(&str, &str)>,
    ) -> Result<Answer> {
        let url = self.url(path);
        // The password goes with every request: never to a server the account does not name,
        // wherever a multistatus or a redirect points.
        if origin_of(&url).as_deref() != Some(self.origin.as_str()) {
            return Err(Error::sync(
                &self.account,
                SyncProblem::BadResponse,
                format!(
                    "{}: the server pointed Kith to another server ({url}); Kith sends the \
                     password only to the account's own",
                    self.origin
                ),
            ));
        }
        let mut builder = ureq::http::Request::builder()
            .method(
                ureq::http::Method::from_bytes(method.as_bytes())
                    .map_err(|_| Error::invalid(format!("{method} is not an HTTP method")))?,
            )
            .uri(&url)
            .header("Authorization", &self.authorization);
        for (n, v) in headers {
            builder = builder.header(*n, *v);
        }
        let bytes = match body {
            Some((content_type, text)) => {
                builder = builder.header("Content-Type", content_type);
                text.as_bytes().to_vec()
            }
            None => Vec::new(),
        };
        let request = builder
            .body(bytes)
            .map_err(|e| Error::invalid(format!("{url}: {e}")))?;
        let request = self
            .agent
            .configure_request(request)
            .allow_non_standard_methods(true)
            .build();
        let mut response = self
            .agent
            .run(request)
            .map_err(|e| transport_error(&self.account, &url, e, TIMEOUT, MAX_BODY))?;
        let status = response.status().as_u16();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let etag = header("etag");
        let location = header("location");
        let mut raw = Vec::new();
        response
            .body_mut()
            .as_reader()
            .take(MAX_BODY + 1)
            .read_to_end(&mut raw)
            .map_err(|e| {
                Error::sync(
                    &self.account,
                    SyncProblem::Unreachable,
                    format!("{url}: the connection failed ({e})"),
                )
            })?;
        if raw.len() as u64 > MAX_BODY {
            return Err(Error::sync(
                &self.account,
                SyncProblem::TooLarge,
                format!(
                    "{url} sent more than {} MB; Kith read no further",
                    MAX_BODY / 1_000_000
                ),
            ));
        }
        let body = String::from_utf8_lossy(&raw).into_owned();
        if status == 401 {
            return Err(Error::sync(
                &self.account,
                SyncProblem::WrongPassword,
                format!("{url}: the server refused the user name or password"),
            ));
        }
        if status >= 500 {
            return Err(Error::sync(
                &self.account,
                SyncProblem::Unreachable,
                format!("{url}: the server failed ({status})"),
            ));
        }
        Ok(Answer {
            status,
            etag,
            location,
            body,
        })
    }

    /// PROPFIND of `props` (namespace, name) at `depth`; answers the multistatus.
    pub fn propfind(&self, path: &str, depth: u8, props: &[(&str, &str)]) -> Result<Multistatus> {
        let body = format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\
             <D:propfind xmlns:D=\"DAV:\"><D:prop>{}</D:prop></D:propfind>",
            props
                .iter()
                .map(|(ns, name)| format!("<{name} xmlns=\"{ns}\"/>"))
                .collect::<String>()
        );
        let depth = depth.to_string();
        let answer = self.request(
            "PROPFIND",
            path,
            &[("Depth", &depth)],
            Some(("application/xml; charset=utf-8", &body)),
        )?;
        self.multistatus(path, "PROPFIND", answer)
    }

    /// A REPORT; answers the multistatus, or the status when the server refused it.
    pub fn report(
        &self,
        path: &str,
        depth: u8,
        body: &str,
    ) -> Result<std::result::Result<Multistatus, u16>> {
        let depth = depth.to_string();
        let answer = self.request(
            "REPORT",
            path,
            &[("Depth", &depth)],
            Some(("application/xml; charset=utf-8", body)),
        )?;
        if answer.status != 207 {
            return Ok(Err(answer.status));
        }
        self.multistatus(path, "REPORT", answer).map(Ok)
    }

    fn multistatus(&self, path: &str, what: &str, answer: Answer) -> Result<Multistatus> {
        if answer.status != 207 {
            return Err(Error::sync(
                &self.account,
                SyncProblem::BadResponse,
                format!(
                    "{}: {what} was answered with {} instead of a multistatus",
                    self.url(path),
                    answer.status
                ),
            ));
        }
        parse_multistatus(&answer.body).map_err(|e| {
            Error::sync(
                &self.account,
                SyncProblem::BadResponse,
                format!(
                    "{}: the {what} answer is not WebDAV XML ({e})",
                    self.url(path)
                ),
            )
        })
    }
}

/// `scheme://host[:port]` of an http(s) address.
pub fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next()?;
    if authority.is_empty() {
        return None;
    }
    Some(format!("{}://{authority}", scheme.to_ascii_lowercase()))
}

/// Reads a multistatus (RFC 4918 §14.16, with RFC 6578's `sync-token`).
pub fn parse_multistatus(xml: &str) -> std::result::Result<Multistatus, String> {
    let mut reader = NsReader::from_str(xml);
    reader.config_mut().trim_text(false);
    let mut out = Multistatus::default();
    // The open elements, (namespace, local name), outermost first.
    let mut stack: Vec<(String, String)> = Vec::new();
    let mut current: Option<DavResponse> = None;
    // Within a propstat: its properties, kept once its status says they were found.
    let mut found: Vec<((String, String), Prop)> = Vec::new();
    let mut propstat_status: Option<u16> = None;
    let mut text = String::new();
    loop {
        let at = reader.buffer_position();
        let (resolved, event) = reader
            .read_resolved_event()
            .map_err(|e| format!("after byte {at}: {e}"))?;
        let ns = match resolved {
            ResolveResult::Bound(ns) => String::from_utf8_lossy(ns.as_ref()).into_owned(),
            _ => String::new(),
        };
        match event {
            Event::Start(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                on_open(
                    &stack,
                    &ns,
                    &name,
                    &mut current,
                    &mut found,
                    &mut propstat_status,
                );
                stack.push((ns, name));
                text.clear();
            }
            Event::Empty(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                on_open(
                    &stack,
                    &ns,
                    &name,
                    &mut current,
                    &mut found,
                    &mut propstat_status,
                );
                stack.push((ns, name));
                text.clear();
                on_close(
                    &mut stack,
                    &text,
                    &mut out,
                    &mut current,
                    &mut found,
                    &mut propstat_status,
                );
            }
            Event::Text(t) => {
                let t = t.decode().map_err(|e| e.to_string())?;
                text.push_str(&quick_xml::escape::unescape(&t).map_err(|e| e.to_string())?);
            }
            Event::CData(t) => text.push_str(&String::from_utf8_lossy(&t)),
            Event::GeneralRef(r) => {
                let name = r.decode().map_err(|e| e.to_string())?;
                let entity = format!("&{name};");
                text.push_str(&quick_xml::escape::unescape(&entity).map_err(|e| e.to_string())?);
            }
            Event::End(_) => {
                on_close(
                    &mut stack,
                    &text,
                    &mut out,
                    &mut current,
                    &mut found,
                    &mut propstat_status,
                );
                text.clear();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !stack.is_empty() {
        return Err("the document ends inside an element".into());
    }
    Ok(out)
}

fn is(el: &(String, String), ns: &str, name: &str) -> bool {
    el.0 == ns && el.1 == name
}

fn on_open(
    stack: &[(String, String)],
    ns: &str,
    name: &str,
    current: &mut Option<DavResponse>,
    found: &mut Vec<((String, String), Prop)>,
    propstat_status: &mut Option<u16>,
) {
    let depth = stack.len();
    if ns == DAV && name == "response" && depth == 1 {
        *current = Some(DavResponse::default());
    }
    if ns == DAV && name == "propstat" {
        found.clear();
        *propstat_status = None;
    }
    // multistatus / response / propstat / prop / <property> / <child>
    if depth == 4 && is(&stack[3], DAV, "prop") {
        found.push(((ns.to_string(), name.to_string()), Prop::default()));
    }
    if depth == 5 && is(&stack[3], DAV, "prop") {
        if let Some((_, prop)) = found.last_mut() {
            prop.children.push((ns.to_string(), name.to_string()));
        }
    }
}

fn on_close(
    stack: &mut Vec<(String, String)>,
    text: &str,
    out: &mut Multistatus,
    current: &mut Option<DavResponse>,
    found: &mut Vec<((String, String), Prop)>,
    propstat_status: &mut Option<u16>,
) {
    let Some(el) = stack.pop() else {
        return;
    };
    let depth = stack.len();
    let status_code = || {
        text.split_whitespace()
            .nth(1)
            .and_then(|c| c.parse::<u16>().ok())
    };
    if is(&el, DAV, "sync-token") && depth == 1 {
        out.sync_token = Some(text.trim().to_string());
    } else if is(&el, DAV, "href") && depth == 2 {
        if let Some(r) = current.as_mut() {
            r.href = percent_decode(text.trim());
        }
    } else if is(&el, DAV, "status") && depth == 2 {
        if let Some(r) = current.as_mut() {
            r.status = status_code();
        }
    } else if is(&el, DAV, "status") && depth == 3 {
        *propstat_status = status_code();
    } else if is(&el, DAV, "href") && depth >= 5 && is(&stack[3], DAV, "prop") {
        if let Some((_, prop)) = found.last_mut() {
            prop.hrefs.push(percent_decode(text.trim()));
        }
    } else if depth == 4 && is(&stack[3], DAV, "prop") {
        if let Some((_, prop)) = found.last_mut() {
            if prop.hrefs.is_empty() && prop.children.is_empty() {
                prop.text = text.to_string();
            }
        }
    } else if is(&el, DAV, "propstat") {
        if propstat_status.is_none_or(|s| (200..300).contains(&s)) {
            if let Some(r) = current.as_mut() {
                r.props.extend(found.drain(..));
            }
        }
        found.clear();
    } else if is(&el, DAV, "response") && depth == 1 {
        if let Some(r) = current.take() {
            out.responses.push(r);
        }
    }
}

/// `%20` and the like decoded, as servers may send hrefs either way; the path is compared
/// decoded.
pub fn percent_decode(s: &str) -> String {
    crate::export::percent_decode(s).unwrap_or_else(|| s.to_string())
}

/// A path with the characters a URL path cannot hold percent-encoded (`/` kept).
pub fn percent_encode_path(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/:@!$&'()*+,;=".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Standard base64 with padding, for the Authorization header.
pub fn base64(bytes: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(T[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Escapes text for an XML element's content.
pub fn xml_escape(s: &str) -> String {
    quick_xml::escape::escape(s).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_goes_only_to_the_accounts_own_server() {
        // Nothing listens on port 9 here: a request that went out would be unreachable.
        let client = Client::new(
            "phone",
            "http://127.0.0.1:9/dav/",
            "ana",
            &Secret::new("pw"),
        )
        .unwrap();
        let err = client
            .request("GET", "http://other.example.org/ana/book/a.vcf", &[], None)
            .unwrap_err();
        match err {
            Error::Sync {
                account, problem, ..
            } => {
                assert_eq!(account, "phone");
                assert_eq!(
                    problem,
                    SyncProblem::BadResponse,
                    "refused before any request"
                );
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(client.url("/ana/book/"), "http://127.0.0.1:9/ana/book/");
    }

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        for (input, want) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(input.as_bytes()), want);
        }
    }

    #[test]
    fn a_multistatus_is_read_by_namespace_not_prefix() {
        let xml = r#"<?xml version="1.0"?>
<x:multistatus xmlns:x="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav">
  <x:sync-token>tok-2</x:sync-token>
  <x:response>
    <x:href>/u/book/a%20b.vcf</x:href>
    <x:propstat>
      <x:prop><x:getetag>"e1"</x:getetag><card:address-data>BEGIN:VCARD&#13;
FN:A &amp; B&#13;
END:VCARD</card:address-data></x:prop>
      <x:status>HTTP/1.1 200 OK</x:status>
    </x:propstat>
    <x:propstat>
      <x:prop><x:displayname/></x:prop>
      <x:status>HTTP/1.1 404 Not Found</x:status>
    </x:propstat>
  </x:response>
  <x:response>
    <x:href>/u/book/gone.vcf</x:href>
    <x:status>HTTP/1.1 404 Not Found</x:status>
  </x:response>
  <x:response>
    <x:href>/u/</x:href>
    <x:propstat><x:prop>
      <x:resourcetype><x:collection/><card:addressbook/></x:resourcetype>
      <card:addressbook-home-set><x:href>/u/</x:href></card:addressbook-home-set>
    </x:prop><x:status>HTTP/1.1 200 OK</x:status></x:propstat>
  </x:response>
</x:multistatus>"#;
        let m = parse_multistatus(xml).unwrap();
        assert_eq!(m.sync_token.as_deref(), Some("tok-2"));
        assert_eq!(m.responses.len(), 3);
        let a = &m.responses[0];
        assert_eq!(a.href, "/u/book/a b.vcf");
        assert_eq!(a.prop(DAV, "getetag").unwrap().text, "\"e1\"");
        assert_eq!(
            a.prop(CARDDAV, "address-data").unwrap().text,
            "BEGIN:VCARD\r\nFN:A & B\r\nEND:VCARD"
        );
        assert!(
            a.prop(DAV, "displayname").is_none(),
            "a 404 propstat is left out"
        );
        assert_eq!(m.responses[1].status, Some(404));
        let home = &m.responses[2];
        assert!(home
            .prop(DAV, "resourcetype")
            .unwrap()
            .children
            .contains(&(CARDDAV.to_string(), "addressbook".to_string())));
        assert_eq!(
            home.prop(CARDDAV, "addressbook-home-set").unwrap().hrefs,
            ["/u/"]
        );
    }
}
