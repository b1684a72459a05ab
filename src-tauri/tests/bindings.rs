//! The TypeScript bindings the UI imports are generated from the Rust commands and types.
//! This test regenerates them and fails when the committed copy differs, so the UI can never
//! call a command with a shape the backend no longer has. Set `KITH_WRITE_BINDINGS=1` to
//! write the fresh copy instead.

use std::path::PathBuf;

#[test]
fn typescript_bindings_match_the_rust_types() {
    let committed = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../ui/src/bindings.ts");
    let fresh_dir = tempfile::tempdir().expect("temp dir");
    let fresh = fresh_dir.path().join("bindings.ts");
    kith_app::export_bindings(&fresh).expect("export bindings");
    let fresh_text = std::fs::read_to_string(&fresh).expect("read fresh bindings");
    if std::env::var_os("KITH_WRITE_BINDINGS").is_some() {
        std::fs::write(&committed, &fresh_text).expect("write bindings");
        return;
    }
    let committed_text = std::fs::read_to_string(&committed).unwrap_or_default();
    assert!(
        committed_text == fresh_text,
        "ui/src/bindings.ts is out of date with the Rust commands and types.\n\
         Regenerate it with: KITH_WRITE_BINDINGS=1 cargo test -p kith-app --test bindings"
    );
}
