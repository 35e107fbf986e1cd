//! Service colours: the same service gets the same colour on every machine and in every trace.
//! The colour is an index into a palette defined in the stylesheet (`--service-0` …), chosen so
//! the colours stay distinguishable in the light and the dark theme.

/// How many colours the palette has.
pub const PALETTE_SIZE: usize = 12;

/// The palette index of `service`: a stable hash (FNV-1a) of its name.
pub fn service_color_index(service: &str) -> usize {
    let hash = service
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325u64, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3));
    (hash % PALETTE_SIZE as u64) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_name_always_gets_the_same_colour() {
        // Fixed values: a change here changes every user's colours.
        assert_eq!(service_color_index("frontend"), service_color_index("frontend"));
        assert_eq!(service_color_index(""), 0xcbf2_9ce4_8422_2325u64 as usize % PALETTE_SIZE);
        let indices: Vec<usize> =
            ["api-gateway", "auth", "user", "order", "payment"].iter().map(|name| service_color_index(name)).collect();
        assert!(indices.iter().all(|&index| index < PALETTE_SIZE));
        assert!(indices.iter().collect::<std::collections::BTreeSet<_>>().len() >= 3, "{indices:?}");
    }
}
