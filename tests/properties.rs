//! Property tests: hostile input never panics; request bodies round-trip through JSON and
//! response bodies through DataContract XML; validation accepts every valid input and blames
//! the right field for every single-rule mutation.
//!
//! Case counts are modest so CI stays fast (256 per property); `PROPTEST_CASES` raises them:
//! `PROPTEST_CASES=100000 cargo test --release -p adultwork --test properties` (see
//! `RELIABILITY.md`).

mod common;

use std::num::{NonZeroU32, NonZeroU64};

use adultwork::types::{
    CancelWebcamBookingRequest, CreatePhoneChatBookingRequest, CreateWebcamBookingRequest,
    PhoneChatBooking, PhoneChatBookingUser, RescheduleWebcamBookingRequest, WebcamBooking,
    WebcamBookingPerformer, WebcamBookingResult,
};
use adultwork::{
    BookingStatus, Credits, Decimal, MinuteDateTime, NewPhoneChatBooking, NewWebcamBooking,
    PhoneChatMethod, SoftwareType, Timestamp, WebcamBookingOutcome, validate, xml,
};
use chrono::{FixedOffset, Months, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};
use proptest::prelude::*;

const OPERATIONS: [&str; 6] = [
    "create_webcam_booking",
    "get_made_webcam_booking_details",
    "get_group_made_webcam_booking_details",
    "cancel_made_webcam_booking",
    "reschedule_made_webcam_booking",
    "create_phone_chat_booking",
];

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(256),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Golden and docs XML bodies, the seeds for mutation.
fn xml_seeds() -> Vec<Vec<u8>> {
    let mut seeds: Vec<Vec<u8>> = [
        "create_results.compact.xml",
        "webcam_booking_made.compact.xml",
        "webcam_booking_received.xml",
        "webcam_booking_datetimes.compact.xml",
        "phonechat_booking.compact.xml",
        "phonechat_booking.writeobject_stream.xml",
    ]
    .into_iter()
    .map(common::golden)
    .collect();
    seeds.push(common::docs("create_phone_chat_booking.response.xml"));
    seeds.push(common::docs("made_webcam_booking_details.response.xml"));
    seeds
}

/// Decodes with every operation's description, then into the generated types; must not panic.
fn decode_everywhere(body: &[u8]) {
    use adultwork::types::{PhoneChatBooking, WebcamBooking, WebcamBookingResult};
    for id in OPERATIONS {
        let op = adultwork::Operation::from_id(id).unwrap().xml();
        let within = |e: xml::XmlError| {
            assert!(
                e.position as usize <= body.len(),
                "position {} past the end",
                e.position
            )
        };
        let _ = xml::from_slice::<serde_json::Value>(op, body).map_err(within);
        let _ = xml::from_slice::<Vec<WebcamBookingResult>>(op, body).map_err(within);
        let _ = xml::from_slice::<WebcamBooking>(op, body).map_err(within);
        let _ = xml::from_slice::<PhoneChatBooking>(op, body).map_err(within);
    }
}

/// A mutation of an XML seed: cut it, splice bytes or markup into it, or drop a range.
fn mutated_xml() -> impl Strategy<Value = Vec<u8>> {
    let fragments = prop::sample::select(vec![
        "<",
        ">",
        "</",
        "/>",
        "&",
        "&amp;",
        "&#",
        "&#x110000;",
        "&#0;",
        "&lol;",
        "<![CDATA[",
        "]]>",
        "<!DOCTYPE x [<!ENTITY a \"b\">]>",
        "<?pi?>",
        "<!--",
        "-->",
        " i:nil=\"true\"",
        " i:isnil=\"1\"",
        " xmlns=\"\"",
        " xmlns:i=\"urn:x\"",
        "\u{feff}",
        "\0",
        "\u{fffd}",
        "<Client>",
        "</Client>",
        "<Performer/>",
        "<Credits>1e400</Credits>",
        "<Duration>99999999999</Duration>",
        "<AcceptBy>9999-12-31T23:59:59.9999999-14:00</AcceptBy>",
        "\"",
        "'",
        "=",
    ]);
    (
        prop::sample::select(xml_seeds()),
        any::<prop::sample::Index>(),
        any::<prop::sample::Index>(),
        prop_oneof![
            Just(Vec::new()),
            fragments.prop_map(|f| f.as_bytes().to_vec()),
            prop::collection::vec(any::<u8>(), 1..8),
        ],
    )
        .prop_map(|(seed, a, b, insert)| {
            let (i, j) = (a.index(seed.len() + 1), b.index(seed.len() + 1));
            let (lo, hi) = (i.min(j), i.max(j));
            let mut out = seed[..lo].to_vec();
            out.extend_from_slice(&insert);
            // Half the time drop the range, half the time keep it after the insertion.
            if (hi - lo) % 2 == 0 {
                out.extend_from_slice(&seed[lo..]);
            } else {
                out.extend_from_slice(&seed[hi..]);
            }
            out
        })
}

/// Valid calendar date-times from year 1 to 9999, at 100 ns resolution (.NET ticks).
fn naive_ticks() -> impl Strategy<Value = NaiveDateTime> {
    (1i32..=9999, 1u32..=366, 0u32..86_400, 0u32..10_000_000).prop_map(
        |(y, ordinal, secs, ticks)| {
            let date = NaiveDate::from_yo_opt(y, ordinal)
                .unwrap_or_else(|| NaiveDate::from_yo_opt(y, 365).unwrap());
            date.and_time(NaiveTime::from_num_seconds_from_midnight_opt(secs, ticks * 100).unwrap())
        },
    )
}

/// Drops fractional digits so that exactly `digits` (0–7) remain significant at most.
fn truncate_fraction(t: NaiveDateTime, digits: u32) -> NaiveDateTime {
    let unit = 10u32.pow(9 - digits);
    let nanos = chrono::Timelike::nanosecond(&t) / unit * unit;
    chrono::Timelike::with_nanosecond(&t, nanos).unwrap()
}

fn offset() -> impl Strategy<Value = Option<FixedOffset>> {
    prop_oneof![
        Just(None),
        (-14 * 60..=14 * 60i32).prop_map(|minutes| FixedOffset::east_opt(minutes * 60)),
    ]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn xml_decode_of_any_bytes_never_panics(body in prop::collection::vec(any::<u8>(), 0..512)) {
        decode_everywhere(&body);
    }

    #[test]
    fn xml_decode_of_mutated_real_bodies_never_panics(body in mutated_xml()) {
        decode_everywhere(&body);
    }

    #[test]
    fn timestamp_from_str_never_panics(s in "\\PC{0,40}") {
        if let Ok(t) = s.parse::<Timestamp>() {
            let _ = t.to_utc();
            let _ = t.to_string();
        }
    }

    #[test]
    fn timestamp_from_near_miss_strings_never_panics(
        s in "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{0,9})?)?(Z|[+-][0-9]{2}:[0-9]{2}|[+-][0-9]{1,4})?"
    ) {
        if let Ok(t) = s.parse::<Timestamp>() {
            // Whatever parses displays as something that parses back to the same value.
            prop_assert_eq!(t.to_string().parse::<Timestamp>().unwrap(), t);
            let _ = t.to_utc();
        }
    }

    #[test]
    fn minute_date_time_from_str_never_panics(s in "\\PC{0,24}|[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}") {
        if let Ok(t) = s.parse::<MinuteDateTime>() {
            prop_assert_eq!(t.to_string(), s);
        }
    }

    #[test]
    fn credits_from_any_json_never_panics(s in "\\PC{0,40}|-?[0-9]{1,40}(\\.[0-9]{0,40})?([eE][+-]?[0-9]{1,4})?") {
        let _ = serde_json::from_str::<Credits>(&s);
        let _ = s.parse::<Credits>();
    }

    #[test]
    fn credits_from_any_f64_never_panics(v in any::<f64>()) {
        if let Ok(json) = serde_json::to_string(&v) {
            let _ = serde_json::from_str::<Credits>(&json);
        }
    }

    #[test]
    fn timestamp_display_then_parse_round_trips(
        naive in naive_ticks(),
        digits in 0u32..=7,
        offset in offset(),
    ) {
        let naive = truncate_fraction(naive, digits);
        let t = match offset {
            None => Timestamp::from_naive(naive),
            Some(o) => Timestamp::with_offset(naive, o),
        };
        let text = t.to_string();
        let back: Timestamp = text.parse().map_err(|e| TestCaseError::fail(format!("{text}: {e}")))?;
        prop_assert_eq!(back, t, "{}", text);
        prop_assert_eq!(back.naive(), naive);
        prop_assert_eq!(back.offset(), offset);
        // What .NET writes: seconds always, at most seven fractional digits, no trailing zero.
        prop_assert_eq!(&text[16..17], ":");
        if let Some(dot) = text.find('.') {
            let frac: String = text[dot + 1..].chars().take_while(char::is_ascii_digit).collect();
            prop_assert!(!frac.is_empty() && frac.len() as u32 <= digits && !frac.ends_with('0'), "{}", text);
        }
        prop_assert_eq!(back.to_utc().is_some(), offset.is_some());
    }

    #[test]
    fn minute_date_time_round_trips(naive in naive_ticks()) {
        let t = MinuteDateTime::from(naive);
        let text = t.to_string();
        prop_assert_eq!(text.len(), 16);
        let back: MinuteDateTime = text.parse().unwrap();
        prop_assert_eq!(back, t);
        prop_assert_eq!(chrono::Timelike::second(&back.naive()), 0);
        prop_assert_eq!(back.naive().format("%Y-%m-%d %H:%M").to_string(), naive.format("%Y-%m-%d %H:%M").to_string());
        // And through JSON, as a request body writes it.
        let json = serde_json::to_string(&t).unwrap();
        prop_assert_eq!(serde_json::from_str::<MinuteDateTime>(&json).unwrap(), t);
    }

    #[test]
    fn credits_json_round_trip_is_exact(mantissa in -999_999_999_999_999i64..=999_999_999_999_999, scale in 0u32..=4) {
        let credits = Credits::new(Decimal::new(mantissa, scale));
        let json = serde_json::to_string(&credits).unwrap();
        let back: Credits = serde_json::from_str(&json).map_err(|e| TestCaseError::fail(format!("{json}: {e}")))?;
        prop_assert_eq!(back, credits, "{}", json);
        prop_assert_eq!(back.amount(), credits.amount());
        // JSON writes the amount, not a float artefact.
        prop_assert!(!json.contains(['e', 'E']), "{}", json);
    }

    #[test]
    fn credits_xml_text_round_trips_with_its_scale(mantissa in -999_999_999_999_999i64..=999_999_999_999_999, scale in 0u32..=4) {
        let d = Decimal::new(mantissa, scale);
        let text = d.to_string();
        let credits: Credits = text.parse().unwrap();
        prop_assert_eq!(credits.to_string(), text.clone());
        // The XML decoder hands the text on as a JSON string.
        let from_xml: Credits = serde_json::from_value(serde_json::Value::String(text)).unwrap();
        prop_assert_eq!(from_xml, credits);
    }
}

// ---------------------------------------------------------------------------------------------
// Round trips: request bodies through JSON, response bodies through DataContract XML
// ---------------------------------------------------------------------------------------------

/// Credits with up to 15 significant digits and up to 4 decimal places (the API's scale),
/// the amounts a JSON number carries exactly.
fn credits() -> impl Strategy<Value = Credits> {
    (-999_999_999_999_999i64..=999_999_999_999_999, 0u32..=4)
        .prop_map(|(m, scale)| Credits::new(Decimal::new(m, scale)))
}

fn positive_credits() -> impl Strategy<Value = Credits> {
    (1i64..=999_999_999_999_999, 0u32..=4)
        .prop_map(|(m, scale)| Credits::new(Decimal::new(m, scale)))
}

/// Any software type, documented or not.
fn software() -> impl Strategy<Value = SoftwareType> {
    prop_oneof![
        prop::sample::select(SoftwareType::ALL.to_vec()),
        any::<i64>().prop_map(SoftwareType::from_code),
    ]
}

fn method() -> impl Strategy<Value = PhoneChatMethod> {
    prop_oneof![
        prop::sample::select(PhoneChatMethod::ALL.to_vec()),
        any::<i64>().prop_map(PhoneChatMethod::from_code),
    ]
}

fn outcome() -> impl Strategy<Value = WebcamBookingOutcome> {
    prop_oneof![
        prop::sample::select(WebcamBookingOutcome::ALL.to_vec()),
        any::<i64>().prop_map(WebcamBookingOutcome::from_code),
    ]
}

fn status() -> impl Strategy<Value = BookingStatus> {
    prop_oneof![
        prop::sample::select(BookingStatus::ALL.to_vec()),
        "[A-Za-z ]{0,12}".prop_map(|s| s.parse::<BookingStatus>().unwrap()),
    ]
}

/// Text that XML 1.0 can carry, without carriage returns (which XML line-break handling
/// turns into `\n`; a property of its own covers them).
fn text() -> impl Strategy<Value = String> {
    "[\t\n\u{20}-\u{D7FF}\u{E000}-\u{FFFD}\u{10000}-\u{10FFFF}]{0,24}"
}

fn non_empty_text() -> impl Strategy<Value = String> {
    "[\t\n\u{20}-\u{D7FF}\u{E000}-\u{FFFD}\u{10000}-\u{10FFFF}]{1,24}"
}

fn minute() -> impl Strategy<Value = MinuteDateTime> {
    naive_ticks().prop_map(MinuteDateTime::from)
}

fn timestamp() -> impl Strategy<Value = Timestamp> {
    (naive_ticks(), 0u32..=7, offset()).prop_map(|(naive, digits, offset)| {
        let naive = truncate_fraction(naive, digits);
        match offset {
            None => Timestamp::from_naive(naive),
            Some(o) => Timestamp::with_offset(naive, o),
        }
    })
}

fn create_webcam_request() -> impl Strategy<Value = CreateWebcamBookingRequest> {
    (
        prop::collection::vec(1u64..=u64::MAX / 2, 1..=4),
        minute(),
        any::<NonZeroU32>(),
        credits(),
        software(),
        non_empty_text(),
        any::<Option<bool>>(),
        prop::option::of(non_empty_text()),
        any::<Option<bool>>(),
    )
        .prop_map(
            |(ids, session, duration, credits, software, sign_in, also, phone, sms)| {
                let ids: Vec<String> = ids.iter().map(u64::to_string).collect();
                CreateWebcamBookingRequest {
                    book_user_ids: ids.join(",").parse().unwrap(),
                    session_date: session,
                    duration,
                    credits,
                    software_type_id: software,
                    sign_in_name_or_email: sign_in.parse().unwrap(),
                    also_phone_chat: also,
                    phone_number: phone.map(|p| p.parse().unwrap()),
                    send_sms_on_accept: sms,
                }
            },
        )
}

fn create_phone_chat_request() -> impl Strategy<Value = CreatePhoneChatBookingRequest> {
    (
        any::<NonZeroU64>(),
        minute(),
        minute(),
        any::<i32>(),
        method(),
        credits(),
        prop::option::of("[0-9]{10,11}"),
        prop::option::of(non_empty_text()),
        prop::option::of(text()),
    )
        .prop_map(
            |(user, session, accept_by, duration, method, credits, phone, skype, comments)| {
                CreatePhoneChatBookingRequest {
                    book_user_id: user,
                    session_date: session,
                    accept_by,
                    duration,
                    method,
                    credits,
                    phone_number: phone.map(|p| p.parse().unwrap()),
                    skype_name: skype.map(|s| s.parse().unwrap()),
                    comments,
                }
            },
        )
}

fn performer() -> impl Strategy<Value = WebcamBookingPerformer> {
    (
        any::<i64>(),
        text(),
        prop::option::of(text()),
        prop::option::of(text()),
        any::<[i32; 6]>(),
    )
        .prop_map(
            |(user_id, nickname, sign_in, phone, f)| WebcamBookingPerformer {
                user_id,
                nickname,
                sign_in_name_or_email: sign_in,
                phone_number: phone,
                total: f[0],
                positive: f[1],
                neutral: f[2],
                negative: f[3],
                ratings: f[4],
                disputes: f[5],
            },
        )
}

/// The dates and texts every booking has: create, session, accept-by, accepted, confirmed,
/// cancelled, last updated; cancelled reason, cancelled by, rejected reason.
type Life = ([Timestamp; 3], [Option<Timestamp>; 4], [Option<String>; 3]);

fn life() -> impl Strategy<Value = Life> {
    (
        [timestamp(), timestamp(), timestamp()],
        [
            prop::option::of(timestamp()),
            prop::option::of(timestamp()),
            prop::option::of(timestamp()),
            prop::option::of(timestamp()),
        ],
        [
            prop::option::of(text()),
            prop::option::of(text()),
            prop::option::of(text()),
        ],
    )
}

fn webcam_booking() -> impl Strategy<Value = WebcamBooking> {
    (
        (any::<i64>(), any::<i32>(), credits(), status(), software()),
        (any::<bool>(), any::<bool>(), text()),
        life(),
        performer(),
    )
        .prop_map(
            |(
                (id, duration, credits, status, software),
                (multiple, also, sign_in),
                l,
                performer,
            )| {
                let (
                    [create, session, accept_by],
                    [accepted, confirmed, cancelled, updated],
                    [reason, by, rejected],
                ) = l;
                WebcamBooking {
                    webcam_booking_id: id,
                    duration,
                    credits,
                    status,
                    is_multiple: multiple,
                    software_type_id: software,
                    sign_in_name_or_email: sign_in,
                    also_phone_chat: also,
                    create_date: create,
                    session_date: session,
                    accept_by,
                    accepted_date: accepted,
                    confirmed_date: confirmed,
                    cancelled_date: cancelled,
                    cancelled_reason: reason,
                    cancelled_by: by,
                    rejected_reason: rejected,
                    last_updated: updated,
                    performer,
                }
            },
        )
}

fn webcam_results() -> impl Strategy<Value = Vec<WebcamBookingResult>> {
    prop::collection::vec(
        (
            any::<i64>(),
            any::<Option<i64>>(),
            any::<bool>(),
            outcome(),
            text(),
        )
            .prop_map(|(user_id, booking_id, also, status, description)| {
                WebcamBookingResult {
                    user_id,
                    booking_id,
                    also_phone_chat: also,
                    status,
                    status_description: description,
                }
            }),
        0..5,
    )
}

fn phone_chat_booking() -> impl Strategy<Value = PhoneChatBooking> {
    (
        (any::<i64>(), any::<i32>(), credits(), status(), method()),
        (
            prop::option::of(text()),
            prop::option::of(text()),
            prop::option::of(text()),
            prop::option::of(text()),
        ),
        life(),
        (performer(), prop::option::of(text())),
    )
        .prop_map(
            |(
                (id, duration, credits, status, method),
                (phone, skype, comments, action),
                l,
                (p, skype_of),
            )| {
                let (
                    [create, session, accept_by],
                    [accepted, confirmed, cancelled, updated],
                    [reason, by, rejected],
                ) = l;
                PhoneChatBooking {
                    booking_id: id,
                    duration,
                    credits,
                    status,
                    method,
                    phone_number: phone,
                    skype_name: skype,
                    create_date: create,
                    session_date: session,
                    accept_by,
                    accepted_date: accepted,
                    confirmed_date: confirmed,
                    cancelled_date: cancelled,
                    cancelled_reason: reason,
                    cancelled_by: by,
                    rejected_reason: rejected,
                    last_updated: updated,
                    comments,
                    action_client: action,
                    candidate: PhoneChatBookingUser {
                        user_id: p.user_id,
                        nickname: p.nickname,
                        phone_number: p.phone_number,
                        skype_name: skype_of,
                        total: p.total,
                        positive: p.positive,
                        neutral: p.neutral,
                        negative: p.negative,
                        ratings: p.ratings,
                        disputes: p.disputes,
                    },
                }
            },
        )
}

/// `value` through JSON text and back.
fn json_round_trip<T>(value: &T) -> Result<T, TestCaseError>
where
    T: serde::Serialize + serde::de::DeserializeOwned,
{
    let text = serde_json::to_string(value).map_err(|e| TestCaseError::fail(e.to_string()))?;
    serde_json::from_str(&text).map_err(|e| TestCaseError::fail(format!("{e}: {text}")))
}

/// `value` written as `operation`'s DataContract XML, then decoded as the SDK decodes an
/// answer.
fn xml_round_trip<T>(operation: &str, value: &T) -> Result<T, TestCaseError>
where
    T: serde::Serialize + serde::de::DeserializeOwned,
{
    let op = adultwork::Operation::from_id(operation).unwrap().xml();
    let text = xml::to_string(op, value).map_err(|e| TestCaseError::fail(e.to_string()))?;
    xml::from_slice(op, text.as_bytes()).map_err(|e| TestCaseError::fail(format!("{e}: {text}")))
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn create_webcam_request_json_round_trips(req in create_webcam_request()) {
        prop_assert_eq!(json_round_trip(&req)?, req.clone());
        // On the wire: the API's names, minute dates, the IDs as one string.
        let v = serde_json::to_value(&req).unwrap();
        prop_assert_eq!(&v["SessionDate"], &serde_json::Value::from(req.session_date.to_string()));
        prop_assert_eq!(&v["BookUserIDs"], &serde_json::Value::from(req.book_user_ids.to_string()));
        prop_assert_eq!(v.get("AlsoPhoneChat").is_some(), req.also_phone_chat.is_some());
    }

    #[test]
    fn create_phone_chat_request_json_round_trips(req in create_phone_chat_request()) {
        prop_assert_eq!(json_round_trip(&req)?, req.clone());
        let v = serde_json::to_value(&req).unwrap();
        prop_assert_eq!(&v["AcceptBy"], &serde_json::Value::from(req.accept_by.to_string()));
        prop_assert_eq!(&v["Method"], &serde_json::Value::from(req.method.code()));
    }

    #[test]
    fn cancel_and_reschedule_requests_json_round_trip(id in any::<NonZeroU64>(), reason in non_empty_text()) {
        let cancel = CancelWebcamBookingRequest { booking_id: id, reason: reason.parse().unwrap() };
        prop_assert_eq!(json_round_trip(&cancel)?, cancel);
        let reschedule = RescheduleWebcamBookingRequest { booking_id: id };
        prop_assert_eq!(json_round_trip(&reschedule)?, reschedule);
    }

    #[test]
    fn webcam_booking_xml_round_trips_for_every_operation_that_answers_one(b in webcam_booking()) {
        for op in [
            "get_made_webcam_booking_details",
            "get_group_made_webcam_booking_details",
            "cancel_made_webcam_booking",
            "reschedule_made_webcam_booking",
        ] {
            prop_assert_eq!(xml_round_trip(op, &b)?, b.clone(), "{}", op);
        }
    }

    #[test]
    fn webcam_results_xml_round_trip(results in webcam_results()) {
        prop_assert_eq!(xml_round_trip("create_webcam_booking", &results)?, results);
    }

    #[test]
    fn phone_chat_booking_xml_round_trips(b in phone_chat_booking()) {
        prop_assert_eq!(xml_round_trip("create_phone_chat_booking", &b)?, b);
    }

    #[test]
    fn xml_line_breaks_come_back_as_newlines(s in "[\r\n a-z]{0,16}") {
        // The API's XmlWriter writes every line break as CRLF, which XML readers read as LF.
        let results = vec![WebcamBookingResult {
            user_id: 1,
            booking_id: None,
            also_phone_chat: false,
            status: WebcamBookingOutcome::Success,
            status_description: s.clone(),
        }];
        let back = xml_round_trip("create_webcam_booking", &results)?;
        prop_assert_eq!(&back[0].status_description, &s.replace("\r\n", "\n").replace('\r', "\n"));
    }
}

// ---------------------------------------------------------------------------------------------
// Validation: every valid input passes; one mutation fails, naming the mutated field
// ---------------------------------------------------------------------------------------------

/// A "now" between 2000 and 2099, to the second.
fn now() -> impl Strategy<Value = NaiveDateTime> {
    (2000i32..=2099, 1u32..=365, 0u32..86_400).prop_map(|(y, ordinal, secs)| {
        NaiveDate::from_yo_opt(y, ordinal)
            .unwrap()
            .and_time(NaiveTime::from_num_seconds_from_midnight_opt(secs, 0).unwrap())
    })
}

/// `now` cut to the minute: the latest minute that is not after `now`.
fn floor_minute(now: NaiveDateTime) -> NaiveDateTime {
    MinuteDateTime::from(now).naive()
}

/// The minute at `index` among those in `(now, now + 3 months]`: a valid webcam session.
fn webcam_session(now: NaiveDateTime, index: prop::sample::Index) -> NaiveDateTime {
    let latest = now + Months::new(validate::WEBCAM_MAX_MONTHS_AHEAD);
    let minutes = (latest - floor_minute(now)).num_minutes();
    floor_minute(now) + TimeDelta::minutes(1 + index.index(minutes as usize) as i64)
}

fn email() -> impl Strategy<Value = String> {
    "[a-z0-9._]{1,10}@[a-z0-9]{1,10}(\\.[a-z]{2,5}){1,2}"
}

/// A webcam booking valid at `now` (returned alongside it).
fn valid_webcam() -> impl Strategy<Value = (NaiveDateTime, NewWebcamBooking)> {
    (
        now(),
        any::<prop::sample::Index>(),
        prop::collection::vec(1i64..=i64::MAX, 1..=4),
        1u32..=10_000,
        positive_credits(),
        prop::sample::select(SoftwareType::ALL.to_vec()),
        ("[A-Za-z0-9.]{1,20}", email()),
        any::<bool>(),
        prop::option::of("[0-9+ ]{1,15}"),
        any::<bool>(),
    )
        .prop_map(
            |(now, at, users, duration, credits, software, (name, email), also, phone, sms)| {
                let sign_in = if software == SoftwareType::MsnMessenger {
                    email
                } else {
                    name
                };
                let mut b = NewWebcamBooking::new(
                    users,
                    webcam_session(now, at),
                    duration,
                    credits,
                    software,
                    sign_in,
                )
                .also_phone_chat(also)
                .send_sms_on_accept(sms);
                b.phone_number = phone;
                if also && b.phone_number.is_none() {
                    b.phone_number = Some("0123456789".into());
                }
                (now, b)
            },
        )
}

/// What the SDK says about a webcam booking at `now`: `Ok`, or the field it names.
fn webcam_verdict(b: NewWebcamBooking, now: NaiveDateTime) -> Result<(), &'static str> {
    let wire: CreateWebcamBookingRequest = adultwork::IntoWire::into_wire(b).map_err(field)?;
    validate::webcam_booking(&wire, now).map_err(|v| v.field)
}

fn field(e: adultwork::Error) -> &'static str {
    match e {
        adultwork::Error::Validation(v) => v.field,
        other => panic!("not a validation error: {other:?}"),
    }
}

/// One change that breaks exactly one documented rule, and the field it must be blamed on.
#[derive(Debug, Clone)]
enum WebcamMutation {
    NoUsers,
    FiveUsers,
    UserNotPositive(prop::sample::Index, i64),
    ZeroDuration,
    SessionNotInFuture(u32),
    SessionTooFarAhead(u32),
    CreditsNotPositive(i64),
    UnknownSoftware(i64),
    MsnWithoutEmail(String),
    PhoneChatWithoutPhone,
}

fn webcam_mutation() -> impl Strategy<Value = WebcamMutation> {
    use WebcamMutation::*;
    prop_oneof![
        Just(NoUsers),
        Just(FiveUsers),
        (any::<prop::sample::Index>(), i64::MIN..=0).prop_map(|(i, id)| UserNotPositive(i, id)),
        Just(ZeroDuration),
        (0u32..=500_000).prop_map(SessionNotInFuture),
        (1u32..=500_000).prop_map(SessionTooFarAhead),
        (-999_999_999i64..=0).prop_map(CreditsNotPositive),
        any::<i64>()
            .prop_filter("undocumented", |c| !(1..=3).contains(c))
            .prop_map(UnknownSoftware),
        "[A-Za-z0-9. ]{1,20}".prop_map(MsnWithoutEmail),
        Just(PhoneChatWithoutPhone),
    ]
}

impl WebcamMutation {
    /// Applies the mutation to a valid booking; returns the field that must be named.
    fn apply(&self, b: &mut NewWebcamBooking, now: NaiveDateTime) -> &'static str {
        use WebcamMutation::*;
        match self {
            NoUsers => {
                b.users.clear();
                "BookUserIDs"
            }
            FiveUsers => {
                b.users = vec![1, 2, 3, 4, 5];
                "BookUserIDs"
            }
            UserNotPositive(i, id) => {
                let i = i.index(b.users.len());
                b.users[i] = *id;
                "BookUserIDs"
            }
            ZeroDuration => {
                b.duration_minutes = 0;
                "Duration"
            }
            SessionNotInFuture(back) => {
                b.session_date = (floor_minute(now) - TimeDelta::minutes(i64::from(*back))).into();
                "SessionDate"
            }
            SessionTooFarAhead(minutes) => {
                let latest = now + Months::new(validate::WEBCAM_MAX_MONTHS_AHEAD);
                b.session_date =
                    (floor_minute(latest) + TimeDelta::minutes(i64::from(*minutes))).into();
                "SessionDate"
            }
            CreditsNotPositive(m) => {
                b.credits = Credits::new(Decimal::new(*m, 2));
                "Credits"
            }
            UnknownSoftware(code) => {
                b.software = SoftwareType::from_code(*code);
                "SoftwareTypeID"
            }
            MsnWithoutEmail(name) => {
                b.software = SoftwareType::MsnMessenger;
                b.sign_in_name_or_email = name.clone();
                "SignInNameOrEmail"
            }
            PhoneChatWithoutPhone => {
                b.also_phone_chat = true;
                b.phone_number = None;
                "PhoneNumber"
            }
        }
    }
}

/// A phone-chat booking valid at `now`.
fn valid_phone_chat() -> impl Strategy<Value = (NaiveDateTime, NewPhoneChatBooking)> {
    (
        now(),
        (1u32..=200_000, 1u32..=200_000),
        (1i64..=i64::MAX, 5i32..=i32::MAX, positive_credits()),
        prop::sample::select(PhoneChatMethod::ALL.to_vec()),
        (
            prop::option::of("[0-9]{10,11}"),
            prop::option::of("[A-Za-z0-9._]{1,20}"),
        ),
        prop::option::of(text()),
    )
        .prop_map(
            |(
                now,
                (to_accept, to_session),
                (user, duration, credits),
                method,
                (phone, skype),
                comments,
            )| {
                let accept_by = floor_minute(now) + TimeDelta::minutes(i64::from(to_accept));
                let session = accept_by + TimeDelta::minutes(i64::from(to_session));
                let mut b =
                    NewPhoneChatBooking::new(user, session, accept_by, duration, method, credits);
                b.phone_number = phone;
                b.skype_name = skype;
                b.comments = comments;
                match method {
                    PhoneChatMethod::CallMe if b.phone_number.is_none() => {
                        b.phone_number = Some("01234567890".into())
                    }
                    PhoneChatMethod::Skype if b.skype_name.is_none() => {
                        b.skype_name = Some("me.on.skype".into())
                    }
                    _ => {}
                }
                (now, b)
            },
        )
}

fn phone_chat_verdict(b: NewPhoneChatBooking, now: NaiveDateTime) -> Result<(), &'static str> {
    let wire: CreatePhoneChatBookingRequest = adultwork::IntoWire::into_wire(b).map_err(field)?;
    validate::phone_chat_booking(&wire, now).map_err(|v| v.field)
}

#[derive(Debug, Clone)]
enum PhoneChatMutation {
    UserNotPositive(i64),
    ShortDuration(i32),
    UnknownMethod(i64),
    CallMeWithoutPhone,
    PhoneNotTenOrElevenDigits(String),
    SkypeWithoutName,
    SessionNotInFuture(u32),
    AcceptByNotInFuture(u32),
    AcceptByNotBeforeSession(u32),
    CreditsNotPositive(i64),
}

fn phone_chat_mutation() -> impl Strategy<Value = PhoneChatMutation> {
    use PhoneChatMutation::*;
    prop_oneof![
        (i64::MIN..=0).prop_map(UserNotPositive),
        (i32::MIN..5).prop_map(ShortDuration),
        any::<i64>()
            .prop_filter("undocumented", |c| !(1..=3).contains(c))
            .prop_map(UnknownMethod),
        Just(CallMeWithoutPhone),
        prop_oneof!["[0-9]{0,9}", "[0-9]{12,20}", "[0-9]{4}[^0-9][0-9]{5,6}"]
            .prop_map(PhoneNotTenOrElevenDigits),
        Just(SkypeWithoutName),
        (0u32..=500_000).prop_map(SessionNotInFuture),
        (0u32..=500_000).prop_map(AcceptByNotInFuture),
        (0u32..=500_000).prop_map(AcceptByNotBeforeSession),
        (-999_999_999i64..=0).prop_map(CreditsNotPositive),
    ]
}

impl PhoneChatMutation {
    fn apply(&self, b: &mut NewPhoneChatBooking, now: NaiveDateTime) -> &'static str {
        use PhoneChatMutation::*;
        let past = |back: &u32| {
            MinuteDateTime::from(floor_minute(now) - TimeDelta::minutes(i64::from(*back)))
        };
        match self {
            UserNotPositive(id) => {
                b.user = *id;
                "BookUserID"
            }
            ShortDuration(d) => {
                b.duration_minutes = *d;
                "Duration"
            }
            UnknownMethod(code) => {
                b.method = PhoneChatMethod::from_code(*code);
                "Method"
            }
            CallMeWithoutPhone => {
                b.method = PhoneChatMethod::CallMe;
                b.phone_number = None;
                "PhoneNumber"
            }
            PhoneNotTenOrElevenDigits(n) => {
                // The digits rule holds for Method 1 only ("otherwise this is not used").
                b.method = PhoneChatMethod::CallMe;
                b.phone_number = Some(n.clone());
                "PhoneNumber"
            }
            SkypeWithoutName => {
                b.method = PhoneChatMethod::Skype;
                b.skype_name = None;
                "SkypeName"
            }
            SessionNotInFuture(back) => {
                b.session_date = past(back);
                "SessionDate"
            }
            AcceptByNotInFuture(back) => {
                b.accept_by = past(back);
                "AcceptBy"
            }
            AcceptByNotBeforeSession(after) => {
                b.accept_by =
                    (b.session_date.naive() + TimeDelta::minutes(i64::from(*after))).into();
                "AcceptBy"
            }
            CreditsNotPositive(m) => {
                b.credits = Credits::new(Decimal::new(*m, 2));
                "Credits"
            }
        }
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn every_valid_webcam_booking_is_accepted((now, b) in valid_webcam()) {
        prop_assert_eq!(webcam_verdict(b.clone(), now), Ok(()), "{:?} at {}", b, now);
    }

    #[test]
    fn one_mutation_makes_a_webcam_booking_invalid_and_is_named(
        (now, b) in valid_webcam(),
        mutation in webcam_mutation(),
    ) {
        let mut bad = b;
        let expected = mutation.apply(&mut bad, now);
        prop_assert_eq!(webcam_verdict(bad.clone(), now), Err(expected), "{:?}: {:?} at {}", mutation, bad, now);
    }

    #[test]
    fn every_valid_phone_chat_booking_is_accepted((now, b) in valid_phone_chat()) {
        prop_assert_eq!(phone_chat_verdict(b.clone(), now), Ok(()), "{:?} at {}", b, now);
    }

    #[test]
    fn one_mutation_makes_a_phone_chat_booking_invalid_and_is_named(
        (now, b) in valid_phone_chat(),
        mutation in phone_chat_mutation(),
    ) {
        let mut bad = b;
        let expected = mutation.apply(&mut bad, now);
        prop_assert_eq!(phone_chat_verdict(bad.clone(), now), Err(expected), "{:?}: {:?} at {}", mutation, bad, now);
    }
}
