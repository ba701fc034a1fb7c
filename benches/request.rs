//! Request preparation per call: the SDK's conversion of the ergonomic input into the wire
//! type (`IntoWire`), the documented client-side rules (`adultwork::validate`), the generated
//! builder's re-check of the body, and `serde_json::to_vec` of the wire type — against the
//! floor, `serde_json::to_vec` of a wire value that is already built.

#[path = "support/cpu.rs"]
mod cpu;

use std::hint::black_box;

use adultwork::types::{self, CreatePhoneChatBookingRequest, CreateWebcamBookingRequest};
use adultwork::{
    Credits, IntoWire, NewPhoneChatBooking, NewWebcamBooking, PhoneChatMethod, SoftwareType,
    validate,
};
use cpu::ThreadCpu;
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};

/// What `Client::create_webcam_booking` and the generated `send` do before the request is
/// built: convert, validate against the clock, round-trip through the generated builder
/// (`.body(value)` then `try_from`), serialize (`RequestBuilder::json`).
fn sdk_webcam(booking: NewWebcamBooking) -> Vec<u8> {
    let wire: CreateWebcamBookingRequest = booking.into_wire().unwrap();
    validate::webcam_booking(&wire, chrono::Utc::now().naive_utc()).unwrap();
    let built = types::builder::CreateWebcamBookingRequest::from(wire);
    let wire = CreateWebcamBookingRequest::try_from(built).unwrap();
    serde_json::to_vec(&wire).unwrap()
}

fn sdk_phone_chat(booking: NewPhoneChatBooking) -> Vec<u8> {
    let wire: CreatePhoneChatBookingRequest = booking.into_wire().unwrap();
    validate::phone_chat_booking(&wire, chrono::Utc::now().naive_utc()).unwrap();
    let built = types::builder::CreatePhoneChatBookingRequest::from(wire);
    let wire = CreatePhoneChatBookingRequest::try_from(built).unwrap();
    serde_json::to_vec(&wire).unwrap()
}

fn request(c: &mut Criterion<ThreadCpu>) {
    let now = chrono::Utc::now().naive_utc();
    // The docs' samples (seeds 000 and 002), moved into the future.
    let webcam = NewWebcamBooking::new(
        [123456, 123457, 123458],
        now + chrono::Duration::days(2),
        10,
        Credits::from(10),
        SoftwareType::Skype,
        "BookingUserOnSkype",
    )
    .also_phone_chat(true)
    .phone_number("0123456789");
    let phone_chat = NewPhoneChatBooking::new(
        123456,
        now + chrono::Duration::days(2),
        now + chrono::Duration::days(1),
        15,
        PhoneChatMethod::CallMe,
        Credits::from(32),
    )
    .phone_number("44123456789")
    .comments("Hi, I had a great time last weekend, I want to do it again tonight!");

    let webcam_wire: CreateWebcamBookingRequest = webcam.clone().into_wire().unwrap();
    let phone_chat_wire: CreatePhoneChatBookingRequest = phone_chat.clone().into_wire().unwrap();
    assert_eq!(
        sdk_webcam(webcam.clone()),
        serde_json::to_vec(&webcam_wire).unwrap()
    );
    assert_eq!(
        sdk_phone_chat(phone_chat.clone()),
        serde_json::to_vec(&phone_chat_wire).unwrap()
    );

    let mut g = c.benchmark_group("request/create_webcam_booking");
    g.bench_function("to_vec_floor", |b| {
        b.iter(|| serde_json::to_vec(black_box(&webcam_wire)).unwrap())
    });
    g.bench_function("sdk", |b| {
        b.iter_batched(|| webcam.clone(), sdk_webcam, BatchSize::SmallInput)
    });
    g.finish();

    let mut g = c.benchmark_group("request/create_phone_chat_booking");
    g.bench_function("to_vec_floor", |b| {
        b.iter(|| serde_json::to_vec(black_box(&phone_chat_wire)).unwrap())
    });
    g.bench_function("sdk", |b| {
        b.iter_batched(|| phone_chat.clone(), sdk_phone_chat, BatchSize::SmallInput)
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = cpu::criterion();
    targets = request
}
criterion_main!(benches);
