//! The JSON value of a response → DataContract XML, byte for byte as the .NET serializer
//! behind ASP.NET Web API writes it (checked against golden files in `tests/data/datacontract`).

use std::fmt::Write as _;

use quick_xml::escape::partial_escape;
use serde_json::Value;

use super::{Body, Document, Kind, Model, XSI_NAMESPACE};

/// Scale the API's decimal columns have: the docs' XML samples write `10.0000`.
const DECIMAL_SCALE: u32 = 4;

/// Writes `value` (the JSON form of an operation's response) as DataContract XML: the root
/// declares `xmlns:i` and the default namespace; members come in serializer order; nulls are
/// `<X i:nil="true" />`; base-class members carry their own `xmlns`; a nested type in another
/// namespace declares `xmlns:d{depth}p1` and prefixes its members with it.
///
/// Members missing from `value` are written as nil; values of the wrong JSON type are written
/// as their JSON text, so the output is always well-formed.
pub fn encode(doc: &Document, value: &Value) -> String {
    let mut w = Writer {
        out: String::with_capacity(1024),
    };
    write!(
        w.out,
        r#"<{} xmlns:i="{XSI_NAMESPACE}" xmlns="{}""#,
        doc.root, doc.namespace
    )
    .unwrap();
    let scope = Scope {
        default_ns: doc.namespace,
        prefix: None,
        depth: 1,
    };
    match doc.body {
        Body::Object(model) => w.members(model, value, &scope, doc.root),
        Body::List(model) => {
            let items = value.as_array().map(Vec::as_slice).unwrap_or_default();
            if items.is_empty() {
                w.out.push_str(" />");
                return w.out;
            }
            w.out.push('>');
            let item_scope = Scope { depth: 2, ..scope };
            for item in items {
                w.out.push('<');
                w.out.push_str(model.element);
                w.members(model, item, &item_scope, model.element);
            }
            write!(w.out, "</{}>", doc.root).unwrap();
        }
    }
    w.out
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

struct Writer {
    out: String,
}

impl Writer {
    /// Closes the open start tag of `element`, writes `model`'s members and the end tag.
    fn members(&mut self, model: &Model, value: &Value, scope: &Scope, element: &str) {
        self.out.push('>');
        for member in model.members {
            let v = value.get(member.json).unwrap_or(&Value::Null);
            let name = match (member.namespace, scope.prefix) {
                (Some(_), _) | (None, None) => member.element.to_string(),
                (None, Some((_, depth))) => format!("d{depth}p1:{}", member.element),
            };
            self.out.push('<');
            self.out.push_str(&name);
            if let Some(ns) = member.namespace.filter(|ns| *ns != scope.default_ns) {
                write!(self.out, r#" xmlns="{ns}""#).unwrap();
            }
            if v.is_null() {
                self.out.push_str(r#" i:nil="true" />"#);
                continue;
            }
            match member.kind {
                Kind::Object(nested) => {
                    let depth = scope.depth + 1;
                    let members_ns = nested.namespace.unwrap_or(match scope.prefix {
                        Some((ns, _)) => ns,
                        None => scope.default_ns,
                    });
                    let prefix = if members_ns == scope.default_ns {
                        None
                    } else {
                        write!(self.out, r#" xmlns:d{depth}p1="{members_ns}""#).unwrap();
                        Some((members_ns, depth))
                    };
                    let inner = Scope {
                        default_ns: scope.default_ns,
                        prefix,
                        depth,
                    };
                    self.members(nested, v, &inner, &name);
                }
                kind => {
                    self.out.push('>');
                    self.scalar(kind, v);
                    write!(self.out, "</{name}>").unwrap();
                }
            }
        }
        write!(self.out, "</{element}>").unwrap();
    }

    /// Escaped text, with every line break (`\n`, `\r\n`, lone `\r`) written as `\r\n`, as
    /// the Web API's `XmlWriter` does (`NewLineHandling.Replace`, `NewLineChars` = CRLF).
    fn text(&mut self, s: &str) {
        let mut rest = s;
        while let Some(i) = rest.find(['\r', '\n']) {
            self.out.push_str(&partial_escape(&rest[..i]));
            self.out.push_str("\r\n");
            let skip = if rest[i..].starts_with("\r\n") { 2 } else { 1 };
            rest = &rest[i + skip..];
        }
        self.out.push_str(&partial_escape(rest));
    }

    fn scalar(&mut self, kind: Kind, v: &Value) {
        match (kind, v) {
            (_, Value::String(s)) if !matches!(kind, Kind::Decimal) => self.text(s),
            (Kind::Decimal, v) => {
                // Decimal text (what `decode` produces) carries its scale, which .NET keeps
                // (`32` stays `32`); a JSON number carries none, so it gets the API's scale.
                let (text, pad) = match v {
                    Value::String(s) => (s.clone(), false),
                    other => (other.to_string(), true),
                };
                match rust_decimal::Decimal::from_str_exact(&text) {
                    Ok(mut d) => {
                        if pad && d.scale() < DECIMAL_SCALE {
                            d.rescale(DECIMAL_SCALE);
                        }
                        write!(self.out, "{d}").unwrap();
                    }
                    Err(_) => self.out.push_str(&partial_escape(&text)),
                }
            }
            (_, other) => write!(self.out, "{other}").unwrap(),
        }
    }
}
