//! RISC Zero guest: decode the prover input, run the executor over the batch, commit the
//! ABI-encoded journal (v2).
//!
//! The settlement build refuses inputs with quirks (`QuirksRefused`, bad input): its image id is
//! the one a spec chain's contract trusts. The dev build (feature `allow-quirks`, guest-dev.bin)
//! proves dev chains too; their journals carry a rules digest no spec contract accepts.
//!
//! Runs exactly the code of the native `exec` backend (`zkvm_executor::execute`), so a journal
//! committed here means the same checks passed. Per-phase cycle counts and, on rejection, the
//! executor's error go to stdout as a `GuestReport` for the host; they are not proven.

#![no_main]

use alloy_primitives::Bytes;
use risc0_zkvm::guest::env;
use zkvm_executor::{Clock, ErrorKind, ExecError, ProverInput};
use zkvm_guest_io::{decode_input, GuestReport};

mod crypto;

risc0_zkvm::guest::entry!(main);

/// The executor's clock, read in cycles: its per-phase "milliseconds" come out as cycle counts.
struct CycleClock;

impl Clock for CycleClock {
    fn now_ms(&self) -> f64 {
        // f64 is exact up to 2^53 cycles, far beyond any session.
        env::cycle_count() as f64
    }
}

fn main() {
    // risc0's accelerators behind alloy's and revm's crypto hooks; exec runs the software.
    crypto::install();
    let start = env::cycle_count();
    // One frame (length + bytes) costs two reads; every byte string is then sliced out of it.
    let frame = env::read_frame();
    let read = env::cycle_count();
    let input = decode_input(Bytes::from(frame))
        .map_err(|e| ExecError::Encoding(e.0))
        .and_then(ProverInput::from_wire)
        .and_then(|input| {
            #[cfg(not(feature = "allow-quirks"))]
            input.require_spec_rules()?;
            Ok(input)
        })
        .unwrap_or_else(|e| reject(e));
    let decoded = env::cycle_count();

    let execution = zkvm_executor::execute(&input, &CycleClock).unwrap_or_else(|e| reject(e));
    let executed = env::cycle_count();

    env::commit_slice(&execution.journal.abi_encode());
    let committed = env::cycle_count();

    let p = execution.phases;
    let phases = [
        ("read", read - start),
        ("decode", decoded - read),
        ("witness", p.witness_ms as u64),
        ("recover", p.recover_ms as u64),
        ("execute", (p.execute_ms - p.recover_ms) as u64),
        ("stateRoot", p.state_root_ms as u64),
        // Whatever execute() spends outside its own laps (setup, dropping the tries).
        (
            "other",
            (executed - decoded)
                .saturating_sub((p.witness_ms + p.execute_ms + p.state_root_ms) as u64),
        ),
        ("commit", committed - executed),
    ];
    let report = GuestReport::Ok(phases.iter().map(|(n, c)| (n.to_string(), *c)).collect());
    env::write_slice(&report.encode());
}

/// Tells the host why, then panics: a rejected block must never produce a journal.
fn reject(e: ExecError) -> ! {
    let report = GuestReport::Rejected {
        bad_input: e.kind() == ErrorKind::BadInput,
        code: e.code().to_string(),
        message: e.to_string(),
    };
    env::write_slice(&report.encode());
    panic!("batch rejected: {e}");
}
