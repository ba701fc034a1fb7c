//! One connection: HTTP/1.1 with keep-alive over hyper, the header and idle timeouts, shutdown
//! of an idle connection, and the fault rules that end a connection (drop or reset) that the
//! HTTP layer leaves in a response ([`ConnectionFault`]).

use std::io;
use std::pin::{Pin, pin};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::extract::Request;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::{Notify, OwnedSemaphorePermit, watch};
use tokio::time::Instant;
use tower::ServiceExt as _;

use crate::http::ServerConfig;
use crate::http::connection::{ConnectionFault, ConnectionInfo};

/// The error a connection's service returns to make hyper close it without an answer.
#[derive(Debug)]
struct Cut(ConnectionFault);

impl std::fmt::Display for Cut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "connection cut by a fault rule ({:?})", self.0)
    }
}

impl std::error::Error for Cut {}

/// Serves one connection until it closes, a timeout cuts it, or shutdown has let its request
/// in flight finish. Holds its connection permit until then.
pub(super) async fn connection(
    stream: TcpStream,
    app: Router,
    config: ServerConfig,
    _permit: OwnedSemaphorePermit,
    mut closing: watch::Receiver<()>,
) {
    let _ = stream.set_nodelay(true);
    let Ok(local) = stream.local_addr() else {
        return;
    };
    let info = ConnectionInfo { local };
    let activity = Arc::new(Activity::new());
    let reset = Arc::new(AtomicBool::new(false));
    let io = TokioIo::new(Watched {
        inner: stream,
        activity: Arc::clone(&activity),
        reset: Arc::clone(&reset),
    });
    let service = {
        let activity = Arc::clone(&activity);
        hyper::service::service_fn(move |mut req: Request<Incoming>| {
            req.extensions_mut().insert(info);
            let busy = Busy::begin(Arc::clone(&activity));
            let app = app.clone();
            let reset = Arc::clone(&reset);
            async move {
                let Ok(res) = app.oneshot(req).await;
                drop(busy);
                match res.extensions().get::<ConnectionFault>().copied() {
                    None => Ok(res),
                    Some(fault) => {
                        if fault == ConnectionFault::Reset {
                            reset.store(true, Ordering::Relaxed);
                        }
                        Err(Cut(fault))
                    }
                }
            }
        })
    };
    let mut http = http1::Builder::new();
    // The header timeout is enforced below, distinct from the idle timeout (hyper's own
    // timer runs from the end of the previous answer, so it would be both).
    http.keep_alive(true).header_read_timeout(None);
    let mut conn = pin!(http.serve_connection(io, service));
    let mut expired = pin!(activity.expired(config.header_timeout, config.idle_timeout));
    let mut shutting_down = false;
    loop {
        tokio::select! {
            result = conn.as_mut() => {
                if let Err(e) = result {
                    tracing::debug!(error = %e, "connection ended with an error");
                }
                return;
            }
            _ = closing.changed(), if !shutting_down => {
                // A request being served finishes first; a connection that is idle or still
                // sending its headers is closed now.
                if !activity.is_busy() {
                    return;
                }
                shutting_down = true;
                conn.as_mut().graceful_shutdown();
            }
            why = &mut expired => {
                tracing::debug!(reason = why, "connection cut");
                return;
            }
        }
    }
}

/// Where a connection is: what it waits for, and since when.
#[derive(Debug, Clone, Copy)]
enum Phase {
    /// Waiting for the rest of a request's head: since the connection opened (first request)
    /// or since the first byte of the next request arrived.
    Head(Instant),
    /// Between an answer and the first byte of the next request.
    Idle(Instant),
    /// Serving this many requests (reading the body is the handler's, bound by the body
    /// timeout).
    Busy(usize),
}

/// A connection's [`Phase`], changed by its reads and its requests, watched by its timer.
struct Activity {
    phase: Mutex<Phase>,
    changed: Notify,
}

impl Activity {
    fn new() -> Self {
        Self {
            phase: Mutex::new(Phase::Head(Instant::now())),
            changed: Notify::new(),
        }
    }

    fn update(&self, f: impl FnOnce(Phase) -> Phase) {
        let mut phase = self.phase.lock().unwrap_or_else(PoisonError::into_inner);
        *phase = f(*phase);
        drop(phase);
        self.changed.notify_one();
    }

    /// Bytes arrived: an idle connection is now reading a request's head.
    fn read(&self) {
        let phase = *self.phase.lock().unwrap_or_else(PoisonError::into_inner);
        if let Phase::Idle(_) = phase {
            self.update(|p| match p {
                Phase::Idle(_) => Phase::Head(Instant::now()),
                other => other,
            });
        }
    }

    fn is_busy(&self) -> bool {
        matches!(
            *self.phase.lock().unwrap_or_else(PoisonError::into_inner),
            Phase::Busy(_)
        )
    }

    /// Completes when the connection has waited too long in its phase; names the timeout.
    async fn expired(&self, header: Duration, idle: Duration) -> &'static str {
        loop {
            let changed = self.changed.notified();
            let phase = *self.phase.lock().unwrap_or_else(PoisonError::into_inner);
            let (deadline, why) = match phase {
                Phase::Head(since) => (since + header, "header timeout"),
                Phase::Idle(since) => (since + idle, "idle timeout"),
                Phase::Busy(_) => {
                    changed.await;
                    continue;
                }
            };
            if Instant::now() >= deadline {
                return why;
            }
            tokio::select! {
                () = changed => {}
                () = tokio::time::sleep_until(deadline) => {}
            }
        }
    }
}

/// One request being served; the connection is idle again when the last one is dropped.
struct Busy(Arc<Activity>);

impl Busy {
    fn begin(activity: Arc<Activity>) -> Self {
        activity.update(|p| match p {
            Phase::Busy(n) => Phase::Busy(n + 1),
            _ => Phase::Busy(1),
        });
        Self(activity)
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.update(|p| match p {
            Phase::Busy(n) if n > 1 => Phase::Busy(n - 1),
            _ => Phase::Idle(Instant::now()),
        });
    }
}

/// A stream that tells its connection's [`Activity`] when bytes arrive, and closes with a
/// reset when a fault rule asked for one.
struct Watched {
    inner: TcpStream,
    activity: Arc<Activity>,
    reset: Arc<AtomicBool>,
}

impl Drop for Watched {
    fn drop(&mut self) {
        if self.reset.load(Ordering::Relaxed) {
            // Closing with SO_LINGER 0 sends RST instead of FIN.
            let _ = self.inner.set_zero_linger();
        }
    }
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(polled, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.activity.read();
        }
        polled
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}
