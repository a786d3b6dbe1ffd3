//! `zkvm-host run`: read, decode, run on a backend, report, write the result.

use std::{path::Path, time::Instant};

use serde_json::json;
use zkvm_executor::{decode_json, Clock, ProverInput};

use crate::{
    backend::{self, Outcome},
    failure::{Failure, FailureKind},
    progress,
    result::{hex, write_atomic, BlockFacts, FailureRecord, PhaseTimes, Success},
    BackendName, ReceiptKind,
};

/// Wall clock for the executor's phase timings.
struct WallClock(Instant);

impl Clock for WallClock {
    fn now_ms(&self) -> f64 {
        self.0.elapsed().as_secs_f64() * 1000.0
    }
}

/// Runs one block and writes the result file (also on failure, with `ok: false`).
pub fn run(
    input: &Path,
    output: &Path,
    name: BackendName,
    receipt: ReceiptKind,
) -> Result<(), Failure> {
    let clock = WallClock(Instant::now());
    let backend_name = match name {
        BackendName::Exec => "exec",
        BackendName::Risc0 => "risc0",
    };
    let outcome = attempt(input, name, receipt, &clock);
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

fn attempt(
    input: &Path,
    name: BackendName,
    receipt: ReceiptKind,
    clock: &WallClock,
) -> Result<Success, Failure> {
    let backend = backend::select(name, receipt)?;
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
    let (tx_count, gas_used) = match &outcome.execution {
        Some(ex) => {
            let p = ex.phases;
            progress::phase(
                "witness",
                p.witness_ms,
                json!({ "nodes": decoded.state.len() }),
            );
            progress::phase(
                "execute",
                p.execute_ms,
                json!({ "txs": ex.tx_count, "gas": ex.gas_used }),
            );
            progress::phase("stateRoot", p.state_root_ms, json!({}));
            phases.witness_ms = progress::round_ms(p.witness_ms);
            phases.execute_ms = progress::round_ms(p.execute_ms);
            phases.state_root_ms = progress::round_ms(p.state_root_ms);
            (ex.tx_count, ex.gas_used)
        }
        None => (
            decoded.block.body.transactions.len(),
            decoded.block.header.gas_used,
        ),
    };
    let journal = zkvm_executor::Journal::abi_decode(&outcome.journal).ok_or_else(|| {
        Failure::new(
            FailureKind::Internal,
            "BadJournal",
            "backend returned a malformed journal",
        )
    })?;
    let block = BlockFacts {
        chain_id: journal.chain_id,
        number: journal.block_number,
        hash: hex(journal.block_hash.as_slice()),
        parent_hash: hex(journal.parent_hash.as_slice()),
        pre_state_root: hex(journal.pre_state_root.as_slice()),
        post_state_root: hex(journal.post_state_root.as_slice()),
        tx_count,
        gas_used,
    };
    let wall_ms = clock.now_ms();
    progress::emit(json!({ "event": "done", "ok": true, "wallMs": progress::round_ms(wall_ms) }));
    Ok(Success::new(
        backend.name(),
        outcome,
        wall_ms,
        phases,
        block,
    ))
}
