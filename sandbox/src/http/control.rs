//! `/_sandbox/...`: play the other party (accept, reject, confirm), look at any booking, move
//! the clock, set fault rules and reset. No authentication: these exist only in the sandbox.

use adultwork::{MinuteDateTime, Timestamp, endpoints};
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{NaiveDateTime, TimeDelta};
use serde::Deserialize;
use serde_json::json;

use super::extract::{JsonBody, parse_json};
use super::negotiate::{ApiError, answer, json};
use crate::domain::faults::Faults;
use crate::domain::lifecycle::Transition;
use crate::domain::state::SandboxState;

type Answer = Result<Response, ApiError>;

/// The endpoint whose response (and XML shape) control answers about webcam bookings use.
type WebcamView = endpoints::GetMadeWebcamBookingDetails;
/// The endpoint whose response (and XML shape) control answers about phone-chat bookings use.
type PhoneChatView = endpoints::CreatePhoneChatBooking;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RejectBody {
    #[serde(rename = "Reason", default)]
    reason: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClockBody {
    #[serde(rename = "AdvanceMinutes", default)]
    advance_minutes: Option<i64>,
    #[serde(rename = "Now", default)]
    now: Option<String>,
}

/// The path's parameters, or a 400 in the API's error shape (axum's own rejection is plain
/// text), e.g. for percent-encoded bytes that are not UTF-8.
fn params<T>(path: Result<Path<T>, PathRejection>) -> Result<T, ApiError> {
    path.map(|Path(p)| p)
        .map_err(|e| ApiError::bad_request(format!("{}.", e.body_text())))
}

fn booking_id(raw: &str) -> Result<i64, ApiError> {
    super::extract::id_text("BookingID", raw)
}

/// The transition an action names, reading the optional `{"Reason": ...}` of a reject.
fn transition(action: &str, body: JsonBody) -> Result<Transition, ApiError> {
    match action {
        "accept" => Ok(Transition::Accept),
        "confirm" => Ok(Transition::Confirm),
        "reject" => {
            let bytes = body.bytes()?;
            let body: RejectBody = if bytes.iter().all(u8::is_ascii_whitespace) {
                RejectBody::default()
            } else {
                parse_json(&bytes)?
            };
            Ok(Transition::Reject(
                body.reason.filter(|r| !r.trim().is_empty()),
            ))
        }
        other => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            format!("Unknown action {other:?}: use accept, reject or confirm."),
        )),
    }
}

/// `POST /_sandbox/webcam/{BookingID}/{accept|reject|confirm}`: the performer answers.
pub async fn webcam_action(
    State(s): State<SandboxState>,
    path: Result<Path<(String, String)>, PathRejection>,
    body: JsonBody,
) -> Answer {
    let (id, action) = params(path)?;
    let id = booking_id(&id)?;
    let t = transition(&action, body)?;
    Ok(answer::<WebcamView>(s.webcam_transition(id, &t)?))
}

/// `POST /_sandbox/phonechat/{BookingID}/{accept|reject|confirm}`: the candidate answers.
pub async fn phone_chat_action(
    State(s): State<SandboxState>,
    path: Result<Path<(String, String)>, PathRejection>,
    body: JsonBody,
) -> Answer {
    let (id, action) = params(path)?;
    let id = booking_id(&id)?;
    let t = transition(&action, body)?;
    Ok(answer::<PhoneChatView>(s.phone_chat_transition(id, &t)?))
}

/// `GET /_sandbox/webcam/{BookingID}`: any webcam booking, whoever made it.
pub async fn webcam_view(
    State(s): State<SandboxState>,
    path: Result<Path<String>, PathRejection>,
) -> Answer {
    let id = params(path)?;
    Ok(answer::<WebcamView>(
        s.any_webcam_booking(booking_id(&id)?)?,
    ))
}

/// `GET /_sandbox/phonechat/{BookingID}`: any phone-chat booking.
pub async fn phone_chat_view(
    State(s): State<SandboxState>,
    path: Result<Path<String>, PathRejection>,
) -> Answer {
    let id = params(path)?;
    Ok(answer::<PhoneChatView>(
        s.any_phone_chat_booking(booking_id(&id)?)?,
    ))
}

fn clock_answer(s: &SandboxState) -> Response {
    let now = s.clock().now();
    json(
        StatusCode::OK,
        json!({ "Now": Timestamp::from_naive(now).to_string(), "Frozen": s.clock().is_frozen() }),
    )
}

/// `GET /_sandbox/clock`: `{"Now": ..., "Frozen": ...}`.
pub async fn get_clock(State(s): State<SandboxState>) -> Response {
    clock_answer(&s)
}

/// `POST /_sandbox/clock` with `{"AdvanceMinutes": n}` (moves it) or `{"Now": "..."}` (pins it).
pub async fn set_clock(State(s): State<SandboxState>, body: JsonBody) -> Answer {
    let body: ClockBody = parse_json(&body.bytes()?)?;
    match (body.advance_minutes, body.now) {
        (Some(minutes), None) => {
            TimeDelta::try_minutes(minutes)
                .and_then(|d| s.clock().advance(d))
                .ok_or_else(|| {
                    ApiError::bad_request(format!(
                        "AdvanceMinutes is out of range (got {minutes})."
                    ))
                })?;
        }
        (None, Some(now)) => {
            let at = parse_now(&now)?;
            s.clock().try_set(at).ok_or_else(|| {
                ApiError::bad_request(format!(
                    "Now must be in a year from 1 to 9999 in UTC (got {:?}, which is {} UTC).",
                    now.chars().take(40).collect::<String>(),
                    at.format("%Y-%m-%dT%H:%M:%S")
                ))
            })?;
        }
        _ => {
            return Err(ApiError::bad_request(
                "Send exactly one of AdvanceMinutes (a number of minutes) or Now (YYYY-MM-DDTHH:MM:SS).",
            ));
        }
    }
    Ok(clock_answer(&s))
}

/// `Now` as `YYYY-MM-DDTHH:MM[:SS[.fff]]` (an offset, if any, is converted to UTC) or
/// `YYYY-MM-DD HH:MM`.
fn parse_now(raw: &str) -> Result<NaiveDateTime, ApiError> {
    if let Ok(t) = raw.parse::<Timestamp>() {
        return Ok(t.to_utc().map_or(t.naive(), |utc| utc.naive_utc()));
    }
    raw.parse::<MinuteDateTime>()
        .map(|m| m.naive())
        .map_err(|_| {
            ApiError::bad_request(format!(
                "Now must look like YYYY-MM-DDTHH:MM:SS (got {raw:?})."
            ))
        })
}

/// `POST /_sandbox/reset`: forgets every booking and resets the clock.
pub async fn reset(State(s): State<SandboxState>) -> Response {
    s.reset();
    StatusCode::NO_CONTENT.into_response()
}

fn faults_answer(faults: &Faults) -> Response {
    json(StatusCode::OK, json!({ "Rules": faults.list() }))
}

/// `GET /_sandbox/faults`: `{"Rules": [{..., "Fired": n}]}`.
pub async fn list_faults(State(faults): State<Faults>) -> Response {
    faults_answer(&faults)
}

/// `POST /_sandbox/faults` with `{"Rules": [...]}`: adds them after the rules in force and
/// answers every rule; a bad rule is a 400 naming its field, and adds none.
pub async fn add_faults(State(faults): State<Faults>, body: JsonBody) -> Answer {
    let bytes = body.bytes()?;
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| ApiError::bad_request("The body must be UTF-8 JSON."))?;
    faults
        .add_json(text)
        .map_err(|e| ApiError::bad_request(format!("{e}.")))?;
    Ok(faults_answer(&faults))
}

/// `DELETE /_sandbox/faults`: removes every rule.
pub async fn clear_faults(State(faults): State<Faults>) -> Response {
    faults.clear();
    StatusCode::NO_CONTENT.into_response()
}
