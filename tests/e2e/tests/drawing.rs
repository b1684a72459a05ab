//! The window as the app draws it on this machine: without WebKit's compositing where there is
//! no GPU (the other window tests keep compositing on so that their screenshots work). The
//! sample network loads, a search finds a contact, their page opens, and both panes scroll.

use kith_e2e::prelude::*;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(15);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_window_works_drawn_as_the_app_chooses() -> Result<()> {
    let profile = Profile::new()?.drawing_as_the_app_chooses();
    profile.kith_ok(&["demo"])?;
    let app = App::launch_in(profile).await?;

    app.query(testid("contact-row"))
        .desc("the contacts list")
        .first()
        .await?;
    let rows = app.find_all(testid("contact-row")).await?;
    assert!(rows.len() > 10, "{} contact rows", rows.len());

    // A search narrows the list; the contact found opens with their timeline.
    app.testid("search-input").await?.send_keys("Pita").await?;
    eventually("the search to find one contact", WAIT, || async {
        let rows = app.find_all(testid("contact-row")).await?;
        let first = match rows.first() {
            Some(row) => row.prop("textContent").await?.unwrap_or_default(),
            None => String::new(),
        };
        Ok(rows.len() == 1 && first.contains("Pita"))
    })
    .await?;
    app.testid("contact-row").await?.click().await?;
    app.testid("contact-title")
        .await?
        .wait_until()
        .has_text("Pita Tuhiwai")
        .await?;
    app.query(testid("timeline-entry"))
        .desc("the contact's timeline")
        .first()
        .await?;
    app.find(By::XPath("//button[normalize-space()='Clear']"))
        .await?
        .click()
        .await?;
    eventually("the whole list to come back", WAIT, || async {
        Ok(app.find_all(testid("contact-row")).await?.len() > 10)
    })
    .await?;

    // Scroll both panes to their ends over a few frames each; the page keeps answering and
    // draws the rows that come into view.
    let seen: serde_json::Value = app
        .execute_async(
            "const done = arguments[0];
             const scroller = (el) => {
               while (el && !(el.scrollHeight > el.clientHeight
                              && /auto|scroll/.test(getComputedStyle(el).overflowY))) el = el.parentElement;
               return el;
             };
             const list = document.getElementById('contact-list');
             const pane = scroller(document.querySelector('[data-testid=timeline-entry]'));
             let n = 0;
             const tick = () => {
               for (const el of [list, pane]) if (el) el.scrollTop += 200;
               if (n++ < 30) { requestAnimationFrame(tick); return; }
               const last = [...document.querySelectorAll('[data-testid=contact-row]')].pop();
               done({ listMoved: list.scrollTop > 0,
                      lastRow: last ? last.textContent.trim().slice(0, 40) : null,
                      entries: document.querySelectorAll('[data-testid=timeline-entry]').length });
             };
             requestAnimationFrame(tick);",
            vec![],
        )
        .await?
        .convert()?;
    assert_eq!(seen["listMoved"], true, "{seen}");
    assert!(
        seen["lastRow"].as_str().is_some_and(|t| !t.is_empty()),
        "{seen}"
    );
    assert!(seen["entries"].as_u64().unwrap_or(0) > 0, "{seen}");

    app.close().await?;
    Ok(())
}
