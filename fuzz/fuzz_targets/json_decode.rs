//! Any bytes as a JSON answer: the response types decode or refuse them, never panic, and a
//! value that decodes survives a round trip through JSON.
#![no_main]

use adultwork::types::{PhoneChatBooking, WebcamBooking, WebcamBookingResult};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| {
    if let Ok(b) = serde_json::from_slice::<WebcamBooking>(body) {
        let text = serde_json::to_vec(&b).unwrap();
        assert_eq!(serde_json::from_slice::<WebcamBooking>(&text).unwrap(), b);
    }
    if let Ok(b) = serde_json::from_slice::<PhoneChatBooking>(body) {
        let text = serde_json::to_vec(&b).unwrap();
        assert_eq!(
            serde_json::from_slice::<PhoneChatBooking>(&text).unwrap(),
            b
        );
    }
    let _ = serde_json::from_slice::<Vec<WebcamBookingResult>>(body);
});
