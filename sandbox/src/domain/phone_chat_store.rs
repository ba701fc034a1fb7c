//! What the state keeps about phone chat beyond the bookings themselves: which party deleted
//! which booking from their view, and each performer's saved settings. Plain data; the
//! operations that use it are in [`phone_chat_made`](super::phone_chat_made) and
//! [`phone_chat_received`](super::phone_chat_received).

use std::collections::{BTreeMap, BTreeSet};

use adultwork::Credits;

/// Phone-chat state beside the booking records.
#[derive(Debug, Default)]
pub(crate) struct PhoneChatExtra {
    /// Bookings their client deleted (`DeleteMadeBookings`). Our assumption: a delete hides
    /// the booking from that party only; the other party still sees it.
    pub deleted_by_client: BTreeSet<i64>,
    /// Bookings their candidate deleted (`DeleteReceivedBooking`), under the same assumption.
    pub deleted_by_candidate: BTreeSet<i64>,
    /// Settings saved through `SaveSettings`, by user ID; a user without saved settings has
    /// those their data-file profile implies ([`PhoneChatSettings::from_profile`]).
    pub settings: BTreeMap<i64, PhoneChatSettings>,
}

/// A performer's phone-chat settings (`GetSettings` / `SaveSettings`).
#[derive(Debug, Clone, PartialEq)]
pub struct PhoneChatSettings {
    /// `OfferDirectChat`.
    pub offer_direct_chat: bool,
    /// `DirectChat`: present if and only if `OfferDirectChat` is true (the docs). Kept as the
    /// client sent it, since the docs do not show its members.
    pub direct_chat: Option<serde_json::Value>,
    /// `PhoneChatNumber`: the number clients call once they have confirmed.
    pub phone_chat_number: Option<String>,
    /// `ShowPhoneChatNumber`.
    pub show_phone_chat_number: bool,
    /// `PhoneChatPPM`: credits per minute.
    pub phone_chat_ppm: Option<Credits>,
}

impl PhoneChatSettings {
    /// The settings a user of the data file has before saving any (our assumption: no
    /// DirectChat offered, number not shown, the profile's number and price per minute).
    pub fn from_profile(profile: Option<&super::data::PhoneChatProfile>) -> Self {
        Self {
            offer_direct_chat: false,
            direct_chat: None,
            phone_chat_number: profile.and_then(|p| p.phone_number.clone()),
            show_phone_chat_number: false,
            phone_chat_ppm: profile.and_then(|p| p.price_per_minute),
        }
    }
}

/// One booking's result of a delete operation (`BookingID`, `Deleted`, `Message`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeleteOutcome {
    /// `BookingID`.
    pub booking_id: i64,
    /// `Deleted`: whether the booking was deleted.
    pub deleted: bool,
    /// `Message`: why the delete failed; our wording, and `None` when it succeeded (the docs
    /// describe the message only for failures).
    pub message: Option<String>,
}

/// What a client must know before booking a user for phone chat
/// (`GetUserBookingRequirements`).
#[derive(Debug, Clone, PartialEq)]
pub struct PhoneChatRequirements {
    /// `PhoneChatPPM`: price per minute including VAT; `None` when not configured (then it
    /// restricts nothing). Our assumption: the data file's price already includes VAT.
    pub phone_chat_ppm: Option<Credits>,
    /// `Methods`: each method and whether the user accepts it.
    pub methods: Vec<(adultwork::PhoneChatMethod, bool)>,
}
