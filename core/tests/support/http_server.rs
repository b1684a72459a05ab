//! A small HTTP/1.1 server on a free loopback port, for tests that fetch over the network
//! without leaving the machine. Each connection is answered on its own thread by the test's
//! handler, then closed; the server stops when dropped (also when the test panics).
//!
//! A CLI test includes it with
//! `#[path = "../../core/tests/support/http_server.rs"] mod http_server;`.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// A request as the handler sees it.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    /// The path and query, as sent (`/feed?x=1`).
    pub path: String,
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
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

/// What the handler answers.
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Body,
}

pub enum Body {
    Bytes(Vec<u8>),
    /// Headers are never sent: the connection stays open and silent until the client gives
    /// up or the server stops.
    Hang,
    /// `total` bytes made of `chunk` repeated, written as the client reads them and never held
    /// in memory; stops when the client closes the connection.
    Repeat {
        chunk: Vec<u8>,
        total: u64,
    },
}

impl Response {
    pub fn new(status: u16) -> Response {
        Response {
            status,
            headers: Vec::new(),
            body: Body::Bytes(Vec::new()),
        }
    }
    pub fn ok(content_type: &str, body: impl Into<Vec<u8>>) -> Response {
        Response::new(200)
            .header("Content-Type", content_type)
            .body(body)
    }
    pub fn header(mut self, name: &str, value: &str) -> Response {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Response {
        self.body = Body::Bytes(body.into());
        self
    }
    pub fn hang() -> Response {
        Response {
            status: 200,
            headers: Vec::new(),
            body: Body::Hang,
        }
    }
}

type Handler = dyn Fn(&Request) -> Response + Send + Sync;

/// A running server; stopped when dropped.
pub struct Server {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    requests: Arc<Mutex<Vec<Request>>>,
    accept: Option<JoinHandle<()>>,
}

impl Server {
    /// Starts serving on 127.0.0.1 at a port the system picks; ready when this returns.
    pub fn start(handler: impl Fn(&Request) -> Response + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        let addr = listener.local_addr().expect("local address");
        let stop = Arc::new(AtomicBool::new(false));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let accept = {
            let stop = stop.clone();
            let requests = requests.clone();
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let handler = handler.clone();
                    let stop = stop.clone();
                    let requests = requests.clone();
                    std::thread::spawn(move || serve(stream, &*handler, &stop, &requests));
                }
            })
        };
        Server {
            addr,
            stop,
            requests,
            accept: Some(accept),
        }
    }

    /// `http://127.0.0.1:PORT` with no trailing slash.
    pub fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The URL of `path` (which starts with `/`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.origin())
    }

    /// The requests served so far, in order.
    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().unwrap().clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(t) = self.accept.take() {
            let _ = t.join();
        }
    }
}

fn serve(stream: TcpStream, handler: &Handler, stop: &AtomicBool, log: &Mutex<Vec<Request>>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut reader = BufReader::new(match stream.try_clone() {
        Ok(s) => s,
        Err(_) => return,
    });
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
    let request = Request {
        method,
        path,
        headers,
    };
    log.lock().unwrap().push(request.clone());
    let response = handler(&request);
    let mut out = stream;
    match response.body {
        Body::Hang => {
            let until = Instant::now() + Duration::from_secs(60);
            let mut probe = [0u8; 1];
            let _ = out.set_read_timeout(Some(Duration::from_millis(50)));
            while Instant::now() < until && !stop.load(Ordering::SeqCst) {
                // A read of 0 bytes means the client hung up.
                if let Ok(0) = out.read(&mut probe) {
                    break;
                }
            }
        }
        Body::Bytes(bytes) => {
            let _ = write_head(
                &mut out,
                response.status,
                &response.headers,
                Some(bytes.len() as u64),
            );
            let _ = out.write_all(&bytes);
            let _ = out.flush();
        }
        Body::Repeat { chunk, total } => {
            if write_head(&mut out, response.status, &response.headers, Some(total)).is_err() {
                return;
            }
            let mut sent = 0u64;
            while sent < total && !stop.load(Ordering::SeqCst) {
                let n = chunk.len().min((total - sent) as usize);
                if out.write_all(&chunk[..n]).is_err() {
                    break;
                }
                sent += n as u64;
            }
        }
    }
    let _ = out.shutdown(std::net::Shutdown::Both);
}

fn write_head(
    out: &mut TcpStream,
    status: u16,
    headers: &[(String, String)],
    length: Option<u64>,
) -> std::io::Result<()> {
    let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(status));
    for (n, v) in headers {
        head.push_str(&format!("{n}: {v}\r\n"));
    }
    if let Some(len) = length {
        head.push_str(&format!("Content-Length: {len}\r\n"));
    }
    head.push_str("Connection: close\r\n\r\n");
    out.write_all(head.as_bytes())
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        404 => "Not Found",
        410 => "Gone",
        429 => "Too Many Requests",
        503 => "Service Unavailable",
        _ => "Status",
    }
}
