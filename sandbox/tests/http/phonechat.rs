//! `POST /v1/PhoneChat/CreateBooking`: every documented rule and prerequisite, both formats;
//! the phone-chat state machine through the control endpoints.

use adultwork::types::PhoneChatBooking;
use adultwork::{BookingStatus, Format, Timestamp};
use adultwork_sandbox::LOW_BALANCE_TOKEN;
use serde_json::{Value, json};

use crate::common::*;

const PATH: &str = "/v1/PhoneChat/CreateBooking";

async fn refused(changes: Value, needle: &str) {
    let sandbox = sandbox().await;
    assert_refused(
        &sandbox,
        PATH,
        &with(phone_chat_sample(), changes),
        400,
        needle,
    )
    .await;
}

async fn created(sandbox: &adultwork_sandbox::Sandbox, changes: Value) -> PhoneChatBooking {
    let a = post(
        sandbox,
        PATH,
        Format::Json,
        &with(phone_chat_sample(), changes),
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.body);
    a.decode("create_phone_chat_booking")
}

#[tokio::test]
async fn duration_at_least_five_minutes() {
    refused(
        json!({ "Duration": 4 }),
        "Duration must be at least 5 minutes (got 4)",
    )
    .await;
}

#[tokio::test]
async fn phone_number_required_for_method_1() {
    refused(
        json!({ "PhoneNumber": null }),
        "PhoneNumber is required when Method is 1",
    )
    .await;
}

#[tokio::test]
async fn phone_number_has_10_or_11_digits_when_method_is_1() {
    for bad in ["44...", "012345678", "012345678901"] {
        refused(
            json!({ "PhoneNumber": bad }),
            "PhoneNumber must be 10 or 11 digits when Method is 1",
        )
        .await;
    }
}

/// The docs: PhoneNumber "is required if Method equals 1, otherwise this is not used": with
/// another method any value is accepted, and the booking keeps none.
#[tokio::test]
async fn phone_number_is_not_checked_for_other_methods() {
    let sandbox = sandbox().await;
    for (method, extra) in [(2, json!({})), (3, json!({ "SkypeName": "me.on.skype" }))] {
        let mut changes = json!({ "Method": method, "PhoneNumber": "44..." });
        changes
            .as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        let a = post(
            &sandbox,
            PATH,
            adultwork::Format::Json,
            &with(phone_chat_sample(), changes),
        )
        .await;
        assert_eq!(a.status, 200, "Method {method}: {}", a.body);
        let booking: serde_json::Value = serde_json::from_str(&a.body).unwrap();
        assert_eq!(booking["PhoneNumber"], serde_json::Value::Null);
    }
}

#[tokio::test]
async fn skype_name_required_for_method_3() {
    refused(
        json!({ "Method": 3 }),
        "SkypeName is required when Method is 3",
    )
    .await;
}

#[tokio::test]
async fn method_must_be_documented() {
    refused(
        json!({ "Method": 4 }),
        "Method must be 1 (call me), 2 (I call) or 3 (Skype) (got 4)",
    )
    .await;
}

#[tokio::test]
async fn session_date_in_the_future() {
    refused(
        json!({ "SessionDate": "2018-01-01 10:00", "AcceptBy": "2018-01-01 09:00" }),
        "SessionDate must be in the future",
    )
    .await;
}

#[tokio::test]
async fn accept_by_in_the_future_and_before_the_session() {
    refused(
        json!({ "AcceptBy": "2018-01-01 10:59" }),
        "AcceptBy must be in the future",
    )
    .await;
    refused(
        json!({ "AcceptBy": "2018-02-21 21:30" }),
        "AcceptBy must be before SessionDate",
    )
    .await;
    refused(
        json!({ "AcceptBy": "2018-02-22 00:00" }),
        "AcceptBy must be before SessionDate",
    )
    .await;
}

#[tokio::test]
async fn candidate_must_exist_and_not_be_the_client() {
    refused(
        json!({ "BookUserID": 999999 }),
        "BookUserID must name an existing user (no user 999999)",
    )
    .await;
    refused(
        json!({ "BookUserID": 100001 }),
        "BookUserID must not be the authenticated user",
    )
    .await;
    refused(json!({ "BookUserID": 0 }), "BookUserID is invalid").await;
}

#[tokio::test]
async fn candidate_must_provide_phone_chat() {
    refused(
        json!({ "BookUserID": 123457 }),
        "BookUserID must be a user who provides PhoneChat (SkypeOnlySophie (123457) does not)",
    )
    .await;
}

#[tokio::test]
async fn candidate_must_not_be_direct_chat_only() {
    refused(json!({ "BookUserID": 123459 }), "BookUserID must not have the DirectChat Only option enabled (DirectChatDaisy (123459) has)").await;
}

#[tokio::test]
async fn method_must_be_one_the_candidate_accepts() {
    refused(
        json!({ "BookUserID": 123460, "Credits": 100 }),
        "Method must be a method PhoneOnlyPenny accepts (got 1 (call-me); accepted: 2 (i-call))",
    )
    .await;
}

#[tokio::test]
async fn credits_cover_price_per_minute_times_duration() {
    refused(
        json!({ "Credits": 29.99 }),
        "Credits must be at least PricePerMinute × Duration = 2 × 15 = 30 (got 29.99)",
    )
    .await;
    let sandbox = sandbox().await;
    assert_eq!(
        created(&sandbox, json!({ "Credits": 30 })).await.credits,
        adultwork::Credits::from(30)
    );
}

#[tokio::test]
async fn client_must_have_enough_credits() {
    let sandbox = sandbox().await;
    let body = with(
        phone_chat_sample(),
        json!({ "BookUserID": 123458, "Method": 2, "Duration": 5, "Credits": 10 }),
    );
    for format in FORMATS {
        call(&sandbox, "POST", PATH, Some(LOW_BALANCE_TOKEN), format, Some(&body.to_string()))
            .await
            .refused(400, "Credits must not exceed the authenticated user's credit balance (offered 10, balance 5)");
    }
    assert!(sandbox.state().snapshot().phone_chat.is_empty());
    let cheap = with(body, json!({ "Credits": 5 }));
    let a = call(
        &sandbox,
        "POST",
        PATH,
        Some(LOW_BALANCE_TOKEN),
        Format::Xml,
        Some(&cheap.to_string()),
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.body);
}

#[tokio::test]
async fn required_fields_and_types() {
    for field in [
        "BookUserID",
        "SessionDate",
        "Duration",
        "Method",
        "Credits",
        "AcceptBy",
    ] {
        refused(json!({ field: null }), &format!("missing field `{field}`")).await;
    }
    refused(
        json!({ "Duration": 15.5 }),
        "Duration must be a JSON integer (got a fractional number).",
    )
    .await;
    refused(
        json!({ "Comments": 5 }),
        "Comments must be a JSON string (got an integer).",
    )
    .await;
    let sandbox = sandbox().await;
    let mut body = phone_chat_sample();
    body["Comments"] = Value::Null;
    assert_refused(
        &sandbox,
        PATH,
        &body,
        400,
        "Comments must be a JSON string (got null).",
    )
    .await;
    refused(json!({ "AcceptBy": "tomorrow" }), "AcceptBy is invalid").await;
    refused(json!({ "Skype": "x" }), "unknown field `Skype`").await;
}

#[tokio::test]
async fn unused_contact_fields_are_null() {
    let sandbox = sandbox().await;
    let i_call = created(&sandbox, json!({ "Method": 2, "SkypeName": "me" })).await;
    assert_eq!((i_call.phone_number, i_call.skype_name), (None, None));
    let skype = created(&sandbox, json!({ "Method": 3, "SkypeName": "me.on.skype" })).await;
    assert_eq!(
        (skype.phone_number, skype.skype_name.as_deref()),
        (None, Some("me.on.skype"))
    );
    assert_eq!((skype.booking_id, i_call.booking_id), (2, 1));
}

#[tokio::test]
async fn accept_then_confirm_stamps_dates_and_shows_contact_details() {
    let sandbox = sandbox().await;
    for format in FORMATS {
        sandbox.state().reset();
        sandbox.clock().set(t0());
        created(&sandbox, json!({ "Method": 2 })).await;
        sandbox.clock().set(at("2018-01-02 09:00"));
        let a = call(
            &sandbox,
            "POST",
            "/_sandbox/phonechat/1/accept",
            None,
            format,
            None,
        )
        .await;
        assert_eq!(a.status, 200, "{}", a.body);
        let accepted: PhoneChatBooking = a.decode("create_phone_chat_booking");
        assert_eq!(accepted.status, BookingStatus::Accepted);
        assert_eq!(
            accepted.accepted_date,
            Some(Timestamp::from_naive(at("2018-01-02 09:00")))
        );
        assert_eq!(accepted.last_updated, accepted.accepted_date);
        assert_eq!(
            accepted.action_client.as_deref(),
            Some("JosepheneBlogs needs to confirm")
        );
        assert_eq!(
            accepted.candidate.phone_number.as_deref(),
            Some("09098790123")
        );
        assert_eq!(accepted.candidate.skype_name, None);

        sandbox.clock().set(at("2018-01-03 10:00"));
        let c = call(
            &sandbox,
            "POST",
            "/_sandbox/phonechat/1/confirm",
            None,
            format,
            None,
        )
        .await;
        let confirmed: PhoneChatBooking = c.decode("create_phone_chat_booking");
        assert_eq!(confirmed.status, BookingStatus::Confirmed);
        assert_eq!(
            confirmed.confirmed_date,
            Some(Timestamp::from_naive(at("2018-01-03 10:00")))
        );
        assert_eq!(confirmed.last_updated, confirmed.confirmed_date);
        assert_eq!(confirmed.accepted_date, accepted.accepted_date);
        assert_eq!(confirmed.action_client, None);

        call(
            &sandbox,
            "POST",
            "/_sandbox/phonechat/1/accept",
            None,
            format,
            None,
        )
        .await
        .refused(
            409,
            "PhoneChat booking 1 is Confirmed; only Pending bookings can be accepted.",
        );
    }
}

#[tokio::test]
async fn reject_with_a_reason() {
    let sandbox = sandbox().await;
    created(&sandbox, json!({})).await;
    let a = control(
        &sandbox,
        "/_sandbox/phonechat/1/reject",
        Some(json!({ "Reason": "Fully booked" })),
    )
    .await;
    let rejected: PhoneChatBooking = a.decode("create_phone_chat_booking");
    assert_eq!(rejected.status, BookingStatus::Rejected);
    assert_eq!(rejected.rejected_reason.as_deref(), Some("Fully booked"));
    assert_eq!(rejected.last_updated, Some(Timestamp::from_naive(t0())));
    assert_eq!(rejected.action_client, None);
    control(&sandbox, "/_sandbox/phonechat/1/confirm", None)
        .await
        .refused(409, "only Accepted bookings can be confirmed");
}

#[tokio::test]
async fn not_accepted_by_accept_by_becomes_rejected() {
    let sandbox = sandbox().await;
    created(
        &sandbox,
        json!({ "AcceptBy": "2018-01-01 12:00", "SessionDate": "2018-01-01 13:00" }),
    )
    .await;
    sandbox.clock().set(at("2018-01-01 11:59"));
    let view = call(
        &sandbox,
        "GET",
        "/_sandbox/phonechat/1",
        None,
        Format::Xml,
        None,
    )
    .await;
    assert_eq!(
        view.decode::<PhoneChatBooking>("create_phone_chat_booking")
            .status,
        BookingStatus::Pending
    );
    sandbox.clock().set(at("2018-01-01 12:30"));
    for format in FORMATS {
        let view = call(&sandbox, "GET", "/_sandbox/phonechat/1", None, format, None).await;
        let b: PhoneChatBooking = view.decode("create_phone_chat_booking");
        assert_eq!(b.status, BookingStatus::Rejected);
        assert_eq!(
            b.rejected_reason.as_deref(),
            Some("The booking was not accepted by 2018-01-01 12:00.")
        );
        assert_eq!(
            b.last_updated,
            Some(Timestamp::from_naive(at("2018-01-01 12:00")))
        );
        call(
            &sandbox,
            "POST",
            "/_sandbox/phonechat/1/accept",
            None,
            format,
            None,
        )
        .await
        .refused(
            409,
            "is Rejected (The booking was not accepted by 2018-01-01 12:00.)",
        );
    }
}
