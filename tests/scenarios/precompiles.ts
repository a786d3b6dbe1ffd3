/**
 * Valid inputs for every precompile anvil has, per fork: each call does real work (no trivial
 * empty inputs) so the executor's precompile code runs, not just its input checks.
 */
import { type Address, concatHex, type Hex, numberToHex, pad, sha256, toHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { forkAtLeast } from "../../lib/witness/fork.ts";
import { DEV_KEYS } from "./chain.ts";

/** One precompile call. */
export interface PrecompileCall {
  readonly name: string;
  readonly address: Address;
  readonly input: Hex;
}

const w = (n: bigint | number) => numberToHex(BigInt(n), { size: 32 });
const fp = (h: string) => pad(`0x${h}`, { size: 64 }); // BLS field element: 64 bytes
const addr = (n: number) => pad(toHex(n), { size: 20 }) as Address;

// BN254 (alt_bn128)
const BN_P = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;
const BN_G2: Hex = concatHex([
  "0x198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c2",
  "0x1800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6ed",
  "0x090689d0585ff075ec9e99ad690c3395bc4b313370b38ef355acdadcd122975b",
  "0x12c85ea5db8c6deb4aab71808dcb408fe3d1e7690c43d37b4ce6cc0166fa7daa",
]);

// BLS12-381 (EIP-2537 encoding)
const BLS_P =
  0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaabn;
const BLS_G1_X =
  "17f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb";
const BLS_G1_Y =
  "08b3f481e3aaa0f1a09e30ed741d8ae4fcf5e095d5d00af600db18cb2c04b3edd03cc744a2888ae40caa232946c5e7e1";
const BLS_G1: Hex = concatHex([fp(BLS_G1_X), fp(BLS_G1_Y)]);
const BLS_G1_NEG: Hex = concatHex([
  fp(BLS_G1_X),
  fp((BLS_P - BigInt(`0x${BLS_G1_Y}`)).toString(16)),
]);
const BLS_G2: Hex = concatHex([
  fp(
    "024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8",
  ),
  fp(
    "13e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e",
  ),
  fp(
    "0ce5d527727d6e118cc9cdc6da2e351aadfd9baa8cbdd3a76d429a695160d12c923ac9cc3baca289e193548608b82801",
  ),
  fp(
    "0606c4a02ea734cc32acd2b02bc28b99cb3e287e85a763af267492ab572e99ab3f370d275cec1da1aaa9075ff05f79be",
  ),
]);

// EIP-152 test vector 5: 12 rounds over "abc" (rounds ‖ h ‖ m ‖ t ‖ f, 213 bytes).
const BLAKE2F: Hex = concatHex([
  "0x0000000c",
  "0x48c9bdf267e6096a3ba7ca8485ae67bb2bf894fe72f36e3cf1361d5f3af54fa5d182e6ad7f520e511f6c3e2b8c68059b6bbd41fbabd9831f79217e1319cde05b",
  pad("0x616263", { dir: "right", size: 128 }),
  "0x03000000000000000000000000000000",
  "0x01",
]);

// A P-256 signature made once with WebCrypto: sha256(msg) ‖ r ‖ s ‖ x ‖ y.
const P256: Hex =
  "0xbf146cf5f1dba4df5413c34745d7360b6383621139558cd44467d2e3858c8571bb7e054a3a8e13a165534a8ccb7a1529cab9caaf5fdb9c16e7b3dae9aef1a6ddc90de57c6c4d328746c593b35ab34291675eaa2aaa8fda81d614713117bb1119de29204a04881967488f479f61912e7899af3d1f6695829c5cfbde2b27e373d8eff322acf94ef13c08e6f4bb066d09ee701f3eef52694cbc1a22964d823322f5";

/** KZG point evaluation of the zero polynomial: commitment and proof are the point at infinity. */
function pointEvaluation(): Hex {
  const infinity = pad("0xc0", { dir: "right", size: 48 });
  const versioned = concatHex(["0x01", `0x${sha256(infinity).slice(4)}`]);
  return concatHex([versioned, w(0), w(0), infinity, infinity]);
}

/** The precompile calls valid at `fork`. */
export async function precompileCalls(fork: string): Promise<PrecompileCall[]> {
  const signer = privateKeyToAccount(DEV_KEYS[0]);
  const digest = sha256(toHex("l2-prover ecrecover scenario"));
  const sig = await signer.sign({ hash: digest });
  const r = `0x${sig.slice(2, 66)}` as Hex;
  const s = `0x${sig.slice(66, 130)}` as Hex;
  const v = BigInt(`0x${sig.slice(130, 132)}`);
  const calls: PrecompileCall[] = [
    { name: "ecrecover", address: addr(1), input: concatHex([digest, w(v), r, s]) },
    { name: "sha256", address: addr(2), input: toHex("hello, sha256") },
    { name: "ripemd160", address: addr(3), input: toHex("hello, ripemd") },
    { name: "identity", address: addr(4), input: toHex("hello, identity") },
    {
      name: "modexp",
      address: addr(5),
      input: concatHex([w(1), w(1), w(1), "0x03", "0x05", "0x07"]),
    },
    { name: "bn254_add", address: addr(6), input: concatHex([w(1), w(2), w(1), w(2)]) },
    { name: "bn254_mul", address: addr(7), input: concatHex([w(1), w(2), w(3)]) },
    {
      name: "bn254_pairing",
      address: addr(8),
      input: concatHex([w(1), w(2), BN_G2, w(1), w(BN_P - 2n), BN_G2]),
    },
    { name: "blake2f", address: addr(9), input: BLAKE2F },
    { name: "point_evaluation", address: addr(10), input: pointEvaluation() },
  ];
  if (forkAtLeast(fork, "prague")) {
    calls.push(
      { name: "bls12_g1add", address: addr(0x0b), input: concatHex([BLS_G1, BLS_G1]) },
      { name: "bls12_g1msm", address: addr(0x0c), input: concatHex([BLS_G1, w(5), BLS_G1, w(7)]) },
      { name: "bls12_g2add", address: addr(0x0d), input: concatHex([BLS_G2, BLS_G2]) },
      { name: "bls12_g2msm", address: addr(0x0e), input: concatHex([BLS_G2, w(5)]) },
      {
        name: "bls12_pairing",
        address: addr(0x0f),
        input: concatHex([BLS_G1, BLS_G2, BLS_G1_NEG, BLS_G2]),
      },
      { name: "bls12_map_fp_to_g1", address: addr(0x10), input: fp("01") },
      { name: "bls12_map_fp2_to_g2", address: addr(0x11), input: concatHex([fp("01"), fp("02")]) },
    );
  }
  if (forkAtLeast(fork, "osaka")) {
    calls.push({ name: "p256verify", address: addr(0x100), input: P256 });
  }
  return calls;
}
