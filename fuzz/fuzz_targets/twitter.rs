#![no_main]

use kith_core::import::Format;
use kith_fuzz::{check, zip_of, TWITTER_FILES};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| check(
    Some(Format::Twitter),
    "twitter.zip",
    &zip_of(TWITTER_FILES, data)
));
