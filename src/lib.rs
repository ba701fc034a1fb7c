#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod client;
mod codec;
mod credits;
mod datetime;
mod enums;
mod error;
mod generated;
mod group;
mod operation;
mod requests;
mod secret;
mod transport;
mod untrusted;
pub mod validate;
mod wait;
pub mod xml;

pub use client::{
    BASE_URL_ENV, Client, ClientBuilder, Clock, DEFAULT_MAX_BODY, PRODUCTION_URL, SANDBOX_URL,
    TOKEN_ENV,
};
pub use credits::Credits;
pub use datetime::{MinuteDateTime, ParseTimestampError, Timestamp};
pub use enums::{
    BookingStatus, ParseEnumError, PhoneChatMethod, SoftwareType, WebcamBookingOutcome,
};
pub use error::{BoxError, Error, Format, MAX_KEPT_BODY};
/// The generated wire types, one per schema in `openapi.yaml`.
pub use generated::types;
pub use group::GroupMember;
pub use operation::{Endpoint, Operation, RequestField, UnknownOperation, endpoints};
pub use requests::{IntoWire, MAX_INVITED_USERS, NewPhoneChatBooking, NewWebcamBooking};
pub use rust_decimal::Decimal;
pub use secret::Token;
pub use transport::{RetryPolicy, http_client_builder};
pub use untrusted::MAX_SHOWN_MESSAGE;
pub use wait::{WaitError, WaitTarget, WebcamWait};

/// The generated progenitor client and its builders, nameable so tests can pin the generated
/// surface (a progenitor upgrade that renames an operation or a field fails to compile). Not a
/// stable API: use [`Client`], whose methods run these builders through the SDK's transport.
#[doc(hidden)]
pub mod raw {
    pub use crate::generated::{Client, builder};
    pub use crate::transport::Call;
}
