//! The public outputs the zkVM commits (DESIGN §3, journal v2), ABI-encoded for the L1 contract.

use alloy_primitives::{B256, U256};
use alloy_sol_types::SolValue;
use serde::{Deserialize, Serialize};

/// Public outputs of one proven batch (a version-1 input is a batch of one block).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Journal {
    /// EIP-155 chain id.
    pub chain_id: u64,
    /// Number of the first block of the batch.
    pub first_block: u64,
    /// Number of the last block of the batch.
    pub last_block: u64,
    /// Hash of the first block's parent.
    pub parent_hash: B256,
    /// State root before the batch (the first block's parent's).
    pub pre_state_root: B256,
    /// State root after the last block (checked against its header).
    pub post_state_root: B256,
    /// keccak256 of the last block's RLP header.
    pub last_block_hash: B256,
    /// [`crate::rules::rules_digest`] of the input's fork and quirks.
    pub rules_digest: B256,
}

/// Length of the encoded journal: eight 32-byte words.
pub const JOURNAL_LEN: usize = 256;

/// The ABI tuple of the journal, in order.
type Words = (U256, U256, U256, B256, B256, B256, B256, B256);

impl Journal {
    /// `abi.encode(uint256 chainId, uint256 firstBlock, uint256 lastBlock, bytes32 parentHash,
    /// bytes32 preStateRoot, bytes32 postStateRoot, bytes32 lastBlockHash, bytes32 rulesDigest)`.
    pub fn abi_encode(&self) -> Vec<u8> {
        let words: Words = (
            U256::from(self.chain_id),
            U256::from(self.first_block),
            U256::from(self.last_block),
            self.parent_hash,
            self.pre_state_root,
            self.post_state_root,
            self.last_block_hash,
            self.rules_digest,
        );
        words.abi_encode_params()
    }

    /// Decodes an encoded journal (e.g. from a receipt), rejecting wrong lengths.
    pub fn abi_decode(bytes: &[u8]) -> Option<Self> {
        if bytes.len() != JOURNAL_LEN {
            return None;
        }
        let (chain_id, first, last, parent_hash, pre, post, hash, rules) =
            <Words>::abi_decode_params(bytes).ok()?;
        Some(Self {
            chain_id: chain_id.try_into().ok()?,
            first_block: first.try_into().ok()?,
            last_block: last.try_into().ok()?,
            parent_hash,
            pre_state_root: pre,
            post_state_root: post,
            last_block_hash: hash,
            rules_digest: rules,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::rules_digest;
    use alloy_primitives::hex;

    /// The vector TypeScript checks too (tests/journal_v2_test.ts).
    const FIXTURE: &str = include_str!("../../../tests/fixtures/journal-v2.json");

    fn b256(v: &serde_json::Value) -> B256 {
        v.as_str().unwrap().parse().unwrap()
    }

    #[test]
    fn encodes_eight_words_in_order() {
        let j = Journal {
            chain_id: 31337,
            first_block: 5,
            last_block: 7,
            parent_hash: B256::repeat_byte(0x11),
            pre_state_root: B256::repeat_byte(0x22),
            post_state_root: B256::repeat_byte(0x33),
            last_block_hash: B256::repeat_byte(0x44),
            rules_digest: B256::repeat_byte(0x55),
        };
        let enc = j.abi_encode();
        assert_eq!(enc.len(), JOURNAL_LEN);
        assert_eq!(&enc[..32], B256::from(U256::from(31337)).as_slice());
        assert_eq!(&enc[32..64], B256::from(U256::from(5)).as_slice());
        assert_eq!(&enc[64..96], B256::from(U256::from(7)).as_slice());
        assert_eq!(&enc[96..128], j.parent_hash.as_slice());
        assert_eq!(&enc[128..160], j.pre_state_root.as_slice());
        assert_eq!(&enc[160..192], j.post_state_root.as_slice());
        assert_eq!(&enc[192..224], j.last_block_hash.as_slice());
        assert_eq!(&enc[224..], j.rules_digest.as_slice());
        assert_eq!(Journal::abi_decode(&enc), Some(j));
        assert_eq!(Journal::abi_decode(&enc[1..]), None);
    }

    #[test]
    fn matches_the_shared_fixture() {
        let f: serde_json::Value = serde_json::from_str(FIXTURE).unwrap();
        for case in f["rules"].as_array().unwrap() {
            let quirks: Vec<String> = serde_json::from_value(case["quirks"].clone()).unwrap();
            let got = rules_digest(case["fork"].as_str().unwrap(), &quirks);
            assert_eq!(got, b256(&case["digest"]), "{case}");
        }
        let j = &f["journal"];
        let journal = Journal {
            chain_id: j["chainId"].as_u64().unwrap(),
            first_block: j["firstBlock"].as_u64().unwrap(),
            last_block: j["lastBlock"].as_u64().unwrap(),
            parent_hash: b256(&j["parentHash"]),
            pre_state_root: b256(&j["preStateRoot"]),
            post_state_root: b256(&j["postStateRoot"]),
            last_block_hash: b256(&j["lastBlockHash"]),
            rules_digest: b256(&j["rulesDigest"]),
        };
        let encoded = format!("0x{}", hex::encode(journal.abi_encode()));
        assert_eq!(encoded, f["encoded"].as_str().unwrap());
    }
}
