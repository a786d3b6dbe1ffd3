//! Fixture → prover input: the pre-state as a full-state witness, the genesis header as the
//! parent, blocks as the RLP the input carries.

use std::collections::BTreeMap;

use alloy_consensus::Header;
use alloy_primitives::{hex, keccak256, Address, Bytes, B256};
use alloy_rlp::Decodable;
use alloy_trie::{proof::ProofRetainer, HashBuilder, Nibbles, TrieAccount, EMPTY_ROOT_HASH};
use zkvm_executor::{input::EthBlock, Fork, InputWire, WitnessWire, INPUT_VERSION};

use crate::fixture::{Account, Fixture};

/// Every node of a trie over `leaves` (key, RLP value) and its root. Nodes shorter than 32
/// bytes live inside their parent; they come out too and are harmless extras in a witness.
pub fn trie_nodes(mut leaves: Vec<(B256, Vec<u8>)>) -> (B256, Vec<Bytes>) {
    if leaves.is_empty() {
        return (EMPTY_ROOT_HASH, Vec::new());
    }
    leaves.sort_unstable_by_key(|(key, _)| *key);
    let targets = leaves.iter().map(|(k, _)| Nibbles::unpack(k)).collect();
    let mut builder = HashBuilder::default().with_proof_retainer(ProofRetainer::new(targets));
    for (key, value) in &leaves {
        builder.add_leaf(Nibbles::unpack(key), value);
    }
    let root = builder.root();
    let nodes = builder.take_proof_nodes().into_nodes_sorted();
    (root, nodes.into_iter().map(|(_, node)| node).collect())
}

/// The storage trie of one account: (root, nodes). Zero slots are not leaves.
fn storage_trie(account: &Account) -> (B256, Vec<Bytes>) {
    let leaves = (account.storage.iter())
        .filter(|(_, value)| !value.is_zero())
        .map(|(slot, value)| (keccak256(B256::from(*slot)), alloy_rlp::encode(value)))
        .collect();
    trie_nodes(leaves)
}

/// A whole state as a witness: its root, every trie node (account and storage tries), and
/// every code.
pub struct StateWitness {
    /// State root of the accounts.
    pub root: B256,
    /// Trie nodes, account trie first.
    pub nodes: Vec<Bytes>,
    /// Non-empty codes.
    pub codes: Vec<Bytes>,
}

/// Builds the full-state witness of `accounts` (what a stateless client needs to run any block
/// on that state).
pub fn state_witness(accounts: &BTreeMap<Address, Account>) -> StateWitness {
    let mut storage_nodes = Vec::new();
    let mut codes = Vec::new();
    let leaves = (accounts.iter())
        .map(|(address, account)| {
            let (storage_root, nodes) = storage_trie(account);
            storage_nodes.extend(nodes);
            if !account.code.is_empty() {
                codes.push(account.code.clone());
            }
            let leaf = TrieAccount {
                nonce: account.nonce.to(),
                balance: account.balance,
                storage_root,
                code_hash: keccak256(&account.code),
            };
            (keccak256(address), alloy_rlp::encode(leaf))
        })
        .collect();
    let (root, mut nodes) = trie_nodes(leaves);
    nodes.extend(storage_nodes);
    StateWitness { root, nodes, codes }
}

/// The state root of `accounts`, as a header commits to it.
pub fn state_root(accounts: &BTreeMap<Address, Account>) -> B256 {
    state_witness(accounts).root
}

/// The executor's fork for an EEST network name; `Err` says why the test is skipped.
pub fn fork_of(network: &str) -> Result<Fork, String> {
    const PRE_MERGE: [&str; 13] = [
        "Frontier",
        "Homestead",
        "EIP150",
        "EIP158",
        "Byzantium",
        "Constantinople",
        "ConstantinopleFix",
        "Petersburg",
        "Istanbul",
        "MuirGlacier",
        "Berlin",
        "London",
        "ArrowGlacier",
    ];
    if PRE_MERGE.contains(&network) || network == "GrayGlacier" {
        return Err(format!("pre-merge network {network}"));
    }
    if network.contains("To") && network.contains("AtTime") || network.contains("AtBlock") {
        return Err(format!("transition network {network} (one fork per input)"));
    }
    let lower = network.to_ascii_lowercase();
    let name = if lower == "merge" { "paris" } else { &lower };
    Fork::parse(name).map_err(|_| format!("fork {network}: the executor has no rules for it"))
}

/// A fixture's genesis header, with its RLP (the parent the first block names).
pub fn genesis_header(fixture: &Fixture) -> Result<(Header, Bytes), String> {
    let block = EthBlock::decode(&mut fixture.genesis_rlp.as_ref())
        .map_err(|e| format!("genesisRLP does not decode: {e}"))?;
    let rlp = Bytes::from(alloy_rlp::encode(&block.header));
    Ok((block.header, rlp))
}

/// Hex of a block's RLP as the fixture gives it; `None` if it is not even hex.
pub fn block_bytes(rlp: &str) -> Option<Bytes> {
    hex::decode(rlp).ok().map(Bytes::from)
}

/// The prover input for `blocks` (consecutive, the first a child of the genesis) on the
/// fixture's pre-state.
pub fn input(
    chain_id: u64,
    fork: Fork,
    witness: &StateWitness,
    genesis_rlp: &Bytes,
    blocks: Vec<Bytes>,
) -> InputWire {
    InputWire {
        version: INPUT_VERSION,
        chain_id,
        fork: fork.name().to_string(),
        block: None,
        blocks,
        witness: WitnessWire {
            state: witness.nodes.clone(),
            codes: witness.codes.clone(),
            keys: Vec::new(),
            headers: vec![genesis_rlp.clone()],
        },
        quirks: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::{U256, U64};

    #[test]
    fn empty_state_has_the_empty_root() {
        assert_eq!(state_root(&BTreeMap::new()), EMPTY_ROOT_HASH);
    }

    #[test]
    fn witness_holds_every_node_the_root_names() {
        let mut accounts = BTreeMap::new();
        for i in 0..40u8 {
            let storage = (0..i as u64).map(|s| (U256::from(s), U256::from(s + 1)));
            accounts.insert(
                Address::repeat_byte(i),
                Account {
                    nonce: U64::from(i),
                    balance: U256::from(1000 + i as u64),
                    code: if i % 3 == 0 {
                        Bytes::from(vec![0x60, i, 0x00])
                    } else {
                        Bytes::new()
                    },
                    storage: storage.collect(),
                },
            );
        }
        let witness = state_witness(&accounts);
        let hashes: std::collections::HashSet<B256> = witness.nodes.iter().map(keccak256).collect();
        assert!(hashes.contains(&witness.root));
        assert_eq!(witness.codes.len(), 14);
    }

    #[test]
    fn networks_map_to_forks_or_skip_reasons() {
        assert_eq!(fork_of("Cancun"), Ok(Fork::Cancun));
        assert_eq!(fork_of("Paris"), Ok(Fork::Paris));
        assert_eq!(fork_of("BPO2"), Ok(Fork::Bpo2));
        assert!(fork_of("London").unwrap_err().contains("pre-merge"));
        assert!(fork_of("ShanghaiToCancunAtTime15k")
            .unwrap_err()
            .contains("transition"));
        assert!(fork_of("Amsterdam").unwrap_err().contains("has no rules"));
    }
}
