//! DataContract XML → any `Deserialize` type: a `serde::Deserializer` over quick-xml events,
//! driven by the operation's [`Document`] and its [`Model`] tables.
//!
//! The reader walks the body once and hands each member straight to the target type's
//! `Deserialize`; text without line breaks or entities is borrowed from the body.

use std::borrow::Cow;

use quick_xml::NsReader;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use serde::de::value::{BorrowedStrDeserializer, StringDeserializer};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::{Body, Document, Kind, Member, Model, XSI_NAMESPACE, XmlError};

type Result<T> = std::result::Result<T, XmlError>;

/// Decodes an operation's DataContract XML body into `T` (the operation's response type, or
/// anything else that deserializes from the same shape, such as a `serde_json::Value`).
///
/// Elements may come in any order and under any namespace prefix (members are matched by
/// local name, so a model the docs print in two namespaces reads from both); unknown elements
/// are skipped; `i:nil="true"` (and the docs' `i:isnil`, both recognised by the XSI namespace
/// URI) is null; list roots are `ArrayOf…`. Anything else unexpected — another root element,
/// text where an element belongs, a member given twice, a DTD, an unknown entity, a body that
/// is not UTF-8, malformed XML — is an [`XmlError`] with the element path and byte offset,
/// never a silent default.
///
/// Without a target type to ask for more (`deserialize_any`), a member's value follows its
/// [`Kind`]: text as a string, integers as `i64`, booleans as `bool`, decimals as their exact
/// text, nested contracts as maps.
///
/// ```
/// use adultwork::types::WebcamBookingResult;
///
/// let doc = adultwork::Operation::CreateWebcamBooking.xml();
/// let body = br#"<ArrayOfWebcamBookingResult xmlns:i="http://www.w3.org/2001/XMLSchema-instance"
///     xmlns="http://schemas.datacontract.org/2004/07/API.Models.Webcam">
///   <WebcamBookingResult><AlsoPhoneChat>true</AlsoPhoneChat><BookingID>1</BookingID>
///     <Status>0</Status><StatusDescription>Success</StatusDescription>
///     <UserID>123456</UserID></WebcamBookingResult>
/// </ArrayOfWebcamBookingResult>"#;
/// let results: Vec<WebcamBookingResult> = adultwork::xml::from_slice(doc, body)?;
/// assert_eq!(results[0].booking_id, Some(1));
/// # Ok::<(), adultwork::xml::XmlError>(())
/// ```
pub fn from_slice<'de, T: de::Deserialize<'de>>(
    doc: &'static Document,
    body: &'de [u8],
) -> Result<T> {
    let mut r = Reader::new(body)?;
    let (root, empty, at) = r.root()?;
    let local = root.local_name();
    if local.as_ref() != doc.root {
        return Err(r.error(
            format!(
                "expected root element <{}>, found <{}>",
                doc.root,
                crate::untrusted::shown_within(local.as_ref(), 64)
            ),
            at,
        ));
    }
    r.path.push_str(doc.root);
    let value = T::deserialize(Root {
        r: &mut r,
        body: doc.body,
        empty,
    })
    .map_err(|e| e.place(doc.root, at))?;
    r.path.clear();
    r.end_of_document()?;
    Ok(value)
}

/// The `Message` of an error body (`<Error><Message>…</Message></Error>` as ASP.NET writes
/// it), if the body is XML with such an element.
pub fn error_message(body: &[u8]) -> Option<String> {
    let mut r = Reader::new(body).ok()?;
    loop {
        match r.next().ok()? {
            Event::Start(e) if e.local_name().as_ref() == "Message" => {
                return r.text("Message").ok().map(Cow::into_owned);
            }
            Event::Eof => return None,
            _ => {}
        }
    }
}

/// The event source, and the path of the elements being read.
struct Reader<'de> {
    reader: NsReader<&'de [u8]>,
    /// Bytes before what the reader sees (a byte order mark), so offsets are into the body.
    base: u64,
    /// Local names from the root to the element being read, `/`-separated.
    path: String,
}

impl<'de> Reader<'de> {
    fn new(body: &'de [u8]) -> Result<Self> {
        let (base, rest) = match body.strip_prefix(b"\xEF\xBB\xBF") {
            Some(rest) => (3, rest),
            None => (0, body),
        };
        if let Err(e) = std::str::from_utf8(rest) {
            return Err(XmlError::at(
                "body is not UTF-8",
                "",
                base + e.valid_up_to() as u64,
            ));
        }
        let mut reader = NsReader::from_reader(rest);
        reader.config_mut().check_end_names = true;
        Ok(Self {
            reader,
            base,
            path: String::new(),
        })
    }

    /// The offset of the next event.
    fn pos(&self) -> u64 {
        self.base + self.reader.buffer_position()
    }

    fn error(&self, detail: impl Into<String>, at: u64) -> XmlError {
        XmlError::at(detail, &self.path, at)
    }

    /// An error at the current position.
    fn here(&self, detail: impl Into<String>) -> XmlError {
        self.error(detail, self.pos())
    }

    fn next(&mut self) -> Result<Event<'de>> {
        self.reader.read_event().map_err(|e| {
            self.error(
                format!("malformed XML: {e}"),
                self.base + self.reader.error_position(),
            )
        })
    }

    /// Appends `/{name}` to the path; returns the length to truncate back to.
    fn push(&mut self, name: &str) -> usize {
        let mark = self.path.len();
        self.path.push('/');
        self.path.push_str(name);
        mark
    }

    /// The root element, whether it is empty, and its offset.
    fn root(&mut self) -> Result<(BytesStart<'de>, bool, u64)> {
        loop {
            let at = self.pos();
            match self.next()? {
                Event::Start(e) => return Ok((e, false, at)),
                Event::Empty(e) => return Ok((e, true, at)),
                Event::Decl(_) | Event::Comment(_) | Event::PI(_) => {}
                Event::Text(t) if t.trim_ascii().is_empty() => {}
                Event::DocType(_) => return Err(self.here("DTDs are not accepted")),
                Event::Eof => return Err(self.here("empty document")),
                _ => return Err(self.here("content before the root element")),
            }
        }
    }

    fn end_of_document(&mut self) -> Result<()> {
        loop {
            match self.next()? {
                Event::Eof => return Ok(()),
                Event::Comment(_) | Event::PI(_) => {}
                Event::Text(t) if t.trim_ascii().is_empty() => {}
                _ => return Err(self.here("content after the root element")),
            }
        }
    }

    /// The next child element of the open one (`None` at its end tag), with whether it is
    /// empty and its offset.
    fn child(&mut self) -> Result<Option<(BytesStart<'de>, bool, u64)>> {
        loop {
            let at = self.pos();
            match self.next()? {
                Event::Start(e) => return Ok(Some((e, false, at))),
                Event::Empty(e) => return Ok(Some((e, true, at))),
                Event::End(_) => return Ok(None),
                event => self.between_elements(event)?,
            }
        }
    }

    /// Whitespace, comments and processing instructions may sit between elements.
    fn between_elements(&self, event: Event<'de>) -> Result<()> {
        match event {
            Event::Text(t) if t.trim_ascii().is_empty() => Ok(()),
            Event::Comment(_) | Event::PI(_) => Ok(()),
            Event::Eof => Err(self.here("document ends inside an element")),
            Event::Text(_) | Event::CData(_) | Event::GeneralRef(_) => {
                Err(self.here("text where an element belongs"))
            }
            _ => Err(self.here("unexpected markup")),
        }
    }

    /// Skips an element and everything inside it, by a loop (depth costs no stack).
    fn skip(&mut self, start: &BytesStart<'de>) -> Result<()> {
        let end = start.to_end().into_owned();
        self.reader.read_to_end(end.name()).map(drop).map_err(|e| {
            self.error(
                format!("malformed XML: {e}"),
                self.base + self.reader.error_position(),
            )
        })
    }

    /// Reads to the end tag of the open element, skipping whatever is left in it.
    fn finish(&mut self) -> Result<()> {
        while let Some((start, empty, _)) = self.child()? {
            if !empty {
                self.skip(&start)?;
            }
        }
        Ok(())
    }

    /// Whether `e` carries `nil="true"` (or `isnil`) in the XSI namespace.
    fn is_nil(&self, e: &BytesStart<'_>) -> Result<bool> {
        // An attribute name is never escaped, so a tag whose attributes do not spell `nil`
        // (which `isnil` contains) has none: base-class members carry only their `xmlns`.
        if !e.attributes_raw().contains("nil") {
            return Ok(false);
        }
        for attr in e.attributes() {
            let attr = attr.map_err(|err| self.here(format!("malformed attribute: {err}")))?;
            let (ns, local) = self.reader.resolver().resolve_attribute(attr.key);
            let is_xsi = matches!(ns, ResolveResult::Bound(n) if n.as_ref() == XSI_NAMESPACE);
            if is_xsi && matches!(local.as_ref(), "nil" | "isnil") {
                let v = attr
                    .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .map_err(|err| self.here(format!("malformed attribute: {err}")))?;
                return Ok(matches!(v.trim(), "true" | "1"));
            }
        }
        Ok(false)
    }

    /// The text content of a scalar element, with entities resolved: borrowed from the body
    /// when it is one piece that needs no change.
    fn text(&mut self, element: &str) -> Result<Cow<'de, str>> {
        let mut out: Option<Cow<'de, str>> = None;
        fn add<'de>(out: &mut Option<Cow<'de, str>>, piece: Cow<'de, str>) {
            match out {
                None => *out = Some(piece),
                Some(s) => s.to_mut().push_str(&piece),
            }
        }
        loop {
            match self.next()? {
                Event::Text(t) => add(&mut out, t.xml10_content()),
                Event::CData(c) => add(&mut out, c.into_inner()),
                Event::GeneralRef(r) => {
                    let resolved =
                        match r.resolve_char_ref().map_err(|e| self.here(e.to_string()))? {
                            Some(c) => Cow::Owned(c.to_string()),
                            None => match resolve_predefined_entity(&r) {
                                Some(s) => Cow::Borrowed(s),
                                None => {
                                    return Err(self.here(format!(
                                        "unknown entity &{};",
                                        crate::untrusted::shown_within(&r, 64)
                                    )));
                                }
                            },
                        };
                    add(&mut out, resolved);
                }
                Event::Comment(_) | Event::PI(_) => {}
                Event::End(_) => return Ok(out.unwrap_or_default()),
                Event::Start(_) | Event::Empty(_) => {
                    return Err(
                        self.here(format!("<{element}> holds an element where text belongs"))
                    );
                }
                Event::Eof => return Err(self.here(format!("<{element}> is not closed"))),
                Event::Decl(_) | Event::DocType(_) => {
                    return Err(self.here("unexpected declaration"));
                }
            }
        }
    }
}

/// Reads a data contract's members as a map.
fn object<'de, V: Visitor<'de>>(
    r: &mut Reader<'de>,
    model: &'static Model,
    empty: bool,
    visitor: V,
) -> Result<V::Value> {
    let mut access = Object {
        r,
        model,
        done: empty,
        seen: Seen::default(),
        next: 0,
        pending: None,
    };
    let value = visitor.visit_map(&mut access)?;
    // A visitor that stopped early leaves the rest of the element to skip.
    if let Some(p) = access.pending.take()
        && !p.empty
    {
        access.r.skip(&p.start)?;
    }
    if !access.done {
        access.r.finish()?;
    }
    Ok(value)
}

/// Reads `ArrayOf…` items as a sequence.
fn list<'de, V: Visitor<'de>>(
    r: &mut Reader<'de>,
    model: &'static Model,
    empty: bool,
    visitor: V,
) -> Result<V::Value> {
    let mut access = List {
        r,
        model,
        done: empty,
        count: 0,
    };
    let value = visitor.visit_seq(&mut access)?;
    if !access.done {
        access.r.finish()?;
    }
    Ok(value)
}

/// An element holding a whole body shape: the root (`Body::Object` or `Body::List`), or one
/// `ArrayOf…` item (`Body::Object` of the item's model).
struct Root<'a, 'de> {
    r: &'a mut Reader<'de>,
    body: Body,
    empty: bool,
}

impl<'de> Deserializer<'de> for Root<'_, 'de> {
    type Error = XmlError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self.body {
            Body::Object(model) => object(self.r, model, self.empty, visitor),
            Body::List(model) => list(self.r, model, self.empty, visitor),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        visitor.visit_newtype_struct(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

struct List<'a, 'de> {
    r: &'a mut Reader<'de>,
    model: &'static Model,
    done: bool,
    /// Items read so far.
    count: usize,
}

impl<'de> SeqAccess<'de> for List<'_, 'de> {
    type Error = XmlError;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        while !self.done {
            let Some((start, empty, at)) = self.r.child()? else {
                self.done = true;
                break;
            };
            if start.local_name().as_ref() != self.model.element {
                if !empty {
                    self.r.skip(&start)?;
                }
                continue;
            }
            self.count += 1;
            let mark = self.r.push(self.model.element);
            self.r.path.push_str(&format!("[{}]", self.count));
            let item = seed
                .deserialize(Root {
                    r: self.r,
                    body: Body::Object(self.model),
                    empty,
                })
                .map_err(|e| e.place(&self.r.path, at));
            self.r.path.truncate(mark);
            return item.map(Some);
        }
        Ok(None)
    }
}

/// A member element read by its key, waiting for its value to be asked for.
struct Pending<'de> {
    member: &'static Member,
    start: BytesStart<'de>,
    empty: bool,
    at: u64,
    mark: usize,
}

struct Object<'a, 'de> {
    r: &'a mut Reader<'de>,
    model: &'static Model,
    done: bool,
    seen: Seen,
    /// Members usually come in serializer order: the one to look for first.
    next: usize,
    pending: Option<Pending<'de>>,
}

impl<'de> MapAccess<'de> for Object<'_, 'de> {
    type Error = XmlError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        if let Some(p) = self.pending.take() {
            // The value was never asked for.
            self.r.path.truncate(p.mark);
            if !p.empty {
                self.r.skip(&p.start)?;
            }
        }
        while !self.done {
            let Some((start, empty, at)) = self.r.child()? else {
                self.done = true;
                break;
            };
            let local = start.local_name();
            let Some(index) = member_index(self.model, local.as_ref(), self.next) else {
                if !empty {
                    self.r.skip(&start)?;
                }
                continue;
            };
            let member = &self.model.members[index];
            // The name as the document wrote it (the element or one of its aliases).
            let name = std::iter::once(member.element)
                .chain(member.aliases.iter().copied())
                .find(|n| *n == local.as_ref())
                .unwrap_or(member.element);
            let mark = self.r.push(name);
            if !self.seen.insert(index) {
                return Err(self.r.error(format!("<{name}> appears twice"), at));
            }
            self.next = index + 1;
            self.pending = Some(Pending {
                member,
                start,
                empty,
                at,
                mark,
            });
            return seed
                .deserialize(BorrowedStrDeserializer::new(member.json))
                .map(Some);
        }
        Ok(None)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        let p = self
            .pending
            .take()
            .ok_or_else(|| self.r.here("a value asked for before its key"))?;
        let value = seed
            .deserialize(Value {
                r: self.r,
                member: p.member,
                start: p.start,
                empty: p.empty,
                at: p.at,
            })
            .map_err(|e| e.place(&self.r.path, p.at));
        self.r.path.truncate(p.mark);
        value
    }
}

/// One member element's value.
struct Value<'a, 'de> {
    r: &'a mut Reader<'de>,
    member: &'static Member,
    start: BytesStart<'de>,
    empty: bool,
    /// The offset of its start tag.
    at: u64,
}

impl<'de> Value<'_, 'de> {
    fn error(&self, detail: impl Into<String>) -> XmlError {
        self.r.error(detail, self.at)
    }

    /// Whether the element is nil (its content, which must be blank, read); an error if the
    /// member may not be nil.
    fn nil(&mut self) -> Result<bool> {
        if !self.r.is_nil(&self.start)? {
            return Ok(false);
        }
        if !self.empty {
            let text = self.r.text(self.member.element)?;
            self.empty = true;
            if !text.trim().is_empty() {
                return Err(self.error(format!("<{}> is nil but has content", self.member.element)));
            }
        }
        if self.member.nullable {
            Ok(true)
        } else {
            Err(self.error(format!("<{}> must not be nil", self.member.element)))
        }
    }

    fn text(&mut self) -> Result<Cow<'de, str>> {
        if self.empty {
            return Ok(Cow::Borrowed(""));
        }
        self.empty = true;
        self.r.text(self.member.element)
    }

    fn bad(&self, what: &str, text: &str) -> XmlError {
        self.error(format!(
            "expected {what}, found {:?}",
            text.chars().take(40).collect::<String>()
        ))
    }

    fn integer(&mut self) -> Result<Integer> {
        let text = self.text()?;
        let t = text.trim();
        t.parse::<i64>()
            .map(Integer::Signed)
            .or_else(|_| t.parse::<u64>().map(Integer::Unsigned))
            .map_err(|_| self.bad("an integer", &text))
    }

    fn boolean(&mut self) -> Result<bool> {
        let text = self.text()?;
        match text.trim() {
            "true" | "1" => Ok(true),
            "false" | "0" => Ok(false),
            _ => Err(self.bad("true or false", &text)),
        }
    }

    fn string<V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value> {
        match self.text()? {
            Cow::Borrowed(s) => visitor.visit_borrowed_str(s),
            Cow::Owned(s) => visitor.visit_string(s),
        }
    }
}

enum Integer {
    Signed(i64),
    Unsigned(u64),
}

impl Integer {
    fn visit<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        match self {
            Self::Signed(n) => visitor.visit_i64(n),
            Self::Unsigned(n) => visitor.visit_u64(n),
        }
    }
}

/// Typed hints that parse the text as an integer.
macro_rules! integers {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value> {
            if self.nil()? {
                return visitor.visit_unit();
            }
            self.integer()?.visit(visitor)
        }
    )*};
}

impl<'de> Deserializer<'de> for Value<'_, 'de> {
    type Error = XmlError;

    fn deserialize_any<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value> {
        if self.nil()? {
            return visitor.visit_unit();
        }
        match self.member.kind {
            Kind::Object(model) => object(self.r, model, self.empty, visitor),
            Kind::Text => self.string(visitor),
            Kind::Integer => self.integer()?.visit(visitor),
            Kind::Boolean => visitor.visit_bool(self.boolean()?),
            Kind::Decimal => {
                let text = self.text()?;
                let t = text.trim();
                if rust_decimal::Decimal::from_str_exact(t).is_err() {
                    return Err(self.bad("a decimal", &text));
                }
                match text {
                    Cow::Borrowed(s) => visitor.visit_borrowed_str(s.trim()),
                    Cow::Owned(s) => visitor.visit_str(s.trim()),
                }
            }
        }
    }

    integers! {
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64
    }

    fn deserialize_bool<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value> {
        if self.nil()? {
            return visitor.visit_unit();
        }
        visitor.visit_bool(self.boolean()?)
    }

    fn deserialize_f64<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value> {
        if self.nil()? {
            return visitor.visit_unit();
        }
        let text = self.text()?;
        let n = text
            .trim()
            .parse::<f64>()
            .map_err(|_| self.bad("a number", &text))?;
        visitor.visit_f64(n)
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value> {
        if self.nil()? {
            return visitor.visit_unit();
        }
        self.string(visitor)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value> {
        if self.nil()? {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        mut self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        if self.nil()? {
            return visitor.visit_unit();
        }
        match self.text()? {
            Cow::Borrowed(s) => visitor.visit_enum(BorrowedStrDeserializer::new(s)),
            Cow::Owned(s) => visitor.visit_enum(StringDeserializer::new(s)),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        if !self.empty {
            self.r.skip(&self.start)?;
        }
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        i128 u128 unit unit_struct seq tuple tuple_struct map struct
    }
}

/// The index of the member written as, or accepted as, element `local`, looking at `from`
/// first. Names are unique within a model (a test checks it), so the order of the search does
/// not change the answer.
fn member_index(model: &Model, local: &str, from: usize) -> Option<usize> {
    let is = |m: &Member| m.element == local || m.aliases.contains(&local);
    let n = model.members.len();
    (from.min(n)..n)
        .chain(0..from.min(n))
        .find(|&i| is(&model.members[i]))
}

/// Which members of an object have been read.
#[derive(Default)]
struct Seen {
    low: u128,
    high: Vec<usize>,
    len: usize,
}

impl Seen {
    /// Records member `i`; false if it was already there.
    fn insert(&mut self, i: usize) -> bool {
        let new = match 1u128.checked_shl(i as u32).filter(|_| i < 128) {
            Some(bit) => {
                let new = self.low & bit == 0;
                self.low |= bit;
                new
            }
            None if self.high.contains(&i) => false,
            None => {
                self.high.push(i);
                true
            }
        };
        self.len += usize::from(new);
        new
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `member_index` may start anywhere only because no name is used twice in a model.
    #[test]
    fn element_names_are_unique_within_each_model() {
        fn check(model: &Model) {
            let mut names: Vec<&str> = model
                .members
                .iter()
                .flat_map(|m| std::iter::once(m.element).chain(m.aliases.iter().copied()))
                .collect();
            let all = names.len();
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), all, "a name is used twice in {}", model.name);
            for m in model.members {
                if let Kind::Object(nested) = m.kind {
                    check(nested);
                }
            }
        }
        for op in crate::Operation::ALL {
            match op.xml().body {
                Body::Object(model) | Body::List(model) => check(model),
            }
        }
    }

    #[test]
    fn seen_detects_repeats_beyond_128_members() {
        let mut seen = Seen::default();
        for i in [0, 5, 127, 128, 300] {
            assert!(seen.insert(i));
            assert!(!seen.insert(i));
        }
        assert_eq!(seen.len, 5);
    }
}
