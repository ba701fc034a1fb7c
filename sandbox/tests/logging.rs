//! One log line per request, and never the access token.
//!
//! A test binary of its own: `tracing` caches per call site whether anyone listens, so a
//! thread-scoped subscriber only sees the sandbox's request lines reliably when no other test
//! in the process has hit them first.

#[allow(dead_code)]
#[path = "http/common.rs"]
mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use adultwork::Format;
use adultwork_sandbox::CLIENT_TOKEN;

use crate::common::*;

#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The server runs on this test's single thread, so a thread-default subscriber sees it.
#[tokio::test(flavor = "current_thread")]
async fn one_line_per_request_without_the_token() {
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::INFO)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let sandbox = sandbox().await;
    let before = String::from_utf8(buffer.0.lock().unwrap().clone())
        .unwrap()
        .lines()
        .count();
    post(
        &sandbox,
        "/v1/Webcam/CreateBooking",
        Format::Json,
        &webcam_sample(),
    )
    .await;
    call(
        &sandbox,
        "GET",
        "/v1/Webcam/MadeBookingDetails?BookingID=1",
        Some(CLIENT_TOKEN),
        Format::Xml,
        None,
    )
    .await;
    call(
        &sandbox,
        "GET",
        "/v1/Webcam/MadeBookingDetails?BookingID=1",
        Some("wrong-token"),
        Format::Json,
        None,
    )
    .await;
    let log = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    let lines: Vec<&str> = log.lines().skip(before).collect();
    assert_eq!(lines.len(), 3, "{log}");
    assert!(
        lines[0].contains("method=POST path=/v1/Webcam/CreateBooking")
            && lines[0].contains("status=200"),
        "{log}"
    );
    assert!(
        lines[1].contains("method=GET path=/v1/Webcam/MadeBookingDetails")
            && lines[1].contains("status=200"),
        "{log}"
    );
    assert!(lines[2].contains("status=401"), "{log}");
    assert!(
        !log.contains(CLIENT_TOKEN)
            && !log.contains("wrong-token")
            && !log.to_lowercase().contains("bearer"),
        "{log}"
    );
}
