//! Checks that the client refuses a request before sending it: a validation error naming the
//! wire field and the rule.

use adultwork::types::{CreatePhoneChatBookingRequest, CreateWebcamBookingRequest};
use adultwork::validate::Violation;
use adultwork::{Client, Error, IntoWire};

use super::guard;

/// Asserts a validation error naming `field` whose rule mentions `rule`, reported before
/// sending and shown with both.
#[track_caller]
pub fn assert_rejected<T: std::fmt::Debug>(result: Result<T, Error>, field: &str, rule: &str) {
    match result {
        Err(e @ Error::Validation(_)) => {
            let Error::Validation(Violation {
                field: f, rule: r, ..
            }) = &e
            else {
                unreachable!()
            };
            assert_eq!(*f, field, "wrong field in {e}");
            assert!(r.contains(rule), "rule {r:?} should mention {rule:?}");
            assert!(e.is_before_sending());
            let shown = e.to_string();
            assert!(
                shown.contains(field) && shown.contains(r.as_str()),
                "{shown}"
            );
        }
        other => panic!("expected a validation error for {field}, got {other:?}"),
    }
}

/// Creates the webcam booking `booking` and asserts [`assert_rejected`] of the outcome.
pub async fn webcam_rejected(
    client: &Client,
    booking: impl IntoWire<CreateWebcamBookingRequest>,
    field: &str,
    rule: &str,
) {
    assert_rejected(
        guard(client.create_webcam_booking(booking)).await,
        field,
        rule,
    );
}

/// Creates the phone-chat booking `booking` and asserts [`assert_rejected`] of the outcome.
pub async fn phone_chat_rejected(
    client: &Client,
    booking: impl IntoWire<CreatePhoneChatBookingRequest>,
    field: &str,
    rule: &str,
) {
    assert_rejected(
        guard(client.create_phone_chat_booking(booking)).await,
        field,
        rule,
    );
}
