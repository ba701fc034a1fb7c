//! Any text as a .NET date-time, a request date-time, or credits: parsed or refused, never a
//! panic; what parses displays as text that parses back to the same value.
#![no_main]

use adultwork::{Credits, MinuteDateTime, Timestamp};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(t) = text.parse::<Timestamp>() {
        assert_eq!(t.to_string().parse::<Timestamp>().unwrap(), t);
        let _ = t.to_utc();
    }
    if let Ok(t) = text.parse::<MinuteDateTime>() {
        assert_eq!(t.to_string().parse::<MinuteDateTime>().unwrap(), t);
    }
    if let Ok(c) = text.parse::<Credits>() {
        assert_eq!(c.to_string().parse::<Credits>().unwrap(), c);
        let _ = serde_json::to_string(&c);
    }
    let _ = serde_json::from_str::<Credits>(text);
});
