//! Under load: 10,000 requests from 64 concurrent clients mixing every operation and the
//! other party's answers, after which every booking is accounted for and in a legal state;
//! and the first-to-accept race, 1,000 times, with exactly one winner each time.
//!
//! `SANDBOX_LOAD_REQUESTS` and `SANDBOX_RACE_TRIALS` change the counts (defaults 10,000 and
//! 1,000).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Barrier, Mutex};

use adultwork::types::{PhoneChatBooking, WebcamBooking, WebcamBookingResult};
use adultwork::{BookingStatus, Timestamp};
use adultwork_sandbox::{CLIENT_TOKEN, Clock, Sandbox, SandboxData, SandboxState, Transition};
use serde_json::{Value, json};

use crate::common::*;

fn from_env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A small deterministic generator (xorshift64*), one per client, so a failing run can be
/// replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// What the clients did and saw, to account for every booking afterwards.
#[derive(Default)]
struct Ledger {
    /// Webcam bookings created together (one create or one reschedule).
    groups: Vec<Vec<i64>>,
    /// Every webcam booking ID returned, in order.
    ids: Vec<i64>,
    phone_chats: Vec<i64>,
    /// Successful transitions: booking ID → how many times.
    accepted: BTreeMap<i64, usize>,
    confirmed: BTreeMap<i64, usize>,
    cancelled: BTreeMap<i64, usize>,
    rejected: BTreeMap<i64, usize>,
    /// Answers by (action, status).
    answers: BTreeMap<(&'static str, u16), usize>,
}

impl Ledger {
    fn add_group(&mut self, ids: Vec<i64>) {
        self.ids.extend(&ids);
        self.groups.push(ids);
    }
}

/// One client: `requests` requests, each a random action on a random booking it knows.
async fn client_loop(
    base: String,
    http: reqwest::Client,
    ledger: Arc<Mutex<Ledger>>,
    seed: u64,
    requests: usize,
    (session, accept_by): (String, String),
) {
    let mut rng = Rng(seed | 1);
    let invitees = ["123456", "123457", "123458", "123459"];
    for _ in 0..requests {
        let roll = rng.below(100);
        let known = {
            let l = ledger.lock().unwrap();
            l.ids.get(rng.below(l.ids.len().max(1))).copied()
        };
        let (action, req) = match (roll, known) {
            (0..30, _) | (_, None) => {
                // Invite 1 to 4 of the performers (123458 is not on Skype: status 2, no booking).
                let n = 1 + rng.below(4);
                let start = rng.below(4);
                let users: Vec<&str> = (0..n).map(|i| invitees[(start + i) % 4]).collect();
                let body = json!({
                    "BookUserIDs": users.join(","),
                    "SessionDate": session,
                    "Duration": 10,
                    "Credits": 10,
                    "SoftwareTypeID": 3,
                    "SignInNameOrEmail": "LoadTester",
                });
                (
                    "create",
                    http.post(format!("{base}/v1/Webcam/CreateBooking"))
                        .json(&body),
                )
            }
            (30..35, _) => {
                let mut body = phone_chat_sample();
                body["SessionDate"] = session.clone().into();
                body["AcceptBy"] = accept_by.clone().into();
                (
                    "phonechat",
                    http.post(format!("{base}/v1/PhoneChat/CreateBooking"))
                        .json(&body),
                )
            }
            (35..55, Some(id)) => (
                "details",
                http.get(format!(
                    "{base}/v1/Webcam/MadeBookingDetails?BookingID={id}"
                )),
            ),
            (55..72, Some(id)) => (
                "accept",
                http.post(format!("{base}/_sandbox/webcam/{id}/accept")),
            ),
            (72..77, Some(id)) => (
                "confirm",
                http.post(format!("{base}/_sandbox/webcam/{id}/confirm")),
            ),
            (77..80, Some(id)) => (
                "reject",
                http.post(format!("{base}/_sandbox/webcam/{id}/reject")),
            ),
            (80..94, Some(id)) => (
                "cancel",
                http.post(format!("{base}/v1/Webcam/CancelMadeBooking"))
                    .json(&json!({ "BookingID": id, "Reason": "Load test." })),
            ),
            (_, Some(id)) => (
                "reschedule",
                http.post(format!("{base}/v1/Webcam/RescheduleMadeBooking"))
                    .json(&json!({ "BookingID": id })),
            ),
        };
        let target = req.try_clone().unwrap().build().unwrap();
        let id = booking_of(
            target.url().as_str(),
            target.body().and_then(|b| b.as_bytes()),
        );
        let res = req
            .header("Authorization", format!("bearer {CLIENT_TOKEN}"))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{action}: {e}"));
        let status = res.status().as_u16();
        let body = res.bytes().await.unwrap();
        let allowed: &[u16] = match action {
            "create" | "phonechat" | "details" => &[200],
            "accept" | "confirm" | "reject" => &[200, 409],
            // Cancelled or Rejected bookings cannot be cancelled; any booking can be
            // rescheduled (its prerequisites hold throughout).
            "cancel" => &[200, 400],
            "reschedule" => &[200],
            _ => unreachable!(),
        };
        assert!(
            allowed.contains(&status),
            "{action} {id:?}: {status} {}",
            String::from_utf8_lossy(&body)
        );
        let mut l = ledger.lock().unwrap();
        *l.answers.entry((action, status)).or_default() += 1;
        if status != 200 {
            continue;
        }
        match action {
            "create" => {
                let results: Vec<WebcamBookingResult> = serde_json::from_slice(&body).unwrap();
                let ids: Vec<i64> = results.iter().filter_map(|r| r.booking_id).collect();
                if !ids.is_empty() {
                    l.add_group(ids);
                }
            }
            "reschedule" => {
                let b: WebcamBooking = serde_json::from_slice(&body).unwrap();
                l.add_group(vec![b.webcam_booking_id]);
            }
            "phonechat" => {
                let b: PhoneChatBooking = serde_json::from_slice(&body).unwrap();
                l.phone_chats.push(b.booking_id);
            }
            "details" => {
                let b: WebcamBooking = serde_json::from_slice(&body).unwrap();
                assert_eq!(Some(b.webcam_booking_id), id);
            }
            "accept" => *l.accepted.entry(id.unwrap()).or_default() += 1,
            "confirm" => *l.confirmed.entry(id.unwrap()).or_default() += 1,
            "reject" => *l.rejected.entry(id.unwrap()).or_default() += 1,
            "cancel" => *l.cancelled.entry(id.unwrap()).or_default() += 1,
            _ => unreachable!(),
        }
    }
}

/// The booking a request is about: from `BookingID=` in the URL, `/webcam/{id}/` in a control
/// path, or `"BookingID"` in the body.
fn booking_of(url: &str, body: Option<&[u8]>) -> Option<i64> {
    if let Some(q) = url.split("BookingID=").nth(1) {
        return q.parse().ok();
    }
    if let Some(rest) = url.split("/_sandbox/webcam/").nth(1) {
        return rest.split('/').next()?.parse().ok();
    }
    let v: Value = serde_json::from_slice(body?).ok()?;
    v.get("BookingID")?.as_i64()
}

fn naive(t: &Timestamp) -> chrono::NaiveDateTime {
    t.naive()
}

/// Checks that one webcam booking's state is legal and its dates are in order.
fn assert_legal(b: &WebcamBooking) {
    let id = b.webcam_booking_id;
    let created = naive(&b.create_date);
    let dates = [&b.accepted_date, &b.confirmed_date, &b.cancelled_date];
    let [accepted, confirmed, cancelled] = dates.map(|d| d.as_ref().map(naive));
    match b.status {
        BookingStatus::Pending => {
            assert!(
                accepted.is_none() && confirmed.is_none() && cancelled.is_none(),
                "{b:?}"
            );
            assert!(
                b.last_updated.is_none(),
                "{id}: a Pending booking never changed"
            );
        }
        BookingStatus::Accepted => {
            assert!(
                accepted.is_some() && confirmed.is_none() && cancelled.is_none(),
                "{b:?}"
            )
        }
        BookingStatus::Confirmed => {
            assert!(
                accepted.is_some() && confirmed.is_some() && cancelled.is_none(),
                "{b:?}"
            )
        }
        BookingStatus::Rejected => {
            assert!(
                accepted.is_none() && confirmed.is_none() && cancelled.is_none(),
                "{b:?}"
            );
            assert!(b.last_updated.is_some(), "{b:?}");
        }
        BookingStatus::Cancelled => {
            assert!(
                cancelled.is_some(),
                "{id}: a Cancelled booking has its CancelledDate"
            );
            assert!(b.cancelled_reason.is_some(), "{b:?}");
        }
        ref other => panic!("{id}: unknown status {other}"),
    }
    // CreateDate ≤ AcceptedDate ≤ ConfirmedDate ≤ CancelledDate, where present.
    let mut last = created;
    for d in [accepted, confirmed, cancelled].into_iter().flatten() {
        assert!(d >= last, "{id}: dates out of order: {b:?}");
        last = d;
    }
    if let Some(updated) = b.last_updated.as_ref().map(naive) {
        assert!(
            updated >= last,
            "{id}: LastUpdated before the last change: {b:?}"
        );
        // A rejection has no date of its own: LastUpdated is its only trace.
        if b.status != BookingStatus::Rejected {
            assert_eq!(updated, last, "{id}: LastUpdated is the last change: {b:?}");
        }
    }
    assert!(naive(&b.accept_by) <= naive(&b.session_date), "{b:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_mixed_requests_from_64_clients_leave_every_booking_accounted_for() {
    let total = from_env("SANDBOX_LOAD_REQUESTS", 10_000);
    let clients = 64;
    let sandbox = Sandbox::start().await.unwrap(); // the real clock: dates differ
    let in_days = |days| {
        (chrono::Utc::now() + chrono::TimeDelta::days(days))
            .format("%Y-%m-%d %H:%M")
            .to_string()
    };
    let dates = (in_days(7), in_days(6));
    let ledger = Arc::new(Mutex::new(Ledger::default()));
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(clients)
        .build()
        .unwrap();
    let tasks: Vec<_> = (0..clients)
        .map(|c| {
            let share = total / clients + usize::from(c < total % clients);
            tokio::spawn(client_loop(
                sandbox.base_url(),
                http.clone(),
                ledger.clone(),
                0x9E37_79B9_7F4A_7C15 ^ (c as u64 + 1),
                share,
                dates.clone(),
            ))
        })
        .collect();
    for t in tasks {
        tokio::time::timeout(std::time::Duration::from_secs(300), t)
            .await
            .expect("the load test finished (hang guard)")
            .unwrap();
    }
    let ledger = Arc::into_inner(ledger)
        .expect("every client is done")
        .into_inner()
        .unwrap();
    let snapshot = sandbox.state().snapshot();
    let answered: usize = ledger.answers.values().sum();
    assert_eq!(answered, total, "every request was answered");

    // Every booking created is there, once, and nothing else is.
    let created: BTreeSet<i64> = ledger.ids.iter().copied().collect();
    assert_eq!(created.len(), ledger.ids.len(), "an ID was given twice");
    let stored: BTreeSet<i64> = snapshot
        .webcam
        .iter()
        .map(|b| b.webcam_booking_id)
        .collect();
    assert_eq!(stored, created);
    assert_eq!(
        stored,
        (1..=created.len() as i64).collect(),
        "IDs have no gaps"
    );
    let phone: BTreeSet<i64> = snapshot.phone_chat.iter().map(|b| b.booking_id).collect();
    assert_eq!(phone, ledger.phone_chats.iter().copied().collect());
    assert_eq!(phone.len(), ledger.phone_chats.len());

    // Every state is legal, and every successful transition is visible exactly once.
    let by_id: BTreeMap<i64, &WebcamBooking> = snapshot
        .webcam
        .iter()
        .map(|b| (b.webcam_booking_id, b))
        .collect();
    for b in by_id.values() {
        assert_legal(b);
        let id = b.webcam_booking_id;
        let count = |m: &BTreeMap<i64, usize>| m.get(&id).copied().unwrap_or(0);
        assert_eq!(
            usize::from(b.accepted_date.is_some()),
            count(&ledger.accepted),
            "{id}"
        );
        assert_eq!(
            usize::from(b.confirmed_date.is_some()),
            count(&ledger.confirmed),
            "{id}"
        );
        let by_client = b.cancelled_by.as_deref() == Some("ClientUser");
        assert_eq!(usize::from(by_client), count(&ledger.cancelled), "{id}");
        assert!(count(&ledger.rejected) <= 1, "{id}");
        if count(&ledger.rejected) == 1 {
            assert_eq!(b.status, BookingStatus::Rejected, "{id}");
        }
    }

    // At most one booking per invitation was ever accepted, and then none of the others is
    // still waiting.
    for group in &ledger.groups {
        let members: Vec<&WebcamBooking> = group.iter().map(|id| by_id[id]).collect();
        let accepted = members.iter().filter(|b| b.accepted_date.is_some()).count();
        assert!(
            accepted <= 1,
            "group {group:?} has {accepted} accepted bookings"
        );
        if accepted == 1 {
            assert!(
                members.iter().all(|b| b.status != BookingStatus::Pending),
                "group {group:?}: a booking is still Pending after another was accepted"
            );
        }
        let multiple = group.len() > 1;
        assert!(
            members.iter().all(|b| b.is_multiple == multiple),
            "{group:?}"
        );
    }
    let created_webcam = ledger.answers.get(&("create", 200)).copied().unwrap_or(0);
    eprintln!(
        "load: {total} requests from {clients} clients; {} webcam bookings ({created_webcam} creates, {} reschedules), {} phone chats; answers {:?}",
        stored.len(),
        ledger
            .answers
            .get(&("reschedule", 200))
            .copied()
            .unwrap_or(0),
        phone.len(),
        ledger.answers,
    );
    sandbox.shutdown().await.unwrap();
}

/// The first-to-accept race, in process: three threads accept the three bookings of one
/// invitation at the same moment, 1,000 invitations in one sandbox. Exactly one accept wins
/// each time; the other two are refused, and end Cancelled naming the winner.
#[test]
fn the_first_to_accept_race_has_exactly_one_winner_a_thousand_times() {
    let trials = from_env("SANDBOX_RACE_TRIALS", 1_000);
    let now = at("2018-01-01 11:00");
    let state = SandboxState::new(SandboxData::default(), Clock::fixed(now));
    let body: adultwork::types::CreateWebcamBookingRequest = serde_json::from_value(with(
        webcam_sample(),
        json!({ "BookUserIDs": "123456,123457,123459", "AlsoPhoneChat": null, "PhoneNumber": null }),
    ))
    .unwrap();
    let invitations: Vec<Vec<i64>> = (0..trials)
        .map(|_| {
            let results = state.create_webcam_booking(100_001, &body).unwrap();
            results.iter().map(|r| r.booking_id.unwrap()).collect()
        })
        .collect();
    let barrier = Barrier::new(3);
    let outcomes: Vec<Vec<bool>> = std::thread::scope(|s| {
        let racers: Vec<_> = (0..3)
            .map(|seat| {
                let (state, barrier, invitations) = (&state, &barrier, &invitations);
                s.spawn(move || {
                    invitations
                        .iter()
                        .map(|ids| {
                            barrier.wait();
                            state
                                .webcam_transition(ids[seat], &Transition::Accept)
                                .is_ok()
                        })
                        .collect::<Vec<bool>>()
                })
            })
            .collect();
        racers.into_iter().map(|r| r.join().unwrap()).collect()
    });
    let mut wins_by_seat = [0usize; 3];
    for (trial, ids) in invitations.iter().enumerate() {
        let won: Vec<usize> = (0..3).filter(|&seat| outcomes[seat][trial]).collect();
        assert_eq!(won.len(), 1, "trial {trial}: winners {won:?}");
        wins_by_seat[won[0]] += 1;
        let winner = state.any_webcam_booking(ids[won[0]]).unwrap();
        assert_eq!(winner.status, BookingStatus::Accepted);
        for (seat, id) in ids.iter().enumerate() {
            if seat == won[0] {
                continue;
            }
            let loser = state.any_webcam_booking(*id).unwrap();
            assert_eq!(loser.status, BookingStatus::Cancelled, "trial {trial}");
            assert!(loser.accepted_date.is_none());
            assert_eq!(
                loser.cancelled_reason.as_deref(),
                Some(
                    format!(
                        "Another invited user ({}) accepted the booking first.",
                        winner.performer.nickname
                    )
                    .as_str()
                )
            );
        }
    }
    assert_eq!(wins_by_seat.iter().sum::<usize>(), trials);
    eprintln!("race: {trials} trials, wins by seat {wins_by_seat:?}");
}
