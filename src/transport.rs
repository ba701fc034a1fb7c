//! How a generated request reaches the wire and its answer comes back: authentication,
//! `Accept`, retries and same-origin redirects for idempotent requests (a POST is written to
//! the wire at most once), the body-size cap for every framing, one decode into the
//! operation's type, unknown outcomes and tracing. Every generated `send` ends in
//! [`Call::send`] (see `build/client.rs`).

use std::hash::{BuildHasher, RandomState};
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use http::header::{ACCEPT, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, LOCATION, RETRY_AFTER};
use http::{HeaderMap, HeaderValue, StatusCode};
use serde::de::DeserializeOwned;

use crate::Operation;
use crate::error::{Error, Format};
use crate::untrusted::Secrets;

/// When the SDK re-sends a request by itself.
///
/// Only idempotent requests (GET) are ever retried: a POST that timed out may have created a
/// booking, and sending it again could create a second one. Retried failures: connect errors,
/// timeouts, HTTP/2 streams the server refused (`REFUSED_STREAM`), and statuses 429, 502, 503
/// and 504 (honouring `Retry-After` up to `max_delay`).
///
/// ```
/// use adultwork::RetryPolicy;
/// use std::time::Duration;
///
/// let policy = RetryPolicy::exponential(3).base_delay(Duration::from_millis(50));
/// assert_eq!(policy.max_attempts(), 3);
/// assert_eq!(RetryPolicy::never().max_attempts(), 1);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    attempts: u32,
    base: Duration,
    max: Duration,
}

impl RetryPolicy {
    /// Up to `attempts` attempts in all, with exponential backoff and full jitter.
    pub const fn exponential(attempts: u32) -> Self {
        Self {
            attempts: if attempts == 0 { 1 } else { attempts },
            base: Duration::from_millis(100),
            max: Duration::from_secs(5),
        }
    }

    /// Never retry.
    pub const fn never() -> Self {
        Self::exponential(1)
    }

    /// The delay before the first retry (doubled each time, then jittered).
    pub const fn base_delay(mut self, base: Duration) -> Self {
        self.base = base;
        self
    }

    /// The longest wait between attempts.
    pub const fn max_delay(mut self, max: Duration) -> Self {
        self.max = max;
        self
    }

    /// Attempts in all, including the first.
    pub const fn max_attempts(&self) -> u32 {
        self.attempts
    }

    fn delay(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(wait) = retry_after {
            return wait.min(self.max);
        }
        let ceiling = self.base.saturating_mul(1 << retry.min(16)).min(self.max);
        // Full jitter: uniform in [0, ceiling). `RandomState` is randomly seeded per instance.
        let r = RandomState::new().hash_one(retry);
        ceiling.mul_f64((r >> 11) as f64 / (1u64 << 53) as f64)
    }
}

impl Default for RetryPolicy {
    /// Three attempts for GET requests.
    fn default() -> Self {
        Self::exponential(3)
    }
}

/// Settings shared by every call of a [`crate::Client`].
#[derive(Debug)]
pub(crate) struct Config {
    /// `bearer {token}`, built once and marked sensitive (its `Debug` prints `Sensitive`).
    pub authorization: Option<HeaderValue>,
    /// The token and `default_header` values, taken out of anything a server sends back.
    pub secrets: Secrets,
    /// The configured base URL: redirects are followed only within its origin.
    pub base: reqwest::Url,
    pub format: Format,
    pub retry: RetryPolicy,
    pub max_body: usize,
    pub timeout: Option<Duration>,
}

/// How many same-origin redirects a GET follows.
const MAX_REDIRECTS: usize = 5;

/// A `reqwest::ClientBuilder` set up the way the SDK's promises need: redirects are not
/// followed by reqwest (the SDK follows a GET's same-origin redirects itself and never a
/// POST's), and reqwest's own retries (of HTTP/2 `REFUSED_STREAM` and `GOAWAY`) are off, so a
/// POST is written to the wire at most once. Start from it when you pass your own client to
/// [`ClientBuilder::http_client`](crate::ClientBuilder::http_client).
///
/// ```
/// let http = adultwork::http_client_builder()
///     .pool_idle_timeout(std::time::Duration::from_secs(20))
///     .build()
///     .unwrap();
/// let client = adultwork::Client::builder().token("t").http_client(http).build().unwrap();
/// # let _ = client;
/// ```
pub fn http_client_builder() -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .retry(reqwest::retry::never())
}

/// What every generated `send` hands its built request to (see `build/client.rs`): the
/// client's settings, made once per [`crate::Client`]. It sends the request as the trust
/// rules allow, reads the body once within the cap, and decodes it once, JSON or DataContract
/// XML, into the operation's type. Failures are values: nothing is kept aside between calls.
#[derive(Debug, Clone)]
pub struct Call {
    pub(crate) config: std::sync::Arc<Config>,
}

impl Call {
    /// Sends `request` (built by the generated code) for `op`, and decodes a `200` answer
    /// into `T`.
    pub(crate) async fn send<T: DeserializeOwned>(
        &self,
        http: &reqwest::Client,
        mut request: reqwest::Request,
        op: Operation,
    ) -> Result<T, Error> {
        let config = &self.config;
        prepare(&mut request, config);
        let effect = op.outcome_unknown();
        #[cfg(feature = "tracing")]
        let span = tracing::info_span!(
            "adultwork.request",
            operation = op.id(),
            method = %request.method(),
            url = %request.url(),
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
        );
        #[cfg(feature = "tracing")]
        let started = std::time::Instant::now();
        let exchange = Exchange {
            http,
            config,
            effect,
            #[cfg(feature = "tracing")]
            span: &span,
        };
        let answer = exchange.run(request).await;
        #[cfg(feature = "tracing")]
        {
            let _enter = span.enter();
            tracing::debug!(
                elapsed_ms = started.elapsed().as_millis() as u64,
                "response"
            );
        }
        let Answer { format, body } = answer?;
        crate::codec::decode::<T>(op, format, &body).map_err(|e| {
            let decode = e.into_error(&body, &config.secrets);
            exchange.unknown(decode, &body)
        })
    }
}

/// The SDK's error for a request the generated code could not build: a builder argument its
/// own conversion refused, or a request reqwest could not assemble.
pub(crate) fn invalid_request(e: progenitor_client::Error<crate::types::Error>) -> Error {
    match e {
        progenitor_client::Error::InvalidRequest(rule) => Error::validation("request", rule),
        other => Error::Config(format!("the request could not be built: {other}")),
    }
}

/// `cause` as an [`Error::OutcomeUnknown`] when the request was a POST (`effect` is set),
/// keeping what arrived of the body; `cause` itself for a GET.
fn unknown_if_post(
    effect: Option<&'static str>,
    cause: Error,
    body: &[u8],
    secrets: &Secrets,
) -> Error {
    match effect {
        Some(effect) => Error::OutcomeUnknown {
            effect,
            cause: Box::new(cause),
            body: Bytes::from(secrets.redact(body).into_owned()),
        },
        None => cause,
    }
}

/// A `200` answer's body, read in full within the cap.
struct Answer {
    /// The format the body came in.
    format: Format,
    body: Bytes,
}

/// One call's way to the server and back: redirects, retries, the body cap, and
/// what each failure means for a POST.
struct Exchange<'a> {
    http: &'a reqwest::Client,
    config: &'a Config,
    /// Set for a POST: what may have happened if no definitive answer comes.
    effect: Option<&'static str>,
    #[cfg(feature = "tracing")]
    span: &'a tracing::Span,
}

impl Exchange<'_> {
    fn unknown(&self, cause: Error, body: &[u8]) -> Error {
        unknown_if_post(self.effect, cause, body, &self.config.secrets)
    }

    async fn run(&self, mut request: reqwest::Request) -> Result<Answer, Error> {
        let config = self.config;
        let secrets = &config.secrets;
        let mut hops = 0;
        let response = loop {
            // A POST has no copy (it is never sent twice); its URL is kept to check the answer.
            let post_url = self.effect.is_some().then(|| request.url().clone());
            let (response, again) = self.send(request).await?;
            let sent = match (&again, &post_url) {
                (Some(copy), _) => copy.url(),
                (None, Some(url)) => url,
                (None, None) => unreachable!("a GET's answer comes with its request's copy"),
            };
            self.check_not_redirected_by_the_client(sent, &response)?;
            let status = response.status();
            if !matches!(status.as_u16(), 301 | 302 | 303 | 307 | 308) {
                break response;
            }
            let location = response
                .headers()
                .get(LOCATION)
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
            let target = location.as_deref().and_then(|l| sent.join(l).ok());
            match (again, target) {
                (Some(mut next), Some(target))
                    if hops < MAX_REDIRECTS && target.origin() == config.base.origin() =>
                {
                    hops += 1;
                    *next.url_mut() = target;
                    request = next;
                }
                _ => {
                    return Err(Error::Redirect {
                        status,
                        location: location.map(|l| secrets.shown(&l)),
                    });
                }
            }
        };
        let status = response.status();
        let format = body_format(response.headers(), config.format);
        let wait = retry_after(response.headers());
        // A gateway's 502 or 504 (RFC 9110 §15.6.3, §15.6.5) says the server behind it gave no
        // timely or valid answer; a POST it forwarded may still have been done there.
        let from_gateway = |e: Error, body: &[u8]| match status.as_u16() {
            502 | 504 => self.unknown(e, body),
            _ => e,
        };
        let body = match read_capped(response, config.max_body).await {
            Ok(body) => body,
            // An error answer keeps its status even when its body cannot be read.
            Err(Capped::TooLarge(_)) if !status.is_success() => {
                let api = Error::Api {
                    status,
                    message: format!(
                        "{} (body over the {}-byte limit, not read)",
                        status.canonical_reason().unwrap_or("error"),
                        config.max_body
                    ),
                    body: Bytes::new(),
                    retry_after: wait,
                };
                return Err(from_gateway(api, &[]));
            }
            Err(Capped::Transport(e, _)) if !status.is_success() => {
                let api = Error::Api {
                    status,
                    message: format!(
                        "{} (the body could not be read: {})",
                        status.canonical_reason().unwrap_or("error"),
                        Error::from_reqwest(e, secrets)
                    ),
                    body: Bytes::new(),
                    retry_after: wait,
                };
                return Err(from_gateway(api, &[]));
            }
            Err(Capped::TooLarge(partial)) => {
                let limit = config.max_body;
                return Err(self.unknown(Error::BodyTooLarge { limit }, &partial));
            }
            Err(Capped::Transport(e, partial)) => {
                return Err(self.unknown(Error::from_reqwest(e, secrets), &partial));
            }
        };
        if !status.is_success() {
            return Err(from_gateway(
                Error::api(status, &body, wait, secrets),
                &body,
            ));
        }
        if status != StatusCode::OK {
            // A success status the spec does not list (201, 204, ...): for a POST, the
            // server may well have done it.
            let api = Error::Api {
                status,
                message: format!(
                    "unexpected {} answer (the API answers 200)",
                    status.as_u16()
                ),
                body: Bytes::new(),
                retry_after: None,
            };
            return Err(self.unknown(api, &body));
        }
        Ok(Answer { format, body })
    }

    /// A ready-made `reqwest::Client` may follow redirects by itself (reqwest's default). Its
    /// answer is then not the configured server's: refuse it, and for a POST say that it may
    /// have been sent more than once.
    fn check_not_redirected_by_the_client(
        &self,
        sent: &reqwest::Url,
        response: &reqwest::Response,
    ) -> Result<(), Error> {
        if response.url() == sent {
            return Ok(());
        }
        let cause = Error::transport(format!(
            "the HTTP client followed a redirect to {} by itself; build it from adultwork::http_client_builder()",
            self.config.secrets.shown(response.url().as_str())
        ));
        Err(self.unknown(cause, b""))
    }

    /// Sends the request, retrying a GET as the retry policy allows; a POST is sent once. A
    /// POST's transport failure after connecting is an unknown outcome. With a GET's answer
    /// comes a copy of the request that got it (to follow a redirect with): one copy per
    /// attempt serves both.
    async fn send(
        &self,
        mut request: reqwest::Request,
    ) -> Result<(reqwest::Response, Option<reqwest::Request>), Error> {
        let config = self.config;
        let attempts = if self.effect.is_none() {
            config.retry.max_attempts()
        } else {
            1
        };
        let mut attempt = 0;
        let result = loop {
            attempt += 1;
            // A GET's copy (bodies are buffered, so `try_clone` succeeds for every generated
            // request); never a POST's.
            let spare = if self.effect.is_none() {
                request.try_clone()
            } else {
                None
            };
            let result = self.http.execute(request).await;
            let wait = match &result {
                _ if attempt >= attempts => None,
                Ok(r) if is_retryable_status(r.status()) => Some(retry_after(r.headers())),
                Err(e) if e.is_connect() || e.is_timeout() || refused_stream(e) => Some(None),
                _ => None,
            };
            match (spare, wait) {
                (Some(next), Some(wait)) => {
                    tokio::time::sleep(config.retry.delay(attempt - 1, wait)).await;
                    request = next;
                }
                (spare, _) => break result.map(|r| (r, spare)),
            }
        };
        #[cfg(feature = "tracing")]
        {
            self.span.record("attempts", attempt);
            if let Ok((r, _)) = &result {
                self.span.record("status", r.status().as_u16());
            }
        }
        result.map_err(|e| {
            // Refused, unreachable or timed out while connecting, or a stream the server
            // refused before processing it: nothing was done.
            let nothing_done = e.is_connect() || e.is_builder() || refused_stream(&e);
            let error = Error::from_reqwest(e, &config.secrets);
            if nothing_done {
                error
            } else {
                self.unknown(error, b"")
            }
        })
    }
}

/// Sets the headers the API needs; the token header is marked sensitive so no `Debug` of the
/// request shows it.
fn prepare(request: &mut reqwest::Request, config: &Config) {
    let headers = request.headers_mut();
    headers.insert(ACCEPT, HeaderValue::from_static(config.format.media_type()));
    if let Some(value) = &config.authorization {
        headers.insert(AUTHORIZATION, value.clone());
    }
    if let Some(t) = config.timeout {
        *request.timeout_mut() = Some(t);
    }
}

/// The format of a success body: what its `Content-Type` says, else what was asked for (a
/// server may ignore `Accept`, and may label a body loosely).
fn body_format(headers: &HeaderMap, requested: Format) -> Format {
    let Some(ct) = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return requested;
    };
    let essence = ct.split(';').next().unwrap_or("").trim();
    let is = |name: &str| essence.eq_ignore_ascii_case(name);
    let suffix = |s: &str| {
        essence.len() >= s.len()
            && essence.as_bytes()[essence.len() - s.len()..].eq_ignore_ascii_case(s.as_bytes())
    };
    if is("application/json") || suffix("+json") {
        Format::Json
    } else if is("application/xml") || is("text/xml") || suffix("+xml") {
        Format::Xml
    } else {
        requested
    }
}

/// Whether the server reset the request's HTTP/2 stream with `REFUSED_STREAM`, which promises
/// that it did no processing of the request (RFC 9113 §8.7). A `GOAWAY` makes no such promise
/// for the streams in flight, so it is not one of these.
fn refused_stream(e: &reqwest::Error) -> bool {
    std::iter::successors(Some(e as &(dyn std::error::Error + 'static)), |e| {
        e.source()
    })
    .filter_map(|e| e.downcast_ref::<h2::Error>())
    .any(|h2| h2.is_remote() && h2.reason() == Some(h2::Reason::REFUSED_STREAM))
}

fn is_retryable_status(s: StatusCode) -> bool {
    matches!(s.as_u16(), 429 | 502 | 503 | 504)
}

fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let secs: u64 = headers
        .get(RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()?;
    Some(Duration::from_secs(secs))
}

/// What [`Call::send`] does with a `200` answer's body, alone: read it within `limit`, then
/// decode it once into `T`. For benchmarks (`benches/decode.rs`); not a stable API.
#[doc(hidden)]
pub async fn read_and_decode<T: DeserializeOwned>(
    response: reqwest::Response,
    op: Operation,
    format: Format,
    limit: usize,
) -> Result<T, Error> {
    let secrets = Secrets::default();
    let body = read_capped(response, limit).await.map_err(|e| match e {
        Capped::TooLarge(_) => Error::BodyTooLarge { limit },
        Capped::Transport(e, _) => Error::from_reqwest(e, &secrets),
    })?;
    crate::codec::decode(op, format, &body).map_err(|e| e.into_error(&body, &secrets))
}

/// Why a body was not read to its end; each keeps what had arrived (at most the cap).
enum Capped {
    TooLarge(Bytes),
    Transport(reqwest::Error, Bytes),
}

/// The body length the response declares (`Content-Length`), if any.
fn declared_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// Reads the body chunk by chunk and stops as soon as it passes `limit`, whatever the framing
/// (a declared length only sizes the buffer, and only when it is within the cap). A body that
/// arrives in one chunk (the usual case for the API's small bodies) is kept as it is, without
/// a copy.
async fn read_capped(mut response: reqwest::Response, limit: usize) -> Result<Bytes, Capped> {
    let declared = declared_length(response.headers());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(Capped::TooLarge(Bytes::new()));
    }
    let mut first = Bytes::new();
    let mut joined = BytesMut::new();
    // What has arrived, without a copy.
    let so_far = |first: Bytes, joined: BytesMut| {
        if joined.is_empty() {
            first
        } else {
            joined.freeze()
        }
    };
    loop {
        let chunk = match response.chunk().await {
            Ok(Some(chunk)) => chunk,
            Ok(None) => break,
            Err(e) => return Err(Capped::Transport(e, so_far(first, joined))),
        };
        let room = limit - first.len() - joined.len();
        if chunk.len() > room {
            if joined.is_empty() {
                joined.extend_from_slice(&first);
            }
            joined.extend_from_slice(&chunk[..room]);
            return Err(Capped::TooLarge(joined.freeze()));
        }
        if first.is_empty() && joined.is_empty() {
            first = chunk;
            continue;
        }
        if joined.is_empty() {
            joined.reserve((declared.unwrap_or(0) as usize).max(first.len() + chunk.len()));
            joined.extend_from_slice(&std::mem::take(&mut first));
        }
        joined.extend_from_slice(&chunk);
    }
    Ok(so_far(first, joined))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_type(ct: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(CONTENT_TYPE, HeaderValue::from_str(ct).unwrap());
        h
    }

    #[test]
    fn the_body_format_follows_content_type_then_the_request() {
        assert_eq!(
            body_format(&with_type("application/json; charset=utf-8"), Format::Xml),
            Format::Json
        );
        assert_eq!(
            body_format(&with_type("application/problem+json"), Format::Xml),
            Format::Json
        );
        assert_eq!(
            body_format(&with_type("text/xml; charset=utf-8"), Format::Json),
            Format::Xml
        );
        assert_eq!(
            body_format(&with_type("Application/XML"), Format::Json),
            Format::Xml
        );
        assert_eq!(
            body_format(&with_type("text/plain"), Format::Xml),
            Format::Xml
        );
        assert_eq!(
            body_format(&with_type("application/vnd.api+JSON"), Format::Xml),
            Format::Json
        );
        assert_eq!(body_format(&with_type("+xml"), Format::Json), Format::Xml);
        assert_eq!(body_format(&with_type("xml"), Format::Json), Format::Json);
        assert_eq!(body_format(&HeaderMap::new(), Format::Json), Format::Json);
    }

    #[test]
    fn backoff_is_bounded_and_honours_retry_after() {
        let p = RetryPolicy::exponential(5)
            .base_delay(Duration::from_millis(100))
            .max_delay(Duration::from_secs(1));
        for retry in 0..40 {
            assert!(p.delay(retry, None) <= Duration::from_secs(1));
        }
        assert_eq!(
            p.delay(0, Some(Duration::from_secs(30))),
            Duration::from_secs(1)
        );
        assert_eq!(
            p.delay(0, Some(Duration::from_millis(200))),
            Duration::from_millis(200)
        );
    }
}
