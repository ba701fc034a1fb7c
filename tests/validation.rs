//! Every documented rule the client can check is checked before anything is sent: the error
//! names the wire field and the rule, and the server never sees a request.
//!
//! "Now" is fixed with `ClientBuilder::clock`: 2018-01-15 09:00, so the docs' sample dates
//! (February 2018) are valid and the boundaries are exact.

mod common;

use adultwork::types::{CreatePhoneChatBookingRequest, CreateWebcamBookingRequest};
use adultwork::validate::Violation;
use adultwork::{
    Client, Credits, Decimal, Error, IntoWire, MAX_INVITED_USERS, NewPhoneChatBooking,
    NewWebcamBooking, PhoneChatMethod, SoftwareType,
};
use common::{Reply, Server, at, client, docs_now, guard};

/// A server that answers every request with a valid webcam booking; most tests here expect it
/// to see nothing.
async fn server() -> (Server, Client) {
    let server = Server::start(|req, _| {
        let file = match req.path.as_str() {
            "/v1/Webcam/CreateBooking" => "create_webcam_booking",
            "/v1/PhoneChat/CreateBooking" => "create_phone_chat_booking",
            _ => "made_webcam_booking_details",
        };
        Reply::json(200, common::docs(&format!("{file}.response.json")))
    })
    .await;
    let client = client(&server.base_url).build().unwrap();
    (server, client)
}

/// Asserts a validation error naming `field` whose rule mentions `rule`.
#[track_caller]
fn assert_rejected<T: std::fmt::Debug>(result: Result<T, Error>, field: &str, rule: &str) {
    match result {
        Err(e @ Error::Validation(_)) => {
            let Error::Validation(Violation {
                field: f, rule: r, ..
            }) = &e
            else {
                unreachable!()
            };
            assert_eq!(*f, field, "wrong field in {e}");
            assert!(r.contains(rule), "rule {r:?} should mention {rule:?}");
            assert!(e.is_before_sending());
            let shown = e.to_string();
            assert!(
                shown.contains(field) && shown.contains(r.as_str()),
                "{shown}"
            );
        }
        other => panic!("expected a validation error for {field}, got {other:?}"),
    }
}

fn webcam() -> NewWebcamBooking {
    NewWebcamBooking::new(
        [123456, 123457, 123458],
        at("2018-02-01 12:00"),
        10,
        Credits::from(10),
        SoftwareType::Skype,
        "BookingUserOnSkype",
    )
}

fn phone_chat() -> NewPhoneChatBooking {
    NewPhoneChatBooking::new(
        123456,
        at("2018-02-21 21:30"),
        at("2018-02-21 18:00"),
        15,
        PhoneChatMethod::CallMe,
        Credits::from(32),
    )
    .phone_number("44123456789")
}

fn wire_webcam() -> CreateWebcamBookingRequest {
    webcam().into_wire().unwrap()
}

fn wire_phone_chat() -> CreatePhoneChatBookingRequest {
    phone_chat().into_wire().unwrap()
}

// ---------------------------------------------------------------------------------------------
// Sanity: valid input is sent, so the rejections below are the rules' doing
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn valid_bookings_are_sent() {
    let (server, client) = server().await;
    guard(client.create_webcam_booking(webcam())).await.unwrap();
    guard(client.create_phone_chat_booking(phone_chat()))
        .await
        .unwrap();
    guard(client.create_webcam_booking(wire_webcam()))
        .await
        .unwrap();
    guard(client.create_phone_chat_booking(wire_phone_chat()))
        .await
        .unwrap();
    assert_eq!(server.count(), 4);
}

// ---------------------------------------------------------------------------------------------
// Webcam: BookUserIDs
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn book_user_ids_needs_at_least_one_user() {
    let (server, client) = server().await;
    let none = NewWebcamBooking {
        users: vec![],
        ..webcam()
    };
    assert_rejected(
        guard(client.create_webcam_booking(none)).await,
        "BookUserIDs",
        "1 to 4",
    );
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn book_user_ids_allows_at_most_four_users() {
    let (server, client) = server().await;
    assert_eq!(MAX_INVITED_USERS, 4);
    let five = NewWebcamBooking {
        users: vec![1, 2, 3, 4, 5],
        ..webcam()
    };
    assert_rejected(
        guard(client.create_webcam_booking(five)).await,
        "BookUserIDs",
        "1 to 4",
    );
    assert_eq!(server.count(), 0);
    let four = NewWebcamBooking {
        users: vec![1, 2, 3, 4],
        ..webcam()
    };
    guard(client.create_webcam_booking(four)).await.unwrap();
    assert_eq!(server.count(), 1);
}

#[test]
fn book_user_ids_of_the_generated_type_cannot_hold_five_users() {
    // The spec's pattern is enforced by the generated type itself.
    assert!(
        "1,2,3,4,5"
            .parse::<adultwork::types::CreateWebcamBookingRequestBookUserIDs>()
            .is_err()
    );
    assert!(
        "1,2,3,4"
            .parse::<adultwork::types::CreateWebcamBookingRequestBookUserIDs>()
            .is_ok()
    );
    let mut body = serde_json::to_value(wire_webcam()).unwrap();
    body["BookUserIDs"] = "1,2,3,4,5".into();
    assert!(serde_json::from_value::<CreateWebcamBookingRequest>(body).is_err());
}

#[tokio::test]
async fn book_user_ids_rejects_user_id_zero() {
    let (server, client) = server().await;
    let zero = NewWebcamBooking {
        users: vec![123456, 0],
        ..webcam()
    };
    assert_rejected(
        guard(client.create_webcam_booking(zero)).await,
        "BookUserIDs",
        "positive",
    );
    // The same rule on the generated type passed directly.
    let wire = CreateWebcamBookingRequest {
        book_user_ids: "123456,000".parse().unwrap(),
        ..wire_webcam()
    };
    assert_rejected(
        guard(client.create_webcam_booking(wire)).await,
        "BookUserIDs",
        "positive",
    );
    assert_eq!(server.count(), 0);
}

// ---------------------------------------------------------------------------------------------
// Webcam: SessionDate in the future, at most three months ahead
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn webcam_session_date_in_the_past_is_rejected() {
    let (server, client) = server().await;
    let past = NewWebcamBooking {
        session_date: at("2018-01-15 08:59").into(),
        ..webcam()
    };
    assert_rejected(
        guard(client.create_webcam_booking(past)).await,
        "SessionDate",
        "in the future",
    );
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn webcam_session_date_now_is_not_in_the_future() {
    let (server, client) = server().await;
    let now = NewWebcamBooking {
        session_date: docs_now().into(),
        ..webcam()
    };
    assert_rejected(
        guard(client.create_webcam_booking(now)).await,
        "SessionDate",
        "in the future",
    );
    let wire = CreateWebcamBookingRequest {
        session_date: docs_now().into(),
        ..wire_webcam()
    };
    assert_rejected(
        guard(client.create_webcam_booking(wire)).await,
        "SessionDate",
        "in the future",
    );
    assert_eq!(server.count(), 0);
    let next_minute = NewWebcamBooking {
        session_date: at("2018-01-15 09:01").into(),
        ..webcam()
    };
    guard(client.create_webcam_booking(next_minute))
        .await
        .unwrap();
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn webcam_session_date_more_than_three_months_ahead_is_rejected() {
    let (server, client) = server().await;
    let late = NewWebcamBooking {
        session_date: at("2018-04-15 09:01").into(),
        ..webcam()
    };
    assert_rejected(
        guard(client.create_webcam_booking(late)).await,
        "SessionDate",
        "3 months",
    );
    let wire = CreateWebcamBookingRequest {
        session_date: at("2018-06-01 00:00").into(),
        ..wire_webcam()
    };
    assert_rejected(
        guard(client.create_webcam_booking(wire)).await,
        "SessionDate",
        "3 months",
    );
    assert_eq!(server.count(), 0);
    // Exactly three months ahead is allowed.
    let edge = NewWebcamBooking {
        session_date: at("2018-04-15 09:00").into(),
        ..webcam()
    };
    guard(client.create_webcam_booking(edge)).await.unwrap();
    assert_eq!(server.count(), 1);
}

// ---------------------------------------------------------------------------------------------
// Webcam: software, sign-in, phone chat, duration, credits
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn msn_messenger_needs_an_email_sign_in() {
    let (server, client) = server().await;
    let msn = NewWebcamBooking {
        software: SoftwareType::MsnMessenger,
        ..webcam()
    };
    assert_rejected(
        guard(client.create_webcam_booking(msn)).await,
        "SignInNameOrEmail",
        "email",
    );
    let wire = CreateWebcamBookingRequest {
        software_type_id: SoftwareType::MsnMessenger,
        sign_in_name_or_email: "not an@email".parse().unwrap(),
        ..wire_webcam()
    };
    assert_rejected(
        guard(client.create_webcam_booking(wire)).await,
        "SignInNameOrEmail",
        "email",
    );
    assert_eq!(server.count(), 0);
    let email = NewWebcamBooking {
        software: SoftwareType::MsnMessenger,
        sign_in_name_or_email: "booking.user@example.com".into(),
        ..webcam()
    };
    guard(client.create_webcam_booking(email)).await.unwrap();
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn sign_in_name_or_email_is_required() {
    let (server, client) = server().await;
    let blank = NewWebcamBooking {
        sign_in_name_or_email: String::new(),
        ..webcam()
    };
    assert_rejected(
        guard(client.create_webcam_booking(blank)).await,
        "SignInNameOrEmail",
        "required",
    );
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn also_phone_chat_needs_a_phone_number() {
    let (server, client) = server().await;
    let no_phone = webcam().also_phone_chat(true);
    assert_rejected(
        guard(client.create_webcam_booking(no_phone)).await,
        "PhoneNumber",
        "AlsoPhoneChat",
    );
    let wire = CreateWebcamBookingRequest {
        also_phone_chat: Some(true),
        phone_number: None,
        ..wire_webcam()
    };
    assert_rejected(
        guard(client.create_webcam_booking(wire)).await,
        "PhoneNumber",
        "AlsoPhoneChat",
    );
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn webcam_phone_number_must_not_be_empty() {
    let (server, client) = server().await;
    let empty = webcam().also_phone_chat(true).phone_number("");
    assert_rejected(
        guard(client.create_webcam_booking(empty)).await,
        "PhoneNumber",
        "malformed",
    );
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn webcam_duration_zero_is_rejected() {
    let (server, client) = server().await;
    let zero = NewWebcamBooking {
        duration_minutes: 0,
        ..webcam()
    };
    assert_rejected(
        guard(client.create_webcam_booking(zero)).await,
        "Duration",
        "at least 1",
    );
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn webcam_duration_must_fit_the_specs_int32() {
    let (server, client) = server().await;
    let huge = NewWebcamBooking {
        duration_minutes: u32::MAX,
        ..webcam()
    };
    assert_rejected(
        guard(client.create_webcam_booking(huge)).await,
        "Duration",
        "at most 2147483647",
    );
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn webcam_credits_must_be_more_than_zero() {
    let (server, client) = server().await;
    for credits in [Decimal::ZERO, Decimal::new(-1, 0), Decimal::new(-1, 4)] {
        let booking = NewWebcamBooking {
            credits: Credits::new(credits),
            ..webcam()
        };
        assert_rejected(
            guard(client.create_webcam_booking(booking)).await,
            "Credits",
            "more than 0",
        );
        let wire = CreateWebcamBookingRequest {
            credits: Credits::new(credits),
            ..wire_webcam()
        };
        assert_rejected(
            guard(client.create_webcam_booking(wire)).await,
            "Credits",
            "more than 0",
        );
    }
    assert_eq!(server.count(), 0);
    let tiny = NewWebcamBooking {
        credits: Credits::new(Decimal::new(1, 4)),
        ..webcam()
    };
    guard(client.create_webcam_booking(tiny)).await.unwrap();
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn unknown_software_type_is_rejected() {
    let (server, client) = server().await;
    let unknown = NewWebcamBooking {
        software: SoftwareType::Unknown(9),
        ..webcam()
    };
    assert_rejected(
        guard(client.create_webcam_booking(unknown)).await,
        "SoftwareTypeID",
        "got 9",
    );
    let wire = CreateWebcamBookingRequest {
        software_type_id: SoftwareType::Unknown(9),
        ..wire_webcam()
    };
    assert_rejected(
        guard(client.create_webcam_booking(wire)).await,
        "SoftwareTypeID",
        "got 9",
    );
    assert_eq!(server.count(), 0);
}

// ---------------------------------------------------------------------------------------------
// Phone chat
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn phone_chat_book_user_id_zero_is_rejected() {
    let (server, client) = server().await;
    let zero = NewPhoneChatBooking {
        user: 0,
        ..phone_chat()
    };
    assert_rejected(
        guard(client.create_phone_chat_booking(zero)).await,
        "BookUserID",
        "positive",
    );
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn phone_chat_duration_must_be_at_least_five_minutes() {
    let (server, client) = server().await;
    for minutes in [4, 0, -5] {
        let short = NewPhoneChatBooking {
            duration_minutes: minutes,
            ..phone_chat()
        };
        assert_rejected(
            guard(client.create_phone_chat_booking(short)).await,
            "Duration",
            "at least 5",
        );
        let wire = CreatePhoneChatBookingRequest {
            duration: minutes,
            ..wire_phone_chat()
        };
        assert_rejected(
            guard(client.create_phone_chat_booking(wire)).await,
            "Duration",
            "at least 5",
        );
    }
    assert_eq!(server.count(), 0);
    let five = NewPhoneChatBooking {
        duration_minutes: 5,
        ..phone_chat()
    };
    guard(client.create_phone_chat_booking(five)).await.unwrap();
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn call_me_method_needs_a_phone_number() {
    let (server, client) = server().await;
    let missing = NewPhoneChatBooking {
        phone_number: None,
        ..phone_chat()
    };
    assert_rejected(
        guard(client.create_phone_chat_booking(missing)).await,
        "PhoneNumber",
        "Method is 1",
    );
    let wire = CreatePhoneChatBookingRequest {
        phone_number: None,
        ..wire_phone_chat()
    };
    assert_rejected(
        guard(client.create_phone_chat_booking(wire)).await,
        "PhoneNumber",
        "Method is 1",
    );
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn call_me_phone_number_must_be_10_or_11_digits() {
    let (server, client) = server().await;
    for bad in [
        "441234567",
        "441234567890",
        "4412345678x",
        "44 12345678",
        "+4412345678",
        "44...",
    ] {
        let booking = phone_chat().phone_number(bad);
        assert_rejected(
            guard(client.create_phone_chat_booking(booking)).await,
            "PhoneNumber",
            "10 or 11 digits",
        );
        // The rule is the SDK's (it depends on `Method`), not the generated type's.
        assert!(
            bad.parse::<adultwork::types::CreatePhoneChatBookingRequestPhoneNumber>()
                .is_ok(),
            "{bad}"
        );
    }
    assert_eq!(server.count(), 0);
    for good in ["0123456789", "44123456789"] {
        guard(client.create_phone_chat_booking(phone_chat().phone_number(good)))
            .await
            .unwrap();
    }
    assert_eq!(server.count(), 2);
}

/// The docs: PhoneNumber "is required if Method equals 1, otherwise this is not used".
#[tokio::test]
async fn phone_number_is_not_checked_for_other_methods() {
    let (server, client) = server().await;
    let i_call = NewPhoneChatBooking {
        method: PhoneChatMethod::ICall,
        ..phone_chat()
    }
    .phone_number("44...");
    guard(client.create_phone_chat_booking(i_call))
        .await
        .unwrap();
    let skype = NewPhoneChatBooking {
        method: PhoneChatMethod::Skype,
        ..phone_chat()
    }
    .phone_number("0")
    .skype_name("me.on.skype");
    guard(client.create_phone_chat_booking(skype))
        .await
        .unwrap();
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn skype_method_needs_a_skype_name() {
    let (server, client) = server().await;
    let skype = NewPhoneChatBooking {
        method: PhoneChatMethod::Skype,
        phone_number: None,
        ..phone_chat()
    };
    assert_rejected(
        guard(client.create_phone_chat_booking(skype.clone())).await,
        "SkypeName",
        "Method is 3",
    );
    let wire = CreatePhoneChatBookingRequest {
        method: PhoneChatMethod::Skype,
        skype_name: None,
        ..wire_phone_chat()
    };
    assert_rejected(
        guard(client.create_phone_chat_booking(wire)).await,
        "SkypeName",
        "Method is 3",
    );
    let empty = skype.clone().skype_name("");
    assert_rejected(
        guard(client.create_phone_chat_booking(empty)).await,
        "SkypeName",
        "malformed",
    );
    assert_eq!(server.count(), 0);
    guard(client.create_phone_chat_booking(skype.skype_name("me.on.skype")))
        .await
        .unwrap();
    // Method 2 needs neither.
    let i_call = NewPhoneChatBooking {
        method: PhoneChatMethod::ICall,
        phone_number: None,
        ..phone_chat()
    };
    guard(client.create_phone_chat_booking(i_call))
        .await
        .unwrap();
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn unknown_phone_chat_method_is_rejected() {
    let (server, client) = server().await;
    let unknown = NewPhoneChatBooking {
        method: PhoneChatMethod::Unknown(9),
        ..phone_chat()
    };
    assert_rejected(
        guard(client.create_phone_chat_booking(unknown)).await,
        "Method",
        "got 9",
    );
    let wire = CreatePhoneChatBookingRequest {
        method: PhoneChatMethod::Unknown(9),
        ..wire_phone_chat()
    };
    assert_rejected(
        guard(client.create_phone_chat_booking(wire)).await,
        "Method",
        "got 9",
    );
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn phone_chat_session_date_must_be_in_the_future() {
    let (server, client) = server().await;
    for session in ["2018-01-15 08:00", "2018-01-15 09:00"] {
        let booking = NewPhoneChatBooking {
            session_date: at(session).into(),
            accept_by: at("2018-01-14 09:00").into(),
            ..phone_chat()
        };
        assert_rejected(
            guard(client.create_phone_chat_booking(booking)).await,
            "SessionDate",
            "in the future",
        );
    }
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn accept_by_must_be_in_the_future() {
    let (server, client) = server().await;
    for accept_by in ["2018-01-15 08:59", "2018-01-15 09:00"] {
        let booking = NewPhoneChatBooking {
            accept_by: at(accept_by).into(),
            ..phone_chat()
        };
        assert_rejected(
            guard(client.create_phone_chat_booking(booking)).await,
            "AcceptBy",
            "in the future",
        );
        let wire = CreatePhoneChatBookingRequest {
            accept_by: at(accept_by).into(),
            ..wire_phone_chat()
        };
        assert_rejected(
            guard(client.create_phone_chat_booking(wire)).await,
            "AcceptBy",
            "in the future",
        );
    }
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn accept_by_must_be_before_session_date() {
    let (server, client) = server().await;
    for accept_by in ["2018-02-21 21:30", "2018-02-21 21:31", "2018-03-01 00:00"] {
        let booking = NewPhoneChatBooking {
            accept_by: at(accept_by).into(),
            ..phone_chat()
        };
        assert_rejected(
            guard(client.create_phone_chat_booking(booking)).await,
            "AcceptBy",
            "before SessionDate",
        );
        let wire = CreatePhoneChatBookingRequest {
            accept_by: at(accept_by).into(),
            ..wire_phone_chat()
        };
        assert_rejected(
            guard(client.create_phone_chat_booking(wire)).await,
            "AcceptBy",
            "before SessionDate",
        );
    }
    assert_eq!(server.count(), 0);
    let just_before = NewPhoneChatBooking {
        accept_by: at("2018-02-21 21:29").into(),
        ..phone_chat()
    };
    guard(client.create_phone_chat_booking(just_before))
        .await
        .unwrap();
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn phone_chat_credits_must_be_more_than_zero() {
    let (server, client) = server().await;
    for credits in [Decimal::ZERO, Decimal::new(-32, 0)] {
        let booking = NewPhoneChatBooking {
            credits: Credits::new(credits),
            ..phone_chat()
        };
        assert_rejected(
            guard(client.create_phone_chat_booking(booking)).await,
            "Credits",
            "more than 0",
        );
        let wire = CreatePhoneChatBookingRequest {
            credits: Credits::new(credits),
            ..wire_phone_chat()
        };
        assert_rejected(
            guard(client.create_phone_chat_booking(wire)).await,
            "Credits",
            "more than 0",
        );
    }
    assert_eq!(server.count(), 0);
}

// ---------------------------------------------------------------------------------------------
// Cancel, reschedule, details: IDs and reason
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn cancel_reason_is_required_and_not_blank() {
    let (server, client) = server().await;
    for reason in ["", "   ", "\t\n"] {
        assert_rejected(
            guard(client.cancel_webcam_booking(1, reason)).await,
            "Reason",
            "required",
        );
    }
    assert_eq!(server.count(), 0);
    guard(client.cancel_webcam_booking(1, "I can't make it."))
        .await
        .unwrap();
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn booking_id_zero_or_negative_is_rejected_by_every_operation() {
    let (server, client) = server().await;
    for id in [0, -1] {
        let got = format!("got {id}");
        assert_rejected(guard(client.webcam_booking(id)).await, "BookingID", &got);
        let cancel = guard(client.cancel_webcam_booking(id, "Reason")).await;
        assert_rejected(cancel, "BookingID", &got);
        assert_rejected(
            guard(client.reschedule_webcam_booking(id)).await,
            "BookingID",
            &got,
        );
        let group = guard(client.as_group_member(123456).webcam_booking(id)).await;
        assert_rejected(group, "BookingID", &got);
    }
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn group_user_id_zero_or_negative_is_rejected() {
    let (server, client) = server().await;
    for id in [0, -123456] {
        let group = guard(client.as_group_member(id).webcam_booking(1)).await;
        assert_rejected(group, "UserID", "positive");
    }
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn negative_user_ids_are_rejected() {
    let (server, client) = server().await;
    let webcam = NewWebcamBooking {
        users: vec![123456, -7],
        ..webcam()
    };
    let result = guard(client.create_webcam_booking(webcam)).await;
    assert_rejected(result, "BookUserIDs", "got -7");
    let phone = NewPhoneChatBooking {
        user: -7,
        ..phone_chat()
    };
    let result = guard(client.create_phone_chat_booking(phone)).await;
    assert_rejected(result, "BookUserID", "positive");
    assert_eq!(server.count(), 0);
}

#[test]
fn validate_module_applies_the_same_rules_to_generated_types() {
    // `adultwork::validate` is what the client runs before sending (and the sandbox on
    // receipt); it works on the generated wire types directly.
    use adultwork::types::CancelWebcamBookingRequest;
    use adultwork::validate;
    let blank = CancelWebcamBookingRequest {
        booking_id: std::num::NonZeroU64::MIN,
        reason: "   ".parse().unwrap(),
    };
    let v = validate::cancel(&blank).unwrap_err();
    assert_eq!(v.field, "Reason");
    let now = docs_now();
    assert!(validate::webcam_booking(&wire_webcam(), now).is_ok());
    assert!(validate::phone_chat_booking(&wire_phone_chat(), now).is_ok());
    let v = validate::webcam_booking(&wire_webcam(), at("2018-02-01 12:00")).unwrap_err();
    assert_eq!(
        (v.field, v.to_string().contains("in the future")),
        ("SessionDate", true)
    );
    let late = at("2018-02-21 18:00");
    let v = validate::phone_chat_booking(&wire_phone_chat(), late).unwrap_err();
    assert_eq!(v.field, "AcceptBy");
    assert!(
        validate::is_email("a@b.co") && !validate::is_email("a@b") && !validate::is_email("@b.co")
    );
}
