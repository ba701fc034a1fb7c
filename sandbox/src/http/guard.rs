//! The control endpoints refuse what a web page can make a browser send to them.
//!
//! Any page the sandbox's user visits can point their browser at `http://127.0.0.1:PORT`.
//! Without CORS the page cannot read the answers, but a "simple" request (a form POST:
//! `application/x-www-form-urlencoded`, `multipart/form-data` or `text/plain`) still arrives
//! and still changes state. So, for `/_sandbox/...` only:
//!
//! - a request with an `Origin` header that is not a loopback origin (`http(s)://` and
//!   `127.x.x.x`, `localhost`, `*.localhost` or `[::1]`, any port) is refused with 403; every
//!   browser sends `Origin` on a cross-origin request and on every POST, so this refuses them
//!   all, including `Origin: null`;
//! - a request that can change state (any method but GET, HEAD and OPTIONS) must be
//!   `Content-Type: application/json` (415 otherwise), which a page can only send cross-origin
//!   after a CORS preflight that the sandbox never grants. The one exception is a request with
//!   no `Content-Type`, no body and no `Origin` (`curl -X POST URL`), which a browser never
//!   sends: every browser POST carries an `Origin`;
//! - on a connection to a loopback address, the `Host` must name a loopback host too (403
//!   otherwise), which stops DNS rebinding (a page on `evil.example` whose name is made to
//!   resolve to 127.0.0.1 is then same-origin with the sandbox, and sends `Host:
//!   evil.example`). A connection to another address (the sandbox bound to `0.0.0.0` and
//!   reached over the network) may use any `Host`: there, the name the user types is not
//!   known in advance.

use std::net::{IpAddr, Ipv6Addr};

use axum::extract::Request;
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE, HOST, ORIGIN, TRANSFER_ENCODING};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::connection::ConnectionInfo;
use super::negotiate::ApiError;

/// The middleware in front of every control route.
pub async fn control(req: Request, next: Next) -> Response {
    let loopback_connection = req
        .extensions()
        .get::<ConnectionInfo>()
        .is_some_and(|c| c.local.ip().is_loopback());
    match check(req.method(), req.headers(), loopback_connection) {
        Ok(()) => next.run(req).await,
        Err(e) => e.into_response(),
    }
}

fn check(method: &Method, headers: &HeaderMap, loopback_connection: bool) -> Result<(), ApiError> {
    let mut origins = headers.get_all(ORIGIN).iter();
    let origin = origins.next();
    if let Some(origin) = origin {
        let text = origin.to_str().unwrap_or_default();
        if origins.next().is_some() || !is_loopback_origin(text) {
            let shown: String = text.chars().take(64).collect();
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                format!(
                    "The sandbox's control endpoints only answer pages served from this \
                     machine (a loopback Origin such as http://127.0.0.1:8080), not Origin \
                     {shown:?}."
                ),
            ));
        }
    }
    if loopback_connection
        && let Some(host) = headers.get(HOST)
        && !host.to_str().is_ok_and(is_loopback_authority)
    {
        let shown: String = String::from_utf8_lossy(host.as_bytes())
            .chars()
            .take(64)
            .collect();
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            format!(
                "The sandbox's control endpoints on a loopback address only answer requests \
                 for a loopback host (127.0.0.1, localhost or [::1]), not Host {shown:?}."
            ),
        ));
    }
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return Ok(());
    }
    match headers.get(CONTENT_TYPE) {
        Some(ct) if is_json(ct.to_str().unwrap_or_default()) => Ok(()),
        None if origin.is_none() && has_no_body(headers) => Ok(()),
        ct => {
            let shown = ct.map_or_else(
                || "none".to_string(),
                |v| {
                    format!(
                        "{:?}",
                        v.to_str()
                            .unwrap_or("?")
                            .chars()
                            .take(64)
                            .collect::<String>()
                    )
                },
            );
            Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!(
                    "The sandbox's control endpoints take Content-Type: application/json \
                     (got {shown}), so that a web page cannot drive them with a form."
                ),
            ))
        }
    }
}

/// `application/json`, with or without parameters.
fn is_json(content_type: &str) -> bool {
    content_type
        .split(';')
        .next()
        .is_some_and(|essence| essence.trim().eq_ignore_ascii_case("application/json"))
}

/// No `Transfer-Encoding` and no `Content-Length` other than 0.
fn has_no_body(headers: &HeaderMap) -> bool {
    !headers.contains_key(TRANSFER_ENCODING)
        && headers
            .get_all(CONTENT_LENGTH)
            .iter()
            .all(|v| v.as_bytes() == b"0")
}

/// `http://` or `https://` and a loopback host, with an optional port and nothing else.
fn is_loopback_origin(origin: &str) -> bool {
    let lower = origin.to_ascii_lowercase();
    lower
        .strip_prefix("http://")
        .or_else(|| lower.strip_prefix("https://"))
        .is_some_and(is_loopback_authority)
}

/// `host[:port]` where host is a loopback IP literal, `localhost` or a name under `.localhost`.
fn is_loopback_authority(authority: &str) -> bool {
    let valid_port = |p: &str| (1..=5).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit());
    if let Some(rest) = authority.strip_prefix('[') {
        let Some((v6, after)) = rest.split_once(']') else {
            return false;
        };
        let port_ok = after.is_empty() || after.strip_prefix(':').is_some_and(valid_port);
        return port_ok && v6.parse::<Ipv6Addr>().is_ok_and(|ip| ip.is_loopback());
    }
    let (host, port) = match authority.split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    };
    let host = host.to_ascii_lowercase();
    let host_ok = host == "localhost"
        || host.ends_with(".localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback());
    host_ok && port.is_none_or(valid_port)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_authorities_and_origins() {
        for ok in [
            "127.0.0.1",
            "127.0.0.1:8080",
            "127.1.2.3:1",
            "localhost",
            "LOCALHOST:3000",
            "app.localhost:5173",
            "[::1]",
            "[::1]:8080",
        ] {
            assert!(is_loopback_authority(ok), "{ok}");
            assert!(is_loopback_origin(&format!("http://{ok}")), "{ok}");
            assert!(is_loopback_origin(&format!("https://{ok}")), "{ok}");
        }
        for bad in [
            "evil.example",
            "evil.example:8080",
            "localhost.evil.example",
            "127.0.0.1.evil.example",
            "10.0.0.1:8080",
            "[::2]:80",
            "[::1",
            "[::1]x",
            "localhost:",
            "localhost:80:80",
            "localhost:8a",
            "",
        ] {
            assert!(!is_loopback_authority(bad), "{bad}");
        }
        for bad in [
            "null",
            "file://",
            "http://evil.example",
            "ftp://127.0.0.1",
            "http://127.0.0.1/path",
            "http://user@127.0.0.1",
        ] {
            assert!(!is_loopback_origin(bad), "{bad}");
        }
    }

    #[test]
    fn only_json_or_a_bare_post_passes() {
        let headers = |pairs: &[(&'static str, &'static str)]| {
            let mut h = HeaderMap::new();
            for (k, v) in pairs {
                h.append(*k, v.parse().unwrap());
            }
            h
        };
        let post = Method::POST;
        assert!(
            check(
                &post,
                &headers(&[("content-type", "application/json")]),
                true
            )
            .is_ok()
        );
        assert!(
            check(
                &post,
                &headers(&[("content-type", "Application/JSON; charset=utf-8")]),
                true
            )
            .is_ok()
        );
        assert!(check(&post, &headers(&[]), true).is_ok());
        assert!(check(&post, &headers(&[("content-length", "0")]), true).is_ok());
        for refused in [
            &[("content-type", "text/plain")][..],
            &[("content-type", "application/x-www-form-urlencoded")],
            &[("content-type", "multipart/form-data; boundary=x")],
            &[("content-type", "text/plain; x=application/json")],
            &[("content-length", "2")],
            &[("transfer-encoding", "chunked")],
            &[("origin", "http://127.0.0.1:8080")],
        ] {
            let e = check(&post, &headers(refused), true).unwrap_err();
            assert_eq!(e.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{refused:?}");
        }
        let evil = headers(&[
            ("origin", "http://evil.example"),
            ("content-type", "application/json"),
        ]);
        assert_eq!(
            check(&post, &evil, true).unwrap_err().status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            check(&Method::GET, &evil, true).unwrap_err().status,
            StatusCode::FORBIDDEN
        );
        let two = headers(&[
            ("origin", "http://127.0.0.1"),
            ("origin", "http://evil.example"),
        ]);
        assert_eq!(
            check(&Method::GET, &two, true).unwrap_err().status,
            StatusCode::FORBIDDEN
        );
        let rebound = headers(&[("host", "evil.example:8080")]);
        assert_eq!(
            check(&Method::GET, &rebound, true).unwrap_err().status,
            StatusCode::FORBIDDEN
        );
        assert!(check(&Method::GET, &rebound, false).is_ok());
        assert!(check(&Method::GET, &headers(&[("host", "localhost:8080")]), true).is_ok());
    }
}
