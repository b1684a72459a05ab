//! The archive's entries: where its `data/` folder is, which files hold a list (`tweets.js`,
//! `tweets-part1.js`…), and reading a list file's `window.YTD.<name>.partN = [ ... ]` items.

use crate::error::{Error, Result};
use crate::import::input::Bundle;
use crate::import::lenient;
use crate::import::records::{self, Budget, CappedList};
use serde::de::{
    DeserializeOwned, DeserializeSeed, Deserializer, Error as _, IgnoredAny, MapAccess, Visitor,
};
use serde::Deserialize;
use std::marker::PhantomData;

/// `tweets.js`, `tweets-part1.js`, … but not `tweets-media.js`.
pub(super) fn is_part(file: &str, base: &str) -> bool {
    let Some(rest) = file.strip_prefix(base) else {
        return false;
    };
    if rest == ".js" {
        return true;
    }
    rest.strip_prefix("-part")
        .and_then(|r| r.strip_suffix(".js"))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// The folder prefix that holds `data/` (empty for the platform's own zips).
pub(super) fn data_root(bundle: &Bundle) -> Option<String> {
    for marker in ["account.js", "tweets.js", "tweet.js", "manifest.js"] {
        let suffix = format!("data/{marker}");
        if let Some(n) = bundle
            .names()
            .iter()
            .filter(|n| *n == &suffix || n.ends_with(&format!("/{suffix}")))
            .min_by_key(|n| n.len())
        {
            return Some(n[..n.len() - marker.len()].to_string());
        }
    }
    None
}

fn part_number(name: &str) -> (u32, String) {
    let n = name
        .rsplit_once("-part")
        .and_then(|(_, r)| r.strip_suffix(".js"))
        .and_then(|r| r.parse().ok())
        .unwrap_or(0);
    (n, name.to_string())
}

/// The entries of `<root><base>.js` and its parts (`<base>-part1.js`…), in part order.
pub(super) fn files_like(bundle: &Bundle, root: &str, base: &str) -> Vec<String> {
    let mut found: Vec<String> = bundle
        .names()
        .iter()
        .filter(|n| {
            n.strip_prefix(root)
                .is_some_and(|file| !file.contains('/') && is_part(file, base))
        })
        .cloned()
        .collect();
    found.sort_by_key(|n| part_number(n));
    found
}

/// Reads `window.YTD.<name>.partN = [ ... ]` and deserialises each item, unwrapping
/// `{ "<wrapper>": { ... } }` where present (older archives have bare items).
///
/// Archives are big (a hundred thousand tweets is common), so the items are read straight
/// from the text in one pass. Only when that fails (a mistake in the file, or wrapped and
/// bare items mixed) is the text read again, each item on its own, which tells each item's layout apart and names the exact place of a mistake. Either
/// way every item counts against the import's record budget, and a file over it is refused
/// as soon as the list ends, before it is decoded further.
pub(super) fn read_items<T: DeserializeOwned>(
    bundle: &mut Bundle,
    entry: &str,
    wrapper: &str,
    budget: &Budget,
) -> Result<Vec<T>> {
    let text = bundle.read_text(entry)?;
    items_of(
        &text,
        entry,
        bundle.label(),
        wrapper,
        PhantomData::<T>,
        budget,
    )
}

/// The items of one `data/*.js` file's text, each read with `seed`; see [`read_items`].
pub(super) fn items_of<'a, S: DeserializeSeed<'a> + Clone>(
    text: &'a str,
    entry: &str,
    label: &str,
    wrapper: &str,
    seed: S,
    budget: &Budget,
) -> Result<Vec<S::Value>> {
    let over =
        |held: u64| budget.refusal(label, format!("zip entry {entry:?}"), "records", held, true);
    let parts_over = || records::parts_refusal(label, format!("zip entry {entry:?}"));
    let (before, parts_before) = (budget.mark(), records::parts_mark());
    if let Some(json) = ytd_json(text) {
        match read_items_fast(json, wrapper, seed.clone(), budget) {
            Some(items) => return Ok(items),
            None => {
                if let Some(held) = budget.over() {
                    return Err(over(held));
                }
                if records::parts_over() {
                    return Err(parts_over());
                }
            }
        }
    }
    // Read again: the items read so far are counted again.
    budget.reset(before);
    records::parts_reset(parts_before);
    let eq = text.find('=').ok_or_else(|| {
        Error::bad_import(
            label,
            format!("zip entry {entry:?}: line 1"),
            "expected `window.YTD.<name>.part0 = [ ... ]`",
        )
    })?;
    let json = ytd_json(text).unwrap_or_default();
    let mistake = std::cell::RefCell::new(None);
    let index = std::cell::Cell::new(0usize);
    let careful = Careful {
        seed,
        wrapper,
        entry,
        label,
        index: &index,
        mistake: &mistake,
    };
    let mut de = serde_json::Deserializer::from_str(json);
    let read = CappedList {
        seed: careful,
        budget,
    }
    .deserialize(&mut de)
    .and_then(|items| de.end().map(|()| items));
    match read {
        Ok(items) => Ok(items),
        Err(e) => {
            if let Some(held) = budget.over() {
                return Err(over(held));
            }
            if records::parts_over() {
                return Err(parts_over());
            }
            if let Some(m) = mistake.take() {
                return Err(m);
            }
            let prefix_lines = text[..eq].matches('\n').count();
            let line = e.line() + prefix_lines;
            let column = if e.line() == 1 {
                e.column() + eq + 1
            } else {
                e.column()
            };
            let message = e.to_string();
            let message = message
                .rsplit_once(" at line ")
                .map(|(m, _)| m.to_string())
                .unwrap_or(message);
            Err(Error::bad_import(
                label,
                format!("zip entry {entry:?}: line {line}, column {column}"),
                format!("invalid JSON: {message}"),
            ))
        }
    }
}

/// One item read the careful way: its text alone is looked at for the wrapper, then read
/// with the seed (unwrapped if it has the wrapper), a mistake kept with its place. Nothing is
/// read into a `serde_json::Value`.
struct Careful<'r, 'w, S> {
    seed: S,
    wrapper: &'w str,
    entry: &'w str,
    label: &'w str,
    index: &'r std::cell::Cell<usize>,
    mistake: &'r std::cell::RefCell<Option<Error>>,
}

impl<S: Clone> Clone for Careful<'_, '_, S> {
    fn clone(&self) -> Self {
        Careful {
            seed: self.seed.clone(),
            wrapper: self.wrapper,
            entry: self.entry,
            label: self.label,
            index: self.index,
            mistake: self.mistake,
        }
    }
}

impl<'de, S: DeserializeSeed<'de> + Clone> DeserializeSeed<'de> for Careful<'_, '_, S> {
    type Value = S::Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<S::Value, D::Error> {
        let n = self.index.get();
        self.index.set(n + 1);
        let raw: &'de serde_json::value::RawValue = Deserialize::deserialize(d)?;
        let text: &'de str = raw.get();
        let mut de = serde_json::Deserializer::from_str(text);
        let mut track = serde_path_to_error::Track::new();
        let tracked = serde_path_to_error::Deserializer::new(&mut de, &mut track);
        let read = if lenient::has_key(text, self.wrapper) {
            Wrapped {
                wrapper: self.wrapper,
                seed: self.seed,
            }
            .deserialize(tracked)
        } else {
            self.seed.deserialize(tracked)
        };
        read.map_err(|e| {
            let at = track.path().to_string();
            let entry = self.entry;
            let place = if at.is_empty() || at == "." {
                format!("zip entry {entry:?}: [{n}]")
            } else {
                format!("zip entry {entry:?}: [{n}].{at}")
            };
            *self.mistake.borrow_mut() =
                Some(Error::bad_import(self.label, place, lenient::message(&e)));
            D::Error::custom("kith: a mistake in an item")
        })
    }
}

/// The JSON after `window.YTD.<name>.partN =`, if there is an `=`.
fn ytd_json(text: &str) -> Option<&str> {
    let eq = text.find('=')?;
    Some(text[eq + 1..].trim_end().trim_end_matches(';'))
}

/// The items of a well-formed file in one pass, all wrapped or all bare as the first item
/// is; `None` when anything does not fit (or the list is over the budget, which then says
/// so), for [`read_items`] to find out what and where.
fn read_items_fast<'a, S: DeserializeSeed<'a> + Clone>(
    json: &'a str,
    wrapper: &str,
    seed: S,
    budget: &Budget,
) -> Option<Vec<S::Value>> {
    let first = json.trim_start().strip_prefix('[')?.trim_start();
    let wrapped = first
        .strip_prefix('{')
        .map(str::trim_start)
        .and_then(|f| f.strip_prefix('"'))
        .and_then(|f| f.strip_prefix(wrapper))
        .is_some_and(|f| f.starts_with('"'));
    let mut de = serde_json::Deserializer::from_str(json);
    let items = if wrapped {
        CappedList {
            seed: Wrapped { wrapper, seed },
            budget,
        }
        .deserialize(&mut de)
    } else {
        CappedList { seed, budget }.deserialize(&mut de)
    };
    let items = items.ok()?;
    de.end().ok()?;
    Some(items)
}

/// One `{ "<wrapper>": item }`, the item read with `seed`; other keys beside the wrapper are
/// ignored, and a repeated wrapper keeps the last, as reading through `Value` would.
#[derive(Clone)]
struct Wrapped<'w, S> {
    wrapper: &'w str,
    seed: S,
}

impl<'de, S: DeserializeSeed<'de> + Clone> DeserializeSeed<'de> for Wrapped<'_, S> {
    type Value = S::Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<S::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, S: DeserializeSeed<'de> + Clone> Visitor<'de> for Wrapped<'_, S> {
    type Value = S::Value;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "an object with {:?}", self.wrapper)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<S::Value, A::Error> {
        let mut found = None;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if key == self.wrapper {
                found = Some(map.next_value_seed(self.seed.clone())?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        found.ok_or_else(|| A::Error::missing_field("wrapper"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use serde_json::Value;

    #[derive(Deserialize, Debug, PartialEq)]
    struct Item {
        #[serde(rename = "accountId")]
        account_id: String,
        #[serde(default)]
        name: Option<String>,
    }

    fn items(json: &str) -> Result<Vec<Item>> {
        items_of(
            &format!("window.YTD.follower.part0 = {json}"),
            "data/follower.js",
            "x.zip",
            "follower",
            PhantomData::<Item>,
            &Budget::new(1_000),
        )
    }

    #[test]
    fn items_read_in_one_pass_are_those_read_through_values() {
        let read_through_values = |json: &str| -> Vec<Item> {
            let values: Vec<Value> = serde_json::from_str(json).unwrap();
            values
                .into_iter()
                .map(|v| match v {
                    Value::Object(mut m) if m.contains_key("follower") => {
                        serde_json::from_value(m.remove("follower").unwrap()).unwrap()
                    }
                    other => serde_json::from_value(other).unwrap(),
                })
                .collect()
        };
        // (file, read in one pass)
        for (json, one_pass) in [
            (
                r#"[{"follower": {"accountId": "1", "name": "A \"q\" \u00e9"}}, {"follower": {"accountId": "2", "extra": [1, {"x": null}]}}]"#,
                true,
            ),
            // The first key decides the layout: this one goes the careful way.
            (
                r#"[ { "other": 1, "follower": {"accountId": "3"}, "after": true } ];"#,
                false,
            ),
            (
                r#"[{"follower": {"accountId": "4"}, "follower": {"accountId": "5"}}]"#,
                true,
            ),
            (
                r#"[{"accountId": "6", "name": "bare"}, {"accountId": "7"}]"#,
                true,
            ),
            ("[]", true),
        ] {
            let payload = json.trim_end_matches(';');
            assert_eq!(
                read_items_fast(
                    payload,
                    "follower",
                    PhantomData::<Item>,
                    &Budget::new(1_000)
                )
                .is_some(),
                one_pass,
                "{json}"
            );
            assert_eq!(items(json).unwrap(), read_through_values(payload), "{json}");
        }
    }

    #[test]
    fn mixed_or_broken_items_are_read_the_careful_way() {
        // Wrapped and bare items in one file: each is read as it is.
        let mixed = r#"[{"follower": {"accountId": "1"}}, {"accountId": "2"}]"#;
        assert!(
            read_items_fast(mixed, "follower", PhantomData::<Item>, &Budget::new(1_000)).is_none()
        );
        let read = items(mixed).unwrap();
        assert_eq!(
            read.iter()
                .map(|i| i.account_id.as_str())
                .collect::<Vec<_>>(),
            ["1", "2"]
        );
        // Mistakes are named by their place.
        let err = items(r#"[{"follower": {"accountId": "1"}}, {"follower": {"accountId": 2}}]"#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("[1].follower.accountId"), "{err}");
        let err = items("[{\"follower\": {\"accountId\": \"1\"}},\n oops]")
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 2"), "{err}");
        let err = items(r#"[{"follower": {"accountId": "1"}}] trailing"#)
            .unwrap_err()
            .to_string();
        assert!(err.contains("invalid JSON"), "{err}");
    }

    #[test]
    fn tweet_files_and_parts_are_told_apart() {
        assert!(is_part("tweets.js", "tweets"));
        assert!(is_part("tweets-part12.js", "tweets"));
        assert!(!is_part("tweets-media.js", "tweets"));
        assert!(!is_part("tweetdeck.js", "tweet"));
        assert!(is_part("tweet.js", "tweet"));
        assert!(!is_part("tweets.js", "tweet"));
    }
}
