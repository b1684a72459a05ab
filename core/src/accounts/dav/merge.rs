//! A contact as the fields an address book holds, and the three-way merge of a contact
//! changed both in Kith and on the server against the version both sides last agreed on.
//!
//! Single fields (name, organisation, location, notes, birthday, anniversary) take the side
//! that changed; changed on both sides to different values, Kith's value stays and the
//! server's is a conflict the user settles. Lists (email addresses, phone numbers, links,
//! tags, expertise) merge item by item: what either side added is kept, what either side
//! removed goes, so they never conflict.

use crate::domain::{Contact, ContactDraft, DateKind, Handle, ImportantDate, Platform};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The single-valued fields, by the name the contact page and the conflicts use.
pub const SINGLE: [&str; 7] = [
    "name",
    "organisation",
    "location",
    "notes",
    "private_notes",
    "birthday",
    "anniversary",
];
/// The list fields.
pub const LISTS: [&str; 5] = ["email", "phone", "links", "tags", "expertise"];

/// A contact's card as fields: what the address book holds of it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fields {
    #[serde(default)]
    pub single: BTreeMap<String, String>,
    #[serde(default)]
    pub lists: BTreeMap<String, Vec<String>>,
}

/// A field both sides changed to different values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    pub field: String,
    pub kith: String,
    pub server: String,
}

impl Fields {
    /// The fields of a contact. Private notes only when they are shared with the server.
    pub fn of(contact: &Contact, include_private: bool) -> Fields {
        let mut f = Fields::default();
        let mut set = |k: &str, v: &str| {
            f.single.insert(k.to_string(), v.trim().to_string());
        };
        set("name", &contact.name);
        set("organisation", &contact.organisation);
        set("location", &contact.location);
        set("notes", &contact.notes);
        if include_private {
            set("private_notes", &contact.private_notes);
        }
        for (field, kind) in [
            ("birthday", DateKind::Birthday),
            ("anniversary", DateKind::Anniversary),
        ] {
            let d = contact.dates.iter().find(|d| d.kind == kind);
            set(field, &d.map(date_text).unwrap_or_default());
        }
        let handles = |wanted: &dyn Fn(Platform) -> bool| -> Vec<String> {
            let mut out: Vec<String> = Vec::new();
            for h in contact.handles.iter().filter(|h| wanted(h.platform)) {
                let v = if matches!(h.platform, Platform::Email | Platform::Phone) {
                    h.value.trim().to_string()
                } else {
                    format!("{}:{}", h.platform.as_str(), h.value.trim())
                };
                if !out.contains(&v) {
                    out.push(v);
                }
            }
            out
        };
        f.lists
            .insert("email".into(), handles(&|p| p == Platform::Email));
        f.lists
            .insert("phone".into(), handles(&|p| p == Platform::Phone));
        f.lists.insert(
            "links".into(),
            handles(&|p| !matches!(p, Platform::Email | Platform::Phone)),
        );
        f.lists.insert("tags".into(), contact.tags.clone());
        f.lists
            .insert("expertise".into(), contact.expertise.clone());
        f
    }

    /// A field's value as a list: one item for a single field (none when it is empty).
    pub fn get(&self, field: &str) -> Vec<String> {
        if let Some(v) = self.single.get(field) {
            return if v.is_empty() {
                Vec::new()
            } else {
                vec![v.clone()]
            };
        }
        self.lists.get(field).cloned().unwrap_or_default()
    }

    fn single(&self, field: &str) -> &str {
        self.single.get(field).map(String::as_str).unwrap_or("")
    }

    fn list(&self, field: &str) -> &[String] {
        self.lists.get(field).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Writes onto `draft` the fields where `self` differs from `was` (the draft's fields as
    /// they were), leaving everything else of the contact as it is.
    pub fn apply_to(&self, was: &Fields, draft: &mut ContactDraft) {
        for field in SINGLE {
            let (now, before) = (self.single(field), was.single(field));
            if now == before || !self.single.contains_key(field) {
                continue;
            }
            let v = now.to_string();
            match field {
                "name" => draft.name = v,
                "organisation" => draft.organisation = v,
                "location" => draft.location = v,
                "notes" => draft.notes = v,
                "private_notes" => draft.private_notes = v,
                "birthday" => set_date(&mut draft.dates, DateKind::Birthday, &v),
                "anniversary" => set_date(&mut draft.dates, DateKind::Anniversary, &v),
                _ => {}
            }
        }
        for field in LISTS {
            let (now, before) = (self.list(field), was.list(field));
            if now == before {
                continue;
            }
            match field {
                "email" | "phone" => {
                    let platform = if field == "email" {
                        Platform::Email
                    } else {
                        Platform::Phone
                    };
                    draft.handles.retain(|h| h.platform != platform);
                    draft.handles.extend(now.iter().map(|v| Handle {
                        platform,
                        value: v.clone(),
                    }));
                }
                "links" => {
                    draft
                        .handles
                        .retain(|h| matches!(h.platform, Platform::Email | Platform::Phone));
                    draft.handles.extend(now.iter().filter_map(|v| {
                        let (p, value) = v.split_once(':')?;
                        Some(Handle {
                            platform: p.parse().ok()?,
                            value: value.to_string(),
                        })
                    }));
                }
                "tags" => draft.tags = now.to_vec(),
                "expertise" => draft.expertise = now.to_vec(),
                _ => {}
            }
        }
    }
}

/// `1985-04-12`, or `--04-12` without a year.
fn date_text(d: &ImportantDate) -> String {
    match d.year {
        Some(y) => format!("{y:04}-{:02}-{:02}", d.month, d.day),
        None => format!("--{:02}-{:02}", d.month, d.day),
    }
}

fn set_date(dates: &mut Vec<ImportantDate>, kind: DateKind, text: &str) {
    let parsed = parse_date(text);
    let at = dates.iter().position(|d| d.kind == kind);
    match (at, parsed) {
        (Some(i), Some((year, month, day))) => {
            dates[i].year = year;
            dates[i].month = month;
            dates[i].day = day;
        }
        (Some(i), None) => {
            dates.remove(i);
        }
        (None, Some((year, month, day))) => dates.push(ImportantDate {
            kind,
            label: String::new(),
            month,
            day,
            year,
        }),
        (None, None) => {}
    }
}

fn parse_date(text: &str) -> Option<(Option<i32>, u32, u32)> {
    if let Some(rest) = text.strip_prefix("--") {
        let (m, d) = rest.split_once('-')?;
        return Some((None, m.parse().ok()?, d.parse().ok()?));
    }
    let mut parts = text.splitn(3, '-');
    let y = parts.next()?.parse().ok()?;
    let m = parts.next()?.parse().ok()?;
    let d = parts.next()?.parse().ok()?;
    Some((Some(y), m, d))
}

/// Merges `kith` and `server`, both changed since `base`. Answers the merged fields and the
/// fields both changed to different values (where the merge keeps Kith's).
pub fn merge(base: &Fields, kith: &Fields, server: &Fields) -> (Fields, Vec<Conflict>) {
    let mut out = Fields::default();
    let mut conflicts = Vec::new();
    let singles: std::collections::BTreeSet<&String> = kith
        .single
        .keys()
        .chain(server.single.keys())
        .chain(base.single.keys())
        .collect();
    for field in singles {
        let (b, k, s) = (base.single(field), kith.single(field), server.single(field));
        let v = if k == s || s == b {
            k
        } else if k == b {
            s
        } else {
            conflicts.push(Conflict {
                field: field.clone(),
                kith: k.to_string(),
                server: s.to_string(),
            });
            k
        };
        out.single.insert(field.clone(), v.to_string());
    }
    for field in LISTS {
        let (b, k, s) = (base.list(field), kith.list(field), server.list(field));
        let mut merged: Vec<String> = Vec::new();
        // Kept: Kith's items the server did not remove, then the server's additions.
        for v in k {
            let removed_by_server = b.contains(v) && !s.contains(v);
            if !removed_by_server && !merged.contains(v) {
                merged.push(v.clone());
            }
        }
        for v in s {
            let added_by_server = !b.contains(v);
            if added_by_server && !merged.contains(v) {
                merged.push(v.clone());
            }
        }
        out.lists.insert(field.to_string(), merged);
    }
    (out, conflicts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(single: &[(&str, &str)], lists: &[(&str, &[&str])]) -> Fields {
        Fields {
            single: single
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            lists: lists
                .iter()
                .map(|(k, v)| (k.to_string(), v.iter().map(|s| s.to_string()).collect()))
                .collect(),
        }
    }

    #[test]
    fn each_side_keeps_what_it_changed_and_a_field_changed_on_both_is_a_conflict() {
        let base = fields(
            &[("name", "Ana"), ("organisation", "Library"), ("notes", "")],
            &[("email", &["ana@old.org"]), ("phone", &["1"])],
        );
        let kith = fields(
            &[
                ("name", "Ana"),
                ("organisation", "City Library"),
                ("notes", "met at VALA"),
            ],
            &[
                ("email", &["ana@old.org", "ana@kith.org"]),
                ("phone", &["1"]),
            ],
        );
        let server = fields(
            &[
                ("name", "Ana Ruiz"),
                ("organisation", "State Library"),
                ("notes", ""),
            ],
            &[("email", &["ana@phone.org"]), ("phone", &["1", "2"])],
        );
        let (merged, conflicts) = merge(&base, &kith, &server);
        assert_eq!(
            merged.single("name"),
            "Ana Ruiz",
            "changed on the server only"
        );
        assert_eq!(
            merged.single("notes"),
            "met at VALA",
            "changed in Kith only"
        );
        assert_eq!(merged.single("organisation"), "City Library");
        assert_eq!(
            conflicts,
            [Conflict {
                field: "organisation".into(),
                kith: "City Library".into(),
                server: "State Library".into()
            }]
        );
        // The server removed the old address and added one; Kith added one.
        assert_eq!(merged.list("email"), ["ana@kith.org", "ana@phone.org"]);
        assert_eq!(merged.list("phone"), ["1", "2"]);
    }
}
