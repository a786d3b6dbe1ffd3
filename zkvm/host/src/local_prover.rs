//! Local proving of an executed session (CPU, or CUDA with the `cuda` feature), segment by
//! segment, with the preflight of the next segment overlapping the proof of this one.
//!
//! risc0 3.0's `prove_session` runs each segment's preflight (the segment re-executed in Rust to
//! record the trace, one core) and then its proof (the GPU, or every core) in turn: on an H200
//! the GPU sat idle in 37 % of nvidia-smi's samples. Here one thread preflights ahead while the
//! calling thread proves, and the composite receipt is assembled and checked as risc0 does.
//! A session with assumptions (the guest's keccak accelerator calls) goes to `prove_session`,
//! which proves the keccak circuit's batches and resolves them in the composite receipt.

use std::{
    sync::mpsc,
    time::{Duration, Instant},
};

use anyhow::{anyhow, ensure, Context, Result};
use risc0_zkvm::{
    get_prover_server, sha::Digestible, CompositeReceipt, Digest, InnerAssumptionReceipt,
    InnerReceipt, PreflightResults, ProverOpts, ProverServer, Receipt, ReceiptKind, SegmentReceipt,
    Session, SessionStats, VerifierContext,
};
use serde_json::json;

use crate::progress;

/// Environment variable that turns the overlap off (`0`): risc0's own `prove_session`, for
/// comparison, or to hold one preflighted segment less in memory.
pub const PIPELINE_ENV: &str = "ZKVM_PIPELINE";

/// Preflighted segments waiting for the prover. One keeps the prover fed (preflight is faster
/// than a proof) while bounding memory: a 2^20 preflight holds hundreds of MiB.
const PREFLIGHT_AHEAD: usize = 1;

/// A proved session: the receipt (composite unless `opts` asks for more) and risc0's counters.
pub struct Proved {
    /// The receipt, already checked against the session's claim.
    pub receipt: Receipt,
    /// Segments and cycles of the session.
    pub stats: SessionStats,
}

/// Proves `session` on this machine, emitting a `segment` progress event per proved segment.
pub fn prove(mut session: Session, ctx: &VerifierContext, opts: &ProverOpts) -> Result<Proved> {
    let stats = session.stats();
    let total = session.segments.len();
    let prover = get_prover_server(opts)?;
    // Assumptions are resolved inside risc0's prove_session only: the guest's keccak
    // accelerator calls leave one (the keccak circuit's proofs), so a block that hashed with
    // it is proved without the overlap, and says so.
    let assumptions = session.assumptions.len();
    if pipeline_enabled() && assumptions > 0 {
        progress::emit(json!({
            "event": "pipeline",
            "off": "assumptions",
            "assumptions": assumptions,
            "note": "keccak accelerator assumptions: risc0's prove_session proves this session \
                     (no preflight overlap) and its keccak proofs",
        }));
    }
    let receipt = if pipeline_enabled() && assumptions == 0 {
        let composite = prove_composite(&mut session, ctx, opts, prover.as_ref())?;
        let receipt = Receipt::new(
            InnerReceipt::Composite(composite),
            session.journal.clone().unwrap_or_default().bytes,
        );
        if opts.receipt_kind == ReceiptKind::Composite {
            receipt
        } else {
            prover.compress(opts, &receipt)?
        }
    } else {
        session.add_hook(SegmentTimer::new(total));
        prover.prove_session(ctx, &session)?.receipt
    };
    Ok(Proved { receipt, stats })
}

/// Whether `ZKVM_PIPELINE` leaves the overlap on (anything but `0`, `false` or `no`).
fn pipeline_enabled() -> bool {
    !matches!(
        std::env::var(PIPELINE_ENV)
            .map(|v| v.trim().to_lowercase())
            .as_deref(),
        Ok("0" | "false" | "no")
    )
}

/// The segment receipts of `session`, preflighted on a second thread, proved on this one, and
/// put together into a composite receipt whose claim must be the session's.
fn prove_composite(
    session: &mut Session,
    ctx: &VerifierContext,
    opts: &ProverOpts,
    prover: &dyn ProverServer,
) -> Result<CompositeReceipt> {
    let session_claim = session.claim()?;
    // The segment references move to the preflight thread: they are Send, not Sync.
    let refs = std::mem::take(&mut session.segments);
    let total = refs.len();
    let (tx, rx) = mpsc::sync_channel::<Result<(PreflightResults, usize)>>(PREFLIGHT_AHEAD);
    let preflight_opts = opts.clone();

    let segments = std::thread::scope(|scope| -> Result<Vec<_>> {
        scope.spawn(move || {
            // risc0's prover handle is an Rc, so this thread makes its own.
            let preflighter = match get_prover_server(&preflight_opts) {
                Ok(p) => p,
                Err(e) => return drop(tx.send(Err(e))),
            };
            for (i, segment_ref) in refs.into_iter().enumerate() {
                let item = segment_ref
                    .resolve()
                    .and_then(|segment| {
                        let preflight = preflighter.segment_preflight(&segment)?;
                        Ok((preflight, segment.po2()))
                    })
                    .with_context(|| format!("preflight of segment {i}"));
                let failed = item.is_err();
                // A closed channel means the prover gave up; stop preflighting.
                if tx.send(item).is_err() || failed {
                    return;
                }
            }
        });
        let mut receipts = Vec::with_capacity(total);
        let mut waited = Duration::ZERO;
        loop {
            let wait = Instant::now();
            let Ok(preflight) = rx.recv() else { break };
            waited += wait.elapsed();
            let (preflight, po2) = preflight?;
            let index = preflight.segment_index();
            let started = Instant::now();
            let receipt = prover
                .prove_segment_core(ctx, preflight)
                .with_context(|| format!("proof of segment {index}"))?;
            emit_segment(index, total, po2, started.elapsed());
            receipts.push(receipt);
        }
        // Dropping the receiver on an error above ends the preflight thread at its next send.
        drop(rx);
        progress::emit(json!({
            "event": "pipeline",
            "preflightWaitMs": progress::round_ms(waited.as_secs_f64() * 1000.0),
        }));
        Ok(receipts)
    })?;
    ensure!(
        segments.len() == total,
        "proved {} of {total} segments",
        segments.len()
    );

    let verifier_parameters = ctx
        .composite_verifier_parameters()
        .ok_or_else(|| anyhow!("composite receipt verifier parameters missing from context"))?
        .digest();
    let mut composite = empty_composite(verifier_parameters)?;
    composite.segments = segments;
    // The last segment already carries the journal (risc0's executor puts the session output
    // there), so the composite claim must equal the session's, as risc0's prove_session checks.
    composite
        .verify_integrity_with_context(ctx)
        .context("composite receipt integrity")?;
    let claim = composite.claim()?.digest();
    ensure!(
        claim == session_claim.digest(),
        "composite receipt claims {claim}, the session claims {}",
        session_claim.digest()
    );
    Ok(composite)
}

/// A composite receipt with no segments and no assumptions. risc0 marks the type
/// `#[non_exhaustive]` and has no constructor, but its fields are public: decode the empty shell
/// from its bincode form (the three fields in order), then fill in the segments. A layout change
/// in a later risc0 fails the integrity and claim checks above, never silently.
fn empty_composite(verifier_parameters: Digest) -> Result<CompositeReceipt> {
    let shell = (
        Vec::<SegmentReceipt>::new(),
        Vec::<InnerAssumptionReceipt>::new(),
        verifier_parameters,
    );
    let bytes = bincode::serialize(&shell)?;
    bincode::deserialize(&bytes).context("decoding an empty risc0 CompositeReceipt")
}

/// One `segment` progress event: which segment, its size, how long its proof took.
fn emit_segment(index: u32, total: usize, po2: usize, took: Duration) {
    progress::emit(json!({
        "event": "segment",
        "index": index,
        "total": total,
        "po2": po2,
        "ms": progress::round_ms(took.as_secs_f64() * 1000.0),
    }));
}

/// Times each segment of risc0's own `prove_session` (the path without the overlap).
struct SegmentTimer {
    total: usize,
    started: std::cell::Cell<Instant>,
}

impl SegmentTimer {
    fn new(total: usize) -> Self {
        Self {
            total,
            started: std::cell::Cell::new(Instant::now()),
        }
    }
}

impl risc0_zkvm::SessionEvents for SegmentTimer {
    fn on_pre_prove_segment(&self, _: &risc0_zkvm::Segment) {
        self.started.set(Instant::now());
    }

    fn on_post_prove_segment(&self, segment: &risc0_zkvm::Segment) {
        emit_segment(
            segment.index,
            self.total,
            segment.po2(),
            self.started.get().elapsed(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_composite_carries_the_verifier_parameters() {
        let params = Digest::from([7u32; 8]);
        let shell = empty_composite(params).unwrap();
        assert!(shell.segments.is_empty() && shell.assumption_receipts.is_empty());
        assert_eq!(shell.verifier_parameters, params);
    }

    #[test]
    fn pipeline_is_on_unless_turned_off() {
        // SAFETY: tests in this module are the only readers of this variable.
        std::env::remove_var(PIPELINE_ENV);
        assert!(pipeline_enabled());
        for off in ["0", "false", "NO", " 0 "] {
            std::env::set_var(PIPELINE_ENV, off);
            assert!(!pipeline_enabled(), "{off:?}");
        }
        std::env::set_var(PIPELINE_ENV, "1");
        assert!(pipeline_enabled());
        std::env::remove_var(PIPELINE_ENV);
    }
}
