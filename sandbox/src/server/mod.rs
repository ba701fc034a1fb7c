//! Running the sandbox: in-process for tests ([`Sandbox::start`]) or in the foreground
//! ([`serve`]), with graceful shutdown.

use std::future::Future;
use std::io;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
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
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore, oneshot, watch};
use tokio::task::{JoinHandle, JoinSet};
use tokio::time::Instant;
use tower::ServiceExt as _;

use crate::domain::clock::Clock;
use crate::domain::data::SandboxData;
use crate::domain::faults::Faults;
use crate::domain::limits::DEFAULT_MAX_BOOKINGS;
use crate::domain::state::SandboxState;
use crate::http::connection::{ConnectionFault, ConnectionInfo};
use crate::http::{ServerConfig, router_with};

/// How long [`Sandbox::shutdown`] lets open requests finish before it stops waiting.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// The error a connection's service returns to make hyper close it without an answer.
#[derive(Debug)]
struct Cut(ConnectionFault);

impl std::fmt::Display for Cut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "connection cut by a fault rule ({:?})", self.0)
    }
}

impl std::error::Error for Cut {}

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

/// Serves one connection until it closes, a timeout cuts it, or shutdown has let its request
/// in flight finish. Holds its connection permit until then.
async fn connection(
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

/// A sandbox running on a background task of the current tokio runtime.
///
/// It stops on [`shutdown`](Self::shutdown), or when dropped (then without waiting).
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> std::io::Result<()> {
/// use adultwork_sandbox::Sandbox;
///
/// let sandbox = Sandbox::start().await?;
/// assert!(sandbox.base_url().starts_with("http://127.0.0.1:"));
/// sandbox.shutdown().await
/// # }
/// ```
#[derive(Debug)]
pub struct Sandbox {
    addr: SocketAddr,
    state: SandboxState,
    faults: Faults,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<io::Result<()>>>,
}

impl Sandbox {
    /// Starts a sandbox with the default data and the system clock on 127.0.0.1, on a free port.
    pub async fn start() -> io::Result<Self> {
        Self::builder().start().await
    }

    /// Configures a sandbox: address, data, clock.
    pub fn builder() -> SandboxBuilder {
        SandboxBuilder::default()
    }

    /// The URL to point a client at, e.g. `http://127.0.0.1:49152` (no trailing slash).
    /// An unspecified bind address (`0.0.0.0`, `::`) is given as loopback.
    pub fn base_url(&self) -> String {
        let mut addr = self.addr;
        if addr.ip().is_unspecified() {
            addr.set_ip(match addr {
                SocketAddr::V4(_) => Ipv4Addr::LOCALHOST.into(),
                SocketAddr::V6(_) => Ipv6Addr::LOCALHOST.into(),
            });
        }
        format!("http://{addr}")
    }

    /// The address the sandbox listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The sandbox's state, to inspect or change bookings directly.
    pub fn state(&self) -> &SandboxState {
        &self.state
    }

    /// The sandbox's fault rules (shared with the running server): add, list or clear them
    /// from the test, as `/_sandbox/faults` does.
    pub fn faults(&self) -> &Faults {
        &self.faults
    }

    /// The sandbox's clock (shared with the running server).
    pub fn clock(&self) -> &Clock {
        self.state.clock()
    }

    /// Stops accepting connections, lets requests in flight finish (at most
    /// [`SHUTDOWN_GRACE`]), and returns once the server has stopped.
    pub async fn shutdown(mut self) -> io::Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let Some(mut task) = self.task.take() else {
            return Ok(());
        };
        match tokio::time::timeout(SHUTDOWN_GRACE, &mut task).await {
            Ok(Ok(result)) => result,
            Ok(Err(join)) => Err(io::Error::other(join)),
            Err(_elapsed) => {
                task.abort();
                Ok(())
            }
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Configures and starts a [`Sandbox`].
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> std::io::Result<()> {
/// use adultwork_sandbox::{Clock, Sandbox, SandboxData};
/// use chrono::NaiveDate;
///
/// let start = NaiveDate::from_ymd_opt(2018, 1, 1).unwrap().and_hms_opt(11, 0, 0).unwrap();
/// let sandbox = Sandbox::builder()
///     .bind(([127, 0, 0, 1], 0))
///     .data(SandboxData::default())
///     .clock(Clock::fixed(start))
///     .start()
///     .await?;
/// assert_eq!(sandbox.clock().now(), start);
/// sandbox.shutdown().await
/// # }
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct SandboxBuilder {
    bind: SocketAddr,
    data: Option<SandboxData>,
    clock: Option<Clock>,
    config: ServerConfig,
    max_bookings: usize,
}

impl Default for SandboxBuilder {
    fn default() -> Self {
        Self {
            bind: (Ipv4Addr::LOCALHOST, 0).into(),
            data: None,
            clock: None,
            config: ServerConfig::default(),
            max_bookings: DEFAULT_MAX_BOOKINGS,
        }
    }
}

impl SandboxBuilder {
    /// The address to listen on (default `127.0.0.1:0`: loopback, a free port).
    pub fn bind(mut self, addr: impl Into<SocketAddr>) -> Self {
        self.bind = addr.into();
        self
    }

    /// The seed data (default: [`SandboxData::default`]).
    pub fn data(mut self, data: SandboxData) -> Self {
        self.data = Some(data);
        self
    }

    /// The clock (default: [`Clock::system`]). Keep a clone to move time from the test.
    pub fn clock(mut self, clock: Clock) -> Self {
        self.clock = Some(clock);
        self
    }

    /// Starts the clock at `at`, running ([`Clock::starting_at`]), or frozen there
    /// ([`Clock::fixed`]) when `frozen`: `adultwork sandbox --now INSTANT [--frozen]`. With
    /// the docs' epoch (2018-01-01 11:00) the docs' samples are in the future again.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// use adultwork_sandbox::Sandbox;
    /// use chrono::NaiveDate;
    ///
    /// let epoch = NaiveDate::from_ymd_opt(2018, 1, 1).unwrap().and_hms_opt(11, 0, 0).unwrap();
    /// let sandbox = Sandbox::builder().now(epoch, true).start().await?;
    /// assert_eq!(sandbox.clock().now(), epoch);
    /// sandbox.shutdown().await
    /// # }
    /// ```
    pub fn now(self, at: chrono::NaiveDateTime, frozen: bool) -> Self {
        self.clock(if frozen {
            Clock::fixed(at)
        } else {
            Clock::starting_at(at)
        })
    }

    /// Whether the `/_sandbox/...` control endpoints exist (default true); without them they
    /// answer 404, and the sandbox can only be driven through the API.
    pub fn control(mut self, on: bool) -> Self {
        self.config.control = on;
        self
    }

    /// The time a client has to send a request's headers (default 10 s); see
    /// [`ServerConfig::header_timeout`].
    pub fn header_timeout(mut self, timeout: Duration) -> Self {
        self.config.header_timeout = timeout;
        self
    }

    /// The time a client has to send a request's body (default 10 s); see
    /// [`ServerConfig::body_timeout`].
    pub fn body_timeout(mut self, timeout: Duration) -> Self {
        self.config.body_timeout = timeout;
        self
    }

    /// The time a kept-alive connection may sit idle (default 60 s); see
    /// [`ServerConfig::idle_timeout`].
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.config.idle_timeout = timeout;
        self
    }

    /// The most connections served at once (default 1024, at least 1); see
    /// [`ServerConfig::max_connections`].
    pub fn max_connections(mut self, max: usize) -> Self {
        self.config.max_connections = max;
        self
    }

    /// The fault rules to start with (default: none); keep a clone, or use
    /// [`Sandbox::faults`], to change them while it runs. See [`ServerConfig::faults`].
    pub fn faults(mut self, faults: Faults) -> Self {
        self.config.faults = faults;
        self
    }

    /// The whole [`ServerConfig`] at once.
    pub fn config(mut self, config: ServerConfig) -> Self {
        self.config = config;
        self
    }

    /// The most bookings, webcam and phone-chat together, the sandbox holds (default
    /// 100,000); see [`SandboxState::set_max_bookings`].
    pub fn max_bookings(mut self, max: usize) -> Self {
        self.max_bookings = max;
        self
    }

    /// Binds the address and starts serving on a task of the current tokio runtime.
    pub async fn start(self) -> io::Result<Sandbox> {
        let listener = TcpListener::bind(self.bind).await?;
        let addr = listener.local_addr()?;
        let state = SandboxState::new(
            self.data.unwrap_or_default(),
            self.clock.unwrap_or_default(),
        );
        state.set_max_bookings(self.max_bookings);
        let faults = self.config.faults.clone();
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(serve_with(
            listener,
            state.clone(),
            self.config,
            async move {
                let _ = stopped.await;
            },
        ));
        tracing::info!(%addr, "sandbox listening");
        Ok(Sandbox {
            addr,
            state,
            faults,
            stop: Some(stop),
            task: Some(task),
        })
    }
}
