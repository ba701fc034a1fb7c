//! The client progenitor generates from `openapi.yaml` at build time (see `build.rs`).
#![allow(
    missing_docs,
    clippy::all,
    clippy::pedantic,
    unused_imports,
    mismatched_lifetime_syntaxes
)]

include!(concat!(env!("OUT_DIR"), "/types.rs"));
#[cfg(feature = "client")]
mod client {
    use super::types;
    include!(concat!(env!("OUT_DIR"), "/client.rs"));
}
#[cfg(feature = "client")]
pub use client::*;
