//! `rules.rs`: the limits of the request rules, read from the spec so `adultwork::validate`
//! states none of them itself: schema keywords (`minimum`, `format`) where OpenAPI has one,
//! the spec's `x-rules` extension (described at the top of `openapi.yaml`) where it has none.
//! A limit the rules need that the spec does not state stops the build.

use serde_json::Value;

use crate::spec::Spec;

/// The Rust source of `OUT_DIR/rules.rs`: one documented constant per limit.
pub fn emit(spec: &Spec) -> String {
    let webcam = request(spec, "CreateWebcamBookingRequest");
    let phone = request(spec, "CreatePhoneChatBookingRequest");

    let users = x_rule(
        webcam,
        "CreateWebcamBookingRequest",
        "BookUserIDs",
        "max-items",
    );
    let users = positive_int(
        users,
        "CreateWebcamBookingRequest x-rules BookUserIDs max-items",
    );
    let pattern = property(webcam, "CreateWebcamBookingRequest", "BookUserIDs")["pattern"]
        .as_str()
        .unwrap_or_default();
    assert!(
        pattern.contains(&format!("{{0,{}}}", users - 1)),
        "openapi.yaml: the pattern of CreateWebcamBookingRequest.BookUserIDs ({pattern:?}) must allow \
         the {users} items its x-rules max-items states, and no more (`{{0,{}}}` after the first)",
        users - 1
    );
    let months = x_rule(
        webcam,
        "CreateWebcamBookingRequest",
        "SessionDate",
        "max-months-ahead",
    );
    let months = positive_int(
        months,
        "CreateWebcamBookingRequest x-rules SessionDate max-months-ahead",
    );

    let webcam_duration = property(webcam, "CreateWebcamBookingRequest", "Duration");
    let webcam_min = minimum(webcam_duration, "CreateWebcamBookingRequest.Duration");
    let webcam_max = int_max(webcam_duration, "CreateWebcamBookingRequest.Duration");
    assert!(
        webcam_min >= 1,
        "openapi.yaml: CreateWebcamBookingRequest.Duration needs `minimum` 1 or more (the wire type is non-zero)"
    );
    let phone_duration = property(phone, "CreatePhoneChatBookingRequest", "Duration");
    let phone_min = minimum(phone_duration, "CreatePhoneChatBookingRequest.Duration");

    let when = x_rule(
        phone,
        "CreatePhoneChatBookingRequest",
        "PhoneNumber",
        "when",
    );
    assert!(
        *when == serde_json::json!({ "Method": 1 }),
        "openapi.yaml: CreatePhoneChatBookingRequest x-rules PhoneNumber `when` must be \
         {{Method: 1}} (adultwork::validate checks the digits for Method 1 only), found {when}"
    );
    let digits = x_rule(
        phone,
        "CreatePhoneChatBookingRequest",
        "PhoneNumber",
        "digits",
    );
    let (fewest, most) = match digits.as_array().map(Vec::as_slice) {
        Some([a, b]) => (
            positive_int(a, "PhoneNumber digits[0]"),
            positive_int(b, "PhoneNumber digits[1]"),
        ),
        _ => panic!(
            "openapi.yaml: CreatePhoneChatBookingRequest x-rules PhoneNumber digits must be [MIN, MAX], found {digits}"
        ),
    };
    assert!(
        fewest <= most,
        "openapi.yaml: PhoneNumber digits [{fewest}, {most}] is empty"
    );

    let (id_min, id_max) = ids(spec);

    format!(
        r#"/// The most users one webcam booking may invite (`x-rules` `max-items` of
/// `CreateWebcamBookingRequest.BookUserIDs`; the docs: "You may invite up to 4 people").
pub const MAX_INVITED_USERS: usize = {users};

/// The furthest ahead a webcam session may be booked, in calendar months (`x-rules`
/// `max-months-ahead` of `CreateWebcamBookingRequest.SessionDate`).
pub const WEBCAM_MAX_MONTHS_AHEAD: u32 = {months};

/// The shortest webcam session, in minutes (the spec's `minimum` of
/// `CreateWebcamBookingRequest.Duration`; an assumption of ours, labelled `x-assumed` there).
pub const WEBCAM_MIN_DURATION: u32 = {webcam_min};

/// The longest webcam session, in minutes: the largest value of the spec's `format` of
/// `CreateWebcamBookingRequest.Duration`.
pub const WEBCAM_MAX_DURATION: u32 = {webcam_max};

/// The shortest phone-chat session, in minutes (the spec's `minimum` of
/// `CreatePhoneChatBookingRequest.Duration`; the docs: "This must be at least 5").
pub const PHONE_CHAT_MIN_DURATION: i32 = {phone_min};

/// How many digits a phone-chat `PhoneNumber` has when `Method` is 1 (`x-rules` `digits` of
/// `CreatePhoneChatBookingRequest.PhoneNumber`; the docs: "Requires 10 or 11 numbers"; for
/// other methods it is "not used" and not checked).
pub const PHONE_CHAT_NUMBER_DIGITS: std::ops::RangeInclusive<usize> = {fewest}..={most};

/// The smallest ID a request may name (the spec's `minimum` of every ID parameter and body
/// property; an assumption of ours, labelled `x-assumed` there).
pub const MIN_ID: i64 = {id_min};

/// The largest ID a request may name: the largest value of the IDs' `format`.
pub const MAX_ID: u64 = {id_max};
"#
    )
}

fn request<'a>(spec: &'a Spec, name: &str) -> &'a Value {
    spec.schemas()
        .get(name)
        .unwrap_or_else(|| panic!("openapi.yaml: the rules need the schema {name}"))
}

fn property<'a>(schema: &'a Value, schema_name: &str, name: &str) -> &'a Value {
    let p = &schema["properties"][name];
    assert!(
        p.is_object(),
        "openapi.yaml: the rules need the property {schema_name}.{name}"
    );
    p
}

fn x_rule<'a>(schema: &'a Value, schema_name: &str, field: &str, rule: &str) -> &'a Value {
    let v = &schema["x-rules"][field][rule];
    assert!(
        !v.is_null(),
        "openapi.yaml: the rules need `{rule}` in the x-rules of {schema_name}.{field}"
    );
    v
}

fn positive_int(v: &Value, what: &str) -> u64 {
    v.as_u64()
        .filter(|n| *n > 0)
        .unwrap_or_else(|| panic!("openapi.yaml: {what} must be a positive integer, found {v}"))
}

fn minimum(schema: &Value, what: &str) -> i64 {
    assert!(
        schema["exclusiveMinimum"] != true,
        "openapi.yaml: {what}: the rules read `minimum` as inclusive"
    );
    schema["minimum"]
        .as_i64()
        .unwrap_or_else(|| panic!("openapi.yaml: the rules need an integer `minimum` on {what}"))
}

/// The largest value an integer schema's `format` admits.
fn int_max(schema: &Value, what: &str) -> u64 {
    match schema["format"].as_str() {
        Some("int32") => i32::MAX as u64,
        Some("int64") => i64::MAX as u64,
        other => panic!(
            "openapi.yaml: the rules need `format: int32` or `int64` on {what}, found {other:?}"
        ),
    }
}

/// The bounds shared by every integer ID a request names (`...ID` query parameters and body
/// properties): they must agree, since one rule checks them all.
fn ids(spec: &Spec) -> (i64, u64) {
    let mut found: Vec<(String, i64, u64)> = Vec::new();
    for op in spec.operations() {
        for p in op.raw["parameters"].as_array().into_iter().flatten() {
            let p = match p["$ref"].as_str() {
                Some(r) => &spec.raw["components"]["parameters"][r.rsplit('/').next().unwrap_or(r)],
                None => p,
            };
            let name = p["name"].as_str().unwrap_or_default();
            if p["schema"]["type"] == "integer" && name.ends_with("ID") {
                let what = format!("{} parameter {name}", op.id);
                found.push((
                    what.clone(),
                    minimum(&p["schema"], &what),
                    int_max(&p["schema"], &what),
                ));
            }
        }
        let body = &op.raw["requestBody"]["content"]["application/json"]["schema"];
        if body.is_null() {
            continue;
        }
        let body = spec.resolve(body);
        for (name, prop) in body["properties"].as_object().into_iter().flatten() {
            if prop["type"] == "integer" && name.ends_with("ID") {
                let what = format!("{} body {name}", op.id);
                found.push((what.clone(), minimum(prop, &what), int_max(prop, &what)));
            }
        }
    }
    let (first, min, max) = found
        .first()
        .cloned()
        .expect("openapi.yaml: the rules need ID parameters or properties");
    for (what, m, x) in &found {
        assert!(
            (*m, *x) == (min, max),
            "openapi.yaml: every ID must have the same minimum and format: {what} has ({m}, {x}), {first} has ({min}, {max})"
        );
    }
    (min, max)
}
