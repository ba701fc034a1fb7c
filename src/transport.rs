//! How a generated request reaches the wire: authentication, `Accept`, retries for idempotent
//! requests, the body-size cap, XML transcoding and tracing. Implemented as progenitor's
//! `ClientHooks::exec`, so every generated operation goes through it.

use std::hash::{BuildHasher, RandomState};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use http::header::{ACCEPT, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, RETRY_AFTER};
use http::{HeaderMap, HeaderValue, Method, StatusCode};
use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};

use crate::error::{Error, Format, snippet};
use crate::generated::Client as Generated;

/// When the SDK re-sends a request by itself.
///
/// Only idempotent requests (GET) are ever retried: a POST that timed out may have created a
/// booking, and sending it again could create a second one. Retried failures: connect errors,
/// timeouts, and statuses 429, 502, 503 and 504 (honouring `Retry-After` up to `max_delay`).
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
    pub format: Format,
    pub retry: RetryPolicy,
    pub max_body: usize,
    pub timeout: Option<Duration>,
}

/// What one call needs in the hook: the shared settings, and a slot where the hook leaves a
/// failure the generated code cannot express (an API error with its raw body, an undecodable
/// XML body, an oversized body).
#[derive(Debug, Clone)]
pub struct Call {
    pub(crate) config: Arc<Config>,
    outcome: Arc<Mutex<Outcome>>,
}

#[derive(Debug, Default)]
struct Outcome {
    failure: Option<Error>,
    /// The raw XML body, for decode-error snippets.
    xml: Option<Bytes>,
}

impl Call {
    pub(crate) fn new(config: Arc<Config>) -> Self {
        Self {
            config,
            outcome: Arc::default(),
        }
    }

    fn fail(&self, e: Error) {
        self.outcome
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .failure = Some(e);
    }

    /// Turns the generated client's result into the SDK's, preferring what the hook saw.
    pub(crate) fn finish<T>(
        &self,
        result: Result<
            progenitor_client::ResponseValue<T>,
            progenitor_client::Error<crate::types::Error>,
        >,
    ) -> Result<T, Error> {
        let mut outcome = self.outcome.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(e) = outcome.failure.take() {
            return Err(e);
        }
        use progenitor_client::Error as P;
        match result {
            Ok(v) => Ok(v.into_inner()),
            Err(P::InvalidResponsePayload(body, e)) => {
                let (format, body) = match outcome.xml.take() {
                    Some(xml) => (Format::Xml, xml),
                    None => (Format::Json, body),
                };
                let position = if format == Format::Json {
                    line_col_to_offset(&body, e.line(), e.column())
                } else {
                    0
                };
                Err(Error::Decode {
                    format,
                    detail: e.to_string(),
                    snippet: snippet(&body, position),
                })
            }
            Err(P::CommunicationError(e) | P::ResponseBodyError(e) | P::InvalidUpgrade(e)) => {
                Err(Error::from_reqwest(&e))
            }
            Err(P::InvalidRequest(m)) => Err(Error::Validation {
                field: "request",
                rule: m,
            }),
            Err(P::ErrorResponse(v)) => Err(Error::Api {
                status: v.status(),
                message: v.into_inner().message,
                body: Bytes::new(),
            }),
            Err(P::UnexpectedResponse(r)) => Err(Error::Api {
                status: r.status(),
                message: "unexpected response".into(),
                body: Bytes::new(),
            }),
            Err(P::Custom(m)) => Err(Error::Transport(m)),
        }
    }
}

fn line_col_to_offset(body: &[u8], line: usize, column: usize) -> usize {
    let line_start: usize = body
        .split(|&b| b == b'\n')
        .take(line.saturating_sub(1))
        .map(|l| l.len() + 1)
        .sum();
    (line_start + column.saturating_sub(1)).min(body.len())
}

impl ClientHooks<Call> for Generated {
    async fn exec(
        &self,
        mut request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        let call = self.inner();
        let config = &call.config;
        prepare(&mut request, config);
        #[cfg(feature = "tracing")]
        let span = tracing::info_span!(
            "adultwork.request",
            operation = info.operation_id,
            method = %request.method(),
            url = %request.url(),
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
        );
        #[cfg(feature = "tracing")]
        let started = std::time::Instant::now();

        let idempotent = request.method() == Method::GET;
        let attempts = if idempotent {
            config.retry.max_attempts()
        } else {
            1
        };
        let mut attempt = 0;
        let response = loop {
            attempt += 1;
            // Keep a copy only while another attempt is allowed (bodies are buffered, so
            // `try_clone` succeeds for every generated request).
            let spare = (attempt < attempts).then(|| request.try_clone()).flatten();
            let result = self.client().execute(request).await;
            let wait = match &result {
                Ok(r) if is_retryable_status(r.status()) => Some(retry_after(r.headers())),
                Err(e) if e.is_connect() || e.is_timeout() => Some(None),
                _ => None,
            };
            match (spare, wait) {
                (Some(next), Some(wait)) => {
                    tokio::time::sleep(config.retry.delay(attempt - 1, wait)).await;
                    request = next;
                }
                _ => break result,
            }
        };
        #[cfg(feature = "tracing")]
        {
            span.record("attempts", attempt);
            if let Ok(r) = &response {
                span.record("status", r.status().as_u16());
            }
            let _enter = span.enter();
            tracing::debug!(
                elapsed_ms = started.elapsed().as_millis() as u64,
                "response"
            );
        }
        let response = response?;
        let status = response.status();
        let format = body_format(response.headers(), config.format);
        // A JSON success body that declares a length within the cap goes to the generated code
        // as it came: the HTTP stack reads no more than `Content-Length` bytes, so the cap holds
        // without buffering the body here and handing on a second response.
        if status.is_success()
            && format == Format::Json
            && declared_length(response.headers()).is_some_and(|n| n <= config.max_body as u64)
        {
            return Ok(response);
        }
        let url = response.url().clone();
        let body = match read_capped(response, config.max_body).await {
            Ok(body) => body,
            Err(Capped::TooLarge) => {
                // An error answer keeps its status even when its body is too big to read.
                call.fail(if status.is_success() {
                    Error::BodyTooLarge {
                        limit: config.max_body,
                    }
                } else {
                    Error::Api {
                        status,
                        message: format!(
                            "{} (body over the {}-byte limit, not read)",
                            status.canonical_reason().unwrap_or("error"),
                            config.max_body
                        ),
                        body: Bytes::new(),
                    }
                });
                return Ok(synthesize(status, url, Bytes::new()));
            }
            Err(Capped::Transport(e)) => return Err(e),
        };
        if !status.is_success() {
            call.fail(Error::api(
                status,
                redact(&body, config.authorization.as_ref()),
            ));
            return Ok(synthesize(status, url, body));
        }
        if format == Format::Json {
            return Ok(synthesize(status, url, body));
        }
        let op = crate::xml::operation(info.operation_id)
            .expect("every operation has an XML description");
        // Straight to JSON text, which the generated code deserializes.
        match crate::xml::to_json(op, &body) {
            Ok(json) => {
                call.outcome.lock().unwrap_or_else(|p| p.into_inner()).xml = Some(body);
                Ok(synthesize(status, url, Bytes::from(json)))
            }
            Err(e) => {
                call.fail(Error::Decode {
                    format: Format::Xml,
                    snippet: snippet(&body, e.position as usize),
                    detail: e.to_string(),
                });
                Ok(synthesize(status, url, Bytes::new()))
            }
        }
    }
}

/// Sets the headers the API needs; the token header is marked sensitive so no `Debug` of the
/// request shows it.
fn prepare(request: &mut reqwest::Request, config: &Config) {
    let headers = request.headers_mut();
    headers.remove("api-version");
    headers.insert(ACCEPT, HeaderValue::from_static(config.format.media_type()));
    if let Some(value) = &config.authorization {
        headers.insert(AUTHORIZATION, value.clone());
    }
    if let Some(t) = config.timeout {
        *request.timeout_mut() = Some(t);
    }
}

/// The body with every copy of the token replaced by `***`, so a server or proxy that echoes
/// the `Authorization` header cannot leak it through an error's message or kept body.
fn redact(body: &Bytes, authorization: Option<&HeaderValue>) -> Bytes {
    let secret = authorization.and_then(|v| v.as_bytes().strip_prefix(b"bearer "));
    let Some(secret) = secret.filter(|s| !s.is_empty()) else {
        return body.clone();
    };
    if !body.windows(secret.len()).any(|w| w == secret) {
        return body.clone();
    }
    let mut out = Vec::with_capacity(body.len());
    let mut rest = &body[..];
    while let Some(at) = rest.windows(secret.len()).position(|w| w == secret) {
        out.extend_from_slice(&rest[..at]);
        out.extend_from_slice(b"***");
        rest = &rest[at + secret.len()..];
    }
    out.extend_from_slice(rest);
    Bytes::from(out)
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

enum Capped {
    TooLarge,
    Transport(reqwest::Error),
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

/// Reads the body chunk by chunk and stops as soon as it passes `limit`. A body that arrives
/// in one chunk (the usual case for the API's small bodies) is kept as it is, without a copy.
async fn read_capped(mut response: reqwest::Response, limit: usize) -> Result<Bytes, Capped> {
    let declared = declared_length(response.headers());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(Capped::TooLarge);
    }
    let mut first = Bytes::new();
    let mut joined = BytesMut::new();
    while let Some(chunk) = response.chunk().await.map_err(Capped::Transport)? {
        if first.len() + joined.len() + chunk.len() > limit {
            return Err(Capped::TooLarge);
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
    Ok(if joined.is_empty() {
        first
    } else {
        joined.freeze()
    })
}

/// The response the generated code reads: the status, the original URL (cheaper to keep than
/// for reqwest to parse a placeholder), and a JSON body.
fn synthesize(status: StatusCode, url: reqwest::Url, body: Bytes) -> reqwest::Response {
    use reqwest::ResponseBuilderExt as _;
    let response = http::Response::builder()
        .status(status)
        .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
        .url(url)
        .body(body)
        .expect("a status, a static header and a URL make a valid response");
    reqwest::Response::from(response)
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
    fn an_echoed_token_is_redacted() {
        let token = crate::Token::new("s3cr3t").header_value();
        let body = Bytes::from_static(b"{\"Message\":\"bad token s3cr3t (s3cr3t)\"}");
        assert_eq!(
            redact(&body, Some(&token)),
            Bytes::from_static(b"{\"Message\":\"bad token *** (***)\"}")
        );
        assert_eq!(redact(&body, None), body);
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
