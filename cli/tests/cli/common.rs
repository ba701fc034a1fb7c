//! What every CLI test needs: an in-process sandbox, a command pointed at it, and servers that
//! count or misbehave.

use std::ffi::OsStr;
use std::net::{SocketAddr, TcpListener as StdListener};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use adultwork_sandbox::Sandbox;
use assert_cmd::Command;
pub use chrono::Utc;
use chrono::{NaiveDateTime, TimeDelta};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::runtime::Runtime;

pub use adultwork_sandbox::{CLIENT_TOKEN, MANAGER_TOKEN, NOSCOPE_TOKEN};

/// A runtime holding an in-process sandbox for one test.
pub struct Env {
    rt: Runtime,
    url: String,
    http: reqwest::Client,
    _sandbox: Sandbox,
}

fn runtime() -> Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime")
}

impl Env {
    /// Starts a sandbox on a free port.
    pub fn start() -> Self {
        let rt = runtime();
        let sandbox = rt.block_on(Sandbox::start()).expect("start the sandbox");
        Self {
            url: sandbox.base_url(),
            rt,
            http: reqwest::Client::new(),
            _sandbox: sandbox,
        }
    }

    /// The sandbox's base URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// `adultwork --base-url URL --token TOKEN`, with the environment cleared of our variables.
    pub fn cmd(&self, token: &str) -> Command {
        let mut cmd = adultwork();
        cmd.args(["--base-url", &self.url, "--token", token]);
        cmd
    }

    /// Runs `adultwork ARGS` as the sandbox's client, expects success, returns the JSON.
    pub fn ok<S: AsRef<OsStr>>(&self, args: impl IntoIterator<Item = S>) -> Value {
        let out = self
            .cmd(CLIENT_TOKEN)
            .args(args)
            .assert()
            .success()
            .get_output()
            .clone();
        assert!(
            out.stderr.is_empty(),
            "stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("stdout is JSON")
    }

    /// Creates a webcam booking with 123456 (Skype) and returns its ID.
    pub fn webcam_booking(&self) -> i64 {
        let results = self.ok(webcam_create(&["123456"], &in_days(2)));
        results[0]["BookingID"].as_i64().expect("a booking ID")
    }

    /// `POST /_sandbox/{path}` (a control endpoint) with a JSON body.
    pub fn control(&self, path: &str, body: Value) {
        let url = format!("{}/_sandbox/{path}", self.url);
        let status = self
            .rt
            .block_on(self.http.post(&url).json(&body).send())
            .expect("control endpoint")
            .status();
        assert!(status.is_success(), "POST {url}: {status}");
    }
}

/// The `adultwork` binary with `ADULTWORK_*` removed from its environment.
pub fn adultwork() -> Command {
    let mut cmd = Command::cargo_bin("adultwork").expect("the adultwork binary");
    cmd.env_remove("ADULTWORK_TOKEN")
        .env_remove("ADULTWORK_BASE_URL");
    cmd
}

/// What `adultwork args...` prints on stdout (UTF-8), which must succeed.
pub fn stdout_of(args: &[&str]) -> String {
    let out = adultwork()
        .args(args)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).unwrap()
}

/// `now + days`, as the CLI takes dates.
pub fn in_days(days: i64) -> String {
    at(Utc::now().naive_utc() + TimeDelta::days(days))
}

/// A date as the CLI takes it.
pub fn at(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%d %H:%M").to_string()
}

/// The arguments of a valid `webcam create` (Skype).
pub fn webcam_create(users: &[&str], session: &str) -> Vec<String> {
    [
        "webcam",
        "create",
        "--users",
        &users.join(","),
        "--session-date",
        session,
        "--duration",
        "10",
        "--credits",
        "10",
        "--software",
        "skype",
        "--sign-in",
        "ClientUserOnSkype",
    ]
    .iter()
    .map(ToString::to_string)
    .collect()
}

/// The arguments of a valid `phonechat create` with 123456, without the method flags.
pub fn phonechat_create() -> Vec<String> {
    [
        "phonechat",
        "create",
        "--user",
        "123456",
        "--session-date",
        &in_days(2),
        "--accept-by",
        &in_days(1),
        "--duration",
        "15",
        "--credits",
        "32",
    ]
    .iter()
    .map(ToString::to_string)
    .collect()
}

/// A local server that counts connections and answers each request with a fixed response.
pub struct FakeServer {
    _rt: Runtime,
    /// Its base URL.
    pub url: String,
    connections: Arc<AtomicUsize>,
}

impl FakeServer {
    /// Answers every request with `status` and `body` (as JSON).
    pub fn start(status: &str, body: &str) -> Self {
        Self::start_with_headers(status, "", body)
    }

    /// Answers every request with `status`, the extra `headers` (each ending in CRLF) and
    /// `body` (as JSON).
    pub fn start_with_headers(status: &str, headers: &str, body: &str) -> Self {
        let rt = runtime();
        let connections = Arc::new(AtomicUsize::new(0));
        let response = format!(
            "HTTP/1.1 {status}\r\n{headers}content-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        );
        let listener = rt.block_on(TcpListener::bind("127.0.0.1:0")).expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let counter = connections.clone();
        rt.spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                counter.fetch_add(1, Ordering::SeqCst);
                let response = response.clone();
                tokio::spawn(async move {
                    let mut buf = vec![0u8; 64 * 1024];
                    let mut read = Vec::new();
                    // Read the head and whatever body arrives with it, then answer.
                    while let Ok(n) = socket.read(&mut buf).await {
                        if n == 0 {
                            break;
                        }
                        read.extend_from_slice(&buf[..n]);
                        if read.windows(4).any(|w| w == b"\r\n\r\n") {
                            break;
                        }
                    }
                    let _ = socket.write_all(response.as_bytes()).await;
                    let _ = socket.shutdown().await;
                });
            }
        });
        Self {
            _rt: rt,
            url,
            connections,
        }
    }

    /// How many connections were made to it.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

/// An address nothing listens on.
pub fn closed_port() -> SocketAddr {
    let listener = StdListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    drop(listener);
    addr
}

/// A free port on 127.0.0.1.
pub fn free_port() -> u16 {
    closed_port().port()
}
