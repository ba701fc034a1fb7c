//! Reads `openapi.yaml` once and generates, into `OUT_DIR` (nothing generated is committed):
//! - `types.rs` and `client.rs`: progenitor's wire types and client ([`client`]);
//! - `operations.rs`: the `Operation` enum every crate of the workspace routes by ([`operations`]);
//! - `datacontract.rs`: the DataContract XML description the codec is driven by ([`datacontract`]);
//! - `rules.rs`: the limits of the request rules `validate` checks ([`rules`]).

mod client;
mod datacontract;
mod operations;
mod rules;
mod spec;

use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed={}", spec::PATH);
    println!("cargo:rerun-if-changed=build");
    let spec = spec::Spec::read();
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let generated = client::generate(&spec);
    let write = |name: &str, text: String| {
        std::fs::write(out.join(name), text).unwrap_or_else(|e| panic!("write {name}: {e}"))
    };
    write("types.rs", generated.types);
    write("client.rs", generated.client);
    write("operations.rs", operations::emit(&spec));
    write("datacontract.rs", datacontract::emit(&spec));
    write("rules.rs", rules::emit(&spec));
}
