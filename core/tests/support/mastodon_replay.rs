//! A Mastodon server that is not one: a loopback HTTP/1.1 server that answers with the
//! exchanges recorded from a real server (the VCR cassettes of Mastodon.py's test suite, in
//! `core/tests/fixtures/mastodon/`), matched by method, path and query.
//!
//! - The query is compared as a set of parameters, without `limit` (each client asks for its
//!   own page size): `types%5B%5D=mention` and `types[]=mention` are the same.
//! - A list page the recording does not have (a `max_id` past its last page, a `since_id`
//!   newer than all it holds) is answered `[]`, as Mastodon answers past the end of a list.
//! - The recorded server's address (`http://localhost:3000`) is rewritten to this one's in the
//!   `Link` headers only, so the client follows pages here while statuses keep their recorded
//!   addresses.
//! - A test can put its own answer in front of the recording (`on`), to script errors.
//!
//! Requests are logged with their bodies; the server stops when dropped, also on a panic.
//! A CLI test includes it with `#[path = "../../core/tests/support/mastodon_replay.rs"]`.
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The address the recordings were made against.
pub const RECORDED_ORIGIN: &str = "http://localhost:3000";

#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    /// `None`: never answer, keep the connection open and silent.
    pub body: Option<String>,
}

impl Answer {
    pub fn json(status: u16, body: &str) -> Answer {
        Answer {
            status,
            headers: vec![(
                "Content-Type".into(),
                "application/json; charset=utf-8".into(),
            )],
            body: Some(body.to_string()),
        }
    }
    pub fn header(mut self, name: &str, value: &str) -> Answer {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }
    pub fn hang() -> Answer {
        Answer {
            status: 200,
            headers: Vec::new(),
            body: None,
        }
    }
}

/// One recorded exchange.
#[derive(Debug, Clone)]
pub struct Exchange {
    pub method: String,
    pub path: String,
    pub query: BTreeSet<(String, String)>,
    pub answer: Answer,
}

/// The exchanges of one cassette file of `core/tests/fixtures/mastodon/`.
pub fn cassette(name: &str) -> Vec<Exchange> {
    // From any crate of the workspace: the first folder up that holds the fixtures.
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|d| d.join("core/tests/fixtures/mastodon"))
        .find(|d| d.is_dir())
        .expect("core/tests/fixtures/mastodon above this crate");
    let path = fixtures.join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let doc: serde_yaml_ng::Value = serde_yaml_ng::from_str(&text).expect("a cassette");
    let mut out = Vec::new();
    for i in doc["interactions"].as_sequence().expect("interactions") {
        let req = &i["request"];
        let res = &i["response"];
        let uri = req["uri"].as_str().unwrap();
        let rest = uri.strip_prefix(RECORDED_ORIGIN).unwrap_or(uri);
        let (path, query) = split(rest);
        let mut headers = Vec::new();
        if let Some(map) = res["headers"].as_mapping() {
            for (k, v) in map {
                let k = k.as_str().unwrap().to_string();
                if matches!(
                    k.to_ascii_lowercase().as_str(),
                    "content-length" | "transfer-encoding" | "connection" | "content-encoding"
                ) {
                    continue;
                }
                for v in v.as_sequence().into_iter().flatten() {
                    headers.push((k.clone(), v.as_str().unwrap_or("").to_string()));
                }
            }
        }
        out.push(Exchange {
            method: req["method"].as_str().unwrap().to_string(),
            path,
            query,
            answer: Answer {
                status: res["status"]["code"].as_u64().unwrap() as u16,
                headers,
                body: Some(res["body"]["string"].as_str().unwrap_or("").to_string()),
            },
        });
    }
    out
}

/// `/a/b/?x=1&limit=5` → (`/a/b`, {(x, 1)}): trailing slash and `limit` dropped, the query
/// percent-decoded.
pub fn split(path_and_query: &str) -> (String, BTreeSet<(String, String)>) {
    let (path, query) = path_and_query
        .split_once('?')
        .unwrap_or((path_and_query, ""));
    let path = path.trim_end_matches('/').to_string();
    let query = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .filter(|(k, _)| k != "limit")
        .collect();
    (path, query)
}

fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(if b[i] == b'+' { b' ' } else { b[i] });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

type Script = dyn Fn(&Request) -> Option<Answer> + Send + Sync;

pub struct Replay {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    log: Arc<Mutex<Vec<Request>>>,
    accept: Option<JoinHandle<()>>,
}

impl Replay {
    /// Serves `exchanges`; `script` may answer a request first (return `None` to let the
    /// recording answer).
    pub fn start(
        exchanges: Vec<Exchange>,
        script: impl Fn(&Request) -> Option<Answer> + Send + Sync + 'static,
    ) -> Replay {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        let addr = listener.local_addr().unwrap();
        let origin = format!("http://{addr}");
        let stop = Arc::new(AtomicBool::new(false));
        let log = Arc::new(Mutex::new(Vec::new()));
        let script: Arc<Script> = Arc::new(script);
        let exchanges = Arc::new(exchanges);
        let accept = {
            let (stop, log) = (stop.clone(), log.clone());
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let (stop, log, script, exchanges, origin) = (
                        stop.clone(),
                        log.clone(),
                        script.clone(),
                        exchanges.clone(),
                        origin.clone(),
                    );
                    std::thread::spawn(move || {
                        serve(stream, &stop, &log, &*script, &exchanges, &origin)
                    });
                }
            })
        };
        Replay {
            addr,
            stop,
            log,
            accept: Some(accept),
        }
    }

    pub fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn requests(&self) -> Vec<Request> {
        self.log.lock().unwrap().clone()
    }
}

impl Drop for Replay {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(t) = self.accept.take() {
            let _ = t.join();
        }
    }
}

fn recorded(exchanges: &[Exchange], req: &Request, origin: &str) -> Answer {
    let (path, query) = split(&req.path);
    let found = exchanges
        .iter()
        .find(|e| e.method == req.method && e.path == path && e.query == query);
    match found {
        Some(e) => {
            let mut a = e.answer.clone();
            for (n, v) in &mut a.headers {
                if n.eq_ignore_ascii_case("link") {
                    *v = v.replace(RECORDED_ORIGIN, origin);
                }
            }
            a
        }
        None if req.method == "GET"
            && query
                .iter()
                .any(|(k, _)| matches!(k.as_str(), "max_id" | "since_id" | "min_id")) =>
        {
            Answer::json(200, "[]")
        }
        None => Answer::json(404, r#"{"error":"Record not found"}"#),
    }
}

fn serve(
    stream: TcpStream,
    stop: &AtomicBool,
    log: &Mutex<Vec<Request>>,
    script: &Script,
    exchanges: &[Exchange],
    origin: &str,
) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let Ok(clone) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(clone);
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or("").to_string();
    let path = parts.next().unwrap_or("/").to_string();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap_or(0) == 0 {
            break;
        }
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((n, v)) = h.split_once(':') {
            headers.push((n.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0u8; length.min(1_000_000)];
    let _ = reader.read_exact(&mut body);
    let request = Request {
        method,
        path,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    };
    log.lock().unwrap().push(request.clone());
    let answer = script(&request).unwrap_or_else(|| recorded(exchanges, &request, origin));
    let mut out = stream;
    match answer.body {
        None => {
            let until = Instant::now() + Duration::from_secs(60);
            let mut probe = [0u8; 1];
            let _ = out.set_read_timeout(Some(Duration::from_millis(50)));
            while Instant::now() < until && !stop.load(Ordering::SeqCst) {
                if let Ok(0) = out.read(&mut probe) {
                    break;
                }
            }
        }
        Some(body) => {
            let mut head = format!("HTTP/1.1 {} Status\r\n", answer.status);
            for (n, v) in &answer.headers {
                head.push_str(&format!("{n}: {v}\r\n"));
            }
            head.push_str(&format!(
                "Content-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            ));
            let _ = out.write_all(head.as_bytes());
            let _ = out.write_all(body.as_bytes());
            let _ = out.flush();
        }
    }
    let _ = out.shutdown(std::net::Shutdown::Both);
}
