//! Ergonomic request inputs. Each converts into the generated wire type, which checks the
//! spec's shape rules; a value the wire type cannot hold is refused by the [`crate::validate`]
//! rule about it, and the cross-field rules run afterwards in [`crate::validate`] too.

use crate::types::{self, CreatePhoneChatBookingRequest, CreateWebcamBookingRequest};
use crate::{Credits, Error, MinuteDateTime, PhoneChatMethod, SoftwareType, validate};

/// Something that can become the wire body `T` of a request: the ergonomic inputs below, or
/// the generated type itself.
pub trait IntoWire<T> {
    /// Converts into the wire body, reporting a broken shape rule as [`Error::Validation`].
    fn into_wire(self) -> Result<T, Error>;
}

impl<T> IntoWire<T> for T {
    fn into_wire(self) -> Result<T, Error> {
        Ok(self)
    }
}

pub use crate::validate::MAX_INVITED_USERS;

/// A broken shape rule of the generated type for `field` (its own pattern or `minLength`).
fn shape(field: &'static str) -> impl Fn(types::error::ConversionError) -> Error {
    move |e| Error::validation(field, format!("is malformed: {e}"))
}

/// A webcam booking to create: the users to invite, when, for how long and how much.
///
/// ```
/// use adultwork::{Credits, NewWebcamBooking, SoftwareType};
/// use chrono::NaiveDate;
///
/// let at = NaiveDate::from_ymd_opt(2030, 2, 1).unwrap().and_hms_opt(12, 0, 0).unwrap();
/// let booking = NewWebcamBooking::new([123456, 123457], at, 10, Credits::from(10), SoftwareType::Skype, "me.on.skype")
///     .also_phone_chat(true)
///     .phone_number("0123456789");
/// # let _ = booking;
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct NewWebcamBooking {
    /// The users to invite (1 to [`MAX_INVITED_USERS`]); the first to accept gets the booking.
    pub users: Vec<i64>,
    /// When the session starts, in the API's local time (minutes precision).
    pub session_date: MinuteDateTime,
    /// Length in minutes.
    pub duration_minutes: u32,
    /// Credits offered.
    pub credits: Credits,
    /// The messenger software.
    pub software: SoftwareType,
    /// The client's sign-in name (an email address for MSN Messenger).
    pub sign_in_name_or_email: String,
    /// Also book a phone chat (needs [`phone_number`](Self::phone_number)).
    pub also_phone_chat: bool,
    /// The client's phone number.
    pub phone_number: Option<String>,
    /// Text the client when the performer accepts (needs a verified mobile number).
    pub send_sms_on_accept: bool,
}

impl NewWebcamBooking {
    /// A booking with every required field; optional ones default to off.
    pub fn new(
        users: impl IntoIterator<Item = i64>,
        session_date: impl Into<MinuteDateTime>,
        duration_minutes: u32,
        credits: impl Into<Credits>,
        software: SoftwareType,
        sign_in_name_or_email: impl Into<String>,
    ) -> Self {
        Self {
            users: users.into_iter().collect(),
            session_date: session_date.into(),
            duration_minutes,
            credits: credits.into(),
            software,
            sign_in_name_or_email: sign_in_name_or_email.into(),
            also_phone_chat: false,
            phone_number: None,
            send_sms_on_accept: false,
        }
    }

    /// Also create a phone-chat booking.
    pub fn also_phone_chat(mut self, yes: bool) -> Self {
        self.also_phone_chat = yes;
        self
    }

    /// The client's phone number (required with [`also_phone_chat`](Self::also_phone_chat)).
    pub fn phone_number(mut self, number: impl Into<String>) -> Self {
        self.phone_number = Some(number.into());
        self
    }

    /// Text the client when the performer accepts.
    pub fn send_sms_on_accept(mut self, yes: bool) -> Self {
        self.send_sms_on_accept = yes;
        self
    }
}

impl IntoWire<CreateWebcamBookingRequest> for NewWebcamBooking {
    fn into_wire(self) -> Result<CreateWebcamBookingRequest, Error> {
        validate::invited_users(&self.users)?;
        let ids = self
            .users
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let duration = validate::webcam_duration(self.duration_minutes)?;
        Ok(CreateWebcamBookingRequest {
            book_user_ids: ids.parse().map_err(shape("BookUserIDs"))?,
            also_phone_chat: self.also_phone_chat.then_some(true),
            phone_number: non_empty(self.phone_number, "PhoneNumber")?,
            session_date: self.session_date,
            duration,
            credits: self.credits,
            software_type_id: self.software,
            sign_in_name_or_email: self
                .sign_in_name_or_email
                .parse()
                .map_err(|_| Error::validation("SignInNameOrEmail", "is required"))?,
            send_sms_on_accept: self.send_sms_on_accept.then_some(true),
        })
    }
}

/// `None` for a missing value; an error for a present but empty one.
fn non_empty<T>(v: Option<String>, field: &'static str) -> Result<Option<T>, Error>
where
    T: std::str::FromStr<Err = types::error::ConversionError>,
{
    v.map(|s| s.parse().map_err(shape(field))).transpose()
}

/// A phone-chat booking to create.
///
/// ```
/// use adultwork::{Credits, NewPhoneChatBooking, PhoneChatMethod};
/// use chrono::NaiveDate;
///
/// let day = NaiveDate::from_ymd_opt(2030, 2, 21).unwrap();
/// let booking = NewPhoneChatBooking::new(
///     123456,
///     day.and_hms_opt(21, 30, 0).unwrap(),
///     day.and_hms_opt(18, 0, 0).unwrap(),
///     15,
///     PhoneChatMethod::CallMe,
///     Credits::from(32),
/// )
/// .phone_number("44123456789")
/// .comments("Hi!");
/// # let _ = booking;
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct NewPhoneChatBooking {
    /// The user to book.
    pub user: i64,
    /// When the session starts (API local time, minutes precision).
    pub session_date: MinuteDateTime,
    /// The deadline for the candidate to accept; before `session_date`.
    pub accept_by: MinuteDateTime,
    /// Length in minutes (at least [`PHONE_CHAT_MIN_DURATION`](validate::PHONE_CHAT_MIN_DURATION)).
    pub duration_minutes: i32,
    /// How the call is placed.
    pub method: PhoneChatMethod,
    /// Credits offered (at least the candidate's price per minute × duration).
    pub credits: Credits,
    /// The number to call: required for [`PhoneChatMethod::CallMe`], and then
    /// [`PHONE_CHAT_NUMBER_DIGITS`](validate::PHONE_CHAT_NUMBER_DIGITS) digits;
    /// not used by the other methods.
    pub phone_number: Option<String>,
    /// The client's Skype name, required for [`PhoneChatMethod::Skype`].
    pub skype_name: Option<String>,
    /// A note for the candidate.
    pub comments: Option<String>,
}

impl NewPhoneChatBooking {
    /// A booking with every required field.
    pub fn new(
        user: i64,
        session_date: impl Into<MinuteDateTime>,
        accept_by: impl Into<MinuteDateTime>,
        duration_minutes: i32,
        method: PhoneChatMethod,
        credits: impl Into<Credits>,
    ) -> Self {
        Self {
            user,
            session_date: session_date.into(),
            accept_by: accept_by.into(),
            duration_minutes,
            method,
            credits: credits.into(),
            phone_number: None,
            skype_name: None,
            comments: None,
        }
    }

    /// The number the candidate calls (method 1).
    pub fn phone_number(mut self, number: impl Into<String>) -> Self {
        self.phone_number = Some(number.into());
        self
    }

    /// The client's Skype name (method 3).
    pub fn skype_name(mut self, name: impl Into<String>) -> Self {
        self.skype_name = Some(name.into());
        self
    }

    /// A note for the candidate.
    pub fn comments(mut self, text: impl Into<String>) -> Self {
        self.comments = Some(text.into());
        self
    }
}

impl IntoWire<CreatePhoneChatBookingRequest> for NewPhoneChatBooking {
    fn into_wire(self) -> Result<CreatePhoneChatBookingRequest, Error> {
        let book_user_id = validate::id("BookUserID", self.user)?;
        // Its digits matter only when `Method` is 1: `validate::phone_chat_booking` checks them.
        let phone_number = non_empty(self.phone_number, "PhoneNumber")?;
        Ok(CreatePhoneChatBookingRequest {
            book_user_id,
            session_date: self.session_date,
            accept_by: self.accept_by,
            duration: self.duration_minutes,
            method: self.method,
            credits: self.credits,
            phone_number,
            skype_name: non_empty(self.skype_name, "SkypeName")?,
            comments: self.comments,
        })
    }
}
