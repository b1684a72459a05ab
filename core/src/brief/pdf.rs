//! A briefing as a PDF (A4), for printing or reading offline.
//!
//! Drawn with `krilla`, which writes PDF itself (no browser, no system libraries), shapes
//! text (accents, right-to-left scripts) and embeds only the glyphs used. Text is set in
//! DejaVu Sans, read at run time from the system's fonts (Debian and Ubuntu:
//! `fonts-dejavu-core`); line breaking measures each word with the font's own advances.
//! Characters the font lacks show as empty boxes rather than being dropped.

use super::layout::{blocks, Block};
use super::Briefing;
use crate::error::{Error, Result};
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::Fill;
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};
use krilla::Document;
use skrifa::instance::{LocationRef, Size};
use skrifa::MetadataProvider;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

const PAGE_W: f32 = 595.0;
const PAGE_H: f32 = 842.0;
const MARGIN: f32 = 50.0;
const TEXT_W: f32 = PAGE_W - 2.0 * MARGIN;

/// Where DejaVu Sans is looked for, in order.
const FONT_DIRS: &[&str] = &[
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu",
    "/usr/share/fonts/TTF",
    "/usr/share/fonts/dejavu-sans-fonts",
    "/usr/local/share/fonts",
    "/opt/homebrew/share/fonts",
    "/Library/Fonts",
];

/// The regular and bold faces a PDF briefing is set in.
#[derive(Clone)]
pub struct PdfFonts {
    regular: Face,
    bold: Face,
}

#[derive(Clone)]
struct Face {
    font: Font,
    /// Advance width of each character at size 1, as measured so far.
    widths: HashMap<char, f32>,
    data: std::sync::Arc<Vec<u8>>,
}

impl Face {
    fn new(data: Vec<u8>, what: &str) -> Result<Face> {
        let data = std::sync::Arc::new(data);
        skrifa::FontRef::new(&data)
            .map_err(|e| Error::invalid(format!("{what} is not a usable font: {e}")))?;
        let font = Font::new(data.clone().into(), 0)
            .ok_or_else(|| Error::invalid(format!("{what} is not a usable font")))?;
        Ok(Face {
            font,
            widths: HashMap::new(),
            data,
        })
    }

    /// Width of `text` at size 1, summing each character's advance (no kerning: line
    /// breaking keeps a little room to spare).
    fn width(&mut self, text: &str) -> f32 {
        let mut missing: Vec<char> = text
            .chars()
            .filter(|c| !self.widths.contains_key(c))
            .collect();
        if !missing.is_empty() {
            missing.sort_unstable();
            missing.dedup();
            if let Ok(font) = skrifa::FontRef::new(&self.data) {
                let upem = f32::from(
                    font.metrics(Size::unscaled(), LocationRef::default())
                        .units_per_em
                        .max(1),
                );
                let metrics = font.glyph_metrics(Size::unscaled(), LocationRef::default());
                let charmap = font.charmap();
                for c in missing {
                    let gid = charmap.map(c).unwrap_or_default();
                    let adv = metrics.advance_width(gid).unwrap_or(upem * 0.6);
                    self.widths.insert(c, adv / upem);
                }
            }
        }
        text.chars()
            .map(|c| self.widths.get(&c).copied().unwrap_or(0.6))
            .sum()
    }
}

impl PdfFonts {
    /// DejaVu Sans and DejaVu Sans Bold from the font files' bytes.
    pub fn from_bytes(regular: Vec<u8>, bold: Vec<u8>) -> Result<PdfFonts> {
        Ok(PdfFonts {
            regular: Face::new(regular, "the regular font")?,
            bold: Face::new(bold, "the bold font")?,
        })
    }

    /// `DejaVuSans.ttf` and `DejaVuSans-Bold.ttf` from a folder.
    pub fn from_dir(dir: &Path) -> Result<PdfFonts> {
        let read = |name: &str| -> Result<Vec<u8>> {
            let path = dir.join(name);
            std::fs::read(&path).map_err(|e| Error::io(path, e))
        };
        PdfFonts::from_bytes(read("DejaVuSans.ttf")?, read("DejaVuSans-Bold.ttf")?)
    }

    /// DejaVu Sans from the first usual font folder that has it.
    pub fn system() -> Result<PdfFonts> {
        let found: Option<PathBuf> = FONT_DIRS.iter().map(PathBuf::from).find(|d| {
            d.join("DejaVuSans.ttf").is_file() && d.join("DejaVuSans-Bold.ttf").is_file()
        });
        match found {
            Some(dir) => PdfFonts::from_dir(&dir),
            None => Err(Error::invalid(format!(
                "a PDF briefing needs the DejaVu Sans fonts (DejaVuSans.ttf and \
                 DejaVuSans-Bold.ttf), which were not found in {}. On Debian or Ubuntu install \
                 them with `apt-get install fonts-dejavu-core`, or choose Markdown or HTML",
                FONT_DIRS.join(", ")
            ))),
        }
    }
}

/// The briefing as PDF bytes, set in the system's DejaVu Sans.
pub fn render(b: &Briefing) -> Result<Vec<u8>> {
    render_with(b, &mut PdfFonts::system()?)
}

/// The briefing as PDF bytes, set in the given fonts.
pub fn render_with(b: &Briefing, fonts: &mut PdfFonts) -> Result<Vec<u8>> {
    let lines = lay_out(&blocks(b), fonts);
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(format!("Briefing: {}", super::excerpt(&b.event.name, 200)))
            .creator("Kith".to_string())
            .language("en".to_string()),
    );
    for page in paginate(&lines) {
        let mut p = document.start_page_with(
            PageSettings::from_wh(PAGE_W, PAGE_H)
                .ok_or_else(|| Error::invalid("the page size is not valid"))?,
        );
        let mut surface = p.surface();
        for line in page {
            draw(&mut surface, line, fonts);
        }
        surface.finish();
        p.finish();
    }
    document
        .finish()
        .map_err(|e| Error::invalid(format!("the PDF could not be written: {e:?}")))
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Style {
    Title,
    Meta,
    Section,
    Person,
    Sub,
    Label,
    Body,
    Note,
}

impl Style {
    fn size(self) -> f32 {
        match self {
            Style::Title => 18.0,
            Style::Section => 14.0,
            Style::Person => 12.0,
            Style::Sub => 10.0,
            Style::Meta | Style::Label | Style::Body | Style::Note => 9.5,
        }
    }
    fn bold(self) -> bool {
        matches!(
            self,
            Style::Title | Style::Section | Style::Person | Style::Sub | Style::Label
        )
    }
    fn colour(self) -> (u8, u8, u8) {
        match self {
            Style::Section | Style::Sub => (43, 74, 102),
            Style::Meta | Style::Note => (80, 80, 80),
            _ => (27, 27, 27),
        }
    }
}

/// A run of text at a position on a line.
#[derive(Debug, Clone)]
struct Run {
    x: f32,
    style: Style,
    text: String,
}

/// One laid-out line: its runs, the space above it, its height, and whether a rule is drawn
/// under it (section headings). `keep_with_next` lines are not left alone at a page's foot.
#[derive(Debug, Clone)]
struct Line {
    runs: Vec<Run>,
    before: f32,
    height: f32,
    rule: bool,
    keep_with_next: bool,
    /// Set by pagination: the baseline's distance from the page's top.
    y: f32,
}

fn face(fonts: &mut PdfFonts, style: Style) -> &mut Face {
    if style.bold() {
        &mut fonts.bold
    } else {
        &mut fonts.regular
    }
}

/// Breaks `text` into lines no wider than `first` (the first line) and `rest` (the others).
fn wrap(text: &str, face: &mut Face, size: f32, first: f32, rest: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    let mut width = first;
    let space = face.width(" ") * size;
    let mut cur_w = 0.0;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let w = face.width(word) * size;
        if !cur.is_empty() && cur_w + space + w <= width {
            cur.push(' ');
            cur.push_str(word);
            cur_w += space + w;
            continue;
        }
        if !cur.is_empty() {
            lines.push(std::mem::take(&mut cur));
            width = rest;
        }
        if w <= width {
            cur.push_str(word);
            cur_w = w;
            continue;
        }
        // A word longer than a line (a URL, a long handle): break it anywhere.
        cur_w = 0.0;
        for c in word.chars() {
            let cw = face.width(c.encode_utf8(&mut [0; 4])) * size;
            if !cur.is_empty() && cur_w + cw > width {
                lines.push(std::mem::take(&mut cur));
                width = rest;
                cur_w = 0.0;
            }
            cur.push(c);
            cur_w += cw;
        }
    }
    if !cur.is_empty() || lines.is_empty() {
        lines.push(cur);
    }
    lines
}

fn lay_out(blocks: &[Block], fonts: &mut PdfFonts) -> Vec<Line> {
    let mut out = Vec::new();
    let para = |out: &mut Vec<Line>,
                fonts: &mut PdfFonts,
                style: Style,
                text: &str,
                indent: f32,
                before: f32,
                rule: bool,
                keep: bool| {
        let size = style.size();
        let wrapped = wrap(
            text,
            face(fonts, style),
            size,
            TEXT_W - indent,
            TEXT_W - indent,
        );
        let n = wrapped.len();
        for (k, t) in wrapped.into_iter().enumerate() {
            out.push(Line {
                runs: vec![Run {
                    x: MARGIN + indent,
                    style,
                    text: t,
                }],
                before: if k == 0 { before } else { 0.0 },
                height: size * 1.35,
                rule: rule && k + 1 == n,
                keep_with_next: keep,
                y: 0.0,
            });
        }
    };
    for block in blocks {
        match block {
            Block::Title(t) => para(&mut out, fonts, Style::Title, t, 0.0, 0.0, false, true),
            Block::Meta(t) => para(&mut out, fonts, Style::Meta, t, 0.0, 2.0, false, false),
            Block::Section(t) => para(&mut out, fonts, Style::Section, t, 0.0, 16.0, true, true),
            Block::Person(t) => para(&mut out, fonts, Style::Person, t, 0.0, 10.0, false, true),
            Block::Sub(t) => para(&mut out, fonts, Style::Sub, t, 8.0, 4.0, false, true),
            Block::Note(t) => para(&mut out, fonts, Style::Note, t, 0.0, 2.0, false, false),
            Block::Item(t) => {
                let size = Style::Body.size();
                let indent = 20.0;
                let wrapped = wrap(
                    t,
                    face(fonts, Style::Body),
                    size,
                    TEXT_W - indent,
                    TEXT_W - indent,
                );
                for (k, text) in wrapped.into_iter().enumerate() {
                    let mut runs = Vec::with_capacity(2);
                    if k == 0 {
                        runs.push(Run {
                            x: MARGIN + 10.0,
                            style: Style::Body,
                            text: "•".into(),
                        });
                    }
                    runs.push(Run {
                        x: MARGIN + indent,
                        style: Style::Body,
                        text,
                    });
                    out.push(Line {
                        runs,
                        before: if k == 0 { 1.0 } else { 0.0 },
                        height: size * 1.35,
                        rule: false,
                        keep_with_next: false,
                        y: 0.0,
                    });
                }
            }
            Block::Field(label, value) => {
                let size = Style::Body.size();
                let label = format!("{label}: ");
                let label_w = face(fonts, Style::Label).width(&label) * size;
                let indent = 8.0;
                let wrapped = wrap(
                    value,
                    face(fonts, Style::Body),
                    size,
                    TEXT_W - indent - label_w,
                    TEXT_W - indent - 12.0,
                );
                for (k, text) in wrapped.into_iter().enumerate() {
                    let runs = if k == 0 {
                        vec![
                            Run {
                                x: MARGIN + indent,
                                style: Style::Label,
                                text: label.clone(),
                            },
                            Run {
                                x: MARGIN + indent + label_w,
                                style: Style::Body,
                                text,
                            },
                        ]
                    } else {
                        vec![Run {
                            x: MARGIN + indent + 12.0,
                            style: Style::Body,
                            text,
                        }]
                    };
                    out.push(Line {
                        runs,
                        before: if k == 0 { 1.0 } else { 0.0 },
                        height: size * 1.35,
                        rule: false,
                        keep_with_next: false,
                        y: 0.0,
                    });
                }
            }
        }
    }
    out
}

/// Places lines on pages top to bottom; a heading never ends a page.
fn paginate(lines: &[Line]) -> Vec<Vec<Line>> {
    let bottom = PAGE_H - MARGIN;
    let mut pages: Vec<Vec<Line>> = vec![Vec::new()];
    let mut y = MARGIN;
    let mut k = 0;
    while k < lines.len() {
        // A heading moves with the line after it.
        let mut group = 1;
        while k + group < lines.len() && lines[k + group - 1].keep_with_next && group < 4 {
            group += 1;
        }
        let needed: f32 = lines[k..k + group]
            .iter()
            .map(|l| l.before + l.height)
            .sum();
        let page_empty = pages.last().is_some_and(Vec::is_empty);
        if y + needed > bottom && !page_empty {
            pages.push(Vec::new());
            y = MARGIN;
        }
        for line in &lines[k..k + group] {
            let page_empty = pages.last().is_some_and(Vec::is_empty);
            if y + line.before + line.height > bottom && !page_empty {
                pages.push(Vec::new());
                y = MARGIN;
            }
            if !pages.last().is_some_and(Vec::is_empty) {
                y += line.before;
            }
            y += line.height;
            let mut placed = line.clone();
            placed.y = y - line.height * 0.25;
            if let Some(page) = pages.last_mut() {
                page.push(placed);
            }
        }
        k += group;
    }
    pages
}

fn fill(r: u8, g: u8, b: u8) -> Fill {
    Fill {
        paint: rgb::Color::new(r, g, b).into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }
}

fn draw(surface: &mut Surface<'_>, line: Line, fonts: &mut PdfFonts) {
    for run in &line.runs {
        let (r, g, b) = run.style.colour();
        surface.set_fill(Some(fill(r, g, b)));
        let font = face(fonts, run.style).font.clone();
        surface.draw_text(
            Point::from_xy(run.x, line.y),
            font,
            run.style.size(),
            &run.text,
            false,
            TextDirection::Auto,
        );
    }
    if line.rule {
        if let Some(rect) = Rect::from_xywh(MARGIN, line.y + 4.0, TEXT_W, 1.2) {
            let mut pb = PathBuilder::new();
            pb.push_rect(rect);
            if let Some(path) = pb.finish() {
                surface.set_fill(Some(fill(59, 91, 122)));
                surface.draw_path(&path);
            }
        }
    }
}
