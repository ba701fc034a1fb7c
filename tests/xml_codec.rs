//! The DataContract codec as a serde format: decode errors name the element path (local
//! names as the document writes them; list items XPath style, counting from 1) and the byte
//! offset of that element's start tag; text is borrowed from the body; the serializer writes
//! members in model order whatever order serde hands them in.

mod common;

use std::borrow::Cow;

use adultwork::types::{PhoneChatBooking, WebcamBooking, WebcamBookingResult};
use adultwork::{Operation, xml};
use common::golden;

/// The offset of the `n`th (from 0) occurrence of `needle` in `body`.
fn offset(body: &str, needle: &str, n: usize) -> u64 {
    body.match_indices(needle)
        .nth(n)
        .unwrap_or_else(|| panic!("{needle} #{n}"))
        .0 as u64
}

fn text(file: &str) -> String {
    String::from_utf8(golden(file)).unwrap()
}

#[test]
fn a_bad_integer_in_a_nested_member_names_its_path_and_offset() {
    let op = Operation::GetMadeWebcamBookingDetails.xml();
    // The docs' spelling of the performer element, so the path shows `Performer`.
    let body = text("webcam_booking_made.compact.xml")
        .replace("<Client>", "<Performer>")
        .replace("</Client>", "</Performer>")
        .replace("<UserID>123456</UserID>", "<UserID>abc</UserID>");
    let err = xml::from_slice::<WebcamBooking>(op, body.as_bytes()).unwrap_err();
    assert_eq!(err.path(), "WebcamBooking/Performer/UserID");
    assert_eq!(err.position, offset(&body, "<UserID>", 0));
    assert_eq!(
        err.to_string(),
        format!(
            "WebcamBooking/Performer/UserID: expected an integer, found \"abc\" (at byte {})",
            err.position
        )
    );
}

#[test]
fn a_bad_boolean_at_top_level_names_its_path_and_offset() {
    let op = Operation::GetMadeWebcamBookingDetails.xml();
    let body = text("webcam_booking_made.compact.xml")
        .replace("<AlsoPhoneChat>true<", "<AlsoPhoneChat>yes<");
    let err = xml::from_slice::<WebcamBooking>(op, body.as_bytes()).unwrap_err();
    assert_eq!(err.path(), "WebcamBooking/AlsoPhoneChat");
    assert_eq!(err.position, offset(&body, "<AlsoPhoneChat>", 0));
    assert!(
        err.detail.contains("expected true or false, found \"yes\""),
        "{err}"
    );
}

#[test]
fn a_bad_timestamp_from_our_own_type_gets_the_path_and_offset() {
    // `Timestamp`'s `Deserialize` raises a custom error that knows nothing of XML.
    let op = Operation::GetMadeWebcamBookingDetails.xml();
    let body = text("webcam_booking_made.compact.xml").replace(
        "<AcceptBy>2018-02-01T00:00:00</AcceptBy>",
        "<AcceptBy>next tuesday</AcceptBy>",
    );
    let err = xml::from_slice::<WebcamBooking>(op, body.as_bytes()).unwrap_err();
    assert_eq!(err.path(), "WebcamBooking/AcceptBy");
    assert_eq!(err.position, offset(&body, "<AcceptBy>", 0));
    assert!(err.detail.contains("next tuesday"), "{err}");
}

#[test]
fn a_bad_list_item_is_named_by_its_position_from_one() {
    let op = Operation::CreateWebcamBooking.xml();
    let body =
        text("create_results.compact.xml").replace("<Status>1</Status>", "<Status>x</Status>");
    let err = xml::from_slice::<Vec<WebcamBookingResult>>(op, body.as_bytes()).unwrap_err();
    assert_eq!(
        err.path(),
        "ArrayOfWebcamBookingResult/WebcamBookingResult[2]/Status"
    );
    assert_eq!(err.position, offset(&body, "<Status>", 1));
}

#[test]
fn a_missing_member_is_blamed_on_its_object() {
    let op = Operation::CreatePhoneChatBooking.xml();
    let body = text("phonechat_booking.compact.xml");
    let start = body.find("<Disputes").unwrap();
    let end = body.find("</Disputes>").unwrap() + "</Disputes>".len();
    let body = format!("{}{}", &body[..start], &body[end..]);
    let err = xml::from_slice::<PhoneChatBooking>(op, body.as_bytes()).unwrap_err();
    assert_eq!(err.path(), "MadeBooking/Candidate");
    assert_eq!(err.position, offset(&body, "<Candidate", 0));
    assert!(err.detail.contains("Disputes"), "{err}");
}

#[test]
fn a_repeated_member_is_refused_at_the_repeat() {
    let op = Operation::CreateWebcamBooking.xml();
    let body = text("create_results.compact.xml").replacen(
        "<UserID>123456</UserID>",
        "<UserID>123456</UserID><UserID>9</UserID>",
        1,
    );
    let err = xml::from_slice::<Vec<WebcamBookingResult>>(op, body.as_bytes()).unwrap_err();
    assert_eq!(
        err.path(),
        "ArrayOfWebcamBookingResult/WebcamBookingResult[1]/UserID"
    );
    assert_eq!(err.position, offset(&body, "<UserID>", 1));
    assert!(err.detail.contains("appears twice"), "{err}");
}

#[test]
fn offsets_count_the_byte_order_mark() {
    let op = Operation::CreateWebcamBooking.xml();
    let body = format!(
        "\u{feff}{}",
        text("create_results.compact.xml").replace("<UserID>123457<", "<UserID>z<")
    );
    let err = xml::from_slice::<Vec<WebcamBookingResult>>(op, body.as_bytes()).unwrap_err();
    assert_eq!(err.position, offset(&body, "<UserID>", 1));
}

#[test]
fn error_text_from_the_body_stays_bounded() {
    let op = Operation::CreateWebcamBooking.xml();
    let huge = "9".repeat(100_000);
    let body =
        text("create_results.compact.xml").replace("<Status>0<", &format!("<Status>{huge}x<"));
    let err = xml::from_slice::<Vec<WebcamBookingResult>>(op, body.as_bytes()).unwrap_err();
    assert!(
        err.to_string().len() < 300,
        "{} bytes",
        err.to_string().len()
    );
    // A custom error quoting the body (a timestamp's) is bounded too.
    let op = Operation::GetMadeWebcamBookingDetails.xml();
    let body = text("webcam_booking_made.compact.xml").replace(
        "<AcceptBy>2018-02-01T00:00:00<",
        &format!("<AcceptBy>{huge}<"),
    );
    let err = xml::from_slice::<WebcamBooking>(op, body.as_bytes()).unwrap_err();
    assert!(
        err.to_string().len() < 600,
        "{} bytes",
        err.to_string().len()
    );
}

#[test]
fn text_without_escapes_is_borrowed_from_the_body() {
    #[derive(serde::Deserialize)]
    struct Borrowing<'a> {
        #[serde(rename = "StatusDescription", borrow)]
        description: Cow<'a, str>,
    }
    let op = Operation::CreateWebcamBooking.xml();
    let body = golden("create_results.compact.xml");
    let items: Vec<Borrowing<'_>> = xml::from_slice(op, &body).unwrap();
    assert!(matches!(items[0].description, Cow::Borrowed("Success")));
    // With an entity it has to be built.
    let escaped = String::from_utf8(body)
        .unwrap()
        .replace(">Success<", ">Success &amp; more<");
    let items: Vec<Borrowing<'_>> = xml::from_slice(op, escaped.as_bytes()).unwrap();
    assert!(matches!(&items[0].description, Cow::Owned(s) if s == "Success & more"));
}

#[test]
fn untyped_values_follow_each_members_kind() {
    let op = Operation::GetMadeWebcamBookingDetails.xml();
    let v: serde_json::Value =
        xml::from_slice(op, &golden("webcam_booking_made.compact.xml")).unwrap();
    assert!(v["WebcamBookingID"].is_i64(), "{v}");
    assert!(v["AlsoPhoneChat"].is_boolean(), "{v}");
    // A decimal keeps its exact text.
    assert!(v["Credits"].is_string(), "{v}");
    assert!(v["Performer"]["UserID"].is_i64(), "{v}");
    assert!(v["AcceptedDate"].is_null(), "{v}");
}

#[test]
fn serializer_writes_model_order_whatever_order_serde_gives() {
    let op = Operation::CreateWebcamBooking.xml();
    let golden_text = text("create_results.compact.xml");
    let value: serde_json::Value = xml::from_slice(op, golden_text.as_bytes()).unwrap();
    // serde_json's map hands keys over alphabetically; reverse them by hand-built maps.
    let reversed: Vec<Vec<(String, serde_json::Value)>> = value
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            let mut fields: Vec<_> = o
                .as_object()
                .unwrap()
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            fields.reverse();
            fields
        })
        .collect();
    struct Map(Vec<(String, serde_json::Value)>);
    impl serde::Serialize for Map {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            use serde::ser::SerializeMap;
            let mut m = s.serialize_map(Some(self.0.len()))?;
            for (k, v) in &self.0 {
                m.serialize_entry(k, v)?;
            }
            m.end()
        }
    }
    let items: Vec<Map> = reversed.into_iter().map(Map).collect();
    assert_eq!(xml::to_string(op, &items).unwrap(), golden_text);
    // A member serde never hands in is written nil.
    let mut first = value[0].clone();
    first.as_object_mut().unwrap().remove("BookingID");
    let xml = xml::to_string(op, &vec![first]).unwrap();
    assert!(xml.contains(r#"<BookingID i:nil="true" />"#), "{xml}");
}

#[test]
fn a_value_of_the_wrong_shape_is_an_encoding_error_not_a_panic() {
    let op = Operation::GetMadeWebcamBookingDetails.xml();
    assert!(xml::to_string(op, &vec![1, 2, 3]).is_err());
    let op = Operation::CreateWebcamBooking.xml();
    assert!(xml::to_string(op, &serde_json::json!({"UserID": 1})).is_err());
    assert!(xml::to_string(op, &serde_json::json!([{"UserID": [1]}])).is_err());
}
