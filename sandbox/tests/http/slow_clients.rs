//! Slow and greedy clients, over raw TCP: one that drips its headers, one that stalls or drips
//! its body, one that keeps an idle connection, one that never sends anything, and more
//! connections than the limit. Each is cut (or kept waiting) as configured; the times are
//! printed (`cargo test -p adultwork-sandbox --test http slow_clients -- --nocapture`) but
//! only checked against a generous guard, never against a tight bound.

use std::time::{Duration, Instant};

use adultwork_sandbox::{CLIENT_TOKEN, Clock, Sandbox, SandboxBuilder};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::common::*;

/// Longer than any timeout the tests set: a cut that has not happened by then is a hang.
const GUARD: Duration = Duration::from_secs(10);

/// A sandbox at [`t0`] with bookings, configured by `configure`.
async fn configured(configure: impl FnOnce(SandboxBuilder) -> SandboxBuilder) -> Sandbox {
    let sandbox = configure(Sandbox::builder().clock(Clock::fixed(t0())))
        .start()
        .await
        .unwrap();
    populate(&sandbox).await;
    sandbox
}

async fn connect(sandbox: &Sandbox) -> TcpStream {
    TcpStream::connect(sandbox.local_addr()).await.unwrap()
}

/// Reads until the server closes the connection (end of stream or reset); returns what it
/// sent. Panics if that takes longer than [`GUARD`].
async fn read_until_closed(stream: &mut TcpStream) -> Vec<u8> {
    let mut received = Vec::new();
    let mut buf = [0u8; 4096];
    let read = async {
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => received.extend_from_slice(&buf[..n]),
            }
        }
    };
    tokio::time::timeout(GUARD, read)
        .await
        .expect("the sandbox closed the connection before the guard");
    received
}

/// Reads one whole answer (head and `Content-Length` body) from a kept-alive connection.
async fn read_answer(stream: &mut TcpStream) -> String {
    let mut received = Vec::new();
    let mut buf = [0u8; 4096];
    let read = async {
        loop {
            let n = stream.read(&mut buf).await.unwrap();
            assert!(n > 0, "closed before the answer was complete");
            received.extend_from_slice(&buf[..n]);
            let text = String::from_utf8_lossy(&received);
            if let Some((head, body)) = text.split_once("\r\n\r\n") {
                let length: usize = head
                    .lines()
                    .find_map(|l| {
                        l.to_ascii_lowercase()
                            .strip_prefix("content-length:")
                            .map(|v| v.trim().parse().unwrap())
                    })
                    .unwrap_or(0);
                if body.len() >= length {
                    return text.to_string();
                }
            }
        }
    };
    tokio::time::timeout(GUARD, read).await.expect("an answer")
}

/// `GET /_sandbox/clock`, kept alive.
const CLOCK_REQUEST: &[u8] = b"GET /_sandbox/clock HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

#[tokio::test]
async fn a_client_dripping_its_headers_is_cut_at_the_header_timeout() {
    let sandbox = configured(|b| b.header_timeout(Duration::from_secs(1))).await;
    let mut stream = connect(&sandbox).await;
    let started = Instant::now();
    let (mut reader, mut writer) = stream.split();
    // One byte every 200 ms: a request line, then a header that never ends.
    let drip = async {
        let head = b"GET /_sandbox/clock HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Drip: ";
        for byte in head.iter().chain(std::iter::repeat(&b'a')) {
            if writer.write_all(&[*byte]).await.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    };
    let mut received = Vec::new();
    tokio::select! {
        () = drip => {}
        r = tokio::time::timeout(GUARD, reader.read_to_end(&mut received)) => {
            r.expect("the dripping client was cut before the guard").ok();
        }
    }
    let cut = started.elapsed();
    eprintln!(
        "figure: a client dripping 1 header byte / 200 ms was cut after {cut:?} (header timeout 1 s)"
    );
    assert!(
        received.is_empty(),
        "no answer: {}",
        String::from_utf8_lossy(&received)
    );
    // The sandbox still serves others.
    let mut other = connect(&sandbox).await;
    other.write_all(CLOCK_REQUEST).await.unwrap();
    assert!(read_answer(&mut other).await.starts_with("HTTP/1.1 200"));
    sandbox.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_connection_that_never_sends_a_request_is_cut_at_the_header_timeout() {
    let sandbox = configured(|b| {
        b.header_timeout(Duration::from_secs(1))
            .idle_timeout(Duration::from_secs(60))
    })
    .await;
    let mut stream = connect(&sandbox).await;
    let started = Instant::now();
    let received = read_until_closed(&mut stream).await;
    eprintln!(
        "figure: a silent new connection was cut after {:?} (header timeout 1 s)",
        started.elapsed()
    );
    assert!(received.is_empty());
    sandbox.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_client_stalling_or_dripping_its_body_gets_408_and_is_cut() {
    let sandbox = configured(|b| {
        b.header_timeout(Duration::from_secs(10))
            .body_timeout(Duration::from_secs(1))
    })
    .await;
    let before = (sandbox.state().snapshot(), sandbox.clock().now());
    // Stalls: the headers promise 200 bytes, 10 arrive.
    let mut stream = connect(&sandbox).await;
    let head = format!(
        "POST /v1/Webcam/CancelMadeBooking HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: bearer {CLIENT_TOKEN}\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{{\"Booking"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let started = Instant::now();
    let answer = String::from_utf8(read_until_closed(&mut stream).await).unwrap();
    let stalled = started.elapsed();
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("did not arrive within 1 s"), "{answer}");
    // Drips: one byte every 200 ms, to a control endpoint.
    let mut stream = connect(&sandbox).await;
    let started = Instant::now();
    let (mut reader, mut writer) = stream.split();
    writer
        .write_all(b"POST /_sandbox/webcam/2/reject HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n")
        .await
        .unwrap();
    let drip = async {
        loop {
            if writer.write_all(b" ").await.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    };
    let mut received = Vec::new();
    tokio::select! {
        () = drip => {}
        r = tokio::time::timeout(GUARD, reader.read_to_end(&mut received)) => {
            r.expect("the dripping body was cut before the guard").ok();
        }
    }
    let dripped = started.elapsed();
    let answer = String::from_utf8(received).unwrap();
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    eprintln!(
        "figure: a stalled body was answered 408 and closed after {stalled:?}, a body dripping \
         1 byte / 200 ms after {dripped:?} (body timeout 1 s)"
    );
    assert_eq!((sandbox.state().snapshot(), sandbox.clock().now()), before);
    sandbox.shutdown().await.unwrap();
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed_at_the_idle_timeout() {
    let sandbox = configured(|b| {
        b.header_timeout(Duration::from_secs(30))
            .idle_timeout(Duration::from_secs(1))
    })
    .await;
    let mut stream = connect(&sandbox).await;
    // Two requests on one connection (it is kept alive), then silence.
    for _ in 0..2 {
        stream.write_all(CLOCK_REQUEST).await.unwrap();
        let answer = read_answer(&mut stream).await;
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    }
    let started = Instant::now();
    let received = read_until_closed(&mut stream).await;
    eprintln!(
        "figure: an idle keep-alive connection was closed after {:?} (idle timeout 1 s)",
        started.elapsed()
    );
    assert!(
        received.is_empty(),
        "{}",
        String::from_utf8_lossy(&received)
    );
    sandbox.shutdown().await.unwrap();
}

#[tokio::test]
async fn connections_beyond_the_limit_wait_until_one_closes() {
    // No bookings made first: the HTTP client's pooled connection would take a slot.
    let sandbox = Sandbox::builder().max_connections(2).start().await.unwrap();
    // Two connections, each served once and kept open: both slots are taken.
    let mut held = Vec::new();
    for _ in 0..2 {
        let mut stream = connect(&sandbox).await;
        stream.write_all(CLOCK_REQUEST).await.unwrap();
        assert!(read_answer(&mut stream).await.starts_with("HTTP/1.1 200"));
        held.push(stream);
    }
    // A third connects (the operating system completes the handshake) but is not served.
    let mut third = connect(&sandbox).await;
    third.write_all(CLOCK_REQUEST).await.unwrap();
    let mut byte = [0u8; 1];
    let early = tokio::time::timeout(Duration::from_millis(500), third.read(&mut byte)).await;
    assert!(
        early.is_err(),
        "the third connection was served while two were open: {early:?}"
    );
    // One closes: the third is accepted and answered.
    let freed = Instant::now();
    drop(held.pop());
    let answer = read_answer(&mut third).await;
    eprintln!(
        "figure: with 2 connections allowed, the third was answered {:?} after one closed",
        freed.elapsed()
    );
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    // The one still held keeps working.
    held[0].write_all(CLOCK_REQUEST).await.unwrap();
    assert!(read_answer(&mut held[0]).await.starts_with("HTTP/1.1 200"));
    sandbox.shutdown().await.unwrap();
}

#[tokio::test]
async fn shutdown_closes_idle_connections_and_does_not_wait_for_slow_ones() {
    // A graceful shutdown closes kept-alive connections at once, and one stuck in its
    // headers cannot hold it past the grace period.
    let sandbox = configured(|b| b.header_timeout(Duration::from_secs(60))).await;
    let mut idle = connect(&sandbox).await;
    idle.write_all(CLOCK_REQUEST).await.unwrap();
    read_answer(&mut idle).await;
    let mut stuck = connect(&sandbox).await;
    stuck
        .write_all(b"GET /_sandbox/clock HTTP/1.1\r\nHost: 1")
        .await
        .unwrap();
    let started = Instant::now();
    tokio::time::timeout(GUARD, sandbox.shutdown())
        .await
        .expect("shutdown within the guard")
        .unwrap();
    eprintln!(
        "figure: shutdown with one idle and one half-sent connection took {:?}",
        started.elapsed()
    );
    read_until_closed(&mut idle).await;
    read_until_closed(&mut stuck).await;
}
