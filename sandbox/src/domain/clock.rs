//! The sandbox's clock: real time by default, pinned or moved by tests and control endpoints.

use std::sync::{Arc, Mutex, PoisonError};

use chrono::{Datelike, NaiveDateTime, TimeDelta, Timelike, Utc};

/// The "now" every rule and every timestamp of the sandbox uses, in the API's local time
/// (naive, read as UTC like the SDK's default clock).
///
/// Cheap to clone; clones share one time, so a test can keep a clone, move it, and hand
/// `move || clock.now()` to the SDK client's own clock so both sides agree.
///
/// ```
/// use adultwork_sandbox::Clock;
/// use chrono::{NaiveDate, TimeDelta};
///
/// let start = NaiveDate::from_ymd_opt(2018, 1, 1).unwrap().and_hms_opt(11, 0, 0).unwrap();
/// let clock = Clock::fixed(start);
/// clock.advance(TimeDelta::minutes(90)).unwrap();
/// assert_eq!(clock.now().to_string(), "2018-01-01 12:30:00");
/// clock.reset();
/// assert_eq!(clock.now(), start);
/// ```
#[derive(Clone)]
pub struct Clock {
    inner: Arc<Mutex<Inner>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// The system clock (UTC) plus an offset moved by [`Clock::advance`].
    System { offset: TimeDelta },
    /// Frozen at one instant until set or advanced.
    Fixed(NaiveDateTime),
}

#[derive(Debug)]
struct Inner {
    mode: Mode,
    initial: Mode,
    /// Where a running clock made with [`Clock::starting_at`] starts again on reset.
    start: Option<NaiveDateTime>,
}

impl Clock {
    /// A clock that follows the system clock, read as UTC (the default).
    pub fn system() -> Self {
        Self::with_mode(Mode::System {
            offset: TimeDelta::zero(),
        })
    }

    /// A clock frozen at `at`: it only moves when set or advanced.
    pub fn fixed(at: NaiveDateTime) -> Self {
        Self::with_mode(Mode::Fixed(truncate(at)))
    }

    /// A clock that reads `at` now and runs at the system clock's pace from there (for the
    /// docs' epoch: `Clock::starting_at(2018-01-01 11:00)`). [`reset`](Self::reset) starts
    /// it at `at` again.
    ///
    /// ```
    /// use adultwork_sandbox::Clock;
    /// use chrono::NaiveDate;
    ///
    /// let epoch = NaiveDate::from_ymd_opt(2018, 1, 1).unwrap().and_hms_opt(11, 0, 0).unwrap();
    /// let clock = Clock::starting_at(epoch);
    /// assert!(!clock.is_frozen());
    /// assert!((clock.now() - epoch).num_seconds() < 5);
    /// ```
    pub fn starting_at(at: NaiveDateTime) -> Self {
        let clock = Self::with_mode(Mode::System {
            offset: offset_to(at),
        });
        clock.lock().start = Some(at);
        clock
    }

    fn with_mode(mode: Mode) -> Self {
        Self {
            inner: Arc::new(Mutex::new(Inner {
                mode,
                initial: mode,
                start: None,
            })),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The current time, to the millisecond (as a SQL-backed .NET API stores it).
    pub fn now(&self) -> NaiveDateTime {
        match self.lock().mode {
            Mode::System { offset } => truncate(Utc::now().naive_utc() + offset),
            Mode::Fixed(at) => at,
        }
    }

    /// Pins the clock at `at`; it stays there until set or advanced again. Unlike
    /// [`try_set`](Self::try_set) it takes any instant chrono can hold, even one whose year
    /// the API cannot write.
    pub fn set(&self, at: NaiveDateTime) {
        self.lock().mode = Mode::Fixed(truncate(at));
    }

    /// Pins the clock at `at` if its year is one the API can write (1 to 9999; the clock is
    /// UTC, so `at` is a UTC instant); otherwise returns `None` and leaves the clock alone.
    pub fn try_set(&self, at: NaiveDateTime) -> Option<NaiveDateTime> {
        let at = in_range(at)?;
        self.set(at);
        Some(self.now())
    }

    /// Moves the clock by `by` (negative goes back). A system clock keeps ticking from its
    /// new position; a frozen one stays frozen. Returns the new time, or `None` (and leaves
    /// the clock alone) when the result would be out of range: outside the API's four-digit
    /// years (1 to 9999), so that the time, five minutes on or a moment later, can still be
    /// computed and written.
    pub fn advance(&self, by: TimeDelta) -> Option<NaiveDateTime> {
        let mut inner = self.lock();
        let next = match inner.mode {
            Mode::System { offset } => {
                let offset = offset.checked_add(&by)?;
                in_range(Utc::now().naive_utc().checked_add_signed(offset)?)?;
                Mode::System { offset }
            }
            Mode::Fixed(at) => Mode::Fixed(in_range(at.checked_add_signed(by)?)?),
        };
        inner.mode = next;
        drop(inner);
        Some(self.now())
    }

    /// Whether the clock is frozen (made with [`fixed`](Self::fixed) or [`set`](Self::set)).
    pub fn is_frozen(&self) -> bool {
        matches!(self.lock().mode, Mode::Fixed(_))
    }

    /// Back to how the clock was made: the system clock, the instant it was fixed at, or
    /// running again from the instant it was started at.
    pub fn reset(&self) {
        let mut inner = self.lock();
        inner.mode = match inner.start {
            Some(at) => Mode::System {
                offset: offset_to(at),
            },
            None => inner.initial,
        };
    }
}

impl Default for Clock {
    fn default() -> Self {
        Self::system()
    }
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Clock")
            .field("now", &self.now())
            .field("frozen", &self.is_frozen())
            .finish()
    }
}

/// The offset from the system clock (UTC) that makes it read `at` now.
fn offset_to(at: NaiveDateTime) -> TimeDelta {
    at - Utc::now().naive_utc()
}

/// `t` if its year has four digits (1 to 9999), as the API writes dates.
fn in_range(t: NaiveDateTime) -> Option<NaiveDateTime> {
    (1..=9999).contains(&t.year()).then_some(t)
}

/// Drops everything below the millisecond.
fn truncate(t: NaiveDateTime) -> NaiveDateTime {
    let nanos = t.nanosecond();
    t.with_nanosecond(nanos - nanos % 1_000_000).unwrap_or(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_clock_follows_real_time_and_can_be_moved() {
        let clock = Clock::system();
        let real = Utc::now().naive_utc();
        assert!((clock.now() - real).num_seconds().abs() < 5);
        clock.advance(TimeDelta::days(2)).unwrap();
        assert!(
            (clock.now() - real - TimeDelta::days(2))
                .num_seconds()
                .abs()
                < 5
        );
        assert!(!clock.is_frozen());
        clock.reset();
        assert!((clock.now() - real).num_seconds().abs() < 5);
    }

    #[test]
    fn a_clock_started_at_an_instant_runs_from_it_and_restarts_there_on_reset() {
        let epoch = NaiveDateTime::parse_from_str("2018-01-01 11:00", "%Y-%m-%d %H:%M").unwrap();
        let clock = Clock::starting_at(epoch);
        assert!(!clock.is_frozen());
        let first = clock.now();
        assert!(
            first >= epoch && (first - epoch).num_seconds() < 5,
            "{first}"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert!(clock.now() > first, "it runs");
        clock.advance(TimeDelta::days(3)).unwrap();
        assert!(clock.now() - epoch >= TimeDelta::days(3));
        clock.reset();
        assert!((clock.now() - epoch).num_seconds() < 5, "{}", clock.now());
        assert!(!clock.is_frozen());
    }

    #[test]
    fn set_freezes_and_out_of_range_moves_are_refused() {
        let clock = Clock::system();
        let at = NaiveDateTime::MAX - TimeDelta::minutes(1);
        clock.set(at);
        assert!(clock.is_frozen());
        assert_eq!(clock.advance(TimeDelta::days(1)), None);
        assert_eq!(clock.now(), truncate(at));
        assert_eq!(clock.try_set(at), None);
        let last = NaiveDateTime::parse_from_str("9999-12-31 23:59", "%Y-%m-%d %H:%M").unwrap();
        assert_eq!(clock.try_set(last), Some(last));
        assert_eq!(clock.try_set(last + TimeDelta::minutes(1)), None);
        assert_eq!(clock.now(), last);
    }
}
