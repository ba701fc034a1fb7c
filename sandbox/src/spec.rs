//! What the sandbox reads from `openapi.yaml` at build time (see `build.rs`): the scopes each
//! operation requires and the JSON types of request-body properties.

/// One request-body property: its name, its JSON type, and whether it may be null.
pub type Field = (&'static str, &'static str, bool);

include!(concat!(env!("OUT_DIR"), "/spec.rs"));

/// The JSON type the spec gives `property` of `operation`'s request body, and whether it may
/// be null; `None` when the spec does not list the property.
pub fn request_field(operation: &str, property: &str) -> Option<(&'static str, bool)> {
    REQUEST_FIELDS
        .iter()
        .find(|(id, _)| *id == operation)?
        .1
        .iter()
        .find(|(name, _, _)| *name == property)
        .map(|(_, ty, nullable)| (*ty, *nullable))
}

/// Whether `value` has the JSON type `ty` (`integer` means a whole number).
pub fn has_type(value: &serde_json::Value, ty: &str) -> bool {
    match ty {
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "object" => value.is_object(),
        "array" => value.is_array(),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_field_types_come_from_the_spec() {
        assert_eq!(
            request_field("create_webcam_booking", "Credits"),
            Some(("number", false))
        );
        assert_eq!(
            request_field("create_webcam_booking", "SessionDate"),
            Some(("string", false))
        );
        assert_eq!(
            request_field("create_webcam_booking", "SoftwareTypeID"),
            Some(("integer", false))
        );
        assert_eq!(
            request_field("create_phone_chat_booking", "Comments"),
            Some(("string", false))
        );
        assert_eq!(
            request_field("cancel_made_webcam_booking", "Reason"),
            Some(("string", false))
        );
        assert_eq!(
            request_field("reschedule_made_webcam_booking", "BookingID"),
            Some(("integer", false))
        );
        assert_eq!(
            request_field("get_made_webcam_booking_details", "BookingID"),
            None
        );
        assert_eq!(REQUEST_FIELDS.len(), 4);
    }
}
