//! The one door to stdout. Every other module is denied `clippy::print_stdout`.
//!
//! Writes never panic: a closed pipe (`adultwork ... | head`) silently ends the output.

use std::fmt::Display;
use std::io::{self, Write};

use serde::Serialize;

/// Prints `value` as pretty JSON: the API's field names, whatever the wire format was.
pub(crate) fn json<T: Serialize>(value: &T) {
    let text = serde_json::to_string_pretty(value)
        .unwrap_or_else(|e| format!("{{\"error\": \"could not encode the answer: {e}\"}}"));
    line(text);
}

/// Prints one line (or a block of lines) of text.
pub(crate) fn line(text: impl Display) {
    let mut out = io::stdout().lock();
    // Ignore a closed stdout, like other command-line tools piped into `head`.
    let _ = writeln!(out, "{text}").and_then(|()| out.flush());
}

/// Writes `bytes` as they are (a completion script, a man page).
pub(crate) fn bytes(bytes: &[u8]) {
    let mut out = io::stdout().lock();
    let _ = out.write_all(bytes).and_then(|()| out.flush());
}
