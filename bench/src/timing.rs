//! Timing: repeated runs summarised as percentiles, and single runs of the long operations.

use std::time::{Duration, Instant};

/// The durations of repeated runs of one operation.
#[derive(Debug, Clone)]
pub struct Samples(Vec<Duration>);

impl Samples {
    /// Runs `f` `warmup` times unmeasured, then `runs` times measured.
    pub fn collect<T>(warmup: usize, runs: usize, mut f: impl FnMut() -> T) -> Samples {
        for _ in 0..warmup {
            std::hint::black_box(f());
        }
        let mut out = Vec::with_capacity(runs);
        for _ in 0..runs {
            let started = Instant::now();
            std::hint::black_box(f());
            out.push(started.elapsed());
        }
        Samples::from(out)
    }

    /// The `p`th percentile (0–100) by the nearest-rank method, in milliseconds.
    pub fn percentile_ms(&self, p: f64) -> f64 {
        if self.0.is_empty() {
            return f64::NAN;
        }
        let rank = ((p / 100.0) * self.0.len() as f64).ceil() as usize;
        ms(self.0[rank.clamp(1, self.0.len()) - 1])
    }

    pub fn p50(&self) -> f64 {
        self.percentile_ms(50.0)
    }

    pub fn p95(&self) -> f64 {
        self.percentile_ms(95.0)
    }
}

impl From<Vec<Duration>> for Samples {
    fn from(mut v: Vec<Duration>) -> Samples {
        v.sort_unstable();
        Samples(v)
    }
}

/// Runs `f` once and returns its result and how long it took.
pub fn once<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let started = Instant::now();
    let out = f();
    (out, started.elapsed())
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// A duration for people: "0.42 ms", "38 ms", "4.1 s".
pub fn show_ms(ms: f64) -> String {
    if ms >= 1000.0 {
        format!("{:.1} s", ms / 1000.0)
    } else if ms >= 100.0 {
        format!("{ms:.0} ms")
    } else if ms >= 10.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{ms:.2} ms")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_use_the_nearest_rank() {
        let s = Samples::from(
            (1..=20)
                .rev()
                .map(Duration::from_millis)
                .collect::<Vec<_>>(),
        );
        assert_eq!(s.p50(), 10.0);
        assert_eq!(s.p95(), 19.0);
        assert_eq!(s.percentile_ms(100.0), 20.0);
        assert_eq!(s.percentile_ms(0.0), 1.0);
    }

    #[test]
    fn durations_read_well() {
        assert_eq!(show_ms(0.4213), "0.42 ms");
        assert_eq!(show_ms(38.04), "38.0 ms");
        assert_eq!(show_ms(171.4), "171 ms");
        assert_eq!(show_ms(4100.0), "4.1 s");
    }
}
