//! The API's two date-time wire forms: offset-less response timestamps and minute-precision
//! request dates.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A response date-time as the API's .NET serializer writes it (spec format `dotnet-date-time`).
///
/// The API usually sends no UTC offset (`2018-01-22T21:30:00`): the value is then the API's
/// local time and no time zone is assumed. Every form a .NET server writes decodes: minutes
/// only, seconds, 1–7 fractional digits, and an optional `Z` or `±hh:mm`.
///
/// ```
/// use adultwork::Timestamp;
///
/// let t: Timestamp = "2018-01-20T12:34:56.789".parse()?;
/// assert_eq!(t.naive().to_string(), "2018-01-20 12:34:56.789");
/// assert_eq!(t.offset(), None);
///
/// let utc: Timestamp = "2018-01-20T12:34:56.1234567Z".parse()?;
/// assert_eq!(utc.offset().map(|o| o.local_minus_utc()), Some(0));
/// # Ok::<(), adultwork::ParseTimestampError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Timestamp {
    naive: NaiveDateTime,
    offset: Option<FixedOffset>,
}

impl Timestamp {
    /// A timestamp without an offset, as the API normally sends.
    pub fn from_naive(naive: NaiveDateTime) -> Self {
        Self {
            naive,
            offset: None,
        }
    }

    /// A timestamp with an explicit offset from UTC.
    pub fn with_offset(naive: NaiveDateTime, offset: FixedOffset) -> Self {
        Self {
            naive,
            offset: Some(offset),
        }
    }

    /// The wall-clock date and time as sent, whatever its offset.
    pub fn naive(&self) -> NaiveDateTime {
        self.naive
    }

    /// The offset the server sent (`Z` is `+00:00`), or `None` when it sent none.
    pub fn offset(&self) -> Option<FixedOffset> {
        self.offset
    }

    /// The instant in UTC, only when the server sent an offset; `None` otherwise, because
    /// guessing the API's time zone would be wrong half the year.
    pub fn to_utc(&self) -> Option<DateTime<Utc>> {
        let offset = self.offset?;
        self.naive
            .and_local_timezone(offset)
            .single()
            .map(|t| t.with_timezone(&Utc))
    }
}

impl From<NaiveDateTime> for Timestamp {
    fn from(naive: NaiveDateTime) -> Self {
        Self::from_naive(naive)
    }
}

impl From<DateTime<FixedOffset>> for Timestamp {
    fn from(t: DateTime<FixedOffset>) -> Self {
        Self::with_offset(t.naive_local(), *t.offset())
    }
}

/// Why a string is not a [`Timestamp`] or a [`MinuteDateTime`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid date-time {input:?}: expected {expected}")]
pub struct ParseTimestampError {
    input: String,
    expected: &'static str,
}

impl ParseTimestampError {
    fn new(input: &str, expected: &'static str) -> Self {
        // Keep errors small even for hostile input.
        let input = input.chars().take(64).collect();
        Self { input, expected }
    }
}

const TIMESTAMP_FORM: &str =
    "YYYY-MM-DDTHH:MM[:SS[.fffffff]] with an optional Z or ±hh:mm (format dotnet-date-time)";
const MINUTE_FORM: &str = "YYYY-MM-DD HH:MM (format minute-date-time)";

/// Reads exactly `n` ASCII digits at `*pos`.
fn digits(b: &[u8], pos: &mut usize, n: usize) -> Option<u32> {
    let slice = b.get(*pos..*pos + n)?;
    let mut v = 0u32;
    for &c in slice {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u32::from(c - b'0');
    }
    *pos += n;
    Some(v)
}

fn expect(b: &[u8], pos: &mut usize, c: u8) -> Option<()> {
    (b.get(*pos) == Some(&c)).then(|| *pos += 1)
}

/// `YYYY-MM-DD{sep}HH:MM`, the prefix both wire forms share.
fn date_hour_minute(b: &[u8], pos: &mut usize, sep: u8) -> Option<(NaiveDate, u32, u32)> {
    let y = digits(b, pos, 4)?;
    expect(b, pos, b'-')?;
    let m = digits(b, pos, 2)?;
    expect(b, pos, b'-')?;
    let d = digits(b, pos, 2)?;
    expect(b, pos, sep)?;
    let h = digits(b, pos, 2)?;
    expect(b, pos, b':')?;
    let min = digits(b, pos, 2)?;
    Some((NaiveDate::from_ymd_opt(y as i32, m, d)?, h, min))
}

fn parse_timestamp(s: &str) -> Option<Timestamp> {
    let b = s.as_bytes();
    let mut pos = 0;
    let (date, h, min) = date_hour_minute(b, &mut pos, b'T')?;
    let (mut sec, mut nanos) = (0, 0);
    if expect(b, &mut pos, b':').is_some() {
        sec = digits(b, &mut pos, 2)?;
        if expect(b, &mut pos, b'.').is_some() {
            let start = pos;
            while pos < b.len() && b[pos].is_ascii_digit() && pos - start < 7 {
                nanos = nanos * 10 + u32::from(b[pos] - b'0');
                pos += 1;
            }
            let n = pos - start;
            if n == 0 {
                return None;
            }
            nanos *= 10u32.pow(9 - n as u32);
        }
    }
    let naive = date.and_time(NaiveTime::from_hms_nano_opt(h, min, sec, nanos)?);
    let offset = match b.get(pos) {
        None => None,
        Some(b'Z') => {
            pos += 1;
            Some(FixedOffset::east_opt(0)?)
        }
        Some(&sign @ (b'+' | b'-')) => {
            pos += 1;
            let oh = digits(b, &mut pos, 2)?;
            expect(b, &mut pos, b':')?;
            let om = digits(b, &mut pos, 2)?;
            let secs = (oh * 3600 + om * 60) as i32;
            Some(FixedOffset::east_opt(if sign == b'-' {
                -secs
            } else {
                secs
            })?)
        }
        Some(_) => return None,
    };
    (pos == b.len()).then_some(Timestamp { naive, offset })
}

impl FromStr for Timestamp {
    type Err = ParseTimestampError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_timestamp(s).ok_or_else(|| ParseTimestampError::new(s, TIMESTAMP_FORM))
    }
}

/// Writes the form a .NET server writes: seconds always, the fraction without trailing zeros
/// (at most 7 digits), then `Z` or `±hh:mm` when there is an offset.
impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.naive.format("%Y-%m-%dT%H:%M:%S"))?;
        let ticks = self.naive.nanosecond() % 1_000_000_000 / 100;
        if ticks != 0 {
            let frac = format!("{ticks:07}");
            write!(f, ".{}", frac.trim_end_matches('0'))?;
        }
        match self.offset {
            None => Ok(()),
            Some(o) if o.local_minus_utc() == 0 => f.write_str("Z"),
            Some(o) => {
                let s = o.local_minus_utc();
                let sign = if s < 0 { '-' } else { '+' };
                let s = s.abs();
                write!(f, "{sign}{:02}:{:02}", s / 3600, s % 3600 / 60)
            }
        }
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({self})")
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl schemars::JsonSchema for Timestamp {
    fn schema_name() -> Cow<'static, str> {
        "DotNetDateTime".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "string", "format": "dotnet-date-time" })
    }
}

/// A request date-time, to the minute (spec format `minute-date-time`, `YYYY-MM-DD HH:MM`),
/// in the API's local time.
///
/// Build one from a `chrono::NaiveDateTime` (seconds are dropped) or parse the wire form.
///
/// ```
/// use adultwork::MinuteDateTime;
/// use chrono::NaiveDate;
///
/// let at = NaiveDate::from_ymd_opt(2018, 2, 1).unwrap().and_hms_opt(12, 0, 59).unwrap();
/// assert_eq!(MinuteDateTime::from(at).to_string(), "2018-02-01 12:00");
/// assert_eq!("2018-02-01 12:00".parse::<MinuteDateTime>()?, MinuteDateTime::from(at));
/// # Ok::<(), adultwork::ParseTimestampError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MinuteDateTime(NaiveDateTime);

impl MinuteDateTime {
    /// The date-time this value stands for (seconds are always zero).
    pub fn naive(&self) -> NaiveDateTime {
        self.0
    }
}

impl From<NaiveDateTime> for MinuteDateTime {
    fn from(t: NaiveDateTime) -> Self {
        let minute = NaiveTime::from_hms_opt(t.hour(), t.minute(), 0).expect("valid time");
        Self(t.date().and_time(minute))
    }
}

impl From<MinuteDateTime> for NaiveDateTime {
    fn from(t: MinuteDateTime) -> Self {
        t.0
    }
}

impl FromStr for MinuteDateTime {
    type Err = ParseTimestampError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let b = s.as_bytes();
        let mut pos = 0;
        date_hour_minute(b, &mut pos, b' ')
            .filter(|_| pos == b.len())
            .and_then(|(date, h, m)| NaiveTime::from_hms_opt(h, m, 0).map(|t| date.and_time(t)))
            .map(Self)
            .ok_or_else(|| ParseTimestampError::new(s, MINUTE_FORM))
    }
}

impl fmt::Display for MinuteDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%d %H:%M"))
    }
}

impl fmt::Debug for MinuteDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MinuteDateTime({self})")
    }
}

impl Serialize for MinuteDateTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for MinuteDateTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl schemars::JsonSchema for MinuteDateTime {
    fn schema_name() -> Cow<'static, str> {
        "MinuteDateTime".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "string", "format": "minute-date-time" })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_response_form_decodes() {
        for (wire, naive) in [
            ("2018-01-01T11:00", "2018-01-01 11:00:00"),
            ("2018-01-22T21:30:00", "2018-01-22 21:30:00"),
            ("2018-01-20T12:34:56.789", "2018-01-20 12:34:56.789"),
            (
                "2018-01-20T12:34:56.1234567",
                "2018-01-20 12:34:56.123456700",
            ),
            ("2018-01-20T12:34:56.1", "2018-01-20 12:34:56.100"),
        ] {
            let t: Timestamp = wire.parse().unwrap();
            assert_eq!(t.naive().to_string(), naive, "{wire}");
            assert_eq!(t.offset(), None, "{wire}");
        }
    }

    #[test]
    fn offsets_are_kept_not_invented() {
        let z: Timestamp = "2018-01-20T12:34:56Z".parse().unwrap();
        assert_eq!(
            z.to_utc().unwrap().to_rfc3339(),
            "2018-01-20T12:34:56+00:00"
        );
        let plus: Timestamp = "2018-01-20T12:34:56+01:00".parse().unwrap();
        assert_eq!(
            plus.to_utc().unwrap().to_rfc3339(),
            "2018-01-20T11:34:56+00:00"
        );
        let minus: Timestamp = "2018-01-20T12:34:56-05:30".parse().unwrap();
        assert_eq!(
            minus.offset().unwrap().local_minus_utc(),
            -(5 * 3600 + 30 * 60)
        );
        let none: Timestamp = "2018-01-20T12:34:56".parse().unwrap();
        assert_eq!(none.to_utc(), None);
    }

    #[test]
    fn malformed_timestamps_are_errors() {
        for bad in [
            "",
            "2018-01-20",
            "2018-01-20 12:34",
            "2018-01-20T12",
            "2018-01-20T12:34:5",
            "2018-01-20T12:34:56.",
            "2018-01-20T12:34:56.12345678",
            "2018-13-20T12:34",
            "2018-02-30T12:34",
            "2018-01-20T25:00",
            "2018-01-20T12:34+1",
            "2018-01-20T12:34Zjunk",
            "２０18-01-20T12:34",
        ] {
            assert!(
                bad.parse::<Timestamp>().is_err(),
                "{bad:?} should not parse"
            );
        }
    }

    #[test]
    fn display_is_what_dotnet_writes() {
        for (wire, shown) in [
            ("2018-01-01T11:00", "2018-01-01T11:00:00"),
            ("2018-01-20T12:34:56.7890", "2018-01-20T12:34:56.789"),
            (
                "2018-01-20T12:34:56.1234567Z",
                "2018-01-20T12:34:56.1234567Z",
            ),
            ("2018-01-20T12:34:56+00:00", "2018-01-20T12:34:56Z"),
            ("2018-01-20T12:34:56-05:30", "2018-01-20T12:34:56-05:30"),
        ] {
            assert_eq!(wire.parse::<Timestamp>().unwrap().to_string(), shown);
        }
    }

    #[test]
    fn minute_form_round_trips_and_is_strict() {
        let t: MinuteDateTime = "2018-02-21 21:30".parse().unwrap();
        assert_eq!(t.to_string(), "2018-02-21 21:30");
        assert_eq!(serde_json::to_string(&t).unwrap(), "\"2018-02-21 21:30\"");
        for bad in [
            "2018-02-21T21:30",
            "2018-02-21 21:30:00",
            "2018-02-21 21",
            "21:30",
        ] {
            assert!(bad.parse::<MinuteDateTime>().is_err(), "{bad:?}");
        }
    }
}
