//! Connected accounts: a mailbox (IMAP), a blog's feed or a Bluesky account that Kith syncs by itself, so the
//! network keeps itself up to date without exports.
//!
//! - An [`Account`] is what the user connected: a kind, a name, settings, and a secret kept
//!   in the system's secret store (never in the store file in plaintext).
//! - A sync fetches what is new since the account's cursor (`imap`, `feed`) into a
//!   [`Harvest`]: items naming their people by address, handle or URL. Nothing is written
//!   while fetching, so a sync never holds the store's one writer during network traffic.
//! - The harvest is then applied in one transaction with the new cursor: items with people
//!   already in the network become interactions under the same keys the file importers use
//!   (`mail:<Message-ID>`), so re-syncing adds nothing; people not yet in the network go to the
//!   New people inbox. A failed or cancelled sync leaves the store as it was before its batch.
//!
//! Kith connects only to the accounts the user added, and only while syncing them.

#[cfg(feature = "connect")]
pub mod bluesky;
#[cfg(feature = "connect")]
pub mod dav;
#[cfg(feature = "connect")]
pub mod feed;
pub mod harvest;
#[cfg(feature = "connect")]
pub mod http;
#[cfg(feature = "connect")]
pub mod imap;
#[cfg(feature = "connect")]
pub mod mastodon;
pub mod people;
pub mod registry;
pub mod schedule;
pub mod secrets;
pub mod sync;
#[cfg(feature = "connect")]
mod system_secrets;

pub use harvest::{Harvest, Item, ItemKind, Me, Person, WROTE_TAG};
pub use people::{Likely, NewPerson};
pub use registry::{AccountView, NewAccount};
pub use schedule::{DEFAULT_EVERY, SYNC_EVERY_SETTING};
pub use secrets::{forget_secret, keep_secret, NoSecrets, Secrets, StoreSecrets};
pub use sync::{sync, sync_with, Fetcher, SyncReport};
#[cfg(feature = "connect")]
pub use system_secrets::SystemSecrets;

use crate::session::Session;
use serde::{Deserialize, Serialize};
use specta::Type;
use zeroize::Zeroizing;

/// Where this session keeps accounts' secrets: the system's secret store where there is
/// one; otherwise inside the store when it is locked with a passphrase; otherwise nowhere.
pub fn secrets_for(session: &Session) -> Box<dyn Secrets> {
    #[cfg(feature = "connect")]
    if system_secrets::SystemSecrets::available() {
        return Box::new(system_secrets::SystemSecrets);
    }
    if session.passphrase().is_some() {
        Box::new(StoreSecrets::new(session.clone()))
    } else {
        Box::new(NoSecrets)
    }
}

/// The kinds of account Kith syncs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum AccountKind {
    /// A mailbox over IMAP.
    Imap,
    /// A blog's RSS or Atom feed.
    Feed,
    /// A Mastodon account, signed in with OAuth.
    Mastodon,
    /// A Bluesky (AT Protocol) account, read with an app password.
    Bluesky,
    /// An address book on a CardDAV server, synced both ways.
    Carddav,
    /// A calendar on a CalDAV server, written from Kith's plans and dates.
    Caldav,
}

impl AccountKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AccountKind::Imap => "imap",
            AccountKind::Feed => "feed",
            AccountKind::Mastodon => "mastodon",
            AccountKind::Bluesky => "bluesky",
            AccountKind::Carddav => "carddav",
            AccountKind::Caldav => "caldav",
        }
    }
}

/// How an IMAP connection is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type, Default)]
#[serde(rename_all = "snake_case")]
pub enum ImapSecurity {
    /// TLS from the first byte (port 993).
    #[default]
    Tls,
    /// A plain connection upgraded with STARTTLS before logging in (port 143).
    Starttls,
    /// No encryption at all: only ever allowed for a server on this machine (localhost).
    PlainLocalhostOnly,
}

/// What an IMAP account needs to connect.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct ImapSettings {
    pub host: String,
    pub port: u16,
    pub user: String,
    pub security: ImapSecurity,
    /// A PEM file of certificates to trust besides the system's, for a self-signed server.
    pub ca_file: Option<String>,
    /// The folders to read; empty means the inbox and the sent folder (found by SPECIAL-USE).
    pub folders: Vec<String>,
    /// The user's own addresses on this mailbox, which tell sent from received mail.
    pub addresses: Vec<String>,
}

/// Whose blog a feed is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case", tag = "whose", content = "contact_id")]
pub enum FeedOwner {
    /// The user's own blog: comments on it are conversations with the commenters.
    Mine,
    /// A contact's blog: their posts show on their timeline as things they wrote.
    Contact(String),
}

/// What a feed account needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct FeedSettings {
    pub url: String,
    pub owner: FeedOwner,
}

/// What a Mastodon account needs: its server, and who the user is there (learned when
/// they signed in). The access token is a secret, kept apart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct MastodonSettings {
    /// `https://host`, no trailing slash.
    pub server: String,
    /// The user's account id on that server.
    pub account_id: String,
    /// The user's address, `user@host`.
    pub acct: String,
}

/// The PLC directory Bluesky accounts' DIDs are found in, unless the user names another.
pub const DEFAULT_PLC: &str = "https://plc.directory";

/// What a Bluesky account needs. Its app password is the account's [`Secret`], never here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct BlueskySettings {
    /// The handle the user signs in with (`ann.bsky.social`), as it was when added.
    pub handle: String,
    /// The account's DID (`did:plc:…`), which stays when the handle changes; empty until it
    /// is first found from the handle.
    pub did: String,
    /// The user's PDS (`https://…`); empty to find it from the DID.
    pub service: String,
    /// The DID PLC directory.
    pub plc: String,
}

/// Which contacts an address book holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type, Default)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum DavScope {
    /// Every contact.
    #[default]
    All,
    /// The contacts with this tag; a contact made on the server is given it.
    Tag { tag: String },
}

/// What a CardDAV account needs. Its password is the account's [`Secret`], never here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct CardDavSettings {
    /// The server's address, or the address book's own (`https://dav.example.org/`).
    pub url: String,
    pub user: String,
    /// Which contacts go to the address book.
    pub scope: DavScope,
    /// Whether private notes go to the server too (off: what goes out is what the vCard
    /// export shares by default).
    pub include_private: bool,
    /// The address book's path on the server; empty until the first sync finds it.
    #[serde(default)]
    pub address_book: String,
}

/// What a CalDAV account needs. Its password is the account's [`Secret`], never here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct CalDavSettings {
    /// The server's address, or the calendar's own.
    pub url: String,
    pub user: String,
    /// The calendar's name (its last path segment or its display name); empty for the first
    /// calendar the server lists.
    #[serde(default)]
    pub calendar: String,
}

/// An account's settings, by kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum AccountSettings {
    Imap(ImapSettings),
    Feed(FeedSettings),
    Mastodon(MastodonSettings),
    Bluesky(BlueskySettings),
    Carddav(CardDavSettings),
    Caldav(CalDavSettings),
}

impl AccountSettings {
    pub fn kind(&self) -> AccountKind {
        match self {
            AccountSettings::Imap(_) => AccountKind::Imap,
            AccountSettings::Feed(_) => AccountKind::Feed,
            AccountSettings::Mastodon(_) => AccountKind::Mastodon,
            AccountSettings::Bluesky(_) => AccountKind::Bluesky,
            AccountSettings::Carddav(_) => AccountKind::Carddav,
            AccountSettings::Caldav(_) => AccountKind::Caldav,
        }
    }
}

/// A password or token for an account. Wiped from memory when dropped, and never printed.
#[derive(Clone)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    pub fn new(s: impl Into<String>) -> Secret {
        Secret(Zeroizing::new(s.into()))
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}
