//! Links the app opens outside itself: only web and mail links, and calendar files it wrote.

use chrono::{DateTime, Utc};
use kith_core::export::{render, ExportFormat, ExportInput, ExportOptions, Todo};
use kith_core::{Error, Store};
use std::path::PathBuf;

/// Accepts `http://`, `https://` and `mailto:` links; refuses everything else, so imported
/// text such as `javascript:alert(1)` can never be opened.
pub fn checked_url(url: &str) -> Result<String, Error> {
    let trimmed = url.trim();
    let lower = trimmed.to_ascii_lowercase();
    let allowed = ["http://", "https://", "mailto:"]
        .iter()
        .any(|scheme| lower.starts_with(scheme) && trimmed.len() > scheme.len());
    if !allowed || trimmed.chars().any(char::is_control) {
        return Err(Error::invalid(format!(
            "only web (http, https) and mailto: links can be opened, not {trimmed:?}"
        )));
    }
    Ok(trimmed.to_string())
}

/// Writes the follow-up of an accepted suggestion to an .ics file in the temp folder, under a
/// name nobody can guess or claim first, readable only by this user.
pub fn follow_up_calendar_file(
    store: &mut Store,
    suggestion_id: &str,
    now: DateTime<Utc>,
) -> Result<PathBuf, Error> {
    let plan = store
        .follow_ups()?
        .into_iter()
        .find(|f| f.suggestion_id == suggestion_id)
        .ok_or_else(|| Error::not_found("follow-up", suggestion_id))?;
    let due = plan.due_on.ok_or_else(|| {
        Error::invalid("this follow-up has no due date; set one to add it to a calendar")
    })?;
    let todo = Todo {
        id: format!("follow-up-{}", plan.suggestion_id),
        contact_id: plan.contact_id.clone(),
        summary: plan.summary.clone(),
        description: plan.note.clone(),
        due,
    };
    let contacts: Vec<_> = match plan.contact_id.as_deref() {
        Some(id) => vec![store.contact(id)?],
        None => Vec::new(),
    };
    let output = render(
        ExportFormat::Ics,
        &ExportInput {
            contacts: &contacts,
            interactions: &[],
            events: &[],
            todos: std::slice::from_ref(&todo),
            now,
        },
        &ExportOptions::default(),
    )?;
    let bytes: Vec<u8> = output.files.into_iter().flat_map(|f| f.bytes).collect();
    kith_core::files::write_private_temp("kith-follow-up-", ".ics", &bytes)
}

#[cfg(test)]
mod tests {
    use super::checked_url;

    #[test]
    fn only_web_and_mail_links_are_opened() {
        for ok in [
            "https://deepa.example.org",
            "http://x.example",
            "mailto:a@example.org?subject=Hi",
            "  HTTPS://CAPS.example ",
        ] {
            assert!(checked_url(ok).is_ok(), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            "file:///etc/passwd",
            "data:text/html,<script>",
            "https://",
            "mailto:",
            "ftp://x",
            "https://x\n.example",
            "vbscript:x",
            "",
        ] {
            assert_eq!(
                checked_url(bad).unwrap_err().code(),
                "invalid_input",
                "{bad:?}"
            );
        }
    }
}
