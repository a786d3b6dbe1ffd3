//! `zkvm-host run`: read, decode, run on a backend, report, write the result.

use std::{path::Path, time::Instant};

use serde_json::json;
use zkvm_executor::{decode_json, Clock, Execution, Journal, ProverInput};

use crate::{
    backend::{self, Outcome},
    failure::{Failure, FailureKind},
    progress,
    result::{
        hex, write_atomic, BatchFacts, BlockEntry, BlockFacts, FailureRecord, PhaseTimes, Success,
    },
    BackendName, ReceiptKind,
};

/// Wall clock for the executor's phase timings.
struct WallClock(Instant);

impl Clock for WallClock {
    fn now_ms(&self) -> f64 {
        self.0.elapsed().as_secs_f64() * 1000.0
    }
}

/// How to run: the backend, the receipt kind, and the image id the claim names.
#[derive(Clone, Copy)]
pub struct RunOptions {
    pub backend: BackendName,
    pub receipt: ReceiptKind,
    /// `--image-id`: for exec, the id its mock seal's claim names (zero when absent); for risc0,
    /// the id the loaded guest must have.
    pub image_id: Option<[u8; 32]>,
}

/// Runs one batch and writes the result file (also on failure, with `ok: false`).
pub fn run(input: &Path, output: &Path, opts: RunOptions) -> Result<(), Failure> {
    let name = opts.backend;
    let clock = WallClock(Instant::now());
    let backend_name = match name {
        BackendName::Exec => "exec",
        BackendName::Risc0 => "risc0",
    };
    let outcome = attempt(input, opts, &clock);
    let written = match &outcome {
        Ok(success) => write_atomic(output, success),
        Err(failure) => write_atomic(output, &FailureRecord::new(backend_name, failure)),
    };
    if let Err(e) = written {
        // The block's own failure is the more useful report, but a lost result is worse.
        return Err(Failure::new(
            FailureKind::Internal,
            "ResultWrite",
            format!("cannot write result file {}: {e}", output.display()),
        ));
    }
    outcome.map(|_| ())
}

fn attempt(input: &Path, opts: RunOptions, clock: &WallClock) -> Result<Success, Failure> {
    let backend = backend::select(
        opts.backend,
        opts.receipt,
        opts.image_id.unwrap_or_default(),
    )?;
    let raw = std::fs::read(input).map_err(|e| {
        Failure::new(
            FailureKind::BadInput,
            "Unreadable",
            format!("cannot read input file {}: {e}", input.display()),
        )
    })?;
    let decoded: ProverInput = decode_json(&raw)?;
    let decode_ms = clock.now_ms();
    progress::phase("decode", decode_ms, json!({ "bytes": raw.len() }));

    let outcome: Outcome = backend.run(&decoded, clock)?;
    let mut phases = PhaseTimes {
        decode_ms: progress::round_ms(decode_ms),
        ..Default::default()
    };
    if let Some(ex) = &outcome.execution {
        let p = ex.phases;
        progress::phase(
            "witness",
            p.witness_ms,
            json!({ "nodes": decoded.state.len() }),
        );
        progress::phase(
            "execute",
            p.execute_ms,
            json!({ "blocks": ex.blocks.len(), "txs": ex.tx_count, "gas": ex.gas_used }),
        );
        progress::phase("stateRoot", p.state_root_ms, json!({}));
        phases.witness_ms = progress::round_ms(p.witness_ms);
        phases.execute_ms = progress::round_ms(p.execute_ms);
        phases.state_root_ms = progress::round_ms(p.state_root_ms);
    }
    if let (Some(want), Some(got)) = (opts.image_id, &outcome.image_id) {
        if hex(&want) != *got {
            return Err(Failure::new(
                FailureKind::BadInput,
                "ImageIdMismatch",
                format!(
                    "--image-id {} is not the image id {got} of the guest this host runs; \
                     rebuild the guest or drop --image-id",
                    hex(&want)
                ),
            ));
        }
    }
    let journal = zkvm_executor::Journal::abi_decode(&outcome.journal).ok_or_else(|| {
        Failure::new(
            FailureKind::Internal,
            "BadJournal",
            "backend returned a malformed journal",
        )
    })?;
    let facts = facts_of(&journal, &decoded, outcome.execution.as_ref());
    let wall_ms = clock.now_ms();
    progress::emit(json!({ "event": "done", "ok": true, "wallMs": progress::round_ms(wall_ms) }));
    Ok(Success::new(
        backend.name(),
        outcome,
        wall_ms,
        phases,
        facts,
    ))
}

/// The result's `block` and `batch` objects, from the journal and the input (and the native
/// execution's per-block facts, where there is one).
fn facts_of(
    journal: &Journal,
    input: &ProverInput,
    execution: Option<&Execution>,
) -> (BlockFacts, BatchFacts) {
    let (tx_count, gas_used) = match execution {
        Some(ex) => (ex.tx_count, ex.gas_used),
        None => input.blocks.iter().fold((0, 0), |(t, g), b| {
            (t + b.body.transactions.len(), g + b.header.gas_used)
        }),
    };
    let blocks = execution
        .map(|ex| {
            ex.blocks
                .iter()
                .map(|b| BlockEntry {
                    number: b.number,
                    hash: hex(b.hash.as_slice()),
                    state_root: hex(b.state_root.as_slice()),
                    tx_count: b.tx_count,
                    gas_used: b.gas_used,
                })
                .collect()
        })
        .unwrap_or_default();
    let block = BlockFacts {
        chain_id: journal.chain_id,
        number: journal.last_block,
        hash: hex(journal.last_block_hash.as_slice()),
        parent_hash: hex(journal.parent_hash.as_slice()),
        pre_state_root: hex(journal.pre_state_root.as_slice()),
        post_state_root: hex(journal.post_state_root.as_slice()),
        tx_count,
        gas_used,
    };
    let batch = BatchFacts {
        chain_id: journal.chain_id,
        first_block: journal.first_block,
        last_block: journal.last_block,
        parent_hash: block.parent_hash.clone(),
        pre_state_root: block.pre_state_root.clone(),
        post_state_root: block.post_state_root.clone(),
        last_block_hash: block.hash.clone(),
        rules_digest: hex(journal.rules_digest.as_slice()),
        tx_count,
        gas_used,
        blocks,
    };
    (block, batch)
}
