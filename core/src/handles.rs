//! Handles (email addresses, phone numbers, accounts, links) in the one form they are matched
//! in. A leaf: the store, the importers and attendee matching all use it, and it uses nothing.

/// The form of a handle used for matching: lower case, no leading `@`, no `mailto:`, no
/// scheme or trailing slash on URLs.
pub fn normalize_handle(value: &str) -> String {
    let v = value.trim().to_lowercase();
    let v = v.strip_prefix("mailto:").unwrap_or(&v);
    let v = v
        .strip_prefix("https://")
        .or_else(|| v.strip_prefix("http://"))
        .unwrap_or(v);
    let v = v.strip_prefix("www.").unwrap_or(v);
    v.trim_start_matches('@').trim_end_matches('/').to_string()
}

/// A Bluesky handle as the AT Protocol spells it (`ann.bsky.social`), however it was written:
/// `@ann.bsky.social`, `at://ann.bsky.social`, the profile's address in the app, any case.
/// A DID is kept as it is, lower case.
pub fn bluesky_handle(value: &str) -> String {
    let h = value.trim();
    let h = h.strip_prefix("at://").unwrap_or(h);
    // A profile's address, as people copy it from the app.
    let h = h
        .strip_prefix("https://bsky.app/profile/")
        .unwrap_or(h)
        .trim_end_matches('/');
    h.trim_start_matches('@')
        .trim_end_matches('.')
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_one_handle_match() {
        for v in [
            "Ada@Example.org",
            "mailto:ada@example.org",
            " @ada@example.org ",
        ] {
            assert_eq!(normalize_handle(v), "ada@example.org", "{v}");
        }
        assert_eq!(
            normalize_handle("https://www.example.org/ada/"),
            "example.org/ada"
        );
    }

    #[test]
    fn spellings_of_one_bluesky_handle_match() {
        for v in [
            "ann.bsky.social",
            "@Ann.bsky.social",
            "at://ann.bsky.social",
            "https://bsky.app/profile/ann.bsky.social/",
        ] {
            assert_eq!(bluesky_handle(v), "ann.bsky.social", "{v}");
        }
    }
}
