//! Carrying out fault rules ([`Faults`]) on API requests: one middleware in front of the
//! operations of the spec (never the control endpoints). Effects that end the connection are
//! left to the connection ([`ConnectionFault`]); a truncated answer is a body that stops.

use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use adultwork::Operation;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::header::{ACCEPT, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, RETRY_AFTER};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body::{Frame, SizeHint};

use super::connection::ConnectionFault;
use super::negotiate::{Negotiated, Output, render};
use crate::domain::auth::bearer_token;
use crate::domain::faults::{Effect, Faults};

/// The spec's operation at `method` and `path`, if any.
fn operation_of(method: &str, path: &str) -> Option<Operation> {
    Operation::ALL
        .into_iter()
        .find(|op| op.path() == path && op.method().eq_ignore_ascii_case(method))
}

/// The middleware: asks the rules about each API request and carries out the effect of the
/// one that fires.
pub async fn middleware(State(faults): State<Faults>, req: Request, next: Next) -> Response {
    let Some(operation) = operation_of(req.method().as_str(), req.uri().path()) else {
        return next.run(req).await;
    };
    let token = req
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(bearer_token);
    let Some(effect) = faults.decide(operation, token) else {
        return next.run(req).await;
    };
    tracing::info!(%operation, ?effect, "fault rule fired");
    let format = Negotiated::from_accept(req.headers().get(ACCEPT).and_then(|v| v.to_str().ok()));
    match effect {
        Effect::Respond {
            status,
            message,
            retry_after,
        } => error(format, status, &message, retry_after),
        Effect::ApplyThenRespond {
            status,
            message,
            retry_after,
        } => {
            drop(next.run(req).await);
            error(format, status, &message, retry_after)
        }
        Effect::ApplyThenDrop {} => {
            drop(next.run(req).await);
            cut(format, ConnectionFault::Drop)
        }
        Effect::Delay { millis } => {
            tokio::time::sleep(Duration::from_millis(millis)).await;
            next.run(req).await
        }
        Effect::Truncate { bytes } => truncate(next.run(req).await, bytes).await,
        Effect::Reset {} => cut(format, ConnectionFault::Reset),
    }
}

/// An error answer in the negotiated format, with `Retry-After` if given.
fn error(format: Negotiated, status: u16, message: &str, retry_after: Option<u64>) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let (content_type, body) = render(&Output::Error(message.to_string()), format);
    let mut res = (status, body).into_response();
    res.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Some(secs) = retry_after {
        res.headers_mut()
            .insert(RETRY_AFTER, HeaderValue::from(secs));
    }
    res
}

/// The response that asks the connection to end: what a server other than the sandbox's own
/// sends instead (a 500 that says so).
fn cut(format: Negotiated, fault: ConnectionFault) -> Response {
    let mut res = error(
        format,
        500,
        "A fault rule asked to end this connection, which only the sandbox's own server \
         (Sandbox, serve) can do.",
        None,
    );
    res.extensions_mut().insert(fault);
    res
}

/// The response with its full `Content-Length` but only the first `bytes` bytes of its body;
/// then the body fails, which makes the server close the connection.
async fn truncate(res: Response, bytes: u64) -> Response {
    let (mut parts, body) = res.into_parts();
    // The sandbox's answers are in memory, and small (a booking list at most).
    let full = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let keep = usize::try_from(bytes).unwrap_or(usize::MAX).min(full.len());
    parts
        .headers
        .insert(CONTENT_LENGTH, HeaderValue::from(full.len()));
    let body = Truncated {
        head: full.slice(..keep),
        declared: full.len() as u64,
        step: Step::Send,
    };
    Response::from_parts(parts, Body::new(body))
}

/// Where a [`Truncated`] body is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Send,
    /// One turn without data, so that the server writes out what it has before the failure
    /// closes the connection.
    Flush,
    Fail,
}

/// A body that sends `head` and then fails, while declaring `declared` bytes.
struct Truncated {
    head: Bytes,
    declared: u64,
    step: Step,
}

/// The error that ends a [`Truncated`] body.
#[derive(Debug)]
struct TruncatedByFault;

impl std::fmt::Display for TruncatedByFault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("answer truncated by a fault rule")
    }
}

impl std::error::Error for TruncatedByFault {}

impl http_body::Body for Truncated {
    type Data = Bytes;
    type Error = TruncatedByFault;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, TruncatedByFault>>> {
        match self.step {
            Step::Send => {
                self.step = Step::Flush;
                if !self.head.is_empty() {
                    let head = std::mem::take(&mut self.head);
                    return Poll::Ready(Some(Ok(Frame::data(head))));
                }
                cx.waker().wake_by_ref();
                Poll::Pending
            }
            Step::Flush => {
                self.step = Step::Fail;
                cx.waker().wake_by_ref();
                Poll::Pending
            }
            Step::Fail => Poll::Ready(Some(Err(TruncatedByFault))),
        }
    }

    fn is_end_stream(&self) -> bool {
        false
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.declared)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations_are_found_by_method_and_path_from_the_spec() {
        for op in Operation::ALL {
            assert_eq!(operation_of(op.method(), op.path()), Some(op));
        }
        assert_eq!(operation_of("GET", "/v1/Webcam/CreateBooking"), None);
        assert_eq!(operation_of("POST", "/_sandbox/faults"), None);
    }
}
