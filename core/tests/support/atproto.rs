//! A private AT Protocol network for tests: the reference PLC directory and PDS
//! (`@atproto/dev-env`, installed in `tests/atproto` by `scripts/deps.sh`), plus a second PDS,
//! started by `tests/atproto/network.mjs` on loopback ports the system picks, with its data
//! in a temporary folder of its own, and stopped by its own process id when dropped, also
//! when a test fails.
//!
//! Accounts: `ann` (the librarian who connects Kith; she has an app password), `bob` and
//! `cat` on the first PDS, `dan` on the second. Commands go to the script as JSON lines
//! (post, reply, mention, quote, follow, like, delete, change handle, stop a PDS) and each
//! answers one JSON line.
//!
//! Include it from another crate's tests with
//! `#[path = "../../core/tests/support/atproto.rs"] mod atproto;`.
#![allow(dead_code)]

use serde_json::{json, Value};
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::Duration;

/// The folder of the Node project that runs the network: `tests/atproto` at the workspace's
/// root, found upwards from the crate that includes this file (`core`, `cli`, `tests/e2e`).
pub fn project() -> PathBuf {
    let mut dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    loop {
        let project = dir.join("tests").join("atproto");
        if project.join("package.json").exists() || !dir.pop() {
            return project;
        }
    }
}

/// Whether tests may run: `false` (with a message) when Node or the network's packages are
/// missing and `KITH_REQUIRE_SERVERS` is not set; a panic when it is set and they are missing.
pub fn available() -> bool {
    let node = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let installed = project()
        .join("node_modules/@atproto/dev-env/package.json")
        .exists();
    if node && installed {
        return true;
    }
    let why = if node {
        "tests/atproto/node_modules is not installed (run scripts/deps.sh)"
    } else {
        "node is not installed"
    };
    if std::env::var_os("KITH_REQUIRE_SERVERS").is_some() {
        panic!("KITH_REQUIRE_SERVERS is set but the AT Protocol test network cannot run: {why}");
    }
    eprintln!("SKIPPED: the AT Protocol test network cannot run: {why}");
    false
}

/// An account of the network.
#[derive(Debug, Clone)]
pub struct Account {
    pub did: String,
    pub handle: String,
    pub password: String,
    pub app_password: Option<String>,
    pub pds: String,
}

/// A running network.
pub struct Network {
    child: Child,
    stdin: ChildStdin,
    lines: Receiver<String>,
    _dir: tempfile::TempDir,
    pub plc: String,
    pub pds: String,
    pub pds2: String,
    pub accounts: HashMap<String, Account>,
}

const READY_WITHIN: Duration = Duration::from_secs(120);
const ANSWER_WITHIN: Duration = Duration::from_secs(60);

impl Network {
    /// Starts the network and waits until it has made its accounts.
    pub fn start() -> Network {
        let dir = tempfile::Builder::new()
            .prefix("kith-atproto-")
            .tempdir()
            .unwrap();
        let mut child = Command::new("node")
            .arg("network.mjs")
            .current_dir(project())
            // The PDS keeps its databases and blobs under the system's temporary folder.
            .env("TMPDIR", dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(
                std::fs::File::create(dir.path().join("network.log")).unwrap(),
            ))
            .spawn()
            .expect("start node tests/atproto/network.mjs");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut net = Network {
            child,
            stdin,
            lines,
            _dir: dir,
            plc: String::new(),
            pds: String::new(),
            pds2: String::new(),
            accounts: HashMap::new(),
        };
        let ready = net.next_line(READY_WITHIN, "to be ready");
        let field = |k: &str| ready[k].as_str().unwrap().to_string();
        net.plc = field("plc");
        net.pds = field("pds");
        net.pds2 = field("pds2");
        for (name, a) in ready["accounts"].as_object().unwrap() {
            let s = |k: &str| a[k].as_str().unwrap_or_default().to_string();
            net.accounts.insert(
                name.clone(),
                Account {
                    did: s("did"),
                    handle: s("handle"),
                    password: s("password"),
                    app_password: a["app_password"].as_str().map(str::to_string),
                    pds: s("pds"),
                },
            );
        }
        net
    }

    fn next_line(&mut self, within: Duration, what: &str) -> Value {
        match self.lines.recv_timeout(within) {
            Ok(line) => serde_json::from_str(&line)
                .unwrap_or_else(|e| panic!("the network said {line:?}, not JSON: {e}")),
            Err(_) => panic!(
                "the AT Protocol network did not answer {what} within {within:?}; its log:\n{}",
                self.log()
            ),
        }
    }

    /// The network's own log (standard error).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self._dir.path().join("network.log")).unwrap_or_default()
    }

    /// Sends a command and answers what the network said; panics when it failed.
    pub fn cmd(&mut self, command: Value) -> Value {
        writeln!(self.stdin, "{command}").unwrap();
        self.stdin.flush().unwrap();
        let answer = self.next_line(ANSWER_WITHIN, &command.to_string());
        assert_eq!(answer["ok"], json!(true), "{command} failed: {answer}");
        answer
    }

    pub fn account(&self, name: &str) -> &Account {
        &self.accounts[name]
    }

    /// A post by `who`; its at:// address.
    pub fn post(&mut self, who: &str, text: &str) -> String {
        self.cmd(json!({"cmd": "post", "as": who, "text": text}))["uri"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// A reply by `who` to `parent`.
    pub fn reply(&mut self, who: &str, parent: &str, text: &str) -> String {
        self.cmd(json!({"cmd": "post", "as": who, "text": text, "reply_to": parent}))["uri"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// A post by `who` that mentions `whom` (their handles appended to the text).
    pub fn mention(&mut self, who: &str, whom: &[&str], text: &str) -> String {
        self.cmd(json!({"cmd": "post", "as": who, "text": text, "mention": whom}))["uri"]
            .as_str()
            .unwrap()
            .to_string()
    }

    /// A post by `who` that quotes `quoted`.
    pub fn quote(&mut self, who: &str, quoted: &str, text: &str) -> String {
        self.cmd(json!({"cmd": "post", "as": who, "text": text, "quote": quoted}))["uri"]
            .as_str()
            .unwrap()
            .to_string()
    }

    pub fn follow(&mut self, who: &str, whom: &str) -> String {
        self.cmd(json!({"cmd": "follow", "as": who, "subject": whom}))["uri"]
            .as_str()
            .unwrap()
            .to_string()
    }

    pub fn like(&mut self, who: &str, uri: &str) {
        self.cmd(json!({"cmd": "like", "as": who, "uri": uri}));
    }

    pub fn delete(&mut self, who: &str, uri: &str) {
        self.cmd(json!({"cmd": "delete", "as": who, "uri": uri}));
    }

    pub fn change_handle(&mut self, who: &str, handle: &str) {
        self.cmd(json!({"cmd": "handle", "as": who, "handle": handle}));
        self.accounts.get_mut(who).unwrap().handle = handle.to_string();
    }

    /// Revokes every app password of `who`.
    pub fn revoke_app_passwords(&mut self, who: &str) {
        self.cmd(json!({"cmd": "revoke", "as": who}));
    }

    /// The next session the PDS opens gets an access token that has already expired.
    pub fn expire_next_session(&mut self) {
        self.cmd(json!({"cmd": "expire_next_session"}));
    }

    /// Stops the second PDS (dan's); the PLC directory still names it.
    pub fn stop_pds2(&mut self) {
        self.cmd(json!({"cmd": "stop_pds2"}));
    }

    /// The user's repository as the PDS exports it (a `.car`), written to `path`.
    pub fn export_repo(&self, who: &str, path: &std::path::Path) {
        let a = self.account(who);
        let url = format!("{}/xrpc/com.atproto.sync.getRepo?did={}", a.pds, a.did);
        let bytes = ureq_get(&url);
        std::fs::write(path, bytes).unwrap();
    }
}

/// A plain GET over loopback, by hand (the tests bring no HTTP client of their own).
fn ureq_get(url: &str) -> Vec<u8> {
    let rest = url.strip_prefix("http://").unwrap();
    let (host, path) = rest.split_at(rest.find('/').unwrap());
    let host = host.replace("localhost", "127.0.0.1");
    let mut stream = std::net::TcpStream::connect(&host).unwrap();
    stream.set_read_timeout(Some(ANSWER_WITHIN)).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.0\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut all = Vec::new();
    std::io::Read::read_to_end(&mut stream, &mut all).unwrap();
    let end = all.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    let head = String::from_utf8_lossy(&all[..end]).to_string();
    assert!(
        head.starts_with("HTTP/1.1 200") || head.starts_with("HTTP/1.0 200"),
        "{url}: {head}"
    );
    all[end..].to_vec()
}

impl Drop for Network {
    fn drop(&mut self) {
        // Its own process only: the PLC and both PDSs run inside it.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
