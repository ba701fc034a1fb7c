//! Hostile input: bodies too big or too deep, numbers too large, wrong types, unknown fields,
//! bytes that are not UTF-8, and `Authorization` headers of every broken kind. Each gets a
//! 4xx with a short message (in the format asked for) and leaves every booking and the clock
//! as they were. (`auth.rs`, `webcam.rs` and `phonechat.rs` cover the ordinary refusals.)

use adultwork::Format;
use adultwork_sandbox::{CLIENT_TOKEN, MAX_BODY_BYTES, Sandbox};
use reqwest::header::HeaderValue;
use serde_json::json;

use crate::common::*;

/// The four POST operations of the spec.
const POSTS: [&str; 4] = [
    "/v1/Webcam/CreateBooking",
    "/v1/Webcam/CancelMadeBooking",
    "/v1/Webcam/RescheduleMadeBooking",
    "/v1/PhoneChat/CreateBooking",
];

/// A sandbox with something to lose: webcam bookings 1 and 2 (one accepted) and phone-chat
/// booking 1.
async fn populated() -> Sandbox {
    let sandbox = sandbox().await;
    populate(&sandbox).await;
    sandbox
}

/// One raw request: any method, path, headers and body bytes.
struct Raw {
    method: &'static str,
    path: String,
    authorization: Option<HeaderValue>,
    content_type: Option<&'static str>,
    body: Option<reqwest::Body>,
}

impl Raw {
    fn post(path: &str, body: impl Into<reqwest::Body>) -> Self {
        Self {
            method: "POST",
            path: path.to_string(),
            authorization: Some(HeaderValue::from_str(&format!("bearer {CLIENT_TOKEN}")).unwrap()),
            content_type: Some("application/json"),
            body: Some(body.into()),
        }
    }

    fn get(path: &str) -> Self {
        Self {
            method: "GET",
            body: None,
            content_type: None,
            ..Self::post(path, "")
        }
    }

    fn authorization(mut self, value: Option<HeaderValue>) -> Self {
        self.authorization = value;
        self
    }

    async fn send(self, sandbox: &Sandbox, format: Format) -> Answer {
        let mut req = http()
            .request(
                self.method.parse().unwrap(),
                format!("{}{}", sandbox.base_url(), self.path),
            )
            .header("Accept", format.media_type());
        if let Some(a) = self.authorization {
            req = req.header("Authorization", a);
        }
        if let Some(ct) = self.content_type {
            req = req.header("Content-Type", ct);
        }
        if let Some(b) = self.body {
            req = req.body(b);
        }
        finish(req.send().await.unwrap(), format).await
    }
}

/// Sends `make()` in both formats; each answer must be `status` with a short message
/// containing `needle`, and nothing may change.
async fn refused_unchanged(sandbox: &Sandbox, make: impl Fn() -> Raw, status: u16, needle: &str) {
    let before = (sandbox.state().snapshot(), sandbox.clock().now());
    for format in FORMATS {
        let a = make().send(sandbox, format).await;
        let message = a.refused(status, needle);
        assert!(
            message.len() < 400,
            "the message stays short ({} bytes): {message}",
            message.len()
        );
    }
    assert_eq!(
        (sandbox.state().snapshot(), sandbox.clock().now()),
        before,
        "a refused request changed state"
    );
}

#[tokio::test]
async fn oversized_bodies_are_413_on_every_post_declared_or_chunked() {
    let sandbox = populated().await;
    let big = format!(r#"{{"Reason":"{}"}}"#, "x".repeat(MAX_BODY_BYTES));
    for path in POSTS.iter().copied().chain(["/_sandbox/webcam/2/reject"]) {
        refused_unchanged(
            &sandbox,
            || Raw::post(path, big.clone()),
            413,
            "65536-byte limit",
        )
        .await;
        // Without a Content-Length: the limit trips while reading the chunks.
        let before = sandbox.state().snapshot();
        for format in FORMATS {
            chunked_post(&sandbox, path, big.as_bytes(), format)
                .await
                .refused(413, "65536-byte limit");
        }
        assert_eq!(sandbox.state().snapshot(), before);
    }
}

/// `POST path` with `body` sent in 4 KiB chunks (`Transfer-Encoding: chunked`), over a raw
/// connection.
async fn chunked_post(sandbox: &Sandbox, path: &str, body: &[u8], format: Format) -> Answer {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(sandbox.local_addr())
        .await
        .unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: bearer {CLIENT_TOKEN}\r\nAccept: {}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
        format.media_type()
    );
    let mut request = head.into_bytes();
    for chunk in body.chunks(4096) {
        request.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        request.extend_from_slice(chunk);
        request.extend_from_slice(b"\r\n");
    }
    request.extend_from_slice(b"0\r\n\r\n");
    // The server may answer and close before reading everything: a failed write is fine.
    let _ = stream.write_all(&request).await;
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response).await;
    let text = String::from_utf8_lossy(&response).to_string();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let content_type = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-type:")
                .map(|v| v.trim().to_string())
        })
        .unwrap_or_default();
    Answer {
        status,
        content_type,
        headers: Default::default(),
        body: body.to_string(),
        format,
    }
}

#[tokio::test]
async fn deeply_nested_json_is_refused_without_a_crash() {
    let sandbox = populated().await;
    for path in POSTS {
        // 100,000 brackets: over the body limit before any parsing.
        refused_unchanged(
            &sandbox,
            || Raw::post(path, "[".repeat(100_000)),
            413,
            "limit",
        )
        .await;
        // Under the limit, the parser's depth limit refuses it.
        refused_unchanged(
            &sandbox,
            || Raw::post(path, "[".repeat(60_000)),
            400,
            "recursion limit exceeded",
        )
        .await;
        refused_unchanged(
            &sandbox,
            || {
                Raw::post(
                    path,
                    format!("{}1{}", "[".repeat(10_000), "]".repeat(10_000)),
                )
            },
            400,
            "recursion limit exceeded",
        )
        .await;
        refused_unchanged(
            &sandbox,
            || {
                Raw::post(
                    path,
                    format!(r#"{{"BookingID":{}}}"#, "{\"a\":".repeat(10_000)),
                )
            },
            400,
            "The request body is not valid JSON",
        )
        .await;
    }
}

#[tokio::test]
async fn huge_and_out_of_range_numbers_are_400() {
    let sandbox = populated().await;
    let cancel = "/v1/Webcam/CancelMadeBooking";
    let reschedule = "/v1/Webcam/RescheduleMadeBooking";
    let webcam = "/v1/Webcam/CreateBooking";
    let phone = "/v1/PhoneChat/CreateBooking";
    let sample = webcam_sample().to_string();
    let phone_sample = phone_chat_sample().to_string();
    let cases: Vec<(&str, String, &str)> = vec![
        (
            cancel,
            r#"{"BookingID":1e400,"Reason":"x"}"#.into(),
            "number out of range",
        ),
        (
            reschedule,
            r#"{"BookingID":18446744073709551616}"#.into(),
            "BookingID must be a JSON integer",
        ),
        (
            reschedule,
            r#"{"BookingID":18446744073709551615}"#.into(),
            "BookingID must be at most 9223372036854775807",
        ),
        (
            reschedule,
            r#"{"BookingID":-1}"#.into(),
            "BookingID is invalid",
        ),
        (
            reschedule,
            r#"{"BookingID":0}"#.into(),
            "BookingID is invalid",
        ),
        (
            reschedule,
            r#"{"BookingID":1.0}"#.into(),
            "BookingID must be a JSON integer",
        ),
        (
            reschedule,
            r#"{"BookingID":1e2}"#.into(),
            "BookingID must be a JSON integer",
        ),
        (
            webcam,
            sample.replace(r#""Credits":10"#, r#""Credits":1e400"#),
            "number out of range",
        ),
        (
            webcam,
            sample.replace(
                r#""Credits":10"#,
                r#""Credits":79228162514264337593543950336"#,
            ),
            "Credits is invalid",
        ),
        (
            webcam,
            sample.replace(r#""Credits":10"#, r#""Credits":-10"#),
            "Credits must be more than 0",
        ),
        (
            webcam,
            sample.replace(r#""Duration":10"#, r#""Duration":9223372036854775808"#),
            "Duration",
        ),
        (
            webcam,
            sample.replace(r#""Duration":10"#, r#""Duration":4294967296"#),
            "Duration",
        ),
        (
            webcam,
            sample.replace(
                r#""SoftwareTypeID":3"#,
                r#""SoftwareTypeID":18446744073709551616"#,
            ),
            "SoftwareTypeID must be a JSON integer",
        ),
        (
            webcam,
            sample.replace("123456,123457,123458", "99999999999999999999"),
            "BookUserIDs",
        ),
        (
            phone,
            phone_sample.replace(r#""Duration":15"#, r#""Duration":2147483648"#),
            "Duration is invalid",
        ),
        (
            phone,
            phone_sample.replace(r#""Method":1"#, r#""Method":-9223372036854775809"#),
            "Method must be a JSON integer",
        ),
        (
            phone,
            phone_sample.replace(r#""BookUserID":123456"#, r#""BookUserID":1e19"#),
            "BookUserID must be a JSON integer",
        ),
    ];
    for (path, body, needle) in cases {
        assert!(body.len() > 10);
        refused_unchanged(&sandbox, || Raw::post(path, body.clone()), 400, needle).await;
    }
}

#[tokio::test]
async fn wrong_types_and_unknown_fields_are_400_on_every_post() {
    let sandbox = populated().await;
    let bodies = |path: &str| match path {
        "/v1/Webcam/CreateBooking" => webcam_sample(),
        "/v1/PhoneChat/CreateBooking" => phone_chat_sample(),
        "/v1/Webcam/CancelMadeBooking" => json!({ "BookingID": 1, "Reason": "x" }),
        _ => json!({ "BookingID": 1 }),
    };
    for path in POSTS {
        let valid = bodies(path);
        for field in valid.as_object().unwrap().keys() {
            for wrong in [json!([1]), json!({ "a": 1 }), json!(true), json!("\u{0}")] {
                let mut body = valid.clone();
                // A string where a string belongs is not wrong: use an object there instead.
                body[field] = if valid[field].is_string() && wrong.is_string() {
                    json!({ "nested": wrong })
                } else if valid[field].is_boolean() && wrong.is_boolean() {
                    json!(1)
                } else {
                    wrong
                };
                refused_unchanged(
                    &sandbox,
                    || Raw::post(path, body.to_string()),
                    400,
                    &format!("{field} must be a JSON "),
                )
                .await;
            }
        }
        for (extra, needle) in [
            (json!({ "Unknown": 1 }), "unknown field `Unknown`"),
            (json!({ "bookingid": 1 }), "unknown field `bookingid`"),
            (
                json!({ "__proto__": { "admin": true } }),
                "unknown field `__proto__`",
            ),
        ] {
            let mut body = valid.clone();
            body.as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            refused_unchanged(&sandbox, || Raw::post(path, body.to_string()), 400, needle).await;
        }
    }
}

#[tokio::test]
async fn invalid_utf8_is_400_in_bodies_and_queries() {
    let sandbox = populated().await;
    let bodies: [&[u8]; 4] = [
        b"{\"BookingID\":1,\"Reason\":\"\xff\xfe\"}",
        b"{\"BookingID\":1,\"Reason\":\"caf\xc3\"}",
        b"{\"BookingID\":1,\"Reason\":\"\xed\xa0\x80\"}",
        b"{\"Booking\xc0\xafID\":1,\"Reason\":\"x\"}",
    ];
    for body in bodies {
        refused_unchanged(
            &sandbox,
            || Raw::post("/v1/Webcam/CancelMadeBooking", body.to_vec()),
            400,
            "The request body is not valid JSON",
        )
        .await;
    }
    for query in ["BookingID=%FF", "BookingID=1%C3", "%FF=1"] {
        refused_unchanged(
            &sandbox,
            || Raw::get(&format!("/v1/Webcam/MadeBookingDetails?{query}")),
            400,
            "",
        )
        .await;
    }
}

#[tokio::test]
async fn malformed_authorization_is_401_and_never_echoed() {
    let sandbox = populated().await;
    let huge = format!("bearer {}", "A".repeat(100 * 1024));
    let headers: Vec<(&str, Option<HeaderValue>)> = vec![
        ("missing", None),
        ("empty", Some(HeaderValue::from_static(""))),
        ("bearer alone", Some(HeaderValue::from_static("bearer"))),
        (
            "bearer and spaces",
            Some(HeaderValue::from_static("bearer    ")),
        ),
        ("Basic xyz", Some(HeaderValue::from_static("Basic xyz"))),
        (
            "Basic with the token",
            Some(HeaderValue::from_str(&format!("Basic {CLIENT_TOKEN}")).unwrap()),
        ),
        (
            "token without a scheme",
            Some(HeaderValue::from_static(CLIENT_TOKEN)),
        ),
        (
            "token with another case",
            Some(
                HeaderValue::from_str(&format!("bearer {}", CLIENT_TOKEN.to_uppercase())).unwrap(),
            ),
        ),
        (
            "token prefix",
            Some(HeaderValue::from_static("bearer sandbox-client-toke")),
        ),
        (
            "token with a suffix",
            Some(HeaderValue::from_str(&format!("bearer {CLIENT_TOKEN}x")).unwrap()),
        ),
        (
            "two tokens",
            Some(HeaderValue::from_str(&format!("bearer {CLIENT_TOKEN} {CLIENT_TOKEN}")).unwrap()),
        ),
        (
            "a 100 KB token",
            Some(HeaderValue::from_str(&huge).unwrap()),
        ),
        (
            "non-ASCII bytes",
            Some(HeaderValue::from_bytes(b"bearer sandbox-client-t\xc3\xb6ken").unwrap()),
        ),
        (
            "a lone high byte",
            Some(HeaderValue::from_bytes(b"bearer \xff").unwrap()),
        ),
    ];
    for (what, header) in headers {
        for (method, path, body) in [
            (
                "POST",
                "/v1/Webcam/CancelMadeBooking",
                Some(r#"{"BookingID":1,"Reason":"x"}"#),
            ),
            (
                "POST",
                "/v1/Webcam/RescheduleMadeBooking",
                Some(r#"{"BookingID":1}"#),
            ),
            ("GET", "/v1/Webcam/MadeBookingDetails?BookingID=1", None),
        ] {
            let make = || {
                let raw = match body {
                    Some(b) => Raw::post(path, b),
                    None => Raw::get(path),
                };
                Raw { method, ..raw }.authorization(header.clone())
            };
            let before = sandbox.state().snapshot();
            for format in FORMATS {
                let a = make().send(&sandbox, format).await;
                let message = a.refused(401, "Authorization has been denied for this request");
                assert!(message.len() < 200, "{what}: {message}");
                assert!(!a.body.contains("AAAAAAAA"), "{what}: the token was echoed");
                assert!(
                    !a.body.contains("sandbox-client"),
                    "{what}: the token was echoed"
                );
            }
            assert_eq!(sandbox.state().snapshot(), before, "{what}");
        }
    }
}

#[tokio::test]
async fn hostile_control_requests_are_4xx_and_change_nothing() {
    let sandbox = populated().await;
    let cases: Vec<(String, Option<&[u8]>, u16, &str)> = vec![
        ("/_sandbox/webcam/99999999999999999999/accept".into(), None, 400, "BookingID must be a positive integer"),
        ("/_sandbox/webcam/-1/accept".into(), None, 400, "BookingID must be a positive integer"),
        (format!("/_sandbox/webcam/{}/accept", "9".repeat(10_000)), None, 400, "BookingID must be a positive integer"),
        ("/_sandbox/webcam/2/%FF".into(), None, 400, "Invalid URL: Invalid UTF-8 in `"),
        ("/_sandbox/webcam/2/explode".into(), None, 404, "Unknown action"),
        ("/_sandbox/phonechat/%C3%28/accept".into(), None, 400, "Invalid URL: Invalid UTF-8 in `"),
        ("/_sandbox/webcam/2/reject".into(), Some(br#"{"Reason":5}"#), 400, "Reason is invalid"),
        ("/_sandbox/webcam/2/reject".into(), Some(br#"{"Reason":"x","Extra":1}"#), 400, "unknown field `Extra`"),
        ("/_sandbox/webcam/2/reject".into(), Some(b"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["), 400, "expected a string"),
        ("/_sandbox/webcam/2/reject".into(), Some(b"{\"Reason\":\"\xff\"}"), 400, "not valid JSON"),
        ("/_sandbox/clock".into(), Some(br#"{"AdvanceMinutes":1e400}"#), 400, "not valid JSON"),
        ("/_sandbox/clock".into(), Some(br#"{"Now":"2018-01-01T00:00:00""#), 400, "not valid JSON"),
        ("/_sandbox/clock".into(), Some(br#"{"AdvanceMinutes":18446744073709551616}"#), 400, "AdvanceMinutes is invalid"),
        ("/_sandbox/clock".into(), Some(br#"{"AdvanceMinutes":9223372036854775807}"#), 400, "AdvanceMinutes is out of range"),
        ("/_sandbox/clock".into(), Some(br#"{"AdvanceMinutes":-9223372036854775808}"#), 400, "AdvanceMinutes is out of range"),
        ("/_sandbox/clock".into(), Some(br#"{"Now":"99999-01-01T00:00:00"}"#), 400, "Now must look like"),
        ("/_sandbox/clock".into(), Some(br#"{"Now":"2018-02-30T00:00:00"}"#), 400, "Now must look like"),
    ];
    for (path, body, status, needle) in cases {
        refused_unchanged(
            &sandbox,
            || {
                let mut raw = Raw::post(&path, body.unwrap_or_default().to_vec());
                raw.authorization = None;
                if body.is_none() {
                    raw.body = None;
                    raw.content_type = None;
                }
                raw
            },
            status,
            needle,
        )
        .await;
    }
}

/// The clock control cannot be pushed to the end of the calendar, where adding the five
/// minutes of a reschedule (or reading a system clock a moment later) would overflow: it stays
/// within the API's four-digit years, and every request still gets an answer.
#[tokio::test]
async fn the_clock_cannot_be_moved_past_year_9999() {
    for frozen in [true, false] {
        let sandbox = if frozen {
            sandbox().await
        } else {
            Sandbox::start().await.unwrap()
        };
        let session = (sandbox.clock().now() + chrono::TimeDelta::days(2))
            .format("%Y-%m-%d %H:%M")
            .to_string();
        create_webcam(
            &sandbox,
            &with(webcam_sample(), json!({ "SessionDate": session })),
        )
        .await;
        let clock = |body: serde_json::Value| control(&sandbox, "/_sandbox/clock", Some(body));
        // To the last hour of year 9999: allowed.
        let to_the_end = at("9999-12-31 23:00") - sandbox.clock().now();
        let a = clock(json!({ "AdvanceMinutes": to_the_end.num_minutes() })).await;
        assert_eq!(a.status, 200, "{}", a.body);
        let before = (sandbox.state().snapshot(), sandbox.clock().now());
        // Chrono's calendar ends in year 262143: these would land within a minute of it.
        let max = chrono::NaiveDateTime::MAX;
        for minutes in [
            (max - sandbox.clock().now()).num_minutes(),
            (max - sandbox.clock().now()).num_minutes() - 5,
            24 * 60,
        ] {
            clock(json!({ "AdvanceMinutes": minutes }))
                .await
                .refused(400, "AdvanceMinutes is out of range");
        }
        assert_eq!(
            (sandbox.state().snapshot(), sandbox.clock().now().date()),
            (before.0.clone(), before.1.date())
        );
        // Every operation still answers (booking 1 is from "now", year 9999's last hour).
        let a = post(
            &sandbox,
            "/v1/Webcam/RescheduleMadeBooking",
            Format::Json,
            &json!({ "BookingID": 1 }),
        )
        .await;
        assert!(a.status < 500, "{}", a.body);
        let a = call(&sandbox, "GET", "/_sandbox/clock", None, Format::Json, None).await;
        assert_eq!(a.status, 200, "{}", a.body);
        sandbox.shutdown().await.unwrap();
    }
}

/// `Now` with an offset is converted to UTC (the sandbox's clock is UTC); an instant whose UTC
/// year leaves 1 to 9999 would make every answer undecodable, so it is refused.
#[tokio::test]
async fn the_clock_refuses_instants_outside_utc_years_1_to_9999() {
    let sandbox = populated().await;
    let before = (sandbox.state().snapshot(), sandbox.clock().now());
    for now in [
        "9999-12-31T23:59:00-14:00", // 10000-01-01T13:59 UTC
        "9999-12-31T10:00:00-14:00",
        "0001-01-01T00:00:00+14:00", // 0000-12-31T10:00 UTC
        "0001-01-01T13:59:59.999+14:00",
    ] {
        control(&sandbox, "/_sandbox/clock", Some(json!({ "Now": now })))
            .await
            .refused(400, "Now must be in a year from 1 to 9999 in UTC");
        assert_eq!(
            (sandbox.state().snapshot(), sandbox.clock().now()),
            before,
            "{now}"
        );
    }
    // A reschedule five minutes before the end of year 9999 would land in year 10000.
    let a = control(
        &sandbox,
        "/_sandbox/clock",
        Some(json!({ "Now": "9999-12-31T23:56:00" })),
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_refused(
        &sandbox,
        "/v1/Webcam/RescheduleMadeBooking",
        &json!({ "BookingID": 1 }),
        400,
        "SessionDate would be after year 9999",
    )
    .await;
    // The edges themselves are fine, and answers stay decodable there.
    for (now, utc) in [
        ("9999-12-31T09:59:00-14:00", "9999-12-31T23:59:00"),
        ("9999-12-31T23:59:59.999Z", "9999-12-31T23:59:59.999"),
        ("0001-01-01T14:00:00+14:00", "0001-01-01T00:00:00"),
    ] {
        let a = control(&sandbox, "/_sandbox/clock", Some(json!({ "Now": now }))).await;
        assert_eq!(a.status, 200, "{}", a.body);
        let v: serde_json::Value = serde_json::from_str(&a.body).unwrap();
        assert_eq!(v["Now"], utc, "{now}");
        let a = call(
            &sandbox,
            "GET",
            "/_sandbox/webcam/1",
            None,
            Format::Xml,
            None,
        )
        .await;
        let _: adultwork::types::WebcamBooking = a.decode("get_made_webcam_booking_details");
    }
    sandbox.shutdown().await.unwrap();
}

/// A string `extra` bytes longer than `field`'s limit (ASCII digits, so patterns that take
/// digits still match).
fn too_long(field: &str, extra: usize) -> String {
    let max = adultwork_sandbox::limits::max_string_bytes(field);
    "1".repeat(max + extra)
}

#[tokio::test]
async fn strings_longer_than_the_sandboxs_limits_are_400_and_change_nothing() {
    let sandbox = populated().await;
    let webcam = "/v1/Webcam/CreateBooking";
    let phone = "/v1/PhoneChat/CreateBooking";
    let cases = [
        (webcam, "SignInNameOrEmail", webcam_sample()),
        (webcam, "PhoneNumber", webcam_sample()),
        (webcam, "BookUserIDs", webcam_sample()),
        (webcam, "SessionDate", webcam_sample()),
        (
            phone,
            "SkypeName",
            with(phone_chat_sample(), json!({ "Method": 3 })),
        ),
        (phone, "Comments", phone_chat_sample()),
        (phone, "PhoneNumber", phone_chat_sample()),
        (phone, "AcceptBy", phone_chat_sample()),
        (
            "/v1/Webcam/CancelMadeBooking",
            "Reason",
            json!({ "BookingID": 1, "Reason": "x" }),
        ),
    ];
    for (path, field, body) in cases {
        let body = with(body, json!({ field: too_long(field, 1) }));
        assert_refused(&sandbox, path, &body, 400, &format!("{field} is 1025 bytes long; the sandbox accepts at most 1024 bytes (a limit of the sandbox, not of the API)")).await;
    }
    // An unknown field with a long name or value is held to the default limit as well.
    let body = with(webcam_sample(), json!({ "x".repeat(2000): 1 }));
    assert_refused(&sandbox, webcam, &body, 400, "is 2000 bytes long").await;
    // The control endpoints' strings too.
    for (path, field) in [
        ("/_sandbox/webcam/2/reject", "Reason"),
        ("/_sandbox/clock", "Now"),
    ] {
        let body = json!({ field: too_long(field, 1) })
            .to_string()
            .into_bytes();
        refused_unchanged(
            &sandbox,
            || {
                let mut raw = Raw::post(path, body.clone());
                raw.authorization = None;
                raw
            },
            400,
            &format!("{field} is 1025 bytes long"),
        )
        .await;
    }
    // At the limit, a free-text field is kept whole.
    let comments = "é".repeat(512); // 1024 bytes
    let a = post(
        &sandbox,
        phone,
        Format::Json,
        &with(phone_chat_sample(), json!({ "Comments": comments })),
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.body);
    let booking: adultwork::types::PhoneChatBooking = a.decode("create_phone_chat_booking");
    assert_eq!(booking.comments.as_deref(), Some(comments.as_str()));
    sandbox.shutdown().await.unwrap();
}

#[tokio::test]
async fn the_booking_count_is_capped_and_a_refused_booking_changes_nothing() {
    let sandbox = Sandbox::builder()
        .clock(adultwork_sandbox::Clock::fixed(t0()))
        .max_bookings(4)
        .start()
        .await
        .unwrap();
    assert_eq!(sandbox.state().max_bookings(), 4);
    // The docs' sample books two of its three invitees, and a sign-in at the string limit.
    let sign_in = "s".repeat(1024);
    let body = with(webcam_sample(), json!({ "SignInNameOrEmail": sign_in }));
    assert_eq!(create_webcam(&sandbox, &body).await, [1, 2]);
    // The reschedule loop of issue 12: each one adds a booking, until the cap.
    let reschedule = json!({ "BookingID": 1 });
    for _ in 0..2 {
        let a = post(
            &sandbox,
            "/v1/Webcam/RescheduleMadeBooking",
            Format::Json,
            &reschedule,
        )
        .await;
        assert_eq!(a.status, 200, "{}", a.body);
    }
    let full =
        "The sandbox holds at most 4 bookings (a limit of the sandbox, not of the API) and holds 4";
    assert_refused(
        &sandbox,
        "/v1/Webcam/RescheduleMadeBooking",
        &reschedule,
        507,
        full,
    )
    .await;
    assert_refused(
        &sandbox,
        "/v1/PhoneChat/CreateBooking",
        &phone_chat_sample(),
        507,
        full,
    )
    .await;
    assert_refused(
        &sandbox,
        "/v1/Webcam/CreateBooking",
        &webcam_sample(),
        507,
        full,
    )
    .await;
    // A create that would go past the cap is refused whole, not cut short.
    sandbox.state().set_max_bookings(5);
    assert_refused(
        &sandbox,
        "/v1/Webcam/CreateBooking",
        &webcam_sample(),
        507,
        "at most 5 bookings",
    )
    .await;
    let a = post(
        &sandbox,
        "/v1/PhoneChat/CreateBooking",
        Format::Json,
        &phone_chat_sample(),
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.body);
    // Reset makes room again.
    let a = control(&sandbox, "/_sandbox/reset", None).await;
    assert_eq!(a.status, 204, "{}", a.body);
    assert_eq!(create_webcam(&sandbox, &webcam_sample()).await, [1, 2]);
    sandbox.shutdown().await.unwrap();
}
