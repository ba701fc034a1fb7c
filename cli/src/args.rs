//! Value parsers for the API's own types, so bad input is a usage error (exit code 2) that
//! names the flag, before anything is sent. Every list of names the CLI accepts and shows
//! (wire formats, messenger software, phone-chat methods, wait targets) is the SDK's: its
//! `ALL` and `name()`, never restated here.

use std::ffi::OsStr;
use std::marker::PhantomData;
use std::time::Duration;

use adultwork::{Credits, Format, MinuteDateTime, PhoneChatMethod, SoftwareType, WaitTarget};
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::error::{ContextKind, ContextValue, ErrorKind};

/// A documented enumeration of the API that accepts a name or its wire number.
pub(crate) trait WireEnum: Copy + Send + Sync + std::str::FromStr + 'static {
    /// Every documented value.
    const ALL: &'static [Self];
    /// The lower-case name the CLI accepts.
    fn name(self) -> &'static str;
    /// The number on the wire.
    fn code(self) -> i64;
    /// Whether this is a documented value (not `Unknown`).
    fn is_known(self) -> bool;
    /// What the value means, for `--help`.
    fn meaning(self) -> &'static str;
}

impl WireEnum for SoftwareType {
    const ALL: &'static [Self] = SoftwareType::ALL;
    fn name(self) -> &'static str {
        SoftwareType::name(self)
    }
    fn code(self) -> i64 {
        SoftwareType::code(self)
    }
    fn is_known(self) -> bool {
        SoftwareType::is_known(self)
    }
    fn meaning(self) -> &'static str {
        match self {
            SoftwareType::MsnMessenger => "MSN Messenger; --sign-in must then be an email address",
            SoftwareType::YahooMessenger => "Yahoo Messenger",
            SoftwareType::Skype => "Skype",
            _ => "",
        }
    }
}

impl WireEnum for PhoneChatMethod {
    const ALL: &'static [Self] = PhoneChatMethod::ALL;
    fn name(self) -> &'static str {
        PhoneChatMethod::name(self)
    }
    fn code(self) -> i64 {
        PhoneChatMethod::code(self)
    }
    fn is_known(self) -> bool {
        PhoneChatMethod::is_known(self)
    }
    fn meaning(self) -> &'static str {
        match self {
            PhoneChatMethod::CallMe => "the booked user calls you; needs --phone-number",
            PhoneChatMethod::ICall => "you call the booked user",
            PhoneChatMethod::Skype => "a Skype call; needs --skype-name",
            _ => "",
        }
    }
}

/// Parses a [`WireEnum`] from its name (`skype`) or number (`3`), rejecting numbers the API
/// does not document.
#[derive(Debug)]
pub(crate) struct WireEnumParser<T>(PhantomData<T>);

impl<T> Clone for WireEnumParser<T> {
    fn clone(&self) -> Self {
        Self(PhantomData)
    }
}

impl<T> WireEnumParser<T> {
    pub(crate) fn new() -> Self {
        Self(PhantomData)
    }
}

impl<T: WireEnum> TypedValueParser for WireEnumParser<T> {
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<T, clap::Error> {
        let text = value.to_string_lossy();
        match text.parse::<T>() {
            Ok(v) if v.is_known() => Ok(v),
            _ => {
                let mut err = clap::Error::new(ErrorKind::InvalidValue).with_cmd(cmd);
                if let Some(arg) = arg {
                    err.insert(
                        ContextKind::InvalidArg,
                        ContextValue::String(arg.to_string()),
                    );
                }
                err.insert(
                    ContextKind::InvalidValue,
                    ContextValue::String(text.into_owned()),
                );
                let names = T::ALL.iter().map(|v| v.name().to_string());
                let codes = T::ALL.iter().map(|v| v.code().to_string());
                let valid = names.chain(codes).collect();
                err.insert(ContextKind::ValidValue, ContextValue::Strings(valid));
                Err(err)
            }
        }
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(T::ALL.iter().map(|v| {
            PossibleValue::new(v.name()).help(format!("{}: {}", v.code(), v.meaning()))
        })))
    }
}

/// A value of the SDK the CLI takes by its name alone (`--format json`, `--until settled`).
pub(crate) trait Named: Copy + Send + Sync + 'static {
    /// Every value.
    const ALL: &'static [Self];
    /// The lower-case name the CLI accepts.
    fn name(self) -> &'static str;
    /// What the value means, for `--help`.
    fn help(self) -> String;
}

impl Named for Format {
    const ALL: &'static [Self] = Format::ALL;
    fn name(self) -> &'static str {
        Format::name(self)
    }
    fn help(self) -> String {
        match self {
            Format::Json => self.media_type().to_string(),
            Format::Xml => format!("{} (.NET DataContract)", self.media_type()),
        }
    }
}

impl Named for WaitTarget {
    const ALL: &'static [Self] = WaitTarget::ALL;
    fn name(self) -> &'static str {
        WaitTarget::name(self)
    }
    fn help(self) -> String {
        self.summary().to_string()
    }
}

/// Parses a [`Named`] value from one of its names, listing them (with their help) in `--help`
/// and in the error for any other text, as clap does for its own value enums.
pub(crate) fn named<T: Named>() -> impl TypedValueParser<Value = T> {
    let values = T::ALL
        .iter()
        .map(|v| PossibleValue::new(v.name()).help(v.help()));
    PossibleValuesParser::new(values).try_map(|name: String| {
        T::ALL
            .iter()
            .copied()
            .find(|v| v.name() == name)
            .ok_or_else(|| format!("{name:?} is not one of the possible values"))
    })
}

/// `--credits`: a decimal amount such as `10` or `12.50` (never a float).
pub(crate) fn credits(s: &str) -> Result<Credits, String> {
    s.parse::<Credits>()
        .map_err(|_| "expected a decimal amount such as 10 or 12.50".to_string())
}

/// A request date in the API's `YYYY-MM-DD HH:MM` form (the API's local time).
pub(crate) fn minute_date(s: &str) -> Result<MinuteDateTime, String> {
    s.parse::<MinuteDateTime>().map_err(|e| e.to_string())
}

/// A duration with its unit: `500ms`, `10s`, `2m` or `1h` (whole numbers, more than zero).
pub(crate) fn duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (number, unit) = s.split_at(split);
    let n: u64 = number.parse().map_err(|_| {
        format!("{s:?} is not a duration: use a whole number and a unit, e.g. 10s, 500ms, 2m")
    })?;
    let d = match unit.trim() {
        "ms" => Duration::from_millis(n),
        "s" => Duration::from_secs(n),
        "m" => Duration::from_secs(n.saturating_mul(60)),
        "h" => Duration::from_secs(n.saturating_mul(3600)),
        "" => return Err(format!("{s:?} needs a unit: ms, s, m or h (e.g. {n}s)")),
        other => return Err(format!("unknown unit {other:?}: use ms, s, m or h")),
    };
    if d.is_zero() {
        return Err("must be more than zero".to_string());
    }
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Debug, Parser)]
    struct T {
        #[arg(long, value_parser = WireEnumParser::<SoftwareType>::new())]
        software: SoftwareType,
    }

    #[test]
    fn names_and_documented_numbers_parse_unknown_numbers_do_not() {
        for (input, want) in [
            ("skype", SoftwareType::Skype),
            ("3", SoftwareType::Skype),
            ("MSN", SoftwareType::MsnMessenger),
            ("2", SoftwareType::YahooMessenger),
        ] {
            assert_eq!(
                T::try_parse_from(["t", "--software", input])
                    .unwrap()
                    .software,
                want
            );
        }
        for bad in ["7", "icq", ""] {
            let err = T::try_parse_from(["t", "--software", bad]).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidValue, "{bad}");
            assert!(
                err.to_string()
                    .contains("[possible values: msn, yahoo, skype, 1, 2, 3]"),
                "{err}"
            );
        }
    }

    #[derive(Debug, Parser)]
    struct N {
        #[arg(long, value_parser = named::<WaitTarget>(), default_value = WaitTarget::default().name())]
        until: WaitTarget,
        #[arg(long, value_parser = named::<Format>(), default_value = Format::default().name())]
        format: Format,
    }

    #[test]
    fn named_values_are_the_sdks() {
        let n = N::try_parse_from(["n"]).unwrap();
        assert_eq!(
            (n.until, n.format),
            (WaitTarget::default(), Format::default())
        );
        for target in WaitTarget::ALL {
            let n = N::try_parse_from(["n", "--until", target.name()]).unwrap();
            assert_eq!(n.until, *target);
        }
        for format in Format::ALL {
            let n = N::try_parse_from(["n", "--format", format.name()]).unwrap();
            assert_eq!(n.format, *format);
        }
        let err = N::try_parse_from(["n", "--until", "done"]).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidValue);
        let names: Vec<_> = WaitTarget::ALL.iter().map(|t| t.name()).collect();
        assert!(
            err.to_string()
                .contains(&format!("[possible values: {}]", names.join(", "))),
            "{err}"
        );
    }

    #[test]
    fn credits_and_dates() {
        assert_eq!(credits("12.50").unwrap().to_string(), "12.50");
        assert!(credits("ten").is_err());
        assert_eq!(
            minute_date("2026-12-01 12:00").unwrap().to_string(),
            "2026-12-01 12:00"
        );
        assert!(minute_date("2026-12-01T12:00:00").is_err());
    }

    #[test]
    fn durations_need_a_unit() {
        assert_eq!(duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(duration("10s"), Ok(Duration::from_secs(10)));
        assert_eq!(duration("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(duration("1h"), Ok(Duration::from_secs(3600)));
        for bad in ["10", "0s", "s", "-1s", "1.5s", "10x", ""] {
            assert!(duration(bad).is_err(), "{bad}");
        }
    }
}
