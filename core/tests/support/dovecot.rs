//! A private Dovecot IMAP server for tests: started on free loopback ports in its own temporary
//! folder, with a self-signed certificate for 127.0.0.1 and one user (`librarian`, password
//! `secret`), and stopped by its own process id when dropped, also when a test fails.
//!
//! Mail goes in with IMAP APPEND (Python's `imaplib`, a client nobody here wrote), so UIDs are
//! assigned as a real server assigns them; many messages at once can be written straight into
//! the Maildir, which Dovecot numbers when it next looks.
//!
//! Include it from another crate's tests with
//! `#[path = "../../core/tests/support/dovecot.rs"] mod dovecot;`.
#![allow(dead_code)]

use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub const USER: &str = "librarian";
pub const PASSWORD: &str = "secret";

/// The dovecot program, if it is installed.
fn program() -> Option<PathBuf> {
    ["/usr/sbin/dovecot", "/usr/local/sbin/dovecot"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

/// Whether tests may run: `false` (with a message) when Dovecot is not installed and
/// `KITH_REQUIRE_SERVERS` is not set; a panic when it is set and Dovecot is missing.
pub fn available() -> bool {
    if program().is_some() {
        return true;
    }
    if std::env::var_os("KITH_REQUIRE_SERVERS").is_some() {
        panic!("KITH_REQUIRE_SERVERS is set but dovecot is not installed (run scripts/deps.sh)");
    }
    eprintln!(
        "SKIPPED: dovecot is not installed (apt-get install dovecot-imapd, or run scripts/deps.sh)"
    );
    false
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn run(cmd: &mut Command) {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A running Dovecot.
pub struct Dovecot {
    dir: tempfile::TempDir,
    /// The port of IMAP over TLS from the first byte.
    pub tls_port: u16,
    /// The port of plain IMAP, upgraded with STARTTLS (or plain from localhost).
    pub plain_port: u16,
    pid: Option<u32>,
}

impl Dovecot {
    /// Starts a server and waits until both ports answer.
    pub fn start() -> Dovecot {
        let dir = tempfile::Builder::new()
            .prefix("kith-dovecot-")
            .tempdir()
            .unwrap();
        let d = dir.path().to_path_buf();
        // Dovecot reads the mail as `nobody`, so every folder above it must be searchable.
        chmod(&d, 0o755);
        run(Command::new("openssl")
            .args([
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            ])
            .arg("-keyout")
            .arg(d.join("key.pem"))
            .arg("-out")
            .arg(d.join("cert.pem"))
            .args([
                "-subj",
                "/CN=127.0.0.1",
                "-addext",
                "subjectAltName=IP:127.0.0.1",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::piped()));
        std::fs::write(
            d.join("passwd"),
            format!(
                "{USER}:{{PLAIN}}{PASSWORD}:65534:65534::{}\n",
                d.join("mail").join(USER).display()
            ),
        )
        .unwrap();
        std::fs::create_dir_all(d.join("mail")).unwrap();
        chmod(&d.join("mail"), 0o777);
        let tls_port = free_port();
        let plain_port = free_port();
        let conf = format!(
            "base_dir = {d}/run
state_dir = {d}/run
log_path = {d}/dovecot.log
protocols = imap
listen = 127.0.0.1
first_valid_uid = 1
ssl = yes
ssl_cert = <{d}/cert.pem
ssl_key = <{d}/key.pem
default_login_user = nobody
default_internal_user = root
default_internal_group = root
service imap-login {{
  inet_listener imap {{
    port = {plain_port}
  }}
  inet_listener imaps {{
    port = {tls_port}
  }}
}}
passdb {{
  driver = passwd-file
  args = {d}/passwd
}}
userdb {{
  driver = passwd-file
  args = {d}/passwd
}}
mail_location = maildir:~/Maildir
namespace inbox {{
  inbox = yes
  separator = /
  mailbox Sent {{
    special_use = \\Sent
    auto = subscribe
  }}
}}
",
            d = d.display()
        );
        std::fs::write(d.join("dovecot.conf"), conf).unwrap();
        let mut server = Dovecot {
            dir,
            tls_port,
            plain_port,
            pid: None,
        };
        // Dovecot leaves a daemon behind that keeps its output open: to a file, not a pipe.
        let out = std::fs::File::create(d.join("start.log")).unwrap();
        let status = Command::new(program().expect("dovecot is installed"))
            .arg("-c")
            .arg(server.conf())
            .stdin(Stdio::null())
            .stdout(out.try_clone().unwrap())
            .stderr(out)
            .status()
            .unwrap();
        assert!(
            status.success(),
            "dovecot did not start: {}",
            std::fs::read_to_string(d.join("start.log")).unwrap_or_default()
        );
        let pid_file = d.join("run").join("master.pid");
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if server.pid.is_none() {
                server.pid = std::fs::read_to_string(&pid_file)
                    .ok()
                    .and_then(|s| s.trim().parse().ok());
            }
            let up = [tls_port, plain_port]
                .iter()
                .all(|p| TcpStream::connect(("127.0.0.1", *p)).is_ok());
            if up && server.pid.is_some() {
                return server;
            }
            assert!(
                Instant::now() < deadline,
                "dovecot did not start: {}",
                server.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    pub fn conf(&self) -> PathBuf {
        self.dir().join("dovecot.conf")
    }

    /// The server's certificate, to trust with `ca_file`.
    pub fn cert(&self) -> PathBuf {
        self.dir().join("cert.pem")
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir().join("dovecot.log")).unwrap_or_default()
    }

    /// The user's Maildir.
    pub fn maildir(&self) -> PathBuf {
        self.dir().join("mail").join(USER).join("Maildir")
    }

    /// Runs Python `imaplib` against the server, logged in, with `script` as the body of a
    /// function `go(m)`; arguments reach it as `sys.argv[1:]`.
    pub fn python(&self, script: &str, args: &[&str]) -> String {
        let program = format!(
            "import imaplib, ssl, sys\n\
             ctx = ssl.create_default_context(cafile={cert:?})\n\
             m = imaplib.IMAP4_SSL('127.0.0.1', {port}, ssl_context=ctx)\n\
             m.login({USER:?}, {PASSWORD:?})\n\
             def go(m):\n{body}\n\
             go(m)\n\
             m.logout()\n",
            cert = self.cert().display().to_string(),
            port = self.tls_port,
            body = script
                .lines()
                .map(|l| format!("    {l}"))
                .collect::<Vec<_>>()
                .join("\n"),
        );
        let out = Command::new("python3")
            .arg("-c")
            .arg(program)
            .args(args)
            .output()
            .expect("python3 runs");
        assert!(
            out.status.success(),
            "imaplib failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Appends each file to `folder` with IMAP APPEND, in order.
    pub fn append(&self, folder: &str, files: &[&Path]) {
        let mut args = vec![folder.to_string()];
        args.extend(files.iter().map(|p| p.display().to_string()));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        self.python(
            "folder = sys.argv[1]\n\
             m.create(folder)\n\
             for path in sys.argv[2:]:\n    \
                 data = open(path, 'rb').read().replace(b'\\r\\n', b'\\n').replace(b'\\n', b'\\r\\n')\n    \
                 typ, r = m.append(folder, None, None, data)\n    \
                 assert typ == 'OK', r",
            &args,
        );
    }

    /// Appends messages given as bytes.
    pub fn append_bytes(&self, folder: &str, messages: &[Vec<u8>]) {
        let tmp = tempfile::Builder::new()
            .prefix("kith-append-")
            .tempdir()
            .unwrap();
        let paths: Vec<PathBuf> = messages
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let p = tmp.path().join(format!("{i:06}.eml"));
                std::fs::write(&p, m).unwrap();
                p
            })
            .collect();
        let refs: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
        self.append(folder, &refs);
    }

    /// Moves the messages of `from` whose Message-ID is `message_id` to `to` (COPY, then
    /// delete and expunge the original).
    pub fn move_message(&self, from: &str, to: &str, message_id: &str) {
        self.python(
            "m.select(sys.argv[1])\n\
             typ, d = m.uid('SEARCH', None, 'HEADER', 'Message-ID', sys.argv[3])\n\
             uids = d[0].split()\n\
             assert uids, 'no such message'\n\
             for u in uids:\n    \
                 assert m.uid('COPY', u, sys.argv[2])[0] == 'OK'\n    \
                 m.uid('STORE', u, '+FLAGS', '(\\\\Deleted)')\n\
             m.expunge()",
            &[from, to, message_id],
        );
    }

    /// Deletes a folder and creates it again empty: the server gives it a new UIDVALIDITY.
    pub fn recreate_folder(&self, folder: &str) {
        self.python(
            "assert m.delete(sys.argv[1])[0] == 'OK'\n\
             assert m.create(sys.argv[1])[0] == 'OK'",
            &[folder],
        );
    }

    /// Writes messages straight into the inbox's Maildir (much faster than APPEND for
    /// thousands); Dovecot gives them UIDs in file-name order when it next reads the folder.
    pub fn write_maildir(&self, messages: impl IntoIterator<Item = Vec<u8>>) {
        let new = self.maildir().join("new");
        for sub in ["", "new", "cur", "tmp"] {
            let p = self.maildir().join(sub);
            std::fs::create_dir_all(&p).unwrap();
        }
        for (i, m) in messages.into_iter().enumerate() {
            let name = format!("{}.M{i:08}P1.kith-test", 1_700_000_000 + i);
            let mut f = std::fs::File::create(new.join(name)).unwrap();
            f.write_all(&m).unwrap();
        }
        chown_tree(&self.dir().join("mail"));
    }

    /// Stops the server now, cutting every open connection (it is also stopped when dropped).
    pub fn stop(&mut self) {
        if let Some(pid) = self.pid.take() {
            // The processes serving connections outlive their master for a while: they are
            // this server's own, found from its process id, and go first.
            let mut children = Vec::new();
            descendants(pid, &mut children);
            for child in children {
                let _ = Command::new("kill")
                    .args(["-KILL", &child.to_string()])
                    .stderr(Stdio::null())
                    .status();
            }
            let _ = Command::new("kill")
                .args(["-TERM", &pid.to_string()])
                .status();
            let deadline = Instant::now() + Duration::from_secs(10);
            while Path::new(&format!("/proc/{pid}")).exists() && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    }
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The processes started by `pid`, and theirs, from /proc.
fn descendants(pid: u32, out: &mut Vec<u32>) {
    let path = format!("/proc/{pid}/task/{pid}/children");
    let Ok(list) = std::fs::read_to_string(path) else {
        return;
    };
    for child in list
        .split_whitespace()
        .filter_map(|c| c.parse::<u32>().ok())
    {
        out.push(child);
        descendants(child, out);
    }
}

fn chmod(p: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// Gives the mail to `nobody`, as whom Dovecot reads and indexes it.
fn chown_tree(p: &Path) {
    std::os::unix::fs::chown(p, Some(65534), Some(65534)).unwrap();
    if p.is_dir() {
        for e in std::fs::read_dir(p).unwrap() {
            chown_tree(&e.unwrap().path());
        }
    }
}
