//! When a waiter polls next: exponential backoff with jitter, bounded by the deadline and
//! the booking's `AcceptBy`.

use std::time::Duration;

/// Delays that start at `min`, double with every poll up to `max`, and carry "equal jitter":
/// each delay is drawn from the upper half of its step (never below `min`), so waiters started
/// together drift apart without ever polling faster than `min`.
#[derive(Debug, Clone)]
pub(crate) struct Backoff {
    min: Duration,
    max: Duration,
    step: Duration,
    rng: fastrand::Rng,
}

impl Default for Backoff {
    fn default() -> Self {
        Self::new(Duration::from_secs(1), Duration::from_secs(30))
    }
}

impl Backoff {
    /// Delays between `min` and `max` (raised to `min` if below it).
    pub(crate) fn new(min: Duration, max: Duration) -> Self {
        Self::with_rng(min, max, fastrand::Rng::new())
    }

    fn with_rng(min: Duration, max: Duration, rng: fastrand::Rng) -> Self {
        Self {
            min,
            max: max.max(min),
            step: min,
            rng,
        }
    }

    /// The next delay; the step after it is twice as long, up to `max`.
    pub(crate) fn next_delay(&mut self) -> Duration {
        let step = self.step;
        self.step = step.saturating_mul(2).min(self.max);
        let half = step / 2;
        let nanos = u64::try_from(half.as_nanos()).unwrap_or(u64::MAX);
        let jittered = step - half + Duration::from_nanos(self.rng.u64(0..=nanos));
        jittered.clamp(self.min, self.max)
    }

    /// Starts again from `min` (something changed: the next change may come soon).
    pub(crate) fn reset(&mut self) {
        self.step = self.min;
    }
}

/// How long to sleep before the next poll: the backoff's `delay`, lengthened to the server's
/// `Retry-After`, and cut to what is left before the deadline and before the booking's
/// `AcceptBy` (so the last poll falls at it, and no poll after it is needed).
pub(crate) fn next_sleep(
    delay: Duration,
    retry_after: Option<Duration>,
    until_deadline: Duration,
    until_accept_by: Option<Duration>,
) -> Duration {
    let wanted = retry_after.map_or(delay, |r| delay.max(r));
    let bound = until_accept_by.map_or(until_deadline, |a| a.min(until_deadline));
    wanted.min(bound)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    proptest! {
        #[test]
        fn every_delay_lies_between_min_and_max(
            min in 0u64..10_000, extra in 0u64..100_000, seed: u64, polls in 1usize..64,
        ) {
            let mut b = Backoff::with_rng(ms(min), ms(min + extra), fastrand::Rng::with_seed(seed));
            for _ in 0..polls {
                let d = b.next_delay();
                prop_assert!(d >= ms(min) && d <= ms(min + extra), "{d:?} outside {min}..={}", min + extra);
            }
        }

        #[test]
        fn delays_grow_until_they_reach_max_and_reset_starts_again(
            min in 1u64..1_000, factor in 2u64..64, seed: u64,
        ) {
            let max = ms(min * factor);
            let mut b = Backoff::with_rng(ms(min), max, fastrand::Rng::with_seed(seed));
            // Each step doubles: after enough polls the delay is at least half of max.
            for _ in 0..64 { b.next_delay(); }
            prop_assert!(b.next_delay() >= max / 2);
            b.reset();
            prop_assert!(b.next_delay() == ms(min));
        }

        #[test]
        fn a_max_below_min_is_raised_to_it(min in 0u64..10_000, max in 0u64..10_000, seed: u64) {
            let mut b = Backoff::with_rng(ms(min), ms(max), fastrand::Rng::with_seed(seed));
            prop_assert!(b.next_delay() == ms(min));
        }

        #[test]
        fn the_sleep_never_passes_the_deadline_or_accept_by_and_honours_retry_after_within_them(
            delay in 0u64..100_000, retry in proptest::option::of(0u64..100_000),
            deadline in 0u64..100_000, accept_by in proptest::option::of(0u64..100_000),
        ) {
            let s = next_sleep(ms(delay), retry.map(ms), ms(deadline), accept_by.map(ms));
            prop_assert!(s <= ms(deadline));
            if let Some(a) = accept_by { prop_assert!(s <= ms(a)); }
            // Within those bounds, never shorter than the backoff or the server asked.
            let bound = ms(accept_by.map_or(deadline, |a| a.min(deadline)));
            prop_assert!(s >= ms(delay).min(bound));
            if let Some(r) = retry { prop_assert!(s >= ms(r).min(bound)); }
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_delays() {
        let delays = |seed| {
            let mut b = Backoff::with_rng(ms(100), ms(10_000), fastrand::Rng::with_seed(seed));
            (0..10).map(|_| b.next_delay()).collect::<Vec<_>>()
        };
        assert_eq!(delays(7), delays(7));
        assert_ne!(delays(7), delays(8));
    }
}
