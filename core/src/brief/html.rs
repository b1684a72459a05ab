//! A briefing as one printable HTML page: self-contained (no scripts, no fonts or images to
//! fetch), readable on a phone, with a print stylesheet that keeps each person on one page
//! where possible. Every piece of text is escaped: names and notes are someone else's input.

use super::layout::{blocks, Block};
use super::Briefing;
use std::fmt::Write;

const STYLE: &str = "
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font: 16px/1.45 system-ui, -apple-system, 'Segoe UI', 'DejaVu Sans', sans-serif;
  margin: 0 auto; padding: 1rem; max-width: 46rem; color: #1b1b1b; background: #fff;
  overflow-wrap: anywhere; }
h1 { font-size: 1.6rem; margin: 0 0 .3rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 .5rem; padding-bottom: .2rem;
  border-bottom: 2px solid #3b5b7a; color: #2b4a66; }
section.person { border: 1px solid #d7dde3; border-radius: 8px; padding: .6rem .9rem;
  margin: .8rem 0; }
h3 { font-size: 1.1rem; margin: 0 0 .3rem; }
h4 { font-size: .95rem; margin: .6rem 0 .2rem; color: #3b5b7a; }
p.meta { margin: .1rem 0; color: #4a4a4a; }
p.note { font-style: italic; color: #555; }
dl { margin: 0; display: grid; grid-template-columns: max-content 1fr; gap: .1rem .8rem; }
dt { font-weight: 600; }
dd { margin: 0; }
ul { margin: .2rem 0; padding-left: 1.2rem; }
li { margin: .1rem 0; }
@media (max-width: 30rem) {
  body { padding: .6rem; font-size: 15px; }
  dl { grid-template-columns: 1fr; }
  dd { margin-bottom: .3rem; }
}
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; color: #000; }
  @page { margin: 15mm; }
  h2 { break-after: avoid; }
  section.person { break-inside: avoid; border-color: #999; }
  a { color: inherit; text-decoration: none; }
}
";

/// The briefing as a complete HTML document.
pub fn render(b: &Briefing) -> String {
    let mut out = String::with_capacity(16 * 1024);
    let title = escape(&format!("Briefing: {}", b.event.name));
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
         <title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
    );
    let mut open_section = false;
    let mut open_dl = false;
    let mut open_ul = false;
    let close_lists = |out: &mut String, dl: &mut bool, ul: &mut bool| {
        if *dl {
            out.push_str("</dl>\n");
            *dl = false;
        }
        if *ul {
            out.push_str("</ul>\n");
            *ul = false;
        }
    };
    for block in blocks(b) {
        match &block {
            Block::Field(..) => {
                if open_ul {
                    out.push_str("</ul>\n");
                    open_ul = false;
                }
            }
            Block::Item(_) => {
                if open_dl {
                    out.push_str("</dl>\n");
                    open_dl = false;
                }
            }
            _ => close_lists(&mut out, &mut open_dl, &mut open_ul),
        }
        if matches!(block, Block::Person(_) | Block::Section(_)) && open_section {
            out.push_str("</section>\n");
            open_section = false;
        }
        let _ = match block {
            Block::Title(t) => writeln!(out, "<h1>{}</h1>", escape(&t)),
            Block::Meta(t) => writeln!(out, "<p class=\"meta\">{}</p>", escape(&t)),
            Block::Section(t) => writeln!(out, "<h2>{}</h2>", escape(&t)),
            Block::Person(t) => {
                open_section = true;
                writeln!(out, "<section class=\"person\">\n<h3>{}</h3>", escape(&t))
            }
            Block::Sub(t) => writeln!(out, "<h4>{}</h4>", escape(&t)),
            Block::Field(label, v) => {
                if !open_dl {
                    out.push_str("<dl>\n");
                    open_dl = true;
                }
                writeln!(out, "<dt>{}</dt><dd>{}</dd>", escape(label), escape(&v))
            }
            Block::Item(t) => {
                if !open_ul {
                    out.push_str("<ul>\n");
                    open_ul = true;
                }
                writeln!(out, "<li>{}</li>", escape(&t))
            }
            Block::Note(t) => writeln!(out, "<p class=\"note\">{}</p>", escape(&t)),
        };
    }
    close_lists(&mut out, &mut open_dl, &mut open_ul);
    if open_section {
        out.push_str("</section>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}

/// Text for HTML element content and attribute values: `& < > " ' =` become entities, control
/// characters become spaces.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Not needed inside text, but keeps `onerror=` from reading like an attribute to
            // anything that scans the page naively.
            '=' => out.push_str("&#61;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}
