//! Webcam bookings: the client's operations (create, details, cancel, reschedule) and the
//! performer's answers, each a method of [`SandboxState`].

use std::sync::Arc;

use adultwork::types::{
    CancelWebcamBookingRequest, CreateWebcamBookingRequest, RescheduleWebcamBookingRequest,
    WebcamBooking, WebcamBookingResult,
};
use adultwork::{WebcamBookingOutcome, validate};
use chrono::Datelike;

use super::booking::WebcamRecord;
use super::lifecycle::{Lifecycle, Party, Transition};
use super::refusal::Refusal;
use super::rules;
use super::state::{Books, Kind, SandboxState, not_found};

impl SandboxState {
    /// `POST /v1/Webcam/CreateBooking` for client `client_id`: one result per invited user.
    pub fn create_webcam_booking(
        &self,
        client_id: i64,
        req: &CreateWebcamBookingRequest,
    ) -> Result<Vec<WebcamBookingResult>, Refusal> {
        let now = self.clock().now();
        validate::webcam_booking(req, now)?;
        let duration = validate::webcam_minutes(req.duration)?;
        let client = self.user(client_id)?;
        let invitations = rules::invitations(self.data(), client_id, req)?;
        rules::sms_on_accept(client, req.send_sms_on_accept == Some(true))?;
        // No credit-balance check: the docs require sufficient credits for phone chat only.

        let session = req.session_date.naive();
        let accept_by = rules::webcam_accept_by(session, now);
        let sign_in: Arc<str> = Arc::from(req.sign_in_name_or_email.to_string());
        let phone_number: Option<Arc<str>> =
            req.phone_number.as_ref().map(|p| Arc::from(p.to_string()));
        let booked = invitations
            .iter()
            .filter(|i| i.outcome != WebcamBookingOutcome::SoftwareNotUsed)
            .count();
        let mut books = self.books_at(now);
        self.room_for(&books, booked)?;
        let first = books.last_webcam_id + 1;
        let ids: Vec<i64> = (first..first + booked as i64).collect();
        books.last_webcam_id += booked as i64;
        let mut next = ids.iter();
        let mut results = Vec::with_capacity(invitations.len());
        for inv in invitations {
            let booking_id = if inv.outcome == WebcamBookingOutcome::SoftwareNotUsed {
                None
            } else {
                let id = *next.next().expect("one ID per booked invitation");
                let record = WebcamRecord {
                    id,
                    client_id,
                    performer_id: inv.user.user_id,
                    siblings: ids.iter().copied().filter(|s| *s != id).collect(),
                    duration,
                    credits: req.credits,
                    software: req.software_type_id,
                    sign_in: sign_in.clone(),
                    also_phone_chat: inv.also_phone_chat,
                    phone_number: phone_number.clone(),
                    send_sms_on_accept: req.send_sms_on_accept == Some(true),
                    is_multiple: booked > 1,
                    session,
                    life: Lifecycle::new(now, accept_by),
                };
                books.webcam.insert(id, record);
                self.plan_first(&mut books, Kind::Webcam(id), inv.user.user_id, now);
                Some(id)
            };
            results.push(WebcamBookingResult {
                user_id: inv.user.user_id,
                booking_id,
                also_phone_chat: inv.also_phone_chat,
                status: inv.outcome,
                status_description: inv.description,
            });
        }
        Ok(results)
    }

    /// `GET /v1/Webcam/MadeBookingDetails`: booking `booking_id` as client `user_id` sees it.
    pub fn webcam_booking(&self, user_id: i64, booking_id: i64) -> Result<WebcamBooking, Refusal> {
        let now = self.clock().now();
        let mut books = self.books_at(now);
        let record = own_webcam(&mut books, user_id, booking_id)?;
        record.life.expire(now);
        Ok(self.render_webcam(record))
    }

    /// `POST /v1/Webcam/CancelMadeBooking` for client `client_id`.
    pub fn cancel_webcam_booking(
        &self,
        client_id: i64,
        req: &CancelWebcamBookingRequest,
    ) -> Result<WebcamBooking, Refusal> {
        validate::cancel(req)?;
        let now = self.clock().now();
        let client = self.user(client_id)?;
        let mut books = self.books_at(now);
        let record = own_webcam(
            &mut books,
            client_id,
            validate::wire_id("BookingID", req.booking_id)?,
        )?;
        record.life.expire(now);
        rules::cancellable(&record.life.status, record.session, now)?;
        record.life.cancel(
            now,
            Some(client.nickname.clone()),
            req.reason.trim().to_string(),
        );
        Ok(self.render_webcam(record))
    }

    /// `POST /v1/Webcam/RescheduleMadeBooking` for client `client_id`: a new booking with the
    /// old one's settings and performer, its session five minutes from now. The old booking
    /// is left as it is.
    pub fn reschedule_webcam_booking(
        &self,
        client_id: i64,
        req: &RescheduleWebcamBookingRequest,
    ) -> Result<WebcamBooking, Refusal> {
        let now = self.clock().now();
        let client = self.user(client_id)?;
        let mut books = self.books_at(now);
        let booking_id = validate::wire_id("BookingID", req.booking_id)?;
        let old = own_webcam(&mut books, client_id, booking_id)?;
        old.life.expire(now);
        rules::performer_available(self.data().user(old.performer_id), old.software)?;
        rules::sms_on_accept(client, old.send_sms_on_accept)?;
        let session = now + rules::RESCHEDULE_LEAD;
        if session.year() > 9999 {
            return Err(Refusal::invalid(
                "SessionDate",
                "would be after year 9999 (five minutes from the sandbox's clock), which the API cannot write",
            ));
        }
        self.room_for(&books, 1)?;
        let new_id = books.last_webcam_id + 1;
        let old = &books.webcam[&booking_id];
        let record = WebcamRecord {
            id: new_id,
            siblings: Vec::new(),
            is_multiple: false,
            session,
            life: Lifecycle::new(now, rules::webcam_accept_by(session, now)),
            ..old.clone()
        };
        let booking = self.render_webcam(&record);
        let performer_id = record.performer_id;
        books.last_webcam_id = new_id;
        books.webcam.insert(new_id, record);
        self.plan_first(&mut books, Kind::Webcam(new_id), performer_id, now);
        Ok(booking)
    }

    /// The performer answers webcam booking `booking_id` (control endpoints). When one
    /// invitee accepts, the other invitees' Pending bookings are cancelled: under the lock,
    /// exactly one of several simultaneous accepts wins.
    pub fn webcam_transition(
        &self,
        booking_id: i64,
        t: &Transition,
    ) -> Result<WebcamBooking, Refusal> {
        let now = self.clock().now();
        let mut books = self.books_at(now);
        self.webcam_apply(&mut books, booking_id, t, Party::Performer, now)
    }

    /// Webcam booking `booking_id` whoever made it (control endpoints).
    pub fn any_webcam_booking(&self, booking_id: i64) -> Result<WebcamBooking, Refusal> {
        let now = self.clock().now();
        let mut books = self.books_at(now);
        let record = books
            .webcam
            .get_mut(&booking_id)
            .ok_or_else(|| not_found("Webcam", booking_id))?;
        record.life.expire(now);
        Ok(self.render_webcam(record))
    }
}

/// Webcam booking `booking_id` if `user_id` made it: someone else's booking is "not found"
/// too, so IDs do not leak.
fn own_webcam(
    books: &mut Books,
    user_id: i64,
    booking_id: i64,
) -> Result<&mut WebcamRecord, Refusal> {
    books
        .webcam
        .get_mut(&booking_id)
        .filter(|r| r.client_id == user_id)
        .ok_or_else(|| not_found("Webcam", booking_id))
}
