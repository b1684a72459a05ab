//! A value in the store that Kith does not write (an unknown channel, role, platform or kind of
//! event, a time that cannot be read) is reported as `store_corrupt`, naming the table, the row
//! and the value, by every way the network is read: the contact page, the contacts list, the
//! network the window loads, an export and a briefing. It is never read as a default (a
//! channel "other", a role "peer", the date 1970-01-01) that would then be shown, exported or
//! saved back as if it were the person's own.

use chrono::{DateTime, TimeZone, Utc};
use kith_core::export::{scope, ExportOptions, ExportScope};
use kith_core::{brief, ContactFilter, Store};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap()
}

/// The sample network, with the keys of a contact who is on an event's attendee list and
/// has interactions, one of those interactions, and that event.
struct Sample {
    store: Store,
    contact: String,
    contact_row: i64,
    interaction: String,
    event: String,
}

fn sample() -> Sample {
    let mut store = Store::open_in_memory().unwrap();
    store.load_demo(now()).unwrap();
    let (contact, contact_row, interaction, event) = store
        .connection()
        .query_row(
            "SELECT c.key, c.id, i.key, e.key FROM contacts c
             JOIN interaction_contacts ic ON ic.contact_id = c.id
             JOIN interactions i ON i.id = ic.interaction_id
             JOIN event_attendees a ON a.contact_id = c.id
             JOIN events e ON e.id = a.event_id
             WHERE EXISTS (SELECT 1 FROM handles h WHERE h.contact_id = c.id)
               AND EXISTS (SELECT 1 FROM roles r WHERE r.contact_id = c.id)
             ORDER BY c.id, i.occurred_at DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .expect("the sample network has a contact with handles, a role, interactions and an event");
    Sample {
        store,
        contact,
        contact_row,
        interaction,
        event,
    }
}

/// Which reads hold the damaged value: all of them, all but the contacts list (which shows
/// each contact's name, tags, roles, first handle and latest interaction only), or the list
/// alone (for the copy of an interaction's channel and time it keeps per contact).
#[derive(PartialEq)]
enum Reads {
    All,
    AllButTheList,
    OnlyTheList,
}

/// Damages the sample with `sql` (`?1` is the contact, `?2` the contact's latest interaction,
/// `?3` an event they are on the list of) as another program could, past the table's checks,
/// then reads it every way that holds the value and expects each to fail naming `table`, the
/// row and `value`.
fn every_read_refuses(
    sql: &str,
    table: &str,
    row: impl Fn(&Sample) -> String,
    value: &str,
    reads: Reads,
) {
    let s = sample();
    let conn = s.store.connection();
    conn.pragma_update(None, "ignore_check_constraints", true)
        .unwrap();
    let changed = conn
        .execute_batch(
            &sql.replace("?1", &format!("'{}'", s.contact))
                .replace("?2", &format!("'{}'", s.interaction))
                .replace("?3", &format!("'{}'", s.event)),
        )
        .map(|_| conn.changes());
    assert!(matches!(changed, Ok(n) if n > 0), "{sql}: {changed:?}");
    let row = row(&s);
    let store = &s.store;
    let answers: Vec<(&str, kith_core::Result<()>)> = vec![
        (
            "the contact page",
            store.contact_detail(&s.contact).map(drop),
        ),
        (
            "the contacts list",
            store.list_contacts(&ContactFilter::default()).map(drop),
        ),
        ("the network", store.network().map(drop)),
        (
            "an export",
            scope::gather(
                store,
                &ExportScope::Everyone,
                &ExportOptions {
                    include_private: true,
                    ..ExportOptions::default()
                },
                now(),
            )
            .map(drop),
        ),
        (
            "a briefing",
            brief::briefing(store, &s.event, now()).map(drop),
        ),
    ];
    for (what, read) in answers {
        let in_list = what == "the contacts list";
        if (in_list && reads == Reads::AllButTheList) || (!in_list && reads == Reads::OnlyTheList) {
            continue;
        }
        let e = read.expect_err(&format!("{what} read the damaged {table} as a default"));
        let message = e.to_string();
        assert_eq!(e.code(), "store_corrupt", "{what}: {message}");
        for part in [table, &row, value] {
            assert!(
                message.contains(part),
                "{what}: the error does not name {part:?}: {message}"
            );
        }
    }
}

#[test]
fn an_unknown_channel_is_reported() {
    every_read_refuses(
        "UPDATE interactions SET channel = 'carrier_pigeon' WHERE key = ?2;
         UPDATE interaction_contacts SET channel = 'carrier_pigeon'
           WHERE interaction_id = (SELECT id FROM interactions WHERE key = ?2);",
        "interaction",
        |s| s.interaction.clone(),
        "carrier_pigeon",
        Reads::AllButTheList,
    );
    // The list shows the latest interaction's channel from the contact's row of it.
    every_read_refuses(
        "UPDATE interaction_contacts SET channel = 'carrier_pigeon'
           WHERE interaction_id = (SELECT id FROM interactions WHERE key = ?2);",
        "interaction_contacts",
        |s| format!("of contact {}", s.contact_row),
        "carrier_pigeon",
        Reads::OnlyTheList,
    );
}

#[test]
fn an_unknown_role_is_reported() {
    every_read_refuses(
        "UPDATE roles SET kind = 'oracle'
           WHERE contact_id = (SELECT id FROM contacts WHERE key = ?1);",
        "roles",
        |s| format!("of contact {}", s.contact_row),
        "oracle",
        Reads::All,
    );
}

#[test]
fn an_unknown_platform_is_reported() {
    every_read_refuses(
        "UPDATE handles SET platform = 'fax'
           WHERE contact_id = (SELECT id FROM contacts WHERE key = ?1);",
        "handles",
        |s| format!("of contact {}", s.contact_row),
        "fax",
        Reads::All,
    );
}

#[test]
fn an_unknown_kind_of_event_is_reported() {
    every_read_refuses(
        "UPDATE events SET kind = 'picnic' WHERE key = ?3;",
        "events",
        |s| s.event.clone(),
        "picnic",
        Reads::AllButTheList,
    );
}

#[test]
fn a_time_that_cannot_be_read_is_reported() {
    every_read_refuses(
        "UPDATE contacts SET updated_at = 'last tuesday' WHERE key = ?1;",
        "contacts",
        |s| s.contact.clone(),
        "last tuesday",
        Reads::AllButTheList,
    );
}

#[test]
fn a_day_that_cannot_be_read_is_reported() {
    every_read_refuses(
        "UPDATE events SET starts_on = '2026-13-45' WHERE key = ?3;",
        "events",
        |s| s.event.clone(),
        "2026-13-45",
        Reads::AllButTheList,
    );
}
