//! The documented rules the schema cannot express: cross-field rules and rules about time.
//!
//! They run on the generated wire types, so the SDK (before sending) and the sandbox (on
//! receipt) enforce the very same rules. Shape rules (required fields, patterns, minimums)
//! live in `openapi.yaml` and are enforced by the generated types' constructors.

use std::fmt;

use chrono::{Months, NaiveDateTime};

use crate::types::{
    CancelWebcamBookingRequest, CreatePhoneChatBookingRequest, CreateWebcamBookingRequest,
};
use crate::{Credits, PhoneChatMethod, SoftwareType};

/// The furthest ahead a webcam session may be booked.
pub const WEBCAM_MAX_MONTHS_AHEAD: u32 = 3;

/// The shortest phone-chat session, in minutes.
pub const PHONE_CHAT_MIN_DURATION: i32 = 5;

/// How many digits a phone-chat `PhoneNumber` has when `Method` is 1 (the docs: "Requires 10
/// or 11 numbers"; for other methods it is "not used" and not checked).
pub const PHONE_CHAT_NUMBER_DIGITS: std::ops::RangeInclusive<usize> = 10..=11;

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
        crate::Error::Validation {
            field: v.field,
            rule: v.rule,
        }
    }
}

type Result = std::result::Result<(), Violation>;

fn check(ok: bool, field: &'static str, rule: impl FnOnce() -> String) -> Result {
    if ok {
        Ok(())
    } else {
        Err(Violation::new(field, rule()))
    }
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

/// Rules of `POST /v1/Webcam/CreateBooking` beyond the schema: invited IDs are positive;
/// `SessionDate` is in the future and at most three months ahead; `Duration` fits the spec's
/// int32; `Credits` > 0; a known
/// `SoftwareTypeID`, with an email sign-in for MSN Messenger; `PhoneNumber` when
/// `AlsoPhoneChat`.
pub fn webcam_booking(req: &CreateWebcamBookingRequest, now: NaiveDateTime) -> Result {
    for id in req.book_user_ids.split(',') {
        check(
            !id.trim_start_matches('0').is_empty(),
            "BookUserIDs",
            || format!("must hold positive user IDs (got {id:?})"),
        )?;
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
    // The spec says int32; the generated type (non-zero unsigned) admits more.
    check(
        i32::try_from(req.duration.get()).is_ok(),
        "Duration",
        || {
            format!(
                "must be at most {} minutes (got {})",
                i32::MAX,
                req.duration
            )
        },
    )?;
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

/// Rules of `POST /v1/PhoneChat/CreateBooking` beyond the schema: `Duration` ≥ 5; a known
/// `Method`, with a 10- or 11-digit `PhoneNumber` for 1 and a `SkypeName` for 3 (for other
/// methods they are "not used" and not checked); `SessionDate` and `AcceptBy` in
/// the future, `AcceptBy` before `SessionDate`; `Credits` > 0.
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
                || format!("must be 10 or 11 digits when Method is 1 (call me) (got {number:?})"),
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

/// Rules of `POST /v1/Webcam/CancelMadeBooking` beyond the schema: `Reason` is not blank.
pub fn cancel(req: &CancelWebcamBookingRequest) -> Result {
    check(!req.reason.trim().is_empty(), "Reason", || {
        "is required and must not be blank".into()
    })
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
