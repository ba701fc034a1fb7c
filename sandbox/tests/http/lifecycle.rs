//! The webcam booking state machine: the other party's answers (control endpoints), cancel and
//! reschedule with their prerequisites, `AcceptBy` expiry, the clock and reset.

use adultwork::types::WebcamBooking;
use adultwork::{BookingStatus, Format, Timestamp};
use adultwork_sandbox::{CLIENT_TOKEN, MANAGER_TOKEN};
use serde_json::json;

use crate::common::*;

const CANCEL: &str = "/v1/Webcam/CancelMadeBooking";
const RESCHEDULE: &str = "/v1/Webcam/RescheduleMadeBooking";

async fn view(sandbox: &adultwork_sandbox::Sandbox, id: i64) -> WebcamBooking {
    let a = call(
        sandbox,
        "GET",
        &format!("/_sandbox/webcam/{id}"),
        None,
        Format::Json,
        None,
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.body);
    a.decode("get_made_webcam_booking_details")
}

#[tokio::test]
async fn first_invitee_to_accept_wins_and_the_others_are_cancelled() {
    let sandbox = sandbox().await;
    let ids = create_webcam(
        &sandbox,
        &with(
            webcam_sample(),
            json!({ "BookUserIDs": "123456,123457,123459" }),
        ),
    )
    .await;
    assert_eq!(ids, [1, 2, 3]);
    control(
        &sandbox,
        "/_sandbox/webcam/3/reject",
        Some(json!({ "Reason": "Away" })),
    )
    .await;
    sandbox.clock().set(at("2018-01-01 12:00"));
    for format in FORMATS {
        let a = call(
            &sandbox,
            "POST",
            "/_sandbox/webcam/2/accept",
            None,
            format,
            None,
        )
        .await;
        if format == Format::Json {
            assert_eq!(a.status, 200, "{}", a.body);
            let won: WebcamBooking = a.decode("get_made_webcam_booking_details");
            assert_eq!(won.status, BookingStatus::Accepted);
            assert_eq!(
                won.accepted_date,
                Some(Timestamp::from_naive(at("2018-01-01 12:00")))
            );
            assert_eq!(won.last_updated, won.accepted_date);
            assert_eq!(
                won.performer.sign_in_name_or_email.as_deref(),
                Some("sophie.cams")
            );
        } else {
            a.refused(
                409,
                "Webcam booking 2 is Accepted; only Pending bookings can be accepted.",
            );
        }
    }
    let lost = client(&sandbox, Format::Xml)
        .webcam_booking(1)
        .await
        .unwrap();
    assert_eq!(lost.status, BookingStatus::Cancelled);
    assert_eq!(
        lost.cancelled_date,
        Some(Timestamp::from_naive(at("2018-01-01 12:00")))
    );
    assert_eq!(lost.last_updated, lost.cancelled_date);
    assert_eq!(lost.cancelled_by, None);
    assert_eq!(
        lost.cancelled_reason.as_deref(),
        Some("Another invited user (SkypeOnlySophie) accepted the booking first.")
    );
    control(&sandbox, "/_sandbox/webcam/1/accept", None)
        .await
        .refused(409, "Webcam booking 1 is Cancelled (Another invited user (SkypeOnlySophie) accepted the booking first.)");
    // A booking its performer had already rejected stays Rejected.
    let rejected = view(&sandbox, 3).await;
    assert_eq!(
        (rejected.status, rejected.rejected_reason.as_deref()),
        (BookingStatus::Rejected, Some("Away"))
    );
}

#[tokio::test]
async fn reject_with_or_without_a_reason() {
    let sandbox = sandbox().await;
    create_webcam(&sandbox, &webcam_sample()).await;
    let a = control(&sandbox, "/_sandbox/webcam/1/reject", None).await;
    let b: WebcamBooking = a.decode("get_made_webcam_booking_details");
    assert_eq!(
        (b.status, b.rejected_reason, b.last_updated),
        (
            BookingStatus::Rejected,
            None,
            Some(Timestamp::from_naive(t0()))
        )
    );
    let a = control(
        &sandbox,
        "/_sandbox/webcam/2/reject",
        Some(json!({ "Reason": "Not tonight" })),
    )
    .await;
    assert_eq!(
        a.decode::<WebcamBooking>("get_made_webcam_booking_details")
            .rejected_reason
            .as_deref(),
        Some("Not tonight")
    );
    // Rejecting one invitee leaves the other Pending.
    control(&sandbox, "/_sandbox/webcam/1/reject", None)
        .await
        .refused(409, "is Rejected");
    control(
        &sandbox,
        "/_sandbox/webcam/2/reject",
        Some(json!({ "Reason": 7 })),
    )
    .await
    .refused(400, "Reason is invalid");
}

#[tokio::test]
async fn confirm_only_after_accept() {
    let sandbox = sandbox().await;
    create_webcam(&sandbox, &webcam_sample()).await;
    control(&sandbox, "/_sandbox/webcam/1/confirm", None)
        .await
        .refused(
            409,
            "Webcam booking 1 is Pending; only Accepted bookings can be confirmed.",
        );
    control(&sandbox, "/_sandbox/webcam/1/accept", None).await;
    sandbox.clock().set(at("2018-01-01 13:00"));
    let a = control(&sandbox, "/_sandbox/webcam/1/confirm", None).await;
    let b: WebcamBooking = a.decode("get_made_webcam_booking_details");
    assert_eq!(b.status, BookingStatus::Confirmed);
    assert_eq!(
        b.confirmed_date,
        Some(Timestamp::from_naive(at("2018-01-01 13:00")))
    );
    assert_eq!(b.accepted_date, Some(Timestamp::from_naive(t0())));
    assert_eq!(b.last_updated, b.confirmed_date);
    assert_eq!(
        b.performer.phone_number.as_deref(),
        Some("09098790123"),
        "AlsoPhoneChat shows the number"
    );
}

#[tokio::test]
async fn control_endpoints_refuse_unknown_bookings_and_actions() {
    let sandbox = sandbox().await;
    control(&sandbox, "/_sandbox/webcam/1/accept", None)
        .await
        .refused(404, "Webcam booking 1 was not found.");
    control(&sandbox, "/_sandbox/phonechat/9/reject", None)
        .await
        .refused(404, "PhoneChat booking 9 was not found.");
    create_webcam(&sandbox, &webcam_sample()).await;
    control(&sandbox, "/_sandbox/webcam/1/cancel", None)
        .await
        .refused(404, "Unknown action \"cancel\"");
    control(&sandbox, "/_sandbox/webcam/x/accept", None)
        .await
        .refused(400, "BookingID must be a positive integer");
    control(&sandbox, "/_sandbox/webcam/0/accept", None)
        .await
        .refused(400, "BookingID must be a positive integer");
    assert_eq!(view(&sandbox, 1).await.status, BookingStatus::Pending);
}

#[tokio::test]
async fn cancel_pending_accepted_and_future_confirmed_bookings() {
    let sandbox = sandbox().await;
    create_webcam(
        &sandbox,
        &with(webcam_sample(), json!({ "BookUserIDs": "123456" })),
    )
    .await;
    create_webcam(
        &sandbox,
        &with(webcam_sample(), json!({ "BookUserIDs": "123456" })),
    )
    .await;
    create_webcam(
        &sandbox,
        &with(webcam_sample(), json!({ "BookUserIDs": "123456" })),
    )
    .await;
    control(&sandbox, "/_sandbox/webcam/2/accept", None).await;
    control(&sandbox, "/_sandbox/webcam/3/accept", None).await;
    control(&sandbox, "/_sandbox/webcam/3/confirm", None).await;
    sandbox.clock().set(at("2018-01-20 10:00"));
    for (id, format) in [(1, Format::Json), (2, Format::Xml), (3, Format::Json)] {
        let b = client(&sandbox, format)
            .cancel_webcam_booking(id, "  Changed my mind ")
            .await
            .unwrap();
        assert_eq!(b.status, BookingStatus::Cancelled);
        assert_eq!(
            b.cancelled_date,
            Some(Timestamp::from_naive(at("2018-01-20 10:00")))
        );
        assert_eq!(b.last_updated, b.cancelled_date);
        assert_eq!(b.cancelled_by.as_deref(), Some("ClientUser"));
        assert_eq!(b.cancelled_reason.as_deref(), Some("Changed my mind"));
    }
}

#[tokio::test]
async fn cancel_refuses_cancelled_and_rejected_bookings() {
    let sandbox = sandbox().await;
    create_webcam(&sandbox, &webcam_sample()).await;
    control(&sandbox, "/_sandbox/webcam/2/reject", None).await;
    client(&sandbox, Format::Json)
        .cancel_webcam_booking(1, "No")
        .await
        .unwrap();
    for (id, status) in [(1, "Cancelled"), (2, "Rejected")] {
        let body = json!({ "BookingID": id, "Reason": "Again" });
        assert_refused(
            &sandbox,
            CANCEL,
            &body,
            400,
            &format!(
                "Status must not be Cancelled or Rejected to cancel (the booking is {status})"
            ),
        )
        .await;
    }
}

#[tokio::test]
async fn cancel_refuses_confirmed_bookings_whose_session_has_passed() {
    let sandbox = sandbox().await;
    create_webcam(&sandbox, &webcam_sample()).await;
    control(&sandbox, "/_sandbox/webcam/1/accept", None).await;
    control(&sandbox, "/_sandbox/webcam/1/confirm", None).await;
    sandbox.clock().set(at("2018-02-01 12:00"));
    assert_refused(
        &sandbox,
        CANCEL,
        &json!({ "BookingID": 1, "Reason": "Too late" }),
        400,
        "SessionDate must not be in the past when the Status is Confirmed (session 2018-02-01 12:00, now 2018-02-01 12:00)",
    )
    .await;
}

#[tokio::test]
async fn cancel_requires_a_reason() {
    let sandbox = sandbox().await;
    create_webcam(&sandbox, &webcam_sample()).await;
    assert_refused(
        &sandbox,
        CANCEL,
        &json!({ "BookingID": 1 }),
        400,
        "missing field `Reason`",
    )
    .await;
    assert_refused(
        &sandbox,
        CANCEL,
        &json!({ "BookingID": 1, "Reason": "" }),
        400,
        "Reason is invalid",
    )
    .await;
    assert_refused(
        &sandbox,
        CANCEL,
        &json!({ "BookingID": 1, "Reason": "   " }),
        400,
        "Reason is required and must not be blank",
    )
    .await;
    assert_refused(
        &sandbox,
        CANCEL,
        &json!({ "BookingID": 0, "Reason": "x" }),
        400,
        "BookingID is invalid",
    )
    .await;
    assert_refused(
        &sandbox,
        CANCEL,
        &json!({ "BookingID": "1", "Reason": "x" }),
        400,
        "BookingID must be a JSON integer (got a string).",
    )
    .await;
}

#[tokio::test]
async fn unknown_or_other_users_bookings_are_not_found() {
    let sandbox = sandbox().await;
    create_webcam(&sandbox, &webcam_sample()).await;
    assert_refused(
        &sandbox,
        CANCEL,
        &json!({ "BookingID": 9, "Reason": "x" }),
        404,
        "Webcam booking 9 was not found.",
    )
    .await;
    assert_refused(
        &sandbox,
        RESCHEDULE,
        &json!({ "BookingID": 9 }),
        404,
        "Webcam booking 9 was not found.",
    )
    .await;
    for format in FORMATS {
        // The manager (user 100002) made no bookings: ClientUser's are not theirs.
        call(
            &sandbox,
            "POST",
            CANCEL,
            Some(MANAGER_TOKEN),
            format,
            Some(r#"{"BookingID":1,"Reason":"x"}"#),
        )
        .await
        .refused(404, "Webcam booking 1 was not found.");
        call(
            &sandbox,
            "GET",
            "/v1/Webcam/MadeBookingDetails?BookingID=1",
            Some(MANAGER_TOKEN),
            format,
            None,
        )
        .await
        .refused(404, "Webcam booking 1 was not found.");
        call(
            &sandbox,
            "GET",
            "/v1/Webcam/MadeBookingDetails?BookingID=3",
            Some(CLIENT_TOKEN),
            format,
            None,
        )
        .await
        .refused(404, "Webcam booking 3 was not found.");
    }
}

#[tokio::test]
async fn reschedule_copies_a_pending_booking_and_leaves_it_alone() {
    // The docs put no condition on the old booking's status.
    let sandbox = sandbox().await;
    create_webcam(&sandbox, &webcam_sample()).await;
    let before = sandbox.state().any_webcam_booking(1).unwrap();
    assert_eq!(before.status, BookingStatus::Pending);
    let new = client(&sandbox, Format::Json)
        .reschedule_webcam_booking(1)
        .await
        .unwrap();
    assert_ne!(new.webcam_booking_id, 1);
    assert_eq!(new.status, BookingStatus::Pending);
    assert_eq!(new.performer.user_id, before.performer.user_id);
    assert_eq!(sandbox.state().any_webcam_booking(1).unwrap(), before);
    assert_refused(
        &sandbox,
        RESCHEDULE,
        &json!({ "BookingID": 1, "Extra": 1 }),
        400,
        "unknown field `Extra`",
    )
    .await;
    assert_refused(
        &sandbox,
        RESCHEDULE,
        &json!({}),
        400,
        "missing field `BookingID`",
    )
    .await;
}

#[tokio::test]
async fn reschedule_from_every_other_status() {
    let sandbox = sandbox().await;
    let ids = create_webcam(
        &sandbox,
        &with(
            webcam_sample(),
            json!({ "BookUserIDs": "123456,123457,123459" }),
        ),
    )
    .await;
    control(&sandbox, "/_sandbox/webcam/1/accept", None).await; // 2 and 3 become Cancelled
    create_webcam(
        &sandbox,
        &with(webcam_sample(), json!({ "BookUserIDs": "123457" })),
    )
    .await; // 4
    control(&sandbox, "/_sandbox/webcam/4/reject", None).await;
    create_webcam(
        &sandbox,
        &with(webcam_sample(), json!({ "BookUserIDs": "123459" })),
    )
    .await; // 5
    control(&sandbox, "/_sandbox/webcam/5/accept", None).await;
    control(&sandbox, "/_sandbox/webcam/5/confirm", None).await;
    assert_eq!(ids, [1, 2, 3]);
    for (old, format) in [
        (1, Format::Json),
        (2, Format::Xml),
        (4, Format::Json),
        (5, Format::Xml),
    ] {
        let before = view(&sandbox, old).await;
        let new = client(&sandbox, format)
            .reschedule_webcam_booking(old)
            .await
            .unwrap();
        assert_eq!(new.status, BookingStatus::Pending);
        assert_eq!(new.performer.user_id, before.performer.user_id);
        assert_eq!(view(&sandbox, old).await, before);
    }
}

#[tokio::test]
async fn pending_webcam_bookings_expire_at_accept_by() {
    let sandbox = sandbox().await;
    create_webcam(&sandbox, &webcam_sample()).await;
    control(&sandbox, "/_sandbox/webcam/2/accept", None).await;
    sandbox.clock().set(at("2018-02-01 00:00"));
    for format in FORMATS {
        let b = client(&sandbox, format).webcam_booking(2).await.unwrap();
        assert_eq!(
            b.status,
            BookingStatus::Accepted,
            "only Pending bookings expire"
        );
    }
    // Booking 1 lost to 2 (Cancelled); a fresh single invitation expires.
    sandbox.state().reset();
    sandbox.clock().set(t0());
    create_webcam(
        &sandbox,
        &with(webcam_sample(), json!({ "BookUserIDs": "123456" })),
    )
    .await;
    sandbox.clock().set(at("2018-02-01 00:00"));
    for format in FORMATS {
        let b = client(&sandbox, format).webcam_booking(1).await.unwrap();
        assert_eq!(b.status, BookingStatus::Rejected);
        assert_eq!(
            b.rejected_reason.as_deref(),
            Some("The booking was not accepted by 2018-02-01 00:00.")
        );
        assert_eq!(
            b.last_updated,
            Some(Timestamp::from_naive(at("2018-02-01 00:00")))
        );
    }
}

#[tokio::test]
async fn clock_control_moves_and_pins_time() {
    let sandbox = adultwork_sandbox::Sandbox::start().await.unwrap();
    let a = control(
        &sandbox,
        "/_sandbox/clock",
        Some(json!({ "Now": "2018-01-01T11:00:00" })),
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.body);
    let v: serde_json::Value = serde_json::from_str(&a.body).unwrap();
    assert_eq!(v, json!({ "Now": "2018-01-01T11:00:00", "Frozen": true }));
    let a = control(
        &sandbox,
        "/_sandbox/clock",
        Some(json!({ "AdvanceMinutes": 90 })),
    )
    .await;
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&a.body).unwrap()["Now"],
        "2018-01-01T12:30:00"
    );
    let a = control(
        &sandbox,
        "/_sandbox/clock",
        Some(json!({ "Now": "2018-01-02 08:15" })),
    )
    .await;
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&a.body).unwrap()["Now"],
        "2018-01-02T08:15:00"
    );
    let get = call(&sandbox, "GET", "/_sandbox/clock", None, Format::Json, None).await;
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&get.body).unwrap()["Now"],
        "2018-01-02T08:15:00"
    );
    assert_eq!(sandbox.clock().now(), at("2018-01-02 08:15"));

    control(&sandbox, "/_sandbox/clock", Some(json!({})))
        .await
        .refused(400, "Send exactly one of AdvanceMinutes");
    control(
        &sandbox,
        "/_sandbox/clock",
        Some(json!({ "AdvanceMinutes": 1, "Now": "2018-01-01T00:00:00" })),
    )
    .await
    .refused(400, "exactly one");
    control(
        &sandbox,
        "/_sandbox/clock",
        Some(json!({ "Now": "yesterday" })),
    )
    .await
    .refused(400, "Now must look like YYYY-MM-DDTHH:MM:SS");
    control(
        &sandbox,
        "/_sandbox/clock",
        Some(json!({ "AdvanceMinutes": i64::MAX })),
    )
    .await
    .refused(400, "AdvanceMinutes is out of range");
    control(
        &sandbox,
        "/_sandbox/clock",
        Some(json!({ "AdvanceMinutes": "5" })),
    )
    .await
    .refused(400, "AdvanceMinutes is invalid");
    assert_eq!(sandbox.clock().now(), at("2018-01-02 08:15"));

    // A system clock keeps ticking after an advance.
    control(&sandbox, "/_sandbox/reset", None).await;
    let real = chrono::Utc::now().naive_utc();
    let a = control(
        &sandbox,
        "/_sandbox/clock",
        Some(json!({ "AdvanceMinutes": 60 })),
    )
    .await;
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&a.body).unwrap()["Frozen"],
        false
    );
    assert!(
        (sandbox.clock().now() - real - chrono::TimeDelta::minutes(60))
            .num_seconds()
            .abs()
            < 5
    );
    sandbox.shutdown().await.unwrap();
}

#[tokio::test]
async fn reset_forgets_bookings_and_restores_the_clock() {
    let sandbox = sandbox().await;
    create_webcam(&sandbox, &webcam_sample()).await;
    post(
        &sandbox,
        "/v1/PhoneChat/CreateBooking",
        Format::Json,
        &phone_chat_sample(),
    )
    .await;
    sandbox.clock().set(at("2018-01-05 00:00"));
    let a = control(&sandbox, "/_sandbox/reset", None).await;
    assert_eq!(a.status, 204);
    let snapshot = sandbox.state().snapshot();
    assert!(snapshot.webcam.is_empty() && snapshot.phone_chat.is_empty());
    assert_eq!(sandbox.clock().now(), t0());
    assert_eq!(
        create_webcam(&sandbox, &webcam_sample()).await,
        [1, 2],
        "IDs restart at 1"
    );
}
