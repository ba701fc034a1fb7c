//! .NET DataContract XML, driven by the spec.
//!
//! `build.rs` reads the `xml` objects and `x-datacontract-*` extensions of `openapi.yaml` into
//! the static [`Model`] tables below, so element names, namespaces, member order and which
//! members are base-class (profile) members live in the spec only. [`from_slice`] is a serde
//! `Deserializer` that reads an XML response straight into the generated types (no JSON in
//! between); [`to_string`] is a serde `Serializer` that writes what a .NET
//! `DataContractSerializer` writes (the sandbox answers XML with it).
//!
//! Decoding matches elements by local name. Prefixes are never looked at (a serializer picks
//! them per document: `d4p1` in the docs, `d2p1` from a real one), and the `nil` attribute is
//! recognised by its namespace URI. Element namespaces are not required to match the model's:
//! the docs themselves show the same booking model in two namespaces (`Webcam.Made` for details,
//! `Webcam.Received` for cancel), so a strict check would reject answers a real server sends.
//!
//! ```
//! use adultwork::types::WebcamBookingResult;
//! use adultwork::xml;
//!
//! let doc = adultwork::Operation::CreateWebcamBooking.xml();
//! let body = br#"<ArrayOfWebcamBookingResult xmlns:i="http://www.w3.org/2001/XMLSchema-instance"
//!     xmlns="http://schemas.datacontract.org/2004/07/API.Models.Webcam">
//!   <WebcamBookingResult><AlsoPhoneChat>false</AlsoPhoneChat><BookingID i:nil="true"/>
//!     <Status>2</Status><StatusDescription>Not on Skype.</StatusDescription>
//!     <UserID>123458</UserID></WebcamBookingResult>
//! </ArrayOfWebcamBookingResult>"#;
//! let results: Vec<WebcamBookingResult> = xml::from_slice(doc, body)?;
//! assert_eq!(results[0].booking_id, None);
//! assert_eq!(xml::to_string(doc, &results)?.matches("i:nil").count(), 1);
//! # Ok::<(), adultwork::xml::XmlError>(())
//! ```

mod de;
mod error;
mod ser;

pub use de::{error_message, from_slice};
pub use error::XmlError;
pub use ser::to_string;

/// The XML Schema instance namespace, home of the `nil` attribute.
pub const XSI_NAMESPACE: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// How a member's text maps to a value.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// A string (also date-times and string enums).
    Text,
    /// An integer (also integer enums).
    Integer,
    /// `true`/`false`.
    Boolean,
    /// A decimal, passed on as its exact text.
    Decimal,
    /// A nested data contract.
    Object(&'static Model),
}

/// One data member of a [`Model`].
#[derive(Debug)]
pub struct Member {
    /// The JSON property name.
    pub json: &'static str,
    /// The XML element name encoders write.
    pub element: &'static str,
    /// Other element names decoders accept (the docs print `Performer` where the wire says `Client`).
    pub aliases: &'static [&'static str],
    /// The member's own namespace when it differs from its type's (base-class members).
    pub namespace: Option<&'static str>,
    /// Whether the member may be `i:nil`.
    pub nullable: bool,
    /// Whether the member must be present.
    pub required: bool,
    /// How its value is written.
    pub kind: Kind,
}

/// A data contract: a type's element name, namespace and members in serializer order
/// (base-class members first, each group by ordinal name).
#[derive(Debug)]
pub struct Model {
    /// The schema name in `openapi.yaml`.
    pub name: &'static str,
    /// The element name of one instance (as a list item).
    pub element: &'static str,
    /// The namespace of the type's own members; `None` inherits the enclosing element's.
    pub namespace: Option<&'static str>,
    /// Members in the order the serializer writes them.
    pub members: &'static [Member],
}

impl Model {
    /// The member written as, or accepted as, element `local`.
    pub fn member(&self, local: &str) -> Option<&'static Member> {
        self.members
            .iter()
            .find(|m| m.element == local || m.aliases.contains(&local))
    }
}

/// The shape of an operation's success body.
#[derive(Debug, Clone, Copy)]
pub enum Body {
    /// A single object under the root element.
    Object(&'static Model),
    /// `ArrayOf{Item}`: one child element per item.
    List(&'static Model),
}

/// An operation's success body in DataContract XML: [`Operation::xml`](crate::Operation::xml).
#[derive(Debug)]
pub struct Document {
    /// The root element name.
    pub root: &'static str,
    /// The root's default namespace.
    pub namespace: &'static str,
    /// What the root holds.
    pub body: Body,
}

include!(concat!(env!("OUT_DIR"), "/datacontract.rs"));
