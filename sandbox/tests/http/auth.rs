//! Authentication (401), scopes (403), the group-manager rules, query parameters, and the
//! transport-level refusals (404 route, 405, 413, 415).

use adultwork::{Format, Operation};
use adultwork_sandbox::{
    CLIENT_TOKEN, MANAGER_TOKEN, MAX_BODY_BYTES, NOSCOPE_TOKEN, WEBCAM_ONLY_TOKEN,
};
use serde_json::json;

use crate::common::*;

/// Every operation of the spec: method, path with a valid query, a valid body.
fn operations() -> Vec<(&'static str, String, Option<String>)> {
    Operation::ALL
        .into_iter()
        .map(|op| {
            let (path, body) = match op {
                Operation::CreateWebcamBooking => {
                    (op.path().to_string(), Some(webcam_sample().to_string()))
                }
                Operation::GetMadeWebcamBookingDetails => {
                    (format!("{}?BookingID=1", op.path()), None)
                }
                Operation::GetGroupMadeWebcamBookingDetails => {
                    (format!("{}?UserID=100001&BookingID=1", op.path()), None)
                }
                Operation::CancelMadeWebcamBooking => (
                    op.path().to_string(),
                    Some(r#"{"BookingID":1,"Reason":"x"}"#.into()),
                ),
                Operation::RescheduleMadeWebcamBooking => {
                    (op.path().to_string(), Some(r#"{"BookingID":1}"#.into()))
                }
                Operation::CreatePhoneChatBooking => {
                    (op.path().to_string(), Some(phone_chat_sample().to_string()))
                }
            };
            (op.method(), path, body)
        })
        .collect()
}

#[tokio::test]
async fn no_or_unknown_token_is_401_on_every_operation() {
    let sandbox = sandbox().await;
    let http = http();
    for (method, path, body) in operations() {
        for format in FORMATS {
            for auth in [
                None,
                Some("bearer nope"),
                Some("Basic c2FuZGJveA=="),
                Some("bearer"),
                Some("sandbox-client-token"),
            ] {
                let mut req = http
                    .request(
                        method.parse().unwrap(),
                        format!("{}{path}", sandbox.base_url()),
                    )
                    .header("Accept", format.media_type());
                if let Some(a) = auth {
                    req = req.header("Authorization", a);
                }
                if let Some(b) = &body {
                    req = req
                        .header("Content-Type", "application/json")
                        .body(b.clone());
                }
                let a = finish(req.send().await.unwrap(), format).await;
                a.refused(401, "Authorization has been denied for this request");
                assert_eq!(a.headers["www-authenticate"], "Bearer");
            }
        }
    }
    assert!(sandbox.state().snapshot().webcam.is_empty());
}

#[tokio::test]
async fn authorization_is_checked_before_the_body() {
    let sandbox = sandbox().await;
    call(
        &sandbox,
        "POST",
        "/v1/Webcam/CreateBooking",
        None,
        Format::Json,
        Some("{not json"),
    )
    .await
    .refused(401, "Authorization has been denied");
    call(
        &sandbox,
        "POST",
        "/v1/Webcam/CreateBooking",
        Some(NOSCOPE_TOKEN),
        Format::Json,
        Some("{not json"),
    )
    .await
    .refused(403, "account_webcam_bookings");
}

#[tokio::test]
async fn bearer_scheme_is_case_insensitive() {
    let sandbox = sandbox().await;
    create_webcam(&sandbox, &webcam_sample()).await;
    let http = http();
    for scheme in ["bearer", "Bearer", "BEARER", "bEaReR"] {
        let res = http
            .get(format!(
                "{}/v1/Webcam/MadeBookingDetails?BookingID=1",
                sandbox.base_url()
            ))
            .header("Authorization", format!("{scheme} {CLIENT_TOKEN}"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{scheme}");
    }
}

#[tokio::test]
async fn token_without_the_scope_is_403_on_every_operation() {
    let sandbox = sandbox().await;
    for (method, path, body) in operations() {
        for format in FORMATS {
            call(
                &sandbox,
                method,
                &path,
                Some(NOSCOPE_TOKEN),
                format,
                body.as_deref(),
            )
            .await
            .refused(403, "The access token lacks the scope account_");
        }
    }
    // A webcam-only token may use the webcam operations but not phone chat.
    let path = "/v1/PhoneChat/CreateBooking";
    let body = phone_chat_sample().to_string();
    call(&sandbox, "POST", path, Some(WEBCAM_ONLY_TOKEN), Format::Xml, Some(&body))
        .await
        .refused(403, "The access token lacks the scope account_phonechat_bookings, which create_phone_chat_booking requires.");
    let a = call(
        &sandbox,
        "POST",
        "/v1/Webcam/CreateBooking",
        Some(WEBCAM_ONLY_TOKEN),
        Format::Json,
        Some(&webcam_sample().to_string()),
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.body);
}

#[tokio::test]
async fn group_endpoint_needs_a_manager_of_the_members_group() {
    let sandbox = sandbox().await;
    create_webcam(&sandbox, &webcam_sample()).await;
    let path =
        |user: i64| format!("/v1/Groups/Webcam/MadeBookingDetails?UserID={user}&BookingID=1");
    for format in FORMATS {
        call(
            &sandbox,
            "GET",
            &path(100001),
            Some(CLIENT_TOKEN),
            format,
            None,
        )
        .await
        .refused(403, "Only a group manager may use the Groups endpoints.");
        call(
            &sandbox,
            "GET",
            &path(123456),
            Some(MANAGER_TOKEN),
            format,
            None,
        )
        .await
        .refused(403, "UserID 123456 is not a member of your group.");
        // A member of the group who did not make booking 1.
        call(
            &sandbox,
            "GET",
            &path(100003),
            Some(MANAGER_TOKEN),
            format,
            None,
        )
        .await
        .refused(404, "Webcam booking 1 was not found.");
        let a = call(
            &sandbox,
            "GET",
            &path(100001),
            Some(MANAGER_TOKEN),
            format,
            None,
        )
        .await;
        assert_eq!(a.status, 200, "{}", a.body);
        let b: adultwork::types::WebcamBooking = a.decode("get_group_made_webcam_booking_details");
        assert_eq!(b.webcam_booking_id, 1);
        call(
            &sandbox,
            "GET",
            "/v1/Groups/Webcam/MadeBookingDetails?BookingID=1",
            Some(MANAGER_TOKEN),
            format,
            None,
        )
        .await
        .refused(400, "UserID is required (query parameter).");
        call(
            &sandbox,
            "GET",
            "/v1/Groups/Webcam/MadeBookingDetails?UserID=abc&BookingID=1",
            Some(MANAGER_TOKEN),
            format,
            None,
        )
        .await
        .refused(400, "UserID must be a positive integer (got \"abc\").");
    }
}

#[tokio::test]
async fn booking_id_query_parameter_is_checked() {
    let sandbox = sandbox().await;
    create_webcam(&sandbox, &webcam_sample()).await;
    let base = "/v1/Webcam/MadeBookingDetails";
    for format in FORMATS {
        for (query, needle) in [
            ("", "BookingID is required (query parameter)."),
            ("?UserID=1", "BookingID is required (query parameter)."),
            (
                "?BookingID=",
                "BookingID must be a positive integer (got \"\").",
            ),
            (
                "?BookingID=abc",
                "BookingID must be a positive integer (got \"abc\").",
            ),
            (
                "?BookingID=0",
                "BookingID must be a positive integer (got \"0\").",
            ),
            (
                "?BookingID=-1",
                "BookingID must be a positive integer (got \"-1\").",
            ),
            (
                "?BookingID=1.5",
                "BookingID must be a positive integer (got \"1.5\").",
            ),
            (
                "?BookingID=99999999999999999999",
                "BookingID must be a positive integer",
            ),
        ] {
            call(
                &sandbox,
                "GET",
                &format!("{base}{query}"),
                Some(CLIENT_TOKEN),
                format,
                None,
            )
            .await
            .refused(400, needle);
        }
        call(
            &sandbox,
            "GET",
            &format!("{base}?BookingID=7"),
            Some(CLIENT_TOKEN),
            format,
            None,
        )
        .await
        .refused(404, "Webcam booking 7 was not found.");
        let a = call(
            &sandbox,
            "GET",
            &format!("{base}?bookingid=2"),
            Some(CLIENT_TOKEN),
            format,
            None,
        )
        .await;
        assert_eq!(
            a.status, 200,
            "parameter names are case-insensitive: {}",
            a.body
        );
    }
}

#[tokio::test]
async fn oversized_bodies_are_413() {
    let sandbox = sandbox().await;
    let big = json!({ "BookingID": 1, "Reason": "x".repeat(MAX_BODY_BYTES) }).to_string();
    for format in FORMATS {
        call(
            &sandbox,
            "POST",
            "/v1/Webcam/CancelMadeBooking",
            Some(CLIENT_TOKEN),
            format,
            Some(&big),
        )
        .await
        .refused(413, "The request body is larger than the 65536-byte limit.");
    }
    // Just under the limit is read (and then judged on its merits). The padding is
    // whitespace: a string that long would be refused for its own length.
    let padding = MAX_BODY_BYTES - 40;
    let fits = format!(r#"{{"BookingID":1,{}"Reason":"x"}}"#, " ".repeat(padding));
    assert!(fits.len() <= MAX_BODY_BYTES);
    call(
        &sandbox,
        "POST",
        "/v1/Webcam/CancelMadeBooking",
        Some(CLIENT_TOKEN),
        Format::Json,
        Some(&fits),
    )
    .await
    .refused(404, "Webcam booking 1 was not found.");
}

#[tokio::test]
async fn non_json_content_type_is_415() {
    let sandbox = sandbox().await;
    let res = http()
        .post(format!(
            "{}/v1/Webcam/RescheduleMadeBooking",
            sandbox.base_url()
        ))
        .header("Authorization", format!("bearer {CLIENT_TOKEN}"))
        .header("Content-Type", "text/plain")
        .body(r#"{"BookingID":1}"#)
        .send()
        .await
        .unwrap();
    finish(res, Format::Json)
        .await
        .refused(415, "The request body must be JSON");
}

#[tokio::test]
async fn unknown_routes_and_methods() {
    let sandbox = sandbox().await;
    for format in FORMATS {
        call(
            &sandbox,
            "GET",
            "/v1/Webcam/Nope",
            Some(CLIENT_TOKEN),
            format,
            None,
        )
        .await
        .refused(
            404,
            "No HTTP resource was found that matches the request URI.",
        );
        call(
            &sandbox,
            "GET",
            "/v1/Webcam/CreateBooking",
            Some(CLIENT_TOKEN),
            format,
            None,
        )
        .await
        .refused(405, "does not support this HTTP method");
    }
}
