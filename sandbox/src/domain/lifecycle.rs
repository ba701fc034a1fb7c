//! The status state machine every booking follows, and who may make each change: stated once,
//! here.
//!
//! | change | from | to | made by |
//! |---|---|---|---|
//! | [`Transition::Accept`] | Pending | Accepted | the performer (webcam: the other invitees' Pending bookings are cancelled) |
//! | [`Transition::Reject`] | Pending | Rejected | the performer |
//! | [`Transition::Confirm`] | Accepted | Confirmed | the performer (our assumption: through a control endpoint or a behaviour's `ConfirmAfterSeconds`) |
//! | cancel | Pending, Accepted, or Confirmed before its session | Cancelled | the client (`CancelMadeBooking`, rules in [`rules::cancellable`](super::rules::cancellable)), or the API when another invitee accepted first |
//! | expiry | Pending once `AcceptBy` has passed | Rejected | the API, the next time the booking is read or changed |
//!
//! The first three are [`Transition`]s, each with its [`Party`] ([`Transition::party`]);
//! [`Lifecycle::apply`] refuses a transition made by any other party. Every change stamps its
//! own date and `LastUpdated`.

use std::fmt;

use adultwork::BookingStatus;
use chrono::NaiveDateTime;

use super::refusal::Refusal;

/// Who acts on a booking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Party {
    /// The user who made the booking (a client's token, or a group manager acting as one).
    Client,
    /// The user the booking was made with: the webcam performer or the phone-chat candidate.
    Performer,
    /// The API itself: expiry at `AcceptBy`, and cancelling the other invitees of a webcam
    /// booking once one has accepted.
    Api,
}

impl fmt::Display for Party {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Client => "client",
            Self::Performer => "performer",
            Self::Api => "API",
        })
    }
}

/// One row of the state machine: the status a transition starts from, the one it ends in,
/// and the party that may make it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Step {
    pub from: BookingStatus,
    pub to: BookingStatus,
    pub by: Party,
}

/// What the performer (or candidate) does to a booking: through the control endpoints, or by
/// themselves (a [`Behaviour`](super::behaviour::Behaviour) of the data file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transition {
    /// Pending → Accepted. For webcam bookings, the other invitees' Pending bookings are
    /// cancelled.
    Accept,
    /// Pending → Rejected, with an optional reason.
    Reject(Option<String>),
    /// Accepted → Confirmed.
    Confirm,
}

impl Transition {
    /// The transition's row of the state machine (the table of the module's docs).
    pub(crate) fn step(&self) -> Step {
        use BookingStatus::{Accepted, Confirmed, Pending, Rejected};
        let (from, to, by) = match self {
            Self::Accept => (Pending, Accepted, Party::Performer),
            Self::Reject(_) => (Pending, Rejected, Party::Performer),
            Self::Confirm => (Accepted, Confirmed, Party::Performer),
        };
        Step { from, to, by }
    }

    /// The party that may make this transition.
    pub fn party(&self) -> Party {
        self.step().by
    }

    /// The verb, for messages.
    pub fn verb(&self) -> &'static str {
        match self {
            Self::Accept => "accepted",
            Self::Reject(_) => "rejected",
            Self::Confirm => "confirmed",
        }
    }
}

/// The status and dates every booking has.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Lifecycle {
    pub status: BookingStatus,
    pub created: NaiveDateTime,
    pub accept_by: NaiveDateTime,
    pub accepted: Option<NaiveDateTime>,
    pub confirmed: Option<NaiveDateTime>,
    pub cancelled: Option<NaiveDateTime>,
    pub cancelled_reason: Option<String>,
    pub cancelled_by: Option<String>,
    pub rejected_reason: Option<String>,
    pub last_updated: Option<NaiveDateTime>,
}

impl Lifecycle {
    /// A new Pending booking. `LastUpdated` stays null until something changes.
    pub fn new(created: NaiveDateTime, accept_by: NaiveDateTime) -> Self {
        Self {
            status: BookingStatus::Pending,
            created,
            accept_by,
            accepted: None,
            confirmed: None,
            cancelled: None,
            cancelled_reason: None,
            cancelled_by: None,
            rejected_reason: None,
            last_updated: None,
        }
    }

    /// Rejects a Pending booking whose `AcceptBy` has passed, dated at `AcceptBy`.
    pub fn expire(&mut self, now: NaiveDateTime) {
        if self.status == BookingStatus::Pending && now >= self.accept_by {
            self.status = BookingStatus::Rejected;
            self.rejected_reason = Some(format!(
                "The booking was not accepted by {}.",
                self.accept_by.format("%Y-%m-%d %H:%M")
            ));
            self.last_updated = Some(self.accept_by);
        }
    }

    /// Applies `t`, made by `by`, or explains why it does not apply: another party than the
    /// transition's (403), or a status it does not start from (409).
    pub fn apply(
        &mut self,
        t: &Transition,
        by: Party,
        now: NaiveDateTime,
        what: &str,
    ) -> Result<(), Refusal> {
        let Step {
            from,
            to,
            by: party,
        } = t.step();
        if by != party {
            return Err(Refusal::Forbidden(format!(
                "{what} can only be {} by its {party}, not by its {by}.",
                t.verb()
            )));
        }
        self.expire(now);
        if self.status != from {
            let why = match (&self.status, &self.rejected_reason, &self.cancelled_reason) {
                (BookingStatus::Rejected, Some(r), _) | (BookingStatus::Cancelled, _, Some(r)) => {
                    format!(" ({r})")
                }
                _ => String::new(),
            };
            return Err(Refusal::Conflict(format!(
                "{what} is {}{why}; only {from} bookings can be {}.",
                self.status,
                t.verb()
            )));
        }
        match t {
            Transition::Accept => self.accepted = Some(now),
            Transition::Reject(reason) => self.rejected_reason = reason.clone(),
            Transition::Confirm => self.confirmed = Some(now),
        }
        self.status = to;
        self.last_updated = Some(now);
        Ok(())
    }

    /// Cancels the booking (the caller has checked the cancel rules).
    pub fn cancel(&mut self, now: NaiveDateTime, by: Option<String>, reason: String) {
        self.status = BookingStatus::Cancelled;
        self.cancelled = Some(now);
        self.cancelled_by = by;
        self.cancelled_reason = Some(reason);
        self.last_updated = Some(now);
    }

    /// Whether the other party has agreed, so their contact details are shown.
    pub fn agreed(&self) -> bool {
        matches!(
            self.status,
            BookingStatus::Accepted | BookingStatus::Confirmed
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, TimeDelta};

    fn t0() -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2018, 1, 1)
            .unwrap()
            .and_hms_opt(11, 0, 0)
            .unwrap()
    }

    #[test]
    fn transitions_follow_the_state_machine_and_stamp_dates() {
        let mut l = Lifecycle::new(t0(), t0() + TimeDelta::days(1));
        assert!(
            l.apply(&Transition::Confirm, Party::Performer, t0(), "booking 1")
                .is_err()
        );
        let at = t0() + TimeDelta::hours(1);
        l.apply(&Transition::Accept, Party::Performer, at, "booking 1")
            .unwrap();
        assert_eq!(
            (l.status.clone(), l.accepted, l.last_updated),
            (BookingStatus::Accepted, Some(at), Some(at))
        );
        let err = l
            .apply(&Transition::Reject(None), Party::Performer, at, "booking 1")
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "booking 1 is Accepted; only Pending bookings can be rejected."
        );
        let later = at + TimeDelta::hours(1);
        l.apply(&Transition::Confirm, Party::Performer, later, "booking 1")
            .unwrap();
        assert_eq!(
            (l.status.clone(), l.confirmed, l.last_updated),
            (BookingStatus::Confirmed, Some(later), Some(later))
        );
    }

    #[test]
    fn only_the_transitions_party_may_make_it_and_a_refusal_changes_nothing() {
        let mut l = Lifecycle::new(t0(), t0() + TimeDelta::days(1));
        let before = l.clone();
        for by in [Party::Client, Party::Api] {
            let err = l
                .apply(&Transition::Accept, by, t0(), "booking 1")
                .unwrap_err();
            assert!(matches!(err, Refusal::Forbidden(_)), "{err}");
        }
        assert_eq!(
            l.apply(&Transition::Accept, Party::Client, t0(), "booking 1")
                .unwrap_err()
                .to_string(),
            "booking 1 can only be accepted by its performer, not by its client."
        );
        assert_eq!(l, before);
    }

    #[test]
    fn pending_bookings_expire_at_accept_by() {
        let accept_by = t0() + TimeDelta::hours(2);
        let mut l = Lifecycle::new(t0(), accept_by);
        l.expire(accept_by - TimeDelta::seconds(1));
        assert_eq!(l.status, BookingStatus::Pending);
        let err = l
            .apply(
                &Transition::Accept,
                Party::Performer,
                accept_by,
                "booking 1",
            )
            .unwrap_err();
        assert!(
            matches!(err, Refusal::Conflict(m) if m.contains("is Rejected (The booking was not accepted by 2018-01-01 13:00.)"))
        );
        assert_eq!(l.last_updated, Some(accept_by));
    }
}
