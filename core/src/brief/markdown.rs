//! A briefing as Markdown: headings per section and person, fields and lists. Every piece of
//! text is escaped, so names and notes show as written and never become markup or links.

use super::layout::{blocks, Block};
use super::Briefing;
use std::fmt::Write;

/// The briefing as one Markdown document.
pub fn render(b: &Briefing) -> String {
    let mut out = String::new();
    let mut in_list = false;
    for block in blocks(b) {
        let is_item = matches!(block, Block::Item(_) | Block::Field(..));
        if in_list && !is_item {
            out.push('\n');
        }
        in_list = is_item;
        let _ = match block {
            Block::Title(t) => writeln!(out, "# {}\n", inline(&t)),
            Block::Meta(t) => writeln!(out, "{}\n", inline(&t)),
            Block::Section(t) => writeln!(out, "## {}\n", inline(&t)),
            Block::Person(t) => writeln!(out, "### {}\n", inline(&t)),
            Block::Sub(t) => writeln!(out, "**{}**\n", inline(&t)),
            Block::Field(label, v) => writeln!(out, "- **{label}:** {}", inline(&v)),
            Block::Item(t) => writeln!(out, "- {}", inline(&t)),
            Block::Note(t) => writeln!(out, "_{}_\n", inline(&t)),
        };
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// One line of text shown as text: characters with a meaning in Markdown (or in the HTML
/// Markdown allows) are backslash-escaped.
pub(crate) fn inline(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if c.is_control() {
            out.push(' ');
            continue;
        }
        if matches!(
            c,
            '\\' | '`'
                | '*'
                | '_'
                | '['
                | ']'
                | '<'
                | '>'
                | '|'
                | '~'
                | '#'
                | '&'
                | '!'
                | '='
                | '$'
                | '%'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    // A line starting with a list or heading mark, or a number and a dot, stays text.
    let lead = out.trim_start();
    if lead.starts_with(['-', '+']) {
        let at = out.len() - lead.len();
        out.insert(at, '\\');
    } else {
        let digits = lead.chars().take_while(char::is_ascii_digit).count();
        if digits > 0 && lead[digits..].starts_with(['.', ')']) {
            let at = out.len() - lead.len() + digits;
            out.insert(at, '\\');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::inline;

    #[test]
    fn text_cannot_become_markup() {
        assert_eq!(
            inline("<img src=x onerror=alert(1)>"),
            "\\<img src\\=x onerror\\=alert(1)\\>"
        );
        assert_eq!(inline("[x](javascript:y)"), "\\[x\\](javascript:y)");
        assert_eq!(inline("- item"), "\\- item");
        assert_eq!(inline("12. item"), "12\\. item");
        assert_eq!(inline("# h"), "\\# h");
        assert_eq!(inline("a\nb"), "a b");
    }
}
