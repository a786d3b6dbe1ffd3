/**
 * The rules digest (DESIGN §3): which fork and spec deviations a batch ran under. The one
 * TypeScript place that computes it; its Rust twin is zkvm/executor/src/rules.rs, and both are
 * pinned by tests/fixtures/journal-v2.json.
 */
import { encodeAbiParameters, keccak256 } from "viem";
import type { Hex } from "./types.ts";

/** Domain tag of the first rules-digest layout. */
export const RULES_TAG = "l2-prover/rules/v1";

/** The quirk names as the digest covers them: sorted ascending (by code unit), no duplicates. */
export function canonicalQuirks(quirks: readonly string[] = []): string[] {
  return [...new Set(quirks)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * `keccak256(abi.encode("l2-prover/rules/v1", fork, quirks))`, quirks as the input names them
 * (sorted, deduplicated; presets such as "anvil" are not expanded). A spec chain has no quirks.
 * The fork name is covered exactly as given, never case-folded here: it is lowercase at the edge
 * (the input codec refuses others, detectFork normalizes), as in Rust and the contract's
 * rulesDigestOf.
 */
export function rulesDigest(fork: string, quirks: readonly string[] = []): Hex {
  return keccak256(
    encodeAbiParameters(
      [{ type: "string" }, { type: "string" }, { type: "string[]" }],
      [RULES_TAG, fork, canonicalQuirks(quirks)],
    ),
  );
}
