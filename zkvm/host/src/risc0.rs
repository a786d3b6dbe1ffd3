//! The `risc0` backend: the guest (`zkvm/guest/program`) in the RISC Zero zkVM.
//!
//! `RISC0_DEV_MODE=1` executes the guest and returns risc0's dev-mode (fake) receipt, whose L1
//! seal the mock verifier accepts; otherwise it proves locally (CPU, or CUDA with the `cuda`
//! feature). The guest is loaded at run time from `ZKVM_GUEST_PATH` or `zkvm/guest/out/guest.bin`
//! (written by `make guest`), so rebuilding the guest never needs rebuilding this heavy binary.
//! That settlement guest refuses inputs with quirks; those run on the dev guest
//! (`guest-dev.bin`, feature `allow-quirks`), whose image id differs, and whose journals carry a
//! rules digest no spec chain's contract accepts.

use std::path::{Path, PathBuf};

use risc0_zkvm::{
    compute_image_id, default_prover, get_prover_server, sha::Digestible, Digest, ExecutorEnv,
    ExecutorEnvBuilder, ExecutorImpl, InnerReceipt, NullSegmentRef, ProveInfo, ProverOpts, Receipt,
    ReceiptClaim, Session, VerifierContext,
};
use serde_json::{json, Value};
use zkvm_executor::{Clock, ProverInput, JOURNAL_LEN};
use zkvm_guest_io::{encode_input, GuestReport};

use crate::{
    backend::{Backend, Cycles, Outcome, ZkvmTimes},
    claim,
    failure::{Failure, FailureKind},
    local_prover, progress,
    result::hex,
    ReceiptKind,
};

/// Environment variable naming the guest program binary to load.
pub const GUEST_PATH_ENV: &str = "ZKVM_GUEST_PATH";

/// Environment variable setting the segment size: log2 of the cycles per segment (risc0's
/// default is 20). Larger segments mean fewer, bigger proofs: better GPU use, more memory.
pub const SEGMENT_PO2_ENV: &str = "ZKVM_SEGMENT_PO2";

/// Segment sizes risc0 3.0 proves (its `ProverOpts::max_segment_po2` defaults to 22).
const SEGMENT_PO2_RANGE: std::ops::RangeInclusive<u32> = 14..=22;

/// Bonsai's endpoint and key (risc0's own names): both set means prove on Bonsai.
const BONSAI_URL_ENV: &str = "BONSAI_API_URL";
const BONSAI_KEY_ENV: &str = "BONSAI_API_KEY";

/// Environment variable naming the dev guest (quirks allowed) to load for inputs with quirks.
pub const DEV_GUEST_PATH_ENV: &str = "ZKVM_DEV_GUEST_PATH";

/// Where `make guest` writes the program binary, relative to this crate.
const DEFAULT_GUEST: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../guest/out/guest.bin");
/// Where `make guest` writes the dev guest (feature `allow-quirks`).
const DEFAULT_DEV_GUEST: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../guest/out/guest-dev.bin");

/// How `receipt` objects in result files are encoded (bincode of risc0-zkvm 3.0's `Receipt`).
const RECEIPT_ENCODING: &str = "risc0-zkvm-3/bincode";

/// The loaded guest: program binary (user ELF + kernel) and its image id.
pub struct Guest {
    /// risc0 ProgramBinary bytes.
    pub blob: Vec<u8>,
    /// Image id computed from `blob`.
    pub image_id: Digest,
}

/// Which guest program: the settlement guest (spec rules only) or the dev guest (quirks).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum GuestKind {
    /// `guest.bin`: refuses quirks; the one a spec chain's contract trusts.
    Settlement,
    /// `guest-dev.bin`: allows quirks (dev chains such as anvil).
    Dev,
}

impl GuestKind {
    /// The dev guest for inputs with quirks, the settlement guest otherwise.
    pub fn for_input(input: &ProverInput) -> Self {
        if input.quirk_names.is_empty() {
            Self::Settlement
        } else {
            Self::Dev
        }
    }
}

/// Path of a guest binary: `ZKVM_GUEST_PATH` (`ZKVM_DEV_GUEST_PATH`), else the file of that name
/// beside this executable (a release folder, `make dist`), else the `make guest` output of the
/// checkout it was built in.
pub fn guest_path(kind: GuestKind) -> PathBuf {
    let (env, default) = match kind {
        GuestKind::Settlement => (GUEST_PATH_ENV, DEFAULT_GUEST),
        GuestKind::Dev => (DEV_GUEST_PATH_ENV, DEFAULT_DEV_GUEST),
    };
    if let Some(p) = std::env::var_os(env).filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    let default = PathBuf::from(default);
    std::env::current_exe()
        .ok()
        .zip(default.file_name())
        .and_then(|(exe, name)| exe.parent().map(|dir| dir.join(name)))
        .filter(|beside| beside.is_file())
        .unwrap_or(default)
}

/// Loads the guest and computes its image id; a missing guest is "backend unavailable".
pub fn load_guest(kind: GuestKind) -> Result<Guest, Failure> {
    let path = guest_path(kind);
    let blob = std::fs::read(&path).map_err(|e| {
        Failure::new(
            FailureKind::BackendUnavailable,
            "GuestMissing",
            format!(
                "cannot read the guest program {}: {e}; run `make guest` or set {GUEST_PATH_ENV}",
                path.display()
            ),
        )
    })?;
    let image_id = compute_image_id(&blob).map_err(|e| {
        Failure::new(
            FailureKind::BackendUnavailable,
            "GuestInvalid",
            format!(
                "{} is not a risc0 program binary ({e}); rebuild it with `make guest`",
                path.display()
            ),
        )
    })?;
    Ok(Guest { blob, image_id })
}

/// `zkvm-host image-id`: the image id of the guest this host would run (`dev`: for inputs
/// with quirks).
pub fn image_id(dev: bool) -> Result<String, Failure> {
    let kind = if dev {
        GuestKind::Dev
    } else {
        GuestKind::Settlement
    };
    Ok(format!("0x{}", load_guest(kind)?.image_id))
}

/// The backend for `--backend risc0`.
pub fn backend(receipt: ReceiptKind) -> Result<Box<dyn Backend>, Failure> {
    Ok(Box::new(Risc0Backend { receipt }))
}

struct Risc0Backend {
    receipt: ReceiptKind,
}

impl Backend for Risc0Backend {
    fn name(&self) -> &'static str {
        "risc0"
    }

    fn run(&self, input: &ProverInput, clock: &dyn Clock) -> Result<Outcome, Failure> {
        let guest = load_guest(GuestKind::for_input(input))?;
        let opts = match self.receipt {
            ReceiptKind::Composite => ProverOpts::composite(),
            // Groth16 is succinct + the shrink-wrap below, so a missing Groth16 prover is
            // reported as such and not as a failed proof.
            ReceiptKind::Succinct | ReceiptKind::Groth16 => ProverOpts::succinct(),
        };
        let dev = opts.dev_mode();
        let prove_on = ProveOn::from_env(dev)?;
        let segment_po2 = segment_po2()?;
        if prove_on == ProveOn::Local && !matches!(self.receipt, ReceiptKind::Composite) {
            // Refuse before proving, not after the composite proof has taken its hours.
            require_recursion_programs()?;
        }
        let frame = encode_input(&input.to_wire());

        // Every block is executed here first, Bonsai or not: an invalid block fails in seconds
        // with the guest's own verdict instead of after a remote proving session.
        let started = clock.now_ms();
        let mut stdout = Vec::new();
        let executed = {
            let env = executor_env(&frame, segment_po2)
                .stdout(&mut stdout)
                .build()
                .map_err(|e| internal("ExecutorEnv", e))?;
            execute(env, &guest.blob, prove_on == ProveOn::Local)
        };
        let report = GuestReport::decode(&stdout);
        let session = match executed {
            Ok(session) => session,
            Err(e) => return Err(guest_failure(report, e)),
        };
        let phases = match report {
            Ok(GuestReport::Ok(phases)) => phases,
            other => {
                return Err(Failure::new(
                    FailureKind::Internal,
                    "GuestReport",
                    format!("guest finished without a success report: {other:?}"),
                ))
            }
        };
        if prove_on == ProveOn::Local {
            require_keccak_union(&session)?;
        }
        let segments = session.segments.len();
        let execute_ms = clock.now_ms() - started;
        progress::phase(
            "zkvmExecute",
            execute_ms,
            json!({ "segments": segments, "cycles": session.total_cycles }),
        );

        let proving = clock.now_ms();
        let (mut receipt, stats) = match prove_on {
            ProveOn::Bonsai => {
                let info = prove_on_bonsai(&frame, segment_po2, &guest.blob, self.receipt)
                    .map_err(|e| internal("BonsaiFailed", format!("Bonsai: {e:#}")))?;
                (info.receipt, info.stats)
            }
            ProveOn::Dev => {
                let ctx = VerifierContext::default().with_dev_mode(true);
                let info = get_prover_server(&opts)
                    .and_then(|prover| prover.prove_session(&ctx, &session))
                    .map_err(|e| internal("ProveFailed", format!("{e:#}")))?;
                (info.receipt, info.stats)
            }
            ProveOn::Local => {
                let proved = local_prover::prove(session, &VerifierContext::default(), &opts)
                    .map_err(|e| internal("ProveFailed", format!("{e:#}")))?;
                (proved.receipt, proved.stats)
            }
        };
        let prove_ms = (!dev).then(|| clock.now_ms() - proving);
        if let Some(ms) = prove_ms {
            progress::phase(
                "prove",
                ms,
                json!({
                    "prover": prove_on.name(),
                    "segments": stats.segments,
                    "cycles": stats.total_cycles,
                    "cyclesPerSecond": (stats.total_cycles as f64 / (ms / 1000.0)).round(),
                }),
            );
        }

        if !dev
            && matches!(self.receipt, ReceiptKind::Groth16)
            && !matches!(receipt.inner, InnerReceipt::Groth16(_))
        {
            let t = clock.now_ms();
            receipt = default_prover()
                .compress(&ProverOpts::groth16(), &receipt)
                .map_err(|e| {
                    Failure::new(
                        FailureKind::BackendUnavailable,
                        "Groth16Unavailable",
                        format!(
                            "the STARK proof succeeded but wrapping it in Groth16 failed ({e:#}); \
                             risc0's Groth16 prover needs Docker or rzup's risc0-groth16 \
                             component (x86_64), or Bonsai, or use --receipt succinct"
                        ),
                    )
                })?;
            progress::phase("groth16", clock.now_ms() - t, json!({}));
        }
        let mode = receipt_mode(&receipt);
        let journal = receipt.journal.bytes.clone();
        if journal.len() != JOURNAL_LEN {
            return Err(internal(
                "BadJournal",
                format!("guest committed {} journal bytes", journal.len()),
            ));
        }
        if !dev {
            // The local prover checks its own work, but a receipt that does not verify must
            // never leave this process.
            receipt
                .verify(guest.image_id)
                .map_err(|e| internal("ReceiptInvalid", e))?;
        }
        let seal = l1_seal(&receipt, guest.image_id)?;
        Ok(Outcome {
            mode: mode.into(),
            image_id: Some(format!("0x{}", guest.image_id)),
            journal,
            seal,
            receipt: Some(encode_receipt(&receipt)?),
            cycles: Cycles {
                total: Some(stats.total_cycles),
                user: Some(stats.user_cycles),
                paging: Some(stats.paging_cycles),
                phases: phases
                    .into_iter()
                    .map(|(name, cycles)| (name, Value::from(cycles)))
                    .collect(),
            },
            segments: stats.segments as u64,
            execution: None,
            zkvm: Some(ZkvmTimes {
                execute_ms,
                prove_ms,
                prover: (!dev).then(|| prove_on.name()),
            }),
        })
    }
}

/// Where a proof is made: nowhere (dev mode), on this machine (CPU or CUDA), or on Bonsai.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum ProveOn {
    Dev,
    Local,
    Bonsai,
}

impl ProveOn {
    /// Bonsai when both of its variables are set, as risc0's `default_prover` decides; an
    /// operator who set them must never get a silent local proof instead.
    fn from_env(dev: bool) -> Result<Self, Failure> {
        if dev {
            return Ok(Self::Dev);
        }
        let set = |k: &str| std::env::var_os(k).is_some_and(|v| !v.is_empty());
        match (set(BONSAI_URL_ENV), set(BONSAI_KEY_ENV)) {
            (false, false) => Ok(Self::Local),
            (true, true) if cfg!(feature = "bonsai") => Ok(Self::Bonsai),
            (true, true) => Err(Failure::new(
                FailureKind::BackendUnavailable,
                "BonsaiUnavailable",
                format!(
                    "{BONSAI_URL_ENV} is set but this zkvm-host was built without Bonsai; \
                     rebuild with `make host HOST_FEATURES=bonsai`, or unset {BONSAI_URL_ENV} \
                     and {BONSAI_KEY_ENV} to prove on this machine"
                ),
            )),
            _ => Err(Failure::new(
                FailureKind::BadInput,
                "BonsaiConfig",
                format!(
                    "set both {BONSAI_URL_ENV} and {BONSAI_KEY_ENV} to prove on Bonsai, or \
                     neither to prove on this machine"
                ),
            )),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::Dev => "dev",
            Self::Local if cfg!(feature = "cuda") => "cuda",
            Self::Local => "cpu",
            Self::Bonsai => "bonsai",
        }
    }
}

/// Proves on Bonsai, which returns a succinct receipt (or Groth16, when asked for).
#[cfg(feature = "bonsai")]
fn prove_on_bonsai(
    frame: &[u8],
    segment_po2: Option<u32>,
    blob: &[u8],
    kind: ReceiptKind,
) -> anyhow::Result<ProveInfo> {
    use risc0_zkvm::{BonsaiProver, Prover};
    let opts = match kind {
        ReceiptKind::Groth16 => ProverOpts::groth16(),
        ReceiptKind::Composite | ReceiptKind::Succinct => ProverOpts::succinct(),
    };
    let env = executor_env(frame, segment_po2).build()?;
    BonsaiProver::new("bonsai").prove_with_opts(env, blob, &opts)
}

#[cfg(not(feature = "bonsai"))]
fn prove_on_bonsai(
    _: &[u8],
    _: Option<u32>,
    _: &[u8],
    _: ReceiptKind,
) -> anyhow::Result<ProveInfo> {
    anyhow::bail!("built without the bonsai feature")
}

/// Succinct and Groth16 receipts are made by risc0's recursion programs, which
/// risc0-circuit-recursion downloads at build time; a `ZKVM_OFFLINE` build has none.
fn require_recursion_programs() -> Result<(), Failure> {
    match risc0_circuit_recursion::prove::zkr::get_all_zkrs() {
        Ok(programs) if !programs.is_empty() => Ok(()),
        _ => Err(Failure::new(
            FailureKind::BackendUnavailable,
            "RecursionUnavailable",
            "succinct and groth16 receipts need risc0's recursion programs, and this zkvm-host \
             was built without them (ZKVM_OFFLINE=1: risc0-circuit-recursion could not download \
             them); rebuild it where risc0's artifact bucket is reachable, prove on Bonsai, or \
             ask for --receipt composite",
        )),
    }
}

/// The guest's keccak accelerator calls are proved by risc0's keccak circuit, as assumptions of
/// the receipt that `prove_session` resolves: one keccak proof per 655 permutations (keccak po2
/// 17). More than one of them are joined by risc0's union program (the session's assumption then
/// has the allowed-programs control root), a recursion program a `ZKVM_OFFLINE` build lacks:
/// refuse such a block before proving, not after its segments are proved.
fn require_keccak_union(session: &Session) -> Result<(), Failure> {
    use risc0_circuit_recursion::control_id::ALLOWED_CONTROL_ROOT;
    let needs_union = session
        .assumptions
        .iter()
        .any(|(assumption, _)| assumption.control_root == ALLOWED_CONTROL_ROOT);
    if needs_union && require_recursion_programs().is_err() {
        return Err(Failure::new(
            FailureKind::BackendUnavailable,
            "RecursionUnavailable",
            "this block's keccak accelerator calls need more than one keccak proof, which \
             risc0 joins with its union program, and this zkvm-host was built without the \
             recursion programs (ZKVM_OFFLINE=1); rebuild it where risc0's artifact bucket is \
             reachable, or prove on Bonsai",
        ));
    }
    Ok(())
}

/// The result's `mode`: what the receipt is, which for Bonsai need not be what was asked.
fn receipt_mode(receipt: &Receipt) -> &'static str {
    match receipt.inner {
        InnerReceipt::Fake(_) => "dev",
        InnerReceipt::Composite(_) => "composite",
        InnerReceipt::Succinct(_) => "succinct",
        InnerReceipt::Groth16(_) => "groth16",
        _ => "unknown",
    }
}

/// `ZKVM_SEGMENT_PO2`, when set: a bad value is the operator's input error, not a crash.
fn segment_po2() -> Result<Option<u32>, Failure> {
    let Some(raw) = std::env::var_os(SEGMENT_PO2_ENV).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let raw = raw.to_string_lossy();
    match raw.trim().parse::<u32>() {
        Ok(po2) if SEGMENT_PO2_RANGE.contains(&po2) => Ok(Some(po2)),
        _ => Err(Failure::new(
            FailureKind::BadInput,
            "BadSegmentPo2",
            format!(
                "{SEGMENT_PO2_ENV}={raw:?} is not a segment size risc0 proves; use an integer \
                 from {} to {} (log2 of cycles per segment; default 20)",
                SEGMENT_PO2_RANGE.start(),
                SEGMENT_PO2_RANGE.end()
            ),
        )),
    }
}

/// The guest's environment, the same for the local run and Bonsai: the input frame, and the
/// segment size when one is set.
fn executor_env<'a>(frame: &[u8], segment_po2: Option<u32>) -> ExecutorEnvBuilder<'a> {
    let mut builder = ExecutorEnv::builder();
    builder.write_frame(frame);
    if let Some(po2) = segment_po2 {
        builder.segment_limit_po2(po2);
    }
    builder
}

/// Runs the guest in risc0's executor. Segments are kept (in a temp dir, as risc0's own local
/// prover does) only when this process will prove them.
fn execute(env: ExecutorEnv<'_>, blob: &[u8], keep_segments: bool) -> anyhow::Result<Session> {
    let mut exec = ExecutorImpl::from_elf(env, blob)?;
    if keep_segments {
        exec.run()
    } else {
        exec.run_with_callback(|_| Ok(Box::new(NullSegmentRef)))
    }
}

/// The seal the L1 verifier takes: `0xFFFFFFFF ‖ claim digest` for a dev-mode receipt (what
/// risc0's `RiscZeroMockVerifier` accepts), `selector ‖ proof` for Groth16 (risc0-ethereum's
/// `encode_seal`), empty for STARK receipts, which no L1 verifier takes.
fn l1_seal(receipt: &Receipt, image_id: Digest) -> Result<Vec<u8>, Failure> {
    match &receipt.inner {
        InnerReceipt::Fake(fake) => {
            let digest = fake.claim.digest();
            // The mock verifier rebuilds the claim from (image id, sha256(journal)); a dev-mode
            // claim that differs (e.g. a non-zero exit code) would be rejected on L1, so reject
            // it here with a clearer message.
            let expected = ReceiptClaim::ok(image_id, receipt.journal.bytes.clone()).digest();
            if digest != expected {
                return Err(internal(
                    "ClaimMismatch",
                    format!("dev-mode claim {digest} is not the success claim {expected}"),
                ));
            }
            // The exec backend computes the same seal without risc0 (claim.rs): they must agree.
            let seal = claim::mock_seal(image_id.into(), &receipt.journal.bytes);
            if seal[4..] != *digest.as_bytes() {
                return Err(internal(
                    "ClaimMismatch",
                    format!(
                        "claim.rs computes {} for the claim risc0 digests as {digest}",
                        hex(&seal[4..])
                    ),
                ));
            }
            Ok(seal)
        }
        InnerReceipt::Groth16(g) => {
            let selector = &g.verifier_parameters.as_bytes()[..4];
            Ok([selector, g.seal.as_slice()].concat())
        }
        _ => Ok(Vec::new()),
    }
}

fn encode_receipt(receipt: &Receipt) -> Result<Value, Failure> {
    let bytes = bincode::serialize(receipt).map_err(|e| internal("ReceiptEncode", e))?;
    Ok(json!({ "encoding": RECEIPT_ENCODING, "bytes": hex(&bytes) }))
}

/// Maps a failed zkVM run to the guest's own verdict where it left one.
fn guest_failure(
    report: Result<GuestReport, zkvm_guest_io::DecodeError>,
    err: anyhow::Error,
) -> Failure {
    match report {
        Ok(GuestReport::Rejected {
            bad_input,
            code,
            message,
        }) => Failure::new(
            if bad_input {
                FailureKind::BadInput
            } else {
                FailureKind::InvalidBlock
            },
            &code,
            message,
        ),
        _ => internal("ZkvmFailed", format!("{err:#}")),
    }
}

fn internal(code: &str, e: impl std::fmt::Display) -> Failure {
    Failure::new(FailureKind::Internal, code, format!("risc0 backend: {e}"))
}

/// `zkvm-host verify --result`: checks the receipt in a result file against its image id,
/// journal and seal. Dev-mode receipts verify only with `RISC0_DEV_MODE=1`.
pub fn verify(result: &Path) -> Result<(), Failure> {
    let bad = |code: &str, msg: String| Failure::new(FailureKind::BadInput, code, msg);
    let raw = std::fs::read(result).map_err(|e| {
        bad(
            "Unreadable",
            format!("cannot read result file {}: {e}", result.display()),
        )
    })?;
    let v: Value = serde_json::from_slice(&raw).map_err(|e| {
        bad(
            "BadResult",
            format!("{} is not JSON: {e}", result.display()),
        )
    })?;
    let field = |name: &str| -> Result<Vec<u8>, Failure> {
        let s = v[name].as_str().ok_or_else(|| {
            bad(
                "BadResult",
                format!("result has no string field {name:?}; only risc0 results carry receipts"),
            )
        })?;
        decode_hex(s).ok_or_else(|| bad("BadResult", format!("field {name:?} is not 0x-hex")))
    };
    if v["receipt"]["encoding"].as_str() != Some(RECEIPT_ENCODING) {
        return Err(bad(
            "BadResult",
            format!("result has no receipt in the {RECEIPT_ENCODING} encoding"),
        ));
    }
    let receipt_bytes = v["receipt"]["bytes"]
        .as_str()
        .and_then(decode_hex)
        .ok_or_else(|| bad("BadResult", "receipt.bytes is not 0x-hex".into()))?;
    let receipt: Receipt = bincode::deserialize(&receipt_bytes)
        .map_err(|e| bad("BadResult", format!("receipt does not decode: {e}")))?;
    let image_id = Digest::try_from(field("imageId")?.as_slice())
        .map_err(|_| bad("BadResult", "imageId is not 32 bytes".into()))?;
    let journal = field("journal")?;
    let seal = field("seal")?;

    let invalid = |code: &str, msg: String| Failure::new(FailureKind::InvalidBlock, code, msg);
    if receipt.journal.bytes != journal {
        return Err(invalid(
            "JournalMismatch",
            "the receipt's journal differs from the result's journal".into(),
        ));
    }
    let dev = matches!(receipt.inner, InnerReceipt::Fake(_));
    let ctx = VerifierContext::default().with_dev_mode(dev && dev_mode_env());
    receipt.verify_with_context(&ctx, image_id).map_err(|e| {
        let hint = if dev && !dev_mode_env() {
            " (a dev-mode receipt verifies only with RISC0_DEV_MODE=1)"
        } else {
            ""
        };
        invalid(
            "ReceiptInvalid",
            format!("receipt does not verify: {e}{hint}"),
        )
    })?;
    if l1_seal(&receipt, image_id)? != seal {
        return Err(invalid(
            "SealMismatch",
            "the result's seal is not the L1 encoding of its receipt".into(),
        ));
    }
    Ok(())
}

fn dev_mode_env() -> bool {
    matches!(
        std::env::var("RISC0_DEV_MODE")
            .map(|v| v.to_lowercase())
            .as_deref(),
        Ok("1" | "true" | "yes")
    )
}

// Result files always write the 0x prefix; a field without it is not ours.
fn decode_hex(s: &str) -> Option<Vec<u8>> {
    alloy_primitives::hex::decode(s.strip_prefix("0x")?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips() {
        assert_eq!(
            decode_hex(&hex(&[0, 0xab, 0xff])).unwrap(),
            vec![0, 0xab, 0xff]
        );
        assert!(decode_hex("ab").is_none());
        assert!(decode_hex("0xabc").is_none());
        assert!(decode_hex("0xzz").is_none());
    }

    #[test]
    fn bonsai_needs_both_variables_and_the_feature() {
        // SAFETY: tests in this module are the only readers of these variables.
        std::env::remove_var(BONSAI_URL_ENV);
        std::env::remove_var(BONSAI_KEY_ENV);
        assert_eq!(ProveOn::from_env(false).unwrap(), ProveOn::Local);
        assert_eq!(ProveOn::from_env(true).unwrap(), ProveOn::Dev);
        std::env::set_var(BONSAI_URL_ENV, "http://127.0.0.1:9");
        assert_eq!(
            ProveOn::from_env(false).unwrap_err().code,
            "BonsaiConfig",
            "a URL without a key is a configuration error"
        );
        std::env::set_var(BONSAI_KEY_ENV, "k");
        let both = ProveOn::from_env(false);
        if cfg!(feature = "bonsai") {
            assert_eq!(both.unwrap(), ProveOn::Bonsai);
        } else {
            let e = both.unwrap_err();
            assert_eq!(e.kind, FailureKind::BackendUnavailable);
            assert_eq!(e.code, "BonsaiUnavailable");
        }
        assert_eq!(ProveOn::from_env(true).unwrap(), ProveOn::Dev);
        std::env::remove_var(BONSAI_URL_ENV);
        std::env::remove_var(BONSAI_KEY_ENV);
    }

    #[test]
    fn segment_po2_is_checked() {
        // SAFETY: tests in this module are the only readers of this variable.
        std::env::set_var(SEGMENT_PO2_ENV, "21");
        assert_eq!(segment_po2().unwrap(), Some(21));
        for bad in ["13", "23", "big", "-1"] {
            std::env::set_var(SEGMENT_PO2_ENV, bad);
            let err = segment_po2().unwrap_err();
            assert_eq!(err.kind, FailureKind::BadInput, "{bad}");
            assert!(err.message.contains("from 14 to 22"), "{}", err.message);
        }
        std::env::remove_var(SEGMENT_PO2_ENV);
        assert_eq!(segment_po2().unwrap(), None);
    }

    #[test]
    fn missing_guest_is_backend_unavailable() {
        // SAFETY: tests in this module are the only readers of this variable.
        std::env::set_var(GUEST_PATH_ENV, "/nonexistent/guest.bin");
        let err = load_guest(GuestKind::Settlement).err().unwrap();
        std::env::remove_var(GUEST_PATH_ENV);
        assert_eq!(err.kind, FailureKind::BackendUnavailable);
        assert_eq!(err.code, "GuestMissing");
    }
}
