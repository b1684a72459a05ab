//! Reading the parts of an export's JSON that Kith only looks into, without ever building a
//! `serde_json::Value`: a `Value` takes ten to thirty times the memory of its text (a map per
//! object, an allocation per string and number), so a list of tiny items read that way fills
//! gigabytes from a file of a few hundred megabytes. What is not wanted is read through and
//! dropped (`IgnoredAny`); what is wanted is kept as typed strings, and a value of another
//! type than expected is passed over as the old `Value` lookups (`.as_str()`) passed it over.

use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::fmt;

/// A string, or `None` for any other JSON value (read through and dropped).
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct AnyStr(pub Option<String>);

impl<'de> Deserialize<'de> for AnyStr {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(StrOrNothing).map(AnyStr)
    }
}

struct StrOrNothing;

impl<'de> Visitor<'de> for StrOrNothing {
    type Value = Option<String>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(None)
    }
}

/// The strings of a list, anything else in it dropped; empty for anything but a list.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct StrList(pub Vec<String>);

impl<'de> Deserialize<'de> for StrList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Vec<String>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some(AnyStr(s)) = seq.next_element::<AnyStr>()? {
                    out.extend(s);
                }
                Ok(out)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Vec::new())
            }
            fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
                Ok(Vec::new())
            }
            fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
                Ok(Vec::new())
            }
            fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
                Ok(Vec::new())
            }
            fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
                Ok(Vec::new())
            }
            fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
                Ok(Vec::new())
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(Vec::new())
            }
        }
        d.deserialize_any(V).map(StrList)
    }
}

/// The string fields `names` of the JSON text `json` (each `None` unless it is a string),
/// all `None` when it is not an object; `None` when it is not JSON.
pub(crate) fn fields<const N: usize>(json: &str, names: [&str; N]) -> Option<[Option<String>; N]> {
    let mut de = serde_json::Deserializer::from_str(json);
    de.deserialize_any(OrElse(FieldsVisitor { names }, || {
        std::array::from_fn(|_| None)
    }))
    .ok()
}

/// Reads the string fields `names` of an object (as [`fields`] does), as a seed.
pub(crate) struct FieldsVisitor<'n, const N: usize> {
    pub names: [&'n str; N],
}

impl<'de, const N: usize> serde::de::DeserializeSeed<'de> for FieldsVisitor<'_, N> {
    type Value = [Option<String>; N];
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(OrElse(self, || std::array::from_fn(|_| None)))
    }
}

impl<'de, const N: usize> Visitor<'de> for FieldsVisitor<'_, N> {
    type Value = [Option<String>; N];
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out: [Option<String>; N] = std::array::from_fn(|_| None);
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            match self.names.iter().position(|n| *n == key) {
                Some(i) => out[i] = map.next_value::<AnyStr>()?.0,
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(out)
    }
}

/// Whether the JSON text `json` is an object with the key `key` at its top level.
pub(crate) fn has_key(json: &str, key: &str) -> bool {
    struct V<'k>(&'k str);
    impl<'de> Visitor<'de> for V<'_> {
        type Value = bool;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a JSON object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
            let mut found = false;
            while let Some(k) = map.next_key::<Cow<'de, str>>()? {
                found |= k == self.0;
                map.next_value::<IgnoredAny>()?;
            }
            Ok(found)
        }
    }
    let mut de = serde_json::Deserializer::from_str(json);
    de.deserialize_map(V(key)).unwrap_or(false)
}

/// serde_json's message without its " at line L column C" (which counts from the start of one
/// item, not of the file).
pub(crate) fn message(e: &serde_json::Error) -> String {
    let message = e.to_string();
    message
        .rsplit_once(" at line ")
        .map(|(m, _)| m.to_string())
        .unwrap_or(message)
}

/// The visitor `.0` for a JSON object; any other value is read through and gives `.1()`.
pub(crate) struct OrElse<V, F>(pub V, pub F);

impl<'de, V: Visitor<'de>, F: FnOnce() -> V::Value> Visitor<'de> for OrElse<V, F> {
    type Value = V::Value;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.expecting(f)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        self.0.visit_map(map)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok((self.1)())
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok((self.1)())
    }
    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok((self.1)())
    }
    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok((self.1)())
    }
    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok((self.1)())
    }
    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok((self.1)())
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok((self.1)())
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok((self.1)())
    }
}
