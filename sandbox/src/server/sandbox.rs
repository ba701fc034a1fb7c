//! [`Sandbox`]: a sandbox served on a task of the current tokio runtime, and the builder that
//! configures and starts it.

use std::io;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::accept::serve_with;
use crate::domain::clock::Clock;
use crate::domain::data::SandboxData;
use crate::domain::faults::Faults;
use crate::domain::limits::DEFAULT_MAX_BOOKINGS;
use crate::domain::state::SandboxState;
use crate::http::ServerConfig;

/// How long [`Sandbox::shutdown`] lets open requests finish before it stops waiting.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

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
