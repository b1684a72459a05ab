//! Peak memory of importing hostile files: files within the size limits whose records are as
//! small as a format allows (millions of tiny tweets, activities, cards, blocks) or that fill
//! the limits with records Kith keeps, each previewed by a child process of this program so
//! its peak resident memory (`VmHWM`) is the import's alone.
//!
//! `kith-bench --hostile [--hostile-mb N]` writes each file (N MB of text per file or zip
//! entry, default 1024, the per-entry limit) and prints one table: the file, what it expands
//! to, what the preview did, its peak memory and its time.

use chrono::{TimeZone, Utc};
use kith_core::import::{self, Format, ImportOptions};
use kith_core::Store;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

type Failure = Box<dyn std::error::Error>;

/// The argument that makes this program the child that previews one file.
pub const CHILD: &str = "--preview-one";

/// The child: previews `path` as `format` into a fresh store at `store` and prints what
/// happened on one line.
pub fn child(format: &str, path: &str, store: &str) -> ExitCode {
    let format: Format = match format.parse() {
        Ok(f) => f,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let mut store = match Store::open(store) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let options = ImportOptions {
        format: Some(format),
        ..ImportOptions::default()
    };
    let now = Utc.with_ymd_and_hms(2026, 12, 7, 9, 0, 0).unwrap();
    match import::preview(&mut store, Path::new(path), &options, now, &mut |_| true) {
        Ok(o) => println!(
            "would add {} contacts and {} interactions ({} left out)",
            o.report.contacts_added, o.report.interactions_added, o.skipped
        ),
        Err(e) => {
            let m = e.to_string();
            // The place and the reason, without the file's long temporary path.
            let m = m
                .rsplit_once(": ")
                .map_or(m.as_str(), |(_, r)| r)
                .to_string();
            println!("refused: {m}");
        }
    }
    ExitCode::SUCCESS
}

/// One hostile file: how it is imported and how it is written.
struct Case {
    name: &'static str,
    file: &'static str,
    format: Format,
    write: fn(&Path, u64) -> std::io::Result<u64>,
}

const CASES: &[Case] = &[
    Case {
        name: "Twitter/X zip, tweets.js of tiny tweets",
        file: "tiny-tweets.zip",
        format: Format::Twitter,
        write: tiny_tweets,
    },
    Case {
        name: "Twitter/X zip, 499,999 tweets filling tweets.js, each kept",
        file: "full-tweets.zip",
        format: Format::Twitter,
        write: full_tweets,
    },
    Case {
        name: "Mastodon zip, outbox.json of tiny activities",
        file: "tiny-outbox.zip",
        format: Format::Mastodon,
        write: tiny_outbox,
    },
    Case {
        name: "vCard file of tiny cards",
        file: "tiny-cards.vcf",
        format: Format::Vcard,
        write: tiny_cards,
    },
    Case {
        name: "mbox of one message and blank lines",
        file: "blank-lines.mbox",
        format: Format::Mbox,
        write: blank_lines,
    },
    Case {
        name: "Bluesky CAR of tiny blocks",
        file: "tiny-blocks.car",
        format: Format::Bluesky,
        write: tiny_blocks,
    },
    Case {
        name: "Kith archive of tiny contacts (read as a stream, no limit)",
        file: "tiny-contacts.json",
        format: Format::Json,
        write: tiny_contacts,
    },
];

/// Measures every case with files of `mb` MB in `dir`; the Markdown table.
pub fn measure(dir: &Path, mb: u64) -> Result<String, Failure> {
    let me = std::env::current_exe()?;
    let mut out = String::from(
        "| hostile file | on disk | text | outcome | peak memory | time |\n|---|---|---|---|---|---|\n",
    );
    for case in CASES {
        let path = dir.join(case.file);
        eprintln!("[hostile] writing {} ({mb} MB)", case.file);
        let text = (case.write)(&path, mb << 20)?;
        let on_disk = std::fs::metadata(&path)?.len();
        let store = dir.join("hostile.sqlite3");
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", store.display()));
        }
        eprintln!("[hostile] previewing {}", case.file);
        let (line, peak_kb, took) = run_child(&me, case.format, &path, &store)?;
        let _ = std::fs::remove_file(&path);
        out.push_str(&format!(
            "| {} | {} MB | {} MB | {} | {} MB | {:.1} s |\n",
            case.name,
            on_disk >> 20,
            text >> 20,
            line.replace('|', "/"),
            peak_kb >> 10,
            took.as_secs_f64()
        ));
    }
    Ok(out)
}

/// Runs the child on one file, watching its peak resident memory until it ends.
fn run_child(
    me: &Path,
    format: Format,
    path: &Path,
    store: &Path,
) -> Result<(String, u64, Duration), Failure> {
    let start = Instant::now();
    let mut child = Command::new(me)
        .arg(CHILD)
        .arg(format.as_str())
        .arg(path)
        .arg(store)
        .stdout(Stdio::piped())
        .spawn()?;
    let status_file = PathBuf::from(format!("/proc/{}/status", child.id()));
    let mut peak_kb = 0;
    loop {
        // VmHWM is the most the process has held; read until it has ended.
        if let Ok(status) = std::fs::read_to_string(&status_file) {
            if let Some(kb) = status
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            {
                peak_kb = peak_kb.max(kb);
            }
        }
        if child.try_wait()?.is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let took = start.elapsed();
    let output = child.wait_with_output()?;
    let line = String::from_utf8_lossy(&output.stdout).trim().to_string();
    let line = if output.status.success() {
        line
    } else {
        format!("the child failed ({})", output.status)
    };
    Ok((line, peak_kb, took))
}

/// Writes `item(n)` for n = 0, 1, … separated by commas until `bytes` are written or `max`
/// items; the bytes written.
fn items(
    w: &mut dyn Write,
    bytes: u64,
    max: u64,
    item: impl Fn(u64) -> String,
) -> std::io::Result<u64> {
    let mut written = 0;
    let mut n = 0;
    while written < bytes && n < max {
        let s = item(n);
        if n > 0 {
            w.write_all(b",")?;
            written += 1;
        }
        w.write_all(s.as_bytes())?;
        written += s.len() as u64;
        n += 1;
    }
    Ok(written)
}

/// Writes one zip entry's content, answering how many bytes it wrote.
type EntryWriter<'a> = &'a mut dyn FnMut(&mut dyn Write) -> std::io::Result<u64>;

/// A zip of `(name, writer)` entries, deflated as the platforms do.
fn zip(path: &Path, entries: &mut [(&str, EntryWriter<'_>)]) -> std::io::Result<u64> {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path)?);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    let mut total = 0;
    for (name, write) in entries.iter_mut() {
        zip.start_file(*name, options)?;
        let mut w = BufWriter::new(&mut zip);
        total += write(&mut w)?;
        w.flush()?;
    }
    zip.finish()?;
    Ok(total)
}

const ACCOUNT: &str =
    r#"window.YTD.account.part0 = [{"account": {"accountId": "1", "username": "me"}}]"#;
const DATE: &str = "Sat Aug 12 16:10:37 +0000 2023";

fn tiny_tweets(path: &Path, bytes: u64) -> std::io::Result<u64> {
    zip(
        path,
        &mut [
            ("data/account.js", &mut |w: &mut dyn Write| {
                w.write_all(ACCOUNT.as_bytes())?;
                Ok(ACCOUNT.len() as u64)
            }),
            ("data/tweets.js", &mut |w: &mut dyn Write| {
                w.write_all(b"window.YTD.tweets.part0 = [")?;
                let n = items(w, bytes, u64::MAX, |n| {
                    format!(r#"{{"tweet":{{"id_str":"{n}","created_at":"{DATE}"}}}}"#)
                })?;
                w.write_all(b"]")?;
                Ok(n)
            }),
        ],
    )
}

/// The most a file can hold and be imported: one record under the limit (the account is the
/// other), each tweet naming someone, so that each becomes an interaction, its text filling
/// the entry.
fn full_tweets(path: &Path, bytes: u64) -> std::io::Result<u64> {
    let count = ImportOptions::default().limits.max_records as u64 - 1;
    let text_len = (bytes / count).saturating_sub(260).max(1) as usize;
    zip(
        path,
        &mut [
            ("data/account.js", &mut |w: &mut dyn Write| {
                w.write_all(ACCOUNT.as_bytes())?;
                Ok(ACCOUNT.len() as u64)
            }),
            ("data/tweets.js", &mut |w: &mut dyn Write| {
                w.write_all(b"window.YTD.tweets.part0 = [")?;
                let n = items(w, bytes, count, |n| {
                    let text: String =
                        std::iter::repeat_n(char::from(b'a' + (n % 26) as u8), text_len).collect();
                    format!(
                        r#"{{"tweet":{{"id_str":"{n}","created_at":"{DATE}","full_text":"@friend{} {text}","entities":{{"user_mentions":[{{"id_str":"{}","screen_name":"friend{}","name":"Friend"}}]}}}}}}"#,
                        n % 1000,
                        1000 + n % 1000,
                        n % 1000
                    )
                })?;
                w.write_all(b"]")?;
                Ok(n)
            }),
        ],
    )
}

fn tiny_outbox(path: &Path, bytes: u64) -> std::io::Result<u64> {
    zip(
        path,
        &mut [("outbox.json", &mut |w: &mut dyn Write| {
            w.write_all(br#"{"type":"OrderedCollection","orderedItems":["#)?;
            let n = items(w, bytes, u64::MAX, |n| {
                format!(r#"{{"type":"Announce","id":"{n}"}}"#)
            })?;
            w.write_all(b"]}")?;
            Ok(n)
        })],
    )
}

fn plain(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<u64>,
) -> std::io::Result<u64> {
    let mut w = BufWriter::new(std::fs::File::create(path)?);
    let n = write(&mut w)?;
    w.flush()?;
    Ok(n)
}

fn tiny_cards(path: &Path, bytes: u64) -> std::io::Result<u64> {
    plain(path, |w| {
        let mut written = 0;
        let mut n = 0u64;
        while written < bytes {
            let card = format!("BEGIN:VCARD\nFN:{n}\nEND:VCARD\n");
            w.write_all(card.as_bytes())?;
            written += card.len() as u64;
            n += 1;
        }
        Ok(written)
    })
}

fn blank_lines(path: &Path, bytes: u64) -> std::io::Result<u64> {
    plain(path, |w| {
        w.write_all(b"From a@example.org Mon Jan  5 09:00:00 2026\nFrom: a@example.org\nTo: me@example.net\n\n")?;
        let chunk = vec![b'\n'; 1 << 20];
        let mut written = 0;
        while written < bytes {
            w.write_all(&chunk)?;
            written += chunk.len() as u64;
        }
        Ok(written)
    })
}

fn tiny_blocks(path: &Path, bytes: u64) -> std::io::Result<u64> {
    plain(path, |w| {
        let cid = |n: u32| {
            let mut c = vec![0x01, 0x71, 0x12, 0x04];
            c.extend_from_slice(&n.to_be_bytes());
            c
        };
        let mut header = vec![0xa2, 0x67];
        header.extend_from_slice(b"version");
        header.extend_from_slice(&[0x01, 0x65]);
        header.extend_from_slice(b"roots");
        header.extend_from_slice(&[0x81, 0xd8, 0x2a, 0x49, 0x00]);
        header.extend_from_slice(&cid(0));
        w.write_all(&[header.len() as u8])?;
        w.write_all(&header)?;
        let mut written = header.len() as u64 + 1;
        let mut n = 0u32;
        while written < bytes && n < u32::MAX {
            let c = cid(n);
            w.write_all(&[(c.len() + 1) as u8])?;
            w.write_all(&c)?;
            w.write_all(&[0xa0])?;
            written += c.len() as u64 + 2;
            n += 1;
        }
        Ok(written)
    })
}

fn tiny_contacts(path: &Path, bytes: u64) -> std::io::Result<u64> {
    plain(path, |w| {
        w.write_all(br#"{"format":"kith-archive","contacts":["#)?;
        let n = items(w, bytes, u64::MAX, |n| {
            format!(r#"{{"id":"c{n}","name":"{n}"}}"#)
        })?;
        w.write_all(b"]}")?;
        Ok(n)
    })
}
