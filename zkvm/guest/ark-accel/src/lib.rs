//! arkworks prime fields on risc0's bigint2 accelerator, for the guest's vendored `ark-bn254` and
//! `ark-bls12-381` (see `../vendor/README.md`).
//!
//! revm's BN254 pairing, BLS12-381 precompiles and KZG point evaluation run arkworks' generic
//! tower, Miller loop and final exponentiation over `Fp<MontBackend<FqConfig, N>, N>`. Natively
//! that is Montgomery arithmetic (`a·R mod p`, `R = 2^(64·N)`), a CIOS loop of 64-bit multiplies
//! that RV32IM emulates. In the zkVM the accelerated config stores elements *plainly* instead
//! (`MontConfig::R = 1`), so one product is one bigint2 `modmul` call. arkworks' constants stay
//! right: `MontFp!` builds them with `Fp::new`, which multiplies by `R2` with a Montgomery step,
//! and `R2` is set to the real `R`, giving `a·R·R⁻¹ = a`; the soft config's derived constants are
//! Montgomery-reduced (`redc`) once, at compile time. Add, sub, double and negate are the same
//! code in either form and come from the `soft` config; natively the accelerated config *is*
//! arkworks' derived one.
//!
//! Soundness: the bigint2 circuit proves `result ≡ a·b (mod p)` but not `result < p` (the
//! "unchecked" calls), so every result is reduced here into `[0, p)` (at most a few subtractions,
//! none for an honest host), keeping the canonical form arkworks' equality and `is_zero` rely on.
//! An inverse is checked by one more product (`a·a⁻¹ = 1`). The guest's `crypto_check` compares
//! these against the soft config on random and edge elements.
#![no_std]

#[doc(hidden)]
pub use ark_ff;

use ark_ff::{BigInt, BigInteger};

/// `R⁻¹ mod m` for `R = 2^(64·N)` (one Montgomery reduction of 1); `inv` is `-m⁻¹ mod 2^64`,
/// arkworks' `MontConfig::INV`.
pub const fn r_inv<const N: usize>(m: &BigInt<N>, inv: u64) -> BigInt<N> {
    let mut one = [0u64; N];
    one[0] = 1;
    redc(&BigInt(one), m, inv)
}

/// Montgomery reduction `a·R⁻¹ mod m` of `a < m`: a Montgomery-form constant of the soft config
/// as the plain integer the accelerated config stores.
pub const fn redc<const N: usize>(a: &BigInt<N>, m: &BigInt<N>, inv: u64) -> BigInt<N> {
    let mut t = a.0;
    let mut top = 0u64;
    let mut round = 0;
    while round < N {
        let k = t[0].wrapping_mul(inv);
        let mut carry = 0u128;
        let mut i = 0;
        while i < N {
            let s = t[i] as u128 + (k as u128) * (m.0[i] as u128) + carry;
            t[i] = s as u64;
            carry = s >> 64;
            i += 1;
        }
        let s = top as u128 + carry;
        // t[0] is zero now: divide by 2^64.
        let mut j = 0;
        while j + 1 < N {
            t[j] = t[j + 1];
            j += 1;
        }
        t[N - 1] = s as u64;
        top = (s >> 64) as u64;
        round += 1;
    }
    // t < 2m: one conditional subtraction.
    let mut ge = top != 0;
    if !ge {
        ge = true;
        let mut i = N;
        while i > 0 {
            i -= 1;
            if t[i] != m.0[i] {
                ge = t[i] > m.0[i];
                break;
            }
        }
    }
    if ge {
        let mut borrow = 0u128;
        let mut i = 0;
        while i < N {
            let d = (t[i] as u128).wrapping_sub(m.0[i] as u128 + borrow);
            t[i] = d as u64;
            borrow = (d >> 127) & 1;
            i += 1;
        }
    }
    BigInt(t)
}

/// Brings a residue that is only congruent mod `m` (any value below `2^(64·N)`) into `[0, m)`.
#[inline(always)]
pub fn reduce<const N: usize>(r: &mut BigInt<N>, m: &BigInt<N>) {
    while *r >= *m {
        r.sub_with_borrow(m);
    }
}

/// What the accelerated config stores for a soft-config (Montgomery) constant: in the zkVM the
/// plain value, natively the same limbs.
pub const fn stored<const N: usize>(mont: &BigInt<N>, m: &BigInt<N>, inv: u64) -> BigInt<N> {
    if cfg!(target_os = "zkvm") {
        redc(mont, m, inv)
    } else {
        *mont
    }
}

/// `m²` as `W = 2N` limbs (the extension-field bigint2 calls take it).
pub const fn wide_square<const N: usize, const W: usize>(m: &BigInt<N>) -> [u64; W] {
    assert!(W == 2 * N, "W must be 2N");
    let mut out = [0u64; W];
    let mut i = 0;
    while i < N {
        let mut carry = 0u128;
        let mut j = 0;
        while j < N {
            let t = out[i + j] as u128 + (m.0[i] as u128) * (m.0[j] as u128) + carry;
            out[i + j] = t as u64;
            carry = t >> 64;
            j += 1;
        }
        out[i + N] = carry as u64;
        i += 1;
    }
    out
}

/// The integer 1 as `N` limbs.
pub const fn one<const N: usize>() -> BigInt<N> {
    let mut limbs = [0u64; N];
    limbs[0] = 1;
    BigInt(limbs)
}

/// The zkVM side: bigint2 calls on the limbs (little-endian `u64`s are little-endian `u32`
/// words, so the limbs are passed as they lie).
#[cfg(target_os = "zkvm")]
pub mod zkvm {
    use super::reduce;
    use ark_ff::{BigInt, BigInteger, Fp, MontBackend, MontConfig};
    // No modadd/modsub: a bigint2 call costs about 100 cycles whatever it does, as much as
    // arkworks' software addition (measured: 103 vs 96 cycles for BN254, 234 vs 169 for
    // BLS12-381), so additions stay software and only products go to the accelerator.
    use risc0_bigint2::field::unchecked::{
        extfield_xxone_mul_256, extfield_xxone_mul_384, modinv_256, modinv_384, modmul_256,
        modmul_384,
    };

    /// `a·b mod m`, unreduced (congruent, below `2^(64·N)`): the bigint2 call for 256 or 384 bits.
    #[inline(always)]
    fn modmul<const N: usize>(a: &[u64; N], b: &[u64; N], m: &[u64; N], out: &mut [u64; N]) {
        // SAFETY: N is checked; [u64; N] and [u32; 2N] have the same size, u64 alignment covers
        // u32's, and the zkVM is little-endian. `out` does not alias the inputs.
        unsafe {
            match N {
                4 => modmul_256(
                    &*a.as_ptr().cast::<[u32; 8]>(),
                    &*b.as_ptr().cast::<[u32; 8]>(),
                    &*m.as_ptr().cast::<[u32; 8]>(),
                    &mut *out.as_mut_ptr().cast::<[u32; 8]>(),
                ),
                6 => modmul_384(
                    &*a.as_ptr().cast::<[u32; 12]>(),
                    &*b.as_ptr().cast::<[u32; 12]>(),
                    &*m.as_ptr().cast::<[u32; 12]>(),
                    &mut *out.as_mut_ptr().cast::<[u32; 12]>(),
                ),
                _ => unreachable!("only 256- and 384-bit fields are accelerated"),
            }
        }
    }

    /// `a⁻¹ mod m`, unreduced.
    #[inline(always)]
    fn modinv<const N: usize>(a: &[u64; N], m: &[u64; N], out: &mut [u64; N]) {
        // SAFETY: as in `modmul`.
        unsafe {
            match N {
                4 => modinv_256(
                    &*a.as_ptr().cast::<[u32; 8]>(),
                    &*m.as_ptr().cast::<[u32; 8]>(),
                    &mut *out.as_mut_ptr().cast::<[u32; 8]>(),
                ),
                6 => modinv_384(
                    &*a.as_ptr().cast::<[u32; 12]>(),
                    &*m.as_ptr().cast::<[u32; 12]>(),
                    &mut *out.as_mut_ptr().cast::<[u32; 12]>(),
                ),
                _ => unreachable!("only 256- and 384-bit fields are accelerated"),
            }
        }
    }

    /// `(a₀ + a₁x)(b₀ + b₁x) mod (x² + 1)` over `m` (`m2 = m²`), each coefficient reduced: one
    /// bigint2 call for a product in `F_p[x]/(x² + 1)`, both curves' `Fq2`.
    #[inline(always)]
    pub fn mul_xx_one<const N: usize, const W: usize>(
        a: &[BigInt<N>; 2],
        b: &[BigInt<N>; 2],
        m: &BigInt<N>,
        m2: &[u64; W],
    ) -> [BigInt<N>; 2] {
        // Plain arrays: [[u64; N]; 2] is laid out as [[u32; 2N]; 2] (BigInt's layout is not
        // promised).
        let (a, b) = ([a[0].0, a[1].0], [b[0].0, b[1].0]);
        let mut out = [[0u64; N]; 2];
        // SAFETY: as in `modmul`; W = 2N is checked; `out` aliases nothing.
        unsafe {
            match (N, W) {
                (4, 8) => extfield_xxone_mul_256(
                    &*a.as_ptr().cast::<[[u32; 8]; 2]>(),
                    &*b.as_ptr().cast::<[[u32; 8]; 2]>(),
                    &*m.0.as_ptr().cast::<[u32; 8]>(),
                    &*m2.as_ptr().cast::<[u32; 16]>(),
                    &mut *out.as_mut_ptr().cast::<[[u32; 8]; 2]>(),
                ),
                (6, 12) => extfield_xxone_mul_384(
                    &*a.as_ptr().cast::<[[u32; 12]; 2]>(),
                    &*b.as_ptr().cast::<[[u32; 12]; 2]>(),
                    &*m.0.as_ptr().cast::<[u32; 12]>(),
                    &*m2.as_ptr().cast::<[u32; 24]>(),
                    &mut *out.as_mut_ptr().cast::<[[u32; 12]; 2]>(),
                ),
                _ => unreachable!("only 256- and 384-bit fields are accelerated"),
            }
        }
        let mut out = [BigInt(out[0]), BigInt(out[1])];
        reduce(&mut out[0], m);
        reduce(&mut out[1], m);
        out
    }

    /// `a *= b` in `F_p[u]/(u² + 1)` (both curves' `Fq2`) for elements of an accelerated config
    /// `C` (plain storage in the zkVM, see [`accelerated_mont_config!`]): one bigint2 call instead
    /// of arkworks' two sums of products. `W = 2N`.
    #[inline(always)]
    pub fn fp2_mul<C: MontConfig<N>, const N: usize, const W: usize>(
        a: [&mut Fp<MontBackend<C, N>, N>; 2],
        b: [&Fp<MontBackend<C, N>, N>; 2],
    ) {
        let m2: &[u64; W] = &const { super::wide_square::<N, W>(&C::MODULUS) };
        let [c0, c1] = mul_xx_one(&[a[0].0, a[1].0], &[b[0].0, b[1].0], &C::MODULUS, m2);
        a[0].0 = c0;
        a[1].0 = c1;
    }

    /// `a = a²` in `F_p[u]/(u² + 1)`, as [`fp2_mul`]: one bigint2 call instead of two products
    /// and three additions.
    #[inline(always)]
    pub fn fp2_square<C: MontConfig<N>, const N: usize, const W: usize>(
        a: [&mut Fp<MontBackend<C, N>, N>; 2],
    ) {
        let m2: &[u64; W] = &const { super::wide_square::<N, W>(&C::MODULUS) };
        let x = [a[0].0, a[1].0];
        let [c0, c1] = mul_xx_one(&x, &x, &C::MODULUS, m2);
        a[0].0 = c0;
        a[1].0 = c1;
    }

    /// `m - a` for `a` in `[0, m)` (0 stays 0).
    #[inline(always)]
    pub fn neg<const N: usize>(a: &BigInt<N>, m: &BigInt<N>) -> BigInt<N> {
        if a.is_zero() {
            return *a;
        }
        let mut out = *m;
        out.sub_with_borrow(a);
        out
    }

    /// `a·b mod m`, reduced into `[0, m)`.
    #[inline(always)]
    pub fn mul<const N: usize>(a: &BigInt<N>, b: &BigInt<N>, m: &BigInt<N>) -> BigInt<N> {
        let mut out = BigInt([0u64; N]);
        modmul(&a.0, &b.0, &m.0, &mut out.0);
        reduce(&mut out, m);
        out
    }

    /// `Σ aᵢ·bᵢ mod m` (`m2 = m²`); two terms in one bigint2 call, as the constant coefficient
    /// of `(a₀ + a₁x)(b₀ − b₁x) mod (x² + 1)`.
    #[inline(always)]
    pub fn sum_of_products<const N: usize, const M: usize, const W: usize>(
        a: &[BigInt<N>; M],
        b: &[BigInt<N>; M],
        m: &BigInt<N>,
        m2: &[u64; W],
    ) -> BigInt<N> {
        if M == 2 {
            return mul_xx_one(&[a[0], a[1]], &[b[0], neg(&b[1], m)], m, m2)[0];
        }
        let mut acc = BigInt([0u64; N]);
        for (a, b) in a.iter().zip(b) {
            let t = mul(a, b, m);
            // Both below m < 2^(64·N - 1) (BN254: 254 bits, BLS12-381: 381): no carry out.
            acc.add_with_carry(&t);
            if acc >= *m {
                acc.sub_with_borrow(m);
            }
        }
        acc
    }

    /// `a⁻¹ mod m`; `None` for zero, as arkworks.
    #[inline(always)]
    pub fn inverse<const N: usize>(a: &BigInt<N>, m: &BigInt<N>) -> Option<BigInt<N>> {
        if a.is_zero() {
            return None;
        }
        let mut inv = BigInt([0u64; N]);
        modinv(&a.0, &m.0, &mut inv.0);
        reduce(&mut inv, m);
        // Checked, not trusted: a wrong inverse from the host makes the proof fail here.
        assert!(mul(a, &inv, m) == BigInt::from(1u64), "bigint2 modinv");
        Some(inv)
    }
}

/// Implements arkworks' `MontConfig<$limbs>` for `$config` from `$soft` (a `#[derive(MontConfig)]`
/// config of the same modulus): natively by calling `$soft` for everything; in the zkVM with
/// plain storage (`R = 1`), `$soft`'s add/sub code and the bigint2 multiply, square, sum of
/// products and inverse of [`zkvm`]. Convert between the two configs with `into_bigint` and
/// `from_bigint`, not by limbs (they differ in the zkVM).
#[macro_export]
macro_rules! accelerated_mont_config {
    ($config:ident, $soft:ty, $limbs:literal) => {
        const _: () = {
            use $crate::ark_ff::fields::{Fp, MontBackend, MontConfig};
            use $crate::ark_ff::BigInt;
            type F = Fp<MontBackend<$config, $limbs>, $limbs>;
            type S = Fp<MontBackend<$soft, $limbs>, $limbs>;
            type Soft = $soft;
            const M: BigInt<$limbs> = <Soft as MontConfig<$limbs>>::MODULUS;
            const INV: u64 = <Soft as MontConfig<$limbs>>::INV;
            #[allow(dead_code)]
            const M2: [u64; 2 * $limbs] = $crate::wide_square::<$limbs, { 2 * $limbs }>(&M);

            /// The same limbs as a soft element: add/sub/neg/double do not depend on the form.
            #[inline(always)]
            fn soft(a: &F) -> S {
                Fp::new_unchecked(a.0)
            }

            impl MontConfig<$limbs> for $config {
                const MODULUS: BigInt<$limbs> = M;
                #[cfg(target_os = "zkvm")]
                const R: BigInt<$limbs> = $crate::one::<$limbs>();
                #[cfg(target_os = "zkvm")]
                const R2: BigInt<$limbs> = <Soft as MontConfig<$limbs>>::R;
                const GENERATOR: F = Fp::new_unchecked($crate::stored(
                    &<Soft as MontConfig<$limbs>>::GENERATOR.0,
                    &M,
                    INV,
                ));
                const TWO_ADIC_ROOT_OF_UNITY: F = Fp::new_unchecked($crate::stored(
                    &<Soft as MontConfig<$limbs>>::TWO_ADIC_ROOT_OF_UNITY.0,
                    &M,
                    INV,
                ));
                const SMALL_SUBGROUP_BASE: Option<u32> =
                    <Soft as MontConfig<$limbs>>::SMALL_SUBGROUP_BASE;
                const SMALL_SUBGROUP_BASE_ADICITY: Option<u32> =
                    <Soft as MontConfig<$limbs>>::SMALL_SUBGROUP_BASE_ADICITY;
                const LARGE_SUBGROUP_ROOT_OF_UNITY: Option<F> =
                    match <Soft as MontConfig<$limbs>>::LARGE_SUBGROUP_ROOT_OF_UNITY {
                        Some(x) => Some(Fp::new_unchecked($crate::stored(&x.0, &M, INV))),
                        None => None,
                    };

                #[inline(always)]
                fn add_assign(a: &mut F, b: &F) {
                    let mut x = soft(a);
                    <Soft as MontConfig<$limbs>>::add_assign(&mut x, &soft(b));
                    a.0 = x.0;
                }

                #[inline(always)]
                fn sub_assign(a: &mut F, b: &F) {
                    let mut x = soft(a);
                    <Soft as MontConfig<$limbs>>::sub_assign(&mut x, &soft(b));
                    a.0 = x.0;
                }

                #[inline(always)]
                fn double_in_place(a: &mut F) {
                    let mut x = soft(a);
                    <Soft as MontConfig<$limbs>>::double_in_place(&mut x);
                    a.0 = x.0;
                }

                #[inline(always)]
                fn neg_in_place(a: &mut F) {
                    let mut x = soft(a);
                    <Soft as MontConfig<$limbs>>::neg_in_place(&mut x);
                    a.0 = x.0;
                }

                #[inline(always)]
                fn mul_assign(a: &mut F, b: &F) {
                    #[cfg(target_os = "zkvm")]
                    {
                        a.0 = $crate::zkvm::mul(&a.0, &b.0, &M);
                    }
                    #[cfg(not(target_os = "zkvm"))]
                    {
                        let mut x = soft(a);
                        <Soft as MontConfig<$limbs>>::mul_assign(&mut x, &soft(b));
                        a.0 = x.0;
                    }
                }

                #[inline(always)]
                fn square_in_place(a: &mut F) {
                    #[cfg(target_os = "zkvm")]
                    {
                        a.0 = $crate::zkvm::mul(&a.0, &a.0, &M);
                    }
                    #[cfg(not(target_os = "zkvm"))]
                    {
                        let mut x = soft(a);
                        <Soft as MontConfig<$limbs>>::square_in_place(&mut x);
                        a.0 = x.0;
                    }
                }

                fn inverse(a: &F) -> Option<F> {
                    #[cfg(target_os = "zkvm")]
                    {
                        $crate::zkvm::inverse(&a.0, &M).map(Fp::new_unchecked)
                    }
                    #[cfg(not(target_os = "zkvm"))]
                    {
                        <Soft as MontConfig<$limbs>>::inverse(&soft(a))
                            .map(|x| Fp::new_unchecked(x.0))
                    }
                }

                fn from_bigint(r: BigInt<$limbs>) -> Option<F> {
                    #[cfg(target_os = "zkvm")]
                    {
                        (r < M).then(|| Fp::new_unchecked(r))
                    }
                    #[cfg(not(target_os = "zkvm"))]
                    {
                        <Soft as MontConfig<$limbs>>::from_bigint(r).map(|x| Fp::new_unchecked(x.0))
                    }
                }

                #[inline]
                fn into_bigint(a: F) -> BigInt<$limbs> {
                    #[cfg(target_os = "zkvm")]
                    {
                        a.0
                    }
                    #[cfg(not(target_os = "zkvm"))]
                    {
                        <Soft as MontConfig<$limbs>>::into_bigint(soft(&a))
                    }
                }

                fn sum_of_products<const K: usize>(a: &[F; K], b: &[F; K]) -> F {
                    #[cfg(target_os = "zkvm")]
                    {
                        let a = a.map(|x| x.0);
                        let b = b.map(|x| x.0);
                        Fp::new_unchecked($crate::zkvm::sum_of_products(&a, &b, &M, &M2))
                    }
                    #[cfg(not(target_os = "zkvm"))]
                    {
                        let a = a.map(|x| soft(&x));
                        let b = b.map(|x| soft(&x));
                        Fp::new_unchecked(<Soft as MontConfig<$limbs>>::sum_of_products(&a, &b).0)
                    }
                }
            }
        };
    };
}

#[cfg(test)]
#[allow(unexpected_cfgs)] // arkworks' derive looks for an `asm` feature this crate lacks
mod tests {
    use super::r_inv;
    use ark_ff::{
        fields::{Field, Fp256, MontBackend, MontConfig},
        BigInt, PrimeField,
    };

    #[derive(MontConfig)]
    #[modulus = "21888242871839275222246405745257275088696311157297823662689037894645226208583"]
    #[generator = "3"]
    pub struct BnFq;

    /// R⁻¹ from the const Montgomery reduction equals arkworks' own (`into_bigint` of the
    /// element whose Montgomery limbs are 1).
    #[test]
    fn r_inv_matches_arkworks() {
        let one_mont = Fp256::<MontBackend<BnFq, 4>>::new_unchecked(BigInt::from(1u64));
        assert_eq!(
            r_inv(
                &<BnFq as MontConfig<4>>::MODULUS,
                <BnFq as MontConfig<4>>::INV
            ),
            one_mont.into_bigint()
        );
    }

    /// `redc` turns the derived Montgomery constants into the plain values the zkVM stores.
    #[test]
    fn redc_gives_plain_constants() {
        let m = <BnFq as MontConfig<4>>::MODULUS;
        let inv = <BnFq as MontConfig<4>>::INV;
        for x in [
            <BnFq as MontConfig<4>>::GENERATOR,
            <BnFq as MontConfig<4>>::TWO_ADIC_ROOT_OF_UNITY,
            -Fp256::<MontBackend<BnFq, 4>>::from(12345u64),
        ] {
            assert_eq!(super::redc(&x.0, &m, inv), x.into_bigint());
        }
    }

    pub struct BnAccelerated;
    crate::accelerated_mont_config!(BnAccelerated, BnFq, 4);

    /// `wide_square` (the m² the Fq2 bigint2 call takes) equals arkworks' double-width product.
    #[test]
    fn wide_square_matches_arkworks() {
        use ark_ff::BigInteger;
        let m = <BnFq as MontConfig<4>>::MODULUS;
        let (lo, hi) = m.mul(&m);
        let wide: [u64; 8] = super::wide_square::<4, 8>(&m);
        assert_eq!(&wide[..4], &lo.0[..]);
        assert_eq!(&wide[4..], &hi.0[..]);
    }

    /// Natively the accelerated config is arkworks' derived one: same products, inverses, limbs.
    #[test]
    fn delegates_natively() {
        type A = Fp256<MontBackend<BnAccelerated, 4>>;
        type S = Fp256<MontBackend<BnFq, 4>>;
        for (x, y) in [(0u64, 5u64), (1, 1), (12345, 678), (u64::MAX, 3)] {
            let (ax, ay, sx, sy) = (A::from(x), A::from(y), S::from(x), S::from(y));
            assert_eq!((ax * ay).into_bigint(), (sx * sy).into_bigint());
            assert_eq!((-ax - ay).into_bigint(), (-sx - sy).into_bigint());
            assert_eq!(ax.square().0, sx.square().0);
            assert_eq!(ax.inverse().map(|v| v.0), sx.inverse().map(|v| v.0));
        }
        assert_eq!(
            <BnAccelerated as MontConfig<4>>::GENERATOR.0,
            <BnFq as MontConfig<4>>::GENERATOR.0
        );
    }
}
