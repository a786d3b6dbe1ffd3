//! The JSON interchange format of DESIGN §1, kept at the edge of the library.

use crate::{ExecError, InputWire, ProverInput};

/// Parses prover input JSON and decodes it into a [`ProverInput`].
pub fn decode_json(text: &[u8]) -> Result<ProverInput, ExecError> {
    ProverInput::from_wire(parse_json(text)?)
}

/// Parses prover input JSON into its bytes-only wire form (no RLP decoding yet).
pub fn parse_json(text: &[u8]) -> Result<InputWire, ExecError> {
    serde_json::from_slice(text).map_err(|e| ExecError::Json(e.to_string()))
}
