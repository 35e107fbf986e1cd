//! Units with their names in their types: nanosecond timestamps and durations.
//!
//! Time is integer nanoseconds (`i64`) everywhere in the model; Jaeger and Zipkin give
//! microseconds and are converted on import with the `*_from_us` constructors. Floats appear
//! only for pixels, never for time.

use std::ops::{Add, Sub};

/// A point in time: nanoseconds since the Unix epoch (UTC).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TimestampNs(pub i64);

/// A length of time in nanoseconds. May be negative when it is the difference of two
/// timestamps that arrive out of order (clock skew); formatting shows the sign.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DurationNs(pub i64);

/// Nanoseconds in one microsecond.
pub const NS_PER_US: i64 = 1_000;
/// Nanoseconds in one millisecond.
pub const NS_PER_MS: i64 = 1_000_000;
/// Nanoseconds in one second.
pub const NS_PER_S: i64 = 1_000_000_000;

impl TimestampNs {
    /// The timestamp `us` microseconds after the epoch, saturating at the ends of `i64`.
    pub fn from_us(us: i64) -> Self {
        Self(us.saturating_mul(NS_PER_US))
    }
}

impl DurationNs {
    /// A duration of `us` microseconds, saturating at the ends of `i64`.
    pub fn from_us(us: i64) -> Self {
        Self(us.saturating_mul(NS_PER_US))
    }

    /// A duration of `ms` milliseconds, saturating at the ends of `i64`.
    pub fn from_ms(ms: i64) -> Self {
        Self(ms.saturating_mul(NS_PER_MS))
    }
}

impl Sub for TimestampNs {
    type Output = DurationNs;
    fn sub(self, earlier: TimestampNs) -> DurationNs {
        DurationNs(self.0.saturating_sub(earlier.0))
    }
}

impl Add<DurationNs> for TimestampNs {
    type Output = TimestampNs;
    fn add(self, duration: DurationNs) -> TimestampNs {
        TimestampNs(self.0.saturating_add(duration.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn microseconds_convert_to_nanoseconds() {
        assert_eq!(TimestampNs::from_us(1_700_000_000_000_000).0, 1_700_000_000_000_000_000);
        assert_eq!(DurationNs::from_us(1_500).0, 1_500_000);
        assert_eq!(DurationNs::from_ms(2).0, 2_000_000);
    }

    #[test]
    fn conversion_saturates_instead_of_overflowing() {
        assert_eq!(TimestampNs::from_us(i64::MAX).0, i64::MAX);
        assert_eq!(DurationNs::from_us(i64::MIN).0, i64::MIN);
    }

    #[test]
    fn timestamps_subtract_to_durations() {
        let start = TimestampNs(1_000);
        let end = start + DurationNs(2_500);
        assert_eq!(end.0, 3_500);
        assert_eq!(end - start, DurationNs(2_500));
        assert_eq!(start - end, DurationNs(-2_500));
    }
}
