//! `adultwork sandbox`: a local sandbox API in the foreground, until Ctrl-C.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

use adultwork_sandbox::{Sandbox, SandboxData};

use crate::{Failure, print};

/// `adultwork sandbox`.
#[derive(Debug, Clone, clap::Args)]
#[command(
    long_about = "\
Run a local sandbox API in the foreground; Ctrl-C stops it.

The sandbox implements every operation with the documented rules, answers JSON or DataContract
XML, and is seeded with users and access tokens (from --data FILE, or the built-in data:
client 100001 \"ClientUser\", performers 123456 \"JosepheneBlogs\", 123457 and 123458, group
manager 100002). It prints its base URL and tokens, then serves until stopped.

Control endpoints (no token) let you play the other party and move time:
  POST /_sandbox/webcam/{BookingID}/accept|reject|confirm     reject takes {\"Reason\": \"...\"}
  POST /_sandbox/phonechat/{BookingID}/accept|reject|confirm
  POST /_sandbox/clock      {\"AdvanceMinutes\": 90} or {\"Now\": \"2026-12-01T12:00:00\"}
  POST /_sandbox/reset      back to the seed data",
    after_help = "\
Example:
  adultwork sandbox --port 8080 &
  export ADULTWORK_BASE_URL=http://127.0.0.1:8080 ADULTWORK_TOKEN=sandbox-client-token
  adultwork webcam details --booking-id 1"
)]
pub(crate) struct SandboxArgs {
    /// The port to listen on (0 picks a free one)
    #[arg(long, default_value_t = 8080)]
    pub(crate) port: u16,

    /// The address to listen on
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    pub(crate) bind: IpAddr,

    /// A JSON file of users, tokens and groups to use instead of the built-in seed data
    #[arg(long, value_name = "FILE")]
    pub(crate) data: Option<PathBuf>,
}

/// Runs the sandbox until Ctrl-C (or SIGTERM).
pub(crate) async fn run(args: &SandboxArgs) -> Result<(), Failure> {
    let addr = SocketAddr::new(args.bind, args.port);
    let data = match &args.data {
        Some(path) => SandboxData::from_file(path)
            .map_err(|e| Failure::new(Failure::INPUT, format!("{}: {e}", path.display())))?,
        None => SandboxData::default(),
    };
    let tokens: Vec<_> = data
        .tokens
        .iter()
        .map(|t| {
            let nickname = data.user(t.user_id).map_or("?", |u| u.nickname.as_str());
            let scopes = if t.scopes.is_empty() {
                "no scopes".to_string()
            } else {
                t.scopes.join(", ")
            };
            format!("  {:<28} user {} {nickname} ({scopes})", t.token, t.user_id)
        })
        .collect();
    let groups: Vec<_> = data
        .groups
        .iter()
        .map(|g| {
            let members: Vec<_> = g.member_ids.iter().map(ToString::to_string).collect();
            format!("  manager {} manages {}", g.manager_id, members.join(", "))
        })
        .collect();
    let example_token = data
        .tokens
        .iter()
        .find(|t| t.scopes.len() > 1)
        .or(data.tokens.first())
        .map_or_else(|| "TOKEN".to_string(), |t| t.token.clone());
    let sandbox = Sandbox::builder()
        .bind(addr)
        .data(data)
        .start()
        .await
        .map_err(|e| {
            Failure::new(
                Failure::TRANSPORT,
                format!("could not listen on {addr}: {e}"),
            )
        })?;
    let stop = StopSignal::install().map_err(|e| {
        Failure::new(
            Failure::TRANSPORT,
            format!("could not listen for Ctrl-C: {e}"),
        )
    })?;
    let url = sandbox.base_url();
    print::line(format!(
        "AdultWork sandbox listening on {url}\n\
         \n\
         Access tokens (send as `Authorization: bearer TOKEN`, or use --token / ADULTWORK_TOKEN):\n\
         {tokens}\n\
         \n\
         Groups (the manager's token with --as-user MEMBER reads a member's bookings):\n\
         {groups}\n\
         \n\
         Play the other party (no token): POST {url}/_sandbox/webcam/BOOKING_ID/accept\n  \
         (or reject, confirm; the same under /_sandbox/phonechat/), POST {url}/_sandbox/clock,\n  \
         POST {url}/_sandbox/reset. See adultwork sandbox --help.\n\
         \n\
         Try:\n  export ADULTWORK_BASE_URL={url} ADULTWORK_TOKEN={client}\n  adultwork webcam create --help\n\
         \n\
         Press Ctrl-C to stop.",
        tokens = tokens.join("\n"),
        groups = groups.join("\n"),
        client = example_token,
    ));
    stop.wait().await;
    sandbox.shutdown().await.map_err(|e| {
        Failure::new(
            Failure::TRANSPORT,
            format!("the sandbox did not stop cleanly: {e}"),
        )
    })?;
    print::line("sandbox stopped");
    Ok(())
}

/// Ctrl-C (SIGINT) or, on Unix, SIGTERM: installed before the sandbox announces itself, so a
/// signal sent right after the announcement is never missed.
struct StopSignal {
    #[cfg(unix)]
    signals: [tokio::signal::unix::Signal; 2],
}

impl StopSignal {
    fn install() -> std::io::Result<Self> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(Self {
                signals: [
                    signal(SignalKind::interrupt())?,
                    signal(SignalKind::terminate())?,
                ],
            })
        }
        #[cfg(not(unix))]
        {
            Ok(Self {})
        }
    }

    async fn wait(self) {
        #[cfg(unix)]
        {
            let [mut int, mut term] = self.signals;
            tokio::select! {
                _ = int.recv() => {}
                _ = term.recv() => {}
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}
