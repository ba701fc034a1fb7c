//! Phone-chat bookings from the candidate's side ("received"): accept, re-invite, delete, and
//! the settings, each a method of [`SandboxState`]. The reference shows no phone-chat reject,
//! confirm or received-booking read; the control endpoints stand in for the first two.

use adultwork::types::PhoneChatBooking;
use adultwork::{BookingStatus, Credits};

use super::lifecycle::{Lifecycle, Party, Transition};
use super::phone_chat_made::{deletable, on_side, outcome};
use super::phone_chat_store::{DeleteOutcome, PhoneChatSettings};
use super::refusal::Refusal;
use super::state::SandboxState;

/// `Reason` a re-invite records when none is given: our wording (the docs: "a default reason
/// will be used", without saying which).
pub const DEFAULT_REINVITE_REASON: &str =
    "The booking expired before it was accepted; the client is invited to reschedule it.";

/// Whether `life` was rejected by expiry at `AcceptBy` and nothing changed it since.
fn expired_unanswered(life: &Lifecycle) -> bool {
    let mut probe = Lifecycle::new(life.created, life.accept_by);
    probe.expire(life.accept_by);
    life.status == BookingStatus::Rejected
        && life.accepted.is_none()
        && life.rejected_reason == probe.rejected_reason
        && life.last_updated == probe.last_updated
}

impl SandboxState {
    /// `POST /v1/PhoneChat/AcceptReceivedBooking` for candidate `performer_id`, at `credits`
    /// (which may differ from the offer: the booking then shows the performer's credits).
    /// Status must be Pending, `AcceptBy` and `SessionDate` in the future (the docs).
    pub fn accept_received_phone_chat_booking(
        &self,
        performer_id: i64,
        booking_id: i64,
        credits: Credits,
    ) -> Result<PhoneChatBooking, Refusal> {
        if credits <= Credits::from(0u32) {
            return Err(Refusal::invalid(
                "Credits",
                format!("must be greater than 0 (got {credits})"),
            ));
        }
        let now = self.clock().now();
        let mut books = self.books_at(now);
        let record = on_side(&mut books, Party::Performer, performer_id, booking_id)?;
        record.life.expire(now);
        let l = &record.life;
        if l.status != BookingStatus::Pending {
            let why = l
                .rejected_reason
                .as_ref()
                .filter(|_| l.status == BookingStatus::Rejected)
                .map(|r| format!("; {r}"))
                .unwrap_or_default();
            return Err(Refusal::invalid(
                "Status",
                format!(
                    "must be Pending to accept (the booking is {}{why})",
                    l.status
                ),
            ));
        }
        if record.session <= now {
            return Err(Refusal::invalid(
                "SessionDate",
                format!(
                    "must be in the future to accept (session {}, now {})",
                    record.session.format("%Y-%m-%d %H:%M"),
                    now.format("%Y-%m-%d %H:%M")
                ),
            ));
        }
        // AcceptBy in the future holds here: a Pending booking past it has expired above.
        self.phone_chat_apply(
            &mut books,
            booking_id,
            &Transition::Accept,
            Party::Performer,
            now,
        )?;
        let record = books
            .phone_chat
            .get_mut(&booking_id)
            .expect("accepted just now");
        record.credits = credits;
        Ok(self.render_phone_chat(record))
    }

    /// `POST /v1/PhoneChat/ReInvite` for candidate `performer_id`: rejects an expired booking
    /// with `reason` (blank or absent: [`DEFAULT_REINVITE_REASON`]). The docs require Status
    /// Pending and a `SessionDate` not in the future; since `AcceptBy` precedes `SessionDate`
    /// and a booking not accepted by then is rejected automatically (also the docs), such a
    /// booking reads as Rejected. Our assumptions: a booking rejected by that expiry (and
    /// nothing since) counts as the docs' "expired" Pending booking; the re-invite records the
    /// reason and creates no booking (the client reschedules through
    /// `RescheduleMadeBooking`); a blank reason is taken as none.
    pub fn reinvite_received_phone_chat_booking(
        &self,
        performer_id: i64,
        booking_id: i64,
        reason: Option<&str>,
    ) -> Result<PhoneChatBooking, Refusal> {
        let now = self.clock().now();
        let mut books = self.books_at(now);
        let record = on_side(&mut books, Party::Performer, performer_id, booking_id)?;
        if record.session > now {
            return Err(Refusal::invalid(
                "SessionDate",
                format!(
                    "must not be in the future to re-invite (session {}, now {})",
                    record.session.format("%Y-%m-%d %H:%M"),
                    now.format("%Y-%m-%d %H:%M")
                ),
            ));
        }
        record.life.expire(now);
        let l = &mut record.life;
        if l.status != BookingStatus::Pending && !expired_unanswered(l) {
            return Err(Refusal::invalid(
                "Status",
                format!(
                    "must be Pending (or expired unanswered) to re-invite (the booking is {})",
                    l.status
                ),
            ));
        }
        let reason = reason
            .map(str::trim)
            .filter(|r| !r.is_empty())
            .unwrap_or(DEFAULT_REINVITE_REASON);
        l.status = BookingStatus::Rejected;
        l.rejected_reason = Some(reason.to_string());
        l.last_updated = Some(now);
        Ok(self.render_phone_chat(record))
    }

    /// `POST /v1/PhoneChat/DeleteReceivedBooking` for candidate `performer_id`: one outcome
    /// per ID; only Rejected, Cancelled or Confirmed bookings are deleted (the docs).
    pub fn delete_received_phone_chat_bookings(
        &self,
        performer_id: i64,
        booking_ids: &[i64],
    ) -> Vec<DeleteOutcome> {
        let now = self.clock().now();
        let mut books = self.books_at(now);
        booking_ids
            .iter()
            .map(|&id| {
                let result = on_side(&mut books, Party::Performer, performer_id, id)
                    .and_then(|r| deletable(r, now));
                if result.is_ok() {
                    books.phone_chat_extra.deleted_by_candidate.insert(id);
                }
                outcome(id, result)
            })
            .collect()
    }

    /// `GET /v1/PhoneChat/GetSettings` for `user_id`.
    pub fn phone_chat_settings(&self, user_id: i64) -> Result<PhoneChatSettings, Refusal> {
        self.user(user_id)?;
        Ok(self.phone_chat_settings_of(user_id))
    }

    /// `POST /v1/PhoneChat/SaveSettings` for `user_id`: `DirectChat` only and always with
    /// `OfferDirectChat` true; `PhoneChatNumber` only digits with an optional leading `+` and
    /// a country code (our reading: it starts with `+` or `00`); `PhoneChatPPM` not negative
    /// (our assumption). Returns the settings now in force.
    pub fn save_phone_chat_settings(
        &self,
        user_id: i64,
        settings: PhoneChatSettings,
    ) -> Result<PhoneChatSettings, Refusal> {
        self.user(user_id)?;
        match (settings.offer_direct_chat, &settings.direct_chat) {
            (true, None) => {
                return Err(Refusal::invalid(
                    "DirectChat",
                    "must be provided when OfferDirectChat is true",
                ));
            }
            (false, Some(_)) => {
                return Err(Refusal::invalid(
                    "DirectChat",
                    "can only be provided when OfferDirectChat is true",
                ));
            }
            _ => {}
        }
        if let Some(n) = &settings.phone_chat_number {
            let digits = n.strip_prefix('+').unwrap_or(n);
            let ok = !digits.is_empty()
                && digits.bytes().all(|b| b.is_ascii_digit())
                && (n.starts_with('+') || n.starts_with("00"));
            if !ok {
                return Err(Refusal::invalid(
                    "PhoneChatNumber",
                    format!(
                        "must hold only digits with an optional leading + and start with a \
                         country code (+44... or 0044...; got {n:?})"
                    ),
                ));
            }
        }
        if settings
            .phone_chat_ppm
            .is_some_and(|p| p < Credits::from(0u32))
        {
            return Err(Refusal::invalid("PhoneChatPPM", "must not be negative"));
        }
        let now = self.clock().now();
        let mut books = self.books_at(now);
        books
            .phone_chat_extra
            .settings
            .insert(user_id, settings.clone());
        Ok(settings)
    }
}
