//! Parameter checks and encoders that generated operation code runs before
//! sending anything, so that a bad argument costs no round trip.
//!
//! Which of them the operations call depends on the spec (an older spec has
//! no `maxItems` parameter, for example), so an unused one is not a warning.
#![allow(dead_code)]

use std::fmt::Write as _;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use super::Error;

/// Everything except RFC 3986 unreserved characters is escaped, so a value
/// can never introduce a `/`, `?` or `#` into the path.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Refuses `value` unless `regex` matches it.
///
/// `pattern` is the spec's source text of the regex, quoted in the message so
/// the caller can see what was expected.
pub fn check_pattern(
    operation: &'static str,
    parameter: &'static str,
    value: &str,
    regex: &regex::Regex,
    pattern: &str,
) -> Result<(), Error> {
    if regex.is_match(value) {
        Ok(())
    } else {
        Err(Error::InvalidParameter {
            operation,
            parameter,
            reason: format!("{value:?} does not match the required pattern `{pattern}`"),
        })
    }
}

/// Refuses `value` outside the inclusive bounds `min..=max`.
pub fn check_range(
    operation: &'static str,
    parameter: &'static str,
    value: i64,
    min: Option<i64>,
    max: Option<i64>,
) -> Result<(), Error> {
    let reason = match (min, max) {
        (Some(min), _) if value < min => Some(format!("{value} is below the minimum {min}")),
        (_, Some(max)) if value > max => Some(format!("{value} is above the maximum {max}")),
        _ => None,
    };
    match reason {
        None => Ok(()),
        Some(reason) => Err(Error::InvalidParameter {
            operation,
            parameter,
            reason,
        }),
    }
}

/// Refuses an array parameter with more than `max` items.
pub fn check_max_items(
    operation: &'static str,
    parameter: &'static str,
    len: usize,
    max: usize,
) -> Result<(), Error> {
    if len <= max {
        Ok(())
    } else {
        Err(Error::InvalidParameter {
            operation,
            parameter,
            reason: format!("{len} items given, at most {max} allowed"),
        })
    }
}

/// A stream that yields `error` once and ends: how `.stream()` refuses a bad parameter before
/// any request is sent.
pub fn refuse<T: Send + 'static>(
    error: Error,
) -> impl futures_core::Stream<Item = Result<T, Error>> + Send + 'static {
    futures_util::stream::once(async move { Err(error) })
}

/// The error for a parameter that is out of range, for callers that check it themselves.
pub fn invalid(operation: &'static str, parameter: &'static str, reason: &str) -> Error {
    Error::InvalidParameter {
        operation,
        parameter,
        reason: reason.to_owned(),
    }
}

/// Percent-encodes one path segment (RFC 3986 unreserved characters kept).
///
/// A value of `.` or `..` would still be read as a dot segment by URL
/// parsers; [`Client::execute`](super::Client::execute) refuses such paths.
pub fn encode_path_segment(value: &str) -> String {
    utf8_percent_encode(value, PATH_SEGMENT).to_string()
}

/// Formats a timestamp as ISO 8601 in UTC with a `Z` suffix, e.g.
/// `2026-01-02T03:04:05Z`; fractional seconds appear only when non-zero,
/// without trailing zeros (`2026-01-02T03:04:05.25Z`).
pub fn format_datetime(value: &time::OffsetDateTime) -> String {
    let utc = value.to_offset(time::UtcOffset::UTC);
    let mut out = String::with_capacity(30);
    let year = utc.year();
    // Writing into a String cannot fail; the results are ignored on purpose.
    if year < 0 {
        let _ = write!(out, "-{:04}", year.unsigned_abs());
    } else {
        let _ = write!(out, "{year:04}");
    }
    let _ = write!(
        out,
        "-{:02}-{:02}T{:02}:{:02}:{:02}",
        u8::from(utc.month()),
        utc.day(),
        utc.hour(),
        utc.minute(),
        utc.second()
    );
    let nanos = utc.nanosecond();
    if nanos != 0 {
        let digits = format!("{nanos:09}");
        let _ = write!(out, ".{}", digits.trim_end_matches('0'));
    }
    out.push('Z');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
