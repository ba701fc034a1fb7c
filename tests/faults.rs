//! The fault matrix: every way a server or the network can misbehave, run against every
//! operation. For each fault the SDK returns the expected typed error (or, where the answer
//! is harmlessly mislabelled, the value), within a hang guard, without panicking; a GET is
//! attempted exactly as often as its retry policy allows; and a POST reaches the server
//! exactly once, whatever happens.
//!
//! The servers are raw TCP (`common::RawServer`): each connection reads one request, counts
//! it, then plays a script of [`Step`]s. Every answer says `Connection: close`, so each
//! attempt is one connection and the server's counts are the client's attempts.
//! `RELIABILITY.md` lists the matrix with what was observed.

mod common;

use std::sync::Arc;
use std::time::Duration;

use adultwork::{Client, Error, Format, RetryPolicy};
use common::ops::{GETS, Op, POSTS, join_all};
use common::stream::{Streamed, Streaming};
use common::{RawServer, guard_named, read_counted};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use tokio::sync::mpsc::UnboundedReceiver;

/// Attempts a GET may make in this matrix.
const GET_ATTEMPTS: u32 = 3;
/// The response-body cap of the matrix's clients.
const CAP: usize = 64 * 1024;
/// The timeout of clients facing a stalling server; others get a generous one, so a busy
/// machine cannot turn an answer into a timeout.
const SHORT_TIMEOUT: Duration = Duration::from_millis(300);
const LONG_TIMEOUT: Duration = Duration::from_secs(20);

// ---------------------------------------------------------------------------------------------
// Scripted servers
// ---------------------------------------------------------------------------------------------

/// What the server does after reading the request. When the script ends, it closes the
/// connection cleanly (FIN).
#[derive(Debug, Clone)]
enum Step {
    /// Writes these bytes.
    Send(Vec<u8>),
    /// Writes these bytes one at a time, pausing after each.
    Drip(Vec<u8>, Duration),
    /// Never writes again (the connection stays open until the test ends).
    Stall,
    /// Aborts the connection: `SO_LINGER` 0, so closing sends a TCP reset.
    Reset,
}

async fn play(mut stream: TcpStream, script: &[Step]) {
    for step in script {
        match step {
            Step::Send(bytes) => {
                if stream.write_all(bytes).await.is_err() {
                    return;
                }
                let _ = stream.flush().await;
            }
            Step::Drip(bytes, pause) => {
                for b in bytes {
                    if stream.write_all(&[*b]).await.is_err() {
                        return;
                    }
                    tokio::time::sleep(*pause).await;
                }
            }
            Step::Stall => std::future::pending::<()>().await,
            Step::Reset => {
                let _ = stream.set_zero_linger();
                return;
            }
        }
    }
    let _ = stream.shutdown().await;
}

/// A server that reads and counts each request, then plays `script` on its connection.
async fn scripted(script: Vec<Step>) -> RawServer {
    let script = Arc::new(script);
    RawServer::start(move |mut stream, _, requests| {
        let script = script.clone();
        async move {
            if read_counted(&mut stream, &requests).await.is_some() {
                play(stream, &script).await;
            }
        }
    })
    .await
}

/// How a response body is delimited.
#[derive(Debug, Clone, Copy)]
enum Framing {
    /// `Content-Length: n`.
    Length(usize),
    /// `Transfer-Encoding: chunked`.
    Chunked,
    /// Neither: the body ends when the server closes.
    UntilClose,
}

/// A response head with `Connection: close`.
fn head(status: &str, content_type: Option<&str>, framing: Framing) -> Vec<u8> {
    let mut h = format!("HTTP/1.1 {status}\r\nConnection: close\r\n");
    if let Some(ct) = content_type {
        h.push_str(&format!("Content-Type: {ct}\r\n"));
    }
    match framing {
        Framing::Length(n) => h.push_str(&format!("Content-Length: {n}\r\n")),
        Framing::Chunked => h.push_str("Transfer-Encoding: chunked\r\n"),
        Framing::UntilClose => {}
    }
    h.push_str("\r\n");
    h.into_bytes()
}

/// The head of a 200 JSON answer that declares 1000 bytes, and the first 10 of them.
fn ten_of_a_thousand() -> Vec<u8> {
    let mut b = head("200 OK", Some("application/json"), Framing::Length(1000));
    b.extend_from_slice(br#"{"Status":"#);
    b
}

/// A complete response.
fn answer(status: &str, content_type: Option<&str>, body: &[u8]) -> Vec<Step> {
    let mut bytes = head(status, content_type, Framing::Length(body.len()));
    bytes.extend_from_slice(body);
    vec![Step::Send(bytes)]
}

/// `body` with its first JSON key's first byte replaced by 0xFF (not UTF-8).
fn json_with_invalid_utf8(mut body: Vec<u8>) -> Vec<u8> {
    let quote = body.iter().position(|b| *b == b'"').expect("a JSON string");
    body[quote + 1] = 0xFF;
    body
}

/// `body` with the first byte of its first text node replaced by 0xFF (not UTF-8).
fn xml_with_invalid_utf8(mut body: Vec<u8>) -> Vec<u8> {
    let text = body
        .windows(2)
        .position(|w| w[0] == b'>' && w[1] != b'<' && !w[1].is_ascii_whitespace())
        .expect("a text node")
        + 1;
    body[text] = 0xFF;
    body
}

/// A chunked body of `total` bytes of spaces, in 16 KiB chunks, with no terminating chunk.
fn chunks(total: usize) -> Vec<u8> {
    let mut out = Vec::new();
    let mut left = total;
    while left > 0 {
        let n = left.min(16 * 1024);
        out.extend_from_slice(format!("{n:x}\r\n").as_bytes());
        out.extend(std::iter::repeat_n(b' ', n));
        out.extend_from_slice(b"\r\n");
        left -= n;
    }
    out
}

const LAUGHS: &str = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\"><!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\"><!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\"><!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\"><!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\"><!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\"><!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\"><!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\"><!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">]>";

/// The operation's XML body with a DTD in front and `&{entity};` in its first text node.
fn xml_with_dtd(op: Op, dtd: &str, entity: &str) -> Vec<u8> {
    let body = String::from_utf8(op.good(Format::Xml)).unwrap();
    let text = body
        .as_bytes()
        .windows(2)
        .position(|w| w[0] == b'>' && w[1] != b'<')
        .unwrap()
        + 1;
    format!("{dtd}{}&{entity};{}", &body[..text], &body[text..]).into_bytes()
}

/// The operation's XML body with `depth` nested unknown elements inside its root.
fn xml_deeply_nested(op: Op, depth: usize) -> Vec<u8> {
    let body = String::from_utf8(op.good(Format::Xml)).unwrap();
    let root_end = body.find('>').unwrap() + 1;
    format!(
        "{}<Deep>{}{}</Deep>{}",
        &body[..root_end],
        "<a>".repeat(depth),
        "</a>".repeat(depth),
        &body[root_end..]
    )
    .into_bytes()
}

// ---------------------------------------------------------------------------------------------
// The matrix
// ---------------------------------------------------------------------------------------------

/// What the SDK must return.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// The value: a mislabelled but decodable answer is accepted.
    Value,
    /// `Error::Api` with this status.
    Api(u16),
    /// `Error::Decode` in this format.
    Decode(Format),
    /// `Error::Timeout`.
    Timeout,
    /// `Error::Transport` (the connection broke after the request was sent).
    Transport,
    /// `Error::BodyTooLarge` at the matrix's cap.
    TooLarge,
}

impl Expect {
    /// Checks a POST's outcome: a failure after the request was sent (a broken connection, a
    /// timeout, a success answer that cannot be read or decoded) is an unknown outcome around
    /// the error a GET would get.
    #[track_caller]
    fn check_post(self, what: &str, result: &Result<(), Error>) {
        // Any error status is definitive but a gateway's 502 or 504: the server behind it
        // may have done the POST.
        if matches!(self, Expect::Value) || matches!(self, Expect::Api(c) if c != 502 && c != 504) {
            return self.check(what, result);
        }
        match result {
            Err(e @ Error::OutcomeUnknown { cause, body, .. }) => {
                assert!(e.outcome_unknown());
                assert!(e.to_string().contains(" may have been "), "{what}: {e}");
                assert!(body.len() <= CAP, "{what}: kept {} bytes", body.len());
                self.check(what, &Err(clone_cause(cause)));
                Expect::check_shown(what, e);
            }
            other => panic!("{what}: expected an unknown outcome around {self:?}, got {other:?}"),
        }
    }

    #[track_caller]
    fn check(self, what: &str, result: &Result<(), Error>) {
        let ok = match (self, result) {
            (Expect::Value, Ok(())) => true,
            (Expect::Api(code), Err(Error::Api { status, .. })) => status.as_u16() == code,
            (Expect::Decode(f), Err(Error::Decode { format, .. })) => *format == f,
            (Expect::Timeout, Err(Error::Timeout)) => true,
            (Expect::Transport, Err(Error::Transport { .. })) => true,
            (Expect::TooLarge, Err(Error::BodyTooLarge { limit })) => *limit == CAP,
            _ => false,
        };
        assert!(ok, "{what}: expected {self:?}, got {result:?}");
        if let Err(e) = result {
            Expect::check_shown(what, e);
        }
    }

    #[track_caller]
    fn check_shown(what: &str, e: &Error) {
        // The token never shows, whatever went wrong.
        let shown = format!("{e} {e:?} {e:#?}");
        assert!(!shown.contains(common::TOKEN), "{what}: {shown}");
        // Every error prints as one bounded line, whatever the server sent.
        let text = e.to_string();
        assert!(!text.contains('\n') && text.len() < 600, "{what}: {text:?}");
    }
}

/// The variant and fields [`Expect::check`] looks at, of an unknown outcome's cause.
fn clone_cause(cause: &Error) -> Error {
    match cause {
        Error::Decode {
            format,
            detail,
            snippet,
            ..
        } => Error::Decode {
            format: *format,
            detail: detail.clone(),
            snippet: snippet.clone(),
            source: None,
        },
        Error::Timeout => Error::Timeout,
        Error::Transport { detail, .. } => Error::Transport {
            detail: detail.clone(),
            source: None,
        },
        Error::BodyTooLarge { limit } => Error::BodyTooLarge { limit: *limit },
        Error::Api {
            status,
            message,
            body,
            retry_after,
        } => Error::Api {
            status: *status,
            message: message.clone(),
            body: body.clone(),
            retry_after: *retry_after,
        },
        other => Error::Config(format!("unexpected cause {other:?}")),
    }
}

/// One row of the matrix.
struct Fault {
    name: &'static str,
    /// The format the client asks for.
    format: Format,
    /// The server's script for an operation.
    script: fn(Op) -> Vec<Step>,
    expect: Expect,
    /// Whether a GET is retried (connect errors, timeouts before the answer, 429/502/503/504).
    retried: bool,
    /// Whether the server stalls, so the client gets the short timeout.
    stalls: bool,
}

fn drip() -> Duration {
    Duration::from_millis(100)
}

fn faults() -> Vec<Fault> {
    use Expect::*;
    use Format::{Json, Xml};
    let f = |name: &'static str,
             format: Format,
             script: fn(Op) -> Vec<Step>,
             expect: Expect,
             retried: bool| Fault {
        name,
        format,
        script,
        expect,
        retried,
        stalls: false,
    };
    let stalling =
        |name: &'static str, script: fn(Op) -> Vec<Step>, expect: Expect, retried: bool| Fault {
            name,
            format: Json,
            script,
            expect,
            retried,
            stalls: true,
        };
    const MESSAGE: &[u8] = br#"{"Message":"Something went wrong."}"#;
    const HTML: &[u8] = b"<!DOCTYPE html><html><head><title>Error</title></head><body><h1>Service Unavailable</h1></body></html>";
    vec![
        // Error statuses, with and without bodies.
        f(
            "500 with a JSON body",
            Json,
            |_| {
                answer(
                    "500 Internal Server Error",
                    Some("application/json"),
                    MESSAGE,
                )
            },
            Api(500),
            false,
        ),
        f(
            "500 without a body",
            Json,
            |_| answer("500 Internal Server Error", None, b""),
            Api(500),
            false,
        ),
        f(
            "502 with a JSON body",
            Json,
            |_| answer("502 Bad Gateway", Some("application/json"), MESSAGE),
            Api(502),
            true,
        ),
        f(
            "502 without a body",
            Json,
            |_| answer("502 Bad Gateway", None, b""),
            Api(502),
            true,
        ),
        f(
            "503 with a JSON body",
            Json,
            |_| answer("503 Service Unavailable", Some("application/json"), MESSAGE),
            Api(503),
            true,
        ),
        f(
            "503 without a body",
            Json,
            |_| answer("503 Service Unavailable", None, b""),
            Api(503),
            true,
        ),
        f(
            "504 with a JSON body",
            Json,
            |_| answer("504 Gateway Timeout", Some("application/json"), MESSAGE),
            Api(504),
            true,
        ),
        f(
            "504 without a body",
            Json,
            |_| answer("504 Gateway Timeout", None, b""),
            Api(504),
            true,
        ),
        f(
            "429 without a body",
            Json,
            |_| answer("429 Too Many Requests", None, b""),
            Api(429),
            true,
        ),
        f(
            "500 HTML error page",
            Json,
            |_| answer("500 Internal Server Error", Some("text/html"), HTML),
            Api(500),
            false,
        ),
        f(
            "502 HTML error page",
            Json,
            |_| answer("502 Bad Gateway", Some("text/html"), HTML),
            Api(502),
            true,
        ),
        f(
            "503 HTML error page, XML client",
            Xml,
            |_| answer("503 Service Unavailable", Some("text/html"), HTML),
            Api(503),
            true,
        ),
        f(
            "503 with a body over the cap (declared)",
            Json,
            |_| {
                vec![
                    Step::Send(head(
                        "503 Service Unavailable",
                        Some("text/html"),
                        Framing::Length(10 << 20),
                    )),
                    Step::Stall,
                ]
            },
            Api(503),
            true,
        ),
        f(
            "200 HTML page, JSON client",
            Json,
            |_| answer("200 OK", Some("text/html"), HTML),
            Decode(Json),
            false,
        ),
        f(
            "200 HTML page, XML client",
            Xml,
            |_| answer("200 OK", Some("text/html"), HTML),
            Decode(Xml),
            false,
        ),
        f(
            "200 with an empty body",
            Json,
            |_| answer("200 OK", Some("application/json"), b""),
            Decode(Json),
            false,
        ),
        // The connection breaks.
        f(
            "closed before the headers",
            Json,
            |_| vec![],
            Transport,
            false,
        ),
        f(
            "reset before the headers",
            Json,
            |_| vec![Step::Reset],
            Transport,
            false,
        ),
        f(
            "closed mid-body (Content-Length 1000, 10 bytes sent)",
            Json,
            |_| vec![Step::Send(ten_of_a_thousand())],
            Transport,
            false,
        ),
        f(
            "reset mid-body (Content-Length 1000, 10 bytes sent)",
            Json,
            |_| vec![Step::Send(ten_of_a_thousand()), Step::Reset],
            Transport,
            false,
        ),
        f(
            "closed mid-chunk",
            Json,
            |_| {
                let mut b = head("200 OK", Some("application/json"), Framing::Chunked);
                b.extend_from_slice(b"100\r\n{\"Status\":");
                vec![Step::Send(b)]
            },
            Transport,
            false,
        ),
        // The server is too slow.
        stalling(
            "stalls before the headers",
            |_| vec![Step::Stall],
            Timeout,
            true,
        ),
        stalling(
            "stalls mid-body",
            |_| vec![Step::Send(ten_of_a_thousand()), Step::Stall],
            Timeout,
            false,
        ),
        stalling(
            "drips the body, one byte every 100 ms",
            |op| {
                let body = op.good(Json);
                vec![
                    Step::Send(head(
                        "200 OK",
                        Some("application/json"),
                        Framing::Length(body.len()),
                    )),
                    Step::Drip(body, drip()),
                ]
            },
            Timeout,
            false,
        ),
        stalling(
            "drips the headers, one byte every 100 ms",
            |op| {
                let body = op.good(Json);
                let mut all = head(
                    "200 OK",
                    Some("application/json"),
                    Framing::Length(body.len()),
                );
                all.extend_from_slice(&body);
                vec![Step::Drip(all, drip())]
            },
            Timeout,
            true,
        ),
        // The body is not what it should be.
        f(
            "truncated JSON",
            Json,
            |op| {
                let b = op.good(Json);
                answer("200 OK", Some("application/json"), &b[..b.len() / 2])
            },
            Decode(Json),
            false,
        ),
        f(
            "truncated XML",
            Xml,
            |op| {
                let b = op.good(Xml);
                answer("200 OK", Some("application/xml"), &b[..b.len() / 2])
            },
            Decode(Xml),
            false,
        ),
        f(
            "JSON labelled text/html, JSON client",
            Json,
            |op| answer("200 OK", Some("text/html"), &op.good(Json)),
            Value,
            false,
        ),
        f(
            "XML labelled text/plain, XML client",
            Xml,
            |op| answer("200 OK", Some("text/plain"), &op.good(Xml)),
            Value,
            false,
        ),
        f(
            "JSON labelled text/html, XML client",
            Xml,
            |op| answer("200 OK", Some("text/html"), &op.good(Json)),
            Decode(Xml),
            false,
        ),
        f(
            "XML labelled application/json, XML client",
            Xml,
            |op| answer("200 OK", Some("application/json"), &op.good(Xml)),
            Decode(Json),
            false,
        ),
        f(
            "invalid UTF-8 in JSON",
            Json,
            |op| {
                answer(
                    "200 OK",
                    Some("application/json"),
                    &json_with_invalid_utf8(op.good(Json)),
                )
            },
            Decode(Json),
            false,
        ),
        f(
            "invalid UTF-8 in XML",
            Xml,
            |op| {
                answer(
                    "200 OK",
                    Some("application/xml"),
                    &xml_with_invalid_utf8(op.good(Xml)),
                )
            },
            Decode(Xml),
            false,
        ),
        f(
            "JSON nested 60,000 deep",
            Json,
            |_| {
                answer(
                    "200 OK",
                    Some("application/json"),
                    "[".repeat(60_000).as_bytes(),
                )
            },
            Decode(Json),
            false,
        ),
        f(
            "XML nested 8,000 deep in an unknown element",
            Xml,
            |op| {
                answer(
                    "200 OK",
                    Some("application/xml"),
                    &xml_deeply_nested(op, 8_000),
                )
            },
            Value,
            false,
        ),
        f(
            "body over the cap (declared Content-Length)",
            Json,
            |_| {
                vec![
                    Step::Send(head(
                        "200 OK",
                        Some("application/json"),
                        Framing::Length(10 << 20),
                    )),
                    Step::Stall,
                ]
            },
            TooLarge,
            false,
        ),
        f(
            "body over the cap (chunked)",
            Json,
            |_| {
                let mut b = head("200 OK", Some("application/json"), Framing::Chunked);
                b.extend_from_slice(&chunks(2 * CAP));
                vec![Step::Send(b), Step::Stall]
            },
            TooLarge,
            false,
        ),
        f(
            "body over the cap (Content-Length 2 and chunked)",
            Json,
            |_| {
                // Transfer-Encoding wins over Content-Length (RFC 9112 §6.3): the declared
                // length must not be trusted to bound the body.
                let mut b = head("200 OK", Some("application/json"), Framing::Chunked);
                let at = b.len() - 2;
                b.splice(at..at, b"Content-Length: 2\r\n".iter().copied());
                b.extend_from_slice(&chunks(2 * CAP));
                vec![Step::Send(b), Step::Stall]
            },
            TooLarge,
            false,
        ),
        f(
            "body over the cap (until close)",
            Json,
            |_| {
                let mut b = head("200 OK", Some("application/json"), Framing::UntilClose);
                b.extend(std::iter::repeat_n(b' ', 2 * CAP));
                vec![Step::Send(b)]
            },
            TooLarge,
            false,
        ),
        f(
            "XML billion laughs (DTD with nested entities)",
            Xml,
            |op| {
                answer(
                    "200 OK",
                    Some("application/xml"),
                    &xml_with_dtd(op, LAUGHS, "lol9"),
                )
            },
            Decode(Xml),
            false,
        ),
        f(
            "XML external entity (file:///etc/passwd)",
            Xml,
            |op| {
                answer(
                    "200 OK",
                    Some("application/xml"),
                    &xml_with_dtd(
                        op,
                        "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>",
                        "xxe",
                    ),
                )
            },
            Decode(Xml),
            false,
        ),
        f(
            "XML undeclared entity",
            Xml,
            |op| {
                answer(
                    "200 OK",
                    Some("application/xml"),
                    &xml_with_dtd(op, "", "xxe"),
                )
            },
            Decode(Xml),
            false,
        ),
    ]
}

/// A client for `fault`'s server. They share one connection pool (`http`): building an HTTP
/// client is slow, and every answer closes its connection anyway.
fn matrix_client(base_url: &str, fault: &Fault, http: &reqwest::Client) -> Client {
    common::client(base_url)
        .http_client(http.clone())
        .format(fault.format)
        .max_body_size(CAP)
        .timeout(if fault.stalls {
            SHORT_TIMEOUT
        } else {
            LONG_TIMEOUT
        })
        .retry(RetryPolicy::exponential(GET_ATTEMPTS).base_delay(Duration::from_millis(1)))
        .build()
        .unwrap()
}

/// Runs every operation in `ops` at once, each against a fresh server playing `fault`;
/// returns each outcome with the server's request and connection counts. Servers and clients
/// are all set up before the first call starts, so no call's timeout runs while another
/// client is being built.
async fn run_all(
    fault: &Fault,
    ops: &[Op],
    http: &reqwest::Client,
) -> Vec<(Op, Result<(), Error>, usize, usize)> {
    let mut prepared = Vec::new();
    for &op in ops {
        let server = scripted((fault.script)(op)).await;
        let client = matrix_client(&server.base_url, fault, http);
        prepared.push((op, server, client));
    }
    let outcomes = join_all(
        prepared
            .iter()
            .map(|(op, _, client)| guard_named(fault.name, op.call(client)))
            .collect(),
    )
    .await;
    prepared
        .into_iter()
        .zip(outcomes)
        .map(|((op, server, _), result)| (op, result, server.requests(), server.connections()))
        .collect()
}

#[tokio::test]
async fn every_post_reaches_the_server_exactly_once_whatever_the_fault() {
    let http = adultwork::http_client_builder().build().unwrap();
    let faults = faults();
    assert!(faults.len() >= 40, "the matrix lost rows: {}", faults.len());
    for fault in &faults {
        for (op, result, requests, connections) in run_all(fault, &POSTS, &http).await {
            let what = format!("{} / {op:?}", fault.name);
            fault.expect.check_post(&what, &result);
            assert_eq!(
                requests, 1,
                "{what}: the POST reached the server {requests} times"
            );
            assert_eq!(connections, 1, "{what}: {connections} connections");
        }
    }
}

#[tokio::test]
async fn every_get_is_attempted_as_its_retry_policy_allows_whatever_the_fault() {
    let http = adultwork::http_client_builder().build().unwrap();
    for fault in &faults() {
        for (op, result, requests, connections) in run_all(fault, &GETS, &http).await {
            let what = format!("{} / {op:?}", fault.name);
            fault.expect.check(&what, &result);
            let expected = if fault.retried {
                GET_ATTEMPTS as usize
            } else {
                1
            };
            assert_eq!(requests, expected, "{what}: attempts");
            assert_eq!(connections, expected, "{what}: connections");
        }
    }
}

#[tokio::test]
async fn retried_gets_stop_at_each_budget() {
    // 503 every time: exactly N attempts for N = 1..=5.
    for attempts in 1..=5u32 {
        let server = scripted(answer("503 Service Unavailable", None, b"")).await;
        let client = common::client(&server.base_url)
            .retry(RetryPolicy::exponential(attempts).base_delay(Duration::from_millis(1)))
            .build()
            .unwrap();
        let result = guard_named("503", client.webcam_booking(1)).await;
        assert_eq!(result.unwrap_err().status().map(|s| s.as_u16()), Some(503));
        assert_eq!(server.requests(), attempts as usize, "budget {attempts}");
    }
    // A POST with the same budget is still sent once.
    let server = scripted(answer("503 Service Unavailable", None, b"")).await;
    let client = common::client(&server.base_url)
        .retry(RetryPolicy::exponential(5).base_delay(Duration::from_millis(1)))
        .build()
        .unwrap();
    guard_named("503 POST", client.reschedule_webcam_booking(1))
        .await
        .unwrap_err();
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn the_entity_expansion_attempts_never_show_the_files_they_name() {
    let fault = faults()
        .into_iter()
        .find(|f| f.name.starts_with("XML external entity"))
        .unwrap();
    for (op, result, ..) in run_all(
        &fault,
        &[Op::Details, Op::CreateWebcam],
        &adultwork::http_client_builder().build().unwrap(),
    )
    .await
    {
        let err = result.unwrap_err();
        let text = format!("{err} {err:?}");
        assert!(!text.contains("root:"), "{op:?}: {text}");
        assert!(text.contains("DTD"), "{op:?}: the error says why: {text}");
    }
}

#[test]
fn xml_nested_100_000_deep_is_skipped_without_exhausting_the_stack() {
    // Unknown elements are skipped by a loop, not by recursion: depth costs no stack.
    for op in [Op::Details, Op::CreateWebcam, Op::CreatePhoneChat] {
        let id = match op {
            Op::CreateWebcam => "create_webcam_booking",
            Op::CreatePhoneChat => "create_phone_chat_booking",
            _ => "get_made_webcam_booking_details",
        };
        let xml_op = adultwork::Operation::from_id(id).unwrap().xml();
        let deep = xml_deeply_nested(op, 100_000);
        let decode = |body: &[u8]| adultwork::xml::from_slice::<serde_json::Value>(xml_op, body);
        let plain = decode(&op.good(Format::Xml)).unwrap();
        assert_eq!(decode(&deep).unwrap(), plain, "{op:?}");
        // Cut in the middle of the nesting, it is an error, not a crash.
        assert!(decode(&deep[..deep.len() / 2]).is_err());
    }
}

// ---------------------------------------------------------------------------------------------
// Memory: reading stops at the cap
// ---------------------------------------------------------------------------------------------

const HUNDRED_MIB: usize = 100 << 20;

/// A server that answers 200 with 100 MiB of spaces, chunked when `chunked`, else with that
/// `Content-Length`, and reports how far it got.
async fn streaming_server(chunked: bool) -> (RawServer, UnboundedReceiver<Streamed>) {
    common::stream::streaming_server(Streaming {
        status: "200 OK",
        content_type: "application/json",
        framing: if chunked {
            common::stream::Framing::Chunked
        } else {
            common::stream::Framing::Length(HUNDRED_MIB as u64)
        },
        prefix: b"",
        fill: b' ',
        limit: HUNDRED_MIB,
    })
    .await
}

#[tokio::test]
async fn a_100_mib_body_is_refused_after_reading_little_and_the_client_hangs_up() {
    for chunked in [true, false] {
        let (server, mut reports) = streaming_server(chunked).await;
        let client = common::client(&server.base_url)
            .max_body_size(CAP)
            .retry(RetryPolicy::never())
            .build()
            .unwrap();
        for op in [Op::Details, Op::CreateWebcam] {
            let result = guard_named("100 MiB", op.call(&client)).await;
            let what = format!("100 MiB, chunked {chunked}, {op:?}");
            if POSTS.contains(&op) {
                Expect::TooLarge.check_post(&what, &result);
            } else {
                Expect::TooLarge.check(&what, &result);
            }
            // The client has closed the connection: the server's writes fail long before
            // 100 MiB (what it wrote fits in the two sockets' buffers).
            let seen = guard_named("the server's report", reports.recv())
                .await
                .unwrap();
            assert!(
                matches!(
                    seen.error,
                    Some(std::io::ErrorKind::BrokenPipe | std::io::ErrorKind::ConnectionReset)
                ),
                "chunked {chunked}, {op:?}: the server finished writing: {seen:?}"
            );
            assert!(
                seen.written < HUNDRED_MIB / 4,
                "chunked {chunked}, {op:?}: {seen:?}"
            );
        }
        assert_eq!(server.requests(), 2);
    }
}
