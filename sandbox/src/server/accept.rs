//! The accept loop: takes connections up to the limit, hands each to its task, and on
//! shutdown stops accepting and lets the requests in flight finish.

use std::future::Future;
use std::io;
use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;

use super::connection::connection;
use crate::domain::state::SandboxState;
use crate::http::{ServerConfig, router_with};

/// Serves the sandbox on `listener` until `shutdown` completes, then stops accepting,
/// lets requests in flight finish, and returns. The same as [`serve_with`] and
/// [`ServerConfig::default`].
pub async fn serve(
    listener: TcpListener,
    state: SandboxState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    serve_with(listener, state, ServerConfig::default(), shutdown).await
}

/// Serves the sandbox on `listener` with `config` until `shutdown` completes; then stops
/// accepting, closes idle connections, lets requests in flight finish, and returns once every
/// connection has closed (which the timeouts bound).
///
/// Each connection is HTTP/1.1 with keep-alive, cut by the header and idle timeouts of
/// `config`; at most `config.max_connections` are served at once, the others waiting in the
/// listen queue.
pub async fn serve_with(
    listener: TcpListener,
    state: SandboxState,
    config: ServerConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let app = router_with(state, &config);
    let permits = Arc::new(Semaphore::new(
        config.max_connections.clamp(1, Semaphore::MAX_PERMITS),
    ));
    let (closing, closed) = watch::channel(());
    let mut connections = JoinSet::new();
    let mut shutdown = pin!(shutdown);
    loop {
        while connections.try_join_next().is_some() {}
        let permit = tokio::select! {
            biased;
            () = &mut shutdown => break,
            permit = Arc::clone(&permits).acquire_owned() => {
                permit.expect("the semaphore is never closed")
            }
        };
        let accepted = tokio::select! {
            biased;
            () = &mut shutdown => break,
            accepted = listener.accept() => accepted,
        };
        match accepted {
            Ok((stream, _peer)) => {
                connections.spawn(connection(
                    stream,
                    app.clone(),
                    config.clone(),
                    permit,
                    closed.clone(),
                ));
            }
            Err(e) if is_connection_error(&e) => {}
            Err(e) => {
                // Out of file descriptors, for instance: wait instead of spinning.
                tracing::error!(error = %e, "accept failed; retrying in 1 s");
                tokio::select! {
                    biased;
                    () = &mut shutdown => break,
                    () = tokio::time::sleep(Duration::from_secs(1)) => {}
                }
            }
        }
    }
    drop(listener);
    closing.send_replace(());
    while connections.join_next().await.is_some() {}
    Ok(())
}

/// Errors of one connection that was being accepted, not of the listener.
fn is_connection_error(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}
