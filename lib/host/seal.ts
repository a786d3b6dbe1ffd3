/**
 * risc0's receipt claim digest and the mock seal, in TypeScript: the twin of
 * zkvm/host/src/claim.rs (both pinned by tests/fixtures/mock-seal.json). The server checks a mock
 * seal (exec results, risc0 dev-mode receipts) by recomputing it, without zkvm-host.
 */
import { concat, type Hex, sha256, toHex } from "viem";

/** Selector of the mock seal (RiscZeroMockVerifier, risc0 dev-mode receipts). */
export const MOCK_SELECTOR: Hex = "0xffffffff";

const ZERO: Hex = `0x${"00".repeat(32)}`;

/** `sha256(sha256(tag) ‖ downs ‖ data as u32 LE ‖ downs.length as u16 LE)` (risc0 tagged struct). */
function taggedStruct(tag: string, downs: readonly Hex[], data: readonly number[]): Hex {
  const le = (n: number, bytes: number) => {
    const b = new Uint8Array(bytes);
    for (let i = 0; i < bytes; i++) b[i] = (n >>> (8 * i)) & 0xff;
    return toHex(b);
  };
  return sha256(concat([
    sha256(toHex(new TextEncoder().encode(tag))),
    ...downs,
    ...data.map((d) => le(d, 4)),
    le(downs.length, 2),
  ]));
}

/**
 * `ReceiptClaim::ok(imageId, journal).digest()` of risc0-zkvm 3.0 (= risc0-ethereum's
 * `ReceiptClaimLib.ok(imageId, journalDigest).digest()`), from the journal's sha256.
 */
export function claimDigest(imageId: Hex, journalDigest: Hex): Hex {
  const post = taggedStruct("risc0.SystemState", [ZERO], [0]);
  const output = taggedStruct("risc0.Output", [journalDigest, ZERO], []);
  return taggedStruct("risc0.ReceiptClaim", [ZERO, imageId, post, output], [0, 0]);
}

/** The mock seal of a journal: `0xFFFFFFFF ‖ claimDigest(imageId, sha256(journal))`, 36 bytes. */
export function mockSeal(imageId: Hex, journal: Hex): Hex {
  return concat([MOCK_SELECTOR, claimDigest(imageId, sha256(journal))]);
}

/** True when `seal` is a mock seal (by its selector). */
export function isMockSeal(seal: Hex): boolean {
  return seal.length === 2 + 72 && seal.toLowerCase().startsWith(MOCK_SELECTOR);
}

/** The 4-byte selector at the start of a seal (lowercase hex), or null when it is shorter. */
export function sealSelector(seal: Hex): Hex | null {
  return seal.length >= 10 ? (seal.slice(0, 10).toLowerCase() as Hex) : null;
}
