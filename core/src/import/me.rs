//! The user's own email addresses: they decide the direction of imported mail.

use super::MY_EMAILS_SETTING;
use crate::error::{Error, Result};
use crate::Store;

/// Adds `addresses` to the user's own addresses kept in the store and returns them all.
/// Every address must look like one; otherwise nothing is saved.
pub fn remember_my_emails(store: &mut Store, addresses: &[String]) -> Result<Vec<String>> {
    let mut known: Vec<String> = store.setting(MY_EMAILS_SETTING)?.unwrap_or_default();
    let mut changed = false;
    for address in addresses {
        let address = address.trim().to_lowercase();
        if address.is_empty() {
            continue;
        }
        if !looks_like_address(&address) {
            return Err(Error::invalid(format!(
                "{address:?} is not an email address"
            )));
        }
        if !known.contains(&address) {
            known.push(address);
            changed = true;
        }
    }
    if changed {
        store.set_setting(MY_EMAILS_SETTING, &known)?;
    }
    Ok(known)
}

/// The user's own addresses as stored.
pub fn my_emails(store: &Store) -> Result<Vec<String>> {
    Ok(store.setting(MY_EMAILS_SETTING)?.unwrap_or_default())
}

fn looks_like_address(s: &str) -> bool {
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty() && !domain.is_empty() && !s.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_kept_once_lower_case_and_checked() {
        let mut store = Store::open_in_memory().unwrap();
        let all =
            remember_my_emails(&mut store, &[" Me@Example.org ".into(), String::new()]).unwrap();
        assert_eq!(all, vec!["me@example.org"]);
        let all = remember_my_emails(&mut store, &["me@example.org".into()]).unwrap();
        assert_eq!(all.len(), 1);
        let err = remember_my_emails(&mut store, &["not an address".into()]).unwrap_err();
        assert_eq!(err.code(), "invalid_input");
        assert_eq!(my_emails(&store).unwrap(), vec!["me@example.org"]);
    }
}
