//! `openapi.yaml`, read once, with the lookups the generators share.

use serde_json::Value;

/// The spec, relative to the package root.
pub const PATH: &str = "openapi.yaml";

/// The spec as plain JSON (YAML anchors resolved) and as a typed OpenAPI document.
pub struct Spec {
    pub raw: Value,
    pub api: openapiv3::OpenAPI,
}

/// One operation of the spec, in the spec's order.
pub struct Op<'a> {
    pub id: &'a str,
    /// Lower case, as the spec spells it (`get`, `post`).
    pub method: &'a str,
    pub path: &'a str,
    pub raw: &'a Value,
}

impl Spec {
    pub fn read() -> Self {
        let text = std::fs::read_to_string(PATH).expect("read openapi.yaml");
        let raw: Value = serde_norway::from_str(&text).expect("openapi.yaml is valid YAML");
        let api = serde_json::from_value(raw.clone())
            .expect("openapi.yaml is a valid OpenAPI 3.0 document");
        Self { raw, api }
    }

    pub fn schemas(&self) -> &serde_json::Map<String, Value> {
        self.raw["components"]["schemas"]
            .as_object()
            .expect("openapi.yaml has component schemas")
    }

    pub fn operations(&self) -> Vec<Op<'_>> {
        let mut ops = Vec::new();
        for (path, item) in self.raw["paths"]
            .as_object()
            .expect("openapi.yaml has paths")
        {
            for (method, op) in item.as_object().expect("a path item") {
                if let Some(id) = op["operationId"].as_str() {
                    ops.push(Op {
                        id,
                        method,
                        path,
                        raw: op,
                    });
                }
            }
        }
        ops
    }

    /// The `200` response of `op`, with a `$ref` to `components/responses` followed.
    pub fn success<'a>(&'a self, op: &Op<'a>) -> &'a Value {
        let ok = &op.raw["responses"]["200"];
        match ok["$ref"].as_str() {
            Some(r) => &self.raw["components"]["responses"][last_segment(r)],
            None => ok,
        }
    }

    /// The schema behind `schema`: a `$ref` (or a one-element `allOf` around one) followed.
    pub fn resolve<'a>(&'a self, schema: &'a Value) -> &'a Value {
        let target = schema["allOf"].get(0).unwrap_or(schema);
        match target["$ref"].as_str() {
            Some(r) => &self.schemas()[last_segment(r)],
            None => target,
        }
    }
}

/// The name a `$ref` points at (`#/components/schemas/X` → `X`).
pub fn ref_name(schema: &Value) -> Option<&str> {
    let target = schema["allOf"].get(0).unwrap_or(schema);
    target["$ref"].as_str().map(last_segment)
}

fn last_segment(reference: &str) -> &str {
    reference.rsplit('/').next().unwrap_or(reference)
}
