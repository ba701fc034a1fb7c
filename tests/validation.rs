//! Every documented rule the client can check is checked before anything is sent: the error
//! names the wire field and the rule, and the server never sees a request.
//!
//! "Now" is fixed with `ClientBuilder::clock`: 2018-01-15 09:00, so the docs' sample dates
//! (February 2018) are valid and the boundaries are exact.

mod common;

use adultwork::types::{CreatePhoneChatBookingRequest, CreateWebcamBookingRequest};
use adultwork::{
    Client, Credits, Decimal, IntoWire, MAX_INVITED_USERS, NewPhoneChatBooking, NewWebcamBooking,
    PhoneChatMethod, SoftwareType,
};
use common::ops::{docs_webcam, good_server, phone_chat};
use common::refused::{assert_rejected, phone_chat_rejected, webcam_rejected};
use common::{Server, at, client, docs_now, guard};

/// A server that answers every request with the operation's valid answer; most tests here
/// expect it to see nothing.
async fn server() -> (Server, Client) {
    let server = good_server().await;
    let client = client(&server.base_url).build().unwrap();
    (server, client)
}

fn wire_webcam() -> CreateWebcamBookingRequest {
    docs_webcam().into_wire().unwrap()
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
    guard(client.create_webcam_booking(docs_webcam()))
        .await
        .unwrap();
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
        ..docs_webcam()
    };
    webcam_rejected(&client, none, "BookUserIDs", "1 to 4").await;
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn book_user_ids_allows_at_most_four_users() {
    let (server, client) = server().await;
    assert_eq!(MAX_INVITED_USERS, 4);
    let five = NewWebcamBooking {
        users: vec![1, 2, 3, 4, 5],
        ..docs_webcam()
    };
    webcam_rejected(&client, five, "BookUserIDs", "1 to 4").await;
    assert_eq!(server.count(), 0);
    let four = NewWebcamBooking {
        users: vec![1, 2, 3, 4],
        ..docs_webcam()
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
        ..docs_webcam()
    };
    webcam_rejected(&client, zero, "BookUserIDs", "positive").await;
    // The same rule on the generated type passed directly.
    let wire = CreateWebcamBookingRequest {
        book_user_ids: "123456,000".parse().unwrap(),
        ..wire_webcam()
    };
    webcam_rejected(&client, wire, "BookUserIDs", "positive").await;
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
        ..docs_webcam()
    };
    webcam_rejected(&client, past, "SessionDate", "in the future").await;
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn webcam_session_date_now_is_not_in_the_future() {
    let (server, client) = server().await;
    let now = NewWebcamBooking {
        session_date: docs_now().into(),
        ..docs_webcam()
    };
    webcam_rejected(&client, now, "SessionDate", "in the future").await;
    let wire = CreateWebcamBookingRequest {
        session_date: docs_now().into(),
        ..wire_webcam()
    };
    webcam_rejected(&client, wire, "SessionDate", "in the future").await;
    assert_eq!(server.count(), 0);
    let next_minute = NewWebcamBooking {
        session_date: at("2018-01-15 09:01").into(),
        ..docs_webcam()
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
        ..docs_webcam()
    };
    webcam_rejected(&client, late, "SessionDate", "3 months").await;
    let wire = CreateWebcamBookingRequest {
        session_date: at("2018-06-01 00:00").into(),
        ..wire_webcam()
    };
    webcam_rejected(&client, wire, "SessionDate", "3 months").await;
    assert_eq!(server.count(), 0);
    // Exactly three months ahead is allowed.
    let edge = NewWebcamBooking {
        session_date: at("2018-04-15 09:00").into(),
        ..docs_webcam()
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
        ..docs_webcam()
    };
    webcam_rejected(&client, msn, "SignInNameOrEmail", "email").await;
    let wire = CreateWebcamBookingRequest {
        software_type_id: SoftwareType::MsnMessenger,
        sign_in_name_or_email: "not an@email".parse().unwrap(),
        ..wire_webcam()
    };
    webcam_rejected(&client, wire, "SignInNameOrEmail", "email").await;
    assert_eq!(server.count(), 0);
    let email = NewWebcamBooking {
        software: SoftwareType::MsnMessenger,
        sign_in_name_or_email: "booking.user@example.com".into(),
        ..docs_webcam()
    };
    guard(client.create_webcam_booking(email)).await.unwrap();
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn sign_in_name_or_email_is_required() {
    let (server, client) = server().await;
    let blank = NewWebcamBooking {
        sign_in_name_or_email: String::new(),
        ..docs_webcam()
    };
    webcam_rejected(&client, blank, "SignInNameOrEmail", "required").await;
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn also_phone_chat_needs_a_phone_number() {
    let (server, client) = server().await;
    let no_phone = docs_webcam().also_phone_chat(true);
    webcam_rejected(&client, no_phone, "PhoneNumber", "AlsoPhoneChat").await;
    let wire = CreateWebcamBookingRequest {
        also_phone_chat: Some(true),
        phone_number: None,
        ..wire_webcam()
    };
    webcam_rejected(&client, wire, "PhoneNumber", "AlsoPhoneChat").await;
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn webcam_phone_number_must_not_be_empty() {
    let (server, client) = server().await;
    let empty = docs_webcam().also_phone_chat(true).phone_number("");
    webcam_rejected(&client, empty, "PhoneNumber", "malformed").await;
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn webcam_duration_zero_is_rejected() {
    let (server, client) = server().await;
    let zero = NewWebcamBooking {
        duration_minutes: 0,
        ..docs_webcam()
    };
    webcam_rejected(&client, zero, "Duration", "at least 1").await;
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn webcam_duration_must_fit_the_specs_int32() {
    let (server, client) = server().await;
    let huge = NewWebcamBooking {
        duration_minutes: u32::MAX,
        ..docs_webcam()
    };
    webcam_rejected(&client, huge, "Duration", "at most 2147483647").await;
    assert_eq!(server.count(), 0);
}

#[tokio::test]
async fn webcam_credits_must_be_more_than_zero() {
    let (server, client) = server().await;
    for credits in [Decimal::ZERO, Decimal::new(-1, 0), Decimal::new(-1, 4)] {
        let booking = NewWebcamBooking {
            credits: Credits::new(credits),
            ..docs_webcam()
        };
        webcam_rejected(&client, booking, "Credits", "more than 0").await;
        let wire = CreateWebcamBookingRequest {
            credits: Credits::new(credits),
            ..wire_webcam()
        };
        webcam_rejected(&client, wire, "Credits", "more than 0").await;
    }
    assert_eq!(server.count(), 0);
    let tiny = NewWebcamBooking {
        credits: Credits::new(Decimal::new(1, 4)),
        ..docs_webcam()
    };
    guard(client.create_webcam_booking(tiny)).await.unwrap();
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn unknown_software_type_is_rejected() {
    let (server, client) = server().await;
    let unknown = NewWebcamBooking {
        software: SoftwareType::Unknown(9),
        ..docs_webcam()
    };
    webcam_rejected(&client, unknown, "SoftwareTypeID", "got 9").await;
    let wire = CreateWebcamBookingRequest {
        software_type_id: SoftwareType::Unknown(9),
        ..wire_webcam()
    };
    webcam_rejected(&client, wire, "SoftwareTypeID", "got 9").await;
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
    phone_chat_rejected(&client, zero, "BookUserID", "positive").await;
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
        phone_chat_rejected(&client, short, "Duration", "at least 5").await;
        let wire = CreatePhoneChatBookingRequest {
            duration: minutes,
            ..wire_phone_chat()
        };
        phone_chat_rejected(&client, wire, "Duration", "at least 5").await;
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
    phone_chat_rejected(&client, missing, "PhoneNumber", "Method is 1").await;
    let wire = CreatePhoneChatBookingRequest {
        phone_number: None,
        ..wire_phone_chat()
    };
    phone_chat_rejected(&client, wire, "PhoneNumber", "Method is 1").await;
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
        phone_chat_rejected(&client, booking, "PhoneNumber", "10 or 11 digits").await;
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
    phone_chat_rejected(&client, skype.clone(), "SkypeName", "Method is 3").await;
    let wire = CreatePhoneChatBookingRequest {
        method: PhoneChatMethod::Skype,
        skype_name: None,
        ..wire_phone_chat()
    };
    phone_chat_rejected(&client, wire, "SkypeName", "Method is 3").await;
    let empty = skype.clone().skype_name("");
    phone_chat_rejected(&client, empty, "SkypeName", "malformed").await;
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
    phone_chat_rejected(&client, unknown, "Method", "got 9").await;
    let wire = CreatePhoneChatBookingRequest {
        method: PhoneChatMethod::Unknown(9),
        ..wire_phone_chat()
    };
    phone_chat_rejected(&client, wire, "Method", "got 9").await;
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
        phone_chat_rejected(&client, booking, "SessionDate", "in the future").await;
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
        phone_chat_rejected(&client, booking, "AcceptBy", "in the future").await;
        let wire = CreatePhoneChatBookingRequest {
            accept_by: at(accept_by).into(),
            ..wire_phone_chat()
        };
        phone_chat_rejected(&client, wire, "AcceptBy", "in the future").await;
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
        phone_chat_rejected(&client, booking, "AcceptBy", "before SessionDate").await;
        let wire = CreatePhoneChatBookingRequest {
            accept_by: at(accept_by).into(),
            ..wire_phone_chat()
        };
        phone_chat_rejected(&client, wire, "AcceptBy", "before SessionDate").await;
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
        phone_chat_rejected(&client, booking, "Credits", "more than 0").await;
        let wire = CreatePhoneChatBookingRequest {
            credits: Credits::new(credits),
            ..wire_phone_chat()
        };
        phone_chat_rejected(&client, wire, "Credits", "more than 0").await;
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
        ..docs_webcam()
    };
    webcam_rejected(&client, webcam, "BookUserIDs", "got -7").await;
    let phone = NewPhoneChatBooking {
        user: -7,
        ..phone_chat()
    };
    phone_chat_rejected(&client, phone, "BookUserID", "positive").await;
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
