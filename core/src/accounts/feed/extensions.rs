//! What a feed's entries say about their comments that `feed-rs` does not keep: the post's
//! comment feed (`wfw:commentRss`, WordPress and others) and the number of comments
//! (`slash:comments` in RSS, `thr:total` in Atom, Blogger). Read from the raw XML, one record
//! per `<item>` or `<entry>` in document order, which is the order `feed-rs` lists entries in.

use quick_xml::events::Event;
use quick_xml::Reader;

/// What one entry says about its comments.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommentHints {
    /// The post's own comment feed, as written.
    pub comment_feed: Option<String>,
    /// How many comments the post has, as the feed says.
    pub count: Option<u64>,
}

/// The comment hints of each entry of an RSS or Atom document, in order. A document that is
/// not XML (JSON Feed) has none; a malformed one yields what was read before the fault (the
/// parse that matters, `feed-rs`'s, reports the fault).
pub fn comment_hints(xml: &[u8]) -> Vec<CommentHints> {
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut out: Vec<CommentHints> = Vec::new();
    // Depth of the current entry element, and which field's text is being read.
    let mut entry_depth: Option<usize> = None;
    let mut depth = 0usize;
    let mut field: Option<Field> = None;
    let mut text = String::new();
    while let Ok(event) = reader.read_event_into(&mut buf) {
        match event {
            Event::Start(e) => {
                depth += 1;
                let name = e.local_name();
                let name = name.as_ref();
                if entry_depth.is_none() && (name == b"item" || name == b"entry") {
                    entry_depth = Some(depth);
                    out.push(CommentHints::default());
                } else if entry_depth == Some(depth - 1) {
                    field = Field::of(e.name().as_ref(), name);
                    text.clear();
                }
            }
            Event::End(_) => {
                if entry_depth == Some(depth.saturating_sub(1)) {
                    if let (Some(f), Some(current)) = (field.take(), out.last_mut()) {
                        f.set(current, text.trim());
                    }
                }
                if entry_depth == Some(depth) {
                    entry_depth = None;
                }
                depth = depth.saturating_sub(1);
            }
            Event::Text(t) if field.is_some() => {
                text.push_str(&t.decode().unwrap_or_default());
            }
            Event::CData(t) if field.is_some() => {
                text.push_str(&t.decode().unwrap_or_default());
            }
            Event::GeneralRef(r) if field.is_some() => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    text.push(c);
                } else {
                    let name = r.decode().unwrap_or_default();
                    text.push_str(match name.as_ref() {
                        "amp" => "&",
                        "lt" => "<",
                        "gt" => ">",
                        "quot" => "\"",
                        "apos" => "'",
                        _ => "",
                    });
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    out
}

#[derive(Debug, Clone, Copy)]
enum Field {
    CommentFeed,
    Count,
}

impl Field {
    fn of(qualified: &[u8], local: &[u8]) -> Option<Field> {
        match local {
            b"commentRss" | b"commentRSS" => Some(Field::CommentFeed),
            // `slash:comments`, not RSS 2's own `<comments>` (a web page's URL).
            b"comments" if qualified != b"comments" => Some(Field::Count),
            b"total" => Some(Field::Count),
            _ => None,
        }
    }

    fn set(self, hints: &mut CommentHints, value: &str) {
        if value.is_empty() {
            return;
        }
        match self {
            Field::CommentFeed => hints.comment_feed = Some(value.to_string()),
            Field::Count => hints.count = value.parse().ok(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_wordpress_and_blogger_hints_in_order() {
        let xml = br#"<rss xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:slash="http://purl.org/rss/1.0/modules/slash/"><channel>
            <item><title>a</title><comments>http://x/a#respond</comments>
              <wfw:commentRss>
                http://x/a/feed/?x=1&amp;y=2
              </wfw:commentRss><slash:comments>3</slash:comments></item>
            <item><title>b</title></item>
            </channel></rss>"#;
        let hints = comment_hints(xml);
        assert_eq!(hints.len(), 2);
        assert_eq!(
            hints[0].comment_feed.as_deref(),
            Some("http://x/a/feed/?x=1&y=2")
        );
        assert_eq!(hints[0].count, Some(3));
        assert_eq!(hints[1], CommentHints::default());

        let atom = br#"<feed xmlns="http://www.w3.org/2005/Atom" xmlns:thr="http://purl.org/syndication/thread/1.0">
            <entry><id>1</id><thr:total>5</thr:total></entry></feed>"#;
        assert_eq!(comment_hints(atom)[0].count, Some(5));
    }
}
