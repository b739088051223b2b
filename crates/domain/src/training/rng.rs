//! A small seeded pseudo-random generator (SplitMix64) for choosing quiz
//! questions. It lives here rather than coming from a crate so that the same
//! seed picks the same questions in every release: a stored attempt can be
//! rebuilt from its seed. It is not suitable for secrets; certificate codes
//! take random bytes from the caller instead.

pub(crate) struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    pub(crate) fn new(seed: u64) -> SplitMix64 {
        SplitMix64 { state: seed }
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut mixed = self.state;
        mixed = (mixed ^ (mixed >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        mixed = (mixed ^ (mixed >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        mixed ^ (mixed >> 31)
    }

    /// Returns a uniformly distributed index in `0..bound`. Rejection
    /// sampling removes the bias a plain remainder would have. `bound` must
    /// not be zero.
    pub(crate) fn below(&mut self, bound: usize) -> usize {
        let bound = bound as u64;
        // The largest multiple of `bound` that fits, so every residue is
        // equally likely among accepted draws.
        let zone = u64::MAX - (u64::MAX % bound);
        loop {
            let draw = self.next_u64();
            if draw < zone {
                return (draw % bound) as usize;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_sequence() {
        let mut first = SplitMix64::new(42);
        let mut second = SplitMix64::new(42);
        for _ in 0..100 {
            assert_eq!(first.next_u64(), second.next_u64());
        }
    }

    #[test]
    fn known_first_output_for_seed_zero() {
        // The published SplitMix64 reference output for seed 0, pinned so a
        // change to the generator (which would reshuffle stored attempts)
        // fails here.
        assert_eq!(SplitMix64::new(0).next_u64(), 0xE220_A839_7B1D_CDAF);
    }

    #[test]
    fn below_stays_in_range() {
        let mut rng = SplitMix64::new(7);
        for bound in 1..50 {
            for _ in 0..50 {
                assert!(rng.below(bound) < bound);
            }
        }
    }
}
