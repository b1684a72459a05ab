//! The capability in src-tauri/capabilities/default.json is in force: a page script can call
//! Kith's own commands and nothing else. Calls to Tauri's core plugins (window, app, path,
//! webview, event), to plugins Kith does not ship (file system, shell) and to made-up commands
//! are refused, in the same window where an allowed command answers.

use kith_e2e::prelude::*;
use serde_json::{json, Value};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn commands_outside_the_capability_are_refused() -> Result<()> {
    let app = App::launch().await?;

    // An allowed command answers: the same path is open for Kith's own commands.
    let stats = app
        .invoke("stats", json!({}))
        .await?
        .map_err(|e| format!("stats was refused: {e}"))?;
    assert_eq!(stats["contacts"], json!(0), "{stats}");

    let refused = [
        ("plugin:window|close", json!({})),
        ("plugin:window|set_title", json!({ "value": "pwned" })),
        ("plugin:webview|print", json!({})),
        ("plugin:app|version", json!({})),
        ("plugin:path|resolve_directory", json!({ "directory": 1 })),
        (
            "plugin:event|emit",
            json!({ "event": "kith://anything", "payload": null }),
        ),
        ("plugin:fs|read_text_file", json!({ "path": "/etc/passwd" })),
        // Kith ships the dialog plugin but opens dialogs only from Rust: the page cannot.
        (
            "plugin:dialog|open",
            json!({ "options": { "directory": false, "multiple": false } }),
        ),
        (
            "plugin:dialog|save",
            json!({ "options": { "defaultPath": "/tmp/x" } }),
        ),
        (
            "plugin:shell|execute",
            json!({ "program": "sh", "args": ["-c", "true"] }),
        ),
        ("delete_everything", json!({})),
        ("Stats", json!({})),
    ];
    for (command, args) in refused {
        let answer = app.invoke(command, args).await?;
        let err = match answer {
            Ok(v) => panic!("{command} was allowed and answered {v}"),
            Err(e) => e,
        };
        let message = match &err {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        println!("{command}: {message}");
        assert!(
            message.contains("not allowed") || message.contains("not found"),
            "{command} was refused with an unexpected error: {message}"
        );
    }

    // The window is still there, untouched, and still answers.
    let title: String = app
        .execute("return document.title;", vec![])
        .await?
        .convert()?;
    assert_ne!(title, "pwned");
    let again = app.invoke("stats", json!({})).await?;
    assert!(again.is_ok(), "stats after the refusals: {again:?}");

    app.close().await?;
    Ok(())
}
