//! The EVM's view of the pre-state: account and storage tries from the witness, codes by
//! hash, BLOCKHASH from the witness headers.

use alloy_primitives::{keccak256, map::AddressMap, Address, B256, U256};
use alloy_rlp::Decodable;
use alloy_trie::{TrieAccount, KECCAK_EMPTY};
use revm::{
    bytecode::Bytecode,
    database_interface::{DBErrorMarker, Database},
    state::AccountInfo,
};

use crate::{trie::SparseTrie, witness::WitnessIndex, ExecError};

/// A database error carrying the executor's typed error through revm.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct DbError(pub ExecError);

impl DBErrorMarker for DbError {}

/// Pre-state database over the witness. Reads resolve trie nodes lazily and keep them, so the
/// post-state root is later computed on the very tries execution walked.
#[derive(Debug)]
pub struct WitnessDb {
    /// The indexed witness.
    pub witness: WitnessIndex,
    /// The account trie, opened at the parent's state root.
    pub accounts: SparseTrie,
    /// Storage tries of the accounts read so far, opened at their pre-state storage roots.
    pub storage: AddressMap<SparseTrie>,
    /// First error handed to revm: revm wraps it opaquely, so we keep the typed original.
    pub first_error: Option<ExecError>,
}

impl WitnessDb {
    /// Opens the pre-state at `state_root`.
    pub fn new(witness: WitnessIndex, state_root: B256) -> Self {
        Self {
            witness,
            accounts: SparseTrie::new(state_root),
            storage: AddressMap::default(),
            first_error: None,
        }
    }

    /// Reads an account from the account trie (None if absent).
    pub fn account(&mut self, address: Address) -> Result<Option<TrieAccount>, ExecError> {
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
            let root = self.account(address)?.map(|a| a.storage_root);
            let trie = root.map_or_else(SparseTrie::empty, SparseTrie::new);
            self.storage.insert(address, trie);
        }
        Ok(self.storage.get_mut(&address).expect("inserted above"))
    }

    fn read_storage(&mut self, address: Address, slot: U256) -> Result<U256, ExecError> {
        let key = keccak256(B256::from(slot));
        let nodes = &self.witness.nodes;
        // Split borrow: the trie lives in `self.storage`, the nodes in `self.witness`.
        let trie = match self.storage.get_mut(&address) {
            Some(t) => t,
            None => {
                self.storage_trie(address)?;
                return self.read_storage(address, slot);
            }
        };
        match trie.get(nodes, key.as_slice())? {
            None => Ok(U256::ZERO),
            Some(rlp) => U256::decode(&mut rlp.as_slice()).map_err(|e| ExecError::InvalidAccount {
                key,
                reason: format!("storage slot value of {address}: {e}"),
            }),
        }
    }

    fn code(&self, hash: B256) -> Option<Bytecode> {
        self.witness
            .codes
            .get(&hash)
            .map(|raw| Bytecode::new_raw(raw.clone()))
    }

    fn fail<T>(&mut self, err: ExecError) -> Result<T, DbError> {
        self.first_error.get_or_insert_with(|| err.clone());
        Err(DbError(err))
    }
}

impl Database for WitnessDb {
    type Error = DbError;

    fn basic(&mut self, address: Address) -> Result<Option<AccountInfo>, DbError> {
        let account = match self.account(address) {
            Ok(a) => a,
            Err(e) => return self.fail(e),
        };
        Ok(account.map(|a| AccountInfo {
            balance: a.balance,
            nonce: a.nonce,
            code_hash: a.code_hash,
            // Code that the witness lacks stays None: revm asks `code_by_hash` only if it runs
            // it, and an account whose code is never run needs no code in the witness.
            code: if a.code_hash == KECCAK_EMPTY {
                Some(Bytecode::default())
            } else {
                self.code(a.code_hash)
            },
            ..Default::default()
        }))
    }

    fn code_by_hash(&mut self, code_hash: B256) -> Result<Bytecode, DbError> {
        if code_hash == KECCAK_EMPTY {
            return Ok(Bytecode::default());
        }
        match self.code(code_hash) {
            Some(code) => Ok(code),
            None => self.fail(ExecError::MissingCode(code_hash)),
        }
    }

    fn storage(&mut self, address: Address, index: U256) -> Result<U256, DbError> {
        match self.read_storage(address, index) {
            Ok(v) => Ok(v),
            Err(e) => self.fail(e),
        }
    }

    fn block_hash(&mut self, number: u64) -> Result<B256, DbError> {
        match self.witness.ancestors.get(&number) {
            Some(hash) => Ok(*hash),
            None => self.fail(ExecError::MissingAncestor(number)),
        }
    }
}
