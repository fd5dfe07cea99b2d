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
