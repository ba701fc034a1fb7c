//! The limits on what the state holds: string lengths and the number of bookings. None of
//! them is a limit of the API; they bound what a client (or any web page its user visits) can
//! make the sandbox hold. (The connection timeouts and limit are the HTTP layer's; the public
//! `limits` module shows both.)

use serde_json::Value;

/// The longest string, in UTF-8 bytes, the sandbox accepts for each string field of a request
/// body (the API's operations and the control endpoints). A field not listed here gets
/// [`MAX_OTHER_STRING_BYTES`]. Longer values are refused with 400 and change nothing.
pub const MAX_STRING_BYTES: &[(&str, usize)] = &[
    ("BookUserIDs", 1024),
    ("SignInNameOrEmail", 1024),
    ("PhoneNumber", 1024),
    ("SkypeName", 1024),
    ("Comments", 1024),
    ("Reason", 1024),
    ("SessionDate", 1024),
    ("AcceptBy", 1024),
    ("Now", 1024),
];

/// The longest string, in UTF-8 bytes, accepted for a field [`MAX_STRING_BYTES`] does not list.
pub const MAX_OTHER_STRING_BYTES: usize = 1024;

/// The default maximum number of bookings (webcam and phone-chat together) a sandbox holds;
/// a create or reschedule beyond it answers 507. Change it with
/// [`SandboxBuilder::max_bookings`](crate::SandboxBuilder::max_bookings).
pub const DEFAULT_MAX_BOOKINGS: usize = 100_000;

/// The limit for a string field named `field`.
pub fn max_string_bytes(field: &str) -> usize {
    MAX_STRING_BYTES
        .iter()
        .find(|(name, _)| *name == field)
        .map_or(MAX_OTHER_STRING_BYTES, |(_, max)| *max)
}

/// The first string in `body` (a request body) longer than its field's limit, as a message
/// naming the field and the limit. Strings nested below the top level (no request has any)
/// are held to their top-level field's limit.
pub fn oversized_string(body: &Value) -> Option<String> {
    fn longest(v: &Value) -> usize {
        match v {
            Value::String(s) => s.len(),
            Value::Array(items) => items.iter().map(longest).max().unwrap_or(0),
            Value::Object(map) => map
                .iter()
                .map(|(k, v)| k.len().max(longest(v)))
                .max()
                .unwrap_or(0),
            _ => 0,
        }
    }
    let check = |field: &str, v: &Value| {
        let max = max_string_bytes(field);
        let len = longest(v).max(field.len());
        (len > max).then(|| {
            let shown: String = field.chars().take(32).collect();
            format!(
                "{shown} is {len} bytes long; the sandbox accepts at most {max} bytes \
                 (a limit of the sandbox, not of the API)."
            )
        })
    };
    match body {
        Value::Object(map) => map.iter().find_map(|(k, v)| check(k, v)),
        other => check("The request body", other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn each_field_has_its_limit_and_the_message_names_it() {
        assert_eq!(max_string_bytes("Comments"), 1024);
        assert_eq!(max_string_bytes("Unlisted"), MAX_OTHER_STRING_BYTES);
        let ok = json!({ "Comments": "x".repeat(1024), "Duration": 15 });
        assert_eq!(oversized_string(&ok), None);
        let long = json!({ "Duration": 15, "Comments": "é".repeat(513) });
        assert_eq!(
            oversized_string(&long).unwrap(),
            "Comments is 1026 bytes long; the sandbox accepts at most 1024 bytes \
             (a limit of the sandbox, not of the API)."
        );
        let nested = json!({ "Reason": ["x".repeat(2000)] });
        assert!(
            oversized_string(&nested)
                .unwrap()
                .starts_with("Reason is 2000 bytes")
        );
    }
}
