//! Where a block runs. `exec` is the executor library, natively; `risc0` is the seam the
//! guest engineer fills in behind the `risc0` cargo feature.

use std::path::Path;

use serde_json::Value;
use zkvm_executor::{Clock, Execution, ProverInput};

use crate::{
    failure::{Failure, FailureKind},
    BackendName, ReceiptKind,
};

/// Cycle counts of a zkVM run (all None for native execution).
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Cycles {
    /// Total cycles including paging.
    pub total: Option<u64>,
    /// Cycles spent in the guest program.
    pub user: Option<u64>,
    /// Paging cycles.
    pub paging: Option<u64>,
    /// Cycles per executor phase, where the guest reports them.
    pub phases: serde_json::Map<String, Value>,
}

/// What a backend hands back for the result file.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// `exec`, `dev`, or the receipt kind.
    pub mode: String,
    /// Image id (0x…32 bytes): the guest's, or for exec the one its claim names.
    pub image_id: Option<String>,
    /// ABI-encoded journal.
    pub journal: Vec<u8>,
    /// Seal for the L1 verifier (the mock seal for exec and dev mode; empty for STARKs).
    pub seal: Vec<u8>,
    /// Full receipt, serialized by the backend.
    pub receipt: Option<Value>,
    /// Cycle counts.
    pub cycles: Cycles,
    /// Number of segments proved or executed.
    pub segments: u64,
    /// The native execution facts, where the backend ran the executor natively.
    pub execution: Option<Execution>,
    /// zkVM backends: wall times of running the guest and of proving it.
    pub zkvm: Option<ZkvmTimes>,
}

/// Where a zkVM backend's time went, and which prover made the receipt.
#[derive(Debug, Clone)]
pub struct ZkvmTimes {
    /// risc0's executor: the guest run that splits the work into segments.
    pub execute_ms: f64,
    /// Proving and receipt checks; None in dev mode.
    pub prove_ms: Option<f64>,
    /// `cpu`, `cuda` or `bonsai`; None in dev mode.
    pub prover: Option<&'static str>,
}

/// A way to run (and prove) one block.
pub trait Backend {
    /// Name written in the result file.
    fn name(&self) -> &'static str;
    /// Runs the block; the journal must come only from a successful, fully checked execution.
    fn run(&self, input: &ProverInput, clock: &dyn Clock) -> Result<Outcome, Failure>;
}

/// Native execution: the reference semantics and the fastest check. Its seal is the mock seal
/// of the claim `(image_id, sha256(journal))`, the one a risc0 dev-mode receipt carries, so a
/// local mock verifier checks exec results like dev-mode ones.
pub struct ExecBackend {
    /// The image id its claim names (`--image-id`; zero when absent).
    pub image_id: [u8; 32],
}

impl Backend for ExecBackend {
    fn name(&self) -> &'static str {
        "exec"
    }

    fn run(&self, input: &ProverInput, clock: &dyn Clock) -> Result<Outcome, Failure> {
        let execution = zkvm_executor::execute(input, clock)?;
        let journal = execution.journal.abi_encode();
        Ok(Outcome {
            mode: "exec".into(),
            image_id: Some(crate::result::hex(&self.image_id)),
            seal: crate::claim::mock_seal(self.image_id, &journal),
            journal,
            receipt: None,
            cycles: Cycles::default(),
            segments: 0,
            execution: Some(execution),
            zkvm: None,
        })
    }
}

/// Picks the backend named on the command line, or says why it is unavailable.
pub fn select(
    name: BackendName,
    receipt: ReceiptKind,
    image_id: [u8; 32],
) -> Result<Box<dyn Backend>, Failure> {
    match name {
        BackendName::Exec => Ok(Box::new(ExecBackend { image_id })),
        BackendName::Risc0 => risc0_backend(receipt),
    }
}

#[cfg(feature = "risc0")]
fn risc0_backend(receipt: ReceiptKind) -> Result<Box<dyn Backend>, Failure> {
    crate::risc0::backend(receipt)
}

#[cfg(not(feature = "risc0"))]
fn risc0_backend(_receipt: ReceiptKind) -> Result<Box<dyn Backend>, Failure> {
    Err(risc0_unavailable())
}

#[cfg_attr(feature = "risc0", allow(dead_code))]
fn risc0_unavailable() -> Failure {
    Failure::new(
        FailureKind::BackendUnavailable,
        "Risc0Unavailable",
        "this zkvm-host was built without the risc0 backend; rebuild with `--features risc0` \
         or use `--backend exec`",
    )
}

/// `zkvm-host image-id [--dev]`: the guest's image id (needs the risc0 backend and a built
/// guest); `dev`: the dev guest's, which runs inputs with quirks.
pub fn image_id(dev: bool) -> Result<String, Failure> {
    #[cfg(feature = "risc0")]
    return crate::risc0::image_id(dev);
    #[cfg(not(feature = "risc0"))]
    {
        let _ = dev;
        Err(risc0_unavailable())
    }
}

/// `zkvm-host info`: what this build can do, for `l2-prover --version` and release manifests.
pub fn info() -> Value {
    let mut features = vec!["exec"];
    for (on, name) in [
        (cfg!(feature = "risc0"), "risc0"),
        (cfg!(feature = "cuda"), "cuda"),
        (cfg!(feature = "bonsai"), "bonsai"),
    ] {
        if on {
            features.push(name);
        }
    }
    #[cfg(feature = "risc0")]
    let (guest, dev_guest) = {
        let describe = |dev: bool| {
            let kind = if dev {
                crate::risc0::GuestKind::Dev
            } else {
                crate::risc0::GuestKind::Settlement
            };
            let path = crate::risc0::guest_path(kind);
            match image_id(dev) {
                Ok(id) => serde_json::json!({ "path": path, "imageId": id }),
                Err(e) => serde_json::json!({ "path": path, "error": e.message }),
            }
        };
        (describe(false), describe(true))
    };
    #[cfg(not(feature = "risc0"))]
    let (guest, dev_guest) = (Value::Null, Value::Null);
    serde_json::json!({
        "version": env!("CARGO_PKG_VERSION"),
        "features": features,
        "guest": guest,
        "devGuest": dev_guest,
    })
}

/// `zkvm-host verify`: checks a risc0 receipt (needs the risc0 backend).
pub fn verify(result: &Path) -> Result<(), Failure> {
    #[cfg(feature = "risc0")]
    return crate::risc0::verify(result);
    #[cfg(not(feature = "risc0"))]
    {
        std::fs::metadata(result).map_err(|e| {
            Failure::new(
                FailureKind::BadInput,
                "Unreadable",
                format!("cannot read result file {}: {e}", result.display()),
            )
        })?;
        Err(risc0_unavailable())
    }
}
