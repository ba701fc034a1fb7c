#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]
// Without the `client` feature the crate is the API's types, operation table, DataContract
// XML codec and rules (what the sandbox builds on), with no HTTP client.

#[cfg(feature = "client")]
mod client;
#[cfg(feature = "client")]
mod codec;
mod credits;
mod datetime;
mod enums;
#[cfg(feature = "client")]
mod error;
mod generated;
#[cfg(feature = "client")]
mod group;
mod operation;
#[cfg(feature = "client")]
mod requests;
#[cfg(feature = "client")]
mod secret;
#[cfg(feature = "client")]
mod transport;
mod untrusted;
pub mod validate;
#[cfg(feature = "client")]
mod wait;
pub mod xml;

#[cfg(feature = "client")]
pub use client::{
    BASE_URL_ENV, Client, ClientBuilder, Clock, DEFAULT_MAX_BODY, PRODUCTION_URL, SANDBOX_URL,
    TOKEN_ENV,
};
pub use credits::Credits;
pub use datetime::{MinuteDateTime, ParseTimestampError, Timestamp};
pub use enums::{
    BookingStatus, ParseEnumError, PhoneChatMethod, SoftwareType, WebcamBookingOutcome,
};
#[cfg(feature = "client")]
pub use error::{BoxError, Error, Format, MAX_KEPT_BODY};
/// The generated wire types, one per schema in `openapi.yaml`.
pub use generated::types;
#[cfg(feature = "client")]
pub use group::GroupMember;
pub use operation::{Endpoint, Operation, RequestField, UnknownOperation, endpoints};
#[cfg(feature = "client")]
pub use requests::{IntoWire, MAX_INVITED_USERS, NewPhoneChatBooking, NewWebcamBooking};
pub use rust_decimal::Decimal;
#[cfg(feature = "client")]
pub use secret::Token;
#[cfg(feature = "client")]
pub use transport::{RetryPolicy, http_client_builder};
pub use untrusted::MAX_SHOWN_MESSAGE;
#[cfg(feature = "client")]
pub use wait::{WaitError, WaitTarget, WebcamWait};

/// The generated progenitor client and its builders, nameable so tests can pin the generated
/// surface (a progenitor upgrade that renames an operation or a field fails to compile). Not a
/// stable API: use [`Client`], whose methods run these builders through the SDK's transport.
#[cfg(feature = "client")]
#[doc(hidden)]
pub mod raw {
    pub use crate::generated::{Client, builder};
    pub use crate::transport::{Call, read_and_decode};
}
