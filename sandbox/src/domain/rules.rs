//! The server-side prerequisites of the documented operations: the rules that need the
//! sandbox's data (users, balances) or a booking's state. The rules a request can be checked
//! against on its own live in the SDK (`adultwork::validate`) and run first.

use std::collections::HashSet;

use adultwork::types::{CreatePhoneChatBookingRequest, CreateWebcamBookingRequest};
use adultwork::validate::{self, Violation};
use adultwork::{BookingStatus, Credits, PhoneChatMethod, SoftwareType, WebcamBookingOutcome};
use chrono::{NaiveDateTime, TimeDelta};

use super::data::{SandboxData, User};

type Result<T = ()> = std::result::Result<T, Violation>;

/// How far ahead of "now" a rescheduled session starts (the docs: five minutes).
pub const RESCHEDULE_LEAD: TimeDelta = TimeDelta::minutes(5);

/// `StatusDescription` of a webcam invitation that succeeded.
pub const SUCCESS_DESCRIPTION: &str = "Success";

/// `StatusDescription` of a webcam invitation booked without the requested phone chat.
pub const NO_PHONE_CHAT_DESCRIPTION: &str =
    "The Webcam booking is made but the user does not allow phonechat.";

/// What happens for one invited user of a webcam booking.
#[derive(Debug, Clone, PartialEq)]
pub struct Invitation<'a> {
    /// The invited user.
    pub user: &'a User,
    /// Booked, booked without phone chat, or not booked.
    pub outcome: WebcamBookingOutcome,
    /// The outcome in the docs' words.
    pub description: String,
    /// Whether a phone chat is booked too.
    pub also_phone_chat: bool,
}

/// The docs' name of a messenger, as used in `StatusDescription`.
pub fn software_name(software: SoftwareType) -> &'static str {
    match software {
        SoftwareType::MsnMessenger => "MSN Messenger",
        SoftwareType::YahooMessenger => "Yahoo Messenger",
        SoftwareType::Skype => "Skype",
        _ => "this software",
    }
}

/// Whether `user` may be booked for phone chat at all: they provide it and do not have the
/// DirectChat Only option.
pub fn allows_phone_chat(user: &User) -> bool {
    user.phone_chat
        .as_ref()
        .is_some_and(|p| !p.direct_chat_only)
}

/// The webcam invitations of a create request, in the order invited. Refuses the whole
/// request when an ID is repeated, names the client, names nobody, or names a user who is not
/// set up for webcam sessions ("These users must be configured to do Webcam sessions"). A user
/// who does webcam on other software gets outcome 2; one who does not allow phone chat, when
/// it was requested, outcome 1.
pub fn invitations<'a>(
    data: &'a SandboxData,
    client_id: i64,
    req: &CreateWebcamBookingRequest,
) -> Result<Vec<Invitation<'a>>> {
    let wants_phone_chat = req.also_phone_chat == Some(true);
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for raw in req.book_user_ids.split(',') {
        let bad = |rule: String| Violation::new("BookUserIDs", rule);
        let id: i64 = raw
            .parse()
            .map_err(|_| bad(format!("must hold user IDs (got {raw:?})")))?;
        if !seen.insert(id) {
            return Err(bad(format!("must not name a user twice (got {id} twice)")));
        }
        if id == client_id {
            return Err(bad(format!(
                "must not include the authenticated user ({id})"
            )));
        }
        let user = data
            .user(id)
            .ok_or_else(|| bad(format!("must name existing users (no user {id})")))?;
        let webcam = user.webcam.as_ref().ok_or_else(|| {
            bad(format!(
                "must name users set up for webcam sessions ({} ({id}) is not)",
                user.nickname
            ))
        })?;
        let invitation = if !webcam.software.contains(&req.software_type_id) {
            Invitation {
                user,
                outcome: WebcamBookingOutcome::SoftwareNotUsed,
                description: format!(
                    "The user is not using {} for webcam sessions.",
                    software_name(req.software_type_id)
                ),
                also_phone_chat: false,
            }
        } else if wants_phone_chat && !allows_phone_chat(user) {
            Invitation {
                user,
                outcome: WebcamBookingOutcome::BookedWithoutPhoneChat,
                description: NO_PHONE_CHAT_DESCRIPTION.into(),
                also_phone_chat: false,
            }
        } else {
            Invitation {
                user,
                outcome: WebcamBookingOutcome::Success,
                description: SUCCESS_DESCRIPTION.into(),
                also_phone_chat: wants_phone_chat,
            }
        };
        out.push(invitation);
    }
    Ok(out)
}

/// `SendSMSOnAccept` needs the client's mobile number to be verified.
pub fn sms_on_accept(client: &User, requested: bool) -> Result {
    if requested && !client.mobile_verified {
        return Err(Violation::new(
            "SendSMSOnAccept",
            "needs the authenticated user's mobile number to be verified",
        ));
    }
    Ok(())
}

/// The client must have enough credits for what they offer: a prerequisite the docs state for
/// phone-chat bookings ("The client must have sufficient credits") and for nothing else, so
/// webcam bookings do not check it.
pub fn client_can_pay(client: &User, credits: Credits) -> Result {
    if credits > client.credit_balance {
        return Err(Violation::new(
            "Credits",
            format!(
                "must not exceed the authenticated user's credit balance (offered {credits}, balance {})",
                client.credit_balance
            ),
        ));
    }
    Ok(())
}

/// The phone-chat candidate of a create request: an existing user other than the client who
/// provides phone chat, is not DirectChat-only and accepts the method. The price is checked
/// apart ([`covers_price`]), since a performer may change it (`SaveSettings`).
pub fn phone_chat_candidate<'a>(
    data: &'a SandboxData,
    client_id: i64,
    req: &CreatePhoneChatBookingRequest,
) -> Result<&'a User> {
    let bad = |rule: String| Violation::new("BookUserID", rule);
    let id = validate::wire_id("BookUserID", req.book_user_id)?;
    if id == client_id {
        return Err(bad(format!("must not be the authenticated user ({id})")));
    }
    let user = data
        .user(id)
        .ok_or_else(|| bad(format!("must name an existing user (no user {id})")))?;
    let profile = user.phone_chat.as_ref().ok_or_else(|| {
        bad(format!(
            "must be a user who provides PhoneChat ({} ({id}) does not)",
            user.nickname
        ))
    })?;
    if profile.direct_chat_only {
        return Err(bad(format!(
            "must not have the DirectChat Only option enabled ({} ({id}) has)",
            user.nickname
        )));
    }
    if !profile.methods.contains(&req.method) {
        let accepted: Vec<String> = profile.methods.iter().map(|m| method_label(*m)).collect();
        return Err(Violation::new(
            "Method",
            format!(
                "must be a method {} accepts (got {}; accepted: {})",
                user.nickname,
                method_label(req.method),
                accepted.join(", ")
            ),
        ));
    }
    Ok(user)
}

/// The offered `Credits` cover the candidate's price per minute × `Duration` (no price: no
/// restriction, as the docs say of a null `PhoneChatPPM`).
pub fn covers_price(
    price_per_minute: Option<Credits>,
    req: &CreatePhoneChatBookingRequest,
) -> Result {
    if let Some(ppm) = price_per_minute {
        let minimum = ppm
            .amount()
            .checked_mul(req.duration.into())
            .map(Credits::new);
        if minimum.is_none_or(|min| req.credits < min) {
            return Err(Violation::new(
                "Credits",
                format!(
                    "must be at least PricePerMinute × Duration = {ppm} × {} = {} (got {})",
                    req.duration,
                    minimum.map_or_else(|| "too many".into(), |m| m.to_string()),
                    req.credits
                ),
            ));
        }
    }
    Ok(())
}

fn method_label(method: PhoneChatMethod) -> String {
    format!("{} ({})", method.code(), method.name())
}

/// When a webcam booking must be accepted by: midnight at the start of the session's day (as
/// in the docs' sample), or the session itself when that midnight has already passed.
pub fn webcam_accept_by(session: NaiveDateTime, now: NaiveDateTime) -> NaiveDateTime {
    let midnight = session.date().and_hms_opt(0, 0, 0).unwrap_or(session);
    if midnight > now { midnight } else { session }
}

/// Cancel prerequisites: the status is not Cancelled or Rejected, and a Confirmed booking's
/// session has not started yet.
pub fn cancellable(status: &BookingStatus, session: NaiveDateTime, now: NaiveDateTime) -> Result {
    match status {
        BookingStatus::Cancelled | BookingStatus::Rejected => Err(Violation::new(
            "Status",
            format!("must not be Cancelled or Rejected to cancel (the booking is {status})"),
        )),
        BookingStatus::Confirmed if session <= now => Err(Violation::new(
            "SessionDate",
            format!(
                "must not be in the past when the Status is Confirmed (session {}, now {})",
                session.format("%Y-%m-%d %H:%M"),
                now.format("%Y-%m-%d %H:%M")
            ),
        )),
        _ => Ok(()),
    }
}

/// Reschedule prerequisite on the performer: still set up for webcam on the old software.
pub fn performer_available(performer: Option<&User>, software: SoftwareType) -> Result {
    let webcam = performer.and_then(|p| p.webcam.as_ref());
    if webcam.is_none_or(|w| !w.software.contains(&software)) {
        return Err(Violation::new(
            "BookingID",
            format!(
                "must name a booking whose performer still does webcam sessions on {}",
                software_name(software)
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(d: u32, h: u32, m: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2018, 1, d)
            .unwrap()
            .and_hms_opt(h, m, 0)
            .unwrap()
    }

    #[test]
    fn accept_by_is_the_session_day_or_the_session() {
        // The docs' sample: created 2018-01-01 11:00, session 2018-02-01 12:00 → 2018-02-01 00:00.
        let session = NaiveDate::from_ymd_opt(2018, 2, 1)
            .unwrap()
            .and_hms_opt(12, 0, 0)
            .unwrap();
        assert_eq!(
            webcam_accept_by(session, at(1, 11, 0)).to_string(),
            "2018-02-01 00:00:00"
        );
        assert_eq!(webcam_accept_by(at(1, 12, 0), at(1, 11, 0)), at(1, 12, 0));
    }

    #[test]
    fn cancel_and_reschedule_rules() {
        let now = at(2, 0, 0);
        assert!(cancellable(&BookingStatus::Pending, at(1, 0, 0), now).is_ok());
        assert!(cancellable(&BookingStatus::Accepted, at(1, 0, 0), now).is_ok());
        assert!(cancellable(&BookingStatus::Confirmed, at(3, 0, 0), now).is_ok());
        assert_eq!(
            cancellable(&BookingStatus::Confirmed, at(1, 0, 0), now)
                .unwrap_err()
                .field,
            "SessionDate"
        );
        assert_eq!(
            cancellable(&BookingStatus::Rejected, at(3, 0, 0), now)
                .unwrap_err()
                .field,
            "Status"
        );
        assert_eq!(
            cancellable(&BookingStatus::Cancelled, at(3, 0, 0), now)
                .unwrap_err()
                .field,
            "Status"
        );
    }
}
