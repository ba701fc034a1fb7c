//! Property tests: hostile input never panics, and the wire types round-trip.
//!
//! Case counts are modest so CI stays fast; `PROPTEST_CASES` raises them locally.

mod common;

use adultwork::{Credits, Decimal, MinuteDateTime, Timestamp, xml};
use chrono::{FixedOffset, NaiveDate, NaiveDateTime, NaiveTime};
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
        let op = xml::operation(id).unwrap();
        match xml::decode(op, body) {
            Ok(value) => {
                let _ = serde_json::from_value::<Vec<WebcamBookingResult>>(value.clone());
                let _ = serde_json::from_value::<WebcamBooking>(value.clone());
                let _ = serde_json::from_value::<PhoneChatBooking>(value);
            }
            Err(e) => assert!(
                e.position as usize <= body.len(),
                "position {} past the end",
                e.position
            ),
        }
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
