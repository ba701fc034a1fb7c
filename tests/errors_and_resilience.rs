//! What users see when things go wrong: API errors with their raw body, safe retries (GET
//! only), timeouts, the body-size cap, and decode errors that point at the fault — never a
//! silent default, never a panic.

mod common;

use std::time::Duration;

use adultwork::types::{PhoneChatBooking, WebcamBooking, WebcamBookingResult};
use adultwork::{
    BookingStatus, Client, Credits, Error, Format, MAX_KEPT_BODY, NewWebcamBooking, RetryPolicy,
    SoftwareType, xml,
};
use common::{RawServer, Reply, Server, client, docs, golden, guard, read_counted, write_response};
use http::StatusCode;
use tokio::io::AsyncWriteExt;

const MADE_JSON: &str = "made_webcam_booking_details.response.json";

fn made_xml() -> Vec<u8> {
    golden("webcam_booking_made.compact.xml")
}

fn tiny_retries() -> RetryPolicy {
    RetryPolicy::exponential(3).base_delay(Duration::from_millis(1))
}

fn webcam() -> NewWebcamBooking {
    NewWebcamBooking::new(
        [123456],
        common::at("2018-02-01 12:00"),
        10,
        Credits::from(10),
        SoftwareType::Skype,
        "me",
    )
}

fn phone_chat() -> adultwork::NewPhoneChatBooking {
    adultwork::NewPhoneChatBooking::new(
        123456,
        common::at("2018-02-21 21:30"),
        common::at("2018-02-21 18:00"),
        15,
        adultwork::PhoneChatMethod::ICall,
        Credits::from(32),
    )
}

/// Runs each POST operation once against `client`.
async fn every_post(client: &Client) -> Vec<Error> {
    vec![
        guard(client.create_webcam_booking(webcam()))
            .await
            .unwrap_err(),
        guard(client.cancel_webcam_booking(1, "I can't make it."))
            .await
            .unwrap_err(),
        guard(client.reschedule_webcam_booking(1))
            .await
            .unwrap_err(),
        guard(client.create_phone_chat_booking(phone_chat()))
            .await
            .unwrap_err(),
    ]
}

// ---------------------------------------------------------------------------------------------
// API errors
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn json_error_body_gives_api_error_with_its_message_and_raw_body() {
    let body = r#"{"Message":"Duration must be at least 5."}"#;
    let server = Server::always(Reply::json(400, body)).await;
    let client = client(&server.base_url).build().unwrap();
    let err = guard(client.webcam_booking(1)).await.unwrap_err();
    let Error::Api {
        status,
        message,
        body: raw,
        ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(*status, StatusCode::BAD_REQUEST);
    assert_eq!(message, "Duration must be at least 5.");
    assert_eq!(raw.as_ref(), body.as_bytes());
    assert_eq!(err.status(), Some(StatusCode::BAD_REQUEST));
    assert!(!err.is_before_sending());
    assert_eq!(
        err.to_string(),
        "the API answered 400 Bad Request: Duration must be at least 5."
    );
}

#[tokio::test]
async fn xml_error_body_gives_api_error_with_its_message() {
    let body = "<Error><Message>No booking 7 for this user.</Message></Error>";
    let server = Server::always(Reply::xml(404, body)).await;
    let client = client(&server.base_url)
        .format(Format::Xml)
        .build()
        .unwrap();
    let err = guard(client.webcam_booking(7)).await.unwrap_err();
    let Error::Api {
        status,
        message,
        body: raw,
        ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(*status, StatusCode::NOT_FOUND);
    assert_eq!(message, "No booking 7 for this user.");
    assert_eq!(raw.as_ref(), body.as_bytes());
}

#[tokio::test]
async fn html_error_body_is_kept_raw() {
    let body = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    let server = Server::always(Reply::new(502, Some("text/html"), body)).await;
    let client = client(&server.base_url)
        .retry(RetryPolicy::never())
        .build()
        .unwrap();
    let err = guard(client.webcam_booking(1)).await.unwrap_err();
    let Error::Api {
        status,
        message,
        body: raw,
        ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(*status, StatusCode::BAD_GATEWAY);
    assert!(message.contains("Bad Gateway"), "{message}");
    assert_eq!(raw.as_ref(), body.as_bytes());
}

#[tokio::test]
async fn empty_error_body_gives_the_status_reason() {
    let server = Server::always(Reply::new(500, None, "")).await;
    let client = client(&server.base_url).build().unwrap();
    let err = guard(client.create_webcam_booking(webcam()))
        .await
        .unwrap_err();
    let Error::Api {
        status,
        message,
        body,
        ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(*status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(message, "Internal Server Error");
    assert!(body.is_empty());
}

#[tokio::test]
async fn unauthorized_forbidden_and_not_found_are_api_errors_with_their_status() {
    for (code, message) in [
        (401, "Authorization has been denied."),
        (403, "Missing scope."),
        (404, "No such booking."),
    ] {
        let server =
            Server::always(Reply::json(code, format!(r#"{{"Message":"{message}"}}"#))).await;
        let client = client(&server.base_url).build().unwrap();
        for err in [
            guard(client.webcam_booking(1)).await.unwrap_err(),
            guard(client.cancel_webcam_booking(1, "x"))
                .await
                .unwrap_err(),
        ] {
            assert_eq!(
                err.status(),
                Some(StatusCode::from_u16(code).unwrap()),
                "{err:?}"
            );
            assert!(
                matches!(&err, Error::Api { message: m, .. } if m == message),
                "{err:?}"
            );
        }
        // Client errors are not retried.
        assert_eq!(server.count(), 2, "{code}");
    }
}

#[tokio::test]
async fn undeclared_status_is_still_an_api_error_with_the_body() {
    let server = Server::always(Reply::json(409, r#"{"Message":"Already cancelled."}"#)).await;
    let client = client(&server.base_url).build().unwrap();
    let err = guard(client.cancel_webcam_booking(1, "x"))
        .await
        .unwrap_err();
    let Error::Api {
        status,
        message,
        body,
        ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(status.as_u16(), 409);
    assert_eq!(message, "Already cancelled.");
    assert_eq!(body.as_ref(), br#"{"Message":"Already cancelled."}"#);
}

#[tokio::test]
async fn long_error_body_is_truncated_to_max_kept_body() {
    let server = Server::always(Reply::new(
        500,
        Some("text/plain"),
        vec![b'x'; 3 * MAX_KEPT_BODY],
    ))
    .await;
    let client = client(&server.base_url).build().unwrap();
    let err = guard(client.reschedule_webcam_booking(1))
        .await
        .unwrap_err();
    let Error::Api { body, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(body.len(), MAX_KEPT_BODY);
    assert!(
        err.to_string().len() < 300,
        "Display stays short: {}",
        err.to_string().len()
    );
}

// ---------------------------------------------------------------------------------------------
// Retries: GET only
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn get_is_retried_on_429_502_503_504_then_succeeds() {
    for code in [429, 502, 503, 504] {
        // Fails twice, then answers.
        let server = Server::start(move |_, n| {
            if n < 2 {
                Reply::json(code, r#"{"Message":"try again"}"#)
            } else {
                Reply::json(200, docs(MADE_JSON))
            }
        })
        .await;
        let client = client(&server.base_url)
            .retry(tiny_retries())
            .build()
            .unwrap();
        let booking = guard(client.webcam_booking(1))
            .await
            .unwrap_or_else(|e| panic!("{code}: {e}"));
        assert_eq!(booking.webcam_booking_id, 1);
        assert_eq!(server.count(), 3, "{code}");
        // Every attempt is the same request.
        for req in server.requests() {
            assert_eq!(req.query.as_deref(), Some("BookingID=1"));
        }
    }
}

#[tokio::test]
async fn group_get_is_retried_too() {
    let server = Server::start(|_, n| {
        if n == 0 {
            Reply::json(503, "")
        } else {
            Reply::json(200, docs(MADE_JSON))
        }
    })
    .await;
    let client = client(&server.base_url)
        .retry(tiny_retries())
        .build()
        .unwrap();
    guard(client.as_group_member(123456).webcam_booking(1))
        .await
        .unwrap();
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn get_retries_stop_after_max_attempts() {
    let server = Server::always(Reply::json(503, r#"{"Message":"down"}"#)).await;
    let client = client(&server.base_url)
        .retry(tiny_retries())
        .build()
        .unwrap();
    let err = guard(client.webcam_booking(1)).await.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert!(matches!(&err, Error::Api { message, .. } if message == "down"));
    assert_eq!(server.count(), 3);
}

#[tokio::test]
async fn retry_policy_never_sends_a_get_once() {
    let server = Server::always(Reply::json(503, "")).await;
    let client = client(&server.base_url)
        .retry(RetryPolicy::never())
        .build()
        .unwrap();
    let err = guard(client.webcam_booking(1)).await.unwrap_err();
    assert_eq!(err.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(server.count(), 1);
    assert_eq!(RetryPolicy::never().max_attempts(), 1);
}

#[tokio::test]
async fn get_is_not_retried_on_500() {
    let server = Server::always(Reply::json(500, r#"{"Message":"bug"}"#)).await;
    let client = client(&server.base_url)
        .retry(tiny_retries())
        .build()
        .unwrap();
    guard(client.webcam_booking(1)).await.unwrap_err();
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn post_that_gets_503_reaches_the_server_exactly_once() {
    let server = Server::always(Reply::json(503, r#"{"Message":"busy"}"#)).await;
    let client = client(&server.base_url)
        .retry(RetryPolicy::exponential(5).base_delay(Duration::from_millis(1)))
        .build()
        .unwrap();
    for err in every_post(&client).await {
        assert_eq!(
            err.status(),
            Some(StatusCode::SERVICE_UNAVAILABLE),
            "{err:?}"
        );
    }
    let paths: Vec<String> = server.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(
        paths,
        [
            "/v1/Webcam/CreateBooking",
            "/v1/Webcam/CancelMadeBooking",
            "/v1/Webcam/RescheduleMadeBooking",
            "/v1/PhoneChat/CreateBooking"
        ]
    );
}

#[tokio::test]
async fn post_whose_connection_is_reset_reaches_the_server_exactly_once() {
    // Reads the request, then closes the socket without answering.
    let server = RawServer::start(|mut stream, _, requests| async move {
        let _ = read_counted(&mut stream, &requests).await;
    })
    .await;
    let client = client(&server.base_url)
        .retry(RetryPolicy::exponential(5).base_delay(Duration::from_millis(1)))
        .build()
        .unwrap();
    // Sent, then no answer: each POST may have taken effect, and says so.
    for err in every_post(&client).await {
        assert!(err.outcome_unknown(), "{err:?}");
        assert!(err.to_string().contains("may have been"), "{err}");
        assert!(
            matches!(&err, Error::OutcomeUnknown { cause, .. } if matches!(**cause, Error::Transport { .. })),
            "{err:?}"
        );
    }
    assert_eq!(server.requests(), 4);
    assert_eq!(server.connections(), 4);
}

// ---------------------------------------------------------------------------------------------
// Timeouts and unreachable servers
// ---------------------------------------------------------------------------------------------

/// Reads the request and never answers (until the test's runtime ends).
async fn stalling_server() -> RawServer {
    RawServer::start(|mut stream, _, requests| async move {
        let _ = read_counted(&mut stream, &requests).await;
        std::future::pending::<()>().await;
        drop(stream);
    })
    .await
}

#[tokio::test]
async fn stalling_server_gives_timeout() {
    let server = stalling_server().await;
    let client = client(&server.base_url)
        .timeout(Duration::from_millis(200))
        .retry(RetryPolicy::never())
        .build()
        .unwrap();
    let err = guard(client.webcam_booking(1)).await.unwrap_err();
    assert!(matches!(err, Error::Timeout), "{err:?}");
    assert_eq!(err.to_string(), "the request timed out");
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn post_that_times_out_is_never_resent() {
    let server = stalling_server().await;
    let client = client(&server.base_url)
        .timeout(Duration::from_millis(200))
        .retry(RetryPolicy::exponential(5).base_delay(Duration::from_millis(1)))
        .build()
        .unwrap();
    for err in every_post(&client).await {
        assert!(
            matches!(&err, Error::OutcomeUnknown { cause, .. } if matches!(**cause, Error::Timeout)),
            "{err:?}"
        );
    }
    assert_eq!(server.requests(), 4, "one request per POST, none re-sent");
}

#[tokio::test]
async fn get_that_times_out_is_retried() {
    // The first connection stalls; the second answers.
    let server = RawServer::start(|mut stream, n, requests| async move {
        let _ = read_counted(&mut stream, &requests).await;
        if n == 0 {
            std::future::pending::<()>().await;
        }
        write_response(&mut stream, "200 OK", "application/json", &docs(MADE_JSON)).await;
    })
    .await;
    let client = client(&server.base_url)
        .timeout(Duration::from_millis(200))
        .retry(tiny_retries())
        .build()
        .unwrap();
    assert_eq!(
        guard(client.webcam_booking(1))
            .await
            .unwrap()
            .webcam_booking_id,
        1
    );
    assert_eq!(server.requests(), 2);
}

#[tokio::test]
async fn body_that_stalls_midway_gives_timeout() {
    let server = RawServer::start(|mut stream, _, requests| async move {
        let _ = read_counted(&mut stream, &requests).await;
        let _ = stream
            .write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 794\r\n\r\n{\"WebcamBookingID\": 1,")
            .await;
        std::future::pending::<()>().await;
    })
    .await;
    let client = client(&server.base_url)
        .timeout(Duration::from_millis(200))
        .retry(RetryPolicy::never())
        .build()
        .unwrap();
    let err = guard(client.webcam_booking(1)).await.unwrap_err();
    assert!(matches!(err, Error::Timeout), "{err:?}");
}

#[tokio::test]
async fn closed_port_gives_connect_error() {
    let client = client(&common::closed_port_url().await)
        .retry(RetryPolicy::never())
        .build()
        .unwrap();
    let err = guard(client.webcam_booking(1)).await.unwrap_err();
    assert!(matches!(err, Error::Connect { .. }), "{err:?}");
    assert!(
        err.to_string().starts_with("could not connect to the API"),
        "{err}"
    );
}

// ---------------------------------------------------------------------------------------------
// Body-size cap
// ---------------------------------------------------------------------------------------------

const TEN_KIB: usize = 10 * 1024;

fn capped(base_url: &str) -> Client {
    client(base_url)
        .max_body_size(1024)
        .retry(RetryPolicy::never())
        .build()
        .unwrap()
}

#[track_caller]
fn assert_too_large(result: Result<WebcamBooking, Error>) {
    match result {
        Err(e @ Error::BodyTooLarge { limit: 1024 }) => {
            assert_eq!(
                e.to_string(),
                "the response body exceeds the 1024-byte limit"
            );
        }
        other => panic!("expected BodyTooLarge, got {other:?}"),
    }
}

#[tokio::test]
async fn body_over_the_cap_with_content_length_is_refused() {
    let server = Server::always(Reply::json(200, vec![b' '; TEN_KIB])).await;
    assert_too_large(guard(capped(&server.base_url).webcam_booking(1)).await);
}

#[tokio::test]
async fn declared_content_length_over_the_cap_is_refused_before_reading() {
    // Declares 10 KiB and sends none of it: only the declaration can refuse it (reading would
    // hang until the hang guard fires).
    let server = RawServer::start(|mut stream, _, requests| async move {
        let _ = read_counted(&mut stream, &requests).await;
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {TEN_KIB}\r\n\r\n"
        );
        let _ = stream.write_all(head.as_bytes()).await;
        std::future::pending::<()>().await;
    })
    .await;
    assert_too_large(guard(capped(&server.base_url).webcam_booking(1)).await);
}

#[tokio::test]
async fn chunked_body_over_the_cap_is_refused_without_reading_it_whole() {
    // Sends 2 KiB in chunks, then stalls: the cap must trip on what arrived.
    let server = RawServer::start(|mut stream, _, requests| async move {
        let _ = read_counted(&mut stream, &requests).await;
        let _ = stream
            .write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
            .await;
        for _ in 0..4 {
            let _ = stream.write_all(format!("200\r\n{}\r\n", " ".repeat(512)).as_bytes()).await;
        }
        let _ = stream.flush().await;
        std::future::pending::<()>().await;
    })
    .await;
    assert_too_large(guard(capped(&server.base_url).webcam_booking(1)).await);
}

#[tokio::test]
async fn close_delimited_body_over_the_cap_is_refused() {
    // No Content-Length, no chunking: the body ends when the server closes.
    let server = RawServer::start(|mut stream, _, requests| async move {
        let _ = read_counted(&mut stream, &requests).await;
        let _ = stream
            .write_all(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n",
            )
            .await;
        let _ = stream.write_all(&vec![b' '; TEN_KIB]).await;
    })
    .await;
    assert_too_large(guard(capped(&server.base_url).webcam_booking(1)).await);
}

#[tokio::test]
async fn body_under_the_cap_is_accepted_in_both_formats() {
    let json = docs(MADE_JSON);
    assert!(json.len() <= 1024);
    let server = Server::always(Reply::json(200, json)).await;
    guard(capped(&server.base_url).webcam_booking(1))
        .await
        .unwrap();
    let xml = golden("webcam_booking_made.compact.xml");
    let server = Server::always(Reply::xml(200, xml.clone())).await;
    let exact = client(&server.base_url)
        .format(Format::Xml)
        .max_body_size(xml.len())
        .build()
        .unwrap();
    guard(exact.webcam_booking(1)).await.unwrap();
    let short = client(&server.base_url)
        .format(Format::Xml)
        .max_body_size(xml.len() - 1)
        .build()
        .unwrap();
    assert!(matches!(
        guard(short.webcam_booking(1)).await,
        Err(Error::BodyTooLarge { .. })
    ));
}

#[tokio::test]
async fn an_error_answer_over_the_cap_keeps_its_status() {
    let server = Server::always(Reply::json(503, vec![b' '; TEN_KIB])).await;
    match guard(capped(&server.base_url).webcam_booking(1)).await {
        Err(Error::Api {
            status,
            message,
            body,
            ..
        }) => {
            assert_eq!(status.as_u16(), 503);
            assert!(message.contains("1024-byte limit"), "{message}");
            assert!(body.is_empty());
        }
        other => panic!("expected Api 503, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Decode errors and tolerance
// ---------------------------------------------------------------------------------------------

/// `body` as the snippet shows it: control characters become spaces.
fn shown(body: &[u8]) -> String {
    String::from_utf8_lossy(body)
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

async fn answer(format: Format, body: Vec<u8>) -> Result<WebcamBooking, Error> {
    let reply = match format {
        Format::Json => Reply::json(200, body),
        Format::Xml => Reply::xml(200, body),
    };
    let server = Server::always(reply).await;
    let client = client(&server.base_url).format(format).build().unwrap();
    guard(client.webcam_booking(1)).await
}

#[track_caller]
fn assert_decode_error<T: std::fmt::Debug>(
    result: Result<T, Error>,
    format: Format,
    body: &[u8],
) -> String {
    match result {
        Err(Error::Decode {
            format: f,
            detail,
            snippet,
            source,
        }) => {
            assert_eq!(f, format);
            assert!(
                source.is_some(),
                "the decoder's own error is kept as the source"
            );
            assert!(!snippet.is_empty(), "no snippet");
            assert!(
                shown(body).contains(&snippet),
                "snippet {snippet:?} is not from the body"
            );
            detail
        }
        other => panic!("expected a {format} decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn truncated_json_gives_a_json_decode_error_with_a_snippet() {
    let body = docs(MADE_JSON)[..300].to_vec();
    let detail = assert_decode_error(
        answer(Format::Json, body.clone()).await,
        Format::Json,
        &body,
    );
    assert!(detail.contains("EOF"), "{detail}");
}

#[tokio::test]
async fn json_of_the_wrong_shape_gives_a_decode_error_near_the_fault() {
    let text = String::from_utf8(docs(MADE_JSON))
        .unwrap()
        .replace(r#""Duration": 10"#, r#""Duration": "ten""#);
    let detail = assert_decode_error(
        answer(Format::Json, text.clone().into_bytes()).await,
        Format::Json,
        text.as_bytes(),
    );
    assert!(detail.contains("ten"), "{detail}");
    let Err(Error::Decode { snippet, .. }) = answer(Format::Json, text.into_bytes()).await else {
        unreachable!()
    };
    assert!(
        snippet.contains("\"ten\""),
        "the snippet shows the fault: {snippet:?}"
    );
}

#[tokio::test]
async fn html_with_status_200_is_a_decode_error_not_a_value() {
    let body = b"<html><body>Maintenance</body></html>".to_vec();
    assert_decode_error(
        answer(Format::Json, body.clone()).await,
        Format::Json,
        &body,
    );
    assert_decode_error(answer(Format::Xml, body.clone()).await, Format::Xml, &body);
}

#[tokio::test]
async fn empty_body_with_status_200_is_a_decode_error() {
    for format in [Format::Json, Format::Xml] {
        let result = answer(format, Vec::new()).await;
        assert!(
            matches!(&result, Err(Error::Decode { format: f, .. }) if *f == format),
            "{result:?}"
        );
    }
}

#[tokio::test]
async fn truncated_xml_gives_an_xml_decode_error_with_a_snippet() {
    let body = made_xml()[..600].to_vec();
    assert_decode_error(answer(Format::Xml, body.clone()).await, Format::Xml, &body);
}

#[tokio::test]
async fn wrong_xml_root_element_is_an_error_not_an_empty_value() {
    // A phone-chat booking where a webcam booking belongs.
    let body = golden("phonechat_booking.compact.xml");
    let detail = assert_decode_error(answer(Format::Xml, body.clone()).await, Format::Xml, &body);
    assert!(
        detail.contains("expected root element <WebcamBooking>"),
        "{detail}"
    );
    // A single booking where a list belongs, and an empty element of another name.
    let op = adultwork::Operation::CreateWebcamBooking.xml();
    assert!(xml::from_slice::<Vec<WebcamBookingResult>>(op, &made_xml()).is_err());
    assert!(xml::from_slice::<Vec<WebcamBookingResult>>(op, b"<WebcamBookingResults/>").is_err());
    // A list where a single booking belongs.
    let op = adultwork::Operation::GetMadeWebcamBookingDetails.xml();
    assert!(xml::from_slice::<WebcamBooking>(op, &golden("create_results.compact.xml")).is_err());
}

#[tokio::test]
async fn required_field_missing_in_xml_is_an_error() {
    let text = String::from_utf8(made_xml()).unwrap();
    let without = text.replace("<Duration>10</Duration>", "");
    assert_ne!(without, text);
    let detail = assert_decode_error(
        answer(Format::Xml, without.clone().into_bytes()).await,
        Format::Xml,
        without.as_bytes(),
    );
    assert!(detail.contains("Duration"), "{detail}");
    // Nested too: the performer's nickname.
    let without = text.replace("<Nickname>JosepheneBlogs</Nickname>", "");
    let detail = assert_decode_error(
        answer(Format::Xml, without.clone().into_bytes()).await,
        Format::Xml,
        without.as_bytes(),
    );
    assert!(detail.contains("Nickname"), "{detail}");
    // And a missing nullable member is as wrong as a missing required one: nil must be sent.
    let without = text.replace(r#"<AcceptedDate i:nil="true" />"#, "");
    let detail = assert_decode_error(
        answer(Format::Xml, without.clone().into_bytes()).await,
        Format::Xml,
        without.as_bytes(),
    );
    assert!(detail.contains("AcceptedDate"), "{detail}");
}

#[tokio::test]
async fn nil_or_empty_non_nullable_xml_member_is_an_error() {
    let text = String::from_utf8(made_xml()).unwrap();
    for bad in [
        r#"<Duration i:nil="true" />"#,
        "<Duration />",
        "<Duration></Duration>",
        "<Duration>ten</Duration>",
    ] {
        let body = text.replace("<Duration>10</Duration>", bad).into_bytes();
        let detail =
            assert_decode_error(answer(Format::Xml, body.clone()).await, Format::Xml, &body);
        assert!(detail.contains("Duration"), "{bad}: {detail}");
    }
}

fn decode_made(body: &[u8]) -> WebcamBooking {
    let op = adultwork::Operation::GetMadeWebcamBookingDetails.xml();
    xml::from_slice(op, body).unwrap_or_else(|e| panic!("{e}"))
}

#[tokio::test]
async fn unknown_xml_elements_are_ignored() {
    let expected = decode_made(&made_xml());
    let text = String::from_utf8(made_xml()).unwrap()
        .replace("<Credits>", "<FutureField><Nested a=\"1\">x<Deeper/></Nested></FutureField><Extra i:nil=\"true\" /><Credits>")
        .replace("<Nickname>", "<Badge>Gold</Badge><Nickname>");
    assert_eq!(decode_made(text.as_bytes()), expected);
    assert_eq!(
        answer(Format::Xml, text.into_bytes()).await.unwrap(),
        expected
    );
}

#[tokio::test]
async fn unknown_json_fields_are_ignored() {
    let mut v: serde_json::Value = serde_json::from_slice(&docs(MADE_JSON)).unwrap();
    let expected: WebcamBooking = serde_json::from_value(v.clone()).unwrap();
    v["FutureField"] = serde_json::json!({"a": [1, 2]});
    v["Performer"]["Badge"] = "Gold".into();
    assert_eq!(
        answer(Format::Json, serde_json::to_vec(&v).unwrap())
            .await
            .unwrap(),
        expected
    );
}

/// Reverses the order of every element's children, recursively.
fn reverse_children(xml: &str) -> String {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let (mut depth, mut open_end, mut close_start, mut child_start) = (0, 0, xml.len(), 0);
    let mut children = Vec::new();
    loop {
        let before = reader.buffer_position() as usize;
        match reader.read_event().unwrap() {
            Event::Start(_) => {
                depth += 1;
                match depth {
                    1 => open_end = reader.buffer_position() as usize,
                    2 => child_start = before,
                    _ => {}
                }
            }
            Event::Empty(_) if depth == 1 => {
                children.push(before..reader.buffer_position() as usize)
            }
            Event::End(_) => {
                match depth {
                    2 => children.push(child_start..reader.buffer_position() as usize),
                    1 => close_start = before,
                    _ => {}
                }
                depth -= 1;
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if children.is_empty() {
        return xml.to_string();
    }
    let inner: String = children
        .into_iter()
        .rev()
        .map(|c| reverse_children(&xml[c]))
        .collect();
    format!("{}{inner}{}", &xml[..open_end], &xml[close_start..])
}

#[tokio::test]
async fn xml_elements_in_reversed_order_decode_the_same() {
    let text = String::from_utf8(made_xml()).unwrap();
    let reversed = reverse_children(&text);
    assert!(reversed.find("<WebcamBookingID>").unwrap() < reversed.find("<AcceptBy>").unwrap());
    assert!(reversed.find("<UserID>").unwrap() < reversed.find("<Disputes ").unwrap());
    assert_eq!(
        decode_made(reversed.as_bytes()),
        decode_made(text.as_bytes())
    );
    assert_eq!(
        answer(Format::Xml, reversed.into_bytes()).await.unwrap(),
        decode_made(text.as_bytes())
    );
    // A list, with its items' members reversed too.
    let op = adultwork::Operation::CreateWebcamBooking.xml();
    let list = String::from_utf8(golden("create_results.compact.xml")).unwrap();
    let mut expected: Vec<WebcamBookingResult> = xml::from_slice(op, list.as_bytes()).unwrap();
    expected.reverse();
    let got: Vec<WebcamBookingResult> =
        xml::from_slice(op, reverse_children(&list).as_bytes()).unwrap();
    assert_eq!(got, expected);
}

#[tokio::test]
async fn xml_namespace_prefixes_are_arbitrary() {
    // The docs print `d4p1`, the serializer writes `d2p1` or `a`: any prefix bound to the
    // namespace is the same document.
    let op = adultwork::Operation::CreatePhoneChatBooking.xml();
    let golden_text = String::from_utf8(golden("phonechat_booking.compact.xml")).unwrap();
    let expected: PhoneChatBooking = xml::from_slice(op, golden_text.as_bytes()).unwrap();
    for prefix in ["d4p1", "a", "anything"] {
        let text = golden_text.replace("d2p1", prefix);
        assert_eq!(
            xml::from_slice::<PhoneChatBooking>(op, text.as_bytes()).unwrap(),
            expected,
            "{prefix}"
        );
    }
}

#[tokio::test]
async fn xml_with_bom_declaration_and_entities_decodes() {
    let body = "\u{feff}<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<ArrayOfWebcamBookingResult xmlns:i=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns=\"http://schemas.datacontract.org/2004/07/API.Models.Webcam\"><!-- a comment --><WebcamBookingResult><AlsoPhoneChat>false</AlsoPhoneChat><BookingID>5</BookingID><Status>0</Status><StatusDescription>Caf&#233; &amp; bar &lt;x&gt; &#x1F600; &quot;q&quot; &apos;a&apos; <![CDATA[a < b]]></StatusDescription><UserID>123456</UserID></WebcamBookingResult></ArrayOfWebcamBookingResult>";
    assert!(body.as_bytes().starts_with(b"\xEF\xBB\xBF"));
    let server = Server::always(Reply::xml(200, body)).await;
    let client = client(&server.base_url)
        .format(Format::Xml)
        .build()
        .unwrap();
    let results = guard(client.create_webcam_booking(webcam())).await.unwrap();
    assert_eq!(results.len(), 1);
    assert_eq!(
        results[0].status_description,
        "Café & bar <x> 😀 \"q\" 'a' a < b"
    );
    assert_eq!(results[0].booking_id, Some(5));
}

const RESULT_ROOT: &str = r#"<ArrayOfWebcamBookingResult xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.datacontract.org/2004/07/API.Models.Webcam">"#;

fn result_with_description(description: &str) -> String {
    format!(
        "{RESULT_ROOT}<WebcamBookingResult><AlsoPhoneChat>false</AlsoPhoneChat><BookingID>5</BookingID><Status>0</Status><StatusDescription>{description}</StatusDescription><UserID>1</UserID></WebcamBookingResult></ArrayOfWebcamBookingResult>"
    )
}

#[tokio::test]
async fn dtd_entity_expansion_and_external_entities_are_refused() {
    let laughs = format!(
        "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\"><!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">]>{}",
        result_with_description("&lol2;")
    );
    let external = format!(
        "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY xxe SYSTEM \"file:///etc/hostname\">]>{}",
        result_with_description("&xxe;")
    );
    let undeclared = result_with_description("&xxe;");
    let op = adultwork::Operation::CreateWebcamBooking.xml();
    for body in [laughs, external, undeclared] {
        assert!(
            xml::from_slice::<Vec<WebcamBookingResult>>(op, body.as_bytes()).is_err(),
            "{body}"
        );
        let server = Server::always(Reply::xml(200, body.clone())).await;
        let client = client(&server.base_url)
            .format(Format::Xml)
            .build()
            .unwrap();
        // A POST's undecodable success answer is an unknown outcome around the decode error.
        let result = guard(client.create_webcam_booking(webcam())).await;
        let Err(Error::OutcomeUnknown { cause, .. }) = result else {
            panic!("expected an unknown outcome, got {result:?}");
        };
        assert_decode_error(Err::<(), _>(*cause), Format::Xml, body.as_bytes());
    }
}

#[test]
fn other_malformed_xml_is_an_error_never_a_panic() {
    let op = adultwork::Operation::CreateWebcamBooking.xml();
    let good = result_with_description("ok");
    assert!(xml::from_slice::<Vec<WebcamBookingResult>>(op, good.as_bytes()).is_ok());
    let cases = [
        // Not UTF-8.
        good.replace("ok", "o\u{7f}")
            .into_bytes()
            .into_iter()
            .map(|b| if b == 0x7f { 0xff } else { b })
            .collect(),
        good.replace("<UserID>1</UserID>", "<UserID>1</UserID><UserID>2</UserID>")
            .into_bytes(),
        good.replace(
            "<WebcamBookingResult><AlsoPhoneChat>",
            "<WebcamBookingResult>stray text<AlsoPhoneChat>",
        )
        .into_bytes(),
        format!("{good}<Second/>").into_bytes(),
        good.replace("</StatusDescription>", "</Description>")
            .into_bytes(),
        good.replace(
            "<BookingID>5</BookingID>",
            "<BookingID>5<Inner/></BookingID>",
        )
        .into_bytes(),
        good.replace("<Status>0</Status>", "<Status>0.5</Status>")
            .into_bytes(),
        good.replace(
            "<AlsoPhoneChat>false</AlsoPhoneChat>",
            "<AlsoPhoneChat>maybe</AlsoPhoneChat>",
        )
        .into_bytes(),
        b"".to_vec(),
        b"   ".to_vec(),
        b"<".to_vec(),
    ];
    for body in cases {
        let err = xml::from_slice::<Vec<WebcamBookingResult>>(op, &body)
            .expect_err(&String::from_utf8_lossy(&body));
        assert!(err.position as usize <= body.len(), "{err}");
    }
}

#[tokio::test]
async fn unknown_enum_values_are_kept_in_both_formats() {
    let mut v: serde_json::Value = serde_json::from_slice(&docs(MADE_JSON)).unwrap();
    v["Status"] = "Expired".into();
    v["SoftwareTypeID"] = 7.into();
    let from_json = answer(Format::Json, serde_json::to_vec(&v).unwrap())
        .await
        .unwrap();
    assert_eq!(from_json.status, BookingStatus::Unknown("Expired".into()));
    assert_eq!(from_json.software_type_id, SoftwareType::Unknown(7));
    let text = String::from_utf8(made_xml())
        .unwrap()
        .replace("<Status>Pending</Status>", "<Status>Expired</Status>")
        .replace(
            "<SoftwareTypeID>3</SoftwareTypeID>",
            "<SoftwareTypeID>7</SoftwareTypeID>",
        );
    let from_xml = answer(Format::Xml, text.into_bytes()).await.unwrap();
    assert_eq!(from_xml.status, BookingStatus::Unknown("Expired".into()));
    assert_eq!(from_xml.software_type_id, SoftwareType::Unknown(7));
    // Written back unchanged.
    let again = serde_json::to_value(&from_json).unwrap();
    assert_eq!(
        (&again["Status"], &again["SoftwareTypeID"]),
        (&"Expired".into(), &7.into())
    );
    let results: Vec<WebcamBookingResult> = serde_json::from_str(
        r#"[{"UserID":1,"BookingID":null,"AlsoPhoneChat":false,"Status":3,"StatusDescription":"New outcome."}]"#,
    )
    .unwrap();
    assert_eq!(
        results[0].status,
        adultwork::WebcamBookingOutcome::Unknown(3)
    );
}

#[test]
fn nil_is_read_by_namespace_not_by_the_i_prefix() {
    let text = String::from_utf8(made_xml()).unwrap();
    let renamed = text
        .replace("xmlns:i=", "xmlns:xsi=")
        .replace("i:nil=", "xsi:nil=");
    assert_eq!(
        decode_made(renamed.as_bytes()),
        decode_made(text.as_bytes())
    );
    // An `i:nil` whose prefix is bound to another namespace is not a nil.
    let op = adultwork::Operation::CreateWebcamBooking.xml();
    let foreign = String::from_utf8(golden("create_results.compact.xml"))
        .unwrap()
        .replace("http://www.w3.org/2001/XMLSchema-instance", "urn:not-xsi");
    assert!(
        xml::from_slice::<Vec<WebcamBookingResult>>(op, foreign.as_bytes()).is_err(),
        "<BookingID i:nil> with a foreign i must not be null"
    );
}

#[test]
fn empty_xml_string_element_is_an_empty_string_not_null() {
    let text = String::from_utf8(golden("webcam_booking_received_client.compact.xml")).unwrap();
    let op = adultwork::Operation::CancelMadeWebcamBooking.xml();
    for empty in [
        "<CancelledReason></CancelledReason>",
        "<CancelledReason/>",
        "<CancelledReason />",
    ] {
        let body = text.replace("<CancelledReason>I can't make it.</CancelledReason>", empty);
        let b: WebcamBooking = xml::from_slice(op, body.as_bytes()).unwrap();
        assert_eq!(b.cancelled_reason.as_deref(), Some(""), "{empty}");
    }
}

#[tokio::test]
async fn body_is_decoded_by_its_content_type_when_the_server_ignores_accept() {
    let expected = decode_made(&made_xml());
    // Asked for XML, answered JSON.
    let server = Server::always(Reply::json(200, docs(MADE_JSON))).await;
    let xml_client = client(&server.base_url)
        .format(Format::Xml)
        .build()
        .unwrap();
    let from_json = guard(xml_client.webcam_booking(1)).await.unwrap();
    assert_eq!(from_json, expected);
    assert_eq!(server.single().header("accept"), "application/xml");
    // Asked for JSON, answered XML (`text/xml` too).
    for content_type in ["application/xml; charset=utf-8", "text/xml"] {
        let server = Server::always(Reply::new(200, Some(content_type), made_xml())).await;
        let json_client = client(&server.base_url).build().unwrap();
        assert_eq!(
            guard(json_client.webcam_booking(1)).await.unwrap(),
            expected
        );
    }
}

#[tokio::test]
async fn concurrent_calls_on_one_client_keep_their_own_outcomes() {
    // Even booking IDs succeed, odd ones fail with a message naming the ID.
    let server = Server::start(|req, _| {
        let id: i64 = req
            .query
            .as_deref()
            .unwrap()
            .trim_start_matches("BookingID=")
            .parse()
            .unwrap();
        if id % 2 == 0 {
            let mut v: serde_json::Value = serde_json::from_slice(&docs(MADE_JSON)).unwrap();
            v["WebcamBookingID"] = id.into();
            Reply::json(200, serde_json::to_vec(&v).unwrap())
        } else {
            Reply::json(404, format!(r#"{{"Message":"No booking {id}."}}"#))
        }
    })
    .await;
    let client = client(&server.base_url).build().unwrap();
    let calls = (1..=24).map(|id| {
        let client = client.clone();
        async move { (id, client.webcam_booking(id).await) }
    });
    for (id, result) in guard(futures_join_all(calls)).await {
        match result {
            Ok(b) => assert!(id % 2 == 0 && b.webcam_booking_id == id, "{id}: {b:?}"),
            Err(Error::Api { message, .. }) => {
                assert!(
                    id % 2 == 1 && message == format!("No booking {id}."),
                    "{id}: {message}"
                )
            }
            Err(e) => panic!("{id}: {e:?}"),
        }
    }
    assert_eq!(server.count(), 24);
}

/// Runs the futures concurrently on spawned tasks and collects their outputs in order.
async fn futures_join_all<F>(futures: impl Iterator<Item = F>) -> Vec<F::Output>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut out = Vec::with_capacity(handles.len());
    for h in handles {
        out.push(h.await.unwrap());
    }
    out
}
