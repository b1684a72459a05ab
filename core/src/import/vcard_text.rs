//! A vCard file's bytes as text, whatever program wrote it.
//!
//! Address books write vCards in many encodings: UTF-8 (with or without a byte-order mark),
//! UTF-16 with a byte-order mark (Outlook's "Unicode" export), the Windows code page of the
//! machine (Outlook's Windows-1252 and Windows-1251, often undeclared), Shift_JIS from Japanese
//! phones, and vCard 2.1's per-property `CHARSET=` and `ENCODING=QUOTED-PRINTABLE` (or the
//! bare `QUOTED-PRINTABLE` parameter) with soft line breaks (`=` at the end of a line).
//!
//! Each property is decoded on its own, with the character set it declares, or the file's:
//! the byte-order mark's, UTF-8 when the whole file is UTF-8, else Windows-1252 (and the
//! import says so). Quoted-printable values are decoded here too, so the parser downstream
//! sees plain UTF-8 vCard text with no `CHARSET` or `ENCODING` left to apply. Only what
//! cannot be decoded is refused: bytes that are not valid in the character set declared
//! for them (or a UTF-16 file cut in the middle of a character).

use encoding_rs::{Encoding, SHIFT_JIS, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};

/// A vCard file as UTF-8 text, with what was assumed about it.
#[derive(Debug)]
pub(crate) struct Decoded {
    pub text: String,
    /// Things the user should know, such as a character set that was guessed.
    pub notes: Vec<String>,
}

/// Why a file could not be read as text: the place (`line 3`, `line 1 (byte 10)`) and what is
/// wrong.
pub(crate) type Refusal = (String, String);

/// Decodes a whole vCard file.
pub(crate) fn decode(bytes: &[u8]) -> Result<Decoded, Refusal> {
    let mut notes = Vec::new();
    // UTF-16 (with a byte-order mark, or recognised by its zero bytes in ASCII text) is
    // decoded whole first; then only quoted-printable values are left to decode.
    let utf16 = match Encoding::for_bom(bytes) {
        Some((enc, len)) if enc == UTF_16LE || enc == UTF_16BE => Some((enc, len)),
        Some(_) => None,
        None => sniff_utf16(bytes).map(|enc| (enc, 0)),
    };
    if let Some((enc, bom)) = utf16 {
        let Some(text) = enc
            .decode_without_bom_handling_and_without_replacement(&bytes[bom..])
            .map(|t| t.into_owned())
        else {
            return Err((
                "line 1".into(),
                format!(
                    "the file is {} but not all of it can be read as such (is it cut short?)",
                    enc.name()
                ),
            ));
        };
        let text = properties(text.as_bytes(), UTF_8, true, &mut notes)?;
        return Ok(Decoded { text, notes });
    }
    // No text file has a zero byte outside UTF-16: this is a zip, an image or the like.
    if let Some(at) = bytes.iter().position(|b| *b == 0) {
        let line = bytes[..at].iter().filter(|b| **b == b'\n').count() + 1;
        return Err((
            format!("line {line} (byte {at})"),
            "a zero byte: this is not a text file (a zip or an image?), so not a vCard".into(),
        ));
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF".as_slice());
    let (body, default) = match body {
        Some(body) => (body, UTF_8),
        None if std::str::from_utf8(bytes).is_ok() => (bytes, UTF_8),
        None => (bytes, WINDOWS_1252),
    };
    let text = properties(body, default, false, &mut notes)?;
    Ok(Decoded { text, notes })
}

/// The start of a file as text when it is UTF-16, for recognising the format.
pub(crate) fn utf16_head(head: &[u8]) -> Option<std::borrow::Cow<'static, str>> {
    let (enc, bom) = match Encoding::for_bom(head) {
        Some((enc, len)) if enc == UTF_16LE || enc == UTF_16BE => (enc, len),
        Some(_) => return None,
        None => (sniff_utf16(head)?, 0),
    };
    let (text, _) = enc.decode_without_bom_handling(&head[bom..head.len() & !1]);
    Some(std::borrow::Cow::Owned(text.into_owned()))
}

/// UTF-16 without a byte-order mark: ASCII text (every vCard starts with `BEGIN:VCARD`) has
/// a zero byte beside each letter.
fn sniff_utf16(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(64) & !1];
    if head.len() < 8 {
        return None;
    }
    // Mostly: a name in another script has no zero byte.
    let zeros = |from: usize| {
        head.iter()
            .skip(from)
            .step_by(2)
            .filter(|b| **b == 0)
            .count()
    };
    let half = head.len() / 2;
    let (even, odd) = (zeros(0), zeros(1));
    if even * 10 >= half * 7 && odd == 0 {
        Some(UTF_16BE)
    } else if odd * 10 >= half * 7 && even == 0 {
        Some(UTF_16LE)
    } else {
        None
    }
}

/// Goes through the file property by property (a line and its folded or soft-broken
/// continuation lines), decoding each one's value into UTF-8.
///
/// `default` is the file's character set: UTF-8 for a file that is all UTF-8 (or has its
/// byte-order mark), else Windows-1252, a guess that is reported once. `whole` says the file
/// was decoded whole already (from UTF-16): its `CHARSET` parameters then describe what it
/// was before, except inside quoted-printable values, which are still ASCII.
fn properties(
    body: &[u8],
    default: &'static Encoding,
    whole: bool,
    notes: &mut Vec<String>,
) -> Result<String, Refusal> {
    let lines: Vec<&[u8]> = body.split_inclusive(|b| *b == b'\n').collect();
    let mut out = String::with_capacity(body.len() + body.len() / 8);
    let mut guessed = false;
    // In a file that is not UTF-8, the character set one property of a card declares is the
    // best guess for the card's undeclared text (Outlook declares it only where it must).
    let mut card_default: Option<&'static Encoding> = None;
    let mut i = 0;
    while i < lines.len() {
        let start = i;
        let head = header(lines[i]);
        if default != UTF_8 && trim_eol(lines[i]).eq_ignore_ascii_case(b"BEGIN:VCARD") {
            card_default = lines[i + 1..]
                .iter()
                .take_while(|l| !trim_eol(l).eq_ignore_ascii_case(b"END:VCARD"))
                .filter_map(|l| header(l)?.charset)
                .filter_map(|label| Encoding::for_label(label.as_bytes()))
                .find(|enc| *enc != UTF_8);
        }
        let qp = head.as_ref().is_some_and(|h| h.quoted_printable);
        // The physical lines of this property.
        let mut parts = vec![lines[i]];
        i += 1;
        if qp {
            // Soft line breaks: a line ending in `=` goes on in the next line.
            while i < lines.len() && ends_with_soft_break(parts[parts.len() - 1]) {
                parts.push(lines[i]);
                i += 1;
            }
        }
        while i < lines.len() && matches!(lines[i].first(), Some(b' ' | b'\t')) {
            parts.push(lines[i]);
            i += 1;
        }
        let line = start + 1;
        let Some(head) = head else {
            // Not a property (a blank line, text outside a card): passed on for the parser to
            // judge, decoded with the file's character set.
            for p in parts {
                out.push_str(&decode_with(p, default, line)?);
            }
            continue;
        };
        let charset = match &head.charset {
            Some(label) if qp || (!whole && is_8bit(&parts)) => {
                match Encoding::for_label(label.as_bytes()) {
                    Some(enc) => Some(enc),
                    None => {
                        notes.push(format!(
                            "line {line}: unknown character set {label:?}; read as {}",
                            default.name()
                        ));
                        None
                    }
                }
            }
            _ => None,
        };
        if qp {
            let mut raw = Vec::new();
            for (n, p) in parts.iter().enumerate() {
                let p = if n == 0 { &p[head.value_at..] } else { p };
                let p = trim_eol(p);
                let p = p.strip_suffix(b"=").unwrap_or(p);
                // A folded continuation of a quoted-printable value keeps its leading space.
                raw.extend_from_slice(p);
            }
            let bytes = quoted_printable(&raw);
            let enc = charset.unwrap_or_else(|| {
                if std::str::from_utf8(&bytes).is_ok() {
                    UTF_8
                } else {
                    guessed = true;
                    WINDOWS_1252
                }
            });
            let value = decode_value(&bytes, enc, line, &head.name, notes)?;
            out.push_str(&head.rebuilt);
            out.push(':');
            // Line breaks inside the value are written the vCard 3.0 way.
            out.push_str(&value.replace("\r\n", "\\n").replace(['\r', '\n'], "\\n"));
            out.push_str("\r\n");
        } else {
            let enc = match charset {
                Some(enc) => enc,
                None => match card_default {
                    Some(enc) => enc,
                    None => {
                        guessed |= default != UTF_8 && is_8bit(&parts);
                        default
                    }
                },
            };
            let bytes: Vec<u8> = parts.concat();
            out.push_str(&decode_value(&bytes, enc, line, &head.name, notes)?);
        }
    }
    if guessed {
        notes.push(
            "the file is not UTF-8 and does not say which character set its text is in: \
             it was read as Windows-1252 (Western European); check the names with accents"
                .into(),
        );
    }
    Ok(out)
}

fn is_8bit(parts: &[&[u8]]) -> bool {
    parts.iter().any(|p| !p.is_ascii())
}

fn ends_with_soft_break(line: &[u8]) -> bool {
    trim_eol(line).ends_with(b"=")
}

fn trim_eol(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// A property's bytes in `enc`. Bytes that are not valid there are damage: in the name (`FN`,
/// `N`) the contact could not be told apart or found again, so the file is refused; elsewhere
/// (one Android phone writes a broken byte into `ORG`) the value is kept with U+FFFD in place of
/// what could not be read, and the import says where.
fn decode_value(
    bytes: &[u8],
    enc: &'static Encoding,
    line: usize,
    name: &str,
    notes: &mut Vec<String>,
) -> Result<String, Refusal> {
    match decode_with(bytes, enc, line) {
        Ok(text) => Ok(text),
        Err(refusal) if matches!(name, "FN" | "N") => Err(refusal),
        Err(_) => {
            notes.push(format!(
                "line {line}: {name} is not valid {} as declared; the characters that could \
                 not be read are shown as U+FFFD",
                charset_name(enc)
            ));
            Ok(enc.decode_without_bom_handling(bytes).0.into_owned())
        }
    }
}

fn charset_name(enc: &'static Encoding) -> &'static str {
    if enc == SHIFT_JIS {
        "Shift_JIS"
    } else {
        enc.name()
    }
}

/// `bytes` in `enc`, or a refusal naming the character set when they are not valid in it.
fn decode_with(bytes: &[u8], enc: &'static Encoding, line: usize) -> Result<String, Refusal> {
    if bytes.is_ascii() {
        // Every character set a vCard is written in agrees with ASCII.
        return Ok(String::from_utf8(bytes.to_vec()).unwrap_or_default());
    }
    match enc.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(text) => Ok(text.into_owned()),
        None => Err((
            format!("line {line}"),
            format!(
                "the text is not valid {}, the character set it is declared in",
                charset_name(enc)
            ),
        )),
    }
}

/// What a property line says about its value's encoding.
struct Header {
    /// Where the value starts (after the first `:` outside quotes).
    value_at: usize,
    charset: Option<String>,
    quoted_printable: bool,
    /// The property's name in capitals, without its group (`item1.`).
    name: String,
    /// The name and parameters, without `CHARSET` and the quoted-printable encoding.
    rebuilt: String,
}

/// The name and parameters of a property line, or `None` when the line is not one.
fn header(line: &[u8]) -> Option<Header> {
    if matches!(line.first(), Some(b' ' | b'\t') | None) {
        return None;
    }
    let mut quoted = false;
    let mut colon = None;
    for (n, b) in line.iter().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b':' if !quoted => {
                colon = Some(n);
                break;
            }
            _ => {}
        }
    }
    let colon = colon?;
    let head = std::str::from_utf8(&line[..colon]).ok()?;
    if !head.is_ascii() {
        return None;
    }
    let mut pieces = head.split(';');
    let name = pieces.next()?.to_string();
    if name.is_empty() || name.contains(char::is_whitespace) {
        return None;
    }
    let mut charset = None;
    let mut quoted_printable = false;
    let mut kept = vec![name];
    for p in pieces {
        let (k, v) = p.split_once('=').unwrap_or(("", p));
        if k.eq_ignore_ascii_case("CHARSET") {
            charset = Some(v.trim_matches('"').trim().to_string());
        } else if (k.eq_ignore_ascii_case("ENCODING") || k.is_empty())
            && (v.eq_ignore_ascii_case("QUOTED-PRINTABLE") || v.eq_ignore_ascii_case("Q"))
        {
            quoted_printable = true;
        } else {
            kept.push(p.to_string());
        }
    }
    let bare = kept[0]
        .rsplit('.')
        .next()
        .unwrap_or("")
        .to_ascii_uppercase();
    Some(Header {
        name: bare,
        value_at: colon + 1,
        charset,
        quoted_printable,
        rebuilt: kept.join(";"),
    })
}

/// Decodes `=XX` escapes; anything else (including a stray `=`) is kept as it is.
fn quoted_printable(raw: &[u8]) -> Vec<u8> {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'=' && i + 2 < raw.len() {
            if let (Some(h), Some(l)) = (hex(raw[i + 1]), hex(raw[i + 2])) {
                out.push(h << 4 | l);
                i += 3;
                continue;
            }
        }
        out.push(raw[i]);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(bytes: &[u8]) -> String {
        decode(bytes).unwrap().text
    }

    #[test]
    fn quoted_printable_with_charset_and_soft_breaks() {
        let card = b"BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=D0=98=D0=B2=D0=B0=\r\n=D0=BD;\r\nNOTE;QUOTED-PRINTABLE:one=0D=0Atwo\r\nEND:VCARD\r\n";
        let t = text(card);
        assert!(t.contains("N:Иван;\r\n"), "{t}");
        assert!(t.contains("NOTE:one\\ntwo\r\n"), "{t}");
    }

    #[test]
    fn declared_code_pages_per_property() {
        let mut card = b"BEGIN:VCARD\r\nFN;CHARSET=Windows-1251:".to_vec();
        card.extend(encoding_rs::WINDOWS_1251.encode("Ольга").0.iter());
        card.extend(b"\r\nORG;CHARSET=SHIFT_JIS:");
        card.extend(SHIFT_JIS.encode("ソニー").0.iter());
        card.extend(b"\r\nEND:VCARD\r\n");
        let d = decode(&card).unwrap();
        assert!(
            d.text.contains("FN;CHARSET=Windows-1251:Ольга"),
            "{}",
            d.text
        );
        assert!(d.text.contains(":ソニー"), "{}", d.text);
        assert!(d.notes.is_empty());
    }

    #[test]
    fn undeclared_8bit_text_is_windows_1252_and_said() {
        let d = decode(b"BEGIN:VCARD\r\nFN:Ren\xe9e M\xfcller\r\nEND:VCARD\r\n").unwrap();
        assert!(d.text.contains("FN:Renée Müller"));
        assert_eq!(d.notes.len(), 1);
    }

    #[test]
    fn utf16_with_and_without_bom() {
        let card = "BEGIN:VCARD\r\nFN:Zoë Ōtake\r\nEND:VCARD\r\n";
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for u in card.encode_utf16() {
            le.extend(u.to_le_bytes());
            be.extend(u.to_be_bytes());
        }
        assert_eq!(text(&le), card);
        assert_eq!(text(&be), card);
        assert_eq!(text(&le[2..]), card);
        assert!(decode(&le[..le.len() - 1]).is_err());
    }

    #[test]
    fn bytes_that_do_not_fit_the_declared_charset_are_refused() {
        let e = decode(b"BEGIN:VCARD\r\nVERSION:2.1\r\nFN;CHARSET=UTF-8:Ren\xe9e\r\nEND:VCARD\r\n")
            .unwrap_err();
        assert_eq!(e.0, "line 3");
        assert!(e.1.contains("UTF-8"), "{}", e.1);
        let e = decode(b"PK\x03\x04\x14\x00\x00").unwrap_err();
        assert_eq!(e.0, "line 1 (byte 5)");
        let e =
            decode(b"BEGIN:VCARD\r\nN;CHARSET=SHIFT_JIS;QUOTED-PRINTABLE:=82=\r\nEND:VCARD\r\n")
                .unwrap_err();
        assert!(e.1.contains("Shift_JIS"), "{}", e.1);
    }

    #[test]
    fn a_broken_byte_outside_the_name_is_kept_as_a_replacement_and_said() {
        let d = decode(b"BEGIN:VCARD\r\nFN:a\r\nORG;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=C3=91=80\r\nEND:VCARD\r\n")
            .unwrap();
        assert!(d.text.contains("ORG:\u{d1}\u{fffd}"), "{}", d.text);
        assert_eq!(d.notes.len(), 1);
        assert!(d.notes[0].starts_with("line 3: ORG"), "{:?}", d.notes);
    }
}
