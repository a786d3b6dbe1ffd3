//! The parts of a blockchain-test fixture the converter reads (other fields are ignored).

use std::collections::BTreeMap;

use alloy_primitives::{Address, Bytes, B256, U256, U64};
use serde::{Deserialize, Serialize};

/// One blockchain test.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Fixture {
    /// Fork the test runs under ("Cancun", "Prague", "ShanghaiToCancunAtTime15k", ...).
    pub network: String,
    /// RLP of the genesis block.
    #[serde(rename = "genesisRLP")]
    pub genesis_rlp: Bytes,
    /// Accounts before the first block.
    pub pre: BTreeMap<Address, Account>,
    /// Accounts after the last valid block (or only their root, `postStateHash`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_state: Option<BTreeMap<Address, Account>>,
    /// State root after the last valid block, where the fixture omits `postState`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_state_hash: Option<B256>,
    /// Hash of the last valid block (the genesis hash if none is valid).
    pub lastblockhash: B256,
    /// Chain id and blob schedule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<Config>,
    /// The blocks, in the order a client imports them.
    pub blocks: Vec<FixtureBlock>,
}

/// An account of `pre` or `postState`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Account {
    /// Nonce.
    pub nonce: U64,
    /// Balance in wei.
    pub balance: U256,
    /// Runtime code (empty for an externally owned account).
    pub code: Bytes,
    /// Non-zero storage slots.
    pub storage: BTreeMap<U256, U256>,
}

/// Chain parameters of the test.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Config {
    /// EIP-155 chain id.
    pub chainid: U64,
    /// Blob parameters by fork name ("Cancun", "Prague", "Osaka", "BPO1", ...).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub blob_schedule: BTreeMap<String, BlobEntry>,
}

/// One fork's blob parameters (EIP-7840).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BlobEntry {
    /// Target blobs per block.
    pub target: U64,
    /// Maximum blobs per block.
    pub max: U64,
    /// Base fee update fraction.
    pub base_fee_update_fraction: U64,
}

/// One block of the test.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FixtureBlock {
    /// RLP of the full block (it may not decode when the block is meant to be invalid).
    pub rlp: String,
    /// Why a client must refuse the block (`TransactionException.…|BlockException.…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expect_exception: Option<String>,
}

/// A fixture file: test name → test.
pub type FixtureFile = BTreeMap<String, Fixture>;
