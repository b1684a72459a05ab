//! `app-bench`: the figures only the real app can give, measured in its window over WebDriver
//! and printed as rows of README.md's performance table. Run it with
//! `bash scripts/bench.sh --app [--stress]`, which builds what it needs and generates the stores.
//!
//! - Cold start: from the app's process being started to the first contact rows in the DOM
//!   (the contacts list's `kith:first-contact-rows` User Timing mark), against a hello-world
//!   window of the same stack (the `hello` example) from its start to its page's content.
//!   Every program is started through this binary's `launch` mode, which notes the wall-clock
//!   time and its pid and then becomes the program (same pid); the page's mark is taken as
//!   `performance.timeOrigin + mark.startTime` on the same clock.
//! - Search as you type: the contacts list's `kith:list-contacts` measures (request leaving the
//!   UI to its answer arriving, through Tauri's IPC), typing each text a letter at a time and
//!   waiting for each answer before the next letter.
//! - Memory: PSS (the `Pss` line of `/proc/PID/smaps_rollup`) of the app and every process
//!   below it (WebKit's web and network processes), at idle after the list has loaded.
//! - Scrolling: the contacts list, and the timeline of the contact with the most interactions,
//!   scrolled by a fixed step every animation frame; the frame times are the deltas between
//!   `requestAnimationFrame` timestamps.

use kith_e2e::prelude::*;
use serde_json::{json, Value};
use std::fs;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

const USAGE: &str =
    "usage: app-bench --app BIN --hello BIN --busy STORE [--stress STORE] [--runs N]
  --app BIN       the app, built in release with the UI bundled in
  --hello BIN     the hello-world window (the kith-app `hello` example), built the same way
  --busy STORE    a store holding the busy network (kith demo --size busy)
  --stress STORE  also scroll the contacts list of the stress network (kith demo --size stress)
  --runs N        cold starts of each program (default 7)
The X display is DISPLAY (or KITH_E2E_DISPLAY); without one each window gets its own Xvfb.";

/// The UI's User Timing names (ui/src/views/contacts-list.ts).
const LIST_MEASURE: &str = "kith:list-contacts";
const FIRST_ROWS_MARK: &str = "kith:first-contact-rows";
/// The hello-world page's mark (src-tauri/examples/hello/page/hello.js).
const HELLO_MARK: &str = "hello:content";

/// The texts of `kith-bench`'s search figure (one a line in bench/typed-searches.txt), typed a
/// letter at a time.
const TYPED: &str = include_str!("../../../../bench/typed-searches.txt");

/// How long the app is left alone after its list has loaded before its memory is read: the
/// suggestions and duplicates it loads at start take a few hundred milliseconds on the busy
/// network.
const SETTLE: Duration = Duration::from_secs(5);
/// Scrolling: pixels per frame (about 1.8 rows of 68 px, brisk wheel scrolling) and frames.
const SCROLL_STEP_PX: u32 = 120;
const SCROLL_FRAMES: u32 = 600;
/// Frames recorded without scrolling first: the floor of the display's frame rate.
const IDLE_FRAMES: u32 = 120;
/// One frame at 60 Hz, and two.
const FRAME_MS: f64 = 1000.0 / 60.0;

struct Options {
    app: PathBuf,
    hello: PathBuf,
    busy: PathBuf,
    stress: Option<PathBuf>,
    runs: usize,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("launch") {
        return launch(&args[1..]);
    }
    let options = match parse(&args) {
        Ok(o) => o,
        Err(problem) => {
            eprintln!("app-bench: {problem}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    if let Ok(display) = std::env::var("DISPLAY") {
        if std::env::var_os("KITH_E2E_DISPLAY").is_none() && !display.is_empty() {
            // Set before any thread starts.
            std::env::set_var("KITH_E2E_DISPLAY", display);
        }
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("app-bench: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(&options)) {
        Ok(table) => {
            print!("{table}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("app-bench: {e}");
            ExitCode::FAILURE
        }
    }
}

fn parse(args: &[String]) -> Result<Options, String> {
    let mut app = None;
    let mut hello = None;
    let mut busy = None;
    let mut stress = None;
    let mut runs = 7;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = || {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{arg} needs a value"))
        };
        match arg.as_str() {
            "--app" => app = Some(PathBuf::from(value()?)),
            "--hello" => hello = Some(PathBuf::from(value()?)),
            "--busy" => busy = Some(PathBuf::from(value()?)),
            "--stress" => stress = Some(PathBuf::from(value()?)),
            "--runs" => {
                runs = value()?
                    .parse()
                    .map_err(|e| format!("--runs: {e}"))
                    .and_then(|n: usize| {
                        if n == 0 {
                            Err("--runs must be at least 1".to_string())
                        } else {
                            Ok(n)
                        }
                    })?
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    let absolute = |p: Option<PathBuf>, what: &str| -> Result<PathBuf, String> {
        let p = p.ok_or_else(|| format!("{what} is required"))?;
        fs::canonicalize(&p).map_err(|e| format!("{}: {e}", p.display()))
    };
    Ok(Options {
        app: absolute(app, "--app")?,
        hello: absolute(hello, "--hello")?,
        busy: absolute(busy, "--busy")?,
        stress: stress.map(|s| absolute(Some(s), "--stress")).transpose()?,
        runs,
    })
}

/// `launch STAMP PROGRAM [ARGS…]`: writes this process's pid and the wall-clock time (ms since
/// the epoch) to STAMP, then becomes PROGRAM. WebKitWebDriver starts the window's program
/// through this, so the time is taken at the program's start, a millisecond after the fork.
fn launch(args: &[String]) -> ExitCode {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64() * 1000.0);
    let [stamp, program, rest @ ..] = args else {
        eprintln!("app-bench launch: needs STAMP PROGRAM [ARGS…]");
        return ExitCode::from(2);
    };
    if let Err(e) = fs::write(stamp, format!("{} {now:.3}\n", std::process::id())) {
        eprintln!("app-bench launch: {stamp}: {e}");
        return ExitCode::FAILURE;
    }
    // WebKitWebDriver passes its own arguments after ours; the programs take none.
    let _ = rest;
    let e = Command::new(program).exec();
    eprintln!("app-bench launch: could not start {program}: {e}");
    ExitCode::FAILURE
}

/// Where and when a launched program started.
struct Spawned {
    pid: i32,
    at_ms: f64,
}

fn read_stamp(path: &Path) -> Result<Spawned> {
    let text = fs::read_to_string(path)?;
    let mut fields = text.split_whitespace();
    let pid = fields.next().ok_or("empty launch stamp")?.parse()?;
    let at_ms = fields
        .next()
        .ok_or("launch stamp without a time")?
        .parse()?;
    Ok(Spawned { pid, at_ms })
}

/// One program's window, started through the launcher.
struct Window {
    app: App,
    spawned: Spawned,
}

async fn open(program: &Path, store: Option<&Path>) -> Result<Window> {
    let profile = Profile::new()?.drawing_as_the_app_chooses();
    if let Some(store) = store {
        fs::copy(store, profile.db_path())?;
    }
    reopen(program, profile).await
}

/// Starts `program` on a profile that has been used before (its store, its backups, WebKit's
/// caches).
async fn reopen(program: &Path, profile: Profile) -> Result<Window> {
    let stamp = profile.dir().join("spawned");
    let launcher = std::env::current_exe()?;
    let args = vec![
        "launch".to_string(),
        stamp.display().to_string(),
        program.display().to_string(),
    ];
    let app = App::launch_program(profile, &launcher, &args).await?;
    let spawned = read_stamp(&stamp)?;
    Ok(Window { app, spawned })
}

/// Waits for the first contact rows and says when each step happened.
async fn app_start(w: &Window, what: &str) -> Result<Start> {
    let start = wait_for_mark(w, FIRST_ROWS_MARK).await?;
    let (sent, answered) = start.first_request.unwrap_or((f64::NAN, f64::NAN));
    eprintln!(
        "[cold start] app, busy network, {what}: page loading at {}, list asked at {}, answered \
         at {}, first contact rows at {}",
        millis(start.to_navigation_ms),
        millis(sent),
        millis(answered),
        millis(start.to_mark_ms)
    );
    Ok(start)
}

/// Milliseconds from the program's start to the page's `mark`, and to its navigation start.
struct Start {
    to_mark_ms: f64,
    to_navigation_ms: f64,
    /// The first list request, if the page made one: (sent, answered) in ms from the start.
    first_request: Option<(f64, f64)>,
}

/// When the page's first list request left and when its answer arrived, in ms from the
/// program's start.
async fn first_request(w: &Window) -> Result<Option<(f64, f64)>> {
    let ret = w
        .app
        .execute(
            "const m = performance.getEntriesByName(arguments[0], 'measure')[0];
             return m ? [performance.timeOrigin + m.startTime, m.duration] : null;",
            vec![json!(LIST_MEASURE)],
        )
        .await?;
    Ok(ret
        .convert::<Option<(f64, f64)>>()?
        .map(|(sent, took)| (sent - w.spawned.at_ms, sent + took - w.spawned.at_ms)))
}

async fn wait_for_mark(w: &Window, mark: &str) -> Result<Start> {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let ret = w
            .app
            .execute(
                "const m = performance.getEntriesByName(arguments[0], 'mark')[0];
                 return m ? [performance.timeOrigin, m.startTime] : null;",
                vec![json!(mark)],
            )
            .await?;
        if let Some((origin, at)) = ret.convert::<Option<(f64, f64)>>()? {
            return Ok(Start {
                to_mark_ms: origin + at - w.spawned.at_ms,
                to_navigation_ms: origin - w.spawned.at_ms,
                first_request: first_request(w).await?,
            });
        }
        if Instant::now() > deadline {
            return Err(format!("the page never set its {mark:?} mark").into());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

// ---------------------------------------------------------------------------------------------
// Memory

/// A process under the app and its PSS in KiB.
struct Proc {
    pid: i32,
    name: String,
    pss_kib: u64,
    /// The part of it that is the process's own memory (heap, stacks), not mapped files.
    anon_kib: u64,
}

/// `(pid, ppid, comm)` of every process.
fn processes() -> Vec<(i32, i32, String)> {
    let Ok(entries) = fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| {
            let pid: i32 = e.file_name().to_str()?.parse().ok()?;
            let stat = fs::read_to_string(e.path().join("stat")).ok()?;
            let (head, rest) = stat.rsplit_once(')')?;
            let name = head.split_once('(')?.1.to_string();
            let ppid = rest.split_whitespace().nth(1)?.parse().ok()?;
            Some((pid, ppid, name))
        })
        .collect()
}

/// The process and everything below it, with their PSS.
fn tree_pss(root: i32) -> Vec<Proc> {
    let all = processes();
    let mut pids = vec![root];
    let mut k = 0;
    while k < pids.len() {
        let parent = pids[k];
        pids.extend(all.iter().filter(|p| p.1 == parent).map(|p| p.0));
        k += 1;
    }
    pids.into_iter()
        .filter_map(|pid| {
            let name = all.iter().find(|p| p.0 == pid)?.2.clone();
            let rollup = fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok()?;
            let field = |key: &str| -> Option<u64> {
                rollup
                    .lines()
                    .find_map(|l| l.strip_prefix(key))?
                    .trim()
                    .trim_end_matches("kB")
                    .trim()
                    .parse()
                    .ok()
            };
            Some(Proc {
                pid,
                name,
                pss_kib: field("Pss:")?,
                anon_kib: field("Pss_Anon:").unwrap_or(0),
            })
        })
        .collect()
}

fn describe(procs: &[Proc]) -> String {
    procs
        .iter()
        .map(|p| {
            format!(
                "{} ({}) {:.0} MB, {:.0} MB of it anonymous",
                p.name,
                p.pid,
                mb(p.pss_kib),
                mb(p.anon_kib)
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn mb(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

fn total_mb(procs: &[Proc]) -> f64 {
    mb(procs.iter().map(|p| p.pss_kib).sum())
}

// ---------------------------------------------------------------------------------------------
// Statistics

fn sorted(values: &[f64]) -> Vec<f64> {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    v
}

/// Nearest-rank percentile of a non-empty sample.
fn percentile(values: &[f64], p: f64) -> f64 {
    let v = sorted(values);
    let rank = ((p / 100.0) * v.len() as f64).ceil() as usize;
    v[rank.clamp(1, v.len()) - 1]
}

fn spread(values: &[f64]) -> (f64, f64, f64) {
    let v = sorted(values);
    (percentile(&v, 50.0), v[0], v[v.len() - 1])
}

fn secs(ms: f64) -> String {
    format!("{:.2} s", ms / 1000.0)
}

fn millis(ms: f64) -> String {
    if ms < 10.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{ms:.0} ms")
    }
}

// ---------------------------------------------------------------------------------------------
// The figures

struct Row {
    figure: String,
    target: &'static str,
    busy: String,
    met: Option<bool>,
    stress: Option<String>,
}

async fn run(o: &Options) -> Result<String> {
    let mut rows = Vec::new();

    // Cold starts, alternating so a change in the machine's load hits both alike; the app's
    // memory is read in each of its runs once it has settled.
    let mut hello_starts = Vec::new();
    let mut first_starts = Vec::new();
    let mut later_starts = Vec::new();
    let mut app_navigation = Vec::new();
    let mut hello_memory = Vec::new();
    let mut busy_memory: Vec<(f64, Vec<Proc>)> = Vec::new();
    for run in 1..=o.runs {
        eprintln!("[cold start] run {run} of {}", o.runs);
        let w = open(&o.hello, None).await?;
        let start = wait_for_mark(&w, HELLO_MARK).await?;
        eprintln!(
            "[cold start] hello-world: content at {}",
            millis(start.to_mark_ms)
        );
        hello_starts.push(start.to_mark_ms);
        tokio::time::sleep(SETTLE).await;
        hello_memory.push(total_mb(&tree_pss(w.spawned.pid)));
        w.app.close().await?;

        // The day's first start makes the daily backup; a later start finds it made.
        let w = open(&o.app, Some(&o.busy)).await?;
        let start = app_start(&w, "the day's first start").await?;
        first_starts.push(start.to_mark_ms);
        // Let the start-up calls finish before closing, as a person would.
        tokio::time::sleep(SETTLE).await;
        let profile = w.app.close().await?;

        let w = reopen(&o.app, profile).await?;
        let start = app_start(&w, "a later start").await?;
        later_starts.push(start.to_mark_ms);
        app_navigation.push(start.to_navigation_ms);
        let early = tree_pss(w.spawned.pid);
        eprintln!(
            "[memory] busy network, just after the first rows: {:.0} MB: {}",
            total_mb(&early),
            describe(&early)
        );
        tokio::time::sleep(SETTLE).await;
        let procs = tree_pss(w.spawned.pid);
        eprintln!(
            "[memory] busy network, idle: {:.0} MB: {}",
            total_mb(&procs),
            describe(&procs)
        );
        busy_memory.push((total_mb(&procs), procs));
        w.app.close().await?;
    }
    let (hello_mid, hello_lo, hello_hi) = spread(&hello_starts);
    let (nav_mid, _, _) = spread(&app_navigation);
    let hello = format!(
        "hello-world {} ({}–{})",
        secs(hello_mid),
        secs(hello_lo),
        secs(hello_hi)
    );
    for (starts, which, extra) in [
        (
            &later_starts,
            "a start after the day's first",
            format!("; the app's page starts loading at {}", secs(nav_mid)),
        ),
        (
            &first_starts,
            "the day's first start (the store makes its daily backup, a copy of the whole file)",
            String::new(),
        ),
    ] {
        let (mid, lo, hi) = spread(starts);
        rows.push(Row {
            figure: format!(
                "cold start, {which}: process start → first contact rows in the DOM, release \
                 build under Xvfb, {} runs (vs a hello-world window: start → its page's content)",
                o.runs
            ),
            target: "≤ 0.6 s",
            busy: format!(
                "{} median ({}–{}); {hello}{extra}",
                secs(mid),
                secs(lo),
                secs(hi)
            ),
            met: Some(mid <= 600.0),
            stress: None,
        });
    }

    // Memory on an empty store: the welcome view instead of the list.
    let mut empty_memory = Vec::new();
    for run in 1..=o.runs.min(3) {
        let w = open(&o.app, None).await?;
        w.app
            .query(testid("load-demo-button"))
            .desc("the welcome view of an empty store")
            .first()
            .await?;
        tokio::time::sleep(SETTLE).await;
        let procs = tree_pss(w.spawned.pid);
        eprintln!(
            "[memory {run}] empty store, idle: {:.0} MB: {}",
            total_mb(&procs),
            describe(&procs)
        );
        empty_memory.push(total_mb(&procs));
        w.app.close().await?;
    }
    let busy_totals: Vec<f64> = busy_memory.iter().map(|m| m.0).collect();
    let (busy_mid, busy_lo, busy_hi) = spread(&busy_totals);
    let (empty_mid, _, _) = spread(&empty_memory);
    let (hello_mem_mid, _, _) = spread(&hello_memory);
    // The processes of the run closest to the median, by kind.
    let typical = busy_memory
        .iter()
        .min_by(|a, b| (a.0 - busy_mid).abs().total_cmp(&(b.0 - busy_mid).abs()))
        .map(|m| &m.1);
    let by_kind = typical.map_or(String::new(), |procs| {
        let mut kinds: Vec<(String, u64)> = Vec::new();
        for p in procs {
            match kinds.iter_mut().find(|k| k.0 == p.name) {
                Some(k) => k.1 += p.pss_kib,
                None => kinds.push((p.name.clone(), p.pss_kib)),
            }
        }
        kinds
            .iter()
            .map(|(name, kib)| format!("{name} {:.0}", mb(*kib)))
            .collect::<Vec<_>>()
            .join(" + ")
    });
    rows.push(Row {
        figure: "memory at idle after the list has loaded: PSS of the app and the processes it \
                 started (WebKit's), busy network vs an empty store"
            .into(),
        target: "—",
        busy: format!(
            "{busy_mid:.0} MB ({busy_lo:.0}–{busy_hi:.0}; {by_kind}) vs {empty_mid:.0} MB empty; \
             hello-world {hello_mem_mid:.0} MB"
        ),
        met: None,
        stress: None,
    });

    // Search as you type and scrolling, in one window on the busy network.
    let w = open(&o.app, Some(&o.busy)).await?;
    wait_for_mark(&w, FIRST_ROWS_MARK).await?;
    tokio::time::sleep(SETTLE).await;
    rows.push(search(&w.app).await?);
    let scroll_busy = scroll_list(&w.app, "busy").await?;
    let timeline_busy = scroll_timeline(&w.app, "busy").await?;
    w.app.close().await?;

    let (scroll_stress, timeline_stress) = match &o.stress {
        Some(store) => {
            let w = open(&o.app, Some(store)).await?;
            wait_for_mark(&w, FIRST_ROWS_MARK).await?;
            tokio::time::sleep(SETTLE).await;
            let s = scroll_list(&w.app, "stress").await?;
            let t = scroll_timeline(&w.app, "stress").await?;
            w.app.close().await?;
            (Some(s.shown), Some(t.shown))
        }
        None => (None, None),
    };
    rows.push(Row {
        figure: format!(
            "scrolling the contacts list ({} px a frame, {SCROLL_FRAMES} frames): frame times, \
             software rendering under Xvfb",
            SCROLL_STEP_PX
        ),
        target: "—",
        busy: scroll_busy.shown,
        met: None,
        stress: scroll_stress,
    });
    rows.push(Row {
        figure: format!(
            "scrolling the timeline of the contact with the most interactions ({} px a frame, \
             {SCROLL_FRAMES} frames; older pages load on the way): frame times, software \
             rendering under Xvfb",
            SCROLL_STEP_PX
        ),
        target: "—",
        busy: timeline_busy.shown,
        met: None,
        stress: timeline_stress,
    });

    Ok(table(&rows, o.stress.is_some()))
}

/// Types every text into the search box a letter at a time, waiting for each answer.
async fn search(app: &App) -> Result<Row> {
    let input = app.testid("search-input").await?;
    let mut samples: Vec<(f64, String, u64)> = Vec::new();
    for text in TYPED.lines() {
        clear_search(app, &input).await?;
        let first = samples.len();
        let mut typed = String::new();
        let mut last: Option<String> = None;
        for c in text.chars() {
            typed.push(c);
            let query = normalise(&typed);
            let before = measures(app).await?.len();
            input.send_keys(c.to_string()).await?;
            let (ms, count) = wait_for_answer(app, before, query.as_deref()).await?;
            if query != last {
                if let Some(q) = &query {
                    samples.push((ms, q.clone(), count));
                }
            }
            last = query;
        }
        let typed_here = &samples[first..];
        eprintln!(
            "[search] typed {text:?}: {}",
            typed_here
                .iter()
                .map(|(ms, q, n)| format!("{q:?} {} ({n})", millis(*ms)))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let times: Vec<f64> = samples.iter().map(|s| s.0).collect();
    let p50 = percentile(&times, 50.0);
    let p95 = percentile(&times, 95.0);
    let slowest = samples
        .iter()
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .ok_or("no searches were measured")?;
    Ok(Row {
        figure: format!(
            "search as you type through IPC (the search box's `list_contacts`, request to answer, \
             each prefix of {} typed texts)",
            TYPED.lines().count()
        ),
        target: "≤ 20 ms p95",
        busy: format!(
            "{} p50, {} p95; slowest {:?} {} ({} contacts in the answer); {} prefixes",
            millis(p50),
            millis(p95),
            slowest.1,
            millis(slowest.0),
            slowest.2,
            samples.len()
        ),
        met: Some(p95 <= 20.0),
        stress: None,
    })
}

/// Empties the search box the way typing would (an input event) and waits for the full list.
async fn clear_search(app: &App, input: &WebElement) -> Result<()> {
    let before = measures(app).await?.len();
    app.execute(
        "const el = arguments[0]; el.value = '';
         el.dispatchEvent(new Event('input', { bubbles: true }));",
        vec![input.to_json()?],
    )
    .await?;
    wait_for_answer(app, before, None).await?;
    Ok(())
}

/// As the UI's `normaliseQuery`: runs of whitespace become one space, ends are trimmed.
fn normalise(text: &str) -> Option<String> {
    let q = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!q.is_empty()).then_some(q)
}

/// The list-request measures so far: (duration in ms, query, contacts in the answer).
async fn measures(app: &App) -> Result<Vec<(f64, Option<String>, u64)>> {
    let ret = app
        .execute(
            "return performance.getEntriesByName(arguments[0], 'measure')
                 .map((e) => [e.duration, e.detail ? e.detail.query : null,
                              e.detail ? e.detail.count : 0]);",
            vec![json!(LIST_MEASURE)],
        )
        .await?;
    Ok(ret.convert()?)
}

/// Waits for a list answer after the first `before`, for `query`; returns its duration and
/// how many contacts it held.
async fn wait_for_answer(app: &App, before: usize, query: Option<&str>) -> Result<(f64, u64)> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let all = measures(app).await?;
        if all.len() < before {
            return Err("the list's measures were cleared while measuring".into());
        }
        if let Some((ms, _, count)) = all[before..].iter().find(|m| m.1.as_deref() == query) {
            return Ok((*ms, *count));
        }
        if Instant::now() > deadline {
            return Err(format!("no list answer for {query:?} within 30 s").into());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

struct Scroll {
    shown: String,
}

/// Scrolls the contacts list from the top by a fixed step each animation frame, after
/// recording frames without scrolling (the display's own pace).
async fn scroll_list(app: &App, network: &str) -> Result<Scroll> {
    app.driver()
        .set_script_timeout(Duration::from_secs(120))
        .await?;
    let input = app.testid("search-input").await?;
    if !input.value().await?.unwrap_or_default().is_empty() {
        clear_search(app, &input).await?;
    }
    scroll(
        app,
        CONTACT_LIST,
        &format!("{network} network's contacts list"),
    )
    .await
}

/// Opens the contact with the most interactions and scrolls their timeline from the top the
/// same way; older pages load as the end comes near, during the scrolling.
async fn scroll_timeline(app: &App, network: &str) -> Result<Scroll> {
    app.driver()
        .set_script_timeout(Duration::from_secs(120))
        .await?;
    let busiest: Value = app
        .execute_async(
            "const done = arguments[0];
             window.__TAURI_INTERNALS__
               .invoke('list_contacts', { filter: { query: null, role: null, channel: null,
                                                    tag: null, limit: null } })
               .then((list) => {
                 const top = list.reduce((a, b) => (b.interaction_count > a.interaction_count ? b : a));
                 location.hash = '#/contacts/' + encodeURIComponent(top.id);
                 const wait = () => document.querySelector('[data-testid=timeline-entry]')
                   ? done({ id: top.id, count: top.interaction_count })
                   : setTimeout(wait, 20);
                 wait();
               }, (e) => done({ error: String(e) }));",
            vec![],
        )
        .await?
        .convert()?;
    if let Some(e) = busiest.get("error") {
        return Err(format!("the busiest contact could not be opened: {e}").into());
    }
    tokio::time::sleep(SETTLE).await;
    let label = format!(
        "{network} network's busiest timeline ({} interactions)",
        busiest["count"]
    );
    let mut s = scroll(app, TIMELINE, &label).await?;
    s.shown = format!("{} interactions; {}", busiest["count"], s.shown);
    Ok(s)
}

/// Records frames without scrolling, then scrolls what `what` finds from the top.
async fn scroll(app: &App, what: (&str, &str), label: &str) -> Result<Scroll> {
    let idle = frames(app, what, 0, IDLE_FRAMES).await?;
    let idle: Vec<f64> = serde_json::from_value(idle["deltas"].clone())?;
    let value = frames(app, what, SCROLL_STEP_PX, SCROLL_FRAMES).await?;
    let deltas: Vec<f64> = serde_json::from_value(value["deltas"].clone())?;
    if deltas.is_empty() || idle.is_empty() {
        return Err("no animation frames were recorded".into());
    }
    let over = |limit: f64| {
        100.0 * deltas.iter().filter(|&&d| d > limit).count() as f64 / deltas.len() as f64
    };
    let shown = format!(
        "{} p50, {} p95; {:.0}% of frames over 16.7 ms, {:.0}% over 33 ms ({} frames, to {} of \
         {} px; {} rows in the DOM at the end); not scrolling: {} p50, {} p95",
        millis(percentile(&deltas, 50.0)),
        millis(percentile(&deltas, 95.0)),
        over(FRAME_MS),
        over(2.0 * FRAME_MS),
        deltas.len(),
        value["top"],
        value["height"],
        value["rows"],
        millis(percentile(&idle, 50.0)),
        millis(percentile(&idle, 95.0)),
    );
    eprintln!("[scroll] {label}: {shown}");
    Ok(Scroll { shown })
}

/// How the contacts list is found in the page, and its rows.
const CONTACT_LIST: (&str, &str) = (
    "document.getElementById('contact-list')",
    "[data-testid=contact-row]",
);

/// How a contact's timeline is found in the page (it scrolls with the pane around it), and
/// its rows.
const TIMELINE: (&str, &str) = (
    "(() => {
       let el = document.querySelector('[data-testid=timeline-entry]');
       while (el && !(el.scrollHeight > el.clientHeight
                      && /auto|scroll/.test(getComputedStyle(el).overflowY))) el = el.parentElement;
       return el;
     })()",
    "[data-testid=timeline-entry]",
);

/// Runs `count` animation frames, scrolling the element `what` finds by `step` px in each:
/// the deltas between the frames' timestamps, where it got to and how many rows were in the
/// DOM.
async fn frames(app: &App, what: (&str, &str), step: u32, count: u32) -> Result<Value> {
    let (element, rows) = what;
    let ret = app
        .execute_async(
            &format!(
                "const [step, count, done] = arguments;
                 const el = {element};
                 if (!el) {{ done({{ error: 'nothing to scroll' }}); return; }}
                 el.scrollTop = 0;
                 const deltas = [];
                 let last = null;
                 let n = 0;
                 const tick = (t) => {{
                   if (last !== null) deltas.push(t - last);
                   last = t;
                   if (n++ >= count || (step > 0 && el.scrollTop + el.clientHeight >= el.scrollHeight)) {{
                     done({{ deltas, top: el.scrollTop, height: el.scrollHeight,
                            rows: el.querySelectorAll('{rows}').length }});
                     return;
                   }}
                   el.scrollTop += step;
                   requestAnimationFrame(tick);
                 }};
                 requestAnimationFrame(() => requestAnimationFrame(tick));"
            ),
            vec![json!(step), json!(count)],
        )
        .await?;
    let value: Value = ret.convert()?;
    if let Some(e) = value.get("error") {
        return Err(format!("scrolling failed: {e}").into());
    }
    Ok(value)
}

fn table(rows: &[Row], stress: bool) -> String {
    let mut out = String::new();
    if stress {
        out.push_str("| figure | target | busy (1×) | met | stress (10×) | 10× / 1× |\n");
        out.push_str("|---|---|---|---|---|---|\n");
    } else {
        out.push_str("| figure | target | busy | met |\n|---|---|---|---|\n");
    }
    for r in rows {
        let met = match r.met {
            Some(true) => "yes",
            Some(false) => "**missed**",
            None => "—",
        };
        out.push_str(&format!(
            "| {} | {} | {} | {met} |",
            r.figure, r.target, r.busy
        ));
        if stress {
            out.push_str(&format!(
                " {} | — |",
                r.stress.as_deref().unwrap_or("not measured")
            ));
        }
        out.push('\n');
    }
    out
}
