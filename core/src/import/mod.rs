//! Importing the user's network from platform exports: Twitter/X and Mastodon archives, vCards,
//! LinkedIn and Google Contacts CSV, mail (mbox and .eml) and Bluesky repositories.
//!
//! Every importer works the same way:
//! 1. the file is read and parsed into [`Records`] with stable, source-specific keys
//!    (`twitter:<account id>`, `twitter:tweet:<id>`, `mail:<message-id>`…), so importing the
//!    same export twice adds nothing and a newer export adds only what is new;
//! 2. incoming contacts are matched to the people already in the store (same email address or
//!    the same handle on the same platform; see `store::matching`), except in a Kith archive,
//!    which is matched by its ids only;
//! 3. everything is written in one transaction, or nothing is.
//!
//! Nothing here makes a network call, and imported text is only ever stored as data.

pub(crate) mod bluesky;
mod csvfile;
pub(crate) mod html;
mod input;
mod jsonkind;
mod lenient;
pub(crate) mod mail;
mod markdown;
mod mastodon;
mod me;
mod records;
pub(crate) use records::too_many as too_many_records;
mod targz;
pub(crate) mod text;
mod threads;
mod twitter;
pub(crate) mod vcard;
mod vcard_text;

use crate::archive::Archive;
use crate::domain::*;
use crate::error::{Error, Result};
use crate::store::MAX_HANDLES;
use crate::store::{Decisions, ImportReport, MatchedImport, Records, Store};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use specta::Type;
use std::collections::{HashMap, HashSet};
use std::path::Path;

pub use input::Limits;
pub use me::{my_emails, remember_my_emails};

/// The setting that holds the user's own email addresses, kept by the store.
pub use crate::store::MY_EMAILS_SETTING;

/// The tag on contacts Kith knows only by an account id: their name is still to be found.
pub const UNRESOLVED_TAG: &str = crate::store::UNRESOLVED_TAG;

/// The kinds of file Kith imports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Twitter,
    Mastodon,
    Vcard,
    Linkedin,
    Google,
    Mbox,
    Eml,
    Bluesky,
    Json,
    /// Kith's own CSV export.
    Csv,
    /// Kith's own Markdown notes: a folder of them, or one.
    Markdown,
}

impl Format {
    /// Every format, in the order the app's menu shows them.
    pub const ALL: [Format; 11] = [
        Format::Twitter,
        Format::Mastodon,
        Format::Bluesky,
        Format::Mbox,
        Format::Eml,
        Format::Vcard,
        Format::Google,
        Format::Linkedin,
        Format::Json,
        Format::Csv,
        Format::Markdown,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Twitter => "twitter",
            Format::Mastodon => "mastodon",
            Format::Vcard => "vcard",
            Format::Linkedin => "linkedin",
            Format::Google => "google",
            Format::Mbox => "mbox",
            Format::Eml => "eml",
            Format::Bluesky => "bluesky",
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Markdown => "markdown",
        }
    }

    /// What the format is called, in the app's menu, the CLI's help and its messages.
    pub fn label(self) -> &'static str {
        match self {
            Format::Twitter => "Twitter/X archive",
            Format::Mastodon => "Mastodon archive",
            Format::Vcard => "vCard contacts",
            Format::Linkedin => "LinkedIn connections",
            Format::Google => "Google Contacts",
            Format::Mbox => "Mailbox",
            Format::Eml => "Email message",
            Format::Bluesky => "Bluesky repository",
            Format::Json => "Kith archive",
            Format::Csv => "Kith spreadsheet",
            Format::Markdown => "Kith Markdown notes",
        }
    }

    /// The file in a sentence: "this Twitter/X archive", "this mailbox".
    pub fn noun(self) -> &'static str {
        match self {
            Format::Twitter => "Twitter/X archive",
            Format::Mastodon => "Mastodon archive",
            Format::Vcard => "vCard file",
            Format::Linkedin => "LinkedIn connections file",
            Format::Google => "Google Contacts file",
            Format::Mbox => "mailbox",
            Format::Eml => "email message",
            Format::Bluesky => "Bluesky repository",
            Format::Json => "Kith archive",
            Format::Csv => "Kith spreadsheet",
            Format::Markdown => "Kith notes",
        }
    }

    /// One line saying what the file is and where it comes from.
    pub fn description(self) -> &'static str {
        match self {
            Format::Twitter => "The archive from Settings › Your account › Download an archive of your data, zipped or unpacked.",
            Format::Mastodon => "The archive from Preferences › Import and export › Request your archive.",
            Format::Vcard => "Contacts exported from a phone, Apple Contacts, Outlook or Google Contacts.",
            Format::Linkedin => "Connections.csv from LinkedIn's Get a copy of your data.",
            Format::Google => "Google Contacts › Export, in the Google CSV format.",
            Format::Mbox => "A whole mail folder, from Thunderbird, Apple Mail or Google Takeout.",
            Format::Eml => "One saved email, dragged out of a mail program.",
            Format::Bluesky => "The file from Settings › Account › Export my data.",
            Format::Json => "A full backup made with Kith's own export; restores contacts, interactions and events.",
            Format::Csv => "The CSV Kith exports, perhaps edited in a spreadsheet: contacts, roles, handles and tags.",
            Format::Markdown => "Notes Kith exported, perhaps edited in Obsidian: one note, or type the folder's path.",
        }
    }

    /// The extensions its files come with, the usual one first. Detection reads the content;
    /// these are for the open dialog's filter and the menu.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            Format::Twitter => &["zip", "js"],
            Format::Mastodon => &["zip", "tar.gz", "tgz", "json"],
            Format::Vcard => &["vcf", "vcard"],
            Format::Linkedin | Format::Google | Format::Csv => &["csv"],
            Format::Mbox => &["mbox", "mbx"],
            Format::Eml => &["eml"],
            Format::Bluesky => &["car"],
            Format::Json => &["json"],
            Format::Markdown => &["md", "markdown"],
        }
    }

    /// Whether the file is mail, where the user's own addresses tell who wrote to whom.
    pub fn is_mail(self) -> bool {
        matches!(self, Format::Mbox | Format::Eml)
    }

    /// How the shells describe it.
    pub fn info(self) -> FormatInfo {
        FormatInfo {
            format: self,
            name: self.as_str(),
            label: self.label(),
            noun: self.noun(),
            description: self.description(),
            extensions: self.extensions(),
            mail: self.is_mail(),
        }
    }

    /// Every format's description, in [`Format::ALL`]'s order: the app's menu and the CLI's
    /// help both show this one list.
    pub fn infos() -> Vec<FormatInfo> {
        Format::ALL.iter().map(|f| f.info()).collect()
    }
}

/// An import format as the shells show it: the app's menu and open dialog, the CLI's help.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct FormatInfo {
    pub format: Format,
    /// The name `kith import --format` takes (the same as `format`).
    pub name: &'static str,
    /// What it is called: "Twitter/X archive".
    pub label: &'static str,
    /// The file in a sentence: "this Twitter/X archive".
    pub noun: &'static str,
    /// One line saying what the file is and where it comes from.
    pub description: &'static str,
    /// The extensions its files come with, the usual one first.
    pub extensions: &'static [&'static str],
    /// Whether the file is mail, where the user's own addresses tell who wrote to whom.
    pub mail: bool,
}

/// Every extension a file Kith imports comes with, once each, for the open dialog's filter.
/// A compound one (`tar.gz`) is given by its last part, as dialogs match.
pub fn file_extensions() -> Vec<&'static str> {
    let mut all: Vec<&'static str> = Vec::new();
    for f in Format::ALL {
        for ext in f.extensions() {
            let last = ext.rsplit('.').next().unwrap_or(ext);
            if !all.contains(&last) {
                all.push(last);
            }
        }
    }
    // Detection reads the content, so a mailbox, vCard or CSV some program saved as text
    // imports as well.
    if !all.contains(&"txt") {
        all.push("txt");
    }
    all
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        let norm = s.trim().to_ascii_lowercase();
        let found = match norm.as_str() {
            "x" => Some(Format::Twitter),
            "vcf" => Some(Format::Vcard),
            "car" | "bsky" => Some(Format::Bluesky),
            "mail" => Some(Format::Mbox),
            "md" => Some(Format::Markdown),
            other => Format::ALL.into_iter().find(|f| f.as_str() == other),
        };
        found.ok_or_else(|| {
            let names: Vec<_> = Format::ALL.iter().map(|f| f.as_str()).collect();
            format!(
                "unknown format {s:?} (expected one of: {})",
                names.join(", ")
            )
        })
    }
}

/// How far a long import has come. `total` is `None` when it is not known in advance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct Progress {
    pub stage: String,
    // Counts stay far below 2^53, so they cross to TypeScript as plain numbers.
    #[specta(type = f64)]
    pub done: u64,
    #[specta(type = Option<f64>)]
    pub total: Option<u64>,
}

/// What the caller can say about an import.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Force the format instead of detecting it.
    pub format: Option<Format>,
    /// The user's own email addresses, added to the ones stored in the settings.
    pub my_emails: Vec<String>,
    /// Size limits; the defaults suit real exports.
    pub limits: Limits,
}

/// What an import did, or would do (a preview).
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct ImportOutcome {
    pub format: Format,
    /// Whether the records were written (false for a preview).
    pub committed: bool,
    pub report: ImportReport,
    /// Incoming contacts that were recognised as people already in the store (or earlier in
    /// the same file) and imported into them.
    pub merged: u32,
    /// Items in the file that are not interactions with anyone (a post mentioning nobody, a
    /// boost, a message with no known contact) and were left out.
    pub skipped: u32,
    /// A few of the things the import adds or merges, for people to check.
    pub examples: Vec<String>,
    /// What the import could not do and why (e.g. Twitter lists hold no members).
    pub notes: Vec<String>,
}

/// A preview is the outcome of an import that was rolled back.
pub type ImportPreview = ImportOutcome;

/// What an importer read from a file.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    pub records: Records,
    /// The user's settings and decisions, which only a Kith archive carries.
    pub decisions: Decisions,
    pub skipped: u32,
    pub notes: Vec<String>,
}

/// The stage reported while the records are written, after the file was read.
pub const WRITING_STAGE: &str = "writing to the store";

/// A progress callback; returning `false` cancels the import.
pub type ProgressFn<'a> = &'a mut dyn FnMut(Progress) -> bool;

/// Imports `path`, all or nothing.
pub fn import(
    store: &mut Store,
    path: &Path,
    options: &ImportOptions,
    now: DateTime<Utc>,
    progress: ProgressFn<'_>,
) -> Result<ImportOutcome> {
    run(store, path, options, now, progress, true)
}

/// What importing `path` would do, without changing the store: the import runs in a
/// transaction that is rolled back.
pub fn preview(
    store: &mut Store,
    path: &Path,
    options: &ImportOptions,
    now: DateTime<Utc>,
    progress: ProgressFn<'_>,
) -> Result<ImportPreview> {
    run(store, path, options, now, progress, false)
}

fn run(
    store: &mut Store,
    path: &Path,
    options: &ImportOptions,
    now: DateTime<Utc>,
    progress: ProgressFn<'_>,
    commit: bool,
) -> Result<ImportOutcome> {
    // A named pipe or a device is refused before anything opens it: reading a pipe waits
    // for a writer, forever if none comes.
    input::metadata(path, &path.display().to_string())?;
    let format = match options.format {
        Some(f) => f,
        None => detect(path, &options.limits)?,
    };
    let label = path.display().to_string();
    let parsed = parse(store, path, format, options, now, &mut *progress)?;
    let Parsed {
        records,
        decisions,
        skipped,
        mut notes,
    } = parsed;
    // Before anything is written, or the store copied: a field over the limit refuses the file.
    crate::text_limit::check_records(&records, &label)?;
    let mut examples = examples_of(&records, store);
    if commit {
        // A copy of the store as it was, so an unwanted import can be undone.
        crate::backup::before_import(store, now)?;
    }
    let mut writing = |done: u64, total: u64| {
        progress(Progress {
            stage: WRITING_STAGE.into(),
            done,
            total: Some(total),
        })
    };
    let MatchedImport { report, merges } = if format == Format::Json {
        // A Kith archive is a backup: it is restored by id, as it was exported. People who
        // share a handle in it are the people the user kept apart.
        MatchedImport {
            report: store.import_by_id(records, &decisions, &label, now, commit, &mut writing)?,
            merges: Vec::new(),
        }
    } else {
        store.import_matched(records, &label, now, commit, &mut writing)?
    };
    for m in merges.iter().take(5) {
        examples.push(format!("same person as {}: {}", m.into_name, m.reason));
    }
    if merges.len() > 5 {
        notes.push(format!(
            "{} more contacts were recognised as people already known",
            merges.len() - 5
        ));
    }
    Ok(ImportOutcome {
        format,
        committed: commit,
        report,
        merged: merges.len() as u32,
        skipped,
        examples,
        notes,
    })
}

fn examples_of(records: &Records, store: &Store) -> Vec<String> {
    let mut out: Vec<String> = records
        .contacts
        .iter()
        .take(3)
        .map(|c| {
            // Examples are for reading at a glance: a name can be any length in a file.
            let name = text::one_line(&c.name, 60);
            match c.handles.first() {
                Some(h) => format!(
                    "contact {name} ({} {})",
                    h.platform.as_str(),
                    text::one_line(&h.value, 60)
                ),
                None => format!("contact {name}"),
            }
        })
        .collect();
    let names: HashMap<&str, &str> = records
        .contacts
        .iter()
        .map(|c| (c.id.as_str(), c.name.as_str()))
        .collect();
    for i in records.interactions.iter().take(3) {
        let who: Vec<String> = i
            .contact_ids
            .iter()
            .map(|k| {
                // People already in the store are named from it, never by their key.
                let name = match names.get(k.as_str()) {
                    Some(n) => n.to_string(),
                    None => store
                        .contact(k)
                        .map(|c| c.name)
                        .unwrap_or_else(|_| "someone not in the file".to_string()),
                };
                text::one_line(&name, 40)
            })
            .collect();
        out.push(format!(
            "{} {} {} with {}: {}",
            i.occurred_at.format("%Y-%m-%d"),
            i.direction.as_str(),
            i.channel.label(),
            who.join(", "),
            text::one_line(&i.text, 60)
        ));
    }
    out
}

/// Reads and parses `path` as `format` without touching the store.
pub fn parse(
    store: &Store,
    path: &Path,
    format: Format,
    options: &ImportOptions,
    now: DateTime<Utc>,
    progress: ProgressFn<'_>,
) -> Result<Parsed> {
    let mut ctx = Ctx {
        label: path.display().to_string(),
        limits: options.limits.clone(),
        now,
        progress,
    };
    match format {
        Format::Twitter => twitter::parse(path, &mut ctx),
        Format::Mastodon => mastodon::parse(path, &mut ctx),
        Format::Vcard => vcard::parse(&input::read_file(path, &ctx)?, &mut ctx),
        Format::Linkedin => csvfile::parse_linkedin(&input::read_text_file(path, &ctx)?, &mut ctx),
        Format::Google => csvfile::parse_google(&input::read_text_file(path, &ctx)?, &mut ctx),
        Format::Csv => csvfile::parse_kith(&input::read_text_file(path, &ctx)?, &mut ctx),
        Format::Markdown => {
            let known = markdown::Known::new(&store.all_contacts()?);
            markdown::parse(path, &known, &mut ctx)
        }
        Format::Mbox | Format::Eml => {
            let mut me: Vec<String> = store.setting(MY_EMAILS_SETTING)?.unwrap_or_default();
            me.extend(options.my_emails.iter().cloned());
            let known = store.email_index()?;
            let bytes = input::read_file(path, &ctx)?;
            mail::parse(&bytes, format, &me, &known, &mut ctx)
        }
        Format::Bluesky => bluesky::parse(&input::read_file(path, &ctx)?, &mut ctx),
        Format::Json => {
            // An archive is Kith's own backup, read as a stream: no size limit applies, so
            // Kith reads back any archive it wrote.
            // Progress counts kilobytes read: the window shows "done of total" as they are.
            const STAGE: &str = "reading the archive (KB)";
            if !path.is_dir() {
                match jsonkind::classify(path)? {
                    // Damaged JSON is the archive reader's to place (line and column).
                    jsonkind::JsonKind::KithArchive | jsonkind::JsonKind::Unreadable => {}
                    other => return Err(jsonkind::not_an_archive(&ctx.label, &other)),
                }
            }
            ctx.tick(STAGE, 0, None)?;
            let (file, size) = input::open_file(path, &ctx)?;
            let label = ctx.label.clone();
            let max_records = ctx.limits.max_records;
            let mut archive = Archive::read_from_with(file, &label, max_records, &mut |read| {
                ctx.tick(STAGE, read.div_ceil(1024), Some(size.div_ceil(1024)))
            })?;
            let decisions = std::mem::take(&mut archive.decisions);
            Ok(Parsed {
                records: archive.into_records_at(now)?,
                decisions,
                ..Parsed::default()
            })
        }
    }
}

/// Works out the format from the file's content (zip entries, first bytes, CSV header,
/// `BEGIN:VCARD`, `From ` lines, the CAR header), falling back on the name only to break ties.
pub fn detect(path: &Path, limits: &Limits) -> Result<Format> {
    let label = path.display().to_string();
    let meta = input::metadata(path, &label)?;
    if meta.is_dir() {
        let twitter = [
            "data/account.js",
            "data/tweets.js",
            "data/tweet.js",
            "data/manifest.js",
        ];
        if twitter.iter().any(|f| path.join(f).is_file()) {
            return Ok(Format::Twitter);
        }
        if ["outbox.json", "actor.json"]
            .iter()
            .any(|f| path.join(f).is_file())
        {
            return Ok(Format::Mastodon);
        }
        if markdown::recognise_dir(path) {
            return Ok(Format::Markdown);
        }
        return Err(Error::bad_import(
            label,
            "the folder",
            "this folder is neither an unpacked Twitter/X archive (no data/account.js or data/tweets.js), an unpacked Mastodon archive (no outbox.json or actor.json) nor a folder of Kith notes",
        ));
    }
    let head = input::read_head(path, 8192)?;
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        let bundle = input::Bundle::open(path, limits)?;
        if twitter::recognise(&bundle) {
            return Ok(Format::Twitter);
        }
        if mastodon::recognise(&bundle) {
            return Ok(Format::Mastodon);
        }
        return Err(Error::bad_import(
            label,
            "the zip's entries",
            "this zip is neither a Twitter/X archive (data/tweets.js) nor a Mastodon archive (outbox.json)",
        ));
    }
    if head.starts_with(b"\x1f\x8b") {
        let bundle = input::Bundle::open(path, limits)?;
        if mastodon::recognise(&bundle) {
            return Ok(Format::Mastodon);
        }
        if twitter::recognise(&bundle) {
            return Ok(Format::Twitter);
        }
        return Err(Error::bad_import(
            label,
            "the archive's files",
            "this .tar.gz is not a Mastodon archive (no outbox.json or actor.json)",
        ));
    }
    if bluesky::recognise(&head) {
        return Ok(Format::Bluesky);
    }
    // A UTF-16 file (Outlook's "Unicode" vCards) is looked at as the text it holds.
    let text = vcard_text::utf16_head(&head).unwrap_or_else(|| String::from_utf8_lossy(&head));
    let text = text.trim_start_matches('\u{feff}').trim_start();
    let first_line = text.lines().next().unwrap_or("").trim();
    let upper = text
        .get(..text.len().min(200))
        .unwrap_or("")
        .to_ascii_uppercase();
    if upper.starts_with("BEGIN:VCARD") {
        return Ok(Format::Vcard);
    }
    if text.starts_with("From ") {
        return Ok(Format::Mbox);
    }
    if markdown::recognise(text) {
        return Ok(Format::Markdown);
    }
    if text.starts_with('{') || text.starts_with('[') {
        return match jsonkind::classify(path)? {
            jsonkind::JsonKind::KithArchive | jsonkind::JsonKind::Unreadable => Ok(Format::Json),
            jsonkind::JsonKind::Mastodon => Ok(Format::Mastodon),
            other => Err(jsonkind::not_an_archive(&label, &other)),
        };
    }
    if let Some(f) = csvfile::recognise(text) {
        return Ok(f);
    }
    let file_name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let whole_lines = if head.len() == 8192 {
        text.rsplit_once('\n').map_or(text, |(a, _)| a)
    } else {
        text
    };
    if mail::looks_like_message(text) {
        return Ok(Format::Eml);
    }
    if mastodon::classify_csv(whole_lines, file_name).is_some() {
        return Ok(Format::Mastodon);
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let by_name = match ext.as_str() {
        "vcf" | "vcard" => Some(Format::Vcard),
        "mbox" => Some(Format::Mbox),
        "eml" => Some(Format::Eml),
        "car" => Some(Format::Bluesky),
        "json" => Some(Format::Json),
        "md" | "markdown" => Some(Format::Markdown),
        _ => None,
    };
    by_name.ok_or_else(|| {
        Error::bad_import(
            label,
            "the first line",
            format!(
                "Kith does not recognise this file ({:?}); name its format with --format",
                text::one_line(first_line, 60)
            ),
        )
    })
}

/// What every importer carries: the file's name for messages, the limits, the time, progress.
pub(crate) struct Ctx<'a> {
    pub label: String,
    pub limits: Limits,
    pub now: DateTime<Utc>,
    progress: ProgressFn<'a>,
}

impl<'a> Ctx<'a> {
    /// A context for reading `label` outside an import of a file (a repository a sync
    /// fetched), so it is read exactly as an import reads it.
    #[cfg_attr(not(feature = "connect"), allow(dead_code))]
    pub fn new(
        label: String,
        limits: Limits,
        now: DateTime<Utc>,
        progress: ProgressFn<'a>,
    ) -> Ctx<'a> {
        Ctx {
            label,
            limits,
            now,
            progress,
        }
    }

    /// Reports progress; an `Err` when the user cancelled.
    pub fn tick(&mut self, stage: &str, done: u64, total: Option<u64>) -> Result<()> {
        let go_on = (self.progress)(Progress {
            stage: stage.to_string(),
            done,
            total,
        });
        if go_on {
            Ok(())
        } else {
            Err(Error::Cancelled(format!(
                "{}: import cancelled; nothing was imported",
                self.label
            )))
        }
    }

    /// Ticks every `every` items only, so tight loops stay cheap.
    pub fn tick_every(&mut self, stage: &str, done: u64, total: Option<u64>) -> Result<()> {
        if done.is_multiple_of(500) {
            self.tick(stage, done, total)
        } else {
            Ok(())
        }
    }

    pub fn bad(&self, place: impl Into<String>, message: impl Into<String>) -> Error {
        Error::bad_import(&self.label, place, message)
    }
}

/// Collects the contacts and interactions an importer finds, keyed, in file order.
///
/// Handles and tags are added through [`Person`], which finds a repeat in a set: a contact
/// given the same address a hundred thousand times costs a hundred thousand steps, not their
/// square. What goes wrong on the way (a contact with more than [`MAX_HANDLES`] handles) is
/// kept until the importer calls [`Batch::check`] with the place it has reached.
pub(crate) struct Batch {
    now: DateTime<Utc>,
    contacts: Vec<Contact>,
    seen: Vec<Seen>,
    index: HashMap<String, usize>,
    interactions: Vec<Interaction>,
    interaction_keys: HashSet<String>,
    problem: Option<String>,
    pub skipped: u32,
    pub notes: Vec<String>,
}

impl Batch {
    pub fn new(now: DateTime<Utc>) -> Batch {
        Batch {
            now,
            contacts: Vec::new(),
            seen: Vec::new(),
            index: HashMap::new(),
            interactions: Vec::new(),
            interaction_keys: HashSet::new(),
            problem: None,
            skipped: 0,
            notes: Vec::new(),
        }
    }

    pub fn has_contact(&self, key: &str) -> bool {
        self.index.contains_key(key)
    }

    /// The contact with `key`, created with `name` if new.
    pub fn contact(&mut self, key: &str, name: &str) -> Person<'_> {
        let n = match self.index.get(key) {
            Some(n) => *n,
            None => {
                self.contacts.push(new_contact(key, name, self.now));
                self.seen.push(Seen::default());
                self.index.insert(key.to_string(), self.contacts.len() - 1);
                self.contacts.len() - 1
            }
        };
        Person {
            contact: &mut self.contacts[n],
            seen: &mut self.seen[n],
            problem: &mut self.problem,
        }
    }

    /// The contact with `key`, if the batch has it.
    pub fn get_mut(&mut self, key: &str) -> Option<Person<'_>> {
        let n = *self.index.get(key)?;
        Some(Person {
            contact: self.contacts.get_mut(n)?,
            seen: self.seen.get_mut(n)?,
            problem: &mut self.problem,
        })
    }

    /// Adds an interaction unless one with the same key is already there.
    pub fn interaction(&mut self, i: Interaction) {
        if self.interaction_keys.insert(i.id.clone()) {
            self.interactions.push(i);
        }
    }

    /// Fails, naming `place`, if what the importer added since the last check broke a limit.
    pub fn check(&mut self, ctx: &Ctx<'_>, place: impl FnOnce() -> String) -> Result<()> {
        match self.problem.take() {
            Some(problem) => Err(ctx.bad(place(), problem)),
            None => Ok(()),
        }
    }

    pub fn finish(self) -> Parsed {
        Parsed {
            records: Records {
                contacts: self.contacts,
                interactions: self.interactions,
                events: Vec::new(),
            },
            decisions: Decisions::default(),
            skipped: self.skipped,
            notes: self.notes,
        }
    }
}

/// The handles (as matching compares them) and tags (ignoring ASCII case) a contact of a
/// batch has, to find a repeat at once.
#[derive(Default)]
struct Seen {
    handles: HashSet<(Platform, String)>,
    tags: HashSet<String>,
}

/// One contact of a [`Batch`]. Its fields are set through `Deref`; handles and tags are added
/// with the methods, which leave out repeats.
pub(crate) struct Person<'b> {
    contact: &'b mut Contact,
    seen: &'b mut Seen,
    problem: &'b mut Option<String>,
}

impl Person<'_> {
    /// Adds a handle unless the contact already has it. A contact already holding
    /// [`MAX_HANDLES`] takes no more, and the batch's next check fails.
    pub fn add_handle(&mut self, platform: Platform, value: &str) {
        let value = value.trim();
        if value.is_empty() {
            return;
        }
        if self.contact.handles.len() >= MAX_HANDLES {
            let norm = (platform, crate::store::normalize_handle(value));
            if !self.seen.handles.contains(&norm) && self.problem.is_none() {
                *self.problem = Some(crate::store::too_many_handles());
            }
            return;
        }
        if self
            .seen
            .handles
            .insert((platform, crate::store::normalize_handle(value)))
        {
            self.contact.handles.push(Handle {
                platform,
                value: value.to_string(),
            });
        }
    }

    /// Adds a tag unless the contact has it already (in any ASCII case).
    pub fn add_tag(&mut self, tag: &str) {
        let tag = tag.trim();
        if !tag.is_empty() && self.seen.tags.insert(tag.to_ascii_lowercase()) {
            self.contact.tags.push(tag.to_string());
        }
    }

    pub fn has_tag(&self, tag: &str) -> bool {
        self.seen.tags.contains(&tag.trim().to_ascii_lowercase())
    }

    pub fn remove_tag(&mut self, tag: &str) {
        let folded = tag.trim().to_ascii_lowercase();
        if self.seen.tags.remove(&folded) {
            self.contact
                .tags
                .retain(|t| !t.trim().eq_ignore_ascii_case(&folded));
        }
    }

    /// Makes the contact `c`, keeping the batch's key; its handles and tags are added as
    /// [`Person::add_handle`] and [`Person::add_tag`] add them.
    pub fn replace(&mut self, mut c: Contact) {
        let handles = std::mem::take(&mut c.handles);
        let tags = std::mem::take(&mut c.tags);
        c.id = std::mem::take(&mut self.contact.id);
        *self.contact = c;
        *self.seen = Seen::default();
        for h in handles {
            self.add_handle(h.platform, &h.value);
        }
        for t in tags {
            self.add_tag(&t);
        }
    }
}

impl std::ops::Deref for Person<'_> {
    type Target = Contact;
    fn deref(&self) -> &Contact {
        self.contact
    }
}

impl std::ops::DerefMut for Person<'_> {
    fn deref_mut(&mut self) -> &mut Contact {
        self.contact
    }
}

/// The people of one interaction (or the ids of one conversation), each once, in the order
/// first named; a repeat is found in a set, so a post naming the same people over and over
/// costs the number of names.
#[derive(Default)]
pub(crate) struct Participants {
    keys: Vec<String>,
    seen: HashSet<String>,
}

impl Participants {
    pub fn add(&mut self, key: &str) {
        if !self.seen.contains(key) {
            self.seen.insert(key.to_string());
            self.keys.push(key.to_string());
        }
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    pub fn keys(&self) -> &[String] {
        &self.keys
    }

    pub fn into_keys(self) -> Vec<String> {
        self.keys
    }
}

pub(crate) fn new_contact(key: &str, name: &str, now: DateTime<Utc>) -> Contact {
    Contact {
        id: key.to_string(),
        name: name.to_string(),
        handles: Vec::new(),
        organisation: String::new(),
        location: String::new(),
        met_where: String::new(),
        met_on: None,
        met_through: String::new(),
        notes: String::new(),
        private_notes: String::new(),
        tags: Vec::new(),
        expertise: Vec::new(),
        roles: Vec::new(),
        cadence_days: None,
        dates: Vec::new(),
        created_at: now,
        updated_at: now,
    }
}

/// The name given to an account known only by its id, until a later import finds its name.
pub(crate) fn unnamed(id: &str) -> String {
    format!("unnamed account {id}")
}
