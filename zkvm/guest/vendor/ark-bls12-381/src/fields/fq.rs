// Vendored from ark-bls12-381 0.6.0; the one change of this copy (see zkvm/guest/vendor/README.md):
// `FqConfig` multiplies through risc0's bigint2 accelerator in the zkVM. `FqSoftConfig` is the
// upstream derived config, kept for its constants and add/sub code and as the reference the
// guest's crypto_check compares against.
use ark_ff::fields::{Fp384, MontBackend, MontConfig};

#[derive(MontConfig)]
#[modulus = "4002409555221667393417789825735904156556882819939007885332058136124031650490837864442687629129015664037894272559787"]
#[generator = "2"]
#[small_subgroup_base = "3"]
#[small_subgroup_power = "2"]
pub struct FqSoftConfig;
pub type FqSoft = Fp384<MontBackend<FqSoftConfig, 6>>;

pub struct FqConfig;
zkvm_guest_ark_accel::accelerated_mont_config!(FqConfig, FqSoftConfig, 6);
pub type Fq = Fp384<MontBackend<FqConfig, 6>>;

pub const FQ_ONE: Fq = ark_ff::MontFp!("1");
pub const FQ_ZERO: Fq = ark_ff::MontFp!("0");
