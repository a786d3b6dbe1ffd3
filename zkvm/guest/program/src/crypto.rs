//! risc0's accelerators behind the hooks alloy and revm offer, installed by the guest only.
//!
//! The executor calls alloy's sender recovery, revm's precompiles and alloy-primitives'
//! `keccak256` as it does natively; here those land on risc0's bigint2 and keccak circuits
//! instead of plain RV32IM software. Wherever the accelerated call declines (returns `None`:
//! an input it rejects or does not cover), the software path of the exec backend answers, so
//! the result and the error are revm's and alloy's own. What the accelerators accept is pinned
//! against that software by `crypto_check` (a second guest binary, run in dev mode by
//! `zkvm/guest/check-dev.sh`).
//!
//! The BN254 pairing, the BLS12-381 precompiles and KZG point evaluation stay revm's arkworks
//! code, but over base fields (and `Fq2`) whose products run on bigint2: the guest builds against
//! vendored ark-ff/ark-bn254/ark-bls12-381 (`../vendor`, `../ark-accel`), with no hook needed here.
//!
//! Still software: blake2, ripemd160, P-256 refusals (a valid P-256 signature is checked by
//! risc0-crypto-evm's `secp256r1_verify`, a refusal again by revm's p256),
//! EIP-7702 authority recovery (alloy-eip7702 calls k256 directly, with no hook), and alloy's
//! incremental `Keccak256` hasher (sha3 crate; the `native-keccak` hook covers the one-shot
//! `keccak256` function only).

use alloy_consensus::crypto::{backend::CryptoProvider, RecoveryError};
use alloy_primitives::{Address, Signature, B256, U256};
use revm::precompile::{Crypto, DefaultCrypto, PrecompileHalt};

/// Installs the accelerated providers; called once, first thing in `main`.
pub fn install() {
    // Both hooks are set-once globals; a second install in one run would be a guest bug.
    let recovery =
        alloy_consensus::crypto::install_default_provider(std::sync::Arc::new(AcceleratedRecovery));
    assert!(recovery.is_ok(), "sender recovery provider installed twice");
    assert!(
        revm::precompile::install_crypto(AcceleratedPrecompiles),
        "precompile crypto installed twice"
    );
}

/// Transaction sender recovery (alloy-consensus's crypto backend) on risc0's secp256k1.
pub struct AcceleratedRecovery;

impl CryptoProvider for AcceleratedRecovery {
    fn recover_signer_unchecked(
        &self,
        sig: &[u8; 65],
        msg: &[u8; 32],
    ) -> Result<Address, RecoveryError> {
        let (rs, v) = sig.split_at(64);
        let rs: &[u8; 64] = rs.try_into().expect("64 bytes");
        // alloy passes the y parity (0 or 1); the crate takes the same recovery id.
        match risc0_crypto_evm::secp256k1_ecrecover(rs, v[0], msg) {
            Some(address) => Ok(address),
            None => software_recover(rs, v[0], msg),
        }
    }

    fn verify_and_compute_signer_unchecked(
        &self,
        pubkey: &[u8; 65],
        sig: &[u8; 64],
        msg: &[u8; 32],
    ) -> Result<Address, RecoveryError> {
        // Not on the executor's path (it recovers, never verifies against a known key).
        let key =
            k256::ecdsa::VerifyingKey::from_sec1_bytes(pubkey).map_err(|_| RecoveryError::new())?;
        let mut signature =
            k256::ecdsa::Signature::from_slice(sig).map_err(|_| RecoveryError::new())?;
        if let Some(low) = signature.normalize_s() {
            signature = low;
        }
        use k256::ecdsa::signature::hazmat::PrehashVerifier;
        key.verify_prehash(msg, &signature)
            .map_err(|_| RecoveryError::new())?;
        Ok(Address::from_public_key(&key))
    }
}

/// alloy's own software recovery (k256), for what the accelerator declines.
pub fn software_recover(
    rs: &[u8; 64],
    parity: u8,
    msg: &[u8; 32],
) -> Result<Address, RecoveryError> {
    if parity > 1 {
        return Err(RecoveryError::new());
    }
    let r = U256::from_be_slice(&rs[..32]);
    let s = U256::from_be_slice(&rs[32..]);
    Signature::new(r, s, parity == 1)
        .recover_address_from_prehash(&B256::from(*msg))
        .map_err(RecoveryError::from)
}

/// revm's precompile crypto: ecrecover, BN254 add/mul, modexp and SHA-256 accelerated; the rest
/// stays revm's default (its pairing, BLS12-381 and KZG code on the vendored bigint2 fields).
#[derive(Debug)]
pub struct AcceleratedPrecompiles;

impl Crypto for AcceleratedPrecompiles {
    fn sha256(&self, input: &[u8]) -> [u8; 32] {
        risc0_crypto_evm::sha256(input)
    }

    fn bn254_g1_add(&self, p1: &[u8], p2: &[u8]) -> Result<[u8; 64], PrecompileHalt> {
        match risc0_crypto_evm::bn254_g1_add(p1, p2) {
            Some(sum) => Ok(sum),
            // An invalid point: revm names the error (and the gas is gone either way).
            None => DefaultCrypto.bn254_g1_add(p1, p2),
        }
    }

    fn bn254_g1_mul(&self, point: &[u8], scalar: &[u8]) -> Result<[u8; 64], PrecompileHalt> {
        match risc0_crypto_evm::bn254_g1_mul(point, scalar) {
            Some(product) => Ok(product),
            None => DefaultCrypto.bn254_g1_mul(point, scalar),
        }
    }

    fn secp256k1_ecrecover(
        &self,
        sig: &[u8; 64],
        recid: u8,
        msg: &[u8; 32],
    ) -> Result<[u8; 32], PrecompileHalt> {
        match risc0_crypto_evm::secp256k1_ecrecover(sig, recid, msg) {
            Some(address) => Ok(address.into_word().0),
            // No point, or r/s out of range: revm's k256 decides (and agrees, see crypto_check).
            // An attacker's invalid signature thus costs software cycles, as every one did before.
            None => DefaultCrypto.secp256k1_ecrecover(sig, recid, msg),
        }
    }

    fn secp256r1_verify_signature(&self, msg: &[u8; 32], sig: &[u8; 64], pk: &[u8; 64]) -> bool {
        // A valid signature is proven valid by the accelerator; for a refusal revm's p256 has
        // the last word (crypto_check finds both agree on every edge case), so an invalid one
        // costs software cycles, as each did before.
        risc0_crypto_evm::secp256r1_verify(msg, sig, pk)
            || DefaultCrypto.secp256r1_verify_signature(msg, sig, pk)
    }

    fn modexp(&self, base: &[u8], exp: &[u8], modulus: &[u8]) -> Result<Vec<u8>, PrecompileHalt> {
        match risc0_crypto_evm::modexp(base, exp, modulus) {
            Some(out) => Ok(out),
            // Moduli above 4096 bits, or a base wider than the modulus' limb width.
            None => DefaultCrypto.modexp(base, exp, modulus),
        }
    }
}

/// alloy-primitives' `native-keccak` hook: every `keccak256(..)` in the guest (trie nodes,
/// witness indexing, KECCAK256 opcode, addresses) goes through risc0's keccak accelerator, whose
/// permutations the keccak circuit proves (assumptions of the receipt).
///
/// # Safety
/// alloy-primitives calls it with `bytes` valid for `len` bytes and `output` for 32.
#[no_mangle]
pub unsafe extern "C" fn native_keccak256(bytes: *const u8, len: usize, output: *mut u8) {
    // SAFETY: the caller's contract above.
    let (input, out) = unsafe {
        (
            core::slice::from_raw_parts(bytes, len),
            &mut *output.cast::<[u8; 32]>(),
        )
    };
    *out = keccak256(input, |state| {
        risc0_zkvm::guest::env::risc0_keccak_update(state)
    });
}

/// Keccak-256 (original padding, 0x01) as a 136-byte-rate sponge over `permute`.
fn keccak256(input: &[u8], mut permute: impl FnMut(&mut [u64; 25])) -> [u8; 32] {
    const RATE: usize = 136;
    let mut state = [0u64; 25];
    let mut chunks = input.chunks_exact(RATE);
    for block in &mut chunks {
        absorb(&mut state, block);
        permute(&mut state);
    }
    let rest = chunks.remainder();
    let mut last = [0u8; RATE];
    last[..rest.len()].copy_from_slice(rest);
    last[rest.len()] ^= 0x01;
    last[RATE - 1] ^= 0x80;
    absorb(&mut state, &last);
    permute(&mut state);
    let mut out = [0u8; 32];
    for (lane, bytes) in state.iter().zip(out.chunks_exact_mut(8)) {
        bytes.copy_from_slice(&lane.to_le_bytes());
    }
    out
}

/// XORs one rate-sized block into the state, lanes little-endian.
fn absorb(state: &mut [u64; 25], block: &[u8]) {
    for (lane, bytes) in state.iter_mut().zip(block.chunks_exact(8)) {
        *lane ^= u64::from_le_bytes(bytes.try_into().expect("8 bytes"));
    }
}
