//! A feed's entries as timeline items: a contact's posts as things they wrote, comments as
//! conversations. Who wrote a comment is told from the user's own names, sites and addresses.

use crate::accounts::{Item, ItemKind, Me, Person, WROTE_TAG};
use crate::domain::{Channel, Direction, Handle, Platform};
use crate::import::html;
use chrono::{DateTime, Datelike, Utc};
use feed_rs::model::Entry;

/// The most characters of a post kept on a timeline: its title and the start of its summary.
pub const POST_TEXT_CHARS: usize = 2_000;
/// The most characters of one comment kept.
pub const COMMENT_TEXT_CHARS: usize = 20_000;

/// The entry's web page: its `alternate` link (or the first link without a `rel`).
pub fn page_link(entry: &Entry) -> Option<String> {
    entry
        .links
        .iter()
        .find(|l| l.rel.as_deref() == Some("alternate"))
        .or_else(|| entry.links.iter().find(|l| l.rel.is_none()))
        .map(|l| l.href.trim().to_string())
        .filter(|h| !h.is_empty())
        .or_else(|| {
            let id = entry.id.trim();
            (id.starts_with("http://") || id.starts_with("https://")).then(|| id.to_string())
        })
}

/// The entry's lasting name: its guid or id, else its page.
pub fn entry_id(entry: &Entry) -> Option<String> {
    let id = entry.id.trim();
    if id.is_empty() {
        page_link(entry)
    } else {
        Some(id.to_string())
    }
}

/// When the entry was published (or, failing that, last updated). A date before blogs existed
/// is a placeholder (Hugo writes year 1 for undated pages), not a date.
pub fn entry_time(entry: &Entry) -> Option<DateTime<Utc>> {
    entry
        .published
        .or(entry.updated)
        .filter(|t| t.year() >= EARLIEST_YEAR)
}

/// The first year a feed entry can honestly carry: RSS dates from 1999, weblogs from a few
/// years before.
const EARLIEST_YEAR: i32 = 1994;

/// The post a comment's own link points into: `…/post/#comment-5`, `…/post/comment-page-2/#comment-9`
/// (WordPress) and `…/post.html?showComment=1#c2` (Blogger) all name `…/post/` or `…/post.html`.
pub fn post_of_comment_link(link: &str) -> String {
    let mut url = link.trim();
    if let Some(i) = url.find('#') {
        url = &url[..i];
    }
    if let Some(i) = url.find("?showComment=") {
        url = &url[..i];
    }
    let mut url = url.to_string();
    if let Some(i) = url.find("/comment-page-") {
        url.truncate(i + 1);
    }
    url
}

/// The host of a URL, for "comments on example.org".
pub fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let host = host.rsplit_once('@').map(|(_, h)| h).unwrap_or(host);
    host.trim_start_matches("www.").to_ascii_lowercase()
}

/// A contact's post as something they wrote, or `None` when it has no name or date.
pub fn post_item(entry: &Entry, seen_in: &str) -> Option<Item> {
    let id = entry_id(entry)?;
    let at = entry_time(entry)?;
    let title = entry
        .title
        .as_ref()
        .map(|t| text_of(&t.content, t.content_type.as_ref()))
        .unwrap_or_default();
    let body = entry
        .summary
        .as_ref()
        .map(|s| text_of(&s.content, s.content_type.as_ref()))
        .or_else(|| {
            entry
                .content
                .as_ref()
                .and_then(|c| c.body.as_deref())
                .map(html::to_text)
        })
        .unwrap_or_default();
    let text = match (title.trim(), body.trim()) {
        ("", b) => b.to_string(),
        (t, "") => t.to_string(),
        (t, b) => format!("{t}\n\n{b}"),
    };
    Some(Item {
        key: format!("blog:post:{id}"),
        kind: ItemKind::Wrote,
        channel: Channel::Blog,
        direction: Direction::Inbound,
        at,
        public: true,
        text: cut(&text, POST_TEXT_CHARS),
        thread: page_link(entry).map(|l| format!("blog:thread:{l}")),
        tags: vec![WROTE_TAG.to_string()],
        people: Vec::new(),
        bulk: false,
        seen_in: seen_in.to_string(),
    })
}

/// Who wrote a comment, as the comment feed names them.
pub fn commenter(entry: &Entry) -> Option<Person> {
    let author = entry.authors.first()?;
    let name = author.name.trim();
    let name = (!name.is_empty() && !is_anonymous(name)).then(|| name.to_string());
    let mut handles = Vec::new();
    if let Some(uri) = author
        .uri
        .as_deref()
        .map(str::trim)
        .filter(|u| u.starts_with("http://") || u.starts_with("https://"))
    {
        handles.push(Handle {
            platform: Platform::Blog,
            value: uri.to_string(),
        });
    }
    if let Some(email) = author
        .email
        .as_deref()
        .map(|e| e.trim().to_ascii_lowercase())
        .filter(|e| e.contains('@') && !is_no_reply(e))
    {
        handles.push(Handle {
            platform: Platform::Email,
            value: email,
        });
    }
    (name.is_some() || !handles.is_empty()).then_some(Person {
        name,
        handles,
        current: None,
    })
}

/// Whether `person` is the user: one of their names, sites or addresses.
pub fn is_me(person: &Person, me: &Me) -> bool {
    if let Some(name) = &person.name {
        let name = name.trim().to_lowercase();
        if me.names.iter().any(|n| n.trim().to_lowercase() == name) {
            return true;
        }
    }
    person.handles.iter().any(|h| match h.platform {
        Platform::Email => me.emails.iter().any(|e| e.eq_ignore_ascii_case(&h.value)),
        Platform::Blog => {
            let site = site_key(&h.value);
            me.urls.iter().any(|u| site_key(u) == site)
        }
        _ => false,
    })
}

/// A comment as a conversation on the post at `post`, or `None` when it has no name, no
/// author or no date.
pub fn comment_item(entry: &Entry, post: &str, me: &Me, seen_in: &str) -> Option<(Item, bool)> {
    let id = entry_id(entry)?;
    let at = entry_time(entry)?;
    let person = commenter(entry)?;
    let mine = is_me(&person, me);
    let text = entry
        .content
        .as_ref()
        .and_then(|c| c.body.as_deref())
        .map(html::to_text)
        .or_else(|| {
            entry
                .summary
                .as_ref()
                .map(|s| text_of(&s.content, s.content_type.as_ref()))
        })
        .unwrap_or_default();
    let item = Item {
        key: format!("blog:comment:{id}"),
        kind: ItemKind::Conversation,
        channel: Channel::Blog,
        direction: if mine {
            Direction::Outbound
        } else {
            Direction::Inbound
        },
        at,
        public: true,
        text: cut(text.trim(), COMMENT_TEXT_CHARS),
        thread: Some(format!("blog:thread:{post}")),
        tags: Vec::new(),
        people: if mine { Vec::new() } else { vec![person] },
        bulk: false,
        seen_in: seen_in.to_string(),
    };
    Some((item, mine))
}

/// Text or HTML as plain text.
fn text_of(content: &str, content_type: &str) -> String {
    if content_type.contains("html") || content.contains('<') || content.contains('&') {
        html::to_text(content)
    } else {
        content.to_string()
    }
}

/// `s`, cut to `max` characters on a word boundary, with "…" when cut.
fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let head: String = s.chars().take(max.saturating_sub(1)).collect();
    let head = match head.rfind(char::is_whitespace) {
        Some(i) if i > head.len() / 2 => head[..i].trim_end().to_string(),
        _ => head,
    };
    format!("{head}…")
}

/// A site's address without scheme, `www.` or trailing slash, to compare two spellings.
fn site_key(url: &str) -> String {
    let u = url.trim().to_ascii_lowercase();
    let u = u.split_once("://").map(|(_, r)| r.to_string()).unwrap_or(u);
    u.trim_start_matches("www.")
        .trim_end_matches('/')
        .to_string()
}

fn is_anonymous(name: &str) -> bool {
    matches!(
        name.to_ascii_lowercase().as_str(),
        "anonymous" | "unknown" | "anónimo" | "anonyme"
    )
}

fn is_no_reply(email: &str) -> bool {
    let local = email.split('@').next().unwrap_or("");
    local.contains("noreply") || local.contains("no-reply") || local.contains("donotreply")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comment_links_name_their_post() {
        assert_eq!(
            post_of_comment_link("https://b.example/2020/01/a-post/#comment-5"),
            "https://b.example/2020/01/a-post/"
        );
        assert_eq!(
            post_of_comment_link("https://b.example/a-post/comment-page-2/#comment-9"),
            "https://b.example/a-post/"
        );
        assert_eq!(
            post_of_comment_link("https://x.blogspot.com/2020/01/p.html?showComment=1#c2"),
            "https://x.blogspot.com/2020/01/p.html"
        );
    }

    #[test]
    fn long_posts_are_cut_on_a_word() {
        let s = "word ".repeat(1000);
        let c = cut(&s, 100);
        assert!(c.chars().count() <= 100);
        assert!(c.ends_with("word…"), "{c}");
    }

    #[test]
    fn the_user_is_known_by_name_site_or_address() {
        let me = Me {
            emails: vec!["me@example.org".into()],
            names: vec!["Ann Reader".into()],
            urls: vec!["https://ann.example/".into()],
            ..Me::default()
        };
        let by = |name: Option<&str>, handles: Vec<Handle>| Person {
            name: name.map(str::to_string),
            handles,
            current: None,
        };
        assert!(is_me(&by(Some("ann reader"), vec![]), &me));
        assert!(is_me(
            &by(
                None,
                vec![Handle {
                    platform: Platform::Blog,
                    value: "http://www.ann.example".into()
                }]
            ),
            &me
        ));
        assert!(!is_me(&by(Some("Bob"), vec![]), &me));
    }
}
