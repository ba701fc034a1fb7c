//! The access token never shows: not in `Debug` of the client or its builder, not in any
//! error's `Display` or `Debug`, and not in tracing output (feature `tracing`).

mod common;

use std::time::Duration;

use adultwork::{
    Client, Credits, Error, Format, NewWebcamBooking, RetryPolicy, SoftwareType, Token,
};
use common::{RawServer, Reply, Server, TOKEN, client, docs, guard, read_counted};

const API_KEY: &str = "apikey_5be1c0ffeeZZsecretZZ";

#[track_caller]
fn assert_no_secret(what: &str, text: &str) {
    assert!(
        !text.contains(TOKEN),
        "the token leaked into {what}: {text}"
    );
    assert!(
        !text.contains(API_KEY),
        "the API key leaked into {what}: {text}"
    );
    // Not even a recognisable piece of it.
    assert!(
        !text.contains("secretZZ"),
        "part of a secret leaked into {what}: {text}"
    );
}

#[track_caller]
fn assert_error_is_clean(err: &Error) {
    assert_no_secret("the error's Display", &err.to_string());
    assert_no_secret("the error's Debug", &format!("{err:?}"));
    assert_no_secret("the error's alternate Debug", &format!("{err:#?}"));
}

#[test]
fn token_debug_and_display_are_redacted() {
    let token = Token::new(TOKEN);
    assert_no_secret("Token Debug", &format!("{token:?}"));
    assert_no_secret("Token Display", &token.to_string());
    assert_eq!(token.expose(), TOKEN);
}

#[test]
fn client_and_builder_debug_never_show_the_token() {
    let builder = client("http://127.0.0.1:9").default_header("X-Api-Key", API_KEY);
    let shown = format!("{builder:?} {builder:#?}");
    assert_no_secret("ClientBuilder Debug", &shown);
    assert!(
        shown.contains("redacted"),
        "the builder says a token is set: {shown}"
    );
    let client = builder.build().unwrap();
    assert_no_secret("Client Debug", &format!("{client:?} {client:#?}"));
    assert_no_secret(
        "GroupMember Debug",
        &format!("{:?}", client.as_group_member(123456)),
    );
}

#[tokio::test]
async fn api_error_never_shows_the_token() {
    let server = Server::always(Reply::json(
        401,
        r#"{"Message":"Authorization has been denied for this request."}"#,
    ))
    .await;
    let client = client(&server.base_url)
        .default_header("X-Api-Key", API_KEY)
        .build()
        .unwrap();
    let err = guard(client.webcam_booking(1)).await.unwrap_err();
    assert!(matches!(err, Error::Api { .. }), "{err:?}");
    assert_error_is_clean(&err);
    // The token was sent, so its absence above means something.
    assert_eq!(
        server.single().header("authorization"),
        format!("bearer {TOKEN}")
    );
}

#[tokio::test]
async fn timeout_error_never_shows_the_token() {
    let server = RawServer::start(|mut stream, _, requests| async move {
        let _ = read_counted(&mut stream, &requests).await;
        std::future::pending::<()>().await;
    })
    .await;
    let client = client(&server.base_url)
        .default_header("X-Api-Key", API_KEY)
        .timeout(Duration::from_millis(100))
        .retry(RetryPolicy::never())
        .build()
        .unwrap();
    let err = guard(client.webcam_booking(1)).await.unwrap_err();
    assert!(matches!(err, Error::Timeout), "{err:?}");
    assert_error_is_clean(&err);
}

#[tokio::test]
async fn connect_error_never_shows_the_token() {
    let client = client(&common::closed_port_url().await)
        .default_header("X-Api-Key", API_KEY)
        .retry(RetryPolicy::never())
        .build()
        .unwrap();
    let err = guard(client.webcam_booking(1)).await.unwrap_err();
    assert!(matches!(err, Error::Connect { .. }), "{err:?}");
    assert_error_is_clean(&err);
}

#[tokio::test]
async fn transport_error_never_shows_the_token() {
    let server = RawServer::start(|mut stream, _, requests| async move {
        let _ = read_counted(&mut stream, &requests).await;
    })
    .await;
    let client = client(&server.base_url).build().unwrap();
    let err = guard(client.cancel_webcam_booking(1, "x"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::OutcomeUnknown { cause, .. } if matches!(**cause, Error::Transport { .. })),
        "{err:?}"
    );
    assert_error_is_clean(&err);
}

#[tokio::test]
async fn decode_errors_never_show_the_token() {
    for format in [Format::Json, Format::Xml] {
        let server = Server::always(Reply::new(200, None, "<WebcamBooking><Dura")).await;
        let client = client(&server.base_url).format(format).build().unwrap();
        let err = guard(client.webcam_booking(1)).await.unwrap_err();
        assert!(matches!(err, Error::Decode { .. }), "{err:?}");
        assert_error_is_clean(&err);
    }
}

#[tokio::test]
async fn validation_and_body_cap_errors_never_show_the_token() {
    let server = Server::always(Reply::json(
        200,
        docs("made_webcam_booking_details.response.json"),
    ))
    .await;
    let client = client(&server.base_url).max_body_size(10).build().unwrap();
    let err = guard(client.webcam_booking(1)).await.unwrap_err();
    assert!(matches!(err, Error::BodyTooLarge { .. }), "{err:?}");
    assert_error_is_clean(&err);
    let booking = NewWebcamBooking::new(
        [0],
        common::at("2018-02-01 12:00"),
        10,
        Credits::from(10),
        SoftwareType::Skype,
        "me",
    );
    let err = guard(client.create_webcam_booking(booking))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    assert_error_is_clean(&err);
}

#[test]
fn config_errors_never_show_the_token() {
    // A token that cannot be sent in a header is refused without echoing it.
    let bad = format!("{TOKEN}\n");
    let err = Client::builder().token(bad).build().unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err:?}");
    assert_error_is_clean(&err);
    let err = Client::builder()
        .token(TOKEN)
        .base_url("not a url")
        .build()
        .unwrap_err();
    assert_error_is_clean(&err);
}

#[tokio::test]
async fn redirect_to_another_origin_does_not_carry_the_token() {
    let elsewhere = Server::always(Reply::json(
        200,
        docs("made_webcam_booking_details.response.json"),
    ))
    .await;
    let target = format!(
        "{}/v1/Webcam/MadeBookingDetails?BookingID=1",
        elsewhere.base_url
    );
    let api = Server::always(Reply::new(307, None, "").header("location", target.clone())).await;
    let client = client(&api.base_url)
        .default_header("X-Api-Key", API_KEY)
        .build()
        .unwrap();
    let err = guard(client.webcam_booking(1)).await.unwrap_err();
    assert!(
        matches!(&err, Error::Redirect { status, location: Some(l) } if status.as_u16() == 307 && *l == target),
        "{err:?}"
    );
    assert_error_is_clean(&err);
    assert_eq!(
        api.single().header("authorization"),
        format!("bearer {TOKEN}")
    );
    assert_eq!(
        elsewhere.count(),
        0,
        "a request (with its token and headers) went to another origin"
    );
}

#[tokio::test]
async fn a_server_echoing_the_token_cannot_leak_it_through_the_error() {
    let echo = format!(r#"{{"Message":"Token {TOKEN} is not valid.","Got":"bearer {TOKEN}"}}"#);
    let server = Server::always(Reply::json(401, echo)).await;
    let err = guard(client(&server.base_url).build().unwrap().webcam_booking(1))
        .await
        .unwrap_err();
    assert_error_is_clean(&err);
    match &err {
        Error::Api { message, body, .. } => {
            assert_eq!(message, "Token *** is not valid.");
            assert!(!String::from_utf8_lossy(body).contains(TOKEN));
        }
        other => panic!("expected Api, got {other:?}"),
    }
}
