//! The figures, each measured on one network size, and the table that puts them side by side.

use crate::floor;
use crate::timing::{ms, once, show_ms, Samples};
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use kith_core::archive::Archive;
use kith_core::brief::{self, BriefInput};
use kith_core::import::{self, Format, ImportOptions};
use kith_core::store::Records;
use kith_core::suggest::{self, SuggestIndex, SuggestSettings};
use kith_core::synth::{self, Size, SynthNetwork};
use kith_core::{Channel, Direction, Event, EventDraft, EventKind, Interaction, Store};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub type Failure = Box<dyn std::error::Error>;

/// What a figure is held to.
#[derive(Debug, Clone, Copy)]
pub enum Target {
    /// At most this many milliseconds.
    Ms(f64),
    /// At most this many times the floor.
    Ratio(f64),
    /// No target: shown to say what a case the targets leave out costs.
    Reference,
}

impl Target {
    fn show(self) -> String {
        match self {
            Target::Ms(t) => format!("≤ {t} ms"),
            Target::Ratio(r) => format!("≤ {r}× floor"),
            Target::Reference => "—".into(),
        }
    }

    fn limit(self) -> f64 {
        match self {
            Target::Ms(t) | Target::Ratio(t) => t,
            Target::Reference => f64::INFINITY,
        }
    }
}

/// One figure measured on one network.
#[derive(Debug, Clone)]
pub struct Reading {
    pub figure: &'static str,
    pub target: Target,
    /// What is printed.
    pub shown: String,
    /// What the target is checked against (milliseconds or a ratio, as the target says).
    pub judged: f64,
    /// The cost in milliseconds, compared across sizes to see how it grows.
    pub cost_ms: f64,
}

impl Reading {
    pub fn met(&self) -> bool {
        self.judged <= self.target.limit()
    }
}

/// "2.1 ms p50, 3.4 ms p95".
pub fn percentiles(s: &Samples) -> String {
    format!("{} p50, {} p95", show_ms(s.p50()), show_ms(s.p95()))
}

/// "9.4 s vs 6.1 s (1.54×)".
fn against_floor(took_ms: f64, floor_ms: f64) -> (String, f64) {
    let ratio = took_ms / floor_ms;
    (
        format!(
            "{} vs {} ({ratio:.2}×)",
            show_ms(took_ms),
            show_ms(floor_ms)
        ),
        ratio,
    )
}

/// The moment every network is generated at, so runs are comparable.
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap()
}

/// What people type into the search box, a letter at a time (one a line): names, handles,
/// topics, tags, a word with an apostrophe and one typed without its accent.
const TYPED: &str = include_str!("../typed-searches.txt");

/// Every distinct prefix of every typed text, as the box sends them.
pub fn prefixes() -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for text in TYPED.lines() {
        let chars: Vec<char> = text.chars().collect();
        for n in 1..=chars.len() {
            let typed: String = chars[..n].iter().collect::<String>().trim().to_string();
            if !typed.is_empty() && out.last() != Some(&typed) {
                out.push(typed);
            }
        }
    }
    out
}

/// Interactions per contact (every participant counts).
fn counts(net: &SynthNetwork) -> HashMap<&str, usize> {
    let mut per: HashMap<&str, usize> = HashMap::new();
    for i in &net.interactions {
        for c in &i.contact_ids {
            *per.entry(c.as_str()).or_default() += 1;
        }
    }
    per
}

/// The contact whose interaction count is closest to `n` (ties: the smaller id).
fn contact_near<'a>(per: &HashMap<&'a str, usize>, n: usize) -> (&'a str, usize) {
    per.iter()
        .min_by_key(|(id, k)| (k.abs_diff(n), **id))
        .map(|(id, k)| (*id, *k))
        .unwrap_or(("", 0))
}

/// A figure that could not be measured because the operation failed.
fn failed(figure: &'static str, target: Target, e: &dyn std::fmt::Display) -> Reading {
    Reading {
        figure,
        target,
        shown: format!("failed: {e}"),
        judged: f64::INFINITY,
        cost_ms: f64::NAN,
    }
}

fn fresh_store(dir: &Path, name: &str) -> Result<Store, Failure> {
    let path = dir.join(name);
    remove_store(&path);
    Ok(Store::open(&path)?)
}

fn remove_store(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(p);
    }
}

fn say(size: Size, what: &str) {
    eprintln!("[{size}] {what}");
}

/// Logs the `k`th note with `contact` a day before the benchmark's now: a change to the
/// network, after which what the store kept must be read again.
fn log_something(store: &mut Store, contact: &str, k: u32) -> Result<(), Failure> {
    store.save_interaction(kith_core::InteractionDraft {
        id: None,
        contact_ids: vec![contact.to_string()],
        channel: Channel::Email,
        direction: Direction::Outbound,
        occurred_at: now() - Duration::days(1) + Duration::seconds(i64::from(k)),
        public: Some(false),
        text: format!("Benchmark note {k}: a change to the network"),
        thread: None,
        tags: vec![],
        moment: None,
    })?;
    Ok(())
}

/// Logs the `k`th note with `contact` through a connection of its own, as the command line
/// or another window would: a change this store cannot describe, so what it kept is read
/// whole again.
fn log_elsewhere(store: &Store, contact: &str, k: u32) -> Result<(), Failure> {
    let path = store.path().expect("a store file");
    let mut other = Store::open_leaving_daily_backup(path, None)?;
    log_something(&mut other, contact, k)
}

/// Times `call` right after each of `runs` changes, notes numbered from `first`: logged
/// through `store` itself as the user would, or, with `elsewhere`, by another program.
fn after_changes<T>(
    store: &mut Store,
    contact: &str,
    first: u32,
    runs: usize,
    elsewhere: bool,
    mut call: impl FnMut(&Store) -> kith_core::Result<T>,
) -> Result<Samples, Failure> {
    let mut all = Vec::new();
    for k in first..first + runs as u32 {
        match elsewhere {
            true => log_elsewhere(store, contact, k)?,
            false => log_something(store, contact, k)?,
        }
        let (done, took) = once(|| call(store));
        done?;
        all.push(took);
    }
    Ok(Samples::from(all))
}

/// The network every figure group is measured on: generated, stored through the core, and the
/// floor it is judged against.
pub struct Bench {
    pub size: Size,
    /// The folder for the stores and archives the figures make.
    pub dir: PathBuf,
    /// A larger network than the busy one: fewer rounds, so a run ends in reasonable time.
    pub heavy: bool,
    pub net: SynthNetwork,
    /// The network, stored through the core (`kith demo --size`).
    pub store: Store,
    /// Inserting the network's rows with raw rusqlite, ms: the floor.
    floor_ms: f64,
    generated_ms: f64,
    stored_ms: f64,
}

/// A group of figures, measured on the stored network.
type Group = fn(&mut Bench) -> Result<Vec<Reading>, Failure>;

/// Every group of figures, in the table's order. A new group is one function, listed here.
const GROUPS: &[Group] = &[
    stored_network,
    json_archive,
    twitter_archive,
    search_as_you_type,
    contacts_as_you_type,
    contact_page,
    suggestions,
    briefing,
    beside_an_import,
    catching_up,
];

/// Measures every figure on the network of `size`, with stores and archives under `dir`.
pub fn measure(size: Size, dir: &Path) -> Result<Vec<Reading>, Failure> {
    let mut bench = Bench::new(size, dir)?;
    let mut out = Vec::new();
    for group in GROUPS {
        out.extend(group(&mut bench)?);
    }
    let path = bench.dir.join("network.sqlite3");
    drop(bench);
    remove_store(&path);
    Ok(out)
}

impl Bench {
    /// Generates the network of `size`, measures the floor, and stores the network.
    fn new(size: Size, dir: &Path) -> Result<Bench, Failure> {
        say(size, "generating the network");
        let (net, generated) = once(|| synth::sized(size, now()));

        // The floor for this network's rows.
        say(size, "inserting the rows with raw rusqlite (the floor)");
        let floor_ms = {
            let records: Records = net.clone().into();
            let store = fresh_store(dir, "floor.sqlite3")?;
            let (done, took) = once(|| floor::insert(&store, &records));
            done?;
            drop(store);
            remove_store(&dir.join("floor.sqlite3"));
            ms(took)
        };

        // `kith demo --size`: generate and store through the core.
        say(size, "storing the network through the core (kith demo)");
        let mut store = fresh_store(dir, "network.sqlite3")?;
        let (report, stored) = once(|| store.load_synth(net.clone(), now()));
        report?;
        Ok(Bench {
            size,
            dir: dir.to_path_buf(),
            heavy: size != Size::Busy,
            net,
            store,
            floor_ms,
            generated_ms: ms(generated),
            stored_ms: ms(stored),
        })
    }
}

/// `kith demo --size`: storing the generated network through the core, against the floor.
fn stored_network(b: &mut Bench) -> Result<Vec<Reading>, Failure> {
    let (shown, ratio) = against_floor(b.stored_ms, b.floor_ms);
    Ok(vec![Reading {
        figure: "`kith demo --size`: store the generated network (vs raw inserts)",
        target: Target::Ratio(1.5),
        shown: format!("{shown}; generating it {}", show_ms(b.generated_ms)),
        judged: ratio,
        cost_ms: b.stored_ms,
    }])
}

/// The JSON archive: export it as the user would, import it into a new store.
fn json_archive(b: &mut Bench) -> Result<Vec<Reading>, Failure> {
    let size = b.size;
    let dir = b.dir.as_path();
    let store = &b.store;
    let mut out = Vec::new();
    say(size, "exporting and importing the JSON archive");
    let archive_path = dir.join("network.json");
    {
        // Written as it is made, as `kith export` does: at stress size the text is over 1 GB.
        let mut file = std::io::BufWriter::new(std::fs::File::create(&archive_path)?);
        Archive::from_store(store, now())?.write_json(&mut file)?;
        std::io::Write::flush(&mut file)?;
    }
    let archive_mb = std::fs::metadata(&archive_path)?.len() as f64 / 1e6;
    {
        let mut target = fresh_store(dir, "from-json.sqlite3")?;
        let options = ImportOptions {
            format: Some(Format::Json),
            ..ImportOptions::default()
        };
        let (outcome, took) =
            once(|| import::import(&mut target, &archive_path, &options, now(), &mut |_| true));
        let figure = "import the network's JSON archive (vs raw inserts of its rows)";
        match outcome {
            Ok(outcome) => {
                if outcome.report.interactions_added as usize != size.interactions() {
                    return Err(format!(
                        "the archive import added {} interactions, not {}",
                        outcome.report.interactions_added,
                        size.interactions()
                    )
                    .into());
                }
                let (shown, ratio) = against_floor(ms(took), b.floor_ms);
                out.push(Reading {
                    figure,
                    target: Target::Ratio(1.5),
                    shown: format!("{shown}; {archive_mb:.0} MB"),
                    judged: ratio,
                    cost_ms: ms(took),
                });
            }
            // A refusal (the archive too large, say) is a finding, not a reason to stop.
            Err(e) => out.push(failed(figure, Target::Ratio(1.5), &e)),
        }
        drop(target);
        remove_store(&dir.join("from-json.sqlite3"));
        let _ = std::fs::remove_file(&archive_path);
    }
    Ok(out)
}

/// A Twitter/X archive, imported into a new store, against raw inserts of its rows.
fn twitter_archive(b: &mut Bench) -> Result<Vec<Reading>, Failure> {
    let size = b.size;
    let dir = b.dir.as_path();
    let mut out = Vec::new();
    let scale = b.size.contacts() / Size::Busy.contacts();
    let shape = synth::TwitterShape::scaled(scale);
    say(
        size,
        &format!(
            "importing a Twitter archive of {} tweets and {} DMs",
            shape.tweets, shape.dms
        ),
    );
    {
        let zip = dir.join("twitter.zip");
        synth::write_twitter_archive(&zip, shape)?;
        let options = ImportOptions {
            format: Some(Format::Twitter),
            ..ImportOptions::default()
        };
        let records = {
            let empty = Store::open_in_memory()?;
            import::parse(&empty, &zip, Format::Twitter, &options, now(), &mut |_| {
                true
            })?
            .records
        };
        let floor_store = fresh_store(dir, "twitter-floor.sqlite3")?;
        let (done, floor_took) = once(|| floor::insert(&floor_store, &records));
        done?;
        drop(floor_store);
        drop(records);
        remove_store(&dir.join("twitter-floor.sqlite3"));
        let mut target = fresh_store(dir, "twitter.sqlite3")?;
        let (outcome, took) =
            once(|| import::import(&mut target, &zip, &options, now(), &mut |_| true));
        let figure = "import a Twitter/X archive, 100k tweets + 10k DMs per 1× (vs raw inserts)";
        match outcome {
            Ok(outcome) => {
                let added = outcome.report.interactions_added as usize;
                if added != shape.tweets + shape.dms {
                    return Err(format!("the Twitter import added {added} interactions").into());
                }
                let (shown, ratio) = against_floor(ms(took), ms(floor_took));
                out.push(Reading {
                    figure,
                    target: Target::Ratio(1.5),
                    shown,
                    judged: ratio,
                    cost_ms: ms(took),
                });
            }
            Err(e) => out.push(failed(figure, Target::Ratio(1.5), &e)),
        }
        drop(target);
        remove_store(&dir.join("twitter.sqlite3"));
        let _ = std::fs::remove_file(&zip);
    }
    Ok(out)
}

/// Search as you type.
fn search_as_you_type(b: &mut Bench) -> Result<Vec<Reading>, Failure> {
    let size = b.size;
    let heavy = b.heavy;
    let store = &b.store;
    let mut out = Vec::new();
    say(size, "searching as you type");
    {
        let typed = prefixes();
        let rounds = if heavy { 3 } else { 10 };
        for q in &typed {
            store.search(q)?;
        }
        let mut all = Vec::with_capacity(typed.len() * rounds);
        let mut slowest = (std::time::Duration::ZERO, String::new());
        for _ in 0..rounds {
            for q in &typed {
                let (found, took) = once(|| store.search(q));
                found?;
                if took > slowest.0 {
                    slowest = (took, q.clone());
                }
                all.push(took);
            }
        }
        let samples = Samples::from(all);
        out.push(Reading {
            figure: "search as you type (`Store::search`, each prefix of 12 typed texts)",
            target: Target::Ms(5.0),
            shown: format!(
                "{}; slowest {:?} {}",
                percentiles(&samples),
                slowest.1,
                show_ms(ms(slowest.0))
            ),
            judged: samples.p95(),
            cost_ms: samples.p95(),
        });
    }
    Ok(out)
}

/// The contacts list filtered as you type, which is what the app's search box does.
fn contacts_as_you_type(b: &mut Bench) -> Result<Vec<Reading>, Failure> {
    let heavy = b.heavy;
    let net = &b.net;
    let store = &mut b.store;
    let mut out = Vec::new();
    {
        let typed = prefixes();
        let rounds = if heavy { 3 } else { 10 };
        let filter = |q: &str| kith_core::ContactFilter {
            query: Some(q.to_string()),
            ..kith_core::ContactFilter::default()
        };
        let mut all = Vec::with_capacity(typed.len() * rounds);
        let mut slowest = (std::time::Duration::ZERO, String::new());
        for round in 0..=rounds {
            for q in &typed {
                let (found, took) = once(|| store.list_contacts(&filter(q)));
                found?;
                if round == 0 {
                    continue; // a warm-up pass
                }
                if took > slowest.0 {
                    slowest = (took, q.clone());
                }
                all.push(took);
            }
        }
        let samples = Samples::from(all);
        let warm = samples;
        // The list is kept between keystrokes: the first keystroke after the user logs an
        // interaction reads the changed contacts again, after another program's change the
        // whole list.
        let filter_cold = filter("metadata");
        let who = net.contacts[0].id.clone();
        let list = |s: &Store| s.list_contacts(&filter_cold);
        let cold = after_changes(store, &who, 1, if heavy { 3 } else { 10 }, false, list)?;
        let elsewhere = after_changes(store, &who, 20, if heavy { 3 } else { 5 }, true, list)?;
        let samples = warm;
        out.push(Reading {
            figure: "contacts list filtered as you type (`list_contacts`, same prefixes)",
            target: Target::Ms(5.0),
            shown: format!(
                "{}; slowest {:?} {}",
                percentiles(&samples),
                slowest.1,
                show_ms(ms(slowest.0))
            ),
            judged: samples.p95(),
            cost_ms: samples.p95(),
        });
        out.push(Reading {
            figure: "contacts list, first keystroke after the user logs an interaction (\"metadata\", its contacts read again)",
            target: Target::Ms(5.0),
            shown: percentiles(&cold),
            judged: cold.p95(),
            cost_ms: cold.p95(),
        });
        out.push(Reading {
            figure: "contacts list, first keystroke after another program changed the file (caught up from the change log)",
            target: Target::Reference,
            shown: percentiles(&elsewhere),
            judged: elsewhere.p95(),
            cost_ms: elsewhere.p95(),
        });
    }
    Ok(out)
}

/// The contact page: a typical contact, the busiest, and the busiest scrolled.
fn contact_page(b: &mut Bench) -> Result<Vec<Reading>, Failure> {
    let size = b.size;
    let net = &b.net;
    let store = &b.store;
    let mut out = Vec::new();
    say(size, "opening contact pages");
    let per = counts(net);
    {
        let (id, n) = contact_near(&per, 2_000);
        let samples =
            Samples::collect(3, 40, || store.contact_detail(id).map(|d| d.timeline.len()));
        out.push(Reading {
            figure: "contact page: profile + newest 200 of ~2,000 interactions and their count (`contact_detail`)",
            target: Target::Ms(10.0),
            shown: format!("{}; {n} interactions", percentiles(&samples)),
            judged: samples.p95(),
            cost_ms: samples.p95(),
        });
        let (id, n) = per
            .iter()
            .max_by_key(|(id, k)| (**k, std::cmp::Reverse(**id)))
            .map(|(id, k)| (*id, *k))
            .unwrap_or(("", 0));
        let samples =
            Samples::collect(2, 20, || store.contact_detail(id).map(|d| d.timeline.len()));
        out.push(Reading {
            figure: "contact page of the busiest contact",
            target: Target::Ms(10.0),
            shown: format!("{}; {n} interactions", percentiles(&samples)),
            judged: samples.p95(),
            cost_ms: samples.p95(),
        });
        // Scrolling down the busiest timeline: the page that starts halfway.
        let mut after = store.contact_detail(id)?.timeline_next;
        for _ in 1..(n / 2 / kith_core::store::TIMELINE_PAGE as usize) {
            after = match after {
                Some(a) => {
                    store
                        .timeline_page(id, Some(&a), kith_core::store::TIMELINE_PAGE)?
                        .next
                }
                None => None,
            };
        }
        let samples = Samples::collect(2, 20, || {
            store
                .timeline_page(id, after.as_deref(), kith_core::store::TIMELINE_PAGE)
                .map(|p| p.entries.len())
        });
        out.push(Reading {
            figure: "contact page of the busiest contact, scrolled: the next 200 halfway down (`timeline_page`)",
            target: Target::Ms(10.0),
            shown: percentiles(&samples),
            judged: samples.p95(),
            cost_ms: samples.p95(),
        });
    }
    Ok(out)
}

/// Suggestions: the whole network, as the app asks, and one contact after a change.
fn suggestions(b: &mut Bench) -> Result<Vec<Reading>, Failure> {
    let size = b.size;
    let heavy = b.heavy;
    let net = &b.net;
    let store = &mut b.store;
    let mut out = Vec::new();
    let per = counts(net);
    say(size, "computing suggestions");
    let settings = SuggestSettings::default();
    {
        let runs = if heavy { 3 } else { 10 };
        let samples = Samples::collect(1, runs, || {
            suggest::suggest(
                &net.contacts,
                &net.interactions,
                &net.events,
                now(),
                &settings,
            )
        });
        out.push(Reading {
            figure: "suggestions, whole network: index + rules on loaded records",
            target: Target::Ms(200.0),
            shown: percentiles(&samples),
            judged: samples.p50(),
            cost_ms: samples.p50(),
        });
        // The store keeps the loaded network: the first call after the user logs an
        // interaction reads that interaction and computes, after another program's change it
        // reads the whole network again; the calls after those only compute.
        let runs = if heavy { 2 } else { 5 };
        let who = net.contacts[0].id.clone();
        let suggest = |s: &Store| s.suggestions(now());
        // The network is loaded by the first call of all, as it is when the window first
        // shows suggestions.
        suggest(store)?;
        let cold = after_changes(store, &who, 100, runs, false, suggest)?;
        let elsewhere = after_changes(store, &who, 120, runs, true, suggest)?;
        out.push(Reading {
            figure:
                "suggestions, whole network as the app asks (`Store::suggestions`), first call after the user logs an interaction: apply + compute",
            target: Target::Ms(200.0),
            shown: percentiles(&cold),
            judged: cold.p50(),
            cost_ms: cold.p50(),
        });
        out.push(Reading {
            figure:
                "suggestions as the app asks, first call after another program changed the file: catch up from the change log + compute",
            target: Target::Reference,
            shown: percentiles(&elsewhere),
            judged: elsewhere.p50(),
            cost_ms: elsewhere.p50(),
        });
        let samples = Samples::collect(1, runs, || store.suggestions(now()).map(|s| s.len()));
        out.push(Reading {
            figure:
                "suggestions, whole network as the app asks, repeated: compute on the kept network",
            target: Target::Ms(200.0),
            shown: percentiles(&samples),
            judged: samples.p50(),
            cost_ms: samples.p50(),
        });

        let (busiest, n) = per
            .iter()
            .max_by_key(|(id, k)| (**k, std::cmp::Reverse(**id)))
            .map(|(id, k)| (id.to_string(), *k))
            .unwrap_or_default();
        let new = Interaction {
            id: "bench-new".into(),
            contact_ids: vec![busiest.clone()],
            channel: Channel::Mastodon,
            direction: Direction::Inbound,
            occurred_at: now() - Duration::minutes(5),
            public: true,
            text: "Just saw your post about the Koha upgrade: how did the serials go?".into(),
            thread: None,
            tags: vec![],
            moment: None,
        };
        let mut index = SuggestIndex::new(&net.contacts, &net.interactions, &net.events);
        index.insert(&new);
        let samples = Samples::collect(10, 200, || index.for_contact(&busiest, now(), &settings));
        out.push(Reading {
            figure: "suggestions, one contact after a new interaction (the busiest contact)",
            target: Target::Ms(1.0),
            shown: format!("{}; {n} interactions", percentiles(&samples)),
            judged: samples.p50(),
            cost_ms: samples.p50(),
        });
    }
    Ok(out)
}

/// A briefing for a big conference.
fn briefing(b: &mut Bench) -> Result<Vec<Reading>, Failure> {
    let size = b.size;
    let heavy = b.heavy;
    let net = &b.net;
    let store = &mut b.store;
    let mut out = Vec::new();
    let settings = SuggestSettings::default();
    say(size, "briefing 300 attendees");
    {
        let step = (net.contacts.len() / 300).max(1);
        let attendees: Vec<String> = net
            .contacts
            .iter()
            .step_by(step)
            .take(300)
            .map(|c| c.id.clone())
            .collect();
        let conference = Event {
            id: "bench-conference".into(),
            name: "Benchmark Conference 2026".into(),
            kind: EventKind::Conference,
            starts_on: NaiveDate::from_ymd_opt(2026, 3, 10).unwrap_or_default(),
            ends_on: NaiveDate::from_ymd_opt(2026, 3, 12).unwrap_or_default(),
            location: "Wellington, New Zealand".into(),
            hashtags: vec!["#auslibchat".into(), "#benchconf26".into()],
            notes: String::new(),
            attendee_ids: attendees.clone(),
        };
        let mut events = net.events.clone();
        events.push(conference.clone());
        let input = BriefInput {
            contacts: &net.contacts,
            interactions: &net.interactions,
            events: &events,
            settings: &settings,
            states: &[],
        };
        let runs = if heavy { 3 } else { 10 };
        let samples = Samples::collect(1, runs, || {
            brief::build_briefing(&input, "bench-conference", now())
                .map(|b| brief::html::render(&b).len())
        });
        out.push(Reading {
            figure: "briefing for 300 attendees: build + HTML from loaded records",
            target: Target::Ms(100.0),
            shown: percentiles(&samples),
            judged: samples.p50(),
            cost_ms: samples.p50(),
        });

        let saved = store.save_event(EventDraft {
            id: None,
            name: conference.name.clone(),
            kind: conference.kind,
            starts_on: conference.starts_on,
            ends_on: Some(conference.ends_on),
            location: conference.location.clone(),
            hashtags: conference.hashtags.clone(),
            notes: String::new(),
            attendee_ids: attendees,
        })?;
        let runs = if heavy { 2 } else { 5 };
        let who = net.contacts[0].id.clone();
        let brief =
            |s: &Store| brief::briefing(s, &saved.id, now()).map(|b| brief::html::render(&b).len());
        let cold = after_changes(store, &who, 200, runs, false, brief)?;
        let elsewhere = after_changes(store, &who, 220, runs, true, brief)?;
        out.push(Reading {
            figure: "briefing for 300 attendees as the app asks (`brief::briefing`), first call after the user logs an interaction: apply + build + HTML",
            target: Target::Ms(100.0),
            shown: percentiles(&cold),
            judged: cold.p50(),
            cost_ms: cold.p50(),
        });
        out.push(Reading {
            figure: "briefing as the app asks, first call after another program changed the file: catch up from the change log + build + HTML",
            target: Target::Reference,
            shown: percentiles(&elsewhere),
            judged: elsewhere.p50(),
            cost_ms: elsewhere.p50(),
        });
        let samples = Samples::collect(1, runs, || {
            brief::briefing(store, &saved.id, now()).map(|b| brief::html::render(&b).len())
        });
        out.push(Reading {
            figure: "briefing for 300 attendees as the app asks, repeated: build + HTML on the kept network",
            target: Target::Ms(100.0),
            shown: percentiles(&samples),
            judged: samples.p50(),
            cost_ms: samples.p50(),
        });
    }
    Ok(out)
}

/// The window's reads beside a long import, through the session the app uses.
fn beside_an_import(b: &mut Bench) -> Result<Vec<Reading>, Failure> {
    say(
        b.size,
        "searching and opening contact pages while an archive is imported",
    );
    crate::beside_import::measure(b.size, &b.store, &b.dir)
}

/// The kept copies catching up from the change log after another program's commit.
fn catching_up(b: &mut Bench) -> Result<Vec<Reading>, Failure> {
    crate::catch_up::measure(b.size, &b.store, &b.dir)
}

/// How a cost grew when the network grew tenfold.
fn growth(ratio: f64) -> &'static str {
    if ratio < 2.0 {
        "flat"
    } else if ratio < 7.0 {
        "sublinear"
    } else if ratio <= 14.0 {
        "linear"
    } else {
        "superlinear"
    }
}

/// The Markdown table of every figure: busy, and stress with the growth when measured.
pub fn table(runs: &[Vec<Reading>], machine: &str) -> String {
    let mut out = format!(
        "Measured by `kith-bench` on {machine}; busy = 5,000 contacts, 250,000 interactions, \
         50 events{}.\n\n",
        if runs.len() > 1 {
            "; stress = 50,000 contacts, 2,500,000 interactions, 500 events"
        } else {
            ""
        }
    );
    let Some(busy) = runs.first() else {
        return out;
    };
    let stress = runs.get(1);
    if stress.is_some() {
        out.push_str("| figure | target | busy (1×) | met | stress (10×) | 10× / 1× |\n");
        out.push_str("|---|---|---|---|---|---|\n");
    } else {
        out.push_str("| figure | target | busy | met |\n|---|---|---|---|\n");
    }
    for (k, r) in busy.iter().enumerate() {
        let met = match (r.target, r.met()) {
            (Target::Reference, _) => "—",
            (_, true) => "yes",
            (_, false) => "**missed**",
        };
        out.push_str(&format!(
            "| {} | {} | {} | {met} |",
            r.figure,
            r.target.show(),
            r.shown
        ));
        if let Some(s) = stress.and_then(|s| s.get(k)) {
            let ratio = s.cost_ms / r.cost_ms;
            if ratio.is_finite() {
                out.push_str(&format!(" {} | {ratio:.1}× ({}) |", s.shown, growth(ratio)));
            } else {
                out.push_str(&format!(" {} | — |", s.shown));
            }
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_grow_a_letter_at_a_time_without_repeats() {
        let p = prefixes();
        assert_eq!(&p[..4], ["k", "ko", "koh", "koha"]);
        assert_eq!(p[4], "koha s");
        assert!(p.windows(2).all(|w| w[0] != w[1]));
        assert!(p.iter().all(|q| q == q.trim() && !q.is_empty()));
    }

    #[test]
    fn growth_is_named_by_its_ratio() {
        assert_eq!(growth(1.1), "flat");
        assert_eq!(growth(4.0), "sublinear");
        assert_eq!(growth(10.5), "linear");
        assert_eq!(growth(30.0), "superlinear");
    }

    #[test]
    fn the_table_marks_missed_targets_and_growth() {
        let reading = |shown: &str, judged: f64, cost: f64| Reading {
            figure: "thing",
            target: Target::Ms(5.0),
            shown: shown.into(),
            judged,
            cost_ms: cost,
        };
        let busy = vec![reading("3 ms", 3.0, 3.0), reading("7 ms", 7.0, 7.0)];
        let stress = vec![reading("30 ms", 30.0, 30.0), reading("8 ms", 8.0, 8.0)];
        let t = table(std::slice::from_ref(&busy), "2 × Test CPU");
        assert!(t.contains("2 × Test CPU"));
        assert!(t.contains("| thing | ≤ 5 ms | 3 ms | yes |"), "{t}");
        assert!(t.contains("| thing | ≤ 5 ms | 7 ms | **missed** |"), "{t}");
        let t = table(&[busy, stress], "2 × Test CPU");
        assert!(t.contains("| 30 ms | 10.0× (linear) |"), "{t}");
        assert!(t.contains("| 8 ms | 1.1× (flat) |"), "{t}");
    }
}
