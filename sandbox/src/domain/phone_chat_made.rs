//! Phone-chat bookings from the client's side ("made"): details, list, cancel, reschedule,
//! delete and the requirements before booking, each a method of [`SandboxState`]. The
//! candidate's side is in [`phone_chat_received`](super::phone_chat_received).

use adultwork::types::PhoneChatBooking;
use adultwork::{BookingStatus, PhoneChatMethod, validate};
use chrono::{Datelike, NaiveDate, NaiveDateTime};

use super::booking::PhoneChatRecord;
use super::lifecycle::{Lifecycle, Party};
use super::phone_chat_store::{DeleteOutcome, PhoneChatRequirements, PhoneChatSettings};
use super::refusal::Refusal;
use super::rules;
use super::state::{Books, Kind, SandboxState, not_found};

/// `OrderBy` of `GET /v1/PhoneChat/MadeBookings` (the docs' six values; default
/// `date-desc`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PhoneChatOrder {
    /// `date-desc`: newest created first (the default).
    #[default]
    DateDesc,
    /// `date-asc`: oldest created first.
    DateAsc,
    /// `nickname-asc`: by the candidate's nickname.
    NicknameAsc,
    /// `nickname-desc`.
    NicknameDesc,
    /// `sessiondate-asc`: earliest session first.
    SessionDateAsc,
    /// `sessiondate-desc`.
    SessionDateDesc,
}

impl PhoneChatOrder {
    /// Every value with its wire name.
    pub const ALL: [(Self, &'static str); 6] = [
        (Self::DateDesc, "date-desc"),
        (Self::DateAsc, "date-asc"),
        (Self::NicknameAsc, "nickname-asc"),
        (Self::NicknameDesc, "nickname-desc"),
        (Self::SessionDateAsc, "sessiondate-asc"),
        (Self::SessionDateDesc, "sessiondate-desc"),
    ];

    /// Parses a wire value, refusing anything else with the field's name and the values.
    /// Our assumption: the match is case-sensitive, as the docs spell them.
    pub fn parse(s: &str) -> Result<Self, Refusal> {
        Self::ALL
            .iter()
            .find(|(_, name)| *name == s)
            .map(|(o, _)| *o)
            .ok_or_else(|| {
                let names: Vec<&str> = Self::ALL.iter().map(|(_, n)| *n).collect();
                Refusal::invalid(
                    "OrderBy",
                    format!("must be one of {} (got {s:?})", names.join(", ")),
                )
            })
    }
}

/// Phone-chat booking `booking_id` as `user_id` sees it through `side`'s operations (the
/// client's made-booking ones, or the candidate's received-booking ones): a booking of which
/// the user is the other party is refused (403, party check); one they deleted from that side,
/// or someone else's, is not found.
pub(super) fn on_side(
    books: &mut Books,
    side: Party,
    user_id: i64,
    booking_id: i64,
) -> Result<&mut PhoneChatRecord, Refusal> {
    let extra = &books.phone_chat_extra;
    let (deleted, other, other_operations) = match side {
        Party::Client => (
            &extra.deleted_by_client,
            Party::Performer,
            "received-booking",
        ),
        _ => (&extra.deleted_by_candidate, Party::Client, "made-booking"),
    };
    let deleted = deleted.contains(&booking_id);
    match books.phone_chat.get_mut(&booking_id) {
        Some(r) if r.party_id(side) == Some(user_id) && !deleted => Ok(r),
        Some(r) if r.party_id(other) == Some(user_id) => Err(Refusal::Forbidden(format!(
            "PhoneChat booking {booking_id}: you are its {other}; a {other} acts on it through \
             the {other_operations} operations, not these."
        ))),
        _ => Err(not_found("PhoneChat", booking_id)),
    }
}

impl SandboxState {
    /// `GET /v1/PhoneChat/MadeBookingDetails`: booking `booking_id` as client `user_id`
    /// sees it.
    pub fn made_phone_chat_booking(
        &self,
        user_id: i64,
        booking_id: i64,
    ) -> Result<PhoneChatBooking, Refusal> {
        let now = self.clock().now();
        let mut books = self.books_at(now);
        let record = on_side(&mut books, Party::Client, user_id, booking_id)?;
        record.life.expire(now);
        Ok(self.render_phone_chat(record))
    }

    /// `GET /v1/PhoneChat/MadeBookings` before paging: every phone-chat booking client
    /// `user_id` made (and has not deleted), created on or after `start_date` when given, in
    /// `order`. Ties keep the order of their IDs (our assumption).
    pub fn made_phone_chat_bookings(
        &self,
        user_id: i64,
        start_date: Option<NaiveDate>,
        order: PhoneChatOrder,
    ) -> Vec<PhoneChatBooking> {
        let now = self.clock().now();
        let mut books = self.books_at(now);
        let books = &mut *books;
        let deleted = &books.phone_chat_extra.deleted_by_client;
        let mut rows: Vec<&mut PhoneChatRecord> = books
            .phone_chat
            .values_mut()
            .filter(|r| r.client_id == user_id && !deleted.contains(&r.id))
            .filter(|r| start_date.is_none_or(|d| r.life.created.date() >= d))
            .collect();
        for r in rows.iter_mut() {
            r.life.expire(now);
        }
        let nickname = |r: &PhoneChatRecord| {
            self.data()
                .user(r.candidate_id)
                .map(|u| u.nickname.clone())
                .unwrap_or_default()
        };
        // Stable sorts: ties keep the order of their IDs.
        match order {
            PhoneChatOrder::DateDesc => rows.sort_by_key(|r| std::cmp::Reverse(r.life.created)),
            PhoneChatOrder::DateAsc => rows.sort_by_key(|r| r.life.created),
            PhoneChatOrder::NicknameAsc => rows.sort_by_key(|r| nickname(r)),
            PhoneChatOrder::NicknameDesc => rows.sort_by_key(|r| std::cmp::Reverse(nickname(r))),
            PhoneChatOrder::SessionDateAsc => rows.sort_by_key(|r| r.session),
            PhoneChatOrder::SessionDateDesc => rows.sort_by_key(|r| std::cmp::Reverse(r.session)),
        }
        rows.into_iter()
            .map(|r| self.render_phone_chat(r))
            .collect()
    }

    /// `POST /v1/PhoneChat/CancelMadeBooking` for client `client_id`: `Reason` required; not
    /// when Cancelled or Rejected; a Confirmed booking only before its `SessionDate` (the
    /// docs).
    pub fn cancel_made_phone_chat_booking(
        &self,
        client_id: i64,
        booking_id: i64,
        reason: &str,
    ) -> Result<PhoneChatBooking, Refusal> {
        validate::reason(reason)?;
        let now = self.clock().now();
        let client = self.user(client_id)?;
        let mut books = self.books_at(now);
        let record = on_side(&mut books, Party::Client, client_id, booking_id)?;
        record.life.expire(now);
        rules::cancellable(&record.life.status, record.session, now)?;
        record.life.cancel(
            now,
            Some(client.nickname.clone()),
            reason.trim().to_string(),
        );
        Ok(self.render_phone_chat(record))
    }

    /// `POST /v1/PhoneChat/RescheduleMadeBooking` for client `client_id`: only once the
    /// booking's `SessionDate` has passed, and the client must have sufficient credits (the
    /// docs). Our assumptions: a new booking (new ID) with the old one's properties, its
    /// session [`RESCHEDULE_LEAD`](rules::RESCHEDULE_LEAD) (five minutes, the low end of the
    /// docs' "5-10 minutes") from now and its `AcceptBy` the same moment; the old booking is
    /// left as it is; no status is required (the docs list none).
    pub fn reschedule_made_phone_chat_booking(
        &self,
        client_id: i64,
        booking_id: i64,
    ) -> Result<PhoneChatBooking, Refusal> {
        let now = self.clock().now();
        let client = self.user(client_id)?;
        let mut books = self.books_at(now);
        let old = on_side(&mut books, Party::Client, client_id, booking_id)?;
        old.life.expire(now);
        if old.session > now {
            return Err(Refusal::invalid(
                "SessionDate",
                format!(
                    "must have passed already to reschedule (session {}, now {})",
                    old.session.format("%Y-%m-%d %H:%M"),
                    now.format("%Y-%m-%d %H:%M")
                ),
            ));
        }
        rules::client_can_pay(client, old.credits)?;
        let session = now + rules::RESCHEDULE_LEAD;
        if session.year() > 9999 {
            return Err(Refusal::invalid(
                "SessionDate",
                "would be after year 9999 (five minutes from the sandbox's clock), which the API cannot write",
            ));
        }
        self.room_for(&books, 1)?;
        let new_id = books.last_phone_chat_id + 1;
        let record = PhoneChatRecord {
            id: new_id,
            session,
            life: Lifecycle::new(now, session),
            ..books.phone_chat[&booking_id].clone()
        };
        let booking = self.render_phone_chat(&record);
        let candidate_id = record.candidate_id;
        books.last_phone_chat_id = new_id;
        books.phone_chat.insert(new_id, record);
        self.plan_first(&mut books, Kind::PhoneChat(new_id), candidate_id, now);
        Ok(booking)
    }

    /// `POST /v1/PhoneChat/DeleteMadeBookings` for client `client_id`: one outcome per ID, in
    /// the order given; only Rejected, Cancelled or Confirmed bookings are deleted (the docs).
    pub fn delete_made_phone_chat_bookings(
        &self,
        client_id: i64,
        booking_ids: &[i64],
    ) -> Vec<DeleteOutcome> {
        let now = self.clock().now();
        let mut books = self.books_at(now);
        let outcomes: Vec<DeleteOutcome> = booking_ids
            .iter()
            .map(|&id| {
                let result = on_side(&mut books, Party::Client, client_id, id)
                    .and_then(|r| deletable(r, now));
                if result.is_ok() {
                    books.phone_chat_extra.deleted_by_client.insert(id);
                }
                outcome(id, result)
            })
            .collect();
        outcomes
    }

    /// `GET /v1/PhoneChat/GetUserBookingRequirements?BookUserID=`: the user must exist, provide
    /// phone chat and not have the DirectChat Only option (the docs). The price per minute is
    /// the user's saved `PhoneChatPPM`, else the data file's.
    pub fn phone_chat_requirements(
        &self,
        client_id: i64,
        book_user_id: i64,
    ) -> Result<PhoneChatRequirements, Refusal> {
        self.user(client_id)?;
        let user = self.data().user(book_user_id).ok_or_else(|| {
            Refusal::invalid(
                "BookUserID",
                format!("must be an existing user (no user {book_user_id})"),
            )
        })?;
        let profile = user
            .phone_chat
            .as_ref()
            .filter(|_| rules::allows_phone_chat(user))
            .ok_or_else(|| {
                Refusal::invalid(
                    "BookUserID",
                    format!(
                        "must be a user providing PhoneChat without the DirectChat Only option \
                         ({} is not)",
                        user.nickname
                    ),
                )
            })?;
        let ppm = self.phone_chat_settings_of(book_user_id).phone_chat_ppm;
        Ok(PhoneChatRequirements {
            phone_chat_ppm: ppm,
            methods: PhoneChatMethod::ALL
                .iter()
                .map(|m| (*m, profile.methods.contains(m)))
                .collect(),
        })
    }

    /// The phone-chat settings of `user_id`: those saved, else the data file's.
    pub(super) fn phone_chat_settings_of(&self, user_id: i64) -> PhoneChatSettings {
        let saved = self
            .books_at(self.clock().now())
            .phone_chat_extra
            .settings
            .get(&user_id)
            .cloned();
        saved.unwrap_or_else(|| {
            PhoneChatSettings::from_profile(
                self.data()
                    .user(user_id)
                    .and_then(|u| u.phone_chat.as_ref()),
            )
        })
    }
}

/// The delete prerequisite: Status Rejected, Cancelled or Confirmed (the docs' "complete").
pub(super) fn deletable(record: &mut PhoneChatRecord, now: NaiveDateTime) -> Result<(), Refusal> {
    record.life.expire(now);
    match record.life.status {
        BookingStatus::Rejected | BookingStatus::Cancelled | BookingStatus::Confirmed => Ok(()),
        ref s => Err(Refusal::invalid(
            "Status",
            format!("must be Rejected, Cancelled or Confirmed to delete (the booking is {s})"),
        )),
    }
}

/// A delete's outcome for one ID.
pub(super) fn outcome(booking_id: i64, result: Result<(), Refusal>) -> DeleteOutcome {
    DeleteOutcome {
        booking_id,
        deleted: result.is_ok(),
        message: result.err().map(|e| e.to_string()),
    }
}
