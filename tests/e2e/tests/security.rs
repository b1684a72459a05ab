//! The security settings in tauri.conf.json are in force in the real window: the content
//! security policy refuses eval and inline scripts, Object.prototype is frozen, and no
//! Tauri global is exposed to page scripts. Imported text is shown in this window, so these
//! are what stop a hostile note from running code.

use kith_e2e::prelude::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn page_scripts_are_locked_down() -> Result<()> {
    let app = App::launch().await?;

    let (eval, inline, frozen, global): (String, String, bool, String) = app
        .execute_async(
            r#"
            const done = arguments[arguments.length - 1];
            let evalResult;
            try { evalResult = String(eval("1 + 1")); } catch (e) { evalResult = "refused"; }
            // An injected inline script: it would set the marker if the CSP let it run.
            window.__kithInlineRan = false;
            const s = document.createElement("script");
            s.textContent = "window.__kithInlineRan = true;";
            document.head.appendChild(s);
            requestAnimationFrame(() => done([
                evalResult,
                window.__kithInlineRan ? "ran" : "refused",
                Object.isFrozen(Object.prototype),
                typeof window.__TAURI__,
            ]));
            "#,
            Vec::new(),
        )
        .await?
        .convert()?;

    assert_eq!(eval, "refused", "eval must be refused by the CSP");
    assert_eq!(
        inline, "refused",
        "inline scripts must be refused by the CSP"
    );
    assert!(frozen, "Object.prototype must be frozen (freezePrototype)");
    assert_eq!(
        global, "undefined",
        "window.__TAURI__ must not exist (withGlobalTauri)"
    );

    app.close().await?;
    Ok(())
}
