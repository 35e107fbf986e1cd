//! Virtual scrolling: which rows to render for a scroll position, and where, with the
//! scrollbar scaled when the rows would be taller than browsers allow an element to be
//! (Chrome about 33.5M px, Firefox about 17.9M px): a million rows still fit one scrollbar.
//!
//! Two spaces: *canvas* pixels (the scroll container's content, at most `MAX_CANVAS_CSS_PX`)
//! and *row* pixels (rows × row height). Unscaled they are the same.

/// The tallest content the timeline gives the browser, CSS px (below every browser's limit).
pub const MAX_CANVAS_CSS_PX: f64 = 15_000_000.0;

/// The geometry of one virtual list.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct VirtualScroll {
    /// How many rows the list has.
    pub rows: usize,
    /// One row's height, CSS px.
    pub row_css_px: f64,
    /// The visible height of the scroll container, CSS px.
    pub viewport_css_px: f64,
}

/// The rows to render and where the first of them goes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RowWindow {
    /// The first row to render.
    pub first: usize,
    /// One past the last row to render.
    pub end: usize,
    /// The first row's top in canvas pixels.
    pub offset_css_px: f64,
}

impl VirtualScroll {
    /// The content height to give the scroll container, CSS px.
    pub fn canvas_css_px(&self) -> f64 {
        (self.rows as f64 * self.row_css_px).min(MAX_CANVAS_CSS_PX)
    }

    fn scaled(&self) -> bool {
        self.rows as f64 * self.row_css_px > MAX_CANVAS_CSS_PX
    }

    /// The row at the top of the viewport (fractional) for a scroll position.
    fn top_row(&self, scroll_top_css_px: f64) -> f64 {
        if !self.scaled() {
            return scroll_top_css_px / self.row_css_px;
        }
        let max_scroll = (self.canvas_css_px() - self.viewport_css_px).max(1.0);
        let rows_below_top = (self.rows as f64 - self.viewport_css_px / self.row_css_px).max(0.0);
        (scroll_top_css_px / max_scroll).clamp(0.0, 1.0) * rows_below_top
    }

    /// The rows to render at `scroll_top_css_px`, with `overscan` extra rows above and below.
    pub fn window(&self, scroll_top_css_px: f64, overscan: usize) -> RowWindow {
        let top_row = self.top_row(scroll_top_css_px.max(0.0));
        let first = (top_row.floor() as usize).saturating_sub(overscan).min(self.rows);
        let shown = (self.viewport_css_px / self.row_css_px).ceil() as usize + 2 * overscan + 1;
        let end = (first + shown).min(self.rows);
        // Place row `top_row` at the viewport's top edge.
        let offset_css_px = scroll_top_css_px.max(0.0) - (top_row - first as f64) * self.row_css_px;
        RowWindow { first, end, offset_css_px }
    }

    /// The scroll position that puts `row` at the viewport's top.
    pub fn scroll_top_for_row(&self, row: usize) -> f64 {
        if !self.scaled() {
            return row as f64 * self.row_css_px;
        }
        let max_scroll = (self.canvas_css_px() - self.viewport_css_px).max(1.0);
        let rows_below_top = (self.rows as f64 - self.viewport_css_px / self.row_css_px).max(1.0);
        (row as f64 / rows_below_top).clamp(0.0, 1.0) * max_scroll
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_lists_scroll_one_pixel_per_pixel() {
        let list = VirtualScroll { rows: 100, row_css_px: 20.0, viewport_css_px: 200.0 };
        assert_eq!(list.canvas_css_px(), 2000.0);
        let window = list.window(400.0, 2);
        assert_eq!((window.first, window.end), (18, 18 + 10 + 4 + 1));
        assert_eq!(window.offset_css_px, 18.0 * 20.0);
        assert_eq!(list.scroll_top_for_row(20), 400.0);
    }

    #[test]
    fn a_million_rows_fit_a_scaled_scrollbar_and_reach_the_end() {
        let list = VirtualScroll { rows: 1_000_000, row_css_px: 26.0, viewport_css_px: 780.0 };
        assert_eq!(list.canvas_css_px(), MAX_CANVAS_CSS_PX);
        let max_scroll = MAX_CANVAS_CSS_PX - 780.0;
        let end = list.window(max_scroll, 10);
        assert_eq!(end.end, 1_000_000, "the last row is rendered at the end");
        assert!(end.end - end.first < 60);
        let middle = list.window(max_scroll / 2.0, 0);
        assert!((middle.first as i64 - 499_985).abs() <= 1, "{middle:?}");
        // The first rendered row sits at the viewport's top.
        assert!((middle.offset_css_px - max_scroll / 2.0).abs() < 26.0);
        let back = list.scroll_top_for_row(middle.first);
        assert!((list.window(back, 0).first as i64 - middle.first as i64).abs() <= 1);
    }
}
