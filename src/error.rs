//! The SDK's one error type.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use http::StatusCode;

use crate::untrusted::Secrets;

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
    /// Every format.
    pub const ALL: &'static [Self] = &[Self::Json, Self::Xml];

    /// A lower-case name: `json`, `xml` (what the CLI takes).
    pub const fn name(self) -> &'static str {
        match self {
            Self::Json => "json",
            Self::Xml => "xml",
        }
    }

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

/// An underlying error kept as [`std::error::Error::source`].
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// How much of an error body [`Error::Api`] keeps.
pub const MAX_KEPT_BODY: usize = 4096;

/// Everything that can go wrong when calling the API.
///
/// `Display` messages are complete sentences a CLI can print as they are. The access token
/// never appears in any variant.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request breaks a documented rule; it was not sent. The
    /// [`Violation`](crate::validate::Violation) names the field and the rule.
    #[error("invalid request: {0}")]
    Validation(crate::validate::Violation),
    /// The API answered with an error status.
    #[error("the API answered {status}: {message}")]
    Api {
        /// The HTTP status.
        status: StatusCode,
        /// The `Message` of the error body, or a description of the body when it has none.
        message: String,
        /// The raw body, truncated to [`MAX_KEPT_BODY`] bytes.
        body: Bytes,
        /// How long the server asked the client to wait (`Retry-After` in seconds), if it
        /// said.
        retry_after: Option<Duration>,
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
        /// The decoder's own error (`serde_json::Error`, or [`XmlError`](crate::xml::XmlError)
        /// with its element path and byte offset). Left out when its text would show a
        /// secret the server echoed; `detail` is redacted either way.
        #[source]
        source: Option<BoxError>,
    },
    /// The response body is larger than the configured cap; reading stopped there.
    #[error("the response body exceeds the {limit}-byte limit")]
    BodyTooLarge {
        /// The cap in bytes.
        limit: usize,
    },
    /// The server answered with a redirect the SDK does not follow: any redirect of a POST
    /// (following it could send the booking twice, or to someone else), and a redirect of a
    /// GET to another origin (the token and headers stay with the configured one).
    #[error(
        "the API answered {status} redirecting to {}: not followed (only a GET is, within the same origin); check the base URL",
        location.as_deref().unwrap_or("no Location")
    )]
    Redirect {
        /// The redirect status.
        status: StatusCode,
        /// The `Location` header as sent (redacted, at most [`MAX_SHOWN_MESSAGE`](crate::MAX_SHOWN_MESSAGE) bytes).
        location: Option<String>,
    },
    /// A POST reached the server, or may have, and no definitive answer came back: a timeout
    /// or a dropped connection after the request was sent, a success answer whose body
    /// could not be read or decoded, or a gateway's 502 or 504 (the server behind it may have
    /// done the request and its answer was lost). **It may have taken effect**; look before sending it
    /// again. [`Error::outcome_unknown`] is true for this variant only.
    #[error(
        "the outcome is unknown ({cause}) and {effect}: check before sending the request again"
    )]
    OutcomeUnknown {
        /// What may have happened, e.g. "the booking may have been made" (the operation's
        /// `x-outcome-unknown` in the spec).
        effect: &'static str,
        /// Why no definitive answer came: a [`Timeout`](Error::Timeout),
        /// [`Transport`](Error::Transport), [`BodyTooLarge`](Error::BodyTooLarge),
        /// [`Decode`](Error::Decode) or (502, 504) [`Api`](Error::Api) error.
        cause: Box<Error>,
        /// What the server sent of its body, if anything (at most the body cap, secrets
        /// redacted): a `BookingID` may still be in it.
        body: Bytes,
    },
    /// The request or the response took longer than the configured timeout.
    #[error("the request timed out")]
    Timeout,
    /// The server could not be reached.
    #[error("could not connect to the API: {detail}")]
    Connect {
        /// What went wrong, the whole chain of causes on one line.
        detail: String,
        /// The HTTP client's error.
        #[source]
        source: Option<BoxError>,
    },
    /// Another transport failure (connection reset, protocol error, ...).
    #[error("transport failure: {detail}")]
    Transport {
        /// What went wrong, the whole chain of causes on one line.
        detail: String,
        /// The HTTP client's error, where there is one.
        #[source]
        source: Option<BoxError>,
    },
    /// The client was configured wrongly (bad base URL, missing token, ...).
    #[error("invalid configuration: {0}")]
    Config(String),
}

impl Error {
    /// The HTTP status, for [`Error::Api`], and for an [`Error::OutcomeUnknown`] whose cause
    /// is one (a gateway's 502 or 504 to a POST).
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Api { status, .. } => Some(*status),
            Self::OutcomeUnknown { cause, .. } => cause.status(),
            _ => None,
        }
    }

    /// The server's `Retry-After`, for an [`Error::Api`] answer that carried one (a 429 or
    /// 503, typically).
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::Api { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// Whether the request certainly never left the client (validation or configuration).
    pub fn is_before_sending(&self) -> bool {
        matches!(self, Self::Validation(_) | Self::Config(_))
    }

    /// Whether a POST may have taken effect although no definitive answer came back
    /// ([`Error::OutcomeUnknown`]). Never true for a GET, for a refused connection (nothing
    /// was sent), or when the server answered with an error status.
    ///
    /// ```no_run
    /// # async fn run(client: adultwork::Client, booking: adultwork::NewWebcamBooking) {
    /// match client.create_webcam_booking(booking).await {
    ///     Ok(results) => println!("{} results", results.len()),
    ///     Err(e) if e.outcome_unknown() => {
    ///         // Do not simply try again: the booking may exist.
    ///         eprintln!("{e}; the server sent {:?}", e.raw_body());
    ///     }
    ///     Err(e) => eprintln!("{e}"),
    /// }
    /// # }
    /// ```
    pub fn outcome_unknown(&self) -> bool {
        matches!(self, Self::OutcomeUnknown { .. })
    }

    /// The raw body the server sent with this error, secrets redacted: the body of an
    /// [`Api`](Error::Api) error (at most [`MAX_KEPT_BODY`] bytes) or what arrived of an
    /// [`OutcomeUnknown`](Error::OutcomeUnknown) answer.
    pub fn raw_body(&self) -> Option<&Bytes> {
        match self {
            Self::Api { body, .. } | Self::OutcomeUnknown { body, .. } => Some(body),
            _ => None,
        }
    }

    pub(crate) fn validation(field: &'static str, rule: impl Into<String>) -> Self {
        Self::Validation(crate::validate::Violation::new(field, rule))
    }

    /// An API error from a status and raw body: the message comes from JSON `{"Message"}`,
    /// XML `<Message>`, or else a short description of the body. Parsing costs the message's
    /// size, not the body's (nothing else of the body is kept while reading it).
    pub(crate) fn api(
        status: StatusCode,
        body: &[u8],
        retry_after: Option<Duration>,
        secrets: &Secrets,
    ) -> Self {
        let body = secrets.redact(body);
        let message = json_message(&body)
            .or_else(|| crate::xml::error_message(&body))
            .map(|m| secrets.shown(&m))
            .unwrap_or_else(|| {
                let reason = status.canonical_reason().unwrap_or("error");
                if body.is_empty() {
                    reason.to_string()
                } else {
                    format!("{reason} (body: {})", snippet(&body, 0))
                }
            });
        Self::Api {
            status,
            message,
            body: Bytes::copy_from_slice(&body[..body.len().min(MAX_KEPT_BODY)]),
            retry_after,
        }
    }

    /// A decode error of `body` at byte `position`, with server text made safe.
    pub(crate) fn decode(
        format: Format,
        detail: &str,
        body: &[u8],
        position: usize,
        source: BoxError,
        secrets: &Secrets,
    ) -> Self {
        // The detail quotes server text (serde quotes a string it did not expect in full);
        // with the snippet beside it, the two stay within `MAX_SHOWN_MESSAGE`.
        let shown = secrets.shown_within(detail, crate::MAX_SHOWN_MESSAGE - 256);
        Self::Decode {
            format,
            snippet: snippet(&secrets.redact(body), position),
            // The source's text is the decoder's, unredacted: keep it only when it holds no
            // secret (its `Display` and `Debug` quote the same server text).
            source: secrets.reveals_none(&source.to_string()).then_some(source),
            detail: shown,
        }
    }

    /// A transport failure of the SDK's own (no underlying error).
    pub(crate) fn transport(detail: impl Into<String>) -> Self {
        Self::Transport {
            detail: detail.into(),
            source: None,
        }
    }

    #[cfg(feature = "client")]
    pub(crate) fn from_reqwest(e: reqwest::Error, secrets: &Secrets) -> Self {
        // reqwest's Display of a connect error names the URL, never headers.
        let detail = std::iter::successors(Some(&e as &dyn std::error::Error), |e| e.source())
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(": ");
        let detail = secrets.shown(&detail);
        if e.is_timeout() {
            Self::Timeout
        } else if e.is_connect() {
            Self::Connect {
                detail,
                source: Some(Box::new(e)),
            }
        } else {
            Self::Transport {
                detail,
                source: Some(Box::new(e)),
            }
        }
    }
}

/// The `Message` of a JSON error body. Other members are skipped without being kept.
fn json_message(body: &[u8]) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct ErrorBody {
        #[serde(rename = "Message")]
        message: Option<String>,
    }
    serde_json::from_slice::<ErrorBody>(body).ok()?.message
}

/// Up to 80 characters of `body` around byte `position`, on one line.
pub(crate) fn snippet(body: &[u8], position: usize) -> String {
    let start = position.saturating_sub(40).min(body.len());
    let end = (position + 40).min(body.len());
    String::from_utf8_lossy(&body[start..end])
        .chars()
        .map(|c| {
            if c.is_control() || crate::untrusted::reorders_text(c) {
                ' '
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(status: StatusCode, body: &[u8]) -> Error {
        let mut secrets = Secrets::default();
        secrets.add(b"tok3n");
        Error::api(status, body, None, &secrets)
    }

    #[test]
    fn api_message_from_json_xml_or_raw() {
        let json = api(
            StatusCode::BAD_REQUEST,
            br#"{"Other":[1,2,{"x":null}],"Message":"Duration must be at least 5."}"#,
        );
        assert_eq!(
            json.to_string(),
            "the API answered 400 Bad Request: Duration must be at least 5."
        );
        let xml = api(
            StatusCode::NOT_FOUND,
            b"<Error><Message>No such booking.</Message></Error>",
        );
        assert!(matches!(&xml, Error::Api { message, .. } if message == "No such booking."));
        let html = api(
            StatusCode::BAD_GATEWAY,
            b"<html><body>Bad gateway</body></html>",
        );
        assert!(
            matches!(&html, Error::Api { message, body, .. } if message.contains("Bad Gateway") && body.starts_with(b"<html>"))
        );
        let big = api(StatusCode::INTERNAL_SERVER_ERROR, &[b'x'; 10_000]);
        assert!(matches!(&big, Error::Api { body, .. } if body.len() == MAX_KEPT_BODY));
        assert_eq!(big.raw_body().map(Bytes::len), Some(MAX_KEPT_BODY));
    }

    #[test]
    fn api_messages_are_redacted_bounded_and_inert() {
        let long = format!(
            r#"{{"Message":"token \u0074ok3n\n{}"}}"#,
            "\\u001b[31m".repeat(1000)
        );
        let e = api(StatusCode::BAD_REQUEST, long.as_bytes());
        let shown = e.to_string();
        assert!(shown.contains("token ***\\n"), "{shown}");
        assert!(!shown.contains("tok3n") && !shown.chars().any(char::is_control));
        assert!(
            shown.len() < crate::MAX_SHOWN_MESSAGE + 100,
            "{}",
            shown.len()
        );
        assert!(shown.ends_with("more bytes)"), "{shown}");
        assert!(!String::from_utf8_lossy(e.raw_body().unwrap()).contains("\\u0074ok3n"));
    }

    #[test]
    fn only_outcome_unknown_is_an_unknown_outcome() {
        let unknown = Error::OutcomeUnknown {
            effect: "the booking may have been made",
            cause: Box::new(Error::Timeout),
            body: Bytes::new(),
        };
        assert!(unknown.outcome_unknown() && !unknown.is_before_sending());
        assert_eq!(
            unknown.to_string(),
            "the outcome is unknown (the request timed out) and the booking may have been made: check before sending the request again"
        );
        for e in [
            Error::Timeout,
            Error::Connect {
                detail: "refused".into(),
                source: None,
            },
            api(StatusCode::INTERNAL_SERVER_ERROR, b""),
        ] {
            assert!(!e.outcome_unknown(), "{e}");
        }
    }
}
