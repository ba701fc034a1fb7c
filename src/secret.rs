//! The access token, kept out of every `Debug`, `Display` and log.

use std::fmt;

use http::HeaderValue;

/// An access token. Its `Debug` and `Display` print `*** redacted ***`; the only way to read it
/// back is [`Token::expose`].
///
/// ```
/// use adultwork::Token;
///
/// let token = Token::new("s3cr3t");
/// assert_eq!(format!("{token:?}"), "Token(*** redacted ***)");
/// assert_eq!(token.expose(), "s3cr3t");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// Wraps a token.
    pub fn new(token: impl Into<String>) -> Self {
        Self(token.into())
    }

    /// The token itself, for the rare code that must send it somewhere else.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// `bearer {token}`, marked sensitive so HTTP stacks never print it.
    pub(crate) fn header_value(&self) -> HeaderValue {
        let mut v = HeaderValue::from_str(&format!("bearer {}", self.0))
            .unwrap_or_else(|_| HeaderValue::from_static("bearer"));
        v.set_sensitive(true);
        v
    }

    /// Whether the token can be sent in a header (visible ASCII only).
    pub(crate) fn is_valid(&self) -> bool {
        !self.0.is_empty() && self.0.bytes().all(|b| b.is_ascii_graphic())
    }
}

impl From<&str> for Token {
    fn from(s: &str) -> Self {
        Self::new(s)
    }
}

impl From<String> for Token {
    fn from(s: String) -> Self {
        Self(s)
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(*** redacted ***)")
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("*** redacted ***")
    }
}
