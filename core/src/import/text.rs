//! Small text helpers for imported content: HTML to plain text, entity decoding, one-line
//! previews, and a stable hash for keys of records that carry no id of their own.
//!
//! Imported text is data: these functions only ever produce plain strings.

/// Mastodon's HTML `content` as plain text: paragraphs and line breaks become newlines, tags
/// go, entities are decoded. Scripts and styles are dropped with their content.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    let mut skip_until: Option<&'static str> = None;
    while let Some(lt) = rest.find('<') {
        if skip_until.is_none() {
            out.push_str(&decode_entities(&rest[..lt]));
        }
        let after = &rest[lt + 1..];
        let Some(gt) = after.find('>') else {
            // A lone "<" is text.
            if skip_until.is_none() {
                out.push_str(&decode_entities(&rest[lt..]));
            }
            rest = "";
            break;
        };
        let tag = after[..gt].trim().to_ascii_lowercase();
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        let closing = tag.starts_with('/');
        match skip_until {
            Some(end) => {
                if closing && name == end {
                    skip_until = None;
                }
            }
            None => match (name.as_str(), closing) {
                ("script", false) => skip_until = Some("script"),
                ("style", false) => skip_until = Some("style"),
                ("br", _) => out.push('\n'),
                ("p", true) | ("li", true) | ("div", true) | ("blockquote", true) => {
                    out.push_str("\n\n")
                }
                _ => {}
            },
        }
        rest = &after[gt + 1..];
    }
    if skip_until.is_none() {
        out.push_str(&decode_entities(rest));
    }
    // Tidy blank lines and trailing spaces.
    let mut lines: Vec<&str> = out.lines().map(str::trim_end).collect();
    let mut tidy: Vec<&str> = Vec::with_capacity(lines.len());
    for l in lines.drain(..) {
        if l.is_empty() && tidy.last().is_none_or(|p| p.is_empty()) {
            continue;
        }
        tidy.push(l);
    }
    while tidy.last() == Some(&"") {
        tidy.pop();
    }
    tidy.join("\n")
}

/// Decodes HTML character references: the named ones that occur in posts, and numeric ones.
/// Anything else is left as written.
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let end = after
            .char_indices()
            .take(12)
            .find(|(_, c)| *c == ';')
            .map(|(i, _)| i);
        let decoded = end.and_then(|end| {
            let name = &after[..end];
            let ch = if let Some(num) = name.strip_prefix('#') {
                let code = match num.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok(),
                    None => num.parse::<u32>().ok(),
                };
                code.and_then(char::from_u32)
                    .filter(|c| *c != '\0')
                    .map(String::from)
            } else {
                named_entity(name).map(String::from)
            };
            ch.map(|c| (c, end))
        });
        match decoded {
            Some((text, end)) => {
                out.push_str(&text);
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn named_entity(name: &str) -> Option<&'static str> {
    Some(match name {
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        "apos" => "'",
        "nbsp" => "\u{a0}",
        "hellip" => "…",
        "mdash" => "—",
        "ndash" => "–",
        "lsquo" => "‘",
        "rsquo" => "’",
        "ldquo" => "“",
        "rdquo" => "”",
        "copy" => "©",
        "eacute" => "é",
        _ => return None,
    })
}

pub use crate::text_limit::one_line;

/// A stable 64-bit FNV-1a hash in hex, for keys of records that have no id of their own.
pub fn stable_hash(parts: &[&str]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain(std::iter::once(0x1f)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mastodon_html_becomes_plain_text() {
        let html = r#"<p><span class="h-card"><a href="https://x.example/@bob" class="u-url mention">@<span>bob</span></a></span> Thanks &amp; see you at <a href="https://x">#code4lib</a>!</p><p>Line one<br />line two &lt;b&gt; &#8217; &#x1F600;</p><script>alert(1)</script>"#;
        assert_eq!(
            html_to_text(html),
            "@bob Thanks & see you at #code4lib!\n\nLine one\nline two <b> \u{2019} \u{1F600}"
        );
    }

    #[test]
    fn unknown_or_broken_entities_stay_as_written() {
        assert_eq!(
            decode_entities("a & b &bogus; &#xZZ; &amp"),
            "a & b &bogus; &#xZZ; &amp"
        );
        assert_eq!(decode_entities("&#0; &#1114112;"), "&#0; &#1114112;");
    }

    #[test]
    fn hash_is_stable_and_separates_parts() {
        assert_eq!(stable_hash(&["a", "b"]), stable_hash(&["a", "b"]));
        assert_ne!(stable_hash(&["ab", ""]), stable_hash(&["a", "b"]));
    }
}
