#![no_main]

use kith_core::import::Format;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| kith_fuzz::check(Some(Format::Csv), "contacts.csv", data));
