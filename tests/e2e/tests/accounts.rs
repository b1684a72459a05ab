//! Connected accounts through the real window and the real backend: a feed added in Sidebar →
//! Accounts on a port where nothing listens, synced with "Sync now", says "server unreachable"
//! in plain words, and says so again after the app is closed and opened on the same store.

use kith_e2e::prelude::*;
use std::net::TcpListener;

const WAIT: Duration = Duration::from_secs(30);

async fn fill(app: &App, id: &str, text: &str) -> Result<()> {
    let field = app.testid(id).await?;
    field.clear().await?;
    field.send_keys(text).await?;
    Ok(())
}

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
    fill(app, "account-name-input", name).await?;
    fill(app, "account-url", url).await?;
    app.testid("account-add").await?.click().await?;
    row(app, name).await?;
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
