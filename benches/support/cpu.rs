//! A criterion measurement of the benchmark thread's CPU time (user + system) instead of wall
//! time.
//!
//! On a small shared machine, wall time also counts the moments the benchmark thread waits for
//! a core that another process holds, and that noise is larger than the differences these
//! benchmarks look for. Every benchmark here runs on one thread (the call benchmarks run the
//! server and the client on one single-thread runtime), so that thread's CPU time is the whole
//! cost of an iteration, kernel work on the loopback socket included.

use std::time::Duration;

use cpu_time::ThreadTime;
use criterion::Criterion;
use criterion::measurement::{Measurement, ValueFormatter, WallTime};

/// CPU time of the calling thread; formatted like wall time.
pub struct ThreadCpu {
    wall: WallTime,
}

impl Measurement for ThreadCpu {
    type Intermediate = ThreadTime;
    type Value = Duration;

    fn start(&self) -> ThreadTime {
        ThreadTime::now()
    }

    fn end(&self, started: ThreadTime) -> Duration {
        started.elapsed()
    }

    fn add(&self, v1: &Duration, v2: &Duration) -> Duration {
        *v1 + *v2
    }

    fn zero(&self) -> Duration {
        Duration::ZERO
    }

    fn to_f64(&self, value: &Duration) -> f64 {
        value.as_nanos() as f64
    }

    fn formatter(&self) -> &dyn ValueFormatter {
        // Nanoseconds, like wall time: the same units and throughput scaling.
        self.wall.formatter()
    }
}

/// The criterion configuration every benchmark here uses.
pub fn criterion() -> Criterion<ThreadCpu> {
    Criterion::default().with_measurement(ThreadCpu { wall: WallTime })
}
