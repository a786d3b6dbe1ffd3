// Vendored from ark-bn254 0.6.0; the one change of this copy (see zkvm/guest/vendor/README.md):
// `FqConfig` multiplies through risc0's bigint2 accelerator in the zkVM. `FqSoftConfig` is the
// upstream derived config, kept for its constants and add/sub code and as the reference the
// guest's crypto_check compares against.
use ark_ff::fields::{Fp256, MontBackend, MontConfig};

#[derive(MontConfig)]
#[modulus = "21888242871839275222246405745257275088696311157297823662689037894645226208583"]
#[generator = "3"]
pub struct FqSoftConfig;
pub type FqSoft = Fp256<MontBackend<FqSoftConfig, 4>>;

pub struct FqConfig;
zkvm_guest_ark_accel::accelerated_mont_config!(FqConfig, FqSoftConfig, 4);
pub type Fq = Fp256<MontBackend<FqConfig, 4>>;
