//! Any bytes as the XML answer of every operation: `Ok` or an `XmlError` whose position lies
//! within the body, never a panic, whether read untyped or into each generated type.
#![no_main]

use adultwork::types::{PhoneChatBooking, WebcamBooking, WebcamBookingResult};
use adultwork::xml;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|body: &[u8]| {
    for op in adultwork::Operation::ALL {
        let op = op.xml();
        let within = |e: xml::XmlError| assert!(e.position as usize <= body.len(), "{e}");
        let _ = xml::from_slice::<serde_json::Value>(op, body).map_err(within);
        let _ = xml::from_slice::<Vec<WebcamBookingResult>>(op, body).map_err(within);
        let _ = xml::from_slice::<WebcamBooking>(op, body).map_err(within);
        match xml::from_slice::<PhoneChatBooking>(op, body) {
            Ok(b) => {
                // What decoded encodes, and decodes again.
                if let Ok(again) = xml::to_string(op, &b) {
                    let _ = xml::from_slice::<PhoneChatBooking>(op, again.as_bytes());
                }
            }
            Err(e) => within(e),
        }
    }
    let _ = xml::error_message(body);
});
