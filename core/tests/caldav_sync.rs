//! A calendar written from Kith over CalDAV, against a real server (Radicale, started by each
//! test on loopback): events with their hashtags and attendees, birthdays as yearly events and
//! accepted plans as to-dos go out under stable UIDs, a change in Kith updates the same object,
//! a to-do marked completed in the calendar marks the plan done in Kith (and leaves the
//! calendar), a deleted event leaves it, and a wrong password is named. What the server holds
//! is read with Python's `icalendar`, a parser nobody here wrote.

#[path = "support/radicale.rs"]
mod radicale;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use kith_core::accounts::{
    self, AccountSettings, CalDavSettings, NewAccount, NoSecrets, Secret, SyncReport,
};
use kith_core::session::Session;
use kith_core::suggest::{Suggestion, SuggestionKind};
use kith_core::{Channel, Code, ContactDraft, DateKind, EventDraft, EventKind, ImportantDate};
use radicale::Radicale;
use serde_json::Value;

const CALENDAR: &str = "calendar";

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 7, 9, 0, 0).unwrap()
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn sync_with(session: &Session, password: &str) -> SyncReport {
    sync_at(session, password, now())
}

fn sync_at(session: &Session, password: &str, at: DateTime<Utc>) -> SyncReport {
    accounts::sync(
        session,
        "calendar",
        &NoSecrets,
        Some(Secret::new(password)),
        at,
        &mut |_| true,
    )
    .unwrap()
}

fn sync(session: &Session) -> SyncReport {
    let report = sync_with(session, radicale::PASSWORD);
    assert!(report.error.is_none(), "{report:?}");
    report
}

/// Each object Radicale holds, as `icalendar` reads it: file name → {kind, uid, summary,
/// description, status, start, due, rrule}.
fn objects(server: &Radicale) -> Vec<(String, Value)> {
    let files: Vec<String> = server
        .item_files(CALENDAR)
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    if files.is_empty() {
        return Vec::new();
    }
    let args: Vec<&str> = files.iter().map(String::as_str).collect();
    let out = Radicale::python(
        r#"
import json, os, sys
from icalendar import Calendar
out = []
for path in sys.argv[1:]:
    cal = Calendar.from_ical(open(path, 'rb').read())
    for c in cal.walk():
        if c.name not in ('VEVENT', 'VTODO'):
            continue
        def s(name):
            v = c.get(name)
            return None if v is None else str(v)
        def d(name):
            v = c.get(name)
            return None if v is None else v.dt.isoformat()
        out.append([os.path.basename(path), {
            'kind': c.name, 'uid': s('uid'), 'summary': s('summary'),
            'description': s('description'), 'status': s('status'),
            'start': d('dtstart'), 'due': d('due'),
            'rrule': c.get('rrule').to_ical().decode() if c.get('rrule') else None,
        }])
print(json.dumps(sorted(out, key=lambda x: x[0])))
"#,
        &args,
    );
    serde_json::from_str(&out).unwrap()
}

fn find<'a>(all: &'a [(String, Value)], summary: &str) -> &'a (String, Value) {
    let found: Vec<_> = all
        .iter()
        .filter(|(_, o)| o["summary"].as_str().unwrap_or("").contains(summary))
        .collect();
    assert_eq!(found.len(), 1, "one object with {summary:?} in {all:#?}");
    found[0]
}

#[test]
fn plans_dates_and_events_go_out_change_in_place_and_a_plan_done_there_is_done_here() {
    if !radicale::available() {
        return;
    }
    let server = Radicale::start();
    server.create_calendar(CALENDAR);
    let dir = tempfile::Builder::new()
        .prefix("kith-caldav-test-")
        .tempdir()
        .unwrap();
    let session = Session::new(dir.path().join("kith.sqlite3"));
    let (ana, event) = session
        .write(|s| {
            let ana = s.save_contact(
                ContactDraft {
                    name: "Ana Ruiz".into(),
                    dates: vec![ImportantDate {
                        kind: DateKind::Birthday,
                        label: String::new(),
                        month: 4,
                        day: 12,
                        year: Some(1985),
                    }],
                    ..ContactDraft::default()
                },
                now(),
            )?;
            let event = s.save_event(EventDraft {
                id: None,
                name: "VALA 2027".into(),
                kind: EventKind::Conference,
                starts_on: day(2027, 2, 10),
                ends_on: Some(day(2027, 2, 12)),
                location: "Melbourne".into(),
                hashtags: vec!["#vala2027".into()],
                notes: String::new(),
                attendee_ids: vec![ana.id.clone()],
            })?;
            let plan = Suggestion {
                id: "plan-slides".into(),
                contact_id: ana.id.clone(),
                contact: ana.name.clone(),
                kind: SuggestionKind::FollowUp,
                rule: "met_no_follow_up".into(),
                from_channel: None,
                to_channel: Channel::Email,
                score: 0.5,
                reasons: vec!["You met at VALA".into()],
                evidence: Vec::new(),
                event_id: None,
            };
            s.accept_suggestion(&plan, "Send her the slides", Some(day(2026, 12, 20)), now())?;
            Ok((ana, event))
        })
        .unwrap();
    let account = NewAccount {
        name: "calendar".into(),
        settings: AccountSettings::Caldav(CalDavSettings {
            url: format!("{}/", server.base()),
            user: radicale::USER.into(),
            calendar: CALENDAR.into(),
        }),
    };
    session
        .write(move |s| s.add_account(account, now()))
        .unwrap();

    sync(&session);
    let all = objects(&server);
    let (event_file, vala) = find(&all, "VALA 2027");
    assert_eq!(vala["kind"], "VEVENT");
    assert_eq!(vala["start"], "2027-02-10");
    let description = vala["description"].as_str().unwrap();
    assert!(
        description.contains("#vala2027") && description.contains("Ana Ruiz"),
        "{description}"
    );
    let (_, birthday) = find(&all, "Birthday: Ana Ruiz");
    assert_eq!(birthday["kind"], "VEVENT");
    assert_eq!(birthday["rrule"], "FREQ=YEARLY");
    assert_eq!(birthday["start"], "1985-04-12");
    let (plan_file, plan) = find(&all, "Follow up with Ana Ruiz");
    assert_eq!(plan["kind"], "VTODO");
    assert_eq!(plan["uid"], "follow-up-plan-slides@kith");
    assert_eq!(plan["status"], "NEEDS-ACTION");
    assert_eq!(plan["due"], "2026-12-20");
    let count = all.len();

    // Nothing changed (an hour later): nothing is written again.
    let stamp = |f: &str| {
        std::fs::metadata(server.collection_dir(CALENDAR).join(f))
            .unwrap()
            .modified()
            .unwrap()
    };
    let before = stamp(event_file);
    let later = sync_at(
        &session,
        radicale::PASSWORD,
        now() + chrono::Duration::hours(1),
    );
    assert!(later.error.is_none(), "{later:?}");
    assert_eq!(
        stamp(event_file),
        before,
        "an unchanged event is not written again"
    );

    // The event renamed in Kith: the same object, updated in place.
    let renamed = EventDraft {
        id: Some(event.id.clone()),
        name: "VALA 2027 (Melbourne)".into(),
        kind: EventKind::Conference,
        starts_on: day(2027, 2, 10),
        ends_on: Some(day(2027, 2, 12)),
        location: "Melbourne".into(),
        hashtags: vec!["#vala2027".into()],
        notes: String::new(),
        attendee_ids: vec![ana.id.clone()],
    };
    session.write(move |s| s.save_event(renamed)).unwrap();
    sync(&session);
    let all = objects(&server);
    assert_eq!(all.len(), count);
    let (file, _) = find(&all, "VALA 2027 (Melbourne)");
    assert_eq!(file, event_file, "updated in place");

    // The to-do ticked off on the phone: the plan is done in Kith, and leaves the calendar.
    let path = format!("/{}/{CALENDAR}/{plan_file}", radicale::USER);
    let done = server
        .get(&path)
        .replace("STATUS:NEEDS-ACTION", "STATUS:COMPLETED");
    server.put(&path, "text/calendar", &done);
    let report = sync(&session);
    assert_eq!(report.updated, 1, "{report:?}");
    let plans = session.read(|s| s.follow_ups()).unwrap();
    assert!(
        plans.iter().all(|p| p.suggestion_id != "plan-slides"),
        "{plans:?}"
    );
    let all = objects(&server);
    assert!(all.iter().all(|(f, _)| f != plan_file), "{all:#?}");

    // The event deleted in Kith leaves the calendar.
    let id = event.id.clone();
    session.write(move |s| s.delete_event(&id)).unwrap();
    sync(&session);
    let all = objects(&server);
    assert!(all.iter().all(|(f, _)| f != event_file), "{all:#?}");
    find(&all, "Birthday: Ana Ruiz");

    // A wrong password is named, and nothing is written.
    let report = sync_with(&session, "wrong");
    assert_eq!(report.error.unwrap().code, Code::SyncWrongPassword);
}
