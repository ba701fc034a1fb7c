//! One module per command group: its arguments (clap) and what running it does. A new
//! group is a new file here, a variant of [`crate::cli::Command`] and an arm of
//! [`crate::run`] (or of [`crate::run_api`] for a group that calls the API and prints its
//! answer).

pub(crate) mod completions;
pub(crate) mod demo;
pub(crate) mod man;
pub(crate) mod phonechat;
pub(crate) mod sandbox;
pub(crate) mod wait;
pub(crate) mod webcam;

use adultwork::types::{PhoneChatBooking, WebcamBooking, WebcamBookingResult};

/// A successful answer of the API, printed as JSON with the API's field names.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(untagged)]
pub(crate) enum Response {
    /// One result per invited user (`webcam create`).
    WebcamResults(Vec<WebcamBookingResult>),
    /// A webcam booking (`webcam details|cancel|reschedule|wait`).
    Webcam(Box<WebcamBooking>),
    /// A phone-chat booking (`phonechat create`).
    PhoneChat(Box<PhoneChatBooking>),
}
