//! A private Radicale CardDAV/CalDAV server for tests: started on a free loopback port in its
//! own temporary folder with one htpasswd user (`librarian`, password `secret`), and stopped by
//! its own process id when dropped, also when a test fails.
//!
//! Address books and calendars are made with extended MKCOL as a real client makes them, and
//! each item is a plain `.vcf` / `.ics` file under [`Radicale::collection_dir`], so a test
//! reads what the server holds with Python's `vobject` or `icalendar`, parsers nobody here
//! wrote. [`Proxy`] stands between Kith and the server to cut the connection part way through
//! a sync, or to change an item on the server just before Kith writes it.
//!
//! Include it from another crate's tests with
//! `#[path = "../../core/tests/support/radicale.rs"] mod radicale;`.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

pub const USER: &str = "librarian";
pub const PASSWORD: &str = "secret";

/// Whether tests may run: `false` (with a message) when Radicale is not installed and
/// `KITH_REQUIRE_SERVERS` is not set; a panic when it is set and Radicale is missing.
pub fn available() -> bool {
    let installed = Command::new("python3")
        .args(["-c", "import radicale"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if installed {
        return true;
    }
    if std::env::var_os("KITH_REQUIRE_SERVERS").is_some() {
        panic!("KITH_REQUIRE_SERVERS is set but Radicale is not installed (run scripts/deps.sh)");
    }
    eprintln!("SKIPPED: Radicale is not installed (pip install radicale, or run scripts/deps.sh)");
    false
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A running Radicale.
pub struct Radicale {
    dir: tempfile::TempDir,
    pub port: u16,
    child: Option<Child>,
}

impl Radicale {
    /// Starts a server and waits until it answers HTTP.
    pub fn start() -> Radicale {
        let dir = tempfile::Builder::new()
            .prefix("kith-radicale-")
            .tempdir()
            .unwrap();
        let d = dir.path();
        std::fs::write(d.join("users"), format!("{USER}:{PASSWORD}\n")).unwrap();
        let port = free_port();
        std::fs::write(
            d.join("config"),
            format!(
                "[server]\nhosts = 127.0.0.1:{port}\n\
                 [auth]\ntype = htpasswd\nhtpasswd_filename = {users}\nhtpasswd_encryption = plain\n\
                 delay = 0\n\
                 [storage]\nfilesystem_folder = {col}\n\
                 [logging]\nlevel = warning\n",
                users = d.join("users").display(),
                col = d.join("col").display(),
            ),
        )
        .unwrap();
        let log = std::fs::File::create(d.join("radicale.log")).unwrap();
        let child = Command::new("python3")
            .args(["-m", "radicale", "--config"])
            .arg(d.join("config"))
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("python3 -m radicale starts");
        let mut server = Radicale {
            dir,
            port,
            child: Some(child),
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = server.child.as_mut().and_then(|c| c.try_wait().unwrap()) {
                panic!("radicale exited ({status}): {}", server.log());
            }
            if answers(port) {
                return server;
            }
            assert!(
                Instant::now() < deadline,
                "radicale did not start: {}",
                server.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// `http://127.0.0.1:PORT`, no trailing slash.
    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("radicale.log")).unwrap_or_default()
    }

    /// Where Radicale keeps the items of the user's collection `name`, one file each.
    pub fn collection_dir(&self, name: &str) -> PathBuf {
        self.dir
            .path()
            .join("col")
            .join("collection-root")
            .join(USER)
            .join(name)
    }

    /// The item files of a collection (`.vcf` or `.ics`), sorted.
    pub fn item_files(&self, name: &str) -> Vec<PathBuf> {
        let mut out: Vec<PathBuf> = std::fs::read_dir(self.collection_dir(name))
            .map(|entries| {
                entries
                    .map(|e| e.unwrap().path())
                    .filter(|p| {
                        p.is_file()
                            && !p
                                .file_name()
                                .unwrap()
                                .to_string_lossy()
                                .starts_with(".Radicale")
                    })
                    .collect()
            })
            .unwrap_or_default();
        out.sort();
        out
    }

    /// Makes the address book `/librarian/NAME/` with extended MKCOL; answers its path.
    pub fn create_address_book(&self, name: &str) -> String {
        self.mkcol(
            name,
            "<D:resourcetype><D:collection/><C:addressbook/></D:resourcetype>",
            "urn:ietf:params:xml:ns:carddav",
        )
    }

    /// Makes the calendar `/librarian/NAME/` (events and to-dos) with extended MKCOL.
    pub fn create_calendar(&self, name: &str) -> String {
        self.mkcol(
            name,
            "<D:resourcetype><D:collection/><C:calendar/></D:resourcetype>\
             <C:supported-calendar-component-set><C:comp name=\"VEVENT\"/><C:comp name=\"VTODO\"/>\
             </C:supported-calendar-component-set>",
            "urn:ietf:params:xml:ns:caldav",
        )
    }

    fn mkcol(&self, name: &str, resourcetype: &str, ns: &str) -> String {
        let path = format!("/{USER}/{name}/");
        let body = format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\
             <D:mkcol xmlns:D=\"DAV:\" xmlns:C=\"{ns}\"><D:set><D:prop>{resourcetype}\
             <D:displayname>{name}</D:displayname></D:prop></D:set></D:mkcol>"
        );
        let (status, _, text) = self.request("MKCOL", &path, &[], body.as_bytes());
        assert_eq!(status, 201, "MKCOL {path}: {text}");
        path
    }

    /// One request as the user, straight to the server (not through any proxy): the status,
    /// the headers (names in lower case) and the body.
    pub fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> (u16, Vec<(String, String)>, String) {
        http(self.port, method, path, USER, PASSWORD, headers, body)
    }

    /// Writes an item as another client would (a phone, another computer): a PUT, no
    /// precondition. Answers the new ETag.
    pub fn put(&self, path: &str, content_type: &str, body: &str) -> String {
        let (status, headers, text) = self.request(
            "PUT",
            path,
            &[("Content-Type", content_type)],
            body.as_bytes(),
        );
        assert!(
            status == 201 || status == 204,
            "PUT {path}: {status} {text}"
        );
        header(&headers, "etag").unwrap_or_default()
    }

    /// Reads an item as another client would.
    pub fn get(&self, path: &str) -> String {
        let (status, _, text) = self.request("GET", path, &[], b"");
        assert_eq!(status, 200, "GET {path}: {text}");
        text
    }

    /// Deletes an item as another client would.
    pub fn delete(&self, path: &str) {
        let (status, _, text) = self.request("DELETE", path, &[], b"");
        assert!(
            status == 200 || status == 204,
            "DELETE {path}: {status} {text}"
        );
    }

    /// Runs Python with `script`; arguments reach it as `sys.argv[1:]`. Panics with Python's
    /// error output when it fails.
    pub fn python(script: &str, args: &[&str]) -> String {
        let out = Command::new("python3")
            .arg("-c")
            .arg(script)
            .args(args)
            .output()
            .expect("python3 runs");
        assert!(
            out.status.success(),
            "python failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Stops the server now (it is also stopped when dropped).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for Radicale {
    fn drop(&mut self) {
        self.stop();
    }
}

fn answers(port: u16) -> bool {
    let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
    if s.write_all(b"GET /.well-known/carddav HTTP/1.0\r\nHost: localhost\r\n\r\n")
        .is_err()
    {
        return false;
    }
    let mut buf = [0u8; 12];
    s.read_exact(&mut buf).is_ok() && buf.starts_with(b"HTTP/")
}

/// The value of a header (name in lower case).
pub fn header(headers: &[(String, String)], name: &str) -> Option<String> {
    headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.clone())
}

/// One HTTP/1.0 request on its own connection, as `user` with basic authentication.
pub fn http(
    port: u16,
    method: &str,
    path: &str,
    user: &str,
    password: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> (u16, Vec<(String, String)>, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let auth = base64(format!("{user}:{password}").as_bytes());
    let mut head = format!(
        "{method} {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Basic {auth}\r\n\
         Content-Length: {}\r\n",
        body.len()
    );
    for (n, v) in headers {
        head.push_str(&format!("{n}: {v}\r\n"));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).unwrap();
    s.write_all(body).unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status: u16 = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    (status, headers, body.to_string())
}

fn base64(bytes: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(T[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// What a [`Proxy`] does with a request, told its request line (`PUT /librarian/x.vcf HTTP/1.1`)
/// and how many requests came before it.
pub enum Verdict {
    /// Pass it to the server.
    Forward,
    /// Close the connection without an answer, as a server that went away.
    Cut,
}

/// A loopback TCP proxy in front of a server, one request per connection, that asks a
/// handler about each request before passing it on: to cut the connection from some point
/// on, or to change something on the server first. Stopped when dropped.
pub struct Proxy {
    pub port: u16,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
    pub seen: Arc<AtomicUsize>,
}

impl Proxy {
    pub fn start(
        target: u16,
        handler: impl Fn(&str, usize) -> Verdict + Send + Sync + 'static,
    ) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        listener.set_nonblocking(true).unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let seen = Arc::new(AtomicUsize::new(0));
        let handler = Arc::new(handler);
        let (stop2, seen2) = (stop.clone(), seen.clone());
        let thread = std::thread::spawn(move || {
            while !stop2.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((client, _)) => {
                        client.set_nonblocking(false).unwrap();
                        let handler = handler.clone();
                        let seen = seen2.clone();
                        std::thread::spawn(move || serve(client, target, &*handler, &seen));
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        Proxy {
            port,
            stop,
            thread: Some(thread),
            seen,
        }
    }

    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Reads one request from `client` (head and body), asks the handler, and relays it and the
/// answer. The answer tells the client the connection closes after it.
fn serve(
    mut client: TcpStream,
    target: u16,
    handler: &(dyn Fn(&str, usize) -> Verdict + Send + Sync),
    seen: &AtomicUsize,
) {
    client
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut raw = Vec::new();
    let mut buf = [0u8; 8192];
    let head_end = loop {
        if let Some(i) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        match client.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => raw.extend_from_slice(&buf[..n]),
        }
    };
    let head = String::from_utf8_lossy(&raw[..head_end]).into_owned();
    let length: usize = head
        .lines()
        .filter_map(|l| l.split_once(':'))
        .find(|(n, _)| n.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.trim().parse().ok())
        .unwrap_or(0);
    while raw.len() < head_end + length {
        match client.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => raw.extend_from_slice(&buf[..n]),
        }
    }
    let line = head.lines().next().unwrap_or("").to_string();
    let n = seen.fetch_add(1, Ordering::SeqCst);
    if let Verdict::Cut = handler(&line, n) {
        let _ = client.shutdown(Shutdown::Both);
        return;
    }
    // One request per connection: the server is told to close after answering.
    let mut fixed = String::new();
    for l in head.split("\r\n").filter(|l| !l.is_empty()) {
        let lower = l.to_ascii_lowercase();
        if lower.starts_with("connection:") || lower.starts_with("keep-alive:") {
            continue;
        }
        fixed.push_str(l);
        fixed.push_str("\r\n");
    }
    fixed.push_str("Connection: close\r\n\r\n");
    let Ok(mut server) = TcpStream::connect(("127.0.0.1", target)) else {
        return;
    };
    if server.write_all(fixed.as_bytes()).is_err()
        || server.write_all(&raw[head_end..head_end + length]).is_err()
    {
        return;
    }
    let mut answer = Vec::new();
    let _ = server.read_to_end(&mut answer);
    let _ = client.write_all(&answer);
    let _ = client.shutdown(Shutdown::Both);
}
