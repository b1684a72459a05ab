//! Keep in touch: how often the user wants to hear from each contact, and who is overdue.
//!
//! A contact's cadence is their own `cadence_days` when set (0 opts out), else the shortest
//! default among their roles (mentor 30 days, expert 90, peer 60), else — for regular contacts
//! with no role, those with `gone_quiet_min_interactions` interactions or more — the regular
//! cadence (90). Anyone else has no cadence and is not listed. Any interaction, on any channel,
//! resets the clock; with none yet, the clock starts when the contact was added.
//!
//! Important dates (birthdays, anniversaries, other days) that come round within the next
//! [`UPCOMING_DAYS`] days are listed too, soonest first, for everyone who has one.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use specta::Type;

use super::index::Entry;
use super::{SuggestIndex, SuggestSettings};
use crate::{Contact, ImportantDate, Interaction, RoleKind};

/// How far ahead important dates are shown, in days.
pub const UPCOMING_DAYS: u32 = 14;

/// An important date of a contact that comes round soon.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct UpcomingDate {
    pub contact_id: String,
    pub name: String,
    pub date: ImportantDate,
    /// The day it falls on next (29 February falls on 28 February in other years).
    pub on: NaiveDate,
    /// Days from today: 0 is today, 1 tomorrow.
    pub days_until: u32,
    /// The years it will mark on that day (a 40th birthday), when its year is known.
    pub years: Option<u32>,
}

/// Every contact's important dates that fall from `today` to `within_days` days after it,
/// soonest first (then by name).
pub fn upcoming_dates(
    contacts: &[Contact],
    today: NaiveDate,
    within_days: u32,
) -> Vec<UpcomingDate> {
    use chrono::Datelike;
    let mut out = Vec::new();
    for c in contacts {
        for d in &c.dates {
            let Some(on) = d.next_on_or_after(today) else {
                continue;
            };
            let days = (on - today).num_days();
            if days < 0 || days > i64::from(within_days) {
                continue;
            }
            out.push(UpcomingDate {
                contact_id: c.id.clone(),
                name: c.name.clone(),
                date: d.clone(),
                on,
                days_until: days as u32,
                years: d
                    .year
                    .and_then(|y| u32::try_from(on.year() - y).ok())
                    .filter(|n| *n > 0),
            });
        }
    }
    out.sort_by(|a, b| {
        a.days_until
            .cmp(&b.days_until)
            .then_with(|| a.name.cmp(&b.name))
            .then_with(|| a.contact_id.cmp(&b.contact_id))
    });
    out
}

/// Where one contact stands against their cadence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct KeepInTouchStatus {
    pub contact_id: String,
    pub name: String,
    pub cadence_days: u32,
    pub last_interaction_at: Option<DateTime<Utc>>,
    /// The day the next contact is due: the last interaction plus the cadence.
    pub due_on: NaiveDate,
    /// Days past `due_on`; zero on the day, negative while not yet due (−5: due in 5 days).
    pub overdue_days: i32,
}

/// Keep-in-touch status for every contact with a cadence, most overdue first.
pub fn keep_in_touch(
    contacts: &[Contact],
    interactions: &[Interaction],
    now: DateTime<Utc>,
    settings: &SuggestSettings,
) -> Vec<KeepInTouchStatus> {
    SuggestIndex::new(contacts, interactions, &[]).keep_in_touch(now, settings)
}

/// The cadence in days, if the contact has one.
pub(crate) fn cadence(contact: &Contact, interactions: usize, s: &SuggestSettings) -> Option<u32> {
    if let Some(days) = contact.cadence_days {
        return (days > 0).then_some(days);
    }
    let by_role = contact
        .roles
        .iter()
        .map(|r| match r.kind {
            RoleKind::Mentor => s.cadence_mentor_days,
            RoleKind::Expert => s.cadence_expert_days,
            RoleKind::Peer => s.cadence_peer_days,
        })
        .filter(|d| *d > 0)
        .min();
    if by_role.is_some() {
        return by_role;
    }
    let regular = interactions >= super::settings::at_least_one(s.gone_quiet_min_interactions);
    (regular && s.cadence_regular_days > 0).then_some(s.cadence_regular_days)
}

/// The status of one contact given their entries up to `now`.
pub(crate) fn status(
    index: &SuggestIndex<'_>,
    contact: &Contact,
    entries: &[Entry],
    now: DateTime<Utc>,
    s: &SuggestSettings,
) -> Option<KeepInTouchStatus> {
    let days = cadence(contact, entries.len(), s)?;
    let last = entries.last().map(|e| index.interaction(e.idx).occurred_at);
    let since = last.unwrap_or(contact.created_at);
    let due_on = since.date_naive() + chrono::Days::new(u64::from(days));
    let overdue = (now.date_naive() - due_on).num_days();
    Some(KeepInTouchStatus {
        contact_id: contact.id.clone(),
        name: contact.name.clone(),
        cadence_days: days,
        last_interaction_at: last,
        due_on,
        overdue_days: overdue.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32,
    })
}

impl SuggestIndex<'_> {
    /// Keep-in-touch status for every indexed contact with a cadence, most overdue first.
    pub fn keep_in_touch(
        &self,
        now: DateTime<Utc>,
        settings: &SuggestSettings,
    ) -> Vec<KeepInTouchStatus> {
        let mut out: Vec<KeepInTouchStatus> = (0..self.contacts.len())
            .filter_map(|pos| {
                status(
                    self,
                    self.contacts[pos],
                    self.entries_until(pos, now),
                    now,
                    settings,
                )
            })
            .collect();
        out.sort_by(|a, b| {
            b.overdue_days
                .cmp(&a.overdue_days)
                .then_with(|| a.name.cmp(&b.name))
                .then_with(|| a.contact_id.cmp(&b.contact_id))
        });
        out
    }

    /// Keep-in-touch status of one contact; `None` when unknown or without a cadence.
    pub fn keep_in_touch_for(
        &self,
        contact_id: &str,
        now: DateTime<Utc>,
        settings: &SuggestSettings,
    ) -> Option<KeepInTouchStatus> {
        let pos = self.position(contact_id)?;
        status(
            self,
            self.contacts[pos],
            self.entries_until(pos, now),
            now,
            settings,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::suggest::testkit::*;
    use crate::{Channel, DateKind};

    #[test]
    fn dates_within_two_weeks_are_listed_soonest_first_across_the_new_year() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 25).unwrap();
        let mut ana = contact("c1", "Ana");
        ana.dates = vec![
            ImportantDate::new(DateKind::Birthday, 1, 3, Some(1986)).unwrap(),
            ImportantDate::new(DateKind::Anniversary, 3, 1, None).unwrap(),
        ];
        let mut ben = contact("c2", "Ben");
        ben.dates = vec![ImportantDate::new(DateKind::Other, 12, 25, None).unwrap()];
        let mut cy = contact("c3", "Cy");
        cy.dates = vec![ImportantDate::new(DateKind::Birthday, 1, 9, None).unwrap()];
        let found = upcoming_dates(&[ana, ben, cy], today, UPCOMING_DAYS);
        let seen: Vec<(&str, u32, Option<u32>)> = found
            .iter()
            .map(|u| (u.name.as_str(), u.days_until, u.years))
            .collect();
        // Cy's birthday is 15 days away: not yet.
        assert_eq!(seen, vec![("Ben", 0, None), ("Ana", 9, Some(41))]);
    }

    #[test]
    fn the_29th_of_february_comes_round_on_the_28th_in_other_years() {
        let d = ImportantDate::new(DateKind::Birthday, 2, 29, Some(2000)).unwrap();
        let today = NaiveDate::from_ymd_opt(2027, 2, 20).unwrap();
        assert_eq!(
            d.next_on_or_after(today),
            NaiveDate::from_ymd_opt(2027, 2, 28)
        );
        assert!(ImportantDate::new(DateKind::Birthday, 2, 29, Some(2001)).is_none());
        assert!(ImportantDate::new(DateKind::Birthday, 2, 29, None).is_some());
    }

    #[test]
    fn dates_are_read_in_every_form_address_books_write() {
        for (text, iso) in [
            ("19850412", "1985-04-12"),
            ("1985-04-12", "1985-04-12"),
            ("--0412", "--04-12"),
            ("--04-12", "--04-12"),
            ("1985-04-12T00:00:00Z", "1985-04-12"),
            ("1604-04-12", "--04-12"),
        ] {
            assert_eq!(
                ImportantDate::parse(DateKind::Birthday, text)
                    .unwrap()
                    .iso(),
                iso,
                "{text}"
            );
        }
        for bad in [
            "circa 1800",
            "1985-13-01",
            "--0231",
            "",
            "1985-0412",
            "１９８５０４１２",
        ] {
            assert!(
                ImportantDate::parse(DateKind::Birthday, bad).is_err(),
                "{bad}"
            );
        }
    }

    const NOW: &str = "2025-03-20T12:00:00Z";

    #[test]
    fn cadence_comes_from_the_contact_then_roles_then_regularity() {
        let s = SuggestSettings::default();
        let mut c = contact("c1", "Ana");
        assert_eq!(cadence(&c, 0, &s), None);
        assert_eq!(cadence(&c, 6, &s), Some(90));
        c = with_role(c, RoleKind::Peer);
        assert_eq!(cadence(&c, 0, &s), Some(60));
        c = with_role(c, RoleKind::Mentor);
        assert_eq!(cadence(&c, 0, &s), Some(30));
        c.cadence_days = Some(14);
        assert_eq!(cadence(&c, 0, &s), Some(14));
        c.cadence_days = Some(0);
        assert_eq!(cadence(&c, 100, &s), None);
    }

    #[test]
    fn overdue_contacts_come_first() {
        let now = at(NOW);
        let contacts = vec![
            with_role(contact("m", "Mentor Mia"), RoleKind::Mentor),
            with_role(contact("p", "Peer Pat"), RoleKind::Peer),
            contact("x", "Nobody"),
        ];
        let ints = vec![
            msg("1", "m", Channel::Email, OUT, now - days(45), "Hello"),
            msg("2", "p", Channel::Twitter, IN, now - days(10), "Hi"),
            msg("3", "x", Channel::Twitter, IN, now - days(400), "Hey"),
            // The future does not count.
            msg("4", "m", Channel::Email, IN, now + days(1), "Later"),
        ];
        let list = keep_in_touch(&contacts, &ints, now, &SuggestSettings::default());
        assert_eq!(list.len(), 2);
        assert_eq!(list[0].contact_id, "m");
        assert_eq!(list[0].overdue_days, 15);
        assert_eq!(list[0].due_on, (now - days(15)).date_naive());
        assert_eq!(list[0].last_interaction_at, Some(now - days(45)));
        assert_eq!(list[1].contact_id, "p");
        assert_eq!(list[1].overdue_days, -50);
    }

    #[test]
    fn contacts_never_talked_to_count_from_when_they_were_added() {
        let now = at(NOW);
        let mut c = with_role(contact("m", "Mia"), RoleKind::Mentor);
        c.created_at = now - days(40);
        let list = keep_in_touch(&[c], &[], now, &SuggestSettings::default());
        assert_eq!(list[0].last_interaction_at, None);
        assert_eq!(list[0].overdue_days, 10);
    }

    #[test]
    fn a_contacts_blog_posts_are_not_keeping_in_touch() {
        let now = at(NOW);
        let contacts = vec![with_role(contact("m", "Mentor Mia"), RoleKind::Mentor)];
        let mut post = msg(
            "2",
            "m",
            Channel::Blog,
            IN,
            now - days(2),
            "Koha serials, again",
        );
        post.tags.push(crate::domain::WROTE_TAG.to_string());
        let ints = vec![
            msg("1", "m", Channel::Email, OUT, now - days(45), "Hello"),
            post,
        ];
        let list = keep_in_touch(&contacts, &ints, now, &SuggestSettings::default());
        assert_eq!(list[0].last_interaction_at, Some(now - days(45)));
        assert_eq!(list[0].overdue_days, 15);
    }
}
