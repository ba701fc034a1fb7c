//! One decode of a success body into its operation's type, JSON or DataContract XML, with
//! the error position as a byte offset either way.

use serde::de::DeserializeOwned;

use crate::error::{Error, Format};
use crate::untrusted::Secrets;
use crate::{Operation, xml};

/// Why a body did not decode: the format, what was wrong, where, and the decoder's own error.
#[derive(Debug)]
pub(crate) struct DecodeFailure {
    format: Format,
    detail: String,
    /// Byte offset into the body.
    position: usize,
    source: Box<dyn std::error::Error + Send + Sync>,
}

impl DecodeFailure {
    /// The SDK's [`Error::Decode`], its text made safe (redacted, bounded, inert).
    pub(crate) fn into_error(self, body: &[u8], secrets: &Secrets) -> Error {
        Error::decode(
            self.format,
            &self.detail,
            body,
            self.position,
            self.source,
            secrets,
        )
    }
}

/// Decodes `body`, a `200` answer to `op` in `format`, into `T` in one pass.
pub(crate) fn decode<T: DeserializeOwned>(
    op: Operation,
    format: Format,
    body: &[u8],
) -> Result<T, DecodeFailure> {
    match format {
        Format::Json => serde_json::from_slice(body).map_err(|e| DecodeFailure {
            format,
            detail: e.to_string(),
            position: line_col_to_offset(body, e.line(), e.column()),
            source: Box::new(e),
        }),
        Format::Xml => xml::from_slice(op.xml(), body).map_err(|e| DecodeFailure {
            format,
            detail: e.to_string(),
            position: usize::try_from(e.position)
                .unwrap_or(usize::MAX)
                .min(body.len()),
            source: Box::new(e),
        }),
    }
}

/// serde_json's 1-based line and column as a byte offset.
fn line_col_to_offset(body: &[u8], line: usize, column: usize) -> usize {
    let line_start: usize = body
        .split(|&b| b == b'\n')
        .take(line.saturating_sub(1))
        .map(|l| l.len() + 1)
        .sum();
    (line_start + column.saturating_sub(1)).min(body.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_errors_point_at_the_offending_byte() {
        let body = b"{\n  \"UserID\": \"abc\"\n}";
        let e = decode::<crate::types::WebcamBookingResult>(
            Operation::CreateWebcamBooking,
            Format::Json,
            body,
        )
        .unwrap_err();
        // serde_json stops on the value's last byte: the closing quote of `"abc"`.
        assert_eq!(&body[e.position - 4..=e.position], b"\"abc\"");
        assert!(e.detail.contains("line 2 column 17"), "{}", e.detail);
    }
}
