//! Enumerations the server may extend. Each keeps values it does not know in an `Unknown`
//! variant instead of failing to decode, and writes them back unchanged.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Why a string names no value of one of these enums.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{input:?} is not a valid {what}")]
pub struct ParseEnumError {
    input: String,
    what: &'static str,
}

macro_rules! int_enum {
    (
        $(#[$meta:meta])*
        $name:ident, schema $schema:literal, $what:literal {
            $( $(#[$vmeta:meta])* $variant:ident = $value:literal, $label:literal, [$($alias:literal),*] ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this version of the SDK does not know, kept as sent.
            Unknown(i64),
        }

        impl $name {
            /// The number on the wire.
            pub const fn code(self) -> i64 {
                match self {
                    $( Self::$variant => $value, )+
                    Self::Unknown(v) => v,
                }
            }

            /// The value for a wire number (unknown numbers are kept).
            pub const fn from_code(code: i64) -> Self {
                match code {
                    $( $value => Self::$variant, )+
                    other => Self::Unknown(other),
                }
            }

            /// Whether this is one of the documented values.
            pub const fn is_known(self) -> bool {
                !matches!(self, Self::Unknown(_))
            }

            /// Every documented value.
            pub const ALL: &'static [Self] = &[$( Self::$variant ),+];

            /// A short lower-case name (what the CLI accepts and prints).
            pub const fn name(self) -> &'static str {
                match self {
                    $( Self::$variant => $label, )+
                    Self::Unknown(_) => "unknown",
                }
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self {
                    $( Self::$variant => write!(f, "{}({})", stringify!($variant), $value), )+
                    Self::Unknown(v) => write!(f, "Unknown({v})"),
                }
            }
        }

        /// The lower-case name, or the number for unknown values.
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self {
                    Self::Unknown(v) => write!(f, "{v}"),
                    known => f.write_str(known.name()),
                }
            }
        }

        /// Accepts the number (`3`) or a name (`skype`), case-insensitively.
        impl FromStr for $name {
            type Err = ParseEnumError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let t = s.trim();
                if let Ok(n) = t.parse::<i64>() {
                    return Ok(Self::from_code(n));
                }
                $(
                    if t.eq_ignore_ascii_case($label) $(|| t.eq_ignore_ascii_case($alias))* {
                        return Ok(Self::$variant);
                    }
                )+
                Err(ParseEnumError { input: s.chars().take(64).collect(), what: $what })
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_i64(self.code())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                i64::deserialize(d).map(Self::from_code)
            }
        }

        impl schemars::JsonSchema for $name {
            fn schema_name() -> Cow<'static, str> {
                $schema.into()
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({ "type": "integer", "enum": [$($value),+] })
            }
        }
    };
}

int_enum! {
    /// The messenger software of a webcam session (`SoftwareTypeID`).
    SoftwareType, schema "SoftwareType", "software type (1 msn, 2 yahoo, 3 skype)" {
        /// 1: MSN Messenger. The sign-in must then be an email address.
        MsnMessenger = 1, "msn", ["msn-messenger"],
        /// 2: Yahoo Messenger.
        YahooMessenger = 2, "yahoo", ["yahoo-messenger"],
        /// 3: Skype.
        Skype = 3, "skype", [],
    }
}

int_enum! {
    /// How a phone chat is placed (`Method`).
    PhoneChatMethod, schema "PhoneChatMethod", "phone-chat method (1 call-me, 2 i-call, 3 skype)" {
        /// 1: the booked user calls the client; `PhoneNumber` is required.
        CallMe = 1, "call-me", ["callme"],
        /// 2: the client calls the booked user.
        ICall = 2, "i-call", ["icall"],
        /// 3: Skype; `SkypeName` is required.
        Skype = 3, "skype", [],
    }
}

int_enum! {
    /// The outcome for one invited user of a webcam booking (`WebcamBookingResult.Status`).
    WebcamBookingOutcome, schema "WebcamBookingResultStatus", "webcam booking result status" {
        /// 0: booked.
        Success = 0, "success", [],
        /// 1: booked, but without the requested phone chat (the user does not allow it).
        BookedWithoutPhoneChat = 1, "booked-without-phone-chat", [],
        /// 2: not booked; the user does not use the chosen software (`BookingID` is null).
        SoftwareNotUsed = 2, "software-not-used", [],
    }
}

/// The state of a booking (`Status`).
#[derive(Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BookingStatus {
    /// Waiting for the booked user to answer.
    Pending,
    /// The booked user accepted.
    Accepted,
    /// The booked user rejected it, or did not accept in time.
    Rejected,
    /// Confirmed by both parties.
    Confirmed,
    /// Cancelled by a party, or because another invited user accepted first.
    Cancelled,
    /// A status this version of the SDK does not know, kept as sent.
    Unknown(String),
}

impl BookingStatus {
    /// The wire string.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Pending => "Pending",
            Self::Accepted => "Accepted",
            Self::Rejected => "Rejected",
            Self::Confirmed => "Confirmed",
            Self::Cancelled => "Cancelled",
            Self::Unknown(s) => s,
        }
    }

    /// Every documented status.
    pub const ALL: &'static [Self] = &[
        Self::Pending,
        Self::Accepted,
        Self::Rejected,
        Self::Confirmed,
        Self::Cancelled,
    ];
}

impl fmt::Debug for BookingStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unknown(s) => write!(f, "Unknown({s:?})"),
            known => f.write_str(known.as_str()),
        }
    }
}

/// The wire string; a status this SDK does not know is server text, so it is shown bounded
/// (64 bytes) with control and bidirectional characters escaped. [`as_str`](Self::as_str)
/// gives it as sent.
impl fmt::Display for BookingStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unknown(s) => f.write_str(&crate::untrusted::shown_within(s, 64)),
            known => f.write_str(known.as_str()),
        }
    }
}

/// Never fails: an unknown string becomes [`BookingStatus::Unknown`].
impl FromStr for BookingStatus {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Self::ALL
            .iter()
            .find(|k| k.as_str() == s)
            .cloned()
            .unwrap_or_else(|| Self::Unknown(s.to_string())))
    }
}

impl Serialize for BookingStatus {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for BookingStatus {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <Cow<'de, str>>::deserialize(d)?;
        Ok(s.parse().unwrap_or_else(|never| match never {}))
    }
}

impl schemars::JsonSchema for BookingStatus {
    fn schema_name() -> Cow<'static, str> {
        "BookingStatus".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "enum": ["Pending", "Accepted", "Rejected", "Confirmed", "Cancelled"]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_status_displays_bounded_and_inert_but_is_kept_as_sent() {
        let hostile = format!("On\nHold\u{202e}{}", "x".repeat(500));
        let status: BookingStatus = hostile.parse().unwrap();
        let shown = status.to_string();
        assert!(
            !shown.contains('\n') && !shown.contains('\u{202e}'),
            "{shown}"
        );
        assert!(shown.len() < 120, "{shown}");
        assert_eq!(status.as_str(), hostile);
        assert_eq!(BookingStatus::Pending.to_string(), "Pending");
    }

    #[test]
    fn documented_codes() {
        assert_eq!(SoftwareType::from_code(1), SoftwareType::MsnMessenger);
        assert_eq!(SoftwareType::from_code(2), SoftwareType::YahooMessenger);
        assert_eq!(SoftwareType::from_code(3), SoftwareType::Skype);
        assert_eq!(PhoneChatMethod::from_code(1), PhoneChatMethod::CallMe);
        assert_eq!(PhoneChatMethod::from_code(2), PhoneChatMethod::ICall);
        assert_eq!(PhoneChatMethod::from_code(3), PhoneChatMethod::Skype);
        assert_eq!(
            WebcamBookingOutcome::from_code(0),
            WebcamBookingOutcome::Success
        );
        assert_eq!(
            WebcamBookingOutcome::from_code(1),
            WebcamBookingOutcome::BookedWithoutPhoneChat
        );
        assert_eq!(
            WebcamBookingOutcome::from_code(2),
            WebcamBookingOutcome::SoftwareNotUsed
        );
    }

    #[test]
    fn unknown_values_survive_a_round_trip() {
        let s: SoftwareType = serde_json::from_str("7").unwrap();
        assert_eq!(s, SoftwareType::Unknown(7));
        assert_eq!(serde_json::to_string(&s).unwrap(), "7");
        let st: BookingStatus = serde_json::from_str("\"Expired\"").unwrap();
        assert_eq!(st, BookingStatus::Unknown("Expired".into()));
        assert_eq!(serde_json::to_string(&st).unwrap(), "\"Expired\"");
    }

    #[test]
    fn names_and_numbers_parse() {
        assert_eq!(
            "skype".parse::<SoftwareType>().unwrap(),
            SoftwareType::Skype
        );
        assert_eq!(
            "MSN".parse::<SoftwareType>().unwrap(),
            SoftwareType::MsnMessenger
        );
        assert_eq!(
            "2".parse::<PhoneChatMethod>().unwrap(),
            PhoneChatMethod::ICall
        );
        assert_eq!(
            "call-me".parse::<PhoneChatMethod>().unwrap(),
            PhoneChatMethod::CallMe
        );
        assert!("fax".parse::<PhoneChatMethod>().is_err());
        for s in BookingStatus::ALL {
            assert_eq!(s.as_str().parse::<BookingStatus>().unwrap(), *s);
        }
    }
}
