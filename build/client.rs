//! progenitor's wire types and client, adapted by two syn passes: identifiers renamed as the
//! spec's `x-rust-name` says ([`RenameIdents`]), and every request builder's `send` handing its
//! request to the SDK's transport, which reads and decodes the answer ([`SendThroughTransport`]).

use std::collections::BTreeMap;

use heck::ToSnakeCase;
use progenitor::{GenerationSettings, Generator, InterfaceStyle, TagStyle, TypeImpl};
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
    let mut send = SendThroughTransport::default();
    send.visit_file_mut(&mut file);
    let mut rewritten = send.rewritten;
    rewritten.sort_unstable();
    let mut expected: Vec<String> = spec
        .operations()
        .iter()
        .map(|op| op.id.to_string())
        .collect();
    expected.sort_unstable();
    assert_eq!(
        rewritten, expected,
        "every operation's generated `send` goes through the transport (has progenitor's output changed shape?)"
    );
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

/// Rewrites each request builder's `send`. progenitor's version runs the request through
/// `ClientHooks` and then parses the response itself, as JSON only (its media-type support
/// stops at `application/json`; any other type is an untyped byte stream). Ours keeps the
/// generated request building (URL, query, JSON body, the builder's own checks) and hands the
/// built request to `crate::transport::Call::send`, which reads the body once within the cap
/// and decodes it once, JSON or DataContract XML, into the operation's type:
///
/// ```text
/// pub async fn send(self) -> Result<T, crate::Error> {
///     let (client, request) = (move || -> Result<_, Error<E>> { <request building>; Ok((client, request)) })()
///         .map_err(crate::transport::invalid_request)?;
///     client.inner.send::<T>(&client.client, request, crate::Operation::X).await
/// }
/// ```
///
/// The `api-version` header progenitor adds (the spec's `info.version`, which the API does not
/// ask for) and its fixed `Accept: application/json` are left out: the transport sets `Accept`.
#[derive(Default)]
struct SendThroughTransport {
    /// The operationIds whose `send` was rewritten.
    rewritten: Vec<String>,
}

impl VisitMut for SendThroughTransport {
    fn visit_impl_item_fn_mut(&mut self, f: &mut syn::ImplItemFn) {
        if f.sig.ident != "send" || f.sig.asyncness.is_none() {
            return;
        }
        let stmts = &f.block.stmts;
        let at = stmts
            .iter()
            .position(|s| quote!(#s).to_string().contains("OperationInfo"))
            .expect("a generated send names its operation in OperationInfo");
        let id = operation_id(&stmts[at]);
        let (ok, err) = result_types(&f.sig.output);
        let building: Vec<syn::Stmt> = stmts[..at]
            .iter()
            .filter(|s| {
                let text = quote!(#s).to_string();
                !(text.starts_with("let mut header_map") || text.starts_with("header_map ."))
            })
            .cloned()
            .map(|mut s| {
                DropHeaderCalls.visit_stmt_mut(&mut s);
                s
            })
            .collect();
        let variant = syn::Ident::new(
            &heck::ToUpperCamelCase::to_upper_camel_case(id.as_str()),
            proc_macro2::Span::call_site(),
        );
        f.sig.output = syn::parse_quote!(-> ::std::result::Result<#ok, crate::Error>);
        f.block = syn::parse_quote!({
            let (client, request) = (move || -> ::std::result::Result<_, Error<#err>> {
                #(#building)*
                Ok((client, request))
            })()
            .map_err(crate::transport::invalid_request)?;
            client
                .inner
                .send::<#ok>(&client.client, request, crate::Operation::#variant)
                .await
        });
        self.rewritten.push(id);
    }
}

/// The string in `let info = OperationInfo { operation_id: "..." };`.
fn operation_id(stmt: &syn::Stmt) -> String {
    let text = quote!(#stmt).to_string();
    let start = text.find('"').expect("an operation_id literal") + 1;
    let end = start + text[start..].find('"').expect("a closing quote");
    text[start..end].to_string()
}

/// `T` and `E` of `-> Result<ResponseValue<T>, Error<E>>`.
fn result_types(output: &syn::ReturnType) -> (syn::Type, syn::Type) {
    let generic = |ty: &syn::Type, n: usize| -> syn::Type {
        let syn::Type::Path(p) = ty else {
            panic!("a path type, not {}", quote!(#ty))
        };
        let syn::PathArguments::AngleBracketed(args) = &p.path.segments.last().unwrap().arguments
        else {
            panic!("generic arguments on {}", quote!(#ty))
        };
        match args.args.iter().nth(n) {
            Some(syn::GenericArgument::Type(t)) => t.clone(),
            _ => panic!("type argument {n} of {}", quote!(#ty)),
        }
    };
    let syn::ReturnType::Type(_, result) = output else {
        panic!("send returns a Result")
    };
    (
        generic(&generic(result, 0), 0),
        generic(&generic(result, 1), 0),
    )
}

/// Removes `.headers(header_map)` and `.header(ACCEPT, ..)` from the request-building chain.
struct DropHeaderCalls;

impl VisitMut for DropHeaderCalls {
    fn visit_expr_mut(&mut self, e: &mut syn::Expr) {
        syn::visit_mut::visit_expr_mut(self, e);
        if let syn::Expr::MethodCall(call) = e {
            let first = call.args.first().map(|a| quote!(#a).to_string());
            let drop = (call.method == "headers" && first.as_deref() == Some("header_map"))
                || (call.method == "header"
                    && first.is_some_and(|a| a.replace(' ', "").ends_with("header::ACCEPT")));
            if drop {
                *e = (*call.receiver).clone();
            }
        }
    }
}
