//! A calendar Kith writes to (RFC 4791): events, the contacts' important dates and the to-dos
//! (accepted plans with a due date, keep-in-touch dates) as the iCalendar export makes them,
//! one calendar object per event or to-do under its stable UID. Each is written when it is new
//! or changed since Kith last wrote it (`If-None-Match: *`, `If-Match`) and deleted when it
//! leaves Kith (done, deleted). The calendar's only say is on to-dos: a plan's to-do marked
//! COMPLETED there marks the plan done in Kith.
//!
//! Like [`super::carddav`], nothing here touches the store: [`CalExchange::run`] is given what
//! the store holds and answers what to write.

use super::webdav::{percent_encode_path, xml_escape, Client, CALDAV, DAV};
use crate::error::{Error, Result, SyncProblem};
use crate::export::{render, ExportFormat, ExportInput, ExportOptions};
use crate::store::{DavApply, DavItem, DavItemState};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// What a calendar account remembers between syncs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalCursor {
    #[serde(default)]
    pub calendar: String,
    #[serde(default)]
    pub sync_token: String,
}

/// One calendar object: a VCALENDAR holding one event or to-do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalObject {
    pub uid: String,
    pub text: String,
    /// What it says, without the time it was written (DTSTAMP): equal when nothing changed.
    pub digest: String,
}

/// The UID prefix of an accepted plan's to-do (`follow-up-<suggestion id>@kith`).
const PLAN_PREFIX: &str = "follow-up-";

/// Kith's events, dates and to-dos as calendar objects, from the iCalendar export.
pub fn objects(input: &ExportInput) -> Result<Vec<CalObject>> {
    let out = render(ExportFormat::Ics, input, &ExportOptions::default())?;
    let bytes = out
        .files
        .into_iter()
        .next()
        .map(|f| f.bytes)
        .unwrap_or_default();
    let text = String::from_utf8(bytes).map_err(|_| Error::invalid("the calendar is not UTF-8"))?;
    Ok(split(&text))
}

/// Splits a VCALENDAR into one per component, each with the calendar's own properties.
fn split(ics: &str) -> Vec<CalObject> {
    let mut header = String::new();
    let mut out = Vec::new();
    let mut block: Option<(String, String)> = None;
    for line in ics.split_inclusive('\n') {
        let upper = line.trim_end().to_ascii_uppercase();
        match &mut block {
            None if upper == "BEGIN:VEVENT" || upper == "BEGIN:VTODO" => {
                block = Some((upper["BEGIN:".len()..].to_string(), line.to_string()));
            }
            None if upper == "END:VCALENDAR" => {}
            None => header.push_str(line),
            Some((kind, text)) => {
                text.push_str(line);
                if upper == format!("END:{kind}") {
                    let (_, text) = block.take().unwrap_or_default();
                    let uid = property(&text, "UID").unwrap_or_default();
                    let digest = crate::import::text::stable_hash(&[&unfolded(&text)
                        .lines()
                        .filter(|l| !l.to_ascii_uppercase().starts_with("DTSTAMP"))
                        .collect::<Vec<_>>()
                        .join("\n")]);
                    out.push(CalObject {
                        uid,
                        text: format!("{header}{text}END:VCALENDAR\r\n"),
                        digest,
                    });
                }
            }
        }
    }
    out
}

fn unfolded(text: &str) -> String {
    text.replace("\r\n ", "")
        .replace("\r\n\t", "")
        .replace("\n ", "")
        .replace("\n\t", "")
}

/// The value of the first `NAME:` or `NAME;…:` line (unfolded), unescaped of `\,` `\;` `\\`.
fn property(text: &str, name: &str) -> Option<String> {
    unfolded(text).lines().find_map(|l| {
        let upper = l.to_ascii_uppercase();
        let rest = upper.strip_prefix(name)?;
        if !rest.starts_with([':', ';']) {
            return None;
        }
        let value = &l[l.find(':')? + 1..];
        Some(
            value
                .trim_end()
                .replace("\\,", ",")
                .replace("\\;", ";")
                .replace("\\\\", "\\"),
        )
    })
}

/// The suggestion id of a plan's to-do UID.
fn plan_of(uid: &str) -> Option<String> {
    let id = uid.strip_prefix(PLAN_PREFIX)?.strip_suffix("@kith")?;
    Some(crate::export::percent_decode(id).unwrap_or_else(|| id.to_string()))
}

/// Whether a calendar object's to-do is marked done.
fn completed(text: &str) -> bool {
    property(text, "STATUS").is_some_and(|s| s.trim().eq_ignore_ascii_case("COMPLETED"))
        || property(text, "COMPLETED").is_some()
}

/// The path of a new object: its UID, made safe for a path.
fn new_href(calendar: &str, uid: &str) -> String {
    let safe: String = uid
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let hash: String = crate::import::text::stable_hash(&[uid])
        .chars()
        .take(8)
        .collect();
    format!("{calendar}{safe}-{hash}.ics")
}

/// One sync's exchange with a calendar.
pub struct CalExchange<'a> {
    pub client: &'a Client,
    pub cursor: CalCursor,
}

impl CalExchange<'_> {
    fn bad(&self, detail: String) -> Error {
        Error::sync(&self.client.account, SyncProblem::BadResponse, detail)
    }

    /// Reads the plans marked done in the calendar, then writes Kith's objects; answers what
    /// to write in the store (the plans done among it).
    pub fn run(mut self, known: Vec<DavItem>, objects: Vec<CalObject>) -> Result<DavApply> {
        let cal = self.cursor.calendar.clone();
        let mut items: BTreeMap<String, DavItem> =
            known.into_iter().map(|i| (i.href.clone(), i)).collect();
        let mut dirty: BTreeSet<String> = BTreeSet::new();
        let mut apply = DavApply::default();

        // 1. What changed there: to-dos marked done, objects deleted.
        let (changes, token) = self.pull(&cal, &items)?;
        let mut wanted = Vec::new();
        for (href, etag) in changes {
            let Some(item) = items.get_mut(&href) else {
                continue;
            };
            match etag {
                None => {
                    if item.state == DavItemState::Synced {
                        item.state = DavItemState::ServerDeleted;
                        dirty.insert(href);
                    }
                }
                Some(etag) if etag != item.etag && plan_of(&item.item_key).is_some() => {
                    wanted.push(href);
                }
                Some(_) => {}
            }
        }
        let mut done: BTreeSet<String> = BTreeSet::new();
        for (href, etag, text) in self.multiget(&cal, &wanted)? {
            let Some(item) = items.get_mut(&href) else {
                continue;
            };
            item.etag = etag;
            dirty.insert(href.clone());
            if completed(&text) {
                if let Some(plan) = plan_of(&item.item_key) {
                    done.insert(item.item_key.clone());
                    apply.plans_done.push(plan);
                }
            }
        }

        // 2. Kith's objects, written when new or changed.
        let mut current: BTreeSet<String> = BTreeSet::new();
        for object in objects {
            if done.contains(&object.uid) {
                continue;
            }
            current.insert(object.uid.clone());
            let item = items.values().find(|i| i.item_key == object.uid).cloned();
            match item {
                Some(item) if item.state != DavItemState::Synced => {}
                Some(item) if item.base == object.digest => {}
                Some(mut item) => {
                    item.etag = self.put(&item.href, &object.text, Some(item.etag.clone()))?;
                    item.base = object.digest;
                    dirty.insert(item.href.clone());
                    items.insert(item.href.clone(), item);
                }
                None => {
                    let href = new_href(&cal, &object.uid);
                    let etag = self.put(&href, &object.text, None)?;
                    dirty.insert(href.clone());
                    items.insert(
                        href.clone(),
                        DavItem {
                            href,
                            item_key: object.uid,
                            etag,
                            base: object.digest,
                            state: DavItemState::Synced,
                        },
                    );
                }
            }
        }

        // 3. What left Kith (done, deleted) leaves the calendar.
        let gone: Vec<DavItem> = items
            .values()
            .filter(|i| !current.contains(&i.item_key))
            .cloned()
            .collect();
        for item in gone {
            if item.state == DavItemState::Synced {
                self.delete(&item)?;
            }
            items.remove(&item.href);
            dirty.remove(&item.href);
            apply.removed.push(item.href);
        }

        self.cursor.sync_token = token.unwrap_or_default();
        apply.items = dirty.iter().filter_map(|h| items.get(h).cloned()).collect();
        apply.updated = apply.plans_done.len() as u32;
        apply.cursor = Some(
            serde_json::to_string(&self.cursor)
                .map_err(|e| Error::invalid(format!("the cursor cannot be kept: {e}")))?,
        );
        Ok(apply)
    }

    /// Writes an object: a new one with `If-None-Match: *`, a known one over `etag`. Kith is
    /// the source of what it writes, so a 412 (changed there meanwhile) takes the server's new
    /// ETag and writes once more. Answers the new ETag.
    fn put(&self, href: &str, text: &str, etag: Option<String>) -> Result<String> {
        let mut etag = etag;
        for _ in 0..2 {
            let headers: Vec<(&str, &str)> = match &etag {
                None => vec![("If-None-Match", "*")],
                Some(e) if e.is_empty() => vec![],
                Some(e) => vec![("If-Match", e.as_str())],
            };
            let answer = self.client.request(
                "PUT",
                &percent_encode_path(href),
                &headers,
                Some(("text/calendar; charset=utf-8", text)),
            )?;
            match answer.status {
                200..=299 => return Ok(answer.etag.unwrap_or_default()),
                412 | 404 => {
                    let fresh =
                        self.client
                            .request("HEAD", &percent_encode_path(href), &[], None)?;
                    etag = Some(if fresh.status == 200 {
                        fresh.etag.unwrap_or_default()
                    } else {
                        return self.put_new(href, text);
                    });
                }
                s => {
                    return Err(self.bad(format!(
                        "{}: the server refused PUT ({s})",
                        self.client.url(href)
                    )))
                }
            }
        }
        Err(self.bad(format!(
            "{}: the object kept changing on the server while Kith wrote it",
            self.client.url(href)
        )))
    }

    fn put_new(&self, href: &str, text: &str) -> Result<String> {
        let answer = self.client.request(
            "PUT",
            &percent_encode_path(href),
            &[],
            Some(("text/calendar; charset=utf-8", text)),
        )?;
        match answer.status {
            200..=299 => Ok(answer.etag.unwrap_or_default()),
            s => Err(self.bad(format!(
                "{}: the server refused PUT ({s})",
                self.client.url(href)
            ))),
        }
    }

    fn delete(&self, item: &DavItem) -> Result<()> {
        let answer = self
            .client
            .request("DELETE", &percent_encode_path(&item.href), &[], None)?;
        match answer.status {
            200..=299 | 404 | 410 => Ok(()),
            s => Err(self.bad(format!(
                "{}: the server refused DELETE ({s})",
                self.client.url(&item.href)
            ))),
        }
    }

    /// What changed since the token (href → ETag, `None` for deleted), and the new token;
    /// without sync-collection, every object's ETag and the known ones missing as deleted.
    #[allow(clippy::type_complexity)]
    fn pull(
        &self,
        cal: &str,
        known: &BTreeMap<String, DavItem>,
    ) -> Result<(Vec<(String, Option<String>)>, Option<String>)> {
        let mut token = self.cursor.sync_token.clone();
        for _ in 0..2 {
            let body = format!(
                "<?xml version=\"1.0\" encoding=\"utf-8\"?>\
                 <D:sync-collection xmlns:D=\"DAV:\"><D:sync-token>{}</D:sync-token>\
                 <D:sync-level>1</D:sync-level><D:prop><D:getetag/></D:prop></D:sync-collection>",
                xml_escape(&token)
            );
            match self.client.report(&percent_encode_path(cal), 0, &body)? {
                Ok(m) => {
                    let mut changes = listing(self.client, cal, m.responses, true);
                    if token.is_empty() {
                        missing(&mut changes, known);
                    }
                    return Ok((changes, m.sync_token));
                }
                Err(400 | 403 | 409 | 412) if !token.is_empty() => token.clear(),
                Err(_) => break,
            }
        }
        let m = self
            .client
            .propfind(&percent_encode_path(cal), 1, &[(DAV, "getetag")])?;
        let mut changes = listing(self.client, cal, m.responses, false);
        missing(&mut changes, known);
        Ok((changes, None))
    }

    /// The objects at `hrefs` (href, ETag, text), by calendar-multiget.
    fn multiget(&self, cal: &str, hrefs: &[String]) -> Result<Vec<(String, String, String)>> {
        let mut out = Vec::new();
        for batch in hrefs.chunks(100) {
            let body = format!(
                "<?xml version=\"1.0\" encoding=\"utf-8\"?>\
                 <C:calendar-multiget xmlns:D=\"DAV:\" xmlns:C=\"{CALDAV}\">\
                 <D:prop><D:getetag/><C:calendar-data/></D:prop>{}</C:calendar-multiget>",
                batch
                    .iter()
                    .map(|h| format!("<D:href>{}</D:href>", xml_escape(&percent_encode_path(h))))
                    .collect::<String>()
            );
            let m = self
                .client
                .report(&percent_encode_path(cal), 1, &body)?
                .map_err(|s| {
                    self.bad(format!(
                        "{}: the server refused calendar-multiget ({s})",
                        self.client.url(cal)
                    ))
                })?;
            for r in m.responses {
                let href = self.client.path_of(&r.href).unwrap_or(r.href.clone());
                let Some(data) = r.prop(CALDAV, "calendar-data") else {
                    continue;
                };
                let etag = r
                    .prop(DAV, "getetag")
                    .map(|p| p.text.trim().to_string())
                    .unwrap_or_default();
                out.push((href, etag, data.text.clone()));
            }
        }
        Ok(out)
    }
}

fn listing(
    client: &Client,
    cal: &str,
    responses: Vec<super::webdav::DavResponse>,
    deletions: bool,
) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    for r in responses {
        let href = client.path_of(&r.href).unwrap_or(r.href.clone());
        if href.trim_end_matches('/') == cal.trim_end_matches('/') {
            continue;
        }
        if deletions && r.status == Some(404) {
            out.push((href, None));
        } else {
            let etag = r
                .prop(DAV, "getetag")
                .map(|p| p.text.trim().to_string())
                .unwrap_or_default();
            out.push((href, Some(etag)));
        }
    }
    out
}

fn missing(changes: &mut Vec<(String, Option<String>)>, known: &BTreeMap<String, DavItem>) {
    let listed: BTreeSet<String> = changes.iter().map(|(h, _)| h.clone()).collect();
    for (href, item) in known {
        if item.state == DavItemState::Synced && !listed.contains(href) {
            changes.push((href.clone(), None));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_calendar_splits_into_one_object_per_component() {
        let ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Kith//EN\r\n\
                   BEGIN:VEVENT\r\nUID:e1@kith\r\nDTSTAMP:20261207T090000Z\r\nSUMMARY:VALA\r\nEND:VEVENT\r\n\
                   BEGIN:VTODO\r\nUID:follow-up-s%2F1@kith\r\nDTSTAMP:20261207T090000Z\r\nSUMMARY:Call\r\n \
                   Ana\r\nEND:VTODO\r\nEND:VCALENDAR\r\n";
        let objects = split(ics);
        assert_eq!(objects.len(), 2);
        assert_eq!(objects[0].uid, "e1@kith");
        assert!(objects[1]
            .text
            .starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Kith//EN\r\nBEGIN:VTODO"));
        assert!(objects[1].text.ends_with("END:VTODO\r\nEND:VCALENDAR\r\n"));
        assert_eq!(plan_of(&objects[1].uid).as_deref(), Some("s/1"));
        // The time it was written does not count as a change.
        let later = split(&ics.replace("20261207T090000Z", "20261208T100000Z"));
        assert_eq!(objects[1].digest, later[1].digest);
        assert!(completed(
            "BEGIN:VTODO\r\nSTATUS:COMPLETED\r\nEND:VTODO\r\n"
        ));
        assert!(!completed(
            "BEGIN:VTODO\r\nSTATUS:NEEDS-ACTION\r\nEND:VTODO\r\n"
        ));
    }
}
