//! The EVM's view of the state: the block's own changes (overlay) over the pre-state tries
//! from the witness, codes by hash, BLOCKHASH from the witness headers.

use std::sync::{
    atomic::{AtomicBool, Ordering},
    Arc, Mutex,
};

use alloy_primitives::{keccak256, map::AddressMap, Address, B256, U256};
use alloy_rlp::Decodable;
use alloy_trie::{TrieAccount, EMPTY_ROOT_HASH, KECCAK_EMPTY};
use revm::{
    bytecode::Bytecode,
    database_interface::{DBErrorMarker, Database, DatabaseCommit},
    state::{Account, AccountInfo},
};

use crate::{
    overlay::{CommitRules, Overlay},
    trie::SparseTrie,
    witness::WitnessIndex,
    ExecError,
};

/// Shared slot for the first database error of a run.
#[derive(Debug, Clone, Default)]
pub struct FirstError(Arc<Mutex<Option<ExecError>>>);

impl FirstError {
    fn record(&self, err: &ExecError) {
        let mut slot = self.0.lock().unwrap_or_else(|p| p.into_inner());
        slot.get_or_insert_with(|| err.clone());
    }

    /// Takes the recorded error, if any.
    pub fn take(&self) -> Option<ExecError> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).take()
    }
}

/// Shared flag: the run loaded an account with storage but no code and a zero nonce, which
/// EIP-7610 makes a creation collision (see [`crate::collision`]).
#[derive(Debug, Clone, Default)]
pub struct Flag(Arc<AtomicBool>);

impl Flag {
    fn set(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    /// Whether it was set.
    pub fn is_set(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// A database error carrying the executor's typed error through revm.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct DbError(pub ExecError);

impl DBErrorMarker for DbError {}

/// State database over the witness. Trie reads resolve nodes lazily and keep them, so the
/// post-state root is later computed on the very tries execution walked.
#[derive(Debug)]
pub struct WitnessDb {
    /// The indexed witness.
    pub witness: WitnessIndex,
    /// The account trie, opened at the parent's state root.
    pub accounts: SparseTrie,
    /// Storage tries of the accounts read so far, opened at their pre-state storage roots.
    pub storage: AddressMap<SparseTrie>,
    /// Changes committed by the block so far.
    pub overlay: Overlay,
    /// How commits treat touched empty accounts.
    pub rules: CommitRules,
    /// First error handed to revm: revm wraps it opaquely, so we keep the typed original where
    /// the caller can still read it after the executor (and this database) is consumed.
    pub first_error: FirstError,
    /// Set when a storage-only account is loaded: only then must creations check storage.
    pub storage_only_seen: Flag,
}

impl WitnessDb {
    /// Opens the pre-state at `state_root`.
    pub fn new(witness: WitnessIndex, state_root: B256, rules: CommitRules) -> Self {
        Self {
            witness,
            accounts: SparseTrie::new(state_root),
            storage: AddressMap::default(),
            overlay: Overlay::default(),
            rules,
            first_error: FirstError::default(),
            storage_only_seen: Flag::default(),
        }
    }

    /// Reads an account from the pre-state account trie (None if absent).
    pub fn pre_account(&mut self, address: Address) -> Result<Option<TrieAccount>, ExecError> {
        let key = keccak256(address);
        let Some(rlp) = self.accounts.get(&self.witness.nodes, key.as_slice())? else {
            return Ok(None);
        };
        let account =
            TrieAccount::decode(&mut rlp.as_slice()).map_err(|e| ExecError::InvalidAccount {
                key,
                reason: e.to_string(),
            })?;
        Ok(Some(account))
    }

    /// The storage trie of `address` at its pre-state root, opened on first use.
    pub fn storage_trie(&mut self, address: Address) -> Result<&mut SparseTrie, ExecError> {
        if !self.storage.contains_key(&address) {
            let root = self.pre_account(address)?.map(|a| a.storage_root);
            let trie = root.map_or_else(SparseTrie::empty, SparseTrie::new);
            self.storage.insert(address, trie);
        }
        Ok(self.storage.get_mut(&address).expect("inserted above"))
    }

    fn read_account(&mut self, address: Address) -> Result<Option<AccountInfo>, ExecError> {
        if let Some(current) = self.overlay.accounts.get(&address) {
            return Ok(current.clone());
        }
        let pre = self.pre_account(address)?;
        if pre.is_none() && self.rules.keep_loaded_accounts {
            self.overlay.loaded_absent.push(address);
        }
        if pre.as_ref().is_some_and(|a| {
            a.nonce == 0 && a.code_hash == KECCAK_EMPTY && a.storage_root != EMPTY_ROOT_HASH
        }) {
            self.storage_only_seen.set();
        }
        Ok(pre.map(|a| AccountInfo {
            balance: a.balance,
            nonce: a.nonce,
            code_hash: a.code_hash,
            // Code the witness lacks stays None: revm asks `code_by_hash` only if it runs it,
            // and an account whose code never runs needs no code in the witness.
            code: self.code(a.code_hash),
            ..Default::default()
        }))
    }

    /// Whether `address` holds any storage now: the block's writes over the pre-state (EIP-7610).
    pub fn has_storage(&mut self, address: Address) -> Result<bool, ExecError> {
        if let Some(changed) = self.overlay.storage.get(&address) {
            if changed.slots.values().any(|v| !v.is_zero()) {
                return Ok(true);
            }
            if changed.wiped {
                return Ok(false);
            }
        }
        // A slot the block zeroed may have been the last one: then the trie says.
        let Some(pre) = self.pre_account(address)? else {
            return Ok(false);
        };
        if pre.storage_root == EMPTY_ROOT_HASH {
            return Ok(false);
        }
        let zeroed: Vec<U256> = (self.overlay.storage.get(&address))
            .map(|c| c.slots.keys().copied().collect())
            .unwrap_or_default();
        if zeroed.is_empty() {
            return Ok(true);
        }
        // Rare (a storage-only account whose slots a block cleared): compare against a copy.
        let mut trie = self.storage_trie(address)?.clone();
        for slot in zeroed {
            let key = keccak256(B256::from(slot));
            trie.delete(&self.witness.nodes, key.as_slice())?;
        }
        Ok(trie.root() != EMPTY_ROOT_HASH)
    }

    fn read_storage(&mut self, address: Address, slot: U256) -> Result<U256, ExecError> {
        if let Some(changed) = self.overlay.storage.get(&address) {
            if let Some(value) = changed.slots.get(&slot) {
                return Ok(*value);
            }
            if changed.wiped {
                return Ok(U256::ZERO);
            }
        }
        let key = keccak256(B256::from(slot));
        self.storage_trie(address)?;
        let trie = self.storage.get_mut(&address).expect("opened above");
        match trie.get(&self.witness.nodes, key.as_slice())? {
            None => Ok(U256::ZERO),
            Some(rlp) => U256::decode(&mut rlp.as_slice()).map_err(|e| ExecError::InvalidAccount {
                key,
                reason: format!("storage slot value of {address}: {e}"),
            }),
        }
    }

    fn code(&self, hash: B256) -> Option<Bytecode> {
        if hash == KECCAK_EMPTY {
            return Some(Bytecode::default());
        }
        if let Some(code) = self.overlay.codes.get(&hash) {
            return Some(code.clone());
        }
        self.witness
            .codes
            .get(&hash)
            // `new_raw` panics on a malformed EIP-7702 designator; such code cannot be deployed
            // (EIP-3541), so if a node holds it anyway it runs as the legacy code it looks like.
            .map(|raw| {
                Bytecode::new_raw_checked(raw.clone())
                    .unwrap_or_else(|_| Bytecode::new_legacy(raw.clone()))
            })
    }

    fn fail<T>(&mut self, err: ExecError) -> Result<T, DbError> {
        self.first_error.record(&err);
        Err(DbError(err))
    }
}

impl Database for WitnessDb {
    type Error = DbError;

    fn basic(&mut self, address: Address) -> Result<Option<AccountInfo>, DbError> {
        self.read_account(address).or_else(|e| self.fail(e))
    }

    fn code_by_hash(&mut self, code_hash: B256) -> Result<Bytecode, DbError> {
        match self.code(code_hash) {
            Some(code) => Ok(code),
            None => self.fail(ExecError::MissingCode(code_hash)),
        }
    }

    fn storage(&mut self, address: Address, index: U256) -> Result<U256, DbError> {
        self.read_storage(address, index).or_else(|e| self.fail(e))
    }

    fn block_hash(&mut self, number: u64) -> Result<B256, DbError> {
        match self.witness.ancestors.get(&number) {
            Some(hash) => Ok(*hash),
            None => self.fail(ExecError::MissingAncestor(number)),
        }
    }
}

impl DatabaseCommit for WitnessDb {
    fn commit(&mut self, changes: AddressMap<Account>) {
        self.overlay.commit(changes, self.rules);
    }
}
