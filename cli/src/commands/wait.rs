//! `adultwork webcam wait`: poll a webcam booking until it reaches a state, with progress on
//! stderr (a spinner on a terminal, one line per status change when piped) and the final
//! booking on stdout.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use adultwork::types::WebcamBooking;
use adultwork::{BookingStatus, WaitTarget};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

use crate::exit::Failure;
use crate::global::GlobalArgs;
use crate::{args, print};

/// `webcam wait`.
#[derive(Debug, Clone, Args)]
pub(crate) struct WaitArgs {
    /// The webcam booking's ID
    #[arg(long, value_name = "ID")]
    pub(crate) booking_id: i64,

    /// The state to wait for
    #[arg(
        long,
        value_name = "UNTIL",
        value_parser = args::named::<WaitTarget>(),
        default_value = WaitTarget::default().name()
    )]
    pub(crate) until: WaitTarget,

    /// Give up after this long (e.g. 90s, 10m, 1h); exit code 124
    #[arg(long, value_name = "DURATION", default_value = "10m", value_parser = args::duration)]
    pub(crate) timeout: Duration,

    /// The first delay between polls; later ones grow to --max-interval (with jitter)
    #[arg(long, value_name = "DURATION", default_value = "2s", value_parser = args::duration)]
    pub(crate) interval: Duration,

    /// The longest delay between polls
    #[arg(long, value_name = "DURATION", default_value = "30s", value_parser = args::duration)]
    pub(crate) max_interval: Duration,
}

pub(crate) const LONG_ABOUT: &str = "\
Wait until a webcam booking you made reaches a state, polling
GET /v1/Webcam/MadeBookingDetails (with the global --as-user ID, the group-manager endpoint
GET /v1/Groups/Webcam/MadeBookingDetails). Only reads are sent; nothing is changed.

--until accepted (the default) is reached when the performer accepts; it cannot come once the
booking is Rejected or Cancelled, or still Pending when its AcceptBy passes, and the wait
never goes on past AcceptBy. --until confirmed waits for Confirmed. --until settled waits for
any state that will not change by itself (Confirmed, Rejected, Cancelled).

Polls start --interval apart and back off (with jitter) to --max-interval; a server's
Retry-After is honoured, and throttling (429), server errors and transport failures are polled
through until --timeout.

On a terminal, stderr shows a spinner with the booking's status and the time waited; piped,
stderr gets one line per status change and nothing else. stdout gets the last booking read as
JSON, whatever the outcome.

Exit codes:
  0    the booking reached the state
  1    the API answered with an error (a 4xx: no such booking, no access, ...)
  2    invalid input, found before anything was sent
  3    transport failure or an undecodable answer, other than the ones polled through
  5    the booking reached a state from which the target cannot come
  124  gave up at --timeout";

pub(crate) const AFTER_HELP: &str = "\
Examples:
  adultwork webcam wait --booking-id 1
  adultwork webcam wait --booking-id 1 --until settled --timeout 30m --interval 5s
  adultwork --token sandbox-manager-token --as-user 100001 webcam wait --booking-id 1";

/// Runs `webcam wait`: the last booking read goes to stdout (on success, unreachable and
/// timeout alike), progress to stderr.
pub(crate) async fn run(global: &GlobalArgs, args: &WaitArgs) -> Result<(), Failure> {
    let mut progress = Progress::new(args.booking_id, args.until);
    let waited = wait(global, args, move |b| progress.polled(b)).await;
    if let Some(last) = &waited.last {
        print::json(last);
    }
    waited.failure.map_or(Ok(()), Err)
}

/// How a wait ended: the last booking read, and why the target was not reached, if it was
/// not.
pub(crate) struct Waited {
    /// The last booking read, if any.
    pub(crate) last: Option<WebcamBooking>,
    /// `None` when the booking reached the target.
    pub(crate) failure: Option<Failure>,
}

/// Waits as `args` say, calling `polled` with every booking read.
pub(crate) async fn wait(
    global: &GlobalArgs,
    args: &WaitArgs,
    polled: impl FnMut(&WebcamBooking) + Send,
) -> Waited {
    let client = match global.client() {
        Ok(client) => client,
        Err(e) => {
            return Waited {
                last: None,
                failure: Some(e.into()),
            };
        }
    };
    let waiter = match global.as_user {
        Some(user) => client
            .as_group_member(user)
            .wait_for_webcam_booking(args.booking_id),
        None => client.wait_for_webcam_booking(args.booking_id),
    };
    let outcome = waiter
        .until(args.until)
        .delays(args.interval, args.max_interval)
        .on_poll(polled)
        .wait(args.timeout)
        .await;
    match outcome {
        Ok(booking) => Waited {
            last: Some(booking),
            failure: None,
        },
        Err(e) => Waited {
            last: e.last_booking().cloned(),
            failure: Some(e.into()),
        },
    }
}

/// What stderr shows while waiting.
enum Progress {
    /// A terminal: a spinner with the status and the time waited.
    Spinner {
        bar: ProgressBar,
        id: i64,
        target: WaitTarget,
    },
    /// Piped: a line when the status changes.
    Lines {
        id: i64,
        started: Instant,
        last: Option<BookingStatus>,
    },
}

impl Progress {
    fn new(id: i64, target: WaitTarget) -> Self {
        if std::io::stderr().is_terminal() {
            let bar = ProgressBar::new_spinner();
            bar.set_style(
                ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar.set_message(format!("webcam booking {id}: waiting until {target}"));
            bar.enable_steady_tick(Duration::from_millis(120));
            Self::Spinner { bar, id, target }
        } else {
            Self::Lines {
                id,
                started: Instant::now(),
                last: None,
            }
        }
    }

    fn polled(&mut self, booking: &WebcamBooking) {
        match self {
            Self::Spinner { bar, id, target } => {
                bar.set_message(format!(
                    "webcam booking {id} is {}; waiting until {target}",
                    booking.status
                ));
                if target.is_reached(&booking.status) || target.is_unreachable_from(&booking.status)
                {
                    bar.finish_and_clear();
                }
            }
            Self::Lines { id, started, last } => {
                if last.as_ref() != Some(&booking.status) {
                    eprintln!(
                        "webcam booking {id} is {} (after {}s)",
                        booking.status,
                        started.elapsed().as_secs()
                    );
                    *last = Some(booking.status.clone());
                }
            }
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Self::Spinner { bar, .. } = self {
            bar.finish_and_clear();
        }
    }
}
