//! Human formatting of durations, the way a person reads a timeline: three significant
//! digits and the largest unit that keeps the number at or above one.
//!
//! `1_234_567 ns` reads `1.23 ms`, `59.99 s` reads `60.0 s`, `90 s` reads `1m 30s`. Pure text
//! from numbers; no locale, no clock. Also counts, bytes, and numbers with a fixed number of
//! decimals for drawing ([`Fixed`]).

use crate::core::units::{DurationNs, NS_PER_MS, NS_PER_S, NS_PER_US};

/// Units for durations under a minute, largest first: (nanoseconds per unit, suffix).
const SUB_MINUTE_UNITS: [(i64, &str); 3] = [(NS_PER_S, "s"), (NS_PER_MS, "ms"), (NS_PER_US, "µs")];

const NS_PER_MINUTE: i64 = 60 * NS_PER_S;
const NS_PER_HOUR: i64 = 60 * NS_PER_MINUTE;

/// Formats a duration for display: `0 ns`, `750 ns`, `12.5 µs`, `1.23 ms`, `4.00 s`,
/// `1m 30s`, `2h 5m`. Negative durations (clock skew) keep their sign.
pub fn format_duration(duration: DurationNs) -> String {
    let sign = if duration.0 < 0 { "-" } else { "" };
    let magnitude_ns = duration.0.unsigned_abs();
    format!("{sign}{}", format_magnitude(magnitude_ns))
}

fn format_magnitude(ns: u64) -> String {
    let ns_i128 = i128::from(ns);
    if ns_i128 >= i128::from(NS_PER_HOUR) {
        let total_minutes = ns_i128 / i128::from(NS_PER_MINUTE);
        return format!("{}h {}m", total_minutes / 60, total_minutes % 60);
    }
    if ns_i128 >= i128::from(NS_PER_MINUTE) {
        let total_seconds = ns_i128 / i128::from(NS_PER_S);
        return format!("{}m {}s", total_seconds / 60, total_seconds % 60);
    }
    for (ns_per_unit, suffix) in SUB_MINUTE_UNITS {
        // A value that rounds to 1.00 of this unit (0.9995 and up) is shown in it.
        if ns_i128 * 2000 >= i128::from(ns_per_unit) * 1999 {
            // Lossless enough for display: the value is below one minute here.
            let value = ns as f64 / ns_per_unit as f64;
            return format!("{} {suffix}", three_significant_digits(value));
        }
    }
    format!("{ns} ns")
}

/// `1.234` → `1.23`, `12.34` → `12.3`, `123.4` → `123`.
fn three_significant_digits(value: f64) -> String {
    if value >= 99.95 {
        format!("{value:.0}")
    } else if value >= 9.995 {
        format!("{value:.1}")
    } else {
        format!("{value:.2}")
    }
}

/// A count with thousands separators: `1234567` → `1,234,567`.
pub fn format_count(count: usize) -> String {
    let digits = count.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// A size in bytes, e.g. `950 B`, `12.3 MB` (decimal units, as file managers show them).
pub fn format_bytes(bytes: u64) -> String {
    const UNITS: [(u64, &str); 3] = [(1_000_000_000, "GB"), (1_000_000, "MB"), (1_000, "kB")];
    for (size, unit) in UNITS {
        if bytes >= size {
            return format!("{} {unit}", three_significant_digits(bytes as f64 / size as f64));
        }
    }
    format!("{bytes} B")
}

/// `1 trace`, `2 traces`: a count and a noun, plural unless the count is one.
pub fn count_noun(count: usize, singular: &str, plural: &str) -> String {
    format!("{} {}", format_count(count), if count == 1 { singular } else { plural })
}

/// A number written with a fixed number of decimals (the second field, at most 3), for SVG
/// coordinates and CSS lengths. Written with integer arithmetic: the standard formatting of a
/// float to a precision is slow in WebAssembly (a service graph of 3,000 edges spent 80 ms in
/// it). Halves round away from zero; what is not finite is written `0`.
#[derive(Clone, Copy, Debug)]
pub struct Fixed(pub f64, pub u8);

impl std::fmt::Display for Fixed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Fixed(value, places) = *self;
        let places = places.min(3);
        let scale = 10_i64.pow(u32::from(places));
        let scaled = (value * scale as f64).round();
        if !scaled.is_finite() {
            return f.write_str("0");
        }
        if scaled.abs() >= 1e15 {
            return write!(f, "{value:.*}", usize::from(places));
        }
        let scaled = scaled as i64;
        let sign = if scaled < 0 { "-" } else { "" };
        let magnitude = scaled.unsigned_abs();
        let (whole, part) = (magnitude / scale as u64, magnitude % scale as u64);
        match places {
            0 => write!(f, "{sign}{whole}"),
            _ => write!(f, "{sign}{whole}.{part:0width$}", width = usize::from(places)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_writes_its_decimals_with_integers() {
        let written = |value: f64, places: u8| Fixed(value, places).to_string();
        assert_eq!(written(12.34567, 2), "12.35");
        assert_eq!(written(-12.34567, 2), "-12.35");
        assert_eq!(written(12.0, 0), "12");
        assert_eq!(written(0.5, 3), "0.500");
        assert_eq!(written(1.25, 1), "1.3");
        assert_eq!(written(-0.04, 1), "0.0");
        assert_eq!(written(0.06, 1), "0.1");
        assert_eq!(written(1234.96, 1), "1235.0");
        assert_eq!(written(f64::NAN, 1), "0");
        assert_eq!(written(2e15, 1), "2000000000000000.0");
        for value in [0.0, 7.77, -250.123, 99.95, 1e6 / 3.0] {
            let fixed: f64 = written(value, 2).parse().unwrap_or(f64::NAN);
            assert!((fixed - value).abs() <= 0.005 + 1e-9, "{value} written {fixed}");
        }
    }

    fn ns(value: i64) -> String {
        format_duration(DurationNs(value))
    }

    #[test]
    fn picks_the_largest_unit_with_three_significant_digits() {
        assert_eq!(ns(1_234_567), "1.23 ms");
        assert_eq!(ns(12_345_678), "12.3 ms");
        assert_eq!(ns(123_456_789), "123 ms");
        assert_eq!(ns(1_500), "1.50 µs");
        assert_eq!(ns(4_000_000_000), "4.00 s");
    }

    #[test]
    fn small_values_stay_in_nanoseconds() {
        assert_eq!(ns(0), "0 ns");
        assert_eq!(ns(999), "999 ns");
        assert_eq!(ns(1_000), "1.00 µs");
    }

    #[test]
    fn rounding_up_moves_to_the_next_unit_instead_of_showing_four_digits() {
        assert_eq!(ns(9_999), "10.0 µs");
        assert_eq!(ns(99_990), "100 µs");
        assert_eq!(ns(999_499), "999 µs");
        assert_eq!(ns(999_999), "1.00 ms");
        assert_eq!(ns(999_500), "1.00 ms");
    }

    #[test]
    fn minutes_and_hours_read_as_clock_parts() {
        assert_eq!(ns(90 * NS_PER_S), "1m 30s");
        assert_eq!(ns(2 * NS_PER_HOUR + 5 * NS_PER_MINUTE + 7 * NS_PER_S), "2h 5m");
    }

    #[test]
    fn counts_get_thousands_separators_and_plurals() {
        assert_eq!(format_count(0), "0");
        assert_eq!(format_count(999), "999");
        assert_eq!(format_count(1_000), "1,000");
        assert_eq!(format_count(1_234_567), "1,234,567");
        assert_eq!(count_noun(1, "span", "spans"), "1 span");
        assert_eq!(count_noun(100_000, "span", "spans"), "100,000 spans");
    }

    #[test]
    fn sizes_read_in_decimal_units() {
        assert_eq!(format_bytes(950), "950 B");
        assert_eq!(format_bytes(12_345_678), "12.3 MB");
        assert_eq!(format_bytes(850_000_000), "850 MB");
        assert_eq!(format_bytes(1_500_000_000), "1.50 GB");
    }

    #[test]
    fn negative_durations_keep_their_sign() {
        assert_eq!(ns(-1_234_567), "-1.23 ms");
        assert_eq!(ns(i64::MIN), "-2562047h 47m");
    }
}
