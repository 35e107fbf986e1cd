//! Time to pixels and back, in one place. A `TimeScale` maps the view window
//! `[start_ns, end_ns]` onto `[0, width_css_px]`.

/// A linear map from nanoseconds to CSS pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TimeScale {
    /// The time at pixel 0, ns since the epoch.
    pub start_ns: i64,
    /// The time at pixel `width_css_px`, ns since the epoch (greater than `start_ns`).
    pub end_ns: i64,
    /// The width of the drawing area, CSS pixels.
    pub width_css_px: f64,
}

impl TimeScale {
    /// A scale over `[start_ns, end_ns]` (an empty window is widened to 1 ns).
    pub fn new(start_ns: i64, end_ns: i64, width_css_px: f64) -> Self {
        Self { start_ns, end_ns: end_ns.max(start_ns.saturating_add(1)), width_css_px }
    }

    /// The window's length, ns.
    pub fn duration_ns(&self) -> i64 {
        self.end_ns - self.start_ns
    }

    /// Where `time_ns` falls, in CSS pixels from the left edge.
    pub fn css_px_from_time(&self, time_ns: i64) -> f64 {
        (time_ns - self.start_ns) as f64 / self.duration_ns() as f64 * self.width_css_px
    }

    /// The time at `css_px` from the left edge.
    pub fn time_from_css_px(&self, css_px: f64) -> i64 {
        self.start_ns + (css_px / self.width_css_px * self.duration_ns() as f64).round() as i64
    }

    /// Where `time_ns` falls, as a percentage of the width (for CSS `left`/`width`).
    pub fn percent_from_time(&self, time_ns: i64) -> f64 {
        (time_ns - self.start_ns) as f64 / self.duration_ns() as f64 * 100.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_time_to_pixels_and_back() {
        let scale = TimeScale::new(1_000_000, 3_000_000, 800.0);
        assert_eq!(scale.css_px_from_time(1_000_000), 0.0);
        assert_eq!(scale.css_px_from_time(2_000_000), 400.0);
        assert_eq!(scale.css_px_from_time(3_000_000), 800.0);
        assert_eq!(scale.time_from_css_px(200.0), 1_500_000);
        assert_eq!(scale.percent_from_time(2_500_000), 75.0);
    }

    #[test]
    fn an_empty_window_does_not_divide_by_zero() {
        let scale = TimeScale::new(5, 5, 100.0);
        assert_eq!(scale.duration_ns(), 1);
        assert_eq!(scale.css_px_from_time(5), 0.0);
    }
}
