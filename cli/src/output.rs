//! Printing: lines, JSON, tables, all safe for a terminal, and files written whole or not at
//! all.

use kith_core::{ContactSummary, Error};
use std::borrow::Cow;
use std::io::Write;
use std::path::Path;

/// Prints a line to standard output; a closed pipe (`kith contacts | head`) ends quietly.
/// The line goes through [`terminal_safe`]: every line the CLI prints may hold imported text.
#[macro_export]
macro_rules! say {
    () => { $crate::say!("") };
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let line = format!($($arg)*);
        let mut out = std::io::stdout().lock();
        if writeln!(out, "{}", $crate::output::terminal_safe(&line)).is_err() {
            std::process::exit(0);
        }
    }};
}

/// Prints a line to standard error, through [`terminal_safe`] like [`say!`].
#[macro_export]
macro_rules! tell {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let line = format!($($arg)*);
        let _ = writeln!(std::io::stderr().lock(), "{}", $crate::output::terminal_safe(&line));
    }};
}

/// Text made harmless for a terminal. Imported names, notes and messages can hold escape
/// sequences that recolour or clear the screen, write to the clipboard (OSC 52), hide links
/// (OSC 8) or reorder what is shown; here every control character is shown instead of obeyed:
/// C0 controls (line breaks and tabs included) and DEL as their Unicode control pictures
/// (ESC as `␛`), C1 controls and bidirectional overrides, embeddings, isolates and marks as
/// `<U+009B>`. Text without any comes back borrowed.
pub fn terminal_safe(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_showing) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '\u{0}'..='\u{1f}' => out.push(char::from_u32(0x2400 + c as u32).unwrap_or('?')),
            '\u{7f}' => out.push('\u{2421}'),
            c if needs_showing(c) => out.push_str(&format!("<U+{:04X}>", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn needs_showing(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

/// Tells the person, on standard error, what opening the store found left by an interrupted
/// job and did about it.
pub fn tell_tidied(notes: &[String]) {
    for note in notes {
        tell!("kith: {note}");
    }
}

/// JSON for the terminal: what `serde_json` leaves as it is but a terminal would obey (DEL,
/// C1 controls, bidirectional controls; they only occur inside strings) is written as a
/// `\uXXXX` escape, which reads back as the same text. C0 controls inside strings are
/// already escaped by `serde_json`; outside them they are the layout's line breaks, kept.
pub fn terminal_safe_json(json: &str) -> Cow<'_, str> {
    let obeyed = |c: char| needs_showing(c) && c >= ' ';
    if !json.chars().any(obeyed) {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if obeyed(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

pub fn print_json<T: serde::Serialize>(value: &T) {
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    let text = terminal_safe_json(&text);
    let mut out = std::io::stdout().lock();
    if writeln!(out, "{text}").is_err() {
        std::process::exit(0);
    }
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

/// Text on one line for a terminal: line breaks and tabs become spaces, other control
/// characters are shown as [`terminal_safe`] shows them, and long text is cut with an
/// ellipsis.
pub fn one_line(text: &str, max: usize) -> String {
    let spaced: String = text
        .chars()
        .map(|c| {
            if matches!(c, '\n' | '\r' | '\t') {
                ' '
            } else {
                c
            }
        })
        .collect();
    let flat = terminal_safe(&spaced).into_owned();
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

/// Writes to the file, or to standard output. A file already there is only replaced with
/// `force`; see [`kith_core::files`].
pub fn write_out(out: Option<&Path>, force: bool, bytes: &[u8]) -> Result<(), Error> {
    match out {
        None => write_stdout(|w| w.write_all(bytes)),
        Some(path) => kith_core::files::write_file(path, force, bytes),
    }
}

/// Writes to standard output what `write` produces as it is made, so a large export (the JSON
/// archive) is never held whole. A closed pipe is not an error. When standard output is a
/// terminal the text is shown line by line through [`terminal_safe`] instead, as everything
/// else the CLI prints.
pub fn write_stdout(
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Error> {
    use std::io::IsTerminal;
    let written = if std::io::stdout().is_terminal() {
        let mut bytes = Vec::new();
        write(&mut bytes).map(|()| {
            let text = String::from_utf8_lossy(&bytes);
            for line in text.lines() {
                crate::say!("{line}");
            }
        })
    } else {
        let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
        write(&mut stdout).and_then(|()| stdout.flush())
    };
    match written {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.map_err(|e| Error::io("standard output", e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_keeps_its_layout_and_escapes_what_a_terminal_obeys() {
        let value = serde_json::json!({"name": "Zed\u{1b}[2J\u{9b}31m\u{202e}", "n": 1});
        let text = serde_json::to_string_pretty(&value).unwrap();
        let shown = terminal_safe_json(&text);
        assert!(shown.contains('\n'), "{shown}");
        assert!(!shown.contains(['\u{1b}', '\u{9b}', '\u{202e}']), "{shown}");
        let back: serde_json::Value = serde_json::from_str(&shown).unwrap();
        assert_eq!(back, value);
    }

    #[test]
    fn control_characters_are_shown_not_passed_on() {
        assert_eq!(terminal_safe("plain text"), Cow::Borrowed("plain text"));
        assert_eq!(
            terminal_safe("a\u{1b}]52;c;eA==\u{7}b\u{9b}c\u{202e}"),
            "a\u{241b}]52;c;eA==\u{2407}b<U+009B>c<U+202E>"
        );
    }
}
