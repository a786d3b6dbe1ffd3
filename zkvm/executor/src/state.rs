//! Applies the block's state changes to the sparse tries and computes the post-state root.

use alloy_primitives::{keccak256, B256};
use alloy_trie::TrieAccount;
use revm::database::BundleState;

use crate::{db::WitnessDb, trie::SparseTrie, ExecError};

/// Writes every changed account and slot of `bundle` into the tries; returns the new root.
pub fn apply_bundle(db: &mut WitnessDb, bundle: &BundleState) -> Result<B256, ExecError> {
    // Sorted so that, when the witness lacks a node, the error names the same node every run.
    let mut accounts: Vec<_> = bundle.state.iter().collect();
    accounts.sort_unstable_by_key(|(address, _)| **address);

    for (&address, account) in accounts {
        let key = keccak256(address);
        let Some(info) = &account.info else {
            // Self-destructed, or empty and touched (EIP-161): the account leaves the trie.
            db.accounts.delete(&db.witness.nodes, key.as_slice())?;
            continue;
        };
        // An account destroyed and re-created in this block starts from empty storage: its
        // old slots are gone even though the bundle lists only the slots written since.
        let wiped = account.status.was_destroyed();
        if wiped {
            db.storage.insert(address, SparseTrie::empty());
        } else {
            db.storage_trie(address)?;
        }
        let trie = db.storage.get_mut(&address).expect("opened above");
        let mut slots: Vec<_> = account.storage.iter().collect();
        slots.sort_unstable_by_key(|(slot, _)| **slot);
        for (slot, value) in slots {
            if !wiped && !value.is_changed() {
                continue;
            }
            let slot_key = keccak256(B256::from(*slot));
            if value.present_value.is_zero() {
                trie.delete(&db.witness.nodes, slot_key.as_slice())?;
            } else {
                trie.insert(
                    &db.witness.nodes,
                    slot_key.as_slice(),
                    alloy_rlp::encode(value.present_value),
                )?;
            }
        }
        let storage_root = trie.root();
        let leaf = TrieAccount {
            nonce: info.nonce,
            balance: info.balance,
            storage_root,
            code_hash: info.code_hash,
        };
        db.accounts
            .insert(&db.witness.nodes, key.as_slice(), alloy_rlp::encode(leaf))?;
    }
    Ok(db.accounts.root())
}
