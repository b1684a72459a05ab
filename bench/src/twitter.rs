//! A large Twitter/X archive, built the way the platform lays one out: `data/account.js`,
//! `data/tweets.js` (a third of them replies) and `data/direct-messages.js` (conversations of
//! ten messages), every tweet mentioning one of `people` accounts.

use std::io::Write;
use std::path::Path;

/// The archive's size: tweets, direct messages and the people they are with.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    pub tweets: usize,
    pub dms: usize,
    pub people: usize,
}

impl Shape {
    /// 100,000 tweets and 10,000 direct messages with 2,000 people, times `scale`.
    pub fn scaled(scale: usize) -> Shape {
        Shape {
            tweets: 100_000 * scale,
            dms: 10_000 * scale,
            people: 2_000 * scale,
        }
    }
}

pub fn write(path: &Path, shape: Shape) -> std::io::Result<()> {
    let file = std::fs::File::create(path)?;
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default();
    zip.start_file("data/account.js", options)?;
    zip.write_all(br#"window.YTD.account.part0 = [{"account": {"username": "me", "accountId": "1", "accountDisplayName": "Me"}}]"#)?;

    zip.start_file("data/tweets.js", options)?;
    let mut out = String::from("window.YTD.tweets.part0 = [\n");
    for n in 0..shape.tweets {
        let who = 1000 + n % shape.people;
        let reply = if n % 3 == 0 && n > 0 {
            format!(
                r#""in_reply_to_status_id_str": "{}", "in_reply_to_user_id_str": "{who}", "in_reply_to_screen_name": "user{who}","#,
                10_000_000 + n - 1
            )
        } else {
            String::new()
        };
        if n > 0 {
            out.push_str(",\n");
        }
        out.push_str(&format!(
            r#"{{"tweet": {{"id_str": "{}", "created_at": "Sat Aug 12 16:{:02}:37 +0000 2023", {reply} "full_text": "@user{who} thanks for tweet number {n} about #code4lib &amp; cataloguing", "entities": {{"user_mentions": [{{"screen_name": "user{who}", "name": "Person {who}", "id_str": "{who}"}}], "hashtags": [{{"text": "code4lib"}}]}}}}}}"#,
            10_000_000 + n,
            n % 60
        ));
    }
    out.push_str("\n]");
    zip.write_all(out.as_bytes())?;

    zip.start_file("data/direct-messages.js", options)?;
    let mut out = String::from("window.YTD.direct_messages.part0 = [\n");
    let per = 10;
    for c in 0..shape.dms / per {
        let who = 1000 + c % shape.people;
        if c > 0 {
            out.push_str(",\n");
        }
        out.push_str(&format!(
            r#"{{"dmConversation": {{"conversationId": "1-{who}", "messages": ["#
        ));
        for m in 0..per {
            let id = 50_000_000 + c * per + m;
            let (s, r) = if m % 2 == 0 { (who, 1) } else { (1, who) };
            if m > 0 {
                out.push(',');
            }
            out.push_str(&format!(
                r#"{{"messageCreate": {{"recipientId": "{r}", "senderId": "{s}", "id": "{id}", "text": "message {id} about serials", "createdAt": "2023-08-16T08:{:02}:00.000Z"}}}}"#,
                m % 60
            ));
        }
        out.push_str("]}}");
    }
    out.push_str("\n]");
    zip.write_all(out.as_bytes())?;
    zip.finish()?;
    Ok(())
}
