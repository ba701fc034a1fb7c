//! `POST /v1/Webcam/CreateBooking`: one test per documented rule and prerequisite, each in
//! both formats, each leaving the state unchanged.

use adultwork::Format;
use adultwork::types::WebcamBookingResult;
use adultwork_sandbox::LOW_BALANCE_TOKEN;
use serde_json::{Value, json};

use crate::common::*;

const PATH: &str = "/v1/Webcam/CreateBooking";

async fn refused(changes: Value, needle: &str) {
    let sandbox = sandbox().await;
    assert_refused(&sandbox, PATH, &with(webcam_sample(), changes), 400, needle).await;
}

#[tokio::test]
async fn session_date_must_be_in_the_future() {
    refused(
        json!({ "SessionDate": "2018-01-01 11:00" }),
        "SessionDate must be in the future",
    )
    .await;
    refused(
        json!({ "SessionDate": "2017-12-31 23:59" }),
        "SessionDate must be in the future",
    )
    .await;
}

#[tokio::test]
async fn session_date_at_most_three_months_ahead() {
    refused(
        json!({ "SessionDate": "2018-04-01 11:01" }),
        "SessionDate must be at most 3 months ahead",
    )
    .await;
    let sandbox = sandbox().await;
    let ids = create_webcam(
        &sandbox,
        &with(
            webcam_sample(),
            json!({ "SessionDate": "2018-04-01 11:00" }),
        ),
    )
    .await;
    assert_eq!(ids, [1, 2]);
}

#[tokio::test]
async fn session_date_uses_the_request_format() {
    refused(json!({ "SessionDate": "2018-02-01T12:00" }), "SessionDate").await;
}

#[tokio::test]
async fn also_phone_chat_requires_phone_number() {
    refused(
        json!({ "PhoneNumber": null }),
        "PhoneNumber is required when AlsoPhoneChat is true",
    )
    .await;
}

#[tokio::test]
async fn msn_messenger_requires_an_email_sign_in() {
    refused(
        json!({ "SoftwareTypeID": 1, "BookUserIDs": "123456" }),
        "SignInNameOrEmail must be an email address when SoftwareTypeID is 1",
    )
    .await;
    let sandbox = sandbox().await;
    let ok = with(
        webcam_sample(),
        json!({ "SoftwareTypeID": 1, "BookUserIDs": "123456", "SignInNameOrEmail": "me@example.com" }),
    );
    assert_eq!(create_webcam(&sandbox, &ok).await, [1]);
}

#[tokio::test]
async fn software_type_must_be_documented() {
    refused(
        json!({ "SoftwareTypeID": 4 }),
        "SoftwareTypeID must be 1 (MSN Messenger), 2 (Yahoo Messenger) or 3 (Skype)",
    )
    .await;
}

#[tokio::test]
async fn send_sms_on_accept_needs_a_verified_mobile() {
    let sandbox = sandbox().await;
    let body = with(
        webcam_sample(),
        json!({ "SendSMSOnAccept": true, "Credits": 5 }),
    );
    let before = sandbox.state().snapshot();
    for format in FORMATS {
        call(
            &sandbox,
            "POST",
            PATH,
            Some(LOW_BALANCE_TOKEN),
            format,
            Some(&body.to_string()),
        )
        .await
        .refused(
            400,
            "SendSMSOnAccept needs the authenticated user's mobile number to be verified",
        );
    }
    assert_eq!(sandbox.state().snapshot(), before);
    // ClientUser's mobile is verified.
    assert_eq!(create_webcam(&sandbox, &body).await, [1, 2]);
}

/// The docs require sufficient credits for phone chat only: a webcam booking offering more
/// than the client's balance is made, and so is its reschedule.
#[tokio::test]
async fn webcam_bookings_do_not_need_the_credit_balance() {
    let sandbox = sandbox().await;
    let body = with(webcam_sample(), json!({ "Credits": 5.5 }));
    for format in FORMATS {
        let a = call(
            &sandbox,
            "POST",
            PATH,
            Some(LOW_BALANCE_TOKEN),
            format,
            Some(&body.to_string()),
        )
        .await;
        assert_eq!(a.status, 200, "{format}: {}", a.body);
    }
    let a = call(
        &sandbox,
        "POST",
        "/v1/Webcam/RescheduleMadeBooking",
        Some(LOW_BALANCE_TOKEN),
        Format::Json,
        Some(r#"{"BookingID": 1}"#),
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert!(a.body.contains(r#""Credits":5.5"#), "{}", a.body);
}

#[tokio::test]
async fn credits_must_be_positive() {
    refused(json!({ "Credits": 0 }), "Credits must be more than 0").await;
    refused(json!({ "Credits": -3 }), "Credits must be more than 0").await;
}

#[tokio::test]
async fn invited_users_must_exist() {
    refused(
        json!({ "BookUserIDs": "123456,999999" }),
        "BookUserIDs must name existing users (no user 999999)",
    )
    .await;
}

#[tokio::test]
async fn invited_users_must_do_webcam_sessions() {
    refused(
        json!({ "BookUserIDs": "123456,123460" }),
        "BookUserIDs must name users set up for webcam sessions (PhoneOnlyPenny (123460) is not)",
    )
    .await;
}

#[tokio::test]
async fn invited_users_at_most_four() {
    refused(
        json!({ "BookUserIDs": "123456,123457,123458,123459,123460" }),
        "BookUserIDs",
    )
    .await;
    let sandbox = sandbox().await;
    let four = with(
        webcam_sample(),
        json!({ "BookUserIDs": "123456,123457,123458,123459" }),
    );
    assert_eq!(create_webcam(&sandbox, &four).await, [1, 2, 3]);
}

#[tokio::test]
async fn invited_users_not_twice_not_self_not_zero() {
    refused(
        json!({ "BookUserIDs": "123456,123456" }),
        "BookUserIDs must not name a user twice",
    )
    .await;
    refused(
        json!({ "BookUserIDs": "123456,100001" }),
        "BookUserIDs must not include the authenticated user",
    )
    .await;
    refused(
        json!({ "BookUserIDs": "0" }),
        "BookUserIDs must hold positive user IDs",
    )
    .await;
    refused(json!({ "BookUserIDs": "123456, 123457" }), "BookUserIDs").await;
    refused(json!({ "BookUserIDs": "" }), "BookUserIDs").await;
}

#[tokio::test]
async fn required_fields_are_required() {
    for field in [
        "BookUserIDs",
        "SessionDate",
        "Duration",
        "Credits",
        "SoftwareTypeID",
        "SignInNameOrEmail",
    ] {
        refused(json!({ field: null }), &format!("missing field `{field}`")).await;
    }
}

#[tokio::test]
async fn wrong_types_and_unknown_fields_are_refused() {
    refused(
        json!({ "Duration": "ten" }),
        "Duration must be a JSON integer (got a string).",
    )
    .await;
    refused(
        json!({ "Duration": 10.5 }),
        "Duration must be a JSON integer (got a fractional number).",
    )
    .await;
    refused(json!({ "Duration": 0 }), "Duration is invalid").await;
    refused(
        json!({ "AlsoPhoneChat": "yes" }),
        "AlsoPhoneChat must be a JSON boolean (got a string).",
    )
    .await;
    refused(
        json!({ "Credits": "10" }),
        "Credits must be a JSON number (got a string).",
    )
    .await;
    refused(
        json!({ "SoftwareTypeID": "3" }),
        "SoftwareTypeID must be a JSON integer (got a string).",
    )
    .await;
    refused(
        json!({ "BookUserIDs": 123456 }),
        "BookUserIDs must be a JSON string (got an integer).",
    )
    .await;
    refused(
        json!({ "SignInNameOrEmail": "" }),
        "SignInNameOrEmail is invalid",
    )
    .await;
    refused(json!({ "Colour": "red" }), "unknown field `Colour`").await;
}

/// No request property is nullable in the spec: an explicit `null` is refused, not read as
/// "absent".
#[tokio::test]
async fn null_is_not_a_value() {
    for field in [
        "AlsoPhoneChat",
        "PhoneNumber",
        "SendSMSOnAccept",
        "SessionDate",
    ] {
        let sandbox = sandbox().await;
        let mut body = webcam_sample();
        body[field] = Value::Null;
        assert_refused(
            &sandbox,
            PATH,
            &body,
            400,
            &format!("{field} must be a JSON "),
        )
        .await;
    }
}

#[tokio::test]
async fn malformed_and_empty_bodies_are_refused() {
    let sandbox = sandbox().await;
    let trailing = format!("{} x", webcam_sample());
    for format in FORMATS {
        for (body, needle) in [
            ("{\"BookUserIDs\": ", "The request body is not valid JSON"),
            (
                trailing.as_str(),
                "The request body is not valid JSON: trailing characters",
            ),
            (
                "[true, \"1\"]",
                "The request body is invalid: it must be a JSON object.",
            ),
            (
                "\"text\"",
                "The request body is invalid: it must be a JSON object.",
            ),
            ("", "The request body is required"),
            (
                "null",
                "The request body is invalid: it must be a JSON object.",
            ),
        ] {
            call(
                &sandbox,
                "POST",
                PATH,
                Some(adultwork_sandbox::CLIENT_TOKEN),
                format,
                Some(body),
            )
            .await
            .refused(400, needle);
        }
    }
    assert!(sandbox.state().snapshot().webcam.is_empty());
}

#[tokio::test]
async fn one_invitee_is_not_multiple_and_no_phone_chat_unless_asked() {
    let sandbox = sandbox().await;
    let body = with(
        webcam_sample(),
        json!({ "BookUserIDs": "123456", "AlsoPhoneChat": null, "PhoneNumber": null }),
    );
    let a = post(&sandbox, PATH, Format::Xml, &body).await;
    let results: Vec<WebcamBookingResult> = a.decode("create_webcam_booking");
    assert_eq!(results.len(), 1);
    assert!(!results[0].also_phone_chat);
    for format in FORMATS {
        let b = client(&sandbox, format).webcam_booking(1).await.unwrap();
        assert!(!b.is_multiple);
        assert!(!b.also_phone_chat);
    }
}

#[tokio::test]
async fn direct_chat_only_users_do_not_allow_phone_chat() {
    let sandbox = sandbox().await;
    let body = with(webcam_sample(), json!({ "BookUserIDs": "123459" }));
    for format in FORMATS {
        let a = post(&sandbox, PATH, format, &body).await;
        let results: Vec<WebcamBookingResult> = a.decode("create_webcam_booking");
        assert_eq!(
            results[0].status,
            adultwork::WebcamBookingOutcome::BookedWithoutPhoneChat
        );
        assert!(results[0].booking_id.is_some());
    }
}

#[tokio::test]
async fn an_invitee_on_other_software_does_not_count_towards_multiple() {
    let sandbox = sandbox().await;
    create_webcam(
        &sandbox,
        &with(webcam_sample(), json!({ "BookUserIDs": "123456,123458" })),
    )
    .await;
    assert!(
        !client(&sandbox, Format::Json)
            .webcam_booking(1)
            .await
            .unwrap()
            .is_multiple
    );
}
