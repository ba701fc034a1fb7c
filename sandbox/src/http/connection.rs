//! What the HTTP layer and the connection serving it tell each other, through a request's
//! and a response's extensions. The server fills in [`ConnectionInfo`] and carries out a
//! [`ConnectionFault`]; the HTTP layer reads the one and leaves the other.

use std::net::SocketAddr;

/// What the HTTP layer learns about a request's connection (a request extension).
#[derive(Debug, Clone, Copy)]
pub(crate) struct ConnectionInfo {
    /// The sandbox's own address on this connection.
    pub local: SocketAddr,
}

/// A fault rule's end for a connection, left by the HTTP layer in a response's extensions:
/// the connection closes instead of sending that response. Only the sandbox's own connections
/// (`serve_with`) carry it out (a router served otherwise sends the response, a 500 that says so).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ConnectionFault {
    /// Close the connection (FIN) without an answer.
    Drop,
    /// Reset the connection (RST: `SO_LINGER` 0, then close).
    Reset,
}
