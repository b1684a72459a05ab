//! A mailbox through the real window, against a real IMAP server this test starts (Dovecot,
//! over TLS with a self-signed certificate the account is told to trust): the account is added
//! in Sidebar → Accounts with its password, synced with "Sync now", the sender of a real
//! message is offered in New people, and adding them brings that message onto their timeline.

#[path = "../../../core/tests/support/dovecot.rs"]
mod dovecot;

use kith_e2e::prelude::*;
use kith_e2e::workspace_root;

const WAIT: Duration = Duration::from_secs(30);
const ME: &str = "librarian@example.org";
/// The sender of tests/fixtures/real/mail/dovecot-011.eml.
const SENDER: &str = "dummy@xyz-webserver.abcd-gestion.local";

fn account_part(part: &str) -> By {
    By::Css(format!(
        "[data-testid=account-row][data-name=\"Work\"] [data-testid={part}]"
    ))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mailbox_is_added_synced_and_its_sender_becomes_a_contact() -> Result<()> {
    if !dovecot::available() {
        return Ok(());
    }
    let server = dovecot::Dovecot::start();
    let mail = workspace_root().join("tests/fixtures/real/mail");
    server.append(
        "INBOX",
        &[&mail.join("dovecot-011.eml"), &mail.join("dovecot-015.eml")],
    );
    let app = App::launch().await?;

    app.testid("nav-accounts").await?.click().await?;
    app.testid("accounts-empty").await?;
    app.testid("account-kind-imap").await?.click().await?;
    app.fill("account-name-input", "Work").await?;
    app.fill("account-host", "127.0.0.1").await?;
    app.fill("account-port", &server.tls_port.to_string())
        .await?;
    app.fill("account-user", dovecot::USER).await?;
    // The form takes a password only where Kith can keep one (the system's secret store, or a
    // store locked with a passphrase); otherwise it says the password is asked at each sync.
    if !app
        .driver()
        .find_all(testid("account-password"))
        .await?
        .is_empty()
    {
        app.fill("account-password", dovecot::PASSWORD).await?;
    }
    app.fill("account-addresses", ME).await?;
    app.fill("account-ca-file", &server.cert().display().to_string())
        .await?;
    app.testid("account-add").await?.click().await?;
    app.query(account_part("account-sync"))
        .wait(WAIT, Duration::from_millis(100))
        .first()
        .await?
        .click()
        .await?;
    // Without a secret store on this machine the password was not kept: the window asks.
    let asked = app
        .query(testid("account-password-input"))
        .wait(Duration::from_secs(3), Duration::from_millis(100))
        .first()
        .await;
    if let Ok(field) = asked {
        field.send_keys(dovecot::PASSWORD).await?;
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
        server.log()
    );
    app.screenshot("mailbox-synced").await?;

    // Nobody in the mail is a contact yet: the sender waits in New people.
    app.testid("nav-new-people").await?.click().await?;
    let person = app
        .query(By::XPath(format!(
            "//*[@data-testid='new-person'][.//*[@data-testid='new-person-handle'][text()='{SENDER}']]"
        )))
        .wait(WAIT, Duration::from_millis(100))
        .first()
        .await?;
    assert!(
        person.text().await?.contains("127.0.0.1"),
        "where they were seen is said"
    );
    app.screenshot("mailbox-new-people").await?;
    person
        .find(By::Css("[data-testid=new-person-add]"))
        .await?
        .click()
        .await?;

    // Added, they are a contact with the message that was held for them.
    eventually(
        "the sender to be a contact with their message",
        WAIT,
        || async {
            let found = app
                .invoke(
                    "list_contacts",
                    serde_json::json!({ "filter": { "query": "Dummy" } }),
                )
                .await?
                .map_err(|e| format!("list_contacts refused: {e}"))?;
            Ok(found.as_array().is_some_and(|l| {
                l.iter()
                    .any(|c| c["name"] == "Dummy" && c["interaction_count"] == 1)
            }))
        },
    )
    .await?;
    app.testid("nav-contacts").await?.click().await?;
    app.query(By::XPath(
        "//*[@data-testid='contact-row'][contains(., 'Dummy')]",
    ))
    .wait(WAIT, Duration::from_millis(100))
    .first()
    .await?
    .click()
    .await?;
    app.query(testid("timeline-entry"))
        .wait(WAIT, Duration::from_millis(100))
        .first()
        .await?;
    app.screenshot("mailbox-contact").await?;
    app.close().await?;
    Ok(())
}
