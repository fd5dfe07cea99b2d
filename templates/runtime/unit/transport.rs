//! Tests of `transport.rs`, kept apart from the file `cargo xtask regen` copies.

use crate::runtime::transport::*;

const LIMITS: BodyLimits = BodyLimits {
    success: 10,
    error_kept: 4,
};

#[test]
fn success_bodies_fail_past_the_limit_and_error_bodies_are_cut() {
    assert_eq!(
        limit_body(200, b"0123456789", LIMITS).unwrap(),
        b"0123456789"
    );
    assert!(matches!(
        limit_body(200, b"0123456789x", LIMITS),
        Err(SendError::TooLarge {
            status: 200,
            limit: 10
        })
    ));
    assert_eq!(limit_body(500, b"0123456789x", LIMITS).unwrap(), b"0123");
    assert_eq!(limit_body(404, b"ab", LIMITS).unwrap(), b"ab");
}
