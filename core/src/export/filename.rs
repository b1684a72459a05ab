//! File names made from contact names: safe on Linux, macOS and Windows, usable as Obsidian
//! note titles, and unique within one export.

use super::text::is_invisible_format;
use std::collections::HashSet;

/// Longest stem in bytes; leaves room for a " (n)" suffix and an extension well within the
/// 255-byte limit of common file systems.
const MAX_STEM_BYTES: usize = 120;

/// Characters Windows forbids in file names, and the ones that break Obsidian links.
const RESERVED: &[char] = &[
    '/', '\\', ':', '*', '?', '"', '<', '>', '|', '#', '^', '[', ']',
];

const WINDOWS_DEVICES: &[&str] = &[
    "con", "prn", "aux", "nul", "conin$", "conout$", "com0", "com1", "com2", "com3", "com4",
    "com5", "com6", "com7", "com8", "com9", "lpt0", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6",
    "lpt7", "lpt8", "lpt9",
];

/// A file name stem for `name`: path separators, reserved and control characters become
/// spaces, invisible formatting characters are dropped, leading dots and trailing dots or
/// spaces go, runs of spaces shrink to one, Windows device names get a `_`, long names are cut
/// at a character boundary. Other Unicode is kept. Falls back to `fallback` when nothing is left.
pub(crate) fn stem(name: &str, fallback: &str) -> String {
    let replaced: String = name
        .chars()
        .filter(|c| !is_invisible_format(*c))
        .map(|c| {
            if c.is_control() || c.is_whitespace() || RESERVED.contains(&c) {
                ' '
            } else {
                c
            }
        })
        .collect();
    let mut s = replaced.split_whitespace().collect::<Vec<_>>().join(" ");
    s = trim_ends(&s).to_string();
    if s.len() > MAX_STEM_BYTES {
        s.truncate(cut_point(&s, MAX_STEM_BYTES));
        s = trim_ends(&s).to_string();
    }
    if s.is_empty() {
        return if fallback.is_empty() {
            "contact".into()
        } else {
            stem(fallback, "")
        };
    }
    let device = s.split('.').next().unwrap_or("").trim_end().to_lowercase();
    if WINDOWS_DEVICES.contains(&device.as_str()) {
        s.push('_');
    }
    s
}

fn trim_ends(s: &str) -> &str {
    s.trim_start_matches(|c: char| c == '.' || c.is_whitespace())
        .trim_end_matches(|c: char| c == '.' || c.is_whitespace())
}

/// Where to cut `s` to at most `max` bytes without splitting a character, a letter from its
/// combining marks, or an emoji sequence held together by joiners, modifiers or selectors.
fn cut_point(s: &str, max: usize) -> usize {
    let mut cut = max.min(s.len());
    while cut > 0 {
        if s.is_char_boundary(cut) {
            let next = s[cut..].chars().next();
            let prev = s[..cut].chars().next_back();
            let joined = next.is_some_and(attaches_to_previous) || prev == Some('\u{200D}');
            if !joined {
                break;
            }
        }
        cut -= 1;
    }
    cut
}

/// Characters that belong to the one before them: combining marks (the common blocks),
/// zero-width joiners, variation selectors and emoji skin-tone modifiers.
fn attaches_to_previous(c: char) -> bool {
    matches!(
        c,
        '\u{0300}'..='\u{036F}'
            | '\u{1AB0}'..='\u{1AFF}'
            | '\u{20D0}'..='\u{20FF}'
            | '\u{FE20}'..='\u{FE2F}'
            | '\u{200C}'
            | '\u{200D}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{1F3FB}'..='\u{1F3FF}'
            | '\u{E0100}'..='\u{E01EF}'
    )
}

/// Hands out file names, adding " (2)", " (3)" … to names already taken. Names are compared
/// without regard to case, as macOS and Windows do.
#[derive(Default)]
pub(crate) struct UniqueNames {
    taken: HashSet<String>,
}

impl UniqueNames {
    pub fn claim(&mut self, stem: &str, extension: &str) -> String {
        let mut n = 1u32;
        loop {
            let candidate = if n == 1 {
                format!("{stem}.{extension}")
            } else {
                format!("{stem} ({n}).{extension}")
            };
            if self.taken.insert(candidate.to_lowercase()) {
                return candidate;
            }
            n += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_separators_and_reserved_characters_go() {
        assert_eq!(stem("../../etc/passwd", "c1"), "etc passwd");
        assert_eq!(stem("..\\windows\\system32", "c1"), "windows system32");
        assert_eq!(stem(r#"Ana: "Koha" #1 <b>|?*"#, "c1"), "Ana Koha 1 b");
        assert_eq!(stem("[[Link]]^block", "c1"), "Link block");
    }

    #[test]
    fn leading_dots_trailing_dots_and_spaces_go() {
        assert_eq!(stem(".hidden", "c1"), "hidden");
        assert_eq!(stem("...", "c1"), "c1");
        assert_eq!(stem("  Ana Ruiz.  ", "c1"), "Ana Ruiz");
        assert_eq!(stem("Dr. Ana", "c1"), "Dr. Ana");
    }

    #[test]
    fn control_and_invisible_characters_go_unicode_stays() {
        assert_eq!(stem("Ana\nRuiz\t\u{0}\u{7f}", "c1"), "Ana Ruiz");
        assert_eq!(stem("evil\u{202E}dm.exe", "c1"), "evildm.exe");
        assert_eq!(stem("Ana\u{200B}Ruiz\u{FEFF}", "c1"), "AnaRuiz");
        assert_eq!(stem("Zoë Ngā 王秀英 🦉", "c1"), "Zoë Ngā 王秀英 🦉");
        assert_eq!(stem("👩‍💻 dev", "c1"), "👩‍💻 dev");
    }

    #[test]
    fn windows_device_names_are_changed() {
        assert_eq!(stem("CON", "c1"), "CON_");
        assert_eq!(stem("nul.txt", "c1"), "nul.txt_");
        assert_eq!(stem("Com1", "c1"), "Com1_");
        assert_eq!(stem("Connie", "c1"), "Connie");
    }

    #[test]
    fn long_names_are_cut_at_a_character_boundary() {
        let long = "é".repeat(10_000);
        let s = stem(&long, "c1");
        assert!(s.len() <= MAX_STEM_BYTES);
        assert!(s.chars().all(|c| c == 'é'));
        let emoji = "🦉".repeat(5_000);
        let s = stem(&emoji, "c1");
        assert!(s.len() <= MAX_STEM_BYTES && s.len() > MAX_STEM_BYTES - 4);
        for prefix in ["", "x", "xy"] {
            let decomposed = format!("{prefix}{}", "e\u{301}".repeat(5_000));
            let s = stem(&decomposed, "c1");
            assert!(
                s.ends_with("e\u{301}"),
                "a cut must not part a letter from its accent"
            );
        }
        for prefix in ["", "x", "xy", "xyz"] {
            let family = format!("{prefix}{}", "👩\u{200D}👩\u{200D}👧".repeat(1_000));
            let s = stem(&family, "c1");
            assert!(s.ends_with('👧') && s.len() <= MAX_STEM_BYTES, "{s:?}");
        }
    }

    #[test]
    fn empty_names_fall_back() {
        assert_eq!(stem("", "c1"), "c1");
        assert_eq!(stem("/\\:", "../x"), "x");
        assert_eq!(stem("", ""), "contact");
        assert_eq!(stem("", "..."), "contact");
    }

    #[test]
    fn duplicates_are_numbered_case_insensitively() {
        let mut names = UniqueNames::default();
        assert_eq!(names.claim("Ana", "md"), "Ana.md");
        assert_eq!(names.claim("ana", "md"), "ana (2).md");
        assert_eq!(names.claim("Ana (2)", "md"), "Ana (2) (2).md");
        assert_eq!(names.claim("Ana", "md"), "Ana (3).md");
    }
}
