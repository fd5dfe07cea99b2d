//! Tests of `validate.rs`, kept apart from the file `cargo xtask regen` copies.

use crate::runtime::error::Error;
use crate::runtime::validate::*;

fn regex(pattern: &str) -> regex::Regex {
    match regex::Regex::new(pattern) {
        Ok(r) => r,
        Err(e) => panic!("bad test regex: {e}"),
    }
}

#[test]
fn pattern_accepts_and_refuses() {
    let re = regex("^([a-f0-9]{24})$");
    assert!(
        check_pattern(
            "listGroupEvents",
            "groupId",
            "32b6e34b3d91647abb20e7b8",
            &re,
            "^([a-f0-9]{24})$"
        )
        .is_ok()
    );
    let err = check_pattern(
        "listGroupEvents",
        "groupId",
        "nope",
        &re,
        "^([a-f0-9]{24})$",
    );
    match err {
        Err(Error::InvalidParameter {
            operation,
            parameter,
            reason,
        }) => {
            assert_eq!(operation, "listGroupEvents");
            assert_eq!(parameter, "groupId");
            assert!(reason.contains("\"nope\""), "{reason}");
            assert!(reason.contains("^([a-f0-9]{24})$"), "{reason}");
        }
        other => panic!("expected InvalidParameter, got {other:?}"),
    }
}

#[test]
fn range_bounds_are_inclusive() {
    assert!(check_range("op", "itemsPerPage", 1, Some(1), Some(500)).is_ok());
    assert!(check_range("op", "itemsPerPage", 500, Some(1), Some(500)).is_ok());
    assert!(check_range("op", "itemsPerPage", 5, None, None).is_ok());
    let low = check_range("op", "itemsPerPage", 0, Some(1), Some(500));
    assert!(
        matches!(low, Err(Error::InvalidParameter { ref reason, .. }) if reason.contains("minimum 1"))
    );
    let high = check_range("op", "itemsPerPage", 501, Some(1), Some(500));
    assert!(
        matches!(high, Err(Error::InvalidParameter { ref reason, .. }) if reason.contains("maximum 500"))
    );
}

#[test]
fn max_items() {
    assert!(check_max_items("op", "eventType", 3, 3).is_ok());
    let err = check_max_items("op", "eventType", 4, 3);
    assert!(matches!(
        err,
        Err(Error::InvalidParameter {
            parameter: "eventType",
            ..
        })
    ));
}

#[test]
fn path_segments_are_escaped() {
    assert_eq!(encode_path_segment("abc-1.2_3~"), "abc-1.2_3~");
    assert_eq!(encode_path_segment("a/b?c#d e"), "a%2Fb%3Fc%23d%20e");
    assert_eq!(encode_path_segment("é%"), "%C3%A9%25");
}

#[test]
fn datetimes_are_utc_with_z() {
    let t = time::macros::datetime!(2026-01-02 03:04:05 UTC);
    assert_eq!(format_datetime(&t), "2026-01-02T03:04:05Z");
    let shifted = time::macros::datetime!(2026-01-02 05:04:05 +02:00);
    assert_eq!(format_datetime(&shifted), "2026-01-02T03:04:05Z");
    let frac = time::macros::datetime!(2026-01-02 03:04:05.25 UTC);
    assert_eq!(format_datetime(&frac), "2026-01-02T03:04:05.25Z");
    let nanos = time::macros::datetime!(2026-01-02 03:04:05.000000001 UTC);
    assert_eq!(format_datetime(&nanos), "2026-01-02T03:04:05.000000001Z");
}
