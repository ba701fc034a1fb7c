//! Every statement `openapi.yaml` makes that the API's documentation does not make carries an
//! `x-assumed` label, and the labels are listed in `tests/data/assumptions.txt`.
//!
//! The checker walks the whole document. It looks at every constraint keyword of every schema
//! (`minimum`, `pattern`, `enum`, `additionalProperties`, ...), every XML namespace, every
//! server URL and every response status code. Each must either be one of the documented facts
//! in [`DOCUMENTED`] (with the docs' words) or be named in the `x-assumed` map of the object
//! it sits on (`status` for the code a response is listed under). Labels must name a keyword
//! that is there and give a reason; a documented fact cannot also be labelled.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

fn spec() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.yaml");
    let text = std::fs::read_to_string(path).unwrap();
    serde_norway::from_str(&text).unwrap()
}

/// The keywords that state a rule about a value.
const RULE_KEYWORDS: &[&str] = &[
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "pattern",
    "enum",
    "minItems",
    "maxItems",
    "uniqueItems",
    "additionalProperties",
];

/// The facts the documentation states: (JSON pointer, `*` for any one segment; keyword; the
/// docs' words). Everything else the checker finds must be labelled.
const DOCUMENTED: &[(&str, &str, &str)] = &[
    (
        "/components/schemas/MinuteDateTime",
        "pattern",
        "\"Format: YYYY-MM-DD HH:MM\" (pages 000, 002)",
    ),
    (
        "/components/schemas/SoftwareType",
        "enum",
        "\"1 for MSN Messenger, 2 for Yahoo Messenger and 3 for Skype\" (pages 000, 001)",
    ),
    (
        "/components/schemas/PhoneChatMethod",
        "enum",
        "\"1 if the client ... wants to be called ..., 2 if the client will call ..., or 3 if skype\" (page 002)",
    ),
    (
        "/components/schemas/BookingStatus",
        "enum",
        "\"Pending Accepted Rejected Confirmed Cancelled\" (pages 001, 002)",
    ),
    (
        "/components/schemas/WebcamBookingResultStatus",
        "enum",
        "the sample's three results, Status 0, 1 and 2 with their descriptions (page 000)",
    ),
    (
        "/components/schemas/CreateWebcamBookingRequest/properties/BookUserIDs",
        "pattern",
        "\"The comma delimited string of UserIDs ... You may invite up to 4 people\" (page 000)",
    ),
    (
        "/components/schemas/CreatePhoneChatBookingRequest/properties/Duration",
        "minimum",
        "\"This must be at least 5.\" (page 002)",
    ),
    (
        "/components/schemas/WebcamBookingResults",
        "xml",
        "<ArrayOfWebcamBookingResult xmlns=\"...API.Models.Webcam\"> (page 000)",
    ),
    (
        "/components/schemas/WebcamBookingResult",
        "xml",
        "<ArrayOfWebcamBookingResult xmlns=\"...API.Models.Webcam\"> (page 000)",
    ),
    (
        "/components/schemas/WebcamBooking",
        "xml",
        "<WebcamBooking xmlns=\"...API.Models.Webcam.Made\"> (page 001)",
    ),
    (
        "/components/schemas/WebcamBookingPerformer/properties/*",
        "xml",
        "<Disputes xmlns=\"...API.Models.Profile\"> and its siblings (pages 001, 003)",
    ),
    (
        "/components/schemas/PhoneChatBookingUser/properties/*",
        "xml",
        "<Disputes xmlns=\"...API.Models.Profile\"> and its siblings (page 002)",
    ),
    (
        "/components/schemas/PhoneChatBooking",
        "xml",
        "<MadeBooking xmlns=\"...API.Models.PhoneChat.Bookings.Made\"> (page 002)",
    ),
    (
        "/components/schemas/PhoneChatBookingUser",
        "x-datacontract-namespace",
        "<Candidate xmlns:d4p1=\"...API.Models.PhoneChat.Bookings\"> (page 002)",
    ),
    (
        "/paths/~1v1~1Webcam~1CancelMadeBooking/post/responses/200/content/application~1xml",
        "x-datacontract-namespace",
        "<WebcamBooking xmlns=\"...API.Models.Webcam.Received\"> (page 003)",
    ),
];

/// The one server the docs name: every sample is sent to it (pages 000-003).
const DOCUMENTED_SERVER: &str = "https://api-sandbox.adultwork.com";

fn matches(pattern: &str, pointer: &str) -> bool {
    let p: Vec<&str> = pattern.split('/').collect();
    let q: Vec<&str> = pointer.split('/').collect();
    p.len() == q.len() && p.iter().zip(&q).all(|(a, b)| *a == "*" || a == b)
}

fn documented(pointer: &str, keyword: &str) -> bool {
    DOCUMENTED
        .iter()
        .any(|(p, k, _)| *k == keyword && matches(p, pointer))
}

fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// A labelled statement: where it sits, what it qualifies, why we believe it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Label {
    pointer: String,
    keyword: String,
    reason: String,
}

#[derive(Default)]
struct Audit {
    labels: Vec<Label>,
    problems: Vec<String>,
}

impl Audit {
    /// `keyword` at `pointer` must be documented or labelled on `object`.
    fn require(&mut self, object: &Map<String, Value>, pointer: &str, keyword: &str) {
        let labelled = object
            .get("x-assumed")
            .and_then(|l| l.get(keyword))
            .is_some();
        let known = documented(pointer, keyword);
        if known && labelled {
            self.problems.push(format!(
                "{pointer}: `{keyword}` is documented but labelled x-assumed"
            ));
        } else if !known && !labelled {
            self.problems.push(format!(
                "{pointer}: `{keyword}` is not in the docs and has no x-assumed label"
            ));
        }
    }

    fn labels_of(&mut self, object: &Map<String, Value>, pointer: &str, is_response: bool) {
        let Some(label) = object.get("x-assumed") else {
            return;
        };
        let Some(map) = label.as_object() else {
            self.problems
                .push(format!("{pointer}: x-assumed must map keywords to reasons"));
            return;
        };
        for (keyword, reason) in map {
            let present = object.contains_key(keyword) || (is_response && keyword == "status");
            if !present {
                self.problems.push(format!(
                    "{pointer}: x-assumed names `{keyword}`, which is not there"
                ));
            }
            match reason.as_str() {
                Some(r) if !r.trim().is_empty() => self.labels.push(Label {
                    pointer: pointer.to_string(),
                    keyword: keyword.clone(),
                    reason: r.to_string(),
                }),
                _ => self
                    .problems
                    .push(format!("{pointer}: x-assumed `{keyword}` needs a reason")),
            }
        }
    }

    fn walk(&mut self, value: &Value, pointer: &str) {
        match value {
            Value::Object(object) => {
                let is_response = is_response_pointer(pointer);
                self.labels_of(object, pointer, is_response);
                for keyword in RULE_KEYWORDS {
                    if object.contains_key(*keyword) {
                        self.require(object, pointer, keyword);
                    }
                }
                if object.get("xml").and_then(|x| x.get("namespace")).is_some() {
                    self.require(object, pointer, "xml");
                }
                if object.contains_key("x-datacontract-namespace") {
                    self.require(object, pointer, "x-datacontract-namespace");
                }
                for (key, child) in object {
                    // Examples are data, extensions are ours; neither states a rule.
                    if key == "example" || key == "examples" || key.starts_with("x-") {
                        continue;
                    }
                    self.walk(child, &format!("{pointer}/{}", escape(key)));
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.walk(item, &format!("{pointer}/{i}"));
                }
            }
            _ => {}
        }
    }
}

/// `/components/responses/X` or `/paths/P/M/responses/CODE`.
fn is_response_pointer(pointer: &str) -> bool {
    let s: Vec<&str> = pointer.split('/').collect();
    matches!(s.as_slice(), ["", "components", "responses", _])
        || matches!(s.as_slice(), ["", "paths", _, _, "responses", _])
}

fn resolve<'a>(spec: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(r) => spec
            .pointer(r.trim_start_matches('#'))
            .unwrap_or_else(|| panic!("dangling {r}")),
        None => value,
    }
}

fn audit(spec: &Value) -> Audit {
    let mut audit = Audit::default();
    audit.walk(spec, "");
    for (i, server) in spec["servers"].as_array().unwrap().iter().enumerate() {
        let pointer = format!("/servers/{i}");
        let labelled = server.get("x-assumed").and_then(|l| l.get("url")).is_some();
        let known = server["url"] == DOCUMENTED_SERVER;
        if known == labelled {
            audit.problems.push(format!(
                "{pointer}: {} must be the documented host or labelled x-assumed, not both",
                server["url"]
            ));
        }
    }
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            for (code, response) in op["responses"].as_object().unwrap() {
                let pointer = format!("/paths/{}/{method}/responses/{code}", escape(path));
                let resolved = resolve(spec, response);
                let labelled = resolved
                    .get("x-assumed")
                    .and_then(|l| l.get("status"))
                    .is_some();
                // The docs print each operation's success answer and no other.
                if code != "200" && !labelled {
                    audit.problems.push(format!(
                        "{pointer}: status {code} is not in the docs and has no x-assumed `status`"
                    ));
                }
                if code == "200" && labelled {
                    audit
                        .problems
                        .push(format!("{pointer}: the documented answer is labelled"));
                }
            }
        }
    }
    audit
}

/// The labelled places, one `pointer keyword` line each, as `tests/data/assumptions.txt`
/// lists them.
fn listed(labels: &[Label]) -> BTreeSet<String> {
    labels
        .iter()
        .map(|l| format!("{} {}", l.pointer, l.keyword))
        .collect()
}

#[test]
fn every_statement_the_docs_do_not_make_is_labelled_x_assumed() {
    let audit = audit(&spec());
    assert!(
        audit.problems.is_empty(),
        "{} problem(s):\n{}",
        audit.problems.len(),
        audit.problems.join("\n")
    );
}

#[test]
fn the_labelled_assumptions_are_the_listed_ones() {
    let audit = audit(&spec());
    let found = listed(&audit.labels);
    let file = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/assumptions.txt");
    let text = std::fs::read_to_string(file).unwrap();
    let expected: BTreeSet<String> = text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect();
    let added: Vec<_> = found.difference(&expected).collect();
    let removed: Vec<_> = expected.difference(&found).collect();
    assert!(
        added.is_empty() && removed.is_empty(),
        "tests/data/assumptions.txt is out of date.\nlabelled but not listed: {added:#?}\nlisted but not labelled: {removed:#?}"
    );
    let distinct: BTreeSet<_> = audit.labels.iter().map(|l| &l.reason).collect();
    eprintln!(
        "{} labelled places, {} distinct assumptions",
        found.len(),
        distinct.len()
    );
}

/// The checker is not vacuous: each kind of unlabelled guess slipped into the spec is caught.
#[test]
fn an_unlabelled_guess_is_caught() {
    let base = spec();
    assert!(audit(&base).problems.is_empty());
    type Guess = (&'static str, fn(&mut Value));
    let guesses: [Guess; 7] = [
        ("a maximum", |s| {
            s["components"]["schemas"]["CreateWebcamBookingRequest"]["properties"]["Duration"]["maximum"] =
                600.into();
        }),
        ("a pattern", |s| {
            s["components"]["schemas"]["CancelWebcamBookingRequest"]["properties"]["Reason"]["pattern"] =
                "^.+$".into();
        }),
        ("a status code", |s| {
            s["paths"]["/v1/Webcam/CancelMadeBooking"]["post"]["responses"]["409"] =
                serde_json::json!({ "description": "Conflict" });
        }),
        ("a server", |s| {
            s["servers"]
                .as_array_mut()
                .unwrap()
                .push(serde_json::json!({ "url": "https://api2.adultwork.com" }));
        }),
        ("an XML namespace", |s| {
            s["components"]["schemas"]["CancelWebcamBookingRequest"]["xml"]["namespace"] =
                "urn:x".into();
        }),
        ("a label without a reason", |s| {
            s["components"]["schemas"]["BookingStatus"]["x-assumed"]["enum"] = "".into();
        }),
        ("a stale label", |s| {
            s["components"]["schemas"]["SoftwareType"]["x-assumed"] =
                serde_json::json!({ "maximum": "gone" });
        }),
    ];
    for (what, add) in guesses {
        let mut changed = base.clone();
        add(&mut changed);
        assert!(!audit(&changed).problems.is_empty(), "{what} slipped in");
    }
    // Taking a label away uncovers its guess: the webcam `Duration` minimum is documented
    // for phone chat only.
    let mut changed = base.clone();
    let webcam = &mut changed["components"]["schemas"]["CreateWebcamBookingRequest"];
    webcam["properties"]["Duration"]
        .as_object_mut()
        .unwrap()
        .remove("x-assumed");
    assert!(!audit(&changed).problems.is_empty());
}

/// Item 2 of the audit: the SDK and the sandbox refuse `Credits` <= 0, and the spec says so
/// (labelled), so generated clients can know.
#[test]
fn credits_must_be_more_than_zero_in_the_spec_and_the_sdk() {
    let spec = spec();
    let credits = &spec["components"]["schemas"]["Credits"];
    assert_eq!(credits["minimum"], 0);
    assert_eq!(credits["exclusiveMinimum"], true);
    assert!(credits["x-assumed"]["minimum"].is_string());
    // The SDK's rule is the spec's.
    let req = |credits: &str| -> adultwork::types::CreateWebcamBookingRequest {
        serde_json::from_str(&format!(
            r#"{{"BookUserIDs":"123456","SessionDate":"2018-02-01 12:00","Duration":10,
               "Credits":{credits},"SoftwareTypeID":3,"SignInNameOrEmail":"me"}}"#
        ))
        .unwrap()
    };
    let now = chrono::NaiveDate::from_ymd_opt(2018, 1, 1)
        .unwrap()
        .and_hms_opt(11, 0, 0)
        .unwrap();
    for bad in ["0", "-1", "0.0000"] {
        let v = adultwork::validate::webcam_booking(&req(bad), now).unwrap_err();
        assert_eq!(v.field, "Credits", "{bad}");
    }
    assert_eq!(
        adultwork::validate::webcam_booking(&req("0.0001"), now),
        Ok(())
    );
}
