//! Ruler ticks: round steps (1, 2 or 5 times a power of ten nanoseconds) so that about `target`
//! ticks fit the window, wherever it is zoomed.

/// The step, ns, that gives about `target` ticks over `window_ns` (at least 1 ns).
pub fn tick_step_ns(window_ns: i64, target: usize) -> i64 {
    let raw = (window_ns.max(1) as f64 / target.max(1) as f64).max(1.0);
    let power = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|factor| factor * power)
        .find(|&step| step >= raw)
        .unwrap_or(10.0 * power);
    (step.round() as i64).max(1)
}

/// Tick offsets from the window start, ns: `0, step, 2·step, …` up to `window_ns`.
pub fn tick_offsets_ns(window_ns: i64, target: usize) -> Vec<i64> {
    let step = tick_step_ns(window_ns, target);
    (0..).map(|i| i * step).take_while(|&offset| offset <= window_ns.max(0)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_round_numbers_near_the_target_count() {
        assert_eq!(tick_step_ns(1_480_000_000, 5), 500_000_000);
        assert_eq!(tick_step_ns(1_000_000, 10), 100_000);
        assert_eq!(tick_step_ns(3_000, 4), 1_000);
        assert_eq!(tick_step_ns(0, 5), 1);
        assert_eq!(tick_offsets_ns(1_480_000_000, 5), [0, 500_000_000, 1_000_000_000]);
        assert_eq!(tick_offsets_ns(10, 5).len(), 6);
    }
}
