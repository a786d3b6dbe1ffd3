//! The public outputs the zkVM commits (DESIGN §3), ABI-encoded for the L1 contract.

use alloy_primitives::{B256, U256};
use alloy_sol_types::SolValue;
use serde::{Deserialize, Serialize};

/// Public outputs of one proven block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Journal {
    /// EIP-155 chain id.
    pub chain_id: u64,
    /// Number of the proven block.
    pub block_number: u64,
    /// Hash of its parent.
    pub parent_hash: B256,
    /// State root before the block (the parent's).
    pub pre_state_root: B256,
    /// State root after the block (checked against the header).
    pub post_state_root: B256,
    /// keccak256 of the RLP header.
    pub block_hash: B256,
}

/// Length of the encoded journal: six 32-byte words.
pub const JOURNAL_LEN: usize = 192;

impl Journal {
    /// `abi.encode(uint256 chainId, uint256 blockNumber, bytes32 parentHash,
    /// bytes32 preStateRoot, bytes32 postStateRoot, bytes32 blockHash)`.
    pub fn abi_encode(&self) -> Vec<u8> {
        (
            U256::from(self.chain_id),
            U256::from(self.block_number),
            self.parent_hash,
            self.pre_state_root,
            self.post_state_root,
            self.block_hash,
        )
            .abi_encode_params()
    }

    /// Decodes an encoded journal (e.g. from a receipt), rejecting wrong lengths.
    pub fn abi_decode(bytes: &[u8]) -> Option<Self> {
        if bytes.len() != JOURNAL_LEN {
            return None;
        }
        let (chain_id, number, parent_hash, pre, post, hash) =
            <(U256, U256, B256, B256, B256, B256)>::abi_decode_params(bytes).ok()?;
        Some(Self {
            chain_id: chain_id.try_into().ok()?,
            block_number: number.try_into().ok()?,
            parent_hash,
            pre_state_root: pre,
            post_state_root: post,
            block_hash: hash,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::b256;

    #[test]
    fn encodes_six_words_in_order() {
        let j = Journal {
            chain_id: 31337,
            block_number: 5,
            parent_hash: b256!(
                "0x1111111111111111111111111111111111111111111111111111111111111111"
            ),
            pre_state_root: B256::repeat_byte(0x22),
            post_state_root: B256::repeat_byte(0x33),
            block_hash: B256::repeat_byte(0x44),
        };
        let enc = j.abi_encode();
        assert_eq!(enc.len(), JOURNAL_LEN);
        assert_eq!(&enc[..32], B256::from(U256::from(31337)).as_slice());
        assert_eq!(&enc[32..64], B256::from(U256::from(5)).as_slice());
        assert_eq!(&enc[64..96], j.parent_hash.as_slice());
        assert_eq!(&enc[96..128], j.pre_state_root.as_slice());
        assert_eq!(&enc[128..160], j.post_state_root.as_slice());
        assert_eq!(&enc[160..], j.block_hash.as_slice());
        assert_eq!(Journal::abi_decode(&enc), Some(j));
        assert_eq!(Journal::abi_decode(&enc[1..]), None);
    }
}
