//! The rules each create operation's description says "the SDK" checks are the rules
//! `adultwork::validate` checks, and the ones it says only the server checks are not.

mod common;

use adultwork::types::{CreatePhoneChatBookingRequest, CreateWebcamBookingRequest};
use adultwork::validate;
use chrono::NaiveDateTime;
use common::{at, with};
use serde_json::{Value, json};

const SDK: &str = "Checked by the SDK before sending, and by the server:";
const SERVER: &str = "Checked by the server only";

fn spec() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.yaml");
    serde_norway::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The two parts of `path`'s POST description: what the SDK checks, what only the server does.
fn parts(path: &str) -> (String, String) {
    let text = spec()["paths"][path]["post"]["description"]
        .as_str()
        .unwrap()
        .replace('\n', " ");
    let sdk = text
        .find(SDK)
        .unwrap_or_else(|| panic!("{path}: no {SDK:?}"));
    let server = text
        .find(SERVER)
        .unwrap_or_else(|| panic!("{path}: no {SERVER:?}"));
    assert!(sdk < server, "{path}");
    (text[sdk..server].to_string(), text[server..].to_string())
}

fn names(part: &str, field: &str) -> bool {
    part.contains(&format!("`{field}`"))
}

/// 2018-01-01 11:00, the docs' `CreateDate`.
fn now() -> NaiveDateTime {
    at("2018-01-01 11:00")
}

/// For each (field, request breaking that field's rule): the validator refuses it, naming the
/// field, exactly when the SDK part of the description names the field; otherwise the server
/// part names it.
fn check(path: &str, rows: &[(&str, Value)], refused_by: impl Fn(&Value) -> Option<String>) {
    let (sdk, server) = parts(path);
    for (field, body) in rows {
        let refused = refused_by(body);
        match refused {
            Some(f) => {
                assert_eq!(f, *field, "{path}: {body}");
                assert!(
                    names(&sdk, field),
                    "{path}: the SDK checks `{field}`, the description does not say so"
                );
            }
            None => {
                assert!(
                    !names(&sdk, field),
                    "{path}: the description says the SDK checks `{field}`; it cannot"
                );
                assert!(
                    names(&server, field),
                    "{path}: `{field}` is checked by the server only, the description does not say so"
                );
            }
        }
    }
}

#[test]
fn create_webcam_description_says_which_rules_the_sdk_checks() {
    let base = json!({
        "BookUserIDs": "123456,123457,123458", "SessionDate": "2018-02-01 12:00",
        "AlsoPhoneChat": true, "PhoneNumber": "0123456789", "Duration": 10, "Credits": 10,
        "SoftwareTypeID": 3, "SignInNameOrEmail": "BookingUserOnSkype"
    });
    let rows = [
        (
            "SessionDate",
            with(base.clone(), json!({ "SessionDate": "2018-01-01 10:00" })),
        ),
        (
            "SessionDate",
            with(base.clone(), json!({ "SessionDate": "2018-05-01 12:00" })),
        ),
        (
            "PhoneNumber",
            with(base.clone(), json!({ "PhoneNumber": null })),
        ),
        (
            "SignInNameOrEmail",
            with(base.clone(), json!({ "SoftwareTypeID": 1 })),
        ),
        (
            "SendSMSOnAccept",
            with(base.clone(), json!({ "SendSMSOnAccept": true })),
        ),
        (
            "BookUserIDs",
            with(base.clone(), json!({ "BookUserIDs": "999999" })),
        ),
    ];
    check("/v1/Webcam/CreateBooking", &rows, |body| {
        let req: CreateWebcamBookingRequest = serde_json::from_value(body.clone()).unwrap();
        validate::webcam_booking(&req, now())
            .err()
            .map(|v| v.field.to_string())
    });
}

#[test]
fn create_phone_chat_description_says_which_rules_the_sdk_checks() {
    let base = json!({
        "BookUserID": 123456, "SessionDate": "2018-02-21 21:30", "Duration": 15, "Method": 1,
        "PhoneNumber": "44123456789", "Credits": 32, "AcceptBy": "2018-02-21 18:00"
    });
    let rows = [
        (
            "PhoneNumber",
            with(base.clone(), json!({ "PhoneNumber": null })),
        ),
        (
            "PhoneNumber",
            with(base.clone(), json!({ "PhoneNumber": "44..." })),
        ),
        ("SkypeName", with(base.clone(), json!({ "Method": 3 }))),
        (
            "SessionDate",
            with(base.clone(), json!({ "SessionDate": "2018-01-01 10:00" })),
        ),
        (
            "AcceptBy",
            with(base.clone(), json!({ "AcceptBy": "2018-02-21 22:00" })),
        ),
        ("Method", with(base.clone(), json!({ "Method": 4 }))),
        (
            "BookUserID",
            with(base.clone(), json!({ "BookUserID": 999999 })),
        ),
        ("Credits", with(base.clone(), json!({ "Credits": 1 }))),
    ];
    check("/v1/PhoneChat/CreateBooking", &rows, |body| {
        let req: CreatePhoneChatBookingRequest = serde_json::from_value(body.clone()).unwrap();
        validate::phone_chat_booking(&req, now())
            .err()
            .map(|v| v.field.to_string())
    });
}
