//! Booking records and their state machine, and how they render as the API's types.
//!
//! Pending → Accepted or Rejected; Accepted → Confirmed; Pending, Accepted or Confirmed →
//! Cancelled. A Pending booking whose `AcceptBy` has passed becomes Rejected the next time
//! it is read or changed. Every transition stamps its own date and `LastUpdated`.

use std::sync::Arc;

use adultwork::types::{
    PhoneChatBooking, PhoneChatBookingUser, WebcamBooking, WebcamBookingPerformer,
};
use adultwork::{BookingStatus, Credits, PhoneChatMethod, SoftwareType, Timestamp};
use chrono::NaiveDateTime;

use super::data::{Feedback, User};
use super::refusal::Refusal;

/// What the other party (the performer or candidate) does to a booking, through the control
/// endpoints.
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

    /// Applies `t`, or explains why it does not apply to the current status.
    pub fn apply(&mut self, t: &Transition, now: NaiveDateTime, what: &str) -> Result<(), Refusal> {
        self.expire(now);
        let from = match t {
            Transition::Accept | Transition::Reject(_) => BookingStatus::Pending,
            Transition::Confirm => BookingStatus::Accepted,
        };
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
            Transition::Accept => {
                self.status = BookingStatus::Accepted;
                self.accepted = Some(now);
            }
            Transition::Reject(reason) => {
                self.status = BookingStatus::Rejected;
                self.rejected_reason = reason.clone();
            }
            Transition::Confirm => {
                self.status = BookingStatus::Confirmed;
                self.confirmed = Some(now);
            }
        }
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
    fn agreed(&self) -> bool {
        matches!(
            self.status,
            BookingStatus::Accepted | BookingStatus::Confirmed
        )
    }
}

/// One webcam booking: one invited performer of one create request.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct WebcamRecord {
    pub id: i64,
    pub client_id: i64,
    pub performer_id: i64,
    /// The other bookings made by the same create request.
    pub siblings: Vec<i64>,
    pub duration: i32,
    pub credits: Credits,
    pub software: SoftwareType,
    /// Shared with the bookings rescheduled from this one, so a reschedule costs a record,
    /// not a copy of the client's strings.
    pub sign_in: Arc<str>,
    pub also_phone_chat: bool,
    pub phone_number: Option<Arc<str>>,
    pub send_sms_on_accept: bool,
    pub is_multiple: bool,
    pub session: NaiveDateTime,
    pub life: Lifecycle,
}

impl WebcamRecord {
    /// The booking as the API shows it to its client. `performer` is the performer's user.
    pub fn render(&self, performer: &User) -> WebcamBooking {
        let l = &self.life;
        let agreed = l.agreed();
        let f = performer.feedback;
        WebcamBooking {
            webcam_booking_id: self.id,
            duration: self.duration,
            credits: self.credits,
            status: l.status.clone(),
            is_multiple: self.is_multiple,
            software_type_id: self.software,
            sign_in_name_or_email: self.sign_in.to_string(),
            also_phone_chat: self.also_phone_chat,
            create_date: stamp(l.created),
            session_date: stamp(self.session),
            accept_by: stamp(l.accept_by),
            accepted_date: l.accepted.map(stamp),
            confirmed_date: l.confirmed.map(stamp),
            cancelled_date: l.cancelled.map(stamp),
            cancelled_reason: l.cancelled_reason.clone(),
            cancelled_by: l.cancelled_by.clone(),
            rejected_reason: l.rejected_reason.clone(),
            last_updated: l.last_updated.map(stamp),
            performer: WebcamBookingPerformer {
                user_id: performer.user_id,
                nickname: performer.nickname.clone(),
                sign_in_name_or_email: performer
                    .webcam
                    .as_ref()
                    .and_then(|w| w.sign_in_name_or_email.clone())
                    .filter(|_| agreed),
                phone_number: performer
                    .phone_chat
                    .as_ref()
                    .and_then(|p| p.phone_number.clone())
                    .filter(|_| agreed && self.also_phone_chat),
                total: f.total,
                positive: f.positive,
                neutral: f.neutral,
                negative: f.negative,
                ratings: f.ratings,
                disputes: f.disputes,
            },
        }
    }
}

/// One phone-chat booking.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PhoneChatRecord {
    pub id: i64,
    pub client_id: i64,
    pub candidate_id: i64,
    pub duration: i32,
    pub credits: Credits,
    pub method: PhoneChatMethod,
    pub phone_number: Option<String>,
    pub skype_name: Option<String>,
    pub comments: Option<String>,
    pub session: NaiveDateTime,
    pub life: Lifecycle,
}

impl PhoneChatRecord {
    /// The booking as the API shows it to its client. `candidate` is the candidate's user.
    pub fn render(&self, candidate: &User) -> PhoneChatBooking {
        let l = &self.life;
        let agreed = l.agreed();
        let profile = candidate.phone_chat.as_ref();
        let Feedback {
            total,
            positive,
            neutral,
            negative,
            ratings,
            disputes,
        } = candidate.feedback;
        PhoneChatBooking {
            booking_id: self.id,
            duration: self.duration,
            credits: self.credits,
            status: l.status.clone(),
            method: self.method,
            phone_number: self.phone_number.clone(),
            skype_name: self.skype_name.clone(),
            create_date: stamp(l.created),
            session_date: stamp(self.session),
            accept_by: stamp(l.accept_by),
            accepted_date: l.accepted.map(stamp),
            confirmed_date: l.confirmed.map(stamp),
            cancelled_date: l.cancelled.map(stamp),
            cancelled_reason: l.cancelled_reason.clone(),
            cancelled_by: l.cancelled_by.clone(),
            rejected_reason: l.rejected_reason.clone(),
            last_updated: l.last_updated.map(stamp),
            comments: self.comments.clone(),
            action_client: action_client(&l.status, &candidate.nickname),
            candidate: PhoneChatBookingUser {
                user_id: candidate.user_id,
                nickname: candidate.nickname.clone(),
                phone_number: profile
                    .and_then(|p| p.phone_number.clone())
                    .filter(|_| agreed && self.method == PhoneChatMethod::ICall),
                skype_name: profile
                    .and_then(|p| p.skype_name.clone())
                    .filter(|_| agreed && self.method == PhoneChatMethod::Skype),
                total,
                positive,
                neutral,
                negative,
                ratings,
                disputes,
            },
        }
    }
}

/// `ActionClient`: what happens next, in the docs' words; null when nothing can.
fn action_client(status: &BookingStatus, nickname: &str) -> Option<String> {
    match status {
        BookingStatus::Pending => Some(format!("{nickname} needs to accept or reject")),
        BookingStatus::Accepted => Some(format!("{nickname} needs to confirm")),
        _ => None,
    }
}

fn stamp(t: NaiveDateTime) -> Timestamp {
    Timestamp::from_naive(t)
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
        assert!(l.apply(&Transition::Confirm, t0(), "booking 1").is_err());
        let at = t0() + TimeDelta::hours(1);
        l.apply(&Transition::Accept, at, "booking 1").unwrap();
        assert_eq!(
            (l.status.clone(), l.accepted, l.last_updated),
            (BookingStatus::Accepted, Some(at), Some(at))
        );
        let err = l
            .apply(&Transition::Reject(None), at, "booking 1")
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "booking 1 is Accepted; only Pending bookings can be rejected."
        );
        let later = at + TimeDelta::hours(1);
        l.apply(&Transition::Confirm, later, "booking 1").unwrap();
        assert_eq!(
            (l.status.clone(), l.confirmed, l.last_updated),
            (BookingStatus::Confirmed, Some(later), Some(later))
        );
    }

    #[test]
    fn pending_bookings_expire_at_accept_by() {
        let accept_by = t0() + TimeDelta::hours(2);
        let mut l = Lifecycle::new(t0(), accept_by);
        l.expire(accept_by - TimeDelta::seconds(1));
        assert_eq!(l.status, BookingStatus::Pending);
        let err = l
            .apply(&Transition::Accept, accept_by, "booking 1")
            .unwrap_err();
        assert!(
            matches!(err, Refusal::Conflict(m) if m.contains("is Rejected (The booking was not accepted by 2018-01-01 13:00.)"))
        );
        assert_eq!(l.last_updated, Some(accept_by));
    }
}
