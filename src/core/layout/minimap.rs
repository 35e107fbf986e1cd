//! The minimap of a whole trace as per-pixel buckets: the trace's rows squeezed onto `height`
//! pixel rows and its time onto `width` pixel columns, each cell counting the spans over it.
//! Built once per trace in O(spans + width × height) with a difference array per pixel row, so
//! drawing it costs a few thousand rectangles whatever the trace's size, never one per span.

use crate::core::model::{TraceIdx, TraceSet};

/// The size the trace page draws minimaps at, in canvas pixels (CSS stretches the canvas).
pub const WIDTH_PX: usize = 800;
/// See [`WIDTH_PX`].
pub const HEIGHT_PX: usize = 48;

/// Traces with at least this many spans get their minimap from the engine with the traces, so the
/// page never builds it in one long task.
pub const ENGINE_MINIMAP_SPANS: usize = 20_000;

/// Span counts per pixel, row-major: `counts[y * width + x]`.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Minimap {
    /// Pixel columns.
    pub width: usize,
    /// Pixel rows.
    pub height: usize,
    /// How many spans cover each pixel.
    pub counts: Vec<u32>,
}

/// A horizontal run of covered pixels in one pixel row, for drawing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Run {
    /// Pixel row.
    pub y: usize,
    /// First pixel column.
    pub x: usize,
    /// How many columns.
    pub len: usize,
    /// The highest count in the run (for shading).
    pub max_count: u32,
}

impl Minimap {
    /// Buckets the spans of `trace` (rows in pre-order, all expanded) onto `width` × `height`.
    pub fn of_trace(set: &TraceSet, trace: TraceIdx, width: usize, height: usize) -> Minimap {
        let (width, height) = (width.max(1), height.max(1));
        let mut diff = vec![0i64; (width + 1) * height];
        let Some(range) = set.traces.spans.get(trace.get()) else {
            return Minimap { width, height, counts: vec![0; width * height] };
        };
        let rows = range.len().max(1);
        let start_ns = set.traces.start_ns[trace.get()];
        let window_ns = (set.traces.end_ns[trace.get()] - start_ns).max(1) as f64;
        for (row, index) in range.as_range().enumerate() {
            // Fewer rows than pixels: each row is a band of pixel rows.
            let (y0, y1) = (row * height / rows, ((row + 1) * height / rows).max(row * height / rows + 1));
            let from = (set.spans.start_ns[index] - start_ns) as f64 / window_ns;
            let to = (set.spans.start_ns[index] + set.spans.duration_ns[index] - start_ns) as f64 / window_ns;
            let x0 = ((from * width as f64).floor().max(0.0) as usize).min(width - 1);
            let x1 = ((to * width as f64).ceil().max(0.0) as usize).clamp(x0 + 1, width);
            for y in y0..y1.min(height) {
                let line = &mut diff[y * (width + 1)..(y + 1) * (width + 1)];
                line[x0] += 1;
                line[x1] -= 1;
            }
        }
        let mut counts = vec![0u32; width * height];
        for y in 0..height {
            let mut running = 0i64;
            for x in 0..width {
                running += diff[y * (width + 1) + x];
                counts[y * width + x] = running.max(0) as u32;
            }
        }
        Minimap { width, height, counts }
    }

    /// The covered pixels as runs, row by row.
    pub fn runs(&self) -> Vec<Run> {
        let mut runs = Vec::new();
        for y in 0..self.height {
            let line = &self.counts[y * self.width..(y + 1) * self.width];
            let mut x = 0;
            while x < self.width {
                if line[x] == 0 {
                    x += 1;
                    continue;
                }
                let start = x;
                let mut max_count = 0;
                while x < self.width && line[x] > 0 {
                    max_count = max_count.max(line[x]);
                    x += 1;
                }
                runs.push(Run { y, x: start, len: x - start, max_count });
            }
        }
        runs
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::import::checkout_sample;

    #[test]
    fn buckets_cover_each_span_in_its_row_and_time() {
        let set = checkout_sample();
        let map = Minimap::of_trace(&set, TraceIdx(0), 100, 9);
        assert_eq!(Minimap::of_trace(&set, TraceIdx(0), 100, 27).runs().len(), 27, "three pixel rows per span");
        // One pixel row per span: the root covers the whole width.
        assert!(map.counts[..100].iter().all(|&count| count == 1));
        // The notification span (last row) sits at the end of the trace.
        let last = &map.counts[8 * 100..];
        assert_eq!(last[..95].iter().sum::<u32>(), 0);
        assert!(last[97..].contains(&1));
        let runs = map.runs();
        assert_eq!(runs.len(), 9, "one run per span here");
        assert_eq!(runs[0], Run { y: 0, x: 0, len: 100, max_count: 1 });
    }

    #[test]
    fn many_spans_share_pixel_rows() {
        let set = checkout_sample();
        let map = Minimap::of_trace(&set, TraceIdx(0), 10, 3);
        assert_eq!(map.counts.len(), 30);
        assert!(map.counts.iter().any(|&count| count >= 2));
    }
}
