//! Questions the user asked on mailing lists, noted as syncs bring the messages: a thread the
//! user started on a list with a question mark in it is a question, and the first message of
//! someone else in that thread, on the list or by mail, answers it. Nobody in a list thread
//! need be a contact, so this is read before the items' people are.

use super::{decode_time, Incoming, Place, Store};
use crate::domain::{Channel, Direction};
use crate::error::Result;
use crate::suggest::ListQuestion;
use rusqlite::{params, Connection};

/// Notes the questions among `items` first, then the answers, so a question and its answer
/// in one batch meet.
pub(crate) fn note_tx(conn: &Connection, items: &[Incoming]) -> Result<()> {
    for item in items {
        note_question_tx(conn, item)?;
    }
    for item in items {
        note_answer_tx(conn, item)?;
    }
    Ok(())
}

fn note_question_tx(conn: &Connection, item: &Incoming) -> Result<()> {
    let i = &item.interaction;
    if i.channel != Channel::Listserv || i.direction != Direction::Outbound {
        return Ok(());
    }
    let Some(list) = i.tags.iter().find_map(|t| t.strip_prefix("list:")) else {
        return Ok(());
    };
    // The thread the message starts: its own key as the root.
    let started = format!("mail:thread:{}", i.id.trim_start_matches("mail:"));
    if i.thread.as_deref() != Some(started.as_str()) || !i.text.contains('?') {
        return Ok(());
    }
    conn.prepare_cached(
        "INSERT INTO list_questions (key, list, thread, asked_at, text) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (key) DO NOTHING",
    )?
    .execute(params![
        i.id,
        list,
        started,
        i.occurred_at.to_rfc3339(),
        i.text
    ])?;
    Ok(())
}

fn note_answer_tx(conn: &Connection, item: &Incoming) -> Result<()> {
    let i = &item.interaction;
    if i.direction != Direction::Inbound || !matches!(i.channel, Channel::Listserv | Channel::Email)
    {
        return Ok(());
    }
    let Some(thread) = i.thread.as_deref() else {
        return Ok(());
    };
    let at = i.occurred_at.to_rfc3339();
    conn.prepare_cached(
        "UPDATE list_questions SET answered_at = ?2
         WHERE thread = ?1 AND asked_at < ?2 AND (answered_at IS NULL OR answered_at > ?2)",
    )?
    .execute(params![thread, at])?;
    Ok(())
}

impl Store {
    /// Every question the user asked on a list, oldest first.
    pub fn list_questions(&self) -> Result<Vec<ListQuestion>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT key, list, thread, asked_at, text, answered_at FROM list_questions
             ORDER BY asked_at, key",
        )?;
        let rows = stmt.query_map([], |r| {
            let key: String = r.get(0)?;
            let time = |n: usize, column: &'static str| -> rusqlite::Result<Option<_>> {
                let text: Option<String> = r.get(n)?;
                text.map(|t| {
                    decode_time(
                        Place {
                            table: "list_questions",
                            row: &key,
                            column,
                        },
                        &t,
                    )
                })
                .transpose()
            };
            Ok(ListQuestion {
                list: r.get(1)?,
                thread: r.get(2)?,
                asked_at: time(3, "asked_at")?.unwrap_or_default(),
                text: r.get(4)?,
                answered_at: time(5, "answered_at")?,
                key: key.clone(),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
