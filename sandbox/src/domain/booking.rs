//! Booking records: what the state keeps of each webcam and phone-chat booking, and how it
//! renders as the API's types (contact details shown once the other party has agreed).

use std::sync::Arc;

use adultwork::types::{
    PhoneChatBooking, PhoneChatBookingUser, WebcamBooking, WebcamBookingPerformer,
};
use adultwork::{BookingStatus, Credits, PhoneChatMethod, SoftwareType, Timestamp};
use chrono::NaiveDateTime;

use super::data::{Feedback, User};
use super::lifecycle::{Lifecycle, Party};

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
    /// The user who is `party` to this booking: its client or its candidate (the API is no
    /// user).
    pub fn party_id(&self, party: Party) -> Option<i64> {
        match party {
            Party::Client => Some(self.client_id),
            Party::Performer => Some(self.candidate_id),
            Party::Api => None,
        }
    }

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
