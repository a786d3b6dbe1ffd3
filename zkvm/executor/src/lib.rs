//! Stateless L2 block executor.
//!
//! Given a batch of consecutive blocks and one witness (trie nodes, codes, ancestor headers),
//! re-executes the blocks in order with revm/alloy-evm on one sparse Merkle-Patricia trie and
//! checks every commitment in every header. The native host and the zkVM guest both call [`execute`]; its success is what a
//! proof attests. The library has no threads, files or clock of its own.

pub mod block;
pub mod clock;
pub mod collision;
pub mod db;
pub mod error;
pub mod execute;
pub mod fork;
pub mod input;
pub mod journal;
#[cfg(feature = "json")]
pub mod json;
pub mod overlay;
pub mod quirks;
pub mod rules;
pub mod state;
pub mod trie;
pub mod validate;
pub mod witness;

pub use clock::{Clock, NoClock, Phases};
pub use error::{ErrorKind, ExecError};
pub use execute::{execute, BlockOutcome, Execution};
pub use fork::Fork;
pub use input::{InputWire, ProverInput, WitnessWire, INPUT_VERSION, INPUT_VERSION_1};
pub use journal::{Journal, JOURNAL_LEN};
#[cfg(feature = "json")]
pub use json::{decode_json, parse_json};
pub use quirks::Quirks;
pub use rules::rules_digest;
