//! The window may call a command only when it is registered (lib.rs, and so in the generated
//! bindings), named in the app manifest (build.rs, which makes its `allow-…` permission) and
//! allowed in the main window's capability (capabilities/default.json). A command missing
//! from either list compiles, passes every browser test against the fake backend, and fails
//! only in the real window ("… not allowed. Command not found"). This test holds the three
//! lists equal.

use std::collections::BTreeSet;
use std::path::PathBuf;

fn read(path: &str) -> String {
    let full = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
}

/// The quoted names after each `marker` in `text`: `__TAURI_INVOKE("name"` → `name`.
fn quoted_after(text: &str, marker: &str) -> BTreeSet<String> {
    text.split(marker)
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_string)
        .collect()
}

#[test]
fn every_command_the_window_may_call_is_registered_named_and_allowed() {
    let registered = quoted_after(&read("../ui/src/bindings.ts"), "__TAURI_INVOKE(\"");
    assert!(registered.len() > 50, "the bindings name the commands");

    let build = read("build.rs");
    let manifest_list = build
        .split(".commands(&[")
        .nth(1)
        .and_then(|rest| rest.split("])").next())
        .expect("build.rs lists the app's commands");
    let named: BTreeSet<String> = quoted_after(manifest_list, "\"")
        .into_iter()
        .filter(|s| !s.trim().is_empty() && !s.contains(','))
        .collect();

    let capability: serde_json::Value =
        serde_json::from_str(&read("capabilities/default.json")).expect("a JSON capability");
    let allowed: BTreeSet<String> = capability["permissions"]
        .as_array()
        .expect("a list of permissions")
        .iter()
        .filter_map(|p| p.as_str()?.strip_prefix("allow-"))
        .map(|p| p.replace('-', "_"))
        .collect();

    fn missing<'a>(
        registered: &'a BTreeSet<String>,
        from: &'a BTreeSet<String>,
    ) -> Vec<&'a String> {
        registered.difference(from).collect()
    }
    assert!(
        missing(&registered, &named).is_empty(),
        "registered but not in build.rs: {:?}",
        missing(&registered, &named)
    );
    assert!(
        missing(&registered, &allowed).is_empty(),
        "registered but not allowed in capabilities/default.json: {:?}",
        missing(&registered, &allowed)
    );
    assert_eq!(named, registered, "build.rs names only registered commands");
    assert_eq!(
        allowed, registered,
        "the capability allows only registered commands"
    );
}
