//! Exit codes: every way a command can fail, and the code each maps to.
//!
//! | code | meaning |
//! |---|---|
//! | 0 | success; the response is on stdout as pretty JSON with the API's field names |
//! | 1 | the API answered with an error (status and message on stderr) |
//! | 2 | invalid input, found before anything was sent (usage errors, SDK validation) |
//! | 3 | transport failure with nothing sent, or an undecodable answer to a GET |
//! | 4 | the outcome of a POST is unknown: it was sent and no definitive answer came back |
//! | 5 | `webcam wait`: the booking reached a state from which the target cannot come |
//! | 124 | `webcam wait`: gave up at `--timeout` |

use std::fmt;

use adultwork::{Error, WaitError};

/// A failure of a command, with the exit code it maps to.
#[derive(Debug)]
pub(crate) struct Failure {
    /// The process exit code.
    pub(crate) code: u8,
    /// One line for stderr.
    pub(crate) message: String,
}

impl Failure {
    /// The API answered with an error.
    pub(crate) const API: u8 = 1;
    /// Invalid input, found before anything was sent.
    pub(crate) const INPUT: u8 = 2;
    /// Transport failure with nothing sent, or a failed or undecodable answer to a GET.
    pub(crate) const TRANSPORT: u8 = 3;
    /// A POST was sent and no definitive answer came back: it may have taken effect.
    pub(crate) const UNKNOWN: u8 = 4;
    /// `webcam wait`: the booking reached a state from which the target cannot come.
    pub(crate) const UNREACHABLE: u8 = 5;
    /// `webcam wait`: gave up at `--timeout` (as `timeout(1)` does).
    pub(crate) const TIMED_OUT: u8 = 124;

    pub(crate) fn new(code: u8, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        let code = exit_code(&e);
        let mut message = e.to_string();
        if code == Self::INPUT {
            message.push_str("; nothing was sent");
        }
        if code == Self::UNKNOWN {
            message.push_str(&match e.raw_body().and_then(|b| booking_id_in(b)) {
                Some(id) => format!(
                    ". The part of the answer that arrived names BookingID {id}: \
                     `adultwork webcam details --booking-id {id}` shows a webcam booking"
                ),
                None => ". Look for the booking on AdultWork, or read one whose ID you know \
                     with `adultwork webcam details --booking-id ID`, before running this \
                     command again"
                    .to_string(),
            });
        }
        Self::new(code, message)
    }
}

/// A wait that ended without its target.
impl From<WaitError> for Failure {
    fn from(e: WaitError) -> Self {
        match e {
            WaitError::Unreachable { .. } => Failure::new(Self::UNREACHABLE, e.to_string()),
            WaitError::TimedOut { .. } => Failure::new(Self::TIMED_OUT, e.to_string()),
            WaitError::Failed { source, .. } => Failure::from(source),
            other => Failure::new(Self::TRANSPORT, other.to_string()),
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // One line, whatever the message holds.
        let line: String = self
            .message
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        write!(f, "error: {line}")
    }
}

/// The exit code for an SDK error: 1 the API answered with an error, 2 caught before
/// sending, 4 a POST's outcome is unknown, 3 everything else on the way there and back
/// (connect, a GET's timeout, transport, undecodable or oversized body).
pub(crate) fn exit_code(e: &Error) -> u8 {
    match e {
        Error::Api { .. } | Error::Redirect { .. } => Failure::API,
        e if e.is_before_sending() => Failure::INPUT,
        e if e.outcome_unknown() => Failure::UNKNOWN,
        _ => Failure::TRANSPORT,
    }
}

/// The first positive `BookingID` in what arrived of an answer, JSON (`"BookingID": 17`) or
/// XML (`<BookingID>17</BookingID>`).
fn booking_id_in(body: &[u8]) -> Option<i64> {
    const NAME: &[u8] = b"BookingID";
    body.windows(NAME.len())
        .enumerate()
        .filter(|(_, w)| *w == NAME)
        .find_map(|(at, _)| {
            let rest = &body[at + NAME.len()..];
            let skip = rest
                .iter()
                .take_while(|b| matches!(b, b'"' | b':' | b'>' | b' ' | b'\t'))
                .count();
            let digits: &[u8] = &rest[skip..];
            let len = digits.iter().take_while(|b| b.is_ascii_digit()).count();
            std::str::from_utf8(&digits[..len])
                .ok()?
                .parse::<i64>()
                .ok()
                .filter(|&id| id > 0)
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use adultwork::Format;

    #[test]
    fn exit_codes_follow_the_contract() {
        assert_eq!(exit_code(&Error::Config("x".into())), 2);
        assert_eq!(
            exit_code(&Error::Validation(adultwork::validate::Violation::new(
                "Duration",
                "must be at least 5"
            ))),
            2
        );
        assert_eq!(exit_code(&Error::Timeout), 3);
        let (detail, source) = ("refused".to_string(), None);
        assert_eq!(exit_code(&Error::Connect { detail, source }), 3);
        let (detail, source) = ("reset".to_string(), None);
        assert_eq!(exit_code(&Error::Transport { detail, source }), 3);
        assert_eq!(exit_code(&Error::BodyTooLarge { limit: 1 }), 3);
        assert_eq!(
            exit_code(&Error::Decode {
                format: Format::Xml,
                detail: "x".into(),
                snippet: "y".into(),
                source: None,
            }),
            3
        );
        let unknown = Error::OutcomeUnknown {
            effect: "the booking may have been made",
            cause: Box::new(Error::Timeout),
            body: br#"[{"BookingID": 17, "Sta"#[..].into(),
        };
        assert_eq!(exit_code(&unknown), 4);
        let failure = Failure::from(unknown);
        assert_eq!(failure.code, 4);
        assert!(
            failure.message.contains("may have been made")
                && failure.message.contains("--booking-id 17"),
            "{}",
            failure.message
        );
    }

    #[test]
    fn a_booking_id_is_found_in_what_arrived_of_an_answer() {
        assert_eq!(booking_id_in(br#"[{"BookingID":5,"#), Some(5));
        assert_eq!(
            booking_id_in(br#"<BookingID i:nil="true"/><BookingID>42</BookingID>"#),
            Some(42)
        );
        assert_eq!(booking_id_in(br#"{"BookingID": null}"#), None);
        assert_eq!(booking_id_in(br#"{"BookingID": 0}"#), None);
        assert_eq!(booking_id_in(b"BookingID"), None);
        assert_eq!(booking_id_in(b"BookingID:99999999999999999999999"), None);
    }

    #[test]
    fn failure_is_one_line() {
        let f = Failure::new(1, "the API answered 400:\nfirst\r\nsecond");
        assert_eq!(f.to_string(), "error: the API answered 400: first  second");
    }
}
