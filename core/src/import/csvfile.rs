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
    if let Some(line) = unclosed_quote(body) {
        return Err(ctx.bad(
            format!("line {}", line + skip_lines),
            "the file ends inside a quoted cell that starts on this line; it looks cut short, \
             so nothing was imported",
        ));
    }
    let mut lines = LineCounter::new(body);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(body.as_bytes());
    let header: Vec<String> = reader
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
        // Each row becomes a contact: a file of millions of one-cell rows is refused before
        // they are all held.
        if rows.len() >= ctx.limits.max_records {
            return Err(super::too_many_records(
                &ctx.label,
                format!("line {line}"),
                "rows",
                rows.len() as u64 + 1,
                true,
                ctx.limits.max_records,
            ));
        }
        rows.push((line, row));
    }
    if let Some((line, last)) = rows.last() {
        let ended = body.ends_with('\n') || body.ends_with('\r');
        if !ended && last.len() < header.len() {
            return Err(ctx.bad(
                format!("line {line}"),
                format!(
                    "the file ends inside this row ({} of {} cells); it looks cut short, so \
                     nothing was imported",
                    last.len(),
                    header.len()
                ),
            ));
        }
    }
    Ok(Table { header, rows })
}

/// The line (from 1) of a quoted cell that the text never closes, if any. Quotes open a cell
/// only at its start, as in RFC 4180 and the `csv` reader; `""` inside is a quote.
fn unclosed_quote(body: &str) -> Option<usize> {
    #[derive(PartialEq)]
    enum S {
        CellStart,
        Plain,
        Quoted,
        QuoteInQuoted,
    }
    let mut state = S::CellStart;
    let mut line = 1;
    let mut opened = 0;
    for c in body.chars() {
        state = match (state, c) {
            (S::CellStart, '"') => {
                opened = line;
                S::Quoted
            }
            (S::Quoted, '"') => S::QuoteInQuoted,
            (S::Quoted, _) => S::Quoted,
            (S::QuoteInQuoted, '"') => S::Quoted,
            (_, ',' | '\n' | '\r') => S::CellStart,
            _ => S::Plain,
        };
        if c == '\n' {
            line += 1;
        }
    }
    (state == S::Quoted).then_some(opened)
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
    let order = date_order(&table, ctx)?;
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
        // Older exports put the member's URN (`urn:li:member:123`) where the connection
        // shares no address: an id, not an email address.
        let email_cell = table.get(row, "Email Address");
        let member = email_cell
            .strip_prefix("urn:li:member:")
            .or_else(|| email_cell.strip_prefix("urn:li:person:"))
            .filter(|id| !id.is_empty());
        let email = if email_cell.contains('@') && !email_cell.starts_with("urn:") {
            email_cell
        } else {
            ""
        };
        if name.is_empty() && url.is_empty() && email.is_empty() {
            batch.skipped += 1;
            continue;
        }
        let company = table.get(row, "Company");
        let key = if !url.is_empty() {
            format!("linkedin:{}", crate::store::normalize_handle(url))
        } else if !email.is_empty() {
            format!("linkedin:email:{}", email.to_lowercase())
        } else if let Some(id) = member {
            format!("linkedin:member:{id}")
        } else {
            format!("linkedin:{}", stable_hash(&[&name, company]))
        };
        let display = [name.as_str(), email, url]
            .into_iter()
            .find(|s| !s.is_empty())
            .unwrap_or_default()
            .to_string();
        let connected = table.get(row, "Connected On");
        let met_on = if connected.is_empty() {
            None
        } else {
            Some(parse_linkedin_date(connected, order).ok_or_else(|| {
                ctx.bad(
                    format!("line {line}, column \"Connected On\""),
                    format!(
                        "{connected:?} is not a date LinkedIn writes (like \"22 Dec 2025\", \
                         \"12/22/25\" or \"1/8/18, 6:14 PM\")"
                    ),
                )
            })?)
        };
        let mut c = batch.contact(&key, &display);
        c.add_handle(Platform::Linkedin, url);
        c.add_handle(Platform::Email, email);
        merge_field(&mut c, Field::Organisation, company);
        let position = table.get(row, "Position");
        if !position.is_empty() {
            merge_notes(&mut c.notes, &format!("Position: {position}"));
        }
        if let Some(date) = met_on {
            // The same connection twice keeps the earlier date: when you first connected.
            if c.met_on.is_none_or(|d| date < d) {
                c.met_on = Some(date);
            }
            c.met_where = "LinkedIn".into();
        }
        c.add_tag("linkedin");
        batch.check(ctx, || format!("line {line}"))?;
    }
    Ok(batch.finish())
}

/// Day before month or month before day, for the numeric dates of one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DateOrder {
    MonthFirst,
    DayFirst,
}

/// How a LinkedIn file writes `a/b/y`: decided from the rows whose first number (a day)
/// or second number (a day) is over 12. LinkedIn wrote `M/D/YY, h:mm AM/PM` in 2017–2019
/// whatever the member's language, so month first is the default when no row tells; a file
/// with both kinds of rows is refused, since one of them must be misread.
fn date_order(table: &Table, ctx: &Ctx<'_>) -> Result<DateOrder> {
    let mut day_first: Option<usize> = None;
    let mut month_first: Option<usize> = None;
    for (line, row) in &table.rows {
        let Some((a, b, _)) = numeric_date(table.get(row, "Connected On")) else {
            continue;
        };
        if a > 12 && b <= 12 {
            day_first.get_or_insert(*line);
        }
        if b > 12 && a <= 12 {
            month_first.get_or_insert(*line);
        }
    }
    match (day_first, month_first) {
        (Some(d), Some(m)) => Err(ctx.bad(
            format!("line {}, column \"Connected On\"", d.max(m)),
            format!(
                "line {d} writes the day first and line {m} the month first; \
                 one of them would be misread"
            ),
        )),
        (Some(_), None) => Ok(DateOrder::DayFirst),
        _ => Ok(DateOrder::MonthFirst),
    }
}

/// `a/b/y` (or with `.` or `-`), with an optional time after it; a two-digit year is
/// 2000–2069 or 1970–1999.
fn numeric_date(s: &str) -> Option<(u32, u32, i32)> {
    let date = s.split([',', ' ', 'T']).next()?.trim();
    let sep = ['/', '.', '-'].into_iter().find(|c| date.contains(*c))?;
    let parts: Vec<&str> = date.split(sep).collect();
    let [a, b, y] = parts.as_slice() else {
        return None;
    };
    if [a, b, y]
        .iter()
        .any(|p| p.is_empty() || !p.bytes().all(|c| c.is_ascii_digit()))
    {
        return None;
    }
    if a.len() > 2 || b.len() > 2 {
        return None;
    }
    let year: i32 = match y.len() {
        2 => {
            let y: i32 = y.parse().ok()?;
            if y < 70 {
                2000 + y
            } else {
                1900 + y
            }
        }
        4 => y.parse().ok()?,
        _ => return None,
    };
    Some((a.parse().ok()?, b.parse().ok()?, year))
}

/// A "Connected On" cell in any form LinkedIn has used: `22 Dec 2025` (2020s), `03-Jan-19`,
/// `1/8/18, 6:14 PM` (2017–2019), `12/22/25`, `22/12/2025`, `2018-01-08`. The time, when
/// there is one, is dropped: Kith keeps the day.
fn parse_linkedin_date(s: &str, order: DateOrder) -> Option<NaiveDate> {
    let s = s.trim();
    for f in [
        "%d %b %Y",
        "%d %B %Y",
        "%d-%b-%y",
        "%d-%b-%Y",
        "%Y-%m-%d",
        "%b %d, %Y",
        "%B %d, %Y",
        "%d %b %y",
    ] {
        if let Ok(d) = NaiveDate::parse_from_str(s, f) {
            return Some(d);
        }
    }
    // A named-month date followed by a time ("22 Dec 2025, 18:14").
    if let Some((date, time)) = s.split_once(',') {
        if time.contains(':') {
            for f in ["%d %b %Y", "%b %d %Y"] {
                if let Ok(d) = NaiveDate::parse_from_str(date.trim(), f) {
                    return Some(d);
                }
            }
        }
    }
    if let Some(iso) = s.get(..10) {
        if s.len() > 10 && matches!(s.as_bytes()[10], b'T' | b' ') {
            if let Ok(d) = NaiveDate::parse_from_str(iso, "%Y-%m-%d") {
                return Some(d);
            }
        }
    }
    let (a, b, year) = numeric_date(s)?;
    let rest = s.split_once([',', ' ']).map_or("", |(_, r)| r.trim());
    if !rest.is_empty() && !is_time(rest) {
        return None;
    }
    let (month, day) = match order {
        DateOrder::MonthFirst => (a, b),
        DateOrder::DayFirst => (b, a),
    };
    NaiveDate::from_ymd_opt(year, month, day)
}

/// `6:14 PM`, `18:14`, `18:14:05`.
fn is_time(s: &str) -> bool {
    let s = s.trim();
    let clock = s
        .strip_suffix("AM")
        .or_else(|| s.strip_suffix("PM"))
        .or_else(|| s.strip_suffix("am"))
        .or_else(|| s.strip_suffix("pm"))
        .unwrap_or(s)
        .trim();
    let parts: Vec<&str> = clock.split(':').collect();
    (2..=3).contains(&parts.len())
        && parts
            .iter()
            .all(|p| (1..=2).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
}

/// The single-valued fields that two rows for the same person may both fill.
enum Field {
    Organisation,
    Location,
}

/// Fills `field` from a row, never erasing: an empty cell leaves what an earlier row gave,
/// and a different value is kept in the notes rather than replacing the first.
fn merge_field(c: &mut Contact, field: Field, value: &str) {
    let value = value.trim();
    let (slot, label) = match field {
        Field::Organisation => (&mut c.organisation, "Organisation"),
        Field::Location => (&mut c.location, "Location"),
    };
    if value.is_empty() || slot.eq_ignore_ascii_case(value) {
        return;
    }
    if slot.is_empty() {
        *slot = value.to_string();
        return;
    }
    let note = format!("{label}: {value}");
    merge_notes(&mut c.notes, &note);
}

/// Adds `text` to `notes` unless it is already there.
fn merge_notes(notes: &mut String, text: &str) {
    let text = text.trim();
    if text.is_empty() || notes.contains(text) {
        return;
    }
    if !notes.is_empty() {
        notes.push_str("\n\n");
    }
    notes.push_str(text);
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
        merge_field(&mut c, Field::Organisation, org);
        let title = ["Organization Title", "Organization 1 - Title"]
            .iter()
            .map(|col| table.get(row, col))
            .find(|s| !s.is_empty())
            .unwrap_or("");
        if !title.is_empty() {
            merge_notes(&mut c.notes, &format!("Title: {title}"));
        }
        merge_notes(&mut c.notes, table.get(row, "Notes"));
        let dates = google_dates(&table, row, *line, &mut batch.notes);
        let mut c = batch.contact(&key, &name);
        c.dates.extend(dates);
        let location = [
            "Address 1 - City",
            "Address 1 - Region",
            "Address 1 - Country",
        ]
        .iter()
        .map(|col| table.get(row, col))
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
        merge_field(&mut c, Field::Location, &location);
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

/// Google's `Birthday` column and its events (`Event 1 - Type` / `Event 1 - Value`; the type
/// is "Anniversary" or the user's own label). A date may lack its year (`--04-12`); one that
/// is no date is left out, and the import says so.
fn google_dates(
    table: &Table,
    row: &csv::StringRecord,
    line: usize,
    notes: &mut Vec<String>,
) -> Vec<ImportantDate> {
    let mut found = vec![(
        DateKind::Birthday,
        String::new(),
        table.get(row, "Birthday"),
    )];
    for (i, h) in table.header.iter().enumerate() {
        let Some(n) = h
            .strip_prefix("Event ")
            .and_then(|r| r.strip_suffix(" - Value"))
        else {
            continue;
        };
        let value = row.get(i).unwrap_or("").trim();
        let label = table.get(row, &format!("Event {n} - Type"));
        let kind = if label.eq_ignore_ascii_case("anniversary") {
            DateKind::Anniversary
        } else {
            DateKind::Other
        };
        let label = if kind == DateKind::Other { label } else { "" };
        found.push((kind, label.trim_start_matches("* ").to_string(), value));
    }
    let mut out = Vec::new();
    for (kind, label, value) in found {
        for value in value.split(":::").map(str::trim).filter(|v| !v.is_empty()) {
            match ImportantDate::parse(kind, value) {
                Ok(mut d) => {
                    d.label = label.clone();
                    if !out.contains(&d) {
                        out.push(d);
                    }
                }
                Err(why) => notes.push(format!(
                    "line {line}: {} left out: {why}",
                    kind.label().to_lowercase()
                )),
            }
        }
    }
    out
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
    fn every_linkedin_date_form_reads() {
        let m = DateOrder::MonthFirst;
        let d = |y, mo, da| NaiveDate::from_ymd_opt(y, mo, da);
        assert_eq!(parse_linkedin_date("22 Dec 2025", m), d(2025, 12, 22));
        assert_eq!(parse_linkedin_date("1/8/18, 6:14 PM", m), d(2018, 1, 8));
        assert_eq!(parse_linkedin_date("12/22/25", m), d(2025, 12, 22));
        assert_eq!(parse_linkedin_date("03-Jan-19", m), d(2019, 1, 3));
        assert_eq!(parse_linkedin_date("2018-01-08", m), d(2018, 1, 8));
        assert_eq!(
            parse_linkedin_date("22/12/2025 18:14", DateOrder::DayFirst),
            d(2025, 12, 22)
        );
        assert_eq!(
            parse_linkedin_date("8/1/18", DateOrder::DayFirst),
            d(2018, 1, 8)
        );
        assert_eq!(parse_linkedin_date("13/13/18", m), None);
        assert_eq!(parse_linkedin_date("someday", m), None);
    }

    #[test]
    fn a_quote_left_open_is_found_where_it_opens() {
        assert_eq!(unclosed_quote("a,b\n1,\"x\ny\",2\n"), None);
        assert_eq!(unclosed_quote("a,b\n1,\"x\"\"y\n"), Some(2));
        assert_eq!(unclosed_quote("a,b\n1,x\"y\n"), None);
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
