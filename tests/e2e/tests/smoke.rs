//! The window opens on the bundled UI, titled "Kith", and shows the app.

use kith_e2e::prelude::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn window_opens_on_the_app() -> Result<()> {
    let app = App::launch().await?;

    assert_eq!(app.title().await?, "Kith");

    // An empty store shows the welcome view with its sample-data button; either way the
    // app shell with its "new contact" button is there once the UI has started.
    app.query(testid("load-demo-button"))
        .or(testid("new-contact-button"))
        .desc("the app's welcome view or its sidebar")
        .first()
        .await?;

    let shot = app.screenshot("smoke").await?;
    let png = std::fs::read(&shot)?;
    assert!(
        png.starts_with(b"\x89PNG\r\n\x1a\n"),
        "{} is not a PNG",
        shot.display()
    );

    app.close().await?;
    Ok(())
}
