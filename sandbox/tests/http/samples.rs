//! The docs' samples replayed against the sandbox give the docs' answers; with the clock at
//! the docs' `CreateDate`, the XML is byte for byte what the real .NET serializer wrote for
//! those samples (`tests/data/datacontract`).

use adultwork::types::{PhoneChatBooking, WebcamBooking, WebcamBookingResult};
use adultwork::{BookingStatus, Credits, PhoneChatMethod, Timestamp, WebcamBookingOutcome};
use adultwork_sandbox::MANAGER_TOKEN;
use chrono::TimeDelta;
use serde_json::json;

use crate::common::*;

/// Seed 000: the docs' create-webcam request and response.
#[tokio::test]
async fn create_webcam_sample_gives_the_docs_results() {
    let sandbox = sandbox().await;
    let docs: Vec<WebcamBookingResult> = serde_json::from_value(json!([
        { "UserID": 123456, "BookingID": 1, "AlsoPhoneChat": true, "Status": 0, "StatusDescription": "Success" },
        { "UserID": 123457, "BookingID": 2, "AlsoPhoneChat": false, "Status": 1,
          "StatusDescription": "The Webcam booking is made but the user does not allow phonechat." },
        { "UserID": 123458, "BookingID": null, "AlsoPhoneChat": false, "Status": 2,
          "StatusDescription": "The user is not using Skype for webcam sessions." }
    ]))
    .unwrap();
    let body = with(
        webcam_sample(),
        json!({ "SignInNameOrEmail": "BookingUserOnSkype" }),
    );

    let json_answer = post(
        &sandbox,
        "/v1/Webcam/CreateBooking",
        adultwork::Format::Json,
        &body,
    )
    .await;
    assert_eq!(json_answer.status, 200);
    assert!(json_answer.content_type.starts_with("application/json"));
    assert_eq!(
        json_answer.decode::<Vec<WebcamBookingResult>>("create_webcam_booking"),
        docs
    );

    sandbox.state().reset();
    let xml_answer = post(
        &sandbox,
        "/v1/Webcam/CreateBooking",
        adultwork::Format::Xml,
        &body,
    )
    .await;
    assert_eq!(xml_answer.status, 200);
    assert!(xml_answer.content_type.starts_with("application/xml"));
    assert_eq!(xml_answer.body, golden("create_results.compact.xml"));

    // And through the SDK, in both formats.
    for format in FORMATS {
        sandbox.state().reset();
        let results = client(&sandbox, format)
            .create_webcam_booking(
                serde_json::from_value::<adultwork::types::CreateWebcamBookingRequest>(
                    body.clone(),
                )
                .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(results, docs, "{format}");
        assert_eq!(results[2].status, WebcamBookingOutcome::SoftwareNotUsed);
    }
}

/// The status-2 description names the software that was asked for.
#[tokio::test]
async fn status_2_names_the_chosen_software() {
    let sandbox = sandbox().await;
    let body = with(
        webcam_sample(),
        json!({ "BookUserIDs": "123457", "SoftwareTypeID": 2, "AlsoPhoneChat": null }),
    );
    for format in FORMATS {
        let results = client(&sandbox, format)
            .create_webcam_booking(
                serde_json::from_value::<adultwork::types::CreateWebcamBookingRequest>(
                    body.clone(),
                )
                .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(results[0].status, WebcamBookingOutcome::SoftwareNotUsed);
        assert_eq!(results[0].booking_id, None);
        assert_eq!(
            results[0].status_description,
            "The user is not using Yahoo Messenger for webcam sessions."
        );
    }
    assert!(sandbox.state().snapshot().webcam.is_empty());
}

/// Seed 001: the details of booking 1 after the create sample are the docs' details sample.
#[tokio::test]
async fn made_booking_details_sample() {
    let sandbox = sandbox().await;
    create_webcam(&sandbox, &webcam_sample()).await;
    let docs: WebcamBooking = serde_json::from_value(json!({
        "WebcamBookingID": 1, "Duration": 10, "Credits": 10, "Status": "Pending", "IsMulitple": true,
        "SoftwareTypeID": 3, "SignInNameOrEmail": "ClientUserOnSkype", "AlsoPhoneChat": true,
        "CreateDate": "2018-01-01T11:00", "SessionDate": "2018-02-01T12:00", "AcceptBy": "2018-02-01T00:00",
        "AcceptedDate": null, "ConfirmedDate": null, "CancelledDate": null, "CancelledReason": null,
        "CancelledBy": null, "RejectedReason": null, "LastUpdated": null,
        "Performer": { "UserID": 123456, "Nickname": "JosepheneBlogs", "SignInNameOrEmail": null,
            "PhoneNumber": null, "Total": 6, "Positive": 7, "Neutral": 1, "Negative": 0, "Ratings": 8, "Disputes": 0 }
    }))
    .unwrap();
    for format in FORMATS {
        assert_eq!(
            client(&sandbox, format).webcam_booking(1).await.unwrap(),
            docs,
            "{format}"
        );
    }
    let xml = call(
        &sandbox,
        "GET",
        "/v1/Webcam/MadeBookingDetails?BookingID=1",
        Some(adultwork_sandbox::CLIENT_TOKEN),
        adultwork::Format::Xml,
        None,
    )
    .await;
    assert_eq!(xml.body, golden("webcam_booking_made.compact.xml"));
}

/// Seed 001, group manager: the manager sees the member's booking as the member does.
#[tokio::test]
async fn group_manager_details_sample() {
    let sandbox = sandbox().await;
    create_webcam(&sandbox, &webcam_sample()).await;
    for format in FORMATS {
        let own = client(&sandbox, format).webcam_booking(1).await.unwrap();
        let manager = sdk(&sandbox, MANAGER_TOKEN, format);
        assert_eq!(
            manager
                .as_group_member(100001)
                .webcam_booking(1)
                .await
                .unwrap(),
            own
        );
    }
}

/// Seed 003: accepted at 15:00, cancelled at 16:00 with the docs' reason.
#[tokio::test]
async fn cancel_sample() {
    let sandbox = sandbox().await;
    create_webcam(&sandbox, &webcam_sample()).await;
    accept_as_in_the_cancel_sample(&sandbox).await;
    let docs: WebcamBooking = serde_json::from_value(json!({
        "WebcamBookingID": 1, "Duration": 10, "Credits": 10, "Status": "Cancelled", "IsMulitple": true,
        "SoftwareTypeID": 3, "SignInNameOrEmail": "ClientUserOnSkype", "AlsoPhoneChat": true,
        "CreateDate": "2018-01-01T11:00", "SessionDate": "2018-02-01T12:00", "AcceptBy": "2018-02-01T00:00",
        "AcceptedDate": "2018-01-01T15:00", "ConfirmedDate": null, "CancelledDate": "2018-01-01T16:00",
        "CancelledReason": "I can't make it.", "CancelledBy": "ClientUser", "RejectedReason": null,
        "LastUpdated": "2018-01-01T16:00",
        "Performer": { "UserID": 123456, "Nickname": "JosepheneBlogs", "SignInNameOrEmail": null,
            "PhoneNumber": null, "Total": 6, "Positive": 7, "Neutral": 1, "Negative": 0, "Ratings": 8, "Disputes": 0 }
    }))
    .unwrap();
    let before = sandbox.state().snapshot();
    let xml = post(
        &sandbox,
        "/v1/Webcam/CancelMadeBooking",
        adultwork::Format::Xml,
        &json!({ "BookingID": 1, "Reason": "I can't make it." }),
    )
    .await;
    assert_eq!(xml.status, 200, "{}", xml.body);
    // The docs' performer has no contact details: it shows them only while Accepted/Confirmed.
    let mut cancelled: WebcamBooking = xml.decode("cancel_made_webcam_booking");
    assert_eq!(cancelled, docs);
    assert_eq!(
        xml.body,
        golden("webcam_booking_received_client.compact.xml")
    );
    assert_ne!(sandbox.state().snapshot(), before);

    // The same through the SDK in JSON, on a fresh run.
    sandbox.state().reset();
    sandbox.clock().set(crate::common::t0());
    create_webcam(&sandbox, &webcam_sample()).await;
    accept_as_in_the_cancel_sample(&sandbox).await;
    cancelled = client(&sandbox, adultwork::Format::Json)
        .cancel_webcam_booking(1, "I can't make it.")
        .await
        .unwrap();
    assert_eq!(cancelled, docs);
}

/// Seed 002: the docs' phone-chat request (with a valid phone number) is accepted; the
/// answer has the docs' shape and values.
#[tokio::test]
async fn create_phone_chat_sample() {
    let sandbox = sandbox().await;
    for format in FORMATS {
        let booking: PhoneChatBooking = client(&sandbox, format)
            .create_phone_chat_booking(
                serde_json::from_value::<adultwork::types::CreatePhoneChatBookingRequest>(
                    phone_chat_sample(),
                )
                .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(booking.status, BookingStatus::Pending);
        assert_eq!(booking.duration, 15);
        assert_eq!(booking.credits, Credits::from(32));
        assert_eq!(booking.method, PhoneChatMethod::CallMe);
        assert_eq!(booking.phone_number.as_deref(), Some("44123456789"));
        assert_eq!(booking.skype_name, None);
        assert_eq!(booking.create_date, Timestamp::from_naive(t0()));
        assert_eq!(
            booking.session_date,
            Timestamp::from_naive(at("2018-02-21 21:30"))
        );
        assert_eq!(
            booking.accept_by,
            Timestamp::from_naive(at("2018-02-21 18:00"))
        );
        assert_eq!(
            (
                booking.accepted_date,
                booking.confirmed_date,
                booking.cancelled_date,
                booking.last_updated
            ),
            (None, None, None, None)
        );
        assert_eq!(
            booking.comments.as_deref(),
            Some("Hi, I had a great time last weekend, I want to do it again tonight!")
        );
        assert_eq!(
            booking.action_client.as_deref(),
            Some("JosepheneBlogs needs to accept or reject")
        );
        let c = &booking.candidate;
        assert_eq!(
            (
                c.user_id,
                c.nickname.as_str(),
                c.phone_number.as_deref(),
                c.skype_name.as_deref()
            ),
            (123456, "JosepheneBlogs", None, None)
        );
        assert_eq!(
            (
                c.total, c.positive, c.neutral, c.negative, c.ratings, c.disputes
            ),
            (6, 7, 1, 0, 8, 0)
        );
    }
    let xml = post(
        &sandbox,
        "/v1/PhoneChat/CreateBooking",
        adultwork::Format::Xml,
        &phone_chat_sample(),
    )
    .await;
    assert!(xml.body.starts_with(r#"<MadeBooking xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.datacontract.org/2004/07/API.Models.PhoneChat.Bookings.Made"><AcceptBy>2018-02-21T18:00:00</AcceptBy>"#), "{}", xml.body);
    assert!(xml.body.contains(r#"<Candidate xmlns:d2p1="http://schemas.datacontract.org/2004/07/API.Models.PhoneChat.Bookings">"#));
    assert!(
        xml.body
            .contains("<d2p1:Nickname>JosepheneBlogs</d2p1:Nickname>")
    );
    assert!(xml.body.contains("<Credits>32.0000</Credits>"));
}

/// Seed 004: reschedule makes a new booking with the old one's settings, five minutes ahead.
#[tokio::test]
async fn reschedule_makes_a_new_booking_five_minutes_from_now() {
    let sandbox = sandbox().await;
    create_webcam(&sandbox, &webcam_sample()).await;
    control(
        &sandbox,
        "/_sandbox/webcam/1/reject",
        Some(json!({ "Reason": "Busy" })),
    )
    .await;
    sandbox.clock().advance(TimeDelta::minutes(30));
    let now = sandbox.clock().now();
    for format in FORMATS {
        let old = client(&sandbox, format).webcam_booking(1).await.unwrap();
        let new = client(&sandbox, format)
            .reschedule_webcam_booking(1)
            .await
            .unwrap();
        assert!(new.webcam_booking_id > 2);
        assert_eq!(new.status, BookingStatus::Pending);
        assert_eq!(new.create_date, Timestamp::from_naive(now));
        assert_eq!(
            new.session_date,
            Timestamp::from_naive(now + TimeDelta::minutes(5))
        );
        assert_eq!(new.accept_by, new.session_date);
        assert!(!new.is_multiple);
        assert_eq!(
            (
                new.duration,
                new.credits,
                new.software_type_id,
                &new.sign_in_name_or_email,
                new.also_phone_chat,
                new.performer.user_id
            ),
            (
                old.duration,
                old.credits,
                old.software_type_id,
                &old.sign_in_name_or_email,
                old.also_phone_chat,
                old.performer.user_id
            )
        );
        assert_eq!(
            client(&sandbox, format)
                .webcam_booking(new.webcam_booking_id)
                .await
                .unwrap(),
            new
        );
        assert_eq!(
            client(&sandbox, format).webcam_booking(1).await.unwrap(),
            old,
            "the old booking is unchanged"
        );
    }
}
