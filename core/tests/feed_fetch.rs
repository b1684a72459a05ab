//! The blog feed fetcher against real feeds (WordPress, Blogger, Ghost, Substack, Hugo, Medium,
//! JSON Feed) served by a loopback HTTP server, and against the ways servers misbehave:
//! redirects and redirect loops, gzip, a server that never answers, a 50 MB feed, a feed cut
//! off mid-way, 429 with Retry-After, 404. Each sync is then repeated with the cursor it
//! returned, which must bring nothing new.
//!
//! The feeds' own addresses (`http://www.earthquakenewstoday.com`, …) are rewritten to the
//! test server's as they are served, so comment feeds are fetched from it too.

#[path = "support/http_server.rs"]
mod http_server;

use http_server::{Body, Request, Response, Server};
use kith_core::accounts::feed::{fetch_with, rate_limited_until, Limits};
use kith_core::accounts::{FeedOwner, FeedSettings, Harvest, Item, ItemKind, Me, WROTE_TAG};
use kith_core::domain::{Channel, Direction, Handle, Platform};
use kith_core::{Error, SyncProblem};
use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/feeds")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn limits() -> Limits {
    Limits {
        timeout: Duration::from_secs(1),
        ..Limits::default()
    }
}

/// A site: paths and the fixture each serves, with the real site's origin rewritten to the
/// server's. Every response carries an ETag; a request that sends it back gets 304.
fn site(origin_in_fixtures: &'static str, routes: &[(&str, &str, &str)]) -> Server {
    site_with(origin_in_fixtures, routes, true)
}

fn site_with(
    origin_in_fixtures: &'static str,
    routes: &[(&str, &str, &str)],
    etags: bool,
) -> Server {
    let routes: Vec<(String, String, String)> = routes
        .iter()
        .map(|(p, f, t)| (p.to_string(), fixture(f), t.to_string()))
        .collect();
    let origin: Arc<std::sync::OnceLock<String>> = Arc::new(std::sync::OnceLock::new());
    let o = origin.clone();
    let server = Server::start(move |req: &Request| {
        let own = o.get().cloned().unwrap_or_default();
        let Some((_, body, content_type)) = routes.iter().find(|(p, _, _)| *p == req.path) else {
            return Response::new(404);
        };
        let etag = format!("\"{}\"", body.len());
        if etags && req.header("if-none-match") == Some(etag.as_str()) {
            return Response::new(304).header("ETag", &etag);
        }
        let body = body.replace(origin_in_fixtures, &own);
        let mut r = Response::ok(content_type, body);
        if etags {
            r = r.header("ETag", &etag);
        }
        r
    });
    origin.set(server.origin()).unwrap();
    server
}

fn mine() -> FeedOwner {
    FeedOwner::Mine
}

fn contact() -> FeedOwner {
    FeedOwner::Contact("c-1".into())
}

fn sync(
    url: &str,
    owner: FeedOwner,
    cursor: Option<&serde_json::Value>,
    me: &Me,
) -> Result<Harvest, Error> {
    let settings = FeedSettings {
        url: url.to_string(),
        owner,
    };
    fetch_with("blog", &settings, cursor, me, &mut |_| true, &limits())
}

/// Syncs, then syncs again with the returned cursor and checks nothing new comes.
fn sync_twice(url: &str, owner: FeedOwner, me: &Me) -> Harvest {
    let first = sync(url, owner.clone(), None, me).expect("first sync");
    let again = sync(url, owner, first.cursor.as_ref(), me).expect("second sync");
    assert_eq!(
        again.items,
        Vec::<Item>::new(),
        "a second sync with the cursor brought items again"
    );
    first
}

fn by_key<'a>(h: &'a Harvest, key: &str) -> &'a Item {
    h.items.iter().find(|i| i.key == key).unwrap_or_else(|| {
        panic!(
            "no item {key} in {:#?}",
            h.items.iter().map(|i| &i.key).collect::<Vec<_>>()
        )
    })
}

fn sync_error(result: Result<Harvest, Error>) -> (SyncProblem, String) {
    match result {
        Err(Error::Sync {
            problem, detail, ..
        }) => (problem, detail),
        other => panic!("expected a sync error, got {other:?}"),
    }
}

const EARTHQUAKES: &str = "http://www.earthquakenewstoday.com";
const POST: &str = "/2019/08/06/minor-earthquake-3-5-mag-was-detected-near-aris-in-greece/";

fn wordpress() -> Server {
    site(
        EARTHQUAKES,
        &[
            (
                "/feed/",
                "wordpress-earthquakenewstoday.xml",
                "application/rss+xml",
            ),
            (
                &format!("{POST}feed/"),
                "wordpress-earthquakenewstoday-post-comments.xml",
                "application/rss+xml",
            ),
            (
                "/comments/feed/",
                "wordpress-earthquakenewstoday-comments.xml",
                "application/rss+xml",
            ),
        ],
    )
}

#[test]
fn comments_on_my_wordpress_blog_are_conversations_with_their_authors() {
    let server = wordpress();
    let me = Me {
        names: vec!["admin".into()],
        ..Me::default()
    };
    let h = sync_twice(&server.url("/feed/"), mine(), &me);
    let origin = server.origin();
    assert_eq!(h.items.len(), 3, "{:#?}", h.items);

    let thread = format!("blog:thread:{origin}{POST}");
    let eleni = by_key(&h, &format!("blog:comment:{origin}/?p=149732#comment-2201"));
    assert_eq!(eleni.kind, ItemKind::Conversation);
    assert_eq!(eleni.channel, Channel::Blog);
    assert_eq!(eleni.direction, Direction::Inbound);
    assert!(eleni.public);
    assert_eq!(eleni.thread.as_deref(), Some(thread.as_str()));
    assert_eq!(eleni.people.len(), 1);
    assert_eq!(eleni.people[0].name.as_deref(), Some("Eleni Papadaki"));
    assert!(
        eleni.text.starts_with("Felt it in Kalamata too"),
        "{}",
        eleni.text
    );
    assert!(!eleni.text.contains("<p>"));
    assert_eq!(
        eleni.seen_in,
        format!("comments on {}", origin.trim_start_matches("http://"))
    );

    // The blog's owner answering on their own blog.
    let reply = by_key(&h, &format!("blog:comment:{origin}/?p=149732#comment-2202"));
    assert_eq!(reply.direction, Direction::Outbound);
    assert!(reply.people.is_empty());
    assert_eq!(reply.thread.as_deref(), Some(thread.as_str()));

    // A pingback, only in the site-wide comment feed: a comment by the linking site.
    let ping = by_key(&h, &format!("blog:comment:{origin}/?p=149732#comment-2203"));
    assert_eq!(ping.direction, Direction::Inbound);
    assert_eq!(ping.people[0].name.as_deref(), Some("Seismo Watch"));
    assert_eq!(ping.thread.as_deref(), Some(thread.as_str()));

    // The second sync asked with the validators it was given.
    let requests = server.requests();
    let conditional = requests
        .iter()
        .filter(|r| r.header("if-none-match").is_some())
        .count();
    assert_eq!(conditional, 3, "{requests:#?}");
}

#[test]
fn my_comments_on_a_contacts_blog_are_outbound_and_their_posts_are_things_they_wrote() {
    let server = wordpress();
    let me = Me {
        names: vec!["Eleni Papadaki".into()],
        ..Me::default()
    };
    let h = sync_twice(&server.url("/feed/"), contact(), &me);
    let origin = server.origin();
    assert_eq!(h.items.len(), 2, "{:#?}", h.items);
    let post = by_key(&h, &format!("blog:post:{origin}{POST}"));
    assert_eq!(post.kind, ItemKind::Wrote);
    assert_eq!(post.tags, vec![WROTE_TAG.to_string()]);
    assert_eq!(post.direction, Direction::Inbound);
    assert!(post.people.is_empty());
    assert!(post.text.starts_with(
        "Minor earthquake, 3.5 mag was detected near Aris in Greece\n\nA minor earthquake"
    ));
    let mine = by_key(&h, &format!("blog:comment:{origin}/?p=149732#comment-2201"));
    assert_eq!(mine.kind, ItemKind::Conversation);
    assert_eq!(mine.direction, Direction::Outbound);
    assert!(mine.people.is_empty());
}

#[test]
fn a_server_that_ignores_validators_still_brings_nothing_twice() {
    // Without ETag or Last-Modified every sync reads the whole feed again: the cursor's keys
    // of the entries already taken keep posts and comments from coming twice.
    let hugo = site_with(
        "https://stacks.example.org",
        &[("/index.xml", "hugo-index.xml", "application/rss+xml")],
        false,
    );
    let h = sync_twice(&hugo.url("/index.xml"), contact(), &Me::default());
    assert_eq!(h.items.len(), 1);

    let wordpress = site_with(
        EARTHQUAKES,
        &[
            (
                "/feed/",
                "wordpress-earthquakenewstoday.xml",
                "application/rss+xml",
            ),
            (
                "/comments/feed/",
                "wordpress-earthquakenewstoday-comments.xml",
                "application/rss+xml",
            ),
        ],
        false,
    );
    let h = sync_twice(&wordpress.url("/feed/"), mine(), &Me::default());
    assert_eq!(h.items.len(), 3);
    let site_wide_reads = wordpress
        .requests()
        .iter()
        .filter(|r| r.path == "/comments/feed/")
        .count();
    assert_eq!(site_wide_reads, 2);
}

const READING_ROOM: &str = "http://readingroom-notes.blogspot.com";

#[test]
fn blogger_comments_come_through_the_posts_replies_feed() {
    // No ETags here: the cursor's entry keys keep the posts from coming twice, and the post's
    // comment count (thr:total) keeps its comment feed from being read again.
    let server = site_with(
        READING_ROOM,
        &[
            (
                "/feeds/posts/default",
                "blogger-posts.xml",
                "application/atom+xml",
            ),
            (
                "/feeds/7515836382847059837/comments/default",
                "blogger-post-comments.xml",
                "application/atom+xml",
            ),
        ],
        false,
    );
    let h = sync_twice(&server.url("/feeds/posts/default"), mine(), &Me::default());
    let origin = server.origin();
    assert_eq!(h.items.len(), 1, "{:#?}", h.items);
    let ada = by_key(
        &h,
        "blog:comment:tag:blogger.com,1999:blog-4726251688144615011.post-3141592653589793238",
    );
    assert_eq!(ada.direction, Direction::Inbound);
    assert_eq!(
        ada.thread.as_deref(),
        Some(
            format!("blog:thread:{origin}/2013/12/shelf-reading-with-barcode-scanner.html")
                .as_str()
        )
    );
    assert_eq!(ada.people[0].name.as_deref(), Some("Ada Reader"));
    // Blogger's noreply address is nobody's.
    assert_eq!(
        ada.people[0].handles,
        vec![Handle {
            platform: Platform::Blog,
            value: "http://ada-reader.example.org/".into()
        }]
    );
    assert!(ada.text.contains("search/replace dance"));
    // The anonymous comment names nobody: left out, and counted.
    assert_eq!(h.skipped, 1);
    let comment_reads = server
        .requests()
        .iter()
        .filter(|r| r.path.contains("/comments/"))
        .count();
    assert_eq!(
        comment_reads, 1,
        "the unchanged comment feed was read again"
    );
}

fn contact_posts(fixture: &str, content_type: &str, origin: &'static str) -> (Server, Harvest) {
    let server = site(origin, &[("/feed", fixture, content_type)]);
    let h = sync_twice(&server.url("/feed"), contact(), &Me::default());
    for item in &h.items {
        assert_eq!(item.kind, ItemKind::Wrote);
        assert_eq!(item.channel, Channel::Blog);
        assert_eq!(item.direction, Direction::Inbound);
        assert_eq!(item.tags, vec![WROTE_TAG.to_string()]);
        assert!(item.people.is_empty());
        assert!(item.public);
        assert!(item.text.chars().count() <= 2_000);
    }
    (server, h)
}

#[test]
fn a_ghost_blogs_posts_are_keyed_by_their_guid() {
    let (_s, h) = contact_posts(
        "ghost-changelog.xml",
        "application/rss+xml",
        "https://ghost.org",
    );
    assert_eq!(h.items.len(), 1);
    let post = by_key(&h, "blog:post:615376bf10e1d9004af82a8c");
    assert!(post
        .text
        .starts_with("Send emails without publishing\n\nYou can now choose"));
    assert!(!post.text.contains("<img"));
}

#[test]
fn a_substack_newsletters_posts_are_read() {
    let (s, h) = contact_posts(
        "substack-heated.xml",
        "application/rss+xml",
        "https://heated.world",
    );
    assert_eq!(h.items.len(), 1);
    by_key(
        &h,
        &format!(
            "blog:post:{}/p/a-conversation-about-keystone-xl",
            s.origin()
        ),
    );
}

#[test]
fn a_hugo_sites_undated_pages_are_left_out() {
    let (s, h) = contact_posts(
        "hugo-index.xml",
        "application/rss+xml",
        "https://stacks.example.org",
    );
    // "About" carries Hugo's zero date (year 1): a page, not a post.
    assert_eq!(h.items.len(), 1, "{:#?}", h.items);
    let post = by_key(
        &h,
        &format!("blog:post:{}/posts/weeding-reference/", s.origin()),
    );
    assert_eq!(
        post.text,
        "Weeding the reference collection\n\nWe pulled 400 volumes this autumn. Here is how we decided & what we kept."
    );
    assert_eq!(h.skipped, 1);
}

#[test]
fn a_medium_authors_stories_are_read_from_their_content() {
    let (s, h) = contact_posts(
        "medium-feed.xml",
        "application/rss+xml",
        "https://medium.com",
    );
    let post = by_key(&h, &format!("blog:post:{}/p/4f1e2d3c4b5a", s.origin()));
    assert!(
        post.text.contains("authority files you already have"),
        "{}",
        post.text
    );
}

#[test]
fn a_json_feed_is_read_like_any_other() {
    let (s, h) = contact_posts(
        "jsonfeed-example.json",
        "application/feed+json",
        "https://daringfireball.net",
    );
    assert!(!h.items.is_empty());
    by_key(
        &h,
        &format!("blog:post:{}/linked/2020/01/24/bezos-iphone-x", s.origin()),
    );
}

#[test]
fn a_gzipped_feed_after_a_redirect_is_read() {
    let body = fixture("ghost-changelog.xml");
    let server = Server::start(move |req: &Request| match req.path.as_str() {
        "/old" => Response::new(301).header("Location", "/rss/"),
        "/rss/" => {
            assert!(req.header("accept-encoding").unwrap_or("").contains("gzip"));
            let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            gz.write_all(body.as_bytes()).unwrap();
            Response::ok("application/rss+xml", gz.finish().unwrap())
                .header("Content-Encoding", "gzip")
        }
        _ => Response::new(404),
    });
    let h = sync(&server.url("/old"), contact(), None, &Me::default()).unwrap();
    assert_eq!(h.items.len(), 1);
}

#[test]
fn a_redirect_loop_is_named_as_one() {
    let server = Server::start(|req: &Request| match req.path.as_str() {
        "/a" => Response::new(302).header("Location", "/b"),
        _ => Response::new(302).header("Location", "/a"),
    });
    let (problem, detail) = sync_error(sync(&server.url("/a"), contact(), None, &Me::default()));
    assert_eq!(problem, SyncProblem::BadResponse);
    assert!(detail.contains("redirects in a loop"), "{detail}");
    assert!(server.requests().len() <= 3);
}

#[test]
fn a_server_that_never_answers_times_out_in_seconds() {
    let server = Server::start(|_: &Request| Response::hang());
    let started = Instant::now();
    let (problem, detail) = sync_error(sync(&server.url("/feed"), contact(), None, &Me::default()));
    assert_eq!(problem, SyncProblem::TimedOut, "{detail}");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn a_50_mb_feed_is_refused_after_reading_at_most_the_limit() {
    let sent = Arc::new(AtomicUsize::new(0));
    let s = sent.clone();
    let server = Server::start(move |_: &Request| {
        s.fetch_add(1, Ordering::SeqCst);
        let mut chunk = b"<rss version=\"2.0\"><channel><title>x</title>".to_vec();
        chunk.resize(64 * 1024, b' ');
        Response {
            status: 200,
            headers: vec![("Content-Type".into(), "application/rss+xml".into())],
            body: Body::Repeat {
                chunk,
                total: 50_000_000,
            },
        }
    });
    let started = Instant::now();
    let (problem, detail) = sync_error(sync(&server.url("/feed"), contact(), None, &Me::default()));
    assert_eq!(problem, SyncProblem::TooLarge, "{detail}");
    assert!(detail.contains("10 MB"), "{detail}");
    assert_eq!(sent.load(Ordering::SeqCst), 1);
    assert!(started.elapsed() < Duration::from_secs(20));
}

#[test]
fn a_feed_cut_off_mid_way_is_a_bad_response_naming_the_address_and_place() {
    let mut body = fixture("wordpress-earthquakenewstoday.xml");
    body.truncate(body.len() / 2);
    let server =
        Server::start(move |_: &Request| Response::ok("application/rss+xml", body.clone()));
    let url = server.url("/feed/");
    let (problem, detail) = sync_error(sync(&url, contact(), None, &Me::default()));
    assert_eq!(problem, SyncProblem::BadResponse);
    assert!(detail.contains(&url), "{detail}");
    assert!(detail.contains("not a feed Kith can read"), "{detail}");
}

#[test]
fn too_many_requests_says_until_when() {
    let server = Server::start(|_: &Request| Response::new(429).header("Retry-After", "120"));
    let before = chrono::Utc::now();
    let err = sync(&server.url("/feed"), contact(), None, &Me::default()).unwrap_err();
    let until = rate_limited_until(&err).expect("a retry time");
    let waited = (until - before).num_seconds();
    assert!((119..=122).contains(&waited), "{waited}");
    let (problem, detail) = sync_error(Err(err));
    assert_eq!(problem, SyncProblem::RateLimited);
    assert!(detail.contains("rate-limited until"), "{detail}");
}

#[test]
fn a_feed_that_is_gone_says_so() {
    let server = Server::start(|_: &Request| Response::new(404));
    let (problem, detail) = sync_error(sync(&server.url("/feed"), contact(), None, &Me::default()));
    assert_eq!(problem, SyncProblem::BadResponse);
    assert!(detail.contains("the feed is gone (404)"), "{detail}");
}

#[test]
fn only_http_addresses_are_fetched() {
    let (problem, detail) = sync_error(sync("file:///etc/passwd", contact(), None, &Me::default()));
    assert_eq!(problem, SyncProblem::BadResponse);
    assert!(detail.contains("not an http"), "{detail}");
}

#[test]
fn a_cancelled_sync_returns_nothing() {
    let server = wordpress();
    let settings = FeedSettings {
        url: server.url("/feed/"),
        owner: mine(),
    };
    let mut calls = 0;
    let result = fetch_with(
        "blog",
        &settings,
        None,
        &Me::default(),
        &mut |_| {
            calls += 1;
            calls < 2
        },
        &limits(),
    );
    assert!(matches!(result, Err(Error::Cancelled(_))), "{result:?}");
}

#[test]
fn comment_feeds_on_other_sites_are_not_read() {
    let other = Server::start(|_: &Request| {
        Response::ok(
            "application/rss+xml",
            fixture("wordpress-earthquakenewstoday-post-comments.xml"),
        )
    });
    // `localhost` and `127.0.0.1` are different sites as far as the feed is concerned.
    let elsewhere = other.url("/comments").replace("127.0.0.1", "localhost");
    let feed = fixture("wordpress-earthquakenewstoday.xml")
        .replace(&format!("{EARTHQUAKES}{POST}feed/"), &elsewhere);
    let origin: Arc<std::sync::OnceLock<String>> = Arc::new(std::sync::OnceLock::new());
    let o = origin.clone();
    let server = Server::start(move |req: &Request| match req.path.as_str() {
        "/feed/" => Response::ok(
            "application/rss+xml",
            feed.replace(EARTHQUAKES, o.get().unwrap()),
        ),
        _ => Response::new(404),
    });
    origin.set(server.origin()).unwrap();
    let h = sync(&server.url("/feed/"), mine(), None, &Me::default()).unwrap();
    assert!(h.items.is_empty());
    assert!(other.requests().is_empty());
    assert!(
        h.notes.iter().any(|n| n.contains("another site")),
        "{:?}",
        h.notes
    );
}

/// More real feeds of many makes, served as saved (bytes untouched, ISO-8859-1 included), each
/// synced twice, with and without validators.
#[test]
fn real_feeds_of_many_makes_are_read_once() {
    let feeds = [
        "rss1-debian.xml",
        "rss1-iso8859.xml",
        "rss2-channel9-wfw.xml",
        "rss2-wirecutter.xml",
        "rss2-relative-links.xml",
        "atom-movabletype.xml",
        "atom-xml-base.xml",
        "ghost-cloudflare.xml",
        "rss092-undated.xml",
    ];
    for name in feeds {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/feeds")
            .join(name);
        let bytes = std::fs::read(&path).unwrap();
        let parsed = feed_rs::parser::parse(bytes.as_slice()).unwrap();
        let dated = parsed
            .entries
            .iter()
            .filter(|e| e.published.or(e.updated).is_some())
            .count();
        for etags in [true, false] {
            let body = bytes.clone();
            let server = Server::start(move |req: &Request| {
                if etags && req.header("if-none-match") == Some("\"1\"") {
                    return Response::new(304);
                }
                let r = Response::ok("application/xml", body.clone());
                if etags {
                    r.header("ETag", "\"1\"")
                } else {
                    r
                }
            });
            let h = sync_twice(&server.url("/feed"), contact(), &Me::default());
            assert_eq!(h.items.len(), dated, "{name}: {:#?}", h.items);
            // With nothing to tell the user's comments by, no comment feed is asked for
            // (Channel 9's would be on its real site).
            assert!(h.notes.is_empty(), "{name}: {:?}", h.notes);
            assert_eq!(h.skipped as usize, parsed.entries.len() - dated, "{name}");
            let mut keys: Vec<&str> = h.items.iter().map(|i| i.key.as_str()).collect();
            keys.sort();
            keys.dedup();
            assert_eq!(keys.len(), h.items.len(), "{name}: keys repeat");
            for item in &h.items {
                assert!(
                    item.key.starts_with("blog:post:") && item.key.len() > 10,
                    "{name}"
                );
                assert!(!item.text.trim().is_empty(), "{name}: {}", item.key);
                assert!(!item.text.contains("<p>"), "{name}: {}", item.text);
            }
        }
    }
}

#[test]
fn a_self_signed_certificate_is_named_as_untrusted() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tls");
    let cert = rustls::pki_types::CertificateDer::from(
        std::fs::read(dir.join("self-signed-cert.der")).unwrap(),
    );
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(
        std::fs::read(dir.join("self-signed-key.der"))
            .unwrap()
            .into(),
    );
    let config = Arc::new(
        rustls::ServerConfig::builder()
            .with_no_client_auth()
            .with_single_cert(vec![cert], key)
            .unwrap(),
    );
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = std::thread::spawn(move || {
        let (mut tcp, _) = listener.accept().unwrap();
        tcp.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let mut tls = rustls::ServerConnection::new(config).unwrap();
        // The handshake ends when the client refuses the certificate.
        while tls.is_handshaking() {
            if tls.complete_io(&mut tcp).is_err() {
                break;
            }
        }
    });
    let url = format!("https://127.0.0.1:{port}/feed");
    let (problem, detail) = sync_error(sync(&url, contact(), None, &Me::default()));
    server.join().unwrap();
    assert_eq!(problem, SyncProblem::UntrustedCertificate, "{detail}");
    assert!(detail.contains("certificate is not trusted"), "{detail}");
}

#[test]
fn a_server_that_only_dates_its_feed_is_asked_if_modified_since() {
    // Static file servers (Python's http.server among them) send Last-Modified and no ETag.
    const DATE: &str = "Tue, 06 Aug 2019 05:01:15 GMT";
    let body = fixture("ghost-changelog.xml");
    let server = Server::start(move |req: &Request| {
        if req.header("if-modified-since") == Some(DATE) {
            return Response::new(304);
        }
        Response::ok("application/rss+xml", body.clone()).header("Last-Modified", DATE)
    });
    let h = sync_twice(&server.url("/feed"), contact(), &Me::default());
    assert_eq!(h.items.len(), 1);
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].header("if-modified-since"), None);
    assert_eq!(requests[1].header("if-modified-since"), Some(DATE));
}

#[test]
fn my_answers_on_my_own_blog_are_known_by_how_i_sign_my_posts() {
    // Nothing about the user is set up: the blog's posts are signed "admin", so "admin"
    // answering a comment is the user, also in a later sync where the feed has not changed.
    let later = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let origin: Arc<std::sync::OnceLock<String>> = Arc::new(std::sync::OnceLock::new());
    let (l, o) = (later.clone(), origin.clone());
    let server = Server::start(move |req: &Request| {
        let mut body = match req.path.as_str() {
            "/feed/" => fixture("wordpress-earthquakenewstoday.xml"),
            "/comments/feed/" => fixture("wordpress-earthquakenewstoday-comments.xml"),
            p if p == format!("{POST}feed/") => {
                fixture("wordpress-earthquakenewstoday-post-comments.xml")
            }
            _ => return Response::new(404),
        };
        if req.path == "/comments/feed/" && l.load(Ordering::SeqCst) {
            let answer = format!(
                "<item><title>By: admin</title>\
                 <link>{EARTHQUAKES}{POST}#comment-2204</link>\
                 <dc:creator><![CDATA[admin]]></dc:creator>\
                 <pubDate>Thu, 08 Aug 2019 10:00:00 +0000</pubDate>\
                 <guid isPermaLink=\"false\">{EARTHQUAKES}/?p=149732#comment-2204</guid>\
                 <description><![CDATA[Glad you linked it.]]></description></item>\n\t<item>"
            );
            body = body.replacen("<item>", &answer, 1);
        }
        let body = body.replace(EARTHQUAKES, o.get().unwrap());
        let etag = format!("\"{}\"", body.len());
        if req.header("if-none-match") == Some(etag.as_str()) {
            return Response::new(304);
        }
        Response::ok("application/rss+xml", body).header("ETag", &etag)
    });
    origin.set(server.origin()).unwrap();
    let url = server.url("/feed/");
    let first = sync(&url, mine(), None, &Me::default()).unwrap();
    let origin = server.origin();
    let reply = by_key(
        &first,
        &format!("blog:comment:{origin}/?p=149732#comment-2202"),
    );
    assert_eq!(reply.direction, Direction::Outbound);
    assert!(reply.people.is_empty());

    later.store(true, Ordering::SeqCst);
    let second = sync(&url, mine(), first.cursor.as_ref(), &Me::default()).unwrap();
    assert_eq!(second.items.len(), 1, "{:#?}", second.items);
    let answer = &second.items[0];
    assert_eq!(
        answer.key,
        format!("blog:comment:{origin}/?p=149732#comment-2204")
    );
    assert_eq!(answer.direction, Direction::Outbound);
    assert!(answer.people.is_empty());
}

#[test]
fn a_blogs_web_page_leads_to_its_feed() {
    // People copy the blog's address from the browser; the page names its feed.
    let page = r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Changelog</title>
<link rel="canonical" href="/changelog/">
<link rel="alternate" type="application/rss+xml" title="Changelog" href="/changelog/rss/">
</head><body><h1>Changelog</h1></body></html>"#;
    let feed = fixture("ghost-changelog.xml");
    let server = Server::start(move |req: &Request| match req.path.as_str() {
        "/changelog/" => Response::ok("text/html; charset=utf-8", page),
        "/changelog/rss/" => Response::ok("application/rss+xml", feed.clone()),
        _ => Response::new(404),
    });
    let h = sync_twice(&server.url("/changelog/"), contact(), &Me::default());
    assert_eq!(h.items.len(), 1);
    assert!(
        h.notes.iter().any(|n| n.contains("/changelog/rss/")),
        "{:?}",
        h.notes
    );
    // The second sync went straight to the feed.
    let pages = server
        .requests()
        .iter()
        .filter(|r| r.path == "/changelog/")
        .count();
    assert_eq!(pages, 1);

    let bare = Server::start(|_: &Request| {
        Response::ok("text/html", "<!doctype html><html><head></head></html>")
    });
    let (problem, detail) = sync_error(sync(&bare.url("/"), contact(), None, &Me::default()));
    assert_eq!(problem, SyncProblem::BadResponse);
    assert!(detail.contains("names no feed"), "{detail}");
}

#[test]
fn the_cursor_forgets_comment_feeds_of_posts_that_left_the_feed() {
    // A blog publishing daily would otherwise keep one comment feed's state per post forever.
    let moved = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let origin: Arc<std::sync::OnceLock<String>> = Arc::new(std::sync::OnceLock::new());
    let (m, o) = (moved.clone(), origin.clone());
    let server = Server::start(move |req: &Request| {
        let body = match req.path.as_str() {
            "/feed/" if m.load(Ordering::SeqCst) => fixture("wordpress-earthquakenewstoday.xml")
                .replace(&format!("{POST}feed/"), "/2019/08/07/a-newer-post/feed/"),
            "/feed/" => fixture("wordpress-earthquakenewstoday.xml"),
            "/comments/feed/" => fixture("wordpress-earthquakenewstoday-comments.xml"),
            p if p.ends_with("/feed/") => {
                fixture("wordpress-earthquakenewstoday-post-comments.xml")
            }
            _ => return Response::new(404),
        };
        Response::ok(
            "application/rss+xml",
            body.replace(EARTHQUAKES, o.get().unwrap()),
        )
    });
    origin.set(server.origin()).unwrap();
    let url = server.url("/feed/");
    let first = sync(&url, mine(), None, &Me::default()).unwrap();
    let old_feed = server.url(&format!("{POST}feed/"));
    let cursor = first.cursor.unwrap();
    assert!(cursor["urls"].get(&old_feed).is_some(), "{cursor:#}");

    moved.store(true, Ordering::SeqCst);
    let second = sync(&url, mine(), Some(&cursor), &Me::default()).unwrap();
    let cursor = second.cursor.unwrap();
    let urls: Vec<&String> = cursor["urls"].as_object().unwrap().keys().collect();
    assert!(cursor["urls"].get(&old_feed).is_none(), "{urls:?}");
    assert!(cursor["urls"].get(&url).is_some(), "{urls:?}");
    assert!(
        cursor["urls"]
            .get(server.url("/2019/08/07/a-newer-post/feed/"))
            .is_some(),
        "{urls:?}"
    );
}
