//! DataContract XML → the JSON of the same response.
//!
//! The decoder writes JSON text as it reads, with no intermediate tree: the SDK hands that
//! text to the generated code, which deserializes it like a JSON response.

use quick_xml::NsReader;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use serde_json::Value;

use super::{Body, Document, Kind, Member, Model, XSI_NAMESPACE};

/// Why an XML body could not be decoded, with the byte offset where decoding stopped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{detail} (at byte {position})")]
pub struct XmlError {
    /// What was wrong.
    pub detail: String,
    /// Byte offset into the body.
    pub position: u64,
}

type Result<T> = std::result::Result<T, XmlError>;

struct Decoder<'i> {
    reader: NsReader<&'i [u8]>,
    /// The JSON written so far.
    out: Vec<u8>,
}

/// Decodes an operation's DataContract XML body into the JSON value its generated type
/// deserializes from. [`to_json`] does the same, giving JSON text.
///
/// Elements may come in any order and in any namespace prefix; unknown elements are skipped;
/// `i:nil="true"` (and the docs' `i:isnil`) is null; list roots are `ArrayOf…`. Anything else
/// unexpected — another root element, text where an element belongs, a DTD, an unknown entity,
/// malformed XML — is an error, never a silent default.
pub fn decode(doc: &Document, body: &[u8]) -> Result<Value> {
    let json = to_json(doc, body)?;
    // The decoder only writes valid JSON; should that ever fail, it is an error, not a panic.
    serde_json::from_slice(&json).map_err(|e| XmlError {
        detail: format!("internal error: the decoded JSON does not parse: {e}"),
        position: 0,
    })
}

/// Decodes an operation's DataContract XML body into the JSON text its generated type
/// deserializes from, with the same rules as [`decode`]. This is what the SDK does with an XML
/// response: the text goes to the generated code like a JSON body, with no tree in between.
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
/// let json = adultwork::xml::to_json(doc, body)?;
/// let results: Vec<WebcamBookingResult> = serde_json::from_slice(&json).unwrap();
/// assert_eq!(results[0].booking_id, Some(1));
/// # Ok::<(), adultwork::xml::XmlError>(())
/// ```
pub fn to_json(doc: &Document, body: &[u8]) -> Result<Vec<u8>> {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    if let Err(e) = std::str::from_utf8(body) {
        return Err(XmlError {
            detail: "body is not UTF-8".into(),
            position: e.valid_up_to() as u64,
        });
    }
    let mut reader = NsReader::from_reader(body);
    reader.config_mut().check_end_names = true;
    let mut d = Decoder {
        reader,
        out: Vec::with_capacity(body.len()),
    };
    let (root, empty) = d.root()?;
    if root.local_name().as_ref() != doc.root {
        return Err(d.error(format!(
            "expected root element <{}>, found <{}>",
            doc.root,
            root.local_name().as_ref()
        )));
    }
    match doc.body {
        Body::Object(model) => d.object(model, empty)?,
        Body::List(model) => d.list(model, empty)?,
    }
    d.end_of_document()?;
    Ok(d.out)
}

/// The `Message` of an error body (`<Error><Message>…</Message></Error>` as ASP.NET writes
/// it), if the body is XML with such an element.
pub fn error_message(body: &[u8]) -> Option<String> {
    let mut reader = NsReader::from_reader(body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body));
    let mut d = Decoder {
        reader: reader.clone(),
        out: Vec::new(),
    };
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) if e.local_name().as_ref() == "Message" => {
                d.reader = reader;
                return d.text("Message").ok();
            }
            Event::Eof => return None,
            _ => {}
        }
    }
}

impl<'i> Decoder<'i> {
    fn error(&self, detail: impl Into<String>) -> XmlError {
        XmlError {
            detail: detail.into(),
            position: self.reader.buffer_position(),
        }
    }

    fn next(&mut self) -> Result<Event<'i>> {
        self.reader.read_event().map_err(|e| XmlError {
            detail: format!("malformed XML: {e}"),
            position: self.reader.error_position(),
        })
    }

    fn root(&mut self) -> Result<(BytesStart<'i>, bool)> {
        loop {
            match self.next()? {
                Event::Start(e) => return Ok((e, false)),
                Event::Empty(e) => return Ok((e, true)),
                Event::Decl(_) | Event::Comment(_) | Event::PI(_) => {}
                Event::Text(t) if t.trim_ascii().is_empty() => {}
                Event::DocType(_) => return Err(self.error("DTDs are not accepted")),
                Event::Eof => return Err(self.error("empty document")),
                _ => return Err(self.error("content before the root element")),
            }
        }
    }

    fn end_of_document(&mut self) -> Result<()> {
        loop {
            match self.next()? {
                Event::Eof => return Ok(()),
                Event::Comment(_) | Event::PI(_) => {}
                Event::Text(t) if t.trim_ascii().is_empty() => {}
                _ => return Err(self.error("content after the root element")),
            }
        }
    }

    fn is_nil(&self, e: &BytesStart<'_>) -> Result<bool> {
        if e.attributes_raw().trim_ascii().is_empty() {
            return Ok(false);
        }
        for attr in e.attributes() {
            let attr = attr.map_err(|err| self.error(format!("malformed attribute: {err}")))?;
            let (ns, local) = self.reader.resolver().resolve_attribute(attr.key);
            let is_xsi = matches!(ns, ResolveResult::Bound(n) if n.as_ref() == XSI_NAMESPACE);
            if is_xsi && matches!(local.as_ref(), "nil" | "isnil") {
                let v = attr
                    .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .map_err(|err| self.error(format!("malformed attribute: {err}")))?;
                return Ok(matches!(v.trim(), "true" | "1"));
            }
        }
        Ok(false)
    }

    fn list(&mut self, model: &'static Model, empty_list: bool) -> Result<()> {
        self.out.push(b'[');
        let mut first = true;
        if empty_list {
            self.out.push(b']');
            return Ok(());
        }
        loop {
            let empty_item = match self.next()? {
                Event::Start(e) if e.local_name().as_ref() == model.element => false,
                Event::Empty(e) if e.local_name().as_ref() == model.element => true,
                Event::Start(e) => {
                    self.skip(&e)?;
                    continue;
                }
                Event::End(_) => break,
                event => {
                    self.between_elements(event)?;
                    continue;
                }
            };
            if !first {
                self.out.push(b',');
            }
            first = false;
            self.object(model, empty_item)?;
        }
        self.out.push(b']');
        Ok(())
    }

    fn object(&mut self, model: &'static Model, empty_object: bool) -> Result<()> {
        self.out.push(b'{');
        let mut seen = Seen::default();
        // Members usually come in serializer order: look for the next one first.
        let mut next = 0;
        if empty_object {
            self.out.push(b'}');
            return Ok(());
        }
        loop {
            let (start, empty) = match self.next()? {
                Event::Start(e) => (e, false),
                Event::Empty(e) => (e, true),
                Event::End(_) => break,
                event => {
                    self.between_elements(event)?;
                    continue;
                }
            };
            let Some(index) = member_index(model, start.local_name().as_ref(), next) else {
                if !empty {
                    self.skip(&start)?;
                }
                continue;
            };
            let member = &model.members[index];
            if !seen.insert(index) {
                return Err(self.error(format!("<{}> appears twice", member.element)));
            }
            next = index + 1;
            if seen.len > 1 {
                self.out.push(b',');
            }
            write_str(&mut self.out, member.json);
            self.out.push(b':');
            self.member(member, &start, empty)?;
        }
        self.out.push(b'}');
        Ok(())
    }

    fn member(&mut self, member: &Member, start: &BytesStart<'i>, empty: bool) -> Result<()> {
        if self.is_nil(start)? {
            if !empty {
                let text = self.text(start.local_name().as_ref())?;
                if !text.trim().is_empty() {
                    return Err(self.error(format!("<{}> is nil but has content", member.element)));
                }
            }
            return if member.nullable {
                self.out.extend_from_slice(b"null");
                Ok(())
            } else {
                Err(self.error(format!("<{}> must not be nil", member.element)))
            };
        }
        if let Kind::Object(model) = member.kind {
            return self.object(model, empty);
        }
        let text = if empty {
            String::new()
        } else {
            self.text(start.local_name().as_ref())?
        };
        self.scalar(member, &text)
    }

    fn scalar(&mut self, member: &Member, text: &str) -> Result<()> {
        let bad = |what: &str| {
            self.error(format!(
                "<{}> must be {what}, found {:?}",
                member.element,
                text.chars().take(40).collect::<String>()
            ))
        };
        match member.kind {
            Kind::Text => write_str(&mut self.out, text),
            Kind::Integer => {
                let n = text.trim().parse::<i64>().map_err(|_| bad("an integer"))?;
                serde_json::to_writer(&mut self.out, &n).expect("writing to a Vec cannot fail");
            }
            Kind::Boolean => match text.trim() {
                "true" | "1" => self.out.extend_from_slice(b"true"),
                "false" | "0" => self.out.extend_from_slice(b"false"),
                _ => return Err(bad("true or false")),
            },
            Kind::Decimal => {
                let t = text.trim();
                rust_decimal::Decimal::from_str_exact(t).map_err(|_| bad("a decimal"))?;
                write_str(&mut self.out, t);
            }
            Kind::Object(_) => unreachable!("objects are read by `object`"),
        }
        Ok(())
    }

    /// The text content of a scalar element, with entities resolved.
    fn text(&mut self, element: &str) -> Result<String> {
        let mut out = String::new();
        loop {
            match self.next()? {
                Event::Text(t) => out.push_str(&t.xml10_content()),
                Event::CData(c) => out.push_str(&c),
                Event::GeneralRef(r) => {
                    if let Some(c) = r
                        .resolve_char_ref()
                        .map_err(|e| self.error(e.to_string()))?
                    {
                        out.push(c);
                    } else if let Some(s) = resolve_predefined_entity(&r) {
                        out.push_str(s);
                    } else {
                        return Err(self.error(format!("unknown entity &{};", &*r)));
                    }
                }
                Event::Comment(_) | Event::PI(_) => {}
                Event::End(_) => return Ok(out),
                Event::Start(_) | Event::Empty(_) => {
                    return Err(
                        self.error(format!("<{element}> holds an element where text belongs"))
                    );
                }
                Event::Eof => return Err(self.error(format!("<{element}> is not closed"))),
                Event::Decl(_) | Event::DocType(_) => {
                    return Err(self.error("unexpected declaration"));
                }
            }
        }
    }

    /// Whitespace, comments and processing instructions may sit between elements.
    fn between_elements(&self, event: Event<'i>) -> Result<()> {
        match event {
            Event::Text(t) if t.trim_ascii().is_empty() => Ok(()),
            Event::Comment(_) | Event::PI(_) => Ok(()),
            Event::Eof => Err(self.error("document ends inside an element")),
            Event::Text(_) | Event::CData(_) | Event::GeneralRef(_) => {
                Err(self.error("text where an element belongs"))
            }
            _ => Err(self.error("unexpected markup")),
        }
    }

    /// Skips an unknown element and everything inside it.
    fn skip(&mut self, start: &BytesStart<'i>) -> Result<()> {
        let end = start.to_end().into_owned();
        self.reader
            .read_to_end(end.name())
            .map(drop)
            .map_err(|e| XmlError {
                detail: format!("malformed XML: {e}"),
                position: self.reader.error_position(),
            })
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

/// Writes `s` as a JSON string.
fn write_str(out: &mut Vec<u8>, s: &str) {
    serde_json::to_writer(out, s).expect("writing to a Vec cannot fail");
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
