//! Fault rules end to end: each effect through the SDK, and `/_sandbox/faults` itself.

use std::time::{Duration, Instant};

use adultwork::types::CreateWebcamBookingRequest;
use adultwork::{Client, Error, Format, RetryPolicy};
use adultwork_sandbox::{CLIENT_TOKEN, Clock, Faults, MANAGER_TOKEN, Sandbox};
use serde_json::{Value, json};

use super::common::*;

/// A sandbox at [`t0`] that starts with `rules` (`{"Rules": [...]}`).
async fn sandbox_with(rules: Value) -> Sandbox {
    let faults = Faults::new();
    faults.add_json(&rules.to_string()).unwrap();
    Sandbox::builder()
        .clock(Clock::fixed(t0()))
        .faults(faults)
        .start()
        .await
        .unwrap()
}

/// The client's SDK client with fast retries and `timeout`.
fn sdk_client(sandbox: &Sandbox, timeout: Duration) -> Client {
    let clock = sandbox.clock().clone();
    Client::builder()
        .base_url(sandbox.base_url())
        .token(CLIENT_TOKEN)
        .timeout(timeout)
        .retry(RetryPolicy::exponential(3).base_delay(Duration::from_millis(5)))
        .clock(move || clock.now())
        .build()
        .unwrap()
}

fn webcam_request() -> CreateWebcamBookingRequest {
    serde_json::from_value(webcam_sample()).unwrap()
}

/// How often each rule has fired, in order.
fn fired(sandbox: &Sandbox) -> Vec<u64> {
    sandbox.faults().list().iter().map(|r| r.fired).collect()
}

/// A webcam booking 1 made by the client, without faults.
async fn with_booking(sandbox: &Sandbox) {
    sandbox
        .state()
        .create_webcam_booking(100_001, &webcam_request())
        .unwrap();
}

fn rule(operation: &str, times: Option<u64>, effect: Value) -> Value {
    let mut r = json!({"Operation": operation, "Effect": effect});
    if let Some(n) = times {
        r["Times"] = json!(n);
    }
    json!({ "Rules": [r] })
}

/// The bookings the docs' create sample makes: two of its three invitees use Skype.
const SAMPLE_BOOKINGS: usize = 2;

const GET: &str = "get_made_webcam_booking_details";
const CREATE: &str = "create_webcam_booking";

#[tokio::test]
async fn a_get_is_retried_through_503s_to_success() {
    let s = sandbox_with(rule(
        GET,
        Some(2),
        json!({"Respond": {"Status": 503, "Message": "Try later"}}),
    ))
    .await;
    with_booking(&s).await;
    let booking = sdk_client(&s, Duration::from_secs(10))
        .webcam_booking(1)
        .await
        .unwrap();
    assert_eq!(booking.webcam_booking_id, 1);
    assert_eq!(fired(&s), [2]);

    // Three 503s use up the SDK's three attempts: the last one is the answer.
    s.faults().clear();
    s.faults()
        .add_json(
            &rule(
                GET,
                Some(3),
                json!({"Respond": {"Status": 503, "Message": "Try later"}}),
            )
            .to_string(),
        )
        .unwrap();
    let e = sdk_client(&s, Duration::from_secs(10))
        .webcam_booking(1)
        .await
        .unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(503), "{e}");
    assert!(e.to_string().contains("Try later"), "{e}");
    assert_eq!(fired(&s), [3]);
}

#[tokio::test]
async fn retry_after_is_sent_and_honoured_by_the_sdk() {
    let s = sandbox_with(rule(
        GET,
        Some(1),
        json!({"Respond": {"Status": 503, "Message": "Try later", "RetryAfter": 1}}),
    ))
    .await;
    with_booking(&s).await;
    let started = Instant::now();
    sdk_client(&s, Duration::from_secs(10))
        .webcam_booking(1)
        .await
        .unwrap();
    let waited = started.elapsed();
    assert!(waited >= Duration::from_secs(1), "retried after {waited:?}");
    assert_eq!(fired(&s), [1]);

    // The header itself, and the error in the format asked for.
    s.faults()
        .add_json(
            &rule(
                GET,
                None,
                json!({"Respond": {"Status": 429, "Message": "Slow <down>", "RetryAfter": 7}}),
            )
            .to_string(),
        )
        .unwrap();
    let a = call(
        &s,
        "GET",
        "/v1/Webcam/MadeBookingDetails?BookingID=1",
        Some(CLIENT_TOKEN),
        Format::Xml,
        None,
    )
    .await;
    a.refused(429, "Slow <down>");
    assert_eq!(a.headers["retry-after"], "7");
    assert!(a.content_type.starts_with("application/xml"), "{a:?}");
}

#[tokio::test]
async fn a_post_is_never_retried_and_respond_applies_nothing() {
    let s = sandbox_with(rule(
        CREATE,
        None,
        json!({"Respond": {"Status": 503, "Message": "Try later", "RetryAfter": 0}}),
    ))
    .await;
    let e = sdk_client(&s, Duration::from_secs(10))
        .create_webcam_booking(webcam_request())
        .await
        .unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(503), "{e}");
    assert_eq!(fired(&s), [1], "the SDK sent the POST once");
    assert!(s.state().snapshot().webcam.is_empty());
}

#[tokio::test]
async fn apply_then_respond_makes_the_booking_and_answers_an_error() {
    let s = sandbox_with(rule(
        CREATE,
        Some(1),
        json!({"ApplyThenRespond": {"Status": 500, "Message": "Oops"}}),
    ))
    .await;
    let e = sdk_client(&s, Duration::from_secs(10))
        .create_webcam_booking(webcam_request())
        .await
        .unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(500), "{e}");
    assert_eq!(fired(&s), [1]);
    assert_eq!(s.state().snapshot().webcam.len(), SAMPLE_BOOKINGS);
}

#[tokio::test]
async fn a_dropped_answer_to_an_applied_post_is_an_unknown_outcome_and_the_booking_exists() {
    let s = sandbox_with(rule(CREATE, Some(1), json!({"ApplyThenDrop": {}}))).await;
    let c = sdk_client(&s, Duration::from_secs(10));
    let e = c.create_webcam_booking(webcam_request()).await.unwrap_err();
    assert!(e.outcome_unknown(), "{e:?}");
    assert_eq!(fired(&s), [1]);
    assert_eq!(s.state().snapshot().webcam.len(), SAMPLE_BOOKINGS);
    // The rule is used up: the client can look, and finds the booking.
    assert_eq!(c.webcam_booking(1).await.unwrap().webcam_booking_id, 1);
}

#[tokio::test]
async fn a_truncated_answer_keeps_what_arrived() {
    let s = sandbox_with(rule(CREATE, Some(1), json!({"Truncate": {"Bytes": 12}}))).await;
    let c = sdk_client(&s, Duration::from_secs(10));
    let e = c.create_webcam_booking(webcam_request()).await.unwrap_err();
    let Error::OutcomeUnknown { body, .. } = &e else {
        panic!("{e:?}");
    };
    assert_eq!(s.state().snapshot().webcam.len(), SAMPLE_BOOKINGS);
    // What arrived is the start of the real answer.
    let real = post(
        &s,
        "/v1/Webcam/CreateBooking",
        Format::Json,
        &webcam_sample(),
    )
    .await;
    assert_eq!(real.status, 200, "{}", real.body);
    assert_eq!(&body[..], &real.body.as_bytes()[..12], "{e:?}");

    // A truncated GET is a failure, not a value.
    s.faults()
        .add_json(&rule(GET, Some(1), json!({"Truncate": {"Bytes": 0}})).to_string())
        .unwrap();
    let e = c.webcam_booking(1).await.unwrap_err();
    assert!(!e.outcome_unknown(), "{e:?}");
    assert_eq!(fired(&s), [1, 1]);
}

#[tokio::test]
async fn a_reset_connection_applies_nothing() {
    let s = sandbox_with(rule(CREATE, Some(1), json!({"Reset": {}}))).await;
    let c = sdk_client(&s, Duration::from_secs(10));
    let e = c.create_webcam_booking(webcam_request()).await.unwrap_err();
    // The client cannot tell that nothing was done.
    assert!(e.outcome_unknown(), "{e:?}");
    assert!(e.to_string().contains("reset"), "{e}");
    assert_eq!(fired(&s), [1]);
    assert!(s.state().snapshot().webcam.is_empty());
    // The next request is served.
    assert_eq!(
        c.create_webcam_booking(webcam_request())
            .await
            .unwrap()
            .len(),
        3
    );
}

#[tokio::test]
async fn a_delay_beyond_the_sdk_timeout_is_a_timeout() {
    let s = sandbox_with(rule(GET, Some(1), json!({"Delay": {"Millis": 600}}))).await;
    with_booking(&s).await;
    let c = sdk_client(&s, Duration::from_millis(200));
    // The GET times out once and is retried.
    assert_eq!(c.webcam_booking(1).await.unwrap().webcam_booking_id, 1);
    assert_eq!(fired(&s), [1]);

    s.faults().clear();
    s.faults()
        .add_json(&rule(CREATE, Some(1), json!({"Delay": {"Millis": 600}})).to_string())
        .unwrap();
    let started = Instant::now();
    let e = c.create_webcam_booking(webcam_request()).await.unwrap_err();
    let Error::OutcomeUnknown { cause, .. } = &e else {
        panic!("{e:?}");
    };
    assert!(matches!(**cause, Error::Timeout), "{e:?}");
    assert!(started.elapsed() < Duration::from_millis(600));

    // Within the timeout, a delay only delays.
    s.faults()
        .add_json(&rule(GET, Some(1), json!({"Delay": {"Millis": 50}})).to_string())
        .unwrap();
    let started = Instant::now();
    c.webcam_booking(1).await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(50));
}

#[tokio::test]
async fn a_token_rule_spares_other_tokens_and_control_endpoints_are_never_faulted() {
    let s = sandbox_with(json!({"Rules": [
        {"Operation": "*", "Token": MANAGER_TOKEN, "Effect": {"Reset": {}}}
    ]}))
    .await;
    with_booking(&s).await;
    sdk_client(&s, Duration::from_secs(10))
        .webcam_booking(1)
        .await
        .unwrap();
    assert_eq!(fired(&s), [0]);
    let manager = sdk(&s, MANAGER_TOKEN, Format::Json);
    assert!(
        manager
            .as_group_member(100_001)
            .webcam_booking(1)
            .await
            .is_err()
    );
    assert_eq!(fired(&s), [1]);

    s.faults().clear();
    s.faults()
        .add_json(&rule("*", None, json!({"Reset": {}})).to_string())
        .unwrap();
    let a = call(&s, "GET", "/_sandbox/faults", None, Format::Json, None).await;
    assert_eq!(a.status, 200, "{}", a.body);
    let a = call(&s, "GET", "/_sandbox/clock", None, Format::Json, None).await;
    assert_eq!(a.status, 200, "{}", a.body);
}

#[tokio::test]
async fn the_faults_endpoint_adds_lists_and_clears_rules() {
    let s = sandbox().await;
    let body = json!({"Rules": [
      {"Operation": GET, "Times": 2,
       "Effect": {"Respond": {"Status": 503, "Message": "Try later", "RetryAfter": 1}}},
      {"Operation": CREATE, "Probability": 0.2, "Seed": 7, "Effect": {"ApplyThenDrop": {}}},
      {"Operation": "*", "Token": CLIENT_TOKEN, "Effect": {"Delay": {"Millis": 1}}}
    ]});
    let a = control(&s, "/_sandbox/faults", Some(body.clone())).await;
    assert_eq!(a.status, 200, "{}", a.body);
    with_booking(&s).await;
    let _ = sdk_client(&s, Duration::from_secs(10))
        .webcam_booking(1)
        .await;
    let a = call(&s, "GET", "/_sandbox/faults", None, Format::Json, None).await;
    let listed: Value = serde_json::from_str(&a.body).unwrap();
    let mut want = body["Rules"].clone();
    want[0]["Fired"] = json!(2);
    want[1]["Fired"] = json!(0);
    want[2]["Fired"] = json!(1);
    assert_eq!(listed["Rules"], want);

    // A bad rule: 400 naming the field, and the rules are as they were.
    for (bad, needle) in [
        (
            json!({"Rules": [{"Operation": "*", "Effect": {"Reset": {}}},
                             {"Operation": "*", "Probability": 2, "Effect": {"Reset": {}}}]}),
            "Rules[1].Probability must be from 0 to 1",
        ),
        (
            json!({"Rules": [{"Operation": "create_booking", "Effect": {"Reset": {}}}]}),
            "Rules[0].Operation must be",
        ),
        (
            json!({"Rules": [{"Operation": "*", "Effect": {"Respond": {"Status": 503}}}]}),
            "Rules[0].Effect.Respond",
        ),
    ] {
        control(&s, "/_sandbox/faults", Some(bad))
            .await
            .refused(400, needle);
        let again = call(&s, "GET", "/_sandbox/faults", None, Format::Json, None).await;
        assert_eq!(again.body, a.body, "a refused rule changed the rules");
    }

    let a = call(&s, "DELETE", "/_sandbox/faults", None, Format::Json, None).await;
    assert_eq!(a.status, 204, "{}", a.body);
    assert!(s.faults().list().is_empty());
}

#[tokio::test]
async fn the_faults_endpoint_has_the_control_endpoints_protections() {
    let s = sandbox().await;
    let rules = rule("*", None, json!({"Reset": {}})).to_string();
    let evil = http()
        .post(format!("{}/_sandbox/faults", s.base_url()))
        .header("Origin", "http://evil.example")
        .header("Content-Type", "application/json")
        .body(rules.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(evil.status(), 403);
    let form = http()
        .post(format!("{}/_sandbox/faults", s.base_url()))
        .header("Content-Type", "text/plain")
        .body(rules.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), 415);
    let delete = http()
        .delete(format!("{}/_sandbox/faults", s.base_url()))
        .header("Origin", "http://evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(delete.status(), 403);
    assert!(s.faults().list().is_empty());

    let off = Sandbox::builder().control(false).start().await.unwrap();
    let a = call(&off, "GET", "/_sandbox/faults", None, Format::Json, None).await;
    assert_eq!(a.status, 404);
}
