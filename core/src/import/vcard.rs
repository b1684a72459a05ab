//! vCard 2.1, 3.0 and 4.0, one or many cards per file, parsed with `calcard` (which handles
//! folding, photos and Apple's `itemN.` groups) once `vcard_text` has turned the file's bytes
//! into text (byte-order marks, UTF-16, per-property `CHARSET`, quoted-printable).
//!
//! Kept: the name (FN, or N), email addresses, phone numbers, web pages (Twitter/X, LinkedIn
//! and Mastodon profile addresses become handles on those platforms, others blog links),
//! Twitter and social-profile extensions, the organisation, the address's town/region/country
//! as the location, NOTE, CATEGORIES as tags. Birthdays, anniversaries and Apple's
//! labelled dates become the contact's important dates. Photos and keys are left out.
//!
//! Keys: `vcard:<UID>`, or without a UID `vcard:email:<first address>`, or failing that a hash
//! of the name and phone numbers, so the same file imported twice adds nothing.
//!
//! Kith's own cards (`UID:urn:kith:<id>`) keep the contact's id, so they come back to the same
//! contact; their `X-KITH-ROLE` lines (or, failing those, the role words in `CATEGORIES`) are
//! roles rather than tags, `EXPERTISE` is read, and the note's `Private notes:` part goes back
//! to the private notes.

use super::text::stable_hash;
use super::{new_contact, Batch, Ctx, Parsed};
use crate::domain::*;
use crate::error::Result;
use calcard::vcard::{
    VCard, VCardEntry, VCardParameterName, VCardParameterValue, VCardProperty, VCardValue,
};
use calcard::Entry;

/// The most properties (unfolded lines) one card may have. Address books write tens (a
/// photo is one property, however many lines it is folded over). Parsed, a property takes a
/// few hundred bytes, so this bounds one card to a few megabytes; a card listing thousands
/// of addresses still reaches the handle limit, which names it.
const MAX_CARD_PROPERTIES: usize = 10_000;

pub(crate) fn parse(bytes: &[u8], ctx: &mut Ctx<'_>) -> Result<Parsed> {
    let mut batch = Batch::new(ctx.now);
    // Counted on the bytes, before anything is copied or decoded: decoding keeps every line
    // of the file at once (to look ahead for a card's character set), and a card costs far
    // more decoded than the three lines of its smallest text. UTF-16 text has zero bytes
    // between its letters and matches nothing here; it is counted once decoded.
    let check = |held: usize| {
        super::records::check_count(
            &ctx.label,
            "the whole file",
            "cards",
            held,
            ctx.limits.max_records,
        )
    };
    let held = count_cards(bytes);
    check(held)?;
    let decoded = super::vcard_text::decode(bytes).map_err(|(place, m)| ctx.bad(place, m))?;
    if held == 0 {
        check(count_cards(decoded.text.as_bytes()))?;
    }
    for note in decoded.notes {
        batch.notes.push(format!("{}: {note}", ctx.label));
    }
    let text = decoded.text.as_str();
    let cards = split_cards(text).map_err(|(line, m)| ctx.bad(format!("line {line}"), m))?;
    if cards.is_empty() {
        return Err(ctx.bad("line 1", "no BEGIN:VCARD found: this is not a vCard file"));
    }
    let total = cards.len() as u64;
    for (n, (line, chunk)) in cards.iter().enumerate() {
        ctx.tick_every("reading cards", n as u64, Some(total))?;
        let place = format!("card {} (line {line})", n + 1);
        // Parsed, each property takes a few hundred bytes however short its line: a card of
        // millions of lines is refused by their number before it is parsed.
        let properties = chunk
            .split_inclusive('\n')
            .filter(|l| !l.starts_with([' ', '\t']))
            .count();
        if properties > MAX_CARD_PROPERTIES {
            return Err(ctx.bad(
                place,
                format!(
                    "the card has {properties} lines, more than the {MAX_CARD_PROPERTIES} Kith reads in one card"
                ),
            ));
        }
        let card = match calcard::Parser::new(chunk).entry() {
            Entry::VCard(card) => card,
            Entry::InvalidLine(l) => {
                return Err(ctx.bad(
                    place,
                    format!("unreadable line {:?}", super::text::one_line(&l, 60)),
                ))
            }
            other => {
                return Err(ctx.bad(place, format!("not a vCard ({})", debug_kind(&other))));
            }
        };
        let Some(contact) = to_contact(&card, ctx, &place, &mut batch.notes) else {
            batch.skipped += 1;
            continue;
        };
        let key = contact.id.clone();
        let mut existing = batch.contact(&key, &contact.name);
        for h in contact.handles {
            existing.add_handle(h.platform, &h.value);
        }
        for t in contact.tags {
            existing.add_tag(&t);
        }
        if existing.organisation.is_empty() {
            existing.organisation = contact.organisation;
        }
        if existing.location.is_empty() {
            existing.location = contact.location;
        }
        if existing.notes.is_empty() {
            existing.notes = contact.notes;
        }
        if existing.private_notes.is_empty() {
            existing.private_notes = contact.private_notes;
        }
        // Repeats across cards of one person are dropped when the contact is stored.
        existing.expertise.extend(contact.expertise);
        for r in contact.roles {
            if !existing.roles.iter().any(|o| o.kind == r.kind) {
                existing.roles.push(r);
            }
        }
        for d in contact.dates {
            if !existing.dates.contains(&d) {
                existing.dates.push(d);
            }
        }
        batch.check(ctx, || place)?;
    }
    Ok(batch.finish())
}

/// How many lines of `text` (ASCII-compatible bytes) are `BEGIN:VCARD`.
fn count_cards(text: &[u8]) -> usize {
    text.split(|b| *b == b'\n')
        .filter(|l| {
            let l = l.trim_ascii();
            l.strip_prefix(b"\xEF\xBB\xBF".as_slice())
                .unwrap_or(l)
                .eq_ignore_ascii_case(b"BEGIN:VCARD")
        })
        .count()
}

fn debug_kind(e: &Entry) -> &'static str {
    match e {
        Entry::ICalendar(_) => "an iCalendar component",
        Entry::UnterminatedComponent(_) => "the card has no END:VCARD",
        Entry::UnexpectedComponentEnd { .. } => "an END line that does not match",
        Entry::TooManyComponents => "too many nested components",
        Entry::Eof => "the card is empty",
        _ => "unreadable",
    }
}

/// The cards of a file with the line each starts on. Unfolded lines inside a card are kept
/// as they are; calcard unfolds them.
fn split_cards(text: &str) -> std::result::Result<Vec<(usize, String)>, (usize, String)> {
    let mut out = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let trimmed = line.trim().trim_start_matches('\u{feff}');
        let upper = trimmed.to_ascii_uppercase();
        if upper == "BEGIN:VCARD" {
            if let Some((start, _)) = &current {
                return Err((
                    *start,
                    "this card has no END:VCARD before the next BEGIN:VCARD".into(),
                ));
            }
            current = Some((i + 1, String::new()));
        }
        if let Some((_, buf)) = current.as_mut() {
            buf.push_str(line);
            if !line.ends_with('\n') {
                buf.push('\n');
            }
        } else if !trimmed.is_empty() {
            return Err((
                i + 1,
                format!(
                    "text outside a card: {:?}",
                    super::text::one_line(trimmed, 60)
                ),
            ));
        }
        if upper == "END:VCARD" {
            if let Some(card) = current.take() {
                out.push(card);
            }
        }
    }
    if let Some((start, _)) = current {
        return Err((
            start,
            "the last card has no END:VCARD (is the file cut short?)".into(),
        ));
    }
    Ok(out)
}

fn texts(e: &VCardEntry) -> Vec<String> {
    let mut out = Vec::new();
    for v in &e.values {
        match v {
            VCardValue::Text(t) => out.push(t.clone()),
            VCardValue::Component(parts) => out.extend(parts.iter().cloned()),
            _ => {}
        }
    }
    out
}

fn first_text(e: &VCardEntry) -> String {
    texts(e)
        .into_iter()
        .find(|t| !t.trim().is_empty())
        .unwrap_or_default()
}

fn other_name(e: &VCardEntry) -> Option<String> {
    match &e.name {
        VCardProperty::Other(n) => Some(n.to_ascii_uppercase()),
        _ => None,
    }
}

fn to_contact(
    card: &VCard,
    ctx: &Ctx<'_>,
    place: &str,
    notes: &mut Vec<String>,
) -> Option<Contact> {
    let get = |p: VCardProperty| card.entries.iter().filter(move |e| e.name == p);
    let mut name = get(VCardProperty::Fn)
        .map(first_text)
        .find(|t| !t.trim().is_empty())
        .unwrap_or_default();
    if name.trim().is_empty() {
        if let Some(n) = get(VCardProperty::N).next() {
            // family; given; additional; prefix; suffix
            let parts: Vec<String> = n.values.iter().map(value_text).collect();
            let pick = |i: usize| parts.get(i).cloned().unwrap_or_default();
            name = [pick(3), pick(1), pick(2), pick(0), pick(4)]
                .iter()
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
        }
    }
    let mut handles: Vec<Handle> = Vec::new();

    for e in get(VCardProperty::Email) {
        push(&mut handles, Platform::Email, first_text(e));
    }
    let org = get(VCardProperty::Org)
        .map(first_text)
        .find(|t| !t.is_empty())
        .unwrap_or_default();
    if name.trim().is_empty() {
        name = handles
            .first()
            .map(|h| h.value.clone())
            .unwrap_or(org.clone());
    }
    if name.trim().is_empty() {
        return None;
    }
    for e in get(VCardProperty::Tel) {
        push(&mut handles, Platform::Phone, first_text(e));
    }
    for e in get(VCardProperty::Url).chain(get(VCardProperty::Socialprofile)) {
        let url = first_text(e);
        let (p, v) = classify_url(&url);
        push(&mut handles, p, v);
    }
    for e in &card.entries {
        match other_name(e).as_deref() {
            Some("X-TWITTER") => {
                let v = first_text(e);
                let (p, v) = if v.contains('/') {
                    classify_url(&v)
                } else {
                    (Platform::Twitter, at(&v))
                };
                push(&mut handles, p, v);
            }
            Some("X-SOCIALPROFILE") => {
                let url = first_text(e);
                let (p, v) = match (classify_url(&url), social_type(e)) {
                    // A profile Kith wrote as typed because it is no address: the TYPE says
                    // whose it is.
                    ((Platform::Blog, _), Some(p)) => (p, url.trim().to_string()),
                    (found, _) => found,
                };
                push(&mut handles, p, v);
            }
            Some("X-MASTODON") => push(&mut handles, Platform::Mastodon, at(&first_text(e))),
            Some("X-BLUESKY") => push(
                &mut handles,
                Platform::Bluesky,
                first_text(e).trim_start_matches('@').to_string(),
            ),
            _ => {}
        }
    }
    let mut c = new_contact("", name.trim(), ctx.now);
    c.handles = handles;
    c.organisation = org;
    if let Some(adr) = get(VCardProperty::Adr).next() {
        let parts: Vec<String> = adr.values.iter().map(value_text).collect();
        // PO box; extended; street; locality; region; postal code; country
        c.location = [3usize, 4, 6]
            .iter()
            .filter_map(|i| parts.get(*i))
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(", ");
    }
    let title = get(VCardProperty::Title)
        .map(first_text)
        .find(|t| !t.is_empty());
    // Every NOTE is kept: address books split long notes, and Outlook writes one per field.
    let note = get(VCardProperty::Note)
        .map(|e| texts(e).join(", "))
        .filter(|t| !t.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n\n");
    let note = (!note.is_empty()).then_some(note);
    let uid = card.uid().map(str::trim).filter(|u| !u.is_empty());
    // Kith's own export: the contact's id, roles in full and private notes come back.
    let kith_id = uid
        .and_then(|u| u.strip_prefix("urn:kith:"))
        .and_then(crate::export::percent_decode)
        .filter(|id| !id.trim().is_empty());
    let (note, private_note) = match (&kith_id, note) {
        (Some(_), Some(note)) => split_private(&note),
        (_, note) => (note, None),
    };
    c.notes = [title.map(|t| format!("Title: {t}")), note]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("\n\n");
    c.private_notes = private_note.unwrap_or_default();
    for e in card
        .entries
        .iter()
        .filter(|e| other_name(e).as_deref() == Some(crate::export::KITH_ROLE) && kith_id.is_some())
    {
        if let Some(role) = crate::export::parse_role_label(&first_text(e)) {
            match c.roles.iter_mut().find(|r| r.kind == role.kind) {
                // The same kind twice: one role, as the store would keep it.
                Some(r) => {
                    r.topics.extend(role.topics);
                    r.acknowledged |= role.acknowledged;
                }
                None => c.roles.push(role),
            }
        }
    }
    c.dates = dates(card, place, notes);
    let mut topics = std::collections::HashSet::new();
    for e in get(VCardProperty::Expertise) {
        let topic = first_text(e);
        let topic = topic.trim();
        if !topic.is_empty() && topics.insert(topic.to_string()) {
            c.expertise.push(topic.to_string());
        }
    }
    for e in get(VCardProperty::Categories) {
        for t in texts(e) {
            for t in t.split(',') {
                // Kith writes the kinds of its roles first; they are roles, not tags.
                let role = RoleKind::ALL.into_iter().find(|k| k.as_str() == t.trim());
                match (role, &kith_id) {
                    (Some(kind), Some(_)) if !c.roles.iter().any(|r| r.kind == kind) => {
                        c.roles.push(Role {
                            kind,
                            direction: kind.default_direction(),
                            topics: Vec::new(),
                            acknowledged: false,
                        });
                    }
                    (Some(_), Some(_)) => {}
                    // Repeats are dropped as the card joins the batch.
                    _ if !t.trim().is_empty() => c.tags.push(t.trim().to_string()),
                    _ => {}
                }
            }
        }
    }
    let email = c
        .handles
        .iter()
        .find(|h| h.platform == Platform::Email)
        .map(|h| h.value.to_lowercase());
    c.id = match (kith_id, uid, email) {
        (Some(id), _, _) => id,
        (None, Some(u), _) => format!("vcard:{u}"),
        (None, None, Some(e)) => format!("vcard:email:{e}"),
        (None, None, None) => {
            let phones: Vec<&str> = c.handles.iter().map(|h| h.value.as_str()).collect();
            format!("vcard:{}", stable_hash(&[&c.name, &phones.join(",")]))
        }
    };
    Some(c)
}

/// Birthdays and anniversaries: `BDAY`, `ANNIVERSARY` (vCard 4.0), the extensions older
/// programs use for anniversaries (`X-ANNIVERSARY`, `X-MS-ANNIVERSARY`,
/// `X-EVOLUTION-ANNIVERSARY`, `X-WAB-WEDDING_ANNIVERSARY`), and Apple's labelled dates
/// (`itemN.X-ABDATE` with `itemN.X-ABLabel`). A value that is no date (a text birthday such as
/// "circa 1800") is left out, and the import says so.
fn dates(card: &VCard, place: &str, notes: &mut Vec<String>) -> Vec<ImportantDate> {
    let mut out: Vec<ImportantDate> = Vec::new();
    let label_of = |group: &Option<String>| -> Option<String> {
        let group = group.as_ref()?;
        card.entries
            .iter()
            .filter(|e| {
                e.group
                    .as_ref()
                    .is_some_and(|g| g.eq_ignore_ascii_case(group))
            })
            .find(|e| other_name(e).as_deref() == Some("X-ABLABEL"))
            .map(first_text)
    };
    for e in &card.entries {
        let (kind, label) = match (&e.name, other_name(e).as_deref()) {
            (VCardProperty::Bday, _) => (DateKind::Birthday, String::new()),
            (VCardProperty::Anniversary, _) => (DateKind::Anniversary, String::new()),
            (
                _,
                Some(
                    "X-ANNIVERSARY"
                    | "X-MS-ANNIVERSARY"
                    | "X-EVOLUTION-ANNIVERSARY"
                    | "X-WAB-WEDDING_ANNIVERSARY",
                ),
            ) => (DateKind::Anniversary, String::new()),
            (_, Some("X-ABDATE")) => {
                let label = label_of(&e.group).unwrap_or_default();
                // Apple writes its own labels as `_$!<Anniversary>!$_`.
                let plain = label
                    .trim_start_matches("_$!<")
                    .trim_end_matches(">!$_")
                    .trim()
                    .to_string();
                if plain.eq_ignore_ascii_case("anniversary") {
                    (DateKind::Anniversary, String::new())
                } else {
                    (DateKind::Other, plain)
                }
            }
            _ => continue,
        };
        let parsed = e
            .values
            .iter()
            .find_map(|v| -> Option<std::result::Result<_, String>> {
                Some(match v {
                    VCardValue::PartialDateTime(p) => match (p.month, p.day) {
                        (Some(m), Some(d)) => ImportantDate::new(
                            kind,
                            m.into(),
                            d.into(),
                            p.year.map(i32::from).filter(|y| *y != 1604),
                        )
                        .ok_or_else(|| format!("month {m}, day {d} is not a date")),
                        _ => Err("a date without its month and day".to_string()),
                    },
                    VCardValue::Text(t) if !t.trim().is_empty() => ImportantDate::parse(kind, t),
                    _ => return None,
                })
            });
        match parsed {
            Some(Ok(mut d)) => {
                d.label = label;
                if !out.contains(&d) {
                    out.push(d);
                }
            }
            Some(Err(why)) => notes.push(format!(
                "{place}: {} left out: {why}",
                kind.label().to_lowercase()
            )),
            None => {}
        }
    }
    out
}

/// The platform an `X-SOCIALPROFILE;TYPE=…` names, when Kith has one for it.
fn social_type(e: &VCardEntry) -> Option<Platform> {
    e.params
        .iter()
        .filter(|p| p.name == VCardParameterName::Type)
        .find_map(|p| match &p.value {
            VCardParameterValue::Text(t) => match t.to_ascii_lowercase().as_str() {
                "twitter" | "x" => Some(Platform::Twitter),
                "mastodon" => Some(Platform::Mastodon),
                "bluesky" => Some(Platform::Bluesky),
                _ => None,
            },
            _ => None,
        })
}

/// A Kith note: the contact's notes, then, after a blank line, `Private notes:` and the
/// private notes.
fn split_private(note: &str) -> (Option<String>, Option<String>) {
    let heading = format!("{}\n", crate::export::PRIVATE_NOTES_HEADING);
    let (public, private) = match note.strip_prefix(&heading) {
        Some(private) => ("", Some(private)),
        None => match note.split_once(&format!("\n\n{heading}")) {
            Some((public, private)) => (public, Some(private)),
            None => (note, None),
        },
    };
    let keep = |s: &str| (!s.trim().is_empty()).then(|| s.to_string());
    (keep(public), private.and_then(keep))
}

fn push(handles: &mut Vec<Handle>, p: Platform, v: String) {
    let v = v.trim().to_string();
    if !v.is_empty() {
        handles.push(Handle {
            platform: p,
            value: v,
        });
    }
}

fn value_text(v: &VCardValue) -> String {
    match v {
        VCardValue::Text(t) => t.clone(),
        VCardValue::Component(parts) => parts.join(" "),
        _ => String::new(),
    }
}

fn at(v: &str) -> String {
    format!("@{}", v.trim().trim_start_matches('@'))
}

/// A profile address as a handle on its platform, or a blog link.
pub(crate) fn classify_url(url: &str) -> (Platform, String) {
    let u = url.trim();
    let lower = u.to_lowercase();
    let rest = lower
        .split_once("://")
        .map(|(_, r)| r)
        .unwrap_or(&lower)
        .trim_start_matches("www.")
        .trim_start_matches("mobile.");
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let first = path.split(['/', '?', '#']).next().unwrap_or("");
    match host {
        "twitter.com" | "x.com" if !first.is_empty() && first != "intent" && first != "i" => {
            // Keep the spelling the user has.
            let original = u
                .rsplit('/')
                .find(|s| s.eq_ignore_ascii_case(first))
                .unwrap_or(first);
            (Platform::Twitter, at(original))
        }
        "linkedin.com" => (Platform::Linkedin, u.to_string()),
        "bsky.app" if path.starts_with("profile/") => (
            Platform::Bluesky,
            path.trim_start_matches("profile/")
                .trim_end_matches('/')
                .to_string(),
        ),
        _ if first.starts_with('@') && first.len() > 1 && !first[1..].contains('@') => {
            (Platform::Mastodon, format!("{}@{host}", first))
        }
        _ => (Platform::Blog, u.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_addresses_become_handles() {
        assert_eq!(
            classify_url("https://twitter.com/AnnLib"),
            (Platform::Twitter, "@AnnLib".into())
        );
        assert_eq!(
            classify_url("https://x.com/bob/"),
            (Platform::Twitter, "@bob".into())
        );
        assert_eq!(
            classify_url("https://glammr.us/@ann"),
            (Platform::Mastodon, "@ann@glammr.us".into())
        );
        assert_eq!(
            classify_url("https://bsky.app/profile/ann.bsky.social"),
            (Platform::Bluesky, "ann.bsky.social".into())
        );
        assert_eq!(
            classify_url("https://blog.example.org/"),
            (Platform::Blog, "https://blog.example.org/".into())
        );
    }

    #[test]
    fn cards_are_split_with_their_lines() {
        let cards =
            split_cards("BEGIN:VCARD\nFN:A\nEND:VCARD\n\nBEGIN:VCARD\nFN:B\nEND:VCARD").unwrap();
        assert_eq!(cards.len(), 2);
        assert_eq!(cards[1].0, 5);
        assert_eq!(split_cards("BEGIN:VCARD\nFN:A\n").unwrap_err().0, 1);
        assert_eq!(split_cards("hello\n").unwrap_err().0, 1);
    }
}
