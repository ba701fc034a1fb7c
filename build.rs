//! The SDK's build script. It reads `openapi.yaml` once and generates, into `OUT_DIR` (nothing
//! generated is committed), everything the crate takes from the spec. Each step is a module
//! under `build/`:
//!
//! 1. [`spec`]: read `openapi.yaml` once, with the lookups the generators share;
//! 2. [`client`]: progenitor's wire types and client (`types.rs`, `client.rs`);
//! 3. [`operations`]: the `Operation` table every crate of the workspace routes by
//!    (`operations.rs`);
//! 4. [`datacontract`]: the DataContract XML description the codec is driven by
//!    (`datacontract.rs`);
//! 5. [`rules`]: the limits of the request rules `validate` checks (`rules.rs`).

#[path = "build/client.rs"]
mod client;
#[path = "build/datacontract.rs"]
mod datacontract;
#[path = "build/operations.rs"]
mod operations;
#[path = "build/rules.rs"]
mod rules;
#[path = "build/spec.rs"]
mod spec;

use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed={}", spec::PATH);
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=build");

    let spec = spec::Spec::read();
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let write = |name: &str, text: String| {
        std::fs::write(out.join(name), text).unwrap_or_else(|e| panic!("write {name}: {e}"))
    };

    let client = client::generate(&spec);
    write("types.rs", client.types);
    write("client.rs", client.client);
    write("operations.rs", operations::emit(&spec));
    write("datacontract.rs", datacontract::emit(&spec));
    write("rules.rs", rules::emit(&spec));
}
