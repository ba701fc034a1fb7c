//! Hostile peers: servers that redirect, send bodies that never end, misbehave over HTTP/2,
//! echo the token in every escaping, answer with a megabyte of terminal escapes, or break a
//! POST after receiving it. Each test names the behaviour it checks (design §6a, trust
//! boundaries):
//!
//! - a POST is written to the wire at most once, a redirect is never followed for it, and
//!   when its outcome is unknown the error says so;
//! - a GET follows a redirect only to its own origin, and another origin never receives
//!   anything;
//! - bodies are capped whatever the framing, and the client hangs up instead of reading on;
//! - server text in an error is bounded, one line, free of control characters, and an echoed
//!   token is redacted however it was escaped.
//!
//! Every server is raw TCP (or raw HTTP/2) on 127.0.0.1 inside the test's runtime, so it stops
//! with the test. Every await is under a hang guard; nothing asserts on time.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use adultwork::{Client, Error, Format, MAX_SHOWN_MESSAGE, RetryPolicy};
use bytes::Bytes;
use common::ops::{ALL, Op, POSTS, join_all};
use common::stream::{Framing, Streamed, Streaming, streaming_server};
use common::{RawServer, TOKEN, guard_named, read_counted};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc::UnboundedReceiver;

/// The `default_header` every redirect client sends; it must never reach another origin.
const API_KEY: &str = "key_7eSECRETheader";
/// A second token, with the character JSON may escape as `\/` and a URL as `%2F`.
const SLASH_TOKEN: &str = "tok/with/slash_SECRET9";
/// The response-body cap of the framing tests.
const CAP: usize = 64 * 1024;
/// Attempts a GET may make.
const GET_ATTEMPTS: u32 = 3;

// ---------------------------------------------------------------------------------------------
// Raw HTTP/1.1 helpers
// ---------------------------------------------------------------------------------------------

/// A complete response with `Content-Length` that closes the connection.
fn response(status: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut h = format!("HTTP/1.1 {status}\r\nConnection: close\r\n");
    for (name, value) in headers {
        h.push_str(&format!("{name}: {value}\r\n"));
    }
    h.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    let mut bytes = h.into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

/// `"301 Moved Permanently"` and so on.
fn status_line(code: u16) -> String {
    let reason = http::StatusCode::from_u16(code)
        .unwrap()
        .canonical_reason()
        .unwrap_or("Whatever");
    format!("{code} {reason}")
}

/// The value of header `name` in a raw request head (the first, if repeated).
fn header_in<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().skip(1).find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.trim().eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

/// The request target of a raw request head.
fn path_of(head: &str) -> &str {
    head.split_whitespace().nth(1).unwrap_or("")
}

/// A server that answers every connection with the same bytes, then closes.
async fn answering(bytes: Vec<u8>) -> RawServer {
    let bytes = Arc::new(bytes);
    RawServer::start(move |mut stream, _, requests| {
        let bytes = bytes.clone();
        async move {
            if read_counted(&mut stream, &requests).await.is_some() {
                let _ = stream.write_all(&bytes).await;
                let _ = stream.flush().await;
                let _ = stream.shutdown().await;
            }
        }
    })
    .await
}

/// `host:port` of a server's base URL.
fn authority(base_url: &str) -> &str {
    base_url.strip_prefix("http://").unwrap()
}

// ---------------------------------------------------------------------------------------------
// 1. Redirects
// ---------------------------------------------------------------------------------------------

/// A server that answers `/again...` with a valid booking and everything else with `status`
/// and the `Location` set in `location` (none when it holds `None`). It keeps every request
/// head it read.
struct Redirecting {
    server: RawServer,
    heads: Arc<Mutex<Vec<String>>>,
    location: Arc<OnceLock<Option<String>>>,
}

impl Redirecting {
    async fn start(status: u16) -> Self {
        let heads: Arc<Mutex<Vec<String>>> = Arc::default();
        let location: Arc<OnceLock<Option<String>>> = Arc::default();
        let (log, loc) = (heads.clone(), location.clone());
        let server = RawServer::start(move |mut stream, _, requests| {
            let (log, loc) = (log.clone(), loc.clone());
            async move {
                let Some((head, _)) = read_counted(&mut stream, &requests).await else {
                    return;
                };
                let path = path_of(&head).to_string();
                log.lock().unwrap().push(head);
                let bytes = if path.starts_with("/again") {
                    response(
                        "200 OK",
                        &[("Content-Type", "application/json; charset=utf-8")],
                        &Op::good_for_path(""),
                    )
                } else {
                    let mut headers = vec![("Content-Type", "text/plain")];
                    if let Some(Some(l)) = loc.get() {
                        headers.push(("Location", l.as_str()));
                    }
                    response(&status_line(status), &headers, b"moved")
                };
                let _ = stream.write_all(&bytes).await;
                let _ = stream.flush().await;
                let _ = stream.shutdown().await;
            }
        })
        .await;
        Self {
            server,
            heads,
            location,
        }
    }

    fn heads(&self) -> Vec<String> {
        self.heads.lock().unwrap().clone()
    }
}

/// Where a redirect points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    /// `/again` on the same server.
    Relative,
    /// `http://127.0.0.1:{same port}/again`.
    SameAbsolute,
    /// `http://127.0.0.1:{other port}/again`: another server.
    OtherOrigin,
    /// `http://localhost:{same port}/again`: the same socket under another host name, which
    /// is another origin.
    OtherHostSamePort,
    /// `//127.0.0.1:{other port}/again`: a relative reference that changes the host.
    SchemeRelative,
    /// `/\127.0.0.1:{other port}/again`: URL parsers read `\` as `/` here.
    Backslash,
    /// `http://127.0.0.1:{same port}@127.0.0.1:{other port}/again`: the same authority as
    /// user info, then another host.
    UserInfo,
    /// No `Location` at all.
    NoLocation,
}

const TARGETS: [Target; 8] = [
    Target::Relative,
    Target::SameAbsolute,
    Target::OtherOrigin,
    Target::OtherHostSamePort,
    Target::SchemeRelative,
    Target::Backslash,
    Target::UserInfo,
    Target::NoLocation,
];

impl Target {
    fn location(self, own: &str, other: &str) -> Option<String> {
        let own_port = own.rsplit(':').next().unwrap();
        Some(match self {
            Target::Relative => "/again".to_string(),
            Target::SameAbsolute => format!("http://{own}/again"),
            Target::OtherOrigin => format!("http://{other}/again"),
            Target::OtherHostSamePort => format!("http://localhost:{own_port}/again"),
            Target::SchemeRelative => format!("//{other}/again"),
            Target::Backslash => format!("/\\{other}/again"),
            Target::UserInfo => format!("http://{own}@{other}/again"),
            Target::NoLocation => return None,
        })
    }

    fn same_origin(self) -> bool {
        matches!(self, Target::Relative | Target::SameAbsolute)
    }
}

/// How the redirect test builds its clients.
#[derive(Debug, Clone, Copy)]
enum HttpKind {
    /// The SDK builds its own HTTP client.
    Sdk,
    /// `adultwork::http_client_builder().build()` passed to `ClientBuilder::http_client`.
    SdkBuilder,
}

async fn redirect_matrix(kind: HttpKind) {
    let shared = adultwork::http_client_builder().build().unwrap();
    for code in [301u16, 302, 303, 307, 308] {
        for target in TARGETS {
            let own = Redirecting::start(code).await;
            let other = Redirecting::start(code).await;
            let location = target.location(
                authority(&own.server.base_url),
                authority(&other.server.base_url),
            );
            own.location.set(location.clone()).unwrap();
            other.location.set(Some("/again".into())).unwrap();
            let mut builder = common::client(&own.server.base_url)
                .default_header("X-Api-Key", API_KEY)
                .timeout(Duration::from_secs(5));
            if let HttpKind::SdkBuilder = kind {
                builder = builder.http_client(shared.clone());
            }
            let client = builder.build().unwrap();
            for op in ALL {
                let what = format!("{kind:?} / {code} / {target:?} {location:?} / {op:?}");
                let before = own.server.requests();
                let connections_before = own.server.connections();
                let result = guard_named(&what, op.call(&client)).await;
                let requests = own.server.requests() - before;
                let connections = own.server.connections() - connections_before;
                let heads = own.heads();
                let first = &heads[before];
                // The first request carried the token (and, from the SDK's own client, the
                // default header).
                assert_eq!(
                    header_in(first, "authorization"),
                    Some(format!("bearer {TOKEN}").as_str()),
                    "{what}: {first}"
                );
                if let HttpKind::Sdk = kind {
                    assert_eq!(header_in(first, "x-api-key"), Some(API_KEY), "{what}");
                }
                if !op.is_post() && target.same_origin() {
                    assert!(result.is_ok(), "{what}: not followed: {result:?}");
                    assert_eq!(requests, 2, "{what}: requests");
                    let again = &heads[before + 1];
                    assert!(path_of(again).starts_with("/again"), "{what}: {again}");
                    assert_eq!(
                        header_in(again, "authorization"),
                        header_in(first, "authorization"),
                        "{what}: the redirected request lost the token"
                    );
                    assert_eq!(
                        header_in(again, "x-api-key"),
                        header_in(first, "x-api-key"),
                        "{what}: the redirected request lost the default header"
                    );
                } else {
                    let err = result.expect_err(&what);
                    match &err {
                        Error::Redirect {
                            status,
                            location: got,
                        } => {
                            assert_eq!(status.as_u16(), code, "{what}: {err:?}");
                            match (&location, got) {
                                (None, None) => {}
                                (Some(sent), Some(got)) => {
                                    // Exactly as sent, or resolved against the request URL.
                                    let resolved = reqwest::Url::parse(&own.server.base_url)
                                        .unwrap()
                                        .join(sent)
                                        .map(String::from)
                                        .ok();
                                    let plain = matches!(
                                        target,
                                        Target::Relative
                                            | Target::SameAbsolute
                                            | Target::OtherOrigin
                                            | Target::OtherHostSamePort
                                    );
                                    assert!(
                                        !plain
                                            || got == sent
                                            || Some(got.as_str()) == resolved.as_deref(),
                                        "{what}: location {got:?}, sent {sent:?}"
                                    );
                                }
                                _ => panic!("{what}: location {got:?}, sent {location:?}"),
                            }
                        }
                        _ => panic!("{what}: expected Error::Redirect, got {err:?}"),
                    }
                    assert!(!err.is_before_sending(), "{what}");
                    assert!(!err.outcome_unknown(), "{what}: a 3xx is an answer");
                    let shown = format!("{err} {err:?}");
                    assert!(!shown.contains(TOKEN) && !shown.contains(API_KEY), "{what}");
                    assert_eq!(requests, 1, "{what}: requests to the first server");
                    assert_eq!(connections, 1, "{what}: connections to the first server");
                }
                assert_eq!(
                    other.server.connections(),
                    0,
                    "{what}: the other origin was contacted"
                );
            }
        }
    }
}

#[tokio::test]
async fn a_post_never_follows_a_redirect_and_a_get_follows_only_to_its_own_origin() {
    redirect_matrix(HttpKind::Sdk).await;
}

#[tokio::test]
async fn the_redirect_rules_hold_with_a_client_from_http_client_builder() {
    redirect_matrix(HttpKind::SdkBuilder).await;
}

#[tokio::test]
async fn a_get_follows_at_most_five_same_origin_redirects() {
    // Every answer is a redirect to the same server, forever.
    let own = Redirecting::start(302).await;
    own.location
        .set(Some("/loop".into()))
        .expect("set once before any request");
    let client = common::client(&own.server.base_url).build().unwrap();
    let err = guard_named("redirect loop", client.webcam_booking(1))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Redirect { status, .. } if status.as_u16() == 302),
        "{err:?}"
    );
    let requests = own.server.requests();
    // The first request and up to five hops.
    assert!((2..=6).contains(&requests), "{requests} requests");
    eprintln!("redirect loop: {requests} requests before Error::Redirect");
}

/// A first server that answers 307 to another origin, which answers 200 with a valid body.
async fn redirect_to_a_valid_answer() -> (Redirecting, Redirecting) {
    let own = Redirecting::start(307).await;
    let other = Redirecting::start(307).await;
    own.location
        .set(Some(format!("{}/again", other.server.base_url)))
        .unwrap();
    other.location.set(Some("/again".into())).unwrap();
    (own, other)
}

// With an HTTP client the SDK did not configure (here `reqwest::Client::new()`, which follows
// redirects itself and may replay requests), the SDK can only notice afterwards that the
// answer came from elsewhere: the request has already been re-sent. The at-most-once promise
// is then the user's responsibility; the SDK's part is never to accept that answer as the
// outcome of the call.
#[tokio::test]
async fn a_post_redirected_by_a_foreign_http_client_is_not_accepted_as_answered() {
    for op in POSTS {
        let (own, other) = redirect_to_a_valid_answer().await;
        let client = common::client(&own.server.base_url)
            .http_client(reqwest::Client::new())
            .build()
            .unwrap();
        let result = guard_named("plain reqwest POST 307", op.call(&client)).await;
        let err = result.expect_err(&format!(
            "{op:?}: the answer of another origin was accepted"
        ));
        assert!(
            matches!(err, Error::OutcomeUnknown { .. } | Error::Redirect { .. }),
            "{op:?}: {err:?}"
        );
        assert!(!err.is_before_sending(), "{op:?}");
        assert_eq!(own.server.requests(), 1, "{op:?}");
        // reqwest removes `Authorization` when a redirect changes host or port.
        for head in other.heads() {
            assert!(!head.contains(TOKEN), "{op:?}: the token went to {head}");
        }
    }
}

#[tokio::test]
async fn a_get_redirected_by_a_foreign_http_client_to_another_origin_is_not_accepted() {
    for op in [Op::Details, Op::GroupDetails] {
        let (own, other) = redirect_to_a_valid_answer().await;
        let client = common::client(&own.server.base_url)
            .http_client(reqwest::Client::new())
            .build()
            .unwrap();
        let result = guard_named("plain reqwest GET 307", op.call(&client)).await;
        let err = result.expect_err(&format!(
            "{op:?}: the answer of another origin was accepted"
        ));
        // A GET's outcome is never "unknown": it changes nothing and may be sent again.
        assert!(
            matches!(err, Error::Redirect { .. } | Error::Transport { .. }),
            "{op:?}: {err:?}"
        );
        assert!(!err.outcome_unknown(), "{op:?}: {err:?}");
        for head in other.heads() {
            assert!(!head.contains(TOKEN), "{op:?}: the token went to {head}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 2. Endless bodies, every framing
// ---------------------------------------------------------------------------------------------

/// What the endless answer is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answer {
    Json200,
    Xml200,
    Json400,
}

/// The most a server writes before giving up on a client that keeps reading.
const WRITE_LIMIT: usize = 32 << 20;
/// What fits in the two sockets' buffers: a client that stopped reading lets the server
/// write no more than this.
const BUFFERED: usize = 16 << 20;
/// The `Content-Length` of an endless body: 1 TiB.
const ONE_TIB: u64 = 1 << 40;

/// A server that answers `answer` with a body that never ends, framed by `framing`.
async fn endless_server(
    framing: Framing,
    answer: Answer,
) -> (RawServer, UnboundedReceiver<Streamed>) {
    let (status, content_type, prefix): (_, _, &'static [u8]) = match answer {
        Answer::Json200 => ("200 OK", "application/json", br#"{"Status":""#),
        Answer::Xml200 => ("200 OK", "application/xml", b"<WebcamBooking><Status>"),
        Answer::Json400 => ("400 Bad Request", "application/json", br#"{"Message":""#),
    };
    streaming_server(Streaming {
        status,
        content_type,
        framing,
        prefix,
        fill: b'a',
        limit: WRITE_LIMIT,
    })
    .await
}

async fn endless_bodies_are_cut(framing: Framing) {
    let plan: [(Answer, &[Op]); 3] = [
        (Answer::Json200, &ALL),
        (Answer::Xml200, &[Op::Details, Op::CreatePhoneChat]),
        (Answer::Json400, &[Op::GroupDetails, Op::Cancel]),
    ];
    let both = framing == Framing::LengthAndChunked;
    for (answer, ops) in plan {
        let (server, mut reports) = endless_server(framing, answer).await;
        let client = common::client(&server.base_url)
            .format(if answer == Answer::Xml200 {
                Format::Xml
            } else {
                Format::Json
            })
            .max_body_size(CAP)
            .build()
            .unwrap();
        for &op in ops {
            let what = format!("{framing:?} / {answer:?} / {op:?}");
            let before = server.requests();
            let result = guard_named(&what, op.call(&client)).await;
            let err = result.expect_err(&what);
            let too_large = |e: &Error| matches!(e, Error::BodyTooLarge { limit } if *limit == CAP);
            let ok = match (answer, op.is_post()) {
                (Answer::Json400, post) => {
                    matches!(&err, Error::Api { status, .. } if status.as_u16() == 400)
                        // hyper may refuse a head with both framings.
                        || (both && post && err.outcome_unknown())
                        || (both && matches!(err, Error::Transport { .. }))
                }
                (_, false) => too_large(&err) || (both && matches!(err, Error::Transport { .. })),
                (_, true) => match &err {
                    Error::OutcomeUnknown { cause, .. } => {
                        too_large(cause)
                            || (both && matches!(cause.as_ref(), Error::Transport { .. }))
                    }
                    Error::Transport { .. } => both,
                    _ => false,
                },
            };
            assert!(ok, "{what}: {err:?}");
            assert!(!err.is_before_sending(), "{what}");
            let text = err.to_string();
            assert!(
                !text.contains('\n') && text.len() < 2000,
                "{what}: {text:?}"
            );
            assert_eq!(server.requests() - before, 1, "{what}: attempts");
            let seen = guard_named(
                &format!("{what}: the server never saw the client hang up"),
                reports.recv(),
            )
            .await
            .unwrap();
            eprintln!(
                "{what}: {} bytes written before the client hung up ({:?})",
                seen.written, seen.error
            );
            assert!(
                seen.written < BUFFERED && seen.error.is_some(),
                "{what}: the client kept reading: {seen:?}"
            );
        }
    }
}

#[tokio::test]
async fn an_endless_body_declared_by_content_length_is_cut_at_the_cap() {
    endless_bodies_are_cut(Framing::Length(ONE_TIB)).await;
}

#[tokio::test]
async fn an_endless_chunked_body_is_cut_at_the_cap() {
    endless_bodies_are_cut(Framing::Chunked).await;
}

#[tokio::test]
async fn an_endless_body_with_both_content_length_and_chunked_is_cut_at_the_cap() {
    endless_bodies_are_cut(Framing::LengthAndChunked).await;
}

#[tokio::test]
async fn an_endless_close_delimited_body_is_cut_at_the_cap() {
    endless_bodies_are_cut(Framing::UntilClose).await;
}

// ---------------------------------------------------------------------------------------------
// 3. HTTP/2
// ---------------------------------------------------------------------------------------------

/// What the HTTP/2 server does with each request stream, after counting it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum H2 {
    /// `RST_STREAM(REFUSED_STREAM)`: "not processed, safe to retry" (a lie here).
    Refuse,
    /// `RST_STREAM(INTERNAL_ERROR)`.
    Internal,
    /// `GOAWAY(last stream, NO_ERROR)`, then the connection closes.
    GoAway,
    /// A graceful shutdown: `GOAWAY(2^31-1, NO_ERROR)`, a ping, `GOAWAY(last, NO_ERROR)`; the
    /// stream is dropped unanswered.
    Graceful,
    /// Raw frames: `GOAWAY(last stream 0, NO_ERROR)`, which claims no stream was processed
    /// (a lie: it was counted), then the connection closes.
    LyingGoAway,
    /// A normal 200 answer.
    Answer,
}

/// An HTTP/2 (prior knowledge, cleartext) server; returns its base URL and the count of
/// request streams it received over all connections.
async fn h2_server(behaviour: H2) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    let streams = Arc::new(AtomicUsize::new(0));
    let counted = streams.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let counted = counted.clone();
            tokio::spawn(async move {
                if behaviour == H2::LyingGoAway {
                    lying_goaway(socket, &counted).await;
                    return;
                }
                let Ok(mut conn) = h2::server::handshake(socket).await else {
                    return;
                };
                let mut held = Vec::new();
                while let Some(Ok((request, mut respond))) = conn.accept().await {
                    counted.fetch_add(1, Ordering::SeqCst);
                    match behaviour {
                        H2::Refuse => respond.send_reset(h2::Reason::REFUSED_STREAM),
                        H2::Internal => respond.send_reset(h2::Reason::INTERNAL_ERROR),
                        H2::GoAway => {
                            conn.abrupt_shutdown(h2::Reason::NO_ERROR);
                            held.push((request, respond));
                        }
                        H2::Graceful => conn.graceful_shutdown(),
                        H2::Answer => {
                            let body = Op::good_for_path(request.uri().path());
                            let head = http::Response::builder()
                                .status(200)
                                .header("content-type", "application/json; charset=utf-8")
                                .body(())
                                .unwrap();
                            if let Ok(mut send) = respond.send_response(head, false) {
                                let _ = send.send_data(Bytes::from(body), true);
                            }
                        }
                        H2::LyingGoAway => unreachable!(),
                    }
                }
            });
        }
    });
    (base_url, streams)
}

/// One HTTP/2 frame.
fn h2_frame(kind: u8, flags: u8, stream: u32, payload: &[u8]) -> Vec<u8> {
    let len = payload.len() as u32;
    let mut f = len.to_be_bytes()[1..].to_vec();
    f.push(kind);
    f.push(flags);
    f.extend_from_slice(&stream.to_be_bytes());
    f.extend_from_slice(payload);
    f
}

/// Speaks just enough HTTP/2 to receive a request's `HEADERS`, count it, and answer
/// `GOAWAY(last stream 0, NO_ERROR)`.
async fn lying_goaway(mut socket: TcpStream, counted: &AtomicUsize) {
    const SETTINGS: u8 = 0x4;
    const HEADERS: u8 = 0x1;
    const GOAWAY: u8 = 0x7;
    let mut preface = [0u8; 24];
    if socket.read_exact(&mut preface).await.is_err() {
        return;
    }
    if socket
        .write_all(&h2_frame(SETTINGS, 0, 0, &[]))
        .await
        .is_err()
    {
        return;
    }
    loop {
        let mut header = [0u8; 9];
        if socket.read_exact(&mut header).await.is_err() {
            return;
        }
        let len = u32::from_be_bytes([0, header[0], header[1], header[2]]) as usize;
        let mut payload = vec![0; len];
        if socket.read_exact(&mut payload).await.is_err() {
            return;
        }
        match header[3] {
            SETTINGS if header[4] & 0x1 == 0 => {
                let _ = socket.write_all(&h2_frame(SETTINGS, 0x1, 0, &[])).await;
            }
            HEADERS => {
                counted.fetch_add(1, Ordering::SeqCst);
                let _ = socket.write_all(&h2_frame(GOAWAY, 0, 0, &[0; 8])).await;
                let _ = socket.flush().await;
                let _ = socket.shutdown().await;
                return;
            }
            _ => {}
        }
    }
}

fn h2_client() -> reqwest::Client {
    adultwork::http_client_builder()
        .http2_prior_knowledge()
        .build()
        .unwrap()
}

async fn over_http2(behaviour: H2) {
    let http = h2_client();
    for op in ALL {
        let what = format!("{behaviour:?} / {op:?}");
        let (base_url, streams) = h2_server(behaviour).await;
        let client = common::client(&base_url)
            .http_client(http.clone())
            .retry(RetryPolicy::exponential(GET_ATTEMPTS).base_delay(Duration::from_millis(1)))
            .build()
            .unwrap();
        let result = guard_named(&what, op.call(&client)).await;
        let count = streams.load(Ordering::SeqCst);
        if behaviour == H2::Answer {
            assert!(result.is_ok(), "{what}: {result:?}");
            assert_eq!(count, 1, "{what}");
            continue;
        }
        let err = result.expect_err(&what);
        // REFUSED_STREAM promises that nothing was processed (RFC 9113 §8.7): a POST gets a
        // plain transport error and a GET is retried. Every other reset or GOAWAY leaves a
        // POST's outcome unknown, and a GET is not retried (it might have been answered).
        let refused = behaviour == H2::Refuse;
        if op.is_post() {
            assert_eq!(
                count, 1,
                "{what}: the POST reached the server {count} times"
            );
            assert!(!err.is_before_sending(), "{what}: {err:?}");
            assert_eq!(err.outcome_unknown(), !refused, "{what}: {err:?}");
            if refused {
                assert!(matches!(err, Error::Transport { .. }), "{what}: {err:?}");
            }
        } else {
            let expected = if refused { GET_ATTEMPTS as usize } else { 1 };
            assert_eq!(count, expected, "{what}: attempts");
        }
        eprintln!("{what}: {count} stream(s), {err}");
    }
}

#[tokio::test]
async fn over_http2_a_refused_stream_is_not_sent_again() {
    over_http2(H2::Refuse).await;
}

#[tokio::test]
async fn over_http2_an_internal_error_reset_is_not_sent_again() {
    over_http2(H2::Internal).await;
}

#[tokio::test]
async fn over_http2_a_goaway_is_not_sent_again() {
    over_http2(H2::GoAway).await;
}

#[tokio::test]
async fn over_http2_a_graceful_shutdown_is_not_sent_again() {
    over_http2(H2::Graceful).await;
}

#[tokio::test]
async fn over_http2_a_goaway_claiming_nothing_was_processed_is_not_sent_again() {
    over_http2(H2::LyingGoAway).await;
}

#[tokio::test]
async fn over_http2_a_normal_answer_works() {
    over_http2(H2::Answer).await;
}

// ---------------------------------------------------------------------------------------------
// 4. Echoed secrets, every escaping
// ---------------------------------------------------------------------------------------------

/// One escaping: how each character of a secret is written.
type Escape = fn(usize, char) -> String;

fn literal(_: usize, c: char) -> String {
    c.to_string()
}
fn json_u_lower(_: usize, c: char) -> String {
    format!("\\u{:04x}", c as u32)
}
fn json_u_upper(_: usize, c: char) -> String {
    format!("\\u{:04X}", c as u32)
}
fn json_partly(i: usize, c: char) -> String {
    if i.is_multiple_of(2) {
        json_u_lower(i, c)
    } else {
        c.to_string()
    }
}
fn json_slash(_: usize, c: char) -> String {
    if c == '/' {
        "\\/".into()
    } else {
        c.to_string()
    }
}
fn json_slash_and_upper(i: usize, c: char) -> String {
    if c == '/' {
        "\\/".into()
    } else if i.is_multiple_of(3) {
        json_u_upper(i, c)
    } else {
        c.to_string()
    }
}
fn xml_decimal(_: usize, c: char) -> String {
    format!("&#{};", c as u32)
}
fn xml_hex_lower(_: usize, c: char) -> String {
    format!("&#x{:x};", c as u32)
}
fn xml_hex_upper(_: usize, c: char) -> String {
    format!("&#x{:X};", c as u32)
}
fn xml_mixed(i: usize, c: char) -> String {
    match i % 3 {
        0 => xml_decimal(i, c),
        1 => xml_hex_lower(i, c),
        _ => c.to_string(),
    }
}
fn pct_lower(_: usize, c: char) -> String {
    format!("%{:02x}", c as u32)
}
fn pct_upper(_: usize, c: char) -> String {
    format!("%{:02X}", c as u32)
}
fn pct_partly(i: usize, c: char) -> String {
    if c == '/' || i % 2 == 1 {
        pct_upper(i, c)
    } else {
        c.to_string()
    }
}

const JSON_ESCAPES: [(&str, Escape); 6] = [
    ("literal", literal),
    ("\\u00xx", json_u_lower),
    ("\\u00XX", json_u_upper),
    ("partly \\u00xx", json_partly),
    ("\\/", json_slash),
    ("\\/ and some \\u00XX", json_slash_and_upper),
];
const XML_ESCAPES: [(&str, Escape); 5] = [
    ("literal", literal),
    ("&#NNN;", xml_decimal),
    ("&#xhh;", xml_hex_lower),
    ("&#xHH;", xml_hex_upper),
    ("mixed refs", xml_mixed),
];
const URL_ESCAPES: [(&str, Escape); 4] = [
    ("literal", literal),
    ("%hh", pct_lower),
    ("%HH", pct_upper),
    ("partly %HH", pct_partly),
];

/// `secret` written character by character with `escape`.
fn pieces(secret: &str, escape: Escape) -> Vec<String> {
    secret
        .chars()
        .enumerate()
        .map(|(i, c)| escape(i, c))
        .collect()
}

/// Everything that must not show: the secret itself, the escaped form that was sent, every
/// 8-character run of either (a fragment is a leak too), and how `Debug` would print those.
fn needles(secret: &str, sent: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let runs = |parts: &[String], out: &mut Vec<String>| {
        out.push(parts.concat());
        for w in parts.windows(8) {
            out.push(w.concat());
        }
    };
    let plain: Vec<String> = secret.chars().map(String::from).collect();
    runs(&plain, &mut out);
    runs(sent, &mut out);
    let debugged: Vec<String> = out
        .iter()
        .map(|n| {
            let d = format!("{n:?}");
            d[1..d.len() - 1].to_string()
        })
        .collect();
    out.extend(debugged);
    out.sort();
    out.dedup();
    out
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// What an echo case must produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Echoed {
    /// `Error::Api` whose message shows `***`.
    ApiMessage,
    /// `Error::Api` whose kept body shows `***`.
    ApiBody,
    /// `Error::Decode`, showing `***` where the decoded or raw token would be.
    Decode,
    /// `Error::Decode` in XML (the decoder may not quote the text at all).
    DecodeXml,
    /// `Error::OutcomeUnknown` whose kept body shows `***`.
    Unknown,
    /// `Error::Redirect` whose location shows `***`.
    Redirect,
}

/// Calls `op` with `token` against a server that answers `bytes`, and checks that neither
/// `token` nor any piece of `sent` (its escaped form) shows in the error.
async fn check_echo(
    what: &str,
    (token, sent): (&str, &[String]),
    format: Format,
    op: Op,
    bytes: Vec<u8>,
    expect: Echoed,
    http: &reqwest::Client,
) {
    let server = answering(bytes).await;
    let client = common::client(&server.base_url)
        .token(token)
        .format(format)
        .http_client(http.clone())
        .build()
        .unwrap();
    let err = guard_named(what, op.call(&client)).await.expect_err(what);
    let ok = match (expect, &err) {
        (Echoed::ApiMessage | Echoed::ApiBody, Error::Api { status, .. }) => status.as_u16() == 400,
        (Echoed::Decode, Error::Decode { format: f, .. }) => *f == Format::Json,
        (Echoed::DecodeXml, Error::Decode { format: f, .. }) => *f == Format::Xml,
        (Echoed::Unknown, Error::OutcomeUnknown { .. }) => true,
        (Echoed::Redirect, Error::Redirect { .. }) => true,
        _ => false,
    };
    assert!(ok, "{what}: expected {expect:?}, got {err:?}");
    let shown = format!("{err} {err:?} {err:#?}");
    let body = err.raw_body().cloned().unwrap_or_default();
    for needle in needles(token, sent) {
        assert!(
            !shown.contains(&needle),
            "{what}: {needle:?} shows in the error: {shown}"
        );
        assert!(
            !contains(&body, needle.as_bytes()),
            "{what}: {needle:?} is in the kept body: {:?}",
            String::from_utf8_lossy(&body)
        );
    }
    match expect {
        Echoed::ApiMessage => {
            let Error::Api { message, .. } = &err else {
                unreachable!()
            };
            assert!(message.contains("***"), "{what}: message {message:?}");
            assert!(err.to_string().contains("***"), "{what}: {err}");
        }
        Echoed::ApiBody | Echoed::Unknown => {
            assert!(
                contains(&body, b"***"),
                "{what}: kept body {:?}",
                String::from_utf8_lossy(&body)
            );
        }
        Echoed::Decode => assert!(err.to_string().contains("***"), "{what}: {err}"),
        Echoed::DecodeXml => {}
        Echoed::Redirect => {
            let Error::Redirect { location, .. } = &err else {
                unreachable!()
            };
            assert!(
                location.as_deref().is_some_and(|l| l.contains("***")),
                "{what}: location {location:?}"
            );
            assert!(err.to_string().contains("***"), "{what}: {err}");
        }
    }
}

const TOKENS: [&str; 2] = [TOKEN, SLASH_TOKEN];

#[tokio::test]
async fn an_echoed_token_is_redacted_in_json_error_messages_however_escaped() {
    let http = adultwork::http_client_builder().build().unwrap();
    for token in TOKENS {
        for (name, escape) in JSON_ESCAPES {
            let sent = pieces(token, escape);
            let form = sent.concat();
            let message = format!(r#"{{"Message":"Authorization: bearer {form} was rejected"}}"#);
            for op in [Op::Details, Op::Cancel] {
                check_echo(
                    &format!("{token} / {name} / Message / {op:?}"),
                    (token, &sent),
                    Format::Json,
                    op,
                    response(
                        "400 Bad Request",
                        &[("Content-Type", "application/json")],
                        message.as_bytes(),
                    ),
                    Echoed::ApiMessage,
                    &http,
                )
                .await;
            }
            // Outside the message: only the kept body has it.
            let echo =
                format!(r#"{{"Message":"denied","Echo":{{"Authorization":"bearer {form}"}}}}"#);
            check_echo(
                &format!("{token} / {name} / elsewhere in the body"),
                (token, &sent),
                Format::Json,
                Op::Reschedule,
                response(
                    "400 Bad Request",
                    &[("Content-Type", "application/json")],
                    echo.as_bytes(),
                ),
                Echoed::ApiBody,
                &http,
            )
            .await;
        }
    }
}

#[tokio::test]
async fn an_echoed_token_is_redacted_in_xml_error_messages_however_escaped() {
    let http = adultwork::http_client_builder().build().unwrap();
    for token in TOKENS {
        for (name, escape) in XML_ESCAPES {
            let sent = pieces(token, escape);
            let form = sent.concat();
            let body = format!(
                "<Error><Message>Authorization: bearer {form} was rejected</Message></Error>"
            );
            for op in [Op::GroupDetails, Op::CreatePhoneChat] {
                check_echo(
                    &format!("{token} / {name} / XML Message / {op:?}"),
                    (token, &sent),
                    Format::Xml,
                    op,
                    response(
                        "400 Bad Request",
                        &[("Content-Type", "application/xml")],
                        body.as_bytes(),
                    ),
                    Echoed::ApiMessage,
                    &http,
                )
                .await;
            }
        }
    }
}

#[tokio::test]
async fn an_echoed_token_is_redacted_in_decode_errors_of_2xx_bodies() {
    let http = adultwork::http_client_builder().build().unwrap();
    for token in TOKENS {
        for (name, escape) in JSON_ESCAPES {
            let sent = pieces(token, escape);
            let form = sent.concat();
            // serde quotes the (decoded) string it did not expect, and the snippet shows the
            // raw bytes around the error.
            let body = format!(r#"{{"WebcamBookingID": "{form}", "Duration": 10}}"#);
            check_echo(
                &format!("{token} / {name} / 200 GET decode"),
                (token, &sent),
                Format::Json,
                Op::Details,
                response(
                    "200 OK",
                    &[("Content-Type", "application/json")],
                    body.as_bytes(),
                ),
                Echoed::Decode,
                &http,
            )
            .await;
        }
        for (name, escape) in XML_ESCAPES {
            let sent = pieces(token, escape);
            let form = sent.concat();
            let good = String::from_utf8(Op::Details.good(Format::Xml)).unwrap();
            let start = good.find("<WebcamBookingID>").unwrap() + "<WebcamBookingID>".len();
            let end = start + good[start..].find('<').unwrap();
            let body = format!("{}{form}{}", &good[..start], &good[end..]);
            check_echo(
                &format!("{token} / {name} / 200 XML GET decode"),
                (token, &sent),
                Format::Xml,
                Op::Details,
                response(
                    "200 OK",
                    &[("Content-Type", "application/xml")],
                    body.as_bytes(),
                ),
                Echoed::DecodeXml,
                &http,
            )
            .await;
        }
    }
}

#[tokio::test]
async fn an_echoed_token_is_redacted_in_the_kept_body_of_an_unknown_outcome() {
    let http = adultwork::http_client_builder().build().unwrap();
    for token in TOKENS {
        for (name, escape) in JSON_ESCAPES {
            let sent = pieces(token, escape);
            let form = sent.concat();
            let body = format!(r#"{{"BookingID": 17, "Echo": "bearer {form}", "oops"#);
            for op in POSTS {
                check_echo(
                    &format!("{token} / {name} / 200 POST undecodable / {op:?}"),
                    (token, &sent),
                    Format::Json,
                    op,
                    response(
                        "200 OK",
                        &[("Content-Type", "application/json")],
                        body.as_bytes(),
                    ),
                    Echoed::Unknown,
                    &http,
                )
                .await;
            }
        }
    }
}

#[tokio::test]
async fn an_echoed_token_is_redacted_in_a_redirect_location() {
    let http = adultwork::http_client_builder().build().unwrap();
    let nowhere = common::closed_port_url().await;
    for token in TOKENS {
        for (name, escape) in URL_ESCAPES {
            let sent = pieces(token, escape);
            let form = sent.concat();
            // A POST is never redirected, even to its own origin.
            let same = format!("/callback?access_token={form}&x=1");
            check_echo(
                &format!("{token} / {name} / 302 POST"),
                (token, &sent),
                Format::Json,
                Op::CreateWebcam,
                response("302 Found", &[("Location", &same)], b""),
                Echoed::Redirect,
                &http,
            )
            .await;
            // A GET to another origin is not followed either.
            let other = format!("{nowhere}/cb?t={form}");
            check_echo(
                &format!("{token} / {name} / 302 GET to another origin"),
                (token, &sent),
                Format::Json,
                Op::Details,
                response("302 Found", &[("Location", &other)], b""),
                Echoed::Redirect,
                &http,
            )
            .await;
        }
    }
}

#[tokio::test]
async fn an_echoed_default_header_is_redacted_like_the_token() {
    for (name, escape) in [("literal", literal as Escape), ("\\u00xx", json_u_lower)] {
        let sent = pieces(API_KEY, escape);
        let form = sent.concat();
        let message = format!(r#"{{"Message":"X-Api-Key {form} is not allowed"}}"#);
        let server = answering(response(
            "400 Bad Request",
            &[("Content-Type", "application/json")],
            message.as_bytes(),
        ))
        .await;
        let client = common::client(&server.base_url)
            .default_header("X-Api-Key", API_KEY)
            .build()
            .unwrap();
        let err = guard_named(name, client.webcam_booking(1))
            .await
            .unwrap_err();
        let shown = format!("{err} {err:?}");
        let body = err.raw_body().cloned().unwrap_or_default();
        for needle in needles(API_KEY, &sent) {
            assert!(!shown.contains(&needle), "{name}: {needle:?} in {shown}");
            assert!(
                !contains(&body, needle.as_bytes()),
                "{name}: {needle:?} in the body"
            );
        }
        assert!(err.to_string().contains("***"), "{name}: {err}");
    }
}

// ---------------------------------------------------------------------------------------------
// 5. Huge server text with control characters
// ---------------------------------------------------------------------------------------------

/// `len` bytes of text that start with `plain` bytes of printable ASCII, then mix in newlines,
/// carriage returns, terminal escapes and other control characters (C0, DEL, C1), a line
/// separator and non-ASCII text.
fn hostile_text(plain: usize, len: usize) -> String {
    let mut s: String = "lorem ipsum dolor sit amet "
        .chars()
        .cycle()
        .take(plain)
        .collect();
    let nasty = [
        "\n",
        "\r\n",
        "\u{1b}[31mred\u{1b}[0m",
        "\u{1b}]0;title\u{7}",
        "\u{0}",
        "\u{8}\u{8}",
        "\t",
        "\u{7f}",
        "\u{85}",
        "\u{9b}2J",
        "\u{2028}",
        "é",
        "\u{202e}",
        " text ",
    ];
    let mut i = 0;
    while s.len() < len {
        s.push_str(nasty[i % nasty.len()]);
        i += 1;
    }
    while s.len() > len {
        s.pop();
    }
    s
}

/// The number in "… (N more bytes)", if the text says how much was cut.
fn bytes_cut(text: &str) -> Option<usize> {
    let at = text.rfind(" more bytes")?;
    let digits = text[..at].rsplit(|c: char| !c.is_ascii_digit()).next()?;
    digits.parse().ok()
}

#[track_caller]
fn assert_inert(what: &str, text: &str) {
    assert!(
        text.len() <= MAX_SHOWN_MESSAGE + 200,
        "{what}: {} bytes shown",
        text.len()
    );
    let bad: Vec<char> = text.chars().filter(|c| c.is_control()).collect();
    assert!(
        bad.is_empty(),
        "{what}: control characters {bad:?} in {text:?}"
    );
    assert_eq!(text.lines().count(), 1, "{what}: {text:?}");
}

#[tokio::test]
async fn a_megabyte_error_message_is_shown_bounded_on_one_inert_line() {
    // Plain for the first 1100 bytes: exactly MAX_SHOWN_MESSAGE bytes show, so the number cut
    // is known. Then control characters from the first byte.
    for (plain, ops) in [
        (1100, [Op::Details, Op::Cancel]),
        (0, [Op::GroupDetails, Op::CreatePhoneChat]),
    ] {
        let message = hostile_text(plain, 1_000_000);
        let body = serde_json::to_vec(&serde_json::json!({ "Message": message })).unwrap();
        let server = answering(response(
            "400 Bad Request",
            &[("Content-Type", "application/json")],
            &body,
        ))
        .await;
        let client = common::client(&server.base_url).build().unwrap();
        for op in ops {
            let what = format!("1 MB message, {plain} plain bytes first / {op:?}");
            let err = guard_named(&what, op.call(&client)).await.unwrap_err();
            assert!(
                matches!(&err, Error::Api { status, .. } if status.as_u16() == 400),
                "{what}: {:?}",
                err.status()
            );
            let text = err.to_string();
            assert_inert(&what, &text);
            let cut = bytes_cut(&text)
                .unwrap_or_else(|| panic!("{what}: no count of bytes cut in {text:?}"));
            if plain >= MAX_SHOWN_MESSAGE {
                assert_eq!(cut, message.len() - MAX_SHOWN_MESSAGE, "{what}: {text:?}");
                assert!(text.contains(&format!("{cut} more bytes")), "{what}");
            } else {
                // At most MAX_SHOWN_MESSAGE bytes of the message show (escaped, they take more).
                assert!(
                    cut >= message.len() - MAX_SHOWN_MESSAGE && cut < message.len(),
                    "{what}: {cut} of {} cut: {text:?}",
                    message.len()
                );
            }
            eprintln!(
                "{what}: {} bytes shown: {:?}…",
                text.len(),
                text.chars().take(120).collect::<String>()
            );
        }
    }
}

#[tokio::test]
async fn a_huge_plain_text_error_body_with_raw_control_bytes_is_shown_inert() {
    // Not JSON, not XML: raw control bytes, as a broken proxy might send.
    let text = hostile_text(0, 1_000_000);
    for content_type in ["text/plain", "application/json", "text/html"] {
        let server = answering(response(
            "502 Bad Gateway",
            &[("Content-Type", content_type)],
            text.as_bytes(),
        ))
        .await;
        let client = common::client(&server.base_url)
            .retry(RetryPolicy::never())
            .build()
            .unwrap();
        for op in [Op::Details, Op::CreateWebcam] {
            let what = format!("1 MB {content_type} body / {op:?}");
            let err = guard_named(&what, op.call(&client)).await.unwrap_err();
            assert_eq!(err.status().map(|s| s.as_u16()), Some(502), "{what}");
            // A gateway's 502 to a POST: the server behind it may have made the booking.
            assert_eq!(err.outcome_unknown(), op == Op::CreateWebcam, "{what}");
            assert_inert(&what, &err.to_string());
        }
    }
}

#[tokio::test]
async fn a_decode_error_quoting_a_huge_server_string_is_shown_bounded() {
    // serde quotes a string it did not expect in full: 100 KB of server text in the detail.
    let text = hostile_text(1100, 100_000);
    let cases: [(Op, String); 3] = [
        (
            Op::Details,
            serde_json::to_string(&serde_json::json!({ "WebcamBookingID": text })).unwrap(),
        ),
        (
            Op::CreateWebcam,
            serde_json::to_string(&serde_json::json!([{ "UserID": text }])).unwrap(),
        ),
        (
            Op::CreatePhoneChat,
            serde_json::to_string(&serde_json::json!({ "BookingID": text })).unwrap(),
        ),
    ];
    for (op, body) in cases {
        let what = format!("100 KB string in a 200 / {op:?}");
        // The detail the SDK gets from serde, decoding into the same generated type.
        let detail = match op {
            Op::Details => serde_json::from_str::<adultwork::types::WebcamBooking>(&body)
                .map(drop)
                .unwrap_err(),
            Op::CreateWebcam => {
                serde_json::from_str::<Vec<adultwork::types::WebcamBookingResult>>(&body)
                    .map(drop)
                    .unwrap_err()
            }
            _ => serde_json::from_str::<adultwork::types::PhoneChatBooking>(&body)
                .map(drop)
                .unwrap_err(),
        }
        .to_string();
        assert!(
            detail.len() > 100_000,
            "{what}: serde quoted it all: {}",
            detail.len()
        );
        let server = answering(response(
            "200 OK",
            &[("Content-Type", "application/json")],
            body.as_bytes(),
        ))
        .await;
        let client = common::client(&server.base_url).build().unwrap();
        let err = guard_named(&what, op.call(&client)).await.unwrap_err();
        let decode = match &err {
            Error::Decode { .. } if !op.is_post() => &err,
            Error::OutcomeUnknown { cause, .. } if op.is_post() => cause.as_ref(),
            _ => panic!("{what}: {err:?}"),
        };
        assert!(
            matches!(
                decode,
                Error::Decode {
                    format: Format::Json,
                    ..
                }
            ),
            "{what}: {decode:?}"
        );
        eprintln!("{what}: {} bytes shown", err.to_string().len());
        assert_inert(&what, &err.to_string());
        let inner = decode.to_string();
        assert_inert(&what, &inner);
        // At most MAX_SHOWN_MESSAGE bytes of the detail are shown (less: the snippet shares
        // the budget), and the rest is counted.
        let cut = bytes_cut(&inner).unwrap_or(0);
        assert!(
            cut >= detail.len() - MAX_SHOWN_MESSAGE && cut < detail.len(),
            "{what}: the detail is {} bytes; shown: {inner:?}",
            detail.len()
        );
    }
    // XML: the decoder's own message may quote the text; bounded and inert either way.
    let good = String::from_utf8(Op::Details.good(Format::Xml)).unwrap();
    let start = good.find("<WebcamBookingID>").unwrap() + "<WebcamBookingID>".len();
    let end = start + good[start..].find('<').unwrap();
    let xml_text: String = hostile_text(0, 100_000)
        .chars()
        .map(|c| match c {
            '\n' | '\r' | '\t' => c.to_string(),
            c if c.is_control() => format!("&#{};", c as u32),
            '<' => "&lt;".into(),
            '&' => "&amp;".into(),
            c => c.to_string(),
        })
        .collect();
    let body = format!("{}{xml_text}{}", &good[..start], &good[end..]);
    let server = answering(response(
        "200 OK",
        &[("Content-Type", "application/xml")],
        body.as_bytes(),
    ))
    .await;
    let client = common::client(&server.base_url)
        .format(Format::Xml)
        .build()
        .unwrap();
    let err = guard_named("XML 100 KB", client.webcam_booking(1))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Decode {
                format: Format::Xml,
                ..
            }
        ),
        "{err:?}"
    );
    assert_inert("XML 100 KB text in an integer", &err.to_string());
}

// ---------------------------------------------------------------------------------------------
// 6. Unknown outcomes of a POST
// ---------------------------------------------------------------------------------------------

/// What the server does after reading and counting the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AfterRequest {
    /// A TCP reset (`SO_LINGER` 0, then close).
    Reset,
    /// A clean close (FIN) without a byte of answer.
    Close,
    /// Nothing, until the client gives up.
    Stall,
    /// `200` with `{"BookingID": 17, "oops`.
    Undecodable,
    /// `200` XML with `<BookingID>17</BookingID>` and a cut-off element.
    UndecodableXml,
    /// `200` declaring 1000 bytes, 10 sent, then a clean close.
    CutShort,
}

async fn after_request(behaviour: AfterRequest) -> RawServer {
    RawServer::start(move |mut stream, _, requests| async move {
        if read_counted(&mut stream, &requests).await.is_none() {
            return;
        }
        match behaviour {
            AfterRequest::Reset => {
                let _ = stream.set_zero_linger();
                return;
            }
            AfterRequest::Close => {}
            AfterRequest::Stall => std::future::pending::<()>().await,
            AfterRequest::Undecodable => {
                let _ = stream
                    .write_all(&response(
                        "200 OK",
                        &[("Content-Type", "application/json")],
                        br#"{"BookingID": 17, "oops"#,
                    ))
                    .await;
            }
            AfterRequest::UndecodableXml => {
                let _ = stream
                    .write_all(&response(
                        "200 OK",
                        &[("Content-Type", "application/xml")],
                        b"<WebcamBookingResult><BookingID>17</BookingID><oops",
                    ))
                    .await;
            }
            AfterRequest::CutShort => {
                let _ = stream
                    .write_all(
                        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"BookingI",
                    )
                    .await;
            }
        }
        let _ = stream.flush().await;
        let _ = stream.shutdown().await;
    })
    .await
}

async fn every_post_has_an_unknown_outcome(behaviour: AfterRequest, format: Format) {
    // All four at once, so the stalling case waits for one timeout, not four.
    let mut prepared = Vec::new();
    for op in POSTS {
        let server = after_request(behaviour).await;
        let mut builder = common::client(&server.base_url).format(format);
        if behaviour == AfterRequest::Stall {
            builder = builder.timeout(Duration::from_millis(300));
        }
        prepared.push((op, server, builder.build().unwrap()));
    }
    let what = format!("{behaviour:?}");
    let results = join_all(
        prepared
            .iter()
            .map(|(op, _, client)| guard_named(&what, op.call(client)))
            .collect(),
    )
    .await;
    for ((op, server, _), result) in prepared.iter().zip(results) {
        let what = format!("{behaviour:?} / {op:?}");
        let err = result.expect_err(&what);
        assert!(err.outcome_unknown(), "{what}: {err:?}");
        assert!(
            matches!(err, Error::OutcomeUnknown { .. }),
            "{what}: {err:?}"
        );
        assert!(!err.is_before_sending(), "{what}");
        let text = err.to_string();
        assert!(text.contains("may have been"), "{what}: {text}");
        assert!(!text.contains('\n'), "{what}: {text:?}");
        match behaviour {
            AfterRequest::Undecodable => {
                let body = err.raw_body().unwrap_or_else(|| panic!("{what}: no body"));
                assert!(contains(body, br#""BookingID": 17"#), "{what}: {body:?}");
            }
            AfterRequest::UndecodableXml => {
                let body = err.raw_body().unwrap_or_else(|| panic!("{what}: no body"));
                assert!(
                    contains(body, b"<BookingID>17</BookingID>"),
                    "{what}: {body:?}"
                );
            }
            _ => {}
        }
        assert_eq!(server.requests(), 1, "{what}: requests");
        assert_eq!(server.connections(), 1, "{what}: connections");
    }
}

#[tokio::test]
async fn a_post_reset_after_it_was_read_has_an_unknown_outcome() {
    every_post_has_an_unknown_outcome(AfterRequest::Reset, Format::Json).await;
}

#[tokio::test]
async fn a_post_closed_without_an_answer_has_an_unknown_outcome() {
    every_post_has_an_unknown_outcome(AfterRequest::Close, Format::Json).await;
}

#[tokio::test]
async fn a_post_that_times_out_after_sending_has_an_unknown_outcome() {
    every_post_has_an_unknown_outcome(AfterRequest::Stall, Format::Json).await;
}

#[tokio::test]
async fn a_post_whose_2xx_body_does_not_decode_has_an_unknown_outcome_and_keeps_the_body() {
    every_post_has_an_unknown_outcome(AfterRequest::Undecodable, Format::Json).await;
    every_post_has_an_unknown_outcome(AfterRequest::UndecodableXml, Format::Xml).await;
}

#[tokio::test]
async fn a_post_whose_2xx_body_is_cut_short_has_an_unknown_outcome() {
    every_post_has_an_unknown_outcome(AfterRequest::CutShort, Format::Json).await;
}

#[tokio::test]
async fn a_refused_connection_is_not_an_unknown_outcome() {
    let url = common::closed_port_url().await;
    let client: Client = common::client(&url).build().unwrap();
    for op in POSTS {
        let err = guard_named("refused", op.call(&client)).await.unwrap_err();
        assert!(matches!(err, Error::Connect { .. }), "{op:?}: {err:?}");
        assert!(!err.outcome_unknown(), "{op:?}: {err}");
        assert!(!err.to_string().contains("may have been"), "{op:?}: {err}");
    }
}
