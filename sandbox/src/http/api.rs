//! The six operations of `openapi.yaml`: authorise, read the request, call the state, answer.

use adultwork::{Endpoint, Operation, endpoints};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;

use super::extract::{JsonBody, caller, id_param};
use super::negotiate::{ApiError, answer};
use crate::domain::state::SandboxState;

type Answer = Result<Response, ApiError>;
type Params = Result<Query<Vec<(String, String)>>, QueryRejection>;

fn params(q: Params) -> Result<Vec<(String, String)>, ApiError> {
    q.map(|Query(p)| p)
        .map_err(|e| ApiError::bad_request(format!("The query string is invalid: {e}")))
}

/// `POST /v1/Webcam/CreateBooking`.
pub async fn create_webcam_booking(
    State(s): State<SandboxState>,
    headers: HeaderMap,
    body: JsonBody,
) -> Answer {
    type E = endpoints::CreateWebcamBooking;
    const OP: Operation = E::OPERATION;
    let user = caller(&s, &headers, OP)?;
    let results = s.create_webcam_booking(user, &body.parse(OP)?)?;
    Ok(answer::<E>(results))
}

/// `GET /v1/Webcam/MadeBookingDetails?BookingID=`.
pub async fn get_made_webcam_booking_details(
    State(s): State<SandboxState>,
    headers: HeaderMap,
    q: Params,
) -> Answer {
    type E = endpoints::GetMadeWebcamBookingDetails;
    const OP: Operation = E::OPERATION;
    let user = caller(&s, &headers, OP)?;
    let booking_id = id_param(&params(q)?, "BookingID")?;
    Ok(answer::<E>(s.webcam_booking(user, booking_id)?))
}

/// `GET /v1/Groups/Webcam/MadeBookingDetails?UserID=&BookingID=`: a group manager acting as
/// a member of their group.
pub async fn get_group_made_webcam_booking_details(
    State(s): State<SandboxState>,
    headers: HeaderMap,
    q: Params,
) -> Answer {
    type E = endpoints::GetGroupMadeWebcamBookingDetails;
    const OP: Operation = E::OPERATION;
    let manager = caller(&s, &headers, OP)?;
    let p = params(q)?;
    let member = id_param(&p, "UserID")?;
    let booking_id = id_param(&p, "BookingID")?;
    s.act_as_member(manager, member)?;
    Ok(answer::<E>(s.webcam_booking(member, booking_id)?))
}

/// `POST /v1/Webcam/CancelMadeBooking`.
pub async fn cancel_made_webcam_booking(
    State(s): State<SandboxState>,
    headers: HeaderMap,
    body: JsonBody,
) -> Answer {
    type E = endpoints::CancelMadeWebcamBooking;
    const OP: Operation = E::OPERATION;
    let user = caller(&s, &headers, OP)?;
    Ok(answer::<E>(
        s.cancel_webcam_booking(user, &body.parse(OP)?)?,
    ))
}

/// `POST /v1/Webcam/RescheduleMadeBooking`.
pub async fn reschedule_made_webcam_booking(
    State(s): State<SandboxState>,
    headers: HeaderMap,
    body: JsonBody,
) -> Answer {
    type E = endpoints::RescheduleMadeWebcamBooking;
    const OP: Operation = E::OPERATION;
    let user = caller(&s, &headers, OP)?;
    Ok(answer::<E>(
        s.reschedule_webcam_booking(user, &body.parse(OP)?)?,
    ))
}

/// `POST /v1/PhoneChat/CreateBooking`.
pub async fn create_phone_chat_booking(
    State(s): State<SandboxState>,
    headers: HeaderMap,
    body: JsonBody,
) -> Answer {
    type E = endpoints::CreatePhoneChatBooking;
    const OP: Operation = E::OPERATION;
    let user = caller(&s, &headers, OP)?;
    Ok(answer::<E>(
        s.create_phone_chat_booking(user, &body.parse(OP)?)?,
    ))
}
