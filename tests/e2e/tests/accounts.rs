//! Connected accounts through the real window and the real backend: a contact's blog added in
//! Sidebar → Accounts, pointing at a real blog's feed served by a loopback HTTP server this test
//! starts, synced with "Sync now"; the status says what it brought, the posts are on the
//! contact's timeline, and a second sync adds nothing. A feed on a port where nothing listens
//! says "server unreachable" in plain words, and says so again after the app is closed and
//! opened on the same store.

use kith_e2e::prelude::*;
use kith_e2e::workspace_root;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

const WAIT: Duration = Duration::from_secs(30);

/// A feed served on 127.0.0.1 from a thread of the test's own, until dropped.
struct FeedServer {
    url: String,
    requests: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
    port: u16,
}

impl FeedServer {
    fn start(body: Vec<u8>, content_type: &'static str) -> Result<FeedServer> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let port = listener.local_addr()?.port();
        listener.set_nonblocking(true)?;
        let requests = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (requests, stop) = (requests.clone(), stop.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::SeqCst) {
                    match listener.accept() {
                        Ok((stream, _)) => {
                            requests.fetch_add(1, Ordering::SeqCst);
                            let _ = answer(stream, &body, content_type);
                        }
                        Err(_) => std::thread::sleep(Duration::from_millis(20)),
                    }
                }
            })
        };
        Ok(FeedServer {
            url: format!("http://127.0.0.1:{port}/feed.xml"),
            requests,
            stop,
            thread: Some(thread),
            port,
        })
    }
}

impl Drop for FeedServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop at once rather than after its next sleep.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Reads one request's head and answers it with the feed.
fn answer(stream: TcpStream, body: &[u8], content_type: &str) -> std::io::Result<()> {
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" || line == "\n" {
            break;
        }
    }
    let mut out = stream;
    write!(
        out,
        "HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    out.write_all(body)?;
    out.flush()?;
    let _ = reader.read(&mut [0u8; 1]);
    Ok(())
}

/// A real blog's RSS feed: Ghost's changelog, as Ghost writes it (see the fixtures' SOURCES.md).
const FIXTURE: &str = "core/tests/fixtures/feeds/ghost-changelog.xml";

/// The account row named `name`, once it is there.
async fn row(app: &App, name: &str) -> Result<WebElement> {
    let found = app
        .query(By::Css(format!(
            "[data-testid=account-row][data-name=\"{name}\"]"
        )))
        .wait(WAIT, Duration::from_millis(100))
        .first()
        .await?;
    Ok(found)
}

async fn add_feed(app: &App, name: &str, url: &str) -> Result<()> {
    app.testid("account-kind-feed").await?.click().await?;
    app.fill("account-name-input", name).await?;
    app.fill("account-url", url).await?;
    app.testid("account-add").await?.click().await?;
    row(app, name).await?;
    Ok(())
}

/// What the account's card says of its last sync.
async fn last_sync(app: &App, name: &str) -> Result<String> {
    let text = row(app, name)
        .await?
        .find(By::Css("[data-testid=account-last-sync]"))
        .await?
        .text()
        .await?;
    Ok(text)
}

/// Adds a contact's blog, choosing its author from the contacts.
async fn add_feed_of(app: &App, name: &str, url: &str, author: &str) -> Result<()> {
    app.testid("account-kind-feed").await?.click().await?;
    app.fill("account-name-input", name).await?;
    app.fill("account-url", url).await?;
    app.testid("account-owner-contact").await?.click().await?;
    let picker = app
        .query(By::Css(".acc-form .picker-input"))
        .first()
        .await?;
    picker.send_keys(author).await?;
    app.query(By::Css(".acc-form .suggestion"))
        .with_text(author.to_string())
        .wait(WAIT, Duration::from_millis(100))
        .first()
        .await?
        .click()
        .await?;
    app.testid("account-add").await?.click().await?;
    row(app, name).await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_blog_is_added_synced_and_its_posts_are_its_authors() -> Result<()> {
    let profile = Profile::new()?;
    profile.kith_ok(&["demo"])?;
    let body = std::fs::read(workspace_root().join(FIXTURE))?;
    let server = FeedServer::start(body, "application/rss+xml")?;
    let app = App::launch_in(profile).await?;

    app.testid("nav-accounts").await?.click().await?;
    app.testid("accounts-empty").await?;
    add_feed_of(&app, "Aroha's blog", &server.url, "Aroha Ngata").await?;

    let account = row(&app, "Aroha's blog").await?;
    account
        .find(By::Css("[data-testid=account-sync]"))
        .await?
        .click()
        .await?;
    eventually("the sync to say what it brought", WAIT, || async {
        Ok(last_sync(&app, "Aroha's blog").await?.starts_with("Synced"))
    })
    .await?;
    let said = last_sync(&app, "Aroha's blog").await?;
    assert!(
        server.requests.load(Ordering::SeqCst) >= 1,
        "the app fetched the feed"
    );
    assert!(
        said.contains("interaction"),
        "the sync of {FIXTURE} brought posts: {said:?}"
    );
    assert_eq!(
        row(&app, "Aroha's blog")
            .await?
            .find_all(By::Css("[data-testid=account-error]"))
            .await?
            .len(),
        0,
        "no problem shown after a good sync"
    );
    app.screenshot("accounts-synced").await?;

    // The posts are Aroha's, on the blog channel: her page shows them without a reload.
    app.testid("nav-contacts").await?.click().await?;
    app.query(By::XPath(
        "//*[@data-testid='contact-row'][contains(., 'Aroha Ngata')]",
    ))
    .wait(WAIT, Duration::from_millis(100))
    .first()
    .await?
    .click()
    .await?;
    let blogging = app
        .invoke(
            "list_contacts",
            serde_json::json!({ "filter": { "query": "Aroha", "channel": "blog" } }),
        )
        .await?
        .map_err(|e| format!("list_contacts refused: {e}"))?;
    assert_eq!(
        blogging[0]["name"], "Aroha Ngata",
        "her posts are hers, on the blog channel: {blogging}"
    );
    app.screenshot("accounts-timeline").await?;

    // The same feed again brings nothing new.
    let before: serde_json::Value =
        serde_json::from_str(&app.profile().kith_ok(&["stats", "--json"])?)?;
    app.testid("nav-accounts").await?.click().await?;
    row(&app, "Aroha's blog")
        .await?
        .find(By::Css("[data-testid=account-sync]"))
        .await?
        .click()
        .await?;
    eventually("the second sync to finish", WAIT, || async {
        Ok(last_sync(&app, "Aroha's blog")
            .await?
            .contains("nothing new"))
    })
    .await?;
    let after: serde_json::Value =
        serde_json::from_str(&app.profile().kith_ok(&["stats", "--json"])?)?;
    assert_eq!(
        before["interactions"], after["interactions"],
        "a second sync adds nothing"
    );

    app.close().await?;
    drop(server);
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_is_not_there_is_said_in_plain_words() -> Result<()> {
    // A port that was free a moment ago: nothing listens there.
    let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let app = App::launch().await?;
    app.testid("load-demo-button").await?.click().await?;
    // Loading the sample network ends on the contacts list; go on from there.
    app.query(testid("contact-row"))
        .wait(WAIT, Duration::from_millis(100))
        .first()
        .await?;
    app.testid("nav-accounts").await?.click().await?;
    add_feed(
        &app,
        "Gone blog",
        &format!("http://127.0.0.1:{port}/feed.xml"),
    )
    .await?;
    row(&app, "Gone blog")
        .await?
        .find(By::Css("[data-testid=account-sync]"))
        .await?
        .click()
        .await?;
    let error = app
        .query(By::Css(
            "[data-name=\"Gone blog\"] [data-testid=account-error]",
        ))
        .wait(WAIT, Duration::from_millis(100))
        .first()
        .await?;
    assert_eq!(
        error.attr("data-code").await?.as_deref(),
        Some("sync_unreachable")
    );
    let said = error.text().await?;
    assert!(said.contains("Server unreachable"), "{said:?}");
    app.screenshot("accounts-unreachable").await?;

    // The failure is kept with the account, not only shown.
    let profile = app.close().await?;
    let app = App::launch_in(profile).await?;
    app.testid("nav-accounts").await?.click().await?;
    let kept = app
        .query(By::Css(
            "[data-name=\"Gone blog\"] [data-testid=account-error]",
        ))
        .wait(WAIT, Duration::from_millis(100))
        .first()
        .await?;
    assert_eq!(
        kept.attr("data-code").await?.as_deref(),
        Some("sync_unreachable")
    );
    app.close().await?;
    Ok(())
}
