//! Text clean-up shared by the exporters. Imported text can hold anything; formats that cannot
//! carry control characters get them removed here, before their own escaping.

/// Line breaks normalised to `\n`; other control characters (C0 except tab, DEL, C1) removed.
/// Everything else, including bidirectional marks, zero-width characters and emoji, is kept:
/// it is the user's data.
pub(crate) fn clean(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push('\n');
                }
            }
            '\n' | '\t' => out.push(c),
            // NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR are line breaks too.
            '\u{85}' | '\u{2028}' | '\u{2029}' => out.push('\n'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// [`clean`], then on one line: line breaks and tabs become spaces.
pub(crate) fn one_line(s: &str) -> String {
    clean(s)
        .chars()
        .map(|c| if c == '\n' || c == '\t' { ' ' } else { c })
        .collect()
}

/// Invisible characters that change how surrounding text is displayed: bidirectional
/// embeddings, overrides, isolates and marks, zero-width spaces and the byte order mark.
/// Zero-width (non-)joiners are not here: scripts and emoji sequences need them.
pub(crate) fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'
            | '\u{2066}'..='\u{2069}'
            | '\u{061C}'
            | '\u{FEFF}'
    )
}

/// Percent-encodes everything but unreserved URI characters and those in `keep`.
pub(crate) fn percent_encode(s: &str, keep: &[char]) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~') || keep.contains(&c) {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

/// The text [`percent_encode`] encoded; `None` when an escape is broken or the bytes are not
/// UTF-8.
pub(crate) fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut k = 0;
    while k < bytes.len() {
        if bytes[k] == b'%' {
            let hex = s.get(k + 1..k + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            k += 3;
        } else {
            out.push(bytes[k]);
            k += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_decoding_undoes_encoding() {
        for s in ["c-ana", "sample-c1", "a b/ç?#%🦉", ""] {
            assert_eq!(percent_decode(&percent_encode(s, &[])).as_deref(), Some(s));
        }
        assert_eq!(percent_decode("%zz"), None);
        assert_eq!(percent_decode("%4"), None);
        assert_eq!(percent_decode("%FF"), None);
    }

    #[test]
    fn clean_normalises_line_breaks_and_drops_controls() {
        assert_eq!(clean("a\r\nb\rc\nd"), "a\nb\nc\nd");
        assert_eq!(
            clean("a\u{0}b\u{7}c\u{1b}[31md\u{7f}e\u{9b}f"),
            "abc[31mdef"
        );
        assert_eq!(clean("x\u{2028}y\u{85}z"), "x\ny\nz");
        assert_eq!(clean("tab\there"), "tab\there");
    }

    #[test]
    fn clean_keeps_unicode_data() {
        let s = "Zoë \u{202E}txt.exe \u{200B}🦉 👩‍💻 مرحبا";
        assert_eq!(clean(s), s);
    }

    #[test]
    fn one_line_flattens() {
        assert_eq!(one_line("a\nb\r\nc\td"), "a b c d");
    }

    #[test]
    fn percent_encoding_keeps_unreserved_only() {
        assert_eq!(percent_encode("ana ruiz/é?", &[]), "ana%20ruiz%2F%C3%A9%3F");
        assert_eq!(percent_encode("@ana", &['@']), "@ana");
    }
}
