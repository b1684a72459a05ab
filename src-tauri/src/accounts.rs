//! Connected accounts from the app: adding a mailbox, a feed or a Mastodon account (signed in
//! through the browser), syncing now with progress and
//! Cancel, removing, how often the schedule syncs, and the New people inbox. Each command is a
//! few lines over `kith_core::accounts`; syncs run off the main thread through the session's
//! one writer, taking turns with the background schedule (`sync_schedule`).

use crate::db::{off_main, Db};
use crate::sync_schedule::{Schedule, SyncGate, Syncer, TICK};
use chrono::{DateTime, Utc};
use kith_core::accounts::mastodon;
use kith_core::accounts::{
    self, AccountSettings, AccountView, BlueskySettings, FeedSettings, ImapSettings, NewAccount,
    NewPerson, NoSecrets, Secret, Secrets, StoreSecrets, SyncReport, SystemSecrets, DEFAULT_EVERY,
    SYNC_EVERY_SETTING,
};
use kith_core::domain::Contact;
use kith_core::import::Progress;
use kith_core::session::Session;
use kith_core::{Code, PublicError};
use serde::{Deserialize, Serialize};
use specta::Type;
use std::sync::{Arc, Mutex, OnceLock};
use tauri::ipc::Channel;
use tauri::State;

type Reply<T> = Result<T, PublicError>;

/// The shortest and longest interval, in minutes, the user may choose: servers do not welcome
/// being asked more often than every few minutes, and once a day is the least that keeps the
/// network up to date.
pub const SYNC_EVERY_RANGE: std::ops::RangeInclusive<u32> = 5..=1440;

/// Where a password given for an account is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum PasswordKeeping {
    /// The system's secret store (Secret Service, Keychain, Credential Manager).
    System,
    /// Inside the store, which is encrypted with the user's passphrase.
    EncryptedStore,
    /// Nowhere: it is asked for at each sync, and such an account is not synced in the
    /// background.
    Asked,
}

/// How far a sync has come, for the window's progress bar.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct SyncProgress {
    /// The account being synced.
    pub account: String,
    /// What it is doing, in a few words.
    pub stage: String,
    // Counts stay far below 2^53, so they cross to TypeScript as plain numbers.
    #[specta(type = f64)]
    pub done: u64,
    /// How many there are to do, when known.
    #[specta(type = Option<f64>)]
    pub total: Option<u64>,
}

/// The app's side of syncing: the turn all syncs take, where passwords are kept, and whom to
/// tell of background syncs.
#[derive(Clone)]
pub struct Syncing {
    gate: SyncGate,
    /// The system's secret store, when this machine has one that answers: asked the first
    /// time a password is kept or read, off the main thread (over D-Bus, an absent secret
    /// service can take a while to say so).
    system: Arc<OnceLock<Option<Arc<dyn Secrets>>>>,
    watcher: Arc<Mutex<Option<Channel<SyncReport>>>>,
    schedule: Arc<Mutex<Option<Schedule>>>,
}

impl Syncing {
    pub fn new() -> Syncing {
        Syncing {
            gate: SyncGate::default(),
            system: Arc::new(OnceLock::new()),
            watcher: Arc::new(Mutex::new(None)),
            schedule: Arc::new(Mutex::new(None)),
        }
    }

    /// Where passwords go now: the system's secret store; else the store itself, when it is
    /// locked with a passphrase; else nowhere. Call it off the main thread.
    fn secrets(&self, db: &Db) -> (PasswordKeeping, Arc<dyn Secrets>) {
        let system = self
            .system
            .get_or_init(|| {
                SystemSecrets::available().then(|| Arc::new(SystemSecrets) as Arc<dyn Secrets>)
            })
            .clone();
        keeping(system, db.session(), db.passphrase().is_some())
    }

    /// Starts the background schedule over the app's session.
    pub fn start_schedule(&self, db: &Db) {
        let syncer = SessionSyncer {
            db: db.clone(),
            syncing: self.clone(),
        };
        let watcher = self.watcher.clone();
        let schedule = Schedule::start(syncer, self.gate.clone(), TICK, move |report| {
            let mut watcher = watcher.lock().unwrap_or_else(|p| p.into_inner());
            // A window that went away takes no more reports; its reload asks again.
            if let Some(channel) = &*watcher {
                if channel.send(report.clone()).is_err() {
                    *watcher = None;
                }
            }
        });
        *self.schedule.lock().unwrap_or_else(|p| p.into_inner()) = Some(schedule);
    }

    /// Stops the background schedule, cancelling a sync it is running; for the app's exit.
    pub fn stop_schedule(&self) {
        let schedule = self
            .schedule
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        if let Some(schedule) = schedule {
            schedule.stop();
        }
    }
}

fn keeping(
    system: Option<Arc<dyn Secrets>>,
    session: &Session,
    locked: bool,
) -> (PasswordKeeping, Arc<dyn Secrets>) {
    match system {
        Some(system) => (PasswordKeeping::System, system),
        None if locked => (
            PasswordKeeping::EncryptedStore,
            Arc::new(StoreSecrets::new(session.clone())),
        ),
        None => (PasswordKeeping::Asked, Arc::new(NoSecrets)),
    }
}

/// The store's accounts, as the schedule sees them.
struct SessionSyncer {
    db: Db,
    syncing: Syncing,
}

impl Syncer for SessionSyncer {
    fn due(&self, now: DateTime<Utc>) -> Vec<String> {
        let found = self.db.session().read(move |s| {
            let every = sync_every(s)?;
            let due = s.due_accounts(now, chrono::Duration::minutes(i64::from(every)))?;
            let accounts = s.accounts()?;
            // Nobody is there to type a password in the background.
            Ok(due
                .into_iter()
                .filter(|name| {
                    accounts
                        .iter()
                        .find(|a| &a.name == name)
                        .is_some_and(|a| !needs_typed_password(a))
                })
                .collect::<Vec<_>>())
        });
        found.unwrap_or_else(|e| {
            // A locked or unreadable store: the window says why; the schedule tries later.
            tracing::debug!("the schedule could not read the accounts: {e}");
            Vec::new()
        })
    }

    fn sync(
        &self,
        name: &str,
        now: DateTime<Utc>,
        keep_going: &mut dyn FnMut() -> bool,
    ) -> SyncReport {
        let (_, secrets) = self.syncing.secrets(&self.db);
        let mut progress = |_: Progress| keep_going();
        report_of(
            name,
            accounts::sync(
                self.db.session(),
                name,
                secrets.as_ref(),
                None,
                now,
                &mut progress,
            ),
        )
    }
}

/// A mailbox, Bluesky account, address book or calendar with no password kept: it must be
/// typed at each sync.
fn needs_typed_password(account: &AccountView) -> bool {
    matches!(
        account.settings,
        AccountSettings::Imap(_)
            | AccountSettings::Bluesky(_)
            | AccountSettings::Carddav(_)
            | AccountSettings::Caldav(_)
    ) && !account.secret_kept
}

/// A sync's report, or one carrying the error that stopped it before it could make one.
fn report_of(name: &str, result: kith_core::Result<SyncReport>) -> SyncReport {
    result.unwrap_or_else(|e| SyncReport {
        name: name.to_string(),
        added: 0,
        updated: 0,
        new_people: 0,
        notes: Vec::new(),
        error: Some(e.to_public()),
    })
}

/// How often, in minutes, each account syncs while the app is open.
fn sync_every(store: &kith_core::Store) -> kith_core::Result<u32> {
    Ok(store
        .setting::<u32>(SYNC_EVERY_SETTING)?
        .unwrap_or(DEFAULT_EVERY.num_minutes() as u32))
}

/// Every account, with when it last synced, what that brought and its last problem.
#[tauri::command]
#[specta::specta]
pub async fn list_accounts(db: State<'_, Db>) -> Reply<Vec<AccountView>> {
    db.read(|s| s.accounts()).await
}

/// Where a password given for an account would be kept.
#[tauri::command]
#[specta::specta]
pub async fn password_keeping(
    db: State<'_, Db>,
    syncing: State<'_, Syncing>,
) -> Reply<PasswordKeeping> {
    let (db, syncing) = (db.inner().clone(), syncing.inner().clone());
    off_main(move || Ok(syncing.secrets(&db).0)).await
}

/// Adds a mailbox; its password (if given) is kept where [`password_keeping`] says, never in
/// the store in plaintext. Without one, it is asked for at each sync. A password that cannot
/// be kept takes the account back out: the store is left as it was, and the error says why.
#[tauri::command]
#[specta::specta]
pub async fn add_imap_account(
    db: State<'_, Db>,
    syncing: State<'_, Syncing>,
    name: String,
    settings: ImapSettings,
    password: Option<String>,
) -> Reply<AccountView> {
    let account = NewAccount {
        name,
        settings: AccountSettings::Imap(settings),
    };
    add_keeping(&db, &syncing, account, password).await
}

/// Adds an address book (CardDAV) or a calendar (CalDAV); its password (if given) is kept as a
/// mailbox's is, or asked for at each sync. Other kinds have their own commands.
#[tauri::command]
#[specta::specta]
pub async fn add_dav_account(
    db: State<'_, Db>,
    syncing: State<'_, Syncing>,
    name: String,
    settings: AccountSettings,
    password: Option<String>,
) -> Reply<AccountView> {
    dav_only(&settings).map_err(|e| e.to_public())?;
    add_keeping(&db, &syncing, NewAccount { name, settings }, password).await
}

/// Refuses every kind but an address book or a calendar.
fn dav_only(settings: &AccountSettings) -> kith_core::Result<()> {
    match settings {
        AccountSettings::Carddav(_) | AccountSettings::Caldav(_) => Ok(()),
        _ => Err(kith_core::Error::invalid(
            "only an address book or a calendar is added this way",
        )),
    }
}

/// Adds an account off the main thread, keeping its password (if given, and not empty) with
/// [`add_with_secret`].
async fn add_keeping(
    db: &State<'_, Db>,
    syncing: &State<'_, Syncing>,
    account: NewAccount,
    password: Option<String>,
) -> Reply<AccountView> {
    let (db, syncing) = (db.inner().clone(), syncing.inner().clone());
    let password = password.filter(|p| !p.is_empty()).map(Secret::new);
    off_main(move || {
        let (_, secrets) = syncing.secrets(&db);
        add_with_secret(
            db.session(),
            secrets.as_ref(),
            account,
            password,
            Utc::now(),
        )
        .map_err(|e| e.to_public())
    })
    .await
}

/// Adds an account and keeps its password; a password that cannot be kept takes the account
/// back out, leaving the store as it was.
fn add_with_secret(
    session: &Session,
    secrets: &dyn Secrets,
    account: NewAccount,
    password: Option<Secret>,
    now: DateTime<Utc>,
) -> kith_core::Result<AccountView> {
    let account = session.write(move |s| s.add_account(account, now))?;
    let Some(password) = password else {
        return Ok(account);
    };
    let id = account.id.clone();
    if let Err(e) = accounts::keep_secret(session, &id, secrets, &password) {
        session.write(move |s| s.remove_account(&id))?;
        return Err(e);
    }
    session.read(move |s| s.account(&id))
}

/// Adds a Bluesky account: its settings checked, then one sign-in with the app password
/// (which refuses a wrong one and finds the account's DID and PDS) before anything is kept;
/// the app password is then kept where [`password_keeping`] says, or asked at each sync.
#[tauri::command]
#[specta::specta]
pub async fn add_bluesky_account(
    db: State<'_, Db>,
    syncing: State<'_, Syncing>,
    name: String,
    settings: BlueskySettings,
    password: String,
) -> Reply<AccountView> {
    let (db, syncing) = (db.inner().clone(), syncing.inner().clone());
    let password = Secret::new(password);
    off_main(move || {
        let (keeping, secrets) = syncing.secrets(&db);
        add_bluesky(
            db.session(),
            secrets.as_ref(),
            keeping,
            name,
            settings,
            password,
            Utc::now(),
        )
        .map_err(|e| e.to_public())
    })
    .await
}

fn add_bluesky(
    session: &Session,
    secrets: &dyn Secrets,
    keeping: PasswordKeeping,
    name: String,
    settings: BlueskySettings,
    password: Secret,
    now: DateTime<Utc>,
) -> kith_core::Result<AccountView> {
    let account = NewAccount {
        name,
        settings: AccountSettings::Bluesky(settings),
    };
    let account = session.read(move |s| accounts::registry::validate(account, s))?;
    let AccountSettings::Bluesky(settings) = &account.settings else {
        unreachable!("validated as the kind it was given");
    };
    let settings = accounts::bluesky::connect(&account.name, settings, &password)?;
    let name = account.name;
    let password = (keeping != PasswordKeeping::Asked).then_some(password);
    add_with_secret(
        session,
        secrets,
        NewAccount {
            name,
            settings: AccountSettings::Bluesky(settings),
        },
        password,
        now,
    )
}

/// Adds a blog's feed: the user's own, or a contact's.
#[tauri::command]
#[specta::specta]
pub async fn add_feed_account(
    db: State<'_, Db>,
    name: String,
    settings: FeedSettings,
) -> Reply<AccountView> {
    db.run(move |s| {
        s.add_account(
            NewAccount {
                name,
                settings: AccountSettings::Feed(settings),
            },
            Utc::now(),
        )
    })
    .await
}

/// How long the app waits for the user to finish signing in to Mastodon in the browser.
const SIGN_IN_WAIT: std::time::Duration = std::time::Duration::from_secs(600);

/// Adds a Mastodon account: Kith registers itself on the server, opens the server's sign-in
/// page in the system's browser and listens once on this computer for the code the page sends
/// back. The token is kept where [`password_keeping`] says; where nothing can keep it, the
/// account is not added (it could never sync) and the error says why.
#[tauri::command]
#[specta::specta]
pub async fn add_mastodon_account(
    db: State<'_, Db>,
    syncing: State<'_, Syncing>,
    name: String,
    server: String,
) -> Reply<AccountView> {
    let (db, syncing) = (db.inner().clone(), syncing.inner().clone());
    off_main(move || {
        let (_, secrets) = syncing.secrets(&db);
        let open = |url: &str| -> kith_core::Result<()> {
            tauri_plugin_opener::open_url(url, chosen_browser()).map_err(|e| {
                kith_core::Error::invalid(format!(
                    "the browser could not be opened for the sign-in ({e}); open {url} yourself"
                ))
            })
        };
        add_mastodon(
            db.session(),
            secrets.as_ref(),
            &name,
            &server,
            &open,
            Utc::now(),
        )
        .map_err(|e| e.to_public())
    })
    .await
}

/// The browser the user chose in `BROWSER` (the first of its `:`-separated list, as other
/// programs read it), or `None` for the system's default.
fn chosen_browser() -> Option<String> {
    let value = std::env::var("BROWSER").ok()?;
    let first = value.split(':').next()?.trim();
    (!first.is_empty()).then(|| first.to_string())
}

fn add_mastodon(
    session: &Session,
    secrets: &dyn Secrets,
    name: &str,
    server: &str,
    open: &dyn Fn(&str) -> kith_core::Result<()>,
    now: DateTime<Utc>,
) -> kith_core::Result<AccountView> {
    let wanted = name.trim().to_string();
    if session.read(move |s| s.account(&wanted)).is_ok() {
        return Err(kith_core::Error::invalid(format!(
            "an account is already called {:?}; choose another name",
            name.trim()
        )));
    }
    let limits = mastodon::Limits::default();
    let (token, settings) =
        mastodon::loopback::sign_in(name.trim(), server, open, SIGN_IN_WAIT, &limits)?;
    let name = name.to_string();
    let account = session.write(move |s| {
        s.add_account(
            NewAccount {
                name,
                settings: AccountSettings::Mastodon(settings),
            },
            now,
        )
    })?;
    let id = account.id.clone();
    if let Err(e) = accounts::keep_secret(session, &id, secrets, &token) {
        session.write(move |s| s.remove_account(&id))?;
        return Err(e);
    }
    session.read(move |s| s.account(&id))
}

/// Removes an account and its kept password; what it brought in stays.
#[tauri::command]
#[specta::specta]
pub async fn remove_account(
    db: State<'_, Db>,
    syncing: State<'_, Syncing>,
    id: String,
) -> Reply<()> {
    let (db, syncing) = (db.inner().clone(), syncing.inner().clone());
    off_main(move || {
        let (_, secrets) = syncing.secrets(&db);
        remove(db.session(), secrets.as_ref(), &id).map_err(|e| e.to_public())
    })
    .await
}

fn remove(session: &Session, secrets: &dyn Secrets, name_or_id: &str) -> kith_core::Result<()> {
    let wanted = name_or_id.to_string();
    let account = session.read(move |s| s.account(&wanted))?;
    let id = account.id.clone();
    session.write(move |s| s.remove_account(&id))?;
    accounts::forget_secret(secrets, &account.id)
}

/// Syncs these accounts (none: all) one after another, after a background sync running now;
/// each account's problem is in its report. A password typed for this sync is not kept.
#[tauri::command]
#[specta::specta]
pub async fn sync_accounts(
    db: State<'_, Db>,
    syncing: State<'_, Syncing>,
    names: Vec<String>,
    password: Option<String>,
    on_progress: Channel<SyncProgress>,
) -> Reply<Vec<SyncReport>> {
    let (db, syncing) = (db.inner().clone(), syncing.inner().clone());
    let password = password.filter(|p| !p.is_empty()).map(Secret::new);
    off_main(move || {
        let (_, secrets) = syncing.secrets(&db);
        // A closed window drops the channel; the sync goes on to its end regardless.
        let mut tell = |p: SyncProgress| drop(on_progress.send(p));
        sync_now(
            db.session(),
            &syncing.gate,
            secrets.as_ref(),
            names,
            password,
            &mut tell,
        )
        .map_err(|e| e.to_public())
    })
    .await
}

/// Syncs `names` (none: every account) in its turn, telling `tell` how far each has come.
/// Stops with `Cancelled` at a Cancel: the account being synced keeps nothing of its batch,
/// those synced before it keep what they brought.
fn sync_now(
    session: &Session,
    gate: &SyncGate,
    secrets: &dyn Secrets,
    names: Vec<String>,
    password: Option<Secret>,
    tell: &mut dyn FnMut(SyncProgress),
) -> kith_core::Result<Vec<SyncReport>> {
    let names = if names.is_empty() {
        session
            .read(|s| s.accounts())?
            .into_iter()
            .map(|a| a.name)
            .collect()
    } else {
        names
    };
    let turn = gate.wait_turn();
    let mut reports = Vec::with_capacity(names.len());
    for name in names {
        if !turn.keep_going() {
            return Err(kith_core::Error::Cancelled(format!(
                "{name}: the sync was cancelled before it began; nothing was written"
            )));
        }
        let mut progress = |p: Progress| {
            tell(SyncProgress {
                account: name.clone(),
                stage: p.stage,
                done: p.done,
                total: p.total,
            });
            turn.keep_going()
        };
        let result = accounts::sync(
            session,
            &name,
            secrets,
            password.clone(),
            Utc::now(),
            &mut progress,
        );
        match result {
            Err(e @ kith_core::Error::Cancelled(_)) => return Err(e),
            other => reports.push(report_of(&name, other)),
        }
    }
    Ok(reports)
}

/// Stops the sync running now; the account being synced keeps nothing of its batch.
#[tauri::command]
#[specta::specta]
pub async fn cancel_sync(syncing: State<'_, Syncing>) -> Reply<()> {
    syncing.gate.cancel();
    Ok(())
}

/// How often, in minutes, the app syncs each account while it is open.
#[tauri::command]
#[specta::specta]
pub async fn sync_every_minutes(db: State<'_, Db>) -> Reply<u32> {
    db.read(sync_every).await
}

/// Syncs each account every `minutes` from now on (5 to 1440).
#[tauri::command]
#[specta::specta]
pub async fn set_sync_every_minutes(db: State<'_, Db>, minutes: u32) -> Reply<()> {
    if !SYNC_EVERY_RANGE.contains(&minutes) {
        return Err(PublicError {
            code: Code::InvalidInput,
            message: format!(
                "sync every {} to {} minutes, not {minutes}",
                SYNC_EVERY_RANGE.start(),
                SYNC_EVERY_RANGE.end()
            ),
        });
    }
    db.run(move |s| s.set_setting(SYNC_EVERY_SETTING, &minutes))
        .await
}

/// Sends each background sync's report to `on_synced`, until the window goes (or asks again
/// with another channel, after a reload).
#[tauri::command]
#[specta::specta]
pub async fn watch_syncs(syncing: State<'_, Syncing>, on_synced: Channel<SyncReport>) -> Reply<()> {
    *syncing.watcher.lock().unwrap_or_else(|p| p.into_inner()) = Some(on_synced);
    Ok(())
}

/// The people syncs met who are not in the network yet, with whom they probably are.
#[tauri::command]
#[specta::specta]
pub async fn list_new_people(db: State<'_, Db>) -> Reply<Vec<NewPerson>> {
    db.read(|s| s.new_people()).await
}

/// Adds a new person as a contact, with the interactions they were seen in.
#[tauri::command]
#[specta::specta]
pub async fn add_new_person(db: State<'_, Db>, id: String) -> Reply<Contact> {
    db.run(move |s| s.add_new_person(&id, Utc::now())).await
}

/// Makes a new person part of a contact the user has.
#[tauri::command]
#[specta::specta]
pub async fn merge_new_person(db: State<'_, Db>, id: String, contact_id: String) -> Reply<Contact> {
    db.run(move |s| s.merge_new_person(&id, &contact_id, Utc::now()))
        .await
}

/// Ignores a new person for good: no sync offers them again.
#[tauri::command]
#[specta::specta]
pub async fn ignore_new_person(db: State<'_, Db>, id: String) -> Reply<()> {
    db.run(move |s| s.ignore_new_person(&id)).await
}

/// The private AT Protocol network the Bluesky tests start.
#[cfg(test)]
#[path = "../../core/tests/support/atproto.rs"]
mod atproto;

#[cfg(test)]
mod tests {
    use super::*;
    use kith_core::accounts::{FeedOwner, ImapSecurity};
    use std::collections::HashMap;

    /// A secret store in memory, standing in for the system's.
    #[derive(Default)]
    struct Kept(Mutex<HashMap<String, String>>);

    impl Secrets for Kept {
        fn get(&self, id: &str) -> kith_core::Result<Option<Secret>> {
            Ok(self
                .0
                .lock()
                .unwrap()
                .get(id)
                .map(|s| Secret::new(s.as_str())))
        }
        fn set(&self, id: &str, secret: &Secret) -> kith_core::Result<()> {
            self.0
                .lock()
                .unwrap()
                .insert(id.into(), secret.expose().into());
            Ok(())
        }
        fn delete(&self, id: &str) -> kith_core::Result<()> {
            self.0.lock().unwrap().remove(id);
            Ok(())
        }
    }

    impl Syncing {
        /// Syncing with `system` as the system's secret store, whatever this machine has.
        fn with_system(system: Arc<dyn Secrets>) -> Syncing {
            let syncing = Syncing::new();
            let _ = syncing.system.set(Some(system));
            syncing
        }
    }

    fn db() -> (tempfile::TempDir, Db) {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::new(dir.path().join("kith.sqlite3"));
        (dir, db)
    }

    /// A port on this machine where nothing listens.
    fn closed_port() -> u16 {
        std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port()
    }

    fn mailbox() -> ImapSettings {
        ImapSettings {
            host: "127.0.0.1".into(),
            port: closed_port(),
            user: "me@example.org".into(),
            security: ImapSecurity::Tls,
            ca_file: None,
            folders: vec![],
            addresses: vec![],
        }
    }

    fn add_feed(db: &Db, name: &str) -> AccountView {
        let settings = AccountSettings::Feed(FeedSettings {
            url: format!("http://127.0.0.1:{}/feed.xml", closed_port()),
            owner: FeedOwner::Mine,
        });
        let name = name.to_string();
        db.session()
            .write(move |s| s.add_account(NewAccount { name, settings }, Utc::now()))
            .unwrap()
    }

    fn add_imap(
        session: &Session,
        secrets: &dyn Secrets,
        name: String,
        settings: ImapSettings,
        password: Option<Secret>,
        now: DateTime<Utc>,
    ) -> kith_core::Result<AccountView> {
        let account = NewAccount {
            name,
            settings: AccountSettings::Imap(settings),
        };
        add_with_secret(session, secrets, account, password, now)
    }

    fn add_dav(
        session: &Session,
        secrets: &dyn Secrets,
        name: String,
        settings: AccountSettings,
        password: Option<Secret>,
        now: DateTime<Utc>,
    ) -> kith_core::Result<AccountView> {
        dav_only(&settings)?;
        add_with_secret(
            session,
            secrets,
            NewAccount { name, settings },
            password,
            now,
        )
    }

    fn accounts_in(db: &Db) -> Vec<AccountView> {
        db.session().read(|s| s.accounts()).unwrap()
    }

    #[test]
    fn a_kept_password_is_in_the_secret_store_and_removing_the_account_forgets_it() {
        let (_dir, db) = db();
        let kept = Kept::default();
        let password = Secret::new("correct horse");
        let account = add_imap(
            db.session(),
            &kept,
            "Work mail".into(),
            mailbox(),
            Some(password),
            Utc::now(),
        )
        .unwrap();
        assert!(account.secret_kept);
        assert_eq!(
            kept.get(&account.id).unwrap().unwrap().expose(),
            "correct horse"
        );
        remove(db.session(), &kept, "Work mail").unwrap();
        assert!(accounts_in(&db).is_empty());
        assert!(kept.0.lock().unwrap().is_empty(), "the password went too");
    }

    #[test]
    fn an_address_book_is_added_with_its_password_kept_and_no_other_kind_this_way() {
        let (_dir, db) = db();
        let kept = Kept::default();
        let book = AccountSettings::Carddav(kith_core::accounts::CardDavSettings {
            url: "https://dav.example.org/".into(),
            user: "librarian".into(),
            scope: kith_core::accounts::DavScope::All,
            include_private: false,
            address_book: String::new(),
        });
        let account = add_dav(
            db.session(),
            &kept,
            "Phone contacts".into(),
            book,
            Some(Secret::new("dav secret")),
            Utc::now(),
        )
        .unwrap();
        assert_eq!(account.kind.as_str(), "carddav");
        assert_eq!(
            kept.get(&account.id).unwrap().unwrap().expose(),
            "dav secret"
        );
        let refused = add_dav(
            db.session(),
            &kept,
            "Mail".into(),
            AccountSettings::Imap(mailbox()),
            None,
            Utc::now(),
        )
        .unwrap_err();
        assert_eq!(refused.to_public().code, Code::InvalidInput);
        assert_eq!(accounts_in(&db).len(), 1);
    }

    #[test]
    fn a_password_that_cannot_be_kept_leaves_the_store_as_it_was() {
        let (_dir, db) = db();
        let refused = add_imap(
            db.session(),
            &NoSecrets,
            "Work mail".into(),
            mailbox(),
            Some(Secret::new("correct horse")),
            Utc::now(),
        )
        .unwrap_err();
        assert_eq!(refused.to_public().code, Code::InvalidInput);
        assert!(
            !refused.to_string().contains("correct horse"),
            "the error never carries the password: {refused}"
        );
        assert!(
            accounts_in(&db).is_empty(),
            "no account without its password"
        );
    }

    #[test]
    fn the_schedule_leaves_out_accounts_whose_password_must_be_typed() {
        let (_dir, db) = db();
        add_imap(
            db.session(),
            &NoSecrets,
            "Typed each time".into(),
            mailbox(),
            None,
            Utc::now(),
        )
        .unwrap();
        let kept = Kept::default();
        add_imap(
            db.session(),
            &kept,
            "Kept".into(),
            mailbox(),
            Some(Secret::new("pw")),
            Utc::now(),
        )
        .unwrap();
        add_feed(&db, "Blog");
        // A Bluesky account whose app password is not kept waits for one typed too.
        let bluesky = AccountSettings::Bluesky(BlueskySettings {
            handle: "ann.bsky.social".into(),
            did: "did:plc:ann".into(),
            service: format!("http://127.0.0.1:{}", closed_port()),
            plc: "https://plc.directory".into(),
        });
        db.session()
            .write(move |s| {
                s.add_account(
                    NewAccount {
                        name: "Bluesky".into(),
                        settings: bluesky,
                    },
                    Utc::now(),
                )
            })
            .unwrap();
        let syncer = SessionSyncer {
            db: db.clone(),
            syncing: Syncing::with_system(Arc::new(kept)),
        };
        let mut due = syncer.due(Utc::now());
        due.sort();
        assert_eq!(due, ["Blog", "Kept"]);
    }

    #[test]
    fn a_bluesky_account_is_added_only_with_an_app_password_its_pds_accepts() {
        if !atproto::available() {
            return;
        }
        let net = atproto::Network::start();
        let (_dir, db) = db();
        let kept = Kept::default();
        let settings = BlueskySettings {
            handle: "@ann.test".into(),
            did: String::new(),
            service: net.pds.clone(),
            plc: net.plc.clone(),
        };
        let add = |password: &str| {
            add_bluesky(
                db.session(),
                &kept,
                PasswordKeeping::System,
                "Bluesky".into(),
                settings.clone(),
                Secret::new(password),
                Utc::now(),
            )
        };
        let refused = add("wxyz-wxyz-wxyz-wxyz").unwrap_err();
        assert_eq!(refused.to_public().code, Code::SyncWrongPassword);
        assert!(!refused.to_string().contains("wxyz-wxyz"), "{refused}");
        assert!(accounts_in(&db).is_empty(), "nothing is added");
        assert!(kept.0.lock().unwrap().is_empty());

        let app_password = net.account("ann").app_password.clone().unwrap();
        let account = add(&app_password).unwrap();
        let AccountSettings::Bluesky(found) = &account.settings else {
            panic!("{account:?}")
        };
        assert_eq!(found.did, net.account("ann").did);
        assert_eq!(found.handle, "ann.test");
        assert!(account.secret_kept);
        assert_eq!(
            kept.get(&account.id).unwrap().unwrap().expose(),
            app_password
        );
    }

    #[test]
    fn a_failed_background_sync_is_recorded_and_waits_for_its_backoff() {
        let (_dir, db) = db();
        add_feed(&db, "Gone blog");
        let syncer = SessionSyncer {
            db: db.clone(),
            syncing: Syncing::with_system(Arc::new(NoSecrets)),
        };
        let now = Utc::now();
        assert_eq!(syncer.due(now), ["Gone blog"]);
        let report = syncer.sync("Gone blog", now, &mut || true);
        let error = report.error.expect("nothing listens there");
        assert_eq!(error.code, Code::SyncUnreachable);
        let account = &accounts_in(&db)[0];
        assert_eq!(
            account.last_error.as_ref().map(|e| e.code),
            Some(Code::SyncUnreachable)
        );
        assert!(account.next_sync_at.is_some_and(|next| next > now));
        assert!(
            syncer.due(now).is_empty(),
            "not asked again before the backoff"
        );
    }

    #[test]
    fn a_sync_cancelled_while_waiting_for_its_turn_writes_nothing() {
        let (_dir, db) = db();
        add_feed(&db, "Blog");
        let gate = SyncGate::default();
        let background = gate.wait_turn();
        let waiting = {
            let (session, gate) = (db.session().clone(), gate.clone());
            std::thread::spawn(move || {
                sync_now(&session, &gate, &NoSecrets, vec![], None, &mut |_| {})
            })
        };
        // The user's sync waits for the background one; Cancel stops both.
        std::thread::sleep(std::time::Duration::from_millis(100));
        gate.cancel();
        drop(background);
        let stopped = waiting.join().unwrap().unwrap_err();
        assert_eq!(stopped.to_public().code, Code::Cancelled);
        let account = &accounts_in(&db)[0];
        assert!(account.last_sync_at.is_none() && account.last_error.is_none());
    }

    #[test]
    fn each_account_named_is_synced_and_one_that_is_not_there_is_said_so() {
        let (_dir, db) = db();
        add_feed(&db, "Blog");
        let mut told = Vec::new();
        let reports = sync_now(
            db.session(),
            &SyncGate::default(),
            &NoSecrets,
            vec!["Blog".into(), "Nowhere".into()],
            None,
            &mut |p| told.push(p.account),
        )
        .unwrap();
        assert_eq!(reports.len(), 2);
        assert_eq!(reports[0].name, "Blog");
        assert_eq!(
            reports[1].error.as_ref().map(|e| e.code),
            Some(Code::NotFound)
        );
    }
}
