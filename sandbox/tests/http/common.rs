//! Shared helpers: start a sandbox at a fixed time, send raw requests, read answers in either
//! format, read the SDK crate's test data, fetch the page.

use adultwork::{Client, Format};
use adultwork_sandbox::{CLIENT_TOKEN, Clock, Sandbox, SandboxData, Snapshot};
use chrono::NaiveDateTime;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// Both wire formats, by the `Accept` value that selects them.
pub const FORMATS: [Format; 2] = [Format::Json, Format::Xml];

/// 2018-01-01 11:00, the docs' `CreateDate`: the fixed "now" of most tests.
pub fn t0() -> NaiveDateTime {
    at("2018-01-01 11:00")
}

/// A `YYYY-MM-DD HH:MM` time.
pub fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

/// A sandbox with the default data and a clock frozen at [`t0`].
pub async fn sandbox() -> Sandbox {
    sandbox_at(t0()).await
}

/// A sandbox with the default data and a clock frozen at `now`.
pub async fn sandbox_at(now: NaiveDateTime) -> Sandbox {
    Sandbox::builder()
        .clock(Clock::fixed(now))
        .start()
        .await
        .expect("sandbox starts")
}

/// A sandbox with `data` and a clock frozen at `now`.
pub async fn sandbox_of(data: SandboxData, now: NaiveDateTime) -> Sandbox {
    Sandbox::builder()
        .data(data)
        .clock(Clock::fixed(now))
        .start()
        .await
        .expect("sandbox starts")
}

/// A file of the SDK crate's `tests/data/`, verbatim.
fn sdk_test_data(relative: &str) -> String {
    let path = format!("{}/../tests/data/{relative}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A docs sample (`tests/data/docs/`), verbatim.
pub fn docs(name: &str) -> String {
    sdk_test_data(&format!("docs/{name}"))
}

/// A golden file of the real .NET serializer (`tests/data/datacontract/`), verbatim.
pub fn golden(name: &str) -> String {
    sdk_test_data(&format!("datacontract/{name}"))
}

/// `body` in `format` as the success type of `operation`, decoding JSON or DataContract XML.
pub fn decode<T: DeserializeOwned>(operation: &str, format: Format, body: &str) -> T {
    match format {
        Format::Json => serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}")),
        _ => {
            let op = adultwork::Operation::from_id(operation).unwrap().xml();
            adultwork::xml::from_slice(op, body.as_bytes())
                .unwrap_or_else(|e| panic!("{e}: {body}"))
        }
    }
}

/// An SDK client of `sandbox` with `token` and `format`, whose clock is the sandbox's.
pub fn sdk(sandbox: &Sandbox, token: &str, format: Format) -> Client {
    let clock = sandbox.clock().clone();
    Client::builder()
        .base_url(sandbox.base_url())
        .token(token)
        .format(format)
        .clock(move || clock.now())
        .build()
        .unwrap()
}

/// The client token's SDK client.
pub fn client(sandbox: &Sandbox, format: Format) -> Client {
    sdk(sandbox, CLIENT_TOKEN, format)
}

/// An HTTP answer, kept raw.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub content_type: String,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
    pub format: Format,
}

impl Answer {
    /// The error message of a `{"Message"}` or `<Error><Message>` body, in the answer's format.
    pub fn message(&self) -> String {
        match self.format {
            Format::Json => {
                let v: Value = serde_json::from_str(&self.body)
                    .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body));
                v["Message"].as_str().expect("a Message").to_string()
            }
            _ => {
                assert!(self.body.starts_with("<Error>"), "{}", self.body);
                adultwork::xml::error_message(self.body.as_bytes()).expect("an XML Message")
            }
        }
    }

    /// The body as the success type of `operation`, decoding JSON or DataContract XML.
    pub fn decode<T: DeserializeOwned>(&self, operation: &str) -> T {
        decode(operation, self.format, &self.body)
    }

    /// Asserts the status and that the message contains `needle`; returns the message.
    #[track_caller]
    pub fn refused(&self, status: u16, needle: &str) -> String {
        assert_eq!(self.status, status, "{}", self.body);
        let message = self.message();
        assert!(
            message.contains(needle),
            "{message:?} should contain {needle:?}"
        );
        message
    }
}

thread_local! {
    /// One HTTP client per test thread (so per tokio runtime): building a client is slow, and
    /// a pooled connection must not outlive the runtime that opened it.
    static HTTP: reqwest::Client = reqwest::Client::builder().no_proxy().build().unwrap();
}

/// This thread's HTTP client.
pub fn http() -> reqwest::Client {
    HTTP.with(Clone::clone)
}

/// One raw request: `method path`, an optional bearer token, the `Accept` for `format`, and
/// an optional body sent as `application/json` text.
pub async fn call(
    sandbox: &Sandbox,
    method: &str,
    path: &str,
    token: Option<&str>,
    format: Format,
    body: Option<&str>,
) -> Answer {
    let mut req = http()
        .request(
            method.parse().unwrap(),
            format!("{}{path}", sandbox.base_url()),
        )
        .header("Accept", format.media_type());
    if let Some(t) = token {
        req = req.header("Authorization", format!("bearer {t}"));
    }
    if let Some(b) = body {
        req = req
            .header("Content-Type", "application/json")
            .body(b.to_string());
    }
    finish(req.send().await.unwrap(), format).await
}

/// Reads a response into an [`Answer`].
pub async fn finish(res: reqwest::Response, format: Format) -> Answer {
    let status = res.status().as_u16();
    let headers = res.headers().clone();
    let content_type = headers
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    Answer {
        status,
        content_type,
        headers,
        body: res.text().await.unwrap(),
        format,
    }
}

/// `POST path` with `body` as the client.
pub async fn post(sandbox: &Sandbox, path: &str, format: Format, body: &Value) -> Answer {
    call(
        sandbox,
        "POST",
        path,
        Some(CLIENT_TOKEN),
        format,
        Some(&body.to_string()),
    )
    .await
}

/// A control request (no token, JSON answers).
pub async fn control(sandbox: &Sandbox, path: &str, body: Option<Value>) -> Answer {
    let body = body.map(|b| b.to_string());
    call(sandbox, "POST", path, None, Format::Json, body.as_deref()).await
}

/// `GET /_sandbox/`, the page, which must answer 200.
pub async fn page(sandbox: &Sandbox) -> Answer {
    let a = call(sandbox, "GET", "/_sandbox/", None, Format::Json, None).await;
    assert_eq!(a.status, 200, "{}", a.body);
    a
}

/// The page's table row `<tr id="{id}" ...>` up to (not including) its `</tr>`.
#[track_caller]
pub fn page_row<'a>(page: &'a str, id: &str) -> &'a str {
    let start = page
        .find(&format!("<tr id=\"{id}\""))
        .unwrap_or_else(|| panic!("no row {id} in {page}"));
    let end = start + page[start..].find("</tr>").expect("the row ends");
    &page[start..end]
}

/// The docs' create-webcam sample body, with the sign-in the details sample shows.
pub fn webcam_sample() -> Value {
    json!({
        "BookUserIDs": "123456,123457,123458",
        "SessionDate": "2018-02-01 12:00",
        "AlsoPhoneChat": true,
        "PhoneNumber": "0123456789",
        "Duration": 10,
        "Credits": 10,
        "SoftwareTypeID": 3,
        "SignInNameOrEmail": "ClientUserOnSkype"
    })
}

/// A valid phone-chat body (the docs' sample with a valid phone number).
pub fn phone_chat_sample() -> Value {
    json!({
        "BookUserID": 123456,
        "SessionDate": "2018-02-21 21:30",
        "Duration": 15,
        "Method": 1,
        "PhoneNumber": "44123456789",
        "Credits": 32,
        "AcceptBy": "2018-02-21 18:00",
        "Comments": "Hi, I had a great time last weekend, I want to do it again tonight!"
    })
}

/// `base` with `changes` merged in (a `null` change removes the field).
pub fn with(mut base: Value, changes: Value) -> Value {
    for (k, v) in changes.as_object().unwrap() {
        if v.is_null() {
            base.as_object_mut().unwrap().remove(k);
        } else {
            base[k] = v.clone();
        }
    }
    base
}

/// Sends `body` to `path` in both formats and checks each is refused with `status` and a
/// message containing `needle`, and that no booking changed.
pub async fn assert_refused(
    sandbox: &Sandbox,
    path: &str,
    body: &Value,
    status: u16,
    needle: &str,
) {
    let before: Snapshot = sandbox.state().snapshot();
    for format in FORMATS {
        post(sandbox, path, format, body)
            .await
            .refused(status, needle);
    }
    assert_eq!(
        sandbox.state().snapshot(),
        before,
        "a refused request changed state"
    );
}

/// Creates bookings from `body` as the client and returns their IDs (status 0 and 1).
pub async fn create_webcam(sandbox: &Sandbox, body: &Value) -> Vec<i64> {
    let a = post(sandbox, "/v1/Webcam/CreateBooking", Format::Json, body).await;
    assert_eq!(a.status, 200, "{}", a.body);
    let results: Vec<adultwork::types::WebcamBookingResult> = a.decode("create_webcam_booking");
    results.iter().filter_map(|r| r.booking_id).collect()
}

/// The history of the docs' cancel sample (page 003): webcam booking 1 accepted at 15:00 on
/// 2018-01-01, and the clock then at 16:00, when the sample cancels it.
pub async fn accept_as_in_the_cancel_sample(sandbox: &Sandbox) {
    sandbox.clock().set(at("2018-01-01 15:00"));
    let a = control(sandbox, "/_sandbox/webcam/1/accept", None).await;
    assert_eq!(a.status, 200, "{}", a.body);
    sandbox.clock().set(at("2018-01-01 16:00"));
}

/// Gives `sandbox` something to lose: webcam bookings 1 and 2 (1 accepted) and phone-chat
/// booking 1.
pub async fn populate(sandbox: &Sandbox) {
    create_webcam(sandbox, &webcam_sample()).await;
    let a = control(sandbox, "/_sandbox/webcam/1/accept", None).await;
    assert_eq!(a.status, 200, "{}", a.body);
    let a = post(
        sandbox,
        "/v1/PhoneChat/CreateBooking",
        Format::Json,
        &phone_chat_sample(),
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.body);
}
