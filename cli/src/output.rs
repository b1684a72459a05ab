//! Printing: lines, JSON, tables, and files written whole or not at all.

use kith_core::{ContactSummary, Error};
use std::io::Write;
use std::path::Path;

/// Prints a line to standard output; a closed pipe (`kith contacts | head`) ends quietly.
#[macro_export]
macro_rules! say {
    () => { $crate::say!("") };
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let mut out = std::io::stdout().lock();
        if writeln!(out, $($arg)*).is_err() {
            std::process::exit(0);
        }
    }};
}

/// Tells the person, on standard error, what opening the store found left by an interrupted
/// job and did about it.
pub fn tell_tidied(notes: &[String]) {
    for note in notes {
        eprintln!("kith: {note}");
    }
}

pub fn print_json<T: serde::Serialize>(value: &T) {
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    crate::say!("{text}");
}

pub fn contact_line(c: &ContactSummary) -> String {
    let roles: Vec<&str> = c.roles.iter().map(|r| r.as_str()).collect();
    let last = c
        .last_interaction_at
        .map(|t| t.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| "never".into());
    format!(
        "{:<28} {:<22} {:<34} last {}  ({} interactions)",
        one_line(&c.name, 28),
        roles.join(","),
        one_line(&c.organisation, 34),
        last,
        c.interaction_count
    )
}

/// Text on one line for a terminal: control characters (which could move the cursor or
/// recolour the screen) become spaces, and long text is cut with an ellipsis.
pub fn one_line(text: &str, max: usize) -> String {
    let flat: String = text
        .chars()
        .map(|c| {
            if c.is_control() || is_bidi_control(c) {
                ' '
            } else {
                c
            }
        })
        .collect();
    if flat.chars().count() <= max {
        flat
    } else {
        let cut: String = flat.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
}

/// Writes to the file, or to standard output. A file is written beside its final name and
/// renamed into place, so a failed export never leaves half a file.
pub fn write_out(out: Option<&Path>, bytes: &[u8]) -> Result<(), Error> {
    write_out_with(out, |w| w.write_all(bytes))
}

/// As `write_out`, with the content written by `write` as it is made, so a large export (the
/// JSON archive) is never held whole.
pub fn write_out_with(
    out: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Error> {
    match out {
        None => {
            let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
            match write(&mut stdout).and_then(|_| stdout.flush()) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                other => other.map_err(|e| Error::io("standard output", e)),
            }
        }
        Some(path) => kith_core::export::scope::write_file_with(path, write),
    }
}
