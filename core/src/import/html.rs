//! HTML mail as the plain text a reader sees: what a mail program would show, never what is
//! inside the tags.
//!
//! Tags are read to their real end, so a `>` inside a quoted attribute value (`alt="a > b"`)
//! does not end the tag early and leak the rest of the attribute into the text. Attribute
//! values (`alt`, `title`, `href`, `src`), comments, `<!DOCTYPE …>`, and the content of
//! `head`, `title`, `style`, `script`, `template` and `noscript` are dropped. Block elements
//! start new lines, white space is collapsed as a browser does (except inside `pre`), and
//! character references are decoded. Nothing is run or fetched.

use super::text::decode_entities;

/// Elements whose content is not shown.
const HIDDEN: [&str; 7] = [
    "head", "title", "style", "script", "template", "noscript", "xml",
];

/// Elements that start and end on a line of their own.
const BLOCKS: [&str; 27] = [
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "dd",
    "div",
    "dl",
    "dt",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "ul",
];

/// `html` as plain text.
pub fn to_text(html: &str) -> String {
    let mut out = Renderer::default();
    let bytes = html.as_bytes();
    let mut i = 0;
    let mut text_start = 0;
    while i < bytes.len() {
        if bytes[i] != b'<' {
            i += 1;
            continue;
        }
        let Some((end, tag)) = read_markup(html, i) else {
            // A "<" that opens no tag ("a < b") is text.
            i += 1;
            continue;
        };
        out.text(&html[text_start..i]);
        out.tag(tag);
        i = end;
        text_start = i;
        // Inside a hidden element, skip straight to its end tag.
        if let Some(name) = out.hidden.clone() {
            i = find_end_tag(html, i, &name).unwrap_or(bytes.len());
            text_start = i;
        }
    }
    out.text(&html[text_start.min(html.len())..]);
    out.finish()
}

/// A piece of markup starting at `at` (which holds `<`): where it ends and what it is.
fn read_markup(html: &str, at: usize) -> Option<(usize, Markup)> {
    let rest = &html[at..];
    if let Some(after) = rest.strip_prefix("<!--") {
        let end = after.find("-->").map_or(html.len(), |e| at + 4 + e + 3);
        return Some((end, Markup::Other));
    }
    if rest.starts_with("<![CDATA[") {
        let end = rest.find("]]>").map_or(html.len(), |e| at + e + 3);
        return Some((end, Markup::Other));
    }
    if rest.starts_with("<!") || rest.starts_with("<?") {
        let end = rest.find('>').map_or(html.len(), |e| at + e + 1);
        return Some((end, Markup::Other));
    }
    let bytes = rest.as_bytes();
    let closing = bytes.get(1) == Some(&b'/');
    let name_start = if closing { 2 } else { 1 };
    if !bytes
        .get(name_start)
        .is_some_and(|b| b.is_ascii_alphabetic())
    {
        return None;
    }
    let name_len = bytes[name_start..]
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-' || **b == b':')
        .count();
    let name = rest[name_start..name_start + name_len].to_ascii_lowercase();
    // Walk the attributes, stepping over quoted values whole.
    let mut j = name_start + name_len;
    let mut quote: Option<u8> = None;
    while j < bytes.len() {
        let b = bytes[j];
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b == b'>' => break,
            None => {}
        }
        j += 1;
    }
    let end = (at + j + 1).min(html.len());
    Some((end, Markup::Tag { name, closing }))
}

/// Where `</name …>` starts, searching from `from`.
fn find_end_tag(html: &str, from: usize, name: &str) -> Option<usize> {
    let bytes = html.as_bytes();
    let name = name.as_bytes();
    let mut i = from;
    while let Some(pos) = html[i..].find("</") {
        let start = i + pos;
        let after = start + 2 + name.len();
        if bytes.len() >= after
            && bytes[start + 2..after].eq_ignore_ascii_case(name)
            && bytes.get(after).is_none_or(|b| !b.is_ascii_alphanumeric())
        {
            return Some(start);
        }
        i = start + 2;
    }
    None
}

enum Markup {
    Tag {
        name: String,
        closing: bool,
    },
    /// Comments, doctypes, CDATA sections, processing instructions.
    Other,
}

#[derive(Default)]
struct Renderer {
    out: String,
    /// A space is due before the next word.
    space: bool,
    /// Inside `pre`: white space is kept.
    pre: usize,
    /// The hidden element being skipped.
    hidden: Option<String>,
}

impl Renderer {
    fn text(&mut self, raw: &str) {
        if raw.is_empty() {
            return;
        }
        let text = decode_entities(raw);
        if self.pre > 0 {
            self.out.push_str(&text);
            self.space = false;
            return;
        }
        for (n, word) in text.split_ascii_whitespace().enumerate() {
            let leading = n > 0 || text.starts_with(|c: char| c.is_ascii_whitespace());
            if (leading || self.space) && !self.at_line_start() {
                self.out.push(' ');
            }
            self.out.push_str(word);
            self.space = false;
        }
        if text.ends_with(|c: char| c.is_ascii_whitespace()) {
            self.space = true;
        }
    }

    fn at_line_start(&self) -> bool {
        self.out.is_empty() || self.out.ends_with('\n')
    }

    fn newline(&mut self) {
        if !self.at_line_start() {
            self.out.push('\n');
        }
        self.space = false;
    }

    fn tag(&mut self, markup: Markup) {
        let (name, closing) = match markup {
            Markup::Tag { name, closing } => (name, closing),
            Markup::Other => return,
        };
        if HIDDEN.contains(&name.as_str()) {
            if !closing {
                self.hidden = Some(name);
            } else {
                self.hidden = None;
            }
            return;
        }
        self.hidden = None;
        match name.as_str() {
            "br" => {
                self.out.push('\n');
                self.space = false;
            }
            "pre" => {
                self.newline();
                if closing {
                    self.pre = self.pre.saturating_sub(1);
                } else {
                    self.pre += 1;
                }
            }
            "tr" => self.newline(),
            "td" | "th" if !closing => self.space = true,
            "img" => self.space = true,
            n if BLOCKS.contains(&n) => {
                self.newline();
                if closing && matches!(n, "p" | "blockquote" | "table" | "ul" | "ol") {
                    self.out.push('\n');
                }
            }
            _ => {}
        }
    }

    fn finish(self) -> String {
        let mut lines: Vec<&str> = Vec::new();
        for line in self.out.lines().map(str::trim_end) {
            if line.is_empty() && lines.last().is_none_or(|l| l.is_empty()) {
                continue;
            }
            lines.push(line);
        }
        while lines.last() == Some(&"") {
            lines.pop();
        }
        lines.join("\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_values_never_reach_the_text() {
        let html = r#"<p>See <a href="https://x.example/?a=1&b=2" title="a > b trap">the notes</a>
            <img alt="logo > company" src="cid:1">today.</p>"#;
        assert_eq!(to_text(html), "See the notes today.");
    }

    #[test]
    fn hidden_parts_comments_and_doctype_are_dropped() {
        let html = "<!DOCTYPE html><html><head><title>T</title><style>p{color:red}</style></head>\
            <body><!-- <b>not this</b> --><script>if (a < b) { x = '</p>' }</script>\
            <p>Hello&nbsp;&amp; welcome</p><div>Line</div></body></html>";
        assert_eq!(to_text(html), "Hello\u{a0}& welcome\n\nLine");
    }

    #[test]
    fn blocks_break_lines_and_white_space_collapses() {
        let html = "<p>one\n   two</p><p>three<br>four</p><ul><li>a</li><li>b</li></ul><pre>x  y\n z</pre>";
        assert_eq!(to_text(html), "one two\n\nthree\nfour\n\na\nb\n\nx  y\n z");
    }

    #[test]
    fn a_lone_less_than_is_text() {
        assert_eq!(to_text("a < b and 3<4"), "a < b and 3<4");
    }
}
