//! Helpers shared by the integration tests: the docs' samples and golden files, a recording
//! HTTP server, raw TCP servers for faults, and a client configured for tests.
//!
//! Every server binds 127.0.0.1:0 inside the test's own Tokio runtime, so it stops when the
//! test ends.
#![allow(dead_code)]

pub mod ops;
pub mod refused;
pub mod stream;

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use adultwork::{Client, ClientBuilder, RetryPolicy};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::Response;
use bytes::Bytes;
use chrono::{NaiveDate, NaiveDateTime};
use http::HeaderMap;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The access token every test client sends. Distinctive, so a leak is easy to spot.
pub const TOKEN: &str = "tok_9f2c41d7e8b3a5ZZsecretZZ6c0d";

/// A sample from the docs, copied verbatim into `tests/data/docs/`.
pub fn docs(name: &str) -> Vec<u8> {
    read(&format!("tests/data/docs/{name}"))
}

/// A golden file written by the real .NET `DataContractSerializer`.
pub fn golden(name: &str) -> Vec<u8> {
    read(&format!("tests/data/datacontract/{name}"))
}

fn read(relative: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    std::fs::read(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// `YYYY-MM-DD HH:MM` as a `NaiveDateTime` (test shorthand).
pub fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap_or_else(|e| panic!("{s}: {e}"))
}

/// A fixed "now" that makes the docs' request samples (February 2018) valid.
pub fn docs_now() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2018, 1, 15)
        .unwrap()
        .and_hms_opt(9, 0, 0)
        .unwrap()
}

/// A client for `base_url` with the test token, a fixed clock, fast retries and a generous
/// timeout that only guards against hangs.
pub fn client(base_url: &str) -> ClientBuilder {
    Client::builder()
        .base_url(base_url)
        .token(TOKEN)
        .clock(docs_now)
        .retry(RetryPolicy::exponential(3).base_delay(Duration::from_millis(1)))
        .timeout(Duration::from_secs(20))
}

/// Fails the test instead of hanging forever. Never a timing assertion: the limit is far
/// above what any of these calls needs.
pub async fn guard<F: Future>(f: F) -> F::Output {
    tokio::time::timeout(Duration::from_secs(30), f)
        .await
        .expect("the call did not finish within 30 s (hang guard)")
}

/// [`guard`] with a shorter limit and the call named in the failure: for the fault and
/// hostile-peer matrices, which make many calls per test. Never a timing assertion either.
pub async fn guard_named<F: Future>(what: &str, f: F) -> F::Output {
    tokio::time::timeout(Duration::from_secs(20), f)
        .await
        .unwrap_or_else(|_| panic!("{what}: no answer within 20 s (hang guard)"))
}

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl Recorded {
    /// The header's value, which must be present exactly once.
    pub fn header(&self, name: &str) -> &str {
        let values: Vec<_> = self.headers.get_all(name).iter().collect();
        assert_eq!(
            values.len(),
            1,
            "header {name} should be sent exactly once: {values:?}"
        );
        values[0].to_str().unwrap()
    }

    /// The query string as sorted `(name, value)` pairs.
    pub fn query_pairs(&self) -> Vec<(String, String)> {
        let mut pairs: Vec<(String, String)> = self
            .query
            .as_deref()
            .unwrap_or("")
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                (k.to_string(), v.to_string())
            })
            .collect();
        pairs.sort();
        pairs
    }

    /// The body as a JSON value.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("the request body is JSON")
    }
}

/// What the recording server answers.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub content_type: Option<&'static str>,
    pub headers: Vec<(&'static str, String)>,
    pub body: Bytes,
}

impl Reply {
    pub fn json(status: u16, body: impl Into<Bytes>) -> Self {
        Self::new(status, Some("application/json; charset=utf-8"), body)
    }

    pub fn xml(status: u16, body: impl Into<Bytes>) -> Self {
        Self::new(status, Some("application/xml; charset=utf-8"), body)
    }

    pub fn new(status: u16, content_type: Option<&'static str>, body: impl Into<Bytes>) -> Self {
        Self {
            status,
            content_type,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }
}

type Responder = dyn Fn(&Recorded, usize) -> Reply + Send + Sync;

struct Shared {
    log: Mutex<Vec<Recorded>>,
    respond: Box<Responder>,
}

/// An HTTP server that records every request and answers through a closure that sees the
/// request and its 0-based number.
pub struct Server {
    pub base_url: String,
    shared: Arc<Shared>,
}

impl Server {
    pub async fn start(
        respond: impl Fn(&Recorded, usize) -> Reply + Send + Sync + 'static,
    ) -> Self {
        let shared = Arc::new(Shared {
            log: Mutex::new(Vec::new()),
            respond: Box::new(respond),
        });
        let app = axum::Router::new()
            .fallback(handle)
            .with_state(shared.clone());
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Self { base_url, shared }
    }

    /// A server that gives every request the same answer.
    pub async fn always(reply: Reply) -> Self {
        Self::start(move |_, _| reply.clone()).await
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.shared.log.lock().unwrap().clone()
    }

    pub fn count(&self) -> usize {
        self.shared.log.lock().unwrap().len()
    }

    /// The only request received.
    pub fn single(&self) -> Recorded {
        let log = self.requests();
        assert_eq!(
            log.len(),
            1,
            "expected exactly one request, got {}",
            log.len()
        );
        log.into_iter().next().unwrap()
    }
}

async fn handle(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let recorded = Recorded {
        method: parts.method.to_string(),
        path: parts.uri.path().to_string(),
        query: parts.uri.query().map(str::to_string),
        headers: parts.headers,
        body,
    };
    let n = {
        let mut log = shared.log.lock().unwrap();
        log.push(recorded.clone());
        log.len() - 1
    };
    let reply = (shared.respond)(&recorded, n);
    let mut response = Response::builder().status(reply.status);
    if let Some(ct) = reply.content_type {
        response = response.header("content-type", ct);
    }
    for (name, value) in reply.headers {
        response = response.header(name, value);
    }
    response.body(Body::from(reply.body)).unwrap()
}

/// A TCP server that hands each accepted connection, its 0-based number and a shared request
/// counter to `behave`, for faults an HTTP framework will not produce.
pub struct RawServer {
    pub base_url: String,
    connections: Arc<AtomicUsize>,
    requests: Arc<AtomicUsize>,
}

impl RawServer {
    pub async fn start<F, Fut>(behave: F) -> Self
    where
        F: Fn(TcpStream, usize, Arc<AtomicUsize>) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let connections = Arc::new(AtomicUsize::new(0));
        let requests = Arc::new(AtomicUsize::new(0));
        let (c, r) = (connections.clone(), requests.clone());
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let n = c.fetch_add(1, Ordering::SeqCst);
                tokio::spawn(behave(stream, n, r.clone()));
            }
        });
        Self {
            base_url: format!("http://127.0.0.1:{port}"),
            connections,
            requests,
        }
    }

    /// Connections accepted so far.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    /// Requests the behaviour counted.
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

/// Reads one request and counts it; `None` if the peer closed first.
pub async fn read_counted(
    stream: &mut TcpStream,
    requests: &AtomicUsize,
) -> Option<(String, Vec<u8>)> {
    let request = read_request(stream).await?;
    requests.fetch_add(1, Ordering::SeqCst);
    Some(request)
}

/// Reads one HTTP/1.1 request (head and `Content-Length` body); `None` if the peer closed first.
pub async fn read_request(stream: &mut TcpStream) -> Option<(String, Vec<u8>)> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let length = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse::<usize>().ok())?
        })
        .unwrap_or(0);
    let mut body = buf[head_end..].to_vec();
    while body.len() < length {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Some((head, body))
}

/// Writes a complete HTTP/1.1 response with a `Content-Length`.
pub async fn write_response(stream: &mut TcpStream, status: &str, content_type: &str, body: &[u8]) {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes()).await;
    let _ = stream.write_all(body).await;
    let _ = stream.flush().await;
}

/// A base URL where nothing listens: a port that was bound and released.
pub async fn closed_port_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

/// The value at a JSON pointer, which must exist.
pub fn at_pointer<'a>(v: &'a serde_json::Value, pointer: &str) -> &'a serde_json::Value {
    v.pointer(pointer)
        .unwrap_or_else(|| panic!("{pointer} missing in {v}"))
}

/// `base` with `changes` merged in (a `null` change removes the field).
pub fn with(mut base: serde_json::Value, changes: serde_json::Value) -> serde_json::Value {
    for (k, v) in changes.as_object().unwrap() {
        if v.is_null() {
            base.as_object_mut().unwrap().remove(k);
        } else {
            base[k] = v.clone();
        }
    }
    base
}
