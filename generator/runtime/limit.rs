// Part of the runtime every generated client carries: the client-side rate limiter.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::time::Instant;

/// At most `calls` request starts in any window of one second, shared by every clone of a
/// client. Callers over the limit wait for their turn, in order, instead of getting 429s.
///
/// The window is a little longer than a second ([`RateLimiter::MARGIN`]): the server counts
/// arrivals, and a request sent over a pooled connection arrives sooner than one that had to
/// open a connection, so spacing starts by exactly one second can still be seen as four
/// calls within a second.
#[derive(Clone, Debug)]
#[doc(hidden)]
pub struct RateLimiter {
    calls: usize,
    window: Duration,
    starts: Arc<Mutex<VecDeque<Instant>>>,
}

impl RateLimiter {
    /// The safety margin added to the one-second window.
    pub const MARGIN: Duration = Duration::from_millis(50);

    /// A limiter for `calls` per second (at least 1).
    pub fn per_second(calls: u32) -> Self {
        Self {
            calls: calls.max(1) as usize,
            window: Duration::from_secs(1) + Self::MARGIN,
            starts: Arc::new(Mutex::new(VecDeque::new())),
        }
    }

    /// Waits until a call may start, and books it.
    pub async fn acquire(&self) {
        let slot = {
            let Ok(mut starts) = self.starts.lock() else {
                return;
            };
            let now = Instant::now();
            // The new call may start once the call `calls` places back is a window old.
            let slot = if starts.len() >= self.calls {
                let earliest = starts[starts.len() - self.calls] + self.window;
                earliest.max(now)
            } else {
                now
            };
            starts.push_back(slot);
            while starts.len() > self.calls {
                starts.pop_front();
            }
            slot
        };
        // Only when there is a wait: a timer, even for a deadline already past, holds
        // the call until the runtime's next timer tick (about a millisecond).
        if slot > Instant::now() {
            tokio::time::sleep_until(slot).await;
        }
    }
}
