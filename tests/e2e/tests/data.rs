//! Files in and out through the real window and the real backend: import a vCard file from a
//! typed path (preview first, which writes nothing), export everyone as vCard, be asked before
//! the file is replaced, and read the export back into a fresh store with the CLI.

use kith_e2e::prelude::*;
use kith_e2e::workspace_root;

const WAIT: Duration = Duration::from_secs(30);

fn contacts_in(profile: &Profile, db: Option<&std::path::Path>) -> Result<u64> {
    let mut args = vec!["stats", "--json"];
    let db_arg;
    if let Some(db) = db {
        db_arg = db.display().to_string();
        args.splice(0..0, ["--db", db_arg.as_str()]);
    }
    let out = profile.kith_ok(&args)?;
    let v: serde_json::Value = serde_json::from_str(&out)?;
    v["contacts"]
        .as_u64()
        .ok_or_else(|| format!("no contact count in {out}").into())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_a_vcard_then_export_and_read_it_back() -> Result<()> {
    let app = App::launch().await?;
    let vcf = workspace_root().join("tests/fixtures/import/vcard/gmail-list.vcf");

    // Preview: says what would come in, writes nothing.
    app.testid("nav-import").await?.click().await?;
    app.fill("import-path", &vcf.display().to_string()).await?;
    app.testid("import-preview").await?.click().await?;
    let preview = app.testid("import-preview-result").await?;
    preview.wait_until().displayed().await?;
    let said = preview.text().await?;
    assert!(
        said.contains('3'),
        "the preview counts three contacts: {said:?}"
    );
    assert_eq!(
        contacts_in(app.profile(), None)?,
        0,
        "a preview writes nothing"
    );
    app.screenshot("data-import-preview").await?;

    // Import for real.
    app.testid("import-run").await?.click().await?;
    app.testid("import-done")
        .await?
        .wait_until()
        .displayed()
        .await?;
    eventually("the import reaches the store", WAIT, || async {
        Ok(contacts_in(app.profile(), None)? == 3)
    })
    .await?;
    app.screenshot("data-import-done").await?;

    // Export everyone as vCard to a typed path.
    let out = app.profile().dir().join("exported.vcf");
    app.testid("export-button").await?.click().await?;
    app.testid("export-dialog").await?;
    app.find(By::XPath(
        "//*[@data-testid='export-format']//label[contains(., 'Address book (vCard)')]",
    ))
    .await?
    .click()
    .await?;
    app.fill("export-path", &out.display().to_string()).await?;
    app.testid("export-run").await?.click().await?;
    let result = app.testid("export-result").await?;
    result.wait_until().displayed().await?;
    assert!(
        result.text().await?.contains("Exported 3 contacts"),
        "{:?}",
        result.text().await?
    );
    app.testid("export-close").await?.click().await?;
    let first = std::fs::read_to_string(&out)?;
    assert_eq!(first.matches("BEGIN:VCARD").count(), 3, "{first}");

    // The same path again: the app asks, and only a yes replaces the file.
    app.testid("export-button").await?.click().await?;
    app.find(By::XPath(
        "//*[@data-testid='export-format']//label[contains(., 'Address book (vCard)')]",
    ))
    .await?
    .click()
    .await?;
    app.fill("export-path", &out.display().to_string()).await?;
    app.testid("export-run").await?.click().await?;
    // The question appears once the export has answered `exists`.
    eventually("the question about replacing the file", WAIT, || async {
        let confirm = app.testid("confirm-dialog").await?;
        Ok(confirm.text().await?.contains("already exists"))
    })
    .await?;
    app.screenshot("data-export-replace").await?;
    app.testid("confirm-yes").await?.click().await?;
    app.testid("export-result")
        .await?
        .wait_until()
        .displayed()
        .await?;

    // Read back into a fresh store with the CLI: the same three people.
    let fresh = app.profile().dir().join("fresh.sqlite3");
    let fresh_arg = fresh.display().to_string();
    let out_arg = out.display().to_string();
    app.profile()
        .kith_ok(&["--db", &fresh_arg, "import", &out_arg])?;
    assert_eq!(contacts_in(app.profile(), Some(&fresh))?, 3);
    app.close().await?;
    Ok(())
}
