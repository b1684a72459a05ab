//! Markdown contact notes: one file per contact with YAML front matter (an Obsidian-friendly
//! folder), or one `contacts.md` with a section per contact.
//!
//! Names, notes and interaction texts are shown as text, never as markup: characters Markdown
//! or Obsidian would interpret (`*`, `[`, `<`, `|`, `$`, `%`, a `#` or `>` opening a line …)
//! are backslash-escaped, so a rendered note shows exactly what Kith shows and an imported
//! `<script>` stays visible text.

use super::filename::{self, UniqueNames};
use super::text::{clean, one_line};
use super::yaml::{self, Yaml};
use super::{role_label, ExportFile, Prepared};
use crate::domain::{Contact, Interaction, Platform};
use std::fmt::Write;

pub(crate) fn render(p: &Prepared, combined: bool) -> Vec<ExportFile> {
    if combined {
        return vec![ExportFile {
            path: "contacts.md".into(),
            bytes: combined_document(p).into_bytes(),
        }];
    }
    let mut names = UniqueNames::default();
    p.contacts
        .iter()
        .enumerate()
        .map(|(n, contact)| {
            let stem = filename::stem(&contact.name, &contact.id);
            ExportFile {
                path: names.claim(&stem, "md"),
                bytes: contact_note(p, n, contact).into_bytes(),
            }
        })
        .collect()
}

/// One contact's note: front matter, then notes and interactions.
fn contact_note(p: &Prepared, n: usize, contact: &Contact) -> String {
    let mut out = String::from("---\n");
    out.push_str(&yaml::document(&front_matter(p, n, contact)));
    out.push_str("---\n\n");
    let _ = writeln!(out, "# {}\n", inline(&contact.name));
    write_body(&mut out, p, n, contact, 2);
    out
}

fn front_matter(p: &Prepared, n: usize, contact: &Contact) -> Vec<(String, Yaml)> {
    let shown = &p.shown[n];
    let roles = contact
        .roles
        .iter()
        .map(|r| {
            Yaml::map(vec![
                ("kind", Yaml::str(r.kind.as_str())),
                ("direction", Yaml::str(r.direction.as_str())),
                ("topics", Yaml::strs(&r.topics)),
                ("acknowledged", Yaml::Bool(r.acknowledged)),
            ])
        })
        .collect();
    let handles = Platform::ALL
        .iter()
        .filter_map(|platform| {
            let values = handles_on(contact, *platform);
            (!values.is_empty()).then(|| (platform.as_str().to_string(), Yaml::strs(&values)))
        })
        .collect();
    let pairs = vec![
        ("id", Yaml::str(&contact.id)),
        ("name", Yaml::str(&contact.name)),
        ("roles", Yaml::List(roles)),
        ("handles", Yaml::Map(handles)),
        ("organisation", Yaml::str(&contact.organisation)),
        ("location", Yaml::str(&contact.location)),
        ("tags", Yaml::strs(&contact.tags)),
        ("expertise", Yaml::strs(&contact.expertise)),
        (
            "met",
            Yaml::map(vec![
                ("where", Yaml::str(&contact.met_where)),
                ("on", Yaml::date(contact.met_on)),
                ("through", Yaml::str(&contact.met_through)),
            ]),
        ),
        (
            "first_interaction",
            Yaml::date(shown.last().map(|i| i.occurred_at.date_naive())),
        ),
        (
            "last_interaction",
            Yaml::date(shown.first().map(|i| i.occurred_at.date_naive())),
        ),
        ("interaction_count", Yaml::Int(shown.len() as u64)),
    ];
    pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

pub(crate) fn handles_on(contact: &Contact, platform: Platform) -> Vec<&str> {
    contact
        .handles
        .iter()
        .filter(|h| h.platform == platform && !h.value.trim().is_empty())
        .map(|h| h.value.as_str())
        .collect()
}

pub(crate) fn platform_label(platform: Platform) -> &'static str {
    match platform {
        Platform::Twitter => "Twitter/X",
        Platform::Mastodon => "Mastodon",
        Platform::Bluesky => "Bluesky",
        Platform::Email => "Email",
        Platform::Blog => "Blog",
        Platform::Linkedin => "LinkedIn",
        Platform::Phone => "Phone",
        Platform::Other => "Other",
    }
}

/// Notes, private notes and interactions, under headings of the given level.
fn write_body(out: &mut String, p: &Prepared, n: usize, contact: &Contact, level: usize) {
    let h = "#".repeat(level);
    if !contact.notes.trim().is_empty() {
        let _ = writeln!(out, "{h} Notes\n\n{}\n", block(&contact.notes));
    }
    if let Some(private) = p.private_notes_of(contact) {
        let _ = writeln!(out, "{h} Private notes\n\n{}\n", block(private));
    }
    let shown = &p.shown[n];
    if !shown.is_empty() {
        let _ = writeln!(out, "{h} Interactions\n");
        for interaction in shown {
            write_interaction(out, p, interaction, contact, level + 1);
        }
    }
}

fn write_interaction(
    out: &mut String,
    p: &Prepared,
    interaction: &Interaction,
    contact: &Contact,
    level: usize,
) {
    let mut title = vec![
        interaction
            .occurred_at
            .format("%Y-%m-%d %H:%M UTC")
            .to_string(),
        interaction.channel.label().to_string(),
        interaction.direction.as_str().to_string(),
    ];
    if !interaction.public {
        title.push("private".into());
    }
    if let Some(moment) = interaction.moment {
        title.push(format!("mentoring moment: {}", moment.as_str()));
    }
    let _ = writeln!(out, "{} {}\n", "#".repeat(level), title.join(" · "));
    let mut facts = Vec::new();
    let others = p.others(interaction, contact);
    if !others.is_empty() {
        let others: Vec<String> = others.iter().map(|o| inline(o)).collect();
        facts.push(format!("With: {}", others.join(", ")));
    }
    let tags: Vec<String> = interaction
        .tags
        .iter()
        .filter(|t| !t.trim().is_empty())
        .map(|t| inline(t))
        .collect();
    if !tags.is_empty() {
        facts.push(format!("Tags: {}", tags.join(" ")));
    }
    if let Some(thread) = interaction
        .thread
        .as_deref()
        .filter(|t| !t.trim().is_empty())
    {
        facts.push(format!("Thread: {}", inline(thread)));
    }
    // The exact time and the id, so importing the notes back into Kith finds the same
    // interaction instead of adding another.
    facts.push(format!(
        "At: {}",
        interaction
            .occurred_at
            .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
    ));
    facts.push(format!("ID: {}", inline(&interaction.id)));
    for fact in &facts {
        let _ = writeln!(out, "- {fact}");
    }
    if !facts.is_empty() {
        out.push('\n');
    }
    if !interaction.text.trim().is_empty() {
        for line in block(&interaction.text).lines() {
            if line.is_empty() {
                out.push_str(">\n");
            } else {
                let _ = writeln!(out, "> {line}");
            }
        }
        out.push('\n');
    }
}

/// All contacts in one document, a section each.
fn combined_document(p: &Prepared) -> String {
    let mut out = String::from("---\n");
    out.push_str(&yaml::document(&[
        ("title".into(), Yaml::str("Kith contacts")),
        ("contacts".into(), Yaml::Int(p.contacts.len() as u64)),
    ]));
    out.push_str("---\n\n# Kith contacts\n\n");
    for (n, contact) in p.contacts.iter().enumerate() {
        let _ = writeln!(out, "## {}\n", inline(&contact.name));
        for (label, value) in contact_facts(p, n, contact) {
            let _ = writeln!(out, "- {label}: {value}");
        }
        out.push('\n');
        write_body(&mut out, p, n, contact, 3);
    }
    out
}

/// The front matter as a readable list, for the combined document. Values are escaped.
fn contact_facts(p: &Prepared, n: usize, contact: &Contact) -> Vec<(&'static str, String)> {
    let list = |items: &[String]| {
        items
            .iter()
            .filter(|s| !s.trim().is_empty())
            .map(|s| inline(s))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut facts = vec![("ID", inline(&contact.id))];
    let roles: Vec<String> = contact.roles.iter().map(role_label).collect();
    facts.push(("Roles", list(&roles)));
    for platform in Platform::ALL {
        let values: Vec<String> = handles_on(contact, platform)
            .into_iter()
            .map(String::from)
            .collect();
        facts.push((platform_label(platform), list(&values)));
    }
    facts.push(("Organisation", inline(&contact.organisation)));
    facts.push(("Location", inline(&contact.location)));
    facts.push(("Tags", list(&contact.tags)));
    facts.push(("Expertise", list(&contact.expertise)));
    let mut met = Vec::new();
    if !contact.met_where.trim().is_empty() {
        met.push(format!("at {}", inline(&contact.met_where)));
    }
    if let Some(on) = contact.met_on {
        met.push(format!("on {on}"));
    }
    if !contact.met_through.trim().is_empty() {
        met.push(format!("through {}", inline(&contact.met_through)));
    }
    facts.push(("Met", met.join(", ")));
    let shown = &p.shown[n];
    if let (Some(first), Some(last)) = (shown.last(), shown.first()) {
        facts.push((
            "First interaction",
            first.occurred_at.date_naive().to_string(),
        ));
        facts.push((
            "Last interaction",
            last.occurred_at.date_naive().to_string(),
        ));
    }
    facts.push(("Interactions", shown.len().to_string()));
    facts.retain(|(_, v)| !v.trim().is_empty());
    facts
}

/// Characters with a meaning in Markdown or Obsidian anywhere in a line.
fn is_inline_special(c: char) -> bool {
    matches!(
        c,
        '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '$' | '%' | '&' | '='
    )
}

fn escape_inline_into(out: &mut String, s: &str) {
    for c in s.chars() {
        if is_inline_special(c) {
            out.push('\\');
        }
        out.push(c);
    }
}

/// One line of text, shown as text.
pub(crate) fn inline(s: &str) -> String {
    let flat = one_line(s);
    let mut out = String::with_capacity(flat.len());
    escape_inline_into(&mut out, flat.trim());
    out
}

/// Several lines of text, shown as text: each line is escaped, and a line that would open a
/// heading, quote, list or rule has its first mark escaped too.
pub(crate) fn block(s: &str) -> String {
    let cleaned = clean(s);
    let mut out = String::with_capacity(cleaned.len());
    for (n, line) in cleaned.trim_matches('\n').split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
        }
        let line = line.trim_end();
        let body = line.trim_start_matches([' ', '\t']);
        out.push_str(&line[..line.len() - body.len()]);
        let digits = body.chars().take_while(char::is_ascii_digit).count();
        // `>` and `=` are escaped with the rest of the line.
        if body.starts_with(['#', '-', '+']) {
            out.push('\\');
            escape_inline_into(&mut out, body);
        } else if digits > 0 && body[digits..].starts_with(['.', ')']) {
            out.push_str(&body[..digits]);
            out.push('\\');
            escape_inline_into(&mut out, &body[digits..]);
        } else {
            escape_inline_into(&mut out, body);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_text_cannot_become_markup() {
        assert_eq!(
            inline("<script>alert(1)</script>"),
            "\\<script\\>alert(1)\\</script\\>"
        );
        assert_eq!(inline("a\n# b"), "a # b");
        assert_eq!(
            inline("[x](javascript:y) *b* `c` $m$ %%c%% ==h=="),
            "\\[x\\](javascript:y) \\*b\\* \\`c\\` \\$m\\$ \\%\\%c\\%\\% \\=\\=h\\=\\="
        );
        assert_eq!(inline("a | b \\ c &amp;"), "a \\| b \\\\ c \\&amp;");
    }

    #[test]
    fn block_text_keeps_lines_but_not_structure() {
        let text =
            "first\r\n# not a heading\n> not a quote\n- not a list\n12. not a list\n---\n\nlast";
        assert_eq!(
            block(text),
            "first\n\\# not a heading\n\\> not a quote\n\\- not a list\n12\\. not a list\n\\---\n\nlast"
        );
        assert_eq!(block("  + x\n\n\n"), "  \\+ x");
        assert_eq!(block("2024 was good"), "2024 was good");
    }
}
