//! `kith accounts add|list|remove` and `kith sync`: connected accounts from the terminal.
//!
//! A mailbox's password (a Bluesky account's app password, an address book's password) comes from `KITH_ACCOUNT_PASSWORD` when it is set (scripts, tests),
//! else from where Kith keeps it (the system's secret store, or inside a store locked with a
//! passphrase), else it is asked for on the terminal. A Mastodon account's access token comes
//! from signing in (the server's page shows a code to paste back), or from
//! `KITH_ACCOUNT_TOKEN`, and is kept the same way. Neither is ever printed or written to the
//! store file in plaintext.

use crate::interrupt::Interrupt;
use crate::output::{one_line, print_json};
use crate::{say, tell};
use chrono::{DateTime, Local, Utc};
use clap::{Args, Subcommand};
use kith_core::accounts::mastodon::{self, oauth};
use kith_core::accounts::{
    self, AccountSettings, AccountView, BlueskySettings, CalDavSettings, CardDavSettings, DavScope,
    FeedOwner, FeedSettings, ImapSecurity, ImapSettings, NewAccount, Secret, SyncReport,
};
use kith_core::session::Session;
use kith_core::Error;
use serde::Serialize;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

/// The environment variable that holds a mailbox's password for `kith accounts add` and
/// `kith sync`.
pub const PASSWORD_ENV: &str = "KITH_ACCOUNT_PASSWORD";

/// The environment variable that holds a Mastodon account's access token for
/// `kith accounts add mastodon --token-from-env` and `kith sync`.
pub const TOKEN_ENV: &str = "KITH_ACCOUNT_TOKEN";

#[derive(Args)]
pub struct AccountsArgs {
    #[command(subcommand)]
    action: Action,
}

#[derive(Subcommand)]
enum Action {
    /// Connect an account: a mailbox (imap), a blog's feed (feed), Mastodon (mastodon),
    /// Bluesky (bluesky), an address book (carddav) or a calendar (caldav).
    Add {
        #[command(subcommand)]
        kind: AddKind,
    },
    /// The connected accounts: kind, name, last sync, last error.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Disconnect an account and forget its password. What it brought stays.
    Remove { name: String },
}

#[derive(Subcommand)]
enum AddKind {
    /// A mailbox over IMAP. The password comes from KITH_ACCOUNT_PASSWORD or is asked for,
    /// and is kept in the system's secret store when there is one.
    Imap {
        /// What to call the account, e.g. "Work mail".
        name: String,
        /// The IMAP server, e.g. imap.example.org.
        #[arg(long)]
        host: String,
        /// Default: 993 with --security tls, 143 with starttls.
        #[arg(long)]
        port: Option<u16>,
        /// The user name to log in with.
        #[arg(long)]
        user: String,
        /// Your own address on this mailbox (repeat for several); tells sent from received.
        /// Default: the user name when it is an address, and the addresses Kith knows as yours.
        #[arg(long = "address", value_name = "ME")]
        addresses: Vec<String>,
        /// tls (from the first byte), starttls, or plain (only to a server on this machine).
        #[arg(long, default_value = "tls",
              value_parser = clap::builder::PossibleValuesParser::new(["tls", "starttls", "plain"]))]
        security: String,
        /// A PEM file of certificates to trust (a server with a self-signed certificate).
        #[arg(long, value_name = "PEM")]
        ca_file: Option<PathBuf>,
        /// A folder to read (repeat for several). Default: the inbox and the sent folder.
        #[arg(long = "folder", value_name = "F")]
        folders: Vec<String>,
    },
    /// A blog's RSS or Atom feed: a contact's (their posts go on their timeline) or your
    /// own (comments on it are conversations with the commenters).
    Feed {
        name: String,
        /// The feed's address (http:// or https://).
        #[arg(long)]
        url: String,
        /// Whose blog it is.
        #[arg(
            long,
            value_name = "NAME",
            conflicts_with = "mine",
            required_unless_present = "mine"
        )]
        contact: Option<String>,
        /// It is your own blog.
        #[arg(long)]
        mine: bool,
    },
    /// A Mastodon account. Kith registers itself on the server, prints the address of the
    /// server's sign-in page, and reads the code that page shows; Kith only ever reads.
    Mastodon {
        name: String,
        /// The server, e.g. https://glammr.us.
        #[arg(long)]
        server: String,
        /// Take an access token from KITH_ACCOUNT_TOKEN instead of signing in (one made in
        /// the server's Preferences › Development, with read scopes).
        #[arg(long)]
        token_from_env: bool,
    },
    /// A Bluesky account: your posts, the replies, mentions and quotes of the people you
    /// follow or talk with, read from their repositories. Needs an app password (Bluesky's
    /// Settings → Privacy and security → App passwords), from KITH_ACCOUNT_PASSWORD or asked
    /// for; Kith signs in once to check it and find your DID and PDS.
    Bluesky {
        name: String,
        /// Your handle, e.g. ann.bsky.social.
        #[arg(long)]
        handle: String,
        /// Your PDS (its https:// address). Default: found from the handle.
        #[arg(long, value_name = "URL")]
        service: Option<String>,
        /// The DID PLC directory. Default: https://plc.directory.
        #[arg(long, value_name = "URL")]
        plc: Option<String>,
    },
    /// An address book on a CardDAV server (Nextcloud, Radicale, Fastmail, iCloud…), synced
    /// both ways: Kith's contacts go there, edits and new cards made there come back. The
    /// password comes from KITH_ACCOUNT_PASSWORD or is asked for.
    Carddav {
        name: String,
        /// The server's address, or the address book's own (https://; http only to this
        /// machine).
        #[arg(long)]
        url: String,
        /// The user name to sign in with.
        #[arg(long)]
        user: String,
        /// Which contacts go there: all, or tag:T for those with the tag T.
        #[arg(long, default_value = "all", value_name = "all|tag:T")]
        scope: String,
        /// Send private notes too (by default what goes out is what a vCard export shares).
        #[arg(long)]
        include_private: bool,
    },
    /// A calendar on a CalDAV server that Kith writes to: accepted plans with a due date and
    /// keep-in-touch dates as to-dos, birthdays, anniversaries and events as events. A to-do
    /// ticked off there marks the plan done in Kith. The password comes from
    /// KITH_ACCOUNT_PASSWORD or is asked for.
    Caldav {
        name: String,
        /// The server's address, or the calendar's own (https://; http only to this machine).
        #[arg(long)]
        url: String,
        /// The user name to sign in with.
        #[arg(long)]
        user: String,
        /// The calendar's name (its address's last part or the name it shows). Default: the
        /// first calendar the server lists.
        #[arg(long, value_name = "NAME")]
        calendar: Option<String>,
    },
}

#[derive(Args)]
pub struct SyncArgs {
    /// The accounts to sync (default: all of them).
    names: Vec<String>,
    #[arg(long)]
    json: bool,
}

/// `KITH_ACCOUNT_PASSWORD`, when it is set and not empty.
fn password_from_env() -> Result<Option<Secret>, Error> {
    match std::env::var_os(PASSWORD_ENV) {
        Some(v) if v.is_empty() => Ok(None),
        Some(v) => v
            .into_string()
            .map(|s| Some(Secret::new(s)))
            .map_err(|_| Error::invalid(format!("{PASSWORD_ENV} is not valid UTF-8 text"))),
        None => Ok(None),
    }
}

/// `KITH_ACCOUNT_TOKEN`, when it is set and not empty.
fn token_from_env() -> Result<Option<Secret>, Error> {
    match std::env::var_os(TOKEN_ENV) {
        Some(v) if v.is_empty() => Ok(None),
        Some(v) => v
            .into_string()
            .map(|s| Some(Secret::new(s.trim())))
            .map_err(|_| Error::invalid(format!("{TOKEN_ENV} is not valid UTF-8 text"))),
        None => Ok(None),
    }
}

fn ask_password(name: &str) -> Result<Option<Secret>, Error> {
    if !std::io::stdin().is_terminal() {
        return Ok(None);
    }
    let text = rpassword::prompt_password(format!("Password for the account {name:?}: "))
        .map_err(|e| Error::invalid(format!("cannot read the password from the terminal: {e}")))?;
    Ok(Some(Secret::new(text)).filter(|s| !s.expose().is_empty()))
}

pub fn run(session: &Session, args: AccountsArgs, now: DateTime<Utc>) -> Result<(), Error> {
    match args.action {
        Action::Add { kind } => add(session, kind, now),
        Action::List { json } => {
            let list = session.read(|s| s.accounts())?;
            if json {
                print_json(&list);
            } else if list.is_empty() {
                say!("No accounts. Connect one with `kith accounts add imap …`, `kith accounts add feed …` or `kith accounts add mastodon …`.");
            } else {
                for a in &list {
                    say!("{}", account_line(a));
                }
            }
            Ok(())
        }
        Action::Remove { name } => {
            let account = session.read(move |s| s.account(&name))?;
            let secrets = accounts::secrets_for(session);
            if let Err(e) = accounts::forget_secret(secrets.as_ref(), &account.id) {
                tell!(
                    "kith: the password of {:?} could not be forgotten: {e}",
                    account.name
                );
            }
            let id = account.id.clone();
            session.write(move |s| s.remove_account(&id))?;
            say!(
                "Removed the account {:?}; what it brought stays.",
                account.name
            );
            Ok(())
        }
    }
}

fn when(t: DateTime<Utc>) -> String {
    t.with_timezone(&Local).format("%Y-%m-%d %H:%M").to_string()
}

fn account_line(a: &AccountView) -> String {
    let what = match &a.settings {
        AccountSettings::Imap(s) => format!("{}@{}:{}", s.user, s.host, s.port),
        AccountSettings::Feed(f) => f.url.clone(),
        AccountSettings::Mastodon(m) => format!("@{} on {}", m.acct, m.server),
        AccountSettings::Bluesky(b) => match b.service.as_str() {
            "" => format!("@{}", b.handle),
            pds => format!("@{} on {pds}", b.handle),
        },
        AccountSettings::Carddav(c) => format!("{} at {}", c.user, c.url),
        AccountSettings::Caldav(c) => format!("{} at {}", c.user, c.url),
    };
    let last = match a.last_sync_at {
        Some(t) => format!(
            "last synced {}: {} added, {} updated, {} new people",
            when(t),
            a.last_added,
            a.last_updated,
            a.last_new_people
        ),
        None => "never synced".into(),
    };
    let error = match &a.last_error {
        Some(e) => format!("; last error: {} [{}]", e.message, e.code),
        None => String::new(),
    };
    format!(
        "{:<5} {:<24} {:<40} {last}{error}",
        a.kind.as_str(),
        one_line(&a.name, 24),
        one_line(&what, 40)
    )
}

fn add(session: &Session, kind: AddKind, now: DateTime<Utc>) -> Result<(), Error> {
    if let AddKind::Mastodon {
        name,
        server,
        token_from_env,
    } = kind
    {
        return add_mastodon(session, name, &server, token_from_env, now);
    }
    let (name, settings, needs_password) = match kind {
        AddKind::Bluesky {
            name,
            handle,
            service,
            plc,
        } => return add_bluesky(session, name, handle, service, plc, now),
        AddKind::Imap {
            name,
            host,
            port,
            user,
            addresses,
            security,
            ca_file,
            folders,
        } => {
            let security = match security.as_str() {
                "starttls" => ImapSecurity::Starttls,
                "plain" => ImapSecurity::PlainLocalhostOnly,
                _ => ImapSecurity::Tls,
            };
            let port = port.unwrap_or(match security {
                ImapSecurity::Tls => 993,
                _ => 143,
            });
            let ca_file = match ca_file {
                Some(path) => {
                    let full = std::fs::canonicalize(&path).map_err(|e| Error::io(&path, e))?;
                    Some(full.display().to_string())
                }
                None => None,
            };
            let settings = AccountSettings::Imap(ImapSettings {
                host,
                port,
                user,
                security,
                ca_file,
                folders,
                addresses,
            });
            (name, settings, true)
        }
        AddKind::Feed {
            name,
            url,
            contact,
            mine,
        } => {
            let owner = match contact {
                Some(contact) if !mine => {
                    let (id, _) = session.read(move |s| crate::resolve_contact(s, &contact))?;
                    FeedOwner::Contact(id)
                }
                _ => FeedOwner::Mine,
            };
            (
                name,
                AccountSettings::Feed(FeedSettings { url, owner }),
                false,
            )
        }
        AddKind::Carddav {
            name,
            url,
            user,
            scope,
            include_private,
        } => {
            let scope = match scope.trim() {
                "all" => DavScope::All,
                other => match other.strip_prefix("tag:") {
                    Some(tag) => DavScope::Tag {
                        tag: tag.to_string(),
                    },
                    None => {
                        return Err(Error::invalid(format!(
                            "account {name:?}: --scope must be all or tag:T, not {other:?}"
                        )))
                    }
                },
            };
            let settings = AccountSettings::Carddav(CardDavSettings {
                url,
                user,
                scope,
                include_private,
                address_book: String::new(),
            });
            (name, settings, true)
        }
        AddKind::Caldav {
            name,
            url,
            user,
            calendar,
        } => {
            let settings = AccountSettings::Caldav(CalDavSettings {
                url,
                user,
                calendar: calendar.unwrap_or_default(),
            });
            (name, settings, true)
        }
        AddKind::Mastodon { .. } => unreachable!("added above"),
    };
    // The password is asked for before anything is stored, so a mistake typed there leaves
    // nothing half made.
    let password = if needs_password {
        match password_from_env()? {
            Some(p) => Some(p),
            None => ask_password(&name)?,
        }
    } else {
        None
    };
    let account = NewAccount { name, settings };
    let added = session.write(move |s| s.add_account(account, now))?;
    say!(
        "Added the account {:?} ({}).",
        added.name,
        added.kind.as_str()
    );
    if let Some(password) = password {
        let secrets = accounts::secrets_for(session);
        match accounts::keep_secret(session, &added.id, secrets.as_ref(), &password) {
            Ok(()) => say!("Its password is kept in {}.", where_kept(session)),
            Err(e) => say!(
                "Its password is not kept: {e}. Each sync needs it ({PASSWORD_ENV}, or asked on the terminal)."
            ),
        }
    } else if needs_password {
        say!("No password given: each sync needs it ({PASSWORD_ENV}, or asked on the terminal).");
    }
    Ok(())
}

/// Signs in to a Mastodon server (or takes the token given) and connects the account. The
/// name is checked first and nothing is stored until the sign-in worked.
fn add_mastodon(
    session: &Session,
    name: String,
    server: &str,
    from_env: bool,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    let wanted = name.clone();
    if session.read(move |s| s.account(&wanted)).is_ok() {
        return Err(Error::invalid(format!(
            "an account is already called {name:?}; choose another name"
        )));
    }
    let limits = mastodon::Limits::default();
    let server = accounts::registry::mastodon_server(&name, server)?;
    let token = if from_env {
        token_from_env()?.ok_or_else(|| {
            Error::invalid(format!(
                "account {name:?}: --token-from-env was given but {TOKEN_ENV} is not set"
            ))
        })?
    } else {
        let sign_in = oauth::start(&name, &server, oauth::OUT_OF_BAND, &limits)?;
        say!("Open this address in a browser, sign in and allow Kith (it only reads):");
        say!("{}", sign_in.authorize_url);
        say!("Then paste the code the page shows here:");
        let mut code = String::new();
        std::io::stdin()
            .read_line(&mut code)
            .map_err(|e| Error::invalid(format!("cannot read the code: {e}")))?;
        oauth::finish(&name, &sign_in, &code, &limits)?
    };
    let settings = oauth::verify(&name, &server, &token, &limits)?;
    let acct = settings.acct.clone();
    let account = NewAccount {
        name,
        settings: AccountSettings::Mastodon(settings),
    };
    let added = session.write(move |s| s.add_account(account, now))?;
    say!(
        "Added the account {:?} (mastodon): signed in as @{acct}.",
        added.name
    );
    let secrets = accounts::secrets_for(session);
    match accounts::keep_secret(session, &added.id, secrets.as_ref(), &token) {
        Ok(()) => say!("Its access token is kept in {}.", where_kept(session)),
        Err(e) => say!("Its access token is not kept: {e}. Each sync needs it in {TOKEN_ENV}."),
    }
    Ok(())
}

/// Adds a Bluesky account: its settings checked, then one sign-in with the app password
/// (which finds the DID and the PDS, and refuses a wrong password) before anything is kept.
fn add_bluesky(
    session: &Session,
    name: String,
    handle: String,
    service: Option<String>,
    plc: Option<String>,
    now: DateTime<Utc>,
) -> Result<(), Error> {
    let account = NewAccount {
        name,
        settings: AccountSettings::Bluesky(BlueskySettings {
            handle,
            did: String::new(),
            service: service.unwrap_or_default(),
            plc: plc.unwrap_or_default(),
        }),
    };
    let account = session.read(move |s| accounts::registry::validate(account, s))?;
    let AccountSettings::Bluesky(settings) = &account.settings else {
        unreachable!("validated as the kind it was given");
    };
    let password = match password_from_env()? {
        Some(p) => p,
        None => ask_password(&account.name)?.ok_or_else(|| {
            Error::invalid(format!(
                "account {:?}: an app password is needed to sign in; set {PASSWORD_ENV} or \
                 run kith in a terminal to be asked",
                account.name
            ))
        })?,
    };
    let settings = accounts::bluesky::connect(&account.name, settings, &password)?;
    say!(
        "Signed in as @{} ({}) on {}.",
        settings.handle,
        settings.did,
        settings.service
    );
    let account = NewAccount {
        name: account.name,
        settings: AccountSettings::Bluesky(settings),
    };
    let added = session.write(move |s| s.add_account(account, now))?;
    say!("Added the account {:?} (bluesky).", added.name);
    let secrets = accounts::secrets_for(session);
    match accounts::keep_secret(session, &added.id, secrets.as_ref(), &password) {
        Ok(()) => say!("Its app password is kept in {}.", where_kept(session)),
        Err(e) => say!(
            "Its app password is not kept: {e}. Each sync needs it ({PASSWORD_ENV}, or asked on the terminal)."
        ),
    }
    Ok(())
}

fn where_kept(session: &Session) -> &'static str {
    if session.passphrase().is_some() && !accounts::SystemSecrets::available() {
        "the store, locked with its passphrase"
    } else {
        "the system's secret store"
    }
}

/// One account's line of `kith sync --json`.
#[derive(Serialize)]
struct SyncLine<'a> {
    name: &'a str,
    added: u32,
    updated: u32,
    new_people: u32,
    notes: &'a [String],
    error: Option<&'a kith_core::PublicError>,
}

#[derive(Serialize)]
struct SyncOutput<'a> {
    accounts: Vec<SyncLine<'a>>,
}

/// Whether a sync of some account failed in this run (its exit status is then not zero).
static SOME_FAILED: AtomicBool = AtomicBool::new(false);

pub fn some_failed() -> bool {
    SOME_FAILED.load(Ordering::SeqCst)
}

/// `kith sync`: syncs the named accounts (or all), one after the other, and tells what each
/// brought; an account that failed is told on standard error and makes the exit status 1.
/// Ctrl-C stops the sync under way (it writes nothing) and the ones after it (status 130).
pub fn sync(session: &Session, args: SyncArgs, now: DateTime<Utc>) -> Result<(), Error> {
    let names: Vec<String> = if args.names.is_empty() {
        session
            .read(|s| s.accounts())?
            .into_iter()
            .map(|a| a.name)
            .collect()
    } else {
        // Every name is checked before any account syncs.
        let wanted = args.names.clone();
        session.read(move |s| {
            wanted
                .iter()
                .map(|n| s.account(n).map(|a| a.name))
                .collect::<Result<Vec<_>, _>>()
        })?
    };
    let secrets = accounts::secrets_for(session);
    let from_env = password_from_env()?;
    // Every password is asked for before any account syncs, so that Ctrl-C during a sync
    // never finds the terminal waiting for one (with its echo off).
    let mut to_sync = Vec::new();
    for name in &names {
        let n = name.clone();
        let account = session.read(move |s| s.account(&n))?;
        let mut password = from_env.clone();
        if matches!(account.settings, AccountSettings::Mastodon(_)) {
            password = token_from_env()?;
        }
        if password.is_none()
            && matches!(
                account.settings,
                AccountSettings::Imap(_)
                    | AccountSettings::Bluesky(_)
                    | AccountSettings::Carddav(_)
                    | AccountSettings::Caldav(_)
            )
            && secrets.get(&account.id).ok().flatten().is_none()
        {
            password = ask_password(&account.name)?;
        }
        to_sync.push((account, password));
    }
    let talk = !args.json && std::io::stderr().is_terminal();
    let interrupt = Interrupt::install();
    let mut reports: Vec<SyncReport> = Vec::new();
    let mut stopped = None;
    for (account, password) in to_sync {
        if talk {
            tell!("Syncing {}…", account.name);
        }
        match accounts::sync(
            session,
            &account.id,
            secrets.as_ref(),
            password,
            now,
            &mut |_| !interrupt.requested(),
        ) {
            Ok(report) => reports.push(report),
            // Ctrl-C: what the accounts before this one brought is kept and told.
            Err(e @ Error::Cancelled(_)) => {
                stopped = Some(e);
                break;
            }
            Err(e) => return Err(e),
        }
    }
    if args.json {
        print_json(&SyncOutput {
            accounts: reports
                .iter()
                .map(|r| SyncLine {
                    name: &r.name,
                    added: r.added,
                    updated: r.updated,
                    new_people: r.new_people,
                    notes: &r.notes,
                    error: r.error.as_ref(),
                })
                .collect(),
        });
    } else if reports.is_empty() {
        say!("No accounts to sync. Connect one with `kith accounts add`.");
    } else {
        for r in &reports {
            match &r.error {
                None => {
                    say!(
                        "{}: {} added, {} updated, {} new people",
                        r.name,
                        r.added,
                        r.updated,
                        r.new_people
                    );
                    for note in &r.notes {
                        say!("  {}", one_line(note, 300));
                    }
                }
                Some(e) => say!("{}: not synced: {} [{}]", r.name, e.message, e.code),
            }
        }
    }
    for r in &reports {
        if let Some(e) = &r.error {
            tell!("kith: {} [{}]", e.message, e.code);
            SOME_FAILED.store(true, Ordering::SeqCst);
        }
    }
    match stopped {
        Some(e) => Err(e),
        None => Ok(()),
    }
}
