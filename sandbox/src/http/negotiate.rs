//! Content negotiation: handlers return what to say ([`Output`]); one middleware picks JSON
//! or DataContract XML from the request's `Accept` header and writes it.

use axum::Extension;
use axum::body::Body;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::http::header::{ACCEPT, CONTENT_TYPE, HeaderValue, WWW_AUTHENTICATE};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::Value;
use std::fmt;
use std::sync::Arc;

/// The response format chosen for a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Negotiated {
    /// `application/json` (also the fallback for anything else).
    Json,
    /// DataContract XML, under the media type the client asked for
    /// (`application/xml` or `text/xml`).
    Xml(&'static str),
}

impl Negotiated {
    /// The best format for an `Accept` header value: the supported media range with the
    /// highest `q` (the first one on ties); JSON when nothing supported is acceptable, as
    /// ASP.NET Web API falls back to its first formatter.
    pub fn from_accept(accept: Option<&str>) -> Self {
        let mut best: Option<(f32, Self)> = None;
        for range in accept.unwrap_or_default().split(',') {
            let mut parts = range.split(';');
            let media = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
            let q = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            let format = match media.as_str() {
                "application/json" | "text/json" | "application/*" | "*/*" => Self::Json,
                "application/xml" => Self::Xml("application/xml"),
                "text/xml" | "text/*" => Self::Xml("text/xml"),
                _ => continue,
            };
            if q > 0.0 && best.is_none_or(|(b, _)| q > b) {
                best = Some((q, format));
            }
        }
        best.map_or(Self::Json, |(_, f)| f)
    }

    fn content_type(self) -> &'static str {
        match self {
            Self::Json => "application/json; charset=utf-8",
            Self::Xml("text/xml") => "text/xml; charset=utf-8",
            Self::Xml(_) => "application/xml; charset=utf-8",
        }
    }
}

/// A typed success body, written on demand as JSON or as DataContract XML.
pub trait Answer: fmt::Debug + Send + Sync {
    /// The body as JSON.
    fn json(&self) -> Result<String, String>;
    /// The body as `operation`'s DataContract XML.
    fn xml(&self, operation: adultwork::Operation) -> Result<String, String>;
}

impl<T: Serialize + fmt::Debug + Send + Sync> Answer for T {
    fn json(&self) -> Result<String, String> {
        serde_json::to_string(self).map_err(|e| e.to_string())
    }

    fn xml(&self, operation: adultwork::Operation) -> Result<String, String> {
        adultwork::xml::to_string(operation.xml(), self).map_err(|e| e.to_string())
    }
}

/// What a handler answers, before a format is chosen. Travels in the response's extensions.
#[derive(Debug, Clone)]
pub enum Output {
    /// An operation's success body, its response type kept as it is until the format is
    /// chosen, then written as JSON or as the operation's DataContract XML.
    Operation {
        /// The operation, whose XML description shapes the XML.
        operation: adultwork::Operation,
        /// The body.
        body: Arc<dyn Answer>,
    },
    /// An error: `{"Message": ...}` or `<Error><Message>...</Message></Error>`.
    Error(String),
    /// A sandbox-only body (control endpoints), always JSON.
    Json(Value),
}

/// A success answer of endpoint `E` (its operation's response type, or what converts into it).
pub fn answer<E>(body: impl Into<E::Response>) -> Response
where
    E: adultwork::Endpoint,
    E::Response: Serialize + fmt::Debug + Send + Sync + 'static,
{
    let body: Arc<dyn Answer> = Arc::new(body.into());
    Extension(Output::Operation {
        operation: E::OPERATION,
        body,
    })
    .into_response()
}

/// A sandbox-only JSON answer.
pub fn json(status: StatusCode, body: Value) -> Response {
    (status, Extension(Output::Json(body))).into_response()
}

/// An error answer: a status and a message naming the field and the rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The message.
    pub message: String,
}

impl ApiError {
    /// An error with `status` and `message`.
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }

    /// A 400 Bad Request.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut res = (self.status, Extension(Output::Error(self.message))).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            res.headers_mut()
                .insert(WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        res
    }
}

/// The middleware: negotiates the format from `Accept` and writes the handler's [`Output`].
pub async fn middleware(req: Request, next: Next) -> Response {
    let format = Negotiated::from_accept(req.headers().get(ACCEPT).and_then(|v| v.to_str().ok()));
    let mut res = next.run(req).await;
    let Some(output) = res.extensions_mut().remove::<Output>() else {
        return res;
    };
    let (content_type, body) = render(&output, format);
    res.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    *res.body_mut() = Body::from(body);
    res
}

/// The bytes of `output` in `format`, with their content type. A body that cannot be written
/// in the operation's shape becomes an error body rather than a panic.
pub fn render(output: &Output, format: Negotiated) -> (&'static str, String) {
    match (output, format) {
        (Output::Operation { operation, body }, Negotiated::Xml(_)) => match body.xml(*operation) {
            Ok(xml) => (format.content_type(), xml),
            Err(e) => render(
                &Output::Error(format!("The answer could not be written: {e}")),
                format,
            ),
        },
        (Output::Operation { body, .. }, Negotiated::Json) => match body.json() {
            Ok(json) => (format.content_type(), json),
            Err(e) => render(
                &Output::Error(format!("The answer could not be written: {e}")),
                format,
            ),
        },
        (Output::Json(value), _) => (Negotiated::Json.content_type(), value.to_string()),
        (Output::Error(message), Negotiated::Json) => (
            format.content_type(),
            serde_json::json!({ "Message": message }).to_string(),
        ),
        (Output::Error(message), Negotiated::Xml(_)) => (
            format.content_type(),
            format!("<Error><Message>{}</Message></Error>", escape(message)),
        ),
    }
}

/// Escapes text content as the .NET XmlWriter does: `&`, `<` and `>` only.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_header_picks_the_format() {
        use Negotiated::*;
        for (accept, want) in [
            (None, Json),
            (Some("application/json"), Json),
            (Some("application/xml"), Xml("application/xml")),
            (Some("text/xml"), Xml("text/xml")),
            (Some("Application/XML"), Xml("application/xml")),
            (
                Some("text/html, application/xml;q=0.9, */*;q=0.8"),
                Xml("application/xml"),
            ),
            (Some("application/xml;q=0.5, application/json"), Json),
            (Some("application/xml;q=0"), Json),
            (Some("image/png"), Json),
            (Some("*/*"), Json),
        ] {
            assert_eq!(Negotiated::from_accept(accept), want, "{accept:?}");
        }
    }

    #[test]
    fn typed_answers_render_in_both_formats_without_a_value_detour() {
        use adultwork::{Endpoint, endpoints};
        type E = endpoints::GetMadeWebcamBookingDetails;
        let booking: adultwork::types::WebcamBooking = serde_json::from_str(include_str!(
            "../../../tests/data/docs/made_webcam_booking_details.response.json"
        ))
        .unwrap();
        let output = Output::Operation {
            operation: E::OPERATION,
            body: Arc::new(booking.clone()),
        };
        let (_, json) = render(&output, Negotiated::Json);
        assert_eq!(
            serde_json::from_str::<adultwork::types::WebcamBooking>(&json).unwrap(),
            booking
        );
        let (content_type, xml) = render(&output, Negotiated::Xml("text/xml"));
        assert_eq!(content_type, "text/xml; charset=utf-8");
        let back: adultwork::types::WebcamBooking =
            adultwork::xml::from_slice(E::OPERATION.xml(), xml.as_bytes()).unwrap();
        assert_eq!(back, booking);
    }

    #[test]
    fn an_answer_of_the_wrong_shape_renders_an_error_not_a_panic() {
        let output = Output::Operation {
            operation: adultwork::Operation::CreateWebcamBooking,
            body: Arc::new(7_i64),
        };
        let (_, xml) = render(&output, Negotiated::Xml("application/xml"));
        let message = adultwork::xml::error_message(xml.as_bytes()).unwrap();
        assert!(message.contains("could not be written"), "{message}");
    }

    #[test]
    fn errors_render_in_both_formats() {
        let e = Output::Error("Reason <is> required & \"blank\"".into());
        assert_eq!(
            render(&e, Negotiated::Json).1,
            r#"{"Message":"Reason <is> required & \"blank\""}"#
        );
        assert_eq!(
            render(&e, Negotiated::Xml("application/xml")).1,
            "<Error><Message>Reason &lt;is&gt; required &amp; \"blank\"</Message></Error>"
        );
        assert_eq!(
            adultwork::xml::error_message(render(&e, Negotiated::Xml("text/xml")).1.as_bytes())
                .unwrap(),
            "Reason <is> required & \"blank\""
        );
    }
}
