#![no_main]

use kith_core::import::Format;
use kith_fuzz::{check, zip_of, MASTODON_FILES};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| check(
    Some(Format::Mastodon),
    "mastodon.zip",
    &zip_of(MASTODON_FILES, data)
));
