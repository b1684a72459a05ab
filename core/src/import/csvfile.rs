//! Contact lists as CSV: LinkedIn's `Connections.csv` and Google Contacts' export.
//!
//! LinkedIn: newer exports start with a `Notes:` preamble and a blank line before the header
//! `First Name,Last Name,URL,Email Address,Company,Position,Connected On`; older ones have no
//! preamble and no URL column; some start with a byte-order mark (dropped when the file is
//! read). The connection date becomes "met on", and the contact is tagged `linkedin`.
//!
//! Google Contacts: both the current header (`First Name,Middle Name,Last Name,…,Labels,
//! E-mail 1 - Value,…`) and the older one (`Name,Given Name,…,Group Membership,…`). Several
//! values in one cell are separated by ` ::: `. Labels become tags (except Google's own
//! `myContacts` and `starred`).
//!
//! Kith's own CSV export (`id,name,roles,…`): the contact's id, name, roles, organisation,
//! location, handles, tags, expertise, how you met, notes and private notes come back. Cells
//! Kith wrote with a leading apostrophe (so spreadsheets do not run them as formulas) are read
//! without it; several values in one cell are separated by `; `.
//!
//! Columns are found by their header name, never by position.

use super::text::stable_hash;
use super::vcard::classify_url;
use super::{Batch, Ctx, Format, Parsed};
use crate::domain::*;
use crate::error::Result;
use chrono::NaiveDate;

/// The handle columns of Kith's CSV export.
const KITH_HANDLE_COLUMNS: [(&str, Platform); 7] = [
    ("email", Platform::Email),
    ("twitter", Platform::Twitter),
    ("mastodon", Platform::Mastodon),
    ("bluesky", Platform::Bluesky),
    ("blog", Platform::Blog),
    ("linkedin", Platform::Linkedin),
    ("phone", Platform::Phone),
];

/// Which CSV export this is, from its first lines.
pub(crate) fn recognise(text: &str) -> Option<Format> {
    let first = text.lines().next().unwrap_or("").trim();
    if first.starts_with("Notes:") {
        return Some(Format::Linkedin);
    }
    if first.starts_with("Account address") {
        return Some(Format::Mastodon);
    }
    let header = first.to_ascii_lowercase();
    if header.starts_with("id,name,roles,") {
        return Some(Format::Csv);
    }
    if header.contains("e-mail 1 - value")
        || (header.contains("given name") && header.contains("family name"))
        || (header.contains("first name") && header.contains("labels"))
    {
        return Some(Format::Google);
    }
    if header.contains("first name")
        && header.contains("last name")
        && (header.contains("connected on") || header.contains("email address"))
    {
        return Some(Format::Linkedin);
    }
    None
}

/// A CSV with its header and the line number of its first row, for error messages.
struct Table {
    header: Vec<String>,
    rows: Vec<(usize, csv::StringRecord)>,
}

impl Table {
    fn col(&self, name: &str) -> Option<usize> {
        self.header
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    }

    fn get<'a>(&self, row: &'a csv::StringRecord, name: &str) -> &'a str {
        self.col(name).and_then(|i| row.get(i)).unwrap_or("").trim()
    }
}

fn read_table(text: &str, skip_lines: usize, ctx: &Ctx<'_>) -> Result<Table> {
    let start: usize = text
        .split_inclusive('\n')
        .take(skip_lines)
        .map(str::len)
        .sum();
    let body = &text[start..];
    let mut lines = LineCounter::new(body);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(body.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| {
            ctx.bad(
                format!("line {}", skip_lines + 1),
                format!("unreadable CSV header: {e}"),
            )
        })?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let mut rows = Vec::new();
    for row in reader.records() {
        let row = row.map_err(|e| {
            let line = e.position().map(|p| p.line() as usize).unwrap_or(0) + skip_lines;
            ctx.bad(format!("line {line}"), format!("unreadable CSV: {e}"))
        })?;
        let line = row
            .position()
            .map_or(0, |p| lines.line_at(p.byte() as usize))
            + skip_lines;
        rows.push((line, row));
    }
    Ok(Table { header, rows })
}

/// The lines (from 1) of records met in file order. Each byte is counted once however many
/// records there are: counting from the start for every record cost the square of the file.
struct LineCounter<'t> {
    bytes: &'t [u8],
    at: usize,
    line: usize,
}

impl<'t> LineCounter<'t> {
    fn new(body: &'t str) -> Self {
        LineCounter {
            bytes: body.as_bytes(),
            at: 0,
            line: 1,
        }
    }

    /// The line of the record that starts at byte `at`. The reader's own line count is one
    /// short in files with CRLF line ends, where a record's position is taken before the `\n`
    /// of the line end before it.
    fn line_at(&mut self, at: usize) -> usize {
        let bytes = self.bytes;
        let mut at = at.min(bytes.len());
        while at < bytes.len() && matches!(bytes[at], b'\r' | b'\n') {
            at += 1;
        }
        if at < self.at {
            (self.at, self.line) = (0, 1);
        }
        self.line += bytes[self.at..at].iter().filter(|&&b| b == b'\n').count();
        self.at = at;
        self.line
    }
}

pub(crate) fn parse_linkedin(text: &str, ctx: &mut Ctx<'_>) -> Result<Parsed> {
    // Skip the preamble: everything before the header line.
    let skip = text
        .lines()
        .position(|l| l.trim_start().starts_with("First Name"))
        .ok_or_else(|| {
            ctx.bad(
                "the header",
                "no line starting with \"First Name\": this is not LinkedIn's Connections.csv",
            )
        })?;
    let table = read_table(text, skip, ctx)?;
    for needed in ["First Name", "Last Name"] {
        if table.col(needed).is_none() {
            return Err(ctx.bad(
                format!("line {}", skip + 1),
                format!("the header has no {needed:?} column"),
            ));
        }
    }
    let mut batch = Batch::new(ctx.now);
    let total = table.rows.len() as u64;
    for (n, (line, row)) in table.rows.iter().enumerate() {
        ctx.tick_every("reading connections", n as u64, Some(total))?;
        let name = format!(
            "{} {}",
            table.get(row, "First Name"),
            table.get(row, "Last Name")
        )
        .trim()
        .to_string();
        let url = table.get(row, "URL");
        let email = table.get(row, "Email Address");
        if name.is_empty() && url.is_empty() && email.is_empty() {
            batch.skipped += 1;
            continue;
        }
        let company = table.get(row, "Company");
        let key = if !url.is_empty() {
            format!("linkedin:{}", crate::store::normalize_handle(url))
        } else if !email.is_empty() {
            format!("linkedin:email:{}", email.to_lowercase())
        } else {
            format!("linkedin:{}", stable_hash(&[&name, company]))
        };
        let display = if name.is_empty() {
            email.to_string()
        } else {
            name.clone()
        };
        let display = if display.is_empty() {
            url.to_string()
        } else {
            display
        };
        let mut c = batch.contact(&key, &display);
        c.add_handle(Platform::Linkedin, url);
        c.add_handle(Platform::Email, email);
        c.organisation = company.to_string();
        let position = table.get(row, "Position");
        if !position.is_empty() {
            c.notes = format!("Position: {position}");
        }
        let connected = table.get(row, "Connected On");
        if !connected.is_empty() {
            let date = ["%d %b %Y", "%d-%b-%y", "%m/%d/%Y", "%Y-%m-%d"]
                .iter()
                .find_map(|f| NaiveDate::parse_from_str(connected, f).ok())
                .ok_or_else(|| {
                    ctx.bad(
                        format!("line {line}, column \"Connected On\""),
                        format!("{connected:?} is not a date (like \"22 Dec 2025\")"),
                    )
                })?;
            c.met_on = Some(date);
            c.met_where = "LinkedIn".into();
        }
        c.add_tag("linkedin");
        batch.check(ctx, || format!("line {line}"))?;
    }
    Ok(batch.finish())
}

pub(crate) fn parse_google(text: &str, ctx: &mut Ctx<'_>) -> Result<Parsed> {
    let table = read_table(text, 0, ctx)?;
    let cols_like = |prefix: &str, suffix: &str| -> Vec<String> {
        table
            .header
            .iter()
            .filter(|h| h.starts_with(prefix) && h.ends_with(suffix))
            .cloned()
            .collect()
    };
    let email_cols = cols_like("E-mail ", " - Value");
    let phone_cols = cols_like("Phone ", " - Value");
    let web_cols = cols_like("Website ", " - Value");
    let mut batch = Batch::new(ctx.now);
    let total = table.rows.len() as u64;
    for (n, (line, row)) in table.rows.iter().enumerate() {
        ctx.tick_every("reading contacts", n as u64, Some(total))?;
        let mut name = table.get(row, "Name").to_string();
        if name.is_empty() {
            name = [
                "First Name",
                "Middle Name",
                "Last Name",
                "Given Name",
                "Additional Name",
                "Family Name",
            ]
            .iter()
            .map(|c| table.get(row, c))
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        }
        let split = |cols: &[String]| -> Vec<String> {
            cols.iter()
                .flat_map(|c| {
                    table
                        .get(row, c)
                        .split(":::")
                        .map(|s| s.trim().to_string())
                        .collect::<Vec<_>>()
                })
                .filter(|s| !s.is_empty())
                .collect()
        };
        let emails = split(&email_cols);
        let phones = split(&phone_cols);
        let org = ["Organization Name", "Organization 1 - Name"]
            .iter()
            .map(|c| table.get(row, c))
            .find(|s| !s.is_empty())
            .unwrap_or("");
        if name.is_empty() {
            name = emails.first().cloned().unwrap_or_else(|| org.to_string());
        }
        if name.is_empty() {
            batch.skipped += 1;
            continue;
        }
        let key = match emails.first() {
            Some(e) => format!("google:email:{}", e.to_lowercase()),
            None => format!("google:{}", stable_hash(&[&name, &phones.join(","), org])),
        };
        let mut c = batch.contact(&key, &name);
        for e in &emails {
            c.add_handle(Platform::Email, e);
        }
        for p in &phones {
            c.add_handle(Platform::Phone, p);
        }
        for w in split(&web_cols) {
            let (p, v) = classify_url(&w);
            c.add_handle(p, &v);
        }
        c.organisation = org.to_string();
        let title = ["Organization Title", "Organization 1 - Title"]
            .iter()
            .map(|col| table.get(row, col))
            .find(|s| !s.is_empty())
            .unwrap_or("");
        let notes = table.get(row, "Notes");
        c.notes = [
            (!title.is_empty()).then(|| format!("Title: {title}")),
            (!notes.is_empty()).then(|| notes.to_string()),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("\n\n");
        c.location = [
            "Address 1 - City",
            "Address 1 - Region",
            "Address 1 - Country",
        ]
        .iter()
        .map(|col| table.get(row, col))
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
        for labels in ["Labels", "Group Membership"] {
            for l in table.get(row, labels).split(":::") {
                let l = l.trim().trim_start_matches("* ").trim();
                if !l.is_empty()
                    && !l.eq_ignore_ascii_case("myContacts")
                    && !l.eq_ignore_ascii_case("starred")
                {
                    c.add_tag(l);
                }
            }
        }
        batch.check(ctx, || format!("line {line}"))?;
    }
    Ok(batch.finish())
}

/// Kith's own CSV export, read back.
pub(crate) fn parse_kith(text: &str, ctx: &mut Ctx<'_>) -> Result<Parsed> {
    let table = read_table(text, 0, ctx)?;
    for needed in ["id", "name", "roles"] {
        if table.col(needed).is_none() {
            return Err(ctx.bad(
                "line 1",
                format!("the header has no {needed:?} column: this is not Kith's CSV export"),
            ));
        }
    }
    let mut batch = Batch::new(ctx.now);
    let total = table.rows.len() as u64;
    for (n, (line, row)) in table.rows.iter().enumerate() {
        ctx.tick_every("reading contacts", n as u64, Some(total))?;
        let cell = |name: &str| undefuse(table.get(row, name)).to_string();
        let list = |name: &str| -> Vec<String> {
            undefuse(table.get(row, name))
                .split("; ")
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
                .collect()
        };
        let name = cell("name");
        if name.is_empty() {
            return Err(ctx.bad(
                format!("line {line}, column \"name\""),
                "a contact needs a name",
            ));
        }
        let id = cell("id");
        let key = if id.is_empty() {
            format!("csv:{}", stable_hash(&[&name, &cell("email")]))
        } else {
            id
        };
        let mut roles = Vec::new();
        for label in list("roles") {
            let role = crate::export::parse_role_label(&label).ok_or_else(|| {
                ctx.bad(
                    format!("line {line}, column \"roles\""),
                    format!(
                        "{:?} is not a role (like \"mentor (acknowledged): Koha serials\")",
                        super::text::one_line(&label, 60)
                    ),
                )
            })?;
            roles.push(role);
        }
        let met_on = match cell("met_on") {
            d if d.is_empty() => None,
            d => Some(NaiveDate::parse_from_str(&d, "%Y-%m-%d").map_err(|_| {
                ctx.bad(
                    format!("line {line}, column \"met_on\""),
                    format!("{d:?} is not a date (like \"2025-10-16\")"),
                )
            })?),
        };
        let mut c = batch.contact(&key, &name);
        c.roles = roles;
        c.organisation = cell("organisation");
        c.location = cell("location");
        for (column, platform) in KITH_HANDLE_COLUMNS {
            for value in list(column) {
                c.add_handle(platform, &value);
            }
        }
        for t in list("tags") {
            c.add_tag(&t);
        }
        c.expertise = list("expertise");
        c.met_where = cell("met_where");
        c.met_on = met_on;
        c.met_through = cell("met_through");
        c.notes = cell("notes");
        c.private_notes = cell("private_notes");
        batch.check(ctx, || format!("line {line}"))?;
    }
    Ok(batch.finish())
}

/// A cell without the apostrophe Kith's export puts before text a spreadsheet would run as a
/// formula.
fn undefuse(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_tell_the_exports_apart() {
        assert_eq!(
            recognise("Notes:\n\"When exporting\"\n"),
            Some(Format::Linkedin)
        );
        assert_eq!(
            recognise("First Name,Last Name,Email Address,Company,Position,Connected On\n"),
            Some(Format::Linkedin)
        );
        assert_eq!(
            recognise(
                "First Name,Middle Name,Last Name,Labels,E-mail 1 - Label,E-mail 1 - Value\n"
            ),
            Some(Format::Google)
        );
        assert_eq!(
            recognise("Name,Given Name,Additional Name,Family Name\n"),
            Some(Format::Google)
        );
        assert_eq!(
            recognise("Account address,Show boosts\n"),
            Some(Format::Mastodon)
        );
        assert_eq!(
            recognise("id,name,roles,organisation,location,email\r\n"),
            Some(Format::Csv)
        );
        assert_eq!(recognise("a,b,c\n"), None);
    }

    #[test]
    fn rows_are_numbered_by_their_line_with_any_line_ends() {
        let ctx_free_lines = |text: &str| -> Vec<usize> {
            let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
            let mut lines = LineCounter::new(text);
            reader
                .records()
                .map(|r| lines.line_at(r.unwrap().position().unwrap().byte() as usize))
                .collect()
        };
        assert_eq!(ctx_free_lines("a,b\nx,y\n\"m\nn\",z\nq,r\n"), [2, 3, 5]);
        assert_eq!(
            ctx_free_lines("a,b\r\nx,y\r\n\"m\r\nn\",z\r\nq,r\r\n"),
            [2, 3, 5]
        );
    }
}
