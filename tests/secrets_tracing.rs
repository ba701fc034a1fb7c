//! With the `tracing` feature on, the request spans and everything logged beneath them never
//! show the token. (Its own test binary: tracing caches per-callsite interest process-wide, so
//! other tests hitting the same spans concurrently without a subscriber could hide them.)
#![cfg(feature = "tracing")]

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use common::{Reply, Server, TOKEN, client, docs, guard};

const API_KEY: &str = "apikey_5be1c0ffeeZZsecretZZ";

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn tracing_output_never_shows_the_token() {
    let captured = Captured::default();
    let sink = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::FULL)
        .with_ansi(false)
        .with_writer(move || sink.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    // A retried GET and a failing POST: every path through the transport.
    let server = Server::start(|_, n| {
        if n == 0 {
            Reply::json(503, "")
        } else if n == 1 {
            Reply::json(200, docs("made_webcam_booking_details.response.json"))
        } else {
            Reply::json(
                401,
                r#"{"Message":"Authorization has been denied for this request."}"#,
            )
        }
    })
    .await;
    let client = client(&server.base_url)
        .default_header("X-Api-Key", API_KEY)
        .build()
        .unwrap();
    guard(client.webcam_booking(1)).await.unwrap();
    guard(client.cancel_webcam_booking(1, "x"))
        .await
        .unwrap_err();
    assert_eq!(
        server.requests()[0].header("authorization"),
        format!("bearer {TOKEN}")
    );

    let text = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(
        text.contains("adultwork.request"),
        "the request span was recorded: {text}"
    );
    assert!(text.contains("get_made_webcam_booking_details"), "{text}");
    assert!(text.contains("cancel_made_webcam_booking"), "{text}");
    for secret in [TOKEN, API_KEY, "secretZZ"] {
        assert!(
            !text.contains(secret),
            "{secret} leaked into tracing output: {text}"
        );
    }
}
