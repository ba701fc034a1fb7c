//! Every range and cross-field rule of a request, stated once: the documented rules the
//! schema cannot express (cross-field rules, rules about time) and the range rules the
//! ergonomic inputs need before they can become wire types (IDs, `Duration`, invited users).
//!
//! They run on the generated wire types, so the SDK (before sending) and the sandbox (on
//! receipt) enforce the very same rules; the request builders call the range rules here
//! rather than restating them. Their limits come from `openapi.yaml` (`minimum`, `format`
//! and the spec's `x-rules`), read by the build script. Shape rules the generated types
//! enforce themselves (required fields, patterns, `minLength`) stay with those types.

use std::fmt;
use std::num::{NonZeroU32, NonZeroU64};

use chrono::{Months, NaiveDateTime};

use crate::types::{
    CancelWebcamBookingRequest, CreatePhoneChatBookingRequest, CreateWebcamBookingRequest,
};
use crate::{Credits, PhoneChatMethod, SoftwareType};

// The limits, read from `openapi.yaml` by the build script (`build/rules.rs`): `minimum`s,
// `format`s and the spec's `x-rules`.
include!(concat!(env!("OUT_DIR"), "/rules.rs"));

/// A broken rule: the wire name of the field and the rule, e.g. `SessionDate` / `must be in
/// the future`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The field's wire name.
    pub field: &'static str,
    /// The rule, phrased to follow the field name.
    pub rule: String,
}

impl Violation {
    /// A violation of `rule` by `field`.
    pub fn new(field: &'static str, rule: impl Into<String>) -> Self {
        Self {
            field,
            rule: rule.into(),
        }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.field, self.rule)
    }
}

impl std::error::Error for Violation {}

#[cfg(feature = "client")]
impl From<Violation> for crate::Error {
    fn from(v: Violation) -> Self {
        crate::Error::Validation(v)
    }
}

type Result<T = ()> = std::result::Result<T, Violation>;

fn check(ok: bool, field: &'static str, rule: impl FnOnce() -> String) -> Result {
    if ok {
        Ok(())
    } else {
        Err(Violation::new(field, rule()))
    }
}

/// An ID a request names (`BookingID`, `UserID`, `BookUserID`): at least [`MIN_ID`] (the
/// spec's `minimum`), as the wire type holds it.
///
/// ```
/// use adultwork::validate;
///
/// assert_eq!(validate::id("BookingID", 7).unwrap().get(), 7);
/// let v = validate::id("BookingID", 0).unwrap_err();
/// assert_eq!(v.to_string(), "BookingID must be a positive ID (got 0)");
/// ```
pub fn id(field: &'static str, id: i64) -> Result<NonZeroU64> {
    u64::try_from(id)
        .ok()
        .filter(|_| id >= MIN_ID)
        .and_then(NonZeroU64::new)
        .ok_or_else(|| Violation::new(field, format!("must be a positive ID (got {id})")))
}

/// An ID the wire type holds as the `i64` every answer carries: at most [`MAX_ID`] (the
/// spec's `format: int64`). The SDK's own IDs always fit; a JSON body may not.
///
/// ```
/// use std::num::NonZeroU64;
/// use adultwork::validate;
///
/// assert_eq!(validate::wire_id("BookingID", NonZeroU64::MIN), Ok(1));
/// assert!(validate::wire_id("BookingID", NonZeroU64::MAX).is_err());
/// ```
pub fn wire_id(field: &'static str, id: NonZeroU64) -> Result<i64> {
    i64::try_from(id.get())
        .ok()
        .filter(|n| n.unsigned_abs() <= MAX_ID)
        .ok_or_else(|| Violation::new(field, format!("must be at most {MAX_ID} (int64; got {id})")))
}

fn positive_user_id(shown: impl fmt::Display) -> Violation {
    Violation::new(
        "BookUserIDs",
        format!("must hold positive user IDs (got {shown})"),
    )
}

/// The users a webcam booking invites: 1 to [`MAX_INVITED_USERS`], each a positive ID.
///
/// ```
/// use adultwork::validate;
///
/// assert!(validate::invited_users(&[123456, 123457, 123458, 123459]).is_ok());
/// let v = validate::invited_users(&[1, 2, 3, 4, 5]).unwrap_err();
/// assert_eq!(v.to_string(), "BookUserIDs must name 1 to 4 users (got 5)");
/// ```
pub fn invited_users(users: &[i64]) -> Result {
    check(
        (1..=MAX_INVITED_USERS).contains(&users.len()),
        "BookUserIDs",
        || {
            format!(
                "must name 1 to {MAX_INVITED_USERS} users (got {})",
                users.len()
            )
        },
    )?;
    match users.iter().find(|u| id("BookUserIDs", **u).is_err()) {
        Some(bad) => Err(positive_user_id(bad)),
        None => Ok(()),
    }
}

/// A webcam `Duration` in minutes: [`WEBCAM_MIN_DURATION`] to [`WEBCAM_MAX_DURATION`] (the
/// spec's `minimum` and `format: int32`), as the wire type holds it.
///
/// ```
/// use adultwork::validate;
///
/// assert_eq!(validate::webcam_duration(10).unwrap().get(), 10);
/// assert!(validate::webcam_duration(0).is_err());
/// assert!(validate::webcam_duration(u32::MAX).is_err());
/// ```
pub fn webcam_duration(minutes: u32) -> Result<NonZeroU32> {
    check(minutes >= WEBCAM_MIN_DURATION, "Duration", || {
        let unit = if WEBCAM_MIN_DURATION == 1 {
            "minute"
        } else {
            "minutes"
        };
        format!("must be at least {WEBCAM_MIN_DURATION} {unit} (got {minutes})")
    })?;
    check(minutes <= WEBCAM_MAX_DURATION, "Duration", || {
        format!("must be at most {WEBCAM_MAX_DURATION} minutes (got {minutes})")
    })?;
    NonZeroU32::new(minutes).ok_or_else(|| Violation::new("Duration", "must not be 0"))
}

/// The wire type's webcam `Duration` as the `i32` an answer carries, checked by
/// [`webcam_duration`].
///
/// ```
/// use std::num::NonZeroU32;
/// use adultwork::validate;
///
/// assert_eq!(validate::webcam_minutes(NonZeroU32::MIN), Ok(1));
/// assert!(validate::webcam_minutes(NonZeroU32::MAX).is_err());
/// ```
pub fn webcam_minutes(duration: NonZeroU32) -> Result<i32> {
    let minutes = webcam_duration(duration.get())?.get();
    i32::try_from(minutes).map_err(|_| {
        Violation::new(
            "Duration",
            format!("must be at most {} minutes (got {minutes})", i32::MAX),
        )
    })
}

/// A cancellation's `Reason`: present and not blank.
///
/// ```
/// use adultwork::validate;
///
/// assert!(validate::reason("I can't make it.").is_ok());
/// assert_eq!(
///     validate::reason(" \t").unwrap_err().to_string(),
///     "Reason is required and must not be blank"
/// );
/// ```
pub fn reason(reason: &str) -> Result {
    check(!reason.trim().is_empty(), "Reason", || {
        "is required and must not be blank".into()
    })
}

/// `Credits` > 0: the spec's `exclusiveMinimum` on `Credits`, which the docs do not state
/// (labelled `x-assumed` there).
fn positive_credits(credits: Credits) -> Result {
    check(
        credits.amount() > rust_decimal::Decimal::ZERO,
        "Credits",
        || format!("must be more than 0 (got {credits})"),
    )
}

fn in_future(field: &'static str, at: NaiveDateTime, now: NaiveDateTime) -> Result {
    check(at > now, field, || {
        format!(
            "must be in the future (got {}, now {})",
            at.format("%Y-%m-%d %H:%M"),
            now.format("%Y-%m-%d %H:%M")
        )
    })
}

/// Whether `s` looks like an email address: one `@`, a non-empty local part, and a dotted
/// domain, no spaces.
pub fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && !s.chars().any(char::is_whitespace)
        && domain.split('.').count() >= 2
        && domain.split('.').all(|label| !label.is_empty())
}

/// The digit counts [`PHONE_CHAT_NUMBER_DIGITS`] allows, in words: "10 or 11" (or "10 to
/// 12", or "10"), for messages and help texts.
///
/// ```
/// assert_eq!(adultwork::validate::phone_chat_digits(), "10 or 11");
/// ```
pub fn phone_chat_digits() -> String {
    let (fewest, most) = (
        *PHONE_CHAT_NUMBER_DIGITS.start(),
        *PHONE_CHAT_NUMBER_DIGITS.end(),
    );
    match most - fewest {
        0 => fewest.to_string(),
        1 => format!("{fewest} or {most}"),
        _ => format!("{fewest} to {most}"),
    }
}

/// Rules of `POST /v1/Webcam/CreateBooking` beyond the schema: invited IDs are positive;
/// `SessionDate` is in the future and at most [`WEBCAM_MAX_MONTHS_AHEAD`] months ahead;
/// `Duration` within [`webcam_duration`]; `Credits` > 0; a known `SoftwareTypeID`, with an
/// email sign-in for MSN Messenger; `PhoneNumber` when `AlsoPhoneChat`.
pub fn webcam_booking(req: &CreateWebcamBookingRequest, now: NaiveDateTime) -> Result {
    for id in req.book_user_ids.split(',') {
        if id.trim_start_matches('0').is_empty() {
            return Err(positive_user_id(id));
        }
    }
    let session = req.session_date.naive();
    in_future("SessionDate", session, now)?;
    // At the far end of the calendar there is no later date to be too far ahead of.
    let latest = now
        .checked_add_months(Months::new(WEBCAM_MAX_MONTHS_AHEAD))
        .unwrap_or(NaiveDateTime::MAX);
    check(session <= latest, "SessionDate", || {
        format!(
            "must be at most {WEBCAM_MAX_MONTHS_AHEAD} months ahead (got {}, latest {})",
            session.format("%Y-%m-%d %H:%M"),
            latest.format("%Y-%m-%d %H:%M")
        )
    })?;
    webcam_duration(req.duration.get())?;
    positive_credits(req.credits)?;
    check(req.software_type_id.is_known(), "SoftwareTypeID", || {
        format!(
            "must be 1 (MSN Messenger), 2 (Yahoo Messenger) or 3 (Skype) (got {})",
            req.software_type_id.code()
        )
    })?;
    if req.software_type_id == SoftwareType::MsnMessenger {
        check(
            is_email(&req.sign_in_name_or_email),
            "SignInNameOrEmail",
            || "must be an email address when SoftwareTypeID is 1 (MSN Messenger)".into(),
        )?;
    }
    if req.also_phone_chat == Some(true) {
        check(req.phone_number.is_some(), "PhoneNumber", || {
            "is required when AlsoPhoneChat is true".into()
        })?;
    }
    Ok(())
}

/// Rules of `POST /v1/PhoneChat/CreateBooking` beyond the schema: `Duration` ≥
/// [`PHONE_CHAT_MIN_DURATION`]; a known `Method`, with a `PhoneNumber` of
/// [`PHONE_CHAT_NUMBER_DIGITS`] digits for 1 and a `SkypeName` for 3 (for other methods they
/// are "not used" and not checked); `SessionDate` and `AcceptBy` in the future, `AcceptBy`
/// before `SessionDate`; `Credits` > 0.
pub fn phone_chat_booking(req: &CreatePhoneChatBookingRequest, now: NaiveDateTime) -> Result {
    check(req.duration >= PHONE_CHAT_MIN_DURATION, "Duration", || {
        format!(
            "must be at least {PHONE_CHAT_MIN_DURATION} minutes (got {})",
            req.duration
        )
    })?;
    match req.method {
        PhoneChatMethod::CallMe => {
            let Some(number) = req.phone_number.as_deref() else {
                return Err(Violation::new(
                    "PhoneNumber",
                    "is required when Method is 1 (call me)",
                ));
            };
            check(
                PHONE_CHAT_NUMBER_DIGITS.contains(&number.len())
                    && number.bytes().all(|b| b.is_ascii_digit()),
                "PhoneNumber",
                || {
                    format!(
                        "must be {} digits when Method is 1 (call me) (got {number:?})",
                        phone_chat_digits()
                    )
                },
            )?;
        }
        PhoneChatMethod::Skype => check(req.skype_name.is_some(), "SkypeName", || {
            "is required when Method is 3 (Skype)".into()
        })?,
        PhoneChatMethod::ICall => {}
        other => {
            return Err(Violation::new(
                "Method",
                format!(
                    "must be 1 (call me), 2 (I call) or 3 (Skype) (got {})",
                    other.code()
                ),
            ));
        }
    }
    let session = req.session_date.naive();
    let accept_by = req.accept_by.naive();
    in_future("SessionDate", session, now)?;
    in_future("AcceptBy", accept_by, now)?;
    check(accept_by < session, "AcceptBy", || {
        format!(
            "must be before SessionDate (got {}, session {})",
            accept_by.format("%Y-%m-%d %H:%M"),
            session.format("%Y-%m-%d %H:%M")
        )
    })?;
    positive_credits(req.credits)
}

/// Rules of `POST /v1/Webcam/CancelMadeBooking` beyond the schema: the [`reason`] rule.
pub fn cancel(req: &CancelWebcamBookingRequest) -> Result {
    reason(&req.reason)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{IntoWire, NewWebcamBooking};

    #[test]
    fn the_three_month_window_does_not_overflow_at_the_end_of_the_calendar() {
        let now = NaiveDateTime::MAX - chrono::TimeDelta::days(1);
        let req = NewWebcamBooking::new(
            [123456],
            NaiveDateTime::MAX,
            10,
            Credits::from(10),
            SoftwareType::Skype,
            "me",
        )
        .into_wire()
        .unwrap();
        assert_eq!(webcam_booking(&req, now), Ok(()));
    }
}
