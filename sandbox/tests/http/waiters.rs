//! The SDK's waiters against the sandbox's self-acting performers: every outcome, in both
//! formats, with the sandbox clock moved from the waiter's own progress callback (so nothing
//! waits for real).

use std::time::Duration;

use adultwork::{BookingStatus, Format, WaitError, WaitTarget};
use adultwork_sandbox::{MANAGER_TOKEN, Sandbox};
use chrono::TimeDelta;
use serde_json::json;

use crate::common::*;

/// Accepts 3 s after a booking is made, confirms 5 s later.
const PROMPT: &str = "123461";
/// Rejects 2 s after a booking is made.
const BUSY: &str = "123462";

const MIN: Duration = Duration::from_millis(5);
const MAX: Duration = Duration::from_millis(20);
const PATIENCE: Duration = Duration::from_secs(20);

async fn book(sandbox: &Sandbox, users: &str) -> Vec<i64> {
    create_webcam(
        sandbox,
        &with(
            webcam_sample(),
            json!({ "BookUserIDs": users, "AlsoPhoneChat": false }),
        ),
    )
    .await
}

/// Invites `users` (Skype, tomorrow) through the SDK.
async fn invite<const N: usize>(
    sdk: &adultwork::Client,
    users: [i64; N],
) -> Vec<adultwork::types::WebcamBookingResult> {
    let booking = adultwork::NewWebcamBooking::new(
        users,
        at("2018-01-02 12:00"),
        10,
        adultwork::Credits::from(10),
        adultwork::SoftwareType::Skype,
        "me",
    );
    sdk.create_webcam_booking(booking).await.unwrap()
}

/// A progress callback that moves the sandbox clock `secs` seconds at every poll.
fn tick(
    sandbox: &Sandbox,
    secs: i64,
) -> impl FnMut(&adultwork::types::WebcamBooking) + Send + 'static {
    let clock = sandbox.clock().clone();
    move |_| {
        clock.advance(TimeDelta::seconds(secs)).unwrap();
    }
}

#[tokio::test]
async fn waits_until_the_performer_accepts_and_then_confirms() {
    for format in FORMATS {
        for (target, status) in [
            (WaitTarget::Accepted, BookingStatus::Accepted),
            (WaitTarget::Confirmed, BookingStatus::Confirmed),
            (WaitTarget::Settled, BookingStatus::Confirmed),
        ] {
            let sandbox = sandbox().await;
            let [id] = book(&sandbox, PROMPT).await[..] else {
                panic!("one booking")
            };
            let sdk = client(&sandbox, format);
            let booking = sdk
                .wait_for_webcam_booking(id)
                .until(target)
                .delays(MIN, MAX)
                .on_poll(tick(&sandbox, 1))
                .wait(PATIENCE)
                .await
                .unwrap_or_else(|e| panic!("{format:?} {target}: {e}"));
            assert_eq!(booking.status, status, "{format:?} {target}");
            assert_eq!(
                booking.accepted_date.unwrap().naive(),
                t0() + TimeDelta::seconds(3)
            );
        }
    }
}

#[tokio::test]
async fn a_rejection_is_unreachable_for_acceptance_and_settles_a_settled_wait() {
    let sandbox = sandbox().await;
    let [id] = book(&sandbox, BUSY).await[..] else {
        panic!("one booking")
    };
    let sdk = client(&sandbox, Format::Xml);
    let err = sdk
        .wait_for_webcam_booking(id)
        .delays(MIN, MAX)
        .on_poll(tick(&sandbox, 1))
        .wait(PATIENCE)
        .await
        .unwrap_err();
    let WaitError::Unreachable { booking, target } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(*target, WaitTarget::Accepted);
    assert_eq!(booking.status, BookingStatus::Rejected);
    assert_eq!(
        booking.rejected_reason.as_deref(),
        Some("Sorry, I am fully booked that day.")
    );
    assert_eq!(
        err.to_string(),
        format!("webcam booking {id} is Rejected: it cannot become accepted")
    );
    let settled = sdk
        .wait_for_webcam_booking(id)
        .until(WaitTarget::Settled)
        .wait(PATIENCE)
        .await
        .unwrap();
    assert_eq!(settled.status, BookingStatus::Rejected);
}

#[tokio::test]
async fn a_booking_cancelled_while_waiting_is_unreachable() {
    let sandbox = sandbox().await;
    let [id] = book(&sandbox, "123456").await[..] else {
        panic!("one booking")
    };
    let sdk = client(&sandbox, Format::Json);
    let state = sandbox.state().clone();
    let reason =
        serde_json::from_value(json!({ "BookingID": id, "Reason": "Plans changed." })).unwrap();
    let err = sdk
        .wait_for_webcam_booking(id)
        .until(WaitTarget::Confirmed)
        .delays(MIN, MAX)
        .on_poll(move |_| {
            let _ = state.cancel_webcam_booking(100001, &reason);
        })
        .wait(PATIENCE)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, WaitError::Unreachable { booking, .. } if booking.status == BookingStatus::Cancelled),
        "{err:?}"
    );
}

#[tokio::test]
async fn an_invitation_that_expires_while_waiting_is_unreachable() {
    let sandbox = sandbox().await;
    let [id] = book(&sandbox, "123456").await[..] else {
        panic!("one booking")
    };
    let sdk = client(&sandbox, Format::Json);
    let accept_by = sdk.webcam_booking(id).await.unwrap().accept_by.naive();
    let clock = sandbox.clock().clone();
    let err = sdk
        .wait_for_webcam_booking(id)
        .delays(MIN, MAX)
        .on_poll(move |_| clock.set(accept_by))
        .wait(PATIENCE)
        .await
        .unwrap_err();
    // The sandbox rejects a booking nobody accepted by its AcceptBy.
    let WaitError::Unreachable { booking, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(booking.status, BookingStatus::Rejected);
    assert_eq!(booking.last_updated.unwrap().naive(), accept_by);
}

#[tokio::test]
async fn a_performer_who_never_answers_makes_the_wait_time_out() {
    let sandbox = sandbox().await;
    let [id] = book(&sandbox, "123456").await[..] else {
        panic!("one booking")
    };
    let sdk = client(&sandbox, Format::Json);
    let err = sdk
        .wait_for_webcam_booking(id)
        .delays(MIN, MAX)
        .wait(Duration::from_millis(100))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, WaitError::TimedOut { last: Some(b), .. } if b.status == BookingStatus::Pending),
        "{err:?}"
    );
}

#[tokio::test]
async fn the_first_invitee_to_accept_is_returned_and_the_others_are_cancelled() {
    let sandbox = sandbox().await;
    let sdk = client(&sandbox, Format::Json);
    let created = invite(&sdk, [123462, 123461, 123456]).await;
    let winner = sdk
        .wait_for_first_acceptance(&created)
        .delays(MIN, MAX)
        .on_poll(tick(&sandbox, 1))
        .wait(PATIENCE)
        .await
        .unwrap();
    assert_eq!(winner.performer.nickname, "PromptPriya");
    assert_eq!(winner.status, BookingStatus::Accepted);
    let josephene = sdk
        .webcam_booking(created[2].booking_id.unwrap())
        .await
        .unwrap();
    assert_eq!(josephene.status, BookingStatus::Cancelled);

    // When every invitee rejects, the wait is unreachable with the last one read.
    let created = invite(&sdk, [123462]).await;
    let err = sdk
        .wait_for_first_acceptance(&created)
        .delays(MIN, MAX)
        .on_poll(tick(&sandbox, 1))
        .wait(PATIENCE)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, WaitError::Unreachable { booking, .. } if booking.performer.nickname == "BusyBella"),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_group_manager_waits_for_a_members_booking() {
    let sandbox = sandbox().await;
    let [id] = book(&sandbox, PROMPT).await[..] else {
        panic!("one booking")
    };
    let manager = sdk(&sandbox, MANAGER_TOKEN, Format::Xml);
    let booking = manager
        .as_group_member(100001)
        .wait_for_webcam_booking(id)
        .delays(MIN, MAX)
        .on_poll(tick(&sandbox, 1))
        .wait(PATIENCE)
        .await
        .unwrap();
    assert_eq!(booking.status, BookingStatus::Accepted);
    // Someone else's booking is not found: that ends the wait, it is not polled through.
    let err = manager
        .as_group_member(100003)
        .wait_for_webcam_booking(id)
        .wait(PATIENCE)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, WaitError::Failed { source, last: None } if source.status().map(|s| s.as_u16()) == Some(404)),
        "{err:?}"
    );
}
