//! The prover input (DESIGN §1): a bytes-only wire form and the typed form decoded from it.
//!
//! The wire form is plain serde, so the same struct reads the JSON interchange format (hex
//! strings) and any binary serde format the guest prefers (raw bytes); RLP is decoded exactly
//! once, in [`ProverInput::from_wire`], and never again inside the executor.

use alloy_consensus::{Block, Header, Sealed, TxEnvelope};
use alloy_primitives::{keccak256, Bytes};
use alloy_rlp::Decodable;
use serde::{Deserialize, Serialize};

use crate::{quirks::Quirks, rules, ExecError, Fork};

/// The input version this executor writes: a batch of consecutive blocks.
pub const INPUT_VERSION: u64 = 2;
/// The older single-block version, still read (as a batch of one).
pub const INPUT_VERSION_1: u64 = 1;

/// A block with its transactions in the envelope alloy-evm executes.
pub type EthBlock = Block<TxEnvelope>;

/// Bytes-only prover input: what travels between processes (JSON) or into the guest (binary).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InputWire {
    /// Format version: [`INPUT_VERSION`] (`blocks`) or [`INPUT_VERSION_1`] (`block`).
    pub version: u64,
    /// EIP-155 chain id of the L2.
    pub chain_id: u64,
    /// Lowercase fork name ("prague", "osaka", ...).
    pub fork: String,
    /// Version 1: RLP of the one full block (header, transactions, ommers, withdrawals).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub block: Option<Bytes>,
    /// Version 2: RLP of each full block, consecutive and ascending.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub blocks: Vec<Bytes>,
    /// `debug_executionWitness`-shaped witness (for a batch, the union of the blocks').
    pub witness: WitnessWire,
    /// Opt-in spec deviations of the node that built the block (see [`crate::quirks`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub quirks: Vec<String>,
}

/// Witness in `debug_executionWitness` shape.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WitnessWire {
    /// RLP trie nodes (account and storage tries), any order, extras allowed.
    pub state: Vec<Bytes>,
    /// Contract bytecodes, any order, extras allowed.
    pub codes: Vec<Bytes>,
    /// Preimages of trie keys; informational only, the executor does not need them.
    #[serde(default)]
    pub keys: Vec<Bytes>,
    /// RLP headers: the first block's parent and every ancestor BLOCKHASH reaches.
    pub headers: Vec<Bytes>,
}

/// The decoded prover input the executor runs on.
#[derive(Debug, Clone)]
pub struct ProverInput {
    /// EIP-155 chain id of the L2.
    pub chain_id: u64,
    /// Fork the blocks run under.
    pub fork: Fork,
    /// The blocks to execute, in order (at least one).
    pub blocks: Vec<EthBlock>,
    /// Trie nodes, still as RLP: they are decoded lazily, only where execution walks.
    pub state: Vec<Bytes>,
    /// Contract bytecodes.
    pub codes: Vec<Bytes>,
    /// Headers sealed with the hash of their RLP as given.
    pub headers: Vec<Sealed<Header>>,
    /// Spec deviations to reproduce.
    pub quirks: Quirks,
    /// The quirk names as the input gave them, canonical (sorted, deduplicated): what the
    /// rules digest covers.
    pub quirk_names: Vec<String>,
}

impl ProverInput {
    /// Decodes the wire form: checks the version and fork, decodes the blocks and headers.
    pub fn from_wire(wire: InputWire) -> Result<Self, ExecError> {
        let raw_blocks = match (wire.version, wire.block, wire.blocks.is_empty()) {
            (INPUT_VERSION_1, Some(block), true) => vec![(block, "block".to_string())],
            (INPUT_VERSION_1, _, _) => return Err(bad_shape("version 1 carries one \"block\"")),
            (INPUT_VERSION, None, false) => (wire.blocks.into_iter().enumerate())
                .map(|(i, b)| (b, format!("blocks[{i}]")))
                .collect(),
            (INPUT_VERSION, _, _) => {
                return Err(bad_shape("version 2 carries a non-empty \"blocks\" list"))
            }
            (other, _, _) => return Err(ExecError::UnsupportedVersion(other)),
        };
        let fork = Fork::parse(&wire.fork)?;
        let quirks = Quirks::parse(&wire.quirks)?;
        let blocks = raw_blocks
            .iter()
            .map(|(raw, what)| decode_exact::<EthBlock>(raw, what))
            .collect::<Result<Vec<_>, _>>()?;
        let headers = wire
            .witness
            .headers
            .iter()
            .enumerate()
            .map(|(i, raw)| {
                let header = decode_exact::<Header>(raw, &format!("witness.headers[{i}]"))?;
                Ok(Sealed::new_unchecked(header, keccak256(raw)))
            })
            .collect::<Result<_, ExecError>>()?;
        Ok(Self {
            chain_id: wire.chain_id,
            fork,
            blocks,
            state: wire.witness.state,
            codes: wire.witness.codes,
            headers,
            quirks,
            quirk_names: rules::canonical_quirks(&wire.quirks),
        })
    }

    /// Refuses an input with quirks: what the settlement guest proves is spec rules only.
    pub fn require_spec_rules(&self) -> Result<(), ExecError> {
        if self.quirk_names.is_empty() {
            Ok(())
        } else {
            Err(ExecError::QuirksRefused(self.quirk_names.clone()))
        }
    }

    /// The rules digest the journal commits to (fork and quirk names).
    pub fn rules_digest(&self) -> alloy_primitives::B256 {
        rules::rules_digest(self.fork.name(), &self.quirk_names)
    }

    /// Encodes back to the (version 2) wire form, e.g. to hand the guest a binary encoding.
    pub fn to_wire(&self) -> InputWire {
        InputWire {
            version: INPUT_VERSION,
            chain_id: self.chain_id,
            fork: self.fork.name().to_string(),
            block: None,
            blocks: self
                .blocks
                .iter()
                .map(|b| alloy_rlp::encode(b).into())
                .collect(),
            witness: WitnessWire {
                state: self.state.clone(),
                codes: self.codes.clone(),
                keys: Vec::new(),
                headers: self
                    .headers
                    .iter()
                    .map(|h| alloy_rlp::encode(h.inner()).into())
                    .collect(),
            },
            quirks: self.quirk_names.clone(),
        }
    }
}

/// A version's required block field is missing or the other version's is present.
fn bad_shape(what: &str) -> ExecError {
    ExecError::InputShape(what.to_string())
}

/// Decodes one RLP item and rejects trailing bytes, naming the field on failure.
fn decode_exact<T: Decodable>(raw: &[u8], what: &str) -> Result<T, ExecError> {
    let bad = |reason: String| ExecError::Rlp {
        what: what.to_string(),
        reason,
    };
    let mut buf = raw;
    let value = T::decode(&mut buf).map_err(|e| bad(e.to_string()))?;
    if !buf.is_empty() {
        return Err(bad(format!("{} trailing bytes", buf.len())));
    }
    Ok(value)
}
