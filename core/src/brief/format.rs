//! The formats a briefing is written in, once for every shell: their names (what `--format`
//! and the app's buttons accept), file extensions, media types and labels, and how each is
//! rendered. The CLI and the app both read this list, so neither can offer a format the
//! other lacks or name one differently.

use super::Briefing;
use crate::error::Result;
use serde::{Deserialize, Serialize};
use specta::Type;
use std::path::Path;

/// A format a briefing can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum BriefFormat {
    /// Markdown: headings, fields and lists, every piece of text escaped.
    Markdown,
    /// One printable, self-contained HTML page.
    Html,
    /// A PDF with its fonts embedded.
    Pdf,
}

/// A briefing format as a shell shows it: the app's buttons and save dialog, the CLI's help.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct BriefFormatInfo {
    pub format: BriefFormat,
    /// The button's word: "PDF".
    pub label: &'static str,
    /// The extension a saved file gets, without the dot.
    pub extension: &'static str,
    /// Every extension that names this format in a path, the one above first.
    pub extensions: &'static [&'static str],
    /// The media type of the rendered bytes.
    pub mime: &'static str,
}

impl BriefFormat {
    /// Every format, in the order the app's buttons show them.
    pub const ALL: [BriefFormat; 3] = [BriefFormat::Pdf, BriefFormat::Html, BriefFormat::Markdown];

    /// The name `--format` takes and the app sends: "markdown", "html", "pdf".
    pub fn name(self) -> &'static str {
        match self {
            BriefFormat::Markdown => "markdown",
            BriefFormat::Html => "html",
            BriefFormat::Pdf => "pdf",
        }
    }

    /// The word a person sees for it.
    pub fn label(self) -> &'static str {
        match self {
            BriefFormat::Markdown => "Markdown",
            BriefFormat::Html => "HTML",
            BriefFormat::Pdf => "PDF",
        }
    }

    /// Every extension that names this format, the one a saved file gets first.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            BriefFormat::Markdown => &["md", "markdown"],
            BriefFormat::Html => &["html", "htm"],
            BriefFormat::Pdf => &["pdf"],
        }
    }

    /// The extension a saved file gets, without the dot.
    pub fn extension(self) -> &'static str {
        self.extensions()[0]
    }

    /// The media type of the rendered bytes.
    pub fn mime(self) -> &'static str {
        match self {
            BriefFormat::Markdown => "text/markdown; charset=utf-8",
            BriefFormat::Html => "text/html; charset=utf-8",
            BriefFormat::Pdf => "application/pdf",
        }
    }

    /// Whether the rendered bytes are text a terminal can show.
    pub fn is_text(self) -> bool {
        !matches!(self, BriefFormat::Pdf)
    }

    /// How the shells describe it.
    pub fn info(self) -> BriefFormatInfo {
        BriefFormatInfo {
            format: self,
            label: self.label(),
            extension: self.extension(),
            extensions: self.extensions(),
            mime: self.mime(),
        }
    }

    /// Every format's description, in [`BriefFormat::ALL`]'s order.
    pub fn infos() -> Vec<BriefFormatInfo> {
        BriefFormat::ALL.iter().map(|f| f.info()).collect()
    }

    /// The format a path's extension names (`brief.pdf`, `Brief.HTM`), if any.
    pub fn from_path(path: &Path) -> Option<BriefFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        BriefFormat::ALL
            .into_iter()
            .find(|f| f.extensions().contains(&ext.as_str()))
    }

    /// The briefing in this format.
    pub fn render(self, briefing: &Briefing) -> Result<Vec<u8>> {
        Ok(match self {
            BriefFormat::Markdown => super::markdown::render(briefing).into_bytes(),
            BriefFormat::Html => super::html::render(briefing).into_bytes(),
            BriefFormat::Pdf => super::pdf::render(briefing)?,
        })
    }
}

impl std::str::FromStr for BriefFormat {
    type Err = String;

    /// A format by its name or any of its extensions, in any case: "md", "Markdown", "htm".
    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        let norm = s.trim().to_ascii_lowercase();
        BriefFormat::ALL
            .into_iter()
            .find(|f| f.name() == norm || f.extensions().contains(&norm.as_str()))
            .ok_or_else(|| {
                let names: Vec<_> = BriefFormat::ALL.iter().map(|f| f.name()).collect();
                format!(
                    "unknown format {s:?} (expected one of: {})",
                    names.join(", ")
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_and_extension_reads_back_as_its_format() {
        for f in BriefFormat::ALL {
            assert_eq!(f.name().parse::<BriefFormat>(), Ok(f));
            assert_eq!(f.label().parse::<BriefFormat>(), Ok(f));
            let serde_name = serde_json::to_string(&f).unwrap();
            assert_eq!(
                serde_name,
                format!("\"{}\"", f.name()),
                "the app sends the name"
            );
            for ext in f.extensions() {
                assert_eq!(ext.parse::<BriefFormat>(), Ok(f));
                let path = format!("Code4Lib 2026 briefing.{}", ext.to_uppercase());
                assert_eq!(BriefFormat::from_path(Path::new(&path)), Some(f));
            }
        }
        assert!("docx"
            .parse::<BriefFormat>()
            .unwrap_err()
            .contains("pdf, html, markdown"));
        assert_eq!(BriefFormat::from_path(Path::new("brief")), None);
        assert_eq!(BriefFormat::from_path(Path::new("brief.txt")), None);
    }
}
