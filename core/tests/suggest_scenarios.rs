//! Runs every scenario in `tests/scenarios/`: a small network in Kith's archive format
//! (`<name>.json`) and what suggestions it must and must not give at a moment
//! (`<name>.expect.json`):
//!
//! ```json
//! {"at": "RFC 3339", "expect": [{"contact_id": "c1", "rule": "long_thread", "to_channel": "email"}],
//!  "expect_absent": [{"contact_id": "c2", "rule": "long_thread"}], "exact": true}
//! ```
//!
//! An expectation matches a suggestion when every field it names has the same value in the
//! suggestion's JSON. With `exact`, the suggestions are exactly the expected ones. Beyond the
//! expectations, every suggestion must be well formed: reasons given, evidence that exists,
//! a score in 0..1, and the same result when computed for its contact alone.

use std::path::{Path, PathBuf};

use kith_core::archive::Archive;
use kith_core::suggest::{suggest, suggest_for_contact, SuggestSettings, Suggestion};
use serde_json::{Map, Value};

fn scenarios() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/scenarios");
    let mut list: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("readable directory entry").path())
        .filter(|p| p.to_string_lossy().ends_with(".expect.json"))
        .collect();
    list.sort();
    list
}

fn matches(expect: &Map<String, Value>, got: &Value) -> bool {
    expect.iter().all(|(k, v)| got.get(k) == Some(v))
}

fn show(list: &[Suggestion]) -> String {
    if list.is_empty() {
        return "  (no suggestions)".into();
    }
    list.iter()
        .map(|s| {
            format!(
                "  {} {} {} {:?}→{:?} {:.3} {:?}",
                s.contact_id, s.rule, s.id, s.from_channel, s.to_channel, s.score, s.reasons
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn check(expect_path: &Path) -> Result<(), String> {
    let name = expect_path
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.strip_suffix(".expect.json"))
        .ok_or("bad file name")?
        .to_owned();
    let archive_path = expect_path.with_file_name(format!("{name}.json"));
    let archive_text = std::fs::read_to_string(&archive_path)
        .map_err(|e| format!("{}: {e}", archive_path.display()))?;
    let records = Archive::parse(&archive_text, &format!("{name}.json"))
        .and_then(|a| a.into_records())
        .map_err(|e| format!("{name}.json: {e}"))?;
    let (contacts, interactions, events) = (records.contacts, records.interactions, records.events);
    let spec: Value =
        serde_json::from_str(&std::fs::read_to_string(expect_path).map_err(|e| e.to_string())?)
            .map_err(|e| format!("{name}.expect.json: {e}"))?;
    let at = spec["at"]
        .as_str()
        .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
        .ok_or(format!(
            "{name}.expect.json: \"at\" must be an RFC 3339 time"
        ))?
        .with_timezone(&chrono::Utc);
    let list = |key: &str| -> Vec<Map<String, Value>> {
        spec[key]
            .as_array()
            .map(|a| a.iter().filter_map(|v| v.as_object().cloned()).collect())
            .unwrap_or_default()
    };
    let (expect, absent) = (list("expect"), list("expect_absent"));
    let exact = spec["exact"].as_bool().unwrap_or(false);

    let settings = SuggestSettings::default();
    let got = suggest(&contacts, &interactions, &events, at, &settings);
    let values: Vec<Value> = got
        .iter()
        .map(|s| serde_json::to_value(s).expect("suggestions serialise"))
        .collect();
    let mut problems = Vec::new();

    let mut used = vec![false; got.len()];
    for e in &expect {
        match (0..got.len()).find(|&k| !used[k] && matches(e, &values[k])) {
            Some(k) => used[k] = true,
            None => problems.push(format!("missing {}", Value::Object(e.clone()))),
        }
    }
    for e in &absent {
        if values.iter().any(|v| matches(e, v)) {
            problems.push(format!("unwanted {}", Value::Object(e.clone())));
        }
    }
    if exact && got.len() != expect.len() {
        problems.push(format!(
            "expected exactly {} suggestions, got {}",
            expect.len(),
            got.len()
        ));
    }

    for s in &got {
        if s.reasons.is_empty() || s.reasons.iter().any(|r| r.trim().is_empty()) {
            problems.push(format!("{}: empty reasons", s.id));
        }
        if s.evidence.is_empty() && s.rule != "meet_at_event" {
            problems.push(format!("{}: no evidence", s.id));
        }
        for id in &s.evidence {
            if !interactions
                .iter()
                .any(|i| i.id == *id && i.occurred_at <= at)
            {
                problems.push(format!("{}: evidence {id} is not a past interaction", s.id));
            }
        }
        if !(0.0..=1.0).contains(&s.score) {
            problems.push(format!("{}: score {} out of range", s.id, s.score));
        }
        let alone = suggest_for_contact(
            &s.contact_id,
            &contacts,
            &interactions,
            &events,
            at,
            &settings,
        );
        if !alone.contains(s) {
            problems.push(format!(
                "{}: differs when computed for its contact alone",
                s.id
            ));
        }
    }
    for w in got.windows(2) {
        if w[0].score < w[1].score {
            problems.push("suggestions are not ordered by score".into());
        }
    }

    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{name}:\n  {}\ngot:\n{}",
            problems.join("\n  "),
            show(&got)
        ))
    }
}

#[test]
fn every_scenario_holds() {
    let all = scenarios();
    assert!(all.len() >= 20, "only {} scenarios found", all.len());
    let failures: Vec<String> = all.iter().filter_map(|p| check(p).err()).collect();
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}
