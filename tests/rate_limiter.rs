//! The client-side rate limiter lets a call under the limit start at once, without a
//! timer (a timer, even for a deadline already past, holds the call until the runtime's
//! next timer tick, about a millisecond: 20 times a loopback call's own time), and makes
//! the call over the limit wait.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use gong_users_dev::runtime::RateLimiter;

#[tokio::test(flavor = "current_thread")]
async fn calls_under_the_limit_start_at_the_first_poll_and_the_next_one_waits() {
    let limiter = RateLimiter::per_second(3);
    let mut cx = Context::from_waker(Waker::noop());
    for call in 1..=3 {
        let acquire = pin!(limiter.acquire());
        assert!(
            acquire.poll(&mut cx).is_ready(),
            "call {call} of 3 per second must not wait"
        );
    }
    let fourth = pin!(limiter.acquire());
    assert_eq!(
        fourth.poll(&mut cx),
        Poll::Pending,
        "the fourth call within a second waits for its turn"
    );
}
