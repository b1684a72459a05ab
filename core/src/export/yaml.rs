//! A small YAML emitter for Markdown front matter.
//!
//! Every string is written as a double-quoted scalar, the one YAML style that can hold any
//! text and that YAML 1.1 and 1.2 parsers read the same way. Serializers that pick plain
//! scalars decide by the YAML 1.2 rules, so a name like `yes`, `on`, `No` or `1:20` comes back
//! from a YAML 1.1 parser (PyYAML, Ruby's Psych, older go-yaml, which static site generators
//! and scripts use) as a boolean or a number. Keys are fixed words chosen here and are quoted
//! when a YAML 1.1 parser would read them as something else (`on`, `y`).

use chrono::NaiveDate;
use std::fmt::Write;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Yaml {
    Null,
    Bool(bool),
    Int(u64),
    /// Written as `YYYY-MM-DD`, which YAML parsers read as a date.
    Date(NaiveDate),
    Str(String),
    List(Vec<Yaml>),
    Map(Vec<(String, Yaml)>),
}

impl Yaml {
    pub fn str(s: impl Into<String>) -> Yaml {
        Yaml::Str(s.into())
    }

    pub fn strs<S: AsRef<str>>(items: &[S]) -> Yaml {
        Yaml::List(items.iter().map(|s| Yaml::str(s.as_ref())).collect())
    }

    pub fn date(d: Option<NaiveDate>) -> Yaml {
        d.map_or(Yaml::Null, Yaml::Date)
    }

    pub fn map(pairs: Vec<(&str, Yaml)>) -> Yaml {
        Yaml::Map(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
    }
}

/// A block mapping, one `key: value` per line, ending in a newline.
pub(crate) fn document(pairs: &[(String, Yaml)]) -> String {
    let mut out = String::new();
    write_map(&mut out, pairs, 0);
    out
}

fn write_map(out: &mut String, pairs: &[(String, Yaml)], indent: usize) {
    for (n, (key, value)) in pairs.iter().enumerate() {
        // The first pair of a map that is a list item continues the `- ` line.
        if n > 0 || !out.ends_with("- ") {
            push_indent(out, indent);
        }
        out.push_str(&quote_key(key));
        out.push(':');
        write_value(out, value, indent);
    }
}

/// Writes what follows `key:` (or `-`), including the final newline.
fn write_value(out: &mut String, value: &Yaml, indent: usize) {
    match value {
        Yaml::List(items) if !items.is_empty() => {
            out.push('\n');
            for item in items {
                push_indent(out, indent + 2);
                out.push('-');
                match item {
                    Yaml::Map(pairs) if !pairs.is_empty() => {
                        out.push(' ');
                        write_map(out, pairs, indent + 4);
                    }
                    _ => write_value(out, item, indent + 2),
                }
            }
        }
        Yaml::Map(pairs) if !pairs.is_empty() => {
            out.push('\n');
            write_map(out, pairs, indent + 2);
        }
        scalar => {
            out.push(' ');
            out.push_str(&scalar_text(scalar));
            out.push('\n');
        }
    }
}

fn scalar_text(value: &Yaml) -> String {
    match value {
        Yaml::Null => "null".into(),
        Yaml::Bool(b) => b.to_string(),
        Yaml::Int(n) => n.to_string(),
        Yaml::Date(d) => d.format("%Y-%m-%d").to_string(),
        Yaml::Str(s) => quote(s),
        Yaml::List(_) => "[]".into(),
        Yaml::Map(_) => "{}".into(),
    }
}

fn push_indent(out: &mut String, indent: usize) {
    out.extend(std::iter::repeat_n(' ', indent));
}

/// Keys that YAML 1.1 reads as booleans or null when unquoted.
const YAML11_WORDS: &[&str] = &[
    "y", "n", "yes", "no", "on", "off", "true", "false", "null", "~",
];

fn quote_key(key: &str) -> String {
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !key.starts_with(|c: char| c.is_ascii_digit())
        && !YAML11_WORDS.contains(&key);
    if plain {
        key.to_string()
    } else {
        quote(key)
    }
}

/// A YAML double-quoted scalar. Characters outside YAML's printable set, and the ones YAML
/// treats as line breaks, are written as escapes, so the text comes back exactly.
pub(crate) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if needs_escape(c) => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn needs_escape(c: char) -> bool {
    c.is_control() // C0, DEL, C1 (including NEL)
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{FEFF}' | '\u{FFFE}' | '\u{FFFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_double_quoted_and_escaped() {
        assert_eq!(quote("yes"), r#""yes""#);
        assert_eq!(quote(r#"Ana: "Koha" #1"#), r#""Ana: \"Koha\" #1""#);
        assert_eq!(quote("a\\b\nc\td\re"), r#""a\\b\nc\td\re""#);
        assert_eq!(
            quote("\u{0}\u{7}\u{1b}\u{7f}\u{85}\u{2028}\u{feff}"),
            r#""\u0000\u0007\u001B\u007F\u0085\u2028\uFEFF""#
        );
        // Printable Unicode stays as it is.
        assert_eq!(quote("Zoë \u{202E}🦉"), "\"Zoë \u{202E}🦉\"");
    }

    #[test]
    fn keys_that_yaml_1_1_misreads_are_quoted() {
        assert_eq!(quote_key("where"), "where");
        assert_eq!(quote_key("interaction_count"), "interaction_count");
        assert_eq!(quote_key("on"), r#""on""#);
        assert_eq!(quote_key("y"), r#""y""#);
        assert_eq!(quote_key("Name"), r#""Name""#);
        assert_eq!(quote_key("1st"), r#""1st""#);
    }

    #[test]
    fn block_layout() {
        let doc = document(&[
            ("id".into(), Yaml::str("c1")),
            ("tags".into(), Yaml::strs(&["- yes", "null"])),
            ("empty".into(), Yaml::List(vec![])),
            (
                "roles".into(),
                Yaml::List(vec![Yaml::map(vec![
                    ("kind", Yaml::str("mentor")),
                    ("topics", Yaml::strs(&["Koha"])),
                    ("acknowledged", Yaml::Bool(true)),
                ])]),
            ),
            (
                "met".into(),
                Yaml::map(vec![
                    ("where", Yaml::str("VALA")),
                    ("on", Yaml::date(NaiveDate::from_ymd_opt(2019, 2, 13))),
                    ("through", Yaml::Map(vec![])),
                ]),
            ),
            ("count".into(), Yaml::Int(3)),
            ("last".into(), Yaml::date(None)),
        ]);
        let expected = "\
id: \"c1\"
tags:
  - \"- yes\"
  - \"null\"
empty: []
roles:
  - kind: \"mentor\"
    topics:
      - \"Koha\"
    acknowledged: true
met:
  where: \"VALA\"
  \"on\": 2019-02-13
  through: {}
count: 3
last: null
";
        assert_eq!(doc, expected);
    }
}
