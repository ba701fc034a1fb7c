//! A rough throughput figure for the sandbox on loopback: requests per second for
//! `GET /v1/Webcam/MadeBookingDetails` and `POST /v1/Webcam/CreateBooking`, from concurrent
//! keep-alive clients in the same process. Not part of CI.
//!
//! ```sh
//! cargo run --release -p adultwork-sandbox --example throughput [-- SECONDS CONNECTIONS]
//! ```

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use adultwork_sandbox::{CLIENT_TOKEN, Sandbox};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let seconds: u64 = args.next().map_or(Ok(3), |s| s.parse())?;
    let connections: usize = args.next().map_or(Ok(32), |s| s.parse())?;
    // Every POST adds two bookings: lift the cap so a long run measures HTTP, not 507s.
    let sandbox = Sandbox::builder().max_bookings(usize::MAX).start().await?;
    let session = (chrono::Utc::now() + chrono::TimeDelta::days(7)).format("%Y-%m-%d %H:%M");
    let create = serde_json::json!({
        "BookUserIDs": "123456,123457", "SessionDate": session.to_string(), "Duration": 10,
        "Credits": 10, "SoftwareTypeID": 3, "SignInNameOrEmail": "me.on.skype"
    })
    .to_string();
    let http = reqwest::Client::new();
    let base = sandbox.base_url();
    let auth = format!("bearer {CLIENT_TOKEN}");
    let first = http
        .post(format!("{base}/v1/Webcam/CreateBooking"))
        .header("Authorization", &auth)
        .header("Content-Type", "application/json")
        .body(create.clone())
        .send()
        .await?;
    assert_eq!(first.status(), 200);

    for (name, post) in [
        ("GET  MadeBookingDetails", false),
        ("POST CreateBooking     ", true),
    ] {
        for accept in ["application/json", "application/xml"] {
            let done = Arc::new(AtomicU64::new(0));
            let deadline = Instant::now() + Duration::from_secs(seconds);
            let tasks: Vec<_> = (0..connections)
                .map(|_| {
                    let (http, done, auth, create) =
                        (http.clone(), done.clone(), auth.clone(), create.clone());
                    let url = if post {
                        format!("{base}/v1/Webcam/CreateBooking")
                    } else {
                        format!("{base}/v1/Webcam/MadeBookingDetails?BookingID=1")
                    };
                    tokio::spawn(async move {
                        while Instant::now() < deadline {
                            let req = if post {
                                http.post(&url)
                                    .header("Content-Type", "application/json")
                                    .body(create.clone())
                            } else {
                                http.get(&url)
                            };
                            let res = req
                                .header("Authorization", &auth)
                                .header("Accept", accept)
                                .send()
                                .await
                                .unwrap();
                            assert_eq!(res.status(), 200);
                            res.bytes().await.unwrap();
                            done.fetch_add(1, Ordering::Relaxed);
                        }
                    })
                })
                .collect();
            let started = Instant::now();
            for t in tasks {
                t.await?;
            }
            let n = done.load(Ordering::Relaxed);
            println!(
                "{name} {accept:<16} {n:>8} requests in {:.1}s = {:>7.0} req/s ({connections} connections)",
                started.elapsed().as_secs_f64(),
                n as f64 / started.elapsed().as_secs_f64()
            );
        }
    }
    sandbox.shutdown().await?;
    Ok(())
}
