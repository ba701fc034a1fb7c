//! Performers that act by themselves: what a user of the data file does with each booking
//! made with them, after a delay in sandbox clock time.
//!
//! Nothing runs in the background. Each booking made with such a user gets its next action
//! and when it is due ([`Behaviour::first`], [`Behaviour::after_accepting`]); the state
//! applies every action that has fallen due, dated when it fell due, before it reads or
//! changes any booking. So a sandbox on the system clock shows a performer accepting a few
//! seconds after the booking was made, and a test that moves the clock sees it at once.

use chrono::{NaiveDateTime, TimeDelta};
use serde::Deserialize;

use super::lifecycle::Transition;

/// What a user does with each booking made with them (webcam invitations and phone-chat
/// bookings alike), written in the data file as one of:
///
/// ```json
/// {"Accept": {"AfterSeconds": 3, "ConfirmAfterSeconds": 10}}
/// {"Reject": {"AfterSeconds": 2, "Reason": "Sorry, I am away that day."}}
/// {"Ignore": {}}
/// ```
///
/// Delays are in sandbox clock time and default to 0. An action that falls due after the
/// booking's `AcceptBy`, or once the booking has been cancelled, does not happen.
///
/// ```
/// use adultwork_sandbox::Behaviour;
///
/// let b: Behaviour = serde_json::from_str(r#"{"Accept": {"AfterSeconds": 3}}"#).unwrap();
/// assert_eq!(b, Behaviour::Accept { after_seconds: 3, confirm_after_seconds: None });
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all_fields = "PascalCase")]
pub enum Behaviour {
    /// Accepts each booking `after_seconds` after it was made, and confirms it
    /// `confirm_after_seconds` after accepting (never, when absent).
    Accept {
        /// Seconds from the booking's creation to the answer.
        #[serde(default)]
        after_seconds: u32,
        /// Seconds from accepting to confirming; absent: never confirms by themselves.
        #[serde(default)]
        confirm_after_seconds: Option<u32>,
    },
    /// Rejects each booking `after_seconds` after it was made, with `reason` (the booking's
    /// `RejectedReason`; null when absent).
    Reject {
        /// Seconds from the booking's creation to the answer.
        #[serde(default)]
        after_seconds: u32,
        /// The reason given.
        #[serde(default)]
        reason: Option<String>,
    },
    /// Never answers: the booking stays Pending until its `AcceptBy` passes (the default for
    /// a user without a behaviour).
    Ignore {},
}

impl Behaviour {
    /// The first action on a booking made at `created`, and when it is due.
    pub(crate) fn first(&self, created: NaiveDateTime) -> Option<(NaiveDateTime, Transition)> {
        match self {
            Self::Accept { after_seconds, .. } => {
                Some((later(created, *after_seconds), Transition::Accept))
            }
            Self::Reject {
                after_seconds,
                reason,
            } => Some((
                later(created, *after_seconds),
                Transition::Reject(reason.clone()),
            )),
            Self::Ignore {} => None,
        }
    }

    /// The action after this user accepted a booking at `accepted` (by themselves or through
    /// a control endpoint), and when it is due.
    pub(crate) fn after_accepting(
        &self,
        accepted: NaiveDateTime,
    ) -> Option<(NaiveDateTime, Transition)> {
        match self {
            Self::Accept {
                confirm_after_seconds: Some(secs),
                ..
            } => Some((later(accepted, *secs), Transition::Confirm)),
            _ => None,
        }
    }
}

/// `at` plus `secs` seconds, or the latest instant chrono holds.
fn later(at: NaiveDateTime, secs: u32) -> NaiveDateTime {
    at.checked_add_signed(TimeDelta::seconds(i64::from(secs)))
        .unwrap_or(NaiveDateTime::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn t0() -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2018, 1, 1)
            .unwrap()
            .and_hms_opt(11, 0, 0)
            .unwrap()
    }

    #[test]
    fn each_answer_parses_and_schedules_its_action() {
        let accept: Behaviour =
            serde_json::from_str(r#"{"Accept": {"AfterSeconds": 3, "ConfirmAfterSeconds": 10}}"#)
                .unwrap();
        let (at, t) = accept.first(t0()).unwrap();
        assert_eq!((at - t0(), t), (TimeDelta::seconds(3), Transition::Accept));
        let (at, t) = accept.after_accepting(t0()).unwrap();
        assert_eq!(
            (at - t0(), t),
            (TimeDelta::seconds(10), Transition::Confirm)
        );

        let reject: Behaviour = serde_json::from_str(r#"{"Reject": {"Reason": "Away."}}"#).unwrap();
        assert_eq!(
            reject.first(t0()),
            Some((t0(), Transition::Reject(Some("Away.".into()))))
        );
        assert_eq!(reject.after_accepting(t0()), None);

        let ignore: Behaviour = serde_json::from_str(r#"{"Ignore": {}}"#).unwrap();
        assert_eq!(
            (ignore.first(t0()), ignore.after_accepting(t0())),
            (None, None)
        );
    }

    #[test]
    fn unknown_answers_and_fields_are_refused() {
        for bad in [
            r#"{"Maybe": {}}"#,
            r#"{"Accept": {"AfterMinutes": 3}}"#,
            r#"{"Reject": {"ConfirmAfterSeconds": 3}}"#,
            r#"{"Accept": {"AfterSeconds": -1}}"#,
        ] {
            assert!(serde_json::from_str::<Behaviour>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_delay_beyond_the_calendar_saturates() {
        let (at, _) = Behaviour::Accept {
            after_seconds: u32::MAX,
            confirm_after_seconds: None,
        }
        .first(NaiveDateTime::MAX - TimeDelta::seconds(1))
        .unwrap();
        assert_eq!(at, NaiveDateTime::MAX);
    }
}
