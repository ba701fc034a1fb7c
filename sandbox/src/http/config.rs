//! How the router and its connections are configured: [`ServerConfig`], its defaults, and
//! the body limit. Here, in the HTTP layer, because the router reads it (control switch, body
//! timeout, fault rules); the server reads the connection timeouts and limit from it too.

use std::time::Duration;

use crate::domain::faults::Faults;

/// The largest request body accepted; larger ones get 413.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// The default time a client has to send a request's headers: from the connection's opening
/// (first request) or from the first byte of a later request, until the last header line.
pub const DEFAULT_HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// The default time a client has to send a request body, once its headers have arrived.
pub const DEFAULT_BODY_TIMEOUT: Duration = Duration::from_secs(10);
/// The default time a keep-alive connection may sit idle between an answer and the next request.
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(60);
/// The default maximum number of connections served at once; further ones wait, unaccepted.
pub const DEFAULT_MAX_CONNECTIONS: usize = 1024;

/// How long a handler waits for the request body ([`ServerConfig::body_timeout`]); a request
/// extension, so that a router mounted without the sandbox's own server gets the default.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BodyTimeout(pub Duration);

/// `d` for a message: `10 s`, `1.5 s` or `500 ms`.
pub(crate) fn show(d: Duration) -> String {
    match d.as_millis() {
        ms if ms < 1000 => format!("{ms} ms"),
        ms if ms % 1000 == 0 => format!("{} s", ms / 1000),
        _ => format!("{:.1} s", d.as_secs_f64()),
    }
}

/// How the sandbox serves connections: whether it has control endpoints, how long it waits
/// for slow clients, how many it serves at once, and its fault rules. The defaults are in
/// [`limits`](crate::limits) (`DEFAULT_*`): control endpoints on, header 10 s, body 10 s, idle
/// 60 s, 1024 connections, no fault rules.
///
/// ```
/// use std::time::Duration;
/// use adultwork_sandbox::ServerConfig;
///
/// let config = ServerConfig { header_timeout: Duration::from_secs(2), ..ServerConfig::default() };
/// assert!(config.control);
/// ```
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Whether `/_sandbox/...` exists (otherwise it answers 404).
    pub control: bool,
    /// The time a client has to send a request's headers: a new connection from its opening,
    /// a kept-alive one from the first byte of its next request. Then the connection is closed
    /// without an answer.
    pub header_timeout: Duration,
    /// The time a client has to send a request's body once its headers have arrived; then it
    /// gets 408 and the connection is closed.
    pub body_timeout: Duration,
    /// The time a kept-alive connection may wait between an answer and the next request's
    /// first byte; then it is closed.
    pub idle_timeout: Duration,
    /// The most connections served at once. Further connections are not accepted until one
    /// closes: they wait in the operating system's listen queue (their client sees a slow
    /// answer, or its own connect or read timeout).
    pub max_connections: usize,
    /// The fault rules applied to API requests (`/_sandbox/faults` changes them). Clones of
    /// a config share one set of rules.
    pub faults: Faults,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            control: true,
            header_timeout: DEFAULT_HEADER_TIMEOUT,
            body_timeout: DEFAULT_BODY_TIMEOUT,
            idle_timeout: DEFAULT_IDLE_TIMEOUT,
            max_connections: DEFAULT_MAX_CONNECTIONS,
            faults: Faults::new(),
        }
    }
}
