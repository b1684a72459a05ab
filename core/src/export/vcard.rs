//! vCard 4.0 (RFC 6350), all contacts in one file, written with `calcard`, which escapes
//! `\`, `,`, `;` and line breaks and folds lines at 75 octets without splitting characters.

use super::markdown::handles_on;
use super::text::{clean, one_line, percent_encode};
use super::{role_label, ExportFile, Prepared};
use crate::domain::{Contact, DateKind, ImportantDate, Platform, RoleKind};
use crate::error::{Error, Result};
use calcard::common::PartialDateTime;
use calcard::vcard::{
    VCard, VCardEntry, VCardParameter, VCardParameterName, VCardParameterValue, VCardProperty,
    VCardValue, VCardValueType, VCardVersion,
};
use chrono::{DateTime, Datelike, Timelike, Utc};

pub(crate) const PRODID: &str = "-//Kith//Kith exports//EN";

/// A role as [`role_label`] words it: `mentor (acknowledged): Koha serials, career`.
pub(crate) const KITH_ROLE: &str = "X-KITH-ROLE";

/// What the note holds after the contact's notes, before their private notes.
pub(crate) const PRIVATE_NOTES_HEADING: &str = "Private notes:";

pub(crate) fn render(p: &Prepared) -> Result<ExportFile> {
    let mut out = String::new();
    for contact in p.contacts {
        card(p, contact)
            .write_to(&mut out, VCardVersion::V4_0)
            .map_err(|_| Error::invalid("cannot write the vCard export"))?;
    }
    Ok(ExportFile {
        path: "contacts.vcf".into(),
        bytes: out.into_bytes(),
    })
}

fn card(p: &Prepared, contact: &Contact) -> VCard {
    let mut entries = vec![text(VCardProperty::Prodid, PRODID)];
    let name = one_line(&contact.name).trim().to_string();
    let display = if name.is_empty() {
        one_line(&contact.id)
    } else {
        name.clone()
    };
    entries.push(text(VCardProperty::Fn, &display));
    let (family, given) = split_name(&name);
    entries.push(
        VCardEntry::new(VCardProperty::N).with_values(
            [family, given, String::new(), String::new(), String::new()]
                .into_iter()
                .map(VCardValue::Text)
                .collect(),
        ),
    );
    entries.push(text(
        VCardProperty::Uid,
        &format!("urn:kith:{}", percent_encode(&contact.id, &[])),
    ));
    let organisation = one_line(&contact.organisation);
    if !organisation.trim().is_empty() {
        entries.push(text(VCardProperty::Org, organisation.trim()));
    }
    let location = one_line(&contact.location);
    if !location.trim().is_empty() {
        // Free text: best kept whole, as the locality of an address.
        let mut parts = vec![String::new(); 7];
        parts[3] = location.trim().to_string();
        entries.push(
            VCardEntry::new(VCardProperty::Adr)
                .with_values(parts.into_iter().map(VCardValue::Text).collect()),
        );
    }
    // vCard has one birthday and one anniversary; the first of each kind is written, in
    // RFC 6350's basic form (`19850412`, or `--0412` without a year). Other dates have no
    // vCard property and stay in Kith (and in the archive and the calendar export).
    for (property, kind) in [
        (VCardProperty::Bday, DateKind::Birthday),
        (VCardProperty::Anniversary, DateKind::Anniversary),
    ] {
        if let Some(d) = contact.dates.iter().find(|d| d.kind == kind) {
            entries.push(text(property, &vcard_date(d)));
        }
    }
    for email in handles_on(contact, Platform::Email) {
        entries.push(text(VCardProperty::Email, one_line(email).trim()));
    }
    for phone in handles_on(contact, Platform::Phone) {
        entries.push(text(VCardProperty::Tel, one_line(phone).trim()).with_param(
            VCardParameter::new(
                VCardParameterName::Value,
                VCardParameterValue::ValueType(VCardValueType::Text),
            ),
        ));
    }
    for platform in [Platform::Blog, Platform::Linkedin] {
        for url in handles_on(contact, platform) {
            entries.push(text(VCardProperty::Url, &web_address(url)));
        }
    }
    for platform in [Platform::Twitter, Platform::Mastodon, Platform::Bluesky] {
        for handle in handles_on(contact, platform) {
            entries.push(
                text(
                    VCardProperty::Other("X-SOCIALPROFILE".into()),
                    &social_profile(platform, handle),
                )
                .with_param(VCardParameter::new(
                    VCardParameterName::Type,
                    VCardParameterValue::Text(platform.as_str().into()),
                )),
            );
        }
    }
    for topic in &contact.expertise {
        let topic = one_line(topic);
        if !topic.trim().is_empty() {
            entries.push(text(VCardProperty::Expertise, topic.trim()));
        }
    }
    let categories = categories(contact);
    if !categories.is_empty() {
        entries.push(
            VCardEntry::new(VCardProperty::Categories)
                .with_values(categories.into_iter().map(VCardValue::Text).collect()),
        );
    }
    // The roles in full (direction, topics, whether acknowledged), so Kith reads them back;
    // other address books keep or ignore an X- property.
    for role in &contact.roles {
        entries.push(text(
            VCardProperty::Other(KITH_ROLE.into()),
            &one_line(&role_label(role)),
        ));
    }
    let note = note(p, contact);
    if !note.is_empty() {
        entries.push(text(VCardProperty::Note, &note));
    }
    entries.push(
        VCardEntry::new(VCardProperty::Rev).with_value(VCardValue::PartialDateTime(utc_timestamp(
            contact.updated_at,
        ))),
    );
    VCard { entries }
}

/// `19850412`, or `--0412` when the year is not known.
pub(crate) fn vcard_date(d: &ImportantDate) -> String {
    match d.year {
        Some(y) => format!("{y:04}{:02}{:02}", d.month, d.day),
        None => format!("--{:02}{:02}", d.month, d.day),
    }
}

fn text(property: VCardProperty, value: &str) -> VCardEntry {
    VCardEntry::new(property).with_value(VCardValue::Text(value.to_string()))
}

/// Family and given name, best effort: "Ruiz, Ana" and "Ana Ruiz" both give ("Ruiz", "Ana");
/// "Ana van der Berg" gives ("van der Berg", "Ana"); a single word is a given name.
pub(crate) fn split_name(name: &str) -> (String, String) {
    if let Some((family, given)) = name.split_once(',') {
        return (family.trim().to_string(), given.trim().to_string());
    }
    const PARTICLES: &[&str] = &[
        "van", "von", "der", "den", "de", "del", "della", "di", "da", "dos", "das", "du", "la",
        "le", "ten", "ter", "bin", "binti", "al", "el", "st.",
    ];
    let words: Vec<&str> = name.split_whitespace().collect();
    if words.len() < 2 {
        return (String::new(), words.join(" "));
    }
    let mut start = words.len() - 1;
    while start > 1 && PARTICLES.contains(&words[start - 1].to_lowercase().as_str()) {
        start -= 1;
    }
    (words[start..].join(" "), words[..start].join(" "))
}

/// An address for a blog or profile: `https://` is added when no scheme was given.
fn web_address(value: &str) -> String {
    let value = one_line(value).trim().replace(' ', "%20");
    if value.contains("://") {
        value
    } else {
        format!("https://{value}")
    }
}

/// A profile address for a social handle: `@ana` on Twitter, `@ana@glammr.us` on Mastodon,
/// `ana.bsky.social` on Bluesky. Addresses are kept; a handle that cannot be read is kept as
/// typed.
fn social_profile(platform: Platform, handle: &str) -> String {
    let handle = one_line(handle).trim().to_string();
    if handle.starts_with("https://") || handle.starts_with("http://") {
        return handle;
    }
    let bare = handle.trim_start_matches('@');
    let made = match platform {
        Platform::Twitter if is_name(bare) => Some(format!("https://twitter.com/{bare}")),
        Platform::Mastodon => bare
            .split_once('@')
            .filter(|(user, host)| is_name(user) && is_host(host))
            .map(|(user, host)| format!("https://{host}/@{user}")),
        Platform::Bluesky if is_host(bare) => Some(format!(
            "https://bsky.app/profile/{}",
            percent_encode(bare, &[])
        )),
        _ => None,
    };
    made.unwrap_or(handle)
}

fn is_name(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn is_host(s: &str) -> bool {
    s.contains('.')
        && !s.starts_with(['.', '-'])
        && !s.ends_with(['.', '-'])
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
}

/// Roles (mentor, peer, expert) and tags.
fn categories(contact: &Contact) -> Vec<String> {
    let mut out: Vec<String> = RoleKind::ALL
        .iter()
        .filter(|kind| contact.roles.iter().any(|r| r.kind == **kind))
        .map(|kind| kind.as_str().to_string())
        .collect();
    for tag in &contact.tags {
        let tag = one_line(tag).trim().to_string();
        if !tag.is_empty() && !out.contains(&tag) {
            out.push(tag);
        }
    }
    out
}

fn note(p: &Prepared, contact: &Contact) -> String {
    let mut note = clean(&contact.notes).trim().to_string();
    if let Some(private) = p.private_notes_of(contact) {
        if !note.is_empty() {
            note.push_str("\n\n");
        }
        note.push_str(PRIVATE_NOTES_HEADING);
        note.push('\n');
        note.push_str(clean(private).trim());
    }
    note
}

pub(crate) fn utc_timestamp(at: DateTime<Utc>) -> PartialDateTime {
    PartialDateTime {
        year: u16::try_from(at.year()).ok(),
        month: u8::try_from(at.month()).ok(),
        day: u8::try_from(at.day()).ok(),
        hour: u8::try_from(at.hour()).ok(),
        minute: u8::try_from(at.minute()).ok(),
        second: u8::try_from(at.second()).ok(),
        tz_hour: Some(0),
        tz_minute: Some(0),
        tz_minus: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_split_best_effort() {
        let split = |s: &str| {
            let (f, g) = split_name(s);
            (f, g)
        };
        assert_eq!(split("Ana Ruiz"), ("Ruiz".into(), "Ana".into()));
        assert_eq!(split("Ruiz, Ana"), ("Ruiz".into(), "Ana".into()));
        assert_eq!(split("Ana María Ruiz"), ("Ruiz".into(), "Ana María".into()));
        assert_eq!(
            split("Ana van der Berg"),
            ("van der Berg".into(), "Ana".into())
        );
        assert_eq!(split("Kōtuku"), (String::new(), "Kōtuku".into()));
        assert_eq!(split(""), (String::new(), String::new()));
    }

    #[test]
    fn social_handles_become_profile_addresses() {
        assert_eq!(
            social_profile(Platform::Twitter, "@ana_r"),
            "https://twitter.com/ana_r"
        );
        assert_eq!(
            social_profile(Platform::Mastodon, "@ana@glammr.us"),
            "https://glammr.us/@ana"
        );
        assert_eq!(
            social_profile(Platform::Bluesky, "ana.bsky.social"),
            "https://bsky.app/profile/ana.bsky.social"
        );
        assert_eq!(
            social_profile(Platform::Mastodon, "https://glammr.us/@ana"),
            "https://glammr.us/@ana"
        );
        // Not a handle: kept as typed rather than turned into a wrong address.
        assert_eq!(
            social_profile(Platform::Twitter, "@ana/../x?y"),
            "@ana/../x?y"
        );
        assert_eq!(
            social_profile(Platform::Mastodon, "@ana@evil/path"),
            "@ana@evil/path"
        );
    }

    #[test]
    fn web_addresses_get_a_scheme() {
        assert_eq!(web_address("ana.blog"), "https://ana.blog");
        assert_eq!(web_address("http://ana.blog/a b"), "http://ana.blog/a%20b");
    }
}
