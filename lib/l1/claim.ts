/**
 * risc0's receipt claim digest and the mock seal (INTERFACES "Seals"): what RiscZeroMockVerifier
 * accepts, computed as risc0's `ReceiptClaimLib.ok(imageId, journalDigest).digest()` does.
 */
import { concat, type Hex, sha256, stringToBytes } from "viem";

/** The selector of RiscZeroMockVerifier locally, of risc0 dev-mode receipts and the exec backend. */
export const MOCK_SELECTOR: Hex = "0xffffffff";

const tag = (name: string): Hex => sha256(stringToBytes(name));
const ZERO: Hex = `0x${"00".repeat(32)}`;
// SystemState { pc: 0, merkle_root: 0 }: the post state of a halted program.
const SYSTEM_STATE_ZERO: Hex = sha256(
  concat([tag("risc0.SystemState"), ZERO, "0x00000000", "0x0100"]),
);

/** The digest of `ReceiptClaim::ok(imageId, journalDigest)`. */
export function claimDigest(imageId: Hex, journalDigest: Hex): Hex {
  const output = sha256(concat([tag("risc0.Output"), journalDigest, ZERO, "0x0200"]));
  return sha256(concat([
    tag("risc0.ReceiptClaim"),
    ZERO, // input
    imageId, // pre-state digest
    SYSTEM_STATE_ZERO,
    output,
    "0x00000000", // exit code system (Halted) << 24
    "0x00000000", // exit code user << 24
    "0x0400",
  ]));
}

/** The mock seal of a journal: `0xFFFFFFFF ‖ claimDigest(imageId, sha256(journal))`. */
export function mockSeal(imageId: Hex, journal: Hex): Hex {
  return concat([MOCK_SELECTOR, claimDigest(imageId, sha256(journal))]);
}

/** The 4-byte selector at the start of a seal (lowercase hex), or null when it is shorter. */
export function sealSelector(seal: Hex): Hex | null {
  return seal.length >= 10 ? (seal.slice(0, 10).toLowerCase() as Hex) : null;
}
