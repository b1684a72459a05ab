//! Who is likely at an event without being on its list: people of the network who used the
//! event's hashtags lately, or live where it is held. One pass over the interactions
//! ([`Scan`]) notes this alongside each attendee's history.

use super::*;

/// A hashtag in the form used for comparison: no `#`, folded like a name, no spaces.
fn fold_tag(tag: &str) -> String {
    fold_name(tag.trim().trim_start_matches('#')).replace(' ', "")
}

/// The first part of a place ("Wellington" of "Wellington, New Zealand"), folded; empty for
/// places that are not places ("online").
fn fold_city(location: &str) -> String {
    let first = location.split([',', '/', '(']).next().unwrap_or_default();
    let city = fold_name(first);
    match city.as_str() {
        "online" | "virtual" | "remote" | "zoom" | "web" | "internet" | "hybrid" => String::new(),
        _ => city,
    }
}

/// What one pass over interactions notes for a briefing.
#[derive(Default)]
pub(super) struct Scan<'a> {
    /// Each attendee's interactions, in the order read.
    pub(super) of_contact: IdMap<'a, Vec<&'a Interaction>>,
    /// For everyone else: the event's hashtags they used.
    pub(super) tag_use: IdMap<'a, Vec<TagUse<'a>>>,
    /// Everyone else met in person.
    pub(super) met_in_person: IdSet<'a>,
}

impl<'a> Scan<'a> {
    /// Reads `part`, leaving out interactions after `now`.
    pub(super) fn of(
        part: &'a [Interaction],
        attendees: &IdSet<'_>,
        tags: &EventTags<'_>,
        now: DateTime<Utc>,
    ) -> Scan<'a> {
        let mut scan = Scan::default();
        for i in part.iter().filter(|i| i.occurred_at <= now) {
            let hits = if matches!(i.direction, Direction::Inbound | Direction::Mutual) {
                tags.used_by(i)
            } else {
                0
            };
            for c in &i.contact_ids {
                let c = c.as_str();
                if attendees.contains(c) {
                    scan.of_contact.entry(c).or_default().push(i);
                    continue;
                }
                if i.channel == Channel::InPerson {
                    scan.met_in_person.insert(c);
                }
                if hits != 0 {
                    let uses = scan.tag_use.entry(c).or_default();
                    for (t, _) in tags.list.iter().enumerate() {
                        if hits & (1 << t) != 0 {
                            let one = TagUse {
                                tag: t,
                                count: 1,
                                last: i,
                            };
                            add_use(uses, one);
                        }
                    }
                }
            }
        }
        scan
    }

    /// Adds what a pass over the interactions that follow found.
    pub(super) fn absorb(&mut self, later: Scan<'a>) {
        for (c, list) in later.of_contact {
            self.of_contact.entry(c).or_default().extend(list);
        }
        for (c, list) in later.tag_use {
            let uses = self.tag_use.entry(c).or_default();
            for u in list {
                add_use(uses, u);
            }
        }
        self.met_in_person.extend(later.met_in_person);
    }
}

/// Counts `found` in `uses`: the latest use is kept, the later-read one when two are at the
/// same time.
fn add_use<'a>(uses: &mut Vec<TagUse<'a>>, found: TagUse<'a>) {
    match uses.iter_mut().find(|u| u.tag == found.tag) {
        Some(u) => {
            u.count += found.count;
            if found.last.occurred_at >= u.last.occurred_at {
                u.last = found.last;
            }
        }
        None => uses.push(found),
    }
}

/// How often a contact used one of the event's hashtags, and the latest time.
pub(super) struct TagUse<'a> {
    pub(super) tag: usize,
    pub(super) count: usize,
    pub(super) last: &'a Interaction,
}

/// The event's hashtags, folded for comparison (at most 64).
pub(super) struct EventTags<'e> {
    /// (folded, as the event spells it without `#`)
    list: Vec<(String, &'e str)>,
}

impl<'e> EventTags<'e> {
    pub(super) fn new(event: &'e Event) -> EventTags<'e> {
        let mut list: Vec<(String, &'e str)> = Vec::new();
        for t in &event.hashtags {
            let folded = fold_tag(t);
            if !folded.is_empty() && !list.iter().any(|(f, _)| *f == folded) && list.len() < 64 {
                list.push((folded, t.trim().trim_start_matches('#')));
            }
        }
        EventTags { list }
    }

    /// Which hashtags an interaction carries, as a tag or as `#tag` in its text: bit `k` for
    /// the `k`th.
    fn used_by(&self, i: &Interaction) -> u64 {
        if self.list.is_empty() {
            return 0;
        }
        let mut hits = 0u64;
        for (k, (folded, _)) in self.list.iter().enumerate() {
            if i.tags.iter().any(|t| same_tag(t, folded)) {
                hits |= 1 << k;
            }
        }
        if i.text.contains('#') {
            for h in talk::hashtags_in(&i.text) {
                for (k, (folded, _)) in self.list.iter().enumerate() {
                    if same_tag(h, folded) {
                        hits |= 1 << k;
                    }
                }
            }
        }
        hits
    }
}

pub(super) fn likely_attendees(
    event: &Event,
    tags: &EventTags<'_>,
    contacts: &[Contact],
    tag_use: &IdMap<'_, Vec<TagUse<'_>>>,
    met_in_person: &IdSet<'_>,
    attending: &HashSet<&str>,
) -> (Vec<LikelyAttendee>, u32) {
    let city = fold_city(&event.location);
    let mut out: Vec<(usize, String, &Contact, Vec<String>)> = Vec::new();
    for c in contacts {
        if attending.contains(c.id.as_str()) {
            continue;
        }
        let mut reasons = Vec::new();
        let mut uses = 0;
        if let Some(list) = tag_use.get(c.id.as_str()) {
            let mut list: Vec<&TagUse<'_>> = list.iter().collect();
            list.sort_by_key(|u| u.tag);
            for u in list {
                uses += u.count;
                // Only what they wrote counts: a hashtag the user wrote to them says nothing.
                reasons.push(format!(
                    "used #{} in {}, last on {} on {}",
                    tags.list[u.tag].1,
                    plural(u.count, "interaction"),
                    u.last.channel.label(),
                    u.last.occurred_at.format("%Y-%m-%d")
                ));
            }
        }
        if !city.is_empty() && !c.location.is_empty() && fold_city(&c.location) == city {
            reasons.push(format!(
                "based in {}, where the event takes place",
                excerpt(&c.location, 80)
            ));
        }
        if !reasons.is_empty() {
            out.push((uses, fold_name(&c.name), c, reasons));
        }
    }
    let total = u32::try_from(out.len()).unwrap_or(u32::MAX);
    out.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then_with(|| a.1.cmp(&b.1))
            .then_with(|| a.2.id.cmp(&b.2.id))
    });
    out.truncate(LIKELY_MAX);
    let list = out
        .into_iter()
        .map(|(_, _, c, reasons)| LikelyAttendee {
            contact_id: c.id.clone(),
            name: c.name.clone(),
            organisation: c.organisation.clone(),
            location: c.location.clone(),
            roles: c.roles.iter().map(role_brief).collect(),
            reasons,
            handles: c
                .handles
                .iter()
                .filter(|h| !h.value.trim().is_empty())
                .cloned()
                .collect(),
            met_in_person: met_in_person.contains(c.id.as_str()),
        })
        .collect();
    (list, total)
}

/// Whether `raw` is the hashtag `folded`; plain ASCII tags are compared without allocating.
fn same_tag(raw: &str, folded: &str) -> bool {
    let raw = raw.trim().trim_start_matches('#');
    if raw.is_ascii() {
        let mut theirs = raw
            .bytes()
            .filter(u8::is_ascii_alphanumeric)
            .map(|b| b.to_ascii_lowercase());
        let mut ours = folded.bytes();
        loop {
            match (theirs.next(), ours.next()) {
                (None, None) => return true,
                (Some(a), Some(b)) if a == b => {}
                _ => return false,
            }
        }
    }
    fold_tag(raw) == folded
}
