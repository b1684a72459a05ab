//! What a sync fetched, before it is written: the contract between the fetchers (`imap`,
//! `feed`) and the store. A fetcher names people the way the source does (an address, a
//! handle, a blog URL, a name); the store decides who they are.

use crate::domain::{Channel, Direction, Handle};
use chrono::{DateTime, Utc};

pub use crate::domain::WROTE_TAG;

/// Who the user is, to tell what they sent or wrote from what others did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Me {
    /// The user's own email addresses, lower case.
    pub emails: Vec<String>,
    /// The names the user writes under (for blog comments).
    pub names: Vec<String>,
    /// The user's own sites (for blog comments that link to them).
    pub urls: Vec<String>,
    /// The handles the user's contacts have on a service read person by person (Bluesky):
    /// whose posts a sync reads besides the accounts the user follows.
    pub contact_handles: Vec<Handle>,
}

/// Someone in an item other than the user, as the source names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    /// Their display name, when the source gives one.
    pub name: Option<String>,
    /// How the source knows them: an email address, a site's URL, a handle.
    pub handles: Vec<Handle>,
    /// The handle the service says is theirs now, when it says so: the account a Mastodon
    /// account moved to, the handle in a Bluesky DID document. A contact known by another
    /// handle on the same platform gains it, and their page says it changed.
    pub current: Option<Handle>,
}

/// What an item is on a timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    /// A message or comment between the user and others.
    Conversation,
    /// Something a contact published (a blog post): stored with [`WROTE_TAG`].
    Wrote,
    /// Someone the user follows: no interaction. Its one person becomes a contact (or the
    /// contact they are gains the item's tags: `mastodon-following`, the titles of the user's
    /// lists they are on), as an archive's list of follows makes them; `key` is the contact's
    /// key when they are new (`mastodon:<user@host>`, the archive importer's).
    Follow,
}

/// One thing a sync found: a message, a comment, a post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// The same key a file importer gives the same thing (`mail:<Message-ID>`), so a message
    /// seen by both an mbox import and a sync is stored once.
    pub key: String,
    pub kind: ItemKind,
    pub channel: Channel,
    pub direction: Direction,
    pub at: DateTime<Utc>,
    pub public: bool,
    /// The text as stored (subject and body, or the comment), already cut to the limit.
    pub text: String,
    pub thread: Option<String>,
    pub tags: Vec<String>,
    /// The people in it besides the user.
    pub people: Vec<Person>,
    /// Mail sent to many or by a machine (List-Unsubscribe, Precedence: bulk, a no-reply
    /// sender, more than about 20 recipients), or list traffic: kept only for people already
    /// in the network, never offered as new people.
    pub bulk: bool,
    /// Where it was seen, for the New people inbox: "INBOX on mail.example.org",
    /// "comments on example.org".
    pub seen_in: String,
}

/// Everything one sync of one account fetched, and where the next sync starts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Harvest {
    pub items: Vec<Item>,
    /// The account's cursor after this batch (IMAP UIDVALIDITY and last UID per folder, a
    /// feed's ETag, Last-Modified and entry ids), written in the same transaction as the
    /// items. `None` keeps the cursor as it was.
    pub cursor: Option<serde_json::Value>,
    /// Things fetched and left out (a draft, an entry without a date), counted.
    pub skipped: u32,
    /// What the user should know about this batch, in plain words.
    pub notes: Vec<String>,
}
