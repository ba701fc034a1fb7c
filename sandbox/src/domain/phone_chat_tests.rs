//! The phone-chat operations of both parties, each documented rule and each assumption,
//! straight on the domain (the HTTP tests cover the wire).

use adultwork::types::PhoneChatBooking;
use adultwork::{BookingStatus, Credits, PhoneChatMethod};
use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use serde_json::json;

use super::booking::PhoneChatRecord;
use super::clock::Clock;
use super::data::SandboxData;
use super::lifecycle::{Lifecycle, Transition};
use super::phone_chat_made::PhoneChatOrder;
use super::phone_chat_received::DEFAULT_REINVITE_REASON;
use super::phone_chat_store::PhoneChatSettings;
use super::refusal::Refusal;
use super::state::SandboxState;

const CLIENT: i64 = 100001;
const OTHER_CLIENT: i64 = 100002;
const LOW_BALANCE: i64 = 100003;
const PERFORMER: i64 = 123456;

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

fn state() -> SandboxState {
    SandboxState::new(SandboxData::default(), Clock::fixed(at("2018-01-01 11:00")))
}

/// The docs' sample: session 2018-02-21 21:30, AcceptBy 18:00 that day, 32 credits.
fn create(s: &SandboxState) -> PhoneChatBooking {
    create_with(s, json!({}))
}

fn create_with(s: &SandboxState, changes: serde_json::Value) -> PhoneChatBooking {
    let mut body = json!({
        "BookUserID": PERFORMER, "SessionDate": "2018-02-21 21:30", "Duration": 15,
        "Method": 1, "PhoneNumber": "44123456789", "Credits": 32,
        "AcceptBy": "2018-02-21 18:00"
    });
    for (k, v) in changes.as_object().unwrap() {
        body[k] = v.clone();
    }
    s.create_phone_chat_booking(CLIENT, &serde_json::from_value(body).unwrap())
        .unwrap()
}

fn forbidden(r: Result<impl std::fmt::Debug, Refusal>) -> String {
    match r {
        Err(Refusal::Forbidden(m)) => m,
        other => panic!("expected 403, got {other:?}"),
    }
}

fn invalid(r: Result<impl std::fmt::Debug, Refusal>, field: &str) -> String {
    match r {
        Err(e @ Refusal::Invalid(_)) => {
            let m = e.to_string();
            assert!(m.starts_with(field), "{m} should name {field}");
            m
        }
        other => panic!("expected 400 on {field}, got {other:?}"),
    }
}

fn credits(n: u32) -> Credits {
    Credits::from(n)
}

/// Puts booking 1 (client `client_id`, candidate [`PERFORMER`], 32 credits) into the state
/// as it would be at the clock's now, with any session and AcceptBy (even an AcceptBy after
/// the session, which create refuses), to reach rules no created booking can.
fn insert(s: &SandboxState, client_id: i64, session: NaiveDateTime, accept_by: NaiveDateTime) {
    let now = s.clock().now();
    let mut books = s.books_at(now);
    let mut record = PhoneChatRecord {
        id: 1,
        client_id,
        candidate_id: PERFORMER,
        duration: 15,
        credits: credits(32),
        method: PhoneChatMethod::ICall,
        phone_number: None,
        skype_name: None,
        comments: None,
        session,
        life: Lifecycle::new(now - TimeDelta::hours(2), accept_by),
    };
    record.life.expire(now);
    books.phone_chat.insert(1, record);
    books.last_phone_chat_id = 1;
}

/// Accepted, then confirmed through the control endpoints' transition.
fn confirmed(s: &SandboxState) -> i64 {
    let id = create(s).booking_id;
    s.accept_received_phone_chat_booking(PERFORMER, id, credits(32))
        .unwrap();
    s.phone_chat_transition(id, &Transition::Confirm).unwrap();
    id
}

#[test]
fn details_are_the_clients_and_the_performer_is_refused_by_the_party_check() {
    let s = state();
    let id = create(&s).booking_id;
    assert_eq!(
        s.made_phone_chat_booking(CLIENT, id).unwrap().status,
        BookingStatus::Pending
    );
    let m = forbidden(s.made_phone_chat_booking(PERFORMER, id));
    assert!(m.contains("you are its performer"), "{m}");
    assert!(matches!(
        s.made_phone_chat_booking(OTHER_CLIENT, id),
        Err(Refusal::NotFound(_))
    ));
}

#[test]
fn a_pending_booking_past_accept_by_reads_as_rejected() {
    let s = state();
    let id = create(&s).booking_id;
    s.clock().set(at("2018-02-21 17:59"));
    assert_eq!(
        s.made_phone_chat_booking(CLIENT, id).unwrap().status,
        BookingStatus::Pending
    );
    s.clock().set(at("2018-02-21 18:00"));
    let b = s.made_phone_chat_booking(CLIENT, id).unwrap();
    assert_eq!(b.status, BookingStatus::Rejected);
    assert!(b.rejected_reason.unwrap().contains("not accepted by"));
}

#[test]
fn cancel_needs_a_reason_and_refuses_cancelled_rejected_and_past_confirmed() {
    let s = state();
    let id = create(&s).booking_id;
    let before = s.snapshot();
    invalid(s.cancel_made_phone_chat_booking(CLIENT, id, "  "), "Reason");
    forbidden(s.cancel_made_phone_chat_booking(PERFORMER, id, "x"));
    assert_eq!(s.snapshot(), before);
    let b = s
        .cancel_made_phone_chat_booking(CLIENT, id, " I've had something come up ")
        .unwrap();
    assert_eq!(b.status, BookingStatus::Cancelled);
    assert_eq!(
        b.cancelled_reason.as_deref(),
        Some("I've had something come up")
    );
    let before = s.snapshot();
    invalid(
        s.cancel_made_phone_chat_booking(CLIENT, id, "again"),
        "Status",
    );
    s.phone_chat_transition(create(&s).booking_id, &Transition::Reject(None))
        .unwrap();
    invalid(s.cancel_made_phone_chat_booking(CLIENT, 2, "x"), "Status");
    assert_eq!(s.snapshot().phone_chat[0], before.phone_chat[0]);

    let c = confirmed(&s);
    s.clock().set(at("2018-02-21 21:30"));
    let before = s.snapshot();
    invalid(
        s.cancel_made_phone_chat_booking(CLIENT, c, "late"),
        "SessionDate",
    );
    assert_eq!(s.snapshot(), before);
    s.clock().set(at("2018-02-21 21:29"));
    assert_eq!(
        s.cancel_made_phone_chat_booking(CLIENT, c, "in time")
            .unwrap()
            .status,
        BookingStatus::Cancelled
    );
}

#[test]
fn reschedule_only_after_the_session_and_with_sufficient_credits() {
    let s = state();
    let id = create(&s).booking_id;
    s.clock().set(at("2018-02-21 21:29"));
    // A read first: expiry at AcceptBy is time's change, not the refusal's.
    s.made_phone_chat_booking(CLIENT, id).unwrap();
    let before = s.snapshot();
    invalid(
        s.reschedule_made_phone_chat_booking(CLIENT, id),
        "SessionDate",
    );
    forbidden(s.reschedule_made_phone_chat_booking(PERFORMER, id));
    assert_eq!(s.snapshot(), before);
    s.clock().set(at("2018-02-21 21:30"));
    let old = s.made_phone_chat_booking(CLIENT, id).unwrap();
    let new = s.reschedule_made_phone_chat_booking(CLIENT, id).unwrap();
    assert_eq!(new.booking_id, id + 1);
    assert_eq!(new.status, BookingStatus::Pending);
    assert_eq!(new.session_date.naive(), at("2018-02-21 21:35"));
    assert_eq!(
        (new.duration, new.credits, new.method),
        (old.duration, old.credits, old.method)
    );
    assert_eq!(s.made_phone_chat_booking(CLIENT, id).unwrap(), old);

    // A client whose balance no longer covers the booking's credits.
    let s = state();
    let now = s.clock().now();
    insert(
        &s,
        LOW_BALANCE,
        now - TimeDelta::minutes(1),
        now - TimeDelta::hours(1),
    );
    let before = s.snapshot();
    invalid(
        s.reschedule_made_phone_chat_booking(LOW_BALANCE, 1),
        "Credits",
    );
    assert_eq!(s.snapshot(), before);
}

#[test]
fn delete_made_only_complete_bookings_each_with_its_outcome() {
    let s = state();
    let pending = create(&s).booking_id;
    let cancelled = create(&s).booking_id;
    s.cancel_made_phone_chat_booking(CLIENT, cancelled, "x")
        .unwrap();
    let confirmed = confirmed(&s);
    let accepted = create(&s).booking_id;
    s.accept_received_phone_chat_booking(PERFORMER, accepted, credits(32))
        .unwrap();
    let out =
        s.delete_made_phone_chat_bookings(CLIENT, &[pending, cancelled, confirmed, accepted, 99]);
    let deleted: Vec<bool> = out.iter().map(|o| o.deleted).collect();
    assert_eq!(deleted, [false, true, true, false, false]);
    assert!(
        out[0]
            .message
            .as_ref()
            .unwrap()
            .contains("the booking is Pending")
    );
    assert!(
        out[3]
            .message
            .as_ref()
            .unwrap()
            .contains("the booking is Accepted")
    );
    assert!(out[4].message.as_ref().unwrap().contains("not found"));
    assert_eq!(out[1].message, None);
    assert!(matches!(
        s.made_phone_chat_booking(CLIENT, cancelled),
        Err(Refusal::NotFound(_))
    ));
    let listed: Vec<i64> = s
        .made_phone_chat_bookings(CLIENT, None, PhoneChatOrder::DateAsc)
        .iter()
        .map(|b| b.booking_id)
        .collect();
    assert_eq!(listed, [pending, accepted]);
    // The performer's delete is refused on the client's side, and theirs is separate.
    let out = s.delete_made_phone_chat_bookings(PERFORMER, &[pending]);
    assert!(!out[0].deleted && out[0].message.as_ref().unwrap().contains("performer"));
    let out = s.delete_received_phone_chat_bookings(PERFORMER, &[cancelled]);
    assert!(out[0].deleted, "{out:?}");
    let out = s.delete_received_phone_chat_bookings(CLIENT, &[confirmed]);
    assert!(!out[0].deleted && out[0].message.as_ref().unwrap().contains("client"));
}

#[test]
fn an_expired_pending_booking_can_be_deleted_as_rejected() {
    let s = state();
    let id = create(&s).booking_id;
    s.clock().set(at("2018-02-21 18:00"));
    assert!(s.delete_made_phone_chat_bookings(CLIENT, &[id])[0].deleted);
}

#[test]
fn list_filters_by_start_date_and_orders_as_asked() {
    let s = state();
    let a = create_with(&s, json!({ "SessionDate": "2018-02-21 21:30" })).booking_id;
    s.clock().set(at("2018-01-03 09:00"));
    let b = create_with(
        &s,
        json!({ "BookUserID": 123460, "Method": 2, "Credits": 60, "SessionDate": "2018-02-20 10:00", "AcceptBy": "2018-02-20 09:00" }),
    )
    .booking_id;
    let ids = |o, d| -> Vec<i64> {
        s.made_phone_chat_bookings(CLIENT, d, o)
            .iter()
            .map(|x| x.booking_id)
            .collect()
    };
    assert_eq!(ids(PhoneChatOrder::default(), None), [b, a]);
    assert_eq!(ids(PhoneChatOrder::DateAsc, None), [a, b]);
    // JosepheneBlogs < PhoneOnlyPenny
    assert_eq!(ids(PhoneChatOrder::NicknameAsc, None), [a, b]);
    assert_eq!(ids(PhoneChatOrder::NicknameDesc, None), [b, a]);
    assert_eq!(ids(PhoneChatOrder::SessionDateAsc, None), [b, a]);
    assert_eq!(ids(PhoneChatOrder::SessionDateDesc, None), [a, b]);
    let jan3 = NaiveDate::from_ymd_opt(2018, 1, 3);
    assert_eq!(ids(PhoneChatOrder::DateAsc, jan3), [b]);
    assert!(
        s.made_phone_chat_bookings(OTHER_CLIENT, None, PhoneChatOrder::DateAsc)
            .is_empty()
    );
    assert!(
        s.made_phone_chat_bookings(PERFORMER, None, PhoneChatOrder::DateAsc)
            .is_empty()
    );
    for (o, name) in PhoneChatOrder::ALL {
        assert_eq!(PhoneChatOrder::parse(name).unwrap(), o);
    }
    invalid(PhoneChatOrder::parse("createddate"), "OrderBy");
}

#[test]
fn requirements_give_price_and_methods_of_one_phone_chat_user() {
    let s = state();
    let r = s.phone_chat_requirements(CLIENT, 123458).unwrap();
    assert_eq!(r.phone_chat_ppm, Some(credits(1)));
    assert_eq!(
        r.methods,
        [
            (PhoneChatMethod::CallMe, false),
            (PhoneChatMethod::ICall, true),
            (PhoneChatMethod::Skype, false)
        ]
    );
    let r = s.phone_chat_requirements(CLIENT, PERFORMER).unwrap();
    assert!(r.methods.iter().all(|(_, ok)| *ok));
    invalid(s.phone_chat_requirements(CLIENT, 123459), "BookUserID"); // DirectChat Only
    invalid(s.phone_chat_requirements(CLIENT, 123457), "BookUserID"); // no phone chat
    invalid(s.phone_chat_requirements(CLIENT, 999), "BookUserID");
    // Saved settings are what the requirements show.
    let mut settings = s.phone_chat_settings(123458).unwrap();
    settings.phone_chat_ppm = Some(credits(4));
    settings.phone_chat_number = None;
    s.save_phone_chat_settings(123458, settings).unwrap();
    assert_eq!(
        s.phone_chat_requirements(CLIENT, 123458)
            .unwrap()
            .phone_chat_ppm,
        Some(credits(4))
    );
}

#[test]
fn a_saved_price_is_what_create_checks() {
    let s = state();
    let mut settings = s.phone_chat_settings(PERFORMER).unwrap();
    settings.phone_chat_number = None;
    settings.phone_chat_ppm = Some(credits(3));
    s.save_phone_chat_settings(PERFORMER, settings.clone())
        .unwrap();
    let body = |c: u32| {
        serde_json::from_value(json!({
            "BookUserID": PERFORMER, "SessionDate": "2018-02-21 21:30", "Duration": 15,
            "Method": 2, "Credits": c, "AcceptBy": "2018-02-21 18:00"
        }))
        .unwrap()
    };
    let m = invalid(s.create_phone_chat_booking(CLIENT, &body(44)), "Credits");
    assert!(m.contains("3 × 15 = 45"), "{m}");
    s.create_phone_chat_booking(CLIENT, &body(45)).unwrap();
    // Lower than the data file's 2 per minute: 15 × 1 now suffices.
    settings.phone_chat_ppm = Some(credits(1));
    s.save_phone_chat_settings(PERFORMER, settings).unwrap();
    s.create_phone_chat_booking(CLIENT, &body(15)).unwrap();
}

#[test]
fn accept_needs_pending_with_accept_by_and_session_ahead_and_takes_the_performers_credits() {
    let s = state();
    let id = create(&s).booking_id;
    let before = s.snapshot();
    forbidden(s.accept_received_phone_chat_booking(CLIENT, id, credits(32)));
    invalid(
        s.accept_received_phone_chat_booking(PERFORMER, id, credits(0)),
        "Credits",
    );
    assert!(matches!(
        s.accept_received_phone_chat_booking(123458, id, credits(32)),
        Err(Refusal::NotFound(_))
    ));
    assert_eq!(s.snapshot(), before);
    s.clock().set(at("2018-01-02 10:00"));
    let b = s
        .accept_received_phone_chat_booking(PERFORMER, id, credits(40))
        .unwrap();
    assert_eq!(
        (b.status, b.credits),
        (BookingStatus::Accepted, credits(40))
    );
    assert_eq!(b.accepted_date.unwrap().naive(), at("2018-01-02 10:00"));
    assert_eq!(
        s.made_phone_chat_booking(CLIENT, id).unwrap().credits,
        credits(40)
    );
    let before = s.snapshot();
    invalid(
        s.accept_received_phone_chat_booking(PERFORMER, id, credits(32)),
        "Status",
    );
    assert_eq!(s.snapshot(), before);

    let late = create(&s).booking_id;
    s.clock().set(at("2018-02-21 18:00"));
    let m = invalid(
        s.accept_received_phone_chat_booking(PERFORMER, late, credits(32)),
        "Status",
    );
    assert!(m.contains("Rejected"), "{m}");
}

#[test]
fn reinvite_rejects_an_expired_booking_once_its_session_has_passed() {
    let s = state();
    let id = create(&s).booking_id;
    let named = create(&s).booking_id;
    let accepted = create(&s).booking_id;
    s.accept_received_phone_chat_booking(PERFORMER, accepted, credits(32))
        .unwrap();
    s.clock().set(at("2018-02-21 21:29"));
    let before = s.snapshot();
    invalid(
        s.reinvite_received_phone_chat_booking(PERFORMER, id, None),
        "SessionDate",
    );
    assert_eq!(s.snapshot(), before);
    s.clock().set(at("2018-02-21 21:30"));
    forbidden(s.reinvite_received_phone_chat_booking(CLIENT, id, None));
    let before = s.snapshot();
    invalid(
        s.reinvite_received_phone_chat_booking(PERFORMER, accepted, None),
        "Status",
    );
    assert_eq!(s.snapshot(), before);
    let b = s
        .reinvite_received_phone_chat_booking(PERFORMER, id, Some("  "))
        .unwrap();
    assert_eq!(b.status, BookingStatus::Rejected);
    assert_eq!(b.rejected_reason.as_deref(), Some(DEFAULT_REINVITE_REASON));
    let b = s
        .reinvite_received_phone_chat_booking(PERFORMER, named, Some("No time then"))
        .unwrap();
    assert_eq!(b.rejected_reason.as_deref(), Some("No time then"));
    let before = s.snapshot();
    invalid(
        s.reinvite_received_phone_chat_booking(PERFORMER, id, None),
        "Status",
    );
    assert_eq!(s.snapshot(), before);
    // The client then reschedules it.
    assert_eq!(
        s.reschedule_made_phone_chat_booking(CLIENT, id)
            .unwrap()
            .status,
        BookingStatus::Pending
    );
}

#[test]
fn settings_start_from_the_profile_and_save_with_their_rules() {
    let s = state();
    let first = s.phone_chat_settings(PERFORMER).unwrap();
    assert_eq!(
        first,
        PhoneChatSettings {
            offer_direct_chat: false,
            direct_chat: None,
            phone_chat_number: Some("09098790123".into()),
            show_phone_chat_number: false,
            phone_chat_ppm: Some(credits(2)),
        }
    );
    let good = PhoneChatSettings {
        offer_direct_chat: true,
        direct_chat: Some(json!({ "Any": 1 })),
        phone_chat_number: Some("+449098790123".into()),
        show_phone_chat_number: true,
        phone_chat_ppm: Some(credits(3)),
    };
    let refused = [
        (
            PhoneChatSettings {
                direct_chat: None,
                ..good.clone()
            },
            "DirectChat",
        ),
        (
            PhoneChatSettings {
                offer_direct_chat: false,
                ..good.clone()
            },
            "DirectChat",
        ),
        (
            PhoneChatSettings {
                phone_chat_number: Some("09098790123".into()),
                ..good.clone()
            },
            "PhoneChatNumber",
        ),
        (
            PhoneChatSettings {
                phone_chat_number: Some("+44 909".into()),
                ..good.clone()
            },
            "PhoneChatNumber",
        ),
    ];
    for (bad, field) in refused {
        invalid(s.save_phone_chat_settings(PERFORMER, bad), field);
        assert_eq!(s.phone_chat_settings(PERFORMER).unwrap(), first);
    }
    assert_eq!(
        s.save_phone_chat_settings(PERFORMER, good.clone()).unwrap(),
        good
    );
    assert_eq!(s.phone_chat_settings(PERFORMER).unwrap(), good);
    let plain = PhoneChatSettings {
        offer_direct_chat: false,
        direct_chat: None,
        phone_chat_number: Some("00449098790123".into()),
        ..good
    };
    s.save_phone_chat_settings(PERFORMER, plain.clone())
        .unwrap();
    assert_eq!(s.phone_chat_settings(PERFORMER).unwrap(), plain);
}

#[test]
fn a_pending_booking_whose_session_has_passed_is_not_accepted_but_re_invited() {
    let s = state();
    let now = s.clock().now();
    insert(
        &s,
        CLIENT,
        now - TimeDelta::minutes(1),
        now + TimeDelta::hours(1),
    );
    let before = s.snapshot();
    assert_eq!(before.phone_chat[0].status, BookingStatus::Pending);
    invalid(
        s.accept_received_phone_chat_booking(PERFORMER, 1, credits(32)),
        "SessionDate",
    );
    assert_eq!(s.snapshot(), before);
    let b = s
        .reinvite_received_phone_chat_booking(PERFORMER, 1, Some("Too late"))
        .unwrap();
    assert_eq!(
        (b.status, b.rejected_reason.as_deref()),
        (BookingStatus::Rejected, Some("Too late"))
    );
}
