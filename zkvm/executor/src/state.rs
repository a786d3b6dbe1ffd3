//! Applies the block's state changes to the sparse tries and computes the post-state root.

use alloy_primitives::{keccak256, B256};
use alloy_trie::TrieAccount;

use crate::{db::WitnessDb, trie::SparseTrie, ExecError};

/// Writes every changed account and slot of the overlay into the tries; returns the new root.
/// The tries are then the post-state, which the next block of a batch starts from; the code
/// the block deployed stays available to it.
pub fn apply_overlay(db: &mut WitnessDb) -> Result<B256, ExecError> {
    let mut overlay = std::mem::take(&mut db.overlay);
    db.overlay.codes = std::mem::take(&mut overlay.codes);
    // Under keep-loaded-accounts an absent account the block merely loaded gets an empty leaf.
    for address in std::mem::take(&mut overlay.loaded_absent) {
        overlay
            .accounts
            .entry(address)
            .or_insert_with(|| Some(Default::default()));
    }
    // Under the keep-loaded-slots quirk a zero slot is a leaf holding rlp(0), not a deletion.
    let keep_zero = db.rules.record_loaded_slots;
    // Sorted so that, when the witness lacks a node, the error names the same node every run.
    let mut accounts: Vec<_> = overlay.accounts.into_iter().collect();
    accounts.sort_unstable_by_key(|(address, _)| *address);

    for (address, info) in accounts {
        let key = keccak256(address);
        let Some(info) = info else {
            db.accounts.delete(&db.witness.nodes, key.as_slice())?;
            // Its storage went with it; a later block of the batch must not read the old trie.
            db.storage.remove(&address);
            continue;
        };
        let changes = overlay.storage.get(&address);
        let storage_root = match changes {
            None => match db.pre_account(address)? {
                Some(pre) => pre.storage_root,
                None => alloy_trie::EMPTY_ROOT_HASH,
            },
            Some(changes) => {
                // Created or re-created in this block: the old slots are gone even though
                // only the slots written since are listed.
                if changes.wiped {
                    db.storage.insert(address, SparseTrie::empty());
                } else {
                    db.storage_trie(address)?;
                }
                let trie = db.storage.get_mut(&address).expect("opened above");
                let mut slots: Vec<_> = changes.slots.iter().collect();
                slots.sort_unstable_by_key(|(slot, _)| **slot);
                for (slot, value) in slots {
                    let slot_key = keccak256(B256::from(*slot));
                    if value.is_zero() && !keep_zero {
                        trie.delete(&db.witness.nodes, slot_key.as_slice())?;
                    } else {
                        trie.insert(
                            &db.witness.nodes,
                            slot_key.as_slice(),
                            alloy_rlp::encode(value),
                        )?;
                    }
                }
                trie.root()
            }
        };
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
