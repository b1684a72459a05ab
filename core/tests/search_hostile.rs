//! Search with what the window's hostile-text test types: whatever the query holds, search
//! answers without a database error and finds the contact whose name holds the same text.

use chrono::{TimeZone, Utc};
use kith_core::archive::Archive;
use kith_core::Store;

#[test]
fn control_characters_in_a_query_are_word_breaks() {
    let mut store = Store::open_in_memory().unwrap();
    let archive = r#"{"contacts": [{"id": "c1", "name": "null\u0000byte bell\u0007ring"}]}"#;
    let now = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    store
        .import_archive(Archive::parse(archive, "hostile.json").unwrap(), now)
        .unwrap();
    for query in [
        "null\0byte",
        "null\0",
        "\0",
        "bell\u{7}ring",
        "byte\0\0\0bell",
    ] {
        let found = store
            .search(query)
            .unwrap_or_else(|e| panic!("{query:?} failed: {e}"));
        let ids: Vec<&str> = found.contacts.iter().map(|c| c.id.as_str()).collect();
        if query != "\0" {
            assert_eq!(ids, ["c1"], "{query:?}");
        }
    }
}
