//! Pins the public API of the generated client: operation builders, their parameters, and the
//! wire types' field names and types. A progenitor upgrade (or a spec edit) that renames any
//! of them stops this file from compiling, loudly, instead of breaking users quietly.

use std::num::{NonZeroU32, NonZeroU64};

use adultwork::raw::{self, builder};
use adultwork::types::{
    self, CancelWebcamBookingRequest, CreatePhoneChatBookingRequest, CreateWebcamBookingRequest,
    PhoneChatBooking, PhoneChatBookingUser, RescheduleWebcamBookingRequest, WebcamBooking,
    WebcamBookingPerformer, WebcamBookingResult, WebcamBookingResults,
};
use adultwork::{
    BookingStatus, Credits, MinuteDateTime, PhoneChatMethod, SoftwareType, Timestamp,
    WebcamBookingOutcome,
};

/// What a generated `send` returns: `build/client.rs` makes each one hand its request to the
/// SDK's transport, which decodes the answer into the operation's type.
type Sent<T> = Result<T, adultwork::Error>;

/// Never called: it only has to type-check. Each operation's builder, by its type name, with
/// every parameter setter and the response type of `send`.
#[allow(dead_code, clippy::too_many_arguments)]
async fn generated_operations(
    client: &raw::Client,
    webcam: CreateWebcamBookingRequest,
    cancel: CancelWebcamBookingRequest,
    reschedule: RescheduleWebcamBookingRequest,
    phone_chat: CreatePhoneChatBookingRequest,
) {
    let b: builder::CreateWebcamBooking<'_> = client.create_webcam_booking();
    let _: Sent<WebcamBookingResults> = b.body(webcam).send().await;

    let b: builder::GetMadeWebcamBookingDetails<'_> = client.get_made_webcam_booking_details();
    let _: Sent<WebcamBooking> = b.booking_id(NonZeroU64::MIN).send().await;

    let b: builder::GetGroupMadeWebcamBookingDetails<'_> =
        client.get_group_made_webcam_booking_details();
    let _: Sent<WebcamBooking> = b
        .user_id(NonZeroU64::MIN)
        .booking_id(NonZeroU64::MIN)
        .send()
        .await;

    let b: builder::CancelMadeWebcamBooking<'_> = client.cancel_made_webcam_booking();
    let _: Sent<WebcamBooking> = b.body(cancel).send().await;

    let b: builder::RescheduleMadeWebcamBooking<'_> = client.reschedule_made_webcam_booking();
    let _: Sent<WebcamBooking> = b.body(reschedule).send().await;

    let b: builder::CreatePhoneChatBooking<'_> = client.create_phone_chat_booking();
    let _: Sent<PhoneChatBooking> = b.body(phone_chat).send().await;
}

/// Never called: exhaustive struct literals pin every field's name and type (a renamed,
/// retyped or added field fails to compile).
#[allow(dead_code)]
fn wire_types(t: Timestamp, m: MinuteDateTime, c: Credits) {
    let _ = CreateWebcamBookingRequest {
        also_phone_chat: Some(true),
        book_user_ids: "1"
            .parse::<types::CreateWebcamBookingRequestBookUserIDs>()
            .unwrap(),
        credits: c,
        duration: NonZeroU32::MIN,
        phone_number: Some(
            "1".parse::<types::CreateWebcamBookingRequestPhoneNumber>()
                .unwrap(),
        ),
        send_sms_on_accept: Some(true),
        session_date: m,
        sign_in_name_or_email: "x"
            .parse::<types::CreateWebcamBookingRequestSignInNameOrEmail>()
            .unwrap(),
        software_type_id: SoftwareType::Skype,
    };
    let _ = CancelWebcamBookingRequest {
        booking_id: NonZeroU64::MIN,
        reason: "x"
            .parse::<types::CancelWebcamBookingRequestReason>()
            .unwrap(),
    };
    let _ = RescheduleWebcamBookingRequest {
        booking_id: NonZeroU64::MIN,
    };
    let _ = CreatePhoneChatBookingRequest {
        accept_by: m,
        book_user_id: NonZeroU64::MIN,
        comments: Some(String::new()),
        credits: c,
        duration: 5i32,
        method: PhoneChatMethod::CallMe,
        phone_number: Some(
            "0123456789"
                .parse::<types::CreatePhoneChatBookingRequestPhoneNumber>()
                .unwrap(),
        ),
        session_date: m,
        skype_name: Some(
            "x".parse::<types::CreatePhoneChatBookingRequestSkypeName>()
                .unwrap(),
        ),
    };
    let _ = WebcamBookingResults(vec![WebcamBookingResult {
        also_phone_chat: true,
        booking_id: Some(1i64),
        status: WebcamBookingOutcome::Success,
        status_description: String::new(),
        user_id: 1i64,
    }]);
    let performer = WebcamBookingPerformer {
        disputes: 0i32,
        negative: 0i32,
        neutral: 0i32,
        nickname: String::new(),
        phone_number: None::<String>,
        positive: 0i32,
        ratings: 0i32,
        sign_in_name_or_email: None::<String>,
        total: 0i32,
        user_id: 1i64,
    };
    let _ = WebcamBooking {
        accept_by: t,
        accepted_date: Some(t),
        also_phone_chat: true,
        cancelled_by: None::<String>,
        cancelled_date: Some(t),
        cancelled_reason: None::<String>,
        confirmed_date: Some(t),
        create_date: t,
        credits: c,
        duration: 10i32,
        is_multiple: true,
        last_updated: Some(t),
        performer,
        rejected_reason: None::<String>,
        session_date: t,
        sign_in_name_or_email: String::new(),
        software_type_id: SoftwareType::Skype,
        status: BookingStatus::Pending,
        webcam_booking_id: 1i64,
    };
    let _ = PhoneChatBooking {
        accept_by: t,
        accepted_date: Some(t),
        action_client: None::<String>,
        booking_id: 1i64,
        cancelled_by: None::<String>,
        cancelled_date: Some(t),
        cancelled_reason: None::<String>,
        candidate: PhoneChatBookingUser {
            disputes: 0i32,
            negative: 0i32,
            neutral: 0i32,
            nickname: String::new(),
            phone_number: None::<String>,
            positive: 0i32,
            ratings: 0i32,
            skype_name: None::<String>,
            total: 0i32,
            user_id: 1i64,
        },
        comments: None::<String>,
        confirmed_date: Some(t),
        create_date: t,
        credits: c,
        duration: 15i32,
        last_updated: Some(t),
        method: PhoneChatMethod::CallMe,
        phone_number: None::<String>,
        rejected_reason: None::<String>,
        session_date: t,
        skype_name: None::<String>,
        status: BookingStatus::Pending,
    };
    let _ = types::Error {
        message: String::new(),
    };
}

/// The spec's operation ids, methods and routes, as the operation table gives them.
#[test]
fn every_operation_id_method_and_route_is_pinned() {
    let expected = [
        (
            "create_webcam_booking",
            "POST",
            "/v1/Webcam/CreateBooking",
            "ArrayOfWebcamBookingResult",
        ),
        (
            "get_made_webcam_booking_details",
            "GET",
            "/v1/Webcam/MadeBookingDetails",
            "WebcamBooking",
        ),
        (
            "get_group_made_webcam_booking_details",
            "GET",
            "/v1/Groups/Webcam/MadeBookingDetails",
            "WebcamBooking",
        ),
        (
            "cancel_made_webcam_booking",
            "POST",
            "/v1/Webcam/CancelMadeBooking",
            "WebcamBooking",
        ),
        (
            "reschedule_made_webcam_booking",
            "POST",
            "/v1/Webcam/RescheduleMadeBooking",
            "WebcamBooking",
        ),
        (
            "create_phone_chat_booking",
            "POST",
            "/v1/PhoneChat/CreateBooking",
            "MadeBooking",
        ),
    ];
    let mut ids: Vec<&str> = adultwork::Operation::ALL.map(|op| op.id()).to_vec();
    ids.sort_unstable();
    let mut want: Vec<&str> = expected.iter().map(|e| e.0).collect();
    want.sort_unstable();
    assert_eq!(ids, want, "operations were added or renamed");
    for (id, method, path, root) in expected {
        let op = adultwork::Operation::from_id(id).unwrap_or_else(|| panic!("{id} is gone"));
        assert_eq!(
            (op.method(), op.path(), op.xml().root),
            (method, path, root),
            "{id}"
        );
    }
}

#[test]
fn xml_namespaces_of_each_operation_are_pinned() {
    let base = "http://schemas.datacontract.org/2004/07/API.Models.";
    for (id, ns) in [
        ("create_webcam_booking", "Webcam"),
        ("get_made_webcam_booking_details", "Webcam.Made"),
        ("get_group_made_webcam_booking_details", "Webcam.Made"),
        ("cancel_made_webcam_booking", "Webcam.Received"),
        ("reschedule_made_webcam_booking", "Webcam.Received"),
        ("create_phone_chat_booking", "PhoneChat.Bookings.Made"),
    ] {
        assert_eq!(
            adultwork::Operation::from_id(id).unwrap().xml().namespace,
            format!("{base}{ns}"),
            "{id}"
        );
    }
}
