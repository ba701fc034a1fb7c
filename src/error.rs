//! The SDK's one error type.

use std::fmt;

use bytes::Bytes;
use http::StatusCode;

/// The wire format of a response body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Format {
    /// `application/json` (the default).
    #[default]
    Json,
    /// .NET DataContract `application/xml`.
    Xml,
}

impl Format {
    /// The media type sent in `Accept`.
    pub const fn media_type(self) -> &'static str {
        match self {
            Self::Json => "application/json",
            Self::Xml => "application/xml",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Json => "JSON",
            Self::Xml => "XML",
        })
    }
}

/// How much of an error body [`Error::Api`] keeps.
pub const MAX_KEPT_BODY: usize = 4096;

/// Everything that can go wrong when calling the API.
///
/// `Display` messages are complete sentences a CLI can print as they are. The access token
/// never appears in any variant.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request breaks a documented rule; it was not sent.
    #[error("invalid request: {field} {rule}")]
    Validation {
        /// The wire name of the offending field, e.g. `SessionDate`.
        field: &'static str,
        /// The rule it breaks, e.g. `must be in the future`.
        rule: String,
    },
    /// The API answered with an error status.
    #[error("the API answered {status}: {message}")]
    Api {
        /// The HTTP status.
        status: StatusCode,
        /// The `Message` of the error body, or a description of the body when it has none.
        message: String,
        /// The raw body, truncated to [`MAX_KEPT_BODY`] bytes.
        body: Bytes,
    },
    /// The response body could not be decoded into the expected type.
    #[error("could not decode the {format} response: {detail}; near: {snippet}")]
    Decode {
        /// The format that was being decoded.
        format: Format,
        /// What was wrong, with the position where known.
        detail: String,
        /// The body around the position (at most a few dozen characters).
        snippet: String,
    },
    /// The response body is larger than the configured cap; reading stopped there.
    #[error("the response body exceeds the {limit}-byte limit")]
    BodyTooLarge {
        /// The cap in bytes.
        limit: usize,
    },
    /// The request or the response took longer than the configured timeout.
    #[error("the request timed out")]
    Timeout,
    /// The server could not be reached.
    #[error("could not connect to the API: {0}")]
    Connect(String),
    /// Another transport failure (connection reset, protocol error, ...).
    #[error("transport failure: {0}")]
    Transport(String),
    /// The client was configured wrongly (bad base URL, missing token, ...).
    #[error("invalid configuration: {0}")]
    Config(String),
}

impl Error {
    /// The HTTP status, for [`Error::Api`].
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Api { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Whether the request certainly never left the client (validation or configuration).
    pub fn is_before_sending(&self) -> bool {
        matches!(self, Self::Validation { .. } | Self::Config(_))
    }

    pub(crate) fn validation(field: &'static str, rule: impl Into<String>) -> Self {
        Self::Validation {
            field,
            rule: rule.into(),
        }
    }

    /// An API error from a status and raw body: the message comes from JSON `{"Message"}`,
    /// XML `<Message>`, or else a short description of the body.
    pub(crate) fn api(status: StatusCode, body: Bytes) -> Self {
        let message = serde_json::from_slice::<serde_json::Value>(&body)
            .ok()
            .and_then(|v| v.get("Message")?.as_str().map(str::to_string))
            .or_else(|| crate::xml::error_message(&body))
            .unwrap_or_else(|| {
                if body.is_empty() {
                    status.canonical_reason().unwrap_or("no body").to_string()
                } else {
                    format!(
                        "{} (body: {})",
                        status.canonical_reason().unwrap_or("error"),
                        snippet(&body, 0)
                    )
                }
            });
        let body = body.slice(..body.len().min(MAX_KEPT_BODY));
        Self::Api {
            status,
            message,
            body,
        }
    }

    pub(crate) fn from_reqwest(e: &reqwest::Error) -> Self {
        // reqwest's Display of a connect error names the URL, never headers.
        let detail = std::iter::successors(Some(e as &dyn std::error::Error), |e| e.source())
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(": ");
        if e.is_timeout() {
            Self::Timeout
        } else if e.is_connect() {
            Self::Connect(detail)
        } else {
            Self::Transport(detail)
        }
    }
}

/// Up to 80 characters of `body` around byte `position`, on one line.
pub(crate) fn snippet(body: &[u8], position: usize) -> String {
    let start = position.saturating_sub(40).min(body.len());
    let end = (position + 40).min(body.len());
    String::from_utf8_lossy(&body[start..end])
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_message_from_json_xml_or_raw() {
        let json = Error::api(
            StatusCode::BAD_REQUEST,
            Bytes::from_static(br#"{"Message":"Duration must be at least 5."}"#),
        );
        assert_eq!(
            json.to_string(),
            "the API answered 400 Bad Request: Duration must be at least 5."
        );
        let xml = Error::api(
            StatusCode::NOT_FOUND,
            Bytes::from_static(b"<Error><Message>No such booking.</Message></Error>"),
        );
        assert!(matches!(&xml, Error::Api { message, .. } if message == "No such booking."));
        let html = Error::api(
            StatusCode::BAD_GATEWAY,
            Bytes::from_static(b"<html><body>Bad gateway</body></html>"),
        );
        assert!(
            matches!(&html, Error::Api { message, body, .. } if message.contains("Bad Gateway") && body.starts_with(b"<html>"))
        );
        let big = Error::api(
            StatusCode::INTERNAL_SERVER_ERROR,
            Bytes::from(vec![b'x'; 10_000]),
        );
        assert!(matches!(&big, Error::Api { body, .. } if body.len() == MAX_KEPT_BODY));
    }
}
