//! The parts of Mastodon's REST API answers that a sync reads (`/api/v1/…`), as the server
//! writes them. Every field Kith does not need is ignored, and every field a server may leave
//! out has a default, so an older or a newer Mastodon (or a compatible server) reads the same.

use serde::Deserialize;

/// An account (`Account` entity): the user, the author of a status, a followed account.
#[derive(Debug, Clone, Deserialize)]
pub struct Account {
    pub id: String,
    /// `user` for an account on the same server, `user@host` for one elsewhere.
    pub acct: String,
    #[serde(default)]
    pub display_name: String,
    /// The profile page, `https://host/@user`.
    #[serde(default)]
    pub url: String,
    /// The account this one moved to, when it moved servers.
    #[serde(default)]
    pub moved: Option<Box<Account>>,
}

/// A mention in a status: only who, no display name.
#[derive(Debug, Clone, Deserialize)]
pub struct Mention {
    pub id: String,
    pub acct: String,
    #[serde(default)]
    pub url: String,
}

/// A hashtag of a status.
#[derive(Debug, Clone, Deserialize)]
pub struct Tag {
    pub name: String,
}

/// A post (`Status` entity).
#[derive(Debug, Clone, Deserialize)]
pub struct Status {
    pub id: String,
    pub created_at: String,
    /// The ActivityPub id, `https://host/users/user/statuses/ID`: what the archive's outbox
    /// calls the note's `id`, and so what the key is made of.
    pub uri: String,
    #[serde(default)]
    pub in_reply_to_id: Option<String>,
    /// `public`, `unlisted`, `private` (followers only) or `direct`.
    #[serde(default)]
    pub visibility: String,
    #[serde(default)]
    pub content: String,
    pub account: Account,
    #[serde(default)]
    pub mentions: Vec<Mention>,
    #[serde(default)]
    pub tags: Vec<Tag>,
    /// A boost carries the boosted status here; Kith skips boosts, as the archive importer does.
    #[serde(default)]
    pub reblog: Option<serde::de::IgnoredAny>,
}

/// A notification; a sync asks only for mentions.
#[derive(Debug, Clone, Deserialize)]
pub struct Notification {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub status: Option<Status>,
}

/// A direct conversation: who is in it and its latest status.
#[derive(Debug, Clone, Deserialize)]
pub struct Conversation {
    #[serde(default)]
    pub accounts: Vec<Account>,
    #[serde(default)]
    pub last_status: Option<Status>,
}

/// One of the user's lists.
#[derive(Debug, Clone, Deserialize)]
pub struct List {
    pub id: String,
    pub title: String,
}

/// An application registered on the server (`POST /api/v1/apps`).
#[derive(Debug, Clone, Deserialize)]
pub struct App {
    pub client_id: String,
    pub client_secret: String,
}

/// The answer of `POST /oauth/token`.
#[derive(Debug, Clone, Deserialize)]
pub struct Token {
    pub access_token: String,
}
