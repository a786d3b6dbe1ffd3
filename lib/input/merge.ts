/**
 * Builds a batch input (version 2) from the per-block inputs lib/witness builds: the blocks in
 * order and one witness, the union of theirs (deduplicated by content). The headers keep every
 * block's parent and ancestors; the ones that are blocks of the batch are extras the executor
 * ignores, so the first block's parent and every ancestor BLOCKHASH reaches are all there.
 */
import { InputDecodeError } from "./codec.ts";
import { canonicalQuirks } from "./rules.ts";
import type { BatchInput, Hex, ProverInput } from "./types.ts";

/** Merges consecutive single-block inputs (ascending) into one batch input. */
export function mergeBlockInputs(inputs: readonly ProverInput[]): BatchInput {
  if (inputs.length === 0) throw new InputDecodeError("blocks", "a batch needs at least one block");
  const [first] = inputs;
  const quirks = canonicalQuirks(first.quirks);
  inputs.forEach((input, i) => {
    const same = input.chainId === first.chainId && input.fork === first.fork &&
      canonicalQuirks(input.quirks).join() === quirks.join();
    if (!same) {
      throw new InputDecodeError(
        `blocks[${i}]`,
        `chain id, fork or quirks (${input.chainId}, ${input.fork}, [${input.quirks ?? []}]) ` +
          `differ from the first block's (${first.chainId}, ${first.fork}, [${quirks}])`,
      );
    }
  });
  const union = (pick: (i: ProverInput) => readonly Hex[]): Hex[] => {
    const seen = new Set<string>();
    const out: Hex[] = [];
    for (const input of inputs) {
      for (const x of pick(input)) {
        const key = x.toLowerCase();
        if (!seen.has(key)) {
          seen.add(key);
          out.push(x);
        }
      }
    }
    return out;
  };
  return {
    version: 2,
    chainId: first.chainId,
    fork: first.fork,
    blocks: inputs.map((i) => i.block),
    witness: {
      state: union((i) => i.witness.state),
      codes: union((i) => i.witness.codes),
      keys: union((i) => i.witness.keys),
      headers: union((i) => i.witness.headers),
    },
    ...(first.quirks?.length ? { quirks: first.quirks } : {}),
  };
}
