//! The New people inbox as the app and the command line see it. The inbox lives in the store
//! (`Store::new_people`, `add_new_person`, `merge_new_person`, `ignore_new_person`); its
//! types are named here with the rest of the accounts'.

pub use crate::store::{Likely, NewPerson};
