//! Many clients at once: unique IDs, and exactly one winner when invitees accept together.

use std::collections::BTreeSet;

use adultwork::BookingStatus;
use adultwork::types::WebcamBooking;
use adultwork_sandbox::{CLIENT_TOKEN, Sandbox};
use serde_json::json;

use crate::common::*;

/// Runs the same accept race many times: three invitees accept one booking each at the same
/// moment; exactly one gets 200, the others 409, and the losers end Cancelled.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn simultaneous_accepts_have_exactly_one_winner() {
    let sandbox = Sandbox::start().await.unwrap();
    let http = http();
    let base = sandbox.base_url();
    let session = (chrono::Utc::now() + chrono::TimeDelta::days(7))
        .format("%Y-%m-%d %H:%M")
        .to_string();
    let body = with(
        webcam_sample(),
        json!({ "BookUserIDs": "123456,123457,123459", "SessionDate": session }),
    );
    let mut winners = [0usize; 3];
    for _ in 0..200 {
        let ids = create_webcam(&sandbox, &body).await;
        assert_eq!(ids.len(), 3);
        let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(3));
        let tasks: Vec<_> = ids
            .iter()
            .map(|id| {
                let (http, url, barrier) = (
                    http.clone(),
                    format!("{base}/_sandbox/webcam/{id}/accept"),
                    barrier.clone(),
                );
                tokio::spawn(async move {
                    barrier.wait().await;
                    http.post(url).send().await.unwrap().status().as_u16()
                })
            })
            .collect();
        let mut statuses = Vec::new();
        for t in tasks {
            statuses.push(t.await.unwrap());
        }
        assert_eq!(
            statuses.iter().filter(|s| **s == 200).count(),
            1,
            "{statuses:?}"
        );
        assert_eq!(
            statuses.iter().filter(|s| **s == 409).count(),
            2,
            "{statuses:?}"
        );
        let winner = statuses.iter().position(|s| *s == 200).unwrap();
        winners[winner] += 1;
        for (i, id) in ids.iter().enumerate() {
            let b: WebcamBooking = call(
                &sandbox,
                "GET",
                &format!("/v1/Webcam/MadeBookingDetails?BookingID={id}"),
                Some(CLIENT_TOKEN),
                adultwork::Format::Json,
                None,
            )
            .await
            .decode("get_made_webcam_booking_details");
            let want = if i == winner {
                BookingStatus::Accepted
            } else {
                BookingStatus::Cancelled
            };
            assert_eq!(b.status, want);
        }
    }
    assert_eq!(winners.iter().sum::<usize>(), 200);
    sandbox.shutdown().await.unwrap();
}

/// Creates from many tasks at once: every booking gets its own ID, none is lost.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn simultaneous_creates_get_unique_ids() {
    let sandbox = sandbox().await;
    let http = http();
    let url = format!("{}/v1/Webcam/CreateBooking", sandbox.base_url());
    let body = webcam_sample().to_string();
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let (http, url, body) = (http.clone(), url.clone(), body.clone());
            tokio::spawn(async move {
                let res = http
                    .post(url)
                    .header("Authorization", format!("bearer {CLIENT_TOKEN}"))
                    .header("Content-Type", "application/json")
                    .body(body)
                    .send()
                    .await
                    .unwrap();
                let results: Vec<adultwork::types::WebcamBookingResult> = res.json().await.unwrap();
                results
                    .into_iter()
                    .filter_map(|r| r.booking_id)
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let mut ids = BTreeSet::new();
    for t in tasks {
        let pair = t.await.unwrap();
        assert_eq!(pair.len(), 2);
        assert_eq!(
            pair[1],
            pair[0] + 1,
            "one request's bookings are consecutive"
        );
        ids.extend(pair);
    }
    assert_eq!(ids, (1..=100).collect::<BTreeSet<i64>>());
    assert_eq!(sandbox.state().snapshot().webcam.len(), 100);
}
