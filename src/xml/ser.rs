//! Any `Serialize` value → DataContract XML, byte for byte as the .NET serializer behind
//! ASP.NET Web API writes it (checked against golden files in `tests/data/datacontract`):
//! a `serde::Serializer` driven by the operation's [`Document`] and its [`Model`] tables.

use std::fmt::Write as _;

use quick_xml::escape::partial_escape;
use serde::Serialize;
use serde::ser::{Impossible, SerializeMap, SerializeSeq, SerializeStruct, Serializer};

use super::{Body, Document, Kind, Member, Model, XSI_NAMESPACE, XmlError};

type Result<T> = std::result::Result<T, XmlError>;

/// Scale the API's decimal columns have: the docs' XML samples write `10.0000`.
const DECIMAL_SCALE: u32 = 4;

/// Writes `value` (an operation's response, or anything that serializes to the same shape) as
/// DataContract XML: the root declares `xmlns:i` and the default namespace; members come in
/// serializer order (base-class members first, then by ordinal name) whatever order serde
/// hands them in; members serde skips, `None` and unit are `<X i:nil="true" />`; base-class
/// members carry their own `xmlns`; a nested type in another namespace declares
/// `xmlns:d{depth}p1` and prefixes its members with it; decimals given as numbers get the
/// API's scale of 4, decimals given as text keep theirs.
///
/// Fails if `value` is not shaped like the document (a list where an object belongs, a
/// sequence as a member) or its `Serialize` fails.
///
/// ```
/// use adultwork::types::WebcamBookingResult;
///
/// let doc = adultwork::Operation::CreateWebcamBooking.xml();
/// let body = br#"<ArrayOfWebcamBookingResult><WebcamBookingResult>
///     <AlsoPhoneChat>false</AlsoPhoneChat><BookingID i:nil="true"
///     xmlns:i="http://www.w3.org/2001/XMLSchema-instance"/><Status>2</Status>
///     <StatusDescription>Not on Skype.</StatusDescription><UserID>123458</UserID>
///   </WebcamBookingResult></ArrayOfWebcamBookingResult>"#;
/// let results: Vec<WebcamBookingResult> = adultwork::xml::from_slice(doc, body)?;
/// let xml = adultwork::xml::to_string(doc, &results)?;
/// assert!(xml.contains(r#"<BookingID i:nil="true" /><Status>2</Status>"#));
/// # Ok::<(), adultwork::xml::XmlError>(())
/// ```
pub fn to_string<T: Serialize + ?Sized>(doc: &'static Document, value: &T) -> Result<String> {
    let mut out = String::with_capacity(1024);
    write!(
        out,
        r#"<{} xmlns:i="{XSI_NAMESPACE}" xmlns="{}""#,
        doc.root, doc.namespace
    )
    .map_err(XmlError::unplaced)?;
    let scope = Scope {
        default_ns: doc.namespace,
        prefix: None,
        depth: 1,
    };
    value.serialize(Root {
        out: &mut out,
        doc,
        scope,
    })?;
    Ok(out)
}

/// Namespace context of the members being written.
#[derive(Clone, Copy)]
struct Scope {
    /// The default namespace in force.
    default_ns: &'static str,
    /// The prefix bound to the members' namespace when it is not the default, e.g. `d2p1`.
    prefix: Option<(&'static str, u32)>,
    /// The element depth of the object whose members these are (root = 1).
    depth: u32,
}

fn unsupported(what: &str) -> XmlError {
    XmlError::unplaced(format!("{what} has no DataContract XML form here"))
}

/// Escaped text, with every line break (`\n`, `\r\n`, lone `\r`) written as `\r\n`, as the
/// Web API's `XmlWriter` does (`NewLineHandling.Replace`, `NewLineChars` = CRLF).
fn text(out: &mut String, s: &str) {
    let mut rest = s;
    while let Some(i) = rest.find(['\r', '\n']) {
        out.push_str(&partial_escape(&rest[..i]));
        out.push_str("\r\n");
        let skip = if rest[i..].starts_with("\r\n") { 2 } else { 1 };
        rest = &rest[i + skip..];
    }
    out.push_str(&partial_escape(rest));
}

/// A decimal: text keeps its scale (`32` stays `32`, as .NET keeps it), a number gets the
/// API's; what does not parse as a decimal is written as escaped text.
fn decimal(out: &mut String, text: &str, pad: bool) {
    match rust_decimal::Decimal::from_str_exact(text) {
        Ok(mut d) => {
            if pad && d.scale() < DECIMAL_SCALE {
                d.rescale(DECIMAL_SCALE);
            }
            let _ = write!(out, "{d}");
        }
        Err(_) => out.push_str(&partial_escape(text)),
    }
}

/// `Some(v)` and a newtype struct serialize as the value they wrap, in every serializer here.
macro_rules! transparent_wrappers {
    () => {
        fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Self::Ok> {
            value.serialize(self)
        }
        fn serialize_newtype_struct<T: Serialize + ?Sized>(
            self,
            _: &'static str,
            value: &T,
        ) -> Result<Self::Ok> {
            value.serialize(self)
        }
    };
}

/// The scalar and variant methods a root (or a list item) has no form for.
macro_rules! not_a_root {
    () => {
        fn serialize_bool(self, _: bool) -> Result<()> {
            Err(unsupported("a boolean"))
        }
        fn serialize_i8(self, _: i8) -> Result<()> {
            Err(unsupported("a number"))
        }
        fn serialize_i16(self, _: i16) -> Result<()> {
            Err(unsupported("a number"))
        }
        fn serialize_i32(self, _: i32) -> Result<()> {
            Err(unsupported("a number"))
        }
        fn serialize_i64(self, _: i64) -> Result<()> {
            Err(unsupported("a number"))
        }
        fn serialize_u8(self, _: u8) -> Result<()> {
            Err(unsupported("a number"))
        }
        fn serialize_u16(self, _: u16) -> Result<()> {
            Err(unsupported("a number"))
        }
        fn serialize_u32(self, _: u32) -> Result<()> {
            Err(unsupported("a number"))
        }
        fn serialize_u64(self, _: u64) -> Result<()> {
            Err(unsupported("a number"))
        }
        fn serialize_f32(self, _: f32) -> Result<()> {
            Err(unsupported("a number"))
        }
        fn serialize_f64(self, _: f64) -> Result<()> {
            Err(unsupported("a number"))
        }
        fn serialize_char(self, _: char) -> Result<()> {
            Err(unsupported("text"))
        }
        fn serialize_str(self, _: &str) -> Result<()> {
            Err(unsupported("text"))
        }
        fn serialize_bytes(self, _: &[u8]) -> Result<()> {
            Err(unsupported("bytes"))
        }
        fn serialize_unit(self) -> Result<()> {
            Err(unsupported("null"))
        }
        fn serialize_unit_struct(self, _: &'static str) -> Result<()> {
            Err(unsupported("null"))
        }
        fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> Result<()> {
            Err(unsupported("an enum"))
        }
        fn serialize_newtype_variant<T: Serialize + ?Sized>(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: &T,
        ) -> Result<()> {
            Err(unsupported("an enum"))
        }
        fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple> {
            Err(unsupported("a tuple"))
        }
        fn serialize_tuple_struct(
            self,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeTupleStruct> {
            Err(unsupported("a tuple"))
        }
        fn serialize_tuple_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeTupleVariant> {
            Err(unsupported("an enum"))
        }
        fn serialize_struct_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeStructVariant> {
            Err(unsupported("an enum"))
        }
    };
}

/// The root element: an object's members, or a list's items.
struct Root<'a> {
    out: &'a mut String,
    doc: &'static Document,
    scope: Scope,
}

impl<'a> Root<'a> {
    fn model(&self) -> Result<&'static Model> {
        match self.doc.body {
            Body::Object(model) => Ok(model),
            Body::List(_) => Err(unsupported("an object at a list root")),
        }
    }

    fn object(self) -> Result<Object<'a>> {
        let model = self.model()?;
        Ok(Object::new(
            self.out,
            model,
            self.scope,
            self.doc.root.to_owned(),
        ))
    }
}

impl<'a> Serializer for Root<'a> {
    transparent_wrappers! {}
    type Ok = ();
    type Error = XmlError;
    type SerializeSeq = Items<'a>;
    type SerializeTuple = Impossible<(), XmlError>;
    type SerializeTupleStruct = Impossible<(), XmlError>;
    type SerializeTupleVariant = Impossible<(), XmlError>;
    type SerializeMap = Object<'a>;
    type SerializeStruct = Object<'a>;
    type SerializeStructVariant = Impossible<(), XmlError>;

    fn serialize_seq(self, _len: Option<usize>) -> Result<Items<'a>> {
        let Body::List(model) = self.doc.body else {
            return Err(unsupported("a list at an object root"));
        };
        Ok(Items {
            out: self.out,
            model,
            root: self.doc.root,
            scope: Scope {
                depth: 2,
                ..self.scope
            },
            count: 0,
        })
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Object<'a>> {
        self.object()
    }

    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Object<'a>> {
        self.object()
    }

    fn serialize_none(self) -> Result<()> {
        Err(unsupported("null"))
    }

    not_a_root! {}
}

/// `ArrayOf…` items.
struct Items<'a> {
    out: &'a mut String,
    model: &'static Model,
    root: &'static str,
    scope: Scope,
    count: usize,
}

impl SerializeSeq for Items<'_> {
    type Ok = ();
    type Error = XmlError;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        if self.count == 0 {
            self.out.push('>');
        }
        self.count += 1;
        self.out.push('<');
        self.out.push_str(self.model.element);
        value.serialize(Item {
            out: self.out,
            model: self.model,
            scope: self.scope,
        })
    }

    fn end(self) -> Result<()> {
        if self.count == 0 {
            self.out.push_str(" />");
        } else {
            let _ = write!(self.out, "</{}>", self.root);
        }
        Ok(())
    }
}

/// One list item, its start tag open.
struct Item<'a> {
    out: &'a mut String,
    model: &'static Model,
    scope: Scope,
}

impl<'a> Serializer for Item<'a> {
    transparent_wrappers! {}
    type Ok = ();
    type Error = XmlError;
    type SerializeSeq = Impossible<(), XmlError>;
    type SerializeTuple = Impossible<(), XmlError>;
    type SerializeTupleStruct = Impossible<(), XmlError>;
    type SerializeTupleVariant = Impossible<(), XmlError>;
    type SerializeMap = Object<'a>;
    type SerializeStruct = Object<'a>;
    type SerializeStructVariant = Impossible<(), XmlError>;

    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq> {
        Err(unsupported("a list as a list item"))
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Object<'a>> {
        Ok(Object::new(
            self.out,
            self.model,
            self.scope,
            self.model.element.to_owned(),
        ))
    }

    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Object<'a>> {
        Ok(Object::new(
            self.out,
            self.model,
            self.scope,
            self.model.element.to_owned(),
        ))
    }

    fn serialize_none(self) -> Result<()> {
        Err(unsupported("null as a list item"))
    }

    not_a_root! {}
}

/// A data contract whose start tag is open: members are rendered as serde hands them in and
/// written in model order at the end, nil for those never handed in.
struct Object<'a> {
    out: &'a mut String,
    model: &'static Model,
    scope: Scope,
    /// The element's name as written (with its prefix), for the end tag.
    element: String,
    /// Each member's rendered element, by model index.
    slots: Vec<Option<String>>,
    /// The member of the map key just given.
    key: Option<usize>,
}

impl<'a> Object<'a> {
    fn new(out: &'a mut String, model: &'static Model, scope: Scope, element: String) -> Self {
        Self {
            out,
            model,
            scope,
            element,
            slots: vec![None; model.members.len()],
            key: None,
        }
    }

    fn index(&self, json: &str) -> Option<usize> {
        self.model.members.iter().position(|m| m.json == json)
    }

    fn member<T: Serialize + ?Sized>(&mut self, index: usize, value: &T) -> Result<()> {
        let member = &self.model.members[index];
        let mut rendered = String::new();
        value.serialize(Value {
            out: &mut rendered,
            member,
            scope: self.scope,
        })?;
        self.slots[index] = Some(rendered);
        Ok(())
    }

    fn finish(self) -> Result<()> {
        self.out.push('>');
        for (member, slot) in self.model.members.iter().zip(self.slots) {
            match slot {
                Some(rendered) => self.out.push_str(&rendered),
                None => {
                    open(self.out, member, &self.scope);
                    self.out.push_str(r#" i:nil="true" />"#);
                }
            }
        }
        let _ = write!(self.out, "</{}>", self.element);
        Ok(())
    }
}

impl SerializeStruct for Object<'_> {
    type Ok = ();
    type Error = XmlError;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<()> {
        match self.index(key) {
            Some(i) => self.member(i, value),
            // A field the model does not know has no element.
            None => Ok(()),
        }
    }

    fn end(self) -> Result<()> {
        self.finish()
    }
}

impl SerializeMap for Object<'_> {
    type Ok = ();
    type Error = XmlError;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<()> {
        let key = key.serialize(Key)?;
        self.key = self.index(&key);
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        match self.key.take() {
            Some(i) => self.member(i, value),
            None => Ok(()),
        }
    }

    fn end(self) -> Result<()> {
        self.finish()
    }
}

/// The element name of `member` in `scope`, with its prefix.
fn name(member: &Member, scope: &Scope) -> String {
    match (member.namespace, scope.prefix) {
        (Some(_), _) | (None, None) => member.element.to_string(),
        (None, Some((_, depth))) => format!("d{depth}p1:{}", member.element),
    }
}

/// Writes `<name` and the member's own `xmlns` if it needs one; the tag is left open.
fn open(out: &mut String, member: &Member, scope: &Scope) -> String {
    let name = name(member, scope);
    out.push('<');
    out.push_str(&name);
    if let Some(ns) = member.namespace.filter(|ns| *ns != scope.default_ns) {
        let _ = write!(out, r#" xmlns="{ns}""#);
    }
    name
}

/// One member's element, rendered into `out`.
struct Value<'a> {
    out: &'a mut String,
    member: &'static Member,
    scope: Scope,
}

impl<'a> Value<'a> {
    fn nil(self) -> Result<()> {
        open(self.out, self.member, &self.scope);
        self.out.push_str(r#" i:nil="true" />"#);
        Ok(())
    }

    /// `<name>`, what `body` writes, `</name>`.
    fn scalar(self, body: impl FnOnce(&mut String, Kind)) -> Result<()> {
        let name = open(self.out, self.member, &self.scope);
        self.out.push('>');
        body(self.out, self.member.kind);
        let _ = write!(self.out, "</{name}>");
        Ok(())
    }

    fn display(self, v: impl std::fmt::Display) -> Result<()> {
        self.scalar(|out, kind| {
            let text = v.to_string();
            match kind {
                Kind::Decimal => decimal(out, &text, true),
                _ => out.push_str(&text),
            }
        })
    }

    fn object(self) -> Result<Object<'a>> {
        let Kind::Object(nested) = self.member.kind else {
            return Err(unsupported("an object").place(self.member.element, 0));
        };
        let scope = self.scope;
        let name = open(self.out, self.member, &scope);
        let depth = scope.depth + 1;
        let members_ns = nested.namespace.unwrap_or(match scope.prefix {
            Some((ns, _)) => ns,
            None => scope.default_ns,
        });
        let prefix = if members_ns == scope.default_ns {
            None
        } else {
            let _ = write!(self.out, r#" xmlns:d{depth}p1="{members_ns}""#);
            Some((members_ns, depth))
        };
        let inner = Scope {
            default_ns: scope.default_ns,
            prefix,
            depth,
        };
        Ok(Object::new(self.out, nested, inner, name))
    }
}

impl<'a> Serializer for Value<'a> {
    transparent_wrappers! {}
    type Ok = ();
    type Error = XmlError;
    type SerializeSeq = Impossible<(), XmlError>;
    type SerializeTuple = Impossible<(), XmlError>;
    type SerializeTupleStruct = Impossible<(), XmlError>;
    type SerializeTupleVariant = Impossible<(), XmlError>;
    type SerializeMap = Object<'a>;
    type SerializeStruct = Object<'a>;
    type SerializeStructVariant = Impossible<(), XmlError>;

    fn serialize_bool(self, v: bool) -> Result<()> {
        self.display(v)
    }
    fn serialize_i8(self, v: i8) -> Result<()> {
        self.display(v)
    }
    fn serialize_i16(self, v: i16) -> Result<()> {
        self.display(v)
    }
    fn serialize_i32(self, v: i32) -> Result<()> {
        self.display(v)
    }
    fn serialize_i64(self, v: i64) -> Result<()> {
        self.display(v)
    }
    fn serialize_u8(self, v: u8) -> Result<()> {
        self.display(v)
    }
    fn serialize_u16(self, v: u16) -> Result<()> {
        self.display(v)
    }
    fn serialize_u32(self, v: u32) -> Result<()> {
        self.display(v)
    }
    fn serialize_u64(self, v: u64) -> Result<()> {
        self.display(v)
    }
    fn serialize_f32(self, v: f32) -> Result<()> {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<()> {
        // A number that JSON cannot hold is null there, and nil here.
        if !v.is_finite() {
            return self.nil();
        }
        // The shortest text that reads back as `v` (what a JSON encoder writes).
        let text = serde_json::to_string(&v).map_err(XmlError::unplaced)?;
        self.display(text)
    }
    fn serialize_char(self, v: char) -> Result<()> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<()> {
        self.scalar(|out, kind| match kind {
            Kind::Decimal => decimal(out, v, false),
            _ => text(out, v),
        })
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<()> {
        Err(unsupported("bytes"))
    }
    fn serialize_none(self) -> Result<()> {
        self.nil()
    }
    fn serialize_unit(self) -> Result<()> {
        self.nil()
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<()> {
        self.nil()
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<()> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<()> {
        Err(unsupported("an enum with data"))
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq> {
        Err(unsupported("a list as a member"))
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple> {
        Err(unsupported("a tuple"))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct> {
        Err(unsupported("a tuple"))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        Err(unsupported("an enum with data"))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Object<'a>> {
        self.object()
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Object<'a>> {
        self.object()
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant> {
        Err(unsupported("an enum with data"))
    }
}

/// A map key, as text.
struct Key;

impl Serializer for Key {
    transparent_wrappers! {}
    type Ok = String;
    type Error = XmlError;
    type SerializeSeq = Impossible<String, XmlError>;
    type SerializeTuple = Impossible<String, XmlError>;
    type SerializeTupleStruct = Impossible<String, XmlError>;
    type SerializeTupleVariant = Impossible<String, XmlError>;
    type SerializeMap = Impossible<String, XmlError>;
    type SerializeStruct = Impossible<String, XmlError>;
    type SerializeStructVariant = Impossible<String, XmlError>;

    fn serialize_str(self, v: &str) -> Result<String> {
        Ok(v.to_owned())
    }
    fn collect_str<T: std::fmt::Display + ?Sized>(self, v: &T) -> Result<String> {
        Ok(v.to_string())
    }
    fn serialize_bool(self, _: bool) -> Result<String> {
        Err(unsupported("a key that is not text"))
    }
    fn serialize_i8(self, _: i8) -> Result<String> {
        Err(unsupported("a key that is not text"))
    }
    fn serialize_i16(self, _: i16) -> Result<String> {
        Err(unsupported("a key that is not text"))
    }
    fn serialize_i32(self, _: i32) -> Result<String> {
        Err(unsupported("a key that is not text"))
    }
    fn serialize_i64(self, _: i64) -> Result<String> {
        Err(unsupported("a key that is not text"))
    }
    fn serialize_u8(self, _: u8) -> Result<String> {
        Err(unsupported("a key that is not text"))
    }
    fn serialize_u16(self, _: u16) -> Result<String> {
        Err(unsupported("a key that is not text"))
    }
    fn serialize_u32(self, _: u32) -> Result<String> {
        Err(unsupported("a key that is not text"))
    }
    fn serialize_u64(self, _: u64) -> Result<String> {
        Err(unsupported("a key that is not text"))
    }
    fn serialize_f32(self, _: f32) -> Result<String> {
        Err(unsupported("a key that is not text"))
    }
    fn serialize_f64(self, _: f64) -> Result<String> {
        Err(unsupported("a key that is not text"))
    }
    fn serialize_char(self, v: char) -> Result<String> {
        Ok(v.to_string())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<String> {
        Err(unsupported("a key that is not text"))
    }
    fn serialize_none(self) -> Result<String> {
        Err(unsupported("a key that is not text"))
    }
    fn serialize_unit(self) -> Result<String> {
        Err(unsupported("a key that is not text"))
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<String> {
        Err(unsupported("a key that is not text"))
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, v: &'static str) -> Result<String> {
        Ok(v.to_owned())
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<String> {
        Err(unsupported("a key that is not text"))
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq> {
        Err(unsupported("a key that is not text"))
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple> {
        Err(unsupported("a key that is not text"))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct> {
        Err(unsupported("a key that is not text"))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        Err(unsupported("a key that is not text"))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap> {
        Err(unsupported("a key that is not text"))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct> {
        Err(unsupported("a key that is not text"))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant> {
        Err(unsupported("a key that is not text"))
    }
}
