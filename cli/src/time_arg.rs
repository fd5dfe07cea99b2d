//! `--since` and `--until`: an RFC 3339 time, or a span meaning "that long ago" (`30m`, `2h`,
//! `7d`), and the spans of `--max-retry-time`.

use std::time::Duration;

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// What `--since`/`--until` accept, for `--help` and error messages.
pub const TIME_FORMS: &str = "an RFC 3339 time (2026-01-02T03:04:05Z) or how long ago: a number \
                              and s, m, h, d or w (90s, 30m, 2h, 7d, 2w)";

/// Reads `--since`/`--until`: an RFC 3339 time, or a span before `now`.
pub fn parse_time(text: &str, now: OffsetDateTime) -> Result<OffsetDateTime, String> {
    let text = text.trim();
    if let Ok(at) = OffsetDateTime::parse(text, &Rfc3339) {
        return Ok(at);
    }
    match parse_span(text) {
        Ok(span) => {
            let span =
                time::Duration::try_from(span).map_err(|_| format!("`{text}` is too long ago"))?;
            now.checked_sub(span)
                .ok_or_else(|| format!("`{text}` is too long ago"))
        }
        Err(_) => Err(format!("`{text}` is not {TIME_FORMS}")),
    }
}

/// Reads a span: a whole number and a unit (`s`, `m`, `h`, `d`, `w`), or a bare number of
/// seconds.
pub fn parse_span(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let seconds_per_unit: u64 = match unit {
        "" | "s" => 1,
        "m" => 60,
        "h" => 3_600,
        "d" => 86_400,
        "w" => 7 * 86_400,
        _ => {
            return Err(format!(
                "`{text}` is not a span such as 90s, 30m, 2h, 7d or 2w"
            ));
        }
    };
    let number: u64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a span such as 90s, 30m, 2h, 7d or 2w"))?;
    number
        .checked_mul(seconds_per_unit)
        .map(Duration::from_secs)
        .ok_or_else(|| format!("`{text}` is too long"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-03-04 05:06:07 UTC);

    #[test]
    fn rfc3339_is_taken_as_is() {
        assert_eq!(
            parse_time("2026-01-02T03:04:05Z", NOW),
            Ok(datetime!(2026-01-02 03:04:05 UTC))
        );
        assert_eq!(
            parse_time("2026-01-02T03:04:05.250+02:00", NOW),
            Ok(datetime!(2026-01-02 03:04:05.250 +02:00))
        );
    }

    #[test]
    fn spans_are_that_long_ago() {
        assert_eq!(
            parse_time("90s", NOW),
            Ok(datetime!(2026-03-04 05:04:37 UTC))
        );
        assert_eq!(
            parse_time("30m", NOW),
            Ok(datetime!(2026-03-04 04:36:07 UTC))
        );
        assert_eq!(
            parse_time("2h", NOW),
            Ok(datetime!(2026-03-04 03:06:07 UTC))
        );
        assert_eq!(
            parse_time("7d", NOW),
            Ok(datetime!(2026-02-25 05:06:07 UTC))
        );
        assert_eq!(
            parse_time("1w", NOW),
            Ok(datetime!(2026-02-25 05:06:07 UTC))
        );
        assert_eq!(parse_time("0m", NOW), Ok(NOW));
    }

    #[test]
    fn anything_else_is_refused_with_the_forms_accepted() {
        for bad in [
            "",
            "h",
            "2x",
            "-2h",
            "2 h",
            "yesterday",
            "2026-01-02",
            "1.5h",
        ] {
            let error = parse_time(bad, NOW).unwrap_err();
            assert!(error.contains("RFC 3339"), "{bad}: {error}");
        }
        assert!(parse_time("99999999999999w", NOW).is_err());
        assert_eq!(parse_span("120"), Ok(Duration::from_secs(120)));
        assert!(parse_span("2 m").is_err());
    }
}
