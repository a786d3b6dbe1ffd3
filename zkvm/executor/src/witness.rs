//! Indexes the witness by hash and checks the header chain.

use std::collections::BTreeMap;

use alloy_consensus::Header;
use alloy_primitives::{keccak256, map::B256Map, Bytes, B256};

use crate::{trie::NodeMap, ExecError, ProverInput};

/// The witness, indexed: every lookup is by hash, which is what authenticates it.
#[derive(Debug, Default)]
pub struct WitnessIndex {
    /// Trie nodes by keccak256 of their RLP.
    pub nodes: NodeMap,
    /// Bytecodes by keccak256.
    pub codes: B256Map<Bytes>,
    /// Hashes of the parent and the ancestors linked to it, by block number.
    pub ancestors: BTreeMap<u64, B256>,
}

/// Indexes the witness and returns it with the (checked) parent header of the first block.
pub fn index_witness(input: &ProverInput) -> Result<(WitnessIndex, Header), ExecError> {
    let mut index = WitnessIndex::default();
    index.nodes.reserve(input.state.len());
    for node in &input.state {
        index.nodes.insert(keccak256(node), node.clone());
    }
    for code in &input.codes {
        index.codes.insert(keccak256(code), code.clone());
    }
    let parent = link_ancestors(input, &mut index.ancestors)?;
    Ok((index, parent))
}

/// Follows parent hashes from the first block through the witness headers; headers off that
/// chain are extras and ignored.
fn link_ancestors(
    input: &ProverInput,
    ancestors: &mut BTreeMap<u64, B256>,
) -> Result<Header, ExecError> {
    let by_hash: B256Map<&Header> = input
        .headers
        .iter()
        .map(|h| (h.seal(), h.inner()))
        .collect();
    let block = &input
        .blocks
        .first()
        .ok_or_else(|| ExecError::InputShape("the batch has no blocks".into()))?
        .header;
    let parent = *by_hash
        .get(&block.parent_hash)
        .ok_or(ExecError::MissingParentHeader(block.parent_hash))?;
    if parent.number.checked_add(1) != Some(block.number) {
        return Err(ExecError::ParentNumberMismatch {
            parent: parent.number,
            block: block.number,
        });
    }
    let (mut hash, mut header) = (block.parent_hash, parent);
    loop {
        ancestors.insert(header.number, hash);
        match by_hash.get(&header.parent_hash) {
            // A header whose number does not step down by one cannot be the real parent.
            Some(next) if next.number.checked_add(1) == Some(header.number) => {
                hash = header.parent_hash;
                header = next;
            }
            _ => break,
        }
    }
    Ok(parent.clone())
}
