//! What the block has changed so far, layered over the witness tries until the block ends.

use alloy_primitives::{
    map::{AddressMap, B256Map, HashMap},
    Address, U256,
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
    /// Absent accounts the block loaded (kept only under `keep_loaded_accounts`).
    pub loaded_absent: Vec<Address>,
}

/// How state changes are folded in; the quirks of the input select non-standard behaviour.
#[derive(Debug, Clone, Copy, Default)]
pub struct CommitRules {
    /// Never remove accounts (no EIP-161 clearing; self-destruct leaves an empty account), and
    /// give every account the block loads a leaf, the way a node whose trie is built from its
    /// whole cache does.
    pub keep_loaded_accounts: bool,
    /// Record every slot a touched account loaded (read or written) at its present value,
    /// zero included, the way a plain in-memory cache database commits.
    pub record_loaded_slots: bool,
}

impl Overlay {
    /// Folds one transaction's (or system call's) state changes in, the way a node's state DB
    /// commits them.
    pub fn commit(
        &mut self,
        changes: impl IntoIterator<Item = (Address, Account)>,
        rules: CommitRules,
    ) {
        for (address, account) in changes {
            if !account.is_touched() {
                continue;
            }
            if account.is_selfdestructed() || (account.is_empty() && !rules.keep_loaded_accounts) {
                // A node that never removes accounts leaves an empty one behind.
                let left = rules.keep_loaded_accounts.then(AccountInfo::default);
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

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::{address, Address};
    use revm::state::{EvmStorageSlot, TransactionId};

    const A: Address = address!("0x00000000000000000000000000000000000000aa");
    const STANDARD: CommitRules = CommitRules {
        keep_loaded_accounts: false,
        record_loaded_slots: false,
    };
    const ANVIL: CommitRules = CommitRules {
        keep_loaded_accounts: true,
        record_loaded_slots: true,
    };

    fn funded() -> AccountInfo {
        AccountInfo {
            balance: U256::from(5),
            ..Default::default()
        }
    }

    fn with_slots(info: AccountInfo, slots: &[(u64, u64, u64)]) -> Account {
        let mut acc = Account::from(info);
        for &(slot, original, present) in slots {
            acc.storage.insert(
                U256::from(slot),
                EvmStorageSlot::new_changed(
                    U256::from(original),
                    U256::from(present),
                    TransactionId::ZERO,
                ),
            );
        }
        acc.mark_touch();
        acc
    }

    #[test]
    fn untouched_accounts_are_ignored() {
        let mut o = Overlay::default();
        o.commit([(A, Account::from(funded()))], STANDARD);
        assert!(o.accounts.is_empty());
    }

    #[test]
    fn only_changed_slots_are_written_by_default() {
        let mut o = Overlay::default();
        o.commit(
            [(A, with_slots(funded(), &[(1, 1, 2), (2, 3, 3), (4, 4, 0)]))],
            STANDARD,
        );
        let s = &o.storage[&A];
        assert!(!s.wiped);
        assert_eq!(s.slots.len(), 2);
        assert_eq!(s.slots[&U256::from(4)], U256::ZERO);
        assert_eq!(o.accounts[&A], Some(funded()));
    }

    #[test]
    fn loaded_slots_are_recorded_under_the_anvil_rules() {
        let mut o = Overlay::default();
        o.commit([(A, with_slots(funded(), &[(1, 1, 2), (2, 0, 0)]))], ANVIL);
        assert_eq!(o.storage[&A].slots.len(), 2);
    }

    #[test]
    fn touched_empty_account_is_removed_unless_kept() {
        let mut o = Overlay::default();
        o.commit([(A, with_slots(AccountInfo::default(), &[]))], STANDARD);
        assert_eq!(o.accounts[&A], None);
        let mut o = Overlay::default();
        o.commit([(A, with_slots(AccountInfo::default(), &[]))], ANVIL);
        assert_eq!(o.accounts[&A], Some(AccountInfo::default()));
    }

    #[test]
    fn selfdestruct_wipes_storage_and_removes_or_empties() {
        for (rules, left) in [(STANDARD, None), (ANVIL, Some(AccountInfo::default()))] {
            let mut o = Overlay::default();
            o.commit([(A, with_slots(funded(), &[(1, 0, 9)]))], rules);
            let mut gone = with_slots(funded(), &[]);
            gone.mark_selfdestruct();
            o.commit([(A, gone)], rules);
            assert_eq!(o.accounts[&A], left);
            assert!(o.storage[&A].wiped && o.storage[&A].slots.is_empty());
        }
    }

    #[test]
    fn creation_wipes_old_storage_and_keeps_all_new_slots() {
        let mut o = Overlay::default();
        let mut created = with_slots(funded(), &[(7, 0, 1)]);
        created.mark_created();
        o.commit([(A, created)], STANDARD);
        let s = &o.storage[&A];
        assert!(s.wiped);
        assert_eq!(s.slots[&U256::from(7)], U256::from(1));
    }
}
