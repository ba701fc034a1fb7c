//! Every status code the sandbox answers on an API route is one the spec declares for that
//! operation: the documented answer and each labelled assumption (`x-assumed`).

use adultwork::Format;
use adultwork_sandbox::{CLIENT_TOKEN, MANAGER_TOKEN, MAX_BODY_BYTES, NOSCOPE_TOKEN, Sandbox};
use serde_json::Value;

use crate::common::*;

fn spec() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi.yaml");
    serde_norway::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The status codes the spec declares for `method` `path`.
fn declared(spec: &Value, method: &str, path: &str) -> Vec<u16> {
    spec["paths"][path][method.to_ascii_lowercase()]["responses"]
        .as_object()
        .unwrap_or_else(|| panic!("{method} {path} is not in the spec"))
        .keys()
        .map(|k| k.parse().unwrap())
        .collect()
}

/// Raw requests that provoke each kind of answer on `method path` (query included for GET).
async fn answers(sandbox: &Sandbox, method: &str, path: &str, token: &str) -> Vec<(String, u16)> {
    let wrong_method = if method == "GET" { "POST" } else { "GET" };
    let big = format!("{{\"Reason\":\"{}\"}}", "x".repeat(MAX_BODY_BYTES));
    let mut out = Vec::new();
    let mut record = |what: &str, status: u16| out.push((what.to_string(), status));
    let body = (method == "POST").then_some("{}");
    let a = call(sandbox, method, path, None, Format::Json, body).await;
    record("no token", a.status);
    let a = call(
        sandbox,
        method,
        path,
        Some(NOSCOPE_TOKEN),
        Format::Json,
        body,
    )
    .await;
    record("no scope", a.status);
    let a = call(sandbox, wrong_method, path, Some(token), Format::Json, body).await;
    record("wrong method", a.status);
    if method == "POST" {
        for (what, body) in [
            ("empty object", "{}"),
            ("unknown booking", r#"{"BookingID": 999, "Reason": "x"}"#),
            ("not JSON", "nope"),
            ("too big", big.as_str()),
        ] {
            let a = call(sandbox, method, path, Some(token), Format::Xml, Some(body)).await;
            record(what, a.status);
        }
        let res = http()
            .post(format!("{}{path}", sandbox.base_url()))
            .header("Authorization", format!("bearer {token}"))
            .header("Content-Type", "text/plain")
            .body("{}")
            .send()
            .await
            .unwrap();
        record("text/plain", res.status().as_u16());
    } else {
        let a = call(
            sandbox,
            method,
            &path.replace("BookingID=1", "BookingID=999"),
            Some(token),
            Format::Xml,
            None,
        )
        .await;
        record("unknown booking", a.status);
        let a = call(
            sandbox,
            method,
            &path.replace("BookingID=1", "BookingID=x"),
            Some(token),
            Format::Json,
            None,
        )
        .await;
        record("bad query", a.status);
    }
    out
}

#[tokio::test]
async fn every_status_the_sandbox_answers_on_an_api_route_is_declared() {
    let spec = spec();
    let sandbox = sandbox().await;
    let mut seen = std::collections::BTreeSet::new();
    for (method, path, query, token) in [
        ("POST", "/v1/Webcam/CreateBooking", "", CLIENT_TOKEN),
        (
            "GET",
            "/v1/Webcam/MadeBookingDetails",
            "?BookingID=1",
            CLIENT_TOKEN,
        ),
        (
            "GET",
            "/v1/Groups/Webcam/MadeBookingDetails",
            "?UserID=100001&BookingID=1",
            MANAGER_TOKEN,
        ),
        ("POST", "/v1/Webcam/CancelMadeBooking", "", CLIENT_TOKEN),
        ("POST", "/v1/Webcam/RescheduleMadeBooking", "", CLIENT_TOKEN),
        ("POST", "/v1/PhoneChat/CreateBooking", "", CLIENT_TOKEN),
    ] {
        let codes = declared(&spec, method, path);
        for (what, status) in answers(&sandbox, method, &format!("{path}{query}"), token).await {
            assert!(
                codes.contains(&status),
                "{method} {path}, {what}: the sandbox answers {status}, the spec declares {codes:?}"
            );
            seen.insert(status);
        }
    }
    // The requests above reach every error the sandbox has for a well-behaved client.
    assert_eq!(
        seen.into_iter().collect::<Vec<_>>(),
        [400, 401, 403, 404, 405, 413, 415]
    );
}
