//! Each range rule `adultwork::validate` states once, at its boundary, on both sides: the
//! SDK refuses the value before sending (the sandbox's state stays as it was), the sandbox
//! refuses the same wire body with a 400 naming the field (state unchanged, both formats),
//! and the value just inside the limit is accepted end to end through the SDK.

use adultwork::types::{
    CancelWebcamBookingRequest, CreatePhoneChatBookingRequest, CreateWebcamBookingRequest,
};
use adultwork::{Credits, Error, Format, NewWebcamBooking, SoftwareType};
use adultwork_sandbox::Sandbox;
use serde_json::{Value, json};

use crate::common::*;

const WEBCAM: &str = "/v1/Webcam/CreateBooking";
const PHONE_CHAT: &str = "/v1/PhoneChat/CreateBooking";
const CANCEL: &str = "/v1/Webcam/CancelMadeBooking";

/// The SDK's answer is the validation error `expected` and nothing reached the sandbox; the
/// sandbox answers `body` at `path` with 400 and `sandbox_says` (by default `expected`).
async fn refused_by_both<T: std::fmt::Debug>(
    sandbox: &Sandbox,
    sdk_answer: impl std::future::Future<Output = Result<T, Error>>,
    path: &str,
    body: &Value,
    expected: &str,
    sandbox_says: Option<&str>,
) {
    let before = sandbox.state().snapshot();
    match sdk_answer.await {
        Err(e @ Error::Validation(_)) => {
            assert!(e.is_before_sending());
            assert_eq!(e.to_string(), format!("invalid request: {expected}"));
        }
        other => panic!("the SDK should refuse with {expected:?}, got {other:?}"),
    }
    assert_eq!(sandbox.state().snapshot(), before, "the SDK sent {body}");
    assert_refused(sandbox, path, body, 400, sandbox_says.unwrap_or(expected)).await;
}

fn webcam_wire(body: &Value) -> CreateWebcamBookingRequest {
    serde_json::from_value(body.clone()).unwrap()
}

fn phone_chat_wire(body: &Value) -> CreatePhoneChatBookingRequest {
    serde_json::from_value(body.clone()).unwrap()
}

fn webcam_booking(users: Vec<i64>, minutes: u32) -> NewWebcamBooking {
    NewWebcamBooking::new(
        users,
        at("2018-02-01 12:00"),
        minutes,
        Credits::from(10),
        SoftwareType::Skype,
        "ClientUserOnSkype",
    )
}

#[tokio::test]
async fn book_user_ids_four_users_ok_five_refused_on_both_sides() {
    let sandbox = sandbox().await;
    let sdk = client(&sandbox, Format::Json);
    let four = vec![123456, 123457, 123458, 123459];
    assert_eq!(
        sdk.create_webcam_booking(webcam_booking(four, 10))
            .await
            .unwrap()
            .len(),
        4
    );
    let five = vec![123456, 123457, 123458, 123459, 123461];
    let body = with(
        webcam_sample(),
        json!({ "BookUserIDs": "123456,123457,123458,123459,123461" }),
    );
    // The sandbox reads the spec's pattern (`{0,3}` more after the first), which says the same.
    refused_by_both(
        &sandbox,
        sdk.create_webcam_booking(webcam_booking(five, 10)),
        WEBCAM,
        &body,
        "BookUserIDs must name 1 to 4 users (got 5)",
        Some("BookUserIDs"),
    )
    .await;
}

#[tokio::test]
async fn book_user_ids_zero_refused_identically_on_both_sides() {
    let sandbox = sandbox().await;
    let sdk = client(&sandbox, Format::Json);
    let body = with(webcam_sample(), json!({ "BookUserIDs": "123456,0" }));
    let expected = "BookUserIDs must hold positive user IDs (got 0)";
    refused_by_both(
        &sandbox,
        sdk.create_webcam_booking(webcam_booking(vec![123456, 0], 10)),
        WEBCAM,
        &body,
        expected,
        None,
    )
    .await;
    refused_by_both(
        &sandbox,
        sdk.create_webcam_booking(webcam_wire(&body)),
        WEBCAM,
        &body,
        expected,
        None,
    )
    .await;
}

#[tokio::test]
async fn webcam_duration_int32_max_ok_one_more_refused_identically_on_both_sides() {
    let sandbox = sandbox().await;
    let sdk = client(&sandbox, Format::Json);
    let longest = with(webcam_sample(), json!({ "Duration": 2147483647u32 }));
    let results = sdk
        .create_webcam_booking(webcam_wire(&longest))
        .await
        .unwrap();
    let id = results[0].booking_id.unwrap();
    assert_eq!(sdk.webcam_booking(id).await.unwrap().duration, i32::MAX);
    let over = with(webcam_sample(), json!({ "Duration": 2147483648u32 }));
    let expected = "Duration must be at most 2147483647 minutes (got 2147483648)";
    refused_by_both(
        &sandbox,
        sdk.create_webcam_booking(webcam_wire(&over)),
        WEBCAM,
        &over,
        expected,
        None,
    )
    .await;
    refused_by_both(
        &sandbox,
        sdk.create_webcam_booking(webcam_booking(vec![123456], 2147483648)),
        WEBCAM,
        &over,
        expected,
        None,
    )
    .await;
}

#[tokio::test]
async fn phone_chat_duration_five_ok_four_refused_identically_on_both_sides() {
    let sandbox = sandbox().await;
    let sdk = client(&sandbox, Format::Json);
    let five = with(phone_chat_sample(), json!({ "Duration": 5 }));
    let booking = sdk
        .create_phone_chat_booking(phone_chat_wire(&five))
        .await
        .unwrap();
    assert_eq!(booking.duration, 5);
    let four = with(phone_chat_sample(), json!({ "Duration": 4 }));
    refused_by_both(
        &sandbox,
        sdk.create_phone_chat_booking(phone_chat_wire(&four)),
        PHONE_CHAT,
        &four,
        "Duration must be at least 5 minutes (got 4)",
        None,
    )
    .await;
}

#[tokio::test]
async fn call_me_number_10_and_11_digits_ok_9_and_12_refused_identically_on_both_sides() {
    let sandbox = sandbox().await;
    let sdk = client(&sandbox, Format::Json);
    for ok in ["0123456789", "44123456789"] {
        let body = with(phone_chat_sample(), json!({ "PhoneNumber": ok }));
        let booking = sdk
            .create_phone_chat_booking(phone_chat_wire(&body))
            .await
            .unwrap();
        assert_eq!(booking.phone_number.as_deref(), Some(ok));
    }
    for bad in ["012345678", "012345678901"] {
        let body = with(phone_chat_sample(), json!({ "PhoneNumber": bad }));
        let expected =
            format!("PhoneNumber must be 10 or 11 digits when Method is 1 (call me) (got {bad:?})");
        refused_by_both(
            &sandbox,
            sdk.create_phone_chat_booking(phone_chat_wire(&body)),
            PHONE_CHAT,
            &body,
            &expected,
            None,
        )
        .await;
    }
}

#[tokio::test]
async fn blank_reason_refused_identically_on_both_sides() {
    let sandbox = sandbox().await;
    populate(&sandbox).await;
    let sdk = client(&sandbox, Format::Json);
    let body = json!({ "BookingID": 1, "Reason": " \t " });
    let expected = "Reason is required and must not be blank";
    refused_by_both(
        &sandbox,
        sdk.cancel_webcam_booking(1, " \t "),
        CANCEL,
        &body,
        expected,
        None,
    )
    .await;
    let wire: CancelWebcamBookingRequest = serde_json::from_value(body.clone()).unwrap();
    assert_eq!(
        adultwork::validate::cancel(&wire).unwrap_err().to_string(),
        expected
    );
    assert!(sdk.cancel_webcam_booking(1, "x").await.is_ok());
}

#[tokio::test]
async fn ids_above_int64_are_refused_by_the_sandbox_naming_the_field() {
    // The SDK takes IDs as i64, so it cannot send one; a raw body can.
    let sandbox = sandbox().await;
    let body = with(
        phone_chat_sample(),
        json!({ "BookUserID": 9223372036854775808u64 }),
    );
    assert_refused(
        &sandbox,
        PHONE_CHAT,
        &body,
        400,
        "BookUserID must be at most 9223372036854775807 (int64; got 9223372036854775808)",
    )
    .await;
}
