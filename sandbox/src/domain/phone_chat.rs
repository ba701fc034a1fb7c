//! Phone-chat bookings: the client's operation (create) and the candidate's answers, each a
//! method of [`SandboxState`].

use adultwork::types::{CreatePhoneChatBookingRequest, PhoneChatBooking};
use adultwork::{PhoneChatMethod, validate};

use super::booking::PhoneChatRecord;
use super::lifecycle::{Lifecycle, Party, Transition};
use super::refusal::Refusal;
use super::rules;
use super::state::{Kind, SandboxState, not_found};

impl SandboxState {
    /// `POST /v1/PhoneChat/CreateBooking` for client `client_id`.
    pub fn create_phone_chat_booking(
        &self,
        client_id: i64,
        req: &CreatePhoneChatBookingRequest,
    ) -> Result<PhoneChatBooking, Refusal> {
        let now = self.clock().now();
        validate::phone_chat_booking(req, now)?;
        let client = self.user(client_id)?;
        let candidate = rules::phone_chat_candidate(self.data(), client_id, req)?;
        let price = self
            .phone_chat_settings_of(candidate.user_id)
            .phone_chat_ppm;
        rules::covers_price(price, req)?;
        rules::client_can_pay(client, req.credits)?;
        let mut books = self.books_at(now);
        self.room_for(&books, 1)?;
        let id = books.last_phone_chat_id + 1;
        let record = PhoneChatRecord {
            id,
            client_id,
            candidate_id: candidate.user_id,
            duration: req.duration,
            credits: req.credits,
            method: req.method,
            phone_number: (req.method == PhoneChatMethod::CallMe)
                .then(|| req.phone_number.as_ref().map(|p| p.to_string()))
                .flatten(),
            skype_name: (req.method == PhoneChatMethod::Skype)
                .then(|| req.skype_name.as_ref().map(|s| s.to_string()))
                .flatten(),
            comments: req.comments.clone(),
            session: req.session_date.naive(),
            life: Lifecycle::new(now, req.accept_by.naive()),
        };
        let booking = record.render(candidate);
        books.last_phone_chat_id = id;
        books.phone_chat.insert(id, record);
        self.plan_first(&mut books, Kind::PhoneChat(id), candidate.user_id, now);
        Ok(booking)
    }

    /// The candidate answers phone-chat booking `booking_id` (control endpoints).
    pub fn phone_chat_transition(
        &self,
        booking_id: i64,
        t: &Transition,
    ) -> Result<PhoneChatBooking, Refusal> {
        let now = self.clock().now();
        let mut books = self.books_at(now);
        self.phone_chat_apply(&mut books, booking_id, t, Party::Performer, now)
    }

    /// Phone-chat booking `booking_id` whoever made it (control endpoints; the API has no
    /// read operation for phone chat).
    pub fn any_phone_chat_booking(&self, booking_id: i64) -> Result<PhoneChatBooking, Refusal> {
        let now = self.clock().now();
        let mut books = self.books_at(now);
        let record = books
            .phone_chat
            .get_mut(&booking_id)
            .ok_or_else(|| not_found("PhoneChat", booking_id))?;
        record.life.expire(now);
        Ok(self.render_phone_chat(record))
    }
}
