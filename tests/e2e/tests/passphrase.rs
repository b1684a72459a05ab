//! A store locked with a passphrase, in the real window: the app shows only the unlock page, a
//! wrong passphrase is refused, the right one opens the network, and a passphrase changed in the
//! app is the one the `kith` command then needs.

use kith_e2e::prelude::*;

const WAIT: Duration = Duration::from_secs(30);

async fn fill(app: &App, id: &str, text: &str) -> Result<()> {
    let field = app.testid(id).await?;
    field.clear().await?;
    field.send_keys(text).await?;
    Ok(())
}

fn kith_with(
    profile: &Profile,
    env: &[(&str, &str)],
    args: &[&str],
) -> Result<std::process::Output> {
    let mut command = profile.kith_command()?;
    command
        .env_remove("KITH_PASSPHRASE")
        .env_remove("KITH_NEW_PASSPHRASE");
    for (k, v) in env {
        command.env(k, v);
    }
    Ok(command.args(args).output()?)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_locked_store_opens_with_its_passphrase_and_the_app_can_change_it() -> Result<()> {
    let profile = Profile::new()?;
    profile.kith_ok(&["demo"])?;
    let set = kith_with(
        &profile,
        &[("KITH_NEW_PASSPHRASE", "tuatara at dawn")],
        &["passphrase", "set"],
    )?;
    assert!(
        set.status.success(),
        "{}",
        String::from_utf8_lossy(&set.stderr)
    );

    let app = App::launch_in(profile).await?;
    let unlock = app.testid("unlock").await?;
    unlock.wait_until().displayed().await?;
    assert!(
        app.find_all(By::Css("[data-testid=contact-row]"))
            .await?
            .is_empty(),
        "nothing of the network shows while it is locked"
    );

    fill(&app, "unlock-passphrase", "tuatara at dusk").await?;
    app.testid("unlock-button").await?.click().await?;
    let error = app.testid("unlock-error").await?;
    error.wait_until().displayed().await?;
    let said = error.text().await?;
    assert!(said.contains("does not open this store"), "{said:?}");
    app.screenshot("passphrase-unlock-wrong").await?;

    fill(&app, "unlock-passphrase", "tuatara at dawn").await?;
    app.testid("unlock-button").await?.click().await?;
    eventually("the network shows once unlocked", WAIT, || async {
        Ok(!app
            .find_all(By::Css("[data-testid=contact-row]"))
            .await?
            .is_empty())
    })
    .await?;
    app.screenshot("passphrase-unlocked").await?;

    // Change it from the app; the app keeps working under the new one.
    app.testid("passphrase-button").await?.click().await?;
    app.testid("passphrase-dialog").await?;
    fill(&app, "passphrase-current", "tuatara at dawn").await?;
    fill(&app, "passphrase-next", "kea in the snow").await?;
    fill(&app, "passphrase-again", "kea in the snow").await?;
    app.testid("passphrase-change").await?.click().await?;
    let done = app.testid("passphrase-done").await?;
    done.wait_until().displayed().await?;
    let said = done.text().await?;
    assert!(said.contains("new passphrase"), "{said:?}");
    app.screenshot("passphrase-changed").await?;
    let stats = app.invoke("stats", serde_json::json!({})).await?;
    assert!(stats.is_ok(), "the app's store is open again: {stats:?}");

    let profile = app.close().await?;
    let old = kith_with(
        &profile,
        &[("KITH_PASSPHRASE", "tuatara at dawn")],
        &["stats"],
    )?;
    assert!(
        !old.status.success(),
        "the old passphrase no longer opens it"
    );
    let new = kith_with(
        &profile,
        &[("KITH_PASSPHRASE", "kea in the snow")],
        &["stats", "--json"],
    )?;
    assert!(
        new.status.success(),
        "{}",
        String::from_utf8_lossy(&new.stderr)
    );
    let bytes = std::fs::read(profile.db_path())?;
    assert!(
        !bytes.starts_with(b"SQLite format 3"),
        "the file is encrypted"
    );
    Ok(())
}
