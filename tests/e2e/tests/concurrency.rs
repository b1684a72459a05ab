//! The app and the CLI write to the same store at once. The page fires 1,000 backend calls
//! together (600 `save_interaction` writes, 200 contact-list reads, 200 searches) while
//! `kith log` processes write beside it. No call may fail with "database is locked" (or any
//! other error), and afterwards every write is in the store.

use kith_e2e::prelude::*;
use serde_json::{json, Value};
use std::time::Instant;

const UI_CALLS: usize = 1_000;
/// Every fifth call reads the contact list, every fifth searches; the rest write.
const UI_WRITES: usize = UI_CALLS * 3 / 5;
/// `kith log` processes running side by side, and how many writes each makes in turn.
const CLI_WORKERS: usize = 4;
const CLI_WRITES_EACH: usize = 30;

const NETWORK: &str = r#"{"format": "kith-archive", "version": 1,
  "contacts": [{"id": "ann", "name": "Ann Lee", "handles": {"email": "ann@example.org"}},
               {"id": "bo", "name": "Bo Chen", "handles": {"mastodon": "@bo@glammr.us"}}]}"#;

/// Run in the page: all calls at once, each settled, with what failed and how.
const BURST: &str = r#"
    const done = arguments[arguments.length - 1];
    const total = arguments[0];
    const invoke = window.__TAURI_INTERNALS__.invoke;
    const calls = [];
    for (let n = 0; n < total; n++) {
        let call;
        if (n % 5 === 3) call = invoke("list_contacts", { filter: { query: null, role: null, channel: null, tag: null } });
        else if (n % 5 === 4) call = invoke("search", { query: n % 2 ? "Ann" : "concurrent" });
        else call = invoke("save_interaction", { draft: {
            contact_ids: [n % 2 ? "ann" : "bo"], channel: "mastodon", direction: "outbound",
            occurred_at: "2026-09-01T10:00:00Z", text: "concurrent page write " + n } });
        calls.push(call);
    }
    const started = performance.now();
    Promise.allSettled(calls).then((results) => {
        const errors = results.filter((r) => r.status === "rejected").map((r) => r.reason);
        const ids = results
            .filter((r, n) => r.status === "fulfilled" && n % 5 < 3)
            .map((r) => r.value.id);
        done({ ms: performance.now() - started, errors: errors.slice(0, 10), failed: errors.length,
               written: ids.length, distinct: new Set(ids).size });
    });
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_and_the_cli_write_at_once() -> Result<()> {
    let profile = Profile::new()?;
    let network = profile.dir().join("network.json");
    std::fs::write(&network, NETWORK)?;
    profile.kith_ok(&["import", network.to_str().ok_or("path")?])?;
    let app = App::launch_in(profile).await?;
    app.testid("contact-row").await?;
    // A burst of 1,000 calls can take longer than WebDriver's default script timeout.
    app.set_script_timeout(Duration::from_secs(120)).await?;

    let before = stats(&app).await?;

    // The CLI writers, started first and running through the page's burst.
    let mut commands = Vec::new();
    for worker in 0..CLI_WORKERS {
        let mut lines = Vec::new();
        for n in 0..CLI_WRITES_EACH {
            let mut c = app.profile().kith_command()?;
            c.args([
                "log",
                "--contact",
                if n % 2 == 0 { "ann" } else { "@bo@glammr.us" },
                "--channel",
                "email",
                "--at",
                "2026-09-02T10:00:00Z",
                &format!("concurrent cli write {worker}-{n}"),
            ]);
            lines.push(c);
        }
        commands.push(lines);
    }
    let epoch = Instant::now();
    let writers: Vec<_> = commands
        .into_iter()
        .map(|lines| {
            std::thread::spawn(move || {
                let mut runs = Vec::new();
                for mut c in lines {
                    let start = epoch.elapsed();
                    let out = c.output();
                    runs.push((start, epoch.elapsed(), out));
                }
                runs
            })
        })
        .collect();

    let burst_start = epoch.elapsed();
    let result: Value = app
        .execute_async(BURST, vec![json!(UI_CALLS)])
        .await?
        .convert()?;
    let burst_end = epoch.elapsed();

    let mut cli_ok = 0;
    let mut during_burst = 0;
    for writer in writers {
        let runs = writer.join().map_err(|_| "a CLI writer thread panicked")?;
        for (start, end, out) in runs {
            let out = out?;
            assert!(
                out.status.success(),
                "kith log failed ({}): {}",
                out.status,
                String::from_utf8_lossy(&out.stderr)
            );
            cli_ok += 1;
            if start < burst_end && end > burst_start {
                during_burst += 1;
            }
        }
    }
    println!(
        "{UI_CALLS} page calls in {:.0} ms (browser clock), {} CLI writes, {during_burst} of them during the burst",
        result["ms"].as_f64().unwrap_or(0.0),
        cli_ok
    );

    assert_eq!(
        result["failed"],
        json!(0),
        "page calls failed: {}",
        result["errors"]
    );
    assert_eq!(result["written"], json!(UI_WRITES), "{result}");
    assert_eq!(result["distinct"], json!(UI_WRITES), "{result}");
    assert_eq!(cli_ok, CLI_WORKERS * CLI_WRITES_EACH);
    assert!(
        during_burst > 0,
        "no CLI write overlapped the page's burst, so this proved nothing"
    );

    // Every write is there: in the app, and seen from the CLI.
    let after = stats(&app).await?;
    let expected = before + UI_WRITES as u64 + cli_ok as u64;
    assert_eq!(
        after, expected,
        "interactions before {before}, after {after}"
    );
    let cli: Value = serde_json::from_str(&app.profile().kith_ok(&["stats", "--json"])?)?;
    assert_eq!(cli["interactions"], json!(expected));

    app.close().await?;
    Ok(())
}

async fn stats(app: &App) -> Result<u64> {
    let stats = app
        .invoke("stats", json!({}))
        .await?
        .map_err(|e| format!("stats failed: {e}"))?;
    stats["interactions"]
        .as_u64()
        .ok_or_else(|| format!("stats answered {stats}").into())
}
