//! The clock of one server: real time, or a time a test controls (SPEC.md §11). Everything that
//! reads "now" on a server's behalf — signature windows, document times, daily document
//! numbers, rate-limit windows — reads it from the server's [`Clock`], so that a frozen clock
//! makes two runs of one scenario answer byte for byte alike, and two servers in one process
//! (two tests running at once) keep clocks of their own.

use std::sync::{Arc, Mutex, PoisonError};

use time::OffsetDateTime;

/// What a clock answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockMode {
    /// Real time.
    Real,
    /// Real time moved by this many milliseconds (negative: into the past).
    Shifted(i64),
    /// Stopped at this instant (epoch ms) until set, advanced or released.
    Frozen(i64),
}

/// A shared handle on one clock; clones read and move the same clock.
#[derive(Clone)]
pub struct Clock {
    mode: Arc<Mutex<ClockMode>>,
}

impl Default for Clock {
    fn default() -> Self {
        Clock::real()
    }
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Clock").field(&self.mode()).finish()
    }
}

fn real_ms() -> i64 {
    let now = OffsetDateTime::now_utc();
    i64::try_from(now.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

impl Clock {
    /// A clock on real time.
    pub fn real() -> Clock {
        Clock { mode: Arc::new(Mutex::new(ClockMode::Real)) }
    }

    /// A clock stopped at `epoch_ms`.
    pub fn frozen_at(epoch_ms: i64) -> Clock {
        let clock = Clock::real();
        clock.freeze_at(epoch_ms);
        clock
    }

    /// What the clock does now.
    pub fn mode(&self) -> ClockMode {
        *self.mode.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn set(&self, mode: ClockMode) {
        *self.mode.lock().unwrap_or_else(PoisonError::into_inner) = mode;
    }

    /// The time, epoch milliseconds.
    pub fn now_ms(&self) -> i64 {
        match self.mode() {
            ClockMode::Real => real_ms(),
            ClockMode::Shifted(by) => real_ms().saturating_add(by),
            ClockMode::Frozen(at) => at,
        }
    }

    /// The time, epoch seconds (rounded down).
    pub fn now_secs(&self) -> i64 {
        self.now_ms().div_euclid(1000)
    }

    /// Stops the clock at `epoch_ms`.
    pub fn freeze_at(&self, epoch_ms: i64) {
        self.set(ClockMode::Frozen(epoch_ms));
    }

    /// Moves the clock by `ms` (negative: back): a frozen clock stays frozen at the new time, a
    /// running one runs on from it.
    pub fn advance(&self, ms: i64) {
        let mut mode = self.mode.lock().unwrap_or_else(PoisonError::into_inner);
        *mode = match *mode {
            ClockMode::Real => ClockMode::Shifted(ms),
            ClockMode::Shifted(by) => ClockMode::Shifted(by.saturating_add(ms)),
            ClockMode::Frozen(at) => ClockMode::Frozen(at.saturating_add(ms)),
        };
    }

    /// Runs the clock `ms` away from real time (0: real time).
    pub fn shift(&self, ms: i64) {
        self.set(if ms == 0 { ClockMode::Real } else { ClockMode::Shifted(ms) });
    }

    /// Back to real time.
    pub fn release(&self) {
        self.set(ClockMode::Real);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clock_freezes_advances_shifts_and_releases() {
        let clock = Clock::real();
        let shared = clock.clone();
        assert!((clock.now_ms() - real_ms()).abs() < 1_000);
        clock.freeze_at(1_000_000);
        assert_eq!((shared.now_ms(), shared.now_secs()), (1_000_000, 1_000), "clones read the same clock");
        clock.advance(90_000);
        assert_eq!(shared.now_ms(), 1_090_000);
        assert_eq!(shared.mode(), ClockMode::Frozen(1_090_000));
        clock.release();
        assert_eq!(shared.mode(), ClockMode::Real);
        clock.shift(-86_400_000);
        assert!((shared.now_ms() + 86_400_000 - real_ms()).abs() < 1_000);
        clock.advance(86_400_000);
        assert_eq!(shared.mode(), ClockMode::Shifted(0));
        clock.freeze_at(i64::MAX);
        clock.advance(1);
        assert_eq!(clock.now_ms(), i64::MAX, "saturates");
        assert_eq!(Clock::frozen_at(5).now_secs(), 0);
        assert_eq!(Clock::frozen_at(-1).now_secs(), -1, "seconds round down before 1970 too");
    }
}
