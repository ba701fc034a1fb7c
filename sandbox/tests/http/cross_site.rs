//! The control endpoints against a web page: whatever a page on another site can make the
//! browser send (a form POST, a `no-cors` fetch, a DNS-rebound name) is refused and changes
//! nothing; a page on this machine (a loopback `Origin`) sending JSON is served; and a
//! sandbox built without control endpoints answers 404 for them.

use adultwork::Format;
use adultwork_sandbox::{CLIENT_TOKEN, Clock, Sandbox};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::common::*;

/// Every state-changing control request, with a body a form could carry.
const CONTROL_POSTS: [&str; 8] = [
    "/_sandbox/webcam/2/accept",
    "/_sandbox/webcam/2/reject",
    "/_sandbox/webcam/1/confirm",
    "/_sandbox/phonechat/1/accept",
    "/_sandbox/phonechat/1/reject",
    "/_sandbox/phonechat/1/confirm",
    "/_sandbox/clock",
    "/_sandbox/reset",
];

/// The three content types a page may POST cross-site without a CORS preflight, each with a
/// body that would mean something if it were read (JSON in `text/plain` is the classic).
fn form_bodies() -> [(String, String); 3] {
    [
        (
            "application/x-www-form-urlencoded".into(),
            "Reason=pwned&AdvanceMinutes=60".into(),
        ),
        (
            "multipart/form-data; boundary=XyZ".into(),
            "--XyZ\r\nContent-Disposition: form-data; name=\"AdvanceMinutes\"\r\n\r\n60\r\n--XyZ--\r\n"
                .into(),
        ),
        ("text/plain".into(), r#"{"AdvanceMinutes":60}"#.into()),
    ]
}

/// `POST path` with an optional `Origin`, `Content-Type` and body; no token.
async fn send(
    sandbox: &Sandbox,
    method: &str,
    path: &str,
    origin: Option<&str>,
    content_type: Option<&str>,
    body: Option<&str>,
) -> Answer {
    let mut req = http().request(
        method.parse().unwrap(),
        format!("{}{path}", sandbox.base_url()),
    );
    if let Some(o) = origin {
        req = req.header("Origin", o);
    }
    if let Some(ct) = content_type {
        req = req.header("Content-Type", ct);
    }
    if let Some(b) = body {
        req = req.body(b.to_string());
    }
    finish(req.send().await.unwrap(), Format::Json).await
}

fn unchanged(sandbox: &Sandbox) -> impl Fn(&Sandbox) + use<> {
    let before = (sandbox.state().snapshot(), sandbox.clock().now());
    assert_eq!(before.0.webcam.len(), 2);
    move |sandbox: &Sandbox| {
        assert_eq!(
            (sandbox.state().snapshot(), sandbox.clock().now()),
            before,
            "a refused control request changed state"
        );
    }
}

#[tokio::test]
async fn form_posts_to_every_control_endpoint_are_refused_and_change_nothing() {
    let sandbox = sandbox().await;
    populate(&sandbox).await;
    let check = unchanged(&sandbox);
    for path in CONTROL_POSTS {
        for (content_type, body) in form_bodies() {
            // A form on another site: the browser sends its Origin (403 comes first)...
            send(
                &sandbox,
                "POST",
                path,
                Some("http://evil.example"),
                Some(&content_type),
                Some(&body),
            )
            .await
            .refused(403, "not Origin \"http://evil.example\"");
            // ...and without one (an old browser, a privacy extension), the type alone is 415.
            send(
                &sandbox,
                "POST",
                path,
                None,
                Some(&content_type),
                Some(&body),
            )
            .await
            .refused(415, "take Content-Type: application/json");
        }
        // A `fetch(url, {method: "POST", mode: "no-cors"})` has no body and no type, but an
        // Origin, possibly "null".
        for origin in ["http://evil.example", "null"] {
            send(&sandbox, "POST", path, Some(origin), None, None)
                .await
                .refused(403, "only answer pages served from this machine");
        }
        // A body without a Content-Type is not the bare `curl -X POST` exception.
        send(
            &sandbox,
            "POST",
            path,
            None,
            None,
            Some(r#"{"AdvanceMinutes":60}"#),
        )
        .await
        .refused(415, "(got none)");
        check(&sandbox);
    }
    sandbox.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_non_loopback_origin_is_403_even_with_json_and_on_reads() {
    let sandbox = sandbox().await;
    populate(&sandbox).await;
    let check = unchanged(&sandbox);
    for origin in [
        "http://evil.example",
        "https://evil.example:8443",
        "http://localhost.evil.example",
        "http://127.0.0.1.evil.example:8080",
        "http://10.0.0.1:8080",
        "file://",
        "null",
    ] {
        for path in CONTROL_POSTS {
            send(
                &sandbox,
                "POST",
                path,
                Some(origin),
                Some("application/json"),
                Some(r#"{"AdvanceMinutes":60}"#),
            )
            .await
            .refused(403, "a loopback Origin such as http://127.0.0.1:8080");
        }
        for path in [
            "/_sandbox/clock",
            "/_sandbox/webcam/1",
            "/_sandbox/phonechat/1",
        ] {
            send(&sandbox, "GET", path, Some(origin), None, None)
                .await
                .refused(403, "only answer pages served from this machine");
        }
    }
    check(&sandbox);
    // The API's own routes are not the control endpoints': they answer any Origin (a token
    // is what they check).
    let a = http()
        .get(format!(
            "{}/v1/Webcam/MadeBookingDetails?BookingID=1",
            sandbox.base_url()
        ))
        .header("Origin", "http://evil.example")
        .header("Authorization", format!("bearer {CLIENT_TOKEN}"))
        .send()
        .await
        .unwrap();
    assert_eq!(a.status(), 200);
    sandbox.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_loopback_origin_sending_json_is_served() {
    let sandbox = sandbox().await;
    populate(&sandbox).await;
    let origins = [
        "http://127.0.0.1:3000",
        "http://localhost:5173",
        "https://app.localhost",
        "http://[::1]:8080",
    ];
    let a = send(
        &sandbox,
        "POST",
        "/_sandbox/phonechat/1/reject",
        Some(origins[0]),
        Some("application/json; charset=utf-8"),
        Some(r#"{"Reason":"busy"}"#),
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(
        a.decode::<adultwork::types::PhoneChatBooking>("create_phone_chat_booking")
            .status
            .as_str(),
        "Rejected"
    );
    let a = send(
        &sandbox,
        "POST",
        "/_sandbox/clock",
        Some(origins[1]),
        Some("application/json"),
        Some(r#"{"AdvanceMinutes":60}"#),
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(sandbox.clock().now(), at("2018-01-01 12:00"));
    let a = send(
        &sandbox,
        "GET",
        "/_sandbox/webcam/2",
        Some(origins[2]),
        None,
        None,
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.body);
    let a = send(
        &sandbox,
        "POST",
        "/_sandbox/reset",
        Some(origins[3]),
        Some("application/json"),
        None,
    )
    .await;
    assert_eq!(a.status, 204, "{}", a.body);
    assert!(sandbox.state().snapshot().webcam.is_empty());
    sandbox.shutdown().await.unwrap();
}

#[tokio::test]
async fn a_bare_post_without_body_type_or_origin_is_served() {
    // What `curl -X POST URL` sends, and what no browser sends (every browser POST carries an
    // Origin): the control endpoints accept it, so scripts need no header.
    let sandbox = sandbox().await;
    populate(&sandbox).await;
    let a = send(
        &sandbox,
        "POST",
        "/_sandbox/webcam/2/accept",
        None,
        None,
        None,
    )
    .await;
    assert_eq!(a.status, 409, "{}", a.body); // served: booking 2 was cancelled by 1's accept
    let a = send(&sandbox, "POST", "/_sandbox/reset", None, None, None).await;
    assert_eq!(a.status, 204, "{}", a.body);
    assert!(sandbox.state().snapshot().webcam.is_empty());
    sandbox.shutdown().await.unwrap();
}

/// One raw request with `host` as its `Host` header; the answer's status line and body.
async fn with_host(sandbox: &Sandbox, request_line: &str, host: &str, body: &str) -> String {
    let mut stream = tokio::net::TcpStream::connect(sandbox.local_addr())
        .await
        .unwrap();
    let request = format!(
        "{request_line}\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = String::new();
    tokio::time::timeout(
        std::time::Duration::from_secs(10),
        stream.read_to_string(&mut answer),
    )
    .await
    .expect("an answer")
    .unwrap();
    answer
}

#[tokio::test]
async fn a_rebound_host_name_is_refused_on_loopback() {
    // DNS rebinding: a page on evil.example, whose name now resolves to 127.0.0.1, is
    // same-origin with the sandbox, but its requests say `Host: evil.example:PORT`.
    let sandbox = sandbox().await;
    populate(&sandbox).await;
    let check = unchanged(&sandbox);
    let port = sandbox.local_addr().port();
    for request_line in [
        "POST /_sandbox/reset HTTP/1.1",
        "GET /_sandbox/webcam/1 HTTP/1.1",
    ] {
        let answer = with_host(&sandbox, request_line, &format!("evil.example:{port}"), "").await;
        assert!(answer.starts_with("HTTP/1.1 403"), "{answer}");
        assert!(answer.contains("not Host \\\"evil.example:"), "{answer}");
    }
    check(&sandbox);
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        "[::1]".into(),
    ] {
        let answer = with_host(&sandbox, "GET /_sandbox/clock HTTP/1.1", &host, "").await;
        assert!(answer.starts_with("HTTP/1.1 200"), "{host}: {answer}");
    }
    let answer = with_host(
        &sandbox,
        "POST /_sandbox/reset HTTP/1.1",
        &format!("localhost:{port}"),
        "",
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 204"), "{answer}");
    sandbox.shutdown().await.unwrap();
}

#[tokio::test]
async fn without_control_endpoints_they_are_404_and_the_api_still_works() {
    let sandbox = Sandbox::builder()
        .clock(Clock::fixed(t0()))
        .control(false)
        .start()
        .await
        .unwrap();
    let ids = create_webcam(&sandbox, &webcam_sample()).await;
    assert_eq!(ids, [1, 2]);
    let before = (sandbox.state().snapshot(), sandbox.clock().now());
    for path in CONTROL_POSTS {
        send(
            &sandbox,
            "POST",
            path,
            None,
            Some("application/json"),
            Some(r#"{"AdvanceMinutes":60}"#),
        )
        .await
        .refused(404, "No HTTP resource was found");
    }
    for path in [
        "/_sandbox/clock",
        "/_sandbox/webcam/1",
        "/_sandbox/phonechat/1",
    ] {
        send(&sandbox, "GET", path, None, None, None)
            .await
            .refused(404, "No HTTP resource was found");
    }
    assert_eq!((sandbox.state().snapshot(), sandbox.clock().now()), before);
    let a = post(
        &sandbox,
        "/v1/Webcam/CancelMadeBooking",
        Format::Json,
        &json!({ "BookingID": 1, "Reason": "Changed my mind." }),
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.body);
    sandbox.shutdown().await.unwrap();
}
