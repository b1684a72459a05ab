//! Finding a blog's feed from its web page, for the address people copy from the browser:
//! the page's `<link rel="alternate" type="application/rss+xml" href="…">` (or Atom, or JSON
//! Feed), as every blog engine writes in its `<head>`.

/// Whether `body` is a web page rather than a feed.
pub fn is_html(body: &[u8]) -> bool {
    let head = &body[..body.len().min(1024)];
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    let head = head.trim_start_matches('\u{feff}').trim_start();
    head.starts_with("<!doctype html") || head.starts_with("<html") || head.contains("<head")
}

/// The feeds a web page names, in its order: RSS, Atom or JSON Feed `alternate` links.
pub fn feed_links(body: &[u8]) -> Vec<String> {
    // The links are in the head; a page's first 512 KB is plenty.
    let text = String::from_utf8_lossy(&body[..body.len().min(512 * 1024)]);
    let lower = text.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(at) = lower[from..].find("<link") {
        let start = from + at;
        let end = lower[start..]
            .find('>')
            .map(|e| start + e)
            .unwrap_or(lower.len());
        let tag = &text[start + 5..end];
        from = end;
        let attrs = attributes(tag);
        let get = |name: &str| {
            attrs
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
        };
        let rel_alternate = get("rel").is_some_and(|r| {
            r.split_ascii_whitespace()
                .any(|w| w.eq_ignore_ascii_case("alternate"))
        });
        let feed_type = get("type").is_some_and(|t| {
            let t = t.trim().to_ascii_lowercase();
            t == "application/rss+xml"
                || t == "application/atom+xml"
                || t == "application/feed+json"
                || t == "application/rdf+xml"
        });
        if let (true, true, Some(href)) = (rel_alternate, feed_type, get("href")) {
            let href = crate::import::text::decode_entities(href.trim());
            if !href.is_empty() && !out.contains(&href) {
                out.push(href);
            }
        }
    }
    out
}

/// The attributes of a tag's inside (`rel="alternate" href='/feed'`), names in lower case.
fn attributes(tag: &str) -> Vec<(String, String)> {
    let b = tag.as_bytes();
    let mut i = 0;
    let mut out = Vec::new();
    while i < b.len() {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        let name_start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'=' && b[i] != b'/' {
            i += 1;
        }
        let name = tag[name_start..i].to_ascii_lowercase();
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if i < b.len() && b[i] == b'=' {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                let quote = b[i];
                let start = i + 1;
                i = start;
                while i < b.len() && b[i] != quote {
                    i += 1;
                }
                value = tag[start..i].to_string();
                i += 1;
            } else {
                let start = i;
                while i < b.len() && !b[i].is_ascii_whitespace() {
                    i += 1;
                }
                value = tag[start..i].to_string();
            }
        }
        if !name.is_empty() {
            out.push((name, value));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_feeds_a_page_names_in_its_head() {
        let page = br#"<!DOCTYPE html><html><head>
            <link rel="stylesheet" href="/style.css">
            <link rel="alternate" type="application/rss+xml" title="Blog &raquo; Feed" href="https://b.example/feed/" />
            <link rel='alternate' type='application/atom+xml' href='/atom.xml?a=1&amp;b=2'>
            <link rel="alternate" hreflang="fr" href="/fr/">
            </head><body></body></html>"#;
        assert!(is_html(page));
        assert_eq!(
            feed_links(page),
            vec!["https://b.example/feed/", "/atom.xml?a=1&b=2"]
        );
        assert!(!is_html(b"<?xml version=\"1.0\"?><rss></rss>"));
    }
}
