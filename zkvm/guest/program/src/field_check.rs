//! Part of `crypto_check`: the guest's arkworks base fields (`ark-bn254` and `ark-bls12-381`
//! vendored with a bigint2 multiply, `zkvm/guest/ark-accel`) against arkworks' software field of
//! the same modulus, and the cycles each precompile of the fixture block costs.

use ark_ff::{AdditiveGroup, BigInt, Field, Fp, MontBackend, MontConfig, PrimeField};
use revm::precompile::Precompiles;
use risc0_zkvm::guest::env;

use super::{bytes, Tally};

/// Compares multiply, square, inverse and sum of products of the accelerated config `A` with
/// the software config `S` (same modulus) on edge and random elements, and their constants.
pub fn field<A: MontConfig<N>, S: MontConfig<N>, const N: usize>(t: &mut Tally, label: &str) {
    let soft = |limbs: BigInt<N>| Fp::<MontBackend<S, N>, N>::new_unchecked(limbs);
    // The accelerated config stores elements plainly in the zkVM: convert by value.
    let accel = |x: &Fp<MontBackend<S, N>, N>| {
        Fp::<MontBackend<A, N>, N>::from_bigint(x.into_bigint()).expect("below p")
    };
    let mut p_minus = S::MODULUS;
    p_minus.0[0] -= 1;
    let mut p_minus_2 = p_minus;
    p_minus_2.0[0] -= 1;
    // Montgomery limbs at the edges of [0, p): 0, 1, p - 1, p - 2, R mod p (the element 1), and
    // the plain values 1, 2, -1 in Montgomery form.
    let mut elems: Vec<Fp<MontBackend<S, N>, N>> = vec![
        soft(BigInt::from(0u64)),
        soft(BigInt::from(1u64)),
        soft(p_minus),
        soft(p_minus_2),
        Fp::<MontBackend<S, N>, N>::ONE,
        Fp::<MontBackend<S, N>, N>::from(2u64),
        -Fp::<MontBackend<S, N>, N>::ONE,
    ];
    for i in 0..48u64 {
        let raw = bytes::<64>(label, i);
        elems.push(Fp::<MontBackend<S, N>, N>::from_le_bytes_mod_order(&raw));
    }
    let constants = [
        (
            "one",
            Fp::<MontBackend<A, N>, N>::ONE.into_bigint(),
            Fp::<MontBackend<S, N>, N>::ONE.into_bigint(),
        ),
        (
            "-1",
            (-Fp::<MontBackend<A, N>, N>::ONE).into_bigint(),
            (-Fp::<MontBackend<S, N>, N>::ONE).into_bigint(),
        ),
        (
            "generator",
            A::GENERATOR.into_bigint(),
            S::GENERATOR.into_bigint(),
        ),
        (
            "two-adic root",
            A::TWO_ADIC_ROOT_OF_UNITY.into_bigint(),
            S::TWO_ADIC_ROOT_OF_UNITY.into_bigint(),
        ),
        (
            "7",
            Fp::<MontBackend<A, N>, N>::from(7u64).into_bigint(),
            Fp::<MontBackend<S, N>, N>::from(7u64).into_bigint(),
        ),
    ];
    for (what, a, s) in constants {
        t.case::<_, ()>(&format!("{label} constant {what}"), Some(a), Ok(a), Ok(s));
    }
    let sqrt_a = Fp::<MontBackend<A, N>, N>::from(4u64)
        .sqrt()
        .map(|v| v.square().into_bigint());
    t.case::<_, ()>(
        &format!("{label} sqrt(4)^2"),
        Some(sqrt_a),
        Ok(sqrt_a),
        Ok(Some(BigInt::from(4u64))),
    );
    for (i, x) in elems.iter().enumerate() {
        let y = elems[(i * 7 + 3) % elems.len()];
        let z = elems[(i * 5 + 1) % elems.len()];
        let w = elems[(i * 3 + 2) % elems.len()];
        let (ax, ay) = (accel(x), accel(&y));
        let name = format!("{label} {i}");
        let prod = (ax * ay).into_bigint();
        let soft_prod = (*x * y).into_bigint();
        t.case::<_, ()>(&format!("{name} mul"), Some(prod), Ok(prod), Ok(soft_prod));
        let sq = ax.square().into_bigint();
        t.case::<_, ()>(
            &format!("{name} square"),
            Some(sq),
            Ok(sq),
            Ok(x.square().into_bigint()),
        );
        let sop = A::sum_of_products(&[ax, accel(&z)], &[ay, accel(&w)]).into_bigint();
        let soft_sop = S::sum_of_products(&[*x, z], &[y, w]).into_bigint();
        t.case::<_, ()>(
            &format!("{name} sum of products"),
            Some(sop),
            Ok(sop),
            Ok(soft_sop),
        );
        // Software inverses cost ~100x a product: every fourth element.
        if i % 4 == 0 || i < 7 {
            let inv = ax.inverse().map(|v| v.into_bigint());
            let soft_inv = x.inverse().map(|v| v.into_bigint());
            t.case::<_, ()>(&format!("{name} inverse"), Some(inv), Ok(inv), Ok(soft_inv));
        }
    }
}

/// Compares the accelerated `Fq2` product and square (one bigint2 call, `ark-accel`'s
/// `fp2_mul`/`fp2_square` behind the vendored `ark-ff`'s hook) with the schoolbook formula over
/// the software field `S`: `(a₀b₀ − a₁b₁, a₀b₁ + a₁b₀)`, on edge and random coefficients.
pub fn fp2<A: MontConfig<N>, S: MontConfig<N>, P, const N: usize>(t: &mut Tally, label: &str)
where
    P: ark_ff::Fp2Config<Fp = Fp<MontBackend<A, N>, N>>,
{
    type E<C, const N: usize> = Fp<MontBackend<C, N>, N>;
    let soft = |x: &E<A, N>| E::<S, N>::from_bigint(x.into_bigint()).expect("below p");
    let mut p_minus = A::MODULUS;
    p_minus.0[0] -= 1;
    let mut coeffs: Vec<E<A, N>> = vec![
        E::<A, N>::from(0u64),
        E::<A, N>::from(1u64),
        E::<A, N>::from_bigint(p_minus).expect("p - 1"),
        E::<A, N>::from(2u64),
    ];
    for i in 0..24u64 {
        coeffs.push(E::<A, N>::from_le_bytes_mod_order(&bytes::<64>(
            label,
            1000 + i,
        )));
    }
    let n = coeffs.len();
    for i in 0..n {
        let a = ark_ff::Fp2::<P>::new(coeffs[i], coeffs[(i * 5 + 1) % n]);
        let b = ark_ff::Fp2::<P>::new(coeffs[(i * 7 + 3) % n], coeffs[(i * 3 + 2) % n]);
        let (a0, a1, b0, b1) = (soft(&a.c0), soft(&a.c1), soft(&b.c0), soft(&b.c1));
        let want = (
            (a0 * b0 - a1 * b1).into_bigint(),
            (a0 * b1 + a1 * b0).into_bigint(),
        );
        let got = a * b;
        let got = (got.c0.into_bigint(), got.c1.into_bigint());
        t.case::<_, ()>(&format!("{label} {i} mul"), Some(got), Ok(got), Ok(want));
        let want_sq = (
            (a0 * a0 - a1 * a1).into_bigint(),
            (a0 * a1).double().into_bigint(),
        );
        let sq = a.square();
        let sq = (sq.c0.into_bigint(), sq.c1.into_bigint());
        t.case::<_, ()>(
            &format!("{label} {i} square"),
            Some(sq),
            Ok(sq),
            Ok(want_sq),
        );
    }
}

/// The fixture block's precompile calls (tests/scenarios/precompiles.ts, prague): name,
/// address, input.
const CALLS: &[(&str, u8, &str)] = &[
    ("ecrecover", 1, "df1b6c6bcce6e9db7ee1a70f983ff5ba52ae7b8f3624b184de55b7f02a56db52000000000000000000000000000000000000000000000000000000000000001b71e574b554434cca4ed5cee73c38b9db8f117cc34640f199c1632a3cbb1822b627e9415aab8d83088f694204ccf3825a2b996c65a6960ebee3332080bcc2fe34"),
    ("sha256", 2, "68656c6c6f2c20736861323536"),
    ("ripemd160", 3, "68656c6c6f2c20726970656d64"),
    ("identity", 4, "68656c6c6f2c206964656e74697479"),
    ("modexp", 5, "000000000000000000000000000000000000000000000000000000000000000100000000000000000000000000000000000000000000000000000000000000010000000000000000000000000000000000000000000000000000000000000001030507"),
    ("bn254_add", 6, "0000000000000000000000000000000000000000000000000000000000000001000000000000000000000000000000000000000000000000000000000000000200000000000000000000000000000000000000000000000000000000000000010000000000000000000000000000000000000000000000000000000000000002"),
    ("bn254_mul", 7, "000000000000000000000000000000000000000000000000000000000000000100000000000000000000000000000000000000000000000000000000000000020000000000000000000000000000000000000000000000000000000000000003"),
    ("bn254_pairing", 8, "00000000000000000000000000000000000000000000000000000000000000010000000000000000000000000000000000000000000000000000000000000002198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c21800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6ed090689d0585ff075ec9e99ad690c3395bc4b313370b38ef355acdadcd122975b12c85ea5db8c6deb4aab71808dcb408fe3d1e7690c43d37b4ce6cc0166fa7daa000000000000000000000000000000000000000000000000000000000000000130644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd45198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c21800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6ed090689d0585ff075ec9e99ad690c3395bc4b313370b38ef355acdadcd122975b12c85ea5db8c6deb4aab71808dcb408fe3d1e7690c43d37b4ce6cc0166fa7daa"),
    ("blake2f", 9, "0000000c48c9bdf267e6096a3ba7ca8485ae67bb2bf894fe72f36e3cf1361d5f3af54fa5d182e6ad7f520e511f6c3e2b8c68059b6bbd41fbabd9831f79217e1319cde05b61626300000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000300000000000000000000000000000001"),
    ("point_evaluation", 10, "010657f37554c781402a22917dee2f75def7ab966d7b770905398eba3c44401400000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000c00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000c00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"),
    ("bls12_g1add", 11, "0000000000000000000000000000000017f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb0000000000000000000000000000000008b3f481e3aaa0f1a09e30ed741d8ae4fcf5e095d5d00af600db18cb2c04b3edd03cc744a2888ae40caa232946c5e7e10000000000000000000000000000000017f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb0000000000000000000000000000000008b3f481e3aaa0f1a09e30ed741d8ae4fcf5e095d5d00af600db18cb2c04b3edd03cc744a2888ae40caa232946c5e7e1"),
    ("bls12_g1msm", 12, "0000000000000000000000000000000017f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb0000000000000000000000000000000008b3f481e3aaa0f1a09e30ed741d8ae4fcf5e095d5d00af600db18cb2c04b3edd03cc744a2888ae40caa232946c5e7e100000000000000000000000000000000000000000000000000000000000000050000000000000000000000000000000017f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb0000000000000000000000000000000008b3f481e3aaa0f1a09e30ed741d8ae4fcf5e095d5d00af600db18cb2c04b3edd03cc744a2888ae40caa232946c5e7e10000000000000000000000000000000000000000000000000000000000000007"),
    ("bls12_g2add", 13, "00000000000000000000000000000000024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb80000000000000000000000000000000013e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e000000000000000000000000000000000ce5d527727d6e118cc9cdc6da2e351aadfd9baa8cbdd3a76d429a695160d12c923ac9cc3baca289e193548608b82801000000000000000000000000000000000606c4a02ea734cc32acd2b02bc28b99cb3e287e85a763af267492ab572e99ab3f370d275cec1da1aaa9075ff05f79be00000000000000000000000000000000024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb80000000000000000000000000000000013e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e000000000000000000000000000000000ce5d527727d6e118cc9cdc6da2e351aadfd9baa8cbdd3a76d429a695160d12c923ac9cc3baca289e193548608b82801000000000000000000000000000000000606c4a02ea734cc32acd2b02bc28b99cb3e287e85a763af267492ab572e99ab3f370d275cec1da1aaa9075ff05f79be"),
    ("bls12_g2msm", 14, "00000000000000000000000000000000024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb80000000000000000000000000000000013e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e000000000000000000000000000000000ce5d527727d6e118cc9cdc6da2e351aadfd9baa8cbdd3a76d429a695160d12c923ac9cc3baca289e193548608b82801000000000000000000000000000000000606c4a02ea734cc32acd2b02bc28b99cb3e287e85a763af267492ab572e99ab3f370d275cec1da1aaa9075ff05f79be0000000000000000000000000000000000000000000000000000000000000005"),
    ("bls12_pairing", 15, "0000000000000000000000000000000017f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb0000000000000000000000000000000008b3f481e3aaa0f1a09e30ed741d8ae4fcf5e095d5d00af600db18cb2c04b3edd03cc744a2888ae40caa232946c5e7e100000000000000000000000000000000024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb80000000000000000000000000000000013e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e000000000000000000000000000000000ce5d527727d6e118cc9cdc6da2e351aadfd9baa8cbdd3a76d429a695160d12c923ac9cc3baca289e193548608b82801000000000000000000000000000000000606c4a02ea734cc32acd2b02bc28b99cb3e287e85a763af267492ab572e99ab3f370d275cec1da1aaa9075ff05f79be0000000000000000000000000000000017f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb00000000000000000000000000000000114d1d6855d545a8aa7d76c8cf2e21f267816aef1db507c96655b9d5caac42364e6f38ba0ecb751bad54dcd6b939c2ca00000000000000000000000000000000024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb80000000000000000000000000000000013e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e000000000000000000000000000000000ce5d527727d6e118cc9cdc6da2e351aadfd9baa8cbdd3a76d429a695160d12c923ac9cc3baca289e193548608b82801000000000000000000000000000000000606c4a02ea734cc32acd2b02bc28b99cb3e287e85a763af267492ab572e99ab3f370d275cec1da1aaa9075ff05f79be"),
    ("bls12_map_fp_to_g1", 16, "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001"),
    ("bls12_map_fp2_to_g2", 17, "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000100000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000002"),
];

/// Runs each call of the precompile fixture through revm (with the guest's crypto installed)
/// and returns its cycles, named `cycles.<precompile>`; every call must succeed.
pub fn precompile_cycles() -> Vec<(String, u64)> {
    let precompiles = Precompiles::prague();
    let mut out = Vec::new();
    for (name, address, input) in CALLS {
        let input = alloy_primitives::hex::decode(input).expect("hex");
        let precompile = precompiles
            .get(&alloy_primitives::Address::with_last_byte(*address))
            .expect("prague has it");
        let start = env::cycle_count();
        let result = precompile.execute(&input, 10_000_000, 0);
        let cycles = env::cycle_count() - start;
        match result {
            Ok(output) if !output.is_halt() => {
                out.push((format!("cycles.{name}"), cycles));
                out.push((format!("gas.{name}"), output.gas_used));
            }
            other => super::fail(format!("precompile {name} failed: {other:?}")),
        }
    }
    out
}

/// BN254 G2 generator (EIP-197 order: x.im, x.re, y.im, y.re).
const BN_G2: &str = "198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c21800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6ed090689d0585ff075ec9e99ad690c3395bc4b313370b38ef355acdadcd122975b12c85ea5db8c6deb4aab71808dcb408fe3d1e7690c43d37b4ce6cc0166fa7daa";
/// BLS12-381 G1 and G2 generators (EIP-2537 encoding).
const BLS_G1: &str = "0000000000000000000000000000000017f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb0000000000000000000000000000000008b3f481e3aaa0f1a09e30ed741d8ae4fcf5e095d5d00af600db18cb2c04b3edd03cc744a2888ae40caa232946c5e7e1";
const BLS_G2: &str = "00000000000000000000000000000000024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb80000000000000000000000000000000013e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e000000000000000000000000000000000ce5d527727d6e118cc9cdc6da2e351aadfd9baa8cbdd3a76d429a695160d12c923ac9cc3baca289e193548608b82801000000000000000000000000000000000606c4a02ea734cc32acd2b02bc28b99cb3e287e85a763af267492ab572e99ab3f370d275cec1da1aaa9075ff05f79be";

/// Points on the curve (twist) but outside the prime-order subgroup, found with arkworks
/// (`get_point_from_x_unchecked` from x = 2 + u, 1 + u, 4 and `!is_in_correct_subgroup`).
const BN_G2_OUTSIDE: &str = "000000000000000000000000000000000000000000000000000000000000000100000000000000000000000000000000000000000000000000000000000000022b76c179599bb92a963dac85546a005a777f7c13f6a7b75d5918b6b5808f5fde101f7278419308b95099eca02dcee0c5381f4d26d1d62313f057167f064101ce";
const BLS_G2_OUTSIDE: &str = "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000001000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000010000000000000000000000000000000002066bca274eb64b2410222895b74acec54cf001baf6c7aeeff616820743dce87eddb1700e7a2d717dc4cea5582195e1000000000000000000000000000000001934ffa59d993a4bcbe529440126a8af9f7bff4bc127e15ab9f75688bf07e7157d06cb8933608b225495cba14be0d33d";
const BLS_G1_OUTSIDE: &str = "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000004000000000000000000000000000000000f68763c6572848797dea7f24fd56e3b9d1651fc29f2a7988c92fa42642c72dfbb654711b07221a25b55c1cab5413a3f";

/// Pairing precompiles (0x08, 0x0f) on inputs whose answer is certain: `e(P,Q)·e(-P,Q) = 1`,
/// one pair alone is not 1, infinity pairs to 1, and points off the curve or outside the
/// subgroup, or with a coordinate `>= p`, are errors (`None`). Checks the accelerated fields end to end through arkworks' Miller loop,
/// final exponentiation and point validation.
pub fn pairing_cases(t: &mut Tally) {
    let w = |n: u64| format!("{n:064x}");
    let bn_p = "30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47";
    let bn_minus_2 = "30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd45";
    let g1 = format!("{}{}", w(1), w(2));
    let neg_g1 = format!("{}{bn_minus_2}", w(1));
    let mut g2_off = BN_G2.to_string();
    g2_off.replace_range(127..128, "0"); // last digit of x.re: off the twist
    let one = Some(format!("{:064x}", 1));
    let zero = Some(format!("{:064x}", 0));
    let bn = [
        ("bn254 pairing empty", String::new(), one.clone()),
        (
            "bn254 pairing P,Q;-P,Q",
            format!("{g1}{BN_G2}{neg_g1}{BN_G2}"),
            one.clone(),
        ),
        ("bn254 pairing P,Q", format!("{g1}{BN_G2}"), zero.clone()),
        (
            "bn254 pairing P,Q;P,Q",
            format!("{g1}{BN_G2}{g1}{BN_G2}"),
            zero.clone(),
        ),
        (
            "bn254 pairing inf,Q",
            format!("{}{}{BN_G2}", w(0), w(0)),
            one.clone(),
        ),
        (
            "bn254 pairing P,inf",
            format!("{g1}{}", w(0).repeat(4)),
            one.clone(),
        ),
        (
            "bn254 pairing P off curve",
            format!("{}{}{BN_G2}", w(1), w(3)),
            None,
        ),
        ("bn254 pairing Q off curve", format!("{g1}{g2_off}"), None),
        (
            "bn254 pairing x = p",
            format!("{bn_p}{}{BN_G2}", w(2)),
            None,
        ),
        (
            "bn254 pairing Q outside G2",
            format!("{g1}{BN_G2_OUTSIDE}"),
            None,
        ),
    ];
    let bls_g1_neg = format!(
        "{}{}",
        &BLS_G1[..128],
        "00000000000000000000000000000000114d1d6855d545a8aa7d76c8cf2e21f267816aef1db507c96655b9d5caac42364e6f38ba0ecb751bad54dcd6b939c2ca"
    );
    let mut bls_g2_off = BLS_G2.to_string();
    bls_g2_off.replace_range(511..512, "f"); // last digit of y.c1: off the twist
    let bls = [
        (
            "bls12 pairing P,Q;-P,Q",
            format!("{BLS_G1}{BLS_G2}{bls_g1_neg}{BLS_G2}"),
            one.clone(),
        ),
        (
            "bls12 pairing P,Q",
            format!("{BLS_G1}{BLS_G2}"),
            zero.clone(),
        ),
        (
            "bls12 pairing inf,Q",
            format!("{}{BLS_G2}", "0".repeat(256)),
            one.clone(),
        ),
        (
            "bls12 pairing Q off curve",
            format!("{BLS_G1}{bls_g2_off}"),
            None,
        ),
        (
            "bls12 pairing Q outside G2",
            format!("{BLS_G1}{BLS_G2_OUTSIDE}"),
            None,
        ),
        (
            "bls12 pairing P outside G1",
            format!("{BLS_G1_OUTSIDE}{BLS_G2}"),
            None,
        ),
    ];
    let precompiles = Precompiles::prague();
    for (address, cases) in [(8u8, &bn[..]), (0x0f, &bls[..])] {
        let precompile = precompiles
            .get(&alloy_primitives::Address::with_last_byte(address))
            .expect("prague has it");
        for (name, input, expected) in cases {
            let input = alloy_primitives::hex::decode(input).expect("hex");
            let got = match precompile.execute(&input, 10_000_000, 0) {
                Ok(out) if !out.is_halt() => Some(alloy_primitives::hex::encode(&out.bytes)),
                _ => None,
            };
            t.case::<_, ()>(name, Some(got.clone()), Ok(got), Ok(expected.clone()));
        }
    }
}

/// Cycles of 256 of each field operation the pairings are built of (`micro.<curve> <op>`),
/// per operation: what the tower's cost is made of.
pub fn field_op_cycles() -> Vec<(String, u64)> {
    let mut out = Vec::new();
    macro_rules! bench {
        ($label:expr, $t:ty, $seed:expr) => {{
            let mut x = <$t>::from($seed as u64) + <$t>::from(3u64).inverse().unwrap();
            let y = x.square() + <$t>::from(7u64);
            let mut ops: Vec<(&str, u64)> = Vec::new();
            let start = env::cycle_count();
            for _ in 0..256 {
                x += &y;
            }
            ops.push(("add", env::cycle_count() - start));
            let start = env::cycle_count();
            for _ in 0..256 {
                x -= &y;
            }
            ops.push(("sub", env::cycle_count() - start));
            let start = env::cycle_count();
            for _ in 0..256 {
                x.double_in_place();
            }
            ops.push(("double", env::cycle_count() - start));
            let start = env::cycle_count();
            for _ in 0..256 {
                x *= &y;
            }
            ops.push(("mul", env::cycle_count() - start));
            let start = env::cycle_count();
            for _ in 0..256 {
                x.square_in_place();
            }
            ops.push(("square", env::cycle_count() - start));
            core::hint::black_box(x);
            for (op, c) in ops {
                out.push((format!("micro.{} {}", $label, op), c / 256));
            }
        }};
    }
    {
        use ark_bn254::Fq;
        let a = [
            Fq::from(5u64).inverse().unwrap(),
            Fq::from(7u64).inverse().unwrap(),
        ];
        let mut b = [
            Fq::from(9u64).inverse().unwrap(),
            Fq::from(11u64).inverse().unwrap(),
        ];
        let start = env::cycle_count();
        for _ in 0..256 {
            b[0] = Fq::sum_of_products(&a, &b);
        }
        out.push((
            "micro.bn fq sop2".into(),
            (env::cycle_count() - start) / 256,
        ));
        core::hint::black_box(b);
    }
    bench!("bn fq", ark_bn254::Fq, 5);
    bench!("bn fq2", ark_bn254::Fq2, 5);
    bench!("bn fq12", ark_bn254::Fq12, 5);
    bench!("bls fq", ark_bls12_381::Fq, 5);
    bench!("bls fq2", ark_bls12_381::Fq2, 5);
    bench!("bls fq12", ark_bls12_381::Fq12, 5);
    out
}
