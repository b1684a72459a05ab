//! The duplicates to review: pairs of contacts that may be one person, less the pairs the user
//! said are two different people.

use super::Store;
use crate::error::Result;
use crate::store::DuplicatePair;

/// The setting that holds the pairs the user marked as different people.
pub(crate) const NOT_DUPLICATES: &str = "duplicates.not_same";

impl Store {
    /// Pairs that may be the same person and that the user has not yet said are different.
    pub fn duplicates_to_review(&self) -> Result<Vec<DuplicatePair>> {
        let dismissed = self.not_duplicates()?;
        let mut pairs = self.find_duplicates()?;
        pairs.retain(|p| !dismissed.contains(&pair_key(&p.a.id, &p.b.id)));
        Ok(pairs)
    }

    /// Records that `a` and `b` are different people, so the pair is not proposed again.
    pub fn mark_not_duplicates(&mut self, a: &str, b: &str) -> Result<()> {
        let a = self.contact(a)?.id;
        let b = self.contact(b)?.id;
        let mut dismissed = self.not_duplicates()?;
        let key = pair_key(&a, &b);
        if !dismissed.contains(&key) {
            dismissed.push(key);
            self.set_setting(NOT_DUPLICATES, &dismissed)?;
        }
        Ok(())
    }

    pub(crate) fn not_duplicates(&self) -> Result<Vec<(String, String)>> {
        Ok(self.setting(NOT_DUPLICATES)?.unwrap_or_default())
    }
}

pub(crate) fn pair_key(a: &str, b: &str) -> (String, String) {
    if a <= b {
        (a.to_string(), b.to_string())
    } else {
        (b.to_string(), a.to_string())
    }
}

#[cfg(test)]
mod tests {
    use crate::{ContactDraft, Handle, Platform, Store};
    use chrono::Utc;

    fn person(store: &mut Store, name: &str, email: &str) -> String {
        let mut draft = ContactDraft {
            name: name.into(),
            ..ContactDraft::default()
        };
        draft.handles.push(Handle {
            platform: Platform::Email,
            value: email.into(),
        });
        store.save_contact(draft, Utc::now()).unwrap().id
    }

    #[test]
    fn a_pair_marked_different_is_not_proposed_again() {
        let mut store = Store::open_in_memory().unwrap();
        let a = person(&mut store, "Ana Lima", "ana@example.org");
        let b = person(&mut store, "Ana Lima", "ana.lima@example.net");
        let pairs = store.duplicates_to_review().unwrap();
        assert_eq!(pairs.len(), 1, "{pairs:?}");
        store.mark_not_duplicates(&b, &a).unwrap();
        assert!(store.duplicates_to_review().unwrap().is_empty());
        // Marking twice keeps one entry.
        store.mark_not_duplicates(&a, &b).unwrap();
        let stored: Vec<(String, String)> = store.setting(super::NOT_DUPLICATES).unwrap().unwrap();
        assert_eq!(stored.len(), 1);
    }

    #[test]
    fn merging_a_pair_leaves_one_contact_with_both_addresses() {
        let mut store = Store::open_in_memory().unwrap();
        let a = person(&mut store, "Ana Lima", "ana@example.org");
        let b = person(&mut store, "Ana Lima", "ana.lima@example.net");
        let kept = store.merge_contacts(&a, &b, Utc::now()).unwrap();
        assert_eq!(kept.id, a);
        assert_eq!(kept.handles.len(), 2);
        assert!(store.duplicates_to_review().unwrap().is_empty());
        // The absorbed id still finds the person.
        assert_eq!(store.contact(&b).unwrap().id, a);
    }
}
