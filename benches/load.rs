//! A bounded HTTP load run against a running server (the sandbox, or Prism for comparison):
//! requests/s and p50/p99 latency for details GET and create POST at several concurrencies.
//!
//! Each case sends a fixed number of requests (after a short unrecorded warm-up) and stops
//! early at a time cap, so a run always ends by itself. Latency is measured per request, from
//! sending to the last body byte, into an HDR histogram. Loopback only: the URL must point at
//! 127.0.0.1 or localhost.
//!
//! ```sh
//! cargo bench --bench load -- --url http://127.0.0.1:8080 --label sandbox \
//!     [--requests 20000] [--time-cap 10] [--concurrency 1,16,64] [--ops details,create] \
//!     [--threads 1] [--reset /_sandbox/reset] [--scheme bearer] [--out results.tsv]
//! ```
//!
//! `--scheme` is the word before the token in `Authorization` (the docs write `bearer`; Prism
//! only accepts `Bearer`, although HTTP auth schemes are case-insensitive).
//!
//! Without `--url` (as under a plain `cargo bench`) it prints how to use it and exits.
//! Output: one tab-separated line per case, `label op concurrency requests errors seconds
//! rps p50_ms p99_ms max_ms`, on stdout and appended to `--out`.

use std::io::Write as _;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use hdrhistogram::Histogram;
use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE};

const TOKEN: &str = "sandbox-client-token";

#[derive(Debug, Clone)]
struct Args {
    url: Option<String>,
    label: String,
    requests: usize,
    time_cap: Duration,
    concurrency: Vec<usize>,
    ops: Vec<String>,
    threads: usize,
    reset: Option<String>,
    authorization: String,
    out: Option<String>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        url: None,
        label: "server".into(),
        requests: 20_000,
        time_cap: Duration::from_secs(10),
        concurrency: vec![1, 16, 64],
        ops: vec!["details".into(), "create".into()],
        threads: 1,
        reset: None,
        authorization: format!("bearer {TOKEN}"),
        out: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--url" => args.url = Some(value()?.trim_end_matches('/').to_string()),
            "--label" => args.label = value()?,
            "--requests" => args.requests = value()?.parse().map_err(|e| format!("{e}"))?,
            "--time-cap" => {
                args.time_cap =
                    Duration::from_secs_f64(value()?.parse().map_err(|e| format!("{e}"))?)
            }
            "--concurrency" => {
                args.concurrency = value()?
                    .split(',')
                    .map(|c| c.parse().map_err(|e| format!("{e}")))
                    .collect::<Result<_, _>>()?
            }
            "--ops" => args.ops = value()?.split(',').map(str::to_string).collect(),
            "--threads" => args.threads = value()?.parse().map_err(|e| format!("{e}"))?,
            "--reset" => args.reset = Some(value()?),
            "--scheme" => args.authorization = format!("{} {TOKEN}", value()?),
            "--out" => args.out = Some(value()?),
            // What `cargo bench` passes to every bench target.
            "--bench" => {}
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    if let Some(url) = &args.url {
        let host = reqwest::Url::parse(url)
            .map_err(|e| format!("--url: {e}"))?
            .host_str()
            .unwrap_or_default()
            .to_string();
        if !matches!(host.as_str(), "127.0.0.1" | "localhost" | "[::1]") {
            return Err(format!("--url must be a loopback address, not {host}"));
        }
    }
    Ok(args)
}

fn main() {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("load: {e}");
            std::process::exit(2);
        }
    };
    if args.url.is_none() {
        eprintln!(
            "load: no --url given, nothing to do (benches/run.sh runs it against the sandbox and Prism)"
        );
        return;
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(args.threads)
        .enable_all()
        .build()
        .unwrap();
    if let Err(e) = rt.block_on(run(args)) {
        eprintln!("load: {e}");
        std::process::exit(1);
    }
}

/// The docs' create sample (seed 000) for one user, two days ahead.
fn create_body() -> Vec<u8> {
    let session = chrono::Utc::now().naive_utc() + chrono::Duration::days(2);
    serde_json::to_vec(&serde_json::json!({
        "BookUserIDs": "123456",
        "SessionDate": session.format("%Y-%m-%d %H:%M").to_string(),
        "AlsoPhoneChat": true,
        "PhoneNumber": "0123456789",
        "Duration": 10,
        "Credits": 10,
        "SoftwareTypeID": 3,
        "SignInNameOrEmail": "BookingUserOnSkype",
    }))
    .unwrap()
}

#[derive(Clone)]
struct Target {
    http: reqwest::Client,
    details: reqwest::Url,
    create: reqwest::Url,
    body: bytes::Bytes,
    authorization: http::HeaderValue,
}

impl Target {
    async fn send(&self, op: &str) -> Result<bytes::Bytes, String> {
        let request = match op {
            "details" => self.http.get(self.details.clone()),
            "create" => self
                .http
                .post(self.create.clone())
                .header(CONTENT_TYPE, "application/json")
                .body(self.body.clone()),
            other => return Err(format!("unknown op {other:?}")),
        };
        let response = request
            .header(ACCEPT, "application/json")
            .header(AUTHORIZATION, self.authorization.clone())
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let status = response.status();
        let body = response.bytes().await.map_err(|e| e.to_string())?;
        if status.is_success() {
            Ok(body)
        } else {
            Err(format!(
                "{status}: {}",
                String::from_utf8_lossy(&body[..body.len().min(200)])
            ))
        }
    }
}

fn client(concurrency: usize) -> reqwest::Client {
    reqwest::Client::builder()
        .pool_max_idle_per_host(concurrency.max(1))
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

async fn run(args: Args) -> Result<(), String> {
    let base = args.url.clone().unwrap();
    let url = |path: &str| reqwest::Url::parse(&format!("{base}{path}")).unwrap();
    let mut target = Target {
        http: client(1),
        details: url("/v1/Webcam/MadeBookingDetails?BookingID=1"),
        create: url("/v1/Webcam/CreateBooking"),
        body: create_body().into(),
        authorization: http::HeaderValue::from_str(&args.authorization)
            .map_err(|e| format!("--scheme: {e}"))?,
    };
    // Details need a booking that exists: create one and read its ID.
    reset(&target, &base, args.reset.as_deref()).await?;
    let created = target
        .send("create")
        .await
        .map_err(|e| format!("create: {e}"))?;
    let id = serde_json::from_slice::<serde_json::Value>(&created)
        .ok()
        .and_then(|v| v[0]["BookingID"].as_i64())
        .unwrap_or(1);
    target.details = url(&format!("/v1/Webcam/MadeBookingDetails?BookingID={id}"));
    target
        .send("details")
        .await
        .map_err(|e| format!("details: {e}"))?;

    let mut out = match &args.out {
        Some(path) => Some(
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .map_err(|e| format!("{path}: {e}"))?,
        ),
        None => None,
    };
    println!("label\top\tconcurrency\trequests\terrors\tseconds\trps\tp50_ms\tp99_ms\tmax_ms");
    for op in &args.ops {
        for &concurrency in &args.concurrency {
            if op == "create" {
                reset(&target, &base, args.reset.as_deref()).await?;
            }
            let target = Target {
                http: client(concurrency),
                ..target.clone()
            };
            // Warm-up: open the connections, fill caches; not recorded.
            let warmup = (args.requests / 20).clamp(concurrency, 1000);
            case(&target, op, concurrency, warmup, args.time_cap / 5).await;
            let r = case(&target, op, concurrency, args.requests, args.time_cap).await;
            if let Some(e) = &r.first_error {
                eprintln!(
                    "load: {} {op} c={concurrency}: {} errors, first: {e}",
                    args.label, r.errors
                );
            }
            let line = format!(
                "{}\t{op}\t{concurrency}\t{}\t{}\t{:.3}\t{:.0}\t{:.3}\t{:.3}\t{:.3}",
                args.label,
                r.done,
                r.errors,
                r.elapsed.as_secs_f64(),
                r.done as f64 / r.elapsed.as_secs_f64(),
                r.latency.value_at_quantile(0.50) as f64 / 1000.0,
                r.latency.value_at_quantile(0.99) as f64 / 1000.0,
                r.latency.max() as f64 / 1000.0,
            );
            println!("{line}");
            if let Some(f) = &mut out {
                writeln!(f, "{line}").map_err(|e| e.to_string())?;
            }
        }
    }
    Ok(())
}

async fn reset(target: &Target, base: &str, path: Option<&str>) -> Result<(), String> {
    let Some(path) = path else { return Ok(()) };
    let response = target
        .http
        .post(format!("{base}{path}"))
        .header(AUTHORIZATION, target.authorization.clone())
        .send()
        .await
        .map_err(|e| format!("reset: {e}"))?;
    if response.status().is_success() {
        Ok(())
    } else {
        Err(format!("reset: {}", response.status()))
    }
}

struct CaseResult {
    done: usize,
    errors: usize,
    first_error: Option<String>,
    elapsed: Duration,
    /// Microseconds.
    latency: Histogram<u64>,
}

async fn case(
    target: &Target,
    op: &str,
    concurrency: usize,
    requests: usize,
    cap: Duration,
) -> CaseResult {
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let deadline = started + cap;
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..concurrency {
        let (target, op, next) = (target.clone(), op.to_string(), next.clone());
        workers.spawn(async move {
            let mut latency = Histogram::<u64>::new_with_bounds(1, 60_000_000, 3).unwrap();
            let (mut errors, mut first_error) = (0, None);
            while next.fetch_add(1, Ordering::Relaxed) < requests && Instant::now() < deadline {
                let sent = Instant::now();
                let result = target.send(&op).await;
                latency.saturating_record(sent.elapsed().as_micros() as u64);
                if let Err(e) = result {
                    errors += 1;
                    first_error.get_or_insert(e);
                }
            }
            (latency, errors, first_error)
        });
    }
    let mut result = CaseResult {
        done: 0,
        errors: 0,
        first_error: None,
        elapsed: Duration::ZERO,
        latency: Histogram::new_with_bounds(1, 60_000_000, 3).unwrap(),
    };
    while let Some(worker) = workers.join_next().await {
        let (latency, errors, first_error) = worker.expect("a load worker panicked");
        result.latency.add(&latency).unwrap();
        result.errors += errors;
        if result.first_error.is_none() {
            result.first_error = first_error;
        }
    }
    result.elapsed = started.elapsed();
    result.done = result.latency.len() as usize;
    result
}
