/** The version-1 prover input: types and JSON codec. */
export type { AnyInput, BatchInput, Hex, ProverInput, Witness } from "./types.ts";
export { KNOWN_FORKS } from "./types.ts";
export {
  encodeProverInput,
  InputDecodeError,
  parseAnyInput,
  parseProverInput,
  readProverInput,
  writeProverInput,
} from "./codec.ts";
export { canonicalQuirks, RULES_TAG, rulesDigest } from "./rules.ts";
export { mergeBlockInputs } from "./merge.ts";
