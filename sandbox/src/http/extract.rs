//! Reading requests: JSON bodies into the SDK's request types, query parameters, and the
//! `Authorization` header, each failure becoming an [`ApiError`] that names the problem.

use adultwork::Operation;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::config::{BodyTimeout, DEFAULT_BODY_TIMEOUT, MAX_BODY_BYTES, show};
use super::negotiate::ApiError;
use crate::domain::auth::AuthError;
use crate::domain::limits;
use crate::domain::refusal::Refusal;
use crate::domain::state::SandboxState;

/// A request body, read (up to the body limit) but not yet parsed, so handlers can check
/// authorisation before they look at it.
pub struct JsonBody(Result<Bytes, ApiError>);

impl<S: Send + Sync> FromRequest<S> for JsonBody {
    type Rejection = std::convert::Infallible;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if let Some(ct) = req.headers().get(CONTENT_TYPE) {
            let essence = ct
                .to_str()
                .unwrap_or_default()
                .split(';')
                .next()
                .unwrap_or_default()
                .trim();
            let essence = essence.to_ascii_lowercase();
            if essence != "application/json"
                && !essence.ends_with("+json")
                && essence != "text/json"
            {
                return Ok(Self(Err(ApiError::new(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    format!(
                        "The request body must be JSON (Content-Type: application/json), not {essence:?}."
                    ),
                ))));
            }
        }
        let timeout = req
            .extensions()
            .get::<BodyTimeout>()
            .map_or(DEFAULT_BODY_TIMEOUT, |t| t.0);
        let Ok(read) = tokio::time::timeout(timeout, Bytes::from_request(req, state)).await else {
            return Ok(Self(Err(ApiError::new(
                StatusCode::REQUEST_TIMEOUT,
                format!(
                    "The request body did not arrive within {} (the sandbox's body timeout).",
                    show(timeout)
                ),
            ))));
        };
        let bytes = read.map_err(|rejection| {
            let status = rejection.status();
            if status == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::new(
                    status,
                    format!(
                        "The request body is larger than the {}-byte limit.",
                        MAX_BODY_BYTES
                    ),
                )
            } else {
                ApiError::new(
                    status,
                    format!("The request body could not be read: {rejection}"),
                )
            }
        });
        Ok(Self(bytes))
    }
}

impl JsonBody {
    /// The raw bytes.
    pub fn bytes(self) -> Result<Bytes, ApiError> {
        self.0
    }

    /// The body of `operation` as `T` (one of the SDK's request types, which enforce the
    /// spec's shape: required fields, patterns, minimums, no unknown fields). Each property's
    /// JSON type is first checked against the spec, so `null` or `"10"` where the spec says a
    /// number is refused even where the SDK's types would be lenient. Errors name the field.
    pub fn parse<T: DeserializeOwned>(self, operation: Operation) -> Result<T, ApiError> {
        let bytes = self.0?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(ApiError::bad_request(
                "The request body is required: send a JSON object.",
            ));
        }
        let value: Value = serde_json::from_slice(&bytes).map_err(|e| {
            ApiError::bad_request(format!("The request body is not valid JSON: {e}."))
        })?;
        let Some(object) = value.as_object() else {
            return Err(ApiError::bad_request(
                "The request body is invalid: it must be a JSON object.",
            ));
        };
        if let Some(message) = limits::oversized_string(&value) {
            return Err(ApiError::bad_request(message));
        }
        for (name, v) in object {
            if let Some(field) = operation.request_field(name)
                && !(has_type(v, field.json_type) || field.nullable && v.is_null())
            {
                let ty = field.json_type;
                return Err(ApiError::bad_request(format!(
                    "{name} must be a JSON {ty} (got {}).",
                    json_type(v)
                )));
            }
        }
        serde_path_to_error::deserialize(value).map_err(|e| {
            let path = e.path().to_string();
            ApiError::bad_request(if path == "." {
                format!("The request body is invalid: {}.", e.inner())
            } else {
                format!("{path} is invalid: {}.", e.inner())
            })
        })
    }
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_f64() => "a fractional number",
        Value::Number(_) => "an integer",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Parses a sandbox-only JSON body into `T`, naming the offending field in the error.
/// Strings longer than the sandbox's limits ([`limits::MAX_STRING_BYTES`]) are refused first.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    if let Ok(value) = serde_json::from_slice::<Value>(bytes)
        && let Some(message) = limits::oversized_string(&value)
    {
        return Err(ApiError::bad_request(message));
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let inner = e.inner();
        let path = e.path().to_string();
        ApiError::bad_request(if inner.is_syntax() || inner.is_eof() {
            format!("The request body is not valid JSON: {inner}.")
        } else if path == "." {
            format!("The request body is invalid: {inner}.")
        } else {
            format!("{path} is invalid: {inner}.")
        })
    })?;
    de.end()
        .map_err(|e| ApiError::bad_request(format!("The request body is not valid JSON: {e}.")))?;
    Ok(value)
}

/// A positive integer query parameter, matched case-insensitively as ASP.NET does.
pub fn id_param(pairs: &[(String, String)], name: &'static str) -> Result<i64, ApiError> {
    let mut given = pairs.iter().filter(|(k, _)| k.eq_ignore_ascii_case(name));
    let raw = given
        .next()
        .map(|(_, v)| v.trim())
        .ok_or_else(|| ApiError::bad_request(format!("{name} is required (query parameter).")))?;
    if given.next().is_some() {
        return Err(ApiError::bad_request(format!(
            "{name} must be given once (query parameter)."
        )));
    }
    id_text(name, raw)
}

/// An ID sent as text (a query parameter, a path segment): an integer that passes
/// [`validate::id`](adultwork::validate::id), the rule the SDK checks before sending. The
/// refusal echoes at most 32 characters of what was sent.
pub fn id_text(name: &'static str, raw: &str) -> Result<i64, ApiError> {
    raw.parse::<i64>()
        .ok()
        .filter(|n| adultwork::validate::id(name, *n).is_ok())
        .ok_or_else(|| {
            let shown: String = raw.chars().take(32).collect();
            ApiError::bad_request(format!(
                "{name} must be a positive integer (got {shown:?})."
            ))
        })
}

/// The user `headers` authenticate for `operation`: 401 without a known bearer token, 403
/// without the operation's scope.
pub fn caller(
    state: &SandboxState,
    headers: &HeaderMap,
    operation: Operation,
) -> Result<i64, ApiError> {
    let header = headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok());
    state.authorize(header, operation).map_err(|e| {
        let status = match e {
            AuthError::Missing | AuthError::Unknown => StatusCode::UNAUTHORIZED,
            AuthError::MissingScope { .. } => StatusCode::FORBIDDEN,
        };
        ApiError::new(status, e.to_string())
    })
}

/// Whether `value` has the JSON type `ty` (`integer` means a whole number).
fn has_type(value: &Value, ty: &str) -> bool {
    match ty {
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "object" => value.is_object(),
        "array" => value.is_array(),
        _ => true,
    }
}

impl From<Refusal> for ApiError {
    fn from(r: Refusal) -> Self {
        let status = match r {
            Refusal::Invalid(_) => StatusCode::BAD_REQUEST,
            Refusal::Forbidden(_) => StatusCode::FORBIDDEN,
            Refusal::NotFound(_) => StatusCode::NOT_FOUND,
            Refusal::Conflict(_) => StatusCode::CONFLICT,
            Refusal::Full(_) => StatusCode::INSUFFICIENT_STORAGE,
        };
        Self::new(status, r.to_string())
    }
}
