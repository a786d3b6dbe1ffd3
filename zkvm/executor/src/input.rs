//! The prover input (DESIGN §1): a bytes-only wire form and the typed form decoded from it.
//!
//! The wire form is plain serde, so the same struct reads the JSON interchange format (hex
//! strings) and any binary serde format the guest prefers (raw bytes); RLP is decoded exactly
//! once, in [`ProverInput::from_wire`], and never again inside the executor.

use alloy_consensus::{Block, Header, Sealed, TxEnvelope};
use alloy_primitives::{keccak256, Bytes};
use alloy_rlp::Decodable;
use serde::{Deserialize, Serialize};

use crate::{quirks::Quirks, ExecError, Fork};

/// The only input version this executor reads.
pub const INPUT_VERSION: u64 = 1;

/// A block with its transactions in the envelope alloy-evm executes.
pub type EthBlock = Block<TxEnvelope>;

/// Bytes-only prover input: what travels between processes (JSON) or into the guest (binary).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InputWire {
    /// Format version, must be [`INPUT_VERSION`].
    pub version: u64,
    /// EIP-155 chain id of the L2.
    pub chain_id: u64,
    /// Lowercase fork name ("prague", "osaka", ...).
    pub fork: String,
    /// RLP of the full block (header, transactions, ommers, withdrawals).
    pub block: Bytes,
    /// `debug_executionWitness`-shaped witness.
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
    /// RLP headers: the parent and every ancestor BLOCKHASH reaches.
    pub headers: Vec<Bytes>,
}

/// The decoded prover input the executor runs on.
#[derive(Debug, Clone)]
pub struct ProverInput {
    /// EIP-155 chain id of the L2.
    pub chain_id: u64,
    /// Fork the block runs under.
    pub fork: Fork,
    /// The block to execute.
    pub block: EthBlock,
    /// Trie nodes, still as RLP: they are decoded lazily, only where execution walks.
    pub state: Vec<Bytes>,
    /// Contract bytecodes.
    pub codes: Vec<Bytes>,
    /// Headers sealed with the hash of their RLP as given.
    pub headers: Vec<Sealed<Header>>,
    /// Spec deviations to reproduce.
    pub quirks: Quirks,
}

impl ProverInput {
    /// Decodes the wire form: checks the version and fork, decodes the block and headers.
    pub fn from_wire(wire: InputWire) -> Result<Self, ExecError> {
        if wire.version != INPUT_VERSION {
            return Err(ExecError::UnsupportedVersion(wire.version));
        }
        let fork = Fork::parse(&wire.fork)?;
        let quirks = Quirks::parse(&wire.quirks)?;
        let block = decode_exact::<EthBlock>(&wire.block, "block")?;
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
            block,
            state: wire.witness.state,
            codes: wire.witness.codes,
            headers,
            quirks,
        })
    }

    /// Encodes back to the wire form (e.g. to hand the guest a binary encoding).
    pub fn to_wire(&self) -> InputWire {
        InputWire {
            version: INPUT_VERSION,
            chain_id: self.chain_id,
            fork: self.fork.name().to_string(),
            block: alloy_rlp::encode(&self.block).into(),
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
            quirks: self.quirks.names(),
        }
    }
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
