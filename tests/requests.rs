//! Every request sample in the docs is produced from typed Rust input, and every operation
//! sends exactly what the docs and the spec say: method, path, query, JSON body, the
//! `Authorization: bearer` header and the `Accept` header of the chosen format.

mod common;

use std::num::NonZeroU64;

use adultwork::types::{
    CancelWebcamBookingRequest, CreatePhoneChatBookingRequest, CreateWebcamBookingRequest,
    RescheduleWebcamBookingRequest,
};
use adultwork::{
    Credits, Error, Format, IntoWire, NewPhoneChatBooking, NewWebcamBooking, SoftwareType,
};
use common::ops::{docs_webcam, phone_chat};
use common::{Recorded, Reply, Server, TOKEN, at, client, docs, golden, guard};
use serde_json::{Value, json};

fn sample(name: &str) -> Value {
    serde_json::from_slice(&docs(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The docs' create-webcam request, as typed input.
fn webcam_docs_booking() -> NewWebcamBooking {
    docs_webcam()
        .also_phone_chat(true)
        .phone_number("0123456789")
}

/// The docs print the phone number as `"44..."`, a placeholder that is not a valid number.
/// This is the same request with a valid 11-digit number in its place.
const PHONE: &str = "44123456789";

fn phone_chat_docs_booking() -> NewPhoneChatBooking {
    phone_chat()
        .phone_number(PHONE)
        .comments("Hi, I had a great time last weekend, I want to do it again tonight!")
}

fn phone_chat_docs_sample_with_valid_phone() -> Value {
    let mut expected = sample("create_phone_chat_booking.request.json");
    assert_eq!(expected["PhoneNumber"], "44...", "the docs' placeholder");
    expected["PhoneNumber"] = json!(PHONE);
    expected
}

#[test]
fn create_webcam_booking_request_sample_from_new_webcam_booking() {
    let wire: CreateWebcamBookingRequest = webcam_docs_booking().into_wire().unwrap();
    assert_eq!(
        serde_json::to_value(&wire).unwrap(),
        sample("create_webcam_booking.request.json")
    );
}

#[test]
fn book_user_ids_is_one_comma_separated_string_built_from_a_list() {
    let wire: CreateWebcamBookingRequest = webcam_docs_booking().into_wire().unwrap();
    assert_eq!(wire.book_user_ids.as_str(), "123456,123457,123458");
    let one: CreateWebcamBookingRequest = NewWebcamBooking {
        users: vec![7],
        ..webcam_docs_booking()
    }
    .into_wire()
    .unwrap();
    assert_eq!(serde_json::to_value(one).unwrap()["BookUserIDs"], "7");
}

#[test]
fn request_datetimes_are_written_yyyy_mm_dd_hh_mm() {
    // Seconds are dropped: the wire form has minutes only.
    let with_seconds = NewWebcamBooking {
        session_date: chrono::NaiveDate::from_ymd_opt(2018, 2, 1)
            .unwrap()
            .and_hms_opt(12, 0, 59)
            .unwrap()
            .into(),
        ..webcam_docs_booking()
    };
    let wire: CreateWebcamBookingRequest = with_seconds.into_wire().unwrap();
    assert_eq!(
        serde_json::to_value(wire).unwrap()["SessionDate"],
        "2018-02-01 12:00"
    );
    let phone: CreatePhoneChatBookingRequest = phone_chat_docs_booking().into_wire().unwrap();
    let v = serde_json::to_value(phone).unwrap();
    assert_eq!(
        (&v["SessionDate"], &v["AcceptBy"]),
        (&json!("2018-02-21 21:30"), &json!("2018-02-21 18:00"))
    );
}

#[test]
fn optional_flags_left_off_are_not_sent() {
    let plain = NewWebcamBooking::new(
        [1],
        at("2018-02-01 12:00"),
        10,
        Credits::from(10),
        SoftwareType::YahooMessenger,
        "me",
    );
    let wire: CreateWebcamBookingRequest = plain.into_wire().unwrap();
    let v = serde_json::to_value(wire).unwrap();
    for absent in ["AlsoPhoneChat", "PhoneNumber", "SendSMSOnAccept"] {
        assert!(v.get(absent).is_none(), "{absent} sent: {v}");
    }
    assert_eq!(v["SoftwareTypeID"], 2);
    let sms = NewWebcamBooking::new(
        [1],
        at("2018-02-01 12:00"),
        10,
        Credits::from(10),
        SoftwareType::Skype,
        "me",
    )
    .send_sms_on_accept(true);
    let wire: CreateWebcamBookingRequest = sms.into_wire().unwrap();
    let v = serde_json::to_value(wire).unwrap();
    assert_eq!(v["SendSMSOnAccept"], true);
}

#[test]
fn cancel_request_sample_from_typed_input() {
    let wire = CancelWebcamBookingRequest {
        booking_id: NonZeroU64::new(1).unwrap(),
        reason: "I can't make it.".parse().unwrap(),
    };
    assert_eq!(
        serde_json::to_value(&wire).unwrap(),
        sample("cancel_made_webcam_booking.request.json")
    );
}

#[test]
fn reschedule_request_is_the_booking_id_only() {
    // Page 004 prints no sample; its property table has one field, `BookingID`.
    let wire = RescheduleWebcamBookingRequest {
        booking_id: NonZeroU64::new(1).unwrap(),
    };
    assert_eq!(
        serde_json::to_value(&wire).unwrap(),
        json!({ "BookingID": 1 })
    );
}

#[test]
fn create_phone_chat_request_sample_from_new_phone_chat_booking() {
    let wire: CreatePhoneChatBookingRequest = phone_chat_docs_booking().into_wire().unwrap();
    assert_eq!(
        serde_json::to_value(&wire).unwrap(),
        phone_chat_docs_sample_with_valid_phone()
    );
}

#[test]
fn docs_placeholder_phone_number_is_not_a_valid_phone_number() {
    // `into_wire` shapes the request; the 10-or-11-digit rule depends on `Method`, so it is
    // `validate`'s (run by the client before sending).
    let wire: CreatePhoneChatBookingRequest = phone_chat_docs_booking()
        .phone_number("44...")
        .into_wire()
        .unwrap();
    let now = at("2018-01-01 11:00");
    let v = adultwork::validate::phone_chat_booking(&wire, now).unwrap_err();
    assert_eq!(v.field, "PhoneNumber");
    assert!(v.rule.contains("10 or 11 digits"), "{v}");
}

// ---------------------------------------------------------------------------------------------
// On the wire, through `adultwork::Client`
// ---------------------------------------------------------------------------------------------

/// Answers every route with its docs sample (XML when asked for XML).
async fn answering_server() -> Server {
    Server::start(|req, _| {
        let xml = req
            .headers
            .get("accept")
            .is_some_and(|v| v == "application/xml");
        let (json_file, xml_body) = match req.path.as_str() {
            "/v1/Webcam/CreateBooking" => (
                "create_webcam_booking",
                docs("create_webcam_booking.response.xml"),
            ),
            "/v1/Webcam/MadeBookingDetails" | "/v1/Groups/Webcam/MadeBookingDetails" => (
                "made_webcam_booking_details",
                docs("made_webcam_booking_details.response.xml"),
            ),
            "/v1/Webcam/CancelMadeBooking" | "/v1/Webcam/RescheduleMadeBooking" => (
                "cancel_made_webcam_booking",
                docs("cancel_made_webcam_booking.response.xml"),
            ),
            // The docs' phone-chat XML is malformed; the golden file is what a server sends.
            "/v1/PhoneChat/CreateBooking" => (
                "create_phone_chat_booking",
                golden("phonechat_booking.compact.xml"),
            ),
            _ => return Reply::json(404, r#"{"Message":"no such route"}"#),
        };
        if xml {
            Reply::xml(200, xml_body)
        } else {
            Reply::json(200, docs(&format!("{json_file}.response.json")))
        }
    })
    .await
}

/// What every request must carry, whatever the operation.
fn assert_common_headers(req: &Recorded, format: Format) {
    assert_eq!(req.header("authorization"), format!("bearer {TOKEN}"));
    assert_eq!(req.header("accept"), format.media_type());
    assert!(
        req.headers.get("api-version").is_none(),
        "progenitor's api-version header leaked"
    );
}

fn assert_json_body(req: &Recorded, expected: Value) {
    assert!(
        req.header("content-type").starts_with("application/json"),
        "{:?}",
        req.headers.get("content-type")
    );
    assert_eq!(req.json(), expected);
}

fn assert_no_body(req: &Recorded) {
    assert!(req.body.is_empty(), "GET with a body: {:?}", req.body);
}

/// Runs `call` with a JSON client and an XML client; returns the two recorded requests.
async fn both_formats<F, Fut>(call: F) -> [Recorded; 2]
where
    F: Fn(adultwork::Client) -> Fut,
    Fut: std::future::Future<Output = Result<(), Error>>,
{
    let server = answering_server().await;
    for format in [Format::Json, Format::Xml] {
        let client = client(&server.base_url).format(format).build().unwrap();
        guard(call(client))
            .await
            .unwrap_or_else(|e| panic!("{format}: {e}"));
    }
    let log = server.requests();
    assert_eq!(log.len(), 2);
    for (req, format) in log.iter().zip([Format::Json, Format::Xml]) {
        assert_common_headers(req, format);
    }
    [log[0].clone(), log[1].clone()]
}

#[tokio::test]
async fn create_webcam_booking_posts_the_docs_sample() {
    let requests = both_formats(|c| async move {
        let results = c.create_webcam_booking(webcam_docs_booking()).await?;
        assert_eq!(results.len(), 3);
        Ok(())
    })
    .await;
    for req in requests {
        assert_eq!(
            (req.method.as_str(), req.path.as_str()),
            ("POST", "/v1/Webcam/CreateBooking")
        );
        assert_eq!(req.query, None);
        assert_json_body(&req, sample("create_webcam_booking.request.json"));
    }
}

#[tokio::test]
async fn made_webcam_booking_details_gets_with_booking_id_in_the_query() {
    let requests = both_formats(|c| async move {
        assert_eq!(c.webcam_booking(1).await?.webcam_booking_id, 1);
        Ok(())
    })
    .await;
    for req in requests {
        assert_eq!(
            (req.method.as_str(), req.path.as_str()),
            ("GET", "/v1/Webcam/MadeBookingDetails")
        );
        assert_eq!(req.query.as_deref(), Some("BookingID=1"));
        assert_no_body(&req);
    }
}

#[tokio::test]
async fn group_manager_made_webcam_booking_details_sends_user_id_to_the_groups_route() {
    let requests = both_formats(|c| async move {
        let member = c.as_group_member(123456);
        assert_eq!(member.user_id(), 123456);
        assert_eq!(member.webcam_booking(1).await?.webcam_booking_id, 1);
        Ok(())
    })
    .await;
    for req in requests {
        assert_eq!(
            (req.method.as_str(), req.path.as_str()),
            ("GET", "/v1/Groups/Webcam/MadeBookingDetails")
        );
        let expected =
            [("BookingID", "1"), ("UserID", "123456")].map(|(k, v)| (k.to_string(), v.to_string()));
        assert_eq!(req.query_pairs(), expected);
        assert_no_body(&req);
    }
}

#[tokio::test]
async fn cancel_made_webcam_booking_posts_the_docs_sample() {
    let requests = both_formats(|c| async move {
        let booking = c.cancel_webcam_booking(1, "I can't make it.").await?;
        assert_eq!(
            booking.cancelled_reason.as_deref(),
            Some("I can't make it.")
        );
        Ok(())
    })
    .await;
    for req in requests {
        assert_eq!(
            (req.method.as_str(), req.path.as_str()),
            ("POST", "/v1/Webcam/CancelMadeBooking")
        );
        assert_eq!(req.query, None);
        assert_json_body(&req, sample("cancel_made_webcam_booking.request.json"));
    }
}

#[tokio::test]
async fn reschedule_made_webcam_booking_posts_the_booking_id() {
    let requests = both_formats(|c| async move {
        c.reschedule_webcam_booking(1).await?;
        Ok(())
    })
    .await;
    for req in requests {
        assert_eq!(
            (req.method.as_str(), req.path.as_str()),
            ("POST", "/v1/Webcam/RescheduleMadeBooking")
        );
        assert_eq!(req.query, None);
        assert_json_body(&req, json!({ "BookingID": 1 }));
    }
}

#[tokio::test]
async fn create_phone_chat_booking_posts_the_docs_sample() {
    let requests = both_formats(|c| async move {
        let booking = c
            .create_phone_chat_booking(phone_chat_docs_booking())
            .await?;
        assert_eq!(booking.booking_id, 1);
        Ok(())
    })
    .await;
    for req in requests {
        assert_eq!(
            (req.method.as_str(), req.path.as_str()),
            ("POST", "/v1/PhoneChat/CreateBooking")
        );
        assert_eq!(req.query, None);
        assert_json_body(&req, phone_chat_docs_sample_with_valid_phone());
    }
}

#[tokio::test]
async fn generated_request_types_can_be_passed_directly() {
    let server = answering_server().await;
    let client = client(&server.base_url).build().unwrap();
    let webcam: CreateWebcamBookingRequest = webcam_docs_booking().into_wire().unwrap();
    guard(client.create_webcam_booking(webcam)).await.unwrap();
    let phone: CreatePhoneChatBookingRequest = phone_chat_docs_booking().into_wire().unwrap();
    guard(client.create_phone_chat_booking(phone))
        .await
        .unwrap();
    let log = server.requests();
    assert_eq!(log[0].json(), sample("create_webcam_booking.request.json"));
    assert_eq!(log[1].json(), phone_chat_docs_sample_with_valid_phone());
}

#[tokio::test]
async fn base_url_with_a_path_and_trailing_slash_keeps_the_path() {
    let server = Server::always(Reply::json(
        200,
        docs("made_webcam_booking_details.response.json"),
    ))
    .await;
    let client = client(&format!("{}/proxy/", server.base_url))
        .build()
        .unwrap();
    guard(client.webcam_booking(1)).await.unwrap();
    assert_eq!(server.single().path, "/proxy/v1/Webcam/MadeBookingDetails");
}

#[tokio::test]
async fn default_headers_are_sent_with_every_request() {
    let server = Server::always(Reply::json(
        200,
        docs("made_webcam_booking_details.response.json"),
    ))
    .await;
    let client = client(&server.base_url)
        .default_header("X-Api-Key", "developer-key")
        .user_agent("tests/1.0")
        .build()
        .unwrap();
    guard(client.webcam_booking(1)).await.unwrap();
    let req = server.single();
    assert_eq!(req.header("x-api-key"), "developer-key");
    assert_eq!(req.header("user-agent"), "tests/1.0");
    assert_common_headers(&req, Format::Json);
}

#[tokio::test]
async fn a_caller_supplied_reqwest_client_still_gets_auth_and_accept() {
    let server = Server::always(Reply::json(
        200,
        docs("made_webcam_booking_details.response.json"),
    ))
    .await;
    let client = client(&server.base_url)
        .http_client(reqwest::Client::new())
        .format(Format::Json)
        .build()
        .unwrap();
    guard(client.webcam_booking(1)).await.unwrap();
    assert_common_headers(&server.single(), Format::Json);
}
