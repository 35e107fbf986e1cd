//! The zoom window of the timeline: the part of the trace's time shown, as fractions of the
//! trace's duration (`0..=1`), with zoom around an anchor and pan, always kept inside the trace.

/// The narrowest window, as a fraction of the trace (a millionth: a 1 s trace zooms to 1 µs).
pub const MIN_WIDTH: f64 = 1e-6;

/// A window `[start, end]` within `[0, 1]`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ViewWindow {
    /// Left edge, fraction of the trace.
    pub start: f64,
    /// Right edge, fraction of the trace.
    pub end: f64,
}

impl Default for ViewWindow {
    fn default() -> Self {
        ViewWindow::WHOLE
    }
}

impl ViewWindow {
    /// The whole trace.
    pub const WHOLE: ViewWindow = ViewWindow { start: 0.0, end: 1.0 };

    /// A window over `[a, b]` (either order), kept inside the trace and at least `MIN_WIDTH` wide.
    pub fn new(a: f64, b: f64) -> ViewWindow {
        let (start, end) = if a <= b { (a, b) } else { (b, a) };
        let width = (end - start).clamp(MIN_WIDTH, 1.0);
        let start = start.clamp(0.0, 1.0 - width);
        ViewWindow { start, end: start + width }
    }

    /// The window's width, fraction of the trace.
    pub fn width(&self) -> f64 {
        self.end - self.start
    }

    /// Zooms by `factor` (< 1 zooms in) keeping the point at `anchor` (0..1 of the window) still.
    pub fn zoom(&self, factor: f64, anchor: f64) -> ViewWindow {
        let point = self.start + anchor.clamp(0.0, 1.0) * self.width();
        let width = (self.width() * factor).clamp(MIN_WIDTH, 1.0);
        let start = point - anchor.clamp(0.0, 1.0) * width;
        ViewWindow::new(start, start + width)
    }

    /// Moves the window by `delta` of its own width (negative: earlier).
    pub fn pan(&self, delta: f64) -> ViewWindow {
        let shift = delta * self.width();
        ViewWindow::new(self.start + shift, self.end + shift)
    }

    /// Whether this is the whole trace.
    pub fn is_whole(&self) -> bool {
        self.start <= 0.0 && self.end >= 1.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: ViewWindow, start: f64, end: f64) -> bool {
        (a.start - start).abs() < 1e-12 && (a.end - end).abs() < 1e-12
    }

    #[test]
    fn zooms_around_the_anchor_and_stays_inside() {
        let zoomed = ViewWindow::WHOLE.zoom(0.5, 0.5);
        assert!(close(zoomed, 0.25, 0.75), "{zoomed:?}");
        let left = ViewWindow::WHOLE.zoom(0.5, 0.0);
        assert!(close(left, 0.0, 0.5), "{left:?}");
        assert!(close(zoomed.zoom(10.0, 0.5), 0.0, 1.0));
        assert!(ViewWindow::WHOLE.zoom(1e-9, 0.3).width() >= MIN_WIDTH * 0.999);
    }

    #[test]
    fn pans_by_its_width_and_stops_at_the_edges() {
        let window = ViewWindow::new(0.2, 0.4);
        assert!(close(window.pan(0.5), 0.3, 0.5));
        assert!(close(window.pan(-10.0), 0.0, 0.2));
        assert!(close(window.pan(10.0), 0.8, 1.0));
        assert_eq!(ViewWindow::new(0.9, 0.1), ViewWindow::new(0.1, 0.9));
    }
}
