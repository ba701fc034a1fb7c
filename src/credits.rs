//! `Credits`: the API's decimal amounts.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An amount of credits (spec format `decimal`), never a float.
///
/// JSON sends `10` or `8`, DataContract XML sends `10.0000`; both decode to the same value.
/// Equality compares amounts, so `10 == 10.0000`.
///
/// ```
/// use adultwork::Credits;
/// use rust_decimal::Decimal;
///
/// let c: Credits = serde_json::from_str("32")?;
/// assert_eq!(c, Credits::from(32));
/// assert_eq!(c, "32.0000".parse::<Credits>().unwrap());
/// assert_eq!(Credits::new(Decimal::new(105, 1)).to_string(), "10.5");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Credits(Decimal);

impl Credits {
    /// Credits of the given decimal amount.
    pub const fn new(amount: Decimal) -> Self {
        Self(amount)
    }

    /// The amount as a decimal.
    pub const fn amount(&self) -> Decimal {
        self.0
    }
}

impl From<Decimal> for Credits {
    fn from(d: Decimal) -> Self {
        Self(d)
    }
}

impl From<u32> for Credits {
    fn from(n: u32) -> Self {
        Self(Decimal::from(n))
    }
}

impl From<Credits> for Decimal {
    fn from(c: Credits) -> Self {
        c.0
    }
}

impl FromStr for Credits {
    type Err = rust_decimal::Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Decimal::from_str_exact(s.trim()).map(Self)
    }
}

/// The amount as written, keeping its scale (`10.0000` stays `10.0000`).
impl fmt::Display for Credits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl fmt::Debug for Credits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Credits({})", self.0)
    }
}

/// A JSON number: an integer when the amount is whole (`10`), otherwise the shortest decimal
/// that reads back as the same amount (`10.5`). Amounts of up to 15 significant digits are
/// exact.
impl Serialize for Credits {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let n = self.0.normalize();
        if let Some(i) = n.to_i64().filter(|_| n.scale() == 0) {
            return s.serialize_i64(i);
        }
        s.serialize_f64(
            n.to_f64()
                .ok_or_else(|| serde::ser::Error::custom("credits out of range"))?,
        )
    }
}

/// Accepts a JSON number or a decimal string (as the XML path produces).
impl<'de> Deserialize<'de> for Credits {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Credits;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a decimal number of credits")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Credits, E> {
                Ok(Credits(Decimal::from(v)))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Credits, E> {
                Ok(Credits(Decimal::from(v)))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Credits, E> {
                // `f64`'s Display is the shortest text that reads back as `v`, so a JSON
                // `10.5` becomes exactly 10.5 rather than 10.4999999...
                if !v.is_finite() {
                    return Err(E::custom("credits must be finite"));
                }
                Decimal::from_str(&v.to_string())
                    .map(Credits)
                    .map_err(|_| E::custom(format!("credits {v} out of decimal range")))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Credits, E> {
                v.parse()
                    .map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
            }
        }
        d.deserialize_any(V)
    }
}

impl schemars::JsonSchema for Credits {
    fn schema_name() -> Cow<'static, str> {
        "Credits".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "number", "format": "decimal" })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_integer_and_xml_scaled_text_are_equal() {
        let json: Credits = serde_json::from_str("10").unwrap();
        let xml: Credits = serde_json::from_str("\"10.0000\"").unwrap();
        assert_eq!(json, xml);
        assert_eq!(xml.to_string(), "10.0000");
    }

    #[test]
    fn fractions_are_exact() {
        let c: Credits = serde_json::from_str("10.1").unwrap();
        assert_eq!(c.amount(), Decimal::new(101, 1));
        assert_eq!(serde_json::to_string(&c).unwrap(), "10.1");
        assert_eq!(serde_json::to_string(&Credits::from(32)).unwrap(), "32");
        let scaled: Credits = "32.0000".parse().unwrap();
        assert_eq!(serde_json::to_string(&scaled).unwrap(), "32");
    }

    #[test]
    fn garbage_is_an_error() {
        for bad in ["\"ten\"", "true", "null", "\"1e400\"", "[]"] {
            assert!(serde_json::from_str::<Credits>(bad).is_err(), "{bad}");
        }
    }
}
