//! progenitor's wire types and client, adapted by a syn pass: identifiers renamed as the
//! spec's `x-rust-name` says.

use std::collections::BTreeMap;

use heck::ToSnakeCase;
use progenitor::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle, TypeImpl};
use quote::quote;
use serde_json::Value;
use syn::visit_mut::VisitMut;

use crate::spec::Spec;

/// Named component schemas that map to hand-written types in `src/`.
/// The spec keeps the wire facts; these types add what the generator cannot express.
const REPLACEMENTS: &[(&str, &str, &[TypeImpl])] = &[
    (
        "DotNetDateTime",
        "crate::Timestamp",
        &[TypeImpl::Display, TypeImpl::FromStr],
    ),
    (
        "MinuteDateTime",
        "crate::MinuteDateTime",
        &[TypeImpl::Display, TypeImpl::FromStr],
    ),
    (
        "Credits",
        "crate::Credits",
        &[TypeImpl::Display, TypeImpl::FromStr],
    ),
    (
        "BookingStatus",
        "crate::BookingStatus",
        &[TypeImpl::Display, TypeImpl::FromStr],
    ),
    (
        "SoftwareType",
        "crate::SoftwareType",
        &[TypeImpl::Display, TypeImpl::FromStr],
    ),
    (
        "PhoneChatMethod",
        "crate::PhoneChatMethod",
        &[TypeImpl::Display, TypeImpl::FromStr],
    ),
    (
        "WebcamBookingResultStatus",
        "crate::WebcamBookingOutcome",
        &[TypeImpl::Display, TypeImpl::FromStr],
    ),
];

/// progenitor's output, split so the types build without the HTTP client.
pub struct Generated {
    /// `pub mod types { ... }`: the wire types (serde, schemars), no HTTP.
    pub types: String,
    /// The client and its request builders (reqwest, progenitor-client).
    pub client: String,
}

pub fn generate(spec: &Spec) -> Generated {
    let raw = &spec.raw;
    let mut settings = GenerationSettings::new();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        .with_inner_type(quote!(crate::transport::Call))
        .with_hooks(HooksMode::Expected)
        .with_derive("schemars::JsonSchema")
        .with_derive("PartialEq");
    for (schema, rust, impls) in REPLACEMENTS {
        settings.with_replacement(schema, rust, impls.iter().cloned());
        // A nullable field cannot `$ref` a named schema truthfully in OpenAPI 3.0, so such
        // fields repeat the named schema inline (with `nullable`). Map the inline copy too.
        let named = &raw["components"]["schemas"][schema];
        if named["type"] == "string" && named["format"].is_string() {
            settings.with_conversion(inline_string_schema(named), rust, impls.iter().cloned());
        }
    }

    let mut generator = Generator::new(&settings);
    let tokens = generator
        .generate_tokens(&spec.api)
        .expect("progenitor generates the client");
    let mut file: syn::File = syn::parse2(tokens).expect("generated code parses");
    RenameIdents(rust_names(raw)).visit_file_mut(&mut file);
    let (types, client): (Vec<syn::Item>, Vec<syn::Item>) = file
        .items
        .into_iter()
        .partition(|item| matches!(item, syn::Item::Mod(m) if m.ident == "types"));
    let unparse = |items| {
        prettyplease::unparse(&syn::File {
            shebang: None,
            attrs: Vec::new(),
            items,
        })
    };
    Generated {
        types: unparse(types),
        client: unparse(client),
    }
}

/// The schemars form of an inline `type: string` schema with the named schema's format,
/// pattern and `x-assumed` label, as progenitor sees it (metadata aside).
fn inline_string_schema(named: &Value) -> schemars08::schema::SchemaObject {
    schemars08::schema::SchemaObject {
        extensions: named
            .get("x-assumed")
            .map(|label| {
                [("x-assumed".to_string(), label.clone())]
                    .into_iter()
                    .collect()
            })
            .unwrap_or_default(),
        instance_type: Some(schemars08::schema::InstanceType::String.into()),
        format: named["format"].as_str().map(str::to_string),
        string: named["pattern"].as_str().map(|p| {
            Box::new(schemars08::schema::StringValidation {
                pattern: Some(p.to_string()),
                ..Default::default()
            })
        }),
        ..Default::default()
    }
}

/// `x-rust-name` overrides: the snake_case name progenitor derives → the name we want.
/// (`BookUserIDs` would become `book_user_i_ds`; `IsMulitple` keeps the wire's typo.)
fn rust_names(raw: &Value) -> BTreeMap<String, String> {
    let mut names = BTreeMap::new();
    for schema in raw["components"]["schemas"].as_object().unwrap().values() {
        let Some(props) = schema["properties"].as_object() else {
            continue;
        };
        for (wire, prop) in props {
            if let Some(rust) = prop["x-rust-name"].as_str() {
                names.insert(wire.to_snake_case(), rust.to_string());
            }
        }
    }
    names
}

struct RenameIdents(BTreeMap<String, String>);

impl VisitMut for RenameIdents {
    fn visit_ident_mut(&mut self, ident: &mut proc_macro2::Ident) {
        if let Some(new) = self.0.get(&ident.to_string()) {
            *ident = proc_macro2::Ident::new(new, ident.span());
        }
    }
}
