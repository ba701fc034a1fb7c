//! The server: the only part of the sandbox that touches sockets. It accepts connections up
//! to a limit ([`accept`]), serves each over HTTP/1.1 with its timeouts and carries out the
//! fault rules that end a connection ([`connection`]), and hosts the HTTP layer's router
//! ([`router_with`](crate::http::router_with)) on them; [`Sandbox`] and [`SandboxBuilder`] run
//! all of it on a task, for tests and the CLI.
//!
//! Imports the HTTP layer and the domain; neither imports it.

mod accept;
mod connection;
mod sandbox;

pub use accept::{serve, serve_with};
pub use sandbox::{SHUTDOWN_GRACE, Sandbox, SandboxBuilder};
