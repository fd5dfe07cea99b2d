//! Tests of `clock.rs`, kept apart from the file `cargo xtask regen` copies.

use std::time::Duration;

use crate::runtime::clock::*;

#[tokio::test(start_paused = true)]
async fn a_tokio_clock_moves_with_paused_time() {
    let start = time::macros::datetime!(2026-01-02 03:04:05 UTC);
    let clock = TokioClock::starting_at(start);
    assert_eq!(clock.now(), start);
    clock.sleep(Duration::from_secs(3 * 3600)).await;
    assert_eq!(clock.now(), start + time::Duration::hours(3));
}
