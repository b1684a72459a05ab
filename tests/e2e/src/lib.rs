//! Harness for Kith's end-to-end tests: the real desktop window, driven over WebDriver.
//!
//! Every [`App::launch`] gets a world of its own, so tests never see each other's data:
//! - an X display: a private `Xvfb`, or the display named in `KITH_E2E_DISPLAY`;
//! - a `tauri-driver` on free ports, which starts `WebKitWebDriver`, which starts the app;
//! - a [`Profile`]: a temporary directory holding the app's database (`KITH_DB`) and the
//!   XDG directories where WebKit keeps its storage.
//!
//! The app inherits its environment from tauri-driver, so that is where `DISPLAY`, `KITH_DB`
//! and the XDG variables are set.
//!
//! Shutting down takes care: end the WebDriver session (the app exits), SIGTERM tauri-driver
//! (SIGKILL would leave WebKitWebDriver running), sweep its process group for anything left,
//! then stop Xvfb. [`App::close`] does this and reports problems; end every test with it.
//! Dropping an `App` that was not closed (a failed assertion, an early `?`) does the same on
//! a best-effort basis, prints the end of tauri-driver's log and keeps the profile directory
//! (database, logs) for inspection.
//!
//! The app binary is `target/debug/kith-app` (next to the test executables) unless
//! `KITH_APP_BIN` names another; it must be built with `--features custom-protocol` so it
//! serves the built UI instead of expecting the Vite dev server.

use std::fs::{self, File, OpenOptions};
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::ops::Deref;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use nix::errno::Errno;
use nix::sys::signal::{kill, killpg, Signal};
use nix::unistd::Pid;
use serde_json::json;
use tempfile::TempDir;
use thirtyfour::prelude::*;

pub use thirtyfour;

/// What a window test needs in one import: the harness and thirtyfour's prelude
/// (`By`, `WebElement`, the `query`/`wait_until` extension traits, `Key`).
pub mod prelude {
    pub use crate::{eventually, testid, App, Profile, Result};
    pub use std::time::Duration;
    pub use thirtyfour::prelude::*;
}

/// Any error from the harness, WebDriver or I/O, so tests can use `?` on all of them.
///
/// Its `Debug` is the plain message: a test returning `Err` prints it through `Debug`, and
/// the harness's messages span several lines (build commands, the end of a log).
pub struct Error(Box<dyn std::error::Error + Send + Sync>);

impl<E: Into<Box<dyn std::error::Error + Send + Sync>>> From<E> for Error {
    fn from(e: E) -> Self {
        Error(e.into())
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)?;
        let mut source = self.0.source();
        while let Some(cause) = source {
            write!(f, "\n  caused by: {cause}")?;
            source = cause.source();
        }
        Ok(())
    }
}

impl std::fmt::Debug for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self, f)
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Screen of the private display: room for the 1200×800 window, which sits at the top left
/// since there is no window manager to place it.
const SCREEN: &str = "1280x800x24";
/// How long Xvfb, tauri-driver and the first page load may take to come up.
const START_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a process gets to exit after SIGTERM before it is killed.
const STOP_TIMEOUT: Duration = Duration::from_secs(10);
/// Upper bound for one WebDriver request; creating the session launches the app.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);
/// The Vite dev server address from tauri.conf.json; a binary built without the
/// `custom-protocol` feature loads this instead of the bundled UI.
const DEV_URL: &str = "http://localhost:1420";
/// Where a binary built with `custom-protocol` serves its bundled UI from (on Linux).
const BUNDLED_ORIGIN: &str = "tauri://localhost";

/// The repository root (this crate lives in `tests/e2e`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("tests/e2e sits two levels below the workspace root")
        .to_path_buf()
}

/// Where [`App::screenshot`] writes its PNGs (git-ignored).
pub fn screenshot_dir() -> PathBuf {
    workspace_root().join("tests/e2e/screenshots")
}

/// The app binary under test: `KITH_APP_BIN` (relative paths are taken from the workspace
/// root), else `kith-app` in the same profile directory as the running test executable
/// (`target/debug/` for a plain `cargo test`).
///
/// Fails, rather than skipping, when the binary is missing: a window test that silently
/// does nothing would hide a broken build.
pub fn app_binary() -> Result<PathBuf> {
    let (path, built_here) = match std::env::var_os("KITH_APP_BIN") {
        Some(p) if !p.is_empty() => (workspace_root().join(p), false),
        _ => (
            profile_dir_of_this_test()
                .unwrap_or_else(|| workspace_root().join("target/debug"))
                .join("kith-app"),
            true,
        ),
    };
    if !path.is_file() {
        return Err(format!(
            "the app binary is not at {}.\n\
             Build it first, with the UI bundled in:\n\
             \x20   npm --prefix ui run build\n\
             \x20   cargo build -p kith-app --features custom-protocol\n\
             or point KITH_APP_BIN at a binary built that way.",
            path.display()
        )
        .into());
    }
    if built_here {
        warn_if_older_than_ui(&path);
    }
    Ok(path)
}

/// `target/<profile>/` when running from `target/<profile>/deps/<test>-<hash>`.
fn profile_dir_of_this_test() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let deps = exe.parent()?;
    if deps.file_name()? != "deps" {
        return None;
    }
    deps.parent().map(Path::to_path_buf)
}

fn warn_if_older_than_ui(binary: &Path) {
    let modified = |p: &Path| fs::metadata(p).and_then(|m| m.modified()).ok();
    let index = workspace_root().join("ui/dist/index.html");
    if let (Some(bin), Some(ui)) = (modified(binary), modified(&index)) {
        if ui > bin {
            eprintln!(
                "warning: {} is newer than {}; the window tests run the UI bundled at build \
                 time. Rebuild with: cargo build -p kith-app --features custom-protocol",
                index.display(),
                binary.display()
            );
        }
    }
}

/// `TAURI_DRIVER`, else `tauri-driver` on `PATH` or in `~/.cargo/bin`.
fn tauri_driver_binary() -> Result<PathBuf> {
    if let Some(p) = std::env::var_os("TAURI_DRIVER").filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    let mut dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(PathBuf::from(home).join(".cargo/bin"));
    }
    dirs.into_iter()
        .map(|d| d.join("tauri-driver"))
        .find(|p| p.is_file())
        .ok_or_else(|| {
            "tauri-driver is not on PATH nor in ~/.cargo/bin; install it with \
             `bash scripts/deps.sh` (or `cargo install tauri-driver --version ^2 --locked`)"
                .into()
        })
}

/// The CSS selector for an element's `data-testid`.
pub fn testid(id: &str) -> By {
    By::Css(format!("[data-testid=\"{id}\"]"))
}

/// Poll `check` until it returns `Ok(true)`, for conditions WebDriver's element waits do not
/// cover (counts, several elements at once). Fails naming `what` after `timeout`, with the
/// last error if the check itself kept failing.
pub async fn eventually<F, Fut>(what: &str, timeout: Duration, mut check: F) -> Result<()>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<bool>>,
{
    let deadline = Instant::now() + timeout;
    loop {
        let last = check().await;
        if matches!(last, Ok(true)) {
            return Ok(());
        }
        if Instant::now() >= deadline {
            let detail = match last {
                Err(e) => format!(" (last error: {e})"),
                _ => String::new(),
            };
            return Err(format!("timed out after {timeout:?} waiting for {what}{detail}").into());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A temporary home for one app's data: its database and WebKit's storage.
///
/// A profile outlives the app it was launched with ([`App::close`] hands it back), so a test
/// can restart the app on the same data.
pub struct Profile {
    dir: TempDir,
    /// Whether the app chooses how WebKit draws (see [`Profile::drawing_as_the_app_chooses`]).
    app_draws: bool,
    /// More environment for the app and the `kith` commands on this profile.
    extra_env: Vec<(String, PathBuf)>,
}

impl Profile {
    pub fn new() -> Result<Self> {
        let dir = tempfile::Builder::new().prefix("kith-e2e-").tempdir()?;
        for sub in ["data", "config", "cache", "runtime"] {
            fs::create_dir(dir.path().join(sub))?;
        }
        // GLib and WebKit insist that XDG_RUNTIME_DIR is private to its owner.
        fs::set_permissions(
            dir.path().join("runtime"),
            fs::Permissions::from_mode(0o700),
        )?;
        Ok(Self {
            dir,
            app_draws: false,
            extra_env: Vec::new(),
        })
    }

    /// Sets `name` to `value` in the environment of the app (and of `kith` on this profile).
    pub fn with_env(mut self, name: &str, value: impl Into<PathBuf>) -> Self {
        self.extra_env.push((name.to_string(), value.into()));
        self
    }

    /// Lets the app choose how WebKit draws, as it does on a user's machine: without a GPU it
    /// turns WebKit's compositing off. Otherwise the window tests keep compositing on, because
    /// WebKitGTK's WebDriver screenshots of a window drawn without it can hang until the
    /// connection is dropped; the app bench, which takes none, measures the app's own choice.
    pub fn drawing_as_the_app_chooses(mut self) -> Self {
        self.app_draws = true;
        self
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The SQLite file the app is told to use through `KITH_DB`.
    pub fn db_path(&self) -> PathBuf {
        self.dir().join("kith.sqlite3")
    }

    fn log_path(&self, name: &str) -> PathBuf {
        self.dir().join(format!("{name}.log"))
    }

    fn env(&self) -> Vec<(String, PathBuf)> {
        let mut env: Vec<(String, PathBuf)> = [
            ("KITH_DB", self.db_path()),
            ("XDG_DATA_HOME", self.dir().join("data")),
            ("XDG_CONFIG_HOME", self.dir().join("config")),
            ("XDG_CACHE_HOME", self.dir().join("cache")),
            ("XDG_RUNTIME_DIR", self.dir().join("runtime")),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        if !self.app_draws {
            // "0" keeps compositing on; the app leaves a value that is set alone.
            env.push(("WEBKIT_DISABLE_COMPOSITING_MODE".into(), PathBuf::from("0")));
        }
        env.extend(self.extra_env.iter().cloned());
        env
    }
}

/// The app's window, over a live WebDriver session. Derefs to [`WebDriver`].
pub struct App {
    // Field order is drop order: the session ends before its processes are stopped, and
    // those stop before the profile (holding the open database) is deleted.
    driver: Option<WebDriver>,
    processes: Processes,
    profile: Option<Profile>,
    display: String,
}

impl App {
    /// Launch the app on a fresh, empty profile.
    pub async fn launch() -> Result<Self> {
        Self::launch_in(Profile::new()?).await
    }

    /// Launch the app on `profile`, e.g. one handed back by [`App::close`].
    pub async fn launch_in(profile: Profile) -> Result<Self> {
        Self::launch_program(profile, &app_binary()?, &[]).await
    }

    /// Launch `application` with `args` on `profile`: another build of the app, or a program
    /// that starts it (the app-level bench starts it through a launcher that notes the time).
    /// The window must serve a bundled page from `tauri://localhost`, like the app's.
    pub async fn launch_program(
        profile: Profile,
        application: &Path,
        args: &[String],
    ) -> Result<Self> {
        let tauri_driver = tauri_driver_binary()?;
        let mut processes = Processes::default();

        let display = match std::env::var("KITH_E2E_DISPLAY") {
            Ok(d) if !d.is_empty() => d,
            _ => {
                let (xvfb, display) = start_xvfb(&profile.log_path("xvfb"))?;
                processes.xvfb = Some(xvfb);
                display
            }
        };

        let (port, native_port) = free_port_pair()?;
        let log_path = profile.log_path("tauri-driver");
        let log = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log_path)?;
        let mut command = Command::new(&tauri_driver);
        command
            .arg("--port")
            .arg(port.to_string())
            .arg("--native-port")
            .arg(native_port.to_string())
            .env("DISPLAY", &display)
            .env_remove("WAYLAND_DISPLAY")
            .env("GDK_BACKEND", "x11")
            // No accessibility bus in a test display; skip GTK's attempt to reach one.
            .env("NO_AT_BRIDGE", "1")
            .envs(profile.env())
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log)
            // Its own process group, so whatever it leaves behind can be found and stopped.
            .process_group(0);
        let child = command
            .spawn()
            .map_err(|e| format!("could not start {}: {e}", tauri_driver.display()))?;
        let driver_child = processes.driver.insert(child);
        // tauri-driver listens at once but starts WebKitWebDriver beside it and does not
        // wait for it; a session request before that one listens fails to connect.
        wait_for_port(port, driver_child, &log_path)?;
        wait_for_port(native_port, driver_child, &log_path)?;

        let mut caps = Capabilities::new();
        caps.set("browserName", "wry")?;
        caps.set(
            "tauri:options",
            json!({ "application": application, "args": args }),
        )?;
        let driver = WebDriver::builder(format!("http://127.0.0.1:{port}"), caps)
            .request_timeout(REQUEST_TIMEOUT)
            .await
            .map_err(|e| {
                format!(
                    "could not open a session on {} through tauri-driver: {e}\n{}",
                    application.display(),
                    log_tail(&log_path)
                )
            })?;

        let app = App {
            driver: Some(driver),
            processes,
            profile: Some(profile),
            display,
        };
        app.wait_until_loaded().await?;
        Ok(app)
    }

    /// The WebDriver session (also reachable through `Deref`).
    pub fn driver(&self) -> &WebDriver {
        self.driver
            .as_ref()
            .expect("the session lives until close() consumes the App")
    }

    pub fn profile(&self) -> &Profile {
        self.profile
            .as_ref()
            .expect("the profile lives until close() consumes the App")
    }

    /// The X display the window is on, e.g. `:3`.
    pub fn display(&self) -> &str {
        &self.display
    }

    /// The first element with this `data-testid`, waiting for it to appear.
    pub async fn testid(&self, id: &str) -> WebDriverResult<WebElement> {
        self.driver()
            .query(testid(id))
            .desc(&format!("data-testid={id}"))
            .first()
            .await
    }

    /// Replaces the text of the field with this `data-testid` by `text`, as a person types it.
    pub async fn fill(&self, id: &str, text: &str) -> WebDriverResult<()> {
        let field = self.testid(id).await?;
        field.clear().await?;
        field.send_keys(text).await
    }

    /// Wait until the bundled UI has loaded, and fail clearly on a binary that does not
    /// bundle it (it tries the dev server and shows WebKit's error page on about:blank).
    async fn wait_until_loaded(&self) -> Result<()> {
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            let ret = self
                .driver()
                .execute(
                    "return [document.readyState, String(location.href),
                             document.body ? document.body.innerText.slice(0, 200) : ''];",
                    Vec::new(),
                )
                .await?;
            let (state, href, text): (String, String, String) = ret.convert()?;
            if href.starts_with(BUNDLED_ORIGIN) && state == "complete" {
                return Ok(());
            }
            let dev_server = href.starts_with(DEV_URL) || text.contains("Could not connect");
            if dev_server || Instant::now() > deadline {
                return Err(format!(
                    "the window shows {href:?} ({state}), not the bundled UI at \
                     {BUNDLED_ORIGIN}; the page says {text:?}.\n\
                     Was the app built without the UI bundled in? Rebuild it with:\n\
                     \x20   npm --prefix ui run build\n\
                     \x20   cargo build -p kith-app --features custom-protocol"
                )
                .into());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Let the page paint: resolves after two animation frames, so a screenshot shows the
    /// state the test just produced rather than the one before it.
    pub async fn wait_frames(&self) -> WebDriverResult<()> {
        self.driver()
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 requestAnimationFrame(() => requestAnimationFrame(() => done(true)));",
                Vec::new(),
            )
            .await?;
        Ok(())
    }

    /// Save a PNG of the window as `tests/e2e/screenshots/<name>.png` and return its path.
    pub async fn screenshot(&self, name: &str) -> Result<PathBuf> {
        let safe: String = name
            .chars()
            .map(|c| match c {
                'a'..='z' | 'A'..='Z' | '0'..='9' | '-' | '_' => c,
                _ => '_',
            })
            .collect();
        if safe.is_empty() {
            return Err("a screenshot needs a name".into());
        }
        let dir = screenshot_dir();
        fs::create_dir_all(&dir)?;
        let path = dir.join(format!("{safe}.png"));
        self.wait_frames().await?;
        self.driver().screenshot(&path).await?;
        Ok(path)
    }

    /// A screenshot of the whole X display taken without WebDriver (which may be what
    /// failed), named after the running test; `None` if ImageMagick's `import` fails.
    fn capture_display(&self) -> Option<PathBuf> {
        let test = std::thread::current()
            .name()
            .unwrap_or("window-test")
            .replace("::", "-");
        let dir = screenshot_dir();
        fs::create_dir_all(&dir).ok()?;
        let path = dir.join(format!("{test}-failure.png"));
        let status = Command::new("import")
            .args(["-display", &self.display, "-window", "root"])
            .arg(&path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .ok()?;
        status.success().then_some(path)
    }

    /// End the session and stop every process, reporting anything that went wrong; hands
    /// back the profile so the app can be launched again on the same data.
    pub async fn close(mut self) -> Result<Profile> {
        let quit = match self.driver.take() {
            Some(driver) => driver.quit().await,
            None => Ok(()),
        };
        let stopped = self.processes.stop();
        quit.map_err(|e| format!("ending the WebDriver session failed: {e}"))?;
        stopped?;
        Ok(self
            .profile
            .take()
            .expect("the profile lives until close() consumes the App"))
    }
}

impl Deref for App {
    type Target = WebDriver;

    fn deref(&self) -> &WebDriver {
        self.driver()
    }
}

impl Drop for App {
    fn drop(&mut self) {
        let Some(driver) = self.driver.take() else {
            return;
        };
        // A test that passes ends with close(); getting here means it failed (a panic or
        // an early `?`), so leave what is needed to find out why.
        if let Some(shot) = self.capture_display() {
            eprintln!("the screen at the failure: {}", shot.display());
        }
        if let Some(profile) = self.profile.take() {
            eprintln!("{}", log_tail(&profile.log_path("tauri-driver")));
            let kept = profile.dir.keep();
            eprintln!(
                "kept the app's profile (database, logs) in {}",
                kept.display()
            );
        }
        // thirtyfour ends the session synchronously when the last handle is dropped.
        drop(driver);
        if let Err(e) = self.processes.stop() {
            eprintln!("cleanup after the window test: {e}");
        }
    }
}

/// The harness's own child processes; stopped on drop so a failing test leaves nothing
/// running.
#[derive(Default)]
struct Processes {
    driver: Option<Child>,
    xvfb: Option<Child>,
}

impl Processes {
    fn stop(&mut self) -> Result<()> {
        let mut problems = Vec::new();
        if let Some(child) = self.driver.take() {
            if let Err(e) = stop_process_group(child) {
                problems.push(format!("tauri-driver: {e}"));
            }
        }
        if let Some(child) = self.xvfb.take() {
            if let Err(e) = stop_process_group(child) {
                problems.push(format!("Xvfb: {e}"));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems.join("; ").into())
        }
    }
}

impl Drop for Processes {
    fn drop(&mut self) {
        if let Err(e) = self.stop() {
            eprintln!("cleanup after the window test: {e}");
        }
    }
}

fn pid_of(child: &Child) -> Result<Pid> {
    Ok(Pid::from_raw(i32::try_from(child.id())?))
}

/// SIGTERM the child (the leader of its own process group), wait for it, then SIGTERM and
/// wait for whatever is left in its group (WebKitWebDriver, the app, WebKit's helpers).
/// SIGKILL only what ignores SIGTERM for [`STOP_TIMEOUT`], and report that.
fn stop_process_group(mut child: Child) -> Result<()> {
    let pid = pid_of(&child)?;
    let mut problems = Vec::new();

    match kill(pid, Signal::SIGTERM) {
        Ok(()) | Err(Errno::ESRCH) => {}
        Err(e) => problems.push(format!("SIGTERM failed: {e}")),
    }
    if !wait_child(&mut child, STOP_TIMEOUT)? {
        problems.push(format!(
            "pid {pid} ignored SIGTERM for {STOP_TIMEOUT:?}; killed"
        ));
        child.kill()?;
        child.wait()?;
    }

    // The group id is the leader's pid (see `process_group(0)`).
    if group_alive(pid) {
        match killpg(pid, Signal::SIGTERM) {
            Ok(()) | Err(Errno::ESRCH) => {}
            Err(e) => problems.push(format!("SIGTERM to group failed: {e}")),
        }
        let deadline = Instant::now() + STOP_TIMEOUT;
        while group_alive(pid) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        if group_alive(pid) {
            problems.push(format!("process group {pid} ignored SIGTERM; killed"));
            let _ = killpg(pid, Signal::SIGKILL);
        }
    }

    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; ").into())
    }
}

/// Waits up to `timeout` for the child to exit; `false` if it is still running.
fn wait_child(child: &mut Child, timeout: Duration) -> Result<bool> {
    let deadline = Instant::now() + timeout;
    loop {
        if child.try_wait()?.is_some() {
            return Ok(true);
        }
        if Instant::now() >= deadline {
            return Ok(false);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Whether any live (non-zombie) process is in process group `pgid`. Reads /proc instead
/// of `kill(-pgid, 0)`, which also counts zombies that nobody has reaped yet.
fn group_alive(pgid: Pid) -> bool {
    let Ok(entries) = fs::read_dir("/proc") else {
        return false;
    };
    entries.flatten().any(|entry| {
        let Ok(stat) = fs::read_to_string(entry.path().join("stat")) else {
            return false;
        };
        // "pid (comm) state ppid pgrp ..."; comm may hold spaces and parentheses.
        let Some((_, rest)) = stat.rsplit_once(')') else {
            return false;
        };
        let mut fields = rest.split_whitespace();
        let state = fields.next();
        let pgrp = fields.nth(1).and_then(|f| f.parse::<i32>().ok());
        pgrp == Some(pgid.as_raw()) && state != Some("Z") && state != Some("X")
    })
}

/// Start Xvfb on a display number it chooses itself: `-displayfd` makes it pick a free
/// one and print it once it accepts connections, which avoids both guessing and racing
/// other displays on a shared machine.
fn start_xvfb(log_path: &Path) -> Result<(Child, String)> {
    let log = OpenOptions::new()
        .create(true)
        .append(true)
        .open(log_path)?;
    let mut child = Command::new("Xvfb")
        .args([
            "-displayfd",
            "1",
            "-nolisten",
            "tcp",
            "-screen",
            "0",
            SCREEN,
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(log)
        .process_group(0)
        .spawn()
        .map_err(|e| {
            format!("could not start Xvfb ({e}); install it with `bash scripts/deps.sh`")
        })?;
    let Some(stdout) = child.stdout.take() else {
        return Err("Xvfb's stdout was not captured".into());
    };
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let read = BufReader::new(stdout).read_line(&mut line).map(|_| line);
        let _ = tx.send(read);
    });
    let number = rx
        .recv_timeout(START_TIMEOUT)
        .ok()
        .and_then(|read| read.ok())
        .and_then(|line| line.trim().parse::<u32>().ok());
    match number {
        Some(n) => Ok((child, format!(":{n}"))),
        None => {
            let _ = stop_process_group(child);
            Err(format!(
                "Xvfb did not report a display within {START_TIMEOUT:?}\n{}",
                log_tail(log_path)
            )
            .into())
        }
    }
}

/// Two distinct free TCP ports on the loopback interface, for tauri-driver and the
/// WebKitWebDriver it starts.
fn free_port_pair() -> Result<(u16, u16)> {
    let a = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    let b = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    Ok((a.local_addr()?.port(), b.local_addr()?.port()))
}

/// Wait until `port` accepts connections, failing early (with tauri-driver's log) if
/// tauri-driver exits.
fn wait_for_port(port: u16, child: &mut Child, log_path: &Path) -> Result<()> {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let deadline = Instant::now() + START_TIMEOUT;
    loop {
        if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
            return Ok(());
        }
        if let Some(status) = child.try_wait()? {
            return Err(format!(
                "tauri-driver exited ({status}) before {addr} was listening\n{}",
                log_tail(log_path)
            )
            .into());
        }
        if Instant::now() >= deadline {
            return Err(format!(
                "nothing listened on {addr} within {START_TIMEOUT:?} of starting tauri-driver\n{}",
                log_tail(log_path)
            )
            .into());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The last few kilobytes of a log file, headed with its path, for error messages.
fn log_tail(path: &Path) -> String {
    const TAIL: u64 = 4096;
    let read = || -> std::io::Result<String> {
        let mut file = File::open(path)?;
        let len = file.metadata()?.len();
        file.seek(SeekFrom::Start(len.saturating_sub(TAIL)))?;
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    };
    match read() {
        Ok(text) if text.trim().is_empty() => format!("({} is empty)", path.display()),
        Ok(text) => format!("--- end of {} ---\n{text}", path.display()),
        Err(e) => format!("(could not read {}: {e})", path.display()),
    }
}

/// The `kith` command that works on the same store as the app: `KITH_CLI_BIN` (relative
/// paths are taken from the workspace root), else `kith` beside the app binary. Fails when it
/// is missing rather than skipping, like [`app_binary`].
pub fn kith_binary() -> Result<PathBuf> {
    let path = match std::env::var_os("KITH_CLI_BIN") {
        Some(p) if !p.is_empty() => workspace_root().join(p),
        _ => profile_dir_of_this_test()
            .unwrap_or_else(|| workspace_root().join("target/debug"))
            .join("kith"),
    };
    if !path.is_file() {
        return Err(format!(
            "the kith command is not at {}; build it with `cargo build -p kith-cli` \
             or point KITH_CLI_BIN at it.",
            path.display()
        )
        .into());
    }
    Ok(path)
}

impl Profile {
    /// A `kith` command line on this profile's database (`KITH_DB`), not yet started.
    pub fn kith_command(&self) -> Result<Command> {
        let mut command = Command::new(kith_binary()?);
        command.envs(self.env()).stdin(Stdio::null());
        Ok(command)
    }

    /// Runs `kith ARGS…` on this profile's database and returns its output, whatever its exit
    /// status; see [`Profile::kith_ok`] for a run that must succeed.
    pub fn kith(&self, args: &[&str]) -> Result<std::process::Output> {
        Ok(self.kith_command()?.args(args).output()?)
    }

    /// Runs `kith ARGS…` on this profile's database, failing with its stderr unless it
    /// succeeds; returns its stdout.
    pub fn kith_ok(&self, args: &[&str]) -> Result<String> {
        let out = self.kith(args)?;
        if !out.status.success() {
            return Err(format!(
                "kith {} failed ({}): {}",
                args.join(" "),
                out.status,
                String::from_utf8_lossy(&out.stderr)
            )
            .into());
        }
        Ok(String::from_utf8(out.stdout)?)
    }
}

impl App {
    /// Calls a backend command from the page, the way the UI does, through Tauri's IPC
    /// (`window.__TAURI_INTERNALS__.invoke`). `Ok` holds the command's answer, `Err` what it
    /// was refused with (a Kith `{code, message}` or Tauri's own message) as JSON.
    pub async fn invoke(
        &self,
        command: &str,
        args: serde_json::Value,
    ) -> Result<std::result::Result<serde_json::Value, serde_json::Value>> {
        let ret = self
            .driver()
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 window.__TAURI_INTERNALS__.invoke(arguments[0], arguments[1]).then(
                     (ok) => done({ ok: ok === undefined ? null : ok }),
                     (err) => done({ err: err === undefined ? null : err }));",
                vec![json!(command), args],
            )
            .await?;
        let value: serde_json::Value = ret.convert()?;
        match (value.get("ok"), value.get("err")) {
            (Some(ok), _) => Ok(Ok(ok.clone())),
            (None, Some(err)) => Ok(Err(err.clone())),
            _ => Err(format!("invoke({command}) answered {value}").into()),
        }
    }
}
