//! Opening an IMAP connection: TCP with timeouts, TLS (implicit or STARTTLS) trusting the
//! system's roots plus the account's own PEM file, and turning every way this can fail into
//! plain words. Nothing here ever sees or prints the password.

use super::super::{ImapSecurity, ImapSettings};
use crate::error::{Error, Result, SyncProblem};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use rustls::{ClientConfig, ClientConnection, RootCertStore, StreamOwned};
use std::io::{self, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::sync::Arc;
use std::time::Duration;

/// A connection to the server, encrypted or (only to this machine) not.
pub(super) enum Stream {
    Plain(TcpStream),
    Tls(Box<StreamOwned<ClientConnection, TcpStream>>),
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Stream::Plain(s) => s.read(buf),
            Stream::Tls(s) => s.read(buf),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Stream::Plain(s) => s.write(buf),
            Stream::Tls(s) => s.write(buf),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match self {
            Stream::Plain(s) => s.flush(),
            Stream::Tls(s) => s.flush(),
        }
    }
}

/// Whether `host` names this machine, the only place a connection without TLS may go.
pub(super) fn is_local(host: &str) -> bool {
    let h = host.trim().trim_start_matches('[').trim_end_matches(']');
    h.eq_ignore_ascii_case("localhost") || h == "127.0.0.1" || h == "::1"
}

/// Says what went wrong talking to a server, in the words a person needs.
pub(super) struct Explain<'a> {
    pub(super) account: &'a str,
    pub(super) host: &'a str,
    pub(super) timeout: Duration,
}

impl Explain<'_> {
    pub(super) fn err(&self, problem: SyncProblem, detail: impl Into<String>) -> Error {
        Error::sync(self.account, problem, detail)
    }

    /// An I/O error on the connection: a timeout, a lost connection, a refused certificate.
    pub(super) fn io(&self, e: &io::Error) -> Error {
        if let Some(tls) = e.get_ref().and_then(|i| i.downcast_ref::<rustls::Error>()) {
            return self.tls(tls);
        }
        let host = self.host;
        match e.kind() {
            io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => self.err(
                SyncProblem::TimedOut,
                format!(
                    "{host} did not answer within {} seconds",
                    self.timeout.as_secs()
                ),
            ),
            io::ErrorKind::ConnectionRefused => self.err(
                SyncProblem::Unreachable,
                format!(
                    "{host} refused the connection (is the port right, and the server running?)"
                ),
            ),
            io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::UnexpectedEof
            | io::ErrorKind::BrokenPipe
            | io::ErrorKind::NotConnected => self.err(
                SyncProblem::Unreachable,
                format!("the connection to {host} was lost; nothing from this sync was kept"),
            ),
            _ => self.err(
                SyncProblem::Unreachable,
                format!("cannot reach {host}: {e}"),
            ),
        }
    }

    fn tls(&self, e: &rustls::Error) -> Error {
        use rustls::CertificateError as C;
        let host = self.host;
        let why = match e {
            rustls::Error::InvalidCertificate(c) => match c {
                C::UnknownIssuer => {
                    "it is self-signed or signed by an authority this computer does not know"
                        .to_string()
                }
                C::Expired | C::ExpiredContext { .. } => "it has expired".to_string(),
                C::NotValidYet | C::NotValidYetContext { .. } => {
                    "it is not valid yet (is this computer's clock right?)".to_string()
                }
                C::NotValidForName | C::NotValidForNameContext { .. } => {
                    format!("it was issued for another name than {host}")
                }
                C::Revoked => "it has been revoked".to_string(),
                C::Other(o) if format!("{o:?}").contains("CaUsedAsEndEntity") => {
                    "it is self-signed".to_string()
                }
                other => format!("{other:?}"),
            },
            other => {
                return self.err(
                    SyncProblem::BadResponse,
                    format!(
                        "the secure connection to {host} failed ({other}); if this port starts in plain text, use --security starttls (usually port 143)"
                    ),
                )
            }
        };
        self.err(
            SyncProblem::UntrustedCertificate,
            format!(
                "the certificate of {host} is not trusted: {why}; if you trust this server, give its certificate (PEM) with --ca-file"
            ),
        )
    }

    /// An error from the IMAP conversation.
    pub(super) fn imap(&self, e: imap::Error) -> Error {
        let host = self.host;
        match e {
            imap::Error::Io(e) => self.io(&e),
            imap::Error::ConnectionLost => self.err(
                SyncProblem::Unreachable,
                format!("the connection to {host} was lost; nothing from this sync was kept"),
            ),
            imap::Error::Bye(b) => self.err(
                SyncProblem::Unreachable,
                format!("{host} closed the connection: {}", short(&b.information)),
            ),
            imap::Error::No(n) => self.err(
                SyncProblem::BadResponse,
                format!("{host} refused: {}", short(&n.information)),
            ),
            imap::Error::Bad(b) => self.err(
                SyncProblem::BadResponse,
                format!(
                    "{host} did not understand a request: {}",
                    short(&b.information)
                ),
            ),
            other => self.err(
                SyncProblem::BadResponse,
                format!(
                    "{host} sent something that is not IMAP: {}",
                    short(&other.to_string())
                ),
            ),
        }
    }
}

/// A server's words, cut so a hostile server cannot fill the screen.
pub(super) fn short(s: &str) -> String {
    let s = s.trim();
    match s.char_indices().nth(200) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// Trusts what the system's roots and the account's PEM file trust, and also a server whose
/// own certificate is in that file: a self-signed server certificate is usually made as its
/// own authority (`openssl req -x509` marks it CA:TRUE), which certificate-path checking
/// refuses as a server certificate even when the user gave exactly that certificate. The
/// handshake's signatures are always checked, so only the holder of its key gets through.
#[derive(Debug)]
struct Verifier {
    inner: Arc<rustls::client::WebPkiServerVerifier>,
    pinned: Vec<CertificateDer<'static>>,
}

impl rustls::client::danger::ServerCertVerifier for Verifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: rustls::pki_types::UnixTime,
    ) -> std::result::Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        match self.inner.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        ) {
            Ok(v) => Ok(v),
            Err(_)
                if self
                    .pinned
                    .iter()
                    .any(|c| c.as_ref() == end_entity.as_ref()) =>
            {
                Ok(rustls::client::danger::ServerCertVerified::assertion())
            }
            Err(e) => Err(e),
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> std::result::Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> std::result::Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

/// The TLS settings: the system's trusted roots, plus the certificates of `ca_file`.
fn tls_config(account: &str, ca_file: Option<&str>) -> Result<Arc<ClientConfig>> {
    let mut roots = RootCertStore::empty();
    let native = rustls_native_certs::load_native_certs();
    roots.add_parsable_certificates(native.certs);
    let mut pinned = Vec::new();
    if let Some(path) = ca_file {
        let bytes = std::fs::read(path).map_err(|e| {
            Error::invalid(format!(
                "{account}: cannot read the certificate file {path}: {e}"
            ))
        })?;
        let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&bytes)
            .collect::<std::result::Result<_, _>>()
            .map_err(|e| {
                Error::invalid(format!(
                    "{account}: {path}: not a PEM certificate file ({e:?})"
                ))
            })?;
        if certs.is_empty() {
            return Err(Error::invalid(format!(
                "{account}: {path}: no certificate in it (a PEM file has \"-----BEGIN CERTIFICATE-----\" blocks)"
            )));
        }
        for (n, c) in certs.into_iter().enumerate() {
            roots.add(c.clone()).map_err(|e| {
                Error::invalid(format!(
                    "{account}: {path}: certificate {} cannot be used: {e}",
                    n + 1
                ))
            })?;
            pinned.push(c);
        }
    }
    if roots.is_empty() {
        return Err(Error::invalid(format!(
            "{account}: this computer has no trusted certificate authorities, so no server can be trusted; give the server's certificate (PEM) with --ca-file"
        )));
    }
    // ring, as the rustls HTTP clients use by default: aws-lc-rs would need CMake and a much
    // longer C build for the same TLS 1.2 and 1.3 suites.
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let inner = rustls::client::WebPkiServerVerifier::builder_with_provider(
        Arc::new(roots),
        provider.clone(),
    )
    .build()
    .map_err(|e| Error::invalid(format!("{account}: TLS cannot be set up: {e}")))?;
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::invalid(format!("{account}: TLS cannot be set up: {e}")))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(Verifier { inner, pinned }))
        .with_no_client_auth();
    Ok(Arc::new(config))
}

/// Opens a TCP connection to the server, with timeouts on connecting, reading and writing.
fn tcp(x: &Explain<'_>, port: u16) -> Result<TcpStream> {
    let host = x.host.trim_start_matches('[').trim_end_matches(']');
    let addrs: Vec<_> = (host, port)
        .to_socket_addrs()
        .map_err(|e| {
            x.err(
                SyncProblem::Unreachable,
                format!("cannot find the server {host}: {e}"),
            )
        })?
        .collect();
    let mut last = None;
    for a in addrs {
        match TcpStream::connect_timeout(&a, x.timeout) {
            Ok(s) => {
                let set = s
                    .set_read_timeout(Some(x.timeout))
                    .and_then(|_| s.set_write_timeout(Some(x.timeout)));
                set.map_err(|e| x.io(&e))?;
                return Ok(s);
            }
            Err(e) => last = Some(e),
        }
    }
    Err(match last {
        Some(e) => x.io(&e),
        None => x.err(
            SyncProblem::Unreachable,
            format!("the server {host} has no address"),
        ),
    })
}

/// Wraps `tcp` in TLS and completes the handshake, so a refused certificate shows here.
fn tls(x: &Explain<'_>, config: Arc<ClientConfig>, mut tcp: TcpStream) -> Result<Stream> {
    let host = x.host.trim_start_matches('[').trim_end_matches(']');
    let name = ServerName::try_from(host.to_string())
        .map_err(|_| Error::invalid(format!("{}: {host:?} is not a server name", x.account)))?;
    let mut conn = ClientConnection::new(config, name).map_err(|e| {
        x.err(
            SyncProblem::BadResponse,
            format!("the secure connection to {host} failed: {e}"),
        )
    })?;
    while conn.is_handshaking() {
        conn.complete_io(&mut tcp).map_err(|e| x.io(&e))?;
    }
    Ok(Stream::Tls(Box::new(StreamOwned::new(conn, tcp))))
}

/// Reads one line the server sends before TLS, byte by byte so nothing after it is taken.
fn plain_line(x: &Explain<'_>, tcp: &mut TcpStream) -> Result<String> {
    let mut line = Vec::new();
    let mut byte = [0u8; 1];
    while !line.ends_with(b"\n") {
        let n = tcp.read(&mut byte).map_err(|e| x.io(&e))?;
        if n == 0 {
            return Err(x.io(&io::Error::from(io::ErrorKind::UnexpectedEof)));
        }
        line.push(byte[0]);
        if line.len() > 16 * 1024 {
            return Err(x.err(
                SyncProblem::BadResponse,
                format!(
                    "{} sent a line of more than 16 KB before TLS; it is not an IMAP server",
                    x.host
                ),
            ));
        }
    }
    Ok(String::from_utf8_lossy(&line).trim_end().to_string())
}

/// Asks a server that greeted in plain text to switch to TLS (STARTTLS), before any password
/// is sent.
fn starttls(x: &Explain<'_>, port: u16, mut tcp: TcpStream) -> Result<TcpStream> {
    let greeting = plain_line(x, &mut tcp).map_err(|e| match e {
        // A port that wants TLS from the first byte waits for us in silence.
        Error::Sync {
            problem: SyncProblem::TimedOut,
            ..
        } => x.err(
            SyncProblem::TimedOut,
            format!(
                "{} said nothing on port {port} within {} seconds; if this port expects TLS from the first byte, use --security tls",
                x.host,
                x.timeout.as_secs()
            ),
        ),
        e => e,
    })?;
    if !greeting.starts_with("* OK") {
        return Err(x.err(
            SyncProblem::BadResponse,
            format!(
                "{} did not greet as an IMAP server on port {port}: {}",
                x.host,
                short(&greeting)
            ),
        ));
    }
    tcp.write_all(b"k0 STARTTLS\r\n").map_err(|e| x.io(&e))?;
    loop {
        let line = plain_line(x, &mut tcp)?;
        if let Some(status) = line.strip_prefix("k0 ") {
            if status.starts_with("OK") {
                return Ok(tcp);
            }
            return Err(x.err(
                SyncProblem::BadResponse,
                format!(
                    "{} does not offer STARTTLS on port {port} ({}); use --security tls (usually port 993)",
                    x.host,
                    short(status)
                ),
            ));
        }
    }
}

/// Connects to the account's server and returns a client ready to log in.
pub(super) fn open(x: &Explain<'_>, settings: &ImapSettings) -> Result<imap::Client<Stream>> {
    if settings.security == ImapSecurity::PlainLocalhostOnly && !is_local(&settings.host) {
        return Err(Error::invalid(format!(
            "{}: a connection without encryption is only allowed to this computer (localhost), not to {}; use --security tls or starttls",
            x.account, settings.host
        )));
    }
    let config = match settings.security {
        ImapSecurity::PlainLocalhostOnly => None,
        _ => Some(tls_config(x.account, settings.ca_file.as_deref())?),
    };
    let tcp = tcp(x, settings.port)?;
    let mut client = match (settings.security, config) {
        (ImapSecurity::Tls, Some(config)) => {
            let mut c = imap::Client::new(tls(x, config, tcp)?);
            c.read_greeting().map_err(|e| x.imap(e))?;
            c
        }
        (ImapSecurity::Starttls, Some(config)) => {
            let tcp = starttls(x, settings.port, tcp)?;
            imap::Client::new(tls(x, config, tcp)?)
        }
        _ => {
            let mut c = imap::Client::new(Stream::Plain(tcp));
            c.read_greeting().map_err(|e| x.imap(e))?;
            c
        }
    };
    // Keeps the client's own debug output off whatever happens: it would show the LOGIN line.
    client.debug = false;
    Ok(client)
}
