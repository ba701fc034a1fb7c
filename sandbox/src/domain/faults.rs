//! Fault rules: the sandbox as a test bench for a client's retry, timeout and "the booking
//! may have been made" handling. A rule names an operation (or `*`), optionally a token, how
//! often it fires (`Times`, `Probability` with a reproducible `Seed`) and what happens instead
//! of a prompt, correct answer (its [`Effect`]). Nothing here knows about HTTP: the HTTP layer
//! asks [`Faults::decide`] for each API request and carries the effect out.
//!
//! The limits here (rule count, message length, delay, `Retry-After`) are the sandbox's own,
//! like those of [`limits`](crate::limits).

use std::fmt;
use std::hash::{BuildHasher, RandomState};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use serde::{Deserialize, Serialize};

/// The most rules a sandbox holds at once (a limit of the sandbox); adding beyond it is a 400.
pub const MAX_FAULT_RULES: usize = 100;
/// The longest `Message` of a rule, in UTF-8 bytes.
pub const MAX_FAULT_MESSAGE_BYTES: usize = 1024;
/// The longest `Token` of a rule, in UTF-8 bytes.
pub const MAX_FAULT_TOKEN_BYTES: usize = 1024;
/// The longest `Delay`, in milliseconds (one minute).
pub const MAX_FAULT_DELAY_MILLIS: u64 = 60_000;
/// The largest `RetryAfter`, in seconds (one hour).
pub const MAX_FAULT_RETRY_AFTER: u64 = 3_600;

/// The `Operation` that matches every operation of the API.
pub const ANY_OPERATION: &str = "*";

/// What a firing rule does to the request, instead of (or before) answering normally.
///
/// In JSON each effect is an object with one key, e.g. `{"Delay": {"Millis": 1500}}` or
/// `{"ApplyThenDrop": {}}`.
///
/// ```
/// use adultwork_sandbox::Effect;
///
/// let e: Effect = serde_json::from_str(r#"{"Truncate": {"Bytes": 10}}"#).unwrap();
/// assert_eq!(e, Effect::Truncate { bytes: 10 });
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    rename_all = "PascalCase",
    rename_all_fields = "PascalCase",
    deny_unknown_fields
)]
pub enum Effect {
    /// Answers `status` with `message` (and `Retry-After: retry_after` seconds, if given)
    /// *without* applying the request.
    Respond {
        /// The HTTP status: 400 to 599.
        status: u16,
        /// The error body's `Message`.
        message: String,
        /// The `Retry-After` header, in whole seconds.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        retry_after: Option<u64>,
    },
    /// Applies the request, then answers `status` with `message` instead of the real answer:
    /// the booking exists but the client hears a failure.
    ApplyThenRespond {
        /// The HTTP status: 400 to 599.
        status: u16,
        /// The error body's `Message`.
        message: String,
        /// The `Retry-After` header, in whole seconds.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        retry_after: Option<u64>,
    },
    /// Applies the request, then closes the connection without an answer.
    ApplyThenDrop {},
    /// Waits `millis` milliseconds, then handles the request normally.
    Delay {
        /// The wait, at most [`MAX_FAULT_DELAY_MILLIS`].
        millis: u64,
    },
    /// Applies the request and sends the real answer's head (with its full `Content-Length`)
    /// but only the first `bytes` bytes of its body, then closes the connection.
    Truncate {
        /// How many bytes of the body to send.
        bytes: u64,
    },
    /// Resets the connection (TCP RST) before reading the request body: nothing is applied.
    Reset {},
}

/// One fault rule, as `POST /_sandbox/faults` takes it (PascalCase JSON).
///
/// Without `Times` and `Probability` a rule fires on every request it matches. `Debug` does
/// not show the token.
///
/// ```
/// use adultwork_sandbox::FaultRule;
///
/// let rule: FaultRule = serde_json::from_str(
///     r#"{"Operation": "create_webcam_booking", "Times": 1, "Effect": {"ApplyThenDrop": {}}}"#,
/// ).unwrap();
/// assert_eq!(rule.times, Some(1));
/// ```
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct FaultRule {
    /// An `operationId` of the spec, or `"*"` for every operation (never the control
    /// endpoints).
    pub operation: String,
    /// Only requests with `Authorization: bearer {token}` match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// Fires on the next `times` matches only (at least 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub times: Option<u64>,
    /// Fires on each match with this probability (0 to 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probability: Option<f64>,
    /// Seeds `probability`'s draws: the same seed gives the same sequence of fires. Without
    /// it the draws are seeded at random.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// What happens when the rule fires.
    pub effect: Effect,
}

impl fmt::Debug for FaultRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FaultRule")
            .field("operation", &self.operation)
            .field("token", &self.token.as_ref().map(|_| "***"))
            .field("times", &self.times)
            .field("probability", &self.probability)
            .field("seed", &self.seed)
            .field("effect", &self.effect)
            .finish()
    }
}

/// A rule with how often it has fired, as `GET /_sandbox/faults` lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct FiredRule {
    /// The rule as it was added.
    #[serde(flatten)]
    pub rule: FaultRule,
    /// How many requests it has fired on.
    pub fired: u64,
}

/// A rule that breaks a rule of its own: the field (e.g. `Rules[1].Probability`) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultError {
    /// The JSON path of the offending field.
    pub field: String,
    /// What is wrong with it.
    pub rule: String,
}

impl fmt::Display for FaultError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.field, self.rule)
    }
}

impl std::error::Error for FaultError {}

/// The body of `POST /_sandbox/faults` and of a `--faults` file.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
struct RulesBody {
    rules: Vec<FaultRule>,
}

/// The fault rules of a sandbox. Cheap to clone; clones share the rules and their counts.
///
/// ```
/// use adultwork_sandbox::{Effect, Faults};
///
/// let faults = Faults::new();
/// faults.add_json(r#"{"Rules": [{"Operation": "*", "Times": 1, "Effect": {"Reset": {}}}]}"#)?;
/// assert_eq!(faults.decide(adultwork::Operation::CreateWebcamBooking, None), Some(Effect::Reset {}));
/// assert_eq!(faults.decide(adultwork::Operation::CreateWebcamBooking, None), None);
/// assert_eq!(faults.list()[0].fired, 1);
/// # Ok::<(), adultwork_sandbox::FaultError>(())
/// ```
#[derive(Clone, Default)]
pub struct Faults {
    rules: Arc<Mutex<Vec<Active>>>,
}

impl fmt::Debug for Faults {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Faults")
            .field("rules", &self.lock().len())
            .finish()
    }
}

/// A rule in force: the rule, its count and its random sequence.
struct Active {
    rule: FaultRule,
    fired: u64,
    draws: SplitMix64,
}

impl Faults {
    /// No rules.
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> MutexGuard<'_, Vec<Active>> {
        // Every change is checked before it is made, so a poisoned lock is still consistent.
        self.rules.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Adds `{"Rules": [...]}` (the body of `POST /_sandbox/faults`) after the rules in
    /// force. A bad rule adds none of them; the error names its field.
    pub fn add_json(&self, json: &str) -> Result<(), FaultError> {
        let de = &mut serde_json::Deserializer::from_str(json);
        let body: RulesBody = serde_path_to_error::deserialize(de).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner().to_string();
            let field = match path.as_str() {
                "." => "the body".to_string(),
                p => p.to_string(),
            };
            FaultError {
                field,
                rule: format!("is not valid: {inner}"),
            }
        })?;
        self.add(body.rules)
    }

    /// Adds `rules` after the rules in force. A bad rule adds none of them; the error names
    /// its field (`Rules[i].Field`).
    pub fn add(&self, rules: Vec<FaultRule>) -> Result<(), FaultError> {
        for (i, rule) in rules.iter().enumerate() {
            check(rule).map_err(|(field, rule)| FaultError {
                field: format!("Rules[{i}].{field}"),
                rule,
            })?;
        }
        let mut active = self.lock();
        if active.len() + rules.len() > MAX_FAULT_RULES {
            return Err(FaultError {
                field: "Rules".to_string(),
                rule: format!(
                    "would make {} rules; the sandbox holds at most {MAX_FAULT_RULES} (a limit \
                     of the sandbox): DELETE /_sandbox/faults first",
                    active.len() + rules.len()
                ),
            });
        }
        active.extend(rules.into_iter().map(|rule| {
            let seed = rule
                .seed
                .unwrap_or_else(|| RandomState::new().hash_one(0u8));
            Active {
                rule,
                fired: 0,
                draws: SplitMix64(seed),
            }
        }));
        Ok(())
    }

    /// Every rule in force, in the order they were added, with how often each has fired.
    pub fn list(&self) -> Vec<FiredRule> {
        self.lock()
            .iter()
            .map(|a| FiredRule {
                rule: a.rule.clone(),
                fired: a.fired,
            })
            .collect()
    }

    /// Removes every rule.
    pub fn clear(&self) {
        self.lock().clear();
    }

    /// The effect for a request to `operation` (an `operationId`) with bearer `token`: that
    /// of the first rule, in the order added, that matches and fires. A rule matches when its
    /// operation and token (if it has one) are the request's and its `Times` are not used up;
    /// a rule with a `Probability` draws once per match.
    pub fn decide(&self, operation: adultwork::Operation, token: Option<&str>) -> Option<Effect> {
        let mut active = self.lock();
        for a in active.iter_mut() {
            let r = &a.rule;
            let op_matches = r.operation == ANY_OPERATION || r.operation == operation.id();
            let token_matches = r.token.as_deref().is_none_or(|t| Some(t) == token);
            let left = r.times.is_none_or(|n| a.fired < n);
            if !(op_matches && token_matches && left) {
                continue;
            }
            if let Some(p) = r.probability
                && a.draws.next_unit() >= p
            {
                continue;
            }
            a.fired += 1;
            return Some(a.rule.effect.clone());
        }
        None
    }
}

/// Checks one rule; the error is the field (relative to the rule) and the rule it breaks.
fn check(rule: &FaultRule) -> Result<(), (String, String)> {
    let bad = |field: &str, why: String| Err((field.to_string(), why));
    if rule.operation != ANY_OPERATION && adultwork::Operation::from_id(&rule.operation).is_none() {
        let ids = adultwork::Operation::ALL.map(|op| op.id());
        let shown: String = rule.operation.chars().take(64).collect();
        return bad(
            "Operation",
            format!(
                "must be \"*\" or an operationId of the spec ({}); got {shown:?}",
                ids.join(", ")
            ),
        );
    }
    if let Some(token) = &rule.token
        && (token.is_empty() || token.len() > MAX_FAULT_TOKEN_BYTES || token.contains(' '))
    {
        // Never echo a token.
        return bad(
            "Token",
            format!("must be a bearer token: 1 to {MAX_FAULT_TOKEN_BYTES} bytes without spaces"),
        );
    }
    if rule.times == Some(0) {
        return bad("Times", "must be at least 1 (got 0)".to_string());
    }
    if let Some(p) = rule.probability
        && !(0.0..=1.0).contains(&p)
    {
        return bad("Probability", format!("must be from 0 to 1 (got {p})"));
    }
    if rule.seed.is_some() && rule.probability.is_none() {
        return bad(
            "Seed",
            "only applies with a Probability (our rule: a seed alone would do nothing)".to_string(),
        );
    }
    let status_and_message = |status: u16, message: &str, retry_after: Option<u64>, name: &str| {
        if !(400..=599).contains(&status) {
            return bad(
                &format!("Effect.{name}.Status"),
                format!("must be an error status from 400 to 599 (got {status})"),
            );
        }
        if message.len() > MAX_FAULT_MESSAGE_BYTES {
            return bad(
                &format!("Effect.{name}.Message"),
                format!(
                    "must be at most {MAX_FAULT_MESSAGE_BYTES} bytes (got {})",
                    message.len()
                ),
            );
        }
        if let Some(secs) = retry_after
            && secs > MAX_FAULT_RETRY_AFTER
        {
            return bad(
                &format!("Effect.{name}.RetryAfter"),
                format!("must be at most {MAX_FAULT_RETRY_AFTER} seconds (got {secs})"),
            );
        }
        Ok(())
    };
    match &rule.effect {
        Effect::Respond {
            status,
            message,
            retry_after,
        } => status_and_message(*status, message, *retry_after, "Respond"),
        Effect::ApplyThenRespond {
            status,
            message,
            retry_after,
        } => status_and_message(*status, message, *retry_after, "ApplyThenRespond"),
        Effect::Delay { millis } if *millis > MAX_FAULT_DELAY_MILLIS => bad(
            "Effect.Delay.Millis",
            format!("must be at most {MAX_FAULT_DELAY_MILLIS} (got {millis})"),
        ),
        _ => Ok(()),
    }
}

/// SplitMix64: a small, well-known generator; the same seed gives the same sequence.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn next_unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(json: &str) -> Result<Faults, FaultError> {
        let f = Faults::new();
        f.add_json(json).map(|()| f)
    }

    #[test]
    fn the_issue_example_parses_and_round_trips() {
        let json = r#"{"Rules": [
          {"Operation": "get_made_webcam_booking_details", "Times": 2,
           "Effect": {"Respond": {"Status": 503, "Message": "Try later", "RetryAfter": 1}}},
          {"Operation": "create_webcam_booking", "Probability": 0.2, "Seed": 7,
           "Effect": {"ApplyThenDrop": {}}},
          {"Operation": "*", "Token": "sandbox-client-token", "Effect": {"Delay": {"Millis": 1500}}}
        ]}"#;
        let f = rules(json).unwrap();
        let listed = serde_json::to_value(f.list()).unwrap();
        assert_eq!(
            listed[0],
            serde_json::json!({"Operation": "get_made_webcam_booking_details", "Times": 2,
                "Effect": {"Respond": {"Status": 503, "Message": "Try later", "RetryAfter": 1}},
                "Fired": 0})
        );
        assert_eq!(
            listed[1]["Effect"],
            serde_json::json!({"ApplyThenDrop": {}})
        );
        assert_eq!(listed[2]["Token"], "sandbox-client-token");
    }

    #[test]
    fn times_limits_the_fires_and_later_rules_still_match() {
        let f = rules(
            r#"{"Rules": [
              {"Operation": "create_webcam_booking", "Times": 2, "Effect": {"Reset": {}}},
              {"Operation": "*", "Effect": {"Delay": {"Millis": 1}}}]}"#,
        )
        .unwrap();
        let op = adultwork::Operation::CreateWebcamBooking;
        assert_eq!(f.decide(op, None), Some(Effect::Reset {}));
        assert_eq!(
            f.decide(adultwork::Operation::GetMadeWebcamBookingDetails, None),
            Some(Effect::Delay { millis: 1 })
        );
        assert_eq!(f.decide(op, None), Some(Effect::Reset {}));
        assert_eq!(f.decide(op, None), Some(Effect::Delay { millis: 1 }));
        let fired: Vec<u64> = f.list().iter().map(|r| r.fired).collect();
        assert_eq!(fired, [2, 2]);
    }

    #[test]
    fn a_token_rule_matches_only_that_token() {
        let f = rules(r#"{"Rules": [{"Operation": "*", "Token": "a", "Effect": {"Reset": {}}}]}"#)
            .unwrap();
        assert_eq!(
            f.decide(adultwork::Operation::CreateWebcamBooking, Some("b")),
            None
        );
        assert_eq!(
            f.decide(adultwork::Operation::CreateWebcamBooking, None),
            None
        );
        assert_eq!(
            f.decide(adultwork::Operation::CreateWebcamBooking, Some("a")),
            Some(Effect::Reset {})
        );
    }

    #[test]
    fn the_same_seed_gives_the_same_sequence() {
        let json = |seed: u64| {
            format!(
                r#"{{"Rules": [{{"Operation": "*", "Probability": 0.3, "Seed": {seed},
                   "Effect": {{"Reset": {{}}}}}}]}}"#
            )
        };
        let run = |seed| {
            let f = rules(&json(seed)).unwrap();
            (0..200)
                .map(|_| {
                    f.decide(adultwork::Operation::CreateWebcamBooking, None)
                        .is_some()
                })
                .collect::<Vec<_>>()
        };
        let a = run(7);
        assert_eq!(a, run(7));
        assert_ne!(a, run(8));
        let fires = a.iter().filter(|x| **x).count();
        assert!((30..=90).contains(&fires), "{fires} of 200 at p = 0.3");
        let never =
            rules(r#"{"Rules": [{"Operation": "*", "Probability": 0, "Effect": {"Reset": {}}}]}"#)
                .unwrap();
        assert!((0..100).all(|_| {
            never
                .decide(adultwork::Operation::CreateWebcamBooking, None)
                .is_none()
        }));
    }

    #[test]
    fn bad_rules_name_the_field_and_add_nothing() {
        let f = rules(r#"{"Rules": [{"Operation": "*", "Effect": {"Reset": {}}}]}"#).unwrap();
        for (json, field, needle) in [
            (
                r#"{"Rules": [{"Operation": "nope", "Effect": {"Reset": {}}}]}"#,
                "Rules[0].Operation",
                "create_webcam_booking",
            ),
            (
                r#"{"Rules": [{"Operation": "*", "Effect": {"Reset": {}}}, {"Operation": "*", "Times": 0, "Effect": {"Reset": {}}}]}"#,
                "Rules[1].Times",
                "at least 1",
            ),
            (
                r#"{"Rules": [{"Operation": "*", "Probability": 1.5, "Effect": {"Reset": {}}}]}"#,
                "Rules[0].Probability",
                "0 to 1",
            ),
            (
                r#"{"Rules": [{"Operation": "*", "Seed": 1, "Effect": {"Reset": {}}}]}"#,
                "Rules[0].Seed",
                "Probability",
            ),
            (
                r#"{"Rules": [{"Operation": "*", "Effect": {"Respond": {"Status": 200, "Message": "x"}}}]}"#,
                "Rules[0].Effect.Respond.Status",
                "400 to 599",
            ),
            (
                r#"{"Rules": [{"Operation": "*", "Effect": {"ApplyThenRespond": {"Status": 503, "Message": "x", "RetryAfter": 99999}}}]}"#,
                "Rules[0].Effect.ApplyThenRespond.RetryAfter",
                "3600",
            ),
            (
                r#"{"Rules": [{"Operation": "*", "Effect": {"Delay": {"Millis": 60001}}}]}"#,
                "Rules[0].Effect.Delay.Millis",
                "60000",
            ),
            (
                r#"{"Rules": [{"Operation": "*", "Token": "", "Effect": {"Reset": {}}}]}"#,
                "Rules[0].Token",
                "bearer token",
            ),
            (
                r#"{"Rules": [{"Operation": "*", "Effect": {"Explode": {}}}]}"#,
                "Rules[0].Effect",
                "unknown variant",
            ),
            (
                r#"{"Rules": [{"Operation": "*", "Effect": {"Delay": {"Millis": -1}}}]}"#,
                "Rules[0].Effect.Delay.Millis",
                "invalid value",
            ),
            (
                r#"{"Rules": [{"Operation": "*", "Effect": {"Delay": {}}}]}"#,
                "Rules[0].Effect.Delay",
                "Millis",
            ),
            (
                r#"{"Rules": [{"Operation": "*", "Typo": 1, "Effect": {"Reset": {}}}]}"#,
                "Rules[0].Typo",
                "unknown field",
            ),
            (
                r#"{"Rules": [{"Effect": {"Reset": {}}}]}"#,
                "Rules[0]",
                "Operation",
            ),
            (r#"{"Rule": []}"#, "Rule", "unknown field"),
            ("[", "the body", "EOF"),
        ] {
            let e = f.add_json(json).unwrap_err();
            assert_eq!(e.field, field, "{json}: {e}");
            assert!(e.to_string().contains(needle), "{json}: {e}");
            assert_eq!(f.list().len(), 1, "{json} changed the rules");
        }
    }

    #[test]
    fn rules_are_bounded_and_tokens_stay_out_of_debug() {
        let f = Faults::new();
        let one = r#"{"Operation": "*", "Token": "secret-token", "Effect": {"Reset": {}}}"#;
        let many = format!(r#"{{"Rules": [{}]}}"#, vec![one; MAX_FAULT_RULES].join(","));
        f.add_json(&many).unwrap();
        let e = f.add_json(&format!(r#"{{"Rules": [{one}]}}"#)).unwrap_err();
        assert_eq!(e.field, "Rules");
        assert_eq!(f.list().len(), MAX_FAULT_RULES);
        let debug = format!("{:?}", f.list());
        assert!(!debug.contains("secret-token"), "{debug}");
        f.clear();
        assert!(f.list().is_empty());
    }
}
