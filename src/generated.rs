//! The client progenitor generates from `openapi.yaml` at build time (see `build.rs`).
#![allow(
    missing_docs,
    clippy::all,
    clippy::pedantic,
    unused_imports,
    mismatched_lifetime_syntaxes
)]

include!(concat!(env!("OUT_DIR"), "/types.rs"));
include!(concat!(env!("OUT_DIR"), "/client.rs"));
