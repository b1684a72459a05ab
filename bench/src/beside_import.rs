//! Reads beside a long import: what the window's search box and contact page cost while the
//! session's writer imports a large archive, as the app serves them.

use crate::figures::{now, percentiles, prefixes, Failure, Reading, Target};
use crate::timing::{ms, once, show_ms, Samples};
use kith_core::import::{self, Format, ImportOptions};
use kith_core::session::Session;
use kith_core::synth::{self, Size, TwitterShape};
use kith_core::{ContactFilter, Store};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// What the search box asks for (`SEARCH_LIMIT` in ui/src/views/contacts-list.ts).
const SEARCH_LIMIT: u32 = 500;

/// Measures searches and contact pages answered by `network`'s copy while a Twitter/X archive
/// of 250,000 posts per 1× is imported into it through the same session.
pub fn measure(size: Size, network: &Store, dir: &Path) -> Result<Vec<Reading>, Failure> {
    let scale = size.contacts() / Size::Busy.contacts();
    let path = dir.join("beside-import.sqlite3");
    let _ = std::fs::remove_file(&path);
    network
        .connection()
        .execute("VACUUM INTO ?1", [path.to_string_lossy()])?;
    let shape = TwitterShape {
        tweets: 225_000 * scale,
        dms: 25_000 * scale,
        people: 5_000 * scale,
    };
    let zip = dir.join("beside-import.zip");
    synth::write_twitter_archive(&zip, shape)?;

    let session = Session::new(&path);
    let ids: Vec<String> = session
        .read(|s| s.list_contacts(&ContactFilter::default()))?
        .into_iter()
        .step_by(97)
        .map(|c| c.id)
        .collect();
    let typed = prefixes();

    let started = Arc::new(AtomicBool::new(false));
    let writer = session.clone();
    let (importing, started_flag) = (zip.clone(), started.clone());
    let import = std::thread::spawn(move || {
        once(|| {
            writer.write(move |s| {
                started_flag.store(true, Ordering::SeqCst);
                let options = ImportOptions {
                    format: Some(Format::Twitter),
                    ..ImportOptions::default()
                };
                import::import(s, &importing, &options, now(), &mut |_| true)
            })
        })
    });
    while !started.load(Ordering::SeqCst) {
        std::thread::yield_now();
    }

    let mut searches = Vec::new();
    let mut pages = Vec::new();
    let mut k = 0;
    while !import.is_finished() {
        let q = typed[k % typed.len()].clone();
        let (found, took) = once(|| {
            session.read(move |s| {
                s.list_contacts(&ContactFilter {
                    query: Some(q),
                    limit: Some(SEARCH_LIMIT),
                    ..ContactFilter::default()
                })
            })
        });
        found?;
        searches.push(took);
        let id = ids[k % ids.len()].clone();
        let (page, took) = once(|| session.read(move |s| s.contact_detail(&id)));
        page?;
        pages.push(took);
        k += 1;
    }
    let (outcome, import_took) = import.join().map_err(|_| "the import panicked")?;
    let added = outcome?.report.interactions_added as usize;
    drop(session);
    let _ = std::fs::remove_file(&zip);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }

    let during = format!(
        "while a Twitter/X archive of {added} posts was imported ({})",
        show_ms(ms(import_took))
    );
    let searches = Samples::from(searches);
    let pages = Samples::from(pages);
    Ok(vec![
        Reading {
            figure: "search as you type while an import runs (`list_contacts` through the session, beside its writer)",
            target: Target::Ms(20.0),
            shown: format!("{}; {} searches {during}", percentiles(&searches), k),
            judged: searches.p95(),
            cost_ms: searches.p95(),
        },
        Reading {
            figure: "a contact page while an import runs (`contact_detail` through the session, beside its writer)",
            target: Target::Ms(50.0),
            shown: format!("{}; {} pages {during}", percentiles(&pages), k),
            judged: pages.p95(),
            cost_ms: pages.p95(),
        },
    ])
}
