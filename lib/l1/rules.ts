/** The rules digest (INTERFACES "Rules digest"): what a journal commits about fork and quirks. */
import { encodeAbiParameters, type Hex, keccak256 } from "viem";

/** Domain tag of rules digests, version 1. */
export const RULES_TAG = "l2-prover/rules/v1";

/** keccak256(abi.encode("l2-prover/rules/v1", fork, sorted deduplicated quirks)). */
export function rulesDigest(fork: string, quirks: readonly string[]): Hex {
  const q = [...new Set(quirks)].sort();
  return keccak256(
    encodeAbiParameters([{ type: "string" }, { type: "string" }, { type: "string[]" }], [
      RULES_TAG,
      fork.toLowerCase(),
      q,
    ]),
  );
}
