//! One full call through `adultwork::Client` against an in-process server on loopback, against
//! the floor: the same request made with a bare `reqwest::Client` and `serde_json`.
//!
//! The server is a canned axum app, on the same single-thread runtime as the clients, that
//! answers the docs' samples
//! (seed 001 for details, seed 000 for create), so every iteration does the same work however
//! many bookings were "created". Both clients keep their connections alive and send the same
//! headers (`Accept`, `Authorization: bearer …`, `User-Agent`), the same body and the same
//! per-request timeout; the SDK adds what it always does (validation, the transport, retries for
//! GET, the body cap). Sequential: one call per iteration. Concurrent: 64 calls in flight per
//! iteration (throughput in calls).

#[path = "support/cpu.rs"]
mod cpu;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use adultwork::types::{CreateWebcamBookingRequest, WebcamBooking, WebcamBookingResult};
use adultwork::{Client, Credits, IntoWire, NewWebcamBooking, SoftwareType};
use axum::Router;
use axum::routing::{get, post};
use bytes::Bytes;
use cpu::ThreadCpu;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use tokio::task::JoinSet;

const DETAILS: &[u8] =
    include_bytes!("../tests/data/docs/made_webcam_booking_details.response.json");
const CREATED: &[u8] = include_bytes!("../tests/data/docs/create_webcam_booking.response.json");
const TOKEN: &str = "sandbox-client-token";
const TIMEOUT: Duration = Duration::from_secs(30);
const CONCURRENCY: usize = 64;
const JSON: [(http::HeaderName, &str); 1] = [(CONTENT_TYPE, "application/json; charset=utf-8")];

/// Starts the canned server on the current runtime; returns its address.
async fn canned_server() -> SocketAddr {
    // Compact bodies, as a server writes them.
    let details: Bytes = compact(DETAILS).into();
    let created: Bytes = compact(CREATED).into();
    let app = Router::new()
        .route(
            "/v1/Webcam/MadeBookingDetails",
            get(move || {
                let body = details.clone();
                async move { (JSON, body) }
            }),
        )
        .route(
            "/v1/Webcam/CreateBooking",
            post(move |request: Bytes| {
                let body = created.clone();
                async move {
                    assert!(!request.is_empty());
                    (JSON, body)
                }
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    addr
}

fn compact(sample: &[u8]) -> Vec<u8> {
    serde_json::to_vec(&serde_json::from_slice::<serde_json::Value>(sample).unwrap()).unwrap()
}

fn booking() -> NewWebcamBooking {
    let session = chrono::Utc::now().naive_utc() + chrono::Duration::days(2);
    NewWebcamBooking::new(
        [123456],
        session,
        10,
        Credits::from(10),
        SoftwareType::Skype,
        "BookingUserOnSkype",
    )
    .also_phone_chat(true)
    .phone_number("0123456789")
}

/// The bare floor: a `reqwest::Client` set up like the SDK's, and `serde_json`.
#[derive(Clone)]
struct Bare {
    http: reqwest::Client,
    base: Arc<str>,
}

impl Bare {
    fn new(base: &str) -> Self {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .user_agent(format!("adultwork-rs/{}", env!("CARGO_PKG_VERSION")))
            .build()
            .unwrap();
        Self {
            http,
            base: base.into(),
        }
    }

    async fn details(&self, id: i64) -> WebcamBooking {
        let body = self
            .http
            .get(format!("{}/v1/Webcam/MadeBookingDetails", self.base))
            .query(&[("BookingID", id)])
            .header(ACCEPT, "application/json")
            .header(AUTHORIZATION, format!("bearer {TOKEN}"))
            .timeout(TIMEOUT)
            .send()
            .await
            .unwrap()
            .error_for_status()
            .unwrap()
            .bytes()
            .await
            .unwrap();
        serde_json::from_slice(&body).unwrap()
    }

    async fn create(&self, body: &CreateWebcamBookingRequest) -> Vec<WebcamBookingResult> {
        let body = self
            .http
            .post(format!("{}/v1/Webcam/CreateBooking", self.base))
            .header(ACCEPT, "application/json")
            .header(AUTHORIZATION, format!("bearer {TOKEN}"))
            .timeout(TIMEOUT)
            .json(body)
            .send()
            .await
            .unwrap()
            .error_for_status()
            .unwrap()
            .bytes()
            .await
            .unwrap();
        serde_json::from_slice(&body).unwrap()
    }
}

fn call(c: &mut Criterion<ThreadCpu>) {
    // One thread runs the server and the client: the figures are the CPU cost of a call on
    // both ends, free of the cross-core wake-up latency that makes a two-thread loopback
    // measurement on a small VM bimodal.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (sdk, bare) = rt.block_on(async {
        let base = format!("http://{}", canned_server().await);
        let sdk = Client::builder()
            .base_url(&base)
            .token(TOKEN)
            .build()
            .unwrap();
        (sdk, Bare::new(&base))
    });
    let wire: CreateWebcamBookingRequest = booking().into_wire().unwrap();
    rt.block_on(async {
        // Both sides see the same answers.
        assert_eq!(sdk.webcam_booking(1).await.unwrap(), bare.details(1).await);
        assert_eq!(
            sdk.create_webcam_booking(booking()).await.unwrap(),
            bare.create(&wire).await
        );
    });

    let mut g = c.benchmark_group("call/details_get");
    // A concurrent iteration is 64 calls: fewer, longer samples keep the run short.
    g.sample_size(30);
    g.throughput(Throughput::Elements(1));
    g.bench_function("bare_floor/sequential", |b| {
        b.to_async(&rt).iter(|| bare.details(1))
    });
    g.bench_function("sdk/sequential", |b| {
        b.to_async(&rt)
            .iter(|| async { sdk.webcam_booking(1).await.unwrap() })
    });
    g.throughput(Throughput::Elements(CONCURRENCY as u64));
    g.bench_function(format!("bare_floor/concurrent{CONCURRENCY}"), |b| {
        b.to_async(&rt).iter(|| async {
            let mut set = JoinSet::new();
            for _ in 0..CONCURRENCY {
                let bare = bare.clone();
                set.spawn(async move { bare.details(1).await });
            }
            set.join_all().await
        })
    });
    g.bench_function(format!("sdk/concurrent{CONCURRENCY}"), |b| {
        b.to_async(&rt).iter(|| async {
            let mut set = JoinSet::new();
            for _ in 0..CONCURRENCY {
                let sdk = sdk.clone();
                set.spawn(async move { sdk.webcam_booking(1).await.unwrap() });
            }
            set.join_all().await
        })
    });
    g.finish();

    let new_booking = booking();
    let mut g = c.benchmark_group("call/create_post");
    g.sample_size(30);
    g.throughput(Throughput::Elements(1));
    g.bench_function("bare_floor/sequential", |b| {
        b.to_async(&rt).iter(|| bare.create(&wire))
    });
    g.bench_function("sdk/sequential", |b| {
        b.to_async(&rt).iter(|| async {
            sdk.create_webcam_booking(new_booking.clone())
                .await
                .unwrap()
        })
    });
    g.throughput(Throughput::Elements(CONCURRENCY as u64));
    g.bench_function(format!("bare_floor/concurrent{CONCURRENCY}"), |b| {
        b.to_async(&rt).iter(|| async {
            let mut set = JoinSet::new();
            for _ in 0..CONCURRENCY {
                let (bare, wire) = (bare.clone(), wire.clone());
                set.spawn(async move { bare.create(&wire).await });
            }
            set.join_all().await
        })
    });
    g.bench_function(format!("sdk/concurrent{CONCURRENCY}"), |b| {
        b.to_async(&rt).iter(|| async {
            let mut set = JoinSet::new();
            for _ in 0..CONCURRENCY {
                let (sdk, booking) = (sdk.clone(), new_booking.clone());
                set.spawn(async move { sdk.create_webcam_booking(booking).await.unwrap() });
            }
            set.join_all().await
        })
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = cpu::criterion();
    targets = call
}
criterion_main!(benches);
