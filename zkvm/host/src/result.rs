//! The result file of docs/zkvm-host.md, written atomically.

use std::{io::Write, path::Path};

use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::{
    backend::{Cycles, Outcome},
    failure::Failure,
    progress::round_ms,
};

/// Result file schema version.
const RESULT_VERSION: u32 = 2;

/// Per-phase wall times in milliseconds.
#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PhaseTimes {
    pub decode_ms: f64,
    pub witness_ms: f64,
    pub execute_ms: f64,
    pub state_root_ms: f64,
    /// zkVM backends: risc0's executor running the guest.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zkvm_execute_ms: Option<f64>,
    /// zkVM backends with a real proof: proving, until the receipt is checked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prove_ms: Option<f64>,
}

/// Facts about the proven block; for a batch, the batch as one span (number and hash of the
/// last block, parent hash and pre-state root of the first block's parent, totals), so that
/// single-block readers keep working.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BlockFacts {
    pub chain_id: u64,
    pub number: u64,
    pub hash: String,
    pub parent_hash: String,
    pub pre_state_root: String,
    pub post_state_root: String,
    pub tx_count: usize,
    pub gas_used: u64,
}

/// Facts about the proven batch: the journal's fields, decoded, and each block.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BatchFacts {
    pub chain_id: u64,
    pub first_block: u64,
    pub last_block: u64,
    pub parent_hash: String,
    pub pre_state_root: String,
    pub post_state_root: String,
    pub last_block_hash: String,
    pub rules_digest: String,
    pub tx_count: usize,
    pub gas_used: u64,
    /// Each block, where the backend ran the executor natively (empty otherwise).
    pub blocks: Vec<BlockEntry>,
}

/// One block of a batch.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BlockEntry {
    pub number: u64,
    pub hash: String,
    pub state_root: String,
    pub tx_count: usize,
    pub gas_used: u64,
}

/// A successful run.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Success {
    version: u32,
    ok: bool,
    backend: String,
    mode: String,
    image_id: Option<String>,
    journal: String,
    journal_digest: String,
    seal: String,
    receipt: Option<Value>,
    cycles: Cycles,
    segments: u64,
    /// What made the receipt: `cpu`, `cuda` or `bonsai` (absent for exec and dev mode).
    #[serde(skip_serializing_if = "Option::is_none")]
    prover: Option<&'static str>,
    wall_ms: f64,
    phases: PhaseTimes,
    block: BlockFacts,
    batch: BatchFacts,
}

impl Success {
    /// Assembles the success record from a backend outcome.
    pub fn new(
        backend: &str,
        outcome: Outcome,
        wall_ms: f64,
        mut phases: PhaseTimes,
        (block, batch): (BlockFacts, BatchFacts),
    ) -> Self {
        let zkvm = outcome.zkvm.as_ref();
        phases.zkvm_execute_ms = zkvm.map(|z| round_ms(z.execute_ms));
        phases.prove_ms = zkvm.and_then(|z| z.prove_ms).map(round_ms);
        Self {
            version: RESULT_VERSION,
            ok: true,
            backend: backend.into(),
            mode: outcome.mode,
            image_id: outcome.image_id,
            journal_digest: hex(&Sha256::digest(&outcome.journal)),
            journal: hex(&outcome.journal),
            seal: hex(&outcome.seal),
            receipt: outcome.receipt,
            cycles: outcome.cycles,
            segments: outcome.segments,
            prover: zkvm.and_then(|z| z.prover),
            wall_ms: round_ms(wall_ms),
            phases,
            block,
            batch,
        }
    }
}

/// A failed run.
#[derive(Debug, Serialize)]
pub struct FailureRecord<'a> {
    version: u32,
    ok: bool,
    backend: &'a str,
    error: &'a Failure,
}

impl<'a> FailureRecord<'a> {
    /// Wraps a failure for the result file.
    pub fn new(backend: &'a str, error: &'a Failure) -> Self {
        Self {
            version: RESULT_VERSION,
            ok: false,
            backend,
            error,
        }
    }
}

/// 0x-prefixed lowercase hex, as every result field is written.
pub fn hex(bytes: &[u8]) -> String {
    alloy_primitives::hex::encode_prefixed(bytes)
}

/// Writes `value` as JSON to a temp file beside `path`, then renames it over `path`, so a
/// reader never sees a half-written result.
pub fn write_atomic(path: &Path, value: &impl Serialize) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let write = || -> std::io::Result<()> {
        let mut f = std::fs::File::create(&tmp)?;
        serde_json::to_writer_pretty(&mut f, value)?;
        f.write_all(b"\n")?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    };
    write().inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_is_prefixed_lowercase() {
        assert_eq!(hex(&[0xab, 0x01]), "0xab01");
        assert_eq!(hex(&[]), "0x");
    }

    #[test]
    fn atomic_write_replaces_file_and_leaves_no_temp() {
        let dir = std::env::temp_dir().join(format!("zkvm-host-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("r.json");
        write_atomic(&path, &serde_json::json!({"a": 1})).unwrap();
        write_atomic(&path, &serde_json::json!({"a": 2})).unwrap();
        let v: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        assert_eq!(v["a"], 2);
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
