//! A Bluesky account through the real window, against a private AT Protocol network this test
//! starts (the reference PLC directory and PDS): the account is added in Sidebar → Accounts with
//! its handle, app password, PDS and DID directory; "Sync now" reads the repositories; who
//! replied is offered in New people, and adding them puts their reply on their timeline.

#[path = "../../../core/tests/support/atproto.rs"]
mod atproto;

use kith_e2e::prelude::*;

const WAIT: Duration = Duration::from_secs(60);

fn account_part(part: &str) -> By {
    By::Css(format!(
        "[data-testid=account-row][data-name=\"Bluesky\"] [data-testid={part}]"
    ))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bluesky_account_is_added_synced_and_who_replied_becomes_a_contact() -> Result<()> {
    if !atproto::available() {
        return Ok(());
    }
    let mut net = atproto::Network::start();
    // Ann asked bob, whom she does not follow: he comes to New people, not straight in.
    let root = net.mention(
        "ann",
        &["bob"],
        "Has anyone moved their catalogue to FOLIO?",
    );
    net.reply("bob", &root, "We did last year, happy to talk");
    let app_password = net
        .account("ann")
        .app_password
        .clone()
        .expect("ann has an app password");
    let app = App::launch().await?;

    app.testid("nav-accounts").await?.click().await?;
    app.testid("accounts-empty").await?;
    app.testid("account-kind-bluesky").await?.click().await?;
    app.fill("account-name-input", "Bluesky").await?;
    app.fill("account-handle", "ann.test").await?;
    app.fill("account-password", &app_password).await?;
    app.fill("account-service", &net.pds).await?;
    app.fill("account-plc", &net.plc).await?;
    app.testid("account-add").await?.click().await?;
    // Adding signs in once: the row names the account by its handle.
    let where_ = app
        .query(account_part("account-where"))
        .wait(WAIT, Duration::from_millis(100))
        .first()
        .await?
        .text()
        .await?;
    assert_eq!(where_, "@ann.test");
    app.query(account_part("account-sync"))
        .first()
        .await?
        .click()
        .await?;
    // Without a secret store on this machine the app password was not kept: the window asks.
    let asked = app
        .query(testid("account-password-input"))
        .wait(Duration::from_secs(3), Duration::from_millis(100))
        .first()
        .await;
    if let Ok(field) = asked {
        field.send_keys(&app_password).await?;
        field.send_keys(Key::Enter).await?;
    }
    eventually("the sync to say what it brought", WAIT, || async {
        let said = app
            .query(account_part("account-last-sync"))
            .first()
            .await?
            .text()
            .await?;
        Ok(said.starts_with("Synced"))
    })
    .await?;
    let errors = app.driver().find_all(account_part("account-error")).await?;
    assert!(
        errors.is_empty(),
        "no problem after a good sync: {}",
        net.log()
    );
    app.screenshot("bluesky-synced").await?;

    // Bob replied but is not a contact yet: he waits in New people.
    app.testid("nav-new-people").await?.click().await?;
    let bob = app
        .query(By::XPath(
            "//*[@data-testid='new-person'][.//*[@data-testid='new-person-name'][text()='@bob.test']]",
        ))
        .wait(WAIT, Duration::from_millis(100))
        .first()
        .await?;
    app.screenshot("bluesky-new-people").await?;
    bob.find(By::Css("[data-testid=new-person-add]"))
        .await?
        .click()
        .await?;

    eventually(
        "bob to be a contact with the question and his reply",
        WAIT,
        || async {
            let found = app
                .invoke(
                    "list_contacts",
                    serde_json::json!({ "filter": { "query": "bob", "channel": "bluesky" } }),
                )
                .await?
                .map_err(|e| format!("list_contacts refused: {e}"))?;
            Ok(found.as_array().is_some_and(|l| {
                l.iter()
                    .any(|c| c["name"] == "@bob.test" && c["interaction_count"] == 2)
            }))
        },
    )
    .await?;
    app.testid("nav-contacts").await?.click().await?;
    app.query(By::XPath(
        "//*[@data-testid='contact-row'][contains(., '@bob.test')]",
    ))
    .wait(WAIT, Duration::from_millis(100))
    .first()
    .await?
    .click()
    .await?;
    let entry = app
        .query(testid("timeline-entry"))
        .wait(WAIT, Duration::from_millis(100))
        .first()
        .await?;
    assert!(
        entry.text().await?.contains("happy to talk"),
        "his reply is on his timeline"
    );
    app.screenshot("bluesky-contact").await?;
    app.close().await?;
    Ok(())
}
