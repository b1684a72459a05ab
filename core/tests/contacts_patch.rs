//! The window keeps the contacts list it shows and, after a write, asks only for the rows of
//! the contacts that changed and the list's new order. Applying that patch to the old list must
//! give exactly the list a fresh read gives, for any filter, whatever the write did: a new note
//! that moves someone, a new contact, a removed one, a change that takes someone out of a filter.

use chrono::{Duration, Utc};
use kith_core::{
    Channel, ContactDraft, ContactFilter, ContactSummary, ContactsPatch, Direction,
    InteractionDraft, RoleKind, Store,
};
use std::collections::HashMap;

/// What the window does with a patch: the new order, each row from the patch if it is there,
/// else the row it already had.
fn apply(old: &[ContactSummary], patch: ContactsPatch) -> Vec<ContactSummary> {
    let mut known: HashMap<String, ContactSummary> =
        old.iter().map(|c| (c.id.clone(), c.clone())).collect();
    for row in patch.rows {
        known.insert(row.id.clone(), row);
    }
    patch
        .order
        .iter()
        .map(|id| known.get(id).cloned().expect("every listed row is known"))
        .collect()
}

fn filters() -> Vec<ContactFilter> {
    vec![
        ContactFilter::default(),
        ContactFilter {
            role: Some(RoleKind::Mentor),
            ..Default::default()
        },
        ContactFilter {
            channel: Some(Channel::Email),
            ..Default::default()
        },
        ContactFilter {
            query: Some("koha".into()),
            limit: Some(500),
            ..Default::default()
        },
        ContactFilter {
            tag: Some("solo-librarian".into()),
            ..Default::default()
        },
    ]
}

/// Runs `write` and checks, for every filter, that patching the list shown before it with the
/// rows of the contacts it changed gives the list a fresh read gives.
fn check(store: &mut Store, what: &str, write: impl FnOnce(&mut Store) -> Vec<String>) {
    let before: Vec<Vec<ContactSummary>> = filters()
        .iter()
        .map(|f| store.list_contacts(f).unwrap())
        .collect();
    let changed = write(store);
    for (filter, old) in filters().iter().zip(before) {
        let patch = store.contacts_patch(filter, &changed).unwrap();
        assert!(
            patch.rows.len() <= changed.len(),
            "{what}: only changed rows are sent"
        );
        assert_eq!(
            apply(&old, patch),
            store.list_contacts(filter).unwrap(),
            "{what}, filter {filter:?}"
        );
    }
}

#[test]
fn a_patched_list_is_the_list_a_fresh_read_gives() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path().join("kith.sqlite3")).unwrap();
    let now = Utc::now();
    store.load_demo(now).unwrap();
    let everyone = store.list_contacts(&ContactFilter::default()).unwrap();
    let quiet = everyone
        .iter()
        .min_by_key(|c| c.last_interaction_at)
        .unwrap()
        .id
        .clone();

    check(&mut store, "an email to the quietest contact", |s| {
        s.save_interaction(InteractionDraft {
            id: None,
            contact_ids: vec![quiet.clone()],
            channel: Channel::Email,
            direction: Direction::Outbound,
            occurred_at: now - Duration::minutes(5),
            public: None,
            text: "About the Koha serials module".into(),
            thread: None,
            tags: vec![],
            moment: None,
        })
        .unwrap();
        vec![quiet.clone()]
    });

    let mut added = String::new();
    check(&mut store, "a new contact", |s| {
        added = s
            .save_contact(
                ContactDraft {
                    name: "Aaron Koha-Expert".into(),
                    tags: vec!["solo-librarian".into()],
                    ..Default::default()
                },
                now,
            )
            .unwrap()
            .id;
        vec![added.clone()]
    });

    check(&mut store, "a contact taken out of a tag", |s| {
        let mut draft: ContactDraft = s.contact(&added).unwrap().into();
        draft.tags.clear();
        s.save_contact(draft, now).unwrap();
        vec![added.clone()]
    });

    check(&mut store, "a contact removed", |s| {
        s.delete_contact(&added).unwrap();
        vec![added.clone()]
    });
}
