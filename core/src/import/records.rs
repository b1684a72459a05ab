//! The record limit ([`Limits::max_records`](super::Limits)): how many records an import
//! decodes, counted as they are read, so that a file of millions of tiny records is refused
//! before it is held in memory.
//!
//! A JSON list over the limit is read to its end without keeping anything, to say how many
//! records the file holds.

use crate::error::{Error, Result};
use serde::de::{Deserialize, DeserializeSeed, Error as _, IgnoredAny, SeqAccess, Visitor};
use std::cell::Cell;

pub(crate) use crate::record_limit::too_many;

/// A budget of records shared by every list one import reads.
pub(crate) struct Budget {
    limit: usize,
    used: Cell<usize>,
    /// How many items the list that broke the limit holds, once one has.
    over: Cell<Option<u64>>,
}

impl Budget {
    pub fn new(limit: usize) -> Budget {
        Budget {
            limit,
            used: Cell::new(0),
            over: Cell::new(None),
        }
    }

    /// Counts `n` more records; `Err(total)` when that passes the limit.
    pub fn take(&self, n: usize) -> std::result::Result<(), u64> {
        let used = self.used.get().saturating_add(n);
        self.used.set(used);
        if used > self.limit {
            Err(used as u64)
        } else {
            Ok(())
        }
    }

    /// The records counted so far, to go back to with [`Budget::reset`] when a list is read
    /// again.
    pub fn mark(&self) -> usize {
        self.used.get()
    }

    pub fn reset(&self, to: usize) {
        self.used.set(to);
        self.over.set(None);
    }

    /// The number of records counted when a list broke the limit, if one did; cleared.
    pub fn over(&self) -> Option<u64> {
        self.over.take()
    }

    /// The refusal once [`Budget::over`] said how many: `what` names the records.
    /// `at_least` when lists after this one were not counted.
    pub fn refusal(
        &self,
        label: &str,
        place: impl Into<String>,
        what: &str,
        held: u64,
        at_least: bool,
    ) -> Error {
        too_many(label, place, what, held, at_least, self.limit)
    }
}

/// A JSON list read element by element with `seed`, each counted against `budget`. Past the
/// limit the rest of the list is only counted (nothing is kept), the count is left in the
/// budget and the reading fails.
pub(crate) struct CappedList<'b, S> {
    pub seed: S,
    pub budget: &'b Budget,
}

impl<'de, S: DeserializeSeed<'de> + Clone> DeserializeSeed<'de> for CappedList<'_, S> {
    type Value = Vec<S::Value>;
    fn deserialize<D: serde::Deserializer<'de>>(
        self,
        d: D,
    ) -> std::result::Result<Self::Value, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, S: DeserializeSeed<'de> + Clone> Visitor<'de> for CappedList<'_, S> {
    type Value = Vec<S::Value>;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a list")
    }
    fn visit_seq<A: SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> std::result::Result<Self::Value, A::Error> {
        // No room is reserved from the list's own claim of its length.
        let mut out = Vec::new();
        while let Some(item) = seq.next_element_seed(self.seed.clone())? {
            if let Err(mut held) = self.budget.take(1) {
                // One too many: count the rest, keeping nothing.
                while seq.next_element::<IgnoredAny>()?.is_some() {
                    held += 1;
                }
                self.budget.over.set(Some(held));
                return Err(A::Error::custom(OVER));
            }
            out.push(item);
        }
        Ok(out)
    }
}

/// The message of the error that stops reading a list over the limit; the caller replaces it
/// with [`Budget::refusal`].
pub(crate) const OVER: &str = "kith: over the record limit";

/// `Ok` unless `n` records (counted by a reader of its own, e.g. cards in a vCard file) are
/// more than `limit`.
pub(crate) fn check_count(
    label: &str,
    place: impl Into<String>,
    what: &str,
    n: usize,
    limit: usize,
) -> Result<()> {
    if n > limit {
        return Err(too_many(label, place, what, n as u64, false, limit));
    }
    Ok(())
}

/// How many parts (mentions, hashtags, tags, addressees, account ids) one import decodes
/// inside its records, for each record it may decode: a real record has a handful, and a
/// file of records each naming millions would otherwise fill memory within the byte limits.
pub(crate) const PARTS_PER_RECORD: usize = 8;

thread_local! {
    /// (parts decoded, the most allowed, whether a list went past it) for the import running
    /// on this thread; no limit outside one.
    static PARTS: Cell<(usize, usize, bool)> = const { Cell::new((0, usize::MAX, false)) };
}

/// Counts the parts an import decodes ([`Parts`]) while it lives; the count ends with it.
pub(crate) struct PartsBudget {
    outer: (usize, usize, bool),
}

impl PartsBudget {
    /// A budget of [`PARTS_PER_RECORD`] parts for each of `max_records` records.
    pub fn new(max_records: usize) -> PartsBudget {
        let limit = max_records.saturating_mul(PARTS_PER_RECORD);
        PartsBudget {
            outer: PARTS.replace((0, limit, false)),
        }
    }
}

/// The parts counted so far, to go back to when a list is read again.
pub(crate) fn parts_mark() -> usize {
    PARTS.get().0
}

pub(crate) fn parts_reset(to: usize) {
    let (_, limit, _) = PARTS.get();
    PARTS.set((to, limit, false));
}

/// Whether a list went past the parts limit (the reading then failed).
pub(crate) fn parts_over() -> bool {
    PARTS.get().2
}

/// The refusal once [`parts_over`] said so.
pub(crate) fn parts_refusal(label: &str, place: impl Into<String>) -> Error {
    Error::bad_import(
        label,
        place,
        format!(
            "the records name more than {} people, tags and addressees in all ({PARTS_PER_RECORD} for each record Kith imports at most); split the export into smaller files first",
            PARTS.get().1
        ),
    )
}

impl Drop for PartsBudget {
    fn drop(&mut self) {
        PARTS.set(self.outer);
    }
}

/// A list inside a record whose elements count against the running import's [`PartsBudget`].
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Parts<T>(pub Vec<T>);

impl<T> Default for Parts<T> {
    fn default() -> Self {
        Parts(Vec::new())
    }
}

impl<T> std::ops::Deref for Parts<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        &self.0
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Parts<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Parts<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a list")
            }
            fn visit_seq<A: SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> std::result::Result<Parts<T>, A::Error> {
                let mut out = Vec::new();
                while let Some(item) = seq.next_element()? {
                    if !count_part() {
                        return Err(A::Error::custom(OVER));
                    }
                    out.push(item);
                }
                Ok(Parts(out))
            }
        }
        d.deserialize_seq(V(std::marker::PhantomData))
    }
}

/// Counts one part; `false` (and the budget marked over) past the limit.
pub(crate) fn count_part() -> bool {
    let (used, limit, _) = PARTS.get();
    if used >= limit {
        PARTS.set((used, limit, true));
        return false;
    }
    PARTS.set((used + 1, limit, false));
    true
}
