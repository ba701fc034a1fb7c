//! Performers that act by themselves (`Behaviour` in the data file): their answers fall due in
//! sandbox clock time, are dated when they fell due, and follow the booking rules.

use adultwork::BookingStatus;
use adultwork::types::{CreatePhoneChatBookingRequest, CreateWebcamBookingRequest, WebcamBooking};
use adultwork_sandbox::{Clock, SandboxData, SandboxState, Transition};
use chrono::{NaiveDateTime, TimeDelta};
use serde_json::json;

use crate::common::*;

/// The default data's performer who accepts after 3 s and confirms 5 s later.
const PROMPT: i64 = 123461;
/// The default data's performer who rejects after 2 s.
const BUSY: i64 = 123462;
const CLIENT: i64 = 100001;

/// The default data as JSON text, with `change` applied to PromptPriya's user object.
fn default_data_with(change: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut data: serde_json::Value =
        serde_json::from_str(adultwork_sandbox::DEFAULT_DATA_JSON).unwrap();
    let users = data["Users"].as_array_mut().unwrap();
    let prompt = users
        .iter_mut()
        .find(|u| u["UserID"] == PROMPT)
        .expect("PromptPriya is in the default data");
    change(prompt);
    data.to_string()
}

fn state() -> SandboxState {
    SandboxState::new(SandboxData::default(), Clock::fixed(t0()))
}

fn webcam_request(users: &str) -> CreateWebcamBookingRequest {
    serde_json::from_value(json!({
        "BookUserIDs": users, "SessionDate": "2018-01-02 12:00", "Duration": 10,
        "Credits": 10, "SoftwareTypeID": 3, "SignInNameOrEmail": "me"
    }))
    .unwrap()
}

fn create(state: &SandboxState, users: &str) -> Vec<i64> {
    state
        .create_webcam_booking(CLIENT, &webcam_request(users))
        .unwrap()
        .iter()
        .map(|r| r.booking_id.expect("booked"))
        .collect()
}

fn read(state: &SandboxState, id: i64) -> WebcamBooking {
    state.webcam_booking(CLIENT, id).unwrap()
}

fn after(secs: i64) -> NaiveDateTime {
    t0() + TimeDelta::seconds(secs)
}

fn moved(state: &SandboxState, secs: i64) {
    state.clock().advance(TimeDelta::seconds(secs)).unwrap();
}

#[test]
fn an_accepting_performer_accepts_then_confirms_when_the_clock_gets_there() {
    let state = state();
    let [id] = create(&state, &PROMPT.to_string())[..] else {
        panic!("one booking")
    };
    moved(&state, 2);
    assert_eq!(read(&state, id).status, BookingStatus::Pending);
    // Moving the clock well past both actions applies them in order, each dated when it fell due.
    moved(&state, 60);
    let booking = read(&state, id);
    assert_eq!(booking.status, BookingStatus::Confirmed);
    assert_eq!(booking.accepted_date.unwrap().naive(), after(3));
    assert_eq!(booking.confirmed_date.unwrap().naive(), after(8));
    assert_eq!(booking.last_updated.unwrap().naive(), after(8));
    // Accepted, so the performer's sign-in is shown.
    assert_eq!(
        booking.performer.sign_in_name_or_email.as_deref(),
        Some("priya.live")
    );
}

#[test]
fn a_rejecting_performer_rejects_with_the_reason_from_the_data() {
    let state = state();
    let [id] = create(&state, &BUSY.to_string())[..] else {
        panic!("one booking")
    };
    moved(&state, 1);
    assert_eq!(read(&state, id).status, BookingStatus::Pending);
    moved(&state, 1);
    let booking = read(&state, id);
    assert_eq!(booking.status, BookingStatus::Rejected);
    assert_eq!(
        booking.rejected_reason.as_deref(),
        Some("Sorry, I am fully booked that day.")
    );
    assert_eq!(booking.last_updated.unwrap().naive(), after(2));
}

#[test]
fn the_first_self_acting_invitee_to_accept_wins_and_the_others_are_cancelled_then() {
    let state = state();
    let ids = create(&state, &format!("{BUSY},{PROMPT},123456"));
    moved(&state, 4);
    let [busy, prompt, josephene] = [0, 1, 2].map(|i| read(&state, ids[i]));
    assert_eq!(busy.status, BookingStatus::Rejected);
    assert_eq!(prompt.status, BookingStatus::Accepted);
    assert_eq!(josephene.status, BookingStatus::Cancelled);
    assert_eq!(josephene.cancelled_date.unwrap().naive(), after(3));
    assert_eq!(
        josephene.cancelled_reason.as_deref(),
        Some("Another invited user (PromptPriya) accepted the booking first.")
    );
}

#[test]
fn an_answer_due_after_accept_by_never_comes_and_the_booking_expires() {
    let data = SandboxData::from_json(&default_data_with(|user| {
        user["Behaviour"] = json!({ "Accept": { "AfterSeconds": 2 * 86_400 } });
    }))
    .unwrap();
    let state = SandboxState::new(data, Clock::fixed(t0()));
    let [id] = create(&state, &PROMPT.to_string())[..] else {
        panic!("one booking")
    };
    let accept_by = read(&state, id).accept_by.naive();
    state.clock().set(accept_by + TimeDelta::days(2));
    let booking = read(&state, id);
    assert_eq!(booking.status, BookingStatus::Rejected);
    assert_eq!(booking.accepted_date, None);
    assert_eq!(booking.last_updated.unwrap().naive(), accept_by);
}

#[test]
fn a_booking_cancelled_before_the_performer_acts_stays_cancelled() {
    let state = state();
    let [id] = create(&state, &PROMPT.to_string())[..] else {
        panic!("one booking")
    };
    let req =
        serde_json::from_value(json!({ "BookingID": id, "Reason": "Changed my mind." })).unwrap();
    state.cancel_webcam_booking(CLIENT, &req).unwrap();
    moved(&state, 60);
    let booking = read(&state, id);
    assert_eq!(booking.status, BookingStatus::Cancelled);
    assert_eq!(booking.accepted_date, None);
}

#[test]
fn an_accept_through_the_control_endpoint_is_followed_by_the_performers_own_confirm() {
    let state = state();
    let [id] = create(&state, &PROMPT.to_string())[..] else {
        panic!("one booking")
    };
    moved(&state, 1);
    state.webcam_transition(id, &Transition::Accept).unwrap();
    // The planned accept at 3 s finds the booking already accepted and does nothing; the
    // confirm comes 5 s after the real accept.
    moved(&state, 4);
    let booking = read(&state, id);
    assert_eq!(booking.status, BookingStatus::Accepted);
    assert_eq!(booking.accepted_date.unwrap().naive(), after(1));
    moved(&state, 1);
    let booking = read(&state, id);
    assert_eq!(booking.status, BookingStatus::Confirmed);
    assert_eq!(booking.confirmed_date.unwrap().naive(), after(6));
}

#[test]
fn a_rescheduled_booking_gets_the_performers_answer_too() {
    let state = state();
    let [id] = create(&state, &BUSY.to_string())[..] else {
        panic!("one booking")
    };
    let req = serde_json::from_value(json!({ "BookingID": id })).unwrap();
    let again = state.reschedule_webcam_booking(CLIENT, &req).unwrap();
    moved(&state, 2);
    assert_eq!(
        read(&state, again.webcam_booking_id).status,
        BookingStatus::Rejected
    );
}

#[test]
fn a_phone_chat_candidate_acts_by_themselves_as_well() {
    let state = state();
    let req: CreatePhoneChatBookingRequest = serde_json::from_value(json!({
        "BookUserID": PROMPT, "SessionDate": "2018-01-02 12:00", "AcceptBy": "2018-01-02 00:00",
        "Duration": 15, "Method": 2, "Credits": 32
    }))
    .unwrap();
    let made = state.create_phone_chat_booking(CLIENT, &req).unwrap();
    moved(&state, 3);
    let booking = state.any_phone_chat_booking(made.booking_id).unwrap();
    assert_eq!(booking.status, BookingStatus::Accepted);
    assert_eq!(booking.accepted_date.unwrap().naive(), after(3));
}

#[test]
fn performers_without_a_behaviour_never_answer() {
    let state = state();
    let [id] = create(&state, "123456")[..] else {
        panic!("one booking")
    };
    moved(&state, 3600);
    assert_eq!(read(&state, id).status, BookingStatus::Pending);
}

#[test]
fn a_bad_behaviour_in_a_data_file_is_reported_with_its_path() {
    let text = default_data_with(|user| {
        user["Behaviour"] = json!({ "Accept": { "AfterMinutes": 3 } });
    });
    let err = SandboxData::from_json(&text).unwrap_err().to_string();
    assert!(
        err.contains(".Behaviour") && err.contains("AfterMinutes"),
        "{err}"
    );
}

#[test]
fn the_latest_bookings_are_newest_first_with_expiry_and_performers_answers_applied() {
    let state = state();
    let ids = create(&state, &format!("123456,{PROMPT},{BUSY}"));
    let later = create(&state, "123457");
    moved(&state, 60);
    let latest = state.latest(2);
    assert_eq!((latest.webcam_total, latest.phone_chat_total), (4, 0));
    let shown: Vec<(i64, BookingStatus)> = latest
        .webcam
        .iter()
        .map(|b| (b.webcam_booking_id, b.status.clone()))
        .collect();
    // BusyBella rejected at 2 s, before PromptPriya's acceptance at 3 s cancelled the other
    // invitations: hers stays rejected.
    assert_eq!(
        shown,
        [
            (later[0], BookingStatus::Pending),
            (ids[2], BookingStatus::Rejected)
        ]
    );
    // Past AcceptBy, a pending booking is shown rejected, as the API would answer.
    let accept_by = read(&state, later[0]).accept_by.naive();
    state.clock().set(accept_by);
    assert_eq!(state.latest(1).webcam[0].status, BookingStatus::Rejected);
}
