#![no_main]

//! Detection, then the import of whatever was detected: the path a file takes when the user
//! does not name its format.

use kith_fuzz::{check, DETECT_NAMES};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some((pick, content)) = data.split_first() {
        let name = DETECT_NAMES[usize::from(*pick) % DETECT_NAMES.len()];
        check(None, name, content);
    }
});
