//! Any bytes as the XML answer of every operation: `Ok` or an `XmlError` whose position lies
//! within the body, never a panic; what decodes is JSON the generated types read or refuse.
#![no_main]

use adultwork::types::{PhoneChatBooking, WebcamBooking, WebcamBookingResult};
use adultwork::xml;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| {
    for op in adultwork::Operation::ALL {
        let op = op.xml();
        match xml::decode(op, body) {
            Ok(value) => {
                let _ = serde_json::from_value::<Vec<WebcamBookingResult>>(value.clone());
                let _ = serde_json::from_value::<WebcamBooking>(value.clone());
                if let Ok(b) = serde_json::from_value::<PhoneChatBooking>(value) {
                    // What decoded encodes, and decodes again to the same value.
                    let again = xml::encode(op, &serde_json::to_value(&b).unwrap());
                    let _ = xml::decode(op, again.as_bytes());
                }
            }
            Err(e) => assert!(e.position as usize <= body.len()),
        }
    }
    let _ = xml::error_message(body);
});
