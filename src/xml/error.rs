//! [`XmlError`]: why a body could not be decoded (or a value encoded), where, and in which element.

use std::fmt;

/// At most this many bytes of an error's detail come from outside (a custom message that
/// quotes the body's text); the rest is cut.
const MAX_DETAIL: usize = 256;

/// Why an XML body could not be decoded, with the byte offset and the element path where
/// decoding stopped.
///
/// The path lists the local names of the elements being read, from the root, as they appear
/// in the document (`WebcamBooking/Performer/UserID`, even where the model calls that member
/// `Client`); a list item is written XPath style, counting from 1:
/// `ArrayOfWebcamBookingResult/WebcamBookingResult[2]/Status`. Only elements the model knows
/// enter the path, so its length is bounded by the model, not by the body.
///
/// ```
/// let doc = adultwork::Operation::CreateWebcamBooking.xml();
/// let body = br#"<ArrayOfWebcamBookingResult><WebcamBookingResult>
///     <UserID>abc</UserID></WebcamBookingResult></ArrayOfWebcamBookingResult>"#;
/// let err = adultwork::xml::from_slice::<Vec<adultwork::types::WebcamBookingResult>>(doc, body)
///     .unwrap_err();
/// assert_eq!(err.path(), "ArrayOfWebcamBookingResult/WebcamBookingResult[1]/UserID");
/// assert_eq!(err.position, 54); // the `<` of `<UserID>`
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlError {
    /// What was wrong.
    pub detail: String,
    /// Byte offset into the body: the start tag of the element being read, or where the
    /// markup went wrong.
    pub position: u64,
    /// The element path (see the type's documentation); empty before the root.
    path: String,
    /// Whether `path` and `position` are filled in (a custom error from a type's
    /// `Deserialize` starts without them and gets them on its way out).
    located: bool,
}

impl XmlError {
    /// An error at `position` in the element `path`.
    pub(crate) fn at(detail: impl Into<String>, path: &str, position: u64) -> Self {
        Self {
            detail: detail.into(),
            position,
            path: path.to_owned(),
            located: true,
        }
    }

    /// An error not yet placed in the document (serde's `custom`, an encoding failure).
    pub(crate) fn unplaced(detail: impl fmt::Display) -> Self {
        Self {
            detail: crate::untrusted::shown_within(&detail.to_string(), MAX_DETAIL),
            position: 0,
            path: String::new(),
            located: false,
        }
    }

    /// Places an unplaced error in element `path` at `position`; a placed one is kept.
    pub(crate) fn place(mut self, path: &str, position: u64) -> Self {
        if !self.located {
            self.path = path.to_owned();
            self.position = position;
            self.located = true;
        }
        self
    }

    /// The element path where decoding stopped, e.g. `WebcamBooking/Performer/UserID`.
    pub fn path(&self) -> &str {
        &self.path
    }
}

impl fmt::Display for XmlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.path.is_empty() {
            write!(f, "{}: ", self.path)?;
        }
        write!(f, "{} (at byte {})", self.detail, self.position)
    }
}

impl std::error::Error for XmlError {}

impl serde::de::Error for XmlError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Self::unplaced(msg)
    }
}

impl serde::ser::Error for XmlError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Self::unplaced(msg)
    }
}
