//! The HTTP layer: the router, over the domain. Imports the domain, never the server (which
//! hosts it), so a router can be mounted in any axum application.
//!
//! - this module: the routes, generated from the spec (an exhaustive match on
//!   [`Operation`]: an operation added to the spec does not compile until it has a handler),
//!   the body limit, request logging;
//! - [`api`]: one handler per operation, translating between HTTP and
//!   [`SandboxState`]; [`extract`]: reading bodies, query parameters and the bearer token,
//!   and a [`Refusal`](crate::domain::refusal::Refusal) as a status code; [`negotiate`]: JSON
//!   or XML, one middleware;
//! - [`guard`]: what the control endpoints refuse from web pages; [`control`]: the
//!   `/_sandbox/...` endpoints; [`page`]: the page at `/_sandbox/`;
//! - [`inject`]: carrying out fault rules on API requests;
//! - [`config`]: [`ServerConfig`], the part of it the router reads and the rest the server
//!   reads; [`connection`]: what the HTTP layer and the connection serving it tell each other
//!   (types the server imports from here, so that this layer needs nothing above it).

mod api;
pub(crate) mod config;
pub(crate) mod connection;
mod control;
mod extract;
mod guard;
mod inject;
mod negotiate;
mod page;

use std::time::Duration;

use adultwork::Operation;
use axum::extract::DefaultBodyLimit;
use axum::http::header::{AUTHORIZATION, CONNECTION, HeaderValue};
use axum::http::{Request, Response, StatusCode};
use axum::routing::{MethodFilter, MethodRouter, delete, get, on, post};
use axum::{Extension, Router};
use tower_http::sensitive_headers::SetSensitiveRequestHeadersLayer;
use tower_http::trace::TraceLayer;
use tracing::Span;

use config::BodyTimeout;
pub use config::{MAX_BODY_BYTES, ServerConfig};
pub use negotiate::{ApiError, Negotiated};

use crate::domain::state::SandboxState;

/// The handler of each operation of the spec, at its method. The match is exhaustive: an
/// operation added to the spec does not compile until the sandbox implements it.
fn api_route(operation: Operation) -> MethodRouter<SandboxState> {
    let filter = match operation.method() {
        "GET" => MethodFilter::GET,
        "POST" => MethodFilter::POST,
        other => unreachable!("the spec has only GET and POST operations, not {other}"),
    };
    match operation {
        Operation::CreateWebcamBooking => on(filter, api::create_webcam_booking),
        Operation::GetMadeWebcamBookingDetails => on(filter, api::get_made_webcam_booking_details),
        Operation::GetGroupMadeWebcamBookingDetails => {
            on(filter, api::get_group_made_webcam_booking_details)
        }
        Operation::CancelMadeWebcamBooking => on(filter, api::cancel_made_webcam_booking),
        Operation::RescheduleMadeWebcamBooking => on(filter, api::reschedule_made_webcam_booking),
        Operation::CreatePhoneChatBooking => on(filter, api::create_phone_chat_booking),
    }
}

/// The sandbox as an axum router: every operation of `openapi.yaml` at its path and method
/// (read from the spec through the SDK's operation table), the `/_sandbox/...` control
/// endpoints, fault rules, JSON/XML negotiation, a [`MAX_BODY_BYTES`] body limit
/// (413) and one `tracing` line per request (never with the `Authorization` header). The
/// same as [`router_with`] and [`ServerConfig::default`].
///
/// ```
/// use adultwork_sandbox::{Clock, SandboxData, SandboxState, router};
///
/// let app: axum::Router = router(SandboxState::new(SandboxData::default(), Clock::system()));
/// # let _ = app;
/// ```
pub fn router(state: SandboxState) -> Router {
    router_with(state, &ServerConfig::default())
}

/// [`router`] with `config`'s control switch, body timeout and fault rules (the connection
/// timeouts and limit belong to [`serve_with`](crate::serve_with), which runs the
/// connections, and carries out the rules that end a connection). Without
/// control endpoints, `/_sandbox/...` answers 404 like any unknown path; with them, they
/// refuse what a web page could send (see the crate's README).
///
/// ```
/// use adultwork_sandbox::{Clock, SandboxData, SandboxState, ServerConfig, router_with};
///
/// let config = ServerConfig { control: false, ..ServerConfig::default() };
/// let state = SandboxState::new(SandboxData::default(), Clock::system());
/// let app: axum::Router = router_with(state, &config);
/// # let _ = app;
/// ```
pub fn router_with(state: SandboxState, config: &ServerConfig) -> Router {
    let mut app = Router::new();
    for op in Operation::ALL {
        app = app.route(op.path(), api_route(op));
    }
    if config.control {
        let control = Router::new()
            .route("/_sandbox/webcam/{id}", get(control::webcam_view))
            .route(
                "/_sandbox/webcam/{id}/{action}",
                post(control::webcam_action),
            )
            .route("/_sandbox/phonechat/{id}", get(control::phone_chat_view))
            .route(
                "/_sandbox/phonechat/{id}/{action}",
                post(control::phone_chat_action),
            )
            .route(
                "/_sandbox/clock",
                get(control::get_clock).post(control::set_clock),
            )
            .route("/_sandbox/reset", post(control::reset))
            .merge(
                Router::new()
                    .route(
                        "/_sandbox/faults",
                        get(control::list_faults)
                            .post(control::add_faults)
                            .merge(delete(control::clear_faults)),
                    )
                    .with_state(config.faults.clone()),
            )
            .merge(
                Router::new()
                    .route("/_sandbox/", get(page::page))
                    .route("/_sandbox", get(page::page))
                    .with_state(page::PageState {
                        state: state.clone(),
                        faults: config.faults.clone(),
                    }),
            )
            .route("/_sandbox/page.js", get(page::script))
            .route("/_sandbox/page.css", get(page::style))
            .route_layer(axum::middleware::from_fn(guard::control));
        app = app.merge(control);
    }
    app.fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(Extension(BodyTimeout(config.body_timeout)))
        .layer(axum::middleware::from_fn(negotiate::middleware))
        .layer(axum::middleware::from_fn_with_state(
            config.faults.clone(),
            inject::middleware,
        ))
        .layer(axum::middleware::map_response(close_after_timeout))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &Request<_>| {
                    tracing::info_span!("request", method = %req.method(), path = %req.uri().path())
                })
                .on_request(())
                .on_response(|res: &Response<_>, latency: Duration, _: &Span| {
                    tracing::info!(status = res.status().as_u16(), latency_us = latency.as_micros() as u64, "answered");
                })
                .on_failure(()),
        )
        .layer(SetSensitiveRequestHeadersLayer::new([AUTHORIZATION]))
}

/// A 408 (the body did not arrive in time) closes the connection: what is left of the body
/// would otherwise be read as the next request.
async fn close_after_timeout(mut res: axum::response::Response) -> axum::response::Response {
    if res.status() == StatusCode::REQUEST_TIMEOUT {
        res.headers_mut()
            .insert(CONNECTION, HeaderValue::from_static("close"));
    }
    res
}

async fn not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "No HTTP resource was found that matches the request URI.",
    )
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "The requested resource does not support this HTTP method.",
    )
}
