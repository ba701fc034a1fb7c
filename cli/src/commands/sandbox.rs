//! `adultwork sandbox`: a local sandbox API in the foreground, until Ctrl-C.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use adultwork_sandbox::{Faults, Sandbox, SandboxData};
use chrono::{Datelike, NaiveDateTime};

use crate::exit::Failure;
use crate::{args, print};

/// `adultwork sandbox`.
#[derive(Debug, Clone, clap::Args)]
#[command(
    long_about = "\
Run a local sandbox API in the foreground; Ctrl-C stops it.

The sandbox implements every operation with the documented rules, answers JSON or DataContract
XML, and is seeded with users and access tokens (from --data FILE, or the built-in data:
client 100001 \"ClientUser\", performers 123456 \"JosepheneBlogs\", 123457 and 123458, group
manager 100002; performers 123461 \"PromptPriya\", who accepts 3 s after a booking is made and
confirms 5 s later, and 123462 \"BusyBella\", who rejects after 2 s, answer by themselves).
It prints its base URL and tokens, then serves until stopped.

Control endpoints (no token) let you play the other party and move time:
  POST /_sandbox/webcam/{BookingID}/accept|reject|confirm     reject takes {\"Reason\": \"...\"}
  POST /_sandbox/phonechat/{BookingID}/accept|reject|confirm
  POST /_sandbox/clock      {\"AdvanceMinutes\": 90} or {\"Now\": \"2026-12-01T12:00:00\"}
  POST /_sandbox/reset      back to the seed data
  GET|POST|DELETE /_sandbox/faults   fault rules: errors, drops, delays (see --faults)
  GET  /_sandbox/           a page to play the performer from a browser
They take Content-Type: application/json (or no body at all) and refuse a non-loopback Origin,
so a web page cannot drive them; --no-control turns them off.

The sandbox cuts slow clients (--header-timeout, --body-timeout, --idle-timeout), serves at most
--max-connections at once (the others wait to be accepted), and holds at most --max-bookings
bookings and 1,024 bytes per string field: limits of the sandbox, not of the API.",
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

    /// A JSON file of fault rules to start with ({"Rules": [...]}, as POST /_sandbox/faults takes)
    #[arg(long, value_name = "FILE")]
    pub(crate) faults: Option<PathBuf>,

    /// Start the sandbox's clock at this instant (API local time), e.g. the docs' epoch
    /// "2018-01-01T11:00" so their samples are in the future; it runs from there
    #[arg(long, value_name = "INSTANT", value_parser = instant)]
    pub(crate) now: Option<NaiveDateTime>,

    /// Keep the clock at --now instead of letting it run (POST /_sandbox/clock still moves it)
    #[arg(long, requires = "now")]
    pub(crate) frozen: bool,

    /// Turn the /_sandbox/... control endpoints off (they answer 404)
    #[arg(long)]
    pub(crate) no_control: bool,

    /// The time a client has to send a request's headers (e.g. 10s, 500ms, 2m)
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = args::duration)]
    pub(crate) header_timeout: Duration,

    /// The time a client has to send a request's body once its headers are in
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = args::duration)]
    pub(crate) body_timeout: Duration,

    /// The time a kept-alive connection may wait for its next request
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = args::duration)]
    pub(crate) idle_timeout: Duration,

    /// The most connections served at once; further ones wait to be accepted
    #[arg(long, value_name = "N", default_value_t = 1024,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub(crate) max_connections: u32,

    /// The most bookings (webcam and phone chat together) the sandbox holds; beyond, 507
    #[arg(long, value_name = "N", default_value_t = 100_000)]
    pub(crate) max_bookings: usize,
}

/// The warning for control endpoints reachable from other machines: bound to an address that
/// is not loopback (`0.0.0.0` included), with the control endpoints on.
fn open_control_warning(addr: SocketAddr, no_control: bool) -> Option<String> {
    (!no_control && !addr.ip().is_loopback()).then(|| {
        format!(
            "warning: the control endpoints (/_sandbox/...) have no authentication and {addr} is \
             not a loopback address: anyone who can reach it can accept, reject and confirm \
             bookings, move the clock and reset the sandbox. Use --no-control to turn them off."
        )
    })
}

/// The fault rules of a `--faults` file; a bad one is bad input naming the file and the field.
fn load_faults(path: &std::path::Path) -> Result<Faults, Failure> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::new(Failure::INPUT, format!("{}: {e}", path.display())))?;
    let faults = Faults::new();
    faults
        .add_json(&text)
        .map_err(|e| Failure::new(Failure::INPUT, format!("{}: {e}", path.display())))?;
    Ok(faults)
}

/// An instant as `YYYY-MM-DDTHH:MM[:SS[.fff]]` (or with a space for `T`), in years 1 to 9999.
fn instant(s: &str) -> Result<NaiveDateTime, String> {
    let s = s.trim();
    let at = ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
        .ok_or_else(|| {
            format!("{s:?} is not an instant: use YYYY-MM-DDTHH:MM[:SS], e.g. 2018-01-01T11:00 (no time zone)")
        })?;
    if !(1..=9999).contains(&at.year()) {
        return Err(format!("{s:?}: the year must be 1 to 9999"));
    }
    Ok(at)
}

/// Runs the sandbox until Ctrl-C (or SIGTERM).
pub(crate) async fn run(args: &SandboxArgs) -> Result<(), Failure> {
    let addr = SocketAddr::new(args.bind, args.port);
    let data = match &args.data {
        Some(path) => SandboxData::from_file(path)
            .map_err(|e| Failure::new(Failure::INPUT, format!("{}: {e}", path.display())))?,
        None => SandboxData::default(),
    };
    let faults = match &args.faults {
        Some(path) => load_faults(path)?,
        None => Faults::new(),
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
    let mut builder = Sandbox::builder().bind(addr).data(data);
    if let Some(at) = args.now {
        builder = builder.now(at, args.frozen);
    }
    let sandbox = builder
        .control(!args.no_control)
        .header_timeout(args.header_timeout)
        .body_timeout(args.body_timeout)
        .idle_timeout(args.idle_timeout)
        .max_connections(args.max_connections as usize)
        .max_bookings(args.max_bookings)
        .faults(faults)
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
    if let Some(warning) = open_control_warning(addr, args.no_control) {
        eprintln!("{warning}");
    }
    let control = if args.no_control {
        "The control endpoints are off (--no-control): /_sandbox/... answers 404.".to_string()
    } else {
        format!(
            "Play the other party (no token): POST {url}/_sandbox/webcam/BOOKING_ID/accept\n  \
             (or reject, confirm; the same under /_sandbox/phonechat/), POST {url}/_sandbox/clock,\n  \
             POST {url}/_sandbox/reset. See adultwork sandbox --help."
        )
    };
    let clock = match (args.now, args.frozen) {
        (Some(at), true) => format!("Clock: frozen at {at} (--now, --frozen)."),
        (Some(at), false) => format!("Clock: started at {at} (--now) and running."),
        (None, _) => "Clock: the system clock (UTC).".to_string(),
    };
    print::line(format!(
        "AdultWork sandbox listening on {url}\n\
         {clock}\n\
         \n\
         Access tokens (send as `Authorization: bearer TOKEN`, or use --token / ADULTWORK_TOKEN):\n\
         {tokens}\n\
         \n\
         Groups (the manager's token with --as-user MEMBER reads a member's bookings):\n\
         {groups}\n\
         \n\
         {control}\n\
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_control_endpoints_are_warned_about_off_loopback() {
        let at = |ip: &str| SocketAddr::new(ip.parse().unwrap(), 8080);
        for ip in ["0.0.0.0", "192.168.1.5", "::"] {
            let warning = open_control_warning(at(ip), false).unwrap();
            assert!(warning.contains("no authentication"), "{warning}");
            assert!(warning.contains("--no-control"), "{warning}");
            assert_eq!(open_control_warning(at(ip), true), None);
        }
        for ip in ["127.0.0.1", "::1"] {
            assert_eq!(open_control_warning(at(ip), false), None);
        }
    }

    #[test]
    fn a_faults_file_is_loaded_or_refused_naming_the_field() {
        let dir = std::env::temp_dir().join(format!("adultwork-faults-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let good = dir.join("good.json");
        std::fs::write(
            &good,
            r#"{"Rules": [{"Operation": "*", "Times": 1, "Effect": {"Reset": {}}}]}"#,
        )
        .unwrap();
        assert_eq!(load_faults(&good).unwrap().list().len(), 1);
        let bad = dir.join("bad.json");
        std::fs::write(
            &bad,
            r#"{"Rules": [{"Operation": "*", "Times": 0, "Effect": {"Reset": {}}}]}"#,
        )
        .unwrap();
        let e = load_faults(&bad).unwrap_err();
        assert_eq!(e.code, Failure::INPUT);
        assert!(e.message.contains("Rules[0].Times"), "{}", e.message);
        assert!(load_faults(&dir.join("missing.json")).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn instants_are_local_minutes_or_seconds_without_a_time_zone() {
        let epoch = NaiveDateTime::parse_from_str("2018-01-01 11:00", "%Y-%m-%d %H:%M").unwrap();
        assert_eq!(instant("2018-01-01T11:00"), Ok(epoch));
        assert_eq!(instant("2018-01-01 11:00"), Ok(epoch));
        assert_eq!(instant("2018-01-01T11:00:00"), Ok(epoch));
        assert_eq!(
            instant("2018-01-01T11:00:30.5").unwrap().to_string(),
            "2018-01-01 11:00:30.500"
        );
        for bad in [
            "2018-01-01",
            "2018-01-01T11:00Z",
            "2018-01-01T11:00+01:00",
            "tomorrow",
            "0000-01-01T00:00",
            "",
        ] {
            assert!(instant(bad).is_err(), "{bad}");
        }
    }
}
