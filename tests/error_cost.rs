//! What a hostile body costs in memory: the SDK reads it within the cap and builds its error
//! (or value) without blowing up the body into a tree many times its size.
//!
//! A counting global allocator tracks the bytes live in the whole process and their peak.
//! This file has a single test on a current-thread runtime, so nothing else allocates while
//! it measures; the servers run on the same thread, and their bodies are built before the
//! measurement starts. A memory bound, not a timing assertion.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use adultwork::{Client, Error, Format, RetryPolicy};
use bytes::Bytes;
use common::ops::webcam;
use common::{RawServer, read_counted};
use tokio::io::AsyncWriteExt;

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(n: usize) {
    let now = CURRENT.fetch_add(n, Ordering::Relaxed) + n;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

fn shrank(n: usize) {
    CURRENT.fetch_sub(n, Ordering::Relaxed);
}

// SAFETY: every call is forwarded to `System` unchanged; the counters only observe sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's guarantees.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's guarantees.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded with the caller's guarantees.
        unsafe { System.dealloc(ptr, layout) };
        shrank(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded with the caller's guarantees.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                grew(new_size - layout.size());
            } else {
                shrank(layout.size() - new_size);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const MIB: usize = 1 << 20;

/// A server that answers every request with `head` and `body` (shared, so answering copies
/// nothing), then closes.
async fn answering(status: &str, content_type: &str, body: Bytes) -> RawServer {
    let head = Bytes::from(format!(
        "HTTP/1.1 {status}\r\nConnection: close\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    ));
    RawServer::start(move |mut stream, _, requests| {
        let (head, body) = (head.clone(), body.clone());
        async move {
            if read_counted(&mut stream, &requests).await.is_some() {
                let _ = stream.write_all(&head).await;
                let _ = stream.write_all(&body).await;
                let _ = stream.flush().await;
                let _ = stream.shutdown().await;
            }
        }
    })
    .await
}

/// Exactly `len` bytes: `open`, `fill` repeated, `close`.
fn sized(open: &str, fill: &str, close: &str, len: usize) -> Bytes {
    let mut s = String::with_capacity(len);
    s.push_str(open);
    while s.len() + fill.len() + close.len() <= len {
        s.push_str(fill);
    }
    while s.len() + close.len() < len {
        s.push(' ');
    }
    s.push_str(close);
    assert_eq!(s.len(), len);
    Bytes::from(s)
}

/// `{"k0":0,"k1":0,...,"Message":"x"}` of `len` bytes.
fn wide_object(len: usize) -> Bytes {
    let mut s = String::from("{");
    let mut i = 0;
    let close = r#""Message":"x"}"#;
    while s.len() + 16 + close.len() < len {
        s.push_str(&format!("\"k{i}\":0,"));
        i += 1;
    }
    while s.len() + close.len() < len {
        s.push(' ');
    }
    s.push_str(close);
    Bytes::from(s)
}

/// One hostile answer and the call it goes to.
struct Case {
    name: &'static str,
    status: &'static str,
    content_type: &'static str,
    format: Format,
    post: bool,
    body: Bytes,
}

async fn call(client: &Client, post: bool) -> Result<(), Error> {
    if post {
        client.create_webcam_booking(webcam()).await.map(drop)
    } else {
        client.webcam_booking(1).await.map(drop)
    }
}

#[test]
fn building_an_error_from_a_hostile_body_costs_a_small_multiple_of_the_body() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let body = MIB;
    let xml_good = String::from_utf8(common::golden("webcam_booking_made.compact.xml")).unwrap();
    let root_end = xml_good.find('>').unwrap() + 1;
    let cases = vec![
        Case {
            name: "400 JSON, a 1 MiB array of zeros before the Message",
            status: "400 Bad Request",
            content_type: "application/json",
            format: Format::Json,
            post: false,
            body: sized(r#"{"A":[0"#, ",0", r#"],"Message":"x"}"#, body),
        },
        Case {
            name: "400 JSON, a 1 MiB object of keys before the Message",
            status: "400 Bad Request",
            content_type: "application/json",
            format: Format::Json,
            post: true,
            body: wide_object(body),
        },
        Case {
            name: "400 JSON, 1 MiB of [[[[ nesting",
            status: "400 Bad Request",
            content_type: "application/json",
            format: Format::Json,
            post: false,
            body: sized("", "[", "", body),
        },
        Case {
            name: "400 XML, 1 MiB of elements before the Message",
            status: "400 Bad Request",
            content_type: "application/xml",
            format: Format::Xml,
            post: false,
            body: sized(
                "<Error><A>",
                "<b>0</b>",
                "</A><Message>x</Message></Error>",
                body,
            ),
        },
        Case {
            name: "400 XML, 1 MiB of nesting before the Message",
            status: "400 Bad Request",
            content_type: "application/xml",
            format: Format::Xml,
            post: true,
            body: sized("<Error>", "<a>", "<Message>x</Message></Error>", body),
        },
        Case {
            name: "200 JSON GET, a 1 MiB array of zeros in an unknown field",
            status: "200 OK",
            content_type: "application/json",
            format: Format::Json,
            post: false,
            body: sized(r#"{"A":[0"#, ",0", "]}", body),
        },
        Case {
            name: "200 JSON POST, 1 MiB that does not decode (kept for the unknown outcome)",
            status: "200 OK",
            content_type: "application/json",
            format: Format::Json,
            post: true,
            body: sized(r#"[{"BookingID": 17, "A":[0"#, ",0", "", body),
        },
        Case {
            name: "200 XML GET, 1 MiB of unknown elements inside the booking",
            status: "200 OK",
            content_type: "application/xml",
            format: Format::Xml,
            post: false,
            body: {
                let open = format!("{}<Pad>", &xml_good[..root_end]);
                let close = format!("</Pad>{}", &xml_good[root_end..]);
                sized(&open, "<b>0</b>", &close, body)
            },
        },
    ];
    runtime.block_on(async {
        let mut prepared = Vec::new();
        for case in cases {
            let server = answering(case.status, case.content_type, case.body.clone()).await;
            let client = common::client(&server.base_url)
                .format(case.format)
                .max_body_size(4 * MIB)
                .retry(RetryPolicy::never())
                .timeout(Duration::from_secs(20))
                .build()
                .unwrap();
            // Warm up: the first call on a client sets up what every later call reuses.
            let _ = call(&client, case.post).await;
            prepared.push((case, server, client));
        }
        let mut report = Vec::new();
        let mut failures = Vec::new();
        for (case, server, client) in &prepared {
            let before = server.requests();
            let base = CURRENT.load(Ordering::Relaxed);
            PEAK.store(base, Ordering::Relaxed);
            let result = tokio::time::timeout(Duration::from_secs(30), call(client, case.post))
                .await
                .unwrap_or_else(|_| panic!("{}: hang guard", case.name));
            let peak = PEAK.load(Ordering::Relaxed) - base;
            let kept = CURRENT.load(Ordering::Relaxed).saturating_sub(base);
            assert_eq!(server.requests() - before, 1, "{}", case.name);
            let shown = match &result {
                Ok(()) => "Ok".to_string(),
                Err(e) => {
                    let s = e.to_string();
                    s[..s.len().min(100)].to_string()
                }
            };
            drop(result);
            report.push(format!(
                "{}: {} byte body, peak {} bytes ({:.2}x), {} bytes live after: {shown}",
                case.name,
                case.body.len(),
                peak,
                peak as f64 / case.body.len() as f64,
                kept
            ));
            let bound = 4 * case.body.len() + MIB;
            if peak > bound {
                failures.push(format!("{}: peak {peak} > bound {bound}", case.name));
            }
        }
        eprintln!("{}", report.join("\n"));
        assert!(
            failures.is_empty(),
            "peak allocation over 4 x body + 1 MiB while building the outcome:\n{}\n\nall cases:\n{}",
            failures.join("\n"),
            report.join("\n")
        );
    });
}
