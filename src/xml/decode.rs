//! DataContract XML → the JSON value of the same response.

use quick_xml::NsReader;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use serde_json::{Map, Value};

use super::{Body, Kind, Member, Model, Operation, XSI_NAMESPACE};

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
}

/// Decodes an operation's DataContract XML body into the JSON value its generated type
/// deserializes from.
///
/// Elements may come in any order and in any namespace prefix; unknown elements are skipped;
/// `i:nil="true"` (and the docs' `i:isnil`) is null; list roots are `ArrayOf…`. Anything else
/// unexpected — another root element, text where an element belongs, a DTD, an unknown entity,
/// malformed XML — is an error, never a silent default.
pub fn decode(op: &Operation, body: &[u8]) -> Result<Value> {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    if let Err(e) = std::str::from_utf8(body) {
        return Err(XmlError {
            detail: "body is not UTF-8".into(),
            position: e.valid_up_to() as u64,
        });
    }
    let mut reader = NsReader::from_reader(body);
    reader.config_mut().check_end_names = true;
    let mut d = Decoder { reader };
    let (root, empty) = d.root()?;
    if root.local_name().as_ref() != op.root {
        return Err(d.error(format!(
            "expected root element <{}>, found <{}>",
            op.root,
            root.local_name().as_ref()
        )));
    }
    let value = match op.body {
        Body::Object(model) => Value::Object(d.object(model, empty)?),
        Body::List(model) => d.list(model, empty)?,
    };
    d.end_of_document()?;
    Ok(value)
}

/// The `Message` of an error body (`<Error><Message>…</Message></Error>` as ASP.NET writes
/// it), if the body is XML with such an element.
pub fn error_message(body: &[u8]) -> Option<String> {
    let mut reader = NsReader::from_reader(body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body));
    let mut d = Decoder {
        reader: reader.clone(),
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

    fn list(&mut self, model: &'static Model, empty: bool) -> Result<Value> {
        let mut items = Vec::new();
        if empty {
            return Ok(Value::Array(items));
        }
        loop {
            match self.next()? {
                Event::Start(e) if e.local_name().as_ref() == model.element => {
                    items.push(Value::Object(self.object(model, false)?));
                }
                Event::Empty(e) if e.local_name().as_ref() == model.element => {
                    items.push(Value::Object(self.object(model, true)?));
                }
                Event::Start(e) => self.skip(&e)?,
                Event::End(_) => return Ok(Value::Array(items)),
                event => self.between_elements(event)?,
            }
        }
    }

    fn object(&mut self, model: &'static Model, empty: bool) -> Result<Map<String, Value>> {
        let mut map = Map::with_capacity(model.members.len());
        if empty {
            return Ok(map);
        }
        loop {
            let (start, empty) = match self.next()? {
                Event::Start(e) => (e, false),
                Event::Empty(e) => (e, true),
                Event::End(_) => return Ok(map),
                event => {
                    self.between_elements(event)?;
                    continue;
                }
            };
            let Some(member) = model.member(start.local_name().as_ref()) else {
                if !empty {
                    self.skip(&start)?;
                }
                continue;
            };
            if map.contains_key(member.json) {
                return Err(self.error(format!("<{}> appears twice", member.element)));
            }
            let value = self.member(member, &start, empty)?;
            map.insert(member.json.to_string(), value);
        }
    }

    fn member(&mut self, member: &Member, start: &BytesStart<'i>, empty: bool) -> Result<Value> {
        if self.is_nil(start)? {
            if !empty {
                let text = self.text(start.local_name().as_ref())?;
                if !text.trim().is_empty() {
                    return Err(self.error(format!("<{}> is nil but has content", member.element)));
                }
            }
            return if member.nullable {
                Ok(Value::Null)
            } else {
                Err(self.error(format!("<{}> must not be nil", member.element)))
            };
        }
        if let Kind::Object(model) = member.kind {
            return self.object(model, empty).map(Value::Object);
        }
        let text = if empty {
            String::new()
        } else {
            self.text(start.local_name().as_ref())?
        };
        self.scalar(member, text)
    }

    fn scalar(&self, member: &Member, text: String) -> Result<Value> {
        let bad = |what: &str| {
            self.error(format!(
                "<{}> must be {what}, found {:?}",
                member.element,
                text.chars().take(40).collect::<String>()
            ))
        };
        Ok(match member.kind {
            Kind::Text => Value::String(text),
            Kind::Integer => {
                Value::from(text.trim().parse::<i64>().map_err(|_| bad("an integer"))?)
            }
            Kind::Boolean => match text.trim() {
                "true" | "1" => Value::Bool(true),
                "false" | "0" => Value::Bool(false),
                _ => return Err(bad("true or false")),
            },
            Kind::Decimal => {
                let t = text.trim();
                rust_decimal::Decimal::from_str_exact(t).map_err(|_| bad("a decimal"))?;
                Value::String(t.to_string())
            }
            Kind::Object(_) => unreachable!("objects are read by `object`"),
        })
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
