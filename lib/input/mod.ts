/** The version-1 prover input: types and JSON codec. */
export type { Hex, ProverInput, Witness } from "./types.ts";
export { KNOWN_FORKS } from "./types.ts";
export {
  encodeProverInput,
  InputDecodeError,
  parseProverInput,
  readProverInput,
  writeProverInput,
} from "./codec.ts";
