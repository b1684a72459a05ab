//! The schema and its migrations.
//!
//! The schema version lives in `PRAGMA user_version`. Migrations are append-only: a released
//! step is never edited, a change is a new step. Each step runs inside the caller's transaction,
//! so an upgrade either completes or leaves the file exactly as it was.

use rusqlite::Transaction;

/// One step from version `index` to `index + 1`.
pub(crate) const MIGRATIONS: &[&str] = &[V1, V2, V3, V4, V5, V6, V7, V8, V9, V10];

/// The version a fresh store is created at, and the newest this build can open.
pub const CURRENT_VERSION: i64 = MIGRATIONS.len() as i64;

/// Applies every step after `from`, inside `tx`.
pub(crate) fn upgrade(tx: &Transaction<'_>, from: i64) -> rusqlite::Result<()> {
    for (index, step) in MIGRATIONS.iter().enumerate().skip(from as usize) {
        tracing::info!(from = index, to = index + 1, "migrating store schema");
        tx.execute_batch(step)?;
    }
    tx.pragma_update(None, "user_version", CURRENT_VERSION)?;
    Ok(())
}

const V1: &str = r#"
CREATE TABLE contacts (
    id            INTEGER PRIMARY KEY,
    key           TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    organisation  TEXT NOT NULL DEFAULT '',
    location      TEXT NOT NULL DEFAULT '',
    met_where     TEXT NOT NULL DEFAULT '',
    met_on        TEXT,                       -- YYYY-MM-DD
    met_through   TEXT NOT NULL DEFAULT '',
    notes         TEXT NOT NULL DEFAULT '',
    private_notes TEXT NOT NULL DEFAULT '',
    tags          TEXT NOT NULL DEFAULT '[]', -- JSON array of strings
    expertise     TEXT NOT NULL DEFAULT '[]', -- JSON array of strings
    cadence_days  INTEGER,
    created_at    TEXT NOT NULL,              -- RFC 3339, UTC
    updated_at    TEXT NOT NULL
);
CREATE INDEX contacts_name ON contacts(name COLLATE NOCASE);

CREATE TABLE handles (
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    platform   TEXT NOT NULL,
    value      TEXT NOT NULL,
    normalized TEXT NOT NULL,                 -- lower case, no leading @, for matching
    PRIMARY KEY (contact_id, position)
) WITHOUT ROWID;
CREATE INDEX handles_lookup ON handles(platform, normalized);

CREATE TABLE roles (
    contact_id   INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('mentor', 'peer', 'expert')),
    direction    TEXT NOT NULL CHECK (direction IN ('they_advise_me', 'i_advise_them', 'mutual')),
    topics       TEXT NOT NULL DEFAULT '[]',
    acknowledged INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (contact_id, kind)
) WITHOUT ROWID;
CREATE INDEX roles_kind ON roles(kind);

CREATE TABLE interactions (
    id          INTEGER PRIMARY KEY,
    key         TEXT NOT NULL UNIQUE,
    channel     TEXT NOT NULL,
    direction   TEXT NOT NULL CHECK (direction IN ('outbound', 'inbound', 'mutual')),
    occurred_at INTEGER NOT NULL,             -- Unix milliseconds, UTC
    public      INTEGER NOT NULL,
    text        TEXT NOT NULL DEFAULT '',
    thread      TEXT,
    tags        TEXT NOT NULL DEFAULT '[]',
    moment      TEXT
);
CREATE INDEX interactions_thread ON interactions(thread) WHERE thread IS NOT NULL;

-- Participants. `occurred_at` is copied from the interaction so a contact's timeline is one
-- index range scan, newest first.
CREATE TABLE interaction_contacts (
    interaction_id INTEGER NOT NULL REFERENCES interactions(id) ON DELETE CASCADE,
    contact_id     INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    position       INTEGER NOT NULL,
    occurred_at    INTEGER NOT NULL,
    channel        TEXT NOT NULL,
    PRIMARY KEY (interaction_id, contact_id)
) WITHOUT ROWID;
CREATE INDEX interaction_contacts_timeline
    ON interaction_contacts(contact_id, occurred_at DESC, channel);

CREATE TABLE events (
    id        INTEGER PRIMARY KEY,
    key       TEXT NOT NULL UNIQUE,
    name      TEXT NOT NULL,
    kind      TEXT NOT NULL,
    starts_on TEXT NOT NULL,                  -- YYYY-MM-DD
    ends_on   TEXT NOT NULL,
    location  TEXT NOT NULL DEFAULT '',
    hashtags  TEXT NOT NULL DEFAULT '[]',
    notes     TEXT NOT NULL DEFAULT ''
);

CREATE TABLE event_attendees (
    event_id   INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    PRIMARY KEY (event_id, contact_id)
) WITHOUT ROWID;
CREATE INDEX event_attendees_contact ON event_attendees(contact_id);

-- Full-text search. Contacts: rowid = contacts.id, kept in step by the store code because a
-- contact's searchable text spans several tables. Interactions: an external-content index
-- kept in step by triggers. Diacritics are folded so "Maori" finds "Māori".
CREATE VIRTUAL TABLE contacts_fts USING fts5(
    name, handles, body,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);
CREATE VIRTUAL TABLE interactions_fts USING fts5(
    text, tags,
    content = 'interactions', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);
CREATE TRIGGER interactions_fts_insert AFTER INSERT ON interactions BEGIN
    INSERT INTO interactions_fts(rowid, text, tags) VALUES (new.id, new.text, new.tags);
END;
CREATE TRIGGER interactions_fts_delete AFTER DELETE ON interactions BEGIN
    INSERT INTO interactions_fts(interactions_fts, rowid, text, tags)
        VALUES ('delete', old.id, old.text, old.tags);
END;
CREATE TRIGGER interactions_fts_update AFTER UPDATE OF text, tags ON interactions BEGIN
    INSERT INTO interactions_fts(interactions_fts, rowid, text, tags)
        VALUES ('delete', old.id, old.text, old.tags);
    INSERT INTO interactions_fts(rowid, text, tags) VALUES (new.id, new.text, new.tags);
END;
"#;

/// Merged contacts, suggestion decisions and settings.
const V2: &str = r#"
-- The keys of contacts that were merged into another, so that re-importing a file that
-- still uses the old key updates the merged contact instead of bringing the duplicate back.
CREATE TABLE contact_aliases (
    key        TEXT PRIMARY KEY,
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX contact_aliases_contact ON contact_aliases(contact_id);

-- What the user decided about a suggestion: dismissed stays dismissed, snoozed returns after
-- `until`, accepted is done (and may have become a follow-up).
CREATE TABLE suggestion_states (
    suggestion_id TEXT PRIMARY KEY,
    state         TEXT NOT NULL CHECK (state IN ('dismissed', 'snoozed', 'accepted')),
    until         TEXT,                        -- RFC 3339, for snoozed
    note          TEXT NOT NULL DEFAULT '',    -- the plan, for accepted
    contact_key   TEXT,                        -- who it was about, for accepted
    summary       TEXT NOT NULL DEFAULT '',    -- what to do, for accepted
    due_on        TEXT,                        -- YYYY-MM-DD, for accepted: a follow-up to-do
    updated_at    TEXT NOT NULL
) WITHOUT ROWID;

-- User settings as JSON values, by name.
CREATE TABLE settings (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
"#;

const V3: &str = r#"
-- When an accepted plan was carried out: a done plan leaves the list of plans, and its
-- suggestion stays hidden.
ALTER TABLE suggestion_states ADD COLUMN done_at TEXT;
"#;

/// The words of each contact's interactions, for finding contacts by what was said to them.
const V4: &str = r#"
-- The text and tags of each contact's interactions in a few documents of their own (document
-- n of contact c at rowid c * 1024 + n), so "which contacts talked about metadata" is a lookup
-- in an index of a few rows per contact instead of a join of every matching interaction to
-- its participants. Kept in step by the store's write paths (`store::contact_words`);
-- contentless, since the text is in `interactions` already.
CREATE VIRTUAL TABLE contact_words USING fts5(
    words,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '3'
);
-- How many documents each contact has there.
CREATE TABLE contact_word_docs (
    contact_id INTEGER PRIMARY KEY REFERENCES contacts(id) ON DELETE CASCADE,
    docs       INTEGER NOT NULL
);
INSERT INTO contact_words (rowid, words)
    SELECT ic.contact_id * 1024, group_concat(i.text || ' ' || i.tags, ' ')
    FROM interaction_contacts ic JOIN interactions i ON i.id = ic.interaction_id
    GROUP BY ic.contact_id;
INSERT INTO contact_word_docs (contact_id, docs)
    SELECT DISTINCT contact_id, 1 FROM interaction_contacts;
"#;

/// Important dates: birthdays, anniversaries and other days to remember, several per contact.
const V5: &str = r#"
-- The year is often unknown (an address book's `--04-12`), so the date is kept in parts.
CREATE TABLE contact_dates (
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('birthday', 'anniversary', 'other')),
    label      TEXT NOT NULL DEFAULT '',
    month      INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
    day        INTEGER NOT NULL CHECK (day BETWEEN 1 AND 31),
    year       INTEGER,
    PRIMARY KEY (contact_id, position)
) WITHOUT ROWID;
"#;

/// The change log: which rows of the tables the kept contacts list and network are read from
/// changed, written by the database itself in the same transaction as the change.
const V6: &str = r#"
-- One row per changed row, whoever wrote it (this program, the command line, an import, a
-- merge), so a connection that keeps rows in memory reads again only what changed since the
-- last `seq` it applied. `kind`: 1 a contact (its row, handles, roles or dates; `row_id` is
-- the contact), 2 an interaction, 3 a participant (`row_id` the contact, `other_id` the
-- interaction), 4 an event or its attendees. Not user data: copies of the store leave it out.
CREATE TABLE change_log (
    seq      INTEGER PRIMARY KEY AUTOINCREMENT,
    kind     INTEGER NOT NULL,
    row_id   INTEGER NOT NULL,
    other_id INTEGER
);
-- The log keeps about its newest 10,000 entries: a reader further behind reads whole.
CREATE TRIGGER change_log_trim AFTER INSERT ON change_log WHEN NEW.seq % 1024 = 0 BEGIN
    DELETE FROM change_log WHERE seq <= NEW.seq - 10000;
END;
CREATE TRIGGER change_log_contacts_insert AFTER INSERT ON contacts BEGIN
    INSERT INTO change_log (kind, row_id, other_id) VALUES (1, NEW.id, NULL);
END;
CREATE TRIGGER change_log_contacts_update AFTER UPDATE ON contacts BEGIN
    INSERT INTO change_log (kind, row_id, other_id) VALUES (1, NEW.id, NULL);
END;
CREATE TRIGGER change_log_contacts_delete AFTER DELETE ON contacts BEGIN
    INSERT INTO change_log (kind, row_id, other_id) VALUES (1, OLD.id, NULL);
END;
CREATE TRIGGER change_log_handles_insert AFTER INSERT ON handles BEGIN
    INSERT INTO change_log (kind, row_id, other_id) VALUES (1, NEW.contact_id, NULL);
END;
CREATE TRIGGER change_log_handles_update AFTER UPDATE ON handles BEGIN
    INSERT INTO change_log (kind, row_id, other_id) VALUES (1, OLD.contact_id, NULL), (1, NEW.contact_id, NULL);
END;
CREATE TRIGGER change_log_handles_delete AFTER DELETE ON handles BEGIN
    INSERT INTO change_log (kind, row_id, other_id) VALUES (1, OLD.contact_id, NULL);
END;
CREATE TRIGGER change_log_roles_insert AFTER INSERT ON roles BEGIN
    INSERT INTO change_log (kind, row_id, other_id) VALUES (1, NEW.contact_id, NULL);
END;
CREATE TRIGGER change_log_roles_update AFTER UPDATE ON roles BEGIN
    INSERT INTO change_log (kind, row_id, other_id) VALUES (1, OLD.contact_id, NULL), (1, NEW.contact_id, NULL);
END;
CREATE TRIGGER change_log_roles_delete AFTER DELETE ON roles BEGIN
    INSERT INTO change_log (kind, row_id, other_id) VALUES (1, OLD.contact_id, NULL);
END;
CREATE TRIGGER change_log_contact_dates_insert AFTER INSERT ON contact_dates BEGIN
    INSERT INTO change_log (kind, row_id, other_id) VALUES (1, NEW.contact_id, NULL);
END;
CREATE TRIGGER change_log_contact_dates_update AFTER UPDATE ON contact_dates BEGIN
    INSERT INTO change_log (kind, row_id, other_id) VALUES (1, OLD.contact_id, NULL), (1, NEW.contact_id, NULL);
END;
CREATE TRIGGER change_log_contact_dates_delete AFTER DELETE ON contact_dates BEGIN
    INSERT INTO change_log (kind, row_id, other_id) VALUES (1, OLD.contact_id, NULL);
END;
CREATE TRIGGER change_log_interactions_insert AFTER INSERT ON interactions BEGIN
    INSERT INTO change_log (kind, row_id, other_id) VALUES (2, NEW.id, NULL);
END;
CREATE TRIGGER change_log_interactions_update AFTER UPDATE ON interactions BEGIN
    INSERT INTO change_log (kind, row_id, other_id) VALUES (2, NEW.id, NULL);
END;
CREATE TRIGGER change_log_interactions_delete AFTER DELETE ON interactions BEGIN
    INSERT INTO change_log (kind, row_id, other_id) VALUES (2, OLD.id, NULL);
END;
CREATE TRIGGER change_log_interaction_contacts_insert AFTER INSERT ON interaction_contacts BEGIN
    INSERT INTO change_log (kind, row_id, other_id) VALUES (3, NEW.contact_id, NEW.interaction_id);
END;
CREATE TRIGGER change_log_interaction_contacts_update AFTER UPDATE ON interaction_contacts BEGIN
    INSERT INTO change_log (kind, row_id, other_id) VALUES (3, OLD.contact_id, OLD.interaction_id), (3, NEW.contact_id, NEW.interaction_id);
END;
CREATE TRIGGER change_log_interaction_contacts_delete AFTER DELETE ON interaction_contacts BEGIN
    INSERT INTO change_log (kind, row_id, other_id) VALUES (3, OLD.contact_id, OLD.interaction_id);
END;
CREATE TRIGGER change_log_events_insert AFTER INSERT ON events BEGIN
    INSERT INTO change_log (kind, row_id, other_id) VALUES (4, NEW.id, NULL);
END;
CREATE TRIGGER change_log_events_update AFTER UPDATE ON events BEGIN
    INSERT INTO change_log (kind, row_id, other_id) VALUES (4, NEW.id, NULL);
END;
CREATE TRIGGER change_log_events_delete AFTER DELETE ON events BEGIN
    INSERT INTO change_log (kind, row_id, other_id) VALUES (4, OLD.id, NULL);
END;
CREATE TRIGGER change_log_event_attendees_insert AFTER INSERT ON event_attendees BEGIN
    INSERT INTO change_log (kind, row_id, other_id) VALUES (4, NEW.event_id, NULL);
END;
CREATE TRIGGER change_log_event_attendees_update AFTER UPDATE ON event_attendees BEGIN
    INSERT INTO change_log (kind, row_id, other_id) VALUES (4, OLD.event_id, NULL), (4, NEW.event_id, NULL);
END;
CREATE TRIGGER change_log_event_attendees_delete AFTER DELETE ON event_attendees BEGIN
    INSERT INTO change_log (kind, row_id, other_id) VALUES (4, OLD.event_id, NULL);
END;
"#;

/// Connected accounts, what their syncs brought, and the New people inbox.
const V7: &str = r#"
-- An account the user connected (a mailbox, a blog's feed). `settings` is the account's
-- settings as JSON and never holds a secret; `cursor` is where the next sync starts. The last
-- sync's outcome and the schedule are kept with it: `failures` syncs in a row failed, and no
-- scheduled sync runs before `next_sync_at` (a backoff, or the time a server asked to wait).
CREATE TABLE accounts (
    id                 TEXT PRIMARY KEY,
    name               TEXT NOT NULL UNIQUE COLLATE NOCASE,
    kind               TEXT NOT NULL CHECK (kind IN ('imap', 'feed')),
    settings           TEXT NOT NULL,            -- JSON
    cursor             TEXT,                     -- JSON
    created_at         TEXT NOT NULL,            -- RFC 3339, UTC
    last_sync_at       TEXT,
    last_added         INTEGER NOT NULL DEFAULT 0,
    last_updated       INTEGER NOT NULL DEFAULT 0,
    last_new_people    INTEGER NOT NULL DEFAULT 0,
    last_error_code    TEXT,
    last_error_message TEXT,
    failures           INTEGER NOT NULL DEFAULT 0,
    next_sync_at       TEXT,
    secret_kept        INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

-- People a sync met who are not in the network yet: offered to be added, merged into a
-- contact, or ignored for good (`state` 'ignored': later syncs drop them).
CREATE TABLE new_people (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL DEFAULT '',
    handles    TEXT NOT NULL DEFAULT '[]',      -- JSON list of {platform, value}
    seen_in    TEXT NOT NULL DEFAULT '[]',      -- JSON list of texts
    times      INTEGER NOT NULL DEFAULT 0,
    first_seen TEXT NOT NULL,                   -- RFC 3339, UTC
    last_seen  TEXT NOT NULL,
    state      TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'ignored'))
) WITHOUT ROWID;
-- How a new person is recognised again: `platform:normalised handle`, or `name:` and the
-- name in lower case for someone known only by name.
CREATE TABLE new_people_handles (
    handle    TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES new_people(id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX new_people_handles_person ON new_people_handles(person_id);
-- What a sync found with a new person in it, kept until they are added (then it becomes an
-- interaction) or ignored (then it is dropped). `item` is JSON.
CREATE TABLE held_items (
    item_key  TEXT NOT NULL,
    person_id TEXT NOT NULL REFERENCES new_people(id) ON DELETE CASCADE,
    item      TEXT NOT NULL,
    PRIMARY KEY (item_key, person_id)
) WITHOUT ROWID;
CREATE INDEX held_items_person ON held_items(person_id);

-- An account's password, only ever written in a store locked with a passphrase (and only
-- when the system has no secret store): a plain store never holds one.
CREATE TABLE account_secrets (
    account_id TEXT PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
    secret     TEXT NOT NULL
) WITHOUT ROWID;
"#;

/// Mastodon and Bluesky accounts. SQLite cannot change a table's CHECK constraint, so the
/// accounts table is made again with the wider list of kinds. Its secrets are copied aside
/// first and the secrets table dropped before the accounts table: dropping a parent table
/// deletes its rows, and their ON DELETE CASCADE would take the secrets with them.
const V8: &str = r#"
CREATE TEMP TABLE kept_account_secrets AS SELECT account_id, secret FROM account_secrets;
DROP TABLE account_secrets;
CREATE TABLE accounts_v8 (
    id                 TEXT PRIMARY KEY,
    name               TEXT NOT NULL UNIQUE COLLATE NOCASE,
    kind               TEXT NOT NULL CHECK (kind IN ('imap', 'feed', 'mastodon', 'bluesky')),
    settings           TEXT NOT NULL,            -- JSON
    cursor             TEXT,                     -- JSON
    created_at         TEXT NOT NULL,            -- RFC 3339, UTC
    last_sync_at       TEXT,
    last_added         INTEGER NOT NULL DEFAULT 0,
    last_updated       INTEGER NOT NULL DEFAULT 0,
    last_new_people    INTEGER NOT NULL DEFAULT 0,
    last_error_code    TEXT,
    last_error_message TEXT,
    failures           INTEGER NOT NULL DEFAULT 0,
    next_sync_at       TEXT,
    secret_kept        INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
INSERT INTO accounts_v8 SELECT id, name, kind, settings, cursor, created_at, last_sync_at,
    last_added, last_updated, last_new_people, last_error_code, last_error_message, failures,
    next_sync_at, secret_kept FROM accounts;
DROP TABLE accounts;
ALTER TABLE accounts_v8 RENAME TO accounts;
-- An account's password or token, only ever written in a store locked with a passphrase (and
-- only when the system has no secret store): a plain store never holds one.
CREATE TABLE account_secrets (
    account_id TEXT PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
    secret     TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO account_secrets SELECT account_id, secret FROM kept_account_secrets;
DROP TABLE kept_account_secrets;
"#;

/// What a sync says besides its counts, kept until the next one; accounts of the address
/// book and calendar kinds; the handles of contacts that changed under them; and the
/// questions the user asked on mailing lists.
const V9: &str = r#"
CREATE TEMP TABLE kept_account_secrets AS SELECT account_id, secret FROM account_secrets;
DROP TABLE account_secrets;
CREATE TABLE accounts_v9 (
    id                 TEXT PRIMARY KEY,
    name               TEXT NOT NULL UNIQUE COLLATE NOCASE,
    kind               TEXT NOT NULL CHECK (kind IN ('imap', 'feed', 'mastodon', 'bluesky',
                                                     'carddav', 'caldav')),
    settings           TEXT NOT NULL,            -- JSON
    cursor             TEXT,                     -- JSON
    created_at         TEXT NOT NULL,            -- RFC 3339, UTC
    last_sync_at       TEXT,
    last_added         INTEGER NOT NULL DEFAULT 0,
    last_updated       INTEGER NOT NULL DEFAULT 0,
    last_new_people    INTEGER NOT NULL DEFAULT 0,
    last_error_code    TEXT,
    last_error_message TEXT,
    failures           INTEGER NOT NULL DEFAULT 0,
    next_sync_at       TEXT,
    secret_kept        INTEGER NOT NULL DEFAULT 0,
    last_notes         TEXT NOT NULL DEFAULT '[]' -- JSON array of strings
) WITHOUT ROWID;
INSERT INTO accounts_v9 SELECT id, name, kind, settings, cursor, created_at, last_sync_at,
    last_added, last_updated, last_new_people, last_error_code, last_error_message, failures,
    next_sync_at, secret_kept, '[]' FROM accounts;
DROP TABLE accounts;
ALTER TABLE accounts_v9 RENAME TO accounts;
CREATE TABLE account_secrets (
    account_id TEXT PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
    secret     TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO account_secrets SELECT account_id, secret FROM kept_account_secrets;
DROP TABLE kept_account_secrets;
-- A contact's account that moved servers or changed its name, as a sync saw it: the contact
-- page says so. `old_value` is the handle the contact had, `new_value` the one it has now.
CREATE TABLE handle_changes (
    id         INTEGER PRIMARY KEY,
    contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    platform   TEXT NOT NULL,
    old_value  TEXT NOT NULL,
    new_value  TEXT NOT NULL,
    seen_at    TEXT NOT NULL,                 -- RFC 3339, UTC
    seen_by    TEXT NOT NULL DEFAULT ''       -- the account whose sync saw it
);
CREATE INDEX handle_changes_contact ON handle_changes(contact_id, seen_at);
-- Questions the user asked on a mailing list (a thread they started there, with a question
-- mark), and when the first answer came, on the list or by mail: one still open after a
-- week is worth asking someone who knows the topic directly.
CREATE TABLE list_questions (
    key         TEXT PRIMARY KEY,             -- the message's key, mail:<Message-ID>
    list        TEXT NOT NULL,                -- the List-Id
    thread      TEXT NOT NULL,
    asked_at    TEXT NOT NULL,                -- RFC 3339, UTC
    text        TEXT NOT NULL,
    answered_at TEXT
) WITHOUT ROWID;
CREATE INDEX list_questions_thread ON list_questions(thread);
"#;

/// Address books and calendars on CardDAV and CalDAV servers (their kinds came with V9): what
/// Kith knows of each item it shares with a server, and the conflicts a sync found.
const V10: &str = r#"
-- One item (a contact's card, a plan's to-do) an account shares with a server: where it is
-- (`href`), the server's ETag when Kith last read or wrote it, and `base`, the item's fields as
-- both sides last agreed on them (JSON), against which a change on both sides is merged.
-- `item_key` is the contact's id (or the plan's); a contact deleted in Kith leaves its row, so
-- its card on the server is not brought back. `state`: 'synced'; 'server_deleted' (deleted on
-- the server, kept in Kith, not written again); 'delete_on_server' (deleted in Kith, and the
-- user asked to delete it on the server too, which the next sync does). No foreign key on the
-- account: a later migration that makes the accounts table again must not take these rows
-- with it; forgetting an account deletes them.
CREATE TABLE dav_items (
    account_id TEXT NOT NULL,
    href       TEXT NOT NULL,
    item_key   TEXT NOT NULL,
    etag       TEXT NOT NULL DEFAULT '',
    base       TEXT NOT NULL DEFAULT '{}',
    state      TEXT NOT NULL DEFAULT 'synced'
               CHECK (state IN ('synced', 'server_deleted', 'delete_on_server')),
    PRIMARY KEY (account_id, href)
) WITHOUT ROWID;
CREATE INDEX dav_items_key ON dav_items(item_key);
-- A field of a contact changed both in Kith and on the server, to different values: Kith's
-- value stays on the contact, the server's is kept here until the user chooses.
CREATE TABLE dav_conflicts (
    id           INTEGER PRIMARY KEY,
    account_id   TEXT NOT NULL,
    contact_key  TEXT NOT NULL,
    field        TEXT NOT NULL,
    kith_value   TEXT NOT NULL,              -- JSON
    server_value TEXT NOT NULL,              -- JSON
    seen_at      TEXT NOT NULL               -- RFC 3339, UTC
);
CREATE INDEX dav_conflicts_contact ON dav_conflicts(contact_key);
"#;
