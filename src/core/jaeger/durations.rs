//! The time texts Jaeger's query API speaks: Go durations (`100ms`, `1.5s`, `1h30m`) for the
//! duration filters and lookbacks, and RFC 3339 timestamps with nanoseconds for API v3.
//!
//! Written here rather than taken from a crate: Go's duration grammar (decimal fractions,
//! `µs`, unit sequences) is not what the common Rust duration crates parse, and the RFC 3339
//! text is one civil-date conversion.

use crate::core::units::{NS_PER_MS, NS_PER_S, NS_PER_US};

const NS_PER_MINUTE: i64 = 60 * NS_PER_S;
const NS_PER_HOUR: i64 = 60 * NS_PER_MINUTE;
const NS_PER_DAY: i64 = 24 * NS_PER_HOUR;

/// Units of a Go duration, longest names first so `ms` is not read as `m`.
const UNITS: [(&str, i64); 9] = [
    ("ns", 1),
    ("us", NS_PER_US),
    ("µs", NS_PER_US),
    ("μs", NS_PER_US),
    ("ms", NS_PER_MS),
    ("s", NS_PER_S),
    ("m", NS_PER_MINUTE),
    ("h", NS_PER_HOUR),
    ("d", NS_PER_DAY),
];

/// Parses a Go duration such as `100ms`, `1.5s`, `2h45m` or `500us` into nanoseconds.
/// `d` (days) is also read, for lookbacks such as `2d`; Jaeger itself is never sent a `d`.
/// A bare `0` is zero. Returns `None` for anything else (also negative durations).
pub fn parse_go_duration(text: &str) -> Option<i64> {
    let text = text.trim();
    if text == "0" {
        return Some(0);
    }
    if text.is_empty() {
        return None;
    }
    let mut rest = text;
    let mut total: i64 = 0;
    while !rest.is_empty() {
        let number_len = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        if number_len == 0 {
            return None;
        }
        let (number, after) = rest.split_at(number_len);
        let (unit_name, ns_per_unit) =
            UNITS.iter().filter(|(name, _)| after.starts_with(name)).max_by_key(|(name, _)| name.len()).copied()?;
        let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
        if (whole.is_empty() && fraction.is_empty()) || fraction.contains('.') {
            return None;
        }
        let whole: i64 = if whole.is_empty() { 0 } else { whole.parse().ok()? };
        let mut value = whole.checked_mul(ns_per_unit)?;
        let mut scale = ns_per_unit;
        for digit in fraction.bytes() {
            scale /= 10;
            value = value.checked_add(i64::from(digit - b'0') * scale)?;
        }
        total = total.checked_add(value)?;
        rest = &after[unit_name.len()..];
    }
    Some(total)
}

/// Writes nanoseconds as the shortest Go duration Jaeger reads back: `1h30m`, `1.5s`,
/// `250ms`, `0s`.
pub fn format_go_duration(ns: i64) -> String {
    if ns <= 0 {
        return "0s".to_owned();
    }
    let mut out = String::new();
    let mut rest = ns;
    for (unit, size) in [("h", NS_PER_HOUR), ("m", NS_PER_MINUTE)] {
        if rest >= size {
            out.push_str(&format!("{}{unit}", rest / size));
            rest %= size;
        }
    }
    if rest == 0 {
        return out;
    }
    let (unit, size) = if rest >= NS_PER_S || ns >= NS_PER_MINUTE {
        ("s", NS_PER_S)
    } else if rest >= NS_PER_MS {
        ("ms", NS_PER_MS)
    } else if rest >= NS_PER_US {
        ("us", NS_PER_US)
    } else {
        ("ns", 1)
    };
    let whole = rest / size;
    let fraction = rest % size;
    if fraction == 0 {
        out.push_str(&format!("{whole}{unit}"));
    } else {
        let digits = size.to_string().len() - 1;
        let text = format!("{fraction:0digits$}");
        out.push_str(&format!("{whole}.{}{unit}", text.trim_end_matches('0')));
    }
    out
}

/// Formats nanoseconds since the epoch as RFC 3339 in UTC with nanoseconds, as Go's
/// `time.RFC3339Nano` reads it: `2026-11-27T22:21:00.123456789Z`.
pub fn format_rfc3339_ns(ns: i64) -> String {
    let days = ns.div_euclid(NS_PER_DAY);
    let of_day = ns.rem_euclid(NS_PER_DAY);
    let (year, month, day) = civil_from_days(days);
    let hours = of_day / NS_PER_HOUR;
    let minutes = of_day % NS_PER_HOUR / NS_PER_MINUTE;
    let seconds = of_day % NS_PER_MINUTE / NS_PER_S;
    let nanos = of_day % NS_PER_S;
    format!("{year:04}-{month:02}-{day:02}T{hours:02}:{minutes:02}:{seconds:02}.{nanos:09}Z")
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * month_index + 2) / 5 + 1) as u32;
    let month = if month_index < 10 { month_index + 3 } else { month_index - 9 } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_durations_read_as_go_reads_them() {
        assert_eq!(parse_go_duration("100ms"), Some(100 * NS_PER_MS));
        assert_eq!(parse_go_duration("1.2s"), Some(1_200 * NS_PER_MS));
        assert_eq!(parse_go_duration("1h30m"), Some(90 * NS_PER_MINUTE));
        assert_eq!(parse_go_duration("500us"), Some(500 * NS_PER_US));
        assert_eq!(parse_go_duration("500µs"), Some(500 * NS_PER_US));
        assert_eq!(parse_go_duration(".5s"), Some(500 * NS_PER_MS));
        assert_eq!(parse_go_duration("2d"), Some(2 * NS_PER_DAY));
        assert_eq!(parse_go_duration("0"), Some(0));
        for bad in ["", "ms", "1", "1x", "-1s", "1..2s", "1.s.", "s1"] {
            assert_eq!(parse_go_duration(bad), None, "{bad}");
        }
    }

    #[test]
    fn go_durations_written_and_read_back() {
        for (ns, text) in [
            (90 * NS_PER_MINUTE, "1h30m"),
            (1_500 * NS_PER_MS, "1.5s"),
            (250 * NS_PER_MS, "250ms"),
            (1_250 * NS_PER_US, "1.25ms"),
            (7, "7ns"),
            (NS_PER_HOUR + NS_PER_S, "1h1s"),
            (NS_PER_MINUTE + 500 * NS_PER_MS, "1m0.5s"),
        ] {
            assert_eq!(format_go_duration(ns), text, "{ns}");
            assert_eq!(parse_go_duration(text), Some(ns), "{text}");
        }
    }

    #[test]
    fn rfc3339_with_nanoseconds_in_utc() {
        assert_eq!(format_rfc3339_ns(0), "1970-01-01T00:00:00.000000000Z");
        assert_eq!(format_rfc3339_ns(1_767_225_600_123_456_789), "2026-01-01T00:00:00.123456789Z");
        assert_eq!(format_rfc3339_ns(951_782_400 * NS_PER_S), "2000-02-29T00:00:00.000000000Z");
        assert_eq!(format_rfc3339_ns(-NS_PER_S), "1969-12-31T23:59:59.000000000Z");
    }
}
