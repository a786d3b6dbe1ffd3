//! Time as the caller sees it: the native host has a wall clock, the zkVM guest has none.

/// A monotonic clock in milliseconds; only differences are used.
pub trait Clock {
    /// Current reading in milliseconds.
    fn now_ms(&self) -> f64;
}

/// A clock that always reads zero, for callers without time (phase timings come out as 0).
#[derive(Debug, Clone, Copy, Default)]
pub struct NoClock;

impl Clock for NoClock {
    fn now_ms(&self) -> f64 {
        0.0
    }
}

/// Per-phase timings of one execution, in the caller's clock units (ms).
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Phases {
    /// Indexing and checking the witness and header chain.
    pub witness_ms: f64,
    /// Sender recovery and running the transactions and system calls.
    pub execute_ms: f64,
    /// Of `execute_ms`, the part spent recovering transaction senders (ecrecover).
    #[serde(default)]
    pub recover_ms: f64,
    /// Applying state changes to the tries and computing the root.
    pub state_root_ms: f64,
}

/// Stopwatch over a caller-supplied clock.
pub(crate) struct Lap<'a> {
    clock: &'a dyn Clock,
    last: f64,
}

impl<'a> Lap<'a> {
    pub(crate) fn start(clock: &'a dyn Clock) -> Self {
        Self {
            clock,
            last: clock.now_ms(),
        }
    }

    /// Milliseconds since the previous lap (or the start).
    pub(crate) fn lap(&mut self) -> f64 {
        let now = self.clock.now_ms();
        let d = now - self.last;
        self.last = now;
        d
    }
}
