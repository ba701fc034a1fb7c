//! Waiters against canned servers: which answers end a wait and which are polled through,
//! `Retry-After`, the deadline, the booking's `AcceptBy`, and only GETs on the wire. (The
//! outcomes against the sandbox's self-acting performers are in the sandbox's tests.)

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use adultwork::types::WebcamBookingResult;
use adultwork::{BookingStatus, Error, RetryPolicy, WaitError, WaitTarget};
use chrono::TimeDelta;
use common::{Reply, Server, at, client, closed_port_url, guard};

/// The docs' booking (Pending, `AcceptBy` 2018-02-01 00:00) with another status.
fn booking(status: &str) -> Reply {
    let mut v: serde_json::Value =
        serde_json::from_slice(&common::docs("made_webcam_booking_details.response.json")).unwrap();
    v["Status"] = status.into();
    Reply::json(200, v.to_string())
}

fn error(status: u16) -> Reply {
    Reply::json(status, r#"{"Message":"Try again later."}"#)
}

/// A client of `server` that does no retries of its own, so the waiter sees every answer.
fn sdk(server: &Server) -> adultwork::Client {
    client(&server.base_url)
        .retry(RetryPolicy::never())
        .build()
        .unwrap()
}

const FAST: (Duration, Duration) = (Duration::from_millis(5), Duration::from_millis(20));

/// Waits for booking 1 to be accepted, polling every few milliseconds.
async fn wait_fast(
    sdk: &adultwork::Client,
    timeout: Duration,
) -> Result<adultwork::types::WebcamBooking, WaitError> {
    guard(
        sdk.wait_for_webcam_booking(1)
            .delays(FAST.0, FAST.1)
            .wait(timeout),
    )
    .await
}

fn only_gets_of_the_booking(server: &Server, path: &str) {
    for r in server.requests() {
        assert_eq!((r.method.as_str(), r.path.as_str()), ("GET", path));
    }
}

#[tokio::test]
async fn pending_then_accepted_is_reached_and_every_poll_is_a_get() {
    let server = Server::start(|_, n| booking(if n < 2 { "Pending" } else { "Accepted" })).await;
    let sdk = sdk(&server);
    let mut seen = Vec::new();
    let booking = guard(
        sdk.wait_for_webcam_booking(1)
            .delays(FAST.0, FAST.1)
            .on_poll(|b| seen.push(b.status.clone()))
            .wait(Duration::from_secs(20)),
    )
    .await
    .unwrap();
    assert_eq!(booking.status, BookingStatus::Accepted);
    assert_eq!(
        seen,
        [
            BookingStatus::Pending,
            BookingStatus::Pending,
            BookingStatus::Accepted
        ]
    );
    assert_eq!(server.count(), 3);
    only_gets_of_the_booking(&server, "/v1/Webcam/MadeBookingDetails");
    assert_eq!(
        server.requests()[0].query_pairs(),
        [("BookingID".into(), "1".into())]
    );
}

#[tokio::test]
async fn each_target_is_reached_or_unreachable_from_each_documented_status() {
    use BookingStatus as S;
    use WaitTarget as T;
    // (target, status, reached, unreachable)
    let table = [
        (T::Accepted, S::Accepted, true, false),
        (T::Accepted, S::Confirmed, true, false),
        (T::Accepted, S::Rejected, false, true),
        (T::Accepted, S::Cancelled, false, true),
        (T::Confirmed, S::Accepted, false, false),
        (T::Confirmed, S::Confirmed, true, false),
        (T::Confirmed, S::Rejected, false, true),
        (T::Confirmed, S::Cancelled, false, true),
        (T::Settled, S::Accepted, false, false),
        (T::Settled, S::Confirmed, true, false),
        (T::Settled, S::Rejected, true, false),
        (T::Settled, S::Cancelled, true, false),
    ];
    for (target, status, reached, unreachable) in table {
        let server = Server::always(booking(status.as_str())).await;
        let sdk = sdk(&server);
        let result = guard(
            sdk.wait_for_webcam_booking(1)
                .until(target)
                .delays(FAST.0, FAST.1)
                .wait(Duration::from_millis(100)),
        )
        .await;
        let what = format!("{target} from {status}");
        match result {
            Ok(b) => assert!(reached && b.status == status, "{what}: reached"),
            Err(WaitError::Unreachable { booking, .. }) => {
                assert!(
                    unreachable && booking.status == status,
                    "{what}: unreachable"
                )
            }
            Err(WaitError::TimedOut { last, .. }) => {
                assert!(!reached && !unreachable, "{what}: timed out");
                assert_eq!(last.unwrap().status, status);
            }
            Err(e) => panic!("{what}: {e}"),
        }
    }
}

#[tokio::test]
async fn a_status_this_sdk_does_not_know_is_polled_through() {
    let server = Server::start(|_, n| booking(if n == 0 { "OnHold" } else { "Confirmed" })).await;
    let sdk = sdk(&server);
    let booking = guard(
        sdk.wait_for_webcam_booking(1)
            .until(WaitTarget::Settled)
            .delays(FAST.0, FAST.1)
            .wait(Duration::from_secs(20)),
    )
    .await
    .unwrap();
    assert_eq!(booking.status, BookingStatus::Confirmed);
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn retry_after_on_a_503_lengthens_the_next_delay() {
    let server = Server::start(|_, n| {
        if n == 0 {
            error(503).header("Retry-After", "1")
        } else {
            booking("Accepted")
        }
    })
    .await;
    let sdk = sdk(&server);
    let started = Instant::now();
    let booking = wait_fast(&sdk, Duration::from_secs(20)).await.unwrap();
    assert_eq!(booking.status, BookingStatus::Accepted);
    assert_eq!(server.count(), 2);
    // The backoff alone would have polled again within 20 ms.
    assert!(started.elapsed() >= Duration::from_secs(1));
}

#[tokio::test]
async fn throttling_server_errors_and_transport_failures_are_polled_through() {
    let server = Server::start(|_, n| match n {
        0 => error(429),
        1 => error(500),
        2 => error(502),
        _ => booking("Accepted"),
    })
    .await;
    let sdk = sdk(&server);
    let booking = wait_fast(&sdk, Duration::from_secs(20)).await.unwrap();
    assert_eq!(booking.status, BookingStatus::Accepted);
    assert_eq!(server.count(), 4);

    // Nothing listening: polled until the deadline, which then reports the last poll's
    // error, since no booking was ever read.
    let sdk = client(&closed_port_url().await)
        .retry(RetryPolicy::never())
        .build()
        .unwrap();
    let started = Instant::now();
    let err = wait_fast(&sdk, Duration::from_millis(100))
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            WaitError::Failed {
                source: Error::Connect { .. },
                last: None
            }
        ),
        "{err:?}"
    );
    assert!(
        started.elapsed() >= Duration::from_millis(100),
        "polled through until the deadline"
    );
}

#[tokio::test]
async fn a_client_error_ends_the_wait_at_once_with_the_last_booking_read() {
    for status in [400, 401, 403, 404] {
        let server = Server::start(move |_, n| {
            if n == 0 {
                booking("Pending")
            } else {
                error(status)
            }
        })
        .await;
        let sdk = sdk(&server);
        let err = wait_fast(&sdk, Duration::from_secs(20)).await.unwrap_err();
        let WaitError::Failed { source, last } = &err else {
            panic!("{status}: {err:?}")
        };
        assert_eq!(source.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(last.as_ref().unwrap().status, BookingStatus::Pending);
        assert_eq!(server.count(), 2, "{status}: not polled again");
        assert!(err.to_string().contains("Try again later."), "{err}");
    }
}

#[tokio::test]
async fn the_deadline_ends_a_wait_that_nothing_answers() {
    let server = Server::always(booking("Pending")).await;
    let sdk = sdk(&server);
    let err = wait_fast(&sdk, Duration::from_millis(150))
        .await
        .unwrap_err();
    let WaitError::TimedOut { last, waited, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(last.as_ref().unwrap().status, BookingStatus::Pending);
    assert!(*waited >= Duration::from_millis(150));
    assert!(server.count() >= 2);
    assert!(
        err.to_string().starts_with("gave up after")
            && err
                .to_string()
                .ends_with("waiting for accepted (webcam booking 1 is Pending)"),
        "{err}"
    );
}

#[tokio::test]
async fn a_pending_booking_is_given_up_at_its_accept_by_not_at_the_later_deadline() {
    // The docs' booking must be accepted by 2018-02-01 00:00; this client's clock reaches it
    // 200 ms after the wait starts. The caller's deadline is ten minutes away.
    let server = Server::always(booking("Pending")).await;
    let accept_by = at("2018-02-01 00:00");
    let started = Arc::new(Instant::now());
    let sdk = client(&server.base_url)
        .retry(RetryPolicy::never())
        .clock(move || {
            accept_by - TimeDelta::milliseconds(200)
                + TimeDelta::from_std(started.elapsed()).unwrap()
        })
        .build()
        .unwrap();
    for target in [WaitTarget::Accepted, WaitTarget::Confirmed] {
        let err = guard(
            sdk.wait_for_webcam_booking(1)
                .until(target)
                .delays(Duration::from_secs(5), Duration::from_secs(30))
                .wait(Duration::from_secs(600)),
        )
        .await
        .unwrap_err();
        let WaitError::Unreachable { booking, .. } = &err else {
            panic!("{err:?}")
        };
        assert_eq!(booking.status, BookingStatus::Pending);
        assert!(sdk.now() >= accept_by);
        assert_eq!(
            err.to_string(),
            format!("webcam booking 1 is Pending past its AcceptBy: it cannot become {target}")
        );
    }
    // A settled booking is what is waited for, so AcceptBy does not end that wait.
    let err = guard(
        sdk.wait_for_webcam_booking(1)
            .until(WaitTarget::Settled)
            .delays(FAST.0, FAST.1)
            .wait(Duration::from_millis(50)),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, WaitError::TimedOut { .. }), "{err:?}");
}

#[tokio::test]
async fn a_group_member_wait_polls_the_group_endpoint_with_the_user_id() {
    let server = Server::start(|_, n| booking(if n == 0 { "Pending" } else { "Accepted" })).await;
    let sdk = sdk(&server);
    guard(
        sdk.as_group_member(123456)
            .wait_for_webcam_booking(7)
            .delays(FAST.0, FAST.1)
            .wait(Duration::from_secs(20)),
    )
    .await
    .unwrap();
    only_gets_of_the_booking(&server, "/v1/Groups/Webcam/MadeBookingDetails");
    assert_eq!(
        server.requests()[1].query_pairs(),
        [
            ("BookingID".into(), "7".into()),
            ("UserID".into(), "123456".into())
        ]
    );
}

#[tokio::test]
async fn first_acceptance_with_no_booked_invitee_fails_before_sending() {
    let server = Server::always(booking("Accepted")).await;
    let sdk = sdk(&server);
    let not_booked: WebcamBookingResult = serde_json::from_value(serde_json::json!({
        "UserID": 123458, "BookingID": null, "AlsoPhoneChat": false, "Status": 2,
        "StatusDescription": "Webcam booking failed. User does not use this software."
    }))
    .unwrap();
    let err = sdk
        .wait_for_first_acceptance(&[not_booked])
        .wait(Duration::from_secs(1))
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            WaitError::Failed {
                source: Error::Validation(adultwork::validate::Violation {
                    field: "BookingID",
                    ..
                }),
                last: None
            }
        ),
        "{err:?}"
    );
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn first_acceptance_polls_every_invitee_and_returns_the_one_accepted() {
    // Booking 1 is rejected, booking 2 accepts on its second read.
    let accepted_on_second_read = Server::start({
        let reads = std::sync::Mutex::new(0usize);
        move |r, _| {
            let id = r.query_pairs()[0].1.clone();
            if id == "1" {
                return booking("Rejected");
            }
            let mut n = reads.lock().unwrap();
            *n += 1;
            let mut reply = booking(if *n < 2 { "Pending" } else { "Accepted" });
            let mut v: serde_json::Value = serde_json::from_slice(&reply.body).unwrap();
            v["WebcamBookingID"] = 2.into();
            reply.body = v.to_string().into();
            reply
        }
    })
    .await;
    let sdk = sdk(&accepted_on_second_read);
    let results: Vec<WebcamBookingResult> =
        serde_json::from_slice(&common::docs("create_webcam_booking.response.json")).unwrap();
    let winner = guard(
        sdk.wait_for_first_acceptance(&results)
            .delays(FAST.0, FAST.1)
            .wait(Duration::from_secs(20)),
    )
    .await
    .unwrap();
    assert_eq!(
        (winner.webcam_booking_id, winner.status),
        (2, BookingStatus::Accepted)
    );
    // Booking 1 was read once (rejected, then left alone); booking 2 twice.
    let ids: Vec<String> = accepted_on_second_read
        .requests()
        .iter()
        .map(|r| r.query_pairs()[0].1.clone())
        .collect();
    assert_eq!(ids, ["1", "2", "2"]);
}
