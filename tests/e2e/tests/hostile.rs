//! Hostile text in the real window. Sixty strings that would run code, break the layout or
//! confuse the search if they were treated as anything but text are imported with `kith import`
//! (a Kith archive built here) into the store the app opens, as names, notes, organisations,
//! handles and interaction text. In the window, for each of them:
//! - nothing runs: every script-like payload tries to set `window.kithPwned` or
//!   `document.title`, and the page holds no element or attribute the payloads carry;
//! - the layout holds: the list's row keeps the height of an ordinary row and nothing scrolls
//!   sideways, in the list or on the contact's page;
//! - it is found by search, through the search box (by a marker word in the name) and through
//!   the search command with the payload itself as the query;
//! - the name is shown exactly as stored.
//!
//! A file that is not UTF-8 is refused by `kith import` with the place named, and nothing is
//! written.

use kith_e2e::prelude::*;
use serde_json::{json, Value};
use std::collections::HashMap;

const WAIT: Duration = Duration::from_secs(20);

/// The one-megabyte name: as long as a name may be (Kith keeps at most 1 MB of text in one
/// field), less room for what the test adds around it.
const MEGABYTE: usize = (1 << 20) - 64;

fn payloads() -> Vec<String> {
    let mut p: Vec<String> = [
        // Markup and script.
        "<script>window.kithPwned = 1</script>",
        "<img src=x onerror=\"window.kithPwned = 2\">",
        "<svg onload=\"window.kithPwned = 3\"></svg>",
        "<iframe src=\"javascript:parent.kithPwned = 4\"></iframe>",
        "<a href=\"javascript:window.kithPwned = 5\">click me</a>",
        "\"><img src=x onerror=window.kithPwned=6>",
        "'><script>document.title = 'pwned'</script>",
        "<body onload=\"document.title = 'pwned'\">",
        "<div onmouseover=\"window.kithPwned = 9\">hover</div>",
        "<input autofocus onfocus=\"window.kithPwned = 10\">",
        "<details open ontoggle=\"window.kithPwned = 11\"><summary>x</summary></details>",
        "<math><mtext><table><mglyph><style><img src=x onerror=window.kithPwned=12>",
        "<style>* { display: none !important }</style>",
        "<link rel=stylesheet href=https://evil.example/x.css>",
        "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\">",
        "<base href=\"https://evil.example/\">",
        "<form action=https://evil.example><button>go</button></form>",
        "<object data=\"javascript:window.kithPwned = 18\"></object>",
        "<embed src=\"javascript:window.kithPwned = 19\">",
        "<template><img src=x onerror=window.kithPwned=20></template>",
        "<noscript><p title=\"</noscript><img src=x onerror=window.kithPwned=21>\">",
        "</textarea><script>window.kithPwned = 22</script>",
        "</title><script>document.title = 'pwned'</script>",
        "<a href=\"https://evil.example\" target=_blank>a link</a>",
        "<!-- a comment --> <![CDATA[ cdata ]]>",
        "&lt;b&gt;entities&lt;/b&gt; &amp;amp; &#60;script&#62;",
        "%3Cscript%3Ewindow.kithPwned=27%3C/script%3E",
        "\\x3cscript\\x3ewindow.kithPwned=28\\x3c/script\\x3e",
        "onerror=window.kithPwned=29 onload=window.kithPwned=29",
        "\u{ff1c}script\u{ff1e}fullwidth\u{ff1c}/script\u{ff1e}",
        // Template syntax.
        "${window.kithPwned = 31}",
        "{{constructor.constructor('window.kithPwned = 32')()}}",
        "{{7*7}} {{{triple}}}",
        "#{7*7} <%= 7*7 %> [[${7*7}]]",
        "__proto__ constructor prototype",
        // SQL and full-text query syntax.
        "\" OR 1=1 --",
        "'; DROP TABLE contacts; --",
        "Robert'); DROP TABLE interactions;--",
        "NEAR(serials cataloguing, 2)",
        "\"unbalanced quote",
        "koha* OR marc* NOT dublin",
        "name:serials MATCH * AND ^start",
        "100% _wild\\card_ LIKE '%'",
        // Unicode that reorders, hides or stacks.
        "\u{202e}gnp.exe right-to-left override",
        "\u{202b}embedded\u{202c} and \u{2066}isolated\u{2069} direction",
        "zero\u{200b}width\u{200c}non\u{200d}joiner\u{feff}bom\u{2060}joiner",
        "line\u{2028}separator\u{2029}paragraph",
        "bell\u{7} escape\u{1b}[31m red\u{1b}[0m",
        "null\u{0}byte",
        "tabs\t\t\tand\r\ncarriage returns",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    // javascript:, data: and vbscript: URLs, also used as the contact's blog handle.
    for url in [
        "javascript:window.kithPwned=51",
        "JaVaScRiPt:document.title='pwned'",
        " javascript:window.kithPwned=53",
        "data:text/html,<script>window.kithPwned=54</script>",
        "vbscript:msgbox(55)",
    ] {
        p.push(url.to_string());
    }
    // Combining-character floods.
    p.push(format!(
        "Z{}algo",
        "\u{301}\u{316}\u{334}\u{35c}".repeat(500)
    ));
    p.push(format!("e{}", "\u{301}".repeat(5000)));
    p.push("\u{1f469}\u{200d}\u{1f469}\u{200d}\u{1f467}\u{200d}\u{1f466}".repeat(300));
    // An unbroken word and a megabyte name.
    p.push("W".repeat(10_000));
    p.push("M".repeat(MEGABYTE));
    p
}

fn marker(i: usize) -> String {
    format!("zqv{i:03}")
}

fn is_url(payload: &str) -> bool {
    let p = payload.trim_start().to_ascii_lowercase();
    ["javascript:", "data:", "vbscript:"]
        .iter()
        .any(|s| p.starts_with(s))
}

/// The archive: one contact per payload, and a control contact with an ordinary name.
fn archive(payloads: &[String]) -> Value {
    let mut contacts = vec![json!({"id": "control", "name": "Ordinary Person zqvctl",
        "organisation": "City Library"})];
    let mut interactions = Vec::new();
    for (i, p) in payloads.iter().enumerate() {
        let huge = p.len() > 50_000;
        let short: String = p.chars().take(2_000).collect();
        let mut handles = json!({ "twitter": format!("@h{i}") });
        if is_url(p) {
            handles["blog"] = json!(p);
        } else if !huge {
            handles["other"] = json!(short);
        }
        contacts.push(json!({
            "id": format!("hostile-{i}"),
            "name": format!("{p} {}", marker(i)),
            "organisation": short,
            "location": short,
            "notes": short,
            "tags": [format!("hostile {}", i % 3)],
            "handles": handles,
        }));
        interactions.push(json!({
            "id": format!("hostile-i{i}"),
            "contact_ids": [format!("hostile-{i}")],
            "channel": "email",
            "direction": "inbound",
            "occurred_at": "2026-09-01T10:00:00Z",
            "text": format!("{short} {}", marker(i)),
        }));
    }
    json!({"format": "kith-archive", "version": 1, "contacts": contacts,
           "interactions": interactions, "events": []})
}

/// Run in the page: what a payload would have done if it had run or been parsed as markup.
const DAMAGE: &str = r#"
    const found = document.body.querySelectorAll(
        'script, iframe, object, embed, base, meta, link, style, template, math, img, details, ' +
        '[onerror], [onload], [onclick], [onmouseover], [onfocus], [ontoggle], ' +
        '[href*="evil.example"], [src*="evil.example"], [action*="evil.example"], ' +
        'a[href^="javascript:" i], a[href^="data:" i], a[href^="vbscript:" i]');
    return {
        pwned: typeof window.kithPwned === "undefined" ? null : String(window.kithPwned),
        title: document.title,
        elements: Array.from(found).slice(0, 5).map((e) => e.outerHTML.slice(0, 200)),
    };
"#;

/// Run in the page: the list with one row (or more), its geometry, and sideways overflow.
const LIST_STATE: &str = r#"
    const rows = Array.from(document.querySelectorAll('[data-testid="contact-row"]'));
    const name = rows.length ? rows[0].querySelector('.row-name') : null;
    const expected = arguments[0];
    const overflow = [];
    const de = document.documentElement;
    if (de.scrollWidth > de.clientWidth) overflow.push('document ' + de.scrollWidth + ' > ' + de.clientWidth);
    for (const sel of ['.contacts', '#contact-list', '.list-header']) {
        const el = document.querySelector(sel);
        if (el && el.scrollWidth > el.clientWidth + 1) overflow.push(sel + ' ' + el.scrollWidth + ' > ' + el.clientWidth);
    }
    if (rows.length) {
        const r = rows[0].getBoundingClientRect();
        const list = (document.querySelector('#contact-list') || rows[0].parentElement).getBoundingClientRect();
        if (r.right > list.right + 1) overflow.push('row right ' + r.right + ' > list right ' + list.right);
    }
    return {
        rows: rows.length,
        same: name ? name.textContent === expected : false,
        shown: name ? name.textContent.slice(0, 80) : null,
        shownLength: name ? name.textContent.length : 0,
        height: rows.length ? rows[0].getBoundingClientRect().height : 0,
        overflow,
    };
"#;

/// Run in the page: the contact page's title and sideways overflow.
const PAGE_STATE: &str = r#"
    const title = document.querySelector('[data-testid="contact-title"]');
    const overflow = [];
    const de = document.documentElement;
    if (de.scrollWidth > de.clientWidth) overflow.push('document ' + de.scrollWidth + ' > ' + de.clientWidth);
    for (const sel of ['.detail-pane', '.contact-page', '.page-header', '.timeline']) {
        const el = document.querySelector(sel);
        if (el && el.scrollWidth > el.clientWidth + 1) overflow.push(sel + ' ' + el.scrollWidth + ' > ' + el.clientWidth);
    }
    const pane = document.querySelector('.detail-pane');
    if (pane && title && title.getBoundingClientRect().right > pane.getBoundingClientRect().right + 1)
        overflow.push('title wider than the pane');
    return { same: title ? title.textContent === arguments[0] : false, overflow };
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_text_is_inert_fits_and_is_found() -> Result<()> {
    let payloads = payloads();
    assert!(payloads.len() >= 60, "{} payloads", payloads.len());
    let profile = Profile::new()?;

    // A name whose bytes are not the character set it declares is refused, names the place,
    // and writes nothing. (Undeclared 8-bit text is read as Windows-1252, as address books
    // write it.)
    let bad = profile.dir().join("latin1.vcf");
    let mut bytes = b"BEGIN:VCARD\nVERSION:3.0\nFN;CHARSET=UTF-8:Ren".to_vec();
    bytes.extend_from_slice(&[0xe9, 0xe9]); // "é" in Latin-1, invalid as UTF-8
    bytes.extend_from_slice(b"e Dupont\nEND:VCARD\n");
    std::fs::write(&bad, bytes)?;
    let before = profile.kith_ok(&["stats", "--json"])?;
    let out = profile.kith(&["import", bad.to_str().ok_or("path")?])?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "a non-UTF-8 file was accepted");
    assert!(
        stderr.contains("latin1.vcf") && stderr.contains("line 3") && stderr.contains("UTF-8"),
        "the refusal should name the file, the line and the problem: {stderr}"
    );
    assert_eq!(profile.kith_ok(&["stats", "--json"])?, before);

    // The hostile network, imported with the CLI into the store the app opens.
    let file = profile.dir().join("hostile.json");
    std::fs::write(&file, serde_json::to_vec(&archive(&payloads))?)?;
    profile.kith_ok(&["import", file.to_str().ok_or("path")?])?;
    let listed: Vec<Value> = serde_json::from_str(&profile.kith_ok(&["contacts", "--json"])?)?;
    let stored: HashMap<String, String> = listed
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap_or("").to_string(),
                c["name"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(
        stored.len(),
        payloads.len() + 1,
        "every contact was imported"
    );
    for (i, p) in payloads.iter().enumerate() {
        let name = &stored[&format!("hostile-{i}")];
        assert!(
            name.contains(p.trim()) && name.ends_with(&marker(i)),
            "payload {i} was changed on the way in: {:?}",
            name.chars().take(80).collect::<String>()
        );
    }

    let app = App::launch_in(profile).await?;
    app.testid("contact-row").await?;
    let title: String = app
        .execute("return document.title;", vec![])
        .await?
        .convert()?;

    // The ordinary row's height is the one every row must keep.
    let search = app.testid("search-input").await?;
    search.send_keys("zqvctl").await?;
    let control = list_state(&app, "Ordinary Person zqvctl").await?;
    let row_height = control["height"].as_f64().unwrap_or(0.0);
    assert!(row_height > 10.0, "control row: {control}");

    let mut screenshots = 0;
    for (i, p) in payloads.iter().enumerate() {
        let id = format!("hostile-{i}");
        let name = &stored[&id];
        let what = format!("payload {i} ({:?})", p.chars().take(40).collect::<String>());

        // Found through the search box, by the marker word in its name.
        let search = app.testid("search-input").await?;
        search.clear().await?;
        search.send_keys(marker(i)).await?;
        let state = list_state(&app, name).await?;
        assert_eq!(state["same"], json!(true), "{what}: the row shows {state}");
        assert_eq!(
            state["height"].as_f64(),
            Some(row_height),
            "{what}: the row's height changed: {state}"
        );
        assert_eq!(
            state["overflow"],
            json!([]),
            "{what}: the list overflows: {state}"
        );

        // Its page: the name as stored, nothing sideways.
        app.testid("contact-row").await?.click().await?;
        let page = page_state(&app, name).await?;
        assert_eq!(
            page["overflow"],
            json!([]),
            "{what}: the page overflows: {page}"
        );
        if matches!(i, 0 | 43 | 55) || p.len() == MEGABYTE {
            app.screenshot(&format!("hostile-{i}")).await?;
            screenshots += 1;
        }

        // Found through the search command with the payload itself as the query: no syntax
        // error, and the contact among the results when the payload has words to find.
        if p.len() < 50_000 {
            let answer = app.invoke("search", json!({ "query": p })).await?;
            let results = answer.map_err(|e| format!("{what}: search failed: {e}"))?;
            if p.chars().any(char::is_alphanumeric) {
                let ids: Vec<&str> = results["contacts"]
                    .as_array()
                    .map(|a| a.iter().filter_map(|c| c["id"].as_str()).collect())
                    .unwrap_or_default();
                assert!(
                    ids.contains(&id.as_str()),
                    "{what}: searching for it found {} contacts, not this one",
                    ids.len()
                );
            }
        }

        let damage: Value = app.execute(DAMAGE, vec![]).await?.convert()?;
        assert_eq!(
            damage["pwned"],
            Value::Null,
            "{what}: a payload ran: {damage}"
        );
        assert_eq!(
            damage["title"],
            json!(title),
            "{what}: the title changed: {damage}"
        );
        assert_eq!(
            damage["elements"],
            json!([]),
            "{what}: markup was parsed: {damage}"
        );
    }
    assert_eq!(screenshots, 4);

    // Every hostile row at once, for the screenshot.
    let search = app.testid("search-input").await?;
    search.clear().await?;
    search.send_keys("hostile").await?;
    app.screenshot("hostile-list").await?;

    app.close().await?;
    Ok(())
}

/// Waits until the list shows exactly one row, then returns [`LIST_STATE`] for it.
async fn list_state(app: &App, name: &str) -> Result<Value> {
    poll(
        app,
        LIST_STATE,
        name,
        "the search to narrow the list to this one row",
        |v| v["rows"] == json!(1) && v["same"] == json!(true),
    )
    .await
}

/// Waits until the contact page shows `name`, then returns [`PAGE_STATE`].
async fn page_state(app: &App, name: &str) -> Result<Value> {
    poll(
        app,
        PAGE_STATE,
        name,
        "the contact page to show the name",
        |v| v["same"] == json!(true),
    )
    .await
}

/// Runs `script` with `name` until `done` holds for its answer, which it returns; fails after
/// [`WAIT`] with the last answer.
async fn poll(
    app: &App,
    script: &str,
    name: &str,
    what: &str,
    done: impl Fn(&Value) -> bool,
) -> Result<Value> {
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let v: Value = app.execute(script, vec![json!(name)]).await?.convert()?;
        if done(&v) {
            return Ok(v);
        }
        if std::time::Instant::now() > deadline {
            return Err(
                format!("timed out after {WAIT:?} waiting for {what}; last state {v}").into(),
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
