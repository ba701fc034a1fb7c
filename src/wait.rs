//! Waiters: poll webcam bookings until they reach a state, with backoff, jitter and a
//! deadline.
//!
//! The API's only way to learn that a performer answered is to read the booking again
//! (`MadeBookingDetails`). A waiter does that loop once, correctly: GETs only (never a POST),
//! exponential backoff with jitter between a minimum and a maximum delay, the server's
//! `Retry-After` honoured, a deadline the caller sets, and never past the booking's `AcceptBy`
//! while waiting for an answer.

mod schedule;

use std::fmt;
use std::time::Duration;

use tokio::time::Instant;

use crate::types::WebcamBooking;
use crate::{BookingStatus, Client, Error};

use schedule::{Backoff, next_sleep};

/// The state a waiter waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum WaitTarget {
    /// The performer accepted (a `Confirmed` booking was accepted too). Cannot come once the
    /// booking is `Rejected` or `Cancelled`, or still `Pending` when its `AcceptBy` passes.
    #[default]
    Accepted,
    /// The booking is `Confirmed`. Cannot come once it is `Rejected` or `Cancelled`, or still
    /// `Pending` when its `AcceptBy` passes.
    Confirmed,
    /// Any state that will not change by itself: `Confirmed`, `Rejected` or `Cancelled`.
    /// Always reachable.
    Settled,
}

impl WaitTarget {
    /// Every target.
    pub const ALL: &'static [Self] = &[Self::Accepted, Self::Confirmed, Self::Settled];

    /// A lower-case name: `accepted`, `confirmed`, `settled` (what the CLI takes).
    pub const fn name(self) -> &'static str {
        match self {
            Self::Accepted => "accepted",
            Self::Confirmed => "confirmed",
            Self::Settled => "settled",
        }
    }

    /// What reaching this target means, in one line (what the CLI's `--help` shows).
    pub const fn summary(self) -> &'static str {
        match self {
            Self::Accepted => "The performer accepted (or the booking is already confirmed)",
            Self::Confirmed => "The booking is confirmed",
            Self::Settled => {
                "Confirmed, rejected or cancelled: any state that will not change by itself"
            }
        }
    }

    /// Whether a booking in `status` has reached this target.
    ///
    /// ```
    /// use adultwork::{BookingStatus, WaitTarget};
    ///
    /// assert!(WaitTarget::Accepted.is_reached(&BookingStatus::Confirmed));
    /// assert!(WaitTarget::Settled.is_reached(&BookingStatus::Rejected));
    /// assert!(!WaitTarget::Confirmed.is_reached(&BookingStatus::Accepted));
    /// ```
    pub fn is_reached(self, status: &BookingStatus) -> bool {
        use BookingStatus as S;
        match self {
            Self::Accepted => matches!(status, S::Accepted | S::Confirmed),
            Self::Confirmed => matches!(status, S::Confirmed),
            Self::Settled => matches!(status, S::Confirmed | S::Rejected | S::Cancelled),
        }
    }

    /// Whether this target can no longer come from `status` (whatever the time). A status
    /// this SDK does not know is not taken as final.
    pub fn is_unreachable_from(self, status: &BookingStatus) -> bool {
        self.needs_an_answer()
            && matches!(status, BookingStatus::Rejected | BookingStatus::Cancelled)
    }

    /// Whether the performer must still accept for this target to come, so a `Pending`
    /// booking past its `AcceptBy` cannot reach it.
    fn needs_an_answer(self) -> bool {
        matches!(self, Self::Accepted | Self::Confirmed)
    }
}

impl fmt::Display for WaitTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a wait ended without its target. Each variant keeps the last booking read, if any.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WaitError {
    /// The booking reached a state from which the target cannot come: `Rejected` or
    /// `Cancelled`, or still `Pending` in an answer asked for at or after its `AcceptBy` by
    /// the client's [clock](crate::ClientBuilder::clock) (the invitation expired). Waiting on
    /// several bookings, every one did; this is the last of them.
    #[error("webcam booking {} is {}{}: it cannot become {target}", booking.webcam_booking_id, booking.status, expired(booking))]
    Unreachable {
        /// The booking as last read.
        booking: Box<WebcamBooking>,
        /// What was waited for.
        target: WaitTarget,
    },
    /// The deadline came first.
    #[error("gave up after {:.1}s waiting for {target}{}", waited.as_secs_f64(), last.as_ref().map(|b| format!(" (webcam booking {} is {})", b.webcam_booking_id, b.status)).unwrap_or_default())]
    TimedOut {
        /// The last booking read: `None` only when the deadline came before the first poll
        /// had an answer.
        last: Option<Box<WebcamBooking>>,
        /// What was waited for.
        target: WaitTarget,
        /// How long the waiter waited.
        waited: Duration,
    },
    /// A poll failed in a way another poll would not fix (a 4xx answer, an undecodable
    /// booking, a redirect, bad input). Timeouts, transport failures, 429 and 5xx answers are
    /// polled through until the deadline instead; when it comes before any poll succeeded,
    /// the wait fails with the last poll's error (the API was never reached, say).
    #[error("waiting for the booking failed: {source}")]
    Failed {
        /// The poll's error.
        #[source]
        source: Error,
        /// The last booking read before it, if any.
        last: Option<Box<WebcamBooking>>,
    },
}

impl WaitError {
    /// The last booking read, whichever way the wait ended.
    pub fn last_booking(&self) -> Option<&WebcamBooking> {
        match self {
            Self::Unreachable { booking, .. } => Some(booking),
            Self::TimedOut { last, .. } | Self::Failed { last, .. } => last.as_deref(),
        }
    }
}

fn expired(booking: &WebcamBooking) -> &'static str {
    if booking.status == BookingStatus::Pending {
        " past its AcceptBy"
    } else {
        ""
    }
}

/// Polls webcam bookings until one reaches a [`WaitTarget`]; made by
/// [`Client::wait_for_webcam_booking`], [`Client::wait_for_first_acceptance`] or
/// [`GroupMember::wait_for_webcam_booking`](crate::GroupMember::wait_for_webcam_booking), and
/// run by [`wait`](Self::wait).
///
/// Delays between polls start at [`delays`](Self::delays)' minimum (default 1 s) and double
/// up to its maximum (default 30 s), each with jitter, and start again from the minimum when
/// a status changes. A `Retry-After` the server sends lengthens the next delay.
///
/// ```no_run
/// # async fn run(client: adultwork::Client) -> Result<(), Box<dyn std::error::Error>> {
/// use std::time::Duration;
/// use adultwork::{WaitError, WaitTarget};
///
/// match client
///     .wait_for_webcam_booking(1)
///     .until(WaitTarget::Accepted)
///     .on_poll(|b| eprintln!("booking {} is {}", b.webcam_booking_id, b.status))
///     .wait(Duration::from_secs(600))
///     .await
/// {
///     Ok(booking) => println!("accepted at {:?}", booking.accepted_date),
///     Err(WaitError::Unreachable { booking, .. }) => println!("no luck: {}", booking.status),
///     Err(e) => return Err(e.into()),
/// }
/// # Ok(()) }
/// ```
#[must_use = "a waiter does nothing until `.wait(..)` is awaited"]
pub struct WebcamWait<'a> {
    client: &'a Client,
    member: Option<i64>,
    booking_ids: Vec<i64>,
    target: WaitTarget,
    backoff: Backoff,
    on_poll: Option<OnPoll<'a>>,
}

/// The progress callback of [`WebcamWait::on_poll`].
type OnPoll<'a> = Box<dyn FnMut(&WebcamBooking) + Send + 'a>;

impl fmt::Debug for WebcamWait<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebcamWait")
            .field("member", &self.member)
            .field("booking_ids", &self.booking_ids)
            .field("target", &self.target)
            .field("backoff", &self.backoff)
            .finish_non_exhaustive()
    }
}

impl<'a> WebcamWait<'a> {
    pub(crate) fn new(client: &'a Client, member: Option<i64>, booking_ids: Vec<i64>) -> Self {
        Self {
            client,
            member,
            booking_ids,
            target: WaitTarget::default(),
            backoff: Backoff::default(),
            on_poll: None,
        }
    }

    /// What to wait for (default [`WaitTarget::Accepted`]).
    pub fn until(mut self, target: WaitTarget) -> Self {
        self.target = target;
        self
    }

    /// The shortest and the longest delay between polls (default 1 s and 30 s). The longest
    /// is raised to the shortest if it is below it.
    pub fn delays(mut self, min: Duration, max: Duration) -> Self {
        self.backoff = Backoff::new(min, max);
        self
    }

    /// Called with every booking read, in order: for progress output.
    pub fn on_poll(mut self, f: impl FnMut(&WebcamBooking) + Send + 'a) -> Self {
        self.on_poll = Some(Box::new(f));
        self
    }

    /// Polls until a booking reaches the target, one cannot, or `timeout` has passed.
    ///
    /// Returns the booking that reached the target. Waiting on several bookings (the
    /// invitees of one create), the first to reach it wins, and the wait is unreachable only
    /// once every booking is.
    pub async fn wait(mut self, timeout: Duration) -> Result<WebcamBooking, WaitError> {
        let started = Instant::now();
        let deadline = started.checked_add(timeout).unwrap_or_else(far_future);
        let target = self.target;
        let mut open = std::mem::take(&mut self.booking_ids);
        if open.is_empty() {
            return Err(WaitError::Failed {
                source: Error::validation(
                    "BookingID",
                    "is missing: no booking to wait for (no invitee was booked)",
                ),
                last: None,
            });
        }
        let mut last: Option<Box<WebcamBooking>> = None;
        let mut last_error: Option<Error> = None;
        let mut statuses: Vec<Option<BookingStatus>> = vec![None; open.len()];
        loop {
            let mut retry_after = None;
            let mut changed = false;
            let mut accept_by = None;
            let mut i = 0;
            while i < open.len() {
                let asked_at = self.client.now();
                let poll = tokio::time::timeout_at(deadline, self.read(open[i])).await;
                let booking = match poll {
                    Err(_) => return Err(timed_out(last, last_error, target, started)),
                    Ok(Ok(booking)) => booking,
                    Ok(Err(e)) if worth_another_poll(&e) => {
                        retry_after = retry_after.max(e.retry_after());
                        last_error = Some(e);
                        i += 1;
                        continue;
                    }
                    Ok(Err(source)) => return Err(WaitError::Failed { source, last }),
                };
                if let Some(f) = &mut self.on_poll {
                    f(&booking);
                }
                if statuses[i].as_ref() != Some(&booking.status) {
                    changed |= statuses[i].is_some();
                    statuses[i] = Some(booking.status.clone());
                }
                if target.is_reached(&booking.status) {
                    return Ok(booking);
                }
                let pending_until = (target.needs_an_answer()
                    && booking.status == BookingStatus::Pending)
                    .then(|| booking.accept_by.naive());
                // Still Pending in an answer asked for at or after AcceptBy: it expired.
                let expired = pending_until.is_some_and(|by| asked_at >= by);
                let done = expired || target.is_unreachable_from(&booking.status);
                last = Some(Box::new(booking));
                if done {
                    open.remove(i);
                    statuses.remove(i);
                } else {
                    if let Some(by) = pending_until {
                        accept_by =
                            Some(accept_by.map_or(by, |a: chrono::NaiveDateTime| a.min(by)));
                    }
                    i += 1;
                }
            }
            if open.is_empty() {
                let booking = last.expect("a booking was read before it was closed");
                return Err(WaitError::Unreachable { booking, target });
            }
            if changed {
                self.backoff.reset();
            }
            let until_accept_by =
                accept_by.map(|by| (by - self.client.now()).to_std().unwrap_or(Duration::ZERO));
            let now = Instant::now();
            let sleep = next_sleep(
                self.backoff.next_delay(),
                retry_after,
                deadline.saturating_duration_since(now),
                until_accept_by,
            );
            if now >= deadline {
                return Err(timed_out(last, last_error, target, started));
            }
            tokio::time::sleep(sleep).await;
        }
    }

    async fn read(&self, booking_id: i64) -> Result<WebcamBooking, Error> {
        match self.member {
            Some(user_id) => self.client.group_webcam_booking(user_id, booking_id).await,
            None => self.client.webcam_booking(booking_id).await,
        }
    }
}

/// The deadline came: a timeout if a booking was read, else the last poll's error.
fn timed_out(
    last: Option<Box<WebcamBooking>>,
    last_error: Option<Error>,
    target: WaitTarget,
    started: Instant,
) -> WaitError {
    match (last, last_error) {
        (None, Some(source)) => WaitError::Failed { source, last: None },
        (last, _) => WaitError::TimedOut {
            last,
            target,
            waited: started.elapsed(),
        },
    }
}

/// Whether a failed poll may succeed if repeated: GETs are safe to send again.
fn worth_another_poll(e: &Error) -> bool {
    match e {
        Error::Timeout | Error::Connect { .. } | Error::Transport { .. } => true,
        Error::Api { status, .. } => status.as_u16() == 429 || status.is_server_error(),
        _ => false,
    }
}

/// An instant no timeout reaches (about 30 years from now).
fn far_future() -> Instant {
    Instant::now() + Duration::from_secs(30 * 365 * 86_400)
}
