//! What the block has changed so far, layered over the witness tries until the block ends.

use alloy_primitives::{
    map::{AddressMap, B256Map, HashMap},
    U256,
};
use alloy_trie::KECCAK_EMPTY;
use revm::{
    bytecode::Bytecode,
    state::{Account, AccountInfo},
};

/// Storage written by the block for one account.
#[derive(Debug, Clone, Default)]
pub struct StorageOverlay {
    /// The account's pre-state storage no longer counts (created or destroyed in this block).
    pub wiped: bool,
    /// Slots written since (zero means cleared).
    pub slots: HashMap<U256, U256>,
}

/// Post-transaction state of every account the block changed.
#[derive(Debug, Clone, Default)]
pub struct Overlay {
    /// `None`: the account is gone (self-destructed, or empty and touched under EIP-161).
    pub accounts: AddressMap<Option<AccountInfo>>,
    /// Storage changes, by account.
    pub storage: AddressMap<StorageOverlay>,
    /// Code deployed by the block, by hash.
    pub codes: B256Map<Bytecode>,
}

/// How state changes are folded in; the quirks of the input select non-standard behaviour.
#[derive(Debug, Clone, Copy, Default)]
pub struct CommitRules {
    /// Keep touched empty accounts as empty leaves instead of removing them (EIP-161).
    pub keep_touched_empty: bool,
    /// Record every slot a touched account loaded (read or written) at its present value,
    /// zero included, the way a plain in-memory cache database commits.
    pub record_loaded_slots: bool,
}

impl Overlay {
    /// Folds one transaction's (or system call's) state changes in, the way a node's state DB
    /// commits them.
    pub fn commit(
        &mut self,
        changes: impl IntoIterator<Item = (alloy_primitives::Address, Account)>,
        rules: CommitRules,
    ) {
        for (address, account) in changes {
            if !account.is_touched() {
                continue;
            }
            if account.is_selfdestructed() || (account.is_empty() && !rules.keep_touched_empty) {
                // A node that never removes accounts leaves an empty one behind.
                let left = rules.keep_touched_empty.then(AccountInfo::default);
                self.accounts.insert(address, left);
                self.storage.insert(
                    address,
                    StorageOverlay {
                        wiped: true,
                        ..Default::default()
                    },
                );
                continue;
            }
            let created = account.is_created();
            let storage = self.storage.entry(address).or_default();
            if created {
                *storage = StorageOverlay {
                    wiped: true,
                    ..Default::default()
                };
            }
            for (slot, value) in &account.storage {
                if created || value.is_changed() || rules.record_loaded_slots {
                    storage.slots.insert(*slot, value.present_value);
                }
            }
            let mut info = account.info;
            if let Some(code) = &info.code {
                if info.code_hash != KECCAK_EMPTY {
                    self.codes
                        .entry(info.code_hash)
                        .or_insert_with(|| code.clone());
                }
            }
            info.account_id = None;
            self.accounts.insert(address, Some(info));
        }
    }
}
