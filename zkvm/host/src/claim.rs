//! risc0's receipt claim digest and the mock seal, without risc0-zkvm.
//!
//! `ReceiptClaim::ok(image_id, journal).digest()` is risc0's tagged-struct SHA-256 hashing
//! (risc0-zkvm 3.0 `sha::tagged_struct`, risc0-ethereum's `ReceiptClaimLib`): a struct hashes
//! as `sha256(sha256(tag) ‖ down digests ‖ data u32s (LE) ‖ number of downs as u16 (LE))`. The
//! exec backend needs it to emit the seal RiscZeroMockVerifier accepts, and it must not need
//! the heavy risc0 build for that.

use sha2::{Digest, Sha256};

/// Selector of the mock seal (`RiscZeroMockVerifier`, risc0 dev-mode receipts).
pub const MOCK_SELECTOR: [u8; 4] = [0xff; 4];

/// `sha256(sha256(tag) ‖ downs ‖ data as u32 LE ‖ downs.len() as u16 LE)`.
fn tagged_struct(tag: &str, downs: &[[u8; 32]], data: &[u32]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(Sha256::digest(tag.as_bytes()));
    for d in downs {
        h.update(d);
    }
    for x in data {
        h.update(x.to_le_bytes());
    }
    h.update((downs.len() as u16).to_le_bytes());
    h.finalize().into()
}

/// Digest of the claim of a successful run of `image_id` that committed a journal whose sha256 is
/// `journal_digest`: exit code Halted(0), no input, no assumptions, final state pc 0, root zero.
pub fn ok_claim_digest(image_id: [u8; 32], journal_digest: [u8; 32]) -> [u8; 32] {
    const ZERO: [u8; 32] = [0; 32];
    let post = tagged_struct("risc0.SystemState", &[ZERO], &[0]);
    // Empty assumptions digest to zero (the empty tagged list).
    let output = tagged_struct("risc0.Output", &[journal_digest, ZERO], &[]);
    // Downs: input (none: zero), pre-state (the image id), post-state, output; data: the system
    // and user exit codes (Halted = 0, user code 0).
    tagged_struct(
        "risc0.ReceiptClaim",
        &[ZERO, image_id, post, output],
        &[0, 0],
    )
}

/// The mock seal of a journal: `0xFFFFFFFF ‖ ok_claim_digest(image_id, sha256(journal))`.
pub fn mock_seal(image_id: [u8; 32], journal: &[u8]) -> Vec<u8> {
    let claim = ok_claim_digest(image_id, Sha256::digest(journal).into());
    [&MOCK_SELECTOR[..], &claim[..]].concat()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::result::hex;

    /// The vector tests/seal_test.ts checks the TypeScript twin against.
    const FIXTURE: &str = include_str!("../../../tests/fixtures/mock-seal.json");

    #[test]
    fn matches_the_shared_fixture() {
        let f: serde_json::Value = serde_json::from_str(FIXTURE).unwrap();
        for case in f["cases"].as_array().unwrap() {
            let id = decode32(case["imageId"].as_str().unwrap());
            let journal = decode(case["journal"].as_str().unwrap());
            let seal = mock_seal(id, &journal);
            assert_eq!(hex(&seal), case["seal"].as_str().unwrap(), "{case}");
            assert_eq!(seal.len(), 36);
        }
    }

    #[cfg(feature = "risc0")]
    #[test]
    fn equals_risc0_zkvm_receipt_claim() {
        use risc0_zkvm::{sha::Digestible, ReceiptClaim};
        for (id, journal) in [([0u8; 32], vec![]), ([7u8; 32], vec![1u8; 256])] {
            let theirs = ReceiptClaim::ok(risc0_zkvm::Digest::from(id), journal.clone()).digest();
            let ours = ok_claim_digest(id, Sha256::digest(&journal).into());
            assert_eq!(theirs.as_bytes(), &ours[..]);
        }
    }

    fn decode(s: &str) -> Vec<u8> {
        let s = s.strip_prefix("0x").unwrap();
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    fn decode32(s: &str) -> [u8; 32] {
        decode(s).try_into().unwrap()
    }
}
