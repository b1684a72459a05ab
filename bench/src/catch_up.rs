//! How the contacts list and the network a store keeps catch up after another program's
//! commits and imports, from the change log the database keeps; and what keeping that log
//! costs an import.

use crate::figures::{now, percentiles, Failure, Reading, Target};
use crate::timing::{ms, once, show_ms, Samples};
use chrono::Duration;
use kith_core::archive::Archive;
use kith_core::brief;
use kith_core::import::{self, Format, ImportOptions};
use kith_core::store::Records;
use kith_core::synth::Size;
use kith_core::{Channel, ContactFilter, Direction, Interaction, InteractionDraft, Store};
use std::path::Path;

/// How many interactions the other program imports at once.
const IMPORTED: usize = 1_000;

fn note(contact: &str, k: u32) -> InteractionDraft {
    InteractionDraft {
        id: None,
        contact_ids: vec![contact.to_string()],
        channel: Channel::Email,
        direction: Direction::Outbound,
        occurred_at: now() - Duration::days(2) + Duration::seconds(i64::from(k)),
        public: Some(false),
        text: format!("Catch-up note {k}: written by another program"),
        thread: None,
        tags: vec![],
        moment: None,
    }
}

/// Times `call` on `store` right after each of `runs` notes another connection (`other`)
/// commits, numbered from `first`.
fn after_other<T>(
    store: &Store,
    other: &mut Store,
    contact: &str,
    first: u32,
    runs: usize,
    mut call: impl FnMut(&Store) -> kith_core::Result<T>,
) -> Result<Samples, Failure> {
    let mut all = Vec::with_capacity(runs);
    for k in first..first + runs as u32 {
        other.save_interaction(note(contact, k))?;
        let (done, took) = once(|| call(store));
        done?;
        all.push(took);
    }
    Ok(Samples::from(all))
}

fn store_at(dir: &Path, name: &str) -> Result<Store, Failure> {
    let path = dir.join(name);
    remove(&path);
    Ok(Store::open_leaving_daily_backup(&path, None)?)
}

fn remove(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(p);
    }
}

/// Measures the figures on `store`, which holds the network of `size`.
pub fn measure(size: Size, store: &Store, dir: &Path) -> Result<Vec<Reading>, Failure> {
    let heavy = size != Size::Busy;
    let runs = if heavy { 3 } else { 10 };
    let mut out = Vec::new();
    let path = store.path().expect("a store file").to_path_buf();
    let mut other = Store::open_leaving_daily_backup(&path, None)?;
    let who: String =
        store
            .connection()
            .query_row("SELECT key FROM contacts ORDER BY id LIMIT 1", [], |r| {
                r.get(0)
            })?;
    eprintln!("[{size}] catching up after another program's commits");

    // Everything kept first, as in a window that has shown the list and suggestions.
    let filter = ContactFilter {
        query: Some("metadata".into()),
        ..ContactFilter::default()
    };
    store.list_contacts(&filter)?;
    store.network()?;
    let list = after_other(store, &mut other, &who, 1, runs, |s| {
        s.list_contacts(&filter)
    })?;
    out.push(Reading {
        figure: "contacts list, first keystroke after another program logged an interaction (caught up from the change log)",
        target: Target::Reference,
        shown: percentiles(&list),
        judged: list.p95(),
        cost_ms: list.p95(),
    });

    // The network alone, against reading it whole as a new connection does.
    let network = after_other(store, &mut other, &who, 100, runs, |s| {
        s.network().map(|n| n.interactions.len())
    })?;
    let mut whole = Vec::new();
    for _ in 0..if heavy { 2 } else { 3 } {
        let fresh = Store::open_leaving_daily_backup(&path, None)?;
        let (done, took) = once(|| fresh.network());
        done?;
        whole.push(took);
    }
    let whole = Samples::from(whole);
    out.push(Reading {
        figure: "the kept network, first call after another program logged an interaction: read the changed rows (vs reading it whole)",
        target: Target::Reference,
        shown: format!(
            "{} vs {} p50",
            percentiles(&network),
            show_ms(whole.p50())
        ),
        judged: network.p50(),
        cost_ms: network.p50(),
    });

    let suggest = after_other(store, &mut other, &who, 200, runs, |s| s.suggestions(now()))?;
    out.push(Reading {
        figure: "suggestions as the app asks, first call after another program logged an interaction: catch up from the log + compute",
        target: Target::Reference,
        shown: percentiles(&suggest),
        judged: suggest.p50(),
        cost_ms: suggest.p50(),
    });

    // The event with the most attendees.
    let event: Option<String> = store
        .list_events()?
        .into_iter()
        .max_by_key(|e| e.attendee_ids.len())
        .map(|e| e.id);
    if let Some(event) = event {
        let briefing = after_other(store, &mut other, &who, 300, runs, |s| {
            brief::briefing(s, &event, now()).map(|b| brief::html::render(&b).len())
        })?;
        out.push(Reading {
            figure: "briefing as the app asks, first call after another program logged an interaction: catch up from the log + build + HTML",
            target: Target::Reference,
            shown: percentiles(&briefing),
            judged: briefing.p50(),
            cost_ms: briefing.p50(),
        });
    }

    // Another program imports a batch of interactions in one transaction.
    let contacts: Vec<String> = {
        let mut stmt = store
            .connection()
            .prepare("SELECT key FROM contacts ORDER BY id LIMIT 200")?;
        let keys = stmt.query_map([], |r| r.get(0))?;
        keys.collect::<rusqlite::Result<_>>()?
    };
    let mut imported = Vec::with_capacity(runs);
    for run in 0..runs {
        let interactions = (0..IMPORTED)
            .map(|n| Interaction {
                id: format!("catch-up-{run}-{n}"),
                contact_ids: vec![contacts[n % contacts.len()].clone()],
                channel: Channel::Mastodon,
                direction: Direction::Inbound,
                occurred_at: now() - Duration::days(30) + Duration::minutes(n as i64),
                public: true,
                text: format!("imported post {run}-{n}"),
                thread: None,
                tags: vec![],
                moment: None,
            })
            .collect();
        let records = Records {
            contacts: Vec::new(),
            interactions,
            events: Vec::new(),
        };
        other.import_records(records, "catch-up.json", now())?;
        let (done, took) = once(|| {
            store.network()?;
            store.list_contacts(&ContactFilter::default())
        });
        done?;
        imported.push(took);
    }
    let imported = Samples::from(imported);
    out.push(Reading {
        figure: "the kept network and contacts list after another program imported 1,000 interactions: caught up from the log",
        target: Target::Reference,
        shown: percentiles(&imported),
        judged: imported.p50(),
        cost_ms: imported.p50(),
    });
    drop(other);

    // What the log's triggers cost an import: the network's JSON archive imported into a store
    // that keeps the log, and into one whose log triggers were dropped.
    eprintln!("[{size}] importing the JSON archive with and without the change log");
    let archive = dir.join("catch-up.json");
    {
        let mut file = std::io::BufWriter::new(std::fs::File::create(&archive)?);
        Archive::from_store(store, now())?.write_json(&mut file)?;
        std::io::Write::flush(&mut file)?;
    }
    let options = ImportOptions {
        format: Some(Format::Json),
        ..ImportOptions::default()
    };
    let mut took = [0.0; 2];
    for (keep_log, took) in [true, false].into_iter().zip(took.iter_mut()) {
        let mut target = store_at(dir, "catch-up-import.sqlite3")?;
        if !keep_log {
            let drops: Vec<String> = {
                let mut stmt = target.connection().prepare(
                    "SELECT 'DROP TRIGGER ' || name || ';' FROM sqlite_schema
                     WHERE type = 'trigger' AND name LIKE 'change_log%'",
                )?;
                let drops = stmt.query_map([], |r| r.get(0))?;
                drops.collect::<rusqlite::Result<_>>()?
            };
            target.connection().execute_batch(&drops.concat())?;
        }
        let (done, t) =
            once(|| import::import(&mut target, &archive, &options, now(), &mut |_| true));
        done?;
        *took = ms(t);
        drop(target);
        remove(&dir.join("catch-up-import.sqlite3"));
    }
    let _ = std::fs::remove_file(&archive);
    out.push(Reading {
        figure: "import the network's JSON archive, with the change log vs without its triggers",
        target: Target::Reference,
        shown: format!(
            "{} vs {} ({:+.1}%)",
            show_ms(took[0]),
            show_ms(took[1]),
            (took[0] / took[1] - 1.0) * 100.0
        ),
        judged: took[0] / took[1],
        cost_ms: took[0],
    });
    Ok(out)
}
