//! The rules digest (DESIGN §3): which fork and which spec deviations a batch ran under.
//!
//! The journal commits to it so that a proof made under a dev node's quirks never passes where
//! the contract expects spec rules. This is the one place the Rust side computes it; the
//! TypeScript twin is `rulesDigest` in lib/input/rules.ts, and both are pinned by
//! tests/fixtures/journal-v2.json.

use alloy_primitives::{keccak256, B256};
use alloy_sol_types::SolValue;

/// Domain tag of the first rules-digest layout.
pub const RULES_TAG: &str = "l2-prover/rules/v1";

/// `keccak256(abi.encode("l2-prover/rules/v1", fork, quirks))` with `quirks` sorted ascending
/// and deduplicated, as the input names them (presets are not expanded).
pub fn rules_digest(fork: &str, quirks: &[String]) -> B256 {
    let quirks = canonical_quirks(quirks);
    keccak256((RULES_TAG.to_string(), fork.to_string(), quirks).abi_encode_params())
}

/// The quirk names in the form the digest covers: sorted ascending, no duplicates.
pub fn canonical_quirks(quirks: &[String]) -> Vec<String> {
    let mut q = quirks.to_vec();
    q.sort_unstable();
    q.dedup();
    q
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_and_duplicates_do_not_matter_but_names_do() {
        let a = rules_digest("prague", &["b".into(), "a".into(), "b".into()]);
        assert_eq!(a, rules_digest("prague", &["a".into(), "b".into()]));
        assert_ne!(a, rules_digest("prague", &[]));
        assert_ne!(a, rules_digest("osaka", &["a".into(), "b".into()]));
        assert_ne!(rules_digest("prague", &[]), rules_digest("osaka", &[]));
    }
}
