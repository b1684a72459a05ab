//! The main path through the app, in the real window: load the sample network, add a
//! contact, log an interaction with them, find them by search, read their timeline, and
//! find it all again after a restart on the same database.

use kith_e2e::prelude::*;

/// Looks like markup on purpose: names are shown as text, never interpreted.
const NAME: &str = "Wilhelmina <em>Quorrigan</em>";
/// Appears in no sample contact, so a search for it has exactly one answer.
const SURNAME: &str = "Quorrigan";
const NOTE: &str = "Compared notes on zine cataloguing & linked data";

const WAIT: Duration = Duration::from_secs(20);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn add_log_search_and_reopen() -> Result<()> {
    let app = App::launch().await?;

    app.testid("load-demo-button").await?.click().await?;
    app.testid("contact-row").await?;

    app.testid("new-contact-button").await?.click().await?;
    app.testid("contact-name-input")
        .await?
        .send_keys(NAME)
        .await?;
    app.testid("contact-save").await?.click().await?;
    let title = app.testid("contact-title").await?;
    title.wait_until().has_text(NAME).await?;
    assert!(
        title.find_all(By::Tag("em")).await?.is_empty(),
        "the name's markup must be shown as text, not rendered"
    );

    app.testid("log-interaction-button").await?.click().await?;
    choose(&app, "interaction-channel", "mastodon").await?;
    choose(&app, "interaction-direction", "inbound").await?;
    app.testid("interaction-text")
        .await?
        .send_keys(NOTE)
        .await?;
    app.testid("interaction-save").await?.click().await?;
    let entry = timeline_entry_with_note(&app).await?;
    let text = entry.text().await?;
    assert!(
        text.contains("Mastodon"),
        "timeline entry shows its channel: {text:?}"
    );
    app.screenshot("flow-timeline").await?;

    find_by_search(&app).await?;
    app.screenshot("flow-search").await?;

    // The same profile, a new process: everything came from the database.
    let profile = app.close().await?;
    let app = App::launch_in(profile).await?;
    find_by_search(&app).await?;
    app.testid("contact-title")
        .await?
        .wait_until()
        .has_text(NAME)
        .await?;
    timeline_entry_with_note(&app).await?;

    app.close().await?;
    Ok(())
}

/// Pick `value` in the `<select>` with this test id, as a person would, by clicking it.
async fn choose(app: &App, id: &str, value: &str) -> Result<()> {
    let select = app.testid(id).await?;
    select
        .find(By::Css(format!("option[value=\"{value}\"]")))
        .await?
        .click()
        .await?;
    select.wait_until().has_value(value.to_owned()).await?;
    Ok(())
}

async fn timeline_entry_with_note(app: &App) -> Result<WebElement> {
    Ok(app
        .query(testid("timeline-entry"))
        .with_text(|t: &str| t.contains(NOTE))
        .desc("the timeline entry holding the logged note")
        .first()
        .await?)
}

/// Search for the new contact: the list narrows to them alone, and opening the row shows
/// their page.
async fn find_by_search(app: &App) -> Result<()> {
    let search = app.testid("search-input").await?;
    search.clear().await?;
    search.send_keys(SURNAME).await?;
    eventually(
        "the search to narrow the list to one contact",
        WAIT,
        || async {
            let rows = app.find_all(testid("contact-row")).await?;
            // textContent, not WebDriver's rendered text: WebKitWebDriver's text of a row
            // leaves the name out (it returned only "just now").
            let first = match rows.first() {
                Some(row) => row.prop("textContent").await?.unwrap_or_default(),
                None => String::new(),
            };
            Ok(rows.len() == 1 && first.contains(NAME))
        },
    )
    .await?;
    app.testid("contact-row").await?.click().await?;
    app.testid("contact-title")
        .await?
        .wait_until()
        .has_text(NAME)
        .await?;
    Ok(())
}
