//! Text that came from a server, made safe to show: secrets redacted however the server
//! escaped them, length bounded, control characters escaped.
//!
//! Every error that carries server bytes builds them through here, so a server or proxy that
//! echoes the `Authorization` header, or answers with a megabyte of terminal escapes, cannot
//! get either onto a user's screen or log.

#[cfg(feature = "client")]
use std::borrow::Cow;
use std::fmt::Write as _;

/// At most this many bytes of a server's text appear in an [`Error`](crate::Error)'s
/// `Display`; the rest is cut, and the message says how many bytes were.
pub const MAX_SHOWN_MESSAGE: usize = 1024;

#[cfg(feature = "client")]
/// The secrets a client sends (the token, `default_header` values), to take out of anything a
/// server sends back.
#[derive(Clone, Default)]
pub(crate) struct Secrets(Vec<Box<[u8]>>);

#[cfg(feature = "client")]
impl std::fmt::Debug for Secrets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Secrets({} redacted)", self.0.len())
    }
}

#[cfg(feature = "client")]
impl Secrets {
    /// Adds a secret; empty ones are ignored.
    pub(crate) fn add(&mut self, secret: &[u8]) {
        if !secret.is_empty() {
            self.0.push(secret.into());
        }
    }

    /// `bytes` with every copy of every secret replaced by `***`, whether written as it is or
    /// escaped as JSON (`\u0073`, `\/`), XML (`&#115;`, `&#x73;`, `&amp;`) or a URL (`%73`),
    /// in any mix.
    pub(crate) fn redact<'a>(&self, bytes: &'a [u8]) -> Cow<'a, [u8]> {
        let mut out: Option<Vec<u8>> = None;
        let mut copied = 0;
        let mut at = 0;
        while at < bytes.len() {
            match self.0.iter().find_map(|s| escaped_match(bytes, at, s)) {
                Some(end) => {
                    let o = out.get_or_insert_with(|| Vec::with_capacity(bytes.len()));
                    o.extend_from_slice(&bytes[copied..at]);
                    o.extend_from_slice(b"***");
                    copied = end;
                    at = end;
                }
                None => at += 1,
            }
        }
        match out {
            None => Cow::Borrowed(bytes),
            Some(mut o) => {
                o.extend_from_slice(&bytes[copied..]);
                Cow::Owned(o)
            }
        }
    }

    /// Whether `text` shows none of the secrets, in any of the escapings `redact` knows.
    pub(crate) fn reveals_none(&self, text: &str) -> bool {
        matches!(self.redact(text.as_bytes()), Cow::Borrowed(_))
    }

    /// [`redact`](Self::redact) for text. Matches start and end on ASCII bytes (secrets are
    /// visible ASCII, and so is every escape of them), so the result is still UTF-8.
    pub(crate) fn redact_str<'a>(&self, text: &'a str) -> Cow<'a, str> {
        match self.redact(text.as_bytes()) {
            Cow::Borrowed(_) => Cow::Borrowed(text),
            Cow::Owned(bytes) => Cow::Owned(String::from_utf8_lossy(&bytes).into_owned()),
        }
    }

    /// Server text ready for a `Display`: redacted, then at most [`MAX_SHOWN_MESSAGE`] bytes
    /// of it on one inert line ([`shown_within`]).
    pub(crate) fn shown(&self, text: &str) -> String {
        self.shown_within(text, MAX_SHOWN_MESSAGE)
    }

    /// Server text ready for a `Display`: redacted, then [`shown_within`] `max` bytes.
    pub(crate) fn shown_within(&self, text: &str, max: usize) -> String {
        shown_within(&self.redact_str(text), max)
    }
}

#[cfg(feature = "client")]
/// Where a copy of `secret` that starts at `bytes[at]` ends, each of its bytes written as
/// itself or escaped. A secret's `&`, `\\` or `%` may be itself or start an escape, so both
/// readings are followed; each (input position, secret position) pair is looked at once, so
/// no input makes this exponential.
fn escaped_match(bytes: &[u8], at: usize, secret: &[u8]) -> Option<usize> {
    let steps = |pos: usize, k: usize| {
        let input = &bytes[pos..];
        let want = secret[k];
        let literal = (input.first() == Some(&want)).then_some(1);
        [escape_len(input, want), literal]
            .into_iter()
            .flatten()
            .map(move |n| (pos + n, k + 1))
    };
    let mut pending: Vec<(usize, usize)> = steps(at, 0).collect();
    let mut seen = std::collections::HashSet::new();
    while let Some((pos, k)) = pending.pop() {
        if k == secret.len() {
            return Some(pos);
        }
        if seen.insert((pos, k)) {
            pending.extend(steps(pos, k));
        }
    }
    None
}

#[cfg(feature = "client")]
/// How many bytes at the start of `input` are one escape of `want`.
fn escape_len(input: &[u8], want: u8) -> Option<usize> {
    let (&first, rest) = input.split_first()?;
    match first {
        // JSON: \u0073, \/, \\, \"
        b'\\' => match *rest.first()? {
            b'u' => (hex(rest.get(1..5)?)? == u32::from(want)).then_some(6),
            c if c == want && matches!(c, b'/' | b'\\' | b'"') => Some(2),
            _ => None,
        },
        // XML: &#115; &#x73; &amp; ...
        b'&' => {
            let end = rest.iter().take(12).position(|&b| b == b';')?;
            let code = match &rest[..end] {
                [b'#', b'x' | b'X', digits @ ..] => hex(digits)?,
                [b'#', digits @ ..] => decimal(digits)?,
                b"amp" => u32::from(b'&'),
                b"lt" => u32::from(b'<'),
                b"gt" => u32::from(b'>'),
                b"quot" => u32::from(b'"'),
                b"apos" => u32::from(b'\''),
                _ => return None,
            };
            (code == u32::from(want)).then_some(end + 2)
        }
        // A URL: %73
        b'%' => (hex(rest.get(..2)?)? == u32::from(want)).then_some(3),
        _ => None,
    }
}

#[cfg(feature = "client")]
fn hex(digits: &[u8]) -> Option<u32> {
    if digits.is_empty() || digits.len() > 8 || !digits.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    u32::from_str_radix(std::str::from_utf8(digits).ok()?, 16).ok()
}

#[cfg(feature = "client")]
fn decimal(digits: &[u8]) -> Option<u32> {
    if digits.is_empty() || digits.len() > 10 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(digits).ok()?.parse().ok()
}

/// `text` on one inert line: control characters escaped (`\n`, `\u{1b}`), cut to at most
/// `max` bytes, then how many bytes of `text` were cut.
pub(crate) fn shown_within(text: &str, max: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max) + 32);
    let mut taken = 0;
    for c in text.chars() {
        let before = out.len();
        if c.is_control() || reorders_text(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
        if out.len() > max {
            out.truncate(before);
            break;
        }
        taken += c.len_utf8();
    }
    if taken < text.len() {
        let _ = write!(out, "… ({} more bytes)", text.len() - taken);
    }
    out
}

/// Line and paragraph separators and the bidirectional controls: not control characters, but
/// they break a line or reorder what a terminal shows after them.
pub(crate) fn reorders_text(c: char) -> bool {
    matches!(c, '\u{2028}' | '\u{2029}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(text: &str) -> String {
        shown_within(text, MAX_SHOWN_MESSAGE)
    }

    fn secrets(list: &[&str]) -> Secrets {
        let mut s = Secrets::default();
        for x in list {
            s.add(x.as_bytes());
        }
        s
    }

    #[test]
    fn a_secret_is_redacted_in_every_escaping() {
        let s = secrets(&["s3/cr&t"]);
        for echoed in [
            "s3/cr&t",
            r"s3\/cr&t",
            r"\u0073\u0033\u002f\u0063\u0072\u0026\u0074",
            r"\u0073\u0033\u002F\u0063\u0072\u0026\u0074",
            r"s\u00333/cr&t",
            "s3/cr&amp;t",
            "&#115;&#x33;&#X2f;cr&#38;t",
            "s3%2Fcr%26t",
            "%73%33%2f%63%72%26%74",
        ] {
            let body = format!(r#"{{"Message":"bad token {echoed}!"}}"#);
            let redacted = s.redact(body.as_bytes());
            let text = std::str::from_utf8(&redacted).unwrap();
            if echoed == r"s\u00333/cr&t" {
                // `\u0033` then another `3`: not the secret, nothing to redact.
                assert_eq!(text, body);
                continue;
            }
            assert_eq!(text, r#"{"Message":"bad token ***!"}"#, "{echoed}");
        }
    }

    #[test]
    fn backslashes_cannot_make_redaction_exponential() {
        let s = secrets(&[&"\\".repeat(40)]);
        let body = format!("{}x", "\\".repeat(79));
        assert!(matches!(s.redact(body.as_bytes()), Cow::Owned(_)));
        let body = format!("{}x", "\\".repeat(39));
        assert!(matches!(s.redact(body.as_bytes()), Cow::Borrowed(_)));
    }

    #[test]
    fn redaction_borrows_when_there_is_nothing_to_redact() {
        let s = secrets(&["tok", ""]);
        assert!(matches!(s.redact(b"no secret here"), Cow::Borrowed(_)));
        assert_eq!(&*s.redact(b"tok tok\xFFtok"), b"*** ***\xFF***");
        assert_eq!(s.redact_str("caf\u{e9} tok"), "caf\u{e9} ***");
        assert_eq!(format!("{s:?}"), "Secrets(1 redacted)");
    }

    #[test]
    fn shown_text_is_one_bounded_inert_line() {
        assert_eq!(shown("two\nlines\u{1b}[31m"), r"two\nlines\u{1b}[31m");
        assert_eq!(shown("a\u{2028}b\u{202e}c"), r"a\u{2028}b\u{202e}c");
        let long = "é".repeat(MAX_SHOWN_MESSAGE);
        let s = shown(&long);
        assert!(s.starts_with("éé"));
        assert!(s.ends_with(&format!("… ({} more bytes)", MAX_SHOWN_MESSAGE)));
        assert!(s.len() <= MAX_SHOWN_MESSAGE + 32);
        assert_eq!(shown("short"), "short");
        let escapes = shown(&"\u{7}".repeat(MAX_SHOWN_MESSAGE));
        assert!(escapes.len() <= MAX_SHOWN_MESSAGE + 32, "{}", escapes.len());
        assert!(escapes.starts_with(r"\u{7}\u{7}"));
    }
}
